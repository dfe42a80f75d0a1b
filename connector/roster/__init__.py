"""Rosters: the spreadsheet side of a group's records.

`load_contract` derives the sheets and columns from the metadata package, `write_roster`
writes the template (or a filled roster), `validate_roster` reads a roster file as people fill
it in and judges every row by the package's types and by its program rules in DHIS2's own
rule engine, whose answers a `VerdictFile` (or a sync's ledger) keeps for the day.
"""

from scdi.connector.roster.contract import RosterContract, build_contract, load_contract
from scdi.connector.roster.findings import RosterFinding, Severity
from scdi.connector.roster.validate import RosterReport, validate_roster
from scdi.connector.roster.verdicts import VerdictFile, default_verdict_file
from scdi.connector.roster.write import WrittenRoster, write_roster

__all__ = [
    "RosterContract",
    "RosterFinding",
    "RosterReport",
    "Severity",
    "VerdictFile",
    "WrittenRoster",
    "build_contract",
    "default_verdict_file",
    "load_contract",
    "validate_roster",
    "write_roster",
]
