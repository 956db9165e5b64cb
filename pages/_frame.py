"""The Streamlit process tweaks of the app: leave legacy (v1) multipage mode; freeze the long-lived heap.

``pages/`` is a fixed top-level folder of this project, so Streamlit treats the app as a legacy multipage
app until the first ``st.navigation`` call in the process. This module is the only place that touches the
Streamlit internal that controls it (``PagesManager.uses_pages_directory``); ``tests/test_frame.py`` checks
that the attribute named in :data:`ATTRIBUTE` still exists, and ``pyproject.toml`` pins the Streamlit range
it was checked against. Nothing else in the project reaches into Streamlit's private modules.
"""

from __future__ import annotations

import gc

import streamlit as st

ATTRIBUTE = "uses_pages_directory"  # PagesManager class attribute: True = legacy v1 multipage mode


def leave_legacy_pages_mode() -> None:
    """Make sure app.py (sidebar, navigation) runs around every page.

    If the first request after a server start is a deep link such as ``/data_sources``, that page script
    runs on its own -- without app.py's sidebar -- and keeps doing so. (AppTest starts every run in that
    mode.) Leaving v1 mode and rerunning makes the rerun execute app.py, whose ``st.navigation`` resolves
    the same page (same url path -> same page hash). Called by :mod:`pages._session` before any text is
    shown (``init_lang`` and ``current_lang``).
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    except ImportError:  # internal API moved: nothing to fix (tests/test_frame.py fails instead)
        return
    if getattr(PagesManager, ATTRIBUTE, False) and get_script_run_ctx() is not None:
        setattr(PagesManager, ATTRIBUTE, False)
        st.rerun()


_frozen: list[bool] = []  # process-wide: the heap is frozen once, after the first full run


def freeze_heap_once() -> None:
    """Move every object alive after the first full script run into Python's permanent GC generation.

    Streamlit runs a full ``gc.collect(2)`` after every script run (``runner.postScriptGC``), holding the GIL,
    so the last messages of a rerun (the charts below the levers) wait for it. After the first run the
    process holds ~150,000 tracked objects that live as long as it does (pandas, scipy, altair, the dataset,
    the label tables), and walking them took ~110 ms per rerun on the CI machine type. ``gc.freeze()`` (after
    one collection, so nothing dead is kept) takes them out of every later collection; objects created later
    -- sessions, cached model runs -- are collected as before. Measured with
    ``python benchmarks/load_test.py --rerender-only``.
    """
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen.append(True)
