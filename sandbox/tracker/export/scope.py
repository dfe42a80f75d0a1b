"""Which tracker rows a request may see: the org unit mode and the user's access.

- `orgUnitMode`: `webapi/controller/tracker/RequestParamsValidator.java#validateOrgUnitMode`
  (default SELECTED with org units, ACCESSIBLE without; ACCESSIBLE/CAPTURE/ALL with org units
  and SELECTED/CHILDREN/DESCENDANTS without are 400); requested org units must exist (400
  "Organisation unit does not exist: <uid>", for events "Org unit is specified but does not
  exist: <uid>" at 2.41.9 and "Organisation unit is specified …" from 2.42.5:
  `Release.tracker_event_unknown_org_unit`) and lie in the user's search scope, per release
  (`access/scope.py#can_search`): tracked entities and enrollments
  `OperationsParamsValidator#validateOrgUnits` ("… the search scope", superusers pass;
  2.41.9 :256-276, 2.42.5 :254-273, 2.43.1 :268-287), events
  `EventOperationParamsMapper#validateRequestedOrgUnit` ("… your search scope", no superuser
  bypass; 2.41.9 :196-213, 2.42.5 :203-220, 2.43.1 `TrackerEventOperationParamsMapper`
  :203-220 and `SingleEventOperationParamsMapper` :142-144).
- visibility: org unit scope (`orgUnitMode`; ACCESSIBLE = search scope, CAPTURE = capture
  scope, owner org unit for tracked entities of a program), the program's access level for
  every program type (the export queries do not skip event programs), program / TE type data
  read sharing (`tracker/export/trackedentity/DefaultTrackedEntityService.java` 2.41.9 /
  2.42.5). Events take capture ∪ search units at every release: 2.41.9's
  `JdbcEventStore#getSearchAndCaptureScopeOrgUnitPathMatchQuery` (:1279-1298) already did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scdi.sandbox.access.acl import can_data_read, can_read
from scdi.sandbox.access.scope import access_level_allows, can_capture, can_search, in_scope
from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export.bean_binding import ORG_UNIT_MODES, enum_value
from scdi.sandbox.tracker.export.query import bad, uid_set_values
from scdi.sandbox.tracker.preheat import Preheat, ref_id
from scdi.sandbox.tracker.temp_owners import has_temporary

MODES = ORG_UNIT_MODES


# -- org unit scope -----------------------------------------------------------------------------
@dataclass
class OrgUnitScope:
    ctx: Ctx
    preheat: Preheat
    mode: str
    units: list[dict[str, Any]]

    @classmethod
    def accessible(cls, ctx: Ctx, p: Preheat) -> OrgUnitScope:
        return cls(ctx, p, "ACCESSIBLE", [])

    @classmethod
    def from_request(cls, ctx: Ctx, p: Preheat, kind: str, extra_ok: bool = False) -> OrgUnitScope:
        uids = requested_org_units(ctx, kind)
        mode = checked_mode(ctx, kind, bound_mode(ctx), uids, extra_ok)
        return cls.resolve(ctx, p, kind, mode, uids)

    @classmethod
    def resolve(cls, ctx: Ctx, p: Preheat, kind: str, mode: str, uids: list[str],
                program: dict[str, Any] | None = None) -> OrgUnitScope:
        """The service's part: the requested org units' existence and search scope
        (`OperationsParamsValidator#validateOrgUnits`, the events' `#validateRequestedOrgUnit`),
        then the mode's (`#validateOrgUnitMode`, `check_mode`), as every export's operation
        params mapper calls them."""
        release = ctx.release
        units = []
        for uid in uids:
            unit = p.by_uid("organisationUnits", uid)
            if unit is None:
                # OperationsParamsValidator#validateOrgUnits (tracked entities, enrollments)
                # and EventOperationParamsMapper#validateRequestedOrgUnit word it apart
                prefix = (release.tracker_event_unknown_org_unit if kind == "events"
                          else "Organisation unit does not exist: ")
                raise bad(f"{prefix}{uid}")
            if kind == "events":
                if not can_search(p, ctx.user, unit, effective=release.tracker_search_scope_adds_capture_units):
                    raise webmessage.fail(webmessage.forbidden(
                        f"Organisation unit is not part of your search scope: {uid}"))
            elif not ctx.user.superuser and not can_search(
                    p, ctx.user, unit, effective=release.tracker_search_scope_adds_capture_units):
                raise webmessage.fail(webmessage.forbidden(
                    f"Organisation unit is not part of the search scope: {uid}"))
            units.append(unit)
        check_mode(ctx, mode, program)
        return cls(ctx, p, mode, units)

    def matches(self, org_unit_uid: str | None, program: dict[str, Any] | None, te: str | None = None,
                events: bool = False) -> bool:
        unit = self.preheat.by_uid("organisationUnits", org_unit_uid) if org_unit_uid else None
        if unit is None:
            return False
        user = self.ctx.user
        if self.mode == "ALL":
            return True
        if self.mode == "CAPTURE":
            return can_capture(self.preheat, user, unit)
        effective = events or self.ctx.release.tracker_search_scope_adds_capture_units
        if program is not None:
            temporary = has_temporary(self.ctx.store, te, program["id"], user.uid)
            allowed = access_level_allows(self.preheat, user, program, unit, temporary, effective=effective)
        else:
            allowed = can_search(self.preheat, user, unit, effective=effective)
        if not allowed:
            return False
        if self.mode == "ACCESSIBLE" or (not self.units and self.mode != "SELECTED"):
            return True
        roots = tuple(u["id"] for u in self.units)
        if self.mode == "SELECTED":
            return unit["id"] in roots
        if self.mode == "CHILDREN":
            parent = (unit.get("parent") or {}).get("id")
            return unit["id"] in roots or parent in roots
        return in_scope(self.preheat, unit, roots)


def check_mode(ctx: Ctx, mode: str, program: dict[str, Any] | None) -> None:
    """OperationsParamsValidator#validateOrgUnitMode (2.41.9 :76-119, 2.42.5 :82-116, 2.43.1
    :90-124): ALL needs the search-in-all authority (`tracker_org_unit_mode_all_forbidden`);
    SELECTED, ACCESSIBLE, DESCENDANTS, CHILDREN need capture org units for a closed or
    protected program, else search or capture ones (`#validateUserScope`); CAPTURE needs
    capture ones (`#validateCaptureScope`). No superuser bypass. 2.41.9 refuses with a
    BadRequestException, 2.42.5+ a ForbiddenException (`tracker_no_type_access_status`)."""
    release, user = ctx.release, ctx.user
    if mode == "ALL":
        if not user.has("F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS"):
            if release.tracker_org_unit_mode_all_forbidden:
                raise webmessage.fail(webmessage.forbidden(
                    "User is not authorized to query across all organisation units"))
            raise bad("Current user is not authorized to query across all organisation units")
        return
    if mode == "CAPTURE" or (program is not None
                             and program.get("accessLevel") in ("CLOSED", "PROTECTED")):
        if user.capture_org_units:
            return
        message = "User needs to be assigned data capture org units"
    elif user.capture_org_units or user.search_org_units:
        return
    else:
        message = "User needs to be assigned either search or data capture org units"
    if release.tracker_no_type_access_status == 403:
        raise webmessage.fail(webmessage.forbidden(message))
    raise bad(message)


def requested_org_units(ctx: Ctx, kind: str) -> list[str]:
    """The org unit uids of the request (`orgUnits`, events' `orgUnit`, 2.41's deprecated
    `orgUnit` with `;`)."""
    args = ctx.request.args
    uids = uid_set_values(args.getlist("orgUnits"))
    if kind == "events" and args.get("orgUnit"):
        uids.append(args["orgUnit"])
    elif ctx.release.accepts_deprecated_tracker_aliases and args.get("orgUnit"):
        uids += [u for u in args["orgUnit"].split(";") if u]
    return uids


def bound_mode(ctx: Ctx) -> str | None:
    """`orgUnitMode` (2.41 also `ouMode`) bound to OrganisationUnitSelectionMode by Spring,
    before the controller runs; None when not given."""
    args = ctx.request.args
    # each its own field, each read by CrudControllerAdvice's ConvertEnum (an empty value
    # refused too: "orgUnitMode cannot be empty. …"), `orgUnitMode` first in name order
    mode = enum_value("orgUnitMode", args.get("orgUnitMode"), MODES)
    if ctx.release.accepts_deprecated_tracker_aliases:
        mode = mode or enum_value("ouMode", args.get("ouMode"), MODES)
    return mode


def checked_mode(ctx: Ctx, kind: str, mode: str | None, uids: list[str], extra_ok: bool) -> str:
    """The request mapper's part: `RequestParamsValidator#validateOrgUnitMode` (the default and
    the combinations with org units; `extra_ok`: tracked entities given, which
    `#validateOrgUnitModeForTrackedEntities` lets stand for org units)."""
    mode = mode or ("SELECTED" if uids else "ACCESSIBLE")
    if mode in ("ACCESSIBLE", "CAPTURE", "ALL") and uids:
        raise bad(f"orgUnitMode {mode} cannot be used with orgUnits. Please remove the "
                  "orgUnit parameter and try again.")
    if mode in ("SELECTED", "CHILDREN", "DESCENDANTS") and not uids and not extra_ok:
        if kind == "trackedEntities":
            raise bad(f"At least one org unit or tracked entity is required for orgUnitMode: "
                      f"{mode}. Please add one of the two or use a different orgUnitMode.")
        raise bad(f"At least one org unit is required for orgUnitMode: {mode}. Please "
                  "add one org unit or use a different orgUnitMode.")
    return mode


# -- visibility of rows -------------------------------------------------------------------------
def te_visible(ctx: Ctx, p: Preheat, scope: OrgUnitScope, row: dict[str, Any],
                program: dict[str, Any] | None) -> bool:
    tet = p.by_uid("trackedEntityTypes", row["tet"])
    if not can_data_read(ctx.user, tet):
        return False
    if program is not None:
        owner = tracker_store.owner_of(ctx.store, row["uid"], program["id"]) or row["org_unit"]
        return scope.matches(owner, program, row["uid"])
    return scope.matches(row["org_unit"], None)


def enrollment_readable(ctx: Ctx, p: Preheat, row: dict[str, Any],
                         scope: OrgUnitScope | None = None) -> bool:
    program = p.by_uid("programs", row["program"])
    if program is None or not can_data_read(ctx.user, program):
        return False
    scope = scope or OrgUnitScope.accessible(ctx, p)
    owner = tracker_store.owner_of(ctx.store, row["te"], row["program"]) if row["te"] else None
    return scope.matches(owner or row["org_unit"], program, row["te"])


def event_readable(ctx: Ctx, p: Preheat, row: dict[str, Any], scope: OrgUnitScope | None = None) -> bool:
    program = p.by_uid("programs", row["program"])
    if program is None or not can_data_read(ctx.user, program):
        return False
    stage = p.by_uid("programStages", row["program_stage"])
    if is_registration(program) and not can_data_read(ctx.user, stage):
        return False
    scope = scope or OrgUnitScope.accessible(ctx, p)
    return scope.matches(row["org_unit"], program, events=True)


def type_readable(ctx: Ctx, p: Preheat, row: dict[str, Any], metadata: bool) -> bool:
    """2.42/2.43's single enrollment or event read is an access-filtered export, which keeps
    a record of a registration program only when its tracked entity type is data readable:
    enrollments 2.42.5 `DefaultEnrollmentService#findEnrollments` (:264-268) ->
    `tracker/acl/DefaultTrackerAccessManager#canRead(Enrollment)` (:203-208, data read only);
    2.43.1 `EnrollmentOperationParamsMapper#getTrackerPrograms` (:113) and events 2.42.5
    `EventOperationParamsMapper#getPrograms` (:168-174, `JdbcEventStore` :846-856) / 2.43.1
    `TrackerEventOperationParamsMapper` (:169) take `TrackerProgramService`'s programs
    (2.42.5 `#getAccessiblePrograms` :58-69, 2.43.1 `#getTrackerProgramsWithDataReadAccess`
    :115-125), which also ask metadata read of the type (`metadata`). The 2.41/2.42 lists
    without `program` drop the same records (`routes.py#list_enrollments`/`#list_events`)."""
    program = p.by_uid("programs", row["program"])
    if program is None or not is_registration(program) or ctx.user.superuser:
        return True
    tet = p.by_uid("trackedEntityTypes", ref_id(program.get("trackedEntityType")))
    if metadata and not can_read(ctx.user, "trackedEntityTypes", tet, ctx.release.minor):
        return False
    return can_data_read(ctx.user, tet)


def readable(ctx: Ctx, p: Preheat, kind: str, row: dict[str, Any]) -> bool:
    if kind == "enrollment":
        return enrollment_readable(ctx, p, row)
    if kind == "event":
        return event_readable(ctx, p, row)
    return te_visible(ctx, p, OrgUnitScope.accessible(ctx, p), row, None)


def end_readable(ctx: Ctx, p: Preheat, kind: str, uid: str) -> bool:
    row = tracker_store.get(ctx.store, kind, uid)
    return row is not None and readable(ctx, p, kind, row)
