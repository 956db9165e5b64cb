"""汇报材料 Report: the report pack (PDF / xlsx / HTML) of the current scenario, with a preview.

The user picks the report's language and the number of Monte Carlo draws (range from
``data/assumptions.toml`` ``uncertainty.draws``). :func:`models.report.prepare` runs once per scenario
text, data version, language and draw count (``st.cache_data``); the preview (scorecard, key charts,
budget) and the three files are built from that one result with the builders of :mod:`models.report`
(``build`` = ``prepare`` + a builder), so a click costs only the file assembly. Files are built on a
button (with a spinner and progress bar), kept in the session for the same inputs, and offered with
``st.download_button``; file names carry the scenario hash and data version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from models import charts, coverage, presets
from models import report as rp
from models import scenario as sc
from models.errors import ShapanError
from models.export import export_file_name
from pages._state import LANGS, current_district, current_lang, data, resolved, scenario_text
from pages._ui import XLSX_MIME, chart, download_table, page_header, plain, provenance_caption, show_error, t

FORMATS = {  # format -> (builder, mime type, icon)
    "pdf": (rp.build_pdf, "application/pdf", ":material/picture_as_pdf:"),
    "xlsx": (rp.build_xlsx, XLSX_MIME, ":material/table_view:"),
    "html": (rp.build_html, "text/html", ":material/html:"),
}
DRAWS_KEY = "uncertainty.draws"
SCREEN_CHART_HEIGHT = 320  # px


@st.cache_data(show_spinner=False, max_entries=16)
def prepared(text: str, data_version: str, lang: str, mc_n: int) -> rp.ReportData:
    """:func:`models.report.prepare` for a scenario text (cached by text + data version + lang + draws)."""
    ds = data()
    return rp.prepare(resolved(presets.load_text(text, ds)), ds, lang, mc_n)


def options(res: Any) -> tuple[str, int]:
    ui_lang = current_lang()
    cols = st.columns(2)
    lang = cols[0].radio(t("report.lang"), options=list(LANGS), index=list(LANGS).index(ui_lang),
                         format_func=lambda x: t(f"report.lang_{x}"), horizontal=True, key="report_lang")
    lo, hi = sc.param_range(DRAWS_KEY, data().assumptions)
    mc_n = cols[1].number_input(t("report.mc_n"), min_value=int(lo), max_value=int(hi),
                                value=int(res.values[DRAWS_KEY]), step=int(lo), key="report_mc_n",
                                help=t("report.mc_help"))
    return lang, int(mc_n)


def request(fmt: str) -> None:
    """Button callback: build ``fmt`` on this run (a callback's flag survives a rerun; a click does not)."""
    st.session_state["report_request"] = fmt


def files(report: rp.ReportData, lang: str, mc_n: int) -> None:
    """Build buttons, then a download button for every file built for exactly these inputs."""
    ds, res = data(), report.resolved
    store: dict[tuple, bytes] = st.session_state.setdefault("report_files", {})
    stem = f"report_{res.district}_{lang}"
    cols = st.columns(len(FORMATS))
    for col, (fmt, (builder, mime, icon)) in zip(cols, FORMATS.items(), strict=True):
        key = (fmt, res.hash, res.data_version, lang, mc_n)
        with col:
            st.button(t(f"report.build_{fmt}"), key=f"report_build_{fmt}", icon=icon, width="stretch",
                      on_click=request, args=(fmt,))
            if st.session_state.get("report_request") == fmt:
                st.session_state.pop("report_request")
                bar = st.progress(0, text=t("report.building", fmt=fmt.upper()))
                with st.spinner(t("report.building", fmt=fmt.upper())):
                    try:
                        store[key] = builder(report, ds, lang, dt.date.today().isoformat())
                    except ShapanError as err:
                        show_error(err)
                bar.progress(100, text=t("report.built", fmt=fmt.upper()))
            if key in store:
                st.download_button(
                    t(f"report.download_{fmt}"), data=store[key], mime=mime, key=f"report_dl_{fmt}",
                    file_name=export_file_name(stem, fmt, res.hash, res.data_version), on_click="ignore",
                    icon=":material/download:", type="primary", width="stretch")
                st.caption(t("report.size", size=f"{len(store[key]):,}"))


def score_view(report: rp.ReportData, lang: str) -> pd.DataFrame:
    view = report.scorecard[list(rp.SCORE_COLS)].copy()
    view.columns = [zh if lang == "zh" else en for zh, en in rp.SCORE_COLS.values()]
    return view


def preview(report: rp.ReportData, lang: str) -> None:
    ds, res = data(), report.resolved
    st.subheader(t("report.scorecard"))
    st.caption(t("report.status_note", n=report.mc_n))
    table = score_view(report, lang)
    status_col = rp.SCORE_COLS["status_label"][0 if lang == "zh" else 1]
    colours = {charts.status_label(s, lang): c for s, c in charts.STATUS_COLOURS.items()}
    styled = table.style.map(lambda v: f"background-color: {colours[v]}" if v in colours else "",
                             subset=[status_col]).format(precision=2, na_rep="—")
    st.dataframe(styled, hide_index=True, width="stretch", key="report_scorecard")
    download_table(table, f"scorecard_{res.district}", scenario_hash=res.hash, data_version=res.data_version)
    st.subheader(t("report.charts"))
    for i, item in enumerate(rp.key_charts(report, ds, lang)):  # drawn for A4 (200 px): taller on screen
        chart({**item, "height": SCREEN_CHART_HEIGHT}, f"report_chart_{res.district}_{i}",
              scenario_hash=res.hash, data_version=res.data_version, key=f"report_chart_{i}")
    st.subheader(t("report.budget"))
    st.caption(coverage.label(coverage.coverage(report.result, ds), lang))
    st.dataframe(report.budget_table, hide_index=True, width="stretch", key="report_budget")
    download_table(report.budget_table, f"report_budget_{res.district}", scenario_hash=res.hash,
                   data_version=res.data_version)
    with st.expander(t("report.assumptions")):
        table = report.assumptions.astype({"value": "str"})  # numbers and rule names share the column
        st.dataframe(table, hide_index=True, width="stretch", key="report_assumptions")
        download_table(table, f"report_assumptions_{res.district}", scenario_hash=res.hash,
                       data_version=res.data_version)


ds = data()
district = current_district()
page_header("nav.report")
res = resolved()
provenance_caption(res.hash, ds.version)
st.caption(t("report.scenario", name=plain(res.scenario.name), hash=res.hash, version=ds.version))
lang, mc_n = options(res)
try:
    with st.spinner(t("report.preparing", n=mc_n)):
        report = prepared(scenario_text(), ds.version, lang, mc_n)
except ShapanError as err:
    show_error(err)
    st.stop()
st.subheader(t("report.files"))
files(report, lang, mc_n)
preview(report, lang)
