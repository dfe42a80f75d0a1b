"""The release table: version parsing and the documented differences between releases."""

from __future__ import annotations

import pytest

from scdi.upstream.releases import RELEASES, SUPPORTED_WINDOW, Support, minor_of, release_for, support_of


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("2.42.1", "2.42"),
        ("2.43-SNAPSHOT", "2.43"),
        ("2.41", "2.41"),
        (" 2.040.3 ", "2.40"),
        ("v2.42", None),
        ("", None),
    ],
)
def test_minor_of(text, minor):
    assert minor_of(text) == minor


def test_support_window():
    assert [m for m, r in RELEASES.items() if r.support is Support.SUPPORTED] == ["2.41", "2.42", "2.43"]
    assert SUPPORTED_WINDOW == "2.41, 2.42 and 2.43"
    assert support_of("2.40.7") is Support.WARN and support_of("2.44.0") is Support.WARN
    assert support_of("2.39.9") is Support.UNSUPPORTED and release_for("2.39.9") is None


def test_rows_are_keyed_by_their_minor():
    assert all(key == row.minor and row.example_version.startswith(key) for key, row in RELEASES.items())


def test_the_2_43_upgrade_notes():
    # dhis2-releases releases/2.43/README.md, confirmed in dhis2-core tag 2.43.1
    before, after = RELEASES["2.42"], RELEASES["2.43"]
    assert not before.program_required_on_events_and_enrollments and after.program_required_on_events_and_enrollments
    assert before.enrollments_accept_tracked_entity_type and not after.enrollments_accept_tracked_entity_type
    assert {"E1084", "E1085"} <= before.tracker_error_codes_removed
    assert not after.tracker_error_codes_removed & {"E1084", "E1085"}


def test_tracker_envelopes_per_release():
    assert [RELEASES[m].tracker_page_envelope for m in ("2.40", "2.41", "2.42", "2.43")] == [
        "instances",
        "pager+flat",
        "pager",
        "pager",
    ]
