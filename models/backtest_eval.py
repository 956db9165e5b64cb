"""Backtest rows judged against the forecast made from 2020 information (``shapan backtest``).

Kept apart from :mod:`models.forecast_eval` (which :mod:`models.resolve` imports for the national series)
so that no import circle runs through :mod:`models.evaluation` → :mod:`models.engine` → resolve.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from models import evaluation


def with_forecast_evaluation(frame: pd.DataFrame, forecast: Any) -> pd.DataFrame:
    """Backtest rows plus how the forecast made in 2020 did: ``forecast_p50``, ``forecast_p10``,
    ``forecast_p90`` (Monte Carlo of the baseline scenario, :func:`models.evaluation.plan_time_forecast`),
    ``forecast_error_pct`` = (actual − P50) ÷ P50 × 100 and ``inside_p10_p90`` (``None`` where the
    indicator has no band)."""
    out = frame.copy()
    bands = [evaluation._forecast(forecast, r.indicator, int(r.year)) for r in frame.itertuples()]
    out["forecast_p50"] = [b[0] for b in bands]
    out["forecast_p10"] = [b[1] for b in bands]
    out["forecast_p90"] = [b[2] for b in bands]
    p50 = out["forecast_p50"].astype(float)
    out["forecast_error_pct"] = (out["actual"].astype(float) - p50) / p50 * 100.0
    inside = []
    for actual, lo, hi in zip(out["actual"], out["forecast_p10"], out["forecast_p90"], strict=True):
        inside.append(None if np.isnan(lo) or np.isnan(hi) else bool(lo <= actual <= hi))
    out["inside_p10_p90"] = inside
    return out
