"""`TrackerAccessManager`: whether a user may write or read stored tracked entities,
enrollments and events, for the tracked entity and relationship SecurityOwnershipValidators.

Tracked entities (`validator/trackedentity/SecurityOwnershipValidator.java`): 2.41.9/2.42.5
`canWrite(user, TrackedEntity)` decides E1003 on UPDATE and DELETE; 2.43.1 reports the codes of
`canCreate` (E1000 capture scope, E1001 type data write), `canUpdate` (E1001, E1323 no
data-readable program of the type, E1324 no ownership access in any) and `canDelete` (E1000 on
the stored org unit, then `canUpdate`'s).

Relationships: dhis2-core `validator/relationship/SecurityOwnershipValidator.java` asks
`tracker/acl/DefaultTrackerAccessManager.java` (2.41.9 `trackedentity/…`, 2.42.5, 2.43.1
`dhis-tracker/…`):

- CREATE: `canWrite(user, relationship)` (2.43.1 `canCreate`) of the relationship mapped by
  `TrackerObjectsMapper#map`, whose ends are the *stored* objects only (`preheat.get…`): an end
  created in the same payload is null and passes;
- DELETE: `canDelete(user, stored relationship)`;
- both: data write on the relationship type; the `from` end written (tracked entity
  `canWrite`, 2.43.1 `canUpdate`; enrollment and event `canUpdate`, 2.43.1 a single event
  `canCreate`); the `to` end written too when the type is bidirectional, otherwise read on
  CREATE and not looked at on DELETE;
- a tracked entity is written through data write on its type and one registration program of
  that type (2.43.1: among those with data read) with data write and ownership access; read
  through data read on its type and ownership access in one data-readable program of the type;
- enrollments: data write (read) on the program, data read on the type, ownership access;
- events: program stage data write, program data read, type data read, the org unit in the
  search scope, ownership access, category options data write (read: data read on program,
  stage and type, ownership, category options data read); an event of a program without
  registration: data write on the program (read: data read and `canAccess` of its org unit)
  and its category options;
- ownership: `DefaultTrackerOwnershipManager#hasAccess` (the program owner, else the tracked
  entity's org unit), `access/scope.py#owner_access`; superusers pass everything.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.access.acl import can_data_read, can_data_write
from scdi.sandbox.access.scope import can_capture, can_search, owner_access
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.preheat import ref_id
from scdi.sandbox.tracker.temp_owners import has_temporary

End = tuple[str, str] | None  # (kind, uid) of a relationship item


def may_create(b: Any, rtype: dict[str, Any] | None, ends: tuple[End, End]) -> bool:
    return _may(b, rtype, ends, to_when_one_way="read")


def may_delete(b: Any, rtype: dict[str, Any] | None, ends: tuple[End, End]) -> bool:
    return _may(b, rtype, ends, to_when_one_way=None)


def _may(b: Any, rtype: dict[str, Any] | None, ends: tuple[End, End],
         to_when_one_way: str | None) -> bool:
    if b.user.superuser:
        return True
    if not can_data_write(b.user, rtype):
        return False
    frm, to = ends
    if frm and not _end(b, *frm, write=True):
        return False
    if not to:
        return True
    if (rtype or {}).get("bidirectional"):
        return _end(b, *to, write=True)
    return to_when_one_way is None or _end(b, *to, write=False)


def _end(b: Any, kind: str, uid: str, write: bool) -> bool:
    row = tracker_store.get(b.store, kind, uid)
    if row is None:  # not in the preheat: created by this payload, or unknown
        return True
    if kind == "trackedEntity":
        return _tracked_entity(b, row, write)
    program = b.preheat.by_uid("programs", row["program"]) or {}
    if kind == "enrollment":
        return _enrollment(b, row, program, write)
    return _event(b, row, program, write)


def _tet_of(b: Any, program: dict[str, Any]) -> dict[str, Any] | None:
    tet: dict[str, Any] | None = b.preheat.by_uid(
        "trackedEntityTypes", ref_id(program.get("trackedEntityType")))
    return tet


def _has_access(b: Any, te_uid: str | None, program: dict[str, Any]) -> bool:
    """`DefaultTrackerOwnershipManager#hasAccess`: no tracked entity passes, as does whatever
    `#canSkipOwnershipCheck` skips (`access/scope.py#owner_access`)."""
    if not te_uid:
        return True
    owner = tracker_store.owner_of(b.store, te_uid, program.get("id", ""))
    if owner is None:
        te = tracker_store.get(b.store, "trackedEntity", te_uid)
        owner = te["org_unit"] if te else None
    unit = b.preheat.by_uid("organisationUnits", owner)
    temporary = has_temporary(b.store, te_uid, program.get("id", ""), b.user.uid)
    return owner_access(b.preheat, b.user, program, unit, temporary,
                        effective=b.search_scope_adds_capture_units)


def _programs_of_type(b: Any, tet_uid: str, readable: bool) -> list[dict[str, Any]]:
    """Registration programs of the type (2.43.1 `TrackerProgramService#
    getTrackerProgramsWithDataReadAccess` when `readable`)."""
    return [p for p in b.store.list_objects("programs")
            if is_registration(p) and ref_id(p.get("trackedEntityType")) == tet_uid
            and (not readable or can_data_read(b.user, p))]


def _tracked_entity(b: Any, row: dict[str, Any], write: bool) -> bool:
    tet = b.preheat.by_uid("trackedEntityTypes", row["tet"])
    if not (can_data_write(b.user, tet) if write else can_data_read(b.user, tet)):
        return False
    # 2.43.1 canUpdate reads the data-readable programs only, as every canRead does.
    programs = _programs_of_type(b, row["tet"], not write or b.security_split)
    if write:
        return any(can_data_write(b.user, p) and _has_access(b, row["uid"], p) for p in programs)
    return any(_has_access(b, row["uid"], p) for p in programs)


def can_write_tracked_entity(b: Any, row: dict[str, Any]) -> bool:
    """2.41.9/2.42.5 `canWrite(user, TrackedEntity)`."""
    return bool(b.user.superuser) or _tracked_entity(b, row, write=True)


def tracked_entity_update_codes(b: Any, row: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """2.43.1 `canUpdate(user, TrackedEntity)`: (code, args after the user uid)."""
    if b.user.superuser:
        return []
    out: list[tuple[str, list[str]]] = []
    tet = b.preheat.by_uid("trackedEntityTypes", row["tet"])
    if not can_data_write(b.user, tet):
        out.append(("E1001", [row["tet"]]))
    programs = _programs_of_type(b, row["tet"], readable=True)
    if not programs:
        out.append(("E1323", [row["tet"]]))
    elif not any(can_data_write(b.user, p) and _has_access(b, row["uid"], p) for p in programs):
        out.append(("E1324", [row["uid"]]))
    return out


def _enrollment(b: Any, row: dict[str, Any], program: dict[str, Any], write: bool) -> bool:
    if not (can_data_write(b.user, program) if write else can_data_read(b.user, program)):
        return False
    if not is_registration(program):
        # 2.41.9/2.42.5 the hidden enrollment of an event program: its org unit
        unit = b.preheat.by_uid("organisationUnits", row["org_unit"])
        return unit is None or (can_capture(b.preheat, b.user, unit) if write
                                else _can_access(b, program, unit))
    return can_data_read(b.user, _tet_of(b, program)) and _has_access(b, row["te"], program)


def _event(b: Any, row: dict[str, Any], program: dict[str, Any], write: bool) -> bool:
    stage = b.preheat.by_uid("programStages", row["program_stage"])
    unit = b.preheat.by_uid("organisationUnits", row["org_unit"])
    if not is_registration(program):
        if write:
            ok = can_data_write(b.user, program)
        else:
            ok = can_data_read(b.user, program) and _can_access(b, program, unit)
        return ok and _category_options(b, row, write)
    te_uid = None
    if row["enrollment"]:
        enrollment = tracker_store.get(b.store, "enrollment", row["enrollment"])
        te_uid = enrollment["te"] if enrollment else None
    tet = _tet_of(b, program)
    if write:
        ok = (can_data_write(b.user, stage) and can_data_read(b.user, program)
              and can_data_read(b.user, tet)
              and (unit is None or can_search(b.preheat, b.user, unit,
                                                        effective=b.search_scope_adds_capture_units)))
    else:
        ok = can_data_read(b.user, program) and can_data_read(b.user, stage) and \
            can_data_read(b.user, tet)
    return ok and _has_access(b, te_uid, program) and _category_options(b, row, write)


def _can_access(b: Any, program: dict[str, Any], unit: dict[str, Any] | None) -> bool:
    """`DefaultTrackerAccessManager#canAccess`: capture scope for CLOSED/PROTECTED programs."""
    if unit is None:
        return False
    if (program.get("accessLevel") or "OPEN").upper() in ("CLOSED", "PROTECTED"):
        return can_capture(b.preheat, b.user, unit)
    return can_search(b.preheat, b.user, unit, effective=b.search_scope_adds_capture_units)


def combo_options(preheat: Any, combo: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The stored category options of an attribute option combo."""
    options = (preheat.by_uid("categoryOptions", ref_id(ref))
               for ref in (combo or {}).get("categoryOptions") or [])
    return [o for o in options if o is not None]


def _category_options(b: Any, row: dict[str, Any], write: bool) -> bool:
    """`canWrite`/`canRead(user, CategoryOptionCombo)`: every option of the event's combo."""
    combo = b.preheat.by_uid("categoryOptionCombos", row.get("aoc"))
    check = can_data_write if write else can_data_read
    return all(check(b.user, option) for option in combo_options(b.preheat, combo))
