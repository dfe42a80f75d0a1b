"""`scdi roster push | pull | sync | sync-all` at the terminal: JSON that adds up, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from scdi.cli.main import cli
from scdi.connector.roster.contract import RosterContract
from tests.connector.sync.conftest import GROUP, SyncServer, member_contract, sync_server  # noqa: F401
from tests.connector.sync.helpers import edit_cell, read_rows
from tests.roster_fixture import make_roster, write_xlsx

TODAY = "2025-12-31"


def _invoke(s: SyncServer, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    env = {"DHIS2_BASE_URL": s.server.url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district"}
    result = CliRunner().invoke(cli, ["roster", *args, "--state", str(s.state), "--today", TODAY, "--json"], env=env)
    return result.exit_code, json.loads(result.stdout)


def test_push_pull_sync_and_sync_all_from_the_terminal(sync_server: Callable[..., SyncServer],  # noqa: F811
                                                       member_contract: RosterContract,  # noqa: F811
                                                       tmp_path: Path) -> None:
    s = sync_server()
    data = make_roster(member_contract, members=6, group=GROUP)
    path = write_xlsx(data, member_contract, tmp_path / f"{GROUP}.xlsx")
    code, planned = _invoke(s, "push", str(path), "--group", GROUP, "--dry-run")
    assert code == 0 and planned["summary"]["dryRun"] and planned["summary"]["writes"] == 0
    counts = planned["summary"]["counts"]
    assert counts["create"] == data.count() == planned["summary"]["records"] == sum(counts.values())
    assert len(planned["rows"]) == data.count() and {r["action"] for r in planned["rows"]} == {"create"}

    code, pushed = _invoke(s, "push", str(path), "--group", GROUP)
    assert code == 0 and pushed["summary"]["counts"]["create"] == data.count() and pushed["summary"]["writes"] >= 1

    row = read_rows(path, date(2025, 12, 31))["members"][0][0]
    edit_cell(path, member_contract, "members", row, "sex", "không rõ")  # not an option of the list
    code, refused = _invoke(s, "sync", str(path), "--group", GROUP)
    assert code == 1 and refused["summary"]["errors"] >= 1  # invalid rows: exit code 1
    assert refused["summary"]["counts"]["invalid"] == 1
    assert any(f["row"] == row and f["column"] == "sex" for f in refused["findings"])
    edit_cell(path, member_contract, "members", row, "sex", data.rows["members"][0]["sex"])
    edit_cell(path, member_contract, "members", row, "year_of_birth", "1980")

    out = tmp_path / "pulled.xlsx"
    code, pulled = _invoke(s, "pull", "--group", GROUP, "-o", str(out), "--redact")
    assert code == 0 and pulled["summary"]["counts"]["from_server"] == data.count() and out.exists()

    result = CliRunner().invoke(cli, ["roster", "sync-all", str(tmp_path), "--state", str(s.state), "--json"],
                                env={"DHIS2_BASE_URL": s.server.url, "DHIS2_USERNAME": "admin",
                                     "DHIS2_PASSWORD": "district"})
    total = json.loads(result.stdout)
    # the folder holds the group's roster and the pulled copy, whose name is no group: one line each
    by_group = {g["group"]: g for g in total["groups"]}
    assert by_group[GROUP]["ok"] and by_group[GROUP]["counts"]["update"] == 1
    assert "error" in by_group["pulled"] and total["total"]["groups"] == 2 and total["total"]["failed"] == 1
    assert result.exit_code == 1
