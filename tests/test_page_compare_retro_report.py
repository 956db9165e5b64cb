"""AppTest tests of the 方案对比 (compare), 期末评估 (retrospective) and 汇报材料 (report) pages.

Real interactions: pick three scenarios and see three hashes; edit the current scenario and see the
parameter difference; upload actuals in GBK and UTF-8 with BOM and see backtest rows (the second upload
appends to the first); a bad file shows an error naming row and column and keeps the table; draft a
2030 target and see the model's projection; build the xlsx report and get a download button.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import assert_ok
from streamlit.testing.v1 import AppTest

from models import presets
from models.data import dataset
from models.resolve import resolve
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ZH, EN = load_locale("zh"), load_locale("en")
DISTRICT = "chengkou"


def open_page(page: str, district: str = DISTRICT) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"district": district})
    at.switch_page(f"pages/{page}.py").run()  # straight to the page (the overview is not run first)
    assert_ok(at)
    return at


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table (st.dataframe) that has ``column`` (plain tables carry no key in AppTest)."""
    for frame in at.dataframe:
        value = frame.value
        if column in value.columns:
            return value
    raise AssertionError(f"no table with column {column!r}")


def has_table_with(at: AppTest, column: str) -> bool:
    return any(column in frame.value.columns for frame in at.dataframe)


def preset_hash(district: str, name: str) -> str:
    ds = dataset()
    return resolve(presets.load_preset(district, name, ds), ds).hash


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def target_rows(district: str, year: int, n: int) -> pd.DataFrame:
    """``n`` numeric ``>=`` targets of ``district`` for ``year`` with distinct indicators (from the data)."""
    ind = dataset().indicators_for(district)
    rows = ind[
        (ind["kind"] == "target") & (ind["year"] == year) & ind["value"].notna() & (ind["comparator"] == ">=")
    ].drop_duplicates("indicator")
    assert len(rows) >= n
    return rows.head(n).reset_index(drop=True)


def csv_bytes(rows: pd.DataFrame, values: list[object], encoding: str) -> bytes:
    lines = ["indicator,year,value,source"]
    pairs = zip(rows.itertuples(), values, strict=True)
    lines += [f"{r.indicator},{r.year},{v},统计公报（测试）" for r, v in pairs]
    return ("\n".join(lines) + "\n").encode(encoding)


# -------------------------------------------------------------------------------------------- compare


@pytest.fixture(scope="module")
def compare_app() -> AppTest:
    return open_page("compare")


def test_compare_three_presets_show_three_hashes(compare_app: AppTest) -> None:
    at = compare_app
    pick = at.multiselect(key=f"cmp_pick_{DISTRICT}")
    pick.set_value(["preset:plan", "preset:freeze", "preset:stress"]).run()
    assert_ok(at)
    hashes = [preset_hash(DISTRICT, n) for n in ("plan", "freeze", "stress")]
    assert len(set(hashes)) == 3
    shown = texts(at)
    for h in hashes:
        assert h in shown
    indicators = table_with(at, ZH["col.unit"])
    names = ("plan", "freeze", "stress")
    assert [c for c in indicators.columns if any(h in c for h in hashes)] == [
        f"{ZH[f'compare.preset_{n}']} · {h}" for n, h in zip(names, hashes, strict=True)
    ]
    assert ZH["compare.budget_total"].format(start=2021, end=2025) in set(indicators[ZH["col.label"]])
    statuses = table_with(at, ZH["compare.target"])
    assert sum(any(h in c for h in hashes) for c in statuses.columns) == 3
    diff = table_with(at, ZH["compare.param"])
    assert "benefits.dibao_rural_growth_pct" in set(diff[ZH["col.key"]]) or len(diff) > 0
    assert len(at.get("vega_lite_chart")) >= 2
    labels = {b.label for b in at.get("download_button")}
    assert {ZH["export.csv"], ZH["export.xlsx"], ZH["export.png"]} <= labels


def test_compare_current_edit_shows_in_diff(compare_app: AppTest) -> None:
    at = compare_app
    at.multiselect(key=f"cmp_pick_{DISTRICT}").set_value(["preset:baseline", "current"]).run()
    assert_ok(at)
    assert ZH["compare.no_diff"] in [i.value for i in at.info]  # current = baseline until edited
    plan = presets.load_preset(DISTRICT, "baseline", dataset())
    scenario = plan.with_params(**{"beds.beds_built_per_year": 250.0})
    at.session_state["scenarios"] = {**at.session_state["scenarios"], DISTRICT: scenario}
    at.run()
    assert_ok(at)
    diff = table_with(at, ZH["compare.param"])
    assert "beds.beds_built_per_year" in set(diff[ZH["col.key"]])
    ds = dataset()
    edited = resolve(scenario, ds).hash
    assert edited != preset_hash(DISTRICT, "baseline")
    assert edited in texts(at)


def test_compare_nothing_picked_says_so(compare_app: AppTest) -> None:
    at = compare_app
    at.multiselect(key=f"cmp_pick_{DISTRICT}").set_value([]).run()
    assert_ok(at)
    assert ZH["compare.pick_some"] in [i.value for i in at.info]


# -------------------------------------------------------------------------------------- retrospective


def uploader(at: AppTest):  # fetched again after every run (elements are snapshots of one run)
    return at.file_uploader(key=f"retro_upload_{DISTRICT}")


def backtest_frame(at: AppTest) -> pd.DataFrame:
    return table_with(at, ZH["retrospective.result"])


def test_retrospective_gbk_and_bom_uploads_give_backtest_rows() -> None:
    at = open_page("retrospective")
    assert ZH["retrospective.enter_first"] in [i.value for i in at.info]
    rows = target_rows(DISTRICT, 2025, 3)
    met_value = rows.loc[0, "value"]
    uploader(at).set_value(("实际值_gbk.csv", csv_bytes(rows.iloc[:1], [met_value], "gbk"), "text/csv")).run()
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]
    first = backtest_frame(at)
    assert len(first) == 1
    assert first[ZH["retrospective.result"]].tolist() == [ZH["retrospective.met"]]

    missed = [rows.loc[i, "value"] / 2 for i in (1, 2)]
    bom = csv_bytes(rows.iloc[1:], missed, "utf-8-sig")
    assert bom.startswith(b"\xef\xbb\xbf")
    uploader(at).set_value(("actuals_bom.csv", bom, "text/csv")).run()
    assert_ok(at)
    table = backtest_frame(at)
    assert len(table) == 3  # the GBK rows are still there
    met, missed_label = ZH["retrospective.met"], ZH["retrospective.missed"]
    result = table[ZH["retrospective.result"]]
    assert sorted(result) == sorted([met, missed_label, missed_label])
    shortfall = table[result == missed_label][ZH["retrospective.shortfall"]].str.replace(",", "").astype(float)
    assert (shortfall > 0).all()
    assert [int(m.value) for m in at.metric[:2]] == [1, 2]  # backtest counts (the evaluation's follow)
    labels = {b.label for b in at.get("download_button")}
    assert {ZH["export.csv"], ZH["export.xlsx"]} <= labels


def test_retrospective_text_value_names_row_and_column_and_keeps_table() -> None:
    at = open_page("retrospective")
    rows = target_rows(DISTRICT, 2025, 2)
    good = csv_bytes(rows.iloc[:1], [rows.loc[0, "value"]], "utf-8")
    uploader(at).set_value(("good.csv", good, "text/csv")).run()
    assert len(backtest_frame(at)) == 1
    bad = csv_bytes(rows, [rows.loc[0, "value"], "九十"], "utf-8")
    uploader(at).set_value(("bad.csv", bad, "text/csv")).run()
    assert_ok(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "bad.csv" in errors[0]
    assert "第3行" in errors[0]
    assert "value" in errors[0]
    assert "九十" in errors[0]
    assert len(backtest_frame(at)) == 1  # the good upload is still in the table
    at.switch_page("pages/compare.py").run()
    at.switch_page("pages/retrospective.py").run()
    assert_ok(at)
    assert len(backtest_frame(at)) == 1  # the table survives a page switch
    at.radio(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.subheader[0].value == EN["retrospective.actuals"]


def test_retrospective_draft_2030_target_is_evaluated() -> None:
    at = open_page("retrospective")
    assert ZH["retrospective.drafts_empty"] in [i.value for i in at.info]
    name = f"retro_drafts_{DISTRICT}__0"
    draft = {"indicator": "beds_per_1000_elderly", "target": 40.0, "comparator": ">="}
    at.session_state[name] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [draft]}
    at.run()
    assert_ok(at)
    table = table_with(at, ZH["retrospective.projected"].format(year=2030))
    assert len(table) == 1
    projected = table[ZH["retrospective.projected"].format(year=2030)].iloc[0]
    assert projected == pytest.approx(_projection_2030(), rel=1e-9)
    assert pd.notna(table[ZH["retrospective.required_growth"]].iloc[0])
    assert table[ZH["retrospective.latest_year"]].iloc[0] == 2020


def _projection_2030() -> float:
    from models import engine

    ds = dataset()
    res = resolve(presets.load_preset(DISTRICT, "plan", ds), ds)
    return engine.run(res, ds).series["beds_per_1000_elderly"][2030]


# --------------------------------------------------------------------------------------------- report


def test_report_builds_xlsx_and_offers_download() -> None:
    at = open_page("report")
    assert table_with(at, "状态").shape[0] > 0
    assert len(at.get("vega_lite_chart")) >= 1
    at.number_input(key="report_mc_n").set_value(100).run()
    assert_ok(at)
    assert not [b for b in at.get("download_button") if b.label == ZH["report.download_xlsx"]]
    at.button(key="report_build_xlsx").click().run()
    assert_ok(at)
    buttons = [b for b in at.get("download_button") if b.label == ZH["report.download_xlsx"]]
    assert len(buttons) == 1
    ds = dataset()
    h = preset_hash(DISTRICT, "baseline")
    files = at.session_state["report_files"]
    data = [v for k, v in files.items() if k[:5] == ("xlsx", h, ds.version, "zh", 100)]
    assert len(data) == 1
    assert data[0][:2] == b"PK"
    assert buttons[0].proto.url  # the file is served by the media file manager
    assert f"{ZH['report.built'].format(fmt='XLSX')}" in [p.proto.text for p in at.get("progress")]


def test_report_builds_word_and_slides() -> None:
    at = open_page("report")
    at.number_input(key="report_mc_n").set_value(100).run()
    for fmt in ("docx", "pptx"):
        at.button(key=f"report_build_{fmt}").click().run()
        assert_ok(at)
        assert [b for b in at.get("download_button") if b.label == ZH[f"report.download_{fmt}"]]
    built = {k[0]: v for k, v in at.session_state["report_files"].items()}
    assert built["docx"][:2] == b"PK"
    assert built["pptx"][:2] == b"PK"
    assert ZH["report.decisions"] in [m.value.strip("*") for m in at.markdown]


def test_report_language_switch_changes_preview() -> None:
    at = open_page("report")
    at.number_input(key="report_mc_n").set_value(100).run()
    at.radio(key="report_lang").set_value("en").run()
    assert_ok(at)
    columns = table_with(at, "Status").columns
    assert {"Indicator", "Status", "P(met)"} <= set(columns)


def test_compare_pick_keeps_its_value_in_english() -> None:
    """The picker's labels are bound when it renders, so an English session's pick survives a rerun."""
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.query_params.update({"district": DISTRICT, "lang": "en"})
    at.run()
    at.switch_page("pages/compare.py").run()
    at.multiselect(key=f"cmp_pick_{DISTRICT}").unselect("preset:stress").run()
    assert_ok(at)
    assert at.multiselect(key=f"cmp_pick_{DISTRICT}").value == ["current", "preset:freeze"]
    en = load_locale("en")
    options = at.multiselect(key=f"cmp_pick_{DISTRICT}").options
    assert options[0] == en["compare.current"]
    assert en["compare.preset_freeze"] in options
