"""`check_android` against the sandbox with the package deployed and groups provisioned: what a
leader's phone gets, an upload in the SDK's shape, and broken set-ups each found for the right
reason and nothing else. One server for the module; each broken set-up is put back after."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.android.run import check_android
from scdi.connector.android.upload import upload_member
from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.errors import BadCredentials
from scdi.connector.provision.run import provision
from scdi.connector.sync.engine import run as sync_run
from tests.connector.provision.conftest import Deployed, start_deployed
from tests.connector.provision.synthetic_registry import synthetic_registry, write_xlsx
from tests.connector.provision.test_provision_sandbox import MEMBER_PROGRAM, _member

TODAY = dt.date(2026, 1, 15)
MEMBER_TYPE = "jSpQsMth1l8"


@dataclass
class Setup:
    server: Deployed
    leader: str
    password: str
    own: str  # the leader's group org unit
    group_code: str
    other: str  # a neighbour group's org unit in the same commune

    @property
    def url(self) -> str:
        return self.server.url

    def client(self) -> Dhis2Client:
        return Dhis2Client(ServerSettings(base_url=self.server.url, username=self.leader, password=self.password))

    def check(self, **kwargs: Any) -> Any:
        with self.client() as client:
            return check_android(client, **kwargs)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    server = start_deployed("current")
    rows = [r for r in synthetic_registry("current", groups=3, prefix="AND") if r.expect == "ok"][:1]
    rows.append(dataclasses.replace(rows[0], group_code="AND-NEXT", group_name="Nhóm bên cạnh",
                                    leader_username="and.next", leader_email="", leader_phone=""))
    path = write_xlsx(rows, Path(tmp_path_factory.mktemp("android")) / "groups.xlsx")
    report = provision(server.client, path, today=TODAY)
    credential = next(c for c in report.credentials if c.username == rows[0].leader_username)
    units = server.client.get("organisationUnits", params={
        "filter": f"code:in:[{rows[0].group_code.upper()},AND-NEXT]", "fields": "id,code", "paging": "false"})
    by_code = {u["code"]: u["id"] for u in units["organisationUnits"]}
    own, other = by_code[rows[0].group_code.upper()], by_code["AND-NEXT"]
    members = [_member(own, "AND-M1"), _member(own, "AND-M2"), _member(other, "AND-M3")]
    server.client.post("tracker", params={"async": "false"}, json={"trackedEntities": members})
    yield Setup(server, credential.username, credential.password.get_secret_value(), own, rows[0].group_code.upper(),
                other)
    server.client.close()
    server.sandbox.stop()


def _problems(report: Any) -> list[str]:
    return sorted(f.code for f in report.findings if f.impact != "NOTE")


def test_the_leader_gets_their_group_and_its_members(setup: Setup) -> None:
    report = setup.check()
    assert report.ok, [f.message for f in report.findings]
    assert report.server_version == "2.42.5" and report.settings_app
    programs = {p.code: p for p in report.programs}
    # exactly the programs assigned to the group's org unit: the outreach program is only for
    # counselling points and outreach teams, and is a note (readable, not assigned) for this club
    assert set(programs) == {"SCDI_GROUP", "SCDI_MEMBER"}
    assert [f.name for f in report.findings if f.code == "sync.program-not-linked"] == [
        "SCDI - Outreach and counselling sessions"]
    assert programs["SCDI_MEMBER"].tracked_entities == 2  # the neighbour group's member stays out
    assert programs["SCDI_MEMBER"].enrollments == 2
    assert programs["SCDI_GROUP"].tracked_entities == 1  # the group's own record
    assert any(s.name == "Meeting attendance" and s.writable for s in programs["SCDI_MEMBER"].stages)
    # names and counts only: no attribute value of a member is in the report
    text = report.model_dump_json()
    assert "AND-M1" not in text and "AND-M3" not in text


def test_an_upload_in_the_sdk_shape_reaches_the_roster(setup: Setup, tmp_path: Path) -> None:
    with setup.client() as client:
        from scdi.connector.android import login, metadata
        from scdi.connector.android.replay import Replay

        replay = Replay(client)
        account = login.log_in(replay)
        login.start_metadata(replay, account)
        download = metadata.download(replay, account)
        result = upload_member(client, account, download, org_unit=setup.own, interval=0.05, first_delay=0.0)
    assert result.ok, result.errors
    assert result.created["TRACKED_ENTITY"] == 1 and result.created["ENROLLMENT"] == 1
    assert result.created["EVENT"] == 1 and not result.cleaned_up
    seen = setup.server.client.get("tracker/trackedEntities", params={
        "program": MEMBER_PROGRAM, "orgUnits": setup.own, "fields": "trackedEntity", "paging": "false"})
    assert len(seen.get("trackedEntities") or seen.get("instances")) == 3
    # a roster pull of the group (as its leader) holds the uploaded member with the others
    with setup.client() as client:
        pulled = sync_run(client, tmp_path / "roster.xlsx", setup.group_code, "pull", state_dir=tmp_path / "ledger",
                          engines=False)
    assert pulled.file_written and pulled.counts["from_server"] == 4, pulled.rows
    by_sheet = Counter(row.sheet for row in pulled.rows)
    assert sorted(by_sheet.values()) == [1, 3]  # three members, one attendance event
    assert result.job and all(row.uid for row in pulled.rows)
    after = setup.check()
    assert next(p for p in after.programs if p.code == "SCDI_MEMBER").tracked_entities == 3
    assert next(p for p in after.programs if p.code == "SCDI_MEMBER").events == 1
    # without an org unit the record is deleted again
    with setup.client() as client:
        result = upload_member(client, account, download, interval=0.05, first_delay=0.0)
    assert result.ok and result.cleaned_up
    again = setup.check()
    assert next(p for p in again.programs if p.code == "SCDI_MEMBER").tracked_entities == 3


class Patched:
    """Objects of the sandbox's store changed for one test and put back after it."""

    def __init__(self, setup: Setup) -> None:
        self.store = setup.server.sandbox.store
        self.saved: list[tuple[str, dict[str, Any]]] = []

    def change(self, plural: str, uid: str, **values: Any) -> dict[str, Any]:
        obj = self.store.get_object(plural, uid)
        self.saved.append((plural, copy.deepcopy(obj)))
        obj.update(values)
        self.store.put_object(plural, obj)
        return obj

    def restore(self) -> None:
        for plural, obj in reversed(self.saved):
            self.store.put_object(plural, obj)


@pytest.fixture
def patched(setup: Setup) -> Iterator[Patched]:
    patch = Patched(setup)
    yield patch
    patch.restore()


def _package_object(plural: str, code: str, setup: Setup) -> dict[str, Any]:
    return next(o for o in setup.server.sandbox.store.list_objects(plural) if o.get("code") == code)


def test_type_not_shared_for_reading(setup: Setup, patched: Patched) -> None:
    tet = setup.server.sandbox.store.get_object("trackedEntityTypes", MEMBER_TYPE)
    sharing = copy.deepcopy(tet["sharing"])
    sharing["public"] = "r-------"
    for group in sharing.get("userGroups", {}).values():
        group["access"] = group["access"][:2] + "------"
    patched.change("trackedEntityTypes", MEMBER_TYPE, sharing=sharing)
    report = setup.check()
    assert _problems(report) == ["sync.tet-not-readable"]
    finding = report.findings[[f.code for f in report.findings].index("sync.tet-not-readable")]
    assert finding.uid == MEMBER_PROGRAM and "ForeignKeyCleanerImpl" in finding.sdk
    assert "SCDI_MEMBER" not in {p.code for p in report.programs}


def test_rule_action_on_a_data_element_outside_the_stages(setup: Setup, patched: Patched) -> None:
    group_stage = _package_object("programStages", "SCDI_GROUP_MEETING", setup)
    foreign = group_stage["programStageDataElements"][0]["dataElement"]["id"]
    rule = next(r for r in setup.server.sandbox.store.list_objects("programRules")
                if (r.get("program") or {}).get("id") == MEMBER_PROGRAM and r.get("programRuleActions"))
    action_uid = rule["programRuleActions"][0]["id"]
    patched.change("programRuleActions", action_uid, dataElement={"id": foreign}, trackedEntityAttribute=None)
    report = setup.check()
    assert _problems(report) == ["sync.rule-action-data-element"]
    finding = next(f for f in report.findings if f.code == "sync.rule-action-data-element")
    assert finding.uid == rule["id"] and foreign in finding.message and "ProgramRuleActionDB" in finding.sdk


def test_org_unit_code_pattern_with_a_group_without_code(setup: Setup, patched: Patched) -> None:
    attribute = _package_object("trackedEntityAttributes", "SCDI_MEMBER_SYSTEM_ID", setup)
    patched.change("trackedEntityAttributes", attribute["id"], pattern='ORG_UNIT_CODE() + "-" + SEQUENTIAL(###)')
    patched.change("organisationUnits", setup.own, code=None)
    report = setup.check()
    assert _problems(report) == ["sync.org-unit-code"]
    finding = next(f for f in report.findings if f.code == "sync.org-unit-code")
    assert finding.uid == attribute["id"] and setup.own in finding.message
    assert finding.sdk.endswith("TrackedEntityAttributeReservedValueManager.kt")


def test_a_leader_with_no_capture_org_unit(setup: Setup, patched: Patched) -> None:
    user = next(u for u in setup.server.sandbox.store.list_objects("users") if u.get("username") == setup.leader)
    patched.change("users", user["id"], organisationUnits=[])
    report = setup.check()
    assert _problems(report) == ["sync.no-capture-org-unit"]
    assert all(p.tracked_entities == 0 for p in report.programs)


def test_an_enum_value_the_sdk_does_not_know(setup: Setup, patched: Patched) -> None:
    attribute = _package_object("trackedEntityAttributes", "SCDI_MEMBER_CODE", setup)
    patched.change("trackedEntityAttributes", attribute["id"], preferredSearchOperator="NE")
    report = setup.check()
    assert _problems(report) == ["sync.enum"]
    finding = report.findings[0] if report.findings[0].code == "sync.enum" else next(
        f for f in report.findings if f.code == "sync.enum")
    assert "'NE'" in finding.message and finding.sdk.endswith("TrackedEntityAttributeDTO.kt")
    assert report.programs == []  # the metadata sync stops: nothing reaches the phone


def test_onboard_sheets_with_new_passwords(setup: Setup, tmp_path: Path) -> None:
    import pypdfium2 as pdfium
    import zxingcpp
    from click.testing import CliRunner

    from scdi.cli.main import cli

    out = tmp_path / "sheets.pdf"
    group = setup.server.client.get("organisationUnits", params={"filter": f"id:eq:{setup.own}", "fields": "code"})
    code = group["organisationUnits"][0]["code"]
    env = {"DHIS2_BASE_URL": setup.url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district", "DHIS2_TOKEN": ""}
    result = CliRunner().invoke(cli, ["android", "onboard", "--group", code, "-o", str(out), "--with-password",
                                      "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f'"leaders": [\n    "{setup.leader}"\n  ]' in result.output
    assert out.stat().st_mode & 0o077 == 0
    page = pdfium.PdfDocument(out.read_bytes())[0]
    assert [r.text for r in zxingcpp.read_barcodes(page.render(scale=2).to_pil())] == [setup.url]
    text = page.get_textpage().get_text_range()
    password = text.split("Mật khẩu tạm thời", 1)[1].split()[0]
    assert password not in result.output
    old = setup.password
    setup.password = password
    assert setup.check().ok  # the leader signs in with the password from the sheet
    with (Dhis2Client(ServerSettings(base_url=setup.url, username=setup.leader, password=old)) as client,
          pytest.raises(BadCredentials)):
        client.get("me")
