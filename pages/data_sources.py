"""数据与来源 Data & sources: every sourced fact behind the district's numbers, and the data checks.

Tabs: indicators (filterable, downloadable), capacity projects, sources, model assumptions, data-quality
findings (``models.checks.run_checks``). The tables come from :mod:`models.views.data_tables`; this page
translates their codes and headers. Renders with zero rows.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.data import Dataset
from models.views import data_tables as dt
from models.views.text import plain
from pages._cache import quality_findings
from pages._session import current_district, current_lang, data
from pages._ui import download_table, page_header, provenance_caption, t, t_or


def translate_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """Column ids -> labels; a column added to the data later keeps its id until it gets a locale key."""
    return frame.rename(columns={c: t_or(f"col.{c}", c) for c in frame.columns})


def words(frame: pd.DataFrame, column: str, key: str) -> pd.DataFrame:
    """``column``'s codes -> their locale words (``key`` = ``"kind.{}"`` …); a code without one stays as is."""
    return frame.assign(**{column: [t_or(key.format(v), v) for v in frame[column]]})


def show(table: pd.DataFrame, key: str, stem: str, ds: Dataset, **kwargs) -> None:
    table = translate_headers(table)
    st.dataframe(table, hide_index=True, width="stretch", key=key, **kwargs)
    download_table(table, stem, data_version=ds.version)


def indicators_tab(ds: Dataset, district: str) -> None:
    rows = dt.indicator_rows(ds, district, current_lang())
    if rows.empty:
        st.info(t("data.no_indicators"), icon=":material/info:")
        return
    cols = st.columns([2, 3, 2])
    kinds = cols[0].multiselect(t("data.filter_kind"), options=sorted(rows["kind"].unique()),
                                key=f"ds_kind_{district}", format_func=lambda k: t_or(f"kind.{k}", k),
                                placeholder=t("data.filter_all"))
    query = cols[1].text_input(t("data.filter_search"), key="ds_search", placeholder=t("data.search_hint"))
    years = cols[2].multiselect(t("data.filter_year"), options=sorted(rows["year"].unique().tolist()),
                                key=f"ds_year_{district}", placeholder=t("data.filter_all"))
    shown = words(dt.filter_rows(rows, kinds, years, query), "kind", "kind.{}").assign(
        comparator=lambda f: [t("data.comparator_sync") if c == "sync" else c for c in f["comparator"]])
    st.caption(t("data.row_count", shown=len(shown), total=len(rows)))
    show(shown, "ds_indicators", f"indicators_{district}", ds,
         column_config={t("col.label"): st.column_config.TextColumn(pinned=True)})


def projects_tab(ds: Dataset, district: str) -> None:
    rows = ds.projects_for(district)
    if rows.empty:
        st.info(t("data.no_projects"), icon=":material/info:")
        return
    table = words(words(rows.drop(columns=["district"]), "operator", "operator.{}"), "pipeline", "pipeline.{}")
    show(table.assign(source=[dt.source_title(ds, s) for s in table["source"]]), "ds_projects",
         f"projects_{district}", ds)


def sources_tab(ds: Dataset, district: str) -> None:
    rows = dt.source_rows(ds, district, show_all=st.toggle(t("data.sources_all"), key="ds_sources_all"))
    show(words(rows, "kind", "source_kind.{}"), "ds_sources", "sources", ds)


def assumptions_tab(ds: Dataset) -> None:
    st.caption(t("data.assumptions_hint"))
    show(dt.assumption_rows(ds, current_lang(), t("data.assumption_marker")), "ds_assumptions", "assumptions", ds)


def quality_tab(ds: Dataset, district: str) -> None:
    show_all = st.toggle(t("quality.all_districts"), key="ds_quality_all")
    findings = dt.district_findings(quality_findings(ds.version), district, show_all)
    if not findings:
        st.success(t("quality.none"), icon=":material/check_circle:")
        return
    counts = dt.level_counts(findings)
    cols = st.columns(2)
    cols[0].metric(t("quality.errors"), counts["error"])
    cols[1].metric(t("quality.warnings"), counts["warning"])
    st.caption(t("quality.rows_hint"))
    show(words(dt.finding_rows(findings, current_lang()), "level", "quality.level_{}"), "ds_quality",
         f"data_checks_{district}", ds)


def page() -> None:
    ds, district = data(), current_district()
    page_header("nav.data_sources")
    provenance_caption(None, ds.version)
    notes = ds.district(district)["notes"]
    if notes:
        st.caption(t("data.district_notes", notes=plain(notes)))
    tabs = st.tabs([t("data.tab_indicators"), t("data.tab_projects"), t("data.tab_sources"),
                    t("data.tab_assumptions"), t("data.tab_quality")])
    with tabs[0]:
        indicators_tab(ds, district)
    with tabs[1]:
        projects_tab(ds, district)
    with tabs[2]:
        sources_tab(ds, district)
    with tabs[3]:
        assumptions_tab(ds)
    with tabs[4]:
        quality_tab(ds, district)


page()
