"""POST /api/metadata: bundle, validate, commit, report.

dhis2-core 2.42.5 (paths under `dhis-2/`):
- parameters: `dhis-services/dhis-service-dxf2/.../dxf2/metadata/DefaultMetadataImportService.java
  #getParamsFromMap` (unknown or wrong-case enum values fall back to the default);
- reading the payload: `render/DefaultRenderService.java#fromMetadata` (unknown and
  non-metadata top-level keys are skipped);
- outcome: `DefaultMetadataImportService#importMetadata` (atomicMode ALL with errors → status
  ERROR and `Stats#ignored()` folds created/updated/deleted into ignored; NONE commits the
  valid objects and answers WARNING; VALIDATE returns before `ImportReport#clean`;
  COMMIT drops type reports with total 0; ERRORS mode keeps only object reports with errors;
  displayName only in DEBUG);
- commit: `objectbundle/DefaultObjectBundleService.java` (`setAutoFields`: created kept when
  given, lastUpdated now; one object report per committed object);
- envelope: `webapi/utils/WebMessageUtils.java#importReport` (status != OK → 409, WARNING,
  "One or more errors occurred, please see full details in import report.").
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from scdi.sandbox.core import objects, users, webmessage
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import registry, validation
from scdi.sandbox.metadata.bundle import Context, Item, TypeResult
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_COMBO
from scdi.sandbox.metadata.registry import TypeInfo

ENUMS = {
    "importMode": ("COMMIT", ["COMMIT", "VALIDATE"]),
    "identifier": ("UID", ["UID", "CODE"]),
    "importStrategy": ("CREATE_AND_UPDATE", ["CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE",
                                             "NEW_AND_UPDATES", "NEW", "UPDATES", "DELETES"]),
    "atomicMode": ("ALL", ["ALL", "NONE"]),
    "flushMode": ("AUTO", ["AUTO", "OBJECT"]),
    "importReportMode": ("ERRORS", ["ERRORS", "FULL", "DEBUG", "ERRORS_NOT_OWNER"]),
    "preheatMode": ("REFERENCE", ["REFERENCE", "ALL", "NONE"]),
}
_LEGACY_STRATEGY = {"NEW_AND_UPDATES": "CREATE_AND_UPDATE", "NEW": "CREATE",
                    "UPDATES": "UPDATE", "DELETES": "DELETE"}
ERROR_MESSAGE = "One or more errors occurred, please see full details in import report."


@dataclass
class Params:
    importMode: str = "COMMIT"
    identifier: str = "UID"
    importStrategy: str = "CREATE_AND_UPDATE"
    atomicMode: str = "ALL"
    flushMode: str = "AUTO"
    importReportMode: str = "ERRORS"
    preheatMode: str = "REFERENCE"
    skipSharing: bool = False
    skipTranslation: bool = False
    skipValidation: bool = False
    async_: bool = False

    @property
    def strategy(self) -> str:
        return _LEGACY_STRATEGY.get(self.importStrategy, self.importStrategy)

    def job_parameters(self, with_user_override: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"userOverrideMode": "NONE"} if with_user_override else {}
        out.update({
            "importMode": self.importMode, "identifier": self.identifier,
            "preheatMode": self.preheatMode, "importStrategy": self.importStrategy,
            "atomicMode": self.atomicMode, "flushMode": self.flushMode,
            "importReportMode": self.importReportMode, "skipSharing": self.skipSharing,
            "skipTranslation": self.skipTranslation, "skipValidation": self.skipValidation,
            "metadataSyncImport": False, "async": self.async_, "firstRowIsHeader": True})
        return out


def parse_params(args: Any) -> Params:
    params = Params()
    for name, (default, allowed) in ENUMS.items():
        raw = args.get(name)
        setattr(params, name, raw if raw in allowed else default)  # Enums.getIfPresent
    for name in ("skipSharing", "skipTranslation", "skipValidation"):
        setattr(params, name, str(args.get(name, "false")).lower() == "true")
    params.async_ = str(args.get("async", "false")).lower() == "true"
    return params


# -- normalising what the server stores -------------------------------------------------------
_DROP_ALWAYS = objects.SERVER_FIELDS - {"created"}


def _initial(prop: dict[str, Any]) -> Any:
    """Java field initializer / primitive default for a missing property, or None."""
    init = prop.get("javaFieldInitializer")
    if isinstance(init, str):
        if init in ("true", "false"):
            return init == "true"
        if init.lstrip("-").isdigit():
            return int(init)
        if init.startswith("new ") and prop.get("collection"):
            return []
        if "." in init and init.split(".")[-1].isupper():
            return init.split(".")[-1]
    if prop.get("javaPrimitive"):
        kind = prop.get("propertyType")
        return {"BOOLEAN": False, "INTEGER": 0, "NUMBER": 0.0}.get(str(kind))
    return None


def normalise(info: TypeInfo, obj: dict[str, Any], minor: str, resolve: Any,
              previous: dict[str, Any] | None, user: User | None, when: str) -> dict[str, Any]:
    """The stored form: server fields dropped, references reduced to {id}, embedded objects
    normalised with their own facts, defaults filled as the Java object would hold them."""
    props = registry.properties(info.singular, minor)
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key in _DROP_ALWAYS:
            continue
        prop = props.get(key)
        if prop is not None and (not prop.get("persisted") or not prop.get("owner")) and \
                key not in ("id", "code", "sharing", "translations", "attributeValues"):
            continue  # DHIS2 deserialises but never stores these
        if prop is not None:
            before = (previous or {}).get(key)
            value = _normalise_value(prop, value, minor, resolve, before, user, when)
        out[key] = value
    for key, prop in props.items():
        if key in out or not prop.get("persisted") or not prop.get("owner"):
            continue
        if prop.get("klass") == "org.hisp.dhis.category.CategoryCombo" and prop.get("required"):
            out[key] = {"id": DEFAULT_CATEGORY_COMBO}
            continue
        default = _initial(prop)
        if default is not None:
            out[key] = default
    return out


def _normalise_value(prop: dict[str, Any], value: Any, minor: str, resolve: Any,
                     previous: Any, user: User | None, when: str) -> Any:
    target = registry.reference_target(prop)
    if target is None:
        return copy.deepcopy(value)
    if registry.is_embedded_klass(target):
        sub = registry.by_klass(target)
        if sub is None:
            return copy.deepcopy(value)
        before_list = previous if isinstance(previous, list) else [previous]
        old = {e.get("id"): e for e in before_list if isinstance(e, dict)}

        def one(item: Any) -> Any:
            if not isinstance(item, dict):
                return item
            norm = normalise(sub, item, minor, resolve, None, user, when)
            if registry.properties(sub.singular, minor).get("id") is not None:
                # an embedded object sent without id is the stored one with the same
                # references (e.g. the same dataElement in a programStage)
                norm["id"] = item.get("id") or _same_refs(norm, old) or objects.generate_uid()
                before = old.get(norm["id"])
                norm["created"] = (before or {}).get("created") or item.get("created") or when
                norm["lastUpdated"] = when
            return norm
        return [one(v) for v in value] if isinstance(value, list) else one(value)
    info = registry.by_klass(target)

    def ref(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        found = resolve(info.plural, item) if info else None
        uid = (found or {}).get("id") or item.get("id")
        return {"id": uid} if uid else dict(item)
    return [ref(v) for v in value] if isinstance(value, list) else ref(value)


def _same_refs(norm: dict[str, Any], old: dict[Any, dict[str, Any]]) -> str | None:
    refs = {k: v["id"] for k, v in norm.items() if isinstance(v, dict) and "id" in v}
    if not refs:
        return None
    for uid, before in old.items():
        if uid and all(isinstance(before.get(k), dict) and before[k].get("id") == v
                       for k, v in refs.items()):
            return str(uid)
    return None


# -- the import ---------------------------------------------------------------------------
@dataclass
class Outcome:
    status: str
    results: list[TypeResult]
    params: Params

    def stats(self) -> dict[str, int]:
        totals = {"created": 0, "updated": 0, "deleted": 0, "ignored": 0}
        for r in self.results:
            for key in totals:
                totals[key] += getattr(r, key)
        return {**totals, "total": sum(totals.values())}


def check_enums(info: TypeInfo, obj: dict[str, Any], minor: str) -> None:
    for name, prop in registry.properties(info.singular, minor).items():
        constants = prop.get("constants")
        value = obj.get(name)
        if not constants or value is None or prop.get("collection"):
            continue
        if not isinstance(value, str) or value not in constants:
            raise webmessage.UnreadablePayload(
                f"Cannot deserialize value of type `{prop.get('klass')}` from String "
                f'"{value}": not one of the values accepted for Enum class: '
                f"[{', '.join(constants)}]")


def read_payload(payload: dict[str, Any]) -> list[tuple[TypeInfo, list[dict[str, Any]]]]:
    """Top-level keys that are metadata schemas, in DHIS2's import order."""
    found = []
    for key, value in payload.items():
        info = registry.by_plural(key)
        if info is None or not info.metadata or not isinstance(value, list):
            continue  # DefaultRenderService#fromMetadata: "Skipping unknown property"
        found.append((info, [v for v in value if isinstance(v, dict)]))
    found.sort(key=lambda pair: (pair[0].order, pair[0].singular))
    return found


def run_import(store: Store, user: User, minor: str, params: Params,
               payload: dict[str, Any]) -> Outcome:
    with store.lock, store.transaction():
        return _run(store, user, minor, params, payload)


def _run(store: Store, user: User, minor: str, params: Params,
         payload: dict[str, Any]) -> Outcome:
    groups = read_payload(payload)
    for info, objs in groups:
        for obj in objs:
            check_enums(info, obj, minor)
    items_by_type: list[tuple[TypeInfo, list[Item]]] = []
    all_items: list[Item] = []
    for info, objs in groups:
        items = []
        for index, obj in enumerate(objs):
            existing = None
            if params.identifier == "CODE" and obj.get("code"):
                existing = store.find_by_code(info.plural, obj["code"])
            elif obj.get("id"):
                existing = store.get_object(info.plural, obj["id"])
            uid = (existing or {}).get("id") or obj.get("id") or objects.generate_uid()
            obj = {**obj, "id": uid}
            items.append(Item(info, index, obj, uid, existing))
        items_by_type.append((info, items))
        all_items += items
    ctx = Context(store, user, minor, params.identifier, all_items)
    results = [validation.run(ctx, info, items, params.strategy, params.atomicMode == "ALL",
                      params.skipSharing, params.skipValidation)
               for info, items in items_by_type]
    has_errors = any(r.reports and any(rep["errorReports"] for rep in r.reports.values())
                     for r in results)
    status = "OK"
    if not has_errors or params.atomicMode == "NONE":
        if params.importMode == "COMMIT":
            _commit(store, user, minor, params, ctx, items_by_type, results)
        if has_errors:
            status = "WARNING"
    else:
        for r in results:  # Stats#ignored
            r.ignored += r.created + r.updated + r.deleted
            r.created = r.updated = r.deleted = 0
        status = "ERROR"
    return Outcome(status, results, params)


def _commit(store: Store, user: User, minor: str, params: Params, ctx: Context,
            items_by_type: list[tuple[TypeInfo, list[Item]]],
            results: list[TypeResult]) -> None:
    when = objects.now()
    touched_units: list[str] = []
    for (info, items), result in zip(items_by_type, results, strict=True):
        for item in items:
            if item.removed:
                continue
            if params.strategy == "DELETE":
                if item.existing is not None:
                    store.delete_object(info.plural, item.uid)
                    result.reports.setdefault(item.index, _committed(info, item))
                continue
            if params.strategy == "CREATE" and item.existing is not None:
                continue
            if params.strategy == "UPDATE" and item.existing is None:
                continue
            _store_one(store, user, minor, params, ctx, info, item, when)
            result.reports.setdefault(item.index, _committed(info, item))
            if info.plural == "organisationUnits":
                touched_units.append(item.uid)
    if touched_units:
        recompute_paths(store, touched_units)


def _committed(info: TypeInfo, item: Item) -> dict[str, Any]:
    return {"klass": info.klass, "index": item.index, "uid": item.uid,
            "displayName": item.obj.get("displayName") or item.obj.get("name"),
            "errorReports": []}


def _store_one(store: Store, user: User, minor: str, params: Params, ctx: Context,
               info: TypeInfo, item: Item, when: str) -> None:
    previous = item.existing
    doc = normalise(info, item.obj, minor, ctx.resolve, previous, user, when)
    doc["id"] = item.uid
    password = doc.pop("password", None)
    credentials = doc.get("userCredentials") if isinstance(doc.get("userCredentials"),
                                                              dict) else None
    if credentials:
        password = password or credentials.pop("password", None)
    shareable = ("sharing" in registry.properties(info.singular, minor) and \
        registry.properties(info.singular, minor)["sharing"].get("persisted")) or \
        (not info.has_facts and info.shareable)
    if previous is None:
        created = item.obj.get("created") if isinstance(item.obj.get("created"), str) else None
        objects.stamp_create(doc, user, when, shareable=bool(shareable))
        if created:
            doc["created"] = created  # setAutoFields keeps a given created date
    else:
        objects.stamp_update(doc, previous, user, when)
        before = previous.get("sharing") if isinstance(previous.get("sharing"), dict) else {}
        if shareable and (params.skipSharing or not isinstance(doc.get("sharing"), dict)):
            doc["sharing"] = before or objects.default_sharing(user.uid)
        elif shareable:
            owner = doc["sharing"].get("owner") or before.get("owner") or user.uid
            doc["sharing"] = {**objects.default_sharing(owner), **doc["sharing"],
                              "owner": owner}
    store.put_object(info.plural, doc)
    if info.plural == "users":
        username = doc.get("username") or (credentials or {}).get("username")
        if username and password:
            users.set_password(store, item.uid, username, password)


def recompute_paths(store: Store, uids: list[str]) -> None:
    """OrganisationUnit#getPath / hierarchyLevel follow the parent chain."""
    for uid in uids:
        unit = store.get_object("organisationUnits", uid)
        if unit is None:
            continue
        chain, seen, current = [uid], {uid}, unit
        while isinstance(current.get("parent"), dict) and current["parent"].get("id"):
            parent_id = current["parent"]["id"]
            parent = store.get_object("organisationUnits", parent_id)
            if parent is None or parent_id in seen:
                break
            chain.append(parent_id)
            seen.add(parent_id)
            current = parent
        unit["path"] = "/" + "/".join(reversed(chain))
        unit["level"] = len(chain)
        store.put_object("organisationUnits", unit)


# -- rendering ----------------------------------------------------------------------------
def type_reports(outcome: Outcome, keep_empty_types: bool, clean_objects: bool,
                 keep_display_name: bool, plain: bool = False) -> list[dict[str, Any]]:
    out = []
    for r in outcome.results:
        if not keep_empty_types and r.total == 0:
            continue
        reports = []
        if not plain:
            for index in sorted(r.reports):
                rep = dict(r.reports[index])
                if clean_objects and not rep["errorReports"]:
                    continue
                if not keep_display_name or rep.get("displayName") is None:
                    rep.pop("displayName", None)
                reports.append(rep)
        out.append({"klass": r.info.klass,
                    "stats": {"created": r.created, "updated": r.updated,
                              "deleted": r.deleted, "ignored": r.ignored, "total": r.total},
                    "objectReports": reports})
    return out


def report_body(outcome: Outcome, response_type: str) -> dict[str, Any]:
    """ImportReportWebMessageResponse: responseType, status, stats, typeReports."""
    validate = outcome.params.importMode == "VALIDATE"
    mode = outcome.params.importReportMode
    reports = type_reports(outcome, keep_empty_types=validate,
                           clean_objects=not validate and mode == "ERRORS",
                           keep_display_name=validate or mode == "DEBUG")
    return {"responseType": response_type, "status": outcome.status,
            "stats": outcome.stats(), "typeReports": reports}


def task_summary(outcome: Outcome, user: User) -> dict[str, Any]:
    """The plain ImportReport of GET /api/system/taskSummaries/METADATA_IMPORT/{id}."""
    params = outcome.params.job_parameters(True)
    params.pop("userOverrideMode", None)
    return {"importParams": {"user": user.uid, **params}, "status": outcome.status,
            "typeReports": type_reports(outcome, False, True, False, plain=True),
            "stats": outcome.stats()}
