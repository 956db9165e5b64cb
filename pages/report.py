"""汇报材料 Report: the report pack (PDF / Word / slides / xlsx / HTML) of the current scenario, with a preview.

The user picks the report's language and the number of Monte Carlo draws (range from
``data/assumptions.toml`` ``uncertainty.draws``). :func:`models.report.prepare` runs once per scenario
text, data version, language and draw count (``st.cache_data``); the preview (scorecard, key charts,
budget) and the three files are built from that one result with the builders of :mod:`models.report`
(``build`` = ``prepare`` + a builder), so a click costs only the file assembly. Files are built on a
button (with a spinner and progress bar), kept in the session for the same inputs, and offered with
``st.download_button``; file names carry the scenario hash and data version.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import presets
from models import report as rp
from models import scenario as sc
from models.errors import ShapanError
from models.export import export_file_name, to_csv_bytes
from models.reporting.content import compose
from models.views.text import plain
from pages._cache import resolved
from pages._plans import session_actuals
from pages._scenarios import scenario_text
from pages._session import LANGS, current_district, current_lang, data
from pages._ui import XLSX_MIME, chart, download_table, page_header, provenance_caption, show_error, t

FORMATS = {  # format -> (mime type, icon)
    "pdf": ("application/pdf", ":material/picture_as_pdf:"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ":material/description:"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ":material/slideshow:"),
    "xlsx": (XLSX_MIME, ":material/table_view:"),
    "html": ("text/html", ":material/html:"),
}
DRAWS_KEY = "uncertainty.draws"
SCREEN_CHART_HEIGHT = 320  # px


@st.cache_data(show_spinner=False, max_entries=16)
def prepared(text: str, data_version: str, lang: str, mc_n: int, date: str,
             actuals: pd.DataFrame | None = None) -> tuple[rp.ReportData, Any]:
    """:func:`models.report.prepare` + compose for a scenario text (cached by text, data version, lang, draws,
    date and the actuals entered on 期末评估, which add its sections): the preview and every file come from
    this one result."""
    ds = data()
    report = rp.prepare(resolved(presets.load_text(text, ds)), ds, lang, mc_n, actuals)
    return report, compose(report, ds, lang, date)


def with_evaluation(district: str) -> pd.DataFrame | None:
    """The actuals entered on 期末评估, if there are any and the user keeps its sections in the report."""
    actuals = session_actuals(data(), district)
    if actuals is None:
        return None
    keep = st.checkbox(t("report.with_evaluation", n=len(actuals)), value=True, key="report_with_evaluation",
                       help=t("report.with_evaluation_help"))
    return actuals if keep else None


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


def files(report: rp.ReportData, content: Any, lang: str, mc_n: int, extra: str = "") -> None:
    """Build buttons, then a download button for every file built for exactly these inputs."""
    ds, res = data(), report.resolved
    store: dict[tuple, bytes] = st.session_state.setdefault("report_files", {})
    stem = f"report_{res.district}_{lang}"
    cols = st.columns(len(FORMATS))
    for col, (fmt, (mime, icon)) in zip(cols, FORMATS.items(), strict=True):
        key = (fmt, res.hash, res.data_version, lang, mc_n, content.date, extra)
        with col:
            st.button(t(f"report.build_{fmt}"), key=f"report_build_{fmt}", icon=icon, width="stretch",
                      on_click=request, args=(fmt,))
            if st.session_state.get("report_request") == fmt:
                st.session_state.pop("report_request")
                bar = st.progress(0, text=t("report.building", fmt=fmt.upper()))
                with st.spinner(t("report.building", fmt=fmt.upper())):
                    try:
                        store[key] = rp.render(report, content, ds, fmt)
                    except ShapanError as err:
                        show_error(err)
                bar.progress(100, text=t("report.built", fmt=fmt.upper()))
            if key in store:
                st.download_button(
                    t(f"report.download_{fmt}"), data=store[key], mime=mime, key=f"report_dl_{fmt}",
                    file_name=export_file_name(stem, fmt, res.hash, res.data_version), on_click="ignore",
                    icon=":material/download:", type="primary", width="stretch")
                st.caption(t("report.size", size=f"{len(store[key]):,}"))


def table_frame(table: Any) -> pd.DataFrame:
    return pd.DataFrame(list(table.rows), columns=list(table.columns))


def preview(report: rp.ReportData, content: Any) -> None:
    """The report's own words and tables (the same content every file prints)."""
    res = report.resolved
    st.subheader(t("report.summary"))
    st.markdown("\n".join(f"{i}. {s}" for i, s in enumerate(content.findings, 1)))
    st.markdown(f"**{t('report.decisions')}**")
    st.markdown("\n".join(f"{i}. {s}" for i, s in enumerate(content.decisions, 1)))
    st.subheader(t("report.scorecard"))
    st.caption(content.status_note)
    for name, table in (("problems", content.problems), ("judged", content.judged)):
        if table.rows:
            st.dataframe(table_frame(table), hide_index=True, width="stretch", key=f"report_{name}")
    for line in content.unjudged:
        st.caption(line)
    st.subheader(t("report.charts"))
    for i, trend in enumerate(content.trends):  # drawn for A4 (200 px): taller on screen
        chart({**trend.spec, "height": SCREEN_CHART_HEIGHT}, f"report_chart_{res.district}_{i}",
              scenario_hash=res.hash, data_version=res.data_version, key=f"report_chart_{i}")
        st.caption(trend.line)
    st.subheader(t("report.budget"))
    for note in content.cost_notes:
        st.caption(note)
    if content.cost_table is not None:
        frame = table_frame(content.cost_table)
        st.dataframe(frame, hide_index=True, width="stretch", key="report_budget")
        download_table(frame, f"report_budget_{res.district}", scenario_hash=res.hash, data_version=res.data_version)
    with st.expander(t("report.assumptions")):
        frame = table_frame(content.assumptions)
        st.dataframe(frame, hide_index=True, width="stretch", key="report_assumptions")
        download_table(frame, f"report_assumptions_{res.district}", scenario_hash=res.hash,
                       data_version=res.data_version)


def evaluation_preview(content: Any) -> None:
    """The 期末评估 and 十五五 sections the files print (present when actuals are added)."""
    for n, part in enumerate(content.evaluation):
        if part.kind == "h1":
            st.subheader(part.text)
        elif part.kind == "h2":
            st.markdown(f"**{plain(part.text)}**")
        elif part.kind == "table" and part.table is not None:
            st.dataframe(table_frame(part.table), hide_index=True, width="stretch", key=f"report_eval_{n}")
        elif part.kind == "numbered":
            st.text("\n".join(f"{i}. {item}" for i, item in enumerate(part.items, 1)))
        elif part.kind == "note":
            st.caption(part.text)
        elif part.kind == "p":
            st.text(part.text)


def page() -> None:
    ds = data()
    district = current_district()
    page_header("nav.report")
    res = resolved()
    provenance_caption(res.hash, ds.version)
    st.caption(t("report.scenario", name=plain(res.scenario.name), hash=res.hash, version=ds.version))
    lang, mc_n = options(res)
    actuals = with_evaluation(district)
    try:
        with st.spinner(t("report.preparing", n=mc_n)):
            report, content = prepared(scenario_text(), ds.version, lang, mc_n, rp.report_date(), actuals)
    except ShapanError as err:
        show_error(err)
        return
    st.subheader(t("report.files"))
    files(report, content, lang, mc_n, "" if actuals is None else to_csv_bytes(actuals).hex()[:64])
    preview(report, content)
    evaluation_preview(content)


page()
