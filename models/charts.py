"""Altair chart builders shared by the pages and the report (pure: no streamlit).

Every chart carries a caption line with the scenario hash and data version, draws plan targets as
points with a dashed rule, and puts the source in the tooltip. Labels are passed in by the caller in
the user's language.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from models.export import CJK_FONT

STATUS_COLOURS = {
    "met": "#1a9850",
    "on_track": "#66bd63",
    "at_risk": "#fdae61",
    "off_track": "#d73027",
    "not_modelled": "#bdbdbd",
}
STATUS_LABELS = {
    "met": ("已实现", "Met"),
    "on_track": ("可实现", "On track"),
    "at_risk": ("有风险", "At risk"),
    "off_track": ("难实现", "Off track"),
    "not_modelled": ("未建模", "Not modelled"),
}


def status_label(status: str, lang: str = "zh") -> str:
    zh, en = STATUS_LABELS.get(status, (status, status))
    return zh if lang == "zh" else en


def _caption(res_hash: str, data_version: str, lang: str) -> str:
    return (
        f"方案 {res_hash} · 数据版本 {data_version} · 来源：Shapan 模型"
        if lang == "zh"
        else f"scenario {res_hash} · data {data_version} · source: Shapan model"
    )


def _base(title: str, res_hash: str, data_version: str, lang: str) -> dict[str, Any]:
    return {"title": alt.TitleParams(title, subtitle=_caption(res_hash, data_version, lang), anchor="start")}


def _target_layers(targets: pd.DataFrame, lang: str) -> list[Any]:
    """Target points (diamond, tooltip with label and source) and a dashed rule at each target value."""
    tgt = targets.assign(year=targets["year"].astype(int))
    tooltip: list[Any] = ["year:O", "value:Q"]
    if "label" in tgt:
        tooltip.insert(0, alt.Tooltip("label:N", title="目标" if lang == "zh" else "Target"))
    if "source" in tgt:
        tooltip.append(alt.Tooltip("source:N", title="来源" if lang == "zh" else "Source"))
    point = alt.Chart(tgt).mark_point(shape="diamond", size=160, filled=True, color="#d73027")
    return [
        point.encode(x="year:O", y="value:Q", tooltip=tooltip),
        alt.Chart(tgt).mark_rule(strokeDash=[4, 4], color="#d73027").encode(y="value:Q"),
    ]


def _finish(layers: list[Any], title: str, res_hash: str, data_version: str, lang: str, height: int) -> Any:
    return (
        alt.layer(*layers, **_base(title, res_hash, data_version, lang))
        .properties(width="container", height=height)
        .configure(font=CJK_FONT)
    )


def lines(
    frame: pd.DataFrame,
    *,
    value_label: str,
    title: str,
    res_hash: str,
    data_version: str,
    lang: str = "zh",
    targets: pd.DataFrame | None = None,
    height: int = 320,
) -> alt.LayerChart:
    """Line chart of a long frame (year, series, value); optional target points (year, value, label, source)."""
    base = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="年份" if lang == "zh" else "Year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=value_label, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("series:N"), alt.Tooltip("year:O"), alt.Tooltip("value:Q", format=",.2f")],
        )
    )
    layers: list[Any] = [base]
    if targets is not None and not targets.empty:
        layers += _target_layers(targets, lang)
    return _finish(layers, title, res_hash, data_version, lang, height)


def fan(
    fan_frame: pd.DataFrame,
    *,
    value_label: str,
    title: str,
    res_hash: str,
    data_version: str,
    lang: str = "zh",
    target: float | None = None,
    target_year: int | None = None,
    height: int = 320,
) -> alt.LayerChart:
    """P10–P90 band with the P50 line (columns year, p10, p50, p90) and the target as a point."""
    band = (
        alt.Chart(fan_frame)
        .mark_area(opacity=0.25, color="#4575b4")
        .encode(
            x=alt.X("year:O", title="年份" if lang == "zh" else "Year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("p10:Q", title=value_label, scale=alt.Scale(zero=False)),
            y2="p90:Q",
            tooltip=[
                "year:O",
                alt.Tooltip("p10:Q", format=",.2f"),
                alt.Tooltip("p50:Q", format=",.2f"),
                alt.Tooltip("p90:Q", format=",.2f"),
            ],
        )
    )
    median = alt.Chart(fan_frame).mark_line(color="#4575b4").encode(x="year:O", y="p50:Q")
    layers: list[Any] = [band, median]
    if target is not None and target_year is not None and not math.isnan(target):
        layers += _target_layers(pd.DataFrame({"year": [int(target_year)], "value": [target]}), lang)
    return _finish(layers, title, res_hash, data_version, lang, height)


def stacked_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    colour: str,
    value_label: str,
    title: str,
    res_hash: str,
    data_version: str,
    lang: str = "zh",
    height: int = 320,
) -> alt.Chart:
    """Stacked bars (e.g. cost by programme and year)."""
    return (
        alt.Chart(frame, **_base(title, res_hash, data_version, lang))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:O", title="年份" if lang == "zh" else "Year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{y}:Q", title=value_label, stack=True),
            color=alt.Color(f"{colour}:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[f"{x}:O", f"{colour}:N", alt.Tooltip(f"{y}:Q", format=",.1f")],
        )
        .properties(width="container", height=height)
        .configure(font=CJK_FONT)
    )
