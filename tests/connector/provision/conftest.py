"""Fixtures for provisioning: the sandbox's seeded trees as in-memory `Tree`s, and packaged choices."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.metadata.deploy import deploy_source
from scdi.connector.metadata.source import load_source
from scdi.connector.provision.names import province_table
from scdi.connector.provision.plan import derive_uid
from scdi.connector.provision.tree import OrgUnit, Tree, classify_levels
from tests.connector.provision.synthetic_registry import TREES


def tree_from_seed(name: str, *, level_names: bool = True) -> Tree:
    """The seeded tree as a server would answer it (UIDs derived from codes here, not the sandbox's)."""
    document = json.loads((TREES / f"vn_tree_{name}.json").read_text(encoding="utf-8"))
    raw: list[dict[str, Any]] = document["organisationUnits"]
    uid = {u["code"]: derive_uid("test-ou", u["code"]) for u in raw}
    by_code = {u["code"]: u for u in raw}
    units = []
    for unit in raw:
        chain = [unit["code"]]
        while by_code[chain[0]].get("parent"):
            chain.insert(0, by_code[chain[0]]["parent"])
        units.append(OrgUnit(uid=uid[unit["code"]], code=unit["code"], name=unit["name"],
                             short_name=unit.get("shortName"), level=len(chain),
                             path=tuple(uid[c] for c in chain),
                             parent=uid[unit["parent"]] if unit.get("parent") else None, opening_date="1975-01-01"))
    names = {i + 1: n for i, n in enumerate(document["levels"])} if level_names else {}
    source = "organisationUnitLevels" if level_names else "unit names (the server has no /api/organisationUnitLevels)"
    return Tree(units, classify_levels(names, units, province_table(), source))


@pytest.fixture(scope="session")
def current_tree() -> Tree:
    return tree_from_seed("current")


@pytest.fixture(scope="session")
def legacy_tree() -> Tree:
    return tree_from_seed("legacy")


# --- a sandbox with the package deployed --------------------------------------------------


@dataclass
class Deployed:
    sandbox: Any  # scdi.sandbox.server.RunningSandbox
    client: Dhis2Client
    tree: str = "current"

    @property
    def url(self) -> str:
        return str(self.sandbox.url)

    def writes_logged(self) -> list[dict[str, Any]]:
        """Non-GET requests in the sandbox's request log (method, path, status; no bodies)."""
        log = requests.get(f"{self.url}/__sandbox__/requests", timeout=10).json()["requests"]
        return [r for r in log if r["method"] not in ("GET", "HEAD")]

    def clear_log(self) -> None:
        requests.delete(f"{self.url}/__sandbox__/requests", timeout=10)

    def login(self, username: str, password: str) -> requests.Session:
        session = requests.Session()
        session.auth = (username, password)
        session.headers["X-Requested-With"] = "XMLHttpRequest"
        return session


def start_deployed(tree: str = "current", version: str = "2.42") -> Deployed:
    from scdi.sandbox.server import start

    running = start(version=version, tree=tree)
    client = Dhis2Client(ServerSettings(base_url=running.url, username="admin", password="district"))
    deploy_source(client, load_source(), validate_first=False)
    return Deployed(running, client, tree)


@pytest.fixture(scope="module")
def current_server() -> Iterator[Deployed]:
    """One sandbox (2.42, current tree) with the package, for a whole test module: tests use their own
    group-code prefixes so that they do not see each other's groups."""
    server = start_deployed("current")
    yield server
    server.client.close()
    server.sandbox.stop()


@pytest.fixture(scope="module")
def legacy_server() -> Iterator[Deployed]:
    server = start_deployed("legacy")
    yield server
    server.client.close()
    server.sandbox.stop()


@pytest.fixture
def deployed(sandbox_factory: Callable[..., Any]) -> Iterator[Callable[..., Deployed]]:
    clients: list[Dhis2Client] = []

    def make(tree: str = "current", version: str = "2.42") -> Deployed:
        running = sandbox_factory(version=version, tree=tree)
        client = Dhis2Client(ServerSettings(base_url=running.url, username="admin", password="district"))
        clients.append(client)
        deploy_source(client, load_source(), validate_first=False)
        return Deployed(running, client, tree)

    yield make
    for client in clients:
        client.close()
