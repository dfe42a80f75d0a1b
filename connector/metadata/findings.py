"""What a metadata check reports: one finding names the file, object, property and problem."""

from __future__ import annotations

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


class Finding(BaseModel):
    """One problem in one object. `check` is a stable id (e.g. `identity.code-format`, or the
    DHIS2 package validator's own rule id in brackets in the message) that tests and people
    can filter on."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    check: str
    message: str
    file: str | None = None
    object_type: str | None = None
    name: str | None = None
    uid: str | None = None
    property: str | None = None

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        what = self.object_type or ""
        if self.name or self.uid:
            label = " ".join(part for part in (repr(self.name) if self.name else None,
                                                f"[{self.uid}]" if self.uid else None) if part)
            what = f"{what} {label}".strip()
        if what:
            parts.append(what)
        if self.property:
            parts.append(f"property {self.property!r}")
        return " · ".join(parts)

    def one_line(self) -> str:
        where = self.where()
        return f"{self.severity.value:<7} {self.check}: {where}: {self.message}" if where else (
            f"{self.severity.value:<7} {self.check}: {self.message}"
        )


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (f.severity.rank, f.file or "", f.object_type or "", f.uid or "",
                       f.check, f.property or "", f.message),
    )


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    out: list[Finding] = []
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            out.append(finding)
    return out


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.severity.value for f in findings)
    return {level.value: counts.get(level.value, 0) for level in Severity}


def to_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [f.model_dump(mode="json") for f in findings]
