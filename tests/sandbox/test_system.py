"""`/api/system/info` with `fields`, `/api/system/uuid` and the system tasks of tracker imports
(core/system.py), at every release."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import requests

from scdi.sandbox.core.objects import timestamp_uid
from scdi.sandbox.core.system import NO_STORE
from tests.sandbox.helpers import ADMIN
from tests.sandbox.tracker_fixture import te

VERSIONS = ("2.41", "2.42", "2.43")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_system_info_fields_keep_the_class_order(sandbox_factory) -> None:
    # SystemController#getSystemInfo → FieldFilterService#toObjectNodes: Jackson writes
    # SystemInfo's properties in declaration order and the filter only drops the others
    # (2.41.9, 2.42.5, 2.43.1; DatabaseInfo the same inside databaseInfo).
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        answer = requests.get(f"{url}/api/system/info", auth=ADMIN, timeout=10,
                              params={"fields": "version,revision,systemId,contextPath,calendar"})
        assert list(answer.json()) == ["contextPath", "calendar", "version", "revision",
                                       "systemId"], version
        nested = requests.get(f"{url}/api/system/info", auth=ADMIN, timeout=10,
                              params={"fields": "systemName,databaseInfo[time,name]"}).json()
        assert list(nested) == ["databaseInfo", "systemName"], version
        assert list(nested["databaseInfo"]) == ["name", "time"], version
        renamed = requests.get(f"{url}/api/system/info", auth=ADMIN, timeout=10,
                               params={"fields": "version~rename(v),calendar"}).json()
        assert list(renamed) == ["calendar", "v"], version
        full = requests.get(f"{url}/api/system/info", auth=ADMIN, timeout=10).json()
        head = ["contextPath", "userAgent", "calendar", "dateFormat", "serverDate",
                "serverTimeZoneId"]
        if version == "2.43":
            head.append("sessionTimeout")
        assert list(full)[:len(head) + 1] == [*head, "serverTimeZoneDisplayName"], version


def test_system_uuid_answers_random_uuids_like_uid(sandbox_factory) -> None:
    # SystemController#getUuid: generateCodeList(Math.min(limit, 10000), UUID::randomUUID),
    # the `limit` bound as /uid binds it, and setNoStore (2.41.9 :156-166, 2.42.5 :157-167,
    # 2.43.1 :154-164).
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        one = requests.get(f"{url}/api/system/uuid", auth=ADMIN, timeout=10)
        assert one.status_code == 200, (version, one.text)
        assert one.headers["Cache-Control"] == NO_STORE
        codes = one.json()["codes"]
        assert list(one.json()) == ["codes"] and len(codes) == 1 and UUID.match(codes[0])
        many = requests.get(f"{url}/api/system/uuid", params={"limit": "0x3"}, auth=ADMIN,
                            timeout=10).json()["codes"]
        assert len(set(many)) == 3 and all(UUID.match(c) for c in many)
        none = requests.get(f"{url}/api/system/uuid", params={"limit": "-1"}, auth=ADMIN,
                            timeout=10)
        assert none.json() == {"codes": []}
        capped = requests.get(f"{url}/api/system/uuid", params={"limit": "20000"}, auth=ADMIN,
                              timeout=10)
        assert len(capped.json()["codes"]) == 10_000
        bad = requests.get(f"{url}/api/system/uuid", params={"limit": "x"}, auth=ADMIN,
                           timeout=10)
        assert bad.status_code == 400
        assert bad.json()["message"] == \
            "Value 'x' is not valid for parameter limit. For input string: \"x\""
        anonymous = requests.get(f"{url}/api/system/uuid", allow_redirects=False, timeout=10)
        assert anonymous.status_code in (302, 401)


def _tracker_job(running, m) -> tuple[str, list[dict]]:
    started = requests.post(f"{running.url}/api/tracker", json={"trackedEntities": [te(m)]},
                            auth=ADMIN, timeout=30)
    job = started.json()["response"]["id"]
    for _ in range(200):
        notes = requests.get(f"{running.url}/api/tracker/jobs/{job}", auth=ADMIN,
                             timeout=10).json()
        if notes and notes[0]["completed"]:
            return job, notes
        time.sleep(0.05)
    raise AssertionError("the tracker job did not complete")


def test_tracker_import_jobs_are_system_tasks(env) -> None:
    """SystemController#getTasksAllJobTypes / #getTasksByJobType / #getTaskJsonByUid /
    #getTaskSummaryJson read the notifier TrackerImportJob reports to (2.41.9, 2.42.5, 2.43.1):
    a tracker import is listed under TRACKER_IMPORT_JOB like any job, each notification's `id`
    its own `uid`."""
    _, running, m = env
    job, notes = _tracker_job(running, m)
    tasks = requests.get(f"{running.url}/api/system/tasks/TRACKER_IMPORT_JOB/{job}",
                         auth=ADMIN, timeout=10).json()
    assert tasks == notes
    assert tasks[0]["message"].startswith("Import complete with status OK")
    assert all(n["id"] == n["uid"] != job for n in tasks)
    by_type = requests.get(f"{running.url}/api/system/tasks/TRACKER_IMPORT_JOB", auth=ADMIN,
                           timeout=10).json()
    # gist: the newest and the oldest notification of the job (one if they share an id)
    gist = [notes[0]] if notes[0]["id"] == notes[-1]["id"] else [notes[0], notes[-1]]
    assert by_type == {job: gist}
    everything = requests.get(f"{running.url}/api/system/tasks", auth=ADMIN, timeout=10).json()
    assert list(everything) == ["TRACKER_IMPORT_JOB"]
    assert everything["TRACKER_IMPORT_JOB"] == by_type
    summary = requests.get(f"{running.url}/api/system/taskSummaries/TRACKER_IMPORT_JOB/{job}",
                           auth=ADMIN, timeout=10).json()
    assert summary["status"] == "OK" and summary["stats"]["created"] == 1


def _millis(written: str) -> int:
    moment = datetime.strptime(written, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def test_timestamp_uid_is_code_generators() -> None:
    # CodeGenerator#generateUid(long) (2.42.5 / 2.43.1 :148-176), values run through it
    assert [timestamp_uid(t) for t in (1796603331508, 1796603331509, 1765066000000)] == [
        "D6nB1gM0aA4", "eA9iU9hFE2y", "G4mM5iG8oO6"]


def test_a_notifications_id_per_release(env) -> None:
    # Notification#getId: 2.41.9 the uid its constructor drew (:84, :106-108); 2.42.5 and
    # 2.43.1 CodeGenerator#generateUid(timestamp) (:89-91), `uid` the same value.
    version, running, m = env
    job, notes = _tracker_job(running, m)
    assert len(notes) > 1
    # Jackson writes the field-backed properties first: 2.41.9's fields are uid, level,
    # category, time, message, completed, dataType, data (`id` only a getter); 2.42.5 /
    # 2.43.1 keep a timestamp field instead, so the getter-only id, time and uid follow the
    # rest, in the order HotSpot's default CDS archive gives getDeclaredMethods (JDK 17, 25).
    order = (["uid", "level", "category", "time", "message", "completed", "dataType", "data",
              "id"] if version == "2.41" else
             ["level", "category", "message", "completed", "dataType", "data", "id", "time",
              "uid"])
    for note in notes:
        assert list(note) == [k for k in order if k in note], (version, list(note))
        assert note["id"] == note["uid"] != job
        from_time = note["id"] == timestamp_uid(_millis(note["time"]))
        assert from_time is (version != "2.41"), (version, note)
    tasks = requests.get(f"{running.url}/api/system/tasks/TRACKER_IMPORT_JOB/{job}",
                         auth=ADMIN, timeout=10).json()
    assert tasks == notes


def test_gist_is_a_boolean_else_the_setting(env) -> None:
    # SystemController#getTasksAllJobTypes / #getTasksByJobType `@RequestParam(required =
    # false) Boolean gist`: StringToBooleanConverter, another word 400 through
    # CrudControllerAdvice#methodArgumentTypeMismatchException; none or blank → the
    # notifierGistOverview setting (DefaultNotifier#getNotificationsByJobType, 2.41.9 :261,
    # 2.42.5 :263; true by default); gist keeps the newest and the oldest notification.
    _, running, m = env
    job, notes = _tracker_job(running, m)
    # more notifications than a gist keeps; from 2.42 the ids may all share one millisecond,
    # so the gist is one notification or two, whichever the clock gave
    assert len(notes) > 2
    url = f"{running.url}/api/system/tasks/TRACKER_IMPORT_JOB"
    gist = [notes[0]] if notes[0]["id"] == notes[-1]["id"] else [notes[0], notes[-1]]

    def listed(**params: str) -> list[dict]:
        answer = requests.get(url, params=params, auth=ADMIN, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()[job]  # type: ignore[no-any-return]

    assert listed() == listed(gist="") == listed(gist=" YES ") == gist
    assert listed(gist="off") == listed(gist="0") == notes
    for path in (url, f"{running.url}/api/system/tasks"):
        refused = requests.get(path, params={"gist": "maybe"}, auth=ADMIN, timeout=10)
        assert (refused.status_code, refused.json()) == (400, {
            "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": "Value 'maybe' is not valid for parameter gist. "
                       "Invalid boolean value [maybe]"})
    unknown = requests.get(f"{running.url}/api/system/tasks/NOPE", params={"gist": "maybe"},
                           auth=ADMIN, timeout=10).json()["message"]
    assert unknown.startswith("Value 'NOPE' is not valid for path parameter jobType.")
    setting = requests.post(f"{running.url}/api/systemSettings/notifierGistOverview",
                            data="false", headers={"Content-Type": "text/plain"}, auth=ADMIN,
                            timeout=10)
    assert setting.status_code == 200, setting.text
    assert listed() == listed(gist="") == notes
    assert listed(gist="true") == gist


def test_a_tracker_job_id_that_is_no_uid_is_refused_by_the_notifier(sandbox_factory) -> None:
    # TrackerImportController#getJob / #getJobReport take the id as a String (2.41.9 :248,
    # :255; 2.42.5 :212, :219; 2.43.1 :210, :217) after setNoStore; DefaultNotifier
    # #getNotificationsByJobId / #getJobSummaryByJobId call `UID.of(jobId)`, whose
    # IllegalArgumentException CrudControllerAdvice#illegalArgumentExceptionHandler answers
    # 400 without errorCode, the controller's Cache-Control kept; `reportMode` is bound first.
    message = ("UID must be an alphanumeric string of 11 characters starting with a letter, "
               "but was: not-a-uid")
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        for path in ("not-a-uid", "not-a-uid/report"):
            answer = requests.get(f"{url}/api/tracker/jobs/{path}", auth=ADMIN, timeout=10)
            assert (answer.status_code, answer.json()) == (400, {
                "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
                "message": message}), (version, path)
            assert answer.headers["Cache-Control"] == NO_STORE
        mode = requests.get(f"{url}/api/tracker/jobs/not-a-uid/report", auth=ADMIN, timeout=10,
                            params={"reportMode": "NOPE"})
        assert mode.status_code == 400 and "reportMode" in mode.json()["message"]
        unknown = requests.get(f"{url}/api/tracker/jobs/abcdefghijk", auth=ADMIN, timeout=10)
        assert (unknown.status_code, unknown.json()) == (200, [])


def test_an_async_import_locates_its_tasks_below_the_requests_api_version(sandbox_factory) -> None:
    # WebMessageUtils#jobConfigurationReport `setLocation("/system/tasks/METADATA_IMPORT")`;
    # WebMessageControllerAdvice writes it after ContextService#getApiPath, which keeps the
    # version of the request's path (HttpServletRequestPaths#getApiPath, API_VERSION
    # `/api/(\d+)?/`; 2.41.9, 2.42.5, 2.43.1).
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        for prefix in ("/api", "/api/40", "/api/29"):
            answer = requests.post(f"{url}{prefix}/metadata", params={"async": "true"}, json={},
                                   auth=ADMIN, timeout=10)
            assert answer.status_code == 200, (version, prefix, answer.text)
            assert answer.headers["Location"] == f"{url}{prefix}/system/tasks/METADATA_IMPORT"
            job = answer.json()["response"]
            # the body's endpoint is a fixed text
            assert job["relativeNotifierEndpoint"] == f"/api/system/tasks/METADATA_IMPORT/{job['id']}"


def test_the_job_type_is_bound_in_any_case_untrimmed(sandbox_factory) -> None:
    # `@PathVariable JobType jobType`: CrudControllerAdvice#initBinder registers ConvertEnum
    # (EnumUtils#getEnumIgnoreCase) for every org.hisp.dhis enum, which Spring asks before its
    # own converter: any case binds, surrounding spaces do not.
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        started = requests.post(f"{url}/api/metadata", params={"async": "true"}, json={},
                                auth=ADMIN, timeout=10)
        job = started.json()["response"]["id"]
        for _ in range(50):
            summary = requests.get(f"{url}/api/system/taskSummaries/METADATA_IMPORT/{job}",
                                   auth=ADMIN, timeout=10)
            if summary.content:
                break
            time.sleep(0.1)
        for kind in ("tasks", "taskSummaries"):
            upper = requests.get(f"{url}/api/system/{kind}/METADATA_IMPORT/{job}", auth=ADMIN,
                                 timeout=10).json()
            lower = requests.get(f"{url}/api/system/{kind}/metadata_Import/{job}", auth=ADMIN,
                                 timeout=10)
            assert lower.status_code == 200 and lower.json() == upper, (version, kind)
            listed = requests.get(f"{url}/api/system/{kind}/Metadata_Import", auth=ADMIN,
                                  timeout=10)
            assert listed.status_code == 200 and job in listed.json(), (version, kind)
        padded = requests.get(f"{url}/api/system/tasks/%20METADATA_IMPORT", auth=ADMIN,
                              timeout=10)
        assert padded.status_code == 400
        assert padded.json()["message"].startswith(
            "Value ' METADATA_IMPORT' is not valid for path parameter jobType.")
