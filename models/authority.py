"""Who decides a target or standard: 区县 (the district), 市 (municipality / prefecture city), 省 or 中央.

One source of truth, in this order:

1. ``data/setters.csv`` when it exists and names the setter of this district's indicator (benefit standards:
   重庆 sets one 低保 standard for all its districts) — its ``level`` column;
2. ``data/decided_by.csv`` (district, indicator, decided_by, source, locator, note): a per-district override;
3. the ``decided_by`` column of ``data/indicator_meta.csv`` (default for every district; 区县 when empty).

:func:`decided_by` is the one function every surface (scorecard, report, CLI, goal-seek) calls.
"""

from __future__ import annotations

import functools

import pandas as pd

from models.data import DECIDERS, Dataset
from models.errors import ShapanError

LEVEL_WORDS = {  # setters.csv may spell the level in English or Chinese
    "district": "区县", "county": "区县", "区县": "区县", "区": "区县", "县": "区县",
    "city": "市", "municipality": "市", "市": "市",
    "province": "省", "省": "省",
    "central": "中央", "national": "中央", "中央": "中央",
}
LABELS_EN = {"区县": "district", "市": "municipality/city", "省": "province", "中央": "central government"}


@functools.cache
def _overrides(ds: Dataset) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    path = ds.root / "decided_by.csv"
    if path.exists():
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for i, row in enumerate(frame.itertuples(index=False), start=2):
            if row.decided_by not in DECIDERS:
                raise ShapanError(
                    "bad_value", file="decided_by.csv", row=i, column="decided_by", value=row.decided_by,
                    reason="允许/allowed: " + ", ".join(DECIDERS),
                )
            out[(row.district, row.indicator)] = row.decided_by
    setters = ds.root / "setters.csv"
    if setters.exists():
        frame = pd.read_csv(setters, dtype=str, keep_default_na=False)
        level_col = next((c for c in ("level", "setter_level", "decided_by") if c in frame.columns), None)
        if level_col and {"district", "indicator"} <= set(frame.columns):
            for row in frame.itertuples(index=False):
                level = LEVEL_WORDS.get(str(getattr(row, level_col)).strip().lower())
                if level:
                    out[(row.district, row.indicator)] = level
    return out


def decided_by(ds: Dataset, district: str, indicator: str) -> str:
    """区县 / 市 / 省 / 中央: who sets ``indicator`` for ``district`` (see the module docstring)."""
    level = _overrides(ds).get((district, indicator))
    return level or ds.meta_of(indicator, "decided_by", "区县")


def label(level: str, lang: str = "zh") -> str:
    return level if lang == "zh" else LABELS_EN.get(level, level)
