"""What a check reports: one finding says how bad, which check, what is wrong and where.

One location type serves every input scdi-groups reads: a metadata file and the DHIS2 object
(and property) in it, or a roster workbook's sheet, row and column. Every part is optional; a
finding names as much of the place as it knows. A finding renders from the same object as a
table row or one line for people and as a flat JSON object for machines.
"""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "ERROR"  # DHIS2 would refuse it, or phones would misbehave: deploy must not go on
    WARNING = "WARNING"  # works, but against DHIS2 package practice or Android limits
    INFO = "INFO"  # worth knowing

    @property
    def rank(self) -> int:
        return {"ERROR": 0, "WARNING": 1, "INFO": 2}[self.value]


class ObjectRef(BaseModel):
    """A DHIS2 object (type as in the schema, e.g. `dataElement`), and the property meant."""

    model_config = ConfigDict(frozen=True)

    type: str | None = None
    uid: str | None = None
    name: str | None = None
    property: str | None = None

    def where(self) -> str:
        label = " ".join(part for part in (repr(self.name) if self.name else None,
                                            f"[{self.uid}]" if self.uid else None) if part)
        what = f"{self.type or ''} {label}".strip()
        prop = f"property {self.property!r}" if self.property else ""
        return " · ".join(part for part in (what, prop) if part)


class Location(BaseModel):
    """Where a finding is: file, sheet, row (1-based, as a spreadsheet shows it), column, object."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    object: ObjectRef | None = None

    def where(self) -> str:
        parts = [
            self.file or "",
            f"sheet {self.sheet!r}" if self.sheet else "",
            f"row {self.row}" if self.row is not None else "",
            f"column {self.column!r}" if self.column else "",
            self.object.where() if self.object else "",
        ]
        return " · ".join(part for part in parts if part)


TABLE_HEADERS = ("severity", "code", "where", "message")

MAX_CANDIDATES = 5


class Candidate(BaseModel):
    """What a person could have meant where a value matched nothing or more than one thing
    (an org unit for a place): its name, code, UID and path as names."""

    model_config = ConfigDict(frozen=True)

    name: str
    code: str | None = None
    uid: str
    path: str  # "Việt Nam / Tỉnh Quảng Ninh / Phường Hạ Long"


class Finding(BaseModel):
    """One problem in one place. `code` is a stable id (e.g. `identity.code-format`, or
    `deploy.E5002` for an import error DHIS2 reported) that tests and people filter on."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    message: str
    location: Location = Location()
    candidates: tuple[Candidate, ...] = ()

    # -- the place, part by part (None when the finding does not name it) -------------------

    @property
    def file(self) -> str | None:
        return self.location.file

    @property
    def sheet(self) -> str | None:
        return self.location.sheet

    @property
    def row(self) -> int | None:
        return self.location.row

    @property
    def column(self) -> str | None:
        return self.location.column

    @property
    def object_type(self) -> str | None:
        return self.location.object.type if self.location.object else None

    @property
    def uid(self) -> str | None:
        return self.location.object.uid if self.location.object else None

    @property
    def name(self) -> str | None:
        return self.location.object.name if self.location.object else None

    @builtins.property  # the plain name is this very attribute from here on
    def property(self) -> str | None:
        return self.location.object.property if self.location.object else None

    # -- renderings ----------------------------------------------------------------------

    def where(self) -> str:
        return self.location.where()

    def table_row(self) -> tuple[str, str, str, str]:
        """The cells under TABLE_HEADERS."""
        return (self.severity.value, self.code, self.where(), self.message)

    def one_line(self) -> str:
        where = self.where()
        head = f"{self.severity.value:<7} {self.code}"
        text = f"{head}: {where}: {self.message}" if where else f"{head}: {self.message}"
        if self.candidates:
            text += " — candidates: " + "; ".join(f"{c.path} [{c.code or c.uid}]" for c in self.candidates)
        return text

    def to_json(self) -> dict[str, Any]:
        """Flat, one key per part of the place. `check` repeats `code` under the name the
        first releases' JSON used."""
        place = self.location
        ref = place.object or ObjectRef()
        return {
            "severity": self.severity.value, "code": self.code, "check": self.code,
            "message": self.message, "file": place.file, "sheet": place.sheet, "row": place.row,
            "column": place.column, "object_type": ref.type, "name": ref.name, "uid": ref.uid,
            "property": ref.property,
        } | ({"candidates": [c.model_dump() for c in self.candidates]} if self.candidates else {})


def finding(
    severity: Severity,
    code: str,
    message: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    object_type: str | None = None,
    uid: str | None = None,
    name: str | None = None,
    property: str | None = None,
    candidates: Iterable[Candidate] = (),
) -> Finding:
    """A finding from the parts of its place (the object part only when one is named); at most
    MAX_CANDIDATES candidates are kept."""
    ref = None
    if any(part is not None for part in (object_type, uid, name, property)):
        ref = ObjectRef(type=object_type, uid=uid, name=name, property=property)
    location = Location(file=file, sheet=sheet, row=row, column=column, object=ref)
    return Finding(severity=severity, code=code, message=message, location=location,
                   candidates=tuple(candidates)[:MAX_CANDIDATES])


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (f.severity.rank, f.file or "", f.location.sheet or "", f.location.row or 0,
                       f.location.column or "", f.object_type or "", f.uid or "", f.code,
                       f.property or "", f.message),
    )


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    out: list[Finding] = []
    for item in findings:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def errors_of(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.severity.value for f in findings)
    return {level.value: counts.get(level.value, 0) for level in Severity}


def to_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [f.to_json() for f in findings]


__all__ = [
    "MAX_CANDIDATES",
    "TABLE_HEADERS",
    "Candidate",
    "Finding",
    "Location",
    "ObjectRef",
    "Severity",
    "dedupe",
    "errors_of",
    "finding",
    "has_errors",
    "sort_findings",
    "summary",
    "to_json",
]
