"""AppTest of the 期末评估 section of the retrospective page: upload made-up 2025 actuals for 武隆 and see the
evaluation table (hand-computed margins), its counts, the report text and the downloads; English too."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import assert_ok, table_with, upload_actuals
from streamlit.testing.v1 import AppTest

from models import evaluation as ev
from models import labels
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ZH, EN = load_locale("zh"), load_locale("en")
DISTRICT = "wulong"



@pytest.fixture(scope="module")
def uploaded() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"district": DISTRICT})
    at.switch_page("pages/retrospective.py").run()
    assert_ok(at)
    assert ZH["evaluation.enter_first"] in [i.value for i in at.info]
    upload_actuals(at, DISTRICT)
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]
    return at


def test_evaluation_table_rows_and_margins(uploaded):
    table = table_with(uploaded, ZH["evaluation.margin"])
    from models.data import dataset

    assert len(table) == len(ev.plan_targets(dataset(), DISTRICT))
    by_label = table.set_index(ZH["col.label"])
    social = by_label.loc["社会工作专业人才数"]
    assert social[ZH["evaluation.result"]] == labels.label("result", "missed", "zh")
    assert social[ZH["evaluation.margin"]] == "-80"  # whole people
    assert social[ZH["retrospective.target"]] == "≥1,500"
    assert social[ZH["col.unit"]] == "人"
    nursing = by_label.loc["护理型床位占比"]
    assert nursing[ZH["evaluation.result"]] == labels.label("result", "achieved", "zh")
    assert nursing[ZH["evaluation.margin"]] == "+2.5"
    assert nursing[ZH["evaluation.forecast_2020"]] != "—"  # the 2020 forecast sits next to the outcome


def test_evaluation_counts_report_and_downloads(uploaded):
    metrics = {m.label: int(m.value) for m in uploaded.metric}
    assert metrics[labels.label("result", "achieved", "zh")] == 3
    assert metrics[labels.label("result", "missed", "zh")] == 3
    assert metrics[labels.label("result", "needs_judgement", "zh")] == 1
    text = "\n".join(x.value for x in uploaded.text)
    assert "总体评价：规划目标部分完成" in text
    assert "社会工作专业人才数：目标≥1,500，实际1,420，差距80人" in text  # whole people
    assert "【待填写】" in text
    buttons = {b.label for b in uploaded.get("download_button")}
    assert ZH["evaluation.download_text"] in buttons


def test_evaluation_in_english(uploaded):
    uploaded.radio(key="lang").set_value("en").run()
    assert_ok(uploaded)
    table = table_with(uploaded, EN["evaluation.margin"])
    assert labels.label("result", "missed", "en") in set(table[EN["evaluation.result"]])
    assert any("Overall: the plan's targets were partly achieved" in x.value for x in uploaded.text)
