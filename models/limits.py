"""Work budgets for every untrusted input, in one place.

Every input a user (or a link) hands to Shapan is checked against a budget *before* the expensive step:
a file's size by ``stat`` before it is read; a scenario's TOML text by a cheap linear scan (nesting depth,
dotted-key parts, key length, digits in a number) before ``tomllib`` sees it; an actuals table's rows and
columns before pandas or openpyxl build it; a share link's length and inflated size before it is
decompressed and parsed; a simulation's estimated events before it runs. A refusal is a
:class:`~models.errors.ShapanError` naming the input and the limit, in Chinese and English.

The budgets are the fields of :class:`Limits`. :func:`current` returns the ones in force: the defaults,
changed by the environment variable ``SHAPAN_LIMITS`` (``"toml_depth=4,actuals_rows=50"``) and, inside a
``with override(...)`` block, by its arguments (tests use small sizes this way).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from models.errors import ShapanError, shorten

__all__ = ["ENV", "Limits", "current", "human_size", "override", "read_file", "shorten", "too_large"]

ENV = "SHAPAN_LIMITS"


@dataclass(frozen=True)
class Limits:
    """The budgets. Sizes in bytes unless the name says otherwise."""

    scenario_bytes: int = 512 * 1024  # a scenario TOML file (a real one is a few KB)
    actuals_bytes: int = 5 * 1024 * 1024  # an actuals CSV / xlsx file
    actuals_rows: int = 10_000  # data rows of an actuals table (a five-year plan has a few dozen)
    actuals_columns: int = 32  # fields in one row of an actuals table (4 are used)
    xlsx_inflated_bytes: int = 32 * 1024 * 1024  # declared uncompressed size of an xlsx's parts
    share_link_chars: int = 20_000  # characters of the ?s= token
    share_inflated_bytes: int = 64 * 1024  # the token's TOML after decompression
    toml_depth: int = 8  # nesting of [ and { (the scenario format needs 3)
    toml_key_parts: int = 8  # parts of one dotted key, e.g. a.b.c = 3 parts
    toml_key_chars: int = 200  # characters of one key (all its parts)
    number_digits: int = 40  # digits in one run of a number (a seed has at most 19)
    des_events: int = 10_000_000  # estimated DES events of one request, all replications (~20-60 s)
    cli_jobs: int = 64  # largest --jobs


_OVERRIDES: list[dict[str, int]] = []


def _from_env() -> dict[str, int]:
    """``SHAPAN_LIMITS`` as ``{name: value}``; a malformed item is skipped with a warning (an operator's
    setting, not user input: a typo must not stop every upload)."""
    text = os.environ.get(ENV, "").strip()
    out: dict[str, int] = {}
    names = {f.name for f in dataclasses.fields(Limits)}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, _, value = item.partition("=")
        try:
            if key.strip() not in names:
                raise ValueError(key)
            out[key.strip()] = int(value.strip())
        except ValueError:
            warnings.warn(f"{ENV}: ignored {item!r} (known: {', '.join(sorted(names))})", stacklevel=3)
    return out


def current() -> Limits:
    """The budgets in force (defaults < ``SHAPAN_LIMITS`` < innermost :func:`override`)."""
    changes = _from_env()
    for layer in _OVERRIDES:
        changes |= layer
    return dataclasses.replace(Limits(), **changes) if changes else Limits()


@contextlib.contextmanager
def override(**changes: int) -> Iterator[Limits]:
    """Lower (or raise) some budgets inside a ``with`` block: ``with override(toml_depth=3): ...``."""
    names = {f.name for f in dataclasses.fields(Limits)}
    unknown = set(changes) - names
    if unknown:
        raise TypeError(f"unknown limits: {sorted(unknown)}")
    _OVERRIDES.append(dict(changes))
    try:
        yield current()
    finally:
        _OVERRIDES.pop()


def human_size(size: int, unit: str = "bytes") -> str:
    """``5 MB``, ``512 KB``, ``20,000 字符/chars``: a size as a message shows it."""
    if unit != "bytes":
        return f"{size:,} {unit}"
    for factor, name in ((2**30, "GB"), (2**20, "MB"), (2**10, "KB")):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {name}" if value.is_integer() else f"{value:.1f} {name}"
    return f"{size} B"


def too_large(input_name: str, size: int, limit: int, unit: str = "bytes") -> ShapanError:
    """The refusal for an input over a size budget (message in both languages names input and limit)."""
    return ShapanError("over_limit", file=input_name, size=human_size(size, unit), limit=human_size(limit, unit))


def read_file(path: Path | str, limit: int, input_name: str | None = None) -> bytes:
    """The bytes of ``path``, refusing before reading if ``stat`` says it is over ``limit`` bytes.

    File-system problems (missing, a directory, unreadable) become :class:`ShapanError` naming the input
    as the user typed it; the read itself stops at ``limit + 1`` bytes, so a file that grows (or lies
    about its size, like ``/dev/zero``) is still refused without reading it whole.
    """
    path = Path(path)
    name = input_name or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ShapanError("file_missing", file=name) from None
    except OSError as exc:
        raise ShapanError("file_unreadable", file=name, reason=exc.strerror or type(exc).__name__) from None
    if path.is_dir():
        raise ShapanError("file_is_dir", file=name)
    if info.st_size > limit:
        raise too_large(name, info.st_size, limit)
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ShapanError("file_unreadable", file=name, reason=exc.strerror or type(exc).__name__) from None
    if len(data) > limit:
        raise too_large(name, len(data), limit)
    return data
