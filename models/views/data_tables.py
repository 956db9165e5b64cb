"""Tables of the data page (数据与来源): the district's indicator rows, sources, assumptions, check findings.

Pure (no streamlit): each function returns a frame with stable column ids; the page turns ids into
headers and codes (kind, operator, level …) into words through its locale files, and ``binding`` through
the label registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from models import labels
from models.data import Dataset

INDICATOR_COLUMNS = ["label", "year", "value", "unit", "kind", "comparator", "binding", "source", "locator",
                     "published", "note", "indicator"]
SOURCE_COLUMNS = ["id", "title", "issuer", "doc_no", "date", "kind", "status", "url", "note"]
ASSUMPTION_COLUMNS = ["key", "label", "value", "unit", "min", "max", "source", "reason"]
FINDING_COLUMNS = ["level", "district", "indicator", "code", "message", "rows"]


def source_title(ds: Dataset, source_id: str) -> str:
    """The source's title; its id when ``data/sources.toml`` does not list it."""
    return str(ds.sources.get(source_id, {}).get("title", source_id))


def indicator_rows(ds: Dataset, district: str, lang: str) -> pd.DataFrame:
    """The district's indicator rows with label, binding word and source title (ids kept for filtering)."""
    rows = ds.indicators_for(district)
    return pd.DataFrame({
        "label": [ds.label(i, lang) for i in rows["indicator"]],
        "year": rows["year"], "value": rows["value"], "unit": rows["unit"], "kind": rows["kind"],
        "comparator": rows["comparator"],
        "binding": [labels.label("binding", b, lang) if labels.has("binding", b) and b else b
                    for b in rows["binding"]],
        "source": [source_title(ds, s) for s in rows["source"]],
        "locator": rows["locator"], "published": rows["published"], "note": rows["note"],
        "indicator": rows["indicator"],
    }, columns=INDICATOR_COLUMNS)


def filter_rows(rows: pd.DataFrame, kinds: Iterable[str] = (), years: Iterable[int] = (),
                query: str = "") -> pd.DataFrame:
    """Rows of the chosen kinds and years whose indicator id or label contains ``query`` (any case)."""
    kinds, years = list(kinds), list(years)
    mask = pd.Series(True, index=rows.index)
    if kinds:
        mask &= rows["kind"].isin(kinds)
    if years:
        mask &= rows["year"].isin(years)
    needle = query.strip().lower()
    if needle:
        mask &= (rows["indicator"].str.lower().str.contains(needle, regex=False)
                 | rows["label"].str.lower().str.contains(needle, regex=False))
    return rows[mask]


def cited_sources(ds: Dataset, district: str) -> set[str]:
    """Source ids the district's plan, population, indicators and projects cite."""
    row = ds.district(district)
    cited = {row["plan_source"], row["population_source"]}
    return cited | set(ds.indicators_for(district)["source"]) | set(ds.projects_for(district)["source"])


def source_rows(ds: Dataset, district: str, show_all: bool = False) -> pd.DataFrame:
    """``data/sources.toml`` entries (all, or those the district cites), one row each."""
    cited = cited_sources(ds, district)
    ids = [s for s in ds.sources if show_all or s in cited]
    return pd.DataFrame([{"id": sid, **{k: str(ds.sources[sid].get(k, "")) for k in SOURCE_COLUMNS[1:]}}
                         for sid in ids], columns=SOURCE_COLUMNS)


def assumption_rows(ds: Dataset, lang: str, assumption_marker: str) -> pd.DataFrame:
    """Every model assumption with its value, range and source (``assumption_marker`` where it is one)."""
    return pd.DataFrame([{
        "key": a.key, "label": a.label_zh if lang == "zh" else a.label_en, "value": a.value, "unit": a.unit,
        "min": a.min, "max": a.max,
        "source": assumption_marker if a.is_assumption else source_title(ds, a.source),
        "reason": a.reason or a.note,
    } for a in ds.assumptions.values()], columns=ASSUMPTION_COLUMNS)


def district_findings(findings: list[dict[str, Any]], district: str, show_all: bool = False) -> list[dict]:
    """Check findings of the district (and those of no district), or all of them."""
    return list(findings) if show_all else [f for f in findings if f.get("district", "") in ("", district)]


def level_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    """Findings per level: ``{"error": n, "warning": m}``."""
    levels = [f.get("level", "") for f in findings]
    return {"error": levels.count("error"), "warning": levels.count("warning")}


def finding_rows(findings: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """One row per finding: level code, district, indicator, code, message in ``lang``, data rows."""
    return pd.DataFrame([{
        "level": str(f.get("level", "")), "district": f.get("district", ""), "indicator": f.get("indicator", ""),
        "code": f.get("code", ""), "message": f.get("message_zh" if lang == "zh" else "message_en", ""),
        "rows": ", ".join(map(str, f.get("rows") or [])),
    } for f in findings], columns=FINDING_COLUMNS)
