"""Baseline (业务照常) forecast of benefit standards: what the setter will most likely do, with honest bands.

The baseline is a forecast made only from information available at the base year (2020), not the plan's
path. It models the *setter* (e.g. the Chongqing municipality), so every district of one setter gets the
same path. ``t`` counts years since ``base_year``; parameters live in ``data/assumptions.toml``
(``benefits.baseline_*`` and ``uncertainty.*``, each with its reason).

Urban 低保 ``U`` — damped growth with step-wise annual adjustments::

    g(t)      = g_LR + δ + (g_0 − g_LR) × φ^t                  (%/年, t ≥ 1)
    ln U(t)   = ln U(t−1) + ln(1 + g(t)/100) + ε(t)             ε(t) ~ N(0, σ_shock²) yearly shock
    U(t)      = max(U(t−1), round_to(U(t), step))              never cut, published in whole ``step`` 元

``g_0`` is the setter's own 2015→2020 CAGR (Chongqing 420→620: 8.1 %/年; national average when the
setter publishes no 2015 figure), ``g_LR`` the long-run nominal growth the standard tends to (income /
consumption growth), ``φ`` the share of the excess growth that persists each year, ``δ`` a per-draw
error of the long-run rate (σ_level). Deterministic baseline: ``δ = ε = 0``.

Rural 低保 ``R`` — a ratio to urban that the setter owns::

    r(t) = min(cap, max(r_0, r_0 + d × t))     R(t) = round(r(t)/100 × U(t)), never cut, ≤ U(t)

The 2015–2020 convergence push (脱贫攻坚: rural standards lifted to the poverty line, Chongqing's ratio
54.8 % → 80 %) is a regime that ended in 2020. The drift ``d`` is ``benefits.baseline_ratio_drift_pp``
in the "ended" regime; in the Monte Carlo, with probability ``uncertainty.regime_continue_prob`` the
push continues at ``uncertainty.regime_continue_drift_pp``; both regimes add N(0, σ_d²) per draw.

特困 basic living ``T = ceil(k × U)`` (k = ``benefits.tekun_multiplier`` = 1.3 from the plans' own text
"不低于城市低保标准的1.3倍", rounded *up* to the yuan so the floor holds); orphan standard grows with urban
(``O(t) = round(O_0 × U(t)/U_0)``).

Announced values win: ``announced`` holds (year, indicator, 元) the setter has published; from that year
on the path is re-levelled to the announced figure (urban: ``U`` scaled; rural: the ratio reset to
``R_a/U(year)`` and drifting from there; 特困 never below the announced figure grown with urban).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.checking import check_range
from models.errors import ShapanError
from models.params import reads, scenario_field
from models.views import calendar as cal

FILE = "[benefits]"
SETTER_RULES = ("baseline", "plan_targets")  # benefit rules whose standards are the setter's (this module)
INDICATORS = ("dibao_urban_standard", "dibao_rural_standard", "rural_urban_dibao_ratio", "tekun_standard",
              "orphan_standard")
ANNOUNCEABLE = ("dibao_urban_standard", "dibao_rural_standard", "tekun_standard")
_TOL = 1e-9


@dataclass(frozen=True, kw_only=True)
class SetterParams:
    """Inputs of the setter's baseline forecast (元/人·月, %/年, percentage points)."""

    urban_base_yuan_month: float
    rural_base_yuan_month: float
    base_year: int = scenario_field("base_year", default=cal.BASE_YEAR)
    end_year: int = scenario_field("end_year", default=cal.HORIZON_END)
    baseline_recent_growth_pct: float = reads("benefits.baseline_recent_growth_pct")
    baseline_long_run_growth_pct: float = reads("benefits.baseline_long_run_growth_pct")
    baseline_damping: float = reads("benefits.baseline_damping")
    baseline_ratio_drift_pp: float = reads("benefits.baseline_ratio_drift_pp")
    ratio_cap_pct: float = 100.0
    tekun_multiplier: float = reads("benefits.tekun_multiplier")
    baseline_urban_step_yuan: float = reads("benefits.baseline_urban_step_yuan", default=10.0)
    orphan_base_yuan_month: float | None = None
    announced: tuple[tuple[int, str, float], ...] = scenario_field("announced", default=())
    rural_round_up: bool = False  # plan path: rural set so that the ratio is never below its path

    def __post_init__(self) -> None:
        check_range("urban_base_yuan_month", self.urban_base_yuan_month, 1e-9, 1e6, file=FILE)
        check_range("rural_base_yuan_month", self.rural_base_yuan_month, 1e-9, self.urban_base_yuan_month * 1.000001,
                    file=FILE)
        check_range("end_year", self.end_year, self.base_year + 1, 2050, file=FILE)
        check_range("baseline_recent_growth_pct", self.baseline_recent_growth_pct, -50, 100, file=FILE)
        check_range("baseline_long_run_growth_pct", self.baseline_long_run_growth_pct, -50, 100, file=FILE)
        check_range("baseline_damping", self.baseline_damping, 0.0, 1.0, file=FILE)
        check_range("baseline_ratio_drift_pp", self.baseline_ratio_drift_pp, -20, 20, file=FILE)
        check_range("tekun_multiplier", self.tekun_multiplier, 0.0, 10.0, file=FILE)
        check_range("baseline_urban_step_yuan", self.baseline_urban_step_yuan, 0.0, 1000.0, file=FILE)
        for year, indicator, value in self.announced:
            if indicator not in ANNOUNCEABLE:
                raise ShapanError("unknown_key", file="benefits.announced", key=indicator,
                                  allowed=", ".join(ANNOUNCEABLE))
            check_range(f"benefits.announced.{year}", year, self.base_year + 1, self.end_year, file=FILE)
            check_range(f"benefits.announced.{year}.{indicator}", value, 1e-9, 1e6, file=FILE)

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.base_year, self.end_year + 1)

    @property
    def ratio_base_pct(self) -> float:
        return self.rural_base_yuan_month / self.urban_base_yuan_month * 100.0


@dataclass(frozen=True, kw_only=True)
class Uncertainty:
    """Spread of the setter's behaviour (calibrated by :mod:`models.forecast_eval`; see assumptions.toml)."""

    standard_shock_sd_pct: float = reads("uncertainty.standard_shock_sd_pct")
    growth_level_sd_pct: float = reads("uncertainty.growth_level_sd_pct")
    regime_continue_prob: float = reads("uncertainty.regime_continue_prob")
    regime_continue_drift_pp: float = reads("uncertainty.regime_continue_drift_pp")
    ratio_drift_sd_pp: float = reads("uncertainty.ratio_drift_sd_pp")

    def __post_init__(self) -> None:
        for name in ("standard_shock_sd_pct", "growth_level_sd_pct", "regime_continue_drift_pp", "ratio_drift_sd_pp"):
            check_range(name, getattr(self, name), 0.0 if name != "regime_continue_drift_pp" else -20, 50.0,
                        file="[uncertainty]")
        check_range("regime_continue_prob", self.regime_continue_prob, 0.0, 1.0, file="[uncertainty]")


def growth_path_pct(p: SetterParams, level_pct: Any = 0.0) -> np.ndarray:
    """Trend growth g(t) in %/年, shape (n, years); column 0 (the base year) is 0."""
    t = (p.years - p.base_year).astype(float)
    level = np.atleast_1d(np.asarray(level_pct, dtype=float))[:, None]
    long_run, recent = p.baseline_long_run_growth_pct, p.baseline_recent_growth_pct
    g = long_run + level + (recent - long_run) * p.baseline_damping ** t[None, :]
    g[:, 0] = 0.0
    return g


def _round_step(x: np.ndarray, step: float) -> np.ndarray:
    return x if step <= 0 else np.floor(x / step + 0.5) * step


def _announced(p: SetterParams, indicator: str) -> list[tuple[int, float]]:
    return sorted((y, v) for y, i, v in p.announced if i == indicator)


def _urban(p: SetterParams, level: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    g = growth_path_pct(p, level)
    log_u = math.log(p.urban_base_yuan_month) + np.cumsum(np.log1p(g / 100.0) + shocks, axis=1)
    urban = np.maximum.accumulate(_round_step(np.exp(log_u), p.baseline_urban_step_yuan), axis=1)
    urban[:, 0] = p.urban_base_yuan_month
    urban = np.maximum.accumulate(urban, axis=1)
    for year, value in _announced(p, "dibao_urban_standard"):
        i = int(year - p.base_year)
        urban[:, i:] = _round_step(urban[:, i:] * (value / urban[:, i : i + 1]), 1.0)
        urban[:, i] = value
    return urban


def _ratio_from(r0: np.ndarray, drift_pp: np.ndarray, t: np.ndarray, cap: float) -> np.ndarray:
    """r0 + d × t, never below r0, never above ``cap`` (or r0 when it is already above the cap)."""
    ratio = np.maximum(r0 + drift_pp[:, None] * t[None, :], r0)
    return np.minimum(ratio, np.maximum(cap, r0))


def _rural(p: SetterParams, urban: np.ndarray, drift_pp: np.ndarray) -> np.ndarray:
    t = (p.years - p.base_year).astype(float)
    ratio = _ratio_from(np.full((urban.shape[0], 1), p.ratio_base_pct), drift_pp, t, p.ratio_cap_pct)
    for year, value in _announced(p, "dibao_rural_standard"):
        i = int(year - p.base_year)
        ratio[:, i:] = _ratio_from(value / urban[:, i : i + 1] * 100.0, drift_pp, t[i:] - i, p.ratio_cap_pct)
    exact = ratio / 100.0 * urban
    rural = np.minimum(np.ceil(exact - _TOL) if p.rural_round_up else np.floor(exact + 0.5), urban)
    rural[:, 0] = p.rural_base_yuan_month
    for year, value in _announced(p, "dibao_rural_standard"):
        rural[:, int(year - p.base_year)] = value
    return np.maximum.accumulate(rural, axis=1)


def compute(p: SetterParams, level_pct: Any = 0.0, shocks: Any = None, drift_pp: Any = None) -> dict[str, np.ndarray]:
    """Paths for given draws: ``level_pct`` (n,), ``shocks`` (n, years) log-growth shocks, ``drift_pp`` (n,).

    Returns ``"year"`` and each of :data:`INDICATORS` as arrays (n, years); ``n = 1`` for scalars.
    """
    level = np.atleast_1d(np.asarray(level_pct, dtype=float))
    n = level.size if drift_pp is None else max(level.size, np.size(drift_pp))
    years = p.years.size
    eps = np.zeros((n, years)) if shocks is None else np.broadcast_to(np.asarray(shocks, float), (n, years)).copy()
    eps[:, 0] = 0.0
    drift = np.broadcast_to(np.asarray(p.baseline_ratio_drift_pp if drift_pp is None else drift_pp, float), (n,))
    urban = _urban(p, np.broadcast_to(level, (n,)), eps)
    rural = _rural(p, urban, drift)
    tekun = np.ceil(p.tekun_multiplier * urban - _TOL)
    for year, value in _announced(p, "tekun_standard"):
        i = int(year - p.base_year)
        tekun[:, i:] = np.maximum(tekun[:, i:], np.ceil(value * urban[:, i:] / urban[:, i : i + 1] - _TOL))
        tekun[:, i] = value
    if p.orphan_base_yuan_month is None:
        orphan = np.full((n, years), np.nan)
    else:
        orphan = np.floor(p.orphan_base_yuan_month * urban / p.urban_base_yuan_month + 0.5)
    return {
        "year": p.years,
        "dibao_urban_standard": urban,
        "dibao_rural_standard": rural,
        "rural_urban_dibao_ratio": rural / urban * 100.0,
        "tekun_standard": tekun,
        "orphan_standard": orphan,
    }


def baseline(p: SetterParams) -> pd.DataFrame:
    """The deterministic baseline (no shocks, "ended" regime): columns ``year`` and :data:`INDICATORS`."""
    out = compute(p)
    frame = pd.DataFrame({"year": p.years})
    for key in INDICATORS:
        frame[key] = out[key][0]
    return frame


def sample(u: Uncertainty, p: SetterParams, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draws of the uncertain inputs: ``level_pct`` (n,), ``shocks`` (n, years), ``drift_pp`` (n,), ``regime``."""
    level = rng.normal(0.0, u.growth_level_sd_pct, n)
    shocks = rng.normal(0.0, u.standard_shock_sd_pct / 100.0, (n, p.years.size))
    regime = rng.random(n) < u.regime_continue_prob
    centre = np.where(regime, u.regime_continue_drift_pp, p.baseline_ratio_drift_pp)
    drift = centre + rng.normal(0.0, u.ratio_drift_sd_pp, n)
    return {"level_pct": level, "shocks": shocks, "drift_pp": drift, "regime": regime.astype(float)}


def draws(p: SetterParams, u: Uncertainty, n: int, seed: int) -> dict[str, np.ndarray]:
    """Monte Carlo paths (n, years) for every indicator plus the inputs drawn (for driver analysis)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    inputs = sample(u, p, n, rng)
    out = compute(p, inputs["level_pct"], inputs["shocks"], inputs["drift_pp"])
    out["inputs"] = inputs
    return out
