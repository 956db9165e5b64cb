"""方案对比 Compare: up to three scenarios of the district side by side.

Choices: the current (edited) scenario, the district's presets (``plan`` / ``freeze`` / ``stress``) and the
user's saved scenarios (session and user folder): the sidebar's options and loader
(:func:`pages._scenarios.scenario_options`, :func:`pages._scenarios.load_origin`). For each:
the scenario hash; key indicators at the plan's end year and the scenario's end year; the 2021–2025 budget
total; the status of every modelled target (one column per scenario); the resolved parameters that differ;
indicator paths (one line per scenario) and the yearly cost with its difference from the first scenario.
The tables come from :mod:`models.views.compare`; column headers carry each scenario's hash, file names
all of them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models import charts, coverage, target_modes
from models.errors import ShapanError
from models.views import calendar as cal
from models.views import compare as cv
from models.views import marks
from models.views.text import plain
from pages._cache import resolved, result, targets
from pages._plans import plans_section
from pages._scenarios import current_scenario, load_origin, scenario_options
from pages._session import current_district, current_lang, data
from pages._ui import chart, download_table, page_header, provenance_caption, show_error, t, t_or

MAX_SCENARIOS = 3
CURRENT = "current"
CHART_HEIGHT = 340  # px
HEADERS = {"label": "col.label", "year": "col.year", "unit": "col.unit", "target": "compare.target",
           "binding": "col.binding", "param": "compare.param", "key": "col.key"}


def choice_label(choice: str) -> str:
    if choice == CURRENT:
        return t("compare.current")
    kind, name = choice.split(":", 1)
    return t_or(f"compare.preset_{name}", name) if kind == "preset" else t("compare.user", name=name)


def headed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={c: t(k) for c, k in HEADERS.items() if c in frame.columns})


def picker(district: str) -> list[str]:
    options = [CURRENT, *scenario_options(district)]
    default = [c for c in (CURRENT, "preset:freeze", "preset:stress") if c in options]
    names = {c: choice_label(c) for c in options}  # bound now, in this run's language (AppTest formats later)
    return st.multiselect(t("compare.pick"), options=options, default=default, key=f"cmp_pick_{district}",
                          format_func=names.__getitem__, max_selections=MAX_SCENARIOS,
                          help=t("compare.pick_help", n=MAX_SCENARIOS))


def columns_for(picked: list[str], district: str) -> list[cv.Compared]:
    out = []
    for choice in picked:
        try:
            scen = current_scenario() if choice == CURRENT else load_origin(choice, district)
            res = resolved(scen)
            out.append(cv.Compared(choice_label(choice), f"{choice_label(choice)} · {res.hash}", res, result(scen),
                                   targets(scen)))
        except ShapanError as err:
            show_error(err)
    return out


def headers(cols: list[cv.Compared]) -> None:
    for box, col in zip(st.columns(len(cols)), cols, strict=True):
        with box.container(border=True):
            st.markdown(f"**{plain(col.name)}**")
            st.markdown(t("compare.hash", hash=col.res.hash))
            st.caption(t("compare.scenario_name", name=plain(col.res.scenario.name)))
            provenance_caption(col.res.hash, col.res.data_version)


def file_stem(name: str, district: str, cols: list[cv.Compared]) -> str:
    return "_".join([f"compare_{name}_{district}", *(c.res.hash[:8] for c in cols)])


def indicator_table(cols: list[cv.Compared], district: str) -> None:
    ds, lang = data(), current_lang()
    first, last = cal.PLAN_YEARS
    table = headed(cv.indicator_rows(cols, ds, lang, t("compare.budget_total", start=first, end=last),
                                     t("compare.wan_yuan")))
    st.dataframe(table, hide_index=True, width="stretch", key="cmp_indicators",
                 column_config={c.header: st.column_config.NumberColumn(format="localized") for c in cols})
    for c in cols:
        st.caption(f"{c.header}：{coverage.label(coverage.coverage(c.run, ds), lang)}")
    download_table(table, file_stem("indicators", district, cols), data_version=ds.version)


def target_table(cols: list[cv.Compared], district: str) -> None:
    ds, lang = data(), current_lang()
    for c in cols:  # the same count line as the overview and the report, per scenario
        sep = "：" if lang == "zh" else ": "
        st.caption(f"{c.header}{sep}{target_modes.counts_text(c.targets, lang)}")
    rows = cv.status_rows(cols, ds, lang, show_all=st.toggle(t("compare.show_unmodelled"), key="cmp_all_targets"))
    if rows.empty:
        st.info(t("compare.no_targets"), icon=":material/info:")
        return
    table = headed(rows)
    colours = {charts.status_label(s, lang): c for s, c in charts.STATUS_COLOURS.items()}
    styled = table.style.map(lambda v: f"background-color: {colours[v]}" if v in colours else "",
                             subset=[c.header for c in cols])
    st.dataframe(styled, hide_index=True, width="stretch", key="cmp_targets")
    download_table(table, file_stem("targets", district, cols), data_version=ds.version)


def parameter_diff(cols: list[cv.Compared], district: str) -> None:
    ds = data()
    rows = cv.parameter_rows(cols, current_lang(), ds.assumptions, t("compare.yes"), t("compare.no"))
    if len(cols) < 2 or rows.empty:
        st.info(t("compare.no_diff"), icon=":material/info:")
        return
    table = headed(rows)
    st.dataframe(table, hide_index=True, width="stretch", key="cmp_diff")
    download_table(table, file_stem("parameters", district, cols), data_version=ds.version)


def path_chart(cols: list[cv.Compared], district: str) -> None:
    ds, lang = data(), current_lang()
    options = cv.available(cols)
    if not options:
        return
    indicator = st.selectbox(t("compare.indicator"), options=options, key="cmp_indicator",
                             format_func=lambda i: ds.label(i, lang))
    goal = marks.marks(marks.target_rows(cols[0].targets, [indicator]), ds.sources, with_locator=False)
    label = ds.label(indicator, lang)
    chart(charts.lines(cv.path_frame(cols, indicator), value_label=label, title=label,
                       res_hash=" / ".join(c.res.hash for c in cols), data_version=ds.version, lang=lang,
                       targets=goal, height=CHART_HEIGHT),
          file_stem(indicator, district, cols), data_version=ds.version, key="cmp_path")


def cost_charts(cols: list[cv.Compared], district: str) -> None:
    ds, lang = data(), current_lang()
    costs = cv.cost_frame(cols)
    if costs.empty:
        st.info(t("compare.no_budget"), icon=":material/info:")
        return
    args = {"value_label": t("compare.wan_yuan"), "res_hash": " / ".join(c.res.hash for c in cols),
            "data_version": ds.version, "lang": lang, "height": CHART_HEIGHT}
    left, right = st.columns(2)
    with left:
        chart(charts.lines(costs.rename(columns={"cost_wan_yuan": "value"}), title=t("compare.cost_title"), **args),
              file_stem("cost", district, cols), data_version=ds.version, key="cmp_cost")
    with right:
        title = t("compare.increment_title", first=cols[0].name)
        chart(charts.lines(costs.rename(columns={"incremental_wan_yuan": "value"}), title=title, **args),
              file_stem("cost_increment", district, cols), data_version=ds.version, key="cmp_increment")
    table = costs[["header", "year", "cost_wan_yuan", "incremental_wan_yuan"]].rename(columns={
        "header": t("compare.scenario"), "year": t("col.year"), "cost_wan_yuan": t("compare.cost"),
        "incremental_wan_yuan": t("compare.increment")})
    download_table(table, file_stem("cost", district, cols), data_version=ds.version, key="cmp_cost_table")


def page() -> None:
    district = current_district()
    page_header("nav.compare")
    cols = columns_for(picker(district), district)
    if not cols:
        st.info(t("compare.pick_some"), icon=":material/info:")
        return
    headers(cols)
    for heading, section in (("compare.indicators", indicator_table), ("compare.targets", target_table),
                             ("compare.parameters", parameter_diff), ("compare.paths", path_chart),
                             ("compare.costs", cost_charts)):
        st.subheader(t(heading))
        section(cols, district)
    st.subheader(t("plans.heading"))
    st.caption(t("plans.help"))
    plans_section(data(), district, current_lang())


page()
