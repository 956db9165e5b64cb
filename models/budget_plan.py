"""Budget inputs from what a plan prints beyond spending + 人次 by programme (:func:`models.budget_stage.calibrate`).

* **Combined 低保** (武隆: 累计发放低保金5.3亿元, 2020 城乡低保对象15463人, 较2015年下降23%): recipients are
  split urban/rural by ``budget.dibao_urban_recipient_share_pct`` (an assumption, labelled); the payment
  ratio is calibrated on the 2016–2020 total with recipients interpolated geometrically from the 2015
  count (2020 ÷ (1 − decline)) and both standards interpolated from 2015 to 2020::

      ratio = spend × 10,000 / Σ_{t=2016..2020} recipients(t) × 12 × (s × urban(t) + (1 − s) × rural(t))

  The caseload follows the printed 2015→2020 trend (−23 % over five years ≈ −5.1 %/yr).
* **Spending without 人次** (巴南 老年人补贴 3,871 万元): the 2016–2020 annual mean, flat in nominal terms.
* **特困 care in the plan's tiers** (珠山 1200/300/70 元): :mod:`models.tekun_tiers`, costed once the caseload
  of every tier is entered; until then not costed (reason ``tiers_need_caseload``, naming the tiers).
* **Top-down social-assistance total** (巴南 累计发放各类救助金超6亿元, no split by programme): the annual
  mean (a lower bound: 超) growing with the urban 低保 standard; 低保, 特困, 临时救助 and 孤儿 are then inside
  it (coverage reason ``in_topdown``), not missing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from models import tekun_tiers
from models.data import Dataset
from models.resolve import BASE_YEAR, HISTORY_START, figure

YEARS_13FYP = BASE_YEAR - HISTORY_START  # 5
TOPDOWN_PARTS = ("dibao_urban", "dibao_rural", "tekun", "temporary_aid", "orphan")
FLAT_NOTE = ("人数默认按2020年水平持平（规划未公布2015年人数，无法得出趋势；可调“救助对象人数年变化率”）。",
             " Caseload held at 2020 by default (no 2015 caseload printed, so no trend; see the recipients-change "
             "lever).")


def _value(ind: pd.DataFrame, indicator: str, year: int = BASE_YEAR) -> float | None:
    row = figure(ind, indicator, year)
    return None if row is None else float(row["value"])


def _geometric(start: float, end: float, n: int) -> np.ndarray:
    """Values at steps 1..n of a geometric path from ``start`` (step 0) to ``end`` (step n)."""
    return start * (end / start) ** (np.arange(1, n + 1) / n)


def combined_dibao(p: Any, ds: Dataset, paths: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Urban and rural 低保 inputs from a combined spending total and caseload (empty if not printed)."""
    ind = ds.indicators_for(p.district)
    spend, persons = _value(ind, "dibao_spending_13fyp"), _value(ind, "dibao_recipients")
    decline = _value(ind, "dibao_recipients_decline_2015_2020")
    stds = {k: (_value(ind, f"dibao_{k}_standard", HISTORY_START), _value(ind, f"dibao_{k}_standard"))
            for k in ("urban", "rural")}
    if None in (spend, persons, decline) or any(None in v for v in stds.values()):
        return {}
    if not {"dibao_urban_standard", "dibao_rural_standard"} <= set(paths.columns):
        return {}
    share = p.dibao_urban_recipient_share_pct / 100.0
    start = persons / (1 - decline / 100.0)
    caseload = _geometric(start, persons, YEARS_13FYP)
    urban = _geometric(*stds["urban"], YEARS_13FYP)
    rural = _geometric(*stds["rural"], YEARS_13FYP)
    paid = float(np.sum(caseload * 12 * (share * urban + (1 - share) * rural)))
    ratio = spend * 10_000 / paid
    growth = ((persons / start) ** (1 / YEARS_13FYP) - 1) * 100
    out = {}
    for key, part in (("urban", share), ("rural", 1 - share)):
        out[f"dibao_{key}"] = {
            "recipients": persons * part,
            "payment_ratio": ratio,
            "per_year": 12,
            "standard": paths[f"dibao_{key}_standard"].to_numpy(float),
            "growth_pct": growth,
            "basis_zh": (f"城乡合计：十三五累计{spend:,.0f}万元、2020年{persons:,.0f}人（较2015年下降{decline:g}%）；"
                         f"按城市{share * 100:.1f}%/农村{(1 - share) * 100:.1f}%拆分（假设）；发放系数{ratio:.2f}；"
                         f"人数按十三五趋势{growth:+.1f}%/年"),
            "basis_en": (f"combined: 13th-FYP {spend:,.0f} 万元, {persons:,.0f} recipients in 2020 (−{decline:g}% vs "
                         f"2015); split urban {share * 100:.1f}% / rural {(1 - share) * 100:.1f}% (assumption); "
                         f"payment ratio {ratio:.2f}; caseload trend {growth:+.1f}%/yr"),
        }
    return out


def spend_only(ds: Dataset, district: str, spend_id: str, n_years: int) -> dict[str, Any] | None:
    """A programme with 13th-FYP spending but no 人次: its annual mean, flat (payments_per_year = 1)."""
    spend = _value(ds.indicators_for(district), spend_id)
    if spend is None:
        return None
    annual = spend * 10_000 / YEARS_13FYP
    return {
        "recipients": 1.0, "payment_ratio": 1.0, "per_year": 1, "standard": np.full(n_years, annual),
        "basis_zh": f"十三五累计{spend:,.0f}万元 ÷ 5 = 每年{annual / 10_000:,.0f}万元（未公布人次，按名义金额持平）",
        "basis_en": f"13th-FYP {spend:,.0f} 万元 ÷ 5 = {annual / 10_000:,.0f} 万元 a year "
                    "(no 人次 printed; flat nominal)",
    }


def topdown(ds: Dataset, district: str, paths: pd.DataFrame) -> dict[str, Any] | None:
    """All assistance as one programme from a printed 13th-FYP total, growing with the urban 低保 standard."""
    spend = _value(ds.indicators_for(district), "social_assistance_spending_13fyp")
    if spend is None or "dibao_urban_standard" not in paths or paths["dibao_urban_standard"].isna().any():
        return None
    urban = paths["dibao_urban_standard"].to_numpy(float)
    annual = spend * 10_000 / YEARS_13FYP
    return {
        "recipients": 1.0, "payment_ratio": 1.0, "per_year": 1, "standard": annual * urban / urban[0],
        "basis_zh": f"自上而下：十三五累计发放各类救助金超{spend:,.0f}万元（下限）÷ 5，随城市低保标准增长",
        "basis_en": f"top-down: 13th-FYP assistance of more than {spend:,.0f} 万元 (lower bound) ÷ 5, growing with "
                    "the urban 低保 standard",
    }


def plan_inputs(p: Any, ds: Dataset, paths: pd.DataFrame, inputs: dict[str, dict[str, Any]],
                notes: list[str]) -> tuple[dict[str, dict[str, Any]], list[str], dict[str, str]]:
    """Add what the plan prints to the calibrated inputs (``p``: :class:`models.budget_stage.BudgetParams`);
    returns (inputs, not costed, reason codes)."""
    inputs, notes, reasons = dict(inputs), list(notes), {}
    user = {prog for prog in notes if p.user(f"{prog}_recipients")}
    for prog, value in combined_dibao(p, ds, paths).items():
        if prog in notes and prog not in user:
            inputs[prog] = value
            notes.remove(prog)
    n = len(p.years)
    if "elderly_subsidy" in notes and (value := spend_only(ds, p.district, "elderly_subsidy_spending_13fyp", n)):
        inputs["elderly_subsidy"] = value
        notes.remove("elderly_subsidy")
    for prog, value in inputs.items():
        if "growth_pct" not in value and value.get("per_year") == 12:  # a caseload with no printed trend
            inputs[prog] = {**value,
                            "basis_zh": value["basis_zh"] + FLAT_NOTE[0], "basis_en": value["basis_en"] + FLAT_NOTE[1]}
    if tekun_tiers.standards(ds, p.district):  # the plan prints tiered care allowances (珠山)
        value = tekun_tiers.budget_input(p, ds)
        if value is None:
            notes.append(tekun_tiers.PROGRAMME)
            reasons[tekun_tiers.PROGRAMME] = "tiers_need_caseload"
        else:
            inputs[tekun_tiers.PROGRAMME] = value
    parts = [p for p in TOPDOWN_PARTS if p in notes]
    if parts and not any(p in inputs for p in TOPDOWN_PARTS):  # no bottom-up part: no double counting
        value = topdown(ds, p.district, paths)
        if value is not None:
            inputs["social_assistance_topdown"] = value
            reasons.update(dict.fromkeys(parts, "in_topdown"))
    return inputs, notes, reasons
