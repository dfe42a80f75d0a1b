"""A reset puts back exactly what a fresh server holds (the app rewinds to a copy of the
seeded database instead of seeding again), also for a store kept in a state file."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import requests

from scdi.sandbox.server import RunningSandbox, start
from tests.sandbox.helpers import ADMIN


def database(running: RunningSandbox) -> list[str]:
    """Every table and row as SQL; password hashes masked (their salts are random)."""
    with running.store.lock:
        lines = list(running.store.conn.iterdump())
    return [re.sub(r"pbkdf2\$[0-9a-f]+\$[0-9a-f]+", "pbkdf2$…", line) for line in lines]


def write_something(running: RunningSandbox) -> None:
    for path, body in (("/api/metadata", {"optionSets": [{"name": "Giới tính", "valueType": "TEXT"}]}),
                       ("/api/dataStore/scdi/settings", {"a": 1}), ("/api/apiToken", {})):
        assert requests.post(f"{running.url}{path}", json=body, auth=ADMIN, timeout=30).ok


@pytest.mark.parametrize(("version", "tree", "encryption"),
                         [("2.41", "legacy", True), ("2.43", "current", False)])
def test_reset_gives_back_the_fresh_database(version, tree, encryption):
    fresh = start(version=version, tree=tree, encryption=encryption)
    used = start(version=version, tree=tree, encryption=encryption)
    try:
        write_something(used)
        assert database(used) != database(fresh)
        for _ in range(2):
            used.reset()
            assert database(used) == database(fresh)
            write_something(used)
    finally:
        fresh.stop()
        used.stop()


def test_reset_of_a_resumed_state_file(tmp_path: Path):
    state = str(tmp_path / "rehearsal.sqlite")
    first = start(state=state)
    write_something(first)
    first.stop()
    fresh = start()
    resumed = start(state=state)  # not empty: it keeps the rehearsal until reset
    try:
        assert database(resumed) != database(fresh)
        for _ in range(2):
            resumed.reset()
            assert database(resumed) == database(fresh)
            write_something(resumed)
    finally:
        fresh.stop()
        resumed.stop()


def test_a_state_file_from_an_older_sandbox_gains_the_new_columns(tmp_path: Path):
    """A rehearsal file written before a column was added (here the enrollments' attribute
    option combo, written on every 2.43 enrollment) resumes and takes writes that need it."""
    from tests.sandbox import tracker_fixture as tf

    state = str(tmp_path / "rehearsal.sqlite")
    start(version="2.43", state=state).stop()
    with sqlite3.connect(state) as conn:
        conn.execute("ALTER TABLE enrollments DROP COLUMN aoc")
        conn.execute("ALTER TABLE enrollments DROP COLUMN notes")
    resumed = start(version="2.43", state=state)
    try:
        m = tf.install(resumed)
        answer = tf.post(resumed, {"trackedEntities": [tf.person(m)]})
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "OK"
        with resumed.store.lock:
            notes = resumed.store.conn.execute("SELECT notes, aoc FROM enrollments").fetchall()
        assert [tuple(row) for row in notes] == [("[]", "HllvX50cXC0")]
    finally:
        resumed.stop()
