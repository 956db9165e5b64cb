"""The ``total`` row of a budget frame (``programme == models.budget.TOTAL``), dug out in one place.

``models.budget.totals`` and ``incremental`` return one row per programme plus a ``total`` row; callers
want either that row's value or the programmes without it.
"""

from __future__ import annotations

import math

import pandas as pd

from models.budget import TOTAL


def is_total(frame: pd.DataFrame) -> pd.Series:
    """Boolean mask of the ``total`` rows of a frame with a ``programme`` column."""
    return frame["programme"] == TOTAL


def total_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The ``total`` rows (one per year in a yearly frame, one in a period total)."""
    return frame[is_total(frame)]


def programme_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without its ``total`` rows."""
    return frame[~is_total(frame)]


def programmes(frame: pd.DataFrame) -> list[str]:
    """Programme ids in the frame, in order of first appearance, without ``total``."""
    if frame.empty:
        return []
    return [p for p in dict.fromkeys(frame["programme"]) if p != TOTAL]


def total_value(frame: pd.DataFrame, column: str = "cost_wan_yuan", default: float = math.nan) -> float:
    """The value of ``column`` in the single ``total`` row (``default`` when the frame has none).

    Raises ``ValueError`` when there is more than one ``total`` row (a yearly frame: use
    :func:`total_by_year`).
    """
    rows = total_rows(frame) if len(frame) else frame
    if len(rows) == 0:
        return default
    if len(rows) > 1:
        raise ValueError(f"{len(rows)} total rows: a yearly frame needs total_by_year")
    return float(rows[column].iloc[0])


def total_by_year(frame: pd.DataFrame, column: str = "cost_wan_yuan") -> pd.Series:
    """The ``total`` row's ``column`` by year (index ``year``)."""
    return total_rows(frame).set_index("year")[column]
