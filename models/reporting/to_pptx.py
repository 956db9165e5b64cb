"""Slides (python-pptx) for the meeting: title, summary, one slide per domain with its chart and two lines
of text, cost, decisions. 16:9; every slide's footer carries the scenario hash and data version.

Fonts: text runs name a Latin face and an East-Asian face (``a:ea`` = 微软雅黑, with 黑体-class
fallbacks on machines without it); PowerPoint and WPS pick the East-Asian face for Chinese, so the deck
shows no tofu on a Chinese Windows machine. Charts are PNG pictures rendered from the same Vega-Lite
specs as the PDF (vl-convert, Noto Sans CJK SC), so they look the same everywhere.
"""

from __future__ import annotations

import io
from typing import Any

from models.reporting import stable
from models.reporting.content import Content, Table
from models.reporting.images import png as chart_to_png
from models.reporting.words import W

LATIN_FONT = "Arial"
EA_FONT = "Microsoft YaHei"  # 微软雅黑: on every Chinese Windows/Office; WPS maps it too
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MAX_TABLE_ROWS = 8
ROW_H_IN = 0.4


def _font(run: Any, size: float, bold: bool = False, colour: str | None = None) -> None:
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN_FONT
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        node = rpr.find(qn(tag))
        if node is None:
            node = rpr.makeelement(qn(tag), {})
            rpr.append(node)
        node.set("typeface", EA_FONT)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _text(slide: Any, box: tuple[float, float, float, float], lines: list[str], size: float,
          bold: bool = False, numbered: bool = False, colour: str | None = None) -> None:
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    frame = shape.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.space_after = Pt(size * 0.6)
        run = para.add_run()
        run.text = f"{i + 1}. {line}" if numbered else line
        _font(run, size, bold, colour)


def _frame(slide: Any, c: Content, title: str) -> None:
    _text(slide, (0.5, 0.3, SLIDE_W_IN - 1.0, 0.8), [title], 26, bold=True, colour="1F3864")
    _text(slide, (0.5, SLIDE_H_IN - 0.45, SLIDE_W_IN - 1.0, 0.3), [c.meta], 9, colour="666666")


def _table(slide: Any, t: Table, box: tuple[float, float, float, float]) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    rows = t.rows[:MAX_TABLE_ROWS]
    left, top, width, _ = box  # rows as high as their text (a box height would stretch them)
    shape = slide.shapes.add_table(len(rows) + 1, len(t.columns), Inches(left), Inches(top), Inches(width),
                                   Inches(ROW_H_IN * (len(rows) + 1)))
    for row in shape.table.rows:
        row.height = Inches(ROW_H_IN)
    total = sum(t.widths)
    for j, w in enumerate(t.widths):
        shape.table.columns[j].width = Inches(box[2] * w / total)
    for i, row in enumerate([t.columns, *rows]):
        for j, text in enumerate(row):
            cell = shape.table.cell(i, j)
            cell.text = ""
            para = cell.text_frame.paragraphs[0]
            if j in t.numeric:
                para.alignment = PP_ALIGN.RIGHT
            run = para.add_run()
            run.text = text
            _font(run, 10, bold=(i == 0 or (t.total_row and i == len(rows))))


def render(c: Content) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    blank = deck.slide_layouts[6]
    deck.core_properties.title = c.title
    deck.core_properties.subject = c.meta

    slide = deck.slides.add_slide(blank)  # title
    _text(slide, (0.8, 2.4, SLIDE_W_IN - 1.6, 1.2), [c.title], 36, bold=True, colour="1F3864")
    _text(slide, (0.8, 3.7, SLIDE_W_IN - 1.6, 1.6), [c.subtitle, c.plan, c.meta], 14, colour="444444")

    slide = deck.slides.add_slide(blank)  # summary
    _frame(slide, c, W("slide_summary", c.lang))
    _text(slide, (0.6, 1.3, SLIDE_W_IN - 1.2, 5.6), list(c.findings), 16, numbered=True)

    for label, trend, lines, table in c.domain_slides:  # one per domain
        slide = deck.slides.add_slide(blank)
        _frame(slide, c, label)
        if trend is not None:
            slide.shapes.add_picture(io.BytesIO(chart_to_png(trend.spec, scale=2)), Inches(0.6), Inches(1.2),
                                     width=Inches(SLIDE_W_IN - 1.2), height=Inches(4.4))
            _text(slide, (0.6, 5.75, SLIDE_W_IN - 1.2, 1.2), list(lines), 15)
        else:
            _text(slide, (0.6, 1.2, SLIDE_W_IN - 1.2, 1.0), list(lines), 15)
            _table(slide, table, (0.6, 2.3, SLIDE_W_IN - 1.2, 3.8))
            if len(table.rows) > MAX_TABLE_ROWS:
                _text(slide, (0.6, 6.5, SLIDE_W_IN - 1.2, 0.4),
                      [W("slide_more", c.lang, n=len(table.rows) - MAX_TABLE_ROWS)], 11, colour="444444")

    slide = deck.slides.add_slide(blank)  # cost
    _frame(slide, c, W("slide_cost", c.lang))
    if c.cost_table is not None:
        _table(slide, c.cost_table, (0.5, 1.2, SLIDE_W_IN - 1.0, 0.0))
        chart_top = 1.2 + ROW_H_IN * (min(len(c.cost_table.rows), MAX_TABLE_ROWS) + 1) + 0.2
        if c.cost_chart is not None and chart_top < 5.5:
            slide.shapes.add_picture(io.BytesIO(chart_to_png(c.cost_chart, scale=2)), Inches(0.5), Inches(chart_top),
                                     height=Inches(6.4 - chart_top))
    _text(slide, (0.5, 6.5 if c.cost_table is not None else 1.4, SLIDE_W_IN - 1.0, 0.6),
          [" ".join(c.cost_notes)], 11, colour="444444")

    slide = deck.slides.add_slide(blank)  # decisions
    _frame(slide, c, W("slide_decisions", c.lang))
    _text(slide, (0.6, 1.3, SLIDE_W_IN - 1.2, 5.6), list(c.decisions), 18, numbered=True)

    return stable.save(deck, c.date)  # same inputs, same bytes
