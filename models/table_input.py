"""An uploaded table (CSV or xlsx) read into a frame of text cells, within the budgets of
:mod:`models.limits`.

Both readers refuse before the expensive step:

* **CSV** (UTF-8, UTF-8 with BOM or GBK): the byte size first, then the number of lines and the number of
  fields in each line (a separator count per line, so a quoted comma counts too: the budget errs on the
  safe side) -- before pandas tokenises anything. pandas then reads with ``index_col=False``, so a row
  with extra (empty) fields can never turn into a many-level index.
* **xlsx**: the byte size, then the sizes the zip declares for its parts (a decompression bomb is refused
  unopened), then openpyxl in read-only mode, which streams rows: reading stops at the row budget, and a
  row wider than the column budget is refused. The declared sheet dimension is ignored (it may claim a
  million columns that each row would be padded to).

Every failure of the underlying readers becomes a :class:`~models.errors.ShapanError` naming the file.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import Any

import pandas as pd

from models import limits
from models.errors import ShapanError


def is_xlsx(data: bytes, file: str) -> bool:
    return file.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def decode(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ShapanError("encoding", file=file)


def _check_rows(file: str, rows: int, lim: limits.Limits) -> None:
    if rows > lim.actuals_rows:
        raise ShapanError("table_rows", file=file, size=f"{rows:,}", limit=f"{lim.actuals_rows:,}")


def _check_columns(file: str, row: int, fields: int, lim: limits.Limits) -> None:
    if fields > lim.actuals_columns:
        raise ShapanError("table_columns", file=file, row=row, size=f"{fields:,}", limit=lim.actuals_columns)


def read_csv(data: bytes, file: str) -> pd.DataFrame:
    """A CSV as text cells (header as given), refused over the row or column budget before parsing."""
    lim = limits.current()
    text = decode(data, file)
    lines = text.splitlines()
    _check_rows(file, len(lines) - 1, lim)
    for i, line in enumerate(lines, start=1):
        _check_columns(file, i, line.count(",") + 1, lim)
    try:
        with warnings.catch_warnings():  # extra trailing fields are dropped (index_col=False); not news
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ShapanError("csv_syntax", file=file, detail=str(exc).splitlines()[0] if str(exc) else "") from None
    except (ValueError, MemoryError, OverflowError, RecursionError) as exc:
        raise ShapanError("parse_failed", file=file, detail=type(exc).__name__) from None


def _cell(value: Any) -> str:
    """An xlsx cell as the text ``pd.read_excel(dtype=str)`` gives: '' for blank, 88 not 88.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes, file: str, lim: limits.Limits) -> list[tuple[Any, ...]]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # do not pad rows to a declared (possibly huge) width
        rows = []
        for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            _check_rows(file, i - 1, lim)
            _check_columns(file, i, len(row), lim)
            rows.append(row)
        return rows
    finally:
        workbook.close()


def _count_sheet_rows(data: bytes, file: str, lim: limits.Limits) -> None:
    """Refuse a workbook any of whose sheets has more ``<row`` elements (empty ones included, which
    openpyxl skips without counting) or cells than the budgets allow: a byte count over the sheet's XML,
    streamed in chunks, before openpyxl parses it."""
    cells_cap = (lim.actuals_rows + 1) * lim.actuals_columns
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            rows = cells = 0
            tail = b""
            with archive.open(info) as part:
                while chunk := part.read(1 << 20):
                    text = tail + chunk
                    rows += text.count(b"<row") + text.count(b":row ") + text.count(b":row>")
                    cells += text.count(b"<c ") + text.count(b"<c>") + text.count(b"<c/")
                    tail = text[-5:]
                    rows -= tail.count(b"<row") + tail.count(b":row ") + tail.count(b":row>")
                    cells -= tail.count(b"<c ") + tail.count(b"<c>") + tail.count(b"<c/")
                    _check_rows(file, rows - 1, lim)
                    if cells > cells_cap:
                        raise ShapanError("table_rows", file=file, size=f"> {cells_cap:,} cells",
                                          limit=f"{lim.actuals_rows:,} × {lim.actuals_columns}")
            rows += tail.count(b"<row") + tail.count(b":row ") + tail.count(b":row>")
            _check_rows(file, rows - 1, lim)


def read_xlsx(data: bytes, file: str) -> pd.DataFrame:
    """The first sheet as text cells; refused over the inflated-size, row or column budget."""
    lim = limits.current()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ShapanError("csv_syntax", file=file, detail=f"xlsx: {type(exc).__name__}") from None
    if inflated > lim.xlsx_inflated_bytes:
        raise limits.too_large(f"{file} (xlsx 解压后/inflated)", inflated, lim.xlsx_inflated_bytes)
    _count_sheet_rows(data, file, lim)
    try:
        rows = _xlsx_rows(data, file, lim)
    except ShapanError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ShapanError("csv_syntax", file=file, detail=f"xlsx: {type(exc).__name__}") from None
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    header = [_cell(v) for v in rows[0]] + [""] * (width - len(rows[0]))
    body = [[_cell(v) for v in r] + [""] * (width - len(r)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=[h or f"unnamed: {j}" for j, h in enumerate(header)], dtype=object)
    keep = [c for j, c in enumerate(frame.columns) if header[j] or (frame[c] != "").any()]
    return frame[keep]


def read_table(data: bytes, file: str) -> pd.DataFrame:
    """CSV or xlsx (by name or content) as text cells, within the budgets; column names lower-cased."""
    lim = limits.current()
    if len(data) > lim.actuals_bytes:
        raise limits.too_large(file, len(data), lim.actuals_bytes)
    if not data.strip():
        raise ShapanError("file_empty", file=file)
    frame = read_xlsx(data, file) if is_xlsx(data, file) else read_csv(data, file)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame
