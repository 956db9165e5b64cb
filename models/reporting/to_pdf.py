"""PDF (reportlab): A4, CJK font embedded, footer with hash and data version on every page.

Headings keep with what follows (``keepWithNext`` plus a :class:`CondPageBreak` before each heading,
so no heading is left alone at a page foot). The document's creation date is the report's date (the
date printed on page 1) at 00:00 China time, not reportlab's invariant 2000-01-01: the report date is
an input (``build(date=...)``, else ``SOURCE_DATE_EPOCH``, else today), so the same inputs still give
the same bytes, and the file's metadata agrees with what its first page says.
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

from models.charts import STATUS_COLOURS
from models.reporting.content import Content, Table
from models.reporting.document import blocks
from models.reporting.images import png as chart_to_png

WQY_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
HEADING_ROOM_MM = {"h1": 60, "h2": 45, "h3": 35}  # a heading needs this much room below it, else a new page


def font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if "ShapanCJK" in pdfmetrics.getRegisteredFontNames():
        return "ShapanCJK"
    if WQY_FONT.exists():
        pdfmetrics.registerFont(TTFont("ShapanCJK", str(WQY_FONT), subfontIndex=0))
        return "ShapanCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # not embedded; only when WQY is missing
    return "STSong-Light"


def _styles(name: str) -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=name, fontSize=10, leading=15, wordWrap="CJK", spaceAfter=3)
    return {
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=12, textColor="#333333"),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=10, spaceAfter=0),
        "meta": ParagraphStyle("meta", parent=body, fontSize=8, leading=11, textColor="#555555"),
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=26, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11, leading=16),
        "h1": ParagraphStyle("h1", parent=body, fontSize=14, leading=20, spaceBefore=10, spaceAfter=6,
                             keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontSize=11.5, leading=16, spaceBefore=6, spaceAfter=4,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontSize=10, leading=14, spaceBefore=4, spaceAfter=2,
                             keepWithNext=1),
        "item": ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=0, spaceAfter=5),
    }


def _table(t: Table, styles: dict[str, Any], width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, TableStyle
    from reportlab.platypus import Table as RLTable

    cell = styles["cell"]
    right = cell.clone("right", alignment=2)
    body = [[Paragraph(html.escape(c), cell) for c in t.columns]]
    for row in t.rows:
        body.append([Paragraph(html.escape(v), right if i in t.numeric else cell) for i, v in enumerate(row)])
    total = sum(t.widths)
    table = RLTable(body, colWidths=[width * w / total for w in t.widths], repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if t.total_row:
        style.append(("BACKGROUND", (0, len(body) - 1), (-1, len(body) - 1), colors.HexColor("#f2f2f2")))
    if t.statuses and t.rows:
        col = len(t.columns) - 1 if "状态" not in t.columns and "Status" not in t.columns else (
            list(t.columns).index("状态") if "状态" in t.columns else list(t.columns).index("Status"))
        for i, status in enumerate(t.statuses, start=1):
            if status in STATUS_COLOURS:
                style.append(("BACKGROUND", (col, i), (col, i), colors.HexColor(STATUS_COLOURS[status])))
    table.setStyle(TableStyle(style))
    return table


def _flowables(c: Content, styles: dict[str, Any], width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        CondPageBreak,
        Image,
        KeepTogether,
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        Spacer,
    )

    story: list[Any] = []
    headings: set[int] = set()  # positions in story of heading paragraphs
    for b in blocks(c):
        if b.kind in HEADING_ROOM_MM:
            story.append(CondPageBreak(HEADING_ROOM_MM[b.kind] * mm))
            headings.add(len(story))
            story.append(Paragraph(html.escape(b.text), styles[b.kind]))
        elif b.kind in ("title", "subtitle", "meta", "p", "note"):
            story.append(Paragraph(html.escape(b.text), styles["body" if b.kind == "p" else b.kind]))
        elif b.kind == "numbered":
            items = [ListItem(Paragraph(html.escape(s), styles["item"]), value=i) for i, s in enumerate(b.items, 1)]
            story.append(ListFlowable(items, bulletType="1", bulletFormat="%s.", bulletFontName=styles["body"].fontName,
                                      leftIndent=14))
        elif b.kind == "table":
            story.append(_table(b.table, styles, width))
        elif b.kind == "chart":
            png = chart_to_png(b.chart, scale=2)
            parts = [Spacer(1, 3 * mm), Image(io.BytesIO(png), width=width, height=width * 0.42, kind="proportional")]
            if b.text:
                parts.append(Paragraph(html.escape(b.text), styles["note"]))
            story.append(KeepTogether(parts))
        elif b.kind == "pagebreak":
            story.append(PageBreak())
    return _keep_headings_with_next(story, headings, KeepTogether)


def _keep_headings_with_next(story: list[Any], headings: set[int], keep: Any) -> list[Any]:
    """Each run of headings and the flowable after it in one ``KeepTogether``: ``keepWithNext`` alone lets a
    heading stay at a page foot when what follows is itself a KeepTogether (a chart with its caption)."""
    out: list[Any] = []
    run: list[Any] = []
    for i, flowable in enumerate(story):
        if i in headings:
            run.append(flowable)
        elif run:
            out.append(keep([*run, flowable]))
            run = []
        else:
            out.append(flowable)
    return out + run


def pdf_date(date: str) -> str:
    """``2026-01-02`` → the PDF date string ``D:20260102000000+08'00'``."""
    return f"D:{date.replace('-', '')[:8]}000000+08'00'"


def render(c: Content) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    name = font()
    styles = _styles(name)
    width = A4[0] - 30 * mm

    def page(canvas: Any, doc: Any) -> None:
        canvas.setDateFormatter(lambda *_: pdf_date(c.date))
        canvas.setFont(name, 7)
        canvas.drawString(15 * mm, 10 * mm, c.footer.format(page=doc.page))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=18 * mm, title=c.title, author="民政规划沙盘" if c.lang == "zh" else "Shapan",
                            subject=c.meta, invariant=1)
    doc.build(_flowables(c, styles, width), onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()
