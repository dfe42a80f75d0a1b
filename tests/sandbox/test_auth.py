"""Basic and ApiToken authentication answers (ApiTokenResolver, ApiTokenAuthManager,
FormLoginBasicAuthenticationEntryPoint)."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest
import requests

from scdi.sandbox.core import auth
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, seeded_user


def _token(url: str) -> str:
    response = requests.post(f"{url}/api/apiToken", json={}, auth=ADMIN, timeout=10)
    assert response.status_code == 201
    body = response.json()
    assert body["response"]["klass"] == "org.hisp.dhis.security.apikey.ApiToken"
    return str(body["response"]["key"])


def test_created_token_authenticates(fresh_sandbox: RunningSandbox) -> None:
    token = _token(fresh_sandbox.url)
    assert token.startswith("d2p_") and len(token) == 4 + 44 + 6
    assert auth.valid_checksum(token)
    me = requests.get(f"{fresh_sandbox.url}/api/me",
                      headers={"Authorization": f"ApiToken {token}"}, timeout=10)
    assert me.status_code == 200 and me.json()["username"] == "admin"


def test_api_token_creation_response_per_release(sandbox_factory) -> None:
    # ApiTokenController#postJsonObject sets the location `/apiToken/<uid>`, which
    # WebMessageControllerAdvice#beforeBodyWrite prefixes with the API path (all three tags).
    # responseType: 2.41.9 AbstractWebMessageResponse takes the class's simple name; 2.42.5 and
    # 2.43.1 WebMessageResponse#getResponseType uses ObjectReportWebMessageResponse
    # #getResponseClassType, which ApiTokenCreationResponse does not override.
    for version, response_type in (("2.41", "ApiTokenCreationResponse"), ("2.42", "ObjectReport"),
                                   ("2.43", "ObjectReport")):
        url = sandbox_factory(version=version).url
        created = requests.post(f"{url}/api/apiToken", json={}, auth=ADMIN, timeout=10)
        assert created.status_code == 201
        body = created.json()["response"]
        assert body["responseType"] == response_type, version
        assert created.headers["Location"] == f"{url}/api/apiToken/{body['uid']}"


@pytest.mark.parametrize("attribute, message", [
    ({"type": "MethodAllowedList", "allowedMethods": ["GET", "FOO"]},
     "Not a valid http method, value=FOO"),
    ({"type": "IpAllowedList", "allowedIps": ["10.0.0.1", "300.1.1.1"]},
     "Not a valid ip address, value=300.1.1.1"),
    ({"type": "RefererAllowedList", "allowedReferrers": ["not a url"]},
     "Not a valid referrer url, value=not a url"),
    # UrlValidator's host: DomainValidator.getInstance(false) takes no dotless host and no
    # bare top-level domain (commons-validator 1.10.1).
    ({"type": "RefererAllowedList", "allowedReferrers": ["http://localhost/"]},
     "Not a valid referrer url, value=http://localhost/"),
    ({"type": "RefererAllowedList", "allowedReferrers": ["http://com/"]},
     "Not a valid referrer url, value=http://com/"),
    # UrlValidator's PATH_REGEX and AUTHORITY_REGEX: Java's `\w` and `\d` are ASCII
    ({"type": "RefererAllowedList", "allowedReferrers": ["https://dhis2.example.org/\u1ee9ng"]},
     "Not a valid referrer url, value=https://dhis2.example.org/\u1ee9ng"),
    ({"type": "RefererAllowedList", "allowedReferrers": ["http://10.0.0.2:\u0668\u0660/"]},
     "Not a valid referrer url, value=http://10.0.0.2:\u0668\u0660/"),
])
def test_api_token_invalid_attributes_are_409(sandbox_factory, attribute, message) -> None:
    # ApiTokenController#validateTokenAttributes (2.41.9, 2.42.5, 2.43.1): the
    # IllegalArgumentException of the first bad value becomes a ConflictException (E1004).
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        refused = requests.post(f"{url}/api/apiToken", json={"attributes": [attribute]},
                                auth=ADMIN, timeout=10)
        assert refused.status_code == 409, (version, refused.text)
        assert refused.json() == {
            "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
            "message": f"Failed to validate the token's attributes, message: {message}",
            "errorCode": "E1004"}
        assert requests.get(f"{url}/api/apiToken", auth=ADMIN, timeout=10).json()["apiToken"] == []


def test_api_token_valid_attributes_are_accepted(fresh_sandbox: RunningSandbox) -> None:
    # VALID_METHODS is compared upper-cased; InetAddressValidator takes IPv4 and IPv6;
    # UrlValidator's default schemes are http, https and ftp.
    attributes = [{"type": "MethodAllowedList", "allowedMethods": ["get", "POST"]},
                  {"type": "IpAllowedList", "allowedIps": ["192.168.1.10", "2001:db8::1"]},
                  {"type": "RefererAllowedList",
                   "allowedReferrers": ["https://dhis2.example.org/app", "http://10.0.0.2:8080",
                                        "http://example.xn--p1ai/"]}]
    created = requests.post(f"{fresh_sandbox.url}/api/apiToken", json={"attributes": attributes},
                            auth=ADMIN, timeout=10)
    assert created.status_code == 201, created.text


def test_api_token_allowed_lists_are_hash_sets(sandbox_factory) -> None:
    # IpAllowedList/MethodAllowedList/RefererAllowedList keep a HashSet<String> (2.41.9,
    # 2.42.5, 2.43.1): Jackson adds the values to a new HashSet (capacity 16), repeats go, and
    # the set is checked and written by bucket, (h ^ h >>> 16) & 15 of String#hashCode:
    # HEAD 2213344 → 1, DELETE → 2, POST → 5, GET 70454 → 7, PUT 79599 → 14, PATCH → 14
    # (after PUT, added first); 192.168.1.1 → 0, 10.0.0.2 → 10, 10.0.0.1 → 11.
    methods = ["PUT", "GET", "POST", "GET", "DELETE", "PATCH", "HEAD"]
    ips = ["10.0.0.2", "10.0.0.1", "192.168.1.1"]
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        created = requests.post(f"{url}/api/apiToken", json={"attributes": [
            {"type": "MethodAllowedList", "allowedMethods": methods},
            {"type": "IpAllowedList", "allowedIps": ips}]}, auth=ADMIN, timeout=10)
        assert created.status_code == 201, created.text
        uid = created.json()["response"]["uid"]
        read = requests.get(f"{url}/api/apiToken/{uid}", params={"fields": "attributes"},
                            auth=ADMIN, timeout=10)
        assert read.status_code == 200, read.text
        assert read.json()["attributes"] == [
            {"type": "MethodAllowedList",
             "allowedMethods": ["HEAD", "DELETE", "POST", "GET", "PUT", "PATCH"]},
            {"type": "IpAllowedList", "allowedIps": ["192.168.1.1", "10.0.0.2", "10.0.0.1"]}]
        # the check walks the set too: BAR (bucket 3) before FOO (bucket 7)
        refused = requests.post(f"{url}/api/apiToken", json={"attributes": [
            {"type": "MethodAllowedList", "allowedMethods": ["FOO", "BAR"]}]},
            auth=ADMIN, timeout=10)
        assert refused.status_code == 409
        assert refused.json()["message"].endswith("Not a valid http method, value=BAR")


def _nulls(value: object) -> bool:
    if isinstance(value, dict):
        return any(v is None or _nulls(v) for v in value.values())
    return isinstance(value, list) and any(v is None or _nulls(v) for v in value)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_api_token_read_renders_as_metadata(sandbox_factory, version: str) -> None:
    # ApiTokenController is an AbstractCrudController (2.41.9, 2.42.5, 2.43.1): the token is
    # imported as metadata (stamped, default-private sharing, the payload's code) and
    # #getObject writes `*` as for every object: href, access, lastUpdatedBy, sharing
    # (`external` only at 2.42.5), BaseIdentifiableObject's empty translations/attributeValues,
    # and never a null (JacksonObjectMapperConfig NON_NULL).
    url = sandbox_factory(version=version).url
    created = requests.post(f"{url}/api/apiToken", json={"code": "PAT1"}, auth=ADMIN, timeout=10)
    assert created.status_code == 201, created.text
    uid = created.json()["response"]["uid"]
    read = requests.get(f"{url}/api/apiToken/{uid}", auth=ADMIN, timeout=10)
    assert read.status_code == 200, read.text
    body = read.json()
    # the user references' own serialiser writes their null code (row `fields`)
    assert body["createdBy"].pop("code") is None and body["lastUpdatedBy"].pop("code") is None
    assert body.pop("user")["id"] == body["createdBy"]["id"]  # BaseIdentifiableObject#getUser
    assert not _nulls(body), body
    assert set(body) == {"id", "code", "version", "type", "expire", "attributes", "created",
                         "lastUpdated", "createdBy", "lastUpdatedBy", "sharing", "href",
                         "access", "translations", "attributeValues", "favorites", "favorite"}
    me = requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).json()["id"]
    assert body["code"] == "PAT1" and body["href"] == f"{url}/api/apiToken/{uid}"
    assert body["createdBy"] == body["lastUpdatedBy"] and body["createdBy"]["id"] == me
    assert body["translations"] == [] and body["attributeValues"] == []
    assert body["favorites"] == [] and body["favorite"] is False
    assert body["sharing"] == {"owner": me, "users": {}, "userGroups": {}, "public": "--------",
                               **({"external": False} if version == "2.42" else {})}
    assert body["access"]["read"] is True
    assert requests.get(f"{url}/api/apiToken/{uid}", params={"fields": "id,code"}, auth=ADMIN,
                        timeout=10).json() == {"id": uid, "code": "PAT1"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_api_token_list_renders_as_metadata(sandbox_factory, version: str) -> None:
    # AbstractFullReadOnlyController#getObjectList (2.41.9, 2.42.5, 2.43.1): default fields
    # id,displayName (a token has no name: only its id), `fields`, `order`, `filter`, paging.
    url = sandbox_factory(version=version).url
    uids = {code: requests.post(f"{url}/api/apiToken", json={"code": code}, auth=ADMIN,
                                timeout=10).json()["response"]["uid"] for code in ("B", "A")}
    listed = requests.get(f"{url}/api/apiToken", auth=ADMIN, timeout=10)
    assert listed.headers["Cache-Control"] == "no-cache, private"
    assert listed.json() == {"pager": {"page": 1, "total": 2, "pageSize": 50, "pageCount": 1},
                             "apiToken": [{"id": uid} for uid in sorted(uids.values())]}
    ordered = requests.get(f"{url}/api/apiToken", auth=ADMIN, timeout=10,
                           params={"fields": "id,code", "order": "code:asc", "paging": "false"})
    assert ordered.json() == {"apiToken": [{"id": uids["A"], "code": "A"},
                                           {"id": uids["B"], "code": "B"}]}
    one = requests.get(f"{url}/api/apiToken", auth=ADMIN, timeout=10,
                       params={"fields": "code", "filter": "code:eq:B", "paging": "false"})
    assert one.json() == {"apiToken": [{"code": "B"}]}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_api_tokens_are_read_through_their_sharing(sandbox_factory, version: str) -> None:
    # ApiTokenSchemaDescriptor: private by default, no authorities; a superuser's reads skip
    # the sharing predicates, so the admin lists, reads and deletes another user's token, and
    # a user it is not shared with finds none (404)
    url = sandbox_factory(version=version).url
    manager, leader = ("metadata.manager", "district"), ("group.leader", "district")
    created = requests.post(f"{url}/api/apiToken", json={"code": "MGR"}, auth=manager,
                            timeout=10)
    assert created.status_code == 201, created.text
    uid = created.json()["response"]["uid"]
    mine = requests.post(f"{url}/api/apiToken", json={"code": "ADM"}, auth=ADMIN, timeout=10)
    admin_uid = mine.json()["response"]["uid"]

    def listed(user: tuple[str, str]) -> set[str]:
        body = requests.get(f"{url}/api/apiToken", params={"paging": "false"}, auth=user,
                            timeout=10).json()
        return {t["id"] for t in body["apiToken"]}
    assert listed(ADMIN) == {uid, admin_uid}
    assert listed(manager) == {uid} and listed(leader) == set()
    read = requests.get(f"{url}/api/apiToken/{uid}", params={"fields": "code"}, auth=ADMIN,
                        timeout=10)
    assert read.status_code == 200 and read.json() == {"code": "MGR"}
    for other in (leader, manager):
        hidden = requests.get(f"{url}/api/apiToken/{admin_uid}", auth=other, timeout=10)
        assert hidden.status_code == 404, hidden.text
        refused = requests.delete(f"{url}/api/apiToken/{admin_uid}", auth=other, timeout=10)
        assert refused.status_code == 404, refused.text
    deleted = requests.delete(f"{url}/api/apiToken/{uid}", auth=ADMIN, timeout=10)
    assert deleted.status_code == 200, deleted.text
    assert listed(manager) == set() and listed(ADMIN) == {admin_uid}


def test_basic_failure_401_as_xml_when_asked(sandbox_factory) -> None:
    # FormLoginBasicAuthenticationEntryPoint#commence (2.41.9, 2.42.5, 2.43.1): RenderService
    # #toXml when Accept contains application/xml, else #toJson; the bare media type the entry
    # point sets gets the charset the UTF-8 CharacterEncodingFilter, mapped before the security
    # chain (DhisWebApiWebAppInitializer#setupServlets), set first.
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        xml = requests.get(f"{url}/api/me", auth=("admin", "nope"),
                           headers={"Accept": "application/xml"}, timeout=10)
        assert xml.status_code == 401
        assert xml.headers["Content-Type"] == "application/xml;charset=UTF-8"
        assert xml.text == ('<webMessage xmlns="http://dhis2.org/schema/dxf/2.0" '
                            'httpStatus="Unauthorized" httpStatusCode="401" status="ERROR">'
                            "<message>Unauthorized</message></webMessage>")
        xhr = requests.get(f"{url}/api/me", auth=("admin", "nope"), timeout=10, headers={
            "X-Requested-With": "XMLHttpRequest", "Accept": "text/html, application/xml;q=0.9"})
        assert xhr.status_code == 401 and xhr.text.startswith("<webMessage ")
        plain = requests.get(f"{url}/api/me", auth=("admin", "nope"), timeout=10)
        assert plain.headers["Content-Type"] == "application/json;charset=UTF-8"
        assert plain.json()["message"] == "Unauthorized"


def test_xhr_without_credentials_per_release(sandbox_factory) -> None:
    # 2.41.9: the /api chain's only entry point is FormLoginBasicAuthenticationEntryPoint, which
    # renders XML when asked; 2.42.5/2.43.1 route a request without credentials to
    # Http401LoginUrlAuthenticationEntryPoint (DhisWebApiWebSecurityConfig 2.42.5 :439-440,
    # 2.43.1 :428-429), which always writes JSON.
    for version, as_xml in (("2.41", True), ("2.42", False), ("2.43", False)):
        url = sandbox_factory(version=version).url
        xhr = requests.get(f"{url}/api/me", timeout=10, headers={
            "X-Requested-With": "XMLHttpRequest", "Accept": "application/xml"})
        assert xhr.status_code == 401, version
        if as_xml:
            assert xhr.headers["Content-Type"] == "application/xml;charset=UTF-8"
            assert xhr.text.startswith("<webMessage "), version
        else:
            assert xhr.headers["Content-Type"] == "application/json;charset=UTF-8", version
            assert xhr.json() == {"httpStatus": "Unauthorized", "httpStatusCode": 401,
                                  "status": "ERROR", "message": "Unauthorized"}, version


def test_basic_scheme_in_any_case_and_the_entry_point_per_release(sandbox_factory) -> None:
    # BasicAuthenticationConverter#convert reads the scheme in any case; the entry point
    # FormLoginBasicAuthenticationEntryPoint answers 401 only for XHR or a header containing
    # "Basic" as written, and redirects otherwise. A header the Basic filter does not read is
    # no credentials: 2.41.9 hands it to that same entry point, 2.42.5/2.43.1 to
    # Http401LoginUrlAuthenticationEntryPoint, which tests X-Requested-With only.
    for version, contains_basic_401 in (("2.41", True), ("2.42", False), ("2.43", False)):
        url = sandbox_factory(version=version).url
        good = base64.b64encode(b"admin:district").decode()
        bad = base64.b64encode(b"admin:nope").decode()
        me = requests.get(f"{url}/api/me", headers={"Authorization": f"basic {good}"}, timeout=10)
        assert me.status_code == 200 and me.json()["username"] == "admin", version
        # java.util.Base64's decoder does not require the padding
        unpadded = requests.get(f"{url}/api/me", timeout=10,
                                headers={"Authorization": f"Basic {good.rstrip('=')}"})
        assert unpadded.status_code == 200, version
        lower = requests.get(f"{url}/api/me", headers={"Authorization": f"basic {bad}"},
                             allow_redirects=False, timeout=10)
        assert lower.status_code == 302, version
        other = requests.get(f"{url}/api/me", headers={"Authorization": f"Other Basic {good}"},
                             allow_redirects=False, timeout=10)
        assert other.status_code == (401 if contains_basic_401 else 302), version


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_disabled_account_is_account_disabled_whatever_the_password(
        sandbox_factory, version: str) -> None:
    # TwoFactorAuthenticationProvider extends DaoAuthenticationProvider, whose #authenticate
    # runs DefaultPreAuthenticationChecks (locked, disabled) before the password check;
    # FormLoginBasicAuthenticationEntryPoint#commence writes "Account disabled" for a
    # DisabledException (2.41.9 :81-83, 2.42.5/2.43.1 :83-85), else the redirect.
    running = sandbox_factory(version=version)
    account = seeded_user(running, "province.officer")
    running.store.put_object("users", {**account, "disabled": True})
    for password in ("district", "nope"):
        refused = requests.get(f"{running.url}/api/me", auth=("province.officer", password),
                               timeout=10)
        assert refused.status_code == 401, password
        assert refused.json()["message"] == "Account disabled", password
        lower = base64.b64encode(f"province.officer:{password}".encode()).decode()
        redirected = requests.get(f"{running.url}/api/me", allow_redirects=False, timeout=10,
                                  headers={"Authorization": f"basic {lower}"})
        assert redirected.status_code == 302, password
    unknown = requests.get(f"{running.url}/api/me", auth=("no.such.user", "nope"), timeout=10)
    assert unknown.json()["message"] == "Unauthorized"


@pytest.mark.parametrize(("version", "basic_path", "anonymous_path"), [
    ("2.41", "/dhis-web-login", "/dhis-web-login"),
    ("2.42", "/dhis-web-login", "/dhis-web-login/"),
    ("2.43", "/login/", "/login/"),
])
def test_failed_basic_login_redirects_to_the_basic_entry_points_page(
        sandbox_factory, version: str, basic_path: str, anonymous_path: str) -> None:
    # A failed Basic login goes to the Basic filter's entry point,
    # DhisWebApiWebSecurityConfig#formLoginBasicAuthenticationEntryPoint ("/dhis-web-login" at
    # 2.41.9 and 2.42.5, "/login/" at 2.43.1); no credentials at 2.42.5/2.43.1 to #entryPoint
    # ("/dhis-web-login/", "/login/"), at 2.41.9 to the Basic one too.
    url = sandbox_factory(version=version).url
    bad = base64.b64encode(b"admin:nope").decode()
    failed = requests.get(f"{url}/api/me", headers={"Authorization": f"basic {bad}"},
                          allow_redirects=False, timeout=10)
    assert failed.status_code == 302
    assert failed.headers["Location"] == url + basic_path
    anonymous = requests.get(f"{url}/api/me", allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"] == url + anonymous_path


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


def _java_crc32(code: str) -> int:
    # CRC32Utils#generateCRC32Checksum step by step: CharsetEncoder#encode allocates
    # (int) (44 * 1.1f) = 48 bytes (35 for 32 characters) and `array()` hands CRC32 all of
    # them, the zero bytes after the code included
    size = int(struct.unpack("f", struct.pack("f", len(code) * struct.unpack(
        "f", struct.pack("f", 1.1))[0]))[0])
    buffer = bytearray(size)
    buffer[:len(code)] = code.encode("ascii")
    return zlib.crc32(bytes(buffer))


def _java_base62(num: int) -> str:
    # Base62#encodeToBase62(num, 6): Arrays.fill(chars, '0'), then from the right r = num % 62,
    # num = (num - r) / 62
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    chars = ["0"] * 6
    for i in range(5, -1, -1):
        r = num % 62
        chars[i] = alphabet[r]
        num = (num - r) // 62
    return "".join(chars)


def _status(url: str, token: str) -> tuple[int, str]:
    response = requests.get(f"{url}/api/me", headers={"Authorization": f"ApiToken {token}"},
                            timeout=10)
    return response.status_code, response.json()["message"]


def test_checksum_covers_the_encoders_zero_tail(sandbox_factory) -> None:
    # synthetic codes whose checksums are small enough to be padded with a leading zero
    v2_code = "SyntheticPaddingCode000000000000000000000006"
    v1_code = "SyntheticPadding0000000000000001"
    assert _java_crc32(v2_code) == 636850535 and _java_base62(636850535) == "0h69up"
    assert _java_crc32(v1_code) == 984483266
    v2 = f"d2p_{v2_code}0h69up"
    unknown = (401, "The API token does not exists")
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        assert _status(url, v2) == unknown, version
        # the checksum of the code's own 44 bytes, without the tail, is refused
        without_tail = _java_base62(zlib.crc32(v2_code.encode()))
        assert _status(url, f"d2p_{v2_code}{without_tail}") == (400, "Checksum validation failed")
        # Long#parseLong reads the v1 checksum: a sign or one more leading zero still match
        for given in ("0984483266", "+984483266", "00984483266"):
            assert _status(url, f"d2pat_{v1_code}{given}") == unknown, (version, given)
        for given in ("-984483266", "984483266" + "0" * 12, ""):
            assert _status(url, f"d2pat_{v1_code}{given}")[0] == 400, (version, given)
    # and a token the sandbox makes carries the checksum DHIS2 computes
    created = _token(sandbox_factory(version="2.42").url)
    code = created[4:48]
    assert created == f"d2p_{code}{_java_base62(_java_crc32(code))}"


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



@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_failed_credentials_answer_on_a_permit_all_path(sandbox_factory, version: str) -> None:
    # Dhis2ApiTokenFilter and BasicAuthenticationFilter run before authorization, so
    # `/**/loginConfig` (permitAll in the API chain: DhisWebApiWebSecurityConfig 2.41.9 :450,
    # 2.42.5 :360, 2.43.1 :327) answers their failures; only `/api/ping` (web.ignoring()) has
    # no filters. Without credentials it is open.
    url = sandbox_factory(version=version).url
    config = f"{url}/api/loginConfig"
    malformed = requests.get(config, headers={"Authorization": "ApiToken not a token!"},
                             timeout=10)
    assert (malformed.status_code, malformed.json()["message"]) == (400, "Api token is malformed")
    assert malformed.headers["WWW-Authenticate"] == "ApiToken"
    wrong = requests.get(config, auth=("admin", "wrong"), timeout=10)
    assert (wrong.status_code, wrong.json()["message"]) == (401, "Unauthorized")
    assert requests.get(config, timeout=10).status_code == 200
    ping = requests.get(f"{url}/api/ping", headers={"Authorization": "ApiToken not a token!"},
                        timeout=10)
    assert ping.status_code == 200

def test_expired_token_401(fresh_sandbox: RunningSandbox) -> None:
    response = requests.post(f"{fresh_sandbox.url}/api/apiToken", json={"expire": 1000},
                             auth=ADMIN, timeout=10)
    token = response.json()["response"]["key"]
    me = requests.get(f"{fresh_sandbox.url}/api/me",
                      headers={"Authorization": f"ApiToken {token}"}, timeout=10)
    assert me.status_code == 401
    assert "expired" in me.json()["message"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_token_is_expired_in_the_millisecond_its_expiry_names(sandbox_factory, monkeypatch, version) -> None:
    """ApiTokenAuthManager#validateTokenExpiry: `expiry <= System.currentTimeMillis()` at
    2.41.9, 2.42.5 and 2.43.1."""
    running = sandbox_factory(version=version)
    expire = 4_102_444_800_000  # 2100-01-01
    response = requests.post(f"{running.url}/api/apiToken", json={"expire": expire}, auth=ADMIN, timeout=10)
    token = response.json()["response"]["key"]

    def me_at(now: int) -> requests.Response:
        monkeypatch.setattr(auth, "now_millis", lambda: now)
        return requests.get(f"{running.url}/api/me", headers={"Authorization": f"ApiToken {token}"},
                            timeout=10)

    assert me_at(expire - 1).status_code == 200
    at_expiry = me_at(expire)
    assert at_expiry.status_code == 401
    assert at_expiry.json()["message"] == "Failed to authenticate API token, token has expired."


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_token_that_authenticated_keeps_its_user_for_the_cache_hour(sandbox_factory, version) -> None:
    """ApiTokenAuthManager#authenticate caches the authentication of a token (apiTokenCache,
    an hour after the write): a later disabled owner is not seen, only the expiry is checked
    again; a deleted token leaves the cache (#handleApiTokenDeleted). A token not used before
    the owner was disabled is refused."""
    running = sandbox_factory(version=version)
    officer = ("province.officer", "district")

    def new_token() -> tuple[str, str]:
        created = requests.post(f"{running.url}/api/apiToken", json={}, auth=officer, timeout=10)
        assert created.status_code == 201, created.text
        return created.json()["response"]["key"], created.json()["response"]["uid"]

    def me(token: str) -> requests.Response:
        return requests.get(f"{running.url}/api/me", headers={"Authorization": f"ApiToken {token}"},
                            timeout=10)

    used, used_uid = new_token()
    unused, _ = new_token()
    assert me(used).status_code == 200
    account = seeded_user(running, officer[0])
    running.store.put_object("users", {**account, "disabled": True})
    assert me(used).status_code == 200
    refused = me(unused)
    assert refused.status_code == 401
    assert refused.json()["message"] == "The API token is disabled, locked or 2FA is enabled."
    running.store.put_object("users", {**account, "disabled": False})
    assert requests.delete(f"{running.url}/api/apiToken/{used_uid}", auth=officer, timeout=10).ok
    assert me(used).json()["message"] == "The API token does not exists"


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
    uid = seeded_user(fresh_sandbox, "group.leader")["id"]
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


def test_api_token_array_body_is_jacksons_500(fresh_sandbox: RunningSandbox) -> None:
    # ApiTokenController#postJsonObject reads the body with deserializeJsonEntity: Jackson's
    # MismatchedInputException reaches CrudControllerAdvice#defaultExceptionHandler on 2.42.5
    # (409 on 2.43.1: test_api_token_body_is_read_with_jackson)
    r = requests.post(f"{fresh_sandbox.url}/api/apiToken", json=[{}], auth=ADMIN, timeout=10)
    assert r.status_code == 500 and "errorCode" not in r.json()
    assert r.json()["message"].startswith(
        "Cannot deserialize value of type `org.hisp.dhis.security.apikey.ApiToken` from Array value")


def test_api_token_body_is_read_with_jackson(sandbox_factory) -> None:
    # ApiTokenController#postJsonObject reads the stream with AbstractCrudController
    # #deserializeJsonEntity (2.41.9 :95, 2.42.5 :98, 2.43.1 :95): a syntax error 409
    # (CrudControllerAdvice#jsonParseExceptionHandler), an empty body a JsonMappingException
    # (409 at 2.43.1, else 500), a JSON null reaches #validateTokenAttributes inside its
    # `catch (Exception)` → ConflictException 409; JSON only (`consumes`), else 415.
    for version, mapping in (("2.41", 500), ("2.42", 500), ("2.43", 409)):
        url = sandbox_factory(version=version).url

        def send(body: bytes, content_type: str = "application/json",
                 url: str = url) -> requests.Response:
            return requests.post(f"{url}/api/apiToken", data=body, auth=ADMIN, timeout=10,
                                 headers={"Content-Type": content_type})

        broken = send(b"{,}")
        assert broken.status_code == 409, (version, broken.text)
        assert broken.json()["message"].startswith(
            "Unexpected character (',' (code 44)): was expecting double-quote to start field "
            "name\n at [Source: REDACTED")
        empty = send(b"")
        assert empty.status_code == mapping, (version, empty.text)
        assert empty.json()["message"].startswith("No content to map due to end-of-input")
        null = send(b"null")
        assert null.status_code == 409 and null.json()["message"] == (
            "Failed to validate the token's attributes, message: Cannot invoke "
            '"org.hisp.dhis.security.apikey.ApiToken.getExpire()" because "token" is null')
        assert send(b"{}", "text/plain").status_code == 415


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_api_token_null_method_ip_or_referrer(sandbox_factory, version: str) -> None:
    # ApiTokenController#validateTokenAttributes: a null method is upper-cased (the
    # NullPointerException's message is what the ConflictException carries), a null IP split
    # by commons-validator 1.10.1 InetAddressValidator#isValidInet6Address (its IPv4 check
    # answers false for null); UrlValidator refuses a null referrer, printed "null". The set
    # holds the null in bucket 0 (HashMap#hash(null)), so it is checked before BAR (bucket 3).
    url = sandbox_factory(version=version).url
    npe = 'Cannot invoke "String.toUpperCase(java.util.Locale)" because "httpMethodName" is null'
    for attribute, message in (
            ({"type": "MethodAllowedList", "allowedMethods": [None]}, npe),
            ({"type": "MethodAllowedList", "allowedMethods": ["BAR", None]}, npe),
            ({"type": "IpAllowedList", "allowedIps": ["10.0.0.1", None]},
             'Cannot invoke "String.split(String, int)" because "inet6Address" is null'),
            ({"type": "RefererAllowedList", "allowedReferrers": [None]},
             "Not a valid referrer url, value=null")):
        refused = requests.post(f"{url}/api/apiToken", json={"attributes": [attribute]},
                                auth=ADMIN, timeout=10)
        assert refused.status_code == 409, refused.text
        assert refused.json()["message"] == (
            f"Failed to validate the token's attributes, message: {message}")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_token_refusals_are_cache_private_the_basic_401_is_not(sandbox_factory, version) -> None:
    """DhisApiTokenAuthenticationEntryPoint#commence hands the ApiTokenAuthenticationException
    to the `handlerExceptionResolver`: CrudControllerAdvice#handleApiTokenAuthenticationException's
    `@ResponseBody WebMessage`, so WebMessageControllerAdvice adds `no-cache, private` (the 401
    of an unknown token, the 400 of a bad checksum). FormLoginBasicAuthenticationEntryPoint
    renders its 401 itself: no Cache-Control."""
    running = sandbox_factory(version=version)
    for header, status in ((f"ApiToken {auth.generate_token('d2p')}", 401), ("ApiToken xx", 400)):
        refused = requests.get(f"{running.url}/api/me", headers={"Authorization": header}, timeout=10)
        assert refused.status_code == status
        assert refused.headers["WWW-Authenticate"] == "ApiToken"
        assert refused.headers["Cache-Control"] == "no-cache, private"
        # permitAll does not spare a request whose token failed
        opened = requests.get(f"{running.url}/api/loginConfig", headers={"Authorization": header},
                              timeout=10)
        assert opened.status_code == status
        assert opened.headers["Cache-Control"] == "no-cache, private"
    basic = requests.get(f"{running.url}/api/me", auth=("admin", "wrong"), timeout=10)
    assert basic.status_code == 401
    assert "Cache-Control" not in basic.headers


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_deleting_a_user_deletes_its_tokens_cached_or_not(sandbox_factory, version) -> None:
    """ApiTokenDeletionHandler#deleteUser deletes the tokens the user owns; each deletion
    publishes ApiTokenDeletedEvent, which ApiTokenAuthManager#handleApiTokenDeleted turns into
    a cache invalidation: a token used before and one never used both "do not exist"."""
    running = sandbox_factory(version=version)
    account = {"id": "usrTokenOw1", "username": "token.owner", "password": "Token-test-2025!",
               "firstName": "Token", "surname": "Owner", "userRoles": [{"id": "jRWSNIHdKww"}]}
    assert requests.post(f"{running.url}/api/users", json=account, auth=ADMIN,
                         timeout=10).status_code == 201
    owner = ("token.owner", "Token-test-2025!")
    used, unused = (requests.post(f"{running.url}/api/apiToken", json={}, auth=owner,
                                  timeout=10).json()["response"]["key"] for _ in range(2))

    def me(token: str) -> requests.Response:
        return requests.get(f"{running.url}/api/me", params={"fields": "id"}, timeout=10,
                            headers={"Authorization": f"ApiToken {token}"})

    assert me(used).status_code == 200
    assert requests.delete(f"{running.url}/api/users/usrTokenOw1", auth=ADMIN,
                           timeout=10).status_code == 200
    for token in (used, unused):
        refused = me(token)
        assert refused.status_code == 401, refused.text
        assert refused.json()["message"] == "The API token does not exists"
