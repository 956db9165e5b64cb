"""Tests for models.goalseek_pairs: where no single lever reaches a bed target, the smallest lever pair that
does (whole beds, P(met) ≥ 80 % where draws exist), in the CLI and on the goal-seek page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from apptest_helpers import assert_ok, new_app

from models import goalseek, goalseek_pairs, presets
from models import targets as tg
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
HIGH = 95.0  # wulong's nursing share: 86 % at most with conversions alone, 88 % with nursing-only new beds


@pytest.fixture(scope="module")
def ds():
    return dataset()


@pytest.fixture(scope="module")
def wulong(ds):
    return resolve(presets.load_preset("wulong", "baseline", ds), ds)


@pytest.fixture(scope="module")
def exact(ds, wulong):
    return goalseek_pairs.combinations(wulong, ds, "nursing_bed_share", target=HIGH, p_target=None)


def project(ds, res, values):
    return tg.projector(res, ds, "nursing_bed_share", 2025)(
        tg.with_values(res, **{tg.LEVERS[k]: v for k, v in values.items()}))


def test_no_single_lever_reaches_95(ds, wulong, exact) -> None:
    assert exact["single_reachable"] == []
    for lever in tg.levers_for("nursing_bed_share"):
        with pytest.raises(ShapanError):
            tg.solve(wulong, ds, "nursing_bed_share", lever, target=HIGH, year=2025)


def test_best_pair_meets_the_target_and_is_minimal_in_whole_beds(ds, wulong, exact) -> None:
    best = exact["combinations"][0]
    values = best["values"]
    assert set(values) == {"nursing_share_of_new_beds", "nursing_conversion_per_year"}
    assert values["nursing_conversion_per_year"] == int(values["nursing_conversion_per_year"])  # whole beds
    assert project(ds, wulong, values) >= HIGH
    one_less = {**values, "nursing_conversion_per_year": values["nursing_conversion_per_year"] - 1}
    assert project(ds, wulong, one_less) < HIGH  # the solved lever is the smallest whole number that works
    beds = [c["beds_per_year"] for c in exact["combinations"]]
    assert beds == sorted(beds)
    assert best["beds_per_year"] == values["nursing_conversion_per_year"]  # a share costs no beds


def test_confidence_raises_the_bed_lever_to_p80(ds, wulong, exact) -> None:
    out = goalseek_pairs.combinations(wulong, ds, "nursing_bed_share", target=HIGH, p_target=0.8, n=200)
    best = out["combinations"][0]
    assert best["p_met"] >= 0.8
    fixed = best["values"]
    p = goalseek.probability(tg.with_values(wulong, **{tg.LEVERS[k]: v for k, v in fixed.items()}), ds,
                             "nursing_bed_share", 2025, ">=", HIGH, 200, wulong.scenario.seed)
    assert p == best["p_met"]
    assert fixed["nursing_conversion_per_year"] >= exact["combinations"][0]["values"]["nursing_conversion_per_year"]
    assert "组合" in out["text_zh"]
    assert "达标概率" in out["text_zh"]
    assert "No single lever" in out["text_en"]


def test_single_lever_enough_means_no_pair(ds, wulong) -> None:
    out = goalseek_pairs.combinations(wulong, ds, "nursing_bed_share", p_target=None)  # the plan's 60 %
    assert "nursing_conversion_per_year" in out["single_reachable"]
    assert out["combinations"] == []


def test_already_met_and_not_modelled(ds) -> None:
    zhushan = resolve(presets.load_preset("zhushan", "baseline", ds), ds)
    out = goalseek_pairs.combinations(zhushan, ds, "nursing_bed_share", p_target=None)
    assert out["already_met"]
    assert "已达到目标" in out["text_zh"]
    chengkou = resolve(presets.load_preset("chengkou", "baseline", ds), ds)  # no base nursing share published
    with pytest.raises(ShapanError):
        goalseek_pairs.combinations(chengkou, ds, "nursing_bed_share", p_target=None)


def test_cli_goalseek_json_says_what_would() -> None:
    out = subprocess.run([sys.executable, "-m", "models.cli", "goalseek", "--district", "wulong", "--indicator",
                          "nursing_bed_share", "--lever", "nursing_conversion_per_year", "--target", str(HIGH),
                          "--mc", "200", "--json"], cwd=ROOT, capture_output=True, text=True, check=True)
    payload = json.loads(out.stdout)
    assert payload["reachable"] is False
    combo = payload["what_would"]["combinations"][0]
    assert combo["p_met"] >= 0.8
    assert set(combo["values"]) == {"nursing_share_of_new_beds", "nursing_conversion_per_year"}


def test_goal_seek_page_shows_the_pair_and_applies_it(monkeypatch) -> None:
    """With the target raised to 95 % no single lever can reach it: the page names the pair and applies it."""
    original = tg.target_row

    def raised(ds, district, indicator, year=None):
        row = original(ds, district, indicator, year)
        if district == "wulong" and indicator == "nursing_bed_share":
            row = pd.Series({**row.to_dict(), "value": HIGH})
        return row

    monkeypatch.setattr(tg, "target_row", raised)
    st.cache_data.clear()
    at = new_app(district="wulong")
    at.switch_page("pages/targets.py").run()
    at.selectbox(key="tg_target_wulong").select("nursing_bed_share|2025").run()
    at.selectbox(key="tg_lever_wulong_nursing_bed_share").select("nursing_conversion_per_year").run()
    assert_ok(at)
    text = next(i.value for i in at.info if "组合" in i.value)
    assert "达标概率" in text
    at.button(key="tg_apply_pair").click().run()
    assert_ok(at)
    st.cache_data.clear()
    assert np.isfinite(HIGH)
