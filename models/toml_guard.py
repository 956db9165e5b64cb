"""TOML from untrusted sources, parsed within a work budget.

``tomllib`` is fine on ordinary text but not on hostile text: a 400-digit integer makes the scenario's
number checks overflow, a 5,000-digit one exceeds Python's integer-string limit, an array nested 2,000
deep exhausts the recursion limit, and a dotted key of 120,000 parts (240 KB, or a 412-character share
link once inflated) costs minutes of CPU because the parser's work grows with the square of the parts.

:func:`scan` walks the text once with a tokenising regular expression (strings and comments are skipped
as whole tokens) and refuses, *before* ``tomllib`` runs, text whose nesting of ``[``/``{`` is deeper than
the ``toml_depth`` budget, whose dotted keys have more than ``toml_key_parts`` parts or more than
``toml_key_chars`` characters, or which has a number token longer than ``number_digits`` characters
(budgets in :mod:`models.limits`). :func:`loads` is ``scan`` + ``tomllib.loads`` with *every* parser
failure (syntax, ``RecursionError``, ``MemoryError``, ``OverflowError``, ``ValueError``) turned into a
:class:`~models.errors.ShapanError` naming the file; the offending text is shortened in the message.

The scan is conservative, not a second parser: it may miscount inside invalid TOML (which ``tomllib``
then refuses anyway), and the exception net stays as the backstop.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from models import limits
from models.errors import ShapanError

_TOKEN = re.compile(
    r'(?P<str>"""|\'\'\'|"|\')'  # the opening of a string (its end is found by _string_end)
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<num>[0-9][0-9A-Za-z_]*)"  # a number (or date part) token
    r"|(?P<word>[A-Za-z_\-][A-Za-z0-9_\-]*)"  # a bare key or keyword
    r"|(?P<nl>\n)"
    r"|(?P<space>[ \t\r]+)"
    r"|(?P<punct>.)",
    re.DOTALL,
)
_BASIC_ML = re.compile(r'\\.|"""', re.DOTALL)  # inside a multi-line basic string: an escape or the end
_BASIC = re.compile(r'(?:[^"\\\n]|\\.)*"')  # the rest of a one-line basic string
_OPEN, _CLOSE, _ENDS = frozenset("[{"), frozenset("]}"), frozenset("=,[]{}")
_WHAT = {
    "depth": ("嵌套层数", "nesting depth"),
    "parts": ("点分键的段数", "parts of a dotted key"),
    "key": ("键的长度（字符）", "length of a key (characters)"),
    "digits": ("数字的位数", "digits in a number"),
}


def _refuse(file: str, line: int, what: str, size: int, limit: int) -> ShapanError:
    zh, en = _WHAT[what]
    return ShapanError("toml_limit", file=file, line=line, what_zh=zh, what_en=en, size=size, limit=limit)


def _string_end(text: str, pos: int, opener: str) -> int:
    """Index just after the string opened at ``pos``; ``len(text)`` if it never closes. Each string is
    searched once from its opening (no backtracking), so the scan stays linear in the text."""
    start = pos + len(opener)
    if opener == '"""':
        for m in _BASIC_ML.finditer(text, start):
            if m.group() == '"""':
                return m.end()
        return len(text)
    if opener == "'''":
        end = text.find("'''", start)
        return len(text) if end < 0 else end + 3
    if opener == '"':
        m = _BASIC.match(text, start)
        return m.end() if m else start
    end = text.find("'", start)
    return start if end < 0 else end + 1


def scan(text: str, file: str = "scenario") -> None:
    """Refuse (ShapanError ``toml_limit``) text over the nesting, key or digit budget; linear time."""
    lim = limits.current()
    depth, line, parts, key_chars, pos = 0, 1, 1, 0, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        kind, token = match.lastgroup, match.group()
        pos = match.end()
        if kind == "str":
            end = _string_end(text, match.start(), token)
            line += text.count("\n", pos, end)
            key_chars += end - match.start()
            pos = end
        elif kind == "nl":
            line, parts, key_chars = line + 1, 1, 0
        elif kind == "word":
            key_chars += len(token)
        elif kind == "num":
            if len(token.replace("_", "")) > lim.number_digits:
                raise _refuse(file, line, "digits", len(token), lim.number_digits)
            key_chars += len(token)
        elif kind == "punct":
            if token == ".":
                parts += 1
                if parts > lim.toml_key_parts:
                    raise _refuse(file, line, "parts", parts, lim.toml_key_parts)
                key_chars += 1
                continue
            if token not in _ENDS:
                continue
            if token == "=" and key_chars > lim.toml_key_chars:
                raise _refuse(file, line, "key", key_chars, lim.toml_key_chars)
            if token in _OPEN:
                depth += 1
                if depth > lim.toml_depth:
                    raise _refuse(file, line, "depth", depth, lim.toml_depth)
            elif token in _CLOSE:
                depth = max(depth - 1, 0)
            parts, key_chars = 1, 0


def loads(text: str, file: str = "scenario") -> dict[str, Any]:
    """``tomllib.loads`` after :func:`scan`; every parser failure becomes a ShapanError naming ``file``."""
    scan(text, file)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ShapanError("toml_syntax", file=file, detail=str(exc)) from None
    except (RecursionError, MemoryError, OverflowError, ValueError) as exc:
        raise ShapanError("parse_failed", file=file, detail=type(exc).__name__) from None
