"""Expired events on import, per release: E1042/E1043 (completeEventsExpiryDays), E1046/E1047
(expiryPeriodType + expiryDays), F_EDIT_EXPIRED (`sandbox/tracker/validation/expiry.py`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scdi.upstream.releases import RELEASES
from tests.sandbox.tracker_fixture import (
    ADMIN,
    LEADER,
    Meta,
    codes,
    enrollment,
    event,
    post,
    te,
)

LEADER_ROLE = "Euq3XfEIEbx"
TODAY = datetime.now(UTC).strftime("%Y-%m-%d")
LONG_AGO = "2025-01-12"


def _expiring_program(running: Any, m: Meta, **expiry: Any) -> None:
    program = running.store.get_object("programs", m.program)
    program.update(expiry)
    running.store.put_object("programs", program)


def _enrolled(running: Any, m: Meta) -> str:
    person = te(m)
    en = enrollment(m, person["trackedEntity"])
    assert post(running, {"trackedEntities": [person], "enrollments": [en]}).status_code == 200
    return str(en["enrollment"])


def _event(m: Meta, en: str, **extra: Any) -> dict[str, Any]:
    """An event of the repeatable stage, so that several can be written."""
    return event(m, en, stage=m.stage_repeat, **extra)


def _codes(running: Any, ev: dict[str, Any], auth: tuple[str, str] = LEADER) -> list[str]:
    return codes(post(running, {"events": [ev]}, auth=auth).json())


def test_events_in_an_expired_period_are_refused(env):
    _, running, m = env
    _expiring_program(running, m, expiryPeriodType="Monthly", expiryDays=5)
    en = _enrolled(running, m)
    assert _codes(running, _event(m, en, occurredAt=LONG_AGO)) == ["E1047"]
    assert _codes(running, _event(m, en, occurredAt=TODAY)) == []
    # no date to place the event in a period
    assert _codes(running, _event(m, en, status="SKIPPED", occurredAt=None, values={})) == ["E1046"]
    # a superuser is authorized for F_EDIT_EXPIRED
    assert _codes(running, _event(m, en, occurredAt=LONG_AGO), auth=ADMIN) == []


def test_f_edit_expired_skips_the_expiry_checks(env):
    _, running, m = env
    _expiring_program(running, m, expiryPeriodType="Monthly", expiryDays=5,
                      completeEventsExpiryDays=3)
    en = _enrolled(running, m)
    stale = _event(m, en, occurredAt=LONG_AGO, status="COMPLETED", completedAt=LONG_AGO)
    assert sorted(_codes(running, stale)) == ["E1043", "E1047"]
    role = running.store.get_object("userRoles", LEADER_ROLE)
    role["authorities"] = [*role["authorities"], "F_EDIT_EXPIRED"]
    running.store.put_object("userRoles", role)
    assert _codes(running, stale) == []


def test_completed_events_expire_per_release(env):
    version, running, m = env
    _expiring_program(running, m, completeEventsExpiryDays=3)
    en = _enrolled(running, m)
    assert _codes(running, _event(m, en, occurredAt=TODAY, status="COMPLETED",
                                 completedAt=LONG_AGO)) == ["E1043"]
    without_date = _codes(running, _event(m, en, occurredAt=TODAY, status="COMPLETED"))
    expiry = RELEASES[version].tracker_event_expiry
    assert without_date == (["E1042"] if expiry == "completed_at_required" else [])
    assert (version == "2.41") == (expiry == "completed_at_required")

    # an event completed long ago (written by a superuser), sent again with a fresh date
    old = _event(m, en, occurredAt=TODAY, status="COMPLETED",
                completedAt=LONG_AGO)
    assert _codes(running, old, auth=ADMIN) == []
    old["completedAt"] = TODAY
    again = _codes(running, old)
    # 2.43.1 anchors the expiry to the stored completion date
    assert again == (["E1043"] if expiry == "stored_completed_at" else [])
    assert (version == "2.43") == (expiry == "stored_completed_at")


def test_the_expiry_period_is_checked_first_on_2_43(env):
    version, running, m = env
    _expiring_program(running, m, expiryPeriodType="Monthly", expiryDays=5)
    en = _enrolled(running, m)
    found = _codes(running, _event(m, en, occurredAt=LONG_AGO, completedAt=LONG_AGO))
    assert found == {"2.41": ["E1047"], "2.42": ["E1051", "E1047"],
                     "2.43": ["E1047", "E1051"]}[version]


def test_a_negative_completion_expiry_counts_only_from_2_43(env):
    version, running, m = env
    _expiring_program(running, m, completeEventsExpiryDays=-1)
    en = _enrolled(running, m)
    found = _codes(running, _event(m, en, occurredAt=TODAY, status="COMPLETED",
                                  completedAt=TODAY))
    assert found == (["E1043"] if version == "2.43" else [])


def test_every_period_type_places_a_date_as_dhis2_does():
    from datetime import date

    from scdi.sandbox.tracker.validation.expiry import period_end

    # BiWeekly from the Monday of an odd ISO week: 2024-01-08 is week 2, so 2024-01-01's
    assert period_end("BiWeekly", date(2024, 1, 8)) == date(2024, 1, 14)
    assert period_end("BiWeekly", date(2024, 1, 15)) == date(2024, 1, 28)
    # QuarterlyNov: Nov-Jan, Feb-Apr, May-Jul, Aug-Oct
    assert period_end("QuarterlyNov", date(2024, 1, 20)) == date(2024, 1, 31)
    assert period_end("QuarterlyNov", date(2024, 11, 2)) == date(2025, 1, 31)
    assert period_end("QuarterlyNov", date(2024, 4, 30)) == date(2024, 4, 30)
    # TwoYearly from an even year
    assert period_end("TwoYearly", date(2025, 3, 1)) == date(2025, 12, 31)
    assert period_end("TwoYearly", date(2026, 3, 1)) == date(2027, 12, 31)
    # WeeklyFriday (2.43.1): 2024-01-10 is a Wednesday, its week began Friday 2024-01-05
    assert period_end("WeeklyFriday", date(2024, 1, 10)) == date(2024, 1, 11)
    assert period_end("SixMonthlyNov", date(2024, 3, 1)) == date(2024, 4, 30)
