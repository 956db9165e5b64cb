"""The beds stage of a run (:mod:`models.engine`): the supply pipeline and bed demand.

:class:`models.beds.BedParams`, :class:`PipelineParams` and :class:`DemandParams` declare the scenario keys
they read (:mod:`models.params`); the projects are a derived input: the plan's own (``data/projects.csv``,
``pipeline = yes``, undated ones and the rest of the plan total phased by :mod:`models.bed_pipeline`) plus
the user's. The stage is cached by its frozen parameters and the population stage's, so a beds lever
re-runs only this stage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from models import bed_demand as bdm
from models import bed_pipeline as bp
from models import beds as bd
from models import population as pp
from models import population_stage as ps
from models.data import Dataset
from models.params import build, reads, stage_cache
from models.resolve import BASE_YEAR, Resolved, figure
from models.views.calendar import PLAN_END_YEAR


@dataclass(frozen=True, kw_only=True)
class PipelineParams:
    """Which of the plan's beds enter the default pipeline, and how undated beds are phased."""

    base_beds: float = reads("beds.base_beds")
    include_plan_projects: bool = reads("beds.include_plan_projects")
    include_plan_total: bool = reads("beds.include_plan_total")
    plan_profile: str = reads("beds.plan_profile")


@dataclass(frozen=True, kw_only=True)
class DemandParams:
    """Bed demand: the normative ratio and the need model (:mod:`models.bed_demand`)."""

    norm_beds_per_1000: float = reads("beds.norm_beds_per_1000")
    institutionalisation_rate_pct: float = reads("beds.institutionalisation_rate_pct")
    target_occupancy_pct: float = reads("beds.target_occupancy_pct")
    tekun_centralised_residents: float = reads("beds.tekun_centralised_residents")


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
    p = build(PipelineParams, res)
    if not p.include_plan_projects:
        return [], 0
    dated, undated = plan_projects(ds, res.district)
    total = plan_total(ds, res.district)[0] if p.include_plan_total else math.nan
    return bp.pipeline(p.base_beds, list(dated), list(undated), total, res.scenario.base_year, PLAN_END_YEAR,
                       p.plan_profile)


def bed_params(res: Resolved, ds: Dataset) -> bd.BedParams | None:
    """The supply parameters (None when the district publishes no bed stock)."""
    if math.isnan(res["beds.base_beds"]):
        return None
    projects, _ = default_pipeline(res, ds)
    projects += [
        bd.Project(year_open=p.year_open, beds=p.beds, nursing_beds=p.nursing_beds, operator=p.operator)
        for p in res.projects
        if p.year_open > res.scenario.base_year
    ]
    return build(bd.BedParams, res, projects=tuple(projects))


def demand(frame: pd.DataFrame, population: pd.DataFrame, d: DemandParams) -> pd.DataFrame:
    """Add beds per 1,000, normative and need demand, residents and occupancy to a supply frame."""
    pop60 = population["population_60plus"].to_numpy()
    frame["beds_per_1000_elderly"] = bd.beds_per_1000(frame["elderly_beds"].to_numpy(), pop60)
    norm = d.norm_beds_per_1000
    frame["bed_demand_normative"] = np.nan if math.isnan(norm) else bd.demand_normative(pop60, norm)
    residents = bdm.residents(population["disabled_elderly"].to_numpy(), d.institutionalisation_rate_pct,
                              d.tekun_centralised_residents)
    frame["institution_residents"] = residents
    frame["institution_occupancy_pct"] = bdm.occupancy_pct(residents, frame["institution_beds"].to_numpy())
    frame["bed_demand_need"] = bd.demand_need(
        population["disabled_elderly"].to_numpy(), d.institutionalisation_rate_pct, d.target_occupancy_pct,
    )
    return frame


@stage_cache()
def supply_and_demand(ds: Dataset, pop: pp.PopulationParams, shape: ps.ShapeParams, params: bd.BedParams,
                      d: DemandParams) -> pd.DataFrame:
    """The stage, cached (shared, read-only: copy before modifying)."""
    return demand(bd.supply(params), ps.project(ds, pop, shape), d)


def run_beds(res: Resolved, ds: Dataset, population: pd.DataFrame) -> pd.DataFrame | None:
    """Supply and demand against a given population frame (not cached: the frame may be anyone's)."""
    params = bed_params(res, ds)
    return None if params is None else demand(bd.supply(params), population, build(DemandParams, res))
