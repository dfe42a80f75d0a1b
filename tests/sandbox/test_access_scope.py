"""The tracker's search scope per release and the ownership checks DHIS2 skips
(`access/scope.py`), for a group leader whose capture unit (their commune) lies outside their
search unit (the sibling commune): 2.41.9 searches the search units alone
(`User#getTeiSearchOrganisationUnitsWithFallback`), 2.42.5/2.43.1 the capture units as well
(`UserDetails#isInUserEffectiveSearchOrgUnitHierarchy`)."""

from __future__ import annotations

from typing import Any

import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import seeded_user
from tests.sandbox.tracker_fixture import ADMIN, LEADER, Meta, codes, event, get, install, person, post, te


def _search_the_sibling(running: RunningSandbox, m: Meta) -> None:
    leader = seeded_user(running, "group.leader")
    running.store.put_object("users", {**leader, "teiSearchOrganisationUnits": [{"id": m.sibling}]})


def test_an_open_programs_owner_in_the_capture_unit_per_release(env):
    # SecurityOwnershipValidator (enrollments) → #hasAccess: OPEN asks 2.41.9
    # #isInUserSearchHierarchyCached (the sibling alone), 2.42.5/2.43.1 the effective scope
    version, running, m = env
    _search_the_sibling(running, m)
    answer = post(running, {"trackedEntities": [person(m, org_unit=m.commune)]}, auth=LEADER)
    assert codes(answer.json()) == (["E1102"] if version == "2.41" else [])


def test_requested_org_units_per_release(env):
    # OperationsParamsValidator#validateOrgUnits / EventOperationParamsMapper
    # #validateRequestedOrgUnit: the capture unit is in the search scope from 2.42 only
    version, running, m = env
    _search_the_sibling(running, m)
    entities = get(running, "/api/tracker/trackedEntities", auth=LEADER, orgUnits=m.commune,
                   program=m.program, fields="trackedEntity")
    events = get(running, "/api/tracker/events", auth=LEADER, orgUnit=m.commune,
                 program=m.event_program, fields="event")
    if version == "2.41":
        assert (entities.status_code, entities.json()["message"]) == (
            403, f"Organisation unit is not part of the search scope: {m.commune}")
        assert (events.status_code, events.json()["message"]) == (
            403, f"Organisation unit is not part of your search scope: {m.commune}")
    else:
        assert entities.status_code == 200, entities.text
        assert events.status_code == 200, events.text
    # the search unit itself passes everywhere
    sibling = get(running, "/api/tracker/trackedEntities", auth=LEADER, orgUnits=m.sibling,
                  program=m.program, fields="trackedEntity")
    assert sibling.status_code == 200, sibling.text


def _uids(answer: requests.Response, kind: str, key: str) -> set[str]:
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return {row[key] for row in body.get(kind) or body.get("instances") or []}


def test_accessible_mode_per_release(env):
    # ACCESSIBLE: tracked entities 2.41.9 TrackedEntityQueryParams#handleOrganisationUnits (the
    # search units with fallback), 2.42.5/2.43.1 the effective scope; events at every release
    # the capture and the search units (2.41.9 JdbcEventStore#createAccessibleSql)
    version, running, m = env
    _search_the_sibling(running, m)
    t = person(m, org_unit=m.commune)
    single = event(m, None, stage=m.event_stage, org_unit=m.commune, values={})
    assert post(running, {"trackedEntities": [t], "events": [single]}, auth=ADMIN).status_code == 200
    entities = get(running, "/api/tracker/trackedEntities", auth=LEADER, program=m.program,
                   orgUnitMode="ACCESSIBLE", fields="trackedEntity")
    listed = t["trackedEntity"] in _uids(entities, "trackedEntities", "trackedEntity")
    assert listed is (version != "2.41")
    events = get(running, "/api/tracker/events", auth=LEADER, program=m.event_program,
                 orgUnitMode="ACCESSIBLE", fields="event")
    assert single["event"] in _uids(events, "events", "event")


def test_a_transfer_in_an_event_program_skips_the_ownership_check(sandbox_factory):
    # 2.41.9 DefaultTrackerOwnershipManager#transferOwnership: #hasAccess passes for a program
    # without registration (#canSkipOwnershipCheck), whoever owns the record; the org unit
    # still lies in the search scope. (2.42.5/2.43.1 refuse an event program before that.)
    running = sandbox_factory(version="2.41")
    m = install(running)
    outsider = te(m, org_unit=m.other)  # another province: outside every scope of the leader
    assert post(running, {"trackedEntities": [outsider]}, auth=ADMIN).status_code == 200
    params = {"program": m.event_program, "trackedEntity": outsider["trackedEntity"], "ou": m.commune}
    answer = requests.put(f"{running.url}/api/tracker/ownership/transfer", params=params,
                          auth=LEADER, timeout=10)
    assert (answer.status_code, answer.json()["message"]) == (200, "Ownership transferred")
    # a tracker program's owner outside the scope is still refused
    tracked = {**params, "program": m.program}
    refused = requests.put(f"{running.url}/api/tracker/ownership/transfer", params=tracked,
                           auth=LEADER, timeout=10)
    assert refused.status_code == 403, refused.text


def test_an_event_programs_access_level_limits_its_events(env):
    # #canSkipOwnershipCheck spares an event program the owner check, not the export's scope:
    # JdbcEventStore#getSearchAndCaptureScopeOrgUnitPathMatchQuery (2.41.9 :1279-1290, 2.42.5
    # :1209-1222; 2.43.1 export/OrgUnitQueryBuilder :145) reads the search units only where
    # `p.accesslevel in ('OPEN', 'AUDITED')`, so an event in a search unit is listed for an
    # OPEN program and not for a PROTECTED or CLOSED one.
    version, running, m = env
    _search_the_sibling(running, m)
    single = event(m, None, stage=m.event_stage, org_unit=m.sibling, values={})
    assert post(running, {"events": [single]}, auth=ADMIN).status_code == 200
    for level, listed in (("OPEN", True), ("AUDITED", True), ("PROTECTED", False), ("CLOSED", False)):
        program = running.store.get_object("programs", m.event_program)
        running.store.put_object("programs", {**program, "accessLevel": level})
        for mode in ("ACCESSIBLE", "DESCENDANTS"):
            unit = {"orgUnit": m.sibling} if mode == "DESCENDANTS" else {}
            answer = get(running, "/api/tracker/events", auth=LEADER, program=m.event_program,
                         orgUnitMode=mode, fields="event", **unit)
            assert (single["event"] in _uids(answer, "events", "event")) is listed, (version, level, mode)
