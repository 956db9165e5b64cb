"""The one Streamlit internal the app relies on is still there.

``pages/`` is a fixed top-level folder of this project, so Streamlit would treat the app as a legacy
multipage app beside ``st.navigation``; ``pages._state.leave_legacy_pages_mode`` switches that off by
setting ``PagesManager.uses_pages_directory``. If a Streamlit release renames or moves it, the
workaround silently does nothing — this test fails instead, and pyproject.toml pins the supported range.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager


def test_pages_manager_still_has_the_attribute_the_frame_sets():
    assert hasattr(PagesManager, "uses_pages_directory")
    assert isinstance(PagesManager.uses_pages_directory, bool | None)
