"""P10/P50/P90 per year for every projected series (``shapan forecast``, fan charts, reports).

:func:`bands` runs the scenario's Monte Carlo (:func:`models.targets.monte_carlo`: setter behaviour with
correlated urban/rural draws, yearly shocks and regime uncertainty under the baseline; base population
and mortality; bed delivery) and summarises each series by its 10th, 50th and 90th percentiles per year.
Same scenario, draws and seed → the same numbers, bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models import targets as tg
from models.data import Dataset
from models.resolve import Resolved

FORECAST_SERIES = (
    "population_60plus", "population_65plus", "population_80plus", "disabled_elderly",
    "dibao_urban_standard", "dibao_rural_standard", "rural_urban_dibao_ratio", "tekun_standard",
    "orphan_standard", "elderly_beds", "beds_per_1000_elderly", "nursing_bed_share",
)
# Counts of people and beds: their percentiles are printed as whole people / whole beds (nearest, halves up,
# the rule of models.resolve.whole_persons); standards, ratios and shares keep their decimals.
COUNT_SERIES = ("population_60plus", "population_65plus", "population_80plus", "disabled_elderly", "elderly_beds")
REQUIRED = ("population_60plus", "population_65plus", "population_80plus", "dibao_urban_standard",
            "dibao_rural_standard", "rural_urban_dibao_ratio", "tekun_standard")


def bands(res: Resolved, ds: Dataset, n: int | None = None, seed: int | None = None) -> dict[str, Any]:
    """``{"district","scenario","scenario_hash","base_year","draws","seed","series"}``; ``series`` maps an
    indicator to ``{"<year>": {"p10","p50","p90"}}`` (years as strings, base year to end year);
    counts (:data:`COUNT_SERIES`) are whole. Series the district cannot project (no base figure) are present
    and empty."""
    seed = res.scenario.seed if seed is None else int(seed)
    draws = tg.monte_carlo(res, ds, n=n, seed=seed)
    years = [str(int(y)) for y in draws["year"]]
    series: dict[str, dict[str, dict[str, float]]] = {}
    for key in FORECAST_SERIES:
        values = draws.get(key)
        if values is None or np.isnan(values).all():
            if key in REQUIRED:
                series[key] = {}
            continue
        q = np.percentile(values, (10, 50, 90), axis=0)
        if key in COUNT_SERIES:
            q = np.floor(q + 0.5)
        series[key] = {y: {"p10": float(q[0, i]), "p50": float(q[1, i]), "p90": float(q[2, i])}
                       for i, y in enumerate(years)}
    return {
        "district": res.district,
        "scenario": res.scenario.name,
        "scenario_hash": res.hash,
        "data_version": res.data_version,
        "base_year": res.scenario.base_year,
        "draws": int(next(iter(v for k, v in draws.items() if k != "year")).shape[0]),
        "seed": seed,
        "series": series,
    }
