"""The scenario store of a session: current scenario per district, where it came from, saved scenarios,
parameter edits and the share link (``?s=``).

* ``st.session_state["scenarios"][district]`` -- the district's current Scenario (what the user set);
  the ``baseline`` preset until the user changes it.
* ``st.session_state["scenario_bases"][district]`` -- ``(origin, Scenario as loaded)``; origin is
  ``"preset:<name>"``, ``"saved:<name>"``, ``"upload:<name>"`` or ``"url:<name>"``. "Modified" compares
  the current scenario's hash with the base's (:func:`pages._cache.is_modified`).
* ``st.session_state["saved_scenarios"][district][name]`` -- scenarios saved in this session (and, when
  the folder is writable, in ``presets.user_dir()``).

Share link ``?s=<token>``: codec and size budget in :mod:`models.share`; here it is read once per session
(validated like an upload; a bad token -> baseline preset and a message) and kept following the scenario.
Imports :mod:`pages._session` only (never :mod:`pages._cache`, which imports this module).
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

import streamlit as st

from models import share
from models.data import Dataset
from models.errors import ShapanError
from pages._session import current_district, data, notify

SHARE_PARAM = share.PARAM


def _store() -> dict[str, Any]:
    return st.session_state.setdefault("scenarios", {})


def _bases() -> dict[str, tuple[str, Any]]:
    return st.session_state.setdefault("scenario_bases", {})


def current_scenario() -> Any:
    """The district's current Scenario (unresolved): the ``baseline`` preset until the user changes it."""
    from models import presets

    district = current_district()
    store = _store()
    if district not in store:
        use_scenario(presets.load_preset(district, "baseline", data()), "preset:baseline")
    return store[district]


def set_scenario(scenario: Any) -> None:
    """Replace the current district's scenario (already validated)."""
    _store()[scenario.district] = scenario


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


def scenario_text(scenario: Any | None = None) -> str:
    """The current (or given) scenario as scenario-file TOML."""
    from models.scenario import dumps

    return dumps(current_scenario() if scenario is None else scenario)


# ------------------------------------------------------------------ scenario origins (what it was loaded as)
def saved_scenarios(district: str | None = None) -> dict[str, Any]:
    """This session's saved scenarios of a district: name -> Scenario."""
    store = st.session_state.setdefault("saved_scenarios", {})
    return store.setdefault(district or current_district(), {})


def use_scenario(scenario: Any, origin: str) -> None:
    """Make ``scenario`` its district's current scenario *and* the base that "modified" compares with."""
    _store()[scenario.district] = scenario
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
def encode_scenario(scenario: Any | None = None) -> str:
    """The share token of the current (or given) scenario; ShapanError ``share_too_long`` over budget."""
    return share.encode(scenario_text(scenario))


def decode_scenario(token: str, ds: Dataset) -> Any:
    """Scenario from a share token; ShapanError if it is not one, is over budget or does not validate."""
    from models import presets

    return presets.load_bytes(share.decode(token), ds, file=share.LINK)


def load_shared_link(ds: Dataset) -> None:
    """On a session's first run, adopt the scenario in ``?s=`` (and its district); bad link -> message.

    app.py calls it before :func:`pages._session.init_district`, so the link's district wins.
    """
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


def sync_share_param() -> None:
    """Once shared, the link follows the scenario: rewrite ``?s=`` when the scenario changed; a scenario
    grown over the link budget loses its link, with a message saying why."""
    if SHARE_PARAM not in st.query_params:
        return
    try:
        token = encode_scenario()
    except ShapanError as err:
        del st.query_params[SHARE_PARAM]
        notify("error", err)
        return
    if st.query_params.get(SHARE_PARAM) != token:
        st.query_params[SHARE_PARAM] = token
