"""Server JSON → `Record`, in the value formats the roster validator gives the file's side.

Every server value goes through the same column parser a file cell does (`parser_for`), so
`2025-03-01T00:00:00.000` and a cell dated 1 March 2025 read the same, and `3` equals `3.0`.
A value the parser refuses is kept as the server has it (it then simply differs from the file).
Members: the tracked entity's attributes, the enrollment's date and status; events: the
occurred date and data values, with the member's code on the member's sheets (from the tracked
entity the event belongs to).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from scdi.connector.roster.contract import (
    DATE_KEY,
    ENROLLED_KEY,
    MEMBER_KEY,
    STATUS_KEY,
    ColumnSpec,
    RosterContract,
    SheetSpec,
)
from scdi.connector.roster.text import code_key
from scdi.connector.roster.values import Parser, parser_for
from scdi.connector.sync.records import ENROLLMENT_TO_STATUS, Record, natural_key


@dataclass
class _Sheet:
    spec: SheetSpec
    by_uid: dict[str, tuple[ColumnSpec, Parser]]  # attribute or data element UID → column


class Converter:
    def __init__(self, contract: RosterContract, today: date,
                 org_unit_code: Callable[[str], str] | None = None) -> None:
        self.contract = contract
        self.org_unit_code = org_unit_code
        self.sheets: dict[str, _Sheet] = {}
        self.by_stage: dict[str, _Sheet] = {}
        self.members: _Sheet | None = None
        self.date_parser = parser_for(ColumnSpec(key=DATE_KEY, vi="", en="", value_type="DATE"), today)
        for spec in contract.sheets:
            sheet = _Sheet(spec, {c.uid: (c, parser_for(c, today)) for c in spec.columns
                                  if c.uid and c.source in ("attribute", "dataElement") and c.key != MEMBER_KEY})
            self.sheets[spec.key] = sheet
            if spec.role == "members":
                self.members = sheet
                code = spec.column(MEMBER_KEY)
                self.code_attribute = code.uid if code else None
                self.code_parser = parser_for(code, today) if code else None
            if spec.stage:
                self.by_stage[spec.stage] = sheet

    def _value(self, parser: Parser, raw: Any) -> str | None:
        if raw is None or raw == "":
            return None
        value, problem = parser(str(raw))
        return value if value is not None and problem is None else str(raw)

    def member(self, entity: Mapping[str, Any], program: str) -> Record | None:
        """A member record, or None for a tracked entity without a member code or enrollment."""
        sheet = self.members
        if sheet is None or self.code_parser is None:
            return None
        values: dict[str, str] = {}
        for item in entity.get("attributes") or []:
            uid = item.get("attribute")
            if uid == self.code_attribute:
                code = self._value(self.code_parser, item.get("value"))
                if code:
                    values[MEMBER_KEY] = code
            elif uid in sheet.by_uid:
                column, parser = sheet.by_uid[uid]
                value = self._value(parser, item.get("value"))
                if value is not None:
                    values[column.key] = value
        enrollment = _enrollment(entity, program)
        if MEMBER_KEY not in values or enrollment is None:
            return None
        enrolled = self._value(self.date_parser, enrollment.get("enrolledAt"))
        if enrolled:
            values[ENROLLED_KEY] = enrolled
        values[STATUS_KEY] = ENROLLMENT_TO_STATUS.get(str(enrollment.get("status")), "active")
        key = natural_key(sheet.spec, values)
        if key is None:
            return None
        deleted = bool(entity.get("deleted")) or bool(enrollment.get("deleted"))
        return Record(sheet=sheet.spec.key, key=key, values=values, uid=str(entity["trackedEntity"]),
                      updated_at=_latest(entity.get("updatedAt"), enrollment.get("updatedAt")),
                      extra={"enrollment": str(enrollment.get("enrollment") or ""),
                             "org_unit": str(enrollment.get("orgUnit") or entity.get("orgUnit") or ""),
                             "status": str(enrollment.get("status") or ""), "deleted": "true" if deleted else ""})

    def event(self, event: Mapping[str, Any], member_code: Callable[[str], str | None]) -> Record | None:
        """An event record, or None for a stage the roster has no sheet for, or an event of a
        member the group does not have."""
        sheet = self.by_stage.get(str(event.get("programStage") or ""))
        if sheet is None:
            return None
        values: dict[str, str] = {}
        member: str | None = None
        if sheet.spec.role == "member_events":
            code = member_code(str(event.get("trackedEntity") or ""))
            if code is None:
                return None
            values[MEMBER_KEY] = code
            member = code_key(code)
        when = self._value(self.date_parser, event.get("occurredAt"))
        if when:
            values[DATE_KEY] = when
        for item in event.get("dataValues") or []:
            found = sheet.by_uid.get(str(item.get("dataElement")))
            if found is None:
                continue
            column, parser = found
            raw = item.get("value")
            if column.value_type == "ORGANISATION_UNIT" and raw and self.org_unit_code is not None:
                raw = self.org_unit_code(str(raw))
            value = self._value(parser, raw)
            if value is not None:
                values[column.key] = value
        key = natural_key(sheet.spec, values)
        if key is None:
            return None
        return Record(sheet=sheet.spec.key, key=key, values=values, uid=str(event["event"]), member=member,
                      updated_at=str(event.get("updatedAt") or "") or None,
                      extra={"enrollment": str(event.get("enrollment") or ""),
                             "tracked_entity": str(event.get("trackedEntity") or ""),
                             "status": str(event.get("status") or ""),
                             "deleted": "true" if event.get("deleted") else ""})


def _enrollment(entity: Mapping[str, Any], program: str) -> Mapping[str, Any] | None:
    """The member's enrollment in the program: the live one, the latest when there are several."""
    found = [e for e in entity.get("enrollments") or [] if e.get("program") == program]
    live = [e for e in found if not e.get("deleted")] or found
    return max(live, key=lambda e: str(e.get("enrolledAt") or ""), default=None)


def _latest(*stamps: Any) -> str | None:
    present = [str(s) for s in stamps if s]
    return max(present) if present else None
