"""How many beds keep P(wait) ≤ x %? An Erlang-C sweep per year and bed type, checked by the DES.

For each year and bed type (general, nursing) the offered load is ``a = arrivals × mean stay`` (the
calibrated residents who would be in a bed if none were short). The fewest beds ``c`` with Erlang-C
``C(c, a) ≤ x`` is found in one pass of the Erlang-B recursion over c (C falls as c rises; the same
steps as :func:`models.queueing.erlang_b`, so the same answer as a bisection with ``erlang_c``).
Erlang-C assumes an unlimited waiting list and nobody leaves it, so with reneging in the DES the answer
is on the safe side (slightly too many beds); :func:`check_with_des` runs the DES at the suggested
capacity and reports the simulated P(wait) with its confidence interval, so the two can be compared.

Growing demand: Erlang-C answers each year as if it were stationary. :func:`confirm_with_des` makes the
DES (which carries the waiting list and residents from one year into the next) the judge of the final
choice: it runs the DES at the Erlang-C beds and, in every year whose simulated mean P(wait) is above the
ceiling, adds ``step_pct`` % more beds of each type (at least one), then runs again — up to ``max_rounds``
times, with the same seed every round (common random numbers). The table keeps both answers.

Where the nursing share is unknown (城口) every bed is general, as in :func:`models.engine.des_params`.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from models import queueing
from models.des_inputs import DesParams
from models.errors import ShapanError

SWEEP_COLUMNS = [
    "year", "load_general", "load_nursing", "beds_general", "beds_nursing", "needed_general",
    "needed_nursing", "beds", "needed", "shortfall",
]


def min_beds(load: float, p_wait_max: float) -> int:
    """Fewest beds ``c`` with Erlang-C ``C(c, load) ≤ p_wait_max`` (0 beds for no load)."""
    if not 0 < p_wait_max <= 1:
        raise ShapanError("out_of_range", file="--p-wait", key="p_wait_max", value=p_wait_max, min="0 (不含)", max=1)
    if not load > 0:
        return 0
    a = float(load)
    if not math.isfinite(a):
        raise ShapanError("out_of_range", file=queueing.FILE, key="offered_load", value=a, min=0, max="∞")
    b, c = 1.0, 0  # Erlang-B by its recursion over c, the same steps as models.queueing.erlang_b
    while True:
        c += 1
        b = a * b / (c + a * b)
        if a < c and c * b / (c - a * (1.0 - b)) <= p_wait_max:  # Erlang-C from B (1 while c ≤ a: unstable)
            return c


def sweep(params: DesParams, p_wait_max_pct: float) -> pd.DataFrame:
    """Per year: offered load, planned beds and the beds needed for P(wait) ≤ ``p_wait_max_pct`` % by type."""
    if not 0 < p_wait_max_pct <= 100:
        raise ShapanError("out_of_range", file="[beds]", key="p_wait_max_pct", value=p_wait_max_pct,
                          min="0 (不含)", max=100)
    p_wait_max = p_wait_max_pct / 100.0
    share = params.nursing_need_share
    rows = []
    for i, year in enumerate(params.years):
        load = params.arrivals_per_year[i] * params.los_mean_years
        nursing_pool = params.nursing_beds[i] > 0 or share > 0
        load_n = load * share if nursing_pool else 0.0
        load_g = load - load_n
        need_g, need_n = min_beds(load_g, p_wait_max), min_beds(load_n, p_wait_max)
        beds = params.general_beds[i] + params.nursing_beds[i]
        # a spare general bed does not serve a nursing need: the shortfall is counted per bed type
        short = max(0.0, need_g - params.general_beds[i]) + max(0.0, need_n - params.nursing_beds[i])
        rows.append([year, load_g, load_n, params.general_beds[i], params.nursing_beds[i], need_g, need_n, beds,
                     need_g + need_n, short])
    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)


def check_with_des(params: DesParams, table: pd.DataFrame, replications: int, seed: int) -> pd.DataFrame:
    """Run the DES with the capacities of ``table`` (needed beds per year) and return its P(wait) per year."""
    from models import des

    at_needed = dataclasses.replace(
        params,
        general_beds=tuple(float(x) for x in table["needed_general"]),
        nursing_beds=tuple(float(x) for x in table["needed_nursing"]),
    )
    from models import des_budget

    des_budget.check(at_needed, replications)  # the DES event budget, estimated before running (issue 10)
    summary = des.summarise(des.multiple_replications(at_needed, replications, seed, n_jobs=1))
    rows = summary[summary["metric"].isin(["p_wait", "occupancy_pct"])]
    wide = rows.pivot(index="year", columns="metric", values="mean").reset_index()
    high = rows[rows["metric"] == "p_wait"].set_index("year")["ci_high"]
    wide["p_wait_ci_high"] = wide["year"].map(high)
    return wide.rename(columns={"p_wait": "des_p_wait", "occupancy_pct": "des_occupancy_pct"})


def confirm_with_des(params: DesParams, table: pd.DataFrame, p_wait_max_pct: float, replications: int,
                     seed: int, *, max_rounds: int = 5, step_pct: float = 2.0) -> pd.DataFrame:
    """``table`` plus the DES-confirmed beds per year (``confirmed_general``, ``confirmed_nursing``,
    ``confirmed``), the DES P(wait) and occupancy there, ``des_rounds`` and ``des_confirmed`` (every year's
    mean P(wait) ≤ the ceiling)."""
    if not 0 < p_wait_max_pct <= 100:
        raise ShapanError("out_of_range", file="[beds]", key="p_wait_max_pct", value=p_wait_max_pct,
                          min="0 (不含)", max=100)
    if not 1 <= max_rounds <= 20:
        raise ShapanError("out_of_range", file="beds-needed", key="max_rounds", value=max_rounds, min=1, max=20)
    limit = p_wait_max_pct / 100.0
    current = table[["year", "needed_general", "needed_nursing"]].copy()
    for rounds in range(1, max_rounds + 1):
        check = check_with_des(params, current, replications, seed)
        over = check.set_index("year")["des_p_wait"].reindex(current["year"]).to_numpy() > limit
        if not over.any() or rounds == max_rounds:
            break
        for col in ("needed_general", "needed_nursing"):
            beds = current[col].to_numpy(dtype=float)
            raise_by = np.where(beds > 0, np.maximum(1.0, np.ceil(beds * step_pct / 100.0)), 0.0)
            current[col] = np.where(over, beds + raise_by, beds)
    out = table.merge(current.rename(columns={"needed_general": "confirmed_general",
                                              "needed_nursing": "confirmed_nursing"}), on="year")
    for col in ("confirmed_general", "confirmed_nursing"):
        out[col] = out[col].astype(int)
    out["confirmed"] = out["confirmed_general"] + out["confirmed_nursing"]
    out = out.merge(check, on="year")
    out["des_rounds"] = rounds
    out["des_confirmed"] = bool((out["des_p_wait"] <= limit).all())
    return out


def summary_rows(table: pd.DataFrame) -> list[dict]:
    """Plain records (ints for beds) for JSON."""
    out = []
    for r in table.to_dict("records"):
        out.append({k: (int(v) if k.startswith(("needed", "beds", "shortfall")) and not np.isnan(v) else v)
                    for k, v in r.items()})
    return out
