"""Provisioning the synthetic 70-group registry on the sandbox, over real HTTP, on both trees."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.metadata.deploy import deploy
from scdi.connector.metadata.source import load_source
from scdi.connector.provision.findings import Severity
from scdi.connector.provision.plan import Action, derive_uid, group_user_group_code
from scdi.connector.provision.run import provision
from tests.connector.provision.conftest import Deployed
from tests.connector.provision.synthetic_registry import SyntheticRow, synthetic_registry, write_xlsx

TODAY = dt.date(2026, 1, 15)
GROUP_PROGRAM, MEMBER_PROGRAM, OUTREACH_PROGRAM = "FbpjxeaIDk0", "Kyzu6Eqr46f", "qwDpRjzhCPS"
LEADER_ROLE, DATA_CAPTURE = "QDokryaALvn", "JCrdrZfYYo1"
OUTREACH_KINDS = {"Điểm tư vấn", "Counselling point", "SCDI_GROUP_KIND_COUNSELLING_POINT",
                  "Tổ tư vấn, tiếp cận cộng đồng", "Outreach team", "to tu van"}


def _units(server: Deployed, codes: list[str]) -> dict[str, dict[str, Any]]:
    body = server.client.get("organisationUnits", params={
        "filter": f"code:in:[{','.join(codes)}]", "paging": "false",
        "fields": "id,code,name,level,openingDate,closedDate,parent[id,code]"})
    return {u["code"]: u for u in body["organisationUnits"]}


def _users(server: Deployed, names: list[str]) -> dict[str, dict[str, Any]]:
    body = server.client.get("users", params={
        "filter": f"username:in:[{','.join(names)}]", "paging": "false",
        "fields": "id,username,disabled,email,phoneNumber,userRoles[id],organisationUnits[id],"
                  "teiSearchOrganisationUnits[id,code],dataViewOrganisationUnits[id]"})
    return {u["username"]: u for u in body["users"]}


def _registry(server: Deployed, tmp_path: Path, prefix: str, groups: int = 70
              ) -> tuple[Deployed, list[SyntheticRow], Path]:
    rows = synthetic_registry(server.tree, groups=groups, prefix=prefix)
    path = write_xlsx(rows, tmp_path / f"registry-{prefix}.xlsx")
    return server, rows, path


@pytest.fixture(params=["current", "legacy"])
def either_server(request: pytest.FixtureRequest) -> Deployed:
    return request.getfixturevalue(f"{request.param}_server")  # type: ignore[no-any-return]


def test_seventy_groups_provision_cleanly_and_a_second_run_writes_nothing(either_server: Deployed,
                                                                         tmp_path: Path) -> None:
    server, rows, path = _registry(either_server, tmp_path, "SEVENTY")
    tree = server.tree
    good = [r for r in rows if r.expect == "ok"]
    bad = [r for r in rows if r.expect != "ok"]
    assert len(good) == 70 and len({r.province_code for r in good}) >= 33

    server.clear_log()
    dry = provision(server.client, path, dry_run=True, today=TODAY)
    assert dry.writes == 0 and dry.plan.counts["create"] == 70
    assert [r["path"] for r in server.writes_logged()] == ["/api/metadata"]  # VALIDATE only
    server.clear_log()

    report = provision(server.client, path, today=TODAY)
    assert report.plan.counts == {"create": 70, "update": 0, "unchanged": 0, "deactivate": 0,
                                  "invalid": len(bad)}
    assert report.ok is False  # the bad rows are findings
    assert report.writes == 2  # one metadata COMMIT, one tracker COMMIT
    assert sorted(r["path"] for r in server.writes_logged() if r["method"] == "POST") == sorted(
        ["/api/metadata"] * 2 + ["/api/tracker"] * 2)  # VALIDATE and COMMIT of each
    assert {c.username for c in report.credentials} == {r.leader_username for r in good}

    # bad rows: a finding with candidates, nothing on the server
    plans = {g.row: g for g in report.plan.groups}
    for offset, row in enumerate(rows, start=2):
        group = plans[offset]
        assert group.group_code == row.group_code.upper()
        if row.expect == "ok":
            assert group.action is Action.CREATE
            continue
        assert group.action is Action.INVALID
        errors = [f for f in group.findings if f.severity is Severity.ERROR]
        assert errors and all(f.candidates and f.column in ("province", "district", "commune") for f in errors)
        assert any(row.expect in f.code for f in errors)
    assert _units(server, [r.group_code for r in bad]) == {}
    assert _users(server, [r.leader_username for r in bad]) == {}

    # what each group got
    units = _units(server, [r.group_code.upper() for r in good])
    communes = _units(server, [r.commune_code for r in good if r.commune_code])
    users = _users(server, [r.leader_username for r in good])
    level = 4 if tree == "current" else 5
    assigned = {p: {u["id"] for u in server.client.get(f"programs/{p}", params={"fields": "organisationUnits[id]"})[
        "organisationUnits"]} for p in (GROUP_PROGRAM, MEMBER_PROGRAM, OUTREACH_PROGRAM)}
    for row in good:
        unit = units[row.group_code.upper()]
        assert unit["level"] == level and unit["parent"]["code"] == row.commune_code
        assert unit["name"] == row.group_name and "closedDate" not in unit
        programs = {p for p, units_of in assigned.items() if unit["id"] in units_of}
        assert {GROUP_PROGRAM, MEMBER_PROGRAM} <= programs
        assert (OUTREACH_PROGRAM in programs) == (row.kind in OUTREACH_KINDS)
        leader = users[row.leader_username]
        assert leader["organisationUnits"] == [{"id": unit["id"]}]
        assert [o["code"] for o in leader["teiSearchOrganisationUnits"]] == [row.commune_code]
        assert leader["dataViewOrganisationUnits"] == [{"id": unit["id"]}]  # analytics: the group only
        assert {r["id"] for r in leader["userRoles"]} == {LEADER_ROLE} and leader["disabled"] is False
        assert communes[row.commune_code]["id"] == unit["parent"]["id"]
    groups = server.client.get("userGroups", params={"filter": "code:like:SCDI_GRP_SEVENTY-", "paging": "false",
                                                     "fields": "code,users[id],sharing"})["userGroups"]
    assert len(groups) == 70
    for group in groups:
        assert len(group["users"]) == 1
        assert group["sharing"]["public"] == "--------"
    capture = server.client.get(f"userGroups/{DATA_CAPTURE}", params={"fields": "users[id]"})["users"]
    assert {u["id"] for u in users.values()} <= {u["id"] for u in capture}
    records = server.client.get("tracker/trackedEntities", params={
        "program": GROUP_PROGRAM, "orgUnitMode": "ACCESSIBLE", "paging": "false",
        "fields": "trackedEntity,orgUnit,enrollments[program,status]"})["trackedEntities"]
    ours = {u["id"] for u in units.values()}
    assert sorted(r["orgUnit"] for r in records if r["orgUnit"] in ours) == sorted(ours)
    assert all(r["enrollments"][0]["status"] == "ACTIVE" for r in records)

    # a second run: 0 write requests, counted by the client and seen by the server
    server.clear_log()
    again = provision(server.client, path, today=TODAY)
    assert again.writes == 0 and server.writes_logged() == []
    assert again.plan.counts["unchanged"] == 70 and again.credentials == []


def test_dry_run_writes_nothing(current_server: Deployed, tmp_path: Path) -> None:
    server, rows, path = _registry(current_server, tmp_path, "DRY", groups=10)
    server.clear_log()
    report = provision(server.client, path, dry_run=True, today=TODAY)
    assert report.writes == 0 and report.dry_run and report.credentials == []
    posted = server.writes_logged()
    assert [r["path"] for r in posted] == ["/api/metadata"]  # the VALIDATE pass only
    assert _units(server, [r.group_code.upper() for r in rows]) == {}


def _rewrite(rows: list[SyntheticRow], path: Path) -> Path:
    return write_xlsx(rows, path)


def test_a_changed_row_changes_only_what_changed(current_server: Deployed, tmp_path: Path) -> None:
    server, rows, path = _registry(current_server, tmp_path, "CHG", groups=12)
    provision(server.client, path, today=TODAY)
    rows = [r for r in rows if r.expect == "ok"]
    renamed, sponsor, moved, mail = rows[0], rows[1], rows[2], rows[3]
    renamed.group_name = "Câu lạc bộ Tên mới"
    sponsor.sponsor = "Khác"
    target_commune = next(c for c in ("Phường Sài Gòn", "Xã Ba Vì") if c != moved.commune)
    moved.province, moved.commune = ("Hồ Chí Minh", "Phường Sài Gòn") if target_commune == "Phường Sài Gòn" else (
        "Hà Nội", "Xã Ba Vì")
    mail.leader_email = "new-address@example.org"
    server.clear_log()
    report = provision(server.client, _rewrite(rows, tmp_path / "changed.xlsx"), today=TODAY)
    changed = {g.group_code: g for g in report.plan.groups if g.action is not Action.UNCHANGED}
    assert set(changed) == {renamed.group_code.upper(), sponsor.group_code.upper(), moved.group_code.upper(),
                            mail.group_code.upper()}
    assert {c.column for c in changed[renamed.group_code.upper()].changes} == {"group_name"}
    assert {(c.part, c.column) for c in changed[sponsor.group_code.upper()].changes} == {("record", "sponsor")}
    assert {(c.part, c.column) for c in changed[moved.group_code.upper()].changes} == {
        ("org unit", "commune"), ("leader", None)}  # parent and the leader's search org unit
    mail_changes = changed[mail.group_code.upper()].changes
    assert [(c.part, c.column, c.before, c.after) for c in mail_changes] == [("leader", "leader_email", "…", "…")]
    assert report.writes == 2 and report.credentials == []
    unit = _units(server, [renamed.group_code.upper(), moved.group_code.upper()])
    assert unit[renamed.group_code.upper()]["name"] == "Câu lạc bộ Tên mới"
    assert unit[moved.group_code.upper()]["parent"]["code"] in ("VN-79-C001", "VN-01-C006")
    assert _users(server, [mail.leader_username])[mail.leader_username]["email"] == "new-address@example.org"
    assert provision(server.client, tmp_path / "changed.xlsx", today=TODAY).writes == 0


def test_deactivating_closes_the_org_unit_and_disables_the_leader(legacy_server: Deployed, tmp_path: Path) -> None:
    server, rows, path = _registry(legacy_server, tmp_path, "OFF", groups=8)
    first = provision(server.client, path, today=TODAY)
    rows = [r for r in rows if r.expect == "ok"]
    stopped = rows[0]
    stopped.active = "Không"
    report = provision(server.client, _rewrite(rows, tmp_path / "stopped.xlsx"), today=TODAY)
    [group] = [g for g in report.plan.groups if g.action is not Action.UNCHANGED]
    assert group.action is Action.DEACTIVATE and group.group_code == stopped.group_code.upper()
    assert {(c.part, c.field) for c in group.changes} == {("org unit", "closed date"), ("leader", "active")}
    code = stopped.group_code.upper()
    unit = _units(server, [code])[code]
    assert unit["closedDate"].startswith(TODAY.isoformat())
    assert _users(server, [stopped.leader_username])[stopped.leader_username]["disabled"] is True
    # nothing deleted: org unit, record, user group and user are all still there
    assert server.client.get(f"userGroups/{derive_uid('userGroup', code)}", params={"fields": "code"})["code"] == (
        group_user_group_code(code))
    records = server.client.get("tracker/trackedEntities", params={
        "program": GROUP_PROGRAM, "orgUnits": unit["id"], "fields": "trackedEntity"})
    assert len(records["trackedEntities"]) == 1
    credential = next(c for c in first.credentials if c.username == stopped.leader_username)
    session = server.login(credential.username, credential.password.get_secret_value())
    assert session.get(f"{server.url}/api/me").status_code == 401
    assert provision(server.client, tmp_path / "stopped.xlsx", today=TODAY).writes == 0

    stopped.active = "Có"
    back = provision(server.client, _rewrite(rows, tmp_path / "back.xlsx"), today=TODAY)
    assert [g.action for g in back.plan.groups if g.group_code == code] == [Action.UPDATE]
    assert "closedDate" not in _units(server, [code])[code]
    assert _users(server, [stopped.leader_username])[stopped.leader_username]["disabled"] is False


def test_deactivation_ends_sessions_through_the_users_endpoint(current_server: Deployed, tmp_path: Path) -> None:
    server, rows, path = _registry(current_server, tmp_path, "SESS", groups=3)
    first = provision(server.client, path, today=TODAY)
    rows = [r for r in rows if r.expect == "ok"]
    user_id = _users(server, [rows[0].leader_username])[rows[0].leader_username]["id"]
    rows[0].active = "Không"
    server.clear_log()
    report = provision(server.client, _rewrite(rows, tmp_path / "off.xlsx"), today=TODAY)
    posted = [r["path"] for r in server.writes_logged()]
    assert posted.count(f"/api/users/{user_id}/disabled") == 1
    assert posted.index(f"/api/users/{user_id}/disabled") > posted.index("/api/metadata")  # after the commit
    assert report.writes == 2 and not any("open sessions" in note for note in report.notes)
    credential = next(c for c in first.credentials if c.username == rows[0].leader_username)
    assert server.login(credential.username, credential.password.get_secret_value()).get(
        f"{server.url}/api/me").status_code == 401


def test_a_leader_disabled_by_hand_still_has_their_sessions_ended(current_server: Deployed, tmp_path: Path) -> None:
    """An account disabled through the import (or the Users app) before the registry says so keeps its
    sessions (dhis2-core UserObjectBundleHook ends them only when roles change); closing the group ends them."""
    server, rows, path = _registry(current_server, tmp_path, "HAND", groups=3)
    provision(server.client, path, today=TODAY)
    rows = [r for r in rows if r.expect == "ok"]
    user_id = _users(server, [rows[0].leader_username])[rows[0].leader_username]["id"]
    user = server.client.get(f"users/{user_id}", params={"fields": ":owner"})
    server.client.post("metadata", json={"users": [{**user, "disabled": True}]})
    rows[0].active = "Không"
    server.clear_log()
    report = provision(server.client, _rewrite(rows, tmp_path / "off.xlsx"), today=TODAY)
    [group] = [g for g in report.plan.groups if g.action is not Action.UNCHANGED]
    assert group.action is Action.DEACTIVATE
    assert f"/api/users/{user_id}/disabled" in [r["path"] for r in server.writes_logged()]
    assert provision(server.client, tmp_path / "off.xlsx", today=TODAY).writes == 0


def test_sharing_drift_is_put_back_through_api_sharing(current_server: Deployed, tmp_path: Path) -> None:
    server, rows, path = _registry(current_server, tmp_path, "SHARE", groups=3)
    provision(server.client, path, today=TODAY)
    code = rows[0].group_code.upper()
    uid = derive_uid("userGroup", code)
    group = server.client.get(f"userGroups/{uid}", params={"fields": ":owner"})
    group["sharing"]["public"] = "r-------"
    server.client.post("metadata", json={"userGroups": [group]})
    report = provision(server.client, path, today=TODAY)
    assert report.writes == 1
    assert server.client.get(f"userGroups/{uid}", params={"fields": "sharing"})["sharing"]["public"] == "--------"
    assert provision(server.client, path, today=TODAY).writes == 0


def _member(org_unit: str, code: str) -> dict[str, Any]:
    """A member with every attribute the package's member program makes mandatory (an option code
    for coded ones), so that a refusal can only be about where it is captured."""
    package = load_source().package
    program = next(p for p in package["programs"] if p["code"] == "SCDI_MEMBER")
    attributes = {a["id"]: a for a in package["trackedEntityAttributes"]}
    values = []
    for link in program["programTrackedEntityAttributes"]:
        attribute = attributes[link["trackedEntityAttribute"]["id"]]
        if not link.get("mandatory"):
            continue
        if attribute.get("optionSet"):
            value = min((o for o in package["options"] if o["optionSet"]["id"] == attribute["optionSet"]["id"]),
                        key=lambda o: o.get("sortOrder", 0))["code"]
        else:
            value = {"TEXT": code, "INTEGER_POSITIVE": "1990", "DATE": "1990-01-01"}[attribute["valueType"]]
        values.append({"attribute": attribute["id"], "value": value})
    return {"trackedEntityType": program["trackedEntityType"]["id"], "orgUnit": org_unit, "enrollments": [{
        "program": program["id"], "orgUnit": org_unit, "enrolledAt": "2026-01-10", "occurredAt": "2026-01-10",
        "attributes": values}]}


def _compulsory_values(stage_uid: str) -> list[dict[str, str]]:
    """A value for every data element the package makes compulsory on the stage (the first
    option of coded ones, a small number or a date otherwise)."""
    package = load_source().package
    stage = next(s for s in package["programStages"] if s["id"] == stage_uid)
    elements = {d["id"]: d for d in package["dataElements"]}
    values = []
    for link in stage["programStageDataElements"]:
        if not link.get("compulsory"):
            continue
        element = elements[link["dataElement"]["id"]]
        if element.get("optionSet"):
            value = min((o for o in package["options"] if o["optionSet"]["id"] == element["optionSet"]["id"]),
                        key=lambda o: o.get("sortOrder", 0))["code"]
        else:
            value = {"DATE": "2025-10-01", "BOOLEAN": "false", "TRUE_ONLY": "true"}.get(element["valueType"], "1")
        values.append({"dataElement": element["id"], "value": value})
    return values


def test_the_leader_logs_in_and_captures_only_in_their_group(current_server: Deployed, tmp_path: Path) -> None:
    _, rows, _ = _registry(current_server, tmp_path, "LOGIN", groups=3)
    rows = [r for r in rows if r.expect == "ok"]
    # a second group in the same commune: inside the leader's search scope, outside their capture scope
    rows.append(dataclasses.replace(rows[0], group_code="LOGIN-NEXT", group_name="Nhóm bên cạnh",
                                    leader_username="login.next", leader_email="", leader_phone=""))
    server = current_server
    report = provision(server.client, write_xlsx(rows, tmp_path / "login.xlsx"), today=TODAY)
    units = _units(server, [r.group_code.upper() for r in rows])
    credential = next(c for c in report.credentials if c.username == rows[0].leader_username)
    session = server.login(credential.username, credential.password.get_secret_value())
    me = session.get(f"{server.url}/api/me", params={
        "fields": "username,organisationUnits[id],teiSearchOrganisationUnits[id],userGroups[id],programs"}).json()
    own, other = units[rows[0].group_code.upper()], units["LOGIN-NEXT"]
    assert own["parent"]["id"] == other["parent"]["id"]
    assert me["organisationUnits"] == [{"id": own["id"]}]
    assert me["teiSearchOrganisationUnits"] == [{"id": own["parent"]["id"]}]
    assert DATA_CAPTURE in {g["id"] for g in me["userGroups"]}  # membership from UserGroup.users
    assert {GROUP_PROGRAM, MEMBER_PROGRAM} <= set(me["programs"])

    # a member in the leader's own group
    mine = session.post(f"{server.url}/api/tracker", params={"async": "false"},
                        json={"trackedEntities": [_member(own["id"], "LOGIN-M1")]})
    assert mine.status_code == 200, mine.text
    # not in another group's org unit
    refused = session.post(f"{server.url}/api/tracker", params={"async": "false"},
                           json={"trackedEntities": [_member(other["id"], "LOGIN-M2")]})
    assert refused.status_code == 409 and "E1000" in refused.text

    # another group's members stay out of sight, whatever scope the leader asks for
    server.client.post("tracker", params={"async": "false"},
                       json={"trackedEntities": [_member(other["id"], "LOGIN-M3")]})
    for params in ({"orgUnitMode": "ACCESSIBLE"}, {"orgUnitMode": "CAPTURE"}, {"orgUnits": other["id"]}):
        answer = session.get(f"{server.url}/api/tracker/trackedEntities", params={
            "program": MEMBER_PROGRAM, "fields": "trackedEntity,orgUnit", **params})
        seen = answer.json().get("trackedEntities", []) if answer.status_code == 200 else []
        assert other["id"] not in {t["orgUnit"] for t in seen}, params
    seen = session.get(f"{server.url}/api/tracker/trackedEntities", params={
        "program": MEMBER_PROGRAM, "orgUnitMode": "CAPTURE", "fields": "orgUnit"}).json()["trackedEntities"]
    assert [t["orgUnit"] for t in seen] == [own["id"]]

    # a program the leader was not given: not listed, not in /api/me, nothing captured in it
    hidden = {"id": "LoginHidden", "code": "SCDI_TEST_HIDDEN", "name": "Not for leaders", "shortName": "Hidden",
              "programType": "WITH_REGISTRATION", "trackedEntityType": {"id": "jSpQsMth1l8"},
              "organisationUnits": [{"id": own["id"]}],
              "sharing": {"public": "--------", "external": False, "users": {},
                          "userGroups": {"ufeI97MgH2Q": {"id": "ufeI97MgH2Q", "access": "rwrw----"}}}}
    server.client.post("metadata", json={"programs": [hidden]})
    listed = session.get(f"{server.url}/api/programs", params={"fields": "id", "paging": "false"}).json()["programs"]
    assert "LoginHidden" not in {p["id"] for p in listed} and MEMBER_PROGRAM in {p["id"] for p in listed}
    me = session.get(f"{server.url}/api/me", params={"fields": "programs"}).json()
    assert "LoginHidden" not in me["programs"]
    entity = _member(own["id"], "LOGIN-M4")
    entity["enrollments"][0]["program"] = "LoginHidden"
    entity["enrollments"][0]["attributes"] = []
    denied = session.post(f"{server.url}/api/tracker", params={"async": "false"}, json={"trackedEntities": [entity]})
    assert denied.status_code == 409 and "E1091" in denied.text


def test_a_redeploy_that_changes_the_capture_group_keeps_the_leaders(deployed: Callable[..., Deployed],
                                                                    tmp_path: Path) -> None:
    server, rows, path = _registry(deployed(), tmp_path, "KEEP", groups=4)
    provision(server.client, path, today=TODAY)
    leaders = {u["id"] for u in _users(server, [r.leader_username for r in rows if r.expect == "ok"]).values()}
    assert leaders and leaders <= _members(server, DATA_CAPTURE)
    source = load_source()
    package = copy.deepcopy(source.package)
    capture = next(g for g in package["userGroups"] if g["id"] == DATA_CAPTURE)
    assert capture["users"] == []  # the package ships its groups without members
    capture["name"] = "SCDI - Data capture (group leaders)"
    deploy(server.client, package, dependencies=source.dependencies, android_settings=source.android_settings)
    assert server.client.get(f"userGroups/{DATA_CAPTURE}", params={"fields": "name"})["name"] == capture["name"]
    assert leaders <= _members(server, DATA_CAPTURE)
    assert provision(server.client, path, today=TODAY).writes == 0


def _members(server: Deployed, group: str) -> set[str]:
    return {u["id"] for u in server.client.get(f"userGroups/{group}", params={"fields": "users[id]"})["users"]}


def test_the_server_checks_passwords_like_dhis2(current_server: Deployed) -> None:
    """What passwords.py generates for: DefaultSchemaValidator#isInvalidPassword → E4005."""
    from scdi.connector.errors import Conflict

    weak = {"users": [{"id": "WeakPass001", "username": "weak.pass", "password": "abc", "firstName": "A",
                       "surname": "B", "userRoles": [{"id": LEADER_ROLE}]}]}
    with pytest.raises(Conflict) as refused:
        current_server.client.post("metadata", json=weak, params={"importMode": "VALIDATE"})
    assert "E4005" in str(refused.value.body)


@pytest.mark.parametrize("version", ["2.41", "2.43"])
def test_other_releases(deployed: Callable[..., Deployed], tmp_path: Path, version: str) -> None:
    server, _, path = _registry(deployed(version=version), tmp_path, "REL", groups=6)
    report = provision(server.client, path, today=TODAY)
    assert report.plan.counts["create"] == 6 and report.writes == 2
    assert provision(server.client, path, today=TODAY).writes == 0


def test_list_shows_leaders_members_and_last_meetings(current_server: Deployed, tmp_path: Path) -> None:
    from scdi.connector.provision.listing import list_groups

    server, rows, path = _registry(current_server, tmp_path, "LIST", groups=2)
    provision(server.client, path, today=TODAY)
    rows = [r for r in rows if r.expect == "ok"]
    units = _units(server, [r.group_code.upper() for r in rows])
    first, second = (units[r.group_code.upper()]["id"] for r in rows)

    def member(unit: str, code: str, status: str) -> dict[str, Any]:
        entity = _member(unit, code)
        entity["enrollments"][0].update(enrolledAt="2025-10-01", occurredAt="2025-10-01", status=status)
        return entity

    code = rows[0].group_code.upper()
    meetings = [{"program": GROUP_PROGRAM, "programStage": "Is4LCht0wjO", "orgUnit": first, "status": status,
                 "enrollment": derive_uid("enrollment", code), "trackedEntity": derive_uid("trackedEntity", code),
                 "occurredAt": day, **({"scheduledAt": day} if status == "SCHEDULE" else {}),
                 "dataValues": [] if status == "SCHEDULE" else _compulsory_values("Is4LCht0wjO")}
                for day, status in (("2025-11-02", "ACTIVE"), ("2025-12-07", "COMPLETED"), ("2026-02-01", "SCHEDULE"))]
    meetings[-1].pop("occurredAt")
    server.client.post("tracker", params={"async": "false"}, json={
        "trackedEntities": [member(first, "LIST-M1", "ACTIVE"), member(first, "LIST-M2", "ACTIVE"),
                            member(first, "LIST-M3", "COMPLETED"), member(second, "LIST-M4", "ACTIVE")],
        "events": meetings})
    spy = _Spy(server.client)
    listed = {g.group_code: g for g in list_groups(server.client, reader=spy).groups}
    # lists that grow with the groups are read page by page, never with paging=false
    assert {"organisationUnits", "userGroups", "tracker/trackedEntities", "tracker/enrollments",
            "tracker/events"} <= set(spy.paged)
    assert not [path for path, params in spy.got if str((params or {}).get("paging")) == "false"
                and path != "organisationUnitLevels"  # a handful of levels
                and not str((params or {}).get("filter", "")).startswith(("id:in:", "code:eq:"))]  # bounded
    one, two = listed[code], listed[rows[1].group_code.upper()]
    assert (one.members, one.last_meeting, one.leader, one.active) == (2, "2025-12-07", rows[0].leader_username, True)
    assert (two.members, two.last_meeting, two.last_roster_sync) == (1, None, None)
    assert one.province and one.commune and one.kind and one.group_name == rows[0].group_name


class _Spy:
    """A reader that records what it was asked for, and passes it on to the client."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.got: list[tuple[str, Any]] = []
        self.paged: list[str] = []

    def get(self, path: str, params: Any = None) -> Any:
        self.got.append((path, params))
        return self.client.get(path, params=params)

    def items(self, path: str, key: str | None = None, params: Any = None, *, page_size: int = 50) -> Any:
        self.paged.append(path)
        return self.client.items(path, key, params, page_size=page_size)
