"""The benefits page's model side (救助标准): which series it draws, their reference marks, the flags table.

Pure (no streamlit). ``paths`` is ``RunResult.benefits`` (year + one column per standard, 元/人·月, and
the rural/urban ratio, %); ``flags`` is ``RunResult.flags`` (:func:`models.benefits.compliance_flags`).
"""

from __future__ import annotations

import pandas as pd

from models import labels
from models.views import calendar as cal

# chart series -> indicator ids whose published baselines and targets are drawn on that chart
REFERENCES = {
    "dibao_urban_standard": ("dibao_urban_standard",),
    "dibao_rural_standard": ("dibao_rural_standard",),
    "tekun_standard": ("tekun_standard", "tekun_urban_standard", "tekun_rural_standard"),
    "orphan_standard": ("orphan_standard", "orphan_institution_standard", "orphan_scattered_standard"),
    "rural_urban_dibao_ratio": ("rural_urban_dibao_ratio",),
}
STANDARDS = ("dibao_urban_standard", "dibao_rural_standard", "tekun_standard", "orphan_standard")
HEADLINE = ("dibao_urban_standard", "dibao_rural_standard", "rural_urban_dibao_ratio", "tekun_standard")
FLAG_COLUMNS = ("year", "programme", "flag", "severity", "value", "threshold", "message")


def shown_standards(paths: pd.DataFrame) -> list[str]:
    """Standards the run projects (a district that publishes no orphan standard has no orphan chart)."""
    return [s for s in STANDARDS if s in paths and paths[s].notna().any()]


def headline(paths: pd.DataFrame, year: int = cal.PLAN_END_YEAR) -> dict[str, float]:
    """The headline series' values in ``year`` (the plan's end year by default)."""
    row = paths.set_index("year").loc[year]
    return {s: float(row[s]) for s in HEADLINE}


def series_frame(paths: pd.DataFrame, series: str, name: str) -> pd.DataFrame:
    """One series as a chart's long frame (year, value, series = ``name``)."""
    frame = paths[["year", series]].dropna().rename(columns={series: "value"})
    return frame.assign(series=name)


def flag_counts(flags: pd.DataFrame) -> dict[str, int]:
    """Flags per severity: ``{"error": n, "warning": m}``."""
    counts = flags["severity"].value_counts() if len(flags) else pd.Series(dtype=int)
    return {level: int(counts.get(level, 0)) for level in ("error", "warning")}


def flag_rows(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The flags with the programme's name and the message in ``lang`` (flag and severity stay codes)."""
    return pd.DataFrame({
        "year": flags["year"], "programme": [labels.programme(p, lang) for p in flags["programme"]],
        "flag": flags["flag"], "severity": flags["severity"], "value": flags["value"],
        "threshold": flags["threshold"], "message": flags["message_zh" if lang == "zh" else "message_en"],
    }, columns=list(FLAG_COLUMNS))
