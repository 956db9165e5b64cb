"""The age table in a scenario: stored and reloaded (TOML, share link), resolved (60+, 65+/60+, shape not
drawn), projected (base-year 60+, 65+ and 80+ equal the table's), the CLI option and the population page."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from apptest_helpers import AGE_TABLE_CSV, assert_ok, new_app

from models import age_table, cli, engine, population_basis, presets, share
from models import scenario as sc
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve

TABLE = age_table.parse(AGE_TABLE_CSV.encode(), "t.csv")


def _scen(district: str = "chengkou") -> sc.Scenario:
    return presets.load_preset(district, "baseline", dataset()).with_age_table(TABLE)


def test_scenario_round_trips_the_table() -> None:
    ds = dataset()
    scen = _scen()
    text = sc.dumps(scen)
    assert "[population.age_table]" in text
    again = presets.load_text(text, ds)
    assert again.age_table == scen.age_table
    linked = presets.load_bytes(share.decode(share.encode(text)), ds, file="link")
    assert linked.age_table == scen.age_table


def test_bad_table_in_a_scenario_names_the_key() -> None:
    text = sc.dumps(_scen()).replace('60-64 = 9000.0', '60-65 = 9000.0')
    with pytest.raises(ShapanError) as err:
        presets.load_text(text, dataset(), file="bad.toml")
    assert "60-65" in err.value.message("en")
    assert "bad.toml" in err.value.message("en")


def test_resolve_takes_60plus_and_share_from_the_table() -> None:
    ds = dataset()
    res = resolve(_scen(), ds)
    plain = resolve(presets.load_preset("chengkou", "baseline", ds), ds)
    assert res["population.pop_60plus_base"] == 38000
    assert res["population.share_65_of_60_pct"] == pytest.approx(29000 / 38000 * 100)
    assert res["population.age_45_59_factor"] == 1.0
    assert res["uncertainty.age_shape_sd_pp"] == 0.0
    assert res.hash != plain.hash
    stated = population_basis.basis_for(res, ds)  # a table without its basis (an older file): not stated
    assert (stated.status, stated.basis) == ("table", population_basis.NOT_STATED)
    user = resolve(_scen().with_params(**{"population.pop_60plus_base": 50_000.0}), ds)
    assert user["population.pop_60plus_base"] == 50_000.0


def test_base_year_bands_equal_the_table() -> None:
    ds = dataset()
    run = engine.run(resolve(_scen(), ds), ds)
    first = run.population.iloc[0]
    assert first["population_60plus"] == pytest.approx(38000)
    assert first["population_65plus"] == pytest.approx(29000)
    assert first["population_80plus"] == pytest.approx(5000)
    assert first["population_45_59"] == pytest.approx(48000)
    assert run.population["population_60plus"].iloc[5] != pytest.approx(38000)


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_age_table(tmp_path: Path) -> None:
    path = tmp_path / "ages.csv"
    path.write_bytes(AGE_TABLE_CSV.encode("gbk"))
    code, out, _ = _cli("run", "--district", "wulong", "--age-table", str(path), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["series"]["population_60plus"]["2020"] == pytest.approx(38000)
    assert doc["population_basis"]["status"] == "table"
    assert doc["population_basis"]["basis"] == population_basis.NOT_STATED
    code, out, _ = _cli("forecast", "--district", "wulong", "--age-table", str(path), "--mc", "50", "--json")
    assert code == 0
    p65 = json.loads(out)["series"]["population_65plus"]["2020"]
    assert p65["p10"] == pytest.approx(29000, rel=0.2)
    bad = tmp_path / "bad.csv"
    bad.write_text("年龄组,人数\n45-49,1\n50-54,x\n", encoding="utf-8")
    code, out, err = _cli("run", "--district", "wulong", "--age-table", str(bad), "--json")
    assert code == 2
    assert out == ""
    assert "bad.csv" in err
    assert "row 3" in err
    code, _, err = _cli("run", "--district", "wulong", "--age-table", str(tmp_path / "none.csv"), "--json")
    assert code == 2
    assert "none.csv" in err


def test_population_page_shows_the_table_in_use() -> None:
    at = new_app()
    at.session_state["scenarios"] = {"chengkou": _scen()}
    at.switch_page("pages/population.py").run()
    assert_ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "38,000" in captions
    base = next(m for m in at.metric if m.label == "2020年60岁及以上人口（基数）")
    assert base.value.startswith("38,000")
    at.button(key="age_table_remove_chengkou").click().run()
    assert_ok(at)
    base = next(m for m in at.metric if m.label == "2020年60岁及以上人口（基数）")
    assert base.value.startswith("45,000")
