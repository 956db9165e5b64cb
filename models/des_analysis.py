"""Output analysis of the bed DES: confidence intervals and replications needed.

* :func:`summarise` - mean and 95 % confidence interval per metric and year over independent
  replications, with the t distribution: ``mean +/- t(0.975, n-1) s / sqrt(n)``.
* :func:`replications_needed` - the confidence-interval method (Robinson, *Simulation: The Practice of
  Model Development and Use*): the smallest number of replications whose half-width is within a given
  share (default 5 %) of the mean.

Both are re-exported by :mod:`models.des`. The validation against Erlang-B/C, which runs the DES, is
in :mod:`models.des_validation` (it imports :mod:`models.des`; this module must not, or the two form an
import circle).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.des_inputs import check_number, range_error
from models.errors import ShapanError

__all__ = ["half_width", "replications_needed", "summarise"]


def half_width(std: np.ndarray | float, n: np.ndarray | int) -> np.ndarray:
    """95 % t-interval half-width (NaN for fewer than 2 replications)."""
    from scipy import stats  # here: importing scipy.stats costs ~1 s in every joblib worker

    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.975, np.where(n > 1, n - 1, np.nan))
        return t * np.asarray(std, dtype=float) / np.sqrt(n)


def summarise(reps: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95 % confidence interval (t distribution) per metric and year.

    Parameters
    ----------
    reps : pandas.DataFrame
        Output of :func:`multiple_replications`.

    Returns
    -------
    pandas.DataFrame
        Columns ``metric, year, mean, ci_half_width, ci_low, ci_high, std, n``; metrics in the order of
        :data:`models.des.RESULT_COLUMNS`, years ascending.
    """
    metrics = [c for c in reps.columns if c not in ("replication", "year")]
    long = reps.melt(id_vars=["replication", "year"], value_vars=metrics, var_name="metric")
    out = long.groupby(["metric", "year"], sort=False)["value"].agg(mean="mean", std="std", n="count")
    out = out.reset_index()
    out["ci_half_width"] = half_width(out["std"].to_numpy(), out["n"].to_numpy())
    out["ci_low"] = out["mean"] - out["ci_half_width"]
    out["ci_high"] = out["mean"] + out["ci_half_width"]
    out["metric"] = pd.Categorical(out["metric"], categories=metrics, ordered=True)
    out = out.sort_values(["metric", "year"], ignore_index=True)
    out["metric"] = out["metric"].astype(str)
    return out[["metric", "year", "mean", "ci_half_width", "ci_low", "ci_high", "std", "n"]]


def replications_needed(
    reps: pd.DataFrame, metric: str, rel_half_width: float = 0.05, year: int | None = None
) -> int | None:
    """Confidence-interval method: the smallest ``n`` whose 95 % half-width is <= ``rel_half_width`` x mean.

    Parameters
    ----------
    reps : pandas.DataFrame
        Output of :func:`multiple_replications`.
    metric : str
        A result column, e.g. ``"waiting_list_mean"``.
    rel_half_width : float, default 0.05
        Target half-width as a share of the mean.
    year : int, optional
        Use that year's value; by default each replication's mean over all years.

    Returns
    -------
    int or None
        The smallest ``n >= 2`` (replications taken in order 0, 1, ...) meeting the target, or ``None``
        if even all replications in ``reps`` do not. A metric that is 0 in every replication needs 2.
    """
    if metric not in reps.columns or metric in ("replication", "year"):
        raise ShapanError("generic", detail=f"unknown DES metric {metric!r} / 未知的模拟指标 {metric!r}")
    target = check_number("rel_half_width", rel_half_width, 1e-6, 1.0)
    rows = reps if year is None else reps[reps["year"] == year]
    if rows.empty:
        raise range_error("year", year, int(reps["year"].min()), int(reps["year"].max()))
    values = rows.groupby("replication")[metric].mean().sort_index().to_numpy(dtype=float)
    for n in range(2, len(values) + 1):
        head = values[:n]
        if half_width(head.std(ddof=1), n) <= target * abs(head.mean()):
            return n
    return None
