"""Records → the objects of a `POST /api/tracker` payload, with the UIDs the ledger reserved.

Members are tracked entities with their enrollment nested (DHIS2 creates both in one object
tree); events are flat and name their enrollment, so an event's member may be in an earlier
request. Only what changes is sent besides what identifies the object: an attribute or data
value cleared in the roster is sent with `value: null` (DHIS2 deletes it), and everything the
payload leaves out stays as the server has it (`TrackerObjectsMapper` merges data values and
attributes), so a push never overwrites a field it did not mean to change.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any

from scdi.connector.roster.contract import DATE_KEY, ENROLLED_KEY, STATUS_KEY, SheetSpec
from scdi.connector.sync.group import GroupContext
from scdi.connector.sync.records import STATUS_TO_ENROLLMENT

_FIRST = string.ascii_letters
_REST = string.ascii_letters + string.digits
# byte → its character of _REST (b % 62, as before), so the ten bytes translate in one call
_REST_OF_BYTE = bytes(ord(_REST[b % len(_REST)]) for b in range(256))
NEW_EVENT_STATUS = "ACTIVE"  # as Android Capture saves a new event: still editable on the phone


def new_uid() -> str:
    """A DHIS2 UID made here, so the ledger can hold it before the request (CodeGenerator's form:
    a letter, then ten letters or digits). One read of the system's random source per UID, not
    one per character: a national push makes hundreds of thousands."""
    raw = secrets.token_bytes(11)
    return _FIRST[raw[0] % len(_FIRST)] + raw[1:].translate(_REST_OF_BYTE).decode("ascii")


def _day(value: str | None) -> str | None:
    return f"{value[:10]}T00:00:00.000" if value else None


def tracked_entity(spec: SheetSpec, ctx: GroupContext, *, uid: str, enrollment: str, create: bool,
                   merged: Mapping[str, str], changed: Mapping[str, str | None]) -> dict[str, Any]:
    """A member: the tracked entity, its changed attributes, and its enrollment when new or when
    its date or status changed."""
    fields = merged if create else changed
    attributes = []
    for column in spec.columns:
        if column.source != "attribute" or not column.uid or column.key not in fields:
            continue
        attributes.append({"attribute": column.uid, "value": fields[column.key]})
    body: dict[str, Any] = {"trackedEntity": uid, "trackedEntityType": ctx.member_type, "orgUnit": ctx.org_unit}
    if attributes:
        body["attributes"] = attributes
    if create or ENROLLED_KEY in changed or STATUS_KEY in changed:
        when = _day(merged.get(ENROLLED_KEY))
        status = STATUS_TO_ENROLLMENT.get(merged.get(STATUS_KEY) or "active", "ACTIVE")
        item: dict[str, Any] = {"enrollment": enrollment, "program": ctx.member_program, "orgUnit": ctx.org_unit,
                                "trackedEntity": uid, "enrolledAt": when, "occurredAt": when, "status": status}
        body["enrollments"] = [item]
    return body


def event(spec: SheetSpec, ctx: GroupContext, *, uid: str, create: bool, merged: Mapping[str, str],
          changed: Mapping[str, str | None], enrollment: str | None, tracked_entity: str | None,
          status: str | None) -> dict[str, Any]:
    """An event of a stage: its date always (DHIS2 needs `occurredAt` on every import of an
    event), its changed data values (all of them when new)."""
    fields = merged if create else changed
    values = [{"dataElement": c.uid, "value": fields[c.key]} for c in spec.columns
              if c.source == "dataElement" and c.uid and c.key in fields]
    body: dict[str, Any] = {"event": uid, "program": spec.program, "programStage": spec.stage,
                            "orgUnit": ctx.org_unit, "occurredAt": _day(merged.get(DATE_KEY)),
                            "status": status or NEW_EVENT_STATUS}
    if enrollment:
        body["enrollment"] = enrollment
    if tracked_entity:
        body["trackedEntity"] = tracked_entity
    if values:
        body["dataValues"] = values
    return body

