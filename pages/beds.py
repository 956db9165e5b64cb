"""养老床位 Beds: the capacity pipeline, supply against demand, and the queueing simulation (DES).

Tabs: supply and demand (levers, 2025 figures, charts against the plan's targets, table; here); the
pipeline (:mod:`pages._beds_pipeline`); the simulation (:mod:`pages._beds_des`). A district that
publishes no bed figures gets the base-beds lever instead. View rows (series, headline) come from
:mod:`models.views.beds`, target marks from :mod:`models.views.marks`, chart specs from :mod:`models.charts`.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from models import charts
from models.data import Dataset
from models.errors import ShapanError
from models.views import beds as vb
from models.views import fmt
from models.views import marks as vm
from models.views.calendar import PLAN_END_YEAR
from pages import _basis, _beds_des, _beds_pipeline, _cache, _session
from pages._lazy import lazy_expander, lazy_tabs
from pages._levers import lever, levers
from pages._ui import chart, download_table, page_header, provenance_caption, show_error, t, t_or

SUPPLY_LEVERS = ("beds.beds_built_per_year", "beds.nursing_share_of_new_beds_pct",
                 "beds.social_share_of_new_beds_pct", "beds.retirement_rate_pct",
                 "beds.nursing_conversion_per_year", "beds.social_transfer_per_year")
BASE_LEVERS = ("beds.base_beds", "beds.base_nursing_share_pct", "beds.base_social_share_pct",
               "beds.norm_beds_per_1000")
DEMAND_LEVERS = ("beds.base_occupancy_pct", "beds.institution_share_pct", "beds.institutionalisation_rate_pct",
                 "beds.target_occupancy_pct", "beds.tekun_centralised_residents")
CHART_HEIGHT = 360  # px; Streamlit fits title, rotated year labels and legend inside this height
# (chart name, series ids, locale key of the title, locale key of the unit); the first is drawn full width
CHARTS = (("beds_supply_demand", vb.SUPPLY_DEMAND, "beds.chart_supply_demand", "beds.unit_beds"),
          ("beds_per_1000", vb.PER_1000, "beds.chart_per_1000", "beds.unit_per_1000"),
          ("beds_shares", vb.SHARES, "beds.chart_shares", "beds.unit_pct"))


def series_label(ds: Dataset, indicator: str) -> str:
    return t_or(f"beds.series_{indicator}", ds.label(indicator, _session.current_lang()))


def series_chart(ds: Dataset, res: Any, run: Any, spec: tuple[str, tuple[str, ...], str, str],
                 assessed: Any) -> None:
    """One line chart of model series against the plan's targets for them (``assessed``: the target rows)."""
    name, series, title, unit = spec
    long = vb.long_series(run.beds, series)
    long = long.assign(series=long["series"].map({s: series_label(ds, s) for s in series}))
    targets = series if name != "beds_supply_demand" else ("elderly_beds",)
    rows = vm.target_rows(assessed, targets)
    marks = vm.marks(rows, ds.sources, {i: series_label(ds, i) for i in targets})
    h, v = res.hash, res.data_version
    chart(charts.lines(long, value_label=t(unit), title=t(title), res_hash=h, data_version=v,
                       lang=_session.current_lang(), height=CHART_HEIGHT, targets=marks),
          name, scenario_hash=h, data_version=v)


def headline(ds: Dataset, beds: Any) -> None:
    year = PLAN_END_YEAR
    figures = vb.headline(beds, year)
    # two a row: four in a row cut the labels at 1366 px
    cols = [c for _ in range(math.ceil(len(figures) / 2)) for c in st.columns(2)][:len(figures)]
    for col, (indicator, value, digits) in zip(cols, figures, strict=True):
        col.metric(t("beds.metric_in_year", year=year, label=series_label(ds, indicator)),
                   fmt.number(value, digits))


def base_levers(res: Any) -> None:
    box, shown = lazy_expander(t("beds.base_levers"), key="beds_base_levers")
    if not shown:  # closed: its four levers are not built on a lever change elsewhere
        return
    with box:
        cols = st.columns(2)
        for i, key in enumerate(BASE_LEVERS):
            with cols[i % 2]:
                missing = vb.missing(res[key])
                lever(key, help=t("beds.not_published_enter") if missing else None)
                if missing:
                    st.caption(t("beds.not_published_enter"))


def supply_tab(ds: Dataset, res: Any, run: Any) -> None:
    st.markdown(f"**{t('beds.supply_levers')}**")
    levers(SUPPLY_LEVERS, columns=3)
    st.markdown(f"**{t('beds.demand_levers')}**")
    levers(DEMAND_LEVERS, columns=4)
    base_levers(res)
    headline(ds, run.beds)
    assessed = _cache.targets(mc_n=0)  # marks need the targets, not P(met): no Monte Carlo; one lookup, 3 charts
    series_chart(ds, res, run, CHARTS[0], assessed)
    st.caption(t("beds.demand_note"))
    cols = st.columns(2)
    with cols[0]:
        series_chart(ds, res, run, CHARTS[1], assessed)
        _basis.caption(res)
    with cols[1]:
        series_chart(ds, res, run, CHARTS[2], assessed)
    table = run.beds.rename(columns={c: series_label(ds, c) if c != "year" else t("beds.col_year")
                                     for c in run.beds.columns})
    box, shown = lazy_expander(t("beds.table"), key="beds_table_box")
    if shown:
        with box:
            st.dataframe(table, hide_index=True, width="stretch", key="beds_table")
    download_table(table, f"beds_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def not_modelled(res: Any) -> None:
    st.info(t("beds.no_beds_published"), icon=":material/info:")
    with st.columns(3)[0]:
        lever("beds.base_beds")
    provenance_caption(res.hash, res.data_version)


TABS = ["beds.tab_supply", "beds.tab_pipeline", "beds.tab_des"]


def page() -> None:
    ds = _session.data()
    page_header("nav.beds")
    (supply, supply_open), (pipeline, pipeline_open), (des, des_open) = lazy_tabs(TABS, key="beds_tab")
    if pipeline_open:  # only the open tab is built: a lever change reruns one tab, not three
        with pipeline:
            _beds_pipeline.pipeline_tab(ds, _session.current_district())
    try:
        res, run = _cache.resolved(), _cache.result()
    except ShapanError as err:
        show_error(err)
        return
    if supply_open:
        with supply:
            if run.beds is None:
                not_modelled(res)
            else:
                supply_tab(ds, res, run)
    if des_open:
        with des:
            if run.beds is None:
                st.info(t("beds.des_no_beds"), icon=":material/info:")
            else:
                _beds_des.des_tab(ds, res, run)
    if run.beds is not None:
        provenance_caption(res.hash, res.data_version)


page()
