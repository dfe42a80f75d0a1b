"""The event validator chain of POST /api/tracker per release (dhis2-core
`validator/event/EventValidator.java` and the validators it runs, at 2.41.9, 2.42.5 and
2.43.1)."""

from __future__ import annotations

from typing import Any

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.tracker_fixture import Meta, codes, event, person, post


def _codes(running: RunningSandbox, payload: dict[str, Any], **params: Any) -> list[str]:
    r = post(running, payload, importMode="VALIDATE", **params)
    assert r.status_code in (200, 409), r.text
    return codes(r.json())


def test_an_invalid_event_in_a_used_non_repeatable_stage_per_release(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9 RepeatedEventsValidator#validateNotMultipleEvents runs over bundle.getEvents(), so
    # an event that already failed (E1029) still gets E1039 for the stored event of its stage;
    # 2.42.5/2.43.1 look only at the events still valid.
    version, running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    assert post(running, {"trackedEntities": [t], "events": [event(m, en_uid)]}).status_code == 200
    second = event(m, en_uid, org_unit=m.unassigned)
    assert _codes(running, {"events": [second]}) == (
        ["E1029", "E1039"] if version == "2.41" else ["E1029"])
