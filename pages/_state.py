"""Session state and cached model calls shared by app.py and the pages.

Session keys (also mirrored in the URL so a view can be shared):

* ``lang``     -- ``"zh"`` (default) or ``"en"``; query parameter ``lang``.
* ``district`` -- a district id from ``data/districts.csv`` (default ``chengkou``); query parameter
  ``district``.

Caching: ``models`` functions are pure and never import streamlit, so the caching lives here. Cached
functions take the data version as an argument (the dataset itself is loaded once per process by
:func:`models.data.dataset`), so a data change gives new cache entries.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

import streamlit as st

from models import share
from models.data import Dataset
from models.errors import ShapanError
from models.scenario import Scenario
from models.user_districts import dataset

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
DEFAULT_DISTRICT = "chengkou"


def leave_legacy_pages_mode() -> None:
    """Make sure app.py (sidebar, navigation) runs around every page.

    Streamlit treats an app that has a ``pages/`` folder as a legacy (v1) multipage app until the first
    ``st.navigation`` call in the process. If the first request after a server start is a deep link such
    as ``/data_sources``, that page script then runs on its own -- without app.py's sidebar -- and keeps
    doing so. (AppTest starts every run in that mode.) Leaving v1 mode and rerunning makes the rerun
    execute app.py, whose ``st.navigation`` resolves the same page (same url path -> same page hash).
    Called from :func:`init_lang` and :func:`current_lang`, i.e. before any text is shown.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    except ImportError:  # internal API moved: nothing to fix
        return
    if getattr(PagesManager, "uses_pages_directory", False) and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


def data() -> Dataset:
    """The project's dataset plus the user's districts (loaded once per process; ShapanError if broken)."""
    return dataset()


def _from_query(key: str, allowed: list[str] | tuple[str, ...], default: str) -> str:
    value = st.query_params.get(key)
    return value if value in allowed else default


def init_lang() -> str:
    """Set ``st.session_state.lang`` on the first run (from ``?lang=``); return the current language."""
    leave_legacy_pages_mode()
    if st.session_state.get("lang") not in LANGS:
        st.session_state["lang"] = _from_query("lang", LANGS, DEFAULT_LANG)
    return st.session_state["lang"]


def init_district(ds: Dataset) -> str:
    """Set ``st.session_state.district`` on the first run (from ``?district=``); return it."""
    ids = list(ds.districts["id"])
    load_shared_link(ds)
    if st.session_state.get("district") not in ids:
        default = DEFAULT_DISTRICT if DEFAULT_DISTRICT in ids else ids[0]
        st.session_state["district"] = _from_query("district", ids, default)
    return st.session_state["district"]


def current_lang() -> str:
    """The active UI language, ``"zh"`` or ``"en"``."""
    leave_legacy_pages_mode()
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def current_district() -> str:
    """The district chosen in the sidebar (``chengkou`` before the sidebar has run)."""
    return st.session_state.get("district", DEFAULT_DISTRICT)


def sync_query_params() -> None:
    """Write language and district to the URL (only when they changed, to avoid needless messages)."""
    for key in ("lang", "district"):
        value = st.session_state.get(key)
        if value is not None and st.query_params.get(key) != value:
            st.query_params[key] = value
    if SHARE_PARAM in st.query_params:  # once shared, the link follows the scenario
        try:
            token = encode_scenario()
        except ShapanError as err:  # grew over the link budget: drop the link, say why
            del st.query_params[SHARE_PARAM]
            notify("error", err)
            return
        if st.query_params.get(SHARE_PARAM) != token:
            st.query_params[SHARE_PARAM] = token


# ------------------------------------------------------------------------------------ scenario state
# One Scenario (what the user set) per district, in st.session_state["scenarios"][district]. Model runs
# are cached by the frozen scenario (hashed by its repr) and the data version (st.cache_data pickles results,
# so a session can never mutate another session's cached frames).


def _scenarios() -> dict[str, Any]:
    return st.session_state.setdefault("scenarios", {})


def current_scenario() -> Any:
    """The district's current Scenario (unresolved): the ``plan`` preset until the user changes it."""
    from models import presets

    district = current_district()
    store = _scenarios()
    if district not in store:
        use_scenario(presets.load_preset(district, "baseline", data()), "preset:baseline")
    return store[district]


def set_scenario(scenario: Any) -> None:
    """Replace the current district's scenario (already validated)."""
    _scenarios()[scenario.district] = scenario


def set_param(key: str, value: Any) -> None:
    """Set one parameter (validated: raises ShapanError naming key and range); unchanged -> no-op."""
    from models.scenario import check_params, validate_param

    scen = current_scenario()
    value = validate_param(key, value, data().assumptions)
    check_params({**scen.params, key: value}, data().assumptions)  # the scenario file's joint rules too
    if scen.params.get(key) != value:
        set_scenario(scen.with_params(**{key: value}))


def reset_param(key: str) -> None:
    set_scenario(current_scenario().without_param(key))


# ------------------------------------------------------------------ scenario origins (what it was loaded as)
# st.session_state["scenario_bases"][district] = (origin, Scenario as loaded); origin is "preset:<name>",
# "saved:<name>", "upload:<name>" or "url:<name>". "Modified" = current hash differs from the base's hash.
# Saved scenarios live in the session (st.session_state["saved_scenarios"][district][name]) and, when the
# folder is writable, in presets.user_dir().


def _bases() -> dict[str, tuple[str, Any]]:
    return st.session_state.setdefault("scenario_bases", {})


def saved_scenarios(district: str | None = None) -> dict[str, Any]:
    """This session's saved scenarios of a district: name -> Scenario."""
    store = st.session_state.setdefault("saved_scenarios", {})
    return store.setdefault(district or current_district(), {})


def use_scenario(scenario: Any, origin: str) -> None:
    """Make ``scenario`` its district's current scenario *and* the base that "modified" compares with."""
    _scenarios()[scenario.district] = scenario
    _bases()[scenario.district] = (origin, scenario)


def _base(district: str | None = None) -> tuple[str, Any]:
    district = district or current_district()
    if district not in _bases():
        from models import presets

        _bases()[district] = ("preset:baseline", presets.load_preset(district, "baseline", data()))
    return _bases()[district]


def scenario_origin(district: str | None = None) -> str:
    """Where the district's scenario came from: ``preset:plan``, ``saved:<name>``, ``upload:<name>`` ..."""
    return _base(district)[0]


def base_scenario(district: str | None = None) -> Any:
    """The scenario as it was loaded (preset, saved, uploaded or shared), before any change."""
    return _base(district)[1]


def is_modified() -> bool:
    """Whether the current scenario resolves to other numbers than the one it was loaded from."""
    return resolved().hash != resolved(base_scenario()).hash


def scenario_options(district: str | None = None) -> list[str]:
    """Select options: the district's presets, then saved scenarios (session + user folder)."""
    from models import presets

    district = district or current_district()
    names = set(saved_scenarios(district))
    with contextlib.suppress(OSError):  # unreadable user folder: session scenarios only
        names |= set(presets.list_user(district))
    return [f"preset:{n}" for n in presets.preset_names(district)] + [f"saved:{n}" for n in sorted(names)]


def load_origin(origin: str, district: str | None = None) -> Any:
    """Load a preset or saved scenario named by an option id (raises ShapanError)."""
    from models import presets

    district = district or current_district()
    kind, _, name = origin.partition(":")
    if kind == "preset":
        return presets.load_preset(district, name, data())
    if kind == "saved" and name in saved_scenarios(district):
        return saved_scenarios(district)[name]
    if kind == "saved":
        return presets.load_user(district, name, data())
    raise ShapanError("file_missing", file=origin)


def save_scenario(name: str) -> Any:
    """Rename the current scenario to ``name`` (checked) and keep it in the session; returns it.

    Writing it to the user folder is left to the caller (:func:`models.presets.save_user`).
    """
    from models import presets

    name = presets.check_name(name)
    scenario = dataclasses.replace(current_scenario(), name=name)
    saved_scenarios(scenario.district)[name] = scenario
    use_scenario(scenario, f"saved:{name}")
    return scenario


# ---------------------------------------------------------------------------------- share as a URL
# ?s=<token>: the scenario TOML, zlib-compressed, base64url without padding (codec and size budget in
# models.share). Decoded once per session (first run), validated like an upload; a bad token leaves the
# plan preset and a message. A scenario over the budget gets a message instead of a link.
SHARE_PARAM = share.PARAM


def encode_scenario(scenario: Any | None = None) -> str:
    """The share token of the current (or given) scenario; ShapanError ``share_too_long`` over budget."""
    return share.encode(scenario_text(scenario))


def decode_scenario(token: str, ds: Dataset) -> Any:
    """Scenario from a share token; ShapanError if it is not one, is over budget or does not validate."""
    from models import presets

    return presets.load_bytes(share.decode(token), ds, file=share.LINK)


def notify(level: str, message: Any, **fmt: Any) -> None:
    """Queue a sidebar message (a ShapanError, or a locale key + fields) for the next render."""
    st.session_state.setdefault("scenario_messages", []).append((level, message, fmt))


def load_shared_link(ds: Dataset) -> None:
    """On a session's first run, adopt the scenario in ``?s=`` (and its district); bad link -> message."""
    if st.session_state.get("share_checked"):
        return
    st.session_state["share_checked"] = True
    token = st.query_params.get(SHARE_PARAM)
    if token is None:
        return
    try:
        scenario = decode_scenario(token, ds)
    except ShapanError as err:
        notify("error", err)
    else:
        use_scenario(scenario, f"url:{scenario.name}")
        st.session_state["district"] = scenario.district
        notify("success", "scenario.url_loaded", name=scenario.name)
        return
    notify("warning", "scenario.url_fallback")
    del st.query_params[SHARE_PARAM]


def _scenario_or_current(scenario: Scenario | None) -> Scenario:
    return current_scenario() if scenario is None else scenario


def scenario_text(scenario: Any | None = None) -> str:
    from models.scenario import dumps

    return dumps(current_scenario() if scenario is None else scenario)


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
