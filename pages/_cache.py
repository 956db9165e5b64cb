"""Cached model runs for the pages: ``st.cache_data`` wrappers around pure ``models`` functions.

``models`` never imports streamlit, so the caching lives here. Every wrapper is keyed by the frozen
:class:`models.scenario.Scenario` itself -- hashed by its ``repr`` (a frozen dataclass of frozen values:
every field, exact floats), so a cache hit costs no TOML serialisation -- and by the data version (the
dataset is loaded once per process by :func:`pages._session.data`, so a data change gives new entries).
``st.cache_data`` pickles results, so a session can never mutate another session's cached frames.
A scenario not seen before is validated once, through the scenario file's rules, on its way to
:func:`models.resolve.resolve`.

Imports :mod:`pages._session` and :mod:`pages._scenarios` (neither imports this module).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from models.scenario import Scenario
from pages._scenarios import base_scenario, current_scenario
from pages._session import data


def _scenario_or_current(scenario: Scenario | None) -> Scenario:
    return current_scenario() if scenario is None else scenario


def _scenario_key(scenario: Scenario) -> str:
    """Cache key of a scenario: its repr (a frozen dataclass of frozen values: every field, exact floats)."""
    return repr(scenario)


# Model runs are cached by the frozen Scenario itself (hashed by its repr) and the data version: a cache hit
# costs no TOML serialisation; a new scenario is validated once, as a scenario file would be.
CACHE = {"hash_funcs": {Scenario: _scenario_key}}


@st.cache_data(show_spinner=False, max_entries=256, **CACHE)
def _resolve(scenario: Scenario, data_version: str) -> Any:
    from models import presets
    from models.resolve import resolve
    from models.scenario import dumps

    ds = data()
    return resolve(presets.load_text(dumps(scenario), ds), ds)  # every edit path meets the file's rules


@st.cache_data(show_spinner=False, max_entries=256, **CACHE)
def _resolve_run(scenario: Scenario, data_version: str) -> tuple[Any, Any]:
    from models import engine

    res = _resolve(scenario, data_version)
    return res, engine.run(res, data())


def resolved(scenario: Any | None = None) -> Any:
    """The resolved current (or given) scenario: values, provenance, hash (no model run)."""
    return _resolve(_scenario_or_current(scenario), data().version)


def result(scenario: Any | None = None) -> Any:
    """The deterministic RunResult of the current (or given) scenario (cached)."""
    return _resolve_run(_scenario_or_current(scenario), data().version)[1]


@st.cache_data(show_spinner=False, max_entries=64, **CACHE)
def _targets(scenario: Scenario, data_version: str, mc_n: int) -> Any:
    from models import targets as tg

    res, run = _resolve_run(scenario, data_version)
    return tg.assess(res, data(), result=run, mc_n=mc_n)


def targets(scenario: Any | None = None, mc_n: int | None = None) -> Any:
    """Every target with mode, status and P(met) from the scenario's Monte Carlo (``mc_n`` draws; default the
    scenario's ``uncertainty.draws``, the same basis as the CLI and the report), cached."""
    if mc_n is None:
        mc_n = int(resolved(scenario)["uncertainty.draws"])
    return _targets(_scenario_or_current(scenario), data().version, int(mc_n))


@st.cache_data(show_spinner=False, max_entries=32, **CACHE)
def _monte_carlo(scenario: Scenario, data_version: str, n: int) -> dict[str, Any]:
    from models import targets as tg

    res, _ = _resolve_run(scenario, data_version)
    return tg.monte_carlo(res, data(), n=n)


def monte_carlo(n: int, scenario: Any | None = None) -> dict[str, Any]:
    """Monte Carlo draws (arrays n × years per indicator), cached by scenario, data and n."""
    return _monte_carlo(_scenario_or_current(scenario), data().version, n)


@st.cache_data(show_spinner=False, max_entries=16, **CACHE)
def _drivers(scenario: Scenario, data_version: str, n: int) -> Any:
    from models import drivers

    res, run = _resolve_run(scenario, data_version)
    from models import targets as tg

    return drivers.rank(res, data(), tg.evaluate(run, data()), n=n)


def drivers(n: int, scenario: Any | None = None) -> Any:
    """Drivers of a miss per modelled target (models.drivers.rank), cached by scenario, data and n."""
    return _drivers(_scenario_or_current(scenario), data().version, n)


@st.cache_data(show_spinner=False, max_entries=128, **CACHE)
def _goal_seek(scenario: Scenario, data_version: str, indicator: str, year: int | None, lever: str) -> dict[str, Any]:
    from models import targets as tg

    res, _ = _resolve_run(scenario, data_version)
    return tg.solve(res, data(), indicator, lever, year=year)


def goal_seek(indicator: str, lever: str, year: int | None = None,
              scenario: Any | None = None) -> dict[str, Any]:
    """``models.targets.solve`` on the current (or given) scenario, cached; ShapanError if no solution."""
    return _goal_seek(_scenario_or_current(scenario), data().version, indicator, year, lever)


@st.cache_data(show_spinner=False, max_entries=128, **CACHE)
def _moving_levers(scenario: Scenario, data_version: str, indicator: str, year: int) -> list[str]:
    from models import targets as tg

    res, _ = _resolve_run(scenario, data_version)
    return tg.moving_levers(res, data(), indicator, year)


def moving_levers(indicator: str, year: int, scenario: Any | None = None) -> list[str]:
    """The goal-seek levers that move ``indicator`` in ``year`` on the current scenario (cached)."""
    return _moving_levers(_scenario_or_current(scenario), data().version, indicator, int(year))


@st.cache_data(show_spinner=False)
def _run_checks(data_version: str) -> list[dict[str, Any]]:
    from models.checks import run_checks

    return list(run_checks(data()))


def quality_findings(data_version: str) -> list[dict[str, Any]]:
    """``models.checks.run_checks(dataset())``, cached per data version."""
    return _run_checks(data_version)


def is_modified() -> bool:
    """Whether the current scenario resolves to other numbers than the one it was loaded from."""
    return resolved().hash != resolved(base_scenario()).hash
