from __future__ import annotations

from collections.abc import Iterator

import pytest

from scdi.connector.client import Dhis2Client
from scdi.connector.config import RetryPolicy, ServerSettings

from .loopback import ScriptedServer


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    server = ScriptedServer().start()
    yield server
    server.stop()


@pytest.fixture
def fast_retry() -> RetryPolicy:
    # Same rules as production, shorter sleeps.
    return RetryPolicy(attempts=4, backoff_factor=0.01, backoff_jitter=0.0, backoff_max=0.05, retry_after_cap=0.2)


@pytest.fixture
def client_for(fast_retry: RetryPolicy):  # type: ignore[no-untyped-def]
    clients: list[Dhis2Client] = []

    def make(url: str, **settings: object) -> Dhis2Client:
        values: dict[str, object] = {"base_url": url, "username": "admin", "password": "district"}
        values.update(settings)
        client = Dhis2Client(ServerSettings(**values, retry=fast_retry))  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
