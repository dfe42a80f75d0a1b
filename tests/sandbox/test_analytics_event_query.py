"""Who may read events in event analytics (`DefaultAnalyticsSecurityManager#decideAccessEventQuery`),
decided in DHIS2's order: data view org units (E7120), data read on the program and stage (E7121),
the event analytics authority (E7217)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.analytics import orgunits
from scdi.sandbox.analytics.event_query import VIEW_EVENT_ANALYTICS, decide_access
from scdi.sandbox.core.users import User
from scdi.sandbox.core.webmessage import HttpError
from scdi.upstream.releases import RELEASES
from tests.sandbox.helpers import ADMIN, refresh_analytics, seeded_user

TREE = {u.uid: u for u in (orgunits.Unit("VN", "Việt Nam", "/VN", 1), orgunits.Unit("P1", "Tỉnh 1", "/VN/P1", 2),
                           orgunits.Unit("P2", "Tỉnh 2", "/VN/P2", 2), orgunits.Unit("C1", "Xã 1", "/VN/P1/C1", 3))}
PROGRAM: dict[str, Any] = {"id": "PrgMember01", "sharing": {"public": "r-------", "userGroups": {
    "GrpLeader01": {"id": "GrpLeader01", "access": "r-rw----"}}}}


def _user(*, view: tuple[str, ...] = (), groups: tuple[str, ...] = ("GrpLeader01",),
          authorities: tuple[str, ...] = (VIEW_EVENT_ANALYTICS,), superuser: bool = False) -> User:
    return User("UsrTest0001", "someone", frozenset(authorities), superuser, ("C1",), ("C1",), view, groups, ())


def _refusal(user: User, unit: str) -> tuple[int, str]:
    with pytest.raises(HttpError) as caught:
        decide_access(user, [TREE[unit]], TREE, [("Program", PROGRAM)])
    body = caught.value.response.get_json()
    return caught.value.response.status_code, str(body["errorCode"])


def test_a_user_with_data_read_the_authority_and_the_unit_in_view_passes() -> None:
    decide_access(_user(view=("P1",)), [TREE["C1"], TREE["P1"]], TREE, [("Program", PROGRAM)])
    decide_access(_user(groups=(), authorities=(), view=("VN",), superuser=True), [TREE["P2"]], TREE,
                  [("Program", PROGRAM)])


def test_superusers_are_held_to_their_data_view_units_too() -> None:
    # DefaultAnalyticsSecurityManager#decideAccessDataViewOrganisationUnits has no superuser
    # bypass (2.41.9 :128-149, 2.42.5 :130-151, 2.43.1 :128-148)
    assert _refusal(_user(view=("P2",), superuser=True), "VN") == (409, "E7120")


def test_each_refusal_in_dhis2_s_order() -> None:
    # outside the data view units comes first, even without data read
    assert _refusal(_user(view=("P1",), groups=()), "P2") == (409, "E7120")
    assert _refusal(_user(view=("P1",)), "VN") == (409, "E7120")  # an ancestor is outside too
    # no data view units: any org unit passes this step, as in DHIS2
    assert _refusal(_user(groups=()), "VN") == (409, "E7121")
    assert _refusal(_user(authorities=()), "C1") == (409, "E7217")


def test_a_stored_program_without_type_gets_the_enrollment_headers(sandbox_factory) -> None:
    # the enrollment headers follow Program#isRegistration of the stored program (2.41.9
    # DefaultEventAnalyticsService :746, 2.42.5 EventQueryService :275, 2.43.1 :269); one the
    # store holds without a type is a tracker program (core/programs.py)
    for version in ("2.41", "2.42", "2.43"):
        running = sandbox_factory(version=version)
        root = next(u["id"] for u in running.store.list_objects("organisationUnits")
                    if u.get("level") == 1)
        running.store.put_object("programs", {"id": "prgUntyped1", "name": "Untyped",
                                              "shortName": "Untyped"})
        refresh_analytics(running.url)
        answer = requests.get(f"{running.url}/api/analytics/events/query/prgUntyped1",
                              auth=ADMIN, timeout=30,
                              params={"dimension": [f"ou:{root}", "pe:THIS_YEAR"]})
        assert answer.status_code == 200, (version, answer.text)
        names = [h["name"] for h in answer.json()["headers"]]
        assert names[4:8] == ["enrollmentdate", "incidentdate", "tei", "pi"], (version, names)


def _store_public_untyped_program(running) -> None:
    """A program the store holds without a type, readable by every user, in analytics."""
    running.store.put_object("programs", {
        "id": "prgUntyped1", "name": "Untyped", "shortName": "Untyped",
        "sharing": {"public": "rwrw----", "external": False, "users": {}, "userGroups": {}}})
    refresh_analytics(running.url)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_query_without_org_units_reads_the_data_view_units(sandbox_factory, version) -> None:
    # EventQueryService#getEvents (2.41.9 AbstractAnalyticsService#getGrid): the access checks,
    # then withUserConstraints (#applyOrganisationUnitConstraint gives a query without org
    # units the user's data view units, superusers too), then DefaultEventQueryValidator (E7200)
    running = sandbox_factory(version=version)
    _store_public_untyped_program(running)
    url = f"{running.url}/api/analytics/events/query/prgUntyped1"
    admin = seeded_user(running, "admin")
    views = [u["id"] for u in admin["dataViewOrganisationUnits"]]
    answer = requests.get(url, auth=ADMIN, timeout=30, params={"dimension": "pe:THIS_YEAR"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["metaData"]["dimensions"]["ou"] == views
    # without the event analytics authority: E7217 before any word on org units
    viewer = requests.get(url, auth=("dashboard.viewer", "district"), timeout=30,
                          params={"dimension": "pe:THIS_YEAR"})
    assert (viewer.status_code, viewer.json()["errorCode"]) == (409, "E7217")
    # no data view units and no org units asked for: the validator's E7200
    leader = seeded_user(running, "group.leader")
    running.store.put_object("users", {**leader, "dataViewOrganisationUnits": []})
    bare = requests.get(url, auth=("group.leader", "district"), timeout=30,
                        params={"dimension": "pe:THIS_YEAR"})
    assert (bare.status_code, bare.json()["errorCode"], bare.json()["message"]) == (
        409, "E7200", "At least one organisation unit must be specified")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_without_data_view_units_2_43_checks_the_capture_units(sandbox_factory, version) -> None:
    # 2.43.1 UserDetails#getUserDataOrgUnitIds is User#getDataViewOrganisationUnitsWithFallback;
    # 2.41.9 / 2.42.5 check nothing for a user without data view units
    running = sandbox_factory(version=version)
    _store_public_untyped_program(running)
    root = next(u["id"] for u in running.store.list_objects("organisationUnits") if u.get("level") == 1)
    leader = seeded_user(running, "group.leader")
    running.store.put_object("users", {**leader, "dataViewOrganisationUnits": []})
    answer = requests.get(f"{running.url}/api/analytics/events/query/prgUntyped1",
                          auth=("group.leader", "district"), timeout=30,
                          params={"dimension": [f"ou:{root}", "pe:THIS_YEAR"]})
    if RELEASES[version].analytics_data_view_falls_back_to_capture:
        assert version == "2.43"
        assert (answer.status_code, answer.json()["errorCode"], answer.json()["message"]) == (
            409, "E7120", f"User: `group.leader` is not allowed to view org unit: `{root}`")
    else:
        assert answer.status_code == 200, answer.text
