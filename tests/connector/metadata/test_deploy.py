"""Deploy, diff and status against the sandbox: first run creates, second writes nothing,
hand edits show as drift, downgrades are refused, Android settings are merged, and an
upgrade keeps data entered under the earlier version valid."""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.errors import Conflict, DeployInterrupted, DowngradeRefused, RequestTimedOut, ValidationFailed
from scdi.connector.metadata.deploy import (
    ANDROID_NAMESPACE,
    deploy,
    deploy_source,
    merge_settings,
)
from scdi.connector.metadata.diff import compare, diff_package, package_objects
from scdi.connector.metadata.installed import KEY, NAMESPACE, read_record
from scdi.connector.metadata.source import load_source, read_dependencies
from scdi.connector.metadata.status import status

METADATA = Path(__file__).resolve().parents[3] / "metadata"
DEPENDENCIES = read_dependencies(METADATA / "dependencies.json")
VERSION = json.loads((METADATA / "package.json").read_text(encoding="utf-8"))["package"]["version"]
SESSIONS_DE = "hCWuj0PxkOn"
MEMBER_PROGRAM = "Kyzu6Eqr46f"
FOLLOW_UP_STAGE = "CNrmKcCtSXp"
DRUG_OPTION_SET = "j7gQmwJcfTO"
HOUSING_DE = "C3AVyLd8Wnu"


@pytest.fixture
def client(fresh_sandbox: Any) -> Iterator[Dhis2Client]:
    with Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="admin", password="district")) as c:
        yield c


@pytest.fixture
def pkg(built_package: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(built_package)


def _count(pkg: dict[str, Any]) -> dict[str, int]:
    return {plural: len(items) for plural, items in package_objects(pkg).items()}


def test_first_deploy_creates_everything_second_writes_nothing(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    first = deploy(client, pkg, dependencies=DEPENDENCIES)
    assert first.installed_before is None
    assert {t: c.create for t, c in first.types.items()} == _count(pkg)
    assert all(c.update == 0 and c.unchanged == 0 for c in first.types.values())
    # one COMMIT, one installed record, and the deploy marker: started, at the record, finished
    assert first.writes == 5
    record = read_record(client)
    assert record is not None
    assert (record.code, record.version, record.installed_by) == ("SCDI_GROUPS", VERSION, "admin")
    assert record.checksum == first.checksum
    assert sum(len(v) for v in record.objects.values()) == sum(_count(pkg).values())

    second = deploy(client, pkg, dependencies=DEPENDENCIES)
    assert second.unchanged_package
    assert second.writes == 0
    assert {t: c.unchanged for t, c in second.types.items()} == _count(pkg)
    assert diff_package(client, pkg).changed == []
    assert status(client, pkg).relation == "same"
    assert status(client, pkg).drift == []


def test_a_hand_edit_shows_in_status_and_diff_and_the_next_deploy_repairs_it(
    client: Dhis2Client, pkg: dict[str, Any]
) -> None:
    deploy(client, pkg, dependencies=DEPENDENCIES)
    element = client.get(f"dataElements/{SESSIONS_DE}")
    element["formName"] = "Edited by hand on the server"
    client.put(f"dataElements/{SESSIONS_DE}", json=element)

    drift = status(client, pkg).drift
    assert [(d.type, d.uid, d.state) for d in drift] == [("dataElements", SESSIONS_DE, "changed")]
    changed = diff_package(client, pkg).changed
    assert [(c.type, c.uid, [f.property for f in c.changes]) for c in changed] == [
        ("dataElements", SESSIONS_DE, ["formName"])]
    assert changed[0].changes[0].server == "Edited by hand on the server"

    with pytest.raises(ValidationFailed, match="changed on the server by hand") as refused:
        deploy(client, pkg, dependencies=DEPENDENCIES)  # a hand edit is never overwritten without a word
    assert [(f.uid, f.code) for f in refused.value.findings] == [(SESSIONS_DE, "deploy.drift")]
    assert status(client, pkg).drift != []  # nothing was written

    repaired = deploy(client, pkg, dependencies=DEPENDENCIES, overwrite_drift=True)
    assert repaired.types["dataElements"].update == 1
    assert [(d.uid, d.state) for d in repaired.overwritten_drift] == [(SESSIONS_DE, "changed")]
    assert repaired.writes == 5
    assert status(client, pkg).drift == []


def test_a_commit_refused_after_validate_passed_records_nothing(
    client: Dhis2Client, pkg: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_post = client.post

    def post(path: str, json: Any = None, params: Any = None, **kw: Any) -> Any:
        if path == "metadata" and (params or {}).get("importMode") == "COMMIT":
            raise Conflict("refused", status=409, body={"status": "ERROR", "response": {"typeReports": []}})
        return real_post(path, json=json, params=params, **kw)

    monkeypatch.setattr(client, "post", post)
    ours = {"synchronization": {"dataSync": "6h"}}
    with pytest.raises(ValidationFailed, match="COMMIT"):
        deploy(client, pkg, dependencies=DEPENDENCIES, android_settings=ours)
    assert read_record(client) is None
    assert client.datastore_get(ANDROID_NAMESPACE, "synchronization") is None


def test_a_deploy_cut_off_before_its_record_is_completed_by_the_next_run(
    client: Dhis2Client, pkg: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_put = client.datastore_put

    def cut_off(namespace: str, key: str, value: Any) -> None:
        if (namespace, key) == (NAMESPACE, KEY):
            raise RequestTimedOut("DHIS2 did not answer")
        real_put(namespace, key, value)

    monkeypatch.setattr(client, "datastore_put", cut_off)
    with pytest.raises(DeployInterrupted, match="interrupted at the installed record: DHIS2 did not answer"):
        deploy(client, pkg, dependencies=DEPENDENCIES)
    assert read_record(client) is None
    cut = status(client, pkg)
    assert cut.interrupted is not None and cut.interrupted.step == "the installed record"
    monkeypatch.setattr(client, "datastore_put", real_put)
    again = deploy(client, pkg, dependencies=DEPENDENCIES)
    assert all(c.create == 0 and c.update == 0 for c in again.types.values())
    assert again.writes == 3  # the installed record and the marker: no second import
    assert status(client, pkg).interrupted is None
    record = read_record(client)
    assert record is not None and record.version == pkg["package"]["version"]
    assert status(client, pkg).drift == []


def test_after_the_commit_only_the_changed_objects_are_read_again(
    client: Dhis2Client, pkg: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(client, pkg, dependencies=DEPENDENCIES)
    element = client.get(f"dataElements/{SESSIONS_DE}")
    element["formName"] = "Edited by hand on the server"
    client.put(f"dataElements/{SESSIONS_DE}", json=element)
    asked: list[tuple[str, str]] = []
    real_get = client.get

    def get(path: str, params: Any = None) -> Any:
        if path == "metadata":
            asked.extend((k.split(":")[0], v) for k, v in (params or {}).items() if k.endswith(":filter"))
        return real_get(path, params=params)

    monkeypatch.setattr(client, "get", get)
    deploy(client, pkg, dependencies=DEPENDENCIES, overwrite_drift=True)
    read_again = [(plural, flt) for plural, flt in asked if plural == "dataElements"]
    batches = -(-len(pkg["dataElements"]) // 100)  # the diff reads 100 UIDs per request
    assert len(read_again) == batches + 1 and read_again[-1] == ("dataElements", f"id:in:[{SESSIONS_DE}]")
    assert all(times == 1 for times in Counter(asked).values())  # nothing else is read twice


def test_a_package_version_that_cannot_be_ordered_is_refused(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    odd = copy.deepcopy(pkg)
    odd["package"]["version"] = "1.0"
    with pytest.raises(ValidationFailed, match="semantic version"):
        deploy(client, odd, dependencies=DEPENDENCIES)
    assert read_record(client) is None


def test_a_new_order_of_a_sections_data_elements_is_a_change(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    # ProgramStageSection.dataElements is a list with a sort_order column in DHIS2: the order
    # is the form's order on the phone, so a reorder is an update, not "unchanged".
    deploy(client, pkg, dependencies=DEPENDENCIES)
    reordered = copy.deepcopy(pkg)
    section = next(s for s in reordered["programStageSections"] if len(s["dataElements"]) >= 2)
    section["dataElements"] = list(reversed(section["dataElements"]))
    changed = diff_package(client, reordered).changed
    assert [(c.type, c.uid, [f.property for f in c.changes]) for c in changed] == [
        ("programStageSections", section["id"], ["dataElements"])]
    report = deploy(client, reordered, dependencies=DEPENDENCIES)
    assert report.types["programStageSections"].update == 1
    stored = client.get(f"programStageSections/{section['id']}", params={"fields": "dataElements[id]"})
    assert stored["dataElements"] == [{"id": d["id"]} for d in section["dataElements"]]
    assert diff_package(client, reordered).changed == []
    assert status(client, reordered).drift == []


def test_dry_run_validates_and_writes_nothing(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    report = deploy(client, pkg, dependencies=DEPENDENCIES, dry_run=True)
    assert report.dry_run and report.writes == 0
    assert report.types["options"].create == len(pkg["options"])
    assert read_record(client) is None
    assert len(diff_package(client, pkg).changed) == sum(_count(pkg).values())


def test_downgrade_is_refused_unless_forced(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    deploy(client, pkg, dependencies=DEPENDENCIES)
    older = copy.deepcopy(pkg)
    older["package"]["version"] = "0.9.0"
    with pytest.raises(DowngradeRefused):
        deploy(client, older, dependencies=DEPENDENCIES)
    forced = deploy(client, older, dependencies=DEPENDENCIES, force=True)
    assert forced.installed_before == VERSION
    record = read_record(client)
    assert record is not None and record.version == "0.9.0"
    assert [h.version for h in record.history] == [VERSION]


def test_android_settings_are_merged_without_clobbering(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    client.datastore_put(ANDROID_NAMESPACE, "generalSettings", {"encryptDB": True, "reservedValues": 50})
    ours = {"generalSettings": {"reservedValues": 100, "matomoID": None},
            "synchronization": {"dataSync": "6h"}}
    report = deploy(client, pkg, dependencies=DEPENDENCIES, android_settings=ours)
    assert report.android_keys_written == ["generalSettings", "synchronization"]
    assert client.datastore_get(ANDROID_NAMESPACE, "generalSettings") == {
        "encryptDB": True, "reservedValues": 100, "matomoID": None}
    again = deploy(client, pkg, dependencies=DEPENDENCIES, android_settings=ours)
    assert again.unchanged_package and again.writes == 0


def test_merge_keeps_nested_keys_the_package_does_not_own() -> None:
    current = {"programSettings": {"globalSettings": {"a": 1}, "specificSettings": {"x": {"b": 2}}}}
    ours = {"programSettings": {"specificSettings": {"y": {"c": 3}}}}
    assert merge_settings(current, ours) == {"programSettings": {
        "globalSettings": {"a": 1}, "specificSettings": {"x": {"b": 2}, "y": {"c": 3}}}}


def test_import_errors_come_back_as_findings_on_the_object(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    broken = copy.deepcopy(pkg)
    option = next(o for o in broken["options"] if o["optionSet"]["id"] == DRUG_OPTION_SET)
    option["optionSet"] = {"id": "Zz9NoSuchOs"}
    with pytest.raises(ValidationFailed) as caught:
        deploy(client, broken, dependencies=DEPENDENCIES)
    findings = caught.value.findings
    assert findings, "the import report is mapped to findings"
    assert any(f.uid == option["id"] or "Zz9NoSuchOs" in f.message for f in findings)
    assert all(f.code.startswith("deploy.") for f in findings)
    assert read_record(client) is None  # atomicMode=ALL: nothing written


def test_deploy_from_the_source_folder_validates_first(client: Dhis2Client) -> None:
    item = load_source(METADATA)
    assert item.source_files and DEPENDENCIES.keys() <= item.dependencies.keys()
    report = deploy_source(client, item)
    # one COMMIT, one installed record, one write per Android Settings App key the package owns,
    # and the deploy marker: started, at the Android settings, at the record, finished
    assert report.writes == 2 + len(item.android_settings) + 4
    assert report.android_keys_written == sorted(item.android_settings)
    broken = item.model_copy(deep=True)
    next(t for t in broken.package["trackedEntityAttributes"] if t["code"] == "SCDI_PHONE")["confidential"] = False
    with pytest.raises(ValidationFailed) as caught:
        deploy_source(client, broken)
    assert [f.code for f in caught.value.findings] == ["privacy.not-confidential"]


# --- the upgrade path ---------------------------------------------------------------------


def _next_minor(pkg: dict[str, Any]) -> dict[str, Any]:
    """What a next minor version would change: a new option, a renamed form name, a new stage section."""
    new = copy.deepcopy(pkg)
    major, minor, _ = (int(part) for part in VERSION.split("-")[0].split("."))
    new["package"]["version"] = f"{major}.{minor + 1}.0"
    option_set = next(s for s in new["optionSets"] if s["id"] == DRUG_OPTION_SET)
    new["options"].append({
        "id": "UpgOption01", "code": "SCDI_DRUG_KRATOM", "name": "Kratom",
        "sortOrder": len(option_set["options"]) + 1, "optionSet": {"id": DRUG_OPTION_SET},
        "translations": [{"locale": "vi", "property": "NAME", "value": "Kratom"}]})
    option_set["options"].append({"id": "UpgOption01"})
    element = next(d for d in new["dataElements"] if d["id"] == SESSIONS_DE)
    element["formName"] = "Counselling sessions since the last follow-up"
    for translation in element["translations"]:
        if translation["property"] == "FORM_NAME":
            translation["value"] = "Số lần được tư vấn từ lần theo dõi trước"
    # the housing question moves out of "Employment and housing" into a section of its own
    stage = next(s for s in new["programStages"] if s["id"] == FOLLOW_UP_STAGE)
    sections = [s for s in new["programStageSections"] if s["programStage"]["id"] == FOLLOW_UP_STAGE]
    split = next(s for s in sections if {"id": HOUSING_DE} in s["dataElements"])
    split["dataElements"] = [d for d in split["dataElements"] if d["id"] != HOUSING_DE]
    new["programStageSections"].append({
        "id": "UpgSection1", "name": "Housing", "sortOrder": len(sections) + 1,
        "programStage": {"id": FOLLOW_UP_STAGE}, "dataElements": [{"id": HOUSING_DE}],
        "translations": [{"locale": "vi", "property": "NAME", "value": "Nhà ở"}]})
    stage["programStageSections"].append({"id": "UpgSection1"})
    return new


MEMBER_ATTRIBUTES = [{"attribute": "sc5XoG7VGuZ", "value": "HN-0001"},
                     {"attribute": "P9d0Nw0DNPa", "value": "SCDI_SEX_FEMALE"},
                     {"attribute": "EkiN9ai1BCe", "value": "1990"},
                     {"attribute": "braBuCkKarh", "value": "SCDI_SITUATION_AFTER_VOLUNTARY"}]
# the follow-up's compulsory fields (used in the last 30 days, methadone, work, housing)
FOLLOW_UP_COMPULSORY = [{"dataElement": "OfggCR3QsAP", "value": "true"},
                        {"dataElement": "NOwVTdweXT2", "value": "SCDI_METHADONE_STATUS_NOT_ON"},
                        {"dataElement": "toRntY7x7YY", "value": "SCDI_EMPLOYMENT_CASUAL"},
                        {"dataElement": HOUSING_DE, "value": "SCDI_HOUSING_WITH_FAMILY"}]


def _enter_member(client: Dhis2Client, org_unit: str, drug_code: str) -> str:
    payload = {"trackedEntities": [{
        "trackedEntity": "UpgMember01", "trackedEntityType": "jSpQsMth1l8", "orgUnit": org_unit,
        "attributes": MEMBER_ATTRIBUTES,
        "enrollments": [{
            "enrollment": "UpgEnroll01", "program": MEMBER_PROGRAM, "orgUnit": org_unit,
            "enrolledAt": "2025-01-15", "occurredAt": "2025-01-15", "status": "ACTIVE",
            "attributes": MEMBER_ATTRIBUTES,
            "events": [{"event": "UpgEvent001", "programStage": FOLLOW_UP_STAGE, "program": MEMBER_PROGRAM,
                        "orgUnit": org_unit, "occurredAt": "2025-02-15", "status": "COMPLETED",
                        "dataValues": [{"dataElement": SESSIONS_DE, "value": "3"},
                                       {"dataElement": "ja5sap0PX66", "value": drug_code},
                                       *FOLLOW_UP_COMPULSORY]}]}]}]}
    answer = client.post("tracker", json=payload, params={"async": "false", "atomicMode": "ALL"})
    assert answer["status"] == "OK", answer
    return "UpgMember01"


def test_upgrade_keeps_data_entered_under_the_earlier_version_valid(
    client: Dhis2Client, pkg: dict[str, Any]
) -> None:
    deploy(client, pkg, dependencies=DEPENDENCIES)
    org_unit = next(o["id"] for o in client.get("organisationUnits", params={
        "level": 3, "fields": "id", "paging": "false"})["organisationUnits"])
    program = client.get(f"programs/{MEMBER_PROGRAM}")
    program["organisationUnits"] = [{"id": org_unit}]
    client.put(f"programs/{MEMBER_PROGRAM}", json=program)
    drug_option = next(o for o in pkg["options"] if o["optionSet"]["id"] == DRUG_OPTION_SET)
    member = _enter_member(client, org_unit, drug_option["code"])

    upgraded = _next_minor(pkg)
    report = deploy(client, upgraded, dependencies=DEPENDENCIES)
    assert report.installed_before == VERSION
    assert report.types["options"].create == 1
    assert report.types["programStageSections"].create == 1
    assert report.types["dataElements"].update == 1
    assert report.types["optionSets"].update == 1
    assert report.types["programStages"].update == 1
    assert report.types["programStageSections"].update == 1  # the section that gave up housing
    # the program's org unit assignment belongs to the instance and survives the update
    assert {o["id"] for o in client.get(f"programs/{MEMBER_PROGRAM}")["organisationUnits"]} == {org_unit}

    entity = client.get(f"tracker/trackedEntities/{member}", params={
        "program": MEMBER_PROGRAM, "fields": "trackedEntity,trackedEntityType,orgUnit,attributes,"
        "enrollments[enrollment,program,orgUnit,enrolledAt,occurredAt,status,"
        "events[event,programStage,program,orgUnit,occurredAt,status,dataValues]]"})
    values = {dv["dataElement"]: dv["value"] for e in entity["enrollments"] for ev in e["events"]
              for dv in ev["dataValues"]}
    assert values == {SESSIONS_DE: "3", "ja5sap0PX66": drug_option["code"],
                      **{v["dataElement"]: v["value"] for v in FOLLOW_UP_COMPULSORY}}
    revalidated = client.post("tracker", json={"trackedEntities": [entity]}, params={
        "async": "false", "importMode": "VALIDATE", "atomicMode": "ALL"})
    assert revalidated["status"] == "OK", revalidated
    assert status(client, upgraded).relation == "same"
    assert read_record(client).history[-1].version == VERSION  # type: ignore[union-attr]


def test_deploy_from_a_source_folder_runs_its_rule_test_cases(fresh_sandbox, tmp_path):
    """A rule whose shipped test case fails stops the deploy before anything is written."""
    import json
    import shutil

    import requests

    from scdi.connector.metadata.package import default_root

    folder = tmp_path / "metadata"
    shutil.copytree(str(default_root()), folder, ignore=shutil.ignore_patterns("__pycache__"))
    tests_file = folder / "rule-tests" / "scdi_group.json"
    document = json.loads(tests_file.read_text(encoding="utf-8"))
    firing = next(case for case in document["cases"] if case["expect"])
    firing["expect"] = []  # claim the rule does not fire where it does
    tests_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    item = load_source(folder)
    assert item.rule_tests and any(p.endswith("scdi_group.json") for p in item.rule_tests)
    settings = ServerSettings(base_url=fresh_sandbox.url, username="admin", password="district")
    requests.delete(f"{fresh_sandbox.url}/__sandbox__/requests", timeout=5)
    with Dhis2Client(settings) as client, pytest.raises(ValidationFailed) as caught:
        deploy_source(client, item)
    checks = {f.code for f in caught.value.findings}
    assert any(check.startswith("behaviour.") for check in checks), checks
    seen = requests.get(f"{fresh_sandbox.url}/__sandbox__/requests", timeout=5).json()["requests"]
    assert [r for r in seen if r["method"] != "GET"] == []


def test_changed_content_under_the_same_version_is_pointed_out(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    deploy(client, pkg, dependencies=DEPENDENCIES)
    changed = copy.deepcopy(pkg)
    changed["dataElements"][0]["formName"] = "Renamed without a new version"
    report = deploy(client, changed, dependencies=DEPENDENCIES)
    assert any("different content" in n for n in report.notes), report.notes
    unchanged = deploy(client, changed, dependencies=DEPENDENCIES)
    assert not any("different content" in n for n in unchanged.notes)


@pytest.mark.parametrize("release", ["2.41", "2.42", "2.43"])
def test_the_second_deploy_writes_nothing_and_diff_is_empty_on_every_release(
    sandbox_factory: Any, built_package: dict[str, Any], release: str
) -> None:
    """The package sends properties a release does not store (2.41 keeps no tracked entity
    type `shortName`): only what the release stores is compared, so nothing is rewritten."""
    running = sandbox_factory(version=release)
    pkg = copy.deepcopy(built_package)
    assert any("shortName" in t for t in pkg["trackedEntityTypes"])
    with Dhis2Client(ServerSettings(base_url=running.url, username="admin", password="district")) as client:
        deploy(client, copy.deepcopy(pkg), dependencies=DEPENDENCIES)
        second = deploy(client, copy.deepcopy(pkg), dependencies=DEPENDENCIES)
        assert second.unchanged_package and second.writes == 0
        assert diff_package(client, pkg).changed == []
        assert status(client, pkg).drift == []


def test_a_changed_sharing_access_is_an_update(client: Dhis2Client, pkg: dict[str, Any]) -> None:
    """`access` is a server-managed field of an object, but inside a sharing entry it is the
    access string itself: taking a group's data read away must reach the server."""
    deploy(client, pkg, dependencies=DEPENDENCIES)
    changed = copy.deepcopy(pkg)
    program = next(p for p in changed["programs"] if p["id"] == MEMBER_PROGRAM)
    group, entry = next(iter(program["sharing"]["userGroups"].items()))
    entry["access"] = "r-------" if entry["access"] != "r-------" else "r-r-----"
    report = deploy(client, changed, dependencies=DEPENDENCIES)
    assert report.types["programs"].update == 1
    stored = client.get(f"programs/{MEMBER_PROGRAM}", params={"fields": "sharing"})["sharing"]
    assert stored["userGroups"][group]["access"] == entry["access"]


@pytest.mark.parametrize(("release", "changed"), [("2.41", False), ("2.42", True), ("2.43", False)])
def test_sharing_external_is_compared_where_the_release_has_it(release: str, changed: bool) -> None:
    """dhis-api `user/sharing/Sharing.java` has `external` at 2.42.5 only: a 2.41 or 2.43 server
    exports sharing without it, which is no change from a package's `external: false`."""
    ours = {"id": "deUid000001", "sharing": {"public": "r-------", "external": True, "userGroups": {}}}
    theirs = {"id": "deUid000001", "sharing": {"public": "r-------", "userGroups": {}}}
    assert bool(compare(ours, theirs, "dataElements", release)) is changed
    assert compare(ours, {**theirs, "sharing": {**theirs["sharing"], "public": "rw------"}},
                   "dataElements", release)
