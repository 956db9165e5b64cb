"""数据与来源 Data & sources: every sourced fact behind the district's numbers, and the data checks.

Tabs: indicators (filterable, downloadable), capacity projects, sources, model assumptions, data-quality
findings (``models.checks.run_checks``, shown only once that module exists). Renders with zero rows.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.data import Dataset
from models.views.text import plain
from pages._cache import quality_findings
from pages._session import current_district, current_lang, data
from pages._ui import download_table, page_header, provenance_caption, t, t_or

BINDING_KEYS = {"约束性": "binding.obligatory", "预期性": "binding.indicative"}


def source_title(ds: Dataset, source_id: str) -> str:
    return str(ds.sources.get(source_id, {}).get("title", source_id))


def translate_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """Column ids -> labels; a column added to the data later keeps its id until it gets a locale key."""
    return frame.rename(columns={c: t_or(f"col.{c}", c) for c in frame.columns})


def indicator_rows(ds: Dataset, district: str) -> pd.DataFrame:
    """The district's indicator rows with label and source title (codes kept for filtering)."""
    rows = ds.indicators_for(district)
    lang = current_lang()
    return pd.DataFrame({
        "label": [ds.label(i, lang) for i in rows["indicator"]],
        "year": rows["year"],
        "value": rows["value"],
        "unit": rows["unit"],
        "kind": rows["kind"],
        "comparator": rows["comparator"],
        "binding": rows["binding"],
        "source": [source_title(ds, s) for s in rows["source"]],
        "locator": rows["locator"],
        "published": rows["published"],
        "note": rows["note"],
        "indicator": rows["indicator"],
    })


def filter_indicators(rows: pd.DataFrame, district: str) -> pd.DataFrame:
    cols = st.columns([2, 3, 2])
    kinds = cols[0].multiselect(
        t("data.filter_kind"), options=sorted(rows["kind"].unique()), key=f"ds_kind_{district}",
        format_func=lambda k: t_or(f"kind.{k}", k), placeholder=t("data.filter_all"),
    )
    query = cols[1].text_input(t("data.filter_search"), key="ds_search", placeholder=t("data.search_hint"))
    years = cols[2].multiselect(
        t("data.filter_year"), options=sorted(rows["year"].unique().tolist()), key=f"ds_year_{district}",
        placeholder=t("data.filter_all"),
    )
    mask = pd.Series(True, index=rows.index)
    if kinds:
        mask &= rows["kind"].isin(kinds)
    if years:
        mask &= rows["year"].isin(years)
    if query.strip():
        needle = query.strip().lower()
        mask &= rows["indicator"].str.lower().str.contains(needle, regex=False) | rows[
            "label"
        ].str.lower().str.contains(needle, regex=False)
    return rows[mask]


def indicators_tab(ds: Dataset, district: str) -> None:
    rows = indicator_rows(ds, district)
    if rows.empty:
        st.info(t("data.no_indicators"), icon=":material/info:")
        return
    shown = filter_indicators(rows, district).assign(
        kind=lambda f: [t_or(f"kind.{k}", k) for k in f["kind"]],
        binding=lambda f: [t(BINDING_KEYS[b]) if b in BINDING_KEYS else b for b in f["binding"]],
        comparator=lambda f: [t("data.comparator_sync") if c == "sync" else c for c in f["comparator"]],
    )
    st.caption(t("data.row_count", shown=len(shown), total=len(rows)))
    table = translate_headers(shown)
    st.dataframe(table, hide_index=True, width="stretch", key="ds_indicators",
                 column_config={t("col.label"): st.column_config.TextColumn(pinned=True)})
    download_table(table, f"indicators_{district}", data_version=ds.version)


def projects_tab(ds: Dataset, district: str) -> None:
    rows = ds.projects_for(district)
    if rows.empty:
        st.info(t("data.no_projects"), icon=":material/info:")
        return
    table = rows.drop(columns=["district"]).assign(
        operator=lambda f: [t_or(f"operator.{o}", o) for o in f["operator"]],
        pipeline=lambda f: [t_or(f"pipeline.{p}", p) for p in f["pipeline"]],
        source=lambda f: [source_title(ds, s) for s in f["source"]],
    )
    table = translate_headers(table)
    st.dataframe(table, hide_index=True, width="stretch", key="ds_projects")
    download_table(table, f"projects_{district}", data_version=ds.version)


def sources_tab(ds: Dataset, district: str) -> None:
    row = ds.district(district)
    cited = {row["plan_source"], row["population_source"]}
    cited |= set(ds.indicators_for(district)["source"]) | set(ds.projects_for(district)["source"])
    show_all = st.toggle(t("data.sources_all"), key="ds_sources_all")
    ids = list(ds.sources) if show_all else [s for s in ds.sources if s in cited]
    table = pd.DataFrame(
        [{"id": sid, **{k: str(ds.sources[sid].get(k, "")) for k in
                        ("title", "issuer", "doc_no", "date", "kind", "status", "url", "note")}}
         for sid in ids],
        columns=["id", "title", "issuer", "doc_no", "date", "kind", "status", "url", "note"],
    )
    table = translate_headers(table.assign(kind=lambda f: [t_or(f"source_kind.{k}", k) for k in f["kind"]]))
    st.dataframe(table, hide_index=True, width="stretch", key="ds_sources")
    download_table(table, "sources", data_version=ds.version)


def assumptions_tab(ds: Dataset) -> None:
    lang = current_lang()
    table = pd.DataFrame(
        [{
            "key": a.key,
            "label": a.label_zh if lang == "zh" else a.label_en,
            "value": a.value,
            "unit": a.unit,
            "min": a.min,
            "max": a.max,
            "source": t("data.assumption_marker") if a.is_assumption else source_title(ds, a.source),
            "reason": a.reason or a.note,
        } for a in ds.assumptions.values()],
        columns=["key", "label", "value", "unit", "min", "max", "source", "reason"],
    )
    st.caption(t("data.assumptions_hint"))
    table = translate_headers(table)
    st.dataframe(table, hide_index=True, width="stretch", key="ds_assumptions")
    download_table(table, "assumptions", data_version=ds.version)


def quality_tab(ds: Dataset, district: str) -> None:
    findings = quality_findings(ds.version)
    if not st.toggle(t("quality.all_districts"), key="ds_quality_all"):
        findings = [f for f in findings if f.get("district", "") in ("", district)]
    if not findings:
        st.success(t("quality.none"), icon=":material/check_circle:")
        return
    lang = current_lang()
    levels = [f.get("level", "") for f in findings]
    cols = st.columns(2)
    cols[0].metric(t("quality.errors"), levels.count("error"))
    cols[1].metric(t("quality.warnings"), levels.count("warning"))
    table = pd.DataFrame(
        [{
            "level": t_or(f"quality.level_{f.get('level', '')}", str(f.get("level", ""))),
            "district": f.get("district", ""),
            "indicator": f.get("indicator", ""),
            "code": f.get("code", ""),
            "message": f.get("message_zh" if lang == "zh" else "message_en", ""),
            "rows": ", ".join(map(str, f.get("rows") or [])),
        } for f in findings],
        columns=["level", "district", "indicator", "code", "message", "rows"],
    )
    st.caption(t("quality.rows_hint"))
    table = translate_headers(table)
    st.dataframe(table, hide_index=True, width="stretch", key="ds_quality")
    download_table(table, f"data_checks_{district}", data_version=ds.version)


ds = data()
district = current_district()
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
