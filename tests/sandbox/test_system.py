"""`/api/system/info` with `fields` and `/api/system/uuid` (core/system.py), at every release."""

from __future__ import annotations

import re

import requests

from scdi.sandbox.core.system import NO_STORE
from tests.sandbox.helpers import ADMIN

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
