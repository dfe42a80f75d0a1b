"""Roster fixtures: the contract, and the generated 300-member roster written once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from scdi.connector.metadata.engines import engines_available
from scdi.connector.roster.contract import RosterContract, load_contract
from tests.roster_fixture import RosterData, make_roster, write_xlsx

needs_engines = pytest.mark.skipif(not engines_available(), reason="Node.js and the DHIS2 npm engines are needed")


@pytest.fixture(scope="session")
def contract() -> RosterContract:
    return load_contract("member")


@pytest.fixture(scope="session")
def roster_data(contract: RosterContract) -> RosterData:
    return make_roster(contract)


@pytest.fixture(scope="session")
def roster_xlsx(tmp_path_factory: pytest.TempPathFactory, roster_data: RosterData, contract: RosterContract) -> Path:
    return write_xlsx(roster_data, contract, tmp_path_factory.mktemp("roster") / "roster.xlsx", lang="vi")
