"""The reliability suite uses the sync tests' provisioned sandbox and contract."""

from tests.connector.sync.conftest import member_contract, sync_server

__all__ = ["member_contract", "sync_server"]
