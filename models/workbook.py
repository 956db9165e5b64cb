"""The district workbook: one xlsx a planner fills in to bring their own district into Shapan.

Sheets (Chinese names; row 1 Chinese headers, row 2 the column keys the importer reads, data from row 3):

* ``说明`` -- how to fill it in (Chinese).
* ``区县`` -- the district: one field a row (key, 名称, 值, 说明): name, province, city, plan title and
  document number, period, minimum-wage area/tier and the population basis (total, year, 口径, source).
* ``指标`` -- the plan's figures, one a row: indicator id (drop-down of the canonical ids with their Chinese
  labels; free text allowed and flagged on import), year, value, unit, kind, comparator, binding, locator,
  published text, source, note -- the columns of ``data/indicators.csv``.
* ``项目`` -- capacity projects (the columns of ``data/projects.csv``).
* ``支出`` / ``救助对象`` -- spending (万元) and caseload (人, 人次, 户) figures; same columns as ``指标``.
* ``指标目录`` -- the registry (``data/indicator_meta.csv``) the drop-down reads; ``选项`` -- lists.

:func:`export_workbook` writes it empty or filled for a district; :mod:`models.workbook_import` reads it.
Pure: bytes in, bytes out.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from models import setters as st_
from models.data import Dataset

MAX_ROWS = 5000  # data rows per sheet (the importer's limit; validations cover this many)
SEP = "｜"  # drop-down value: "<id>｜<中文标签>"

INSTRUCTIONS, DISTRICT, INDICATORS, PROJECTS, SPENDING, CASELOADS, SETTERS, CATALOGUE, LISTS = (
    "说明", "区县", "指标", "项目", "支出", "救助对象", "标准制定", "指标目录", "选项",
)
FIGURE_SHEETS = (INDICATORS, SPENDING, CASELOADS)
SPENDING_RE = re.compile(r"(^|_)(spending|fund|investment|grant|donations)(_|$)")
CASELOAD_RE = re.compile(r"(^|_)(recipients|person_times|households)(_|$)")

# (key, Chinese label, required, help)
DISTRICT_FIELDS: tuple[tuple[str, str, bool, str], ...] = (
    ("id", "区县代码", False, "小写拼音/英文，如 xiushan；导入时可用 --id 覆盖"),
    ("name_zh", "区县名称", True, "如 秀山县"),
    ("name_en", "英文名称", False, "如 Xiushan County（可空）"),
    ("province", "省（区、市）", True, "如 重庆市"),
    ("city", "市（地、州）", True, "直辖市区县填 重庆市"),
    ("plan_title", "规划名称", True, "如 秀山县民政事业发展“十四五”规划"),
    ("doc_no", "发文字号", False, "如 秀山府办发〔2022〕1号"),
    ("issuer", "发文机关", False, "如 秀山县人民政府办公室"),
    ("date", "发布日期", False, "如 2022-04-15"),
    ("plan_period", "规划期", True, "如 2021-2025"),
    ("doc_kind", "文件类型", False, "plan（规划）或 policy_opinion（政策意见），默认 plan"),
    ("min_wage_area", "最低工资地区", False, "见“选项”表，如 Chongqing；空则不计算护理补贴"),
    ("min_wage_tier", "最低工资档次", False, "如 1 或 II"),
    ("population_total", "总人口（人）", False, "人口口径下的总人口，整数；无60岁以上人口数时用于推算"),
    ("population_year", "人口年份", False, "如 2020"),
    ("population_basis", "人口口径", False, "如 第七次人口普查常住人口（2020-11-01）"),
    ("population_source", "人口来源", False, "来源名称或 Shapan 来源代码；空=本规划"),
    ("population_basis_60plus", "60岁以上人口口径", False,
     "户籍 或 常住；可加理由：户籍｜假设｜理由（规划写明时：户籍｜规划写明｜说明｜英文说明｜出处位置｜原文）"),
    ("notes", "备注", False, ""),
)
FIGURE_COLUMNS: tuple[tuple[str, str, int], ...] = (  # key, Chinese header, width
    ("indicator", "指标（下拉选择）", 46), ("label", "指标名称（新指标必填）", 24), ("year", "年份", 8),
    ("value", "数值", 10), ("unit", "单位", 12), ("kind", "类型", 10), ("comparator", "比较符", 8),
    ("binding", "指标属性", 9), ("locator", "出处位置", 24), ("published", "原文", 16),
    ("source", "来源（空=本规划）", 16), ("note", "备注", 30),
)
PROJECT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("project", "项目名称", 36), ("year_start", "开工年份", 9), ("year_open", "投用年份", 9), ("beds", "床位（张）", 9),
    ("nursing_beds", "护理型床位（张）", 11), ("operator", "运营方", 9), ("facility_type", "设施类型", 18),
    ("pipeline", "新增床位", 9), ("locator", "出处位置", 24), ("published", "原文", 14),
    ("source", "来源（空=本规划）", 16), ("note", "备注", 30),
)
SETTER_SHEET_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("indicator", "标准（下拉选择）", 46), ("setter_level", "制定层级", 10), ("setter_id", "制定主体代码", 16),
    ("locator", "出处位置", 30), ("source", "来源（空=本规划）", 20), ("note", "备注", 50),
)
KINDS = ("baseline", "target", "actual", "derived", "assumed")
COMPARATORS = (">=", "<=", "=", "sync")
BINDINGS = ("约束性", "预期性")
OPERATORS = ("gov", "social", "mixed")
PIPELINE = ("yes", "no", "total")  # total: a district-wide number of new beds (data/README.md)

INSTRUCTIONS_TEXT = (
    "Shapan 区县数据工作簿 —— 填写说明",
    "",
    "1. “区县”表：填写区县名称、省市、规划名称、发文字号、规划期和人口口径（带 * 的为必填）。",
    "2. “指标”表：规划指标表和正文中的数字，一个数字一行。",
    "   · 指标：从下拉列表选择（格式“代码｜中文名称”）；列表中没有的指标可直接输入小写英文代码"
    "（如 smart_elderly_beds），并在“指标名称”列写中文名称 —— 导入时会提示这是新指标。",
    "   · 年份：数字所指的年份（2020基期、2025目标）；数值：只填数字，不带单位、≥ 或 %；"
    "万人请换算为人（×10000），亿元换算为万元。",
    "   · 类型：baseline 基期/现状值，target 规划目标，actual 规划期内实际值，derived 推算值。",
    "   · 比较符（仅目标行）：>= 不低于，<= 不超过，= 达到/等于，sync 同步；属性：约束性 或 预期性。",
    "   · 出处位置：如“专栏1 第2行”“第五章 第二节”；原文：规划中印刷的原样文字（如 ≥60、2.375万）。",
    "   · 数值无法量化（如“同步”“全覆盖”）时数值留空，在“原文”写原文。",
    "3. “项目”表：养老床位等建设项目；投用年份、床位数；运营方 gov/social/mixed；"
    "新增床位 yes（新增供给）或 no（托管、已计入的子项）。",
    "4. “支出”表：低保、特困等资金（万元）；“救助对象”表：低保、特困、孤儿等人数（人/人次/户）。列与“指标”表相同。",
    "5. 最重要的数字：60岁以上老年人口（population_60plus）、养老床位数（elderly_beds）、"
    "护理型床位占比（nursing_bed_share）、城乡低保标准（dibao_urban_standard / dibao_rural_standard），"
    "均为2020年基期值；有2015年值时模型据此推算增速。",
    "6. “标准制定”表：低保、特困、孤儿等标准由谁制定（区县/市/省/中央）。由市或省统一制定时填制定主体代码"
    "（如 chongqing），模型按该主体的标准预测；不填则按本区县自己的数字。",
    "7. 第2行是列代码，请勿修改；可以增删数据行。导入：Shapan“数据与来源”页上传，或命令行 "
    "shapan import-district 文件.xlsx --id 区县代码。出错时会指明工作表、行和列。",
    "8. 导入的区县保存在本机用户目录（SHAPAN_HOME，默认 ~/.shapan），不上传、不修改 Shapan 自带数据。",
)


def figure_sheet(indicator: str, kind: str = "baseline") -> str:
    """Which sheet a figure goes to on export (all three are read back alike; targets stay in 指标)."""
    if kind == "target":
        return INDICATORS
    if SPENDING_RE.search(indicator):
        return SPENDING
    if CASELOAD_RE.search(indicator):
        return CASELOADS
    return INDICATORS


def dropdown_value(indicator: str, label: str) -> str:
    return f"{indicator}{SEP}{label}" if label else indicator


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value if value != "" else None


def _header(ws, columns: tuple[tuple[str, str, int], ...]) -> None:
    bold, grey = Font(bold=True), Font(color="808080", size=9)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, (key, zh, width) in enumerate(columns, start=1):
        top = ws.cell(row=1, column=j, value=zh)
        top.font, top.fill = bold, fill
        top.alignment = Alignment(wrap_text=True, vertical="center")
        ws.cell(row=2, column=j, value=key).font = grey
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A3"


def _validate(ws, col: int, formula: str, *, strict: bool, prompt: str = "") -> None:
    letter = get_column_letter(col)
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    dv.showErrorMessage = True
    dv.errorStyle = "stop" if strict else "warning"
    dv.error = prompt or "请从列表中选择 / choose from the list"
    dv.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
    ws.add_data_validation(dv)


def _inline(values: tuple[str, ...]) -> str:
    return '"' + ",".join(values) + '"'


def _catalogue(wb: Workbook, ds: Dataset) -> int:
    ws = wb.create_sheet(CATALOGUE)
    cols = (("choice", "下拉值", 60), ("indicator", "代码", 40), ("label_zh", "中文名称", 36),
            ("label_en", "English", 40), ("unit", "单位", 12), ("direction", "方向", 8))
    _header(ws, cols)
    meta = ds.meta.sort_values("indicator")
    for i, row in enumerate(meta.itertuples(index=False), start=3):
        values = (dropdown_value(row.indicator, row.label_zh), row.indicator, row.label_zh, row.label_en,
                  row.unit, row.direction)
        for j, value in enumerate(values, start=1):
            ws.cell(row=i, column=j, value=value)
    lists = wb.create_sheet(LISTS)
    _header(lists, (("unit", "单位", 14), ("min_wage_area", "最低工资地区", 16), ("min_wage_tier", "档次", 8)))
    for i, unit in enumerate(ds.units["unit"], start=3):
        lists.cell(row=i, column=1, value=unit)
    wages = ds.reference("minimum_wage")[["area", "tier"]].astype(str).drop_duplicates()
    for i, row in enumerate(wages.itertuples(index=False), start=3):
        lists.cell(row=i, column=2, value=row.area)
        lists.cell(row=i, column=3, value=row.tier)
    lists.sheet_state = "hidden"
    return len(meta) + 2


def _figures_sheet(wb: Workbook, name: str, rows: list[dict[str, Any]], last_meta: int, n_units: int) -> None:
    ws = wb.create_sheet(name)
    _header(ws, FIGURE_COLUMNS)
    keys = [key for key, _, _ in FIGURE_COLUMNS]
    for i, row in enumerate(rows, start=3):
        for j, key in enumerate(keys, start=1):
            ws.cell(row=i, column=j, value=_cell(row.get(key)))
    _validate(ws, 1, f"='{CATALOGUE}'!$A$3:$A${last_meta}", strict=False,
              prompt="不在指标目录中：导入时将作为新指标（请填写指标名称）/ not in the registry: imported as a new id")
    _validate(ws, keys.index("unit") + 1, f"='{LISTS}'!$A$3:$A${n_units + 2}", strict=True)
    _validate(ws, keys.index("kind") + 1, _inline(KINDS), strict=True)
    _validate(ws, keys.index("comparator") + 1, _inline(COMPARATORS), strict=True)
    _validate(ws, keys.index("binding") + 1, _inline(BINDINGS), strict=True)


def _district_sheet(wb: Workbook, values: dict[str, Any]) -> None:
    ws = wb.create_sheet(DISTRICT)
    _header(ws, (("key", "字段代码", 20), ("label", "字段", 18), ("value", "值", 48), ("help", "说明", 60)))
    for i, (key, label, required, help_text) in enumerate(DISTRICT_FIELDS, start=3):
        ws.cell(row=i, column=1, value=key).font = Font(color="808080", size=9)
        ws.cell(row=i, column=2, value=label + (" *" if required else ""))
        ws.cell(row=i, column=3, value=_cell(values.get(key)))
        ws.cell(row=i, column=4, value=help_text)
    dv = DataValidation(type="list", formula1=_inline(("plan", "policy_opinion")), allow_blank=True)
    dv.add(f"C{[f[0] for f in DISTRICT_FIELDS].index('doc_kind') + 3}")
    ws.add_data_validation(dv)


def _projects_sheet(wb: Workbook, rows: list[dict[str, Any]]) -> None:
    ws = wb.create_sheet(PROJECTS)
    _header(ws, PROJECT_COLUMNS)
    keys = [key for key, _, _ in PROJECT_COLUMNS]
    for i, row in enumerate(rows, start=3):
        for j, key in enumerate(keys, start=1):
            ws.cell(row=i, column=j, value=_cell(row.get(key)))
    _validate(ws, keys.index("operator") + 1, _inline(OPERATORS), strict=True)
    _validate(ws, keys.index("pipeline") + 1, _inline(PIPELINE), strict=True)


def _setters_sheet(wb: Workbook, rows: list[dict[str, Any]], last_meta: int) -> None:
    ws = wb.create_sheet(SETTERS)
    _header(ws, SETTER_SHEET_COLUMNS)
    keys = [key for key, _, _ in SETTER_SHEET_COLUMNS]
    for i, row in enumerate(rows, start=3):
        for j, key in enumerate(keys, start=1):
            ws.cell(row=i, column=j, value=_cell(row.get(key)))
    _validate(ws, 1, f"='{CATALOGUE}'!$A$3:$A${last_meta}", strict=False)
    _validate(ws, 2, _inline(st_.LEVELS), strict=True)


def setter_rows(ds: Dataset, district: str) -> list[dict[str, Any]]:
    """The district's rows of ``data/setters.csv`` for the 标准制定 sheet (plan source shown blank)."""
    table = st_.setters_table(ds)
    plan = ds.district(district)["plan_source"]
    labels = dict(zip(ds.meta["indicator"], ds.meta["label_zh"], strict=True))
    return [dict(r, indicator=dropdown_value(r["indicator"], labels.get(r["indicator"], "")),
                 source="" if r["source"] == plan else r["source"])
            for r in table[table["district"] == district].to_dict(orient="records")]


def district_values(ds: Dataset, district: str) -> dict[str, Any]:
    """The ``区县`` sheet's values for an existing district."""
    drow = ds.district(district)
    src = ds.sources[drow["plan_source"]]
    out: dict[str, Any] = {key: drow.get(key, "") for key, *_ in DISTRICT_FIELDS if key in drow.index}
    out.update(plan_title=src["title"], doc_no=src.get("doc_no", ""), issuer=src.get("issuer", ""),
               date=src.get("date", ""))
    pops = ds.reference("district_population")
    pop = pops[pops["district"] == district]
    if not pop.empty:
        first = pop.iloc[0]
        out.update(population_total=float(first["total_population"]), population_year=int(first["year"]),
                   population_basis=str(first["basis"]), population_source=str(first["source"]))
    else:
        out["population_source"] = drow["population_source"]
    if out.get("population_source") == drow["plan_source"]:
        out["population_source"] = ""
    from models import population_basis

    stated = population_basis.table(ds).get(district)
    if stated is not None:
        out["population_basis_60plus"] = population_basis.cell_text(stated)
    return out


def _figure_rows(ds: Dataset, district: str) -> dict[str, list[dict[str, Any]]]:
    plan = ds.district(district)["plan_source"]
    labels = dict(zip(ds.meta["indicator"], ds.meta["label_zh"], strict=True))
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in FIGURE_SHEETS}
    for row in ds.indicators_for(district).to_dict(orient="records"):
        sheet = figure_sheet(row["indicator"], row["kind"])
        label = labels.get(row["indicator"], "")
        row["label"] = label
        row["indicator"] = dropdown_value(row["indicator"], label)
        row["source"] = "" if row["source"] == plan else row["source"]
        out[sheet].append(row)
    return out


def export_workbook(ds: Dataset, district: str | None = None, figures: list[dict[str, Any]] | None = None) -> bytes:
    """The workbook as xlsx bytes: blank (``district=None``) or filled with the district's data.

    ``figures`` (e.g. rows confirmed from :func:`models.plan_extract.to_figures`) are added to the sheets.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS
    ws.column_dimensions["A"].width = 140
    for i, line in enumerate(INSTRUCTIONS_TEXT, start=1):
        ws.cell(row=i, column=1, value=line).alignment = Alignment(wrap_text=True)
    ws["A1"].font = Font(bold=True, size=14)
    values = district_values(ds, district) if district else {}
    figures_by_sheet = _figure_rows(ds, district) if district else {name: [] for name in FIGURE_SHEETS}
    projects: list[dict[str, Any]] = []
    if district:
        plan = ds.district(district)["plan_source"]
        for row in ds.projects_for(district).to_dict(orient="records"):
            row["source"] = "" if row["source"] == plan else row["source"]
            projects.append(row)
    for row in figures or ():
        ind = str(row.get("indicator") or "")
        label = ds.label(ind) if ind in set(ds.meta["indicator"]) else row.get("label", "")
        sheet = figure_sheet(ind, str(row.get("kind") or ""))
        figures_by_sheet[sheet].append(dict(row, indicator=dropdown_value(ind, label) if ind else "", label=label))
    _district_sheet(wb, values)
    n_units = len(ds.units)
    last_meta = len(ds.meta) + 2  # the catalogue sheet is written last; the formulas only name it
    for name in FIGURE_SHEETS:
        _figures_sheet(wb, name, figures_by_sheet[name], last_meta, n_units)
        if name == INDICATORS:
            _projects_sheet(wb, projects)
    _setters_sheet(wb, setter_rows(ds, district) if district else [], last_meta)
    _catalogue(wb, ds)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
