"""The SDK's tracker download (`core/tracker/exporter/TrackerDownloadCall.kt`): for each program
on the phone and each root capture org unit, `/api/tracker/trackedEntities` (tracker programs)
or `/api/tracker/events` (event programs) with `orgUnitMode=DESCENDANTS`, `includeDeleted`,
pages of 50, up to the download limit. Only counts are kept, never a record's values."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel

from scdi.connector.android import sdk
from scdi.connector.android import sdk_fields as fields
from scdi.connector.android.findings import Impact, SyncFinding, sync_finding
from scdi.connector.android.login import Account
from scdi.connector.android.metadata import Download, roots
from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ServerError

DOWNLOAD = "core/tracker/exporter/TrackerDownloadCall.kt"


class Records(BaseModel):
    program: str
    tracked_entities: int = 0
    enrollments: int = 0
    events: int = 0
    limit: int = 0
    more: bool = False  # the server holds more than the limit lets the phone take


def _limits(account: Account, program: str, pairs: int) -> int:
    """The program's download limit (settings app `programSettings`, else the app's 500 split
    over every (root, program) pair, `ProgramDataDownloadParams.java`)."""
    settings = account.synchronization.get("programSettings") or {}
    specific = (settings.get("specificSettings") or {}).get(program) or {}
    for source in (specific, settings.get("globalSettings") or {}):
        value = source.get("teiDownload")
        if isinstance(value, int) and value > 0:
            return value
    return max(1, math.ceil(sdk.TEI_LIMIT / max(1, pairs)))


def download(client: Dhis2Client, account: Account, d: Download) -> tuple[list[Records], list[SyncFinding]]:
    capture_roots = roots(account.capture)
    if not capture_roots:
        return [], []
    out: list[Records] = []
    findings: list[SyncFinding] = []
    pairs = len(capture_roots) * len(d.programs)
    for program in sorted(d.programs.values(), key=lambda p: str(p.get("name", ""))):
        uid = str(program["id"])
        records = Records(program=uid, limit=_limits(account, uid, pairs))
        registration = program.get("programType") == "WITH_REGISTRATION"
        for root in capture_roots:
            try:
                _pair(client, records, uid, root, registration)
            except ServerError as exc:
                findings.append(sync_finding(
                    Impact.DEGRADED, "sync.download-failed",
                    f"the record download under org unit [{root}] answered {exc.status}: the SDK marks the program "
                    "as failed and goes on", DOWNLOAD, program, "program"))
        if records.more:
            findings.append(sync_finding(
                Impact.DEGRADED, "sync.download-limit",
                f"the server holds more records than the phone's download limit ({records.limit} per org unit): "
                "the phone keeps only the newest", sdk.LIMIT_FILE, program, "program"))
        out.append(records)
    return out, findings


def _pair(client: Dhis2Client, records: Records, program: str, root: str, registration: bool) -> None:
    path, key = ("tracker/trackedEntities", "trackedEntities") if registration else ("tracker/events", "events")
    params: dict[str, Any] = {
        "fields": fields.TRACKED_ENTITIES if registration else fields.EVENTS,
        "orgUnitMode": "DESCENDANTS", "program": program, "includeDeleted": "true", "paging": "true"}
    params["orgUnits" if registration else "orgUnit"] = root
    if registration:
        params["order"] = "createdAt:desc"
    taken, page = 0, 1
    while taken < records.limit:
        size = min(sdk.TRACKER_PAGE, records.limit - taken)
        body = client.get(path, params={**params, "page": page, "pageSize": size}) or {}
        items = body.get(key) or body.get("instances") or []
        for item in items[:records.limit - taken]:
            _count(records, item, registration)
        taken += len(items)
        if len(items) < size:
            return
        page += 1
    # the quota is used up: one look past it says whether the server holds more
    probe = client.get(path, params={**params, "fields": "trackedEntity" if registration else "event",
                                     "page": 2, "pageSize": records.limit}) or {}
    records.more = records.more or bool(probe.get(key) or probe.get("instances"))


def _count(records: Records, item: dict[str, Any], registration: bool) -> None:
    if not registration:
        records.events += 1
        return
    records.tracked_entities += 1
    for enrollment in item.get("enrollments") or []:
        if enrollment.get("program") == records.program:
            records.enrollments += 1
            records.events += len(enrollment.get("events") or [])
