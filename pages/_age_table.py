"""The district's own 5-year age table on the population page: its basis, upload, what is in use, remove.

Parsing and validation live in :mod:`models.age_table`; the table and the population basis it is on
(户籍 / 常住, chosen before the upload) are stored in the scenario (``[population.age_table]`` and
``[population] age_table_basis``), so they travel with saved scenarios and share links."""

from __future__ import annotations

from typing import Any

import streamlit as st

from models import age_table, population_basis
from models.errors import ShapanError
from pages import _scenarios, _session
from pages._ui import format_number, id_label, show_error, t


def _remove() -> None:
    _scenarios.set_scenario(_scenarios.current_scenario().with_age_table(None))


def _apply(data: bytes, name: str, basis: str) -> ShapanError | None:
    """Parse an upload and put it, on ``basis``, in the current scenario; the error, if any."""
    try:
        table = age_table.parse(data, name)
    except ShapanError as err:
        return err
    _scenarios.set_scenario(_scenarios.current_scenario().with_age_table(table, basis))
    return None


def _basis_label(basis: str) -> str:
    return id_label("basis", basis)


def _set_basis(key: str) -> None:
    """The basis control changed: a table in use takes the new basis at once."""
    chosen = st.session_state.get(key)
    scen = _scenarios.current_scenario()
    if chosen and scen.age_table and chosen != scen.age_table_basis:
        _scenarios.set_scenario(scen.with_age_table_basis(chosen))


def basis_choice(district: str, scen: Any) -> str | None:
    """户籍 / 常住 as chosen (None until the user chooses); a loaded scenario's basis is shown as chosen."""
    key = f"age_table_basis_{district}"
    if scen.age_table_basis and st.session_state.get(key) != scen.age_table_basis:
        st.session_state[key] = scen.age_table_basis  # a scenario loaded with its table: show its basis
    return st.segmented_control(t("population.age_table_basis"), options=population_basis.BASES,
                                format_func=_basis_label, key=key, on_change=_set_basis, args=(key,),
                                help=t("population.age_table_basis_help"))


def upload() -> None:
    """Basis, then uploader (read once per file), then the table in use with its basis, 60+ and 65+/60+,
    and a remove button."""
    district = _session.current_district()
    st.subheader(t("population.age_table"))
    scen: Any = _scenarios.current_scenario()
    basis = basis_choice(district, scen)
    file = st.file_uploader(t("population.age_table_upload"), type=["csv", "xlsx"], key=f"age_table_{district}",
                            help=t("population.age_table_help"), disabled=basis is None)
    if basis is None and not scen.age_table:
        st.caption(t("population.age_table_choose_basis"))
    seen_key = f"age_table_seen_{district}"
    if file is not None and basis is not None:
        seen = st.session_state.get(seen_key)
        if seen is None or seen[0] != file.file_id:
            seen = (file.file_id, _apply(file.getvalue(), file.name, basis))
            st.session_state[seen_key] = seen
            if seen[1] is None:
                st.rerun()  # the page above was drawn with the previous age shape
        if seen[1] is not None:
            show_error(seen[1])
    scen = _scenarios.current_scenario()
    if not scen.age_table:
        st.caption(t("population.age_table_none"))
        return
    table = age_table.from_labels(dict(scen.age_table))
    shown = _basis_label(scen.age_table_basis or population_basis.NOT_STATED)
    st.caption(t("population.age_table_in_use", basis=shown, groups=len(table.groups), open=f"{table.open_start}+",
                 p60=format_number(table.total(60), 0), share=format_number(table.share_65_of_60_pct, 1)))
    if not scen.age_table_basis:
        st.warning(t("population.age_table_basis_missing"), icon=":material/help:")
    st.button(t("population.age_table_remove"), key=f"age_table_remove_{district}", on_click=_remove,
              icon=":material/delete:")
