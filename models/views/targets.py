"""The targets page's selections (目标可达性): which targets goal-seek offers, which get a fan chart.

Pure (no streamlit): the page passes the target registry (``models.target_modes.evaluate``) and, for
goal-seek, a function telling which levers move a target (the page's cached
``models.targets.moving_levers``).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def future_modelled(frame: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Modelled targets after the base year."""
    return frame[(frame["mode"] == "modelled") & (frame["year"] > base_year)]


def goal_seek_candidates(frame: pd.DataFrame, base_year: int,
                         moving: Callable[[str, int], list[str]]) -> pd.DataFrame:
    """Modelled, unquarantined targets after the base year that at least one lever moves (one row each)."""
    rows = future_modelled(frame, base_year)
    rows = rows[~rows["quarantined"].astype(bool)]
    keep = [bool(moving(r.indicator, int(r.year))) for r in rows.itertuples()]
    return rows[keep].drop_duplicates(["indicator", "year"])


def fan_rows(frame: pd.DataFrame, base_year: int, drawn: list[str]) -> pd.DataFrame:
    """One future modelled target per drawn indicator (the fan chart's target point)."""
    rows = future_modelled(frame, base_year)
    return rows[rows["indicator"].isin(drawn)].drop_duplicates("indicator")


def probability_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Targets with a P(met) (a draw the deterministic run cannot project is NaN: no P), not quarantined."""
    return frame[frame["probability"].notna() & ~frame["quarantined"].astype(bool)]
