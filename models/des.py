"""Discrete-event simulation (SimPy) of a district's elderly-care beds, year by year.

Model
-----
Residents arrive as a Poisson process whose rate ``arrivals_per_year[k]`` is constant within calendar
year ``k`` (a time-varying rate, simulated exactly by the time-change method: a unit-rate exponential gap
is spread over the integrated rate). The caller supplies the rates, e.g. need-based demand divided by
the mean stay. Each arrival needs a nursing bed with probability ``nursing_need_share``, otherwise a
general bed. Nursing-need residents use nursing beds only; general residents use general beds, and
nursing beds too when all general beds are full if ``general_may_use_nursing`` is set (they then keep
that bed; no transfers). Stays are exponential or lognormal (mean ``los_mean_years``, ``los_cv``).

Capacity per bed type is given per year and changes at the start of each year (projects opening). A cut
evicts nobody: admissions stop until occupancy falls below the new capacity. An arrival who finds no
suitable bed is turned away (``queue="loss"``) or joins the FIFO waiting list of its bed type
(``queue="waiting"``), which it leaves unserved after an exponential patience with mean
``renege_years`` if ``renege`` is set (death, family care). A freed nursing bed serves the nursing list
first, then (if allowed) the general list.

Start and warm-up: ``initial_occupancy="steady"`` fills each bed type with a draw from the stationary
occupancy of an Erlang loss system at the base-year load (Poisson truncated at capacity: exact for a
loss system of one bed type and any stay distribution, an approximation otherwise), and residents
present then stay for a draw from the equilibrium residual-stay distribution; ``"empty"`` starts with no
residents. The waiting list starts empty, so ``warmup_years`` at base-year rates and capacity run first
and are discarded.

Outputs per year: time-weighted mean occupancy and waiting list (areas under the step curves, kept as
running sums of entry and exit times), counts of arrivals, admissions, turned away and reneged, P(wait)
(share of arrivals not admitted at once), mean wait over the year's admissions (immediate ones count 0).

Randomness: replication ``i`` of ``multiple_replications(..., seed)`` uses child ``i`` of
``SeedSequence(seed).spawn(n)``; within it one stream per activity (:data:`models.des_inputs.STREAMS`).
Every arrival draws its need, stay and patience when it arrives, admitted or not, so two scenarios run
with the same seed see the same residents (common random numbers).

Parameters and random streams are in :mod:`models.des_inputs`; output analysis (confidence intervals,
replications needed, validation against Erlang-B/C) in :mod:`models.des_analysis`; both re-exported here.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator
from heapq import heappop, heappush

import numpy as np
import pandas as pd
import simpy
from joblib import Parallel, delayed, effective_n_jobs
from simpy.events import Timeout

from models import des_budget, limits
from models.des_analysis import replications_needed, summarise
from models.des_inputs import (
    FILE,
    STREAMS,
    DesParams,
    Exponential,
    Lognormal,
    Uniform,
    check_seed,
    range_error,
    seed_streams,
)
from models.errors import ShapanError

__all__ = [
    "RESULT_COLUMNS", "STREAMS", "DesParams", "multiple_replications", "replications_needed", "single_run",
    "summarise",
]

RESULT_COLUMNS = (  # one column per year of single_run; labels: models/labels [des_metric]
    "arrivals", "admissions", "turned_away", "reneged", "p_wait", "mean_wait_years", "general_beds", "nursing_beds",
    "beds", "occupied_general_beds", "occupied_nursing_beds", "occupied_beds", "occupancy_pct",
    "general_occupancy_pct", "nursing_occupancy_pct", "waiting_list_mean", "waiting_list_year_end",
)


def _truncated_poisson(load: float, cap: float, u: float) -> int:
    """Inverse-CDF draw from Poisson(load) conditioned on <= cap (the Erlang loss stationary law)."""
    top = int(min(cap, math.ceil(load + 12 * math.sqrt(load) + 20)))
    if load <= 0.0 or top == 0:
        return 0
    k = np.arange(top + 1)
    log_factorial = np.concatenate(([0.0], np.cumsum(np.log(k[1:]))))
    logpmf = k * math.log(load) - log_factorial
    cdf = np.cumsum(np.exp(logpmf - logpmf.max()))
    return int(min(np.searchsorted(cdf / cdf[-1], u, side="right"), top))


def _zip_blocks(*blocks: Iterator[list[float]]) -> Iterator[tuple[float, ...]]:
    """Element-wise tuples of several block streams, one tuple per arrival."""
    for chunk in zip(*blocks, strict=False):
        yield from zip(*chunk, strict=True)


class _BedModel:
    """State and event handlers of one replication: callbacks on simpy Timeouts (no processes).

    Occupancy areas use ``area(t) = acc + count(t) * t`` with ``acc`` = sum of exit times - sum of entry
    times, so an event costs one addition instead of an integration step.

    Departures, about half of all events, do not go through simpy's event queue: they wait in the model's
    own heap ``deps`` of ``(time, bed)`` and are applied, in time order and at their own times, before
    any simpy event (arrival, renege, year start) is handled and at the end of the run. Nothing observes
    the state between two simpy events, so this is the same simulation (same draws, same results) with a
    heap of floats instead of a Timeout object per stay — simpy's queue holds only a few pending events.
    """

    def __init__(self, p: DesParams, seed: int | np.random.SeedSequence) -> None:
        rng = seed_streams(seed)
        self.p, self.env, n, w = p, simpy.Environment(), len(p.years), p.warmup_years
        los = (Lognormal(p.los_mean_years, p.los_cv, rng["length_of_stay"]) if p.los_distribution ==
               "lognormal" else Exponential(p.los_mean_years, rng["length_of_stay"]))
        streams = (Exponential(1.0, rng["arrivals"]), Uniform(rng["nursing_need"]), los,
                   Exponential(p.renege_years, rng["patience"]))
        # arrival k takes value k of each stream: (unit-rate gap before it, need draw, stay, patience)
        self.next_record = _zip_blocks(*(s.blocks() for s in streams)).__next__
        self.pending: tuple[float, ...] = ()  # the record of the next arrival
        self.rng_init = rng["initial_state"]
        self.share, self.waiting_mode = p.nursing_need_share, p.queue == "waiting"
        self.reneging, self.overflow = self.waiting_mode and p.renege, p.general_may_use_nursing
        # arrival-rate pieces: the warm-up (base-year rate) then one per year; the current piece
        self.ends = ([w] if w > 0 else []) + [w + k + 1.0 for k in range(n)]
        self.rates = ([p.arrivals_per_year[0]] if w > 0 else []) + list(p.arrivals_per_year)
        self.piece, self.rate, self.piece_end, self.t_end = 0, 0.0, 0.0, w + n
        self.cap = [p.general_beds[0], p.nursing_beds[0]]  # bed 0 = general, 1 = nursing
        self.occ, self.acc = [0, 0], [0.0, 0.0, 0.0]  # acc: general, nursing, waiting list
        self.queues = (deque(), deque())  # waiting lists by need: 0 = general, 1 = nursing
        self.deps: list[tuple[float, int]] = []  # pending departures (time, bed), a heap
        self.waiting = self.renege_events = self.initial = 0
        self.slot = 0  # 0 = warm-up (discarded), k + 1 = year k
        self.snap: list[list[float]] = []
        self.queue_end: list[int] = []
        self.arrivals, self.admitted, self.blocked = [0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
        self.turned_away, self.reneged, self.wait_sum = [0] * (n + 1), [0] * (n + 1), [0.0] * (n + 1)
        self.on_arrive = self._arrive  # bound once, not per event

    def _arrive(self, _event: Timeout) -> None:
        env = self.env
        now = env.now
        if self.deps and self.deps[0][0] <= now:
            self._depart_until(now)
        s = self.slot
        self.arrivals[s] += 1
        _, u, los, patience = self.pending
        nursing = u < self.share
        occ, cap = self.occ, self.cap
        if nursing:
            bed = 1 if occ[1] < cap[1] else -1
        elif occ[0] < cap[0]:
            bed = 0
        else:
            bed = 1 if self.overflow and occ[1] < cap[1] else -1
        if bed >= 0:
            occ[bed] += 1
            self.acc[bed] -= now
            self.admitted[s] += 1
            heappush(self.deps, (now + los, bed))
        else:
            self._block(now, s, los, patience, nursing)
        self.pending = record = self.next_record()
        gap, rate = record[0], self.rate
        if rate > 0.0 and now + gap / rate < self.piece_end:  # fast path: same year
            Timeout(env, gap / rate).callbacks.append(self.on_arrive)
        else:
            self._next_arrival(now, gap)

    def _block(self, now: float, s: int, los: float, patience: float, nursing: bool) -> None:
        self.blocked[s] += 1
        if not self.waiting_mode:
            self.turned_away[s] += 1
            return
        entry = [now, los, True]
        self.queues[nursing].append(entry)
        self.waiting += 1
        self.acc[2] -= now
        if self.reneging:
            Timeout(self.env, patience, entry).callbacks.append(self._renege)

    def _next_arrival(self, now: float, gap: float) -> None:
        """Schedule the arrival ``gap`` units of integrated rate after ``now`` (crossing years)."""
        t, k, ends, rates = now, self.piece, self.ends, self.rates
        while k < len(ends):
            rate, end = rates[k], ends[k]
            if rate > 0.0:
                if t + gap / rate < end:
                    self.piece, self.rate, self.piece_end = k, rate, end
                    Timeout(self.env, t + gap / rate - now).callbacks.append(self.on_arrive)
                    return
                gap -= (end - t) * rate
            t, k = end, k + 1
        self.piece = k  # no arrival before the end of the run

    def _depart_until(self, until: float, inclusive: bool = True) -> None:
        """Apply the departures due at or before ``until`` (before it if not ``inclusive``), in time order."""
        deps, occ, acc = self.deps, self.occ, self.acc
        while deps and (deps[0][0] <= until if inclusive else deps[0][0] < until):
            now, bed = heappop(deps)
            occ[bed] -= 1
            acc[bed] += now
            if self.waiting:
                self._fill(bed, now)

    def _fill(self, bed: int, now: float) -> None:
        """Admit from the waiting lists into free beds of type ``bed`` (FIFO, nursing need first)."""
        lists = (self.queues[1], self.queues[0]) if bed == 1 and self.overflow else (self.queues[bed],)
        occ, cap, acc, s = self.occ, self.cap, self.acc, self.slot
        for q in lists:
            while q and occ[bed] < cap[bed]:
                entry = q.popleft()
                if entry[2]:  # still waiting (reneged entries are dropped lazily)
                    entry[2] = False
                    self.waiting -= 1
                    occ[bed] += 1
                    acc[2] += now
                    acc[bed] -= now
                    self.admitted[s] += 1
                    self.wait_sum[s] += now - entry[0]
                    heappush(self.deps, (now + entry[1], bed))

    def _renege(self, event: Timeout) -> None:
        if self.deps and self.deps[0][0] <= self.env.now:
            self._depart_until(self.env.now)
        self.renege_events += 1
        entry = event.value
        if entry[2]:
            entry[2] = False
            self.waiting -= 1
            self.acc[2] += self.env.now
            self.reneged[self.slot] += 1

    def _year_start(self, event: Timeout) -> None:
        now, k = self.env.now, event.value
        self._depart_until(now)
        self._close_slot(now)
        self.slot = k + 1
        self.cap = [self.p.general_beds[k], self.p.nursing_beds[k]]
        if self.waiting:  # new beds take waiting residents; general beds first, so overflow is a last resort
            self._fill(0, now)
            self._fill(1, now)

    def _close_slot(self, now: float) -> None:
        acc, occ = self.acc, self.occ
        self.snap.append([acc[0] + occ[0] * now, acc[1] + occ[1] * now, acc[2] + self.waiting * now])
        self.queue_end.append(self.waiting)

    def _initial_state(self) -> None:
        p, rng = self.p, self.rng_init
        if p.initial_occupancy == "empty":
            return
        for bed, share in enumerate((1.0 - p.nursing_need_share, p.nursing_need_share)):
            load = p.arrivals_per_year[0] * share * p.los_mean_years
            count = _truncated_poisson(load, self.cap[bed], rng.random())
            if p.los_distribution == "lognormal":  # equilibrium residual = U x length-biased stay
                sigma2 = math.log1p(p.los_cv**2)
                mu = math.log(p.los_mean_years) + sigma2 / 2
                residual = rng.random(count) * rng.lognormal(mu, math.sqrt(sigma2), count)
            else:
                residual = rng.exponential(p.los_mean_years, count)
            self.occ[bed] += count
            self.initial += count
            for stay in residual.tolist():
                heappush(self.deps, (stay, bed))

    def run(self) -> _BedModel:
        for k in range(len(self.p.years)):
            Timeout(self.env, self.p.warmup_years + k, k).callbacks.append(self._year_start)
        self._initial_state()
        self.pending = self.next_record()
        self._next_arrival(0.0, self.pending[0])
        self.env.run(until=self.t_end)
        self._depart_until(self.t_end, inclusive=False)  # simpy stops before events at t_end too
        self._close_slot(self.t_end)
        return self

    @property
    def events(self) -> int:
        """Simulation events processed: arrivals, departures, renege timers, year starts."""
        departures = sum(self.admitted) + self.initial - sum(self.occ)
        return sum(self.arrivals) + departures + self.renege_events + len(self.p.years)


def _results(m: _BedModel) -> pd.DataFrame:
    p, sl = m.p, slice(1, None)
    area = np.diff(np.array(m.snap), axis=0)  # one row per year (the first snapshot closes the warm-up)
    arrivals, admitted = np.array(m.arrivals[sl]), np.array(m.admitted[sl])
    gen, nur = np.array(p.general_beds), np.array(p.nursing_beds)

    def ratio(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, scale * num / den, 0.0)

    frame = pd.DataFrame({
        "year": p.years,
        "arrivals": arrivals,
        "admissions": admitted,
        "turned_away": m.turned_away[sl],
        "reneged": m.reneged[sl],
        "p_wait": ratio(np.array(m.blocked[sl]), arrivals),
        "mean_wait_years": ratio(np.array(m.wait_sum[sl]), admitted),
        "general_beds": gen,
        "nursing_beds": nur,
        "beds": gen + nur,
        "occupied_general_beds": area[:, 0],
        "occupied_nursing_beds": area[:, 1],
        "occupied_beds": area[:, 0] + area[:, 1],
        "occupancy_pct": ratio(area[:, 0] + area[:, 1], gen + nur, 100.0),
        "general_occupancy_pct": ratio(area[:, 0], gen, 100.0),
        "nursing_occupancy_pct": ratio(area[:, 1], nur, 100.0),
        "waiting_list_mean": area[:, 2],
        "waiting_list_year_end": m.queue_end[1:],
    })
    frame.attrs["events"] = m.events
    return frame


def single_run(params: DesParams, seed: int | np.random.SeedSequence) -> pd.DataFrame:
    """Simulate one replication.

    Parameters
    ----------
    params : DesParams
        The scenario (not modified).
    seed : int or numpy.random.SeedSequence
        An int seed, or a replication's ``SeedSequence``: child ``i`` of ``SeedSequence(seed).spawn(n)``
        reproduces replication ``i`` of :func:`multiple_replications`. Not mutated.

    Returns
    -------
    pandas.DataFrame
        One row per year, columns ``year`` and :data:`RESULT_COLUMNS`. ``p_wait`` and
        ``mean_wait_years`` are 0 in a year without arrivals (admissions); ``occupancy_pct`` is 0 for
        zero or unlimited beds. ``frame.attrs["events"]`` is the number of simulation events processed.
    """
    if not isinstance(params, DesParams):
        raise ShapanError(
            "wrong_type", file=FILE, key="params", expected="DesParams", value=type(params).__name__
        )
    des_budget.check(params, 1)  # refused before running if the estimated events exceed the budget
    return _results(_BedModel(params, seed).run())


# ---------------------------------------------------------------------------- replications
MAX_REPLICATIONS = 10_000


def _run_batch(params: DesParams, seeds: list[np.random.SeedSequence]) -> list[pd.DataFrame]:
    return [single_run(params, seed) for seed in seeds]


def multiple_replications(
    params: DesParams, n: int, seed: int, n_jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run ``n`` independent replications; replication ``i`` uses child ``i`` of ``SeedSequence(seed)``.

    Parameters
    ----------
    params : DesParams
        The scenario.
    n : int
        Number of replications (1..``MAX_REPLICATIONS``).
    seed : int
        Scenario seed (>= 0). The same seed in two scenarios gives common random numbers.
    n_jobs : int, default 1
        Worker processes (joblib); -1 = all cores. Results are identical to the serial run.
    progress : callable(done, total), optional
        Called as replications finish, in replication order, with the number done so far (after each
        one when serial, after each batch of about ``n / (4 n_jobs)`` when parallel).

    Returns
    -------
    pandas.DataFrame
        The :func:`single_run` frames stacked, with a leading ``replication`` column (0..n-1).
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_REPLICATIONS:
        raise range_error("n", n, 1, MAX_REPLICATIONS)
    max_jobs = limits.current().cli_jobs
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or not (n_jobs == -1 or 1 <= n_jobs <= max_jobs):
        raise range_error("n_jobs", n_jobs, 1, f"{max_jobs} (or -1)")
    if not isinstance(params, DesParams):
        raise ShapanError("wrong_type", file=FILE, key="params", expected="DesParams", value=type(params).__name__)
    des_budget.check(params, n)  # all replications, estimated before the first one runs
    children = np.random.SeedSequence(check_seed(seed)).spawn(n)
    workers = min(effective_n_jobs(n_jobs), n)
    if workers == 1:
        batches = ([single_run(params, child)] for child in children)
    else:  # a few contiguous batches per worker: little dispatch overhead, progress still moves
        chunks = np.array_split(np.arange(n), min(n, 4 * workers))
        batches = Parallel(n_jobs=workers, return_as="generator")(
            delayed(_run_batch)(params, [children[i] for i in chunk]) for chunk in chunks
        )
    frames: list[pd.DataFrame] = []
    for batch in batches:
        for frame in batch:
            frames.append(frame.assign(replication=len(frames)))
        if progress is not None:
            progress(len(frames), n)
    out = pd.concat(frames, ignore_index=True)
    return out[["replication", *frames[0].columns.drop("replication")]]
