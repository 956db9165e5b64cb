"""期末评估 section of the retrospective page: the evaluation table (models.evaluation) and the report text
(models.evaluation_report) for the actuals entered above. Thin: no arithmetic here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models import charts, labels
from models import evaluation as ev
from models import evaluation_display as ed
from models import evaluation_report as er
from models.data import Dataset
from pages._session import current_lang
from pages._ui import download_table, t, t_or

RESULT_COLOURS = {"achieved": charts.STATUS_COLOURS["met"], "missed": charts.STATUS_COLOURS["off_track"]}


@st.cache_resource(show_spinner=False, max_entries=16)
def _forecast(_ds: Dataset, data_version: str, district: str) -> ev.PlanTimeForecast:
    return ev.plan_time_forecast(_ds, district)


def forecast_2020(ds: Dataset, district: str) -> ev.PlanTimeForecast:
    """The forecast made from 2020 information (cached per data version and district)."""
    return _forecast(ds, ds.version, district)


EVALUATION_HEADERS = {  # column of models.evaluation_display.evaluation_rows -> locale key of its header
    "label": "col.label", "year": "col.year", "target": "retrospective.target", "actual": "retrospective.actual",
    "result": "evaluation.result", "margin": "evaluation.margin", "forecast_2020": "evaluation.forecast_2020",
    "band": "evaluation.band", "status_then": "evaluation.status_then", "unit": "col.unit",
    "binding": "col.binding", "actual_source": "retrospective.actual_source", "locator": "col.locator",
}


def headed(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """A display table of models.evaluation_display with its headers in the user's language."""
    return frame.rename(columns={c: t(k) for c, k in headers.items()})


def scenario_label(name: str) -> str:
    return t_or(f"compare.preset_{name}", name)


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
        col.metric(labels.label("result", status, lang), counts[status])
    table = headed(ed.evaluation_rows(frame, ds, lang), EVALUATION_HEADERS)
    colours = {labels.label("result", s, lang): c for s, c in RESULT_COLOURS.items()}
    styled = table.style.map(lambda v: f"background-color: {colours[v]}; color: white" if v in colours else "",
                             subset=[t("evaluation.result")])
    st.dataframe(styled, hide_index=True, width="stretch", key="retro_evaluation")
    st.caption(t("evaluation.note", scenario=scenario_label(forecast.label), n=forecast.n,
                 hash=forecast.resolved.hash))
    download_table(headed(ed.evaluation_rows(frame, ds, lang, text=False), EVALUATION_HEADERS),
                   f"evaluation_{district}", scenario_hash=forecast.resolved.hash, data_version=ds.version)
    blocks = er.section(frame, ds, lang)
    with st.expander(t("evaluation.report"), expanded=False):
        _render_blocks(blocks)
    st.download_button(t("evaluation.download_text"), data=er.to_markdown(blocks).encode("utf-8"),
                       file_name=f"evaluation_{district}.md", mime="text/markdown", key="dl_evaluation_md",
                       on_click="ignore", icon=":material/description:")
