"""The budget stage of a run (:mod:`models.engine`): caseloads and payment ratios, then programme costs.

Budget inputs come from each plan's 13th-FYP review (累计2016–2020 spending and 人次): the person-time
unit is inferred (:func:`models.budget.infer_person_time_unit`), which gives the average caseload and the
payment ratio; where a plan publishes a caseload instead, that is used with the assumed payment ratio.
What a plan prints beyond that is added by :mod:`models.budget_plan`. Programmes with neither are listed
as not costed. :class:`BudgetParams` declares every scenario key the stage reads (:mod:`models.params`);
the stage is cached by it and by the benefits stage's parameters (the standards it costs).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from models import budget as bu
from models import budget_plan
from models.data import Dataset
from models.params import build, declared, reads, scenario_field
from models.resolve import BASE_YEAR, HISTORY_START, Resolved, figure

PROGRAMME_SOURCES = {  # programme -> (spend id, person-times id, standard column or None, recipients id)
    "dibao_urban": ("dibao_urban_spending_13fyp", "dibao_urban_person_times_13fyp", "dibao_urban_standard", ""),
    "dibao_rural": ("dibao_rural_spending_13fyp", "dibao_rural_person_times_13fyp", "dibao_rural_standard", ""),
    "tekun": ("tekun_spending_13fyp", "tekun_person_times_13fyp", "tekun_standard", "tekun_recipients"),
    "orphan": (
        "orphan_allowance_spending_13fyp",
        "orphan_allowance_person_times_13fyp",
        "orphan_standard",
        "orphan_recipients",
    ),
    "temporary_aid": ("temporary_aid_spending_13fyp", "temporary_aid_person_times_13fyp", None, ""),
    "elderly_subsidy": ("elderly_subsidy_spending_13fyp", "elderly_subsidy_person_times_13fyp", None, ""),
}


@dataclass(frozen=True, kw_only=True)
class BudgetParams:
    """Everything the budget stage reads from the scenario (caseloads NaN = not entered)."""

    district: str = scenario_field("district")
    base_year: int = scenario_field("base_year")
    end_year: int = scenario_field("end_year")
    payment_ratio: float = reads("budget.payment_ratio")
    dibao_urban_recipients: float = reads("budget.dibao_urban_recipients")
    dibao_rural_recipients: float = reads("budget.dibao_rural_recipients")
    tekun_recipients: float = reads("budget.tekun_recipients")
    orphan_recipients: float = reads("budget.orphan_recipients")
    recipients_growth_pct: float = reads("budget.recipients_growth_pct")
    dibao_urban_growth_pct: float = reads("benefits.dibao_urban_growth_pct")
    dibao_urban_recipient_share_pct: float = reads("budget.dibao_urban_recipient_share_pct")
    tekun_care_disabled_recipients: float = reads("budget.tekun_care_disabled_recipients")
    tekun_care_semidisabled_recipients: float = reads("budget.tekun_care_semidisabled_recipients")
    tekun_care_selfcare_recipients: float = reads("budget.tekun_care_selfcare_recipients")
    user_set: frozenset[str] = frozenset()  # derived: the field names whose value the user set

    @property
    def years(self) -> list[int]:
        return list(range(self.base_year, self.end_year + 1))

    def recipients(self, programme: str) -> float:
        """The entered caseload of ``programme`` (NaN when not entered or not an input)."""
        return getattr(self, f"{programme}_recipients", math.nan)

    def user(self, name: str) -> bool:
        return name in self.user_set


def budget_params(res: Resolved) -> BudgetParams:
    user = frozenset(name for name, k in declared(BudgetParams).items() if res.provenance.get(k) == "user")
    return build(BudgetParams, res, user_set=user)


@cache
def _cached_figure(ds: Dataset, district: str, indicator: str, year: int) -> pd.Series | None:
    return figure(ds.indicators_for(district), indicator, year)


def _calibrated(p: BudgetParams, fig: Any, paths: pd.DataFrame, prog: str, std_col: str, spend: Any,
                times: Any) -> dict[str, Any] | None:
    """Caseload and payment ratio inferred from the 13th-FYP spending and 人次 (None when not inferable)."""
    start = next(
        (
            float(r["value"])
            for r in (fig(i, HISTORY_START) for i in (std_col, std_col.replace("_standard", "_urban_standard")))
            if r is not None
        ),
        None,
    )
    end = float(paths[std_col].iloc[0])
    mean_std = end if start is None else bu.period_mean_standard_yuan_month(start, end, BASE_YEAR - HISTORY_START)
    if spend is None or times is None:
        return None
    inf = bu.infer_person_time_unit(float(spend["value"]), float(times["value"]), mean_std)
    if inf.unit is None:
        return None
    caseload = inf.recipients_person_year if inf.unit == "person-year" else inf.recipients_person_month
    return {"recipients": caseload, "payment_ratio": inf.payment_ratio, "per_year": 12,
            "standard": paths[std_col].to_numpy(float), "basis_zh": inf.explanation_zh,
            "basis_en": inf.explanation_en}


def _entered(p: BudgetParams, fig: Any, paths: pd.DataFrame, prog: str, std_col: str,
             stock_id: str) -> dict[str, Any] | None:
    """The user's caseload, else the published stock, with the assumed payment ratio."""
    user = p.recipients(prog)
    stock = fig(stock_id, BASE_YEAR) if stock_id else None
    if math.isnan(user) and stock is None:
        return None
    source = "scenario" if not math.isnan(user) else f"{stock_id} {BASE_YEAR}"
    return {"recipients": user if not math.isnan(user) else float(stock["value"]), "payment_ratio": p.payment_ratio,
            "per_year": 12, "standard": paths[std_col].to_numpy(float),
            "basis_zh": f"人数取{source}；发放系数为假设值",
            "basis_en": f"recipients from {source}; payment ratio assumed"}


def _per_case(p: BudgetParams, spend: Any, times: Any) -> dict[str, Any]:
    """A programme paid per case (临时救助): 13th-FYP mean cases × amount per case, growing with urban 低保."""
    per_time = float(spend["value"]) * 10_000 / float(times["value"])
    growth = (1 + p.dibao_urban_growth_pct / 100) ** np.arange(len(p.years))
    cases = float(times["value"]) / 5
    return {"recipients": cases, "payment_ratio": 1.0, "per_year": 1, "standard": per_time * growth,
            "basis_zh": f"十三五年均{cases:,.0f}人次 × 每人次{per_time:,.0f}元（随城市低保标准增长）",
            "basis_en": f"{cases:,.0f} cases a year (13th-FYP mean) × {per_time:,.0f} 元 "
                        "per case, growing with the urban 低保 standard"}


def calibrate(p: BudgetParams, ds: Dataset, paths: pd.DataFrame) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Caseload, payment ratio and per-payment amount per programme, calibrated from the 13th-FYP review."""
    fig = functools.partial(_cached_figure, ds, p.district)  # the data never change within a process
    inputs: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for prog, (spend_id, times_id, std_col, stock_id) in PROGRAMME_SOURCES.items():
        if p.user(f"{prog}_recipients"):
            spend = times = None  # the user's caseload wins over the calibration
        else:
            spend, times = fig(spend_id, BASE_YEAR), fig(times_id, BASE_YEAR)
        value = None
        if std_col and std_col in paths and paths[std_col].notna().all():
            value = (_calibrated(p, fig, paths, prog, std_col, spend, times)
                     or _entered(p, fig, paths, prog, std_col, stock_id))
        elif std_col is None and spend is not None and times is not None and times["value"] > 0:
            value = _per_case(p, spend, times)
        if value is None:
            notes.append(prog)
        else:
            inputs[prog] = value
    return inputs, notes


def budget_inputs(res: Resolved, ds: Dataset, paths: pd.DataFrame) -> tuple[dict[str, dict[str, Any]], list[str]]:
    return calibrate(budget_params(res), ds, paths)


def costs(p: BudgetParams, ds: Dataset, paths: pd.DataFrame) -> tuple[pd.DataFrame, dict, list[str],
                                                                      dict[str, str]]:
    """(costs by programme and year, inputs, programmes not costed, reason codes) for given standard paths."""
    inputs, notes = calibrate(p, ds, paths)
    inputs, notes, reasons = budget_plan.plan_inputs(p, ds, paths, inputs, notes)
    growth = p.recipients_growth_pct
    recipients = {
        prog: bu.recipients_path(v["recipients"], growth if p.user("recipients_growth_pct")
                                 else v.get("growth_pct", growth), p.years)
        for prog, v in inputs.items()
    }
    frame = bu.programme_costs(
        p.years,
        recipients,
        {prog: v["standard"] for prog, v in inputs.items()},
        {prog: v["payment_ratio"] for prog, v in inputs.items()},
        {prog: v["per_year"] for prog, v in inputs.items()},
    )
    return frame, inputs, notes, reasons


def run_budget(res: Resolved, ds: Dataset, paths: pd.DataFrame) -> tuple[pd.DataFrame, dict, list[str],
                                                                        dict[str, str]]:
    return costs(budget_params(res), ds, paths)
