"""Every package of the sandbox is a feature the server serves: a `feature.py` declaring its
`FEATURE`, listed in `scdi.sandbox.server.FEATURES` (the one place routes and tables come from)."""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

from scdi.sandbox import server
from scdi.sandbox.core.feature import Feature

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"


def feature_packages() -> list[str]:
    return sorted(p.parent.name for p in SANDBOX.glob("*/__init__.py"))


def test_every_package_declares_a_served_feature():
    assert "core" in feature_packages()
    for package in feature_packages():
        assert (SANDBOX / package / "feature.py").exists(), f"sandbox/{package} has no feature.py"
        declared = importlib.import_module(f"scdi.sandbox.{package}.feature").FEATURE
        assert isinstance(declared, Feature)
        assert declared in server.FEATURES, f"sandbox/{package}: FEATURE not in server.FEATURES"
    assert len(server.FEATURES) == len(feature_packages())


def test_every_route_and_table_comes_from_a_feature(sandbox):
    served = {(rule.rule, frozenset(rule.methods or ())) for rule in sandbox.app.url_map.iter_rules()}
    declared = {(rule.rule, frozenset(rule.methods or ())) for feature in server.FEATURES
                for rule in feature.rules}
    assert served == declared
    tables = {row[0] for row in sandbox.store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    for feature in server.FEATURES:
        for ddl in feature.tables:
            for line in ddl.splitlines():
                if line.startswith("CREATE TABLE IF NOT EXISTS "):
                    assert line.split()[5] in tables


def test_every_module_is_named_in_the_readme_layout():
    """The README's Layout table names each module in its package's row, so a reader finds
    where a behaviour lives (and no row names a module that is gone)."""
    readme = (SANDBOX / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):readme.index("## Seeded data")]
    rows = {line.split("|")[1].strip().strip("`"): line for line in layout.splitlines()
            if line.startswith("| `")}
    for path in sorted(SANDBOX.glob("*/**/*.py")):
        if path.name in ("__init__.py", "feature.py"):
            continue
        package, *rest = path.relative_to(SANDBOX).parts
        row = rows.get(f"{package}/", "")
        assert f"`{path.name}`" in row or f"`{'/'.join(rest)}`" in row, \
            f"sandbox/{path.relative_to(SANDBOX)} is not named in the README's Layout row of {package}/"
    for row in rows.values():
        for name in re.findall(r"`([a-z_/]+\.py)`", row.split("|")[3]):
            assert list(SANDBOX.glob(f"**/{name}")), f"the README's Layout names {name}, which is gone"


def test_every_release_field_is_named_in_the_readme():
    """A difference between releases lives in a field of `Release`; the README's version
    paragraph names each, so a reader of a behaviour finds the switch behind it."""
    from dataclasses import fields

    from scdi.upstream.releases import Release

    readme = (SANDBOX / "README.md").read_text(encoding="utf-8")
    start = readme.index("Version differences come only from fields")
    paragraph = readme[start:readme.index("\n\n", start)]
    missing = [f.name for f in fields(Release) if f"`{f.name}`" not in paragraph]
    assert missing == [], f"Release fields not named in sandbox/README.md's version paragraph: {missing}"


def _behaviour_rows() -> list[list[str]]:
    """The cells of the behaviour tables' rows ("Endpoints and where…", "Tracker")."""
    readme = (SANDBOX / "README.md").read_text(encoding="utf-8")
    out, section = [], ""
    for line in readme.splitlines():
        if line.startswith("## "):
            section = line[3:]
        if not (section.startswith("Endpoints and where") or section == "Tracker"):
            continue
        if not line.startswith("| ") or set(line.replace("|", "").strip()) <= set("-: "):
            continue
        cells = re.split(r"(?<!\\) \| ", line.strip().strip("|").strip())
        if cells[0].lower() not in ("endpoint / behaviour", "behaviour", "what"):
            out.append(cells)
    return out


@cache
def _defined(path: Path) -> frozenset[str]:
    """The functions, classes and assigned names a Python file defines, at any depth."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return frozenset(names)


def _module(name: str, directory: str) -> Path | None:
    root = SANDBOX.parent
    for candidate in (SANDBOX / name, root / name, SANDBOX / directory / name):
        if candidate.is_file():
            return candidate
    return None


def _row_reference_problems(cells: list[str]) -> list[str]:
    problems = []
    module: Path | None = None
    directory = ""
    for token in re.findall(r"`([^`]+)`", cells[-3]):
        if re.fullmatch(r"[\w/]+/", token):
            directory = token.rstrip("/")
            continue
        found = re.match(r"([\w/]+\.py)(?:#(\w+))?", token) or re.match(r"#(\w+)", token)
        if found is None:
            continue
        if token.startswith("#"):
            symbol = found.group(1)
        else:
            module = _module(found.group(1), directory)
            if module is None:
                problems.append(f"no module {found.group(1)}")
                continue
            if "/" in found.group(1):
                directory = found.group(1).rsplit("/", 1)[0]
            symbol = found.group(2)
        if symbol and module is not None and symbol not in _defined(module):
            problems.append(f"no {symbol} in {module.relative_to(SANDBOX.parent)}")
    tests = SANDBOX.parent / "tests"
    current: Path | None = None
    for token in re.findall(r"`([^`]+)`", cells[-1]):
        found = re.match(r"(?:[\w/]+/)?(test_\w+\.py)?(?:::(\w+)(\*)?)?$", token)
        if found is None or not (found.group(1) or found.group(2)):
            continue
        if found.group(1):
            matches = sorted(tests.glob(f"**/{found.group(1)}"))
            if not matches:
                problems.append(f"no test file {found.group(1)}")
                current = None
                continue
            current = matches[0]
        name = found.group(2)
        if name and current is not None:
            defined = _defined(current)
            if not (any(d.startswith(name) for d in defined) if found.group(3)
                    else name in defined):
                problems.append(f"no {name} in {current.name}")
    return problems


def test_every_behaviour_row_names_modules_and_tests_that_exist():
    """A row's sandbox modules (and the `#names` it gives in them) and its tests exist, each
    `::test` in the test file named before it, so a reader of a row finds what it names."""
    problems = [f"row {i} ({cells[0][:40]}…): {problem}"
                for i, cells in enumerate(_behaviour_rows())
                for problem in _row_reference_problems(cells)]
    assert problems == [], "\n".join(problems)
