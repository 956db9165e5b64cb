"""Who sets a benefit standard, and the setter's own figures.

A district does not set its 低保, 特困 or orphan standards: Chongqing sets one standard for all its
districts and counties (the 2020 figures 620/496/806 in the 城口, 武隆 and 巴南 plans equal the municipal
ones, ``cq_mzj_2021_09_plan_explanation``; 武隆's plan: "严格执行市级对社会救助对象基本生活制定的调标标准"),
and in Jiangxi the 设区市 sets the local standard above the provincial floor (景德镇 for 珠山; the level
is marked as an assumption in the data because the plan does not name the setter).

``data/setters.csv`` is the one source of truth for benefit standards: one row per (district, indicator)
with ``setter_level`` (区县 / 市 / 省 / 中央), ``setter_id`` (e.g. ``chongqing``), source and locator.
``data/reference/setter_standards.csv`` holds the setter's own published figures by year. Districts with
the same ``setter_id`` share one forecast path (:mod:`models.forecast`).

:func:`decided_by` answers "who decides this?" for the scorecard; :func:`setter_of` names the setter;
:func:`setter_figure` reads the setter's figure for a year (falling back to the district's own published
figure, which for these districts is the same number).
"""

from __future__ import annotations

import functools
import math

import pandas as pd

from models.data import Dataset
from models.errors import ShapanError
from models.views import calendar as cal

LEVELS = ("区县", "市", "省", "中央")
LEVELS_EN = {"区县": "district", "市": "municipality/city", "省": "province", "中央": "central"}
SETTERS_FILE = "setters.csv"
SETTER_COLUMNS = ["district", "indicator", "setter_level", "setter_id", "source", "locator", "note"]
STANDARDS_FILE = "setter_standards"
# Orphan standards are published split (集中/分散); the model's single orphan_standard uses the first found.
ALIASES = {
    "orphan_standard": ("orphan_standard", "orphan_institutional_standard", "orphan_dispersed_standard"),
    "tekun_standard": ("tekun_standard",),
}


@functools.cache
def setters_table(ds: Dataset) -> pd.DataFrame:
    """``data/setters.csv`` (plus a user district's own, see models.user_districts), validated: known
    districts, levels and source ids; one row per pair."""
    path = ds.root / SETTERS_FILE
    if not path.exists():
        raise ShapanError("file_missing", file=SETTERS_FILE)
    user = [root / SETTERS_FILE for root in ds.extra_roots if (root / SETTERS_FILE).is_file()]
    frame = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in (path, *user)], ignore_index=True)
    missing = [c for c in SETTER_COLUMNS if c not in frame.columns]
    if missing:
        raise ShapanError("missing_columns", file=SETTERS_FILE, columns=", ".join(missing))
    districts = set(ds.districts["id"])
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        if row.district not in districts:
            raise ShapanError("unknown_district", district=row.district, allowed=", ".join(sorted(districts)))
        if row.setter_level not in LEVELS:
            raise ShapanError("unknown_key", file=f"{SETTERS_FILE} row {i}", key=row.setter_level,
                              allowed=", ".join(LEVELS))
        if row.source not in ds.sources:
            raise ShapanError("unknown_key", file=f"{SETTERS_FILE} row {i}", key=row.source,
                              allowed="data/sources.toml ids")
    if frame.duplicated(["district", "indicator"]).any():
        dup = frame[frame.duplicated(["district", "indicator"])].iloc[0]
        raise ShapanError("generic", detail=f"{SETTERS_FILE}: duplicate row {dup['district']}, {dup['indicator']}")
    return frame


@functools.cache  # data only; read-only row
def _row(ds: Dataset, district: str, indicator: str) -> pd.Series | None:
    table = setters_table(ds)
    rows = table[(table["district"] == district) & (table["indicator"] == indicator)]
    return None if rows.empty else rows.iloc[0]


def decided_by(ds: Dataset, district: str, indicator: str) -> str | None:
    """Level that sets ``indicator`` for ``district`` (区县 / 市 / 省 / 中央), ``None`` if not listed."""
    row = _row(ds, district, indicator)
    return None if row is None else str(row["setter_level"])


def setter_of(ds: Dataset, district: str, indicator: str = "dibao_urban_standard") -> str:
    """The setter id of ``indicator`` for ``district``; the district itself when none is listed."""
    row = _row(ds, district, indicator)
    return district if row is None else str(row["setter_id"])


def districts_of(ds: Dataset, setter_id: str, indicator: str = "dibao_urban_standard") -> list[str]:
    """Districts whose ``indicator`` is set by ``setter_id`` (they share one path)."""
    table = setters_table(ds)
    rows = table[(table["setter_id"] == setter_id) & (table["indicator"] == indicator)]
    return sorted(rows["district"])


@functools.cache
def setter_figure(ds: Dataset, district: str, indicator: str, year: int) -> tuple[float | None, str]:
    """(value, provenance) of the setter's ``indicator`` in ``year``; ``(None, "not published")`` if absent.

    Order: the setter's own figure (``data/reference/setter_standards.csv``), else the district's
    published baseline of that year (``data/indicators.csv``).
    """
    setter = setter_of(ds, district, indicator)
    table = ds.reference(STANDARDS_FILE)
    for name in ALIASES.get(indicator, (indicator,)):
        rows = table[(table["setter_id"] == setter) & (table["indicator"] == name) & (table["year"] == year)]
        if not rows.empty:
            r = rows.iloc[0]
            return float(r["value"]), f"setter {setter}: {name} {year} = {r['value']:g} ({r['source']} {r['locator']})"
    ind = ds.indicators_for(district)
    for name in ALIASES.get(indicator, (indicator,)):
        rows = ind[(ind["indicator"] == name) & (ind["year"] == year) & (ind["kind"] == "baseline")
                   & ind["value"].notna()]
        if not rows.empty:
            r = rows.iloc[0]
            return float(r["value"]), f"data: {name} {year} = {r['value']:g} ({r['source']} {r['locator']})"
    return None, "not published"


def recent_growth_pct(ds: Dataset, district: str, start: int = cal.HISTORY_START,
                      end: int = cal.BASE_YEAR) -> tuple[float, str]:
    """The setter's urban 低保 CAGR ``start→end`` in %/年, or NaN with the reason."""
    first, _ = setter_figure(ds, district, "dibao_urban_standard", start)
    last, _ = setter_figure(ds, district, "dibao_urban_standard", end)
    if first is None or last is None or first <= 0:
        return math.nan, f"no {start} urban 低保 figure for setter {setter_of(ds, district)}"
    growth = ((last / first) ** (1 / (end - start)) - 1) * 100
    return growth, f"derived: setter {setter_of(ds, district)} urban 低保 CAGR {start}→{end} ({first:g}→{last:g})"
