"""财政成本 Budget: cost of the benefit programmes by year (万元), its basis, and what a change costs.

Sections: cost by programme and year (stacked bars) and the plan-period totals; the calibration basis of
each programme (13th-FYP spending ÷ 人次 × standard, with the 人次 unit made explicit) and the programmes
not costed, with caseload levers; the increment against a reference preset (default ``freeze``); the
split by paying level; and the budget officer's question (:mod:`pages._budget_question`). Numbers from
:mod:`models.budget` via :mod:`models.engine`; totals, increments and the level split from
:mod:`models.views.budget`; labels and tables from :mod:`pages._budget_ui`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from models import budget as bu
from models import charts, coverage, funding, presets, prices, tekun_tiers
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.views import budget as vb
from models.views.text import plain
from pages import _budget_question, _cache, _session
from pages._budget_ui import labelled, money, prog_label, show_table
from pages._levers import levers
from pages._ui import chart, download_table, id_label, page_header, provenance_caption, show_error, t, t_or

CASELOAD_LEVERS = {p: f"budget.{p}_recipients" for p in bu.PROGRAMMES
                   if f"budget.{p}_recipients" in sc.PARAMS}
COMMON_LEVERS = ("budget.recipients_growth_pct", "budget.payment_ratio")
LEVEL_LEVERS = ("budget.share_central_pct", "budget.share_municipal_pct")
PRICE_LEVERS = ("benefits.cpi_inflation_pct",)
DEFAULT_REFERENCE = "freeze"
CHART_HEIGHT = 360  # px; Streamlit fits title, rotated year labels and legend inside this height


def bars(frame: Any, colour: str, title: str, name: str, res: Any, y: str = "cost_wan_yuan") -> None:
    """Stacked bars by year in 万元 (models.charts.stacked_bars) with the chart's export buttons."""
    h, v = res.hash, res.data_version
    chart(charts.stacked_bars(frame, x="year", y=y, colour=colour, value_label=t("budget.unit_wan_yuan"),
                              title=t(title), res_hash=h, data_version=v, lang=_session.current_lang(),
                              height=CHART_HEIGHT), name, scenario_hash=h, data_version=v)


def cost_section(ds: Dataset, res: Any, run: Any) -> None:
    st.subheader(t("budget.cost_title"))
    contains = coverage.label(coverage.coverage(run, ds), _session.current_lang())
    if run.budget.empty:
        st.info(t("budget.no_costs"), icon=":material/info:")
        st.caption(contains)
        return
    bars(labelled(run.budget), "programme", "budget.chart_cost", "budget_cost", res)
    first, last = vb.plan_window(res.years)
    index = prices.run_index(run, ds)
    real = prices.real_terms(run.budget, index)
    sums = prices.period_totals(real, first, last)
    cols = st.columns([1, 2])
    cols[0].metric(t("budget.total_in_period", first=first, last=last, label=t("budget.total_all")),
                   money(sums["nominal"]))
    cols[0].metric(t("budget.total_real_in_period", first=first, last=last, base=res.scenario.base_year),
                   money(sums["real"]))
    show_table(labelled(vb.period_totals(run.budget, real, first, last)), "budget_totals", cols[1])
    st.caption(contains)
    st.caption(prices.basis_text(index, prices.cpi_region(ds, res.district), _session.current_lang(), ds))
    with st.expander(t("budget.prices_title"), expanded=False):
        levers(PRICE_LEVERS, columns=2)
        cpi = index.assign(basis=[t(f"budget.cpi_basis_{b}") for b in index["basis"]])
        show_table(cpi.rename(columns={"basis": "cpi_basis"}), "budget_cpi")
    with st.expander(t("budget.table"), expanded=False):
        table = show_table(labelled(real), "budget_table")
    download_table(table, f"budget_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def basis_section(ds: Dataset, res: Any, run: Any) -> None:
    st.subheader(t("budget.basis_title"))
    lang = _session.current_lang()
    rows = vb.basis_rows(run.budget_inputs, lang)
    if len(rows):
        table = show_table(labelled(rows), "budget_basis")
        download_table(table, f"budget_basis_{res.district}", scenario_hash=res.hash,
                       data_version=res.data_version)
    cov = coverage.coverage(run, ds)
    if cov["not_costed"]:
        reason = "reason" if lang == "zh" else "reason_en"
        items = t("page.list_sep").join(f"{prog_label(m['programme'])}（{m[reason]}）" for m in cov["not_costed"])
        st.warning(t("budget.not_costed", programmes=items), icon=":material/warning:")
    keys = [CASELOAD_LEVERS[p] for p in run.budget_notes if p in CASELOAD_LEVERS]
    if keys:
        st.caption(t("budget.caseload_hint"))
        levers(keys, columns=3)
    tier_standards = tekun_tiers.standards(ds, res.district)
    if tier_standards:  # the plan prints tiered 特困 care allowances (珠山): one input per tier
        st.caption(t("budget.tiers_hint", tiers=", ".join(f"{id_label('tier', k)} {tier_standards[k]:g}"
                                                          for k in tekun_tiers.TIERS)))
        levers(tekun_tiers.KEYS, columns=3)
    with st.expander(t("budget.more_levers"), expanded=False):
        st.caption(t("budget.override_hint"))
        others = [k for p, k in CASELOAD_LEVERS.items() if p not in run.budget_notes]
        levers([*others, *COMMON_LEVERS], columns=3)


def reference_section(ds: Dataset, res: Any, run: Any) -> None:
    st.subheader(t("budget.reference_title"))
    names = presets.preset_names(res.district)
    if run.budget.empty or not names:
        st.info(t("budget.no_costs" if run.budget.empty else "budget.no_presets"), icon=":material/info:")
        return
    ref = st.selectbox(t("budget.reference"), options=names, key=f"budget_ref_{res.district}",
                       index=names.index(DEFAULT_REFERENCE) if DEFAULT_REFERENCE in names else 0,
                       format_func=lambda n: t_or(f"budget.preset_{n}", n))
    try:
        ref_run = _cache.result(presets.load_preset(res.district, ref, ds))
    except ShapanError as err:
        show_error(err)
        return
    first, last = vb.plan_window(res.years)
    inc = vb.increment(run.budget, ref_run.budget, first, last)
    st.metric(t("budget.increment_in_period", first=first, last=last, preset=t_or(f"budget.preset_{ref}", ref)),
              money(inc["total"]))
    bars(labelled(inc["bars"]), "programme", "budget.chart_increment", "budget_increment", res)
    with st.expander(t("budget.table"), expanded=False):
        table = show_table(labelled(inc["table"]), "budget_increment_table")
    download_table(table, f"budget_increment_{res.district}_vs_{ref}", scenario_hash=res.hash,
                   data_version=res.data_version)


def level_section(ds: Dataset, res: Any, run: Any) -> None:
    st.subheader(t("budget.level_title"))
    split_basis = funding.basis(res, ds)
    st.caption(split_basis["basis_zh" if _session.current_lang() == "zh" else "basis_en"])
    st.caption(" · ".join(plain(f"{s['doc_no']} {s['title']} {s['url']}".strip()) for s in split_basis["sources"]))
    levers(LEVEL_LEVERS, columns=2)
    if run.budget.empty:
        return
    first, last = vb.plan_window(res.years)
    try:
        split = vb.level_split(run.budget, res["budget.share_central_pct"], res["budget.share_municipal_pct"],
                               first, last)
    except ShapanError as err:
        show_error(err)
        return
    long = split["long"].assign(level=[t(f"budget.level_{lv}") for lv in split["long"]["level"]])
    bars(long, "level", "budget.chart_level", "budget_level", res, y="value")
    st.caption(t("budget.level_table", first=first, last=last))
    table = show_table(labelled(split["totals"]), "budget_level_table")
    download_table(table, f"budget_levels_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def page() -> None:
    ds = _session.data()
    page_header("nav.budget")
    try:
        res, run = _cache.resolved(), _cache.result()
    except ShapanError as err:
        show_error(err)
        return
    cost_section(ds, res, run)
    basis_section(ds, res, run)
    reference_section(ds, res, run)
    level_section(ds, res, run)
    _budget_question.question_section(res)
    provenance_caption(res.hash, res.data_version)


page()
