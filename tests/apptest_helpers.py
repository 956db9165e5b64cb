"""Helpers shared by the AppTest page tests (one copy instead of five)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ACTUALS_WULONG = ROOT / "tests" / "fixtures" / "actuals_wulong_2025.csv"  # made-up 2025 actuals
HASH_RE = re.compile(r"`([0-9a-f]{12})`")


def new_app(timeout: int = 60, **query: str) -> AppTest:
    """The app with the given query parameters, after its first run."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params.update(query)
    return at.run()


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def scenario_hash(at: AppTest) -> str:
    """The scenario hash shown in the sidebar."""
    for caption in at.sidebar.caption:
        found = HASH_RE.search(caption.value)
        if found:
            return found.group(1)
    raise AssertionError("no scenario hash in the sidebar")


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page that has ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def upload_actuals(at: AppTest, district: str, fixture: Path = ACTUALS_WULONG) -> AppTest:
    """Upload an actuals CSV on the 期末评估 page's uploader of ``district`` and rerun."""
    return at.file_uploader(key=f"retro_upload_{district}").set_value(
        (fixture.name, fixture.read_bytes(), "text/csv")).run()
