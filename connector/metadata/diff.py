"""What a deploy would change on a server: per type, objects to create, update or leave alone.

Only what the package says and the server's release stores counts. A property the package does
not carry (sharing, org unit assignments, DHIS2's defaults such as `attributeValues: []`) is the
instance's business and is ignored, as are fields the server manages (lastUpdated, created,
createdBy, href, access, display names, …). For every type with schema facts, top level or
embedded (dashboard items, program attributes, …), only the owner properties that release
persists are compared (`facts.stored_properties`): a derived count, a favourite flag or a
property the release does not store (2.41 keeps no tracked entity type `shortName`) is never a
change; a reference to another object compares by its id, and `sharing.external` only on 2.42,
the one release whose `Sharing` has it. Lists compare as sets (translations
by locale and property), except the collections DHIS2 stores in order (`ORDERED`), where a new order is a change.
Objects an earlier version installed and this one dropped come from the installed record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import NotFound
from scdi.connector.metadata.facts import STORED_THROUGH, reference_targets, stored_properties
from scdi.connector.metadata.index import singular_of
from scdi.upstream.releases import RELEASES

# Membership is the instance's even where a package writes it down: the package's user groups
# ship with "users": [] and provisioning adds the leaders on the server (UserGroup.users is the
# owning side). Deploy keeps it from the server; diff, drift and the record never compare it.
SERVER_MEMBERSHIP = {"userGroups": ("users",)}
_MEMBERSHIP_OF_TYPE = {"userGroup": frozenset({"users"})}

SERVER_MANAGED = frozenset({
    "lastUpdated", "created", "createdBy", "lastUpdatedBy", "access", "href", "user",
    "favorites", "favorite", "displayName", "displayShortName", "displayFormName",
    "displayDescription", "displayContent", "displayFromToName", "displayToFromName",
    "displayEnrollmentDateLabel", "displayIncidentDateLabel", "displayExecutionDateLabel",
    "displayDueDateLabel", "displayInstruction", "externalAccess", "publicAccess",
    "userAccesses", "userGroupAccesses", "dimensionItem", "dimensionItemType",
    "legendSet", "aggregationLevels", "version",
})
NOT_OBJECT_KEYS = frozenset({"package", "system", "date"})
# Collections DHIS2 keeps as lists with a sort_order column, in the order they were imported
# (what a form or a dashboard shows); every other collection is a set on the server and comes
# back in any order. dhis2-core 2.41-2.43: ProgramStageSection.hbm.xml and ProgramSection.hbm.xml
# (<list-index column="sort_order">), Category.hbm.xml, TrackedEntityType.hbm.xml,
# Visualization.hbm.xml; dhis-api CategoryCombo.java, Section.java, Dashboard.java and
# Program.java (@OrderColumn(name = "sort_order")). OptionSet.options is ordered by each option's
# own sortOrder (@OrderBy), which the options carry, so it is not listed.
ORDERED: dict[str, frozenset[str]] = {
    "programStageSections": frozenset({"dataElements", "programIndicators"}),
    "programSections": frozenset({"trackedEntityAttributes"}),
    "sections": frozenset({"dataElements", "indicators"}),
    "categories": frozenset({"categoryOptions"}),
    "categoryCombos": frozenset({"categories"}),
    "dashboards": frozenset({"dashboardItems"}),
    "programs": frozenset({"programTrackedEntityAttributes"}),
    "trackedEntityTypes": frozenset({"trackedEntityTypeAttributes"}),
    "visualizations": frozenset({"columns", "rows", "filters"}),
    "eventVisualizations": frozenset({"columns", "rows", "filters"}),
}
BATCH = 100  # UIDs per filter, to keep URLs short


def _sort_key(item: Any) -> str:
    if isinstance(item, dict):
        if "id" in item:
            return f"0{item['id']}"
        if "locale" in item:
            return f"1{item.get('locale')}|{item.get('property')}"
    return "2" + json.dumps(item, sort_keys=True, ensure_ascii=False)


def normalise(value: Any, template: Any = None, ordered: frozenset[str] = frozenset(),
              type_name: str | None = None, release: str | None = None, *, top: bool = True) -> Any:
    """`value` reduced to what `template` (the package's version) says and what `release`
    stores for `type_name`, in a stable order. Without a template, the value itself decides
    which keys count. `ordered`: the keys of this object whose lists keep their order.
    Server-managed fields are an object's own (`top`) or an embedded object's (`type_name`):
    elsewhere the same names are data, such as `access` of a sharing entry."""
    if isinstance(value, dict):
        keys = set(value) if not isinstance(template, dict) else set(template)
        if top or type_name:
            keys -= SERVER_MANAGED
        if top and type_name:
            keys -= _MEMBERSHIP_OF_TYPE.get(type_name, frozenset())
        stored = stored_properties(type_name, release) if release else None
        if stored is not None:
            keys &= stored
        targets = reference_targets(type_name) if type_name else {}
        if top and "sharing" in keys and not _stores_external(release):
            value = {**value, "sharing": _without_external(value.get("sharing"))}
            if isinstance(template, dict):
                template = {**template, "sharing": _without_external(template.get("sharing"))}
        out: dict[str, Any] = {}
        for key in sorted(keys):
            sub_template = template.get(key) if isinstance(template, dict) else None
            target, embedded = targets.get(key, (None, False))
            sub = value.get(key)
            if target and not embedded:
                out[key] = _ids_only(sub, keep_order=key in ordered)
                continue
            out[key] = _normalise_list(sub, sub_template, keep_order=key in ordered,
                                       type_name=target if embedded else None, release=release)
        return out
    if isinstance(value, list):
        return _normalise_list(value, template, keep_order=False, type_name=type_name, release=release)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _stores_external(release: str | None) -> bool:
    """`Sharing.external` is a property at 2.42.5 only (dhis-api `user/sharing/Sharing.java`):
    2.41 and 2.43 neither store nor export it, so a package's `external` is no change there."""
    known = RELEASES.get(release) if release else None
    return known is None or known.sharing_external_access


def _without_external(sharing: Any) -> Any:
    if isinstance(sharing, dict):
        return {k: v for k, v in sharing.items() if k != "external"}
    return sharing


def _ids_only(value: Any, *, keep_order: bool) -> Any:
    """A reference (or a list of them) as DHIS2 stores it: the target's id."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return {"id": value["id"]}
    if isinstance(value, list):
        items = [_ids_only(item, keep_order=False) for item in value]
        return items if keep_order else sorted(items, key=_sort_key)
    return normalise(value)


def _normalise_list(value: Any, template: Any, *, keep_order: bool, type_name: str | None = None,
                    release: str | None = None) -> Any:
    if not isinstance(value, list):
        return normalise(value, template, type_name=type_name, release=release, top=False)
    template_by_key: dict[str, Any] = {}
    if isinstance(template, list):
        template_by_key = {_sort_key(item): item for item in template}
    items = [normalise(item, template_by_key.get(_sort_key(item)), type_name=type_name, release=release, top=False)
             for item in value]
    return items if keep_order else sorted(items, key=_sort_key)


def type_of(plural: str) -> str | None:
    """The schema type of a top-level key (`dashboards` → `dashboard`), when it has a name."""
    return singular_of(plural) if plural else None


def content_hash(obj: Mapping[str, Any], template: Mapping[str, Any] | None = None, plural: str = "",
                 release: str | None = None) -> str:
    text = json.dumps(normalise(dict(obj), dict(template) if template else None, ORDERED.get(plural, frozenset()),
                                type_of(plural), release),
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _short(value: Any, limit: int = 80) -> Any:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value if len(text) <= limit else text[: limit - 1] + "…"


class FieldChange(BaseModel):
    property: str
    server: Any = None
    package: Any = None


class ObjectDiff(BaseModel):
    type: str
    uid: str
    name: str | None = None
    status: Literal["create", "update", "unchanged"]
    changes: list[FieldChange] = Field(default_factory=list)


class RemovedObject(BaseModel):
    type: str
    uid: str
    on_server: bool


class TypeCounts(BaseModel):
    create: int = 0
    update: int = 0
    unchanged: int = 0
    removed: int = 0


class PackageDiff(BaseModel):
    objects: list[ObjectDiff] = Field(default_factory=list)
    removed: list[RemovedObject] = Field(default_factory=list)

    def by_type(self) -> dict[str, TypeCounts]:
        counts: dict[str, TypeCounts] = {}
        for item in self.objects:
            entry = counts.setdefault(item.type, TypeCounts())
            setattr(entry, item.status, getattr(entry, item.status) + 1)
        for removed in self.removed:
            counts.setdefault(removed.type, TypeCounts()).removed += 1
        return counts

    @property
    def changed(self) -> list[ObjectDiff]:
        return [item for item in self.objects if item.status != "unchanged"]

    def to_json(self) -> dict[str, Any]:
        return {
            "types": {t: c.model_dump() for t, c in sorted(self.by_type().items())},
            "changes": [item.model_dump() for item in self.changed],
            "removed": [item.model_dump() for item in self.removed],
        }


def package_objects(pkg: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {plural: [o for o in items if isinstance(o, dict) and isinstance(o.get("id"), str)]
            for plural, items in pkg.items()
            if plural not in NOT_OBJECT_KEYS and isinstance(items, list)}


# `:owner` is `Property::isOwner` (fieldfiltering/FieldPathHelper#applyPresets), which leaves
# out what DHIS2 stores through another property (an analytical object's `relativePeriods`,
# kept as `rawPeriods`): those are asked for by name, the getter rebuilding them.
OWNER_FIELDS = ",".join((":owner", *sorted(STORED_THROUGH)))


def fetch_server_objects(client: Dhis2Client, wanted: Mapping[str, Iterable[str]]
                         ) -> dict[str, dict[str, dict[str, Any]]]:
    """plural → uid → the server's object (owner fields), for the UIDs asked."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for plural, uids in wanted.items():
        ordered = sorted(set(uids))
        found[plural] = {}
        for start in range(0, len(ordered), BATCH):
            chunk = ordered[start:start + BATCH]
            answer = client.get("metadata", params={
                plural: "true", f"{plural}:fields": OWNER_FIELDS,
                f"{plural}:filter": f"id:in:[{','.join(chunk)}]",
            })
            for obj in (answer or {}).get(plural, []) if isinstance(answer, dict) else []:
                if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                    found[plural][obj["id"]] = obj
    return found


def compare(package_obj: Mapping[str, Any], server_obj: Mapping[str, Any] | None,
            plural: str = "", release: str | None = None) -> list[FieldChange]:
    """What differs between the package's object and the server's, in what `release` (a
    DHIS2 version such as '2.41') stores; without a release, every property the package has."""
    if server_obj is None:
        return []
    ordered = ORDERED.get(plural, frozenset())
    ours = normalise(dict(package_obj), ordered=ordered, type_name=type_of(plural), release=release)
    theirs = normalise(dict(server_obj), dict(package_obj), ordered, type_of(plural), release)
    changes = []
    # DHIS2 reads an empty string as null (EmptyStringToNullStdDeserializer) and leaves nulls out
    # of its exports, so a package's "" and a server's absent value are the same.
    empty: tuple[Any, ...] = (None, "", [], {})
    for key in sorted(ours):
        if ours[key] != theirs.get(key) and not (ours[key] in empty and theirs.get(key) in empty):
            changes.append(FieldChange(property=key, server=_short(theirs.get(key)), package=_short(ours[key])))
    return changes


def diff_package(client: Dhis2Client, pkg: Mapping[str, Any],
                 installed_objects: Mapping[str, Mapping[str, str]] | None = None,
                 server: Mapping[str, Mapping[str, dict[str, Any]]] | None = None) -> PackageDiff:
    """Compare the package with the server; `installed_objects` (plural → uid → hash, from the
    installed record) adds objects an earlier version had and this one dropped."""
    objects = package_objects(pkg)
    if server is None:
        server = fetch_server_objects(client, {p: [o["id"] for o in objs] for p, objs in objects.items()})
    release = client.release.minor
    result = PackageDiff()
    for plural, items in objects.items():
        for obj in items:
            on_server = server.get(plural, {}).get(obj["id"])
            name = obj.get("name") or obj.get("code")
            if on_server is None:
                result.objects.append(ObjectDiff(type=plural, uid=obj["id"], name=name, status="create"))
                continue
            changes = compare(obj, on_server, plural, release)
            result.objects.append(ObjectDiff(type=plural, uid=obj["id"], name=name,
                                             status="update" if changes else "unchanged",
                                             changes=changes))
    current = {(p, o["id"]) for p, objs in objects.items() for o in objs}
    dropped: dict[str, list[str]] = {}
    for plural, hashes in (installed_objects or {}).items():
        for uid in hashes:
            if (plural, uid) not in current:
                dropped.setdefault(plural, []).append(uid)
    if dropped:
        still = fetch_server_objects(client, dropped)
        for plural, uids in dropped.items():
            for uid in sorted(uids):
                result.removed.append(RemovedObject(type=plural, uid=uid, on_server=uid in still.get(plural, {})))
    return result


def server_hashes(pkg: Mapping[str, Any], server: Mapping[str, Mapping[str, dict[str, Any]]],
                  release: str | None = None) -> dict[str, dict[str, str]]:
    """plural → uid → hash of the server's object, seen through the package's properties and
    what `release` stores."""
    out: dict[str, dict[str, str]] = {}
    for plural, items in package_objects(pkg).items():
        for obj in items:
            on_server = server.get(plural, {}).get(obj["id"])
            if on_server is not None:
                out.setdefault(plural, {})[obj["id"]] = content_hash(on_server, obj, plural, release)
    return out


def exists(client: Dhis2Client, plural: str, uid: str) -> bool:
    try:
        client.get(f"{plural}/{uid}", params={"fields": "id"})
    except NotFound:
        return False
    return True
