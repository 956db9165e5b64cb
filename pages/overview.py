"""概览 Overview: headline figures and the scorecard of every target of the district's plan.

Headline: 60+ population, beds per 1,000 elderly, rural/urban 低保 ratio (2020 → 2025, model run of the
current scenario), five-year budget 2021–2025 (万元, ``models.budget.totals``) and the count of targets by
status. Scorecard: every target (``_cache.targets``: one row per target, table and text merged), problems
first, with status and P(met) (the scenario's Monte Carlo, the same basis as the CLI and the report), mode,
who decides, the reason, plan text and every locator; filters by domain and status; a legend of the status
rules; and an input for every figure a target needs (``_target_inputs``).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from models import coverage, target_modes
from models import targets as tg
from models.charts import domain_label, status_label
from models.data import DOMAINS
from models.views import calendar
from models.views.text import plain
from pages import _basis, _cache, _scorecard, _session, _target_inputs
from pages._ui import district_name, download_table, page_header, provenance_caption, t

BASE_YEAR, PLAN_YEAR = calendar.BASE_YEAR, calendar.PLAN_END_YEAR
FILTERS = {  # status filter of the scorecard: option -> displayed statuses kept (None = all)
    "all": None,
    "problems": ("off_track", "missed", "at_risk", "quarantined"),
    "judged": target_modes.JUDGED,
    "needs_input": ("needs_input", "quarantined", "not_modelled"),
}
HEADLINES = [  # (series id, locale label key, decimals, unit key)
    ("population_60plus", "overview.m_pop60", 0, "overview.unit_persons"),
    ("beds_per_1000_elderly", "overview.m_beds", 1, "overview.unit_per_1000"),
    ("rural_urban_dibao_ratio", "overview.m_ratio", 1, "overview.unit_pct"),
]

BASIS_SERIES = ("population_60plus", "beds_per_1000_elderly")  # counts, or per-1,000 of a count


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
            if indicator in BASIS_SERIES:
                _basis.caption(run.resolved)
    total = coverage.total_or_none(run.budget, BASE_YEAR + 1, PLAN_YEAR)
    contains = coverage.label(coverage.coverage(run, _session.data()), _session.current_lang())
    with cells[-1]:
        st.metric(t("overview.metric_with_unit", label=t("overview.m_budget", start=BASE_YEAR + 1, end=PLAN_YEAR),
                    unit=t("overview.unit_wan_yuan")),
                  _scorecard.fmt(total, 1) if total is not None else t("overview.not_costed"), border=True,
                  help=(t("overview.budget_help") if total is not None else t("overview.budget_missing"))
                  + " " + contains)
        st.caption(contains)


def status_counts(frame: Any, res: Any) -> None:
    """One metric per status shown in the table (the four future statuses always): counts match the rows."""
    counts = target_modes.status_counts(frame)
    lang = _session.current_lang()
    legend = dict(target_modes.legend(res, lang))
    shown = [s for s in target_modes.PROBLEM_ORDER if counts[s] or s in target_modes.FUTURE_STATUSES]
    for start in range(0, len(shown), 5):
        chunk = shown[start:start + 5]
        for col, status in zip(st.columns(5), chunk, strict=False):
            col.metric(status_label(status, lang), counts[status], help=legend[status], border=True)


def show_legend(res: Any, n: int) -> None:
    lang = _session.current_lang()
    with st.expander(t("overview.legend"), icon=":material/help:"):
        st.caption(t("overview.status_mc", n=n, on=f"{tg.P_ON_TRACK:.0%}", risk=f"{tg.P_AT_RISK:.0%}"))
        for status, text in target_modes.legend(res, lang):
            st.markdown(f"- **{status_label(status, lang)}**：{text}" if lang == "zh"
                        else f"- **{status_label(status, lang)}**: {text}")


def filtered(frame: Any) -> Any:
    """The domain and status filters (segmented controls) applied to the target frame."""
    lang = _session.current_lang()
    domains = ["all", *DOMAINS]
    domain = st.segmented_control(
        t("overview.domain"), options=domains, default="all", key="ov_domain",
        format_func=lambda d: t("overview.filter_all") if d == "all" else domain_label(d, lang),
    ) or "all"
    choice = st.segmented_control(
        t("overview.filter"), options=list(FILTERS), default="all", key="ov_filter",
        format_func={o: t(f"overview.filter_{o}") for o in FILTERS}.__getitem__,
    ) or "all"
    if domain != "all":
        frame = frame[frame["domain"] == domain]
    if FILTERS[choice] is not None:
        frame = frame[frame["display_status"].isin(FILTERS[choice])]
    return frame


def scorecard(res: Any, district: str) -> None:
    st.subheader(t("overview.scorecard"))
    n = int(res.values["uncertainty.draws"])
    frame = _cache.targets()
    if frame.empty:
        st.info(t("overview.no_targets"), icon=":material/info:")
        return
    status_counts(frame, res)
    if deciders := target_modes.deciders_text(frame, _session.current_lang()):
        st.caption(deciders)
    show_legend(res, n)
    table = _scorecard.translate(_scorecard.frame(tg.sort_by_status(filtered(frame))))
    _scorecard.show(table, key="ov_scorecard")
    st.caption(t("overview.scorecard_note"))
    download_table(table, f"scorecard_{district}", scenario_hash=res.hash, data_version=res.data_version)
    _target_inputs.form(frame, key="ov")


def policy_note(ds: Any, district: str) -> None:
    """A district whose document is a policy opinion, not a plan, says so first."""
    row = ds.district(district)
    if row["doc_kind"] != "policy_opinion":
        return
    plan = ds.sources.get(row["plan_source"], {})
    title = plan.get("title", row["plan_source"])
    st.info(t("overview.policy_opinion", district=plain(district_name()), title=plain(title),
              date=plain(plan.get("date", "")), period=plain(row["plan_period"]), notes=plain(row["notes"])),
            icon=":material/gavel:")


def page() -> None:
    ds = _session.data()
    district = _session.current_district()
    page_header("nav.overview")
    policy_note(ds, district)
    res = _cache.resolved()
    headline_metrics(_cache.result())
    scorecard(res, district)
    provenance_caption(res.hash, res.data_version)


page()
