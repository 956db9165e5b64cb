"""财政成本 Budget: cost of the benefit programmes by year (万元), its basis, and what a change costs.

Sections: cost by programme and year (stacked bars) and the plan-period totals; the calibration basis of
each programme (13th-FYP spending ÷ 人次 × standard, with the 人次 unit made explicit) and the programmes
not costed, with caseload levers; the increment against a reference preset (default ``freeze``); the
split by paying level; and a one-line answer for budget officers: what raising rural 低保 to X % of urban
by year Y adds each year (the convergence rule on a copy of the scenario). Numbers from
:mod:`models.budget` via :mod:`models.engine`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from models import budget as bu
from models import budget_question as bq
from models import charts, coverage, engine, funding, presets, prices, tekun_tiers
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from pages import _cache, _scenarios, _session
from pages._levers import levers
from pages._ui import chart, download_table, page_header, plain, provenance_caption, show_error, t, t_or

CASELOAD_LEVERS = {p: f"budget.{p}_recipients" for p in bu.PROGRAMMES
                   if f"budget.{p}_recipients" in sc.PARAMS}
COMMON_LEVERS = ("budget.recipients_growth_pct", "budget.payment_ratio")
LEVEL_LEVERS = ("budget.share_central_pct", "budget.share_municipal_pct")
PRICE_LEVERS = ("benefits.cpi_inflation_pct",)
LEVELS = ("central_wan_yuan", "municipal_wan_yuan", "district_wan_yuan")
DEFAULT_REFERENCE = "freeze"
MONEY_RESOLUTION = 0.5  # 万元: increments below this show as "0 万元"
NUMBER_FORMATS = {"wan_yuan": "%.1f", "persons": "%.0f", "ratio": "%.3f", "pct": "%.1f"}
NUMBER_COLUMNS = {
    "wan_yuan": ("cost_wan_yuan", "cost_real_wan_yuan", "reference_cost_wan_yuan", "incremental_wan_yuan",
                 "standard_yuan_month", "central_wan_yuan", "municipal_wan_yuan", "district_wan_yuan"),
    "persons": ("recipients",),
    "ratio": ("payment_ratio", "index"),
    "pct": ("cpi_pct",),
}
CHART_HEIGHT = 360  # px; Streamlit fits title, rotated year labels and legend inside this height


def prog_label(programme: str) -> str:
    return t_or(f"budget.prog_{programme}", programme)


def money(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("budget.not_available")
    return t("budget.wan_yuan", value=f"{value:,.0f}")


def plan_window(res: Any) -> tuple[int, int]:
    """First projected year and the plan's last year (e.g. 2021–2025)."""
    return res.years[1], engine.PLAN_END_YEAR


def labelled(costs: pd.DataFrame) -> pd.DataFrame:
    return costs.assign(programme=[prog_label(p) for p in costs["programme"]])


def column_label(column: str) -> str:
    return t(f"budget.level_{column}") if column in LEVELS else t_or(f"budget.col_{column}", column)


def show_table(frame: pd.DataFrame, key: str, container: Any = st) -> pd.DataFrame:
    """Render ``frame`` (column ids) with translated headers and display formats; return the translated
    frame for download (full precision)."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        fmt = next((f for kind, f in NUMBER_FORMATS.items() if column in NUMBER_COLUMNS[kind]), None)
        if fmt:
            config[column_label(column)] = st.column_config.NumberColumn(column_label(column), format=fmt)
    if "basis" in frame.columns:
        config[column_label("basis")] = st.column_config.TextColumn(column_label("basis"), width="large")
    table = frame.rename(columns={c: column_label(c) for c in frame.columns})
    container.dataframe(table, hide_index=True, width="stretch", key=key, column_config=config)
    return table


def cost_section(res: Any, run: Any) -> None:
    lang, h, v = _session.current_lang(), res.hash, res.data_version
    st.subheader(t("budget.cost_title"))
    contains = coverage.label(coverage.coverage(run, _session.data()), lang)
    if run.budget.empty:
        st.info(t("budget.no_costs"), icon=":material/info:")
        st.caption(contains)
        return
    chart(charts.stacked_bars(labelled(run.budget), x="year", y="cost_wan_yuan", colour="programme",
                              value_label=t("budget.unit_wan_yuan"), title=t("budget.chart_cost"), res_hash=h,
                              data_version=v, lang=lang, height=CHART_HEIGHT),
          "budget_cost", scenario_hash=h, data_version=v)
    first, last = plan_window(res)
    ds = _session.data()
    index = prices.run_index(run, ds)
    real = prices.real_terms(run.budget, index)
    totals = bu.totals(run.budget, first, last).merge(
        bu.totals(real.assign(cost_wan_yuan=real["cost_real_wan_yuan"]), first, last).rename(
            columns={"cost_wan_yuan": "cost_real_wan_yuan"}), on="programme", how="left")
    sums = prices.period_totals(real, first, last)
    cols = st.columns([1, 2])
    cols[0].metric(t("budget.total_in_period", first=first, last=last, label=t("budget.total_all")),
                   money(sums["nominal"]))
    cols[0].metric(t("budget.total_real_in_period", first=first, last=last, base=res.scenario.base_year),
                   money(sums["real"]))
    show_table(labelled(totals), "budget_totals", cols[1])
    st.caption(contains)
    st.caption(prices.basis_text(index, prices.cpi_region(ds, res.district), lang, ds))
    with st.expander(t("budget.prices_title"), expanded=False):
        levers(PRICE_LEVERS, columns=2)
        cpi = index.assign(basis=[t(f"budget.cpi_basis_{b}") for b in index["basis"]])
        show_table(cpi.rename(columns={"basis": "cpi_basis"}), "budget_cpi")
    with st.expander(t("budget.table"), expanded=False):
        table = show_table(labelled(real), "budget_table")
    download_table(table, f"budget_{res.district}", scenario_hash=h, data_version=v)


def basis_section(res: Any, run: Any) -> None:
    st.subheader(t("budget.basis_title"))
    lang = _session.current_lang()
    rows = [{"programme": prog_label(p), "recipients": v["recipients"], "payment_ratio": v["payment_ratio"],
             "payments_per_year": v["per_year"], "basis": v["basis_zh" if lang == "zh" else "basis_en"]}
            for p, v in run.budget_inputs.items()]
    if rows:
        table = show_table(pd.DataFrame(rows), "budget_basis")
        download_table(table, f"budget_basis_{res.district}", scenario_hash=res.hash,
                       data_version=res.data_version)
    cov = coverage.coverage(run, _session.data())
    if cov["not_costed"]:
        sep = t("page.list_sep")
        items = sep.join(f"{prog_label(m['programme'])}（{m['reason' if lang == 'zh' else 'reason_en']}）"
                         for m in cov["not_costed"])
        st.warning(t("budget.not_costed", programmes=items), icon=":material/warning:")
    keys = [CASELOAD_LEVERS[p] for p in run.budget_notes if p in CASELOAD_LEVERS]
    if keys:
        st.caption(t("budget.caseload_hint"))
        levers(keys, columns=3)
    tier_standards = tekun_tiers.standards(_session.data(), res.district)
    if tier_standards:  # the plan prints tiered 特困 care allowances (珠山): one input per tier
        names = [tekun_tiers.TIER_NAMES[k][0 if lang == "zh" else 1] for k in tekun_tiers.TIERS]
        st.caption(t("budget.tiers_hint", tiers=", ".join(f"{n} {tier_standards[k]:g}" for n, k in
                                                          zip(names, tekun_tiers.TIERS, strict=True))))
        levers(tekun_tiers.KEYS, columns=3)
    with st.expander(t("budget.more_levers"), expanded=False):
        st.caption(t("budget.override_hint"))
        others = [k for p, k in CASELOAD_LEVERS.items() if p not in run.budget_notes]
        levers([*others, *COMMON_LEVERS], columns=3)


def reference_section(ds: Dataset, res: Any, run: Any) -> None:
    st.subheader(t("budget.reference_title"))
    if run.budget.empty:
        st.info(t("budget.no_costs"), icon=":material/info:")
        return
    names = presets.preset_names(res.district)
    if not names:
        st.info(t("budget.no_presets"), icon=":material/info:")
        return
    ref = st.selectbox(t("budget.reference"), options=names, key=f"budget_ref_{res.district}",
                       index=names.index(DEFAULT_REFERENCE) if DEFAULT_REFERENCE in names else 0,
                       format_func=lambda n: t_or(f"budget.preset_{n}", n))
    try:
        ref_run = _cache.result(presets.load_preset(res.district, ref, ds))
    except ShapanError as err:
        show_error(err)
        return
    inc = bu.incremental(run.budget, ref_run.budget)
    first, last = plan_window(res)
    window = inc[(inc["programme"] != bu.TOTAL)].rename(columns={"cost_wan_yuan": "scenario_wan_yuan",
                                                                "incremental_wan_yuan": "cost_wan_yuan"})
    total = bu.totals(window, first, last)
    preset = t_or(f"budget.preset_{ref}", ref)
    st.metric(t("budget.increment_in_period", first=first, last=last, preset=preset),
              money(float(total.loc[total["programme"] == bu.TOTAL, "cost_wan_yuan"].iloc[0])))
    h, v = res.hash, res.data_version
    chart(charts.stacked_bars(labelled(window), x="year", y="cost_wan_yuan", colour="programme",
                              value_label=t("budget.unit_wan_yuan"), title=t("budget.chart_increment"),
                              res_hash=h, data_version=v, lang=_session.current_lang(),
                              height=CHART_HEIGHT),
          "budget_increment", scenario_hash=h, data_version=v)
    with st.expander(t("budget.table"), expanded=False):
        table = show_table(labelled(inc), "budget_increment_table")
    download_table(table, f"budget_increment_{res.district}_vs_{ref}", scenario_hash=h, data_version=v)


def level_section(res: Any, run: Any) -> None:
    st.subheader(t("budget.level_title"))
    split_basis = funding.basis(res, _session.data())
    st.caption(split_basis["basis_zh" if _session.current_lang() == "zh" else "basis_en"])
    st.caption(" · ".join(plain(f"{s['doc_no']} {s['title']} {s['url']}".strip()) for s in split_basis["sources"]))
    levers(LEVEL_LEVERS, columns=2)
    if run.budget.empty:
        return
    try:
        shares = res["budget.share_central_pct"], res["budget.share_municipal_pct"]
        split = bu.split_by_level(run.budget, *shares)
        first, last = plan_window(res)
        totals = bu.split_by_level(bu.totals(run.budget, first, last), *shares)
    except ShapanError as err:
        show_error(err)
        return
    long = split.melt(id_vars=["year", "programme"], value_vars=list(LEVELS), var_name="level")
    long = long.assign(level=[t(f"budget.level_{lv}") for lv in long["level"]])
    h, v = res.hash, res.data_version
    chart(charts.stacked_bars(long, x="year", y="value", colour="level",
                              value_label=t("budget.unit_wan_yuan"), title=t("budget.chart_level"),
                              res_hash=h, data_version=v, lang=_session.current_lang(),
                              height=CHART_HEIGHT),
          "budget_level", scenario_hash=h, data_version=v)
    st.caption(t("budget.level_table", first=first, last=last))
    table = show_table(labelled(totals), "budget_level_table")
    download_table(table, f"budget_levels_{res.district}", scenario_hash=h, data_version=v)


QUESTION_KINDS = ("ratio", "growth")


def question_inputs(res: Any) -> tuple[str, dict[str, Any]]:
    """The question asked: ``("ratio", {ratio, year})`` or ``("growth", {programme, growth})``."""
    kind = st.radio(t("budget.ask_kind"), QUESTION_KINDS, horizontal=True, key=f"budget_ask_kind_{res.district}",
                    format_func=lambda k: t(f"budget.ask_kind_{k}"))
    cols = st.columns(2)
    if kind == "ratio":
        lo, hi = sc.param_range("benefits.target_ratio_pct", _session.data().assumptions)
        year_spec = sc.PARAMS["benefits.target_ratio_year"]
        default = res["benefits.target_ratio_pct"]
        ratio = cols[0].number_input(t("budget.ask_ratio"), min_value=float(lo), max_value=float(hi), step=1.0,
                                     value=90.0 if math.isnan(default) else float(default), format="%.1f",
                                     key=f"budget_ask_ratio_{res.district}")
        year = cols[1].number_input(t("budget.ask_year"), min_value=int(year_spec.min),
                                    max_value=int(year_spec.max), step=1, value=int(res["benefits.target_ratio_year"]),
                                    key=f"budget_ask_year_{res.district}")
        return kind, {"ratio": ratio, "year": int(year)}
    programme = cols[0].selectbox(t("budget.ask_programme"), list(bq.GROWTH_KEYS), format_func=prog_label,
                                  key=f"budget_ask_prog_{res.district}")
    spec = sc.PARAMS[bq.GROWTH_KEYS[programme]]
    growth = cols[1].number_input(t("budget.ask_growth"), min_value=float(spec.min), max_value=float(spec.max),
                                  value=5.0, step=0.5, format="%.1f", key=f"budget_ask_growth_{res.district}")
    return kind, {"programme": programme, "growth": growth}


def question_answer(answer: Any, res: Any, kind: str, asked: dict[str, Any]) -> None:
    first, last = bq.PLAN_YEARS
    if answer.not_costed_reason is not None:
        reason = answer.not_costed_reason[0 if _session.current_lang() == "zh" else 1]
        st.info(t("budget.ask_not_costed", programme=prog_label(answer.programme), reason=reason),
                icon=":material/info:")
        return
    cols = st.columns(2)
    for col, ref in zip(cols, bq.REFERENCES, strict=True):
        col.metric(t(f"budget.ask_sum_{ref}", first=first, last=last), money(answer.sums[ref]), border=True)
        if kind == "ratio" and answer.sums[ref] is not None and abs(answer.sums[ref]) < MONEY_RESOLUTION:
            year = answer.reached.get(ref)
            col.caption(t("budget.ask_reached", ratio=f"{asked['ratio']:g}", year=year) if year is not None
                        else t("budget.ask_zero"))
    st.caption(t("budget.ask_note"))
    view = answer.table[(answer.table["year"] >= first) & (answer.table["year"] <= last)]
    table = show_table(view, "budget_ask_table")
    download_table(table, f"budget_question_{kind}_{res.district}", scenario_hash=res.hash,
                   data_version=res.data_version)


def question_section(res: Any, run: Any) -> None:
    """The budget officer's question in one step: cost per year and 2021–2025, vs the current scenario and
    vs freeze (models.budget_question)."""
    st.subheader(t("budget.ask_title"))
    with st.container(border=True):
        kind, asked = question_inputs(res)
        if kind == "ratio" and asked["ratio"] is None:
            st.caption(t("budget.ask_enter_ratio"))
            return
        try:
            scenario = _scenarios.current_scenario()
            answer = (bq.ratio_question(scenario, _session.data(), float(asked["ratio"]), asked["year"])
                      if kind == "ratio" else
                      bq.growth_question(scenario, _session.data(), asked["programme"], float(asked["growth"])))
        except ShapanError as err:
            show_error(err)
            return
        question_answer(answer, res, kind, asked)


def page() -> None:
    ds = _session.data()
    page_header("nav.budget")
    try:
        res, run = _cache.resolved(), _cache.result()
    except ShapanError as err:
        show_error(err)
        return
    cost_section(res, run)
    basis_section(res, run)
    reference_section(ds, res, run)
    level_section(res, run)
    question_section(res, run)
    provenance_caption(res.hash, res.data_version)


page()
