"""What provisioning reports about a registry, as the connector's one Finding type: each names the
file, sheet, row and column, and `candidates` carries up to five org units a person can pick from
when a place is missing or ambiguous. Messages never quote a leader's e-mail or phone number;
they may quote group codes and place names, which are not personal data.

Registry findings are listed row by row (a person works down the sheet), not by severity.
"""

from __future__ import annotations

from collections.abc import Iterable

from scdi.connector.findings import MAX_CANDIDATES, Candidate, Finding, Severity, finding, has_errors

__all__ = ["MAX_CANDIDATES", "Candidate", "Finding", "Severity", "error", "has_errors", "info", "make",
           "sort_findings", "warning"]


def make(severity: Severity, code: str, message: str, *, file: str | None = None, sheet: str | None = None,
         row: int | None = None, column: str | None = None,
         candidates: Iterable[Candidate] = ()) -> Finding:
    return finding(severity, code, message, file=file, sheet=sheet, row=row, column=column,
                   candidates=candidates)


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


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.row if f.row is not None else -1, f.severity.rank,
                                           f.column or "", f.code, f.message))
