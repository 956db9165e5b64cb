"""Tests for models.engine: every district × preset runs; freeze/stress behave; base-year values and the
chengkou budget hand-checked; a run leaves its inputs unchanged and returns fresh frames."""

from __future__ import annotations

import copy
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import budget_stage, engine, presets, setters
from models import scenario as sc
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve

DISTRICTS = ("chengkou", "wulong", "banan", "jiulongpo", "zhushan")
PRESETS = ("plan", "freeze", "stress")
STANDARDS = ("dibao_urban_standard", "dibao_rural_standard", "tekun_standard", "orphan_standard")


@pytest.fixture(scope="module")
def ds():
    return dataset()


@pytest.fixture(scope="module")
def runs(ds):
    out = {}
    for d in DISTRICTS:
        for p in PRESETS:
            res = resolve(presets.load_preset(d, p, ds), ds)
            out[d, p] = engine.run(res, ds)
    return out


def baseline(ds, district: str, indicator: str, year: int = 2020) -> float:
    """The district's published figure, else its setter's (九龙坡 executes Chongqing's standards)."""
    ind = ds.indicators_for(district)
    rows = ind[(ind["indicator"] == indicator) & (ind["year"] == year) & (ind["kind"] == "baseline")]
    if rows.empty:
        return setters.setter_figure(ds, district, indicator, year)[0]
    return float(rows["value"].iloc[0])


def nan_safe(values) -> dict:
    return {k: ("nan" if isinstance(v, float) and math.isnan(v) else v) for k, v in values.items()}


# ---------------------------------------------------------------------------------------------- smoke


def test_every_district_and_preset_runs(runs):
    assert len(runs) == len(DISTRICTS) * len(PRESETS)
    for (d, p), result in runs.items():
        years = result.resolved.years
        assert result.population["year"].tolist() == years, (d, p)
        assert result.benefits["year"].tolist() == years, (d, p)
        if result.beds is not None:
            assert result.beds["year"].tolist() == years, (d, p)
        series = result.series
        assert "population_60plus" in series, (d, p)
        for indicator, values in series.items():
            assert set(values) <= set(years), (d, p, indicator)
            assert all(math.isfinite(v) for v in values.values()), (d, p, indicator)
        assert (result.budget["cost_wan_yuan"] >= 0).all(), (d, p)


def test_jiulongpo_has_no_beds_but_a_population(runs):
    result = runs["jiulongpo", "plan"]
    assert result.beds is None
    assert set(result.series) >= {"population_60plus", "population_80plus"}


@pytest.mark.parametrize("district", DISTRICTS)
def test_population_positive_and_growing_60plus(runs, district):
    pop = runs[district, "plan"].population
    assert (pop["population_60plus"] > 0).all()
    assert (pop["population_80plus"] < pop["population_65plus"]).all()
    assert (pop["population_65plus"] < pop["population_60plus"]).all()


# ----------------------------------------------------------------------------------- freeze and stress


@pytest.mark.parametrize("district", DISTRICTS)
def test_freeze_keeps_standards_and_beds_flat(runs, ds, district):
    result = runs[district, "freeze"]
    series = result.series
    checked = 0
    for indicator in (*STANDARDS, "elderly_beds"):
        if indicator not in series:
            continue
        values = np.array(list(series[indicator].values()))
        assert np.all(values == values[0]), f"{district} freeze: {indicator} not flat: {values}"
        checked += 1
    for indicator in ("dibao_urban_standard", "dibao_rural_standard"):
        if indicator in series:
            assert series[indicator][2020] == baseline(ds, district, indicator)
    if result.beds is not None:
        assert series["elderly_beds"][2035] == result.resolved["beds.base_beds"]
    assert checked or district == "jiulongpo"


def test_freeze_chengkou_hand_values(runs):
    series = runs["chengkou", "freeze"].series
    assert set(series["dibao_urban_standard"].values()) == {620.0}
    assert set(series["dibao_rural_standard"].values()) == {496.0}
    assert set(series["tekun_standard"].values()) == {806.0}
    assert set(series["elderly_beds"].values()) == {1800.0}
    assert set(series["rural_urban_dibao_ratio"].values()) == {80.0}


@pytest.mark.parametrize("district", DISTRICTS)
def test_stress_has_more_elderly_than_plan_in_2035(runs, district):
    plan = runs[district, "plan"].series["population_60plus"]
    stress = runs[district, "stress"].series["population_60plus"]
    assert stress[2035] > plan[2035]
    assert stress[2020] == plan[2020]


def test_stress_beds_retire(runs):
    beds = runs["banan", "stress"].series["elderly_beds"]
    assert beds[2035] < runs["banan", "plan"].series["elderly_beds"][2035]


def test_fixed_growth_standards_grow_at_resolved_rate(ds):
    scen = presets.load_preset("wulong", "plan", ds).with_params(**{"benefits.rule": "fixed_growth"})
    result = engine.run(resolve(scen, ds), ds)
    g = result.resolved["benefits.dibao_urban_growth_pct"]
    urban = result.series["dibao_urban_standard"]
    assert urban[2025] == pytest.approx(620 * (1 + g / 100) ** 5, rel=1e-3)


def test_plan_standards_follow_the_setter_and_the_ratio_target(ds, runs):
    """The plan preset: urban as the baseline (the setter's), the ratio at the plan's 2025 target (≥85 %)."""
    plan = runs["wulong", "plan"]
    base = engine.run(resolve(presets.load_preset("wulong", "baseline", ds), ds), ds)
    assert plan.series["dibao_urban_standard"] == base.series["dibao_urban_standard"]
    assert plan.series["rural_urban_dibao_ratio"][2025] >= 85.0 > base.series["rural_urban_dibao_ratio"][2025]


# ---------------------------------------------------------------------------------------- base year


@pytest.mark.parametrize("district", DISTRICTS)
def test_base_year_values_by_hand(runs, district):
    result = runs[district, "plan"]
    res = result.resolved
    series = result.series
    assert series["population_60plus"][2020] == pytest.approx(res["population.pop_60plus_base"], rel=1e-12)
    if result.beds is not None:
        assert series["elderly_beds"][2020] == res["beds.base_beds"]
        expected = res["beds.base_beds"] / res["population.pop_60plus_base"] * 1000
        assert series["beds_per_1000_elderly"][2020] == pytest.approx(expected, rel=1e-12)


def test_base_year_beds_per_1000_hand_numbers(runs):
    assert runs["banan", "plan"].series["beds_per_1000_elderly"][2020] == pytest.approx(9800 / 237500 * 1000)
    assert runs["chengkou", "plan"].series["beds_per_1000_elderly"][2020] == pytest.approx(40.0)
    assert runs["wulong", "plan"].series["beds_per_1000_elderly"][2020] == pytest.approx(2922 / 83486 * 1000)
    assert runs["wulong", "plan"].series["nursing_bed_share"][2020] == pytest.approx(45.81)


def test_base_year_standards_and_ratio(runs):
    series = runs["chengkou", "plan"].series
    assert series["dibao_urban_standard"][2020] == 620
    assert series["dibao_rural_standard"][2020] == 496
    assert series["rural_urban_dibao_ratio"][2020] == pytest.approx(496 / 620 * 100)


# --------------------------------------------------------------------------------------------- budget


def test_chengkou_budget_cost_formula_from_frame_columns(runs):
    budget = runs["chengkou", "plan"].budget
    assert set(budget["programme"]) >= {"dibao_urban", "dibao_rural", "tekun"}
    for row in budget.itertuples():
        expected = (row.recipients * row.standard_yuan_month * row.payment_ratio * row.payments_per_year
                    / 10_000)
        assert row.cost_wan_yuan == pytest.approx(expected, rel=1e-12), (row.programme, row.year)
    monthly = budget[budget["payments_per_year"] == 12]
    by_hand = monthly["recipients"] * monthly["standard_yuan_month"] * monthly["payment_ratio"] * 12 / 10_000
    np.testing.assert_allclose(monthly["cost_wan_yuan"], by_hand, rtol=1e-12)


def test_chengkou_budget_calibration_by_hand(runs):
    """Rural 低保: 57410 人次 over 2016–20 read as person-years → 11482 a year; payment ratio
    = 20838.25 万元 × 10,000 / (57410 × 12 × mean standard), mean of 300 × (496/300)^(i/5), i = 1..5."""
    budget = runs["chengkou", "plan"].budget
    rural = budget[budget["programme"] == "dibao_rural"].set_index("year")
    mean_std = np.mean([300 * (496 / 300) ** (i / 5) for i in range(1, 6)])
    ratio = 20838.25e4 / (57410 * 12 * mean_std)
    assert rural.loc[2020, "recipients"] == pytest.approx(57410 / 5)
    assert rural.loc[2020, "payment_ratio"] == pytest.approx(ratio, rel=1e-12)
    assert rural.loc[2020, "standard_yuan_month"] == 496
    assert rural.loc[2020, "cost_wan_yuan"] == pytest.approx(57410 / 5 * 496 * ratio * 12 / 10_000)
    # temporary aid: per-case amount × cases a year; 2020 cost = the 13th-FYP mean yearly spend
    aid = budget[budget["programme"] == "temporary_aid"].set_index("year")
    assert aid.loc[2020, "cost_wan_yuan"] == pytest.approx(1165.98 / 5)


def test_freeze_budget_flat_when_recipients_flat(runs):
    budget = runs["chengkou", "freeze"].budget
    for prog, grp in budget.groupby("programme"):
        if prog != "temporary_aid":
            assert grp["cost_wan_yuan"].nunique() == 1, prog


def test_uncosted_programmes_listed(runs):
    result = runs["banan", "plan"]
    costed = set(result.budget["programme"])
    assert costed.isdisjoint(result.budget_notes)
    # 巴南's programmes are inside its top-down total (累计发放各类救助金超6亿元), which is costed on its own
    assert costed | set(result.budget_notes) == set(budget_stage.PROGRAMME_SOURCES) | {"social_assistance_topdown"}


# ----------------------------------------------------------------------------------------- determinism


def test_run_leaves_inputs_unchanged(ds):
    res = resolve(presets.load_preset("zhushan", "stress", ds), ds)
    values = copy.deepcopy(nan_safe(res.values))
    provenance = dict(res.provenance)
    scenario = copy.deepcopy(res.scenario)
    indicators = ds.indicators.copy(deep=True)
    projects = ds.projects.copy(deep=True)
    engine.run(res, ds)
    assert nan_safe(res.values) == values
    assert dict(res.provenance) == provenance
    assert res.scenario == scenario
    pd.testing.assert_frame_equal(ds.indicators, indicators)
    pd.testing.assert_frame_equal(ds.projects, projects)


def test_run_is_deterministic(ds, runs):
    res = resolve(presets.load_preset("wulong", "stress", ds), ds)
    again = engine.run(res, ds)
    first = runs["wulong", "stress"]
    pd.testing.assert_frame_equal(again.population, first.population)
    pd.testing.assert_frame_equal(again.beds, first.beds)
    pd.testing.assert_frame_equal(again.benefits, first.benefits)
    pd.testing.assert_frame_equal(again.budget, first.budget)
    assert again.series == first.series


def test_result_frames_are_fresh_per_run(ds):
    res = resolve(presets.load_preset("chengkou", "plan", ds), ds)
    reference = engine.run(res, ds)
    victim = engine.run(res, ds)
    for frame in (victim.population, victim.beds, victim.benefits, victim.budget, victim.flags):
        for col in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[col]):
                frame[col] = frame[col] * 0 - 1
        frame["year"] = -1
    for inputs in victim.budget_inputs.values():
        if inputs["standard"].flags.writeable:
            inputs["standard"][:] = -1.0
        inputs["recipients"] = -1.0
    victim.budget_notes.append("tampered")
    fresh = engine.run(res, ds)
    pd.testing.assert_frame_equal(fresh.population, reference.population)
    pd.testing.assert_frame_equal(fresh.beds, reference.beds)
    pd.testing.assert_frame_equal(fresh.benefits, reference.benefits)
    pd.testing.assert_frame_equal(fresh.budget, reference.budget)
    pd.testing.assert_frame_equal(fresh.flags, reference.flags)
    assert fresh.budget_notes == reference.budget_notes
    for prog, inputs in reference.budget_inputs.items():
        np.testing.assert_array_equal(fresh.budget_inputs[prog]["standard"], inputs["standard"])


def test_shorter_end_year(ds):
    res = resolve(dataclasses.replace(presets.load_preset("banan", "plan", ds), end_year=2025), ds)
    result = engine.run(res, ds)
    assert result.population["year"].tolist() == list(range(2020, 2026))
    assert max(result.series["elderly_beds"]) == 2025
    assert result.budget.empty or result.budget["year"].max() == 2025


def test_user_project_adds_beds(ds, runs):
    base = presets.load_preset("banan", "plan", ds)
    scen = dataclasses.replace(base, projects=(sc.UserProject(2023, 500, 500, "social"),))
    result = engine.run(resolve(scen, ds), ds)
    plan = runs["banan", "plan"].series["elderly_beds"]
    assert result.series["elderly_beds"][2023] == pytest.approx(plan[2023] + 500)
    assert result.series["elderly_beds"][2022] == pytest.approx(plan[2022])


# ----------------------------------------------------------------------------------------- robustness


@st.composite
def valid_params(draw) -> dict:
    """Up to six parameters, each with a value inside its declared type and range."""
    ds = dataset()
    out = {}
    for key in draw(st.lists(st.sampled_from(sorted(sc.PARAMS)), max_size=6, unique=True)):
        spec = sc.PARAMS[key]
        if spec.kind is bool:
            out[key] = draw(st.booleans())
        elif spec.kind is str:
            out[key] = draw(st.sampled_from(spec.choices))
        else:
            lo, hi = sc.param_range(key, ds.assumptions)
            lo, hi = (-1e3 if lo is None else lo), (1e3 if hi is None else hi)
            if spec.kind is int:
                out[key] = draw(st.integers(math.ceil(lo), math.floor(hi)))
            else:
                out[key] = draw(st.floats(lo, hi, allow_nan=False))
    return out


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(district=st.sampled_from(DISTRICTS), end_year=st.sampled_from([2025, 2030, 2035]),
       params=valid_params())
def test_any_valid_scenario_runs_or_raises_shapan_error(district, end_year, params):
    scen = sc.Scenario(name="h", district=district, end_year=end_year).with_params(**params)
    try:
        result = engine.run(resolve(scen, dataset()), dataset())
    except ShapanError as err:
        message = err.message("en")
    else:
        message = ""
    if message:
        return
    for indicator, values in result.series.items():
        assert set(values) <= set(range(2020, end_year + 1)), indicator
        assert all(math.isfinite(v) for v in values.values()), indicator
