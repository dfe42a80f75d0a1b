"""Basic and ApiToken authentication answers (ApiTokenResolver, ApiTokenAuthManager,
FormLoginBasicAuthenticationEntryPoint)."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.core import auth
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN


def _token(url: str) -> str:
    response = requests.post(f"{url}/api/apiToken", json={}, auth=ADMIN, timeout=10)
    assert response.status_code == 201
    body = response.json()
    assert body["response"]["responseType"] == "ApiTokenCreationResponse"
    assert body["response"]["klass"] == "org.hisp.dhis.security.apikey.ApiToken"
    return str(body["response"]["key"])


def test_created_token_authenticates(fresh_sandbox: RunningSandbox) -> None:
    token = _token(fresh_sandbox.url)
    assert token.startswith("d2p_") and len(token) == 4 + 44 + 6
    assert auth.valid_checksum(token)
    me = requests.get(f"{fresh_sandbox.url}/api/me",
                      headers={"Authorization": f"ApiToken {token}"}, timeout=10)
    assert me.status_code == 200 and me.json()["username"] == "admin"


def test_unknown_well_formed_token_401_with_header(fresh_sandbox: RunningSandbox) -> None:
    token = auth.generate_token("d2p")
    response = requests.get(f"{fresh_sandbox.url}/api/me",
                            headers={"Authorization": f"ApiToken {token}"}, timeout=10)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "ApiToken"
    assert response.json() == {"httpStatus": "Unauthorized", "httpStatusCode": 401,
                               "status": "ERROR", "message": "The API token does not exists"}


def test_legacy_token_format_checksum(fresh_sandbox: RunningSandbox) -> None:
    token = auth.generate_token("d2pat")
    assert len(token) == 6 + 32 + 10 and token[-10:].isdigit()
    response = requests.get(f"{fresh_sandbox.url}/api/me",
                            headers={"Authorization": f"ApiToken {token}"}, timeout=10)
    assert response.status_code == 401  # well formed, valid checksum, unknown


def test_bad_checksum_and_malformed_are_400(fresh_sandbox: RunningSandbox) -> None:
    token = auth.generate_token("d2p")
    broken = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = requests.get(f"{fresh_sandbox.url}/api/me",
                            headers={"Authorization": f"ApiToken {broken}"}, timeout=10)
    assert response.status_code == 400
    assert response.json()["message"] == "Checksum validation failed"
    malformed = requests.get(f"{fresh_sandbox.url}/api/me",
                             headers={"Authorization": "ApiToken not a token!"}, timeout=10)
    assert malformed.status_code == 400
    assert malformed.json()["message"] == "Api token is malformed"


def test_expired_token_401(fresh_sandbox: RunningSandbox) -> None:
    response = requests.post(f"{fresh_sandbox.url}/api/apiToken", json={"expire": 1000},
                             auth=ADMIN, timeout=10)
    token = response.json()["response"]["key"]
    me = requests.get(f"{fresh_sandbox.url}/api/me",
                      headers={"Authorization": f"ApiToken {token}"}, timeout=10)
    assert me.status_code == 401
    assert "expired" in me.json()["message"]


def test_xhr_without_credentials_401(fresh_sandbox: RunningSandbox) -> None:
    response = requests.get(f"{fresh_sandbox.url}/api/me",
                            headers={"X-Requested-With": "XMLHttpRequest"}, timeout=10)
    assert response.status_code == 401
    assert response.json()["message"] == "Unauthorized"


def test_seeded_users_log_in_with_their_roles(fresh_sandbox: RunningSandbox) -> None:
    me = requests.get(f"{fresh_sandbox.url}/api/me", auth=("group.leader", "district"),
                      timeout=10).json()
    assert "ALL" not in me["authorities"]
    assert "M_dhis-web-capture" in me["authorities"]
    assert len(me["organisationUnits"]) == 1


def test_a_new_password_ends_the_old_one_at_once(fresh_sandbox):
    url = fresh_sandbox.url
    uid = next(u["id"] for u in fresh_sandbox.store.list_objects("users") if u["username"] == "group.leader")
    assert requests.get(f"{url}/api/me", auth=("group.leader", "district"), timeout=10).status_code == 200
    account = requests.get(f"{url}/api/users/{uid}", params={"fields": ":owner"}, auth=("admin", "district"),
                           timeout=10).json()
    changed = requests.put(f"{url}/api/users/{uid}", json={**account, "password": "Xy7!newPassQ"},
                           auth=("admin", "district"), timeout=10)
    assert changed.status_code == 200, changed.text
    assert requests.get(f"{url}/api/me", auth=("group.leader", "district"), timeout=10).status_code == 401
    assert requests.get(f"{url}/api/me", auth=("group.leader", "Xy7!newPassQ"), timeout=10).status_code == 200


def test_a_checked_user_is_answered_while_a_long_write_holds_the_store(fresh_sandbox: RunningSandbox) -> None:
    """DHIS2 answers requests (job polls among them) while an import job runs; the sandbox's
    store lock, held by the job from start to end, must not make them wait."""
    import threading

    url, store = fresh_sandbox.url, fresh_sandbox.store
    assert requests.get(f"{url}/api/system/info", auth=ADMIN, timeout=10).status_code == 200  # checked once
    held, release = threading.Event(), threading.Event()

    def long_write() -> None:
        with store.lock:
            held.set()
            release.wait(30)

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert held.wait(10)
        polled = requests.get(f"{url}/api/tracker/jobs/NoSuchJob01", auth=ADMIN, timeout=5)
        assert polled.status_code == 200  # answered at once, not after the write
        # A wrong password is not answered from the check made with the right one: it waits.
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.get(f"{url}/api/tracker/jobs/NoSuchJob01", auth=("admin", "wrong"), timeout=1)
    finally:
        release.set()
        writer.join()


def test_a_changed_password_ends_the_check_at_once(fresh_sandbox: RunningSandbox) -> None:
    from scdi.sandbox.core import users

    url, store = fresh_sandbox.url, fresh_sandbox.store
    assert requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).status_code == 200
    admin = users.find_by_username(store, "admin")
    assert admin is not None
    users.set_password(store, admin["id"], "admin", "Another-1")
    assert requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).status_code == 401
    assert requests.get(f"{url}/api/me", auth=("admin", "Another-1"), timeout=10).status_code == 200
