"""The server skeleton: start/stop, loopback only, auth answers, system endpoints."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import NotLoopbackError, RunningSandbox, start

AUTH = ("admin", "district")


def test_refuses_non_loopback_host() -> None:
    with pytest.raises(NotLoopbackError):
        start(host="0.0.0.0")  # noqa: S104 - must be refused


def test_system_info_version_from_compat_table(sandbox: RunningSandbox) -> None:
    info = requests.get(f"{sandbox.url}/api/system/info", auth=AUTH, timeout=10).json()
    assert info["version"] == "2.42.5"
    assert info["systemId"]
    assert "sessionTimeout" not in info


def test_me_has_authorities_and_org_units(sandbox: RunningSandbox) -> None:
    me = requests.get(f"{sandbox.url}/api/me", auth=AUTH, timeout=10).json()
    assert me["username"] == "admin"
    assert me["authorities"] == ["ALL"]
    assert len(me["organisationUnits"]) == 1


def test_versioned_path_and_json_suffix(sandbox: RunningSandbox) -> None:
    response = requests.get(f"{sandbox.url}/api/42/me.json", auth=AUTH, timeout=10)
    assert response.status_code == 200
    assert response.json()["username"] == "admin"


def test_system_id_limit(sandbox: RunningSandbox) -> None:
    codes = requests.get(f"{sandbox.url}/api/system/id?limit=3", auth=AUTH,
                         timeout=10).json()["codes"]
    assert len(codes) == 3 and len(set(codes)) == 3
    assert all(len(c) == 11 and c[0].isalpha() and c.isalnum() for c in codes)


def test_bad_basic_credentials_401_exact_body(sandbox: RunningSandbox) -> None:
    response = requests.get(f"{sandbox.url}/api/me", auth=("admin", "wrong"), timeout=10)
    assert response.status_code == 401
    assert response.json() == {"httpStatus": "Unauthorized", "httpStatusCode": 401,
                               "status": "ERROR", "message": "Unauthorized"}
    assert "WWW-Authenticate" not in response.headers


def test_no_credentials_redirects_to_login(sandbox: RunningSandbox) -> None:
    # 2.42.5 DhisWebApiWebSecurityConfig#entryPoint: "/dhis-web-login/" (with the slash)
    response = requests.get(f"{sandbox.url}/api/system/info", allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{sandbox.url}/dhis-web-login/"


def test_ping_without_credentials(sandbox: RunningSandbox) -> None:
    response = requests.get(f"{sandbox.url}/api/system/ping", timeout=10)
    assert response.status_code == 200 and response.text == "pong"
