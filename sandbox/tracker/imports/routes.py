"""`POST /api/tracker` and its jobs: the sync answer, the job answer, notifications and the stored
report.

- `POST /api/tracker` with `async=false`:
  `webapi/.../imports/TrackerImportController.java#importSync` (bare report, 409 when status
  ERROR).
- `POST /api/tracker` (async, the default): `TrackerImportController#importAsync` answers 200
  `{"message":"Tracker job added","response":{"id","location"}}`; 2.42.5 and 2.43.1 add
  `responseType: "TrackerJob"` (`WebMessageResponse#getResponseType`, absent from the 2.41.9
  interface; `tracker_job_response_type`).
- `GET /api/tracker/jobs/{id}`: `TrackerImportController#getJob` → the job's notifications,
  newest first; the last one says "Import complete with status …" with `completed: true`
  (`TrackerImportJob#execute`; level ERROR when the import failed).
- `GET /api/tracker/jobs/{id}/report?reportMode=`: `getJobReport` → the ImportReport, filtered
  by reportMode; 404 "Summary for job {id} does not exist" until the job has finished.
- an id that is no UID: 400 from the notifier's `UID.of` (`_notifier_uid`), after reportMode.
- both send `Cache-Control: no-cache, no-store, max-age=0, must-revalidate`: each calls
  `ContextUtils#setNoStore` first (`HEADER_VALUE_NO_STORE`, 2.41.9, 2.42.5, 2.43.1).
The body is read (`Body`, Jackson) before either answer, so an unreadable one is a 400 for an
async import too. Jobs are TRACKER_IMPORT_JOB jobs of the app's job table (`core/jobs.py`, cleared by a sandbox
reset) and run on a worker thread, so a client really has to poll.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import objects, web_data_binder, webmessage
from scdi.sandbox.core.context import Ctx, not_readable
from scdi.sandbox.core.jobs import Job, JobType
from scdi.sandbox.tracker.imports.binding import BindingRefused, bind
from scdi.sandbox.tracker.imports.importer import for_report_mode, run_import
from scdi.sandbox.tracker.imports.params import ImportParams, bean_properties, bound_enum, parse_params
from scdi.sandbox.tracker.imports.payload import Flattener, PayloadError, flatten

# DefaultNotifier keeps its notifications with every other job's: SystemController's
# /api/system/tasks[/TRACKER_IMPORT_JOB[/{uid}]] and /api/system/taskSummaries list it too.
TRACKER_IMPORT = JobType("TRACKER_IMPORT_JOB")


def read_payload(ctx: Ctx) -> Flattener:
    """The body as Jackson reads it into `Body`: while the handler's arguments are resolved, so
    an unreadable one is a 400 for an async import too. `json_body` answers what Jackson cannot
    parse; `binding.bind` then follows Jackson's token stream through the views."""
    # 2.41.9 maps `async=false` (the first value, as sent) to another handler, which the
    # missing body's message names (`Release.tracker_import_json_handlers`)
    handler = ctx.release.tracker_import_json_handlers[ctx.request.args.get("async") == "false"]
    ctx.json_body(klass="org.hisp.dhis.webapi.controller.tracker.imports.Body",
                  numbers_as_written=True, handler=handler)
    try:
        body = bind(ctx.request.get_data(cache=True).decode("utf-8-sig"), ctx.release)
        return flatten(body, ctx.release.tracker_payload_uids_typed, ctx.release)
    except BindingRefused as refused:
        raise webmessage.fail(ctx.unreadable_body(refused.problem)) from None
    except PayloadError as exc:
        raise webmessage.fail(not_readable(str(exc))) from None


def import_sync(ctx: Ctx, params: ImportParams, flat: Flattener) -> Response:
    report = run_import(ctx.store, ctx.release, ctx.user, params, flat)
    answer = for_report_mode(report, params.reportMode)
    if report["status"] != "ERROR" and params.importMode != "VALIDATE":
        ctx.extras["committed"] = True
    return webmessage.json_response(answer, 409 if report["status"] == "ERROR" else 200)


def post_tracker(ctx: Ctx) -> Response:
    # the mappings' `consumes` (TrackerImportController 2.41.9 :110/:156 JSON, :182/:212 CSV;
    # 2.42.5 :126/:144, 2.43.1 :124/:142): another media type (XML too) is Spring's 415 before
    # any parameter is bound
    ctx.require_media_type("application/json", "application/csv", "text/csv")
    # the bean's properties as the data binder adapts them; the 2.41 `async=false` mapping
    # condition (`read_payload`) reads the request as sent
    bean = web_data_binder.adapted(ctx.request.args, bean_properties(ctx.release))
    params = parse_params(bean, ctx.release, ctx.request.args)
    content_type = (ctx.request.mimetype or "").lower()
    if content_type in ("application/csv", "text/csv"):
        raise webmessage.fail(webmessage.error(
            415, "CSV tracker import is not implemented by the sandbox; send JSON"))
    flat = read_payload(ctx)
    if params.async_:
        return start_job(ctx, params, flat)
    return import_sync(ctx, params, flat)


def start_job(ctx: Ctx, params: ImportParams, flat: Flattener) -> Response:
    job = Job(TRACKER_IMPORT)
    job.notify("Tracker import started", data=params.job_parameters(ctx.user.uid))
    store, release, user = ctx.store, ctx.release, ctx.user

    def work(job: Job) -> None:
        job.notify("Loading file resource")
        job.notify("Loading file content")
        try:
            report = run_import(store, release, user, params, flat, on_stage=job.notify)
        except Exception as exc:
            job.notify(f"Import failed: {type(exc).__name__}", completed=True, level="ERROR")
            return
        job.result = report
        s = report["stats"]
        job.notify(f"Import complete with status {report['status']}, {s['created']} created, "
                   f"{s['updated']} updated, {s['deleted']} deleted, {s['ignored']} ignored",
                   completed=True, level="ERROR" if report["status"] == "ERROR" else "INFO")

    ctx.jobs.start(job, work)
    ctx.extras["committed"] = True
    location = f"{ctx.base_url}/api/tracker/jobs/{job.id}"
    response: dict[str, Any] = {"id": job.id, "location": location}
    if ctx.release.tracker_job_response_type:
        # Jackson writes the class's field-backed properties (`id`, `location`) first, then
        # the getters it finds on the interfaces: the default `getResponseType` comes last
        response["responseType"] = ctx.release.tracker_job_response_type
    if ctx.release.tracker_job_location_header:  # the advice's `getApiPath() + location`
        return webmessage.ok("Tracker job added", response=response,
                             headers={"Location": f"{ctx.api_path}/tracker/jobs/{job.id}"})
    # a ResponseEntity<WebMessage>: WebMessageControllerAdvice#supports asks the method's
    # return type, so the advice never writes the message's `setLocation` as a header
    return webmessage.written(webmessage.ok("Tracker job added", response=response))


def _notifier_uid(uid: str) -> None:
    """DefaultNotifier#getNotificationsByJobId / #getJobSummaryByJobId read the String id with
    `UID.of` (2.41.9 :236, :333; 2.42.5 and 2.43.1 :238, :332): its IllegalArgumentException
    (`common/UID.java`, 2.41.9 :62-69, 2.42.5 and 2.43.1 :64-71) is
    CrudControllerAdvice#illegalArgumentExceptionHandler's 400 without errorCode."""
    if not objects.is_uid(uid):
        raise webmessage.fail(webmessage.bad_request_message(
            "UID must be an alphanumeric string of 11 characters starting with a letter, "
            f"but was: {uid}"))


def get_job(ctx: Ctx, uid: str) -> Response:
    ctx.set_no_store()  # TrackerImportController#getJob
    _notifier_uid(uid)
    job = ctx.jobs.get(TRACKER_IMPORT, uid)
    notes = job.newest_first_json(ctx.release.notification_id_from_timestamp) if job else []
    return webmessage.json_response(notes)


def get_job_report(ctx: Ctx, uid: str) -> Response:
    # `@RequestParam(defaultValue = "errors") TrackerBundleReportMode`: an empty value is the
    # default, another one ConvertEnum's (any case, untrimmed; #methodArgumentTypeMismatchException)
    mode = bound_enum("reportMode", ctx.request.args.get("reportMode") or "errors")
    # TrackerImportController#getJobReport: set after `reportMode` is bound, before the lookup,
    # so the 404 carries it too
    ctx.set_no_store()
    _notifier_uid(uid)
    job = ctx.jobs.get(TRACKER_IMPORT, uid)
    if job is None or job.result is None:
        raise webmessage.fail(webmessage.not_found(f"Summary for job {uid} does not exist"))
    return webmessage.json_response(for_report_mode(job.result, mode))


RULES = [
    Rule("/api/tracker", endpoint=post_tracker, methods=["POST"]),
    Rule("/api/tracker/jobs/<uid>", endpoint=get_job, methods=["GET"]),
    Rule("/api/tracker/jobs/<uid>/report", endpoint=get_job_report, methods=["GET"]),
]
