"""Why a target might be missed: which uncertain inputs drive a miss (given-data first-order sensitivity).

For a modelled future target, the Monte Carlo (:func:`models.targets.monte_carlo`) gives, per draw, the
inputs drawn (setter growth level, ratio drift, convergence regime, yearly shocks, base 60+, 65+/60+
share, mortality, bed delivery) and whether the target was met. The importance of input ``X`` is its
first-order sensitivity index for the miss indicator ``Y = 1[target missed]``::

    S_X = Var(E[Y | X]) / Var(Y)

estimated from the same draws by binning ``X`` into equal-count bins (deciles; the two regimes for the
binary regime input) — the "given-data" estimator of Plischke, Borgonovo & Smith (2013), no extra model
runs. The small-sample bias ``Var(Y) (B − 1) / n`` of the between-bin variance is subtracted and the
result clipped at 0. ``direction`` says whether high values of ``X`` make a miss more (``+``) or less
(``−``) likely (sign of the correlation with ``Y``). The inputs are re-drawn with exactly the streams the
Monte Carlo used (same seed → same draws), so the ranking describes the probabilities shown.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from models import benefits_stage, labels
from models import forecast as fc
from models import targets as tg
from models.data import Dataset
from models.resolve import Resolved

BINS = 10
COLUMNS = ["indicator", "year", "driver", "label_zh", "label_en", "importance", "direction", "p_miss"]


def inputs(res: Resolved, ds: Dataset, n: int, seed: int) -> dict[str, np.ndarray]:
    """The inputs the Monte Carlo drew, by driver id (labels: models/labels ``[driver]``); ``standard_shocks``
    is (n, years) cumulative."""
    params = tg.draw_parameters(res, n, seed)
    out = {
        "base_population": params["pop_base_factor"],
        "age_shape": params["share_65_of_60_pct"],
        "mortality": params["mortality_multiplier"],
        "bed_delivery": params["delivery_factor"],
    }
    if benefits_stage.has_benefits(ds, res.district) and res["benefits.rule"] in fc.SETTER_RULES:
        p = benefits_stage.setter_params(res, ds)
        drawn = fc.sample(benefits_stage.forecast_uncertainty(res), p, n,
                          np.random.default_rng(np.random.SeedSequence([seed, 11])))
        out["setter_growth_level"] = drawn["level_pct"]
        out["ratio_drift"] = drawn["drift_pp"]
        out["convergence_regime"] = drawn["regime"]
        out["standard_shocks"] = np.cumsum(drawn["shocks"], axis=1)
    return out


def first_order(x: np.ndarray, y: np.ndarray, bins: int = BINS) -> float:
    """Given-data first-order index of ``y`` on ``x`` (bias-corrected, clipped to [0, 1])."""
    y = np.asarray(y, dtype=float)
    var = y.var()
    if var <= 0 or np.ptp(x) == 0:
        return 0.0
    values = np.unique(x)
    if values.size <= bins:  # discrete input: one group per value
        groups = np.searchsorted(values, x)
    else:
        edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1])
        groups = np.searchsorted(edges, x, side="right")
    k = int(groups.max()) + 1
    counts = np.bincount(groups, minlength=k)
    means = np.bincount(groups, weights=y, minlength=k) / np.maximum(counts, 1)
    between = float(np.sum(counts * (means - y.mean()) ** 2) / y.size)
    used = int((counts > 0).sum())
    return float(np.clip((between - var * (used - 1) / y.size) / var, 0.0, 1.0))


def rank(res: Resolved, ds: Dataset, targets: pd.DataFrame, n: int | None = None,
         seed: int | None = None, draws: dict[str, Any] | None = None) -> pd.DataFrame:
    """Drivers of a miss for every modelled future target with draws: columns :data:`COLUMNS`, most
    important first within each target. Targets never or always missed in the draws have no rows.

    ``draws``: the Monte Carlo already made with the same ``n`` and ``seed`` (the report's), reused."""
    n = int(res["uncertainty.draws"] if n is None else n)
    seed = res.scenario.seed if seed is None else int(seed)
    draws = tg.monte_carlo(res, ds, n=n, seed=seed) if draws is None else draws
    drawn = inputs(res, ds, n, seed)
    years = list(draws["year"])
    rows: list[dict[str, Any]] = []
    for t in targets.itertuples():
        if t.indicator not in draws or t.year not in years or t.year <= years[0] or math.isnan(t.target) \
                or t.comparator not in (">=", "<=", "="):
            continue
        i = years.index(int(t.year))
        values = draws[t.indicator][:, i]
        if np.isnan(values).all():
            continue
        miss = ~tg.meets(values, t.comparator, t.target)
        if miss.all() or not miss.any():
            continue
        for name, x in drawn.items():
            x = x[:, i] if x.ndim == 2 else x
            corr = np.corrcoef(x, miss)[0, 1] if np.ptp(x) > 0 else 0.0
            zh, en = labels.pair("driver", name, strict=True)
            rows.append({"indicator": t.indicator, "year": int(t.year), "driver": name, "label_zh": zh,
                         "label_en": en, "importance": first_order(x, miss.astype(float)),
                         "direction": "+" if corr > 0 else "−", "p_miss": float(miss.mean())})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["indicator", "year", "importance"], ascending=[True, True, False],
                             kind="stable").reset_index(drop=True)


def chart_spec(frame: pd.DataFrame, title: str, lang: str = "zh") -> dict[str, Any]:
    """Horizontal bar (tornado-style) Vega-Lite spec of one target's drivers, most important on top."""
    label = "label_zh" if lang == "zh" else "label_en"
    data = [{"driver": r[label], "importance": round(float(r["importance"]), 4), "direction": r["direction"]}
            for _, r in frame.iterrows()]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "data": {"values": data},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "driver", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "importance", "type": "quantitative",
                  "title": "一阶敏感度指数 S" if lang == "zh" else "First-order sensitivity S"},
            "color": {"field": "direction", "type": "nominal",
                      "title": "值越大越易未达标" if lang == "zh" else "Higher makes a miss more likely",
                      "scale": {"domain": ["+", "−"], "range": ["#d62728", "#1f77b4"]}},
            "tooltip": [{"field": "driver"}, {"field": "importance"}, {"field": "direction"}],
        },
        "height": 30 * max(len(data), 1),
    }
