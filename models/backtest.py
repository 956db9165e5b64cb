"""Backtest: actual values against the plan's targets (met / missed, with the shortfall).

Actuals arrive as CSV (UTF-8, UTF-8 with BOM or GBK) or xlsx with columns ``indicator, year, value``
and optionally ``source``. Every problem names the file, row and column. When only the two 低保
standards are given for a year, the rural/urban ratio is derived from them (and marked ``derived``).

Shortfall is how far the actual falls short of the target in the target's unit: ``target − actual`` for
``>=`` targets, ``actual − target`` for ``<=`` targets; 0 when met.
"""

from __future__ import annotations

import math

import pandas as pd

from models.data import Dataset
from models.errors import ShapanError
from models.table_input import read_table
from models.targets import meets
from models.views import calendar as cal

REQUIRED = ["indicator", "year", "value"]
OPTIONAL = ["source"]
YEARS = cal.MODEL_YEARS
BACKTEST_COLUMNS = [
    "indicator",
    "year",
    "target",
    "comparator",
    "actual",
    "met",
    "shortfall",
    "unit",
    "binding",
    "locator",
    "actual_source",
]


def _text(value: object) -> str:
    """A text cell as typed: blank for None / NaN / NA (an editor's empty cell), else stripped."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def read_actuals(data: bytes, file: str, ds: Dataset, district: str) -> pd.DataFrame:
    """Parse and validate an actuals file; returns columns indicator, year, value, source, kind."""
    ds.district(district)
    return read_actuals_frame(read_table(data, file), file, ds, district)


def read_actuals_frame(frame: pd.DataFrame, file: str, ds: Dataset, district: str) -> pd.DataFrame:
    """Validate actuals already in a table of text (or numeric) cells: the one validator behind
    :func:`read_actuals` (files) and the retrospective page's editor (typed rows, shown as typed)."""
    ds.district(district)
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ShapanError("missing_columns", file=file, columns=", ".join(missing))
    unknown = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise ShapanError("unknown_columns", file=file, columns=", ".join(unknown))
    if frame.empty:
        raise ShapanError("file_empty", file=file)
    known = set(ds.meta["indicator"])
    rows = []
    for i, r in enumerate(frame.itertuples(index=False), start=2):
        indicator = str(r.indicator).strip()
        if indicator not in known:
            raise ShapanError(
                "bad_value", file=file, row=i, column="indicator", value=indicator, reason="未知指标/unknown indicator"
            )
        try:
            year = float(str(r.year).strip())
        except ValueError:
            year = math.nan
        if not (year.is_integer() and YEARS[0] <= year <= YEARS[1]) if math.isfinite(year) else True:
            raise ShapanError(
                "bad_value", file=file, row=i, column="year", value=r.year, reason=f"{YEARS[0]}–{YEARS[1]}"
            )
        text = str(r.value).strip().replace(",", "").rstrip("%")
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0 or value > 1e9:
            raise ShapanError(
                "bad_value",
                file=file,
                row=i,
                column="value",
                value=r.value,
                reason="需为0–1e9的数字/a number between 0 and 1e9",
            )
        rows.append(
            {
                "indicator": indicator,
                "year": int(year),
                "value": value,
                "source": _text(getattr(r, "source", "")),
                "kind": "actual",
                "_row": i,
            }
        )
    out = pd.DataFrame(rows)
    dup = out.duplicated(["indicator", "year"], keep=False)
    if dup.any():
        lines = out.loc[dup, "_row"].tolist()
        raise ShapanError(
            "duplicate_row",
            file=file,
            row=lines[1],
            other=lines[0],
            key=f"{out.loc[dup, 'indicator'].iloc[0]}/{out.loc[dup, 'year'].iloc[0]}",
        )
    return _derive_ratio(out.drop(columns="_row"))


def _derive_ratio(actuals: pd.DataFrame) -> pd.DataFrame:
    extra = []
    for year, grp in actuals.groupby("year"):
        have = dict(zip(grp["indicator"], grp["value"], strict=True))
        both = {"dibao_urban_standard", "dibao_rural_standard"} <= set(have)
        if "rural_urban_dibao_ratio" not in have and both and have["dibao_urban_standard"] > 0:
            extra.append(
                {
                    "indicator": "rural_urban_dibao_ratio",
                    "year": int(year),
                    "value": have["dibao_rural_standard"] / have["dibao_urban_standard"] * 100,
                    "source": "derived: rural ÷ urban 低保 standard",
                    "kind": "derived",
                }
            )
    return pd.concat([actuals, pd.DataFrame(extra)], ignore_index=True) if extra else actuals


def backtest(ds: Dataset, district: str, actuals: pd.DataFrame) -> pd.DataFrame:
    """Each numeric target with an actual for its year: met, shortfall."""
    ind = ds.indicators_for(district)
    targets = ind[(ind["kind"] == "target") & ind["value"].notna() & ind["comparator"].isin([">=", "<=", "="])]
    have = {(r.indicator, int(r.year)): r for r in actuals.itertuples()}
    rows = []
    for t in targets.itertuples():
        actual = have.get((t.indicator, int(t.year)))
        if actual is None:
            continue
        ok = bool(meets(actual.value, t.comparator, t.value))
        if ok:
            shortfall = 0.0
        elif t.comparator == ">=":
            shortfall = t.value - actual.value
        elif t.comparator == "<=":
            shortfall = actual.value - t.value
        else:
            shortfall = abs(actual.value - t.value)
        rows.append(
            {
                "indicator": t.indicator,
                "year": int(t.year),
                "target": float(t.value),
                "comparator": t.comparator,
                "actual": float(actual.value),
                "met": ok,
                "shortfall": shortfall,
                "unit": t.unit,
                "binding": t.binding,
                "locator": t.locator,
                "actual_source": actual.source,
            }
        )
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)
