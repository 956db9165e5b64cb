"""Budget coverage statement, costing from what each plan prints, and the budget officer's question."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from models import benefits_stage, budget_stage, cli, coverage, engine, presets
from models import budget as bu
from models import budget_plan as bpl
from models import budget_question as bq
from models import scenario as sc
from models.data import load_dataset
from models.resolve import resolve

DISTRICTS = ("chengkou", "wulong", "banan", "zhushan", "jiulongpo")


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def run(ds, district, **params):
    return engine.run(resolve(sc.Scenario(name="t", district=district).with_params(**params), ds), ds)


@pytest.mark.parametrize("district", DISTRICTS)
def test_coverage_lists_every_programme_once(ds, district):
    result = run(ds, district)
    cov = coverage.coverage(result, ds)
    named = set(cov["costed"]) | {m["programme"] for m in cov["not_costed"]}
    assert set(budget_stage.PROGRAMME_SOURCES) <= named
    assert not set(cov["costed"]) & {m["programme"] for m in cov["not_costed"]}
    assert all(m["reason"] and m["reason_en"] for m in cov["not_costed"])
    text = coverage.label(cov, "zh")
    assert text.startswith("合计（含：")
    assert all(coverage.name(p) in text for p in cov["costed"])


def test_nothing_costed_is_not_zero(ds):
    result = run(ds, "jiulongpo")
    assert result.budget.empty
    assert coverage.total_or_none(result.budget, 2021, 2025) is None
    assert math.isnan(bu.totals(result.budget, 2021, 2025).iloc[-1]["cost_wan_yuan"])
    assert coverage.coverage(result, ds)["total_is_partial"]


def test_cli_run_has_budget_coverage(ds, capsys):
    assert cli.main(["run", "--district", "wulong", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    cov = out["budget_coverage"]
    assert set(cov) >= {"costed", "not_costed", "total_is_partial"}
    assert {"dibao_urban", "dibao_rural"} <= set(cov["costed"])  # combined 低保 now costed
    assert all(set(m) >= {"programme", "reason"} for m in cov["not_costed"])
    assert out["not_costed"] == [m["programme"] for m in cov["not_costed"]]
    assert "budget" in out


def test_wulong_combined_dibao_hand_computed(ds):
    """5.3亿 over 2016–2020, 15,463 recipients in 2020, −23 % since 2015; standards 420→620, 230→496."""
    result = run(ds, "wulong")
    share = ds.assumptions["budget.dibao_urban_recipient_share_pct"].value / 100
    start = 15463 / 0.77
    t = np.arange(1, 6) / 5
    caseload = start * (15463 / start) ** t
    urban, rural = 420 * (620 / 420) ** t, 230 * (496 / 230) ** t
    ratio = 53000 * 1e4 / np.sum(caseload * 12 * (share * urban + (1 - share) * rural))
    inputs = result.budget_inputs
    assert inputs["dibao_urban"]["payment_ratio"] == pytest.approx(ratio)
    assert inputs["dibao_rural"]["recipients"] == pytest.approx(15463 * (1 - share))
    costs = result.budget.set_index(["programme", "year"])["cost_wan_yuan"]
    growth = 0.77 ** (1 / 5)
    expected_2021 = 15463 * share * growth * result.benefits.set_index("year").loc[2021, "dibao_urban_standard"]
    assert costs[("dibao_urban", 2021)] == pytest.approx(expected_2021 * ratio * 12 / 1e4)


def test_split_assumption_moves_the_cost(ds):
    low = run(ds, "wulong", **{"budget.dibao_urban_recipient_share_pct": 5.0}).budget
    high = run(ds, "wulong", **{"budget.dibao_urban_recipient_share_pct": 40.0}).budget
    sel = lambda f: f[f["programme"] == "dibao_urban"]["cost_wan_yuan"].sum()  # noqa: E731
    assert sel(high) > sel(low)


def test_banan_topdown_is_the_plan_total_per_year(ds):
    result = run(ds, "banan")
    costs = result.budget.set_index(["programme", "year"])["cost_wan_yuan"]
    assert costs[("social_assistance_topdown", 2020)] == pytest.approx(60000 / 5)  # 超6亿 ÷ 5 (a lower bound)
    assert costs[("elderly_subsidy", 2021)] == pytest.approx(3871 / 5)
    cov = coverage.coverage(result, ds)
    assert not cov["total_is_partial"]
    assert {m["programme"] for m in cov["not_costed"]} == set(bpl.TOPDOWN_PARTS)


def test_bottom_up_caseload_replaces_the_topdown(ds):
    result = run(ds, "banan", **{"budget.dibao_urban_recipients": 1000.0})
    assert "social_assistance_topdown" not in set(result.budget["programme"])  # no double counting
    assert "dibao_urban" in set(result.budget["programme"])


def test_zhushan_tekun_tiers_reason(ds):
    """The tiered amounts are the care allowance (programme tekun_care, models.tekun_tiers); 特困 basic living
    (tekun) has neither a printed amount nor a caseload."""
    cov = coverage.coverage(run(ds, "zhushan"), ds)
    care = next(m for m in cov["not_costed"] if m["programme"] == "tekun_care")
    assert care["code"] == "tiers_need_caseload"
    assert "失能、半失能、生活自理" in care["reason"]
    tekun = next(m for m in cov["not_costed"] if m["programme"] == "tekun")
    assert tekun["code"] == "not_published"


def test_ratio_question_against_freeze_and_current(ds):
    scen = presets.load_preset("chengkou", "plan", ds)
    answer = bq.ratio_question(scen, ds, 90.0, 2025)
    assert answer.sums["freeze"] > 0
    assert answer.sums["current"] == pytest.approx(0.0, abs=0.5)
    assert answer.reached["current"] is not None
    assert answer.reached["current"] <= 2025
    window = answer.table[(answer.table["year"] >= 2021) & (answer.table["year"] <= 2025)]
    assert window["increment_vs_freeze"].sum() == pytest.approx(answer.sums["freeze"])


def test_ratio_question_keeps_the_baseline_urban_path(ds):
    """Against the baseline (setter's forecast) only rural moves: urban 低保 costs are unchanged."""
    scen = presets.load_preset("chengkou", "baseline", ds)
    res = resolve(scen, ds)
    paths = benefits_stage.benefit_paths(res, ds)
    changed = bq.ratio_paths(paths, 90.0, 2025)
    assert (changed["dibao_urban_standard"] == paths["dibao_urban_standard"]).all()
    assert (changed["dibao_rural_standard"] >= paths["dibao_rural_standard"] - 1e-9).all()
    assert changed.set_index("year").loc[2025, "rural_urban_dibao_ratio"] >= 90.0 - 1e-9
    answer = bq.ratio_question(scen, ds, 90.0, 2025)
    assert answer.sums["current"] > 0


def test_growth_question_is_monotone(ds):
    scen = presets.load_preset("chengkou", "plan", ds)
    small = bq.growth_question(scen, ds, "dibao_rural", 3.0).sums["freeze"]
    large = bq.growth_question(scen, ds, "dibao_rural", 8.0).sums["freeze"]
    assert large > small > 0


def test_question_on_an_uncosted_programme_names_why(ds):
    answer = bq.ratio_question(presets.load_preset("zhushan", "plan", ds), ds, 90.0, 2025)
    assert answer.sums == {"current": None, "freeze": None}
    assert answer.not_costed_reason is not None
