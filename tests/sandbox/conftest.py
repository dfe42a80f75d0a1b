"""Fixtures of the sandbox's per-release tracker tests: one server per release for each module
that asks for it, reset to the seeded state before each test, with the tracker fixture metadata."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scdi.sandbox.server import RunningSandbox, start
from tests.sandbox.tracker_fixture import Meta, install

VERSIONS = ("2.41", "2.42", "2.43")


@pytest.fixture(scope="module", params=VERSIONS)
def release_sandbox(request: pytest.FixtureRequest) -> Iterator[tuple[str, RunningSandbox]]:
    """One server per release for the module; each test resets it to the seeded state."""
    running = start(version=request.param)
    try:
        yield request.param, running
    finally:
        running.stop()


@pytest.fixture
def env(release_sandbox: tuple[str, RunningSandbox]) -> tuple[str, RunningSandbox, Meta]:
    version, running = release_sandbox
    running.reset()
    return version, running, install(running)
