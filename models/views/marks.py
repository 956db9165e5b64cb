"""Plan-target marks for charts: the rows ``models.charts.lines(targets=...)`` draws as points and rules.

A mark is one published figure at one year: ``year``, ``value``, ``label`` (what the tooltip names:
``养老床位 ≥12,000``) and ``source`` (the source's title and locator). Marks come either from the target
registry (:func:`target_rows`: one row per target, ``target`` column) or from the indicators table
(:func:`reference_rows`: the base-year figure and the targets, ``value`` column); :func:`marks` turns
either into chart rows. Targets without a number (``同步``, text targets) have no mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

SYMBOLS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
MARK_COLUMNS = ["year", "value", "label", "source"]
RowLabel = Callable[[Any], str]  # a row (itertuples: indicator, year, value, comparator, kind) -> its label


def target_rows(targets: pd.DataFrame, indicators: Iterable[str]) -> pd.DataFrame:
    """Numeric targets of ``indicators`` from the target registry (columns indicator, year, target,
    comparator, source, locator) as mark rows (``value`` = target, ``kind`` = "target")."""
    wanted = targets["indicator"].isin(list(indicators)) & targets["target"].notna()
    rows = targets[wanted & targets["comparator"].isin(list(SYMBOLS))]
    return pd.DataFrame({
        "indicator": rows["indicator"], "year": rows["year"].astype(int), "value": rows["target"].astype(float),
        "comparator": rows["comparator"], "kind": "target", "source": rows["source"], "locator": rows["locator"],
    })


def reference_rows(ind: pd.DataFrame, indicators: Iterable[str], base_year: int) -> pd.DataFrame:
    """Published base-year figures and targets of ``indicators`` from a district's indicators table."""
    base = (ind["kind"] == "baseline") & (ind["year"] == base_year)
    wanted = ind["indicator"].isin(list(indicators)) & ind["value"].notna()
    rows = ind[wanted & ((ind["kind"] == "target") | base)]
    rows = rows.drop_duplicates(subset=["indicator", "year", "kind", "value"])
    return pd.DataFrame({
        "indicator": rows["indicator"], "year": rows["year"].astype(int), "value": rows["value"].astype(float),
        "comparator": [c if k == "target" and isinstance(c, str) else "" for c, k in
                       zip(rows["comparator"], rows["kind"], strict=True)],
        "kind": rows["kind"], "source": rows["source"], "locator": rows["locator"],
    })


def target_text(comparator: str, value: float) -> str:
    """``≥12000`` / ``≤30`` / ``2.5`` (no comparator): a target as its mark prints it."""
    return f"{SYMBOLS.get(comparator, comparator)}{value:g}"


def source_text(sources: Mapping[str, Any], source: str, locator: Any = "") -> str:
    """The source's title (its id when unknown) and the locator: ``武隆区…规划 专栏2``."""
    title = str(sources.get(source, {}).get("title", source))
    where = locator if isinstance(locator, str) else ""
    return f"{title} {where}".strip()


def marks(rows: pd.DataFrame, sources: Mapping[str, Any], label: RowLabel | Mapping[str, str] | None = None,
          *, with_locator: bool = True) -> pd.DataFrame:
    """Chart marks (year, value, label, source) of :func:`target_rows` / :func:`reference_rows`.

    ``label``: a mapping indicator -> name (label ``name ≥12000``), a callable on the row, or None (label
    ``≥12000``: the chart shows one indicator).
    """
    if callable(label):
        labels = [label(r) for r in rows.itertuples(index=False)]
    else:
        names = label or {}
        labels = [f"{names.get(i, '')} {target_text(c, v)}".strip() if names else target_text(c, v)
                  for i, c, v in zip(rows["indicator"], rows["comparator"], rows["value"], strict=True)]
    return pd.DataFrame({
        "year": rows["year"].astype(int).to_list(),
        "value": rows["value"].astype(float).to_list(),
        "label": labels,
        "source": [source_text(sources, s, loc if with_locator else "") for s, loc in
                   zip(rows["source"], rows["locator"], strict=True)],
    }, columns=MARK_COLUMNS)
