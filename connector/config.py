"""Where the connection settings come from: flags, environment, a profile file, dish.json.

Each layer fills only what the layers above it left empty. Credentials never travel from one
server to another: a layer's username, password or token is used only when that layer names
no server, or the same server as the one finally chosen.

`ServerSettings` is the one settings object: the server, the credentials, the timeouts and
the retry policy (`--retries`/`--retry-backoff`, `SCDI_RETRIES`/`SCDI_RETRY_BACKOFF`, or the
profile's `retries`/`retry_backoff`).
"""

from __future__ import annotations

import ipaddress
import json
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from scdi.connector.errors import BASE_URL_SHAPE, ConfigError

PROFILE_FILE = "scdi.toml"
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0

ENV_BASE_URL = "DHIS2_BASE_URL"
ENV_USERNAME = "DHIS2_USERNAME"
ENV_PASSWORD = "DHIS2_PASSWORD"  # noqa: S105 - the variable's name, not a secret
ENV_TOKEN = "DHIS2_TOKEN"  # noqa: S105
ENV_PROFILE = "SCDI_PROFILE"
ENV_RETRIES = "SCDI_RETRIES"
ENV_RETRY_BACKOFF = "SCDI_RETRY_BACKOFF"
ENV_CA_BUNDLE = "REQUESTS_CA_BUNDLE"


class RetryPolicy(BaseModel):
    """How hard to try. Defaults suit a provincial office's connection.

    Which requests are retried (idempotent ones, connection errors for all) is the client's
    rule; this says how often and how long to wait in between."""

    model_config = ConfigDict(frozen=True)

    attempts: int = Field(default=4, ge=1)  # the first try and three retries
    backoff_factor: float = Field(default=0.5, ge=0)  # 0.5 s, 1 s, 2 s … (urllib3: factor * 2 ** (n - 1))
    backoff_jitter: float = Field(default=0.25, ge=0)
    backoff_max: float = Field(default=30.0, ge=0)
    retry_after_cap: float = Field(default=60.0, ge=0)  # a server asking for longer than this gets this

    @classmethod
    def of(cls, retries: int | None = None, backoff: float | None = None) -> RetryPolicy:
        """The default policy with the two knobs a person sets: retries after the first try,
        and the first backoff (jitter follows it: half of it, as in the defaults)."""
        values: dict[str, Any] = {}
        if retries is not None:
            values["attempts"] = retries + 1
        if backoff is not None:
            values.update(backoff_factor=backoff, backoff_jitter=backoff / 2)
        return cls(**values)


class ServerSettings(BaseModel):
    """How to reach one DHIS2 server. Secrets are `SecretStr` so they never print."""

    model_config = ConfigDict(frozen=True)

    base_url: str
    username: str | None = None
    password: SecretStr | None = None
    token: SecretStr | None = None
    # Seconds for one connection attempt; never more than what is left of `read_timeout`.
    connect_timeout: float = Field(default=DEFAULT_CONNECT_TIMEOUT, gt=0)
    # Seconds one call may take in all: connecting, waiting for the answer and any retries
    # (`--timeout`). A hanging server fails after this long, not after it times the retries.
    read_timeout: float = Field(default=DEFAULT_READ_TIMEOUT, gt=0)
    # A CA bundle (PEM) to trust for https:// (`--ca-bundle`, the profile's `ca_bundle`);
    # None: the system's store, or REQUESTS_CA_BUNDLE. Verification is never turned off.
    ca_bundle: str | None = None
    retry: RetryPolicy = RetryPolicy()
    profile: str | None = None
    # Which layer gave the server URL ("flag", "environment", "profile <name> in <file>", ...).
    source: str = "flag"
    # Things the user should hear about (a password in a world-readable file, ...).
    notices: tuple[str, ...] = ()

    @field_validator("base_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        return check_base_url(value)

    @property
    def auth_kind(self) -> str:
        return "token" if self.token else ("basic" if self.username else "none")

    @property
    def on_loopback(self) -> bool:
        return is_loopback(urlsplit(self.base_url).hostname or "")


def check_base_url(value: str) -> str:
    """The base URL in its one spelling (no trailing slash, no /api), or ValueError saying
    what is wrong with it."""
    url = value.strip().rstrip("/")
    if not url:
        raise ValueError("the DHIS2 base URL is empty")
    if url.endswith("/api"):
        url = url[: -len("/api")]
    if "://" not in url:
        raise ValueError(f"{url!r} has no http:// or https://")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"{url!r} starts with {parts.scheme}://; DHIS2 speaks http:// or https://")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port outside 0-65535
    except ValueError:
        raise ValueError(f"{url!r} has a port that does not exist (ports are 1 to 65535)") from None
    if not parts.hostname:
        raise ValueError(f"{url!r} names no server")
    if parts.query or parts.fragment:
        raise ValueError(f"{url!r} has a query or fragment (?… or #…)")
    if "/api/" in parts.path + "/" and not parts.path.endswith("/api"):
        raise ValueError(f"{url!r} includes /api/ (the base URL stops before /api)")
    return url


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _one_line(exc: ValidationError) -> tuple[str, str | None]:
    """A pydantic error as one sentence (and a hint), without its links and input echoes."""
    parts, hint = [], None
    for error in exc.errors():
        field = ".".join(map(str, error["loc"])) or "settings"
        text = str(error["msg"]).removeprefix("Value error, ")
        if field == "base_url":
            hint = BASE_URL_SHAPE
            parts.append(text)
        else:
            parts.append(f"{field}: {text.lower()}" if text[:1].isupper() else f"{field}: {text}")
    return "; ".join(parts), hint


class _Layer(BaseModel):
    name: str
    base_url: str | None = None
    username: str | None = None
    password: str | None = None
    token: str | None = None
    connect_timeout: float | None = None
    read_timeout: float | None = None
    retries: int | None = None
    retry_backoff: float | None = None
    ca_bundle: str | None = None


def resolve_settings(
    flags: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    config_home: Path | None = None,
    home: Path | None = None,
) -> ServerSettings:
    """Merge the four layers into the settings for one server.

    `flags` uses the keys base_url, username, password, token, profile, connect_timeout,
    read_timeout, retries, retry_backoff and ca_bundle; None values count as not given.

    Files are read only when they are needed: scdi.toml when a profile is named or the flags
    and the environment leave the server or its credentials open, dish.json when that is
    still so after the profile. A broken file that is not needed stops nothing.
    """
    flags = {k: v for k, v in (flags or {}).items() if v is not None and v != ""}
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    home = home or Path.home()
    config_home = config_home or Path(env.get("XDG_CONFIG_HOME") or home / ".config")

    notices: list[str] = []
    layers = [
        _Layer(name="flag", **{k: flags.get(k) for k in _Layer.model_fields if k != "name"}),
        _Layer(
            name="environment",
            base_url=env.get(ENV_BASE_URL),
            username=env.get(ENV_USERNAME),
            password=env.get(ENV_PASSWORD),
            token=env.get(ENV_TOKEN),
            retries=_number(env, ENV_RETRIES, int),
            retry_backoff=_number(env, ENV_RETRY_BACKOFF, float),
        ),
    ]
    profile_name = flags.get("profile") or env.get(ENV_PROFILE)
    profile_layer = None
    if profile_name or not _complete(layers):
        profile_layer = _profile_layer(profile_name, [cwd / PROFILE_FILE, config_home / "scdi" / PROFILE_FILE],
                                       notices)
        if profile_layer is not None:
            layers.append(profile_layer)
    if not _complete(layers):
        dish = _dish_layer(env, home, notices)
        if dish is not None:
            layers.append(dish)

    chosen = next((layer for layer in layers if layer.base_url), None)
    if chosen is None:
        raise ConfigError("No DHIS2 server is configured.")
    try:
        base_url = check_base_url(chosen.base_url or "")
    except ValueError as exc:
        raise ConfigError(f"Bad DHIS2 base URL from {chosen.name}: {exc}.", hint=BASE_URL_SHAPE) from None

    def pick(field: str, *, credential: bool) -> Any:
        for layer in layers:
            value = getattr(layer, field)
            if value in (None, ""):
                continue
            if credential and layer.base_url and _normalise(layer.base_url) != base_url:
                continue  # never send one server's secrets to another
            return value
        return None

    token = pick("token", credential=True)
    username = pick("username", credential=True)
    password = pick("password", credential=True)
    if token and layers[0].username and not layers[0].token:
        token = None  # an explicit --username wins over a token from a lower layer
    if username and not password and not token:
        raise ConfigError(
            f"A username is set but no password for {base_url}.",
            hint=f"Pass --password, set {ENV_PASSWORD}, or use a personal access token ({ENV_TOKEN}).",
        )
    connect_timeout, read_timeout = pick("connect_timeout", credential=False), pick("read_timeout", credential=False)
    try:
        settings = ServerSettings(
            base_url=base_url,
            username=None if token else username,
            password=SecretStr(password) if password and not token else None,
            token=SecretStr(token) if token else None,
            connect_timeout=DEFAULT_CONNECT_TIMEOUT if connect_timeout is None else connect_timeout,
            read_timeout=DEFAULT_READ_TIMEOUT if read_timeout is None else read_timeout,
            retry=RetryPolicy.of(pick("retries", credential=False), pick("retry_backoff", credential=False)),
            ca_bundle=_ca_bundle(pick("ca_bundle", credential=False)),
            profile=profile_layer.name.split(" ")[1] if profile_layer else None,
            source=chosen.name,
            notices=tuple(notices),
        )
    except ValidationError as exc:
        message, hint = _one_line(exc)
        raise ConfigError(f"Bad server settings from {chosen.name}: {message}.", hint=hint) from None
    if settings.auth_kind == "basic" and base_url.lower().startswith("http://") and not settings.on_loopback:
        settings = settings.model_copy(update={"notices": (*settings.notices, (
            f"the password goes to {base_url} over plain http://, readable by anyone on the way; "
            "use https:// (or a personal access token over https://)."))})
    return settings


def _complete(layers: list[_Layer]) -> bool:
    """Whether the layers so far name a server and credentials for it."""
    chosen = next((layer for layer in layers if layer.base_url), None)
    if chosen is None:
        return False
    url = _normalise(chosen.base_url or "")
    mine = [layer for layer in layers if not layer.base_url or _normalise(layer.base_url) == url]
    return any(layer.token for layer in mine) or (
        any(layer.username for layer in mine) and any(layer.password for layer in mine))


def _ca_bundle(value: Any) -> str | None:
    if value is None:
        return None
    path = Path(str(value)).expanduser()
    if not path.is_file():
        raise ConfigError(f"The CA bundle {path} does not exist.",
                          hint="Give the PEM file of the certificate (or its CA) that the server presents.")
    return str(path)


def _number(env: Mapping[str, str], name: str, kind: type[int] | type[float]) -> Any:
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise ConfigError(f"{name}={text!r} is not a number.",
                          hint=f"Set {name} to a {'whole ' if kind is int else ''}number, or unset it.") from None


def _normalise(url: str) -> str:
    url = url.strip().rstrip("/")
    return url[: -len("/api")] if url.endswith("/api") else url


def _profile_layer(name: str | None, candidates: list[Path], notices: list[str]) -> _Layer | None:
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        if name:
            raise ConfigError(
                f"Profile {name!r} was asked for but no {PROFILE_FILE} was found.",
                hint=f"Create {candidates[0]} or {candidates[-1]} with a [profiles.{name}] table.",
            )
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the profile file: {exc.strerror or exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib says where: "Expected '=' after a key in a key/value pair (at line 3, column 5)"
        raise ConfigError(f"{path}: not valid TOML: {exc}.",
                          hint="Fix the file, or move it away; flags and the environment work without it.") from None
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: `profiles` must be a table of named profiles.")
    chosen = name or data.get("default_profile") or ("default" if "default" in profiles else None)
    if chosen is None:
        return None
    section = profiles.get(chosen)
    if not isinstance(section, dict):
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigError(f"{path}: no profile named {chosen!r} (profiles there: {known}).")
    if section.get("password") or section.get("token"):
        _warn_if_readable(path, notices)
    allowed = {"base_url", "username", "password", "token", "connect_timeout", "read_timeout", "retries",
               "retry_backoff", "ca_bundle"}
    unknown = set(section) - allowed
    if unknown:
        raise ConfigError(
            f"{path}: profile {chosen!r} has unknown keys: {', '.join(sorted(unknown))}.",
            hint=f"Allowed keys: {', '.join(sorted(allowed))}.",
        )
    try:
        return _Layer(name=f"profile {chosen} in {path}", **section)
    except ValidationError as exc:
        message, _ = _one_line(exc)
        raise ConfigError(f"{path}: profile {chosen!r}: {message}.") from None


def _dish_layer(env: Mapping[str, str], home: Path, notices: list[str]) -> _Layer | None:
    """dhis2.py's auth file: $DHIS_HOME/dish.json, else ~/dish.json."""
    folder = env.get("DHIS_HOME")
    path = Path(folder) / "dish.json" if folder else home / "dish.json"
    if not path.is_file():
        return None
    shape = 'It must look like {"dhis": {"baseurl": "...", "username": "...", "password": "..."}}.'
    try:
        section = json.loads(path.read_text(encoding="utf-8"))["dhis"]
        layer = _Layer(
            name=f"dish.json at {path}",
            base_url=section["baseurl"],
            username=section.get("username"),
            password=section.get("password"),
        )
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}).",
                          hint=shape) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        missing = f" (no {exc.args[0]!r})" if isinstance(exc, KeyError) else ""
        raise ConfigError(f"{path}: not a valid dish.json{missing}.", hint=shape) from None
    if layer.password:
        _warn_if_readable(path, notices)
    return layer


def _warn_if_readable(path: Path, notices: list[str]) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        notices.append(f"{path} holds a password or token and other users can read it; run `chmod 600 {path}`.")
