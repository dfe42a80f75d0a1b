"""Writing validated tracker objects: create/update, value deletes, soft delete with cascade.

- `bundle/DefaultTrackerBundleService#commit`: tracked entities, enrollments, events,
  relationships, each through its persister (`bundle/persister/*Persister.java`); a type
  report counts created/updated and lists an object report per written object.
- `AbstractTrackerPersister#persist`: an existing relationship is never updated, only counted
  as ignored; attribute / data values with `value: null` are deleted; enrollment attributes are
  written onto the tracked entity; generated values leave the reserved pool.
- file values (FILE_RESOURCE, IMAGE): `AbstractTrackerPersister#assignFileResource` marks the
  file resource assigned to the tracked entity (FILE_RESOURCE attributes; IMAGE attributes
  are never assigned, `#isFileResource`) or event (file data values). An event's deleted data
  value unassigns the file it referred to (`EventPersister#deleteDataValue`), a changed one
  too from 2.42.5 (`#updateDataValue`), an attribute only when its value is deleted (a changed
  attribute value assigns the new file: `AbstractTrackerPersister
  #handleTrackedEntityAttributeValues`, `#saveOrUpdate`, `#delete`). Each reads the file from
  the preheat, which holds only files a payload value names (`FileResourceSupplier`), so the
  file an old value referred to is unassigned only when the payload names it too.
- change logs (`ChangeLogAccumulator`, `changelog.tracker` on by default): every created,
  updated or deleted attribute value of a tracked entity (`AbstractTrackerPersister#saveOrUpdate`,
  `#delete`; at 2.41.9 only of a tracked entity type with `allowAuditLog`, :423/:481) and
  event data value (`EventPersister#handleDataValues`); from 2.42 also the
  event fields scheduledAt, occurredAt, geometry of an updated event
  (`EventPersister#logFieldChanges`, `tracker_event_field_change_logs`).
- `EnrollmentPersister#persistOwnership`: a new enrollment makes its org unit the program owner
  unless one exists.
- `DefaultTrackerBundleService#postCommit` (2.41.9 :140-155, 2.42.5 :143-178, 2.43.1
  :135-169): every tracked entity the persisters name (`AbstractTrackerPersister
  #getUpdatedTrackedEntities` of each created or updated object: its own write, an enrollment,
  an event of an enrollment, a new relationship's `Relationship#getTrackedEntityOrigins`, the
  `from` entity and, for a bidirectional type, the `to` one) gets a new `updatedAt` and the
  importing user as `updatedBy`.
- `bundle/persister/DefaultTrackerObjectsDeletionService.java`: DELETE is soft and cascades
  (events → relationships, enrollments → events, tracked entities → enrollments and
  relationships); only listed objects count in `deleted`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from scdi.sandbox.core import users as sandbox_users
from scdi.sandbox.core.spring_params import java_blank
from scdi.sandbox.core.store import Store
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.preheat import ref_id
from scdi.sandbox.tracker.validation.events import assigned_user_given
from scdi.sandbox.tracker.validation.frame import (
    ENROLLMENT,
    EVENT,
    RELATIONSHIP,
    TRACKED_ENTITY,
    TYPES,
    UID_KEY,
    Bundle,
)
from scdi.sandbox.tracker.validation.relationships import item_of, relationship_key


def user_info(b: Bundle) -> str:
    """`UserInfoSnapshot` as stored in createdBy/updatedBy (no names beyond the account's)."""
    obj = b.store.get_object("users", b.user.uid) or {}
    return json.dumps({"uid": b.user.uid, "username": b.user.username,
                       "firstName": obj.get("firstName"), "surname": obj.get("surname")},
                      ensure_ascii=False)


def _assigned_user(b: Bundle, ev: dict[str, Any], stage: dict[str, Any]) -> str | None:
    """TrackerObjectsMapper#map(event) (2.42.5 :232-238, 2.43.1 :239-245; 2.41.9
    EventTrackerConverterService :266-272): only a stage with `enableUserAssignment` takes the
    payload's user, and then the stored account its username names, not the payload's fields;
    otherwise an update keeps the assigned user it had."""
    user = ev.get("assignedUser")
    if not stage.get("enableUserAssignment") or user is None or not assigned_user_given(user):
        return None
    found = sandbox_users.find_by_username(b.store, user.get("username") or "")
    if found is None:
        return None
    return json.dumps({"uid": found["id"], "username": user.get("username"),
                       "firstName": found.get("firstName"), "surname": found.get("surname")},
                      ensure_ascii=False)


def _type_report(t: str) -> dict[str, Any]:
    return {"trackerType": t, "stats": {"created": 0, "updated": 0, "deleted": 0, "ignored": 0},
            "objectReports": []}


def _written(report: dict[str, Any], t: str, uid: str, created: bool) -> None:
    report["stats"]["created" if created else "updated"] += 1
    report["objectReports"].append({"trackerType": t, "uid": uid, "errorReports": []})


def _geometry(value: Any) -> str | None:
    return json.dumps(value) if value else None


# Data values: `DataElement#isFileType` (FILE_RESOURCE, IMAGE); attribute values:
# `AbstractTrackerPersister#isFileResource` (FILE_RESOURCE only, at 2.41.9, 2.42.5 and 2.43.1).
DATA_VALUE_FILE_TYPES = ("FILE_RESOURCE", "IMAGE")
ATTRIBUTE_FILE_TYPES = ("FILE_RESOURCE",)


def _assign_file(b: Bundle, owner: str, value: str | None, assigned: bool) -> None:
    """`AbstractTrackerPersister#assignFileResource`: `assigned` and `fileResourceOwner` of a
    preheated file resource (`preheat.get(FileResource.class, uid)`, null for any other)."""
    if not value or value not in b.preheat.file_uids:
        return
    resource = b.store.get_object("fileResources", value)
    if resource is not None:
        b.store.put_object("fileResources", {**resource, "assigned": assigned,
                                             "fileResourceOwner": owner})


def _file_value_changed(b: Bundle, obj: dict[str, Any] | None, owner: str,
                        previous: str | None, value: str | None,
                        file_types: tuple[str, ...]) -> None:
    """EventPersister: a new value assigns its file (#saveDataValue), a deleted one unassigns
    the file it referred to (#deleteDataValue), a changed one assigns the new file and, from
    2.42.5, first unassigns the old (#updateDataValue; `tracker_event_update_unassigns_old_file`)."""
    if obj is None or obj.get("valueType") not in file_types or previous == value:
        return
    if not value or previous is None or b.event_update_unassigns_old_file:
        _assign_file(b, owner, previous, False)
    _assign_file(b, owner, value, True)


def _attribute_file_changed(b: Bundle, attr: dict[str, Any], te_uid: str,
                            previous: str | None, value: str | None) -> None:
    if attr.get("valueType") not in ATTRIBUTE_FILE_TYPES or previous == value:
        return
    if not value:
        _assign_file(b, te_uid, previous, False)
    else:
        _assign_file(b, te_uid, value, True)


def _logs_changes(b: Bundle, owner: dict[str, Any] | None) -> bool:
    """2.43.1 ChangeLogAccumulator#add…ChangeLog: only for a tracked entity type (attribute
    values) or program (data values, event fields) with `enableChangeLog`; before, every change
    is logged (`changelog.tracker` on by default)."""
    return not b.change_logs_opt_in or bool((owner or {}).get("enableChangeLog"))


def _write_attributes(b: Bundle, te_uid: str, attributes: list[dict[str, Any]], info: str) -> None:
    stored = {row["attribute"]: row["value"]
              for row in tracker_store.attribute_values(b.store, te_uid)}
    te_row = tracker_store.get(b.store, "trackedEntity", te_uid) or {}
    tet = b.preheat.by_uid("trackedEntityTypes", te_row.get("tet"))
    # 2.41.9 AbstractTrackerPersister (:423, :481): the type's `allowAuditLog` too
    logged = _logs_changes(b, tet) and (not b.attribute_change_logs_need_audit_log
                                        or bool((tet or {}).get("allowAuditLog")))
    for a in attributes:
        attr = b.preheat.attribute(a["attribute"])
        if attr is None:
            continue
        exists = attr["id"] in stored
        previous = stored.get(attr["id"])
        if a["value"] is None:
            # `isDelete`: a value that exists is deleted (its change log DELETE); a new one is
            # saved without a value on 2.41.9 / 2.42.5 and skipped on 2.43.1
            # (`Release.tracker_new_null_attribute_saved`)
            if not exists and not b.new_null_attribute_saved:
                continue
            change_type = "DELETE" if exists else "CREATE"
        elif exists and previous == a["value"]:
            # AbstractTrackerPersister#handleTrackedEntityAttributeValues (2.41.9 :397/:400,
            # 2.42.5 :411/:415, 2.43.1 :527/:539): only a new or changed value is written, so an
            # unchanged one keeps its storedBy and updatedAt (and logs no change)
            continue
        else:
            change_type = "UPDATE" if exists else "CREATE"
        _attribute_file_changed(b, attr, te_uid, previous, a["value"])
        if logged:
            tracker_store.add_change_log(b.store, "trackedEntity", te_uid, "attribute",
                                         attr["id"], previous, a["value"], info, change_type)
        # AbstractTrackerPersister#handleTrackedEntityAttributeValues: 2.42.5 the payload's
        # storedBy, 2.41.9/2.43.1 the importing user's, on each change.
        tracker_store.set_attribute_value(
            b.store, te_uid, attr["id"], a["value"],
            a.get("storedBy") if b.stored_by == "payload_on_create" else b.user.username,
            keep_null=not exists)
        # 2.42.5 AbstractTrackerPersister#handleReservedValue: the stored value leaves the
        # reserved pool; 2.41.9/2.43.1 leave it reserved
        # (`Release.tracker_stored_value_leaves_reserved_pool`)
        if a["value"] is not None and attr.get("generated") and b.stored_value_leaves_reserved_pool:
            b.store.conn.execute("DELETE FROM reserved_values WHERE owner_uid=? AND value=?",
                                 (attr["id"], a["value"]))


def _stored_by(b: Bundle, obj: dict[str, Any]) -> str | None:
    """The storedBy a new tracked entity, enrollment or event is written with
    (`Release.tracker_stored_by`): the payload's on 2.42.5, the importing user's otherwise."""
    return obj.get("storedBy") if b.stored_by == "payload_on_create" else b.user.username


def commit(b: Bundle, keep: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    p, store = b.preheat, b.store
    info = user_info(b)
    stamp = tracker_store.now()
    reports = {t: _type_report(t) for t in TYPES}
    touched: set[str] = set()
    # The tracked entity of each event's enrollment, read once per enrollment (a member's
    # events come together); no enrollment is written after the enrollments' loop.
    te_of_enrollment: dict[str, str | None] = {}
    for te in keep[TRACKED_ENTITY]:
        uid = te["trackedEntity"]
        tet = p.tracked_entity_type(te["trackedEntityType"]) or {}
        ou = p.org_unit(te["orgUnit"]) or {}
        values: dict[str, Any] = {
            "tet": tet.get("id"), "org_unit": ou.get("id"), "updated": stamp,
            "updated_client": te.get("updatedAtClient"), "inactive": int(te["inactive"]),
            "potential_duplicate": int(te["potentialDuplicate"]),
            "geometry": _geometry(te.get("geometry")), "updated_by": info}
        existing = tracker_store.get(store, "trackedEntity", uid)
        if existing is None or b.stored_by == "importer_every_write":
            values["stored_by"] = _stored_by(b, te)
        if existing is None:
            values.update(created=stamp, created_client=te.get("createdAtClient"), created_by=info)
        created = tracker_store.save_tracked_entity(store, uid, values, exists=existing is not None)
        _write_attributes(b, uid, te.get("attributes") or [], info)
        _written(reports[TRACKED_ENTITY], TRACKED_ENTITY, uid, created)
        touched.add(uid)
    for en in keep[ENROLLMENT]:
        uid = en["enrollment"]
        program = p.program(en["program"]) or {}
        ou = p.org_unit(en["orgUnit"]) or {}
        values = {
            "te": en["trackedEntity"], "program": program.get("id"), "org_unit": ou.get("id"),
            "status": en["status"], "enrolled_at": en.get("enrolledAt"),
            "occurred_at": en.get("occurredAt"), "follow_up": int(en["followUp"]),
            "updated": stamp, "updated_client": en.get("updatedAtClient"),
            "geometry": _geometry(en.get("geometry")), "updated_by": info}
        if b.enrollment_option_combo:
            # 2.43.1 TrackerObjectsMapper#map(enrollment) (:177-182): the payload's combo or,
            # on every write without one, the default
            aoc = p.default_option_combo() if java_blank(en["attributeOptionCombo"]) \
                else p.category_option_combo(en["attributeOptionCombo"])
            values["aoc"] = (aoc or {}).get("id")
        stored_en = tracker_store.get(store, "enrollment", uid)
        # Completion follows a status change (a new enrollment is ACTIVE): 2.41.9
        # EnrollmentTrackerConverterService#from (:163-178) stamps now, 2.42.5/2.43.1
        # TrackerObjectsMapper#map(enrollment) (:146-166) takes the payload's completedAt first.
        if en["status"] != (stored_en["status"] if stored_en else "ACTIVE"):
            given = en.get("completedAt") if b.enrollment_completed_at_from_payload else None
            values["completed_at"] = None if en["status"] == "ACTIVE" else (given or stamp)
            values["completed_by"] = b.user.username if en["status"] == "COMPLETED" else None
        if stored_en is None:
            values.update(created=stamp, created_client=en.get("createdAtClient"), created_by=info,
                          stored_by=_stored_by(b, en))
        created = tracker_store.save_enrollment(store, uid, values, exists=stored_en is not None)
        if created and ou.get("id"):
            tracker_store.set_owner_if_missing(store, en["trackedEntity"], program["id"], ou["id"])
        _write_attributes(b, en["trackedEntity"], en.get("attributes") or [], info)
        tracker_store.append_notes(store, "enrollment", uid, _notes(b, en, stamp))
        _written(reports[ENROLLMENT], ENROLLMENT, uid, created)
        touched.add(en["trackedEntity"])
    for ev in keep[EVENT]:
        uid = ev["event"]
        stage = p.program_stage(ev["programStage"]) or {}
        program = p.program(ev["program"]) or {}
        ou = p.org_unit(ev["orgUnit"]) or {}
        # TrackerObjectsMapper: MetadataIdentifier#isNotBlank, else the default combo
        aoc = p.default_option_combo() if java_blank(ev["attributeOptionCombo"]) \
            else p.category_option_combo(ev["attributeOptionCombo"])
        values = {
            "enrollment": ev.get("enrollment"), "program": program.get("id"),
            "program_stage": stage.get("id"), "org_unit": ou.get("id"), "status": ev["status"],
            "occurred_at": ev.get("occurredAt"), "scheduled_at": ev.get("scheduledAt"),
            "updated": stamp, "updated_client": ev.get("updatedAtClient"),
            "aoc": (aoc or {}).get("id"),
            "aco": ";".join(ref_id(c) or "" for c in (aoc or {}).get("categoryOptions") or []),
            "geometry": _geometry(ev.get("geometry")),
            "updated_by": info}
        assigned = _assigned_user(b, ev, stage)
        if assigned is not None:
            values["assigned_user"] = assigned
        stored_ev = tracker_store.get(store, "event", uid)
        # TrackerObjectsMapper#map(event): completion set on a change to COMPLETED, cleared otherwise.
        if ev["status"] != "COMPLETED":
            values["completed_at"] = values["completed_by"] = None
        elif stored_ev is None or stored_ev["status"] != "COMPLETED":
            values["completed_at"] = ev.get("completedAt") or stamp
            values["completed_by"] = b.user.username
        if stored_ev is None:
            values.update(created=stamp, created_client=ev.get("createdAtClient"), created_by=info,
                          stored_by=_stored_by(b, ev))
        created = tracker_store.save_event(store, uid, values, exists=stored_ev is not None)
        logged = _logs_changes(b, program)
        if stored_ev is not None and b.event_field_change_logs and logged:
            for field, column in (("scheduledAt", "scheduled_at"), ("occurredAt", "occurred_at"),
                                  ("geometry", "geometry")):
                tracker_store.add_change_log(store, "event", uid, "field", field,
                                             stored_ev[column], values[column], info)
        stored_rows = {row["data_element"]: row for row in tracker_store.data_values(store, uid)}
        stored_values = {k: row["value"] for k, row in stored_rows.items()}
        for dv in ev.get("dataValues") or []:
            de = p.data_element(dv["dataElement"])
            # only a new, changed or deleted value is written (2.41.9
            # EventPersister#getAuditAndDateParameters :276-307 / #handleDataValues :207-209,
            # 2.42.5 #handleDataValues :208-221, 2.43.1 TrackerEventPersister#handleDataValues
            # :217-235): an unchanged one keeps its storedBy, updatedAt, updatedBy and
            # providedElsewhere
            if de is None:
                continue
            value, change_type = _data_value_change(b, de["id"] in stored_rows,
                                                    stored_values.get(de["id"]), dv["value"])
            if change_type is not None:
                _file_value_changed(b, de, uid, stored_values.get(de["id"]), value,
                                    DATA_VALUE_FILE_TYPES)
                if logged:
                    tracker_store.add_change_log(store, "event", uid, "dataElement", de["id"],
                                                 stored_values.get(de["id"]),
                                                 None if change_type == "DELETE" else value,
                                                 info, change_type)
                # 2.41.9 EventPersister#updateDataValues names the user on each change,
                # 2.42.5/2.43.1 #saveDataValue on creation only; never the payload's.
                before = stored_rows.get(de["id"])
                stored_by = before["stored_by"] if before is not None and \
                    b.stored_by != "importer_every_write" else b.user.username
                # Release.tracker_data_value_stamps: 2.41.9 the payload's updatedAt and no
                # user, 2.42.5/2.43.1 now and the importing user
                by_payload = b.data_value_stamps == "payload_updated_at"
                # Release.tracker_data_value_provided_elsewhere_written: 2.41.9 never takes
                # the payload's flag (a new value false, a changed one the stored flag)
                provided = bool(dv["providedElsewhere"]) if b.data_value_provided_elsewhere_written \
                    else bool(before is not None and before["provided_elsewhere"])
                tracker_store.set_data_value(store, uid, de["id"], value,
                                             provided, stored_by,
                                             None if by_payload else info,
                                             dv.get("updatedAt") if by_payload else None)
        tracker_store.append_notes(store, "event", uid, _notes(b, ev, stamp))
        _written(reports[EVENT], EVENT, uid, created)
        en_uid = ev.get("enrollment") or ""
        if en_uid not in te_of_enrollment:
            enrollment = tracker_store.get(store, "enrollment", en_uid)
            te_of_enrollment[en_uid] = enrollment["te"] if enrollment else None
        if te_of_enrollment[en_uid]:
            touched.add(str(te_of_enrollment[en_uid]))
    for rel in keep[RELATIONSHIP]:
        uid = rel["relationship"]
        if tracker_store.get_relationship(store, uid) is not None:
            reports[RELATIONSHIP]["stats"]["ignored"] += 1  # relationships are never updated
            continue
        rtype = p.relationship_type(rel["relationshipType"]) or {}
        a, c = item_of(rel["from"]), item_of(rel["to"])
        if a is None or c is None:
            continue
        tracker_store.save_relationship(store, uid, {
            "type": rtype.get("id"), "from_kind": a[0], "from_uid": a[1], "to_kind": c[0],
            "to_uid": c[1], "rel_key": relationship_key(rtype.get("id", ""), a, c),
            "inverse_key": relationship_key(rtype.get("id", ""), c, a),
            "bidirectional": int(bool(rtype.get("bidirectional"))), "created": stamp,
            "updated": stamp, "created_client": rel.get("createdAtClient")})
        _written(reports[RELATIONSHIP], RELATIONSHIP, uid, True)
        # Relationship#getTrackedEntityOrigins: the `from` tracked entity, and the `to` one
        # of a bidirectional type
        if a[0] == "trackedEntity":
            touched.add(a[1])
        if c[0] == "trackedEntity" and rtype.get("bidirectional"):
            touched.add(c[1])
    for te_uid in touched:
        tracker_store.touch(store, "trackedEntity", te_uid, info)
    return reports


def _data_value_change(b: Bundle, exists: bool, stored: str | None,
                       sent: str | None) -> tuple[str | None, str | None]:
    """The value an event data value is written with and its change log type, or no type when
    it is not written: `EventPersister#isNewDataValue` (a value not blank, nothing stored),
    `#isUpdate`, `#isDeletion` (a stored value not blank, a blank one sent; 2.41.9 still writes
    a blank text that is not empty: `Release.tracker_blank_data_value_written`)."""
    blank = sent is None or not sent.strip()
    if not exists:
        return (sent, "CREATE") if not blank else (None, None)
    deletion = stored is not None and bool(stored.strip()) and blank
    if b.blank_data_value_written:
        # 2.41.9 #getAuditAndDateParameters: UPDATE on any other text, DELETE over it; only an
        # empty text (`StringUtils#isEmpty`) removes the value
        if sent == stored:
            return None, None
        return (sent or None), ("DELETE" if deletion else "UPDATE")
    if deletion:
        return None, "DELETE"
    if blank or sent == stored:
        return None, None
    return sent, "UPDATE"


def _notes(b: Bundle, obj: dict[str, Any], stamp: str) -> list[dict[str, Any]]:
    """The notes as saved: `created` now whatever `storedAt` was sent (exported as `storedAt`,
    export/NoteMapper.java at the three tags; 2.41.9 NotesConverterService#from
    `setAutoFields`, 2.42.5/2.43.1 TrackerObjectsMapper#map `setCreated(now)`), the creator
    per `tracker_note_stored_by_user`, `lastUpdatedBy` the importing user."""
    by_user = b.note_stored_by_user
    return [{"note": n["note"], "value": n["value"], "storedAt": stamp,
             "storedBy": b.user.username if by_user else n.get("storedBy"),
             "createdBy": json.loads(user_info(b))} for n in obj.get("notes") or []]


def delete(b: Bundle, keep: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    info = user_info(b)
    reports = {t: _type_report(t) for t in TYPES}
    order: tuple[tuple[str, Callable[[Store, str, str | None], None]], ...] = (
        (RELATIONSHIP, tracker_store.delete_relationship), (EVENT, tracker_store.delete_event),
        (ENROLLMENT, tracker_store.delete_enrollment),
        (TRACKED_ENTITY, tracker_store.delete_tracked_entity))
    for t, fn in order:
        for obj in keep[t]:
            uid = obj[UID_KEY[t]]
            fn(b.store, uid, info)
            reports[t]["stats"]["deleted"] += 1
            reports[t]["objectReports"].append({"trackerType": t, "uid": uid, "errorReports": []})
    return reports
