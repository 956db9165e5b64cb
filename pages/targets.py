"""目标可达性 Targets: what it takes to meet a target (goal-seek) and how likely it is (Monte Carlo).

Goal-seek: a modelled future target of the district and a lever that moves it
(``models.targets.moving_levers``, labelled in the user's language) ->
``models.targets.solve`` (brentq) on the current scenario gives the lever value at which the projection
meets the target exactly; one button writes it into the scenario. Monte Carlo (on a button, with a
progress bar): draws of the uncertain parameters (``uncertainty.*`` levers) -> P(target met) per target
and P10/P50/P90 fan charts with the target point.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import charts, drivers, goalseek, goalseek_pairs
from models import targets as tg
from models.errors import ShapanError
from pages import _cache, _levers, _scenarios, _scorecard, _session, _target_inputs
from pages._ui import chart, download_table, page_header, provenance_caption, show_error, t

UNCERTAINTY_KEYS = _levers.section_keys("uncertainty")
TRACKED_KEYS = _levers.section_keys("targets")


def future_targets(frame: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Modelled, unquarantined targets after the base year that at least one lever moves (one row each)."""
    rows = frame[(frame["mode"] == "modelled") & (frame["year"] > base_year) & ~frame["quarantined"]]
    keep = [bool(_cache.moving_levers(r.indicator, int(r.year))) for r in rows.itertuples()]
    return rows[keep].drop_duplicates(["indicator", "year"])


def target_label(row: Any) -> str:
    ds = _session.data()
    label = ds.label(row.indicator, _session.current_lang())
    return t("targets.target_option", label=label, year=int(row.year), target=row.published)


def _apply(parameter: str, value: float) -> None:
    try:
        _scenarios.set_param(parameter, value)
    except ShapanError as err:
        st.session_state["tg_apply_error"] = err
    else:
        st.session_state["tg_applied"] = (parameter, value)


def solve_result(solution: dict[str, Any], row: Any) -> None:
    ds = _session.data()
    param = solution["parameter"]
    unit = _levers.unit_of(param)
    st.success(t(
        "targets.solve_result", lever=_levers.label_of(param), value=_scorecard.fmt(solution["value"]),
        current=_scorecard.fmt(solution["current"]), unit=unit, year=int(solution["year"]),
        indicator=ds.label(solution["indicator"], _session.current_lang()),
        achieved=_scorecard.fmt(solution["achieved"]), target=row.published, ind_unit=row.unit,
    ), icon=":material/target:")
    cols = st.columns(3)
    cols[0].metric(t("targets.m_needed"), f"{_scorecard.fmt(solution['value'])} {unit}", border=True)
    cols[1].metric(t("targets.m_current"), f"{_scorecard.fmt(solution['current'])} {unit}", border=True)
    cols[2].metric(t("targets.m_achieved", year=int(solution["year"])),
                   f"{_scorecard.fmt(solution['achieved'])} {row.unit}", border=True)
    st.button(t("targets.apply", value=_scorecard.fmt(solution["value"]), unit=unit), key="tg_apply",
              on_click=_apply, args=(param, solution["value"]), icon=":material/check:", type="primary",
              help=t("targets.apply_help"), disabled=solution["value"] == solution["current"])


def goal_seek(frame: pd.DataFrame, res: Any) -> None:
    st.subheader(t("targets.goal_seek"))
    st.caption(t("targets.goal_seek_note"))
    candidates = future_targets(frame, res.scenario.base_year)
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
    applied = st.session_state.pop("tg_applied", None)
    if applied:
        st.toast(t("targets.applied", lever=_levers.label_of(applied[0]), value=_scorecard.fmt(applied[1])))
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


def what_would(res: Any, row: Any) -> None:
    """Where this lever cannot reach the target: what each lever that moves it would need; where no single
    lever can, the smallest pair of levers (models.goalseek_pairs, P(met) ≥ 80 %)."""
    rows = goalseek.alternatives(res, _session.data(), row.indicator, int(row.year))
    reachable = [r for r in rows if r["reachable"]]
    if reachable:
        st.info(t("targets.what_would", items="；".join(
            f"{_levers.label_of(tg.LEVERS[r['lever']])} {_scorecard.fmt(r['value'])} "
            f"{_levers.unit_of(tg.LEVERS[r['lever']])}" for r in reachable)), icon=":material/lightbulb:")
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


def _apply_all(values: dict[str, float]) -> None:
    for parameter, value in values.items():
        _apply(parameter, value)


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
            store[key] = goalseek.solve_confidence(res, _session.data(), row.indicator, lever, p_target=pct / 100,
                                                   year=int(row.year))
        except ShapanError as err:
            show_error(err)
            return
    if key not in store:
        return
    out = store[key]
    unit = _levers.unit_of(out["parameter"])
    if not out["reachable"]:
        st.warning(t("targets.confidence_unreachable", p=_scorecard.fmt(out["p_at_value"] * 100),
                     value=_scorecard.fmt(out["best_value"]), unit=unit), icon=":material/block:")
        return
    text = t("targets.confidence_result", value=_scorecard.fmt(out["value"]), unit=unit,
             p=_scorecard.fmt(out["p_at_value"] * 100), target_p=_scorecard.fmt(pct),
             exact=_scorecard.fmt(out["exact_whole"]) if out["exact_whole"] is not None else "—",
             p_exact=_scorecard.fmt(out["p_at_exact"] * 100) if out["p_at_exact"] is not None else "—")
    if out.get("implied_standard_yuan") is not None:
        text += t("targets.confidence_standard", yuan=f"{out['implied_standard_yuan']:,.0f}", year=out["year"])
    st.success(text, icon=":material/verified:")


def probability_table(frame: pd.DataFrame, res: Any) -> None:
    # a draw of an indicator the deterministic run cannot project (e.g. no base nursing share) is NaN: no P
    rows = frame[frame["probability"].notna() & ~frame["quarantined"]]
    if rows.empty:
        st.info(t("targets.no_probabilities"), icon=":material/info:")
        return
    columns = ["label", "status", "probability", "year", "target_text", "projected", "unit", "mode", "reason",
               "source"]
    table = _scorecard.frame(rows)[columns]
    table = _scorecard.translate(table)
    _scorecard.show(table, key="tg_probabilities")
    download_table(table, f"target_probabilities_{res.district}", scenario_hash=res.hash,
                   data_version=res.data_version)


def fan_charts(frame: pd.DataFrame, res: Any, n: int) -> None:
    draws = _cache.monte_carlo(n)
    ds = _session.data()
    lang = _session.current_lang()
    rows = frame[(frame["mode"] == "modelled") & (frame["year"] > res.scenario.base_year)]
    rows = rows[rows["indicator"].isin(list(draws))].drop_duplicates("indicator")
    cols = st.columns(2)
    for i, row in enumerate(rows.itertuples()):
        label = ds.label(row.indicator, lang)
        figure = charts.fan(tg.fan(draws, row.indicator), value_label=f"{label}（{row.unit}）",
                            title=t("targets.fan_title", label=label, n=n), res_hash=res.hash,
                            data_version=res.data_version, lang=lang, target=row.target,
                            target_year=int(row.year))
        with cols[i % 2]:
            chart(figure, f"fan_{row.indicator}_{res.district}", scenario_hash=res.hash,
                  data_version=res.data_version, key=f"fan_{row.indicator}")


def driver_charts(res: Any, n: int) -> None:
    """Which uncertain inputs drive a miss, per target (tornado of first-order indices)."""
    st.markdown(f"**{t('targets.drivers_title')}**")
    st.caption(t("targets.drivers_note"))
    table = _cache.drivers(n)
    if table.empty:
        st.info(t("targets.no_drivers"), icon=":material/info:")
        return
    ds, lang = _session.data(), _session.current_lang()
    cols = st.columns(2)
    for i, ((indicator, year), rows) in enumerate(table.groupby(["indicator", "year"], sort=False)):
        title = t("targets.drivers_chart_title", label=ds.label(indicator, lang), year=int(year),
                  p=f"{rows['p_miss'].iloc[0]:.0%}")
        with cols[i % 2]:
            chart(drivers.chart_spec(rows, title, lang), f"drivers_{indicator}_{year}_{res.district}",
                  scenario_hash=res.hash, data_version=res.data_version, key=f"drivers_{indicator}_{year}")
    download_table(table, f"miss_drivers_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def monte_carlo(res: Any) -> None:
    st.subheader(t("targets.monte_carlo"))
    st.caption(t("targets.mc_note"))
    cols = st.columns(len(UNCERTAINTY_KEYS))
    for col, key in zip(cols, UNCERTAINTY_KEYS, strict=True):
        with col:
            _levers.lever(key)
    n = int(res.values["uncertainty.draws"])
    st.button(t("targets.mc_button", n=n), key="tg_mc", icon=":material/casino:", type="primary",
              on_click=_scorecard.request_monte_carlo, args=(n,))
    if _scorecard.monte_carlo_requested(n):
        _scorecard.run_monte_carlo(n)
    if not _scorecard.mc_done(res.hash, n):
        st.caption(t("targets.mc_not_run"))
        return
    frame = _cache.targets(mc_n=n)
    probability_table(frame, res)
    fan_charts(frame, res, n)
    driver_charts(res, n)


def tracked_thresholds() -> None:
    """The pace thresholds of tracked targets (assumptions, editable) and the figures targets still need."""
    st.subheader(t("targets.tracked"))
    st.caption(t("targets.tracked_note"))
    _levers.levers(TRACKED_KEYS, columns=3)
    _target_inputs.form(_cache.targets(), key="tg")


page_header("nav.targets")
res = _cache.resolved()
try:
    targets_frame = _cache.targets()
except ShapanError as err:
    show_error(err)
    st.stop()
goal_seek(targets_frame, res)
st.divider()
monte_carlo(res)
st.divider()
tracked_thresholds()
provenance_caption(_cache.resolved().hash, res.data_version)
