"""`scdi roster push | pull | sync | sync-all`: a group's roster file and DHIS2 tracker, kept the same.

A thin layer over `scdi.connector.sync`: options in, a report out (a table for people, JSON for
machines), exit code 1 when rows were invalid or refused or a conflict is still open.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from scdi.cli.options import get_client, server_options
from scdi.cli.output import emit, handle_errors, table
from scdi.connector.sync.engine import SyncReport, iter_actions
from scdi.connector.sync.engine import run as run_sync
from scdi.connector.sync.run import SyncAllReport, sync_all

KIND = click.Choice(["member", "outreach"])
PREFER = click.Choice(["roster", "server"])
LANG = click.Choice(["vi", "en"])


def _common(func: Any) -> Any:
    for option in reversed([
        click.option("--group", "group", required=True, help="The group's code (its org unit's code)."),
        click.option("--kind", type=KIND, default="member", show_default=True,
                     help="member: groups and clubs; outreach: a counselling point's or outreach team's sessions."),
        click.option("--state", "state", type=click.Path(file_okay=False, path_type=Path),
                     help="The ledger folder [default: the user's data folder]."),
        click.option("--json", "as_json", is_flag=True, help="Print the plan and summary as JSON."),
        click.option("--lang", type=LANG, help="Language of messages [default: the file's, else vi]."),
        click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="Judge dates as of this day (rehearsals), YYYY-MM-DD."),
    ]):
        func = option(func)
    return func


class _Progress:
    """A bar per sheet (and a count of batches) on stderr, shown only on a terminal and only once
    the run has taken a second, so quick runs print nothing extra."""

    WIDTH = 30

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet or not sys.stderr.isatty()
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, what: str, done: int, total: int | None) -> None:
        if self.quiet or time.monotonic() - self.started < 1.0:
            return
        if total:
            filled = int(self.WIDTH * done / total)
            line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {what}"
        else:
            line = f"{what}: {done}"
        click.echo(f"\r{line:<72}", nl=False, err=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("", err=True)


def _run(file: Path, group: str, direction: str, *, kind: str, state: Path | None, as_json: bool,
         lang: str | None, today: datetime | None, **options: Any) -> SyncReport:
    client = get_client(click.get_current_context())
    progress = _Progress(as_json)
    try:
        report = run_sync(client, file, group, direction, kind=kind, state_dir=state, lang=lang,  # type: ignore[arg-type]
                          progress=progress, today=today.date() if today else None, **options)
    finally:
        progress.close()
    emit(report.to_json(), as_json, lambda _: render(report))
    return report


@click.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@_common
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@click.option("--allow-removals", is_flag=True, help="Delete on the server the records whose rows left the file.")
@click.option("--no-engines", is_flag=True, help="Skip the program rules (they need Node.js).")
@server_options
@handle_errors
def push(file: Path, group: str, kind: str, state: Path | None, as_json: bool, lang: str | None,
         today: datetime | None, dry_run: bool, allow_removals: bool, no_engines: bool) -> SyncReport:
    """Validate FILE and send its rows to DHIS2 (the file gets only the new rows' hidden UIDs)."""
    return _run(file, group, "push", kind=kind, state=state, as_json=as_json, lang=lang, today=today, dry_run=dry_run,
                allow_removals=allow_removals, engines=not no_engines)


@click.command()
@_common
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="The roster to write: a new file, or an existing one updated in place.")
@click.option("--redact", is_flag=True, help="Leave confidential columns (alias, phone) empty.")
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@server_options
@handle_errors
def pull(output: Path, group: str, kind: str, state: Path | None, as_json: bool, lang: str | None,
         today: datetime | None, redact: bool, dry_run: bool) -> SyncReport:
    """Write the group's records from DHIS2 into a roster (what leaders entered on Android too)."""
    return _run(output, group, "pull", kind=kind, state=state, as_json=as_json, lang=lang, today=today, redact=redact,
                dry_run=dry_run)


@click.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@_common
@click.option("--prefer", type=PREFER, help="Resolve conflicts this way (otherwise they stay open, on the "
              "Conflicts sheet).")
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@click.option("--allow-removals", is_flag=True, help="Delete on the server the records whose rows left the file.")
@click.option("--no-engines", is_flag=True, help="Skip the program rules (they need Node.js).")
@server_options
@handle_errors
def sync(file: Path, group: str, kind: str, state: Path | None, as_json: bool, lang: str | None,
         today: datetime | None, prefer: str | None, dry_run: bool, allow_removals: bool,
         no_engines: bool) -> SyncReport:
    """Three-way merge of FILE and DHIS2 against the last sync: each side gets the other's changes."""
    return _run(file, group, "sync", kind=kind, state=state, as_json=as_json, lang=lang, today=today, prefer=prefer,
                dry_run=dry_run, allow_removals=allow_removals, engines=not no_engines)


@click.command("sync-all")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--jobs", "jobs", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Groups synced at a time.")
@click.option("--kind", type=KIND, default="member", show_default=True)
@click.option("--state", "state", type=click.Path(file_okay=False, path_type=Path),
              help="The ledger folder [default: the user's data folder].")
@click.option("--prefer", type=PREFER, help="Resolve conflicts this way.")
@click.option("--no-engines", is_flag=True, help="Skip the program rules (they need Node.js).")
@click.option("--json", "as_json", is_flag=True, help="Print one summary per group and the total as JSON.")
@server_options
@handle_errors
def sync_all_command(folder: Path, jobs: int, kind: str, state: Path | None, prefer: str | None,
                     no_engines: bool, as_json: bool) -> SyncAllReport:
    """Sync every roster in FOLDER (one file per group, named by its group code)."""
    client = get_client(click.get_current_context())

    def line(summary: dict[str, Any]) -> None:
        if not as_json:
            click.echo(_line(summary))

    report = sync_all(client, folder, jobs=jobs, kind=kind, state_dir=state, prefer=prefer,  # type: ignore[arg-type]
                      engines=not no_engines, on_group=line)
    emit(report.to_json(), as_json, lambda _: click.echo(
        f"total: {report.total['groups']} groups, {report.total['failed']} failed, "
        + ", ".join(f"{k} {v}" for k, v in report.total["counts"].items() if v)
        + f", {report.total['writes']} write requests"))
    return report


def _line(summary: dict[str, Any]) -> str:
    if summary.get("error"):
        return f"{summary['group']}: failed — {summary['error']}"
    counts = ", ".join(f"{k} {v}" for k, v in summary["counts"].items() if v) or "nothing"
    return f"{summary['group']}: {counts}; {summary['writes']} writes" + ("" if summary["ok"] else " (see report)")


def render(report: SyncReport) -> None:
    verb = {"push": "Push", "pull": "Pull", "sync": "Sync"}[report.direction]
    click.echo(f"{verb} {report.file} ⇄ {report.server}, group {report.group}"
               + (" (dry run: nothing written)" if report.dry_run else ""))
    table(list(iter_actions(report)) or [("unchanged", 0)], ["action", "records"])
    shown = [r for r in report.rows if r.action != "unchanged"][:50]
    if shown:
        click.echo("")
        table([(r.sheet, r.row or "", r.action, ", ".join(r.to_server), ", ".join(r.to_file),
                ", ".join(r.conflicts)) for r in shown], ["sheet", "row", "action", "to server", "to file",
                                                          "conflicts"])
        if len(report.rows) > len(shown):
            click.echo(f"… and {len(report.rows) - len(shown)} more (--json lists all)")
    for finding in report.findings:
        click.echo(finding.one_line())
    summary = report.summary()
    click.echo(f"{summary['writes']} write request(s); {summary['openConflicts']} open conflict(s); "
               f"{summary['errors']} error(s)" + ("; the file was updated" if report.file_written else ""))
