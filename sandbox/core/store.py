"""The sandbox state: one SQLite connection (in memory or a file) guarded by an RLock.

Metadata objects are JSON documents keyed by (plural, uid), which is how DHIS2's generic
metadata endpoints address them (`/api/{plural}/{uid}`). Features add their own tables
(`core/feature.py`, created by the app through `create_tables`); `reset()` empties every table
so tests never see each other's data, and `remember()` / `rewind()` keep and restore a copy
of the whole database (the app's reset rewinds to the freshly seeded state).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The store's own tables; features add theirs (`core/feature.py`).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    plural TEXT NOT NULL,
    uid TEXT NOT NULL,
    code TEXT,
    seq INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (plural, uid)
);
CREATE INDEX IF NOT EXISTS objects_code ON objects (plural, code);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class Store:
    def __init__(self, path: str | None = None) -> None:
        self.path = path or ":memory:"
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
        self._depth = 0
        # Bumped by every write of metadata or credentials (not of tracker data): a check made
        # against an unchanged generation still holds (`Authenticator`).
        self.generation = 0
        # A copy of the database taken by `remember()`, for `rewind()`.
        self._remembered: sqlite3.Connection | None = None
        self.create_tables(_SCHEMA)

    # -- schema and lifecycle -------------------------------------------------------------
    def create_tables(self, sql: str) -> None:
        """Run a feature's DDL (idempotent: `CREATE TABLE IF NOT EXISTS`).

        A `--state` file written by an older sandbox lacks the columns added since: they are
        added first (with their defaults), so the file keeps working instead of failing the first
        write that names them."""
        with self.lock:
            self._add_missing_columns(sql)
            self.conn.executescript(sql)

    def _add_missing_columns(self, sql: str) -> None:
        probe = sqlite3.connect(":memory:")
        try:
            probe.executescript(sql)
            tables = [r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                have = {r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')}
                if not have:
                    continue  # a new table: the DDL itself creates it
                for _cid, name, kind, notnull, default, _pk in probe.execute(f'PRAGMA table_info("{table}")'):
                    if name in have:
                        continue
                    clause = f'ALTER TABLE "{table}" ADD COLUMN "{name}" {kind}'
                    if default is not None:
                        clause += f" {'NOT NULL ' if notnull else ''}DEFAULT {default}"
                    self.conn.execute(clause)
        finally:
            probe.close()

    def reset(self) -> None:
        """Empty every table (the store's and the features')."""
        with self.lock:
            tables = [r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            with self.transaction():
                for table in tables:
                    self.conn.execute(f'DELETE FROM "{table}"')  # noqa: S608 - names from sqlite_master
            self.generation += 1

    def remember(self) -> None:
        """Keep a copy of the whole database as it is now (SQLite's online backup)."""
        with self.lock:
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            self.conn.backup(copy)
            if self._remembered is not None:
                self._remembered.close()
            self._remembered = copy

    def rewind(self) -> bool:
        """Back to the remembered copy, every table and row as they were; False when nothing
        was remembered."""
        with self.lock:
            if self._remembered is None:
                return False
            self._remembered.backup(self.conn)
            self.generation += 1
            return True

    def is_empty(self) -> bool:
        with self.lock:
            return self.conn.execute("SELECT 1 FROM objects LIMIT 1").fetchone() is None

    def close(self) -> None:
        with self.lock:
            self.conn.close()
            if self._remembered is not None:
                self._remembered.close()
                self._remembered = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Nested-safe transaction: the outermost block commits or rolls back."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                self.conn.execute("BEGIN")
            self._depth += 1
            try:
                yield self.conn
            except BaseException:
                self._depth -= 1
                if outer:
                    self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.conn.execute("COMMIT")

    # -- metadata objects -----------------------------------------------------------------
    def get_object(self, plural: str, uid: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.conn.execute(
                "SELECT doc FROM objects WHERE plural=? AND uid=?", (plural, uid)).fetchone()
        return json.loads(row[0]) if row else None

    def find_by_code(self, plural: str, code: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.conn.execute(
                "SELECT doc FROM objects WHERE plural=? AND code=? ORDER BY seq LIMIT 1",
                (plural, code)).fetchone()
        return json.loads(row[0]) if row else None

    def list_objects(self, plural: str) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.conn.execute(
                "SELECT doc FROM objects WHERE plural=? ORDER BY seq", (plural,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def plurals(self) -> list[str]:
        with self.lock:
            return [r[0] for r in self.conn.execute(
                "SELECT DISTINCT plural FROM objects ORDER BY plural")]

    def find_uid(self, uid: str) -> tuple[str, dict[str, Any]] | None:
        """Any object with this uid, whatever its type (uids are global in DHIS2)."""
        with self.lock:
            row = self.conn.execute(
                "SELECT plural, doc FROM objects WHERE uid=? LIMIT 1", (uid,)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def put_object(self, plural: str, obj: dict[str, Any]) -> None:
        uid = obj["id"]
        doc = json.dumps(obj, ensure_ascii=False, sort_keys=False)
        with self.lock, self.transaction():
            self.generation += 1
            existing = self.conn.execute(
                "SELECT seq FROM objects WHERE plural=? AND uid=?", (plural, uid)).fetchone()
            if existing:
                self.conn.execute(
                    "UPDATE objects SET code=?, doc=? WHERE plural=? AND uid=?",
                    (obj.get("code"), doc, plural, uid))
            else:
                seq = self._next_seq()
                self.conn.execute(
                    "INSERT INTO objects (plural, uid, code, seq, doc) VALUES (?,?,?,?,?)",
                    (plural, uid, obj.get("code"), seq, doc))

    def delete_object(self, plural: str, uid: str) -> bool:
        with self.lock, self.transaction():
            self.generation += 1
            cur = self.conn.execute(
                "DELETE FROM objects WHERE plural=? AND uid=?", (plural, uid))
            return cur.rowcount > 0

    def _next_seq(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM objects").fetchone()
        return int(row[0])

    # -- small key/value state (system id, counters) -------------------------------------
    def get_meta(self, name: str) -> str | None:
        with self.lock:
            row = self.conn.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT INTO meta (name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value=excluded.value", (name, value))
