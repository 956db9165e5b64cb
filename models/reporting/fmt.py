"""Numbers and words as the plans print them: units' rounding, comparators, list separators.

Rounding follows the unit's dimension in ``data/units.csv`` (so a unit added there is formatted
without touching code): counts of people, beds, institutions → whole numbers; money rates (元/人·月,
元/年) → whole yuan; 万元 → one decimal; shares and rates (%, ‰, 百分点, %/年) and densities
(张/千名老人, 个/万人) → one decimal; ratios (倍, ×) → two decimals.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

DIMENSION_DECIMALS = {
    "count": 0, "money_rate": 0, "money": 0, "area": 0, "duration": 0, "age": 0,
    "share": 1, "rate": 1, "density": 1, "ratio": 2,
}
UNIT_DECIMALS = {"万元": 1, "张/年": 0}  # overrides of the dimension rule (beds are whole beds)
DEFAULT_DECIMALS = 1
UNIT_EN = {  # the unit as the English report prints it (``data/units.csv`` label_en is a description)
    "元/人·月": "yuan/person/month", "元/人·年": "yuan/person/year", "元/月": "yuan/month", "元/年": "yuan/year",
    "元": "yuan", "万元": "10k yuan", "%": "%", "‰": "‰", "张": "beds", "张/千名老人": "beds per 1,000 elderly",
    "人": "persons", "人次": "person-times", "户": "households", "个": "", "家": "", "所": "", "名": "persons",
    "个/万人": "per 10k persons", "人/万人": "per 10k persons", "名/万人": "per 10k persons", "平方米": "m²",
    "次": "times", "年": "years", "岁": "years", "×": "×", "%/年": "%/yr", "百分点": "pct points", "百分点/年": "pct points/yr", "张/年": "beds/yr",
    "倍": "×", "月": "months", "名/村": "per village", "名/千名老人": "per 1,000 elderly",
    "名/百张床位": "per 100 beds", "人/年": "persons/yr",
}
COMPARATORS = {
    ">=": ("≥", "≥"), "<=": ("≤", "≤"), "=": ("", ""), ">": (">", ">"), "<": ("<", "<"),
    "sync": ("与经济社会发展同步", "in step with the economy"),
}
LIST_SEP = {"zh": "、", "en": ", "}
NO_VALUE = {"zh": "—", "en": "—"}


def decimals(unit: str, units: Any = None) -> int:
    """Decimals the plans use for ``unit`` (``units``: the ``data/units.csv`` frame, for the dimension)."""
    if unit in UNIT_DECIMALS:
        return UNIT_DECIMALS[unit]
    if units is not None:
        rows = units[units["unit"] == unit]
        if len(rows):
            return DIMENSION_DECIMALS.get(str(rows.iloc[0]["dimension"]), DEFAULT_DECIMALS)
    return DEFAULT_DECIMALS


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: Any, places: int, lang: str = "zh") -> str:
    """``value`` with thousands separators and ``places`` decimals; "—" when missing."""
    if is_missing(value):
        return NO_VALUE[lang]
    value = round(float(value), places)
    if value == 0:
        value = 0.0  # no "-0"
    return f"{value:,.{places}f}"


def quantity(value: Any, unit: str, lang: str = "zh", units: Any = None, with_unit: bool = True) -> str:
    """A value in its unit as the report prints it: ``55,275人``, ``51.2%``, ``29,341.0万元``."""
    text = number(value, decimals(unit, units), lang)
    if not with_unit or is_missing(value) or not unit:
        return text
    shown = unit if lang == "zh" else UNIT_EN.get(unit, unit)
    if shown in ("%", "‰", "×") or lang == "zh":
        return f"{text}{shown}"
    return f"{text} {shown}".rstrip()


def unit_text(unit: str, lang: str) -> str:
    return unit if lang == "zh" else UNIT_EN.get(unit, unit)


def comparator(comp: str, lang: str) -> str:
    zh, en = COMPARATORS.get(comp, (comp, comp))
    return zh if lang == "zh" else en


def join(items: list[str], lang: str) -> str:
    return LIST_SEP[lang].join(items)


def percent(p: Any, lang: str = "zh") -> str:
    """A probability (0–1) as a whole percentage: ``约35%``-style callers add the wording."""
    if is_missing(p):
        return NO_VALUE[lang]
    p = float(p)
    if p < 0.005:
        return "<1%"
    if p > 0.995:
        return ">99%" if p < 1 else "100%"
    return f"{round(p * 100):d}%"


def probability_phrase(p: Any, lang: str = "zh") -> str:
    """A probability in a sentence: ``约35%``, ``不足1%``, ``超过99%`` (``about 35 %``, ``under 1 %``)."""
    text = percent(p, lang)
    words = {"<1%": ("不足1%", "under 1 %"), ">99%": ("超过99%", "over 99 %"), "100%": ("100%", "100 %")}
    if text in words:
        return words[text][0 if lang == "zh" else 1]
    return f"约{text}" if lang == "zh" else f"about {text}"


def timestamp(date: str) -> dt.datetime:
    """The report date (``YYYY-MM-DD``) as the files' created/modified time (00:00 UTC): same inputs, same bytes."""
    return dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC)
