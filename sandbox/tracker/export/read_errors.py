"""2.41.9 `trackedentity/DefaultTrackerAccessManager#canRead` of one stored enrollment or event:
the errors a single read turns into its 403.

2.41.9 `tracker/export/enrollment/DefaultEnrollmentService#getEnrollment` (:80-96) and
`tracker/export/event/DefaultEventService#getEvent` (:137-151) look the record up by uid and
then throw `ForbiddenException(errors.toString())` (E1006, the list as Java prints it) when
`canRead(user, enrollment, false)` (:291-324) or `canRead(user, event, false)` (:432-477)
reports anything; 2.42.5/2.43.1 read through the access-filtered export and answer 404
(`Release.tracker_invisible_entity_status`).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.access.acl import can_data_read
from scdi.sandbox.access.scope import can_capture, in_search_hierarchy, owner_access
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.preheat import Preheat, ref_id
from scdi.sandbox.tracker.temp_owners import has_temporary

OWNERSHIP_ACCESS_DENIED = "OWNERSHIP_ACCESS_DENIED"
NO_READ_ACCESS_TO_ORG_UNIT = "User has no read access to organisation unit"


def as_java_list(errors: list[str]) -> str:
    return f"[{', '.join(errors)}]"


def _has_access(ctx: Ctx, p: Preheat, te_uid: str | None, program: dict[str, Any]) -> bool:
    """2.41.9 `DefaultTrackerOwnershipManager#hasAccess` (:329-344): the program owner, else
    the tracked entity's registering org unit (not the enrollment's)."""
    if not te_uid:
        return True
    owner = tracker_store.owner_of(ctx.store, te_uid, program["id"])
    if owner is None:
        te = tracker_store.get(ctx.store, "trackedEntity", te_uid)
        owner = te["org_unit"] if te else None
    unit = p.by_uid("organisationUnits", owner) if owner else None
    temporary = has_temporary(ctx.store, te_uid, program["id"], ctx.user.uid)
    return owner_access(p, ctx.user, program, unit, temporary,
                        effective=ctx.release.tracker_search_scope_adds_capture_units)


def _can_access(ctx: Ctx, p: Preheat, program: dict[str, Any], unit: dict[str, Any] | None) -> bool:
    """`#canAccess` (:783-797): the capture scope for CLOSED/PROTECTED programs, else the
    search hierarchy (`isInUserSearchHierarchy`, the capture units when there are no search
    units)."""
    if unit is None:
        return False
    if (program.get("accessLevel") or "OPEN").upper() in ("CLOSED", "PROTECTED"):
        return can_capture(p, ctx.user, unit)
    return in_search_hierarchy(p, ctx.user, unit)


def _tet_errors(ctx: Ctx, p: Preheat, program: dict[str, Any]) -> list[str]:
    tet_uid = ref_id(program.get("trackedEntityType"))
    if can_data_read(ctx.user, p.by_uid("trackedEntityTypes", tet_uid)):
        return []
    return [f"User has no data read access to tracked entity type: {tet_uid}"]


def enrollment_errors(ctx: Ctx, p: Preheat, row: dict[str, Any]) -> list[str]:
    """`canRead(user, Enrollment, false)`. An event program's enrollment takes the else-branch
    (:314-321), the org unit's `#canAccess`; the one such enrollment, which
    `ProgramObjectBundleHook#addProgramInstance` (:125-136) makes without an org unit, so it
    adds nothing."""
    program = p.by_uid("programs", row["program"])
    if ctx.user.superuser or program is None:
        return []
    errors = []
    if not can_data_read(ctx.user, program):
        errors.append(f"User has no data read access to program: {program['id']}")
    if not is_registration(program):
        unit = p.by_uid("organisationUnits", row["org_unit"]) if row.get("org_unit") else None
        if unit is not None and not _can_access(ctx, p, program, unit):
            errors.append(f"{NO_READ_ACCESS_TO_ORG_UNIT}: {unit['id']}")
        return errors
    errors += _tet_errors(ctx, p, program)
    if not _has_access(ctx, p, row["te"], program):
        errors.append(OWNERSHIP_ACCESS_DENIED)
    return errors


def event_errors(ctx: Ctx, p: Preheat, row: dict[str, Any]) -> list[str]:
    """`canRead(user, Event, false)`, then `#canRead(user, CategoryOptionCombo)` (:751-764)
    of the event's attribute option combo."""
    program = p.by_uid("programs", row["program"])
    if ctx.user.superuser or program is None:
        return []
    errors = []
    if not can_data_read(ctx.user, program):
        errors.append(f"User has no data read access to program: {program['id']}")
    if is_registration(program):
        if not can_data_read(ctx.user, p.by_uid("programStages", row["program_stage"])):
            errors.append(f"User has no data read access to program stage: {row['program_stage']}")
        errors += _tet_errors(ctx, p, program)
        enrollment = tracker_store.get(ctx.store, "enrollment", row["enrollment"] or "")
        if not _has_access(ctx, p, enrollment["te"] if enrollment else None, program):
            errors.append(OWNERSHIP_ACCESS_DENIED)
    elif not _can_access(ctx, p, program, p.by_uid("organisationUnits", row["org_unit"])):
        errors.append(f"{NO_READ_ACCESS_TO_ORG_UNIT}: {row['org_unit']}")
    combo = p.by_uid("categoryOptionCombos", row.get("aoc"))
    for ref in (combo or {}).get("categoryOptions") or []:
        option = p.by_uid("categoryOptions", ref_id(ref))
        if option is not None and not can_data_read(ctx.user, option):
            errors.append(f"User has no read access to category option: {option['id']}")
    return errors
