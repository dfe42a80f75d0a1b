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


# ContextUtils.HEADER_VALUE_NO_STORE, set by ContextUtils#setNoStore (2.41.9, 2.42.5, 2.43.1).
NO_STORE = "no-cache, no-store, max-age=0, must-revalidate"


def test_system_ping_needs_credentials(sandbox_factory) -> None:
    # Only /api/ping is left out of the security chain (2.41.9 DhisWebCommonsWebSecurityConfig
    # :133, 2.42.5 DhisWebApiWebSecurityConfig :289, 2.43.1 :293); /api/system/ping is answered
    # like any other protected path. SystemController#ping calls setNoStore.
    for version, login in (("2.41", "/dhis-web-login"), ("2.42", "/dhis-web-login/"),
                           ("2.43", "/login/")):
        url = sandbox_factory(version=version).url
        anonymous = requests.get(f"{url}/api/system/ping", allow_redirects=False, timeout=10)
        assert anonymous.status_code == 302, version
        assert anonymous.headers["Location"] == f"{url}{login}"
        xhr = requests.get(f"{url}/api/system/ping", headers={"X-Requested-With": "XMLHttpRequest"},
                           timeout=10)
        assert xhr.status_code == 401
        signed_in = requests.get(f"{url}/api/system/ping", auth=AUTH, timeout=10)
        assert signed_in.status_code == 200 and signed_in.text == "pong"
        assert signed_in.headers["Cache-Control"] == NO_STORE
        assert requests.get(f"{url}/api/ping", timeout=10).status_code == 200


def test_system_id_limit_zero_or_negative_gives_no_codes(sandbox_factory) -> None:
    # SystemController#getUid: generateCodeList(Math.min(limit, 10000), …) loops `i < limit`,
    # and calls setNoStore; /info calls it too (2.41.9, 2.42.5, 2.43.1).
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        for limit in ("0", "-5"):
            answer = requests.get(f"{url}/api/system/id", params={"limit": limit}, auth=AUTH,
                                  timeout=10)
            assert answer.status_code == 200 and answer.json() == {"codes": []}, (version, limit)
        one = requests.get(f"{url}/api/system/uid", auth=AUTH, timeout=10)
        assert len(one.json()["codes"]) == 1
        assert one.headers["Cache-Control"] == NO_STORE
        info = requests.get(f"{url}/api/system/info", auth=AUTH, timeout=10)
        assert info.headers["Cache-Control"] == NO_STORE


def test_system_id_limit_is_bound_like_a_spring_integer(sandbox_factory) -> None:
    # SystemController#getUid binds `@RequestParam(defaultValue = "1") Integer limit`: an empty
    # value takes the default, NumberUtils#parseNumber drops whitespace (Character#isWhitespace,
    # not the no-break space) and reads hex by Integer#decode, anything else by
    # Integer#valueOf (decimal, so no octal), and a refused value is
    # CrudControllerAdvice#methodArgumentTypeMismatchException → badRequest(String), without
    # errorCode, naming the NumberFormatException (2.41.9, 2.42.5, 2.43.1).
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        for limit, count in (("", 1), ("0x3", 3), ("#2", 2), ("-0x0", 0), ("010", 10),
                             ("08", 8), (" 2 ", 2), ("1\t2", 12), ("+3", 3)):
            answer = requests.get(f"{url}/api/system/id", params={"limit": limit}, auth=AUTH,
                                  timeout=10)
            assert len(answer.json()["codes"]) == count, (version, limit, answer.text)
        for limit, cause in (("abc", 'For input string: "abc"'), ("2.5", 'For input string: "2.5"'),
                             ("0x", 'For input string: "" under radix 16'),
                             ("-#", 'For input string: "-" under radix 16'),
                             ("+0x2", 'For input string: "+0x2"'),
                             ("0x-2", "Sign character in wrong position"),
                             ("1_0", 'For input string: "1_0"'),
                             ("\u00a01", 'For input string: "\u00a01"'),
                             ("99999999999", 'For input string: "99999999999"')):
            answer = requests.get(f"{url}/api/system/uid", params={"limit": limit}, auth=AUTH,
                                  timeout=10)
            assert answer.status_code == 400, (version, limit)
            assert answer.json() == {
                "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
                "message": f"Value '{limit}' is not valid for parameter limit. {cause}"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_blank_system_id_limit_per_release(sandbox_factory, version: str) -> None:
    # whitespace only converts to null (the default CustomNumberEditor(allowEmpty)); Spring 6
    # (2.42+) then converts the defaultValue "1", Spring 5.3 (2.41) keeps the null, which
    # `Math.min(limit, 10000)` unboxes: the JDK's NullPointerException, 500
    url = sandbox_factory(version=version).url
    for path in ("/api/system/id", "/api/system/uid", "/api/system/uuid"):
        for limit in (" ", "\t\n"):
            answer = requests.get(f"{url}{path}", params={"limit": limit}, auth=AUTH, timeout=10)
            if version == "2.41":
                assert (answer.status_code, answer.json()["message"]) == (
                    500, 'Cannot invoke "java.lang.Integer.intValue()" because "limit" is null')
            else:
                assert answer.status_code == 200 and len(answer.json()["codes"]) == 1, answer.text


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_ping_variants(sandbox_factory, version: str) -> None:
    # PingController#ping (2.41.9, 2.42.5, 2.43.1) is a void @ResponseStatus(OK) GET mapping
    # without `produces`: any Accept, HEAD as GET, no body, no Content-Type. web.ignoring() is an
    # AntPathRequestMatcher("/api/ping") of any method and that exact path, so a POST reaches
    # Spring without credentials (405 from CrudControllerAdvice, Spring 5's words on 2.41) while
    # /api/ping.json and /api/ping/ (still routed there by suffix and trailing-slash matching)
    # go through the chain like any protected path.
    url = sandbox_factory(version=version).url
    for accept in (None, "application/xml", "text/csv", "bogus/type"):
        r = requests.get(f"{url}/api/ping", headers={"Accept": accept} if accept else {},
                         allow_redirects=False, timeout=10)
        assert r.status_code == 200 and r.content == b"", (accept, r.text)
        assert "Content-Type" not in r.headers, accept
    head = requests.head(f"{url}/api/ping", allow_redirects=False, timeout=10)
    assert head.status_code == 200 and "Content-Type" not in head.headers
    post = requests.post(f"{url}/api/ping", allow_redirects=False, timeout=10)
    assert post.status_code == 405
    verb = "not supported" if version == "2.41" else "is not supported"
    assert post.json() == {"httpStatus": "Method Not Allowed", "httpStatusCode": 405,
                           "status": "ERROR", "message": f"Request method 'POST' {verb}"}
    protected = requests.get(f"{url}/api/system/ping", allow_redirects=False, timeout=10)
    for path in ("/api/ping.json", "/api/ping/"):
        anonymous = requests.get(f"{url}{path}", allow_redirects=False, timeout=10)
        assert anonymous.status_code == protected.status_code != 200, (path, anonymous.text)
        assert anonymous.headers.get("Location") == protected.headers.get("Location")
        signed_in = requests.get(f"{url}{path}", auth=AUTH, timeout=10)
        assert signed_in.status_code == 200 and signed_in.content == b"", path


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_ping_with_a_path_extension(sandbox_factory, version: str) -> None:
    # Suffix pattern matching: 2.41.9 ContentNegotiationConfig#configurePathMatch matches
    # `/ping.*`, any extension; 2.42.5/2.43.1 WebMvcConfig#createRequestMappingHandlerMapping
    # matches the registered ones only (mediaTypeMap's keys), another is the unmapped 404.
    # Such a path is not the one web.ignoring() names, so it needs credentials.
    url = sandbox_factory(version=version).url
    anonymous = requests.get(f"{url}/api/ping.xml", allow_redirects=False, timeout=10)
    assert anonymous.status_code != 200
    for suffix in ("xml", "csv", "json.gz", "adx.xml", "geojson"):
        signed_in = requests.get(f"{url}/api/ping.{suffix}", auth=AUTH, timeout=10)
        assert signed_in.status_code == 200 and signed_in.content == b"", suffix
        assert "Content-Type" not in signed_in.headers
    post = requests.post(f"{url}/api/ping.xml", auth=AUTH, timeout=10)
    assert post.status_code == 405 and post.json()["message"].startswith("Request method 'POST'")
    for suffix in ("foo", ""):
        other = requests.get(f"{url}/api/ping.{suffix}", auth=AUTH, timeout=10)
        posted = requests.post(f"{url}/api/ping.{suffix}", auth=AUTH, timeout=10)
        if version == "2.41":
            assert other.status_code == 200 and other.content == b"", suffix
            assert posted.status_code == 405, suffix
        else:
            assert other.status_code == posted.status_code == 404, suffix
            assert "No static resource" in other.text
