"""Tests for models.budget: cost formula, calibration, 人次 unit inference, totals, splits, ratio target."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import benefits, budget
from models.benefits import BenefitParams
from models.errors import ShapanError

YEARS = list(range(2020, 2026))


def simple_costs(rural_standard: float = 500.0) -> pd.DataFrame:
    return budget.programme_costs(
        YEARS, {"dibao_urban": 100, "dibao_rural": 1000},
        {"dibao_urban": 600.0, "dibao_rural": rural_standard}, {"dibao_urban": 0.8, "dibao_rural": 0.5},
    )


# ------------------------------------------------------------------------------------------ formula


def test_cost_formula_hand_value():
    # 100 recipients × 600 元 × 0.8 × 12 / 10,000 = 57.6 万元
    assert budget.cost_wan_yuan(100, 600, 0.8) == pytest.approx(57.6)
    assert budget.cost_wan_yuan(1000, 600, 1.0, payments_per_year=1) == pytest.approx(60.0)


def test_cost_formula_broadcasts_draws():
    out = budget.cost_wan_yuan(np.full((3, 2), 100.0), np.array([600.0, 700.0]), 0.8)
    np.testing.assert_allclose(out, [[57.6, 67.2]] * 3)


@pytest.mark.parametrize(("args", "key"), [
    ((-1, 600, 0.8), "recipients"), ((100, -600, 0.8), "standard_yuan_month"),
    ((100, 600, -0.1), "payment_ratio"), ((100, 600, float("nan")), "payment_ratio"),
])
def test_cost_rejects_bad_input_naming_it(args, key):
    with pytest.raises(ShapanError) as err:
        budget.cost_wan_yuan(*args)
    assert err.value.fields["key"] == key


def test_recipients_path_hand_values_and_draws():
    np.testing.assert_allclose(budget.recipients_path(1000, 10.0, [2020, 2021, 2022]), [1000, 1100, 1210])
    np.testing.assert_allclose(budget.recipients_path(1000, -10.0, [2021, 2022], base_year=2020), [900, 810])
    assert budget.recipients_path(1000, np.array([0.0, 5.0, -5.0]), YEARS).shape == (3, 6)
    with pytest.raises(ShapanError, match="recipients_growth_pct"):
        budget.recipients_path(1000, -60.0, YEARS)


def test_programme_costs_tidy_frame():
    costs = simple_costs()
    assert list(costs.columns) == budget.COST_COLUMNS
    assert len(costs) == 12
    urban_2020 = costs[(costs["year"] == 2020) & (costs["programme"] == "dibao_urban")].iloc[0]
    assert urban_2020["cost_wan_yuan"] == pytest.approx(57.6)
    rural = costs[costs["programme"] == "dibao_rural"]["cost_wan_yuan"]
    assert rural.tolist() == pytest.approx([300.0] * 6)  # 1000 × 500 × 0.5 × 12 / 1e4


def test_programme_costs_temporary_aid_paid_once_and_paths():
    costs = budget.programme_costs(
        [2021, 2022], {"temporary_aid": 1000, "tekun": np.array([10.0, 20.0])},
        {"temporary_aid": 600.0, "tekun": np.array([800.0, 900.0])}, 1.0,
    )
    aid = costs[costs["programme"] == "temporary_aid"]
    assert aid["cost_wan_yuan"].tolist() == pytest.approx([60.0, 60.0])
    assert aid["payments_per_year"].tolist() == [1, 1]
    tekun = costs[costs["programme"] == "tekun"]["cost_wan_yuan"].tolist()
    assert tekun == pytest.approx([9.6, 21.6])
    assert costs["programme"].unique().tolist() == ["tekun", "temporary_aid"]  # PROGRAMMES order


def test_programme_costs_errors():
    with pytest.raises(ShapanError, match="pension"):
        budget.programme_costs(YEARS, {"pension": 1}, {"pension": 1.0}, 1.0)
    with pytest.raises(ShapanError) as err:
        budget.programme_costs(YEARS, {"tekun": 1}, {"tekun": 800.0}, {"dibao_urban": 0.8})
    assert err.value.fields["key"] == "payment_ratio.tekun"


def test_standards_from_benefit_paths():
    p = BenefitParams(dibao_urban_base_yuan_month=600, dibao_rural_base_yuan_month=480,
                      tekun_base_yuan_month=800, dibao_urban_growth_pct=0, dibao_rural_growth_pct=0, tekun_growth_pct=0,
                      tekun_multiplier=1.3, cpi_inflation_pct=2.0)
    standards = budget.standards_from_paths(benefits.paths(p))
    assert set(standards) == {"dibao_urban", "dibao_rural", "tekun"}  # orphan NaN -> dropped
    assert standards["tekun"][0] == pytest.approx(800.0)


# -------------------------------------------------------------------------------------- calibration


def test_payment_ratio_round_trip():
    # 100 persons for 5 years at 600 元 and ratio 0.8 cost 5 × 57.6 = 288 万元
    spend = 5 * budget.cost_wan_yuan(100, 600, 0.8)
    assert spend == pytest.approx(288.0)
    assert budget.calibrate_payment_ratio(spend, 500, 600, "person-year") == pytest.approx(0.8)
    assert budget.calibrate_payment_ratio(spend, 6000, 600, "person-month") == pytest.approx(0.8)


def test_calibrate_rejects_unknown_unit_and_zero_person_times():
    with pytest.raises(ShapanError, match="person_time_unit"):
        budget.calibrate_payment_ratio(288, 500, 600, "household-year")
    with pytest.raises(ShapanError, match="person_times"):
        budget.calibrate_payment_ratio(288, 0, 600, "person-year")


def test_period_mean_standard():
    assert budget.period_mean_standard_yuan_month(100, 121, 2) == pytest.approx(115.5)  # mean(110, 121)
    assert budget.period_mean_standard_yuan_month(500, 500) == pytest.approx(500.0)


def test_infer_unit_person_year_case():
    # spend 288 万元, 500 人次, 600 元: person-month ratio 9.6 (impossible), person-year 0.8
    out = budget.infer_person_time_unit(288, 500, 600)
    assert out.unit == "person-year"
    assert out.payment_ratio == pytest.approx(0.8)
    assert out.ratio_person_month == pytest.approx(9.6)
    assert not out.ambiguous
    assert out.recipients_person_year == pytest.approx(100)
    assert "人年" in out.explanation_zh


def test_infer_unit_ambiguous_case_prefers_ratio_near_expected():
    # 人次 = 6000, 600 元, 345.6 万元: person-month 0.96, person-year 0.08 -> both plausible
    out = budget.infer_person_time_unit(345.6, 6000, 600)
    assert out.ambiguous
    assert out.unit == "person-month"
    assert out.payment_ratio == pytest.approx(0.96)
    low = budget.infer_person_time_unit(345.6, 6000, 600, expected_ratio=0.1)
    assert low.unit == "person-year"


def test_infer_unit_neither_plausible():
    out = budget.infer_person_time_unit(10_000, 10, 600)
    assert out.unit is None
    assert out.payment_ratio is None
    assert "check" in out.explanation_en


# ------------------------------------------------------------------------------ totals, increments


def test_totals_five_year_window():
    out = budget.totals(simple_costs(), 2021, 2025).set_index("programme")["cost_wan_yuan"]
    assert out["dibao_urban"] == pytest.approx(5 * 57.6)
    assert out["dibao_rural"] == pytest.approx(1500.0)
    assert out["total"] == pytest.approx(5 * 57.6 + 1500.0)


def test_incremental_keeps_each_side_and_is_antisymmetric():
    high, low = simple_costs(600.0), simple_costs(500.0)
    up, down = budget.incremental(high, low), budget.incremental(low, high)
    assert set(up["programme"]) == {"dibao_urban", "dibao_rural", "total"}
    keys = ["year", "programme"]
    side = up.merge(high.rename(columns={"cost_wan_yuan": "own"}), on=keys)
    assert side["cost_wan_yuan"].tolist() == pytest.approx(side["own"].tolist())  # each side kept, aligned
    assert up["incremental_wan_yuan"].tolist() == pytest.approx((-down["incremental_wan_yuan"]).tolist())


def test_incremental_hand_values_and_missing_programme():
    # rural 500 -> 600: 1000 × 100 × 0.5 × 12 / 1e4 = 60 万元 a year
    inc = budget.incremental(simple_costs(600.0), simple_costs(500.0))
    total = inc[inc["programme"] == "total"]
    assert total["incremental_wan_yuan"].tolist() == pytest.approx([60.0] * 6)
    only_urban = simple_costs()[lambda d: d["programme"] == "dibao_urban"]
    inc2 = budget.incremental(simple_costs(), only_urban)
    rural = inc2[inc2["programme"] == "dibao_rural"]
    assert rural["reference_cost_wan_yuan"].eq(0).all()
    assert rural["incremental_wan_yuan"].tolist() == pytest.approx([300.0] * 6)


def test_split_by_level():
    out = budget.split_by_level(simple_costs(), 50.0, 25.0)
    first = out.iloc[0]
    assert first["central_wan_yuan"] == pytest.approx(28.8)
    assert first["municipal_wan_yuan"] == pytest.approx(14.4)
    assert first["district_wan_yuan"] == pytest.approx(14.4)
    with pytest.raises(ShapanError) as err:
        budget.split_by_level(simple_costs(), 80.0, 30.0)
    assert err.value.fields["key"] == "share_central_pct + share_municipal_pct"
    with pytest.raises(ShapanError, match="share_central_pct"):
        budget.split_by_level(simple_costs(), -1.0, 30.0)


def test_cost_of_ratio_target_hand_values():
    # urban flat at 600, rural 480 (80 %); 90 % by 2025 -> rural 492 in 2021 ... 540 from 2025
    p = BenefitParams(dibao_urban_base_yuan_month=600, dibao_rural_base_yuan_month=480,
                      tekun_base_yuan_month=800, dibao_urban_growth_pct=0, dibao_rural_growth_pct=0, tekun_growth_pct=0,
                      tekun_multiplier=1.3, cpi_inflation_pct=2.0, end_year=2030)
    inc = budget.cost_of_ratio_target(p, 90.0, 2025, {"dibao_rural": 1000, "dibao_urban": 200, "tekun": 50},
                                      {"dibao_rural": 1.0, "dibao_urban": 0.8, "tekun": 1.0})
    total = inc[inc["programme"] == "total"].set_index("year")["incremental_wan_yuan"]
    assert total.loc[2020] == pytest.approx(0.0)
    assert total.loc[2021] == pytest.approx(12 * 1000 * 12 / 1e4)  # 14.4
    assert total.loc[2025] == pytest.approx(60 * 1000 * 12 / 1e4)  # 72
    assert total.loc[2030] == pytest.approx(72.0)
    urban = inc[inc["programme"] == "dibao_urban"]["incremental_wan_yuan"]
    assert (urban == 0).all()
    five_year = budget.totals(inc.rename(columns={"incremental_wan_yuan": "x"})
                              .assign(cost_wan_yuan=lambda d: d["x"])
                              .query("programme != 'total'"), 2021, 2025)
    assert five_year.set_index("programme").loc["total", "cost_wan_yuan"] == pytest.approx(
        (12 + 24 + 36 + 48 + 60) * 1.2)


# ------------------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(n=st.floats(0, 1e6), scale=st.floats(0, 100), standard=st.floats(0, 5000), ratio=st.floats(0, 2))
def test_costs_scale_linearly_with_recipients(n, scale, standard, ratio):
    base = budget.cost_wan_yuan(n, standard, ratio)
    assert budget.cost_wan_yuan(n * scale, standard, ratio) == pytest.approx(base * scale, rel=1e-9, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(recipients=st.lists(st.floats(0, 1e5), min_size=6, max_size=6),
       standard=st.floats(100, 2000), ratio=st.floats(0.05, 1.5))
def test_incremental_total_is_the_sum_of_programmes_property(recipients, standard, ratio):
    costs = budget.programme_costs(YEARS, {"tekun": np.array(recipients), "orphan": np.array(recipients[::-1])},
                                   {"tekun": standard, "orphan": standard / 2}, ratio)
    reference = budget.programme_costs(YEARS, {"tekun": np.array(recipients) / 2}, {"tekun": standard}, ratio)
    inc = budget.incremental(costs, reference)
    by_year = inc[inc["programme"] != "total"].groupby("year")["incremental_wan_yuan"].sum()
    total = inc[inc["programme"] == "total"].set_index("year")["incremental_wan_yuan"]
    assert total.tolist() == pytest.approx(by_year.loc[total.index].tolist(), rel=1e-9, abs=1e-9)
    orphan = inc[inc["programme"] == "orphan"]  # absent from the reference: counted as 0 there
    assert orphan["incremental_wan_yuan"].tolist() == pytest.approx(orphan["cost_wan_yuan"].tolist())


@settings(max_examples=40, deadline=None)
@given(spend=st.floats(1, 1e6), person_times=st.floats(1, 1e6), standard=st.floats(50, 3000))
def test_calibration_round_trip_property(spend, person_times, standard):
    for unit, months in budget.PERSON_TIME_UNITS.items():
        ratio = budget.calibrate_payment_ratio(spend, person_times, standard, unit)
        if not budget.PAYMENT_RATIO_RANGE[0] <= ratio <= budget.PAYMENT_RATIO_RANGE[1]:  # cost_wan_yuan refuses it
            continue
        rebuilt = budget.cost_wan_yuan(person_times * months / 12, standard, ratio)
        assert rebuilt == pytest.approx(spend, rel=1e-9)


def test_module_does_not_import_streamlit():
    assert "streamlit" not in inspect.getsource(budget)
