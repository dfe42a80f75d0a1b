"""The client against the sandbox: DHIS2's real answer bodies and injected network faults."""

from __future__ import annotations

import pytest
import requests

from scdi.connector.client import Dhis2Client
from scdi.connector.config import RetryPolicy, ServerSettings
from scdi.connector.errors import BadCredentials, NotFound, RequestTimedOut, ServerFailure, Unreachable

FAST = RetryPolicy(attempts=4, backoff_factor=0.01, backoff_jitter=0.0, backoff_max=0.05, retry_after_cap=0.2)


def client(url: str, **overrides: object) -> Dhis2Client:
    values: dict[str, object] = {"base_url": url, "username": "admin", "password": "district"}
    values.update(overrides)
    return Dhis2Client(ServerSettings(**values, retry=FAST))  # type: ignore[arg-type]


def faults(url: str, *specs: dict[str, object]) -> None:
    requests.post(f"{url}/__sandbox__/faults", json=list(specs), timeout=5).raise_for_status()


def seen(url: str, path: str) -> list[dict[str, object]]:
    answer = requests.get(f"{url}/__sandbox__/requests", params={"path": path}, timeout=5)
    return answer.json()["requests"]  # type: ignore[no-any-return]


def test_bad_password_is_bad_credentials(fresh_sandbox):
    with pytest.raises(BadCredentials) as caught:
        client(fresh_sandbox.url, password="wrong").get("me")
    assert caught.value.status == 401
    assert "Unauthorized" in caught.value.message


def test_missing_object_is_not_found_with_dhis2s_words(fresh_sandbox):
    with pytest.raises(NotFound) as caught:
        client(fresh_sandbox.url).get("system/nothing-here")
    assert caught.value.status == 404


def test_version_and_identity(fresh_sandbox):
    with client(fresh_sandbox.url) as c:
        assert c.release.minor == "2.42"
        assert c.username == "admin"
        assert "ALL" in c.me()["authorities"]


def test_get_survives_two_503s(fresh_sandbox):
    faults(fresh_sandbox.url, {"kind": "503", "count": 2, "path": "/api/system/info"})
    info = client(fresh_sandbox.url).get("system/info")
    assert info["version"].startswith("2.42")
    assert [r["status"] for r in seen(fresh_sandbox.url, "/api/system/info")] == [503, 503, 200]


def test_get_survives_a_connection_reset(fresh_sandbox):
    faults(fresh_sandbox.url, {"kind": "reset", "count": 1, "path": "/api/system/info"})
    assert client(fresh_sandbox.url).get("system/info")["version"].startswith("2.42")
    assert [r["status"] for r in seen(fresh_sandbox.url, "/api/system/info")] == ["reset", 200]


def test_429_with_retry_after_is_waited_out(fresh_sandbox):
    faults(fresh_sandbox.url, {"kind": "429", "count": 1, "retry_after": 1, "path": "/api/me"})
    assert client(fresh_sandbox.url).get("me")["username"] == "admin"
    assert [r["status"] for r in seen(fresh_sandbox.url, "/api/me")] == [429, 200]


def test_plain_post_is_not_retried_on_503(fresh_sandbox):
    faults(fresh_sandbox.url, {"kind": "503", "count": 3, "method": "POST", "path": "/api/messageConversations"})
    with pytest.raises(ServerFailure):
        client(fresh_sandbox.url).post("messageConversations", json={"subject": "synthetic"})
    assert len(seen(fresh_sandbox.url, "/api/messageConversations")) == 1


def test_write_that_hangs_times_out_once(fresh_sandbox):
    faults(fresh_sandbox.url, {"kind": "delay", "count": 1, "delay": 5, "method": "POST", "path": "/api/metadata"})
    with pytest.raises(RequestTimedOut):
        client(fresh_sandbox.url, read_timeout=0.5).post("metadata", json={})
    fresh_sandbox.app.faults.clear()  # release the held request
    assert len([r for r in seen(fresh_sandbox.url, "/api/metadata") if r["method"] == "POST"]) <= 1


def test_unreachable_after_sandbox_stops(sandbox_factory):
    running = sandbox_factory()
    url = running.url
    running.stop()
    with pytest.raises(Unreachable):
        client(url).get("system/info")


def test_personal_access_token_from_the_server_works(fresh_sandbox):
    with client(fresh_sandbox.url) as admin:
        created = admin.post("apiToken", json={})
    token = created["response"]["key"]
    assert token.startswith("d2p_")
    with client(fresh_sandbox.url, username=None, password=None, token=token) as by_token:
        assert by_token.me()["username"] == "admin"


def test_malformed_or_unknown_token_is_bad_credentials(fresh_sandbox):
    with pytest.raises(BadCredentials) as malformed:
        client(fresh_sandbox.url, username=None, password=None, token="d2p_not-a-token").get("me")
    assert "copy it again" in malformed.value.hint
    # a well-formed token the server no longer knows (deleted): 401, not 400
    with client(fresh_sandbox.url) as admin:
        created = admin.post("apiToken", json={})["response"]
        admin.delete(f"apiToken/{created['uid']}")
    with pytest.raises(BadCredentials) as unknown:
        client(fresh_sandbox.url, username=None, password=None, token=created["key"]).get("me")
    assert unknown.value.status == 401
    assert malformed.value.status == 400
