"""Authentication: Basic and personal access tokens (`Authorization: ApiToken ...`).

Copied behaviour (dhis2-core 2.42.5, `dhis-2/` paths):
- Token formats, checksum and hash: `dhis-api/.../security/apikey/ApiTokenType.java`,
  `ApiKeyTokenGenerator.java`, `common/CRC32Utils.java`, `common/Base62.java`
  (d2pat_ + 32 chars + 10-digit decimal CRC32; d2p_ + 44 chars + 6-char base62 CRC32, both
  over the encoder's whole buffer with its zero tail; stored as SHA-256 of the whole plaintext
  token, hashed from the buffer's `remaining()` bytes: `common/HashUtils.java`).
- Header parsing and 400s: `webapi/security/apikey/ApiTokenResolver.java`.
- Unknown / expired tokens (401 + `WWW-Authenticate: ApiToken`): `ApiTokenAuthManager.java`
  (a token that authenticated is kept with its user for an hour, `#authenticate`'s
  apiTokenCache, `DefaultCacheProvider#createApiKeyCache`; dropped when deleted),
  `security/apikey/DhisApiTokenAuthenticationEntryPoint.java`, handled by
  `webapi/controller/CrudControllerAdvice.java#handleApiTokenAuthenticationException`.
- Bad Basic credentials / no credentials: `webapi/security/FormLoginBasicAuthenticationEntryPoint.java`
  (401 "Unauthorized" for Basic or XHR; otherwise a 302 to the login page); 2.42+ answer a
  request without credentials from `Http401LoginUrlAuthenticationEntryPoint.java` (XHR 401 as
  JSON only, `Release.anonymous_entry_point_http401`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
import string
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from werkzeug.wrappers import Request, Response

from scdi.sandbox.core import jackson_json, settings, users, webmessage
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.upstream.releases import Release

# Personal access tokens: only the SHA-256 of a token is kept, with its owner and details.
TABLES = """
CREATE TABLE IF NOT EXISTS api_tokens (
    uid TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    owner_uid TEXT NOT NULL,
    doc TEXT NOT NULL
);
"""
_AUTHORIZATION = re.compile(r"^ApiToken (?P<token>[a-z0-9\-._~+/]+=*)$", re.IGNORECASE)
_ALPHANUMERIC = string.digits + string.ascii_letters  # CodeGenerator.ALPHANUMERIC_CHARS
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase  # Base62.BASE62_ALPHABET


@dataclass(frozen=True)
class TokenType:
    prefix: str
    length: int
    checksum: str  # "CRC32" (decimal, 10 digits) or "CRC32_B62" (6 chars)
    version: int


TOKEN_TYPES = {
    "d2pat": TokenType("d2pat", 32, "CRC32", 1),  # PERSONAL_ACCESS_TOKEN_V1
    "d2p": TokenType("d2p", 44, "CRC32_B62", 2),  # PERSONAL_ACCESS_TOKEN_V2 (default)
}


def now_millis() -> int:
    """`System.currentTimeMillis()`: the token expiry's clock."""
    return time.time_ns() // 1_000_000


def _base62(num: int, padding: int = 6) -> str:
    # Base62#encodeToBase62: a buffer of `padding` '0's filled from the right, so a small
    # checksum keeps its leading zeros and every v2 token ends in exactly six characters
    chars = ["0"] * padding
    for i in range(padding - 1, -1, -1):
        chars[i] = _BASE62[num % 62]
        num //= 62
    return "".join(chars)


def _float32(value: float) -> float:
    return float(struct.unpack("f", struct.pack("f", value))[0])


def _encoded_buffer(code: str) -> bytes:
    """`StandardCharsets.UTF_8.encode(CharBuffer).array()` as CRC32Utils#generateCRC32Checksum
    reads it: the whole backing array, not its `remaining()` bytes. CharsetEncoder#encode
    allocates `(int) (chars * 1.1f)` bytes (UTF_8.Encoder's averageBytesPerChar), so an
    alphanumeric code is followed by zero bytes: 4 for a 44-character code, 3 for 32. Codes
    here are ASCII (the header pattern admits nothing else), so the buffer never grows."""
    data = code.encode("ascii")
    size = int(_float32(len(code) * _float32(1.1)))
    return data + b"\0" * (size - len(data))


def _crc32(code: str) -> int:
    return zlib.crc32(_encoded_buffer(code)) & 0xFFFFFFFF


def checksum(kind: str, code: str) -> str:
    crc = _crc32(code)
    return f"{crc:010d}" if kind == "CRC32" else _base62(crc)


def generate_token(prefix: str = "d2p") -> str:
    token_type = TOKEN_TYPES[prefix]
    code = "".join(secrets.choice(_ALPHANUMERIC) for _ in range(token_type.length))
    return f"{prefix}_{code}{checksum(token_type.checksum, code)}"


_JAVA_LONG = re.compile(r"[+-]?[0-9]+")


def valid_checksum(token: str) -> bool:
    """ApiKeyTokenGenerator#isValidTokenChecksum: the checksum is whatever follows the code.
    A v2 checksum must equal the six-character encoding; a v1 checksum is read with
    Long#parseLong, so a sign or extra leading zeros still match and a number beyond a long
    fails (ApiTokenResolver#validateChecksum turns the exception into the same 400)."""
    prefix, sep, rest = token.partition("_")
    if not sep or prefix not in TOKEN_TYPES or not rest.isascii():
        return False
    token_type = TOKEN_TYPES[prefix]
    code, given = rest[: token_type.length], rest[token_type.length:]
    if len(code) != token_type.length:
        return False
    if token_type.checksum == "CRC32_B62":
        return given == _base62(_crc32(code))
    if not _JAVA_LONG.fullmatch(given) or not -(2**63) <= int(given) < 2**63:
        return False
    return int(given) == _crc32(code)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def store_token(store: Store, uid: str, token: str, owner_uid: str, doc: dict[str, Any]) -> None:
    with store.lock:
        store.conn.execute(
            "INSERT INTO api_tokens (uid, key_hash, owner_uid, doc) VALUES (?,?,?,?)",
            (uid, hash_token(token), owner_uid, json.dumps(doc)))


def delete_owned_tokens(store: Store, owner_uid: str) -> None:
    """`user/ApiTokenDeletionHandler#deleteUser` (2.41.9, 2.42.5, 2.43.1): deleting a user
    deletes the tokens it owns. Each `ApiTokenStore#delete` publishes the deletion of its token,
    whose `#deleteToken` publishes ApiTokenDeletedEvent, so ApiTokenAuthManager
    #handleApiTokenDeleted drops it from the cache too (`Authenticator._token` finds no row):
    a token of a deleted user "does not exists", cached or not."""
    with store.lock:
        store.conn.execute("DELETE FROM api_tokens WHERE owner_uid=?", (owner_uid,))


class AuthFailure(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def _token_error(status: int, message: str) -> AuthFailure:
    """DhisApiTokenAuthenticationEntryPoint#commence (2.41.9 :67-82, 2.42.5 / 2.43.1 :69-84):
    `WWW-Authenticate: ApiToken` and the status, then the `handlerExceptionResolver` answers
    the exception with CrudControllerAdvice#handleApiTokenAuthenticationException's
    `@ResponseBody WebMessage`, which WebMessageControllerAdvice advises (`core/app.py`)."""
    return AuthFailure(webmessage.error(status, message,
                                        headers={"WWW-Authenticate": "ApiToken"}))


def _entry_point(message: str, accept: str) -> AuthFailure:
    """FormLoginBasicAuthenticationEntryPoint#commence (2.41.9, 2.42.5, 2.43.1): an XHR or Basic
    request gets `unauthorized(message)` rendered by RenderService as XML when the Accept header
    contains application/xml, else as JSON (also `Http401LoginUrlAuthenticationEntryPoint`'s).
    The entry point sets the bare media type, but the UTF-8 `CharacterEncodingFilter`
    (`forceEncoding`) ran before the security chain and set the response's encoding, so Tomcat
    writes `;charset=UTF-8` after it: `DhisWebApiWebAppInitializer#setupServlets` maps it
    (2.41.9 :121-126, 2.42.5 and 2.43.1 :142-147) before `springSecurityFilterChain` (2.42.5
    :149-152, 2.43.1 :155-158; 2.41.9 `SecurityWebApplicationInitializer`, an unordered
    initializer run after this `@Order(10)` one, :53), both ahead of other mappings. The XML
    follows WebMessage's Jackson XML annotations: the `webMessage` root in the DXF 2.0 namespace,
    status fields as attributes, `message` as an element."""
    if "application/xml" in accept:
        body = ('<webMessage xmlns="http://dhis2.org/schema/dxf/2.0" httpStatus="Unauthorized" '
                f'httpStatusCode="401" status="ERROR"><message>{xml_escape(message)}</message>'
                "</webMessage>")
        return AuthFailure(Response(body, status=401, content_type="application/xml;charset=UTF-8"))
    answer = webmessage.body(401, "ERROR", message)
    # RenderService#toJson: the JSON mapper (`core/jackson_json.py`)
    return AuthFailure(Response(jackson_json.dumps(answer), status=401,
                                content_type=webmessage.JSON_TYPE))


def _redirect(login: str) -> AuthFailure:
    # Spring's LoginUrlAuthenticationEntryPoint: absolute redirect to the login form, by
    # `HttpServletResponse#sendRedirect`, which sets no content type (Tomcat 9.0.111 and
    # 11.0.20 write no body unless the Context's `sendRedirectBody`, off by default), so the
    # answer has no Content-Type: the forced UTF-8 encoding alone writes none.
    response = Response(status=302, headers={"Location": login})
    del response.headers["Content-Type"]
    return AuthFailure(response)


@dataclass(frozen=True)
class _FormLoginEntryPoint:
    """FormLoginBasicAuthenticationEntryPoint#commence: 401 for an XHR request or an
    Authorization header containing "Basic" (case-sensitive, while the Basic filter reads the
    scheme in any case), otherwise the redirect to the login page."""

    xhr: bool
    header: str
    accept: str
    login: str

    def failure(self, message: str) -> AuthFailure:
        if self.xhr or "Basic" in self.header:
            return _entry_point(message, self.accept)
        return _redirect(self.login)


def carries_credentials(header: str) -> bool:
    """Whether a filter of the chain reads the Authorization header as credentials: the
    ApiToken filter (`ApiTokenResolver#extractTokenFromHeader`, any case) or the Basic one
    (`BasicAuthenticationConverter#convert`). Their failures answer at once, before
    authorization, so a `permitAll` path (`/api/loginConfig`) gets them too; only a path
    left out of the chain (`/api/ping`) never sees them."""
    return header[:8].lower() == "apitoken" or header.strip()[:5].lower() == "basic"


class Authenticator:
    """Resolves the request's user; caches successful Basic checks (PBKDF2 is slow on purpose)."""

    def __init__(self, store: Store, release: Release) -> None:
        self.store = store
        self.release = release
        # sha256(user:password) -> (uid, the user as checked, the store's generation then, hash)
        self._ok: dict[str, tuple[str, User, int, str | None]] = {}
        # ApiTokenAuthManager's apiTokenCache (DefaultCacheProvider#createApiKeyCache: an hour
        # after the write): token hash -> (when cached, the user then, the token's expiry then)
        self._tokens: dict[str, tuple[float, User, Any]] = {}
        self._lock = threading.Lock()

    def clear_cache(self) -> None:
        with self._lock:
            self._ok.clear()
            self._tokens.clear()
        settings.clear_snapshots(self.store)

    def authenticate(self, request: Request, base_url: str) -> User:
        user = self._authenticate(request, base_url)
        # the AuthenticationSuccessEvent of a successful Basic or ApiToken authentication
        # (ProviderManager#authenticate, Dhis2ApiTokenFilter#doFilterInternal), which 2.42+'s
        # DefaultUserSettingsService#onSessionInit listens to. Without sessions every Basic
        # request authenticates anew (BasicAuthenticationFilter#authenticationIsRequired: no
        # context held), as a DHIS2 client sending no JSESSIONID does.
        settings.on_login(self.store, self.release, user.username, user.uid)
        return user

    def _authenticate(self, request: Request, base_url: str) -> User:
        header = request.headers.get("Authorization", "")
        if header[:8].lower() == "apitoken":
            return self._token(header)
        xhr = request.headers.get("X-Requested-With") == "XMLHttpRequest"
        accept = request.headers.get("Accept", "")
        # the Basic filter's entry point has its own login URL: on 2.42.5 "/dhis-web-login"
        # against the chain entry point's "/dhis-web-login/" (DhisWebApiWebSecurityConfig
        # 2.42.5 :461-462 and :466-469)
        form_login = _FormLoginEntryPoint(
            xhr, header, accept, base_url + self.release.basic_login_path)
        if header.strip()[:5].lower() == "basic":  # BasicAuthenticationConverter#convert
            return self._basic(header, form_login)
        if self.release.anonymous_entry_point_http401:
            # 2.42+: the chain's own entry point, Http401LoginUrlAuthenticationEntryPoint,
            # which tests X-Requested-With only and renders JSON only
            if xhr:
                raise _entry_point("Unauthorized", "")
            raise _redirect(base_url + self.release.login_path)
        raise form_login.failure("Unauthorized")

    def _basic(self, header: str, entry_point: _FormLoginEntryPoint) -> User:
        unauthorized = entry_point.failure("Unauthorized")
        try:
            # the six characters of "Basic " skipped, the rest decoded as it stands by
            # java.util.Base64's basic decoder, for which the padding is optional
            token = header.strip()[6:]
            if "=" not in token:
                token += "=" * (-len(token) % 4)
            raw = base64.b64decode(token, validate=True).decode()
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise unauthorized from None
        username, sep, password = raw.partition(":")
        if not sep:
            raise unauthorized
        key = hashlib.sha256(raw.encode()).hexdigest()
        with self._lock:
            cached = self._ok.get(key)
        if cached is not None and cached[2] == self.store.generation:
            if not self.store.lock.acquire(blocking=False):
                # The store is held by a long write (a tracker import job). No user, role or
                # password has changed since this check was made (the generation says so), so
                # it still holds: DHIS2 answers requests, job polls among them, while its
                # imports run.
                if cached[1].disabled:
                    raise entry_point.failure("Account disabled")
                return cached[1]
            self.store.lock.release()
        stored = users.password_hash(self.store, username)
        # a cached check holds only while the stored hash is the one it was made against: a new
        # password ends the old one at once, as DHIS2's check against the stored hash does
        user = users.load(self.store, cached[0]) if cached and cached[3] == stored else None
        if user is None:
            generation = self.store.generation
            user = users.check_password(self.store, username, password)
            if user is None:
                # AbstractUserDetailsAuthenticationProvider#authenticate runs the
                # preAuthenticationChecks (DefaultPreAuthenticationChecks: locked, disabled)
                # on the loaded user before the password check, so a disabled account is
                # "Account disabled" whatever the password
                account = users.find_by_username(self.store, username)
                if account is not None and account.get("disabled"):
                    raise entry_point.failure("Account disabled")
                raise unauthorized
            with self._lock:
                self._ok[key] = (user.uid, user, generation, stored)
        else:
            with self._lock:
                self._ok[key] = (user.uid, user, self.store.generation, stored)
        if user.disabled:
            raise entry_point.failure("Account disabled")
        return user

    def _token(self, header: str) -> User:
        match = _AUTHORIZATION.match(header)
        if not match:
            raise _token_error(400, "Api token is malformed")
        token = match.group("token")
        prefix = token.partition("_")[0]
        if f"{prefix}_" not in self.release.api_token_prefixes or not valid_checksum(token):
            raise _token_error(400, "Checksum validation failed")
        key = hash_token(token)
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT owner_uid, doc FROM api_tokens WHERE key_hash=?", (key,)).fetchone()
        with self._lock:
            cached = self._tokens.get(key)
            if cached is not None and (row is None or time.monotonic() - cached[0] >= _TOKEN_CACHE_S):
                # #handleApiTokenDeleted drops a deleted token; the hour has passed
                del self._tokens[key]
                cached = None
        if cached is not None:
            # a cached token: only its expiry is checked again, its user is the one cached
            # (roles, org units and a disabled account changed since are not seen)
            _check_expiry(cached[2])
            return cached[1]
        if row is None:
            raise _token_error(401, "The API token does not exists")
        expire = json.loads(row[1]).get("expire")
        _check_expiry(expire)
        user = users.load(self.store, row[0])
        if user is None:
            raise _token_error(401, "The API token owner does not exists.")
        if user.disabled:
            raise _token_error(401, "The API token is disabled, locked or 2FA is enabled.")
        with self._lock:
            self._tokens[key] = (time.monotonic(), user, expire)
        return user


_TOKEN_CACHE_S = 3600.0


def _check_expiry(expire: Any) -> None:
    """ApiTokenAuthManager#validateTokenExpiry: `expiry <= System.currentTimeMillis()`, so a
    token is already expired in the millisecond its expiry names."""
    if isinstance(expire, int | float) and expire <= now_millis():
        raise _token_error(401, "Failed to authenticate API token, token has expired.")
