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

import importlib.util
from typing import Any

import streamlit as st

from models.data import Dataset, dataset

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
    """The project's dataset (loaded and validated once per process; raises ShapanError if broken)."""
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


def scenario_sidebar() -> None:
    """Scenario picker in the sidebar (load / save / upload / share). Stub: filled in by the scenario work.

    Called from app.py inside ``with st.sidebar:`` between the district picker and the data-version
    footer. It should store the chosen, resolved scenario in ``st.session_state["scenario"]``.
    """
    return None


def current_scenario() -> Any | None:
    """The resolved scenario chosen in the sidebar, or ``None`` while no picker exists yet."""
    return st.session_state.get("scenario")


def checks_available() -> bool:
    """Whether ``models/checks.py`` exists yet (another work stream writes it)."""
    try:
        return importlib.util.find_spec("models.checks") is not None
    except ImportError:
        return False


@st.cache_data(show_spinner=False)
def _run_checks(data_version: str) -> list[dict[str, Any]]:
    from models.checks import run_checks

    return list(run_checks(data()))


def quality_findings(data_version: str) -> list[dict[str, Any]] | None:
    """``models.checks.run_checks(dataset())``, cached per data version; ``None`` if checks.py is absent."""
    if not checks_available():
        return None
    return _run_checks(data_version)
