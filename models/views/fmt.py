"""Numbers as the plans print them: one set of formatters for pages, report pack and CLI text.

Rounding follows the unit's dimension in ``data/units.csv`` (so a unit added there is formatted without
touching code): counts of people, beds, institutions → whole numbers; money rates (元/人·月, 元/年) and
元 → whole yuan; 万元 → one decimal; shares and rates (%, ‰, 百分点, %/年) and densities (张/千名老人,
个/万人) → one decimal; ratios (倍, ×) → two decimals; 张/年 → whole beds. A missing value (None, NaN,
``pd.NA``) prints as "—".

* :func:`number` — fixed decimals with thousands separators (``12,000``, ``51.2``).
* :func:`trimmed` — the same with trailing zeros dropped (``1.5`` not ``1.50``), for mixed-unit tables.
* :func:`significant` — six significant digits, for a table whose rows have different units.
* :func:`quantity` — a value in its unit's decimals with the unit (``55,275人``, ``29,341.0万元``).
* :func:`percent` — a probability 0–1 as a whole percentage (``<1%``, ``35%``, ``>99%``);
  :func:`percent_number` — its number with decimals (``81.25``); :func:`fraction` — ``80`` → ``0.8``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

DIMENSION_DECIMALS = {
    "count": 0, "money_rate": 0, "money": 0, "area": 0, "duration": 0, "age": 0,
    "share": 1, "rate": 1, "density": 1, "ratio": 2,
}
UNIT_DECIMALS = {"万元": 1, "张/年": 0}  # overrides of the dimension rule (beds are whole beds)
DEFAULT_DECIMALS = 1
UNIT_EN = {  # the unit as English text prints it (``data/units.csv`` label_en is a description)
    "元/人·月": "yuan/person/month", "元/人·年": "yuan/person/year", "元/月": "yuan/month", "元/年": "yuan/year",
    "元": "yuan", "万元": "10k yuan", "%": "%", "‰": "‰", "张": "beds", "张/千名老人": "beds per 1,000 elderly",
    "人": "persons", "人次": "person-times", "户": "households", "个": "", "家": "", "所": "", "名": "persons",
    "个/万人": "per 10k persons", "人/万人": "per 10k persons", "名/万人": "per 10k persons", "平方米": "m²",
    "次": "times", "年": "years", "岁": "years", "×": "×", "%/年": "%/yr", "百分点": "pct points",
    "百分点/年": "pct points/yr", "张/年": "beds/yr", "倍": "×", "月": "months", "名/村": "per village",
    "名/千名老人": "per 1,000 elderly", "名/百张床位": "per 100 beds", "人/年": "persons/yr",
}
NO_VALUE = "—"


def is_missing(value: Any) -> bool:
    """None, NaN or ``pd.NA``."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def decimals(unit: str, units: Any = None) -> int:
    """Decimals the plans use for ``unit`` (``units``: the ``data/units.csv`` frame, for the dimension)."""
    if unit in UNIT_DECIMALS:
        return UNIT_DECIMALS[unit]
    if units is not None:
        rows = units[units["unit"] == unit]
        if len(rows):
            return DIMENSION_DECIMALS.get(str(rows.iloc[0]["dimension"]), DEFAULT_DECIMALS)
    return DEFAULT_DECIMALS


def rounded(value: Any, places: int) -> float:
    """``value`` rounded to ``places`` decimals; NaN when missing; never −0."""
    if is_missing(value):
        return math.nan
    out = round(float(value), places)
    return 0.0 if out == 0 else out


def number(value: Any, places: int = 1, lang: str = "zh", *, signed: bool = False) -> str:
    """``value`` with thousands separators and ``places`` decimals (``+`` on positives when ``signed``)."""
    v = rounded(value, places)
    if math.isnan(v):
        return NO_VALUE
    return f"{v:{'+' if signed else ''},.{places}f}"


def trimmed(value: Any, places: int = 2) -> str:
    """:func:`number` with trailing zeros (and a trailing point) dropped: ``1,500``, ``1.5``, ``0.25``."""
    text = number(value, places)
    return text.rstrip("0").rstrip(".") if "." in text else text


def significant(value: Any, digits: int = 6) -> str:
    """A number to ``digits`` significant digits with thousands separators (``12,000``, ``0.123457``)."""
    if is_missing(value):
        return NO_VALUE
    return f"{value:,.{digits}g}"


def unit_text(unit: str, lang: str) -> str:
    """The unit in ``lang`` (Chinese: as the plans print it)."""
    return unit if lang == "zh" else UNIT_EN.get(unit, unit)


def quantity(value: Any, unit: str, lang: str = "zh", units: Any = None, with_unit: bool = True) -> str:
    """A value in its unit as the plans print it: ``55,275人``, ``51.2%``, ``29,341.0万元`` (en: ``55,275 persons``)."""
    text = number(value, decimals(unit, units), lang)
    if not with_unit or is_missing(value) or not unit:
        return text
    shown = unit_text(unit, lang)
    if shown in ("%", "‰", "×") or lang == "zh":
        return f"{text}{shown}"
    return f"{text} {shown}".rstrip()


def with_unit(value: Any, unit: str, places: int = 2) -> str:
    """``trimmed(value) unit`` (a space between), or just "—" when the value is missing."""
    text = trimmed(value, places)
    return text if text == NO_VALUE else f"{text} {unit}"


def fraction(percent_value: Any) -> float:
    """A percentage (``80``) as a fraction (``0.8``): what a probability input in % means to the models."""
    return float(percent_value) / 100.0


def percent_number(p: Any, places: int = 2) -> str:
    """A probability 0–1 as the number of a percentage, trailing zeros dropped (``0.8125`` → ``81.25``)."""
    return NO_VALUE if is_missing(p) else trimmed(float(p) * 100.0, places)


def percent(p: Any, lang: str = "zh") -> str:
    """A probability (0–1) as a whole percentage: ``<1%``, ``35%``, ``>99%``, ``100%``."""
    if is_missing(p):
        return NO_VALUE
    p = float(p)
    if p < 0.005:
        return "<1%"
    if p > 0.995:
        return ">99%" if p < 1 else "100%"
    return f"{round(p * 100):d}%"
