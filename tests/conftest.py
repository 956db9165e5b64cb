"""Shared pytest setup: the repository root on ``sys.path`` (so ``models`` and ``pages`` import under
plain ``pytest`` as well as ``python -m pytest``) and a ``repo_root`` fixture."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
