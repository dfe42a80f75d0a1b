"""Tracker rows → the JSON views of `GET /api/tracker/...`.

Key order and names follow `webapi/controller/tracker/view/{TrackedEntity, Enrollment, Event,
Relationship, RelationshipItem, Attribute, DataValue, Note, ProgramOwner, User}.java`
(field declaration order; Jackson NON_NULL drops nulls, keeps empty lists). Collections
are only built when the field selection asks for them (`wants`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from scdi.sandbox.core.fields import Selection
from scdi.sandbox.core.store import Store
from scdi.sandbox.tracker import store as tracker_store


def wants(selection: Selection | None, key: str) -> bool:
    """Whether a view needs `key` for this selection (nested selections ask for everything)."""
    if selection is None:
        return True
    excluded = {f.name for f in selection.fields if f.exclude}
    if key in excluded:
        return False
    return selection.all or any(f.name == key and not f.exclude for f in selection.fields)


def _child(selection: Selection | None, key: str) -> Selection | None:
    if selection is None:
        return None
    for f in selection.fields:
        if f.name == key and not f.exclude and f.children is not None:
            return Selection(f.children)
    return None


def _drop_nulls(view: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in view.items() if v is not None}


def _user(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    info = json.loads(raw)
    first, last = info.get("firstName"), info.get("surname")
    display = " ".join(p for p in (first, last) if p) or None
    return _drop_nulls({"uid": info.get("uid"), "username": info.get("username"),
                        "firstName": first, "surname": last, "displayName": display})


def _geometry(raw: str | None) -> Any:
    return json.loads(raw) if raw else None


_BATCH = 900  # uids per IN (...) list, well under SQLite's bound on query parameters


def _grouped(store: Store, uids: list[str], column: str, sql: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of `sql` (one `{}` for the uid placeholders) grouped by `column`; every uid gets a
    list, empty when it has no rows."""
    out: dict[str, list[dict[str, Any]]] = {uid: [] for uid in uids}
    for start in range(0, len(uids), _BATCH):
        batch = uids[start:start + _BATCH]
        with store.lock:
            rows = store.conn.execute(sql.format(", ".join("?" for _ in batch)), batch).fetchall()
        for row in rows:
            out[row[column]].append(dict(row))
    return out


class Views:
    """Builds views against one store; metadata lookups are cached per request."""

    def __init__(self, store: Store, visible: Callable[[str, dict[str, Any]], bool] | None = None
                 ) -> None:
        self.store = store
        self.visible = visible or (lambda _kind, _row: True)
        self._meta: dict[tuple[str, str], dict[str, Any] | None] = {}
        # A page repeats the same few createdBy/updatedBy snapshots on every row and value, and
        # the same enrollment under each of its events: each is read once per request.
        self._users: dict[str, dict[str, Any] | None] = {}
        self._enrollments: dict[str, dict[str, Any] | None] = {}
        # Values and enrollments of the rows of one page, read in a few queries (`prefetch`)
        # rather than one query per row and collection.
        self._data_values: dict[str, list[dict[str, Any]]] = {}
        self._attribute_values: dict[str, list[dict[str, Any]]] = {}
        self._te_enrollments: dict[tuple[str, bool], list[dict[str, Any]]] = {}

    def prefetch(self, kind: str, rows: list[dict[str, Any]], sel: Selection | None,
                 include_deleted: bool = False) -> None:
        """Read what `event` / `tracked_entity` will ask of each of these rows, in batches; the
        order within each row's list is that of the single-row queries."""
        uids = [r["uid"] for r in rows]
        if kind == "event" and wants(sel, "dataValues"):
            self._data_values.update(_grouped(self.store, uids, "event", (
                "SELECT * FROM event_data_values WHERE event IN ({}) "
                "ORDER BY event, created, data_element")))
        if kind == "trackedEntity" and wants(sel, "attributes"):
            self._attribute_values.update(_grouped(self.store, uids, "te", (
                "SELECT * FROM te_attribute_values WHERE te IN ({}) ORDER BY te, created, attribute")))
        if kind == "trackedEntity" and wants(sel, "enrollments"):
            live = "" if include_deleted else " AND deleted=0"
            found = _grouped(self.store, uids, "te", (
                "SELECT * FROM enrollments WHERE te IN ({})" + live + " ORDER BY seq"))  # noqa: S608
            self._te_enrollments.update({(uid, include_deleted): found[uid] for uid in found})

    def data_values(self, event: str) -> list[dict[str, Any]]:
        if event in self._data_values:
            return self._data_values[event]
        return tracker_store.data_values(self.store, event)

    def attribute_values(self, te: str) -> list[dict[str, Any]]:
        if te in self._attribute_values:
            return self._attribute_values[te]
        return tracker_store.attribute_values(self.store, te)

    def enrollments_of(self, te: str, include_deleted: bool) -> list[dict[str, Any]]:
        found = self._te_enrollments.get((te, include_deleted))
        if found is not None:
            return found
        return tracker_store.enrollments_of(self.store, te, include_deleted)

    def user(self, raw: str | None) -> dict[str, Any] | None:
        if not raw:
            return None
        if raw not in self._users:
            self._users[raw] = _user(raw)
        view = self._users[raw]
        return dict(view) if view is not None else None

    def enrollment_row(self, uid: str) -> dict[str, Any] | None:
        if uid not in self._enrollments:
            self._enrollments[uid] = tracker_store.get(self.store, "enrollment", uid)
        return self._enrollments[uid]

    def meta(self, plural: str, uid: str | None) -> dict[str, Any]:
        if not uid:
            return {}
        key = (plural, uid)
        if key not in self._meta:
            self._meta[key] = self.store.get_object(plural, uid)
        return self._meta[key] or {}

    # -- values -----------------------------------------------------------------------------
    def attribute(self, row: dict[str, Any]) -> dict[str, Any]:
        attr = self.meta("trackedEntityAttributes", row["attribute"])
        return _drop_nulls({
            "attribute": row["attribute"], "code": attr.get("code"),
            "displayName": attr.get("displayName") or attr.get("name"),
            "createdAt": row["created"], "updatedAt": row["updated"],
            "storedBy": row.get("stored_by"), "valueType": attr.get("valueType"),
            "value": row["value"]})

    def data_value(self, row: dict[str, Any]) -> dict[str, Any]:
        return _drop_nulls({
            "createdAt": row["created"], "updatedAt": row["updated"],
            "storedBy": row.get("stored_by"), "providedElsewhere": bool(row["provided_elsewhere"]),
            "dataElement": row["data_element"], "value": row["value"],
            "createdBy": self.user(row.get("created_by")), "updatedBy": self.user(row.get("updated_by"))})

    def notes(self, raw: str | None) -> list[dict[str, Any]]:
        out = []
        for n in json.loads(raw or "[]"):
            out.append(_drop_nulls({"note": n.get("note"), "value": n.get("value"),
                                    "storedAt": n.get("storedAt"), "storedBy": n.get("storedBy"),
                                    "createdBy": self._note_author(n.get("createdBy"))}))
        return out

    def _note_author(self, snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
        """A note's `createdBy` is its `lastUpdatedBy`, a full `user.User` (export/NoteMapper.java
        2.41.9 :41, 2.42.5 and 2.43.1 :43), which MapStruct maps to `view/User` by property
        name, so beside the snapshot's four it writes `displayName` (`User#getDisplayName`: the
        stored name, else "firstName surname"; 2.41.9 `view/User.java` :59, 2.42.5/2.43.1 :60).
        `Note#lastUpdatedBy` references the account, so every field is read from it as it is
        now; the import-time snapshot only stands in for an account since deleted."""
        if not snapshot or not snapshot.get("uid"):
            return snapshot
        stored = self.store.get_object("users", snapshot["uid"])
        if stored is None:
            return snapshot
        username = stored.get("username") or (stored.get("userCredentials") or {}).get("username")
        name = stored.get("name") or f"{stored.get('firstName')} {stored.get('surname')}"
        return {"uid": snapshot["uid"], "username": username or snapshot.get("username"),
                "firstName": stored.get("firstName"), "surname": stored.get("surname"),
                "displayName": name}

    # -- objects ----------------------------------------------------------------------------
    def tracked_entity(self, row: dict[str, Any], sel: Selection | None,
                       program: str | None = None, include_deleted: bool = False) -> dict[str, Any]:
        uid = row["uid"]
        view: dict[str, Any] = {
            "trackedEntity": uid, "trackedEntityType": row["tet"], "createdAt": row["created"],
            "createdAtClient": row.get("created_client"), "updatedAt": row["updated"],
            "updatedAtClient": row.get("updated_client"), "orgUnit": row["org_unit"],
            "inactive": bool(row["inactive"]), "deleted": bool(row["deleted"]),
            "potentialDuplicate": bool(row["potential_duplicate"]),
            "geometry": _geometry(row.get("geometry")), "storedBy": row.get("stored_by"),
            "createdBy": self.user(row.get("created_by")), "updatedBy": self.user(row.get("updated_by")),
        }
        if wants(sel, "relationships"):
            view["relationships"] = self.relationships_of(uid, include_deleted)
        if wants(sel, "attributes"):
            view["attributes"] = [self.attribute(a) for a in self._te_attributes(uid, program)]
        if wants(sel, "enrollments"):
            child = _child(sel, "enrollments")
            view["enrollments"] = [
                self.enrollment(e, child, include_deleted)
                for e in self.enrollments_of(uid, include_deleted)
                if (program is None or e["program"] == program) and self.visible("enrollment", e)]
        if wants(sel, "programOwners"):
            with self.store.lock:
                owners = self.store.conn.execute(
                    "SELECT * FROM program_owners WHERE te=? ORDER BY program", (uid,)).fetchall()
            view["programOwners"] = [{"orgUnit": o["org_unit"], "trackedEntity": uid,
                                      "program": o["program"]} for o in owners]
        return _drop_nulls(view)

    def _te_attributes(self, te: str, program: str | None) -> list[dict[str, Any]]:
        """Attributes of the TE type, plus the program's when a program is given
        (`TrackedEntityAttributeService#getAllUserReadableTrackedEntityAttributes`)."""
        rows = self.attribute_values(te)
        if program is None:
            return rows
        prog = self.meta("programs", program)
        allowed = {ref.get("trackedEntityAttribute", {}).get("id")
                   for ref in prog.get("programTrackedEntityAttributes") or []}
        tet = self.meta("trackedEntityTypes", (prog.get("trackedEntityType") or {}).get("id"))
        allowed |= {ref.get("trackedEntityAttribute", {}).get("id")
                    for ref in tet.get("trackedEntityTypeAttributes") or []}
        allowed.discard(None)
        return [r for r in rows if not allowed or r["attribute"] in allowed]

    def enrollment(self, row: dict[str, Any], sel: Selection | None,
                   include_deleted: bool = False) -> dict[str, Any]:
        uid = row["uid"]
        view: dict[str, Any] = {
            "enrollment": uid, "createdAt": row["created"],
            "createdAtClient": row.get("created_client"), "updatedAt": row["updated"],
            "updatedAtClient": row.get("updated_client"), "trackedEntity": row["te"],
            "program": row["program"], "status": row["status"], "orgUnit": row["org_unit"],
            "enrolledAt": row.get("enrolled_at"), "occurredAt": row.get("occurred_at"),
            "followUp": bool(row["follow_up"]), "completedBy": row.get("completed_by"),
            "completedAt": row.get("completed_at"), "deleted": bool(row["deleted"]),
            "storedBy": row.get("stored_by"), "createdBy": self.user(row.get("created_by")),
            "updatedBy": self.user(row.get("updated_by")), "geometry": _geometry(row.get("geometry")),
            # 2.43.1 export/enrollment/EnrollmentMapper (:87); no such column before
            "attributeOptionCombo": row.get("aoc"),
        }
        if wants(sel, "events"):
            child = _child(sel, "events")
            view["events"] = [self.event(e, child, include_deleted)
                              for e in tracker_store.events_of(self.store, uid, include_deleted)
                              if self.visible("event", e)]
        if wants(sel, "relationships"):
            view["relationships"] = self.relationships_of(uid, include_deleted)
        if wants(sel, "attributes") and row["te"]:
            view["attributes"] = [self.attribute(a)
                                  for a in self._te_attributes(row["te"], row["program"])]
        if wants(sel, "notes"):
            view["notes"] = self.notes(row.get("notes"))
        return _drop_nulls(view)

    def event(self, row: dict[str, Any], sel: Selection | None,
              include_deleted: bool = False) -> dict[str, Any]:
        uid = row["uid"]
        enrollment = self.enrollment_row(row["enrollment"]) if row.get("enrollment") else None
        view: dict[str, Any] = {
            "event": uid, "status": row["status"], "program": row["program"],
            "programStage": row["program_stage"], "enrollment": row.get("enrollment"),
            "trackedEntity": (enrollment or {}).get("te"), "orgUnit": row["org_unit"],
        }
        if wants(sel, "relationships"):
            view["relationships"] = self.relationships_of(uid, include_deleted)
        view.update({
            "occurredAt": row.get("occurred_at"), "scheduledAt": row.get("scheduled_at"),
            "storedBy": row.get("stored_by"), "followUp": bool((enrollment or {}).get("follow_up")),
            "deleted": bool(row["deleted"]), "createdAt": row["created"],
            "createdAtClient": row.get("created_client"), "updatedAt": row["updated"],
            "updatedAtClient": row.get("updated_client"),
            "attributeOptionCombo": row.get("aoc"),
            "attributeCategoryOptions": row.get("aco") or None,
            "completedBy": row.get("completed_by"), "completedAt": row.get("completed_at"),
            "geometry": _geometry(row.get("geometry")),
            # export/event/EventMapper: the stored account (uid, username, names, displayName)
            "assignedUser": self.user(row.get("assigned_user")),
            "createdBy": self.user(row.get("created_by")), "updatedBy": self.user(row.get("updated_by")),
        })
        if wants(sel, "dataValues"):
            view["dataValues"] = [self.data_value(v) for v in self.data_values(uid)]
        if wants(sel, "notes"):
            view["notes"] = self.notes(row.get("notes"))
        return _drop_nulls(view)

    # -- relationships ------------------------------------------------------------------------
    def relationships_of(self, uid: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        return [self.relationship(r, None) for r in
                tracker_store.relationships_of(self.store, uid, include_deleted)]

    def _item(self, kind: str, uid: str) -> dict[str, Any]:
        """`RelationshipItem`: the linked object's own view, without nested collections."""
        bare = Selection([])
        row = tracker_store.get(self.store, kind, uid)
        if row is None:
            return {kind: {kind: uid}}
        if kind == "trackedEntity":
            inner = self.tracked_entity(row, bare)
            inner["attributes"] = [self.attribute(a) for a in tracker_store.attribute_values(self.store, uid)]
            inner["enrollments"] = []
            inner["programOwners"] = []
        elif kind == "enrollment":
            inner = self.enrollment(row, bare)
            inner["events"], inner["attributes"] = [], []
            inner["notes"] = self.notes(row.get("notes"))
        else:
            inner = self.event(row, bare)
            inner["dataValues"] = [self.data_value(v) for v in tracker_store.data_values(self.store, uid)]
            inner["notes"] = self.notes(row.get("notes"))
        return {kind: inner}

    def relationship(self, row: dict[str, Any], sel: Selection | None) -> dict[str, Any]:
        rtype = self.meta("relationshipTypes", row["type"])
        return _drop_nulls({
            "relationship": row["uid"], "relationshipName": rtype.get("name"),
            "relationshipType": row["type"], "createdAt": row["created"],
            "createdAtClient": row.get("created_client"), "updatedAt": row["updated"],
            "bidirectional": bool(row["bidirectional"]),
            "from": self._item(row["from_kind"], row["from_uid"]),
            "to": self._item(row["to_kind"], row["to_uid"]),
            "deleted": bool(row["deleted"]),
        })
