"""Plans and their writes without a server: what is sent, what is kept, how refusals map to rows."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scdi.connector.errors import ValidationFailed
from scdi.connector.provision.apply import apply_plan, sharing_body
from scdi.connector.provision.findings import Severity
from scdi.connector.provision.plan import Action, derive_uid, make_plan, wanted_sharing
from scdi.connector.provision.server import RecordState, UserGroupState, UserState
from scdi.connector.provision.tree import Tree
from tests.connector.provision.fakes import ATTRIBUTES, PROGRAMS, TODAY, Recorder, metadata_refusal, registry, state

ROW_A = ["HP-01", "Câu lạc bộ Kết nối thành công", "CLB", "Hải Phòng", "", "Phường Hồng Bàng", "PCTNXH",
         "15/03/2014", "hp.one", "hp.one@example.org", "0912000001", "Có"]
ROW_B = ["QN-02", "Điểm tư vấn Hạ Long", "Điểm tư vấn", "Quảng Ninh", "", "Phường Hạ Long", "", "2016-05-01",
         "qn.two", "", "", "Có"]


def test_derived_uids_are_dhis2_uids_and_stable() -> None:
    uid = derive_uid("organisationUnit", "HP-01")
    assert uid == derive_uid("organisationUnit", "HP-01") != derive_uid("organisationUnit", "HP-02")
    assert len(uid) == 11 and uid[0].isalpha() and uid.isalnum()


def test_new_groups_send_every_part_once(current_tree: Tree) -> None:
    plan = make_plan(registry(ROW_A, ROW_B), state(current_tree), today=TODAY)
    assert [g.action for g in plan.groups] == [Action.CREATE, Action.CREATE]
    recorder = Recorder(owners={"programs": [{"id": p, "name": p, "organisationUnits": []} for p in PROGRAMS.values()],
                                "userGroups": [{"id": "JCrdrZfYYo1", "name": "SCDI - Data capture", "users": []}]})
    report = apply_plan(None, plan, state(current_tree), counter=recorder)  # type: ignore[arg-type]
    [validate] = recorder.payloads("metadata", "VALIDATE")
    [commit] = recorder.payloads("metadata", "COMMIT")
    assert validate == commit
    assert sorted(commit) == ["organisationUnits", "programs", "userGroups", "users"]
    units = {u["code"]: u for u in commit["organisationUnits"]}
    commune = current_tree.by_code["VN-31-C001"]
    assert units["HP-01"] == {"id": derive_uid("organisationUnit", "HP-01"), "code": "HP-01",
                              "name": "Câu lạc bộ Kết nối thành công", "shortName": "Câu lạc bộ Kết nối thành công",
                              "openingDate": "2014-03-15", "parent": {"id": commune.uid}}
    programs = {p["id"]: {o["id"] for o in p["organisationUnits"]} for p in commit["programs"]}
    assert programs[PROGRAMS["outreach"]] == {derive_uid("organisationUnit", "QN-02")}  # counselling point only
    assert programs[PROGRAMS["member"]] == {derive_uid("organisationUnit", c) for c in ("HP-01", "QN-02")}
    users = {u["username"]: u for u in commit["users"]}
    leader = users["hp.one"]
    assert leader["organisationUnits"] == [{"id": units["HP-01"]["id"]}]
    assert leader["teiSearchOrganisationUnits"] == [{"id": commune.uid}]
    assert leader["userRoles"] == [{"id": "QDokryaALvn"}] and leader["disabled"] is False
    assert (leader["firstName"], leader["surname"]) == ("Trưởng nhóm", "HP-01")  # no leader's name is collected
    assert leader["email"] == "hp.one@example.org" and leader["phoneNumber"] == "0912000001"
    groups = {g.get("code", g["id"]): g for g in commit["userGroups"]}
    own = groups["SCDI_GRP_HP-01"]
    assert own["users"] == [{"id": leader["id"]}]
    assert own["sharing"] == wanted_sharing("ufeI97MgH2Q", own["id"])
    assert {u["id"] for u in groups["JCrdrZfYYo1"]["users"]} == {u["id"] for u in users.values()}
    [tracker] = recorder.payloads("tracker", "COMMIT")
    entity = next(e for e in tracker["trackedEntities"] if e["orgUnit"] == units["HP-01"]["id"])
    assert {a["attribute"] for a in entity["attributes"]} == {ATTRIBUTES["group_code"], ATTRIBUTES["group_name"]}
    [enrollment] = entity["enrollments"]
    assert enrollment["program"] == PROGRAMS["group"] and enrollment["enrolledAt"] == "2014-03-15"
    assert {a["attribute"]: a["value"] for a in enrollment["attributes"]} == {
        ATTRIBUTES["kind"]: "SCDI_GROUP_KIND_CLUB", ATTRIBUTES["sponsor"]: "SCDI_SPONSOR_PCTNXH",
        ATTRIBUTES["founded_on"]: "2014-03-15"}
    assert report.writes == 2 and {c.username for c in report.credentials} == {"hp.one", "qn.two"}
    password = report.credentials[0].password.get_secret_value()
    assert password in json.dumps(commit, ensure_ascii=False)  # sent to DHIS2 …
    dumped = json.dumps(report.model_dump(mode="json"), ensure_ascii=False)
    assert password not in dumped and "hp.one@example.org" not in dumped and "0912000001" not in dumped  # … only


def test_a_refused_object_takes_its_row_out_and_the_rest_goes_through(current_tree: Tree) -> None:
    bad_user = derive_uid("user", "qn.two")

    def refuse(path: str, payload: dict[str, Any], params: dict[str, Any]) -> Any:
        if path == "metadata" and any(u["id"] == bad_user for u in payload.get("users", [])):
            return metadata_refusal(bad_user, "user.User", "email", "E4003",
                                    "Property `email` requires a valid email address, was given `x@secret`")
        return None

    plan = make_plan(registry(ROW_A, ROW_B), state(current_tree), today=TODAY)
    recorder = Recorder(refuse=refuse, owners={
        "programs": [{"id": p, "organisationUnits": []} for p in PROGRAMS.values()],
        "userGroups": [{"id": "JCrdrZfYYo1", "users": []}]})
    report = apply_plan(None, plan, state(current_tree), counter=recorder)  # type: ignore[arg-type]
    first, second = recorder.payloads("metadata", "VALIDATE")
    assert len(first["organisationUnits"]) == 2 and len(second["organisationUnits"]) == 1
    [commit] = recorder.payloads("metadata", "COMMIT")
    assert [u["code"] for u in commit["organisationUnits"]] == ["HP-01"]
    assert all(u["id"] != bad_user for u in commit["users"])
    [finding] = report.findings
    assert (finding.row, finding.column, finding.code, finding.severity) == (3, "leader_email", "import.E4003",
                                                                            Severity.ERROR)
    assert "secret" not in finding.message  # DHIS2's message quotes the value: not repeated
    assert [g.action for g in report.plan.groups] == [Action.CREATE, Action.INVALID]
    assert [c.username for c in report.credentials] == ["hp.one"]


def test_a_refusal_that_names_no_row_stops_everything(current_tree: Tree) -> None:
    def refuse(path: str, payload: dict[str, Any], params: dict[str, Any]) -> Any:
        if path == "metadata":
            return metadata_refusal(PROGRAMS["member"], "program.Program", "organisationUnits", "E5002", "x")
        return None

    plan = make_plan(registry(ROW_A), state(current_tree), today=TODAY)
    recorder = Recorder(refuse=refuse, owners={"programs": [{"id": p} for p in PROGRAMS.values()],
                                               "userGroups": [{"id": "JCrdrZfYYo1"}]})
    with pytest.raises(ValidationFailed) as failure:
        apply_plan(None, plan, state(current_tree), counter=recorder)  # type: ignore[arg-type]
    assert recorder.writes == 0 and failure.value.findings[0].row is None


def _existing(current_tree: Tree, *, closed: str | None = None) -> tuple[Tree, dict[str, Any]]:
    """HP-01 already provisioned: its org unit in the tree, record, user group and leader."""
    from scdi.connector.provision.tree import OrgUnit

    commune = current_tree.by_code["VN-31-C001"]
    uid = derive_uid("organisationUnit", "HP-01")
    unit = OrgUnit(uid=uid, code="HP-01", name="Câu lạc bộ Kết nối thành công",
                   short_name="Câu lạc bộ Kết nối thành công", level=4, path=(*commune.path, uid),
                   parent=commune.uid, opening_date="2014-03-15", closed_date=closed)
    tree = Tree([*current_tree.units.values(), unit], current_tree.roles)
    leader = derive_uid("user", "hp.one")
    group_uid = derive_uid("userGroup", "HP-01")
    extra = {
        "users": {"hp.one": UserState(uid=leader, username="hp.one", email="hp.one@example.org", phone="0912000001",
                                      roles=["QDokryaALvn", "OtherRole01"], capture=[uid], search=[commune.uid],
                                      view=[uid], disabled=closed is not None)},
        "groups": {"SCDI_GRP_HP-01": UserGroupState(uid=group_uid, code="SCDI_GRP_HP-01",
                                                    name="SCDI - HP-01 - Câu lạc bộ Kết nối thành công",
                                                    users=[leader], sharing=wanted_sharing("ufeI97MgH2Q", group_uid))},
        "records": {"HP-01": RecordState(tracked_entity=derive_uid("trackedEntity", "HP-01"), org_unit=uid,
                                         enrollment=derive_uid("enrollment", "HP-01"), enrollment_org_unit=uid,
                                         enrolled_at="2014-03-15", occurred_at="2014-03-15", status="ACTIVE",
                                         attributes={ATTRIBUTES["group_code"]: "HP-01",
                                                     ATTRIBUTES["group_name"]: "Câu lạc bộ Kết nối thành công",
                                                     ATTRIBUTES["kind"]: "SCDI_GROUP_KIND_CLUB",
                                                     ATTRIBUTES["sponsor"]: "SCDI_SPONSOR_PCTNXH",
                                                     ATTRIBUTES["founded_on"]: "2014-03-15"})},
        "program_org_units": {PROGRAMS["group"]: {uid}, PROGRAMS["member"]: {uid}, PROGRAMS["outreach"]: set()},
    }
    return tree, extra


def _server(tree: Tree, extra: dict[str, Any]) -> Any:
    server = state(tree, users=extra["users"], groups=extra["groups"], records=extra["records"],
                   program_org_units=extra["program_org_units"])
    server.data_capture.users = [extra["users"]["hp.one"].uid]
    return server


def test_an_unchanged_group_writes_nothing(current_tree: Tree) -> None:
    tree, extra = _existing(current_tree)
    plan = make_plan(registry(ROW_A), _server(tree, extra), today=TODAY)
    assert [g.action for g in plan.groups] == [Action.UNCHANGED] and not plan.has_writes
    recorder = Recorder()
    report = apply_plan(None, plan, _server(tree, extra), counter=recorder)  # type: ignore[arg-type]
    assert recorder.requests == 0 and report.writes == 0


def test_an_update_keeps_what_provisioning_does_not_own(current_tree: Tree) -> None:
    tree, extra = _existing(current_tree)
    renamed = [*ROW_A]
    renamed[1], renamed[9] = "CLB Kết nối thành công Hải Phòng", ""  # new name; e-mail left empty
    plan = make_plan(registry(renamed), _server(tree, extra), today=TODAY)
    [group] = plan.groups
    assert group.action is Action.UPDATE
    assert {(c.part, c.field) for c in group.changes} == {("org unit", "name"), ("org unit", "short name"),
                                                         ("record", "attribute group_name"), ("user group", "name")}
    unit_uid = derive_uid("organisationUnit", "HP-01")
    recorder = Recorder(owners={"organisationUnits": [{"id": unit_uid, "name": "old", "description": "kept",
                                                       "geometry": {"type": "Point"}, "openingDate": "2014-03-15"}],
                                "userGroups": [{"id": derive_uid("userGroup", "HP-01"), "name": "old",
                                                "managedGroups": [{"id": "Managed0001"}]}]})
    apply_plan(None, plan, _server(tree, extra), counter=recorder)  # type: ignore[arg-type]
    [commit] = recorder.payloads("metadata", "COMMIT")
    assert sorted(commit) == ["organisationUnits", "userGroups"]  # no user, no program
    [unit] = commit["organisationUnits"]
    assert unit["description"] == "kept" and unit["geometry"] == {"type": "Point"}
    assert unit["name"] == "CLB Kết nối thành công Hải Phòng"
    assert commit["userGroups"][0]["managedGroups"] == [{"id": "Managed0001"}]
    [tracker] = recorder.payloads("tracker", "COMMIT")
    enrollment = tracker["trackedEntities"][0]["enrollments"][0]
    assert enrollment["enrollment"] == derive_uid("enrollment", "HP-01") and enrollment["enrolledAt"] == "2014-03-15"


def test_deactivation_closes_disables_and_ends_sessions(current_tree: Tree) -> None:
    tree, extra = _existing(current_tree)
    stopped = [*ROW_A]
    stopped[11] = "Không"
    plan = make_plan(registry(stopped), _server(tree, extra), today=TODAY)
    [group] = plan.groups
    assert group.action is Action.DEACTIVATE
    leader = extra["users"]["hp.one"].uid
    recorder = Recorder(owners={"organisationUnits": [{"id": derive_uid("organisationUnit", "HP-01")}],
                                "users": [{"id": leader, "username": "hp.one", "email": "hp.one@example.org",
                                           "settings": {"keyUiLocale": "vi"}}]})
    report = apply_plan(None, plan, _server(tree, extra), counter=recorder)  # type: ignore[arg-type]
    [commit] = recorder.payloads("metadata", "COMMIT")
    assert commit["organisationUnits"][0]["closedDate"] == TODAY.isoformat()
    [user] = commit["users"]
    assert user["disabled"] is True and "password" not in user and user["settings"] == {"keyUiLocale": "vi"}
    assert {r["id"] for r in user["userRoles"]} == {"QDokryaALvn", "OtherRole01"}  # other roles stay
    assert (f"users/{leader}/disabled", {}, {}) in recorder.posts
    assert report.writes == 2 and recorder.payloads("tracker", "COMMIT") == []

    missing = Recorder(owners=recorder.owners, missing=("users/",))
    report = apply_plan(None, make_plan(registry(stopped), _server(tree, extra), today=TODAY),
                        _server(tree, extra), counter=missing)  # type: ignore[arg-type]
    assert any("POST /api/users/{uid}/disabled" in note for note in report.notes)


def test_reactivation_removes_the_closed_date(current_tree: Tree) -> None:
    tree, extra = _existing(current_tree, closed="2025-12-01")
    plan = make_plan(registry(ROW_A), _server(tree, extra), today=TODAY)
    [group] = plan.groups
    assert group.action is Action.UPDATE
    recorder = Recorder(owners={"organisationUnits": [{"id": derive_uid("organisationUnit", "HP-01"),
                                                       "closedDate": "2025-12-01"}],
                                "users": [{"id": extra["users"]["hp.one"].uid, "disabled": True}]})
    apply_plan(None, plan, _server(tree, extra), counter=recorder)  # type: ignore[arg-type]
    [commit] = recorder.payloads("metadata", "COMMIT")
    assert "closedDate" not in commit["organisationUnits"][0] and commit["users"][0]["disabled"] is False
    assert not any(path.endswith("/disabled") for path, _, _ in recorder.posts)


def test_sharing_drift_goes_to_api_sharing(current_tree: Tree) -> None:
    tree, extra = _existing(current_tree)
    group = extra["groups"]["SCDI_GRP_HP-01"]
    group.sharing = {**group.sharing, "public": "r-------"}
    plan = make_plan(registry(ROW_A), _server(tree, extra), today=TODAY)
    assert [(c.part, c.before) for c in plan.groups[0].changes] == [("sharing", "r-------")]
    recorder = Recorder()
    report = apply_plan(None, plan, _server(tree, extra), counter=recorder)  # type: ignore[arg-type]
    [(path, body, params)] = recorder.posts
    assert (path, params) == ("sharing", {"type": "userGroup", "id": group.uid})
    # SharingController#postSharing reads a Sharing document: {"object": {publicAccess, externalAccess,
    # userGroupAccesses [{id, access}], userAccesses}}
    assert body == sharing_body(group.uid, wanted_sharing("ufeI97MgH2Q", group.uid)) == {"object": {
        "id": group.uid, "publicAccess": "--------", "externalAccess": False, "userAccesses": [],
        "userGroupAccesses": sorted([{"id": "ufeI97MgH2Q", "access": "rw------"},
                                     {"id": group.uid, "access": "r-------"}], key=lambda a: a["id"])}}
    assert report.writes == 1
    missing = Recorder(missing=("sharing",))
    report = apply_plan(None, make_plan(registry(ROW_A), _server(tree, extra), today=TODAY),
                        _server(tree, extra), counter=missing)  # type: ignore[arg-type]
    assert [f.code for f in report.findings] == ["server.sharing-endpoint"]


def test_leaders_and_codes_that_belong_to_someone_else(current_tree: Tree) -> None:
    officer = UserState(uid="Officer0001", username="hp.one", roles=["ProvRole001"],
                        capture=[current_tree.by_code["VN-31"].uid])
    plan = make_plan(registry(ROW_A), state(current_tree, users={"hp.one": officer}), today=TODAY)
    [group] = plan.groups
    assert group.action is Action.INVALID
    [finding] = [f for f in group.findings if f.severity is Severity.ERROR]
    assert (finding.code, finding.column) == ("server.user-elsewhere", "leader_username")
    taken = [*ROW_A]
    taken[0] = "VN-31-C002"  # a commune's code
    plan = make_plan(registry(taken), state(current_tree), today=TODAY)
    assert plan.groups[0].findings[-1].code == "server.code-taken"


def test_an_inactive_new_group_gets_no_account(current_tree: Tree) -> None:
    stopped = [*ROW_A]
    stopped[11] = "Không"
    plan = make_plan(registry(stopped), state(current_tree), today=TODAY)
    [group] = plan.groups
    assert group.action is Action.CREATE and group.target.leader is None
    assert group.target.org_unit["closedDate"] == TODAY.isoformat()
    assert [f.code for f in group.findings] == ["registry.inactive-leader"]


def test_plan_json_names_fields_but_never_personal_values(current_tree: Tree) -> None:
    tree, extra = _existing(current_tree)
    changed = [*ROW_A]
    changed[9], changed[10] = "other@example.org", "0912999999"
    plan = make_plan(registry(changed), _server(tree, extra), today=TODAY)
    text = json.dumps(plan.model_dump(mode="json"), ensure_ascii=False)
    assert "leader_email" in text and "leader_phone" in text
    assert "example.org" not in text and "0912" not in text


def test_a_leader_who_led_another_group_moves_with_a_warning(current_tree: Tree) -> None:
    tree, extra = _existing(current_tree)
    other = [*ROW_B]
    other[8] = "hp.one"  # HP-01's leader now leads QN-02 (and HP-01 is not in this registry)
    plan = make_plan(registry(other), _server(tree, extra), today=TODAY)
    [group] = plan.groups
    assert group.action is Action.CREATE
    [warning] = [f for f in group.findings if f.code == "server.leader-moved"]
    assert warning.severity is Severity.WARNING and "Câu lạc bộ Kết nối thành công" in warning.message
    assert group.target.leader["organisationUnits"] == [derive_uid("organisationUnit", "QN-02")]
