"""`scdi doctor`: connect and report what the server and the user can do."""

from __future__ import annotations

import click

from scdi.cli.options import get_client, server_options
from scdi.cli.output import emit, handle_errors
from scdi.connector.doctor import DoctorReport, run_doctor, support_message


@click.command()
@server_options
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@handle_errors
def doctor(ctx: click.Context, as_json: bool) -> DoctorReport:
    """Check the connection, DHIS2 version, your authorities and confidential storage."""
    report = run_doctor(get_client(ctx))
    emit(report, as_json, _render)
    return report  # not healthy: exit code 1


def _render(report: DoctorReport) -> None:
    click.echo(f"Server:        {report.base_url}")
    click.echo(f"DHIS2 version: {report.server_version} — {support_message(report)}")
    who = f"{report.username} ({report.auth} auth{', superuser' if report.superuser else ''})"
    click.echo(f"You are:       {who}")
    for check in report.authorities:
        state = "all present" if not check.missing else "missing " + ", ".join(check.missing)
        click.echo(f"To {check.purpose + ':':17}{state}")
        if not report.superuser:
            click.echo(f"  needs: {', '.join(check.needed)}")
    click.echo(f"Confidential attributes can be stored: {report.confidential_storage}")
