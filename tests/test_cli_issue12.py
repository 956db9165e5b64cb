"""CLI: beds-needed (P(wait) sweep) and goalseek (confidence) subcommands, and their refusals (exit 2)."""

from __future__ import annotations

import json

from models import cli


def test_beds_needed_json(capsys):
    assert cli.main(["beds-needed", "--district", "zhushan", "--p-wait", "5", "--end-year", "2030", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["p_wait_max_pct"] == 5
    rows = {r["year"]: r for r in out["rows"]}
    assert set(rows) == set(range(2020, 2031))
    assert all(r["needed"] == r["needed_general"] + r["needed_nursing"] for r in rows.values())
    assert rows[2030]["shortfall"] > 0  # 珠山's general beds are short by 2030


def test_beds_needed_refuses_a_bad_ceiling(capsys):
    assert cli.main(["beds-needed", "--district", "zhushan", "--p-wait", "0", "--json"]) == 2
    assert "p_wait_max_pct" in capsys.readouterr().err


def test_goalseek_json(capsys):
    args = ["goalseek", "--district", "chengkou", "--indicator", "social_operated_bed_share",
            "--lever", "social_transfer_per_year", "--mc", "300", "--json"]
    assert cli.main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["value"] == int(out["value"])
    assert out["p_at_value"] >= 0.8
    assert {a["lever"] for a in out["alternatives"]} >= {"social_transfer_per_year"}


def test_goalseek_refuses_bad_probability(capsys):
    args = ["goalseek", "--district", "chengkou", "--indicator", "social_operated_bed_share",
            "--lever", "social_transfer_per_year", "--p", "1.5", "--json"]
    assert cli.main(args) == 2
    assert "p_target" in capsys.readouterr().err


def test_beds_needed_confirm_with_des(capsys):
    args = ["beds-needed", "--district", "wulong", "--p-wait", "5", "--end-year", "2025", "--replications", "5",
            "--confirm", "--json"]
    assert cli.main(args) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert all(r["confirmed"] >= r["needed"] for r in rows)
    assert all(r["des_p_wait"] <= 0.05 for r in rows) == rows[0]["des_confirmed"]
    assert all(r["confirmed"] == r["confirmed_general"] + r["confirmed_nursing"] for r in rows)


def test_beds_needed_confirm_needs_replications(capsys):
    assert cli.main(["beds-needed", "--district", "wulong", "--confirm", "--json"]) == 2
    assert "--replications" in capsys.readouterr().err
    assert cli.main(["beds-needed", "--district", "wulong", "--replications", "2", "--confirm", "--max-rounds",
                     "0", "--json"]) == 2
    assert "--max-rounds" in capsys.readouterr().err
