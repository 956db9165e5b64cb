"""Tests for models.population: hand-computed cases, extreme values, properties, vectorisation, errors."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import population as pm
from models.data import DEFAULT_DATA_DIR, read_reference
from models.errors import ShapanError


@pytest.fixture(scope="module")
def wpp() -> pd.DataFrame:
    return read_reference(DEFAULT_DATA_DIR, "china_wpp2019_population_2020")


@pytest.fixture(scope="module")
def mx_table() -> pd.DataFrame:
    return read_reference(DEFAULT_DATA_DIR, "china_wpp2024_mortality_mx")


@pytest.fixture(scope="module")
def shape(wpp) -> np.ndarray:
    return pm.age_shape(wpp)


@pytest.fixture(scope="module")
def qx(mx_table, wpp) -> np.ndarray:
    return pm.qx_from_mx(pm.death_rates(mx_table, wpp))


def make_params(**overrides) -> pm.PopulationParams:
    values = {
        "pop_60plus_base": 100_000.0, "mortality_improvement_pct": 1.0, "net_migration_pct": 0.0,
        "disability_prevalence_60_69_pct": 10.0, "disability_prevalence_70_79_pct": 20.0,
        "disability_prevalence_80plus_pct": 40.0,
    }
    values.update(overrides)
    return pm.PopulationParams(**values)


def naive_project(base, qx, steps, mult, improvement_pct, migration_pct):
    """Reference implementation: plain loops, one draw."""
    rows = [list(base)]
    for t in range(steps):
        prev = rows[-1]
        growth = 1 + migration_pct / 100
        surv = [(1 - q) ** (mult * (1 - improvement_pct / 100) ** t) for q in qx]
        nxt = [base[0]] + [prev[a] * surv[a] * growth for a in range(len(base) - 1)]
        nxt[-1] += prev[-1] * surv[-1] * growth
        rows.append(nxt)
    return np.array(rows)


# ------------------------------------------------------------------------------------------ hand-computed


def test_three_age_toy_by_hand():
    base = np.array([100.0, 50.0, 20.0])
    qx = np.array([0.1, 0.2, 0.5])
    out = pm.project(base, qx, base_year=2020, end_year=2022)
    assert out.shape == (1, 3, 3)
    # 2021: entrants 100; 100*0.9 = 90; open 50*0.8 + 20*0.5 = 50
    np.testing.assert_allclose(out[0, 1], [100, 90, 50])
    # 2022: 100; 90; 90*0.8 + 50*0.5 = 97
    np.testing.assert_allclose(out[0, 2], [100, 90, 97])


def test_three_age_toy_multiplier_improvement_migration_by_hand():
    base = np.array([100.0, 50.0, 20.0])
    qx = np.array([0.1, 0.2, 0.5])
    out = pm.project(base, qx, base_year=2020, end_year=2022, mortality_multiplier=2.0,
                     mortality_improvement_pct=10.0, net_migration_pct=10.0)
    # year 1: exponent k = 2: survival = 0.81, 0.64, 0.25; migration x1.1
    np.testing.assert_allclose(out[0, 1], [100, 100 * 0.81 * 1.1, (50 * 0.64 + 20 * 0.25) * 1.1])
    # year 2: exponent 2 * 0.9 = 1.8
    s = 1 - qx
    expected = [100, 100 * s[0] ** 1.8 * 1.1, (89.1 * s[1] ** 1.8 + 40.7 * s[2] ** 1.8) * 1.1]
    np.testing.assert_allclose(out[0, 2], expected)


def test_age_shape_uniform_by_hand(wpp):
    shares = pm.age_shape(wpp, method="uniform")
    both = wpp.set_index("age_group")[["male_thousands", "female_thousands"]].sum(axis=1)
    groups = [f"{a}-{a + 4}" for a in range(45, 100, 5)] + ["100+"]
    total = both[groups].sum()
    assert shares[0] == pytest.approx(both["45-49"] / 5 / total)
    assert shares[-1] == pytest.approx(both["100+"] / total)


def test_age_shape_geometric_split_by_hand():
    groups = [f"{a}-{a + 4}" for a in range(40, 100, 5)] + ["100+"]
    counts = [160.0, 80.0, 40.0, 20.0] + [10.0] * (len(groups) - 4)
    wpp = pd.DataFrame({"age_group": groups, "male_thousands": counts, "female_thousands": 0.0})
    shares = pm.age_shape(wpp, sex="male")
    total = sum(counts[1:])
    # group 45-49: ratio (40/160) ** (1/10) = 2 ** -0.2; counts 80 * r**i / sum(r**j)
    r = 2 ** -0.2
    weights = r ** np.arange(5)
    np.testing.assert_allclose(shares[:5] * total, 80 * weights / weights.sum())
    # flat neighbourhood (65-69: 10 | 10 | 10): uniform 2 a year; open group kept as is
    np.testing.assert_allclose(shares[20:25] * total, 2.0)
    assert shares[-1] * total == pytest.approx(10.0)
    # 95-99, one-sided: ratio (10/10) ** (1/5) = 1
    np.testing.assert_allclose(shares[50:55] * total, 2.0)


def test_age_shape_keeps_group_totals_and_is_nonnegative(wpp, shape):
    both = wpp.set_index("age_group")[["male_thousands", "female_thousands"]].sum(axis=1)
    groups = [f"{a}-{a + 4}" for a in range(45, 100, 5)]
    total = both[[*groups, "100+"]].sum()
    for i, group in enumerate(groups):
        assert shape[5 * i : 5 * i + 5].sum() == pytest.approx(both[group] / total)
    assert shape.sum() == pytest.approx(1.0)
    assert np.all(shape >= 0)
    for sex in ("male", "female"):
        assert pm.age_shape(wpp, sex=sex).sum() == pytest.approx(1.0)


def test_base_population_sums_to_pop_60plus(shape):
    base = pm.base_population(123_456.0, shape)
    assert base[pm.AGES >= 60].sum() == pytest.approx(123_456.0)
    assert base.shape == pm.AGES.shape


def test_death_rates_pooled_at_group_midpoint(mx_table, wpp):
    rates = pm.death_rates(mx_table, wpp)
    row = mx_table.set_index("age_group").loc["60-64"]
    pop = wpp.set_index("age_group").loc["60-64"]
    male, female = pop["male_thousands"], pop["female_thousands"]
    pooled = (row["mx_male_2020_2025"] * male + row["mx_female_2020_2025"] * female) / (male + female)
    assert rates[62 - 45] == pytest.approx(pooled)
    assert pm.death_rates(mx_table, wpp, sex="male")[100 - 45] == pytest.approx(
        mx_table.set_index("age_group").loc["100+", "mx_male_2020_2025"]
    )


def test_death_rates_gompertz_below_55_is_log_linear_and_increasing(mx_table, wpp):
    for period in ("2020_2025", "2015_2020"):
        rates = pm.death_rates(mx_table, wpp, period=period)
        slopes = np.diff(np.log(rates[:10]))
        np.testing.assert_allclose(slopes, slopes[0])
        assert 0.05 < slopes[0] < 0.15  # Gompertz slope of human adult mortality
        assert np.all(np.diff(rates) > 0)


def test_qx_from_mx_by_hand():
    expected = [0.0, 1 - math.exp(-0.1), 1 - math.exp(-1)]
    np.testing.assert_allclose(pm.qx_from_mx(np.array([0.0, 0.1, 1.0])), expected)


def test_life_expectancy_by_hand():
    # constant hazard m at every age incl. the open group: e = 1/m exactly
    m = 0.1
    qx = np.full(pm.AGES.size, 1 - math.exp(-m))
    assert pm.life_expectancy_at(45, qx) == pytest.approx(1 / m)
    assert pm.life_expectancy_at(100, qx) == pytest.approx(1 / m)
    # certain death in the first year at every age
    assert pm.life_expectancy_at(60, np.ones(pm.AGES.size)) == 0.0
    assert pm.life_expectancy_at(60, np.zeros(pm.AGES.size)) == math.inf


def test_e60_of_reference_rates_is_plausible(qx):
    assert 20.0 < pm.life_expectancy_at(60, qx) < 23.5  # WPP 2024 China 2020-25: male ~19.6, female ~23.8


def test_project_summary_columns_and_base_year(shape, qx):
    params = make_params()
    frame = pm.project_summary(params, shape, qx)
    assert list(frame.columns) == pm.SUMMARY_COLUMNS
    assert frame["year"].tolist() == list(range(2020, 2036))
    first = frame.iloc[0]
    base = pm.base_population(params.pop_60plus_base, shape)
    assert first["pop_60plus"] == pytest.approx(100_000.0)
    assert first["pop_80plus"] == pytest.approx(base[35:].sum())
    assert first["pop_45_59"] == pytest.approx(base[:15].sum())
    expected = 0.1 * base[15:25].sum() + 0.2 * base[25:35].sum() + 0.4 * base[35:].sum()
    assert first["disabled_elderly"] == pytest.approx(expected)
    assert (frame["pop_60plus"] >= frame["pop_65plus"]).all()
    assert (frame["pop_65plus"] >= frame["pop_80plus"]).all()


def test_project_matches_naive_loop(shape, qx):
    base = pm.base_population(50_000, shape)
    out = pm.project(base, qx, base_year=2020, end_year=2035, mortality_multiplier=1.2,
                     mortality_improvement_pct=1.5, net_migration_pct=-0.5)
    np.testing.assert_allclose(out[0], naive_project(base, qx, 15, 1.2, 1.5, -0.5), rtol=1e-12)


# ------------------------------------------------------------------------------------------ extreme values


def test_zero_mortality_60plus_grows_only_by_ageing_in(shape, qx):
    base = pm.base_population(100_000, shape)
    out = pm.project(base, qx, base_year=2020, end_year=2035, mortality_multiplier=0.0)[0]
    pop60 = out[:, 15:].sum(axis=1)
    np.testing.assert_allclose(np.diff(pop60), out[:-1, 14])
    np.testing.assert_allclose(out[1:, 1:].sum(axis=1), out[:-1].sum(axis=1))  # nobody dies


def test_certain_death_leaves_only_entrants():
    base = np.array([10.0, 20.0, 30.0])
    out = pm.project(base, np.ones(3), base_year=2020, end_year=2023)[0]
    np.testing.assert_allclose(out[1:], [[10.0, 0.0, 0.0]] * 3)


def test_single_year_horizon_returns_base(shape, qx):
    base = pm.base_population(1_000, shape)
    out = pm.project(base, qx, base_year=2020, end_year=2020)
    assert out.shape == (1, 1, pm.AGES.size)
    np.testing.assert_array_equal(out[0, 0], base)


# ------------------------------------------------------------------------------------------ properties

ages_strategy = st.integers(min_value=3, max_value=12)


@st.composite
def toy_population(draw):
    n_ages = draw(ages_strategy)
    base = np.array(draw(st.lists(st.floats(0, 1e5), min_size=n_ages, max_size=n_ages)))
    qx = np.array(draw(st.lists(st.floats(0, 1), min_size=n_ages, max_size=n_ages)))
    return base, qx


@settings(max_examples=100, deadline=None)
@given(toy_population(), st.floats(0, 10), st.floats(-10, 10))
def test_survival_never_creates_people(pop, mult, improvement):
    base, qx = pop
    out = pm.project(base, qx, base_year=2020, end_year=2030, mortality_multiplier=mult,
                     mortality_improvement_pct=improvement)[0]
    for t in range(out.shape[0] - 1):
        for a in range(out.shape[1] - 1):
            assert out[t + 1, a + 1 :].sum() <= out[t, a:].sum() * (1 + 1e-12) + 1e-9


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 10), st.floats(0, 10), st.floats(-10, 10), st.floats(-20, 20))
def test_higher_mortality_never_raises_pop_60plus(mult_a, mult_b, improvement, migration):
    shape, qx = _reference_inputs()
    low, high = sorted((mult_a, mult_b))
    params = make_params(mortality_improvement_pct=improvement, net_migration_pct=migration)
    summary = pm.project_summary_draws(params, shape, qx, mortality_multiplier=np.array([low, high]))
    assert np.all(summary["pop_60plus"][1] <= summary["pop_60plus"][0] * (1 + 1e-12))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 5), min_size=1, max_size=8), st.floats(-5, 5), st.floats(-5, 5))
def test_vectorised_equals_scalar_draw_by_draw(mults, improvement, migration):
    shape, qx = _reference_inputs()
    base = pm.base_population(10_000, shape)
    kwargs = {"base_year": 2020, "end_year": 2035, "mortality_improvement_pct": improvement,
              "net_migration_pct": migration}
    many = pm.project(base, qx, mortality_multiplier=np.array(mults), **kwargs)
    for i, mult in enumerate(mults):
        one = pm.project(base, qx, mortality_multiplier=mult, **kwargs)
        np.testing.assert_allclose(many[i], one[0], rtol=1e-13)


def test_all_draw_arguments_broadcast(shape, qx):
    base = pm.base_population(10_000, shape)
    mig, improvement = np.array([-1.0, 0.0, 2.0]), np.array([0.0, 1.0, 2.0])
    years = {"base_year": 2020, "end_year": 2030}
    many = pm.project(base, qx, **years, mortality_improvement_pct=improvement, net_migration_pct=mig)
    one = pm.project(base, qx, **years, mortality_improvement_pct=2.0, net_migration_pct=2.0)
    assert many.shape == (3, 11, pm.AGES.size)
    np.testing.assert_allclose(many[2], one[0])


_CACHE: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _reference_inputs() -> tuple[np.ndarray, np.ndarray]:
    """(shape, qx) from the reference data, cached (hypothesis tests cannot take module fixtures)."""
    if "ref" not in _CACHE:
        wpp = read_reference(DEFAULT_DATA_DIR, "china_wpp2019_population_2020")
        mx = read_reference(DEFAULT_DATA_DIR, "china_wpp2024_mortality_mx")
        _CACHE["ref"] = (pm.age_shape(wpp), pm.qx_from_mx(pm.death_rates(mx, wpp)))
    return _CACHE["ref"]


def test_project_leaves_inputs_unchanged(shape, qx):
    base = pm.base_population(10_000, shape)
    base_copy, qx_copy, mult = base.copy(), qx.copy(), np.array([1.0, 1.1])
    pm.project(base, qx, base_year=2020, end_year=2035, mortality_multiplier=mult)
    np.testing.assert_array_equal(base, base_copy)
    np.testing.assert_array_equal(qx, qx_copy)
    np.testing.assert_array_equal(mult, [1.0, 1.1])


# ------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pop_60plus_base", -1.0),
        ("pop_60plus_base", math.nan),
        ("mortality_multiplier", -0.1),
        ("mortality_multiplier", 11.0),
        ("mortality_improvement_pct", 50.0),
        ("net_migration_pct", -30.0),
        ("disability_prevalence_60_69_pct", 101.0),
        ("disability_prevalence_70_79_pct", -1.0),
        ("disability_prevalence_80plus_pct", math.inf),
        ("base_year", 2000),
        ("end_year", 2019),
        ("end_year", 2035.5),
        ("mortality_multiplier", "high"),
    ],
)
def test_bad_params_name_the_field(field, value):
    with pytest.raises(ShapanError, match=field) as info:
        make_params(**{field: value})
    assert field in info.value.message("zh")


def test_params_are_frozen_and_replaceable():
    params = make_params()
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.end_year = 2030  # type: ignore[misc]
    assert dataclasses.replace(params, end_year=2030).years[-1] == 2030


def test_project_rejects_bad_arrays(shape, qx):
    base = pm.base_population(1_000, shape)
    with pytest.raises(ShapanError, match="qx"):
        pm.project(base, qx + 1, base_year=2020, end_year=2025)
    with pytest.raises(ShapanError, match="qx"):
        pm.project(base, qx[:-1], base_year=2020, end_year=2025)
    with pytest.raises(ShapanError, match="base_by_age"):
        pm.project(-base, qx, base_year=2020, end_year=2025)
    with pytest.raises(ShapanError, match="mortality_multiplier"):
        pm.project(base, qx, base_year=2020, end_year=2025, mortality_multiplier=np.array([1.0, -1.0]))
    with pytest.raises(ShapanError, match="incompatible"):
        pm.project(base, qx, base_year=2020, end_year=2025, mortality_multiplier=np.ones(2),
                   net_migration_pct=np.zeros(3))
    with pytest.raises(ShapanError, match="end_year"):
        pm.project(base, qx, base_year=2020, end_year=2019)


def test_reference_table_errors(wpp, mx_table):
    with pytest.raises(ShapanError, match="mx_male_1990_1995"):
        pm.death_rates(mx_table, wpp, period="1990_1995")
    with pytest.raises(ShapanError, match="sex"):
        pm.age_shape(wpp, sex="other")
    with pytest.raises(ShapanError, match="missing age groups"):
        pm.age_shape(wpp[wpp["age_group"] != "70-74"])
    with pytest.raises(ShapanError, match="female_thousands"):
        pm.age_shape(wpp.drop(columns="female_thousands"))
    with pytest.raises(ShapanError, match="age"):
        pm.life_expectancy_at(30, np.zeros(pm.AGES.size))
