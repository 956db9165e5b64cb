"""AppTest page tests: the frame and every page render for every district, and the sidebar works.

One AppTest is reused across the page x district sweep (a run costs ~0.1 s; a fresh AppTest ~1 s).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import assert_ok, new_app
from streamlit.testing.v1 import AppTest

from models.data import INDICATOR_COLUMNS, PROJECT_COLUMNS, dataset
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = [
    "overview",
    "population",
    "beds",
    "benefits",
    "budget",
    "targets",
    "compare",
    "retrospective",
    "report",
    "data_sources",
    "district_import",
]
DISTRICTS = list(dataset().districts["id"])
ZH, EN = load_locale("zh"), load_locale("en")


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = new_app()
    assert_ok(at)
    return at


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A writable copy of data/ used by the app (``SHAPAN_DATA_DIR``); the dataset cache is reset."""
    root = tmp_path / "data"
    shutil.copytree(ROOT / "data", root)
    monkeypatch.setenv("SHAPAN_DATA_DIR", str(root))
    dataset.cache_clear()
    yield root
    dataset.cache_clear()


def select_district(at: AppTest, district: str) -> AppTest:
    return at.selectbox(key="district").select(district).run()


def test_frame_renders_in_chinese_by_default(app: AppTest) -> None:
    assert app.title[0].value == ZH["nav.overview"]
    assert app.radio(key="lang").value == "zh"
    assert app.selectbox(key="district").value == "chengkou"
    assert ZH["app.title"] in app.sidebar.markdown[0].value
    version = dataset().version
    assert any(version in c.value for c in app.sidebar.caption)
    assert app.query_params == {"lang": "zh", "district": "chengkou"}


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_for_every_district(app: AppTest, page: str) -> None:
    app.switch_page(f"pages/{page}.py").run()
    assert_ok(app)
    for district in DISTRICTS:
        select_district(app, district)
        assert_ok(app)
        assert app.title[0].value == ZH[f"nav.{page}"]
        # app.py's sidebar ran around the page (not the page alone)
        assert app.selectbox(key="district").value == district
        name = dataset().district(district)["name_zh"]
        assert app.caption[0].value.startswith(name)


def test_language_switch_changes_labels(app: AppTest) -> None:
    app.switch_page("pages/overview.py").run()
    assert app.selectbox(key="district").label == ZH["sidebar.district"]
    app.radio(key="lang").set_value("en").run()
    assert_ok(app)
    assert app.selectbox(key="district").label == EN["sidebar.district"]
    assert app.title[0].value == EN["nav.overview"]
    assert app.query_params["lang"] == "en"
    name_en = dataset().district(app.selectbox(key="district").value)["name_en"]
    assert app.caption[0].value.startswith(name_en)
    app.radio(key="lang").set_value("zh").run()
    assert app.title[0].value == ZH["nav.overview"]


def test_district_switch_changes_data_table(app: AppTest) -> None:
    counts = dataset().indicators.groupby("district").size()
    if len(counts) < 2:
        pytest.skip("needs indicator rows for two districts")
    first, second = counts.index[0], counts.index[1]
    app.switch_page("pages/data_sources.py").run()
    select_district(app, first)
    table_a = app.dataframe[0].value
    assert len(table_a) == counts[first]
    select_district(app, second)
    assert_ok(app)
    table_b = app.dataframe[0].value
    assert len(table_b) == counts[second]
    assert not table_a.equals(table_b)
    assert app.query_params["district"] == second


def test_data_page_columns_translate_and_filter(app: AppTest) -> None:
    app.switch_page("pages/data_sources.py").run()
    district = dataset().indicators["district"].iloc[0]
    select_district(app, district)
    table = app.dataframe[0].value
    assert list(table.columns[:3]) == [ZH["col.label"], ZH["col.year"], ZH["col.value"]]
    assert table.columns[-1] == ZH["col.indicator"]
    kinds = app.multiselect(key=f"ds_kind_{district}")
    kinds.set_value(["target"]).run()
    filtered = app.dataframe[0].value
    assert set(filtered[ZH["col.kind"]]) == {ZH["kind.target"]}
    kinds.set_value([]).run()
    labels = {b.label for b in app.get("download_button")}
    assert {ZH["export.csv"], ZH["export.xlsx"]} <= labels


def test_query_params_restore_language_and_district() -> None:
    at = new_app(lang="en", district="banan")
    assert_ok(at)
    assert at.title[0].value == EN["nav.overview"]
    assert at.selectbox(key="district").value == "banan"
    bad = new_app(lang="fr", district="nowhere")
    assert bad.radio(key="lang").value == "zh"
    assert bad.selectbox(key="district").value == "chengkou"


def test_data_page_renders_with_zero_rows(data_dir: Path) -> None:
    pd.DataFrame(columns=INDICATOR_COLUMNS).to_csv(data_dir / "indicators.csv", index=False)
    pd.DataFrame(columns=PROJECT_COLUMNS).to_csv(data_dir / "projects.csv", index=False)
    at = new_app()
    at.switch_page("pages/data_sources.py").run()
    assert_ok(at)
    infos = [i.value for i in at.info]
    assert ZH["data.no_indicators"] in infos
    assert ZH["data.no_projects"] in infos


def test_broken_data_shows_error_not_traceback(data_dir: Path) -> None:
    with (data_dir / "districts.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "chengkou,重复,Dup,重庆市,重庆市,chengkou_plan,2021-2025,plan,Chongqing,2,secondary_chengkou_2021,dup\n"
        )
    at = new_app()
    assert_ok(at)
    assert at.error
    assert "districts.csv" in at.error[0].value


def _chart_script() -> None:
    import altair as alt
    import pandas as pd

    from models.errors import ShapanError
    from pages._ui import chart, download_table, provenance_caption, show_error

    frame = pd.DataFrame({"年份": [2020, 2025], "床位": [100, -5]})
    chart(
        alt.Chart(frame).mark_line().encode(x="年份:O", y="床位:Q"),
        "beds_chart",
        scenario_hash="abcdef0123456789",
        data_version="0123456789ab",
    )
    download_table(frame, "beds_table", scenario_hash="abcdef0123456789")
    provenance_caption("abcdef0123456789", "0123456789ab")
    show_error(ShapanError("unknown_district", district="x", allowed="chengkou"))


def test_shared_helpers_render() -> None:
    at = AppTest.from_function(_chart_script, default_timeout=60).run()
    assert_ok(at)
    assert len(at.get("vega_lite_chart")) == 1
    labels = [b.label for b in at.get("download_button")]
    assert labels == [ZH["export.png"], ZH["export.svg"], ZH["export.csv"], ZH["export.xlsx"]]
    assert "abcdef012345" in at.caption[0].value
    assert at.error[0].value.startswith("未知区县")
