"""What a budget total contains: the costed programmes and, for each one not costed, why.

Every total the app shows (overview card, budget page, compare, reports, CLI JSON) carries this statement,
e.g. ``合计（含：城市低保、农村低保、特困供养、临时救助；未含：孤儿基本生活（规划未公布十三五支出和人次，也未
公布人数）…）``. A total that contains nothing is not a total: :func:`total_or_none` returns ``None`` (shown as
"未测算"), never 0.

Reasons are read from the data the engine calibrates on (:data:`models.budget_stage.PROGRAMME_SOURCES`):

* ``no_standard``: the plan publishes no 低保 standards, so there is no standard to cost;
* ``combined``: the plan prints one spending figure for urban and rural 低保 together;
* ``implausible_ratio``: spending ÷ (人次 × standard) is implausible under both readings of 人次;
* ``no_person_times``: spending printed but no 人次 or caseload;
* ``not_published``: neither 13th-FYP spending and 人次 nor a caseload.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from models import benefits_stage, budget_stage, engine, labels, tekun_tiers
from models import budget as bu
from models.data import Dataset
from models.resolve import BASE_YEAR, figure
from models.views import totals as vt

REASONS = {
    "no_standard": ("规划未公布低保标准", "the plan publishes no 低保 standard"),
    "combined": ("规划只公布城乡合计支出，已按城乡合计测算",
                 "the plan prints urban and rural together; costed combined"),
    "implausible_ratio": ("十三五支出÷(人次×标准)在两种人次口径下均不合理",
                          "13th-FYP spend ÷ (人次 × standard) is implausible under both readings of 人次"),
    "no_person_times": ("规划公布了十三五支出但未公布人次或人数", "13th-FYP spending printed but no 人次 or caseload"),
    "not_published": ("规划未公布十三五支出和人次，也未公布人数",
                      "the plan prints neither 13th-FYP spending and 人次 nor a caseload"),
    "in_topdown": ("已含在自上而下的社会救助合计中", "inside the top-down social-assistance total"),
    "tiers_need_caseload": ("规划给出分档标准但未公布各档人数",
                            "the plan gives tiered standards but no caseload per tier"),
}


def name(programme: str, lang: str = "zh") -> str:
    return labels.programme(programme, lang)


def reason_code(ds: Dataset, district: str, programme: str, budget_reasons: dict[str, str] | None = None) -> str:
    """Why ``programme`` is not costed for ``district`` (a key of :data:`REASONS`)."""
    if budget_reasons and programme in budget_reasons:
        return budget_reasons[programme]
    spend_id, times_id, std_col, _ = budget_stage.PROGRAMME_SOURCES.get(programme, ("", "", None, ""))
    ind = ds.indicators_for(district)
    has = lambda i: bool(i) and figure(ind, i, BASE_YEAR) is not None  # noqa: E731
    if std_col and std_col.startswith("dibao") and not benefits_stage.has_benefits(ds, district):
        return "no_standard"
    if programme == tekun_tiers.PROGRAMME:
        return "tiers_need_caseload"
    if has(spend_id) and has(times_id):
        return "implausible_ratio"
    if has(spend_id):
        return "no_person_times"
    return "not_published"


def coverage(result: engine.RunResult, ds: Dataset) -> dict[str, Any]:
    """``{"costed": [...], "not_costed": [{"programme", "reason", "reason_en", "code"}], "total_is_partial"}``.

    ``total_is_partial`` is true when a programme is missing for a reason other than being inside a
    top-down total, or when nothing is costed at all."""
    costed = vt.programmes(result.budget)
    extra = result.budget_reasons
    missing = []
    for programme in result.budget_notes:
        code = reason_code(ds, result.resolved.district, programme, extra)
        zh, en = REASONS[code]
        if code == "tiers_need_caseload" and (tiers := tekun_tiers.missing(result.resolved, ds)):
            zh, en = f"{zh}；{tekun_tiers.missing_text(tiers, 'zh')}", f"{en}; {tekun_tiers.missing_text(tiers, 'en')}"
        missing.append({"programme": programme, "reason": zh, "reason_en": en, "code": code})
    partial = bool(missing) and any(m["code"] != "in_topdown" for m in missing)
    return {"costed": costed, "not_costed": missing, "total_is_partial": partial or not costed}


def label(cov: dict[str, Any], lang: str = "zh") -> str:
    """``合计（含：…；未含：…）`` / ``Total (includes: …; excludes: …)``."""
    sep = "、" if lang == "zh" else ", "
    inc = sep.join(name(p, lang) for p in cov["costed"]) or ("无" if lang == "zh" else "none")
    exc = sep.join(
        f"{name(m['programme'], lang)}（{m['reason']}）" if lang == "zh" else f"{name(m['programme'], lang)} "
        f"({m['reason_en']})"
        for m in cov["not_costed"]
    )
    if lang == "zh":
        return f"合计（含：{inc}" + (f"；未含：{exc}" if exc else "") + "）"
    return f"Total (includes: {inc}" + (f"; excludes: {exc}" if exc else "") + ")"


def total_or_none(costs: pd.DataFrame, start: int, end: int) -> float | None:
    """The total over ``start..end`` in 万元, or ``None`` when nothing is costed (shown as 未测算, never 0)."""
    if costs.empty:
        return None
    value = vt.total_value(bu.totals(costs, start, end))
    return None if math.isnan(value) else value
