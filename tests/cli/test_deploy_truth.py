"""Half-done work is described as such: a deploy cut off after the server committed says so and
`status` names the step; hand edits are listed before a deploy overwrites them; `status` and
`diff` can answer with the findings exit code."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from scdi.cli.main import cli
from scdi.connector.client import Dhis2Client
from scdi.connector.metadata.package import default_root

SESSIONS_DE = "hCWuj0PxkOn"

VERSION = json.loads((default_root() / "package.json").read_text(encoding="utf-8"))["package"]["version"]


def _run(sandbox: Any, *args: str, retries: str = "3") -> Any:
    env = {"DHIS2_BASE_URL": sandbox.url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district",
           "DHIS2_TOKEN": "", "SCDI_RETRIES": retries}
    return CliRunner().invoke(cli, ["metadata", *args], env=env)


def test_a_deploy_dropped_after_the_commit_says_so_and_status_names_the_step(
        fresh_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Dhis2Client.import_metadata

    def commit_then_drop(self: Dhis2Client, payload: Any, params: Any = None) -> Any:
        if (params or {}).get("importMode") == "COMMIT":  # the sandbox applies it, then cuts the connection
            requests.post(f"{fresh_sandbox.url}/__sandbox__/faults", timeout=10, json=[
                {"kind": "drop", "method": "POST", "path": "/api/metadata", "count": 2}]).raise_for_status()
        return real(self, payload, params)

    monkeypatch.setattr(Dhis2Client, "import_metadata", commit_then_drop)
    cut = _run(fresh_sandbox, "deploy", retries="1")
    assert cut.exit_code == 3, cut.output
    assert f"the deploy of SCDI_GROUPS {VERSION} was interrupted at metadata import" in cut.stderr.splitlines()[-1]
    error = cut.stderr.splitlines()[-1]
    assert "run `scdi metadata deploy` again" in error.lower() and "is DHIS2 running" not in error
    monkeypatch.setattr(Dhis2Client, "import_metadata", real)

    state = _run(fresh_sandbox, "status")
    assert f"a deploy of {VERSION} was interrupted at metadata import" in state.stdout
    assert "not installed" not in state.stdout
    assert _run(fresh_sandbox, "status", "--exit-code").exit_code == 1

    again = _run(fresh_sandbox, "deploy", "--json")
    assert again.exit_code == 0, again.output
    assert all(c["create"] == 0 for c in json.loads(again.stdout)["types"].values())  # the commit had landed
    done = _run(fresh_sandbox, "status", "--json", "--exit-code")
    assert done.exit_code == 0 and json.loads(done.stdout)["interrupted"] is None


def test_hand_edits_are_listed_before_a_deploy_overwrites_them(fresh_sandbox: Any) -> None:
    assert _run(fresh_sandbox, "deploy").exit_code == 0
    assert _run(fresh_sandbox, "diff", "--exit-code").exit_code == 0
    assert _run(fresh_sandbox, "status", "--exit-code").exit_code == 0
    element = requests.get(f"{fresh_sandbox.url}/api/dataElements/{SESSIONS_DE}", auth=("admin", "district"),
                           timeout=10).json()
    element["formName"] = "Edited by hand"
    requests.put(f"{fresh_sandbox.url}/api/dataElements/{SESSIONS_DE}", json=element, auth=("admin", "district"),
                 timeout=10).raise_for_status()

    assert _run(fresh_sandbox, "diff").exit_code == 0  # without the flag, differences are no failure
    assert _run(fresh_sandbox, "diff", "--exit-code").exit_code == 1
    assert _run(fresh_sandbox, "status", "--exit-code").exit_code == 1
    refused = _run(fresh_sandbox, "deploy")
    assert refused.exit_code == 1
    assert SESSIONS_DE in refused.stderr and "--overwrite-drift" in refused.stderr
    dry = _run(fresh_sandbox, "deploy", "--dry-run")
    assert dry.exit_code == 0 and "Drift: would overwrite dataElements" in dry.stdout
    done = _run(fresh_sandbox, "deploy", "--overwrite-drift")
    assert done.exit_code == 0, done.output
    assert "Drift: overwrote dataElements" in done.stdout and SESSIONS_DE in done.stdout
    assert _run(fresh_sandbox, "status", "--exit-code").exit_code == 0
