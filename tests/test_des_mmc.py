"""Cross-check of the simpy DES against Erlang-C and an independent FIFO M/M/c simulator (heap of free times).

ciw was tried as the independent simulator but its wheel installs a top-level ``tests`` package that
shadows this project's ``tests`` (tests.regen_golden, tests.apptest_helpers), so the reference simulator
is the textbook multi-server FIFO recursion: each arrival starts at max(arrival, earliest free bed).
"""

from __future__ import annotations

import heapq

import numpy as np
import pytest

from models import des
from models.des_inputs import DesParams
from models.queueing import erlang_c, mean_wait_mmc

SERVERS, LOAD, LOS = 8, 6.0, 0.25  # 8 beds, 6 Erlang (75 % busy), mean stay 0.25 years
YEARS, REPS, WARMUP = 400, 8, 1.0


def reference_p_wait(seed: int) -> tuple[float, float]:
    """P(wait) and mean wait (years) of FIFO M/M/c from the free-time recursion."""
    rng = np.random.default_rng(seed)
    rate = LOAD / LOS
    n = int(rate * YEARS * 1.2)
    arrivals = np.cumsum(rng.exponential(1 / rate, n))
    arrivals = arrivals[arrivals < YEARS]
    stays = rng.exponential(LOS, arrivals.size)
    free = [0.0] * SERVERS
    waits = np.empty(arrivals.size)
    for i, (t, s) in enumerate(zip(arrivals, stays, strict=True)):
        start = max(t, heapq.heappop(free))
        waits[i] = start - t
        heapq.heappush(free, start + s)
    kept = waits[arrivals > WARMUP]
    return float(np.mean(kept > 0)), float(np.mean(kept))


def shapan_p_wait() -> tuple[float, float]:
    params = DesParams(
        arrivals_per_year=LOAD / LOS, general_beds=SERVERS, nursing_beds=0, nursing_need_share=0.0,
        base_year=2020, end_year=2020 + YEARS - 1, los_distribution="exponential", los_mean_years=LOS,
        queue="waiting", renege=False, initial_occupancy="steady", warmup_years=WARMUP,
    )
    reps = des.multiple_replications(params, REPS, 7, n_jobs=1)
    p_wait = (reps["p_wait"] * reps["arrivals"]).sum() / reps["arrivals"].sum()
    mean_wait = (reps["mean_wait_years"] * reps["admissions"]).sum() / reps["admissions"].sum()
    return float(p_wait), float(mean_wait)


def test_des_agrees_with_an_independent_simulator_and_erlang_c():
    exact_p, exact_w = erlang_c(SERVERS, LOAD), mean_wait_mmc(SERVERS, LOAD / LOS, LOS)  # ≈ 0.357, ≈ 0.045 yr
    ours_p, ours_w = shapan_p_wait()
    ref = np.array([reference_p_wait(s) for s in range(REPS)]).mean(axis=0)
    # each estimate pools 8 × 400 × 24 ≈ 77,000 arrivals; busy periods make them correlated (s.e. ≈ 0.01)
    assert ours_p == pytest.approx(exact_p, abs=0.03)
    assert ref[0] == pytest.approx(exact_p, abs=0.03)
    assert ours_p == pytest.approx(ref[0], abs=0.04)
    assert ours_w == pytest.approx(exact_w, rel=0.15)
    assert ref[1] == pytest.approx(exact_w, rel=0.15)
