"""The rule engine's answers kept for the day, so an unchanged record is judged once.

DHIS2's rule engine is most of a roster's validation time (about 0.4 ms of Node CPU for the
smallest enrollment, several times the raw read of the file on its own), and a sync validates
the whole file again each run to find the rows that changed. An evaluation is a pure function
of its job: the rules, variables and constants, the records' values and dates, and the day the
engine takes for today (`V{current_date}`, and the date the engine stamps on attribute and
environment values, which `d2:lastEventDate` reads: rule-engine.js `currentDate`). So the
answer to a job is kept under a digest of everything the engine reads, with the day in it, and
reused for an identical job, which makes a kept answer the engine's own and never a guess:
- the job's id and the record uids the roster invents for it (`n12`, `e345`, numbered in file
  order, so an inserted row renumbers every later job) are replaced by their place in the job
  before the digest and put back on the way out;
- the digest also covers the engine (the bridge's text and the rule-engine package's
  version), so an upgrade judges everything again;
- only answers the engine gave without failing are kept, and only for the day they were made:
  a store keeps one day's answers and drops the others when it is written.

The store is the group's ledger in a sync (`Ledger.verdicts`), and for `scdi roster validate` a
file of its own in the user's data folder (`VerdictFile`; `--fresh` judges everything again).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from scdi.upstream.engines import BRIDGE


class VerdictStore(Protocol):
    def verdicts(self, keys: list[str]) -> dict[str, str]:
        """The kept answers (JSON text) of those keys that have one."""
        ...

    def keep_verdicts(self, day: str, items: list[tuple[str, str]]) -> None:
        """Keep (key, answer JSON) pairs of `day`; answers of other days may be dropped."""
        ...


@lru_cache(maxsize=4)
def engine_fingerprint(modules: str) -> str:
    digest = hashlib.sha256(BRIDGE.read_bytes())
    package = Path(modules) / "@dhis2" / "rule-engine" / "package.json"
    try:
        digest.update(str(json.loads(package.read_text("utf-8")).get("version")).encode())
    except (OSError, ValueError):
        digest.update(b"unknown")
    return digest.hexdigest()


def canonical(job: dict[str, Any], fingerprint: str) -> tuple[str, dict[str, str]]:
    """The job's digest, and its record uids mapped to their canonical names."""
    names: dict[str, str] = {}
    same = {k: v for k, v in job.items() if k not in ("id", "enrollment", "events")}
    enrollment = job.get("enrollment")
    if enrollment is not None:
        names[str(enrollment.get("uid"))] = "N"
        same["enrollment"] = {**enrollment, "uid": "N"}
    events = []
    for i, event in enumerate(job.get("events") or []):
        name = names[str(event.get("uid"))] = f"E{i}"
        events.append({**event, "uid": name})
    same["events"] = events
    text = json.dumps(same, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((fingerprint + "\n" + text).encode("utf-8")).hexdigest(), names


def renamed(answer: dict[str, Any], names: dict[str, str], job_id: str) -> dict[str, Any]:
    """The answer with its record uids renamed through `names` and the job id set."""
    effects = [{**e, "trackerObjectUid": names.get(str(e.get("trackerObjectUid")), e.get("trackerObjectUid"))}
               for e in answer.get("effects") or []]
    return {**answer, "id": job_id, "effects": effects}


def keepable(answer: dict[str, Any]) -> bool:
    """An answer worth keeping: the engine judged the job without a failure of its own."""
    return bool(answer.get("ok")) and not answer.get("engineErrors") and not any(
        e.get("type") == "ERROR" for e in answer.get("effects") or [])


TABLE = "CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, day TEXT NOT NULL, answer TEXT NOT NULL)"


def read_kept(db: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """The answers kept in `db`'s verdicts table (`TABLE`) for those keys that have one."""
    found: dict[str, str] = {}
    for start in range(0, len(keys), 500):
        chunk = tuple(keys[start:start + 500])
        query = f"SELECT key, answer FROM verdicts WHERE key IN ({','.join('?' * len(chunk))})"  # noqa: S608
        found.update(db.execute(query, chunk).fetchall())
    return found


def write_kept(db: sqlite3.Connection, day: str, items: list[tuple[str, str]]) -> None:
    """Keep answers of `day` in `db` (inside the caller's transaction), dropping other days':
    a key holds its day, so they can never be used again."""
    db.execute("DELETE FROM verdicts WHERE day <> ?", (day,))
    db.executemany("INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?)", [(key, day, answer) for key, answer in items])


class VerdictFile:
    """A store of its own for `scdi roster validate` (the sync keeps its answers in the ledger):
    one SQLite file, readable by its owner only, as the ledgers are. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> VerdictFile:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(self.path, stat.S_IRUSR | stat.S_IWUSR)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self.db.execute(TABLE)
        except sqlite3.DatabaseError:
            # A damaged file only costs the engine's time: start again empty.
            if self.db is not None:
                self.db.close()
            self.path.unlink(missing_ok=True)
            return self.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def verdicts(self, keys: list[str]) -> dict[str, str]:
        assert self.db is not None, "use VerdictFile as a context manager"
        return read_kept(self.db, keys)

    def keep_verdicts(self, day: str, items: list[tuple[str, str]]) -> None:
        assert self.db is not None, "use VerdictFile as a context manager"
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            write_kept(self.db, day, items)


def default_verdict_file() -> Path:
    """Beside the sync's ledgers in the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("scdi-groups", appauthor=False) / "verdicts.sqlite"
