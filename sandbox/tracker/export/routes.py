"""`GET /api/tracker/trackedEntities|enrollments|events|relationships` (+ `/{uid}`).

dhis2-core sources (`webapi/controller/tracker/` unless noted):
- request checks: `RequestParamsValidator.java` (orgUnitMode combinations, paging=false with
  page/pageSize/totalPages, order), `export/trackedentity/TrackedEntityRequestParamsMapper.java`
  (program/trackedEntityType/trackedEntities), `export/relationship/RelationshipRequestParamsMapper`,
  2.43 `validateMandatoryProgram` ("Program is mandatory") on enrollments and the split event
  endpoints, Spring's missing `@RequestParam UID program` on events; a `program` that is no
  UID is a binding error at every release (`_bound_program`);
- filters: `export/FilterParser.java` (operators, `/` escapes, at most three per attribute);
- default fields: `*RequestParams.DEFAULT_FIELDS_PARAM`;
- envelope: `view/Page.java` (2.41 pager plus deprecated flat fields; 2.42+ pager only with
  absolute prevPage/nextPage links) or `PagingWrapper` (`instances`, 2.40), chosen by the
  release table's `tracker_page_envelope`;
- `updatedAfter`/`updatedBefore` are inclusive, a date-only `…Before` means the end of that
  day (`EndDateTime`); `updatedWithin` (digits and d, h, m or s, `DateUtils#getDuration`) keeps rows
  updated since now minus the duration and excludes `updatedAfter`/`updatedBefore`
  (`*RequestParamsMapper`, see `_UPDATED_WITHIN`); soft-deleted rows only with `includeDeleted=true`;
- `/{uid}` reads no `includeDeleted` at any tag: a soft-deleted object is answered (`deleted:
  true`, its soft-deleted children left out) on 2.41 and 404 from 2.42
  (`Release.tracker_single_read_keeps_deleted`);
- `/{uid}` is bound as `@PathVariable UID uid` by each `*ExportController#get*ByUid` at the
  three tags, so an id that is not a UID is 400 before anything is looked up
  (`Ctx.check_path_uids`);
- visibility (`scope.py`): a single tracked entity the user cannot see answers 404 from 2.42 on,
  403 before (`tracker/export/trackedentity/DefaultTrackedEntityService#getTrackedEntity`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access.acl import can_data_read
from scdi.sandbox.access.scope import in_search_hierarchy
from scdi.sandbox.core import (
    fields,
    java_dates,
    objects,
    spring_params,
    unmapped,
    web_data_binder,
    webmessage,
)
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.durations import DurationOverflow, duration_seconds, java_duration_seconds
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.core.settings import system_value
from scdi.sandbox.core.spring_params import spring_bool
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export import event_order, read_errors
from scdi.sandbox.tracker.export.bean_binding import (
    ASSIGNED_USER_MODES,
    ENROLLMENT_STATUSES,
    EVENT_STATUSES,
    ORG_UNIT_MODES,
    Kind,
    bind_bean,
    enum_value,
    paging_fields,
)
from scdi.sandbox.tracker.export.event_endpoints import (
    EVENT_PROGRAM_UNREAD,
    EVENTS,
    SINGLE_EVENTS,
    TRACKER_EVENTS,
    EventEndpoint,
    program_kind_error,
)
from scdi.sandbox.tracker.export.global_search import check_global_search
from scdi.sandbox.tracker.export.order_criteria import bind_order
from scdi.sandbox.tracker.export.query import (
    Column,
    Filter,
    check_filter_attributes,
    check_filter_data_elements,
    check_page_bounds,
    date_arg,
    order_specs,
    page_params,
    parse_uids,
    parsed_attribute_filters,
    parsed_data_value_filters,
    respond_page,
    sort_rows,
    uid_unbound,
    unbound,
)
from scdi.sandbox.tracker.export.scope import (
    OrgUnitScope,
    bound_mode,
    check_mode,
    checked_mode,
    end_readable,
    enrollment_readable,
    event_readable,
    readable,
    requested_org_units,
    te_visible,
    type_readable,
)
from scdi.sandbox.tracker.export.te_event_filter import assigned_users, assignee, event_test
from scdi.sandbox.tracker.export.views import Views
from scdi.sandbox.tracker.preheat import Preheat, ref_id

DEFAULT_FIELDS = {
    "trackedEntities": "*,!relationships,!enrollments,!events,!programOwners",
    "enrollments": "*,!relationships,!events,!attributes",
    "events": "*,!relationships",
    "relationships": ("relationship,relationshipType,createdAtClient,"
                      "from[trackedEntity[trackedEntity],enrollment[enrollment],event[event]],"
                      "to[trackedEntity[trackedEntity],enrollment[enrollment],event[event]]"),
}


def bad(message: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.bad_request(message))


def _flag(ctx: Ctx, name: str) -> bool:
    """A flag as Spring's StringToBooleanConverter reads it (`bean_binding.py` refuses what
    it cannot read first, where the parameter is a bean field)."""
    try:
        return spring_bool(ctx.request.args.get(name) or "") is True
    except ValueError:
        return False


def _selection(ctx: Ctx, key: str, listed: bool = False) -> fields.Selection:
    """The single reads bind `@RequestParam(defaultValue = DEFAULT_FIELDS_PARAM) fields`, so a
    blank value is the default (Spring's AbstractNamedValueMethodArgumentResolver); a list's
    `*RequestParams` bean (`listed`) binds it as a property whose converter parses the blank
    value too (2.41.9 FieldPathConverter → FieldFilterParser#parse, 2.42.5/2.43.1 FieldsConverter
    → FieldsParser#parse): nothing selected, each item `{}`."""
    raw = ctx.request.args.getlist("fields")
    joined = ",".join(raw)
    if listed and raw and not joined:
        return fields.Selection()
    return fields.Selection(_widened(fields.parse(joined or None, default=DEFAULT_FIELDS[key]).fields))


def _widened(selected: list[fields.Field]) -> list[fields.Field]:
    """A nested selection that includes nothing (`enrollments[]`, `enrollments[!attributes]`)
    is all of the child but what it excludes: 2.42.5/2.43.1 tracker `FieldsParser#map`
    (`includeChildren` when the child's includes are empty), 2.41.9
    `FieldPathHelper#applyDefaults` expanding a complex property no other path names."""
    out = []
    for item in selected:
        children = item.children
        if children is not None:
            children = _widened(children)
            if not any(not c.exclude for c in children):
                children = [fields.Field("*"), *children]
        out.append(fields.Field(item.name, item.exclude, children, item.transformers, item.preset))
    return out


def _bound_program(ctx: Ctx) -> None:
    """`program` is a `UID` field of every export's request params (TrackedEntity-,
    Enrollment-, EventRequestParams at 2.41.9, 2.42.5, 2.43.1): a text UID#of refuses is
    Spring's binding error (CrudControllerAdvice#handleBindException, no errorCode) before the
    controller runs, so before its mappers' checks."""
    uid = ctx.request.args.get("program")
    if uid and not objects.is_uid(uid):
        raise uid_unbound("program", uid)


def _required_program(ctx: Ctx, endpoint: str) -> None:
    """2.43.1 (`program_required_on_events_and_enrollments`): `/api/tracker/events` binds
    `@RequestParam UID program` (EventsExportController :158 and its other `getEvents*`), so
    without one Spring refuses the missing parameter (the container's 400 page,
    `spring_params.missing_parameter`); the enrollments' and the
    split event endpoints' mappers call RequestParamsValidator#validateMandatoryProgram
    (:397-401), a BadRequestException (E1003)."""
    # the `@RequestParam` reads the request as sent (no `!program`, `program[]`), the
    # mappers the bean's property
    args = web_data_binder.sent(ctx) if endpoint == "events" else ctx.request.args
    if not ctx.release.program_required_on_events_and_enrollments or args.get("program"):
        return
    if endpoint == "events":
        raise spring_params.missing_parameter("program", "UID", ctx.release)
    raise bad("Program is mandatory")


def _program(ctx: Ctx, p: Preheat, name: str = "program") -> dict[str, Any] | None:
    uid = ctx.request.args.get(name)
    if not uid:
        return None
    program = p.by_uid("programs", uid)
    if program is None:
        raise bad(f"Program is specified but does not exist: {uid}")
    if not can_data_read(ctx.user, program):
        raise webmessage.fail(webmessage.forbidden(f"User has no access to program: {uid}"))
    return program


# The checks of `updatedWithin` per endpoint: (parameters it excludes, message of the
# combination, prefix of the invalid-value message). TrackedEntityRequestParamsMapper and
# EnrollmentRequestParamsMapper #validate…, EventRequestParamsMapper
# #validateUpdateDurationParams (2.41.9 / 2.42.5; 2.43.1 the same in
# TrackerEventRequestParamsMapper / SingleEventRequestParamsMapper).
_UPDATED_WITHIN = {
    "trackedEntities": (("updatedAfter", "updatedBefore"),
                        "`updatedAfter` or `updatedBefore` and `updatedWithin` cannot be "
                        "specified simultaneously", "`updatedWithin` is not valid: "),
    "enrollments": (("updatedAfter",),
                    "`updatedAfter` and `updatedWithin` cannot be specified simultaneously",
                    "`updatedWithin` is not valid: "),
    "events": (("updatedAfter", "updatedBefore"),
               "Last updated from and/or to and last updated duration cannot be specified "
               "simultaneously", "Duration is not valid: "),
}


def check_updated_within(ctx: Ctx, kind: str) -> None:
    """400 for `updatedWithin` with the parameters it excludes or with an invalid duration
    (`core/durations.py`)."""
    values = ctx.request.args.getlist("updatedWithin")
    if not values:
        return
    # a String property of the bound params object: Spring's ArrayToStringConverter joins a
    # repeated parameter with commas, which no duration matches
    raw = ",".join(values)
    excluded, combined, invalid = _UPDATED_WITHIN[kind]
    if any(ctx.request.args.get(name) is not None for name in excluded):
        raise bad(combined)
    try:
        seconds = java_duration_seconds(raw)
    except DurationOverflow as exc:
        # Long#valueOf's NumberFormatException: the IllegalArgumentException handler's 400
        # badRequest(message), no errorCode (CrudControllerAdvice 2.41.9 #handleBadRequest
        # :501-509, 2.42.5 #illegalArgumentExceptionHandler :520-525, 2.43.1 :521-526);
        # Duration#of's ArithmeticException: #defaultExceptionHandler's 500
        status = 400 if exc.illegal_argument else 500
        raise webmessage.fail(webmessage.error(status, str(exc))) from None
    if seconds is None:
        raise bad(invalid + raw)


def _updated_bounds(ctx: Ctx, with_before: bool) -> tuple[str | None, str | None]:
    after = date_arg(ctx, "updatedAfter")
    # EnrollmentRequestParams has no `updatedBefore` (only updatedAfter and updatedWithin, at
    # 2.41.9, 2.42.5 and 2.43.1; HibernateEnrollmentStore filters `lastUpdated >=` only): the
    # parameter is not bound, so it neither filters nor fails
    before = date_arg(ctx, "updatedBefore", end_of_day=True) if with_before else None
    within = ctx.request.args.get("updatedWithin")
    seconds = duration_seconds(within) if within else None
    now = datetime.now(UTC)
    if seconds is not None and seconds < (now - datetime.min.replace(tzinfo=UTC)).total_seconds():
        # lastUpdatedDuration: lastUpdated >= now - duration (the stores' `lastupdated >=`,
        # DateUtils#nowMinusDuration). A window reaching before year 1 keeps every row: what
        # DHIS2 does there (a negative year in the SQL of #toLongGmtDate, the limits of
        # LocalDateTime, Date and PostgreSQL) is not modelled.
        # The bound in the stored form, the year padded to four digits (Joda's `yyyy`,
        # `java_dates.iso_no_tz`): the rows compare as text, and an unpadded year before
        # 1000 ("901-…") sorts after every stored stamp ("2026-…") and dropped them all.
        after = java_dates.iso_no_tz(now - timedelta(seconds=seconds))
    return after, before


class _RowFilter:
    """The `updated…` window and `includeDeleted` of one request, read once (reading the
    parameters for every row cost more than the rest of a page). A date that does not parse is
    a 400 at once, whether or not any row is read: Spring binds the request parameters
    (`StartDateTime`/`EndDateTime#of` → `DateUtils#parseDate`) before the controller runs, and
    `CrudControllerAdvice#handleBindException` answers the failure (2.41.9, 2.42.5, 2.43.1)."""

    def __init__(self, ctx: Ctx, with_before: bool = True) -> None:
        self.include_deleted = _flag(ctx, "includeDeleted")
        self._bounds = _updated_bounds(ctx, with_before)

    def updated(self, row: dict[str, Any]) -> bool:
        after, before = self._bounds
        return (after is None or row["updated"] >= after) and (before is None or row["updated"] <= before)

    def deleted_ok(self, row: dict[str, Any]) -> bool:
        return not row["deleted"] or self.include_deleted


def _rows(ctx: Ctx, table: str, where: str = "1=1", args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with ctx.store.lock:
        rows = ctx.store.conn.execute(
            f"SELECT * FROM {table} WHERE {where} ORDER BY seq", args).fetchall()  # noqa: S608
    return [dict(r) for r in rows]


def _item(ctx: Ctx, key: str, view: dict[str, Any], sel: fields.Selection) -> dict[str, Any]:
    return fields.select(view, sel)


# -- tracked entities -------------------------------------------------------------------------
def _tracked_entity_rows(ctx: Ctx, program: dict[str, Any] | None, scope: OrgUnitScope,
                         rows: _RowFilter) -> list[dict[str, Any]]:
    """The tracked entities the per-row checks of `list_tracked_entities` may pass: with a
    program, a live enrollment in it; under orgUnitMode=SELECTED, the owner org unit (the
    program owner, else the registering org unit, as `te_visible` reads it) one of those given."""
    where, args = [], []
    owner = "org_unit"
    if program is not None:
        where.append("uid IN (SELECT te FROM enrollments WHERE program=? AND deleted=0)")
        args.append(program["id"])
        owner = ("COALESCE(NULLIF((SELECT o.org_unit FROM program_owners o WHERE "
                 "o.te=tracked_entities.uid AND o.program=?), ''), org_unit)")
    if scope.mode == "SELECTED" and scope.units:
        where.append(f"{owner} IN ({', '.join('?' for _ in scope.units)})")
        if program is not None:
            args.append(program["id"])
        args += [u["id"] for u in scope.units]
    return _rows(ctx, "tracked_entities", " AND ".join(where) or "1=1", tuple(args))


def _bound_uid(ctx: Ctx, name: str) -> str | None:
    """A `UID` request parameter Spring binds (refused before the controller runs)."""
    uid = ctx.request.args.get(name)
    if uid and not objects.is_uid(uid):
        raise uid_unbound(name, uid)
    return uid or None


def _bound_flag(ctx: Ctx, name: str) -> bool | None:
    """A `Boolean` request parameter Spring binds (StringToBooleanConverter: true/on/yes/1,
    false/off/no/0, any case, trimmed; blank is null); another value is the bean's
    TypeMismatchException caused by a ConversionFailedException, "Value 'x' is not valid for
    parameter x. Invalid boolean value [x]" (CrudControllerAdvice#handleTypeMismatchException,
    2.41.9, 2.42.5, 2.43.1), no errorCode."""
    raw = ctx.request.args.get(name)
    if raw is None:
        return None
    try:
        return spring_bool(raw)
    except ValueError as refused:
        raise unbound(f"Value '{raw}' is not valid for parameter {name}. {refused}") from None


def _status_params(ctx: Ctx) -> tuple[str, ...]:
    """The enrollment status parameters TrackedEntityRequestParams binds: 2.41.9 `programStatus`;
    2.42.5 and 2.43.1 `enrollmentStatus` and still the deprecated `programStatus` (:121, :135),
    one of the two (`RequestParamsValidator#validateDeprecatedParameter`,
    TrackedEntityRequestParamsMapper#mapCommon :97-102)."""
    new = ctx.release.enrollment_status_param
    return (new,) if new == "programStatus" else ("programStatus", new)


def _bound_statuses(ctx: Ctx) -> dict[str, str]:
    """The status parameters' constants as `ConvertEnum` binds them (`enum_value`; the bean's
    binding, `bind_bean`, has refused what it refuses)."""
    bound: dict[str, str] = {}
    for name in _status_params(ctx):
        constant = enum_value(name, ctx.request.args.get(name), ENROLLMENT_STATUSES)
        if constant is not None:
            bound[name] = constant
    return bound


def _enrollment_status(ctx: Ctx, bound: dict[str, str]) -> str | None:
    names = _status_params(ctx)
    if len(names) == 2 and all(n in bound for n in names):
        old, new = names
        raise bad(f"Only one parameter of '{old}' and '{new}' must be specified. Prefer '{new}' "
                  f"as '{old}' will be removed.")
    return next((bound[n] for n in reversed(names) if n in bound), None)


def _tracked_entity_request(ctx: Ctx, program: str | None, tet: str | None,
                            te_uids: set[str], statuses: dict[str, str]) -> None:
    """TrackedEntityRequestParamsMapper#validateRequestParams (2.41.9 :169-243, 2.42.5 and
    2.43.1 :160-238): the parameters' combinations, before anything is looked up."""
    args = ctx.request.args
    if program and tet:
        raise bad("`program` and `trackedEntityType` cannot be specified simultaneously")
    if not program:
        if not te_uids and not tet:
            raise bad("Either `program`, `trackedEntityType` or `trackedEntities` should be specified")
        for name in _status_params(ctx):
            if name in statuses:
                raise bad(f"`program` must be defined when `{name}` is defined")
        if args.get("followUp"):
            raise bad("`program` must be defined when `followUp` is defined")
        for name in ("enrollmentEnrolledAfter", "enrollmentEnrolledBefore",
                     "enrollmentOccurredAfter", "enrollmentOccurredBefore"):
            if args.get(name):
                raise bad(f"`program` must be defined when `{name}` is specified")
        # TrackedEntityMapper.ORDERABLE_FIELDS maps only `enrolledAt` to an `enrollment.` path
        if any(name == "enrolledAt" for name, _ in bind_order(args.getlist("order"))):
            raise bad("`program` must be defined when `order=enrolledAt` is used")
    trio = [bool(args.get(n)) for n in ("eventStatus", "eventOccurredAfter", "eventOccurredBefore")]
    if any(trio) and not all(trio):
        raise bad("`eventOccurredAfter`, `eventOccurredBefore` and `eventStatus` must be "
                  "specified together")
    check_updated_within(ctx, "trackedEntities")


def _assigned_user_query(ctx: Ctx) -> None:
    """`AssignedUserQueryParam`'s constructor (dhis-api `common/AssignedUserQueryParam.java`,
    2.41.9, 2.42.5, 2.43.1), which TrackedEntityRequestParamsMapper calls while it builds the
    operation params, after the filters are parsed: its IllegalQueryException is
    CrudControllerAdvice#illegalQueryExceptionHandler's 409, no errorCode."""
    args = ctx.request.args
    mode = enum_value("assignedUserMode", args.get("assignedUserMode"), ASSIGNED_USER_MODES)
    users = parse_uids(ctx, "assignedUsers", "assignedUser")
    if mode == "PROVIDED" and not users:
        raise webmessage.fail(webmessage.conflict_message(
            "Assigned User uid(s) must be specified if selectionMode is PROVIDED"))
    if mode is not None and mode != "PROVIDED" and users:
        raise webmessage.fail(webmessage.conflict_message(
            "Assigned User uid(s) cannot be specified if selectionMode is not PROVIDED"))


def _removed_params(ctx: Ctx) -> None:
    """2.41.9 TrackedEntityRequestParamsMapper#validateRemovedParameters (:245-257), the
    mapper's first check: `query`, `attribute` and `includeAllAttributes` not blank
    (`StringUtils#isNotBlank`; Python's whitespace for Java's)."""
    args = ctx.request.args
    for name, tail in (("query", " Use `filter` instead."), ("attribute", " Use `filter` instead."),
                       ("includeAllAttributes", "")):
        if (args.get(name) or "").strip():
            raise bad(f"`{name}` parameter was removed in v41.{tail}")


def _check_max_page_size(ctx: Ctx, page_size: int) -> None:
    """TrackedEntityOperationParamsMapper#validatePagination (2.41.9 :298-310, 2.42.5
    :290-302, 2.43.1 :307-319), the mapper's first check and only for a paged request (the
    controller passes PageParams then): a page size over `KeyTrackedEntityMaxLimit`, when that
    is positive."""
    limit = system_value(ctx, "KeyTrackedEntityMaxLimit")
    if isinstance(limit, int) and limit > 0 and page_size > limit:
        raise bad(f"Invalid page size: {page_size}. It must not exceed the system limit of "
                  f"KeyTrackedEntityMaxLimit {limit}.")


def _program_stage_of(ctx: Ctx, p: Preheat, program: dict[str, Any] | None) -> None:
    """TrackedEntityOperationParamsMapper#validateProgramStage/#getProgramStageFromProgram
    (2.41.9 :220-244, 2.42.5 :212-236, 2.43.1 :229-253), after the program: a `programStage`
    must be one of the program's stages (so any stage without a program)."""
    uid = ctx.request.args.get("programStage")
    if not uid:
        return
    if program is None or uid not in (s["id"] for s in p.stages_of(program)):
        raise bad(f"Program does not contain the specified programStage: {uid}")


def _any_readable_type(ctx: Ctx) -> None:
    """TrackedEntityOperationParamsMapper#filterAndValidateTrackedEntityTypes (2.41.9
    :172-184, 2.42.5 :170-182, 2.43.1 :186-198), without a program, after the requested type:
    the user reads data of some tracked entity type (`tracker_no_type_access_status`)."""
    if not any(can_data_read(ctx.user, t) for t in ctx.store.list_objects("trackedEntityTypes")):
        raise webmessage.fail(webmessage.error(
            ctx.release.tracker_no_type_access_status,
            "User has no access to any Tracked Entity Type",
            "E1003" if ctx.release.tracker_no_type_access_status == 400 else "E1006"))


def _system_wide_unique_filters(p: Preheat, filters: list[Filter]) -> None:
    """TrackedEntityOperationParamsMapper#validateTrackedEntityAttributeFilters (2.41.9
    :274-296, 2.42.5 :266-288, 2.43.1 :283-305), after the ordered attributes: with neither a
    program, a type nor org units, only system-wide unique attributes (`unique`, not
    `orgunitScope`: TrackedEntityAttribute#isSystemWideUnique) may be filtered; another is an
    IllegalQueryException, CrudControllerAdvice's 409 without errorCode."""
    for f in filters:
        attribute = p.by_uid("trackedEntityAttributes", f.uid) or {}
        if not (attribute.get("unique") and not attribute.get("orgunitScope")):
            raise webmessage.fail(webmessage.conflict_message(
                "Either a program or tracked entity type must be specified"))


def _deprecated_scope_params(ctx: Ctx) -> None:
    """2.41.9 TrackedEntityRequestParamsMapper#map (:88-100) before the mode's checks:
    RequestParamsValidator#validateDeprecatedUidsParameter for `orgUnit` beside `orgUnits`
    and #validateDeprecatedParameter (:137-148) for `ouMode` beside `orgUnitMode`."""
    parse_uids(ctx, "orgUnits", "orgUnit")
    args = ctx.request.args
    if args.get("ouMode") and args.get("orgUnitMode"):
        raise bad("Only one parameter of 'ouMode' and 'orgUnitMode' must be specified. Prefer "
                  "'orgUnitMode' as 'ouMode' will be removed.")


def _tracker_program(ctx: Ctx, p: Preheat) -> dict[str, Any] | None:
    """OperationsParamsValidator#validateTrackerProgram (2.41.9 :130-150, 2.42.5 :127-146,
    2.43.1 :135-154), the first check of the tracked entities' and the enrollments' operation
    params mappers: the program exists and is data readable, is a tracker program, and its
    tracked entity type is data readable."""
    program = _program(ctx, p)
    if program is None:
        return None
    if not is_registration(program):
        raise bad(f"Program specified is not a tracker program: {program['id']}")
    program_type = ref_id(program.get("trackedEntityType"))
    if program_type and not can_data_read(ctx.user, p.by_uid("trackedEntityTypes", program_type)):
        raise webmessage.fail(webmessage.forbidden(
            f"{ctx.release.tracker_type_read_refusal_subject} is not authorized to read data from "
            f"selected program's tracked entity type: {program_type}"))
    return program


def _tracked_entity_type(ctx: Ctx, p: Preheat, uid: str | None) -> None:
    """OperationsParamsValidator#validateTrackedEntityType (2.41.9 :229-247, 2.42.5 :226-245,
    2.43.1 :240-259), after #validateTrackerProgram in the tracked entities' and (2.41/2.42)
    the enrollments' operation params mappers: the requested type exists and is data readable."""
    if not uid:
        return
    requested = p.by_uid("trackedEntityTypes", uid)
    if requested is None:
        raise bad(f"Tracked entity type is specified but does not exist: {uid}")
    if not can_data_read(ctx.user, requested):
        raise webmessage.fail(webmessage.forbidden(
            f"{ctx.release.tracker_type_read_refusal_subject} is not authorized to read data "
            f"from selected tracked entity type: {uid}"))


def _te_fields(ctx: Ctx) -> dict[str, Kind]:
    """TrackedEntityRequestParams' bound fields (2.41.9 :68-219, 2.42.5 and 2.43.1 :76-185;
    the `String`s, `filter`, `fields` and 2.41's deprecated `orgUnit`, `trackedEntity`,
    `assignedUser` convert without failing)."""
    status = ENROLLMENT_STATUSES
    out: dict[str, Kind] = {
        **paging_fields(ctx), "orgUnits": "uids", "orgUnitMode": ORG_UNIT_MODES,
        "program": "uid", "programStatus": status, "followUp": "Boolean",
        "updatedAfter": "start", "updatedBefore": "end",
        "enrollmentEnrolledAfter": "start", "enrollmentEnrolledBefore": "end",
        "enrollmentOccurredAfter": "start", "enrollmentOccurredBefore": "end",
        "trackedEntityType": "uid", "trackedEntities": "uids",
        "assignedUserMode": ASSIGNED_USER_MODES, "assignedUsers": "uids", "programStage": "uid",
        "eventStatus": EVENT_STATUSES, "eventOccurredAfter": "start",
        "eventOccurredBefore": "end", "includeDeleted": "boolean",
        "potentialDuplicate": "Boolean", "filter": "text", "fields": "text",
        # `String updatedWithin` (2.41.9 :146, 2.42.5 and 2.43.1 :133)
        "updatedWithin": "text"}
    if ctx.release.accepts_deprecated_tracker_aliases:
        out.update(ouMode=ORG_UNIT_MODES, orgUnit="text", trackedEntity="text",
                   assignedUser="text")
    if ctx.release.tracker_removed_params_refused:
        # 2.41.9's removed `String query`, `attribute`, `includeAllAttributes` (:96, :101, :216)
        out.update(dict.fromkeys(("query", "attribute", "includeAllAttributes"), "text"))
    if ctx.release.enrollment_status_param != "programStatus":
        out[ctx.release.enrollment_status_param] = status
    return out


def list_tracked_entities(ctx: Ctx) -> Response:
    """The checks run in DHIS2's order (2.41.9, 2.42.5, 2.43.1): Spring binds the request
    parameters (UIDs, orgUnitMode, dates, Integers, OrderCriteria); the controller checks
    paging (`TrackedEntitiesExportController#getTrackedEntities`, 2.41.9 :166, 2.42.5 :164,
    2.43.1 :161); TrackedEntityRequestParamsMapper#map (2.41.9 :79-115, 2.42.5 and 2.43.1
    :91-109) checks the mode's combinations, the order names, the parameters' combinations and
    parses the filters; 2.42+ then PageParams#of (`tracker_page_bounds_after_request_mapper`);
    last TrackedEntityOperationParamsMapper#map (2.41.9 :106-129, 2.42.5 :104-126, 2.43.1
    :107-129) looks up the program, the type, the org units and the mode's authority, the
    filtered attributes and the ordered ones. So a malformed filter answers before an unknown
    program or type."""
    # Spring's binding, in parameter name order (the handler then reads what it bound)
    bind_bean(ctx, _te_fields(ctx))
    args, p = ctx.request.args, Preheat(ctx.store)
    release = ctx.release
    program_uid = _bound_uid(ctx, "program")
    tet_uid = _bound_uid(ctx, "trackedEntityType")
    given_te_uids = parse_uids(ctx, "trackedEntities", None)
    mode = bound_mode(ctx)
    follow_up = _bound_flag(ctx, "followUp")  # TrackedEntityRequestParams `Boolean followUp`
    statuses = _bound_statuses(ctx)
    # `Boolean potentialDuplicate`: the store's `te.potentialduplicate = ?` when given
    # (HibernateTrackedEntityStore 2.41.9 :574-577, 2.42.5 :587-590, 2.43.1
    # JdbcTrackedEntityStore :758-761)
    duplicate = _bound_flag(ctx, "potentialDuplicate")
    rows = _RowFilter(ctx)
    enrolled_after = date_arg(ctx, "enrollmentEnrolledAfter")
    enrolled_before = date_arg(ctx, "enrollmentEnrolledBefore", end_of_day=True)
    occurred_after = date_arg(ctx, "enrollmentOccurredAfter")
    occurred_before = date_arg(ctx, "enrollmentOccurredBefore", end_of_day=True)
    bind_order(args.getlist("order"))
    # the controller
    page = page_params(ctx, check_bounds=not release.tracker_page_bounds_after_request_mapper,
                       export=True)
    # the request mapper
    if release.tracker_removed_params_refused:
        _removed_params(ctx)
    if release.accepts_deprecated_tracker_aliases:
        parse_uids(ctx, "assignedUsers", "assignedUser")
        _deprecated_scope_params(ctx)
    unit_uids = requested_org_units(ctx, "trackedEntities")
    mode = checked_mode(ctx, "trackedEntities", mode, unit_uids, bool(given_te_uids))
    te_uids = parse_uids(ctx, "trackedEntities", "trackedEntity")
    status = _enrollment_status(ctx, statuses)
    specs = order_specs(ctx, _TE_ORDER, "attribute")
    _tracked_entity_request(ctx, program_uid, tet_uid, te_uids, statuses)
    filters = parsed_attribute_filters(ctx, p)
    _assigned_user_query(ctx)
    if release.tracker_page_bounds_after_request_mapper:
        check_page_bounds(ctx)
    # the operation params mapper
    if page.paging:
        _check_max_page_size(ctx, page.page_size)
    program = _tracker_program(ctx, p)
    _program_stage_of(ctx, p, program)
    _tracked_entity_type(ctx, p, tet_uid)
    if program is None:
        _any_readable_type(ctx)
    scope = OrgUnitScope.resolve(ctx, p, "trackedEntities", mode, unit_uids, program)
    check_filter_attributes(p, filters)
    for name, _direction in specs:
        if name not in _TE_ORDER and p.by_uid("trackedEntityAttributes", name) is None:
            raise bad(f"Cannot order by '{name}' as its not a tracked entity attribute. Tracked "
                      "entities can be ordered by fields and tracked entity attributes.")
    if program is None and not tet_uid and not scope.units:
        _system_wide_unique_filters(p, filters)
    check_global_search(ctx, p, program, p.by_uid("trackedEntityTypes", tet_uid), scope.mode,
                        scope.units, filters, te_uids)
    events_ok = event_test(ctx, rows.include_deleted) if program is not None else None
    sel = _selection(ctx, "trackedEntities", listed=True)

    def enrollment_matches(e: dict[str, Any]) -> bool:
        """The store's enrollment conditions, all on one enrollment
        (HibernateTrackedEntityStore#appendEnrollmentFilterConditions 2.41.9 :826-870, 2.42.5
        :825-870, 2.43.1 JdbcTrackedEntityStore :547-575: `status`, `followup`,
        `enrollmentdate`, `occurreddate` ANDed on the same alias)."""
        enrolled, occurred = e["enrolled_at"], e["occurred_at"]
        return ((not status or e["status"] == status)
                and (follow_up is None or bool(e["follow_up"]) == follow_up)
                and (not enrolled_after or (enrolled or "") >= enrolled_after)
                and (not enrolled_before or (enrolled or "~") <= enrolled_before)
                and (not occurred_after or (occurred or "") >= occurred_after)
                and (not occurred_before or (occurred or "~") <= occurred_before))
    out = []
    for row in _tracked_entity_rows(ctx, program, scope, rows):
        if te_uids and row["uid"] not in te_uids:
            continue
        if tet_uid and row["tet"] != tet_uid:
            continue
        if duplicate is not None and bool(row["potential_duplicate"]) != duplicate:
            continue
        if not (rows.deleted_ok(row) and rows.updated(row)):
            continue
        if program is not None:
            if program.get("trackedEntityType") and ref_id(program["trackedEntityType"]) != row["tet"]:
                continue
            enrollments = [e for e in tracker_store.enrollments_of(ctx.store, row["uid"])
                           if e["program"] == program["id"]]
            if not enrollments:
                continue
            if not any(enrollment_matches(e) and (events_ok is None or events_ok(e))
                       for e in enrollments):
                continue
        if not te_visible(ctx, p, scope, row, program):
            continue
        if filters:
            values = {a["attribute"]: a["value"]
                      for a in tracker_store.attribute_values(ctx.store, row["uid"])}
            if not all(f.matches(values.get(f.uid)) for f in filters):
                continue
        out.append(row)
    # TrackedEntityMapper.ORDERABLE_FIELDS (2.41.9 :60-68, 2.42.5 and 2.43.1 :67-75), attribute
    # UIDs beside them; `enrolledAt` by the earliest enrollment (of the program when given)
    def enrolled_at(r: dict[str, Any]) -> Any:
        dates = [e["enrolled_at"] for e in tracker_store.enrollments_of(ctx.store, r["uid"])
                 if e["enrolled_at"] and (program is None or e["program"] == program["id"])]
        return min(dates) if dates else None

    out = sort_rows(ctx, out, specs, {**_TE_ORDER, "enrolledAt": enrolled_at})
    views = Views(ctx.store, visible=lambda kind, r: kind != "enrollment" or enrollment_readable(ctx, p, r))
    program_uid = program["id"] if program else None
    return respond_page(ctx, "trackedEntities", out, page, lambda r: _item(
        ctx, "trackedEntities", views.tracked_entity(r, sel, program_uid, rows.include_deleted), sel),
        prefetch=lambda chunk: views.prefetch("trackedEntity", chunk, sel, rows.include_deleted))


def _single_entity_program(ctx: Ctx, p: Preheat) -> dict[str, Any] | None:
    """DefaultTrackedEntityService#getTrackedEntity(uid, program, …), as
    `Release.tracker_single_entity_program_check` says. `program` is bound as
    `@RequestParam UID` at the three tags (TrackedEntitiesExportController
    #getTrackedEntityByUid: 2.41.9 :266, 2.42.5 :286, 2.43.1 :283), after the path uid, so a
    value `UID#of` refuses (a comma list too: one UID is expected) is 400 before any lookup.
    An empty value is no absent one: Spring hands "" to `ObjectToObjectConverter`, whose
    `UID#of` refuses it, "program cannot be empty. UID must be …, but was: "
    (`CrudControllerAdvice#getConversionErrorMessage`/`#getNotValidValueMessage`).
    An unknown program is 404 `NotFoundException(Program.class, uid)` at every release."""
    uid = ctx.request.args.get("program")
    if uid is None:
        return None
    if not objects.is_uid(uid):
        raise uid_unbound("program", uid)
    check = ctx.release.tracker_single_entity_program_check
    program = p.by_uid("programs", uid)
    if program is None:
        raise webmessage.fail(webmessage.not_found_object("Program", uid))
    if check == "lookup":
        return program
    if not can_data_read(ctx.user, program):
        raise webmessage.fail(webmessage.forbidden(f"User has no access to program: {uid}"))
    if not is_registration(program):
        # #validateTrackerProgram's BadRequestException: 2.43.1 the program's 404, 2.42.5 the
        # IllegalArgumentException its private #getTrackedEntity makes of it.
        if check == "tracker":
            raise webmessage.fail(webmessage.not_found_object("Program", uid))
        raise webmessage.fail(webmessage.error(
            400, "this must be a bug in how the TrackedEntityOperationParams are built"))
    tet_uid = ref_id(program.get("trackedEntityType"))
    if not can_data_read(ctx.user, p.by_uid("trackedEntityTypes", tet_uid)):
        raise webmessage.fail(webmessage.forbidden(
            "User is not authorized to read data from selected program's tracked entity type: "
            f"{tet_uid}"))
    return program


def find_tracked_entity(ctx: Ctx, p: Preheat, uid: str,
                        include_deleted: bool = False) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """`TrackedEntityService#getTrackedEntity(uid, program, …)`: the row and the request's
    `program`, or the release's 403/404; the ownership transfer reads its record through it too
    (2.42.5+ `TrackerOwnershipController#updateTrackerProgramOwner`)."""
    program = _single_entity_program(ctx, p)
    if ctx.release.tracker_single_entity_program_check != "lookup":
        # 2.42.5/2.43.1 read it through the list's TrackedEntityOperationParamsMapper#map,
        # whose ForbiddenExceptions pass as they are: without a program some tracked entity
        # type the user reads (`#getTrackedEntityTypes`), then the default ACCESSIBLE mode's
        # org units (`OperationsParamsValidator#validateOrgUnitMode`), before any lookup
        if program is None:
            _any_readable_type(ctx)
        check_mode(ctx, "ACCESSIBLE", program)
    row = tracker_store.get(ctx.store, "trackedEntity", uid)
    if row is None or (row["deleted"] and not include_deleted):
        raise webmessage.fail(webmessage.not_found_object("TrackedEntity", uid))
    if program is not None and ctx.release.tracker_single_entity_program_check == "lookup":
        # 2.41.9 DefaultTrackedEntityService#getTrackedEntity (:266-271): after the lookup,
        # DefaultTrackerAccessManager#canReadProgramAndTrackedEntityType's errors, printed as
        # a Java List, whether or not the tracked entity is in the user's scope
        errors = []
        if not can_data_read(ctx.user, program):
            errors.append(f"User has no data read access to program: {program['id']}")
        if not can_data_read(ctx.user, p.by_uid("trackedEntityTypes", row["tet"])):
            errors.append(f"User has no data read access to tracked entity type: {row['tet']}")
        if errors:
            raise webmessage.fail(webmessage.forbidden(f"[{', '.join(errors)}]"))
    if (program is not None and ctx.release.tracker_single_entity_program_check != "lookup"
            and tracker_store.owner_of(ctx.store, uid, program["id"]) is None):
        # 2.42.5/2.43.1 read it through the export query, whose program joins the program
        # owner (`inner join trackedentityprogramowner`: 2.42.5 HibernateTrackedEntityStore
        # #getFromSubQueryJoinProgramOwnerConditions :635-646, 2.43.1 JdbcTrackedEntityStore
        # :411-420): one never enrolled in the program is not found, a superuser's read too.
        raise webmessage.fail(webmessage.not_found_object("TrackedEntity", uid))
    scope = OrgUnitScope.accessible(ctx, p)
    if not te_visible(ctx, p, scope, row, program):
        if ctx.release.tracker_invisible_entity_status == 403:
            raise webmessage.fail(webmessage.forbidden(_forbidden_entity(ctx, p, row, program)))
        raise webmessage.fail(webmessage.not_found_object("TrackedEntity", uid))
    return row, program


def get_tracked_entity(ctx: Ctx, uid: str) -> Response:
    ctx.check_path_uids(typed=True, uid=uid)
    p = Preheat(ctx.store)
    # `includeDeleted` is no parameter here; a soft-deleted one is answered or not per release
    row, program = find_tracked_entity(ctx, p, uid, ctx.release.tracker_single_read_keeps_deleted)
    sel = _selection(ctx, "trackedEntities")
    views = Views(ctx.store, visible=lambda kind, r: kind != "enrollment" or enrollment_readable(ctx, p, r))
    view = views.tracked_entity(row, sel, program["id"] if program else None, False)
    return webmessage.json_response(fields.select(view, sel))


def _forbidden_entity(ctx: Ctx, p: Preheat, row: dict[str, Any], program: dict[str, Any] | None) -> str:
    """2.41.9 export/trackedentity/DefaultTrackedEntityService#getTrackedEntity's 403 text.
    Without a program: `new ForbiddenException(TrackedEntity.class, uid)`, "…TrackedEntity:" +
    uid with no space. With one (its data read already checked by the caller): the list of
    DefaultTrackerAccessManager#canReadProgramAndTrackedEntityType's errors as Java prints a
    List, else #canAccessProgramOwner's code (TrackerOwnershipManager constants)."""
    if program is None:
        return f"User has no access to TrackedEntity:{row['uid']}"
    if not can_data_read(ctx.user, p.by_uid("trackedEntityTypes", row["tet"])):
        return f"[User has no data read access to tracked entity type: {row['tet']}]"
    no_org_unit = "User has no read access to organisation unit"
    level = program.get("accessLevel") or "OPEN"
    if level == "PROTECTED":
        owner = tracker_store.owner_of(ctx.store, row["uid"], program["id"]) or row["org_unit"]
        unit = p.by_uid("organisationUnits", owner)
        # #isOwnerInUserSearchScope: the search units, or the capture units without any
        in_search = unit is not None and in_search_hierarchy(p, ctx.user, unit)
        return "OWNERSHIP_ACCESS_DENIED" if in_search else no_org_unit
    return "PROGRAM_ACCESS_CLOSED" if level == "CLOSED" else no_org_unit


# -- enrollments ------------------------------------------------------------------------------
# EnrollmentMapper.ORDERABLE_FIELDS (2.41.9 :60-67, 2.42.5 and 2.43.1 :61-68): no `enrollment`,
# `occurredAt` or `status`, which the order check refuses like any unknown name.
_EN_ORDER = {"completedAt": "completed_at", "createdAt": "created",
             "createdAtClient": "created_client", "enrolledAt": "enrolled_at",
             "updatedAt": "updated", "updatedAtClient": "updated_client"}


def _enrollment_list_status(ctx: Ctx) -> str | None:
    """The enrollment status EnrollmentRequestParams binds: 2.41.9 `programStatus` only (:109);
    2.42.5 and 2.43.1 `status` and still the deprecated `programStatus` (:110-112), one of the
    two (`RequestParamsValidator#validateDeprecatedParameter`, EnrollmentRequestParamsMapper
    #map 2.42.5 :70-75, 2.43.1 :72-77). 2.41 is told apart as the tracked entities are
    (`Release.enrollment_status_param`): the same release brought EnrollmentStatus to both."""
    args = ctx.request.args
    if ctx.release.enrollment_status_param == "programStatus":
        given = "programStatus" if args.get("programStatus") else None
    elif args.get("programStatus") and args.get("status"):
        raise bad("Only one parameter of 'programStatus' and 'status' must be specified. Prefer "
                  "'status' as 'programStatus' will be removed.")
    else:
        given = next((n for n in ("status", "programStatus") if args.get(n)), None)
    # the constant ConvertEnum bound (any case)
    return enum_value(given, args[given], ENROLLMENT_STATUSES) if given else None


def _en_fields(ctx: Ctx) -> dict[str, Kind]:
    """EnrollmentRequestParams' bound fields (2.41.9 :61-142, 2.42.5 :69-136, 2.43.1 :69-136;
    the `String`s, `fields` and 2.41's deprecated `orgUnit`, `enrollment` convert without
    failing): 2.41.9 `ProgramStatus programStatus`, 2.42.5+ `EnrollmentStatus programStatus`
    and `status` (:110-112); `trackedEntityType` until 2.42.5; 2.43.1 `UID
    attributeOptionCombo` (:136)."""
    release = ctx.release
    out: dict[str, Kind] = {
        **paging_fields(ctx), "orgUnits": "uids", "orgUnitMode": ORG_UNIT_MODES,
        "program": "uid", "programStatus": ENROLLMENT_STATUSES, "followUp": "Boolean",
        "updatedAfter": "start", "enrolledAfter": "start", "enrolledBefore": "end",
        "trackedEntity": "uid", "enrollments": "uids", "includeDeleted": "boolean",
        # `String updatedWithin` (2.41.9 :115, 2.42.5 and 2.43.1 :118)
        "fields": "text", "updatedWithin": "text"}
    if release.accepts_deprecated_tracker_aliases:
        out.update(ouMode=ORG_UNIT_MODES, orgUnit="text", enrollment="text")
    if release.enrollment_status_param != "programStatus":
        out["status"] = ENROLLMENT_STATUSES
    if release.enrollments_accept_tracked_entity_type:
        out["trackedEntityType"] = "uid"
    else:
        out["attributeOptionCombo"] = "uid"
    return out


def _enrollment_request(ctx: Ctx) -> None:
    """EnrollmentRequestParamsMapper#validateRequestParams (2.41.9 :133-166, 2.42.5 :124-164,
    2.43.1 :126-137), after the order names: `program` beside `trackedEntityType`, the
    parameters that need a program, `updatedWithin` (`Release.enrollment_program_needed_prefix`,
    `enrollment_program_and_type_message`). 2.43 has only the last: its program is mandatory
    and `trackedEntityType` no parameter."""
    args, release = ctx.request.args, ctx.release
    program = args.get("program")
    if program and args.get("trackedEntityType") and release.enrollments_accept_tracked_entity_type:
        raise bad(release.enrollment_program_and_type_message)
    if not program:
        statuses = (("programStatus",) if release.enrollment_status_param == "programStatus"
                    else ("programStatus", "status"))
        needs = [(name, "is defined") for name in statuses]
        needs += [("followUp", "status is defined"), ("enrolledAfter", "is specified"),
                  ("enrolledBefore", "is specified")]
        for name, tail in needs:
            if args.get(name):
                raise bad(f"{release.enrollment_program_needed_prefix}`{name}` {tail}")
    check_updated_within(ctx, "enrollments")


def list_enrollments(ctx: Ctx) -> Response:
    """The checks run in DHIS2's order (2.41.9, 2.42.5, 2.43.1): Spring binds the request
    parameters (UIDs, orgUnitMode, dates, OrderCriteria); the controller checks paging
    (EnrollmentsExportController#getEnrollments, 2.41.9 :106, 2.42.5 :97, 2.43.1 :94);
    EnrollmentRequestParamsMapper#map (2.41.9 :63-89, 2.42.5 :64-78, 2.43.1 :65-80) checks
    2.43's mandatory program, 2.41's deprecated `orgUnit`/`ouMode`, the mode's combinations,
    2.42+ `programStatus` beside `status`, the order names and #validateRequestParams;
    2.42+ then PageParams#of (2.42.5 :102, 2.43.1 :99, `tracker_page_bounds_after_request_mapper`);
    last EnrollmentOperationParamsMapper#map (2.41.9 :67-75, 2.42.5 :67-75, 2.43.1 :72-77)
    looks up the program, (2.41/2.42) the tracked entity type, then the org units and the mode's
    authority. So an unknown order name answers before an unknown program or org unit."""
    # Spring's binding, in parameter name order (EnrollmentRequestParams: `trackedEntityType`
    # 2.41.9 :122, 2.42.5 :125; `trackedEntity` 2.41.9 :125, 2.42.5 :128, 2.43.1 :125, each a UID)
    bind_bean(ctx, _en_fields(ctx))
    args, p = ctx.request.args, Preheat(ctx.store)
    release = ctx.release
    _bound_program(ctx)
    if release.enrollments_accept_tracked_entity_type:
        _bound_uid(ctx, "trackedEntityType")
    _bound_uid(ctx, "trackedEntity")
    mode = bound_mode(ctx)
    follow_up = _bound_flag(ctx, "followUp")  # EnrollmentRequestParams `Boolean followUp`
    rows = _RowFilter(ctx, with_before=False)
    enrolled_after = date_arg(ctx, "enrolledAfter")
    enrolled_before = date_arg(ctx, "enrolledBefore", end_of_day=True)
    bind_order(args.getlist("order"))
    # the controller
    page = page_params(ctx, check_bounds=not release.tracker_page_bounds_after_request_mapper,
                       export=True)
    # the request mapper
    _required_program(ctx, "enrollments")
    if release.accepts_deprecated_tracker_aliases:
        _deprecated_scope_params(ctx)
    unit_uids = requested_org_units(ctx, "enrollments")
    mode = checked_mode(ctx, "enrollments", mode, unit_uids, False)
    status = _enrollment_list_status(ctx)
    specs = order_specs(ctx, _EN_ORDER)
    _enrollment_request(ctx)
    # 2.41.9 EnrollmentRequestParamsMapper#map (:84-89) the deprecated `enrollment` last
    en_uids = parse_uids(ctx, "enrollments", "enrollment")
    if release.tracker_page_bounds_after_request_mapper:
        check_page_bounds(ctx)
    # the operation params mapper
    program = _tracker_program(ctx, p)
    tet_uid = args.get("trackedEntityType") if release.enrollments_accept_tracked_entity_type else None
    _tracked_entity_type(ctx, p, tet_uid)
    if release.enrollments_accept_tracked_entity_type:
        # EnrollmentOperationParamsMapper#map → #validateTrackedEntities (2.41.9 :71, 2.42.5
        # :71-72; 2.43.1 has none): the one tracked entity given
        _check_tracked_entity(ctx, p, args.get("trackedEntity"), rows.include_deleted)
    scope = OrgUnitScope.resolve(ctx, p, "enrollments", mode, unit_uids, program)
    sel = _selection(ctx, "enrollments", listed=True)
    te_uid = args.get("trackedEntity")
    out = []
    # The program is the first check of each row, so narrowing by it in SQL is exact; an event
    # program's enrollment is never listed (2.42.5 HibernateEnrollmentStore :192, 2.43.1
    # JdbcEnrollmentStore :387: `programType = WITH_REGISTRATION`).
    for row in (_rows(ctx, "enrollments", "program=?", (program["id"],))
                if program is not None else _rows(ctx, "enrollments")):
        if program is not None and row["program"] != program["id"]:
            continue
        if not is_registration(p.by_uid("programs", row["program"]) or {}):
            continue
        if (te_uid and row["te"] != te_uid) or (en_uids and row["uid"] not in en_uids):
            continue
        if status and row["status"] != status:
            continue
        if follow_up is not None and bool(row["follow_up"]) != follow_up:
            continue
        if enrolled_after and (row["enrolled_at"] or "") < enrolled_after:
            continue
        if enrolled_before and (row["enrolled_at"] or "~") > enrolled_before:
            continue
        if tet_uid:
            te = tracker_store.get(ctx.store, "trackedEntity", row["te"])
            if te is None or te["tet"] != tet_uid:
                continue
        if not (rows.deleted_ok(row) and rows.updated(row)):
            continue
        if not enrollment_readable(ctx, p, row, scope):
            continue
        # without `program` the type's read too: 2.41.9/2.42.5 DefaultEnrollmentService
        # #getEnrollments/#findEnrollments `canRead` each (2.41.9 :242-261, 2.42.5 :255-274),
        # 2.43.1 EnrollmentOperationParamsMapper#getTrackerPrograms (:72-73, :111-117)
        if program is None and not type_readable(
                ctx, p, row, metadata=release.tracker_enrollment_read_needs_type_metadata):
            continue
        out.append(row)
    out = sort_rows(ctx, out, specs, _EN_ORDER)
    views = Views(ctx.store)
    return respond_page(ctx, "enrollments", out, page, lambda r: _item(
        ctx, "enrollments", views.enrollment(r, sel, rows.include_deleted), sel))


def get_enrollment(ctx: Ctx, uid: str) -> Response:
    ctx.check_path_uids(typed=True, uid=uid)
    p = Preheat(ctx.store)
    row = tracker_store.get(ctx.store, "enrollment", uid)
    # 2.41.9 looks the stored record up by uid, so an event program's hidden enrollment (the
    # `enrollment` of its events) is read too; from 2.42 the export serves tracker programs only
    hidden_ok = ctx.release.tracker_invisible_entity_status == 403
    if row is None or not (hidden_ok or is_registration(p.by_uid("programs", row["program"]) or {})) \
            or (row["deleted"] and not ctx.release.tracker_single_read_keeps_deleted):
        raise webmessage.fail(webmessage.not_found_object("Enrollment", uid))
    if ctx.release.tracker_invisible_entity_status == 403:
        errors = read_errors.enrollment_errors(ctx, p, row)
        if errors:
            raise webmessage.fail(webmessage.forbidden(read_errors.as_java_list(errors)))
    elif not enrollment_readable(ctx, p, row) or not type_readable(
            ctx, p, row, metadata=ctx.release.tracker_enrollment_read_needs_type_metadata):
        raise webmessage.fail(webmessage.not_found_object("Enrollment", uid))
    sel = _selection(ctx, "enrollments")
    return webmessage.json_response(fields.select(
        Views(ctx.store).enrollment(row, sel, False), sel))


# -- events -----------------------------------------------------------------------------------
def _event_rows(ctx: Ctx, program: dict[str, Any] | None, scope: OrgUnitScope,
                rows: _RowFilter) -> list[dict[str, Any]]:
    """The events the per-row checks of `list_events` look at. The program is their first check,
    so narrowing by it is exact; under orgUnitMode=SELECTED an event is readable only in one of
    the given org units (`OrgUnitScope#matches`), which narrows the rows too."""
    where, args = [], []
    if program is not None:
        where.append("program=?")
        args.append(program["id"])
    if scope.mode == "SELECTED" and scope.units:
        where.append(f"org_unit IN ({', '.join('?' for _ in scope.units)})")
        args += [u["id"] for u in scope.units]
    return _rows(ctx, "events", " AND ".join(where) or "1=1", tuple(args))


def _args(ctx: Ctx, unread: frozenset[str]) -> Any:
    """The request's parameters as the request mapper reads them: one the endpoint's request
    params do not have, or 2.43's single event mapper of `/events` does not read, is never
    read."""
    if not unread:
        return ctx.request.args
    return {k: v for k, v in ctx.request.args.items() if k not in unread}


def _endpoint_program(ctx: Ctx, p: Preheat, endpoint: EventEndpoint) -> dict[str, Any] | None:
    """The program's checks of the event mapper: 2.43.1's tracker events (`/trackerEvents`,
    and `/events` with a registration program, which EventsExportController#getEvents hands to
    the same service, :163-183, :359-367; TrackerEventOperationParamsMapper :97) ask
    OperationsParamsValidator#validateTrackerProgram (:135-154): data read of the program's
    tracked entity type, else a 403. 2.41.9/2.42.5's EventOperationParamsMapper asks only
    `#validateProgramAccess` (2.41.9 :160-176, 2.42.5 :156-172), so there the events of such a
    program are listed with `program` and dropped without it."""
    program = _program(ctx, p)
    if program is None:
        return program
    if endpoint.registration is None:
        if ctx.release.tracker_split_event_endpoints and is_registration(program):
            _check_type_data_read(ctx, p, program)
        return program
    message = program_kind_error(endpoint, is_registration(program), program["id"])
    if message is not None:
        raise bad(message)
    if endpoint.registration:
        _check_type_data_read(ctx, p, program)
    return program


def _check_type_data_read(ctx: Ctx, p: Preheat, program: dict[str, Any]) -> None:
    tet_uid = ref_id(program.get("trackedEntityType"))
    if not can_data_read(ctx.user, p.by_uid("trackedEntityTypes", tet_uid)):
        raise webmessage.fail(webmessage.forbidden(
            "User is not authorized to read data from selected program's tracked entity "
            f"type: {tet_uid}"))


def _event_value(ctx: Ctx, row: dict[str, Any], uid: str) -> str | None:
    """An order UID's value: the event's data value, else its tracked entity's attribute."""
    for value in tracker_store.data_values(ctx.store, row["uid"]):
        if value["data_element"] == uid:
            return str(value["value"])
    en = tracker_store.get(ctx.store, "enrollment", row["enrollment"] or "")
    for attr in tracker_store.attribute_values(ctx.store, en["te"]) if en else []:
        if attr["attribute"] == uid:
            return str(attr["value"])
    return None


def _not_mapped(ctx: Ctx) -> webmessage.HttpError:
    """What the app answers for a path no controller maps (core/app.py)."""
    return webmessage.fail(unmapped.answer(ctx.request, ctx.release))


_TE_ORDER = {"createdAt": "created", "updatedAt": "updated", "createdAtClient": "created_client",
             "trackedEntity": "uid", "updatedAtClient": "updated_client", "inactive": "inactive",
             "enrolledAt": "enrolled_at"}


def _program_exists(ctx: Ctx, p: Preheat) -> dict[str, Any]:
    """2.43.1 EventsExportController#getProgram (:333-342): the program of `/events` looked up
    before anything else the controller does; its kind picks the request mapper, its access
    is checked by the service."""
    uid = ctx.request.args.get("program") or ""
    program = p.by_uid("programs", uid)
    if program is None:
        raise bad(f"Program is specified but does not exist: {uid}")
    return program


def _one_of(ctx: Ctx, old: str, new: str) -> None:
    """RequestParamsValidator#validateDeprecatedParameter (2.41.9 :137-148, 2.42.5 and 2.43.1
    the same words): a parameter beside the deprecated one it replaces."""
    args = ctx.request.args
    if args.get(old) and args.get(new):
        raise bad(f"Only one parameter of '{old}' and '{new}' must be specified. Prefer '{new}' "
                  f"as '{old}' will be removed.")


def _deprecated_mode(ctx: Ctx) -> None:
    """2.41.9 `ouMode` beside `orgUnitMode`, the first check of EventRequestParamsMapper#map
    (:69-74)."""
    _one_of(ctx, "ouMode", "orgUnitMode")


def _event_stage_and_entity(ctx: Ctx, p: Preheat, args: Any, include_deleted: bool) -> None:
    """The events' operation params mapper after the program: #validateProgramStage
    (EventOperationParamsMapper 2.41.9 :177-194, 2.42.5 :184-201; 2.43.1
    TrackerEventOperationParamsMapper :184-201) and OperationsParamsValidator
    #validateTrackedEntity (2.41.9 :185-205, 2.42.5 :181-202, 2.43.1 :211-231; its 403 names
    `Release.tracker_type_read_refusal_subject`). Single events read neither parameter."""
    stage_uid = args.get("programStage")
    if stage_uid:
        stage = p.by_uid("programStages", stage_uid)
        if stage is None:
            raise bad(f"Program stage is specified but does not exist: {stage_uid}")
        if not can_data_read(ctx.user, stage):
            raise webmessage.fail(webmessage.forbidden(f"User has no access to program stage: {stage_uid}"))
    _check_tracked_entity(ctx, p, args.get("trackedEntity"), include_deleted)


def _check_tracked_entity(ctx: Ctx, p: Preheat, te_uid: str | None, include_deleted: bool) -> None:
    """OperationsParamsValidator#validateTrackedEntity: the events' `trackedEntity`, and through
    #validateTrackedEntities the enrollments' one (2.41/2.42)."""
    if te_uid:
        row = tracker_store.get(ctx.store, "trackedEntity", te_uid)
        if row is None or (row["deleted"] and not include_deleted):
            raise bad(f"Tracked entity is specified but does not exist: {te_uid}")
        if row["tet"] and not can_data_read(ctx.user, p.by_uid("trackedEntityTypes", row["tet"])):
            raise webmessage.fail(webmessage.forbidden(
                f"{ctx.release.tracker_type_read_refusal_subject} is not authorized to read data "
                f"from type of selected tracked entity: {row['tet']}"))


def _event_fields(ctx: Ctx, endpoint: EventEndpoint) -> dict[str, Kind]:
    """EventRequestParams' bound fields (2.41.9 :72-208, 2.42.5 and 2.43.1 `/events`' :79-182;
    2.43.1 Tracker-/SingleEventRequestParams the same without `endpoint.unbound`; the `String`s,
    `filter`, `filterAttributes`, `fields` and 2.41's `assignedUser`, `attributeCos`, `event`
    convert without failing). In name order, so before 2.43's `@RequestParam UID program`."""
    release = ctx.release
    out: dict[str, Kind] = {
        **paging_fields(ctx), "program": "uid", "programStage": "uid",
        "programStatus": ENROLLMENT_STATUSES, "followUp": "Boolean", "trackedEntity": "uid",
        "orgUnit": "uid", "orgUnitMode": ORG_UNIT_MODES, "assignedUserMode": ASSIGNED_USER_MODES,
        "assignedUsers": "uids", "occurredAfter": "start", "occurredBefore": "end",
        "scheduledAfter": "start", "scheduledBefore": "end", "updatedAfter": "start",
        "updatedBefore": "end", "enrollmentEnrolledAfter": "start",
        "enrollmentEnrolledBefore": "end", "enrollmentOccurredAfter": "start",
        "enrollmentOccurredBefore": "end", "status": EVENT_STATUSES,
        "attributeCategoryCombo": "uid", "attributeCategoryOptions": "uids",
        "includeDeleted": "boolean", "events": "uids", "enrollments": "uids",
        "filter": "text", "filterAttributes": "text", "fields": "text",
        # `String updatedWithin` (EventRequestParams :147 at the three tags; 2.43.1
        # TrackerEventRequestParams :142, SingleEventRequestParams :119)
        "updatedWithin": "text"}
    if release.accepts_deprecated_tracker_aliases:
        out.update(ouMode=ORG_UNIT_MODES, attributeCc="uid", assignedUser="text",
                   attributeCos="text", event="text")
    if release.enrollment_status_param != "programStatus":
        out[release.enrollment_status_param] = ENROLLMENT_STATUSES
    return {name: kind for name, kind in out.items() if name not in endpoint.unbound}


def list_events(ctx: Ctx, endpoint: EventEndpoint = EVENTS) -> Response:
    """The checks run in DHIS2's order (2.41.9, 2.42.5, 2.43.1): Spring binds the request
    parameters (UIDs, orgUnitMode, dates, OrderCriteria; 2.43's `/events` its
    `@RequestParam UID program`); the controller checks paging and builds the page
    (EventsExportController#getEvents 2.41.9 :157 with the bounds in
    #validatePaginationParameters, 2.42.5 :142-147 PageParams#of before the mapper; 2.43.1
    :160-167 looks the program up between the two, `_program_exists`; Tracker-/
    SingleEventsExportController :139-146); the request mapper (EventRequestParamsMapper#map
    2.41.9 :67-116, 2.42.5 :71-96; 2.43.1 Tracker-/SingleEventRequestParamsMapper :73-102)
    checks 2.43's mandatory program, 2.41's `ouMode`, the mode's combinations, event UIDs with
    a filter, parses the filters, then `updatedWithin` and the order names; last the operation
    params mapper (EventOperationParamsMapper#map 2.41.9 :95-119, 2.42.5 :93-118; 2.43.1
    TrackerEventOperationParamsMapper :97-122, SingleEventOperationParamsMapper :81-100) looks
    up the program, the org unit and the mode's authority, the filtered data elements and the
    ordered UIDs. So a malformed filter answers before an unknown program. 2.43's `/events`
    with a program without registration reads only what SingleEventRequestParamsMapper reads
    (`EVENT_PROGRAM_UNREAD`)."""
    if endpoint is not EVENTS and not ctx.release.tracker_split_event_endpoints:
        raise _not_mapped(ctx)
    bind_bean(ctx, _event_fields(ctx, endpoint))
    p = Preheat(ctx.store)
    # Spring's binding (EventRequestParams' `UID programStage`, `trackedEntity`, `orgUnit`:
    # 2.41.9 :101-111, 2.42.5 :112-126; 2.43.1 the split request params, SingleEventRequestParams
    # without the first two)
    _bound_program(ctx)
    for name in ("programStage", "trackedEntity", "orgUnit"):
        if name not in endpoint.unbound:
            _bound_uid(ctx, name)
    mode = bound_mode(ctx)
    rows = _RowFilter(ctx)
    ranges = {key: (date_arg(ctx, f"{key}After"), date_arg(ctx, f"{key}Before", end_of_day=True))
              for key in ("occurred", "scheduled") if f"{key}After" not in endpoint.unbound}
    bind_order(ctx.request.args.getlist("order"))
    en_uids = parse_uids(ctx, "enrollments", None) if "enrollments" not in endpoint.unbound else set()
    if endpoint is EVENTS:
        _required_program(ctx, "events")
    order_columns: dict[str, Column] = (
        dict(endpoint.orderable) if endpoint.orderable is not None else event_order.columns(ctx, p))
    # only 2.43's /events looks the program up in the controller, before the page and mapper
    program_first = endpoint is EVENTS and ctx.release.tracker_split_event_endpoints
    # the controller
    page = page_params(ctx, check_bounds=not program_first, export=True)
    meaning = endpoint.uid_meaning or event_order.uid_meaning(ctx, None)
    unread = endpoint.unbound
    if program_first:
        looked_up = _program_exists(ctx, p)
        meaning = event_order.uid_meaning(ctx, looked_up)
        if not is_registration(looked_up):
            # 2.43.1 EventsExportController#getEvents (:163, :193; unpaged :207 →
            # #getSingleEventsList :344-357): SingleEventRequestParamsMapper, bound but unread
            unread = EVENT_PROGRAM_UNREAD
        check_page_bounds(ctx)
    args = _args(ctx, unread)
    ranges = {key: bounds for key, bounds in ranges.items() if f"{key}After" not in unread}
    en_uids = set() if "enrollments" in unread else en_uids
    # the request mapper
    if endpoint is not EVENTS:
        _required_program(ctx, "split")
    if ctx.release.accepts_deprecated_tracker_aliases:
        _deprecated_mode(ctx)
    unit_uids = requested_org_units(ctx, "events")
    mode = checked_mode(ctx, "events", mode, unit_uids, False)
    # 2.41.9 EventRequestParamsMapper#map (:83-94) the deprecated `attributeCc`/`attributeCos`;
    # 2.42.5 (:81-86) and 2.43.1 TrackerEventRequestParamsMapper (:84-89) `programStatus`
    # beside `enrollmentStatus` (SingleEventRequestParams has neither)
    if ctx.release.accepts_deprecated_tracker_aliases:
        _one_of(ctx, "attributeCc", "attributeCategoryCombo")
        parse_uids(ctx, "attributeCategoryOptions", "attributeCos")
    elif "enrollmentStatus" not in unread:
        _one_of(ctx, "programStatus", "enrollmentStatus")
    ev_uids = parse_uids(ctx, "events", "event")
    if ev_uids and args.get("filter"):
        raise bad("Event UIDs and filters can not be specified at the same time")
    filters = parsed_data_value_filters(ctx, p)
    # parsed beside `filter` (2.41.9 :104-105, 2.42.5 :91-92, 2.43.1 :94-95); looked up
    # after the data elements, but not filtered by here
    attribute_filters = (parsed_attribute_filters(ctx, p, "filterAttributes")
                         if "filterAttributes" not in unread else [])
    if ctx.release.accepts_deprecated_tracker_aliases:
        parse_uids(ctx, "assignedUsers", "assignedUser")  # 2.41.9 :107-112
    check_updated_within(ctx, "events")
    specs = order_specs(ctx, order_columns, meaning)
    # the operation params mapper
    program = _endpoint_program(ctx, p, endpoint)
    _event_stage_and_entity(ctx, p, args, rows.include_deleted)
    scope = OrgUnitScope.resolve(ctx, p, "events", mode, unit_uids, program)
    check_filter_data_elements(p, filters)
    # EventOperationParamsMapper#mapAttributeFilters, #mapOrderParam, then the
    # AssignedUserQueryParam it builds (2.41.9 :117-135, 2.42.5 :115-143, 2.43.1
    # TrackerEventOperationParamsMapper :120-144, SingleEventOperationParamsMapper :99-112)
    check_filter_attributes(p, attribute_filters)
    event_order.check_uids(p, specs, order_columns, meaning)
    _assigned_user_query(ctx)
    sel = _selection(ctx, "events", listed=True)
    stage_uid, te_uid = args.get("programStage"), args.get("trackedEntity")
    status = enum_value("status", args.get("status"), EVENT_STATUSES) or None
    assigned_mode, assigned = assigned_users(ctx)
    enrollment_status, follow_up = _event_enrollment_conditions(ctx, args)
    # the enrollment's dates (JdbcEventStore 2.41.9 :1013-1041, 2.42.5 :887-928; 2.43.1
    # JdbcTrackerEventStore :996-1018): `en.enrollmentdate`, `en.occurreddate` within them
    enrollment_dates = {
        column: (date_arg(ctx, f"{name}After"), date_arg(ctx, f"{name}Before", end_of_day=True))
        for name, column in (("enrollmentEnrolled", "enrolled_at"), ("enrollmentOccurred", "occurred_at"))
        if f"{name}After" not in unread}
    enrollment_dates = {k: v for k, v in enrollment_dates.items() if v != (None, None)}
    out = []
    for row in _event_rows(ctx, program, scope, rows):
        if program is not None and row["program"] != program["id"]:
            continue
        if (stage_uid and row["program_stage"] != stage_uid) or (status and row["status"] != status):
            continue
        if (ev_uids and row["uid"] not in ev_uids) or (en_uids and row["enrollment"] not in en_uids):
            continue
        if te_uid:
            en = tracker_store.get(ctx.store, "enrollment", row["enrollment"] or "")
            if en is None or en["te"] != te_uid:
                continue
        if not _assignee_matches(assigned_mode, assigned, assignee(row)):
            continue
        if enrollment_status is not None or follow_up is not None:
            # an event program's event has no enrollment row here: DHIS2's one enrollment of
            # such a program is ACTIVE and not followed up
            en = tracker_store.get(ctx.store, "enrollment", row["enrollment"] or "") or {
                "status": "ACTIVE", "follow_up": 0}
            if (enrollment_status is not None and en["status"] != enrollment_status) or (
                    follow_up is not None and bool(en["follow_up"]) != follow_up):
                continue
        if enrollment_dates and row["enrollment"]:
            # an event program's event (no enrollment row here) is not narrowed: its one
            # enrollment's dates are not modelled
            en = tracker_store.get(ctx.store, "enrollment", row["enrollment"]) or {}
            if any((after and (en.get(column) or "") < after) or (before and (en.get(column) or "~") > before)
                   for column, (after, before) in enrollment_dates.items()):
                continue
        skip = False
        for key, (after, before) in ranges.items():
            value = row[f"{key}_at"]
            if (after and (value or "") < after) or (before and (value or "~") > before):
                skip = True
        if skip or not (rows.deleted_ok(row) and rows.updated(row)):
            continue
        if not event_readable(ctx, p, row, scope):
            continue
        # without `program` TrackerProgramService's programs (type metadata and data read):
        # EventOperationParamsMapper#getPrograms (2.41.9 :161-167, JdbcEventStore :972-982;
        # 2.42.5 :168-174, :846-856), 2.43.1 TrackerEventOperationParamsMapper (:167-173)
        if program is None and not type_readable(ctx, p, row, metadata=True):
            continue
        if filters:
            values = {v["data_element"]: v["value"] for v in tracker_store.data_values(ctx.store, row["uid"])}
            if not all(f.matches(values.get(f.uid)) for f in filters):
                continue
        out.append(row)
    out = sort_rows(ctx, out, specs, order_columns, uid_value=lambda r, u: _event_value(ctx, r, u))
    views = Views(ctx.store)
    return respond_page(ctx, endpoint.key, out, page, lambda r: _item(
        ctx, "events", _without(views.event(r, sel, rows.include_deleted), endpoint), sel),
        prefetch=lambda chunk: views.prefetch("event", chunk, sel))


def _event_enrollment_conditions(ctx: Ctx, args: Any) -> tuple[str | None, bool | None]:
    """The enrollment status (2.41.9 `programStatus`, 2.42.5+ `enrollmentStatus` or the
    deprecated `programStatus`) and `followUp` the event's enrollment must have (JdbcEventStore
    2.41.9 :1007-1011 / :1061-1067, 2.42.5 :881-885 / :947-953; 2.43.1 JdbcTrackerEventStore
    :991-994 / :1032-1037; single events bind neither)."""
    given = next((n for n in ("enrollmentStatus", "programStatus") if args.get(n)), None)
    status = enum_value(given, args[given], ENROLLMENT_STATUSES) if given else None
    raw = args.get("followUp")
    try:
        follow_up = spring_bool(raw) if raw is not None else None
    except ValueError:
        follow_up = None
    return status, follow_up


def _assignee_matches(mode: str, users: set[str], uid: str | None) -> bool:
    """The assigned user conditions of the event stores (JdbcEventStore 2.41.9 :1129-1142,
    2.42.5 :998-1011; 2.43.1 Jdbc-Tracker-/SingleEventStore #addAssignedUserConditions):
    PROVIDED (CURRENT as the user) one of the users, NONE none, ANY one."""
    if mode == "PROVIDED":
        return uid in users
    if mode == "NONE":
        return uid is None
    if mode == "ANY":
        return uid is not None
    return True


def _without(view: dict[str, Any], endpoint: EventEndpoint) -> dict[str, Any]:
    for key in endpoint.dropped:
        view.pop(key, None)
    return view


def find_event(ctx: Ctx, p: Preheat, uid: str, endpoint: EventEndpoint = EVENTS,
               include_deleted: bool = False, forbid: bool = True) -> dict[str, Any]:
    """The readable event `uid` of the endpoint's kind, or its 404. 2.41 asks `canRead` of the
    stored event: the single read answers its errors as a 403, the change log
    (`DefaultEventChangeLogService#getEventChangeLog` :62-71, `forbid` False) a 404."""
    row = tracker_store.get(ctx.store, "event", uid)
    if row is None or (row["deleted"] and not include_deleted):
        raise webmessage.fail(webmessage.not_found_object("Event", uid))
    if ctx.release.tracker_invisible_entity_status == 403:
        errors = read_errors.event_errors(ctx, p, row)
        if errors and forbid:
            raise webmessage.fail(webmessage.forbidden(read_errors.as_java_list(errors)))
        if errors:
            raise webmessage.fail(webmessage.not_found_object("Event", uid))
    elif not event_readable(ctx, p, row) or not type_readable(ctx, p, row, metadata=True):
        raise webmessage.fail(webmessage.not_found_object("Event", uid))
    if endpoint.registration is not None:
        program = p.by_uid("programs", row["program"])
        if program is None or is_registration(program) != endpoint.registration:
            raise webmessage.fail(webmessage.not_found_object("Event", uid))
    return row


def get_event(ctx: Ctx, uid: str, endpoint: EventEndpoint = EVENTS) -> Response:
    if endpoint is not EVENTS and not ctx.release.tracker_split_event_endpoints:
        raise _not_mapped(ctx)
    ctx.check_path_uids(typed=True, uid=uid)
    p = Preheat(ctx.store)
    row = find_event(ctx, p, uid, endpoint, ctx.release.tracker_single_read_keeps_deleted)
    sel = _selection(ctx, "events")
    view = Views(ctx.store).event(row, sel, False)
    return webmessage.json_response(fields.select(_without(view, endpoint), sel))


def list_tracker_events(ctx: Ctx) -> Response:
    return list_events(ctx, TRACKER_EVENTS)


def get_tracker_event(ctx: Ctx, uid: str) -> Response:
    return get_event(ctx, uid, TRACKER_EVENTS)


def list_single_events(ctx: Ctx) -> Response:
    return list_events(ctx, SINGLE_EVENTS)


def get_single_event(ctx: Ctx, uid: str) -> Response:
    return get_event(ctx, uid, SINGLE_EVENTS)


# -- relationships ----------------------------------------------------------------------------
_REL_ENTITY = {"trackedEntity": "TrackedEntity", "enrollment": "Enrollment", "event": "Event"}


# RelationshipMapper.ORDERABLE_FIELDS (:54-55 at 2.41.9, 2.42.5 and 2.43.1): not `updatedAt`.
_REL_COLUMNS: dict[str, Column] = {"createdAt": "created", "createdAtClient": "created_client"}
_REL_UIDS = ("trackedEntity", "enrollment", "event")


def _bound_relationship_params(ctx: Ctx) -> dict[str, str | None]:
    """Spring binds RelationshipRequestParams, a bean, before the controller runs, its
    parameters in name order (`bean_binding.py`): the UIDs, `order` (`List<OrderCriteria>`),
    the paging Integers and flags, `boolean includeDeleted` (2.41.9 :97, 2.42.5 and 2.43.1
    :102); the first refusal is the 400."""
    kinds: dict[str, Kind] = {**paging_fields(ctx), "includeDeleted": "boolean",
                              **dict.fromkeys(_REL_UIDS, "uid"), "fields": "text"}
    if ctx.release.accepts_deprecated_tracker_aliases:
        kinds["tei"] = "uid"  # 2.41.9 `UID tei` (:83)
    bind_bean(ctx, kinds)
    return {name: ctx.request.args.get(name) or None for name in kinds if kinds[name] == "uid"}


def list_relationships(ctx: Ctx) -> Response:
    """The checks in DHIS2's order: the bean's binding; the controller's
    `validatePaginationParameters` (RelationshipsExportController#getRelationships, 2.41.9,
    2.42.5, 2.43.1); RelationshipRequestParamsMapper#map: 2.41.9 the deprecated `tei`, then
    "Missing required parameter", "Only one of parameters" and the order names (:62-106);
    2.42.5/2.43.1 "Only one of", then the missing one (`#getTrackerType` :99-110) and the
    order names (:64-97); 2.42+ then PageParams#of's bounds (2.42.5 :104-107, 2.43.1 :101-104,
    `tracker_page_bounds_after_request_mapper`; 2.41.9's `validatePaginationParameters` checks
    them first); then the service looks the entity up."""
    p = Preheat(ctx.store)
    bound = _bound_relationship_params(ctx)
    after_mapper = ctx.release.tracker_page_bounds_after_request_mapper
    page = page_params(ctx, check_bounds=not after_mapper, export=True)
    if ctx.release.accepts_deprecated_tracker_aliases and bound.get("tei"):
        if bound["trackedEntity"]:
            raise bad("Only one parameter of 'tei' and 'trackedEntity' must be specified. Prefer "
                      "'trackedEntity' as 'tei' will be removed.")
        bound["trackedEntity"] = bound["tei"]
    given = [k for k in _REL_UIDS if bound[k]]
    if len(given) > 1:
        raise bad("Only one of parameters 'trackedEntity', 'enrollment' or 'event' is allowed.")
    if not given:
        raise bad("Missing required parameter 'trackedEntity', 'enrollment' or 'event'.")
    specs = order_specs(ctx, _REL_COLUMNS)
    if after_mapper:
        check_page_bounds(ctx)
    kind = given[0]
    uid = str(bound[kind])
    row = tracker_store.get(ctx.store, kind, uid)
    if row is None:
        raise webmessage.fail(webmessage.not_found_object(_REL_ENTITY[kind], uid))
    if not readable(ctx, p, kind, row):
        raise webmessage.fail(webmessage.forbidden(f"User has no access to {_REL_ENTITY[kind]}: {uid}"))
    include_deleted = _flag(ctx, "includeDeleted")
    rels = [r for r in tracker_store.relationships_of(ctx.store, uid, include_deleted)
            if all(end_readable(ctx, p, r[f"{side}_kind"], r[f"{side}_uid"]) for side in ("from", "to"))]
    rels = sort_rows(ctx, rels, specs, _REL_COLUMNS)
    sel = _selection(ctx, "relationships", listed=True)
    views = Views(ctx.store)
    return respond_page(ctx, "relationships", rels, page,
                        lambda r: fields.select(views.relationship(r, sel), sel))


def get_relationship(ctx: Ctx, uid: str) -> Response:
    ctx.check_path_uids(typed=True, uid=uid)
    p = Preheat(ctx.store)
    row = tracker_store.get_relationship(ctx.store, uid)
    if row is None or (row["deleted"] and not _flag(ctx, "includeDeleted")) or not all(
            end_readable(ctx, p, row[f"{s}_kind"], row[f"{s}_uid"]) for s in ("from", "to")):
        raise webmessage.fail(webmessage.not_found_object("Relationship", uid))
    sel = _selection(ctx, "relationships")
    return webmessage.json_response(fields.select(Views(ctx.store).relationship(row, sel), sel))


RULES = [
    Rule("/api/tracker/trackedEntities", endpoint=list_tracked_entities, methods=["GET"]),
    Rule("/api/tracker/trackedEntities/<uid>", endpoint=get_tracked_entity, methods=["GET"]),
    Rule("/api/tracker/enrollments", endpoint=list_enrollments, methods=["GET"]),
    Rule("/api/tracker/enrollments/<uid>", endpoint=get_enrollment, methods=["GET"]),
    Rule("/api/tracker/events", endpoint=list_events, methods=["GET"]),
    Rule("/api/tracker/events/<uid>", endpoint=get_event, methods=["GET"]),
    Rule("/api/tracker/trackerEvents", endpoint=list_tracker_events, methods=["GET"]),
    Rule("/api/tracker/trackerEvents/<uid>", endpoint=get_tracker_event, methods=["GET"]),
    Rule("/api/tracker/singleEvents", endpoint=list_single_events, methods=["GET"]),
    Rule("/api/tracker/singleEvents/<uid>", endpoint=get_single_event, methods=["GET"]),
    Rule("/api/tracker/relationships", endpoint=list_relationships, methods=["GET"]),
    Rule("/api/tracker/relationships/<uid>", endpoint=get_relationship, methods=["GET"]),
]
