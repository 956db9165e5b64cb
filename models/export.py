"""Export helpers shared by the UI, the CLI and the report: tables to CSV/xlsx bytes, charts to PNG/SVG.

Pure functions (no streamlit). Two concerns beyond formatting:

* **Excel opens Chinese correctly.** CSV is written as UTF-8 with a byte-order mark (``utf-8-sig``);
  without it Excel on Chinese Windows guesses GBK and shows mojibake.
* **Formula injection (CSV/DDE injection).** A text cell that starts with ``=``, ``+``, ``-``, ``@``
  (or a tab / carriage return) is executed as a formula when a spreadsheet opens the file. Such *text*
  cells get a leading apostrophe (OWASP recommendation). Numbers are never touched: ``-3`` stored as a
  number stays ``-3``; only strings are rewritten. xlsx files are additionally written with
  ``strings_to_formulas`` off, so no string ever becomes a formula.

File names carry the scenario hash and the data version so a downloaded file can be traced back to the
exact inputs (see DESIGN.md, "every number shown has its source or 'model' with the scenario hash").
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CJK_FONT = "Noto Sans CJK SC"
EXPORT_WIDTH_PX = 800  # used when a chart asks for the container width, which a file does not have
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_NAME_BAD = re.compile(r"[^\w\-.]+")


def neutralise_cell(value: Any) -> Any:
    """Prefix ``'`` to a string that a spreadsheet would read as a formula -- also after leading blanks
    or line breaks (``" =1"``, ``"\\n=1"``), which some spreadsheets skip; other values unchanged."""
    if isinstance(value, str) and (value.startswith(FORMULA_PREFIXES)
                                   or value.lstrip(" \t\r\n").startswith(FORMULA_PREFIXES)):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) passed through :func:`neutralise_cell`.

    Numeric columns are left as they are, so negative numbers stay numbers.
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
            out[col] = series.map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out


# Column headers that name a count of people or beds (the UI's and the report's words, both languages):
# such columns are exported as whole numbers. Other float columns keep :data:`EXPORT_DECIMALS` decimals
# (:data:`SMALL_DECIMALS` where every value is below 1, e.g. a payment ratio), never a 15-digit float.
COUNT_HEADER = re.compile(r"（人）|\(persons\)|人数|（张）|\(beds\)|^beds$|^Beds$|recipients|Recipients")
NOT_COUNT = re.compile(r"%|‰|比|率|每|per |share|ratio|Ratio|Share")
EXPORT_DECIMALS, SMALL_DECIMALS = 2, 4


def tidy_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with float columns rounded for a person to read: counts of people and beds (by header,
    :data:`COUNT_HEADER`) as whole numbers, other floats to 2 decimals (4 when all values are below 1)."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if not pd.api.types.is_float_dtype(series.dtype):
            continue
        if COUNT_HEADER.search(str(col)) and not NOT_COUNT.search(str(col)):
            out[col] = series.round(0).astype("Int64")
        else:
            small = bool((series.dropna().abs() < 1).all())
            out[col] = series.round(SMALL_DECIMALS if small else EXPORT_DECIMALS)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with BOM (Excel-friendly), formula cells neutralised, numbers tidied, no index."""
    return neutralise_frame(tidy_numbers(frame)).to_csv(index=False).encode("utf-8-sig")


def _sheet_name(name: str) -> str:
    cleaned = _SHEET_BAD.sub("_", name).strip("'") or "Sheet1"
    return cleaned[:31]


def to_xlsx_bytes(
    frames: pd.DataFrame | Mapping[str, pd.DataFrame], sheet_name: str = "data", created: Any = None
) -> bytes:
    """An xlsx workbook (xlsxwriter) from one frame or ``{sheet name: frame}``; formula cells neutralised.

    Sheet names are cut to Excel's 31 characters with ``[]:*?/\\`` replaced; the header row is frozen.
    ``created`` (a datetime) is stamped as the file's creation time, so the same inputs give the same
    bytes (xlsxwriter stamps "now" otherwise).
    """
    sheets = {sheet_name: frames} if isinstance(frames, pd.DataFrame) else dict(frames)
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        if created is not None:
            writer.book.set_properties({"created": created})
        used: set[str] = set()
        for i, (name, frame) in enumerate(sheets.items()):
            title = _sheet_name(str(name))
            if title in used:
                title = _sheet_name(f"{title[:27]}_{i}")
            used.add(title)
            neutralise_frame(tidy_numbers(frame)).to_excel(writer, sheet_name=title, index=False, freeze_panes=(1, 0))
            worksheet = writer.sheets[title]
            for j, col in enumerate(frame.columns):
                width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
                worksheet.set_column(j, j, min(max(8, width + 2), 60))
    return buffer.getvalue()


def export_file_name(
    name: str, ext: str, scenario_hash: str | None = None, data_version: str | None = None
) -> str:
    """``<name>[_s<hash8>][_d<version>].<ext>``; characters unsafe in file names become ``_``.

    >>> export_file_name("床位 表", "csv", "abcdef0123456789", "0123456789ab")
    '床位_表_sabcdef01_d0123456789ab.csv'
    """
    stem = _NAME_BAD.sub("_", name).strip("_.") or "export"
    if scenario_hash:
        stem += f"_s{scenario_hash[:8]}"
    if data_version:
        stem += f"_d{data_version}"
    return f"{stem}.{ext.lstrip('.')}"


def chart_spec(chart: Any, font: str = CJK_FONT) -> dict[str, Any]:
    """The Vega-Lite dict of an Altair chart (or a dict spec) with the CJK font set for export.

    Without an explicit font the renderer's fallback picks a Japanese face for Chinese text.
    """
    spec = dict(chart) if isinstance(chart, Mapping) else chart.to_dict()
    config = dict(spec.get("config") or {})
    config["font"] = font
    spec["config"] = config
    for key in ("width", "height"):
        if spec.get(key) == "container":
            spec[key] = EXPORT_WIDTH_PX if key == "width" else EXPORT_WIDTH_PX // 2
    return spec


def chart_to_png(chart: Any, scale: float = 2.0) -> bytes:
    """PNG bytes of an Altair chart via vl-convert (offline), CJK font set."""
    import vl_convert  # heavy import: only when a chart is exported

    return vl_convert.vegalite_to_png(chart_spec(chart), scale=scale)


def chart_to_svg(chart: Any) -> bytes:
    """SVG (UTF-8 bytes) of an Altair chart via vl-convert, CJK font set."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart_spec(chart)).encode("utf-8")
