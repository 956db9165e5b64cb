"""Analytic queueing formulas for care beds: Erlang-B, Erlang-C and Little's law.

A district's beds of one type are treated as ``c`` identical servers. Residents arrive as a Poisson
stream with rate ``lambda`` (arrivals per year) and stay for a mean ``s`` years, so the offered load is
``a = lambda * s`` Erlang (the mean number of beds that would be occupied if beds were unlimited).

* **Erlang-B** (M/G/c/c loss system: a resident who finds all beds full is turned away) gives the
  blocking probability ``B(c, a) = (a^c / c!) / sum_{k=0..c} a^k / k!``. It depends on the stay only
  through its mean (insensitivity). It is computed by the stable recursion
  ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``, which never forms ``a^c`` or ``c!`` and so works for
  thousands of beds; the load may be a numpy array.
* **Erlang-C** (M/M/c queue with an unlimited waiting list and no reneging) gives the probability that
  an arrival has to wait, ``C(c, a) = c B / (c - a (1 - B))`` for ``a < c`` and 1 when ``a >= c`` (the
  queue grows without bound). Unlike Erlang-B it assumes exponential stays.
* **Mean wait** in M/M/c: ``W_q = C(c, a) s / (c - a)`` years, averaged over all arrivals (those who do
  not wait count as zero); infinite when ``a >= c``.
* **Little's law**: mean occupancy ``L = lambda W`` for any stationary system, where ``W`` is the mean
  time spent in it.

Assumptions: stationarity (constant arrival rate and capacity), Poisson arrivals, identical beds, no
priority between residents. The DES in :mod:`models.des` relaxes these and is validated against these
formulas. Reference values: Erlang-B tables (e.g. ``B(10, 5) = 0.01838``) and ``C(2, 1) = 1/3``.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np

from models.errors import ShapanError

__all__ = ["erlang_b", "erlang_c", "littles_law_occupancy", "mean_wait_mmc"]

FILE = "scenario"


def _check_servers(servers: object) -> int:
    if isinstance(servers, bool) or not isinstance(servers, Integral | float):
        raise ShapanError("wrong_type", file=FILE, key="servers", expected="integer", value=servers)
    if isinstance(servers, float) and not servers.is_integer():
        raise ShapanError("wrong_type", file=FILE, key="servers", expected="integer", value=servers)
    if servers < 0:
        raise ShapanError("out_of_range", file=FILE, key="servers", value=servers, min=0, max="∞")
    return int(servers)


def _check_nonneg(key: str, value: object) -> np.ndarray:
    """Return ``value`` as a float array; raise naming ``key`` if any element is negative or not finite."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ShapanError("wrong_type", file=FILE, key=key, expected="number", value=value) from None
    bad = ~np.isfinite(arr) | (arr < 0)
    if np.any(bad):
        first = arr[bad].flat[0] if arr.ndim else arr
        raise ShapanError("out_of_range", file=FILE, key=key, value=float(first), min=0, max="∞")
    return arr


def _as_output(arr: np.ndarray, like: object) -> float | np.ndarray:
    return float(arr) if np.ndim(like) == 0 else arr


def erlang_b(servers: int, offered_load: float | np.ndarray) -> float | np.ndarray:
    """Erlang-B blocking probability of an M/G/c/c loss system.

    Parameters
    ----------
    servers : int
        Number of beds ``c`` (>= 0).
    offered_load : float or array_like
        Offered load ``a`` in Erlang (arrivals per year x mean stay in years), >= 0.

    Returns
    -------
    float or numpy.ndarray
        ``B(c, a)``, the share of arrivals turned away; same shape as ``offered_load``.

    Examples
    --------
    >>> round(erlang_b(10, 5.0), 5)
    0.01838
    """
    c = _check_servers(servers)
    a = _check_nonneg("offered_load", offered_load)
    if a.ndim == 0:  # scalar: plain floats are several times faster than 0-d arrays
        load, b = float(a), 1.0
        for k in range(1, c + 1):
            b = load * b / (k + load * b)
        return b
    b = np.ones_like(a)
    for k in range(1, c + 1):
        ab = a * b
        b = ab / (k + ab)
    return _as_output(b, offered_load)


def erlang_c(servers: int, offered_load: float | np.ndarray) -> float | np.ndarray:
    """Erlang-C probability of waiting in an M/M/c queue (unlimited waiting list, no reneging).

    Parameters
    ----------
    servers : int
        Number of beds ``c`` (>= 0).
    offered_load : float or array_like
        Offered load ``a`` in Erlang, >= 0.

    Returns
    -------
    float or numpy.ndarray
        ``C(c, a)``; 1 where ``a >= c`` (unstable: every arrival eventually waits).

    Examples
    --------
    >>> round(erlang_c(2, 1.0), 6)
    0.333333
    """
    c = _check_servers(servers)
    a = _check_nonneg("offered_load", offered_load)
    b = np.asarray(erlang_b(c, a), dtype=float)
    stable = a < c
    denom = np.where(stable, c - a * (1.0 - b), 1.0)
    out = np.where(stable, c * b / denom, 1.0)
    return _as_output(out, offered_load)


def mean_wait_mmc(
    servers: int, arrival_rate: float | np.ndarray, mean_service: float
) -> float | np.ndarray:
    """Mean waiting time ``W_q`` in an M/M/c queue, averaged over all arrivals.

    Parameters
    ----------
    servers : int
        Number of beds ``c``.
    arrival_rate : float or array_like
        Arrivals per unit time (e.g. per year), >= 0.
    mean_service : float
        Mean stay in the same time unit (e.g. years), > 0.

    Returns
    -------
    float or numpy.ndarray
        ``C(c, a) * mean_service / (c - a)`` in the time unit of ``mean_service``; ``inf`` where the
        load ``a = arrival_rate * mean_service`` is >= ``c``.
    """
    c = _check_servers(servers)
    lam = _check_nonneg("arrival_rate", arrival_rate)
    s = float(_check_nonneg("mean_service", mean_service))
    if s <= 0:
        raise ShapanError("out_of_range", file=FILE, key="mean_service", value=s, min="> 0", max="∞")
    a = lam * s
    cw = np.asarray(erlang_c(c, a), dtype=float)
    stable = a < c
    out = np.where(stable, cw * s / np.where(stable, c - a, 1.0), math.inf)
    return _as_output(out, arrival_rate)


def littles_law_occupancy(
    arrival_rate: float | np.ndarray, mean_stay: float | np.ndarray
) -> float | np.ndarray:
    """Mean number present by Little's law, ``L = arrival_rate * mean_stay``.

    Parameters
    ----------
    arrival_rate : float or array_like
        Arrivals per unit time (e.g. residents admitted per year), >= 0.
    mean_stay : float or array_like
        Mean time spent in the system, same time unit (e.g. years), >= 0.

    Returns
    -------
    float or numpy.ndarray
        Mean occupancy (e.g. occupied beds).
    """
    lam = _check_nonneg("arrival_rate", arrival_rate)
    w = _check_nonneg("mean_stay", mean_stay)
    out = lam * w
    return _as_output(out, out if (np.ndim(arrival_rate) or np.ndim(mean_stay)) else 0.0)
