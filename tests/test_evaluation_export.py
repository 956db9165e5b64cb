"""The 期末评估 section as HTML and xlsx: escaped user text, every section present, sheets in order."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from models import backtest
from models import evaluation as ev
from models import evaluation_export as ex
from models import evaluation_report as er
from models.data import dataset

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "actuals_wulong_2025.csv"


@pytest.fixture(scope="module")
def frame():
    ds = dataset()
    actuals = backtest.read_actuals(FIXTURE.read_bytes(), FIXTURE.name, ds, "wulong")
    actuals.loc[actuals["indicator"] == "nursing_bed_share", "source"] = "<script>alert(1)</script>"  # achieved: shown
    return ev.evaluate_term(ds, "wulong", actuals, ev.plan_time_forecast(ds, "wulong", n=100, seed=2))


def test_html_escapes_and_has_every_section(frame):
    blocks = er.section(frame, dataset(), "zh")
    doc = ex.to_html(blocks, "武隆区十四五规划期末评估", "hash abc").decode("utf-8")
    assert "<script>" not in doc
    assert "&lt;script&gt;" in doc
    for heading in ("（一）总体评价", "（二）目标完成情况", "（三）未完成目标及原因分析", "（四）经验与启示"):
        assert heading in doc
    assert doc.count("【待填写】") >= 4


def test_xlsx_sheets(frame):
    blocks = er.section(frame, dataset(), "zh")
    book = openpyxl.load_workbook(io.BytesIO(ex.to_xlsx(blocks, frame, {"data_version": "x"})))
    assert book.sheetnames[0] == "评估报告"
    assert "评估明细" in book.sheetnames
    assert book.sheetnames[-1] == "provenance"
    text = [row[0] for row in book["评估报告"].iter_rows(min_row=2, values_only=True)]
    assert text[0] == "十四五规划期末评估"
    assert any(str(line).startswith("总体评价") for line in text)
    detail = pd.read_excel(io.BytesIO(ex.to_xlsx(blocks, frame, {})), sheet_name="评估明细")
    assert len(detail) == len(frame)
