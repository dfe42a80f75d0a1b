"""Validators for enrollments, in dhis2-core's order.

`validator/enrollment/EnrollmentValidator.java`: seq(Existence, MandatoryFields, Meta,
UpdatableFields, DataRelations, SecurityOwnership, all(Note, ExistingEnrollment, Geo, Date,
Attribute)). 2.41 runs a `UidValidator` first (E1048); 2.43.1 a CategoryOptionCombo step
after DataRelations (`Bundle.enrollment_option_combo`). Each function below cites the class
it copies; only Existence and SecurityOwnership run on DELETE (`Validator#needsToRun`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scdi.sandbox.access.acl import can_data_read, can_data_write
from scdi.sandbox.access.scope import can_capture, owner_access
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.core.spring_params import java_blank
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.preheat import ref_id
from scdi.sandbox.tracker.temp_owners import has_temporary
from scdi.sandbox.tracker.validation import access_manager
from scdi.sandbox.tracker.validation.frame import (
    ENROLLMENT,
    NOT_DELETE,
    TRACKED_ENTITY,
    Bundle,
    Check,
    DtoRef,
    EnumArg,
    InstantArg,
    Meta,
    Obj,
    StoredTrackedEntity,
    attribute_arg,
    check_existence,
    check_uid,
    geometry,
    run_seq,
    stored_attribute,
)
from scdi.sandbox.tracker.validation.values import UniqueValues, attribute_values, payload_and_stored_attributes

TE = TRACKED_ENTITY


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def validate_enrollment(b: Bundle, en: dict[str, Any], uniques: UniqueValues) -> None:
    uid = en["enrollment"]
    strategy = b.strategy(ENROLLMENT, uid)
    r, p = b.reporter, b.preheat
    stored = b.store_get("enrollment", uid)

    def existence() -> None:  # enrollment/ExistenceValidator
        check_existence(r, ENROLLMENT, uid, stored, strategy, "E1113", "E1080", "E1081")

    def mandatory() -> None:  # enrollment/MandatoryFieldsValidator
        # MetadataIdentifier#isBlank; the tracked entity is a String only tested for empty
        # (2.41.9 `StringUtils#isEmpty`), a UID from 2.42.5 (`== null`)
        if java_blank(en.get("orgUnit")):
            r.error(ENROLLMENT, uid, "E1122", "orgUnit")
        if java_blank(en.get("program")):
            r.error(ENROLLMENT, uid, "E1122", "program")
        if not en.get("trackedEntity"):
            r.error(ENROLLMENT, uid, "E1122", "trackedEntity")

    def meta() -> None:  # enrollment/MetaValidator
        if p.org_unit(en["orgUnit"]) is None:
            r.error(ENROLLMENT, uid, "E1070", Meta(en["orgUnit"], p.scheme("orgUnitIdScheme")))
        if p.program(en["program"]) is None:
            r.error(ENROLLMENT, uid, "E1069", Meta(en["program"], p.scheme("programIdScheme")))
        te_uid = en["trackedEntity"]
        if b.store_get("trackedEntity", te_uid) is None and b.find(TE, te_uid) is None:
            r.error(ENROLLMENT, uid, "E1068", te_uid)

    def updatable() -> None:  # enrollment/UpdatableFieldsValidator
        program = p.program(en["program"]) or {}
        if stored and program.get("id") != stored["program"]:
            r.error(ENROLLMENT, uid, "E1127", "program")
        if stored and en["trackedEntity"] != stored["te"]:
            r.error(ENROLLMENT, uid, "E1127", "trackedEntity")

    def relations() -> None:  # enrollment/DataRelationsValidator
        program = p.program(en["program"]) or {}
        org_unit = p.org_unit(en["orgUnit"]) or {}
        if not is_registration(program):
            r.error(ENROLLMENT, uid, "E1014", Obj("programs", program))
        if not p.program_has_org_unit(program, org_unit.get("id", "")):
            r.error(ENROLLMENT, uid, "E1041", Obj("organisationUnits", org_unit),
                    Obj("programs", program))
        tet_uid = ref_id(program.get("trackedEntityType"))
        if tet_uid:
            stored_te = b.store_get("trackedEntity", en["trackedEntity"])
            payload_te = b.find(TE, en["trackedEntity"])
            if stored_te is not None:
                same = stored_te["tet"] == tet_uid
            else:
                tet = p.tracked_entity_type((payload_te or {}).get("trackedEntityType"))
                same = bool(tet) and tet["id"] == tet_uid
            if not same:
                r.error(ENROLLMENT, uid, "E1022", en["trackedEntity"], Obj("programs", program))

    def combo() -> None:
        """2.43.1 `validator/enrollment/CategoryOptionComboValidator` against the program's
        `enrollmentCategoryCombo` (none stored is the default one): the combo's existence and
        the default combo rule are both checked before the chain stops."""
        program = p.program(en["program"]) or {}
        # #hasNoAttributeOptionComboSet is MetadataIdentifier#isBlank: only whitespace is none
        aoc_ident = None if java_blank(en.get("attributeOptionCombo")) else en["attributeOptionCombo"]
        aoc = p.category_option_combo(aoc_ident) if aoc_ident else None
        ident = Meta(aoc_ident or "", p.scheme("categoryOptionComboIdScheme"))
        default_cc = p.category_combo_is_default(program, "enrollmentCategoryCombo")
        valid = True
        if aoc_ident and aoc is None:
            r.error(ENROLLMENT, uid, "E1115", ident)
            valid = False
        if not default_cc and (not aoc_ident or (aoc is not None and p.option_combo_is_default(aoc))):
            r.error(ENROLLMENT, uid, "E1055")
            valid = False
        if not valid:
            return
        cc_uid = ref_id(program.get("enrollmentCategoryCombo"))
        cc = p.by_uid("categoryCombos", cc_uid) if cc_uid else p.default_category_combo()
        if not aoc_ident:  # #resolveAttributeOptionCombo
            aoc = p.default_option_combo()
        if aoc is None:  # #validateAttributeOptionComboFound
            r.error(ENROLLMENT, uid, "E1129", ident if aoc_ident else Obj("categoryCombos", cc or {}))
            return
        same = (default_cc and p.option_combo_is_default(aoc)) \
            or ref_id(aoc.get("categoryCombo")) == (cc or {}).get("id")
        if aoc_ident and not same:  # #validateAttributeOptionComboIsInProgramCategoryCombo
            r.error(ENROLLMENT, uid, "E1130", ident, (cc or {}).get("id"))

    def security() -> None:  # enrollment/SecurityOwnershipValidator
        if strategy in ("UPDATE", "DELETE") and stored:
            program = p.by_uid("programs", stored["program"]) or {}
            te_uid = stored["te"]
        else:
            program = p.program(en["program"]) or {}
            te_uid = en["trackedEntity"]
        stored_te = b.store_get("trackedEntity", te_uid)
        payload_te = b.find(TE, te_uid)
        te_org_unit = (p.by_uid("organisationUnits", stored_te["org_unit"]) if stored_te
                       else p.org_unit((payload_te or {}).get("orgUnit")))
        owner_uid = tracker_store.owner_of(b.store, te_uid, program.get("id", "")) if te_uid else None
        owner = p.by_uid("organisationUnits", owner_uid) if owner_uid else te_org_unit
        if strategy == "DELETE" and stored:
            en_org_unit = p.by_uid("organisationUnits", stored["org_unit"])
        else:
            en_org_unit = p.org_unit(en["orgUnit"])
        moved = strategy == "UPDATE" and stored and (en_org_unit or {}).get("id") != stored["org_unit"]
        if (strategy in ("CREATE", "DELETE") or moved) and not can_capture(p, b.user, en_org_unit):
            r.error(ENROLLMENT, uid, "E1000", b.user_ref(), Obj("organisationUnits", en_org_unit or {}))
        # EnrollmentsWithAtLeastOneEventSupplier filters deleted enrollments, not deleted events.
        if strategy == "DELETE" and tracker_store.events_of(b.store, uid, include_deleted=True) \
                and not b.user.has("F_ENROLLMENT_CASCADE_DELETE"):
            r.error(ENROLLMENT, uid, "E1103", b.user_ref(), uid)
        if not can_data_write(b.user, program):
            r.error(ENROLLMENT, uid, "E1091", b.user_ref(), Obj("programs", program))
        tet = p.by_uid("trackedEntityTypes", ref_id(program.get("trackedEntityType")))
        if tet is not None and not can_data_read(b.user, tet):
            r.error(ENROLLMENT, uid, "E1104", b.user_ref(), Obj("programs", program),
                    Obj("trackedEntityTypes", tet))
        temporary = has_temporary(b.store, te_uid, program.get("id", ""), b.user.uid)
        if owner is not None and not owner_access(
                p, b.user, program, owner, temporary, effective=b.search_scope_adds_capture_units):
            r.error(ENROLLMENT, uid, "E1102", b.user_ref(), te_uid, Obj("programs", program))
        if b.security_split and en.get("attributeOptionCombo"):
            # 2.43.1 #checkWriteCategoryOptionComboAccess: the payload's combo (E1099).
            combo = p.category_option_combo(en["attributeOptionCombo"])
            for option in access_manager.combo_options(p, combo):
                if not can_data_write(b.user, option):
                    r.error(ENROLLMENT, uid, "E1099", b.user_ref(), Obj("categoryOptions", option))

    def notes() -> None:  # enrollment/NoteValidator → ValidationUtils#validateNotes (E1119 warning)
        kept = []
        for note in en.get("notes") or []:
            if tracker_store.note_exists(b.store, note["note"]):
                r.warning(ENROLLMENT, uid, "E1119", note["note"])
            else:
                kept.append(note)
        en["notes"] = kept

    def existing() -> None:  # enrollment/ExistingEnrollmentValidator
        status = en["status"]
        program = p.program(en["program"]) or {}
        only_once = bool(program.get("onlyEnrollOnce"))
        if status == "CANCELLED" or (status == "COMPLETED" and not only_once):
            return
        te_uid = en["trackedEntity"]
        others: dict[str, str] = {}
        # Only payload enrollments of the same tracked entity can match (same order as the payload).
        for other in b.payload_with(ENROLLMENT, "trackedEntity", te_uid):
            other_program = p.program(other["program"]) or {}
            if (other_program.get("id") == program.get("id") and other["trackedEntity"] == te_uid
                    and other["enrollment"] != uid and other["status"] in ("ACTIVE", "COMPLETED")):
                others.setdefault(other["enrollment"], other["status"])
        for row in tracker_store.enrollments_of(b.store, te_uid):
            if (row["program"] == program.get("id") and row["uid"] != uid
                    and row["status"] in ("ACTIVE", "COMPLETED")):
                others.setdefault(row["uid"], row["status"])

        def stored_te() -> StoredTrackedEntity:
            row = b.store_get("trackedEntity", te_uid)
            return StoredTrackedEntity(
                te_uid, row, p.by_uid("organisationUnits", row["org_unit"]) if row else None,
                p.by_uid("trackedEntityTypes", row["tet"]) if row else None)

        if status == "ACTIVE" and "ACTIVE" in others.values():
            r.error(ENROLLMENT, uid, "E1015", stored_te(), Obj("programs", program))
        if only_once and others:
            r.error(ENROLLMENT, uid, "E1016", stored_te(), Obj("programs", program))

    def geo() -> None:  # enrollment/GeoValidator
        program = p.program(en["program"]) or {}
        geometry(b, ENROLLMENT, uid, en.get("geometry"), program.get("featureType"))

    def dates() -> None:  # enrollment/DateValidator
        program = p.program(en["program"]) or {}
        # 2.41.9 hands the missing (null) date over as the one argument of E1025/E1023.
        missing: tuple[None, ...] = (None,) if b.enrollment_dates_null_arg else ()
        if en.get("enrolledAt") is None:
            r.error(ENROLLMENT, uid, "E1025", *missing)
        day = today()
        # Program#selectEnrollmentDatesInFuture / selectIncidentDatesInFuture default to false.
        enrolled, occurred = en.get("enrolledAt"), en.get("occurredAt")
        if enrolled and not program.get("selectEnrollmentDatesInFuture") and enrolled[:10] > day:
            r.error(ENROLLMENT, uid, "E1020", InstantArg(enrolled))
        if occurred and not program.get("selectIncidentDatesInFuture") and occurred[:10] > day:
            r.error(ENROLLMENT, uid, "E1021", InstantArg(occurred))
        if program.get("displayIncidentDate") and en.get("occurredAt") is None:
            r.error(ENROLLMENT, uid, "E1023", *missing)
        # validateCompletedDateIsSetOnlyForSupportedStatus: 2.42.5 and 2.43.1; 2.41.9 has no
        # such check (nor E1052 in its ValidationCode catalog)
        if en.get("completedAt") and en["status"] not in ("COMPLETED", "CANCELLED") \
                and "E1052" in r.messages:
            r.error(ENROLLMENT, uid, "E1052", DtoRef(ENROLLMENT, en), EnumArg(en["status"]))

    def attributes() -> None:  # enrollment/AttributeValidator
        program = p.program(en["program"]) or {}
        program_attrs = dict(p.program_attributes(program))
        mandatory = {a for a, m in program_attrs.items() if m}
        te_uid = en["trackedEntity"]
        stored_te = b.store_get("trackedEntity", te_uid)
        payload_te = b.find(TE, te_uid)
        org_unit = p.org_unit((payload_te or {}).get("orgUnit")) if payload_te else None
        # attributeValueMap: the payload's identifier and value by the attribute it names
        non_empty: dict[str, tuple[str, str]] = {}
        for a in en.get("attributes") or []:
            if java_blank(a.get("attribute")):  # MetadataIdentifier#isBlank
                r.error(ENROLLMENT, uid, "E1075", attribute_arg(a, r.attribute_fields))
                continue
            attr = p.attribute(a["attribute"])
            if attr and attr["id"] in mandatory and a["value"] is None:
                r.error(ENROLLMENT, uid, "E1076", "TrackedEntityAttribute", Meta(a["attribute"]))
            if attr is None:
                r.error(ENROLLMENT, uid, "E1006", Meta(a["attribute"]))
                continue
            if a["value"] is not None:
                non_empty[attr["id"]] = (a["attribute"], a["value"])
                attribute_values(b, ENROLLMENT, uid, attr, a["value"], uniques,
                                 te_uid if stored_te else None,
                                 org_unit["id"] if org_unit else None)
        present = set(non_empty) | payload_and_stored_attributes(b, te_uid)
        for attr_uid, (ident, value) in non_empty.items():
            if attr_uid not in program_attrs:
                # MetadataIdentifier#getIdentifierOrAttributeValue: as the payload names it
                r.error(ENROLLMENT, uid, "E1019", f"{ident}={value}")
        for attr_uid in program_attrs:
            if program_attrs[attr_uid] and attr_uid not in present:
                r.error(ENROLLMENT, uid, "E1018", stored_attribute(p, attr_uid), program.get("id"), uid)

    def all_of() -> None:
        for step in (notes, existing, geo, dates, attributes):
            step()

    run_seq(r, strategy, [
        Check(lambda: check_uid(b, ENROLLMENT, en), NOT_DELETE),
        Check(existence),
        Check(mandatory, NOT_DELETE),
        Check(meta, NOT_DELETE),
        Check(updatable, ("UPDATE",)),
        Check(relations, NOT_DELETE),
        *([Check(combo, NOT_DELETE)] if b.enrollment_option_combo else []),
        Check(security),
        Check(all_of, NOT_DELETE),
    ])
