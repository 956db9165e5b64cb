"""models/export.py: CSV/xlsx bytes, formula-injection neutralisation, file names, chart export."""

from __future__ import annotations

import io

import altair as alt
import openpyxl
import pandas as pd
import pytest

from models.export import (
    chart_spec,
    chart_to_png,
    chart_to_svg,
    export_file_name,
    neutralise_cell,
    neutralise_frame,
    to_csv_bytes,
    to_xlsx_bytes,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "指标": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "低保标准", "\tcmd"],
        "数值": [-3.5, -1.0, 0.0, 1.0, 620.0, float("nan")],
        "年份": [2020, 2021, 2022, 2023, 2024, 2025],
    })


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@a", "'@a"), ("\tx", "'\tx"), ("a=b", "a=b"),
     ("", ""), (-3, -3), (-2.5, -2.5), (None, None)],
)
def test_neutralise_cell(value, expected) -> None:
    assert neutralise_cell(value) == expected


def test_neutralise_frame_touches_only_text(frame: pd.DataFrame) -> None:
    out = neutralise_frame(frame)
    assert out["指标"].tolist()[:4] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)"]
    assert out["指标"].iloc[4] == "低保标准"
    assert out["数值"].tolist()[:2] == [-3.5, -1.0]
    assert pd.api.types.is_float_dtype(out["数值"])
    assert frame["指标"].iloc[0].startswith("=")  # input unchanged


def test_csv_has_bom_and_keeps_negative_numbers(frame: pd.DataFrame) -> None:
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back.columns.tolist() == ["指标", "数值", "年份"]
    assert back["数值"].iloc[0] == -3.5
    assert back["指标"].iloc[0].startswith("'=")


def test_xlsx_round_trip_no_formulas(frame: pd.DataFrame) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"床位/表[1]": frame, "second": frame.head(1)})))
    assert book.sheetnames == ["床位_表_1_", "second"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["指标", "数值", "年份"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert all(c.data_type == "s" for c in cells)
    assert cells[0].value.startswith("'=")
    assert sheet.cell(row=2, column=2).value == -3.5
    assert sheet.cell(row=2, column=2).data_type == "n"
    assert sheet.freeze_panes == "A2"


def test_xlsx_long_and_duplicate_sheet_names(frame: pd.DataFrame) -> None:
    long = "x" * 40
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({long: frame, long + "y": frame})))
    assert len(book.sheetnames) == 2
    assert all(len(n) <= 31 for n in book.sheetnames)


def test_xlsx_nullable_numbers() -> None:
    frame = pd.DataFrame({"beds": pd.array([1, None], dtype="Float64"), "name": ["a", None]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert sheet.cell(row=2, column=1).value == 1
    assert sheet.cell(row=3, column=1).value is None


def test_export_file_name() -> None:
    assert export_file_name("indicators_chengkou", "csv") == "indicators_chengkou.csv"
    assert export_file_name("床位 表/x", ".xlsx", "abcdef0123456789", "0123456789ab") == (
        "床位_表_x_sabcdef01_d0123456789ab.xlsx"
    )
    assert export_file_name("../..", "csv") == "export.csv"


def test_chart_export_sets_cjk_font_and_fixed_width() -> None:
    data = pd.DataFrame({"年份": [2020, 2025], "床位": [100, 180]})
    chart = alt.Chart(data, title="养老床位").mark_line().encode(x="年份:O", y="床位:Q").properties(
        width="container"
    )
    spec = chart_spec(chart)
    assert spec["config"]["font"] == "Noto Sans CJK SC"
    assert isinstance(spec["width"], int)
    png = chart_to_png(chart, scale=1)
    assert png.startswith(b"\x89PNG")
    svg = chart_to_svg(chart)
    assert svg.lstrip().startswith(b"<svg")
    assert "养老床位".encode() in svg or b"<path" in svg


def test_exports_round_counts_and_long_floats() -> None:
    frame = pd.DataFrame({"60岁及以上人口（人）": [55274.892, 60001.5], "Beds": [13127.787, 1.0],
                          "share %": [51.234567891234, 50.0], "ratio": [0.96341234, 0.5], "name": ["a", "b"]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert [c.value for c in sheet[2]] == [55275, 13128, 51.23, 0.9634, "a"]
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
    assert back.iloc[0].tolist() == [55275, 13128, 51.23, 0.9634, "a"]
