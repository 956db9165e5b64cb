"""The one Streamlit internal the app relies on is still there, and only ``pages/_frame.py`` touches it.

``pages/`` is a fixed top-level folder of this project, so Streamlit would treat the app as a legacy
multipage app beside ``st.navigation``; ``pages._frame.leave_legacy_pages_mode`` switches that off by
setting ``PagesManager.uses_pages_directory``. If a Streamlit release renames or moves it, the
workaround silently does nothing — this test fails instead, and pyproject.toml pins the supported range.
"""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager

from pages import _frame

ROOT = Path(__file__).resolve().parent.parent


def test_pages_manager_still_has_the_attribute_the_frame_sets():
    assert _frame.ATTRIBUTE == "uses_pages_directory"
    assert hasattr(PagesManager, _frame.ATTRIBUTE)
    assert isinstance(getattr(PagesManager, _frame.ATTRIBUTE), bool | None)


def test_outside_a_script_run_the_frame_changes_nothing(monkeypatch):
    monkeypatch.setattr(PagesManager, _frame.ATTRIBUTE, True)
    _frame.leave_legacy_pages_mode()  # no script-run context (plain pytest): no rerun, attribute kept
    assert getattr(PagesManager, _frame.ATTRIBUTE) is True


def test_the_workaround_lives_in_one_module():
    """No other project file names the private attribute or PagesManager (the workaround in one place)."""
    files = [*ROOT.glob("*.py"), *(ROOT / "pages").rglob("*.py"), *(ROOT / "models").rglob("*.py")]
    users = sorted(p.relative_to(ROOT).as_posix() for p in files
                   if "uses_pages_directory" in (text := p.read_text(encoding="utf-8")) or "PagesManager" in text)
    assert users == ["pages/_frame.py"]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


def test_installed_streamlit_is_inside_the_pinned_range():
    """pyproject.toml pins the range the attribute was checked against; the installed release is inside it."""
    import streamlit

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pins = re.findall(r'"streamlit>=([\d.]+),<([\d.]+)"', text)
    assert len(pins) == 1, pins
    low, high = pins[0]
    assert _version(low) <= _version(streamlit.__version__) < _version(high)
