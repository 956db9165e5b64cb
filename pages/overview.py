"""概览 Overview: headline figures and the scorecard of every target of the district's plan.

Headline: 60+ population, beds per 1,000 elderly, rural/urban 低保 ratio (2020 → 2025, model run of the
current scenario), five-year budget 2021–2025 (万元, ``models.budget.totals``) and the count of targets by
status. Scorecard: every target row (``_state.targets``) with plan text, baseline, projection, status
colour, required growth, P(met) once the Monte Carlo is run (button, cached), source and locator.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from models import coverage
from models import targets as tg
from models.charts import status_label
from models.targets import STATUSES
from pages import _scorecard, _state
from pages._ui import district_name, download_table, page_header, plain, provenance_caption, t

BASE_YEAR, PLAN_YEAR = 2020, 2025
MARGIN = f"{tg.AT_RISK_MARGIN:.0%}"
HEADLINES = [  # (series id, locale label key, decimals, unit key)
    ("population_60plus", "overview.m_pop60", 0, "overview.unit_persons"),
    ("beds_per_1000_elderly", "overview.m_beds", 1, "overview.unit_per_1000"),
    ("rural_urban_dibao_ratio", "overview.m_ratio", 1, "overview.unit_pct"),
]


def headline_metrics(run: Any) -> None:
    """Four headline cards in a 2 × 2 grid (at 1366 px four in a row cut their labels); the unit goes in
    the label, the value is the bare number in the plan's rounding (whole people, one decimal for ratios)."""
    series = run.series
    cells = [c for _ in range(2) for c in st.columns(2)]
    for col, (indicator, label, digits, unit) in zip(cells, HEADLINES, strict=False):
        path = series.get(indicator, {})
        with col:
            st.metric(
                t("overview.metric_with_unit", label=t(label, year=PLAN_YEAR), unit=t(unit)),
                _scorecard.fmt(path.get(PLAN_YEAR), digits),
                delta=t("overview.base_value", year=BASE_YEAR, value=_scorecard.fmt(path.get(BASE_YEAR), digits)),
                delta_color="off", delta_arrow="off", border=True,
                help=t("overview.m_help") if path else t("overview.not_modelled_help"),
            )
    total = coverage.total_or_none(run.budget, BASE_YEAR + 1, PLAN_YEAR)
    contains = coverage.label(coverage.coverage(run, _state.data()), _state.current_lang())
    with cells[-1]:
        st.metric(t("overview.metric_with_unit", label=t("overview.m_budget", start=BASE_YEAR + 1, end=PLAN_YEAR),
                    unit=t("overview.unit_wan_yuan")),
                  _scorecard.fmt(total, 1) if total is not None else t("overview.not_costed"), border=True,
                  help=(t("overview.budget_help") if total is not None else t("overview.budget_missing"))
                  + " " + contains)
        st.caption(contains)


def status_counts(frame: Any) -> None:
    counts = frame["status"].value_counts()
    lang = _state.current_lang()
    cols = st.columns(len(STATUSES))
    for col, status in zip(cols, STATUSES, strict=True):
        col.metric(status_label(status, lang), int(counts.get(status, 0)),
                   help=t(f"overview.status_help_{status}", margin=MARGIN))


def monte_carlo_controls(res: Any) -> int | None:
    """Button computing P(met); returns the draw count when P(met) is available for this scenario."""
    n = int(res.values["uncertainty.draws"])
    st.button(t("overview.mc_button", n=f"{n:,}"), key="ov_mc", icon=":material/casino:",
              help=t("overview.mc_help"), on_click=_scorecard.request_monte_carlo, args=(n,))
    if _scorecard.monte_carlo_requested(n):
        _scorecard.run_monte_carlo(n)
    elif not _scorecard.mc_done(res.hash, n):
        st.caption(t("overview.mc_not_run"))
    return n if _scorecard.mc_done(res.hash, n) else None


def scorecard(res: Any, district: str) -> None:
    st.subheader(t("overview.scorecard"))
    n = monte_carlo_controls(res)
    frame = _state.targets(mc_n=n or 0)
    if frame.empty:
        st.info(t("overview.no_targets"), icon=":material/info:")
        return
    status_counts(frame)
    if n:
        st.caption(t("overview.status_mc", n=n, on=f"{tg.P_ON_TRACK:.0%}", risk=f"{tg.P_AT_RISK:.0%}"))
    modelled_only = st.segmented_control(
        t("overview.filter"), options=["all", "modelled"], default="all", key="ov_filter",
        format_func={o: t(f"overview.filter_{o}") for o in ("all", "modelled")}.__getitem__,
    ) == "modelled"
    if modelled_only:
        frame = frame[frame["status"] != "not_modelled"]
    table = _scorecard.translate(_scorecard.frame(tg.sort_by_status(frame)))
    _scorecard.show(table, key="ov_scorecard")
    st.caption(t("overview.scorecard_note", margin=MARGIN))
    download_table(table, f"scorecard_{district}", scenario_hash=res.hash, data_version=res.data_version)


ds = _state.data()
district = _state.current_district()
page_header("nav.overview")
row = ds.district(district)
if row["doc_kind"] == "policy_opinion":
    plan = ds.sources.get(row["plan_source"], {})
    title = plan.get("title", row["plan_source"])
    st.info(t("overview.policy_opinion", district=plain(district_name()), title=plain(title),
              date=plain(plan.get("date", "")), period=plain(row["plan_period"]), notes=plain(row["notes"])),
            icon=":material/gavel:")
res = _state.resolved()
headline_metrics(_state.result())
scorecard(res, district)
provenance_caption(res.hash, res.data_version)
