"""What provisioning reports about a registry: one finding names the file, sheet, row and column.

Kept to one pydantic model so that it can become the shared location type of the connector
(`file, sheet, row, column` here; `object` for metadata) without touching its callers: the
fields are the ones the issue names, `candidates` carries up to five org units a person can
pick from when a place is missing or ambiguous. Messages never quote a leader's e-mail or
phone number; they may quote group codes and place names, which are not personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

MAX_CANDIDATES = 5


class Severity(StrEnum):
    ERROR = "ERROR"  # nothing is written for the row
    WARNING = "WARNING"  # the row goes ahead, but a person should look
    INFO = "INFO"  # how a value was read (an old province name, an ignored district)

    @property
    def rank(self) -> int:
        return {"ERROR": 0, "WARNING": 1, "INFO": 2}[self.value]


class Candidate(BaseModel):
    """An org unit offered instead of a value that did not match: name, code, path as names."""

    model_config = ConfigDict(frozen=True)

    name: str
    code: str | None = None
    uid: str
    path: str  # "Việt Nam / Tỉnh Quảng Ninh / Phường Hạ Long"


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # the row number a spreadsheet program shows (header row = 1 in a CSV)
    column: str | None = None  # the column's key (group_code, province, …)
    code: str  # a stable id, e.g. "place.commune-unknown", "import.E5003"
    severity: Severity
    message: str
    candidates: tuple[Candidate, ...] = ()

    def where(self) -> str:
        parts = [p for p in (self.file, f"sheet {self.sheet!r}" if self.sheet else None,
                             f"row {self.row}" if self.row is not None else None,
                             f"column {self.column}" if self.column else None) if p]
        return ", ".join(parts)

    def one_line(self) -> str:
        where = self.where()
        text = f"{self.severity.value:<7} {self.code}: {where}: {self.message}" if where else (
            f"{self.severity.value:<7} {self.code}: {self.message}")
        if self.candidates:
            text += " — candidates: " + "; ".join(
                f"{c.path} [{c.code or c.uid}]" for c in self.candidates)
        return text


def make(severity: Severity, code: str, message: str, *, file: str | None = None, sheet: str | None = None,
         row: int | None = None, column: str | None = None,
         candidates: Iterable[Candidate] = ()) -> Finding:
    return Finding(code=code, severity=severity, message=message, file=file, sheet=sheet, row=row,
                   column=column, candidates=tuple(candidates)[:MAX_CANDIDATES])


def error(code: str, message: str, *, file: str | None = None, sheet: str | None = None, row: int | None = None,
          column: str | None = None, candidates: Iterable[Candidate] = ()) -> Finding:
    return make(Severity.ERROR, code, message, file=file, sheet=sheet, row=row, column=column,
                candidates=candidates)


def warning(code: str, message: str, *, file: str | None = None, sheet: str | None = None, row: int | None = None,
            column: str | None = None, candidates: Iterable[Candidate] = ()) -> Finding:
    return make(Severity.WARNING, code, message, file=file, sheet=sheet, row=row, column=column,
                candidates=candidates)


def info(code: str, message: str, *, file: str | None = None, sheet: str | None = None, row: int | None = None,
         column: str | None = None, candidates: Iterable[Candidate] = ()) -> Finding:
    return make(Severity.INFO, code, message, file=file, sheet=sheet, row=row, column=column,
                candidates=candidates)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.row if f.row is not None else -1, f.severity.rank,
                                           f.column or "", f.code, f.message))
