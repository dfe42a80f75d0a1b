"""What DHIS2's answers mean: a status code and a WebMessage, or a broken connection, become
one typed error.

No HTTP here (the client sends and receives); this reads what came back: the status, its
reason phrase, the headers and the parsed JSON body, if any. Messages quote DHIS2's own words
(`message` of a WebMessage), never a raw body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scdi.connector.errors import (
    BASE_URL_SHAPE,
    BadCredentials,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    ServerError,
    ServerFailure,
    Unreachable,
    WrongAddress,
)

_ERRORS: dict[int, type[ServerError]] = {
    400: BadRequest,
    401: BadCredentials,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
}


def error_for(status: int, reason: str, headers: Mapping[str, str], body: Any, method: str, path: str,
              base_url: str) -> ServerError:
    """The error for a non-2xx answer to `method /api/path`."""
    where = f"{method} /api/{path.lstrip('/')}"
    if 300 <= status < 400:
        location = headers.get("Location", "")
        if "login" in location:
            return BadCredentials(
                f"{base_url} sent {where} to its login page: no valid credentials were given.",
                status=status,
                url=path,
            )
        return ServerError(
            f"{where} was redirected ({status}); scdi-groups does not follow redirects.",
            status=status,
            url=path,
            hint="Use the final address of the server as the base URL (e.g. https:// instead of http://).",
        )
    web_message = body if isinstance(body, dict) else {}
    error_code = web_message.get("errorCode") if isinstance(web_message.get("errorCode"), str) else None
    if status == 409:
        # An import conflict: DHIS2's own message is generic ("One or more errors occurred…");
        # the details are in the report, which callers map to objects. Object-level messages
        # can quote attribute values, so none is put in this message.
        message = f"DHIS2 refused {where} (409 Conflict)."
    else:
        server_text = web_message.get("message")
        detail = f": {server_text}" if isinstance(server_text, str) and server_text else ""
        message = f"DHIS2 answered {status} {reason} to {where}{detail}".rstrip()
    error_class = _ERRORS.get(status) or (ServerFailure if status >= 500 else ServerError)
    hint = None
    if status == 400 and _is_token_problem(web_message.get("message")):
        # ApiTokenResolver answers 400 for a malformed token or a bad checksum: the token is
        # wrong, not the request.
        error_class = BadCredentials
        hint = "The personal access token is malformed: copy it again whole from DHIS2 (it starts with d2p_)."
    return error_class(message, status=status, error_code=error_code, url=path, body=body, hint=hint)


def connection_error(text: str, kind: str, base_url: str, method: str, path: str, idempotent: bool) -> ServerError:
    """The error for a connection that failed (`text`: the exception's words, `kind`: its class)."""
    after_send = any(
        marker in text for marker in ("Connection aborted", "RemoteDisconnected", "reset by peer", "BadStatusLine")
    )
    if after_send and not idempotent:
        return Unreachable(
            f"The connection to {base_url} broke after {method} /api/{path} was sent.",
            hint="DHIS2 may have applied the request before the connection broke: check the "
            "server before sending it again.",
        )
    if "Connection refused" in text:
        return Unreachable(f"Could not reach {base_url}: nothing answers on that port (connection refused).")
    if any(marker in text for marker in ("NameResolutionError", "Name or service not known", "nodename nor servname",
                                         "getaddrinfo failed", "Temporary failure in name resolution")):
        return Unreachable(f"Could not reach {base_url}: its server name is not found (DNS).",
                           hint="Check the spelling of the server name in the base URL, and the network connection.")
    return Unreachable(f"Could not reach {base_url} ({kind}).")


def wrong_address(base_url: str, tried: str) -> WrongAddress:
    """`/api/system/info`, which every DHIS2 has, is not at the base URL."""
    return WrongAddress(
        f"{base_url} does not look like the base URL of a DHIS2 server: {tried} answered 404 Not Found.",
        hint=f"{BASE_URL_SHAPE} Include the server's context path if it has one (…/dhis), and check its spelling.",
        status=404, url="system/info")


def tls_error(text: str, base_url: str, ca_bundle: str | None) -> ServerError:
    """The error for a TLS handshake that failed (`text`: the SSLError's words)."""
    if "CERTIFICATE_VERIFY_FAILED" in text:
        if "Hostname mismatch" in text or "doesn't match" in text or "IP address mismatch" in text:
            return Unreachable(f"{base_url} presented a certificate for another name.",
                               hint="Use the server name the certificate was made for in the base URL.")
        why = ("a self-signed certificate" if "self-signed" in text or "self signed" in text
               else "an expired certificate" if "expired" in text
               else "a certificate from an authority this computer does not know")
        trusted = f" (the CA bundle {ca_bundle} does not vouch for it)" if ca_bundle else ""
        return Unreachable(
            f"{base_url} presented {why}{trusted}, so the connection was refused.",
            hint="If the certificate is your server's own, trust it: pass --ca-bundle /path/to/its-ca.pem "
                 "(or set REQUESTS_CA_BUNDLE). Certificate checks stay on.")
    plain = ("WRONG_VERSION_NUMBER", "wrong version number", "record layer failure", "http request",
             "packet length too long", "unknown protocol")
    if any(marker in text for marker in plain):
        return WrongAddress(
            f"{base_url} does not speak TLS: the base URL probably starts with http://, not https://.",
            hint="Use " + "http://" + base_url.split("://", 1)[-1] + " as the base URL if that server has no "
                 "TLS (to another machine, passwords then cross the network readable).")
    return Unreachable(f"The TLS handshake with {base_url} failed.",
                       hint="Check the base URL's scheme and port, and the server's TLS set-up.")


def _is_token_problem(message: Any) -> bool:
    text = str(message or "")
    return "Api token" in text or "Checksum validation failed" in text


__all__ = ["connection_error", "error_for", "tls_error", "wrong_address"]
