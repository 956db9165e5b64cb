"""The per-district 5-year age table: parser (labels, headers, encodings, xlsx, errors naming row and
column, budgets), the single-year shape (hand-computed cases and hypothesis properties)."""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import xlsx_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from models import age_table as at
from models import limits
from models.errors import ShapanError

CN_TABLE = """年龄组,人数
0-4岁,5000
40-44岁,1000
45-49岁,1200
50-54岁,1300
55-59岁,1250
60-64岁,1100
65-69岁,900
70-74岁,700
75-79岁,500
80-84岁,300
85岁及以上,150
总计,14400
"""
NATIONAL = np.linspace(2.0, 0.1, 56)
NATIONAL = NATIONAL / NATIONAL.sum()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_chinese_table_in_every_encoding(encoding: str) -> None:
    table = at.parse(CN_TABLE.encode(encoding), "年龄表.csv")
    assert table.groups[0] == (45, 1200.0)  # below 45 and the total row are left out
    assert table.open_start == 85
    assert table.total(60) == 1100 + 900 + 700 + 500 + 300 + 150
    assert table.share_65_of_60_pct == pytest.approx(2550 / 3650 * 100)


def test_headerless_english_labels_any_order_and_100plus() -> None:
    text = "60-64,5\n45-49,1\n50-54,\"2,000\"\n55-59,3\n65-69,4\n70-74,1\n75-79,1\n80-84,1\n85-89,1\n90-94,1\n" \
           "95-99,1\n100 and over,1\n"
    table = at.parse(text.encode(), "t.csv")
    assert table.labels()["50-54"] == 2000
    assert list(table.labels())[-1] == "100+"
    assert table.total(45) == 2020


def test_xlsx_with_sex_columns_sums_them() -> None:
    rows = [["年龄", "男", "女"], ["45-49", 10, 11], ["50-54", 10, 10], ["55-59", 9, 9], ["60-64", 8, 8],
            ["65-69", 7, 7], ["70-74", 6, 6], ["75-79", 5, 5], ["80岁以上", 4, 6]]
    table = at.parse(xlsx_bytes(rows), "t.xlsx")
    assert table.groups[0] == (45, 21.0)
    assert table.groups[-1] == (80, 10.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("年龄组,人数\n45-49,1\n60-64,abc\n", "row 3 column '人数': invalid value 'abc'"),
        ("年龄组,人数\n45-49,1\n50-54,-3\n", "row 3 column '人数'"),
        ("年龄组,人数\n45-49,1\n50-55,2\n", "row 3 column '年龄组': invalid value '50-55'"),
        ("年龄组,人数\n45-49,1\n老人,2\n", "row 3 column '年龄组': invalid value '老人'"),
        ("年龄组,人数\n45-49,1\n45-49,2\n", "duplicate of row 2"),
        ("年龄组,人数\n45-49,1\n60-64,1\n65-69,1\n70+,1\n", "80, 85, 90, 95 or 100"),
        ("年龄组,人数\n45-49,1\n50-54,1\n55-59,1\n60-64,1\n65-69,1\n", "no open age group"),
        ("年龄组,人数\n45-49,1\n60-64,1\n65-69,1\n70-74,1\n75-79,1\n80+,1\n", "50-54, 55-59"),
        ("年龄组,人数\n45-49,1\n50-54,1\n55-59,1\n60-64,1\n65-69,1\n70-74,1\n75-79,1\n80+,1\n85-89,1\n",
         "row 10 column 'age'"),
        ("年龄组\n45-49\n", "missing"),
    ],
)
def test_errors_name_row_and_column(text: str, message: str) -> None:
    with pytest.raises(ShapanError) as err:
        at.parse(text.encode(), "bad.csv")
    assert message in err.value.message("en")
    assert "bad.csv" in err.value.message("zh")


def test_budgets_apply_before_parsing() -> None:
    with limits.override(actuals_rows=5), pytest.raises(ShapanError) as err:
        at.parse(CN_TABLE.encode(), "big.csv")
    assert "big.csv" in err.value.message("en")
    with limits.override(actuals_bytes=10), pytest.raises(ShapanError):
        at.parse(CN_TABLE.encode(), "big.csv")


def test_labels_round_trip() -> None:
    table = at.parse(CN_TABLE.encode(), "t.csv")
    assert at.from_labels(table.labels()) == table
    with pytest.raises(ShapanError):
        at.from_labels({})


def test_shape_hand_computed() -> None:
    """Two closed groups and an open one, flat national shape: closed groups split geometrically with the
    one-sided ratio, the open group 55+ spread evenly (flat national tail)."""
    table = at.AgeTable(groups=((45, 100.0), (50, 200.0), *((s, 0.0) for s in ()), (55, 300.0)))
    flat = np.full(56, 1 / 56)
    got = at.shape(table, flat) * 600
    r45 = (200 / 100) ** (1 / 5)  # 45-49: upper neighbour only
    w = r45 ** np.arange(5)
    assert got[:5] == pytest.approx(100 * w / w.sum())
    r50 = (200 / 100) ** (1 / 5)  # 50-54: lower neighbour only (55+ is open)
    w = r50 ** np.arange(5)
    assert got[5:10] == pytest.approx(200 * w / w.sum())
    assert got[10:] == pytest.approx(np.full(46, 300 / 46))


@st.composite
def tables(draw) -> at.AgeTable:
    open_start = draw(st.sampled_from(at.OPEN_STARTS))
    starts = list(range(45, open_start + 1, 5))
    counts = draw(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=len(starts), max_size=len(starts)))
    counts[starts.index(60)] = max(counts[starts.index(60)], 1.0)
    counts[starts.index(65)] = max(counts[starts.index(65)], 1.0)
    return at.AgeTable(groups=tuple(zip(starts, counts, strict=True)))


@settings(max_examples=60, deadline=None)
@given(tables())
def test_shape_properties(table: at.AgeTable) -> None:
    """The shape sums to 1, is never negative, and every group's share — so 60+ and 65+ — is the table's."""
    shape = at.shape(table, NATIONAL)
    assert shape.sum() == pytest.approx(1.0)
    assert np.all(shape >= 0)
    ages = np.arange(45, 101)
    total = table.total(45)
    assert shape[ages >= 60].sum() == pytest.approx(table.total(60) / total, abs=1e-12)
    assert shape[ages >= 65].sum() == pytest.approx(table.total(65) / total, abs=1e-12)
    for start, count in table.groups:
        hi = 101 if start == table.open_start else start + 5
        assert shape[(ages >= start) & (ages < hi)].sum() == pytest.approx(count / total, abs=1e-12)
    assert at.from_labels(table.labels()) == table
