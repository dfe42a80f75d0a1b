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
