"""The headers of Spring Security's HeaderWriterFilter on every answer, errors included."""

from __future__ import annotations

import pytest
import requests

from scdi.upstream.releases import RELEASES
from tests.sandbox.helpers import ADMIN


@pytest.mark.parametrize("version,xss", [("2.41", "1; mode=block"), ("2.42", "0"), ("2.43", "0")])
def test_every_answer_of_the_chain_carries_them(sandbox_factory, version: str, xss: str) -> None:
    # DhisWebApiWebSecurityConfig#setHttpHeaders: contentTypeOptions + xssProtection (+ HSTS on
    # secure requests only); XXssProtectionHeaderWriter's default is Spring Security's own
    assert RELEASES[version].xss_protection_header == xss
    url = sandbox_factory(version=version).url
    answers = [
        requests.get(f"{url}/api/system/info", auth=ADMIN, timeout=10),
        requests.get(f"{url}/api/dataStore/ns/missing", auth=ADMIN, timeout=10),
        requests.get(f"{url}/api/system/info", auth=("admin", "wrong"), timeout=10),
        requests.get(f"{url}/api/loginConfig", timeout=10),
    ]
    assert [a.status_code for a in answers] == [200, 404, 401, 200]
    for answer in answers:
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-XSS-Protection"] == xss
        assert "Strict-Transport-Security" not in answer.headers
        assert "X-Frame-Options" not in answer.headers and "Pragma" not in answer.headers
    # /api/ping is left out of the chain (web.ignoring())
    ping = requests.get(f"{url}/api/ping", timeout=10)
    assert "X-Content-Type-Options" not in ping.headers and "X-XSS-Protection" not in ping.headers


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_csp_filter_writes_its_policy(sandbox_factory, version: str) -> None:
    # CspFilter#doFilterInternal with csp.enabled on (its default): frame-ancestors on every
    # answer of the chain, before it script-src 'none' for the release's uploaded-content URLs
    # (CspConstants#EXTERNAL_STATIC_CONTENT_URL_PATTERNS); `/api/ping` passes no filter.
    url = sandbox_factory(version=version).url
    frame = "frame-ancestors 'self';"
    script = "script-src 'none'; "
    info = requests.get(f"{url}/api/system/info", auth=ADMIN, timeout=10)
    assert info.raw.headers.getlist("Content-Security-Policy") == [frame]
    denied = requests.get(f"{url}/api/system/info", auth=("admin", "wrong"), timeout=10)
    assert denied.raw.headers.getlist("Content-Security-Policy") == [frame]
    files = requests.get(f"{url}/api/dataValues/files", auth=ADMIN, timeout=10)
    assert files.raw.headers.getlist("Content-Security-Policy") == [script, frame]
    data = requests.get(f"{url}/api/fileResources/abcdefghijk/data", auth=ADMIN, timeout=10)
    expected = [script, frame] if version == "2.41" else [frame]
    assert data.raw.headers.getlist("Content-Security-Policy") == expected
    ping = requests.get(f"{url}/api/ping", timeout=10)
    assert "Content-Security-Policy" not in ping.headers
