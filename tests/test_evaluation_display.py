"""Tests for models.evaluation_display and models.evaluation_words: numbers rounded to the plan's unit (whole
people and beds), comparators and units in the reader's language, provenance strings with labels instead
of ids; hand-written cases and a hypothesis property."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import evaluation_display as ed
from models import evaluation_words as ew
from models.data import dataset

ID_RE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CJK_RE = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def ds():
    return dataset()


@pytest.mark.parametrize(("value", "unit", "text"), [
    (1420.0, "人", "1,420"), (1419.6, "人", "1,420"), (4200.4, "张", "4,200"), (62.54, "%", "62.5"),
    (760.4, "元/人·月", "760"), (380.04, "万元", "380.0"), (1.3, "倍", "1.30"), (36.4538, "张/千名老人", "36.5"),
    (math.nan, "人", "—"), (-0.04, "%", "0.0"),
])
def test_number_rounds_to_the_unit(ds, value, unit, text):
    assert ed.number(value, unit, ds) == text


def test_signed_margin_and_targets(ds):
    assert ed.number(-80.0, "人", ds, signed=True) == "-80"
    assert ed.number(2.5, "%", ds, signed=True) == "+2.5"
    assert ed.target_text(">=", 1500.0, "人", "en", ds) == "≥1,500"
    assert ed.target_text("<=", 30.0, "%", "zh", ds) == "≤30.0"
    assert ed.target_text("sync", math.nan, "%", "zh", ds) == "同步"
    assert ed.target_text(">=", math.nan, "%", "en", ds) == "text target"
    assert ed.target_text("", math.nan, "%", "en", ds) == "—"


def test_units_in_english_from_units_csv(ds):
    assert ed.unit_text("人", "en", ds) == "persons"
    assert ed.unit_text("元/人·月", "en", ds) == "yuan per person-month"
    assert ed.unit_text("%", "en", ds) == "%"
    assert ed.unit_text("人", "zh", ds) == "人"


@pytest.mark.parametrize(("source", "zh", "en"), [
    ("derived: rural ÷ urban 低保 standard", "推算：农村低保标准 ÷ 城市低保标准 × 100",
     "derived: Rural dibao standard ÷ Urban dibao (minimum living allowance) standard × 100"),
    ("derived: 100 − gov_operated_bed_share", "推算：100 − 政府运营床位占比",
     "derived: 100 − Share of government-operated beds"),
    ("用户录入（区统计局年报）", "用户录入（区统计局年报）", "entered by the user (区统计局年报)"),
    ("projected from 2020 (scenario 'baseline')", "按2020年信息预测", "projected from 2020 information"),
    ("not published", "未公布", "not published"),
    ("derived: something new", "推算值", "derived value"),
])
def test_source_text(ds, source, zh, en):
    assert ew.source_text(source, ds, "zh") == zh
    assert ew.source_text(source, ds, "en") == en


def test_derived_with_projection_note_and_tekun_rule(ds):
    text = ew.source_text("derived: rural_urban_dibao_ratio × urban 低保 (projected from 2020)", ds, "en")
    assert text == ("derived: Rural-to-urban dibao standard ratio × Urban dibao (minimum living allowance) "
                    "standard (projected from 2020)")
    text = ew.source_text("derived: 特困 = 1.3 × urban 低保 (benefits.tekun_multiplier)", ds, "en")
    assert not CJK_RE.search(text)
    assert "1.3 ×" in text
    assert "tekun_multiplier" not in text


def test_series_without_meta_get_a_label(ds):
    assert ew.label(ds, "orphan_standard", "en") == "Orphan allowance standard"
    assert ew.label(ds, "elderly_beds", "zh") == ds.label("elderly_beds", "zh")


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False), st.sampled_from(["人", "张", "户", "名"]))
def test_counts_are_always_whole(value, unit):
    ds = dataset()
    text = ed.number(value, unit, ds)
    assert re.fullmatch(r"[\d,]+", text)
    assert abs(float(text.replace(",", "")) - value) <= 0.5


def test_backtest_rows_text_and_numbers(ds):
    bt = pd.DataFrame([{"indicator": "social_workers", "year": 2025, "comparator": ">=", "target": 1500.0,
                        "actual": 1420.0, "met": False, "shortfall": 80.0, "unit": "人", "binding": "预期性",
                        "locator": "专栏1 第7行", "actual_source": "用户录入（年报）"}])
    en = ed.backtest_rows(bt, ds, "en").iloc[0]
    assert (en["target"], en["actual"], en["result"], en["shortfall"], en["unit"], en["binding"]) == (
        "≥1,500", "1,420", "Missed", "80", "persons", "expected")
    assert en["actual_source"] == "entered by the user (年报)"
    numbers = ed.backtest_rows(bt, ds, "zh", text=False).iloc[0]
    assert (numbers["actual"], numbers["shortfall"], numbers["result"]) == (1420.0, 80.0, "未达成")
    for cell in ed.backtest_rows(bt, ds, "en").iloc[0]:
        assert not ID_RE.search(str(cell))
