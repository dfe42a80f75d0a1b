"""A single enrollment or event the user may not read: 2.41.9 answers the access manager's
`canRead` errors as a 403 (`tracker/export/read_errors.py`), 2.42.5/2.43.1 a 404."""

from __future__ import annotations

from scdi.upstream.releases import RELEASES
from tests.sandbox.tracker_fixture import LEADER, event, get, person, post


def _enrollment_and_event(running, m, org_unit=None):
    """A tracked entity with one enrollment holding one event, imported as admin; their uids."""
    t = person(m, org_unit=org_unit)
    en = t["enrollments"][0]
    ev = event(m, None, org_unit=org_unit)
    en["events"] = [ev]
    r = post(running, {"trackedEntities": [t]})
    assert r.status_code == 200, r.text
    return en["enrollment"], ev["event"]


def _far_enrollment_and_event(running, m):
    return _enrollment_and_event(running, m, org_unit=m.other)


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


def _type_without_data_read(running, m, public="rw------"):
    tet = running.store.get_object("trackedEntityTypes", m.tet)
    running.store.put_object("trackedEntityTypes", {**tet, "sharing": {
        **tet.get("sharing", {}), "owner": "ownerUser01", "public": public, "users": {},
        "userGroups": {}}})


def test_enrollment_and_event_of_a_type_without_data_read(env):
    version, running, m = env
    en_uid, ev_uid = _enrollment_and_event(running, m)
    for path in (f"/api/tracker/enrollments/{en_uid}", f"/api/tracker/events/{ev_uid}"):
        assert get(running, path, auth=LEADER).status_code == 200, path
    _type_without_data_read(running, m)
    r = get(running, f"/api/tracker/enrollments/{en_uid}", auth=LEADER)
    if version == "2.41":
        assert r.status_code == 403
        assert r.json()["message"] == f"[User has no data read access to tracked entity type: {m.tet}]"
    else:
        assert r.status_code == 404
        assert r.json()["message"] == f"Enrollment with id {en_uid} could not be found."
    r = get(running, f"/api/tracker/events/{ev_uid}", auth=LEADER)
    if version == "2.41":
        assert r.status_code == 403
        assert r.json()["message"] == f"[User has no data read access to tracked entity type: {m.tet}]"
    else:
        assert r.status_code == 404
        assert r.json()["message"] == f"Event with id {ev_uid} could not be found."
    # the event change log reads the event first (2.42.5 DefaultEventChangeLogService :74)
    logs = get(running, f"/api/tracker/events/{ev_uid}/changeLogs", auth=LEADER)
    assert logs.status_code == 404


def test_type_data_read_without_metadata_read(env):
    """Data read but no metadata read of the type: the 2.42 enrollment read asks data read only;
    the event reads, and 2.43's enrollment read, take the programs whose type is both."""
    version, running, m = env
    en_uid, ev_uid = _enrollment_and_event(running, m)
    _type_without_data_read(running, m, public="--r-----")
    enrollment = get(running, f"/api/tracker/enrollments/{en_uid}", auth=LEADER)
    assert enrollment.status_code == {"2.41": 200, "2.42": 200, "2.43": 404}[version]
    evs = get(running, f"/api/tracker/events/{ev_uid}", auth=LEADER)
    assert evs.status_code == {"2.41": 200, "2.42": 404, "2.43": 404}[version]


def test_the_hidden_enrollment_of_an_event_program(env):
    """2.41.9 `DefaultEnrollmentService#getEnrollment` reads any stored enrollment by uid, so an
    event program's one enrollment (its events' `enrollment`) is read: `canRead`'s else-branch
    asks only its org unit, which it has none of; 2.42/2.43 export tracker programs only."""
    version, running, m = env
    ev = event(m, None, stage=m.event_stage, program=m.event_program)
    assert post(running, {"events": [ev]}).status_code == 200
    view = get(running, f"/api/tracker/events/{ev['event']}").json()
    if version == "2.43":
        assert "enrollment" not in view  # a SingleEvent has none
        return
    en_uid = view["enrollment"]
    r = get(running, f"/api/tracker/enrollments/{en_uid}", auth=LEADER)
    if version == "2.41":
        assert r.status_code == 200, r.text
        assert r.json()["enrollment"] == en_uid
        assert r.json()["program"] == m.event_program
        assert r.json()["status"] == "ACTIVE"
        assert "trackedEntity" not in r.json() and "orgUnit" not in r.json()
        # ProgramObjectBundleHook#addProgramInstance dates it (the program's creation here)
        assert r.json()["enrolledAt"] and r.json()["occurredAt"], r.text
    else:
        assert r.status_code == 404
    program = running.store.get_object("programs", m.event_program)
    running.store.put_object("programs", {**program, "sharing": {
        **program.get("sharing", {}), "public": "rw------", "users": {}, "userGroups": {}}})
    r = get(running, f"/api/tracker/enrollments/{en_uid}", auth=LEADER)
    if version == "2.41":
        assert r.status_code == 403
        assert r.json()["message"] == f"[User has no data read access to program: {m.event_program}]"
    else:
        assert r.status_code == 404


def _refused_without_a_program(version, running):
    """2.43.1 asks a program of both lists (`RequestParamsValidator#validateMandatoryProgram`,
    events' `@RequestParam UID program`), so their filtering without one is 2.41/2.42's."""
    if version != "2.43":
        return False
    for path in ("/api/tracker/enrollments", "/api/tracker/events"):
        assert get(running, path, auth=LEADER).status_code == 400, path
    return True


def _listed(running, path, key):
    r = get(running, path, auth=LEADER)
    assert r.status_code == 200, r.text
    body = r.json()
    return [item[key] for item in body.get(path.split("?")[0].rsplit("/", 1)[1], body.get("instances", []))]


def test_lists_without_a_program_drop_a_type_without_data_read(env):
    """The lists without `program` drop what the single reads drop: 2.41/2.42's enrollments
    `canRead` each one (data read on the type), the events take the programs whose type is
    readable."""
    version, running, m = env
    if _refused_without_a_program(version, running):
        return
    en_uid, ev_uid = _enrollment_and_event(running, m)
    assert en_uid in _listed(running, "/api/tracker/enrollments", "enrollment")
    assert ev_uid in _listed(running, "/api/tracker/events", "event")
    _type_without_data_read(running, m)
    assert en_uid not in _listed(running, "/api/tracker/enrollments", "enrollment")
    assert ev_uid not in _listed(running, "/api/tracker/events", "event")


def test_lists_without_a_program_and_type_data_read_without_metadata_read(env):
    """Data read but no metadata read of the type: 2.41/2.42's enrollment list asks data read
    only, their event lists take the programs whose type is both."""
    version, running, m = env
    if _refused_without_a_program(version, running):
        return
    en_uid, ev_uid = _enrollment_and_event(running, m)
    _type_without_data_read(running, m, public="--r-----")
    assert en_uid in _listed(running, "/api/tracker/enrollments", "enrollment")
    assert ev_uid not in _listed(running, "/api/tracker/events", "event")


def test_event_list_with_a_program_of_a_type_without_data_read(env):
    """2.41/2.42 list the program's events (`#validateProgramAccess` only); 2.43's `/events`
    with a registration program is the tracker events' export, which refuses the type."""
    version, running, m = env
    _, ev_uid = _enrollment_and_event(running, m)
    _type_without_data_read(running, m)
    path = f"/api/tracker/events?program={m.program}"
    if version == "2.43":
        r = get(running, path, auth=LEADER)
        assert r.status_code == 403
        assert r.json()["message"] == (
            f"User is not authorized to read data from selected program's tracked entity type: {m.tet}")
    else:
        assert ev_uid in _listed(running, path, "event")
