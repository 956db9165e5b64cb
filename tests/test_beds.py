"""Tests for models.beds: hand-computed supply and demand, extreme values, properties, errors."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import beds as bm
from models.errors import ShapanError


def make_params(**overrides) -> bm.BedParams:
    values = {
        "base_year": 2020, "end_year": 2023, "base_beds": 1000.0, "base_nursing_share_pct": 40.0,
        "base_social_share_pct": 50.0, "retirement_rate_pct": 10.0, "projects": (),
        "beds_built_per_year": 0.0, "nursing_share_of_new_beds_pct": 60.0,
        "social_share_of_new_beds_pct": 30.0,
    }
    values.update(overrides)
    return bm.BedParams(**values)


TWO_PROJECTS = (bm.Project(2022, 200, nursing_beds=150, operator="social"), bm.Project(2023, 100))


# ------------------------------------------------------------------------------------------ hand-computed


def test_two_projects_ten_percent_retirement_by_hand():
    frame = bm.supply(make_params(projects=TWO_PROJECTS))
    assert list(frame.columns) == bm.SUPPLY_COLUMNS
    assert frame["year"].tolist() == [2020, 2021, 2022, 2023]
    # total: 1000; 900; 810 + 200; 909 + 100
    np.testing.assert_allclose(frame["elderly_beds"], [1000, 900, 1010, 1009])
    # nursing: 400; 360; 324 + 150 (stated); 426.6 + 60 (60 % of 100 by default)
    np.testing.assert_allclose(frame["nursing_beds"], [400, 360, 474, 486.6])
    # social: 500; 450; 405 + 200 (operator social); 544.5 + 30 (30 % of 100, operator unknown)
    np.testing.assert_allclose(frame["social_beds"], [500, 450, 605, 574.5])
    np.testing.assert_allclose(frame["gov_beds"], [500, 450, 405, 434.5])
    last = frame.iloc[-1]
    assert last["nursing_bed_share"] == pytest.approx(100 * 486.6 / 1009)
    assert last["social_operated_bed_share"] == pytest.approx(100 * 574.5 / 1009)
    assert last["gov_operated_bed_share"] == pytest.approx(100 * 434.5 / 1009)


def test_generic_construction_and_gov_project_by_hand():
    params = make_params(retirement_rate_pct=0.0, beds_built_per_year=50.0,
                         projects=(bm.Project(2021, 100, operator="gov"),))
    frame = bm.supply(params)
    np.testing.assert_allclose(frame["elderly_beds"], [1000, 1150, 1200, 1250])
    np.testing.assert_allclose(frame["nursing_beds"], [400, 400 + 30 + 60, 520, 550])
    np.testing.assert_allclose(frame["social_beds"], [500, 515, 530, 545])


def test_delivery_factor_scales_new_beds_only():
    frame = bm.supply(make_params(projects=TWO_PROJECTS), delivery_factor=0.5)
    # 1000; 900; 810 + 100; 819 + 50
    np.testing.assert_allclose(frame["elderly_beds"], [1000, 900, 910, 869])


def test_projects_outside_the_horizon_are_ignored():
    projects = (bm.Project(2020, 500), bm.Project(2019, 500), bm.Project(2030, 500))
    frame = bm.supply(make_params(projects=projects, retirement_rate_pct=0.0))
    np.testing.assert_allclose(frame["elderly_beds"], 1000)


def test_mixed_operator_splits_like_unknown():
    mixed = bm.supply(make_params(projects=(bm.Project(2021, 100, operator="mixed"),)))
    unknown = bm.supply(make_params(projects=(bm.Project(2021, 100),)))
    np.testing.assert_allclose(mixed["social_beds"], unknown["social_beds"])


def test_demand_and_density_by_hand():
    assert bm.demand_normative(200_000, 35) == pytest.approx(7_000)
    assert bm.demand_need(10_000, 4.5, 90) == pytest.approx(500)
    assert bm.beds_per_1000(7_000, 200_000) == pytest.approx(35)
    np.testing.assert_allclose(bm.beds_per_1000(np.array([100.0, 300.0]), np.array([1e4, 2e4])), [10, 15])
    np.testing.assert_allclose(bm.demand_need(np.array([100.0, 200.0]), 10, np.array([50, 100])), [20, 20])
    np.testing.assert_allclose(bm.demand_normative(np.array([1000.0, 2000.0]), 40), [40, 80])


# ------------------------------------------------------------------------------------------ extreme values


def test_no_projects_no_retirement_is_flat():
    frame = bm.supply(make_params(retirement_rate_pct=0.0, end_year=2035))
    np.testing.assert_allclose(frame["elderly_beds"], 1000)
    np.testing.assert_allclose(frame["nursing_bed_share"], 40)


def test_full_retirement_leaves_only_this_years_new_beds():
    frame = bm.supply(make_params(retirement_rate_pct=100.0, projects=TWO_PROJECTS))
    np.testing.assert_allclose(frame["elderly_beds"], [1000, 0, 200, 100])
    assert math.isnan(frame["nursing_bed_share"].iloc[1])  # no beds: share undefined
    assert frame["nursing_bed_share"].iloc[2] == pytest.approx(75)


def test_unknown_base_social_share_gives_nan_social_series():
    frame = bm.supply(make_params(base_social_share_pct=math.nan, projects=TWO_PROJECTS))
    assert frame["social_beds"].isna().all()
    assert frame["gov_operated_bed_share"].isna().all()
    assert frame["nursing_beds"].notna().all()


def test_zero_delivery_is_pure_decay():
    frame = bm.supply(make_params(projects=TWO_PROJECTS, beds_built_per_year=10.0), delivery_factor=0.0)
    np.testing.assert_allclose(frame["elderly_beds"], 1000 * 0.9 ** np.arange(4))


# ------------------------------------------------------------------------------------------ properties

projects_strategy = st.lists(
    st.builds(
        bm.Project,
        year_open=st.integers(2015, 2040),
        beds=st.integers(0, 5000),
        nursing_beds=st.none(),
        operator=st.sampled_from(bm.OPERATORS),
    ),
    max_size=6,
).map(tuple)

pct = st.floats(0, 100)


@st.composite
def bed_params(draw):
    return make_params(
        end_year=draw(st.integers(2020, 2040)),
        base_beds=draw(st.floats(0, 1e5)),
        base_nursing_share_pct=draw(pct),
        base_social_share_pct=draw(pct),
        retirement_rate_pct=draw(st.floats(0, 30)),
        projects=draw(projects_strategy),
        beds_built_per_year=draw(st.floats(0, 1e4)),
        nursing_share_of_new_beds_pct=draw(pct),
        social_share_of_new_beds_pct=draw(pct),
    )


@settings(max_examples=150, deadline=None)
@given(bed_params())
def test_shares_always_within_0_and_100(params):
    frame = bm.supply(params)
    for column in ("nursing_bed_share", "social_operated_bed_share", "gov_operated_bed_share"):
        values = frame[column]
        assert values[frame["elderly_beds"] > 0].between(0, 100).all()
        assert values[frame["elderly_beds"] == 0].isna().all()
    assert (frame["nursing_beds"] <= frame["elderly_beds"] * (1 + 1e-12) + 1e-9).all()


@settings(max_examples=100, deadline=None)
@given(bed_params(), st.builds(bm.Project, year_open=st.integers(2015, 2040), beds=st.integers(0, 5000)),
       st.floats(0, 1e3), st.floats(1, 1e6))
def test_more_beds_never_lower_beds_per_1000(params, extra, more_built, pop_60plus):
    before = bm.supply(params)["elderly_beds"].to_numpy()
    with_project = dataclasses.replace(params, projects=(*params.projects, extra))
    with_more = dataclasses.replace(params, beds_built_per_year=params.beds_built_per_year + more_built)
    for other in (with_project, with_more):
        after = bm.supply(other)["elderly_beds"].to_numpy()
        density_before = bm.beds_per_1000(before, pop_60plus)
        assert np.all(bm.beds_per_1000(after, pop_60plus) >= density_before * (1 - 1e-12))


@settings(max_examples=60, deadline=None)
@given(bed_params(), st.lists(st.floats(0, 3), min_size=1, max_size=6))
def test_vectorised_equals_scalar_draw_by_draw(params, factors):
    draws = bm.supply_draws(params, np.array(factors))
    for i, factor in enumerate(factors):
        frame = bm.supply(params, delivery_factor=factor)
        for column in bm.SUPPLY_COLUMNS[1:]:
            assert draws[column].shape == (len(factors), params.end_year - params.base_year + 1)
            np.testing.assert_allclose(draws[column][i], frame[column].to_numpy(), rtol=1e-12, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(bed_params(), st.floats(0, 3), st.floats(0, 3))
def test_higher_delivery_never_lowers_supply(params, a, b):
    low, high = sorted((a, b))
    draws = bm.supply_draws(params, np.array([low, high]))
    assert np.all(draws["elderly_beds"][1] >= draws["elderly_beds"][0])


def test_thousand_delivery_draws():
    params = make_params(end_year=2035, projects=TWO_PROJECTS, beds_built_per_year=20.0)
    factors = np.random.default_rng(0).normal(1.0, 0.2, 1000).clip(0, None)
    draws = bm.supply_draws(params, factors)
    assert draws["elderly_beds"].shape == (1000, 16)
    assert np.all(np.isfinite(draws["nursing_bed_share"]))


# ------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("base_year", 2010),
        ("end_year", 2041),
        ("end_year", 2019),
        ("base_beds", -1.0),
        ("base_beds", math.nan),
        ("base_nursing_share_pct", 120.0),
        ("base_social_share_pct", -5.0),
        ("retirement_rate_pct", 101.0),
        ("beds_built_per_year", -10.0),
        ("nursing_share_of_new_beds_pct", 100.5),
        ("social_share_of_new_beds_pct", math.nan),
        ("projects", ("not a project",)),
        ("base_beds", "many"),
    ],
)
def test_bad_params_name_the_field(field, value):
    with pytest.raises(ShapanError, match=field) as info:
        make_params(**{field: value})
    assert field in info.value.message("zh")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year_open": 2014, "beds": 10}, "year_open"),
        ({"year_open": 2041, "beds": 10}, "year_open"),
        ({"year_open": 2022, "beds": -1}, "beds"),
        ({"year_open": 2022, "beds": 10, "nursing_beds": 11}, "nursing_beds"),
        ({"year_open": 2022, "beds": 10, "nursing_beds": -1}, "nursing_beds"),
        ({"year_open": 2022, "beds": 10, "operator": "private"}, "operator"),
    ],
)
def test_bad_project_names_the_field(kwargs, field):
    with pytest.raises(ShapanError, match=field):
        bm.Project(**kwargs)


def test_project_nan_nursing_means_not_stated():
    project = bm.Project(2022, 100, nursing_beds=math.nan)
    assert project.nursing(60.0) == pytest.approx(60.0)


def test_projects_list_is_stored_as_tuple():
    params = make_params(projects=list(TWO_PROJECTS))
    assert isinstance(params.projects, tuple)
    assert hash(params) == hash(make_params(projects=TWO_PROJECTS))


def test_bad_function_arguments_name_the_field():
    params = make_params()
    with pytest.raises(ShapanError, match="delivery_factor"):
        bm.supply(params, delivery_factor=-0.1)
    with pytest.raises(ShapanError, match="delivery_factor"):
        bm.supply_draws(params, np.array([1.0, math.nan]))
    with pytest.raises(ShapanError, match="pop_60plus"):
        bm.beds_per_1000(100, 0)
    with pytest.raises(ShapanError, match="target_occupancy_pct"):
        bm.demand_need(100, 5, 0)
    with pytest.raises(ShapanError, match="institutionalisation_rate_pct"):
        bm.demand_need(100, 120, 90)
    with pytest.raises(ShapanError, match="norm_per_1000"):
        bm.demand_normative(1000, -1)
