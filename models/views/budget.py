"""What the 财政成本 (budget) page shows, built from model results: pure, no streamlit, ids not labels.

Every frame keeps column and programme ids (``cost_wan_yuan``, ``dibao_urban``, ``total``); the page
translates headers through the locale (``budget.col_<id>``, ``budget.level_<id>``) and names programmes from
the label registry (:func:`models.labels.title`, kind ``programme``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from models import budget as bu
from models.views import totals as vt
from models.views.calendar import PLAN_END_YEAR

LEVELS = ("central_wan_yuan", "municipal_wan_yuan", "district_wan_yuan")
MONEY_RESOLUTION = 0.5  # 万元: a sum below this in absolute value shows as "0 万元"
NUMBER_FORMATS = {"wan_yuan": "%.1f", "persons": "%.0f", "ratio": "%.3f", "pct": "%.1f"}
NUMBER_COLUMNS = {
    "wan_yuan": ("cost_wan_yuan", "cost_real_wan_yuan", "reference_cost_wan_yuan", "incremental_wan_yuan",
                 "standard_yuan_month", *LEVELS),
    "persons": ("recipients",),
    "ratio": ("payment_ratio", "index"),
    "pct": ("cpi_pct",),
}


def column_format(column: str) -> str | None:
    """printf-style display format of a budget column id (``%.1f`` for 万元), None for text columns."""
    return next((NUMBER_FORMATS[kind] for kind, columns in NUMBER_COLUMNS.items() if column in columns), None)


def plan_window(years: Any) -> tuple[int, int]:
    """First projected year (the year after the base) and the plan's last year: (2021, 2025)."""
    return int(years[1]), PLAN_END_YEAR


def in_years(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Rows of ``frame`` with ``first <= year <= last``."""
    return frame[(frame["year"] >= first) & (frame["year"] <= last)]


def period_totals(costs: pd.DataFrame, real: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Per programme and ``total``: nominal and real (base-year prices) cost over ``first..last`` (万元).

    ``real``: ``costs`` with ``cost_real_wan_yuan`` (``models.prices.real_terms``).
    """
    nominal = bu.totals(costs, first, last)
    in_real = bu.totals(real.assign(cost_wan_yuan=real["cost_real_wan_yuan"]), first, last)
    return nominal.merge(in_real.rename(columns={"cost_wan_yuan": "cost_real_wan_yuan"}), on="programme", how="left")


def increment(costs: pd.DataFrame, reference: pd.DataFrame, first: int, last: int) -> dict[str, Any]:
    """Scenario minus reference: ``table`` (``models.budget.incremental``, every year, with ``total``
    rows), ``bars`` (programmes only; ``cost_wan_yuan`` = the increment, for the stacked bars) and
    ``total`` (the increment summed over ``first..last``, 万元)."""
    table = bu.incremental(costs, reference)
    bars = vt.programme_rows(table).rename(
        columns={"cost_wan_yuan": "scenario_wan_yuan", "incremental_wan_yuan": "cost_wan_yuan"})
    return {"table": table, "bars": bars, "total": vt.total_value(bu.totals(bars, first, last))}


def level_split(costs: pd.DataFrame, share_central_pct: float, share_municipal_pct: float,
                first: int, last: int) -> dict[str, pd.DataFrame]:
    """Cost by paying level: ``long`` (year, programme, level id, value) for the bars and ``totals`` (per
    programme and ``total`` over ``first..last``, one column per level). ShapanError if the shares do
    not fit in 100 %."""
    split = bu.split_by_level(costs, share_central_pct, share_municipal_pct)
    totals = bu.split_by_level(bu.totals(costs, first, last), share_central_pct, share_municipal_pct)
    long = split.melt(id_vars=["year", "programme"], value_vars=list(LEVELS), var_name="level")
    return {"long": long, "totals": totals}


def basis_rows(budget_inputs: dict[str, dict[str, Any]], lang: str) -> pd.DataFrame:
    """One row per costed programme: recipients, payment ratio, payments a year and the basis sentence
    (``models.engine`` budget inputs) in ``lang``; programme ids."""
    rows = [{"programme": p, "recipients": v["recipients"], "payment_ratio": v["payment_ratio"],
             "payments_per_year": v["per_year"], "basis": v["basis_zh" if lang == "zh" else "basis_en"]}
            for p, v in budget_inputs.items()]
    return pd.DataFrame(rows, columns=["programme", "recipients", "payment_ratio", "payments_per_year", "basis"])


def rounds_to_zero(value: float | None) -> bool:
    """Whether a 万元 sum prints as 0 (below :data:`MONEY_RESOLUTION` in absolute value)."""
    return value is not None and abs(value) < MONEY_RESOLUTION
