"""Test helpers for sync: reading a roster's rows, editing cells as a person would, and writing
on the server as DHIS2 Android Capture does (the SDK's upload: async job, atomicMode=OBJECT)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from scdi.connector.client import Dhis2Client
from scdi.connector.roster.contract import RosterContract
from scdi.connector.roster.validate import validate_roster
from scdi.connector.roster.values import to_cell

Rows = dict[str, list[tuple[int, dict[str, str]]]]


def read_rows(path: Path, today: date) -> Rows:
    """Every non-blank row of every sheet: sheet key → [(row, values)], in file order."""
    got: Rows = {}
    validate_roster(path, engines=False, today=today,
                    on_row=lambda spec, row, values: got.setdefault(spec.key, []).append((row, dict(values))))
    return got


def contents(rows: Rows) -> dict[str, list[tuple[tuple[str, str], ...]]]:
    """Rows without their UIDs, sorted: what two rosters must share cell for cell."""
    return {k: sorted(tuple(sorted((c, v) for c, v in values.items() if c != "uid")) for _, values in found)
            for k, found in rows.items()}


def find_row(rows: Rows, sheet: str, **match: str) -> tuple[int, dict[str, str]]:
    for number, values in rows[sheet]:
        if all(values.get(k) == v for k, v in match.items()):
            return number, values
    raise AssertionError(f"no row of {sheet} with {sorted(match)}")


def edit_cell(path: Path, contract: RosterContract, sheet: str, row: int, column: str, value: str | None,
              lang: str = "vi") -> None:
    """Change one cell in place, as a person editing the file in a spreadsheet program would."""
    spec = contract.sheet(sheet)
    assert spec is not None
    book = load_workbook(path)
    ws = book[spec.name(lang)]  # type: ignore[arg-type]
    headers = [c.value for c in ws[1]]
    col = spec.column(column)
    assert col is not None
    # openpyxl's ws.cell(value=None) leaves the cell as it is: set the value on the cell itself.
    ws.cell(row=row, column=headers.index(col.header(lang)) + 1).value = to_cell(col, value, lang)  # type: ignore[arg-type]
    book.save(path)


def delete_row(path: Path, contract: RosterContract, sheet: str, row: int, lang: str = "vi") -> None:
    spec = contract.sheet(sheet)
    assert spec is not None
    book = load_workbook(path)
    book[spec.name(lang)].delete_rows(row)  # type: ignore[arg-type]
    book.save(path)


def android_upload(client: Dhis2Client, payload: dict[str, Any]) -> dict[str, Any]:
    """POST /api/tracker as the Android SDK does (TrackerImporterService: async, atomicMode=OBJECT,
    then poll the job every 2 s; here faster) and return the job's report."""
    body = client.post("tracker", json=payload, params={"async": "true", "importStrategy": "CREATE_AND_UPDATE",
                                                        "atomicMode": "OBJECT"})
    job = body["response"]["id"]
    for _ in range(200):
        notes = client.get(f"tracker/jobs/{job}")
        if any(n.get("completed") for n in notes):
            report: dict[str, Any] = client.get(f"tracker/jobs/{job}/report", params={"reportMode": "FULL"})
            assert report["status"] == "OK" and report["stats"]["ignored"] == 0, report["validationReport"]
            return report
        time.sleep(0.05)
    raise AssertionError("the upload job did not finish")


def server_members(client: Dhis2Client, program: str, org_unit: str) -> list[dict[str, Any]]:
    return list(client.items("tracker/trackedEntities", params={
        "program": program, "orgUnits": org_unit, "orgUnitMode": "SELECTED",
        "fields": "trackedEntity,attributes[attribute,value],enrollments[enrollment,status,enrolledAt]"}))


def attribute(entity: dict[str, Any], uid: str) -> str | None:
    return next((a["value"] for a in entity.get("attributes") or [] if a["attribute"] == uid), None)


def data_values(contract: RosterContract, sheet: str, values: dict[str, str]) -> list[dict[str, str]]:
    """A roster row's data values as an event payload carries them."""
    spec = contract.sheet(sheet)
    assert spec is not None
    return [{"dataElement": c.uid, "value": values[c.key]} for c in spec.columns
            if c.source == "dataElement" and c.uid and c.key in values]


def attributes(contract: RosterContract, values: dict[str, str]) -> list[dict[str, str]]:
    """A members row's attribute values as a tracked entity payload carries them."""
    spec = contract.sheet("members")
    assert spec is not None
    return [{"attribute": c.uid, "value": values[c.key]} for c in spec.columns
            if c.source == "attribute" and c.uid and c.key in values]
