"""The event conditions of `GET /api/tracker/trackedEntities` with a program: a tracked entity
is listed when one of its enrollments in the program (matching the enrollment conditions) has
an event matching these.

They apply only when `TrackedEntityQueryParams#hasFilterForEvents`: an `eventStatus` (with its
`eventOccurredAfter`/`eventOccurredBefore`, which the request mapper wants together) or an
assigned user mode other than ALL (`AssignedUserQueryParam`: CURRENT reads as PROVIDED with the
user, users alone as PROVIDED). Then, on one event (HibernateTrackedEntityStore
#getFromSubQueryEvent / #appendEventExistsForEnrollmentJoin 2.41.9 :1044-1152 and :879-952,
2.42.5 :1033-1142 and :877-951; 2.43.1 JdbcTrackedEntityStore #addEventFilterConditions
:815-855 with #addEventDateRangeCondition / #addEventStatusCondition :600-650):

- `eventStatus` COMPLETED / ACTIVE or VISITED / SKIPPED: that stored status (VISITED reads as
  ACTIVE) with the occurred date (SKIPPED: the scheduled date) in the window; SCHEDULE / OVERDUE:
  not SKIPPED, no occurred date, the scheduled date in the window and today on or before it
  (SCHEDULE) or after it (OVERDUE);
- `programStage`: the event's stage;
- NONE: no assigned user; ANY: one; PROVIDED: one of those given;
- not soft-deleted unless `includeDeleted`.

Without a program none of this narrows anything (the conditions sit in the program's
enrollment EXISTS).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from scdi.sandbox.core.context import Ctx
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export.bean_binding import ASSIGNED_USER_MODES, EVENT_STATUSES, enum_value
from scdi.sandbox.tracker.export.query import date_arg, parse_uids

EventTest = Callable[[dict[str, Any]], bool]


def assigned_users(ctx: Ctx) -> tuple[str, set[str]]:
    """The AssignedUserQueryParam's mode and users (its refusals are the request mapper's)."""
    mode = enum_value("assignedUserMode", ctx.request.args.get("assignedUserMode"), ASSIGNED_USER_MODES)
    users = parse_uids(ctx, "assignedUsers", "assignedUser")
    if mode == "CURRENT":
        return "PROVIDED", {ctx.user.uid}
    if mode in (None, "PROVIDED") and users:
        return "PROVIDED", users
    return mode or "ALL", set()


def assignee(row: dict[str, Any]) -> str | None:
    raw = row.get("assigned_user")
    if not raw:
        return None
    try:
        return str(json.loads(raw).get("uid") or "") or None
    except (ValueError, AttributeError):
        return None


def _status_test(status: str, after: str | None, before: str | None) -> EventTest:
    today = date.today().isoformat()

    def within(value: str | None) -> bool:
        if not value:
            return False
        return (after is None or value >= after) and (before is None or value <= before)

    def test(ev: dict[str, Any]) -> bool:
        if status in ("COMPLETED", "ACTIVE", "VISITED"):
            return ev["status"] == ("COMPLETED" if status == "COMPLETED" else "ACTIVE") \
                and within(ev["occurred_at"])
        if status == "SKIPPED":
            return ev["status"] == "SKIPPED" and within(ev["scheduled_at"])
        scheduled = ev["scheduled_at"]
        if ev["status"] == "SKIPPED" or ev["occurred_at"] or not within(scheduled):
            return False
        day = str(scheduled)[:10]
        return today <= day if status == "SCHEDULE" else today > day
    return test


def event_test(ctx: Ctx, include_deleted: bool) -> EventTest | None:
    """The test an enrollment's events must pass (some event), or None when no event
    condition applies."""
    args = ctx.request.args
    status = enum_value("eventStatus", args.get("eventStatus"), EVENT_STATUSES)
    mode, users = assigned_users(ctx)
    if status is None and mode == "ALL":
        return None
    tests: list[EventTest] = []
    if status is not None:
        tests.append(_status_test(status, date_arg(ctx, "eventOccurredAfter"),
                                  date_arg(ctx, "eventOccurredBefore", end_of_day=True)))
    stage = args.get("programStage")
    if stage:
        tests.append(lambda ev: ev["program_stage"] == stage)
    if mode == "NONE":
        tests.append(lambda ev: assignee(ev) is None)
    elif mode == "ANY":
        tests.append(lambda ev: assignee(ev) is not None)
    elif mode == "PROVIDED":
        tests.append(lambda ev: assignee(ev) in users)

    def enrollment_ok(enrollment: dict[str, Any]) -> bool:
        events = tracker_store.events_of(ctx.store, enrollment["uid"], include_deleted)
        return any(all(t(ev) for t in tests) for ev in events)
    return enrollment_ok
