"""References: every UID an object points at is in the package or provided by the instance.

DHIS2 resolves references at import (dxf2/metadata/objectbundle/validation/ReferencesCheck.java)
and answers E5002 for one it cannot find, refusing the whole import under atomicMode=ALL. The
reference properties per type come from the schema facts (`schemas/index.json`); for types
without facts every `{"id": …}` object inside counts as a reference, and its target type is
only a guess from the property name (`recipientProgramAttribute` is a tracked entity
attribute): a guess never makes a `references.wrong-type` error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.index import (
    DEFAULT_CATEGORY_UIDS,
    INSTANCE_TYPES,
    UID_RE,
    Obj,
    PackageIndex,
    schema_index,
    singular_of,
)

# Not references to check: audit fields and sharing (users/groups of the source instance,
# which DHIS2 drops or remaps with skipSharing).
SKIP_PROPERTIES = frozenset({"createdBy", "lastUpdatedBy", "user", "sharing", "access",
                             "userAccesses", "userGroupAccesses", "translations", "favorites"})
REFERENCE_KEYS = frozenset({"id", "code", "name", "displayName"})
# Type-compatible targets: a `trackedEntityAttribute` reference may point at an attribute,
# a `legendSets` item at a legend set, and so on; these aliases widen the check.
COMPATIBLE = {"analyticsPeriodBoundary": {"analyticsPeriodBoundary"}}


def guessed_references(obj: Obj) -> Iterator[tuple[str, str, str | None]]:
    """References of an object of a type without facts, with the target type guessed from
    the property name: good enough to word a message, never to judge a type."""
    yield from _generic(obj.data, "")


def _facts_references(obj: Obj) -> Iterator[tuple[str, str, str | None]]:
    facts = schema_index()["types"].get(obj.type)
    if facts:
        for prop, ref in facts["references"].items():
            if prop in SKIP_PROPERTIES:
                continue
            value = obj.data.get(prop)
            items = value if isinstance(value, list) else [value]
            for position, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                uid = item.get("id")
                if set(item) - REFERENCE_KEYS:
                    continue  # a whole object inside its parent, indexed and checked on its own
                if isinstance(uid, str):
                    path = f"{prop}[{position}]" if isinstance(value, list) else prop
                    yield path, uid, ref["target"]
        for position, value in enumerate(obj.data.get("attributeValues") or []):
            if isinstance(value, dict) and isinstance(value.get("attribute"), dict):
                uid = value["attribute"].get("id")
                if isinstance(uid, str):
                    yield f"attributeValues[{position}].attribute", uid, "attribute"


def _generic(value: Any, path: str) -> Iterator[tuple[str, str, str | None]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SKIP_PROPERTIES:
                continue
            sub = f"{path}.{key}" if path else key
            if isinstance(item, dict) and isinstance(item.get("id"), str) and not set(item) - REFERENCE_KEYS:
                yield sub, item["id"], singular_of(key) if key.endswith("s") else key
            elif isinstance(item, list):
                for position, element in enumerate(item):
                    element_path = f"{sub}[{position}]"
                    if (isinstance(element, dict) and isinstance(element.get("id"), str)
                            and not set(element) - REFERENCE_KEYS):
                        yield element_path, element["id"], singular_of(key)
                    else:
                        yield from _generic(element, element_path)
            elif isinstance(item, dict):
                yield from _generic(item, sub)


def check_references(index: PackageIndex) -> list[Finding]:
    findings: list[Finding] = []
    for obj in index.objects:
        known = bool(schema_index()["types"].get(obj.type))
        for path, uid, target in (_facts_references(obj) if known else guessed_references(obj)):
            findings.extend(_check_one(index, obj, path, uid, target, certain=known))
    return findings


def _check_one(index: PackageIndex, obj: Obj, path: str, uid: str, target: str | None,
               *, certain: bool = True) -> list[Finding]:
    if not UID_RE.match(uid):
        severity = Severity.WARNING if uid.startswith("<") or uid.isupper() else Severity.ERROR
        what = "a placeholder to replace before import" if severity is Severity.WARNING else "not a DHIS2 UID"
        return [index.finding(severity, "references.placeholder" if severity is Severity.WARNING
                              else "references.uid-format", f"{uid!r} is {what}", obj, path)]
    found = index.by_uid.get(uid)
    if found:
        if target and certain and not any(o.type == target or o.type in COMPATIBLE.get(target, ()) for o in found):
            actual = ", ".join(sorted({o.type for o in found}))
            return [index.finding(Severity.ERROR, "references.wrong-type",
                                  f"{uid} should be a {target} but is a {actual}", obj, path)]
        return []
    if uid in index.dependencies or uid in DEFAULT_CATEGORY_UIDS:
        declared = index.dependencies.get(uid)
        if declared and declared.type and target and certain and declared.type != target:
            return [index.finding(Severity.ERROR, "references.wrong-type",
                                  f"{uid} is declared as an instance {declared.type}, "
                                  f"but is used as a {target}", obj, path)]
        return []
    if target in INSTANCE_TYPES:
        return [index.finding(
            Severity.WARNING, "references.instance",
            f"{target} {uid} is not in the package: it must exist on the target instance "
            "(declare it as a dependency, or map it before import)", obj, path)]
    return [index.finding(
        Severity.ERROR, "references.dangling",
        f"{target or 'object'} {uid} is neither in the package nor a declared instance "
        "dependency; DHIS2 would refuse the import (E5002)", obj, path)]
