"""The roster part of `scdi demo`: a group's template made from the package, a small synthetic
roster filled in as a leader would, and what validation says of it and of a copy with the
mistakes people make (a member code twice, a year of birth from the future).

Synthetic values only: member codes `DEMO-001…`, no names, no phones.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field

from scdi.connector.roster.contract import ENROLLED_KEY, MEMBER_KEY, STATUS_KEY, ColumnSpec, load_contract
from scdi.connector.roster.validate import validate_roster
from scdi.connector.roster.write import write_roster

MEMBERS = 3


class RosterDemoStep(BaseModel):
    name: str = "rosters"
    ok: bool
    summary: str
    details: list[str] = Field(default_factory=list)


def _value(column: ColumnSpec, today: dt.date) -> str:
    """A valid value for a required column: the first option, a plain number or date."""
    if column.options:
        return column.options[0].code
    if column.key == "year_of_birth":
        return str(today.year - 35)
    if column.value_type in ("BOOLEAN", "TRUE_ONLY"):
        return "true" if column.value_type == "TRUE_ONLY" else "false"
    if column.value_type.startswith("INTEGER") or column.value_type == "NUMBER":
        return "1"
    if column.value_type in ("DATE", "AGE"):
        return today.isoformat()
    return "-"


def demo_rosters(folder: Path, group: str, *, today: dt.date | None = None) -> RosterDemoStep:
    day = today or dt.date.today()
    contract = load_contract("member")
    members = contract.sheet("members")
    assert members is not None  # the member contract always has its members sheet
    template = write_roster(contract, folder / f"{group}-template.xlsx", group=group, made_on=day)
    enrolled = (day - dt.timedelta(days=30)).isoformat()
    rows = []
    for number in range(1, MEMBERS + 1):
        row = {c.key: _value(c, day) for c in members.columns if c.required}
        row.update({MEMBER_KEY: f"DEMO-{number:03d}", ENROLLED_KEY: enrolled, STATUS_KEY: "active"})
        rows.append(row)
    filled = write_roster(contract, folder / f"{group}-roster.xlsx", group=group, made_on=day,
                          rows={"members": rows})
    clean = validate_roster(Path(filled.path), group=group, today=day)
    messy_rows = [*rows, {**rows[0]}, {**rows[1], MEMBER_KEY: "DEMO-009", "year_of_birth": str(day.year + 1)}]
    messy = write_roster(contract, folder / f"{group}-roster-mistakes.xlsx", group=group, made_on=day,
                         rows={"members": messy_rows})
    checked = validate_roster(Path(messy.path), group=group, today=day)
    totals = clean.summary()["rows"]
    details = [
        f"template: {len(contract.sheets)} sheets, {sum(len(s.columns) for s in contract.sheets)} columns, "
        f"drop-downs from the package's option sets ({Path(template.path).name})",
        f"filled roster: {totals['read']} rows read, {totals['valid']} valid, "
        f"{clean.summary()['errors']} errors (types, keys and the package's program rules in DHIS2's rule engine)",
        f"a copy with mistakes: {checked.summary()['errors']} errors, {checked.summary()['warnings']} warnings",
        *(f"  {f.one_line()}" for f in checked.findings if f.severity.value != "INFO"),
    ]
    ok = clean.ok and not checked.ok and any(f.code == "duplicate-member" for f in checked.findings)
    return RosterDemoStep(ok=ok, summary=f"template, a {MEMBERS}-member synthetic roster validated, and its "
                                         "mistakes found by sheet, row and column", details=details)
