"""Who decides a target or standard: 区县 (the district), 市 (municipality / prefecture city), 省 or 中央.

One source of truth, in this order:

1. ``data/setters.csv`` via :func:`models.setters.decided_by` (benefit standards: 重庆 sets one 低保 standard
   for all its districts; 珠山's are set by 景德镇市);
2. ``data/decided_by.csv`` (district, indicator, decided_by, source, locator, note): a per-district override;
3. the ``decided_by`` column of ``data/indicator_meta.csv`` (default for every district; 区县 when empty).

:func:`decided_by` is the one function every surface (scorecard, report, CLI, goal-seek) calls.
"""

from __future__ import annotations

import functools

import pandas as pd

from models import labels, setters
from models.data import DECIDERS, Dataset
from models.errors import ShapanError


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
    return out


@functools.cache  # data only (a Dataset is one load): the targets table asks once per target on every rerun
def decided_by(ds: Dataset, district: str, indicator: str) -> str:
    """区县 / 市 / 省 / 中央: who sets ``indicator`` for ``district`` (see the module docstring)."""
    if (ds.root / setters.SETTERS_FILE).exists():
        level = setters.decided_by(ds, district, indicator)  # benefit standards: data/setters.csv
        if level:
            return level
    level = _overrides(ds).get((district, indicator))
    return level or ds.meta_of(indicator, "decided_by", "区县")


def label(level: str, lang: str = "zh") -> str:
    return labels.label("decider", level, lang)
