"""What the 养老床位 (beds) page shows, built from model results: pure, no streamlit, ids not labels.

The page maps every id returned here to its label through the locale (``beds.series_<id>``) or the label
registry (DES metrics: :mod:`models.labels`, kind ``des_metric``); nothing here is in a user's language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

HEADLINE = ("elderly_beds", "beds_per_1000_elderly", "nursing_bed_share", "social_operated_bed_share",
            "institution_occupancy_pct")
WHOLE = ("elderly_beds",)  # headline figures printed as whole beds; the others with one decimal
SUPPLY_DEMAND = ("elderly_beds", "institution_beds", "institution_residents", "bed_demand_normative",
                 "bed_demand_need")
PER_1000 = ("beds_per_1000_elderly",)
SHARES = ("nursing_bed_share", "social_operated_bed_share", "gov_operated_bed_share")
DES_METRICS = ("occupancy_pct", "waiting_list_mean", "p_wait", "mean_wait_years", "turned_away")
DES_NEEDED = ("occupancy_pct", "waiting_list_mean")
PROBABILITIES = ("p_wait",)  # DES metrics that are a probability 0–1 (axis as a percentage)
PLAN_COLUMNS = ("project", "year_open", "beds", "nursing_beds", "operator", "pipeline", "locator")
SUMMARY_COLUMNS = ("metric", "year", "mean", "ci_low", "ci_high", "ci_half_width", "std", "n")


def long_series(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` (one column per series, ``year``) as long rows (year, series id, value) for
    :func:`models.charts.lines`: only the ``columns`` the frame has with at least one value; missing
    values dropped."""
    present = [c for c in columns if c in frame and frame[c].notna().any()]
    long = frame.melt(id_vars="year", value_vars=present, var_name="series").dropna(subset=["value"])
    return long.reset_index(drop=True)


def headline(beds: pd.DataFrame, year: int) -> list[tuple[str, float, int]]:
    """The plan year's headline figures: (indicator, value, decimals) in :data:`HEADLINE` order."""
    row = beds.set_index("year").loc[year]
    return [(i, float(row[i]), 0 if i in WHOLE else 1) for i in HEADLINE]


def missing(value: Any) -> bool:
    """A resolved value the district does not publish (NaN): the page asks the user to enter it."""
    return isinstance(value, float) and math.isnan(value)


def metric_rows(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One DES metric's yearly summary rows (year, mean, ci_low, ci_high, …) from ``des.summarise``."""
    return summary[summary["metric"] == metric].reset_index(drop=True)


def metric_format(metric: str) -> str:
    """d3 format of a DES metric's axis: a probability as a percentage, the rest with one decimal."""
    return ".0%" if metric in PROBABILITIES else ",.1f"


def sweep_outcome(table: pd.DataFrame) -> dict[str, Any]:
    """What the DES said about the sweep's choice (``bed_sweep.confirm_with_des``): confirmed or not, the
    rounds it took, and the beds it added on top of the Erlang-C answer (sum over years and bed types)."""
    return {"ok": bool(table["des_confirmed"].iloc[0]), "rounds": int(table["des_rounds"].iloc[0]),
            "extra": int((table["confirmed"] - table["needed"]).sum())}


def keep_latest(store: dict[Any, Any], n: int) -> dict[Any, Any]:
    """Drop the oldest entries of an insertion-ordered ``store`` until at most ``n`` remain (in place)."""
    while len(store) > n:
        store.pop(next(iter(store)))
    return store
