"""Resolve a Scenario against the data: every parameter gets a value and a provenance.

Order of precedence for each parameter: the user's value in the scenario; else a district figure from
``data/indicators.csv`` (the plan's own baseline, its 2015→2020 history, or its target); else the
``data/assumptions.toml`` default. Figures a plan does not publish are computed and labelled:

* 60+ population: published (巴南) > ``derived`` row (beds ÷ beds-per-1,000: 城口, 武隆) > ``assumed``
  = census total × the province's 60+ share (珠山: 江西; 九龙坡: 重庆), rounded to the nearest whole person
  (halves up) where it is derived, so every district's 60+ base is whole people.
* default growth of a standard: the district's own 2015→2020 CAGR; where a plan gives no 2015 figure, the
  assumption ``benefits.consumption_growth_pct`` (labelled).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.views.calendar import BASE_YEAR, HISTORY_START, PLAN_END_YEAR

TABLE_PREFIXES = ("专栏", "表")


@dataclass(frozen=True)
class Resolved:
    """A scenario with every parameter filled, where each value came from, and the hash."""

    scenario: sc.Scenario
    values: sc.FrozenDict
    provenance: sc.FrozenDict
    projects: tuple[sc.UserProject, ...]
    hash: str
    data_version: str

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def district(self) -> str:
        return self.scenario.district

    @property
    def years(self) -> list[int]:
        return list(range(self.scenario.base_year, self.scenario.end_year + 1))


def figure(
    ind: pd.DataFrame,
    indicator: str,
    year: int | None = None,
    kinds: tuple[str, ...] = ("baseline",),
    before: int | None = None,
) -> pd.Series | None:
    """One numeric row: the given year (or the latest before ``before``); table rows preferred over text."""
    rows = ind[(ind["indicator"] == indicator) & ind["kind"].isin(kinds) & ind["value"].notna()]
    if year is not None:
        rows = rows[rows["year"] == year]
    if before is not None:
        rows = rows[rows["year"] < before]
    if rows.empty:
        return None
    rows = rows.assign(
        _table=~rows["locator"].str.startswith(TABLE_PREFIXES),
        _kind=rows["kind"].map({k: i for i, k in enumerate(kinds)}),
    )
    return rows.sort_values(["year", "_kind", "_table"], ascending=[False, True, True]).iloc[0]


def _cite(row: pd.Series) -> str:
    where = f"{row['kind']}, {row['source']} {row['locator']}"
    return f"data: {row['indicator']} {int(row['year'])} = {row['value']:g} ({where})"


def _first(ind: pd.DataFrame, indicators: tuple[str, ...], year: int, kinds: tuple[str, ...] = ("baseline",)):
    for indicator in indicators:
        row = figure(ind, indicator, year, kinds)
        if row is not None:
            return row
    return None


def _pop_60plus(ds: Dataset, district: str, ind: pd.DataFrame) -> tuple[float, str]:
    row = figure(ind, "population_60plus", BASE_YEAR, ("baseline", "derived"))
    if row is not None:
        return float(row["value"]), _cite(row)
    drow = ds.district(district)
    pops = ds.reference("district_population")
    pop = pops[pops["district"] == district]
    census = ds.reference("census_2020_age_shares")
    area = {"重庆市": "Chongqing", "江西省": "Jiangxi"}.get(drow["province"])
    prov = census[census["area"] == area]
    if pop.empty or prov.empty:
        return math.nan, "not published"
    share = float(prov.iloc[0]["age_60plus"]) / float(prov.iloc[0]["total"])
    total = float(pop.iloc[0]["total_population"])
    persons = whole_persons(total * share)
    return persons, (
        f"assumed: total population {total:,.0f} ({pop.iloc[0]['source']}) × {area} 60+ share "
        f"{share * 100:.2f}% ({prov.iloc[0]['source']}) = {total * share:,.1f} → {persons:,.0f} "
        "(nearest whole person, halves up)"
    )


def whole_persons(value: float) -> float:
    """A count of people rounded to the nearest whole person, halves up (a 60+ base is whole people)."""
    return float(math.floor(value + 0.5)) if math.isfinite(value) else value


def _growth(ind: pd.DataFrame, indicators: tuple[str, ...], fallback: float, fallback_label: str) -> tuple[float, str]:
    for indicator in indicators:
        end = figure(ind, indicator, BASE_YEAR)
        start = figure(ind, indicator, HISTORY_START)
        if end is not None and start is not None and start["value"] > 0:
            years = BASE_YEAR - HISTORY_START
            growth = ((end["value"] / start["value"]) ** (1 / years) - 1) * 100
            return round(
                growth, 4
            ), f"derived: CAGR {HISTORY_START}→{BASE_YEAR} of {indicator} ({start['value']:g}→{end['value']:g})"
    return fallback, f"{fallback_label} (no {HISTORY_START} figure of {indicators[0]} published)"


def _census_share_65(ds: Dataset, district: str) -> tuple[float, str]:
    """65+/60+ in % from the 2020 census: the province's own figure, else the mean of its districts' figures
    (Chongqing publishes no 65+ count; its four neighbour districts do), else the national figure."""
    census = ds.reference("census_2020_age_shares")
    area = {"重庆市": "Chongqing", "江西省": "Jiangxi"}.get(ds.district(district)["province"], "China")
    full = census[census["age_60plus"].notna() & census["age_65plus"].notna()]
    own = full[full["area"] == area]
    if own.empty:
        own = full[full["area"].str.contains(f"({area})", regex=False)]
    if own.empty:
        own = full[full["area"] == "China"]
    shares = own["age_65plus"].astype(float) / own["age_60plus"].astype(float) * 100
    names = ", ".join(f"{a} {v:.1f}%" for a, v in zip(own["area"], shares, strict=True))
    return round(float(shares.mean()), 4), (
        f"derived: census 2020 65+/60+ ({names}; {', '.join(sorted(set(own['source'])))})"
    )


def _census_working_age_factor(ds: Dataset, district: str) -> tuple[float, str]:
    """(15–59 / 60+ in the province) ÷ (15–59 / 60+ in China), census 2020; 1 when not published."""
    census = ds.reference("census_2020_age_shares").set_index("area")
    area = {"重庆市": "Chongqing", "江西省": "Jiangxi"}.get(ds.district(district)["province"])
    if area not in census.index or any(math.isnan(float(census.loc[a, "age_15_59"])) for a in (area, "China")):
        return 1.0, "assumption: national age shape for ages 45–59 (no census 15–59 figure)"

    def ratio(a: str) -> float:
        return float(census.loc[a, "age_15_59"]) / float(census.loc[a, "age_60plus"])

    factor = ratio(area) / ratio("China")
    return round(factor, 4), (
        f"derived: census 2020 (15–59 ÷ 60+) {area} {ratio(area):.3f} ÷ China {ratio('China'):.3f} "
        f"({census.loc[area, 'source']}, {census.loc['China', 'source']})"
    )


def _setter_growth(ds: Dataset, district: str) -> tuple[float, str]:
    """The setter's 2015→2020 urban 低保 CAGR; else the national average's (labelled), else the assumption."""
    from models import forecast_eval, setters

    growth, how = setters.recent_growth_pct(ds, district, HISTORY_START, BASE_YEAR)
    if not math.isnan(growth):
        return round(growth, 4), how
    national = forecast_eval.national_series(ds)["urban"]
    if HISTORY_START in national.index and BASE_YEAR in national.index:
        g = ((national[BASE_YEAR] / national[HISTORY_START]) ** (1 / (BASE_YEAR - HISTORY_START)) - 1) * 100
        return round(float(g), 4), (
            f"derived: national average urban 低保 CAGR {HISTORY_START}→{BASE_YEAR} "
            f"({national[HISTORY_START]:g}→{national[BASE_YEAR]:g}, mca_statistical_bulletins_2010_2020) — {how}"
        )
    return ds.assumptions["benefits.consumption_growth_pct"].value, "assumption: benefits.consumption_growth_pct"


def _institution_share(ds: Dataset, ind: pd.DataFrame, beds: pd.Series | None) -> tuple[float, str]:
    """100 % where the plan's bed count is printed as institution beds (公办 + 民办养老机构床位 = the total,
    珠山); otherwise the national share of institution beds in all elderly-care beds (an assumption)."""
    public = figure(ind, "elderly_beds_public", BASE_YEAR)
    private = figure(ind, "elderly_beds_private", BASE_YEAR)
    printed = beds is not None and public is not None and private is not None
    if printed and abs(float(public["value"]) + float(private["value"]) - float(beds["value"])) < 0.5:
        return 100.0, (
            f"derived: institution beds public {public['value']:g} + private {private['value']:g} = "
            f"elderly_beds {beds['value']:g} ({beds['source']} {beds['locator']})"
        )
    return ds.assumptions["beds.institution_share_pct"].value, "assumption: beds.institution_share_pct"


def _calibrate_use_rate(values: dict[str, Any], provenance: dict[str, str], ds: Dataset,
                        scenario: sc.Scenario) -> None:
    """Default of ``beds.institutionalisation_rate_pct``: calibrated so that base-year occupancy of
    institution beds equals ``beds.base_occupancy_pct`` (:mod:`models.bed_demand`)."""
    key = "beds.institutionalisation_rate_pct"
    if provenance.get(key) == "user" or math.isnan(values["beds.base_beds"]):
        return
    from models import bed_demand

    prevalences = tuple(
        values[f"population.disability_prevalence_{band}_pct"] for band in bed_demand.BANDS
    )
    from models import population as pp

    # the same base-year age shape as the population model (models.population_stage.census_shape)
    shape = pp.rescale_shape(base_shape(scenario.age_table, ds), values["population.share_65_of_60_pct"],
                             values["population.age_45_59_factor"])
    disabled = bed_demand.base_disabled(values["population.pop_60plus_base"], shape, prevalences)
    cal = bed_demand.calibrate(
        values["beds.base_beds"], values["beds.institution_share_pct"], values["beds.base_occupancy_pct"], disabled,
        values["beds.tekun_centralised_residents"],
    )
    if not math.isnan(cal.rate_pct):
        values[key] = cal.rate_pct
        provenance[key] = cal.explain()


def base_shape(table: tuple[tuple[str, float], ...], ds: Dataset) -> Any:
    """The single-year age shape before census rescaling: the district's own uploaded age table
    (``Scenario.age_table``, :mod:`models.age_table`) when there is one, else the national UN WPP 2019 shape."""
    if table:
        from models import age_table

        return age_table.shape(age_table.from_labels(dict(table)), _age_shape(ds))
    return _age_shape(ds)


def _apply_age_table(scenario: sc.Scenario, values: dict[str, Any], provenance: dict[str, str]) -> None:
    """With the district's own age table, its 60+ is the base, its 65+/60+ the shape's, its ages 45–59 are
    taken as they are (factor 1) and the age shape is not drawn; a value the user set still wins."""
    from models import age_table

    table = age_table.from_labels(dict(scenario.age_table))
    defaults = {
        "population.pop_60plus_base": (table.total(60), f"age table: 60+ = {table.total(60):,.0f} (uploaded)"),
        "population.share_65_of_60_pct": (table.share_65_of_60_pct,
                                          f"age table: 65+/60+ = {table.share_65_of_60_pct:.2f}% (uploaded)"),
        "population.age_45_59_factor": (1.0, "age table: the table's own ages 45–59"),
        "uncertainty.age_shape_sd_pp": (0.0, "age table: the district's own age shape (not drawn)"),
    }
    for key, (value, how) in defaults.items():
        if provenance.get(key) != "user":
            values[key], provenance[key] = value, how


@functools.cache
def _age_shape(ds: Dataset) -> Any:
    from models import population as pp

    return pp.age_shape(ds.reference("china_wpp2019_population_2020"))


@functools.cache
def data_defaults(ds: Dataset, district: str) -> dict[str, tuple[float, str]]:
    """Defaults that come from the district's own figures: name -> (value, provenance)."""
    ind = ds.indicators_for(district)
    fallback = ds.assumptions["benefits.consumption_growth_pct"].value
    out: dict[str, tuple[float, str]] = {"pop_60plus_base": _pop_60plus(ds, district, ind)}
    beds = figure(ind, "elderly_beds", BASE_YEAR)
    out["base_beds"] = (float(beds["value"]), _cite(beds)) if beds is not None else (math.nan, "not published")
    nursing = figure(ind, "nursing_bed_share", BASE_YEAR)
    out["base_nursing_share_pct"] = (
        (float(nursing["value"]), _cite(nursing)) if nursing is not None else (math.nan, "not published")
    )
    social = figure(ind, "social_operated_bed_share", BASE_YEAR)
    gov = figure(ind, "gov_operated_bed_share", BASE_YEAR)
    if social is not None:
        out["base_social_share_pct"] = (float(social["value"]), _cite(social))
    elif gov is not None:
        out["base_social_share_pct"] = (100 - float(gov["value"]), "derived: 100 − " + _cite(gov))
    elif beds is not None and (private := figure(ind, "elderly_beds_private", BASE_YEAR)) is not None:
        share = float(private["value"]) / float(beds["value"]) * 100
        out["base_social_share_pct"] = (share, f"derived: {_cite(private)} ÷ elderly_beds {beds['value']:g}")
    else:
        out["base_social_share_pct"] = (math.nan, "not published")
    out["institution_share_pct"] = _institution_share(ds, ind, beds)
    norm = figure(ind, "beds_per_1000_elderly", PLAN_END_YEAR, ("target",))
    if norm is None:
        norm = figure(ind, "beds_per_1000_elderly", BASE_YEAR)
    out["norm_beds_per_1000"] = (float(norm["value"]), _cite(norm)) if norm is not None else (math.nan, "not published")
    consumption = "assumption: benefits.consumption_growth_pct"
    out["dibao_urban_growth_pct"] = _growth(ind, ("dibao_urban_standard",), fallback, consumption)
    out["dibao_rural_growth_pct"] = _growth(ind, ("dibao_rural_standard",), fallback, consumption)
    urban = out["dibao_urban_growth_pct"][0]
    # 特困 is set as a multiple of urban 低保 (2020: 806 = 1.3 × 620 in the Chongqing plans); its 2015→2020
    # jump (e.g. 400→806, +15 %/yr) is that rule being introduced, not a trend to extrapolate.
    out["tekun_growth_pct"] = (
        urban,
        "assumption: grows with urban 低保 (特困 is set at k × urban 低保; the 2015→2020 jump reflects the rule's "
        "introduction)",
    )
    out["orphan_growth_pct"] = _growth(
        ind,
        ("orphan_standard", "orphan_institution_standard", "orphan_scattered_standard"),
        urban,
        "assumption: same as urban 低保 growth",
    )
    out["baseline_recent_growth_pct"] = _setter_growth(ds, district)
    out["share_65_of_60_pct"] = _census_share_65(ds, district)
    out["age_45_59_factor"] = _census_working_age_factor(ds, district)
    ratio = figure(ind, "rural_urban_dibao_ratio", PLAN_END_YEAR, ("target",))
    out["target_ratio_pct"] = (
        (float(ratio["value"]), _cite(ratio)) if ratio is not None else (math.nan, "not published")
    )
    return out


def resolve(scenario: sc.Scenario, ds: Dataset) -> Resolved:
    """Fill every parameter (user > district data > assumption) and compute the scenario hash.

    Only base-2020 scenarios: a later base year is rebased on actuals by :func:`models.rebase.rebase`."""
    ds.district(scenario.district)
    if scenario.base_year != BASE_YEAR:
        raise ShapanError("generic", detail=f"scenario.base_year = {scenario.base_year}: rebase on actuals "
                                            f"(models.rebase) / 基期{scenario.base_year}年需按实际值重设基期")
    defaults = data_defaults(ds, scenario.district)
    values: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    for key, spec in sc.PARAMS.items():
        if key in scenario.params:
            values[key] = sc.validate_param(key, scenario.params[key], ds.assumptions)
            provenance[key] = "user"
            continue
        origin, _, ref = spec.default.partition(":")
        if origin == "assumption":
            entry = ds.assumptions.get(ref)
            if entry is None:
                raise ShapanError("missing_key", file="assumptions.toml", key=ref)
            values[key] = int(entry.value) if spec.kind is int else entry.value
            provenance[key] = f"assumption: {ref}" if entry.is_assumption else f"source: {entry.source}"
        elif origin == "data":
            values[key], provenance[key] = defaults[ref]
        else:
            values[key] = {"true": True, "false": False}.get(ref, ref)
            if spec.kind in (int, float):
                values[key] = spec.kind(ref)
            provenance[key] = "default"
    if scenario.age_table:
        _apply_age_table(scenario, values, provenance)
    _calibrate_use_rate(values, provenance, ds, scenario)
    projects = tuple(scenario.projects)
    digest_values = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in values.items()}
    digest_values["scenario.end_year"] = scenario.end_year
    digest_values["scenario.district"] = scenario.district
    digest_values["scenario.seed"] = scenario.seed
    if scenario.announced:  # only when present: hashes of scenarios without announcements are unchanged
        digest_values["benefits.announced"] = [list(a) for a in scenario.announced]
    for name, entries in (("targets.inputs", scenario.target_inputs), ("targets.confirmed", scenario.target_confirmed)):
        if entries:  # only when set, so scenarios without entries keep their hash
            digest_values[name] = dict(sorted(entries.items()))
    if scenario.age_table:  # likewise only when present
        digest_values["population.age_table"] = [list(a) for a in scenario.age_table]
        if scenario.age_table_basis:
            digest_values["population.age_table_basis"] = scenario.age_table_basis
    projects_plain = [[p.year_open, p.beds, p.nursing_beds, p.operator] for p in projects]
    return Resolved(
        scenario=scenario,
        values=sc.FrozenDict(values),
        provenance=sc.FrozenDict(provenance),
        projects=projects,
        hash=sc.canonical_hash(digest_values, projects_plain, ds.version_for(scenario.district)),
        data_version=ds.version_for(scenario.district),
    )
