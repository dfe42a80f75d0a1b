"""Shared fixtures: the DHIS2 sandbox and the `--run-slow` switch.

- `sandbox`: one RunningSandbox (DHIS2 2.42, current tree) for the whole session.
- `fresh_sandbox`: the same server, reset to its seeded state before the test.
- `sandbox_factory(version=..., tree=..., faults=...)`: extra servers (stopped at the end).
- `dhis2_target`: (url, username, password) of a real DHIS2 when DHIS2_BASE_URL is set
  (DHIS2_USERNAME / DHIS2_PASSWORD), else of the sandbox; for tests marked `live`.
- `closed_port`: a loopback port where nothing answers, for the whole test.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator

import pytest

from scdi.sandbox.server import RunningSandbox, start

SANDBOX_USERNAME = "admin"
SANDBOX_PASSWORD = "district"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run tests marked @pytest.mark.slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[RunningSandbox]:
    running = start(version="2.42")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def fresh_sandbox(sandbox: RunningSandbox) -> Iterator[RunningSandbox]:
    sandbox.reset()
    yield sandbox
    # and after: tests on the shared `sandbox` must not meet what this one changed (a password)
    sandbox.reset()


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., RunningSandbox]]:
    started: list[RunningSandbox] = []

    def factory(version: str = "2.42", tree: str = "current", **kwargs: object
                ) -> RunningSandbox:
        running = start(version=version, tree=tree, **kwargs)  # type: ignore[arg-type]
        started.append(running)
        return running

    try:
        yield factory
    finally:
        for running in started:
            running.stop()


@pytest.fixture
def dhis2_target(request: pytest.FixtureRequest) -> tuple[str, str, str]:
    base = os.environ.get("DHIS2_BASE_URL")
    if base:
        return (base.rstrip("/"), os.environ.get("DHIS2_USERNAME", "admin"),
                os.environ.get("DHIS2_PASSWORD", "district"))
    running: RunningSandbox = request.getfixturevalue("fresh_sandbox")
    return (running.url, SANDBOX_USERNAME, SANDBOX_PASSWORD)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections until the test ends: bound and never listening, so
    no server started meanwhile (by a test running beside this one, say) can be given its number."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield int(held.getsockname()[1])


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's data folder (ledgers, the rule engine's kept answers) is the test's own, never
    the account's: a test that names no --state cannot read or leave what another run kept."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
