"""Real-browser user flow: district → beds lever → DES run → PDF report download → overview screenshot.

Debian chromium via Playwright's sync API against the live server of ``conftest.py`` (``app_url``).
Labels come from ``pages/locale/zh.toml`` and ``data/`` at run time, so wording changes do not break the
test; each step is named, and a failure says which step failed. Chromium missing: the test fails when
``$CI`` is set and skips otherwise. Screenshot: ``artifacts/overview.png`` (the README image
``benchmarks/screenshots/overview.png`` is a deliberate copy of it, not rewritten by every test run).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from models.data import dataset
from models.views.calendar import PLAN_END_YEAR
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "wulong"
BEDS_PER_YEAR = "300"  # beds/yr typed into the lever (within its range 0–100,000)
DES_REPLICATIONS = "5"
REPORT_DRAWS = "200"
MIN_PDF_BYTES = 20_000
ZH = load_locale("zh")

pytestmark = pytest.mark.browser




@contextmanager
def step(name: str) -> Iterator[None]:
    """Name the step in the failure message (the pages under test are built by several people)."""
    try:
        yield
    except Exception as exc:
        raise AssertionError(f"step '{name}' failed: {type(exc).__name__}: {exc}") from exc


def settle(page) -> None:
    """Wait until Streamlit has finished the current run (its running indicator is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")


def assert_no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def go_to(page, nav_key: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(ZH[nav_key], exact=True).click()
    page.locator('[data-testid="stMain"] h1').filter(has_text=ZH[nav_key]).wait_for()
    settle(page)


def number_input(scope, label: str):
    """The <input> of the st.number_input whose label contains ``label``."""
    return scope.locator('[data-testid="stNumberInput"]').filter(has_text=label).first.locator("input")


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def beds_per_1000_label() -> str:
    ds = dataset()
    series = ZH.get("beds.series_beds_per_1000_elderly", ds.label("beds_per_1000_elderly", "zh"))
    return ZH["beds.metric_in_year"].format(year=PLAN_END_YEAR, label=series)


def lever_label(key: str) -> str:
    from models.scenario import param_label

    return param_label(key, "zh", dataset().assumptions)


def test_user_flow_beds_des_report_overview(app_page, app_url: str, artifacts: Path) -> None:
    page = app_page
    main = page.locator('[data-testid="stMain"]')
    sidebar = page.locator('[data-testid="stSidebar"]')
    district_name = dataset().district(DISTRICT)["name_zh"]

    with step("open the app"):
        page.goto(app_url)
        page.wait_for_selector('[data-testid="stAppViewContainer"]')
        sidebar.get_by_text(ZH["app.title"]).first.wait_for()
        settle(page)

    with step("switch district to 武隆区"):
        sidebar.locator('[data-testid="stSelectbox"]').filter(has_text=ZH["sidebar.district"]).click()
        page.get_by_role("option", name=district_name).click()
        page.wait_for_url(re.compile(rf"district={DISTRICT}"))
        main.get_by_text(f"{district_name} ·").first.wait_for()
        settle(page)
        assert_no_exception(page)

    with step("go to 养老床位"):
        go_to(page, "nav.beds")
        assert_no_exception(page)

    with step("change beds_built_per_year and see beds per 1,000 change"):
        label = beds_per_1000_label()
        before = metric_value(page, label)
        box = number_input(main, lever_label("beds.beds_built_per_year"))
        box.fill(BEDS_PER_YEAR)
        box.press("Enter")
        settle(page)
        page.wait_for_function(
            """([label, before]) => [...document.querySelectorAll('[data-testid="stMetric"]')]
                .some(m => m.innerText.includes(label)
                      && m.querySelector('[data-testid="stMetricValue"]').innerText !== before)""",
            arg=[label, before])
        after = metric_value(page, label)
        assert after != before, (before, after)
        assert_no_exception(page)

    with step("run the DES with few replications"):
        main.get_by_role("tab", name=ZH["beds.tab_des"]).click()
        reps = number_input(main, ZH["beds.des_replications"])
        reps.fill(DES_REPLICATIONS)
        reps.press("Enter")
        settle(page)
        main.get_by_role("button", name=ZH["beds.des_run"]).click()
        done = ZH["beds.des_done"].split("{", 1)[0]
        main.locator('[data-testid="stAlertContentSuccess"], [data-testid="stAlert"]').filter(
            has_text=done).first.wait_for(timeout=180_000)
        settle(page)
        assert_no_exception(page)

    with step("build and download the PDF report on 汇报材料"):
        go_to(page, "nav.report")
        draws = number_input(main, ZH["report.mc_n"])
        draws.fill(REPORT_DRAWS)
        draws.press("Enter")
        settle(page)
        main.get_by_role("button", name=ZH["report.build_pdf"]).click()
        download_button = main.get_by_role("button", name=ZH["report.download_pdf"])
        download_button.wait_for(timeout=180_000)
        with page.expect_download() as info:
            download_button.click()
        pdf = Path(info.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF"), pdf[:20]
        assert len(pdf) > MIN_PDF_BYTES, len(pdf)
        assert re.fullmatch(rf"report_{DISTRICT}_zh_s[0-9a-f]{{8}}_d[0-9a-f]{{12}}\.pdf",
                            info.value.suggested_filename), info.value.suggested_filename
        assert_no_exception(page)

    with step("screenshot 概览"):
        go_to(page, "nav.overview")
        page.set_viewport_size({"width": 1400, "height": 1100})
        settle(page)
        assert_no_exception(page)
        path = artifacts / "overview.png"  # copied by hand to benchmarks/screenshots/ for the README
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000
