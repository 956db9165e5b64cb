"""The plan path: the ratio reaches the plan's target on the linear profile and is held; urban and 特困
as the baseline; districts without a ratio target get the baseline; the plan costs more than the baseline."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import engine, plan_path, presets
from models import forecast as fc
from models.budget import totals
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve


def _run(district: str, preset: str):
    ds = dataset()
    res = resolve(presets.load_preset(district, preset, ds), ds)
    return res, engine.run(res, ds)


def test_drift_hand_computed() -> None:
    assert plan_path.ratio_drift_pp(80.0, 90.0, 2020, 2025) == pytest.approx(2.0)
    assert plan_path.ratio_drift_pp(80.0, 85.0, 2020, 2025) == pytest.approx(1.0)
    assert plan_path.ratio_drift_pp(80.0, 75.0, 2020, 2025) is None  # already met
    assert plan_path.ratio_drift_pp(80.0, math.nan, 2020, 2025) is None  # no target
    assert plan_path.ratio_drift_pp(80.0, 90.0, 2025, 2025) is None  # target year not after the base


def test_chengkou_plan_reaches_90_on_the_linear_profile() -> None:
    """城口: 2020 ratio 496/620 = 80 %, target ≥90 % in 2025 → +2 points a year, then held at 90 %."""
    _, plan = _run("chengkou", "plan")
    _, base = _run("chengkou", "baseline")
    p, b = plan.benefits.set_index("year"), base.benefits.set_index("year")
    assert list(p["dibao_urban_standard"]) == list(b["dibao_urban_standard"])
    assert list(p["tekun_standard"]) == list(b["tekun_standard"])
    for year in range(2021, 2036):
        profile = min(90.0, 80.0 + 2.0 * (year - 2020))
        urban = p.loc[year, "dibao_urban_standard"]
        assert p.loc[year, "dibao_rural_standard"] == math.ceil(profile / 100 * urban - 1e-9)
        assert p.loc[year, "rural_urban_dibao_ratio"] >= profile - 1e-9
    assert p.loc[2025, "rural_urban_dibao_ratio"] >= 90.0
    assert b.loc[2025, "rural_urban_dibao_ratio"] < 90.0


def test_districts_without_a_ratio_target_get_the_baseline() -> None:
    for district in ("banan", "jiulongpo"):
        _, plan = _run(district, "plan")
        _, base = _run(district, "baseline")
        cols = ["dibao_urban_standard", "dibao_rural_standard", "tekun_standard"]
        assert plan.benefits[cols].equals(base.benefits[cols])


def test_the_plan_costs_more_than_the_baseline_where_it_asks_more() -> None:
    _, plan = _run("chengkou", "plan")
    _, base = _run("chengkou", "baseline")
    cost = {name: totals(run.budget, 2021, 2025).set_index("programme")["cost_wan_yuan"]
            for name, run in (("plan", plan), ("base", base))}
    assert cost["plan"]["dibao_rural"] > cost["base"]["dibao_rural"]
    assert cost["plan"]["dibao_urban"] == pytest.approx(cost["base"]["dibao_urban"])


def _setter(urban: float, rural: float) -> fc.SetterParams:
    return fc.SetterParams(urban_base_yuan_month=urban, rural_base_yuan_month=rural,
                           baseline_recent_growth_pct=8.0, baseline_long_run_growth_pct=5.0, baseline_damping=0.6,
                           baseline_ratio_drift_pp=0.5, tekun_multiplier=1.3)


@settings(max_examples=60, deadline=None)
@given(st.floats(300, 1000), st.floats(0.5, 0.95), st.floats(0.0, 30.0), st.integers(2021, 2030))
def test_target_is_met_in_its_year_and_never_left(urban: float, share: float, gap: float, year: int) -> None:
    base = _setter(urban, round(urban * share))
    target = min(100.0, base.ratio_base_pct + gap)
    drift = plan_path.ratio_drift_pp(base.ratio_base_pct, target, 2020, year)
    if drift is not None and drift > 20:  # beyond the setter's drift range [-20, 20] pp/yr: a clear refusal
        with pytest.raises(ShapanError, match="baseline_ratio_drift_pp"):
            plan_path.setter_params(base, target, year)
        return
    params = plan_path.setter_params(base, target, year)
    if drift is None or drift <= base.baseline_ratio_drift_pp:
        assert params == base  # the target asks nothing beyond the baseline
        return
    path = fc.baseline(params).set_index("year")
    ratio = path["rural_urban_dibao_ratio"]
    assert ratio.loc[year:].min() >= target - 1e-9  # met in its year and held after
    assert np.all(np.diff(path["dibao_rural_standard"].to_numpy()) >= 0)
    assert np.all(ratio.to_numpy() <= 100.0 + 1e-9)
