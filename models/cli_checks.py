"""Command-line arguments checked by name, and output files written, with clean bilingual errors.

:func:`check_args` runs before any command: every subcommand's ``--mc``, ``--jobs``, ``--seed``,
``--replications``, ``--target``, ``--year`` and ``--end-year`` are range-checked the same way, and a
refusal names the option as typed (``--mc``, not "scenario 参数 mc"). :func:`write_output` writes a
command's file (``--out``) and turns every file-system problem -- the path is a folder, a parent is a
file, the folder is read-only, the disk is full -- into a :class:`~models.errors.ShapanError` (exit 2,
no traceback). Reading input files goes through :func:`models.limits.read_file` (size by ``stat``
first).
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from models import limits
from models.des_inputs import MAX_SEED
from models.errors import ShapanError
from models.views import calendar as cal

YEARS = cal.MODEL_YEARS
# option -> (min, max); None means "no value given" and is always allowed
RANGES: dict[str, tuple[float, float]] = {
    "mc": (0, 100_000),  # 0 = no Monte Carlo where that is the default
    "seed": (0, MAX_SEED),
    "replications": (1, 1000),
    "year": YEARS,
    "end_year": (cal.PLAN_END_YEAR, YEARS[1]),
    "max_rounds": (1, 20),  # beds-needed --confirm
}


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _refuse(name: str, value: Any, lo: Any, hi: Any) -> ShapanError:
    return ShapanError("out_of_range", file=_option(name), key=_option(name), value=value, min=lo, max=hi)


def check_args(args: argparse.Namespace) -> None:
    """Range-check the numeric options a command was given (ShapanError naming the option)."""
    for name, (lo, hi) in RANGES.items():
        value = getattr(args, name, None)
        if value is not None and not lo <= value <= hi:
            raise _refuse(name, value, lo, hi)
    jobs = getattr(args, "jobs", None)
    max_jobs = limits.current().cli_jobs
    if jobs is not None and not (jobs == -1 or 1 <= jobs <= max_jobs):
        raise _refuse("jobs", jobs, 1, f"{max_jobs} (-1 = 全部/all cores)")
    target = getattr(args, "target", None)
    if target is not None and not math.isfinite(target):
        raise ShapanError("wrong_type", file="--target", key="--target", expected="有限数字/a finite number",
                          value=target)


def check_output(out: str) -> Path:
    """Refuse an ``--out`` path that cannot be a file before any work is done: a folder, or under a file."""
    path = Path(out)
    if path.is_dir():
        raise ShapanError("file_is_dir", file=out)
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise ShapanError("cannot_write", file=out, reason=f"“{parent}” 是文件，不是文件夹 / is a file, not a folder")
    return path


def write_output(out: str, data: bytes) -> Path:
    """Write ``data`` to ``out`` atomically (temporary file in the same folder, then rename)."""
    path = check_output(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".shapan-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ShapanError("cannot_write", file=out, reason=exc.strerror or type(exc).__name__) from None
    return path
