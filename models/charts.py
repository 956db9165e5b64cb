"""Chart builders shared by the pages and the report (pure: no streamlit).

Each builder returns a Vega-Lite specification as a plain dict (the same JSON Altair would produce):
pages render it with ``st.vega_lite_chart`` and exports use vl-convert. Building the dict directly
skips Altair's object construction and schema validation, which were most of a page's re-render time;
``tests/test_charts.py`` validates every builder's output against the Vega-Lite schema instead.

Every chart carries a caption line with the scenario hash and data version, draws plan targets as
points with a dashed rule, and puts the source in the tooltip. Labels are passed in by the caller in
the user's language.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from models import labels
from models.export import CJK_FONT

STATUS_COLOURS = {  # one vocabulary (models.target_modes): future, past, then rows that cannot be judged yet
    "met": "#1a9850",
    "on_track": "#66bd63",
    "at_risk": "#fdae61",
    "off_track": "#d73027",
    "achieved": "#4d9221",
    "missed": "#b2182b",
    "needs_input": "#c6dbef",
    "quarantined": "#e7d4e8",
    "not_modelled": "#bdbdbd",
}


def mode_label(mode: str, lang: str = "zh") -> str:
    return labels.label("mode", mode, lang)


def domain_label(domain: str, lang: str = "zh") -> str:
    return labels.label("domain", domain, lang)


def status_label(status: str, lang: str = "zh") -> str:
    return labels.label("status", status, lang)


SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
TARGET_COLOUR = "#d73027"
BAND_COLOUR = "#4575b4"


def _display_caption(data_version: str, lang: str) -> str:
    """The subtitle on screen: the scenario hash is shown under the chart instead (see :func:`display`)."""
    return (
        f"数据版本 {data_version} · 来源：沙盘模型" if lang == "zh" else f"data {data_version} · source: Shapan model"
    )


def _caption(res_hash: str, data_version: str, lang: str) -> str:
    """The subtitle of exports and the report: the scenario hash, then the on-screen subtitle."""
    return f"{'方案' if lang == 'zh' else 'scenario'} {res_hash} · {_display_caption(data_version, lang)}"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: NaN -> None, numpy scalars -> Python."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in clean.to_dict("records")]


def _year_axis(lang: str) -> dict[str, Any]:
    return {"field": "year", "type": "ordinal", "title": "年份" if lang == "zh" else "Year", "axis": {"labelAngle": 0}}


def _spec(
    layers: list[dict[str, Any]], title: str, res_hash: str, data_version: str, lang: str, height: int
) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "config": {"font": CJK_FONT},
        "title": {"text": title, "subtitle": _caption(res_hash, data_version, lang), "anchor": "start"},
        "width": "container",
        "height": height,
        "layer": layers,
        "usermeta": {"shapan": {"display_subtitle": _display_caption(data_version, lang)}},
    }


def display(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as a page shows it: every layer's data as a named top-level dataset, no scenario hash.

    The spec a builder returns is self-contained (inline data, the scenario hash in the subtitle): that is
    what exports and the report draw. On screen, Streamlit re-embeds a chart -- Vega-Lite compile, Vega parse,
    full SVG redraw -- whenever the spec changes, but swaps the data in place when only the named datasets
    change. Moving the data out (``layer[i].data = {"name": "layer_data_k"}``, layers sharing one data object share
    one dataset) and the hash out of the subtitle (the page prints it under the chart) makes two scenarios'
    specs identical, so a lever change redraws in place: on the beds page the first chart is redrawn in
    ~210 ms instead of ~320 ms after Enter (``python benchmarks/load_test.py --rerender-only``).
    """
    if "layer" not in spec:  # a single view (e.g. models.drivers.chart_spec): Streamlit moves its data itself
        return spec
    names: dict[int, str] = {}
    datasets: dict[str, Any] = {}
    layers = []
    for layer in spec["layer"]:
        data = layer.get("data")
        if isinstance(data, dict) and "values" in data:
            name = names.setdefault(id(data), f"layer_data_{len(names)}")  # not "data_k": Vega-Lite's own names
            datasets[name] = data["values"]
            layer = {**layer, "data": {"name": name}}
        layers.append(layer)
    out = {k: v for k, v in spec.items() if k != "usermeta"}
    subtitle = spec.get("usermeta", {}).get("shapan", {}).get("display_subtitle")
    if subtitle is not None:
        out["title"] = {**spec["title"], "subtitle": subtitle}
    return {**out, "layer": layers, "datasets": {**spec.get("datasets", {}), **datasets}}


def _target_layers(targets: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Target points (diamond, tooltip with label and source) and a dashed rule at each target value."""
    data = {"values": _records(targets.assign(year=targets["year"].astype(int)))}
    tooltip: list[dict[str, Any]] = [{"field": "year", "type": "ordinal"}, {"field": "value", "type": "quantitative"}]
    if "label" in targets:
        tooltip.insert(0, {"field": "label", "type": "nominal", "title": "目标" if lang == "zh" else "Target"})
    if "source" in targets:
        tooltip.append({"field": "source", "type": "nominal", "title": "来源" if lang == "zh" else "Source"})
    y = {"field": "value", "type": "quantitative"}
    return [
        {
            "data": data,
            "mark": {"type": "point", "shape": "diamond", "size": 160, "filled": True, "color": TARGET_COLOUR},
            "encoding": {"x": {"field": "year", "type": "ordinal"}, "y": y, "tooltip": tooltip},
        },
        {"data": data, "mark": {"type": "rule", "strokeDash": [4, 4], "color": TARGET_COLOUR}, "encoding": {"y": y}},
    ]


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
) -> dict[str, Any]:
    """Line chart of a long frame (year, series, value); optional target points (year, value, label, source)."""
    layers = [
        {
            "data": {"values": _records(frame[["year", "series", "value"]])},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": _year_axis(lang),
                "y": {"field": "value", "type": "quantitative", "title": value_label, "scale": {"zero": False}},
                "color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
                "tooltip": [
                    {"field": "series", "type": "nominal"},
                    {"field": "year", "type": "ordinal"},
                    {"field": "value", "type": "quantitative", "format": ",.2f"},
                ],
            },
        }
    ]
    if targets is not None and not targets.empty:
        layers += _target_layers(targets, lang)
    return _spec(layers, title, res_hash, data_version, lang, height)


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
) -> dict[str, Any]:
    """P10–P90 band with the P50 line (columns year, p10, p50, p90) and the target as a point."""
    data = {"values": _records(fan_frame[["year", "p10", "p50", "p90"]])}
    band = {
        "data": data,
        "mark": {"type": "area", "opacity": 0.25, "color": BAND_COLOUR},
        "encoding": {
            "x": _year_axis(lang),
            "y": {"field": "p10", "type": "quantitative", "title": value_label, "scale": {"zero": False}},
            "y2": {"field": "p90"},
            "tooltip": [{"field": "year", "type": "ordinal"}]
            + [{"field": q, "type": "quantitative", "format": ",.2f"} for q in ("p10", "p50", "p90")],
        },
    }
    median = {
        "data": data,
        "mark": {"type": "line", "color": BAND_COLOUR},
        "encoding": {"x": {"field": "year", "type": "ordinal"}, "y": {"field": "p50", "type": "quantitative"}},
    }
    layers = [band, median]
    if target is not None and target_year is not None and not math.isnan(target):
        layers += _target_layers(pd.DataFrame({"year": [int(target_year)], "value": [target]}), lang)
    return _spec(layers, title, res_hash, data_version, lang, height)


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
) -> dict[str, Any]:
    """Stacked bars (e.g. cost by programme and year)."""
    layer = {
        "data": {"values": _records(frame[[x, y, colour]])},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {**_year_axis(lang), "field": x},
            "y": {"field": y, "type": "quantitative", "title": value_label, "stack": True},
            "color": {"field": colour, "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
            "tooltip": [
                {"field": x, "type": "ordinal"},
                {"field": colour, "type": "nominal"},
                {"field": y, "type": "quantitative", "format": ",.1f"},
            ],
        },
    }
    return _spec([layer], title, res_hash, data_version, lang, height)


def band(
    frame: pd.DataFrame,
    *,
    value_label: str,
    title: str,
    res_hash: str,
    data_version: str,
    lang: str = "zh",
    value_format: str = ",.1f",
    tooltip_titles: dict[str, str] | None = None,
    height: int = 320,
) -> dict[str, Any]:
    """Mean line with its 95 % confidence band (columns year, mean, ci_low, ci_high), e.g. one DES metric.

    ``value_format``: d3 format of the axis and tooltip (``".0%"`` for a probability); ``tooltip_titles``:
    the caller's names for ``mean``, ``ci_low``, ``ci_high`` in the user's language.
    """
    names = tooltip_titles or {}
    data = {"values": _records(frame[["year", "mean", "ci_low", "ci_high"]])}
    area = {
        "data": data,
        "mark": {"type": "area", "opacity": 0.25, "color": BAND_COLOUR},
        "encoding": {
            "x": _year_axis(lang),
            "y": {"field": "ci_low", "type": "quantitative", "title": value_label,
                  "axis": {"format": value_format}},
            "y2": {"field": "ci_high"},
        },
    }
    line = {
        "data": data,
        "mark": {"type": "line", "point": True, "color": BAND_COLOUR},
        "encoding": {
            "x": {"field": "year", "type": "ordinal"},
            "y": {"field": "mean", "type": "quantitative"},
            "tooltip": [{"field": "year", "type": "ordinal"}]
            + [{"field": f, "type": "quantitative", "format": value_format, "title": names.get(f, f)}
               for f in ("mean", "ci_low", "ci_high")],
        },
    }
    return _spec([area, line], title, res_hash, data_version, lang, height)
