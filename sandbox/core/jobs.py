"""Background jobs: metadata imports, tracker imports (analytics tables next) run on a worker
thread and report through notifications a client polls.

A job has a type (DHIS2's `JobType`, whose name is the `category` of every notification), its
notifications (kept in order, served newest first) and, once finished, a result (the task
summary of a metadata import, the ImportReport of a tracker import). The endpoints that read
jobs are `core/system.py` (`/api/system/tasks/…`, `SystemController`) and
`tracker/imports/routes.py` (`/api/tracker/jobs/…`, `TrackerImportController`). The app keeps
one `JobTable`; a sandbox reset clears it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scdi.sandbox.core.objects import generate_uid, timestamp_uid


@dataclass(frozen=True)
class JobType:
    """A kind of job, named as DHIS2 names it (`METADATA_IMPORT`, `TRACKER_IMPORT_JOB`, …)."""

    name: str
    # Served by `/api/system/tasks/{name}` and `/api/system/taskSummaries/{name}`: every job
    # type the sandbox runs is (one notifier serves those and `/api/tracker/jobs`).
    system_task: bool = True


_last_name_millis = 0
_name_lock = threading.Lock()


def run_once_name(job_type: JobType) -> str:
    """The name `new JobConfiguration(type)` gives a run-once job: "<TYPE> (<epoch millis>)",
    the millis never repeated (scheduling/JobConfiguration.java#nowUnique, 2.41.9, 2.42.5,
    2.43.1)."""
    global _last_name_millis
    with _name_lock:
        _last_name_millis = max(_last_name_millis + 1, int(time.time() * 1000))
        return f"{job_type.name} ({_last_name_millis})"


@dataclass(frozen=True)
class Notification:
    """`system/notification/Notification.java`: `id` and `uid` are one value, the
    notification's own, never the job's. 2.41.9 draws a `CodeGenerator#generateUid` in the
    constructor (:84, `#getId` :106-108); 2.42.5 and 2.43.1 derive it from the timestamp,
    `generateUid(timestamp)` in `#getId` (:89-91), so two notifications of one millisecond
    share it (`Release.notification_id_from_timestamp`)."""

    uid: str  # 2.41.9's drawn uid
    level: str
    category: str
    millis: int  # the timestamp, epoch milliseconds
    message: str
    completed: bool
    data: dict[str, Any] | None = None  # PARAMETERS of the job, on its first notification

    @property
    def time(self) -> str:
        """`getTime()`, written `yyyy-MM-dd'T'HH:mm:ss.SSS` in the server's zone (UTC)."""
        moment = datetime.fromtimestamp(self.millis / 1000, UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]

    def notification_id(self, from_timestamp: bool) -> str:
        return timestamp_uid(self.millis) if from_timestamp else self.uid

    def to_json(self, from_timestamp: bool) -> dict[str, Any]:
        """Jackson's order: the properties backed by a field in declaration order, then those
        only a getter has (`#getId` at 2.41.9; `#getId`, `#getUid`, `#getTime` at 2.42.5 and
        2.43.1, whose fields are level, category, timestamp, message, completed, dataType,
        data; the `jsonMapper` auto-detects no field or getter, so `timestamp` is not
        written). The getter-only ones come in the order `Class#getDeclaredMethods` gives,
        which no specification fixes: HotSpot sorts a class's methods by the address of their
        name's symbol, so with the default CDS archive of JDK 17 and 25 (which holds `getId`
        and `getTime`, not `getUid`) it is id, time, uid, and with `-Xshare:off` time, uid,
        id; written here as the default archive gives it. Null `dataType`/`data` are left out
        (NON_NULL)."""
        uid = self.notification_id(from_timestamp)
        data: dict[str, Any] = {} if self.data is None else {
            "dataType": "PARAMETERS", "data": self.data}
        if from_timestamp:
            return {"level": self.level, "category": self.category, "message": self.message,
                    "completed": self.completed, **data, "id": uid, "time": self.time,
                    "uid": uid}
        return {"uid": uid, "level": self.level, "category": self.category, "time": self.time,
                "message": self.message, "completed": self.completed, **data, "id": uid}


@dataclass
class Job:
    type: JobType
    id: str = field(default_factory=generate_uid)
    name: str = ""
    user: str = ""
    notifications: list[Notification] = field(default_factory=list)
    result: Any = None

    def notify(self, message: str, completed: bool = False, level: str = "INFO",
               data: dict[str, Any] | None = None) -> None:
        self.notifications.append(Notification(
            uid=generate_uid(), level=level, category=self.type.name,
            millis=time.time_ns() // 1_000_000, message=message, completed=completed,
            data=data))

    def newest_first(self) -> list[Notification]:
        """`NotificationStore#listNewestFirst`: the one added last first."""
        return list(reversed(list(self.notifications)))

    def newest_first_json(self, from_timestamp: bool) -> list[dict[str, Any]]:
        return [n.to_json(from_timestamp) for n in self.newest_first()]


class JobTable:
    """The app's jobs by id, of every type."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, job: Job, work: Callable[[Job], None]) -> None:
        """Keep the job and run `work(job)` on a worker thread, so a client really polls."""
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=work, args=(job,), name=f"{job.type.name.lower()}-{job.id}",
                         daemon=True).start()

    def get(self, job_type: JobType, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.type == job_type else None

    def task(self, type_name: str, job_id: str) -> Job | None:
        """A job served by the system task endpoints."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or not job.type.system_task or job.type.name != type_name:
            return None
        return job

    def tasks(self, type_name: str) -> list[Job]:
        with self._lock:
            return [j for j in self._jobs.values()
                    if j.type.system_task and j.type.name == type_name]

    def clear(self) -> None:
        with self._lock:
            self._jobs.clear()
