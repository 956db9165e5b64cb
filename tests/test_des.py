"""Tests of the bed DES (models.des): determinism, extreme values, validation against Erlang-B/C,
capacity growth, common random numbers, parameter checks and output analysis."""

from __future__ import annotations

import copy
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.des import (
    RESULT_COLUMNS,
    DesParams,
    multiple_replications,
    replications_needed,
    single_run,
    summarise,
)
from models.des_inputs import Exponential, Uniform, default, seed_streams
from models.des_validation import validate_against_erlang
from models.errors import ShapanError

YEARS = 8  # 2020..2027 in the small scenarios below


def small(**changes) -> DesParams:
    """A small two-bed-type district: 40 general + 60 nursing beds, slightly overloaded."""
    base = {
        "arrivals_per_year": [40.0 + 2 * k for k in range(YEARS)],
        "general_beds": 40,
        "nursing_beds": 60,
        "end_year": 2020 + YEARS - 1,
        "los_mean_years": 2.5,
        "warmup_years": 2.0,
    }
    return DesParams(**{**base, **changes})


def single_type(beds: float, **changes) -> DesParams:
    """One bed type (general), constant arrivals: 8 per year x 2.5 years = 20 Erlang."""
    base = {
        "arrivals_per_year": 8.0, "general_beds": beds, "nursing_beds": 0, "nursing_need_share": 0.0,
        "end_year": 2029, "los_mean_years": 2.5, "warmup_years": 0.0,
    }
    return DesParams(**{**base, **changes})


@pytest.fixture(scope="module")
def reps() -> pd.DataFrame:
    return multiple_replications(small(), 12, seed=7)


# ---------------------------------------------------------------------------- functionality
def test_single_run_shape_and_columns() -> None:
    frame = single_run(small(), 1)
    assert list(frame.columns) == ["year", *RESULT_COLUMNS]
    assert frame["year"].tolist() == list(range(2020, 2020 + YEARS))
    assert frame.attrs["events"] > 0
    assert (frame["occupied_general_beds"] <= frame["general_beds"] + 1e-9).all()
    assert (frame["occupied_nursing_beds"] <= frame["nursing_beds"] + 1e-9).all()
    assert frame["p_wait"].between(0, 1).all()
    assert (frame["admissions"] <= frame["arrivals"] + frame["waiting_list_year_end"].max() + 100).all()


def test_defaults_come_from_assumptions() -> None:
    p = DesParams(arrivals_per_year=100.0, general_beds=100, nursing_beds=100)
    assert p.los_mean_years == default("beds.los_mean_years")
    assert p.renege_years == default("beds.renege_years")
    assert p.los_cv == default("beds.los_cv")
    assert p.nursing_need_share == default("des.nursing_need_share_pct") / 100
    assert len(p.arrivals_per_year) == len(p.years) == p.end_year - p.base_year + 1


def test_streams_are_buffered_and_reproducible() -> None:
    a, b = seed_streams(3), seed_streams(np.random.SeedSequence(3))
    assert [Exponential(2.0, a["length_of_stay"]).sample() for _ in range(3)] == [
        Exponential(2.0, b["length_of_stay"]).sample() for _ in range(3)
    ]
    u = Uniform(np.random.default_rng(0))
    draws = [u.sample() for _ in range(3000)]  # crosses block refills
    assert all(0.0 <= x < 1.0 for x in draws)
    assert len(set(draws)) == 3000


def test_time_varying_arrivals_follow_the_yearly_rate() -> None:
    rates = [0.0, 400.0, 0.0, 100.0, 0.0]
    p = single_type(math.inf, arrivals_per_year=rates, end_year=2024)
    reps = multiple_replications(p, 10, seed=1)
    means = reps.groupby("year")["arrivals"].mean().to_numpy()
    assert means[0] == means[2] == means[4] == 0.0
    assert means[1] == pytest.approx(400.0, rel=0.05)
    assert means[3] == pytest.approx(100.0, rel=0.1)


def test_nursing_need_only_in_nursing_beds_and_overflow_flag() -> None:
    only_nursing = single_run(small(nursing_need_share=1.0), 2)
    assert (only_nursing["occupied_general_beds"] == 0).all()
    general_only = small(nursing_need_share=0.0, arrivals_per_year=30.0)
    assert (single_run(general_only, 2)["occupied_nursing_beds"] == 0).all()
    spill = single_run(dataclasses.replace(general_only, general_may_use_nursing=True), 2)
    assert (spill["occupied_nursing_beds"] > 0).any()


def test_loss_and_reneging_modes() -> None:
    loss = single_run(small(queue="loss"), 3)
    assert (loss["waiting_list_mean"] == 0).all()
    assert loss["turned_away"].sum() > 0
    assert (loss["mean_wait_years"] == 0).all()
    patient = single_run(small(renege=False), 3)
    assert patient["reneged"].sum() == 0
    assert patient["turned_away"].sum() == 0
    impatient = single_run(small(arrivals_per_year=80.0, renege_years=0.2), 3)
    assert impatient["reneged"].sum() > 0


def test_lognormal_stay_and_littles_law_with_unlimited_beds() -> None:
    # 40 arrivals a year x 2.5 years: 100 occupied on average whatever the stay distribution
    for dist in ("exponential", "lognormal"):
        p = single_type(math.inf, arrivals_per_year=40.0, los_distribution=dist, los_cv=0.6)
        reps = multiple_replications(p, 8, seed=11)
        assert reps["occupied_beds"].mean() == pytest.approx(100.0, rel=0.03)


@settings(max_examples=25, deadline=None)
@given(
    rate=st.floats(0.0, 60.0), general=st.integers(0, 30), nursing=st.integers(0, 30),
    share=st.floats(0.0, 1.0), queue=st.sampled_from(["loss", "waiting"]), renege=st.booleans(),
    overflow=st.booleans(), dist=st.sampled_from(["exponential", "lognormal"]), seed=st.integers(0, 2**32),
)
def test_conservation_and_bounds(rate, general, nursing, share, queue, renege, overflow, dist, seed) -> None:
    # every arrival is admitted, turned away, reneges or is still waiting at the end
    p = small(arrivals_per_year=rate, general_beds=general, nursing_beds=nursing, nursing_need_share=share,
              queue=queue, renege=renege, general_may_use_nursing=overflow, los_distribution=dist,
              initial_occupancy="empty", warmup_years=0.0)
    f = single_run(p, seed)
    final_waiting = f["waiting_list_year_end"].iloc[-1]
    served_or_not = f["admissions"].sum() + f["turned_away"].sum() + f["reneged"].sum() + final_waiting
    assert f["arrivals"].sum() == served_or_not
    assert (f["occupied_general_beds"] <= general + 1e-6).all()
    assert (f["occupied_nursing_beds"] <= nursing + 1e-6).all()
    assert (f[["occupied_beds", "waiting_list_mean", "mean_wait_years"]] >= -1e-9).all().all()
    if share == 1.0:  # nursing-need residents never use general beds
        assert (f["occupied_general_beds"] == 0).all()
    if share == 0.0 and not overflow:  # general residents use nursing beds only with the flag
        assert (f["occupied_nursing_beds"] == 0).all()


# ---------------------------------------------------------------------------- determinism
def test_same_seed_identical_and_across_n_jobs(reps: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(single_run(small(), 5), single_run(small(), 5), check_exact=True)
    parallel = multiple_replications(small(), 12, seed=7, n_jobs=2)
    pd.testing.assert_frame_equal(reps, parallel, check_exact=True)


def test_replication_i_is_child_i_and_seed_not_mutated(reps: pd.DataFrame) -> None:
    children = np.random.SeedSequence(7).spawn(12)
    one = single_run(small(), children[4])
    assert children[4].n_children_spawned == 0
    expected = reps[reps["replication"] == 4].drop(columns="replication").reset_index(drop=True)
    pd.testing.assert_frame_equal(one, expected, check_exact=True)


def test_different_seed_differs() -> None:
    assert not single_run(small(), 1).equals(single_run(small(), 2))


def test_parameters_not_mutated_by_a_run() -> None:
    p = small()
    before = copy.deepcopy(p)
    multiple_replications(p, 2, seed=1)
    assert p == before
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.los_mean_years = 3.0  # type: ignore[misc]


def test_progress_callback() -> None:
    calls: list[tuple[int, int]] = []
    multiple_replications(small(), 3, seed=1, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


# ---------------------------------------------------------------------------- extreme values
def test_unlimited_beds_means_no_wait_and_nobody_turned_away() -> None:
    for queue in ("loss", "waiting"):
        frame = single_run(small(general_beds=math.inf, nursing_beds=math.inf, queue=queue), 4)
        nobody_waits = ["turned_away", "reneged", "waiting_list_mean", "waiting_list_year_end"]
        assert (frame[nobody_waits] == 0).all().all()
        assert (frame["p_wait"] == 0).all()
        assert (frame["mean_wait_years"] == 0).all()
        assert (frame["admissions"] == frame["arrivals"]).all()


@pytest.mark.parametrize("start", ["steady", "empty"])
def test_zero_arrivals_means_empty(start: str) -> None:
    frame = single_run(small(arrivals_per_year=0.0, initial_occupancy=start), 4)
    counts = ["arrivals", "admissions", "turned_away", "reneged", "occupied_beds", "waiting_list_mean"]
    assert (frame[counts] == 0).all().all()
    assert (frame[["p_wait", "mean_wait_years", "occupancy_pct"]] == 0).all().all()


def test_zero_beds_turns_everyone_away() -> None:
    frame = single_run(small(general_beds=0, nursing_beds=0, queue="loss"), 4)
    assert (frame["turned_away"] == frame["arrivals"]).all()
    assert (frame["occupancy_pct"] == 0).all()


# ---------------------------------------------------------------------------- validation vs Erlang
@pytest.fixture(scope="module")
def erlang() -> dict:
    return validate_against_erlang()


def test_validation_reference_case(erlang: dict) -> None:
    assert set(erlang) >= {
        "simulated_loss", "erlang_b_loss", "ci_half_width", "simulated_p_wait", "erlang_c_p_wait",
        "p_wait_ci_half_width", "servers", "offered_load", "replications", "horizon_years", "warmup_years",
    }
    assert erlang["servers"] == default("des.validation_servers")
    assert erlang["offered_load"] == default("des.validation_offered_load")


def test_erlang_b_within_confidence_interval(erlang: dict) -> None:
    assert 0 < erlang["ci_half_width"] < 0.1 * erlang["erlang_b_loss"]
    assert abs(erlang["simulated_loss"] - erlang["erlang_b_loss"]) <= 3 * erlang["ci_half_width"]


def test_erlang_c_within_confidence_interval(erlang: dict) -> None:
    assert abs(erlang["simulated_p_wait"] - erlang["erlang_c_p_wait"]) <= 3 * erlang["p_wait_ci_half_width"]
    gap = abs(erlang["simulated_mean_wait_years"] - erlang["erlang_c_mean_wait_years"])
    assert gap <= 3 * erlang["mean_wait_ci_half_width"]


def test_erlang_b_insensitive_to_stay_distribution() -> None:
    # Erlang-B holds for any stay distribution with the same mean (M/G/c/c), here lognormal CV 2
    out = validate_against_erlang(n_reps=10, horizon_years=60)
    lognormal = multiple_replications(
        single_type(20, arrivals_per_year=64.0, los_mean_years=0.25, los_distribution="lognormal", los_cv=2.0,
                    queue="loss", warmup_years=1.0, end_year=2079), 10, seed=3,
    ).groupby("replication").sum()
    per_rep = lognormal["turned_away"] / lognormal["arrivals"]
    half = 2.262 * per_rep.std(ddof=1) / math.sqrt(len(per_rep))  # t(0.975, 9)
    assert abs(per_rep.mean() - out["erlang_b_loss"]) <= 3 * half


# ---------------------------------------------------------------------------- scenarios and CRN
def test_capacity_growth_mid_run_reduces_waiting() -> None:
    base = small(arrivals_per_year=55.0)
    grown = dataclasses.replace(base, nursing_beds=[60] * 4 + [90] * (YEARS - 4))
    a, b = multiple_replications(base, 8, seed=2), multiple_replications(grown, 8, seed=2)
    before = a["year"] < 2024
    # common random numbers: identical until the new beds open
    pd.testing.assert_frame_equal(a[before], b[before], check_exact=True)
    after = ~before
    assert b.loc[after, "waiting_list_mean"].mean() < 0.5 * a.loc[after, "waiting_list_mean"].mean()
    assert b.loc[after, "p_wait"].mean() < a.loc[after, "p_wait"].mean()
    assert b.loc[after, "occupied_nursing_beds"].mean() > a.loc[after, "occupied_nursing_beds"].mean()


@pytest.mark.parametrize("start", ["empty", "steady"])
def test_crn_more_beds_never_turns_more_away_in_a_loss_system(start: str) -> None:
    # One bed type, loss system, same residents (arrival times and stays): pathwise, more beds never
    # turn more people away in the same replication.
    for seed in range(8):
        turned = [
            single_run(single_type(beds, queue="loss", initial_occupancy=start), seed)["turned_away"].sum()
            for beds in (14, 16, 18, 20, 25)
        ]
        assert turned == sorted(turned, reverse=True), (seed, turned)


def test_crn_more_beds_less_waiting_in_aggregate() -> None:
    # With waiting lists, reneging and two bed types a pathwise ordering is not guaranteed (a resident
    # admitted earlier changes who is in the queue later), so compare replication means.
    a = multiple_replications(small(), 8, seed=9)
    b = multiple_replications(small(general_beds=50, nursing_beds=70), 8, seed=9)
    assert b["waiting_list_mean"].mean() < a["waiting_list_mean"].mean()
    assert b["p_wait"].mean() < a["p_wait"].mean()
    assert b["reneged"].sum() <= a["reneged"].sum()


# ---------------------------------------------------------------------------- output analysis
def test_summarise(reps: pd.DataFrame) -> None:
    s = summarise(reps)
    assert list(s.columns) == ["metric", "year", "mean", "ci_half_width", "ci_low", "ci_high", "std", "n"]
    assert list(dict.fromkeys(s["metric"])) == list(RESULT_COLUMNS)
    assert (s["n"] == 12).all()
    row = s[(s["metric"] == "occupied_beds") & (s["year"] == 2023)].iloc[0]
    values = reps.loc[reps["year"] == 2023, "occupied_beds"]
    assert row["mean"] == pytest.approx(values.mean())
    assert row["ci_half_width"] == pytest.approx(2.200985 * values.std(ddof=1) / math.sqrt(12), rel=1e-5)
    assert row["ci_low"] <= row["mean"] <= row["ci_high"]


def test_replications_needed() -> None:
    frame = pd.DataFrame({
        "replication": range(6), "year": 2020,
        "steady": [100.0, 101.0, 99.0, 100.0, 100.5, 99.5],
        "noisy": [1.0, 50.0, 2.0, 80.0, 0.5, 60.0],
        "zero": 0.0,
    })
    # n = 2: mean 100.5, s = 0.707, half-width 12.706 x 0.707 / sqrt(2) = 6.35 > 5 % of the mean (5.03)
    # n = 3: mean 100, s = 1, half-width 4.303 / sqrt(3) = 2.48 <= 5.00
    assert replications_needed(frame, "steady") == 3
    assert replications_needed(frame, "steady", rel_half_width=0.001) is None
    assert replications_needed(frame, "noisy") is None
    assert replications_needed(frame, "zero") == 2


def test_replications_needed_on_simulation(reps: pd.DataFrame) -> None:
    n = replications_needed(reps, "occupied_beds")
    assert n is not None
    assert 2 <= n <= 12
    assert replications_needed(reps, "occupied_beds", year=2027) is not None


# ---------------------------------------------------------------------------- bad parameters
@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"los_mean_years": -1.0}, "los_mean_years"),
        ({"los_cv": 100.0}, "los_cv"),
        ({"renege_years": 0.0}, "renege_years"),
        ({"nursing_need_share": 1.5}, "nursing_need_share"),
        ({"warmup_years": -1.0}, "warmup_years"),
        ({"los_distribution": "gamma"}, "los_distribution"),
        ({"queue": "fifo"}, "queue"),
        ({"initial_occupancy": "full"}, "initial_occupancy"),
        ({"arrivals_per_year": [1.0, 2.0]}, "arrivals_per_year"),
        ({"arrivals_per_year": -3.0}, "arrivals_per_year"),
        ({"arrivals_per_year": math.inf}, "arrivals_per_year"),
        ({"arrivals_per_year": "many"}, "arrivals_per_year"),
        ({"general_beds": -5}, "general_beds"),
        ({"nursing_beds": [60] * (YEARS - 1) + [math.nan]}, "nursing_beds"),
        ({"end_year": 2019}, "end_year"),
        ({"base_year": 2020.5}, "base_year"),
        ({"renege": "yes"}, "renege"),
        ({"general_may_use_nursing": 1}, "general_may_use_nursing"),
    ],
)
def test_bad_parameters_raise_naming_the_field(changes: dict, key: str) -> None:
    with pytest.raises(ShapanError, match=key):
        small(**changes)


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda: multiple_replications(small(), 0, seed=1), "n"),
        (lambda: multiple_replications(small(), 2, seed=-1), "seed"),
        (lambda: multiple_replications(small(), 2, seed=1, n_jobs=0), "n_jobs"),
        (lambda: single_run(small(), "abc"), "seed"),
        (lambda: single_run({"los_mean_years": 2}, 1), "params"),
    ],
)
def test_bad_run_arguments(call, key: str) -> None:
    with pytest.raises(ShapanError, match=key):
        call()


@pytest.mark.parametrize(
    ("changes", "key"),
    [({"servers": 20.5}, "servers"), ({"offered_load": 25.0}, "offered_load"), ({"n_reps": 1}, "n_reps"),
     ({"los_years": -1.0}, "los_years")],
)
def test_validation_bad_arguments(changes: dict, key: str) -> None:
    with pytest.raises(ShapanError, match=key):
        validate_against_erlang(**changes)


def test_replications_needed_bad_arguments(reps: pd.DataFrame) -> None:
    with pytest.raises(ShapanError, match="no_such_metric"):
        replications_needed(reps, "no_such_metric")
    with pytest.raises(ShapanError, match="rel_half_width"):
        replications_needed(reps, "occupied_beds", rel_half_width=0.0)
    with pytest.raises(ShapanError, match="year"):
        replications_needed(reps, "occupied_beds", year=1999)
