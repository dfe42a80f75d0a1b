"""`scdi metadata diff | deploy | status`: the package against a live DHIS2 server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from scdi.cli.options import get_client, server_options
from scdi.cli.output import emit, handle_errors, table
from scdi.connector.metadata.deploy import DeployReport, deploy_source
from scdi.connector.metadata.diff import PackageDiff, diff_package
from scdi.connector.metadata.installed import read_record
from scdi.connector.metadata.source import load_source
from scdi.connector.metadata.status import StatusReport, status

_package_option = click.option(
    "--package", "package_path", type=click.Path(exists=True, path_type=Path), default=None,
    help="A package file or metadata source folder (default: the package installed with scdi-groups).")
_json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
_exit_code_option = click.option(
    "--exit-code", "exit_code", is_flag=True,
    help="Exit with 1 when there are differences (as `git diff --exit-code`), 0 when there are none.")


class _Differences:
    """How `diff` and `status` end under --exit-code: not ok (exit code 1) when they found some."""

    def __init__(self, ok: bool) -> None:
        self.ok = ok


@click.command()
@_package_option
@_json_option
@_exit_code_option
@server_options
@handle_errors
def diff(package_path: Path | None, as_json: bool, exit_code: bool) -> _Differences | None:
    """What a deploy would create, update or leave alone, per type and field.

    With --exit-code: 1 when a deploy would change something, 0 when not.
    """
    source = load_source(package_path)
    client = get_client(click.get_current_context())
    record = read_record(client)
    result = diff_package(client, source.package, record.objects if record else None)
    emit(result.to_json(), as_json, lambda _: _render_diff(result))
    return _Differences(not result.changed) if exit_code else None


def _render_diff(result: PackageDiff) -> None:
    table(([t, c.create, c.update, c.unchanged, c.removed] for t, c in sorted(result.by_type().items())),
          ["type", "create", "update", "unchanged", "dropped"])
    for item in result.changed:
        click.echo(f"{item.status.upper():7} {item.type} {item.name!r} [{item.uid}]")
        for change in item.changes:
            click.echo(f"          {change.property}: server {change.server!r} → package {change.package!r}")
    for removed in result.removed:
        where = "still on the server" if removed.on_server else "already gone"
        click.echo(f"DROPPED {removed.type} [{removed.uid}]: not in this package, {where}")


@click.command()
@_package_option
@click.option("--dry-run", is_flag=True, help="Validate on the server (importMode=VALIDATE) and write nothing.")
@click.option("--force", is_flag=True,
              help="Allow deploying an older version than the installed one, or over another package's record.")
@click.option("--overwrite-drift", is_flag=True,
              help="Overwrite objects changed on the server by hand since the last deploy (listed without it).")
@_json_option
@server_options
@handle_errors
def deploy(package_path: Path | None, dry_run: bool, force: bool, overwrite_drift: bool, as_json: bool) -> None:
    """Validate, then import the package (VALIDATE, then COMMIT with atomicMode=ALL) and record it."""
    source = load_source(package_path)
    client = get_client(click.get_current_context())
    # findings: shown by handle_errors
    report = deploy_source(client, source, dry_run=dry_run, force=force, overwrite_drift=overwrite_drift)
    emit(report.to_json(), as_json, lambda _: _render_deploy(report))


def _render_deploy(report: DeployReport) -> None:
    head = f"{report.code} {report.version} on DHIS2 {report.server_version}"
    if report.unchanged_package:
        click.echo(f"{head}: already installed and unchanged; nothing written.")
        return
    verb = "would change" if report.dry_run else "deployed"
    before = f" (was {report.installed_before})" if report.installed_before else " (first install)"
    click.echo(f"{head}{before}: {verb}")
    table(([t, c.create, c.update, c.unchanged] for t, c in sorted(report.types.items())),
          ["type", "create", "update", "unchanged"])
    for key in report.android_keys_written:
        click.echo(f"Android settings key {key}: {'would be' if report.dry_run else ''} merged".replace("  ", " "))
    for old, new in report.mapped_references.items():
        click.echo(f"Mapped instance reference {old} → {new}")
    for item in report.overwritten_drift:
        verb = "would overwrite" if report.dry_run else "overwrote"
        click.echo(f"Drift: {verb} {item.type} {item.name!r} [{item.uid}], changed on the server by hand")
    for note in report.notes:
        click.echo(f"Note: {note}")
    click.echo(f"{report.writes} write request(s), {report.requests} request(s) in all.")


@click.command(name="status")
@_package_option
@_json_option
@_exit_code_option
@server_options
@handle_errors
def status_command(package_path: Path | None, as_json: bool, exit_code: bool) -> _Differences | None:
    """Installed version against this package, and objects changed on the server by hand.

    With --exit-code: 1 unless the server has exactly this package, untouched, with no
    deploy cut off.
    """
    source = load_source(package_path)
    client = get_client(click.get_current_context())
    report = status(client, source.package)
    emit(report.to_json(), as_json, lambda _: _render_status(report))
    return _Differences(report.ok) if exit_code else None


def _render_status(report: StatusReport) -> None:
    click.echo(f"Package: {report.package_code} {report.package_version}")
    cut = report.interrupted
    if cut is not None:
        click.echo(f"Deploy:  a deploy of {cut.version} was interrupted at {cut.step} (started {cut.started_at} "
                   f"by {cut.started_by}); run `scdi metadata deploy` again")
    if report.installed_version is None:
        click.echo("Server:  no completed deploy recorded" if cut else
                   "Server:  not installed (scdi-groups/installed is empty).")
        return
    who = f"{report.installed_code} " if report.relation == "other-package" else ""
    click.echo(f"Server:  {who}{report.installed_version}, deployed {report.installed_at} by {report.installed_by}")
    meaning: dict[str, Any] = {
        "same": "up to date", "upgrade": "this package is newer: deploy to upgrade",
        "server-newer": "the server has a newer version",
        "same-version-different-content": "same version number, different content",
        "other-package": f"the server has another package ({report.installed_code}), not {report.package_code}",
    }
    click.echo(f"State:   {meaning.get(report.relation, report.relation)}")
    since = f"since the deploy of {report.installed_version}"
    if cut is not None:
        since += " (the interrupted deploy may have written part of it)"
    if not report.drift and not report.drift_unknown:
        click.echo("Drift:   none")
    for item in report.drift:
        click.echo(f"Drift:   {item.type} {item.name!r} [{item.uid}] {item.state} on the server {since}")
    if report.drift_unknown and report.relation == "other-package":
        click.echo(f"Drift:   unknown: the installed record is of {report.installed_code}, not this package")
    elif report.drift_unknown:
        click.echo(f"Drift:   unknown for {report.drift_unknown} object(s): this package ships them differently "
                   f"from the installed one; run status with the package of {report.installed_version} to see it")
