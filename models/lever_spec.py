"""What a number lever shows (range, step, format) for a scenario parameter: arithmetic kept out of pages.

:func:`number_spec` is used by ``pages/_levers.py``: range from :func:`models.scenario.param_range`, widened
to include a data value outside the nominal range (it stays visible and editable instead of crashing the
widget), step and printf format from the kind and span.
"""

from __future__ import annotations

import math
from typing import Any

from models import scenario as sc


def display(value: Any, kind: type) -> Any:
    """A resolved value as a widget shows it (NaN and None: empty)."""
    if kind is float:
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    if kind is int:
        return None if value is None else int(value)
    return value


def number_format(key: str, kind: type, lo: Any, hi: Any) -> tuple[Any, str]:
    """(step, printf format): whole numbers by 1; a span ≤ 5 by 0.01; % or a span ≤ 200 by 0.1; else by 1."""
    if kind is int:
        return 1, "%d"
    span = (hi - lo) if lo is not None and hi is not None else math.inf
    if span <= 5:
        return 0.01, "%.2f"
    if key.endswith("_pct") or span <= 200:
        return 0.1, "%.2f"
    return 1.0, "%.0f"


def number_spec(key: str, value: Any, assumptions: Any, step: Any = None,
                fmt: str | None = None) -> tuple[Any, Any, Any, str]:
    """(min, max, step, format) of the number widget for ``key`` showing ``value``; ``step``/``fmt`` override."""
    cast = sc.PARAMS[key].kind
    lo, hi = sc.param_range(key, assumptions)
    if value is not None and lo is not None:
        lo = min(lo, value)
    if value is not None and hi is not None:
        hi = max(hi, value)
    lo = None if lo is None else cast(lo)
    hi = None if hi is None else cast(hi)
    auto_step, auto_fmt = number_format(key, cast, lo, hi)
    return lo, hi, cast(step) if step is not None else auto_step, fmt or auto_fmt
