"""`POST /api/tracker`: every write of a sync, synchronous for small batches and as DHIS2's
async job for big ones (`TrackerImportController#asyncPostJsonTracker`: the answer names the
job; `GET /api/tracker/jobs/{id}` lists its notifications until one is `completed`, then
`GET /api/tracker/jobs/{id}/report` is the import report).

Every request is `importStrategy=CREATE_AND_UPDATE`, `atomicMode=OBJECT` (one bad record does
not stop the others) with client-made UIDs, so a retried request, or a rerun after the answer
was lost, updates what the first one created instead of creating it twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import Conflict, ServerError
from scdi.connector.reports import TrackerImportReport

PARAMS = {"importStrategy": "CREATE_AND_UPDATE", "atomicMode": "OBJECT", "reportMode": "ERRORS"}
ASYNC_FROM = 200  # objects; smaller batches are answered fast enough in the request itself
# Android Capture polls every 2 s; a big job takes seconds, so the first look comes after 1 s
# and the wait grows to 5 s: a few polls per job, not one every fraction of a second.
POLL_FIRST, POLL_MAX, JOB_TIMEOUT = 1.0, 5.0, 1800.0


def send(client: Dhis2Client, payload: dict[str, Any], *, objects: int, strategy: str = "CREATE_AND_UPDATE",
         sleep: Callable[[float], None] = time.sleep) -> TrackerImportReport:
    params = {**PARAMS, "importStrategy": strategy}
    if objects < ASYNC_FROM:
        return client.import_tracker(payload, params)
    try:
        body = client.post("tracker", json=payload, params={**params, "async": "true"}, idempotent=True)
    except Conflict as exc:
        return TrackerImportReport.from_body(exc.body)
    job = ((body or {}).get("response") or {}).get("id") if isinstance(body, dict) else None
    if not job:
        return TrackerImportReport.from_body(body)
    return _wait(client, str(job), sleep)


def _wait(client: Dhis2Client, job: str, sleep: Callable[[float], None]) -> TrackerImportReport:
    delay, waited = POLL_FIRST, 0.0
    while waited < JOB_TIMEOUT:
        notes = client.get(f"tracker/jobs/{job}") or []
        if isinstance(notes, list) and any(isinstance(n, dict) and n.get("completed") for n in notes):
            report = client.get(f"tracker/jobs/{job}/report", params={"reportMode": "ERRORS"})
            return TrackerImportReport.from_body(report)
        sleep(delay)
        waited += delay
        delay = min(delay * 2, POLL_MAX)
    raise ServerError(f"the tracker import job {job} did not finish in {int(JOB_TIMEOUT)} s",
                      hint="Check the server's jobs (Data Administration → Jobs) and run the sync again.")
