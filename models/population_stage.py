"""The population stage of a run (:mod:`models.engine`): parameters from the resolved scenario, projection.

:class:`models.population.PopulationParams` and :class:`ShapeParams` declare the scenario keys they read
(:mod:`models.params`); the net migrants by age band are a derived input (:func:`models.migration.per_year`).
The deterministic projection is cached by those frozen parameters (:func:`models.params.stage_cache`), so a
lever of another stage does not re-project the population.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from models import migration
from models import population as pp
from models.data import Dataset
from models.params import build, reads, scenario_field, stage_cache
from models.resolve import Resolved, base_shape

COLUMNS = {"pop_60plus": "population_60plus", "pop_65plus": "population_65plus",
           "pop_80plus": "population_80plus", "pop_45_59": "population_45_59"}


@dataclass(frozen=True, kw_only=True)
class ShapeParams:
    """The base-year age shape: the uploaded age table (else WPP), rescaled to the 65+/60+ share in force."""

    share_65_of_60_pct: float = reads("population.share_65_of_60_pct")
    age_45_59_factor: float = reads("population.age_45_59_factor")
    age_table: tuple[tuple[str, float], ...] = scenario_field("age_table", default=())


@cache
def age_tables(ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(national WPP 2019 age shape, single-year death probabilities qx from WPP 2024 mortality)."""
    wpp = ds.reference("china_wpp2019_population_2020")
    mx = ds.reference("china_wpp2024_mortality_mx")
    return pp.age_shape(wpp), pp.qx_from_mx(pp.death_rates(mx, wpp))


def population_params(res: Resolved) -> pp.PopulationParams:
    return build(pp.PopulationParams, res, net_migrants_per_year=migration.per_year(res.values))


def shape_of(params: ShapeParams, ds: Dataset) -> np.ndarray:
    return pp.rescale_shape(base_shape(params.age_table, ds), params.share_65_of_60_pct, params.age_45_59_factor)


def census_shape(res: Resolved, ds: Dataset) -> np.ndarray:
    """The base age shape (the district's uploaded age table, else the national WPP shape) rescaled to
    the 65+/60+ in force (census of the province or neighbours, or the table's own)."""
    return shape_of(build(ShapeParams, res), ds)


class Drawn:
    """An array of draws as a stage-cache key part: its ``repr`` is the digest of its exact bytes."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def __repr__(self) -> str:
        arr = np.asarray(self.values)
        return f"Drawn({arr.dtype}, {arr.shape}, {hashlib.sha256(arr.tobytes()).hexdigest()})"


def population_draws(res: Resolved, ds: Dataset, mortality_multiplier: np.ndarray,
                     share_65_of_60_pct: np.ndarray) -> dict[str, np.ndarray]:
    """Population summaries (n, years) with the 65+/60+ share and the mortality multiplier drawn.

    The projection is linear in the base population, so the base is split into ages 45–59, 60–64 and
    65+ (:func:`models.population.rescale_shape`), each projected once with the mortality draws and
    recombined per draw with the drawn share. Cached by the stage's parameters and the draws (fresh copies
    are returned), so a Monte Carlo after a beds or 低保 lever does not re-project the population."""
    out = _draws(ds, population_params(res), build(ShapeParams, res), Drawn(mortality_multiplier),
                 Drawn(share_65_of_60_pct))
    return {k: v.copy() for k, v in out.items()}


@stage_cache(maxsize=16)
def _draws(ds: Dataset, params: pp.PopulationParams, shape: ShapeParams, mortality: Drawn,
           share_drawn: Drawn) -> dict[str, np.ndarray]:
    mortality_multiplier, share_65_of_60_pct = mortality.values, share_drawn.values
    _, qx = age_tables(ds)
    full = pp.base_population(params.pop_60plus_base, shape_of(shape, ds))
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
    return pp.summarise(pop, params.disability_prevalence_60_69_pct, params.disability_prevalence_70_79_pct,
                        params.disability_prevalence_80plus_pct)


@stage_cache()
def project(ds: Dataset, params: pp.PopulationParams, shape: ShapeParams) -> pd.DataFrame:
    """The deterministic projection (shared, read-only: copy before modifying)."""
    _, qx = age_tables(ds)
    return pp.project_summary(params, shape_of(shape, ds), qx).rename(columns=COLUMNS)


def run_population(res: Resolved, ds: Dataset) -> pd.DataFrame:
    return project(ds, population_params(res), build(ShapeParams, res)).copy()
