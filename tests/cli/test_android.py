"""`scdi android check` over real HTTP against the bare sandbox (no package): the table, the JSON,
the password prompt, and a server version the Android SDK does not support."""

from __future__ import annotations

import json

import requests
from click.testing import CliRunner

from scdi.cli.main import cli


def _env(url: str) -> dict[str, str]:
    # the administrator's credentials in the environment are not the phone user's
    return {"DHIS2_BASE_URL": url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district", "DHIS2_TOKEN": ""}


def test_check_prompts_for_the_users_password_and_prints_a_table(fresh_sandbox):
    result = CliRunner().invoke(cli, ["android", "check", "--user", "group.leader"], input="district\n",
                                env=_env(fresh_sandbox.url), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Password of group.leader" in result.output
    assert "User:    group.leader: 1 capture, 1 search org units" in result.output
    assert "The phone would sync." in result.output
    assert "district" not in result.output.replace("Password of group.leader: ", "")


def test_check_with_a_wrong_password_is_refused_sign_in(fresh_sandbox):
    # the phone would say BAD_CREDENTIALS; the command ends as any refused sign-in does (exit 3)
    result = CliRunner().invoke(cli, ["android", "check", "--user", "group.leader", "--password", "nope", "--json"],
                                env=_env(fresh_sandbox.url), catch_exceptions=False)
    assert result.exit_code == 3
    assert "401" in result.output and '"exitCode": 3' in result.output and "nope" not in result.output


def test_a_release_the_sdk_does_not_support(sandbox_factory):
    running = sandbox_factory(version="2.44")
    result = CliRunner().invoke(cli, ["android", "check", "--user", "group.leader", "--password", "district",
                                      "--json"], env=_env(running.url), catch_exceptions=False)
    assert result.exit_code == 1
    body = json.loads(result.output)
    assert [f["code"] for f in body["findings"]] == ["sync.server-version"]
    assert "2.44.0" in body["findings"][0]["message"] and body["programs"] == [] and body["ok"] is False


def test_a_server_that_fails_the_apps_server_check(fresh_sandbox):
    faults = [{"kind": "503", "count": 10, "path": "/api/loginConfig"},
              {"kind": "503", "count": 10, "path": "/api/ping"}]
    assert requests.post(f"{fresh_sandbox.url}/__sandbox__/faults", json=faults, timeout=10).status_code == 201
    result = CliRunner().invoke(cli, ["android", "check", "--user", "group.leader", "--password", "district", "--json"],
                                env=_env(fresh_sandbox.url), catch_exceptions=False)
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.output)["findings"]] == ["sync.server-check"]
