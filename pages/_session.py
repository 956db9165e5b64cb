"""Per-session choices shared by app.py and the pages: language, district, URL sync, message queue.

Session keys (also mirrored in the URL so a view can be shared):

* ``lang``     -- ``"zh"`` (default) or ``"en"``; query parameter ``lang``.
* ``district`` -- a district id from ``data/districts.csv`` (default ``chengkou``); query parameter
  ``district``.
* ``scenario_messages`` -- sidebar messages queued with :func:`notify`, shown by ``pages/_scenario_ui.py``.

The scenario itself lives in :mod:`pages._scenarios`, cached model runs in :mod:`pages._cache`. This
module imports neither (they import it), so the state modules form a line:
``_frame <- _session <- _scenarios <- _cache``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from models.data import Dataset
from models.user_districts import dataset
from pages._frame import leave_legacy_pages_mode

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
DEFAULT_DISTRICT = "chengkou"


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
    """Set ``st.session_state.district`` on the first run (from ``?district=``); return it.

    A shared scenario link (``?s=``) names its own district: app.py adopts it first
    (:func:`pages._scenarios.load_shared_link`), so it wins over ``?district=``.
    """
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


def notify(level: str, message: Any, **fmt: Any) -> None:
    """Queue a sidebar message (a ShapanError, or a locale key + fields) for the next render."""
    st.session_state.setdefault("scenario_messages", []).append((level, message, fmt))
