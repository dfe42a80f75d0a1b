"""The three-way merge of one record, field by field: base (the last sync), file, server.

Pure: values in, decisions out. Per field, with `b`, `f`, `s` the base, file and server values
(None when blank):

- `f == s`: the sides agree, nothing to do;
- `f == b`: only the server changed it → written into the file;
- `s == b`: only the file changed it → sent to the server;
- otherwise both changed it to different values: a conflict. `prefer` (or the person's choice on
  the Conflicts sheet for that field) resolves it one way; unresolved, neither side is written.

A record the ledger has never seen has no base: a field that is blank on one side is taken from
the other, two different values are a conflict. Nothing here drops a value: every field is
either agreed, moved one way, or listed as a conflict (the property tests check exactly that).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Side = Literal["roster", "server"]


@dataclass(frozen=True, slots=True)
class FieldConflict:
    column: str
    base: str | None
    file: str | None
    server: str | None
    resolved: Side | None = None  # which side won (`--prefer` or the Conflicts sheet), None: still open


@dataclass(frozen=True, slots=True)
class Merge:
    to_server: dict[str, str | None] = field(default_factory=dict)  # column → value to send (None: clear it)
    to_file: dict[str, str | None] = field(default_factory=dict)  # column → value to write (None: empty it)
    conflicts: tuple[FieldConflict, ...] = ()

    @property
    def open_conflicts(self) -> tuple[FieldConflict, ...]:
        return tuple(c for c in self.conflicts if c.resolved is None)

    @property
    def changed(self) -> bool:
        return bool(self.to_server or self.to_file or self.conflicts)


def merge_fields(base: Mapping[str, str] | None, file: Mapping[str, str], server: Mapping[str, str], *,
                 prefer: Side | None = None, choices: Mapping[str, Side] | None = None,
                 ignore: frozenset[str] = frozenset()) -> Merge:
    """Merge one record. `ignore`: columns the file does not hold (a redacted pull left them
    empty on purpose), so a blank there is not an edit and the server's value stays."""
    past = base or {}
    to_server: dict[str, str | None] = {}
    to_file: dict[str, str | None] = {}
    conflicts: list[FieldConflict] = []
    for column in sorted({*past, *file, *server}):
        b, f, s = past.get(column), file.get(column), server.get(column)
        if f == s:
            continue
        if column in ignore and f is None:
            continue
        if f == b:
            to_file[column] = s
        elif s == b:
            to_server[column] = f
        else:
            winner = (choices or {}).get(column) or prefer
            conflicts.append(FieldConflict(column, b, f, s, winner))
            if winner == "roster":
                to_server[column] = f
            elif winner == "server":
                to_file[column] = s
    return Merge(to_server, to_file, tuple(conflicts))


def after(values: Mapping[str, str], changes: Mapping[str, str | None]) -> dict[str, str]:
    """`values` with `changes` applied (None removes the field)."""
    out = dict(values)
    for column, value in changes.items():
        if value is None:
            out.pop(column, None)
        else:
            out[column] = value
    return out


def new_base(old: Mapping[str, str] | None, file_after: Mapping[str, str],
             server_after: Mapping[str, str]) -> dict[str, str]:
    """What the sides agree on after a run, per field; where they still differ (an open
    conflict, a push that left a server-side change in the file's past) the old base stays, so
    the next merge still sees who changed what."""
    past = old or {}
    out: dict[str, str] = {}
    for column in {*past, *file_after, *server_after}:
        f, s = file_after.get(column), server_after.get(column)
        value = f if f == s else past.get(column)
        if value is not None:
            out[column] = value
    return out
