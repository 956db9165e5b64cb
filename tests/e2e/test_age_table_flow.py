"""Real browser, issue 11: on 人口老龄化 a planner chooses the age table's population basis (常住), uploads the
district's 5-year age table, and sees the new 60+ base (the table's 60+: 9,000 + 11,000 + 8,000 + 5,000 +
3,000 + 2,000 = 38,000, replacing 城口's derived 45,000) with its basis stated next to it.

Labels come from ``pages/locale/zh.toml``; the uploader stays disabled until a basis is chosen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_flow import ZH, assert_no_exception, settle, step

from models import labels
from tests.apptest_helpers import AGE_TABLE_CSV

pytestmark = pytest.mark.browser

DISTRICT = "chengkou"
BASE_LABEL = "2020年60岁及以上人口（基数）"


def base_value(main) -> str:
    metric = main.locator('[data-testid="stMetric"]').filter(
        has=main.page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(BASE_LABEL)}$")))
    return metric.first.locator('[data-testid="stMetricValue"]').inner_text()


def test_upload_age_table_with_its_basis(app_page, app_url: str, tmp_path: Path, artifacts: Path) -> None:
    page = app_page
    main = page.locator('[data-testid="stMain"]')
    table = tmp_path / "chengkou_ages.csv"
    table.write_bytes(AGE_TABLE_CSV.encode("gbk"))  # as a statistics bureau's Excel export often is
    uploader = main.locator('[data-testid="stFileUploader"]').filter(has_text=ZH["population.age_table_upload"])
    basis_caption = ZH["population.basis_caption"].format(basis=labels.label("basis", "常住"),
                                                         status=labels.label("basis_status", "table"))

    with step("open 人口老龄化 for 城口: the derived base, no table, uploader waiting for a basis"):
        page.goto(f"{app_url}/population?district={DISTRICT}")
        main.locator("h1").filter(has_text=ZH["nav.population"]).wait_for()
        settle(page)
        assert_no_exception(page)
        assert base_value(main).startswith("45,000")
        main.get_by_text(ZH["population.age_table_choose_basis"]).wait_for()
        assert uploader.locator('input[type="file"]').is_disabled()

    with step("choose 常住人口 as the table's basis"):
        main.get_by_role("radio", name=labels.label("basis", "常住"), exact=True).click()
        main.get_by_text(ZH["population.age_table_choose_basis"]).wait_for(state="hidden")
        settle(page)
        assert uploader.locator('input[type="file"]').is_enabled()

    with step("upload the table: the base becomes the table's 60+, on the chosen basis"):
        uploader.locator('input[type="file"]').set_input_files(str(table))
        in_use = ZH["population.age_table_in_use"].split("（", 1)[0]
        main.get_by_text(in_use).first.wait_for(timeout=120_000)
        settle(page)
        assert_no_exception(page)
        assert base_value(main).startswith("38,000")
        caption = main.get_by_text(in_use).first.inner_text()
        assert labels.label("basis", "常住") in caption
        assert "38,000" in caption
        main.get_by_text(basis_caption, exact=True).wait_for()
        page.screenshot(path=str(artifacts / "population_age_table.png"), full_page=True)

    with step("switch the basis to 户籍: the stated basis follows, the figure stays"):
        main.get_by_role("radio", name=labels.label("basis", "户籍"), exact=True).click()
        settle(page)
        hukou = ZH["population.basis_caption"].format(basis=labels.label("basis", "户籍"),
                                                     status=labels.label("basis_status", "table"))
        main.get_by_text(hukou, exact=True).wait_for()
        assert base_value(main).startswith("38,000")
        assert_no_exception(page)
