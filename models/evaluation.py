"""十四五期末评估 — end-of-term evaluation of a district's 14th-plan targets against actuals.

For every target of the plan period (target year after the base year 2020, up to the plan's last year
2025 — 2021/2022 mid-term targets included) one row:

* ``actual`` — the uploaded value for that indicator and year (:func:`models.backtest.read_actuals`), or a
  value derived from uploaded ones (the 低保 ratio from the two standards; beds per 1,000 elderly from
  beds and the 60+ count), marked ``actual_kind = "derived"``;
* ``status`` — ``achieved`` / ``missed`` (numeric target, :func:`models.targets.meets`), ``no_actual``
  (nothing uploaded for it), or ``needs_judgement`` (an actual is there but the target is text such as
  同步 or 不低于上年度, which the tool cannot score);
* ``margin`` — signed, in the target's unit (percentage points for % targets): for ``>=`` targets
  ``actual − target``, for ``<=`` targets ``target − actual`` (so positive = beaten by that much, negative
  = the shortfall); for ``=`` targets ``actual − target`` (the deviation; met within 0.5 %);
* ``forecast_2020`` — P50 of the Monte Carlo forecast made from 2020 information only (the district's
  ``baseline`` preset when it ships one, else the ``plan`` preset, whose growth rates are the 2015→2020
  trend), with ``forecast_p10``/``forecast_p90`` and whether the actual fell inside; for a modelled
  indicator the Monte Carlo does not draw, the deterministic projection (``forecast_basis`` says which);
* ``status_at_plan_time`` — the status the scorecard showed at plan time (deterministic rule of
  :func:`models.target_modes.evaluate` on the same 2020 scenario), with the P(met) of the same draws.

Nothing after 2020 enters the forecast: later figures enter only as the user's actuals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models import engine, presets, target_modes
from models import targets as tg
from models.data import Dataset
from models.resolve import BASE_YEAR, Resolved, resolve
from models.views.calendar import PLAN_END_YEAR

FORECAST_DRAWS = 1000
EVALUATION_COLUMNS = [
    "indicator",
    "year",
    "target",
    "comparator",
    "binding",
    "unit",
    "actual",
    "actual_source",
    "actual_kind",
    "status",
    "margin",
    "forecast_2020",
    "forecast_p10",
    "forecast_p90",
    "actual_in_band",
    "forecast_error",
    "forecast_basis",
    "status_at_plan_time",
    "probability_at_plan_time",
    "locator",
]
RESULT_STATUSES = ("achieved", "missed", "no_actual", "needs_judgement")
NUMERIC_COMPARATORS = (">=", "<=", "=")


@dataclass(frozen=True)
class PlanTimeForecast:
    """The forecast made from 2020 information: scenario, draws and the scorecard it showed."""

    resolved: Resolved
    draws: dict[str, np.ndarray]
    scorecard: pd.DataFrame
    n: int

    @property
    def label(self) -> str:
        return self.resolved.scenario.name


def plan_time_forecast(
    ds: Dataset, district: str, n: int = FORECAST_DRAWS, seed: int | None = None
) -> PlanTimeForecast:
    """Monte Carlo forecast and deterministic scorecard of the district's 2020 forecast scenario."""
    names = presets.preset_names(district)
    name = "baseline" if "baseline" in names else "plan"
    res = resolve(presets.load_preset(district, name, ds), ds)
    if res.scenario.base_year != BASE_YEAR:  # the plan-time view must not see later information
        raise ValueError(f"plan-time scenario {name!r} has base year {res.scenario.base_year}, not {BASE_YEAR}")
    draws = tg.monte_carlo(res, ds, n=n, seed=seed)
    run = engine.run(res, ds)
    deterministic = target_modes.evaluate(run, ds)  # the deterministic rule (no draws)
    scorecard = target_modes.evaluate(run, ds, tg.probabilities(draws, deterministic), draws)
    scorecard = scorecard.assign(status_deterministic=deterministic["status"].to_numpy())
    return PlanTimeForecast(res, draws, scorecard, n)


def complete_actuals(actuals: pd.DataFrame) -> pd.DataFrame:
    """Add ``beds_per_1000_elderly`` (beds ÷ 60+ × 1,000) for years that give both and not it (derived)."""
    extra = []
    for year, grp in actuals.groupby("year"):
        have = dict(zip(grp["indicator"], grp["value"], strict=True))
        if "beds_per_1000_elderly" not in have and have.get("population_60plus", 0) > 0 and "elderly_beds" in have:
            extra.append(
                {
                    "indicator": "beds_per_1000_elderly",
                    "year": int(year),
                    "value": have["elderly_beds"] / have["population_60plus"] * 1000,
                    "source": "derived: elderly_beds ÷ population_60plus × 1000",
                    "kind": "derived",
                }
            )
    return pd.concat([actuals, pd.DataFrame(extra)], ignore_index=True) if extra else actuals


def margin_of(actual: float, comparator: str, target: float) -> float:
    """Signed margin in the target's unit (module docstring): positive = beaten, negative = short."""
    if comparator == "<=":
        return target - actual
    return actual - target


def plan_targets(ds: Dataset, district: str) -> pd.DataFrame:
    """The district's targets of the plan period (year in (2020, 2025]), one row each, in data order."""
    ind = ds.indicators_for(district)
    rows = ind[(ind["kind"] == "target") & (ind["year"] > BASE_YEAR) & (ind["year"] <= PLAN_END_YEAR)]
    return rows.drop_duplicates(["indicator", "year"], keep="first").reset_index(drop=True)


def _forecast(fc: PlanTimeForecast, indicator: str, year: int) -> tuple[float, float, float, str]:
    years = list(fc.draws["year"])
    if indicator in fc.draws and year in years:
        values = fc.draws[indicator][:, years.index(year)]
        if np.isnan(values).all():
            return math.nan, math.nan, math.nan, f"not projected: no {BASE_YEAR} base figure published"
        p10, p50, p90 = np.percentile(values, (10, 50, 90))
        return float(p50), float(p10), float(p90), f"P50 of {fc.n} Monte Carlo draws, scenario {fc.label!r} (2020)"
    card = fc.scorecard[(fc.scorecard["indicator"] == indicator) & (fc.scorecard["year"] == year)]
    if not card.empty and not math.isnan(card.iloc[0]["projected"]):
        return float(card.iloc[0]["projected"]), math.nan, math.nan, f"deterministic projection, scenario {fc.label!r}"
    return math.nan, math.nan, math.nan, "not modelled"


def _row(t: Any, actual: Any, fc: PlanTimeForecast) -> dict[str, Any]:
    year, target = int(t.year), float(t.value)
    numeric = t.comparator in NUMERIC_COMPARATORS and not math.isnan(target)
    value = math.nan if actual is None else float(actual.value)
    if actual is None:
        status = "no_actual"
    elif not numeric:
        status = "needs_judgement"
    else:
        status = "achieved" if bool(tg.meets(value, t.comparator, target)) else "missed"
    margin = margin_of(value, t.comparator, target) if numeric and actual is not None else math.nan
    p50, p10, p90, basis = _forecast(fc, t.indicator, year)
    card = fc.scorecard[(fc.scorecard["indicator"] == t.indicator) & (fc.scorecard["year"] == year)]
    at_plan = card.iloc[0]["status_deterministic"] if not card.empty else "not_modelled"
    prob = float(card.iloc[0]["probability"]) if not card.empty else math.nan
    in_band = None if math.isnan(p10) or math.isnan(value) else bool(p10 <= value <= p90)
    return {
        "indicator": t.indicator,
        "year": year,
        "target": target,
        "comparator": t.comparator,
        "binding": t.binding,
        "unit": t.unit,
        "actual": value,
        "actual_source": "" if actual is None else actual.source,
        "actual_kind": "" if actual is None else actual.kind,
        "status": status,
        "margin": margin,
        "forecast_2020": p50,
        "forecast_p10": p10,
        "forecast_p90": p90,
        "actual_in_band": in_band,
        "forecast_error": value - p50 if not (math.isnan(value) or math.isnan(p50)) else math.nan,
        "forecast_basis": basis,
        "status_at_plan_time": at_plan,
        "probability_at_plan_time": prob,
        "locator": t.locator,
    }


def evaluate_term(
    ds: Dataset, district: str, actuals: pd.DataFrame, forecast: PlanTimeForecast | None = None
) -> pd.DataFrame:
    """One row per plan-period target (columns :data:`EVALUATION_COLUMNS`)."""
    fc = plan_time_forecast(ds, district) if forecast is None else forecast
    complete = complete_actuals(actuals)
    have = {(r.indicator, int(r.year)): r for r in complete.itertuples()}
    rows = [_row(t, have.get((t.indicator, int(t.year))), fc) for t in plan_targets(ds, district).itertuples()]
    return pd.DataFrame(rows, columns=EVALUATION_COLUMNS)


def summary(frame: pd.DataFrame) -> dict[str, Any]:
    """Counts by result, binding (约束性) targets missed, and the share achieved of those with an actual."""
    counts = {s: int((frame["status"] == s).sum()) for s in RESULT_STATUSES}
    scored = counts["achieved"] + counts["missed"]
    binding = frame["binding"] == "约束性"
    return {
        "targets": len(frame),
        **counts,
        "binding_missed": int((binding & (frame["status"] == "missed")).sum()),
        "binding_achieved": int((binding & (frame["status"] == "achieved")).sum()),
        "achieved_share": counts["achieved"] / scored if scored else math.nan,
        "plan_time_warned": int(
            frame["status_at_plan_time"].isin(["at_risk", "off_track"]).sum()
        ),
        "missed_but_on_track_at_plan_time": int(
            ((frame["status"] == "missed") & frame["status_at_plan_time"].isin(["met", "on_track"])).sum()
        ),
    }
