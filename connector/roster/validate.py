"""`validate_roster`: every row of a roster file judged the way DHIS2 and Android would.

    report = validate_roster(Path("roster.xlsx"), group="HP01")
    report.ok, report.summary(), report.findings

Sheets are read in dependency order (members, meetings, the member's events, sessions), each
streamed row by row; what is kept is what later checks need: member codes with their
enrolment dates and the few values program rules read, meeting dates, event keys. Checks per
row: required columns, the package's value types and ranges, option codes, dates not in the
future and not before the member's enrolment, duplicate member codes and event keys, events of
unknown members, attendance at a meeting not on the meetings sheet; then per file: meeting
counts against attendance rows (a warning) and the package's program rules through DHIS2's
rule engine (`rules.py`); the row checks are in `rows.py`. Every non-blank row is counted
valid or invalid (any error), every blank row as skipped; per sheet they add up to the rows read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from scdi.connector.roster.contract import (
    MEETING_LINK,
    Lang,
    RosterKind,
    build_contract,
    default_package,
)
from scdi.connector.roster.findings import RosterFinding, Severity, count_by_severity, sort_findings
from scdi.connector.roster.headers import HEADER_SCAN_ROWS, SheetMatcher
from scdi.connector.roster.read import CODES_SHEET, RawSheet, RosterFile, open_roster
from scdi.connector.roster.rows import RowSink, Run, SheetState, SheetSummary, read_sheet, reconcile_meetings
from scdi.connector.roster.rule_model import plan_rules
from scdi.connector.roster.rules import RuleRun
from scdi.connector.roster.text import code_key, fold
from scdi.connector.roster.verdicts import VerdictStore
from scdi.connector.roster.write import CONFLICTS, INSTRUCTIONS

ROLE_ORDER = {"members": 0, "group_events": 1, "member_events": 2, "events": 3}
# The Conflicts sheet (and a CSV roster's conflicts.csv) is sync's, for the person to settle.
NOT_DATA = {fold(CODES_SHEET), *(fold(name) for name in (*INSTRUCTIONS.values(), *CONFLICTS.values()))}


class RosterReport(BaseModel):
    file: str
    package: dict[str, str]
    kind: str
    lang: str
    group: str | None
    rules_checked: bool
    sheets: list[SheetSummary]
    findings: list[RosterFinding]

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def summary(self) -> dict[str, Any]:
        counts = count_by_severity(self.findings)
        totals = {k: sum(getattr(s, k) for s in self.sheets) for k in ("read", "valid", "invalid", "blank")}
        return {"file": self.file, "package": self.package, "kind": self.kind, "lang": self.lang,
                "group": self.group, "rulesChecked": self.rules_checked,
                "sheets": {s.sheet: {"name": s.name, "read": s.read, "valid": s.valid, "invalid": s.invalid,
                                     "blank": s.blank} for s in self.sheets},
                "rows": totals, "errors": counts["ERROR"], "warnings": counts["WARNING"],
                "infos": counts["INFO"], "ok": self.ok}

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary(), "findings": [f.to_json() for f in self.findings]}


def validate_roster(path: Path, *, group: str | None = None, lang: Lang | None = None,
                    kind: RosterKind | None = None, today: date | None = None, engines: bool = True,
                    package: dict[str, Any] | None = None, on_row: RowSink | None = None,
                    verdicts: VerdictStore | None = None) -> RosterReport:
    """Read and judge a roster file (XLSX, CSV, or a folder of CSV files).

    `on_row` sees every non-blank row as read (see `RowSink`); the report says which are invalid.
    `verdicts` keeps the rule engine's answers for the day (`verdicts.py`: a sync passes its ledger).
    """
    pkg = package if package is not None else default_package()
    roster = open_roster(path)
    meta = roster.meta
    chosen_lang: Lang = lang or ("en" if meta.get("lang") == "en" else "vi")
    chosen_kind: RosterKind = kind or ("outreach" if meta.get("kind") == "outreach" else
                                       _guess_kind(pkg, roster) if not meta.get("kind") else "member")
    contract = build_contract(pkg, chosen_kind)
    plan = plan_rules(pkg, contract, chosen_lang)
    day = today or date.today()
    run = Run(contract=contract, lang=chosen_lang, today=day, today_iso=day.isoformat(), file=path.name,
               needed=plan.needed_fields, collect=engines, sink=on_row)
    _check_meta(run, meta, group)
    states = _match_sheets(run, roster)
    rules = RuleRun(plan, today=day, store=verdicts) if engines else None
    try:
        for state in states:
            read_sheet(run, state)
            if rules is not None and state.spec.role == "members":
                rules.members_read(run.records)  # judged while the event sheets are read
        reconcile_meetings(run)
        if rules is not None:
            by_title = {s.raw.title: s for s in states}
            for hit in rules.hits(run.records):
                hit_state = by_title.get(hit.sheet)
                column = hit_state.spec.column(hit.column) if hit_state and hit.column else None
                run.add(hit_state, hit.row, column or hit.column, hit.code, **hit.params)
        else:
            run.add(None, None, None, "rules-skipped")
    finally:
        if rules is not None:
            rules.close()
    for state in states:
        summary = state.summary
        summary.invalid = len(state.invalid_rows)
        summary.valid = summary.read - summary.blank - summary.invalid
    order = {s.raw.title: ROLE_ORDER[s.spec.role] * 100 + i for i, s in enumerate(states)}
    return RosterReport(
        file=path.name, package={"code": contract.package.code, "version": contract.package.version},
        kind=chosen_kind, lang=chosen_lang, group=group or meta.get("group") or None, rules_checked=engines,
        sheets=[s.summary for s in states], findings=sort_findings(run.findings, order))


def _guess_kind(package: dict[str, Any], roster: RosterFile) -> RosterKind:
    outreach = SheetMatcher(build_contract(package, "outreach"))
    member = SheetMatcher(build_contract(package, "member"))
    titles = [s.title for s in roster.sheets]
    if any(outreach.by_title(t) for t in titles) and not any(member.by_title(t) for t in titles):
        return "outreach"
    return "member"


def _check_meta(run: Run, meta: dict[str, str], group: str | None) -> None:
    file_group = meta.get("group") or ""
    if group and file_group and code_key(file_group) != code_key(group):
        run.add(None, None, None, "group-mismatch", file_group=file_group, group=group)
    file_version = meta.get("package_version")
    if file_version and file_version != run.contract.package.version:
        run.add(None, None, None, "template-version", file_version=file_version,
                version=run.contract.package.version)


def _match_sheets(run: Run, roster: RosterFile) -> list[SheetState]:
    matcher = SheetMatcher(run.contract)
    states: list[SheetState] = []
    taken: set[str] = set()
    for raw in roster.sheets:
        if fold(raw.title) in NOT_DATA:
            continue
        spec = matcher.sheet_of(raw.title, (cells for _, cells in _first_rows(raw)))
        if spec is None or spec.key in taken:
            if not raw.hidden:
                run.add(None, None, None, "sheet-ignored", header=f"“{raw.title[:40]}”")
            continue
        taken.add(spec.key)
        run.names[spec.key] = raw.title
        states.append(SheetState(spec=spec, raw=raw, summary=SheetSummary(sheet=spec.key, name=raw.title)))
    order = {s.key: i for i, s in enumerate(run.contract.sheets)}
    states.sort(key=lambda s: (ROLE_ORDER[s.spec.role], order[s.spec.key]))
    keys = {s.spec.key for s in states}
    members_spec = next((s for s in run.contract.sheets if s.role == "members"), None)
    if members_spec and members_spec.key not in keys and any(s.spec.role == "member_events" for s in states):
        run.add(None, None, None, "sheet-missing", header=members_spec.name(run.lang))
    attendance, meeting, _ = MEETING_LINK
    if attendance in keys and meeting not in keys and run.contract.sheet(meeting):
        run.add(None, None, None, "sheet-missing", header=run.contract.sheet(meeting).name(run.lang))  # type: ignore[union-attr]
    run.members_present = bool(members_spec and members_spec.key in keys)
    run.attendance_present = attendance in keys
    return states


def _first_rows(raw: RawSheet) -> Iterator[tuple[int, list[Any]]]:
    for count, item in enumerate(raw.rows()):
        if count >= HEADER_SCAN_ROWS:
            return
        yield item
