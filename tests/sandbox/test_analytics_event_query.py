"""Who may read events in event analytics (`DefaultAnalyticsSecurityManager#decideAccessEventQuery`),
decided in DHIS2's order: data view org units (E7120), data read on the program and stage (E7121),
the event analytics authority (E7217)."""

from __future__ import annotations

from typing import Any

import pytest

from scdi.sandbox.analytics import orgunits
from scdi.sandbox.analytics.event_query import VIEW_EVENT_ANALYTICS, decide_access
from scdi.sandbox.core.users import User
from scdi.sandbox.core.webmessage import HttpError

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
    decide_access(_user(groups=(), authorities=(), view=("P2",), superuser=True), [TREE["VN"]], TREE,
                  [("Program", PROGRAM)])


def test_each_refusal_in_dhis2_s_order() -> None:
    # outside the data view units comes first, even without data read
    assert _refusal(_user(view=("P1",), groups=()), "P2") == (409, "E7120")
    assert _refusal(_user(view=("P1",)), "VN") == (409, "E7120")  # an ancestor is outside too
    # no data view units: any org unit passes this step, as in DHIS2
    assert _refusal(_user(groups=()), "VN") == (409, "E7121")
    assert _refusal(_user(authorities=()), "C1") == (409, "E7217")
