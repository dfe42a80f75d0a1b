from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.metadata.package import build_package

REPO_METADATA = Path(__file__).resolve().parents[2] / "metadata"
SCHEMA_RULES = Path(__file__).with_name("data") / "dhis2_schema_rules.json"


@pytest.fixture(scope="session")
def package() -> dict[str, Any]:
    return build_package()


@pytest.fixture(scope="session")
def schema_rules() -> dict[str, Any]:
    return json.loads(SCHEMA_RULES.read_text(encoding="utf-8"))["types"]


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A writable copy of the metadata sources, for tests that break them on purpose."""
    target = tmp_path / "metadata"
    shutil.copytree(REPO_METADATA, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def top_level(pkg: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for type_name, objects in pkg.items():
        if type_name == "package":
            continue
        for obj in objects:
            yield type_name, obj


def by_code(pkg: dict[str, Any], type_name: str, code: str) -> dict[str, Any]:
    matches = [obj for obj in pkg[type_name] if obj.get("code") == code]
    assert len(matches) == 1, f"{type_name} {code}: {len(matches)} objects"
    return matches[0]
