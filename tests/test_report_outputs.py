"""Every report format for every district in both languages, checked as a reader would see it (issue 15):
no internal ids, no None/nan/True/False, no float with more decimals than its unit, no English in the
Chinese report beyond a short allow-list, no heading alone at the foot of a PDF page, no duplicate
heading, the 合计 row complete, whole people and beds in the workbook, a real PDF creation date.

One prepared report per district and language (200 Monte Carlo draws), composed once and rendered in
all five formats.
"""

from __future__ import annotations

import io
import re

import pytest
import report_text as rt
from pypdf import PdfReader

from models import presets, report
from models.data import load_dataset
from models.reporting import document
from models.reporting.content import compose
from models.resolve import resolve

DATE = "2026-03-15"
DS = load_dataset()
DISTRICTS = list(DS.districts["id"])


@pytest.fixture(scope="module", params=[(d, lang) for d in DISTRICTS for lang in ("zh", "en")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def rendered(request):
    district, lang = request.param
    res = resolve(presets.load_preset(district, "plan", DS), DS)
    data = report.prepare(res, DS, lang, mc_n=200)
    content = compose(data, DS, lang, DATE)
    files = {fmt: report.render(data, content, DS, fmt) for fmt in report.FORMATS}
    return district, lang, res, content, files


def test_text_formats_are_clean(rendered):
    _, lang, res, _, files = rendered
    texts = {"pdf": "\n".join(rt.pdf_pages(files["pdf"])), "html": rt.html_text(files["html"]),
             "docx": rt.docx_text(files["docx"]), "pptx": rt.pptx_text(files["pptx"])}
    for fmt, text in texts.items():
        assert res.hash in text, fmt
        assert rt.problems(text, lang) == [], fmt


def test_workbook_is_clean(rendered):
    _, lang, res, _, files = rendered
    cells = rt.xlsx_cells(files["xlsx"])
    text = "\n".join(str(v) for _, v in cells if isinstance(v, str))
    assert res.hash in text
    assert rt.problems(text, lang) == []
    long_floats = [(s, v) for s, v in cells if isinstance(v, float) and len(repr(v).split(".")[-1]) > 3]
    assert long_floats == []


def test_people_and_beds_are_whole_numbers_in_the_workbook(rendered):
    from openpyxl import load_workbook

    _, lang, _, _, files = rendered
    wb = load_workbook(io.BytesIO(files["xlsx"]))
    ws = wb[wb.sheetnames[3]]  # projections
    units = ("（人）", "（张）") if lang == "zh" else ("(persons)", "(beds)")
    counted = 0
    for col in ws.iter_cols(min_row=1):
        if isinstance(col[0].value, str) and col[0].value.endswith(units):
            values = [c.value for c in col[1:] if c.value is not None]
            assert all(isinstance(v, int) for v in values), col[0].value
            counted += len(values)
    assert counted > 0


def test_pdf_has_no_stranded_heading_and_a_real_date(rendered):
    _, _, res, content, files = rendered
    pages = rt.pdf_pages(files["pdf"])
    assert rt.stranded_headings(pages, document.headings(content), res.hash) == []
    info = PdfReader(io.BytesIO(files["pdf"])).metadata
    assert str(info["/CreationDate"]).startswith("D:20260315")


def test_headings_unique_and_in_official_order(rendered):
    _, lang, _, content, _ = rendered
    heads = document.headings(content)
    top = [h for h in heads if re.match(r"^(一|二|三|四|[1-4]\.)", h)]
    assert len(heads) == len(set(heads))
    assert top == sorted(top, key=heads.index)
    assert top[0].startswith("一、" if lang == "zh" else "1.")


def test_summary_is_on_page_one_and_short(rendered):
    _, _, _, content, files = rendered
    first = rt.pdf_pages(files["pdf"])[0]
    assert 2 <= len(content.findings) <= 5
    assert content.decisions
    for sentence in content.findings[:1] + content.decisions[:1]:
        assert sentence[:12].replace(" ", "") in first.replace(" ", "").replace("\n", "")


def test_total_row_has_every_year(rendered):
    _, _, _, content, _ = rendered
    if content.cost_table is None:
        pytest.skip("nothing costed for this district")
    total = content.cost_table.rows[-1]
    assert all(cell not in ("", "—") for cell in total), total


def test_same_inputs_same_bytes():
    res = resolve(presets.load_preset("wulong", "plan", DS), DS)
    for fmt in report.FORMATS:
        a = report.build(res, DS, fmt, date=DATE, mc_n=100)
        b = report.build(res, DS, fmt, date=DATE, mc_n=100)
        assert a == b, fmt


def test_checker_catches_what_it_should():
    bad = "dibao_urban 与 None、nan，55,274.892人，13.35张，Projected 2025"
    found = rt.problems(bad, "zh")
    assert any(f.startswith("id:") for f in found)
    assert "leak: None" in found
    assert "leak: nan" in found
    assert "long float: 55,274.892" in found
    assert "decimals: 13.35张" in found
    assert "english: Projected" in found
    assert rt.problems("51.2张/千名老人，29,341.0万元，83,486人，51.2%", "zh") == []
    pages = ["前文\n二、关键趋势\n武隆区 · 方案哈希 abc", "正文"]
    assert rt.stranded_headings(pages, ["二、关键趋势"], "方案哈希") == ["page 1: 二、关键趋势"]
