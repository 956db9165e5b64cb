"""Real-browser end-to-end test: Debian chromium via Playwright's sync API against a live server.

Chromium missing: the test fails when ``$CI`` is set (the CI image must have it) and skips otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from models.data import dataset

pytestmark = pytest.mark.browser


def open_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]')


def main_title(page, text: str) -> None:
    page.locator('[data-testid="stMain"] h1').filter(has_text=text).wait_for()


def assert_no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def test_deep_link_first_request_runs_the_frame(app_page, app_url: str) -> None:
    """First request after server start is a deep link: the sidebar (app.py) must still be there."""
    page = app_page
    open_app(page, f"{app_url}/data_sources?lang=en&district=banan")
    main_title(page, "Data & sources")
    page.locator('[data-testid="stMain"]').get_by_text("Banan District ·").wait_for()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').get_by_text("District").wait_for()
    sidebar.get_by_text(f"Data version {dataset().version}").wait_for()
    assert_no_exception(page)


def test_overview_district_switch_and_data_page(app_page, app_url: str, artifacts: Path) -> None:
    page = app_page
    open_app(page, app_url)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("民政规划沙盘").wait_for()
    main_title(page, "概览")
    page.locator('[data-testid="stMain"]').get_by_text("城口县 ·").wait_for()

    sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="区县").click()
    page.get_by_role("option", name="武隆区").click()
    page.locator('[data-testid="stMain"]').get_by_text("武隆区 ·").wait_for()
    page.wait_for_url(re.compile(r"district=wulong"))
    assert_no_exception(page)
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)

    page.locator('[data-testid="stSidebarNav"]').get_by_text("数据与来源").click()
    main_title(page, "数据与来源")
    page.wait_for_url(re.compile(r"/data_sources\?.*district=wulong"))
    page.locator('[data-testid="stMain"]').get_by_text("武隆区 ·").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    assert_no_exception(page)

    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载 CSV")).first.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "指标" in data.decode("utf-8-sig").splitlines()[0]
    assert re.fullmatch(r"indicators_wulong_d[0-9a-f]{12}\.csv", info.value.suggested_filename)
    page.screenshot(path=str(artifacts / "data_sources.png"), full_page=True)

    sidebar.get_by_text("English").click()
    main_title(page, "Data & sources")
    page.wait_for_url(re.compile(r"lang=en"))
    assert_no_exception(page)
