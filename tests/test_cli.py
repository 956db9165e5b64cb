"""Tests for the ``shapan`` command line: JSON shapes of DESIGN.md's CLI contract, byte-identical output
across processes, and errors (exit code 2, nothing on stdout, a message naming the input, no traceback).

Shapes are checked in-process through ``models.cli.main`` (fast); the process-level guarantees run the real
``shapan`` entry point as subprocesses, all started at once so they overlap.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models import budget as bu
from models import cli
from models.data import INDICATOR_COLUMNS, dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DISTRICTS = {"chengkou", "wulong", "banan", "jiulongpo", "zhushan"}
PROGRAMMES = set(bu.PROGRAMMES)  # DESIGN.md ids plus others added freely (social_assistance_topdown)
RUN_SERIES = {"population_60plus", "elderly_beds", "beds_per_1000_elderly", "nursing_bed_share",
              "dibao_urban_standard", "dibao_rural_standard", "rural_urban_dibao_ratio", "tekun_standard"}
TARGET_KEYS = {"indicator", "year", "target", "comparator", "baseline", "projected", "status",
               "required_growth", "probability"}
BACKTEST_KEYS = {"indicator", "year", "target", "comparator", "actual", "met", "shortfall"}


def _no_nan(token: str):
    raise AssertionError(f"stdout contains the non-JSON constant {token}")


def parse(stdout: str):
    """Exactly one JSON document on one line, strict JSON (no NaN/Infinity)."""
    assert stdout.endswith("\n"), "stdout should end with a newline"
    assert stdout.count("\n") == 1, "expected exactly one JSON line on stdout"
    return json.loads(stdout, parse_constant=_no_nan)


def call(capsys, *argv: str):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, f"shapan {' '.join(argv)} exited {code}: {err}"
    return parse(out)


# ------------------------------------------------------------------------------------------ subprocesses

SHAPAN = [shutil.which("shapan")] if shutil.which("shapan") else [sys.executable, "-m", "models.cli"]
PROCESS_CASES = {
    "run_a": [*SHAPAN, "run", "--district", "chengkou", "--json"],
    "run_b": [*SHAPAN, "run", "--district", "chengkou", "--json"],
    "module": [sys.executable, "-m", "models.cli", "districts", "--json"],
    "err_district": [*SHAPAN, "run", "--district", "atlantis", "--json"],
    "err_scenario": [*SHAPAN, "run", "--district", "chengkou", "--scenario", "no/such/scenario_file.toml",
                     "--json"],
    "err_end_year": [*SHAPAN, "run", "--district", "chengkou", "--end-year", "2050", "--json"],
    "err_end_year_text": [*SHAPAN, "run", "--district", "chengkou", "--end-year", "soon", "--json"],
    "err_lever": [*SHAPAN, "solve", "--district", "chengkou", "--indicator", "rural_urban_dibao_ratio",
                  "--lever", "wishful_thinking", "--json"],
    "err_actuals": [*SHAPAN, "backtest", "--district", "chengkou", "--actuals",
                    str(FIXTURES / "actuals_bad_year.csv"), "--json"],
}
ERROR_CASES = {  # case -> text stderr must contain (the bad input)
    "err_district": "atlantis",
    "err_scenario": "no/such/scenario_file.toml",
    "err_end_year": "2050",
    "err_end_year_text": "--end-year",
    "err_lever": "wishful_thinking",
    "err_actuals": "actuals_bad_year.csv",
}


@pytest.fixture(scope="module")
def processes() -> dict[str, subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    started = {name: subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for name, argv in PROCESS_CASES.items()}
    done = {}
    for name, proc in started.items():
        out, err = proc.communicate(timeout=120)
        done[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return done


def test_run_twice_in_separate_processes_is_byte_identical(processes):
    a, b = processes["run_a"], processes["run_b"]
    assert a.returncode == 0, a.stderr.decode()
    assert a.stdout == b.stdout
    assert a.stderr == b""
    assert b.stderr == b""
    parse(a.stdout.decode("utf-8"))


def test_python_dash_m_entry_point(processes):
    proc = processes["module"]
    assert proc.returncode == 0, proc.stderr.decode()
    assert {d["id"] for d in parse(proc.stdout.decode("utf-8"))} == DISTRICTS


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_errors_exit_2_stderr_names_input_no_traceback(processes, case):
    proc = processes[case]
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, f"{case}: exit {proc.returncode}; stderr: {stderr}"
    assert proc.stdout == b"", f"{case}: stdout should be empty, got {proc.stdout[:200]!r}"
    assert ERROR_CASES[case] in stderr, f"{case}: stderr does not name the bad input: {stderr}"
    assert "Traceback" not in stderr


def test_shapan_errors_are_bilingual(processes):
    stderr = processes["err_district"].stderr.decode("utf-8")
    assert "错误：" in stderr
    assert "Error:" in stderr
    for district in DISTRICTS:
        assert district in stderr


# ------------------------------------------------------------------------------------------- in-process


def test_districts_shape(capsys):
    rows = call(capsys, "districts", "--json")
    assert isinstance(rows, list)
    assert {r["id"] for r in rows} == DISTRICTS
    for row in rows:
        assert {"id", "name_zh", "name_en", "province", "plan_title", "doc_no"} <= set(row)
        assert row["plan_title"]


def test_indicators_shape(capsys):
    rows = call(capsys, "indicators", "--district", "wulong", "--json")
    assert rows
    assert all(set(r) == set(INDICATOR_COLUMNS) for r in rows)
    assert {r["district"] for r in rows} == {"wulong"}
    assert len(rows) == len(dataset().indicators_for("wulong"))


def test_check_shape(capsys):
    out = call(capsys, "check", "--json")
    assert isinstance(out["errors"], list)
    assert isinstance(out["warnings"], list)
    assert out["errors"] == [], out["errors"]


def _check_run_payload(out: dict, district: str, required: set[str]) -> None:
    assert {"scenario_hash", "district", "years", "series", "budget", "flags"} <= set(out)
    assert out["district"] == district
    assert out["years"] == list(range(2020, out["years"][-1] + 1))
    assert required <= set(out["series"]), required - set(out["series"])
    for indicator, values in out["series"].items():
        assert set(values) <= {str(y) for y in out["years"]}, indicator
        assert all(isinstance(v, float) for v in values.values()), indicator
    assert set(out["budget"]) <= PROGRAMMES
    for programme, values in out["budget"].items():
        assert set(values) == {str(y) for y in out["years"]}, programme
        assert all(v >= 0 for v in values.values())
    assert isinstance(out["flags"], list)


def test_run_chengkou_shape(capsys):
    out = call(capsys, "run", "--district", "chengkou", "--json")
    # chengkou publishes no 2020 nursing-bed share: the key is there but empty, nothing is invented
    _check_run_payload(out, "chengkou", RUN_SERIES - {"nursing_bed_share"})
    assert out["series"]["nursing_bed_share"] == {}
    assert {"dibao_urban", "dibao_rural", "tekun"} <= set(out["budget"])
    assert len(out["scenario_hash"]) == 12


def test_run_wulong_has_nursing_share(capsys):
    out = call(capsys, "run", "--district", "wulong", "--json")
    _check_run_payload(out, "wulong", RUN_SERIES)
    assert out["series"]["nursing_bed_share"]["2020"] == pytest.approx(45.81)


def test_run_with_scenario_file_and_end_year(capsys):
    scenario = str(ROOT / "scenarios" / "banan_stress.toml")
    out = call(capsys, "run", "--district", "banan", "--scenario", scenario, "--end-year", "2030", "--json")
    _check_run_payload(out, "banan", RUN_SERIES)
    assert out["years"][-1] == 2030
    assert out["scenario"] == "stress"


def test_run_scenario_district_mismatch(capsys):
    code = cli.main(["run", "--district", "wulong", "--scenario", str(ROOT / "scenarios" / "banan_plan.toml"),
                     "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "banan" in err
    assert "wulong" in err


def test_targets_shape(capsys):
    # issue 13 contract: mode, reason, quarantined, decided_by, locators; the status vocabulary; --mc 0 = no draws
    rows = call(capsys, "targets", "--district", "chengkou", "--mc", "0", "--json")
    assert rows
    assert all(set(r) >= TARGET_KEYS | {"mode", "reason", "quarantined", "decided_by", "locators"} for r in rows)
    assert {r["status"] for r in rows} <= {"met", "on_track", "at_risk", "off_track", "achieved", "missed",
                                           "needs_input", "not_modelled"}
    assert all(r["probability"] is None for r in rows)
    for r in rows:
        assert r["mode"] in {"modelled", "derived", "tracked", "rule", "needs_input", "not_modelled"}
        assert r["reason"] or r["mode"] in {"modelled", "derived"}
        assert isinstance(r["quarantined"], bool)
        assert isinstance(r["locators"], list)
        assert r["locators"]
        assert r["decided_by"] in {"区县", "市", "省", "中央"}
        if r["year"] <= 2020:
            assert r["status"] in {"achieved", "missed", "needs_input", "not_modelled"}


def test_targets_default_draws_match_report_basis(capsys):
    # one vocabulary everywhere: without --mc the scenario's own Monte Carlo decides (same as the report)
    rows = call(capsys, "targets", "--district", "chengkou", "--json")
    ratio = next(r for r in rows if r["indicator"] == "rural_urban_dibao_ratio" and r["year"] == 2025)
    assert ratio["basis"] == "p_met"
    assert 0 <= ratio["probability"] <= 1


def test_targets_with_monte_carlo(capsys):
    rows = call(capsys, "targets", "--district", "chengkou", "--mc", "200", "--json")
    ratio = next(r for r in rows if r["indicator"] == "rural_urban_dibao_ratio" and r["year"] == 2025)
    assert 0 <= ratio["probability"] <= 1
    unmodelled = next(r for r in rows if r["indicator"] == "cremation_rate")
    assert unmodelled["probability"] is None
    past = next(r for r in rows if r["indicator"] == "rural_urban_dibao_ratio" and r["year"] == 2020)
    assert past["probability"] is None  # observed, not drawn


def test_solve_shape(capsys):
    out = call(capsys, "solve", "--district", "chengkou", "--scenario", "scenarios/chengkou_plan.toml",
               "--indicator", "rural_urban_dibao_ratio", "--lever", "dibao_rural_growth", "--json")
    assert {"lever", "value", "achieved"} <= set(out)
    assert out["lever"] == "dibao_rural_growth"
    assert math.isclose(out["achieved"], 90.0, abs_tol=1e-6)


def test_solve_baseline_ratio_drift(capsys):
    """Under the default baseline the ratio is the setter's lever: the yearly ratio increase that meets 90 %
    (80 % in 2020 -> 90 % in 2025 needs about 2 points a year; standards are rounded to the yuan)."""
    out = call(capsys, "solve", "--district", "chengkou", "--indicator", "rural_urban_dibao_ratio",
               "--lever", "ratio_drift", "--json")
    assert out["parameter"] == "benefits.baseline_ratio_drift_pp"
    assert 1.9 < out["value"] < 2.1
    assert abs(out["achieved"] - 90.0) < 0.2


def test_solve_unprojectable_indicator_exits_2(capsys):
    code = cli.main(["solve", "--district", "chengkou", "--indicator", "nursing_bed_share",
                     "--lever", "nursing_share_of_new_beds", "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "护理型床位占比" in err  # named by its label (issue 13: no raw ids in messages)
    assert "no published base figure" in err


def test_backtest_shape(capsys):
    rows = call(capsys, "backtest", "--district", "chengkou", "--actuals",
                str(FIXTURES / "actuals_chengkou_gbk.csv"), "--json")
    assert rows
    assert all(set(r) >= BACKTEST_KEYS for r in rows)
    ratio = next(r for r in rows if r["indicator"] == "rural_urban_dibao_ratio")
    assert (ratio["met"], ratio["shortfall"], ratio["actual"]) == (False, 2.0, 88.0)


def test_backtest_missing_file(capsys):
    code = cli.main(["backtest", "--district", "chengkou", "--actuals", "nowhere.csv", "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "nowhere.csv" in err


def test_simulate_shape(capsys):
    out = call(capsys, "simulate", "--district", "banan", "--replications", "2", "--seed", "7",
               "--end-year", "2025", "--json")
    assert {"scenario_hash", "district", "replications", "seed", "summary"} <= set(out)
    assert out["replications"] == 2
    assert out["seed"] == 7
    assert out["summary"]
    assert {"metric", "year", "mean", "ci_half_width"} <= set(out["summary"][0])


def test_simulate_rejects_bad_replications(capsys):
    code = cli.main(["simulate", "--district", "banan", "--replications", "0", "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "replications" in err


def test_validate_des_shape(capsys):
    out = call(capsys, "validate-des", "--json")
    assert {"simulated_loss", "erlang_b_loss", "ci_half_width"} <= set(out)
    assert abs(out["simulated_loss"] - out["erlang_b_loss"]) <= 3 * out["ci_half_width"]


def test_report_html(capsys, tmp_path):
    pytest.importorskip("models.report", reason="models/report.py not written yet")
    target = tmp_path / "out" / "report.html"
    out = call(capsys, "report", "--district", "chengkou", "--format", "html", "--out", str(target), "--json")
    assert {"path", "format", "bytes", "scenario_hash"} <= set(out)
    assert target.is_file()
    assert target.stat().st_size == out["bytes"] > 0
    assert out["scenario_hash"].encode() in target.read_bytes()


def test_every_command_has_json_flag():
    parser = cli._parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        assert any("--json" in a.option_strings for a in command._actions), name


@pytest.mark.parametrize("district", ["chengkou", "jiulongpo"])
def test_run_series_always_has_the_contract_keys(district):
    # DESIGN.md: series includes at least these; a district that publishes no base figure gets {} (not projected)
    from models.cli import RUN_SERIES, main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["run", "--district", district, "--json"]) == 0
    series = json.loads(buffer.getvalue())["series"]
    assert set(RUN_SERIES) <= set(series)
    if district == "jiulongpo":
        assert series["elderly_beds"] == {}
        assert series["population_60plus"]
