"""What an administrator meets when the address or the server is wrong: one typed error that
names the likely mistake, and a deadline that bounds the whole call, retries included."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scdi.connector.client import Dhis2Client
from scdi.connector.config import RetryPolicy, ServerSettings
from scdi.connector.errors import (
    ConfigError,
    NotFound,
    RequestTimedOut,
    ServerFailure,
    Unreachable,
    WrongAddress,
)

from .loopback import Answer, ScriptedServer, self_signed, web_message


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[ScriptedServer]:
    server = ScriptedServer(tls=certificate).start()
    yield server
    server.stop()


def _client(url: str, **values: object) -> Dhis2Client:
    settings = ServerSettings(base_url=url, username="admin", password="district",  # type: ignore[arg-type]
                              retry=RetryPolicy(attempts=4, backoff_factor=0.05, backoff_jitter=0), **values)
    return Dhis2Client(settings)


# --- time -------------------------------------------------------------------------------------


def test_a_hanging_server_fails_at_the_deadline_not_after_every_retry(scripted):
    for _ in range(5):
        scripted.then(Answer(200, {"version": "2.42.5"}, delay=2.5))
    started = time.monotonic()
    with pytest.raises(RequestTimedOut) as caught:
        _client(scripted.url, read_timeout=0.6).get("system/info")
    assert time.monotonic() - started < 1.5
    assert "within 0.6 s (retries included)" in caught.value.message
    assert "write" not in caught.value.one_line()  # a GET writes nothing


def test_a_write_that_times_out_says_it_may_have_been_applied(scripted):
    scripted.then(Answer(200, {"status": "OK"}, delay=2))
    with pytest.raises(RequestTimedOut) as caught:
        _client(scripted.url, read_timeout=0.4).post("metadata", json={})
    assert "may still have been applied" in caught.value.hint


def test_retries_stop_when_the_next_wait_would_pass_the_deadline(scripted):
    for _ in range(5):
        scripted.then(Answer(503, web_message(503, "Service Unavailable", "busy"), {"Retry-After": "5"}))
    client = Dhis2Client(ServerSettings(base_url=scripted.url, read_timeout=1.0,
                                        retry=RetryPolicy(retry_after_cap=5)))
    started = time.monotonic()
    with pytest.raises(ServerFailure):
        client.get("system/info")
    assert time.monotonic() - started < 1.0
    assert len(scripted.seen) == 1


def test_retries_within_the_deadline_still_happen(scripted):
    scripted.then(Answer(503, web_message(503, "Service Unavailable", "busy")), Answer(200, {"version": "2.42.5"}))
    assert _client(scripted.url, read_timeout=5).get("system/info") == {"version": "2.42.5"}
    assert len(scripted.seen) == 2


# --- addresses -----------------------------------------------------------------------------------


def test_a_path_typo_says_the_base_url_looks_wrong(scripted):
    scripted.default = Answer(404, web_message(404, "Not Found", "No endpoint"))
    client = _client(scripted.url + "/dhis")
    with pytest.raises(WrongAddress) as caught:
        client.datastore_get("scdi-groups", "installed")  # not "not installed"
    assert caught.value.exit_code == 2
    assert f"{scripted.url}/dhis/api/system/info answered 404" in caught.value.message
    assert "deleted" not in caught.value.one_line()


def test_a_missing_object_on_a_real_server_is_still_not_found(scripted):
    scripted.then(Answer(404, web_message(404, "Not Found", "Program x not found")), Answer(200, {"version": "2.42.5"}))
    with pytest.raises(NotFound):
        _client(scripted.url).get("programs/x")


def test_https_to_a_plain_http_server_names_the_mix_up(scripted):
    with pytest.raises(WrongAddress) as caught:
        _client(scripted.url.replace("http://", "https://")).get("system/info")
    assert "does not speak TLS" in caught.value.message and "http://" in caught.value.message


def test_http_to_a_tls_server_names_the_mix_up(tls_server):
    with pytest.raises(WrongAddress) as caught:
        _client(tls_server.url.replace("https://", "http://")).get("system/info")
    assert "https://" in caught.value.message


def test_a_self_signed_server_says_how_to_trust_it(tls_server, certificate):
    with pytest.raises(Unreachable) as caught:
        _client(tls_server.url).get("system/info")
    assert "self-signed" in caught.value.message
    assert "--ca-bundle" in caught.value.hint and "REQUESTS_CA_BUNDLE" in caught.value.hint
    assert _client(tls_server.url, ca_bundle=str(certificate[0])).get("system/info") == {"version": "2.42.5"}


def test_a_closed_port_is_unreachable_in_one_line(closed_port):
    with pytest.raises(Unreachable) as caught:
        _client(f"http://127.0.0.1:{closed_port}").get("system/info")
    assert "\n" not in caught.value.one_line()


@pytest.mark.parametrize("url", ["ftp://example.org", "http://example.org:99999", "http://example.org/api/29"])
def test_urls_requests_or_dhis2py_would_refuse_never_get_that_far(url):
    with pytest.raises(ValueError):  # the settings refuse them (resolve_settings: ConfigError, exit 2)
        ServerSettings(base_url=url)
    assert issubclass(ConfigError, Exception)


def test_an_unsupported_release_is_said_once(scripted):
    scripted.default = Answer(200, {"version": "2.38.1"})
    from scdi.connector.errors import UnsupportedServer

    with pytest.raises(UnsupportedServer) as caught:
        _client(scripted.url).release  # noqa: B018
    line = caught.value.one_line()
    assert line.count("2.41") == 1 and "2.38.1" in line


def test_a_refused_connection_and_an_unknown_name_are_told_apart(closed_port):
    with pytest.raises(Unreachable, match="connection refused"):
        Dhis2Client(ServerSettings(base_url=f"http://127.0.0.1:{closed_port}", retry=RetryPolicy(attempts=1))).get("me")
    with pytest.raises(Unreachable, match="not found"):
        Dhis2Client(ServerSettings(base_url="http://dhis2.invalid", retry=RetryPolicy(attempts=1))).get("me")
