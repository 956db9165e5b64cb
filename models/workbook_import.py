"""Read a district workbook (:mod:`models.workbook`), validate every cell, store it as a user district.

:func:`read_workbook` turns the xlsx bytes into validated rows; any bad cell raises
:class:`~models.errors.ShapanError` ``bad_cell`` naming the sheet, the row (as Excel numbers it), the
column letter and key, the value and the rule. :mod:`models.workbook_store` turns them into a user
district folder.

Limits: at most :data:`MAX_BYTES` per file, ``limits.current().xlsx_inflated_bytes`` once unzipped (checked from the
zip directory before anything is inflated) and :data:`models.workbook.MAX_ROWS` data rows a sheet; the
workbook is opened read-only with cached values only (no formulas evaluated, no macros).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import re
import zipfile
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from models import limits
from models import setters as st_
from models import workbook as wbk
from models.data import YEAR_RANGE, Dataset
from models.errors import ShapanError

MAX_BYTES = 5 * 1024 * 1024  # the workbook file (a filled one is well under 1 MB)
ID_CELL_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KIND_ALIASES = {"基期": "baseline", "基期值": "baseline", "现状": "baseline", "目标": "target", "目标值": "target",
                "实际": "actual", "实际值": "actual", "推算": "derived", "假设": "assumed"}
COMPARATOR_ALIASES = {"≥": ">=", "≤": "<=", "＝": "=", "不低于": ">=", "不少于": ">=", "达到": ">=", "以上": ">=",
                      "不超过": "<=", "不高于": "<=", "以下": "<=", "等于": "=", "同步": "sync", ">": ">=", "<": "<="}
UNIT_ALIASES = {"元/人、月": "元/人·月", "元/人.月": "元/人·月", "元/人月": "元/人·月", "元/人、年": "元/人·年",
                "张/千人": "张/千名老人", "㎡": "平方米", "m2": "平方米"}
OPERATOR_ALIASES = {"政府": "gov", "公办": "gov", "社会": "social", "民办": "social", "混合": "mixed",
                    "公建民营": "mixed"}
PIPELINE_ALIASES = {"是": "yes", "否": "no", "y": "yes", "n": "no", "合计": "total", "总量": "total"}


@dataclasses.dataclass
class Parsed:
    """A workbook's content, every cell checked; ``figures``/``projects`` keep their (sheet, row)."""

    file: str
    district: dict[str, str]
    figures: list[tuple[str, int, dict[str, Any]]]
    projects: list[tuple[int, dict[str, Any]]]
    setters: list[tuple[int, dict[str, Any]]]
    warnings: list[str]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


class _Sheet:
    """One sheet's rows as ``{key: value}`` (keys from row 2), with error helpers naming the cell."""

    def __init__(self, book, file: str, name: str, keys: tuple[str, ...], required: tuple[str, ...]) -> None:
        if name not in book.sheetnames:
            raise ShapanError("sheet_missing", file=file, sheet=name)
        self.file, self.name = file, name
        rows = book[name].iter_rows(values_only=True)
        next(rows, None)  # Chinese headers
        header = [_text(v) for v in next(rows, ()) or ()]
        missing = [k for k in required if k not in header]
        if missing:
            raise ShapanError("sheet_layout", file=file, sheet=name, row=2, columns=", ".join(missing))
        self.cols = {k: header.index(k) for k in keys if k in header}
        self.rows: list[tuple[int, dict[str, Any]]] = []
        self.seen: list[dict[str, Any]] = []
        for r, values in enumerate(rows, start=3):
            record = {k: (values[j] if j < len(values) else None) for k, j in self.cols.items()}
            if all(_text(v) == "" for v in record.values()):
                continue
            if len(self.rows) >= wbk.MAX_ROWS:
                raise ShapanError("too_many_rows", file=file, sheet=name, rows=f"> {wbk.MAX_ROWS}", limit=wbk.MAX_ROWS)
            self.rows.append((r, record))

    def fail(self, row: int, key: str, value: Any, zh: str, en: str) -> ShapanError:
        column = get_column_letter(self.cols.get(key, 0) + 1)
        return ShapanError("bad_cell", file=self.file, sheet=self.name, row=row, column=column, field=key,
                           value=_text(value), reason=f"{zh} / {en}")

    def number(self, row: int, key: str, value: Any, *, integer: bool = False) -> float:
        if isinstance(value, bool):
            raise self.fail(row, key, value, "应为数字", "a number is expected")
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = _text(value).replace(",", "").replace("，", "")
            try:
                number = float(text)
            except ValueError:
                raise self.fail(row, key, value, "应为数字（不带单位、≥ 或 %）",
                                "a plain number is expected (no unit, ≥ or %)") from None
        if not math.isfinite(number):
            raise self.fail(row, key, value, "应为有限数字", "a finite number is expected")
        if integer and not number.is_integer():
            raise self.fail(row, key, value, "应为整数", "a whole number is expected")
        return number


def _choice(sheet: _Sheet, row: int, key: str, value: Any, allowed: tuple[str, ...] | set[str],
            aliases: dict[str, str] | None = None, *, blank: bool = True) -> str:
    text = _text(value)
    text = (aliases or {}).get(text, text)
    if text == "" and blank:
        return ""
    if text not in allowed:
        shown = ", ".join(sorted(allowed))
        raise sheet.fail(row, key, value, ("必填；" if text == "" else "") + f"可选：{shown}",
                         ("required; " if text == "" else "") + f"allowed: {shown}")
    return text


def _indicator(sheet: _Sheet, row: int, value: Any, labels: dict[str, str]) -> str:
    text = _text(value)
    for sep in (wbk.SEP, "|"):
        text = text.split(sep, 1)[0].strip()
    if text in labels.values():  # a Chinese label typed instead of the id
        text = next(k for k, v in labels.items() if v == text)
    if not text:
        raise sheet.fail(row, "indicator", value, "必填（从下拉列表选择）", "required (choose from the drop-down)")
    if not ID_CELL_RE.match(text) or len(text) > 80:
        raise sheet.fail(row, "indicator", value, "应从下拉列表选择，或填写小写英文代码（字母、数字、下划线）",
                         "choose from the drop-down or type a lower-case id (letters, digits, _)")
    return text


def _figure(sheet: _Sheet, row: int, rec: dict[str, Any], ds: Dataset, labels: dict[str, str]) -> dict[str, Any]:
    out = {"indicator": _indicator(sheet, row, rec.get("indicator"), labels)}
    year = sheet.number(row, "year", rec.get("year"), integer=True) if _text(rec.get("year")) else None
    if year is None or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise sheet.fail(row, "year", rec.get("year"), f"应为{YEAR_RANGE[0]}–{YEAR_RANGE[1]}年",
                         f"a year {YEAR_RANGE[0]}-{YEAR_RANGE[1]} is expected")
    out["year"] = int(year)
    out["kind"] = _choice(sheet, row, "kind", rec.get("kind"), wbk.KINDS, KIND_ALIASES, blank=False)
    comparator = _choice(sheet, row, "comparator", rec.get("comparator"), wbk.COMPARATORS, COMPARATOR_ALIASES)
    if out["kind"] == "target" and not comparator:
        raise sheet.fail(row, "comparator", "", "目标行必填（>= <= = sync）", "required on target rows (>= <= = sync)")
    if out["kind"] != "target" and comparator:
        raise sheet.fail(row, "comparator", comparator, "只有目标行填比较符", "only target rows take a comparator")
    out["comparator"] = comparator
    out["binding"] = _choice(sheet, row, "binding", rec.get("binding"), wbk.BINDINGS)
    out["unit"] = _choice(sheet, row, "unit", rec.get("unit"), set(ds.units["unit"]), UNIT_ALIASES, blank=False)
    for key in ("locator", "published", "note", "label", "source"):
        out[key] = _text(rec.get(key))
    if _text(rec.get("value")):
        out["value"] = sheet.number(row, "value", rec.get("value"))
    elif comparator == "sync" or out["published"]:
        out["value"] = math.nan
    else:
        raise sheet.fail(row, "value", "", "必填；无法量化时在“原文”写原文",
                         "required; for a text target fill 'published'")
    if not out["locator"] and out["kind"] != "derived":
        raise sheet.fail(row, "locator", "", "必填（如 专栏1 第2行）", "required (e.g. 专栏1 第2行)")
    return out


def _project(sheet: _Sheet, row: int, rec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"project": _text(rec.get("project"))}
    if not out["project"]:
        raise sheet.fail(row, "project", "", "必填", "required")
    for key in ("year_start", "year_open", "beds", "nursing_beds"):
        value = rec.get(key)
        out[key] = sheet.number(row, key, value, integer=True) if _text(value) else math.nan
        if out[key] < 0:
            raise sheet.fail(row, key, value, "不能为负", "must be >= 0")
    for key in ("year_start", "year_open"):
        if not math.isnan(out[key]) and not YEAR_RANGE[0] <= out[key] <= YEAR_RANGE[1]:
            raise sheet.fail(row, key, rec.get(key), f"应为{YEAR_RANGE[0]}–{YEAR_RANGE[1]}年",
                             f"a year {YEAR_RANGE[0]}-{YEAR_RANGE[1]} is expected")
    if not math.isnan(out["nursing_beds"]) and not math.isnan(out["beds"]) and out["nursing_beds"] > out["beds"]:
        raise sheet.fail(row, "nursing_beds", rec.get("nursing_beds"), "不能多于床位数", "cannot exceed beds")
    out["operator"] = _choice(sheet, row, "operator", rec.get("operator"), wbk.OPERATORS, OPERATOR_ALIASES)
    out["pipeline"] = _choice(sheet, row, "pipeline", rec.get("pipeline") or "yes", wbk.PIPELINE, PIPELINE_ALIASES)
    for key in ("facility_type", "locator", "published", "source", "note"):
        out[key] = _text(rec.get(key))
    return out


def _setter(sheet: _Sheet, row: int, rec: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    out = {"indicator": _indicator(sheet, row, rec.get("indicator"), labels)}
    out["setter_level"] = _choice(sheet, row, "setter_level", rec.get("setter_level"), st_.LEVELS, blank=False)
    out["setter_id"] = _text(rec.get("setter_id"))
    if not ID_CELL_RE.match(out["setter_id"]):
        raise sheet.fail(row, "setter_id", rec.get("setter_id"), "应为小写英文代码，如 chongqing",
                         "a lower-case id is expected, e.g. chongqing")
    for key in ("locator", "source", "note"):
        out[key] = _text(rec.get(key))
    if any(prev["indicator"] == out["indicator"] for prev in sheet.seen):
        raise sheet.fail(row, "indicator", rec.get("indicator"), "同一标准只能有一行", "one row per standard")
    sheet.seen.append(out)
    return out


def _open(data: bytes, file: str):
    lim = limits.current()  # the project's budgets for untrusted input (models.limits)
    if len(data) > MAX_BYTES:
        raise limits.too_large(file, len(data), MAX_BYTES)
    if not data:
        raise ShapanError("file_empty", file=file)
    try:
        inflated = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(data)).infolist())
        if inflated > lim.xlsx_inflated_bytes:  # a zip bomb: refuse before openpyxl inflates it
            raise limits.too_large(f"{file} (xlsx 解压后/inflated)", inflated, lim.xlsx_inflated_bytes)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ShapanError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        detail = f"{file}: 不是有效的xlsx工作簿 / not a valid xlsx workbook ({exc})"
        raise ShapanError("generic", detail=detail) from exc


def read_workbook(data: bytes, file: str, ds: Dataset) -> Parsed:
    """Every sheet of the workbook, validated cell by cell (see the module doc)."""
    book = _open(data, file)
    try:
        labels = dict(zip(ds.meta["indicator"], ds.meta["label_zh"], strict=True))
        dsheet = _Sheet(book, file, wbk.DISTRICT, ("key", "value"), ("key", "value"))
        district = {_text(rec["key"]): _text(rec["value"]) for _, rec in dsheet.rows if _text(rec["key"])}
        rows_of = {_text(rec["key"]): r for r, rec in dsheet.rows}
        for key, label, required, _ in wbk.DISTRICT_FIELDS:
            if required and not district.get(key):
                raise dsheet.fail(rows_of.get(key, 0), "value", "", f"“{label}”必填", f"'{key}' is required")
        keys = tuple(k for k, _, _ in wbk.FIGURE_COLUMNS)
        figures = []
        for name in wbk.FIGURE_SHEETS:
            sheet = _Sheet(book, file, name, keys, ("indicator", "year", "value", "unit", "kind"))
            figures += [(name, r, _figure(sheet, r, rec, ds, labels)) for r, rec in sheet.rows]
        psheet = _Sheet(book, file, wbk.PROJECTS, tuple(k for k, _, _ in wbk.PROJECT_COLUMNS), ("project", "beds"))
        projects = [(r, _project(psheet, r, rec)) for r, rec in psheet.rows]
        ssheet = _Sheet(book, file, wbk.SETTERS, tuple(k for k, _, _ in wbk.SETTER_SHEET_COLUMNS),
                        ("indicator", "setter_level", "setter_id"))
        setters = [(r, _setter(ssheet, r, rec, labels)) for r, rec in ssheet.rows]
    finally:
        book.close()
    parsed = Parsed(file, district, figures, projects, setters, [])
    _check_duplicates(parsed, ds)
    return parsed


def _check_duplicates(parsed: Parsed, ds: Dataset) -> None:
    seen: dict[tuple, tuple[str, int]] = {}
    known = set(ds.meta["indicator"])
    for sheet, r, rec in parsed.figures:
        key = (rec["indicator"], rec["year"], rec["kind"], rec["locator"])
        if key in seen:
            other = seen[key]
            raise ShapanError("bad_cell", file=parsed.file, sheet=sheet, row=r, column="A", field="indicator",
                              value=rec["indicator"],
                              reason=f"与“{other[0]}”第{other[1]}行重复（指标、年份、类型、出处相同）"
                              f" / duplicates sheet '{other[0]}' row {other[1]} (same indicator, year, kind, locator)")
        seen[key] = (sheet, r)
        if rec["indicator"] not in known:
            parsed.warnings.append(
                f"工作表“{sheet}”第{r}行：新指标代码 {rec['indicator']}（不在指标目录中，按新指标导入）"
                f" / sheet '{sheet}' row {r}: new indicator id {rec['indicator']} (not in the registry)")
            known.add(rec["indicator"])
