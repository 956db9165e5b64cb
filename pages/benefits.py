"""救助标准 Benefits: 低保 / 特困 / 孤儿 standards under a growth rule, against the plan's targets.

Levers: the rule (fixed growth, linked to consumption, rural/urban convergence), growth rates (default
the district's own 2015→2020 growth), the convergence target, the 特困 multiplier, CPI, consumption and
care-subsidy parameters. Shows the standards (元/人·月) with the plan's 2020 baselines and targets, the
rural/urban ratio against its target, the compliance flags of :func:`models.benefits.compliance_flags`
and the table; series, marks and flag rows come from :mod:`models.views.benefits`. A district that
publishes no standards (九龙坡) is told so.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from models import benefits_stage, charts
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.forecast import SETTER_RULES
from models.views import benefits as bv
from models.views import calendar as cal
from models.views import fmt, marks
from pages import _cache, _scenarios, _session
from pages._levers import lever, levers
from pages._ui import chart, download_table, page_header, provenance_caption, show_error, t, t_or

GROWTH_LEVERS = ("benefits.dibao_urban_growth_pct", "benefits.dibao_rural_growth_pct",
                 "benefits.tekun_growth_pct", "benefits.orphan_growth_pct")
RATIO_LEVERS = ("benefits.target_ratio_pct", "benefits.target_ratio_year", "benefits.cap_rural_at_urban")
OTHER_LEVERS = ("benefits.tekun_multiplier", "benefits.cpi_inflation_pct", "benefits.consumption_growth_pct",
                "benefits.consumption_share_pct", "benefits.care_subsidy_min_wage_pct",
                "benefits.min_wage_growth_pct")
BASELINE_LEVERS = ("benefits.baseline_recent_growth_pct", "benefits.baseline_long_run_growth_pct",
                   "benefits.baseline_damping", "benefits.baseline_ratio_drift_pp",
                   "benefits.baseline_urban_step_yuan", "uncertainty.regime_continue_prob")
CHART_HEIGHT = 360  # px; Streamlit fits title, rotated year labels and legend inside this height


def series_label(ds: Dataset, indicator: str) -> str:
    return t_or(f"benefits.series_{indicator}", ds.label(indicator, _session.current_lang()))


def reference_marks(ds: Dataset, res: Any, series: str) -> pd.DataFrame:
    """Published base-year values and plan targets of the series' indicators (year, value, label, source)."""
    lang = _session.current_lang()
    rows = marks.reference_rows(ds.indicators_for(res.district), bv.REFERENCES[series], res.scenario.base_year)
    return marks.marks(rows, ds.sources, lambda r: t(
        "benefits.reference_label", kind=t_or(f"kind.{r.kind}", r.kind), label=ds.label(r.indicator, lang),
        comparator=marks.SYMBOLS.get(r.comparator, r.comparator), value=f"{r.value:g}"))


def series_chart(ds: Dataset, res: Any, paths: pd.DataFrame, series: str, unit_key: str, title: str) -> dict:
    name = t("benefits.scenario_series", label=series_label(ds, series))
    return charts.lines(bv.series_frame(paths, series, name), value_label=t(unit_key), title=title,
                        res_hash=res.hash, data_version=res.data_version, lang=_session.current_lang(),
                        height=CHART_HEIGHT, targets=reference_marks(ds, res, series))


def announced_section(res: Any) -> None:
    """What the setter has already announced (元/人·月 by year): overrides the forecast from that year on."""
    with st.expander(t("benefits.announced_title"), expanded=bool(res.scenario.announced)):
        st.caption(t("benefits.announced_help"))
        frame = pd.DataFrame(sc.announced_rows(res.scenario.announced), columns=["year", *sc.ANNOUNCEABLE])
        edited = st.data_editor(
            frame.astype("float64"), num_rows="dynamic", hide_index=True, key=f"ann_{res.district}",
            column_config={"year": st.column_config.NumberColumn(t("benefits.announced_year"), format="%d"),
                           **{c: st.column_config.NumberColumn(series_label(_session.data(), c), format="%.0f")
                              for c in sc.ANNOUNCEABLE}},
        )
        if st.button(t("benefits.announced_apply"), key=f"ann_apply_{res.district}", icon=":material/campaign:"):
            try:
                items = sc.announced_from_rows(edited.to_dict(orient="records"))
                _scenarios.set_scenario(_scenarios.current_scenario().with_announced(items))
                st.rerun()
            except ShapanError as err:
                show_error(err)


def rule_section(res: Any) -> None:
    cols = st.columns([1, 2])
    with cols[0]:
        rule = lever("benefits.rule")
    cols[1].info(t(f"benefits.rule_help_{rule}"), icon=":material/rule:")
    if rule in SETTER_RULES:
        st.markdown(f"**{t('benefits.baseline_levers')}**")
        levers(BASELINE_LEVERS, columns=3)
        announced_section(res)
    else:
        st.markdown(f"**{t('benefits.growth_levers')}**")
        levers(GROWTH_LEVERS, columns=4, help=t("benefits.growth_default_help"))
        st.markdown(f"**{t('benefits.ratio_levers')}**")
        levers(RATIO_LEVERS, columns=3)
        if math.isnan(res["benefits.target_ratio_pct"]):
            st.caption(t("benefits.no_ratio_target"))
    with st.expander(t("benefits.other_levers"), expanded=False):
        levers(OTHER_LEVERS, columns=3)


def flags_table(res: Any, flags: pd.DataFrame) -> None:
    st.subheader(t("benefits.flags"))
    if flags.empty:
        st.success(t("benefits.no_flags"), icon=":material/check_circle:")
        return
    table = bv.flag_rows(flags, _session.current_lang()).assign(
        flag=lambda f: [t_or(f"benefits.flag_{c}", c) for c in f["flag"]],
        severity=lambda f: [t_or(f"benefits.severity_{s}", s) for s in f["severity"]],
    ).rename(columns={c: t(f"benefits.col_{c}") for c in bv.FLAG_COLUMNS})
    for col, (severity, n) in zip(st.columns(2), bv.flag_counts(flags).items(), strict=True):
        col.metric(t(f"benefits.severity_{severity}"), n)
    st.dataframe(table, hide_index=True, width="stretch", key="benefits_flags")
    download_table(table, f"benefit_flags_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def page() -> None:
    ds, district = _session.data(), _session.current_district()
    page_header("nav.benefits")
    if not benefits_stage.has_benefits(ds, district):
        st.info(t("benefits.no_standards_published"), icon=":material/info:")
        provenance_caption(None, ds.version)
        return
    try:
        rule_section(_cache.resolved())
        res, run = _cache.resolved(), _cache.result()
    except ShapanError as err:
        show_error(err)
        return
    paths, year = run.benefits, cal.PLAN_END_YEAR
    for col, (series, value) in zip(st.columns(len(bv.HEADLINE)), bv.headline(paths, year).items(), strict=True):
        col.metric(t("benefits.metric_in_year", year=year, label=series_label(ds, series)), fmt.number(value, 1))
    cols = st.columns(2)
    for i, series in enumerate(bv.shown_standards(paths)):
        with cols[i % 2]:
            chart(series_chart(ds, res, paths, series, "benefits.unit_standard", series_label(ds, series)),
                  f"benefits_{series}", scenario_hash=res.hash, data_version=res.data_version)
    st.caption(t("benefits.reference_note"))
    chart(series_chart(ds, res, paths, "rural_urban_dibao_ratio", "benefits.unit_pct", t("benefits.chart_ratio")),
          "benefits_ratio", scenario_hash=res.hash, data_version=res.data_version)
    flags_table(res, run.flags)
    table = paths.rename(columns={c: t("benefits.col_year") if c == "year" else series_label(ds, c)
                                  for c in paths.columns})
    with st.expander(t("benefits.table"), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch", key="benefits_table")
    download_table(table, f"benefits_{district}", scenario_hash=res.hash, data_version=res.data_version)
    provenance_caption(res.hash, res.data_version)


page()
