"""District workbook: export (blank / filled), import with cell-level errors, user districts in SHAPAN_HOME.

Every test points ``SHAPAN_HOME`` at its own ``tmp_path``; nothing is written to ``data/`` or ``~``.
"""

from __future__ import annotations

import io
import json
import math
import zipfile

import pytest
from openpyxl import load_workbook
from workbook_helpers import DISTRICT, FIGURES, edit_cell, filled_blank

from models import engine, presets, setters, user_districts, workbook
from models import targets as tg
from models.checks import run_checks
from models.cli import main
from models.data import DEFAULT_DATA_DIR, load_dataset
from models.errors import ShapanError
from models.resolve import resolve
from models.workbook_import import read_workbook
from models.workbook_store import import_workbook


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SHAPAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SHAPAN_SCENARIO_DIR", raising=False)
    return tmp_path / "home"


@pytest.fixture(scope="module")
def base():
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def blank(base):
    return workbook.export_workbook(base)


def _cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_blank_template_sheets_dropdowns_and_instructions(blank, base):
    book = load_workbook(io.BytesIO(blank))
    assert book.sheetnames == ["说明", "区县", "指标", "项目", "支出", "救助对象", "标准制定", "指标目录", "选项"]
    assert "填写说明" in book["说明"]["A1"].value
    ind = book["指标"]
    assert [c.value for c in ind[2]][:5] == ["indicator", "label", "year", "value", "unit"]
    assert ind.max_row == 2  # empty
    rules = {str(dv.sqref): dv for dv in ind.data_validations.dataValidation}
    drop = rules[f"A3:A{workbook.MAX_ROWS + 2}"]
    assert drop.formula1 == f"='指标目录'!$A$3:$A${len(base.meta) + 2}"
    assert drop.errorStyle == "warning"  # free text allowed, flagged
    catalogue = book["指标目录"]
    choices = {catalogue.cell(row=r, column=1).value for r in range(3, catalogue.max_row + 1)}
    assert "nursing_bed_share｜" + base.label("nursing_bed_share") in choices
    assert len(choices) == len(base.meta)


def test_wulong_round_trip_reproduces_run_and_targets(home, base, capsys):
    data = workbook.export_workbook(base, "wulong")
    out = import_workbook(data, "wulong.xlsx", base, "wulong_copy")
    assert out["id"] == "wulong_copy"
    assert out["indicators"] == len(base.indicators_for("wulong"))
    assert out["projects"] == len(base.projects_for("wulong"))
    assert out["warnings"] == []
    assert (home / "districts" / "wulong_copy" / "indicators.csv").is_file()
    for command in ("run", "targets"):
        code, original, _ = _cli(capsys, command, "--district", "wulong", "--json")
        assert code == 0
        code, copy, err = _cli(capsys, command, "--district", "wulong_copy", "--json")
        assert code == 0, err
        strip = {"scenario_hash", "data_version", "district"}

        def clean(doc, strip=strip):
            if isinstance(doc, list):
                return [clean(d) for d in doc]
            # the plan's source id is made from the district id (wulong_copy_plan): an id field
            return {k: ("<plan>" if k == "source" and v in ("wulong_plan", "wulong_copy_plan") else v)
                    for k, v in doc.items() if k not in strip}

        a, b = json.loads(original), json.loads(copy)
        assert clean(a) == clean(b)
        if command == "run":
            assert a["scenario_hash"] != b["scenario_hash"]
            assert b["district"] == "wulong_copy"
            assert json.dumps(clean(a), ensure_ascii=False) == json.dumps(clean(b), ensure_ascii=False)


def test_shipped_hashes_do_not_change_when_a_district_is_imported(home, base):
    before = resolve(presets.load_preset("wulong", "plan", base), base).hash
    import_workbook(workbook.export_workbook(base, "wulong"), "w.xlsx", base, "wulong_copy")
    merged = user_districts.load()
    assert merged.user_districts == ("wulong_copy",)
    assert merged.version != base.version  # caches keyed on the version see the new district
    assert resolve(presets.load_preset("wulong", "plan", merged), merged).hash == before


def test_from_scratch_district_runs_every_model(home, base, blank):
    out = import_workbook(filled_blank(blank), "ceshi.xlsx", base)
    assert out["id"] == "ceshi"
    assert out["indicators"] == len(FIGURES)
    assert out["projects"] == 1
    assert any("smart_elderly_service_points" in w for w in out["warnings"])  # the free-text id is flagged
    ds = user_districts.load()
    assert ds.is_user("ceshi")
    assert ds.district("ceshi")["name_zh"] == DISTRICT["name_zh"]
    assert ds.label("smart_elderly_service_points") == "智慧养老服务点"
    assert presets.preset_names("ceshi") == list(presets.PRESET_NAMES)
    assert setters.setter_of(ds, "ceshi", "dibao_urban_standard") == "chongqing"  # from the 标准制定 sheet
    assert setters.decided_by(ds, "ceshi", "dibao_urban_standard") == "市"
    res = resolve(presets.load_preset("ceshi", "plan", ds), ds)
    result = engine.run(res, ds)
    assert result.series["population_60plus"][2020] == pytest.approx(60000)
    assert result.series["elderly_beds"][2025] >= 2400 + 200  # the project opened in 2023
    assert "dibao_urban_standard" in result.series
    scorecard = tg.evaluate(result, ds)
    nursing = scorecard[scorecard["indicator"] == "nursing_bed_share"].iloc[0]
    assert nursing["target"] == 55
    assert nursing["status"]
    assert not result.budget.empty
    findings = [f for f in run_checks(ds) if f["district"] == "ceshi"]
    assert all(f["level"] != "error" for f in findings), findings


@pytest.mark.parametrize(
    ("sheet", "row", "key", "value", "column", "fragment"),
    [
        ("指标", 6, "value", "≥55", "D", "应为数字"),
        ("指标", 3, "kind", "基数", "F", "可选"),
        ("指标", 6, "comparator", None, "G", "目标行必填"),
        ("指标", 3, "year", 1999, "C", "2010"),
        ("指标", 4, "unit", "床", "E", "可选"),
        ("指标", 4, "indicator", "养老 床位", "A", "下拉"),
        ("项目", 3, "nursing_beds", 300, "E", "不能多于床位数"),
        ("区县", 4, "value", None, "C", "区县名称"),
        ("标准制定", 3, "setter_level", "县", "B", "可选"),
        ("标准制定", 4, "setter_id", "重庆", "C", "小写英文代码"),
    ],
)
def test_bad_cells_name_sheet_row_and_column(base, blank, sheet, row, key, value, column, fragment):
    data = edit_cell(filled_blank(blank), sheet, row, key, value)
    with pytest.raises(ShapanError) as info:
        read_workbook(data, "ceshi.xlsx", base)
    err = info.value
    assert err.fields["sheet"] == sheet
    assert err.fields["row"] == row
    assert err.fields["column"] == column
    assert fragment in err.message("zh")
    assert sheet in err.message("en")
    assert f"row {row}" in err.message("en")


def test_duplicate_rows_and_damaged_files_are_refused(base, blank, home):
    data = filled_blank(blank)
    dup = edit_cell(data, "指标", 4, "indicator", "nursing_bed_share")  # now equal to row 5
    dup = edit_cell(dup, "指标", 4, "locator", "专栏1 第3行")
    dup = edit_cell(dup, "指标", 4, "value", 30)
    with pytest.raises(ShapanError, match="duplicates"):
        read_workbook(dup, "d.xlsx", base)
    with pytest.raises(ShapanError, match="not a valid xlsx"):
        read_workbook(b"PK not really a zip", "x.xlsx", base)
    with pytest.raises(ShapanError, match="too large"):
        read_workbook(b"0" * (6 * 1024 * 1024), "big.xlsx", base)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (65 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(ShapanError, match="inflated") as info:
        read_workbook(bomb.getvalue(), "bomb.xlsx", base)
    assert info.value.code == "over_limit"  # models.limits.too_large
    book = load_workbook(io.BytesIO(data))
    del book["项目"]
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(ShapanError, match="项目"):
        read_workbook(buf.getvalue(), "nosheet.xlsx", base)
    assert not (home / "districts").exists()  # nothing written on a refused import


def test_user_district_id_rules(base, blank, home):
    for bad in ("wulong", "Bad", "a", "../x", "1abc"):
        with pytest.raises(ShapanError):
            import_workbook(filled_blank(blank), "c.xlsx", base, bad)
    assert user_districts.user_ids() == []


def test_broken_user_folder_is_skipped_not_fatal(base, blank, home):
    import_workbook(filled_blank(blank), "c.xlsx", base)
    (home / "districts" / "ceshi" / "indicators.csv").write_text("district,indicator\nceshi,x\n", encoding="utf-8")
    ds = user_districts.load()
    assert ds.user_districts == ()
    assert len(ds.user_errors) == 1
    assert "indicators.csv" in ds.user_errors[0]


def test_cli_export_import_contract(home, capsys, tmp_path):
    target = tmp_path / "w.xlsx"
    code, out, _ = _cli(capsys, "export-district", "--district", "wulong", "--out", str(target), "--json")
    assert code == 0
    assert json.loads(out)["path"] == str(target)
    code, out, _ = _cli(capsys, "import-district", str(target), "--id", "wulong_b", "--json")
    assert code == 0
    doc = json.loads(out)
    assert {"id", "rows", "warnings"} <= set(doc)
    assert doc["id"] == "wulong_b"
    assert doc["rows"] > 100
    code, out, _ = _cli(capsys, "districts", "--json")
    listed = {d["id"]: d for d in json.loads(out)}
    assert listed["wulong_b"]["user_supplied"] is True
    assert listed["wulong"]["user_supplied"] is False
    code, out, _ = _cli(capsys, "check", "--district", "wulong_b", "--json")
    assert code == 0
    assert all(f["district"] in ("wulong_b", "") for f in json.loads(out)["warnings"])
    findings = [f for level in json.loads(out).values() for f in level if f["district"] == "wulong_b"]
    assert findings  # 武隆's data-quality findings carry over to the copy
    own = (home / "districts" / "wulong_b" / "indicators.csv").read_text(encoding="utf-8").splitlines()
    shipped = (DEFAULT_DATA_DIR / "indicators.csv").read_text(encoding="utf-8").splitlines()
    _, original, _ = _cli(capsys, "check", "--district", "wulong", "--json")
    before = [f for level in json.loads(original).values() for f in level if f["district"] == "wulong"]
    assert [f["code"] for f in findings] == [f["code"] for f in before]

    def cited(lines, rows):  # the cited rows' indicator and year, wherever the file is
        return sorted(tuple(lines[r - 1].split(",")[1:3]) for r in rows)

    for finding, twin in zip(findings, before, strict=True):  # rows = lines of the user's own file
        assert finding["file"].endswith("wulong_b/indicators.csv")
        assert all(own[r - 1].startswith("wulong_b,") for r in finding["rows"])
        assert cited(own, finding["rows"]) == cited(shipped, twin["rows"])
    blank = tmp_path / "blank.xlsx"
    assert _cli(capsys, "export-district", "--empty", "--out", str(blank))[0] == 0
    code, out, err = _cli(capsys, "import-district", str(blank), "--id", "empty_one", "--json")
    assert code == 2
    assert out == ""
    assert "区县" in err
    assert "row 4" in err
    assert "Traceback" not in err
    code, _, err = _cli(capsys, "import-district", str(tmp_path / "missing.xlsx"), "--json")
    assert code == 2
    assert "missing.xlsx" in err


def test_filled_export_keeps_values_exact(base):
    book = load_workbook(io.BytesIO(workbook.export_workbook(base, "wulong")), read_only=True)
    rows = [r for name in workbook.FIGURE_SHEETS for r in list(book[name].iter_rows(values_only=True))[2:]]
    assert len(rows) == len(base.indicators_for("wulong"))
    values = sorted(v for r in rows if isinstance(v := r[3], int | float))
    expected = sorted(v for v in base.indicators_for("wulong")["value"] if not math.isnan(v))
    assert values == pytest.approx(expected, rel=0, abs=0)
