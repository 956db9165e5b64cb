"""Goal-seek for confidence: the lever value that meets a target with probability ≥ p, in whole units.

:func:`models.targets.solve` finds the lever value at which the *deterministic* projection hits the
target exactly; with uncertainty around it that value meets the target only about half the time (the
issue's 565.56 beds a year ⇒ P(met) ≈ 50 %). :func:`solve_confidence` finds the smallest change of the
lever (in the direction that helps) for which the Monte Carlo P(met) (:func:`models.targets.monte_carlo`,
same seed for every trial = common random numbers, so P is a monotone step function of the lever) is at
least ``p_target`` (default 0.8, user-set), by bisection. Results are in whole units: beds for bed-count
levers (rounded in the direction that keeps the target met), and for a standard's growth lever the
implied standard in the target year in whole yuan. :func:`alternatives` says, for a target, what each
lever that can move it would need — so where one lever cannot reach a target, the page says what would.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from models import benefits_stage
from models import scenario as sc
from models import targets as tg
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import Resolved

WHOLE_BED_LEVERS = {"beds_built_per_year", "nursing_conversion_per_year", "social_transfer_per_year"}
STANDARD_OF_LEVER = {
    "dibao_rural_growth": "dibao_rural_standard",
    "dibao_urban_growth": "dibao_urban_standard",
    "tekun_growth": "tekun_standard",
    "orphan_growth": "orphan_standard",
    "ratio_drift": "dibao_rural_standard",  # under the baseline the setter's ratio step moves the rural standard
    "baseline_growth": "dibao_urban_standard",
}
SHARE_DECIMALS = 2  # other levers (%, %/yr) are reported to 0.01, rounded in the safe direction


def _target(res: Resolved, ds: Dataset, indicator: str, target: float | None, year: int | None
            ) -> tuple[float, int, str]:
    row = tg.target_row(ds, res.district, indicator, year)
    return (float(row["value"]) if target is None else float(target), int(row["year"]) if year is None else year,
            str(row["comparator"]))


def probability(res: Resolved, ds: Dataset, indicator: str, year: int, comparator: str, target: float,
                n: int, seed: int) -> float:
    """Monte Carlo P(target met) for one resolved scenario (fixed seed: common random numbers)."""
    draws = tg.monte_carlo(res, ds, n=n, seed=seed)
    if indicator not in draws:
        raise ShapanError("not_modelled", indicator=indicator)
    values = draws[indicator][:, list(draws["year"]).index(year)]
    return float(np.mean(tg.meets(values, comparator, target)))


def _round(lever: str, value: float, up: bool) -> float:
    if lever in WHOLE_BED_LEVERS:
        return float(math.ceil(value - 1e-9) if up else math.floor(value + 1e-9))
    scale = 10**SHARE_DECIMALS
    return (math.ceil(value * scale - 1e-9) if up else math.floor(value * scale + 1e-9)) / scale


def _implied_standard(res: Resolved, ds: Dataset, lever: str, value: float, year: int, up: bool) -> float | None:
    column = STANDARD_OF_LEVER.get(lever)
    if column is None or not benefits_stage.has_benefits(ds, res.district):
        return None
    paths = benefits_stage.benefit_paths(tg.with_values(res, **{tg.LEVERS[lever]: value}), ds).set_index("year")
    raw = float(paths.loc[year, column])
    return float(math.ceil(raw - 1e-9) if up else math.floor(raw + 1e-9))


def solve_confidence(res: Resolved, ds: Dataset, indicator: str, lever: str, *, p_target: float = 0.8,
                     n: int | None = None, seed: int | None = None, target: float | None = None,
                     year: int | None = None) -> dict[str, Any]:
    """Exact-hit value and the whole-unit lever value giving P(met) ≥ ``p_target``."""
    if lever not in tg.LEVERS:
        raise ShapanError("unknown_lever", lever=lever, allowed=", ".join(tg.LEVERS))
    if not 0 < p_target < 1:
        raise ShapanError("out_of_range", file="goal-seek", key="p_target", value=p_target, min="0 (不含)",
                          max="1 (不含)")
    target, year, comparator = _target(res, ds, indicator, target, year)
    n = int(res["uncertainty.draws"] if n is None else n)
    seed = res.scenario.seed if seed is None else seed
    key = tg.LEVERS[lever]
    lo, hi = (float(v) for v in sc.param_range(key, ds.assumptions))
    project = tg.projector(res, ds, indicator, year)
    rising = project(tg.with_values(res, **{key: hi})) >= project(tg.with_values(res, **{key: lo}))
    up = rising == (comparator != "<=")  # raising the lever helps meet the target

    def p_of(x: float) -> float:
        return probability(tg.with_values(res, **{key: x}), ds, indicator, year, comparator, target, n, seed)

    best = hi if up else lo
    p_best = p_of(best)
    out: dict[str, Any] = {"lever": lever, "parameter": key, "indicator": indicator, "year": year,
                           "target": target, "comparator": comparator, "p_target": p_target, "draws": n,
                           "seed": seed, "current": res[key], "p_current": p_of(res[key])}
    try:
        exact = tg.solve(res, ds, indicator, lever, target=target, year=year)["value"]
        out.update(exact=exact, exact_whole=_round(lever, exact, up), p_at_exact=p_of(exact))
    except ShapanError:
        out.update(exact=None, exact_whole=None, p_at_exact=None)
    if p_best < p_target:
        out.update(value=None, p_at_value=p_best, reachable=False, best_value=best)
        return out
    good, bad = best, (lo if up else hi)  # invariant: p(good) >= p_target > p(bad) unless bad already good
    if p_of(bad) >= p_target:
        good = bad
    else:
        tol = 0.5 if lever in WHOLE_BED_LEVERS else 10**-(SHARE_DECIMALS + 1)
        while abs(good - bad) > tol:
            mid = (good + bad) / 2
            good, bad = (mid, bad) if p_of(mid) >= p_target else (good, mid)
    value = min(max(_round(lever, good, up), lo), hi)
    out.update(value=value, p_at_value=p_of(value), reachable=True,
               implied_standard_yuan=_implied_standard(res, ds, lever, value, year, up))
    return out


def alternatives(res: Resolved, ds: Dataset, indicator: str, year: int | None = None) -> list[dict[str, Any]]:
    """For each lever that moves ``indicator``: the exact value that meets its target, or why none does."""
    rows = []
    for lever in tg.levers_for(indicator):
        try:
            found = tg.solve(res, ds, indicator, lever, year=year)
            up = found["value"] >= found["current"]
            rows.append({"lever": lever, "value": _round(lever, found["value"], up), "reachable": True})
        except ShapanError as err:
            rows.append({"lever": lever, "value": None, "reachable": False, "reason": err.message("zh"),
                         "reason_en": err.message("en")})
    return rows
