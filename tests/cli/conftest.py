"""CLI tests retry as often as people's commands do, without waiting in between.

The retry counts stay the production ones (the policy's attempts); only the backoff between
attempts is zero, through the same setting a person would use (`SCDI_RETRY_BACKOFF`).
"""

from __future__ import annotations

import pytest

from scdi.connector.config import ENV_RETRY_BACKOFF


@pytest.fixture(autouse=True)
def no_retry_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_RETRY_BACKOFF, "0")
