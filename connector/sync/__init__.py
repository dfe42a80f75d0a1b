"""Roster sync: a group's roster file and DHIS2 tracker kept the same, both ways.

See `README.md` in this folder for the flow and the modules.
"""

from scdi.connector.sync.ledger import Ledger, LedgerError, SyncLocked, default_state_dir
from scdi.connector.sync.records import Record, digest, natural_key

__all__ = ["Ledger", "LedgerError", "Record", "SyncLocked", "default_state_dir", "digest", "natural_key"]
