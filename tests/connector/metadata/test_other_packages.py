"""The metadata tooling on other people's packages: no false errors on what DHIS2 imports, a
target DHIS2 release, and a diff that is empty right after an import.

CI runs on small synthetic packages (tests/sandbox/third_party_package.py and the defects
below). The dhis2-metadata packages themselves (TB_CS, HIV_CS, RMNCAH_MPDSR, NCD_CR, TB_HH,
IMM_DM, LMIS_STK, NTD_BUR_DS: each one's 2.41/2.42 `COMPLETE/metadata.json`) are public
repository data and not committed: set `SCDI_DHIS2_METADATA_DIR` to a folder with one
subfolder per package holding its `metadata.json` to run them too.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
import requests

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.findings import Severity
from scdi.connector.metadata.diff import diff_package
from scdi.connector.metadata.validate import validate_file, validate_package
from tests.sandbox import third_party_package as tp

from .conftest import requires_engines

RELEASES = ("2.41", "2.42", "2.43")
METADATA_DIR = Path(os.environ["SCDI_DHIS2_METADATA_DIR"]) if os.environ.get("SCDI_DHIS2_METADATA_DIR") else None
needs_packages = pytest.mark.skipif(
    METADATA_DIR is None,
    reason="set SCDI_DHIS2_METADATA_DIR to a folder with one subfolder per dhis2-metadata package "
           "(its COMPLETE/metadata.json as metadata.json); public-repository data is not committed")


def _errors(pkg: dict[str, Any], **kwargs: Any) -> list[tuple[str, str | None]]:
    report = validate_package(pkg, default_file="p.json", engines=False, **kwargs)
    return [(f.code, f.uid) for f in report.findings if f.severity is Severity.ERROR]


def _codes(pkg: dict[str, Any], **kwargs: Any) -> dict[str, set[Severity]]:
    report = validate_package(pkg, default_file="p.json", engines=False, **kwargs)
    out: dict[str, set[Severity]] = {}
    for f in report.findings:
        out.setdefault(f.code, set()).add(f.severity)
    return out


# --- the target release ------------------------------------------------------------------


def test_a_2_41_package_without_tracked_entity_type_short_name_is_fine_for_2_41_only() -> None:
    pkg = tp.build()
    tet = pkg["trackedEntityTypes"][0]
    assert "shortName" not in tet
    assert _errors(pkg) == []  # its own minimum, 2.41.6
    assert validate_package(pkg, engines=False).dhis2_version == "2.41"
    for release in ("2.42", "2.43"):
        assert _errors(pkg, dhis2_version=release) == [("release.required", tet["id"])]
    tet["shortName"] = "SYNTH Person"
    for release in RELEASES:
        assert _errors(pkg, dhis2_version=release) == []


def test_the_target_release_caps_short_names_as_that_release_does() -> None:
    pkg = tp.build()
    tet = pkg["trackedEntityTypes"][0]
    tet["shortName"] = "x" * 60  # not stored on 2.41; a not-null column of 50 from 2.42
    assert _errors(pkg, dhis2_version="2.41") == []
    assert _errors(pkg, dhis2_version="2.42") == [("release.length", tet["id"])]
    # DHIS2 checks lengths of persisted properties only: 2.42 stores no stage shortName
    pkg["programStages"][0]["shortName"] = "x" * 60
    assert _errors(pkg, dhis2_version="2.42") == [("release.length", tet["id"])]


def test_short_names_unique_from_2_42() -> None:
    pkg = tp.build()
    twin = copy.deepcopy(pkg["trackedEntityTypes"][0])
    twin.update(id=tp.uid("tet:twin"), name="SYNTH Person twin", code="SYNTH_PERSON_TWIN",
                trackedEntityTypeAttributes=[])
    pkg["trackedEntityTypes"].append(twin)
    for tet in pkg["trackedEntityTypes"]:
        tet["shortName"] = "SYNTH Person"
    assert ("identity.duplicate-name", twin["id"]) not in _errors(pkg, dhis2_version="2.41")
    assert ("identity.duplicate-name", twin["id"]) in _errors(pkg, dhis2_version="2.42")


# --- no false errors ---------------------------------------------------------------------


def test_a_reference_of_a_type_without_facts_is_never_judged_by_its_name() -> None:
    pkg = tp.build()
    attribute = pkg["trackedEntityAttributes"][0]["id"]
    group = pkg["userGroups"][0]["id"]
    pkg["programNotificationTemplates"] = [{
        "id": tp.uid("pnt:1"), "name": "SYNTH reminder", "notificationTrigger": "ENROLLMENT",
        "notificationRecipient": "PROGRAM_ATTRIBUTE", "messageTemplate": "Hello",
        "recipientProgramAttribute": {"id": attribute}, "recipientUserGroup": {"id": group},
    }]
    found = _codes(pkg)
    assert "references.wrong-type" not in found
    pkg["programNotificationTemplates"][0]["recipientUserGroup"] = {"id": tp.uid("nowhere")}
    assert _codes(pkg).get("references.dangling") == {Severity.ERROR}  # still a dangling UID


def test_code_practice_applies_to_the_types_it_names() -> None:
    pkg = tp.build()
    pkg["categoryOptions"][0]["code"] = "P0Y--P15Y"
    assert "identity.code-format" not in _codes(pkg)
    pkg["dataSets"][0]["code"] = "Monthly report"
    assert _codes(pkg)["identity.code-format"] == {Severity.WARNING}  # practice, not DHIS2
    assert _codes(pkg, strict=True)["identity.code-format"] == {Severity.ERROR}  # our house rule


def test_option_sort_order_with_gaps_is_a_warning() -> None:
    pkg = tp.build()
    assert "package.option-sort-order" not in _codes(pkg)
    pkg["options"][1]["sortOrder"] = 7
    assert _codes(pkg)["package.option-sort-order"] == {Severity.WARNING}


def test_privacy_rules_are_this_projects_and_run_on_its_package_only() -> None:
    pkg = tp.build()
    pkg["trackedEntityAttributes"][0].update(name="SYNTH First name", code="SYNTH_FIRST_NAME",
                                             confidential=False)
    assert not [c for c in _codes(pkg) if c.startswith("privacy.")]
    assert "privacy.not-confidential" in _codes(pkg, strict=True)


def test_names_repeat_freely_across_parents() -> None:
    pkg = tp.build()
    combo = pkg["categoryCombos"][0]
    other = copy.deepcopy(combo)
    other.update(id=tp.uid("cc:other"), name="SYNTH other combo", code="SYNTH_OTHER")
    pkg["categoryCombos"].append(other)
    first = pkg["categoryOptionCombos"][0]
    pkg["categoryOptionCombos"].append({**first, "id": tp.uid("coc:other"), "categoryCombo": {"id": other["id"]}})
    section = pkg["sections"][0]
    other_set = {**pkg["dataSets"][0], "id": tp.uid("ds:other"), "name": "SYNTH other set", "code": "SYNTH_OTHER_DS",
                 "shortName": "SYNTH other set"}
    pkg["dataSets"].append(other_set)
    pkg["sections"].append({**section, "id": tp.uid("section:other"), "dataSet": {"id": other_set["id"]}})
    assert "identity.duplicate-name" not in _codes(pkg)
    pkg["sections"].append({**section, "id": tp.uid("section:twin")})  # same data set
    assert "identity.duplicate-name" in _codes(pkg)


# --- diff right after an import ----------------------------------------------------------


def _as_exported(pkg: dict[str, Any]) -> dict[str, Any]:
    """The synthetic package with the derived and server-managed fields a DHIS2 export puts
    inside embedded objects (what the dhis2-metadata COMPLETE files carry)."""
    pkg = copy.deepcopy(pkg)
    for dashboard in pkg["dashboards"]:
        for item in dashboard["dashboardItems"]:
            item.update(contentCount=1, interpretationCount=0, interpretationLikeCount=0,
                        favorite=False, favorites=[])
    for program in pkg["programs"]:
        for item in program.get("programTrackedEntityAttributes") or []:
            item.update(favorite=False, favorites=[], name="SYNTH shown name", valueType="TEXT")
    for tet in pkg["trackedEntityTypes"]:
        for item in tet["trackedEntityTypeAttributes"]:
            item.update(name="SYNTH shown name", valueType="TEXT", displayName="SYNTH shown name")
    for visualization in pkg["visualizations"]:
        visualization["relativePeriods"] = {"last12Months": True, "thisYear": False}
    return pkg


@pytest.mark.parametrize("release", RELEASES)
def test_diff_is_empty_right_after_importing_a_package_unchanged(sandbox_factory: Any, release: str) -> None:
    running = sandbox_factory(version=release)
    pkg = _as_exported(tp.build(option_sets=4, stage_elements=10, aggregate_elements=6, rules=6,
                                program_indicators=6, indicators=4, visualizations=4))
    pkg["trackedEntityTypes"][0]["shortName"] = "SYNTH Person"  # 2.41 ignores it, 2.42 needs it
    answer = requests.post(f"{running.url}/api/metadata", json=pkg, auth=("admin", "district"),
                           params={"atomicMode": "ALL"}, timeout=120)
    assert answer.status_code == 200, answer.text[:1000]
    with Dhis2Client(ServerSettings(base_url=running.url, username="admin", password="district")) as client:
        diff = diff_package(client, pkg)
        assert [(o.type, o.uid, [c.property for c in o.changes]) for o in diff.changed] == []
        # what the release stores still counts: a changed relative period is a change
        pkg["visualizations"][0]["relativePeriods"]["thisYear"] = True
        changed = diff_package(client, pkg).changed
        assert [(o.type, [c.property for c in o.changes]) for o in changed] == [
            ("visualizations", ["relativePeriods"])]


# --- the dhis2-metadata packages, from a local copy --------------------------------------


def _local_packages() -> list[Path]:
    if METADATA_DIR is None:
        return []
    return sorted(p / "metadata.json" for p in METADATA_DIR.iterdir() if (p / "metadata.json").is_file())


@needs_packages
@pytest.mark.parametrize("path", _local_packages(), ids=lambda p: p.parent.name)
def test_dhis2_metadata_packages_validate_at_their_release_and_show_no_diff_after_import(
    sandbox_factory: Any, path: Path
) -> None:
    package = json.loads(path.read_text(encoding="utf-8"))
    own = validate_file(path, engines=False)
    assert [f.one_line() for f in own.findings if f.severity is Severity.ERROR] == []
    tets = [t for t in package.get("trackedEntityTypes") or [] if not t.get("shortName")]
    for release in RELEASES:
        errors = [f for f in validate_file(path, engines=False, dhis2_version=release).findings
                  if f.severity is Severity.ERROR]
        expected = [] if release == "2.41" else [("release.required", t["id"]) for t in tets]
        assert sorted((f.code, f.uid) for f in errors) == sorted(expected), release
    running = sandbox_factory(version=own.dhis2_version)
    answer = requests.post(f"{running.url}/api/metadata", json=package, auth=("admin", "district"),
                           params={"atomicMode": "ALL"}, timeout=600)
    assert answer.status_code == 200, answer.text[:1000]
    with Dhis2Client(ServerSettings(base_url=running.url, username="admin", password="district")) as client:
        assert [(o.type, o.uid) for o in diff_package(client, package).changed] == []


@requires_engines
def test_d2_concatenate_takes_any_type_while_other_type_problems_stay_warnings() -> None:
    pkg = tp.build()
    action = pkg["programRuleActions"][0]
    action.update(programRuleActionType="DISPLAYTEXT", location="feedback",
                  data="d2:concatenate(V{current_date}, ' - ', V{event_date})")
    report = validate_package(pkg, default_file="p.json")
    assert not [f for f in report.findings if f.code == "expressions.type-warning"]
    action["data"] = "d2:left(V{current_date}, 2)"
    report = validate_package(pkg, default_file="p.json")
    assert [f.uid for f in report.findings if f.code == "expressions.type-warning"] == [action["id"]]
