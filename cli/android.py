"""`scdi android check`: replay DHIS2 Android Capture's sync as one user and say what the phone
would show and why a sync would fail. `scdi android onboard`: the hand-out sheets of a group's
leaders."""

from __future__ import annotations

from pathlib import Path

import click
from pydantic import SecretStr

from scdi.cli.options import get_client, get_settings, server_options
from scdi.cli.output import emit, handle_errors, table
from scdi.connector.android.findings import TABLE_HEADERS
from scdi.connector.android.onboard import OnboardReport, onboard
from scdi.connector.android.report import AndroidReport
from scdi.connector.android.run import check_android
from scdi.connector.client import Dhis2Client


@click.group()
def android() -> None:
    """What group leaders' phones (DHIS2 Android Capture) get from the server."""


@android.command()
@server_options
@click.option("--user", "user", required=True, help="The username the phone signs in with.")
@click.option("--upload", is_flag=True, help="Also upload a synthetic member with an attendance event, then delete it.")
@click.option("--org-unit", help="Org unit (uid) for the uploaded record; default: the user's first capture org unit.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@handle_errors
def check(ctx: click.Context, user: str, upload: bool, org_unit: str | None, as_json: bool) -> AndroidReport:
    """Replay the Android SDK's login, metadata and record download as USER.

    The password is that user's: --password, or asked for (never read from a profile)."""
    settings = get_settings(ctx)
    flags = ctx.meta.get("server_flags", {})
    password = flags.get("password") or click.prompt(f"Password of {user}", hide_input=True)
    as_user = settings.model_copy(update={"username": user, "password": SecretStr(password), "token": None})
    with Dhis2Client(as_user) as client:
        report = check_android(client, upload=upload, org_unit=org_unit)
    emit(report, as_json, _render)
    return report


def _render(report: AndroidReport) -> None:
    click.echo(f"Server:  {report.base_url} (DHIS2 {report.server_version or '?'})")
    click.echo(f"User:    {report.username}: {report.capture_org_units} capture, {report.search_org_units} search "
               f"org units; {report.org_units_downloaded} org units on the phone")
    click.echo(f"Settings App entries: {'read' if report.settings_app else 'none'}; {report.requests} requests")
    if report.programs:
        click.echo("\nOn the phone:")
        table([(p.name, "tracker" if p.registration else "events", ", ".join(s.name for s in p.stages),
                p.tracked_entities, p.events, p.download_limit) for p in report.programs],
              ("program", "type", "stages", "records", "events", "limit"))
    if report.upload is not None:
        u = report.upload
        state = "succeeded" if u.ok else "failed: " + ", ".join(u.errors)
        click.echo(f"\nUpload in the SDK's shape {state} (job {u.job}, {u.polls} polls; "
                   f"{'deleted afterwards' if u.cleaned_up else 'left on the server'})")
    if report.findings:
        click.echo("\nWhat the SDK would hit:")
        table([f.table_row() for f in report.findings], TABLE_HEADERS)
    click.echo("\n" + ("The phone would sync." if report.ok else "The phone would not sync as it should."))


@android.command("onboard")
@server_options
@click.option("--group", "group_code", required=True, help="The group's code, as in the registry.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write: one page per leader.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--with-password", is_flag=True,
              help="Give each leader a new temporary password, printed on their page only (the file is owner-only).")
@click.option("--server-url", help="The address phones use, when it differs from --base-url.")
@click.option("--font", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A TTF font with Vietnamese letters (default: DejaVu Sans from the system).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@handle_errors
def onboard_command(ctx: click.Context, group_code: str, output: Path, lang: str, with_password: bool,
                    server_url: str | None, font: Path | None, as_json: bool) -> OnboardReport:
    """Hand-out sheets for a group's leaders: the server address as a QR code Android Capture
    scans, the username, the first sign-in and what to do when sync fails."""
    report = onboard(get_client(ctx), group_code, output, lang=lang, with_password=with_password,
                     server_url=server_url, font=font)
    emit(report, as_json, _render_onboard)
    return report


def _render_onboard(report: OnboardReport) -> None:
    click.echo(f"{report.file}: {len(report.leaders)} page(s) for {report.group_name} ({report.group_code}), "
               f"in {'Vietnamese' if report.lang == 'vi' else 'English'}: {', '.join(report.leaders)}")
    if report.passwords_set:
        click.echo("New temporary passwords are on the sheets only; the file is readable by you alone.")
