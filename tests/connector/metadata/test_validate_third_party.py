"""Validation of packages that are not ours: DHIS2's own e2e package (shared contract
material), a WHO package when `SCDI_WHO_PACKAGE` names a local copy, and hand-made defects."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.findings import Severity
from scdi.connector.metadata.validate import validate_file, validate_package
from tests.shared_paths import WHO_PACKAGE

from .conftest import SETUP_TRACKER, requires_engines


@requires_engines
def test_dhis2_setup_tracker_package_reads_without_crash_and_lists_real_findings() -> None:
    report = validate_file(SETUP_TRACKER)
    assert not report.strict  # a third-party package: project rules are warnings
    assert report.objects + report.embedded > 90  # its objects and those nested in them
    found = {(f.code, f.uid) for f in report.findings}
    # a program stage data element of the e2e package points at a data element it lacks
    assert any(f.code == "references.dangling" and "vbZ5LGNfGyy" in f.message for f in report.findings)
    # ALL-MQ-18 names programs, not relationship types: code 'Person to Event' is free
    assert ("identity.code-format", "gdc6uOvgoji") not in found
    # this project's privacy rules are house rules for its own package
    assert not [f for f in report.findings if f.code.startswith("privacy.")]
    assert not [f for f in report.findings if f.code == "identity.code-format" and f.severity is Severity.ERROR]
    assert any(f.code == "translations.coverage" for f in report.findings)
    # the program rule of the package parses and type-checks with the engine's parser
    assert not [f for f in report.findings if f.code.startswith("expressions.")]
    for finding in report.findings:
        assert finding.file == "setup_tracker_metadata.json"
        assert finding.severity in Severity


@requires_engines
@pytest.mark.skipif(WHO_PACKAGE is None,
                    reason="set SCDI_WHO_PACKAGE to a local copy of a WHO package's "
                           "COMPLETE/metadata.json (not committed: public-repository data)")
def test_who_package_reads_without_crash_and_lists_real_findings() -> None:
    assert WHO_PACKAGE is not None
    package = json.loads(WHO_PACKAGE.read_text(encoding="utf-8"))
    top_level = sum(len(v) for v in package.values() if isinstance(v, list))
    report = validate_file(WHO_PACKAGE)
    assert not report.strict
    assert report.objects >= top_level  # every object read (embedded ones count too)
    assert report.findings  # packages built elsewhere break some project rule
    uids = {o["id"] for v in package.values() if isinstance(v, list)
            for o in v if isinstance(o, dict) and "id" in o}
    for finding in report.findings:
        assert finding.file == WHO_PACKAGE.name
        assert finding.severity in Severity and finding.code and finding.message
        assert finding.uid is None or finding.uid in uids  # findings name the package's objects


def _base() -> dict[str, Any]:
    return json.loads(SETUP_TRACKER.read_text(encoding="utf-8"))


def _checks(pkg: dict[str, Any], **kwargs: Any) -> set[tuple[str, str | None, str | None]]:
    report = validate_package(pkg, default_file="p.json", engines=False, **kwargs)
    return {(f.code, f.uid, f.property) for f in report.findings if f.severity is Severity.ERROR}


def test_structure_enum_length_required_and_uid() -> None:
    pkg = _base()
    before = _checks(copy.deepcopy(pkg))
    pkg["programs"][0]["programType"] = "WITH_PAPER"
    pkg["dataElements"][0]["shortName"] = "x" * 51
    del pkg["trackedEntityAttributes"][0]["valueType"]
    pkg["options"][0]["id"] = "1-not-a-uid"
    new = _checks(pkg) - before
    assert ("structure.enum", pkg["programs"][0]["id"], "programType") in new
    assert ("identity.length", pkg["dataElements"][0]["id"], "shortName") in new
    assert ("structure.required", pkg["trackedEntityAttributes"][0]["id"], "valueType") in new
    assert ("identity.uid-format", "1-not-a-uid", "id") in new


def test_a_uid_with_a_final_line_break_is_refused() -> None:
    # DHIS2's CodeGenerator#isValidUid matches the whole text: "…\n" is no UID
    pkg = _base()
    before = _checks(copy.deepcopy(pkg))
    uid = pkg["options"][0]["id"] + "\n"
    pkg["options"][0]["id"] = uid
    assert ("identity.uid-format", uid, "id") in _checks(pkg) - before


def test_package_validator_rules() -> None:
    pkg = _base()
    before = _checks(copy.deepcopy(pkg))
    pkg["options"][1]["sortOrder"] = 5
    pkg["programRules"][0]["programRuleActions"] = []
    pkg["programRuleActions"] = []
    pkg["programRuleVariables"][0]["name"] = "age and sex"
    pkg["programs"][0]["sharing"]["external"] = True
    pkg["programIndicators"][0]["favorites"] = ["M5zQapPyTZI"]
    new = {check for check, _, _ in _checks(pkg) - before}
    assert {"package.rule-without-action", "package.variable-name",
            "package.external-access", "package.favourites"} <= new
    # DHIS2 imports and orders an option set with gaps: practice, a warning
    report = validate_package(pkg, default_file="p.json", engines=False)
    assert any(f.code == "package.option-sort-order" and f.severity is Severity.WARNING for f in report.findings)


def test_duplicate_uid_and_code_and_dependencies() -> None:
    pkg = _base()
    twin = copy.deepcopy(pkg["dataElements"][0])
    twin["name"] = "another name"
    twin["shortName"] = "another short name"
    pkg["dataElements"].append(twin)
    checks = {check for check, _, _ in _checks(pkg)}
    assert {"identity.duplicate-uid", "identity.duplicate-code"} <= checks


def test_declared_dependency_silences_the_reference() -> None:
    from scdi.connector.metadata.index import Dependency

    pkg = _base()
    assert any(c == "references.dangling" for c, _, _ in _checks(copy.deepcopy(pkg)))
    declared = {"vbZ5LGNfGyy": Dependency(uid="vbZ5LGNfGyy", type="dataElement")}
    assert not any(c == "references.dangling" for c, _, _ in _checks(pkg, dependencies=declared))


def test_not_a_json_object(tmp_path: Path) -> None:
    import pytest

    from scdi.connector.errors import InputError

    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError):
        validate_file(bad, engines=False)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        validate_file(broken, engines=False)
