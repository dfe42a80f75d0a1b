"""System endpoints: /api/system/info, /api/system/id|uid|uuid, /api/system/ping,
/api/system/tasks and /api/system/taskSummaries (`/api/me` is in `access/me.py`).

- `webapi/controller/SystemController.java` (info with `withoutSensitiveInfo()` for
  non-superusers, its `fields` only choosing which properties are written, in SystemInfo's
  order (`core/fields.py#apply_simple`); `/id`, `/uid` and `/uuid` capped at 10000
  (`Math.min(limit, 10000)`, so a limit of 0 or less gives no codes), `/ping` answers "pong"
  and needs credentials like any API path);
  each calls `ContextUtils#setNoStore` (`HEADER_VALUE_NO_STORE`).
- `dhis-api/.../system/SystemInfo.java` and `system/database/DatabaseInfo.java`: field set
  (2.43 adds `sessionTimeout` and `capability`: release-table field `system_info_2_43_fields`);
  2.43.1 `system/capability/SystemCapability.java`, `SystemCapabilityProvider.java` and
  `db/sql/PostgreSqlBuilder.java#isHighPerformance` (false) give
  `capability: {"analyticsTotalCounts": false}`.
- `revision`: build.revision of `dhis-2/pom.xml` (`git rev-parse --short=7 HEAD` of the tag),
  read by `system/DefaultSystemService.java` (release-table field `build_revision`).
- `webapi/controller/SystemController.java` `/tasks` (type → id → notifications, types in
  JobType order), `/tasks/{jobType}` (every job of the type, newest first: id → notifications,
  only the newest and oldest with `gist`, which defaults to the notifierGistOverview setting,
  true; `system/notification/DefaultNotifier#getNotifications/#getNotificationsByJobType/
  #getGistNotificationsByJobId`), `/taskSummaries/{jobType}` (id → summary, newest first,
  `#getJobSummariesForJobType`), `/tasks/{jobType}/{jobId}` (notifications, newest first) and
  `/taskSummaries/{jobType}/{jobId}` (the plain ImportReport with importParams; until the job
  has one `ok().build()`, an empty body), for the job types served as system tasks
  (`core/jobs.py`); `jobId` is bound as a UID (400 otherwise) and every answer is
  `cacheControl(noStore())` (2.41.9 :216-266, 2.42.5 :219-269, 2.43.1 :216-266); `gist` is
  a Boolean as Spring binds it, none or blank the notifierGistOverview setting as set (`_gist`).
"""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core import objects, settings, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.jobs import Job
from scdi.sandbox.core.spring_params import request_param_int, request_values, spring_bool, unboxed_null

MAX_IDS = 10_000
NO_STORE = "no-cache, no-store, max-age=0, must-revalidate"


def system_info(ctx: Ctx) -> dict[str, Any]:
    release = ctx.release
    info: dict[str, Any] = {
        "contextPath": ctx.base_url,
        "userAgent": ctx.request.headers.get("User-Agent"),
        "calendar": "iso8601",
        "dateFormat": "yyyy-mm-dd",
        "serverDate": objects.now(),
        "serverTimeZoneId": "Etc/UTC",
    }
    if release.system_info_2_43_fields:
        info["sessionTimeout"] = 3600
    info.update({
        "serverTimeZoneDisplayName": "Coordinated Universal Time",
        "lastAnalyticsTableSuccess": None,
        "intervalSinceLastAnalyticsTableSuccess": None,
        "lastAnalyticsTableRuntime": None,
        "lastSystemMonitoringSuccess": None,
        "databaseInfo": {"name": "dhis2", "user": "dhis", "url": "jdbc:sqlite:sandbox",
                         "databaseVersion": "SQLite (DHIS2 sandbox)",
                         "spatialSupport": True, "time": objects.now()},
    })
    if release.system_info_2_43_fields:
        # SystemCapabilityProvider: analyticsTotalCounts = SqlBuilder#isHighPerformance, false
        # for PostgreSqlBuilder, the only database DHIS2 runs analytics on here.
        info["capability"] = {"analyticsTotalCounts": False}
    info.update({
        "version": release.example_version,
        "revision": release.build_revision,
        "buildTime": "2025-06-01T00:00:00.000",
        "jasperReportsVersion": "6.20.6",
        "environmentVariable": "DHIS2_HOME",
        "fileStoreProvider": "filesystem",
        "readOnlyMode": "off",
        "nodeId": "sandbox",
        "javaVersion": "17.0.12",
        "javaVendor": "Eclipse Adoptium",
        "javaOpts": "-Xms512m -Xmx1024m",
        "osName": "Linux",
        "osArchitecture": "amd64",
        "osVersion": "sandbox",
        "externalDirectory": "/opt/dhis2",
        "readReplicaCount": 0,
        "memoryInfo": "Mem Total in JVM: 512 Free in JVM: 256 Max Limit: 1024",
        "cpuCores": 2,
        "encryption": ctx.store.get_meta("encryption") != "off",
        "emailConfigured": False,
        "redisEnabled": False,
        "redisHostname": None,
        "systemId": ctx.store.get_meta("systemId"),
        "systemName": "DHIS 2 (scdi sandbox)",
        "systemMetadataVersion": None,
        "instanceBaseUrl": ctx.base_url,
        "systemMonitoringUrl": None,
        "clusterHostname": None,
        "isMetadataVersionEnabled": False,
        "lastMetadataVersionSyncAttempt": None,
        "isMetadataSyncEnabled": False,
    })
    if not ctx.user.superuser:  # SystemInfo#withoutSensitiveInfo
        for key in ("jasperReportsVersion", "environmentVariable", "fileStoreProvider",
                    "readOnlyMode", "nodeId", "javaVersion", "javaVendor", "javaOpts",
                    "osName", "osArchitecture", "osVersion", "externalDirectory",
                    "readReplicaCount", "memoryInfo", "cpuCores", "systemMonitoringUrl",
                    "redisHostname", "clusterHostname"):
            info[key] = None
        info["encryption"] = False
        info["redisEnabled"] = False
        info["databaseInfo"] = {**info["databaseInfo"], "name": None, "user": None,
                                "url": None, "databaseVersion": None}
    # Jackson NON_NULL: null fields are not written
    info = {k: v for k, v in info.items() if v is not None}
    info["databaseInfo"] = {k: v for k, v in info["databaseInfo"].items() if v is not None}
    return info


def get_info(ctx: Ctx) -> Response:
    data = system_info(ctx)
    spec = ctx.request.args.get("fields")
    if spec:
        data = fieldsel.apply_simple(data, spec)
    return webmessage.json_response(data, headers={"Cache-Control": NO_STORE})


def _limit(ctx: Ctx) -> int:
    """`@RequestParam(required = false, defaultValue = "1") Integer limit`, capped by
    `Math.min(limit, 10000)` (SystemController#getUid/#getUuid, 2.41.9 :125-130/:159-167, 2.42.5
    :126-131/:160-168, 2.43.1 :123-128/:157-165), bound as `core/spring_params.py
    #request_param_int` binds it: a refusal is 400 without errorCode; whitespace only (or a
    repeated `limit` whose first value is empty) is the default from 2.42 (Spring 6), on 2.41 a
    null `Math#min` unboxes: 500. Repeated, the first value counts; one that does not convert
    makes Spring's editor read them all joined with commas, a refusal naming the String[]."""
    limit = request_param_int(request_values(ctx.request.args, "limit", ctx.release), "limit", 1,
                              ctx.release)
    if limit is None:
        raise unboxed_null("limit")
    return min(limit, MAX_IDS)


def get_ids(ctx: Ctx) -> Response:
    return webmessage.json_response(
        {"codes": [objects.generate_uid() for _ in range(_limit(ctx))]},
        headers={"Cache-Control": NO_STORE})


def get_uuids(ctx: Ctx) -> Response:
    """`SystemController#getUuid`: the same limit as `/uid`, `UUID#randomUUID` (version 4,
    lower-case hex with hyphens) as the codes of a CodeList, and `setNoStore`."""
    return webmessage.json_response(
        {"codes": [str(uuid.uuid4()) for _ in range(_limit(ctx))]},
        headers={"Cache-Control": NO_STORE})


def ping(ctx: Ctx) -> Response:
    return Response("pong", content_type="text/plain;charset=UTF-8",
                    headers={"Cache-Control": NO_STORE})


# Spring's `CacheControl.noStore()`, which every task answer of SystemController sets.
TASK_CACHE = {"Cache-Control": "no-store"}


def _check_job_type(ctx: Ctx, job_type: str) -> str:
    """`@PathVariable JobType jobType`, bound first, and the constant it binds to. JobType is an
    `org.hisp.dhis` enum, so CrudControllerAdvice#initBinder's ConvertEnum editor binds it
    (2.41.9 :151-157, 2.42.5 / 2.43.1 :158-164; a custom editor comes before Spring's
    StringToEnumConverterFactory): any case, untrimmed; a miss is
    #methodArgumentTypeMismatchException's message with the constants listed."""
    for constant in ctx.release.job_types:
        if job_type.lower() == constant.lower():
            return constant
    raise webmessage.fail(webmessage.error(
        400, f"Value '{job_type}' is not valid for path parameter jobType. "
             f"Valid values are: [{', '.join(ctx.release.job_types)}]"))


def get_task(ctx: Ctx, job_type: str, job_id: str) -> Response:
    # `@PathVariable UID jobId` at every tag: bound before the notifier is asked
    job_type = _check_job_type(ctx, job_type)
    ctx.check_path_uids(typed=True, jobId=job_id)
    job = ctx.jobs.task(job_type, job_id)
    notes = job.newest_first_json(ctx.release.notification_id_from_timestamp) if job else []
    return webmessage.json_response(notes, headers=TASK_CACHE)


# JobType's constants in declaration order (scheduling/JobType.java, the same order at 2.41.9,
# 2.42.5 and 2.43.1) for the types the sandbox runs: the EnumMap of `GET /api/system/tasks`.
JOB_TYPE_ORDER = ("ANALYTICS_TABLE", "TRACKER_IMPORT_JOB", "METADATA_IMPORT")


def _gist(ctx: Ctx) -> bool:
    """`@RequestParam(required = false) Boolean gist`, bound by Spring's StringToBooleanConverter
    (blank is null; another word 400 "Value 'x' is not valid for parameter gist. Invalid
    boolean value 'x'", `CrudControllerAdvice#methodArgumentTypeMismatchException`, the
    ConversionFailedException branch, 2.41.9 :223-250, 2.42.5 / 2.43.1 :230-257); null is the
    notifierGistOverview setting as set, true by default (DefaultNotifier
    #getNotificationsByJobType: 2.41.9 :261 `getBoolSetting(NOTIFIER_GIST_OVERVIEW)`, 2.42.5
    :263 and 2.43.1 `getNotifierGistOverview()`)."""
    raw = ctx.request.args.get("gist")
    try:
        bound = spring_bool(raw) if raw is not None else None
    except ValueError as refused:
        raise webmessage.fail(webmessage.error(
            400, f"Value '{raw}' is not valid for parameter gist. {refused}")) from None
    if bound is not None:
        return bound
    return settings.system_value(ctx, "notifierGistOverview") is not False


def _newest_entry(job: Job) -> int:
    """`NotificationStore#ageTimestamp`: the newest notification's timestamp."""
    return max((n.millis for n in job.notifications), default=0)


def _by_job(ctx: Ctx, job_type: str) -> dict[str, list[dict[str, Any]]]:
    """DefaultNotifier#getNotificationsByJobType: the jobs newest first (by their newest
    notification); with gist (#getGistNotificationsByJobId) the newest notification and the
    oldest, unless the oldest has the newest's id (one notification; on 2.42/2.43 also two of
    the same millisecond, their ids being the timestamp's)."""
    gist = _gist(ctx)
    from_timestamp = ctx.release.notification_id_from_timestamp
    out: dict[str, list[dict[str, Any]]] = {}
    for job in sorted(ctx.jobs.tasks(job_type), key=_newest_entry, reverse=True):
        notes = job.newest_first()
        if gist and notes:
            newest, oldest = notes[0], notes[-1]
            same = (newest.notification_id(from_timestamp)
                    == oldest.notification_id(from_timestamp))
            notes = [newest] if same else [newest, oldest]
        out[job.id] = [n.to_json(from_timestamp) for n in notes]
    return out


def get_all_tasks(ctx: Ctx) -> Response:
    found = {name: _by_job(ctx, name) for name in JOB_TYPE_ORDER}
    return webmessage.json_response({k: v for k, v in found.items() if v}, headers=TASK_CACHE)


def get_tasks(ctx: Ctx, job_type: str) -> Response:
    job_type = _check_job_type(ctx, job_type)
    return webmessage.json_response(_by_job(ctx, job_type), headers=TASK_CACHE)


def get_task_summaries(ctx: Ctx, job_type: str) -> Response:
    """DefaultNotifier#getJobSummariesForJobType: job id → summary, newest first."""
    job_type = _check_job_type(ctx, job_type)
    jobs = sorted((j for j in ctx.jobs.tasks(job_type) if j.result is not None),
                  key=_newest_entry, reverse=True)
    return webmessage.json_response({j.id: j.result for j in jobs}, headers=TASK_CACHE)


def get_task_summary(ctx: Ctx, job_type: str, job_id: str) -> Response:
    job_type = _check_job_type(ctx, job_type)
    ctx.check_path_uids(typed=True, jobId=job_id)
    job = ctx.jobs.task(job_type, job_id)
    if job is None or job.result is None:
        # `ResponseEntity.ok().build()`: no body, so no content type either
        empty = Response(status=200, headers=TASK_CACHE)
        del empty.headers["Content-Type"]
        return empty
    return webmessage.json_response(job.result, headers=TASK_CACHE)


RULES = [
    Rule("/api/system/info", endpoint=get_info, methods=["GET"]),
    Rule("/api/system/id", endpoint=get_ids, methods=["GET"]),
    Rule("/api/system/uid", endpoint=get_ids, methods=["GET"]),
    Rule("/api/system/uuid", endpoint=get_uuids, methods=["GET"]),
    Rule("/api/system/ping", endpoint=ping, methods=["GET"]),
    Rule("/api/system/tasks", endpoint=get_all_tasks, methods=["GET"]),
    Rule("/api/system/tasks/<job_type>", endpoint=get_tasks, methods=["GET"]),
    Rule("/api/system/taskSummaries/<job_type>", endpoint=get_task_summaries, methods=["GET"]),
    Rule("/api/system/tasks/<job_type>/<job_id>", endpoint=get_task, methods=["GET"]),
    Rule("/api/system/taskSummaries/<job_type>/<job_id>", endpoint=get_task_summary,
         methods=["GET"]),
]
