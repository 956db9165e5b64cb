"""Compare page, both plans side by side (issue 16 part 4): the made-up 2025 actuals for 武隆 entered on the
期末评估 page give, on 方案对比, the 14th plan's result next to the 15th plan's draft per indicator, in both
languages, with CSV/xlsx downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import assert_ok, upload_actuals
from streamlit.testing.v1 import AppTest

from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DISTRICT = "wulong"
ZH, EN = load_locale("zh"), load_locale("en")
ID_RE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CJK_RE = re.compile(r"[\u3400-\u9fff]")


def plans_table(at: AppTest, words: dict[str, str]) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if words["plans.target_15"] in d.value.columns)


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"district": DISTRICT})
    at.switch_page("pages/compare.py").run()
    assert_ok(at)
    assert ZH["plans.needs_actuals"] in [i.value for i in at.info]  # nothing entered yet
    at.switch_page("pages/retrospective.py").run()
    upload_actuals(at, DISTRICT)
    at.switch_page("pages/compare.py").run()
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]
    return at


def test_both_plans_per_indicator(app):
    table = plans_table(app, ZH).set_index(ZH["col.label"])
    ratio = table.loc["农村/城市低保标准比"]  # 627 / 760 = 82.5 % against ≥85 (武隆 专栏1 第2行)
    assert (ratio[ZH["plans.target_14"]], ratio[ZH["plans.actual"]], ratio[ZH["plans.result_14"]]) == (
        "≥85.0", "82.5", "未完成")
    assert ratio[ZH["evaluation.margin"]] == "-2.5"
    assert (ratio[ZH["plans.target_15"]], ratio[ZH["plans.step"]], ratio[ZH["plans.basis_15"]]) == (
        "≥85.0", "+0.0", "十四五目标顺延")
    assert re.fullmatch(r"\d+%", ratio[ZH["draft.probability"]])
    social = table.loc["社会工作专业人才数"]  # not modelled: evaluated, not drafted
    assert (social[ZH["plans.actual"]], social[ZH["evaluation.margin"]], social[ZH["plans.target_15"]]) == (
        "1,420", "-80", "—")
    urban = table.loc["城市低保标准"]  # drafted only (武隆 sets no 2025 standard target)
    assert urban[ZH["plans.result_14"]] == "—"
    assert urban[ZH["plans.target_15"]].startswith("≥")


def test_downloads_offered(app):
    """Two downloads (CSV and xlsx) for the table; their names (hashes, data version) are checked in the
    browser flow, tests/e2e/test_evaluation_flow.py (AppTest does not see a deferred file's name)."""
    ids = [b.proto.id for b in app.get("download_button") if b.proto.id.endswith(("dl_plans_table_csv",
                                                                                   "dl_plans_table_xlsx"))]
    assert len(ids) == 2


def test_english_labels(app):
    app.radio(key="lang").set_value("en").run()
    assert_ok(app)
    table = plans_table(app, EN)
    cells = [str(c) for c in table.columns] + [v for c in table.columns for v in table[c] if isinstance(v, str)]
    assert [c for c in cells if CJK_RE.search(c) or ID_RE.search(c)] == []
    ratio = table.set_index(EN["col.label"]).loc["Rural-to-urban dibao standard ratio"]
    assert (ratio[EN["plans.result_14"]], ratio[EN["plans.basis_15"]]) == ("Missed", "14th target carried forward")
    texts = [c.value for c in app.caption] + [s.value for s in app.subheader]
    assert EN["plans.heading"] in texts


def test_report_page_adds_the_evaluation_sections(app):
    from models.reporting import evaluation_section as es

    app.radio(key="lang").set_value("zh").run()
    app.switch_page("pages/report.py").run()
    assert_ok(app)
    box = app.checkbox(key="report_with_evaluation")
    assert box.value is True
    heads = [s.value for s in app.subheader]
    assert es.w("h_eval", "zh") in heads
    assert es.w("h_draft", "zh") in heads
    assert any("社会工作专业人才数：目标≥1,500，实际1,420，差距80人" in x.value for x in app.text)
    box.uncheck().run()
    assert_ok(app)
    assert es.w("h_eval", "zh") not in [s.value for s in app.subheader]
