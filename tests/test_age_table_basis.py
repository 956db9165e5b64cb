"""The uploaded age table states its population basis (户籍 / 常住), issue 11: stored in the scenario
(``[population] age_table_basis``), validated with a clear zh/en error, hashed, old files still load, and
the basis shown wherever the count appears (CLI run/forecast JSON, report, population page)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from apptest_helpers import assert_ok, new_app

from models import age_table, cli, population_basis, presets, share
from models import scenario as sc
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve

TABLE_CSV = "年龄组,人数\n45-49岁,16000\n50-54岁,17000\n55-59岁,15000\n60-64岁,9000\n65-69岁,11000\n" \
            "70-74岁,8000\n75-79岁,5000\n80-84岁,3000\n85岁及以上,2000\n"
TABLE = age_table.parse(TABLE_CSV.encode(), "t.csv")


def _scen(basis: str = "常住", district: str = "chengkou") -> sc.Scenario:
    return presets.load_preset(district, "baseline", dataset()).with_age_table(TABLE, basis)


def test_basis_round_trips_in_toml_and_share_link() -> None:
    ds = dataset()
    text = sc.dumps(_scen("常住"))
    assert 'age_table_basis = "常住"' in text
    again = presets.load_text(text, ds)
    assert (again.age_table_basis, again.age_table) == ("常住", _scen().age_table)
    linked = presets.load_bytes(share.decode(share.encode(text)), ds, file="link")
    assert linked.age_table_basis == "常住"


def test_english_codes_are_stored_in_chinese() -> None:
    assert _scen("hukou").age_table_basis == "户籍"
    assert _scen("resident").age_table_basis == "常住"


def test_old_scenario_without_basis_still_loads_and_says_not_stated() -> None:
    ds = dataset()
    text = sc.dumps(_scen("常住")).replace('age_table_basis = "常住"\n', "")
    old = presets.load_text(text, ds, file="old.toml")
    assert old.age_table_basis == ""
    stated = population_basis.basis_for(resolve(old, ds), ds)
    assert (stated.basis, stated.status) == (population_basis.NOT_STATED, "table")
    assert "旧场景文件" in stated.reason
    assert "older scenario file" in stated.reason_en


@pytest.mark.parametrize("bad", ['"农业"', "3", '""'])
def test_bad_basis_is_a_clear_error_naming_key_and_value(bad: str) -> None:
    text = sc.dumps(_scen("常住")).replace('age_table_basis = "常住"', f"age_table_basis = {bad}")
    with pytest.raises(ShapanError) as err:
        presets.load_text(text, dataset(), file="bad.toml")
    zh, en = err.value.message("zh"), err.value.message("en")
    for text, words in ((zh, "户籍 或 常住"), (en, "常住 (resident)")):
        assert "bad.toml" in text
        assert "population.age_table_basis" in text
        assert words in text


def test_basis_without_a_table_is_refused() -> None:
    plain = sc.dumps(presets.load_preset("chengkou", "baseline", dataset()))
    text = plain + '\n[population]\nage_table_basis = "户籍"\n' if "[population]" not in plain else None
    assert text is not None
    with pytest.raises(ShapanError) as err:
        presets.load_text(text, dataset(), file="lonely.toml")
    assert "[population.age_table]" in err.value.message("en")
    with pytest.raises(ShapanError):
        presets.load_preset("chengkou", "baseline", dataset()).with_age_table_basis("户籍")


def test_basis_enters_the_hash_and_removal_clears_it() -> None:
    ds = dataset()
    hukou, resident = resolve(_scen("户籍"), ds), resolve(_scen("常住"), ds)
    assert hukou.hash != resident.hash
    assert resolve(_scen("户籍"), ds).hash == hukou.hash
    assert hukou["population.pop_60plus_base"] == resident["population.pop_60plus_base"] == 38000
    removed = _scen("户籍").with_age_table(None)
    assert (removed.age_table, removed.age_table_basis) == ((), "")
    plain = presets.load_preset("chengkou", "baseline", ds)
    assert resolve(removed, ds).hash == resolve(plain, ds).hash


def test_basis_for_states_the_chosen_basis() -> None:
    ds = dataset()
    stated = population_basis.basis_for(resolve(_scen("常住", "wulong"), ds), ds)
    assert (stated.basis, stated.status) == ("常住", "table")  # 武隆's own basis is 户籍 (assumed)
    assert stated.describe("zh") == "口径：常住人口（上传年龄表时选定）"
    assert stated.describe("en") == "Basis: resident population (census basis) (chosen with the uploaded age table)"
    typed = resolve(_scen("常住", "wulong").with_params(**{"population.pop_60plus_base": 50_000.0}), ds)
    assert population_basis.basis_for(typed, ds).status == "user"  # a typed base is the user's, on 武隆's basis


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_run_and_forecast_print_the_table_basis(tmp_path: Path) -> None:
    path = tmp_path / "ages.csv"
    path.write_bytes(TABLE_CSV.encode("gbk"))
    code, out, _ = _cli("run", "--district", "wulong", "--age-table", str(path), "--age-table-basis", "常住",
                        "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["series"]["population_60plus"]["2020"] == pytest.approx(38000)
    assert (doc["population_basis"]["basis"], doc["population_basis"]["status"]) == ("常住", "table")
    code, out, _ = _cli("forecast", "--district", "wulong", "--age-table", str(path), "--age-table-basis",
                        "hukou", "--mc", "20", "--json")
    assert code == 0
    doc = json.loads(out)
    assert (doc["population_basis"]["basis"], doc["population_basis"]["label_en"]) == (
        "户籍", "registered (hukou) population")


def test_cli_basis_errors_exit_2_naming_the_option(tmp_path: Path) -> None:
    path = tmp_path / "ages.csv"
    path.write_bytes(TABLE_CSV.encode("utf-8"))
    code, out, err = _cli("run", "--district", "wulong", "--age-table", str(path), "--age-table-basis", "农村",
                          "--json")
    assert (code, out) == (2, "")
    assert "--age-table-basis" in err
    assert "农村" in err
    assert "Traceback" not in err
    code, out, err = _cli("run", "--district", "wulong", "--age-table-basis", "户籍", "--json")
    assert (code, out) == (2, "")
    assert "--age-table" in err


def test_report_note_states_the_table_basis() -> None:
    from models.reporting import content

    ds = dataset()
    res = resolve(_scen("常住", "wulong"), ds)

    class Data:
        resolved = res

    for lang, label in (("zh", "常住人口"), ("en", "resident population")):
        text = content._basis(Data(), {"lang": lang, "ds": ds})
        assert label in text


def test_population_page_shows_the_chosen_basis_and_switches_it() -> None:
    at = new_app()
    at.session_state["scenarios"] = {"chengkou": _scen("常住")}
    at.switch_page("pages/population.py").run()
    assert_ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "人口口径：常住人口（上传年龄表时选定）" in captions
    assert "正在使用上传的年龄表（常住人口）" in captions
    base = next(m for m in at.metric if m.label == "2020年60岁及以上人口（基数）")
    assert base.value.startswith("38,000")


def test_population_page_asks_for_the_basis_of_an_old_table() -> None:
    at = new_app()
    at.session_state["scenarios"] = {"chengkou": _scen("常住").with_age_table(TABLE)}  # no basis
    at.switch_page("pages/population.py").run()
    assert_ok(at)
    assert any("未写明口径" in w.value for w in at.warning)
    assert "人口口径：口径未说明（上传年龄表时选定）" in " ".join(c.value for c in at.caption)
