"""The three event export endpoints of 2.43: what sets `/api/tracker/trackerEvents` and
`/api/tracker/singleEvents` apart from `/api/tracker/events` (2.41 and 2.42 map neither:
`Release.tracker_split_event_endpoints`).

dhis2-core 2.43.1 `webapi/controller/tracker/export/`:
- `trackerevent/TrackerEventsExportController.java` (`@RequestMapping("/api/tracker/trackerEvents")`
  :93, list :131-166, `/{uid}` :235-254, `/{event}/changeLogs` :301-325): the page key
  `trackerEvents`, `TrackerEventRequestParams` (the event parameters without
  `attributeCategoryOptions`), `TrackerEventRequestParamsMapper#map` then
  `dhis-tracker/…/export/trackerevent/TrackerEventOperationParamsMapper#map` →
  `OperationsParamsValidator#validateTrackerProgram` (2.43.1 :135-154): an unknown program 400
  "Program is specified but does not exist: <uid>", no data read 403 "User has no access to
  program: <uid>", an event program 400 "Program specified is not a tracker program: <uid>",
  the tracked entity type unreadable 403 "User is not authorized to read data from selected
  program's tracked entity type: <uid>"; the view `view/TrackerEvent.java` is `view/Event.java`
  without `attributeCategoryOptions`; order by `TrackerEventMapper.ORDERABLE_FIELDS`
  (completedAt, createdAt, occurredAt, scheduledAt, updatedAt) or data element and attribute
  UIDs;
- `singleevent/SingleEventsExportController.java` (`@RequestMapping("/api/tracker/singleEvents")`
  :93, list :128-163, `/{uid}` :232-251, `/{event}/changeLogs` :298-322): the page key
  `singleEvents`, `SingleEventRequestParams` (no programStage, trackedEntity, enrollments,
  followUp, scheduled…, enrollment… or filterAttributes: not bound, so not read),
  `OperationsParamsValidator#validateEventProgram` (:163-176): a tracker program 400 "Program
  specified is not an event program: <uid>"; the view `view/SingleEvent.java` has no
  programStage, enrollment, trackedEntity, scheduledAt, followUp or attributeCategoryOptions;
  order by `SingleEventMapper.ORDERABLE_FIELDS` (completedAt, createdAt, occurredAt, updatedAt)
  or data element UIDs;
- a single read or change log of an event of the other kind is 404 "Event with id … could not
  be found." (`DefaultTrackerEventService#getEvent` :193, `DefaultSingleEventService#getEvent`
  :199, `event/EventChangeLogService#getEventChangeLog` :60-62);
- `/api/tracker/events` itself binds the whole `event/EventRequestParams`, and for a program
  without registration maps it with `event/SingleEventRequestParamsMapper#map` (:65-111), which
  reads no tracker parameter (`EVENT_PROGRAM_UNREAD`): they are bound (a malformed UID or date
  is still Spring's 400) but neither checked nor applied.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventEndpoint:
    key: str                            # page key, and the path under /api/tracker
    registration: bool | None           # the program kind it serves; None: either
    unbound: frozenset[str]             # event parameters its request params do not have
    dropped: tuple[str, ...]            # view properties it does not have
    orderable: dict[str, str] | None    # order field → column; None: /events' own
    uid_meaning: str | None             # what an order UID names


EVENTS = EventEndpoint("events", None, frozenset(), (), None, None)
_ORDER = {"completedAt": "completed_at", "createdAt": "created", "occurredAt": "occurred_at",
          "updatedAt": "updated"}
TRACKER_EVENTS = EventEndpoint(
    "trackerEvents", True, frozenset({"attributeCategoryOptions"}),
    ("attributeCategoryOptions",), {**_ORDER, "scheduledAt": "scheduled_at"},
    "data element and attribute")
SINGLE_EVENTS = EventEndpoint(
    "singleEvents", False,
    frozenset({"programStage", "trackedEntity", "enrollments", "followUp", "scheduledAfter",
               "scheduledBefore", "programStatus", "enrollmentStatus", "enrollmentEnrolledAfter",
               "enrollmentEnrolledBefore", "enrollmentOccurredAfter",
               "enrollmentOccurredBefore", "filterAttributes", "attributeCategoryOptions"}),
    ("programStage", "enrollment", "trackedEntity", "scheduledAt", "followUp",
     "attributeCategoryOptions"),
    _ORDER, "data element")
# what 2.43.1 `event/SingleEventRequestParamsMapper#map` (:65-111) never reads of
# EventRequestParams: the single events' unbound parameters but `attributeCategoryOptions`,
# which it maps (:100)
EVENT_PROGRAM_UNREAD = SINGLE_EVENTS.unbound - {"attributeCategoryOptions"}


def program_kind_error(endpoint: EventEndpoint, registration: bool, uid: str) -> str | None:
    """`OperationsParamsValidator#validateTrackerProgram` / `#validateEventProgram`."""
    if endpoint.registration is None or endpoint.registration == registration:
        return None
    kind = "a tracker" if endpoint.registration else "an event"
    return f"Program specified is not {kind} program: {uid}"
