"""Tests of models.queueing: Erlang-B/C against published table values and hand-checked cases."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import ShapanError
from models.queueing import erlang_b, erlang_c, littles_law_occupancy, mean_wait_mmc


def erlang_b_closed_form(servers: int, load: float) -> float:
    """B(c, a) = (a^c / c!) / sum_k a^k / k!, in log space (reference for the recursion)."""
    logs = [k * math.log(load) - math.lgamma(k + 1) for k in range(servers + 1)]
    top = max(logs)
    return math.exp(logs[-1] - top) / sum(math.exp(v - top) for v in logs)


# ---------------------------------------------------------------------------- Erlang-B
@pytest.mark.parametrize(
    ("servers", "load", "expected", "tol"),
    [
        (1, 1.0, 0.5, 1e-12),  # hand: a / (1 + a)
        (2, 1.0, 0.2, 1e-12),  # hand: (1/2) / (1 + 1 + 1/2)
        (10, 5.0, 0.01838, 5e-6),  # Erlang-B table
        (5, 2.0, 0.03670, 5e-6),  # Erlang-B table
        (20, 15.0, 0.04559, 5e-6),  # Erlang-B table
    ],
)
def test_erlang_b_table_values(servers: int, load: float, expected: float, tol: float) -> None:
    assert erlang_b(servers, load) == pytest.approx(expected, abs=tol)


def test_erlang_b_matches_exact_fraction() -> None:
    # B(3, 2) = (8/6) / (1 + 2 + 2 + 8/6) = 4/19
    assert erlang_b(3, 2.0) == pytest.approx(float(Fraction(4, 19)), rel=1e-12)


def test_erlang_b_edge_cases() -> None:
    assert erlang_b(0, 3.0) == 1.0  # no beds: everyone is turned away
    assert erlang_b(5, 0.0) == 0.0  # no load: nobody is


def test_erlang_b_many_servers_is_stable() -> None:
    for servers, load in [(1000, 1000.0), (2500, 2300.0), (5000, 5200.0)]:
        b = erlang_b(servers, load)
        assert 0.0 < b < 1.0
        assert b == pytest.approx(erlang_b_closed_form(servers, load), rel=1e-9)
    # large-n asymptote B(n, n) ~ sqrt(2 / (pi n))
    assert erlang_b(1000, 1000.0) == pytest.approx(math.sqrt(2 / (math.pi * 1000)), rel=0.03)


def test_erlang_b_is_array_friendly() -> None:
    loads = np.array([0.0, 1.0, 5.0, 12.5, 40.0])
    out = erlang_b(10, loads)
    assert isinstance(out, np.ndarray)
    assert out.shape == loads.shape
    np.testing.assert_allclose(out, [erlang_b(10, float(a)) for a in loads], rtol=1e-12)
    assert isinstance(erlang_b(10, 5.0), float)


@settings(max_examples=60, deadline=None)
@given(servers=st.integers(1, 60), load=st.floats(0.01, 80.0))
def test_erlang_b_properties(servers: int, load: float) -> None:
    b = erlang_b(servers, load)
    assert 0.0 < b < 1.0
    assert b == pytest.approx(erlang_b_closed_form(servers, load), rel=1e-9)
    assert erlang_b(servers + 1, load) < b  # one more bed turns fewer away
    assert erlang_b(servers, load * 1.1) > b  # more load turns more away


# ---------------------------------------------------------------------------- Erlang-C and waits
def test_erlang_c_known_values() -> None:
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-12)  # hand: 2 B / (2 - 1 (1 - B)), B = 0.2
    assert erlang_c(1, 0.6) == pytest.approx(0.6, rel=1e-12)  # M/M/1: P(wait) = rho
    assert erlang_c(10, 5.0) == pytest.approx(0.0361, abs=5e-5)  # Erlang-C table (4 d.p.)


def test_erlang_c_unstable_and_bounds() -> None:
    assert erlang_c(3, 3.0) == 1.0
    assert erlang_c(3, 7.5) == 1.0
    loads = np.linspace(0.1, 9.9, 25)
    c = erlang_c(10, loads)
    assert np.all(c >= erlang_b(10, loads))
    assert np.all(np.diff(c) > 0)


def test_mean_wait_mmc() -> None:
    # M/M/1, lambda = 0.5 per year, stay 1 year: W_q = rho / (mu - lambda) = 0.5 / 0.5 = 1 year
    assert mean_wait_mmc(1, 0.5, 1.0) == pytest.approx(1.0, rel=1e-12)
    # M/M/2, a = 1: W_q = C s / (c - a) = (1/3) * 2 / 1
    assert mean_wait_mmc(2, 0.5, 2.0) == pytest.approx(2 / 3, rel=1e-12)
    assert mean_wait_mmc(2, 2.0, 1.0) == math.inf
    out = mean_wait_mmc(2, np.array([0.5, 2.0]), 2.0)
    assert out[0] == pytest.approx(2 / 3)
    assert math.isinf(out[1])


def test_littles_law() -> None:
    assert littles_law_occupancy(120.0, 2.5) == pytest.approx(300.0)
    np.testing.assert_allclose(littles_law_occupancy(np.array([10.0, 20.0]), 2.0), [20.0, 40.0])


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda: erlang_b(-1, 2.0), "servers"),
        (lambda: erlang_b(2.5, 2.0), "servers"),
        (lambda: erlang_b(True, 2.0), "servers"),
        (lambda: erlang_b(3, -1.0), "offered_load"),
        (lambda: erlang_b(3, np.array([1.0, np.nan])), "offered_load"),
        (lambda: erlang_c(3, "x"), "offered_load"),
        (lambda: mean_wait_mmc(2, 1.0, 0.0), "mean_service"),
        (lambda: mean_wait_mmc(2, -1.0, 1.0), "arrival_rate"),
        (lambda: littles_law_occupancy(1.0, -2.0), "mean_stay"),
    ],
)
def test_bad_input_names_the_parameter(call, key: str) -> None:
    with pytest.raises(ShapanError, match=key) as err:
        call()
    assert err.value.fields["key"] == key
