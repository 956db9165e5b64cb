"""User-typed text made inert before a page shows it as markdown (pure: the pages call :func:`plain`)."""

from __future__ import annotations

import re
from typing import Any

# Markdown that user-typed text must never produce: links and images ([…](…), <…>, bare URLs), HTML,
# code, emphasis with *, LaTeX ($), Streamlit's :colour[…] directives, a heading at the start.
_MARKUP = re.compile(r"([\\\[\]<>`*$])")
_AUTOLINK = re.compile(r"(?i)(://|www\.)")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def plain(text: Any) -> str:
    r"""User-typed text (a scenario name, an unknown key, a file name, a source) made inert for the
    markdown that ``st.caption`` / ``st.success`` / ``st.error`` / ``st.markdown`` render: markup
    characters are backslash-escaped (CommonMark shows them as typed), URL starts are broken
    (``https\:\/\/``, ``www\.``), line breaks become spaces. Every page shows such text through this one
    function (or through :func:`pages._ui.show_error`, which applies it to the whole message)."""
    text = _MARKUP.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")
    text = _AUTOLINK.sub(lambda m: "\\:\\/\\/" if m.group(1) == "://" else m.group(1)[:3] + "\\.", text)
    text = _LIST_NUMBER.sub(r"\1\\\2", text)  # "1. x" at the start would become a list
    return "\\" + text if text.startswith(("#", "-", "+", "=", ">")) else text
