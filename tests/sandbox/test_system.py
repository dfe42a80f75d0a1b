"""`/api/system/info` with `fields`, `/api/system/uuid` and the system tasks of tracker imports
(core/system.py), at every release."""

from __future__ import annotations

import re
import time

import requests

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


def test_tracker_import_jobs_are_system_tasks(env) -> None:
    """SystemController#getTasksAllJobTypes / #getTasksByJobType / #getTaskJsonByUid /
    #getTaskSummaryJson read the notifier TrackerImportJob reports to (2.41.9, 2.42.5, 2.43.1):
    a tracker import is listed under TRACKER_IMPORT_JOB like any job, each notification's `id`
    its own `uid`."""
    _, running, m = env
    started = requests.post(f"{running.url}/api/tracker", json={"trackedEntities": [te(m)]},
                            auth=ADMIN, timeout=30)
    job = started.json()["response"]["id"]
    for _ in range(200):
        notes = requests.get(f"{running.url}/api/tracker/jobs/{job}", auth=ADMIN,
                             timeout=10).json()
        if notes and notes[0]["completed"]:
            break
        time.sleep(0.05)
    tasks = requests.get(f"{running.url}/api/system/tasks/TRACKER_IMPORT_JOB/{job}",
                         auth=ADMIN, timeout=10).json()
    assert tasks == notes
    assert tasks[0]["message"].startswith("Import complete with status OK")
    assert all(n["id"] == n["uid"] != job for n in tasks)
    by_type = requests.get(f"{running.url}/api/system/tasks/TRACKER_IMPORT_JOB", auth=ADMIN,
                           timeout=10).json()
    # gist: the newest and the oldest notification of the job
    assert by_type == {job: [notes[0], notes[-1]]}
    everything = requests.get(f"{running.url}/api/system/tasks", auth=ADMIN, timeout=10).json()
    assert list(everything) == ["TRACKER_IMPORT_JOB"]
    assert everything["TRACKER_IMPORT_JOB"] == by_type
    summary = requests.get(f"{running.url}/api/system/taskSummaries/TRACKER_IMPORT_JOB/{job}",
                           auth=ADMIN, timeout=10).json()
    assert summary["status"] == "OK" and summary["stats"]["created"] == 1
