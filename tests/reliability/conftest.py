"""The reliability suite uses the sync tests' provisioned sandbox and contract, and the client
tests' scripted-server clients."""

from tests.connector.conftest import client_for, fast_retry
from tests.connector.sync.conftest import member_contract, sync_server

__all__ = ["client_for", "fast_retry", "member_contract", "sync_server"]
