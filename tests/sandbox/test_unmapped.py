"""Paths no controller maps and the versioned paths each release maps (`core/unmapped.py`)."""

from __future__ import annotations

import base64
import http.client
from urllib.parse import urlsplit

import pytest
import requests

from tests.sandbox.conftest import VERSIONS

ADMIN = ("admin", "district")
TOMCAT = {"2.41": "Apache Tomcat/9.0.111", "2.42": "Apache Tomcat/11.0.20",
          "2.43": "Apache Tomcat/11.0.20"}


def _page(version: str, message: str | None) -> str:
    told = f"<p><b>Message</b> {message}</p>" if message else ""
    return ('<!doctype html><html lang="en"><head><title>HTTP Status 404 – Not Found</title>'
            '<style type="text/css">body {font-family:Tahoma,Arial,sans-serif;} h1, h2, h3, b '
            "{color:white;background-color:#525D76;} h1 {font-size:22px;} h2 {font-size:16px;} "
            "h3 {font-size:14px;} p {font-size:12px;} a {color:black;} .line {height:1px;"
            "background-color:#525D76;border:none;}</style></head><body><h1>HTTP Status 404 – "
            'Not Found</h1><hr class="line" /><p><b>Type</b> Status Report</p>' + told +
            "<p><b>Description</b> The origin server did not find a current representation for "
            "the target resource or is not willing to disclose that one exists.</p>"
            f'<hr class="line" /><h3>{TOMCAT[version]}</h3></body></html>')


def test_an_unmapped_path_is_the_containers_404_page(sandbox_factory) -> None:
    # 2.41.9: DispatcherServlet#noHandlerFound, sendError(404) without a message; 2.42.5/2.43.1:
    # the `/**` resource handler's NoResourceFoundException, rethrown by
    # CrudControllerAdvice#servletExceptionHandler, sendError(404, "No static resource …").
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        for method, path, within in (("GET", "/api/nothingHere", "api&#47;nothingHere"),
                                     ("POST", "/api/tracker/nothing", "api&#47;tracker&#47;nothing"),
                                     ("DELETE", "/api/nothingHere//deeper/", "api&#47;nothingHere&#47;deeper")):
            answer = requests.request(method, url + path, auth=ADMIN, timeout=10)
            assert answer.status_code == 404, (version, path)
            assert answer.headers["Content-Type"] == "text/html;charset=utf-8"
            assert answer.headers["Content-Language"] == "en"
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            message = None if version == "2.41" else f"No static resource {within}."
            assert answer.text == _page(version, message), (version, path)
        # Spring Security first: no credentials, no page
        anonymous = requests.get(url + "/api/nothingHere", timeout=10, allow_redirects=False)
        assert anonymous.status_code in (302, 401), version


def test_versioned_paths_per_release(sandbox_factory) -> None:
    # 2.41/2.42: `/api/28..42/` for `@ApiVersion` controllers (not PingController);
    # 2.43: ApiVersionFilter rewrites `/api/28..43/` for every controller.
    for version in VERSIONS:
        url = sandbox_factory(version=version).url

        def status(path: str, auth: tuple[str, str] | None = ADMIN, url: str = url) -> int:
            return requests.get(url + path, auth=auth, timeout=10,
                                allow_redirects=False).status_code

        assert status("/api/28/dataStore") == 200, version
        # the versions are ASCII digits (Java's `\\d`): Arabic-Indic ones name none
        assert status("/api/%D9%A4%D9%A2/systemSettings") == 404, version
        assert status("/api/42/systemSettings") == 200, version
        assert status("/api/42/userSettings") == 200, version
        assert status("/api/43/dataStore") == (200 if version == "2.43" else 404), version
        assert status("/api/27/dataStore") == 404, version
        assert status("/api/44/me") == 404, version
        assert status("/api/42/ping") == (200 if version == "2.43" else 404), version
        # web.ignoring() matches `/api/ping` as sent: a versioned ping asks for credentials
        assert status("/api/42/ping", auth=None) in (302, 401), version
        assert status("/api/ping", auth=None) == 200, version


@pytest.mark.parametrize("version", VERSIONS)
def test_an_encoded_version_is_read_where_the_path_is_matched(sandbox_factory, version) -> None:
    # the mappings match the decoded path: `/api/4%32/me` is `/api/42/me` on 2.41/2.42; 2.43's
    # ApiVersionFilter reads getRequestURI, still encoded, so it rewrites nothing there and the
    # decoded `/api/42/me` is no mapping
    # (http.client sends the path as written; requests would unquote `%32`)
    url = urlsplit(sandbox_factory(version=version).url)
    basic = "Basic " + base64.b64encode(":".join(ADMIN).encode()).decode()

    def status(path: str) -> int:
        connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Authorization": basic})
            return connection.getresponse().status
        finally:
            connection.close()

    assert status("/api/4%32/me") == (404 if version == "2.43" else 200)
    # an encoded character after the version is decoded after the rewrite
    assert status("/api/42/m%65") == 200


def test_the_path_in_the_message_is_the_one_spring_reads(sandbox_factory) -> None:
    # 2.43's ApiVersionFilter rewrites the URI before the resource handler reads it
    for version, path, within in (("2.42", "/api/42/nothing", "api&#47;42&#47;nothing"),
                                  ("2.43", "/api/42/nothing", "api&#47;nothing"),
                                  ("2.43", "/api/44/nothing", "api&#47;44&#47;nothing")):
        url = sandbox_factory(version=version).url
        answer = requests.get(url + path, auth=ADMIN, timeout=10)
        assert answer.status_code == 404
        assert answer.text == _page(version, f"No static resource {within}."), (version, path)
