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
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import Conflict, ServerError
from scdi.connector.reports import TrackerImportReport

PARAMS = {"importStrategy": "CREATE_AND_UPDATE", "atomicMode": "OBJECT", "reportMode": "ERRORS"}
ASYNC_FROM = 200  # objects; smaller batches are answered fast enough in the request itself
# Android Capture polls every 2 s. Until a server's speed is known the first look comes after
# 1 s and the wait grows to 5 s; after one job, the first look comes when a job of this size
# should be done (see `_Pace`), so a batch costs about one poll whatever the server's speed.
POLL_FIRST, POLL_MAX, JOB_TIMEOUT = 1.0, 5.0, 1800.0
FIRST_LOOK_MAX = 120.0  # never wait longer than this before the first look


@dataclass(frozen=True)
class Sent:
    """A write's import report and, for an async job, the server's clock when it completed (every
    object the job wrote carries an `updatedAt` no later)."""

    report: TrackerImportReport
    finished_at: str | None = None


class _Pace:
    """A server's seconds per imported object, learnt from the jobs it finished (its own
    notification times where they parse, else the time we waited)."""

    def __init__(self) -> None:
        self.per_object: float | None = None

    def first_look(self, objects: int) -> float:
        if self.per_object is None:
            return POLL_FIRST
        return min(max(POLL_FIRST, self.per_object * objects), FIRST_LOOK_MAX)

    def learn(self, objects: int, seconds: float) -> None:
        if objects <= 0 or seconds <= 0:
            return
        seen = seconds / objects
        # The newest job weighs most: a server's speed drifts with its load.
        self.per_object = seen if self.per_object is None else 0.3 * self.per_object + 0.7 * seen


_PACES: weakref.WeakKeyDictionary[Dhis2Client, _Pace] = weakref.WeakKeyDictionary()


def _pace(client: Dhis2Client) -> _Pace:
    pace = _PACES.get(client)
    if pace is None:
        pace = _PACES[client] = _Pace()
    return pace


def send(client: Dhis2Client, payload: dict[str, Any], *, objects: int, strategy: str = "CREATE_AND_UPDATE",
         sleep: Callable[[float], None] = time.sleep) -> Sent:
    params = {**PARAMS, "importStrategy": strategy}
    if objects < ASYNC_FROM:
        return Sent(client.import_tracker(payload, params))
    try:
        body = client.post("tracker", json=payload, params={**params, "async": "true"}, idempotent=True)
    except Conflict as exc:
        return Sent(TrackerImportReport.from_body(exc.body))
    job = ((body or {}).get("response") or {}).get("id") if isinstance(body, dict) else None
    if not job:
        return Sent(TrackerImportReport.from_body(body))
    return _wait(client, str(job), objects, sleep)


def _wait(client: Dhis2Client, job: str, objects: int, sleep: Callable[[float], None]) -> Sent:
    pace = _pace(client)
    delay = pace.first_look(objects)
    step = max(POLL_FIRST, delay / 10)
    cap = max(POLL_MAX, delay / 2)
    waited = 0.0
    while waited < JOB_TIMEOUT:
        sleep(delay)
        waited += delay
        notes = client.get(f"tracker/jobs/{job}") or []
        notes = [n for n in notes if isinstance(n, dict)] if isinstance(notes, list) else []
        done = next((n for n in notes if n.get("completed")), None)
        if done is not None:
            report = client.get(f"tracker/jobs/{job}/report", params={"reportMode": "ERRORS"})
            took = _job_seconds(notes)
            pace.learn(objects, took if took is not None else waited)
            finished = str(done.get("time") or "") or None
            return Sent(TrackerImportReport.from_body(report), finished)
        delay = step
        step = min(step * 2, cap)
    raise ServerError(f"the tracker import job {job} did not finish in {int(JOB_TIMEOUT)} s",
                      hint="Check the server's jobs (Data Administration → Jobs) and run the sync again.")


def _job_seconds(notes: list[dict[str, Any]]) -> float | None:
    """The job's own duration: its first notification to its last, on the server's clock."""
    times = []
    for note in notes:
        try:
            times.append(datetime.fromisoformat(str(note.get("time") or "").replace("Z", "+00:00")))
        except ValueError:
            return None
    if len(times) < 2:
        return None
    try:
        return (max(times) - min(times)).total_seconds()
    except TypeError:  # aware and naive times mixed
        return None
