"""Nothing personal in the logs: a whole provision, push, server edit, sync and pull logged at
DEBUG by the connector (and the HTTP libraries under it) holds none of the synthetic roster's
member codes, aliases or phone numbers, nor the password; the ledger and its folder are the
owner's only."""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from scdi.connector.roster.contract import RosterContract
from scdi.connector.sync.engine import run
from scdi.connector.sync.ledger import Ledger
from tests.connector.sync.conftest import GROUP, TODAY, SyncServer
from tests.connector.sync.helpers import edit_cell, read_rows
from tests.roster_fixture import make_roster, write_xlsx

SERVER_SIDE = ("werkzeug", "scdi.sandbox")  # the sandbox's own access log stands for DHIS2's, not ours


def test_debug_logs_of_a_whole_sync_hold_no_personal_value(sync_server: Callable[..., SyncServer],
                                                           member_contract: RosterContract, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    s = sync_server()
    data = make_roster(member_contract, members=15, group=GROUP)
    path = write_xlsx(data, member_contract, tmp_path / "roster.xlsx")
    run(s.client, path, GROUP, "push", state_dir=s.state, today=TODAY)
    number = read_rows(path, TODAY)["members"][0][0]
    edit_cell(path, member_contract, "members", number, "phone", "0987000111")
    run(s.client, path, GROUP, "sync", state_dir=s.state, today=TODAY)
    run(s.client, tmp_path / "pulled.xlsx", GROUP, "pull", state_dir=tmp_path / "other", today=TODAY)
    ours = [r for r in caplog.records if not r.name.startswith(SERVER_SIDE)]
    assert any("tracker" in r.getMessage() for r in ours)  # the requests are logged…
    text = "\n".join(r.getMessage() for r in ours) + json.dumps([r.args for r in ours], default=str)
    secrets = {"district", "0987000111"}
    for row in data.rows["members"]:
        secrets.update(v for k, v in row.items() if k in ("member_code", "alias", "phone") and v)
    leaked = sorted(v for v in secrets if v in text)
    assert leaked == []  # …never a member's values or the password
    folder = Ledger.for_group(s.state, s.client.settings.base_url, GROUP).path
    assert stat.S_IMODE(folder.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
