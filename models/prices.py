"""Prices: CPI by year (published up to the base year, an assumption after it) and real-terms costs.

Data: ``data/reference/cpi.csv`` (year, region, cpi_pct, status, source, locator), the annual change of
the consumer price index as published by 国家统计局 (全国居民消费价格比上年上涨 x%). A district uses its
province's rows when the table has them (``region`` = ``districts.csv`` province without 省/市), else the
national rows (``China``), and says so.

Forecasting rule: a run at base year B uses the published CPI only for years ≤ B; every year after B
takes the assumption ``benefits.cpi_inflation_pct`` (default: the 2016–2020 mean, see
``data/assumptions.toml``), even when a later figure has been published since.

Price index at base-year prices::

    index(B) = 1,  index(t) = index(t − 1) × (1 + cpi(t) / 100)   for t > B
    real(t)  = nominal(t) / index(t)

Example: cpi 2021 = 2022 = 2.2 % → index 2022 = 1.022² = 1.044484; 100 万元 in 2022 is 95.74 万元 at 2020
prices.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.data import Dataset
from models.errors import ShapanError

NATIONAL = "China"
INDEX_COLUMNS = ["year", "cpi_pct", "basis", "source", "index"]
CPI_RANGE = (-50.0, 100.0)


@dataclass(frozen=True)
class CpiRegion:
    region: str
    note_zh: str
    note_en: str


def _province_region(province: str) -> str:
    return {"重庆市": "Chongqing", "江西省": "Jiangxi"}.get(province, province)


def cpi_region(ds: Dataset, district: str) -> CpiRegion:
    """The CPI region used for ``district``: its province if ``cpi.csv`` has it, else national."""
    table = ds.reference("cpi")
    province = str(ds.district(district)["province"])
    region = _province_region(province)
    if (table["region"] == region).any():
        return CpiRegion(region, f"{province}居民消费价格", f"{region} CPI")
    return CpiRegion(NATIONAL, f"全国居民消费价格（{province}的省级数未收入）",
                     f"national CPI ({region}'s own figures not in data)")


def published(ds: Dataset, region: str = NATIONAL) -> pd.DataFrame:
    """Published CPI rows of ``region`` (year, cpi_pct, source), sorted by year."""
    table = ds.reference("cpi")
    rows = table[table["region"] == region][["year", "cpi_pct", "source"]]
    return rows.astype({"year": int, "cpi_pct": float}).sort_values("year").reset_index(drop=True)


def history_mean_pct(ds: Dataset, start: int, end: int, region: str = NATIONAL) -> float:
    """Geometric mean annual CPI change over ``start..end`` (inclusive) from the published rows."""
    rows = published(ds, region)
    window = rows[(rows["year"] >= start) & (rows["year"] <= end)]
    if len(window) != end - start + 1:
        raise ShapanError("generic", detail=f"cpi.csv: {region} {start}–{end} incomplete / CPI数据不全")
    return float((np.prod(1 + window["cpi_pct"].to_numpy() / 100.0) ** (1 / len(window)) - 1) * 100.0)


def index_frame(ds: Dataset, district: str, years: Sequence[int], base_year: int,
                future_pct: float) -> pd.DataFrame:
    """CPI and price index (base year = 1) for ``years`` (the first must be ``base_year``).

    Columns :data:`INDEX_COLUMNS`: ``basis`` is ``published`` (a year ≤ base year with a published figure)
    or ``assumption`` (after the base year: ``future_pct``); ``source`` the source id or ``assumption``.
    The base year's own CPI is reported but does not enter the index (index = 1 at base-year prices).
    """
    if not math.isfinite(future_pct) or not CPI_RANGE[0] <= future_pct <= CPI_RANGE[1]:
        raise ShapanError("out_of_range", file="scenario", key="benefits.cpi_inflation_pct", value=future_pct,
                          min=CPI_RANGE[0], max=CPI_RANGE[1])
    years = [int(y) for y in years]
    if not years or years[0] != base_year or years != list(range(years[0], years[0] + len(years))):
        raise ShapanError("generic", detail=f"price index years must run on from the base year {base_year} "
                                            f"/ 价格指数年份须从基期{base_year}年起连续")
    rows = published(ds, cpi_region(ds, district).region)
    known = {int(r.year): (float(r.cpi_pct), str(r.source)) for r in rows.itertuples() if r.year <= base_year}
    out, level = [], 1.0
    for year in years:
        if year <= base_year and year in known:
            pct, basis, source = known[year][0], "published", known[year][1]
        elif year <= base_year:
            pct, basis, source = math.nan, "not_published", ""
        else:
            pct, basis, source = future_pct, "assumption", "assumption"
        if year > base_year:
            level *= 1 + pct / 100.0
        out.append({"year": year, "cpi_pct": pct, "basis": basis, "source": source, "index": level})
    return pd.DataFrame(out, columns=INDEX_COLUMNS)


def real_terms(costs: pd.DataFrame, index: pd.DataFrame, value: str = "cost_wan_yuan",
               out: str = "cost_real_wan_yuan") -> pd.DataFrame:
    """``costs`` with ``out`` = ``value`` ÷ index(year) (base-year prices); a year without an index is NaN."""
    frame = costs.copy()
    factor = frame["year"].astype(int).map(dict(zip(index["year"].astype(int), index["index"], strict=True)))
    frame[out] = frame[value].astype(float) / factor.astype(float)
    return frame


def cpi_by_year(index: pd.DataFrame) -> dict[int, float]:
    """``{year: cpi_pct}`` for the years with a value (published or assumed)."""
    return {int(r.year): float(r.cpi_pct) for r in index.itertuples() if math.isfinite(r.cpi_pct)}


# ------------------------------------------------------------------------------------------- for a run


def run_index(result: Any, ds: Dataset) -> pd.DataFrame:
    """:func:`index_frame` for a :class:`models.engine.RunResult` (its district, years, base year and
    ``benefits.cpi_inflation_pct``)."""
    res = result.resolved
    return index_frame(ds, res.district, res.years, res.scenario.base_year, res["benefits.cpi_inflation_pct"])


def run_real_budget(result: Any, ds: Dataset) -> pd.DataFrame:
    """The run's budget with ``cost_real_wan_yuan`` (base-year prices)."""
    return real_terms(result.budget, run_index(result, ds))


def period_totals(real_costs: pd.DataFrame, start: int, end: int) -> dict[str, float | None]:
    """Nominal and real totals over ``start..end`` (万元); ``None`` when nothing is costed (never 0)."""
    if real_costs.empty:
        return {"nominal": None, "real": None}
    window = real_costs[(real_costs["year"] >= start) & (real_costs["year"] <= end)]
    if window.empty:
        return {"nominal": None, "real": None}
    return {"nominal": float(window["cost_wan_yuan"].sum()), "real": float(window["cost_real_wan_yuan"].sum())}


def basis_text(index: pd.DataFrame, region: CpiRegion, lang: str = "zh", ds: Dataset | None = None) -> str:
    """One line saying which prices the real figures are in and where each year's CPI comes from (the
    source's issuer when ``ds`` is given, else its id)."""
    base = int(index["year"].iloc[0])
    assumed = index[index["basis"] == "assumption"]
    pct = float(assumed["cpi_pct"].iloc[0]) if len(assumed) else math.nan
    span = f"{int(assumed['year'].min())}–{int(assumed['year'].max())}" if len(assumed) else ""
    base_row = index.iloc[0]
    source = base_row["source"]
    if ds is not None and source in ds.sources:
        source = ds.sources[source].get("issuer") or source
    if lang == "zh":
        text = f"实际值按{base}年价格（{region.note_zh}）"
        if base_row["basis"] == "published":
            text += f"；{base}年CPI上涨{base_row['cpi_pct']:g}%（{source}）"
        if span:
            text += f"；{span}年CPI按假设{pct:g}%/年（基期前的历史均值，可在参数中修改）"
        return text + "。"
    text = f"Real figures at {base} prices ({region.note_en})"
    if base_row["basis"] == "published":
        text += f"; {base} CPI +{base_row['cpi_pct']:g}% ({source})"
    if span:
        text += f"; {span} CPI assumed at {pct:g}%/yr (mean before the base year; editable)"
    return text + "."


def run_payload(result: Any, ds: Dataset, start: int, end: int) -> dict[str, Any]:
    """What ``shapan run --json`` reports about prices: the index, the real budget and the period totals."""
    index = run_index(result, ds)
    real = real_terms(result.budget, index)
    region = cpi_region(ds, result.resolved.district)
    by_prog: dict[str, dict[int, float]] = {}
    for row in real.itertuples():
        by_prog.setdefault(row.programme, {})[int(row.year)] = float(row.cost_real_wan_yuan)
    return {
        "budget_real": by_prog,
        "prices": {
            "base_year": int(index["year"].iloc[0]),
            "region": region.region,
            "basis": basis_text(index, region, "zh", ds),
            "basis_en": basis_text(index, region, "en", ds),
            "cpi": {int(r.year): {"cpi_pct": None if not math.isfinite(r.cpi_pct) else float(r.cpi_pct),
                                  "basis": r.basis, "source": r.source, "index": float(r.index)}
                    for r in index.itertuples()},
        },
        "budget_totals": {"start": start, "end": end, **period_totals(real, start, end)},
    }
