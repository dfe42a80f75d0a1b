"""Connection options shared by every command that talks to DHIS2."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import click

from scdi.cli.output import notice
from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings, resolve_settings

F = TypeVar("F", bound=Callable[..., Any])

_KEY = "server_flags"


def server_options(func: F) -> F:
    """Adds --base-url/--username/--password/--token/--profile/--timeout/--ca-bundle/--retries/
    --retry-backoff to a command.

    The values are stashed on the context; `get_client(ctx)` turns them into a client, so a
    command that fails before it needs the server never asks for credentials.
    """
    options = [
        click.option("--base-url", help="DHIS2 address, without /api [env DHIS2_BASE_URL]."),
        click.option("--username", "-u", help="DHIS2 username [env DHIS2_USERNAME]."),
        click.option("--password", help="DHIS2 password [env DHIS2_PASSWORD]; prefer the environment."),
        click.option("--token", help="Personal access token [env DHIS2_TOKEN]; prefer the environment."),
        click.option("--profile", help="Named profile from scdi.toml [env SCDI_PROFILE]."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                     help="Seconds one request may take in all, retries included (default 60)."),
        click.option("--ca-bundle", type=click.Path(dir_okay=False),
                     help="PEM file of a CA (or the server's own certificate) to trust for https:// "
                          "[env REQUESTS_CA_BUNDLE]."),
        click.option("--retries", type=click.IntRange(min=0),
                     help="Retries of a request that failed on the way (default 3) [env SCDI_RETRIES]."),
        click.option("--retry-backoff", type=click.FloatRange(min=0),
                     help="Seconds before the second retry, doubling after (default 0.5; 0: retry at once) "
                          "[env SCDI_RETRY_BACKOFF]."),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        ctx.meta[_KEY] = {
            "base_url": kwargs.pop("base_url"),
            "username": kwargs.pop("username"),
            "password": kwargs.pop("password"),
            "token": kwargs.pop("token"),
            "profile": kwargs.pop("profile"),
            "read_timeout": kwargs.pop("timeout"),
            "retries": kwargs.pop("retries"),
            "retry_backoff": kwargs.pop("retry_backoff"),
            "ca_bundle": kwargs.pop("ca_bundle"),
        }
        return func(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return cast(F, wrapper)


def get_settings(ctx: click.Context) -> ServerSettings:
    settings = resolve_settings(ctx.meta.get(_KEY, {}))
    for message in settings.notices:
        notice(message)
    return settings


def get_client(ctx: click.Context) -> Dhis2Client:
    client = Dhis2Client(get_settings(ctx))
    ctx.call_on_close(client.close)
    return client
