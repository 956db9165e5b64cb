"""人口老龄化 Population: cohort projection of the elderly (60+, 65+, 80+) and of disabled elderly.

The base 60+ figure of 2020 is shown with where it comes from (published in the plan, derived from
other published figures, assumed from census shares, or set by the user). The population parameters
are levers (``pages/_levers.py``): every default is an editable assumption with its reason.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import charts
from models.reporting.provenance import source_text
from models.views import calendar
from pages import _age_table, _basis, _cache, _levers, _session
from pages._scorecard import fmt, with_unit
from pages._session import current_lang, data
from pages._ui import chart, download_table, page_header, provenance_caption, t

BASE_KEY = "population.pop_60plus_base"
SERIES = ["population_60plus", "population_65plus", "population_80plus", "disabled_elderly"]
TABLE_COLUMNS = ["year", "population_60plus", "population_65plus", "population_80plus", "population_45_59",
                 "disabled_elderly"]
METRIC_YEARS = (calendar.PLAN_END_YEAR, calendar.NEXT_PLAN_END_YEAR, calendar.HORIZON_END)  # 2025, 2030, 2035


def base_kind(provenance: str) -> str:
    """published / derived / assumed / user / missing, from the resolved provenance of the base 60+."""
    if provenance == "user":
        return "user"
    if provenance.startswith("assumed"):
        return "assumed"
    if provenance.startswith("age table"):
        return "table"
    if provenance.startswith("data:"):
        return "derived" if "(derived" in provenance else "published"
    return "missing"


def base_figure(res: Any) -> None:
    provenance = str(res.provenance[BASE_KEY])
    kind = base_kind(provenance)
    st.metric(t("population.base_metric"), with_unit(res.values[BASE_KEY], t("population.unit_persons"), 0),
              delta=t(f"population.kind_{kind}"), delta_color="off", delta_arrow="off", border=True,
              help=t(f"population.kind_help_{kind}"))
    st.caption(t("population.base_source", detail=source_text(BASE_KEY, provenance, data(), current_lang())))
    _basis.caption(res)


def projection_metrics(frame: pd.DataFrame) -> None:
    by_year = frame.set_index("year")
    cols = [c for _ in range(2) for c in st.columns(2)]  # 2 × 2: four cards in a row cut text at 1366 px
    unit = t("population.unit_persons")  # in the label, the value a bare whole number

    def label(text: str) -> str:
        return t("overview.metric_with_unit", label=text, unit=unit)

    for col, year in zip(cols, METRIC_YEARS, strict=False):
        value = by_year["population_60plus"].get(year)
        col.metric(label(t("population.metric_60plus", year=year)), fmt(value, 0), border=True)
    disabled = by_year["disabled_elderly"].get(METRIC_YEARS[0])
    cols[-1].metric(label(t("population.metric_disabled", year=METRIC_YEARS[0])), fmt(disabled, 0),
                    border=True, help=t("population.disabled_help"))


def series_chart(frame: pd.DataFrame, res: Any) -> None:
    long = frame.melt(id_vars="year", value_vars=SERIES, var_name="series", value_name="value")
    long["series"] = [t(f"population.series_{s}") for s in long["series"]]
    figure = charts.lines(long, value_label=t("population.axis_persons"), title=t("population.chart_title"),
                          res_hash=res.hash, data_version=res.data_version, lang=_session.current_lang())
    chart(figure, f"population_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def table(frame: pd.DataFrame, res: Any) -> None:
    shown = frame[[c for c in TABLE_COLUMNS if c in frame.columns]]
    shown = shown.rename(columns={c: t(f"population.col_{c}") for c in shown.columns})
    st.dataframe(shown, hide_index=True, width="stretch", key="pop_table", placeholder="—",
                 column_config={t("population.col_year"): st.column_config.NumberColumn(format="%d")}
                 | {c: st.column_config.NumberColumn(format="localized") for c in shown.columns[1:]})
    download_table(shown, f"population_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def page() -> None:
    page_header("nav.population")
    res = _cache.resolved()
    frame = _cache.result().population
    projection_metrics(frame)
    left, right = st.columns([1, 2], gap="large")
    with left:
        base_figure(res)
        _age_table.upload()
        st.subheader(t("population.levers"))
        st.caption(t("population.levers_note"))
        for key in _levers.section_keys("population"):
            _levers.lever(key)
    with right:
        series_chart(frame, res)
        st.caption(t("population.definition_note"))
        st.caption(t("population.basis_note"))
        st.caption(t("population.note_80plus"))
        with st.expander(t("population.table"), expanded=False):
            table(frame, res)
    provenance_caption(res.hash, res.data_version)


page()
