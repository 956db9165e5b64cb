"""The bed DES against the analytic queueing formulas, on a stationary reference case.

:func:`validate_against_erlang` runs :func:`models.des.multiple_replications` as a loss system (share
turned away vs Erlang-B) and with an unlimited waiting list (share who wait vs Erlang-C; mean wait vs
M/M/c) from :mod:`models.queueing`; the case's parameters are in ``data/assumptions.toml``
(``des.validation_*``). It lives apart from :mod:`models.des_analysis` because it needs the DES itself,
which imports the analysis module.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from models.des import multiple_replications
from models.des_analysis import half_width
from models.des_inputs import BASE_YEAR, DesParams, check_number, default, range_error
from models.errors import ShapanError
from models.queueing import erlang_b, erlang_c, mean_wait_mmc

__all__ = ["validate_against_erlang"]


def _ratio_ci(num: pd.Series, den: pd.Series) -> tuple[float, float]:
    """Mean over replications of num/den (per replication) and its 95 % half-width."""
    per_rep = (num / den).to_numpy(dtype=float)
    return float(per_rep.mean()), float(half_width(per_rep.std(ddof=1), len(per_rep)))


def validate_against_erlang(
    servers: int | None = None, offered_load: float | None = None, los_years: float | None = None,
    horizon_years: int | None = None, n_reps: int | None = None, seed: int | None = None,
    warmup_years: float | None = None, n_jobs: int = 1,
) -> dict[str, float | int]:
    """Compare the DES with Erlang-B and Erlang-C on a stationary reference case.

    The case: one bed type (general), ``servers`` beds, constant Poisson arrivals at
    ``offered_load / los_years`` per year, exponential stays with mean ``los_years``, steady-state start
    plus ``warmup_years`` discarded. Run once as a loss system (share turned away vs Erlang-B) and once
    with an unlimited waiting list and no reneging (share who wait vs Erlang-C; mean wait vs M/M/c).
    Omitted arguments come from ``data/assumptions.toml`` (``des.validation_*``; 20 beds, 16 Erlang).
    ``offered_load`` must be below ``servers`` (a stable queue); ``n_reps`` >= 2.

    Returns
    -------
    dict
        ``simulated_loss, erlang_b_loss, ci_half_width, simulated_p_wait, erlang_c_p_wait,
        p_wait_ci_half_width, simulated_mean_wait_years, erlang_c_mean_wait_years,
        mean_wait_ci_half_width, servers, offered_load, los_years, replications, horizon_years,
        warmup_years, seed``. Half-widths are 95 % t intervals over replications.
    """
    def pick(value: float | None, key: str, lo: float, hi: float, name: str = "") -> float:
        value = default(f"des.validation_{name or key}") if value is None else value
        return check_number(key, value, lo, hi)

    servers = pick(servers, "servers", 1, 100_000)
    if not servers.is_integer():
        raise ShapanError("wrong_type", file="scenario", key="servers", expected="integer", value=servers)
    servers = int(servers)
    load = pick(offered_load, "offered_load", 0.0, servers)
    if load >= servers:  # Erlang-C needs a stable queue
        raise range_error("offered_load", load, 0, f"< {servers} (servers)")
    los = pick(los_years, "los_years", 0.0, np.inf)
    horizon = int(pick(horizon_years, "horizon_years", 1, 1000))
    n_reps = int(pick(n_reps, "n_reps", 2, 10_000, name="replications"))
    seed, warmup = int(pick(seed, "seed", 0, 2**63)), pick(warmup_years, "warmup_years", 0.0, 1000.0)
    params = DesParams(
        arrivals_per_year=load / los, general_beds=servers, nursing_beds=0, nursing_need_share=0.0,
        base_year=BASE_YEAR, end_year=BASE_YEAR + horizon - 1, los_distribution="exponential",
        los_mean_years=los, queue="loss", renege=False, initial_occupancy="steady", warmup_years=warmup,
    )
    loss = multiple_replications(params, n_reps, seed, n_jobs).groupby("replication").sum()
    queue = multiple_replications(dataclasses.replace(params, queue="waiting"), n_reps, seed, n_jobs)
    queue = queue.assign(waited=queue["p_wait"] * queue["arrivals"],
                         wait_sum=queue["mean_wait_years"] * queue["admissions"]).groupby("replication").sum()
    sim_loss, hw_loss = _ratio_ci(loss["turned_away"], loss["arrivals"])
    sim_wait, hw_wait = _ratio_ci(queue["waited"], queue["arrivals"])
    sim_wq, hw_wq = _ratio_ci(queue["wait_sum"], queue["admissions"])
    return {
        "simulated_loss": sim_loss, "erlang_b_loss": float(erlang_b(servers, load)), "ci_half_width": hw_loss,
        "simulated_p_wait": sim_wait, "erlang_c_p_wait": float(erlang_c(servers, load)),
        "p_wait_ci_half_width": hw_wait, "simulated_mean_wait_years": sim_wq,
        "erlang_c_mean_wait_years": float(mean_wait_mmc(servers, load / los, los)),
        "mean_wait_ci_half_width": hw_wq, "servers": servers, "offered_load": load, "los_years": los,
        "replications": n_reps, "horizon_years": horizon, "warmup_years": warmup, "seed": seed,
    }
