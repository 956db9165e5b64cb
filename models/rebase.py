"""Rebase on actuals: a later year with actuals (2025 in practice) becomes the base year of every model.

The planner's actuals (``indicator, year, value, source``; :func:`models.backtest.read_actuals`) are the
baseline; every model projects from there to the scenario's end year (2035 by default). For each base
figure the value used is, in order:

1. the actual of the base year (``kind = actual``, source "用户录入" plus the document the user names);
2. a value derived from actuals of that year (the 60+ count from beds ÷ beds per 1,000; the social share
   as 100 − the government share; 特困 as k × the urban 低保 actual; one 低保 standard from the other and
   the entered ratio — the urban one projected from 2020 if only the ratio is entered; ``kind = derived``);
3. the 2020-based projection of the same scenario at the base year (``kind = projected``) — the model's
   own forecast, shown as such, never as a fact.

Base figures: population 60+; beds, nursing share and socially operated share (the operator split);
urban and rural 低保, 特困 and orphan standards. Growth of a standard the user did not set is the
district's 2020 → base-year CAGR where both ends are known (the rebased trend), else the scenario's.

Budget: the payment ratio and caseloads stay calibrated on the 13th-FYP review (information of 2020);
caseloads are carried to the base year with the caseload trend unless the planner enters them
(``budget.<programme>_recipients``, or ``orphan_recipients`` / ``dibao_recipients`` actuals — the latter
split urban/rural in the proportion of the calibrated caseloads, stated in the basis); costs use the
rebased standard paths.

Standards under ``benefits.rule = "baseline"`` (the setter's forecast, :mod:`models.forecast`) start from
the base-year 低保 standards, with the setter's recent growth set to the 2020 → base-year CAGR of the urban
standard; 特困 then follows the setter's rule (k × urban), not an entered 特困 figure. :func:`draws` applies
the uncertainty of :func:`models.targets.monte_carlo` to the rebased parameters (the entered base
population is observed: no base-population draw).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models import beds_stage, benefits_stage, budget_stage, engine, population_stage
from models import benefits as bn
from models import budget as bu
from models import forecast as fc
from models import population as pp
from models import scenario as sc
from models import targets as tg
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import BASE_YEAR, Resolved, figure, resolve
from models.views import calendar as cal

USER_ENTRY = "用户录入"
BASE_YEARS = cal.REBASE_YEARS
PARAM_BASES = {  # scenario parameter -> indicator giving its base-year value
    "population.pop_60plus_base": "population_60plus",
    "beds.base_beds": "elderly_beds",
    "beds.base_nursing_share_pct": "nursing_bed_share",
    "beds.base_social_share_pct": "social_operated_bed_share",
}
STANDARDS = ("dibao_urban_standard", "dibao_rural_standard", "tekun_standard", "orphan_standard")
GROWTH_PARAMS = {
    "dibao_urban_standard": "benefits.dibao_urban_growth_pct",
    "dibao_rural_standard": "benefits.dibao_rural_growth_pct",
    "tekun_standard": "benefits.tekun_growth_pct",
    "orphan_standard": "benefits.orphan_growth_pct",
}
BASE_COLUMNS = ["indicator", "year", "value", "kind", "source"]


@dataclass(frozen=True)
class Rebased:
    """A rebased run: the resolved scenario (base year = the actuals' year), its run, the base figures."""

    resolved: Resolved
    result: engine.RunResult
    bases: pd.DataFrame  # BASE_COLUMNS
    original: Resolved  # the 2020-based scenario it was rebased from


def actual_source(source: str) -> str:
    """How an entered figure is shown: 用户录入, plus the document the user names."""
    source = str(source or "").strip()
    return f"{USER_ENTRY}（{source}）" if source else USER_ENTRY


def actuals_of(scenario: sc.Scenario) -> pd.DataFrame:
    """The scenario's saved actuals as a frame (indicator, year, value, source, kind)."""
    rows = [dataclasses.asdict(a) | {"kind": "actual"} for a in scenario.actuals]
    return pd.DataFrame(rows, columns=["indicator", "year", "value", "source", "kind"])


def with_actuals(scenario: sc.Scenario, actuals: pd.DataFrame, base_year: int) -> sc.Scenario:
    """The scenario carrying the entered actuals (not the derived rows) and the new base year."""
    entered = actuals[actuals["kind"] == "actual"]
    saved = tuple(
        sc.Actual(str(r.indicator), int(r.year), float(r.value), str(r.source or ""))
        for r in entered.sort_values(["year", "indicator"]).itertuples()
    )
    return dataclasses.replace(scenario, base_year=base_year, actuals=saved)


def _given(actuals: pd.DataFrame, year: int) -> dict[str, tuple[float, str, str]]:
    rows = actuals[actuals["year"] == year]
    return {r.indicator: (float(r.value), r.kind, str(r.source)) for r in rows.itertuples()}


def _derive(given: dict, series: dict, base_year: int, k: float) -> None:
    """Base figures derivable from the entered ones (module docstring, rule 2); adds them to ``given``."""
    ratio = given.get("rural_urban_dibao_ratio")
    if ratio is not None and "dibao_rural_standard" not in given:  # keep the entered ratio true in the base year
        urban = given.get("dibao_urban_standard", (series.get("dibao_urban_standard", {}).get(base_year, math.nan),))
        note = "" if "dibao_urban_standard" in given else f" (projected from {BASE_YEAR})"
        given["dibao_rural_standard"] = (ratio[0] / 100 * urban[0], "derived",
                                         f"derived: rural_urban_dibao_ratio × urban 低保{note}")
    elif ratio is not None and "dibao_urban_standard" not in given and ratio[0] > 0:
        given["dibao_urban_standard"] = (given["dibao_rural_standard"][0] / ratio[0] * 100, "derived",
                                         "derived: rural 低保 ÷ rural_urban_dibao_ratio")
    if "tekun_standard" not in given and "dibao_urban_standard" in given:  # the setter's rule, from the actual
        given["tekun_standard"] = (k * given["dibao_urban_standard"][0], "derived",
                                   f"derived: 特困 = {k:g} × urban 低保 (benefits.tekun_multiplier)")


def base_figures(actuals: pd.DataFrame, base_year: int, run2020: engine.RunResult) -> pd.DataFrame:
    """Base-year value of every base figure: actual > derived from actuals > 2020-based projection."""
    given = _given(actuals, base_year)
    if "population_60plus" not in given and {"elderly_beds", "beds_per_1000_elderly"} <= set(given):
        per_1000 = given["beds_per_1000_elderly"][0]
        if per_1000 > 0:
            given["population_60plus"] = (given["elderly_beds"][0] / per_1000 * 1000, "derived",
                                          "derived: elderly_beds ÷ beds_per_1000_elderly × 1000")
    if "social_operated_bed_share" not in given and "gov_operated_bed_share" in given:
        given["social_operated_bed_share"] = (100 - given["gov_operated_bed_share"][0], "derived",
                                              "derived: 100 − gov_operated_bed_share")
    series = run2020.series
    _derive(given, series, base_year, run2020.resolved["benefits.tekun_multiplier"])
    rows = []
    for indicator in [*PARAM_BASES.values(), *STANDARDS]:
        if indicator in given:
            value, kind, source = given[indicator]
            rows.append([indicator, base_year, value, kind, actual_source(source) if kind == "actual" else source])
        else:
            value = series.get(indicator, {}).get(base_year, math.nan)
            source = f"projected from {BASE_YEAR} (scenario {run2020.resolved.scenario.name!r})"
            source = source if not math.isnan(value) else "not published"
            rows.append([indicator, base_year, value, "projected", source])
    return pd.DataFrame(rows, columns=BASE_COLUMNS)


def _start(ds: Dataset, district: str, indicator: str) -> float:
    ids = {"tekun_standard": ("tekun_standard", "tekun_urban_standard"),
           "orphan_standard": ("orphan_standard", "orphan_institution_standard", "orphan_scattered_standard")}
    ind = ds.indicators_for(district)
    for i in ids.get(indicator, (indicator,)):
        row = figure(ind, i, BASE_YEAR)
        if row is not None:
            return float(row["value"])
    return math.nan


def _rebased_values(res20: Resolved, ds: Dataset, bases: pd.DataFrame, base_year: int) -> tuple[dict, dict]:
    values, provenance = dict(res20.values), dict(res20.provenance)
    by_ind = {r.indicator: r for r in bases.itertuples()}
    for key, indicator in PARAM_BASES.items():
        row = by_ind[indicator]
        if res20.provenance.get(key) != "user" and not math.isnan(row.value):
            values[key], provenance[key] = row.value, f"{row.kind}: {row.source}"
    if values["benefits.target_ratio_year"] <= base_year and res20.provenance["benefits.target_ratio_pct"] != "user":
        values["benefits.target_ratio_pct"] = math.nan  # a past target: the drafts set the next one
        provenance["benefits.target_ratio_pct"] = f"not carried: target year {values['benefits.target_ratio_year']}"
    urban, start = by_ind["dibao_urban_standard"], _start(ds, res20.district, "dibao_urban_standard")
    key = "benefits.baseline_recent_growth_pct"
    if res20.provenance.get(key) != "user" and urban.kind != "projected" and start > 0 and urban.value > 0:
        values[key] = round(((urban.value / start) ** (1 / (base_year - BASE_YEAR)) - 1) * 100, 4)
        provenance[key] = f"derived: recent growth = CAGR {BASE_YEAR}→{base_year} of urban 低保 ({urban.source})"
    for indicator, key in GROWTH_PARAMS.items():
        row, start = by_ind[indicator], _start(ds, res20.district, indicator)
        if res20.provenance.get(key) == "user" or row.kind == "projected" or not start > 0 or math.isnan(row.value):
            continue
        growth = round(((row.value / start) ** (1 / (base_year - BASE_YEAR)) - 1) * 100, 4)
        lo, hi = sc.param_range(key, ds.assumptions)
        values[key] = min(max(growth, lo), hi)
        provenance[key] = f"derived: CAGR {BASE_YEAR}→{base_year} ({start:g}→{row.value:g}, {row.source})"
    return values, provenance


def rebase(scenario: sc.Scenario, ds: Dataset, actuals: pd.DataFrame, base_year: int) -> Rebased:
    """Rebase ``scenario`` (any base-2020 scenario of the district) on ``actuals`` of ``base_year``."""
    if not BASE_YEARS[0] <= base_year <= BASE_YEARS[1]:
        raise ShapanError("out_of_range", file="--base-year", key="base_year", value=base_year,
                          min=BASE_YEARS[0], max=BASE_YEARS[1])
    if actuals.empty or not (actuals["year"] == base_year).any():
        raise ShapanError("generic", detail=f"base year {base_year}: no actual of {base_year} entered "
                                            f"(基期{base_year}年没有录入实际值)")
    if scenario.end_year < base_year + 5:
        raise ShapanError("out_of_range", file="scenario", key="scenario.end_year", value=scenario.end_year,
                          min=base_year + 5, max=sc.YEARS[1])
    res20 = resolve(dataclasses.replace(scenario, base_year=BASE_YEAR, actuals=()), ds)
    run20 = engine.run(res20, ds)
    bases = base_figures(actuals, base_year, run20)
    values, provenance = _rebased_values(res20, ds, bases, base_year)
    rebased = with_actuals(scenario, actuals, base_year)
    res = Resolved(rebased, sc.FrozenDict(values), sc.FrozenDict(provenance), res20.projects,
                   hash_of(rebased, values, res20.projects, ds.version), ds.version)
    return Rebased(res, run(res, ds, bases, res20), bases, res20)


def hash_of(scenario: sc.Scenario, values: dict[str, Any], projects: Any, data_version: str) -> str:
    """The scenario hash of a rebased scenario: resolved values, base year and the entered actuals."""
    digest = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in values.items()}
    digest |= {"scenario.end_year": scenario.end_year, "scenario.district": scenario.district,
               "scenario.seed": scenario.seed, "scenario.base_year": scenario.base_year,
               "scenario.actuals": [dataclasses.astuple(a) for a in scenario.actuals]}
    if scenario.announced:  # as models.resolve: announcements change the forecast, so the hash
        digest["benefits.announced"] = [list(a) for a in scenario.announced]
    plain = [[p.year_open, p.beds, p.nursing_beds, p.operator] for p in projects]
    return sc.canonical_hash(digest, plain, data_version)


def benefit_params(res: Resolved, ds: Dataset, bases: pd.DataFrame) -> bn.BenefitParams | None:
    """The engine's benefit parameters with the base-year standards (None: district has no 低保 base)."""
    if not benefits_stage.has_benefits(ds, res.district):
        return None
    by_ind = dict(zip(bases["indicator"], bases["value"], strict=True))
    params = benefits_stage.benefit_params(res, ds)
    years = res.scenario.base_year - BASE_YEAR
    consumption = params.consumption_urban_base_yuan_year
    if consumption is not None and params.consumption_growth_pct is not None:
        consumption = consumption * (1 + params.consumption_growth_pct / 100) ** years
    orphan = by_ind["orphan_standard"]
    return dataclasses.replace(
        params,
        dibao_urban_base_yuan_month=by_ind["dibao_urban_standard"],
        dibao_rural_base_yuan_month=by_ind["dibao_rural_standard"],
        tekun_base_yuan_month=by_ind["tekun_standard"],
        orphan_base_yuan_month=None if math.isnan(orphan) else orphan,
        consumption_urban_base_yuan_year=consumption,
        consumption_rural_base_yuan_year=consumption,
    )


def setter_params(res: Resolved, ds: Dataset, bases: pd.DataFrame) -> fc.SetterParams:
    """The setter's baseline-forecast inputs starting from the base-year standards (rule ``baseline``)."""
    by_ind = dict(zip(bases["indicator"], bases["value"], strict=True))
    params = benefits_stage.setter_params(res, ds)
    orphan = by_ind["orphan_standard"]
    return dataclasses.replace(params, urban_base_yuan_month=by_ind["dibao_urban_standard"],
                               rural_base_yuan_month=by_ind["dibao_rural_standard"],
                               orphan_base_yuan_month=params.orphan_base_yuan_month if math.isnan(orphan) else orphan)


def _benefits(res: Resolved, ds: Dataset, bases: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    params = benefit_params(res, ds, bases)
    if params is None:
        return pd.DataFrame({"year": res.years}), pd.DataFrame(columns=bn.FLAG_COLUMNS)
    if res["benefits.rule"] in fc.SETTER_RULES:  # the setter's forecast (issue 11), from the base-year standards
        paths = fc.baseline(setter_params(res, ds, bases))
        paths["care_subsidy"] = benefits_stage._care_subsidy(res, ds)
        paths = paths[["year", *bn.COLUMNS]]
    else:
        paths = bn.paths(params)
        if res["benefits.cap_rural_at_urban"]:  # as benefits_stage.benefit_paths
            paths["dibao_rural_standard"] = np.minimum(paths["dibao_rural_standard"], paths["dibao_urban_standard"])
            paths["rural_urban_dibao_ratio"] = paths["dibao_rural_standard"] / paths["dibao_urban_standard"] * 100
    return paths, bn.compliance_flags(paths, params)


def _caseload(prog: str, res: Resolved, calibrated: dict[str, dict[str, Any]], given: dict, offset: int,
              ) -> tuple[float, str, str]:
    """Base-year caseload of a programme and its basis (zh, en)."""
    year = res.scenario.base_year
    if res.provenance.get(f"budget.{prog}_recipients") == "user":
        return res[f"budget.{prog}_recipients"], "人数取方案设定值", "recipients as set in the scenario"
    if prog == "orphan" and "orphan_recipients" in given:
        value, _, source = given["orphan_recipients"]
        return value, f"人数取{year}年实际值（{actual_source(source)}）", f"recipients: {year} actual ({source})"
    if prog in ("dibao_urban", "dibao_rural") and "dibao_recipients" in given and {
        "dibao_urban", "dibao_rural"} <= set(calibrated):
        total, _, source = given["dibao_recipients"]
        urban, rural = calibrated["dibao_urban"]["recipients"], calibrated["dibao_rural"]["recipients"]
        share = (urban if prog == "dibao_urban" else rural) / (urban + rural)
        return total * share, (
            f"{year}年城乡低保总人数（{actual_source(source)}）按十三五测算的城乡比例（{share:.1%}）拆分"), (
            f"{year} total dibao recipients ({source}) split by the calibrated urban/rural caseloads ({share:.1%})")
    growth = res["budget.recipients_growth_pct"]
    value = calibrated[prog]["recipients"] * (1 + growth / 100) ** offset
    zh = f"十三五测算人数按年{growth:g}%推至{year}年"
    return value, zh, f"13th-FYP caseload carried to {year} at {growth:g} %/yr"


def _budget(res: Resolved, res20: Resolved, ds: Dataset, paths: pd.DataFrame, given: dict,
            ) -> tuple[pd.DataFrame, dict[str, dict[str, Any]], list[str]]:
    """Costs on the rebased standards; payment ratios and caseloads calibrated on the 13th-FYP review."""
    calibrated, notes = budget_stage.budget_inputs(res20, ds, benefits_stage.benefit_paths(res20, ds))
    years, offset = res.years, res.scenario.base_year - BASE_YEAR
    inputs: dict[str, dict[str, Any]] = {}
    for prog, inp in calibrated.items():
        std_col = budget_stage.PROGRAMME_SOURCES[prog][2]
        if std_col is None:
            standard = np.asarray(inp["standard"], float)[offset:offset + len(years)]
        elif std_col in paths and paths[std_col].notna().all():
            standard = paths[std_col].to_numpy(float)
        else:
            notes.append(prog)
            continue
        recipients, basis_zh, basis_en = _caseload(prog, res, calibrated, given, offset)
        inputs[prog] = {**inp, "recipients": recipients, "standard": standard,
                        "basis_zh": f"{basis_zh}；{inp['basis_zh']}", "basis_en": f"{basis_en}; {inp['basis_en']}"}
    growth = res["budget.recipients_growth_pct"]
    costs = bu.programme_costs(
        years,
        {p: bu.recipients_path(v["recipients"], growth, years) for p, v in inputs.items()},
        {p: v["standard"] for p, v in inputs.items()},
        {p: v["payment_ratio"] for p, v in inputs.items()},
        {p: v["per_year"] for p, v in inputs.items()},
    )
    return costs, inputs, notes


def run(res: Resolved, ds: Dataset, bases: pd.DataFrame, res20: Resolved) -> engine.RunResult:
    """Every model from the base year (population, beds and budget as the engine; standards rebased)."""
    population = population_stage.run_population(res, ds)
    beds = beds_stage.run_beds(res, ds, population)
    paths, flags = _benefits(res, ds, bases)
    given = _given(actuals_of(res.scenario), res.scenario.base_year)
    costs, inputs, notes = _budget(res, res20, ds, paths, given)
    return engine.RunResult(res, population, beds, paths, flags, costs, inputs, notes)


def draws(rebased: Rebased, ds: Dataset, n: int, seed: int | None = None) -> dict[str, np.ndarray]:
    """Monte Carlo draws from the base year: the uncertainty of :func:`models.targets.monte_carlo`
    (growth, mortality, delivery) applied to the rebased parameters."""
    res = rebased.resolved
    if not 1 <= n <= 100_000:
        raise ShapanError("out_of_range", file="scenario", key="mc", value=n, min=1, max=100_000)
    d = tg.draw_parameters(res, n, res.scenario.seed if seed is None else seed)
    shape, qx = population_stage.age_tables(ds)
    pop = pp.project_summary_draws(population_stage.population_params(res), shape, qx,
                                   mortality_multiplier=d["mortality_multiplier"])
    out: dict[str, np.ndarray] = {"year": np.array(res.years), "population_60plus": pop["pop_60plus"]}
    out |= tg.bed_draws(res, ds, d["delivery_factor"], pop["pop_60plus"])
    bparams = benefit_params(res, ds, rebased.bases)
    if bparams is not None and res["benefits.rule"] in fc.SETTER_RULES:
        setter = fc.draws(setter_params(res, ds, rebased.bases), benefits_stage.forecast_uncertainty(res), n,
                          res.scenario.seed if seed is None else seed)
        out |= {k: v for k, v in setter.items() if k not in ("inputs", "year")}
    elif bparams is not None:
        paths = bn.paths_draws(bparams, d["dibao_urban_growth_pct"], d["dibao_rural_growth_pct"])
        urban, rural = paths["dibao_urban_standard"], paths["dibao_rural_standard"]
        if res["benefits.cap_rural_at_urban"]:
            rural = np.minimum(rural, urban)
        out |= {"dibao_urban_standard": urban, "dibao_rural_standard": rural,
                "rural_urban_dibao_ratio": rural / urban * 100, "tekun_standard": paths["tekun_standard"]}
    return out
