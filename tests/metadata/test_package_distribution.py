"""The package sources travel inside the installed distribution and build from there."""

from __future__ import annotations

import ast
from pathlib import Path, PurePosixPath

from scdi.connector.metadata.package import build_package, dump_package
from scdi.metadata import root

from .conftest import REPO_METADATA

SETUP_PY = Path(__file__).resolve().parents[2] / "setup.py"


def _package_data_patterns() -> list[str]:
    tree = ast.parse(SETUP_PY.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "package_data":
            data = ast.literal_eval(node.value)
            return list(data["scdi.metadata"])
    raise AssertionError("setup.py has no package_data for scdi.metadata")


def test_installed_root_holds_the_sources() -> None:
    base = root()
    assert (base / "package.json").is_file()
    assert (base / "dependencies.json").is_file()
    assert (base / "src").is_dir()
    assert dump_package(build_package(base)) == dump_package(build_package(REPO_METADATA))


def test_every_source_file_is_shipped_in_the_wheel() -> None:
    patterns = _package_data_patterns()
    shipped_suffixes = {PurePosixPath(p).suffix for p in patterns}
    for path in REPO_METADATA.rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc"):
            relative = path.relative_to(REPO_METADATA)
            assert path.suffix in shipped_suffixes, f"{relative} would be left out of the wheel"


def test_nothing_built_is_kept_with_the_sources() -> None:
    for path in REPO_METADATA.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert not text.lstrip().startswith('{\n  "package": {\n    "DHIS2Version"'), path
