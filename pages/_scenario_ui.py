"""Sidebar scenario panel (rendered by app.py in the sidebar; its state lives in :mod:`pages._scenarios`).

One select lists the district's presets (plan / freeze / stress, translated) and saved scenarios; under
it the current scenario's name, hash and a "modified" badge, a reset button, and an expander to save
(session + user folder + TOML download), upload a TOML file, and share the scenario as a URL (``?s=``).
Every change happens in a widget callback, so the page below already sees the new scenario. Errors are
queued with :func:`pages._session.notify` and shown here, in the user's language; the current scenario is
left untouched when a file or link does not validate.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import streamlit as st

from models import presets
from models.errors import ShapanError
from models.views.text import plain
from pages import _cache, _scenarios, _session
from pages._lazy import lazy_expander
from pages._ui import show_error, t, t_or

MESSAGE_LEVELS = {"error": st.error, "warning": st.warning, "success": st.success, "info": st.info}


def display_name(name: str) -> str:
    """A preset's translated name (``plan`` -> 规划路径); other names unchanged."""
    return t_or(f"scenario.preset_{name}", name) if name in presets.PRESET_NAMES else name


def origin_label(origin: str) -> str:
    kind, _, name = origin.partition(":")
    return t_or(f"scenario.origin_{kind}", "{name}").format(name=display_name(name))


# ------------------------------------------------------------------------------------------ callbacks


def _on_pick(district: str, wkey: str) -> None:
    origin = st.session_state.get(wkey)
    try:
        _scenarios.use_scenario(_scenarios.load_origin(origin, district), origin)
    except ShapanError as err:
        _session.notify("error", err)


def _on_reset(district: str) -> None:
    _scenarios.set_scenario(_scenarios.base_scenario(district))


def _on_save(district: str) -> None:
    try:
        scenario = _scenarios.save_scenario(st.session_state.get(f"sc_name_{district}", ""))
    except ShapanError as err:
        _session.notify("error", err)
        return
    try:
        path = presets.save_user(scenario)
    except (ShapanError, OSError) as exc:  # the OS's reason only: str(OSError) names the server path
        detail = exc.message(_session.current_lang()) if isinstance(exc, ShapanError) else (
            exc.strerror or type(exc).__name__)
        _session.notify("warning", "scenario.saved_session_only", name=scenario.name, detail=detail)
        return
    _session.notify("success", "scenario.saved", name=scenario.name, file=path.name)


def _on_upload(wkey: str) -> None:
    upload = st.session_state.get(wkey)
    if upload is None:
        return
    st.session_state["sc_upload_n"] = st.session_state.get("sc_upload_n", 0) + 1  # fresh, empty uploader
    try:
        scenario = presets.load_bytes(upload.getvalue(), _session.data(), file=upload.name)
    except ShapanError as err:
        _session.notify("error", err)
        _session.notify("info", "scenario.upload_unchanged")
        return
    _scenarios.use_scenario(scenario, f"upload:{scenario.name}")
    if scenario.district != _session.current_district():
        st.session_state["district"] = scenario.district  # allowed: the district select renders after this
        _session.notify("info", "scenario.upload_switched", district=scenario.district)
    _session.notify("success", "scenario.uploaded", name=scenario.name)


def _on_share() -> None:
    try:
        st.query_params[_scenarios.SHARE_PARAM] = _scenarios.encode_scenario()
    except ShapanError as err:  # over the link budget: no link that would not open
        _session.notify("error", err)


def _on_unshare() -> None:
    st.query_params.pop(_scenarios.SHARE_PARAM, None)


# -------------------------------------------------------------------------------------------- render


def share_url() -> str:
    """The link that reopens this view (language, district, scenario)."""
    query = {k: st.query_params.get(k) for k in ("lang", "district")}
    query = {k: v for k, v in query.items() if v} | {_scenarios.SHARE_PARAM: _scenarios.encode_scenario()}
    base = (st.context.url or "").rstrip("/")  # includes the page's path, so the link opens this page
    return f"{base}?{urlencode(query)}"


def show_messages() -> None:
    for level, message, fmt in st.session_state.pop("scenario_messages", []):
        if isinstance(message, ShapanError):
            show_error(message)
        else:
            MESSAGE_LEVELS.get(level, st.info)(t(message, **{k: plain(v) for k, v in fmt.items()}))


def picker(district: str) -> None:
    options = _scenarios.scenario_options(district)
    origin = _scenarios.scenario_origin(district)
    if origin not in options:
        options.append(origin)
    wkey = f"sc_pick_{district}"
    st.session_state[wkey] = origin
    labels = {o: origin_label(o) for o in options}  # bound at render time (language of this run)
    st.selectbox(t("scenario.select"), options, key=wkey, format_func=labels.__getitem__, on_change=_on_pick,
                 args=(district, wkey), help=t("scenario.select_help"))


def status(district: str) -> bool:
    scenario = _scenarios.current_scenario()
    modified = _cache.is_modified()
    badge = f" :orange-badge[{t('scenario.modified')}]" if modified else ""
    name = plain(display_name(scenario.name))
    st.caption(t("scenario.current", name=name, hash=_cache.resolved().hash) + badge)
    st.button(t("scenario.reset"), key=f"sc_reset_{district}", on_click=_on_reset, args=(district,),
              disabled=not modified, icon=":material/undo:", width="stretch", help=t("scenario.reset_help"))
    return modified


def save_box(district: str) -> None:
    scenario = _scenarios.current_scenario()
    st.text_input(t("scenario.save_name"), key=f"sc_name_{district}", max_chars=presets.NAME_LIMIT,
                  placeholder=t("scenario.save_placeholder"), help=t("scenario.save_help"))
    st.button(t("scenario.save"), key=f"sc_save_{district}", on_click=_on_save, args=(district,),
              icon=":material/save:", width="stretch")
    st.download_button(
        t("scenario.download"), data=_scenarios.scenario_text(), file_name=f"{district}_{scenario.name}.toml",
        mime="application/toml", key=f"sc_download_{district}", on_click="ignore",
        icon=":material/download:", width="stretch",
    )


def upload_box() -> None:
    wkey = f"sc_upload_{st.session_state.get('sc_upload_n', 0)}"
    st.file_uploader(t("scenario.upload"), type=["toml"], key=wkey, on_change=_on_upload, args=(wkey,),
                     help=t("scenario.upload_help"))


def share_box() -> None:
    url = None
    if _scenarios.SHARE_PARAM in st.query_params:
        try:
            url = share_url()
        except ShapanError as err:  # the scenario outgrew the link budget since it was shared
            show_error(err)
    if url is not None:
        st.code(url, language=None)
        st.caption(t("scenario.share_hint"))
        st.button(t("scenario.unshare"), key="sc_unshare", on_click=_on_unshare, icon=":material/link_off:")
    else:
        st.button(t("scenario.share"), key="sc_share", on_click=_on_share, icon=":material/link:",
                  width="stretch", help=t("scenario.share_help"))


def render() -> Any:
    district = _session.current_district()
    st.markdown(f"**{t('scenario.heading')}**")
    show_messages()
    picker(district)
    status(district)
    box, shown = lazy_expander(t("scenario.manage"), key="sc_manage", icon=":material/folder_open:")
    if not shown:  # closed: its widgets and the scenario file are not built on every rerun
        return None
    with box:
        save_box(district)
        st.divider()
        upload_box()
        st.divider()
        share_box()
