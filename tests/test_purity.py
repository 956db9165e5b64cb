"""models/ never imports streamlit (pages are the only UI layer)."""

from __future__ import annotations

import re
from pathlib import Path

MODELS = Path(__file__).resolve().parent.parent / "models"


def test_models_do_not_import_streamlit():
    offenders = [p.name for p in MODELS.glob("*.py")
                 if re.search(r"^\s*(import|from)\s+streamlit", p.read_text(encoding="utf-8"), re.M)]
    assert not offenders
