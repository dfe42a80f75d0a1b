"""The ledger: private files, one lock per group, write-ahead UIDs that survive a crash."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from scdi.connector.sync.ledger import Ledger, LedgerError, SyncLocked

BASE = "http://127.0.0.1:8080/dhis"


def test_files_are_private_to_their_owner(tmp_path: Path) -> None:
    with Ledger.for_group(tmp_path / "state", BASE, "HP01") as ledger:
        assert ledger.count() == 0
    for path in (tmp_path / "state", ledger.path.parent):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert stat.S_IMODE(ledger.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(ledger.path.with_suffix(".lock").stat().st_mode) == 0o600


def test_one_sync_per_group_at_a_time(tmp_path: Path) -> None:
    with Ledger.for_group(tmp_path, BASE, "HP01"):
        with pytest.raises(SyncLocked, match="HP01"):
            Ledger.for_group(tmp_path, BASE, "HP01").open()
        # another group, or the same group on another server, is not blocked
        with Ledger.for_group(tmp_path, BASE, "HP02"), Ledger.for_group(tmp_path, "https://other.example", "HP01"):
            pass


def test_reserved_uids_survive_a_killed_process(tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from scdi.connector.sync.ledger import Ledger\n"
        f"ledger = Ledger.for_group(Path({str(tmp_path)!r}), {BASE!r}, 'HP01')\n"
        "ledger.open()\n"
        "with ledger.transaction():\n"
        "    ledger.reserve('members', 'm-001', 'Abcdefghij1', enrollment='Abcdefghij2')\n"
        "os.kill(os.getpid(), 9)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], check=False)
    assert done.returncode == -9
    with Ledger.for_group(tmp_path, BASE, "HP01") as ledger:  # the dead process's lock is gone
        entry = ledger.get("members", "m-001")
        assert entry is not None and entry.state == "pending"
        assert (entry.uid, entry.enrollment) == ("Abcdefghij1", "Abcdefghij2")
        again = ledger.reserve("members", "m-001", "Zzzzzzzzzz9")
        assert again.uid == "Abcdefghij1"


def test_synced_sets_the_base_and_keeps_uids(tmp_path: Path) -> None:
    with Ledger.for_group(tmp_path, BASE, "HP01") as ledger:
        with ledger.transaction():
            ledger.reserve("members", "m-001", "Abcdefghij1", enrollment="Abcdefghij2")
        ledger.synced("members", "m-001", "Abcdefghij1", {"sex": "MALE"}, "d1", updated_at="2026-01-01T00:00:00.000")
        entry = ledger.get("members", "m-001")
        assert entry is not None
        assert (entry.state, entry.base, entry.enrollment) == ("synced", {"sex": "MALE"}, "Abcdefghij2")
        ledger.rekey("Abcdefghij1", "m-001b")
        assert ledger.get("members", "m-001") is None
        assert ledger.by_uid("Abcdefghij1").key == "m-001b"  # type: ignore[union-attr]
        ledger.set_watermark("prog", "2026-01-02T00:00:00")
        assert ledger.watermark("prog") == "2026-01-02T00:00:00"


def test_a_ledger_of_another_group_is_refused(tmp_path: Path) -> None:
    with Ledger.for_group(tmp_path, BASE, "HP01") as ledger:
        path = ledger.path
    with pytest.raises(LedgerError, match="belongs to group HP01"):
        Ledger(path, group="HP02", server=BASE).open()


def test_a_transaction_that_fails_writes_nothing(tmp_path: Path) -> None:
    with Ledger.for_group(tmp_path, BASE, "HP01") as ledger:
        with pytest.raises(RuntimeError), ledger.transaction():
            ledger.reserve("members", "m-001", "Abcdefghij1")
            raise RuntimeError("network")
        assert ledger.count() == 0


def test_settled_rows_are_those_the_ledger_agrees_with_and_the_server_left(tmp_path: Path) -> None:
    from scdi.connector.sync.records import Record

    uids = [f"Abcdefghi{n:02d}" for n in range(7)]
    with Ledger.for_group(tmp_path, BASE, "HP01") as ledger:
        for n, uid in enumerate(uids):
            ledger.synced("members", f"m-{n}", uid, {"sex": "MALE"}, "same")
        ledger.synced("members", "m-3", uids[3], {"sex": "MALE"}, "same", server={"sex": "FEMALE"})
        ledger.add_server_row(Record(sheet="members", key="m-4", values={"sex": "FEMALE"}, uid=uids[4]))
        with ledger.transaction():
            ledger.reserve("members", "m-7", "Abcdefghi07")  # pending, never synced
        ledger.add_file_rows([
            ("members", 2, "m-0", uids[0], "m-0", {"sex": "MALE"}, "same"),   # by its uid: settled
            ("members", 3, "m-1", None, "m-1", {"sex": "MALE"}, "same"),      # by its key: settled
            ("members", 4, "m-2", uids[2], "m-2", {"sex": "FEMALE"}, "other"),  # changed in the file
            ("members", 5, "m-3", uids[3], "m-3", {"sex": "MALE"}, "same"),   # the server's values differ
            ("members", 6, "m-4", uids[4], "m-4", {"sex": "MALE"}, "same"),   # read from the server this run
            ("members", 7, "m-9", uids[5], "m-9", {"sex": "MALE"}, "same"),   # its uid now has another key
            ("members", 8, None, None, None, {}, "same"),                       # no key
            ("members", 9, "m-7", None, "m-7", {}, "same"),                     # pending
            ("outreach", 2, "m-6", None, None, {"sex": "MALE"}, "same"),      # same key, another sheet
        ])
        rows = list(ledger.file_rows_settled("members"))
        assert [(row, settled) for row, _, _, _, settled in rows] == [
            (2, uids[0]), (3, uids[1]), (4, None), (5, None), (6, None), (7, None), (8, None), (9, None)]
        assert rows[2][3] == '{"sex": "FEMALE"}'
        assert [settled for *_, settled in ledger.file_rows_settled("outreach")] == [None]
