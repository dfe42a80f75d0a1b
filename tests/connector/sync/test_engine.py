"""Push, pull and sync against the sandbox: round trips, merges both ways, conflicts, adoption,
vanished rows, refusals mapped to rows, dry runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scdi.connector.roster.contract import RosterContract
from scdi.connector.roster.values import to_cell
from scdi.connector.sync.engine import run
from scdi.connector.sync.group import resolve_group
from scdi.connector.sync.ledger import Ledger
from tests.connector.sync.conftest import GROUP, TODAY, SyncServer
from tests.connector.sync.helpers import (
    android_upload,
    attribute,
    attributes,
    contents,
    data_values,
    delete_row,
    edit_cell,
    find_row,
    read_rows,
    server_members,
)
from tests.roster_fixture import make_roster, write_xlsx

Make = Callable[..., SyncServer]


def _roster(contract: RosterContract, folder: Path, members: int = 30) -> Path:
    return write_xlsx(make_roster(contract, members=members, group=GROUP), contract, folder / "roster.xlsx")


def _sync(s: SyncServer, path: Path, direction: str = "sync", **options: object):  # type: ignore[no-untyped-def]
    return run(s.client, path, GROUP, direction, state_dir=s.state, today=TODAY, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_push_then_pull_round_trips_a_year_of_a_300_member_group(
        version: str, sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server(version)
    data = make_roster(member_contract, members=300, group=GROUP)
    path = write_xlsx(data, member_contract, tmp_path / "roster.xlsx")
    first = _sync(s, path, "push")
    assert first.counts["create"] == data.count() and first.ok, first.findings[:3]
    assert 0 < first.writes <= data.count() // 200  # batches, not one request per record
    s.server.clear_log()
    again = _sync(s, path, "push")
    assert s.writes() == 0 and again.counts["unchanged"] == data.count()
    pulled = tmp_path / "pulled.xlsx"
    back = run(s.client, pulled, GROUP, "pull", state_dir=tmp_path / "other-ledger", today=TODAY)
    assert back.counts["from_server"] == data.count()
    original, copy = read_rows(path, TODAY), read_rows(pulled, TODAY)
    assert contents(copy) == contents(original)  # every cell of every sheet
    # the UIDs the push wrote into the file are the ones the pull reads from the server
    assert sorted(v["uid"] for _, v in original["members"]) == sorted(v["uid"] for _, v in copy["members"])


def test_sync_merges_both_sides_and_keeps_a_conflict_open(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server()
    path = _roster(member_contract, tmp_path)
    assert _sync(s, path, "push").ok
    ctx = resolve_group(s.client, member_contract, GROUP)
    year = member_contract.sheet("members").column("year_of_birth").uid  # type: ignore[union-attr]
    rows = read_rows(path, TODAY)
    (r1, m1), (_, m2), (r3, m3), (_, m4) = rows["members"][:4]
    edit_cell(path, member_contract, "members", r1, "year_of_birth", "1971")
    edit_cell(path, member_contract, "members", r3, "year_of_birth", "1973")
    followup = member_contract.sheet("followup")
    assert followup is not None and followup.stage
    android_upload(s.client, {
        "trackedEntities": [
            {"trackedEntity": m2["uid"], "trackedEntityType": ctx.member_type, "orgUnit": ctx.org_unit,
             "attributes": [{"attribute": year, "value": "1982"}]},
            {"trackedEntity": m3["uid"], "trackedEntityType": ctx.member_type, "orgUnit": ctx.org_unit,
             "attributes": [{"attribute": year, "value": "1983"}]}],
        "events": [{"event": "AndroidEv01", "program": followup.program, "programStage": followup.stage,
                    "orgUnit": ctx.org_unit, "trackedEntity": m4["uid"],
                    "enrollment": _enrollment(s, m4["uid"], ctx.member_program),
                    "occurredAt": "2025-12-20T00:00:00.000", "status": "ACTIVE",
                    "dataValues": data_values(member_contract, "followup", rows["followup"][0][1])}]})

    report = _sync(s, path)
    assert report.counts["update"] == 2 and report.counts["conflict"] == 1 and report.counts["from_server"] == 1
    by_uid = {e["trackedEntity"]: e for e in server_members(s.client, ctx.member_program or "", ctx.org_unit)}
    assert attribute(by_uid[m1["uid"]], year or "") == "1971"  # the file's edit reached the server
    after = read_rows(path, TODAY)
    assert find_row(after, "members", uid=m2["uid"])[1]["year_of_birth"] == "1982"  # the server's reached the file
    assert find_row(after, "members", uid=m3["uid"])[1]["year_of_birth"] == "1973"  # neither side overwritten
    assert attribute(by_uid[m3["uid"]], year or "") == "1983"
    assert find_row(after, "followup", uid="AndroidEv01")[1]["member_code"] == m4["member_code"]
    conflict = report.conflicts[0]
    assert (conflict.column, conflict.resolved, conflict.server_changed is not None) == ("year_of_birth", None, True)
    book = load_workbook(path)
    assert "Xung đột" in book.sheetnames
    s.server.clear_log()
    still = _sync(s, path)
    assert still.counts["conflict"] == 1 and s.writes() == 0 and not still.ok

    resolved = _sync(s, path, prefer="roster")
    assert resolved.counts["conflict"] == 0 and resolved.conflicts[0].resolved == "roster"
    by_uid = {e["trackedEntity"]: e for e in server_members(s.client, ctx.member_program or "", ctx.org_unit)}
    assert attribute(by_uid[m3["uid"]], year or "") == "1973"
    assert "Xung đột" not in load_workbook(path).sheetnames
    s.server.clear_log()
    calm = _sync(s, path)
    assert calm.counts["update"] == calm.counts["conflict"] == 0 and s.writes() == 0 and calm.ok


def _enrollment(s: SyncServer, entity: str, program: str | None) -> str:
    found = s.client.get(f"tracker/trackedEntities/{entity}", params={"program": program, "fields": "enrollments"})
    return str(found["enrollments"][0]["enrollment"])


def test_a_row_gone_from_the_file_comes_back_unless_removals_are_allowed(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server()
    path = _roster(member_contract, tmp_path)
    _sync(s, path, "push")
    number, values = read_rows(path, TODAY)["support"][0]
    delete_row(path, member_contract, "support", number)
    restored = _sync(s, path)
    assert restored.counts["restore"] == 1 and restored.counts["remove"] == 0
    assert find_row(read_rows(path, TODAY), "support", uid=values["uid"])[1] == values
    pushed = _sync(s, path, "push")
    assert pushed.counts["missing"] == 0  # back in the file, nothing is missing

    number = find_row(read_rows(path, TODAY), "support", uid=values["uid"])[0]
    delete_row(path, member_contract, "support", number)
    s.server.clear_log()
    planned = _sync(s, path, "push", dry_run=True, allow_removals=True)
    assert planned.counts["remove"] == 1 and s.server.writes_logged() == []
    removed = _sync(s, path, "push", allow_removals=True)
    assert removed.counts["remove"] == 1
    # a single read answers no deleted event from 2.42 (includeDeleted is read by the lists only)
    page = s.client.get("tracker/events", params={"events": values["uid"], "includeDeleted": "true",
                                                   "fields": "event,deleted"})
    assert [(e["event"], e["deleted"]) for e in page["events"]] == [(values["uid"], True)]


def test_a_deletion_dhis2_refuses_is_reported_and_tried_again_next_time(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scdi.connector.reports import TrackerImportReport
    from scdi.connector.sync import engine
    from scdi.connector.sync.send import Sent

    s = sync_server()
    path = _roster(member_contract, tmp_path, members=10)
    _sync(s, path, "push")
    number, values = read_rows(path, TODAY)["support"][0]
    delete_row(path, member_contract, "support", number)
    real_send = engine.send

    def refusing(client, body, *, objects, strategy="CREATE_AND_UPDATE", **kw):  # type: ignore[no-untyped-def]
        if strategy != "DELETE":
            return real_send(client, body, objects=objects, strategy=strategy, **kw)
        return Sent(TrackerImportReport.from_body({
            "status": "ERROR", "stats": {"created": 0, "updated": 0, "deleted": 0, "ignored": 1, "total": 1},
            "validationReport": {"errorReports": [{
                "errorCode": "E1100", "trackerType": "EVENT", "uid": values["uid"],
                "message": f"User: `admin`, lacks authority to delete event: `{values['uid']}`."}]}}))

    monkeypatch.setattr(engine, "send", refusing)
    refused = _sync(s, path, "push", allow_removals=True)
    assert refused.counts["refused"] == 1 and refused.counts["remove"] == 0
    [found] = [f for f in refused.findings if f.code == "refused-E1100"]
    assert found.row is None and found.sheet
    with Ledger.for_group(s.state, s.client.settings.base_url, GROUP) as ledger:
        entry = ledger.by_uid(values["uid"])
        assert entry is not None and entry.state == "synced"
    monkeypatch.setattr(engine, "send", real_send)
    removed = _sync(s, path, "push", allow_removals=True)
    assert removed.counts["remove"] == 1 and removed.counts["refused"] == 0


def test_a_dry_run_writes_nothing_anywhere(sync_server: Make, member_contract: RosterContract,
                                           tmp_path: Path) -> None:
    s = sync_server()
    path = _roster(member_contract, tmp_path, members=10)
    before = path.read_bytes()
    plan = _sync(s, path, "push", dry_run=True)
    assert plan.counts["create"] > 0 and plan.writes == 0
    assert s.server.writes_logged() == [] and path.read_bytes() == before
    with Ledger.for_group(s.state, s.client.settings.base_url, GROUP) as ledger:
        assert ledger.count() == 0


def test_a_member_entered_on_android_is_adopted_not_duplicated(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server()
    path = _roster(member_contract, tmp_path, members=10)
    _sync(s, path, "push")
    ctx = resolve_group(s.client, member_contract, GROUP)
    members = member_contract.sheet("members")
    assert members is not None
    code_uid = members.column("member_code").uid  # type: ignore[union-attr]
    like = {**read_rows(path, TODAY)["members"][0][1], "member_code": "HP-ANDROID-1", "enrolled_on": "2025-11-02"}
    android_upload(s.client, {"trackedEntities": [{
        "trackedEntity": "AndroidTe01", "trackedEntityType": ctx.member_type, "orgUnit": ctx.org_unit,
        "attributes": attributes(member_contract, like),
        "enrollments": [{"enrollment": "AndroidEn01", "program": ctx.member_program, "orgUnit": ctx.org_unit,
                         "enrolledAt": "2025-11-02T00:00:00.000", "occurredAt": "2025-11-02T00:00:00.000",
                         "status": "ACTIVE"}]}]})
    # The leader also typed the member into the roster, without a UID.
    book = load_workbook(path)
    ws = book[members.name("vi")]
    headers = [c.value for c in ws[1]]
    row = ws.max_row + 1
    for column in members.columns:
        if column.key in like and column.key != "uid":
            ws.cell(row=row, column=headers.index(column.vi) + 1, value=to_cell(column, like[column.key], "vi"))
    book.save(path)
    report = _sync(s, path, "push")
    assert report.counts["create"] == 0, report.rows
    found = [e for e in server_members(s.client, ctx.member_program or "", ctx.org_unit)
             if attribute(e, code_uid or "") == "HP-ANDROID-1"]
    assert [e["trackedEntity"] for e in found] == ["AndroidTe01"]
    assert find_row(read_rows(path, TODAY), "members", member_code="HP-ANDROID-1")[1]["uid"] == "AndroidTe01"


def test_a_refused_row_is_reported_at_its_sheet_row_and_column(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    # A server without encryption configured refuses confidential values (E1112): the file is
    # valid, only DHIS2 can say no, and the finding must land on the row and column.
    s = sync_server(encryption=False)
    data = make_roster(member_contract, members=8, group=GROUP)
    for row in data.rows["members"]:
        row["alias"] = None
        row["phone"] = None
    data.rows["members"][2]["phone"] = "0912345678"
    path = write_xlsx(data, member_contract, tmp_path / "roster.xlsx")
    report = _sync(s, path, "push")
    assert report.counts["refused"] == 1 and not report.ok, report.counts
    refused = [f for f in report.findings if f.code.startswith("refused-")]
    assert [(f.sheet, f.row, f.column, f.code) for f in refused] == [("Thành viên", 4, "phone", "refused-E1112")]
    assert "0912345678" not in report.model_dump_json()  # DHIS2's message quotes the value; ours does not
    blocked = [f for f in report.findings if f.code == "member-not-synced"]
    assert blocked and all(f.row for f in blocked)  # that member's events wait, each reported
    with Ledger.for_group(s.state, s.client.settings.base_url, GROUP) as ledger:
        assert ledger.count("pending") == 0  # the refused member's reserved UIDs were released
    number = next(n for n, v in read_rows(path, TODAY)["members"] if v.get("phone"))
    edit_cell(path, member_contract, "members", number, "phone", None)
    fixed = _sync(s, path, "push")
    assert fixed.ok and fixed.counts["create"] == 1 + len(blocked), (fixed.counts, fixed.findings[:4], fixed.rows[:3])


def test_a_corrected_date_is_an_update_and_a_lost_uid_column_is_recovered_from_the_ledger(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server()
    path = _roster(member_contract, tmp_path, members=8)
    _sync(s, path, "push")
    rows = read_rows(path, TODAY)
    number, support = rows["support"][0]
    corrected = "2025-12-30"
    edit_cell(path, member_contract, "support", number, "date", corrected)
    moved = _sync(s, path)
    assert (moved.counts["update"], moved.counts["create"]) == (1, 0)
    event = s.client.get(f"tracker/events/{support['uid']}", params={"fields": "occurredAt"})
    assert event["occurredAt"].startswith(corrected)
    # The hidden uid column emptied (a copy-paste into a new sheet): rows are matched by their
    # keys through the ledger, nothing is created, and the UIDs come back.
    for sheet, found in read_rows(path, TODAY).items():
        for row, _ in found:
            edit_cell(path, member_contract, sheet, row, "uid", None)
    s.server.clear_log()
    again = _sync(s, path)
    assert again.counts["create"] == 0 and s.writes() == 0, again.counts
    assert read_rows(path, TODAY)["support"][0][1]["uid"] == support["uid"]


def test_the_person_editing_the_file_resolves_a_conflict_on_its_conflicts_sheet(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server()
    path = _roster(member_contract, tmp_path, members=6)
    _sync(s, path, "push")
    ctx = resolve_group(s.client, member_contract, GROUP)
    year = member_contract.sheet("members").column("year_of_birth").uid  # type: ignore[union-attr]
    number, member = read_rows(path, TODAY)["members"][1]
    born = int(member["year_of_birth"])
    edit_cell(path, member_contract, "members", number, "year_of_birth", str(born - 1))
    android_upload(s.client, {"trackedEntities": [{"trackedEntity": member["uid"], "trackedEntityType": ctx.member_type,
                                                   "orgUnit": ctx.org_unit,
                                                   "attributes": [{"attribute": year, "value": str(born + 1)}]}]})
    assert _sync(s, path).counts["conflict"] == 1
    book = load_workbook(path)
    book["Xung đột"]["H2"] = "máy chủ"  # keep the server's value
    book.save(path)
    chosen = _sync(s, path)
    assert chosen.counts["conflict"] == 0 and chosen.conflicts[0].resolved == "server"
    assert find_row(read_rows(path, TODAY), "members", uid=member["uid"])[1]["year_of_birth"] == str(born + 1)
    assert "Xung đột" not in load_workbook(path).sheetnames


def test_a_rerun_reads_from_the_watermark_unless_the_window_before_it_holds_a_stranger(
        sync_server: Make, member_contract: RosterContract, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from scdi.connector.sync import export

    s = sync_server()
    path = _roster(member_contract, tmp_path, members=20)
    assert _sync(s, path).ok
    reads: list[tuple[str | None, str | None]] = []  # (updatedAfter, updatedBefore) of each full read
    got: list[dict[str, object]] = []
    for name in ("tracked_entities", "events"):
        original = getattr(export, name)

        def spy(client, program, org_unit, updated_after, *rest, _original=original, **kw):  # type: ignore[no-untyped-def]
            before = kw.get("updated_before") or (rest[-1] if rest else None)
            reads.append((updated_after, before))
            for item in _original(client, program, org_unit, updated_after, *rest, **kw):
                got.append(item)
                yield item

        monkeypatch.setattr(export, name, spy)
    programs = sorted({sheet.program for sheet in member_contract.sheets})

    def ledger() -> Ledger:
        return Ledger.for_group(s.state, s.client.settings.base_url, GROUP)

    def mark() -> str:
        with ledger() as open_ledger:
            [value] = {open_ledger.watermark(p) for p in programs}
        assert value is not None
        return value

    # The first sync's own writes sit in the window before its watermark, counted by it: the
    # server's count agrees, so the read starts at the watermark and nothing is read in full.
    first = mark()
    again = _sync(s, path)
    assert again.ok and again.counts["unchanged"] == sum(again.counts.values())
    assert reads and {after for after, _ in reads} == {first} and got == []

    # One more record in the window than the last run counted (one that became visible late):
    # the window is read again in full.
    second = mark()
    with ledger() as open_ledger, open_ledger.transaction():
        for program in programs:
            kept = json.loads(open_ledger.meta(f"window:{program}") or "{}")
            assert kept["mark"] == second
            kept["counts"]["events"] -= 1
            open_ledger.set_meta(f"window:{program}", json.dumps(kept))
    reads.clear()
    assert _sync(s, path).ok
    assert (export.since(second), second) in reads

    # A ledger without counts (kept by an older run): the window is looked at light, and a record
    # there the ledger knows at another stamp makes it read in full.
    third = mark()
    with ledger() as open_ledger, open_ledger.transaction():
        for program in programs:
            open_ledger.set_meta(f"window:{program}", "")
        member = next(e for e in open_ledger.entries("members"))
        open_ledger.record_stamps([(member.uid, "2000-01-01T00:00:00.000")])
    reads.clear()
    assert _sync(s, path).ok
    assert export.since(third) in {after for after, _ in reads}
