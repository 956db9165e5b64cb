"""The retrospective page's model side (期末评估): drafts of the 15th plan evaluated on the current run.

:func:`with_drafts` adds typed actuals (kind ``actual`` / ``derived``) and draft targets (kind ``target``,
source ``draft``, year 2030) to the dataset; :func:`draft_rows` evaluates the drafts with
:func:`models.target_modes.evaluate` like any plan target (projection for 2030, latest actual or base
figure, required growth, gap, status) and returns one row per draft with stable column ids.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from models import evaluation_display as ed
from models import labels, target_modes
from models.data import COMPARATORS, INDICATOR_COLUMNS, Dataset
from models.views import calendar as cal

DRAFT_YEAR = cal.NEXT_PLAN_END_YEAR
DRAFT_SOURCE = "draft"
ACTUAL_COLUMNS = ["indicator", "year", "value", "source"]
DRAFT_COLUMNS = ["indicator", "target", "comparator"]
DRAFT_ROW_COLUMNS = ["label", "comparator", "target", "projected", "latest", "latest_year", "required_growth",
                     "gap", "status", "unit"]
DRAFT_COMPARATORS = sorted(COMPARATORS - {"sync"}, reverse=True)  # ">=", "=", "<=" (a draft needs a number)


def target_indicators(ds: Dataset, district: str) -> list[str]:
    """Indicators the district's plan sets a numeric target for (the actuals editor's choices)."""
    ind = ds.indicators_for(district)
    return list(dict.fromkeys(ind[(ind["kind"] == "target") & ind["value"].notna()]["indicator"]))


def later_actuals(actuals: pd.DataFrame | None) -> pd.DataFrame | None:
    """Actuals after the base year (what a rebase on them needs); None when there are none."""
    if actuals is None:
        return None
    later = actuals[actuals["year"] > cal.BASE_YEAR]
    return None if later.empty else later


def backtest_counts(bt: pd.DataFrame) -> tuple[int, int]:
    """(met, missed) of a :func:`models.backtest.backtest` frame."""
    return int(bt["met"].sum()), int((~bt["met"].astype(bool)).sum())


def with_drafts(ds: Dataset, district: str, actuals: pd.DataFrame | None, drafts: pd.DataFrame) -> Dataset:
    """The dataset plus the actuals (their kind) and the drafts (kind ``target``, source ``draft``, 2030)."""
    units = dict(zip(ds.meta["indicator"], ds.meta["unit"], strict=True))
    blank = dict.fromkeys(INDICATOR_COLUMNS, "")
    rows = [{**blank, "district": district, "indicator": d.indicator, "year": DRAFT_YEAR,
             "value": float(d.target), "unit": units.get(d.indicator, ""), "kind": "target",
             "comparator": d.comparator, "source": DRAFT_SOURCE} for d in drafts.itertuples()]
    if actuals is not None:
        rows += [{**blank, "district": district, "indicator": a.indicator, "year": int(a.year),
                  "value": float(a.value), "unit": units.get(a.indicator, ""), "kind": a.kind,
                  "source": a.source or "actual"} for a in actuals.itertuples()]
    extra = pd.DataFrame(rows, columns=INDICATOR_COLUMNS).astype(ds.indicators.dtypes.to_dict())
    return dataclasses.replace(ds, indicators=pd.concat([ds.indicators, extra], ignore_index=True))


def complete_drafts(drafts: pd.DataFrame) -> pd.DataFrame:
    """The draft rows with indicator, target and comparator all filled in."""
    return drafts.dropna(subset=DRAFT_COLUMNS)


def draft_rows(run, ds: Dataset, district: str, actuals: pd.DataFrame | None, drafts: pd.DataFrame,
               lang: str) -> pd.DataFrame:
    """Each complete draft evaluated on ``run`` (columns :data:`DRAFT_ROW_COLUMNS`, words in ``lang``)."""
    frame = target_modes.evaluate(run, with_drafts(ds, district, actuals, complete_drafts(drafts)))
    frame = frame[(frame["source"] == DRAFT_SOURCE) & (frame["year"] == DRAFT_YEAR)]
    return pd.DataFrame({
        "label": [ds.label(i, lang) for i in frame["indicator"]],
        "comparator": [ed.SYMBOLS.get(c, c) for c in frame["comparator"]],
        "target": frame["target"].to_list(), "projected": frame["projected"].to_list(),
        "latest": frame["baseline"].to_list(), "latest_year": frame["baseline_year"].to_list(),
        "required_growth": frame["required_growth"].to_list(), "gap": frame["gap"].to_list(),
        "status": [labels.label("status", s, lang) for s in frame["status"]],
        "unit": [ed.unit_text(u, lang, ds) for u in frame["unit"]],
    }, columns=DRAFT_ROW_COLUMNS)
