"""The roster sync part of `scdi demo`: a synthetic group's roster pushed, one record edited in
the file, another on the server as Android Capture would, one field on both sides; a sync that
merges the two and records the conflict on the file's Conflicts sheet; a pull that writes the
whole group back into a new spreadsheet.

Synthetic values only (`make_roster`); the step shows sheets, rows, columns and counts, never a
member's values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.roster.contract import RosterContract, load_contract
from scdi.connector.roster.synthetic import make_roster, write_xlsx
from scdi.connector.roster.validate import validate_roster
from scdi.connector.roster.values import to_cell
from scdi.connector.sync.engine import SyncReport, iter_actions, run
from scdi.connector.sync.group import resolve_group

MEMBERS = 12
YEAR_COLUMN = "year_of_birth"


class SyncDemoStep(BaseModel):
    name: str = "roster sync"
    ok: bool
    summary: str
    details: list[str] = Field(default_factory=list)


def _counts(report: SyncReport) -> str:
    return ", ".join(f"{action} {n}" for action, n in iter_actions(report)) or "nothing to do"


def _member_rows(path: Path, today: Any) -> list[tuple[int, dict[str, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []

    def keep(spec: Any, row: int, values: dict[str, str]) -> None:
        if spec.key == "members":
            rows.append((row, dict(values)))

    validate_roster(path, engines=False, today=today, on_row=keep)
    return rows


def _edit(path: Path, contract: RosterContract, row: int, value: str) -> None:
    """One cell of the members sheet changed, as a leader would in a spreadsheet program."""
    spec = contract.sheet("members")
    assert spec is not None  # the member contract always has it
    column = spec.column(YEAR_COLUMN)
    assert column is not None
    book = load_workbook(path)
    sheet = book[spec.name("vi")]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=headers.index(column.vi) + 1).value = to_cell(column, value, "vi")
    book.save(path)


def demo_sync(client: Dhis2Client, folder: Path, group: str) -> SyncDemoStep:
    contract = load_contract("member")
    data = make_roster(contract, members=MEMBERS, group=group)
    day = data.today
    state = folder / "ledger"
    path = write_xlsx(data, contract, folder / f"{group}-roster.xlsx")
    first = run(client, path, group, "push", state_dir=state, today=day)
    again = run(client, path, group, "push", state_dir=state, today=day)
    details = [f"push: {_counts(first)} in {first.writes} write requests (batches of up to 500, client-made UIDs "
               "written into the file's hidden uid column)",
               f"push again: {again.writes} write requests ({again.counts['unchanged']} unchanged)"]
    rows = _member_rows(path, day)
    (row_a, _), (_, member_b), (row_c, member_c) = rows[0], rows[1], rows[2]
    _edit(path, contract, row_a, "1971")
    _edit(path, contract, row_c, "1973")
    ctx = resolve_group(client, contract, group)
    spec = contract.sheet("members")
    column = spec.column(YEAR_COLUMN) if spec else None
    client.import_tracker({"trackedEntities": [
        {"trackedEntity": member["uid"], "trackedEntityType": ctx.member_type, "orgUnit": ctx.org_unit,
         "attributes": [{"attribute": column.uid if column else "", "value": year}]}
        for member, year in ((member_b, "1982"), (member_c, "1983"))]},
        {"importStrategy": "CREATE_AND_UPDATE", "atomicMode": "OBJECT"})
    details.append(f"edited: members row {row_a} in the file; another member on the server (as Android would); "
                   f"row {row_c}'s {YEAR_COLUMN} on both sides, to different years")
    merged = run(client, path, group, "sync", state_dir=state, today=day)
    details.append(f"sync: {_counts(merged)}; {merged.writes} write requests")
    details += [f"  {r.sheet} row {r.row}: " + ("to server " + ", ".join(r.to_server) if r.to_server else "")
                + ("to file " + ", ".join(r.to_file) if r.to_file else "")
                + ("conflict " + ", ".join(r.conflicts) if r.conflicts else "") for r in merged.rows]
    sheets = load_workbook(path, read_only=True).sheetnames
    for conflict in merged.conflicts:
        details.append(f"  conflict kept open: {conflict.sheet} row {conflict.row} {conflict.column} "
                       f"(file {conflict.file_value_kind} changed {conflict.file_changed}, server "
                       f"{conflict.server_value_kind} changed {conflict.server_changed}); "
                       f"on the file's sheet “Xung đột”: {'Xung đột' in sheets}")
    pulled = run(client, folder / f"{group}-pulled.xlsx", group, "pull", state_dir=folder / "ledger-pull", today=day)
    details.append(f"pull into a new file: {_counts(pulled)}")
    ok = (first.ok and again.writes == 0 and merged.counts["update"] == 2 and merged.counts["conflict"] == 1
          and pulled.counts["from_server"] == data.count() and "Xung đột" in sheets)
    return SyncDemoStep(ok=ok, summary=f"a {MEMBERS}-member group's year pushed ({data.count()} records), "
                        "edited on both sides, merged with one conflict recorded, pulled back", details=details)
