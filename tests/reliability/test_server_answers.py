"""The connector against server answers that are wrong in the ways proxies and broken servers
are wrong: a web page instead of JSON, JSON cut short, a 200 that carries an error, a pager
that never ends, a redirect to another host. Each is one clear error, never a hang, and no
credentials ever go to another host."""

from __future__ import annotations

import time

import pytest

from scdi.connector.errors import ScdiError, ServerError
from scdi.connector.sync import export
from scdi.connector.sync.send import send
from tests.connector.loopback import Answer, ScriptedServer

PAGE = 3


def _client(client_for, url):  # type: ignore[no-untyped-def]
    return client_for(url, read_timeout=5)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    scripted = ScriptedServer().start()
    scripted.default = Answer(200, {"version": "2.42.5", "serverDate": "2025-12-31T10:00:00.000"})
    yield scripted
    scripted.stop()


def test_a_web_page_instead_of_json_is_one_clear_error(server, client_for):  # type: ignore[no-untyped-def]
    server.then(Answer(200, {"version": "2.42.5"}), Answer(200, "<html><body>Đăng nhập</body></html>",
                                                         {"Content-Type": "text/html"}))
    client = _client(client_for, server.url)
    with pytest.raises(ServerError) as caught:
        list(export.tracked_entities(client, "ProgramUid1", "OrgUnitUid1", None))
    assert "web page" in caught.value.message


def test_json_cut_short_is_one_clear_error(server, client_for):  # type: ignore[no-untyped-def]
    server.then(Answer(200, {"version": "2.42.5"}), Answer(200, '{"pager": {"page": 1}, "trackedEntities": [{"track'))
    client = _client(client_for, server.url)
    with pytest.raises(ScdiError) as caught:
        list(export.tracked_entities(client, "ProgramUid1", "OrgUnitUid1", None))
    assert "JSON" in caught.value.message or "json" in caught.value.message


def test_a_200_that_carries_an_error_is_a_refusal_not_a_success(server, client_for):  # type: ignore[no-untyped-def]
    server.then(Answer(200, {"status": "ERROR", "validationReport": {"errorReports": [
        {"errorCode": "E1000", "message": "no write access", "trackerType": "TRACKED_ENTITY", "uid": "Te000000001"}]},
        "stats": {"created": 0, "updated": 0, "deleted": 0, "ignored": 1, "total": 1}}))
    client = _client(client_for, server.url)
    report = send(client, {"trackedEntities": [{"trackedEntity": "Te000000001"}]}, objects=1).report
    assert not report.ok and report.error_codes() == {"E1000"}


def test_a_pager_that_never_ends_stops_with_an_error(server, client_for):  # type: ignore[no-untyped-def]
    def endless(number: int) -> Answer:
        items = [{"trackedEntity": f"Te{number:04d}{i:05d}"} for i in range(PAGE)]
        return Answer(200, {"pager": {"page": number, "pageSize": PAGE, "nextPage": f"{server.url}/next"},
                            "trackedEntities": items})

    server.then(Answer(200, {"version": "2.42.5"}), *(endless(n) for n in range(1, 200_000)))
    client = _client(client_for, server.url)
    started = time.monotonic()
    with pytest.raises(ServerError) as caught:
        for _ in client.items("tracker/trackedEntities", params={"program": "P"}, page_size=PAGE,
                              max_pages=50):
            pass
    assert "pages" in caught.value.message and time.monotonic() - started < 30


def test_a_redirect_to_another_host_sends_no_credentials_there(server, client_for):  # type: ignore[no-untyped-def]
    other = ScriptedServer().start()
    try:
        server.then(Answer(200, {"version": "2.42.5"}),
                    Answer(302, None, {"Location": f"{other.url}/api/tracker/trackedEntities"}))
        client = _client(client_for, server.url)
        with pytest.raises(ServerError) as caught:
            list(export.tracked_entities(client, "ProgramUid1", "OrgUnitUid1", None))
        assert "redirected" in caught.value.message
        assert other.seen == []  # not followed: nothing, and no Authorization header, reached the other host
    finally:
        other.stop()
