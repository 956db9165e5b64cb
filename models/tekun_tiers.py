"""特困 care allowance (照料护理补贴) in the plan's own tiers, costed once the caseload per tier is entered.

珠山's plan prints the monthly care allowance by care tier (第一章 第一节 第4段: 失能 1200, 半失能 300, 生活自理
70 元/人·月, rows ``tekun_care_standard_{disabled,semidisabled,selfcare}``) but not how many people are in
each tier. With the three caseloads (scenario keys ``budget.tekun_care_<tier>_recipients``; budget page
number inputs; ``[budget]`` in a scenario file for the CLI) the programme ``tekun_care`` is costed::

    cost(t) = Σ_tier n_tier × s_tier × 12 / 10,000   (万元)

entered to the model as one programme with recipients N = Σ n and the caseload-weighted standard Σ n s / N.
Standards are held at the printed (end-of-13th-FYP) values: the plan's 2025 targets are rules relative to
other standards (≥ 80 % / 20 % of the minimum wage, ≥ the severe-disability care subsidy), not amounts.
Caseloads follow ``budget.recipients_growth_pct`` (default flat). Until every tier has a caseload the
programme is not costed and the coverage statement names the missing tiers — never 0.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from models import labels
from models.data import Dataset
from models.resolve import BASE_YEAR, figure

TIERS = ("disabled", "semidisabled", "selfcare")  # labels: models/labels [tier]
PROGRAMME = "tekun_care"


def key(tier: str) -> str:
    return f"budget.tekun_care_{tier}_recipients"


KEYS = tuple(key(t) for t in TIERS)


def standards(ds: Dataset, district: str) -> dict[str, float]:
    """The printed monthly allowance per tier (元/人·月); empty when the plan gives no tiers."""
    ind = ds.indicators_for(district)
    out = {}
    for tier in TIERS:
        row = figure(ind, f"tekun_care_standard_{tier}", BASE_YEAR)
        if row is not None and not math.isnan(float(row["value"])):
            out[tier] = float(row["value"])
    return out if len(out) == len(TIERS) else {}


def caseloads(res: Any) -> dict[str, float]:
    """Entered caseload per tier (NaN = not entered)."""
    return {tier: float(res.values.get(key(tier), math.nan)) for tier in TIERS}


def missing(res: Any, ds: Dataset) -> list[str]:
    """Tiers whose caseload is still needed (empty when complete or when the plan has no tiers)."""
    if not standards(ds, res.district):
        return []
    return [tier for tier, n in caseloads(res).items() if math.isnan(n)]


def missing_text(tiers: list[str], lang: str = "zh") -> str:
    """``请输入2020年特困人员各护理档人数：失能、半失能`` / ``enter the 2020 caseload of: …``."""
    if lang == "zh":
        return "请输入2020年特困人员护理档人数：" + "、".join(labels.label("tier", t, "zh", strict=True) for t in tiers)
    return "enter the 2020 特困 caseload of: " + ", ".join(labels.label("tier", t, "en", strict=True) for t in tiers)


def budget_input(p: Any, ds: Dataset) -> dict[str, Any] | None:
    """The ``tekun_care`` budget input when the plan has tiers and every caseload is entered, else None
    (``p``: :class:`models.budget_stage.BudgetParams`, which declares the tier caseload keys)."""
    stds = standards(ds, p.district)
    n = {tier: float(getattr(p, key(tier).split(".")[1])) for tier in TIERS}
    if not stds or any(math.isnan(v) for v in n.values()):
        return None
    total = sum(n.values())
    weighted = sum(n[t] * stds[t] for t in TIERS) / total if total > 0 else 0.0
    names = {t: labels.pair("tier", t, strict=True) for t in TIERS}
    parts_zh = "、".join(f"{names[t][0]}{n[t]:,.0f}人×{stds[t]:g}元" for t in TIERS)
    parts_en = ", ".join(f"{names[t][1]} {n[t]:,.0f} × {stds[t]:g} 元" for t in TIERS)
    return {
        "recipients": total,
        "payment_ratio": 1.0,
        "per_year": 12,
        "standard": np.full(len(p.years), weighted),
        "basis_zh": f"规划分档护理标准×输入的各档人数：{parts_zh}（每月，按十三五末标准持平；人数按人数年变化率）",
        "basis_en": f"the plan's tiered care allowance × the caseloads entered: {parts_en} (a month, held at "
                    "the end-of-13th-FYP amounts; caseloads follow the recipients-change lever)",
    }
