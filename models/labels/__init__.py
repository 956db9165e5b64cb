"""One label registry: the zh / en label of every id the models return (statuses, modes, programmes …).

Models return ids (``on_track``, ``dibao_urban``, ``约束性``); whoever prints them — the report pack, the CLI,
the pages — asks this registry for the label in the reader's language. The labels live in two files next
to this module, ``zh.toml`` and ``en.toml``, one table per kind of id (``[status]``, ``[mode]``,
``[domain]``, ``[programme]``, ``[programme_long]``, ``[programme_plain]``, ``[programme_title]``,
``[result]``, ``[binding]``, ``[rule]``, ``[rule_title]``, ``[series]``, ``[decider]``, ``[des_metric]``,
``[driver]``, ``[tier]``, ``[comparator]``, ``[basis]``, ``[basis_status]``); both files have the same tables
and keys (``tests/test_labels.py``). Indicator labels are data and stay in ``data/indicator_meta.csv``
(``Dataset.label``). A ``<kind>_title`` table holds the pages' heading / menu name of an id where it is not
simply the ``<kind>`` label with its first letter capitalised (:func:`title`).

An id the registry does not know prints as itself (``label``) or raises ``KeyError`` (``strict=True``), so
a new id shows up on screen rather than as a crash, and the test catches it.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from types import MappingProxyType
from typing import Any

HERE = Path(__file__).resolve().parent
LANGS = ("zh", "en")


@functools.cache
def _load(lang: str) -> MappingProxyType:
    if lang not in LANGS:
        raise ValueError(f'"lang" must be one of {LANGS}, not {lang!r}')
    raw = tomllib.loads((HERE / f"{lang}.toml").read_text(encoding="utf-8"))
    return MappingProxyType({kind: MappingProxyType(dict(table)) for kind, table in raw.items()})


def kinds() -> tuple[str, ...]:
    """The kinds of id the registry labels (its tables), in file order."""
    return tuple(_load("zh"))


def table(kind: str, lang: str = "zh") -> MappingProxyType:
    """id -> label of one kind in ``lang`` (read-only)."""
    return _load(lang)[kind]


def label(kind: str, value: Any, lang: str = "zh", *, strict: bool = False) -> str:
    """The label of ``value`` (an id of ``kind``) in ``lang``; the id itself when unknown (unless ``strict``)."""
    key = value if isinstance(value, str) else ""
    labels = table(kind, lang)
    if key in labels:
        return labels[key]
    if strict:
        raise KeyError(f"no {lang} label for {kind} id {value!r} in models/labels/{lang}.toml")
    return str(value)


def pair(kind: str, value: Any, *, strict: bool = False) -> tuple[str, str]:
    """(zh, en) labels of ``value``: for text that carries both languages (CLI fields, draft reasons)."""
    return label(kind, value, "zh", strict=strict), label(kind, value, "en", strict=strict)


def has(kind: str, value: Any) -> bool:
    return isinstance(value, str) and value in table(kind, "zh")


def programme(value: str, lang: str = "zh", *, long: bool = False, plain: bool = False) -> str:
    """A budget programme's name; ``long``: the report pack's fuller name where it has one; ``plain``: the
    name without the other language's script (``urban dibao``, not ``urban 低保``) where it differs."""
    for wanted, kind in ((long, "programme_long"), (plain, "programme_plain")):
        if wanted and has(kind, value):
            return label(kind, value, lang)
    return label("programme", value, lang)


def title(kind: str, value: Any, lang: str = "zh") -> str:
    """The label as a heading, menu entry or table row (the pages): ``[<kind>_title]`` where it lists
    ``value``, else the ``kind`` label with its first letter capitalised (``urban 低保`` -> ``Urban 低保``)."""
    if f"{kind}_title" in _load(lang) and has(f"{kind}_title", value):
        return label(f"{kind}_title", value, lang)
    return upper_first(label(kind, value, lang))


def upper_first(text: str) -> str:
    """``on track`` -> ``On track``: a label standing on its own in English (Chinese is unchanged)."""
    return text[:1].upper() + text[1:] if text[:1].isascii() else text


def lower_first(text: str) -> str:
    """``On track`` -> ``on track``: a label used inside an English sentence (Chinese is unchanged)."""
    return text[:1].lower() + text[1:] if text[:1].isascii() else text
