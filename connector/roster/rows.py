"""Reading one roster sheet row by row, with the checks each row and the file's sheets need.

`read_sheet` streams a sheet: finds its header row, builds a plan per sheet (which cell is which
column, its parser, what is required, which dates may not lie ahead), reads each row into DHIS2
values, and checks it: required values, value types and ranges, future dates, dates before the
member's enrolment, duplicate member codes and event keys, unknown members, attendance at a
meeting that is not on the meetings sheet. What later checks need is kept on `Run`: member codes
with enrolment dates, meeting dates, attendance counts, and (for the program rules) the few
values the rules read. `reconcile_meetings` compares meeting head counts with attendance rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from scdi.connector.roster.contract import (
    DATE_KEY,
    ENROLLED_KEY,
    MEETING_LINK,
    MEMBER_KEY,
    UID_KEY,
    ColumnSpec,
    Lang,
    RosterContract,
    SheetSpec,
)
from scdi.connector.roster.findings import RosterFinding, Severity
from scdi.connector.roster.headers import HEADER_SCAN_ROWS, HeaderMap, SheetMatcher
from scdi.connector.roster.messages import quoted, render, severity_of
from scdi.connector.roster.read import RawSheet
from scdi.connector.roster.rule_model import EventFacts, MemberFacts, RuleRecords
from scdi.connector.roster.text import code_key
from scdi.connector.roster.values import DATE_TYPES, Parsed, Parser, Problem, is_blank, parser_for

# Called with every non-blank row as read (sheet, Excel row, column key → DHIS2 value), valid or
# not: sync streams the rows into its ledger while validation runs, and learns which rows are
# invalid from the report's findings afterwards, so the file is read once.
RowSink = Callable[[SheetSpec, int, dict[str, str]], None]
MEMO_SIZE = 512  # parsed values kept per column: memory stays flat in rows


class SheetSummary(BaseModel):
    sheet: str  # contract key
    name: str  # as found in the file
    read: int = 0
    valid: int = 0
    invalid: int = 0
    blank: int = 0


@dataclass
class SheetState:
    spec: SheetSpec
    raw: RawSheet
    summary: SheetSummary
    invalid_rows: set[int] = field(default_factory=set)
    both_ways: list[tuple[int, ColumnSpec, Problem]] = field(default_factory=list)
    month_first: bool = False
    records: list[EventFacts] = field(default_factory=list)
    uids: dict[str, int] = field(default_factory=dict)
    seen_keys: dict[tuple[str | None, ...], int] = field(default_factory=dict)


@dataclass
class Run:
    contract: RosterContract
    lang: Lang
    today: date
    file: str
    needed: frozenset[str]
    collect: bool = True  # keep what the program rules need (not when they are skipped)
    findings: list[RosterFinding] = field(default_factory=list)
    today_iso: str = ""
    members: dict[str, MemberFacts] = field(default_factory=dict)
    member_rows: dict[str, int] = field(default_factory=dict)
    members_present: bool = False
    meetings: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # date → (row, count value)
    meeting_sheet: SheetState | None = None
    attendance: Counter[str] = field(default_factory=Counter)
    attendance_present: bool = False
    records: RuleRecords = field(default_factory=RuleRecords)
    names: dict[str, str] = field(default_factory=dict)  # sheet key → name in the file
    sink: RowSink | None = None

    def add(self, state: SheetState | None, row: int | None, column: ColumnSpec | str | None, code: str,
            **params: Any) -> None:
        column_key = column.key if isinstance(column, ColumnSpec) else column
        if isinstance(column, ColumnSpec):
            params.setdefault("col", column.header(self.lang))
        severity = severity_of(code)
        self.findings.append(RosterFinding(
            file=self.file, sheet=state.raw.title if state else None, row=row, column=column_key, code=code,
            severity=severity, message=render(code, self.lang, **params)))
        if severity is Severity.ERROR and state is not None and row is not None:
            state.invalid_rows.add(row)

    def sheet_name(self, key: str) -> str:
        spec = self.contract.sheet(key)
        return self.names.get(key) or (spec.name(self.lang) if spec else key)


def read_sheet(run: Run, state: SheetState) -> None:
    matcher = SheetMatcher(run.contract)
    spec = state.spec
    rows = state.raw.rows()
    head: list[tuple[int, list[Any]]] = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    best = max(head, key=lambda item: matcher.score(spec, item[1]), default=None)
    if best is None or matcher.score(spec, best[1]) == 0:
        run.add(state, None, None, "header-not-found")
        for number, cells in _chain(head, rows):
            _count_unread(state, number, cells)
        return
    header = matcher.header_map(spec, best[0], best[1])
    if spec.key == MEETING_LINK[1]:
        run.meeting_sheet = state
    _report_header(run, state, header)
    missing = {c.key for c in spec.columns if c.required and c.key not in header.keys}
    plan = _row_plan(run, spec, header, missing)
    later = [item for item in head if item[0] > best[0]]
    read = blank = 0
    for number, cells in _chain(later, rows):
        read += 1
        for cell in cells:
            if not _blank(cell):
                break
        else:
            blank += 1
            continue
        _read_row(run, state, plan, number, cells)
    state.summary.read += read
    state.summary.blank += blank
    if state.month_first:
        for number, column, problem in state.both_ways:
            run.add(state, number, column, "date-both-ways", val=quoted(problem.detail.get("value"), False, run.lang),
                    reading_vi=_dmy(problem.detail.get("reading", "")))
    # Rows with errors still go to the rules with the values that could be read, as a phone
    # would judge the record as far as it is filled in.
    for record in state.records:
        if spec.role == "member_events":
            run.records.member_events.setdefault(record.member or "", []).append(record)
        elif spec.role == "group_events":
            run.records.group_events.append(record)
        elif spec.role == "events":
            run.records.program_events.append(record)
    state.records = []


Rows = Iterator[tuple[int, list[Any]]]


def _chain(first: list[tuple[int, list[Any]]], rest: Rows) -> Rows:
    yield from first
    yield from rest


def _count_unread(state: SheetState, number: int, cells: list[Any]) -> None:
    state.summary.read += 1
    if all(is_blank(cell) for cell in cells):
        state.summary.blank += 1
    else:
        state.invalid_rows.add(number)


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if len(iso) == 10 else iso


def _report_header(run: Run, state: SheetState, header: HeaderMap) -> None:
    for _, text in header.ignored:
        run.add(state, header.header_row, None, "column-ignored", header=f"“{text[:40]}”")
    for _, column in header.duplicates:
        run.add(state, header.header_row, column, "column-duplicate")
    for column in state.spec.columns:
        if column.required and column.key not in header.keys:
            run.add(state, header.header_row, column, "column-missing")


@dataclass
class _RowPlan:
    """What every row of one sheet needs, worked out once from its header."""

    cells: list[tuple[int, ColumnSpec, Parser, dict[Any, Parsed]]]  # index, column, parser, its memo
    required: list[tuple[ColumnSpec, int | None]]  # required columns present, with their cell index
    future_dates: list[ColumnSpec]  # date columns that may not be in the future
    record_fields: list[tuple[str, str]]  # (column key, data element UID) of the fields rules need
    attribute_fields: list[tuple[str, str]]  # (column key, attribute UID) of the fields rules need
    keys: tuple[str, ...]
    key_names: str
    attendance: bool
    meeting: bool


def _row_plan(run: Run, spec: SheetSpec, header: HeaderMap, missing: set[str]) -> _RowPlan:
    index_of = {c.key: i for i, c in header.columns.items()}
    return _RowPlan(
        cells=[(i, c, parser_for(c, run.today), {}) for i, c in header.columns.items()],
        required=[(c, index_of.get(c.key)) for c in spec.columns if c.required and c.key not in missing],
        future_dates=[c for c in spec.columns if c.value_type in DATE_TYPES and not c.allow_future],
        record_fields=[(c.key, c.uid) for c in spec.columns
                       if c.source == "dataElement" and c.uid and c.uid in run.needed],
        attribute_fields=[(c.key, c.uid) for c in spec.columns
                          if c.source == "attribute" and c.uid and c.uid in run.needed],
        keys=spec.keys, key_names=" + ".join(c.header(run.lang) for c in (spec.column(k) for k in spec.keys) if c),
        attendance=spec.key == MEETING_LINK[0], meeting=spec.key == MEETING_LINK[1])


def _blank(raw: Any) -> bool:
    return raw is None or raw == "" or (isinstance(raw, str) and not raw.strip())


def _read_row(run: Run, state: SheetState, plan: _RowPlan, number: int, cells: list[Any]) -> None:
    values: dict[str, str] = {}
    width = len(cells)
    formulas = state.raw.formulas
    for index, column, parser, memo in plan.cells:
        raw = cells[index] if index < width else None
        if formulas and (number, index) in formulas:
            run.add(state, number, column, "formula-no-value" if _blank(raw) else "formula-cell")
        if raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
            continue
        # A column repeats few values (options, dates, yes/no), and a parser is a function of the
        # cell alone: each value is parsed once. The key keeps the cell's type (True, 1 and 1.0
        # are equal keys otherwise); -0.0 equals 0.0 but may not read the same, so zero is not kept.
        key = raw if raw.__class__ is str else (raw.__class__, raw)
        parsed = memo.get(key)
        if parsed is None:
            parsed = parser(raw)
            if len(memo) < MEMO_SIZE and not (raw.__class__ is float and raw == 0):
                memo[key] = parsed
        value, problem = parsed
        if problem is not None:
            if problem.code == "date-both-ways":
                state.both_ways.append((number, column, problem))
            else:
                if problem.code == "date-month-first":
                    state.month_first = True
                _report_problem(run, state, number, column, problem)
        if value is not None:
            values[column.key] = value
    for column, raw_index in plan.required:
        if column.key not in values:
            raw = cells[raw_index] if raw_index is not None and raw_index < width else None
            if _blank(raw):
                run.add(state, number, column, "required-missing")
    _check_dates(run, state, plan, number, values)
    if state.spec.role == "members":
        _member_row(run, state, plan, number, values)
    else:
        _event_row(run, state, plan, number, values)
    if run.sink is not None:
        run.sink(state.spec, number, values)


def _report_problem(run: Run, state: SheetState, number: int, column: ColumnSpec, problem: Problem) -> None:
    detail = problem.detail
    params: dict[str, Any] = {"val": quoted(detail.get("value"), column.private, run.lang)}
    if problem.code == "number-out-of-range":
        low, high = _range_text(detail.get("type", ""))
        params.update(range_vi=f"{low} đến {high}", range_en=f"{low} to {high}")
    elif problem.code == "not-an-option":
        labels = [o.vi if run.lang == "vi" else o.en for o in column.options][:8]
        params["choices"] = ", ".join(labels) + (", …" if len(column.options) > 8 else "")
    elif problem.code == "text-too-long":
        params["length"] = detail.get("length", "")
    run.add(state, number, column, problem.code, **params)


def _range_text(value_type: str) -> tuple[str, str]:
    return {"INTEGER_POSITIVE": ("1", "2147483647"), "INTEGER_ZERO_OR_POSITIVE": ("0", "2147483647"),
            "INTEGER_NEGATIVE": ("-2147483648", "-1"), "PERCENTAGE": ("0", "100"),
            "UNIT_INTERVAL": ("0", "1")}.get(value_type, ("-2147483648", "2147483647"))


def _check_dates(run: Run, state: SheetState, plan: _RowPlan, number: int, values: dict[str, str]) -> None:
    today = run.today_iso
    for column in plan.future_dates:
        value = values.get(column.key)
        if value and value[:10] > today:
            run.add(state, number, column, "date-in-future", val=quoted(_dmy(value[:10]), False, run.lang),
                    today=_dmy(today))


def _member_row(run: Run, state: SheetState, plan: _RowPlan, number: int, values: dict[str, str]) -> None:
    code = values.get(MEMBER_KEY)
    _check_uid(run, state, number, values)
    if code is None:
        return
    key = code_key(code)
    first = run.member_rows.get(key)
    if first is not None:
        run.add(state, number, state.spec.column(MEMBER_KEY), "duplicate-member", first=first)
        return
    run.member_rows[key] = number
    attributes = {uid: values[key] for key, uid in plan.attribute_fields if key in values}
    run.records.members[key] = MemberFacts(sheet=state.raw.title, row=number, enrolled=values.get(ENROLLED_KEY),
                                           attributes=attributes, status=values.get("status", "active"))


def _check_uid(run: Run, state: SheetState, number: int, values: dict[str, str]) -> None:
    uid = values.get(UID_KEY)
    if uid is None:
        return
    seen = state.uids
    if uid in seen:
        run.add(state, number, state.spec.column(UID_KEY), "duplicate-uid", first=seen[uid])
    else:
        seen[uid] = number


def _event_row(run: Run, state: SheetState, plan: _RowPlan, number: int, values: dict[str, str]) -> None:
    spec = state.spec
    _check_uid(run, state, number, values)
    when = values.get(DATE_KEY)
    member: str | None = None
    if spec.role == "member_events":
        code = values.get(MEMBER_KEY)
        if code is not None:
            member = code_key(code)
            facts = run.records.members.get(member)
            if facts is None:
                if run.members_present:
                    run.add(state, number, spec.column(MEMBER_KEY), "unknown-member",
                            members=run.sheet_name("members"))
            elif when and facts.enrolled and when < facts.enrolled:
                run.add(state, number, spec.column(DATE_KEY), "date-before-enrolment",
                        val=quoted(_dmy(when), False, run.lang), enrolled=_dmy(facts.enrolled))
    if plan.attendance and when:
        if member is not None and (member in run.records.members or not run.members_present):
            run.attendance[when] += 1
        if run.meeting_sheet is not None and when not in run.meetings:
            run.add(state, number, spec.column(DATE_KEY), "unknown-meeting", val=_dmy(when),
                    meetings=run.sheet_name(MEETING_LINK[1]))
    seen = state.seen_keys
    if plan.keys:
        key: tuple[str | None, ...] = tuple(member if k == MEMBER_KEY else values.get(k) for k in plan.keys)
        if all(key):
            first = seen.get(key)
            if first is not None:
                run.add(state, number, None, "duplicate-event", keys=plan.key_names, first=first)
            else:
                seen[key] = number
    else:
        row_key = tuple(f"{k}={v}" for k, v in sorted(values.items()) if k != UID_KEY)
        first = seen.get(row_key)
        if first is not None:
            run.add(state, number, None, "duplicate-row", first=first)
        else:
            seen[row_key] = number
    if plan.meeting and when and when not in run.meetings:
        run.meetings[when] = (number, values.get(MEETING_LINK[2]))
    if run.collect and when and spec.stage and (spec.role != "member_events" or member in run.records.members):
        record_values = {uid: values[key] for key, uid in plan.record_fields if key in values}
        state.records.append(EventFacts(sheet=state.raw.title, row=number, stage=spec.stage, date=when,
                                        values=record_values, member=member))


def reconcile_meetings(run: Run) -> None:
    count_key = MEETING_LINK[2]
    state = run.meeting_sheet
    if state is None or not run.attendance_present:
        return
    column = state.spec.column(count_key)
    if column is None:
        return
    for when, (row, count) in run.meetings.items():
        if count is not None and int(float(count)) != run.attendance[when]:
            run.add(state, row, column, "meeting-count", count=count, rows=run.attendance[when],
                    attendance=run.sheet_name(MEETING_LINK[0]))
