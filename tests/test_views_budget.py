"""models.views.budget: the budget page's frames, hand-computed on two programmes over three years."""

from __future__ import annotations

import pandas as pd
import pytest

from models import budget as bu
from models.errors import ShapanError
from models.views import budget as vb

COSTS = pd.DataFrame({"year": [2020, 2021, 2022] * 2, "programme": ["a"] * 3 + ["b"] * 3,
                      "cost_wan_yuan": [1.0, 10.0, 20.0, 2.0, 30.0, 40.0]})
REFERENCE = pd.DataFrame({"year": [2020, 2021, 2022], "programme": ["a"] * 3, "cost_wan_yuan": [1.0, 4.0, 5.0]})


def test_column_format_by_kind():
    assert vb.column_format("cost_wan_yuan") == "%.1f"
    assert vb.column_format("district_wan_yuan") == "%.1f"
    assert vb.column_format("recipients") == "%.0f"
    assert vb.column_format("payment_ratio") == "%.3f"
    assert vb.column_format("cpi_pct") == "%.1f"
    assert vb.column_format("basis") is None


def test_plan_window_and_years():
    assert vb.plan_window([2020, 2021, 2022]) == (2021, 2025)
    assert vb.in_years(COSTS, 2021, 2021)["cost_wan_yuan"].to_list() == [10.0, 30.0]


def test_period_totals_nominal_and_real():
    real = COSTS.assign(cost_real_wan_yuan=COSTS["cost_wan_yuan"] / 2)
    out = vb.period_totals(COSTS, real, 2021, 2022).set_index("programme")
    assert out.loc["a"].to_dict() == {"cost_wan_yuan": 30.0, "cost_real_wan_yuan": 15.0}  # 10+20, half
    assert out.loc["b"].to_dict() == {"cost_wan_yuan": 70.0, "cost_real_wan_yuan": 35.0}
    assert out.loc[bu.TOTAL].to_dict() == {"cost_wan_yuan": 100.0, "cost_real_wan_yuan": 50.0}


def test_increment_against_a_reference():
    inc = vb.increment(COSTS, REFERENCE, 2021, 2022)
    # a: (10-4)+(20-5) = 21; b is absent from the reference: 30+40 = 70; total 91
    assert inc["total"] == 91.0
    assert bu.TOTAL not in set(inc["bars"]["programme"])
    bars = inc["bars"].set_index(["year", "programme"])["cost_wan_yuan"]
    assert bars[(2021, "a")] == 6.0
    assert bars[(2022, "b")] == 40.0
    assert bu.TOTAL in set(inc["table"]["programme"])


def test_level_split_by_shares():
    split = vb.level_split(COSTS, 50.0, 20.0, 2021, 2022)
    totals = split["totals"].set_index("programme")
    assert totals.loc["a", "central_wan_yuan"] == 15.0  # 30 × 50 %
    assert totals.loc["a", "municipal_wan_yuan"] == pytest.approx(6.0)  # 30 × 20 %
    assert totals.loc[bu.TOTAL, "district_wan_yuan"] == pytest.approx(30.0)  # 100 × 30 %
    assert len(split["long"]) == len(COSTS) * 3
    assert set(split["long"]["level"]) == set(vb.LEVELS)
    with pytest.raises(ShapanError):
        vb.level_split(COSTS, 80.0, 30.0, 2021, 2022)


def test_basis_rows_in_the_language():
    inputs = {"dibao_urban": {"recipients": 100, "payment_ratio": 0.9, "per_year": 12, "basis_zh": "依据",
                              "basis_en": "basis"}}
    assert vb.basis_rows(inputs, "en").to_dict("records") == [{
        "programme": "dibao_urban", "recipients": 100, "payment_ratio": 0.9, "payments_per_year": 12, "basis": "basis"}]
    assert vb.basis_rows(inputs, "zh")["basis"].iloc[0] == "依据"
    assert vb.basis_rows({}, "zh").empty


@pytest.mark.parametrize(("value", "zero"), [(None, False), (0.0, True), (0.49, True), (-0.49, True), (0.5, False),
                                             (-3.0, False)])
def test_rounds_to_zero(value, zero):
    assert vb.rounds_to_zero(value) is zero
