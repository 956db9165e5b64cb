"""Declarative model parameters: each field of a parameter dataclass names the scenario key it reads.

A model's frozen parameter dataclass declares, per field, where its value comes from::

    @dataclass(frozen=True, kw_only=True)
    class BedParams:
        base_year: int = params.scenario_field("base_year")
        retirement_rate_pct: float = params.reads("beds.retirement_rate_pct")
        projects: tuple[Project, ...] = ()          # derived: passed to build() explicitly

and one generic builder fills it from a resolved scenario (:class:`models.resolve.Resolved`)::

    params.build(BedParams, res, projects=(...))

Rules (checked by ``tests/test_params.py``): a declared field is named after the last segment of its key, so a
lever keeps one name from widget (``pages/_levers.py`` keys widgets by the scenario key) to model; every key
declared exists in :data:`models.scenario.PARAMS`; every key of ``PARAMS`` is declared by some field or listed
in :data:`READ_ELSEWHERE` with the place that reads it, so a new scenario parameter cannot be silently ignored.
Derived inputs (data-derived bases, projects, wage tables) are passed to :func:`build` by name and may only fill
undeclared fields.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from models.errors import ShapanError

_KEY, _CONVERT, _SCENARIO = "key", "convert", "scenario"

# Scenario keys no parameter dataclass declares, and the code that reads them (kept complete by a test).
READ_ELSEWHERE: dict[str, str] = {
    "population.net_migrants_45_59_per_year": "models.migration.per_year (derived input net_migrants_per_year)",
    "population.net_migrants_60_64_per_year": "models.migration.per_year (derived input net_migrants_per_year)",
    "population.net_migrants_65_79_per_year": "models.migration.per_year (derived input net_migrants_per_year)",
    "population.net_migrants_80plus_per_year": "models.migration.per_year (derived input net_migrants_per_year)",
    "beds.base_occupancy_pct": "models.resolve (calibrates beds.institutionalisation_rate_pct), models.target_modes",
    "targets.tracked_on_track_pp": "models.target_modes (status of tracked targets)",
    "targets.tracked_at_risk_pp": "models.target_modes (status of tracked targets)",
    "targets.tracked_on_track_growth_pct": "models.target_modes (status of tracked targets)",
    "targets.tracked_at_risk_growth_pct": "models.target_modes (status of tracked targets)",
    "targets.tracked_at_risk_ratio": "models.target_modes (status of tracked targets)",
    "budget.share_central_pct": "models.budget.split_by_level (pages/budget.py: who pays)",
    "budget.share_municipal_pct": "models.budget.split_by_level (pages/budget.py: who pays)",
    "uncertainty.growth_sd_pct": "models.targets.draw_parameters (Monte Carlo)",
    "uncertainty.beds_delivery_sd_pct": "models.targets.draw_parameters (Monte Carlo)",
    "uncertainty.mortality_sd": "models.targets.draw_parameters (Monte Carlo)",
    "uncertainty.draws": "models.targets.monte_carlo (number of draws; also the report, goal-seek and drivers)",
    "uncertainty.pop_base_sd_pct": "models.targets.draw_parameters (Monte Carlo)",
    "uncertainty.age_shape_sd_pp": "models.targets.draw_parameters (Monte Carlo)",
}


def reads(scenario_key: str, *, convert: Callable[[Any], Any] | None = None, **kwargs: Any) -> Any:
    """A dataclass field filled by :func:`build` from ``scenario_key`` (optionally through ``convert``)."""
    return dataclasses.field(metadata={_KEY: scenario_key, _CONVERT: convert}, **kwargs)


def scenario_field(name: str, **kwargs: Any) -> Any:
    """A dataclass field filled from the scenario itself (``base_year``, ``end_year``, ``announced``)."""
    return dataclasses.field(metadata={_SCENARIO: name}, **kwargs)


def nan_to_none(value: Any) -> Any:
    """A scenario NaN ("not published") as the model's ``None`` ("not given")."""
    return None if isinstance(value, float) and math.isnan(value) else value


def declared(cls: type) -> dict[str, str]:
    """Field name -> scenario key of every declared field of ``cls``."""
    return {f.name: f.metadata[_KEY] for f in dataclasses.fields(cls) if _KEY in f.metadata}


def build(cls: type, res: Any, **derived: Any) -> Any:
    """``cls`` with its declared fields read from ``res`` (a :class:`models.resolve.Resolved`) and the
    derived inputs ``derived`` (which may only fill undeclared fields)."""
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if _KEY in f.metadata:
            if f.name in derived:
                raise TypeError(f"{cls.__name__}.{f.name} reads {f.metadata[_KEY]!r}; it is not a derived input")
            if f.metadata[_KEY] not in res.values:
                raise ShapanError("missing_key", file="scenario", key=f.metadata[_KEY])
            value = res.values[f.metadata[_KEY]]
            convert = f.metadata[_CONVERT]
            kwargs[f.name] = value if convert is None else convert(value)
        elif _SCENARIO in f.metadata and f.name not in derived:
            kwargs[f.name] = getattr(res.scenario, f.metadata[_SCENARIO])
    unknown = set(derived) - {f.name for f in dataclasses.fields(cls)}
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    return cls(**kwargs, **derived)


def stage_cache(maxsize: int = 64) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Memoise a model stage ``fn(ds, *parts)`` by the data set (identity) and the exact ``repr`` of its frozen
    parameter parts (exact floats; NaN equals NaN). Results are shared between callers: treat them as
    read-only (:func:`models.engine.run` copies frames). Thread-safe; least recently used entries go first."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        store: OrderedDict[tuple, Any] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def cached(ds: Any, *parts: Any) -> Any:
            k = (ds, tuple(repr(p) for p in parts))
            with lock:
                if k in store:
                    store.move_to_end(k)
                    return store[k]
            value = fn(ds, *parts)
            with lock:
                store[k] = value
                while len(store) > maxsize:
                    store.popitem(last=False)
            return value

        cached.cache_clear = store.clear  # type: ignore[attr-defined]
        return cached

    return wrap
