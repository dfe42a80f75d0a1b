"""`/api/tracker/trackerEvents` and `/api/tracker/singleEvents` (2.43 only) beside
`/api/tracker/events` (`sandbox/tracker/export/event_endpoints.py`)."""

from __future__ import annotations

from typing import Any

from scdi.upstream.releases import RELEASES
from tests.sandbox.tracker_fixture import LEADER, Meta, enrollment, event, get, post, te, uid


def _one_of_each(running: Any, m: Meta) -> tuple[str, str]:
    """A tracker event and an event of the program without registration (whose changes 2.43
    logs: `enableChangeLog`)."""
    for plural, object_uid in (("programs", m.event_program), ("programs", m.program)):
        obj = running.store.get_object(plural, object_uid)
        obj["enableChangeLog"] = True
        running.store.put_object(plural, obj)
    person = te(m)
    en = enrollment(m, person["trackedEntity"])
    tracker_event = event(m, en["enrollment"], values={m.de_number: "3"})
    single_event = {"event": uid(), "program": m.event_program, "programStage": m.event_stage,
                    "orgUnit": m.commune, "status": "ACTIVE", "occurredAt": "2025-01-12",
                    "dataValues": [{"dataElement": m.de_number, "value": "5"}]}
    answer = post(running, {"trackedEntities": [person], "enrollments": [en],
                            "events": [tracker_event, single_event]})
    assert answer.status_code == 200, answer.text
    return tracker_event["event"], single_event["event"]


def test_the_split_event_endpoints_exist_from_2_43(env):
    version, running, m = env
    tracker_uid, single_uid = _one_of_each(running, m)
    paths = ["/api/tracker/trackerEvents", f"/api/tracker/trackerEvents/{tracker_uid}",
             f"/api/tracker/trackerEvents/{tracker_uid}/changeLogs", "/api/tracker/singleEvents",
             f"/api/tracker/singleEvents/{single_uid}",
             f"/api/tracker/singleEvents/{single_uid}/changeLogs"]
    if not RELEASES[version].tracker_split_event_endpoints:
        assert version in ("2.41", "2.42")
        for path in paths:
            answer = get(running, path, program=m.program)
            assert answer.status_code == 404, path
            assert "<h1>HTTP Status 404 – Not Found</h1>" in answer.text, path
        return
    assert version == "2.43"
    for path in paths:
        program = m.program if "trackerEvents" in path else m.event_program
        assert get(running, path, program=program).status_code == 200, path


def test_tracker_events_serve_tracker_programs_only(env):
    version, running, m = env
    if not RELEASES[version].tracker_split_event_endpoints:
        assert get(running, "/api/tracker/trackerEvents", program=m.program).status_code == 404
        return
    tracker_uid, single_uid = _one_of_each(running, m)
    body = get(running, "/api/tracker/trackerEvents", program=m.program).json()
    assert "events" not in body
    (listed,) = body["trackerEvents"]
    assert listed["event"] == tracker_uid and listed["trackedEntity"]
    assert "attributeCategoryOptions" not in get(
        running, "/api/tracker/trackerEvents", program=m.program,
        fields="event,attributeCategoryOptions").json()["trackerEvents"][0]
    refused = get(running, "/api/tracker/trackerEvents", program=m.event_program)
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        f"Program specified is not a tracker program: {m.event_program}")
    assert get(running, "/api/tracker/trackerEvents").json()["message"] == "Program is mandatory"
    for path in (f"/api/tracker/trackerEvents/{single_uid}",
                 f"/api/tracker/trackerEvents/{single_uid}/changeLogs"):
        gone = get(running, path)
        assert gone.status_code == 404
        assert gone.json()["message"] == f"Event with id {single_uid} could not be found."
    assert get(running, "/api/tracker/trackerEvents", program=m.program,
               order="programStage").json()["message"] == (
        "order parameter is invalid. Cannot order by 'programStage'. Supported are data "
        "element and attribute UIDs and fields 'completedAt, createdAt, occurredAt, "
        "scheduledAt, updatedAt'. All of which can at most be specified once.")
    assert get(running, "/api/tracker/trackerEvents", program=m.program,
               order=f"{m.de_number}:desc").status_code == 200


def test_single_events_serve_programs_without_registration_only(env):
    version, running, m = env
    if not RELEASES[version].tracker_split_event_endpoints:
        assert get(running, "/api/tracker/singleEvents",
                   program=m.event_program).status_code == 404
        return
    tracker_uid, single_uid = _one_of_each(running, m)
    body = get(running, "/api/tracker/singleEvents", program=m.event_program,
               fields="*").json()
    (listed,) = body["singleEvents"]
    assert listed["event"] == single_uid and listed["program"] == m.event_program
    assert not {"programStage", "enrollment", "trackedEntity", "scheduledAt", "followUp",
                "attributeCategoryOptions"} & set(listed)
    # /api/tracker/events keeps the stage of the same event
    assert get(running, f"/api/tracker/events/{single_uid}").json()["programStage"] == (
        m.event_stage)
    # a parameter SingleEventRequestParams does not have is not read
    assert len(get(running, "/api/tracker/singleEvents", program=m.event_program,
                   programStage="stgUnknown1").json()["singleEvents"]) == 1
    refused = get(running, "/api/tracker/singleEvents", program=m.program)
    assert refused.status_code == 400
    assert refused.json()["message"] == f"Program specified is not an event program: {m.program}"
    gone = get(running, f"/api/tracker/singleEvents/{tracker_uid}")
    assert gone.status_code == 404
    assert gone.json()["message"] == f"Event with id {tracker_uid} could not be found."
    logs = get(running, f"/api/tracker/singleEvents/{single_uid}/changeLogs").json()
    assert [e["change"]["dataValue"]["currentValue"] for e in logs["changeLogs"]] == ["5"]
    assert get(running, "/api/tracker/singleEvents", program=m.event_program,
               order="enrolledAt").json()["message"] == (
        "order parameter is invalid. Cannot order by 'enrolledAt'. Supported are data "
        "element UIDs and fields 'completedAt, createdAt, occurredAt, updatedAt'. All of "
        "which can at most be specified once.")


def test_tracker_events_ask_for_the_programs_tracked_entity_type(env):
    # OperationsParamsValidator#validateTrackerProgram (2.43.1 :135-154): after the program,
    # data read on its tracked entity type; /singleEvents (#validateEventProgram) asks no type.
    version, running, m = env
    if not RELEASES[version].tracker_split_event_endpoints:
        return
    _one_of_each(running, m)
    tet = running.store.get_object("trackedEntityTypes", m.tet)
    tet["sharing"] = {**tet["sharing"], "public": "r-------", "users": {}, "userGroups": {}}
    running.store.put_object("trackedEntityTypes", tet)
    refused = get(running, "/api/tracker/trackerEvents", program=m.program, auth=LEADER)
    assert (refused.status_code, refused.json()["message"]) == (
        403, f"User is not authorized to read data from selected program's tracked entity type: {m.tet}")
    assert get(running, "/api/tracker/singleEvents", program=m.event_program,
               auth=LEADER).status_code == 200
