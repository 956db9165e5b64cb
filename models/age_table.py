"""A district's own 5-year age table (as a statistics bureau publishes it) -> the base-year age shape.

Input
-----
A CSV (UTF-8, UTF-8 with BOM or GBK) or xlsx file, read within the budgets of :mod:`models.limits`
by :mod:`models.table_input`, with one row per age group::

    年龄组,人数            age_group,population         (or no header at all)
    45-49岁,16234         45-49,16234
    ...                   ...
    85岁及以上,5120       85+,5120

* The age column is the one headed 年龄组 / 年龄 / 年龄段 / 组别 / age / age_group (else the first column);
  the count column is headed 合计 / 人数 / 人口 / 人口数 / 总人口 / 小计 / total / population / persons /
  count (else the second column). A table with 男 / 女 columns and no total is summed over them.
* Group labels: ``60-64``, ``60–64``, ``60~64``, ``60至64岁``, ``60-64岁``; the open group ``85+``,
  ``85岁及以上``, ``85岁以上``, ``100+``, ``85 and over``. Rows labelled 总计 / 合计 / 总人口 / total are
  skipped; so are groups below 45 (outside the model's ages).
* Counts are whole or decimal numbers, thousands separators allowed; negative counts are refused.
* The groups must be 5-year groups (``x..x+4``, ``x`` a multiple of 5), each once, from 45-49 without
  a gap up to one open group starting at 80, 85, 90, 95 or 100.

Errors are :class:`~models.errors.ShapanError` naming the file, the row (1-based, header = row 1) and
the column.

Shape (``shape``)
-----------------
Single-year counts over :data:`models.population.AGES` (45..100+), scaled to sum to 1:

* each closed group is split over its five years geometrically, ``count_i ∝ r**i`` with
  ``r = (P_{g+5} / P_{g-5}) ** (1/10)`` from its neighbouring groups (one-sided at the ends), as
  :func:`models.population.age_shape` does for the UN table;
* an open group ``A+`` with ``A < 100`` is spread over ages ``A..100+`` in proportion to the national
  (WPP 2019) single-year shape over those ages — the district table says how many are ``A+``, the
  national shape only how they divide among themselves.

So each group's share of the shape equals its share of the table (ages 45+): 60+ and 65+ of the shape
are exactly the table's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models import table_input
from models.errors import ShapanError

MIN_AGE, OPEN_AGE = 45, 100
OPEN_STARTS = (80, 85, 90, 95, 100)
MAX_GROUPS = 21  # 0-4 .. 95-99 and 100+: the most groups a stored table can have
AGE_HEADERS = ("年龄组", "年龄", "年龄段", "组别", "年龄分组", "age", "age_group", "age group", "ages")
COUNT_HEADERS = ("合计", "人数", "人口", "人口数", "总人口", "小计", "总计", "total", "population", "persons",
                 "count", "number")
SEX_HEADERS = (("男", "male", "男性"), ("女", "female", "女性"))
TOTAL_ROWS = ("总计", "合计", "总人口", "总数", "total", "all ages", "全部")

_CLOSED = re.compile(r"^(\d{1,3})\s*(?:岁)?\s*(?:-|–|—|~|～|至|到|to)\s*(\d{1,3})\s*(?:岁|周岁)?$")
_OPEN = re.compile(r"^(\d{1,3})\s*(?:\+|＋|岁及以上|周岁及以上|岁以上|及以上|以上|岁\+|\s*and over|\s*or over|"
                   r"\s*and older)$")


@dataclass(frozen=True)
class AgeTable:
    """Age groups ``(start, count)`` sorted by start; the last group is open (``start+``)."""

    groups: tuple[tuple[int, float], ...]

    @property
    def open_start(self) -> int:
        return self.groups[-1][0]

    def total(self, lo: int, hi: int | None = None) -> float:
        """Persons in groups starting at ``lo`` up to (not including) ``hi``; ``hi=None``: to the open end."""
        return float(sum(c for s, c in self.groups if s >= lo and (hi is None or s < hi)))

    @property
    def share_65_of_60_pct(self) -> float:
        return self.total(65) / self.total(60) * 100.0

    def labels(self) -> dict[str, float]:
        """``{"45-49": n, ..., "85+": n}``: the form a scenario stores (``[population.age_table]``)."""
        return {(f"{s}+" if s == self.open_start else f"{s}-{s + 4}"): c for s, c in self.groups}


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text).strip().lower().replace("（", "(").replace("）", ")"))


def parse_label(label: object) -> tuple[int, bool] | None:
    """``"60-64岁"`` -> (60, False); ``"85岁及以上"`` -> (85, True); a total row or blank -> None.

    Raises ``ValueError`` with the reason for a label that is neither."""
    text = _norm(label).replace("周岁", "岁")
    if not text or text in TOTAL_ROWS:
        return None
    found = _CLOSED.match(text)
    if found:
        lo, hi = int(found.group(1)), int(found.group(2))
        if lo % 5 or hi != lo + 4:
            raise ValueError("不是5岁组 / not a 5-year group (x–x+4, x a multiple of 5)")
        return lo, False
    found = _OPEN.match(text)
    if found:
        return int(found.group(1)), True
    raise ValueError("不是年龄组 / not an age group such as 60-64 or 85岁及以上")


def parse_count(cell: object) -> float:
    text = str(cell).strip().replace(",", "").replace("，", "").replace(" ", "")
    number = float(text)  # ValueError for text
    if not math.isfinite(number) or number < 0:
        raise ValueError("应为非负数 / must be a number >= 0")
    return number


def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    for name in names:
        for col in columns:
            if _norm(col) == name or _norm(col).split("(")[0].strip() == name:
                return col
    return None


def _columns(frame: pd.DataFrame) -> tuple[str, list[str]]:
    """(age column, count columns to sum) from the header."""
    cols = list(frame.columns)
    age = _pick(cols, AGE_HEADERS) or cols[0]
    count = _pick(cols, COUNT_HEADERS)
    if count is not None:
        return age, [count]
    sexes = [_pick(cols, names) for names in SEX_HEADERS]
    if all(sexes):
        return age, [s for s in sexes if s]
    rest = [c for c in cols if c != age]
    if not rest:
        raise ShapanError("missing_columns", file="", columns="人数 / population")
    return age, [rest[0]]


def _headerless(frame: pd.DataFrame) -> pd.DataFrame:
    """A table whose first row is data (``60-64,12345``) comes back with that row restored."""
    try:
        first = parse_label(frame.columns[0])
    except ValueError:
        return frame
    if first is None:
        return frame
    restored = pd.DataFrame([list(frame.columns)], columns=range(frame.shape[1]))
    body = frame.set_axis(range(frame.shape[1]), axis=1)
    out = pd.concat([restored, body], ignore_index=True).astype(str)
    out.columns = ["age", *[f"count{i}" for i in range(1, frame.shape[1])]]
    out.attrs["headerless"] = True
    return out


def _bad(file: str, row: int, column: str, value: object, reason: str) -> ShapanError:
    return ShapanError("bad_value", file=file, row=row, column=column, value=str(value)[:40], reason=reason)


def from_frame(frame: pd.DataFrame, file: str) -> AgeTable:
    """Validated :class:`AgeTable` from text cells (see the module docstring for the rules)."""
    if frame.empty or frame.shape[1] < 2:
        raise ShapanError("missing_columns", file=file, columns="年龄组, 人数 / age_group, population")
    frame = _headerless(frame)
    offset = 1 if frame.attrs.get("headerless") else 2  # file row of the frame's first row
    try:
        age_col, count_cols = _columns(frame)
    except ShapanError:
        raise ShapanError("missing_columns", file=file, columns="人数 / population") from None
    groups: dict[int, tuple[float, int]] = {}
    open_start: tuple[int, int] | None = None
    for i, row in enumerate(frame.to_dict("records")):
        line = i + offset
        try:
            parsed = parse_label(row[age_col])
        except ValueError as exc:
            raise _bad(file, line, str(age_col), row[age_col], str(exc)) from None
        if parsed is None:
            continue
        start, is_open = parsed
        counts = []
        for col in count_cols:
            try:
                counts.append(parse_count(row[col]))
            except ValueError as exc:
                reason = str(exc) if "0" in str(exc) else "不是数字 / not a number"
                raise _bad(file, line, str(col), row[col], reason) from None
        if is_open:
            if open_start is not None:
                raise _bad(file, line, str(age_col), row[age_col],
                           f"第二个开口组 / a second open group (row {open_start[1]})")
            if start not in OPEN_STARTS:
                raise _bad(file, line, str(age_col), row[age_col], "开口组应从80/85/90/95/100岁开始 / the open group "
                           "must start at 80, 85, 90, 95 or 100")
            open_start = (start, line)
        if start in groups:
            raise _bad(file, line, str(age_col), row[age_col], f"重复 / duplicate of row {groups[start][1]}")
        groups[start] = (sum(counts), line)
    return _check_groups(groups, open_start, file)


def _check_groups(groups: dict[int, tuple[float, int]], open_start: tuple[int, int] | None,
                  file: str) -> AgeTable:
    if open_start is None:
        raise ShapanError("generic", detail=f"{file}: 缺少开口年龄组（如 85岁及以上 或 100+）/ no open age "
                                            "group such as 85+ or 100+")
    start, line = open_start
    above = [s for s in groups if s > start]
    if above:
        row = groups[min(above)][1]
        raise _bad(file, row, "age", f"{min(above)}-{min(above) + 4}",
                   f"在开口组{start}+之后 / after the open group {start}+ (row {line})")
    missing = [f"{a}-{a + 4}" for a in range(MIN_AGE, start, 5) if a not in groups]
    if missing:
        raise ShapanError("missing_key", file=file, key="年龄组 / age groups " + ", ".join(missing))
    kept = tuple((s, groups[s][0]) for s in sorted(groups) if s >= MIN_AGE)
    table = AgeTable(groups=kept)
    for lo, hi in ((60, 65), (65, None)):
        if table.total(lo, hi) <= 0:
            what = "60-64" if hi else "65+"
            raise ShapanError("generic", detail=f"{file}: {what} 人数为0 / has no persons")
    return table


def parse(data: bytes, file: str) -> AgeTable:
    """An uploaded age table (CSV/xlsx bytes) -> :class:`AgeTable`, within the upload budgets."""
    frame = table_input.read_table(data, file)
    return from_frame(frame, file)


def from_labels(labels: dict[str, float], file: str = "population.age_table") -> AgeTable:
    """The stored form ``{"45-49": n, ..., "85+": n}`` back to a validated :class:`AgeTable`."""
    if not isinstance(labels, dict) or not labels:
        raise ShapanError("wrong_type", file=file, key="population.age_table", expected="table of age groups",
                          value=type(labels).__name__)
    frame = pd.DataFrame({"年龄组": list(labels), "人数": [str(v) for v in labels.values()]})
    return from_frame(frame, file)


# ---------------------------------------------------------------------------------------------- shape


def _split(total: float, lower: float | None, upper: float | None, own: float) -> np.ndarray:
    """Five single-year counts of a group of ``total``: geometric with the ratio from its neighbours
    (computed in logs, so extreme ratios cannot overflow)."""
    if lower is not None and upper is not None and lower > 0 and upper > 0:
        log_ratio = (np.log(upper) - np.log(lower)) / 10
    elif lower is not None and lower > 0 and own > 0:
        log_ratio = (np.log(own) - np.log(lower)) / 5
    elif upper is not None and upper > 0 and own > 0:
        log_ratio = (np.log(upper) - np.log(own)) / 5
    else:
        log_ratio = 0.0
    exponents = log_ratio * np.arange(5)
    weights = np.exp(exponents - exponents.max())
    return total * weights / weights.sum()


def shape(table: AgeTable, national: np.ndarray) -> np.ndarray:
    """Single-year shares over ages 45..100+ (sum 1); see the module docstring.

    ``national`` is the national single-year shape over the same ages (:func:`models.population.age_shape`),
    used only to divide an open group ``A+`` (``A < 100``) among ages ``A..100+``."""
    ages = np.arange(MIN_AGE, OPEN_AGE + 1)
    national = np.asarray(national, dtype=float)
    if national.shape != ages.shape or np.any(national < 0):
        raise ShapanError("generic", detail=f"national shape: {ages.size} non-negative shares expected")
    counts = dict(table.groups)
    start = table.open_start
    out = np.zeros(ages.size)
    closed = [s for s in sorted(counts) if s < start]
    for s in closed:
        lower = counts.get(s - 5) if s - 5 in counts and s - 5 < start else None
        upper = counts.get(s + 5) if s + 5 < start else None
        out[s - MIN_AGE : s - MIN_AGE + 5] = _split(counts[s], lower, upper, counts[s])
    tail = national[start - MIN_AGE :]
    if tail.sum() > 0:
        out[start - MIN_AGE :] = counts[start] * tail / tail.sum()
    else:
        out[start - MIN_AGE] = counts[start]
    total = out.sum()
    if total <= 0:
        raise ShapanError("generic", detail="age table: no persons aged 45+")
    return out / total
