"""Text as a reader sees it in each report format, and the checks every report must pass.

Used by ``tests/test_report_outputs.py`` (every format × every district × both languages).
"""

from __future__ import annotations

import html.parser
import io
import re

# tokens that look like internal ids (issue 15: ``[a-z]+_[a-z_]+``)
ID_RE = re.compile(r"(?<![A-Za-z0-9_./-])[a-z]+_[a-z_]+(?![A-Za-z0-9_])")
LEAK_RE = re.compile(r"(?<![A-Za-z])(None|nan|NaN|True|False)(?![A-Za-z])")
LONG_FLOAT_RE = re.compile(r"(?<![\d.])\d[\d,]*\.\d{3,}")
HASH_RE = re.compile(r"\b[0-9a-f]{12}\b")
EN_WORD_RE = re.compile(r"[A-Za-z]{2,}")
URL_RE = re.compile(r"https?://\S+")  # a source's address is a link, not English prose
QUOTE_RE = re.compile(r"「[^」]*」")  # the plan's own text quoted verbatim (data-quality findings)
# number + unit as printed in the Chinese report; decimals the unit allows (longest unit first)
ZH_UNITS = [("张/千名老人", 1), ("人/万人", 1), ("个/万人", 1), ("名/万人", 1), ("名/千名老人", 1), ("名/百张床位", 1),
            ("元/人·月", 0), ("元/人·年", 0), ("万元", 1), ("百分点", 1), ("人次", 0), ("元", 0), ("人", 0), ("张", 0),
            ("%", 1), ("‰", 1)]
EN_UNITS = [("beds per 1,000 elderly", 1), ("yuan/person/month", 0), ("10k yuan", 1), ("persons", 0), ("beds", 0),
            ("yuan", 0), ("%", 1)]
# English a Chinese report may contain: the scenario hash/data version are stripped before the check;
# these are names of sources and statistics as the plans and the UN publish them.
ZH_ALLOWED_EN = {"UN", "WPP", "CPI", "GDP", "PDF", "ADL", "CV", "DES", "P10", "P50", "P90", "Erlang", "Gompertz",
                 "Makeham", "Gardner", "McKenzie"}


def unit_decimal_errors(text: str, lang: str) -> list[str]:
    out = []
    for unit, places in ZH_UNITS if lang == "zh" else EN_UNITS:
        sep = "" if lang == "zh" or unit == "%" else " "
        pattern = re.compile(r"(?<![\d.])(\d[\d,]*)(?:\.(\d+))?" + re.escape(sep + unit))
        for m in pattern.finditer(text):
            decimals = len(m.group(2) or "")
            rest = unit + re.sub(r"\s+", "", text[m.end():m.end() + 30])  # a unit broken over two lines
            longer = any(rest.startswith(u.replace(" ", "")) for u, _ in ZH_UNITS + EN_UNITS if len(u) > len(unit))
            if decimals > places and not longer:
                out.append(m.group(0))
    return out


def problems(text: str, lang: str) -> list[str]:
    """Everything in ``text`` the issue forbids; [] when clean."""
    found = [f"id: {m}" for m in ID_RE.findall(text)]
    found += [f"leak: {m}" for m in LEAK_RE.findall(text)]
    found += [f"long float: {m}" for m in LONG_FLOAT_RE.findall(text)]
    found += [f"decimals: {m}" for m in unit_decimal_errors(QUOTE_RE.sub(" ", text), lang)]
    if lang == "zh":
        stripped = URL_RE.sub(" ", HASH_RE.sub(" ", text))
        found += [f"english: {w}" for w in EN_WORD_RE.findall(stripped) if w not in ZH_ALLOWED_EN]
    return sorted(set(found))


class _HTMLText(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(data: bytes) -> str:
    parser = _HTMLText()
    parser.feed(data.decode("utf-8"))
    return "\n".join(parser.parts)


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    parts += [p.text for s in doc.sections for p in s.footer.paragraphs]
    return "\n".join(parts)


def pptx_text(data: bytes) -> str:
    from pptx import Presentation

    parts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_cells(data: bytes) -> list[tuple[str, object]]:
    """(sheet, value) of every non-empty cell."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def stranded_headings(pages: list[str], headings: list[str], footer_marker: str) -> list[str]:
    """Headings that are the last line of text on a PDF page (the footer line excluded)."""
    out = []
    wanted = {h.replace(" ", "") for h in headings}
    for n, text in enumerate(pages[:-1], start=1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and footer_marker not in ln]
        if lines and lines[-1].replace(" ", "") in wanted:
            out.append(f"page {n}: {lines[-1]}")
    return out
