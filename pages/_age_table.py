"""The district's own 5-year age table on the population page: upload, what is in use, remove.

Parsing and validation live in :mod:`models.age_table`; the table is stored in the scenario
(``[population.age_table]``), so it travels with saved scenarios and share links."""

from __future__ import annotations

from typing import Any

import streamlit as st

from models import age_table
from models.errors import ShapanError
from pages import _scenarios, _session
from pages._ui import format_number, show_error, t


def _remove() -> None:
    _scenarios.set_scenario(_scenarios.current_scenario().with_age_table(None))


def _apply(data: bytes, name: str) -> ShapanError | None:
    """Parse an upload and put it in the current scenario; the error, if any."""
    try:
        table = age_table.parse(data, name)
    except ShapanError as err:
        return err
    _scenarios.set_scenario(_scenarios.current_scenario().with_age_table(table))
    return None


def upload() -> None:
    """Uploader (read once per file), then the table in use with its 60+ and 65+/60+, and a remove button."""
    district = _session.current_district()
    st.subheader(t("population.age_table"))
    file = st.file_uploader(t("population.age_table_upload"), type=["csv", "xlsx"], key=f"age_table_{district}",
                            help=t("population.age_table_help"))
    seen_key = f"age_table_seen_{district}"
    if file is not None:
        seen = st.session_state.get(seen_key)
        if seen is None or seen[0] != file.file_id:
            seen = (file.file_id, _apply(file.getvalue(), file.name))
            st.session_state[seen_key] = seen
            if seen[1] is None:
                st.rerun()  # the page above was drawn with the previous age shape
        if seen[1] is not None:
            show_error(seen[1])
    scen: Any = _scenarios.current_scenario()
    if not scen.age_table:
        st.caption(t("population.age_table_none"))
        return
    table = age_table.from_labels(dict(scen.age_table))
    st.caption(t("population.age_table_in_use", groups=len(table.groups), open=f"{table.open_start}+",
                 p60=format_number(table.total(60), 0), share=format_number(table.share_65_of_60_pct, 1)))
    st.button(t("population.age_table_remove"), key=f"age_table_remove_{district}", on_click=_remove,
              icon=":material/delete:")
