"""`kill -9` of `scdi roster sync` at a random moment, then a rerun: the server ends as after a
clean run, with no duplicate tracked entity, enrollment or event, the file readable, and the
ledger consistent. 10 trials here, 50 with --run-slow."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from scdi.connector.roster.contract import RosterContract
from tests.connector.sync.conftest import GROUP, SyncServer
from tests.reliability.test_sync_faults import assert_same_as_clean
from tests.roster_fixture import make_roster, write_xlsx

CLEAN_SECONDS = 3.5  # a whole run of this roster on a CI machine, start-up included, measured
MEMBERS = 60  # about 1,300 records: three batches of tracker imports to be killed between


def _cli(s: SyncServer, path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "DHIS2_BASE_URL": s.server.url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district"}
    return subprocess.Popen(
        [sys.executable, "-c", "from scdi.cli.main import main; main()", "roster", "sync", str(path), "--group", GROUP,
         "--state", str(s.state), "--today", "2025-12-31", "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_writes(s: SyncServer, count: int, victim: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and victim.poll() is None:
        log = requests.get(f"{s.server.url}/__sandbox__/requests", timeout=10).json()["requests"]
        posts = sum(1 for r in log if r["method"] == "POST" and r["path"] == "/api/tracker")
        read = any(r["method"] == "GET" and r["path"] == "/api/tracker/events" for r in log)
        if (count == 0 and read) or (count and posts >= count):
            return
        time.sleep(0.02)


def _trial(seed: int, sync_server: Callable[..., SyncServer], contract: RosterContract, tmp: Path) -> None:
    s = sync_server()
    path = write_xlsx(make_roster(contract, members=MEMBERS, group=GROUP, seed=seed), contract, tmp / "roster.xlsx")
    victim = _cli(s, path)
    time.sleep(random.Random(seed).uniform(0.3, CLEAN_SECONDS))
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=60)
    rerun = _cli(s, path)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err[-2000:]
    summary = json.loads(out)["summary"]
    assert summary["errors"] == 0 and summary["openConflicts"] == 0
    assert_same_as_clean(s, path, tmp)


@pytest.mark.parametrize("seed", range(10))
def test_a_sync_killed_at_a_random_moment_converges_on_rerun(seed: int, sync_server: Callable[..., SyncServer],
                                                             member_contract: RosterContract, tmp_path: Path) -> None:
    _trial(seed, sync_server, member_contract, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10, 50))
def test_forty_more_kills_converge(seed: int, sync_server: Callable[..., SyncServer],
                                   member_contract: RosterContract, tmp_path: Path) -> None:
    _trial(seed, sync_server, member_contract, tmp_path)
