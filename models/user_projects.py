"""Capacity projects typed into a table (the beds page's pipeline editor) -> validated ``UserProject``s.

The table has the columns of :data:`COLUMNS` (``year_open, beds, nursing_beds, operator, name``), one
project a row, as a spreadsheet editor returns it: numbers may arrive as floats, strings or blanks.
:func:`from_frame` checks every cell and returns a tuple of :class:`models.scenario.UserProject`;
:func:`to_frame` is the inverse, for filling the editor from a scenario.

Rules (a bad cell raises :class:`~models.errors.ShapanError` ``bad_value`` whose fields name the row,
counted from 1 as the user sees it, the column, the value and the rule broken):

* ``year_open`` -- an integer year after the base year and not after the end year (2021-2035 for the
  default scenario). A project opening in or before the base year is already inside the base-year bed
  count (see :mod:`models.beds`), so it is refused rather than silently ignored.
* ``beds`` -- an integer 0..``MAX_BEDS``.
* ``nursing_beds`` -- blank (not stated: the new-bed nursing share applies) or an integer 0..``beds``.
* ``operator`` -- blank, ``gov``, ``social`` or ``mixed``.
* ``name`` -- free text (not used by the models; kept in the scenario file).

A row whose cells are all blank is skipped (a spreadsheet editor adds one when the user clicks "+").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from models.errors import ShapanError
from models.scenario import MAX_PROJECT_BEDS, UserProject, project_violation
from models.views import calendar as cal

COLUMNS = ("year_open", "beds", "nursing_beds", "operator", "name")
REQUIRED = ("year_open", "beds")
MAX_BEDS = MAX_PROJECT_BEDS  # the scenario file's limit for one project (models.scenario)
TABLE = "beds.projects"
# rule id -> (Chinese, English) explanation, formatted with lo / hi
RULES: dict[str, tuple[str, str]] = {
    "missing": ("必填", "required"),
    "integer": ("应为整数", "a whole number is expected"),
    "year": ("应为{lo}–{hi}年之间的整数年份", "an integer year {lo}-{hi} is expected"),
    "range": ("应在{lo}–{hi}之间", "must be within {lo}-{hi}"),
    "nursing": ("护理型床位不能多于床位数（{hi}）", "nursing beds cannot exceed the project's beds ({hi})"),
    "operator": ("应为空、gov、social 或 mixed", "must be blank, gov, social or mixed"),
}


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _fail(row: int, column: str, value: Any, rule: str, lo: Any = "", hi: Any = "") -> ShapanError:
    zh, en = RULES[rule]
    reason = f"{zh.format(lo=lo, hi=hi)} / {en.format(lo=lo, hi=hi)}"
    return ShapanError("bad_value", file=TABLE, row=row, column=column, value=value, reason=reason,
                       rule=rule, lo=lo, hi=hi)


def _integer(row: int, column: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _fail(row, column, value, "integer")
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise _fail(row, column, value, "integer") from None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _fail(row, column, value, "integer") from None
    if not math.isfinite(number) or not number.is_integer():
        raise _fail(row, column, value, "integer")
    return int(number)


def _project(row: int, cells: dict[str, Any], base_year: int, end_year: int) -> UserProject:
    for column in REQUIRED:
        if _blank(cells.get(column)):
            raise _fail(row, column, "", "missing")
    values: dict[str, Any] = {"year_open": _integer(row, "year_open", cells["year_open"]),
                              "beds": _integer(row, "beds", cells["beds"])}
    if not _blank(cells.get("nursing_beds")):
        values["nursing_beds"] = _integer(row, "nursing_beds", cells["nursing_beds"])
    values["operator"] = "" if _blank(cells.get("operator")) else str(cells["operator"]).strip()
    broken = project_violation(values, base_year, end_year)  # the scenario file's rules, the same function
    if broken is not None:
        column, rule, lo, hi = broken
        shown = values["operator"] if column == "operator" else cells[column]
        raise _fail(row, column, shown, rule, lo, hi)
    name = "" if _blank(cells.get("name")) else str(cells["name"]).strip()
    return UserProject(**values, name=name)


def from_records(records: Iterable[dict[str, Any]], base_year: int = cal.BASE_YEAR,
                 end_year: int = cal.HORIZON_END) -> tuple[UserProject, ...]:
    """Validate table rows (dicts keyed by :data:`COLUMNS`); all-blank rows are skipped."""
    projects = []
    for i, cells in enumerate(records, start=1):
        unknown = set(cells) - set(COLUMNS)
        if unknown:
            raise ShapanError("unknown_columns", file=TABLE, columns=", ".join(sorted(map(str, unknown))))
        if all(_blank(cells.get(c)) for c in COLUMNS):
            continue
        projects.append(_project(i, cells, base_year, end_year))
    return tuple(projects)


def from_frame(frame: pd.DataFrame, base_year: int = cal.BASE_YEAR,
               end_year: int = cal.HORIZON_END) -> tuple[UserProject, ...]:
    """Validate an editor table (row numbers in errors count from 1 in the frame's order)."""
    rows = frame.reindex(columns=[c for c in frame.columns if c in COLUMNS] or list(COLUMNS))
    extra = [c for c in frame.columns if c not in COLUMNS]
    if extra:
        raise ShapanError("unknown_columns", file=TABLE, columns=", ".join(map(str, extra)))
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    return from_records(records, base_year, end_year)


def to_frame(projects: Iterable[UserProject]) -> pd.DataFrame:
    """The projects as an editor table (nullable integer columns, text operator and name)."""
    items = list(projects)
    return pd.DataFrame({
        "year_open": pd.array([p.year_open for p in items], dtype="Int64"),
        "beds": pd.array([p.beds for p in items], dtype="Int64"),
        "nursing_beds": pd.array([p.nursing_beds for p in items], dtype="Int64"),
        "operator": pd.array([p.operator for p in items], dtype="string"),
        "name": pd.array([p.name for p in items], dtype="string"),
    })
