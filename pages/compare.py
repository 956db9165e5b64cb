"""方案对比 Compare: up to three scenarios of the district side by side.

Choices: the current (edited) scenario, the district's presets (``plan`` / ``freeze`` / ``stress``) and the
user's saved scenarios. For each: the scenario hash; key indicators at the plan's end year and the
scenario's end year; the 2021–2025 budget total; the status of every modelled target (one column per
scenario); the resolved parameters that differ (:func:`models.scenario.diff`); indicator paths (one line
per scenario) and the yearly cost with its difference from the first scenario
(:func:`models.budget.incremental`). Column headers carry each scenario's hash, file names all of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from models import budget as bu
from models import charts, coverage, presets, target_modes
from models import scenario as sc
from models.engine import PLAN_END_YEAR
from models.errors import ShapanError
from models.report import PLAN_YEARS
from models.reporting.content import target_text
from pages._cache import resolved, result, targets
from pages._plans import plans_section
from pages._scenarios import current_scenario
from pages._session import current_district, current_lang, data
from pages._ui import chart, download_table, page_header, plain, provenance_caption, show_error, t, t_or

BINDING_KEYS = {"约束性": "binding.obligatory", "预期性": "binding.indicative"}

KEY_INDICATORS = ("population_60plus", "beds_per_1000_elderly", "nursing_bed_share",
                  "rural_urban_dibao_ratio", "dibao_urban_standard", "dibao_rural_standard", "tekun_standard")
MAX_SCENARIOS = 3
CURRENT = "current"
CHART_HEIGHT = 340  # px


@dataclass(frozen=True)
class Column:
    """One compared scenario: its choice id, display header and model outputs."""

    choice: str
    header: str
    res: Any
    run: Any
    targets: pd.DataFrame


def choices(district: str) -> list[str]:
    return [CURRENT, *(f"preset:{n}" for n in presets.preset_names(district)),
            *(f"user:{n}" for n in presets.list_user(district))]


def choice_label(choice: str) -> str:
    if choice == CURRENT:
        return t("compare.current")
    kind, name = choice.split(":", 1)
    return t_or(f"compare.preset_{name}", name) if kind == "preset" else t("compare.user", name=name)


def load(choice: str, district: str) -> sc.Scenario:
    if choice == CURRENT:
        return current_scenario()
    kind, name = choice.split(":", 1)
    if kind == "preset":
        return presets.load_preset(district, name, data())
    return presets.load_user(district, name, data())


def picker(district: str) -> list[str]:
    options = choices(district)
    default = [c for c in (CURRENT, "preset:freeze", "preset:stress") if c in options]
    return st.multiselect(t("compare.pick"), options=options, default=default, key=f"cmp_pick_{district}",
                          format_func=choice_label, max_selections=MAX_SCENARIOS,
                          help=t("compare.pick_help", n=MAX_SCENARIOS))


def columns_for(picked: list[str], district: str) -> list[Column]:
    out = []
    for choice in picked:
        try:
            scen = load(choice, district)
            res = resolved(scen)
            header = f"{choice_label(choice)} · {res.hash}"
            out.append(Column(choice, header, res, result(scen), targets(scen)))
        except ShapanError as err:
            show_error(err)
    return out


def fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return t("compare.yes") if value else t("compare.no")
    return f"{value:,.6g}" if isinstance(value, float | int) else str(value)


def headers(cols: list[Column]) -> None:
    boxes = st.columns(len(cols))
    for box, col in zip(boxes, cols, strict=True):
        with box.container(border=True):
            st.markdown(f"**{plain(choice_label(col.choice))}**")
            st.markdown(t("compare.hash", hash=col.res.hash))
            st.caption(t("compare.scenario_name", name=plain(col.res.scenario.name)))
            provenance_caption(col.res.hash, col.res.data_version)


def file_stem(name: str, district: str, cols: list[Column]) -> str:
    return "_".join([f"compare_{name}_{district}", *(c.res.hash[:8] for c in cols)])


def budget_total(run: Any) -> float:
    """2021–2025 total, NaN (shown blank, explained by the coverage caption) when nothing is costed."""
    total = coverage.total_or_none(run.budget, *PLAN_YEARS)
    return math.nan if total is None else total


def indicator_table(cols: list[Column], district: str) -> None:
    ds, lang = data(), current_lang()
    units = dict(zip(ds.meta["indicator"], ds.meta["unit"], strict=True))
    years = (PLAN_END_YEAR, cols[0].res.scenario.end_year)
    rows = []
    for indicator in KEY_INDICATORS:
        if not any(indicator in c.run.series for c in cols):
            continue
        for year in years:
            rows.append({t("col.label"): ds.label(indicator, lang), t("col.year"): year,
                         t("col.unit"): units.get(indicator, ""),
                         **{c.header: c.run.series.get(indicator, {}).get(year, math.nan) for c in cols}})
    rows.append({t("col.label"): t("compare.budget_total", start=PLAN_YEARS[0], end=PLAN_YEARS[1]),
                 t("col.year"): PLAN_YEARS[1], t("col.unit"): t("compare.wan_yuan"),
                 **{c.header: budget_total(c.run) for c in cols}})
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch", key="cmp_indicators",
                 column_config={c.header: st.column_config.NumberColumn(format="localized") for c in cols})
    for c in cols:
        st.caption(f"{c.header}：{coverage.label(coverage.coverage(c.run, ds), lang)}")
    download_table(table, file_stem("indicators", district, cols), data_version=data().version)


def target_table(cols: list[Column], district: str) -> None:
    ds, lang = data(), current_lang()
    first = cols[0].targets
    statuses = {c.header: c.targets["display_status"].tolist() for c in cols}
    # rows judged in at least one scenario (needs-input, quarantined, not-modelled rows on the toggle)
    modelled = pd.DataFrame(statuses).isin(target_modes.JUDGED).any(axis=1).to_numpy()
    for c in cols:  # the same count line as the overview and the report, per scenario
        st.caption(f"{c.header}：{target_modes.counts_text(c.targets, lang)}" if lang == "zh"
                   else f"{c.header}: {target_modes.counts_text(c.targets, lang)}")
    if not st.toggle(t("compare.show_unmodelled"), key="cmp_all_targets"):
        first = first[modelled]
        statuses = {h: [s for s, keep in zip(v, modelled, strict=True) if keep] for h, v in statuses.items()}
    if first.empty:
        st.info(t("compare.no_targets"), icon=":material/info:")
        return
    table = pd.DataFrame({
        t("col.label"): [ds.label(i, lang) for i in first["indicator"]],
        t("col.year"): first["year"].tolist(),
        t("compare.target"): [target_text(r, lang, ds) for r in first.itertuples()],
        t("col.binding"): [t_or(BINDING_KEYS.get(b, ""), "") if isinstance(b, str) else "" for b in first["binding"]],
        **{h: [charts.status_label(s, lang) for s in v] for h, v in statuses.items()},
    })
    colours = {charts.status_label(s, lang): c for s, c in charts.STATUS_COLOURS.items()}
    styled = table.style.map(lambda v: f"background-color: {colours[v]}" if v in colours else "",
                             subset=[c.header for c in cols])
    st.dataframe(styled, hide_index=True, width="stretch", key="cmp_targets")
    download_table(table, file_stem("targets", district, cols), data_version=ds.version)


def param_label(key: str, lang: str) -> str:
    """A parameter's label: its assumptions.toml entry, else models.scenario.PARAM_TEXT, else the key."""
    return sc.param_label(key, lang, data().assumptions)


def parameter_diff(cols: list[Column], district: str) -> None:
    ds, lang = data(), current_lang()
    base = dict(cols[0].res.values)
    keys = sorted({k for c in cols[1:] for k, _, _ in sc.diff(base, dict(c.res.values))})
    # sc.diff reports NaN vs NaN (parameters with no value, e.g. unpublished caseloads) as a difference
    keys = [k for k in keys if len({fmt(c.res.values.get(k)) for c in cols}) > 1]
    if len(cols) < 2 or not keys:
        st.info(t("compare.no_diff"), icon=":material/info:")
        return
    rows = [{t("compare.param"): param_label(key, lang), t("col.key"): key,
             **{c.header: fmt(c.res.values.get(key)) for c in cols}} for key in keys]
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch", key="cmp_diff")
    download_table(table, file_stem("parameters", district, cols), data_version=ds.version)


def path_chart(cols: list[Column], district: str) -> None:
    ds, lang = data(), current_lang()
    available = [i for i in KEY_INDICATORS if any(i in c.run.series for c in cols)]
    if not available:
        return
    indicator = st.selectbox(t("compare.indicator"), options=available, key="cmp_indicator",
                             format_func=lambda i: ds.label(i, lang))
    frame = pd.DataFrame([{"year": y, "series": choice_label(c.choice), "value": v}
                          for c in cols for y, v in c.run.series.get(indicator, {}).items()])
    goal = cols[0].targets
    goal = goal[(goal["indicator"] == indicator) & goal["target"].notna() & (goal["comparator"] != "sync")]
    marks = pd.DataFrame({
        "year": goal["year"], "value": goal["target"],
        "label": [f"{c}{v:g}" for c, v in zip(goal["comparator"], goal["target"], strict=True)],
        "source": [str(ds.sources.get(s, {}).get("title", s)) for s in goal["source"]]})
    hashes = " / ".join(c.res.hash for c in cols)
    label = ds.label(indicator, lang)
    chart(charts.lines(frame, value_label=label, title=label, res_hash=hashes, data_version=ds.version,
                       lang=lang, targets=marks, height=CHART_HEIGHT),
          file_stem(indicator, district, cols), data_version=ds.version, key="cmp_path")


def cost_charts(cols: list[Column], district: str) -> None:
    ds, lang = data(), current_lang()
    reference = cols[0].run.budget
    frames = []
    for c in cols:
        inc = bu.incremental(c.run.budget, reference)
        total = inc[inc["programme"] == bu.TOTAL]
        frames.append(total.assign(series=choice_label(c.choice), header=c.header))
    if not frames or all(f.empty for f in frames):
        st.info(t("compare.no_budget"), icon=":material/info:")
        return
    costs = pd.concat(frames, ignore_index=True)
    hashes = " / ".join(c.res.hash for c in cols)
    args = {"value_label": t("compare.wan_yuan"), "res_hash": hashes, "data_version": ds.version,
            "lang": lang, "height": CHART_HEIGHT}
    left, right = st.columns(2)
    with left:
        title = t("compare.cost_title")
        chart(charts.lines(costs.rename(columns={"cost_wan_yuan": "value"}), title=title, **args),
              file_stem("cost", district, cols), data_version=ds.version, key="cmp_cost")
    with right:
        title = t("compare.increment_title", first=choice_label(cols[0].choice))
        chart(charts.lines(costs.rename(columns={"incremental_wan_yuan": "value"}), title=title, **args),
              file_stem("cost_increment", district, cols), data_version=ds.version, key="cmp_increment")
    table = costs[["header", "year", "cost_wan_yuan", "incremental_wan_yuan"]].rename(columns={
        "header": t("compare.scenario"), "year": t("col.year"), "cost_wan_yuan": t("compare.cost"),
        "incremental_wan_yuan": t("compare.increment")})
    download_table(table, file_stem("cost", district, cols), data_version=ds.version, key="cmp_cost_table")


district = current_district()
page_header("nav.compare")
picked = picker(district)
cols = columns_for(picked, district)
if not cols:
    st.info(t("compare.pick_some"), icon=":material/info:")
    st.stop()
headers(cols)
st.subheader(t("compare.indicators"))
indicator_table(cols, district)
st.subheader(t("compare.targets"))
target_table(cols, district)
st.subheader(t("compare.parameters"))
parameter_diff(cols, district)
st.subheader(t("compare.paths"))
path_chart(cols, district)
st.subheader(t("compare.costs"))
cost_charts(cols, district)
st.subheader(t("plans.heading"))
st.caption(t("plans.help"))
plans_section(data(), district, current_lang())
