"""Run a resolved scenario through the models, stage by stage: population → beds → benefits → budget.

Each stage lives in its own module (:mod:`models.population_stage`, :mod:`models.beds_stage`,
:mod:`models.benefits_stage`, :mod:`models.budget_stage`); its parameter dataclasses declare the scenario
keys they read and one builder fills them (:func:`models.params.build`). A stage is cached by its own frozen
parameters and those of the stages it depends on (:func:`models.params.stage_cache`), so a beds lever re-runs
only the beds stage, a 低保 lever the benefits and budget stages. This module only orders the stages and
returns one :class:`RunResult` with fresh copies of the frames and ``series`` (indicator id → {year: value}).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from models import beds_stage, benefits_stage, budget_stage
from models import benefits as bn
from models import population_stage as ps
from models.data import Dataset
from models.errors import ShapanError
from models.params import build, stage_cache
from models.resolve import Resolved

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
            years = frame["year"].to_numpy()
            for col in frame.columns:
                if col in SERIES_IDS and frame[col].notna().any():
                    values = frame[col].to_numpy(dtype=float)
                    known = ~np.isnan(values)
                    out[col] = dict(zip(years[known].astype(int).tolist(), values[known].tolist(), strict=True))
        return out


def _standards(ds: Dataset, years: list[int], parts: tuple | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if parts is None:  # the district publishes no 低保 standards
        return pd.DataFrame({"year": years}), pd.DataFrame(columns=bn.FLAG_COLUMNS)
    return benefits_stage.standards(ds, *parts)


@stage_cache()
def _budget(ds: Dataset, params: budget_stage.BudgetParams, benefits: tuple | None) -> tuple:
    return budget_stage.costs(params, ds, _standards(ds, params.years, benefits)[0])


def run(res: Resolved, ds: Dataset) -> RunResult:
    """Deterministic run of every model for a resolved scenario (each stage cached by its parameters)."""
    pop = (ps.population_params(res), build(ps.ShapeParams, res))
    population = ps.project(ds, *pop)
    supply = beds_stage.bed_params(res, ds)
    beds = None if supply is None else beds_stage.supply_and_demand(
        ds, *pop, supply, build(beds_stage.DemandParams, res))
    benefits = benefits_stage.stage_parts(res, ds)
    paths, flags = _standards(ds, res.years, benefits)
    costs, inputs, notes, reasons = _budget(ds, budget_stage.budget_params(res), benefits)
    return RunResult(res, population.copy(), None if beds is None else beds.copy(), paths.copy(), flags.copy(),
                     costs.copy(), copy.deepcopy(inputs), list(notes), dict(reasons))


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
    return build(
        des_inputs.DesParams, res,
        arrivals_per_year=tuple(float(x) for x in residents / los),
        general_beds=tuple(float(x) for x in np.round(total - (nursing if known else 0))),
        nursing_beds=tuple(float(x) for x in (np.round(nursing) if known else np.zeros_like(total))),
        **({} if known else {"nursing_need_share": 0.0}),
    )
