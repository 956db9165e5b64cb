"""Report pack: PDF (CJK font embedded, hash on every page), xlsx (≥ 3 sheets), HTML."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from models import charts, presets, report
from models.data import load_dataset
from models.resolve import resolve


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def wulong(ds):
    return resolve(presets.load_preset("wulong", "plan", ds), ds)


def test_pdf_embeds_cjk_font_and_carries_hash(ds, wulong, tmp_path):
    pdf = report.build(wulong, ds, "pdf", date="2026-01-01", mc_n=200)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            obj = font.get_object()
            fonts.add(str(obj.get("/BaseFont")))
            descendants = obj.get("/DescendantFonts")
            if descendants:
                for d in descendants:
                    desc = d.get_object().get("/FontDescriptor")
                    if desc is not None:
                        assert any(k in desc.get_object() for k in ("/FontFile2", "/FontFile", "/FontFile3")), (
                            "CJK font must be embedded"
                        )
    assert any("WenQuanYi" in f or "ShapanCJK" in f or "wqy" in f.lower() for f in fonts), fonts
    text = reader.pages[0].extract_text()
    assert wulong.hash in text
    assert wulong.data_version in text
    assert "武隆区" in text
    for page in reader.pages:
        assert wulong.hash in page.extract_text()


def test_pdf_renders_to_png(ds, wulong, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(report.build(wulong, ds, "pdf", date="2026-01-01", mc_n=200))
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    assert list(tmp_path.glob("p*.png"))


def test_xlsx_has_sheets_and_hash(ds, wulong):
    data = report.build(wulong, ds, "xlsx", date="2026-01-01", mc_n=200)
    wb = load_workbook(io.BytesIO(data))
    assert len(wb.sheetnames) >= 3
    about = wb[wb.sheetnames[0]]
    values = [c.value for row in about.iter_rows() for c in row]
    assert wulong.hash in values
    assert wulong.data_version in values
    score = wb["全部目标"]
    assert score.max_row > 10


def test_html_contains_scorecard_and_svg(ds, wulong):
    text = report.build(wulong, ds, "html", date="2026-01-01", mc_n=200).decode("utf-8")
    assert wulong.hash in text
    assert "<svg" in text
    assert "二、目标评分" in text
    heads = [f"<h2>{h}</h2>" for h in ("一、要点摘要", "二、目标评分", "三、关键趋势", "四、财政成本", "附录")]
    assert [text.index(h) for h in heads] == sorted(text.index(h) for h in heads)


def test_report_is_reproducible(ds, wulong):
    a = report.build(wulong, ds, "xlsx", date="2026-01-01", mc_n=200)
    b = report.build(wulong, ds, "xlsx", date="2026-01-01", mc_n=200)
    wa, wb = load_workbook(io.BytesIO(a)), load_workbook(io.BytesIO(b))
    for name in wa.sheetnames:
        assert [[c.value for c in r] for r in wa[name].iter_rows()] == [
            [c.value for c in r] for r in wb[name].iter_rows()
        ]


def test_scorecard_ranks_problems_first(ds, wulong):
    data = report.prepare(wulong, ds, "zh", mc_n=200)
    statuses = list(data.scorecard["display_status"])
    from models import target_modes
    from models.reporting.content import compose

    order = [target_modes.PROBLEM_ORDER.index(s) for s in statuses]
    assert order == sorted(order)  # problems first (off track, missed, at risk, quarantined, needs input ...)
    assert statuses[0] in ("off_track", "missed", "at_risk")
    # one row per target, and the count line is the overview's
    assert not data.scorecard.duplicated(["indicator", "year"]).any()
    counts = target_modes.status_counts(data.scorecard)
    note = compose(data, ds, "zh", "2026-03-15").status_note
    assert all(f"{charts.status_label(s)} {n}" in note for s, n in counts.items() if n)
    assert set(data.budget_table.columns) >= {"programme", "total", "increment"}


def test_budget_table_has_the_real_total_and_the_cost_notes_say_their_basis(ds, wulong):
    """2021–2025 at 2020 prices: each year's cost ÷ 1.022^(year − 2020) under the default CPI assumption."""
    from models import prices
    from models.reporting.content import compose

    data = report.prepare(wulong, ds, "zh", mc_n=50)
    total = data.budget_table.set_index("programme").loc["total"]
    yearly = [total[str(y)] for y in range(2021, 2026)]
    assert total["total_real"] == pytest.approx(sum(v / 1.022 ** (y - 2020) for y, v in zip(range(2021, 2026),
                                                                                             yearly, strict=True)))
    assert total["total_real"] < total["total"]
    content = compose(data, ds, "zh", "2026-01-01")
    text = repr(content)
    assert prices.basis_text(prices.run_index(data.result, ds), prices.cpi_region(ds, "wulong"), "zh", ds) in text
    assert "国办发〔2018〕6号" in text
    assert "合计（按2020年价格）" in text
