"""A single enrollment or event the user may not read: 2.41.9 answers the access manager's
`canRead` errors as a 403 (`tracker/export/read_errors.py`), 2.42.5/2.43.1 a 404."""

from __future__ import annotations

from scdi.upstream.releases import RELEASES
from tests.sandbox.tracker_fixture import LEADER, event, get, person, post


def _far_enrollment_and_event(running, m):
    far = person(m, org_unit=m.other)
    en = far["enrollments"][0]
    ev = event(m, None, org_unit=m.other)
    en["events"] = [ev]
    r = post(running, {"trackedEntities": [far]})
    assert r.status_code == 200, r.text
    return en["enrollment"], ev["event"]


def test_enrollment_owned_outside_the_search_scope(env):
    version, running, m = env
    en_uid, _ = _far_enrollment_and_event(running, m)
    r = get(running, f"/api/tracker/enrollments/{en_uid}", auth=LEADER)
    assert r.status_code == RELEASES[version].tracker_invisible_entity_status
    if version == "2.41":
        assert r.status_code == 403
        assert r.json()["message"] == "[OWNERSHIP_ACCESS_DENIED]"
        assert r.json()["errorCode"] == "E1006"
    else:
        assert r.status_code == 404
        assert r.json()["message"] == f"Enrollment with id {en_uid} could not be found."


def test_event_owned_outside_the_search_scope(env):
    version, running, m = env
    _, ev_uid = _far_enrollment_and_event(running, m)
    r = get(running, f"/api/tracker/events/{ev_uid}", auth=LEADER)
    if version == "2.41":
        assert r.status_code == 403
        assert r.json()["message"] == "[OWNERSHIP_ACCESS_DENIED]"
        assert r.json()["errorCode"] == "E1006"
    else:
        assert r.status_code == 404
        assert r.json()["message"] == f"Event with id {ev_uid} could not be found."
    # DefaultEventChangeLogService#getEventChangeLog: canRead's errors are a 404 at 2.41.9
    logs = get(running, f"/api/tracker/events/{ev_uid}/changeLogs", auth=LEADER)
    assert logs.status_code == 404


def test_enrollment_of_an_unreadable_program_lists_every_error(env):
    version, running, m = env
    en_uid, _ = _far_enrollment_and_event(running, m)
    program = running.store.get_object("programs", m.program)
    running.store.put_object("programs", {**program, "sharing": {
        **program.get("sharing", {}), "public": "rw------", "users": {}, "userGroups": {}}})
    r = get(running, f"/api/tracker/enrollments/{en_uid}", auth=LEADER)
    if version == "2.41":
        assert r.status_code == 403
        assert r.json()["message"] == (
            f"[User has no data read access to program: {m.program}, OWNERSHIP_ACCESS_DENIED]")
    else:
        assert r.status_code == 404
