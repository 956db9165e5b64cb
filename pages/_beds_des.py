"""养老床位 Beds, simulation tab: beds needed for a P(wait) ceiling (Erlang-C sweep, confirmed by the DES
on a button) and the queueing simulation itself (:func:`models.engine.des_params` +
:func:`models.des.multiple_replications`, run on a button, summary kept in the session per scenario hash,
replications and seed). Charts from :func:`models.charts.band`; view rows from :mod:`models.views.beds`."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import bed_sweep, charts, des, des_budget, engine, limits
from models.data import Dataset
from models.errors import ShapanError
from models.views import beds as vb
from models.views import fmt
from pages import _session
from pages._levers import levers
from pages._ui import chart, download_table, id_label, show_error, t, t_or

DES_LEVERS = ("beds.los_mean_years", "beds.los_cv", "beds.renege_years")
DES_REPLICATIONS = {"min": 5, "max": 100, "default": 20}  # UI bounds of the replications input
DES_KEEP = 8  # simulation summaries kept per session
SWEEP_DEFAULT_PCT = 5.0  # default P(wait) ceiling of the beds-needed sweep, %
CHART_HEIGHT = 360  # px


def metric_label(metric: str) -> str:
    return id_label("des_metric", metric)


def band_chart(summary: pd.DataFrame, metric: str, res: Any) -> dict[str, Any]:
    """Mean (line) and 95 % confidence band (area) of one DES metric by year."""
    return charts.band(vb.metric_rows(summary, metric), value_label=metric_label(metric),
                       title=metric_label(metric), res_hash=res.hash, data_version=res.data_version,
                       lang=_session.current_lang(), value_format=vb.metric_format(metric), height=CHART_HEIGHT,
                       tooltip_titles={f: t(f"beds.des_{f}") for f in ("mean", "ci_low", "ci_high")})


def run_simulation(ds: Dataset, res: Any, run: Any, n: int, seed: int) -> dict[str, Any]:
    bar = st.progress(0.0, text=t("beds.des_progress", done=0, total=n))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("beds.des_progress", done=done, total=total))

    reps = des.multiple_replications(engine.des_params(res, ds, run), n, seed, progress=progress)
    bar.empty()
    return {"summary": des.summarise(reps), "reps": reps,
            "needed": {m: des.replications_needed(reps, m) for m in vb.DES_NEEDED}}


def des_results(out: dict[str, Any], res: Any, n: int) -> None:
    summary, h, v = out["summary"], res.hash, res.data_version
    cols = st.columns(2)
    for i, metric in enumerate(vb.DES_METRICS):
        with cols[i % 2]:
            chart(band_chart(summary, metric, res), f"des_{metric}", scenario_hash=h, data_version=v)
    for metric, needed in out["needed"].items():
        st.caption(t("beds.des_needed", metric=metric_label(metric), needed=needed) if needed is not None
                   else t("beds.des_needed_more", metric=metric_label(metric), n=n))
    names = {"metric": "des_metric", "year": "col_year", "ci_half_width": "des_half_width"}
    table = summary.assign(metric=[metric_label(m) for m in summary["metric"]]).rename(
        columns={c: t(f"beds.{names.get(c, f'des_{c}')}") for c in vb.SUMMARY_COLUMNS})
    with st.expander(t("beds.table"), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch", key="beds_des_table")
    cols = st.columns(2)
    with cols[0]:
        st.caption(t("beds.des_download_summary"))
        download_table(table, f"des_summary_{res.district}", scenario_hash=h, data_version=v)
    with cols[1]:
        st.caption(t("beds.des_download_replications"))
        download_table(out["reps"], f"des_replications_{res.district}", scenario_hash=h, data_version=v)


def des_estimate(ds: Dataset, res: Any, run: Any, n: int) -> bool:
    """Show the estimated work of ``n`` replications; True (and the refusal) if it is over the budget."""
    try:
        estimate = des_budget.check(engine.des_params(res, ds, run), n)
    except ShapanError as err:
        show_error(err)
        return True
    st.caption(t("beds.des_estimate", estimate=fmt.number(estimate, 0),
                 limit=fmt.number(limits.current().des_events, 0)))
    return False


def sweep_section(ds: Dataset, res: Any, run: Any) -> None:
    """How many beds keep P(wait) ≤ x %: Erlang-C per year and bed type (models.bed_sweep)."""
    st.markdown(f"**{t('beds.sweep_title')}**")
    pct = float(st.number_input(t("beds.sweep_p_wait"), min_value=0.1, max_value=100.0, value=SWEEP_DEFAULT_PCT,
                                step=0.5, key=f"beds_sweep_pct_{res.district}"))
    try:
        table = bed_sweep.sweep(engine.des_params(res, ds, run), pct)
    except ShapanError as err:
        show_error(err)
        return
    st.button(t("beds.sweep_confirm", n=DES_REPLICATIONS["default"]), key="beds_sweep_confirm",
              on_click=st.session_state.__setitem__, args=("beds_sweep_request", (res.hash, pct)),
              icon=":material/fact_check:")
    store = st.session_state.setdefault("beds_sweep_confirmed", {})
    if st.session_state.pop("beds_sweep_request", None) == (res.hash, pct):
        try:  # the DES judges the final choice under growing demand (models.bed_sweep.confirm_with_des)
            store[(res.hash, pct)] = bed_sweep.confirm_with_des(engine.des_params(res, ds, run), table, pct,
                                                                DES_REPLICATIONS["default"], res.scenario.seed)
        except ShapanError as err:
            show_error(err)
    if (res.hash, pct) in store:
        table = store[(res.hash, pct)]
        outcome = vb.sweep_outcome(table)
        st.caption(t("beds.sweep_confirmed" if outcome["ok"] else "beds.sweep_not_confirmed",
                     rounds=outcome["rounds"], extra=outcome["extra"]))
    shown = table.rename(columns={c: t_or(f"beds.sweep_col_{c}", c) for c in table.columns})
    st.dataframe(shown, hide_index=True, width="stretch", key="beds_sweep_table")
    st.caption(t("beds.sweep_note"))
    download_table(shown, f"beds_needed_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def des_tab(ds: Dataset, res: Any, run: Any) -> None:
    st.info(t("beds.des_need_note"), icon=":material/info:")
    st.caption(t("beds.des_occupancy_reason", reason=ds.assumptions["beds.target_occupancy_pct"].reason))
    levers(DES_LEVERS, columns=3)
    sweep_section(ds, res, run)
    st.divider()
    cols = st.columns(2)
    n = int(cols[0].number_input(t("beds.des_replications"), min_value=DES_REPLICATIONS["min"],
                                 max_value=DES_REPLICATIONS["max"], value=DES_REPLICATIONS["default"], step=1,
                                 key="beds_des_n"))
    seed = int(cols[1].number_input(t("beds.des_seed"), min_value=0, value=res.scenario.seed, step=1,
                                    key=f"beds_des_seed_{res.district}", help=t("beds.des_seed_help")))
    store = st.session_state.setdefault("beds_des", {})
    key = (res.hash, n, seed)
    over = des_estimate(ds, res, run, n)
    # the click is recorded by a callback (a button's own return value is lost if the run is restarted)
    st.button(t("beds.des_run"), key="beds_des_run", type="primary", icon=":material/play_arrow:",
              on_click=st.session_state.__setitem__, args=("beds_des_request", key), disabled=over)
    if st.session_state.pop("beds_des_request", None) == key:
        try:
            store[key] = run_simulation(ds, res, run, n, seed)
        except ShapanError as err:
            show_error(err)
            return
        vb.keep_latest(store, DES_KEEP)
    if key not in store:
        st.caption(t("beds.des_not_run"))
        return
    st.success(t("beds.des_done", n=n, seed=seed, hash=res.hash), icon=":material/check_circle:")
    des_results(store[key], res, n)
