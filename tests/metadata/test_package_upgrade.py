"""1.0.0 → 1.1.0 on a server (the sandbox): the upgrade keeps the data entered under 1.0.0, a
second deploy writes nothing, and an official who read member records under 1.0.0 reads none
under the current package.

The earlier release is the built 1.0.0 file kept in `data/release-1.0.0/` (see its README), so
the test deploys exactly what servers received, whatever the depth of the git history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.metadata.deploy import deploy
from scdi.connector.metadata.installed import read_record
from scdi.connector.metadata.source import load_source, read_android_settings, read_dependencies

from .conftest import REPO_METADATA

RELEASE_1_0_0 = Path(__file__).with_name("data") / "release-1.0.0"
MEMBER, INTAKE, FOLLOW_UP, REFERRAL = "Kyzu6Eqr46f", "mc03B9W80AL", "CNrmKcCtSXp", "oZsmiXP6KG8"
OUTREACH, SESSION, PERSON = "qwDpRjzhCPS", "CdoX31JOrFo", "jSpQsMth1l8"
MEMBER_CODE, SEX, SITUATION = "sc5XoG7VGuZ", "P9d0Nw0DNPa", "braBuCkKarh"
SESSIONS_DE, DRUG_USED_DE, HOUSING_DE = "hCWuj0PxkOn", "ja5sap0PX66", "C3AVyLd8Wnu"
REF_SERVICE_DE, SESSION_KIND_DE, CLIENTS_MALE_DE = "Ai1AcoFqXDZ", "rBaHgIznF50", "zITe7kKqSgU"
PROVINCE_ROLE, OFFICIALS_GROUP = "mMHGgie0WXM", "yZrIB3xcHCj"
OFFICIAL = ("officer.tinh", "Synthetic-Pass-1")


def _release_1_0_0() -> dict[str, Any]:
    return json.loads((RELEASE_1_0_0 / "scdi-groups-1.0.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def admin(fresh_sandbox: Any) -> Iterator[Dhis2Client]:
    with Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="admin", password="district")) as client:
        yield client


def _deploy_1_0_0(client: Dhis2Client) -> None:
    report = deploy(client, _release_1_0_0(), dependencies=read_dependencies(RELEASE_1_0_0 / "dependencies.json"),
                    android_settings=read_android_settings(RELEASE_1_0_0 / "android-settings"))
    assert report.version == "1.0.0" and report.installed_before is None


def _deploy_current(client: Dhis2Client) -> Any:
    item = load_source(REPO_METADATA)
    return deploy(client, item.package, dependencies=item.dependencies, android_settings=item.android_settings,
                  source_files=item.source_files)


def _units(client: Dhis2Client) -> tuple[str, str]:
    """A commune (where the synthetic group works) and its province."""
    commune = client.get("organisationUnits", params={"level": 3, "fields": "id,parent", "paging": "false"})[
        "organisationUnits"][0]
    return commune["id"], commune["parent"]["id"]


def _assign(client: Dhis2Client, commune: str) -> None:
    for program in (MEMBER, OUTREACH):
        obj = client.get(f"programs/{program}")
        obj["organisationUnits"] = [{"id": commune}]
        client.put(f"programs/{program}", json=obj)


def _enter_1_0_0_records(client: Dhis2Client, commune: str) -> None:
    """Synthetic records as 1.0.0 accepted them: a member with intake, follow-up and referral
    (none of 1.1.0's new compulsory fields filled in) and an outreach session."""
    attributes = [{"attribute": MEMBER_CODE, "value": "TEST-001"},
                  {"attribute": SEX, "value": "SCDI_SEX_MALE"},
                  {"attribute": SITUATION, "value": "SCDI_SITUATION_AFTER_COMMUNITY"}]
    member = {
        "trackedEntity": "UpgPerson01", "trackedEntityType": PERSON, "orgUnit": commune, "attributes": attributes,
        "enrollments": [{
            "enrollment": "UpgEnrolm01", "program": MEMBER, "orgUnit": commune, "status": "ACTIVE",
            "enrolledAt": "2025-01-10", "occurredAt": "2025-01-10", "attributes": attributes,
            "events": [
                {"event": "UpgIntake01", "programStage": INTAKE, "program": MEMBER, "orgUnit": commune,
                 "occurredAt": "2025-01-10", "status": "COMPLETED", "dataValues": []},
                {"event": "UpgFollow01", "programStage": FOLLOW_UP, "program": MEMBER, "orgUnit": commune,
                 "occurredAt": "2025-02-10", "status": "COMPLETED",
                 "dataValues": [{"dataElement": SESSIONS_DE, "value": "2"},
                                {"dataElement": HOUSING_DE, "value": "SCDI_HOUSING_WITH_FAMILY"}]},
                {"event": "UpgRefer001", "programStage": REFERRAL, "program": MEMBER, "orgUnit": commune,
                 "occurredAt": "2025-02-11", "status": "ACTIVE",
                 "dataValues": [{"dataElement": REF_SERVICE_DE, "value": "SCDI_REFERRAL_SERVICE_METHADONE"}]},
            ]}]}
    session = {"event": "UpgSessio01", "program": OUTREACH, "programStage": SESSION, "orgUnit": commune,
               "occurredAt": "2025-02-12", "status": "COMPLETED",
               "dataValues": [{"dataElement": SESSION_KIND_DE, "value": "SCDI_SESSION_KIND_GROUP"},
                              {"dataElement": CLIENTS_MALE_DE, "value": "6"}]}
    answer = client.post("tracker", json={"trackedEntities": [member], "events": [session]},
                         params={"async": "false", "atomicMode": "ALL"})
    assert answer["status"] == "OK", answer


def _records_as_stored(client: Dhis2Client) -> dict[str, Any]:
    entity = client.get("tracker/trackedEntities/UpgPerson01", params={
        "program": MEMBER, "fields": "attributes[attribute,value],enrollments[enrollment,status,"
        "events[event,programStage,occurredAt,status,dataValues[dataElement,value]]]"})
    session = client.get("tracker/events/UpgSessio01",
                         params={"fields": "event,occurredAt,dataValues[dataElement,value]"})
    return {"entity": entity, "session": session}


def _add_official(client: Dhis2Client, province: str) -> None:
    """A province official as the connector would provision one: the province role, the
    province as capture, search and data view org unit, and a member of the officials' group
    (membership is the group's `users`: DHIS2 ignores `userGroups` on an imported user)."""
    user = {"id": "UpgOfficer1", "username": OFFICIAL[0], "password": OFFICIAL[1], "firstName": "Cán bộ",
            "surname": "Tỉnh", "userRoles": [{"id": PROVINCE_ROLE}],
            "organisationUnits": [{"id": province}], "teiSearchOrganisationUnits": [{"id": province}],
            "dataViewOrganisationUnits": [{"id": province}]}
    answer = client.post("metadata", json={"users": [user]}, params={"importStrategy": "CREATE_AND_UPDATE"})
    assert answer["status"] == "OK", answer
    group = client.get(f"userGroups/{OFFICIALS_GROUP}")
    group["users"] = [{"id": "UpgOfficer1"}]
    client.put(f"userGroups/{OFFICIALS_GROUP}", json=group)


def _what_the_official_reads(url: str, province: str) -> dict[str, int]:
    """Member records the official gets from the tracker API (HTTP errors count as nothing)."""
    seen: dict[str, int] = {}
    for path, key, params in (
        ("trackedEntities", "trackedEntities", {"program": MEMBER}),
        ("trackedEntities", "trackedEntities", {"trackedEntityType": PERSON}),
        ("enrollments", "enrollments", {"program": MEMBER}),
        ("events", "events", {"program": MEMBER}),
        ("events", "events", {"program": OUTREACH}),
    ):
        answer = requests.get(f"{url}/api/tracker/{path}", auth=OFFICIAL, timeout=30,
                              params={**params, "orgUnits": province, "orgUnitMode": "DESCENDANTS"})
        body = answer.json() if answer.ok else {}
        items = body.get(key) if key in body else body.get("instances", [])
        seen[f"{path}?{next(iter(params.values()))}"] = len(items or []) if answer.ok else 0
    single = requests.get(f"{url}/api/tracker/trackedEntities/UpgPerson01", params={"program": MEMBER},
                          auth=OFFICIAL, timeout=30)
    seen["trackedEntities/UpgPerson01"] = int(single.ok)
    return seen


def test_upgrade_from_1_0_0_keeps_the_data_and_a_second_deploy_writes_nothing(admin: Dhis2Client) -> None:
    _deploy_1_0_0(admin)
    commune, _ = _units(admin)
    _assign(admin, commune)
    _enter_1_0_0_records(admin, commune)
    before = _records_as_stored(admin)

    upgrade = _deploy_current(admin)
    current = json.loads((REPO_METADATA / "package.json").read_text(encoding="utf-8"))["package"]["version"]
    assert upgrade.installed_before == "1.0.0" and upgrade.version == current != "1.0.0"
    assert sum(c.create for c in upgrade.types.values()) > 0 and sum(c.update for c in upgrade.types.values()) > 0
    assert upgrade.removed_on_server == [], "1.1.0 removes nothing of 1.0.0"
    assert _records_as_stored(admin) == before, "the records of 1.0.0 are kept as they were"
    for program in (MEMBER, OUTREACH):  # the instance's org unit assignments survive the update
        assert [o["id"] for o in admin.get(f"programs/{program}")["organisationUnits"]] == [commune]
    record = read_record(admin)
    assert record is not None and record.version == current and [h.version for h in record.history] == ["1.0.0"]

    again = _deploy_current(admin)
    assert again.unchanged_package and again.writes == 0


def test_an_official_reads_no_member_record_after_the_upgrade(admin: Dhis2Client, fresh_sandbox: Any) -> None:
    _deploy_1_0_0(admin)
    commune, province = _units(admin)
    _assign(admin, commune)
    _enter_1_0_0_records(admin, commune)
    _add_official(admin, province)
    under_1_0_0 = _what_the_official_reads(fresh_sandbox.url, province)
    # the check can fail: under 1.0.0 (data read on the programs) the official reads the records
    assert under_1_0_0["trackedEntities?" + MEMBER] == 1 and under_1_0_0["events?" + MEMBER] == 3, under_1_0_0

    _deploy_current(admin)
    after = _what_the_official_reads(fresh_sandbox.url, province)
    assert set(after.values()) == {0}, after
    # Event and enrollment analytics (/api/analytics/events/query, program-indicator charts) need
    # data read on the program (E7121) and F_VIEW_EVENT_ANALYTICS (E7217): the official has
    # neither (dhis-service-analytics security/DefaultAnalyticsSecurityManager#decideAccessEventQuery).
    me = requests.get(f"{fresh_sandbox.url}/api/me", params={"fields": "authorities,userGroups[id]"},
                      auth=OFFICIAL, timeout=30).json()
    assert "F_VIEW_EVENT_ANALYTICS" not in me["authorities"]
    sharing = admin.get(f"programs/{MEMBER}", params={"fields": "sharing"})["sharing"]
    assert sharing["userGroups"][OFFICIALS_GROUP]["access"][2] == "-"
    assert sharing["public"][2] == "-"
