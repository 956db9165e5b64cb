"""救助标准 Benefits: 低保 / 特困 / 孤儿 standards under a growth rule, against the plan's targets.

Levers: the rule (fixed growth, linked to consumption, rural/urban convergence), growth rates (default
the district's own 2015→2020 growth), the convergence target, the 特困 multiplier, CPI, consumption and
care-subsidy parameters. Shows the standards (元/人·月) with the plan's 2020 baselines and targets, the
rural/urban ratio against its target, the compliance flags of :func:`models.benefits.compliance_flags`
and the table. A district that publishes no standards (九龙坡) is told so.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from models import charts, engine
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.forecast import SETTER_RULES
from pages import _cache, _scenarios, _session
from pages._levers import lever, levers
from pages._ui import chart, download_table, format_number, page_header, provenance_caption, show_error, t, t_or

GROWTH_LEVERS = ("benefits.dibao_urban_growth_pct", "benefits.dibao_rural_growth_pct",
                 "benefits.tekun_growth_pct", "benefits.orphan_growth_pct")
RATIO_LEVERS = ("benefits.target_ratio_pct", "benefits.target_ratio_year", "benefits.cap_rural_at_urban")
OTHER_LEVERS = ("benefits.tekun_multiplier", "benefits.cpi_inflation_pct", "benefits.consumption_growth_pct",
                "benefits.consumption_share_pct", "benefits.care_subsidy_min_wage_pct",
                "benefits.min_wage_growth_pct")
BASELINE_LEVERS = ("benefits.baseline_recent_growth_pct", "benefits.baseline_long_run_growth_pct",
                   "benefits.baseline_damping", "benefits.baseline_ratio_drift_pp",
                   "benefits.baseline_urban_step_yuan", "uncertainty.regime_continue_prob")
# chart series -> indicator ids whose published baselines and targets are drawn on that chart
REFERENCES = {
    "dibao_urban_standard": ("dibao_urban_standard",),
    "dibao_rural_standard": ("dibao_rural_standard",),
    "tekun_standard": ("tekun_standard", "tekun_urban_standard", "tekun_rural_standard"),
    "orphan_standard": ("orphan_standard", "orphan_institution_standard", "orphan_scattered_standard"),
    "rural_urban_dibao_ratio": ("rural_urban_dibao_ratio",),
}
STANDARDS = ("dibao_urban_standard", "dibao_rural_standard", "tekun_standard", "orphan_standard")
HEADLINE = ("dibao_urban_standard", "dibao_rural_standard", "rural_urban_dibao_ratio", "tekun_standard")
CHART_HEIGHT = 360  # px; Streamlit fits title, rotated year labels and legend inside this height
FLAG_COLUMNS = ("year", "programme", "flag", "severity", "value", "threshold", "message")


def series_label(ds: Dataset, indicator: str) -> str:
    return t_or(f"benefits.series_{indicator}", ds.label(indicator, _session.current_lang()))


def reference_points(ds: Dataset, res: Any, series: str) -> pd.DataFrame:
    """Published base-year values and plan targets of the series' indicators (year, value, label, source)."""
    ind, lang = ds.indicators_for(res.district), _session.current_lang()
    base = (ind["kind"] == "baseline") & (ind["year"] == res.scenario.base_year)
    wanted = ind["indicator"].isin(REFERENCES[series]) & ind["value"].notna()
    rows = ind[wanted & ((ind["kind"] == "target") | base)]
    rows = rows.drop_duplicates(subset=["indicator", "year", "kind", "value"])
    return pd.DataFrame({
        "year": rows["year"].astype(int),
        "value": rows["value"].astype(float),
        "label": [t("benefits.reference_label", kind=t_or(f"kind.{k}", k), label=ds.label(i, lang),
                    comparator=c if k == "target" else "", value=f"{v:g}")
                  for i, k, c, v in zip(rows["indicator"], rows["kind"], rows["comparator"], rows["value"],
                                        strict=True)],
        "source": [f"{ds.sources.get(s, {}).get('title', s)} {loc}" for s, loc in
                   zip(rows["source"], rows["locator"], strict=True)],
    })


def series_frame(ds: Dataset, paths: pd.DataFrame, series: str) -> pd.DataFrame:
    frame = paths[["year", series]].dropna().rename(columns={series: "value"})
    return frame.assign(series=t("benefits.scenario_series", label=series_label(ds, series)))


def announced_section(res: Any) -> None:
    """What the setter has already announced (元/人·月 by year): overrides the forecast from that year on."""
    with st.expander(t("benefits.announced_title"), expanded=bool(res.scenario.announced)):
        st.caption(t("benefits.announced_help"))
        columns = ["year", *sc.ANNOUNCEABLE]
        frame = pd.DataFrame(sc.announced_rows(res.scenario.announced), columns=columns)
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
        with st.expander(t("benefits.other_levers"), expanded=False):
            levers(OTHER_LEVERS, columns=3)
        return
    st.markdown(f"**{t('benefits.growth_levers')}**")
    levers(GROWTH_LEVERS, columns=4, help=t("benefits.growth_default_help"))
    st.markdown(f"**{t('benefits.ratio_levers')}**")
    levers(RATIO_LEVERS, columns=3)
    if math.isnan(res["benefits.target_ratio_pct"]):
        st.caption(t("benefits.no_ratio_target"))
    with st.expander(t("benefits.other_levers"), expanded=False):
        levers(OTHER_LEVERS, columns=3)


def headline(ds: Dataset, paths: pd.DataFrame) -> None:
    year = engine.PLAN_END_YEAR
    row = paths.set_index("year").loc[year]
    cols = st.columns(len(HEADLINE))
    for col, series in zip(cols, HEADLINE, strict=True):
        col.metric(t("benefits.metric_in_year", year=year, label=series_label(ds, series)),
                   format_number(row[series]))


def standards_charts(ds: Dataset, res: Any, paths: pd.DataFrame) -> None:
    lang, h, v = _session.current_lang(), res.hash, res.data_version
    shown = [s for s in STANDARDS if paths[s].notna().any()]
    cols = st.columns(2)
    for i, series in enumerate(shown):
        with cols[i % 2]:
            chart(charts.lines(series_frame(ds, paths, series), value_label=t("benefits.unit_standard"),
                               title=series_label(ds, series), res_hash=h, data_version=v, lang=lang,
                               height=CHART_HEIGHT,
                               targets=reference_points(ds, res, series)),
                  f"benefits_{series}", scenario_hash=h, data_version=v)
    st.caption(t("benefits.reference_note"))


def ratio_chart(ds: Dataset, res: Any, paths: pd.DataFrame) -> None:
    lang, h, v = _session.current_lang(), res.hash, res.data_version
    series = "rural_urban_dibao_ratio"
    chart(charts.lines(series_frame(ds, paths, series), value_label=t("benefits.unit_pct"),
                       title=t("benefits.chart_ratio"), res_hash=h, data_version=v, lang=lang,
                       height=CHART_HEIGHT,
                       targets=reference_points(ds, res, series)),
          "benefits_ratio", scenario_hash=h, data_version=v)


def flags_table(res: Any, flags: pd.DataFrame) -> None:
    st.subheader(t("benefits.flags"))
    if flags.empty:
        st.success(t("benefits.no_flags"), icon=":material/check_circle:")
        return
    lang = _session.current_lang()
    table = pd.DataFrame({
        "year": flags["year"],
        "programme": [t_or(f"benefits.prog_{p}", p) for p in flags["programme"]],
        "flag": [t_or(f"benefits.flag_{f}", f) for f in flags["flag"]],
        "severity": [t_or(f"benefits.severity_{s}", s) for s in flags["severity"]],
        "value": flags["value"],
        "threshold": flags["threshold"],
        "message": flags["message_zh" if lang == "zh" else "message_en"],
    }).rename(columns={c: t(f"benefits.col_{c}") for c in FLAG_COLUMNS})
    counts = flags["severity"].value_counts()
    cols = st.columns(2)
    cols[0].metric(t("benefits.severity_error"), int(counts.get("error", 0)))
    cols[1].metric(t("benefits.severity_warning"), int(counts.get("warning", 0)))
    st.dataframe(table, hide_index=True, width="stretch", key="benefits_flags")
    download_table(table, f"benefit_flags_{res.district}", scenario_hash=res.hash,
                   data_version=res.data_version)


def paths_table(ds: Dataset, res: Any, paths: pd.DataFrame) -> None:
    table = paths.rename(columns={c: t("benefits.col_year") if c == "year" else series_label(ds, c)
                                  for c in paths.columns})
    with st.expander(t("benefits.table"), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch", key="benefits_table")
    download_table(table, f"benefits_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def page() -> None:
    ds = _session.data()
    district = _session.current_district()
    page_header("nav.benefits")
    if not engine.has_benefits(ds, district):
        st.info(t("benefits.no_standards_published"), icon=":material/info:")
        provenance_caption(None, ds.version)
        return
    try:
        res = _cache.resolved()
        rule_section(res)
        res, run = _cache.resolved(), _cache.result()
    except ShapanError as err:
        show_error(err)
        return
    headline(ds, run.benefits)
    standards_charts(ds, res, run.benefits)
    ratio_chart(ds, res, run.benefits)
    flags_table(res, run.flags)
    paths_table(ds, res, run.benefits)
    provenance_caption(res.hash, res.data_version)


page()
