"""CLI tests retry as often as people's commands do, without waiting in between.

The retry counts stay the production ones (the policy's attempts); only the backoff between
attempts is zero, through the same setting a person would use (`SCDI_RETRY_BACKOFF`).

Tests that send a real SIGINT to a command they start ask for `sigint_reaches_children`: a suite
started in the background of a non-interactive shell inherits SIGINT ignored, and a child
inherits an ignored signal across exec, so its Ctrl-C would never arrive. A caught signal is
reset to the default on exec, which is what a person's terminal gives the command.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from scdi.connector.config import ENV_RETRY_BACKOFF


@pytest.fixture(autouse=True)
def no_retry_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_RETRY_BACKOFF, "0")


@pytest.fixture
def sigint_reaches_children() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
