"""Tracked entity access on import per release (constructed from dhis2-core's
`validator/trackedentity/SecurityOwnershipValidator` and `tracker/acl/
DefaultTrackerAccessManager#canWrite` at 2.41.9 / 2.42.5, `#canCreate/#canUpdate/#canDelete`
at 2.43.1)."""

from __future__ import annotations

from typing import Any

import pytest

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import seeded_user
from tests.sandbox.tracker_fixture import (
    LEADER,
    METADATA_ONLY,
    Meta,
    codes,
    enrollment,
    event,
    install,
    person,
    post,
)


def _errors(running: RunningSandbox, payload: dict[str, Any], **params: Any
            ) -> list[dict[str, Any]]:
    r = post(running, payload, auth=LEADER, importMode="VALIDATE", **params)
    assert r.status_code in (200, 409), r.text
    errors: list[dict[str, Any]] = r.json()["validationReport"]["errorReports"]
    return errors


def _leader_uid(running: RunningSandbox) -> str:
    return seeded_user(running, "group.leader")["id"]


def _share(running: RunningSandbox, plural: str, uid: str, public: str) -> None:
    obj = running.store.get_object(plural, uid)
    obj["sharing"] = {**obj["sharing"], "public": public}
    running.store.put_object(plural, obj)


def test_an_update_is_allowed_through_ownership_in_the_search_scope(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # canWrite / canUpdate(TrackedEntity): type data write and one program with data write and
    # ownership access; an OPEN program's owner in the search scope (the sibling commune) is
    # enough, capture scope is not asked on UPDATE.
    _, running, m = env
    sibling = person(m, org_unit=m.sibling)
    assert post(running, {"trackedEntities": [sibling]}).status_code == 200
    update = {k: v for k, v in sibling.items() if k != "enrollments"}
    assert _errors(running, {"trackedEntities": [update]}) == []


def test_a_create_outside_capture_scope_without_type_access_per_release(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9/2.42.5 report E1001 then E1000 with the user and the objects; 2.43.1 reports
    # canCreate's ErrorMessages, E1000 then E1001, with the user's uid and a list.
    version, running, m = env
    _share(running, "trackedEntityTypes", m.tet, METADATA_ONLY)
    errors = _errors(running, {"trackedEntities": [person(m, org_unit=m.sibling)]})
    leader = _leader_uid(running)
    if version == "2.43":
        assert codes({"validationReport": {"errorReports": errors}})[:2] == ["E1000", "E1001"]
        unit, tet = errors[0], errors[1]
        assert unit["args"][0] == leader and unit["args"][1].startswith(
            '[{"class":"class org.hisp.dhis.organisationunit.OrganisationUnit", "id":"0", '
            f'"uid":"{m.sibling}"')
        assert tet["args"] == [leader, f"[{m.tet}]"]
        assert tet["message"] == (f"User: `{leader}` has no data write access to "
                                  f"TrackedEntityType: `[{m.tet}]`.")
    else:
        assert codes({"validationReport": {"errorReports": errors}})[:2] == ["E1001", "E1000"]
        assert errors[1]["message"].endswith(f"OrganisationUnit: `{m.sibling}`.")


def test_an_update_without_any_readable_program_per_release(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9/2.42.5: canWrite fails ("no access to any program" / ownership) → E1003;
    # 2.43.1: canUpdate finds no data-readable program of the type → E1323.
    version, running, m = env
    own = person(m)
    assert post(running, {"trackedEntities": [own]}).status_code == 200
    for program in (m.program, m.program_once):
        _share(running, "programs", program, METADATA_ONLY)
    update = {k: v for k, v in own.items() if k != "enrollments"}
    errors = _errors(running, {"trackedEntities": [update]})
    leader = _leader_uid(running)
    if version == "2.43":
        assert [(e["errorCode"], e["args"]) for e in errors] == [("E1323", [leader, f"[{m.tet}]"])]
        assert errors[0]["message"] == f"User: `{leader}` has no access to any program."
    else:
        assert [e["errorCode"] for e in errors] == ["E1003"]


def _restricted_combo(running: RunningSandbox, m: Meta) -> str:
    """An attribute combo of the event program whose one option the leader may not write."""
    store = running.store
    sharing = {"public": METADATA_ONLY, "external": False, "users": {}, "userGroups": {}}
    store.put_object("categoryOptions", {"id": "coRestrict1", "name": "Restricted",
                                         "sharing": sharing})
    store.put_object("categoryCombos", {"id": "ccRestrict1", "name": "Restricted combo",
                                        "sharing": sharing})
    store.put_object("categoryOptionCombos", {
        "id": "cocRestrict", "name": "Restricted", "categoryCombo": {"id": "ccRestrict1"},
        "categoryOptions": [{"id": "coRestrict1"}], "sharing": sharing})
    for program in (m.event_program, m.program):
        store.put_object("programs", store.get_object("programs", program)
                         | {"categoryCombo": {"id": "ccRestrict1"}})
    return "cocRestrict"


def test_an_event_needs_data_write_on_its_category_options(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # #checkWriteCategoryOptionComboAccess (E1099) on CREATE, every release.
    _, running, m = env
    combo = _restricted_combo(running, m)
    single = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                   attributeOptionCombo=combo)
    errors = _errors(running, {"events": [single]})
    assert [e["errorCode"] for e in errors] == ["E1099"]
    assert errors[0]["message"].endswith("CategoryOption: `coRestrict1`.")


def test_a_deleted_event_is_checked_against_its_stored_combo_until_2_43(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9/2.42.5 check the stored event's combo on UPDATE/DELETE; 2.43.1's split validators
    # read the payload's, which a DELETE does not carry.
    version, running, m = env
    combo = _restricted_combo(running, m)
    single = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                   attributeOptionCombo=combo)
    assert post(running, {"events": [single]}).status_code == 200
    errors = _errors(running, {"events": [{"event": single["event"]}]}, importStrategy="DELETE")
    assert [e["errorCode"] for e in errors] == ([] if version == "2.43" else ["E1099"])


def test_a_scheduled_single_event_outside_the_capture_scope_per_release(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9/2.42.5: a SCHEDULE event without values or occurredAt may be created in the
    # search scope (Event#isCreatableInSearchScope), so the date check reports it; 2.43.1's
    # StatusValidator refuses a SCHEDULE single event before SecuritySingleEventValidator, which
    # asks the capture scope only.
    version, running, m = env
    scheduled = event(m, None, stage=m.event_stage, org_unit=m.sibling, values={},
                      program=m.event_program, status="SCHEDULE", scheduledAt="2025-02-01")
    scheduled.pop("occurredAt")
    errors = _errors(running, {"events": [scheduled]})
    assert [e["errorCode"] for e in errors] == (["E1318"] if version == "2.43" else ["E1031"])
    active = event(m, None, stage=m.event_stage, org_unit=m.sibling, values={},
                   program=m.event_program)
    assert [e["errorCode"] for e in _errors(running, {"events": [active]})] == ["E1000"]


def test_an_enrollment_combo_is_checked_from_2_43(env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.43.1 enrollment/SecurityOwnershipValidator#checkWriteCategoryOptionComboAccess; the
    # combo belongs to the program's enrollment combo, so CategoryOptionComboValidator passes.
    version, running, m = env
    combo = _restricted_combo(running, m)
    once = running.store.get_object("programs", m.program_once)
    running.store.put_object("programs", once | {"enrollmentCategoryCombo": {"id": "ccRestrict1"}})
    own = person(m)
    assert post(running, {"trackedEntities": [own]}).status_code == 200
    second = enrollment(m, own["trackedEntity"], program=m.program_once, attributes={},
                        attributeOptionCombo=combo)
    errors = _errors(running, {"enrollments": [second]})
    assert [e["errorCode"] for e in errors] == (["E1099"] if version == "2.43" else [])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_user_arguments_as_each_release_passes_them(sandbox_factory, version: str) -> None:
    # trackedentity/SecurityOwnershipValidator passes E1003 the user's uid (2.41.9 :109
    # `bundle.getUser().getUid()`, 2.42.5 :99 `user.getUid()`); the other codes get the bundle's
    # user: 2.41.9 a `User` (BaseIdentifiableObject#toString, User#getName = firstName + " " +
    # surname), 2.42.5/2.43.1 a `UserDetails`: user/UserDetailsImpl.java declares no toString
    # (nor Lombok's @ToString), so Object#toString, its hashCode Lombok's over the username
    # (`@EqualsAndHashCode(onlyExplicitlyIncluded = true)`, 59 + String#hashCode).
    running = sandbox_factory(version=version)
    m = install(running)
    te = person(m, org_unit=m.other)
    assert post(running, {"trackedEntities": [te]}).status_code == 200
    errors = {e["errorCode"]: e for e in _errors(running, {"trackedEntities": [te]},
                                                  importStrategy="UPDATE")}
    leader = _leader_uid(running)
    if version != "2.43":  # 2.43.1 reports this update's scope as E1324 instead
        assert errors["E1003"]["args"] == [leader, te["trackedEntity"]]
    user_arg = errors["E1102"]["args"][0]
    if version == "2.41":
        assert user_arg.startswith('{"class":"class org.hisp.dhis.user.User", "id":"0", '
                                   f'"uid":"{leader}", "code":"null", "name":"')
    else:
        h = 0
        for char in "group.leader":
            h = (31 * h + ord(char)) & 0xFFFFFFFF
        assert user_arg == f"org.hisp.dhis.user.UserDetailsImpl@{(59 + h) & 0xFFFFFFFF:x}"

