"""Net migration by age: the spread over single ages, the projection (hand-computed), the engine and the
population page's levers."""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import assert_ok, new_app
from hypothesis import given, settings
from hypothesis import strategies as st

from models import engine, migration, population_stage, presets
from models import population as pp
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve
from pages._ui import load_locale

AGES = pp.AGES


def test_by_age_spreads_each_band_by_the_base_population() -> None:
    base = np.ones(AGES.size)
    base[AGES == 62] = 3.0  # 60-64: weights 1, 1, 3, 1, 1
    m = migration.by_age(base, (0.0, 70.0, 0.0, 0.0), AGES)
    assert m[(AGES >= 60) & (AGES <= 64)] == pytest.approx([10, 10, 30, 10, 10])
    assert m[(AGES < 60) | (AGES > 64)].sum() == 0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e5, 1e5, allow_nan=False), min_size=4, max_size=4),
       st.lists(st.floats(0, 1e4, allow_nan=False), min_size=AGES.size, max_size=AGES.size))
def test_band_totals_are_kept(totals: list[float], base: list[float]) -> None:
    m = migration.by_age(np.array(base), totals, AGES)
    for total, (lo, hi) in zip(totals, migration.BANDS.values(), strict=True):
        inside = (AGES >= lo) & (AGES <= hi)  # noqa: SIM300
        assert m[inside].sum() == pytest.approx(total, abs=1e-6)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ShapanError):
        migration.by_age(np.ones(AGES.size), (1.0, 2.0), AGES)
    with pytest.raises(ShapanError):
        migration.by_age(np.ones(AGES.size), (0.0, 2e6, 0.0, 0.0), AGES)


def test_inflow_at_60_64_raises_60plus_by_the_hand_computed_amount() -> None:
    """Constant death probability q = 0.1 at every age, no improvement: M = 100 migrants aged 60-64 a year
    add 100 to 60+ after one year, 100 + 0.9 × 100 after two, 100 + 90 + 81 after three (every cohort
    of migrants stays 60+ as it ages)."""
    base = np.full(AGES.size, 1000.0)
    qx = np.full(AGES.size, 0.1)
    kwargs = {"base_year": 2020, "end_year": 2023}
    without = pp.project(base, qx, **kwargs)
    with_m = pp.project(base, qx, migrants_by_age=migration.by_age(base, (0, 100, 0, 0), AGES), **kwargs)
    gain = (with_m - without)[0][:, AGES >= 60].sum(axis=1)
    assert gain == pytest.approx([0.0, 100.0, 190.0, 271.0])
    assert (with_m - without)[0][:, AGES < 60].sum() == pytest.approx(0.0)


def _run(district: str, **params):
    ds = dataset()
    scen = presets.load_preset(district, "baseline", ds)
    res = resolve(scen.with_params(**params) if params else scen, ds)
    return res, engine.run(res, ds)


def test_engine_applies_the_levers_once() -> None:
    """Deterministic run and Monte Carlo draws (three projections recombined) both add M exactly once."""
    _, base = _run("wulong")
    res, moved = _run("wulong", **{"population.net_migrants_60_64_per_year": 500.0})
    p0, p1 = base.series["population_60plus"], moved.series["population_60plus"]
    assert p1[2020] == p0[2020]
    assert p1[2021] - p0[2021] == pytest.approx(500.0)
    ds = dataset()
    share = np.full(3, res["population.share_65_of_60_pct"])
    draws = population_stage.population_draws(res, ds, np.ones(3), share)
    plain, _ = _run("wulong")
    draws0 = population_stage.population_draws(plain, ds, np.ones(3), share)
    assert draws["pop_60plus"][:, 1] - draws0["pop_60plus"][:, 1] == pytest.approx(np.full(3, 500.0))
    assert draws["pop_60plus"][0] == pytest.approx(np.array(list(p1.values())))


def test_defaults_are_zero_with_a_reason() -> None:
    ds = dataset()
    for key in migration.KEYS:
        entry = ds.assumptions[key]
        assert entry.value == 0
        assert entry.is_assumption
        assert "0" in entry.reason
    res, _ = _run("chengkou")
    assert migration.per_year(res.values) == (0.0, 0.0, 0.0, 0.0)


def test_population_page_has_the_levers() -> None:
    at = new_app()
    at.switch_page("pages/population.py").run()
    assert_ok(at)
    key = "population.net_migrants_60_64_per_year"
    at.number_input(key=key).set_value(300.0).run()
    assert_ok(at)
    _, moved = _run("chengkou", **{"population.net_migrants_60_64_per_year": 300.0})
    label = load_locale("zh")["population.metric_60plus"].format(year=2025)
    shown = next(m.value for m in at.metric if m.label.startswith(label))
    assert shown.startswith(f"{moved.series['population_60plus'][2025]:,.0f}")
