"""Tests for models.draft (十五五 drafting) and ``shapan draft``: suggestions with reasons, evaluation of each
draft target on the rebased baseline, costs against the baseline computed by hand, the saved scenario and
the 专栏 export. Actuals are made up (tests/fixtures/actuals_*.csv)."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from models import backtest, cli, draft, presets, rebase
from models import targets as tg
from models.data import dataset
from models.errors import ShapanError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def ds():
    return dataset()


def rebased_for(ds, district: str, name: str) -> rebase.Rebased:
    actuals = backtest.read_actuals((FIXTURES / name).read_bytes(), name, ds, district)
    return rebase.rebase(draft.default_scenario(ds, district), ds, actuals, 2025)


@pytest.fixture(scope="module")
def wulong(ds):
    return rebased_for(ds, "wulong", "actuals_wulong_2025.csv")


@pytest.fixture(scope="module")
def chengkou(ds):
    return rebased_for(ds, "chengkou", "actuals_chengkou_utf8.csv")


@pytest.fixture(scope="module")
def wulong_table(ds, wulong):
    return draft.draft(ds, "wulong", wulong, {"tekun_standard": (1500.0, ">=")}, n=300).set_index("indicator")


def test_missed_14th_target_is_carried_forward(ds, wulong_table):
    row = wulong_table.loc["rural_urban_dibao_ratio"]  # 2025 actual 82.5 < 85 (武隆 专栏1)
    assert (row["basis"], row["target"], row["comparator"]) == ("carried", 85.0, ">=")
    assert (row["reason_source"], row["reason_locator"]) == ("wulong_plan", "专栏1 第2行")  # the cited target
    assert row["reason_zh"].startswith("十四五目标≥85未实现（2025年82.5），顺延")
    assert row["reason_en"].startswith("14th-plan target ≥85 missed (2025: 82.5): carried forward")


def test_trend_suggestion_is_met_with_80_percent(ds, wulong, wulong_table):
    row = wulong_table.loc["dibao_urban_standard"]
    assert row["basis"] == "trend"
    draws = rebase.draws(wulong, ds, 300)
    p20 = np.percentile(draws["dibao_urban_standard"][:, list(draws["year"]).index(2030)], 20)
    assert row["target"] == math.floor(p20 / 10) * 10  # tens of 元, rounded down for a ≥ target
    assert row["probability"] >= 0.8
    assert row["status"] == "on_track"


def test_norm_when_the_trend_falls_short(ds, chengkou):
    """Nursing share: a base of 50 % (made up) stays flat; the national ≥55 % norm is suggested."""
    actuals = rebase.actuals_of(chengkou.resolved.scenario)
    actuals.loc[actuals["indicator"] == "nursing_bed_share", "value"] = 50.0
    low = rebase.rebase(draft.default_scenario(ds, "chengkou"), ds, actuals, 2025)
    row = draft.draft(ds, "chengkou", low, n=100).set_index("indicator").loc["nursing_bed_share"]
    assert (row["basis"], row["target"]) == ("norm", 55.0)
    assert row["reason_source"] == "state_council_14th_fyp_elderly_2022"
    assert row["reason_en"].startswith("national norm: ≥55% by 2025 (China; trend")
    assert row["reason_zh"].startswith("全国/省级标准：全国2025年≥55%（趋势值")
    assert row["status"] == "off_track"
    assert math.isnan(row["cost_2026_2030"])  # beds: no capital cost in the budget model
    assert "no capital cost" in row["reason"]


def test_planner_target_status_probability_required_growth(ds, wulong, wulong_table):
    row = wulong_table.loc["tekun_standard"]
    assert (row["basis"], row["target"]) == ("user", 1500.0)
    assert row["required_growth"] == pytest.approx(((1500 / row["base_value"]) ** (1 / 5) - 1) * 100)
    draws = rebase.draws(wulong, ds, 300)
    p = np.mean(draws["tekun_standard"][:, list(draws["year"]).index(2030)] >= 1500 - 1e-9)
    assert row["probability"] == pytest.approx(p)
    assert row["status"] == tg.status_of(row["base_value"], row["projected"], 1500.0, ">=", p)


def test_cost_against_baseline_by_hand(ds, wulong, wulong_table):
    """tekun to 1500 by 2030: growth g = (1500/base)^(1/5) − 1; Σ2026–30 caseload × (path − baseline) × ratio × 12
    / 10,000, with the baseline's caseload and payment ratio."""
    inp = wulong.result.budget_inputs["tekun"]
    base = wulong.result.series["tekun_standard"]
    g = (1500 / base[2025]) ** (1 / 5) - 1
    growth = wulong.resolved["budget.recipients_growth_pct"] / 100
    expected = sum(
        inp["recipients"] * (1 + growth) ** (y - 2025) * max(base[2025] * (1 + g) ** (y - 2025) - base[y], 0)
        * inp["payment_ratio"] * inp["per_year"] / 10_000
        for y in range(2026, 2031)
    )
    assert inp["per_year"] == 12
    assert wulong_table.loc["tekun_standard", "cost_2026_2030"] == pytest.approx(expected, rel=1e-9)
    assert expected > 0


def test_cost_is_what_the_plan_path_adds_to_the_budget(ds, wulong):
    """The closed form equals the budget model run on the plan path (tekun lever alone, fixed growth)."""
    table = draft.draft(ds, "wulong", wulong, {"tekun_standard": (1500.0, ">=")}, n=50)
    planned = draft.draft_scenario(ds, wulong, table)
    cost = planned.result.budget
    base = wulong.result.budget
    window = (cost["year"] >= 2026) & (cost["year"] <= 2030) & (cost["programme"] == "tekun")
    window_b = (base["year"] >= 2026) & (base["year"] <= 2030) & (base["programme"] == "tekun")
    added = cost.loc[window, "cost_wan_yuan"].sum() - base.loc[window_b, "cost_wan_yuan"].sum()
    row = table.set_index("indicator").loc["tekun_standard"]
    assert planned.result.series["tekun_standard"][2030] == pytest.approx(1500.0)
    assert added == pytest.approx(row["cost_2026_2030"], rel=1e-9)


def test_uncosted_programme_says_so(wulong_table):
    row = wulong_table.loc["dibao_rural_standard"]  # 武隆 publishes no 13th-FYP 低保 spending
    assert math.isnan(row["cost_2026_2030"])
    assert "not costed" in row["reason"]


def test_decided_by(wulong_table):
    assert wulong_table.loc["dibao_urban_standard", "decided_by"].startswith("市（重庆市）")
    assert wulong_table.loc["nursing_bed_share", "decided_by"].startswith("区县")
    assert wulong_table.loc["dibao_urban_standard", "decided_by_en"].startswith("municipality")


ID_LIKE = re.compile(r"[a-z]+_[a-z0-9_]+|\.csv|\.toml")
CJK = re.compile(r"[\u3400-\u9fff]")


def test_reasons_name_no_ids_and_each_language_is_pure(wulong_table):
    """The reason and who-decides texts a page or report prints: no ids or file names, English without
    Chinese characters (the cited document is ``reason_source`` + ``reason_locator``, printed apart)."""
    for column in ("reason_zh", "reason_en", "decided_by_zh", "decided_by_en"):
        for text in wulong_table[column]:
            assert not ID_LIKE.search(text), (column, text)
    for column in ("reason_en", "decided_by_en"):
        for text in wulong_table[column]:
            assert not CJK.search(text), (column, text)


def test_draft_scenario_reaches_the_targets_and_round_trips(ds, wulong, wulong_table):
    table = wulong_table.reset_index()
    planned = draft.draft_scenario(ds, wulong, table)
    assert planned.result.series["tekun_standard"][2030] == pytest.approx(1500.0)
    text = __import__("models.scenario", fromlist=["dumps"]).dumps(planned.resolved.scenario)
    back = presets.load_text(text, ds, file="draft.toml")
    again = rebase.rebase(back, ds, rebase.actuals_of(back), back.base_year)
    assert again.result.series["tekun_standard"][2030] == pytest.approx(1500.0)
    assert again.resolved.hash == planned.resolved.hash


def test_indicator_table_zhuanlan_columns(ds, wulong_table):
    table = draft.indicator_table(ds, wulong_table.reset_index())
    assert list(table.columns) == ["序号", "指标", "2025年基期", "2030年目标", "属性"]
    row = table[table["指标"].str.startswith("护理型床位占比")].iloc[0]
    assert (row["2025年基期"], row["属性"]) == (62.5, "约束性")
    assert table[table["指标"].str.startswith("特困")]["2030年目标"].iloc[0] == "≥1500"


def test_read_targets_errors(ds):
    with pytest.raises(ShapanError, match="row 3"):
        draft.read_targets(b"indicator,target\ntekun_standard,1500\nnursing_bed_share,abc\n", "t.csv", ds)
    with pytest.raises(ShapanError, match="comparator"):
        draft.read_targets(b"indicator,target,comparator\ntekun_standard,1500,~\n", "t.csv", ds)


def test_cli_draft(capsys, tmp_path):
    targets = tmp_path / "t.csv"
    targets.write_text("indicator,target\ntekun_standard,1500\n", encoding="utf-8")
    out_xlsx, out_toml = tmp_path / "d.xlsx", tmp_path / "d.toml"
    code = cli.main(["draft", "--district", "wulong", "--actuals", str(FIXTURES / "actuals_wulong_2025.csv"),
                     "--targets", str(targets), "--mc", "100", "--out", str(out_xlsx), "--save", str(out_toml),
                     "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = json.loads(out, parse_constant=lambda token: pytest.fail(token))
    keys = {"indicator", "target", "comparator", "reason", "status", "probability", "decided_by", "cost_2026_2030"}
    assert all(set(r) >= keys for r in rows)
    assert next(r for r in rows if r["indicator"] == "tekun_standard")["cost_2026_2030"] > 0
    book = openpyxl.load_workbook(io.BytesIO(out_xlsx.read_bytes()))
    assert book.sheetnames == ["十五五主要指标", "测算与依据", "data", "provenance"]
    readable = list(book["测算与依据"].iter_rows(values_only=True))
    assert readable[0][:3] == ("指标", "目标", "基期值")  # labels for the reader; ids only on the data sheet
    assert "特困人员(基本生活/供养)标准" in [r[0] for r in readable]
    assert [c.value for c in book.worksheets[0][1]] == ["序号", "指标", "2025年基期", "2030年目标", "属性"]
    assert "[[actuals]]" in out_toml.read_text(encoding="utf-8")
    code = cli.main(["run", "--district", "wulong", "--scenario", str(out_toml), "--json"])
    doc = json.loads(capsys.readouterr()[0])
    assert code == 0
    assert doc["series"]["tekun_standard"]["2030"] == pytest.approx(1500.0)


def test_indicator_table_docx(ds, wulong_table):
    """The 专栏 table as Word: heading, the same cells as the xlsx sheet, hash and data version in the note,
    same bytes for the same inputs; English units and types in the English table."""
    from docx import Document

    from models import draft_docx

    table = wulong_table.reset_index()
    data = draft_docx.export_docx(ds, table, "wulong", "abcdef012345", "zh", "2026-03-15")
    assert data == draft_docx.export_docx(ds, table, "wulong", "abcdef012345", "zh", "2026-03-15")
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "专栏　“十五五”时期武隆区民政事业发展主要指标（草案）"
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["序号", "指标", "2025年基期", "2030年目标", "属性"]
    ratio = next(r for r in rows if r[1].startswith("农村/城市低保标准比"))
    assert ratio[2:] == ["82.5", "≥85", "预期性"]  # 627/760 = 82.5 %; the missed ≥85 % carried forward
    assert "abcdef012345" in doc.paragraphs[-1].text
    assert ds.version in doc.paragraphs[-1].text
    english = draft.indicator_table(ds, table, "en")
    assert not english.map(lambda v: bool(re.search(r"[\u3400-\u9fff]", str(v)))).to_numpy().any()


def test_cli_draft_out_docx(tmp_path):
    out = tmp_path / "wulong_15th.docx"
    code = cli.main(["draft", "--district", "wulong", "--actuals", str(FIXTURES / "actuals_wulong_2025.csv"),
                     "--mc", "100", "--out", str(out), "--json"])
    assert code in (0, None)
    from docx import Document

    assert Document(str(out)).tables[0].rows[0].cells[1].text == "指标"
