"""One record of a roster, as either side holds it, and how records are identified.

A `Record` is a row of a roster sheet in DHIS2's value formats (the validator's parsers give
the file's side, the tracker export the server's): members are tracked entities with their
member-program enrollment, every other sheet is an event. Both sides are compared through the
same `values` mapping (column key → DHIS2 value text, blank values absent, `uid` never in it),
so a value that reads the same is the same.

Identity, in this order: the DHIS2 UID (the hidden `uid` column, or the ledger's mapping), then
the natural key of the sheet (`natural_key`): a member's folded code; a member event's member
and date (member only on a non-repeatable stage); a meeting's date; an outreach session's date
and content (sessions have no key of their own until the first push gives them a UID).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from scdi.connector.roster.contract import DATE_KEY, MEMBER_KEY, UID_KEY, SheetSpec
from scdi.connector.roster.text import code_key

# Roster `status` ↔ the member enrollment's status: a paused member is a deactivated enrollment
# (Android Capture's "Deactivate", DHIS2's CANCELLED), one who left has completed it.
STATUS_TO_ENROLLMENT = {"active": "ACTIVE", "paused": "CANCELLED", "left": "COMPLETED"}
ENROLLMENT_TO_STATUS = {v: k for k, v in STATUS_TO_ENROLLMENT.items()}


@dataclass(frozen=True, slots=True)
class Record:
    sheet: str  # the contract's sheet key
    key: str  # natural_key(): unique within the sheet
    values: Mapping[str, str]
    uid: str | None = None  # tracked entity (members) or event UID
    row: int | None = None  # Excel row number in the file; None for a server record
    member: str | None = None  # folded member code, on a member's event sheets
    updated_at: str | None = None  # the server's updatedAt, for server records
    extra: Mapping[str, str] = field(default_factory=dict)  # e.g. enrollment UID, status as DHIS2 has it

    @property
    def digest(self) -> str:
        return digest(self.values)


def digest(values: Mapping[str, str]) -> str:
    """A stable content hash of a record's values (what the ledger compares to skip unchanged rows)."""
    text = json.dumps(sorted(values.items()), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def natural_key(spec: SheetSpec, values: Mapping[str, str]) -> str | None:
    """The sheet's key of a row, or None when the columns that make it are blank."""
    if spec.role == "members":
        code = values.get(MEMBER_KEY)
        return code_key(code) if code else None
    if spec.role == "events":
        when = values.get(DATE_KEY)
        if not when:
            return None
        rest = {k: v for k, v in values.items() if k not in (DATE_KEY, UID_KEY)}
        return f"{when[:10]}|{digest(rest)[:12]}"
    parts: list[str] = []
    for key in spec.keys:
        value = values.get(key)
        if not value:
            return None
        parts.append(code_key(value) if key == MEMBER_KEY else value[:10])
    return "|".join(parts)


def record_of(spec: SheetSpec, row: int | None, values: Mapping[str, str]) -> Record | None:
    """A file row as a record (None when its key columns are blank: such a row is invalid)."""
    key = natural_key(spec, values)
    if key is None:
        return None
    member = values.get(MEMBER_KEY)
    body = {k: v for k, v in values.items() if k != UID_KEY}
    return Record(sheet=spec.key, key=key, values=body, uid=values.get(UID_KEY), row=row,
                  member=code_key(member) if member and spec.role == "member_events" else None)
