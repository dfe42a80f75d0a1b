"""`scdi metadata diff | deploy | status` against the sandbox over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from scdi.cli.main import cli

METADATA_ROOT = Path(__file__).resolve().parents[2] / "metadata"


def _run(sandbox: Any, *args: str):
    env = {"DHIS2_BASE_URL": sandbox.url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district",
           "DHIS2_TOKEN": ""}
    return CliRunner().invoke(cli, ["metadata", *args], env=env, catch_exceptions=False)


def test_deploy_twice_then_status_and_diff(fresh_sandbox: Any) -> None:
    dry = _run(fresh_sandbox, "deploy", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.output)["writes"] == 0

    first = _run(fresh_sandbox, "deploy", "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    # one COMMIT, one installed record, one write per Android Settings App key the package owns
    owned = sorted(path.stem for path in (METADATA_ROOT / "android-settings").glob("*.json"))
    assert report["writes"] == 2 + len(owned) + 4  # and the deploy marker: started, at Android, at the record, finished
    assert report["types"]["programs"] == {"create": 3, "update": 0, "unchanged": 0, "removed": 0}

    second = _run(fresh_sandbox, "deploy")
    assert second.exit_code == 0
    assert "nothing written" in second.output

    state = _run(fresh_sandbox, "status", "--json")
    assert json.loads(state.output)["relation"] == "same"
    assert json.loads(state.output)["drift"] == []

    changes = _run(fresh_sandbox, "diff", "--json")
    assert json.loads(changes.output)["changes"] == []
    human = _run(fresh_sandbox, "diff")
    assert "unchanged" in human.output


def test_status_before_any_deploy(fresh_sandbox: Any) -> None:
    result = _run(fresh_sandbox, "status")
    assert result.exit_code == 0
    assert "not installed" in result.output
