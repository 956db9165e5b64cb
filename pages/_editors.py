"""Editable tables whose rows outlive their widget (page switches), for the retrospective page's editors.

``st.data_editor`` forgets its edits when the page is left; :func:`kept_editor` keeps the last edited
frame in the session and makes it the editor's starting data when the widget state is gone;
:func:`replace_rows` gives an editor new rows (after an upload or a clear) and restarts its widget.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st


def saved_rows(name: str, empty: pd.DataFrame) -> pd.DataFrame:
    """The editor's last edited frame (``empty`` before its first edit)."""
    return st.session_state.get(f"{name}__saved", empty)


def kept_editor(name: str, empty: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
    """``st.data_editor`` whose rows outlive the widget (page switches); returns the edited frame."""
    saved_key, base_key, ver_key = f"{name}__saved", f"{name}__base", f"{name}__ver"
    wkey = f"{name}__{st.session_state.setdefault(ver_key, 0)}"
    if wkey not in st.session_state or base_key not in st.session_state:
        st.session_state[base_key] = st.session_state.get(saved_key, empty)
    edited = st.data_editor(st.session_state[base_key], key=wkey, num_rows="dynamic", hide_index=True,
                            width="stretch", **kwargs)
    st.session_state[saved_key] = edited
    return edited


def replace_rows(name: str, frame: pd.DataFrame) -> None:
    """Give the editor new starting rows (after an upload or a clear) and restart its widget."""
    st.session_state[f"{name}__saved"] = frame.reset_index(drop=True)
    st.session_state.pop(f"{name}__base", None)
    st.session_state[f"{name}__ver"] = st.session_state.get(f"{name}__ver", 0) + 1
