"""One sync run: push, pull or both ways, for one group's roster and one server.

    report = run(client, Path("roster.xlsx"), "HP-01", "sync", state_dir=...)

The steps, in an order that keeps every crash recoverable:

1. The group on the server (`resolve_group`) and the ledger (locked).
2. The file: validated once, its rows streamed into the ledger (`validate_roster(on_row=)`).
3. The server: every record of the group updated since the watermark (all of them on the first
   run, or when the file is new), into the ledger's scratch table; members the file has and
   neither the ledger nor that read knows are looked up by their code (adoption: a member
   entered on Android is never created twice).
4. Per row: identify (UID, ledger, natural key, adoption), merge with the base (`merge.py`),
   decide. New records get UIDs reserved in the ledger before their request.
5. Server writes in bounded batches (members first, then events); the ledger takes each answer.
6. File writes (pull and sync; a push writes only the UIDs of the rows it created): changed
   cells, rows the server has and the file lacks, the Conflicts sheet. Only then do those rows'
   bases move and the watermark advance, so a crash before the file is written leaves the
   ledger describing the file as it still is.

Nothing here deletes: a row gone from the file is written back (sync, pull) or left on the
server (push); only `allow_removals` turns it into a deletion, listed in the plan.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import InputError, NotFound
from scdi.connector.reports import TrackerImportReport
from scdi.connector.roster.contract import (
    DATE_KEY,
    MEMBER_KEY,
    STATUS_KEY,
    UID_KEY,
    Lang,
    RosterContract,
    RosterKind,
    SheetSpec,
    default_package,
    load_contract,
)
from scdi.connector.roster.findings import RosterFinding, Severity
from scdi.connector.roster.text import code_key
from scdi.connector.roster.validate import validate_roster
from scdi.connector.roster.values import UID_RE
from scdi.connector.sync import export, payload
from scdi.connector.sync.batches import Batch, size_of
from scdi.connector.sync.convert import Converter
from scdi.connector.sync.group import GroupContext, resolve_group
from scdi.connector.sync.ledger import Entry, Ledger, default_state_dir
from scdi.connector.sync.merge import FieldConflict, Side, after, merge_fields, new_base
from scdi.connector.sync.org_units import OrgUnitCodes
from scdi.connector.sync.records import Record, digest, natural_key
from scdi.connector.sync.report_map import errors_by_uid, finding, own_errors
from scdi.connector.sync.send import send

Direction = Literal["push", "pull", "sync"]
Progress = Callable[[str, int, int | None], None]  # (what, done, total or None)
LOOKUP_CHUNK = 50
# Plan lines kept for the report: beyond this the counts still add up and the summary says how
# many lines were left out, so a national-scale push does not hold a line per record.
ROWS_KEPT = 5000
_ROLE_ORDER = {"members": 0, "group_events": 1, "member_events": 2, "events": 3}

ACTIONS = ("create", "update", "unchanged", "conflict", "invalid", "refused", "from_server", "restore",
           "remove", "missing", "deleted_on_server", "file_ahead", "server_ahead")


class PlanRow(BaseModel):
    """One record's line of the plan: what happens, to which fields (never the values)."""

    sheet: str
    row: int | None = None
    action: str
    uid: str | None = None
    to_server: list[str] = Field(default_factory=list)
    to_file: list[str] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list)


class ConflictNote(BaseModel):
    """A field changed on both sides: the kinds of the two values and when each changed."""

    sheet: str
    row: int | None
    column: str
    file_value_kind: str
    server_value_kind: str
    file_changed: str | None  # the file's modification time
    server_changed: str | None  # the record's updatedAt on the server
    resolved: str | None = None  # roster | server, when --prefer or the Conflicts sheet chose


class SyncReport(BaseModel):
    group: str
    direction: str
    kind: str
    file: str | None
    server: str
    dry_run: bool
    counts: dict[str, int]
    rows: list[PlanRow] = Field(default_factory=list)  # the records that are not unchanged (up to ROWS_KEPT)
    rows_omitted: int = 0
    conflicts: list[ConflictNote] = Field(default_factory=list)
    findings: list[RosterFinding] = Field(default_factory=list)
    writes: int = 0  # write requests sent to the server
    file_written: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings) and not self.open_conflicts

    @property
    def open_conflicts(self) -> int:
        return sum(1 for c in self.conflicts if c.resolved is None)

    def summary(self) -> dict[str, Any]:
        return {"group": self.group, "direction": self.direction, "kind": self.kind, "file": self.file,
                "server": self.server, "dryRun": self.dry_run, "counts": self.counts,
                "records": sum(self.counts.values()), "conflicts": len(self.conflicts),
                "openConflicts": self.open_conflicts,
                "errors": sum(1 for f in self.findings if f.severity is Severity.ERROR),
                "writes": self.writes, "fileWritten": self.file_written, "ok": self.ok,
                "rowsOmitted": self.rows_omitted,
                "seconds": round(self.seconds, 2)}

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary(), "rows": [r.model_dump(by_alias=True) for r in self.rows],
                "conflicts": [c.model_dump() for c in self.conflicts],
                "findings": [f.to_json() for f in self.findings]}


@dataclass
class _Item:
    """One record on its way to the server."""

    spec: SheetSpec
    row: int | None
    key: str
    uid: str
    enrollment: str | None
    parent: str | None
    status: str | None
    create: bool
    old_base: Mapping[str, str] | None
    file_after: dict[str, str]
    server_after: dict[str, str]
    to_file: dict[str, str | None]
    updated_at: str | None
    plan: PlanRow
    sent_places: dict[str, str] = field(default_factory=dict)  # org unit column → UID sent


@dataclass
class _FileWork:
    changes: list[Any] = field(default_factory=list)  # workbook.CellChange
    new_rows: list[Any] = field(default_factory=list)  # workbook.NewRow
    conflicts: list[Any] = field(default_factory=list)  # workbook.ConflictEntry
    flags: list[Any] = field(default_factory=list)  # workbook.RowFlag
    # Ledger updates that hold only once the file has the new values.
    after_write: list[Callable[[], None]] = field(default_factory=list)


class _Run:
    def __init__(self, client: Dhis2Client, contract: RosterContract, ctx: GroupContext, ledger: Ledger, *,
                 direction: Direction, dry_run: bool, prefer: Side | None, allow_removals: bool, redact: bool,
                 today: date, lang: Lang, file_name: str | None, file_time: str | None,
                 progress: Progress | None) -> None:
        self.client, self.contract, self.ctx, self.ledger = client, contract, ctx, ledger
        self.direction, self.dry_run, self.prefer = direction, dry_run, prefer
        self.allow_removals, self.redact, self.today, self.lang = allow_removals, redact, today, lang
        self.file_name, self.file_time = file_name, file_time
        self.progress = progress
        self.org_units = OrgUnitCodes(client)
        self.converter = Converter(contract, today, self.org_units.code)
        self.counts: Counter[str] = Counter()
        self.rows: list[PlanRow] = []
        self.conflicts: list[ConflictNote] = []
        self.findings: list[RosterFinding] = []
        self.work = _FileWork()
        self.seen: set[str] = set()  # UIDs of records the file holds
        self.writes = 0
        self.names: dict[str, str] = {}  # sheet key → the sheet's name in the file
        self.choices: Mapping[tuple[str, str, str], Side] = {}
        self.ignore: frozenset[str] = frozenset()
        self.file_written = False
        self.new_file = False
        self.rows_omitted = 0
        self.batches_sent = 0
        self.written: dict[str, str] = {}  # UID → the server's clock after the batch that wrote it
        self.server_read = 0  # records the read of the server found
        self.zone: tzinfo = UTC  # the server's (its clock and `updatedAfter` are in it; `updatedAt` is UTC)
        self.last_marks: dict[str, str | None] = {}  # the watermarks it started from
        self.refused_uids: set[str] = set()  # new records DHIS2 refused: their UIDs stay out of the file
        # Members this run sends (key → tracked entity, enrollment): their events can be planned
        # before the ledger has them, as in a dry run.
        self.planned_members: dict[str, tuple[str, str | None]] = {}

    # --- helpers ---------------------------------------------------------------------------------

    @property
    def to_server(self) -> bool:
        return self.direction in ("push", "sync")

    @property
    def to_file(self) -> bool:
        return self.direction in ("pull", "sync")

    def tick(self, what: str, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(what, done, total)

    def sheet_name(self, spec: SheetSpec) -> str:
        return self.names.get(spec.key) or spec.name(self.lang)

    def note(self, plan: PlanRow) -> None:
        self.counts[plan.action] += 1
        if plan.action == "unchanged":
            return
        if len(self.rows) < ROWS_KEPT:
            self.rows.append(plan)
        else:
            self.rows_omitted += 1

    def add_finding(self, spec: SheetSpec, row: int | None, code: str, vi: str, en: str,
                    column: str | None = None, severity: Severity = Severity.ERROR) -> None:
        self.findings.append(RosterFinding(file=self.file_name, sheet=self.sheet_name(spec), row=row, column=column,
                                           code=code, severity=severity, message=vi if self.lang == "vi" else en))

    # --- the server's side ----------------------------------------------------------------------

    def read_server(self, full: bool) -> None:
        """What changed on the server since the watermark. Records stamped just before it may
        have become visible only after the last read (see `export.OVERLAP`): that window is
        checked by the server's count of it against the count the last run left (its own
        writes), so it is read again in full only when a record the last run did not see is
        there (`window_is_known`); without a stored count it is looked at light (`read_from`)."""
        ledger, ctx = self.ledger, self.ctx
        ledger.clear_server_rows()
        programs = sorted({s.program for s in self.contract.sheets})
        marks = {p: (None if full else ledger.watermark(p)) for p in programs}
        counted = {p: self.window_counts(p, marks[p]) for p in programs}
        starts = {p: (marks[p] if counted[p] is not None else self.read_from(p, marks[p])) for p in programs}
        left: Counter[tuple[str, str]] = Counter()  # records of the last window read again from the watermark
        bounds = {p: self.window_bounds(marks[p]) for p in programs}
        count = 0

        def take(record: Record | None, program: str, kind: str) -> None:
            nonlocal count
            if record is None:
                return
            if counted[program] is not None and self.in_window(record.uid, bounds[program]):
                left[(program, kind)] += 1
            ledger.add_server_row(record)
            count += 1

        with ledger.transaction():
            if ctx.member_program:
                for entity in export.tracked_entities(self.client, ctx.member_program, ctx.org_unit,
                                                      starts[ctx.member_program]):
                    take(self.converter.member(entity, ctx.member_program), ctx.member_program, "trackedEntities")
            self.tick("read members", count)
            for program in programs:
                for raw in export.events(self.client, program, ctx.org_unit, starts[program]):
                    take(self.converter.event(raw, self.member_code), program, "events")
                self.tick("read events", count)
            for program in programs:
                expected, mark = counted[program], marks[program]
                if expected is None or mark is None or self.window_is_known(program, mark, expected, left):
                    continue
                window = export.since(mark)
                if program == ctx.member_program:
                    for entity in export.tracked_entities(self.client, program, ctx.org_unit, window, mark):
                        take(self.converter.member(entity, program), program, "-")
                for raw in export.events(self.client, program, ctx.org_unit, window, updated_before=mark):
                    take(self.converter.event(raw, self.member_code), program, "-")
        self.server_read = count
        self.last_marks = marks

    def window_counts(self, program: str, mark: str | None) -> dict[str, int] | None:
        """The counts the last run left for the window before `mark` (only if made for it)."""
        raw = self.ledger.meta(f"window:{program}")
        if not raw or not mark:
            return None
        try:
            kept = json.loads(raw)
            counts = kept["counts"] if kept.get("mark") == mark else None
            return {str(k): int(v) for k, v in counts.items()} if isinstance(counts, dict) else None
        except (ValueError, TypeError, AttributeError, KeyError):
            return None

    def window_bounds(self, mark: str | None) -> tuple[datetime, datetime] | None:
        """The window before the watermark `mark`, in UTC (as `updatedAt` is)."""
        start, end = export.local_as_utc(export.since(mark), self.zone), export.local_as_utc(mark, self.zone)
        return (start, end) if start is not None and end is not None else None

    def in_window(self, uid: str | None, bounds: tuple[datetime, datetime] | None) -> bool:
        """The ledger last saw the record `uid` stamped inside `bounds`."""
        entry = self.ledger.by_uid(uid) if uid and bounds else None
        stamp = export.moment(entry.updated_at if entry else None)
        return stamp is not None and bounds is not None and bounds[0] <= stamp <= bounds[1]

    def window_is_known(self, program: str, mark: str, expected: Mapping[str, int],
                        left: Counter[tuple[str, str]]) -> bool:
        """The window before the watermark holds the records the last run counted there, less
        those changed again since (read above): nothing else became visible in it."""
        window = export.since(mark)
        if window is None:
            return False
        for kind, number in expected.items():
            path = "tracker/trackedEntities" if kind == "trackedEntities" else "tracker/events"
            now = export.count(self.client, path, program, self.ctx.org_unit, window, mark)
            if now is None or now != number - left[(program, kind)]:
                return False
        return True

    def read_from(self, program: str, watermark: str | None) -> str | None:
        """Where the read of `program` starts when the last run left no count of its window:
        the window looked at light (UIDs and times); when the ledger holds every record there at
        that stamp, the read starts at the watermark, else the window is read again in full."""
        window = export.since(watermark)
        if not watermark or window is None:
            return None
        for _, uid, stamp in self.light_read(program, window, watermark):
            entry = self.ledger.by_uid(uid)
            known = export.moment(entry.updated_at if entry else None)
            if known is None or known != export.moment(stamp):
                return window
        return watermark

    def light_read(self, program: str, after: str | None, before: str | None = None) -> list[tuple[str, str, str]]:
        """(kind, UID, updatedAt) of what changed in `program` in [after, before]: UIDs and times
        only, the member program's tracked entities first."""
        seen: list[tuple[str, str, str]] = []
        if program == self.ctx.member_program:
            seen += [("trackedEntities", str(e.get("trackedEntity")), str(e.get("updatedAt") or ""))
                     for e in export.changed_entities(self.client, program, self.ctx.org_unit, after, before)]
        seen += [("events", str(e.get("event")), str(e.get("updatedAt") or ""))
                 for e in export.changed_events(self.client, program, self.ctx.org_unit, after, before)]
        return seen

    def member_code(self, tracked_entity: str) -> str | None:
        if not tracked_entity:
            return None
        row = self.ledger.server_row(tracked_entity)
        if row is not None:
            return row.values.get(MEMBER_KEY)
        entry = self.ledger.by_uid(tracked_entity)
        if entry is not None and entry.base:
            return entry.base.get(MEMBER_KEY)
        return self._fetch_member_code(tracked_entity)

    def _fetch_member_code(self, uid: str) -> str | None:
        """An event of a member this run has not read (updated before the watermark and not in
        the ledger, e.g. after the state folder was lost): read that member once."""
        if not self.ctx.member_program:
            return None
        try:
            entity = self.client.get(f"tracker/trackedEntities/{uid}", params={
                "program": self.ctx.member_program, "fields": export.TRACKED_ENTITY_FIELDS})
        except NotFound:
            return None
        record = self.converter.member(entity or {}, self.ctx.member_program)
        if record is None:
            return None
        self.ledger.add_server_row(record)
        return record.values.get(MEMBER_KEY)

    def adopt_members(self) -> None:
        """Members in the file that neither the ledger nor the read knows: look them up by code
        on the whole server, so a member entered on Android before is adopted, not duplicated."""
        spec = next((s for s in self.contract.sheets if s.role == "members"), None)
        attribute = self.ctx.member_code_attribute
        if spec is None or not attribute or not self.ctx.member_program:
            return
        codes = [values[MEMBER_KEY] for _, _, values in self.ledger.unmatched_file_rows(spec.key)
                 if values.get(MEMBER_KEY)]
        for start in range(0, len(codes), LOOKUP_CHUNK):
            chunk = codes[start:start + LOOKUP_CHUNK]
            for entity in self.client.items("tracker/trackedEntities", params={
                    "program": self.ctx.member_program, "orgUnitMode": "ACCESSIBLE",
                    "filter": f"{attribute}:in:{';'.join(chunk)}", "fields": export.TRACKED_ENTITY_FIELDS}):
                record = self.converter.member(entity, self.ctx.member_program)
                if record is not None:
                    self.ledger.add_server_row(record)

    # --- planning one row -------------------------------------------------------------------------

    def server_side(self, entry: Entry | None, uid: str | None) -> Record | None:
        if uid:
            row = self.ledger.server_row(uid)
            if row is not None:
                return row
        if entry is not None and entry.state == "synced" and entry.server_values is not None:
            return Record(sheet=entry.sheet, key=entry.key, values=dict(entry.server_values), uid=entry.uid,
                          updated_at=entry.updated_at,
                          extra={"enrollment": entry.enrollment or "", "tracked_entity": entry.parent or "",
                                 "status": entry.status or ""})
        return None

    def lookup_uid(self, spec: SheetSpec, uid: str) -> Record | Literal["foreign"] | None:
        """A UID the file has and this run does not know: the server's record, None when DHIS2
        has no such record (it is created with that UID), "foreign" when it is another group's."""
        path = "tracker/trackedEntities" if spec.role == "members" else "tracker/events"
        params = {"fields": export.TRACKED_ENTITY_FIELDS if spec.role == "members" else export.EVENT_FIELDS}
        if spec.role == "members":
            params["program"] = spec.program
        try:
            raw = self.client.get(f"{path}/{uid}", params=params) or {}
        except NotFound:
            return None
        if spec.role == "members":
            record = self.converter.member(raw, spec.program)
            unit = (record.extra.get("org_unit") if record else None) or raw.get("orgUnit")
        else:
            record = self.converter.event(raw, self.member_code)
            unit = raw.get("orgUnit")
        if record is None or unit != self.ctx.org_unit:
            return "foreign"
        self.ledger.add_server_row(record)
        return record

    def plan_sheet(self, spec: SheetSpec, invalid: set[int], out: Callable[[_Item], None]) -> None:
        ledger = self.ledger
        pending: list[tuple[str, str, str, dict[str, Any]]] = []
        total = ledger.file_row_count(spec.key)
        for done, (row, key, uid, values, settled) in enumerate(ledger.file_rows_settled(spec.key), start=1):
            if done % 500 == 0 or done == total:
                self.tick(f"{spec.key}", done, total)
            if settled is not None and row not in invalid:
                # `plan_row`'s fast path, decided for the whole sheet by one query of the ledger
                self.seen.add(settled)
                self.note(PlanRow(sheet=spec.key, row=row, action="unchanged", uid=settled))
                continue
            self.plan_row(spec, row, key, uid, json.loads(values), row in invalid, out, pending)
            if len(pending) >= 500:
                self._flush_ledger(pending)
        self._flush_ledger(pending)

    def _flush_ledger(self, pending: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        if not pending or self.dry_run:
            pending.clear()
            return
        with self.ledger.transaction():
            for sheet, key, uid, args in pending:
                self.ledger.rekey(uid, key)
                self.ledger.synced(sheet, key, uid, **args)
        pending.clear()

    def plan_row(self, spec: SheetSpec, row: int, key: str | None, uid: str | None, values: dict[str, str],
                 is_invalid: bool, out: Callable[[_Item], None],
                 pending: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        ledger = self.ledger
        file_values = {k: v for k, v in values.items() if k != UID_KEY}
        if spec.role == "members" and STATUS_KEY not in file_values:
            file_values[STATUS_KEY] = "active"
        entry = ledger.by_uid(uid) if uid else None
        if entry is None and key is not None:
            by_key = ledger.get(spec.key, key)
            if by_key is not None and (uid is None or by_key.uid == uid):
                entry = by_key
        server = self.server_side(entry, uid or (entry.uid if entry else None))
        if entry is None and server is None and key is not None and uid is None:
            server = ledger.server_row_by_key(spec.key, key)
        if entry is None and server is None and uid:
            found = self.lookup_uid(spec, uid)
            if found == "foreign":
                self.add_finding(spec, row, "uid-foreign", "mã uid của dòng này thuộc bản ghi khác trên máy chủ",
                                 "this row's uid belongs to another record on the server", UID_KEY)
                self.note(PlanRow(sheet=spec.key, row=row, action="invalid", uid=uid))
                return
            server = found
        record_uid = (entry.uid if entry else None) or (server.uid if server else None) or uid
        if record_uid:
            self.seen.add(record_uid)
        if is_invalid or key is None:
            self.note(PlanRow(sheet=spec.key, row=row, action="invalid", uid=record_uid))
            return
        if spec.role == "members" and server is not None and server.extra.get("org_unit") \
                and server.extra["org_unit"] != self.ctx.org_unit:
            self.add_finding(spec, row, "member-elsewhere", "mã thành viên này đã thuộc một nhóm khác trên máy chủ",
                             "this member code belongs to another group on the server", MEMBER_KEY)
            self.note(PlanRow(sheet=spec.key, row=row, action="invalid"))
            return
        if (entry is not None and entry.state == "removed") or (server is not None and server.extra.get("deleted")):
            self.add_finding(spec, row, "deleted-on-server", "bản ghi đã bị xóa trên máy chủ; dòng được giữ lại",
                             "the record was deleted on the server; the row is kept", severity=Severity.WARNING)
            self.work.flags.append(_flag(spec.key, row, "deleted on the server"))
            self.note(PlanRow(sheet=spec.key, row=row, action="deleted_on_server", uid=record_uid))
            return
        # A row the ledger already agrees with never gets here: `plan_sheet` settles it by one query.
        base = entry.base if entry is not None and entry.state == "synced" else None
        parents = self.parents(spec, file_values, entry, server)
        if parents is None:
            self.add_finding(spec, row, "member-not-synced",
                             "thành viên của dòng này chưa có trên máy chủ (dòng thành viên lỗi hoặc bị từ chối)",
                             "this row's member is not on the server (its member row is invalid or was refused)",
                             MEMBER_KEY)
            self.note(PlanRow(sheet=spec.key, row=row, action="invalid", uid=record_uid))
            return
        enrollment, parent = parents
        choices: dict[str, Side] = {c: side for (s, k, c), side in self.choices.items() if s == spec.key and k == key}
        ignore = self.ignore if spec.role == "members" else frozenset()
        server_values = dict(server.values) if server is not None else {}
        create = server is None
        if create:  # a new record: merged against nothing, whatever the ledger or the choices say
            merge = merge_fields(None, file_values, {}, ignore=frozenset())
        else:
            merge = merge_fields(base, file_values, server_values, prefer=self.prefer, choices=choices,
                                 ignore=ignore)
        send_fields = merge.to_server if self.to_server else {}
        file_fields = dict(merge.to_file) if self.to_file else {}
        if self.direction == "pull" and not self.redact:
            # A file written redacted gets its confidential values back on a pull that is not.
            file_fields.update({c: server_values[c] for c in ignore
                                if c not in file_values and c in server_values})
        for conflict in merge.conflicts:
            self.conflicts.append(self.conflict_note(spec, row, conflict, server))
            if conflict.resolved is None and self.to_file:
                self.work.conflicts.append(_conflict(spec, row, key, file_values, conflict, server))
        action = ("conflict" if merge.open_conflicts else "create" if create and send_fields
                  else "update" if send_fields or file_fields
                  else "file_ahead" if merge.to_server else "server_ahead" if merge.to_file else "unchanged")
        plan = PlanRow(sheet=spec.key, row=row, action=action, uid=record_uid, to_server=sorted(send_fields),
                       to_file=sorted(file_fields), conflicts=[c.column for c in merge.open_conflicts])
        new_uid = record_uid or payload.new_uid()
        self.seen.add(new_uid)
        if spec.role == "members" and enrollment is None:
            enrollment = (server.extra.get("enrollment") if server else None) or payload.new_uid()
        status = (server.extra.get("status") if server else None) or (entry.status if entry else None)
        file_after = after(file_values, file_fields)
        item = _Item(spec=spec, row=row, key=key, uid=new_uid, enrollment=enrollment, parent=parent,
                     status=status or None, create=create, old_base=base, file_after=dict(file_values),
                     server_after=after(server_values, send_fields),
                     to_file=dict(file_fields), updated_at=server.updated_at if server else None, plan=plan)
        if not uid and (self.to_file or self.to_server) and (send_fields or server is not None):
            self.work.changes.append(_cell(spec.key, row, UID_KEY, new_uid))
        if file_fields:
            self.work.changes += [_cell(spec.key, row, c, v) for c, v in file_fields.items()]

            def settle(item: _Item = item, file_after: dict[str, str] = file_after) -> None:
                if item.plan.action != "refused":
                    self.ledger.rekey(item.uid, item.key)
                    self.ledger.synced(item.spec.key, item.key, item.uid, **self.ledger_args(item, file_after))

            self.work.after_write.append(settle)
        if send_fields:
            plan.uid = new_uid
            if spec.role == "members":
                self.planned_members[key] = (new_uid, enrollment)
            out(item)
        else:
            self.note(plan)
            if not self.dry_run:  # a dry run writes no ledger
                pending.append((spec.key, key, new_uid, self.ledger_args(item, dict(file_values))))

    def parents(self, spec: SheetSpec, values: Mapping[str, str], entry: Entry | None,
                server: Record | None) -> tuple[str | None, str | None] | None:
        """(enrollment, tracked entity) an event belongs to; members: (their enrollment, None).
        None when the member of a member event is not known on the server."""
        if spec.role == "members":
            return ((entry.enrollment if entry else None) or (server.extra.get("enrollment") if server else None)
                    or None, None)
        if spec.role == "group_events":
            return self.ctx.group_enrollment, self.ctx.group_entity
        if spec.role == "events":
            return None, None
        code = values.get(MEMBER_KEY)
        member = self.ledger.get("members", code_key(code)) if code else None
        planned = self.planned_members.get(code_key(code)) if code else None
        if (member is None or not member.enrollment) and planned is not None:
            return planned[1], planned[0]
        if member is None or not member.enrollment:
            if server is not None and server.extra.get("enrollment"):
                return server.extra["enrollment"], server.extra.get("tracked_entity") or None
            return None
        return member.enrollment, member.uid

    def ledger_args(self, item: _Item, file_after: Mapping[str, str]) -> dict[str, Any]:
        base = new_base(item.old_base, file_after, item.server_after)
        return {"values": base, "digest": digest(file_after), "updated_at": item.updated_at,
                "enrollment": item.enrollment, "parent": item.parent, "server": item.server_after,
                "status": item.status}

    def conflict_note(self, spec: SheetSpec, row: int | None, conflict: FieldConflict,
                      server: Record | None) -> ConflictNote:
        column = spec.column(conflict.column)
        return ConflictNote(sheet=spec.key, row=row, column=conflict.column,
                            file_value_kind=_kind(conflict.file, column.value_type if column else "TEXT"),
                            server_value_kind=_kind(conflict.server, column.value_type if column else "TEXT"),
                            file_changed=self.file_time, server_changed=server.updated_at if server else None,
                            resolved=conflict.resolved)

    # --- writing to the server ---------------------------------------------------------------------

    def sender(self) -> tuple[Callable[[_Item], None], Callable[[], None]]:
        batch = Batch()

        def flush() -> None:
            nonlocal batch
            if len(batch):
                self.send_batch(batch)
            batch = Batch()

        def add(item: _Item) -> None:
            unknown = self.translate_places(item)
            if unknown:
                item.plan.action = "invalid"
                self.note(item.plan)
                self.add_finding(item.spec, item.row, "org-unit-unknown",
                                 "không có đơn vị nào trên máy chủ mang mã này",
                                 "no org unit on the server has this code", unknown)
                return
            if self.dry_run:  # a plan needs no payload
                self.note(item.plan)
                return
            kind, obj = self.object_of(item)
            size = size_of(obj)
            if not batch.fits(kind, size):
                flush()
            batch.add(kind, obj, item, size)

        return add, flush

    def translate_places(self, item: _Item) -> str | None:
        """Org unit codes in the values to send → UIDs; the first column whose code is unknown."""
        for column in item.spec.columns:
            value = item.server_after.get(column.key)
            if column.value_type != "ORGANISATION_UNIT" or not value:
                continue
            uid = self.org_units.uid(value)
            if uid is None:
                return column.key
            item.sent_places[column.key] = uid
        return None

    def object_of(self, item: _Item) -> tuple[str, dict[str, Any]]:
        merged = {**item.server_after, **item.sent_places}
        changed = {c: merged.get(c) for c in item.plan.to_server}
        if item.spec.role == "members":
            return "trackedEntities", payload.tracked_entity(
                item.spec, self.ctx, uid=item.uid, enrollment=item.enrollment or "", create=item.create,
                merged=merged, changed=changed)
        return "events", payload.event(item.spec, self.ctx, uid=item.uid, create=item.create, merged=merged,
                                       changed=changed, enrollment=item.enrollment, tracked_entity=item.parent,
                                       status=item.status)

    def send_batch(self, batch: Batch) -> None:
        items: list[_Item] = batch.items
        if self.dry_run:
            for item in items:
                self.note(item.plan)
            return
        with self.ledger.transaction():
            for item in items:
                if item.create:
                    self.ledger.reserve(item.spec.key, item.key, item.uid, enrollment=item.enrollment,
                                        parent=item.parent)
        sent = send(self.client, batch.payload(), objects=len(batch))
        self.writes += 1
        self.take_report(items, sent.report)
        if self.to_file:
            # The server's clock once this batch is in: what we wrote carries an updatedAt no later
            # (an async job's completion says it; a synchronous answer needs one more look).
            after_batch = sent.finished_at or export.server_now(self.client)
            for item in items:
                if item.plan.action != "refused":
                    self.written[item.uid] = after_batch
                    if item.parent and item.spec.role == "member_events":
                        self.written[item.parent] = after_batch  # DHIS2 bumps the member's updatedAt too
        self.batches_sent += 1
        self.tick("batches sent", self.batches_sent, None)

    def take_report(self, items: list[_Item], report: TrackerImportReport) -> None:
        errors = errors_by_uid(report.validation_report.error_reports)
        failed_whole = not report.ok and not errors  # refused without per-object errors
        with self.ledger.transaction():
            for item in items:
                own = own_errors([*errors.get(item.uid, ()), *(errors.get(item.enrollment or "", ())
                                                                if item.spec.role == "members" else ())])
                if own or failed_whole:
                    item.plan.action = "refused"
                    self.note(item.plan)
                    for error in own:
                        self.findings.append(finding(error, item.spec, self.sheet_name(item.spec), item.row,
                                                     file=self.file_name or "", lang=self.lang,
                                                     sent=item.server_after))
                    if failed_whole:
                        self.add_finding(item.spec, item.row, "refused", "máy chủ từ chối cả lô",
                                         f"the server refused the whole batch ({report.message or report.status})")
                    if item.row is not None:
                        self.work.flags.append(_flag(item.spec.key, item.row, "refused by DHIS2"))
                    if item.create:
                        self.ledger.forget(item.uid)
                        self.refused_uids.add(item.uid)
                    if item.spec.role == "members":
                        self.planned_members.pop(item.key, None)
                    continue
                self.note(item.plan)
                self.ledger.rekey(item.uid, item.key)
                self.ledger.synced(item.spec.key, item.key, item.uid, **self.ledger_args(item, item.file_after))

    # --- rows one side lacks ---------------------------------------------------------------------

    def leftovers(self, sheets_in_file: set[str]) -> None:
        """Records the file does not hold: gone from the file (in the ledger, not seen) or new on
        the server (read now, not in the ledger)."""
        ledger = self.ledger
        if self.new_file:
            self.everything_from_server()
            return
        removals: list[tuple[SheetSpec, Entry]] = []
        for spec in self.ordered_sheets():
            for entry in ledger.entries(spec.key):
                if entry.state != "synced" or entry.uid in self.seen:
                    continue
                server = self.server_side(entry, entry.uid)
                if server is not None and server.extra.get("deleted"):
                    with ledger.transaction():
                        ledger.removed(entry.uid)
                    continue
                if self.allow_removals and spec.key in sheets_in_file and self.to_server:
                    removals.append((spec, entry))
                elif self.to_file and server is not None:
                    self.restore(spec, server, "restore")
                else:
                    self.note(PlanRow(sheet=spec.key, action="missing", uid=entry.uid))
            for record in ledger.server_rows(spec.key):
                if record.uid in self.seen or ledger.by_uid(record.uid or "") is not None \
                        or record.extra.get("deleted"):
                    continue
                if self.to_file:
                    self.restore(spec, record, "from_server")
                else:
                    self.note(PlanRow(sheet=spec.key, action="server_ahead", uid=record.uid))
        if removals:
            self.remove(removals)

    def watermark_after(self, started: str) -> str:
        """The next read's start. The read of this run began at `started`; this run's own writes
        came later and need not be read back, so a light read (UIDs and times only) of what
        changed since: if everything there is ours, written no later than its batch's answer,
        the next run may start from now, and what the window before now holds is counted for
        its check (`window_is_known`); anything else changed meanwhile and `started` stays."""
        programs = sorted({s.program for s in self.contract.sheets})
        if not self.written:
            previous = set(self.last_marks.values())
            if self.server_read == 0 and len(previous) == 1 and None not in previous:
                # Nothing changed either side: the last watermark and its window's counts still hold.
                return str(previous.pop())
            self.keep_window_counts({})
            return started
        now = export.server_now(self.client)
        since = export.since(started)
        # (program, kind, uid, stamp); the member program (whose sheet is among the programs when set) first
        order = sorted(programs, key=lambda p: p != self.ctx.member_program)
        changed = [(program, *seen) for program in order for seen in self.light_read(program, since)]
        with self.ledger.transaction():
            # The next run's look at the window before its watermark knows these as ours.
            self.ledger.record_stamps((uid, stamp) for _, _, uid, stamp in changed if uid in self.written and stamp)
        for _, _, uid, stamp in changed:
            ours, seen = export.local_as_utc(self.written.get(uid), self.zone), export.moment(stamp)
            if ours is None or seen is None or seen > ours:
                self.keep_window_counts({})
                return started
        bounds = self.window_bounds(now)
        counts: dict[str, dict[str, int]] = {p: ({"trackedEntities": 0, "events": 0}
                                                 if p == self.ctx.member_program else {"events": 0})
                                             for p in programs}
        for program, kind, _, stamp in changed:
            seen = export.moment(stamp)
            if bounds is not None and seen is not None and bounds[0] <= seen <= bounds[1]:
                counts[program][kind] += 1
        self.keep_window_counts(counts if bounds is not None else {}, now)
        return now

    def keep_window_counts(self, counts: Mapping[str, Mapping[str, int]], mark: str | None = None) -> None:
        with self.ledger.transaction():
            for program in sorted({s.program for s in self.contract.sheets}):
                found = counts.get(program)
                self.ledger.set_meta(f"window:{program}", json.dumps({"mark": mark, "counts": dict(found)})
                                     if found is not None else "")

    def everything_from_server(self) -> None:
        """A pull into a new file: every live record the (full) read found, streamed from the
        ledger's scratch table into the new workbook; records deleted there leave the ledger."""
        with self.ledger.transaction():
            for spec in self.ordered_sheets():
                for record in self.ledger.server_rows(spec.key):
                    if record.extra.get("deleted"):
                        if self.ledger.by_uid(record.uid or "") is not None:
                            self.ledger.removed(record.uid or "")
                        continue
                    self.note(PlanRow(sheet=spec.key, action="from_server", uid=record.uid,
                                      to_file=sorted(record.values)))

    def new_file_rows(self, spec: SheetSpec) -> Iterator[dict[str, str | None]]:
        hidden = self.confidential(spec) if self.redact else frozenset()
        for record in self.ledger.server_rows(spec.key):
            if not record.extra.get("deleted"):
                yield {**{k: v for k, v in record.values.items() if k not in hidden}, UID_KEY: record.uid}

    def settle_new_file(self) -> None:
        """After the new file is written: each record's base is what both sides now hold."""
        ledger = self.ledger
        for spec in self.ordered_sheets():
            hidden = self.confidential(spec) if self.redact else frozenset()
            batch: list[Record] = []
            for record in ledger.server_rows(spec.key):
                if not record.extra.get("deleted"):
                    batch.append(record)
                if len(batch) >= 1000:
                    self._settle(spec, batch, hidden)
            self._settle(spec, batch, hidden)

    def _settle(self, spec: SheetSpec, batch: list[Record], hidden: frozenset[str]) -> None:
        with self.ledger.transaction():
            for record in batch:
                values = dict(record.values)
                written = {k: v for k, v in values.items() if k not in hidden}
                self.ledger.rekey(record.uid or "", record.key)
                self.ledger.synced(spec.key, record.key, record.uid or "", values, digest(written),
                                   updated_at=record.updated_at, enrollment=record.extra.get("enrollment") or None,
                                   parent=record.extra.get("tracked_entity") or None, server=values,
                                   status=record.extra.get("status") or None)
        batch.clear()

    def restore(self, spec: SheetSpec, record: Record, action: str) -> None:
        values = dict(record.values)
        self.work.new_rows.append(_new_row(spec.key, {**values, UID_KEY: record.uid or ""}))
        self.note(PlanRow(sheet=spec.key, action=action, uid=record.uid, to_file=sorted(values)))
        written = {k: v for k, v in values.items() if not (self.redact and k in self.confidential(spec))}

        def settle() -> None:
            self.ledger.rekey(record.uid or "", record.key)
            self.ledger.synced(spec.key, record.key, record.uid or "", values, digest(written),
                               updated_at=record.updated_at, enrollment=record.extra.get("enrollment") or None,
                               parent=record.extra.get("tracked_entity") or None, server=values,
                               status=record.extra.get("status") or None)

        self.work.after_write.append(settle)

    def confidential(self, spec: SheetSpec) -> frozenset[str]:
        return frozenset(c.key for c in spec.columns if c.confidential)

    def remove(self, removals: list[tuple[SheetSpec, Entry]]) -> None:
        """`--allow-removals`: delete what vanished from the file; events before members. A
        deletion DHIS2 refuses stays in the ledger and is reported, so a rerun tries it again."""
        removals.sort(key=lambda pair: -_ROLE_ORDER[pair[0].role])
        if self.dry_run:
            for spec, entry in removals:
                self.note(PlanRow(sheet=spec.key, action="remove", uid=entry.uid))
            return
        for members in (False, True):
            chosen = [(s, e) for s, e in removals if (s.role == "members") == members]
            if not chosen:
                continue
            kind, field = ("trackedEntities", "trackedEntity") if members else ("events", "event")
            report = send(self.client, {kind: [{field: e.uid} for _, e in chosen]}, objects=len(chosen),
                          strategy="DELETE").report
            self.writes += 1
            errors = errors_by_uid(report.validation_report.error_reports)
            failed_whole = not report.ok and not errors
            with self.ledger.transaction():
                for spec, entry in chosen:
                    own = own_errors(list(errors.get(entry.uid, ())))
                    if not own and not failed_whole:
                        self.note(PlanRow(sheet=spec.key, action="remove", uid=entry.uid))
                        self.ledger.removed(entry.uid)
                        continue
                    self.note(PlanRow(sheet=spec.key, action="refused", uid=entry.uid))
                    for error in own:
                        self.findings.append(finding(error, spec, self.sheet_name(spec), None,
                                                     file=self.file_name or "", lang=self.lang))
                    if failed_whole:
                        self.add_finding(spec, None, "refused", "máy chủ từ chối xoá cả lô",
                                         f"the server refused the whole deletion ({report.message or report.status})")

    def ordered_sheets(self) -> list[SheetSpec]:
        order = {s.key: i for i, s in enumerate(self.contract.sheets)}
        return sorted(self.contract.sheets, key=lambda s: (_ROLE_ORDER[s.role], order[s.key]))


def _kind(value: str | None, value_type: str) -> str:
    return "blank" if value is None else value_type.lower()


def _cell(sheet: str, row: int, column: str, value: str | None) -> Any:
    from scdi.connector.sync.workbook import CellChange

    return CellChange(sheet=sheet, row=row, column=column, value=value)


def _new_row(sheet: str, values: Mapping[str, str]) -> Any:
    from scdi.connector.sync.workbook import NewRow

    return NewRow(sheet=sheet, values=values)


def _flag(sheet: str, row: int, message: str) -> Any:
    from scdi.connector.sync.workbook import RowFlag

    return RowFlag(sheet=sheet, row=row, message=message)


def _conflict(spec: SheetSpec, row: int | None, key: str, values: Mapping[str, str], conflict: FieldConflict,
              server: Record | None) -> Any:
    from scdi.connector.sync.workbook import ConflictEntry

    label = " ".join(v for v in (values.get(MEMBER_KEY), values.get(DATE_KEY)) if v) or key
    return ConflictEntry(sheet=spec.key, row=row, record=label, column=conflict.column, file_value=conflict.file,
                         server_value=conflict.server, server_updated_at=server.updated_at if server else None,
                         key=key)


# --- the one-call entry point ----------------------------------------------------------------------


def run(client: Dhis2Client, path: Path | None, group: str, direction: Direction, *,
        kind: RosterKind = "member", state_dir: Path | None = None, dry_run: bool = False,
        prefer: Side | None = None, allow_removals: bool = False, redact: bool = False,
        lang: Lang | None = None, today: date | None = None, engines: bool = True,
        package: dict[str, Any] | None = None, progress: Progress | None = None) -> SyncReport:
    """Push, pull or sync one group's roster file with the server (see the module's steps)."""
    started = time.monotonic()
    if direction != "pull" and (path is None or not path.exists()):
        raise InputError(f"the roster {path} does not exist", hint="Give an existing roster file or folder.")
    if path is None:
        raise InputError("no roster file given", hint="Give the file to write with -o.")
    pkg = package if package is not None else default_package()
    contract = load_contract(kind, pkg)
    ctx = resolve_group(client, contract, group)
    day = today or date.today()
    ledger = Ledger.for_group(state_dir or default_state_dir(), client.settings.base_url, group, kind)
    with ledger:
        exists = path.exists()
        report_lang: Lang = lang or "vi"
        validation = None
        with ledger.transaction():
            ledger.clear_file_rows()  # the rows of the file this run reads, none of an earlier one
        if exists:
            validation = _read_file(ledger, path, group, lang, kind, day, engines and direction != "pull", pkg)
            report_lang = validation.lang
        state = _Run(client, contract, ctx, ledger, direction=direction, dry_run=dry_run, prefer=prefer,
                     allow_removals=allow_removals, redact=redact, today=day, lang=report_lang,
                     file_name=path.name, file_time=_mtime(path) if exists else None, progress=progress)
        state.new_file = not exists
        if validation is not None:
            state.findings += validation.findings
            state.names = {s.sheet: s.name for s in validation.sheets}
            blocking = [f for f in validation.findings if f.severity is Severity.ERROR and f.row is None
                        and f.code in ("group-mismatch", "header-not-found", "sheet-missing")]
            if blocking:
                return _report(state, group, direction, kind, path, client, started)
        redacted = ledger.meta("redacted_columns") or ""
        state.ignore = frozenset(c for c in redacted.split(",") if c)
        if exists and path.suffix.lower() in (".xlsx", ".xlsm"):
            from scdi.connector.sync.workbook import read_conflict_choices

            state.choices = read_conflict_choices(path)
        clock, state.zone = export.server_clock(client)
        full = not exists or ledger.count() == 0
        state.read_server(full)
        if exists and not full:
            state.adopt_members()
        invalid = _invalid_rows(validation) if validation is not None else {}
        add, flush = state.sender()
        for spec in state.ordered_sheets():
            state.plan_sheet(spec, invalid.get(spec.key, set()), add)
            if spec.role == "members":
                flush()
        flush()
        in_file = {s.sheet for s in validation.sheets} if validation is not None else set()
        state.leftovers(in_file)
        if not dry_run:
            _write_file(state, contract, path, exists, report_lang, group)
            if state.to_file:
                mark = state.watermark_after(clock)
                with ledger.transaction():
                    for program in {s.program for s in contract.sheets}:
                        ledger.set_watermark(program, mark)
                    if direction == "pull":  # a pull decides what the file holds; a sync keeps it
                        ledger.set_meta("redacted_columns", ",".join(
                            c.key for s in contract.sheets for c in s.columns if c.confidential) if redact else "")
        return _report(state, group, direction, kind, path, client, started)


def _read_file(ledger: Ledger, path: Path, group: str, lang: Lang | None, kind: RosterKind, today: date,
               engines: bool, package: dict[str, Any]) -> Any:
    rows: list[tuple[str, int, str | None, str | None, str | None, dict[str, str], str]] = []

    def sink(spec: SheetSpec, row: int, values: dict[str, str]) -> None:
        key = natural_key(spec, values)
        member = values.get(MEMBER_KEY)
        body = {k: v for k, v in values.items() if k != UID_KEY}
        if spec.role == "members" and STATUS_KEY not in body:
            body[STATUS_KEY] = "active"
        uid = values.get(UID_KEY)
        rows.append((spec.key, row, key, uid if uid and UID_RE.match(uid) else None,
                     code_key(member) if member else None, values, digest(body)))
        if len(rows) >= 2000:
            _store_rows(ledger, rows)

    with ledger.transaction():
        ledger.clear_file_rows()
    report = validate_roster(path, group=group, lang=lang, kind=kind, today=today, engines=engines,
                             package=package, on_row=sink, verdicts=ledger)
    _store_rows(ledger, rows)
    return report


def _store_rows(ledger: Ledger, rows: list[tuple[str, int, str | None, str | None, str | None, dict[str, str],
                                                str]]) -> None:
    with ledger.transaction():
        ledger.add_file_rows(rows)
    rows.clear()


def _invalid_rows(validation: Any) -> dict[str, set[int]]:
    by_name = {s.name: s.sheet for s in validation.sheets}
    out: dict[str, set[int]] = {}
    for f in validation.findings:
        if f.severity is Severity.ERROR and f.row is not None and f.sheet in by_name:
            out.setdefault(by_name[f.sheet], set()).add(f.row)
    return out


def _write_file(state: _Run, contract: RosterContract, path: Path, exists: bool, lang: Lang, group: str) -> None:
    work = state.work
    if not exists:
        from scdi.connector.roster.write import write_roster

        write_roster(contract, path, lang=lang, group=group,
                     rows={spec.key: state.new_file_rows(spec) for spec in contract.sheets})
        state.file_written = True
        state.settle_new_file()
    else:
        changes = [c for c in work.changes if (state.to_file or c.column == UID_KEY)
                   and not (c.column == UID_KEY and c.value in state.refused_uids)]
        marked = state.ledger.meta("file_marks") not in (None, "", "0,0")  # our sheet or flags to clear
        if changes or work.new_rows or work.flags or work.conflicts or (state.to_file and marked):
            from scdi.connector.sync.workbook import update_roster

            update_roster(path, contract, lang=lang, changes=changes,
                          new_rows=work.new_rows if state.to_file else (),
                          conflicts=work.conflicts if state.to_file else (), flags=work.flags,
                          redact=state.redact)
            state.file_written = True
            with state.ledger.transaction():
                conflicts = len(work.conflicts) if state.to_file else 0
                state.ledger.set_meta("file_marks", f"{conflicts},{len(work.flags)}")
    if state.to_file and work.after_write:
        with state.ledger.transaction():
            for settle in work.after_write:
                settle()


def _mtime(path: Path) -> str | None:
    with contextlib.suppress(OSError):
        from datetime import datetime

        return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0).isoformat()
    return None


def _report(state: _Run, group: str, direction: str, kind: str, path: Path, client: Dhis2Client,
            started: float) -> SyncReport:
    counts = {action: state.counts.get(action, 0) for action in ACTIONS}
    return SyncReport(group=group, direction=direction, kind=kind, file=path.name,
                      server=client.settings.base_url, dry_run=state.dry_run, counts=counts, rows=state.rows,
                      conflicts=state.conflicts, findings=state.findings, writes=state.writes,
                      rows_omitted=state.rows_omitted,
                      file_written=state.file_written, seconds=time.monotonic() - started)


def iter_actions(report: SyncReport) -> Iterator[tuple[str, int]]:
    for action in ACTIONS:
        if report.counts.get(action):
            yield action, report.counts[action]
