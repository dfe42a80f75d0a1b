"""Tracker data tables: tracked entities, enrollments, events, relationships and their values.

Rows mirror what dhis2-core keeps (`trackedentity`, `trackedentityattributevalue`,
`enrollment`, `event` with its `eventdatavalues`, `relationship`, `trackedentityprogramowner`,
`reservedvalue`), reduced to what the Web API shows. Deletion is soft (`deleted` flag,
`SoftDeleteHibernateObjectStore`): a deleted UID stays so it can never be reused (E1114/E1113/
E1082/E4017). Timestamps are server-set strings `yyyy-MM-ddTHH:mm:ss.SSS` (UTC; they compare
lexicographically, which the `updatedAfter`/`updatedBefore` filters rely on).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from scdi.sandbox.core.store import Store

TABLES = """
CREATE TABLE IF NOT EXISTS tracked_entities (
    uid TEXT PRIMARY KEY, seq INTEGER NOT NULL, tet TEXT NOT NULL, org_unit TEXT NOT NULL,
    created TEXT NOT NULL, updated TEXT NOT NULL, created_client TEXT, updated_client TEXT,
    inactive INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,
    potential_duplicate INTEGER NOT NULL DEFAULT 0, geometry TEXT, stored_by TEXT,
    created_by TEXT, updated_by TEXT
);
CREATE TABLE IF NOT EXISTS te_attribute_values (
    te TEXT NOT NULL, attribute TEXT NOT NULL, value TEXT,
    created TEXT NOT NULL, updated TEXT NOT NULL, stored_by TEXT,
    PRIMARY KEY (te, attribute)
);
-- `seq` is the insertion order: every insert reads MAX(seq) and every export orders by it, so
-- each table with a seq has an index on it (without one both are a scan of the table).
CREATE INDEX IF NOT EXISTS tracked_entities_seq ON tracked_entities (seq);
CREATE INDEX IF NOT EXISTS te_attribute_values_value ON te_attribute_values (attribute, value);
CREATE TABLE IF NOT EXISTS program_owners (
    te TEXT NOT NULL, program TEXT NOT NULL, org_unit TEXT NOT NULL,
    PRIMARY KEY (te, program)
);
CREATE TABLE IF NOT EXISTS enrollments (
    uid TEXT PRIMARY KEY, seq INTEGER NOT NULL, te TEXT, program TEXT NOT NULL,
    org_unit TEXT, status TEXT NOT NULL, enrolled_at TEXT, occurred_at TEXT,
    completed_at TEXT, completed_by TEXT, follow_up INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL, updated TEXT NOT NULL,
    created_client TEXT, updated_client TEXT, geometry TEXT, stored_by TEXT,
    created_by TEXT, updated_by TEXT, notes TEXT NOT NULL DEFAULT '[]', aoc TEXT
);
CREATE INDEX IF NOT EXISTS enrollments_te ON enrollments (te);
CREATE INDEX IF NOT EXISTS enrollments_seq ON enrollments (seq);
CREATE TABLE IF NOT EXISTS events (
    uid TEXT PRIMARY KEY, seq INTEGER NOT NULL, enrollment TEXT, program TEXT NOT NULL,
    program_stage TEXT NOT NULL, org_unit TEXT NOT NULL, status TEXT NOT NULL,
    occurred_at TEXT, scheduled_at TEXT, completed_at TEXT, completed_by TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL, updated TEXT NOT NULL,
    created_client TEXT, updated_client TEXT, aoc TEXT, aco TEXT, geometry TEXT,
    stored_by TEXT, assigned_user TEXT, created_by TEXT, updated_by TEXT,
    notes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS events_enrollment ON events (enrollment, program_stage);
CREATE INDEX IF NOT EXISTS events_seq ON events (seq);
CREATE TABLE IF NOT EXISTS event_data_values (
    event TEXT NOT NULL, data_element TEXT NOT NULL, value TEXT NOT NULL,
    provided_elsewhere INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL,
    updated TEXT NOT NULL, stored_by TEXT, created_by TEXT, updated_by TEXT,
    PRIMARY KEY (event, data_element)
);
CREATE TABLE IF NOT EXISTS relationships (
    uid TEXT PRIMARY KEY, seq INTEGER NOT NULL, type TEXT NOT NULL,
    from_kind TEXT NOT NULL, from_uid TEXT NOT NULL, to_kind TEXT NOT NULL,
    to_uid TEXT NOT NULL, rel_key TEXT NOT NULL, inverse_key TEXT NOT NULL,
    bidirectional INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL, updated TEXT NOT NULL, created_client TEXT
);
CREATE INDEX IF NOT EXISTS relationships_from ON relationships (from_uid);
CREATE INDEX IF NOT EXISTS relationships_seq ON relationships (seq);
CREATE INDEX IF NOT EXISTS relationships_to ON relationships (to_uid);
CREATE TABLE IF NOT EXISTS change_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, uid TEXT NOT NULL,
    target TEXT NOT NULL, name TEXT NOT NULL, previous_value TEXT, current_value TEXT,
    type TEXT NOT NULL, created TEXT NOT NULL, created_by TEXT
);
CREATE INDEX IF NOT EXISTS change_logs_uid ON change_logs (kind, uid);
CREATE TABLE IF NOT EXISTS reserved_values (
    owner_uid TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    created TEXT NOT NULL, expiry TEXT NOT NULL,
    PRIMARY KEY (owner_uid, value)
);
CREATE TABLE IF NOT EXISTS reserved_sequences (
    owner_uid TEXT NOT NULL, key TEXT NOT NULL, next_value INTEGER NOT NULL,
    PRIMARY KEY (owner_uid, key)
);
"""

# The kinds a relationship item can point at, as DHIS2 names them in `RelationshipItem`.
KINDS = ("trackedEntity", "enrollment", "event")
_TABLE = {"trackedEntity": "tracked_entities", "enrollment": "enrollments", "event": "events"}


# (second, its "yyyy-MM-ddTHH:mm:ss." text): an import stamps every value and change log, and
# formatting the whole date each time was a visible share of it. One tuple, replaced whole, so
# threads never see a second with another second's text.
_SECOND: tuple[int, str] = (-1, "")


def now() -> str:
    """Server time as DHIS2 prints it (`DateUtils.toIso8601NoTz`: millis, no offset)."""
    global _SECOND
    second, nanos = divmod(time.time_ns(), 1_000_000_000)
    cached = _SECOND
    if cached[0] != second:
        cached = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S."))
        _SECOND = cached
    return f"{cached[1]}{nanos // 1_000_000:03d}"


def _row(row: Any) -> dict[str, Any] | None:
    return dict(row) if row is not None else None


def _next_seq(store: Store, table: str) -> int:
    row = store.conn.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}").fetchone()  # noqa: S608
    return int(row[0])


# -- reads -------------------------------------------------------------------------------
def get(store: Store, kind: str, uid: str) -> dict[str, Any] | None:
    """One tracked entity / enrollment / event row, deleted or not."""
    with store.lock:
        return _row(store.conn.execute(
            f"SELECT * FROM {_TABLE[kind]} WHERE uid=?", (uid,)).fetchone())  # noqa: S608


def get_relationship(store: Store, uid: str) -> dict[str, Any] | None:
    with store.lock:
        return _row(store.conn.execute(
            "SELECT * FROM relationships WHERE uid=?", (uid,)).fetchone())


def attribute_values(store: Store, te: str) -> list[dict[str, Any]]:
    with store.lock:
        rows = store.conn.execute(
            "SELECT * FROM te_attribute_values WHERE te=? ORDER BY created, attribute",
            (te,)).fetchall()
    return [dict(r) for r in rows]


def data_values(store: Store, event: str) -> list[dict[str, Any]]:
    with store.lock:
        rows = store.conn.execute(
            "SELECT * FROM event_data_values WHERE event=? ORDER BY created, data_element",
            (event,)).fetchall()
    return [dict(r) for r in rows]


def enrollments_of(store: Store, te: str, include_deleted: bool = False) -> list[dict[str, Any]]:
    live = "" if include_deleted else " AND deleted=0"
    with store.lock:
        rows = store.conn.execute(
            f"SELECT * FROM enrollments WHERE te=?{live} ORDER BY seq", (te,)).fetchall()  # noqa: S608
    return [dict(r) for r in rows]


def events_of(store: Store, enrollment: str, include_deleted: bool = False) -> list[dict[str, Any]]:
    live = "" if include_deleted else " AND deleted=0"
    with store.lock:
        rows = store.conn.execute(
            f"SELECT * FROM events WHERE enrollment=?{live} ORDER BY seq", (enrollment,)).fetchall()  # noqa: S608
    return [dict(r) for r in rows]


def relationships_of(store: Store, uid: str, include_deleted: bool = False) -> list[dict[str, Any]]:
    sql = "SELECT * FROM relationships WHERE (from_uid=? OR to_uid=?)"
    sql += "" if include_deleted else " AND deleted=0"
    with store.lock:
        return [dict(r) for r in store.conn.execute(sql + " ORDER BY seq", (uid, uid)).fetchall()]


def stage_has_event(store: Store, enrollment: str, stage: str) -> bool:
    """`TrackerPreheat#hasProgramStageWithEvents`: a non-deleted event exists for the pair.

    `preheat/supplier/EventProgramStageMapSupplier`'s query leaves SKIPPED events out, so a
    skipped visit does not use up a non-repeatable stage."""
    with store.lock:
        return store.conn.execute(
            "SELECT 1 FROM events WHERE enrollment=? AND program_stage=? AND deleted=0"
            " AND status != 'SKIPPED' LIMIT 1",
            (enrollment, stage)).fetchone() is not None


def owner_of(store: Store, te: str, program: str) -> str | None:
    with store.lock:
        row = store.conn.execute(
            "SELECT org_unit FROM program_owners WHERE te=? AND program=?", (te, program)).fetchone()
    return row[0] if row else None


def unique_value_holders(store: Store, attribute: str, value: str) -> list[dict[str, Any]]:
    """(te, org unit) of every stored tracked entity holding this attribute value.

    Values of deleted tracked entities are removed on delete
    (`DefaultTrackerObjectsDeletionService#deleteTrackedEntities`), so they never conflict.
    """
    with store.lock:
        rows = store.conn.execute(
            "SELECT v.te AS te, t.org_unit AS org_unit FROM te_attribute_values v "
            "JOIN tracked_entities t ON t.uid = v.te WHERE v.attribute=? AND v.value=?",
            (attribute, value)).fetchall()
    return [dict(r) for r in rows]


def relationship_key_exists(store: Store, key: str, inverse_key: str | None) -> bool:
    """`DuplicateRelationshipSupplier`: a live relationship with the same (or inverse) key."""
    with store.lock:
        row = store.conn.execute(
            "SELECT 1 FROM relationships WHERE deleted=0 AND (rel_key=? OR "
            "(bidirectional=1 AND rel_key=?)) LIMIT 1", (key, inverse_key or key)).fetchone()
    return row is not None


def add_change_log(store: Store, kind: str, uid: str, target: str, name: str,
                   previous: str | None, current: str | None, user_info: str | None,
                   change_type: str | None = None) -> None:
    """One change log entry (`ChangeLogAccumulator#add…ChangeLog`): CREATE when there was no
    value, DELETE when there is none now, UPDATE otherwise; nothing when the value is the same.
    `target` is `attribute` (tracked entity), `dataElement` or `field` (event). A `change_type`
    given is the persister's own (an attribute value row that exists or not, whatever its
    value: a null value saved on 2.41.9 / 2.42.5), logged whatever the values."""
    previous = previous if previous not in ("", None) else None
    current = current if current not in ("", None) else None
    if change_type is None and previous == current:
        return
    change_type = change_type or (
        "CREATE" if previous is None else "DELETE" if current is None else "UPDATE")
    store.conn.execute(
        "INSERT INTO change_logs (kind, uid, target, name, previous_value, current_value, type, "
        "created, created_by) VALUES (?,?,?,?,?,?,?,?,?)",
        (kind, uid, target, name, previous, current, change_type, now(), user_info))


def change_logs(store: Store, kind: str, uid: str) -> list[dict[str, Any]]:
    """Newest first (`HibernateEventChangeLogStore.DEFAULT_ORDER`: created desc)."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT * FROM change_logs WHERE kind=? AND uid=? ORDER BY created DESC, seq DESC",
            (kind, uid)).fetchall()
    return [dict(r) for r in rows]


def note_exists(store: Store, note_uid: str) -> bool:
    pattern = f'%"note": "{note_uid}"%'
    with store.lock:
        for table in ("enrollments", "events"):
            if store.conn.execute(
                    f"SELECT 1 FROM {table} WHERE notes LIKE ? LIMIT 1", (pattern,)  # noqa: S608
            ).fetchone():
                return True
    return False


def default_enrollment(store: Store, program: str, program_created: str | None = None) -> str:
    """The one hidden enrollment every event program has (`Program#isWithoutRegistration`).

    DHIS2 creates it with the program; events of event programs point at it
    (`EventWithoutRegistrationPreProcessor`). It has no tracked entity and is never exported.
    `ProgramObjectBundleHook#addProgramInstance` (2.41.9 :125-136, 2.42.5 :140-153, run by
    `#postCreate`) gives it an enrollment and an occurred date of that moment, which the event
    export's `enrollmentEnrolled…`/`enrollmentOccurred…` bounds compare; the row is made here at
    the program's first event, so it takes the program's `created` stamp (the same import).
    """
    with store.lock:
        row = store.conn.execute(
            "SELECT uid FROM enrollments WHERE program=? AND te IS NULL LIMIT 1",
            (program,)).fetchone()
        if row:
            return str(row[0])
        uid = "E" + program[1:]
        stamp = now()
        dated = program_created or stamp
        store.conn.execute(
            "INSERT INTO enrollments (uid, seq, te, program, status, enrolled_at, occurred_at, "
            "created, updated) VALUES (?,?,?,?,?,?,?,?,?)",
            (uid, _next_seq(store, "enrollments"), None, program, "ACTIVE", dated, dated,
             stamp, stamp))
        return uid


# -- writes ------------------------------------------------------------------------------
def _upsert(store: Store, table: str, uid: str, values: dict[str, Any],
            exists: bool | None = None) -> bool:
    """Insert or update one row; True when it was created. `exists`: whether the row is
    stored, when the caller has just read it (else it is looked up)."""
    if exists is None:
        exists = store.conn.execute(
            f"SELECT 1 FROM {table} WHERE uid=?", (uid,)).fetchone() is not None  # noqa: S608
    if exists:
        cols = ", ".join(f"{k}=?" for k in values)
        store.conn.execute(f"UPDATE {table} SET {cols} WHERE uid=?",  # noqa: S608
                           (*values.values(), uid))
        return False
    values = {"uid": uid, "seq": _next_seq(store, table), **values}
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    store.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})",  # noqa: S608
                       tuple(values.values()))
    return True


def save_tracked_entity(store: Store, uid: str, values: dict[str, Any], exists: bool | None = None) -> bool:
    return _upsert(store, "tracked_entities", uid, values, exists)


def save_enrollment(store: Store, uid: str, values: dict[str, Any], exists: bool | None = None) -> bool:
    return _upsert(store, "enrollments", uid, values, exists)


def save_event(store: Store, uid: str, values: dict[str, Any], exists: bool | None = None) -> bool:
    return _upsert(store, "events", uid, values, exists)


def save_relationship(store: Store, uid: str, values: dict[str, Any], exists: bool | None = None) -> bool:
    return _upsert(store, "relationships", uid, values, exists)


def set_attribute_value(
    store: Store, te: str, attribute: str, value: str | None, stored_by: str | None,
    keep_null: bool = False,
) -> None:
    """Write one attribute value; `None` deletes it (`AbstractTrackerPersister#handleTrackedEntityAttributeValues`)
    unless `keep_null`: a new value without one, which 2.41.9 and 2.42.5 persist with a null
    value (`Release.tracker_new_null_attribute_saved`)."""
    if value is None and not keep_null:
        store.conn.execute(
            "DELETE FROM te_attribute_values WHERE te=? AND attribute=?", (te, attribute))
        return
    stamp = now()
    store.conn.execute(
        "INSERT INTO te_attribute_values (te, attribute, value, created, updated, stored_by) "
        "VALUES (?,?,?,?,?,?) ON CONFLICT(te, attribute) DO UPDATE SET value=excluded.value, "
        "updated=excluded.updated, stored_by=excluded.stored_by",
        (te, attribute, value, stamp, stamp, stored_by))


def set_data_value(
    store: Store, event: str, data_element: str, value: str | None,
    provided_elsewhere: bool, stored_by: str | None, user_info: str | None,
    updated: str | None = None,
) -> None:
    """Write one event data value; `None` deletes it (`EventPersister#updateDataValues`).
    `updated` is its lastUpdated (now without one); without `user_info` a new value has no
    createdBy/updatedBy and a changed one keeps its updatedBy (2.41.9)."""
    if value is None:
        store.conn.execute(
            "DELETE FROM event_data_values WHERE event=? AND data_element=?",
            (event, data_element))
        return
    stamp = now()
    store.conn.execute(
        "INSERT INTO event_data_values (event, data_element, value, provided_elsewhere, "
        "created, updated, stored_by, created_by, updated_by) VALUES (?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(event, data_element) DO UPDATE SET value=excluded.value, "
        "provided_elsewhere=excluded.provided_elsewhere, updated=excluded.updated, "
        "stored_by=excluded.stored_by, updated_by=COALESCE(excluded.updated_by, updated_by)",
        (event, data_element, value, int(provided_elsewhere), stamp, updated or stamp, stored_by,
         user_info, user_info))


def set_owner_if_missing(store: Store, te: str, program: str, org_unit: str) -> None:
    """`EnrollmentPersister#persistOwnership`: the first enrollment's org unit owns the TE."""
    store.conn.execute(
        "INSERT OR IGNORE INTO program_owners (te, program, org_unit) VALUES (?,?,?)",
        (te, program, org_unit))


def touch(store: Store, kind: str, uid: str, user_info: str | None = None) -> None:
    """Bump `updatedAt` (`DefaultTrackerBundleService#updateTrackedEntitiesLastUpdated`)."""
    store.conn.execute(
        f"UPDATE {_TABLE[kind]} SET updated=?, updated_by=COALESCE(?, updated_by) "  # noqa: S608
        "WHERE uid=?", (now(), user_info, uid))


def append_notes(store: Store, kind: str, uid: str, notes: list[dict[str, Any]]) -> None:
    if not notes:
        return
    row = store.conn.execute(
        f"SELECT notes FROM {_TABLE[kind]} WHERE uid=?", (uid,)).fetchone()  # noqa: S608
    existing = json.loads(row[0]) if row else []
    store.conn.execute(f"UPDATE {_TABLE[kind]} SET notes=? WHERE uid=?",  # noqa: S608
                       (json.dumps(existing + notes, ensure_ascii=False), uid))


# -- soft delete (DefaultTrackerObjectsDeletionService) ----------------------------------
def delete_relationship(store: Store, uid: str, user_info: str | None) -> None:
    rel = get_relationship(store, uid)
    if rel is None:
        return
    store.conn.execute("UPDATE relationships SET deleted=1, updated=? WHERE uid=?", (now(), uid))
    if rel["from_kind"] == "trackedEntity":
        touch(store, "trackedEntity", rel["from_uid"], user_info)


def _delete_relationships_of(store: Store, uid: str, user_info: str | None) -> None:
    for rel in relationships_of(store, uid):
        delete_relationship(store, rel["uid"], user_info)


def delete_event(store: Store, uid: str, user_info: str | None) -> None:
    event = get(store, "event", uid)
    if event is None:
        return
    _delete_relationships_of(store, uid, user_info)
    store.conn.execute("UPDATE events SET deleted=1, updated=?, updated_by=COALESCE(?, updated_by) "
                       "WHERE uid=?", (now(), user_info, uid))
    enrollment = get(store, "enrollment", event["enrollment"]) if event["enrollment"] else None
    if enrollment and enrollment["te"]:
        touch(store, "enrollment", enrollment["uid"], user_info)
        touch(store, "trackedEntity", enrollment["te"], user_info)


def delete_enrollment(store: Store, uid: str, user_info: str | None) -> None:
    enrollment = get(store, "enrollment", uid)
    if enrollment is None:
        return
    for event in events_of(store, uid):
        delete_event(store, event["uid"], user_info)
    _delete_relationships_of(store, uid, user_info)
    # the status is CANCELLED before the soft delete: 2.41.9 DefaultEnrollmentService
    # #deleteEnrollment (:104-108), 2.42.5 tracker/export/enrollment/HibernateEnrollmentStore
    # #delete (:299-303), 2.43.1 tracker/imports/hibernate/HibernateEnrollmentStore#delete (:57-61)
    store.conn.execute("UPDATE enrollments SET deleted=1, status='CANCELLED', updated=?, "
                       "updated_by=COALESCE(?, updated_by) WHERE uid=?", (now(), user_info, uid))
    if enrollment["te"]:
        touch(store, "trackedEntity", enrollment["te"], user_info)


def delete_tracked_entity(store: Store, uid: str, user_info: str | None) -> None:
    for enrollment in enrollments_of(store, uid):
        delete_enrollment(store, enrollment["uid"], user_info)
    _delete_relationships_of(store, uid, user_info)
    store.conn.execute("DELETE FROM te_attribute_values WHERE te=?", (uid,))
    store.conn.execute("UPDATE tracked_entities SET deleted=1, updated=?, "
                       "updated_by=COALESCE(?, updated_by) WHERE uid=?", (now(), user_info, uid))
