"""Helpers shared by the AppTest page tests (one copy instead of five)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ACTUALS_WULONG = ROOT / "tests" / "fixtures" / "actuals_wulong_2025.csv"  # made-up 2025 actuals
HASH_RE = re.compile(r"`([0-9a-f]{12})`")
# A district's 5-year age table as a statistics bureau publishes it (made up; 60+ = 38,000 people)
AGE_TABLE_CSV = """年龄组,人数
45-49岁,16000
50-54岁,17000
55-59岁,15000
60-64岁,9000
65-69岁,11000
70-74岁,8000
75-79岁,5000
80-84岁,3000
85岁及以上,2000
"""


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """An .xlsx workbook (one sheet, ``rows`` as given) as bytes, for upload tests."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def new_app(timeout: int = 60, **query: str) -> AppTest:
    """The app with the given query parameters, after its first run."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params.update(query)
    return at.run()


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def scenario_hash(at: AppTest) -> str:
    """The scenario hash shown in the sidebar."""
    for caption in at.sidebar.caption:
        found = HASH_RE.search(caption.value)
        if found:
            return found.group(1)
    raise AssertionError("no scenario hash in the sidebar")


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page that has ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def upload_actuals(at: AppTest, district: str, fixture: Path = ACTUALS_WULONG) -> AppTest:
    """Upload an actuals CSV on the 期末评估 page's uploader of ``district`` and rerun."""
    return at.file_uploader(key=f"retro_upload_{district}").set_value(
        (fixture.name, fixture.read_bytes(), "text/csv")).run()


def chart_specs(at: AppTest) -> list[dict]:
    """The Vega-Lite specs of the charts on the page, with their data back inline.

    Pages show :func:`models.charts.display` specs: each layer's rows travel as a named dataset (Arrow, in the
    element's ``datasets``), the layer says ``{"name": ...}``. Put the rows back as ``{"values": [...]}`` so a
    test reads a chart's data as the builder made it (NaN comes back as None).
    """
    out = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        rows = {}
        for named in element.proto.datasets:
            frame = pa.ipc.open_stream(named.data.data).read_all().to_pandas()
            rows[named.name] = frame.astype(object).where(frame.notna(), None).to_dict("records")
        for layer in spec.get("layer", []):
            name = layer.get("data", {}).get("name")
            if name in rows:
                layer["data"] = {"values": rows[name]}
        out.append(spec)
    return out


def open_tab(at: AppTest, tabs_key: str, label: str) -> AppTest:
    """Open the tab labelled ``label`` of the lazy tabs ``tabs_key`` (:mod:`pages._lazy`) and rerun.

    Lazy tabs build only the open tab; a user clicks the tab, a test sets the widget state the click sets.
    """
    at.session_state[tabs_key] = label
    return at.run()
