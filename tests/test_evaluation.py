"""Tests for models.evaluation (十四五期末评估) and ``shapan evaluate``.

Actuals are made up (tests/fixtures/actuals_wulong_2025*.csv, actuals_chengkou_*.csv); every margin
below is computed by hand from the fixture and the plan's target.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import backtest, cli, engine, presets, target_modes
from models import evaluation as ev
from models import targets as tg
from models.data import dataset
from models.resolve import resolve

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WULONG = "actuals_wulong_2025.csv"


@pytest.fixture(scope="module")
def ds():
    return dataset()


def actuals(ds, name: str, district: str) -> pd.DataFrame:
    return backtest.read_actuals((FIXTURES / name).read_bytes(), name, ds, district)


@pytest.fixture(scope="module")
def wulong_forecast(ds):
    return ev.plan_time_forecast(ds, "wulong", n=400, seed=11)


@pytest.fixture(scope="module")
def wulong(ds, wulong_forecast):
    return ev.evaluate_term(ds, "wulong", actuals(ds, WULONG, "wulong"), wulong_forecast).set_index("indicator")


# ------------------------------------------------------------------------------------ hand-computed rows


@pytest.mark.parametrize(
    ("indicator", "status", "actual", "margin"),
    [
        ("rural_urban_dibao_ratio", "missed", 627 / 760 * 100, 627 / 760 * 100 - 85),  # derived 82.5 vs ≥85
        ("nursing_bed_share", "achieved", 62.5, 2.5),  # 62.5 vs ≥60
        ("social_workers", "missed", 1420.0, -80.0),  # 1420 vs ≥1500 persons
        ("dibao_taper_income_multiple", "achieved", 1.5, 0.0),  # = 1.5
        ("boundary_survey_investment", "missed", 380.0, -20.0),  # = 400 万元, 380 is 5 % off
        ("tekun_to_urban_dibao_ratio", "achieved", 1.3, 0.0),  # ≥1.3 exactly
    ],
)
def test_hand_computed_margins(wulong, indicator, status, actual, margin):
    row = wulong.loc[indicator]
    assert row["status"] == status
    assert row["actual"] == pytest.approx(actual, abs=1e-9)
    assert row["margin"] == pytest.approx(margin, abs=1e-9)
    assert row["year"] == 2025


def test_ratio_actual_is_marked_derived(wulong):
    assert wulong.loc["rural_urban_dibao_ratio", "actual"] == pytest.approx(82.5)
    assert wulong.loc["rural_urban_dibao_ratio", "actual_kind"] == "derived"
    assert wulong.loc["social_workers", "actual_source"] == "武隆区民政局2025年统计（虚构测试数据）"


def test_text_target_with_actual_needs_judgement(wulong):
    row = wulong.loc["dibao_standard_annual_growth"]  # target printed as text (不低于…), value NaN
    assert (row["status"], row["actual"]) == ("needs_judgement", 5.0)
    assert math.isnan(row["margin"])


def test_targets_without_actual(wulong):
    row = wulong.loc["vagrant_return_rate"]
    assert row["status"] == "no_actual"
    assert math.isnan(row["actual"])
    assert math.isnan(row["margin"])


def test_less_or_equal_target_margin(ds):
    frame = ev.evaluate_term(ds, "chengkou", actuals(ds, "actuals_chengkou_gbk.csv", "chengkou"),
                             ev.plan_time_forecast(ds, "chengkou", n=200, seed=3)).set_index("indicator")
    gov = frame.loc["gov_operated_bed_share"]  # ≤40 %, actual 45 → missed by 5 points
    assert (gov["status"], gov["margin"]) == ("missed", -5.0)
    assert (frame.loc["social_operated_bed_share", "status"], frame.loc["social_operated_bed_share", "margin"]) == (
        "achieved", 0.0)


def test_one_row_per_plan_period_target(ds, wulong):
    targets = ev.plan_targets(ds, "wulong")
    assert len(wulong) == len(targets)
    assert not wulong.index.duplicated().any()
    assert set(wulong["status"]) <= set(ev.RESULT_STATUSES)
    assert ((wulong["year"] > 2020) & (wulong["year"] <= 2025)).all()
    assert wulong["locator"].ne("").all()


def test_beds_per_1000_derived_from_beds_and_population(ds):
    frame = actuals(ds, WULONG, "wulong")
    done = ev.complete_actuals(frame)
    row = done[(done["indicator"] == "beds_per_1000_elderly") & (done["year"] == 2025)].iloc[0]
    assert row["value"] == pytest.approx(42.0)  # 4,200 beds ÷ 100,000 people × 1,000
    assert row["kind"] == "derived"
    assert len(done) == len(frame) + 1  # 2024 has no beds: nothing derived there


def test_summary_counts(wulong):
    out = ev.summary(wulong.reset_index())
    assert (out["achieved"], out["missed"], out["needs_judgement"]) == (3, 3, 1)
    assert out["no_actual"] == out["targets"] - 7
    assert out["achieved_share"] == pytest.approx(0.5)
    assert out["binding_achieved"] == 1  # nursing share is 约束性 in 武隆's 专栏
    assert out["binding_missed"] == 0


# ------------------------------------------------------------------------------- forecast made in 2020


def test_forecast_2020_is_the_p50_of_the_2020_draws(ds, wulong, wulong_forecast):
    res = resolve(presets.load_preset("wulong", wulong_forecast.label, ds), ds)
    assert res.scenario.base_year == 2020
    draws = tg.monte_carlo(res, ds, n=400, seed=11)
    col = list(draws["year"]).index(2025)
    for indicator in ("nursing_bed_share", "rural_urban_dibao_ratio"):
        p10, p50, p90 = np.percentile(draws[indicator][:, col], (10, 50, 90))
        row = wulong.loc[indicator]
        assert row["forecast_2020"] == p50
        assert (row["forecast_p10"], row["forecast_p90"]) == (p10, p90)
        assert row["actual_in_band"] == bool(p10 <= row["actual"] <= p90)
        assert row["forecast_error"] == pytest.approx(row["actual"] - p50)


def test_forecast_does_not_see_the_actuals(ds, wulong, wulong_forecast):
    """Later outcomes enter only as actuals: the 2020 columns are the same with no actuals at all."""
    empty = pd.DataFrame(columns=["indicator", "year", "value", "source", "kind"])
    blind = ev.evaluate_term(ds, "wulong", empty, wulong_forecast).set_index("indicator")
    cols = ["forecast_2020", "forecast_p10", "forecast_p90", "status_at_plan_time", "probability_at_plan_time"]
    pd.testing.assert_frame_equal(blind[cols], wulong[cols])
    assert set(blind["status"]) == {"no_actual"}


def test_status_at_plan_time_is_the_2020_scorecard(ds, wulong, wulong_forecast):
    res = wulong_forecast.resolved
    card = target_modes.evaluate(engine.run(res, ds), ds).set_index(["indicator", "year"])
    for indicator, row in wulong.iterrows():
        key = (indicator, int(row["year"]))
        expected = card.loc[[key], "status"].iloc[0] if key in card.index else "not_modelled"
        assert row["status_at_plan_time"] == expected, indicator


def test_same_seed_same_result(ds):
    a = ev.plan_time_forecast(ds, "banan", n=100, seed=5)
    b = ev.plan_time_forecast(ds, "banan", n=100, seed=5)
    for key in a.draws:
        np.testing.assert_array_equal(a.draws[key], b.draws[key])


# ------------------------------------------------------------------------------------------- properties


@given(
    actual=st.floats(0, 1e6, allow_nan=False),
    target=st.floats(0, 1e6, allow_nan=False),
    comparator=st.sampled_from([">=", "<="]),
)
def test_margin_sign_agrees_with_met(actual, target, comparator):
    margin = ev.margin_of(actual, comparator, target)
    met = bool(tg.meets(actual, comparator, target))
    assert met == (margin >= -1e-9)
    assert abs(margin) == pytest.approx(abs(actual - target))


# ------------------------------------------------------------------------------------------------- CLI


EVALUATE_KEYS = {"indicator", "year", "target", "comparator", "actual", "status", "margin", "forecast_2020",
                 "status_at_plan_time"}


def test_cli_evaluate_json(capsys):
    code = cli.main(["evaluate", "--district", "wulong", "--actuals", str(FIXTURES / "actuals_wulong_2025_gbk.csv"),
                     "--mc", "200", "--seed", "11", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.count("\n") == 1
    rows = json.loads(out, parse_constant=lambda token: pytest.fail(f"non-JSON {token}"))
    assert all(set(r) >= EVALUATE_KEYS for r in rows)
    social = next(r for r in rows if r["indicator"] == "social_workers")
    assert (social["status"], social["margin"], social["actual"], social["target"]) == ("missed", -80.0, 1420.0, 1500.0)
    assert {r["status"] for r in rows} <= set(ev.RESULT_STATUSES)
    assert next(r for r in rows if r["indicator"] == "vagrant_return_rate")["actual"] is None


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--actuals", "nowhere.csv"], "nowhere.csv"),
        (["--actuals", str(FIXTURES / "actuals_bad_year.csv")], "actuals_bad_year.csv"),
        (["--actuals", str(FIXTURES / WULONG), "--mc", "0"], "mc"),
    ],
)
def test_cli_evaluate_errors_exit_2(capsys, argv, needle):
    code = cli.main(["evaluate", "--district", "wulong", *argv, "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert needle in err
    assert "Traceback" not in err


# ------------------------------------------------------------------------------------ report section


def _rows(statuses: list[tuple[str, str]]) -> pd.DataFrame:
    """Synthetic evaluation rows: (status, binding) each, on real wulong indicators."""
    base = dict.fromkeys(ev.EVALUATION_COLUMNS, math.nan)
    names = ["nursing_bed_share", "social_workers", "rural_urban_dibao_ratio", "vagrant_return_rate",
             "welfare_lottery_outlets"]
    rows = [
        {**base, "indicator": names[i], "year": 2025, "target": 10.0, "comparator": ">=", "binding": b, "unit": "%",
         "status": s, "actual": 12.0 if s == "achieved" else 8.0, "margin": 2.0 if s == "achieved" else -2.0,
         "actual_source": "test", "actual_kind": "actual", "status_at_plan_time": "on_track", "locator": "专栏1",
         "actual_in_band": None}
        for i, (s, b) in enumerate(statuses)
    ]
    return pd.DataFrame(rows, columns=ev.EVALUATION_COLUMNS)


@pytest.mark.parametrize(
    ("statuses", "verdict"),
    [
        ([("achieved", "约束性"), ("achieved", "预期性")], "全面完成"),
        ([("achieved", "约束性")] * 4 + [("missed", "预期性")], "基本完成"),  # 80 %, binding all met
        ([("achieved", "预期性")] * 4 + [("missed", "约束性")], "部分完成"),  # a binding target missed
        ([("achieved", "预期性"), ("missed", "预期性")], "部分完成"),  # 50 %
        ([("no_actual", "预期性")], "暂不作总体评价"),
    ],
)
def test_overall_verdict_rule(ds, statuses, verdict):
    from models import evaluation_report as er

    lines = er.overall(_rows(statuses), ds, "zh")
    assert verdict in lines[1]


def test_section_order_and_fill_in(ds, wulong):
    from models import evaluation_report as er

    blocks = er.section(wulong.reset_index(), ds, "zh")
    heads = [b.text for b in blocks if b.kind == "h2"]
    assert heads == ["（一）总体评价", "（二）目标完成情况", "（三）未完成目标及原因分析", "（四）经验与启示",
                     "（五）待补充数据或需人工判断的目标"]
    missed = next(b for b in blocks if b.kind == "numbered")
    assert len(missed.items) == 3
    assert all(item.endswith("【待填写】") for item in missed.items)
    assert "差距2.5个百分点" in missed.items[0]  # ratio 82.5 vs ≥85: percentage points
    md = er.to_markdown(blocks)
    assert md.count("| 社会工作专业人才数 |") == 1
    en = er.to_markdown(er.section(wulong.reset_index(), ds, "en"))
    assert "Targets missed and why" in en
    assert "【" not in en
