"""The budget officer's question in one call: what does a standard change cost, per year and 2021–2025?

Two questions, each answered against two references:

* ``ratio``: "raise rural 低保 to X % of urban by year Y" — rural raised to at least urban × a ratio rising
  linearly to X % in Y (never below the reference's own rural path, never above urban; urban unchanged);
* ``growth``: "raise standard Z by g %/yr" — that standard grows g %/yr from its 2020 value.

Both act on the reference's standard paths directly (:func:`models.benefits_stage.benefit_paths`) and re-cost
them (:func:`models.budget_stage.run_budget`), so every other path — including the setter's baseline forecast —
stays exactly as in the reference.

References: the **current scenario** (what the user is looking at, e.g. the baseline or the plan path)
and the **freeze** preset (every standard held at its 2020 level). The answer is the cost of the variant
minus the cost of the reference, per year and summed over the plan years (万元). Against a reference that
already reaches the target the increment is 0 — the answer then says so and gives the year the reference
reaches it, instead of a bare "0 万元" (the old calculator compared only with the current scenario, whose
rural standard already converges above 90 % by 2025 in the Chongqing districts, so every answer was 0).
Where the programme is not costed the answer names why (:mod:`models.coverage`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models import benefits_stage, budget_stage, coverage, engine, presets
from models import budget as bu
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import resolve
from models.views import calendar as cal
from models.views import totals as vt

PLAN_YEARS = cal.PLAN_YEARS
GROWTH_KEYS = {
    "dibao_urban": "benefits.dibao_urban_growth_pct",
    "dibao_rural": "benefits.dibao_rural_growth_pct",
    "tekun": "benefits.tekun_growth_pct",
    "orphan": "benefits.orphan_growth_pct",
}
REFERENCES = ("current", "freeze")


@dataclass(frozen=True)
class Answer:
    """Increments by year against each reference (万元), their plan-period sums, and what they cover."""

    table: pd.DataFrame  # year, increment_vs_current, increment_vs_freeze (+ cost columns)
    sums: dict[str, float | None]  # reference -> 2021–2025 increment (None: not costed)
    reached: dict[str, int | None]  # reference -> first year its ratio reaches the target (ratio question)
    programme: str
    not_costed_reason: tuple[str, str] | None  # (zh, en) when the programme is not costed


def _references(scenario: sc.Scenario, ds: Dataset) -> dict[str, sc.Scenario]:
    freeze = presets.load_preset(scenario.district, "freeze", ds)
    return {"current": scenario, "freeze": sc.Scenario(**{**freeze.__dict__, "end_year": scenario.end_year})}


def ratio_paths(paths: pd.DataFrame, ratio_pct: float, year: int) -> pd.DataFrame:
    """Rural 低保 raised so that rural ≥ urban × ratio, the ratio rising linearly from the base year to
    ``ratio_pct`` in ``year`` (then held); never below the reference path, never above urban. Urban unchanged."""
    out = paths.copy()
    urban = out["dibao_urban_standard"].to_numpy(float)
    rural = out["dibao_rural_standard"].to_numpy(float)
    years = out["year"].to_numpy(float)
    start = rural[0] / urban[0] * 100
    frac = np.clip((years - years[0]) / max(year - years[0], 1), 0.0, 1.0)
    floor = urban * (start + (ratio_pct - start) * frac) / 100
    out["dibao_rural_standard"] = np.minimum(np.maximum(rural, floor), np.maximum(urban, rural))
    out["rural_urban_dibao_ratio"] = out["dibao_rural_standard"] / out["dibao_urban_standard"] * 100
    return out


def growth_paths(paths: pd.DataFrame, programme: str, growth_pct: float) -> pd.DataFrame:
    """One standard grows by ``growth_pct`` %/yr from its base-year value; every other path unchanged."""
    out = paths.copy()
    column = bu.STANDARD_COLUMN[programme]
    base = float(out[column].iloc[0])
    out[column] = base * (1 + growth_pct / 100) ** (out["year"].to_numpy(float) - float(out["year"].iloc[0]))
    if programme in ("dibao_urban", "dibao_rural"):
        out["rural_urban_dibao_ratio"] = out["dibao_rural_standard"] / out["dibao_urban_standard"] * 100
    return out


def _answer(scenario: sc.Scenario, ds: Dataset, programme: str, transform: Any,
            target_ratio: float | None = None) -> Answer:
    """Re-cost each reference with its standard paths changed by ``transform`` (paths -> paths): every
    benefit rule (the baseline forecast included) keeps its other paths exactly."""
    rows: dict[str, pd.Series] = {}
    reached: dict[str, int | None] = {}
    base_run = engine.run(resolve(scenario, ds), ds)
    for name, ref in _references(scenario, ds).items():
        res = resolve(ref, ds)
        paths = benefits_stage.benefit_paths(res, ds)
        ref_costs = budget_stage.run_budget(res, ds, paths)[0]
        if programme in bu.STANDARD_COLUMN and bu.STANDARD_COLUMN[programme] in paths:
            new_costs = budget_stage.run_budget(res, ds, transform(paths))[0]
        else:
            new_costs = ref_costs
        inc = bu.incremental(new_costs, ref_costs)
        rows[name] = vt.total_by_year(inc, "incremental_wan_yuan")
        rows[f"cost_{name}"] = new_costs.groupby("year")["cost_wan_yuan"].sum()
        if target_ratio is not None and "rural_urban_dibao_ratio" in paths:
            ratio = paths.set_index("year")["rural_urban_dibao_ratio"]
            hit = [int(y) for y, v in ratio.items() if v >= target_ratio - 1e-9]
            reached[name] = hit[0] if hit else None
    cov = coverage.coverage(base_run, ds)
    missing = {m["programme"]: (m["reason"], m["reason_en"]) for m in cov["not_costed"]}
    costed = programme in cov["costed"]  # a top-down total does not respond to one standard: not an answer
    table = pd.DataFrame({"year": base_run.resolved.years})
    for name in REFERENCES:
        table[f"increment_vs_{name}"] = table["year"].map(rows[name]).astype(float)
        table[f"cost_with_change_{name}"] = table["year"].map(rows[f"cost_{name}"]).astype(float)
    window = table[(table["year"] >= PLAN_YEARS[0]) & (table["year"] <= PLAN_YEARS[1])]
    sums = {name: float(window[f"increment_vs_{name}"].fillna(0).sum()) if costed else None for name in REFERENCES}
    return Answer(table, sums, reached, programme, None if costed else missing.get(programme))


def ratio_question(scenario: sc.Scenario, ds: Dataset, ratio_pct: float, year: int) -> Answer:
    """Cost of raising rural 低保 to ``ratio_pct`` % of urban by ``year``, vs current and vs freeze."""
    lo, hi = sc.param_range("benefits.target_ratio_pct", ds.assumptions)
    if not (lo <= ratio_pct <= hi):
        raise ShapanError("out_of_range", file="budget", key="target_ratio_pct", value=ratio_pct, min=lo, max=hi)
    return _answer(scenario, ds, "dibao_rural", lambda p: ratio_paths(p, float(ratio_pct), int(year)),
                   target_ratio=float(ratio_pct))


def growth_question(scenario: sc.Scenario, ds: Dataset, programme: str, growth_pct: float) -> Answer:
    """Cost of growing ``programme``'s standard by ``growth_pct`` %/yr, vs current and vs freeze."""
    if programme not in GROWTH_KEYS:
        raise ShapanError("unknown_key", file="budget", key=programme, allowed=", ".join(GROWTH_KEYS))
    key = GROWTH_KEYS[programme]
    lo, hi = sc.PARAMS[key].min, sc.PARAMS[key].max
    if not (lo <= growth_pct <= hi) or math.isnan(growth_pct):
        raise ShapanError("out_of_range", file="budget", key=key, value=growth_pct, min=lo, max=hi)
    return _answer(scenario, ds, programme, lambda p: growth_paths(p, programme, float(growth_pct)))
