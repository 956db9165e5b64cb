"""Calibrated bed demand, the plan-total pipeline, conversion/transfer levers, and the P(wait) sweep."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import bed_demand as bdm
from models import bed_pipeline as bp
from models import bed_sweep as bs
from models import beds as bd
from models import engine
from models import scenario as sc
from models.data import load_dataset
from models.des_inputs import DesParams
from models.errors import ShapanError
from models.queueing import erlang_c
from models.resolve import resolve

DISTRICTS_WITH_BEDS = ("chengkou", "wulong", "banan", "zhushan")


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def run(ds, district, **params):
    scen = sc.Scenario(name="t", district=district, end_year=2030).with_params(**params)
    return engine.run(resolve(scen, ds), ds)


# --------------------------------------------------------------------------------------- calibration


def test_calibrate_hand_computed():
    cal = bdm.calibrate(base_beds=1000, institution_share_pct=50, occupancy_pct=50, disabled_base=5000)
    assert cal.institution_beds_base == 500
    assert cal.residents_base == 250
    assert cal.rate_pct == pytest.approx(5.0)  # 250 / 5000
    assert cal.use_rates_pct((10.0, 20.0, 40.0)) == pytest.approx({"60_69": 0.5, "70_79": 1.0, "80plus": 2.0})
    assert math.isnan(bdm.calibrate(1000, 50, 50, 0).rate_pct)


@pytest.mark.parametrize("district", DISTRICTS_WITH_BEDS)
def test_default_base_year_occupancy_is_the_sourced_national_one(ds, district):
    result = run(ds, district)
    occ = result.beds["institution_occupancy_pct"].iloc[0]
    assert occ == pytest.approx(ds.assumptions["beds.base_occupancy_pct"].value, abs=1e-6)
    assert ds.assumptions["beds.base_occupancy_pct"].source == "mca_2020_07_29"
    assert result.resolved.provenance["beds.institutionalisation_rate_pct"].startswith("calibrated:")


def test_institution_share_100_where_the_plan_prints_institution_beds(ds):
    res = resolve(sc.Scenario(name="t", district="zhushan"), ds)
    assert res["beds.institution_share_pct"] == 100.0  # 公办77 + 民办446 = 523 养老机构床位
    res = resolve(sc.Scenario(name="t", district="banan"), ds)  # 养老服务床位 includes community beds
    assert res["beds.institution_share_pct"] == ds.assumptions["beds.institution_share_pct"].value


def test_user_rate_overrides_the_calibration(ds):
    result = run(ds, "wulong", **{"beds.institutionalisation_rate_pct": 10.0})
    assert result.resolved.provenance["beds.institutionalisation_rate_pct"] == "user"
    expected = result.population["disabled_elderly"].iloc[0] * 0.10 / result.beds["institution_beds"].iloc[0] * 100
    assert result.beds["institution_occupancy_pct"].iloc[0] == pytest.approx(expected)


def test_higher_occupancy_target_means_more_residents(ds):
    low = run(ds, "banan", **{"beds.base_occupancy_pct": 40.0}).beds["institution_residents"]
    high = run(ds, "banan", **{"beds.base_occupancy_pct": 60.0}).beds["institution_residents"]
    assert (high.to_numpy() > low.to_numpy()).all()
    assert high.iloc[0] / low.iloc[0] == pytest.approx(1.5)


# --------------------------------------------------------------------------------------------- pipeline


@given(st.integers(0, 100_000), st.integers(1, 10), st.sampled_from(bp.PROFILES))
def test_whole_beds_sum_exactly(total, n, profile):
    pieces = bp.whole(total, bp.weights(n, profile))
    assert pieces.sum() == total
    assert (pieces >= 0).all()


def test_profiles_hand_computed():
    assert list(bp.whole(1500, bp.weights(5, "linear"))) == [300] * 5
    assert list(bp.whole(1500, bp.weights(5, "front"))) == [500, 400, 300, 200, 100]
    assert list(bp.whole(1500, bp.weights(5, "back"))) == [100, 200, 300, 400, 500]


def test_banan_reaches_the_plan_total_by_default(ds):
    beds = run(ds, "banan").beds.set_index("year")["elderly_beds"]
    assert beds[2025] == pytest.approx(12000)  # 表/第一章第四节: 养老床位数量达到12000张
    assert (np.diff(beds.loc[2020:2025].to_numpy()) > 0).all()  # phased, not all in 2025
    off = run(ds, "banan", **{"beds.include_plan_total": False}).beds.set_index("year")["elderly_beds"]
    assert off[2025] == pytest.approx(9800 + 400 + 100)  # named projects only


@pytest.mark.parametrize("profile", bp.PROFILES)
def test_wulong_total_is_phased_not_a_2025_jump(ds, profile):
    beds = run(ds, "wulong", **{"beds.plan_profile": profile}).beds.set_index("year")["elderly_beds"]
    assert beds[2025] == pytest.approx(2922 + 1500)
    steps = np.diff(beds.loc[2020:2025].to_numpy())
    assert (steps > 0).all()
    assert steps.max() <= 500  # no single-year 1,500-bed jump


def test_front_loaded_is_ahead_of_back_loaded(ds):
    front = run(ds, "banan", **{"beds.plan_profile": "front"}).beds.set_index("year")["elderly_beds"]
    back = run(ds, "banan", **{"beds.plan_profile": "back"}).beds.set_index("year")["elderly_beds"]
    assert front[2022] > back[2022]
    assert front[2025] == back[2025]


# ---------------------------------------------------------------------------------------------- levers


def _params(**kw):
    base = {"base_year": 2020, "end_year": 2025, "base_beds": 1000, "base_nursing_share_pct": 30.0,
                "base_social_share_pct": 40.0, "retirement_rate_pct": 0.0, "nursing_share_of_new_beds_pct": 60.0,
                "social_share_of_new_beds_pct": 70.0}
    return bd.BedParams(**(base | kw))


def test_conversion_lever_hand_computed():
    out = bd.supply(_params(nursing_conversion_per_year=50)).set_index("year")
    assert out.loc[2025, "nursing_beds"] == pytest.approx(300 + 5 * 50)
    assert out.loc[2025, "nursing_bed_share"] == pytest.approx(55.0)


def test_conversion_is_capped_at_the_general_stock():
    out = bd.supply(_params(nursing_conversion_per_year=1000)).set_index("year")
    assert out.loc[2025, "nursing_bed_share"] == pytest.approx(100.0)


def test_transfer_lever_moves_operator_shares():
    out = bd.supply(_params(social_transfer_per_year=60)).set_index("year")
    assert out.loc[2025, "social_operated_bed_share"] == pytest.approx(40 + 30)
    assert out.loc[2025, "gov_operated_bed_share"] == pytest.approx(30)


def test_nursing_share_is_of_institution_beds():
    out = bd.supply(_params(institution_share_pct=50, nursing_conversion_per_year=25)).set_index("year")
    assert out.loc[2020, "institution_beds"] == 500
    assert out.loc[2020, "nursing_beds"] == pytest.approx(150)  # 30 % of 500 institution beds
    assert out.loc[2025, "nursing_bed_share"] == pytest.approx((150 + 125) / 500 * 100)


@pytest.mark.parametrize(("district", "lever", "indicator"), [
    ("banan", "beds.nursing_conversion_per_year", "nursing_bed_share"),
    ("wulong", "beds.nursing_conversion_per_year", "nursing_bed_share"),
    ("banan", "beds.social_transfer_per_year", "gov_operated_bed_share"),
    ("chengkou", "beds.social_transfer_per_year", "social_operated_bed_share"),
])
def test_bed_targets_have_a_moving_lever(ds, district, lever, indicator):
    before = run(ds, district).beds.set_index("year")[indicator][2025]
    after = run(ds, district, **{lever: 100.0}).beds.set_index("year")[indicator][2025]
    assert after != pytest.approx(before)


# ------------------------------------------------------------------------------------------------ sweep


@given(st.floats(0.5, 400), st.sampled_from([0.01, 0.05, 0.2]))
def test_min_beds_is_the_fewest_meeting_the_ceiling(load, x):
    c = bs.min_beds(load, x)
    assert erlang_c(c, load) <= x
    assert c - 1 <= load or erlang_c(c - 1, load) > x


def test_sweep_shortfall_counts_bed_types_separately():
    params = DesParams(arrivals_per_year=40.0, general_beds=100, nursing_beds=10, base_year=2020, end_year=2021,
                       nursing_need_share=0.5, los_mean_years=1.0)
    table = bs.sweep(params, 5.0)
    row = table.iloc[0]
    assert row["load_nursing"] == pytest.approx(20.0)
    assert row["needed_nursing"] == bs.min_beds(20.0, 0.05)
    assert row["shortfall"] == row["needed_nursing"] - 10  # spare general beds do not help


def test_des_shows_waits_where_nursing_capacity_is_tight(ds):
    """巴南 by default: nursing beds stop growing after 2025 while demand grows: waits appear in the 2030s."""
    from models import des

    scen = sc.Scenario(name="t", district="banan", end_year=2035)
    params = engine.des_params(resolve(scen, ds), ds)
    summ = des.summarise(des.multiple_replications(params, 3, 1, n_jobs=1))
    p_wait = summ[summ["metric"] == "p_wait"].set_index("year")["mean"]
    assert p_wait[2025] == 0.0
    assert p_wait[2035] > 0.3


def test_tekun_stream_keeps_base_occupancy_and_is_held_flat(ds):
    """特困 集中供养 is part of the base-year residents (use rate calibrated on the rest), then held at its count."""
    plain = run(ds, "banan").beds.set_index("year")
    tekun = run(ds, "banan", **{"beds.tekun_centralised_residents": 500.0}).beds.set_index("year")
    assert tekun.loc[2020, "institution_occupancy_pct"] == pytest.approx(50.0)
    # the stream does not grow with ageing, so total residents grow more slowly than without it
    assert tekun.loc[2030, "institution_residents"] < plain.loc[2030, "institution_residents"]
    cal = bdm.calibrate(1000, 50, 50, 5000, tekun_centralised=100)
    assert cal.rate_pct == pytest.approx(100 * (250 - 100) / 5000)


def _flat_params():
    return DesParams(arrivals_per_year=(20.0,) * 6, general_beds=(100,) * 6, nursing_beds=(0,) * 6, base_year=2020,
                     end_year=2025, nursing_need_share=0.0, los_mean_years=2.0)


def test_des_confirms_the_final_choice_and_never_lowers_it():
    """Load 40 a year: Erlang-C says 52 beds; the DES (same seed every round) finds years above 5 % and the
    confirmation adds beds there until every year's simulated P(wait) is at most 5 %."""
    params = _flat_params()
    table = bs.sweep(params, 5.0)
    assert (table["needed"] == bs.min_beds(40.0, 0.05)).all()
    out = bs.confirm_with_des(params, table, 5.0, 20, 7)
    assert (out["confirmed"] >= out["needed"]).all()
    assert (out["des_p_wait"] <= 0.05).all()
    assert out["des_confirmed"].all()
    assert out["des_rounds"].iloc[0] >= 2  # the first DES run disagreed with Erlang-C somewhere
    assert (out["confirmed"] > out["needed"]).any()
    again = bs.confirm_with_des(params, table, 5.0, 20, 7)
    pd.testing.assert_frame_equal(out, again)  # same seed, same answer


def test_confirm_refuses_bad_rounds():
    params = _flat_params()
    with pytest.raises(ShapanError):
        bs.confirm_with_des(params, bs.sweep(params, 5.0), 5.0, 5, 1, max_rounds=0)
