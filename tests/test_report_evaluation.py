"""The report pack with actuals (issue 16): the 期末评估 section (overall judgement, targets met, targets
missed with reasons to fill in, lessons) and the 十五五 draft (both plans side by side, reasons, who decides)
appear in PDF, Word, HTML and xlsx, in both languages, and pass the report's output checks
(tests/report_text.py: no ids, no None/nan/True/False, no over-precise numbers, no English in the Chinese
report, no heading stranded at a page foot). Without actuals the sections are absent. Actuals are made up
(tests/fixtures/actuals_wulong_2025.csv)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import report_text as rt

from models import backtest, cli, presets, report
from models.data import load_dataset
from models.reporting import document
from models.reporting import evaluation_section as es
from models.reporting.content import compose
from models.resolve import resolve

DATE = "2026-03-15"
DS = load_dataset()
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "actuals_wulong_2025.csv"
DISTRICT = "wulong"
TEXT_FORMATS = ("pdf", "html", "docx")


def actuals():
    return backtest.read_actuals(FIXTURE.read_bytes(), FIXTURE.name, DS, DISTRICT)


@pytest.fixture(scope="module", params=["zh", "en"])
def rendered(request):
    lang = request.param
    res = resolve(presets.load_preset(DISTRICT, "plan", DS), DS)
    data = report.prepare(res, DS, lang, mc_n=200, actuals=actuals())
    content = compose(data, DS, lang, DATE)
    files = {fmt: report.render(data, content, DS, fmt) for fmt in (*TEXT_FORMATS, "xlsx")}
    return lang, res, content, files


def text_of(fmt: str, data: bytes) -> str:
    return {"pdf": lambda d: "\n".join(rt.pdf_pages(d)), "html": rt.html_text, "docx": rt.docx_text}[fmt](data)


def test_sections_in_every_text_format(rendered):
    lang, _res, _content, files = rendered
    heads = [es.w("h_eval", lang), es.w("h_draft", lang), es.w("h_plans", lang)]
    order = [
        "（一）总体评价" if lang == "zh" else "5.1 Overall judgement",
        "（二）目标完成情况" if lang == "zh" else "5.2 Targets achieved",
        "（三）未完成目标及原因分析" if lang == "zh" else "5.3 Targets missed and why",
        "（四）经验与启示" if lang == "zh" else "5.4 Lessons",
    ]
    for fmt in TEXT_FORMATS:
        text = text_of(fmt, files[fmt]).replace("\n", "")
        for head in heads + order:
            assert head in text, (fmt, head)
        positions = [text.index(h) for h in order]
        assert positions == sorted(positions), fmt  # the 评估报告 order
        assert ("【待填写】" if lang == "zh" else "[to be filled in]") in text


def test_sections_pass_the_output_checks(rendered):
    lang, _res, _content, files = rendered
    for fmt in TEXT_FORMATS:
        assert rt.problems(text_of(fmt, files[fmt]), lang) == [], fmt
    cells = rt.xlsx_cells(files["xlsx"])
    text = "\n".join(str(v) for _, v in cells if isinstance(v, str))
    assert rt.problems(text, lang) == []
    assert [(s, v) for s, v in cells if isinstance(v, float) and len(repr(v).split(".")[-1]) > 3] == []
    sheets = {s for s, _ in cells}
    assert {es.w("sheet_eval", lang), es.w("sheet_eval_rows", lang), es.w("sheet_plans", lang)} <= sheets


def test_no_stranded_heading_and_unique_headings(rendered):
    _lang, res, content, files = rendered
    heads = document.headings(content)
    assert len(heads) == len(set(heads))
    assert rt.stranded_headings(rt.pdf_pages(files["pdf"]), heads, res.hash) == []


def test_missed_targets_named_with_hand_computed_gaps(rendered):
    lang, _, _, files = rendered
    text = rt.html_text(files["html"])
    if lang == "zh":  # 1,500 − 1,420 = 80 人; 85 − 627/760×100 = 2.5 个百分点 (武隆 专栏1)
        assert "社会工作专业人才数：目标≥1,500，实际1,420，差距80人" in text
        assert "农村/城市低保标准比：目标≥85.0，实际82.5，差距2.5个百分点" in text
    else:
        assert "target ≥1,500, actual 1,420, short by 80 persons" in text


def test_without_actuals_no_section():
    res = resolve(presets.load_preset(DISTRICT, "plan", DS), DS)
    data = report.prepare(res, DS, "zh", mc_n=100)
    content = compose(data, DS, "zh", DATE)
    assert content.evaluation == ()
    assert es.w("h_eval", "zh") not in document.headings(content)


def test_cli_report_with_actuals(tmp_path, capsys):
    out = tmp_path / "wulong.html"
    code = cli.main(["report", "--district", DISTRICT, "--format", "html", "--actuals", str(FIXTURE),
                     "--date", DATE, "--out", str(out), "--json"])
    assert code in (0, None)
    payload = json.loads(capsys.readouterr().out)
    assert payload["path"] == str(out)
    text = rt.html_text(out.read_bytes())
    assert es.w("h_eval", "zh") in text
    assert es.w("h_draft", "zh") in text
