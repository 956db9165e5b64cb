"""Words of the 期末评估 and 十五五 tables in the reader's language: where an actual or base figure came from.

The evaluation (:mod:`models.evaluation`), backtest (:mod:`models.backtest`) and rebase
(:mod:`models.rebase`) record each figure's origin as a provenance string — the user's document
(``用户录入（…）``), a formula over indicator ids (``derived: elderly_beds ÷ population_60plus × 1000``), a
projection (``projected from 2020 (scenario 'baseline')``) or ``not published``. :func:`source_text` prints
it with indicator labels instead of ids, in Chinese or English; a document the user typed is kept as typed.
A formula this module does not know is printed as "推算值" / "derived value", never as its raw text.
"""

from __future__ import annotations

import re
from typing import Any

from models import labels
from models import rebase as rb

FORMULAS = {  # the formula after "derived: " -> the same formula over indicator ids, as {id} fields
    "rural ÷ urban 低保 standard": "{dibao_rural_standard} ÷ {dibao_urban_standard} × 100",
    "elderly_beds ÷ population_60plus × 1000": "{elderly_beds} ÷ {population_60plus} × 1000",
    "elderly_beds ÷ beds_per_1000_elderly × 1000": "{elderly_beds} ÷ {beds_per_1000_elderly} × 1000",
    "rural_urban_dibao_ratio × urban 低保": "{rural_urban_dibao_ratio} × {dibao_urban_standard}",
    "rural 低保 ÷ rural_urban_dibao_ratio": "{dibao_rural_standard} ÷ {rural_urban_dibao_ratio}",
    "100 − gov_operated_bed_share": "100 − {gov_operated_bed_share}",
}
TEKUN_RE = re.compile(r"^特困 = (?P<k>[\d.]+) × urban 低保 \(benefits\.tekun_multiplier\)$")
PROJECTED_RE = re.compile(r"^(?P<body>.*?) ?\(projected from (?P<year>\d{4})(?: \(scenario '(?P<name>[^']*)'\))?\)$")
PROJECTED_ONLY_RE = re.compile(r"^projected from (?P<year>\d{4})(?: \(scenario '(?P<name>[^']*)'\))?$")
WORDS = {
    "derived": ("推算：{formula}", "derived: {formula}"),
    "derived_unknown": ("推算值", "derived value"),
    "projected_note": ("（{year}年起预测）", " (projected from {year})"),
    "projected": ("按{year}年信息预测", "projected from {year} information"),
    "not_published": ("未公布", "not published"),
    "user": ("用户录入", "entered by the user"),
    "user_doc": ("用户录入（{doc}）", "entered by the user ({doc})"),
}


def w(key: str, lang: str, **fmt: Any) -> str:
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**fmt)


def label(ds: Any, indicator: str, lang: str) -> str:
    """The indicator's label; model series without a meta row get theirs from the label registry."""
    if labels.has("series", indicator) and ds.label(indicator, lang) == indicator:
        return labels.label("series", indicator, lang)
    return ds.label(indicator, lang)


def _formula(formula: str, ds: Any, lang: str) -> str | None:
    note = ""
    if m := PROJECTED_RE.match(formula):
        formula, note = m["body"], w("projected_note", lang, year=m["year"])
    if m := TEKUN_RE.match(formula):
        text = f"{label(ds, 'tekun_standard', lang)} = {m['k']} × {label(ds, 'dibao_urban_standard', lang)}"
        return text + note
    template = FORMULAS.get(formula)
    if template is None:
        return None
    ids = re.findall(r"\{(\w+)\}", template)
    return template.format(**{i: label(ds, i, lang) for i in ids}) + note


def source_text(source: Any, ds: Any, lang: str) -> str:
    """Where a figure came from, in ``lang`` (module docstring)."""
    text = "" if source is None or not isinstance(source, str) else source.strip()
    if not text:
        return ""
    if text == rb.USER_ENTRY:
        return w("user", lang)
    if text.startswith(rb.USER_ENTRY + "（") and text.endswith("）"):
        return w("user_doc", lang, doc=text[len(rb.USER_ENTRY) + 1:-1])
    if text == "not published":
        return w("not_published", lang)
    if m := PROJECTED_ONLY_RE.match(text):
        return w("projected", lang, year=m["year"])
    if text.startswith("derived: "):
        formula = _formula(text.removeprefix("derived: "), ds, lang)
        return w("derived_unknown", lang) if formula is None else w("derived", lang, formula=formula)
    return text  # a document the user named: printed as typed
