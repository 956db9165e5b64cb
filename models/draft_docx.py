"""The 十五五 draft's indicator table as a Word document, ready to paste into the plan (issue 16, part 3).

One 专栏-style table — 序号, 指标（单位）, 2025年基期, 2030年目标, 属性 — from :func:`models.draft.indicator_table`,
under the heading the plans use ("“十五五”时期…主要指标"), with a note saying where the base figures and targets
come from and the draft's scenario hash and data version. Real Word table (Table Grid) so the 规划科 can edit
it; Chinese in 宋体/黑体 through the East-Asian font attribute, as the report's Word file
(:mod:`models.reporting.to_docx`). Same inputs, same bytes: the zip members carry the given date.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd

from models import draft as dr
from models.reporting import stable
from models.reporting.to_docx import BODY_FONT, HEADING_FONT, _east_asian

WORDS = {
    "title": ("专栏　“十五五”时期{name}民政事业发展主要指标（草案）",
              "Box: main indicators of {name}'s civil-affairs development in the 15th plan period (draft)"),
    "note": ("注：{year}年基期为用户录入的实际值（或由其推算、按2020年信息预测，见测算表）；2030年目标为草案建议值或"
             "规划编制人员设定值，依据见测算表。方案哈希 {hash}，数据版本 {version}。",
             "Note: {year} base figures are the actuals entered by the user (or derived from them, or projected from "
             "2020 information: see the calculation sheet); 2030 targets are the draft's suggestions or the planners' "
             "own, with reasons in the calculation sheet. Scenario hash {hash}, data version {version}."),
}


def export_docx(ds: Any, table: pd.DataFrame, district: str, scenario_hash: str, lang: str = "zh",
                date: str = "2026-01-01") -> bytes:
    """The 专栏 indicator table of the draft (``table``: :func:`models.draft.draft`) as .docx bytes."""
    from docx import Document
    from docx.shared import Pt

    i = 0 if lang == "zh" else 1
    doc = Document()
    for style, font in (("Normal", BODY_FONT), ("Heading 2", HEADING_FONT)):
        _east_asian(doc.styles[style], font)
    props = doc.core_properties
    props.created = props.modified = dt.datetime.fromisoformat(date)
    props.author = props.last_modified_by = "Shapan"
    props.revision = 1
    row = ds.district(district)
    doc.add_heading(WORDS["title"][i].format(name=row["name_zh"] if i == 0 else row["name_en"]), level=2)
    frame = dr.indicator_table(ds, table, lang)
    grid = doc.add_table(rows=1, cols=len(frame.columns))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, frame.columns, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in frame.itertuples(index=False):
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "—" if value is None or (isinstance(value, float) and value != value) else f"{value:g}" \
                if isinstance(value, float) else str(value)
    note = doc.add_paragraph(WORDS["note"][i].format(year=int(table["base_year"].iloc[0]) if len(table) else "",
                                                     hash=scenario_hash, version=ds.version))
    for run in note.runs:
        run.font.size = Pt(9)
    out = io.BytesIO()
    doc.save(out)
    return stable.rezip(out.getvalue(), date)
