"""Chart pictures for the report: PNG from a Vega-Lite spec, cached per process (the PDF, the Word file and
the slides of one report show the same charts; rendering each once saves most of the build time)."""

from __future__ import annotations

import functools
import json
from typing import Any

from models.export import chart_to_png


@functools.lru_cache(maxsize=64)
def _png(spec_json: str, scale: float) -> bytes:
    return chart_to_png(json.loads(spec_json), scale=scale)


def png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """PNG bytes of ``spec`` (deterministic: same spec, same bytes)."""
    return _png(json.dumps(spec, sort_keys=True, ensure_ascii=False), scale)
