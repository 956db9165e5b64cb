"""The DES's work budget (issue 10): the estimate, the refusal before running, the beds page's notice."""

from __future__ import annotations

import pytest
from apptest_helpers import APP, assert_ok, open_tab
from streamlit.testing.v1 import AppTest

from models import des, des_budget, engine, limits, presets, share
from models.data import dataset
from models.des_inputs import DesParams
from models.errors import ShapanError
from models.resolve import resolve
from pages._ui import load_locale

HEAVY = {"beds.institutionalisation_rate_pct": 100, "beds.los_mean_years": 0.1}  # both in range


def params(district: str, **overrides) -> DesParams:
    ds = dataset()
    scen = presets.load_preset(district, "plan", ds)
    if overrides:
        scen = scen.with_params(**overrides)
    return engine.des_params(resolve(scen, ds), ds)


@pytest.fixture
def never_run(monkeypatch):
    def fail(*_a, **_k):
        raise AssertionError("the simulation ran although its estimate is over the budget")

    monkeypatch.setattr(des._BedModel, "run", fail)


@pytest.mark.parametrize("district", ["chengkou", "wulong", "banan", "zhushan"])
def test_estimate_bounds_the_events_a_run_counts(district):
    p = params(district)
    estimate = des_budget.estimate_events(p)
    counted = [des.single_run(p, seed).attrs["events"] for seed in range(3)]
    assert max(counted) <= estimate <= 2 * min(counted)


def test_estimate_by_hand():
    p = DesParams(arrivals_per_year=(100.0, 200.0), general_beds=(10.0, 10.0), nursing_beds=(0.0, 0.0),
                  base_year=2020, end_year=2021, nursing_need_share=0.0, los_mean_years=0.5,
                  warmup_years=2.0, queue="loss", renege=False)
    # arrivals 2 x 100 + 100 + 200 = 500, two events each; start: min(10 beds, 100 x 0.5); 2 year starts
    assert des_budget.estimate_events(p) == 500 * 2 + 10 + 2
    assert des_budget.estimate_events(p, 7) == 7 * 1012


def test_issue_reproducer_refused_before_running(never_run):
    """巴南, institutionalisation 100 %, stay 0.1 years: over 200 s per replication before issue 10."""
    p = params("banan", **HEAVY)
    assert des_budget.estimate_events(p) > 20_000_000
    for call in (lambda: des.single_run(p, 1), lambda: des.multiple_replications(p, 20, 1)):
        with pytest.raises(ShapanError) as err:
            call()
        assert err.value.code == "des_budget"
        assert "10,000,000" in err.value.message("en")
        assert "10,000,000" in err.value.message("zh")


def test_replications_count_in_the_budget(never_run):
    p = params("chengkou")
    one = des_budget.estimate_events(p)
    with limits.override(des_events=3 * one), pytest.raises(ShapanError) as err:
        des.multiple_replications(p, 4, 1)
    assert err.value.fields["replications"] == 4


def test_within_budget_runs():
    p = params("chengkou")
    with limits.override(des_events=2 * des_budget.estimate_events(p)):
        assert des.multiple_replications(p, 2, 1)["replication"].nunique() == 2


@pytest.mark.parametrize("jobs", [0, -2, 65, 100_000, True])
def test_jobs_bounds(jobs, never_run):
    with pytest.raises(ShapanError) as err:
        des.multiple_replications(params("chengkou"), 2, 1, n_jobs=jobs)
    assert "n_jobs" in err.value.message("en")


@pytest.mark.parametrize("seed", [-1, 2**63, 10**40])
def test_seed_bounds(seed, never_run):
    with pytest.raises(ShapanError) as err:
        des.multiple_replications(params("chengkou"), 2, seed)
    assert "seed" in err.value.message("en")


def test_beds_page_shows_estimate_and_refuses_heavy_scenario():
    zh = load_locale("zh")
    ds = dataset()
    heavy = presets.load_preset("banan", "plan", ds).with_params(**HEAVY)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"district": "banan", "s": share.encode(presets.sc.dumps(heavy))})
    at.run()
    at.switch_page("pages/beds.py").run()
    open_tab(at, "beds_tab", zh["beds.tab_des"])
    assert_ok(at)
    refusal = [e.value for e in at.error if "10,000,000" in e.value]
    assert refusal, [e.value for e in at.error]
    assert at.button(key="beds_des_run").disabled
    normal = AppTest.from_file(APP, default_timeout=60)
    normal.query_params.update({"district": "banan"})
    normal.run()
    normal.switch_page("pages/beds.py").run()
    open_tab(normal, "beds_tab", zh["beds.tab_des"])
    prefix = zh["beds.des_estimate"].split("{")[0]
    assert any(c.value.startswith(prefix) for c in normal.caption)
    assert not normal.button(key="beds_des_run").disabled
