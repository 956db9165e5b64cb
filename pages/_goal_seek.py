"""Goal-seek on the targets page: what lever value meets a target, and with what confidence.

A modelled future target of the district and a lever that moves it (``models.targets.moving_levers``,
labelled in the user's language) -> ``models.targets.solve`` (brentq) on the current scenario gives the lever
value at which the projection meets the target exactly; one button writes it into the scenario. Where the
lever cannot reach it: what each other lever would need, or the smallest pair (``models.goalseek_pairs``).
The confidence section finds the value that meets the target with P(met) ≥ x (Monte Carlo).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import goalseek, goalseek_pairs
from models import targets as tg
from models.errors import ShapanError
from models.views import fmt
from models.views import targets as tv
from pages import _cache, _levers, _scenarios, _session
from pages._ui import show_error, t

num = fmt.trimmed  # lever values and targets: up to two decimals, trailing zeros dropped


def target_label(row: Any) -> str:
    label = _session.data().label(row.indicator, _session.current_lang())
    return t("targets.target_option", label=label, year=int(row.year), target=row.published)


def _apply(parameter: str, value: float) -> None:
    try:
        _scenarios.set_param(parameter, value)
    except ShapanError as err:
        st.session_state["tg_apply_error"] = err
    else:
        st.session_state["tg_applied"] = (parameter, value)


def _apply_all(values: dict[str, float]) -> None:
    for parameter, value in values.items():
        _apply(parameter, value)


def solve_result(solution: dict[str, Any], row: Any) -> None:
    param, year, unit = solution["parameter"], int(solution["year"]), _levers.unit_of(solution["parameter"])
    value, current, achieved = solution["value"], solution["current"], solution["achieved"]
    st.success(t(
        "targets.solve_result", lever=_levers.label_of(param), value=num(value), current=num(current), unit=unit,
        year=year, indicator=_session.data().label(solution["indicator"], _session.current_lang()),
        achieved=num(achieved), target=row.published, ind_unit=row.unit,
    ), icon=":material/target:")
    cols = st.columns(3)
    cols[0].metric(t("targets.m_needed"), fmt.with_unit(value, unit), border=True)
    cols[1].metric(t("targets.m_current"), fmt.with_unit(current, unit), border=True)
    cols[2].metric(t("targets.m_achieved", year=year), fmt.with_unit(achieved, row.unit), border=True)
    st.button(t("targets.apply", value=num(value), unit=unit), key="tg_apply", on_click=_apply, args=(param, value),
              icon=":material/check:", type="primary", help=t("targets.apply_help"), disabled=value == current)


def what_would(res: Any, row: Any) -> None:
    """Where this lever cannot reach the target: what each lever that moves it would need; where no single
    lever can, the smallest pair of levers (models.goalseek_pairs, P(met) ≥ 80 %)."""
    reachable = [r for r in goalseek.alternatives(res, _session.data(), row.indicator, int(row.year)) if r["reachable"]]
    if reachable:
        st.info(t("targets.what_would", items="；".join(
            f"{_levers.label_of(tg.LEVERS[r['lever']])} {num(r['value'])} {_levers.unit_of(tg.LEVERS[r['lever']])}"
            for r in reachable)), icon=":material/lightbulb:")
        return
    try:
        pairs = goalseek_pairs.combinations(res, _session.data(), row.indicator, year=int(row.year))
    except ShapanError as err:
        st.info(t("targets.what_would_none"), icon=":material/info:")
        show_error(err)
        return
    text = pairs["text_zh" if _session.current_lang() == "zh" else "text_en"]
    if not pairs["combinations"]:
        st.info(text or t("targets.what_would_none"), icon=":material/info:")
        return
    st.info(text, icon=":material/lightbulb:")
    values = pairs["combinations"][0]["values"]
    st.button(t("targets.apply_pair"), key="tg_apply_pair", on_click=_apply_all,
              args=({tg.LEVERS[k]: v for k, v in values.items()},), icon=":material/check:")


def confidence_section(res: Any, row: Any, lever: str) -> None:
    """The lever value (whole beds / whole yuan) that meets the target with P(met) ≥ x (Monte Carlo)."""
    cols = st.columns([1, 2])
    pct = cols[0].number_input(t("targets.confidence_p"), min_value=50.0, max_value=99.0, value=80.0, step=5.0,
                               key=f"tg_conf_{res.district}")
    key = (res.hash, row.indicator, int(row.year), lever, pct)
    cols[1].button(t("targets.confidence_run"), key="tg_conf_run", on_click=st.session_state.__setitem__,
                   args=("tg_conf_request", key), icon=":material/query_stats:")
    store = st.session_state.setdefault("tg_conf", {})
    if st.session_state.pop("tg_conf_request", None) == key:
        try:
            store[key] = goalseek.solve_confidence(res, _session.data(), row.indicator, lever,
                                                   p_target=fmt.fraction(pct), year=int(row.year))
        except ShapanError as err:
            show_error(err)
            return
    if key not in store:
        return
    out = store[key]
    unit = _levers.unit_of(out["parameter"])
    if not out["reachable"]:
        st.warning(t("targets.confidence_unreachable", p=fmt.percent_number(out["p_at_value"]),
                     value=num(out["best_value"]), unit=unit), icon=":material/block:")
        return
    text = t("targets.confidence_result", value=num(out["value"]), unit=unit,
             p=fmt.percent_number(out["p_at_value"]), target_p=num(pct), exact=num(out["exact_whole"]),
             p_exact=fmt.percent_number(out["p_at_exact"]))
    if out.get("implied_standard_yuan") is not None:
        text += t("targets.confidence_standard", yuan=fmt.number(out["implied_standard_yuan"], 0), year=out["year"])
    st.success(text, icon=":material/verified:")


def goal_seek(frame: pd.DataFrame, res: Any) -> None:
    st.subheader(t("targets.goal_seek"))
    st.caption(t("targets.goal_seek_note"))
    candidates = tv.goal_seek_candidates(frame, res.scenario.base_year, _cache.moving_levers)
    if candidates.empty:
        st.info(t("targets.no_modelled"), icon=":material/info:")
        return
    rows = {f"{r.indicator}|{int(r.year)}": r for r in candidates.itertuples()}
    cols = st.columns(2)
    choice = cols[0].selectbox(t("targets.pick_target"), list(rows), key=f"tg_target_{res.district}",
                               format_func={k: target_label(r) for k, r in rows.items()}.__getitem__)
    row = rows[choice]
    lever = cols[1].selectbox(t("targets.pick_lever"), _cache.moving_levers(row.indicator, int(row.year)),
                              key=f"tg_lever_{res.district}_{row.indicator}",
                              format_func={n: _levers.label_of(p) for n, p in tg.LEVERS.items()}.__getitem__)
    if applied := st.session_state.pop("tg_applied", None):
        st.toast(t("targets.applied", lever=_levers.label_of(applied[0]), value=num(applied[1])))
    if (err := st.session_state.pop("tg_apply_error", None)) is not None:
        show_error(err)
    try:
        solution = _cache.goal_seek(row.indicator, lever, year=int(row.year))
    except ShapanError as err:
        st.warning(t("targets.no_solution"), icon=":material/block:")
        show_error(err)
        what_would(res, row)
        return
    solve_result(solution, row)
    confidence_section(res, row, lever)
