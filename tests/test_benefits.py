"""Tests for models.benefits: hand-computed rules, properties, vectorisation, validation, flags."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import benefits
from models.benefits import BenefitParams, compliance_flags, paths, paths_draws
from models.errors import ShapanError

K = 1.3  # the multiplier under test (the project default lives in data/assumptions.toml)
CPI_PCT = 2.0


def make(**overrides) -> BenefitParams:
    """A simple parameter set with round numbers; tests override what they check."""
    base = {
        "dibao_urban_base_yuan_month": 600.0, "dibao_rural_base_yuan_month": 480.0,
        "tekun_base_yuan_month": 700.0, "dibao_urban_growth_pct": 0.0, "dibao_rural_growth_pct": 0.0,
        "tekun_growth_pct": 0.0, "tekun_multiplier": K, "cpi_inflation_pct": CPI_PCT,
    }
    base.update(overrides)
    return BenefitParams(**base)


def row(frame: pd.DataFrame, year: int) -> pd.Series:
    return frame.set_index("year").loc[year]


# ------------------------------------------------------------------------------------------ growth


def test_historical_growth_cagr_390_to_560_over_5_years():
    # (560/390)^(1/5) - 1 = 1.43590^0.2 - 1 = 0.075040
    assert benefits.historical_growth_pct(390, 560, 5) == pytest.approx(7.504014914, rel=1e-9)
    g = benefits.historical_growth_pct(390, 560, 5)
    assert 390 * (1 + g / 100) ** 5 == pytest.approx(560)


def test_required_growth_pct_hand_value_and_arrays():
    assert benefits.required_growth_pct(100, 121, 2) == pytest.approx(10.0)
    out = benefits.required_growth_pct(np.array([100.0, 100.0]), np.array([121.0, 100.0]), 2)
    np.testing.assert_allclose(out, [10.0, 0.0], atol=1e-12)


@pytest.mark.parametrize(("args", "key"), [((0, 560, 5), "v_start"), ((390, -1, 5), "v_end"),
                                           ((390, 560, 0), "years")])
def test_growth_helpers_reject_bad_input(args, key):
    with pytest.raises(ShapanError) as err:
        benefits.historical_growth_pct(*args)
    assert err.value.fields["key"] == key


# ------------------------------------------------------------------------------------------- rules


def test_fixed_growth_hand_values_and_years():
    frame = paths(make(dibao_urban_base_yuan_month=500.0, dibao_urban_growth_pct=10.0))
    assert frame["year"].tolist() == list(range(2020, 2036))
    assert row(frame, 2021)["dibao_urban_standard"] == pytest.approx(550.0)
    assert row(frame, 2022)["dibao_urban_standard"] == pytest.approx(605.0)
    assert row(frame, 2020)["rural_urban_dibao_ratio"] == pytest.approx(96.0)
    assert list(frame.columns) == ["year", *benefits.COLUMNS]


def test_round_to_yuan_is_half_up_and_off_by_default():
    assert row(paths(make(dibao_urban_base_yuan_month=600.5)), 2020)["dibao_urban_standard"] == 600.5
    rounded = paths(make(dibao_urban_base_yuan_month=600.5, round_to_yuan=True))
    assert row(rounded, 2020)["dibao_urban_standard"] == 601.0
    assert (rounded["dibao_rural_standard"] % 1 == 0).all()


def test_consumption_rule_share_calibrated_to_base_follows_consumption_growth():
    # share = 600 / (24000/12) = 0.3; 2021: 0.3 × 24000 × 1.05 / 12 = 630
    p = make(rule="consumption", consumption_urban_base_yuan_year=24000.0, consumption_growth_pct=5.0)
    frame = paths(p)
    assert row(frame, 2021)["dibao_urban_standard"] == pytest.approx(630.0)
    # rural consumption defaults to urban; rural share calibrated 480/2000 = 0.24 -> 504
    assert row(frame, 2021)["dibao_rural_standard"] == pytest.approx(504.0)


def test_consumption_rule_given_share_never_cuts_the_standard():
    # 20 % × 24000/12 = 400 < 600: held at 600 until 0.2 × C(t)/12 > 600, first in 2029 (620.53)
    p = make(rule="consumption", consumption_urban_base_yuan_year=24000.0, consumption_growth_pct=5.0,
             consumption_share_pct=20.0)
    urban = paths(p).set_index("year")["dibao_urban_standard"]
    assert (urban.loc[2020:2028] == 600.0).all()
    assert urban.loc[2029] == pytest.approx(0.2 * 24000 * 1.05**9 / 12)
    assert urban.loc[2029] == pytest.approx(620.5313, rel=1e-6)


def test_consumption_rule_separate_rural_consumption():
    p = make(rule="consumption", consumption_urban_base_yuan_year=24000.0,
             consumption_rural_base_yuan_year=12000.0, consumption_growth_pct=10.0,
             consumption_share_pct=50.0)
    # rural: 0.5 × 12000 × 1.1 / 12 = 550 ≥ 480
    assert row(paths(p), 2021)["dibao_rural_standard"] == pytest.approx(550.0)


def test_convergence_moves_ratio_linearly_then_holds():
    p = make(rule="convergence", target_ratio_pct=90.0, target_ratio_year=2025)
    frame = paths(p)
    # ratio 80 -> 90 over 5 years: 82 in 2021, 90 from 2025; urban flat at 600
    assert row(frame, 2021)["dibao_rural_standard"] == pytest.approx(492.0)
    assert row(frame, 2025)["dibao_rural_standard"] == pytest.approx(540.0)
    assert row(frame, 2035)["rural_urban_dibao_ratio"] == pytest.approx(90.0)


def test_convergence_never_below_own_path_option():
    p = make(rule="convergence", target_ratio_pct=90.0, target_ratio_year=2025, dibao_rural_growth_pct=10.0)
    assert row(paths(p), 2021)["dibao_rural_standard"] == pytest.approx(528.0)  # 480 × 1.1 > 492
    loose = dataclasses.replace(p, never_below_own_path=False)
    assert row(paths(loose), 2021)["dibao_rural_standard"] == pytest.approx(492.0)


def test_tekun_is_max_of_own_path_and_multiple_of_urban():
    frame = paths(make(dibao_urban_growth_pct=10.0, tekun_base_yuan_month=700.0))
    assert row(frame, 2020)["tekun_standard"] == pytest.approx(780.0)  # 1.3 × 600 > 700
    assert row(frame, 2021)["tekun_standard"] == pytest.approx(858.0)  # 1.3 × 660
    high = paths(make(tekun_base_yuan_month=900.0, tekun_growth_pct=0.0))
    assert (high["tekun_standard"] == 900.0).all()


def test_orphan_own_path_and_missing_orphan_is_nan():
    assert paths(make())["orphan_standard"].isna().all()
    frame = paths(make(orphan_base_yuan_month=1000.0, orphan_growth_pct=5.0))
    assert row(frame, 2022)["orphan_standard"] == pytest.approx(1102.5)


def test_care_subsidy_is_share_of_step_minimum_wage():
    p = make(care_subsidy_min_wage_pct=10.0, min_wage_yuan_month={2019: 1700, 2022: 2000})
    care = paths(p).set_index("year")["care_subsidy"]
    assert care.loc[2020] == pytest.approx(170.0)
    assert care.loc[2021] == pytest.approx(170.0)
    assert care.loc[2022] == pytest.approx(200.0)
    assert care.loc[2035] == pytest.approx(200.0)  # flat after the last known year
    grown = paths(dataclasses.replace(p, min_wage_growth_pct=5.0)).set_index("year")["care_subsidy"]
    assert grown.loc[2024] == pytest.approx(220.5)
    assert paths(make())["care_subsidy"].isna().all()


def test_minimum_wage_path_holds_first_value_backwards():
    out = benefits.minimum_wage_path({2019: 1700.0, 2022: 2000.0}, [2015, 2019, 2021, 2022, 2025])
    np.testing.assert_allclose(out, [1700, 1700, 1700, 2000, 2000])


def test_params_are_hashable_and_min_wage_stored_sorted():
    p = make(care_subsidy_min_wage_pct=10.0, min_wage_yuan_month={2022: 2000, 2019: 1700})
    assert p.min_wage_yuan_month == ((2019, 1700.0), (2022, 2000.0))
    assert hash(p) == hash(make(care_subsidy_min_wage_pct=10.0, min_wage_yuan_month={2019: 1700, 2022: 2000}))


def test_assumption_defaults_map_keys_to_fields():
    class Entry:
        value = 1.3

    entries = {"benefits.tekun_multiplier": Entry(), "benefits.cpi_inflation_pct": 2, "other.x": 5}
    out = benefits.assumption_defaults(entries)
    assert out == {"tekun_multiplier": 1.3, "cpi_inflation_pct": 2.0}


def test_paths_leave_params_unchanged():
    p = make(dibao_urban_growth_pct=3.0)
    before = dataclasses.asdict(p)
    paths(p)
    paths_draws(p, np.array([1.0, 2.0]))
    assert dataclasses.asdict(p) == before


# ------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("field", "value"), [
    ("dibao_urban_growth_pct", 101.0), ("dibao_rural_growth_pct", -51.0), ("tekun_growth_pct", float("nan")),
    ("dibao_urban_base_yuan_month", -1.0), ("tekun_base_yuan_month", 0.0), ("orphan_base_yuan_month", -5.0),
    ("base_year", 2014), ("end_year", 2036), ("target_ratio_pct", 120.0),
    ("consumption_share_pct", 150.0), ("care_subsidy_min_wage_pct", -1.0), ("min_wage_growth_pct", 200.0),
])
def test_bad_parameters_raise_naming_the_field(field, value):
    with pytest.raises(ShapanError) as err:
        make(**{field: value})
    assert err.value.code == "out_of_range"
    assert err.value.fields["key"] == field
    assert err.value.fields["file"] == "scenario"
    assert field in err.value.message("zh")


def test_target_year_is_checked_with_its_ratio_only():
    with pytest.raises(ShapanError) as err:
        make(target_ratio_pct=90.0, target_ratio_year=2040)
    assert (err.value.code, err.value.fields["key"]) == ("out_of_range", "target_ratio_year")
    assert make(target_ratio_year=2040).target_ratio_year == 2040  # no ratio target: the year is not used


def test_end_year_must_follow_base_year():
    with pytest.raises(ShapanError, match="end_year"):
        make(base_year=2025, end_year=2025)


def test_unknown_rule_and_missing_rule_inputs():
    with pytest.raises(ShapanError, match="rule"):
        make(rule="magic")
    with pytest.raises(ShapanError) as err:
        make(rule="convergence", target_ratio_pct=90.0)
    assert err.value.code == "missing_key"
    assert err.value.fields["key"] == "target_ratio_year"
    with pytest.raises(ShapanError, match="consumption_urban_base_yuan_year"):
        make(rule="consumption", consumption_growth_pct=5.0)


def test_bad_draw_raises_naming_the_draw():
    with pytest.raises(ShapanError) as err:
        paths_draws(make(), np.array([1.0, 150.0]))
    assert err.value.fields["key"] == "dibao_urban_growth_pct"
    assert err.value.fields["value"] == 150.0


# ---------------------------------------------------------------------------------- vectorisation

growth = st.floats(min_value=-20.0, max_value=40.0, allow_nan=False)
RULE_PARAMS = {
    "fixed_growth": {},
    "consumption": {"consumption_urban_base_yuan_year": 24000.0, "consumption_growth_pct": 5.0},
    "convergence": {"target_ratio_pct": 90.0, "target_ratio_year": 2025},
}


@pytest.mark.parametrize("rule", benefits.RULES)
def test_draws_equal_scalar_runs_draw_by_draw(rule):
    rng = np.random.default_rng(1)
    urban_g, rural_g = rng.normal(5, 2, 20), rng.normal(7, 2, 20)
    cons_g = rng.normal(5, 2, 20)
    base = make(rule=rule, tekun_growth_pct=4.0, orphan_base_yuan_month=1000.0, **RULE_PARAMS[rule])
    draws = paths_draws(base, urban_g, rural_g, cons_g if rule == "consumption" else None)
    for i in range(20):
        over = {"dibao_urban_growth_pct": urban_g[i], "dibao_rural_growth_pct": rural_g[i]}
        if rule == "consumption":
            over["consumption_growth_pct"] = cons_g[i]
        single = paths(dataclasses.replace(base, **over))
        for col in benefits.COLUMNS:
            np.testing.assert_allclose(draws[col][i], single[col].to_numpy(), rtol=1e-12)
    assert draws["dibao_urban_standard"].shape == (20, 16)
    np.testing.assert_array_equal(draws["year"], np.arange(2020, 2036))


def test_thousand_draws_shape():
    out = paths_draws(make(), np.linspace(-5, 15, 1000), np.linspace(0, 10, 1000))
    assert out["tekun_standard"].shape == (1000, 16)
    assert out["care_subsidy"].shape == (1000, 16)


# ------------------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(g1=growth, g2=growth, rule=st.sampled_from(benefits.RULES), rounded=st.booleans())
def test_higher_growth_never_lowers_a_standard(g1, g2, rule, rounded):
    lo, hi = sorted((g1, g2))
    p = make(rule=rule, round_to_yuan=rounded, **RULE_PARAMS[rule])
    draws = paths_draws(p, np.array([lo, hi]), np.array([lo, hi]), np.array([lo, hi]))
    for col in ("dibao_urban_standard", "dibao_rural_standard", "tekun_standard"):
        assert (draws[col][1] >= draws[col][0] - 1e-9).all(), col


@settings(max_examples=60, deadline=None)
@given(urban_g=growth, rural_g=growth, tekun_g=growth, k=st.floats(1.0, 3.0), rounded=st.booleans(),
       rule=st.sampled_from(benefits.RULES))
def test_tekun_at_least_k_times_urban(urban_g, rural_g, tekun_g, k, rounded, rule):
    p = make(rule=rule, dibao_urban_growth_pct=urban_g, dibao_rural_growth_pct=rural_g, tekun_growth_pct=tekun_g,
             tekun_multiplier=k, round_to_yuan=rounded, dibao_urban_base_yuan_month=617.3,
             **RULE_PARAMS[rule])
    frame = paths(p)
    assert (frame["tekun_standard"] >= k * frame["dibao_urban_standard"] * (1 - 1e-12)).all()
    assert compliance_flags(frame, p).query("flag == 'tekun_below_floor'").empty


@settings(max_examples=40, deadline=None)
@given(cons_g=growth, share=st.one_of(st.none(), st.floats(1.0, 100.0)))
def test_consumption_rule_never_cuts(cons_g, share):
    p = make(rule="consumption", consumption_urban_base_yuan_year=24000.0, consumption_growth_pct=cons_g,
             consumption_share_pct=share)
    frame = paths(p)
    for col in ("dibao_urban_standard", "dibao_rural_standard"):
        assert (np.diff(frame[col].to_numpy()) >= 0).all()


# ------------------------------------------------------------------------------------------- flags


def test_compliant_path_raises_no_flags():
    p = make(rule="convergence", dibao_urban_growth_pct=5.0, dibao_rural_growth_pct=3.0, tekun_growth_pct=5.0,
             target_ratio_pct=90.0, target_ratio_year=2025, tekun_base_yuan_month=780.0,
             orphan_base_yuan_month=1000.0, orphan_growth_pct=3.0)
    flags = compliance_flags(paths(p), p)
    assert flags.empty
    assert list(flags.columns) == benefits.FLAG_COLUMNS


def test_ratio_below_target_fires_from_target_year():
    p = make(dibao_urban_growth_pct=5.0, dibao_rural_growth_pct=5.0, tekun_growth_pct=5.0, target_ratio_pct=90.0,
             target_ratio_year=2025)
    flags = compliance_flags(paths(p), p)
    ratio = flags[flags["flag"] == "ratio_below_target"]
    assert ratio["year"].tolist() == list(range(2025, 2036))
    first = ratio.iloc[0]
    assert first["value"] == pytest.approx(80.0)
    assert first["threshold"] == 90.0
    assert first["severity"] == "error"
    assert "90" in first["message_zh"]
    assert "90" in first["message_en"]


def test_real_terms_fall_and_rural_above_urban_fire():
    p = make(dibao_urban_growth_pct=1.0, dibao_rural_growth_pct=10.0, tekun_growth_pct=5.0)
    flags = compliance_flags(paths(p), p)
    real = flags[(flags["flag"] == "real_terms_fall") & (flags["programme"] == "dibao_urban")]
    assert len(real) == 15
    assert real.iloc[0]["value"] == pytest.approx(1.0)
    above = flags[flags["flag"] == "rural_above_urban"]
    # 480 × 1.1^t > 600 × 1.01^t from t = 3 (2023)
    assert above["year"].min() == 2023
    assert not flags["programme"].eq("dibao_rural").loc[flags["flag"] == "real_terms_fall"].any()


def test_tekun_below_floor_fires_on_typed_in_path():
    frame = paths(make(dibao_urban_growth_pct=5.0, tekun_growth_pct=5.0))
    frame.loc[frame["year"] == 2023, "tekun_standard"] = 700.0
    flags = compliance_flags(frame, make())
    hit = flags[flags["flag"] == "tekun_below_floor"]
    assert hit["year"].tolist() == [2023]
    assert hit.iloc[0]["threshold"] == pytest.approx(1.3 * 600 * 1.05**3)


def test_models_do_not_import_streamlit():
    import inspect

    for module in (benefits,):
        assert "streamlit" not in inspect.getsource(module)
