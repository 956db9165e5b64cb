"""The input a ``needs_input`` target asks for, on the page (saved in the scenario).

Each such row of ``models.target_modes`` names what it needs in ``needs``:

* ``actual:<indicator>@<year>`` / ``reference:<id>@<year>`` → ``[targets.inputs]`` of the scenario;
* ``confirmed:<indicator>@<year>`` (a quarantined target) → ``[targets.confirmed]``;
* ``param:<section.key>`` → that scenario parameter (e.g. the 2020 nursing-bed share).

No arithmetic here: the value is stored and the models re-judge the target.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from models.errors import ShapanError
from models.views import calendar as cal
from pages import _scenarios, _session
from pages._ui import t

YEARS = list(range(cal.HISTORY_START, cal.PLAN_END_YEAR + 1))  # history and the 14th plan period


def _save(needs: str, value: float, year: int | None) -> None:
    kind, _, ref = needs.partition(":")
    try:
        if kind == "param":
            _scenarios.set_param(ref, value)
            return
        name, _, default_year = ref.partition("@")
        key = f"{name}@{year or default_year}"
        table = "confirmed" if kind == "confirmed" else "inputs"
        _scenarios.set_scenario(_scenarios.current_scenario().with_target_entry(table, key, value))
    except ShapanError as err:
        _session.notify("error", err)


def form(frame: Any, key: str) -> None:
    """Pick a target that needs a figure, enter it, save it into the scenario."""
    rows = frame[frame["needs"].astype(bool)]
    if rows.empty:
        return
    ds = _session.data()
    lang = _session.current_lang()
    reason = "reason" if lang == "zh" else "reason_en"
    options = {f"{r.indicator}|{r.year}": r for r in rows.itertuples()}
    with st.expander(t("inputs.title", n=len(options)), icon=":material/edit_note:"):
        st.caption(t("inputs.note"))
        choice = st.selectbox(
            t("inputs.pick"), list(options), key=f"{key}_input_target",
            format_func=lambda o: f"{ds.label(options[o].indicator, lang)}（{options[o].year}）"
            if lang == "zh" else f"{ds.label(options[o].indicator, lang)} ({options[o].year})",
        )
        row = options[choice]
        st.info(getattr(row, reason), icon=":material/info:")
        kind = row.needs.partition(":")[0]
        cols = st.columns([2, 1, 1], vertical_alignment="bottom")
        value = cols[0].number_input(t("inputs.value", unit=row.unit), value=None, key=f"{key}_input_value",
                                     format="%.4g")
        year = None
        if kind == "actual":
            default = int(row.needs.rpartition("@")[2])
            year = cols[1].selectbox(t("inputs.year"), YEARS, index=YEARS.index(default) if default in YEARS else 5,
                                     key=f"{key}_input_year")
        cols[2].button(t("inputs.save"), key=f"{key}_input_save", type="primary", disabled=value is None,
                       on_click=_save, args=(row.needs, value, year))
