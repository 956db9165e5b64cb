"""十五五 drafting: a 2030 target table from the rebased baseline, each target evaluated and costed.

For every modelled indicator the district targets (its 14th-plan targets that a model projects, plus the
core modelled ones) a suggested 2030 target with its reason, in this order of precedence:

1. ``norm`` — a sourced national or provincial norm in ``data/reference/other_facts.csv`` (today: the
   national nursing-bed share, ≥55 % by 2025, state_council_14th_fyp_elderly_2022) when the trend does
   not already pass it;
2. ``carried`` — the 14th-plan target carried forward when the 2025 actual (or base figure) missed it;
3. ``trend`` — the level the rebased baseline reaches in 2030 with 80 % probability (P20 of the draws for
   a ``>=`` target, P80 for ``<=``; the projection where nothing is drawn), rounded towards the safe side as
   plans print figures (integers for %, tens of 元 for standards, one decimal otherwise); the reason says
   when that is below the base-year value.

A planner's own targets (``--targets`` file: ``indicator,target[,comparator]``) replace the suggestions
(reason ``user``). Every draft target is evaluated like a 2025 target on the rebased baseline: projected
2030 value, status (:func:`models.targets.status_of` with P(met) from :func:`models.rebase.draws`),
required growth from the base year. ``decided_by``: standards are set by the municipality in Chongqing
(one standard for all districts: standards_2020.csv, cq_mzj_2021_09_plan_explanation), by the
prefecture-level city elsewhere (assumption, stated); bed indicators by the district.

Cost (:func:`cost_of`): for a standard target the baseline misses, the constant growth from the base year
that reaches it exactly in 2030 (the ratio target moves the rural standard); ``cost_2026_2030`` is what
that path adds to the rebased baseline's 2026–2030 budget, in 万元, with the baseline's caseloads and
payment ratio; beds have no capital cost in the budget model and some districts' programmes are not
costed (None, said in the reason). :func:`draft_scenario` is the plan path of the whole draft (fixed growth
per standard) and is saved like any scenario.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from models import budget as bu
from models import labels
from models import rebase as rb
from models import scenario as sc
from models import targets as tg
from models.data import Dataset
from models.errors import ShapanError
from models.views import calendar as cal
from models.views import totals as vt

DRAFT_YEAR = cal.NEXT_PLAN_END_YEAR  # the 15th plan drafted: targets for 2030, costs over 2026–2030
PERIOD = cal.NEXT_PLAN_YEARS
DRAFT_DRAWS = 500
CORE = ("rural_urban_dibao_ratio", "dibao_urban_standard", "dibao_rural_standard", "tekun_standard",
        "nursing_bed_share", "beds_per_1000_elderly", "social_operated_bed_share")
NORMS = {"nursing_bed_share": "nursing_bed_share_target"}  # indicator -> fact id in other_facts.csv
GROWTH_LEVER = {  # indicator -> the growth parameter that moves it towards a higher target
    "dibao_urban_standard": "benefits.dibao_urban_growth_pct",
    "dibao_rural_standard": "benefits.dibao_rural_growth_pct",
    "rural_urban_dibao_ratio": "benefits.dibao_rural_growth_pct",
    "tekun_standard": "benefits.tekun_growth_pct",
}
PROGRAMME = {"dibao_urban_standard": "dibao_urban", "dibao_rural_standard": "dibao_rural",
             "rural_urban_dibao_ratio": "dibao_rural", "tekun_standard": "tekun", "orphan_standard": "orphan"}
DRAFT_COLUMNS = ["indicator", "target", "comparator", "reason", "basis", "base_value", "base_year", "projected",
                 "status", "probability", "required_growth", "decided_by", "cost_2026_2030", "binding", "unit",
                 "reason_zh", "reason_en", "reason_source", "reason_locator", "decided_by_zh", "decided_by_en"]
# ``reason`` / ``decided_by`` (the CLI's fields) are the Chinese text followed by the English one; the page and
# the report print ``*_zh`` or ``*_en``. The document a reason cites is ``reason_source`` (a source id of
# data/sources.toml) + ``reason_locator``, printed as a reference next to the reason, never inside it.
REASONS = {  # basis -> (zh, en) templates
    "norm": ("全国/省级标准：{area_zh}{year}年≥{value:g}{unit}（趋势值{trend:g}）",
             "national norm: ≥{value:g}{unit} by {year} ({area_en}; trend {trend:g})"),
    "carried": ("十四五目标{comp}{target:g}未实现（{year}年{base:.4g}），顺延",
                "14th-plan target {comp}{target:g} missed ({year}: {base:.4g}): carried forward"),
    "trend": ("按{year}年基期趋势、{conf:.0%}把握推算（{base:.4g} → 中位数{median:.4g}）",
              "trend of the rebased baseline, reached with {conf:.0%} probability ({base:.4g} → median {median:.4g})"),
    "user": ("用户设定", "set by the planner"),
    "below": ("；低于基期值", "; below the base-year value"),
    "no_capital": ("；床位建设投资未纳入财政测算", "; beds: no capital cost in the budget model"),
    "not_costed": ("；{programme}未纳入财政测算", "; {programme} not costed"),
}
AREA_EN = {"全国": "China", "China": "China"}
AREA_ZH = {"China": "全国"}
USER_REASON = f"{REASONS['user'][0]} {REASONS['user'][1]}"
NO_CAPITAL_COST = f"{REASONS['no_capital'][0]} {REASONS['no_capital'][1]}"


def _texts(key: str, **fmt: Any) -> tuple[str, str]:
    zh, en = REASONS[key]
    return zh.format(**fmt), en.format(**fmt)
CONFIDENCE = 0.8  # the trend suggestion is met with this probability on the rebased baseline


def _round(indicator: str, value: float, unit: str, comparator: str) -> float:
    step = 10.0 if indicator.endswith("_standard") else 1.0 if unit == "%" else 0.1
    cut = math.floor if comparator == ">=" else math.ceil
    return round(cut(round(value / step, 9)) * step, 1)


def _norm(ds: Dataset, indicator: str) -> Any:
    """The latest row of the indicator's sourced norm in other_facts.csv (None: no norm)."""
    fact = NORMS.get(indicator)
    if fact is None:
        return None
    rows = ds.reference("other_facts")
    rows = rows[rows["fact"] == fact].sort_values("year")
    return None if rows.empty else rows.iloc[-1]


def decided_by(ds: Dataset, district: str, indicator: str) -> tuple[str, str]:
    """Who sets the indicator's level and why, in Chinese and in English (no ids, no file names)."""
    if indicator in tg.BENEFIT_IDS:
        d = ds.district(district)
        if d["province"] == d["city"]:  # a municipality: one standard for all its districts (cq_mzj_2021_09)
            return (f"市（{d['city']}）：全市统一制定标准",
                    "municipality: one standard for all its districts and counties")
        return (f"市（{d['city']}）：设区市在省级指导下制定标准（假设）",
                "prefecture-level city, under provincial guidance (assumption)")
    return "区县：区县负责床位建设和改造", "district: it builds and converts the beds"


def _plan_target(ds: Dataset, district: str, indicator: str) -> Any:
    ind = ds.indicators_for(district)
    rows = ind[(ind["indicator"] == indicator) & (ind["kind"] == "target") & (ind["year"] > cal.BASE_YEAR)
               & ind["value"].notna() & ind["comparator"].isin([">=", "<="])]
    return None if rows.empty else rows.sort_values("year").iloc[-1]


def candidates(ds: Dataset, district: str, rebased: rb.Rebased) -> list[str]:
    """Indicators to draft: the district's modelled 14th-plan targets, then the core modelled ones."""
    series = rebased.result.series
    ind = ds.indicators_for(district)
    planned = ind[(ind["kind"] == "target") & (ind["year"] > cal.BASE_YEAR)]["indicator"]
    out = [i for i in dict.fromkeys([*planned, *CORE]) if i in series and DRAFT_YEAR in series[i]]
    return out


def _level(draws: dict[str, np.ndarray], indicator: str, comparator: str, projected: float) -> float:
    """The 2030 value the baseline reaches with probability CONFIDENCE (the projection if not drawn)."""
    values = draws.get(indicator)
    if values is None or np.isnan(values[:, list(draws["year"]).index(DRAFT_YEAR)]).all():
        return projected
    q = (1 - CONFIDENCE) * 100 if comparator == ">=" else CONFIDENCE * 100
    return float(np.percentile(values[:, list(draws["year"]).index(DRAFT_YEAR)], q))


def suggest(ds: Dataset, district: str, rebased: rb.Rebased, indicator: str,
            draws: dict[str, np.ndarray]) -> dict[str, Any]:
    """Suggested 2030 target of one indicator with its reason in both languages (module docstring)."""
    series, meta = rebased.result.series, ds.meta.set_index("indicator")
    unit = meta.loc[indicator, "unit"] if indicator in meta.index else ""
    base_year = rebased.resolved.scenario.base_year
    base = series[indicator][base_year]
    plan = _plan_target(ds, district, indicator)
    comparator = plan["comparator"] if plan is not None else ("<=" if indicator == "gov_operated_bed_share" else ">=")
    better = max if comparator == ">=" else min
    trend = _round(indicator, _level(draws, indicator, comparator, series[indicator][DRAFT_YEAR]), unit, comparator)
    norm = _norm(ds, indicator)
    if norm is not None and better(float(norm["value"]), trend) != trend:
        zh, en = _texts("norm", area_zh=AREA_ZH.get(norm["area"], norm["area"]),
                        area_en=AREA_EN.get(norm["area"], norm["area"]),
                        year=int(norm["year"]), value=float(norm["value"]), unit=str(norm["unit"]).split(" ")[0],
                        trend=trend)
        return {"target": float(norm["value"]), "comparator": comparator, "basis": "norm", "zh": zh, "en": en,
                "source": norm["source"], "locator": ""}
    if plan is not None and not tg.meets(base, comparator, float(plan["value"])):
        zh, en = _texts("carried", comp={">=": "≥", "<=": "≤"}[comparator], target=float(plan["value"]),
                        year=base_year, base=base)
        return {"target": better(float(plan["value"]), trend), "comparator": comparator, "basis": "carried",
                "zh": zh, "en": en, "source": plan["source"], "locator": plan["locator"]}
    zh, en = _texts("trend", year=base_year, conf=CONFIDENCE, base=base, median=series[indicator][DRAFT_YEAR])
    if better(trend, base) == base and trend != base:
        zh, en = zh + REASONS["below"][0], en + REASONS["below"][1]
    return {"target": trend, "comparator": comparator, "basis": "trend", "zh": zh, "en": en,
            "source": "", "locator": ""}


def total_cost(result: Any) -> float:
    """2026–2030 budget total of a run (万元; costed programmes only)."""
    start, end = PERIOD
    if result.budget.empty:
        return 0.0
    return vt.total_value(bu.totals(result.budget, start, end))


def lever_for(rebased: rb.Rebased, indicator: str, target: float, comparator: str) -> tuple[str, float] | None:
    """The growth parameter and the constant growth from the base year that reaches ``target`` exactly in
    2030 (None: the baseline already reaches it, or no standard lever)."""
    key = GROWTH_LEVER.get(indicator)
    series = rebased.result.series
    if key is None or comparator != ">=" or tg.meets(series[indicator][DRAFT_YEAR], ">=", target):
        return None
    base_year = rebased.resolved.scenario.base_year
    if indicator == "rural_urban_dibao_ratio":  # rural must reach target % of the projected urban standard
        start = series["dibao_rural_standard"][base_year]
        goal = target / 100 * series["dibao_urban_standard"][DRAFT_YEAR]
    else:
        start, goal = series[indicator][base_year], target
    growth = tg.required_growth_pct(start, goal, DRAFT_YEAR - base_year)
    return None if math.isnan(growth) else (key, growth)


def cost_of(rebased: rb.Rebased, indicator: str, target: float, comparator: str) -> float | None:
    """2026–2030 cost over the baseline (万元) of the standard path that reaches ``target`` in 2030:
    Σ caseload(t) × max(path(t) − baseline(t), 0) × payment ratio × payments a year / 10,000, with the
    baseline's caseload and payment ratio (:attr:`models.engine.RunResult.budget_inputs`); 0 when the
    baseline already reaches it; None when the programme is not costed."""
    inp = rebased.result.budget_inputs.get(PROGRAMME.get(indicator, ""))
    if inp is None:
        return None
    lever = lever_for(rebased, indicator, target, comparator)
    if lever is None:
        return 0.0
    res = rebased.resolved
    column = "dibao_rural_standard" if indicator == "rural_urban_dibao_ratio" else indicator
    years = np.array(res.years)
    baseline = np.array([rebased.result.series[column][int(y)] for y in years])
    path = baseline[0] * (1 + lever[1] / 100) ** (years - years[0])
    recipients = bu.recipients_path(inp["recipients"], res["budget.recipients_growth_pct"], res.years)
    extra = recipients * np.maximum(path - baseline, 0) * inp["payment_ratio"] * inp["per_year"] / 10_000
    window = (years >= PERIOD[0]) & (years <= PERIOD[1])
    return float(extra[window].sum())


def default_scenario(ds: Dataset, district: str) -> sc.Scenario:
    """The scenario a draft is judged on: the district's baseline forecast where it ships one, else plan."""
    from models import presets

    names = presets.preset_names(district)
    return presets.load_preset(district, "baseline" if "baseline" in names else "plan", ds)


def with_levers(rebased: rb.Rebased, ds: Dataset, levers: dict[str, float], rule: str | None = None) -> rb.Rebased:
    """The rebased run with some growth parameters (and the benefit rule) replaced (provenance ``draft``)."""
    res = rebased.resolved
    values, provenance = dict(res.values), dict(res.provenance)
    levers = dict(levers) | ({"benefits.rule": rule} if rule else {})
    for key, value in levers.items():
        values[key], provenance[key] = value, "draft: the plan path of the 2030 draft"
    scenario = res.scenario.with_params(**{k.replace(".", "__"): v for k, v in levers.items()})
    new = dataclasses.replace(res, scenario=scenario, values=sc.FrozenDict(values),
                              provenance=sc.FrozenDict(provenance),
                              hash=rb.hash_of(scenario, values, res.projects, res.data_version))
    return dataclasses.replace(rebased, resolved=new, result=rb.run(new, ds, rebased.bases, rebased.original))


def read_targets(data: bytes, file: str, ds: Dataset) -> dict[str, tuple[float, str]]:
    """A planner's draft targets: CSV ``indicator,target[,comparator]`` (UTF-8/BOM/GBK)."""
    from models.table_input import read_table

    frame = read_table(data, file)  # the actuals upload's reader and size limits
    missing = [c for c in ("indicator", "target") if c not in frame.columns]
    if missing:
        raise ShapanError("missing_columns", file=file, columns=", ".join(missing))
    known, out = set(ds.meta["indicator"]), {}
    for i, r in enumerate(frame.itertuples(index=False), start=2):
        indicator = str(r.indicator).strip()
        if indicator not in known:
            raise ShapanError("bad_value", file=file, row=i, column="indicator", value=indicator,
                              reason="未知指标/unknown indicator")
        try:
            value = float(str(r.target).strip().rstrip("%").replace(",", ""))
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not 0 <= value <= 1e9:
            raise ShapanError("bad_value", file=file, row=i, column="target", value=r.target, reason="0–1e9")
        raw = getattr(r, "comparator", "")
        comparator = ">=" if raw is None or (not isinstance(raw, str) and pd.isna(raw)) else str(raw).strip() or ">="
        if comparator not in (">=", "<="):
            raise ShapanError("bad_value", file=file, row=i, column="comparator", value=comparator, reason=">= | <=")
        out[indicator] = (value, comparator)
    return out


def draft(ds: Dataset, district: str, rebased: rb.Rebased, own: dict[str, tuple[float, str]] | None = None,
          n: int = DRAFT_DRAWS) -> pd.DataFrame:
    """The 2030 draft target table (columns :data:`DRAFT_COLUMNS`)."""
    own = own or {}
    res, series = rebased.resolved, rebased.result.series
    draws = rb.draws(rebased, ds, n)
    col = list(draws["year"]).index(DRAFT_YEAR)
    meta = ds.meta.set_index("indicator")
    rows = []
    for indicator in [*candidates(ds, district, rebased), *[i for i in own if i not in series]]:
        if indicator in own:
            target, comparator = own[indicator]
            zh, en = REASONS["user"]
            pick = {"target": target, "comparator": comparator, "basis": "user", "zh": zh, "en": en,
                    "source": "", "locator": ""}
        else:
            pick = suggest(ds, district, rebased, indicator, draws)
        target, comparator = pick["target"], pick["comparator"]
        base = series.get(indicator, {}).get(res.scenario.base_year, math.nan)
        projected = series.get(indicator, {}).get(DRAFT_YEAR, math.nan)
        prob = math.nan
        if indicator in draws and not np.isnan(draws[indicator][:, col]).all():
            prob = float(np.mean(tg.meets(draws[indicator][:, col], comparator, target)))
        status = tg.status_of(base, projected, target, comparator, None if math.isnan(prob) else prob)
        cost, note = None, REASONS["no_capital"]
        if indicator in tg.BENEFIT_IDS:
            cost = cost_of(rebased, indicator, target, comparator) if indicator in series else None
            prog = PROGRAMME.get(indicator, "")
            names = ((labels.programme(prog, "zh", plain=True), labels.programme(prog, "en", plain=True))
                     if labels.has("programme", prog) else (ds.label(indicator, "zh"), ds.label(indicator, "en")))
            note = ("", "") if cost is not None else (REASONS["not_costed"][0].format(programme=names[0]),
                                                      REASONS["not_costed"][1].format(programme=names[1]))
        plan = _plan_target(ds, district, indicator)
        who_zh, who_en = decided_by(ds, district, indicator)
        reason_zh, reason_en = pick["zh"] + note[0], pick["en"] + note[1]
        rows.append({
            "indicator": indicator, "target": target, "comparator": comparator,
            "reason": f"{reason_zh} {reason_en}",
            "basis": pick["basis"], "base_value": base, "base_year": res.scenario.base_year, "projected": projected,
            "status": status, "probability": prob,
            "required_growth": tg.required_growth_pct(base, target, DRAFT_YEAR - res.scenario.base_year),
            "decided_by": f"{who_zh} {who_en}", "cost_2026_2030": cost,
            "binding": "" if plan is None else plan["binding"],
            "unit": meta.loc[indicator, "unit"] if indicator in meta.index else "",
            "reason_zh": reason_zh, "reason_en": reason_en, "reason_source": pick["source"],
            "reason_locator": pick["locator"], "decided_by_zh": who_zh, "decided_by_en": who_en,
        })
    return pd.DataFrame(rows, columns=DRAFT_COLUMNS)


def draft_scenario(ds: Dataset, rebased: rb.Rebased, table: pd.DataFrame, name: str = "draft_15th") -> rb.Rebased:
    """The plan path of the draft: standards grow at a constant rate from the base year — the rate that
    reaches a draft target the baseline misses (the faster where two targets share a lever), else the rate
    that reaches the baseline's own 2030 value — under ``benefits.rule = fixed_growth``."""
    series, base_year = rebased.result.series, rebased.resolved.scenario.base_year
    levers: dict[str, float] = {}
    for indicator, key in rb.GROWTH_PARAMS.items():
        path = series.get(indicator, {})
        if path.get(base_year, 0) > 0 and DRAFT_YEAR in path:
            levers[key] = tg.required_growth_pct(path[base_year], path[DRAFT_YEAR], DRAFT_YEAR - base_year)
    drafted: dict[str, float] = {}
    for r in table.itertuples():
        lever = lever_for(rebased, r.indicator, r.target, r.comparator) if r.indicator in series else None
        if lever is not None:
            drafted[lever[0]] = max(lever[1], drafted.get(lever[0], -math.inf))
    levers |= drafted
    out = with_levers(rebased, ds, {k: v for k, v in levers.items() if not math.isnan(v)}, rule="fixed_growth")
    notes = f"十五五规划草案 draft of the 15th plan: {len(table)} targets for {DRAFT_YEAR}"
    scenario = dataclasses.replace(out.resolved.scenario, name=name, notes=notes)
    return dataclasses.replace(out, resolved=dataclasses.replace(out.resolved, scenario=scenario))


def indicator_table(ds: Dataset, table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The plan's indicator table (专栏 style): 指标, 2025年基期, 2030年目标, 属性 (unit and type in ``lang``)."""
    from models import evaluation_display as ed

    zh = lang == "zh"
    symbol = {">=": "≥", "<=": "≤"}

    def name(indicator: str, unit: str) -> str:
        shown = ed.unit_text(unit, lang, ds)
        return ds.label(indicator, lang) + ((f"（{shown}）" if zh else f" ({shown})") if shown else "")

    return pd.DataFrame({
        "序号" if zh else "No.": range(1, len(table) + 1),
        "指标" if zh else "Indicator": [name(i, u) for i, u in zip(table["indicator"], table["unit"], strict=True)],
        "2025年基期" if zh else "2025 base": [None if math.isnan(v) else round(v, 2) for v in table["base_value"]],
        "2030年目标" if zh else "2030 target": [f"{symbol.get(c, c)}{t:g}" for c, t in
                                              zip(table["comparator"], table["target"], strict=True)],
        "属性" if zh else "Type": [ed.binding_text(b, lang) or labels.label("binding", "预期性", lang)
                                 for b in table["binding"]],
    })


def export_xlsx(ds: Dataset, table: pd.DataFrame, scenario_hash: str, lang: str = "zh") -> bytes:
    """xlsx: the 专栏 indicator table first, then each target's evaluation and reason as a reader reads them
    (labels, units, numbers rounded to the unit), then the full table with ids (data), then provenance."""
    from models import evaluation_display as ed
    from models.export import to_xlsx_bytes

    zh = lang == "zh"
    about = pd.DataFrame({"key": ["scenario_hash", "data_version", "draft_year"],
                          "value": [scenario_hash, ds.version, str(DRAFT_YEAR)]})
    readable = ed.with_headers(ed.draft_rows(table, ds, lang, text=False), lang)
    return to_xlsx_bytes({"十五五主要指标" if zh else "15th plan indicators": indicator_table(ds, table, lang),
                          "测算与依据" if zh else "evaluation": readable, "data": table, "provenance": about})
