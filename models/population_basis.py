"""Population basis (人口口径): whether a district's elderly count is 户籍 (registered) or 常住 (resident).

Chinese population counts come on two bases that can differ by a fifth or more in a district with
out-migration: **户籍人口** (registered residents, from the public-security household registers — the
basis civil-affairs statistics such as 每千名老年人床位 normally use) and **常住人口** (people living in
the district for six months or more — the census basis). A 60+ count, and every per-1,000-elderly
figure built on it, means nothing until its basis is stated.

One stated basis per district lives in ``data/reference/population_basis.csv``::

    district, basis (户籍 | 常住), status, source, locator, published, reason, reason_en

* ``status = source``: the plan states the basis (``published`` is the text as printed, at ``locator``);
* ``status = derived``: the count is computed from figures whose basis is known (e.g. census 常住 total ×
  the province's census 60+ share), ``source`` names them;
* ``status = assumption``: nobody states it; ``reason`` says why the basis was chosen.

A user district (``SHAPAN_HOME``) states it in its workbook's 60岁以上人口口径 cell (``cell_text`` /
``from_cell``: ``户籍`` or ``常住``, optionally ``｜status｜reason｜reason_en｜locator｜published``), stored as
its own ``reference/population_basis.csv``; without it, the free text of the 人口口径 cell
(``reference/district_population.csv`` column ``basis``) decides: 户籍 or 常住 when the text says so,
else ``未说明`` (not stated). When the user types the 60+ base figure in a scenario, the basis shown is the
district's with ``status = user`` (the user's figure is assumed to be on the district's basis). When the
scenario carries an uploaded age table, the basis is the one chosen with it (``[population]
age_table_basis``, ``status = table``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from models import labels
from models.data import Dataset
from models.errors import ShapanError

FILE = "reference/population_basis.csv"
TABLE = "population_basis"
BASES = ("户籍", "常住")  # with NOT_STATED: labelled in models/labels [basis]
NOT_STATED = "未说明"
STATUSES = ("source", "derived", "assumption", "user", "table")  # labelled in models/labels [basis_status]
BASE_KEY = "population.pop_60plus_base"



@dataclass(frozen=True)
class Basis:
    """The stated basis of one district's population counts, with where the statement comes from."""

    district: str
    basis: str  # 户籍 | 常住 | 未说明
    status: str  # source | derived | assumption | user
    source: str = ""
    locator: str = ""
    published: str = ""
    reason: str = ""
    reason_en: str = ""

    def label(self, lang: str = "zh") -> str:
        """``户籍人口`` / ``registered (hukou) population`` ..."""
        return labels.label("basis", self.basis, lang, strict=True)

    def reason_in(self, lang: str = "zh") -> str:
        return self.reason if lang == "zh" or not self.reason_en else self.reason_en

    def status_label(self, lang: str = "zh") -> str:
        return labels.label("basis_status", self.status, lang, strict=True)

    def describe(self, lang: str = "zh") -> str:
        """One line for a caption: ``口径：户籍人口（假设）`` / ``Basis: registered ... (assumption)``."""
        if lang == "zh":
            return f"口径：{self.label('zh')}（{self.status_label('zh')}）"
        return f"Basis: {self.label('en')} ({self.status_label('en')})"

    def as_json(self) -> dict[str, Any]:
        """The JSON form the CLI prints (``population_basis``; the district is the document's own)."""
        fields = {k: v for k, v in asdict(self).items() if k != "district"}
        return {**fields, "label_zh": self.label("zh"), "label_en": self.label("en")}


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def _check_row(row: dict[str, str], line: int, ds: Dataset) -> None:
    def bad(column: str, reason: str) -> ShapanError:
        return ShapanError("bad_value", file=FILE, row=line, column=column, value=row[column], reason=reason)

    if row["basis"] not in BASES:
        raise bad("basis", "允许/allowed: " + ", ".join(BASES))
    if row["status"] not in STATUSES[:3]:
        raise bad("status", "允许/allowed: " + ", ".join(STATUSES[:3]))
    if row["status"] == "assumption":
        if row["source"] != "assumption":
            raise bad("source", "假设行的来源应为 assumption / an assumption's source is 'assumption'")
        if not (row["reason"] and row["reason_en"]):
            raise bad("reason", "假设须说明理由 / an assumption needs its reason")
    elif row["source"] not in ds.sources:
        raise ShapanError("unknown_source", file=FILE, row=line, source=row["source"])
    if row["status"] == "source" and not (row["locator"] and row["published"]):
        raise bad("locator", "规划写明的口径须给出位置和原文 / a stated basis needs its locator and text")


def table(ds: Dataset) -> dict[str, Basis]:
    """Every stated basis (district id -> :class:`Basis`), validated; errors name the row and column."""
    try:
        frame = ds.reference(TABLE)
    except ShapanError:
        return {}
    columns = COLUMNS
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ShapanError("missing_columns", file=FILE, columns=", ".join(missing))
    out: dict[str, Basis] = {}
    for line, record in enumerate(frame[columns].to_dict("records"), start=2):
        row = {k: _text(v) for k, v in record.items()}
        _check_row(row, line, ds)
        if row["district"] in out:
            raise ShapanError("duplicate_row", file=FILE, row=line, other="?", key=row["district"])
        out[row["district"]] = Basis(**row)
    return out


def _from_workbook_text(ds: Dataset, district: str) -> Basis:
    pops = ds.reference("district_population")
    rows = pops[pops["district"] == district]
    text = _text(rows.iloc[0]["basis"]) if not rows.empty and "basis" in rows.columns else ""
    stated = [b for b in BASES if b in text]
    basis = stated[0] if len(stated) == 1 else NOT_STATED
    source = _text(rows.iloc[0]["source"]) if not rows.empty else ""
    return Basis(district=district, basis=basis, status="source" if basis != NOT_STATED else "assumption",
                 source=source, published=text,
                 reason="" if basis != NOT_STATED else "工作簿“人口口径”未写明户籍或常住",
                 reason_en="" if basis != NOT_STATED else "the workbook's population basis does not say 户籍 or 常住")


SEP = "｜"
WORKBOOK_CELL = "工作簿 区县表 60岁以上人口口径"
STATUS_WORDS = {"规划写明": "source", "推定": "derived", "假设": "assumption",
                "source": "source", "derived": "derived", "assumption": "assumption"}
COLUMNS = ["district", "basis", "status", "source", "locator", "published", "reason", "reason_en"]


def cell_text(basis: Basis) -> str:
    """The workbook cell for a basis: ``户籍｜假设｜reason｜reason_en`` (trailing empty parts dropped)."""
    word = {"source": "规划写明", "derived": "推定", "assumption": "假设"}.get(basis.status, "")
    parts = [basis.basis, word, basis.reason, basis.reason_en, basis.locator, basis.published]
    while parts and not parts[-1]:
        parts.pop()
    return SEP.join(p.replace(SEP, "|") for p in parts)


def from_cell(text: str, district: str, plan_source: str, population_source: str) -> dict[str, str] | None:
    """A workbook cell (:func:`cell_text`) -> a ``population_basis.csv`` row; None for a blank cell.

    Raises ``ValueError`` naming what is wrong (the importer turns it into an error naming the cell)."""
    parts = [p.strip() for p in str(text or "").replace("|", SEP).split(SEP)]
    if not parts[0]:
        return None
    if parts[0] not in BASES:
        raise ValueError("应为 户籍 或 常住 / must be 户籍 or 常住")
    parts += [""] * (6 - len(parts))
    status = STATUS_WORDS.get(parts[1] or "source")  # a bare 户籍 / 常住: stated by the workbook itself
    if status is None:
        raise ValueError("第二部分应为 规划写明/推定/假设 / the second part must be 规划写明, 推定 or 假设")
    reason = parts[2] or ("用户工作簿写明" if status == "source" else "")
    if status != "source" and not reason:
        raise ValueError("假设或推定须写明理由：户籍｜假设｜理由 / an assumption needs its reason")
    source = {"source": plan_source, "derived": population_source or plan_source}.get(status, "assumption")
    locator, published = parts[4], parts[5]
    if status == "source" and not (locator and published):
        locator, published = WORKBOOK_CELL, parts[0]
    return {"district": district, "basis": parts[0], "status": status, "source": source, "locator": locator,
            "published": published, "reason": reason, "reason_en": parts[3] or reason}


def basis_of(ds: Dataset, district: str) -> Basis:
    """The stated population basis of ``district`` (see the module docstring)."""
    ds.district(district)
    stated = table(ds).get(district)
    return stated if stated is not None else _from_workbook_text(ds, district)


def basis_for(res: Any, ds: Dataset) -> Basis:
    """The basis of a resolved scenario's population: with an uploaded age table, the basis chosen for it
    (``table``; ``未说明`` when an older scenario file does not say); else the district's, marked ``user``
    when the user set the 60+ base figure."""
    basis = basis_of(ds, res.district)
    scenario = getattr(res, "scenario", None)
    if scenario is not None and scenario.age_table and str(res.provenance.get(BASE_KEY, "")).startswith("age table"):
        chosen = scenario.age_table_basis or NOT_STATED
        reason = ("" if scenario.age_table_basis else
                  "场景中的年龄表未写明户籍或常住（旧场景文件）；请在人口页选择口径")
        reason_en = ("" if scenario.age_table_basis else
                     "the scenario's age table does not say 户籍 or 常住 (an older scenario file); "
                     "choose the basis on the population page")
        return Basis(district=basis.district, basis=chosen, status="table",
                     locator="[population] age_table_basis", published=scenario.age_table_basis,
                     reason=reason, reason_en=reason_en)
    if str(res.provenance.get(BASE_KEY, "")).startswith(("user", "age table")):
        return Basis(district=basis.district, basis=basis.basis, status="user", source=basis.source,
                     locator=basis.locator, published=basis.published, reason=basis.reason,
                     reason_en=basis.reason_en)
    return basis
