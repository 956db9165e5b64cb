"""A district typed into the blank workbook from scratch (shared by the workbook, CLI and page tests).

The district is a fictional test fixture (测试县, not a real plan): its figures only have to be plausible
so that every model runs -- 60+ population, beds, nursing share, 低保 standards 2015 and 2020, targets
with comparators, a 万元 spending row and a caseload row, one bed project.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from models import workbook as wbk

DISTRICT = {
    "id": "ceshi", "name_zh": "测试县", "name_en": "Test County (fixture)", "province": "重庆市", "city": "重庆市",
    "plan_title": "测试县民政事业发展“十四五”规划（测试用）", "doc_no": "测府发〔2022〕1号", "plan_period": "2021-2025",
    "min_wage_area": "Chongqing", "min_wage_tier": "2", "population_total": 250000, "population_year": 2020,
    "population_basis": "常住人口（测试）", "population_source": "测试统计公报2020",
}
# indicator, year, value, unit, kind, comparator, binding, locator, published  (sheet decided by the id)
FIGURES = [
    ("population_60plus｜60岁及以上老年人口", 2020, 60000, "人", "baseline", "", "", "第一章", "6万"),
    ("elderly_beds", 2020, 2400, "张", "baseline", "", "", "第一章", "2400"),
    ("nursing_bed_share", 2020, 30, "%", "baseline", "", "", "专栏1 第3行", "30"),
    ("nursing_bed_share", 2025, 55, "%", "target", "≥", "约束性", "专栏1 第3行", "≥55"),
    ("beds_per_1000_elderly", 2025, 45, "张/千名老人", "target", ">=", "预期性", "专栏1 第4行", "45"),
    ("dibao_urban_standard", 2015, 400, "元/人·月", "baseline", "", "", "第一章", "400"),
    ("dibao_urban_standard", 2020, 620, "元/人·月", "baseline", "", "", "第一章", "620"),
    ("dibao_rural_standard", 2015, 280, "元/人·月", "baseline", "", "", "第一章", "280"),
    ("dibao_rural_standard", 2020, 496, "元/人·月", "baseline", "", "", "第一章", "496"),
    ("rural_urban_dibao_ratio", 2025, 90, "%", "target", ">=", "预期性", "专栏1 第1行", "≥90"),
    ("smart_elderly_service_points", 2025, 12, "个", "target", ">=", "预期性", "第五章", "12个"),
    ("dibao_spending_13fyp", 2020, 15000, "万元", "baseline", "", "", "第一章", "1.5亿元"),
    ("dibao_recipients", 2020, 9000, "人", "baseline", "", "", "第一章", "9000"),
    ("tekun_standard", 2020, 806, "元/人·月", "baseline", "", "", "第一章", "806"),
    ("tekun_recipients", 2020, 1200, "人", "baseline", "", "", "第一章", "1200"),
]
NEW_LABELS = {"smart_elderly_service_points": "智慧养老服务点"}
SETTERS = [("dibao_urban_standard", "市", "chongqing", "重庆市统一制定（测试）"),
           ("dibao_rural_standard", "市", "chongqing", "重庆市统一制定（测试）")]
PROJECTS = [("测试县中心敬老院扩建", 2022, 2023, 200, 120, "gov", "敬老院", "yes", "第五章", "200张")]


def _put(ws, row: int, values: dict[str, object]) -> None:
    keys = [c.value for c in ws[2]]
    for key, value in values.items():
        ws.cell(row=row, column=keys.index(key) + 1).value = value  # (cell(value=None) would keep the old one)


def filled_blank(blank: bytes) -> bytes:
    """The blank template (bytes from ``export_workbook(ds)``) with the fixture typed in."""
    book = load_workbook(io.BytesIO(blank))
    ws = book[wbk.DISTRICT]
    for row in range(3, ws.max_row + 1):
        key = ws.cell(row=row, column=1).value
        if key in DISTRICT:
            ws.cell(row=row, column=3).value = DISTRICT[key]
    rows = dict.fromkeys(wbk.FIGURE_SHEETS, 3)
    for ind, year, value, unit, kind, comp, binding, locator, published in FIGURES:
        sheet = wbk.figure_sheet(ind, kind)
        _put(book[sheet], rows[sheet], {
            "indicator": ind, "label": NEW_LABELS.get(ind), "year": year, "value": value, "unit": unit,
            "kind": kind, "comparator": comp or None, "binding": binding or None, "locator": locator,
            "published": published,
        })
        rows[sheet] += 1
    for i, (name, start, opened, beds, nursing, op, ftype, pipe, loc, pub) in enumerate(PROJECTS, start=3):
        _put(book[wbk.PROJECTS], i, {"project": name, "year_start": start, "year_open": opened, "beds": beds,
                                     "nursing_beds": nursing, "operator": op, "facility_type": ftype,
                                     "pipeline": pipe, "locator": loc, "published": pub})
    for i, (ind, level, setter, locator) in enumerate(SETTERS, start=3):
        _put(book[wbk.SETTERS], i, {"indicator": ind, "setter_level": level, "setter_id": setter, "locator": locator})
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def edit_cell(data: bytes, sheet: str, row: int, key: str, value: object) -> bytes:
    """``data`` with one cell (by column key) changed."""
    book = load_workbook(io.BytesIO(data))
    _put(book[sheet], row, {key: value})
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
