"""The CLI on hostile input and file-system trouble (issue 10): exit 2, a message in Chinese and English
naming the input and the limit, no traceback, nothing half-written."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from models import cli, limits
from models import report as rp

HEAD = '[scenario]\nname = "x"\ndistrict = "banan"\n'


def fails(capsys, *argv: str) -> str:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, (code, err)
    assert out == ""
    assert "Traceback" not in err
    zh, en = err.splitlines()[:2]
    assert zh.startswith("错误：")
    assert en.startswith("Error: ")
    assert len(err) < 1500
    return err


@pytest.fixture
def fast_report(monkeypatch):
    monkeypatch.setattr(rp, "build", lambda *_a, **_k: b"<html></html>")


def test_out_is_a_folder(capsys, tmp_path, fast_report):
    err = fails(capsys, "report", "--district", "banan", "--format", "html", "--out", str(tmp_path))
    assert "是文件夹" in err
    assert "is a folder" in err


def test_out_under_a_file(capsys, tmp_path, fast_report):
    (tmp_path / "a_file").write_text("x")
    err = fails(capsys, "report", "--district", "banan", "--format", "html", "--out",
                str(tmp_path / "a_file" / "deeper" / "r.html"))
    assert "is a file, not a folder" in err
    assert (tmp_path / "a_file").read_text() == "x"


def test_out_in_a_read_only_folder(capsys, tmp_path, fast_report, monkeypatch):
    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # root ignores chmod; the OS's refusal, simulated
    err = fails(capsys, "report", "--district", "banan", "--format", "html", "--out", str(tmp_path / "r.html"))
    assert "Permission denied" in err
    assert not (tmp_path / "r.html").exists()


def test_out_written_atomically(capsys, tmp_path, fast_report):
    assert cli.main(["report", "--district", "banan", "--format", "html", "--out", str(tmp_path / "d" / "r.html"),
                     "--json"]) == 0
    assert (tmp_path / "d" / "r.html").read_bytes() == b"<html></html>"
    assert [p.name for p in (tmp_path / "d").iterdir()] == ["r.html"]


def test_unreadable_scenario_and_actuals(capsys, tmp_path, monkeypatch):
    scenario, actuals = tmp_path / "s.toml", tmp_path / "a.csv"
    scenario.write_text(HEAD)
    actuals.write_text("indicator,year,value\n")
    real_open = Path.open

    def refuse(self, *a, **k):
        if self in (scenario, actuals):
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", refuse)
    err = fails(capsys, "run", "--scenario", str(scenario), "--json")
    assert f"无法读取文件 {scenario}" in err  # the path as the user typed it
    err = fails(capsys, "backtest", "--district", "banan", "--actuals", str(actuals), "--json")
    assert f"Cannot read file {actuals}" in err


def sparse_20_gb(big: Path, monkeypatch) -> Path:
    """A sparse 20 GB file at ``big``; reading its bytes fails the test (it must be refused by its size)."""
    with big.open("wb") as fh:
        fh.truncate(20 * 2**30)
    real = Path.read_bytes

    def guarded(self):
        assert self != big, "read a file over budget"
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    return big


@pytest.mark.parametrize("option", ["--scenario", "--actuals"])
def test_sparse_20_gb_file_refused_by_stat(capsys, tmp_path, monkeypatch, option):
    big = sparse_20_gb(tmp_path / "big.toml", monkeypatch)
    argv = (["run", "--scenario", str(big)] if option == "--scenario"
            else ["backtest", "--district", "banan", "--actuals", str(big)])
    err = fails(capsys, *argv, "--json")
    assert "20 GB" in err


def test_scenario_is_a_folder(capsys, tmp_path):
    assert "is a folder" in fails(capsys, "run", "--scenario", str(tmp_path), "--json")


@pytest.mark.parametrize(("text", "words"), [
    (HEAD + "seed = " + "9" * 400 + "\n", "digits in a number"),
    (HEAD + "[beds]\nlos_mean_years = " + "9" * 400 + "\n", "digits in a number"),
    (HEAD + "notes = " + "[" * 2000 + "]" * 2000 + "\n", "nesting depth"),
    ("a" + ".a" * 120_000 + " = 1\n", "parts of a dotted key"),
])
def test_hostile_scenario_files(capsys, tmp_path, text, words):
    path = tmp_path / "evil.toml"
    path.write_text(text)
    err = fails(capsys, "run", "--scenario", str(path), "--json")
    assert words in err
    assert "evil.toml" in err


def test_wide_actuals_row(capsys, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(b"indicator,year,value\nelderly_beds,2025,1" + b"," * 200_000 + b"\n")
    err = fails(capsys, "backtest", "--district", "banan", "--actuals", str(path), "--json")
    assert "wide.csv" in err
    assert "the limit is 32" in err


@pytest.mark.parametrize(("argv", "option"), [
    (["targets", "--district", "banan", "--mc", "-5"], "--mc"),
    (["targets", "--district", "banan", "--mc", "100001"], "--mc"),
    (["simulate", "--district", "banan", "--replications", "1", "--jobs", "100000"], "--jobs"),
    (["simulate", "--district", "banan", "--replications", "1", "--jobs", "-100"], "--jobs"),
    (["simulate", "--district", "banan", "--replications", "1", "--jobs", "0"], "--jobs"),
    (["validate-des", "--jobs", "65"], "--jobs"),
    (["simulate", "--district", "banan", "--replications", "1", "--seed", "9" * 40], "--seed"),
    (["simulate", "--district", "banan", "--replications", "1", "--seed", "-1"], "--seed"),
    (["simulate", "--district", "banan", "--replications", "0"], "--replications"),
    (["solve", "--district", "wulong", "--indicator", "nursing_bed_share", "--lever", "nursing_share_of_new_beds",
      "--target", "nan"], "--target"),
    (["solve", "--district", "wulong", "--indicator", "nursing_bed_share", "--lever", "nursing_share_of_new_beds",
      "--target", "inf"], "--target"),
    (["solve", "--district", "wulong", "--indicator", "nursing_bed_share", "--lever", "nursing_share_of_new_beds",
      "--year", "3000"], "--year"),
    (["run", "--district", "chengkou", "--end-year", "2050"], "--end-year"),
])
def test_option_bounds_name_the_option(capsys, argv, option):
    err = fails(capsys, *argv, "--json")
    assert option in err
    assert "scenario 参数" not in err


def test_heavy_simulation_refused_with_estimate(capsys, tmp_path):
    path = tmp_path / "heavy.toml"
    path.write_text(HEAD + "[beds]\ninstitutionalisation_rate_pct = 100\nlos_mean_years = 0.1\n")
    err = fails(capsys, "simulate", "--scenario", str(path), "--replications", "1", "--json")
    assert "10,000,000" in err
    assert "estimated" in err


def test_limits_env_reaches_the_cli(capsys, tmp_path, monkeypatch):
    path = tmp_path / "s.toml"
    path.write_text(HEAD)
    monkeypatch.setenv(limits.ENV, "scenario_bytes=10")
    assert "the limit is 10 B" in fails(capsys, "run", "--scenario", str(path), "--json")


@pytest.mark.parametrize("command", ["import-district", "extract-plan"])
def test_district_files_refused_by_stat(capsys, tmp_path, monkeypatch, command):
    big = sparse_20_gb(tmp_path / "big.xlsx", monkeypatch)
    assert "20 GB" in fails(capsys, command, str(big), "--json")
    assert "is a folder" in fails(capsys, command, str(tmp_path), "--json")


def test_export_district_out_problems(capsys, tmp_path):
    assert "is a folder" in fails(capsys, "export-district", "--empty", "--out", str(tmp_path))
    (tmp_path / "f").write_text("x")
    assert "is a file, not a folder" in fails(capsys, "export-district", "--empty", "--out",
                                              str(tmp_path / "f" / "t.xlsx"))
