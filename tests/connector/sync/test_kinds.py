"""Sync beyond one workbook: a folder of CSV files, an outreach team's sessions, a redacted pull."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scdi.connector.roster.contract import RosterContract, load_contract
from scdi.connector.sync.engine import run
from scdi.connector.sync.group import resolve_group
from tests.connector.sync.conftest import GROUP, OUTREACH, TODAY, SyncServer
from tests.connector.sync.helpers import android_upload, contents, data_values, read_rows
from tests.roster_fixture import make_roster, make_sessions, write_csv_folder, write_xlsx

Make = Callable[..., SyncServer]


def test_a_folder_of_csv_files_pushes_and_takes_the_servers_changes(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server()
    data = make_roster(member_contract, members=12, group=GROUP)
    folder = write_csv_folder(data, member_contract, tmp_path / "csv")
    first = run(s.client, folder, GROUP, "push", state_dir=s.state, today=TODAY)
    assert first.ok and first.counts["create"] == data.count()
    rows = read_rows(folder, TODAY)
    assert all(values.get("uid") for found in rows.values() for _, values in found)  # UIDs written back
    ctx = resolve_group(s.client, member_contract, GROUP)
    meeting = member_contract.sheet("meeting")
    assert meeting is not None
    android_upload(s.client, {"events": [{
        "event": "AndroidMtg1", "program": meeting.program, "programStage": meeting.stage, "orgUnit": ctx.org_unit,
        "enrollment": ctx.group_enrollment, "trackedEntity": ctx.group_entity, "occurredAt": "2025-12-29T00:00:00.000",
        "status": "ACTIVE", "dataValues": data_values(member_contract, "meeting", rows["meeting"][0][1])}]})
    synced = run(s.client, folder, GROUP, "sync", state_dir=s.state, today=TODAY)
    assert synced.counts["from_server"] == 1 and synced.ok
    after = read_rows(folder, TODAY)
    assert [v["date"] for _, v in after["meeting"] if v.get("uid") == "AndroidMtg1"] == ["2025-12-29"]
    assert len(after["meeting"]) == len(rows["meeting"]) + 1


def test_an_outreach_teams_sessions_round_trip(sync_server: Make, tmp_path: Path) -> None:
    s = sync_server()
    contract = load_contract("outreach")
    data = make_sessions(contract, sessions=40, group=OUTREACH)
    ctx = resolve_group(s.client, contract, OUTREACH)
    commune = s.client.get(f"organisationUnits/{ctx.org_unit}", params={"fields": "parent[code]"})["parent"]["code"]
    for row in data.rows["session"]:
        row["out_commune"] = commune  # the session's place, by the code people read
    data.rows["session"][5]["out_commune"] = "XA-NOWHERE"
    path = write_xlsx(data, contract, tmp_path / "sessions.xlsx")
    total = len(data.rows["session"])
    pushed = run(s.client, path, OUTREACH, "push", kind="outreach", state_dir=s.state, today=TODAY)
    assert pushed.counts["create"] == total - 1 and pushed.counts["invalid"] == 1
    assert [(f.row, f.column, f.code) for f in pushed.findings if f.severity.value == "ERROR"] == [
        (7, "out_commune", "org-unit-unknown")]
    stored = s.client.get("tracker/events", params={"program": contract.sheets[0].program, "orgUnits": ctx.org_unit,
                                                    "fields": "dataValues[dataElement,value]", "pageSize": 1})
    place = contract.sheets[0].column("out_commune")
    assert place is not None
    values = {dv["dataElement"]: dv["value"] for dv in stored["events"][0]["dataValues"]}
    assert values[place.uid] != commune and len(values[place.uid]) == 11  # DHIS2 holds the UID
    pulled = tmp_path / "pulled.xlsx"
    back = run(s.client, pulled, OUTREACH, "pull", kind="outreach", state_dir=tmp_path / "other", today=TODAY)
    assert back.counts["from_server"] == total - 1
    original = contents(read_rows(path, TODAY))
    original["session"] = [r for r in original["session"] if ("out_commune", "XA-NOWHERE") not in r]
    assert contents(read_rows(pulled, TODAY)) == original


def test_a_redacted_pull_leaves_confidential_columns_empty_and_a_later_sync_keeps_the_servers_values(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server()
    data = make_roster(member_contract, members=10, group=GROUP)
    path = write_xlsx(data, member_contract, tmp_path / "roster.xlsx")
    run(s.client, path, GROUP, "push", state_dir=s.state, today=TODAY)
    shared = tmp_path / "shared.xlsx"
    run(s.client, shared, GROUP, "pull", redact=True, state_dir=tmp_path / "shared-ledger", today=TODAY)
    members = read_rows(shared, TODAY)["members"]
    assert members and not any(v.get("alias") or v.get("phone") for _, v in members)
    phones = [r["phone"] for r in data.rows["members"] if r.get("phone")]
    assert phones
    s.server.clear_log()
    again = run(s.client, shared, GROUP, "sync", state_dir=tmp_path / "shared-ledger", today=TODAY)
    assert again.counts["update"] == 0 and s.writes() == 0  # empty cells are not edits: nothing cleared
    whole = tmp_path / "whole.xlsx"
    run(s.client, whole, GROUP, "pull", state_dir=tmp_path / "whole-ledger", today=TODAY)
    assert sorted(v["phone"] for _, v in read_rows(whole, TODAY)["members"] if v.get("phone")) == sorted(phones)
