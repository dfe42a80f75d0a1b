"""The package as the checks see it: every object with its type, file and position, by UID."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from scdi.connector.findings import Finding, Severity, finding

UID_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9]{10}\Z")  # \Z: Matcher#matches, no final line break

# DHIS2 creates these default category objects on every instance with the same UIDs
# (category/CategoryManager default objects); ReferencesCheck tolerates references to them.
DEFAULT_CATEGORY_UIDS: dict[str, str] = {
    "bjDvmb4bfuf": "categoryCombo",
    "GLevLNI9wkl": "category",
    "xYerKDKCefk": "categoryOption",
    "HllvX50cXC0": "categoryOptionCombo",
}

# Types a package normally takes from the instance it is installed on (org units, users,
# sharing groups): a reference to one that is neither in the package nor declared as a
# dependency is a warning, not an error.
INSTANCE_TYPES = frozenset(
    {"organisationUnit", "user", "userGroup", "userRole", "organisationUnitLevel",
     "categoryCombo", "category", "categoryOption", "categoryOptionCombo", "indicatorType",
     "legendSet", "fileResource", "programNotificationTemplate", "dataEntryForm"}
)

# Top-level keys of a metadata file that do not hold lists of objects.
NON_OBJECT_KEYS = frozenset({"package", "system", "date", "dependencies"})


@cache
def schema_index() -> dict[str, Any]:
    """index.json beside the JSON Schemas: plural names and reference properties per type."""
    text = files("scdi.connector.metadata").joinpath("schemas/index.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def singular_of(plural: str) -> str:
    for singular, facts in schema_index()["types"].items():
        if facts["plural"] == plural:
            return str(singular)
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    if plural.endswith("ses"):
        return plural[:-2]
    return plural[:-1] if plural.endswith("s") else plural


@dataclass
class Obj:
    """One metadata object of the package (top level or embedded in another)."""

    type: str
    data: dict[str, Any]
    plural: str
    position: int
    file: str | None = None
    parent: Obj | None = None

    @property
    def uid(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def label(self) -> str | None:
        for key in ("name", "displayName", "formName", "code"):
            value = self.data.get(key)
            if isinstance(value, str) and value:
                return value
        if self.parent is not None:
            return f"#{self.position + 1} of {self.parent.type} {self.parent.label} [{self.parent.uid}]"
        return None


@dataclass
class Dependency:
    """An object the package needs but does not carry: the instance provides it."""

    uid: str
    type: str | None = None
    name: str | None = None
    note: str | None = None


@dataclass
class PackageIndex:
    package: dict[str, Any]
    default_file: str | None = None
    source_files: Mapping[str, str] = field(default_factory=dict)
    dependencies: dict[str, Dependency] = field(default_factory=dict)
    objects: list[Obj] = field(default_factory=list)
    by_uid: dict[str, list[Obj]] = field(default_factory=dict)
    by_type: dict[str, list[Obj]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        package: dict[str, Any],
        *,
        default_file: str | None = None,
        source_files: Mapping[str, str] | None = None,
        dependencies: Mapping[str, Dependency] | None = None,
    ) -> PackageIndex:
        index = cls(package=package, default_file=default_file,
                    source_files=dict(source_files or {}), dependencies=dict(dependencies or {}))
        for plural, items in package.items():
            if plural in NON_OBJECT_KEYS or not isinstance(items, list):
                continue
            type_name = singular_of(plural)
            for position, item in enumerate(items):
                if isinstance(item, dict):
                    index._add(Obj(type_name, item, plural, position))
        # Embedded objects (program stage data elements, program attributes, …) live inside
        # their parent; index them too so references to and from them resolve.
        for parent in list(index.objects):
            index._add_embedded(parent)
        return index

    def _add(self, obj: Obj) -> None:
        uid = obj.uid
        if obj.file is None:
            obj.file = self._file_for(obj)
        self.objects.append(obj)
        self.by_type.setdefault(obj.type, []).append(obj)
        if uid:
            self.by_uid.setdefault(uid, []).append(obj)

    def _file_for(self, obj: Obj) -> str | None:
        if obj.uid and obj.uid in self.source_files:
            return self.source_files[obj.uid]
        if obj.parent is not None:
            return obj.parent.file
        return self.default_file

    def _add_embedded(self, parent: Obj) -> None:
        facts = schema_index()["types"].get(parent.type)
        if not facts:
            return
        for prop, ref in facts["references"].items():
            target = ref["target"]
            value = parent.data.get(prop)
            items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
            for position, item in enumerate(items):
                if isinstance(item, dict) and len(set(item) - {"id", "code", "name", "displayName"}):
                    # {"id": …} alone is a reference to a top-level object; more is the object
                    child = Obj(target, item, f"{parent.plural}.{prop}", position, parent=parent)
                    if child.uid and any(o.parent is None for o in self.by_uid.get(child.uid, [])):
                        continue
                    self._add(child)
                    self._add_embedded(child)

    # --- lookups -------------------------------------------------------------------------

    def get(self, uid: str | None, type_name: str | None = None) -> Obj | None:
        if not uid:
            return None
        for obj in self.by_uid.get(uid, []):
            if type_name is None or obj.type == type_name:
                return obj
        return None

    def of_type(self, type_name: str) -> list[Obj]:
        return self.by_type.get(type_name, [])

    def top_level(self) -> Iterator[Obj]:
        return (obj for obj in self.objects if obj.parent is None)

    def is_known(self, uid: str) -> bool:
        return uid in self.by_uid or uid in self.dependencies or uid in DEFAULT_CATEGORY_UIDS

    def finding(
        self,
        severity: Severity,
        check: str,
        message: str,
        obj: Obj | None = None,
        prop: str | None = None,
        *,
        file: str | None = None,
    ) -> Finding:
        return finding(
            severity,
            check,
            message,
            file=file or (obj.file if obj else self.default_file),
            object_type=obj.type if obj else None,
            name=obj.label if obj else None,
            uid=obj.uid if obj else None,
            property=prop,
        )


def ref_id(value: Any) -> str | None:
    """The UID of a `{"id": …}` reference, or None."""
    if isinstance(value, dict):
        uid = value.get("id")
        return uid if isinstance(uid, str) else None
    return None


def ref_ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [uid for uid in (ref_id(item) for item in value) if uid]
    uid = ref_id(value)
    return [uid] if uid else []


def translations_of(obj: Obj) -> dict[tuple[str, str], str]:
    """(locale, property) → value for an object's DHIS2 translations."""
    out: dict[tuple[str, str], str] = {}
    for item in obj.data.get("translations") or []:
        if isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("locale", "property")):
            value = item.get("value")
            out[(item["locale"], item["property"])] = value if isinstance(value, str) else ""
    return out
