"""Plan extraction: table layouts, value cells, id matching, and the proof on the five seed plans.

The seed test reads each plan's text, extracts its indicator table and compares the 2025 targets with the
hand-entered rows of ``data/indicators.csv`` whose locator is a table row (专栏N/表N/…指标表 第k行): a row
is recovered when the extracted rows hold the same indicator id with the same value (both empty for a
text target) for 2025. Run with ``-s`` to print the figures per district.
"""

from __future__ import annotations

import io
import json
import math
import re

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from models import plan_extract as pe
from models.cli import main
from models.data import DEFAULT_DATA_DIR, load_dataset
from models.errors import ShapanError
from models.plan_tables import is_header, tables_from_text

SEEDS = DEFAULT_DATA_DIR.parent.parent / "shared" / "seeds"
TABLE_ROW = re.compile(r"^(?:专栏\d+|表\d+) 第\d+行|指标表 第\d+行")
MIN_RECOVERED = 0.8


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DEFAULT_DATA_DIR)


def _seed(ds, district: str) -> bytes:
    return (SEEDS / ds.sources[ds.district(district)["plan_source"]]["file"]).read_bytes()


def recovery(ds, district: str, meta=None) -> tuple[int, int, list[str]]:
    """(recovered, table rows, misses) for the district's 2025 targets."""
    rows = pe.extract(_seed(ds, district), "plan.txt", ds.meta if meta is None else meta)
    got = rows[(rows["kind"] == "target") & (rows["year"] == 2025)]
    hand = ds.indicators_for(district)
    hand = hand[(hand["kind"] == "target") & (hand["year"] == 2025) & hand["locator"].str.contains(TABLE_ROW)]
    misses = []
    for row in hand.itertuples():
        values = got.loc[got["indicator"] == row.indicator, "value"]
        if not any((math.isnan(row.value) and math.isnan(v)) or v == row.value for v in values):
            misses.append(f"{row.indicator} {row.value:g} ({row.locator})")
    return len(hand) - len(misses), len(hand), misses


# --------------------------------------------------------------------------------------------- seeds

TABLE_DISTRICTS = ["chengkou", "wulong", "banan", "zhushan"]  # jiulongpo's opinion has no indicator table


@pytest.mark.parametrize("district", TABLE_DISTRICTS)
def test_seed_recovery_of_2025_targets(ds, district):
    ok, total, misses = recovery(ds, district)
    print(f"\n{district}: recovered {ok}/{total} = {ok / total:.0%} of indicator-table 2025 targets; misses: {misses}")
    assert total >= 15
    assert ok / total >= MIN_RECOVERED, misses


def test_seed_recovery_without_the_districts_own_ids(ds):
    """Cold start: the registry without the ids only this district uses (as for a plan nobody typed in)."""
    total_ok = total_all = 0
    for district in TABLE_DISTRICTS:
        users = ds.indicators.groupby("indicator")["district"].agg(set)
        own = {ind for ind, who in users.items() if who == {district}}
        meta = ds.meta[~ds.meta["indicator"].isin(own)].reset_index(drop=True)
        ok, total, _ = recovery(ds, district, meta)
        print(f"\n{district} (cold start, {len(own)} own ids removed): {ok}/{total} = {ok / total:.0%}")
        total_ok, total_all = total_ok + ok, total_all + total
    assert total_ok / total_all >= 0.5  # a floor, not the aim: the figures are printed for the closing note


def test_jiulongpo_opinion_has_no_table(ds):
    assert pe.extract(_seed(ds, "jiulongpo"), "opinion.txt", ds.meta).empty


def test_tables_found_in_every_layout(ds):
    found = {d: tables_from_text(_seed(ds, d).decode("utf-8")) for d in TABLE_DISTRICTS}
    titles = {d: [t.title[:3] for t in tables] for d, tables in found.items()}
    assert titles["chengkou"] == ["专栏1", "专栏2"]  # cell-per-line with blank cells (专栏1 rows 4-5)
    assert [len(t.rows) for t in found["chengkou"]] == [7, 20]
    assert titles["wulong"] == ["专栏1"]
    assert len(found["wulong"][0].rows) == 16
    assert titles["banan"] == ["表1 "]
    assert len(found["banan"][0].rows) == 15
    assert len(found["zhushan"][-1].rows) == 23


# ---------------------------------------------------------------------------------------- value cells


@pytest.mark.parametrize(
    ("cell", "value", "comparator", "text"),
    [
        ("≥85", 85, ">=", False),
        ("≤40", 40, "<=", False),
        (">30", 30, ">=", False),
        ("不低于60%", 60, ">=", False),
        ("不超过40%", 40, "<=", False),
        ("达到 30%", 30, ">=", False),
        ("100", 100, "", False),
        ("90%以上", 90, ">=", False),
        ("2.375万", 23750, "", False),
        ("同步", math.nan, "sync", True),
        ("不低于上年度居民人均消费支出增速", math.nan, ">=", True),
        ("不低于低保标准的1.3倍", math.nan, ">=", True),
    ],
)
def test_parse_value(cell, value, comparator, text):
    out = pe.parse_value(cell)
    assert out["comparator"] == comparator
    assert out["text_target"] is text
    assert (math.isnan(out["value"]) and math.isnan(value)) or out["value"] == pytest.approx(value)


@pytest.mark.parametrize("cell", ["——", "-", "---", "", " — "])
def test_no_figure(cell):
    assert pe.parse_value(cell) is None


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([("≥", ">="), ("不低于", ">="), ("≤", "<="), ("不超过", "<=")]))
def test_parse_value_property(number, sign):
    text = f"{sign[0]}{number}"
    out = pe.parse_value(text)
    assert out["comparator"] == sign[1]
    assert out["value"] == pytest.approx(float(number))


def test_units_scale_and_normalise():
    assert pe.split_unit("社会工作专业人才数(万人)", "") == ("社会工作专业人才数", "人", 10_000.0)
    assert pe.split_unit("城市最低生活保障平均标准(元/人、月）", "") == ("城市最低生活保障平均标准", "元/人·月", 1.0)
    assert pe.split_unit("福利彩票销售网点数", "个") == ("福利彩票销售网点数", "个", 1.0)
    assert pe.parse_value("≥0.25", 10_000.0)["value"] == pytest.approx(2500)


def test_matching_proposes_registry_ids_and_refuses_strangers(ds):
    ind, score, candidates = pe.match_indicator("养老机构护理型床位占比", "%", ds.meta)
    assert candidates[0] == "nursing_bed_share"
    assert ind == "nursing_bed_share"
    assert score >= pe.MATCH_THRESHOLD
    ind, score, _candidates = pe.match_indicator("农村最低生活保障标准占城市最低生活保障标准的比例", "%", ds.meta)
    assert ind == "rural_urban_dibao_ratio"  # 最低生活保障 = 低保
    ind, score, _ = pe.match_indicator("星际旅行补贴发放率", "%", ds.meta)
    assert ind == ""


def test_header_detection():
    assert is_header(["序号", "主要指标", "单位", "2020年", "2025年", "指标属性"])
    assert is_header(["序号", "指  标  名  称", "指标属性", "2020年规划目标", "2020年实现情况"])
    assert not is_header(["序号", "项目名称", "建设内容"])  # a project list has no year column
    assert not is_header(["到2025年，全区养老床位达到12000张", "x", "y"])


# --------------------------------------------------------------------------------------------- .docx


def _docx_from_table(table) -> bytes:
    doc = Document()
    doc.add_paragraph("第一章 总体要求")
    doc.add_paragraph(table.title)
    grid = doc.add_table(rows=0, cols=len(table.header))
    for cells in [table.header, *table.rows]:
        row = grid.add_row().cells
        for cell, text in zip(row, cells, strict=False):
            cell.text = text
    doc.add_paragraph("到2035年，……")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_table_gives_the_same_rows_as_the_text(ds):
    table = tables_from_text(_seed(ds, "wulong").decode("utf-8"))[0]
    from_docx = pe.extract(_docx_from_table(table), "wulong.docx", ds.meta)
    from_text = pe.review_rows([table], ds.meta)
    cols = ["indicator", "year", "value", "comparator", "binding", "unit", "locator"]
    assert len(from_docx) == len(from_text) == 26  # 16 targets + 10 published 2020 figures
    assert from_docx[cols].fillna(-1).equals(from_text[cols].fillna(-1))


def test_bad_files(tmp_path):
    with pytest.raises(ShapanError, match="docx"):
        pe.read_tables(b"not a zip", "plan.docx")
    with pytest.raises(ShapanError, match=r"only \.docx and \.txt"):
        pe.read_tables(b"%PDF-1.4", "plan.pdf")
    with pytest.raises(ShapanError, match="too large"):
        pe.read_tables(b"x" * (pe.MAX_BYTES + 1), "big.txt")
    gbk = "专栏1 指标\n序号\t主要指标\t单位\t2020年\t2025年\t指标属性\n1\t养老机构护理型床位占比\t%\t45\t≥60\t约束性\n"
    assert len(pe.read_tables(gbk.encode("gbk"), "plan.txt")[0].rows) == 1


def test_cli_extract_plan(ds, capsys, tmp_path):
    code = main(["extract-plan", str(SEEDS / ds.sources["banan_plan"]["file"]), "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(pe.REVIEW_COLUMNS) <= set(rows[0])
    nursing = [r for r in rows if r["indicator"] == "nursing_bed_share" and r["year"] == 2025]
    assert nursing[0]["value"] == 60
    assert nursing[0]["comparator"] == ">="
    assert nursing[0]["binding"] == "约束性"
    assert main(["extract-plan", str(tmp_path / "none.docx"), "--json"]) == 2
