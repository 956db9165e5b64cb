"""Scenario files: the shipped presets in ``scenarios/`` and the user's saved scenarios.

Presets are read-only (``<district>_<name>.toml``). User scenarios go to a separate folder
(``$SHAPAN_SCENARIO_DIR`` or ``~/.shapan/scenarios``), are written atomically (temporary file in the
same folder, then ``os.replace``), never overwrite a preset, and use sanitised names: Chinese
characters, letters, digits, ``_`` and ``-`` only — no path separators, no absolute paths.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from pathlib import Path

from models import limits, user_districts
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError

PRESET_DIR = Path(__file__).resolve().parent.parent / "scenarios"
PRESET_NAMES = ("baseline", "plan", "freeze", "stress")
NAME_RE = re.compile(r"^[\w\-\u4e00-\u9fff]{1,60}$")
NAME_LIMIT = 60


def user_dir() -> Path:
    return Path(os.environ.get("SHAPAN_SCENARIO_DIR") or user_districts.home() / "scenarios")


def _preset_dirs(district: str) -> list[Path]:
    """Shipped presets; a user district's own (generated at import) in its user folder."""
    return [PRESET_DIR, user_districts.preset_dir(district)]


def preset_names(district: str) -> list[str]:
    """Preset names available for a district, in display order."""
    found = {p.stem.split("_", 1)[1] for d in _preset_dirs(district) for p in d.glob(f"{district}_*.toml")}
    return [n for n in PRESET_NAMES if n in found] + sorted(found - set(PRESET_NAMES))


def load_text(text: str, ds: Dataset, file: str = "scenario") -> sc.Scenario:
    """Parse and validate scenario TOML against the data (districts, assumption ranges)."""
    size, limit = len(text.encode("utf-8")), limits.current().scenario_bytes
    if size > limit:
        raise limits.too_large(file, size, limit)
    if not text.strip():
        raise ShapanError("file_empty", file=file)
    return sc.loads(text, file=file, districts=list(ds.districts["id"]), assumptions=ds.assumptions)


def load_bytes(data: bytes, ds: Dataset, file: str = "scenario") -> sc.Scenario:
    """Decode an uploaded file (UTF-8, with or without BOM) and load it."""
    limit = limits.current().scenario_bytes
    if len(data) > limit:
        raise limits.too_large(file, len(data), limit)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ShapanError("encoding", file=file) from exc
    return load_text(text, ds, file)


def load_preset(district: str, name: str, ds: Dataset) -> sc.Scenario:
    path = next((d / f"{district}_{name}.toml" for d in _preset_dirs(district)
                 if (d / f"{district}_{name}.toml").is_file()), PRESET_DIR / f"{district}_{name}.toml")
    if not path.is_file():
        ds.district(district)  # unknown district -> its own message
        raise ShapanError("file_missing", file=f"scenarios/{district}_{name}.toml")
    return load_bytes(path.read_bytes(), ds, file=path.name)


def load_file(path: Path | str, ds: Dataset, file: str | None = None) -> sc.Scenario:
    """Load a scenario file, checking its size with ``stat`` before reading it (names it as ``file``)."""
    name = file or str(path)
    return load_bytes(limits.read_file(path, limits.current().scenario_bytes, name), ds, file=name)


def check_name(name: str) -> str:
    """A safe scenario name or ShapanError("bad_name"); presets' names are protected."""
    name = name.strip()
    if not NAME_RE.fullmatch(name) or name.startswith(("-", ".")):
        raise ShapanError("bad_name", name=name, limit=NAME_LIMIT)
    if name in PRESET_NAMES:
        raise ShapanError("preset_protected", name=name)
    return name


def save_user(scenario: sc.Scenario, folder: Path | None = None) -> Path:
    """Write ``<folder>/<district>_<name>.toml`` atomically; returns the path."""
    name = check_name(scenario.name)
    scenario = dataclasses.replace(scenario, name=name)  # the file keeps the stripped name it is saved as
    folder = Path(folder) if folder is not None else user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{scenario.district}_{name}.toml"
    if target.resolve().parent != folder.resolve():
        raise ShapanError("bad_name", name=name, limit=NAME_LIMIT)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(sc.dumps(scenario))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def list_user(district: str, folder: Path | None = None) -> list[str]:
    folder = Path(folder) if folder is not None else user_dir()
    return sorted(p.stem.split("_", 1)[1] for p in folder.glob(f"{district}_*.toml")) if folder.is_dir() else []


def load_user(district: str, name: str, ds: Dataset, folder: Path | None = None) -> sc.Scenario:
    name = check_name(name)
    folder = Path(folder) if folder is not None else user_dir()
    path = folder / f"{district}_{name}.toml"
    return load_file(path, ds, file=path.name)
