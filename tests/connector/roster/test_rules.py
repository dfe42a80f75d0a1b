"""A program rule that fires on Android fires on the roster row, with the same message.

The package's own rule test cases (`metadata/rule-tests/*.json`, checked in DHIS2's rule engine
by `scdi metadata validate`) say which inputs make each rule fire. Each firing case becomes a
roster (a member with the case's attributes, the case's event as a row on its stage's sheet,
the other events on theirs), is validated, and the rule's effect must be a finding on that
row: its message for an error or warning, `rule-mandatory` for a field the rule makes
mandatory, `rule-hidden-value` for a filled field the rule hides. Every stage with a rule is
covered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.roster.contract import RosterContract, SheetSpec, default_package, load_contract
from scdi.connector.roster.rule_model import REPORTED
from scdi.connector.roster.validate import validate_roster
from scdi.connector.roster.write import write_roster

from .conftest import needs_engines

MESSAGE_TYPES = {"SHOWERROR": "rule-error", "ERRORONCOMPLETE": "rule-error",
                 "SHOWWARNING": "rule-warning", "WARNINGONCOMPLETE": "rule-warning"}
DEFAULT_TODAY = "2025-12-31"
PACKAGE = default_package()
BY_ID = {o["id"]: o for items in PACKAGE.values() if isinstance(items, list) for o in items
         if isinstance(o, dict) and "id" in o}


@dataclass
class Expectation:
    case: str
    sheet: str
    row: int
    column: str | None
    code: str
    message: str | None
    stage: str | None


@dataclass
class Built:
    contract: RosterContract
    today: str
    rows: dict[str, list[dict[str, str | None]]] = field(default_factory=dict)
    expectations: list[Expectation] = field(default_factory=list)

    def add(self, sheet: SheetSpec, row: dict[str, str | None]) -> int:
        rows = self.rows.setdefault(sheet.key, [])
        rows.append(row)
        return len(rows) + 1


def _cases() -> list[tuple[str, dict[str, Any]]]:
    folder = files("scdi.metadata").joinpath("rule-tests")
    out = []
    for name in ("scdi_member.json", "scdi_group.json", "scdi_outreach.json"):
        document = json.loads(folder.joinpath(name).read_text("utf-8"))
        for case in document["cases"]:
            if any(e["type"] in REPORTED for e in case["expect"]):
                out.append((document["program"], case))
    return out


def _sheet_of_stage(contract: RosterContract, stage: str | None) -> SheetSpec | None:
    return next((s for s in contract.sheets if s.stage == stage), None) if stage else contract.sheet("members")


def _key(contract: RosterContract, sheet: SheetSpec, uid: str) -> str | None:
    column = next((c for c in sheet.columns if c.uid == uid), None)
    return column.key if column else None


def _filler(sheet: SheetSpec, key: str) -> str:
    column = sheet.column(key)
    assert column is not None
    if column.options:
        return column.options[0].code
    return {"DATE": "2025-01-20", "BOOLEAN": "true", "TRUE_ONLY": "true", "PHONE_NUMBER": "0912000111"}.get(
        column.value_type, "7" if "INTEGER" in column.value_type else "Ghi chú")


def _action(rule_uid: str, kind: str, field_uid: str | None) -> dict[str, Any]:
    rule = BY_ID[rule_uid]
    for ref in rule["programRuleActions"]:
        action = BY_ID[ref["id"]]
        target = (action.get("dataElement") or action.get("trackedEntityAttribute") or {}).get("id")
        if action["programRuleActionType"] == kind and (field_uid is None or target == field_uid):
            return action
    raise AssertionError(f"no {kind} action on {field_uid} in rule {rule_uid}")


def _build(program: str, cases: list[dict[str, Any]], index: int) -> Built | None:
    contract = load_contract("outreach" if BY_ID[program]["programType"] == "WITHOUT_REGISTRATION" else "member")
    built = Built(contract=contract, today=cases[0].get("today") or DEFAULT_TODAY)
    members = contract.sheet("members")
    is_member_program = members is not None and members.program == program
    for number, case in enumerate(cases):
        if not is_member_program and case.get("attributes"):
            continue  # the group's own attributes are not part of a roster
        code = f"R-{index + number:03d}"
        row_of: dict[str, tuple[SheetSpec, int, dict[str, str | None]]] = {}
        if is_member_program:
            assert members is not None
            member: dict[str, str | None] = {"member_code": code, "enrolled_on": case.get("enrolledAt", "2025-01-15")}
            for uid, value in case.get("attributes", {}).items():
                key = _key(contract, members, uid)
                if key:
                    member[key] = value
            for column in members.columns:
                if column.required and column.key not in member:
                    member[column.key] = _filler(members, column.key)
            row_of["members"] = (members, built.add(members, member), member)
        events = [(o["stage"], o["eventDate"], o.get("dataValues", {})) for o in case.get("otherEvents", [])]
        if case.get("stage"):
            events.append((case["stage"], case.get("eventDate") or case.get("enrolledAt"), case.get("dataValues", {})))
        for position, (stage, when, values) in enumerate(events):
            sheet = _sheet_of_stage(contract, stage)
            assert sheet is not None, stage
            row: dict[str, str | None] = {"date": when}
            if sheet.role == "member_events":
                row["member_code"] = code
            for uid, value in values.items():
                key = _key(contract, sheet, uid)
                if key:
                    row[key] = value
            if sheet.key == "attendance" and contract.sheet("meeting"):
                meeting = contract.sheet("meeting")
                assert meeting is not None
                if when not in {r["date"] for r in built.rows.get("meeting", [])}:
                    built.add(meeting, {"date": when})
            target = position == len(events) - 1 and case.get("stage") == stage
            if target:
                for expected in case["expect"]:
                    if expected["type"] == "HIDEFIELD":
                        key = _key(contract, sheet, expected["field"])
                        if key and key not in row:
                            row[key] = _filler(sheet, key)
                row_of["target"] = (sheet, built.add(sheet, row), row)
            else:
                built.add(sheet, row)
        sheet, row_number, row = row_of["target"] if case.get("stage") else row_of["members"]
        for expected in case["expect"]:
            kind = expected["type"]
            if kind not in REPORTED:
                continue
            action = _action(case["rule"], kind, expected.get("field"))
            field_uid = expected.get("field") or (action.get("dataElement") or action.get(
                "trackedEntityAttribute") or {}).get("id")
            column = _key(contract, sheet, field_uid) if field_uid else None
            if kind in MESSAGE_TYPES:
                message = " ".join(p for p in (action.get("content", "").strip(), expected.get("data") or "") if p)
                built.expectations.append(Expectation(case["id"], sheet.name("en"), row_number, column,
                                                      MESSAGE_TYPES[kind], message if expected.get("data") else
                                                      action.get("content", "").strip(), case.get("stage")))
            elif kind == "SETMANDATORYFIELD" and column and column not in row:
                built.expectations.append(Expectation(case["id"], sheet.name("en"), row_number, column,
                                                      "rule-mandatory", None, case.get("stage")))
            elif kind == "HIDEFIELD" and column:
                built.expectations.append(Expectation(case["id"], sheet.name("en"), row_number, column,
                                                      "rule-hidden-value", None, case.get("stage")))
    return built if built.expectations else None


def _plans() -> list[tuple[str, Built]]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for program, case in _cases():
        members_program = load_contract("member").sheet("members").program  # type: ignore[union-attr]
        # Member cases share one roster (one member each); others run one roster per case.
        key = (program, case.get("today") or DEFAULT_TODAY) if program == members_program else (program, case["id"])
        grouped.setdefault(key, []).append(case)
    plans = []
    for index, ((program, label), cases) in enumerate(sorted(grouped.items())):
        built = _build(program, cases, index * 100)
        if built is not None:
            plans.append((f"{BY_ID[program]['code']}-{label}", built))
    return plans


PLANS = _plans()


@needs_engines
@pytest.mark.parametrize("built", [b for _, b in PLANS], ids=[name for name, _ in PLANS])
def test_rules_fire_on_the_roster_row_as_on_the_phone(built: Built, tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    write_roster(built.contract, path, lang="en", rows=built.rows)
    report = validate_roster(path, today=date.fromisoformat(built.today), lang="en")
    for expected in built.expectations:
        matches = [f for f in report.findings if (f.sheet, f.row, f.code) == (expected.sheet, expected.row,
                                                                             expected.code)]
        assert matches, f"{expected.case}: no {expected.code} on {expected.sheet} row {expected.row}:\n" + "\n".join(
            f.one_line() for f in report.findings)
        assert any(f.column == expected.column for f in matches), expected
        if expected.message is not None:
            assert any(f.message == expected.message or f.message.startswith(expected.message + " ")
                       for f in matches), (expected, [f.message for f in matches])


def test_every_stage_with_a_reported_rule_is_covered() -> None:
    covered = {e.stage for _, built in PLANS for e in built.expectations}
    staged = {r["programStage"]["id"] for r in PACKAGE["programRules"] if r.get("programStage")
              and any(BY_ID[a["id"]]["programRuleActionType"] in REPORTED for a in r["programRuleActions"])}
    assert staged <= covered
    assert None in covered  # the enrollment (members sheet) too
