"""The number-lever spec (models.lever_spec): range, step and format, hand-checked."""

from __future__ import annotations

import math

from models import lever_spec as ls
from models.data import dataset


def test_number_spec_by_hand():
    a = dataset().assumptions
    assert ls.number_spec("beds.beds_built_per_year", 50.0, a) == (0.0, 100000.0, 1.0, "%.0f")  # span > 200
    assert ls.number_spec("beds.los_mean_years", 3.0, a) == (0.1, 10.0, 0.1, "%.2f")  # span 9.9 ≤ 200
    assert ls.number_spec("uncertainty.draws", 200, a) == (100, 20000, 1, "%d")  # whole numbers
    assert ls.number_spec("beds.los_mean_years", 3.0, a, step=0.5, fmt="%.1f") == (0.1, 10.0, 0.5, "%.1f")


def test_a_value_outside_the_range_widens_it():
    assert ls.number_spec("beds.los_mean_years", 99.0, dataset().assumptions)[:2] == (0.1, 99.0)


def test_format_by_span_and_display():
    assert ls.number_format("x", float, 0.0, 5.0) == (0.01, "%.2f")
    assert ls.number_format("x_pct", float, 0.0, 1000.0) == (0.1, "%.2f")
    assert ls.number_format("x", float, None, None) == (1.0, "%.0f")
    assert ls.display(math.nan, float) is None
    assert ls.display(3, float) == 3.0
    assert ls.display(2.0, int) == 2
    assert ls.display("front", str) == "front"
