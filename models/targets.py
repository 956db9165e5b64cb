"""Targets: status of every plan target, required growth, goal-seek, Monte Carlo probability.

Status of a target (indicator, year, comparator, value) given the latest observed baseline and the
model projection at the target year:

* target year ≤ base year (e.g. the 13th-FYP 2020 targets): ``met`` or ``off_track`` from the observed
  value of that year;
* no projection (indicator not modelled, or the target is text such as 同步/全覆盖): ``not_modelled``;
* deterministic: the projection meets the target → ``met`` if the baseline already meets it too, else
  ``on_track``; misses by at most :data:`AT_RISK_MARGIN` of the target → ``at_risk``; else ``off_track``;
* with Monte Carlo (``probability`` given): P ≥ 0.8 → ``on_track`` (``met`` if the baseline meets it),
  0.4 ≤ P < 0.8 → ``at_risk``, P < 0.4 → ``off_track``.

Required growth is the constant yearly change from the latest baseline that reaches the target:
``((target / baseline) ** (1 / years) - 1) × 100`` (%/年).

Goal-seek (:func:`solve`) finds, with :func:`scipy.optimize.brentq`, the value of one lever (a scenario
parameter) at which the projection equals the target exactly. Monte Carlo (:func:`monte_carlo`) draws the
uncertain parameters with a seeded ``numpy.random.Generator`` and projects all draws at once (vectorised).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from models import beds as bd
from models import benefits as bn
from models import engine
from models import forecast as fc
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import Resolved

AT_RISK_MARGIN = 0.05
P_ON_TRACK, P_AT_RISK = 0.8, 0.4
STATUSES = ("met", "on_track", "at_risk", "off_track", "not_modelled")
STATUS_ORDER = ("off_track", "at_risk", "on_track", "met", "not_modelled")  # display order: problems first
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
def sort_by_status(targets: pd.DataFrame) -> pd.DataFrame:
    """Problems first (off track, at risk, on track, met, not modelled), later target years first within each."""
    rank = targets["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    order = pd.DataFrame({"rank": rank, "year": -targets["year"]}).sort_values(["rank", "year"], kind="stable").index
    return targets.loc[order].reset_index(drop=True)


BASELINE_LEVERS = ("ratio_drift", "baseline_growth")


def levers_for(indicator: str, rule: str | None = None) -> list[str]:
    """The levers that move ``indicator`` (benefit levers for standards, bed levers for beds).

    Under ``rule = "baseline"`` the standards follow the setter's forecast, moved by the setter's levers
    (ratio drift, long-run growth), not by the district's growth rates."""
    section = "benefits." if indicator in BENEFIT_IDS else "beds." if indicator in BEDS_IDS else None
    names = [name for name, key in LEVERS.items() if section and key.startswith(section)]
    if section == "benefits.":
        baseline = rule == "baseline"
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
TARGET_COLUMNS = [
    "indicator",
    "year",
    "target",
    "comparator",
    "binding",
    "baseline",
    "baseline_year",
    "projected",
    "status",
    "required_growth",
    "gap",
    "probability",
    "unit",
    "source",
    "locator",
    "published",
]


def meets(value: Any, comparator: str, target: float) -> Any:
    """Whether ``value`` satisfies ``comparator target`` (arrays welcome; ``=`` within 0.5 %)."""
    value = np.asarray(value, dtype=float)
    if comparator == ">=":
        return value >= target - 1e-9
    if comparator == "<=":
        return value <= target + 1e-9
    if comparator == "=":
        return np.abs(value - target) <= 0.005 * max(abs(target), 1e-9)
    raise ShapanError("generic", detail=f"comparator {comparator!r} cannot be evaluated")


def required_growth_pct(baseline: float, target: float, years: int) -> float:
    if years <= 0 or not baseline or baseline <= 0 or target <= 0:
        return math.nan
    return ((target / baseline) ** (1 / years) - 1) * 100


def status_of(
    baseline: float, projected: float, target: float, comparator: str, probability: float | None = None
) -> str:
    """Status rule of the module docstring."""
    if math.isnan(projected):
        return "not_modelled"
    base_meets = not math.isnan(baseline) and bool(meets(baseline, comparator, target))
    if probability is not None and not math.isnan(probability):
        if probability >= P_ON_TRACK:
            return "met" if base_meets else "on_track"
        return "at_risk" if probability >= P_AT_RISK else "off_track"
    if meets(projected, comparator, target):
        return "met" if base_meets else "on_track"
    shortfall = abs(projected - target) / max(abs(target), 1e-9)
    return "at_risk" if shortfall <= AT_RISK_MARGIN else "off_track"


def _baseline(ind: pd.DataFrame, indicator: str, year: int) -> tuple[float, float]:
    """(value, year) of the latest observed figure before the target year (same year for past targets)."""
    rows = ind[
        (ind["indicator"] == indicator) & ind["kind"].isin(["baseline", "derived", "actual"]) & ind["value"].notna()
    ]
    rows = rows[rows["year"] <= year] if year <= 2020 else rows[rows["year"] < year]
    if rows.empty:
        return math.nan, math.nan
    rows = rows.assign(
        _text=rows["locator"].str.startswith(("专栏", "表")).map({True: 0, False: 1}),
        _kind=rows["kind"].map({"actual": 0, "baseline": 1, "derived": 2}),
    )
    row = rows.sort_values(["year", "_kind", "_text"], ascending=[False, True, True]).iloc[0]
    return float(row["value"]), float(row["year"])


@functools.cache
def _targets_with_baselines(ds: Dataset, district: str) -> tuple[tuple[Any, float, float], ...]:
    """The district's target rows with their baselines (data only: cached per dataset and district)."""
    ind = ds.indicators_for(district)
    return tuple((t, *_baseline(ind, t.indicator, int(t.year))) for t in ind[ind["kind"] == "target"].itertuples())


def evaluate(
    result: engine.RunResult, ds: Dataset, probabilities: dict[tuple[str, int], float] | None = None
) -> pd.DataFrame:
    """Every target of the district with baseline, projection, status, required growth and gap."""
    res = result.resolved
    series = result.series
    rows = []
    for t, baseline, base_year in _targets_with_baselines(ds, res.district):
        target, year = float(t.value), int(t.year)
        projected = math.nan
        if year <= res.scenario.base_year:
            projected = baseline if base_year == year else math.nan
        elif t.indicator in series:
            projected = series[t.indicator].get(year, math.nan)
        prob = (probabilities or {}).get((t.indicator, year))
        if math.isnan(target) or t.comparator == "sync":
            status = "not_modelled"
        elif year <= res.scenario.base_year:
            status = (
                "not_modelled"
                if math.isnan(projected)
                else ("met" if meets(projected, t.comparator, target) else "off_track")
            )
        else:
            status = status_of(baseline, projected, target, t.comparator, prob)
        years = year - base_year if not math.isnan(base_year) else 0
        rows.append(
            {
                "indicator": t.indicator,
                "year": year,
                "target": target,
                "comparator": t.comparator,
                "binding": t.binding,
                "baseline": baseline,
                "baseline_year": base_year,
                "projected": projected,
                "status": status,
                "required_growth": required_growth_pct(baseline, target, int(years)),
                "gap": target - projected if not math.isnan(target) else math.nan,
                "probability": math.nan if prob is None else prob,
                "unit": t.unit,
                "source": t.source,
                "locator": t.locator,
                "published": t.published,
            }
        )
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


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
        if not engine.has_benefits(ds, res.district):
            raise ShapanError("not_modelled", indicator=indicator)
        index = res.years.index(year)
        return lambda r: float(engine.benefit_paths(r, ds)[indicator].iloc[index])
    if indicator in BEDS_IDS:
        population = engine.run_population(res, ds)
        if engine.bed_params(res, ds) is None:
            raise ShapanError("not_modelled", indicator=indicator)

        index = res.years.index(year)

        def beds_value(r: Resolved) -> float:
            return float(engine.run_beds(r, ds, population)[indicator].iloc[index])

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
    rows = rows[rows["year"] > 2020]
    if rows.empty:
        allowed = sorted(
            set(ind.loc[(ind["kind"] == "target") & ind["value"].notna() & (ind["year"] > 2020), "indicator"])
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
            lever=lever,
            indicator=indicator,
            low=lo,
            high=hi,
            detail=f"{indicator} {year}: {f_lo + target:.4g} … {f_hi + target:.4g} vs target {target:g}",
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
        "urban_growth_pct": np.clip(streams[0].normal(res["benefits.dibao_urban_growth_pct"], sd_g, n), -50, 100),
        "rural_growth_pct": np.clip(streams[1].normal(res["benefits.dibao_rural_growth_pct"], sd_g, n), -50, 100),
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
    out = fc.draws(engine.setter_params(res, ds), engine.forecast_uncertainty(res), n, seed)
    out.pop("inputs")
    out.pop("year")
    return out


def monte_carlo(res: Resolved, ds: Dataset, n: int | None = None, seed: int | None = None) -> dict[str, np.ndarray]:
    """Draws of every projected indicator, arrays (n, years), plus ``"year"``."""
    n = int(res["uncertainty.draws"] if n is None else n)
    if not 1 <= n <= 100_000:
        raise ShapanError("out_of_range", file="scenario", key="mc", value=n, min=1, max=100_000)
    seed = res.scenario.seed if seed is None else seed
    draws = draw_parameters(res, n, seed)
    pop = engine.population_draws(res, ds, draws["mortality_multiplier"], draws["share_65_of_60_pct"])
    # the projection is linear in the base population: one lognormal base multiplier per draw
    base = draws["pop_base_factor"][:, None]
    out: dict[str, np.ndarray] = {
        "year": np.array(res.years),
        "population_60plus": pop["pop_60plus"] * base,
        "population_65plus": pop["pop_65plus"] * base,
        "population_80plus": pop["pop_80plus"] * base,
        "disabled_elderly": pop["disabled_elderly"] * base,
    }
    params = engine.bed_params(res, ds)
    if params is not None:
        supply = bd.supply_draws(params, draws["delivery_factor"])
        out["elderly_beds"] = supply["elderly_beds"]
        out["beds_per_1000_elderly"] = supply["elderly_beds"] / out["population_60plus"] * 1000
        for key in ("nursing_bed_share", "social_operated_bed_share", "gov_operated_bed_share"):
            out[key] = supply[key]
    if engine.has_benefits(ds, res.district) and res["benefits.rule"] == "baseline":
        out.update(baseline_draws(res, ds, n, seed))
    elif engine.has_benefits(ds, res.district):
        paths = bn.paths_draws(engine.benefit_params(res, ds), draws["urban_growth_pct"], draws["rural_growth_pct"])
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
