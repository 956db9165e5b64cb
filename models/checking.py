"""Parameter checks shared by the models: numbers (scalars or arrays of draws) and years in range.

Every failure is a :class:`~models.errors.ShapanError` naming the file/section and key and giving the
allowed range, so the UI and the CLI can say exactly what to fix.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models.errors import ShapanError


def check_range(key: str, value: Any, lo: float, hi: float, *, file: str, allow_nan: bool = False,
                lo_open: bool = False) -> np.ndarray:
    """``value`` (scalar or array) as floats, finite, within ``[lo, hi]`` (``(lo, hi]`` if ``lo_open``)."""
    if isinstance(value, bool | str) or value is None:
        raise ShapanError("wrong_type", file=file, key=key, expected="number", value=value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ShapanError("wrong_type", file=file, key=key, expected="number", value=value) from exc
    nan = np.isnan(arr)
    below = (arr <= lo) if lo_open else (arr < lo)
    bad = (nan & (not allow_nan)) | (~nan & (~np.isfinite(arr) | below | (arr > hi)))
    if np.any(bad):
        low = f"{lo} (不含/exclusive)" if lo_open else lo
        raise ShapanError("out_of_range", file=file, key=key, value=arr[bad].flat[0], min=low, max=hi)
    return arr


def check_year(key: str, value: Any, lo: float, hi: float, *, file: str) -> int:
    """A whole calendar year within ``[lo, hi]``."""
    number = float(check_range(key, value, lo, hi, file=file))
    if number != int(number):
        raise ShapanError("wrong_type", file=file, key=key, expected="integer year", value=value)
    return int(number)
