"""Targets: status of every plan target, required growth, goal-seek, Monte Carlo probability.

Modes and statuses of targets (modelled / derived / tracked / rule / needs_input / not_modelled; met /
on_track / at_risk / off_track for future targets, achieved / missed for past ones) are documented and
computed in :mod:`models.target_modes`; :func:`evaluate` delegates to it, :func:`assess` adds the scenario's
own Monte Carlo (the one basis every surface shows). The status rules for a projected value live in
:mod:`models.target_rules` (re-exported here).

Goal-seek (:func:`solve`) finds, with :func:`scipy.optimize.brentq`, the value of one lever (a scenario
parameter) at which the projection equals the target exactly. Monte Carlo (:func:`monte_carlo`) draws the
uncertain parameters with a seeded ``numpy.random.Generator`` and projects all draws at once (vectorised).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from models import beds as bd
from models import beds_stage, benefits_stage, engine, population_stage, target_modes
from models import benefits as bn
from models import forecast as fc
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import Resolved
from models.target_rules import AT_RISK_MARGIN as AT_RISK_MARGIN
from models.target_rules import P_AT_RISK as P_AT_RISK
from models.target_rules import P_ON_TRACK as P_ON_TRACK
from models.target_rules import STATUS_ORDER as STATUS_ORDER
from models.target_rules import STATUSES as STATUSES
from models.target_rules import TARGET_COLUMNS as TARGET_COLUMNS
from models.target_rules import meets as meets
from models.target_rules import required_growth_pct as required_growth_pct
from models.target_rules import sort_by_status as sort_by_status
from models.target_rules import status_of as status_of
from models.views import calendar as cal

LEVERS = {
    "dibao_rural_growth": "benefits.dibao_rural_growth_pct",
    "dibao_urban_growth": "benefits.dibao_urban_growth_pct",
    "tekun_growth": "benefits.tekun_growth_pct",
    "ratio_drift": "benefits.baseline_ratio_drift_pp",
    "baseline_growth": "benefits.baseline_long_run_growth_pct",
    "orphan_growth": "benefits.orphan_growth_pct",
    "beds_built_per_year": "beds.beds_built_per_year",
    "nursing_share_of_new_beds": "beds.nursing_share_of_new_beds_pct",
    "social_share_of_new_beds": "beds.social_share_of_new_beds_pct",
    "nursing_conversion_per_year": "beds.nursing_conversion_per_year",
    "social_transfer_per_year": "beds.social_transfer_per_year",
}
BASELINE_LEVERS = ("ratio_drift", "baseline_growth")
LEVER_TARGETS = {  # which levers can move which projected indicator (goal-seek offers only these)
    "dibao_urban_standard": ("dibao_urban_growth", "baseline_growth"),
    "dibao_rural_standard": ("dibao_rural_growth", "ratio_drift", "baseline_growth"),
    "rural_urban_dibao_ratio": ("dibao_rural_growth", "dibao_urban_growth", "ratio_drift"),
    "tekun_standard": ("tekun_growth", "baseline_growth"),
    "orphan_standard": ("orphan_growth",),
    "elderly_beds": ("beds_built_per_year",),
    "beds_per_1000_elderly": ("beds_built_per_year",),
    # issue 12's levers on the existing stock: conversion to nursing beds, 公建民营 transfer
    "nursing_bed_share": ("nursing_share_of_new_beds", "nursing_conversion_per_year", "beds_built_per_year"),
    "social_operated_bed_share": ("social_share_of_new_beds", "social_transfer_per_year", "beds_built_per_year"),
    "gov_operated_bed_share": ("social_share_of_new_beds", "social_transfer_per_year", "beds_built_per_year"),
}


def levers_for(indicator: str, rule: str | None = None) -> list[str]:
    """The levers that can move ``indicator`` (:data:`LEVER_TARGETS`; models.targets.moving_levers
    checks on a scenario that each one does).

    Under ``rule = "baseline"`` the standards follow the setter's forecast, moved by the setter's levers
    (ratio drift, long-run growth), not by the district's growth rates."""
    names = list(LEVER_TARGETS.get(indicator, ()))
    if indicator in BENEFIT_IDS:
        baseline = rule in fc.SETTER_RULES
        names = [n for n in names if (n in BASELINE_LEVERS) == baseline]
    return names


BEDS_IDS = {
    "elderly_beds",
    "beds_per_1000_elderly",
    "nursing_bed_share",
    "social_operated_bed_share",
    "gov_operated_bed_share",
}
BENEFIT_IDS = {
    "dibao_urban_standard",
    "dibao_rural_standard",
    "rural_urban_dibao_ratio",
    "tekun_standard",
    "orphan_standard",
}
# -------------------------------------------------------------------------------------------- goal-seek


def with_values(res: Resolved, **values: Any) -> Resolved:
    """A resolved scenario with some parameters replaced (validated); the hash is recomputed by the caller."""
    merged = dict(res.values)
    for key, value in values.items():
        merged[key] = value
    return dataclasses.replace(res, values=sc.FrozenDict(merged))


def projector(res: Resolved, ds: Dataset, indicator: str, year: int) -> Callable[[Resolved], float]:
    """A fast function resolved-scenario → projected value, running only the model the indicator needs."""
    if indicator in BENEFIT_IDS:
        if not benefits_stage.has_benefits(ds, res.district):
            raise ShapanError("not_modelled", indicator=indicator)
        index = res.years.index(year)
        return lambda r: float(benefits_stage.benefit_paths(r, ds)[indicator].iloc[index])
    if indicator in BEDS_IDS:
        population = population_stage.run_population(res, ds)
        if beds_stage.bed_params(res, ds) is None:
            raise ShapanError("not_modelled", indicator=indicator)

        index = res.years.index(year)

        def beds_value(r: Resolved) -> float:
            return float(beds_stage.run_beds(r, ds, population)[indicator].iloc[index])

        return beds_value
    raise ShapanError("not_modelled", indicator=indicator)


def target_row(ds: Dataset, district: str, indicator: str, year: int | None = None) -> pd.Series:
    ind = ds.indicators_for(district)
    rows = ind[
        (ind["indicator"] == indicator)
        & (ind["kind"] == "target")
        & ind["value"].notna()
        & ind["comparator"].isin([">=", "<=", "="])
    ]
    if year is not None:
        rows = rows[rows["year"] == year]
    rows = rows[rows["year"] > cal.BASE_YEAR]
    if rows.empty:
        allowed = sorted(
            set(ind.loc[(ind["kind"] == "target") & ind["value"].notna() & (ind["year"] > cal.BASE_YEAR), "indicator"])
        )
        raise ShapanError("unknown_indicator", indicator=indicator, allowed=", ".join(allowed))
    return rows.sort_values("year").iloc[0]


def solve(
    res: Resolved, ds: Dataset, indicator: str, lever: str, *, target: float | None = None, year: int | None = None
) -> dict[str, Any]:
    """Lever value at which the projection of ``indicator`` equals its target exactly (brentq)."""
    if lever not in LEVERS:
        raise ShapanError("unknown_lever", lever=lever, allowed=", ".join(LEVERS))
    key = LEVERS[lever]
    if target is None or year is None:
        row = target_row(ds, res.district, indicator, year)
        target = float(row["value"]) if target is None else target
        year = int(row["year"])
    project = projector(res, ds, indicator, year)
    lo, hi = sc.param_range(key, ds.assumptions)
    lo, hi = float(lo), float(hi)

    def gap(x: float) -> float:
        return project(with_values(res, **{key: x})) - target

    f_lo, f_hi = gap(lo), gap(hi)
    if not f_lo * f_hi <= 0:  # also when the projection is NaN (base figure not published)
        raise ShapanError(
            "no_solution",
            lever_zh=sc.param_label(key, "zh", ds.assumptions),
            lever_en=sc.param_label(key, "en", ds.assumptions),
            indicator_zh=ds.label(indicator, "zh"),
            indicator_en=ds.label(indicator, "en"),
            low=lo,
            high=hi,
            detail=f"{year}: {f_lo + target:.4g} … {f_hi + target:.4g} / {target:g}"
            if not (math.isnan(f_lo) or math.isnan(f_hi))
            else f"{year}: 基期数值未公布，无法预测 / no published base figure",
        )
    value = float(brentq(gap, lo, hi, xtol=1e-6, rtol=1e-10, maxiter=200))
    achieved = project(with_values(res, **{key: value}))
    return {
        "lever": lever,
        "parameter": key,
        "value": value,
        "achieved": achieved,
        "target": target,
        "indicator": indicator,
        "year": year,
        "current": res[key],
    }


# ------------------------------------------------------------------------------------------ Monte Carlo


def draw_parameters(res: Resolved, n: int, seed: int) -> dict[str, np.ndarray]:
    """Uncertain parameters, one stream per parameter from ``SeedSequence(seed)`` (reproducible)."""
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    sd_g = res["uncertainty.growth_sd_pct"]
    return {
        "dibao_urban_growth_pct": np.clip(streams[0].normal(res["benefits.dibao_urban_growth_pct"], sd_g, n), -50, 100),
        "dibao_rural_growth_pct": np.clip(streams[1].normal(res["benefits.dibao_rural_growth_pct"], sd_g, n), -50, 100),
        "mortality_multiplier": np.clip(
            streams[2].normal(res["population.mortality_multiplier"], res["uncertainty.mortality_sd"], n), 0.5, 1.5
        ),
        "delivery_factor": np.clip(streams[3].normal(1.0, res["uncertainty.beds_delivery_sd_pct"] / 100, n), 0, 3),
        "pop_base_factor": np.exp(streams[4].normal(0.0, res["uncertainty.pop_base_sd_pct"] / 100, n)),
        "share_65_of_60_pct": np.clip(
            streams[5].normal(res["population.share_65_of_60_pct"], res["uncertainty.age_shape_sd_pp"], n), 40, 95
        ),
    }


def baseline_draws(res: Resolved, ds: Dataset, n: int, seed: int) -> dict[str, np.ndarray]:
    """Draws of the setter's standards under ``benefits.rule = "baseline"`` (:func:`models.forecast.draws`).

    The stream is keyed by the seed only (not the district), so districts of one setter get identical
    draws: they share one path in every draw, not only in the median."""
    out = fc.draws(benefits_stage.setter_params(res, ds), benefits_stage.forecast_uncertainty(res), n, seed)
    out.pop("inputs")
    out.pop("year")
    return out



def bed_draws(res: Any, ds: Dataset, delivery_factor: np.ndarray, pop_60plus: np.ndarray) -> dict[str, np.ndarray]:
    """Bed series per draw (supply under each draw's delivery factor, per 1,000 of that draw's 60+); empty
    when the district has no bed data. Shared by :func:`monte_carlo` and :func:`models.rebase.draws`."""
    params = beds_stage.bed_params(res, ds)
    if params is None:
        return {}
    supply = bd.supply_draws(params, delivery_factor)
    out = {"elderly_beds": supply["elderly_beds"], "beds_per_1000_elderly": supply["elderly_beds"] / pop_60plus * 1000}
    for key in ("nursing_bed_share", "social_operated_bed_share", "gov_operated_bed_share"):
        out[key] = supply[key]
    return out


def monte_carlo(res: Resolved, ds: Dataset, n: int | None = None, seed: int | None = None) -> dict[str, np.ndarray]:
    """Draws of every projected indicator, arrays (n, years), plus ``"year"``."""
    n = int(res["uncertainty.draws"] if n is None else n)
    if not 1 <= n <= 100_000:
        raise ShapanError("out_of_range", file="scenario", key="mc", value=n, min=1, max=100_000)
    seed = res.scenario.seed if seed is None else seed
    draws = draw_parameters(res, n, seed)
    pop = population_stage.population_draws(res, ds, draws["mortality_multiplier"], draws["share_65_of_60_pct"])
    # the projection is linear in the base population: one lognormal base multiplier per draw
    base = draws["pop_base_factor"][:, None]
    out: dict[str, np.ndarray] = {
        "year": np.array(res.years),
        "population_60plus": pop["pop_60plus"] * base,
        "population_65plus": pop["pop_65plus"] * base,
        "population_80plus": pop["pop_80plus"] * base,
        "disabled_elderly": pop["disabled_elderly"] * base,
    }
    out |= bed_draws(res, ds, draws["delivery_factor"], out["population_60plus"])
    if benefits_stage.has_benefits(ds, res.district) and res["benefits.rule"] in fc.SETTER_RULES:
        out.update(baseline_draws(res, ds, n, seed))
    elif benefits_stage.has_benefits(ds, res.district):
        paths = bn.paths_draws(benefits_stage.benefit_params(res, ds), draws["dibao_urban_growth_pct"],
                               draws["dibao_rural_growth_pct"])
        urban, rural = paths["dibao_urban_standard"], paths["dibao_rural_standard"]
        if res["benefits.cap_rural_at_urban"]:
            rural = np.minimum(rural, urban)
        out.update(
            {
                "dibao_urban_standard": urban,
                "dibao_rural_standard": rural,
                "rural_urban_dibao_ratio": rural / urban * 100,
                "tekun_standard": paths["tekun_standard"],
            }
        )
    return out


def probabilities(draws: dict[str, np.ndarray], targets: pd.DataFrame) -> dict[tuple[str, int], float]:
    """P(target met) for each modelled future target."""
    years = list(draws["year"])
    out = {}
    for t in targets.itertuples():
        future = t.year > years[0]  # base-year targets are judged on the observed value, not draws
        if (
            future
            and t.indicator in draws
            and t.year in years
            and not math.isnan(t.target)
            and t.comparator in (">=", "<=", "=")
        ):
            values = draws[t.indicator][:, years.index(t.year)]
            if np.isnan(values).all():  # not projected (a base figure the plan does not publish)
                continue
            out[(t.indicator, int(t.year))] = float(np.mean(meets(values, t.comparator, t.target)))
    return out


def fan(draws: dict[str, np.ndarray], indicator: str, quantiles: tuple[float, ...] = (10, 50, 90)) -> pd.DataFrame:
    """P10/P50/P90 per year of one indicator (columns year, p10, p50, p90)."""
    values = np.percentile(draws[indicator], quantiles, axis=0)
    frame = pd.DataFrame({"year": draws["year"]})
    for q, row in zip(quantiles, values, strict=True):
        frame[f"p{int(q)}"] = row
    return frame


# ---------------------------------------------------------------------------------- every target, one view


def evaluate(
    result: engine.RunResult,
    ds: Dataset,
    probabilities: dict[tuple[str, int], float] | None = None,
    draws: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Every target of the district, one row each, with mode, status, reason, quarantine, decided_by and
    locators: :func:`models.target_modes.evaluate` (the rules are documented there)."""
    return target_modes.evaluate(result, ds, probabilities, draws)


def assess(res: Any, ds: Dataset, result: Any = None, mc_n: int | None = None) -> pd.DataFrame:
    """The one evaluation every surface shows: the scenario's run, P(met) from its Monte Carlo (the
    scenario's ``uncertainty.draws`` and seed; ``mc_n`` = 0 for the deterministic rule only)."""
    return assess_with_draws(res, ds, result, mc_n)[0]


def assess_with_draws(res: Any, ds: Dataset, result: Any = None, mc_n: int | None = None) -> tuple[pd.DataFrame, dict]:
    """:func:`assess` and the Monte Carlo draws it used (empty when ``mc_n`` = 0)."""
    result = engine.run(res, ds) if result is None else result
    n = int(res["uncertainty.draws"]) if mc_n is None else int(mc_n)
    if n <= 0:
        return evaluate(result, ds), {}
    draws = monte_carlo(res, ds, n=n)
    first = evaluate(result, ds, draws=draws)
    return evaluate(result, ds, probabilities(draws, first), draws=draws), draws


def moving_levers(res: Any, ds: Dataset, indicator: str, year: int) -> list[str]:
    """Goal-seek levers (:func:`levers_for`) whose full range changes the projection of
    ``indicator`` in ``year`` on this scenario: only levers that move the chosen target are offered."""
    try:
        project = projector(res, ds, indicator, year)
    except ShapanError:
        return []
    out = []
    for lever in levers_for(indicator, res["benefits.rule"]):
        key = LEVERS[lever]
        lo, hi = sc.param_range(key, ds.assumptions)
        low, high = project(with_values(res, **{key: float(lo)})), project(with_values(res, **{key: float(hi)}))
        if not (math.isnan(low) or math.isnan(high)) and abs(high - low) > 1e-9 * max(1.0, abs(low)):
            out.append(lever)
    return out
