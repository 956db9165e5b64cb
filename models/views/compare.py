"""The compare page's tables (方案对比): key indicators, target statuses, parameter differences, cost paths.

Each compared scenario is a :class:`Compared` (its display name, column header — name and hash — the
resolved scenario, the run and its target registry). The functions return frames with stable column ids
plus one column per scenario header; the page translates the ids and renders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from models import budget as bu
from models import coverage, labels, target_modes
from models import scenario as sc
from models.reporting.content import target_text
from models.views import calendar as cal
from models.views import fmt, totals

KEY_INDICATORS = ("population_60plus", "beds_per_1000_elderly", "nursing_bed_share",
                  "rural_urban_dibao_ratio", "dibao_urban_standard", "dibao_rural_standard", "tekun_standard")


@dataclass(frozen=True)
class Compared:
    """One compared scenario: display name, column header, resolved scenario, run, target registry."""

    name: str
    header: str
    res: Any
    run: Any
    targets: pd.DataFrame


def budget_total(run: Any) -> float:
    """14th-plan (2021–2025) budget total in 万元; NaN (shown blank, the coverage caption says why) when nothing
    is costed."""
    total = coverage.total_or_none(run.budget, *cal.PLAN_YEARS)
    return math.nan if total is None else total


def available(cols: list[Compared]) -> list[str]:
    """Key indicators at least one scenario projects."""
    return [i for i in KEY_INDICATORS if any(i in c.run.series for c in cols)]


def indicator_rows(cols: list[Compared], ds: Any, lang: str, budget_label: str, budget_unit: str) -> pd.DataFrame:
    """Key indicators at the plan's end year and the first scenario's end year, then the 2021–2025 budget."""
    units = dict(zip(ds.meta["indicator"], ds.meta["unit"], strict=True))
    years = (cal.PLAN_END_YEAR, cols[0].res.scenario.end_year)
    rows = [{"label": ds.label(i, lang), "year": year, "unit": units.get(i, ""),
             **{c.header: c.run.series.get(i, {}).get(year, math.nan) for c in cols}}
            for i in available(cols) for year in years]
    rows.append({"label": budget_label, "year": cal.PLAN_END_YEAR, "unit": budget_unit,
                 **{c.header: budget_total(c.run) for c in cols}})
    return pd.DataFrame(rows)


def status_rows(cols: list[Compared], ds: Any, lang: str, show_all: bool) -> pd.DataFrame:
    """One row per target of the first scenario (label, year, target, binding) and its status word in each
    scenario; without ``show_all`` only rows judged in at least one scenario."""
    first = cols[0].targets
    statuses = pd.DataFrame({c.header: c.targets["display_status"].to_list() for c in cols})
    keep = statuses.isin(target_modes.JUDGED).any(axis=1).to_numpy() if not show_all else [True] * len(first)
    first, statuses = first[keep], statuses[keep]
    return pd.DataFrame({
        "label": [ds.label(i, lang) for i in first["indicator"]],
        "year": first["year"].to_list(),
        "target": [target_text(r, lang, ds) for r in first.itertuples()],
        "binding": [labels.label("binding", b, lang) if labels.has("binding", b) and b else ""
                    for b in first["binding"]],
        **{h: [labels.label("status", s, lang) for s in statuses[h]] for h in statuses.columns},
    })


def value_text(value: Any, yes: str, no: str) -> str:
    """A parameter value in a table whose rows have different units: six significant digits, words for
    yes/no, "—" when missing."""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, int | float):
        return fmt.significant(value)
    return fmt.NO_VALUE if value is None else str(value)


def parameter_rows(cols: list[Compared], lang: str, assumptions: Any, yes: str, no: str) -> pd.DataFrame:
    """Resolved parameters whose shown values differ between the scenarios (label, key, one column each)."""
    base = dict(cols[0].res.values)
    keys = sorted({k for c in cols[1:] for k, _, _ in sc.diff(base, dict(c.res.values))})
    # sc.diff reports NaN vs NaN (parameters with no value, e.g. unpublished caseloads) as a difference
    keys = [k for k in keys if len({value_text(c.res.values.get(k), yes, no) for c in cols}) > 1]
    return pd.DataFrame([{"param": sc.param_label(k, lang, assumptions), "key": k,
                          **{c.header: value_text(c.res.values.get(k), yes, no) for c in cols}} for k in keys],
                        columns=["param", "key", *(c.header for c in cols)])


def path_frame(cols: list[Compared], indicator: str) -> pd.DataFrame:
    """The indicator's path in every scenario (year, series = scenario name, value)."""
    return pd.DataFrame([{"year": y, "series": c.name, "value": v}
                         for c in cols for y, v in c.run.series.get(indicator, {}).items()],
                        columns=["year", "series", "value"])


def cost_frame(cols: list[Compared]) -> pd.DataFrame:
    """Yearly budget total of every scenario and its difference from the first (series, header, year,
    cost_wan_yuan, incremental_wan_yuan); empty when nothing is costed."""
    reference = cols[0].run.budget
    frames = [totals.total_rows(bu.incremental(c.run.budget, reference)).assign(series=c.name, header=c.header)
              for c in cols]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
