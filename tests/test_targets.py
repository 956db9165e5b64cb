"""Tests for models.targets: status rules, required growth, evaluate(), goal-seek and Monte Carlo."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import engine, presets, target_modes
from models import scenario as sc
from models import targets as tg
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve

NAN = math.nan


@pytest.fixture(scope="module")
def ds():
    return dataset()


@pytest.fixture(scope="module")
def chengkou(ds):
    """城口 under the fixed-growth rule (the district's own growth rates are the goal-seek levers here; the
    plan preset now follows the plan's targets, models.plan_path)."""
    scen = presets.load_preset("chengkou", "plan", ds).with_params(**{"benefits.rule": "fixed_growth"})
    return resolve(scen, ds)


@pytest.fixture(scope="module")
def banan(ds):
    return resolve(presets.load_preset("banan", "plan", ds), ds)


@cache
def chengkou_draws(n: int = 400, seed: int = 11) -> dict[str, np.ndarray]:
    ds = dataset()
    return tg.monte_carlo(resolve(presets.load_preset("chengkou", "plan", ds), ds), ds, n=n, seed=seed)


# ------------------------------------------------------------------------------------------ status rules


@pytest.mark.parametrize(("baseline", "projected", "target", "comparator", "expected"), [
    (80, 92, 90, ">=", "on_track"),       # projection meets, baseline does not
    (95, 96, 90, ">=", "met"),            # both meet
    (80, 90, 90, ">=", "on_track"),       # exactly on target counts as meeting
    (80, 86, 90, ">=", "at_risk"),        # misses by 4/90 = 4.4 % ≤ 5 %
    (80, 85, 90, ">=", "off_track"),      # misses by 5/90 = 5.6 %
    (NAN, 92, 90, ">=", "on_track"),      # no baseline: cannot be "met" already
    (73.1, 39, 40, "<=", "on_track"),
    (30, 35, 40, "<=", "met"),
    (73.1, 41, 40, "<=", "at_risk"),      # 1/40 = 2.5 %
    (73.1, 45, 40, "<=", "off_track"),    # 5/40 = 12.5 %
    (100, 100.4, 100, "=", "met"),        # '=' within 0.5 %
    (90, 100.4, 100, "=", "on_track"),
    (90, 103, 100, "=", "at_risk"),
    (90, 110, 100, "=", "off_track"),
    (80, NAN, 90, ">=", "not_modelled"),
])
def test_status_deterministic(baseline, projected, target, comparator, expected):
    assert tg.status_of(baseline, projected, target, comparator) == expected


@pytest.mark.parametrize(("baseline", "projected", "probability", "expected"), [
    (80, 92, 0.85, "on_track"),
    (95, 96, 0.85, "met"),
    (80, 92, 0.80, "on_track"),           # boundary: P ≥ 0.8
    (80, 92, 0.79, "at_risk"),
    (80, 80, 0.40, "at_risk"),            # boundary: P ≥ 0.4
    (80, 80, 0.39, "off_track"),
    (80, 70, 0.95, "on_track"),           # the probability wins over the central projection
    (95, 99, 0.10, "off_track"),
    (80, 92, NAN, "on_track"),            # NaN probability: deterministic rule
    (80, NAN, 0.9, "not_modelled"),
])
def test_status_with_probability(baseline, projected, probability, expected):
    assert tg.status_of(baseline, projected, 90, ">=", probability) == expected


def test_statuses_are_the_documented_vocabulary():
    # issue 13: future met/on_track/at_risk/off_track, past achieved/missed, then needs_input / not_modelled
    assert tg.STATUSES == ("met", "on_track", "at_risk", "off_track", "achieved", "missed", "needs_input",
                           "not_modelled")


def test_meets_rejects_sync():
    with pytest.raises(ShapanError, match="sync"):
        tg.meets(1.0, "sync", 1.0)


def test_required_growth_hand_case():
    # chengkou ratio 80 (2020) → 90 (2025): ((90/80)^(1/5) − 1) × 100 = 2.3836 %/yr
    assert tg.required_growth_pct(80, 90, 5) == pytest.approx(((90 / 80) ** 0.2 - 1) * 100)
    assert tg.required_growth_pct(80, 90, 5) == pytest.approx(2.38363, abs=1e-5)
    assert tg.required_growth_pct(100, 50, 2) == pytest.approx((0.5 ** 0.5 - 1) * 100)
    for args in ((80, 90, 0), (0, 90, 5), (NAN, 90, 5), (80, 0, 5), (-1, 90, 5)):
        assert math.isnan(tg.required_growth_pct(*args)), args


# -------------------------------------------------------------------------------------------- evaluate


def test_evaluate_covers_every_target_row(ds, chengkou):
    frame = target_modes.evaluate(engine.run(chengkou, ds), ds)
    ind = ds.indicators_for("chengkou")
    rows = ind[ind["kind"] == "target"]
    assert list(frame.columns)[: len(tg.TARGET_COLUMNS)] == tg.TARGET_COLUMNS
    # one row per target: statements of one (indicator, year) merge (issue 13)
    assert sorted(zip(frame["indicator"], frame["year"], strict=True)) == \
        sorted(set(zip(rows["indicator"], rows["year"], strict=True)))
    assert set(frame["status"]) <= set(tg.STATUSES)


def test_evaluate_chengkou_hand_rows(ds, chengkou):
    result = engine.run(chengkou, ds)
    frame = target_modes.evaluate(result, ds).set_index(["indicator", "year", "locator"])
    ratio = frame.loc[("rural_urban_dibao_ratio", 2025, "专栏2 第1行 2025年目标值")]
    assert ratio["baseline"] == 80
    assert ratio["baseline_year"] == 2020
    assert ratio["projected"] == pytest.approx(result.series["rural_urban_dibao_ratio"][2025])
    assert ratio["required_growth"] == pytest.approx(((90 / 80) ** 0.2 - 1) * 100)
    assert ratio["gap"] == pytest.approx(90 - ratio["projected"])
    assert ratio["status"] == tg.status_of(80, ratio["projected"], 90, ">=")
    past = frame.loc[("rural_urban_dibao_ratio", 2020, "专栏1 第1行 2020年规划目标")]
    assert (past["projected"], past["status"]) == (80, "achieved")  # 80 observed ≥ 54.76 planned
    # 同步: beds per 1,000 elderly in 2025 not below 2020's 40 (a rule judged on the modelled path)
    sync = frame.loc[("beds_per_1000_elderly", 2025, "专栏2 第6行 2025年目标值")]
    assert (sync["mode"], sync["target"], sync["comparator"]) == ("rule", 40, ">=")
    assert sync["projected"] == pytest.approx(result.series["beds_per_1000_elderly"][2025])
    assert sync["status"] == tg.status_of(40, sync["projected"], 40, ">=")
    text_target = frame.loc[("dibao_standard_annual_growth", 2025, "专栏2 第2行 2025年目标值")]
    assert text_target["mode"] == "rule"
    assert text_target["target"] == chengkou["benefits.consumption_growth_pct"]
    # cremation 0 % (2020) → 5 % (2025): tracked, 1 percentage point a year required
    unmodelled = frame.loc[("cremation_rate", 2025, "专栏2 第18行 2025年目标值")]
    assert (unmodelled["mode"], unmodelled["status"]) == ("tracked", "on_track")
    assert unmodelled["required_growth"] == pytest.approx(1.0)
    assert math.isnan(unmodelled["projected"])


def test_evaluate_uses_probabilities(ds, chengkou):
    result = engine.run(chengkou, ds)
    frame = target_modes.evaluate(result, ds, {("rural_urban_dibao_ratio", 2025): 0.5})
    row = frame[(frame["indicator"] == "rural_urban_dibao_ratio") & (frame["year"] == 2025)].iloc[0]
    assert row["probability"] == 0.5
    assert row["status"] == "at_risk"


@pytest.mark.parametrize("district", ["wulong", "banan", "jiulongpo", "zhushan"])
def test_evaluate_every_district(ds, district):
    res = resolve(presets.load_preset(district, "plan", ds), ds)
    frame = target_modes.evaluate(engine.run(res, ds), ds)
    ind = ds.indicators_for(district)
    targets = ind[ind["kind"] == "target"]
    assert len(frame) == len(set(zip(targets["indicator"], targets["year"], strict=True)))
    assert set(frame["status"]) <= set(tg.STATUSES)


# ------------------------------------------------------------------------------------------- goal-seek


def test_solve_chengkou_ratio_with_rural_growth(ds, chengkou):
    out = tg.solve(chengkou, ds, "rural_urban_dibao_ratio", "dibao_rural_growth")
    assert (out["lever"], out["parameter"], out["year"], out["target"]) == (
        "dibao_rural_growth", "benefits.dibao_rural_growth_pct", 2025, 90.0)
    assert abs(out["achieved"] - 90.0) < 1e-6
    assert out["current"] == chengkou["benefits.dibao_rural_growth_pct"]
    # plug the value back into the scenario: the full run reproduces the projection
    scen = chengkou.scenario.with_params(benefits__dibao_rural_growth_pct=out["value"])
    rerun = engine.run(resolve(scen, ds), ds).series["rural_urban_dibao_ratio"][2025]
    assert rerun == pytest.approx(out["achieved"], rel=1e-12)
    assert abs(rerun - 90.0) < 1e-6
    # by hand: 496 × (1 + g)^5 / (620 × (1 + g_urban)^5) = 0.9
    g_urban = chengkou["benefits.dibao_urban_growth_pct"] / 100
    by_hand = ((0.9 * 620 / 496) ** 0.2 * (1 + g_urban) - 1) * 100
    assert out["value"] == pytest.approx(by_hand, abs=1e-4)


def test_solve_does_not_change_the_resolved_scenario(ds, chengkou):
    before = chengkou["benefits.dibao_rural_growth_pct"]
    tg.solve(chengkou, ds, "rural_urban_dibao_ratio", "dibao_rural_growth")
    assert chengkou["benefits.dibao_rural_growth_pct"] == before


def test_solve_banan_beds_per_1000_with_beds_built(ds, banan):
    out = tg.solve(banan, ds, "beds_per_1000_elderly", "beds_built_per_year")
    assert out["target"] == 45.0
    assert out["year"] == 2025
    assert abs(out["achieved"] - 45.0) < 1e-6
    assert out["value"] > 0
    scen = banan.scenario.with_params(beds__beds_built_per_year=out["value"])
    rerun = engine.run(resolve(scen, ds), ds).series["beds_per_1000_elderly"][2025]
    assert rerun == pytest.approx(out["achieved"], rel=1e-9)


def test_solve_with_explicit_target(ds, chengkou):
    out = tg.solve(chengkou, ds, "rural_urban_dibao_ratio", "dibao_rural_growth", target=85.0, year=2024)
    assert (out["target"], out["year"]) == (85.0, 2024)
    assert abs(out["achieved"] - 85.0) < 1e-6


@pytest.mark.parametrize(("indicator", "lever", "target"), [
    ("rural_urban_dibao_ratio", "dibao_rural_growth", 500.0),   # a ratio of 500 % is out of reach
    ("rural_urban_dibao_ratio", "beds_built_per_year", None),   # the lever does not move the indicator
])
def test_solve_no_solution(ds, chengkou, indicator, lever, target):
    with pytest.raises(ShapanError) as err:
        tg.solve(chengkou, ds, indicator, lever, target=target, year=2025 if target else None)
    assert err.value.code == "no_solution"
    msg = err.value.message("en")
    # named by their labels in the user's language, not by ids (issue 13)
    assert sc.param_label(tg.LEVERS[lever], "en", ds.assumptions) in msg
    assert ds.label(indicator, "en") in msg
    assert lever not in msg
    assert indicator not in msg
    assert ds.label(indicator, "zh") in err.value.message("zh")
    assert "[" in msg
    assert "]" in msg


@pytest.mark.parametrize("lever", ["nursing_share_of_new_beds", "beds_built_per_year", "dibao_rural_growth"])
def test_solve_unprojectable_indicator_is_a_shapan_error(ds, chengkou, lever):
    """Regression: chengkou publishes no 2020 nursing share, so its projection is NaN; brentq used to raise
    ValueError ("function value is NaN") and the CLI printed a traceback."""
    with pytest.raises(ShapanError) as err:
        tg.solve(chengkou, ds, "nursing_bed_share", lever)
    assert err.value.code in ("no_solution", "not_modelled")
    name = ds.label("nursing_bed_share", "en") if err.value.code == "no_solution" else "nursing_bed_share"
    assert name in err.value.message("en")


def test_solve_unknown_lever_lists_levers(ds, chengkou):
    with pytest.raises(ShapanError) as err:
        tg.solve(chengkou, ds, "rural_urban_dibao_ratio", "magic")
    assert err.value.code == "unknown_lever"
    for lever in tg.LEVERS:
        assert lever in err.value.message("en")


def test_solve_unknown_indicator_lists_targets(ds, chengkou):
    with pytest.raises(ShapanError) as err:
        tg.solve(chengkou, ds, "happiness", "dibao_rural_growth")
    assert err.value.code == "unknown_indicator"
    assert "rural_urban_dibao_ratio" in err.value.message("en")


def test_solve_unmodelled_indicator(ds, chengkou):
    with pytest.raises(ShapanError) as err:
        tg.solve(chengkou, ds, "cremation_rate", "dibao_rural_growth")
    assert err.value.code == "not_modelled"


# ------------------------------------------------------------------------------------------ Monte Carlo


def test_monte_carlo_same_seed_bit_identical(ds, chengkou):
    a = tg.monte_carlo(chengkou, ds, n=300, seed=42)
    b = tg.monte_carlo(chengkou, ds, n=300, seed=42)
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].tobytes() == b[key].tobytes(), key


def test_monte_carlo_different_seed_differs(ds, chengkou):
    a = tg.monte_carlo(chengkou, ds, n=300, seed=42)
    b = tg.monte_carlo(chengkou, ds, n=300, seed=43)
    for key in ("population_60plus", "dibao_rural_standard", "elderly_beds"):
        assert not np.array_equal(a[key], b[key]), key


def test_monte_carlo_default_seed_is_scenario_seed(ds, chengkou):
    a = tg.monte_carlo(chengkou, ds, n=50)
    b = tg.monte_carlo(chengkou, ds, n=50, seed=chengkou.scenario.seed)
    np.testing.assert_array_equal(a["rural_urban_dibao_ratio"], b["rural_urban_dibao_ratio"])


def test_monte_carlo_shapes(ds, chengkou):
    draws = tg.monte_carlo(chengkou, ds, n=200, seed=1)
    years = len(chengkou.years)
    np.testing.assert_array_equal(draws["year"], chengkou.years)
    for key, values in draws.items():
        if key != "year":
            assert values.shape == (200, years), key
            # all finite, or all NaN where the district publishes no base figure (chengkou nursing share)
            assert np.isfinite(values).all() or np.isnan(values).all(), key


@pytest.mark.parametrize("n", [0, -1, 100_001])
def test_monte_carlo_rejects_bad_n(ds, chengkou, n):
    with pytest.raises(ShapanError, match="mc"):
        tg.monte_carlo(chengkou, ds, n=n, seed=1)


def test_monte_carlo_median_near_deterministic(ds, chengkou):
    draws = chengkou_draws()
    series = engine.run(chengkou, ds).series
    fan = tg.fan(draws, "population_60plus").set_index("year")
    # the base 60+ is drawn too (uncertainty.pop_base_sd_pct, median multiplier 1)
    assert fan.loc[2020, "p50"] == pytest.approx(series["population_60plus"][2020], rel=0.01)
    assert fan.loc[2035, "p50"] == pytest.approx(series["population_60plus"][2035], rel=0.02)


def test_probabilities_hand_case():
    draws = {"year": np.array([2020, 2025]), "x": np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 3.0], [0.0, 4.0]])}
    targets = pd.DataFrame({"indicator": ["x", "x", "y", "x"], "year": [2025, 2030, 2025, 2020],
                            "target": [2.5, 1.0, 1.0, NAN], "comparator": [">=", ">=", ">=", ">="]})
    assert tg.probabilities(draws, targets) == {("x", 2025): 0.5}
    le = pd.DataFrame({"indicator": ["x"], "year": [2025], "target": [2.0], "comparator": ["<="]})
    assert tg.probabilities(draws, le) == {("x", 2025): 0.5}


def test_probabilities_only_for_future_targets():
    """Regression (found by this test, fixed in 967fc76): base-year targets are observed, not drawn."""
    draws = chengkou_draws()
    targets = pd.DataFrame({"indicator": ["rural_urban_dibao_ratio"] * 2, "year": [2020, 2025],
                            "target": [54.76, 90.0], "comparator": [">=", ">="]})
    probs = tg.probabilities(draws, targets)
    assert ("rural_urban_dibao_ratio", 2025) in probs
    assert ("rural_urban_dibao_ratio", 2020) not in probs, \
        "probabilities() gave a P(met) for a 2020 target, which is observed, not projected"


@settings(max_examples=60, deadline=None)
@given(indicator=st.sampled_from(["rural_urban_dibao_ratio", "population_60plus", "beds_per_1000_elderly",
                                  "dibao_rural_standard"]),
       year=st.sampled_from([2021, 2025, 2030, 2035]),
       q=st.tuples(st.floats(0, 1), st.floats(0, 1)), scale=st.floats(0.8, 1.2))
def test_probability_monotone_in_target_for_ge(indicator, year, q, scale):
    draws = chengkou_draws()
    column = draws[indicator][:, list(draws["year"]).index(year)]
    lo, hi = sorted(q)
    t_lo, t_hi = np.quantile(column, lo) * scale, np.quantile(column, hi) * scale
    if t_hi < t_lo:
        t_lo, t_hi = t_hi, t_lo

    def p(target: float) -> float:
        frame = pd.DataFrame({"indicator": [indicator], "year": [year], "target": [target],
                              "comparator": [">="]})
        return tg.probabilities(draws, frame)[(indicator, year)]

    assert 0 <= p(t_hi) <= p(t_lo) <= 1


@pytest.mark.parametrize("indicator", ["population_60plus", "rural_urban_dibao_ratio", "elderly_beds",
                                       "tekun_standard"])
def test_fan_quantiles_ordered(indicator):
    fan = tg.fan(chengkou_draws(), indicator)
    assert list(fan.columns) == ["year", "p10", "p50", "p90"]
    assert (fan["p10"] <= fan["p50"]).all()
    assert (fan["p50"] <= fan["p90"]).all()


def test_fan_spread_grows_over_time():
    fan = tg.fan(chengkou_draws(), "population_60plus").set_index("year")
    spread = (fan["p90"] - fan["p10"]) / fan["p50"]
    assert spread.loc[2020] > 0  # the base 60+ is uncertain (derived or assumed in most districts)
    assert spread.loc[2035] > spread.loc[2020]
