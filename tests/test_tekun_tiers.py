"""Tests for models.tekun_tiers: 珠山's tiered 特困 care allowance (1200/300/70 元) costed from the caseload per
tier, the missing tiers named (never 0), the CLI through a scenario file and the budget page inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models import coverage, engine, tekun_tiers
from models.data import dataset
from models.resolve import resolve
from models.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
CASES = {"disabled": 10.0, "semidisabled": 20.0, "selfcare": 30.0}


@pytest.fixture(scope="module")
def ds():
    return dataset()


def run(ds, district="zhushan", **caseloads):
    params = {tekun_tiers.key(t): n for t, n in caseloads.items()}
    return engine.run(resolve(Scenario("t", district, params=params), ds), ds)


def test_printed_tier_standards(ds) -> None:
    assert tekun_tiers.standards(ds, "zhushan") == {"disabled": 1200.0, "semidisabled": 300.0, "selfcare": 70.0}
    assert tekun_tiers.standards(ds, "wulong") == {}


def test_hand_computed_tier_cost(ds) -> None:
    """10 × 1200 + 20 × 300 + 30 × 70 = 20,100 元 a month → × 12 / 10,000 = 24.12 万元 a year."""
    result = run(ds, **CASES)
    rows = result.budget[result.budget["programme"] == "tekun_care"]
    assert rows["cost_wan_yuan"].tolist() == pytest.approx([24.12] * len(result.resolved.years))
    assert rows["recipients"].iloc[0] == 60
    cov = coverage.coverage(result, ds)
    assert "tekun_care" in cov["costed"]
    assert "tekun_care" not in [m["programme"] for m in cov["not_costed"]]


def test_missing_tiers_are_named_and_not_costed(ds) -> None:
    result = run(ds, disabled=10.0)
    assert "tekun_care" not in set(result.budget["programme"])
    reason = next(m for m in coverage.coverage(result, ds)["not_costed"] if m["programme"] == "tekun_care")
    assert reason["code"] == "tiers_need_caseload"
    assert reason["reason"].endswith("请输入2020年特困人员护理档人数：半失能、生活自理")
    assert "partly dependent, self-care" in reason["reason_en"]


def test_all_zero_caseloads_cost_zero_because_entered(ds) -> None:
    result = run(ds, disabled=0.0, semidisabled=0.0, selfcare=0.0)
    rows = result.budget[result.budget["programme"] == "tekun_care"]
    assert (rows["cost_wan_yuan"] == 0).all()
    assert "tekun_care" in coverage.coverage(result, ds)["costed"]


def test_districts_without_tiers_do_not_ask(ds) -> None:
    result = run(ds, "wulong")
    assert "tekun_care" not in result.budget_notes
    assert "tekun_care" not in set(result.budget["programme"])


def test_cli_scenario_file_costs_the_tiers(tmp_path: Path) -> None:
    scenario = tmp_path / "zhushan_tiers.toml"
    scenario.write_text(
        '[scenario]\nname = "tiers"\ndistrict = "zhushan"\n\n[budget]\n'
        "tekun_care_disabled_recipients = 10\ntekun_care_semidisabled_recipients = 20\n"
        "tekun_care_selfcare_recipients = 30\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "models.cli", "run", "--scenario", str(scenario), "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    payload = json.loads(out.stdout)
    assert payload["budget"]["tekun_care"]["2021"] == pytest.approx(24.12)
    assert "tekun_care" in payload["budget_coverage"]["costed"]
