"""Shared pytest setup: the repository root on ``sys.path`` (so ``models`` and ``pages`` import under
plain ``pytest`` as well as ``python -m pytest``), an empty temporary ``SHAPAN_HOME`` and a ``repo_root``
fixture."""

from __future__ import annotations

import os
import sys
import tempfile
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# ``tests`` is this folder even when an installed distribution ships a top-level ``tests`` package (ciw
# does): a regular package elsewhere on sys.path would otherwise win over this namespace folder.
if getattr(sys.modules.get("tests"), "__path__", None) != [str(ROOT / "tests")]:
    _pkg = types.ModuleType("tests")
    _pkg.__path__ = [str(ROOT / "tests")]
    sys.modules["tests"] = _pkg

# Hermetic user folder: districts a developer imported into ~/.shapan must not leak into the tests (and
# the tests must not write there). Tests that import districts point SHAPAN_HOME at their own tmp_path.
os.environ["SHAPAN_HOME"] = tempfile.mkdtemp(prefix="shapan-home-test-")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
