"""Who may create and delete relationships: SecurityOwnershipValidator → TrackerAccessManager,
per release (constructed from dhis2-core's `validator/relationship/SecurityOwnershipValidator`
and `tracker/acl/DefaultTrackerAccessManager#canWrite/#canCreate/#canDelete` at 2.41.9, 2.42.5
and 2.43.1)."""

from __future__ import annotations

from typing import Any

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.tracker_fixture import (
    LEADER,
    METADATA_ONLY,
    Meta,
    codes,
    enrollment,
    event,
    person,
    post,
    uid,
)


def _te_item(t: dict[str, Any]) -> dict[str, Any]:
    return {"trackedEntity": {"trackedEntity": t["trackedEntity"]}}


def _relationship(rtype: str, frm: dict[str, Any], to: dict[str, Any]) -> dict[str, Any]:
    return {"relationship": uid(), "relationshipType": rtype, "from": frm, "to": to}


def _check(running: RunningSandbox, payload: dict[str, Any], **params: Any) -> list[str]:
    r = post(running, payload, auth=LEADER, **params)
    assert r.status_code in (200, 409), r.text
    return codes(r.json())


def test_a_tracked_entity_end_is_written_through_ownership_not_capture_scope(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # canWrite(user, TrackedEntity): data write on the type and one program with data write
    # and ownership access; an OPEN program's owner in the search scope is enough, so the
    # leader links a person of the sibling commune (search scope, not capture scope).
    _, running, m = env
    sibling, own = person(m, org_unit=m.sibling), person(m)
    assert post(running, {"trackedEntities": [sibling, own]}).status_code == 200
    both_ways = _relationship(m.rel_type_bi, _te_item(sibling), _te_item(own))
    assert _check(running, {"relationships": [both_ways]}, importMode="VALIDATE") == []


def test_a_bidirectional_relationship_writes_its_to_end(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # canWrite: the `to` end of a bidirectional type is written, of a one-way type only read.
    _, running, m = env
    running.store.put_object("programs", running.store.get_object("programs", m.program)
                             | {"accessLevel": "PROTECTED"})
    running.store.put_object("programs", running.store.get_object("programs", m.program_once)
                             | {"accessLevel": "PROTECTED"})
    running.store.put_object("programs", running.store.get_object("programs", m.program_closed)
                             | {"accessLevel": "PROTECTED"})
    own, sibling = person(m), person(m, org_unit=m.sibling)
    assert post(running, {"trackedEntities": [own, sibling]}).status_code == 200
    both_ways = _relationship(m.rel_type_bi, _te_item(own), _te_item(sibling))
    assert _check(running, {"relationships": [both_ways]}, importMode="VALIDATE") == ["E4020"]


def test_deleting_a_one_way_relationship_does_not_look_at_its_to_end(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # canDelete: the `to` end of a one-way type is not checked, so the leader deletes a link
    # to an event of another province.
    _, running, m = env
    own, far = person(m), person(m, org_unit=m.other)
    assert post(running, {"trackedEntities": [own, far]}).status_code == 200
    far_event = event(m, far["enrollments"][0]["enrollment"], org_unit=m.other)
    assert post(running, {"events": [far_event]}).status_code == 200
    link = _relationship(m.rel_type, _te_item(own), {"event": {"event": far_event["event"]}})
    assert post(running, {"relationships": [link]}).status_code == 200
    assert _check(running, {"relationships": [{"relationship": link["relationship"]}]},
                  importStrategy="DELETE") == []


def test_an_end_needs_data_write_on_its_tracked_entity_type(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # canWrite(user, TrackedEntity) starts with data write on the tracked entity type; org
    # units alone do not decide.
    _, running, m = env
    a, c = person(m), person(m)
    assert post(running, {"trackedEntities": [a, c]}).status_code == 200
    tet = running.store.get_object("trackedEntityTypes", m.tet)
    tet["sharing"] = {**tet["sharing"], "public": METADATA_ONLY}
    running.store.put_object("trackedEntityTypes", tet)
    both_ways = _relationship(m.rel_type_bi, _te_item(a), _te_item(c))
    assert _check(running, {"relationships": [both_ways]}, importMode="VALIDATE") == ["E4020"]


def test_an_end_created_in_the_same_payload_is_not_checked(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # TrackerObjectsMapper#map reads the ends from the preheat: a tracked entity created by the
    # same payload is null there and passes.
    _, running, m = env
    own = person(m)
    assert post(running, {"trackedEntities": [own]}).status_code == 200
    fresh = person(m)
    fresh["enrollments"] = [enrollment(m, fresh["trackedEntity"])]
    fresh["enrollments"][0].pop("trackedEntity")
    both_ways = _relationship(m.rel_type_bi, _te_item(own), _te_item(fresh))
    assert _check(running, {"trackedEntities": [fresh], "relationships": [both_ways]},
                  importMode="VALIDATE") == []
