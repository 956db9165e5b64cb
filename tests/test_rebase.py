"""Tests for models.rebase (a later year with actuals as the base year) and ``shapan run --base-year``.

Actuals are made up (tests/fixtures/actuals_wulong_2025.csv); expected values are computed by hand from
the fixture and the district's 2020 figures in data/.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from models import backtest, benefits_stage, budget_stage, cli, engine, presets, rebase
from models import scenario as sc
from models.data import dataset
from models.errors import ShapanError
from models.resolve import figure, resolve

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WULONG = FIXTURES / "actuals_wulong_2025.csv"
SOURCE = "武隆区民政局2025年统计（虚构测试数据）"


@pytest.fixture(scope="module")
def ds():
    return dataset()


@pytest.fixture(scope="module")
def actuals(ds):
    return backtest.read_actuals(WULONG.read_bytes(), WULONG.name, ds, "wulong")


@pytest.fixture(scope="module")
def rebased(ds, actuals):
    return rebase.rebase(_fixed_growth(ds), ds, actuals, 2025)


def _fixed_growth(ds):
    """武隆 with the fixed-growth rule (own growth rates): the rebase of growth rates is what is tested."""
    return presets.load_preset("wulong", "plan", ds).with_params(**{"benefits.rule": "fixed_growth"})


def test_series_start_at_the_actuals(rebased):
    series = rebased.result.series
    assert rebased.resolved.years[0] == 2025
    assert rebased.resolved.years[-1] == 2035
    assert series["dibao_rural_standard"][2025] == 627.0
    assert series["dibao_urban_standard"][2025] == 760.0
    assert series["rural_urban_dibao_ratio"][2025] == pytest.approx(82.5)
    assert series["population_60plus"][2025] == pytest.approx(100_000)
    assert series["elderly_beds"][2025] == 4200.0
    assert series["nursing_bed_share"][2025] == pytest.approx(62.5)  # 2625 / 4200 × 100 in floating point
    assert series["beds_per_1000_elderly"][2025] == pytest.approx(42.0)
    assert 2030 in series["dibao_rural_standard"]


def test_tekun_follows_the_rule_from_the_urban_actual(rebased):
    k = rebased.resolved["benefits.tekun_multiplier"]
    assert rebased.result.series["tekun_standard"][2025] == pytest.approx(k * 760)
    row = rebased.bases.set_index("indicator").loc["tekun_standard"]
    assert row["kind"] == "derived"


def test_growth_is_the_2020_to_2025_trend(ds, rebased):
    urban_2020 = float(figure(ds.indicators_for("wulong"), "dibao_urban_standard", 2020)["value"])
    growth = ((760 / urban_2020) ** (1 / 5) - 1) * 100
    assert rebased.resolved["benefits.dibao_urban_growth_pct"] == pytest.approx(growth, abs=1e-4)
    assert "CAGR 2020→2025" in rebased.resolved.provenance["benefits.dibao_urban_growth_pct"]
    series = rebased.result.series["dibao_urban_standard"]
    assert series[2026] == pytest.approx(760 * (1 + rebased.resolved["benefits.dibao_urban_growth_pct"] / 100))


def test_base_figures_show_user_entry_and_source(rebased):
    bases = rebased.bases.set_index("indicator")
    assert bases.loc["dibao_urban_standard", "source"] == f"用户录入（{SOURCE}）"
    assert bases.loc["dibao_urban_standard", "kind"] == "actual"
    assert rebased.resolved.provenance["beds.base_beds"] == f"actual: 用户录入（{SOURCE}）"
    assert bases.loc["social_operated_bed_share", "kind"] == "projected"  # not entered, wulong publishes none


def test_unentered_figures_are_the_2020_projection(ds):
    only = pd.DataFrame([{"indicator": "population_60plus", "year": 2025, "value": 90_000.0, "source": "x",
                          "kind": "actual"}])
    scen = presets.load_preset("wulong", "plan", ds)
    out = rebase.rebase(scen, ds, only, 2025)
    run20 = engine.run(resolve(scen, ds), ds)
    assert out.result.series["elderly_beds"][2025] == pytest.approx(run20.series["elderly_beds"][2025])
    assert out.result.series["dibao_urban_standard"][2025] == pytest.approx(
        run20.series["dibao_urban_standard"][2025])
    assert out.result.series["population_60plus"][2025] == pytest.approx(90_000.0, rel=1e-12)


def test_budget_costs_the_rebased_standard(ds, rebased):
    """tekun cost = caseload carried to 2025 × standard × payment ratio × 12 / 10,000 (万元)."""
    res20 = rebased.original
    calibrated, _ = budget_stage.budget_inputs(res20, ds, benefits_stage.benefit_paths(res20, ds))
    growth = res20["budget.recipients_growth_pct"]
    caseload = calibrated["tekun"]["recipients"] * (1 + growth / 100) ** 5
    standard = rebased.result.series["tekun_standard"][2025]
    expected = caseload * standard * calibrated["tekun"]["payment_ratio"] * 12 / 10_000
    cost = rebased.result.budget
    got = cost[(cost["programme"] == "tekun") & (cost["year"] == 2025)]["cost_wan_yuan"].iloc[0]
    assert got == pytest.approx(expected)


def test_same_inputs_same_hash_other_actual_other_hash(ds, actuals, rebased):
    again = rebase.rebase(_fixed_growth(ds), ds, actuals, 2025)
    assert again.resolved.hash == rebased.resolved.hash
    changed = actuals.copy()
    changed.loc[changed["indicator"] == "dibao_rural_standard", "value"] = 630.0
    other = rebase.rebase(_fixed_growth(ds), ds, changed, 2025)
    assert other.resolved.hash != rebased.resolved.hash


def test_actuals_are_saved_with_the_scenario(ds, rebased):
    text = sc.dumps(rebased.resolved.scenario)
    assert "[[actuals]]" in text
    back = presets.load_text(text, ds, file="r.toml")
    assert back.base_year == 2025
    assert back == rebased.resolved.scenario
    entered = {(a.indicator, a.year): a for a in back.actuals}
    assert entered[("dibao_rural_standard", 2025)].source == SOURCE
    assert ("rural_urban_dibao_ratio", 2025) not in entered  # derived rows are recomputed, not saved
    again = rebase.rebase(back, ds, rebase.actuals_of(back), back.base_year)
    assert again.resolved.hash == rebased.resolved.hash


def test_base_year_needs_that_years_actuals(ds):
    head = '[scenario]\nname = "r"\ndistrict = "wulong"\nbase_year = 2025\n'
    with pytest.raises(ShapanError) as err:
        presets.load_text(head, ds, file="r.toml")
    assert "[2020, 2020]" in err.value.message("en")
    ok = head + '[[actuals]]\nindicator = "elderly_beds"\nyear = 2025\nvalue = 4000\n'
    assert presets.load_text(ok, ds, file="r.toml").actuals[0].value == 4000.0
    with pytest.raises(ShapanError, match=r"actuals\[0\]\.year"):
        presets.load_text(head + '[[actuals]]\nindicator = "x"\nyear = 1999\nvalue = 1\n', ds, file="r.toml")


def test_resolve_refuses_a_later_base_year(ds, rebased):
    with pytest.raises(ShapanError, match="base_year = 2025"):
        resolve(rebased.resolved.scenario, ds)


def test_rebase_errors(ds, actuals):
    scen = presets.load_preset("wulong", "plan", ds)
    with pytest.raises(ShapanError, match="2024"):  # no 2024 actual left in the frame
        rebase.rebase(scen, ds, actuals[actuals["year"] == 2025], 2024)
    with pytest.raises(ShapanError, match="end_year"):
        rebase.rebase(dataclasses.replace(scen, end_year=2028), ds, actuals, 2025)


def test_draws_start_at_the_actual(ds, rebased):
    draws = rebase.draws(rebased, ds, n=50, seed=1)
    assert (draws["dibao_rural_standard"][:, 0] == 627.0).all()
    assert (draws["population_60plus"][:, 0] == pytest.approx(100_000))
    assert draws["dibao_rural_standard"].shape == (50, len(rebased.resolved.years))
    assert not math.isnan(draws["dibao_rural_standard"][:, -1].mean())


# ------------------------------------------------------------------------------------------------- CLI


def test_cli_run_base_year_2025(capsys):
    code = cli.main(["run", "--district", "wulong", "--base-year", "2025", "--actuals", str(WULONG), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out, parse_constant=lambda token: pytest.fail(token))
    assert doc["series"]["dibao_rural_standard"]["2025"] == 627.0
    assert "2030" in doc["series"]["dibao_rural_standard"]
    assert doc["years"][0] == 2025
    assert doc["base_year"] == 2025
    kinds = {b["indicator"]: b["kind"] for b in doc["base_figures"]}
    assert kinds["dibao_rural_standard"] == "actual"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--actuals", str(WULONG)], "--base-year"),
        (["--base-year", "2023", "--actuals", str(WULONG)], "2023"),
        (["--base-year", "2025", "--actuals", "nowhere.csv"], "nowhere.csv"),
        (["--base-year", "2019", "--actuals", str(WULONG)], "2019"),
    ],
)
def test_cli_run_rebase_errors(capsys, argv, needle):
    code = cli.main(["run", "--district", "wulong", *argv, "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert needle in err
