"""Same inputs, same bytes for zip-based files (docx, pptx): python-docx and python-pptx write every zip
member with the current time; :func:`rezip` rewrites the archive with the report's date on every member."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from models.reporting import fmt


def rezip(data: bytes, date: str) -> bytes:
    """``data`` (a zip) with each member's timestamp set to ``date`` (``YYYY-MM-DD``) 00:00, order kept."""
    year, month, day = (int(p) for p in date.split("-"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(year, month, day, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def save(document: Any, date: str) -> bytes:
    """A python-docx ``Document`` or python-pptx ``Presentation`` as bytes, stamped with ``date`` (created,
    modified, last printed, and every zip member): both libraries would otherwise write "now"."""
    stamp = fmt.timestamp(date)
    props = document.core_properties
    props.created = props.modified = props.last_printed = stamp
    buffer = io.BytesIO()
    document.save(buffer)
    return rezip(buffer.getvalue(), date)
