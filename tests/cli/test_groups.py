"""`scdi groups template | provision | list` over real HTTP to a sandbox with the package deployed."""

from __future__ import annotations

import csv
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scdi.cli.main import cli
from tests.connector.provision.conftest import Deployed, start_deployed
from tests.connector.provision.synthetic_registry import synthetic_registry, write_csv, write_xlsx


@pytest.fixture(scope="module")
def server() -> Iterator[Deployed]:
    running = start_deployed("current")
    yield running
    running.client.close()
    running.sandbox.stop()


def _run(server: Deployed, *args: str) -> Any:
    env = {"DHIS2_BASE_URL": server.url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district", "DHIS2_TOKEN": ""}
    return CliRunner().invoke(cli, ["groups", *args], env=env, catch_exceptions=False)


def test_template_writes_once(tmp_path: Path) -> None:
    target = tmp_path / "groups.xlsx"
    result = CliRunner().invoke(cli, ["groups", "template", "-o", str(target), "--lang", "en"])
    assert result.exit_code == 0 and target.exists()
    again = CliRunner().invoke(cli, ["groups", "template", "-o", str(target)])
    assert again.exit_code == 1 and "never overwritten" in again.output
    assert CliRunner().invoke(cli, ["groups", "template", "-o", str(target), "--force"]).exit_code == 0


def test_provision_dry_run_then_for_real_then_again(server: Deployed, tmp_path: Path) -> None:
    rows = synthetic_registry("current", groups=6, prefix="CLI")
    path = write_xlsx(rows, tmp_path / "groups.xlsx")
    dry = _run(server, "provision", str(path), "--dry-run")
    assert dry.exit_code == 1  # the registry's bad rows are findings
    assert "create 6" in dry.output and "invalid 3" in dry.output and "candidate:" in dry.output
    assert "0 write request(s)" in dry.output

    real = _run(server, "provision", str(path))
    assert real.exit_code == 1
    assert "2 write request(s)" in real.output
    assert "temporary passwords (shown once" in real.output
    for row in rows[:6]:
        assert row.leader_username in real.output

    again = _run(server, "provision", str(path), "--json")
    report = json.loads(again.output)
    assert report["writes"] == 0 and report["counts"]["unchanged"] == 6 and report["new_accounts"] == []

    listed = _run(server, "list", "--json")
    groups = {g["group_code"]: g for g in json.loads(listed.output)["groups"]}
    for row in rows[:6]:
        group = groups[row.group_code.upper()]
        assert group["leader"] == row.leader_username and group["active"] is True
        assert group["members"] == 0 and group["last_roster_sync"] is None
    human = _run(server, "list")
    assert "last roster sync" in human.output and rows[0].group_code.upper() in human.output


def test_passwords_go_to_a_private_file(server: Deployed, tmp_path: Path) -> None:
    rows = synthetic_registry("current", groups=3, prefix="PWD", bad=False)
    path = write_csv(rows, tmp_path / "groups.csv")
    secrets_file = tmp_path / "passwords.csv"
    result = _run(server, "provision", str(path), "--json", "--passwords-to", str(secrets_file))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(secrets_file).st_mode) == 0o600
    with secrets_file.open(encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["username", "password"] and {u for u, _ in lines[1:]} == {r.leader_username for r in rows}
    for _, password in lines[1:]:
        assert password not in result.output
    assert set(json.loads(result.output)["new_accounts"]) == {r.leader_username for r in rows}
    refused = _run(server, "provision", str(path), "--passwords-to", str(secrets_file))
    assert refused.exit_code == 1 and "never overwritten" in refused.output


def test_json_without_a_passwords_file_refuses_before_writing(server: Deployed, tmp_path: Path) -> None:
    rows = synthetic_registry("current", groups=2, prefix="NOPWD", bad=False)
    path = write_csv(rows, tmp_path / "groups.csv")
    server.clear_log()
    result = _run(server, "provision", str(path), "--json")
    assert result.exit_code == 2 and "--passwords-to" in result.output
    assert server.writes_logged() == []
