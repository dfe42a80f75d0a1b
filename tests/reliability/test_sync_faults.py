"""Roster sync under the faults networks and servers really have: 503, 429 with Retry-After, a
reset connection, an answer slower than the timeout, and a write applied whose answer is lost.
Every run converges to the state of a clean run, with no duplicate and nothing refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from scdi.connector.client import Dhis2Client
from scdi.connector.config import RetryPolicy, ServerSettings
from scdi.connector.errors import ScdiError
from scdi.connector.roster.contract import RosterContract
from scdi.connector.sync.engine import run
from scdi.connector.sync.ledger import Ledger
from tests.connector.sync.conftest import GROUP, TODAY, SyncServer
from tests.connector.sync.helpers import contents, read_rows
from tests.roster_fixture import make_roster, write_xlsx

FAULTS = {
    "503": {"kind": "503", "rate": 0.2},
    "429": {"kind": "429", "rate": 0.2, "retry_after": 1},
    "reset": {"kind": "reset", "rate": 0.2},
    # A request held past the timeout uses the request's whole time budget (retries included),
    # so the run ends in an error more often: fewer of them, and the rerun does the rest.
    "delay": {"kind": "delay", "rate": 0.08, "delay": 3},
    "drop": {"kind": "drop", "rate": 0.3, "method": "POST"},
}


def _faulty_client(url: str) -> Dhis2Client:
    return Dhis2Client(ServerSettings(base_url=url, username="admin", password="district", read_timeout=2,
                                      retry=RetryPolicy.of(retries=4, backoff=0.05)))


def converge(client: Dhis2Client, path: Path, state: Path, direction: str = "push", tries: int = 20) -> int:
    """Run until a run ends without a server error (as an administrator would rerun); the number of runs."""
    for attempt in range(1, tries + 1):
        try:
            report = run(client, path, GROUP, direction, state_dir=state, today=TODAY)  # type: ignore[arg-type]
        except ScdiError:
            continue
        if report.counts["refused"] == 0 and report.ok:
            return attempt
    raise AssertionError(f"no clean run in {tries} tries")


def assert_same_as_clean(s: SyncServer, path: Path, tmp: Path) -> None:
    """The server holds exactly the file's records: a pull into a new file reads them back cell
    for cell (a duplicate would be an extra row), and a second push has nothing to write."""
    pulled = tmp / "pulled.xlsx"
    run(s.client, pulled, GROUP, "pull", state_dir=tmp / "fresh-ledger", today=TODAY)
    assert contents(read_rows(pulled, TODAY)) == contents(read_rows(path, TODAY))
    s.server.clear_log()
    again = run(s.client, path, GROUP, "push", state_dir=s.state, today=TODAY)
    assert s.writes() == 0 and again.counts["create"] == again.counts["update"] == 0
    with Ledger.for_group(s.state, s.client.settings.base_url, GROUP) as ledger:
        assert ledger.count("pending") == 0
        assert ledger.count("synced") == sum(len(v) for v in read_rows(path, TODAY).values())


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_push_under_faults_converges_with_no_duplicate(fault: str, sync_server: Callable[..., SyncServer],
                                                         member_contract: RosterContract, tmp_path: Path) -> None:
    s = sync_server()
    path = write_xlsx(make_roster(member_contract, members=25, group=GROUP), member_contract,
                      tmp_path / "roster.xlsx")
    spec = {**FAULTS[fault], "seconds": 120, "seed": 7}
    requests.post(f"{s.server.url}/__sandbox__/faults", json=spec, timeout=10).raise_for_status()
    faulty = _faulty_client(s.server.url)
    try:
        converge(faulty, path, s.state)
        active = requests.get(f"{s.server.url}/__sandbox__/faults", timeout=10).json()
    finally:
        requests.delete(f"{s.server.url}/__sandbox__/faults", timeout=10)
        faulty.close()
    assert sum(f["injected"] for f in _listed(active)) > 0  # the faults really happened
    assert_same_as_clean(s, path, tmp_path)


def _listed(body: object) -> list[dict[str, int]]:
    return list(body.get("faults", []) if isinstance(body, dict) else body)  # type: ignore[arg-type]
