"""Fixtures for sync: a sandbox with the package and one provisioned group, and its rosters."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.provision.columns import COLUMNS
from scdi.connector.provision.demo import CURRENT
from scdi.connector.provision.run import provision
from scdi.connector.roster.contract import RosterContract, load_contract
from tests.connector.provision.conftest import Deployed, start_deployed

GROUP = "HP-KNTC"  # provisioned from the demo's registry rows (synthetic)
OUTREACH = "HN-SOCSON-TTV"
TODAY = date(2025, 12, 31)


def provision_demo(server: Deployed, folder: Path) -> None:
    path = folder / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.vi for c in COLUMNS])
        writer.writerows(CURRENT)
    report = provision(server.client, path, today=TODAY)
    assert report.plan.counts["invalid"] == 0


@dataclass
class SyncServer:
    server: Deployed
    state: Path

    @property
    def client(self) -> Any:
        return self.server.client

    def writes(self) -> int:
        return len(self.server.writes_logged())


@pytest.fixture
def sync_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., SyncServer]]:
    started: list[Deployed] = []

    def make(version: str = "2.42", *, encryption: bool = True) -> SyncServer:
        server = start_deployed("current", version) if encryption else _without_encryption(version)
        started.append(server)
        folder = tmp_path_factory.mktemp("registry")
        provision_demo(server, folder)
        server.clear_log()
        return SyncServer(server, tmp_path_factory.mktemp("state"))

    yield make
    for server in started:
        server.client.close()
        server.sandbox.stop()


def _without_encryption(version: str) -> Deployed:
    """A server without `encryption.password` in dhis.conf: confidential values are refused (E1112)."""
    from scdi.connector.client import Dhis2Client
    from scdi.connector.config import ServerSettings
    from scdi.connector.metadata.deploy import deploy_source
    from scdi.connector.metadata.source import load_source
    from scdi.sandbox.server import start

    running = start(version=version, tree="current", encryption=False)
    client = Dhis2Client(ServerSettings(base_url=running.url, username="admin", password="district"))
    deploy_source(client, load_source(), validate_first=False)
    return Deployed(running, client, "current")


@pytest.fixture(scope="session")
def member_contract() -> RosterContract:
    return load_contract("member")
