"""`GET /api/tracker/events?order=`: the fields and UIDs an event export orders by, per release.

The request params mapper checks the names against `EventMapper.ORDERABLE_FIELDS`
(`webapi/controller/tracker/export/event/EventMapper.java`: 25 fields at 2.42.5 :65-91 and
2.43.1 :63-89, 2.41.9 :59-89 also `followup`, `Release.tracker_event_order_followup`) with
`RequestParamsValidator#validateOrderParams(order, fields, uidMeaning)`: any other name that is
a valid UID passes (an 11-character field name such as `scheduledAt` is one). The meaning is
"data element and attribute", except for a program without registration at 2.43.1, whose
`/api/tracker/events` goes through `SingleEventRequestParamsMapper` ("data element";
`Release.tracker_split_event_endpoints`). 2.43.1's `EventsExportController#getEvents` looks the
program up first (:154-161), 2.41.9/2.42.5 in the operation params mapper after the order check.
The operation params mapper then looks each UID up (`#mapOrderParam`: 2.41.9
`EventOperationParamsMapper` :271-304, 2.42.5 :279-314, 2.43.1
`TrackerEventOperationParamsMapper` :268-303 a data element, else a tracked entity attribute;
`SingleEventOperationParamsMapper` :183-210 a data element only), after the org unit checks.
Values of fields held on the enrollment (`enrollment.*`) come from the event's enrollment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export.query import Column, bad
from scdi.sandbox.tracker.preheat import Preheat

Getter = Callable[[dict[str, Any]], Any]
_OWN = {"assignedUser": "assigned_user", "attributeOptionCombo": "aoc",
        "completedAt": "completed_at", "completedBy": "completed_by", "createdAt": "created",
        "createdAtClient": "created_client", "createdBy": "created_by", "deleted": "deleted",
        "enrollment": "enrollment", "event": "uid", "occurredAt": "occurred_at",
        "orgUnit": "org_unit", "program": "program", "programStage": "program_stage",
        "scheduledAt": "scheduled_at", "status": "status", "storedBy": "stored_by",
        "updatedAt": "updated", "updatedAtClient": "updated_client", "updatedBy": "updated_by"}
_OF_ENROLLMENT = {"enrolledAt": "enrolled_at", "enrollmentStatus": "status",
                  "followUp": "follow_up", "trackedEntity": "te"}


def uid_meaning(ctx: Ctx, program: dict[str, Any] | None) -> str:
    if ctx.release.tracker_split_event_endpoints and program is not None and \
            not is_registration(program):
        return "data element"
    return "data element and attribute"


def columns(ctx: Ctx, p: Preheat) -> dict[str, Column]:
    """Every orderable field of the release and how a row gives its value."""
    def of_enrollment(column: str) -> Getter:
        def value(row: dict[str, Any]) -> Any:
            en = tracker_store.get(ctx.store, "enrollment", row["enrollment"] or "")
            return None if en is None else en[column]
        return value

    def assigned_name(row: dict[str, Any]) -> Any:
        user = p.by_uid("users", row["assigned_user"]) if row["assigned_user"] else None
        return None if user is None else user.get("displayName") or user.get("name")

    out: dict[str, Column] = {**_OWN, "assignedUserDisplayName": assigned_name}
    out.update({name: of_enrollment(column) for name, column in _OF_ENROLLMENT.items()})
    if ctx.release.tracker_event_order_followup:
        out["followup"] = out["followUp"]
    return out


def check_uids(p: Preheat, specs: list[tuple[str, str]], fields: Any, meaning: str) -> None:
    """`#mapOrderParam`: each UID names a data element (or, for tracker events, an attribute)."""
    for name, _direction in specs:
        if name in fields or p.by_uid("dataElements", name) is not None:
            continue
        if meaning == "data element":
            raise bad(f"Cannot order by '{name}' as it's not a data element. Program events can "
                      "be ordered by event fields and data elements.")
        if p.by_uid("trackedEntityAttributes", name) is None:
            raise bad(f"Cannot order by '{name}' as its neither a data element nor a tracked "
                      "entity attribute. Events can be ordered by event fields, data elements and "
                      "tracked entity attributes.")
