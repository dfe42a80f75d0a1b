"""`scdi doctor` and the CLI's error contract, against the sandbox over real HTTP."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from scdi.cli.main import cli


@pytest.fixture
def run():
    def invoke(*args: str, env: dict[str, str] | None = None):
        return CliRunner().invoke(cli, list(args), env=env or {}, catch_exceptions=False)

    return invoke


def sandbox_env(url: str, username: str = "admin", password: str = "district") -> dict[str, str]:
    return {"DHIS2_BASE_URL": url, "DHIS2_USERNAME": username, "DHIS2_PASSWORD": password, "DHIS2_TOKEN": ""}


def test_help_lists_the_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "doctor" in result.output
    assert "Exit codes" in result.output


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.startswith("scdi, version ")


def test_doctor_reports_version_and_authorities(run, fresh_sandbox):
    result = run("doctor", env=sandbox_env(fresh_sandbox.url))
    assert result.exit_code == 0, result.output
    assert "DHIS2 version: 2.42" in result.output
    assert "supported" in result.output
    assert "admin" in result.output and "superuser" in result.output
    assert "To deploy metadata: all present" in result.output


def test_doctor_json_lists_missing_authorities(run, fresh_sandbox):
    result = run("doctor", "--json", env=sandbox_env(fresh_sandbox.url, "dashboard.viewer", "district"))
    report = json.loads(result.output)
    assert report["server_version"].startswith("2.42")
    assert report["superuser"] is False
    deploy = next(a for a in report["authorities"] if a["purpose"] == "deploy metadata")
    assert "F_PROGRAM_PUBLIC_ADD" in deploy["missing"]
    assert result.exit_code == 1  # findings: this user cannot deploy


@pytest.mark.parametrize("version", ["2.41", "2.43"])
def test_doctor_on_each_supported_release(run, sandbox_factory, version):
    running = sandbox_factory(version=version)
    result = run("doctor", "--json", env=sandbox_env(running.url))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["server_version"].startswith(version)


def test_bad_password_is_one_line_with_a_hint_and_exit_3(run, fresh_sandbox):
    result = run("doctor", env=sandbox_env(fresh_sandbox.url, password="wrong"))
    assert result.exit_code == 3
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    assert "wrong" not in result.output  # the password is never echoed


def test_unreachable_server_exit_3(run, closed_port):
    result = run("doctor", env=sandbox_env(f"http://127.0.0.1:{closed_port}"))
    assert result.exit_code == 3
    assert "Could not reach" in result.output


def test_debug_shows_the_traceback(run, closed_port):
    result = run("--debug", "doctor", env=sandbox_env(f"http://127.0.0.1:{closed_port}"))
    assert result.exit_code == 3
    assert "Traceback" in result.output


def test_no_server_configured_is_a_usage_error(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("doctor", env={"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "DHIS2_BASE_URL": ""})
    assert result.exit_code == 2
    assert "No DHIS2 server is configured" in result.output
