"""Parameters and data-quality findings as sentences: provenance strings of :mod:`models.resolve` and
findings of :mod:`models.checks` rewritten with labels instead of ids, in the report's language.

A provenance string of a shape this module does not know is printed as a generic "model estimate"
in Chinese (never the raw English text), and as it is in English.
"""

from __future__ import annotations

import re
from typing import Any

from models import labels
from models import scenario as sc
from models.reporting import fmt
from models.reporting import words as wd
from models.reporting.words import W

DATA_RE = re.compile(r"^data: (?P<ind>\w+) (?P<year>\d{4}) = (?P<value>[-\d.e+]+) \((?P<kind>\w+), (?P<src>\w+) ?(?P<loc>.*)\)$")
CAGR_RE = re.compile(r"^derived: CAGR (?P<a>\d{4})→(?P<b>\d{4}) of (?P<ind>\w+) \((?P<va>[-\d.e+]+)→(?P<vb>[-\d.e+]+)\)$")
ID_RE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
LONG_NUMBER = re.compile(r"(?<![\d.])\d+\.\d{3,}")  # printed to 2 decimals in a provenance sentence
KEY_RE = re.compile(r"\b[a-z]+\.[a-z0-9_]+\b")  # a parameter key such as uncertainty.growth_level_sd_pct
FILE_RE = re.compile(r"[\w/.-]+\.(csv|py|toml)\b")
FILE_WORDS = {"csv": ("参考数据表", "reference table"), "toml": ("参数文件", "parameter file"),
              "py": ("模型程序", "model code")}


def value_text(key: str, value: Any, ds: Any, lang: str) -> str:
    if isinstance(value, bool):
        return W("yes" if value else "no", lang)
    if isinstance(value, str):
        return labels.label("rule", value, lang)
    unit = sc.param_unit(key, "zh", ds.assumptions)
    if unit in ("", "×") and isinstance(value, float) and not value.is_integer():
        return fmt.number(value, 2, lang)
    return fmt.quantity(value, unit, lang, ds.units) if unit else fmt.number(value, 0, lang)


def _where(src: str, loc: str, ds: Any, lang: str) -> str:
    loc = loc.replace("→ derived", "").strip()
    if src == "shapan_model":
        return wd.locator(loc, lang) if loc.startswith("derived from") else W("kind_derived", lang) + " " + loc
    return " ".join(p for p in (wd.source_name(ds, src, lang), wd.locator(loc, lang)) if p)


def source_text(key: str, prov: str, ds: Any, lang: str) -> str:
    """The provenance of one resolved parameter as a sentence."""
    entry = ds.assumptions.get(key)
    if prov in ("user", "default", "not published"):
        return W({"user": "prov_user", "default": "prov_default", "not published": "prov_not_published"}[prov], lang)
    if m := DATA_RE.match(prov):
        unit = next(iter(ds.meta.loc[ds.meta["indicator"] == m["ind"], "unit"]), "")
        return W("prov_data", lang, label=ds.label(m["ind"], lang), year=m["year"],
                 value=fmt.quantity(float(m["value"]), unit, lang, ds.units), where=_where(m["src"], m["loc"], ds, lang))
    if m := CAGR_RE.match(prov):
        return W("prov_derived_cagr", lang, label=ds.label(m["ind"], lang), a=m["a"], b=m["b"],
                 va=fmt.number(float(m["va"]), 0, lang), vb=fmt.number(float(m["vb"]), 0, lang))
    if prov.startswith("source: "):
        src = prov.split(": ", 1)[1]
        return W("prov_source", lang, title=wd.source_name(ds, src, lang))
    if prov.startswith("assumption: "):
        ref = prov.split(": ", 1)[1]
        if ref in ds.assumptions:
            return W("prov_assumption", lang, reason=readable(ds.assumptions[ref].reason or "", ds, lang))
        if ref.startswith("grows with urban"):
            return W("prov_tekun_follows", lang)
        if ref.startswith("same as urban"):
            return W("prov_same_as_urban", lang)
    if prov.startswith("assumed: total population"):
        return W("prov_assumed_pop", lang)
    if prov.startswith("age table:"):
        return W("prov_age_table", lang)
    if entry is not None and entry.reason:
        return W("prov_assumption", lang, reason=readable(entry.reason, ds, lang))
    if lang == "zh":
        return W("prov_assumption_model", lang)
    return LONG_NUMBER.sub(lambda m: f"{float(m.group(0)):.2f}", readable(prov, ds, lang))


def row(key: str, value: Any, prov: str, ds: Any, lang: str) -> tuple[str, str, str]:
    return sc.param_label(key, lang, ds.assumptions), value_text(key, value, ds, lang), source_text(key, prov, ds, lang)


def readable(message: str, ds: Any, lang: str) -> str:
    """A checks message with district and indicator ids replaced by their names."""
    names = dict(zip(ds.districts["id"], ds.districts["name_zh" if lang == "zh" else "name_en"], strict=True))
    kinds = {k: W(f"kind_{k}", lang) for k in ("target", "baseline", "derived", "actual")}

    def swap(match: re.Match) -> str:
        token = match.group(0)
        if token in names:
            return names[token]
        if token in ds.sources:
            return wd.source_name(ds, token, lang)
        if labels.has("programme", token):
            return wd.programme(token, lang)
        label = ds.label(token, lang)
        return label if label != token else token

    def param(match: re.Match) -> str:
        key = match.group(0)
        known = key in sc.PARAMS or key in ds.assumptions
        return f"“{sc.param_label(key, lang, ds.assumptions)}”" if known else key

    text = FILE_RE.sub(lambda m: wd.pick(FILE_WORDS[m.group(1)], lang), message)
    text = re.sub(r"(\w+)(?:[，,] ?\1)+", r"\1", text)  # "模型程序，模型程序" once
    text = KEY_RE.sub(param, text)
    text = ID_RE.sub(swap, text)
    for term, pair in wd.TERMS.items():
        text = re.sub(rf"(?<![A-Za-z_]){re.escape(term)}(?![A-Za-z_])", wd.pick(pair, lang), text)
    for district_id, name in names.items():
        text = re.sub(rf"\b{district_id}\b", name, text)
    for kind, word in kinds.items():
        text = text.replace(f"（{kind}）", f"（{word}）").replace(f"({kind})", f"({word})")
    return text


def quality_sentence(finding: dict[str, Any], ds: Any, lang: str) -> str:
    level = W("quality_error" if finding["level"] == "error" else "quality_warning", lang)
    message = readable(finding["message_zh" if lang == "zh" else "message_en"], ds, lang)
    rows = finding.get("rows") or []
    rows_text = fmt.join([str(r) for r in rows], lang) if isinstance(rows, list | tuple) else str(rows)
    return W("quality_sentence", lang, level=level, message=message, rows=rows_text)
