"""Benchmark of the bed DES (models.des) against bare SimPy loops measured in the same run.

Run ``python benchmarks/bench_des.py``. Prints:

(a) events per second of the model (``single_run``, results frame included) and of two bare SimPy
    loops that process the same number of events: ``bare-1``, one process yielding timeouts (an event
    queue of one), and ``bare-K``, K processes yielding exponential timeouts, K = the model's mean number
    of pending events (occupied beds + waiting residents), so the event heap has the model's size. The
    ratio model / bare is the share of raw SimPy speed the model keeps (goal >= 60 %).
(b) wall time of 30 replications of a 1,000-bed district over 15 years on 2 cores (goal < 10 s), cold
    (the first call starts the joblib workers) and warm (workers reused), the serial time, and each as a
    ratio to the bare-1 loop time for the same total event count.

Timings take the best of several interleaved repeats to damp noise from other processes. The district is
synthetic (not a plan figure): 400 general + 600 nursing beds, demand near capacity and growing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import simpy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.des import DesParams, multiple_replications, single_run

GENERAL_BEDS = 400  # beds
NURSING_BEDS = 600  # beds
FIRST_YEAR, LAST_YEAR = 2021, 2035  # 15 simulated years (plus the default warm-up)
ARRIVALS_FIRST_YEAR = 360.0  # arrivals per year in the first year (~90 % occupancy at 2.5-year stays)
ARRIVALS_GROWTH = 0.02  # per year
REPLICATIONS = 30
N_JOBS = 2
REPEATS = 5  # interleaved repeats for part (a); best taken
SEED = 2024


def district() -> DesParams:
    years = LAST_YEAR - FIRST_YEAR + 1
    return DesParams(
        arrivals_per_year=[ARRIVALS_FIRST_YEAR * (1 + ARRIVALS_GROWTH) ** k for k in range(years)],
        general_beds=GENERAL_BEDS, nursing_beds=NURSING_BEDS, base_year=FIRST_YEAR, end_year=LAST_YEAR,
    )


def bare_loop(n_events: int, concurrent: int = 1) -> float:
    """Seconds for SimPy to process ``n_events`` timeouts from ``concurrent`` looping processes."""
    env = simpy.Environment()
    delays = np.random.default_rng(0).exponential(1.0, n_events).tolist()
    per_process = n_events // concurrent

    def proc(chunk: list[float]):
        for delay in chunk:
            yield env.timeout(delay)

    for i in range(concurrent):
        env.process(proc(delays[i * per_process:(i + 1) * per_process]))
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def part_a(params: DesParams) -> float:
    """Events per second of the model vs bare loops; returns the bare-1 seconds per event."""
    seeds = list(range(4))
    frames = [single_run(params, s) for s in seeds]  # warm up imports and caches
    events = sum(f.attrs["events"] for f in frames)
    pending = round(float(np.mean([(f["occupied_beds"] + f["waiting_list_mean"]).mean() for f in frames])))
    best = {"model": np.inf, "bare-1": np.inf, f"bare-K (K={pending})": np.inf}
    for _ in range(REPEATS):
        best["model"] = min(best["model"], timed(lambda: [single_run(params, s) for s in seeds])[0])
        best["bare-1"] = min(best["bare-1"], bare_loop(events))
        key = f"bare-K (K={pending})"
        best[key] = min(best[key], bare_loop(events, concurrent=pending))
    print(f"(a) {events:,} events ({len(seeds)} replications of the 1,000-bed district), best of {REPEATS}")
    for name, seconds in best.items():
        print(f"    {name:<18} {events / seconds:>12,.0f} events/s  ({seconds:.3f} s)")
    for name in list(best)[1:]:
        print(f"    model / {name:<10} {best[name] / best['model']:>6.0%} of raw SimPy speed")
    return best["bare-1"] / events


def part_b(params: DesParams, bare_seconds_per_event: float) -> None:
    """Wall time of REPLICATIONS replications on N_JOBS cores, cold and warm, and serial."""
    cold, reps = timed(lambda: multiple_replications(params, REPLICATIONS, SEED, n_jobs=N_JOBS))
    warm, reps_warm = timed(lambda: multiple_replications(params, REPLICATIONS, SEED, n_jobs=N_JOBS))
    serial, reps_serial = timed(lambda: multiple_replications(params, REPLICATIONS, SEED, n_jobs=1))
    children = np.random.SeedSequence(SEED).spawn(REPLICATIONS)
    events = sum(single_run(params, child).attrs["events"] for child in children)
    bare = events * bare_seconds_per_event
    same = reps.equals(reps_serial) and reps_warm.equals(reps_serial)
    print(f"(b) {REPLICATIONS} replications, {GENERAL_BEDS + NURSING_BEDS:,} beds, {FIRST_YEAR}-{LAST_YEAR} "
          f"(+{params.warmup_years:g} warm-up years), {events:,} events; bare-1 loop for these: {bare:.2f} s")
    runs = ((f"{N_JOBS} cores, cold", cold), (f"{N_JOBS} cores, warm", warm), ("serial", serial))
    for name, seconds in runs:
        print(f"    {name:<16} {seconds:6.2f} s   = {seconds / bare:5.2f} x bare-1 time   "
              f"(goal < 10 s: {'met' if seconds < 10 else 'NOT met'})")
    print(f"    parallel results identical to serial: {same}")


def main() -> None:
    params = district()
    seconds_per_event = part_a(params)
    part_b(params, seconds_per_event)


if __name__ == "__main__":
    main()
