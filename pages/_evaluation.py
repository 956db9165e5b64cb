"""期末评估 section of the retrospective page: the evaluation table (models.evaluation) and the report text
(models.evaluation_report) for the actuals entered above. Thin: no arithmetic here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models import charts
from models import evaluation as ev
from models import evaluation_report as er
from models.data import Dataset
from pages._state import current_lang
from pages._ui import download_table, t

RESULT_COLOURS = {"achieved": charts.STATUS_COLOURS["met"], "missed": charts.STATUS_COLOURS["off_track"]}


@st.cache_resource(show_spinner=False, max_entries=16)
def _forecast(_ds: Dataset, data_version: str, district: str) -> ev.PlanTimeForecast:
    return ev.plan_time_forecast(_ds, district)


def _table(frame: pd.DataFrame, ds: Dataset, lang: str) -> pd.DataFrame:
    labels = {s: t(f"evaluation.status.{s}") for s in ev.RESULT_STATUSES}
    return pd.DataFrame({
        t("col.label"): [ds.label(i, lang) for i in frame["indicator"]],
        t("col.year"): frame["year"],
        t("col.comparator"): frame["comparator"],
        t("retrospective.target"): frame["target"],
        t("retrospective.actual"): frame["actual"],
        t("evaluation.result"): [labels[s] for s in frame["status"]],
        t("evaluation.margin"): frame["margin"],
        t("evaluation.forecast_2020"): frame["forecast_2020"],
        t("evaluation.band"): [
            "" if pd.isna(lo) else f"{lo:,.4g} – {hi:,.4g}"
            for lo, hi in zip(frame["forecast_p10"], frame["forecast_p90"], strict=True)
        ],
        t("evaluation.status_then"): [charts.status_label(s, lang) for s in frame["status_at_plan_time"]],
        t("col.unit"): frame["unit"],
        t("col.binding"): frame["binding"],
        t("retrospective.actual_source"): frame["actual_source"],
        t("col.locator"): frame["locator"],
    })


def _render_blocks(blocks: list[er.SectionBlock]) -> None:
    for b in blocks:
        if b.kind == "h1":
            continue  # the page's own subheader stands for it
        if b.kind == "h2":
            st.markdown(f"**{b.text}**")
        elif b.kind == "table" and b.table is not None:
            st.dataframe(b.table, hide_index=True, width="stretch")
        elif b.kind == "numbered":
            for i, item in enumerate(b.items, 1):
                st.text(f"{i}. {item}")
        elif b.kind == "note":
            st.caption(b.text)
        else:
            st.text(b.text)


def evaluation_section(ds: Dataset, district: str, actuals: pd.DataFrame) -> None:
    """Evaluation table with counts, then the 评估报告 text, both downloadable."""
    lang = current_lang()
    forecast = _forecast(ds, ds.version, district)
    frame = ev.evaluate_term(ds, district, actuals, forecast)
    counts = ev.summary(frame)
    cols = st.columns(4)
    for col, status in zip(cols, ev.RESULT_STATUSES, strict=True):
        col.metric(t(f"evaluation.status.{status}"), counts[status])
    table = _table(frame, ds, lang)
    colours = {t(f"evaluation.status.{s}"): c for s, c in RESULT_COLOURS.items()}
    styled = table.style.map(lambda v: f"background-color: {colours[v]}; color: white" if v in colours else "",
                             subset=[t("evaluation.result")]).format(precision=2, na_rep="—")
    st.dataframe(styled, hide_index=True, width="stretch", key="retro_evaluation")
    st.caption(t("evaluation.note", scenario=forecast.label, n=forecast.n, hash=forecast.resolved.hash))
    download_table(table, f"evaluation_{district}", scenario_hash=forecast.resolved.hash, data_version=ds.version)
    blocks = er.section(frame, ds, lang)
    with st.expander(t("evaluation.report"), expanded=False):
        _render_blocks(blocks)
    st.download_button(t("evaluation.download_text"), data=er.to_markdown(blocks).encode("utf-8"),
                       file_name=f"evaluation_{district}.md", mime="text/markdown", key="dl_evaluation_md",
                       on_click="ignore", icon=":material/description:")
