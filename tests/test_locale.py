"""pages/locale/{zh,en}.toml: same keys, same format fields, and every key the code uses exists."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from models.data import INDICATOR_COLUMNS, KINDS, OPERATORS, PROJECT_COLUMNS, SOURCE_KINDS
from pages import _ui
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
# t("key"), t_or("key", ...), has_key("key"), page_header("key"), under_construction("key")
KEY_CALL = re.compile(r"\b(?:t|t_or|has_key|page_header|under_construction)\(\s*[\"']([^\"']+)[\"']")
ZH, EN = load_locale("zh"), load_locale("en")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def used_keys() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(key, []).append(path.name)
    return found


def test_both_languages_have_the_same_keys() -> None:
    assert sorted(set(ZH) - set(EN)) == [], "missing in en.toml"
    assert sorted(set(EN) - set(ZH)) == [], "missing in zh.toml"


@pytest.mark.parametrize("key", sorted(ZH))
def test_same_format_fields_and_not_empty(key: str) -> None:
    assert ZH[key].strip()
    assert EN[key].strip()
    assert _fields(ZH[key]) == _fields(EN[key])


def test_scan_finds_keys() -> None:
    keys = used_keys()
    assert "app.title" in keys
    assert "nav.data_sources" in keys


def test_every_literal_key_exists() -> None:
    missing = {k: files for k, files in used_keys().items() if k not in ZH}
    assert missing == {}


def test_navigation_keys_exist() -> None:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    nav = next(
        node.value for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "NAV"
    )
    sections = ast.literal_eval(nav)
    pages = [name for _, items in sections for name, _ in items]
    assert [f"section key {s}" for s, _ in sections if s not in ZH] == []
    assert [f"nav.{p}" for p in pages if f"nav.{p}" not in ZH] == []
    files = {p.stem for p in (ROOT / "pages").glob("*.py") if not p.stem.startswith("_")}
    assert set(pages) == files, "every page file is in the navigation and vice versa"


def test_keys_built_from_data_values_exist() -> None:
    needed = [f"kind.{k}" for k in KINDS] + [f"operator.{o}" for o in OPERATORS if o]
    needed += [f"source_kind.{k}" for k in SOURCE_KINDS] + ["quality.level_error", "quality.level_warning"]
    needed += [f"pipeline.{p}" for p in ("yes", "no", "total")]
    needed += [f"col.{c}" for c in {*INDICATOR_COLUMNS, *PROJECT_COLUMNS}]
    assert [k for k in needed if k not in ZH] == []


def test_missing_key_raises_under_tests() -> None:
    with pytest.raises(KeyError, match=r"no\.such_key"):
        _ui.t("no.such_key")


def test_format_fields_are_filled() -> None:
    expected = ZH["sidebar.data_version"].format(version="abc123")
    assert _ui.t("sidebar.data_version", version="abc123") == expected
