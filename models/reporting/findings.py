"""The one-page summary: headline findings and decisions requested, as sentences built from the results.

A *problem* is a judged future target whose status is ``off_track`` or ``at_risk`` (binding targets
first, then the lowest P(met)). For each of the first :data:`MAX_PROBLEMS` problems the summary says
what the plan requires, what the scenario projects, the gap in the plan's unit, P(met); then what it
would take — the lever value at which the projection meets the target exactly (goal-seek,
:func:`models.targets.solve`, trying the levers that move the indicator in :data:`LEVER_PREFERENCE`
order) — what that changes in the 2021–2025 budget (a rerun with the lever at that value), and who
decides. Two more findings summarise all statuses and the cost; the decisions requested follow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from models import budget as bu
from models import engine
from models import scenario as sc
from models import targets as tg
from models.errors import ShapanError
from models.reporting import fmt
from models.reporting.domains import Domains
from models.reporting.words import W
from models.views import calendar as cal
from models.views import totals as vt

MAX_PROBLEMS = 3
PROBLEM_STATUSES = ("off_track", "at_risk")
JUDGED_STATUSES = ("off_track", "at_risk", "on_track", "met", "achieved", "missed")
LEVER_PREFERENCE = {
    "beds_per_1000_elderly": ("beds_built_per_year",),
    "elderly_beds": ("beds_built_per_year",),
    "nursing_bed_share": ("nursing_share_of_new_beds",),
    "social_operated_bed_share": ("social_share_of_new_beds",),
    "gov_operated_bed_share": ("social_share_of_new_beds",),
    "rural_urban_dibao_ratio": ("ratio_drift", "dibao_rural_growth"),
    "dibao_rural_standard": ("baseline_growth", "dibao_rural_growth"),
    "dibao_urban_standard": ("baseline_growth", "dibao_urban_growth"),
    "tekun_standard": ("baseline_growth", "tekun_growth"),
    "orphan_standard": ("orphan_growth",),
}
PLAN_YEARS = cal.PLAN_YEARS
DECIDERS = {  # decided_by values of the target registry → words
    "district": ("区县人民政府", "district government"), "county": ("区县人民政府", "county government"),
    "municipal": ("市人民政府", "municipal government"), "city": ("市人民政府", "municipal government"),
    "province": ("省人民政府", "provincial government"), "provincial": ("省人民政府", "provincial government"),
    "central": ("中央（国务院有关部门）", "central government"),
    "区县": ("区县人民政府", "district government"), "市": ("市人民政府", "municipal government"),
    "省": ("省人民政府", "provincial government"), "中央": ("中央（国务院有关部门）", "central government"),
}


@dataclass(frozen=True)
class Remedy:
    """What it would take: a lever value that meets the target exactly, and what it changes in cost."""

    lever: str
    parameter: str
    current: float
    value: float
    cost_change_wan: float


@dataclass(frozen=True)
class Summary:
    findings: tuple[str, ...]
    decisions: tuple[str, ...]


def problems(scorecard: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Judged future targets that are off track or at risk, most pressing first."""
    rows = scorecard[(scorecard["year"] > base_year) & scorecard["status"].isin(PROBLEM_STATUSES)]
    if rows.empty:
        return rows
    key = pd.DataFrame({
        "binding": (rows["binding"].fillna("") != "约束性").astype(int),
        "status": rows["status"].map({s: i for i, s in enumerate(PROBLEM_STATUSES)}),
        "p": rows["probability"].fillna(0.5),
    }, index=rows.index)
    return rows.loc[key.sort_values(["binding", "status", "p"], kind="stable").index]


def _plan_total(result: engine.RunResult) -> float:
    tot = bu.totals(result.budget, *PLAN_YEARS)
    return float(vt.total_rows(tot)["cost_wan_yuan"].sum()) if len(tot) else 0.0  # NaN or none: 0


def remedy(res: Any, ds: Any, row: Any, base_total: float) -> Remedy | None:
    """The first lever (in preference order) that meets the target exactly, with its cost change."""
    try:  # the rule decides which levers move a standard (baseline: the setter's levers)
        movers = tg.levers_for(row.indicator, res["benefits.rule"])
    except TypeError:
        movers = tg.levers_for(row.indicator)
    levers = [lv for lv in LEVER_PREFERENCE.get(row.indicator, ()) if lv in tg.LEVERS] + movers
    for lever in dict.fromkeys(levers):
        try:
            out = tg.solve(res, ds, row.indicator, lever, target=float(row.target), year=int(row.year))
        except (ShapanError, ValueError):
            continue
        changed = tg.with_values(res, **{out["parameter"]: out["value"]})
        cost = _plan_total(engine.run(changed, ds)) - base_total
        return Remedy(lever, out["parameter"], float(out["current"]), float(out["value"]), cost)
    return None


def decided_by(row: Any, domains: Domains, lang: str, level: str | None = None) -> str:
    """Who decides: the target's own ``decided_by`` (or the setter's ``level`` from ``data/setters.csv``)
    where known, else the domain's default."""
    value = getattr(row, "decided_by", None) or level
    if isinstance(value, str) and value.strip():
        words = DECIDERS.get(value.strip().lower())
        if words:
            return words[0 if lang == "zh" else 1]
        if lang == "en" or not value.isascii():
            return value
    return domains.decided_by(row.indicator, lang)


def _gap_text(row: Any, lang: str, units: Any) -> str:
    gap = abs(float(row.target) - float(row.projected))
    if row.unit == "%":
        return W("pct_points", lang, n=fmt.number(gap, 1))
    return fmt.quantity(gap, row.unit, lang, units)


def problem_sentence(row: Any, fix: Remedy | None, ctx: dict[str, Any]) -> str:
    lang, ds, units = ctx["lang"], ctx["ds"], ctx["ds"].units
    parts = [W(
        "finding_problem", lang, label=ds.label(row.indicator, lang), binding=ctx["binding"](row.binding),
        year=int(row.year), target=ctx["target_text"](row), projected=fmt.quantity(row.projected, row.unit, lang, units),
        gap=_gap_text(row, lang, units), status=ctx["status"](row.status),
    )]
    if not fmt.is_missing(row.probability):
        parts.append(W("finding_probability", lang, p=fmt.probability_phrase(row.probability, lang)))
    decider = decided_by(row, ctx["domains"], lang)
    if fix is None:
        parts.append(W("finding_no_lever", lang, decider=decider))
    else:
        unit = sc.param_unit(fix.parameter, "zh", ds.assumptions)  # the plan's unit; printed in lang
        label = sc.param_label(fix.parameter, lang, ds.assumptions)
        parts.append(W(
            "finding_lever", lang, lever=label, current=fmt.quantity(fix.current, unit, lang, units),
            value=fmt.quantity(fix.value, unit, lang, units), decider=decider,
        ))
        if abs(fix.cost_change_wan) >= 0.05:
            parts.append(W("finding_cost_change", lang, cost=fmt.quantity(fix.cost_change_wan, "万元", lang)))
        else:
            beds = fix.parameter.startswith("beds.")
            parts.append(W("finding_cost_none" if beds else "finding_cost_none_benefit", lang))
    return "".join(parts) if lang == "zh" else " ".join(parts).replace(" ;", ";")


def decision_sentence(row: Any, fix: Remedy | None, ctx: dict[str, Any], label: str | None = None) -> str:
    lang, ds = ctx["lang"], ctx["ds"]
    decider = decided_by(row, ctx["domains"], lang)
    label = label or ds.label(row.indicator, lang)
    if fix is None:
        return W("decision_new_measure", lang, label=label, year=int(row.year), decider=decider)
    unit = sc.param_unit(fix.parameter, "zh", ds.assumptions)  # the plan's unit; printed in lang
    return W("decision_lever", lang, lever=sc.param_label(fix.parameter, lang, ds.assumptions),
             value=fmt.quantity(fix.value, unit, lang, ds.units), label=label, year=int(row.year), decider=decider)


def status_sentence(scorecard: pd.DataFrame, lang: str, base_year: int) -> str:
    future = scorecard[scorecard["year"] > base_year]
    judged = future[future["status"].isin(JUDGED_STATUSES)]
    count = judged["status"].value_counts()
    good = int(count.get("on_track", 0) + count.get("met", 0) + count.get("achieved", 0))
    return W("finding_status", lang, n=len(judged), off=int(count.get("off_track", 0)),
             risk=int(count.get("at_risk", 0)), good=good, other=len(future) - len(judged))


def cost_sentences(budget_table: pd.DataFrame, not_costed: list[str], lang: str, programme_name: Any) -> tuple[str, str]:
    """(finding, decision) about the 2021–2025 cost."""
    total = vt.total_rows(budget_table)
    if total.empty or len(budget_table) < 2:  # only the total row: nothing costed
        return W("finding_cost_none_costed", lang), ""
    row = total.iloc[0]
    missing = fmt.join([programme_name(p) for p in not_costed], lang) if not_costed else ""
    finding = W("finding_cost", lang, total=fmt.quantity(row["total"], "万元", lang),
                inc=fmt.quantity(row["increment"], "万元", lang))
    if missing:
        finding += W("finding_cost_partial", lang, missing=missing)
    decision = W("decision_budget", lang, total=fmt.quantity(row["total"], "万元", lang),
                 inc=fmt.quantity(row["increment"], "万元", lang))
    return finding, decision


def summarise(data: Any, ctx: dict[str, Any]) -> Summary:
    """Findings (3–5) and decisions from a prepared report; one decision per lever value (two targets met
    by the same lever setting make one decision naming both)."""
    res, ds, lang = data.resolved, ctx["ds"], ctx["lang"]
    base_total = _plan_total(data.result)
    findings: list[str] = []
    grouped: dict[Any, list[Any]] = {}
    for row in problems(data.scorecard, res.scenario.base_year).head(MAX_PROBLEMS).itertuples():
        fix = remedy(res, ds, row, base_total) if not math.isnan(row.projected) else None
        findings.append(problem_sentence(row, fix, ctx))
        key = (fix.parameter, round(fix.value, 6)) if fix is not None else ("new", row.indicator, row.year)
        grouped.setdefault(key, []).append((row, fix))
    decisions = []
    for items in grouped.values():
        row, fix = items[0]
        if len(items) > 1:
            label = fmt.join([ds.label(r.indicator, lang) for r, _ in items], lang)
            decisions.append(decision_sentence(row, fix, ctx, label=label))
        else:
            decisions.append(decision_sentence(row, fix, ctx))
    findings.append(status_sentence(data.scorecard, lang, res.scenario.base_year))
    cost, budget_decision = cost_sentences(data.budget_table, list(data.result.budget_notes), lang, ctx["programme"])
    findings.append(cost)
    if budget_decision:
        decisions.append(budget_decision)
    if not data.quality.empty and (data.quality["level"] == "error").any():
        decisions.append(W("decision_data", lang, n=int((data.quality["level"] == "error").sum())))
    if len(decisions) == (1 if budget_decision else 0):
        decisions.insert(0, W("decision_keep", lang))
    return Summary(tuple(findings), tuple(decisions))
