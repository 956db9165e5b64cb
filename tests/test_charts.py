"""Chart builders return valid Vega-Lite (checked against Altair's bundled schema) and render offline."""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd
import pytest

from models import charts
from models.export import chart_to_png, chart_to_svg

ARGS = {"res_hash": "abc123def456", "data_version": "0123456789ab", "lang": "zh"}


def _lines():
    frame = pd.DataFrame({"year": [2020, 2021, 2022] * 2, "series": ["甲"] * 3 + ["乙"] * 3,
                          "value": [1.0, 2.0, math.nan, 3.0, 4.0, 5.0]})
    targets = pd.DataFrame({"year": [2025], "value": [4.5], "label": ["≥4.5"], "source": ["专栏1"]})
    return charts.lines(frame, value_label="张", title="床位", targets=targets, **ARGS)


def _fan():
    frame = pd.DataFrame({"year": [2020, 2021], "p10": [1.0, 2.0], "p50": [2.0, 3.0], "p90": [3.0, 4.0]})
    return charts.fan(frame, value_label="%", title="比例", target=90.0, target_year=2021, **ARGS)


def _bars():
    frame = pd.DataFrame({"year": [2021, 2021, 2022], "programme": ["a", "b", "a"], "cost_wan_yuan": [1.0, 2.0, 3.0]})
    return charts.stacked_bars(frame, x="year", y="cost_wan_yuan", colour="programme", value_label="万元",
                               title="成本", **ARGS)


def _band():
    frame = pd.DataFrame({"metric": ["p_wait"] * 2, "year": [2021, 2022], "mean": [0.1, 0.2],
                          "ci_low": [0.05, 0.15], "ci_high": [0.15, 0.25]})
    return charts.band(frame, value_label="需等候概率", title="需等候概率", value_format=".0%",
                       tooltip_titles={"mean": "均值"}, **ARGS)


@pytest.mark.parametrize("build", [_lines, _fan, _bars, _band], ids=["lines", "fan", "bars", "band"])
def test_spec_is_valid_vega_lite(build):
    spec = build()
    json.dumps(spec)  # plain JSON: no NaN objects, no numpy scalars
    alt.LayerChart.from_dict(spec, validate=True)  # raises on any schema violation
    assert ARGS["res_hash"] in spec["title"]["subtitle"]
    assert spec["config"]["font"] == "Noto Sans CJK SC"


def test_nan_becomes_null_and_targets_are_drawn():
    spec = _lines()
    values = spec["layer"][0]["data"]["values"]
    assert values[2]["value"] is None
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "point", "rule"]
    assert spec["layer"][1]["data"]["values"][0]["source"] == "专栏1"


def test_fan_without_target_has_two_layers():
    frame = pd.DataFrame({"year": [2020], "p10": [1.0], "p50": [2.0], "p90": [3.0]})
    spec = charts.fan(frame, value_label="%", title="t", target=math.nan, target_year=2025, **ARGS)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "line"]


def test_exports_render_offline():
    spec = _bars()
    assert chart_to_png(spec, scale=1).startswith(b"\x89PNG")
    assert b"<svg" in chart_to_svg(spec)


def test_band_is_an_area_under_a_line_in_the_given_format():
    spec = _band()
    area, line = spec["layer"]
    assert (area["mark"]["type"], line["mark"]["type"]) == ("area", "line")
    assert (area["encoding"]["y"]["field"], area["encoding"]["y2"]["field"]) == ("ci_low", "ci_high")
    assert area["encoding"]["y"]["axis"]["format"] == ".0%"
    tips = {tip["field"]: tip for tip in line["encoding"]["tooltip"]}
    assert tips["mean"]["title"] == "均值"
    assert tips["ci_low"]["title"] == "ci_low"  # no name given: the field
    assert tips["ci_high"]["format"] == ".0%"
    assert area["data"]["values"] == [{"year": 2021, "mean": 0.1, "ci_low": 0.05, "ci_high": 0.15},
                                      {"year": 2022, "mean": 0.2, "ci_low": 0.15, "ci_high": 0.25}]


# ------------------------------------------------------------------------------ display (the page's spec)

BUILDERS = {"lines": _lines, "fan": _fan, "bars": _bars, "band": _band}


@pytest.mark.parametrize("name", BUILDERS)
def test_display_moves_data_to_named_datasets_and_keeps_everything_else(name):
    spec = BUILDERS[name]()
    shown = charts.display(spec)
    alt.LayerChart.from_dict(shown, validate=True)
    assert "usermeta" not in shown
    assert all("values" not in layer.get("data", {}) for layer in shown["layer"])
    # every layer reads the rows it read before, through its dataset name
    for before, after in zip(spec["layer"], shown["layer"], strict=True):
        assert shown["datasets"][after["data"]["name"]] == before["data"]["values"]
        assert {k: v for k, v in after.items() if k != "data"} == {k: v for k, v in before.items() if k != "data"}
    assert shown["title"]["text"] == spec["title"]["text"]
    assert shown["title"]["subtitle"] == "数据版本 0123456789ab · 来源：沙盘模型"
    assert ARGS["res_hash"] in spec["title"]["subtitle"]  # the builder's spec (exports) still names the scenario


def test_display_layers_that_share_data_share_one_dataset():
    shown = charts.display(_lines())  # target point and target rule share one data object
    names = [layer["data"]["name"] for layer in shown["layer"]]
    assert names == ["layer_data_0", "layer_data_1", "layer_data_1"]
    assert sorted(shown["datasets"]) == ["layer_data_0", "layer_data_1"]


def test_two_scenarios_give_the_same_display_spec_apart_from_the_datasets():
    """The point of display(): Streamlit swaps data in place (no re-embed) when only the datasets differ."""
    frame = pd.DataFrame({"year": [2020, 2021], "series": ["甲", "甲"], "value": [1.0, 2.0]})
    targets = pd.DataFrame({"year": [2025], "value": [4.5], "label": ["≥4.5"], "source": ["专栏1"]})
    one = charts.lines(frame, value_label="张", title="床位", targets=targets, **ARGS)
    other = charts.lines(frame.assign(value=[7.0, 9.0]), value_label="张", title="床位", targets=targets,
                         **{**ARGS, "res_hash": "ffffffffffff"})
    assert one != other
    a, b = charts.display(one), charts.display(other)
    assert a["datasets"] != b["datasets"]
    assert {k: v for k, v in a.items() if k != "datasets"} == {k: v for k, v in b.items() if k != "datasets"}


def test_display_renders_like_the_builders_spec_offline():
    """vl-convert draws the same marks from the display spec as from the builder's (only the subtitle differs)."""
    spec = _lines()
    same_subtitle = {**spec, "title": {**spec["title"], "subtitle": charts.display(spec)["title"]["subtitle"]}}
    svg = chart_to_svg(charts.display(spec))
    assert svg == chart_to_svg(same_subtitle)
    assert b"mark-line" in svg  # the lines are drawn
    assert b"mark-rule" in svg  # and the target rule


def test_display_english_subtitle():
    spec = charts.lines(pd.DataFrame({"year": [2020], "series": ["a"], "value": [1.0]}), value_label="beds",
                        title="Beds", **{**ARGS, "lang": "en"})
    assert charts.display(spec)["title"]["subtitle"] == "data 0123456789ab · source: Shapan model"


def test_display_leaves_a_single_view_spec_alone():
    spec = {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    assert charts.display(spec) is spec
