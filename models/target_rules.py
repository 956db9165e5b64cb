"""Status rules shared by :mod:`models.targets` (goal-seek, Monte Carlo) and :mod:`models.target_modes`
(modes and statuses of every target): whether a value meets a target, the required growth, the status of
a projected value, the status vocabulary and its problem-first order. Pure; imports nothing of models.

Status of a projected value (:func:`status_of`):

* deterministic: the projection meets the target → ``met`` if the baseline already meets it too, else
  ``on_track``; misses by at most :data:`AT_RISK_MARGIN` of the target → ``at_risk``; else ``off_track``;
* with Monte Carlo (``probability`` given): P ≥ 0.8 → ``on_track`` (``met`` if the baseline meets it),
  0.4 ≤ P < 0.8 → ``at_risk``, P < 0.4 → ``off_track``.

Required growth is the constant yearly change from the latest baseline that reaches the target:
``((target / baseline) ** (1 / years) - 1) × 100`` (%/年).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from models.errors import ShapanError

AT_RISK_MARGIN = 0.05
P_ON_TRACK, P_AT_RISK = 0.8, 0.4
# future targets; past targets (year ≤ base year); then needs_input and not_modelled (models.target_modes)
STATUSES = ("met", "on_track", "at_risk", "off_track", "achieved", "missed", "needs_input", "not_modelled")
STATUS_ORDER = ("off_track", "missed", "at_risk", "quarantined", "needs_input", "on_track", "met", "achieved",
                "not_modelled")  # display order: problems first (quarantined rows show apart)


TARGET_COLUMNS = [
    "indicator",
    "year",
    "target",
    "comparator",
    "binding",
    "baseline",
    "baseline_year",
    "projected",
    "status",
    "required_growth",
    "gap",
    "probability",
    "unit",
    "source",
    "locator",
    "published",
]


def sort_by_status(targets: pd.DataFrame) -> pd.DataFrame:
    """Problems first (:data:`STATUS_ORDER`), later target years first within each."""
    column = "display_status" if "display_status" in targets else "status"
    rank = targets[column].map({s: i for i, s in enumerate(STATUS_ORDER)}).fillna(len(STATUS_ORDER))
    order = pd.DataFrame({"rank": rank, "year": -targets["year"]}).sort_values(["rank", "year"], kind="stable").index
    return targets.loc[order].reset_index(drop=True)


def meets(value: Any, comparator: str, target: float) -> Any:
    """Whether ``value`` satisfies ``comparator target`` (arrays welcome; ``=`` within 0.5 %)."""
    value = np.asarray(value, dtype=float)
    if comparator == ">=":
        return value >= target - 1e-9
    if comparator == "<=":
        return value <= target + 1e-9
    if comparator == "=":
        return np.abs(value - target) <= 0.005 * max(abs(target), 1e-9)
    raise ShapanError("generic", detail=f"comparator {comparator!r} cannot be evaluated")


def required_growth_pct(baseline: float, target: float, years: int) -> float:
    if years <= 0 or not baseline or baseline <= 0 or target <= 0:
        return math.nan
    return ((target / baseline) ** (1 / years) - 1) * 100


def status_of(
    baseline: float, projected: float, target: float, comparator: str, probability: float | None = None
) -> str:
    """Status rule of the module docstring."""
    if math.isnan(projected):
        return "not_modelled"
    base_meets = not math.isnan(baseline) and bool(meets(baseline, comparator, target))
    if probability is not None and not math.isnan(probability):
        if probability >= P_ON_TRACK:
            return "met" if base_meets else "on_track"
        return "at_risk" if probability >= P_AT_RISK else "off_track"
    if meets(projected, comparator, target):
        return "met" if base_meets else "on_track"
    shortfall = abs(projected - target) / max(abs(target), 1e-9)
    return "at_risk" if shortfall <= AT_RISK_MARGIN else "off_track"
