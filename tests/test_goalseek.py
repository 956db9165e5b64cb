"""Goal-seek for confidence: whole-unit lever values that meet a target with P(met) >= p."""

from __future__ import annotations

import pytest

from models import goalseek as gs
from models import scenario as sc
from models import targets as tg
from models.data import load_dataset
from models.resolve import resolve

N = 300


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def chengkou(ds):
    return resolve(sc.Scenario(name="t", district="chengkou"), ds)


@pytest.fixture(scope="module")
def transfer(ds, chengkou):
    return gs.solve_confidence(chengkou, ds, "social_operated_bed_share", "social_transfer_per_year", n=N)


def test_exact_hit_is_a_coin_flip_and_confidence_costs_more(transfer):
    assert transfer["p_at_exact"] == pytest.approx(0.5, abs=0.15)  # the issue: exact hit ⇒ P ≈ 50 %
    assert transfer["reachable"]
    assert transfer["p_at_value"] >= 0.8
    assert transfer["value"] >= transfer["exact_whole"] >= transfer["exact"]


def test_confidence_value_is_whole_beds_and_minimal(ds, chengkou, transfer):
    value = transfer["value"]
    assert value == int(value)
    below = gs.probability(tg.with_values(chengkou, **{"beds.social_transfer_per_year": value - 1}), ds,
                           "social_operated_bed_share", transfer["year"], ">=", transfer["target"], N,
                           chengkou.scenario.seed)
    assert below < 0.8


def test_higher_confidence_needs_more(ds, chengkou, transfer):
    strict = gs.solve_confidence(chengkou, ds, "social_operated_bed_share", "social_transfer_per_year",
                                 p_target=0.95, n=N)
    assert strict["value"] >= transfer["value"]


def test_unreachable_lever_says_so_and_names_one_that_works(ds):
    res = resolve(sc.Scenario(name="t", district="banan"), ds)
    out = gs.solve_confidence(res, ds, "nursing_bed_share", "nursing_share_of_new_beds", n=N)
    assert out["reachable"] is False
    assert out["value"] is None
    alternatives = {r["lever"]: r for r in gs.alternatives(res, ds, "nursing_bed_share")}
    assert alternatives["nursing_conversion_per_year"]["reachable"]  # converting existing beds does it
    assert not alternatives["nursing_share_of_new_beds"]["reachable"]


def test_bad_probability_is_refused(ds, chengkou):
    from models.errors import ShapanError

    with pytest.raises(ShapanError, match="p_target"):
        gs.solve_confidence(chengkou, ds, "social_operated_bed_share", "social_transfer_per_year", p_target=1.0)
