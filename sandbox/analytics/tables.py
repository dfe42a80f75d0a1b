"""Analytics tables and the job that refreshes them: `POST|PUT /api/resourceTables/analytics`.

A snapshot of tracker data, taken only when the job runs, so figures stay stale until the next
refresh as on a real server (`webapi/controller/ResourceTableController.java#analytics`:
`F_PERFORM_MAINTENANCE`, a job of type `ANALYTICS_TABLE` whose notifications are read at
`/api/system/tasks/ANALYTICS_TABLE/{id}`). The answer is
`dxf2/webmessage/WebMessageUtils.java#jobConfigurationReport` of `new JobConfiguration(ANALYTICS_TABLE)`
(`scheduling/JobConfiguration.java`: name "ANALYTICS_TABLE (<epoch millis>)", NOT_STARTED) with
its `scheduling/parameters/AnalyticsJobParameters.java`, written by
`dxf2/scheduling/JobConfigurationWebMessageResponse.java` (2.41.9, 2.42.5, 2.43.1).

What a row must satisfy to enter the tables:
- events: not deleted, status ACTIVE, COMPLETED or SCHEDULE, enrollment and tracked entity
  not deleted (`analytics/table/JdbcEventAnalyticsTableManager.java`: `EXPORTABLE_EVENT_STATUSES`,
  `ev.deleted = false`, joins on `enrollment` and `trackedentity`);
- enrollments: not deleted, with an enrollment date and an org unit, tracked entity not
  deleted (`analytics/table/JdbcEnrollmentAnalyticsTableManager.java#populateTable`,
  `organisationunitid is not null` 2.41.9 :297, 2.42.5 :156, 2.43.1 :164; so the sandbox's
  hidden enrollment of an event program, which has no org unit, stays out; 2.42.5's own has
  the root org unit, `ProgramObjectBundleHook#addProgramInstance` :148-149, not modelled);
- aggregate data values: not deleted, with a value, and either numeric and not a zero unless
  the data element's aggregation is AVERAGE / AVERAGE_SUM_ORG_UNIT, or of a BOOLEAN /
  TRUE_ONLY data element and exactly 'true' (1) or, BOOLEAN only, 'false' (0)
  (`analytics/table/JdbcAnalyticsTableManager.java#populateTable`, `zeroValueClause`,
  `numericClause` and the two boolean passes; the system setting that keeps significant zeros
  is off).
"""

from __future__ import annotations

import re
import time
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import authority, objects, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.jobs import Job, JobType, run_once_name
from scdi.sandbox.core.spring_params import (
    request_param_bool,
    request_param_int,
    request_values,
    unboxed_null,
)
from scdi.sandbox.core.store import Store

ANALYTICS_TABLE = JobType("ANALYTICS_TABLE")
AUTHORITY = "F_PERFORM_MAINTENANCE"

TABLES = """
CREATE TABLE IF NOT EXISTS analytics_enrollment (
    uid TEXT PRIMARY KEY, program TEXT NOT NULL, te TEXT, org_unit TEXT, status TEXT NOT NULL,
    enrollment_date TEXT, incident_date TEXT
);
CREATE TABLE IF NOT EXISTS analytics_event (
    uid TEXT PRIMARY KEY, program TEXT NOT NULL, stage TEXT NOT NULL, enrollment TEXT, te TEXT,
    org_unit TEXT NOT NULL, status TEXT NOT NULL, occurred TEXT, scheduled TEXT
);
CREATE TABLE IF NOT EXISTS analytics_event_value (
    event TEXT NOT NULL, data_element TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (event, data_element)
);
CREATE TABLE IF NOT EXISTS analytics_te_value (
    te TEXT NOT NULL, attribute TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (te, attribute)
);
CREATE TABLE IF NOT EXISTS analytics_data_value (
    data_element TEXT NOT NULL, period TEXT NOT NULL, org_unit TEXT NOT NULL, coc TEXT NOT NULL,
    aoc TEXT NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (data_element, period, org_unit, coc, aoc)
);
CREATE TABLE IF NOT EXISTS analytics_refresh (
    id INTEGER PRIMARY KEY CHECK (id = 1), finished TEXT NOT NULL
);
"""

_SNAPSHOT = (
    "DELETE FROM analytics_enrollment",
    "DELETE FROM analytics_event",
    "DELETE FROM analytics_event_value",
    "DELETE FROM analytics_te_value",
    "DELETE FROM analytics_data_value",
    """INSERT INTO analytics_enrollment
       SELECT en.uid, en.program, en.te, en.org_unit, en.status, substr(en.enrolled_at, 1, 10),
              substr(en.occurred_at, 1, 10)
       FROM enrollments en LEFT JOIN tracked_entities te ON te.uid = en.te
       WHERE en.deleted = 0 AND en.enrolled_at IS NOT NULL AND en.org_unit IS NOT NULL
         AND (en.te IS NULL OR te.deleted = 0)""",
    """INSERT INTO analytics_event
       SELECT ev.uid, ev.program, ev.program_stage, ev.enrollment, en.te, ev.org_unit, ev.status,
              substr(ev.occurred_at, 1, 10), substr(ev.scheduled_at, 1, 10)
       FROM events ev LEFT JOIN enrollments en ON en.uid = ev.enrollment
       LEFT JOIN tracked_entities te ON te.uid = en.te
       WHERE ev.deleted = 0 AND ev.status IN ('COMPLETED', 'ACTIVE', 'SCHEDULE')
         AND (ev.enrollment IS NULL OR en.deleted = 0)
         AND (en.te IS NULL OR te.deleted = 0)""",
    """INSERT INTO analytics_event_value
       SELECT dv.event, dv.data_element, dv.value FROM event_data_values dv
       JOIN analytics_event ae ON ae.uid = dv.event""",
    """INSERT INTO analytics_te_value
       SELECT av.te, av.attribute, av.value FROM te_attribute_values av
       JOIN tracked_entities te ON te.uid = av.te WHERE te.deleted = 0""",
)


# `MathUtils.NUMERIC_LENIENT_REGEXP` in `JdbcAnalyticsTableManager#populateTable`'s
# `dv.value ~* '…'` (2.41.9 :287, 2.42.5 :285, 2.43.1 :292): PostgreSQL's `$` is the end of the
# text, no final line break before it (fullmatch)
_NUMERIC = re.compile(r"(-?[0-9]+)(\.[0-9]+)?")
_NUMERIC_TYPES = {"NUMBER", "UNIT_INTERVAL", "PERCENTAGE", "INTEGER", "INTEGER_POSITIVE",
                  "INTEGER_NEGATIVE", "INTEGER_ZERO_OR_POSITIVE"}
# JdbcAnalyticsTableManager#populateTable's boolean passes: the text each type loads, and as what
_BOOLEAN_VALUES = {"BOOLEAN": {"true": 1.0, "false": 0.0}, "TRUE_ONLY": {"true": 1.0}}


def _data_values(store: Store) -> list[tuple[str, str, str, str, str, float]]:
    elements = {d["id"]: d for d in store.list_objects("dataElements")}
    out = []
    for r in store.conn.execute("SELECT data_element, period, org_unit, coc, aoc, value FROM data_values "
                                "WHERE deleted = 0 AND value IS NOT NULL").fetchall():
        de = elements.get(r["data_element"]) or {}
        value_type = str(de.get("valueType"))
        if value_type in _BOOLEAN_VALUES:
            # the zero clause belongs to the numeric pass only: a 'false' loads as 0
            if r["value"] in _BOOLEAN_VALUES[value_type]:
                out.append((r["data_element"], r["period"], r["org_unit"], r["coc"], r["aoc"],
                            _BOOLEAN_VALUES[value_type][r["value"]]))
            continue
        if value_type not in _NUMERIC_TYPES or not _NUMERIC.fullmatch(r["value"]):
            continue
        if r["value"] == "0" and str(de.get("aggregationType")) not in ("AVERAGE", "AVERAGE_SUM_ORG_UNIT"):
            continue
        out.append((r["data_element"], r["period"], r["org_unit"], r["coc"], r["aoc"], float(r["value"])))
    return out


def refresh(store: Store) -> None:
    """Replace the analytics tables with what the tracker and data value tables hold now."""
    with store.lock, store.transaction() as conn:
        for statement in _SNAPSHOT:
            conn.execute(statement)
        conn.executemany("INSERT INTO analytics_data_value VALUES (?, ?, ?, ?, ?, ?)", _data_values(store))
        conn.execute("INSERT OR REPLACE INTO analytics_refresh (id, finished) VALUES (1, ?)",
                     (objects.now(),))


def last_refresh(store: Store) -> str | None:
    with store.lock:
        row = store.conn.execute("SELECT finished FROM analytics_refresh").fetchone()
    return str(row[0]) if row else None


# ResourceTableController#analytics: the request flags and the AnalyticsTableTypes each skips,
# in the order the controller adds them
_SKIP_FLAGS = (
    ("skipAggregate", ("DATA_VALUE", "COMPLETENESS", "COMPLETENESS_TARGET")),
    ("skipValidationResult", ("VALIDATION_RESULT",)),
    ("skipEvents", ("EVENT",)),
    ("skipEnrollment", ("ENROLLMENT",)),
    ("skipOrgUnitOwnership", ("OWNERSHIP",)),
    ("skipTrackedEntities", ("TRACKED_ENTITY_INSTANCE", "TRACKED_ENTITY_INSTANCE_EVENTS",
                             "TRACKED_ENTITY_INSTANCE_ENROLLMENTS")),
)


# ResourceTableController#analytics's request parameters in the order Spring binds them
_PARAMETERS = ("skipResourceTables", "skipAggregate", "skipValidationResult", "skipEvents",
               "skipEnrollment", "skipTrackedEntities", "skipOrgUnitOwnership", "lastYears",
               "skipOutliers")


def _bound(ctx: Ctx) -> dict[str, bool | int | None]:
    """The `Boolean` flags (`defaultValue = "false"`) and `Integer lastYears` (`required =
    false`), bound one after the other by Spring (`core/spring_params.py#request_param_bool`,
    `#request_param_int`): absent or empty is false; whitespace only is null, which 2.42+
    (Spring 6) turn into the default false and 2.41 keeps (`request_param_null_takes_default`);
    `lastYears` whitespace only is null at every release. The first value that does not convert
    is CrudControllerAdvice#methodArgumentTypeMismatchException's 400 "Value 'x' is not valid
    for parameter <name>. <cause>", no errorCode (2.41.9 :223-250, 2.42.5 / 2.43.1 :230-257)."""
    args = ctx.request.args
    out: dict[str, bool | int | None] = {}
    for name in _PARAMETERS:
        if name == "lastYears":
            out[name] = request_param_int(request_values(args, name, ctx.release), name, None,
                                          ctx.release)
        else:
            out[name] = request_param_bool(request_values(args, name, ctx.release), name, False,
                                           ctx.release)
    return out


def _unbox_flags(bound: dict[str, bool | int | None]) -> None:
    """The method reads the `skip*` table flags with the null-safe `BooleanUtils#isTrue`, but
    passes `skipResourceTables` and `skipOutliers` to `new AnalyticsJobParameters(Integer, Set,
    Set, boolean, boolean)` (ResourceTableController#analytics 2.41.9 :137-139, 2.42.5
    :139-141, 2.43.1 :135-137; `scheduling/parameters/AnalyticsJobParameters.java`, the
    constructor 2.41.9 :60-71, 2.42.5 / 2.43.1 :62-73): a null one (2.41's whitespace only) is unboxed there,
    left to right, a 500 before any job."""
    for name in ("skipResourceTables", "skipOutliers"):
        if bound[name] is None:
            raise unboxed_null(name, "Boolean")


def _job_parameters(bound: dict[str, bool | int | None]) -> dict[str, Any]:
    """AnalyticsJobParameters as Jackson writes it (NON_NULL: no `lastYears` unless given)."""
    out: dict[str, Any] = {}
    if bound["lastYears"] is not None:
        out["lastYears"] = bound["lastYears"]
    out["skipTableTypes"] = [t for flag, types in _SKIP_FLAGS if bound[flag] for t in types]
    out["skipPrograms"] = []
    out["skipResourceTables"] = bool(bound["skipResourceTables"])
    out["skipOutliers"] = bool(bound["skipOutliers"])
    return out


def run(ctx: Ctx) -> Response:
    # 2.42+'s @RequiresAuthority refuses in AuthorityInterceptor#preHandle, before binding;
    # 2.41's @PreAuthorize runs around the method, after it (`authority_interceptor_message`)
    if ctx.release.authority_interceptor_message:
        authority.require(ctx, AUTHORITY)
    bound = _bound(ctx)
    authority.require(ctx, AUTHORITY)
    _unbox_flags(bound)
    name = run_once_name(ANALYTICS_TABLE)
    job = Job(ANALYTICS_TABLE, name=name, user=ctx.user.uid)
    job.notify("Analytics table update process started")
    store = ctx.store

    def work(job: Job) -> None:
        started = time.monotonic()
        try:
            refresh(store)
            job.notify(f"Analytics tables updated: {time.monotonic() - started:.3f} s",
                       completed=True)
        except Exception as exc:  # a failed job ends with an ERROR notification, as in DHIS2
            job.notify(f"Process failed: {exc}", completed=True, level="ERROR")

    ctx.jobs.start(job, work)
    # JobConfigurationWebMessageResponse of the configuration as the controller holds it: the
    # store's move to SCHEDULED is a native update, so the object still reads NOT_STARTED
    response: dict[str, Any] = {
        "name": name, "id": job.id, "created": objects.now(), "jobType": ANALYTICS_TABLE.name,
        "jobStatus": "NOT_STARTED", "jobParameters": _job_parameters(bound),
        "relativeNotifierEndpoint": f"/api/system/tasks/{ANALYTICS_TABLE.name}/{job.id}",
    }
    if ctx.release.job_configuration_response_type:
        response["responseType"] = ctx.release.job_configuration_response_type
    # WebMessageUtils#jobConfigurationReport `setLocation("/system/tasks/" + type)`, which
    # WebMessageControllerAdvice prefixes with ContextService#getApiPath: the request's
    # `/api/<n>/` kept (`Ctx.api_path`)
    return webmessage.ok(f"Initiated {name}", response=response, headers={
        "Location": f"{ctx.api_path}/system/tasks/{ANALYTICS_TABLE.name}"})


RULES = (
    Rule("/api/resourceTables/analytics", endpoint=run, methods=["POST", "PUT"]),
)
