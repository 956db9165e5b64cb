"""Helpers shared by the AppTest page tests (one copy instead of five)."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
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
