"""Tests for models.plans_compare (the 14th plan's result next to the 15th plan's draft): hand-built
evaluation and draft tables with hand-computed rows, a hypothesis property on which rows appear, and the
real 武隆 tables from the made-up 2025 actuals (tests/fixtures/actuals_wulong_2025.csv)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import backtest, draft, rebase
from models import evaluation as ev
from models import plans_compare as pc
from models.data import dataset

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "actuals_wulong_2025.csv"


def ev_row(indicator, year, target, actual, status, margin, comparator=">=", unit="%", binding="预期性"):
    return {"indicator": indicator, "year": year, "target": target, "comparator": comparator, "binding": binding,
            "unit": unit, "actual": actual, "status": status, "margin": margin}


def dr_row(indicator, target, base, status, p, cost, comparator=">=", unit="%", basis="trend", binding=""):
    return {"indicator": indicator, "target": target, "comparator": comparator, "base_value": base,
            "base_year": 2025, "status": status, "probability": p, "cost_2026_2030": cost, "basis": basis,
            "binding": binding, "unit": unit}


EVALUATION = pd.DataFrame([
    ev_row("ratio", 2022, 80.0, 81.0, "achieved", 1.0),          # mid-term target: superseded by 2025
    ev_row("ratio", 2025, 85.0, 82.5, "missed", -2.5),
    ev_row("workers", 2025, 1500.0, 1420.0, "missed", -80.0, unit="人"),
    ev_row("coverage", 2025, 100.0, math.nan, "no_actual", math.nan, binding="约束性"),
    ev_row("growth", 2025, math.nan, 5.0, "needs_judgement", math.nan),
])
DRAFT = pd.DataFrame([
    dr_row("ratio", 85.0, 82.5, "at_risk", 0.644, None, basis="carried"),
    dr_row("urban", 900.0, 760.0, "on_track", 0.82, 0.0, unit="元/人·月"),
    dr_row("workers", 1400.0, 1420.0, "met", 1.0, None, comparator="<=", unit="人"),
])


@pytest.fixture(scope="module")
def table():
    return pc.side_by_side(EVALUATION, DRAFT).set_index("indicator")


def test_rows_order_and_omitted(table):
    # evaluation order (ratio, workers, growth; coverage has neither actual nor draft), then draft-only urban
    assert list(table.index) == ["ratio", "workers", "growth", "urban"]
    assert pc.omitted(EVALUATION, DRAFT) == 1
    assert list(pc.side_by_side(EVALUATION, DRAFT, include_open=True)["indicator"]) == [
        "ratio", "workers", "coverage", "growth", "urban"]


def test_end_of_term_target_replaces_mid_term(table):
    row = table.loc["ratio"]
    assert (row["year_14"], row["target_14"], row["actual"], row["status_14"], row["margin_14"]) == (
        2025, 85.0, 82.5, "missed", -2.5)
    assert (row["target_15"], row["status_15"], row["probability_15"], row["basis_15"]) == (
        85.0, "at_risk", 0.644, "carried")
    assert row["step"] == 0.0  # carried forward unchanged: 85 − 85
    assert pd.isna(row["cost_2026_2030"])  # not costed


def test_step_needs_same_comparator(table):
    assert math.isnan(table.loc["workers"]["step"])  # ≥1500 then ≤1400: not one scale
    assert table.loc["workers"]["unit"] == "人"


def test_draft_only_and_evaluation_only_rows(table):
    urban = table.loc["urban"]
    assert urban["status_14"] == ""
    assert pd.isna(urban["year_14"])
    assert math.isnan(urban["target_14"])
    assert (urban["target_15"], urban["base_15"], urban["cost_2026_2030"]) == (900.0, 760.0, 0.0)
    growth = table.loc["growth"]
    assert growth["status_14"] == "needs_judgement"
    assert growth["status_15"] == ""
    assert growth["actual"] == 5.0


def test_binding_from_either_plan():
    out = pc.side_by_side(EVALUATION.iloc[:0], pd.DataFrame([dr_row("x", 1.0, 0.5, "met", 1.0, None,
                                                                       binding="约束性")]))
    assert out.iloc[0]["binding"] == "约束性"


STATUSES = st.sampled_from(["achieved", "missed", "no_actual", "needs_judgement"])


@given(st.dictionaries(st.sampled_from("abcdefg"), STATUSES, max_size=7),
       st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8))
def test_every_drafted_and_every_scored_indicator_once(statuses, drafted):
    evaluation = pd.DataFrame([ev_row(i, 2025, 1.0, 1.0, s, 0.0) for i, s in statuses.items()],
                              columns=list(EVALUATION.columns))
    dr = pd.DataFrame([dr_row(i, 2.0, 1.0, "met", 1.0, None) for i in drafted], columns=list(DRAFT.columns))
    out = pc.side_by_side(evaluation, dr)
    shown = list(out["indicator"])
    assert len(shown) == len(set(shown))
    expected = set(drafted) | {i for i, s in statuses.items() if s != "no_actual"}
    assert set(shown) == expected
    assert len(shown) + pc.omitted(evaluation, dr) == len(set(statuses) | set(drafted))


def test_wulong_from_made_up_actuals():
    ds = dataset()
    actuals = backtest.read_actuals(FIXTURE.read_bytes(), FIXTURE.name, ds, "wulong")
    evaluation = ev.evaluate_term(ds, "wulong", actuals, ev.plan_time_forecast(ds, "wulong", n=200, seed=3))
    rebased = rebase.rebase(draft.default_scenario(ds, "wulong"), ds, actuals, 2025)
    table = draft.draft(ds, "wulong", rebased, n=200)
    out = pc.side_by_side(evaluation, table).set_index("indicator")
    ratio = out.loc["rural_urban_dibao_ratio"]  # 627 / 760 = 82.5 % against ≥85 (武隆 专栏1 第2行)
    assert (ratio["target_14"], ratio["actual"], ratio["status_14"]) == (85.0, 82.5, "missed")
    assert ratio["target_15"] == 85.0
    assert ratio["basis_15"] == "carried"
    nursing = out.loc["nursing_bed_share"]  # 62.5 % against ≥60
    assert (nursing["status_14"], nursing["margin_14"]) == ("achieved", 2.5)
    assert nursing["status_15"] in {"met", "on_track", "at_risk", "off_track"}
    assert out.loc["social_workers"]["status_15"] == ""  # not modelled: no 2030 draft
    assert set(table["indicator"]) <= set(out.index)
