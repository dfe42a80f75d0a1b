"""The administrator's terminal: a typo gets one clear line and the right exit code, never a
traceback; --json answers on stdout even when the command fails; --debug is everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scdi.cli.main import cli

METADATA = Path(__file__).resolve().parents[2] / "metadata"
SCDI = Path(sys.executable).parent / "scdi"
CLEAN_ENV = {"DHIS2_BASE_URL": "", "DHIS2_USERNAME": "", "DHIS2_PASSWORD": "", "DHIS2_TOKEN": "", "SCDI_PROFILE": ""}


def _run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), env={**CLEAN_ENV, **(env or {})})


@pytest.mark.parametrize("url", [
    "ftp://dhis2.example.org", "http://127.0.0.1:99999", "http://127.0.0.1:8080/api/29", "dhis2.example.org"])
def test_url_mistakes_are_one_usage_line(url: str) -> None:
    result = _run("doctor", "--base-url", url, "-u", "admin", "--password", "district")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "pydantic" not in result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: Bad DHIS2 base URL") and "A base URL is the address you open DHIS2 at" in line


@pytest.mark.parametrize("timeout", ["0", "-1"])
def test_a_timeout_that_is_not_positive_is_refused(timeout: str) -> None:
    result = _run("doctor", "--base-url", "http://127.0.0.1:8080", "--timeout", timeout)
    assert result.exit_code == 2
    assert "--timeout" in result.stderr and "Traceback" not in result.output


def test_a_path_typo_says_the_base_url_looks_wrong(fresh_sandbox: Any) -> None:
    result = _run("metadata", "status", "--base-url", fresh_sandbox.url + "/dhis", "-u", "admin",
                  "--password", "district")
    assert result.exit_code == 2, result.output
    assert f"{fresh_sandbox.url}/dhis/api/system/info answered 404" in result.stderr
    assert "deleted" not in result.output and "not installed" not in result.output


def test_a_closed_port_is_one_line_without_urllib3_warnings(closed_port: int) -> None:
    result = _run("doctor", "--base-url", f"http://127.0.0.1:{closed_port}", "-u", "a", "--password", "b")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(result.stderr.splitlines()) == 1
    # the retries are there for whoever asks (a real process: pytest keeps its own log handlers)
    debug = subprocess.run([str(SCDI), "doctor", "--debug", "--base-url", f"http://127.0.0.1:{closed_port}"],
                           capture_output=True, text=True, check=False, timeout=60,
                           env={**os.environ, **CLEAN_ENV, "SCDI_RETRIES": "1", "SCDI_RETRY_BACKOFF": "0"})
    assert debug.returncode == 3 and "Retrying" in debug.stderr


def test_broken_config_files_do_not_block_a_command_given_everything(
        fresh_sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "dish.json").write_text("{broken")
    (tmp_path / "scdi.toml").write_text("[profiles.x\n")
    monkeypatch.chdir(tmp_path)
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    result = _run("doctor", "--base-url", fresh_sandbox.url, "-u", "admin", "--password", "district", env=env)
    assert result.exit_code == 0, result.output
    needed = _run("doctor", env=env)
    assert needed.exit_code == 2
    assert "scdi.toml: not valid TOML" in needed.stderr and "line 1" in needed.stderr


def test_json_failures_answer_on_stdout_too(closed_port: int) -> None:
    result = _run("metadata", "status", "--json", "--base-url", f"http://127.0.0.1:{closed_port}",
                  env={"SCDI_RETRIES": "0"})
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "Unreachable" and error["exitCode"] == 3 and error["message"]
    assert result.stderr.startswith("Error: ")


def test_json_failures_carry_their_findings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"package": {"code": "X", "version": "nope"}, "programs": [{"id": "1"}]}))
    result = _run("metadata", "deploy", "--json", "--package", str(bad), "--base-url", "http://127.0.0.1:1")
    assert result.exit_code in (1, 3)
    assert "error" in json.loads(result.stdout)


@pytest.mark.parametrize("command", [["metadata", "deploy"], ["metadata", "validate"], ["doctor"],
                                     ["metadata", "build"], ["sandbox", "serve"]])
def test_debug_is_accepted_on_every_command(command: list[str]) -> None:
    result = _run(*command, "--debug", "--help")
    assert result.exit_code == 0, result.output
    assert "--debug" in result.stdout


def test_validate_counts_as_build_and_deploy_do_and_no_engines_says_tests_did_not_run(tmp_path: Path) -> None:
    header = _run("metadata", "validate", str(METADATA), "--no-engines").stdout.splitlines()[0]
    checked = json.loads(_run("metadata", "validate", str(METADATA), "--no-engines", "--json").stdout)
    assert f": {checked['objects']} objects (and {checked['embedded']} nested in them)" in header
    assert "rule test cases not run (--no-engines)" in header
    built = json.loads(_run("metadata", "build", "-o", str(tmp_path / "p.json"), "--json").stdout)
    assert checked["objects"] == sum(built["objects"].values())


def test_sandbox_state_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = _run("sandbox", "serve", "--port", "0", "--state", str(tmp_path / "nope" / "state.sqlite"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.output
