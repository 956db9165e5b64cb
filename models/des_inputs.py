"""Inputs of the bed DES (:mod:`models.des`): scenario parameters and random-number streams.

``DesParams`` is the frozen, validated description of one scenario: per-year arrival rates and bed
capacities, the nursing-need share, the length-of-stay distribution, the queue discipline (loss or
waiting list with optional reneging), who may use which bed, the initial state and the warm-up. Its
defaults for stay, patience, nursing-need share and warm-up come from ``data/assumptions.toml``
(``beds.*``, ``des.*``) and values are range-checked against the bounds given there; a bad value raises
:class:`~models.errors.ShapanError` naming the field and the allowed range.

Randomness follows the stars-treat-sim pattern: a ``numpy.random.SeedSequence`` per replication, one
child stream per activity (``STREAMS``), each wrapped in a small distribution class with ``.sample()``.
Streams draw in blocks of ``BLOCK`` numbers (fast) and are deterministic given the seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from numbers import Integral, Real

import numpy as np

from models.errors import ShapanError
from models.params import reads, scenario_field
from models.views import calendar as cal

__all__ = [
    "BASE_YEAR", "END_YEAR", "STREAMS", "DesParams", "Exponential", "Lognormal", "Uniform", "default",
    "seed_streams",
]

BASE_YEAR = cal.BASE_YEAR  # first simulated calendar year
END_YEAR = cal.HORIZON_END  # last simulated calendar year (inclusive)
MAX_YEARS = 1000  # longest run, years
STREAMS = ("arrivals", "nursing_need", "length_of_stay", "patience", "initial_state")
FILE = "scenario"
BLOCK = 1024  # random numbers drawn per refill of a stream
MAX_SEED = 2**63 - 1  # as a scenario file's seed (models.scenario)


@cache
def _assumptions() -> dict:
    from models.data import data_dir, load_assumptions, load_sources

    root = data_dir()
    return load_assumptions(root, load_sources(root))


def default(key: str) -> float:
    """Default value of ``data/assumptions.toml`` entry ``key`` (e.g. ``"beds.los_mean_years"``)."""
    return _assumptions()[key].value


def _bounds(key: str) -> tuple[float, float]:
    a = _assumptions()[key]
    return (-math.inf if a.min is None else a.min, math.inf if a.max is None else a.max)


# ---------------------------------------------------------------------------- random streams
class _Buffered:
    """A random stream with its own generator, drawn ``BLOCK`` values at a time.

    ``.sample()`` returns the next value; ``.sampler()`` returns the same stream's bare ``next`` (no Python
    frame per call), which the simulation's hot path uses.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._values = self._generate()

    def _draw(self, size: int) -> np.ndarray:
        raise NotImplementedError

    def _generate(self) -> Iterator[float]:
        while True:
            yield from self._draw(BLOCK).tolist()

    def blocks(self) -> Iterator[list[float]]:
        """The same stream as lists of ``BLOCK`` values (use either this or ``sample``, not both)."""
        while True:
            yield self._draw(BLOCK).tolist()

    def sample(self) -> float:
        return next(self._values)

    def sampler(self) -> Callable[[], float]:
        return self._values.__next__


class Exponential(_Buffered):
    """Exponential distribution with mean ``mean``."""

    def __init__(self, mean: float, rng: np.random.Generator) -> None:
        self.mean = mean
        super().__init__(rng)

    def _draw(self, size: int) -> np.ndarray:
        return self._rng.exponential(self.mean, size)


class Lognormal(_Buffered):
    """Lognormal distribution with mean ``mean`` and coefficient of variation ``cv``."""

    def __init__(self, mean: float, cv: float, rng: np.random.Generator) -> None:
        self.sigma = math.sqrt(math.log1p(cv * cv))
        self.mu = math.log(mean) - self.sigma**2 / 2
        super().__init__(rng)

    def _draw(self, size: int) -> np.ndarray:
        return self._rng.lognormal(self.mu, self.sigma, size)


class Uniform(_Buffered):
    """Uniform on [0, 1); ``sample() < p`` is a Bernoulli(p) draw that couples across scenarios."""

    def _draw(self, size: int) -> np.ndarray:
        return self._rng.random(size)


def seed_streams(seed: int | np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One generator per activity in ``STREAMS``: children ``0..4`` of ``seed`` (``seed`` is not mutated).

    Equivalent to ``seed.spawn(len(STREAMS))`` on a fresh copy of ``seed``, so calling twice with the same
    ``SeedSequence`` gives the same streams.
    """
    seq = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(check_seed(seed))
    return {
        name: np.random.default_rng(
            np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, k), pool_size=seq.pool_size)
        )
        for k, name in enumerate(STREAMS)
    }


# ---------------------------------------------------------------------------- parameters
def range_error(key: str, value: object, lo: object, hi: object) -> ShapanError:
    """The ``out_of_range`` error for scenario field ``key``."""
    return ShapanError("out_of_range", file=FILE, key=key, value=value, min=lo, max=hi)


def check_seed(seed: object) -> int:
    """``seed`` if it is an int in 0..``MAX_SEED``, else an error naming ``seed``."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise range_error("seed", seed, 0, MAX_SEED)
    return seed


def check_number(key: str, value: object, lo: float, hi: float, *, allow_inf: bool = False) -> float:
    """``value`` as a float if it is a number in ``[lo, hi]`` (inf only if ``allow_inf``); else an error."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ShapanError("wrong_type", file=FILE, key=key, expected="number", value=value)
    v = float(value)
    if math.isnan(v) or not lo <= v <= hi or (math.isinf(v) and not allow_inf):
        raise range_error(key, value, lo, "∞" if math.isinf(hi) else hi)
    return v


def _per_year(key: str, values: object, n_years: int, *, beds: bool) -> tuple[float, ...]:
    if isinstance(values, Real) and not isinstance(values, bool):
        seq = [values] * n_years
    elif isinstance(values, Iterable) and not isinstance(values, str | bytes | Mapping):
        seq = list(values)
    else:
        raise ShapanError(
            "wrong_type", file=FILE, key=key, expected="a number or one number per year", value=values
        )
    if len(seq) != n_years:
        raise ShapanError(
            "generic", detail=f"{key}: {len(seq)} values given, {n_years} expected (one per year) / "
            f"{key} 给出 {len(seq)} 个值，应为每年一个，共 {n_years} 个",
        )
    out = tuple(check_number(f"{key}[{i}]", v, 0.0, math.inf, allow_inf=beds) for i, v in enumerate(seq))
    return tuple(float(round(v)) if beds and math.isfinite(v) else v for v in out)


def _choice(key: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ShapanError(
            "generic", detail=f"{key} = {value!r}: choose one of {', '.join(allowed)} / "
            f"{key} 取值无效，可选：{'、'.join(allowed)}",
        )


def _flag(key: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ShapanError("wrong_type", file=FILE, key=key, expected="true/false", value=value)


@dataclass(frozen=True, kw_only=True)
class DesParams:
    """Inputs of one DES scenario (frozen; make variants with ``dataclasses.replace``).

    Per-year sequences have one value per year ``base_year..end_year``; a single number means the same
    every year. Beds are rounded to whole beds; ``math.inf`` means unlimited. Defaults of stay, patience,
    nursing-need share and warm-up come from ``data/assumptions.toml`` and are range-checked against it.
    """

    arrivals_per_year: Sequence[float] | float
    general_beds: Sequence[float] | float
    nursing_beds: Sequence[float] | float
    base_year: int = scenario_field("base_year", default=BASE_YEAR)
    end_year: int = scenario_field("end_year", default=END_YEAR)
    nursing_need_share: float = field(default_factory=lambda: default("des.nursing_need_share_pct") / 100)
    los_distribution: str = "exponential"  # "exponential" | "lognormal"
    los_mean_years: float = reads("beds.los_mean_years", default_factory=lambda: default("beds.los_mean_years"))
    los_cv: float = reads("beds.los_cv", default_factory=lambda: default("beds.los_cv"))  # lognormal only
    queue: str = "waiting"  # "loss" | "waiting"
    renege: bool = True
    renege_years: float = reads("beds.renege_years", default_factory=lambda: default("beds.renege_years"))
    general_may_use_nursing: bool = False
    initial_occupancy: str = "steady"  # "steady" | "empty"
    warmup_years: float = field(default_factory=lambda: default("des.warmup_years"))

    def __post_init__(self) -> None:
        for key in ("base_year", "end_year"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, Integral):
                raise ShapanError("wrong_type", file=FILE, key=key, expected="integer", value=value)
            object.__setattr__(self, key, int(value))
        n = self.end_year - self.base_year + 1
        if not 1 <= n <= MAX_YEARS:
            raise range_error("end_year", self.end_year, self.base_year, self.base_year + MAX_YEARS - 1)
        for key in ("arrivals_per_year", "general_beds", "nursing_beds"):
            values = _per_year(key, getattr(self, key), n, beds=key != "arrivals_per_year")
            object.__setattr__(self, key, values)
        lo, hi = _bounds("des.nursing_need_share_pct")
        check_number("nursing_need_share", self.nursing_need_share, lo / 100, hi / 100)
        for key, akey in (("los_mean_years", "beds.los_mean_years"), ("los_cv", "beds.los_cv"),
                          ("renege_years", "beds.renege_years"), ("warmup_years", "des.warmup_years")):
            check_number(key, getattr(self, key), *_bounds(akey))
        _choice("los_distribution", self.los_distribution, ("exponential", "lognormal"))
        _choice("queue", self.queue, ("loss", "waiting"))
        _choice("initial_occupancy", self.initial_occupancy, ("steady", "empty"))
        for key in ("renege", "general_may_use_nursing"):
            _flag(key, getattr(self, key))

    @property
    def years(self) -> list[int]:
        return list(range(self.base_year, self.end_year + 1))


