"""`/api/metadata` (import and export) and the METADATA_IMPORT task endpoints.

dhis2-core 2.42.5:
- `webapi/controller/metadata/MetadataImportExportController.java#postJsonMetadata`: sync →
  `WebMessageUtils#importReport`; async → `jobConfigurationReport` ("Initiated <name>",
  JobConfiguration response, `Location: .../api/system/tasks/METADATA_IMPORT`);
- `webapi/controller/SystemController.java` `/tasks/{jobType}/{jobId}` (notifications, newest
  first) and `/taskSummaries/{jobType}/{jobId}` (the plain ImportReport with importParams);
- export: `dxf2/metadata/DefaultMetadataExportService.java#getParamsFromMap` (default fields
  `:owner`, per-type `<type>=true`, `<type>:fields|filter|order`, `defaults=EXCLUDE`,
  `skipSharing`) and `#getMetadataAsNode` (`system` block first).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core import objects, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import importer as metadata_import
from scdi.sandbox.metadata import query as mq
from scdi.sandbox.metadata import registry
from scdi.sandbox.seed import DEFAULT_UIDS


def post_metadata(ctx: Ctx) -> Response:
    params = metadata_import.parse_params(ctx.request.args)
    payload = ctx.json_body()
    if not isinstance(payload, dict):
        raise webmessage.fail(webmessage.bad_request(
            "Cannot deserialize value of type `java.util.Map` from Array value"))
    if params.async_:
        return _start_async(ctx, params, payload)
    outcome = metadata_import.run_import(ctx.store, ctx.user, ctx.release.minor, params,
                                         payload)
    ctx.extras["committed"] = params.importMode == "COMMIT"
    body = metadata_import.report_body(outcome, ctx.release.metadata_import_response_type)
    if outcome.status == "OK":
        return webmessage.ok(response=body)
    return webmessage.warning(metadata_import.ERROR_MESSAGE, 409, response=body)


def _notification(job_id: str, message: str, completed: bool, level: str = "INFO"
                  ) -> dict[str, Any]:
    return {"uid": objects.generate_uid(), "level": level, "category": "METADATA_IMPORT",
            "time": objects.now(), "message": message, "completed": completed,
            "id": job_id}


def _start_async(ctx: Ctx, params: metadata_import.Params, payload: dict[str, Any]
                 ) -> Response:
    job_id = objects.generate_uid()
    name = f"METADATA_IMPORT ({int(time.time() * 1000)})"
    release = ctx.release
    job = {"type": "METADATA_IMPORT", "id": job_id, "name": name, "user": ctx.user.uid,
           "notifications": [_notification(job_id, "Import started", False)],
           "summary": None}
    with ctx.app.jobs_lock:
        ctx.app.jobs[job_id] = job
    store, user, minor = ctx.store, ctx.user, release.minor

    def work() -> None:
        try:
            outcome = metadata_import.run_import(store, user, minor, params, payload)
            job["summary"] = metadata_import.task_summary(outcome, user)
            message = f"Import complete with status {outcome.status}"
            job["notifications"].insert(0, _notification(job_id, message, True))
        except Exception as exc:  # the job fails like a DHIS2 job: an ERROR notification
            job["notifications"].insert(0, _notification(job_id, f"Import failed: {exc}",
                                                         True, "ERROR"))
    threading.Thread(target=work, name=f"metadata-import-{job_id}", daemon=True).start()
    response: dict[str, Any] = {
        "name": name, "id": job_id, "created": objects.now(), "jobType": "METADATA_IMPORT",
        "jobStatus": "NOT_STARTED",
        "jobParameters": params.job_parameters(release.metadata_async_params_user_override_mode),
        "relativeNotifierEndpoint": f"/api/system/tasks/METADATA_IMPORT/{job_id}",
    }
    if release.metadata_async_response_type:
        response["responseType"] = release.metadata_async_response_type
    return webmessage.ok(f"Initiated {name}", response=response, headers={
        "Location": f"{ctx.base_url}/api/system/tasks/METADATA_IMPORT"})


def _job(ctx: Ctx, job_type: str, job_id: str) -> dict[str, Any] | None:
    with ctx.app.jobs_lock:
        job = ctx.app.jobs.get(job_id)
    return job if job and job.get("type") == job_type else None


def get_task(ctx: Ctx, job_type: str, job_id: str) -> Response:
    job = _job(ctx, job_type, job_id)
    return webmessage.json_response(list(job["notifications"]) if job else [])


def get_tasks(ctx: Ctx, job_type: str) -> Response:
    with ctx.app.jobs_lock:
        jobs = {k: list(v["notifications"]) for k, v in ctx.app.jobs.items()
                if v.get("type") == job_type}
    return webmessage.json_response(jobs)


def get_task_summary(ctx: Ctx, job_type: str, job_id: str) -> Response:
    job = _job(ctx, job_type, job_id)
    if job is None or job.get("summary") is None:
        return webmessage.json_response(None)
    return webmessage.json_response(job["summary"])


# -- export ------------------------------------------------------------------------------
def _requested_types(args: Any) -> list[registry.TypeInfo]:
    wanted = []
    for info in registry.metadata_types():
        if str(args.get(info.plural, "")).lower() == "true" or \
                any(k.startswith(info.plural + ":") for k in args):
            wanted.append(info)
    return wanted


def export(ctx: Ctx, user: User | None = None) -> dict[str, Any]:
    args = ctx.request.args
    wanted = _requested_types(args)
    explicit = bool(wanted)
    if not explicit:
        wanted = registry.metadata_types()
    exclude_defaults = str(args.get("defaults", "INCLUDE")).upper() == "EXCLUDE"
    skip_sharing = str(args.get("skipSharing", "false")).lower() == "true"
    out: dict[str, Any] = {"system": {
        "id": ctx.store.get_meta("systemId"), "rev": "sandbox",
        "version": ctx.release.example_version, "date": objects.now()}}
    for info in wanted:
        rows = ctx.store.list_objects(info.plural)
        if exclude_defaults:
            rows = [r for r in rows if r.get("id") not in DEFAULT_UIDS]
        spec = args.getlist(f"{info.plural}:fields") or args.getlist("fields")
        selection = fieldsel.parse(spec, default=":owner")
        if not selection.owner:
            rows = [mq.decorate(ctx, info.plural, r, inverse=False) for r in rows]
        filters = args.getlist(f"{info.plural}:filter") or args.getlist("filter")
        rows = mq.apply_filters(rows, mq.parse_filters(filters),
                                args.get("rootJunction", "AND").upper())
        rows = mq.apply_order(rows, args.get(f"{info.plural}:order") or args.get("order"))
        items = [fieldsel.select(r, selection, lambda ref: mq.find_any(ctx, ref)) for r in rows]
        if skip_sharing:
            for item in items:
                item.pop("sharing", None)
        if items or explicit:
            out[info.plural] = items
    return out


def get_metadata(ctx: Ctx) -> Response:
    headers = {}
    if str(ctx.request.args.get("download", "false")).lower() == "true":
        headers["Content-Disposition"] = 'attachment; filename="metadata.json"'
    return webmessage.json_response(export(ctx), headers=headers)


RULES = [
    Rule("/api/metadata", endpoint=post_metadata, methods=["POST"]),
    Rule("/api/metadata", endpoint=get_metadata, methods=["GET"]),
    Rule("/api/system/tasks/<job_type>", endpoint=get_tasks, methods=["GET"]),
    Rule("/api/system/tasks/<job_type>/<job_id>", endpoint=get_task, methods=["GET"]),
    Rule("/api/system/taskSummaries/<job_type>/<job_id>", endpoint=get_task_summary,
         methods=["GET"]),
]
