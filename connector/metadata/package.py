"""Build the SCDI_GROUPS package: merge the reviewed source files into one importable JSON.

Sources live in `metadata/` (installed as `scdi.metadata`):

* `package.json`: `{"package": {...}}`, the package block (code, name, semver version, minimum DHIS2 version,
  locale, type, description);
* `src/<area>/<pluralType>.json`: each file is `{"<pluralType>": [ ... ]}` in DHIS2's own
  export format (what `GET /api/metadata` returns), objects sorted by code, keys sorted.

The built package is what the Import/Export app and `POST /api/metadata` read: a `package`
block, then one list per type in `TYPE_ORDER`, objects sorted by UID, keys sorted. The same
sources always give byte-identical output (`dump_package`), so a built file can be compared,
hashed and recorded. Nothing here is random: UIDs are fixed in the sources (see
`scripts/metadata_uids.py` for adding new objects).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import string
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from scdi.connector.errors import InputError

# DHIS2's CodeGenerator: 11 characters, a letter first, then letters and digits
# (dhis-api/src/main/java/org/hisp/dhis/common/CodeGenerator.java).
UID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
CODE_PATTERN = re.compile(r"^[0-9A-Z_]+$")
SEMVER_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
DHIS2_MINOR_PATTERN = re.compile(r"^2\.\d{2}$")

# Every metadata type the package may hold, in the order the built file lists them:
# definitions before the objects that use them, so a reader meets an option set before the
# attribute that points at it. DHIS2's importer sorts by its own dependency graph, so this
# order is for people and for byte-stable output. A source file whose type is not listed
# here is refused (a typo such as `programStage.json` would otherwise be silently ignored).
TYPE_ORDER: tuple[str, ...] = (
    "attributes",
    "legendSets",
    "optionSets",
    "options",
    "optionGroups",
    "optionGroupSets",
    "categoryOptions",
    "categories",
    "categoryCombos",
    "categoryOptionCombos",
    "constants",
    "trackedEntityAttributes",
    "trackedEntityTypes",
    "dataElements",
    "dataElementGroups",
    "indicatorTypes",
    "indicators",
    "indicatorGroups",
    "dataSets",
    "sections",
    "validationRules",
    "validationRuleGroups",
    "programs",
    "programSections",
    "programStages",
    "programStageSections",
    "relationshipTypes",
    "programRuleVariables",
    "programRules",
    "programRuleActions",
    "programIndicators",
    "programIndicatorGroups",
    "aggregateDataExchanges",
    "programNotificationTemplates",
    "trackedEntityInstanceFilters",
    "programStageWorkingLists",
    "eventFilters",
    "visualizations",
    "eventVisualizations",
    "maps",
    "dashboards",
    "userRoles",
    "userGroups",
    "users",
)

# Objects that DHIS2 stores in their own table but that the export format nests inside their
# owner; their UIDs must be unique too.
EMBEDDED: dict[str, tuple[str, ...]] = {
    "dashboards": ("dashboardItems",),
    "programIndicators": ("analyticsPeriodBoundaries",),
    "programs": ("programTrackedEntityAttributes",),
    "programStages": ("programStageDataElements",),
    "trackedEntityTypes": ("trackedEntityTypeAttributes",),
}

PACKAGE_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "version",
    "DHIS2Version",
    "locale",
    "type",
    "description",
)

PACKAGE_FILE = "package.json"
SOURCE_DIR = "src"


@dataclass(frozen=True)
class SourceFile:
    """One source file: where it is (relative to the metadata root), its type, its objects."""

    path: str
    type: str
    objects: list[dict[str, Any]]


def default_root() -> Traversable:
    """The metadata folder inside the installed distribution."""
    from scdi.metadata import root

    return root()


def _as_root(root: Path | Traversable | None) -> Path | Traversable:
    return default_root() if root is None else root


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    """Every `*.json` file under `folder`, as (relative path, handle), in path order."""
    found: list[tuple[str, Traversable]] = []
    for child in folder.iterdir():
        relative = f"{prefix}/{child.name}"
        if child.is_dir():
            found.extend(_walk(child, relative))
        elif child.name.endswith(".json"):
            found.append((relative, child))
    return sorted(found, key=lambda item: item[0])


def read_source_files(root: Path | Traversable | None = None) -> list[SourceFile]:
    """Read and check the shape of every source file (not yet merged)."""
    base = _as_root(root)
    src = base / SOURCE_DIR
    if not src.is_dir():
        raise InputError(
            "no source folder found",
            file=f"{base}/{SOURCE_DIR}",
            hint="Point --root at the metadata folder that holds package.json and src/.",
        )
    files: list[SourceFile] = []
    for relative, handle in _walk(src, SOURCE_DIR):
        try:
            document = json.loads(handle.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                file=relative,
                hint="Fix the JSON syntax; `python -m json.tool FILE` shows where.",
            ) from exc
        files.append(_check_file(relative, document))
    if not files:
        raise InputError("no source files", file=f"{base}/{SOURCE_DIR}")
    return files


def _check_file(relative: str, document: Any) -> SourceFile:
    stem = relative.rsplit("/", 1)[-1].removesuffix(".json")
    if not isinstance(document, dict) or len(document) != 1:
        raise InputError(
            'a source file must be one object with one key, e.g. {"dataElements": [...]}',
            file=relative,
        )
    ((type_name, objects),) = document.items()
    if type_name not in TYPE_ORDER:
        raise InputError(
            f"unknown metadata type {type_name!r}",
            file=relative,
            hint="Use a DHIS2 plural type name listed in TYPE_ORDER "
            "(scdi.connector.metadata.package), or add the new type there.",
        )
    if stem != type_name:
        raise InputError(
            f"file holds {type_name!r} but is named {stem}.json",
            file=relative,
            hint=f"Rename the file to {type_name}.json so a reviewer finds it by type.",
        )
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise InputError(f"{type_name!r} must be a list of objects", file=relative)
    for index, obj in enumerate(objects):
        uid = obj.get("id")
        if not isinstance(uid, str) or not UID_PATTERN.match(uid):
            raise InputError(
                f"object {index + 1} ({obj.get('code', 'no code')}) has no valid UID: {uid!r}",
                file=relative,
                field="id",
                hint="Run scripts/metadata_uids.py to give new objects fixed UIDs, then commit them.",
            )
    return SourceFile(path=relative, type=type_name, objects=objects)


def _owned_uids(type_name: str, obj: dict[str, Any]) -> list[tuple[str, str]]:
    """(uid, label) for the object itself and the objects it embeds."""
    label = f"{type_name} {obj.get('code') or obj.get('name') or ''}".strip()
    owned = [(str(obj["id"]), label)]
    for collection in EMBEDDED.get(type_name, ()):
        for child in obj.get(collection, []) or []:
            if isinstance(child, dict) and "id" in child:
                owned.append((str(child["id"]), f"{label} → {collection}"))
    return owned


def _check_unique_uids(files: list[SourceFile]) -> None:
    seen: dict[str, tuple[str, str]] = {}
    for source in files:
        for obj in source.objects:
            for uid, label in _owned_uids(source.type, obj):
                if not UID_PATTERN.match(uid):
                    raise InputError(f"{label}: invalid UID {uid!r}", file=source.path)
                if uid in seen:
                    first_file, first_label = seen[uid]
                    raise InputError(
                        f"UID {uid} is used twice: {first_label} in {first_file} and {label} in {source.path}",
                        file=source.path,
                        hint="UIDs never change once released: give the newer object a new UID "
                        "(scripts/metadata_uids.py) and keep the released one.",
                    )
                seen[uid] = (source.path, label)


def load_sources(root: Path | Traversable | None = None) -> dict[str, list[dict[str, Any]]]:
    """All source objects merged by type, after checking shapes and UID uniqueness."""
    return merge_sources(read_source_files(root))


def merge_sources(files: list[SourceFile]) -> dict[str, list[dict[str, Any]]]:
    """Source files already read, merged by type after the UID uniqueness check."""
    _check_unique_uids(files)
    merged: dict[str, list[dict[str, Any]]] = {}
    for source in files:
        merged.setdefault(source.type, []).extend(source.objects)
    return merged


def read_package_block(root: Path | Traversable | None = None) -> dict[str, str]:
    """The `package` object of package.json, checked."""
    base = _as_root(root)
    handle = base / PACKAGE_FILE
    if not handle.is_file():
        raise InputError("package description missing", file=PACKAGE_FILE)
    try:
        document = json.loads(handle.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}", file=PACKAGE_FILE) from exc
    table = document.get("package") if isinstance(document, dict) else None
    if not isinstance(table, dict):
        raise InputError('needs a "package" object', file=PACKAGE_FILE)
    block: dict[str, str] = {}
    for key in PACKAGE_FIELDS:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InputError("missing or empty", file=PACKAGE_FILE, field=key)
        block[key] = value
    unknown = sorted(set(table) - set(PACKAGE_FIELDS))
    if unknown:
        raise InputError(f"unknown keys {unknown}", file=PACKAGE_FILE)
    if not CODE_PATTERN.match(block["code"]):
        raise InputError("must match ^[0-9A-Z_]+$", file=PACKAGE_FILE, field="code")
    if not SEMVER_PATTERN.match(block["version"]):
        raise InputError("must be a semantic version such as 1.0.0", file=PACKAGE_FILE, field="version")
    if not DHIS2_MINOR_PATTERN.match(block["DHIS2Version"]):
        raise InputError("must be the minimum DHIS2 minor release, e.g. 2.41", file=PACKAGE_FILE, field="DHIS2Version")
    return block


def _sorted_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def _canonical_package(pkg: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(pkg) - {"package", *TYPE_ORDER})
    if unknown:
        raise InputError(f"package holds unknown keys {unknown}")
    ordered: dict[str, Any] = {"package": {k: pkg["package"][k] for k in sorted(pkg["package"])}}
    for type_name in TYPE_ORDER:
        if type_name in pkg:
            objects = sorted(pkg[type_name], key=lambda obj: str(obj["id"]))
            ordered[type_name] = [_sorted_keys(obj) for obj in objects]
    return ordered


def build_package(
    root: Path | Traversable | None = None, *, files: list[SourceFile] | None = None
) -> dict[str, Any]:
    """The importable package: the `package` block, then every type in TYPE_ORDER.

    `files`: the source files of `root` when the caller has read them already."""
    block = read_package_block(root)
    sources = merge_sources(files if files is not None else read_source_files(root))
    return _canonical_package({"package": block, **sources})


def dump_package(pkg: dict[str, Any]) -> str:
    """The package as text: UTF-8 friendly (Vietnamese stays readable), 2-space indent,
    fixed type order, objects by UID, keys sorted, one trailing newline."""
    return json.dumps(_canonical_package(pkg), ensure_ascii=False, indent=2) + "\n"


def default_output_name(pkg: dict[str, Any]) -> str:
    return f"scdi-groups-{pkg['package']['version']}.json"


class WrittenPackage(BaseModel):
    """What `write_package` wrote: enough to report it and to recognise the file later."""

    path: str
    code: str
    version: str
    dhis2_version: str
    sha256: str
    objects: dict[str, int]


def write_package(path: Path | None = None, root: Path | Traversable | None = None) -> WrittenPackage:
    """Build and write the package; `path` defaults to build/scdi-groups-<version>.json."""
    pkg = build_package(root)
    target = path if path is not None else Path("build") / default_output_name(pkg)
    text = dump_package(pkg)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the package: {exc.strerror}", file=str(target)) from exc
    return WrittenPackage(
        path=str(target),
        code=pkg["package"]["code"],
        version=pkg["package"]["version"],
        dhis2_version=pkg["package"]["DHIS2Version"],
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        objects={type_name: len(pkg[type_name]) for type_name in TYPE_ORDER if type_name in pkg},
    )


# --- authoring helpers (used by scripts/metadata_uids.py, never by the build) ---------------

_UID_FIRST = string.ascii_letters
_UID_REST = string.ascii_letters + string.digits


def new_uid() -> str:
    """A fresh DHIS2-style UID; call it once per new object and commit the result."""
    return secrets.choice(_UID_FIRST) + "".join(secrets.choice(_UID_REST) for _ in range(10))


def _translation_key(item: Any) -> tuple[str, str]:
    if isinstance(item, dict):
        return (str(item.get("locale", "")), str(item.get("property", "")))
    return ("", "")


def _canonical_source_object(value: Any) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key in sorted(value):
            item = _canonical_source_object(value[key])
            if key == "translations" and isinstance(item, list):
                item = sorted(item, key=_translation_key)
            out[key] = item
        return out
    if isinstance(value, list):
        return [_canonical_source_object(item) for item in value]
    return value


def canonical_source_text(type_name: str, objects: list[dict[str, Any]]) -> str:
    """How a source file must look: objects sorted by code (then UID), keys sorted,
    translations sorted by locale and property, 2-space indent, readable Vietnamese."""
    ordered = sorted(objects, key=lambda obj: (str(obj.get("code", "")), str(obj.get("id", ""))))
    document = {type_name: [_canonical_source_object(obj) for obj in ordered]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
