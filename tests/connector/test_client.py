"""The DHIS2 client over real HTTP: error mapping, retries, timeouts, auth and safe logging."""

from __future__ import annotations

import base64
import json
import logging
import time

import pytest

from scdi.connector.errors import (
    BadCredentials,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    RequestTimedOut,
    ServerError,
    ServerFailure,
    Unreachable,
    UnsupportedServer,
)
from scdi.upstream.releases import Support

from .loopback import Answer, web_message

# --- error mapping ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "error_class", "code"),
    [
        (400, "Bad Request", BadRequest, "E1003"),
        (401, "Unauthorized", BadCredentials, None),
        (403, "Forbidden", Forbidden, "E1006"),
        (404, "Not Found", NotFound, "E1005"),
        (500, "Internal Server Error", ServerFailure, None),
    ],
)
def test_web_messages_become_typed_errors(scripted, client_for, status, reason, error_class, code):
    text = "Program with id `abcdefghijk` could not be found." if status == 404 else "Something is wrong"
    scripted.then(Answer(status, web_message(status, reason, text, code)))
    client = client_for(scripted.url)
    with pytest.raises(error_class) as caught:
        client.get("programs/abcdefghijk")
    error = caught.value
    assert error.status == status
    assert error.error_code == code
    assert text in error.message  # DHIS2's own words, not the raw JSON
    assert "{" not in error.message
    assert error.hint  # every error says what to do
    assert error.exit_code == 3


def test_conflict_carries_the_import_report_but_not_its_messages(scripted, client_for):
    report = {
        "responseType": "ImportReport",
        "status": "ERROR",
        "typeReports": [
            {
                "klass": "org.hisp.dhis.program.Program",
                "objectReports": [
                    {
                        "errorReports": [
                            {"errorCode": "E5002", "message": "Invalid reference [x] (CategoryCombo) on object"}
                        ]
                    }
                ],
            }
        ],
    }
    body = web_message(409, "Conflict", "One or more errors occurred, please see full details in import report.")
    body["status"] = "WARNING"
    body["response"] = report
    scripted.then(Answer(409, body))
    client = client_for(scripted.url)
    with pytest.raises(Conflict) as caught:
        client.post("metadata", json={"programs": []}, idempotent=True)
    assert caught.value.report == report
    assert "E5002" not in caught.value.message
    assert caught.value.status == 409


def test_a_login_redirect_means_bad_credentials(scripted, client_for):
    scripted.then(Answer(302, None, {"Location": "/dhis-web-login/"}))
    client = client_for(scripted.url)
    with pytest.raises(BadCredentials):
        client.get("me")


def test_html_instead_of_json_points_at_the_base_url(scripted, client_for):
    # A base URL that points at a web page (a proxy's landing page, DHIS2's login app).
    scripted.then(Answer(200, "<html><body>Login</body></html>", {"Content-Type": "text/html"}))
    client = client_for(scripted.url)
    with pytest.raises(ServerError) as caught:
        client.get("system/info")
    assert "without /api" in caught.value.hint


def test_unreachable_server_is_a_clear_error(client_for, closed_port):
    client = client_for(f"http://127.0.0.1:{closed_port}")
    with pytest.raises(Unreachable) as caught:
        client.get("system/info")
    assert "Could not reach" in caught.value.message
    assert caught.value.exit_code == 3


# --- retries ------------------------------------------------------------------------------


def test_get_retries_after_two_failures_then_succeeds(scripted, client_for):
    scripted.then(
        Answer(503, web_message(503, "Service Unavailable", "busy")),
        Answer(502, None),
        Answer(200, {"version": "2.42.5"}),
    )
    client = client_for(scripted.url)
    assert client.get("system/info") == {"version": "2.42.5"}
    assert len(scripted.seen) == 3


def test_post_not_declared_idempotent_is_never_retried(scripted, client_for):
    scripted.then(Answer(503, web_message(503, "Service Unavailable", "busy")), Answer(200, {"ok": True}))
    client = client_for(scripted.url)
    with pytest.raises(ServerFailure):
        client.post("messageConversations", json={"subject": "x"})
    assert [s.method for s in scripted.seen] == ["POST"]


def test_post_not_declared_idempotent_is_not_retried_after_a_reset(scripted, client_for):
    scripted.then(Answer(reset=True), Answer(200, {"ok": True}))
    client = client_for(scripted.url)
    with pytest.raises(Unreachable) as caught:
        client.post("messageConversations", json={"subject": "x"})
    assert len(scripted.seen) == 1
    assert "may have applied" in caught.value.hint


def test_idempotent_post_is_retried(scripted, client_for):
    scripted.then(Answer(503, None), Answer(504, None), Answer(200, {"status": "OK"}))
    client = client_for(scripted.url)
    result = client.post("tracker", json={"trackedEntities": []}, params={"async": "false"}, idempotent=True)
    assert result == {"status": "OK"}
    assert [s.method for s in scripted.seen] == ["POST", "POST", "POST"]
    # the same body each time: a retried request is the same request
    assert len({s.body for s in scripted.seen}) == 1


def test_retries_give_up_after_the_policy_limit(scripted, client_for):
    for _ in range(10):
        scripted.then(Answer(503, web_message(503, "Service Unavailable", "still busy")))
    client = client_for(scripted.url)
    with pytest.raises(ServerFailure) as caught:
        client.get("system/info")
    assert "still busy" in caught.value.message
    assert len(scripted.seen) == 4  # attempts=4 in the fixture policy


def test_retry_after_is_honoured(scripted, client_for):
    scripted.then(Answer(429, None, {"Retry-After": "1"}), Answer(200, {"version": "2.42.5"}))
    client = client_for(scripted.url, read_timeout=10)
    client.retry_policy  # noqa: B018 - the policy caps Retry-After at 0.2 s in this fixture
    started = time.monotonic()
    client.get("system/info")
    waited = time.monotonic() - started
    assert len(scripted.seen) == 2
    # Honoured (the fixture's cap is 0.2 s, so about 0.2 s passes, never the backoff's 0.01 s)...
    assert waited >= 0.15


def test_retry_after_is_capped(scripted, client_for):
    scripted.then(Answer(503, None, {"Retry-After": "3600"}), Answer(200, {"version": "2.42.5"}))
    client = client_for(scripted.url)
    started = time.monotonic()
    client.get("system/info")
    # ...but an hour-long Retry-After is cut to the cap instead of hanging the command.
    assert time.monotonic() - started < 30
    assert len(scripted.seen) == 2


# --- timeouts -----------------------------------------------------------------------------


def test_writes_time_out(scripted, client_for):
    scripted.then(Answer(200, {"status": "OK"}, delay=1.5))
    client = client_for(scripted.url, read_timeout=0.3)
    with pytest.raises(RequestTimedOut) as caught:
        client.post("metadata", json={"programs": []})
    assert "0.3 s" in caught.value.message
    assert "may still have been applied" in caught.value.hint
    assert len(scripted.seen) == 1


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_every_method_has_a_timeout(scripted, client_for, method):
    for _ in range(5):
        scripted.then(Answer(200, {"status": "OK"}, delay=1.0))
    client = client_for(scripted.url, read_timeout=0.2)
    with pytest.raises(RequestTimedOut):
        client.request(method, "dataStore/ns/key", json={"a": 1} if method != "DELETE" else None, idempotent=False)


# --- authentication and headers ------------------------------------------------------------


def test_personal_access_token_is_sent_as_api_token(scripted, client_for):
    token = "d2p_" + "a" * 44 + "ABCDEF"
    client = client_for(scripted.url, username=None, password=None, token=token)
    client.get("system/info")
    headers = scripted.seen[0].headers
    assert headers["Authorization"] == f"ApiToken {token}"


def test_basic_auth_and_user_agent(scripted, client_for):
    client = client_for(scripted.url)
    client.get("system/info")
    headers = scripted.seen[0].headers
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"admin:district").decode()
    assert headers["User-Agent"].startswith("scdi-groups/")


# --- versions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "support"),
    [
        ("2.41.6", Support.SUPPORTED),
        ("2.42.5", Support.SUPPORTED),
        ("2.43.2", Support.SUPPORTED),
        ("2.40.7", Support.WARN),
        ("2.44-SNAPSHOT", Support.WARN),
    ],
)
def test_server_version_is_detected(scripted, client_for, version, support):
    scripted.default = Answer(200, {"version": version, "revision": "abc"})
    assert client_for(scripted.url).check_version() is support


@pytest.mark.parametrize("version", ["2.39.3", "2.45.0", "nonsense"])
def test_servers_outside_the_window_are_refused(scripted, client_for, version):
    scripted.default = Answer(200, {"version": version})
    with pytest.raises(UnsupportedServer) as caught:
        client_for(scripted.url).check_version()
    assert "2.41, 2.42 and 2.43" in caught.value.message


# --- logging never carries secrets or personal data ----------------------------------------


def test_debug_log_has_no_password_token_or_attribute_value(scripted, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    member_code = "HP-KNTC-0042"
    phone = "0912345678"
    scripted.then(Answer(503, None), Answer(200, {"trackedEntities": []}))
    basic = client_for(scripted.url, password="s3cret-Pa55")
    basic.get(
        "tracker/trackedEntities",
        params={"program": "abcdefghijk", "filter": f"attrUid0001:eq:{member_code}"},
    )
    scripted.then(Answer(reset=True))
    with pytest.raises(Unreachable):
        basic.post(
            "tracker",
            json={"trackedEntities": [{"attributes": [{"attribute": "x", "value": phone}]}]},
        )
    token = "d2p_" + "Z" * 44 + "QWERTY"
    client_for(scripted.url, username=None, password=None, token=token).get("system/info")
    text = caplog.text + json.dumps([r.args for r in caplog.records], default=str)
    assert "tracker/trackedEntities" in caplog.text  # requests are logged...
    for secret in ("s3cret-Pa55", token, member_code, phone, "district"):
        assert secret not in text  # ...but never their secrets or values
