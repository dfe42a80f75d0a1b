"""`scdi sandbox serve`: run the DHIS2 Web API double on loopback for demos and rehearsals."""

from __future__ import annotations

from pathlib import Path

import click

from scdi.cli.output import handle_errors
from scdi.connector.errors import ConfigError
from scdi.upstream.releases import DEFAULT_MINOR


@click.group("sandbox")
def sandbox() -> None:
    """A local DHIS2 double (loopback only) for tests, demos and rehearsals."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Loopback address to bind (127.0.0.1, ::1 or localhost).")
@click.option("--port", default=8080, show_default=True, type=int,
              help="Port; 0 picks a free one.")
@click.option("--state", type=click.Path(dir_okay=False),
              help="SQLite file that keeps the state across restarts (default: in memory).")
@click.option("--version", "version", default=DEFAULT_MINOR, show_default=True,
              type=click.Choice(["2.41", "2.42", "2.43"]), help="DHIS2 release to imitate.")
@click.option("--tree", default="current", show_default=True,
              type=click.Choice(["current", "legacy"]),
              help="Viet Nam org unit tree: after the 2025 reform, or the 63-province one.")
@click.option("--faults", help="Faults to inject, e.g. '503:count=2;reset:rate=0.1,seconds=60'.")
@click.option("--encryption/--no-encryption", default=True, show_default=True,
              help="Whether the imitated server has encryption.password set (without it, "
                   "confidential attribute values are refused with E1112).")
@handle_errors
def serve(host: str, port: int, state: str | None, version: str, tree: str,
          faults: str | None, encryption: bool) -> None:
    """Serve until Ctrl-C; prints the URL and the seeded admin credentials."""
    from scdi.sandbox import seed, server
    from scdi.sandbox.core.faults import FaultSpecError

    def ready(running: server.RunningSandbox) -> None:
        click.echo(f"DHIS2 {running.app.release.example_version} sandbox at {running.url}")
        click.echo(f"Log in as {seed.ADMIN_USERNAME} / {seed.ADMIN_PASSWORD} "
                   "(other seeded users: see sandbox/README.md)")
        if state:
            click.echo(f"State kept in {state}")
        click.echo("Press Ctrl-C to stop.")

    if state and not Path(state).expanduser().resolve().parent.is_dir():
        folder = Path(state).expanduser().resolve().parent
        raise ConfigError(f"--state {state}: the folder {folder} does not exist.",
                          hint=f"Create it first (mkdir -p {folder}), or give a file in an existing folder.")
    try:
        server.serve_forever(host=host, port=port, version=version, state=state, tree=tree,
                             faults=faults, on_ready=ready, encryption=encryption)
    except server.NotLoopbackError as exc:
        raise ConfigError(str(exc), hint="Use --host 127.0.0.1.") from None
    except FaultSpecError as exc:
        raise ConfigError(f"Bad --faults: {exc}",
                          hint="See `scdi sandbox serve --help` and sandbox/README.md.") from None
    except OSError as exc:
        raise ConfigError(f"Cannot listen on {host}:{port}: {exc}",
                          hint="Pick another --port (0 chooses a free one).") from None
