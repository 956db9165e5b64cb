"""Rolling-origin backtest of the baseline growth method on history public before 2021; spread calibration.

For each origin year ``o`` of a standard's history and each horizon ``h`` up to the last year, the damped
growth method of :mod:`models.forecast` is run from ``o`` with ``g_0`` = the CAGR over the ``window``
years before ``o`` (exactly as the product does for 2015→2020) and compared with the value observed in
``o + h``: ``e = ln(actual / forecast)``.

Spread model (the one :func:`models.forecast.sample` draws): a persistent error of the long-run growth
rate (s.d. σ_level per year, so its effect grows like ``h``) plus independent yearly shocks (σ_shock, so
``√h``)::

    Var e(h) ≈ σ_level² h² + σ_shock² h

:func:`calibrate` fits the two variances by non-negative least squares to the mean squared errors per
horizon (bias included: a method that was systematically wrong earns a wider band). The reliability
check (:func:`reliability`) is leave-one-origin-out: each origin's forecasts are judged against bands
calibrated on the *other* origins only, and the share of held-back values inside P10–P90 is reported
(80 % is the nominal coverage).

Data: ``data/reference/national_dibao_standards.csv`` (民政部 statistical bulletins 2010–2020; rows
2015–2017 and 2019–2020 ``verified`` against the bulletins' figures with a quoted locator, 2010–2014 and
2018 ``unverified`` with a note saying what was searched: see ``data/sources.toml``). Only years ≤ 2020
exist in it, so nothing after the base year
can enter the calibration.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import nnls
from scipy.stats import norm

from models.data import Dataset
from models.views import calendar as cal

Z90 = float(norm.ppf(0.9))
SERIES = {"urban": "dibao_urban_yuan_month", "rural": "dibao_rural_yuan_year"}


def national_series(ds: Dataset) -> dict[str, pd.Series]:
    """National average urban and rural 低保 standards by year, 元/人·月 (rural converted from 元/人·年)."""
    table = ds.reference("national_dibao_standards").sort_values("year")
    years = table["year"].astype(int).to_numpy()
    return {
        "urban": pd.Series(table["dibao_urban_yuan_month"].to_numpy(float), index=years),
        "rural": pd.Series(table["dibao_rural_yuan_year"].to_numpy(float) / 12.0, index=years),
    }


def damped_forecast(start_value: float, recent_growth_pct: float, long_run_growth_pct: float, damping: float,
                    horizons: np.ndarray) -> np.ndarray:
    """Unrounded damped-growth forecast ``h`` years ahead (the trend of :func:`models.forecast.compute`)."""
    h_max = int(np.max(horizons))
    t = np.arange(1, h_max + 1)
    g = long_run_growth_pct + (recent_growth_pct - long_run_growth_pct) * damping**t
    path = start_value * np.cumprod(1.0 + g / 100.0)
    return path[np.asarray(horizons, dtype=int) - 1]


def rolling_origin(series: pd.Series, long_run_growth_pct: float, damping: float, window: int = 5,
                   max_year: int = cal.BASE_YEAR) -> pd.DataFrame:
    """Errors of the method from every origin with ``window`` years of history; columns origin, h, forecast,
    actual, log_error. Only years ≤ ``max_year`` are used."""
    s = series[series.index <= max_year]
    rows = []
    for origin in s.index:
        if origin - window not in s.index or origin >= s.index.max():
            continue
        g0 = ((s[origin] / s[origin - window]) ** (1 / window) - 1) * 100
        later = s[s.index > origin]
        horizons = (later.index - origin).to_numpy()
        forecast = damped_forecast(float(s[origin]), g0, long_run_growth_pct, damping, horizons)
        for h, f, a in zip(horizons, forecast, later.to_numpy(), strict=True):
            rows.append({"origin": int(origin), "h": int(h), "forecast": float(f), "actual": float(a),
                         "log_error": float(np.log(a / f))})
    return pd.DataFrame(rows, columns=["origin", "h", "forecast", "actual", "log_error"])


def calibrate(errors: pd.DataFrame) -> dict[str, float]:
    """σ_level and σ_shock (in %, log points ×100) from mean squared errors per horizon (NNLS)."""
    per_h = errors.groupby("h")["log_error"].apply(lambda e: float(np.mean(np.square(e))))
    weights = np.sqrt(errors.groupby("h").size().to_numpy(float))
    h = per_h.index.to_numpy(float)
    design = np.column_stack([h**2, h]) * weights[:, None]
    (a, b), _ = nnls(design, per_h.to_numpy() * weights)
    return {"level_sd_pct": float(np.sqrt(a) * 100), "shock_sd_pct": float(np.sqrt(b) * 100)}


def band(forecast: np.ndarray, h: np.ndarray, level_sd_pct: float,
         shock_sd_pct: float) -> tuple[np.ndarray, np.ndarray]:
    """P10 and P90 around ``forecast`` at horizons ``h`` under the calibrated spread (lognormal)."""
    sd = np.sqrt((level_sd_pct / 100) ** 2 * h**2 + (shock_sd_pct / 100) ** 2 * h)
    return forecast * np.exp(-Z90 * sd), forecast * np.exp(Z90 * sd)


def reliability(series: pd.Series, long_run_growth_pct: float, damping: float, window: int = 5) -> dict[str, float]:
    """Leave-one-origin-out share of held-back values inside P10–P90, and the number judged."""
    errors = rolling_origin(series, long_run_growth_pct, damping, window)
    inside = []
    for origin in errors["origin"].unique():
        held = errors[errors["origin"] == origin]
        spread = calibrate(errors[errors["origin"] != origin])
        lo, hi = band(held["forecast"].to_numpy(), held["h"].to_numpy(float), **spread)
        inside += list((held["actual"].to_numpy() >= lo) & (held["actual"].to_numpy() <= hi))
    return {"inside_share": float(np.mean(inside)), "n": len(inside),
            "rmse_log_pct": float(np.sqrt(np.mean(np.square(errors["log_error"]))) * 100)}


def report(ds: Dataset, long_run_growth_pct: float, damping: float, window: int = 5) -> pd.DataFrame:
    """One row per national series: calibrated σ's, RMSE and leave-one-origin-out P10–P90 coverage."""
    rows = []
    for name, series in national_series(ds).items():
        errors = rolling_origin(series, long_run_growth_pct, damping, window)
        rows.append({"series": name, **calibrate(errors),
                     **reliability(series, long_run_growth_pct, damping, window)})
    return pd.DataFrame(rows)

