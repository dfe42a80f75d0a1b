"""Breaking the glass and transferring ownership (POST /api/tracker/ownership/override,
PUT /api/tracker/ownership/transfer), as Android Capture calls them for a PROTECTED program."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.tracker_fixture import LEADER, Meta, codes, event, install, person, post


@pytest.fixture
def env(fresh_sandbox: RunningSandbox) -> tuple[RunningSandbox, Meta]:
    m = install(fresh_sandbox)
    program = fresh_sandbox.store.get_object("programs", m.program)
    fresh_sandbox.store.put_object("programs", {**program, "accessLevel": "PROTECTED"})
    return fresh_sandbox, m


def _event_codes(running: RunningSandbox, m: Meta, enrollment: str) -> list[str]:
    ev = event(m, enrollment, stage=m.stage_repeat, values={m.de_compulsory: "x"})
    answer = post(running, {"events": [ev]}, auth=LEADER, importMode="VALIDATE")
    return codes(answer.json())


def test_break_the_glass_opens_a_protected_record_for_three_hours(env):
    running, m = env
    t = person(m, org_unit=m.sibling)  # in the leader's province, outside their commune
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    enrollment = t["enrollments"][0]["enrollment"]
    assert _event_codes(running, m, enrollment) == ["E1102"]
    url = f"{running.url}/api/tracker/ownership/override"
    params = {"program": m.program, "reason": "Android App sync: visit", "trackedEntity": t["trackedEntity"]}
    granted = requests.post(url, params=params, auth=LEADER, timeout=10)
    assert granted.status_code == 200 and granted.json()["message"] == "Temporary Ownership granted"
    assert _event_codes(running, m, enrollment) == []
    found = requests.get(f"{running.url}/api/tracker/trackedEntities/{t['trackedEntity']}",
                         params={"program": m.program, "fields": "trackedEntity"}, auth=LEADER, timeout=10)
    assert found.status_code == 200
    # a superuser is refused, and so is an OPEN program
    admin = requests.post(url, params=params, auth=("admin", "district"), timeout=10)
    assert admin.status_code == 403 and admin.json()["message"].endswith("Current user is a superuser.")
    open_program = requests.post(url, params={**params, "program": m.program_once}, auth=LEADER, timeout=10)
    assert open_program.status_code == 403 and "OPEN" in open_program.json()["message"]


def test_override_outside_the_search_scope_is_forbidden(env):
    running, m = env
    t = person(m, org_unit=m.other)  # another province
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    answer = requests.post(f"{running.url}/api/tracker/ownership/override", params={
        "program": m.program, "reason": "r", "trackedEntity": t["trackedEntity"]}, auth=LEADER, timeout=10)
    assert answer.status_code == 403
    assert answer.json()["message"] == ("Temporary ownership not created. The owner of the entity-program "
                                        "combination is not in the user's search scope.")
    assert answer.json()["errorCode"] == "E1006"


def test_override_parameters_spring_refuses_carry_no_error_code(env):
    running, m = env
    url = f"{running.url}/api/tracker/ownership/override"
    for params in ({"program": m.program, "reason": "r"},
                   {"program": m.program, "reason": "r", "trackedEntity": "nope"},
                   {"program": m.program, "trackedEntity": "Abcdefghij1"}):
        answer = requests.post(url, params=params, auth=LEADER, timeout=10)
        assert answer.status_code == 400 and "errorCode" not in answer.json(), answer.text


def test_transfer_moves_the_owner(env):
    running, m = env
    t = person(m)  # the leader's own commune
    assert post(running, {"trackedEntities": [t]}, auth=LEADER).status_code == 200
    enrollment = t["enrollments"][0]["enrollment"]
    assert _event_codes(running, m, enrollment) == []
    url = f"{running.url}/api/tracker/ownership/transfer"
    params = {"program": m.program, "ou": m.sibling, "trackedEntity": t["trackedEntity"]}
    moved = requests.put(url, params=params, auth=LEADER, timeout=10)
    assert moved.status_code == 200 and moved.json()["message"] == "Ownership transferred"
    assert _event_codes(running, m, enrollment) == ["E1102"]  # no longer the leader's
    again = requests.put(url, params=params, auth=LEADER, timeout=10)
    assert again.status_code == 403
    assert again.json()["message"] == ("User does not have access to change ownership for the "
                                       "entity-program combination")
    outside = requests.put(url, params={**params, "ou": m.other}, auth=("admin", "district"), timeout=10)
    assert outside.status_code == 200  # the superuser searches everywhere
    missing = requests.put(url, params={"program": m.program, "trackedEntity": t["trackedEntity"]},
                           auth=LEADER, timeout=10)
    assert missing.status_code == 400
