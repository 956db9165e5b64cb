"""期末评估 Retrospective: actual values against the plan's targets, and drafts for 2026–2030.

1. Actuals typed or uploaded (:mod:`pages._actuals`), validated like a file.
2. Backtest (:func:`models.backtest.backtest`): met / missed with the shortfall, coloured, downloadable.
3. End-of-term evaluation (:mod:`pages._evaluation`).
4. Extension to 2026–2030: the planner drafts 十五五 targets for modelled indicators; each is evaluated
   against the current scenario (:func:`models.views.retrospective.draft_rows`: projection for the target
   year, required growth from the latest actual or baseline, status). Drafts stay in the session
   (:mod:`pages._editors`) and download as CSV/xlsx.
5. The 15th-plan draft (:mod:`pages._draft`) once actuals after 2020 are in.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import backtest, charts
from models import evaluation_display as ed
from models.data import Dataset
from models.views import retrospective as rv
from pages._actuals import actuals_input, validated_actuals
from pages._cache import resolved, result
from pages._draft import draft_section
from pages._editors import kept_editor, saved_rows
from pages._evaluation import evaluation_section, headed
from pages._session import current_district, current_lang, data
from pages._ui import download_table, page_header, provenance_caption, t

YEAR = rv.DRAFT_YEAR  # end of the 15th Five-Year Plan period (2026–2030) the drafts are for
BACKTEST_HEADERS = {  # column of models.evaluation_display.backtest_rows -> locale key of its header
    "label": "col.label", "year": "col.year", "target": "retrospective.target", "actual": "retrospective.actual",
    "result": "retrospective.result", "shortfall": "retrospective.shortfall", "unit": "col.unit",
    "binding": "col.binding", "locator": "col.locator", "actual_source": "retrospective.actual_source",
}
DRAFT_HEADERS = {  # column of models.views.retrospective.draft_rows -> locale key (and fields) of its header
    "label": ("col.label", {}), "comparator": ("col.comparator", {}),
    "target": ("retrospective.target_year", {"year": YEAR}), "projected": ("retrospective.projected", {"year": YEAR}),
    "latest": ("retrospective.latest", {}), "latest_year": ("retrospective.latest_year", {}),
    "required_growth": ("retrospective.required_growth", {}), "gap": ("retrospective.gap", {}),
    "status": ("retrospective.status", {}), "unit": ("col.unit", {}),
}
MET_COLOURS = {True: charts.STATUS_COLOURS["met"], False: charts.STATUS_COLOURS["off_track"]}


def empty_drafts() -> pd.DataFrame:
    return pd.DataFrame({"indicator": pd.Series(dtype="object"), "target": pd.Series(dtype="float64"),
                         "comparator": pd.Series(dtype="object")})


def backtest_table(ds: Dataset, district: str, actuals: pd.DataFrame, res: Any) -> None:
    lang = current_lang()
    bt = backtest.backtest(ds, district, actuals)
    if bt.empty:
        st.info(t("retrospective.no_match"), icon=":material/info:")
        return
    met, missed = t("retrospective.met"), t("retrospective.missed")
    cols = st.columns(2)
    for col, word, n in zip(cols, (met, missed), rv.backtest_counts(bt), strict=True):
        col.metric(word, n)
    table = headed(ed.backtest_rows(bt, ds, lang), BACKTEST_HEADERS)
    colours = {met: MET_COLOURS[True], missed: MET_COLOURS[False]}
    styled = table.style.map(lambda v: f"background-color: {colours[v]}; color: white" if v in colours
                             else "", subset=[t("retrospective.result")])
    st.dataframe(styled, hide_index=True, width="stretch", key="retro_backtest")
    derived = actuals[actuals["kind"] == "derived"]
    if not derived.empty:
        st.caption(t("retrospective.derived_note", n=len(derived)))
    download_table(headed(ed.backtest_rows(bt, ds, lang, text=False), BACKTEST_HEADERS), f"backtest_{district}",
                   scenario_hash=res.hash, data_version=ds.version)


def drafts_editor(ds: Dataset, name: str) -> pd.DataFrame:
    lang, comparators = current_lang(), rv.DRAFT_COMPARATORS
    return kept_editor(name, empty_drafts(), column_config={
        "indicator": st.column_config.SelectboxColumn(t("col.label"), options=list(result().series), required=True,
                                                      format_func=lambda i: ds.label(i, lang), width="large"),
        "target": st.column_config.NumberColumn(t("retrospective.target_year", year=YEAR), required=True),
        "comparator": st.column_config.SelectboxColumn(t("col.comparator"), options=comparators,
                                                       default=comparators[0], required=True,
                                                       format_func=lambda c: ed.SYMBOLS.get(c, c)),
    })


def extension(ds: Dataset, district: str, actuals: pd.DataFrame | None, res: Any) -> None:
    drafts = drafts_editor(ds, f"retro_drafts_{district}")
    complete = rv.complete_drafts(drafts)
    if len(complete) < len(drafts):
        st.caption(t("retrospective.incomplete", n=len(drafts) - len(complete)))
    if complete.empty:
        st.info(t("retrospective.drafts_empty"), icon=":material/edit_note:")
        return
    rows = rv.draft_rows(result(), ds, district, actuals, complete, current_lang())
    table = rows.rename(columns={c: t(key, **fields) for c, (key, fields) in DRAFT_HEADERS.items()})
    st.dataframe(table, hide_index=True, width="stretch", key="retro_extension", column_config={
        t("retrospective.latest_year"): st.column_config.NumberColumn(format="%d"),
        t("retrospective.required_growth"): st.column_config.NumberColumn(format="%.2f")})
    st.caption(t("retrospective.extension_note", year=YEAR, hash=res.hash))
    download_table(table, f"targets_{YEAR}_{district}", scenario_hash=res.hash, data_version=ds.version)


def page() -> None:
    ds, district, res = data(), current_district(), resolved()
    page_header("nav.retrospective")
    provenance_caption(res.hash, ds.version)

    st.subheader(t("retrospective.actuals"))
    st.caption(t("retrospective.actuals_help"))
    typed = actuals_input(ds, district)

    st.subheader(t("retrospective.backtest"))
    actuals = validated_actuals(ds, district, typed)
    if actuals is None and typed.empty:
        st.info(t("retrospective.enter_first"), icon=":material/info:")
    elif actuals is not None:
        backtest_table(ds, district, actuals, res)

    st.subheader(t("evaluation.heading"))
    st.caption(t("evaluation.help"))
    if actuals is None:
        st.info(t("evaluation.enter_first"), icon=":material/info:")
    else:
        evaluation_section(ds, district, actuals)

    st.subheader(t("retrospective.extension", year=YEAR))
    st.caption(t("retrospective.extension_help", year=YEAR))
    extension(ds, district, actuals, res)

    st.subheader(t("draft.heading"))
    st.caption(t("draft.help"))
    if rv.later_actuals(actuals) is None:
        st.info(t("draft.needs_base"), icon=":material/info:")
    else:
        drafts = rv.complete_drafts(saved_rows(f"retro_drafts_{district}", empty_drafts()))
        draft_section(ds, district, actuals, drafts)


page()
