"""`scdi roster …`: the roster contract, the template, and validation of filled rosters."""

from __future__ import annotations

import contextlib
import sys
from datetime import date
from pathlib import Path

import click

from scdi.cli.output import emit, handle_errors, table
from scdi.connector.errors import EXIT_FINDINGS
from scdi.connector.roster import (
    RosterContract,
    RosterReport,
    VerdictFile,
    default_verdict_file,
    load_contract,
    validate_roster,
    write_roster,
)

KIND = click.Choice(["member", "outreach"])
LANG = click.Choice(["vi", "en"])


@click.group()
def roster() -> None:
    """Roster spreadsheets: the columns, the template, validation, and sync with DHIS2."""


@roster.command()
@click.option("--kind", type=KIND, default="member", show_default=True,
              help="member: groups and clubs; outreach: counselling points and outreach teams.")
@click.option("--json", "as_json", is_flag=True, help="Print the contract as JSON.")
@handle_errors
def columns(kind: str, as_json: bool) -> None:
    """The sheets and columns of a roster, derived from the metadata package."""
    contract = load_contract(kind)  # type: ignore[arg-type]
    emit(contract.to_json(), as_json, lambda _: _render_contract(contract))


def _render_contract(contract: RosterContract) -> None:
    click.echo(f"Roster ({contract.kind}) from {contract.package.code} {contract.package.version}")
    for sheet in contract.sheets:
        click.echo(f"\n{sheet.key}: {sheet.vi} / {sheet.en}")
        table([(c.key, c.vi, c.value_type, "yes" if c.required else "", "yes" if c.confidential else "",
                len(c.options) or "") for c in sheet.columns if not c.hidden],
              ["key", "vi", "type", "required", "confidential", "options"])


@roster.command()
@click.option("--group", "group", required=True, help="The group's code (recorded in the file).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the .xlsx file.")
@click.option("--lang", type=LANG, default="vi", show_default=True, help="Language of headers and instructions.")
@click.option("--kind", type=KIND, default="member", show_default=True)
@handle_errors
def template(group: str, output: Path, lang: str, kind: str) -> None:
    """Write an empty roster for a group, with drop-downs and instructions."""
    written = write_roster(load_contract(kind), output, lang=lang, group=group)  # type: ignore[arg-type]
    click.echo(f"Wrote {written.path}: {len(written.sheets)} sheets, package "
               f"{written.package['code']} {written.package['version']}, group {group}, {lang}.")


@roster.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--group", help="Check that the file was made for this group.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary and findings as JSON.")
@click.option("--lang", type=LANG, help="Language of the messages [default: the file's, else vi].")
@click.option("--kind", type=KIND, help="Roster kind [default: the file's].")
@click.option("--no-engines", is_flag=True, help="Skip the program rules (they need Node.js).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Judge dates as of this day (rehearsals), YYYY-MM-DD.")
@click.option("--fresh", is_flag=True,
              help="Judge every record with the program rules again, not only those changed today.")
@handle_errors
def validate(file: Path, group: str | None, as_json: bool, lang: str | None, kind: str | None,
             no_engines: bool, today: object, fresh: bool) -> None:
    """Check a filled roster (XLSX, CSV, or a folder of CSV files). Exit code 1 on any error.

    The rule engine's answers are kept for the day in the user's data folder, so validating again
    after a fix judges only the records whose values changed."""
    day = today.date() if hasattr(today, "date") else None
    with contextlib.ExitStack() as stack:
        store = None if fresh or no_engines else stack.enter_context(VerdictFile(default_verdict_file()))
        report = validate_roster(file, group=group, lang=lang, kind=kind,  # type: ignore[arg-type]
                                 today=day if isinstance(day, date) else None, engines=not no_engines,
                                 verdicts=store)
    emit(report.to_json(), as_json, lambda _: _render_report(report))
    if not report.ok:
        sys.exit(EXIT_FINDINGS)


def _render_report(report: RosterReport) -> None:
    click.echo(f"Validated {report.file} ({report.kind}, package {report.package['code']} "
               f"{report.package['version']}" + (f", group {report.group}" if report.group else "") + ")")
    table([(s.name, s.read, s.valid, s.invalid, s.blank) for s in report.sheets],
          ["sheet", "read", "valid", "invalid", "blank"])
    if report.findings:
        click.echo("")
    for finding in report.findings:
        click.echo(finding.one_line())
    summary = report.summary()
    click.echo(f"{summary['errors']} error(s), {summary['warnings']} warning(s), {summary['infos']} note(s)"
               + ("" if report.ok else " — fix the errors before syncing."))


def _sync_commands() -> None:
    from scdi.cli.roster_sync import pull, push, sync, sync_all_command

    for command in (push, pull, sync, sync_all_command):
        roster.add_command(command)


_sync_commands()
