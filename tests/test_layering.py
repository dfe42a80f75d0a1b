"""The architecture's import rules, checked on the source: the connector never imports the
sandbox, the sandbox never imports the connector (both may use scdi.upstream), and only the
connector's client speaks HTTP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("connector", "scdi.sandbox"), ("sandbox", "scdi.connector"), ("upstream", "scdi.connector"),
     ("upstream", "scdi.sandbox"), ("connector", "scdi.cli"), ("sandbox", "scdi.cli")],
)
def test_layers_do_not_import_across(folder, forbidden):
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(folder)
        for name in imported_modules(path)
        if name == forbidden or name.startswith(forbidden + ".")
    ]
    assert offenders == []


def test_only_the_client_speaks_http():
    http_libraries = {"requests", "urllib3", "http.client", "httpx"}
    speakers = sorted(
        str(path.relative_to(ROOT))
        for path in python_files("connector")
        if any(name.split(".")[0] in http_libraries or name in http_libraries for name in imported_modules(path))
    )
    assert speakers == ["connector/client.py"]


def test_the_check_sees_imports():
    # the rule above must be able to fail: it finds this file's own imports
    assert {"ast", "pytest", "pathlib"} <= imported_modules(Path(__file__))
