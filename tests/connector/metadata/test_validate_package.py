"""Validation of our package: clean as shipped, and one defect gives exactly its finding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.findings import Severity
from scdi.connector.metadata.checks.behaviour import load_rule_tests
from scdi.connector.metadata.package import dump_package
from scdi.connector.metadata.validate import ValidationReport, validate_file, validate_folder, validate_package

from .conftest import (
    ACTION_UID,
    FOLLOW_UP_STAGE,
    GROUP_MEETING_DE,
    MEMBER_PROGRAM,
    RULE_UID,
    SESSIONS_DE,
    add_test_rule,
    requires_engines,
    rule_cases,
    write_tests,
)

pytestmark = requires_engines
METADATA_ROOT = Path(__file__).resolve().parents[3] / "metadata"


def _validate(pkg: dict[str, Any], tmp_path: Path, tests: dict[str, Any] | None = None) -> ValidationReport:
    loaded = load_rule_tests([write_tests(tmp_path, tests)], label_root=tmp_path) if tests else None
    return validate_package(pkg, source="test", default_file="package.json", rule_tests=loaded, strict=True)


def _errors(report: ValidationReport) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.uid, f.property) for f in report.findings if f.severity is Severity.ERROR]


def test_the_shipped_package_has_no_errors() -> None:
    report = validate_folder(METADATA_ROOT)
    assert report.strict
    assert _errors(report) == []
    assert report.objects > 300
    # findings name the source file an object came from
    assert all(f.file for f in report.findings)


def test_a_built_package_file_is_not_asked_for_rule_cases(package: dict[str, Any], tmp_path: Path) -> None:
    # The cases live in the source folder's rule-tests/, never in the built file.
    add_test_rule(package)
    path = tmp_path / "scdi-groups.json"
    path.write_text(dump_package(package), encoding="utf-8")
    report = validate_file(path)
    assert report.strict
    assert _errors(report) == []
    assert report.rule_cases == 0
    # A source folder without cases for the rule still fails: coverage is judged where cases are.
    folder = validate_package(package, source="folder", default_file="package.json",
                              rule_tests=load_rule_tests([]), strict=True)
    assert _errors(folder) == [("behaviour.untested", RULE_UID, "condition")]


def test_the_package_with_a_tested_rule_is_clean(package: dict[str, Any], tmp_path: Path) -> None:
    add_test_rule(package)
    report = _validate(package, tmp_path, rule_cases())
    assert _errors(report) == []
    assert report.rule_cases == 2
    assert not [f for f in report.findings if f.code.startswith("behaviour")]


def _dangling(pkg: dict[str, Any]) -> None:
    stage = next(s for s in pkg["programStages"] if s["id"] == "CNrmKcCtSXp")
    stage["programStageDataElements"][0]["dataElement"] = {"id": "Zz9NoSuchDe"}


def _bad_code(pkg: dict[str, Any]) -> None:
    next(d for d in pkg["dataElements"] if d["id"] == SESSIONS_DE)["code"] = "scdi-sessions"


def _unparseable(pkg: dict[str, Any]) -> None:
    next(r for r in pkg["programRules"] if r["id"] == RULE_UID)["condition"] = "#{sessions} > "


def _wrong_threshold(pkg: dict[str, Any]) -> None:
    next(r for r in pkg["programRules"] if r["id"] == RULE_UID)["condition"] = "#{sessions} > 9"


def _other_program(pkg: dict[str, Any]) -> None:
    next(a for a in pkg["programRuleActions"] if a["id"] == ACTION_UID)["dataElement"] = {"id": GROUP_MEETING_DE}


def _missing_vi(pkg: dict[str, Any]) -> None:
    element = next(d for d in pkg["dataElements"] if d["id"] == SESSIONS_DE)
    element["translations"] = [t for t in element["translations"]
                               if not (t["locale"] == "vi" and t["property"] == "NAME")]


def _phone_not_confidential(pkg: dict[str, Any]) -> None:
    next(t for t in pkg["trackedEntityAttributes"] if t["code"] == "SCDI_PHONE")["confidential"] = False


DEFECTS: list[tuple[str, Callable[[dict[str, Any]], None], tuple[str, str | None, str | None]]] = [
    ("dangling reference", _dangling, ("references.dangling", "cbAwD3rXpwR", "dataElement")),
    ("bad code", _bad_code, ("identity.code-format", SESSIONS_DE, "code")),
    ("rule that does not parse", _unparseable, ("expressions.parse", RULE_UID, "condition")),
    ("rule whose test case fails", _wrong_threshold, ("behaviour.case-failed", RULE_UID, "condition")),
    ("action on a field of another program", _other_program,
     ("package.action-other-program", ACTION_UID, "dataElement")),
    ("missing vi translation", _missing_vi, ("translations.missing", SESSIONS_DE, "name")),
    ("non-confidential phone", _phone_not_confidential, ("privacy.not-confidential", "xwYLcNW2fWV", "confidential")),
]


@pytest.mark.parametrize(("label", "breaks", "expected"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_one_defect_gives_exactly_its_finding(
    package: dict[str, Any], tmp_path: Path, label: str,
    breaks: Callable[[dict[str, Any]], None], expected: tuple[str, str | None, str | None],
) -> None:
    add_test_rule(package)
    breaks(package)
    # the test case names the effect by type and content so that moving the action to
    # another field is reported once, by the structural check
    tests = rule_cases({"type": "SHOWWARNING", "content": "More than 8 sessions in a month: check the number"})
    report = _validate(package, tmp_path, tests)
    assert _errors(report) == [expected], label
    finding = next(f for f in report.findings if f.severity is Severity.ERROR)
    assert finding.message and finding.object_type and finding.file


def test_a_failing_case_says_what_was_expected_and_what_came(package: dict[str, Any], tmp_path: Path) -> None:
    add_test_rule(package)
    tests = rule_cases({"type": "SHOWERROR", "field": SESSIONS_DE})
    report = _validate(package, tmp_path, tests)
    failed = [f for f in report.findings if f.code == "behaviour.case-failed"]
    assert any("expected SHOWERROR" in f.message and "got SHOWWARNING" in f.message for f in failed)
    assert all(f.file == "rule-tests/member.json" for f in failed)


def test_rule_without_cases_and_unreadable_test_files(package: dict[str, Any], tmp_path: Path) -> None:
    add_test_rule(package)
    report = _validate(package, tmp_path, {"program": "Kyzu6Eqr46f", "cases": [{"id": "x"}]})
    checks = {f.code for f in report.findings if f.severity is Severity.ERROR}
    assert checks == {"behaviour.test-file", "behaviour.untested"}


def test_a_case_that_names_an_unknown_rule(package: dict[str, Any], tmp_path: Path) -> None:
    add_test_rule(package)
    tests = rule_cases()
    tests["cases"].append({"id": "ghost", "rule": "NoSuchRule1", "expect": []})
    report = _validate(package, tmp_path, tests)
    assert [(f.code, f.uid) for f in report.findings if f.severity is Severity.ERROR] == [
        ("behaviour.test-case", "NoSuchRule1")]


def test_one_node_process_for_all_expressions_and_cases(
    package: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scdi.connector.metadata import validate as module

    calls: list[tuple[int, int]] = []
    real = module.run_engines

    def counting(expressions: Any = (), evaluations: Any = (), **kwargs: Any) -> Any:
        calls.append((len(expressions), len(evaluations)))
        return real(expressions, evaluations, **kwargs)

    monkeypatch.setattr(module, "run_engines", counting)
    add_test_rule(package)
    _validate(package, tmp_path, rule_cases())
    assert calls == [(1, 2)]  # one rule condition (the action has no data) and two cases


def test_the_event_date_of_a_stage_in_min_and_max_is_resolved_against_the_program(
    package: dict[str, Any], tmp_path: Path
) -> None:
    """d2:minValue/d2:maxValue(PS_EVENTDATE:<stage>) is DHIS2's earliest/latest event date of a
    stage (ProgramMinMaxFunction); the npm parser gives it as an item with the stage's UID
    only, which is a stage of the program, not an unknown data element."""
    def indicator(uid: str, stage: str) -> dict[str, Any]:
        return {"id": uid, "code": f"SCDI_PI_TEST_{uid.upper()}", "name": f"SCDI - Test {uid}",
                "shortName": f"SCDI {uid}", "program": {"id": MEMBER_PROGRAM}, "analyticsType": "ENROLLMENT",
                "aggregationType": "COUNT",
                "expression": "V{enrollment_count}",
                "filter": f"d2:monthsBetween(d2:minValue(PS_EVENTDATE:{stage}), V{{analytics_period_end}}) >= 24",
                "analyticsPeriodBoundaries": [{"id": f"{uid[:9]}B1", "boundaryTarget": "ENROLLMENT_DATE",
                                               "analyticsPeriodBoundaryType": "BEFORE_END_OF_REPORTING_PERIOD"}],
                "translations": [{"locale": "vi", "property": p, "value": f"SCDI Thử {uid}"}
                                 for p in ("NAME", "SHORT_NAME")]}

    package["programIndicators"] = [indicator("TstPindic01", FOLLOW_UP_STAGE),
                                    indicator("TstPindic02", "Is4LCht0wjO")]  # a stage of the group program
    report = _validate(package, tmp_path)
    assert _errors(report) == [("expressions.unresolved", "TstPindic02", "filter")]
