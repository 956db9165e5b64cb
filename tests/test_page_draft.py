"""AppTest of the 十五五 section of the retrospective page: made-up 2025 actuals for 武隆 rebase the baseline
(the entered figures shown as 用户录入 with their document), the 2030 draft appears with status, P(met),
cost and reason, a planner's own target replaces the suggestion, and both downloads are offered."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import assert_ok, table_with, upload_actuals
from streamlit.testing.v1 import AppTest

from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ZH, EN = load_locale("zh"), load_locale("en")
DISTRICT = "wulong"



@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"district": DISTRICT})
    at.switch_page("pages/retrospective.py").run()
    assert_ok(at)
    assert ZH["draft.needs_base"] in [i.value for i in at.info]
    upload_actuals(at, DISTRICT)
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]
    return at


def test_base_figures_show_user_entry(app):
    bases = table_with(app, ZH["draft.kind"]).set_index(ZH["col.label"])
    rural = bases.loc["农村低保标准"]
    assert rural[ZH["col.value"]] == "627"  # whole yuan
    assert rural[ZH["draft.kind"]] == ZH["draft.kind_actual"]
    assert rural[ZH["col.source"]] == "用户录入（武隆区民政局2025年统计（虚构测试数据））"


def test_draft_table_and_downloads(app):
    table = table_with(app, ZH["draft.cost"]).set_index(ZH["col.label"])
    ratio = table.loc["农村/城市低保标准比"]
    assert ratio[ZH["draft.target"]] == "≥85.0"  # the missed 14th target, carried forward
    assert "顺延" in ratio[ZH["draft.reason"]]
    assert ratio[ZH["draft.reference"]] == "武隆区民政事业发展“十四五”规划 · 专栏1 第2行"
    assert 0 <= int(ratio[ZH["draft.probability"]].rstrip("%")) <= 100
    labels = {b.label for b in app.get("download_button")}
    assert {ZH["draft.download_xlsx"], ZH["draft.download_scenario"]} <= labels


def test_own_target_replaces_suggestion(app):
    name = f"retro_drafts_{DISTRICT}__0"
    own = {"indicator": "tekun_standard", "target": 1500.0, "comparator": ">="}
    app.session_state[name] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [own]}
    app.run()
    assert_ok(app)
    table = table_with(app, ZH["draft.cost"]).set_index(ZH["col.label"])
    row = table.loc[table.index.str.startswith("特困")].iloc[0]
    assert row[ZH["draft.target"]] == "≥1,500"
    assert row[ZH["draft.reason"]].startswith("用户设定")
    assert float(row[ZH["draft.cost"]].replace(",", "")) > 0


def test_draft_in_english(app):
    app.radio(key="lang").set_value("en").run()
    assert_ok(app)
    table = table_with(app, EN["draft.cost"])
    assert len(table) >= 5
