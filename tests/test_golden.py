"""Golden results: ``shapan run --json`` for every district × preset must match ``tests/golden/*.json``.

Keys must match exactly; floats within a relative tolerance of 1e-9; everything else exactly. On a mismatch
the failure lists which series / programme / year changed. If the change is deliberate, regenerate with
``python tests/regen_golden.py`` and commit the files with the reason.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from regen_golden import GOLDEN_DIR, cases, golden_path, run_json

REL_TOL = 1e-9
ABS_TOL = 1e-12  # only so that 0.0 vs -0.0 / 1e-300 noise cannot fail
HINT = "if deliberate, run python tests/regen_golden.py and commit with the reason"
MAX_LISTED = 25


def differences(golden: Any, current: Any, path: str = "") -> list[str]:
    """Human-readable differences between two JSON documents (empty when they match)."""
    where = path or "(document)"
    if isinstance(golden, dict) and isinstance(current, dict):
        out = []
        for key in sorted(set(golden) - set(current)):
            out.append(f"{path}/{key}: missing now (golden has it)")
        for key in sorted(set(current) - set(golden)):
            out.append(f"{path}/{key}: new key (not in golden)")
        for key in sorted(set(golden) & set(current)):
            out += differences(golden[key], current[key], f"{path}/{key}")
        return out
    if isinstance(golden, list) and isinstance(current, list):
        if len(golden) != len(current):
            return [f"{where}: {len(golden)} items in golden, {len(current)} now"]
        out = []
        for i, (g, c) in enumerate(zip(golden, current, strict=True)):
            out += differences(g, c, f"{path}[{i}]")
        return out
    numbers = (int, float)
    if (isinstance(golden, numbers) and isinstance(current, numbers) and not isinstance(golden, bool)
            and not isinstance(current, bool) and (isinstance(golden, float) or isinstance(current, float))):
        if math.isclose(golden, current, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return []
        rel = abs(current - golden) / max(abs(golden), 1e-300)
        return [f"{where}: golden {golden!r}, now {current!r} (relative change {rel:.3g})"]
    if type(golden) is not type(current) or golden != current:
        return [f"{where}: golden {golden!r}, now {current!r}"]
    return []


def report(name: str, diffs: list[str]) -> str:
    listed = "\n  ".join(diffs[:MAX_LISTED])
    more = f"\n  ... and {len(diffs) - MAX_LISTED} more" if len(diffs) > MAX_LISTED else ""
    return f"{name}: {len(diffs)} difference(s) from the golden result:\n  {listed}{more}\n{HINT}"


def test_golden_files_cover_every_preset():
    expected = {golden_path(d, p).name for d, p in cases()}
    present = {p.name for p in GOLDEN_DIR.glob("*.json")}
    assert present == expected, f"golden files missing {sorted(expected - present)} / stale " \
                                f"{sorted(present - expected)}; {HINT}"
    assert len(expected) == 20  # 5 districts × baseline, plan, freeze, stress


@pytest.mark.parametrize(("district", "preset"), cases(), ids=lambda v: v)
def test_run_matches_golden(district, preset):
    path = golden_path(district, preset)
    if not path.exists():
        pytest.fail(f"{path.name} does not exist; {HINT}")
    golden = json.loads(path.read_text(encoding="utf-8"))
    diffs = differences(golden, run_json(district, preset))
    assert not diffs, report(path.name, diffs)


# ------------------------------------------------------------------------------ the comparator itself


def test_differences_tolerance_and_paths():
    g = {"series": {"x": {"2025": 1.0}}, "years": [2020], "flags": []}
    assert differences(g, {"series": {"x": {"2025": 1.0 + 1e-12}}, "years": [2020], "flags": []}) == []
    diffs = differences(g, {"series": {"x": {"2025": 1.001}}, "years": [2020], "flags": []})
    assert diffs == ["/series/x/2025: golden 1.0, now 1.001 (relative change 0.001)"]
    assert differences(g, {"series": {"x": {}}, "years": [2020], "flags": []}) == \
        ["/series/x/2025: missing now (golden has it)"]
    assert differences(g, {**g, "extra": 1}) == ["/extra: new key (not in golden)"]
    assert differences({"a": "h1"}, {"a": "h2"}) == ["/a: golden 'h1', now 'h2'"]
    assert differences({"a": [1, 2]}, {"a": [1]}) == ["/a: 2 items in golden, 1 now"]
    assert differences({"a": None}, {"a": 0.0}) == ["/a: golden None, now 0.0"]
    assert differences({"a": True}, {"a": 1}) == ["/a: golden True, now 1"]
    assert HINT in report("x.json", ["d"])
