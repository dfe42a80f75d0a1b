"""A metadata package as it sits on disk, read once for every command that needs it.

    source = load_source(Path("metadata"))          # our source folder: package.json and src/
    source = load_source(Path("who-package.json"))  # a built package or any DHIS2 export
    source = load_source()                          # the package installed with scdi-groups

Validate, diff, deploy and status all read a package through `load_source`, so the same bad
input fails the same way whichever command meets it: an `InputError` naming the file (cannot
be read, not JSON, not a JSON object, a malformed source file, a UID used twice).

Beside its package a source folder brings `dependencies.json` (objects the instance provides),
`android-settings/` (Android Settings App keys) and `rule-tests/` (program rule test cases);
a package file brings the `dependencies.json` and `android-settings/` next to it, and rule test
cases only when they are named.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.errors import InputError
from scdi.connector.metadata.index import Dependency, singular_of
from scdi.connector.metadata.package import EMBEDDED, SourceFile, build_package, default_root, read_source_files

DEPENDENCIES_FILE = "dependencies.json"
ANDROID_SETTINGS_DIR = "android-settings"
RULE_TESTS_DIR = "rule-tests"


class PackageSource(BaseModel):
    """A package and what travels with it, as read from a folder or a file."""

    package: dict[str, Any]
    source: str  # the folder or file read
    default_file: str  # the file a finding names when no source file defines its object
    source_files: dict[str, str] = Field(default_factory=dict)  # UID → source file (folders)
    dependencies: dict[str, Dependency] = Field(default_factory=dict)
    android_settings: dict[str, Any] = Field(default_factory=dict)
    # A source folder brings its rule test cases (possibly none); a built file brings none,
    # and then rule coverage is not judged.
    rule_tests: list[str] | None = None
    root: str | None = None  # the source folder, when the package was built from one

    @property
    def strict(self) -> bool | None:
        """Our own sources are held to the project's rules; a file is judged by its code."""
        return True if self.root else None


def read_json(path: Path) -> Any:
    """A JSON file, or InputError naming it (unreadable, or not JSON and where)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         file=str(path)) from exc


def read_dependencies(path: Path) -> dict[str, Dependency]:
    """`dependencies.json` of a package: objects the instance provides."""
    if not path.is_file():
        return {}
    document = read_json(path)
    out: dict[str, Dependency] = {}
    for item in document.get("dependencies", []) if isinstance(document, dict) else []:
        if isinstance(item, dict) and isinstance(item.get("uid"), str):
            kind = item.get("type")
            out[item["uid"]] = Dependency(
                uid=item["uid"], type=singular_of(kind) if isinstance(kind, str) else None,
                name=item.get("code") or item.get("name"), note=item.get("why"))
    return out


def read_android_settings(folder: Path) -> dict[str, Any]:
    """`android-settings/<key>.json` files: one datastore key of ANDROID_SETTINGS_APP each."""
    if not folder.is_dir():
        return {}
    return {path.stem: read_json(path) for path in sorted(folder.glob("*.json"))}


def source_file_map(files: list[SourceFile]) -> dict[str, str]:
    """UID → the source file (relative to the metadata folder) that defines it, embedded
    objects included."""
    source_files: dict[str, str] = {}
    for source in files:
        for obj in source.objects:
            uid = str(obj.get("id"))
            source_files[uid] = source.path
            for collection in EMBEDDED.get(source.type, ()):
                for child in obj.get(collection) or []:
                    if isinstance(child, dict) and isinstance(child.get("id"), str):
                        source_files[child["id"]] = source.path
    return source_files


def rule_test_files(root: Path) -> list[Path]:
    """A source folder's rule test cases (`rule-tests/*.json`); none is an empty list."""
    tests_dir = root / RULE_TESTS_DIR
    return sorted(tests_dir.glob("*.json")) if tests_dir.is_dir() else []


def load_folder(root: Path) -> PackageSource:
    """Build our package from its source folder, remembering which file defines each object."""
    files = read_source_files(root)  # read once: for the package and for naming source files
    return PackageSource(
        package=build_package(root, files=files), source=str(root), default_file="package.json",
        source_files=source_file_map(files), dependencies=read_dependencies(root / DEPENDENCIES_FILE),
        android_settings=read_android_settings(root / ANDROID_SETTINGS_DIR),
        rule_tests=[str(p) for p in rule_test_files(root)], root=str(root))


def load_file(path: Path, *, rule_tests: Sequence[Path] | None = None) -> PackageSource:
    """A package file: a built package of ours or any DHIS2 metadata export."""
    document = read_json(path)
    if not isinstance(document, dict):
        raise InputError("a DHIS2 metadata file is a JSON object of type lists", file=str(path))
    return PackageSource(
        package=document, source=str(path), default_file=path.name,
        dependencies=read_dependencies(path.with_name(DEPENDENCIES_FILE)),
        android_settings=read_android_settings(path.with_name(ANDROID_SETTINGS_DIR)),
        rule_tests=[str(p) for p in rule_tests] if rule_tests else None)


def load_source(path: Path | None = None) -> PackageSource:
    """A folder is our package's sources; a file is a package; None is the installed package."""
    if path is None:
        return load_folder(Path(str(default_root())))
    path = Path(path)
    if path.is_dir():
        return load_folder(path)
    if not path.exists():
        raise InputError("no such file or folder", file=str(path))
    return load_file(path)


__all__ = [
    "PackageSource",
    "load_file",
    "load_folder",
    "load_source",
    "read_android_settings",
    "read_dependencies",
    "read_json",
    "rule_test_files",
    "source_file_map",
]
