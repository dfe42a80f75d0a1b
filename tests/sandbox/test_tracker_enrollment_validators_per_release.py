"""The enrollment validator chain of POST /api/tracker per release (dhis2-core
`validator/enrollment/EnrollmentValidator.java` and the validators it runs, at 2.41.9, 2.42.5
and 2.43.1)."""

from __future__ import annotations

from typing import Any

from scdi.sandbox.server import RunningSandbox
from scdi.upstream.releases import RELEASES
from tests.sandbox.tracker_fixture import Meta, enrollment, get, post, te

SHARING = {"public": "rwrw----", "external": False, "users": {}, "userGroups": {}}
DEFAULT_OPTION_COMBO = "HllvX50cXC0"


def _combo(running: RunningSandbox, suffix: str) -> tuple[str, str]:
    """A non-default category combo with its one option combo: (combo, option combo)."""
    store = running.store
    store.put_object("categoryOptions", {"id": f"coEnrol{suffix}", "name": f"Option {suffix}",
                                         "sharing": SHARING})
    store.put_object("categoryCombos", {"id": f"ccEnrol{suffix}", "name": f"Combo {suffix}",
                                        "sharing": SHARING})
    store.put_object("categoryOptionCombos", {
        "id": f"cocEnrol{suffix}", "name": f"Option {suffix}",
        "categoryCombo": {"id": f"ccEnrol{suffix}"},
        "categoryOptions": [{"id": f"coEnrol{suffix}"}], "sharing": SHARING})
    return f"ccEnrol{suffix}", f"cocEnrol{suffix}"


def _report(running: RunningSandbox, m: Meta, **extra: Any) -> tuple[dict[str, Any], str]:
    t = te(m)
    en = enrollment(m, t["trackedEntity"], **extra)
    r = post(running, {"trackedEntities": [t], "enrollments": [en]}, importMode="VALIDATE")
    assert r.status_code in (200, 409), r.text
    return r.json(), en["enrollment"]


def _errors(report: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return [(e["errorCode"], e["message"], e["args"])
            for e in report["validationReport"]["errorReports"]]


def test_a_program_s_enrollment_combo_needs_its_option_combo_from_2_43(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.43.1 enrollment/CategoryOptionComboValidator (after DataRelations) against
    # Program#enrollmentCategoryCombo; 2.41.9 and 2.42.5 have neither (the payload key is
    # skipped), so every payload below imports.
    version, running, m = env
    combo, option_combo = _combo(running, "001")
    _, other_option_combo = _combo(running, "002")
    program = running.store.get_object("programs", m.program)
    running.store.put_object("programs", program | {"enrollmentCategoryCombo": {"id": combo}})
    checked = RELEASES[version].tracker_enrollment_option_combo
    assert checked == (version == "2.43")
    cases = {
        "none": ({}, [("E1055", "Default AttributeOptionCombo is not allowed as Program has "
                                "non-default CategoryCombo.", [])]),
        "default": ({"attributeOptionCombo": DEFAULT_OPTION_COMBO},
                    [("E1055", "Default AttributeOptionCombo is not allowed as Program has "
                               "non-default CategoryCombo.", [])]),
        "unknown": ({"attributeOptionCombo": "cocUnknown1"},
                    [("E1115", "Could not find CategoryOptionCombo: `cocUnknown1`.",
                      ["MetadataIdentifier(idScheme=UID, identifier=cocUnknown1, "
                       "attributeValue=null)"])]),
        "other": ({"attributeOptionCombo": other_option_combo},
                  [("E1130", f"AttributeOptionCombo `{other_option_combo}` is not in the program "
                             f"enrollment CategoryCombo `{combo}`.",
                    [f"MetadataIdentifier(idScheme=UID, identifier={other_option_combo}, "
                     "attributeValue=null)", combo])]),
        "its own": ({"attributeOptionCombo": option_combo}, []),
    }
    for name, (extra, expected) in cases.items():
        report, _ = _report(running, m, **extra)
        assert _errors(report) == (expected if checked else []), name


def test_an_enrollment_is_written_with_its_option_combo_from_2_43(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.43.1 TrackerObjectsMapper#map(enrollment) (:177-182): the payload's combo, or the
    # default one; export/enrollment/EnrollmentMapper (:87) writes it. 2.41/2.42 enrollments
    # have no attribute option combo.
    version, running, m = env
    combo, option_combo = _combo(running, "003")
    enrol_once = running.store.get_object("programs", m.program_once)
    running.store.put_object("programs", enrol_once | {"enrollmentCategoryCombo": {"id": combo}})
    t = te(m)
    plain = enrollment(m, t["trackedEntity"])
    combined = enrollment(m, t["trackedEntity"], program=m.program_once, attributes={},
                          attributeOptionCombo=option_combo)
    r = post(running, {"trackedEntities": [t], "enrollments": [plain, combined]})
    assert r.status_code == 200, r.text
    for en, expected in ((plain, DEFAULT_OPTION_COMBO), (combined, option_combo)):
        exported = get(running, f"/api/tracker/enrollments/{en['enrollment']}").json()
        if version == "2.43":
            assert exported["attributeOptionCombo"] == expected
        else:
            assert "attributeOptionCombo" not in exported
