"""models/views modules behind the thinned pages: compare, retrospective, targets, benefits, data tables.

Hand-built frames with known answers, plus the real data where the page's behaviour depends on it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from models import engine, plan_extract, presets
from models.data import load_dataset
from models.resolve import resolve
from models.views import benefits as bv
from models.views import compare as cv
from models.views import data_tables as dt
from models.views import fmt
from models.views import retrospective as rv
from models.views import targets as tv


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def wulong(ds):
    out = {}
    for name in ("plan", "freeze"):
        res = resolve(presets.load_preset("wulong", name, ds), ds)
        out[name] = (res, engine.run(res, ds))
    return out


def test_percent_helpers():
    assert fmt.fraction(80) == 0.8
    assert fmt.percent_number(0.8125) == "81.25"
    assert fmt.percent_number(0.5) == "50"
    assert fmt.percent_number(None) == "—"


# --- compare ----------------------------------------------------------------------------------------------


def _compared(ds, wulong):
    from models import target_modes

    return [cv.Compared(n, f"{n} · {res.hash}", res, run, target_modes.evaluate(run, ds))
            for n, (res, run) in wulong.items()]


def test_compare_tables(ds, wulong):
    cols = _compared(ds, wulong)
    rows = cv.indicator_rows(cols, ds, "zh", "预算合计", "万元")
    last = rows.iloc[-1]
    assert (last["label"], last["year"], last["unit"]) == ("预算合计", 2025, "万元")
    for c in cols:  # the budget row is the 2021–2025 total of each run, by hand
        budget = c.run.budget
        by_hand = budget[(budget["year"] >= 2021) & (budget["year"] <= 2025)]["cost_wan_yuan"].sum()
        assert last[c.header] == pytest.approx(by_hand)
    beds = rows[rows["label"] == ds.label("beds_per_1000_elderly", "zh")]
    assert list(beds["year"]) == [2025, cols[0].res.scenario.end_year]
    assert beds.iloc[0][cols[0].header] == cols[0].run.series["beds_per_1000_elderly"][2025]

    costs = cv.cost_frame(cols)
    first = costs[costs["series"] == "plan"]
    assert (first["incremental_wan_yuan"] == 0).all()  # the first scenario against itself
    second = costs[costs["series"] == "freeze"].set_index("year")
    plan_total = first.set_index("year")["cost_wan_yuan"]
    assert second["incremental_wan_yuan"].to_numpy() == pytest.approx(
        (second["cost_wan_yuan"] - plan_total.loc[second.index]).to_numpy())
    paths = cv.path_frame(cols, "elderly_beds")
    assert set(paths["series"]) == {"plan", "freeze"}
    assert len(paths) == sum(len(c.run.series["elderly_beds"]) for c in cols)


def test_compare_status_rows_filter_and_words(ds, wulong):
    cols = _compared(ds, wulong)
    every = cv.status_rows(cols, ds, "en", show_all=True)
    judged = cv.status_rows(cols, ds, "en", show_all=False)
    assert len(every) == len(cols[0].targets) >= len(judged) > 0
    words = {"Met", "On track", "At risk", "Off track", "Achieved", "Missed", "Needs input", "Quarantined",
             "Not modelled"}
    assert set(judged[cols[0].header]) <= words
    assert set(every["binding"]) <= {"binding", "expected", ""}


def test_compare_parameter_rows(ds, wulong):
    cols = _compared(ds, wulong)
    rows = cv.parameter_rows(cols, "zh", ds.assumptions, "是", "否")
    assert len(rows) > 0
    for row in rows.itertuples(index=False):  # every row shown differs
        assert row[2] != row[3]
    assert cv.value_text(True, "是", "否") == "是"
    assert cv.value_text(float("nan"), "是", "否") == "—"
    assert cv.value_text(12000.0, "是", "否") == "12,000"
    same = cv.parameter_rows(cols[:1] * 2, "zh", ds.assumptions, "是", "否")
    assert same.empty


def test_budget_total_nan_when_nothing_costed():
    class Run:
        budget = pd.DataFrame(columns=["year", "programme", "cost_wan_yuan"])

    assert math.isnan(cv.budget_total(Run()))


# --- retrospective ----------------------------------------------------------------------------------------


def test_with_drafts_adds_target_and_actual_rows(ds):
    drafts = pd.DataFrame({"indicator": ["nursing_bed_share"], "target": [60.0], "comparator": [">="]})
    actuals = pd.DataFrame({"indicator": ["elderly_beds"], "year": [2025], "value": [5000.0], "kind": ["actual"],
                            "source": ["公报"]})
    out = rv.with_drafts(ds, "wulong", actuals, drafts)
    added = out.indicators.iloc[len(ds.indicators):]
    assert len(added) == 2
    draft = added.iloc[0]
    assert (draft["kind"], int(draft["year"]), draft["value"], draft["source"]) == ("target", 2030, 60.0, "draft")
    assert added.iloc[1]["kind"] == "actual"
    assert list(out.indicators.dtypes) == list(ds.indicators.dtypes)
    assert len(ds.indicators) == len(out.indicators) - 2  # the dataset itself is unchanged


def test_draft_rows_evaluate_the_draft(ds, wulong):
    _res, run = wulong["plan"]
    projected = run.series["nursing_bed_share"][2030]
    drafts = pd.DataFrame({"indicator": ["nursing_bed_share", None], "target": [projected - 1, 5.0],
                           "comparator": [">=", ">="]})
    rows = rv.draft_rows(run, ds, "wulong", None, drafts, "en")
    assert len(rows) == 1  # the incomplete row is left out
    row = rows.iloc[0]
    assert row["projected"] == pytest.approx(projected)
    assert row["comparator"] == "≥"
    assert row["status"] in ("Met", "On track")  # the projection is above the drafted floor


def test_retrospective_small_helpers(ds):
    bt = pd.DataFrame({"met": [True, False, True]})
    assert rv.backtest_counts(bt) == (2, 1)
    assert rv.later_actuals(None) is None
    early = pd.DataFrame({"year": [2019, 2020]})
    assert rv.later_actuals(early) is None
    assert list(rv.later_actuals(pd.DataFrame({"year": [2020, 2023]}))["year"]) == [2023]
    assert "elderly_beds" in rv.target_indicators(ds, "banan")


# --- targets ----------------------------------------------------------------------------------------------

FRAME = pd.DataFrame({
    "indicator": ["a", "a", "b", "c", "d"], "year": [2025, 2025, 2025, 2025, 2020],
    "mode": ["modelled", "modelled", "modelled", "tracked", "modelled"],
    "quarantined": [False, False, True, False, False], "probability": [0.5, 0.5, 0.9, math.nan, 0.2],
})


def test_target_selections():
    moving = {"a": ["lever"], "b": ["lever"]}
    picked = tv.goal_seek_candidates(FRAME, 2020, lambda i, y: moving.get(i, []))
    assert list(picked["indicator"]) == ["a"]  # b quarantined, c tracked, d not after the base year
    assert list(tv.fan_rows(FRAME, 2020, ["a", "b", "d"])["indicator"]) == ["a", "b"]
    assert list(tv.probability_rows(FRAME)["indicator"]) == ["a", "a", "d"]


# --- benefits ---------------------------------------------------------------------------------------------


def test_benefit_views(wulong):
    _, run = wulong["plan"]
    paths = run.benefits
    head = bv.headline(paths)
    assert head["dibao_urban_standard"] == paths.set_index("year").loc[2025, "dibao_urban_standard"]
    assert list(head) == list(bv.HEADLINE)
    assert set(bv.shown_standards(paths)) <= set(bv.STANDARDS)
    frame = bv.series_frame(paths, "tekun_standard", "特困")
    assert list(frame.columns) == ["year", "value", "series"]
    assert set(frame["series"]) == {"特困"}
    flags = pd.DataFrame({"year": [2022, 2023, 2024], "flag": ["x", "y", "z"], "programme": ["dibao_rural"] * 3,
                          "severity": ["warning", "error", "warning"], "value": [1.0, 2.0, 3.0],
                          "threshold": [0.0] * 3, "message_zh": ["甲", "乙", "丙"], "message_en": ["a", "b", "c"]})
    assert bv.flag_counts(flags) == {"error": 1, "warning": 2}
    assert bv.flag_counts(flags.iloc[:0]) == {"error": 0, "warning": 0}
    rows = bv.flag_rows(flags, "en")
    assert list(rows.columns) == list(bv.FLAG_COLUMNS)
    assert set(rows["programme"]) == {"rural 低保"}
    assert list(rows["message"]) == ["a", "b", "c"]


# --- data tables ------------------------------------------------------------------------------------------


def test_data_tables(ds):
    rows = dt.indicator_rows(ds, "wulong", "en")
    assert len(rows) == len(ds.indicators_for("wulong"))
    assert set(rows["binding"].dropna()) - {""} <= {"binding", "expected"}
    targets = dt.filter_rows(rows, kinds=["target"])
    assert (targets["kind"] == "target").all()
    assert len(targets) == (ds.indicators_for("wulong")["kind"] == "target").sum()
    beds = dt.filter_rows(rows, query="ELDERLY_BEDS")
    assert len(beds) > 0
    assert beds["indicator"].str.contains("elderly_beds").all()
    assert dt.filter_rows(rows, years=[1999]).empty
    cited = dt.source_rows(ds, "wulong")
    every = dt.source_rows(ds, "wulong", show_all=True)
    assert len(cited) < len(every) == len(ds.sources)
    assert set(cited["id"]) == dt.cited_sources(ds, "wulong") & set(ds.sources)
    marker = dt.assumption_rows(ds, "zh", "假设")
    assert len(marker) == len(ds.assumptions)
    findings = [{"level": "error", "district": "wulong"}, {"level": "warning", "district": "banan"},
                {"level": "warning", "district": ""}]
    mine = dt.district_findings(findings, "wulong")
    assert len(mine) == 2
    assert dt.level_counts(mine) == {"error": 1, "warning": 1}
    assert len(dt.district_findings(findings, "wulong", show_all=True)) == 3
    assert list(dt.finding_rows(mine, "zh").columns) == dt.FINDING_COLUMNS


def test_plan_extract_matched():
    assert plan_extract.matched(pd.DataFrame({"use": [True, False, True]})) == 2
