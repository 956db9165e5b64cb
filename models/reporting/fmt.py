"""Words the report prints around numbers: comparators, list separators, probability phrases, dates.

The numbers themselves (rounding by unit, thousands separators, units in each language) are formatted
by :mod:`models.views.fmt`, the one set of formatters the pages, the report pack and the CLI share; its
names are re-exported here for the report modules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.views.fmt import (  # noqa: F401 - re-exported for the report modules
    decimals,
    is_missing,
    number,
    percent,
    quantity,
    unit_text,
)

COMPARATORS = {
    ">=": ("≥", "≥"), "<=": ("≤", "≤"), "=": ("", ""), ">": (">", ">"), "<": ("<", "<"),
    "sync": ("与经济社会发展同步", "in step with the economy"),
}
LIST_SEP = {"zh": "、", "en": ", "}
NO_VALUE = {"zh": "—", "en": "—"}


def comparator(comp: str, lang: str) -> str:
    zh, en = COMPARATORS.get(comp, (comp, comp))
    return zh if lang == "zh" else en


def join(items: list[str], lang: str) -> str:
    return LIST_SEP[lang].join(items)


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
