"""财政成本 Budget, the budget officer's question in one step: what raising rural 低保 to X % of urban by
year Y (or one programme's standard by g % a year) adds each year and over 2021–2025, against the current
scenario and against ``freeze`` (:mod:`models.budget_question`, the rule run on a copy of the scenario)."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from models import budget_question as bq
from models import scenario as sc
from models.errors import ShapanError
from models.views import budget as vb
from pages import _scenarios, _session
from pages._budget_ui import money, prog_label, show_table
from pages._ui import download_table, show_error, t

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
        if kind == "ratio" and vb.rounds_to_zero(answer.sums[ref]):
            year = answer.reached.get(ref)
            col.caption(t("budget.ask_reached", ratio=f"{asked['ratio']:g}", year=year) if year is not None
                        else t("budget.ask_zero"))
    st.caption(t("budget.ask_note"))
    table = show_table(vb.in_years(answer.table, first, last), "budget_ask_table")
    download_table(table, f"budget_question_{kind}_{res.district}", scenario_hash=res.hash,
                   data_version=res.data_version)


def question_section(res: Any) -> None:
    """The question box: inputs, then the answer (or the reason it cannot be costed)."""
    st.subheader(t("budget.ask_title"))
    with st.container(border=True):
        kind, asked = question_inputs(res)
        if kind == "ratio" and asked["ratio"] is None:
            st.caption(t("budget.ask_enter_ratio"))
            return
        try:
            scenario, ds = _scenarios.current_scenario(), _session.data()
            answer = (bq.ratio_question(scenario, ds, float(asked["ratio"]), asked["year"]) if kind == "ratio" else
                      bq.growth_question(scenario, ds, asked["programme"], float(asked["growth"])))
        except ShapanError as err:
            show_error(err)
            return
        question_answer(answer, res, kind, asked)
