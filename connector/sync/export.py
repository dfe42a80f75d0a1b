"""Reading one group's records from DHIS2 tracker, page by page, since a watermark.

`GET /api/tracker/trackedEntities` (the members with their enrollments) and
`GET /api/tracker/events` (every stage of a program), both at the group's org unit only
(`orgUnitMode=SELECTED`), `includeDeleted=true` so a deletion on the server is seen, and
`updatedAfter` from the ledger's watermark minus an overlap (DHIS2's `updatedAfter` is
inclusive and a record updated during the previous read may carry an earlier time; the overlap
reads it again and the digest comparison makes that harmless). `program` is always given (2.43
requires it on events). Page envelopes per release come from the client's release table.

The watermark of the next run is the server's clock before the first read
(`/api/system/info` `serverDate`), not ours: the two may disagree by minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scdi.connector.client import Dhis2Client

TRACKED_ENTITY_FIELDS = ("trackedEntity,trackedEntityType,orgUnit,updatedAt,deleted,attributes[attribute,value],"
                         "enrollments[enrollment,program,orgUnit,status,enrolledAt,occurredAt,updatedAt,deleted]")
EVENT_FIELDS = ("event,program,programStage,enrollment,trackedEntity,orgUnit,occurredAt,status,updatedAt,deleted,"
                "dataValues[dataElement,value]")
PAGE_SIZE = 5000  # a group's year in a few pages; DHIS2 sets no upper bound on tracker pages
LIGHT_PAGE_SIZE = 50_000  # UIDs and times only, about 70 bytes each: a group in one page
# DHIS2 stamps updatedAt while it commits an import, so a record can become visible a little
# after its stamp: a read starts this much before the last one's clock (the ledger makes the
# records read twice harmless).
OVERLAP = timedelta(seconds=30)


def server_clock(client: Dhis2Client) -> tuple[str, tzinfo]:
    """The server's clock (see `server_now`) and its time zone (`serverTimeZoneId`), in one look:
    `serverDate`, job notification times and the `updatedAfter` it reads are in that zone,
    while tracker `updatedAt` is an Instant (UTC)."""
    info = client.get("system/info") or {}
    info = info if isinstance(info, dict) else {}
    name = str(info.get("serverTimeZoneId") or "")
    try:
        zone: tzinfo = ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return _clock_of(info), zone


def local_as_utc(local: str | None, zone: tzinfo) -> datetime | None:
    """A server-local time (no offset) as a naive UTC time, comparable with `moment(updatedAt)`."""
    seen = moment(local)
    if seen is None or local is None or local.endswith("Z") or "+" in local[10:]:
        return seen
    return seen.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def server_now(client: Dhis2Client) -> str:
    """The server's clock (ISO, no zone: DHIS2 compares `updatedAfter` in its own time)."""
    info = client.get("system/info") or {}
    return _clock_of(info if isinstance(info, dict) else {})


def _clock_of(info: dict[str, Any]) -> str:
    raw = str(info.get("serverDate") or "")
    if not raw:
        return datetime.now().replace(microsecond=0).isoformat()
    return raw.replace("Z", "")[:23]


def moment(stamp: str | None) -> datetime | None:
    """A server time as a naive datetime: `updatedAt` (an Instant, with `Z` and as many fraction
    digits as it needs) and `serverDate` compare alike."""
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def since(watermark: str | None) -> str | None:
    """`updatedAfter` for a watermark: the overlap earlier."""
    if not watermark:
        return None
    try:
        moment = datetime.fromisoformat(watermark)
    except ValueError:
        return None  # an unreadable watermark reads everything again, which is always safe
    return (moment - OVERLAP).replace(tzinfo=None).isoformat(timespec="milliseconds")


def _params(program: str, org_unit: str, updated_after: str | None,
            updated_before: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"program": program, "orgUnits": org_unit, "orgUnitMode": "SELECTED",
                              "includeDeleted": "true"}
    if updated_after:
        params["updatedAfter"] = updated_after
    if updated_before:  # inclusive, as `updatedAfter` (EndDateTime in the request params)
        params["updatedBefore"] = updated_before
    return params


def tracked_entities(client: Dhis2Client, program: str, org_unit: str, updated_after: str | None,
                     updated_before: str | None = None) -> Iterator[dict[str, Any]]:
    params = {**_params(program, org_unit, updated_after, updated_before), "fields": TRACKED_ENTITY_FIELDS}
    yield from client.items("tracker/trackedEntities", params=params, page_size=PAGE_SIZE)


def events(client: Dhis2Client, program: str, org_unit: str, updated_after: str | None,
           stage: str | None = None, updated_before: str | None = None) -> Iterator[dict[str, Any]]:
    params = {**_params(program, org_unit, updated_after, updated_before), "fields": EVENT_FIELDS}
    if stage:
        params["programStage"] = stage
    yield from client.items("tracker/events", params=params, page_size=PAGE_SIZE)


def changed_entities(client: Dhis2Client, program: str, org_unit: str, updated_after: str | None,
                     updated_before: str | None = None) -> Iterator[dict[str, Any]]:
    """UIDs and times only: what changed, not what it holds."""
    params = {**_params(program, org_unit, updated_after, updated_before), "fields": "trackedEntity,updatedAt"}
    yield from client.items("tracker/trackedEntities", params=params, page_size=LIGHT_PAGE_SIZE)


def changed_events(client: Dhis2Client, program: str, org_unit: str, updated_after: str | None,
                   updated_before: str | None = None) -> Iterator[dict[str, Any]]:
    params = {**_params(program, org_unit, updated_after, updated_before), "fields": "event,updatedAt"}
    yield from client.items("tracker/events", params=params, page_size=LIGHT_PAGE_SIZE)


def count(client: Dhis2Client, path: str, program: str, org_unit: str, updated_after: str,
          updated_before: str) -> int | None:
    """How many records changed in [after, before]: one page of one, with the server's count
    (`totalPages=true`); None when the server gives no count."""
    uid_field = "trackedEntity" if path.endswith("trackedEntities") else "event"
    params = {**_params(program, org_unit, updated_after, updated_before), "fields": uid_field,
              "totalPages": "true"}
    for page in client.pages(path, params=params, page_size=1, max_pages=1):
        return page.total
    return None
