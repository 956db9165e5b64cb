"""Find the indicator tables of a plan document (plain text or .docx) -- layout only, no meaning.

Plans are issued as .docx (or PDF pasted into text). Their indicator tables (专栏/表 “主要指标”) arrive
in one of a few shapes, all handled by rules:

* a real table (.docx): rows of cells;
* text, one row a line, cells separated by tabs (``序号\\t主要指标\\t单位\\t2020年\\t2025年\\t指标属性``);
* text, one cell a line starting with a tab, rows separated by blank lines; a line without the tab
  continues the cell above (a header printed as ``2020年`` / ``基数值`` on two lines);
* text, one cell a line ending in ``|``.

A table starts at a header: cells that read like column titles (序号, 指标, 单位, 20xx年, 属性, 目标 ...),
among them a label column and at least one year. The data cells after it are cut into rows of the
header's width, re-synchronised on the 序号 column when there is one. The title is the nearest line
above the header; the context the last chapter/section heading (第X章, 第X节) before it.

Pure: text or bytes in, :class:`Table` objects out. :mod:`models.plan_extract` gives them meaning.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

HEADER_RE = re.compile(r"序号|指标|单位|20\d\d\s*年|属性|目标|基数|基期|现状|实现|完成|情况|规划|备注|类别|领域|序|值")
YEAR_RE = re.compile(r"(20\d\d)\s*年")
HEADING_RE = re.compile(r"^\s*(第[一二三四五六七八九十百\d]+[章节篇部分]|[一二三四五六七八九十]+、)")
BLANK_CELLS = {"", "|"}
MAX_HEADER_CELLS = 12
MAX_CELL_CHARS = 80


@dataclass
class Table:
    """One table: header cells, data rows (lists of cell text), where it was found."""

    title: str
    context: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    line: int = 0  # 1-based line of the header in the text (0 for a .docx table)


def _clean(cell: str) -> str:
    return re.sub(r"\s+", " ", cell.replace("|", " ")).strip()


def _squeeze(cell: str) -> str:
    """Header text without spaces (``指  标  名  称`` -> ``指标名称``)."""
    return re.sub(r"\s+", "", cell)


def is_header(cells: list[str]) -> bool:
    """A plausible indicator-table header: short header-like cells, a label column and a year column."""
    cells = [_squeeze(c) for c in cells if _clean(c)]
    if not 3 <= len(cells) <= MAX_HEADER_CELLS or any(len(c) > 40 for c in cells):
        return False
    if not all(HEADER_RE.search(c) for c in cells):
        return False
    has_label = any("指标" in c and not YEAR_RE.search(c) and "属性" not in c for c in cells)
    return has_label and any(YEAR_RE.search(c) for c in cells)


def _header_prefix(cells: list[str]) -> int:
    """How many leading cells form the header (header words only, short)."""
    n = 0
    while n < len(cells) and n < MAX_HEADER_CELLS and len(cells[n]) <= 40 and HEADER_RE.search(_squeeze(cells[n])):
        n += 1
    return n


def _rows(cells: list[str], width: int, serial: int | None) -> list[list[str]]:
    """Cut a flat cell list into rows of ``width``; re-synchronise on the serial column when given."""
    rows, i, expected = [], 0, 1
    while i + width <= len(cells):
        row = cells[i : i + width]
        if serial is not None and row[serial] != str(expected):
            ahead = [j for j in range(i, min(len(cells), i + 2 * width)) if cells[j] == str(expected)]
            if not ahead:
                break
            i = ahead[0] - serial
            if i < 0:
                break
            continue
        rows.append(row)
        i += width
        expected += 1
    return rows


def _serial(header: list[str]) -> int | None:
    return next((j for j, h in enumerate(header) if h.replace(" ", "") in {"序号", "序"}), None)


# ------------------------------------------------------------------------------------------ text layouts


def _tab_layout(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """Tab-separated rows from ``start`` (the header); returns the rows and the line after the table."""
    rows, i = [], start
    while i < len(lines):
        parts = [_clean(p) for p in lines[i].split("\t")]
        if not lines[i].strip():
            i += 1
            continue
        if len([p for p in parts if p]) < 3:
            break
        rows.append(parts if parts[0] or i == start else parts[1:])
        i += 1
    return rows, i


def _cell_layout(lines: list[str], start: int, pipe: bool) -> tuple[list[str], int]:
    """One cell a line (leading tab, or trailing ``|``); continuation lines join the cell above."""
    cells: list[str] = []
    i = start
    while i < len(lines):
        raw = lines[i]
        if not raw.strip() and not (raw.startswith("\t") and not pipe):  # a lone tab is an empty cell
            i += 1
            continue
        is_cell = raw.rstrip().endswith("|") if pipe else raw.startswith("\t")
        if is_cell:
            cells.append(_clean(raw))
        elif cells and len(raw.strip()) <= 12 and not HEADING_RE.match(raw) and not pipe:
            cells[-1] = _clean(cells[-1] + raw)  # 2020年 / 基数值 printed on two lines
        else:
            break
        i += 1
    return cells, i


def _title(lines: list[str], start: int) -> str:
    for j in range(start - 1, max(-1, start - 4), -1):
        text = lines[j].strip()
        if text and not lines[j].startswith("\t") and not text.endswith("|"):
            return _clean(text)[:60]
    return ""


def _context(lines: list[str], start: int) -> str:
    chapter = section = ""
    for text in lines[:start]:
        m = HEADING_RE.match(text)
        if not m:
            continue
        head = _clean(text)[:30]
        if "节" in m.group(1):
            section = head
        else:
            chapter, section = head, ""
    return " ".join(p for p in (chapter, section) if p)


def _from_cells(cells: list[str]) -> tuple[list[str], list[list[str]]] | None:
    n = _header_prefix(cells)
    header = [_squeeze(c) for c in cells[:n]]
    if not is_header(header):
        return None
    return header, _rows(cells[n:], len(header), _serial(header))


def tables_from_text(text: str) -> list[Table]:
    """Every indicator table in plain text (see the module doc for the layouts)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tables, i = [], 0
    while i < len(lines):
        line = lines[i]
        found = None
        if "\t" in line.strip() and is_header(line.split("\t")):
            rows, end = _tab_layout(lines, i)
            header = [c for c in rows[0] if c]
            body = [r[: len(rows[0])] for r in rows[1:]]
            found = (header, [r for r in body if len([c for c in r if c]) >= 2]), end
        elif line.startswith("\t") or line.rstrip().endswith("|"):
            pipe = not line.startswith("\t")
            cells, end = _cell_layout(lines, i, pipe)
            parsed = _from_cells(cells)
            if parsed:
                found = parsed, end
        if found:
            (header, rows), end = found
            if rows:
                tables.append(Table(_title(lines, i), _context(lines, i), header, rows, i + 1))
            i = max(end, i + 1)
        else:
            i += 1
    return tables


# ------------------------------------------------------------------------------------------------- docx


def _docx_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        seen: list = []
        cells = []
        for cell in row.cells:  # a merged cell is repeated (same XML element): keep it once
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)  # keep the element alive: identity, not a recycled id()
            cells.append(_clean(cell.text))
        rows.append(cells)
    return rows


def tables_from_docx(data: bytes) -> list[Table]:
    """Real tables of a .docx in body order, plus tables typed as paragraphs (parsed as text)."""
    from docx import Document  # python-docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data))
    tables: list[Table] = []
    paragraphs: list[str] = []
    chapter = section = ""
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(block, doc).text
            paragraphs.append(text)
            m = HEADING_RE.match(text)
            if m:
                head = _clean(text)[:30]
                chapter, section = (head, "") if "节" not in m.group(1) else (chapter, head)
        elif tag == "tbl":
            rows = _docx_rows(DocxTable(block, doc))
            head_at = next((k for k, r in enumerate(rows[:3]) if is_header(r)), None)
            if head_at is None:
                continue
            header = rows[head_at]
            body = [r for r in rows[head_at + 1 :] if len([c for c in r if c]) >= 2]
            title = next((_clean(p)[:60] for p in reversed(paragraphs[-3:]) if p.strip()), "")
            tables.append(Table(title, " ".join(p for p in (chapter, section) if p), header, body))
    return tables + tables_from_text("\n".join(paragraphs))
