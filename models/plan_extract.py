"""Read a plan's indicator tables into review rows: id, year, value, unit, kind, comparator, binding, locator.

Rule-based and local (nothing leaves the machine). :mod:`models.plan_tables` finds the tables; here each
cell gets its meaning:

* **Columns** from the header: 序号; the label (``指标``); 单位; 属性 (binding); every ``20xx年`` column
  is a figure column -- a target when the header says 目标/规划 (or, unqualified, when the year is after
  2020), a baseline when it says 实现/完成/基数/现状/实际 (or, unqualified, up to 2020).
* **Unit** from the 单位 column, else from a trailing parenthesis of the label (``…覆盖率（%）``);
  normalised to ``data/units.csv`` (``元/人、月`` -> ``元/人·月``); 万人 -> 人 and 亿元 -> 万元 scale the value.
* **Value cell**: comparator words and signs (≥ > 不低于 不少于 达到 超过 以上 -> ``>=``; ≤ < 不超过 不高于
  以下 -> ``<=``; 同步 -> ``sync``), the number (``2.375万`` -> 23750), or a text target (``不低于上年度居民
  人均消费支出增速``: no number, the comparator and the printed text kept). ``—``/``-`` = no figure.
  A bare number takes the comparator the indicator's direction implies (registry), flagged "inferred".
* **Indicator id**: the label is compared with every ``label_zh`` of the registry
  (``data/indicator_meta.csv``) by character-bigram overlap (Dice), with a bonus when the units agree;
  the best id above :data:`MATCH_THRESHOLD` is proposed, the runners-up kept as candidates.

Every row is a proposal for the user to confirm in the review grid; ``flags`` says what was inferred.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from models import limits
from models.errors import ShapanError
from models.plan_tables import YEAR_RE, Table, tables_from_docx, tables_from_text
from models.views import calendar as cal

MATCH_THRESHOLD = 0.5
# what may surround the number of a numeric cell (anything else of 2+ Chinese characters = a text target)
NOISE_RE = re.compile(
    r"\d+(?:\.\d+)?|[≥≤><＞＜=%％万个人张元/·、.]|以上|以下|左右|不低于|不少于|达到|超过|不超过|不高于|保持"
)
MAX_BYTES = 20 * 1024 * 1024
NO_FIGURE = {"", "—", "——", "-", "--", "---", "/", "无", "－", "—-"}
GE_WORDS = ("≥", ">=", "＞", ">", "不低于", "不少于", "达到", "超过", "高于", "保持", "大于")
LE_WORDS = ("≤", "<=", "＜", "<", "不超过", "不高于", "低于", "控制在", "小于")
UNIT_MAP = {"％": "%", "%": "%", "元/人、月": "元/人·月", "元/人.月": "元/人·月", "元/人·月": "元/人·月",
            "元/人月": "元/人·月", "元/月·人": "元/人·月", "元/人、年": "元/人·年", "元/人·年": "元/人·年",
            "万人": "人", "亿元": "万元", "平方米": "平方米", "㎡": "平方米"}
UNIT_SCALE = {"万人": 10_000.0, "亿元": 10_000.0}
REVIEW_COLUMNS = ["use", "indicator", "label", "match", "candidates", "year", "value", "unit", "kind", "comparator",
                  "binding", "locator", "published", "flags"]


SYNONYMS = (("最低生活保障", "低保"), ("其中:", ""), ("其中：", ""))  # the plans' own abbreviations


def _norm_label(label: str) -> str:
    text = re.sub(r"[（(][^（）()]*[)）]", "", label)
    for long, short in SYNONYMS:
        text = text.replace(long, short)
    return re.sub(r"[\s“”\"'、，,。.：:；;（）()《》\-—]", "", text)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams of the normalised labels (0..1)."""
    x, y = _bigrams(_norm_label(a)), _bigrams(_norm_label(b))
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def match_indicator(label: str, unit: str, meta: pd.DataFrame) -> tuple[str, float, list[str]]:
    """(best id or "", its score, up to three candidate ids) for a printed label."""
    scored = []
    for ind, label_zh, meta_unit in zip(meta["indicator"], meta["label_zh"], meta["unit"], strict=True):
        score = similarity(label, label_zh)
        if unit and meta_unit:
            score += 0.05 if unit == meta_unit else -0.1
        scored.append((round(score, 4), ind))
    scored.sort(key=lambda s: (-s[0], s[1]))
    best = scored[0] if scored else (0.0, "")
    candidates = [ind for score, ind in scored[:3] if score >= MATCH_THRESHOLD / 2]
    return (best[1] if best[0] >= MATCH_THRESHOLD else ""), best[0], candidates


def split_unit(label: str, unit_cell: str) -> tuple[str, str, float]:
    """(label without unit, unit in data/units.csv terms, scale) from the label and the 单位 cell."""
    unit = unit_cell.strip().strip("()（）")
    m = re.search(r"[（(]([^（）()]*)[)）]\s*$", label)
    if m:
        if not unit:
            unit = m.group(1).strip()
        label = label[: m.start()].strip()
    scale = UNIT_SCALE.get(unit, 1.0)
    return label, UNIT_MAP.get(unit, unit), scale


def parse_value(text: str, scale: float = 1.0) -> dict[str, Any] | None:
    """A figure cell -> ``{"value", "comparator", "text_target"}``; None when the cell has no figure."""
    cell = re.sub(r"\s+", "", text)
    if cell in NO_FIGURE:
        return None
    if "同步" in cell:
        return {"value": math.nan, "comparator": "sync", "text_target": True}
    comparator = ""
    for words, sign in ((GE_WORDS, ">="), (LE_WORDS, "<=")):
        if any(cell.startswith(w) for w in words):
            comparator = sign
    if not comparator and cell.endswith("以上"):
        comparator = ">="
    elif not comparator and cell.endswith("以下"):
        comparator = "<="
    numbers = re.findall(r"\d+(?:\.\d+)?", cell)
    rest = re.sub(NOISE_RE, "", cell)
    if len(numbers) != 1 or re.search(r"[\u4e00-\u9fff]{2,}", rest):
        return {"value": math.nan, "comparator": comparator or ">=", "text_target": True}
    value = float(numbers[0])
    if "万" in cell and scale == 1.0:
        value *= 10_000
    return {"value": value * scale, "comparator": comparator, "text_target": False}


def _columns(header: list[str]) -> dict[str, Any]:
    cols: dict[str, Any] = {"years": []}
    for j, h in enumerate(header):
        year = YEAR_RE.search(h)
        if year:
            y = int(year.group(1))
            if re.search(r"实现|完成|基数|基期|现状|实际", h):
                kind = "baseline"
            elif re.search(r"目标|规划|预期", h):
                kind = "target"
            else:
                kind = "target" if y > cal.BASE_YEAR else "baseline"
            cols["years"].append((j, y, kind))
        elif "属性" in h:
            cols.setdefault("binding", j)
        elif h in {"序号", "序"}:
            cols.setdefault("serial", j)
        elif "单位" in h:
            cols.setdefault("unit", j)
        elif "指标" in h or "名称" in h:
            cols.setdefault("label", j)
    return cols


def _locator(table: Table, n: int) -> str:
    m = re.match(r"^((?:专栏|表)\s*\d+)", table.title)
    where = m.group(1).replace(" ", "") if m else (table.title or table.context or "指标表")
    return f"{where} 第{n}行"


def _table_rows(table: Table, meta: pd.DataFrame, direction: dict[str, str],
                units: dict[str, str]) -> list[dict[str, Any]]:
    cols = _columns(table.header)
    if "label" not in cols or not cols["years"]:
        return []
    out = []
    for n, row in enumerate(table.rows, start=1):
        cell = lambda key, row=row: row[cols[key]] if key in cols and cols[key] < len(row) else ""  # noqa: E731
        printed = cell("label")
        if not printed:
            continue
        label, unit, scale = split_unit(printed, cell("unit"))
        ind, score, candidates = match_indicator(label, unit, meta)
        registry_unit = units.get(ind, "")
        if registry_unit and (not unit or registry_unit.startswith(unit + "/")):
            unit = registry_unit  # 覆盖率 printed without (%); 每千名老人床位数 printed in 张
        binding = cell("binding") if cell("binding") in ("约束性", "预期性") else ""
        for j, year, kind in cols["years"]:
            text = row[j] if j < len(row) else ""
            parsed = parse_value(text, scale)
            if parsed is None:
                continue
            flags = []
            comparator = parsed["comparator"] if kind == "target" else ""
            if kind == "target" and not comparator:
                comparator = {"higher": ">=", "lower": "<="}.get(direction.get(ind, ""), ">=")
                flags.append("comparator_inferred")
            if parsed["text_target"]:
                flags.append("text_target")
            if not ind:
                flags.append("no_match")
            if scale != 1.0:
                flags.append("unit_scaled")
            out.append({
                "use": bool(ind), "indicator": ind, "label": label, "match": score, "candidates": ",".join(candidates),
                "year": year, "value": parsed["value"], "unit": unit, "kind": kind, "comparator": comparator,
                "binding": binding if kind == "target" else "", "locator": _locator(table, n),
                "published": text.strip(), "flags": ",".join(flags),
            })
    return out


def review_rows(tables: Iterable[Table], meta: pd.DataFrame) -> pd.DataFrame:
    """Every figure of every table as a review row (columns :data:`REVIEW_COLUMNS`)."""
    direction = dict(zip(meta["indicator"], meta["direction"], strict=True))
    units = dict(zip(meta["indicator"], meta["unit"], strict=True))
    rows = [r for t in tables for r in _table_rows(t, meta, direction, units)]
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def read_tables(data: bytes, file: str) -> list[Table]:
    """The tables of a .docx or a text file (UTF-8, UTF-8 with BOM or GBK)."""
    if len(data) > MAX_BYTES:
        raise limits.too_large(file, len(data), MAX_BYTES)
    if not data:
        raise ShapanError("file_empty", file=file)
    suffix = Path(file).suffix.lower()
    if suffix == ".docx":
        try:
            return tables_from_docx(data)
        except Exception as exc:  # python-docx raises zip, XML and KeyError alike on a damaged file
            raise ShapanError("generic", detail=f"{file}: 不是有效的docx文件 / not a valid .docx file ({exc})") from exc
    if suffix not in {".txt", ".text", ".md", ""}:
        raise ShapanError("generic", detail=f"{file}: 只支持 .docx 和 .txt / only .docx and .txt are read")
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return tables_from_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise ShapanError("encoding", file=file)


def extract(data: bytes, file: str, meta: pd.DataFrame) -> pd.DataFrame:
    """Review rows for a plan document (see the module doc)."""
    return review_rows(read_tables(data, file), meta)


def matched(review: pd.DataFrame) -> int:
    """Rows of the review grid matched to an indicator (ticked ``use``)."""
    return int(review["use"].astype(bool).sum())


def to_figures(review: pd.DataFrame) -> list[dict[str, Any]]:
    """The confirmed review rows (``use`` ticked) as rows of the workbook's 指标 sheet."""
    out = []
    for row in review.to_dict(orient="records"):
        if not row.get("use"):
            continue
        value = row.get("value")
        flags = str(row.get("flags") or "")
        out.append({
            "indicator": str(row.get("indicator") or "").strip(), "label": row.get("label", ""),
            "year": row.get("year"), "value": None if value is None or pd.isna(value) else float(value),
            "unit": row.get("unit", ""), "kind": row.get("kind", ""), "comparator": row.get("comparator", ""),
            "binding": row.get("binding", ""), "locator": row.get("locator", ""),
            "published": row.get("published", ""),
            "note": f"自动提取并经用户确认 / extracted, confirmed by the user{'; ' + flags if flags else ''}",
        })
    return out
