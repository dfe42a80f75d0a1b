"""What roster validation reports: one finding names the sheet, Excel row, column and problem.

The fields {file, sheet, row, column, code, severity, message} are the roster's share of the
connector's one location type (file, sheet, row, column, object); `code` is stable for tests
and scripts, `message` is plain language in the chosen language and never holds a value of a
confidential or identifying column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "ERROR"  # the row cannot go to DHIS2 as it is
    WARNING = "WARNING"  # goes, but a person should look (a rule's warning, a count that does not add up)
    INFO = "INFO"  # worth knowing (an ignored column, a formula read by its saved value)

    @property
    def rank(self) -> int:
        return {"ERROR": 0, "WARNING": 1, "INFO": 2}[self.value]


class RosterFinding(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    code: str
    severity: Severity
    message: str

    def where(self) -> str:
        parts = [p for p in (self.sheet, f"row {self.row}" if self.row is not None else None,
                             self.column) if p]
        return " · ".join(parts)

    def one_line(self) -> str:
        where = self.where()
        return f"{self.severity.value:<7} {self.code}: {where}: {self.message}" if where else (
            f"{self.severity.value:<7} {self.code}: {self.message}")

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "code": self.code, "severity": self.severity.value, "message": self.message}


def sort_findings(findings: Iterable[RosterFinding], sheet_order: dict[str, int] | None = None) -> list[RosterFinding]:
    order = sheet_order or {}
    return sorted(findings, key=lambda f: (order.get(f.sheet or "", -1 if f.sheet is None else 999), f.sheet or "",
                                           f.row or 0, f.column or "", f.severity.rank, f.code, f.message))


def count_by_severity(findings: Iterable[RosterFinding]) -> dict[str, int]:
    counts = Counter(f.severity.value for f in findings)
    return {level.value: counts.get(level.value, 0) for level in Severity}
