"""The actuals input of the retrospective page: a table to type 2021–2025 actual values into, an upload.

Actuals are typed into a table (indicator from the district's targets, year, value, source) or uploaded
(CSV in UTF-8 / UTF-8 with BOM / GBK, or xlsx). An upload is read by :func:`models.backtest.read_actuals`
and appended to the table, so typed rows are never lost; a bad file shows the error (file, row, column)
and leaves the table as it was. The table itself is validated by the same function (its rows numbered
as in a file: header = row 1).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import backtest
from models.data import Dataset
from models.errors import ShapanError
from models.views import retrospective as rv
from models.views.text import plain
from pages._editors import kept_editor, replace_rows, saved_rows
from pages._session import current_lang
from pages._ui import show_error, t


def empty_actuals() -> pd.DataFrame:
    return pd.DataFrame({"indicator": pd.Series(dtype="object"), "year": pd.Series(dtype="Int64"),
                         "value": pd.Series(dtype="float64"), "source": pd.Series(dtype="object")})


def actuals_editor(ds: Dataset, district: str, name: str) -> pd.DataFrame:
    lang = current_lang()
    saved = saved_rows(name, empty_actuals())
    options = list(dict.fromkeys([*rv.target_indicators(ds, district), *saved["indicator"].dropna()]))
    lo, hi = backtest.YEARS
    return kept_editor(name, empty_actuals(), column_config={
        "indicator": st.column_config.SelectboxColumn(t("col.label"), options=options, required=True,
                                                      format_func=lambda i: ds.label(i, lang), width="large"),
        "year": st.column_config.NumberColumn(t("col.year"), min_value=lo, max_value=hi, step=1, format="%d",
                                              required=True),
        "value": st.column_config.NumberColumn(t("col.value"), required=True),
        "source": st.column_config.TextColumn(t("col.source")),
    })


def upload(box: Any, ds: Dataset, district: str, name: str, typed: pd.DataFrame) -> None:
    """Read an uploaded actuals file once; append its rows to the table or remember its error."""
    file = box.file_uploader(t("retrospective.upload"), type=["csv", "xlsx"], key=f"retro_upload_{district}",
                             help=t("retrospective.upload_help"))
    if file is None:
        return
    seen_key = f"retro_upload_seen_{district}"
    seen = st.session_state.get(seen_key)
    if seen is not None and seen[0] == file.file_id:
        if seen[1] is not None:
            with box:
                show_error(seen[1])
        return
    try:
        rows = backtest.read_actuals(file.getvalue(), file.name, ds, district)
    except ShapanError as err:
        st.session_state[seen_key] = (file.file_id, err)
        with box:
            show_error(err)
        return
    st.session_state[seen_key] = (file.file_id, None)
    st.session_state[f"retro_upload_note_{district}"] = t("retrospective.uploaded", file=plain(file.name),
                                                          rows=len(rows))
    added = rows[rows["kind"] == "actual"][rv.ACTUAL_COLUMNS]
    replace_rows(name, pd.concat([typed[rv.ACTUAL_COLUMNS], added], ignore_index=True))
    st.rerun()


def validated_actuals(ds: Dataset, district: str, typed: pd.DataFrame) -> pd.DataFrame | None:
    """The typed table read like a file (same checks, rows numbered header = 1); None if empty or bad."""
    if typed.empty:
        return None
    try:  # the file validator on the typed cells themselves (no CSV round trip: shown as typed)
        return backtest.read_actuals_frame(typed[rv.ACTUAL_COLUMNS], t("retrospective.editor_file"), ds, district)
    except ShapanError as err:
        show_error(err)
        st.caption(t("retrospective.row_hint"))
        return None


def actuals_input(ds: Dataset, district: str) -> pd.DataFrame:
    """The actuals table with its upload box, upload note and clear button; returns the typed rows."""
    upload_box = st.container()
    name = f"retro_actuals_{district}"
    typed = actuals_editor(ds, district, name)
    note = st.session_state.pop(f"retro_upload_note_{district}", None)
    if note:
        upload_box.success(note, icon=":material/upload_file:")
    upload(upload_box, ds, district, name, typed)
    if not typed.empty:
        st.button(t("retrospective.clear"), key=f"retro_clear_{district}", icon=":material/delete:",
                  on_click=replace_rows, args=(name, empty_actuals()))
    return typed
