"""Temporary owners (`tracker/temp_owners.py`): a grant opens a PROTECTED record for three hours
and no longer in the instant they end (`ProgramTempOwner`, `getValidTempOwnerCount`:
`validtill - now() > 0`), at 2.41.9, 2.42.5 and 2.43.1 alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from scdi.sandbox.tracker import temp_owners
from tests.sandbox.tracker_fixture import LEADER, codes, event, install, person, post


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_grant_ends_three_hours_after_it_was_made(sandbox_factory, monkeypatch, version):
    running = sandbox_factory(version=version)
    m = install(running)
    program = running.store.get_object("programs", m.program)
    running.store.put_object("programs", {**program, "accessLevel": "PROTECTED"})
    t = person(m, org_unit=m.sibling)  # searchable by the leader, not captured
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    enrollment = t["enrollments"][0]["enrollment"]

    def event_codes() -> list[str]:
        ev = event(m, enrollment, stage=m.stage_repeat, values={m.de_compulsory: "x"})
        return codes(post(running, {"events": [ev]}, auth=LEADER, importMode="VALIDATE").json())

    granted_at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    monkeypatch.setattr(temp_owners, "now", lambda: granted_at)
    answer = requests.post(f"{running.url}/api/tracker/ownership/override", auth=LEADER, timeout=10, params={
        "trackedEntity": t["trackedEntity"], "program": m.program, "reason": "visit"})
    assert answer.status_code == 200, answer.text
    assert event_codes() == []
    monkeypatch.setattr(temp_owners, "now", lambda: granted_at + timedelta(hours=3, milliseconds=-1))
    assert event_codes() == []
    monkeypatch.setattr(temp_owners, "now", lambda: granted_at + timedelta(hours=3))
    assert event_codes() == ["E1102"]
