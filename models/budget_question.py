"""The budget officer's question in one call: what does a standard change cost, per year and 2021–2025?

Two questions, each answered against two references:

* ``ratio``: "raise rural 低保 to X % of urban by year Y" — the convergence rule (rural never below its own
  growth path) on a copy of the reference scenario;
* ``growth``: "raise standard Z by g %/yr" — that standard's growth parameter set to g on a copy.

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

import pandas as pd

from models import budget as bu
from models import coverage, engine, presets
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import resolve

PLAN_YEARS = (2021, engine.PLAN_END_YEAR)
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


def _run(scenario: sc.Scenario, ds: Dataset) -> engine.RunResult:
    return engine.run(resolve(scenario, ds), ds)


def _references(scenario: sc.Scenario, ds: Dataset) -> dict[str, sc.Scenario]:
    freeze = presets.load_preset(scenario.district, "freeze", ds)
    return {"current": scenario, "freeze": sc.Scenario(**{**freeze.__dict__, "end_year": scenario.end_year})}


def _answer(scenario: sc.Scenario, ds: Dataset, programme: str, change: dict[str, Any],
            target_ratio: float | None = None) -> Answer:
    rows: dict[str, pd.Series] = {}
    reached: dict[str, int | None] = {}
    base_run = None
    for name, ref in _references(scenario, ds).items():
        ref_run = _run(ref, ds)
        base_run = ref_run if name == "current" else base_run
        new_run = _run(ref.with_params(**change), ds)
        inc = bu.incremental(new_run.budget, ref_run.budget)
        rows[name] = inc[inc["programme"] == bu.TOTAL].set_index("year")["incremental_wan_yuan"]
        rows[f"cost_{name}"] = new_run.budget.groupby("year")["cost_wan_yuan"].sum()
        if target_ratio is not None:
            ratio = ref_run.benefits.set_index("year").get("rural_urban_dibao_ratio")
            hit = [] if ratio is None else [int(y) for y, v in ratio.items() if v >= target_ratio - 1e-9]
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
    change = {"benefits.rule": "convergence", "benefits.target_ratio_pct": float(ratio_pct),
              "benefits.target_ratio_year": int(year)}
    return _answer(scenario, ds, "dibao_rural", change, target_ratio=float(ratio_pct))


def growth_question(scenario: sc.Scenario, ds: Dataset, programme: str, growth_pct: float) -> Answer:
    """Cost of growing ``programme``'s standard by ``growth_pct`` %/yr, vs current and vs freeze."""
    if programme not in GROWTH_KEYS:
        raise ShapanError("unknown_key", file="budget", key=programme, allowed=", ".join(GROWTH_KEYS))
    key = GROWTH_KEYS[programme]
    lo, hi = sc.PARAMS[key].min, sc.PARAMS[key].max
    if not (lo <= growth_pct <= hi) or math.isnan(growth_pct):
        raise ShapanError("out_of_range", file="budget", key=key, value=growth_pct, min=lo, max=hi)
    return _answer(scenario, ds, programme, {key: float(growth_pct)})
