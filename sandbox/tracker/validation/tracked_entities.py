"""Validators for tracked entities, in dhis2-core's order.

`validator/trackedentity/TrackedEntityValidator.java`: seq(Existence, MandatoryFields, Meta,
UpdatableFields, SecurityOwnership, Attribute). 2.41 runs a `UidValidator` first (E1048). Each
function below cites the class it copies; only Existence and SecurityOwnership run on DELETE
(`Validator#needsToRun`).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.access.acl import can_data_write
from scdi.sandbox.access.scope import can_capture
from scdi.sandbox.core.spring_params import java_blank
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.validation import access_manager
from scdi.sandbox.tracker.validation.frame import (
    NOT_DELETE,
    TRACKED_ENTITY,
    Bundle,
    Check,
    JavaObject,
    Meta,
    Obj,
    StoredTrackedEntity,
    check_existence,
    check_uid,
    run_seq,
    stored_attribute,
)
from scdi.sandbox.tracker.validation.values import UniqueValues, attribute_values, payload_and_stored_attributes

TE = TRACKED_ENTITY


def validate_tracked_entity(b: Bundle, te: dict[str, Any], uniques: UniqueValues) -> None:
    uid = te["trackedEntity"]
    strategy = b.strategy(TE, uid)
    r, p = b.reporter, b.preheat
    stored = b.store_get("trackedEntity", uid)

    def existence() -> None:  # trackedentity/ExistenceValidator
        check_existence(r, TE, uid, stored, strategy, "E1114", "E1002", "E1063")

    def mandatory() -> None:  # trackedentity/MandatoryFieldsValidator
        # MetadataIdentifier#isBlank: a reference of only whitespace is missing too
        if java_blank(te.get("trackedEntityType")):
            r.error(TE, uid, "E1121", "trackedEntityType")
        if java_blank(te.get("orgUnit")):
            r.error(TE, uid, "E1121", "orgUnit")

    def meta() -> None:  # trackedentity/MetaValidator
        if p.org_unit(te["orgUnit"]) is None:
            r.error(TE, uid, "E1049", Meta(te["orgUnit"], p.scheme("orgUnitIdScheme")))
        if p.tracked_entity_type(te["trackedEntityType"]) is None:
            r.error(TE, uid, "E1005", Meta(te["trackedEntityType"], p.scheme("idScheme")))

    def updatable() -> None:  # trackedentity/UpdatableFieldsValidator
        tet = p.tracked_entity_type(te["trackedEntityType"])
        if stored and (tet or {}).get("id") != stored["tet"]:
            r.error(TE, uid, "E1126", "trackedEntityType")

    def security() -> None:  # trackedentity/SecurityOwnershipValidator
        if strategy in ("UPDATE", "DELETE") and stored:
            tet = p.by_uid("trackedEntityTypes", stored["tet"])
            org_unit = p.by_uid("organisationUnits", stored["org_unit"])
        else:
            tet = p.tracked_entity_type(te["trackedEntityType"])
            org_unit = p.org_unit(te["orgUnit"])
        if b.security_split:
            access_codes(tet, org_unit)
        else:
            if strategy == "CREATE" and not can_data_write(b.user, tet):
                r.error(TE, uid, "E1001", b.user_ref(), Obj("trackedEntityTypes", tet or {}))
            if strategy in ("CREATE", "DELETE") and not can_capture(p, b.user, org_unit):
                r.error(TE, uid, "E1000", b.user_ref(), Obj("organisationUnits", org_unit or {}))
            if strategy != "CREATE" and stored and \
                    not access_manager.can_write_tracked_entity(b, stored):
                # SecurityOwnershipValidator passes the uid itself (2.41.9 :109
                # `bundle.getUser().getUid()`, 2.42.5 :99 `user.getUid()`)
                r.error(TE, uid, "E1003", b.user.uid, uid)
        if strategy == "DELETE" and stored and tracker_store.enrollments_of(b.store, uid) \
                and not b.user.has("F_TEI_CASCADE_DELETE"):
            r.error(TE, uid, "E1100", b.user_ref(), StoredTrackedEntity(uid, stored, org_unit, tet))

    def access_codes(tet: dict[str, Any] | None, org_unit: dict[str, Any] | None) -> None:
        # 2.43.1: each ErrorMessage is reported with the user's uid and its list of args
        # (`List#toString`: stored metadata as BaseIdentifiableObject#toString).
        def report(code: str, *args: str) -> None:
            r.error(TE, uid, code, b.user.uid, JavaObject("[" + ", ".join(args) + "]"))

        capture = b.user.superuser or can_capture(p, b.user, org_unit)
        if strategy == "CREATE" and not b.user.superuser:
            if not capture:
                report("E1000", Obj("organisationUnits", org_unit or {}).arg())
            if not can_data_write(b.user, tet):
                report("E1001", str((tet or {}).get("id")))
        elif stored and strategy == "UPDATE":
            for code, args in access_manager.tracked_entity_update_codes(b, stored):
                report(code, *args)
            moved_to = p.org_unit(te["orgUnit"])
            if moved_to is not None and moved_to.get("id") != stored["org_unit"] and \
                    not can_capture(p, b.user, moved_to):
                r.error(TE, uid, "E1000", b.user_ref(), Obj("organisationUnits", moved_to))
        elif stored and strategy == "DELETE" and not b.user.superuser:
            if not capture:
                report("E1000", Obj("organisationUnits", org_unit or {}).arg())
            for code, args in access_manager.tracked_entity_update_codes(b, stored):
                report(code, *args)

    def attributes() -> None:  # trackedentity/AttributeValidator
        tet = p.tracked_entity_type(te["trackedEntityType"]) or {}
        present = payload_and_stored_attributes(b, uid)
        mandatory_attrs = {a for a, m in p.tet_attributes(tet) if m}
        for attr_uid in sorted(mandatory_attrs):
            if attr_uid not in present:
                r.error(TE, uid, "E1090", stored_attribute(p, attr_uid), tet.get("id"), uid)
        org_unit = p.org_unit(te["orgUnit"])
        for a in te.get("attributes") or []:
            attr = p.attribute(a["attribute"])
            if attr is None:
                r.error(TE, uid, "E1006", Meta(a["attribute"]))
                continue
            if a["value"] is None:
                if attr["id"] in mandatory_attrs:
                    r.error(TE, uid, "E1076", "TrackedEntityAttribute", Meta(a["attribute"]))
                continue
            attribute_values(b, TE, uid, attr, a["value"], uniques,
                             uid if stored else None, org_unit["id"] if org_unit else None)

    run_seq(r, strategy, [
        Check(lambda: check_uid(b, TE, te), NOT_DELETE),
        Check(existence),
        Check(mandatory, NOT_DELETE),
        Check(meta, NOT_DELETE),
        Check(updatable, ("UPDATE",)),
        Check(security),
        Check(attributes, NOT_DELETE),
    ])
