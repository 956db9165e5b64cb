"""财政成本 Budget: labels and tables shared by the budget page and its question box — programme and
column ids from :mod:`models.views.budget` labelled from the registry (programmes, :mod:`models.labels`) and
the locale (columns), sums in 万元."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models.views import budget as vb
from models.views import fmt
from pages._ui import id_label, t, t_or


def prog_label(programme: str) -> str:
    """A programme id's name as the page shows it (models/labels ``[programme]`` / ``[programme_title]``)."""
    return id_label("programme", programme, title=True)


def money(value: Any) -> str:
    """A sum in 万元 as the page prints it (whole 万元), or "not available" when nothing is costed."""
    if fmt.is_missing(value):
        return t("budget.not_available")
    return t("budget.wan_yuan", value=fmt.number(value, 0))


def labelled(costs: pd.DataFrame) -> pd.DataFrame:
    return costs.assign(programme=[prog_label(p) for p in costs["programme"]])


def column_label(column: str) -> str:
    return t(f"budget.level_{column}") if column in vb.LEVELS else t_or(f"budget.col_{column}", column)


def show_table(frame: pd.DataFrame, key: str, container: Any = st) -> pd.DataFrame:
    """Render ``frame`` (column ids) with translated headers and display formats; return the translated
    frame for download (full precision)."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        if form := vb.column_format(column):
            config[column_label(column)] = st.column_config.NumberColumn(column_label(column), format=form)
    if "basis" in frame.columns:
        config[column_label("basis")] = st.column_config.TextColumn(column_label("basis"), width="large")
    table = frame.rename(columns={c: column_label(c) for c in frame.columns})
    container.dataframe(table, hide_index=True, width="stretch", key=key, column_config=config)
    return table
