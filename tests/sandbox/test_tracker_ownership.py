"""Breaking the glass and transferring ownership (POST /api/tracker/ownership/override,
PUT /api/tracker/ownership/transfer), as Android Capture calls them for a PROTECTED program,
and what each release checks (`tracker_ownership_checks`)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import bad_request_page, missing_parameter, seeded_user
from tests.sandbox.tracker_fixture import ADMIN, LEADER, Meta, codes, event, install, person, post, te

RELEASES = ["2.41", "2.42", "2.43"]


def _protect(running: RunningSandbox) -> Meta:
    m = install(running)
    program = running.store.get_object("programs", m.program)
    running.store.put_object("programs", {**program, "accessLevel": "PROTECTED"})
    return m


@pytest.fixture
def env(fresh_sandbox: RunningSandbox) -> tuple[RunningSandbox, Meta]:
    return fresh_sandbox, _protect(fresh_sandbox)


def _event_codes(running: RunningSandbox, m: Meta, enrollment: str) -> list[str]:
    ev = event(m, enrollment, stage=m.stage_repeat, values={m.de_compulsory: "x"})
    answer = post(running, {"events": [ev]}, auth=LEADER, importMode="VALIDATE")
    return codes(answer.json())


def _override(running: RunningSandbox, auth: tuple[str, str] = LEADER, **params: str) -> requests.Response:
    return requests.post(f"{running.url}/api/tracker/ownership/override", params=params, auth=auth, timeout=10)


def _transfer(running: RunningSandbox, auth: tuple[str, str] = LEADER, **params: str) -> requests.Response:
    return requests.put(f"{running.url}/api/tracker/ownership/transfer", params=params, auth=auth, timeout=10)


def _answer(response: requests.Response) -> tuple[int, str, str | None]:
    body = response.json()
    return response.status_code, body["message"], body.get("errorCode")


def test_break_the_glass_opens_a_protected_record(env):
    running, m = env
    t = person(m, org_unit=m.sibling)  # in the leader's province, outside their commune
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    enrollment = t["enrollments"][0]["enrollment"]
    assert _event_codes(running, m, enrollment) == ["E1102"]
    params = {"program": m.program, "reason": "Android App sync: visit", "trackedEntity": t["trackedEntity"]}
    granted = _override(running, **params)
    assert granted.status_code == 200 and granted.json()["message"] == "Temporary Ownership granted"
    assert _event_codes(running, m, enrollment) == []
    found = requests.get(f"{running.url}/api/tracker/trackedEntities/{t['trackedEntity']}",
                         params={"program": m.program, "fields": "trackedEntity"}, auth=LEADER, timeout=10)
    assert found.status_code == 200
    # a superuser is refused, and so is an OPEN program
    admin = _override(running, auth=ADMIN, **params)
    assert admin.status_code == 403 and admin.json()["message"].endswith("Current user is a superuser.")
    open_program = _override(running, **{**params, "program": m.program_once})
    assert open_program.status_code == 403 and "OPEN" in open_program.json()["message"]


@pytest.mark.parametrize("version", RELEASES)
def test_override_finds_a_soft_deleted_record(sandbox_factory, version):
    # the grant looks the tracked entity up by uid without a `deleted` filter at every tag, so
    # a deleted record is granted like any other (not "does not exist")
    running = sandbox_factory(version=version)
    m = _protect(running)
    t = person(m, org_unit=m.sibling)
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    gone = post(running, {"trackedEntities": [{"trackedEntity": t["trackedEntity"]}]},
                importStrategy="DELETE")
    assert gone.status_code == 200, gone.text
    granted = _override(running, program=m.program, reason="Android App sync: visit",
                        trackedEntity=t["trackedEntity"])
    assert _answer(granted) == (200, "Temporary Ownership granted", None), version


def test_override_outside_the_search_scope_is_forbidden(env):
    running, m = env
    t = person(m, org_unit=m.other)  # another province
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    answer = _override(running, program=m.program, reason="r", trackedEntity=t["trackedEntity"])
    assert answer.status_code == 403
    assert answer.json()["message"] == ("Temporary ownership not created. The owner of the entity-program "
                                        "combination is not in the user's search scope.")
    assert answer.json()["errorCode"] == "E1006"


def test_override_parameters_spring_refuses_carry_no_error_code(env):
    running, m = env
    url = f"{running.url}/api/tracker/ownership/override"
    # a binding refusal is CrudControllerAdvice's WebMessage without errorCode
    unbound = requests.post(url, params={"program": m.program, "reason": "r", "trackedEntity": "nope"},
                            auth=LEADER, timeout=10)
    assert unbound.status_code == 400 and "errorCode" not in unbound.json(), unbound.text
    # a missing parameter is a ServletException it rethrows: the container's 400 page
    for params, missing in (({"program": m.program, "reason": "r"}, "trackedEntity"),
                            ({"program": m.program, "trackedEntity": "Abcdefghij1"}, "reason")):
        answer = requests.post(url, params=params, auth=LEADER, timeout=10)
        assert bad_request_page(answer) == f"Required parameter '{missing}' is not present."


@pytest.mark.parametrize("version", RELEASES)
def test_override_asks_the_search_units_not_the_capture_units(sandbox_factory, version):
    # #isOwnerInUserSearchScope: the search units, the capture units only when there are none
    # (2.41.9 getTeiSearchOrganisationUnitsWithFallback; 2.42.5/2.43.1 UserDetails
    # userSearchOrgUnitIds), so an owner in the capture scope alone is refused
    running = sandbox_factory(version=version)
    m = _protect(running)
    leader = seeded_user(running, "group.leader")
    running.store.put_object("users", {**leader, "teiSearchOrganisationUnits": [{"id": m.sibling}]})
    own, searched = person(m), person(m, org_unit=m.sibling)
    assert post(running, {"trackedEntities": [own, searched]}).status_code == 200
    refused = _override(running, program=m.program, reason="r", trackedEntity=own["trackedEntity"])
    assert _answer(refused) == (403, "Temporary ownership not created. The owner of the entity-program "
                                     "combination is not in the user's search scope.", "E1006")
    granted = _override(running, program=m.program, reason="r", trackedEntity=searched["trackedEntity"])
    assert granted.status_code == 200, granted.text


@pytest.mark.parametrize("version", RELEASES)
def test_override_refusals_per_release(sandbox_factory, version):
    running = sandbox_factory(version=version)
    m = _protect(running)
    t = person(m, org_unit=m.sibling)
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    te_uid = t["trackedEntity"]
    prefix = "Temporary ownership not created. "
    v243 = version == "2.43"

    def refusal(auth: tuple[str, str] = LEADER, **params: str) -> tuple[int, str, str | None]:
        return _answer(_override(running, auth=auth, **{"reason": "r", "trackedEntity": te_uid,
                                                        "program": m.program, **params}))

    # 2.43.1 TrackerProgramService first: 400 for an unknown or event program
    assert refusal(program="prgUnknown1") == ((400, "Provided program, prgUnknown1, does not exist.", "E1003")
                                              if v243 else (403, prefix + "Program supplied does not exist.", "E1006"))
    assert refusal(program=m.event_program) == (
        (400, f"Provided program, {m.event_program}, is not a tracker program.", "E1003") if v243
        else (403, prefix + "Program supplied is not a tracker program.", "E1006"))
    assert refusal(trackedEntity="teUnknown01") == (
        (404 if v243 else 403), prefix + "Tracked entity supplied does not exist.", "E1005" if v243 else "E1006")
    # 2.43.1 checks the access level before the superuser (#validateProgram, then #validateUser)
    assert refusal(auth=ADMIN, program=m.program_once) == (403, prefix + (
        f"Temporary ownership can only be granted to protected programs. {m.program_once} access level is OPEN."
        if v243 else "Current user is a superuser."), "E1006")
    # 2.41.9 still reads the deprecated `trackedEntityInstance`
    deprecated = _override(running, program=m.program, reason="r", trackedEntityInstance=te_uid)
    if version == "2.41":
        assert deprecated.status_code == 200, deprecated.text
        both = _override(running, program=m.program, reason="r", trackedEntityInstance=te_uid, trackedEntity=te_uid)
        assert _answer(both) == (400, "Only one parameter of 'trackedEntityInstance' and 'trackedEntity' must be "
                                      "specified. Prefer 'trackedEntity' as 'trackedEntityInstance' will be removed.",
                                 "E1003")
        neither = _override(running, program=m.program, reason="r")
        assert _answer(neither) == (400, "Required request parameter 'trackedEntity' is not present", "E1003")
    else:
        # Spring's MissingServletRequestParameterException: CrudControllerAdvice
        # #servletExceptionHandler rethrows it (2.42.5 :504-507), so the container's 400 page
        assert bad_request_page(deprecated) == "Required parameter 'trackedEntity' is not present."


@pytest.mark.parametrize("version", RELEASES)
def test_an_empty_uid_parameter_is_bound_not_missing(sandbox_factory, version):
    # Spring converts "" like any value (UID#of refuses it), so an empty `trackedEntity` is no
    # absent one: CrudControllerAdvice#getNotValidValueMessage words it "<name> cannot be empty."
    running = sandbox_factory(version=version)
    m = _protect(running)
    empty = _override(running, program=m.program, reason="r", trackedEntity="")
    assert _answer(empty) == (400, "trackedEntity cannot be empty. UID must be an alphanumeric string of 11 "
                                   "characters starting with a letter, but was: ", None)
    if version != "2.41":  # 2.41 binds `program` as a String
        t = person(m)
        assert post(running, {"trackedEntities": [t]}).status_code == 200
        no_program = _override(running, program="", reason="r", trackedEntity=t["trackedEntity"])
        assert _answer(no_program) == (400, "program cannot be empty. UID must be an alphanumeric string of 11 "
                                            "characters starting with a letter, but was: ", None)


def _owned_record(running: RunningSandbox, m: Meta) -> str:
    t = person(m)  # the leader's own commune
    assert post(running, {"trackedEntities": [t]}, auth=LEADER).status_code == 200
    return str(t["trackedEntity"])


def test_transfer_moves_the_owner(env):
    running, m = env
    t = person(m)
    assert post(running, {"trackedEntities": [t]}, auth=LEADER).status_code == 200
    enrollment = t["enrollments"][0]["enrollment"]
    assert _event_codes(running, m, enrollment) == []
    moved = _transfer(running, program=m.program, orgUnit=m.sibling, trackedEntity=t["trackedEntity"])
    assert moved.status_code == 200 and moved.json()["message"] == "Ownership transferred"
    assert _event_codes(running, m, enrollment) == ["E1102"]  # no longer the leader's
    outside = _transfer(running, auth=ADMIN, program=m.program, orgUnit=m.other, trackedEntity=t["trackedEntity"])
    assert outside.status_code == 200  # the superuser searches everywhere
    missing = _transfer(running, program=m.program, trackedEntity=t["trackedEntity"])
    assert _answer(missing) == (400, "Required request parameter 'orgUnit' is not present", "E1003")


@pytest.mark.parametrize("version", RELEASES)
def test_transfer_per_release(sandbox_factory, version):
    running = sandbox_factory(version=version)
    m = _protect(running)
    te_uid = _owned_record(running, m)
    ou = "ou" if version == "2.41" else "orgUnit"
    v243 = version == "2.43"
    prefix = "Tracked entity not transferred. " if v243 else ""

    def transfer(auth: tuple[str, str] = LEADER, **params: str) -> requests.Response:
        return _transfer(running, auth=auth, **{"program": m.program, "trackedEntity": te_uid, **params})

    moved = transfer(**{ou: m.sibling})
    assert moved.status_code == 200, moved.text
    # the record is no longer the leader's: 2.41 the manager refuses (AccessDeniedException, no
    # errorCode), 2.42+ the tracked entity lookup does not find it
    again = transfer(**{ou: m.commune})
    assert _answer(again) == ((403, "User does not have access to change ownership for the entity-program "
                                    "combination", None) if version == "2.41"
                              else (404, f"TrackedEntity with id {te_uid} could not be found.", "E1005"))
    # 2.43 refuses to move a record to the owner it has
    same = transfer(auth=ADMIN, **{ou: m.sibling})
    assert (same.status_code, same.json()["message"]) == (
        (400, f"{prefix}The owner of the tracked entity {te_uid} and program {m.program} is already {m.sibling}")
        if v243 else (200, "Ownership transferred"))
    unknown_te = transfer(auth=ADMIN, trackedEntity="teUnknown01", **{ou: m.commune})
    assert (unknown_te.status_code, unknown_te.json()["message"]) == (
        (200, "Ownership transferred") if version == "2.41"
        else (404, "TrackedEntity with id teUnknown01 could not be found."))
    # a record with no owner row for the program (never enrolled in it): 2.41 transfers
    # nothing (no row to move, none created); 2.42+ read it with the program, whose query
    # joins the program owner, so it is not found; 2.43's "No owner found" is never reached
    lone = te(m)
    assert post(running, {"trackedEntities": [lone]}, auth=LEADER).status_code == 200
    unenrolled = transfer(auth=ADMIN, trackedEntity=lone["trackedEntity"], **{ou: m.sibling})
    assert _answer(unenrolled) == (
        (200, "Ownership transferred", None) if version == "2.41"
        else (404, f"TrackedEntity with id {lone['trackedEntity']} could not be found.", "E1005"))
    unknown_ou = transfer(auth=ADMIN, **{ou: "ouUnknown01"})
    assert (unknown_ou.status_code, unknown_ou.json()["message"]) == (
        (404, "Tracked entity not transferred. Org unit supplied does not exist.") if v243
        else (200, "Ownership transferred"))
    unassigned = transfer(auth=ADMIN, **{ou: m.unassigned})
    assert _answer(unassigned) == (
        403, f"{prefix}The program {m.program} is not associated to the org unit {m.unassigned}", "E1006")
    # the org unit parameter each release reads
    deprecated = transfer(ou=m.commune)
    both = transfer(auth=ADMIN, ou=m.commune, orgUnit=m.commune)
    if version == "2.42":
        assert _answer(both) == (400, "Only one parameter of 'ou' and 'orgUnit' must be specified. Prefer "
                                      "'orgUnit' as 'ou' will be removed.", "E1003")
    elif v243:
        assert bad_request_page(deprecated) == "Required parameter 'orgUnit' is not present."
    else:
        new_name = transfer(orgUnit=m.commune)
        assert bad_request_page(new_name) == missing_parameter(version, "ou", "String")


@pytest.mark.parametrize("version", RELEASES)
def test_transfer_scope_per_release(sandbox_factory, version):
    # the org unit must lie in 2.41.9 the search units (capture units only when there are none),
    # 2.42.5/2.43.1 the effective search scope (capture and search units)
    running = sandbox_factory(version=version)
    m = install(running)
    leader = seeded_user(running, "group.leader")
    running.store.put_object("users", {**leader, "teiSearchOrganisationUnits": [{"id": m.sibling}]})
    t: dict[str, Any] = person(m, org_unit=m.sibling)  # an OPEN program: the search scope owns
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    ou = "ou" if version == "2.41" else "orgUnit"
    answer = _transfer(running, program=m.program, trackedEntity=t["trackedEntity"], **{ou: m.commune})
    if version == "2.41":
        assert _answer(answer) == (403, "Tracked entity not transferred. Org unit supplied is not in the user "
                                        "scope.", "E1006")
    else:
        assert answer.status_code == 200, answer.text
