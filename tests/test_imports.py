"""No import circles among the project's modules (issue 14).

Every ``import`` / ``from … import`` of a project module is an edge, at module level *and* inside
functions (a deferred import hides a circle, it does not remove it). The graph must be acyclic.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, name: str, is_package: bool) -> list[str]:
    """Modules an import statement names, relative imports resolved against the importing module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    module = node.module or ""
    if node.level:
        base = name.split(".") if is_package else name.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        module = ".".join([*base, module] if module else base)
    return [module] + [f"{module}.{alias.name}" for alias in node.names]


def _edges(package: str) -> dict[str, set[str]]:
    """Import graph of every module of ``package``, subpackages included (e.g. ``models/reporting/``)."""
    modules = {_module_name(p): p for p in (ROOT / package).rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            graph[name] |= {t for t in _imported(node, name, is_package) if t in modules and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle as a list of modules, or [] if the graph is acyclic (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("package", ["models", "pages"])
def test_no_import_circles(package):
    assert _cycle(_edges(package)) == []


def test_edges_see_every_import_form(tmp_path, monkeypatch):
    """``import a.b``, ``from a import b``, ``from a.b import x``, relative and deferred imports are edges."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "one.py").write_text("import pkg.two\n")
    (pkg / "two.py").write_text("from pkg import three\n")
    (pkg / "three.py").write_text("def f():\n    from pkg.sub.four import x\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "four.py").write_text("from ..one import y\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    graph = _edges("pkg")
    assert graph["pkg.one"] == {"pkg.two"}
    assert graph["pkg.two"] == {"pkg.three"}
    assert graph["pkg.three"] == {"pkg.sub.four"}
    assert graph["pkg.sub.four"] == {"pkg.one"}
    assert _cycle(graph) == ["pkg.one", "pkg.two", "pkg.three", "pkg.sub.four", "pkg.one"]


def test_page_state_modules_form_a_line():
    """The session-state modules depend one way only: _frame <- _session <- _scenarios <- _cache.
    A page-state import going back up the line (e.g. _session importing _cache) would be a circle."""
    state = ["pages._frame", "pages._session", "pages._scenarios", "pages._cache"]
    graph = _edges("pages")
    for i, module in enumerate(state):
        assert graph[module] & set(state) <= set(state[:i]), (module, graph[module])
    assert "pages._session" in graph["pages._scenarios"]
    assert "pages._scenarios" in graph["pages._cache"]
    assert "pages._frame" in graph["pages._session"]
