"""The only module that speaks HTTP to DHIS2.

Built on dhis2.py's `Api` (its URL handling and `requests.Session`) and filling its gaps:
every request has a timeout (dhis2.py honours one only on GET), idempotent requests are
retried with backoff, jitter and `Retry-After` (urllib3's `Retry` behind requests'
`HTTPAdapter`, as the settings' `RetryPolicy` says), a POST is retried only when the caller
declares it idempotent, personal access tokens go out as `Authorization: ApiToken …`, and
DHIS2's answers become typed errors (`answers`). Collections come page by page in the
release's page envelope (`pages`, `items`); the import endpoints answer typed reports
(`import_metadata`, `import_tracker`). Nothing logged here carries a body, a password, a token
or a query value.
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

import requests
from dhis2 import Api
from dhis2.exceptions import ClientException
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.exceptions import MaxRetryError, ReadTimeoutError, ResponseError
from urllib3.util.retry import Retry
from urllib3.util.timeout import Timeout

from scdi.connector.answers import connection_error, error_for, tls_error, wrong_address
from scdi.connector.config import RetryPolicy, ServerSettings
from scdi.connector.errors import (
    BASE_URL_SHAPE,
    WRITE_TIMED_OUT_HINT,
    ConfigError,
    Conflict,
    NotFound,
    RequestTimedOut,
    ServerError,
    Unreachable,
    UnsupportedServer,
    WrongAddress,
)
from scdi.connector.logsafe import install_urllib3_redaction, safe_params
from scdi.connector.paging import DEFAULT_PAGE_SIZE, Envelope, Page, envelope_for, walk_pages
from scdi.connector.reports import MetadataImportReport, TrackerImportReport
from scdi.connector.version import __version__
from scdi.upstream.releases import SUPPORTED_WINDOW, Release, Support, release_for

log = logging.getLogger(__name__)

USER_AGENT = f"scdi-groups/{__version__}"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_ALL_METHODS = _SAFE_METHODS | {"POST", "PATCH"}
_IDEMPOTENT_MARK = "scdi_idempotent"  # set on each PreparedRequest for _RoutingAdapter
# When the call now being sent must be over (time.monotonic()); read by the retry rules.
_DEADLINE: ContextVar[float | None] = ContextVar("scdi_deadline", default=None)


class _CappedRetry(Retry):
    """urllib3's Retry, but a `Retry-After` longer than the cap is cut to the cap, and no
    retry starts that could not finish before the call's deadline."""

    retry_after_cap: float = 60.0

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.retry_after_cap)

    def new(self, **kw: Any) -> _CappedRetry:
        fresh: _CappedRetry = super().new(**kw)
        fresh.retry_after_cap = self.retry_after_cap
        return fresh

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> _CappedRetry:
        fresh = super().increment(method, url, response, error, _pool, _stacktrace)
        deadline = _DEADLINE.get()
        if deadline is not None:
            wait = self.get_retry_after(response) if response is not None else None
            wait = fresh.get_backoff_time() if wait is None else wait
            if time.monotonic() + wait >= deadline:
                # As urllib3 does when the retries run out: the last answer or error stands.
                status = getattr(response, "status", "")
                reason = error or ResponseError(f"gave up before the deadline (status {status})")
                raise MaxRetryError(_pool, url or "", reason) from reason
        assert isinstance(fresh, _CappedRetry)
        return fresh


class _DeadlineTimeout(Timeout):
    """Connect and read timeouts that never reach past the call's deadline: urllib3 clones
    the timeout for every attempt, and each clone gets what is left."""

    def __init__(self, connect: float, read: float, deadline: float) -> None:
        left = max(deadline - time.monotonic(), 0.001)
        super().__init__(connect=min(connect, left), read=min(read, left))
        self.limits = (connect, read)
        self.deadline = deadline

    def clone(self) -> _DeadlineTimeout:
        return _DeadlineTimeout(*self.limits, self.deadline)


def _retry(policy: RetryPolicy, methods: frozenset[str]) -> _CappedRetry:
    retries = max(policy.attempts - 1, 0)
    retry = _CappedRetry(
        total=retries,
        # Connection errors happen before anything is sent, so they are safe for every method.
        connect=retries,
        # A read error or a bad status may follow a request the server already applied:
        # only methods in `methods` are retried then.
        read=retries if methods else 0,
        status=retries,
        other=0,
        allowed_methods=methods,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=policy.backoff_factor,
        backoff_jitter=policy.backoff_jitter,
        backoff_max=policy.backoff_max,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    retry.retry_after_cap = policy.retry_after_cap
    return retry


class _RoutingAdapter(BaseAdapter):
    """Sends each request through the adapter whose retry rules fit it.

    urllib3 decides retries per adapter, not per request; the client marks each prepared
    request as idempotent or not and this adapter picks accordingly.
    """

    def __init__(self, policy: RetryPolicy) -> None:
        super().__init__()
        self.idempotent = HTTPAdapter(max_retries=_retry(policy, _ALL_METHODS))
        self.careful = HTTPAdapter(max_retries=_retry(policy, _SAFE_METHODS))

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | Timeout | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        chosen = self.idempotent if getattr(request, _IDEMPOTENT_MARK, False) else self.careful
        return chosen.send(request, stream=stream, timeout=timeout,  # type: ignore[arg-type]
                           verify=verify, cert=cert, proxies=proxies)

    def close(self) -> None:
        self.idempotent.close()
        self.careful.close()


class Dhis2Client:
    """A DHIS2 Web API client. Paths are relative to `/api/` (e.g. `"metadata"`)."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.retry_policy: RetryPolicy = settings.retry
        install_urllib3_redaction()
        password = settings.password.get_secret_value() if settings.password else ""
        try:
            self._api = Api(settings.base_url, settings.username or "", password, user_agent=USER_AGENT)
        except ClientException as exc:  # dhis2.py's own URL checks; the settings make most of them
            raise ConfigError(f"{settings.base_url} is not a DHIS2 base URL: {exc}.", hint=BASE_URL_SHAPE) from None
        session = self._api.session
        if settings.ca_bundle:
            session.verify = settings.ca_bundle
        if settings.token is not None:
            session.auth = None
            session.headers["Authorization"] = f"ApiToken {settings.token.get_secret_value()}"
        elif not settings.username:
            session.auth = None
        session.headers["Accept"] = "application/json"
        session.headers["User-Agent"] = USER_AGENT
        # DHIS2 answers a browser-looking request without credentials with a redirect to its
        # login page; this header asks for the API's 401 instead (security entry points).
        session.headers["X-Requested-With"] = "XMLHttpRequest"
        adapter = _RoutingAdapter(self.retry_policy)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self._session = session
        self._system_info: dict[str, Any] | None = None
        self._me: dict[str, Any] | None = None
        self._answered = False  # the server has answered a request with 2xx at least once

    # -- context manager -----------------------------------------------------------------

    def __enter__(self) -> Dhis2Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # -- identity and version ------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.settings.base_url

    @property
    def api_url(self) -> str:
        return str(self._api.api_url)

    @property
    def username(self) -> str:
        return str(self.me().get("username", self.settings.username or ""))

    def system_info(self) -> dict[str, Any]:
        if self._system_info is None:
            try:
                info = self.get("system/info")
            except NotFound:
                raise wrong_address(self.base_url, f"{self.api_url}/system/info") from None
            if not isinstance(info, dict) or "version" not in info:
                raise ServerError(
                    f"{self.base_url} does not answer like DHIS2 (no version in /api/system/info).",
                    hint="Check the base URL: it is the address you open DHIS2 at, without /api.",
                )
            self._system_info = info
        return self._system_info

    @property
    def server_version(self) -> str:
        return str(self.system_info()["version"])

    @property
    def release(self) -> Release:
        """The row of the DHIS2 release table for this server; unsupported servers raise."""
        found = release_for(self.server_version)
        if found is None or found.support is Support.UNSUPPORTED:
            raise UnsupportedServer(
                f"{self.base_url} runs DHIS2 {self.server_version}; scdi-groups supports {SUPPORTED_WINDOW}."
            )
        return found

    def check_version(self) -> Support:
        """SUPPORTED or WARN; raises UnsupportedServer outside the window."""
        release = self.release
        if release.support is Support.WARN:
            log.warning(
                "DHIS2 %s is outside the supported window (%s); it should work, but is not tested.",
                self.server_version,
                SUPPORTED_WINDOW,
            )
        return release.support

    def me(self) -> dict[str, Any]:
        if self._me is None:
            me = self.get(
                "me",
                params={"fields": "id,username,authorities,organisationUnits[id],userRoles[id,name]"},
            )
            self._me = me if isinstance(me, dict) else {}
        return self._me

    # -- HTTP ------------------------------------------------------------------------------

    def open_status(self, path: str) -> int | None:
        """The status of GET /api/{path} sent without credentials, as an app asks before sign-in
        (`loginConfig`, `ping`); None when nothing answers. Redirects are not followed."""
        try:
            response = requests.get(f"{self.api_url}/{path.lstrip('/')}", allow_redirects=False,
                                    timeout=(self.settings.connect_timeout, self.settings.read_timeout),
                                    verify=self._session.verify, headers={"User-Agent": USER_AGENT})
        except requests.RequestException:
            return None
        return response.status_code

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(
        self,
        path: str,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool = False,
    ) -> Any:
        return self.request("POST", path, params=params, json=json, idempotent=idempotent)

    def put(self, path: str, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("PUT", path, params=params, json=json, idempotent=True)

    def patch(
        self,
        path: str,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        *,
        idempotent: bool = False,
    ) -> Any:
        return self.request(
            "PATCH",
            path,
            params=params,
            json=json,
            idempotent=idempotent,
            content_type="application/json-patch+json",
        )

    def delete(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("DELETE", path, params=params, idempotent=True)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Send one request (with retries where safe) and return the parsed JSON body.

        Non-2xx answers raise a typed `ServerError`; an empty body returns None.
        """
        response = self.raw(method, path, params=params, json=json, idempotent=idempotent, content_type=content_type)
        return _parse_body(response, method, path)

    def raw(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        content_type: str | None = None,
    ) -> requests.Response:
        """Like `request`, but returns the `requests.Response` of a 2xx answer."""
        method = method.upper()
        url = f"{self.api_url}/{path.lstrip('/')}"
        headers = {"Content-Type": content_type} if content_type and json is not None else None
        try:
            prepared = self._session.prepare_request(
                requests.Request(method, url, params=params, json=json, headers=headers)
            )
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema) as exc:
            raise ConfigError(f"{self.base_url} is not a DHIS2 base URL ({exc.__class__.__name__}).",
                              hint=BASE_URL_SHAPE) from None
        is_idempotent = method in _SAFE_METHODS if idempotent is None else idempotent
        setattr(prepared, _IDEMPOTENT_MARK, is_idempotent)
        limit = self.settings.read_timeout
        started = time.monotonic()
        timeout = _DeadlineTimeout(self.settings.connect_timeout, limit, started + limit)
        # An explicit CA bundle wins over REQUESTS_CA_BUNDLE (requests would let the variable win).
        settings = self._session.merge_environment_settings(prepared.url, {}, None, self.settings.ca_bundle, None)
        where = f"{method} /api/{path.lstrip('/')}"
        timed_out = RequestTimedOut(
            f"DHIS2 did not answer {where} within {limit:g} s (retries included).", url=path,
            hint=None if method in ("GET", "HEAD", "OPTIONS") else WRITE_TIMED_OUT_HINT)
        token = _DEADLINE.set(started + limit)
        try:
            response: requests.Response = self._session.send(
                prepared, timeout=timeout, allow_redirects=False, **settings
            )
        except requests.exceptions.ConnectTimeout:
            raise Unreachable(f"Could not connect to {self.base_url} (gave up after "
                              f"{time.monotonic() - started:.0f} s).") from None
        except requests.exceptions.ReadTimeout:
            raise timed_out from None
        except requests.exceptions.SSLError as exc:
            raise tls_error(str(exc), self.base_url, self.settings.ca_bundle) from None
        except requests.exceptions.ConnectionError as exc:
            if _timed_out_reading(exc):
                raise timed_out from None
            if not self._answered and self.base_url.lower().startswith("http://") and _speaks_tls(self.base_url):
                raise WrongAddress(
                    f"{self.base_url} speaks TLS: the base URL probably starts with https://, not http://.",
                    hint="Use " + "https://" + self.base_url[len("http://"):] + " as the base URL.") from None
            raise connection_error(str(exc), exc.__class__.__name__, self.base_url, method, path,
                                   is_idempotent) from None
        finally:
            _DEADLINE.reset(token)
        log.debug(
            "%s /api/%s%s -> %s in %.0f ms",
            method,
            path.lstrip("/"),
            safe_params(params),
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if response.status_code >= 300:
            if response.status_code == 400 and b"plain HTTP request was sent to HTTPS port" in response.content[:4000]:
                raise WrongAddress(
                    f"{self.base_url} is a TLS port: the base URL probably starts with https://, not http://.",
                    hint="Use " + "https://" + self.base_url[len("http://"):] + " as the base URL.")
            if response.status_code == 404 and not self._answered and path.lstrip("/") != "system/info":
                self.system_info()  # a 404 there too: the base URL is wrong, not the object missing
            raise error_for(response.status_code, response.reason or "", response.headers, _error_body(response),
                            method, path, self.base_url)
        self._answered = True
        return response

    # -- collections, page by page ------------------------------------------------------------

    def pages(
        self,
        path: str,
        key: str | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_pages: int | None = None,
    ) -> Iterator[Page]:
        """Every page of a collection, one request each, as the caller reads on.

        `key`: the list's name in the answer (default: the path's last part, `programs` for
        `programs`, `trackedEntities` for `tracker/trackedEntities`). Tracker exporters answer
        in the envelope of the server's release (the release table); metadata collections in
        DHIS2's `pager`. `params` must not turn paging off."""
        return walk_pages(self.get, path, key, params, self.page_envelope(path), page_size=page_size,
                          max_pages=max_pages)

    def items(
        self,
        path: str,
        key: str | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_pages: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every item of a collection, across its pages (see `pages`)."""
        for page in self.pages(path, key, params, page_size=page_size, max_pages=max_pages):
            yield from page.items

    def page_envelope(self, path: str) -> Envelope:
        """How the answer to GET `path` is paged on this server."""
        return envelope_for(path, lambda: self.release)

    # -- imports, answered with typed reports ----------------------------------------------------

    def import_metadata(self, payload: Any, params: Mapping[str, Any] | None = None) -> MetadataImportReport:
        """POST /api/metadata. A refused import (409) is the report DHIS2 sent, status not OK;
        the connection, credentials and the server's failures still raise. Sent as idempotent:
        a package's objects carry fixed UIDs, so a retried import imports the same objects."""
        try:
            body = self.post("metadata", json=payload, params=params, idempotent=True)
        except Conflict as exc:
            return MetadataImportReport.from_body(exc.body)
        return MetadataImportReport.from_body(body)

    def import_tracker(self, payload: Any, params: Mapping[str, Any] | None = None) -> TrackerImportReport:
        """POST /api/tracker, synchronously. A refused import (409) is the report, status not
        OK. Idempotent only because callers send client-generated UIDs."""
        query = {**(params or {}), "async": "false"}
        try:
            body = self.post("tracker", json=payload, params=query, idempotent=True)
        except Conflict as exc:
            return TrackerImportReport.from_body(exc.body)
        return TrackerImportReport.from_body(body)

    # -- small conveniences used across the connector ---------------------------------------

    def datastore_get(self, namespace: str, key: str) -> Any | None:
        """A datastore value, or None when the key does not exist."""
        try:
            return self.get(f"dataStore/{namespace}/{key}")
        except NotFound:
            return None

    def datastore_put(self, namespace: str, key: str, value: Any) -> None:
        """Create or replace a datastore value (PUT on an existing key, POST on a new one)."""
        try:
            self.put(f"dataStore/{namespace}/{key}", json=value)
        except NotFound:
            self.post(f"dataStore/{namespace}/{key}", json=value, idempotent=True)


def _parse_body(response: requests.Response, method: str, path: str) -> Any:
    if not response.content:
        return None
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type:
        if "html" in content_type:
            raise ServerError(
                f"{method} /api/{path} answered with a web page, not JSON.",
                status=response.status_code,
                hint="Check the base URL: it is the address you open DHIS2 at, without /api.",
            )
        return response.text
    try:
        return response.json()
    except ValueError:
        raise ServerError(f"{method} /api/{path} answered with malformed JSON.", status=response.status_code) from None


def _error_body(response: requests.Response) -> Any:
    if "json" not in response.headers.get("Content-Type", ""):
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _speaks_tls(base_url: str, timeout: float = 2.0) -> bool:
    """Whether something at the base URL's host and port completes a TLS handshake: only to
    name a likely http:// for https:// mix-up; nothing is sent over it."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "", parts.port or 80
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # a probe that sends nothing; real requests always verify
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host or None):
            return True
    except (OSError, ValueError):
        return False


def _timed_out_reading(exc: requests.exceptions.ConnectionError) -> bool:
    """requests reports a read timeout that outlived its retries as a ConnectionError."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, ReadTimeoutError)
