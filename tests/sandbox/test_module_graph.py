"""The sandbox's import graph, read from the source: no module imports itself through others,
and `core` never imports a feature package.

Every import counts, wherever it stands (top level, inside a function, under
`TYPE_CHECKING`): a lazy or type-only import still ties the two modules together.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ROOT / "sandbox"


def module_names(folder: Path, package: str) -> dict[str, Path]:
    """Dotted module name → file, for every .py under `folder` (a package's `__init__.py`
    is the package itself)."""
    out: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.py")):
        parts = list(path.relative_to(folder).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join([package, *parts])] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of `name` that is a module of the graph."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def import_graph(folder: Path, package: str) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports."""
    modules = module_names(folder, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    anchor = anchor if is_package else anchor[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base]) if base else ".".join(anchor)
                # `from pkg import mod` imports the module pkg.mod; `from mod import name` mod
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                           for alias in node.names]
            for target in targets:
                resolved = _resolve(target, modules)
                if resolved is not None and resolved != name:
                    graph[name].add(resolved)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


@cache
def sandbox_graph() -> dict[str, set[str]]:
    return import_graph(SANDBOX, "scdi.sandbox")


def test_sandbox_has_no_import_cycle():
    assert cycles(sandbox_graph()) == []


def test_core_imports_no_feature():
    graph = sandbox_graph()
    outside = {
        f"{module} imports {target}"
        for module, targets in graph.items() if module.startswith("scdi.sandbox.core")
        for target in targets if not target.startswith("scdi.sandbox.core")
    }
    assert outside == set()


def test_the_cycle_check_can_fail(tmp_path):
    # a → b at the top, b → c inside a function, c → a only for the type checker; d stands
    # apart; e imports a through its package (`from pkg import a`).
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package."""\n')
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def late():\n    from pkg.c import thing\n    return thing\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                  "    from . import a\nthing = 1\n")
    (package / "d.py").write_text("import json\n")
    (package / "e.py").write_text("from pkg import a\n")
    graph = import_graph(package, "pkg")
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg.c"}
    assert graph["pkg.c"] == {"pkg.a"} and graph["pkg.d"] == set()
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    (package / "c.py").write_text("thing = 1\n")
    assert cycles(import_graph(package, "pkg")) == []
