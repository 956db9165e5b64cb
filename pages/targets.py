"""目标可达性 Targets: what it takes to meet a target (goal-seek) and how likely it is (Monte Carlo).

Goal-seek (:mod:`pages._goal_seek`): the lever value at which the projection meets a modelled target,
written into the scenario with one button. Monte Carlo (on a button, with a progress bar): draws of the
uncertain parameters (``uncertainty.*`` levers) -> P(target met) per target, P10/P50/P90 fan charts with
the target point, and the inputs that drive a miss. Then the pace thresholds of tracked targets and the
figures targets still need.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import charts, drivers
from models import targets as tg
from models.errors import ShapanError
from models.views import fmt
from models.views import targets as tv
from pages import _cache, _levers, _scorecard, _session, _target_inputs
from pages._goal_seek import goal_seek
from pages._ui import chart, download_table, page_header, provenance_caption, show_error, t

UNCERTAINTY_KEYS = _levers.section_keys("uncertainty")
TRACKED_KEYS = _levers.section_keys("targets")
PROBABILITY_COLUMNS = ["label", "status", "probability", "year", "target_text", "projected", "unit", "mode",
                       "reason", "source"]


def probability_table(frame: pd.DataFrame, res: Any) -> None:
    rows = tv.probability_rows(frame)
    if rows.empty:
        st.info(t("targets.no_probabilities"), icon=":material/info:")
        return
    table = _scorecard.translate(_scorecard.frame(rows)[PROBABILITY_COLUMNS])
    _scorecard.show(table, key="tg_probabilities")
    download_table(table, f"target_probabilities_{res.district}", scenario_hash=res.hash,
                   data_version=res.data_version)


def fan_charts(frame: pd.DataFrame, res: Any, n: int) -> None:
    draws = _cache.monte_carlo(n)
    ds, lang = _session.data(), _session.current_lang()
    cols = st.columns(2)
    for i, row in enumerate(tv.fan_rows(frame, res.scenario.base_year, list(draws)).itertuples()):
        label = ds.label(row.indicator, lang)
        figure = charts.fan(tg.fan(draws, row.indicator), value_label=f"{label}（{row.unit}）",
                            title=t("targets.fan_title", label=label, n=n), res_hash=res.hash,
                            data_version=res.data_version, lang=lang, target=row.target, target_year=int(row.year))
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
                  p=fmt.percent(rows["p_miss"].iloc[0]))
        with cols[i % 2]:
            chart(drivers.chart_spec(rows, title, lang), f"drivers_{indicator}_{year}_{res.district}",
                  scenario_hash=res.hash, data_version=res.data_version, key=f"drivers_{indicator}_{year}")
    download_table(table, f"miss_drivers_{res.district}", scenario_hash=res.hash, data_version=res.data_version)


def monte_carlo(res: Any) -> None:
    st.subheader(t("targets.monte_carlo"))
    st.caption(t("targets.mc_note"))
    for col, key in zip(st.columns(len(UNCERTAINTY_KEYS)), UNCERTAINTY_KEYS, strict=True):
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


def page() -> None:
    page_header("nav.targets")
    res = _cache.resolved()
    try:
        frame = _cache.targets()
    except ShapanError as err:
        show_error(err)
        return
    goal_seek(frame, res)
    st.divider()
    monte_carlo(res)
    st.divider()
    st.subheader(t("targets.tracked"))  # pace thresholds of tracked targets (assumptions, editable)
    st.caption(t("targets.tracked_note"))
    _levers.levers(TRACKED_KEYS, columns=3)
    _target_inputs.form(_cache.targets(), key="tg")
    provenance_caption(_cache.resolved().hash, res.data_version)


page()
