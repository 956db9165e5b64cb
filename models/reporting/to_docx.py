"""Word (python-docx): the same blocks as the PDF, with real Word headings (Heading 1–3, so the 规划科
can move sections and build a table of contents) and real Word tables it can edit and paste.

Chinese text is set in 宋体/黑体 through the East-Asian font attribute (``w:eastAsia``), which Word and
WPS use for CJK characters; charts are PNG pictures from the same Vega-Lite specs as the PDF.
"""

from __future__ import annotations

import io
from typing import Any

from models.charts import STATUS_COLOURS
from models.reporting import stable
from models.reporting.content import Content, Table
from models.reporting.document import blocks
from models.reporting.images import png as chart_to_png

BODY_FONT = ("SimSun", "宋体")  # (Latin name, East-Asian name)
HEADING_FONT = ("SimHei", "黑体")


def _east_asian(style_or_run: Any, font: tuple[str, str]) -> None:
    from docx.oxml.ns import qn

    style_or_run.font.name = font[0]
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font[1])


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): colour.lstrip("#")})
    tcpr.append(shd)


def _table(doc: Any, t: Table, width: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, t.columns, strict=True):
        cell.text = text
        _shade(cell, "#e8eef7")
    status_col = next((i for i, c in enumerate(t.columns) if c in ("状态", "Status")), None)
    for n, row in enumerate(t.rows):
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if i in t.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if i == status_col and t.statuses and t.statuses[n] in STATUS_COLOURS:
                _shade(cell, STATUS_COLOURS[t.statuses[n]])
            if t.total_row and n == len(t.rows) - 1:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    total = sum(t.widths)
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            cell.width = int(width * t.widths[j] / total)
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8)


def render(c: Content) -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    _east_asian(doc.styles["Normal"], BODY_FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _east_asian(doc.styles[name], HEADING_FONT)
    doc.core_properties.title = c.title
    doc.core_properties.subject = c.meta
    doc.core_properties.author = "民政规划沙盘" if c.lang == "zh" else "Shapan"
    footer = section.footer.paragraphs[0]
    footer.text = c.footer.replace("{page}", "").rstrip(" ·第页page")
    width = section.page_width - section.left_margin - section.right_margin
    levels = {"h1": 1, "h2": 2, "h3": 3}
    for b in blocks(c):
        if b.kind == "title":
            doc.add_heading(b.text, level=0)
        elif b.kind in levels:
            doc.add_heading(b.text, level=levels[b.kind])
        elif b.kind in ("subtitle", "meta", "p", "note"):
            para = doc.add_paragraph(b.text)
            if b.kind in ("meta", "note"):
                for run in para.runs:
                    run.font.size = Pt(9)
        elif b.kind == "numbered":  # numbers written out: each list starts at 1 (Word's List Number continues)
            for i, item in enumerate(b.items, 1):
                para = doc.add_paragraph(f"{i}. {item}")
                para.paragraph_format.left_indent = Mm(6)
                para.paragraph_format.first_line_indent = Mm(-6)
        elif b.kind == "table":
            _table(doc, b.table, width)
        elif b.kind == "chart":
            doc.add_picture(io.BytesIO(chart_to_png(b.chart, scale=2)), width=width)
            doc.paragraphs[-1].paragraph_format.keep_with_next = bool(b.text)
            if b.text:
                for run in doc.add_paragraph(b.text).runs:
                    run.font.size = Pt(9)
        elif b.kind == "pagebreak":
            doc.add_page_break()
    return stable.save(doc, c.date)  # same inputs, same bytes
