"""The ledger: what the last sync of one group with one server left behind, in SQLite.

One file per server and group (`<host>-<digest>/<GROUP>.sqlite` under the state folder), made
readable by its owner only, with a lock file beside it so two syncs of one group cannot run at
once. It holds, per record, the DHIS2 UID and the values both sides agreed on at the last sync
(the base of the three-way merge), their digest and the server's `updatedAt`; per program the
pull watermark; and a scratch table the file's rows stream into while the file is validated,
so planning walks SQL instead of holding a large roster in memory.

Write-ahead: a record's UIDs are reserved here (`reserve`, state `pending`) and committed
before any request that creates it, so a retried, repeated or interrupted push sends the same
UIDs again and DHIS2's CREATE_AND_UPDATE makes it an update, never a duplicate.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from scdi.connector.errors import ScdiError
from scdi.connector.roster.verdicts import TABLE as VERDICTS_TABLE
from scdi.connector.roster.verdicts import read_kept, write_kept
from scdi.connector.sync.records import Record

SCHEMA_VERSION = 1
_PAGE = 1000
EntryState = Literal["pending", "synced", "removed"]
_SELECT = "SELECT sheet, key, uid, enrollment, parent, base, digest, updated_at, state, server, status FROM records "

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    sheet TEXT NOT NULL,
    key TEXT NOT NULL,
    uid TEXT NOT NULL,
    enrollment TEXT,              -- members: the member-program enrollment's UID
    parent TEXT,                  -- events: the enrollment (or tracked entity) they belong to
    base TEXT,                    -- JSON values of the last sync; NULL while pending
    digest TEXT,
    updated_at TEXT,              -- the server's updatedAt at the last sync
    server TEXT,                  -- JSON values the server held when last read, where not the base
    status TEXT,                  -- the event's (or enrollment's) status on the server: sent back unchanged
    state TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (sheet, key)
);
CREATE UNIQUE INDEX IF NOT EXISTS records_uid ON records (uid);
CREATE TABLE IF NOT EXISTS watermarks (program TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file_rows (
    sheet TEXT NOT NULL,
    row INTEGER NOT NULL,
    key TEXT,
    uid TEXT,
    member TEXT,
    vals TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (sheet, row)
);
CREATE INDEX IF NOT EXISTS file_rows_key ON file_rows (sheet, key);
CREATE INDEX IF NOT EXISTS file_rows_uid ON file_rows (uid);
CREATE TABLE IF NOT EXISTS server_rows (
    uid TEXT PRIMARY KEY,
    sheet TEXT NOT NULL,
    key TEXT,
    member TEXT,
    vals TEXT NOT NULL,
    extra TEXT NOT NULL,
    updated_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS server_rows_key ON server_rows (sheet, key);
"""


def _server_record(row: tuple[object, ...]) -> Record:
    uid, sheet, key, member, vals, extra, updated = row
    return Record(
        sheet=str(sheet),
        key=str(key or ""),
        values=json.loads(str(vals)),
        uid=str(uid),
        member=str(member) if member else None,
        updated_at=str(updated) if updated else None,
        extra=json.loads(str(extra)),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class SyncLocked(ScdiError):
    """Another sync of the same group and server is running."""

    default_hint = "Wait for it to finish (or, if it was killed, run again: a stale lock is released)."


class LedgerError(ScdiError):
    """The ledger file cannot be used (unreadable, from a newer version, another group's)."""

    default_hint = "Move the state folder aside and sync again: the next sync rebuilds it from the file and the server."


@dataclass(frozen=True, slots=True)
class Entry:
    sheet: str
    key: str
    uid: str
    enrollment: str | None
    parent: str | None
    base: Mapping[str, str] | None
    digest: str | None
    updated_at: str | None
    state: EntryState
    server: Mapping[str, str] | None = None  # the server's values when last read, where not the base
    status: str | None = None  # the event's status on the server

    @property
    def server_values(self) -> Mapping[str, str] | None:
        """What the server holds as far as the ledger knows (a record not updated since is unchanged)."""
        return self.server if self.server is not None else self.base


def default_state_dir() -> Path:
    """The user's data folder for scdi-groups (XDG on Linux, Application Support, AppData)."""
    from platformdirs import user_data_path

    return user_data_path("scdi-groups", appauthor=False) / "sync"


def server_slug(base_url: str) -> str:
    """A folder name per server: its host for people, a digest of the whole URL for uniqueness."""
    parts = urlsplit(base_url.rstrip("/"))
    host = "".join(ch if ch.isalnum() or ch in ".-" else "_" for ch in (parts.hostname or "server"))
    return f"{host}-{hashlib.sha256(base_url.rstrip('/').encode()).hexdigest()[:10]}"


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, stat.S_IRWXU)


class Ledger:
    """One group's ledger on one server; use as a context manager (it holds the lock)."""

    def __init__(self, path: Path, *, group: str, server: str) -> None:
        self.path = path
        self.group = group
        self.server = server
        self._lock_file: int | None = None
        self.db: sqlite3.Connection | None = None

    @classmethod
    def for_group(cls, state_dir: Path, base_url: str, group: str, kind: str = "member") -> Ledger:
        folder = state_dir / server_slug(base_url)
        name = group if kind == "member" else f"{group}.{kind}"
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
        return cls(folder / f"{safe}.sqlite", group=group, server=base_url.rstrip("/"))

    # --- opening, locking ---------------------------------------------------------------------

    def __enter__(self) -> Ledger:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        _private_dir(self.path.parent.parent)
        _private_dir(self.path.parent)
        lock_path = self.path.with_suffix(".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            # flock is released by the kernel when the holder dies, so a kill -9 leaves no stale lock.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SyncLocked(f"group {self.group} is being synced with {self.server} by another process") from None
        self._lock_file = fd
        created = not self.path.exists()
        if created:
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(self.path, stat.S_IRUSR | stat.S_IWUSR)
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            db.execute(VERDICTS_TABLE)  # the rule engine's answers of one day (roster/verdicts.py)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise LedgerError(f"the ledger {self.path} cannot be read: {exc}") from None
        self.db = db
        self._check_meta()

    def _check_meta(self) -> None:
        stored = dict(self._sql("SELECT name, value FROM meta").fetchall())
        if not stored:
            with self.transaction():
                self._sql(
                    "INSERT INTO meta VALUES ('schema', ?), ('group', ?), ('server', ?)",
                    (str(SCHEMA_VERSION), self.group, self.server),
                )
            return
        if int(stored.get("schema", "0")) > SCHEMA_VERSION:
            raise LedgerError(f"the ledger {self.path} was written by a newer scdi-groups")
        if stored.get("group") != self.group or stored.get("server") != self.server:
            raise LedgerError(
                f"the ledger {self.path} belongs to group {stored.get('group')} on {stored.get('server')}"
            )

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            os.close(self._lock_file)
            self._lock_file = None

    def _sql(self, query: str, params: tuple[object, ...] | list[object] = ()) -> sqlite3.Cursor:
        if self.db is None:
            raise LedgerError("the ledger is not open")
        return self.db.execute(query, params)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._sql("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._sql("ROLLBACK")
            raise
        self._sql("COMMIT")

    # --- records --------------------------------------------------------------------------------

    @staticmethod
    def _entry(row: tuple[object, ...]) -> Entry:
        sheet, key, uid, enrollment, parent, base, dig, updated, state, server, status = row
        return Entry(
            sheet=str(sheet),
            key=str(key),
            uid=str(uid),
            enrollment=_text(enrollment),
            parent=_text(parent),
            base=json.loads(str(base)) if base else None,
            digest=_text(dig),
            updated_at=_text(updated),
            state="synced" if state == "synced" else "removed" if state == "removed" else "pending",
            server=json.loads(str(server)) if server else None,
            status=_text(status),
        )

    def get(self, sheet: str, key: str) -> Entry | None:
        row = self._sql(_SELECT + " WHERE sheet=? AND key=?", (sheet, key)).fetchone()
        return self._entry(row) if row else None

    def by_uid(self, uid: str) -> Entry | None:
        row = self._sql(_SELECT + " WHERE uid=?", (uid,)).fetchone()
        return self._entry(row) if row else None

    def entries(self, sheet: str | None = None) -> Iterator[Entry]:
        """Every entry (of one sheet), read a page at a time: the caller may write to the ledger
        between pages, and memory holds one page, not the group."""
        last: tuple[str, str] = ("", "")
        while True:
            if sheet is None:
                rows = self._sql(_SELECT + " WHERE (sheet, key) > (?, ?) ORDER BY sheet, key LIMIT ?",
                                 (*last, _PAGE)).fetchall()
            else:
                rows = self._sql(_SELECT + " WHERE sheet=? AND key > ? ORDER BY key LIMIT ?",
                                 (sheet, last[1], _PAGE)).fetchall()
            for row in rows:
                yield self._entry(row)
            if len(rows) < _PAGE:
                return
            last = (str(rows[-1][0]), str(rows[-1][1]))

    def count(self, state: EntryState | None = None) -> int:
        if state is None:
            return int(self._sql("SELECT count(*) FROM records").fetchone()[0])
        return int(self._sql("SELECT count(*) FROM records WHERE state=?", (state,)).fetchone()[0])

    def reserve(
        self, sheet: str, key: str, uid: str, *, enrollment: str | None = None, parent: str | None = None
    ) -> Entry:
        """Write-ahead: the UIDs a new record will be created with, kept before it is sent.

        An entry that already exists keeps its UIDs (that is the point), so calling this again
        for the same record is harmless; call it inside `transaction()` for a batch.
        """
        existing = self.get(sheet, key)
        if existing is not None:
            return existing
        self._sql(
            "INSERT INTO records (sheet, key, uid, enrollment, parent, state) VALUES (?, ?, ?, ?, ?, 'pending')",
            (sheet, key, uid, enrollment, parent),
        )
        return Entry(sheet, key, uid, enrollment, parent, None, None, None, "pending")

    def forget(self, uid: str) -> None:
        """A pending record DHIS2 refused: its UIDs may be used again."""
        self._sql("DELETE FROM records WHERE uid=? AND state='pending'", (uid,))

    def synced(
        self,
        sheet: str,
        key: str,
        uid: str,
        values: Mapping[str, str],
        digest: str,
        *,
        updated_at: str | None = None,
        enrollment: str | None = None,
        parent: str | None = None,
        server: Mapping[str, str] | None = None,
        status: str | None = None,
    ) -> None:
        """Both sides now hold `values` for this record: the new base. `server`: what the server
        holds where that is not the base (an unresolved conflict, a change not yet in the file)."""
        server_json = (
            json.dumps(dict(server), ensure_ascii=False, sort_keys=True)
            if server is not None and dict(server) != dict(values)
            else None
        )
        self._sql(
            "INSERT INTO records (sheet, key, uid, enrollment, parent, base, digest, updated_at, server, status, "
            "state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'synced') "
            "ON CONFLICT (sheet, key) DO UPDATE SET uid=excluded.uid, "
            "enrollment=coalesce(excluded.enrollment, records.enrollment), "
            "parent=coalesce(excluded.parent, records.parent), base=excluded.base, digest=excluded.digest, "
            "updated_at=coalesce(excluded.updated_at, records.updated_at), server=excluded.server, "
            "status=coalesce(excluded.status, records.status), state='synced'",
            (
                sheet,
                key,
                uid,
                enrollment,
                parent,
                json.dumps(dict(values), ensure_ascii=False, sort_keys=True),
                digest,
                updated_at,
                server_json,
                status,
            ),
        )

    def rekey(self, uid: str, key: str) -> None:
        """A record whose key columns changed (a corrected date) keeps its UID under the new key.

        Another record still filed under that key (two meetings whose dates were swapped) moves
        aside to a key of its own until its row is read."""
        row = self._sql("SELECT sheet FROM records WHERE uid=?", (uid,)).fetchone()
        if row is None:
            return
        blocker = self._sql("SELECT uid FROM records WHERE sheet=? AND key=? AND uid<>?", (row[0], key, uid)).fetchone()
        if blocker is not None:
            self._sql("UPDATE records SET key=? WHERE uid=?", (f"{key}~{blocker[0]}", blocker[0]))
        self._sql("UPDATE records SET key=? WHERE uid=?", (key, uid))

    def record_stamps(self, stamps: Iterable[tuple[str, str]]) -> None:
        """The server's `updatedAt` of records this run wrote, as a light read found them."""
        if self.db is None:
            raise LedgerError("the ledger is not open")
        self.db.executemany("UPDATE records SET updated_at=? WHERE uid=?", [(s, u) for u, s in stamps])

    def removed(self, uid: str) -> None:
        self._sql("UPDATE records SET state='removed' WHERE uid=?", (uid,))

    # --- pull watermarks ------------------------------------------------------------------------

    def watermark(self, program: str) -> str | None:
        row = self._sql("SELECT value FROM watermarks WHERE program=?", (program,)).fetchone()
        return str(row[0]) if row else None

    def set_watermark(self, program: str, value: str) -> None:
        self._sql(
            "INSERT INTO watermarks VALUES (?, ?) ON CONFLICT (program) DO UPDATE SET value=excluded.value",
            (program, value),
        )

    # --- the file's rows, streamed in while the file is validated --------------------------------

    # --- the rule engine's answers (roster/verdicts.py) -----------------------------------------

    def verdicts(self, keys: list[str]) -> dict[str, str]:
        if self.db is None:
            raise LedgerError("the ledger is not open")
        return read_kept(self.db, keys)

    def keep_verdicts(self, day: str, items: list[tuple[str, str]]) -> None:
        if self.db is None:
            raise LedgerError("the ledger is not open")
        with self.transaction():
            write_kept(self.db, day, items)

    def clear_file_rows(self) -> None:
        self._sql("DELETE FROM file_rows")

    def add_file_row(
        self,
        sheet: str,
        row: int,
        key: str | None,
        uid: str | None,
        member: str | None,
        values: Mapping[str, str],
        digest: str,
    ) -> None:
        self._sql(
            "INSERT OR REPLACE INTO file_rows VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sheet, row, key, uid, member, json.dumps(dict(values), ensure_ascii=False, sort_keys=True), digest),
        )

    def add_file_rows(
        self, rows: Iterable[tuple[str, int, str | None, str | None, str | None, Mapping[str, str], str]]
    ) -> None:
        """Many `add_file_row`s in one statement (sheet, row, key, uid, member, values, digest)."""
        if self.db is None:
            raise LedgerError("the ledger is not open")
        self.db.executemany(
            "INSERT OR REPLACE INTO file_rows VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(sheet, row, key, uid, member, json.dumps(dict(values), ensure_ascii=False, sort_keys=True), digest)
             for sheet, row, key, uid, member, values, digest in rows],
        )

    def file_row_count(self, sheet: str) -> int:
        return int(self._sql("SELECT count(*) FROM file_rows WHERE sheet=?", (sheet,)).fetchone()[0])

    def file_row_by_uid(self, uid: str) -> tuple[str, int] | None:
        row = self._sql("SELECT sheet, row FROM file_rows WHERE uid=?", (uid,)).fetchone()
        return (str(row[0]), int(row[1])) if row else None

    def file_row_by_key(self, sheet: str, key: str) -> int | None:
        row = self._sql(
            "SELECT row FROM file_rows WHERE sheet=? AND key=? ORDER BY row LIMIT 1", (sheet, key)
        ).fetchone()
        return int(row[0]) if row else None

    # --- the server's records read in this run (an incremental export, or everything) -----------

    def clear_server_rows(self) -> None:
        self._sql("DELETE FROM server_rows")

    def add_server_row(self, record: Record) -> None:
        """A record as the server holds it; a later read of the same UID (the overlap) replaces it."""
        extra = dict(record.extra)
        self._sql(
            "INSERT OR REPLACE INTO server_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.uid,
                record.sheet,
                record.key,
                record.member,
                json.dumps(dict(record.values), ensure_ascii=False, sort_keys=True),
                json.dumps(extra, ensure_ascii=False, sort_keys=True),
                record.updated_at,
                1 if extra.get("deleted") == "true" else 0,
            ),
        )

    def server_row(self, uid: str) -> Record | None:
        row = self._sql(
            "SELECT uid, sheet, key, member, vals, extra, updated_at FROM server_rows WHERE uid=?", (uid,)
        ).fetchone()
        return _server_record(row) if row else None

    def server_row_by_key(self, sheet: str, key: str) -> Record | None:
        row = self._sql(
            "SELECT uid, sheet, key, member, vals, extra, updated_at FROM server_rows "
            "WHERE sheet=? AND key=? AND deleted=0 ORDER BY uid LIMIT 1",
            (sheet, key),
        ).fetchone()
        return _server_record(row) if row else None

    def server_rows(self, sheet: str | None = None) -> Iterator[Record]:
        query = "SELECT uid, sheet, key, member, vals, extra, updated_at FROM server_rows WHERE uid > ?"
        last = ""
        while True:
            if sheet is None:
                rows = self._sql(query + " ORDER BY uid LIMIT ?", (last, _PAGE)).fetchall()
            else:
                rows = self._sql(query + " AND sheet=? ORDER BY uid LIMIT ?", (last, sheet, _PAGE)).fetchall()
            for row in rows:
                yield _server_record(row)
            if len(rows) < _PAGE:
                return
            last = str(rows[-1][0])

    def file_rows_settled(self, sheet: str) -> Iterator[tuple[int, str | None, str | None, str, str | None]]:
        """(row, key, uid, values as JSON text, settled) of one sheet, in row order, a page at a time.

        `settled` is the UID of the record a row is known to agree with, in one query instead of
        three a row: the ledger's entry for the row (by the row's UID, else by its key) is synced
        with this key, its digest is the row's, and nothing the server sent since differs from
        what was last agreed (no `server` values, no server row read this run); else None. The
        values stay text, so a settled row costs no JSON parse.
        """
        last = -1
        while True:
            rows = self._sql(
                "SELECT f.row, f.key, f.uid, r.uid, f.vals FROM file_rows f "
                "LEFT JOIN records r ON r.uid = COALESCE(f.uid, "
                "  (SELECT k.uid FROM records k WHERE k.sheet = f.sheet AND k.key = f.key)) "
                "  AND r.state = 'synced' AND r.base IS NOT NULL AND r.server IS NULL AND r.digest = f.digest "
                "  AND r.key = f.key AND f.key IS NOT NULL "
                "  AND NOT EXISTS (SELECT 1 FROM server_rows s WHERE s.uid = r.uid) "
                "WHERE f.sheet = ? AND f.row > ? ORDER BY f.row LIMIT ?", (sheet, last, _PAGE)).fetchall()
            for row, key, uid, settled, vals in rows:
                yield int(row), key, uid, str(vals), settled
            if len(rows) < _PAGE:
                return
            last = int(rows[-1][0])

    def file_rows(self, sheet: str) -> Iterator[tuple[int, str | None, str | None, str | None, dict[str, str], str]]:
        """(row, key, uid, member, values, digest) of one sheet, in row order, a page at a time."""
        last = -1
        while True:
            rows = self._sql(
                "SELECT row, key, uid, member, vals, digest FROM file_rows WHERE sheet=? AND row > ? "
                "ORDER BY row LIMIT ?", (sheet, last, _PAGE)).fetchall()
            for row, key, uid, member, vals, dig in rows:
                yield int(row), key, uid, member, json.loads(vals), str(dig)
            if len(rows) < _PAGE:
                return
            last = int(rows[-1][0])

    def unmatched_file_rows(self, sheet: str) -> Iterator[tuple[int, str, dict[str, str]]]:
        """(row, key, values) of a sheet's rows that neither the ledger nor this run's server read
        knows, by UID or key: candidates for adoption by a lookup on the server."""
        rows = self._sql(
            "SELECT f.row, f.key, f.vals FROM file_rows f WHERE f.sheet=? AND f.key IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM records r WHERE r.sheet=f.sheet AND (r.key=f.key OR r.uid=f.uid)) "
            "AND NOT EXISTS (SELECT 1 FROM server_rows s WHERE s.sheet=f.sheet AND (s.key=f.key OR s.uid=f.uid)) "
            "ORDER BY f.row",
            (sheet,),
        ).fetchall()
        for row, key, vals in rows:
            yield int(row), str(key), json.loads(vals)

    # --- facts about the file last written ---------------------------------------------------------

    def meta(self, name: str) -> str | None:
        row = self._sql("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, name: str, value: str) -> None:
        self._sql("INSERT INTO meta VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value=excluded.value", (name, value))
