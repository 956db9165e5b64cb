"""Run a resolved scenario through the models: population → beds → benefits → budget.

This is the glue between the data (:mod:`models.resolve`) and the pure models
(:mod:`models.population`, :mod:`models.beds`, :mod:`models.benefits`, :mod:`models.budget`). It builds
each model's parameters from the resolved scenario, runs them, and returns one :class:`RunResult` with
tidy frames and ``series`` (indicator id → {year: value}) for the indicators the models project.

Budget inputs come from each plan's 13th-FYP review (累计2016–2020 spending and 人次): the person-time
unit is inferred (:func:`models.budget.infer_person_time_unit`), which gives the average caseload and the
payment ratio; where a plan publishes a caseload instead, that is used with the assumed payment ratio.
Programmes with neither are listed in ``budget_notes`` as not costed.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from models import bed_demand as bdm
from models import bed_pipeline as bp
from models import beds as bd
from models import benefits as bn
from models import budget as bu
from models import budget_plan, migration, setters
from models import forecast as fc
from models import population as pp
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import BASE_YEAR, HISTORY_START, Resolved, figure
from models.views.calendar import PLAN_END_YEAR

SERIES_IDS = (
    "population_60plus",
    "population_65plus",
    "population_80plus",
    "disabled_elderly",
    "elderly_beds",
    "beds_per_1000_elderly",
    "nursing_bed_share",
    "social_operated_bed_share",
    "gov_operated_bed_share",
    "bed_demand_normative",
    "bed_demand_need",
    "institution_beds",
    "institution_residents",
    "institution_occupancy_pct",
    "dibao_urban_standard",
    "dibao_rural_standard",
    "rural_urban_dibao_ratio",
    "tekun_standard",
    "orphan_standard",
    "care_subsidy",
)
PROGRAMME_SOURCES = {  # programme -> (spend id, person-times id, standard column or None, recipients id)
    "dibao_urban": ("dibao_urban_spending_13fyp", "dibao_urban_person_times_13fyp", "dibao_urban_standard", ""),
    "dibao_rural": ("dibao_rural_spending_13fyp", "dibao_rural_person_times_13fyp", "dibao_rural_standard", ""),
    "tekun": ("tekun_spending_13fyp", "tekun_person_times_13fyp", "tekun_standard", "tekun_recipients"),
    "orphan": (
        "orphan_allowance_spending_13fyp",
        "orphan_allowance_person_times_13fyp",
        "orphan_standard",
        "orphan_recipients",
    ),
    "temporary_aid": ("temporary_aid_spending_13fyp", "temporary_aid_person_times_13fyp", None, ""),
    "elderly_subsidy": ("elderly_subsidy_spending_13fyp", "elderly_subsidy_person_times_13fyp", None, ""),
}


@dataclass(frozen=True)
class RunResult:
    """Everything one deterministic run produces (frames are fresh copies; safe to modify)."""

    resolved: Resolved
    population: pd.DataFrame
    beds: pd.DataFrame | None
    benefits: pd.DataFrame
    flags: pd.DataFrame
    budget: pd.DataFrame
    budget_inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    budget_notes: list[str] = field(default_factory=list)
    budget_reasons: dict[str, str] = field(default_factory=dict)  # programme -> models.coverage.REASONS code

    @property
    def series(self) -> dict[str, dict[int, float]]:
        out: dict[str, dict[int, float]] = {}
        frames = [self.population, self.benefits] + ([self.beds] if self.beds is not None else [])
        for frame in frames:
            for col in frame.columns:
                if col in SERIES_IDS and frame[col].notna().any():
                    out[col] = {
                        int(y): float(v)
                        for y, v in zip(frame["year"], frame[col], strict=True)
                        if not (isinstance(v, float) and math.isnan(v))
                    }
        return out


# ------------------------------------------------------------------------------------------ population


@cache
def _age_tables(ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    wpp = ds.reference("china_wpp2019_population_2020")
    mx = ds.reference("china_wpp2024_mortality_mx")
    return pp.age_shape(wpp), pp.qx_from_mx(pp.death_rates(mx, wpp))


def population_params(res: Resolved) -> pp.PopulationParams:
    return pp.PopulationParams(
        pop_60plus_base=res["population.pop_60plus_base"],
        base_year=res.scenario.base_year,
        end_year=res.scenario.end_year,
        mortality_multiplier=res["population.mortality_multiplier"],
        mortality_improvement_pct=res["population.mortality_improvement_pct"],
        net_migration_pct=res["population.net_migration_pct"],
        prevalence_60_69_pct=res["population.disability_prevalence_60_69_pct"],
        prevalence_70_79_pct=res["population.disability_prevalence_70_79_pct"],
        prevalence_80plus_pct=res["population.disability_prevalence_80plus_pct"],
        net_migrants_per_year=migration.per_year(res.values),
    )


def census_shape(res: Resolved, ds: Dataset) -> np.ndarray:
    """The base age shape (the district's uploaded age table, else the national WPP shape) rescaled to
    the 65+/60+ in force (census of the province or neighbours, or the table's own)."""
    from models.resolve import base_shape

    shape = base_shape(res.scenario, ds)
    return pp.rescale_shape(shape, res["population.share_65_of_60_pct"], res["population.age_45_59_factor"])


def population_draws(res: Resolved, ds: Dataset, mortality_multiplier: np.ndarray,
                     share_65_of_60_pct: np.ndarray) -> dict[str, np.ndarray]:
    """Population summaries (n, years) with the 65+/60+ share and the mortality multiplier drawn.

    The projection is linear in the base population, so the base is split into ages 45–59, 60–64 and
    65+ (:func:`models.population.rescale_shape`), each projected once with the mortality draws and
    recombined per draw with the drawn share."""
    params = population_params(res)
    _, qx = _age_tables(ds)
    full = pp.base_population(params.pop_60plus_base, census_shape(res, ds))
    ages = pp.AGES
    total = params.pop_60plus_base
    lt60 = np.where(ages < 60, full, 0.0)
    young = np.where((ages >= 60) & (ages < 65), full, 0.0) / full[(ages >= 60) & (ages < 65)].sum() * total
    old = np.where(ages >= 65, full, 0.0) / full[ages >= 65].sum() * total
    migrants = migration.by_age(full, params.net_migrants_per_year, ages)  # added once (weight-1 component)
    projected = [pp.project(base, qx, base_year=params.base_year, end_year=params.end_year,
                            mortality_multiplier=mortality_multiplier,
                            mortality_improvement_pct=params.mortality_improvement_pct,
                            net_migration_pct=params.net_migration_pct, migrants_by_age=m)
                 for base, m in ((lt60, migrants), (young, None), (old, None))]
    share = np.clip(np.asarray(share_65_of_60_pct, dtype=float), 0.0, 100.0)[:, None, None] / 100.0
    pop = np.maximum(projected[0] + (1.0 - share) * projected[1] + share * projected[2], 0.0)
    return pp.summarise(pop, params.prevalence_60_69_pct, params.prevalence_70_79_pct,
                        params.prevalence_80plus_pct)


def run_population(res: Resolved, ds: Dataset) -> pd.DataFrame:
    _, qx = _age_tables(ds)
    frame = pp.project_summary(population_params(res), census_shape(res, ds), qx)
    return frame.rename(
        columns={
            "pop_60plus": "population_60plus",
            "pop_65plus": "population_65plus",
            "pop_80plus": "population_80plus",
            "pop_45_59": "population_45_59",
        }
    )


# ------------------------------------------------------------------------------------------------ beds


@cache
def plan_projects(ds: Dataset, district: str) -> tuple[tuple[bd.Project, ...], tuple[bd.Project, ...]]:
    """The plan's own projects that add beds (``pipeline = yes``: not a transfer of existing beds, not a
    subset of a district-wide total already counted), split into (dated, undated): one without an opening
    year ("十四五期间") is phased over the plan years (:mod:`models.bed_pipeline`)."""
    rows = ds.projects_for(district)
    rows = rows[rows["beds"].notna() & (rows["pipeline"] == "yes")]
    dated: list[bd.Project] = []
    undated: list[bd.Project] = []
    for r in rows.itertuples():
        project = bd.Project(
            year_open=PLAN_END_YEAR if pd.isna(r.year_open) else int(r.year_open),
            beds=int(r.beds),
            nursing_beds=None if pd.isna(r.nursing_beds) else int(r.nursing_beds),
            operator=r.operator if r.operator in bd.OPERATORS else "",
        )
        (undated if pd.isna(r.year_open) else dated).append(project)
    return tuple(dated), tuple(undated)


@cache
def plan_total(ds: Dataset, district: str) -> tuple[float, str]:
    """The plan's bed stock for its last year: the ``elderly_beds`` target, else the base plus a printed
    number of new beds (``elderly_beds_added_14fyp``, ``new_inclusive_elderly_beds_14fyp``); NaN if none."""
    ind = ds.indicators_for(district)
    row = figure(ind, "elderly_beds", PLAN_END_YEAR, ("target",))
    if row is not None:
        return float(row["value"]), f"elderly_beds {PLAN_END_YEAR} target ({row['source']} {row['locator']})"
    base = figure(ind, "elderly_beds", BASE_YEAR)
    for indicator in ("elderly_beds_added_14fyp", "new_inclusive_elderly_beds_14fyp"):
        added = figure(ind, indicator, PLAN_END_YEAR, ("target",))
        if added is not None and base is not None:
            return float(base["value"]) + float(added["value"]), (
                f"elderly_beds {BASE_YEAR} {base['value']:g} + {indicator} {added['value']:g} "
                f"({added['source']} {added['locator']})"
            )
    return math.nan, "not published"


def default_pipeline(res: Resolved, ds: Dataset) -> tuple[list[bd.Project], int]:
    """Named projects at their dates, undated ones and the rest of the plan total phased (whole beds)."""
    if not res["beds.include_plan_projects"]:
        return [], 0
    dated, undated = plan_projects(ds, res.district)
    total = plan_total(ds, res.district)[0] if res["beds.include_plan_total"] else math.nan
    return bp.pipeline(
        res["beds.base_beds"], list(dated), list(undated), total, res.scenario.base_year, PLAN_END_YEAR,
        res["beds.plan_profile"],
    )


def bed_params(res: Resolved, ds: Dataset) -> bd.BedParams | None:
    if math.isnan(res["beds.base_beds"]):
        return None
    projects, _ = default_pipeline(res, ds)
    projects += [
        bd.Project(year_open=p.year_open, beds=p.beds, nursing_beds=p.nursing_beds, operator=p.operator)
        for p in res.projects
        if p.year_open > res.scenario.base_year
    ]
    return bd.BedParams(
        base_year=res.scenario.base_year,
        end_year=res.scenario.end_year,
        base_beds=res["beds.base_beds"],
        base_nursing_share_pct=res["beds.base_nursing_share_pct"],
        base_social_share_pct=res["beds.base_social_share_pct"],
        retirement_rate_pct=res["beds.retirement_rate_pct"],
        projects=tuple(projects),
        beds_built_per_year=res["beds.beds_built_per_year"],
        nursing_share_of_new_beds_pct=res["beds.nursing_share_of_new_beds_pct"],
        social_share_of_new_beds_pct=res["beds.social_share_of_new_beds_pct"],
        institution_share_pct=res["beds.institution_share_pct"],
        nursing_conversion_per_year=res["beds.nursing_conversion_per_year"],
        social_transfer_per_year=res["beds.social_transfer_per_year"],
    )


def run_beds(res: Resolved, ds: Dataset, population: pd.DataFrame) -> pd.DataFrame | None:
    params = bed_params(res, ds)
    if params is None:
        return None
    frame = bd.supply(params)
    pop60 = population["population_60plus"].to_numpy()
    frame["beds_per_1000_elderly"] = bd.beds_per_1000(frame["elderly_beds"].to_numpy(), pop60)
    norm = res["beds.norm_beds_per_1000"]
    frame["bed_demand_normative"] = np.nan if math.isnan(norm) else bd.demand_normative(pop60, norm)
    residents = bdm.residents(population["disabled_elderly"].to_numpy(), res["beds.institutionalisation_rate_pct"],
                              res["beds.tekun_centralised_residents"])
    frame["institution_residents"] = residents
    frame["institution_occupancy_pct"] = bdm.occupancy_pct(residents, frame["institution_beds"].to_numpy())
    frame["bed_demand_need"] = bd.demand_need(
        population["disabled_elderly"].to_numpy(),
        res["beds.institutionalisation_rate_pct"],
        res["beds.target_occupancy_pct"],
    )
    return frame


# -------------------------------------------------------------------------------------------- benefits


@cache
def _base(ds: Dataset, district: str, ids: tuple[str, ...]) -> tuple[float | None, str]:
    """Base-year standard: the district's published figure, else its setter's (data/setters.csv)."""
    ind = ds.indicators_for(district)
    for indicator in ids:
        row = figure(ind, indicator, BASE_YEAR)
        if row is not None:
            return float(row["value"]), f"{indicator} {BASE_YEAR} ({row['source']} {row['locator']})"
    return setters.setter_figure(ds, district, ids[0], BASE_YEAR)


@cache
def min_wage_by_year(ds: Dataset, district: str) -> MappingProxyType:
    drow = ds.district(district)
    wages = ds.reference("minimum_wage")
    rows = wages[(wages["area"] == drow["min_wage_area"]) & (wages["tier"].astype(str) == str(drow["min_wage_tier"]))]
    return MappingProxyType({int(str(r.effective_from)[:4]): float(r.yuan_per_month) for r in rows.itertuples()})


def benefit_params(res: Resolved, ds: Dataset) -> bn.BenefitParams:
    d = res.district
    urban, _ = _base(ds, d, ("dibao_urban_standard",))
    rural, _ = _base(ds, d, ("dibao_rural_standard",))
    if urban is None or rural is None:
        urban = rural = math.nan
    tekun, _ = _base(ds, d, ("tekun_standard", "tekun_urban_standard"))
    orphan, _ = _base(ds, d, ("orphan_standard", "orphan_institution_standard", "orphan_scattered_standard"))
    ratio = res["benefits.target_ratio_pct"]
    if res["benefits.rule"] == "convergence" and math.isnan(ratio):  # the plan sets no ratio target
        raise ShapanError("missing_key", file="scenario", key="benefits.target_ratio_pct")
    if tekun is None:  # not published: start on the floor (k × urban 低保)
        tekun = res["benefits.tekun_multiplier"] * urban
    return bn.BenefitParams(
        dibao_urban_base_yuan_month=urban,
        dibao_rural_base_yuan_month=rural,
        tekun_base_yuan_month=tekun,
        urban_growth_pct=res["benefits.dibao_urban_growth_pct"],
        rural_growth_pct=res["benefits.dibao_rural_growth_pct"],
        tekun_growth_pct=res["benefits.tekun_growth_pct"],
        tekun_multiplier=res["benefits.tekun_multiplier"],
        cpi_inflation_pct=res["benefits.cpi_inflation_pct"],
        rule=_rule_for_params(res),
        base_year=res.scenario.base_year,
        end_year=res.scenario.end_year,
        orphan_base_yuan_month=orphan,
        orphan_growth_pct=res["benefits.orphan_growth_pct"],
        consumption_growth_pct=res["benefits.consumption_growth_pct"],
        consumption_share_pct=res["benefits.consumption_share_pct"],
        consumption_urban_base_yuan_year=_consumption_base(ds),
        consumption_rural_base_yuan_year=_consumption_base(ds),
        target_ratio_pct=None if math.isnan(ratio) else ratio,
        target_year=None if math.isnan(ratio) else res["benefits.target_ratio_year"],
        care_subsidy_min_wage_pct=res["benefits.care_subsidy_min_wage_pct"],
        min_wage_yuan_month=dict(min_wage_by_year(ds, d)) or None,
        min_wage_growth_pct=res["benefits.min_wage_growth_pct"],
    )


@cache
def _consumption_base(ds: Dataset) -> float:
    facts = ds.reference("other_facts")
    rows = facts[facts["fact"] == "per_capita_consumption"].sort_values("year")
    return float(rows.iloc[0]["value"])  # 2021 national figure (nbs_2021), used as the 2020 base


@cache
def has_benefits(ds: Dataset, district: str) -> bool:
    return all(_base(ds, district, (i,))[0] is not None for i in ("dibao_urban_standard", "dibao_rural_standard"))


def setter_params(res: Resolved, ds: Dataset) -> fc.SetterParams:
    """Inputs of the setter's baseline forecast (:mod:`models.forecast`) from the resolved scenario.

    Base figures come from the setter (``data/setters.csv`` → ``setter_standards.csv``), so every district
    of one setter gets the same inputs and the same path."""
    d = res.district
    urban, _ = setters.setter_figure(ds, d, "dibao_urban_standard", BASE_YEAR)
    rural, _ = setters.setter_figure(ds, d, "dibao_rural_standard", BASE_YEAR)
    if urban is None or rural is None:
        raise ShapanError("not_modelled", indicator="dibao_urban_standard")
    orphan, _ = setters.setter_figure(ds, d, "orphan_standard", BASE_YEAR)
    if orphan is None:
        orphan, _ = _base(ds, d, ("orphan_standard", "orphan_institution_standard", "orphan_scattered_standard"))
    params = fc.SetterParams(
        urban_base_yuan_month=urban,
        rural_base_yuan_month=rural,
        base_year=res.scenario.base_year,
        end_year=res.scenario.end_year,
        recent_growth_pct=res["benefits.baseline_recent_growth_pct"],
        long_run_growth_pct=res["benefits.baseline_long_run_growth_pct"],
        damping=res["benefits.baseline_damping"],
        ratio_drift_pp=res["benefits.baseline_ratio_drift_pp"],
        tekun_multiplier=res["benefits.tekun_multiplier"],
        urban_step_yuan=res["benefits.baseline_urban_step_yuan"],
        orphan_base_yuan_month=orphan,
        announced=res.scenario.announced,
    )
    if res["benefits.rule"] == "plan_targets":
        from models import plan_path

        return plan_path.setter_params(params, res["benefits.target_ratio_pct"], res["benefits.target_ratio_year"])
    return params


def forecast_uncertainty(res: Resolved) -> fc.Uncertainty:
    return fc.Uncertainty(
        shock_sd_pct=res["uncertainty.standard_shock_sd_pct"],
        level_sd_pct=res["uncertainty.growth_level_sd_pct"],
        regime_continue_prob=res["uncertainty.regime_continue_prob"],
        regime_continue_drift_pp=res["uncertainty.regime_continue_drift_pp"],
        ratio_drift_sd_pp=res["uncertainty.ratio_drift_sd_pp"],
    )


def _care_subsidy(res: Resolved, ds: Dataset) -> np.ndarray:
    wages = dict(min_wage_by_year(ds, res.district))
    pct = res["benefits.care_subsidy_min_wage_pct"]
    if not wages:
        return np.full(len(res.years), np.nan)
    path = bn.minimum_wage_path(wages, res.years, res["benefits.min_wage_growth_pct"])
    return pct / 100.0 * path


def benefit_paths(res: Resolved, ds: Dataset) -> pd.DataFrame:
    """Standard paths (no compliance flags); rural capped at urban when ``benefits.cap_rural_at_urban``.

    ``benefits.rule = "baseline"``: the setter's forecast (:func:`models.forecast.baseline`)."""
    if not has_benefits(ds, res.district):
        return pd.DataFrame({"year": res.years})
    if res["benefits.rule"] in fc.SETTER_RULES:
        frame = fc.baseline(setter_params(res, ds))
        frame["care_subsidy"] = _care_subsidy(res, ds)
        return frame[["year", *bn.COLUMNS]]
    paths = bn.paths(benefit_params(res, ds))
    if res["benefits.cap_rural_at_urban"]:  # 城乡统筹: a rural standard above the urban one is not paid
        paths["dibao_rural_standard"] = np.minimum(paths["dibao_rural_standard"], paths["dibao_urban_standard"])
        paths["rural_urban_dibao_ratio"] = paths["dibao_rural_standard"] / paths["dibao_urban_standard"] * 100
    return paths


def run_benefits(res: Resolved, ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    paths = benefit_paths(res, ds)
    if not has_benefits(ds, res.district):
        return paths, pd.DataFrame(columns=bn.FLAG_COLUMNS)
    return paths, bn.compliance_flags(paths, benefit_params(res, ds))


def _rule_for_params(res: Resolved) -> str:
    return "fixed_growth" if res["benefits.rule"] in fc.SETTER_RULES else res["benefits.rule"]


# ---------------------------------------------------------------------------------------------- budget


@cache
def _cached_figure(ds: Dataset, district: str, indicator: str, year: int) -> pd.Series | None:
    return figure(ds.indicators_for(district), indicator, year)


def budget_inputs(res: Resolved, ds: Dataset, paths: pd.DataFrame) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Caseload, payment ratio and per-payment amount per programme, calibrated from the 13th-FYP review."""
    fig = functools.partial(_cached_figure, ds, res.district)  # the data never change within a process
    inputs: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    assumed_ratio = res["budget.payment_ratio"]
    for prog, (spend_id, times_id, std_col, stock_id) in PROGRAMME_SOURCES.items():
        if res.provenance.get(f"budget.{prog}_recipients") == "user":
            spend = times = None  # the user's caseload wins over the calibration
        else:
            spend, times = fig(spend_id, BASE_YEAR), fig(times_id, BASE_YEAR)
        if std_col and std_col in paths and paths[std_col].notna().all():
            start = next(
                (
                    float(r["value"])
                    for r in (fig(i, HISTORY_START) for i in (std_col, std_col.replace("_standard", "_urban_standard")))
                    if r is not None
                ),
                None,
            )
            end = float(paths[std_col].iloc[0])
            mean_std = (
                end if start is None else bu.period_mean_standard_yuan_month(start, end, BASE_YEAR - HISTORY_START)
            )
            if spend is not None and times is not None:
                inf = bu.infer_person_time_unit(float(spend["value"]), float(times["value"]), mean_std)
                if inf.unit is not None:
                    caseload = inf.recipients_person_year if inf.unit == "person-year" else inf.recipients_person_month
                    inputs[prog] = {
                        "recipients": caseload,
                        "payment_ratio": inf.payment_ratio,
                        "per_year": 12,
                        "standard": paths[std_col].to_numpy(float),
                        "basis_zh": inf.explanation_zh,
                        "basis_en": inf.explanation_en,
                    }
                    continue
            user = res.values.get(f"budget.{prog}_recipients", math.nan)
            stock = fig(stock_id, BASE_YEAR) if stock_id else None
            if not math.isnan(user) or stock is not None:
                source = "scenario" if not math.isnan(user) else f"{stock_id} {BASE_YEAR}"
                inputs[prog] = {
                    "recipients": user if not math.isnan(user) else float(stock["value"]),
                    "payment_ratio": assumed_ratio,
                    "per_year": 12,
                    "standard": paths[std_col].to_numpy(float),
                    "basis_zh": f"人数取{source}；发放系数为假设值",
                    "basis_en": f"recipients from {source}; payment ratio assumed",
                }
                continue
        elif std_col is None and spend is not None and times is not None and times["value"] > 0:
            per_time = float(spend["value"]) * 10_000 / float(times["value"])
            growth = (1 + res["benefits.dibao_urban_growth_pct"] / 100) ** np.arange(len(res.years))
            inputs[prog] = {
                "recipients": float(times["value"]) / 5,
                "payment_ratio": 1.0,
                "per_year": 1,
                "standard": per_time * growth,
                "basis_zh": f"十三五年均{float(times['value']) / 5:,.0f}人次 × 每人次{per_time:,.0f}元"
                "（随城市低保标准增长）",
                "basis_en": f"{float(times['value']) / 5:,.0f} cases a year (13th-FYP mean) × {per_time:,.0f} 元 "
                "per case, growing with the urban 低保 standard",
            }
            continue
        notes.append(prog)
    return inputs, notes


def run_budget(
    res: Resolved, ds: Dataset, paths: pd.DataFrame
) -> tuple[pd.DataFrame, dict, list[str], dict[str, str]]:
    inputs, notes = budget_inputs(res, ds, paths)
    inputs, notes, reasons = budget_plan.plan_inputs(res, ds, paths, inputs, notes)
    years = res.years
    growth = res["budget.recipients_growth_pct"]
    user_growth = res.provenance.get("budget.recipients_growth_pct") == "user"
    recipients = {
        p: bu.recipients_path(v["recipients"], growth if user_growth else v.get("growth_pct", growth), years)
        for p, v in inputs.items()
    }
    costs = bu.programme_costs(
        years,
        recipients,
        {p: v["standard"] for p, v in inputs.items()},
        {p: v["payment_ratio"] for p, v in inputs.items()},
        {p: v["per_year"] for p, v in inputs.items()},
    )
    return costs, inputs, notes, reasons


def run(res: Resolved, ds: Dataset) -> RunResult:
    """Deterministic run of every model for a resolved scenario."""
    population = run_population(res, ds)
    beds = run_beds(res, ds, population)
    paths, flags = run_benefits(res, ds)
    costs, inputs, notes, reasons = run_budget(res, ds, paths)
    return RunResult(res, population, beds, paths, flags, costs, inputs, notes, reasons)


# ------------------------------------------------------------------------------------------------- DES


def des_params(res: Resolved, ds: Dataset, result: RunResult | None = None) -> Any:
    """DES inputs from a run: arrivals = calibrated residents of institution beds ÷ mean stay (per year);
    the institution beds of the supply pipeline, nursing and general (all general when the nursing share is
    unknown). Community beds (社区床位) take no residents and are not simulated."""
    from models import des_inputs

    result = run(res, ds) if result is None else result
    if result.beds is None:
        raise ShapanError("not_modelled", indicator="elderly_beds")
    los = res["beds.los_mean_years"]
    residents = result.beds["institution_residents"].to_numpy()
    nursing = result.beds["nursing_beds"].to_numpy()
    known = not np.isnan(nursing).any()
    total = result.beds["institution_beds"].to_numpy()
    return des_inputs.DesParams(
        arrivals_per_year=tuple(float(x) for x in residents / los),
        general_beds=tuple(float(x) for x in np.round(total - (nursing if known else 0))),
        nursing_beds=tuple(float(x) for x in (np.round(nursing) if known else np.zeros_like(total))),
        base_year=res.scenario.base_year,
        end_year=res.scenario.end_year,
        **({} if known else {"nursing_need_share": 0.0}),
        los_mean_years=los,
        los_cv=res["beds.los_cv"],
        renege_years=res["beds.renege_years"],
    )
