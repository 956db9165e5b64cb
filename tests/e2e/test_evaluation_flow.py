"""Real browser, issue 16's flow: upload 2025 actuals → rebase → 期末评估 → 十五五 draft → export → both plans.

A planner opens 期末评估 for 武隆, uploads the made-up actuals (tests/fixtures/actuals_wulong_2025.csv), and
gets the end-of-term evaluation (counts computed by hand in tests/test_page_evaluation.py: 3 achieved,
3 missed), the baseline rebased on 2025 (the rebase caption) and the costed 2030 draft; then downloads the
evaluation text, the 专栏-style 15th-plan indicator table (xlsx, opened with openpyxl: the ratio target
carried forward at ≥85, file name with the draft's scenario hash) and the draft scenario (TOML, loaded back
with models.scenario); then 方案对比 shows both plans side by side and its xlsx (named with both hashes and the
data version) opens with the 14th result next to the 15th draft; finally the PDF built on 汇报材料 carries
the 期末评估 and 十五五 sections. Labels come from pages/locale/zh.toml.
"""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import docx
import openpyxl
import pytest
import report_text as rt
from test_flow import ZH, assert_no_exception, settle, step

from models import draft as dr
from models import labels
from models.data import dataset
from models.reporting import evaluation_section as es

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "actuals_wulong_2025.csv"
DISTRICT = "wulong"
HASH = r"[0-9a-f]{12}"
REPORT_DRAWS = "200"

pytestmark = pytest.mark.browser


def metric_value(main, label: str) -> str:
    metric = main.locator('[data-testid="stMetric"]').filter(
        has=main.page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(label)}$")))
    return metric.first.locator('[data-testid="stMetricValue"]').inner_text()


def download(page, main, label: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        main.get_by_role("button", name=label).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_actuals_to_evaluation_to_draft_to_export(app_page, app_url: str, artifacts: Path) -> None:
    page = app_page
    main = page.locator('[data-testid="stMain"]')

    with step("open 期末评估 for 武隆"):
        page.goto(f"{app_url}/retrospective?district={DISTRICT}")
        main.locator("h1").filter(has_text=ZH["nav.retrospective"]).wait_for()
        settle(page)
        main.get_by_text(ZH["evaluation.enter_first"]).wait_for()
        assert_no_exception(page)

    with step("upload the 2025 actuals"):
        uploader = main.locator('[data-testid="stFileUploader"]').filter(has_text=ZH["retrospective.upload"])
        uploader.locator('input[type="file"]').set_input_files(str(FIXTURE))
        main.get_by_text(ZH["retrospective.uploaded"].split("{", 1)[0]).first.wait_for(timeout=120_000)
        settle(page)
        assert_no_exception(page)

    with step("the evaluation: 3 achieved, 3 missed, the 评估报告 text"):
        main.get_by_text(ZH["evaluation.note"].split("{", 1)[0]).first.wait_for(timeout=120_000)
        assert metric_value(main, labels.label("result", "achieved", "zh")) == "3"
        assert metric_value(main, labels.label("result", "missed", "zh")) == "3"
        name, text = download(page, main, ZH["evaluation.download_text"])
        assert name == f"evaluation_{DISTRICT}.md"
        assert "总体评价：规划目标部分完成" in text.decode("utf-8")

    with step("rebased on 2025 and the 2030 draft shown"):
        rebased = ZH["draft.rebased_note"].split("{", 1)[0]
        main.get_by_text(rebased).first.wait_for(timeout=180_000)
        assert "2025" in main.get_by_text(rebased).first.inner_text()
        main.get_by_role("button", name=ZH["draft.download_xlsx"]).wait_for()
        assert_no_exception(page)
        page.screenshot(path=str(artifacts / "evaluation_draft.png"), full_page=True)

    with step("export the 15th-plan indicator table (xlsx) and open it"):
        name, data = download(page, main, ZH["draft.download_xlsx"])
        assert re.fullmatch(rf"15th_plan_indicators_{DISTRICT}_{HASH}\.xlsx", name), name
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        rows = list(book["十五五主要指标"].iter_rows(values_only=True))
        assert rows[0] == ("序号", "指标", "2025年基期", "2030年目标", "属性")
        ratio = next(r for r in rows if str(r[1]).startswith("农村/城市低保标准比"))
        assert ratio[2] == 82.5
        assert ratio[3] == "≥85"
        about = dict(book["provenance"].iter_rows(values_only=True))
        assert about["scenario_hash"] in name
        assert re.fullmatch(HASH, about["data_version"])

    with step("export the same table as Word (docx) and open it"):
        name, data = download(page, main, ZH["draft.download_docx"])
        assert re.fullmatch(rf"15th_plan_indicators_{DISTRICT}_{HASH}\.docx", name), name
        doc = docx.Document(io.BytesIO(data))
        cells = [[c.text for c in r.cells] for r in doc.tables[0].rows]
        assert cells[0] == ["序号", "指标", "2025年基期", "2030年目标", "属性"]
        assert next(r for r in cells if r[1].startswith("农村/城市低保标准比"))[3] == "≥85"

    with step("save the draft as a scenario (TOML) and read it back"):
        name, data = download(page, main, ZH["draft.download_scenario"])
        assert name == f"{DISTRICT}_draft_15th.toml"
        doc = tomllib.loads(data.decode("utf-8"))
        assert doc["scenario"]["base_year"] == 2025
        assert doc["scenario"]["name"] == "draft_15th"
        assert doc["scenario"]["end_year"] >= dr.DRAFT_YEAR

    with step("方案对比: both plans side by side, downloaded as xlsx"):
        page.locator('[data-testid="stSidebarNav"]').get_by_text(ZH["nav.compare"], exact=True).click()
        main.locator("h1").filter(has_text=ZH["nav.compare"]).wait_for()
        main.get_by_text(ZH["plans.heading"]).wait_for()
        settle(page)
        assert_no_exception(page)
        main.get_by_text(ZH["plans.note"].split("{", 1)[0]).first.wait_for(timeout=180_000)
        button = main.locator('[class*="st-key-dl_plans_table"]').get_by_role("button", name=ZH["export.xlsx"])
        with page.expect_download() as info:
            button.click()
        name = info.value.suggested_filename
        version = dataset().version
        assert re.fullmatch(rf"plans_14th_15th_{DISTRICT}_f[0-9a-f]{{8}}_s[0-9a-f]{{8}}_d{version}\.xlsx", name), name
        book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        header = rows[0]
        ratio = dict(zip(header, next(r for r in rows if r[0] == "农村/城市低保标准比"), strict=True))
        assert ratio[ZH["plans.result_14"]] == "未完成"
        assert ratio[ZH["plans.actual"]] == 82.5
        assert ratio[ZH["plans.target_15"]] == "≥85.0"

    with step("汇报材料: the PDF report carries 期末评估 and the 十五五 draft"):
        page.locator('[data-testid="stSidebarNav"]').get_by_text(ZH["nav.report"], exact=True).click()
        main.locator("h1").filter(has_text=ZH["nav.report"]).wait_for()
        settle(page)
        draws = main.locator('[data-testid="stNumberInput"]').filter(has_text=ZH["report.mc_n"]).first.locator("input")
        draws.fill(REPORT_DRAWS)
        draws.press("Enter")
        settle(page)
        main.get_by_text(ZH["report.with_evaluation"].split("{", 1)[0]).wait_for(timeout=180_000)
        main.get_by_role("heading", name=es.w("h_eval", "zh")).wait_for(timeout=180_000)
        main.get_by_role("button", name=ZH["report.build_pdf"]).click()
        button = main.get_by_role("button", name=ZH["report.download_pdf"])
        button.wait_for(timeout=180_000)
        with page.expect_download() as info:
            button.click()
        text = "".join(rt.pdf_pages(Path(info.value.path()).read_bytes())).replace("\n", "")
        for head in (es.w("h_eval", "zh"), "（三）未完成目标及原因分析", es.w("h_draft", "zh")):
            assert head in text, head
        assert_no_exception(page)
