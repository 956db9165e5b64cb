"""养老床位 Beds, pipeline tab: the plan's projects (read-only) and the user's own projects in an editor
validated by :mod:`models.user_projects` (a bad cell is refused with its row, column and rule)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import streamlit as st

from models import user_projects as up
from models.data import Dataset
from models.errors import ShapanError, shorten
from models.scenario import OPERATORS
from models.views import beds as vb
from models.views.calendar import PLAN_END_YEAR
from models.views.text import plain
from pages import _scenarios
from pages._levers import lever
from pages._ui import download_table, has_key, show_error, t, t_or


def plan_projects_table(ds: Dataset, district: str) -> None:
    rows = ds.projects_for(district)
    st.markdown(f"**{t('beds.plan_projects')}**")
    if rows.empty:
        st.info(t("beds.no_plan_projects"), icon=":material/info:")
        return
    columns = list(vb.PLAN_COLUMNS)
    table = rows[columns].assign(
        operator=lambda f: [t_or(f"operator.{o}", o) for o in f["operator"]],
        pipeline=lambda f: [t_or(f"pipeline.{p}", p) for p in f["pipeline"]],
    ).rename(columns={c: t_or(f"col.{c}", c) for c in columns})
    st.dataframe(table, hide_index=True, width="stretch", key="beds_plan_projects")
    st.caption(t("beds.plan_projects_note", year=PLAN_END_YEAR))
    download_table(table, f"plan_projects_{district}", data_version=ds.version)


def editor_base(district: str, scenario: Any) -> tuple[pd.DataFrame, int]:
    """The editor's starting table: the scenario's projects, re-read when the scenario was replaced."""
    base_key, applied_key, gen_key = (f"beds_projects_{x}_{district}" for x in ("base", "applied", "gen"))
    if base_key not in st.session_state or st.session_state.get(applied_key) != scenario.projects:
        st.session_state[base_key] = up.to_frame(scenario.projects)
        st.session_state[applied_key] = scenario.projects
        st.session_state[gen_key] = st.session_state.get(gen_key, 0) + 1
    return st.session_state[base_key], st.session_state[gen_key]


def bad_cell_message(err: ShapanError) -> str:
    fields = err.fields
    rule_key = f"beds.rule_{fields.get('rule', '')}"
    rule = t(rule_key, lo=fields.get("lo", ""), hi=fields.get("hi", "")) if has_key(rule_key) else ""
    column = t_or(f"beds.col_{fields.get('column', '')}", str(fields.get("column", "")))
    return t("beds.bad_cell", row=fields.get("row", ""), column=column, value=plain(shorten(fields.get("value", ""))),
             rule=rule)


def user_projects_editor(district: str) -> None:
    """The user's own projects: edited rows are validated, then stored on the scenario (or refused)."""
    scenario = _scenarios.current_scenario()
    base, generation = editor_base(district, scenario)
    st.markdown(f"**{t('beds.user_projects')}**")
    st.caption(t("beds.user_projects_hint", first=scenario.base_year + 1, last=scenario.end_year))
    edited = st.data_editor(
        base, key=f"beds_editor_{district}_{generation}", num_rows="dynamic", hide_index=True,
        width="stretch",
        column_config={
            "year_open": st.column_config.NumberColumn(t("beds.col_year_open"), step=1, format="%d"),
            "beds": st.column_config.NumberColumn(t("beds.col_beds"), step=1, format="%d"),
            "nursing_beds": st.column_config.NumberColumn(t("beds.col_nursing_beds"), step=1, format="%d"),
            "operator": st.column_config.SelectboxColumn(
                t("beds.col_operator"), options=list(OPERATORS),
                format_func=lambda o: t_or(f"operator.{o}", t("beds.operator_unknown"))),
            "name": st.column_config.TextColumn(t("beds.col_name")),
        },
    )
    try:
        projects = up.from_frame(edited, scenario.base_year, scenario.end_year)
    except ShapanError as err:
        if err.code == "bad_value":
            st.error(bad_cell_message(err), icon=":material/error:")
        else:
            show_error(err)
        return
    if projects != scenario.projects:
        _scenarios.set_scenario(dataclasses.replace(scenario, projects=projects))
        st.session_state[f"beds_projects_applied_{district}"] = projects
    if projects:
        st.caption(t("beds.user_projects_count", n=len(projects)))


def pipeline_tab(ds: Dataset, district: str) -> None:
    cols = st.columns(3)
    with cols[0]:
        lever("beds.include_plan_projects")
    with cols[1]:
        lever("beds.include_plan_total")
    with cols[2]:
        lever("beds.plan_profile")
    st.caption(t("beds.plan_total_note"))
    plan_projects_table(ds, district)
    st.divider()
    user_projects_editor(district)
