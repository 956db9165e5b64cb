"""HTML: one self-contained page (charts inline as SVG), same blocks as the PDF."""

from __future__ import annotations

import html

from models.charts import STATUS_COLOURS
from models.export import chart_to_svg
from models.reporting.content import Content, Table
from models.reporting.document import blocks

CSS = ("body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:2em auto;max-width:60em;"
       "line-height:1.6}table{border-collapse:collapse;font-size:13px;margin:.5em 0 1em}td,th{border:1px solid #ccc;"
       "padding:3px 6px;vertical-align:top}th{background:#e8eef7}td.num{text-align:right}tr.total td{background:"
       "#f2f2f2;font-weight:bold}.meta,.note{color:#555;font-size:13px}@media print{.pb{page-break-after:always}}")


def _table(t: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
    status_col = next((i for i, c in enumerate(t.columns) if c in ("状态", "Status")), None)
    rows = []
    for n, row in enumerate(t.rows):
        cells = []
        for i, v in enumerate(row):
            attrs = " class='num'" if i in t.numeric else ""
            if i == status_col and t.statuses and t.statuses[n] in STATUS_COLOURS:
                attrs += f" style='background:{STATUS_COLOURS[t.statuses[n]]}'"
            cells.append(f"<td{attrs}>{html.escape(v)}</td>")
        total = " class='total'" if t.total_row and n == len(t.rows) - 1 else ""
        rows.append(f"<tr{total}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render(c: Content) -> bytes:
    parts = [f"<!doctype html><html lang='{'zh-CN' if c.lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
             f"<title>{html.escape(c.title)}</title><style>{CSS}</style></head><body>"]
    tags = {"title": "h1", "h1": "h2", "h2": "h3", "h3": "h4"}
    for b in blocks(c):
        if b.kind in tags:
            parts.append(f"<{tags[b.kind]}>{html.escape(b.text)}</{tags[b.kind]}>")
        elif b.kind in ("subtitle", "p"):
            parts.append(f"<p>{html.escape(b.text)}</p>")
        elif b.kind in ("meta", "note"):
            parts.append(f"<p class='{b.kind}'>{html.escape(b.text)}</p>")
        elif b.kind == "numbered":
            parts.append("<ol>" + "".join(f"<li>{html.escape(s)}</li>" for s in b.items) + "</ol>")
        elif b.kind == "table":
            parts.append(_table(b.table))
        elif b.kind == "chart":
            parts.append("<figure>" + chart_to_svg(b.chart).decode("utf-8")
                         + (f"<figcaption class='note'>{html.escape(b.text)}</figcaption>" if b.text else "") + "</figure>")
        elif b.kind == "pagebreak":
            parts.append("<div class='pb'></div>")
    parts.append(f"<p class='meta'>{html.escape(c.meta)}</p></body></html>")
    return "\n".join(parts).encode("utf-8")
