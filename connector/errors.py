"""The one exception tree of scdi-groups.

Every error a user can meet is an `ScdiError`: its message says what went wrong and where,
`hint` says what to do, and `exit_code` is what the CLI returns (0 ok, 1 findings or
validation errors, 2 usage, 3 server or connection; 130 when interrupted with Ctrl-C).
Messages never carry secrets, names, phone numbers or member codes.
"""

from __future__ import annotations

from typing import Any

from scdi.connector.findings import Finding

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_SERVER = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C

BASE_URL_SHAPE = (
    "A base URL is the address you open DHIS2 at, without /api: "
    "https://dhis2.example.org or http://localhost:8080/dhis."
)


class ScdiError(Exception):
    """Base of every error scdi-groups raises on purpose."""

    exit_code: int = EXIT_FINDINGS
    default_hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def __str__(self) -> str:
        return self.message

    def one_line(self) -> str:
        """The message and the hint on one line, as the CLI prints it."""
        return f"{self.message} — {self.hint}" if self.hint else self.message


# --- configuration and input -------------------------------------------------------------


class ConfigError(ScdiError):
    """Missing or contradictory settings (server URL, credentials, profile)."""

    exit_code = EXIT_USAGE
    default_hint = (
        "Pass --base-url/--username/--password (or --token), set DHIS2_BASE_URL, or add a profile to scdi.toml."
    )


class InputError(ScdiError):
    """A file the user gave us is wrong; names the file, row and field where it can."""

    exit_code = EXIT_FINDINGS

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ", ".join(
            part
            for part in (
                file,
                f"row {row}" if row is not None else None,
                f"field {field!r}" if field else None,
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.file = file
        self.row = row
        self.field = field


class ValidationFailed(ScdiError):
    """Validation produced errors; the findings travel with the exception."""

    exit_code = EXIT_FINDINGS
    default_hint = "Fix the findings listed above, then run the command again."

    def __init__(self, message: str, *, findings: list[Finding] | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.findings: list[Finding] = list(findings or [])


class EngineUnavailable(ScdiError):
    """Node or the DHIS2 npm engines are not installed."""

    exit_code = EXIT_USAGE
    default_hint = "Install Node.js 18+ and run `npm ci` in the scdi-groups folder (the set-up script does both)."


class DowngradeRefused(ScdiError):
    """The server has a newer package version than the one being deployed."""

    exit_code = EXIT_FINDINGS
    default_hint = "Deploy the newer package, or pass --force if you really mean to go back."


class OtherPackageInstalled(ScdiError):
    """The server's installed record is of another package."""

    exit_code = EXIT_FINDINGS
    default_hint = ("Deploy that package instead, or pass --force to replace its record with this package's "
                    "(its objects stay on the server).")


# --- talking to DHIS2 ----------------------------------------------------------------------


class ServerError(ScdiError):
    """Base for anything DHIS2 (or the network to it) answered badly."""

    exit_code = EXIT_SERVER
    default_hint = "Check the server's logs, or try again later."

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_code: str | None = None,
        url: str | None = None,
        body: Any = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.error_code = error_code
        self.url = url
        # The parsed JSON body (a WebMessage or an import report), kept for callers that
        # map reports back to objects; never printed raw.
        self.body = body


class Unreachable(ServerError):
    default_hint = "Check the server URL and your network connection; is DHIS2 running?"


class WrongAddress(ServerError):
    """The base URL does not lead to DHIS2's Web API: a path typo, https:// to a plain-HTTP
    server or http:// to a TLS one. A setting to fix, so a usage error."""

    exit_code = EXIT_USAGE
    default_hint = BASE_URL_SHAPE


class RequestTimedOut(ServerError):
    default_hint = "The server did not answer in time: try again later, or allow more time with --timeout."


WRITE_TIMED_OUT_HINT = (
    "A write may still have been applied: check before retrying, or allow more time with --timeout."
)


class DeployInterrupted(ServerError):
    """A deploy stopped after it began writing; the server may hold part of it."""

    default_hint = "Run `scdi metadata deploy` again: it sends only what is still missing."


class BadCredentials(ServerError):
    default_hint = "Check the username and password, or the personal access token (DHIS2_TOKEN)."


class Forbidden(ServerError):
    default_hint = "Ask a DHIS2 administrator for the missing authority or sharing; `scdi doctor` lists what is needed."


class NotFound(ServerError):
    default_hint = "Check the UID or path; the object may have been deleted on the server."


class BadRequest(ServerError):
    default_hint = (
        "The server rejected the request's parameters; this is likely a bug in scdi-groups, please report it."
    )


class Conflict(ServerError):
    """409: DHIS2 refused an import; `report` holds the parsed import report."""

    default_hint = "Read the import report above: each error names the object and property to fix."

    @property
    def report(self) -> Any:
        if isinstance(self.body, dict) and isinstance(self.body.get("response"), dict):
            return self.body["response"]
        return self.body


class ServerFailure(ServerError):
    """5xx: DHIS2 itself failed."""


class UnsupportedServer(ServerError):
    default_hint = "Upgrade the server, or use a scdi-groups release made for its DHIS2 version."
