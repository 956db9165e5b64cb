"""models.views.beds: the beds page's view rows, hand-computed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from models.views import beds as vb


def test_long_series_keeps_present_columns_and_drops_missing_values():
    frame = pd.DataFrame({"year": [2020, 2021], "elderly_beds": [100.0, math.nan],
                          "institution_beds": [math.nan, math.nan], "bed_demand_need": [90.0, 95.0]})
    long = vb.long_series(frame, ("elderly_beds", "institution_beds", "bed_demand_need", "not_a_column"))
    assert long.to_dict("records") == [
        {"year": 2020, "series": "elderly_beds", "value": 100.0},
        {"year": 2020, "series": "bed_demand_need", "value": 90.0},
        {"year": 2021, "series": "bed_demand_need", "value": 95.0},
    ]


def test_headline_is_the_plan_year_row_whole_beds_and_one_decimal():
    beds = pd.DataFrame({"year": [2024, 2025], **{i: [1.0, 2.5] for i in vb.HEADLINE}})
    figures = vb.headline(beds, 2025)
    assert [f[0] for f in figures] == list(vb.HEADLINE)
    assert figures[0] == ("elderly_beds", 2.5, 0)
    assert figures[1] == ("beds_per_1000_elderly", 2.5, 1)


def test_metric_rows_and_format():
    summary = pd.DataFrame({"metric": ["p_wait", "occupancy_pct", "p_wait"], "year": [2021, 2021, 2022],
                            "mean": [0.1, 90.0, 0.2]})
    assert vb.metric_rows(summary, "p_wait")["mean"].to_list() == [0.1, 0.2]
    assert vb.metric_format("p_wait") == ".0%"
    assert vb.metric_format("occupancy_pct") == ",.1f"


def test_sweep_outcome_sums_the_beds_the_des_added():
    table = pd.DataFrame({"needed": [10, 20, 5], "confirmed": [12, 20, 8], "des_confirmed": [True] * 3,
                          "des_rounds": [2, 2, 2]})
    assert vb.sweep_outcome(table) == {"ok": True, "rounds": 2, "extra": 5}  # (12-10)+(20-20)+(8-5)


@pytest.mark.parametrize(("n", "left"), [(0, []), (2, ["c", "d"]), (9, ["a", "b", "c", "d"])])
def test_keep_latest_drops_the_oldest(n, left):
    store = dict.fromkeys("abcd", 1)
    assert list(vb.keep_latest(store, n)) == left


def test_missing_is_nan_only():
    assert vb.missing(math.nan)
    assert not vb.missing(0.0)
    assert not vb.missing(None)
