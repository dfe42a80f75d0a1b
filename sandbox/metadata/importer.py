"""The metadata import behind POST /api/metadata: parameters, bundle, validate, commit.

dhis2-core 2.42.5 (paths under `dhis-2/`):
- parameters: `dhis-services/dhis-service-dxf2/.../dxf2/metadata/DefaultMetadataImportService.java
  #getParamsFromMap` (unknown or wrong-case enum values fall back to the default); a strategy
  without a validation chain (`dxf2/config/ServiceConfig.java#validatorsByImportStrategy`)
  fails like DHIS2's NullPointerException;
- reading the payload: `render/DefaultRenderService.java#fromMetadata` (unknown and
  non-metadata top-level keys are skipped);
- outcome: `DefaultMetadataImportService#importMetadata` (atomicMode ALL with errors → status
  ERROR and `Stats#ignored()` folds created/updated/deleted into ignored; NONE commits the
  valid objects and answers WARNING);
- the stored form of an object: `normalise.py`; its sharing: `sharing_import.py`;
- commit: `objectbundle/DefaultObjectBundleService.java#handleCreates/#handleUpdates` (one
  object report per committed object), whose `preCreate`/`preUpdate` hooks stamp the object:
  `objectbundle/hooks/IdentifiableObjectBundleHook.java` (2.41.9 :63-80/:134-145/:188-197,
  2.42.5 :62-81/:135-147/:163-175, 2.43.1 :61-77/:131-141/:157-169): `setAutoFields` (created
  kept when given, lastUpdated now), lastUpdatedBy the importing user, on a create createdBy
  the importing user and an owner-less sharing its owner; on an update the stored createdBy
  kept, or, stored without one, the payload's (`_first_creator`). A stored `created` stays:
  its column is not updatable (`common/identifiableProperties.hbm` `update="false"`, 2.43.1
  `common/BaseMetadataObject.java` `updatable = false`);
- the report and its envelope: `report.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scdi.sandbox.core import auth, objects, users, webmessage
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import (
    attribute_values,
    binding,
    combo_fallback,
    deletion,
    legacy_credentials,
    nullability,
    registry,
    rule_variables,
    sharing_import,
    validation,
)
from scdi.sandbox.metadata.bundle import Context, Item, TypeResult
from scdi.sandbox.metadata.normalise import normalise, with_back_references
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import RELEASES

ENUMS = {
    "importMode": ("COMMIT", ["COMMIT", "VALIDATE"]),
    "identifier": ("UID", ["UID", "CODE"]),
    "importStrategy": ("CREATE_AND_UPDATE", ["CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE",
                                             "SYNC", "NEW_AND_UPDATES", "NEW", "UPDATES",
                                             "DELETES"]),
    "atomicMode": ("ALL", ["ALL", "NONE"]),
    "flushMode": ("AUTO", ["AUTO", "OBJECT"]),
    "importReportMode": ("ERRORS", ["ERRORS", "FULL", "DEBUG", "ERRORS_NOT_OWNER"]),
    "preheatMode": ("REFERENCE", ["REFERENCE", "ALL", "NONE"]),
}
# ImportStrategy#isCreateAndUpdate/#isCreate/#isUpdate/#isDelete: how the commit and the
# counting read the legacy names (only reached when a superuser skips validation).
_LEGACY_STRATEGY = {"NEW_AND_UPDATES": "CREATE_AND_UPDATE", "NEW": "CREATE",
                    "UPDATES": "UPDATE", "DELETES": "DELETE"}
# ServiceConfig#validatorsByImportStrategy has no chain for SYNC or a legacy name.
_CHAINED = frozenset({"CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE"})


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
    firstRowIsHeader: bool = True

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
            "metadataSyncImport": False, "async": self.async_,
            "firstRowIsHeader": self.firstRowIsHeader})
        return out


def parse_params(args: Any) -> Params:
    params = Params()
    for name, (default, allowed) in ENUMS.items():
        raw = args.get(name)
        setattr(params, name, raw if raw in allowed else default)  # Enums.getIfPresent
    for name in ("skipSharing", "skipTranslation", "skipValidation"):
        setattr(params, name, str(args.get(name, "false")).lower() == "true")
    params.async_ = str(args.get("async", "false")).lower() == "true"
    # #getBooleanWithDefault: the default only when the parameter is absent, so an empty
    # value is false
    values = args.getlist("firstRowIsHeader")
    params.firstRowIsHeader = not values or str(values[0]).lower() == "true"
    return params


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


def read_payload(payload: dict[str, Any], minor: str) -> list[tuple[TypeInfo, list[dict[str, Any]]]]:
    """Top-level keys that are metadata schemas, in DHIS2's import order."""
    found = []
    for key, value in payload.items():
        info = registry.by_plural(key, minor)
        if info is None or not info.metadata:
            continue  # DefaultRenderService#fromMetadata: "Skipping unknown property"
        # fromMetadata iterates the key's JsonNode: an array's items, an object's member
        # values, nothing of a scalar; a null item binds to null and is dropped.
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
        found.append((info, [v for v in items if isinstance(v, dict)]))
    found.sort(key=lambda pair: (pair[0].order, pair[0].singular))
    return found


def run_import(store: Store, user: User, minor: str, params: Params,
               payload: dict[str, Any]) -> Outcome:
    with store.lock, store.transaction():
        return _run(store, user, minor, params, payload)


def _run(store: Store, user: User, minor: str, params: Params,
         payload: dict[str, Any]) -> Outcome:
    groups = [(info, [binding.bind(info, obj, minor) for obj in objs])
              for info, objs in read_payload(payload, minor)]
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
            given_id = obj.get("id")
            uid = (existing or {}).get("id") or given_id or objects.generate_uid()
            obj = sharing_import.before_bundle(info, {**obj, "id": uid}, user, minor)
            items.append(Item(info, index, obj, uid, existing, given_uid=bool(given_id)))
        items_by_type.append((info, items))
        all_items += items
    ctx = Context(store, user, minor, params.identifier, all_items, params.strategy)
    if ctx.release.metadata_attribute_values_by_uid:
        failed, message = attribute_values.preheat_read_failure(
            all_items, ctx.release.attribute_values_empty_types)
        if failed:
            raise webmessage.UncaughtException(message)
    # DefaultObjectBundleValidationService#validate: a superuser's skipValidation returns before
    # any chain is looked up; otherwise each type with objects asks for one.
    skipped = params.skipValidation and user.superuser
    if params.importStrategy not in _CHAINED and all_items:
        if not skipped:
            raise webmessage.UncaughtException(ctx.release.metadata_import_no_chain_message)
        if params.importStrategy == "SYNC":  # commitObjectType has no branch for it
            return Outcome("OK", [], params)
    results = [validation.run(ctx, info, items, params.strategy, params.atomicMode == "ALL",
                      params.skipSharing, skipped, params.importReportMode)
               for info, items in items_by_type]
    has_errors = any(r.reports and any(rep["errorReports"] for rep in r.reports.values())
                     for r in results)
    status = "OK"
    if not has_errors or params.atomicMode == "NONE":
        if params.importMode == "COMMIT":
            _commit(store, user, minor, params, ctx, items_by_type, results)
            has_errors = has_errors or any(  # errors of the commit (deletion vetoes)
                rep["errorReports"] for r in results for rep in r.reports.values())
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
    # Only a superuser's skipValidation brings a null into a not-null column: otherwise the
    # schema check (E4000) refused the object before the commit.
    checked = params.skipValidation and user.superuser
    for (info, items), result in zip(items_by_type, results, strict=True):
        # the first not-null violation of the type's creates, else of its updates: the flush
        # after each stage throws it and the whole import rolls back (nullability.py)
        failures: dict[bool, str] = {}
        for item in items:
            if item.removed:
                continue
            if params.strategy == "DELETE":
                if item.existing is not None:
                    report = result.reports.setdefault(item.index, _committed(info, item))
                    refused = deletion.veto(store, info.plural, item.uid, minor)
                    if refused:  # DefaultObjectBundleService#deleteObject
                        report["errorReports"] = [*report["errorReports"], {
                            "message": refused, "mainKlass": info.klass,
                            "errorProperties": [], "errorCode": "E4030", "args": []}]
                        result.deleted -= 1
                        result.ignored += 1
                    else:
                        if info.plural == "categoryCombos":  # the handlers run first
                            combo_fallback.combo_deleted(store, item.uid, user, when, minor)
                        store.delete_object(info.plural, item.uid)
                        if info.plural == "users":  # ApiTokenDeletionHandler#deleteUser
                            auth.delete_owned_tokens(store, item.uid)
                continue
            if params.strategy == "CREATE" and item.existing is not None:
                continue
            if params.strategy == "UPDATE" and item.existing is None:
                continue
            doc = _store_one(store, user, minor, params, ctx, info, item, when)
            failure = nullability.violation(info, doc, minor) if checked else None
            if failure:
                failures.setdefault(item.existing is None, failure)
            result.reports.setdefault(item.index, _committed(info, item))
            if info.plural == "organisationUnits":
                touched_units.append(item.uid)
        if failures:
            raise webmessage.fail(webmessage.conflict_message(
                failures.get(True) or failures[False]))
    if touched_units:
        recompute_paths(store, touched_units)


def _committed(info: TypeInfo, item: Item) -> dict[str, Any]:
    return {"klass": info.klass, "index": item.index, "uid": item.uid,
            "displayName": item.obj.get("displayName") or item.obj.get("name"),
            "errorReports": []}


def _store_one(store: Store, user: User, minor: str, params: Params, ctx: Context,
               info: TypeInfo, item: Item, when: str) -> dict[str, Any]:
    previous = item.existing
    obj = item.obj
    if info.plural == "users" and RELEASES[minor].user_credentials_input:
        obj = legacy_credentials.merged(obj)  # 2.41's userCredentials onto the user
    doc = normalise(info, obj, minor, ctx.resolve, user, when)
    doc["id"] = item.uid
    doc = with_back_references(info.singular, doc)
    if info.plural == "programRuleVariables":
        doc = rule_variables.pre_save(doc, ctx.resolve)
    password = doc.pop("password", None)
    credentials = doc.get("userCredentials") if isinstance(doc.get("userCredentials"),
                                                              dict) else None
    if credentials:
        password = password or credentials.pop("password", None)
    shareable = sharing_import.shareable(info, minor)
    if previous is None:
        created = item.obj.get("created") if isinstance(item.obj.get("created"), str) else None
        objects.stamp_create(doc, user, when, shareable=False)
        if shareable:
            sharing_import.on_create(doc, user, params.skipSharing)
        if created:
            doc["created"] = created  # setAutoFields keeps a given created date
    else:
        objects.stamp_update(doc, previous, user, when)
        if not previous.get("createdBy"):
            creator = _first_creator(store, item.obj, user)
            if creator:
                doc["createdBy"] = creator
        if shareable:
            sharing_import.on_update(doc, previous, user, params.skipSharing)
    store.put_object(info.plural, doc)
    if info.plural == "users":
        username = doc.get("username") or (credentials or {}).get("username")
        if username and password:
            users.set_password(store, item.uid, username, password)
    return doc


def _first_creator(store: Store, obj: dict[str, Any], user: User) -> dict[str, Any] | None:
    """`IdentifiableObjectBundleHook#handleCreatedByProperty` for a stored object without
    createdBy: the payload's createdBy, the preheat's user of that uid
    (`DefaultMetadataImportService#postCreateBundleObject`; one the preheat lacks is unset by
    `DefaultPreheatService#connectReferences`), or, when the payload names none, the importing
    user."""
    given = obj.get("createdBy")
    if not isinstance(given, dict):
        return objects.user_ref(user)
    uid = given.get("id")
    return objects.user_ref(users.load(store, uid) if isinstance(uid, str) else None)


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
