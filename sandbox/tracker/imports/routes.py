"""Asynchronous tracker imports: the job answer, notifications and the stored report.

- `POST /api/tracker` (async, the default): `TrackerImportController#importAsync` answers 200
  `{"message":"Tracker job added","response":{"id","location"}}` (2.39/2.40 add
  `responseType: "TrackerJob"`, read from the release table).
- `GET /api/tracker/jobs/{id}`: `TrackerImportController#getJob` → the job's notifications,
  newest first; the last one says "Import complete with status …" with `completed: true`
  (`TrackerImportJob#execute`; level ERROR when the import failed).
- `GET /api/tracker/jobs/{id}/report?reportMode=`: `getJobReport` → the ImportReport, filtered
  by reportMode; 404 "Summary for job {id} does not exist" until the job has finished.
Jobs live in the app's job table (cleared by a sandbox reset) and run on a worker thread, so
a client really has to poll.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.imports.importer import ImportParams, bad_param, for_report_mode, run_import
from scdi.sandbox.tracker.imports.payload import PayloadError, generate_uid

CATEGORY = "TRACKER_IMPORT_JOB"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def _notify(job: dict[str, Any], message: str, completed: bool = False, level: str = "INFO",
            data: dict[str, Any] | None = None) -> None:
    uid = generate_uid()
    note: dict[str, Any] = {"uid": uid, "level": level, "category": CATEGORY, "time": _now(),
                            "message": message, "completed": completed}
    if data is not None:
        note["dataType"] = "PARAMETERS"
        note["data"] = data
    note["id"] = uid
    job["notifications"].append(note)


def start_job(ctx: Ctx, params: ImportParams, body: Any) -> Response:
    job_id = generate_uid()
    job: dict[str, Any] = {"kind": CATEGORY, "notifications": [], "report": None}
    with ctx.app.jobs_lock:
        ctx.app.jobs[job_id] = job
    _notify(job, "Tracker import started", data=params.job_parameters(ctx.user.uid))
    store, release, user = ctx.store, ctx.release, ctx.user

    def work() -> None:
        _notify(job, "Loading file resource")
        _notify(job, "Loading file content")
        try:
            report = run_import(store, release, user, params, body,
                                on_stage=lambda message: _notify(job, message))
        except PayloadError as exc:
            _notify(job, f"Import failed: {exc}", completed=True, level="ERROR")
            return
        except Exception as exc:
            _notify(job, f"Import failed: {type(exc).__name__}", completed=True, level="ERROR")
            return
        job["report"] = report
        s = report["stats"]
        _notify(job, f"Import complete with status {report['status']}, {s['created']} created, "
                     f"{s['updated']} updated, {s['deleted']} deleted, {s['ignored']} ignored",
                completed=True, level="ERROR" if report["status"] == "ERROR" else "INFO")

    threading.Thread(target=work, name=f"tracker-job-{job_id}", daemon=True).start()
    ctx.extras["committed"] = True
    location = f"{ctx.base_url}/api/tracker/jobs/{job_id}"
    response: dict[str, Any] = {"id": job_id, "location": location}
    if ctx.release.tracker_job_response_type:
        response = {"responseType": ctx.release.tracker_job_response_type, **response}
    return webmessage.ok("Tracker job added", response=response,
                         headers={"Location": location})


def _job(ctx: Ctx, uid: str) -> dict[str, Any] | None:
    with ctx.app.jobs_lock:
        job = ctx.app.jobs.get(uid)
    return job if job is not None and job.get("kind") == CATEGORY else None


def get_job(ctx: Ctx, uid: str) -> Response:
    tracker_store.ready(ctx.store)
    job = _job(ctx, uid)
    notes = list(reversed(job["notifications"])) if job else []
    return webmessage.json_response(notes, headers={"Cache-Control": "no-store"})


def get_job_report(ctx: Ctx, uid: str) -> Response:
    tracker_store.ready(ctx.store)
    raw = ctx.request.args.get("reportMode") or "ERRORS"
    mode = raw.strip().upper()
    if mode not in ("ERRORS", "WARNINGS", "FULL"):
        raise bad_param("reportMode", raw, ("ERRORS", "WARNINGS", "FULL"))
    job = _job(ctx, uid)
    if job is None or job.get("report") is None:
        raise webmessage.fail(webmessage.not_found(f"Summary for job {uid} does not exist"))
    return webmessage.json_response(for_report_mode(job["report"], mode),
                                    headers={"Cache-Control": "no-store"})


RULES = [
    Rule("/api/tracker/jobs/<uid>", endpoint=get_job, methods=["GET"]),
    Rule("/api/tracker/jobs/<uid>/report", endpoint=get_job_report, methods=["GET"]),
]
