"""Tests for models.funding: the split by paying level, its provenance and the policy sources shown with it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from models import engine, funding, prices
from models.data import dataset
from models.resolve import resolve
from models.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ds():
    return dataset()


def test_hand_computed_split(ds) -> None:
    """1,000 万元 over two years at 60 % central / 30 % municipal → 600 / 300 / 100."""
    res = resolve(Scenario("t", "chengkou", params={"budget.share_central_pct": 60.0,
                                                    "budget.share_municipal_pct": 30.0}), ds)
    costs = pd.DataFrame({"year": [2021, 2022, 2030], "programme": "tekun", "cost_wan_yuan": [400.0, 600.0, 9.0]})
    assert funding.period_split(costs, res, 2021, 2025) == pytest.approx(
        {"central": 600.0, "municipal": 300.0, "district": 100.0})
    assert funding.period_split(costs.iloc[0:0], res, 2021, 2025) is None  # nothing costed: no split, not 0


def test_shares_are_assumptions_with_reasons_naming_the_mechanism(ds) -> None:
    expected = (("budget.share_central_pct", "国办发〔2018〕6号"),
                ("budget.share_municipal_pct", "渝府办发〔2019〕41号"))
    for key, doc in expected:
        entry = ds.assumptions[key]
        assert entry.is_assumption
        assert doc in entry.reason
    for sid in ("gov_office_2018_6", "cq_gov_office_2019_41"):
        assert ds.sources[sid]["url"].startswith("http")


def test_basis_says_assumption_then_user(ds) -> None:
    default = funding.basis(resolve(Scenario("t", "wulong"), ds), ds)
    assert default["provenance"] == {"central": "assumption", "municipal": "assumption", "district": "remainder"}
    assert "中央50%（假设）" in default["basis_zh"]
    assert [s["id"] for s in default["sources"]] == ["gov_office_2018_6", "cq_gov_office_2019_41"]
    user = funding.basis(resolve(Scenario("t", "wulong", params={"budget.share_central_pct": 70.0}), ds), ds)
    assert user["provenance"]["central"] == "user"
    assert "中央70%（用户输入）" in user["basis_zh"]
    assert user["shares_pct"]["district"] == pytest.approx(5.0)


def test_jiangxi_district_does_not_cite_the_chongqing_rule(ds) -> None:
    out = funding.basis(resolve(Scenario("t", "zhushan"), ds), ds)
    assert [s["id"] for s in out["sources"]] == ["gov_office_2018_6"]
    assert "渝府办发" not in out["basis_zh"]


def test_run_payload_levels_add_up_to_the_totals(ds) -> None:
    result = engine.run(resolve(Scenario("t", "wulong"), ds), ds)
    real = prices.run_real_budget(result, ds)
    out = funding.run_payload(result, ds, real, 2021, 2025)
    totals = prices.period_totals(real, 2021, 2025)
    assert sum(out["period"]["nominal"].values()) == pytest.approx(totals["nominal"])
    assert sum(out["period"]["real"].values()) == pytest.approx(totals["real"])
    assert out["period"]["nominal"]["central"] == pytest.approx(0.5 * totals["nominal"])


def test_cli_run_json_has_funding_split() -> None:
    out = subprocess.run([sys.executable, "-m", "models.cli", "run", "--district", "chengkou", "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    split = json.loads(out.stdout)["funding_split"]
    assert split["shares_pct"] == {"central": 50.0, "municipal": 25.0, "district": 25.0}
    assert "国办发〔2018〕6号" in split["basis_zh"]
    assert split["period"]["nominal"]["district"] > 0
