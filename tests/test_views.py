"""models.views: plan calendar, number formats, target marks, budget totals (hand-computed cases + properties)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import budget as bu
from models.data import load_dataset
from models.views import calendar as cal
from models.views import fmt, marks, totals


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


# --- calendar ---------------------------------------------------------------------------------------------


def test_calendar_years_of_the_plans():
    assert (cal.HISTORY_START, cal.BASE_YEAR) == (2015, 2020)
    assert cal.PLAN_YEARS == (2021, 2025) == (cal.PLAN_START_YEAR, cal.PLAN_END_YEAR)
    assert cal.NEXT_PLAN_YEARS == (2026, 2030)
    assert cal.NEXT_PLAN_END_YEAR == 2030
    assert cal.period(13) == (2016, 2020)
    assert cal.period(16) == (2031, 2035)
    assert cal.period_years(14) == [2021, 2022, 2023, 2024, 2025]
    assert cal.MODEL_YEARS == (2015, 2035)
    assert cal.REBASE_YEARS == (2021, 2030)


@pytest.mark.parametrize(("year", "plan"), [(2015, None), (2016, 13), (2020, 13), (2021, 14), (2025, 14),
                                            (2026, 15), (2030, 15), (2031, None)])
def test_plan_of(year, plan):
    assert cal.plan_of(year) == plan


@given(st.integers(13, 15))
def test_periods_agree_with_period(plan):
    assert cal.PERIODS[plan] == cal.period(plan)
    assert all(cal.plan_of(y) == plan for y in cal.period_years(plan))


def test_models_read_the_one_calendar():
    from models import backtest, beds_stage, draft, evaluation, rebase, report, resolve, scenario
    from models.reporting import findings

    assert beds_stage.PLAN_END_YEAR == evaluation.PLAN_END_YEAR == cal.PLAN_END_YEAR
    assert report.PLAN_YEARS is findings.PLAN_YEARS is cal.PLAN_YEARS
    assert (draft.DRAFT_YEAR, draft.PERIOD) == (cal.NEXT_PLAN_END_YEAR, cal.NEXT_PLAN_YEARS)
    assert resolve.BASE_YEAR == cal.BASE_YEAR
    assert rebase.BASE_YEARS == cal.REBASE_YEARS
    assert scenario.YEARS == backtest.YEARS == cal.MODEL_YEARS


# --- formats ----------------------------------------------------------------------------------------------

UNITS = pd.DataFrame({"unit": ["元/人·月", "万元", "张", "%", "人", "倍", "元"],
                      "dimension": ["money_rate", "money", "count", "share", "count", "ratio", "money"]})


@pytest.mark.parametrize(("value", "unit", "zh", "en"), [
    (620, "元/人·月", "620元/人·月", "620 yuan/person/month"),
    (29341.04, "万元", "29,341.0万元", "29,341.0 10k yuan"),
    (12000.4, "张", "12,000张", "12,000 beds"),
    (51.25, "%", "51.2%", "51.2%"),  # 51.25 is 51.249999… in binary: rounds down, as Python prints it
    (55274.6, "人", "55,275人", "55,275 persons"),
    (1.456, "倍", "1.46倍", "1.46×"),
    (1234.5, "元", "1,234元", "1,234 yuan"),  # round half to even
    (-0.04, "%", "0.0%", "0.0%"),  # never "-0.0"
    (None, "张", "—", "—"),
    (math.nan, "万元", "—", "—"),
])
def test_quantity_in_plan_units(value, unit, zh, en):
    assert fmt.quantity(value, unit, "zh", UNITS) == zh
    assert fmt.quantity(value, unit, "en", UNITS) == en


def test_page_formatters():
    assert fmt.number(1234.567, 1) == "1,234.6"
    assert fmt.number(pd.NA) == "—"
    assert fmt.number(3.0, 1, signed=True) == "+3.0"
    assert fmt.number(-3.0, 1, signed=True) == "-3.0"
    assert fmt.trimmed(1500.0) == "1,500"
    assert fmt.trimmed(1.5) == "1.5"
    assert fmt.trimmed(0.254) == "0.25"
    assert fmt.trimmed(120, 0) == "120"
    assert fmt.significant(12000.0) == "12,000"
    assert fmt.significant(0.1234567) == "0.123457"
    assert fmt.with_unit(2.50, "%") == "2.5 %"
    assert fmt.with_unit(None, "%") == "—"
    assert [fmt.percent(p) for p in (0.001, 0.35, 0.996, 1.0, None)] == ["<1%", "35%", ">99%", "100%", "—"]


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 3))
def test_number_round_trips(value, places):
    text = fmt.number(value, places)
    assert float(text.replace(",", "")) == pytest.approx(round(value, places), abs=10 ** -places)
    assert not text.startswith("-0") or float(text.replace(",", "")) != 0
    assert text.rstrip("0").rstrip(".").replace(",", "").lstrip("-").replace(".", "").isdigit() or text == "0"
    assert fmt.trimmed(value, places).replace(",", "") in (text.replace(",", ""),
                                                          text.replace(",", "").rstrip("0").rstrip("."))


# --- totals -----------------------------------------------------------------------------------------------

COSTS = pd.DataFrame({"programme": ["dibao_urban", "tekun", bu.TOTAL], "cost_wan_yuan": [100.0, 50.0, 150.0]})
YEARLY = pd.DataFrame({"year": [2021, 2021, 2022, 2022], "programme": ["tekun", bu.TOTAL, "tekun", bu.TOTAL],
                       "incremental_wan_yuan": [1.0, 1.0, 2.0, 2.0]})


def test_totals():
    assert totals.total_value(COSTS) == 150.0
    assert totals.programmes(COSTS) == ["dibao_urban", "tekun"]
    assert list(totals.programme_rows(COSTS)["programme"]) == ["dibao_urban", "tekun"]
    assert math.isnan(totals.total_value(COSTS.iloc[:2]))
    assert totals.total_value(COSTS.iloc[:0], default=0.0) == 0.0
    assert totals.total_by_year(YEARLY, "incremental_wan_yuan").to_dict() == {2021: 1.0, 2022: 2.0}
    with pytest.raises(ValueError, match="total_by_year"):
        totals.total_value(YEARLY, "incremental_wan_yuan")


def test_totals_match_budget_totals(ds):
    from models import engine, presets
    from models.resolve import resolve

    run = engine.run(resolve(presets.load_preset("wulong", "baseline", ds), ds), ds)
    tot = bu.totals(run.budget, *cal.PLAN_YEARS)
    by_hand = run.budget[(run.budget["year"] >= 2021) & (run.budget["year"] <= 2025)]["cost_wan_yuan"].sum()
    assert totals.total_value(tot) == pytest.approx(by_hand)
    assert set(totals.programmes(run.budget)) == set(run.budget["programme"])  # the run's frame has no total row


# --- marks ------------------------------------------------------------------------------------------------

TARGETS = pd.DataFrame({
    "indicator": ["elderly_beds", "elderly_beds", "nursing_bed_share", "dibao_urban_standard"],
    "year": [2025, 2025, 2025, 2025], "target": [12000.0, math.nan, 55.0, 700.0],
    "comparator": [">=", "sync", ">=", "sync"], "source": ["banan_plan", "banan_plan", "x", "banan_plan"],
    "locator": ["专栏2", "", "表1", ""],
})
SOURCES = {"banan_plan": {"title": "巴南区规划"}}


def test_target_marks_by_hand():
    rows = marks.target_rows(TARGETS, ["elderly_beds", "nursing_bed_share", "dibao_urban_standard"])
    out = marks.marks(rows, SOURCES, {"elderly_beds": "养老床位", "nursing_bed_share": "护理型床位占比"})
    assert out.to_dict("records") == [
        {"year": 2025, "value": 12000.0, "label": "养老床位 ≥12000", "source": "巴南区规划 专栏2"},
        {"year": 2025, "value": 55.0, "label": "护理型床位占比 ≥55", "source": "x 表1"},  # unknown source: its id
    ]
    bare = marks.marks(rows, SOURCES, with_locator=False)
    assert list(bare["label"]) == ["≥12000", "≥55"]
    assert list(bare["source"]) == ["巴南区规划", "x"]
    own = marks.marks(rows, SOURCES, lambda r: f"{r.indicator}:{r.kind}")
    assert list(own["label"]) == ["elderly_beds:target", "nursing_bed_share:target"]


def test_reference_marks_keep_base_year_and_targets(ds):
    ind = ds.indicators_for("wulong")
    rows = marks.reference_rows(ind, ["dibao_urban_standard"], 2020)
    assert set(rows["kind"]) <= {"baseline", "target"}
    assert (rows["year"] >= 2020).all()
    assert (rows.loc[rows["kind"] == "baseline", "comparator"] == "").all()
    base = rows[rows["kind"] == "baseline"]
    published = ind[(ind["indicator"] == "dibao_urban_standard") & (ind["kind"] == "baseline") & (ind["year"] == 2020)]
    assert list(base["value"]) == list(published["value"].drop_duplicates())
    out = marks.marks(rows, ds.sources)
    assert list(out.columns) == marks.MARK_COLUMNS
    assert len(out) == len(rows)


def test_no_plan_year_is_written_as_a_number_outside_the_calendar():
    """Plan years (2015, 2020, 2025, 2030, 2035 ...) come from models.views.calendar; only input-validation
    bounds (``*_RANGE = (first, last)``) are written as numbers. Comments and docstrings may name years."""
    import re
    import tokenize
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [*sorted((root / "models").rglob("*.py")), *sorted((root / "pages").glob("*.py")), root / "app.py"]
    found = []
    for path in files:
        if path == root / "models" / "views" / "calendar.py":
            continue
        with path.open("rb") as fh:
            for tok in tokenize.tokenize(fh.readline):
                if (tok.type == tokenize.NUMBER and re.fullmatch(r"20[1-4]\d", tok.string)
                        and not re.match(r"\s*[A-Z_]+_RANGE\s*=", tok.line)):
                    found.append(f"{path.relative_to(root)}:{tok.start[0]}: {tok.line.strip()}")
    assert found == []
