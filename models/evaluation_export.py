"""The 期末评估 section (:mod:`models.evaluation_report`) as a stand-alone document: HTML (escaped, printable,
Chinese first) and an xlsx workbook (one sheet for the text, one per table, the full evaluation table and a
provenance sheet with the forecast scenario's hash and the data version)."""

from __future__ import annotations

import html

import pandas as pd

from models import evaluation_report as er
from models.export import to_xlsx_bytes

CSS = ("body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;max-width:60em;margin:2em auto;"
       "line-height:1.6}table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #999;"
       "padding:2px 6px;font-size:0.9em}th{background:#eee}.note{color:#555;font-size:0.9em}")


def to_html(blocks: list[er.SectionBlock], title: str, meta: str, lang: str = "zh") -> bytes:
    """A self-contained HTML document; every text is escaped (actual sources are typed by users)."""
    esc = html.escape
    out = [f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
           f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{esc(title)}</h1>", f'<p class="note">{esc(meta)}</p>']
    for b in blocks:
        if b.kind == "h1":
            out.append(f"<h2>{esc(b.text)}</h2>")
        elif b.kind == "h2":
            out.append(f"<h3>{esc(b.text)}</h3>")
        elif b.kind == "numbered":
            out.append("<ol>" + "".join(f"<li>{esc(i)}</li>" for i in b.items) + "</ol>")
        elif b.kind == "table" and b.table is not None:
            head = "".join(f"<th>{esc(str(c))}</th>" for c in b.table.columns)
            rows = "".join("<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>"
                           for row in b.table.itertuples(index=False))
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif b.kind == "note":
            out.append(f'<p class="note">{esc(b.text)}</p>')
        else:
            out.append(f"<p>{esc(b.text)}</p>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")


def to_xlsx(blocks: list[er.SectionBlock], evaluation: pd.DataFrame, provenance: dict[str, str],
            lang: str = "zh") -> bytes:
    """Sheets: the text (headings, paragraphs, numbered lines), each section's table, the full evaluation."""
    zh = lang == "zh"
    lines, sheets, heading = [], {}, ""
    for b in blocks:
        if b.kind in ("h1", "h2"):
            heading = b.text
            lines.append(b.text)
        elif b.kind == "numbered":
            lines += [f"{i}. {item}" for i, item in enumerate(b.items, 1)]
        elif b.kind == "table" and b.table is not None:
            sheets[heading.split("）")[-1] or heading] = b.table
        else:
            lines.append(b.text)
    book = {"评估报告" if zh else "report": pd.DataFrame({"评估报告" if zh else "report": lines}), **sheets,
            "评估明细" if zh else "evaluation": evaluation,
            "provenance": pd.DataFrame({"key": list(provenance), "value": list(provenance.values())})}
    return to_xlsx_bytes(book)
