"""Regenerate the golden results in ``tests/golden/``.

For every district × preset, ``tests/golden/<district>_<preset>.json`` is the JSON document printed by::

    shapan run --district <district> --scenario scenarios/<district>_<preset>.toml --json

(run in-process through :func:`models.cli.main`), stored pretty-printed so that a change shows as a readable
diff. ``tests/test_golden.py`` compares the current output against these files.

Run this only when a change of results is deliberate, and say why in the commit message::

    python tests/regen_golden.py
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "golden"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models import cli  # noqa: E402
from models.presets import PRESET_DIR  # noqa: E402


def cases() -> list[tuple[str, str]]:
    """(district, preset) for every shipped preset file ``scenarios/<district>_<preset>.toml``."""
    return sorted(tuple(p.stem.split("_", 1)) for p in PRESET_DIR.glob("*_*.toml"))  # type: ignore[misc]


def run_json(district: str, preset: str) -> dict:
    """The parsed JSON that ``shapan run ... --json`` prints for one preset."""
    scenario = PRESET_DIR / f"{district}_{preset}.toml"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["run", "--district", district, "--scenario", str(scenario), "--json"])
    if code != 0:
        raise RuntimeError(f"shapan run {district} {preset} exited {code}: {err.getvalue()}")
    return json.loads(out.getvalue())


def golden_path(district: str, preset: str) -> Path:
    return GOLDEN_DIR / f"{district}_{preset}.json"


def dump(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    wanted = {golden_path(d, p) for d, p in cases()}
    for stale in set(GOLDEN_DIR.glob("*.json")) - wanted:
        stale.unlink()
        print(f"removed {stale.relative_to(ROOT)}")
    for district, preset in cases():
        path = golden_path(district, preset)
        text = dump(run_json(district, preset))
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8")
        print(f"{'wrote    ' if changed else 'unchanged'} {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
