"""Both plans side by side: the 14th plan's result next to the 15th plan's draft, for one district.

Input: the end-of-term evaluation (:func:`models.evaluation.evaluate_term`, one row per 14th-plan target)
and the 2030 draft (:func:`models.draft.draft`, one row per drafted indicator). Output: one row per
indicator, in the evaluation's order, then draft-only indicators in the draft's order:

* 14th plan — the indicator's end-of-term target (the latest target year of the plan period, 2025; a
  mid-term 2021/2022 target only when the plan sets none later), its comparator, the actual, the result
  (``achieved`` / ``missed`` / ``needs_judgement`` / ``no_actual``) and the signed margin;
* 15th plan — the 2030 draft target, comparator, the base-year value it starts from, status, P(met),
  the 2026–2030 cost over the rebased baseline (万元; NaN where the programme is not costed or the
  indicator is a bed indicator) and the basis of the suggestion (trend / carried / norm / user);
* ``step`` — target_15 − target_14 when both are numeric with the same comparator (how far the new plan
  moves the bar), else NaN.

Indicators with neither an actual nor a draft are left out unless ``include_open`` (the evaluation table
lists them); :func:`omitted` counts them. Nothing is computed here beyond choosing rows and one
difference: every figure comes from the two tables it is given.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

COLUMNS = [
    "indicator", "unit", "binding",
    "year_14", "comparator_14", "target_14", "actual", "status_14", "margin_14",
    "comparator_15", "target_15", "base_15", "base_year_15", "status_15", "probability_15", "cost_2026_2030",
    "basis_15", "step",
]
OPEN_STATUSES = ("no_actual",)


def end_of_term(evaluation: pd.DataFrame) -> pd.DataFrame:
    """One evaluation row per indicator: its latest target year (first row of that year in data order)."""
    if evaluation.empty:
        return evaluation
    latest = evaluation.groupby("indicator", sort=False)["year"].transform("max")
    return evaluation[evaluation["year"] == latest].drop_duplicates("indicator", keep="first")


def _num(value: Any) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def _step(ev_row: Any, dr_row: Any) -> float:
    if ev_row is None or dr_row is None or ev_row["comparator"] != dr_row["comparator"]:
        return math.nan
    return _num(dr_row["target"]) - _num(ev_row["target"])


def _row(indicator: str, ev_row: Any, dr_row: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, math.nan)
    row["indicator"] = indicator
    source = ev_row if ev_row is not None else dr_row
    row["unit"] = source["unit"]
    row["binding"] = (ev_row["binding"] if ev_row is not None else "") or (
        dr_row["binding"] if dr_row is not None else "")
    if ev_row is not None:
        row.update(year_14=int(ev_row["year"]), comparator_14=ev_row["comparator"], target_14=_num(ev_row["target"]),
                   actual=_num(ev_row["actual"]), status_14=ev_row["status"], margin_14=_num(ev_row["margin"]))
    else:
        row.update(year_14=None, comparator_14="", status_14="")
    if dr_row is not None:
        cost = dr_row["cost_2026_2030"]
        row.update(comparator_15=dr_row["comparator"], target_15=_num(dr_row["target"]),
                   base_15=_num(dr_row["base_value"]), base_year_15=int(dr_row["base_year"]),
                   status_15=dr_row["status"], probability_15=_num(dr_row["probability"]),
                   cost_2026_2030=None if cost is None or pd.isna(cost) else float(cost), basis_15=dr_row["basis"])
    else:
        row.update(comparator_15="", base_year_15=None, status_15="", cost_2026_2030=None, basis_15="")
    row["step"] = _step(ev_row, dr_row)
    return row


def side_by_side(evaluation: pd.DataFrame, draft: pd.DataFrame, include_open: bool = False) -> pd.DataFrame:
    """The two plans for one district, one row per indicator (columns :data:`COLUMNS`)."""
    ends = end_of_term(evaluation)
    ev_rows = {r["indicator"]: r for _, r in ends.iterrows()}
    dr_rows = {r["indicator"]: r for _, r in draft.iterrows()}
    order = list(dict.fromkeys([*ev_rows, *dr_rows]))
    rows = [
        _row(i, ev_rows.get(i), dr_rows.get(i)) for i in order
        if include_open or i in dr_rows or ev_rows[i]["status"] not in OPEN_STATUSES
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def omitted(evaluation: pd.DataFrame, draft: pd.DataFrame) -> int:
    """How many 14th-plan indicators :func:`side_by_side` leaves out (no actual, no draft)."""
    ends = end_of_term(evaluation)
    drafted = set(draft["indicator"])
    return int((ends["status"].isin(OPEN_STATUSES) & ~ends["indicator"].isin(drafted)).sum())
