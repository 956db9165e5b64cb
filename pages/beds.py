"""养老床位 Beds: the capacity pipeline, supply against demand, and the queueing simulation (DES).

Tabs: supply and demand (levers, 2025 figures, charts against the plan's targets, table); the pipeline
(the plan's projects read-only, the user's own projects in an editor validated by
:mod:`models.user_projects`); the simulation (:func:`models.engine.des_params` +
:func:`models.des.multiple_replications`, run on a button, summary kept in the session per scenario hash,
replications and seed). A district that publishes no bed figures gets the base-beds lever instead.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from models import bed_sweep, charts, des, des_budget, engine, limits
from models import user_projects as up
from models.data import Dataset
from models.errors import ShapanError, shorten
from models.export import CJK_FONT
from models.scenario import OPERATORS
from pages import _basis, _cache, _scenarios, _session
from pages._levers import lever, levers
from pages._ui import (
    chart,
    download_table,
    format_number,
    page_header,
    plain,
    provenance_caption,
    show_error,
    t,
    t_or,
)

SUPPLY_LEVERS = ("beds.beds_built_per_year", "beds.nursing_share_of_new_beds_pct",
                 "beds.social_share_of_new_beds_pct", "beds.retirement_rate_pct",
                 "beds.nursing_conversion_per_year", "beds.social_transfer_per_year")
BASE_LEVERS = ("beds.base_beds", "beds.base_nursing_share_pct", "beds.base_social_share_pct",
               "beds.norm_beds_per_1000")
DEMAND_LEVERS = ("beds.base_occupancy_pct", "beds.institution_share_pct", "beds.institutionalisation_rate_pct",
                 "beds.target_occupancy_pct", "beds.tekun_centralised_residents")
DES_LEVERS = ("beds.los_mean_years", "beds.los_cv", "beds.renege_years")
DES_METRICS = ("occupancy_pct", "waiting_list_mean", "p_wait", "mean_wait_years", "turned_away")
DES_NEEDED = ("occupancy_pct", "waiting_list_mean")
DES_REPLICATIONS = {"min": 5, "max": 100, "default": 20}  # UI bounds of the replications input
DES_KEEP = 8  # simulation summaries kept per session
HEADLINE = ("elderly_beds", "beds_per_1000_elderly", "nursing_bed_share", "social_operated_bed_share",
            "institution_occupancy_pct")
SUPPLY_DEMAND = ("elderly_beds", "institution_beds", "institution_residents", "bed_demand_normative",
                 "bed_demand_need")
SWEEP_DEFAULT_PCT = 5.0  # default P(wait) ceiling of the beds-needed sweep, %
SHARES = ("nursing_bed_share", "social_operated_bed_share", "gov_operated_bed_share")
CHART_HEIGHT = 360  # px; Streamlit fits title, rotated year labels and legend inside this height
PLAN_COLUMNS = ["project", "year_open", "beds", "nursing_beds", "operator", "pipeline", "locator"]


def series_label(ds: Dataset, indicator: str) -> str:
    return t_or(f"beds.series_{indicator}", ds.label(indicator, _session.current_lang()))


def target_points(ds: Dataset, indicators: tuple[str, ...]) -> pd.DataFrame:
    """The plan's numeric targets for ``indicators`` as chart points (year, value, label, source)."""
    frame = _cache.targets()
    rows = frame[frame["indicator"].isin(indicators) & frame["target"].notna()]
    return pd.DataFrame({
        "year": rows["year"].astype(int),
        "value": rows["target"].astype(float),
        "label": [f"{series_label(ds, i)} {c} {v:g}" for i, c, v in
                  zip(rows["indicator"], rows["comparator"], rows["target"], strict=True)],
        "source": [f"{ds.sources.get(s, {}).get('title', s)} {loc}" for s, loc in
                   zip(rows["source"], rows["locator"], strict=True)],
    })


def long_series(ds: Dataset, frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    present = [c for c in columns if c in frame and frame[c].notna().any()]
    long = frame.melt(id_vars="year", value_vars=present, var_name="series").dropna(subset=["value"])
    return long.assign(series=[series_label(ds, s) for s in long["series"]])


# ------------------------------------------------------------------------------------------- pipeline


def plan_projects_table(ds: Dataset, district: str) -> None:
    rows = ds.projects_for(district)
    st.markdown(f"**{t('beds.plan_projects')}**")
    if rows.empty:
        st.info(t("beds.no_plan_projects"), icon=":material/info:")
        return
    table = rows[PLAN_COLUMNS].assign(
        operator=lambda f: [t_or(f"operator.{o}", o) for o in f["operator"]],
        pipeline=lambda f: [t_or(f"pipeline.{p}", p) for p in f["pipeline"]],
    ).rename(columns={c: t_or(f"col.{c}", c) for c in PLAN_COLUMNS})
    st.dataframe(table, hide_index=True, width="stretch", key="beds_plan_projects")
    st.caption(t("beds.plan_projects_note", year=engine.PLAN_END_YEAR))
    download_table(table, f"plan_projects_{district}", data_version=ds.version)


def editor_base(district: str, scenario: Any) -> tuple[pd.DataFrame, int]:
    """The editor's starting table: the scenario's projects, re-read when the scenario was replaced."""
    base_key, applied_key, gen_key = (f"beds_projects_{x}_{district}" for x in ("base", "applied", "gen"))
    if base_key not in st.session_state or st.session_state.get(applied_key) != scenario.projects:
        st.session_state[base_key] = up.to_frame(scenario.projects)
        st.session_state[applied_key] = scenario.projects
        st.session_state[gen_key] = st.session_state.get(gen_key, 0) + 1
    return st.session_state[base_key], st.session_state[gen_key]


def bad_cell_message(err: ShapanError) -> str:
    fields = err.fields
    zh, en = up.RULES.get(fields.get("rule", ""), ("", ""))
    template = zh if _session.current_lang() == "zh" else en
    rule = template.format(lo=fields.get("lo", ""), hi=fields.get("hi", ""))
    column = t_or(f"beds.col_{fields.get('column', '')}", str(fields.get("column", "")))
    return t("beds.bad_cell", row=fields.get("row", ""), column=column, value=plain(shorten(fields.get("value", ""))),
             rule=rule)


def user_projects_editor(district: str) -> None:
    """The user's own projects: edited rows are validated, then stored on the scenario (or refused)."""
    scenario = _scenarios.current_scenario()
    base, generation = editor_base(district, scenario)
    st.markdown(f"**{t('beds.user_projects')}**")
    st.caption(t("beds.user_projects_hint", first=scenario.base_year + 1, last=scenario.end_year))
    edited = st.data_editor(
        base, key=f"beds_editor_{district}_{generation}", num_rows="dynamic", hide_index=True,
        width="stretch",
        column_config={
            "year_open": st.column_config.NumberColumn(t("beds.col_year_open"), step=1, format="%d"),
            "beds": st.column_config.NumberColumn(t("beds.col_beds"), step=1, format="%d"),
            "nursing_beds": st.column_config.NumberColumn(t("beds.col_nursing_beds"), step=1, format="%d"),
            "operator": st.column_config.SelectboxColumn(
                t("beds.col_operator"), options=list(OPERATORS),
                format_func=lambda o: t_or(f"operator.{o}", t("beds.operator_unknown"))),
            "name": st.column_config.TextColumn(t("beds.col_name")),
        },
    )
    try:
        projects = up.from_frame(edited, scenario.base_year, scenario.end_year)
    except ShapanError as err:
        if err.code == "bad_value":
            st.error(bad_cell_message(err), icon=":material/error:")
        else:
            show_error(err)
        return
    if projects != scenario.projects:
        _scenarios.set_scenario(dataclasses.replace(scenario, projects=projects))
        st.session_state[f"beds_projects_applied_{district}"] = projects
    if projects:
        st.caption(t("beds.user_projects_count", n=len(projects)))


def pipeline_tab(ds: Dataset, district: str) -> None:
    cols = st.columns(3)
    with cols[0]:
        lever("beds.include_plan_projects")
    with cols[1]:
        lever("beds.include_plan_total")
    with cols[2]:
        lever("beds.plan_profile")
    st.caption(t("beds.plan_total_note"))
    plan_projects_table(ds, district)
    st.divider()
    user_projects_editor(district)


# ------------------------------------------------------------------------------------ supply & demand


def headline(ds: Dataset, beds: pd.DataFrame) -> None:
    year = engine.PLAN_END_YEAR
    row = beds.set_index("year").loc[year]
    # two a row: four in a row cut the labels at 1366 px
    cols = [c for _ in range(math.ceil(len(HEADLINE) / 2)) for c in st.columns(2)][:len(HEADLINE)]
    for col, indicator in zip(cols, HEADLINE, strict=True):
        digits = 0 if indicator == "elderly_beds" else 1
        col.metric(t("beds.metric_in_year", year=year, label=series_label(ds, indicator)),
                   format_number(row[indicator], digits))


def base_levers(res: Any) -> None:
    with st.expander(t("beds.base_levers"), expanded=False):
        cols = st.columns(2)
        for i, key in enumerate(BASE_LEVERS):
            with cols[i % 2]:
                missing = isinstance(res[key], float) and math.isnan(res[key])
                lever(key, help=t("beds.not_published_enter") if missing else None)
                if missing:
                    st.caption(t("beds.not_published_enter"))


def supply_tab(ds: Dataset, res: Any, run: Any) -> None:
    st.markdown(f"**{t('beds.supply_levers')}**")
    levers(SUPPLY_LEVERS, columns=3)
    st.markdown(f"**{t('beds.demand_levers')}**")
    levers(DEMAND_LEVERS, columns=4)
    base_levers(res)
    headline(ds, run.beds)
    lang, h, v = _session.current_lang(), res.hash, res.data_version
    unit_beds, unit_pct = t("beds.unit_beds"), t("beds.unit_pct")
    chart(charts.lines(long_series(ds, run.beds, SUPPLY_DEMAND), value_label=unit_beds,
                       title=t("beds.chart_supply_demand"), res_hash=h, data_version=v, lang=lang,
                       height=CHART_HEIGHT,
                       targets=target_points(ds, ("elderly_beds",))),
          "beds_supply_demand", scenario_hash=h, data_version=v)
    st.caption(t("beds.demand_note"))
    cols = st.columns(2)
    with cols[0]:
        chart(charts.lines(long_series(ds, run.beds, ("beds_per_1000_elderly",)),
                           value_label=t("beds.unit_per_1000"), title=t("beds.chart_per_1000"), res_hash=h,
                           data_version=v, lang=lang, height=CHART_HEIGHT,
                           targets=target_points(ds, ("beds_per_1000_elderly",))),
              "beds_per_1000", scenario_hash=h, data_version=v)
        _basis.caption(res)
    with cols[1]:
        chart(charts.lines(long_series(ds, run.beds, SHARES), value_label=unit_pct,
                           title=t("beds.chart_shares"), res_hash=h, data_version=v, lang=lang,
                           height=CHART_HEIGHT,
                           targets=target_points(ds, SHARES)),
              "beds_shares", scenario_hash=h, data_version=v)
    table = run.beds.rename(columns={c: series_label(ds, c) if c != "year" else t("beds.col_year")
                                     for c in run.beds.columns})
    with st.expander(t("beds.table"), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch", key="beds_table")
    download_table(table, f"beds_{res.district}", scenario_hash=h, data_version=v)


# ------------------------------------------------------------------------------------------------ DES


def metric_label(metric: str) -> str:
    zh, en = des.RESULT_LABELS.get(metric, (metric, metric))
    return zh if _session.current_lang() == "zh" else en


def band_chart(summary: pd.DataFrame, metric: str, res: Any) -> alt.LayerChart:
    """Mean (line) and 95 % confidence band (area) of one DES metric by year."""
    rows = summary[summary["metric"] == metric]
    fmt = ".0%" if metric == "p_wait" else ",.1f"
    x = alt.X("year:O", title=t("beds.col_year"))
    band = alt.Chart(rows).mark_area(opacity=0.25, color="#4575b4").encode(
        x=x, y=alt.Y("ci_low:Q", title=metric_label(metric), axis=alt.Axis(format=fmt)), y2="ci_high:Q")
    line = alt.Chart(rows).mark_line(point=True, color="#4575b4").encode(
        x=x, y="mean:Q",
        tooltip=[alt.Tooltip("year:O", title=t("beds.col_year")),
                 alt.Tooltip("mean:Q", title=t("beds.des_mean"), format=fmt),
                 alt.Tooltip("ci_low:Q", title=t("beds.des_ci_low"), format=fmt),
                 alt.Tooltip("ci_high:Q", title=t("beds.des_ci_high"), format=fmt)])
    title = alt.TitleParams(metric_label(metric), anchor="start",
                            subtitle=t("prov.model", hash=res.hash, version=res.data_version))
    layered = alt.layer(band, line, title=title).properties(width="container", height=CHART_HEIGHT)
    return layered.configure(font=CJK_FONT)


def run_simulation(ds: Dataset, res: Any, run: Any, n: int, seed: int) -> dict[str, Any]:
    bar = st.progress(0.0, text=t("beds.des_progress", done=0, total=n))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("beds.des_progress", done=done, total=total))

    params = engine.des_params(res, ds, run)
    reps = des.multiple_replications(params, n, seed, progress=progress)
    bar.empty()
    return {"summary": des.summarise(reps), "reps": reps,
            "needed": {m: des.replications_needed(reps, m) for m in DES_NEEDED}}


def des_results(out: dict[str, Any], res: Any, n: int) -> None:
    summary = out["summary"]
    cols = st.columns(2)
    for i, metric in enumerate(DES_METRICS):
        with cols[i % 2]:
            chart(band_chart(summary, metric, res), f"des_{metric}", scenario_hash=res.hash,
                  data_version=res.data_version)
    for metric, needed in out["needed"].items():
        text = (t("beds.des_needed", metric=metric_label(metric), needed=needed) if needed is not None
                else t("beds.des_needed_more", metric=metric_label(metric), n=n))
        st.caption(text)
    table = summary.assign(metric=[metric_label(m) for m in summary["metric"]]).rename(columns={
        "metric": t("beds.des_metric"), "year": t("beds.col_year"), "mean": t("beds.des_mean"),
        "ci_low": t("beds.des_ci_low"), "ci_high": t("beds.des_ci_high"),
        "ci_half_width": t("beds.des_half_width"), "std": t("beds.des_std"), "n": t("beds.des_n")})
    with st.expander(t("beds.table"), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch", key="beds_des_table")
    cols = st.columns(2)
    with cols[0]:
        st.caption(t("beds.des_download_summary"))
        download_table(table, f"des_summary_{res.district}", scenario_hash=res.hash,
                       data_version=res.data_version)
    with cols[1]:
        st.caption(t("beds.des_download_replications"))
        download_table(out["reps"], f"des_replications_{res.district}", scenario_hash=res.hash,
                       data_version=res.data_version)


def des_estimate(ds: Dataset, res: Any, run: Any, n: int) -> bool:
    """Show the estimated work of ``n`` replications; True (and the refusal) if it is over the budget."""
    try:
        estimate = des_budget.check(engine.des_params(res, ds, run), n)
    except ShapanError as err:
        show_error(err)
        return True
    st.caption(t("beds.des_estimate", estimate=format_number(estimate, 0),
                 limit=format_number(limits.current().des_events, 0)))
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
        ok = bool(table["des_confirmed"].iloc[0])
        st.caption(t("beds.sweep_confirmed" if ok else "beds.sweep_not_confirmed",
                     rounds=int(table["des_rounds"].iloc[0]), extra=int((table["confirmed"] - table["needed"]).sum())))
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
        while len(store) > DES_KEEP:
            store.pop(next(iter(store)))
    if key not in store:
        st.caption(t("beds.des_not_run"))
        return
    st.success(t("beds.des_done", n=n, seed=seed, hash=res.hash), icon=":material/check_circle:")
    des_results(store[key], res, n)


# ----------------------------------------------------------------------------------------------- page


def not_modelled(res: Any) -> None:
    st.info(t("beds.no_beds_published"), icon=":material/info:")
    with st.columns(3)[0]:
        lever("beds.base_beds")
    provenance_caption(res.hash, res.data_version)


def page() -> None:
    ds = _session.data()
    district = _session.current_district()
    page_header("nav.beds")
    tabs = st.tabs([t("beds.tab_supply"), t("beds.tab_pipeline"), t("beds.tab_des")])
    with tabs[1]:
        pipeline_tab(ds, district)  # first: a valid edit changes the scenario the other tabs show
    try:
        res, run = _cache.resolved(), _cache.result()
    except ShapanError as err:
        show_error(err)
        return
    if run.beds is None:
        with tabs[0]:
            not_modelled(res)
        with tabs[2]:
            st.info(t("beds.des_no_beds"), icon=":material/info:")
        return
    with tabs[0]:
        supply_tab(ds, res, run)
    with tabs[2]:
        des_tab(ds, res, run)
    provenance_caption(res.hash, res.data_version)


page()
