"""AppTest: the 自建区县 page -- a district typed into the blank template runs end to end in the app.

Each test has its own ``SHAPAN_HOME`` (tmp_path): upload the from-scratch workbook, import it, find it in
the sidebar marked as user-supplied, and open every model page and the report on it. Also: a bad workbook
shows the error naming sheet, row and column; a plan's text fills the review grid.
"""

from __future__ import annotations

import pytest
from apptest_helpers import assert_ok, new_app
from streamlit.testing.v1 import AppTest
from workbook_helpers import DISTRICT, edit_cell, filled_blank

from models import workbook
from models.data import DEFAULT_DATA_DIR, load_dataset
from pages._ui import load_locale

ZH, EN = load_locale("zh"), load_locale("en")
PAGE = "pages/district_import.py"
MODEL_PAGES = ["overview", "population", "beds", "benefits", "budget", "targets", "compare", "report",
               "data_sources"]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SHAPAN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SHAPAN_SCENARIO_DIR", str(tmp_path / "scenarios"))
    return tmp_path / "home"


@pytest.fixture(scope="module")
def blank() -> bytes:
    return workbook.export_workbook(load_dataset(DEFAULT_DATA_DIR))


def _open(lang: str = "zh") -> AppTest:
    at = new_app(timeout=120, lang=lang)
    at.switch_page(PAGE).run()
    assert_ok(at)
    return at


def _import(at: AppTest, data: bytes, name: str = "ceshi.xlsx", district_id: str = "") -> AppTest:
    at.file_uploader(key="di_workbook").set_value((name, data, workbook_mime())).run()
    if district_id:
        at.text_input(key="di_id").set_value(district_id).run()
    at.button(key="di_import").click().run()
    assert_ok(at)
    return at


def workbook_mime() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_page_renders_in_both_languages(home):
    at = _open()
    assert at.title[0].value == ZH["nav.district_import"]
    assert [s.value for s in at.subheader][:3] == [ZH["district_import.step_download"],
                                                   ZH["district_import.step_extract"],
                                                   ZH["district_import.step_import"]]
    at = _open("en")
    assert at.title[0].value == EN["nav.district_import"]


def test_from_scratch_district_runs_end_to_end_in_the_app(home, blank):
    at = _open()
    _import(at, filled_blank(blank))
    assert at.success[0].value.startswith("已导入区县 ceshi")
    assert any("smart_elderly_service_points" in w.value for w in at.warning)  # free-text id flagged
    assert (home / "districts" / "ceshi" / "districts.csv").is_file()
    picker = at.selectbox(key="district")
    assert "ceshi" in picker.options or DISTRICT["name_zh"] + "（自建）" in picker.options
    at.selectbox(key="district").select("ceshi").run()
    assert_ok(at)
    for page in MODEL_PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert_ok(at)
        assert at.title[0].value == ZH[f"nav.{page}"]
        assert at.selectbox(key="district").value == "ceshi"
        assert at.caption[0].value.startswith(DISTRICT["name_zh"])
    at.switch_page("pages/overview.py").run()
    shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
    assert "55" in shown  # the typed 2025 nursing-share target is on the scorecard


def test_bad_workbook_names_sheet_row_column(home, blank):
    at = _open()
    bad = edit_cell(filled_blank(blank), "指标", 6, "value", "≥55")
    _import(at, bad)
    assert not at.success
    message = at.error[0].value
    assert "指标" in message
    assert "第6行" in message
    assert "D列" in message
    assert not (home / "districts").exists()


def test_plan_text_fills_the_review_grid(home, repo_root):
    ds = load_dataset(DEFAULT_DATA_DIR)
    seed = repo_root.parent / "shared" / "seeds" / ds.sources["wulong_plan"]["file"]
    at = _open()
    at.file_uploader(key="di_plan").set_value(("wulong.txt", seed.read_bytes(), "text/plain")).run()
    assert_ok(at)
    grid = at.dataframe[0].value  # st.data_editor shows up as a dataframe element in AppTest
    assert len(grid) == 26
    assert "nursing_bed_share" in set(grid["indicator"])
    assert [b.disabled for b in at.get("download_button") if b.proto.id.endswith("di_reviewed")] == [False]
