"""Containers whose content runs only while it is shown: tabs and expanders that track their state.

Streamlit builds every tab's and every expander's content on every rerun unless the container tracks its
state (``on_change="rerun"``): then opening it reruns the script and ``.open`` says whether to build the
content. On the beds page this halves the messages a lever change sends (three tabs -> one; the closed
base-lever grid and beds table are skipped); ``benchmarks/load_test.py --rerender-only`` measures it. The
sidebar's 管理方案 box (save, upload, share) is one too: it is on every page's every rerun.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages._session import LANGS
from pages._ui import load_locale, t


def lazy_tabs(label_keys: list[str], key: str) -> list[Any]:
    """Tabs whose content runs only while open: ``[(container, open), ...]`` in the order of ``label_keys``.

    Streamlit runs every tab's content on every rerun unless the tabs track state (``on_change="rerun"``);
    then switching a tab reruns the script and only the open tab is built. The state holds the open tab's
    label, so after a language switch the same tab is reopened under its new label.
    """
    labels = [t(k) for k in label_keys]
    chosen = st.session_state.get(key)
    if chosen is not None and chosen not in labels:  # the label of another language
        for lang in LANGS:
            names = [load_locale(lang).get(k) for k in label_keys]
            if chosen in names:
                st.session_state[key] = labels[names.index(chosen)]
                break
    tabs = st.tabs(labels, key=key, on_change="rerun")
    return [(tab, tab.open is not False) for tab in tabs]


def lazy_expander(label: str, key: str, *, expanded: bool = False, icon: str | None = None) -> tuple[Any, bool]:
    """An expander whose content runs only while it is open: ``(container, open)``.

    Same mechanism as :func:`lazy_tabs`: opening or closing it reruns the script. For content a rerun should
    not pay for while nobody looks at it (a lever grid, a long table).
    """
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun", icon=icon)
    return box, box.open is not False
