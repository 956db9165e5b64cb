"""Share links: a scenario's TOML in the ``?s=`` query parameter, and back, under one size budget.

Token = the TOML text, zlib-compressed (level 9), base64url without padding. Generating and opening use
the same two budgets of :mod:`models.limits` -- ``share_link_chars`` (the token's length) and
``share_inflated_bytes`` (the TOML after decompression) -- so a link Shapan generates always opens, and a
link over either budget is neither generated nor inflated: decompression stops at the budget, before any
parsing. Every refusal is a :class:`~models.errors.ShapanError` (``share_too_long`` when generating,
``over_limit`` / ``share_bad`` when opening) naming the link and the limit.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from models import limits
from models.errors import ShapanError

PARAM = "s"
LINK = f"?{PARAM}="


def encode(text: str) -> str:
    """The share token of a scenario's TOML text; ShapanError ``share_too_long`` over either budget."""
    lim = limits.current()
    body = text.encode("utf-8")
    if len(body) > lim.share_inflated_bytes:
        raise ShapanError("share_too_long", size=limits.human_size(len(body)),
                          limit=limits.human_size(lim.share_inflated_bytes))
    token = base64.urlsafe_b64encode(zlib.compress(body, 9)).decode("ascii").rstrip("=")
    if len(token) > lim.share_link_chars:
        unit = "字符/chars"
        raise ShapanError("share_too_long", size=limits.human_size(len(token), unit),
                          limit=limits.human_size(lim.share_link_chars, unit))
    return token


def decode(token: str) -> bytes:
    """The TOML bytes in a share token (not yet parsed); ShapanError when it is not one or too large."""
    lim = limits.current()
    token = token.strip()
    if not token:
        raise ShapanError("share_bad", file=LINK, detail="empty")
    if len(token) > lim.share_link_chars:
        raise limits.too_large(LINK, len(token), lim.share_link_chars, "字符/chars")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        body = inflater.decompress(raw, lim.share_inflated_bytes)
    except (binascii.Error, zlib.error, ValueError) as exc:
        raise ShapanError("share_bad", file=LINK, detail=type(exc).__name__) from None
    if inflater.unconsumed_tail:  # more output was waiting: over the inflated budget, never inflated
        raise ShapanError("over_limit", file=f"{LINK} (解压后/inflated)",
                          size=f"> {limits.human_size(lim.share_inflated_bytes)}",
                          limit=limits.human_size(lim.share_inflated_bytes))
    if not inflater.eof:
        raise ShapanError("share_bad", file=LINK, detail="truncated")
    return body
