"""`scdi groups template | provision | list`: peer groups from a registry onto DHIS2."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, Any

import click

from scdi.cli.options import get_client, server_options
from scdi.cli.output import emit, handle_errors, table, to_jsonable
from scdi.connector.errors import EXIT_FINDINGS, InputError, ValidationFailed
from scdi.connector.provision.apply import ProvisionReport
from scdi.connector.provision.findings import Finding
from scdi.connector.provision.listing import GroupList, list_groups
from scdi.connector.provision.plan import Action, GroupPlan, ProvisionPlan
from scdi.connector.provision.run import provision as run_provision
from scdi.connector.provision.template import write_template

_json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


@click.group()
def groups() -> None:
    """Peer groups: the registry template, provisioning, and what the server has."""


@groups.command()
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the empty registry (.xlsx).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the headers and drop-downs (both are accepted when reading).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@handle_errors
def template(output: Path, lang: str, force: bool) -> None:
    """Write an empty registry: headers, drop-downs for coded columns, an instructions sheet."""
    if output.exists() and not force:
        raise InputError("the file exists; a filled registry is never overwritten", file=str(output),
                         hint="Choose another name, or pass --force.")
    path = write_template(output, lang)
    click.echo(f"Wrote {path} ({lang}): fill one row per group, then run `scdi groups provision {path} --dry-run`.")


@groups.command()
@click.argument("registry", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the plan (checked by DHIS2 with importMode=VALIDATE) and write "
              "nothing.")
@click.option("--passwords-to", "passwords_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write new leaders' temporary passwords to this CSV (username,password; mode 600) instead of "
              "showing them.")
@_json_option
@server_options
@handle_errors
def provision(registry: Path, dry_run: bool, passwords_to: Path | None, as_json: bool) -> None:
    """Create or update each group of REGISTRY (.xlsx or .csv): org unit, programs, record, user group, leader."""
    client = get_client(click.get_current_context())
    sink = _open_private(passwords_to) if passwords_to and not dry_run else None
    try:
        report = run_provision(client, registry, dry_run=dry_run, allow_new_passwords=not as_json or sink is not None)
    except ValidationFailed as exc:
        _discard(sink, passwords_to)
        for finding in exc.findings:
            click.echo(finding.one_line() if isinstance(finding, Finding) else str(finding), err=True)
        raise
    except BaseException:
        _discard(sink, passwords_to)
        raise
    if sink is not None:
        _write_passwords(sink, report)
        if not report.credentials:
            _discard(None, passwords_to)
    emit(_report_json(report), as_json, lambda _: _render(report, passwords_to if sink else None))
    if not report.ok:
        sys.exit(EXIT_FINDINGS)


@groups.command(name="list")
@_json_option
@server_options
@handle_errors
def list_command(as_json: bool) -> None:
    """The provisioned groups: province, commune, leader, active, members, last meeting, last roster sync."""
    result = list_groups(get_client(click.get_current_context()))
    emit(result, as_json, lambda _: _render_list(result))


# --- passwords ------------------------------------------------------------------------------


def _open_private(path: Path) -> IO[str]:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError("the passwords file exists; it is never overwritten", file=str(path),
                         hint="Give a new file name.") from None
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def _write_passwords(sink: IO[str], report: ProvisionReport) -> None:
    import csv

    with sink:
        writer = csv.writer(sink)
        writer.writerow(["username", "password"])
        for credential in report.credentials:
            writer.writerow([credential.username, credential.password.get_secret_value()])


def _discard(sink: IO[str] | None, path: Path | None) -> None:
    if sink is not None:
        sink.close()
    if path is not None and path.exists():
        path.unlink()


# --- rendering ------------------------------------------------------------------------------


def _report_json(report: ProvisionReport) -> dict[str, Any]:
    data = to_jsonable(report)
    data["counts"] = report.plan.counts
    data["new_accounts"] = [c.username for c in report.credentials]
    return dict(data)


def _summary(group: GroupPlan) -> str:
    if group.action is Action.CREATE:
        parts = dict.fromkeys(c.part for c in group.changes)
        return ", ".join(parts)
    return ", ".join(dict.fromkeys(f"{c.field} ({c.part})" if c.part not in c.field else c.field
                                   for c in group.changes))


def _render_plan(plan: ProvisionPlan) -> None:
    levels = ", ".join(f"{k} {v}" for k, v in plan.levels.items() if v is not None)
    where = f"{plan.registry}" + (f" (sheet {plan.sheet})" if plan.sheet else "")
    click.echo(f"Registry {where} against {plan.server} (DHIS2 {plan.dhis2_version}); levels: {levels}")
    table(([g.row, g.group_code or "", g.action.value,
            " / ".join(p for p in (g.province, g.commune) if p), g.leader or "", _summary(g)] for g in plan.groups),
          ["row", "group", "action", "place", "leader", "changes"])
    click.echo(" · ".join(f"{action} {count}" for action, count in plan.counts.items()))
    for change in plan.changes:
        click.echo(f"Also: {change.part} {change.field}: {change.after}")


def _render_findings(findings: list[Finding]) -> None:
    if not findings:
        return
    click.echo("Findings:")
    for finding in findings:
        text = finding.one_line().split(" — candidates: ")[0]
        click.echo(f"  {text}")
        for candidate in finding.candidates:
            click.echo(f"      candidate: {candidate.path} [{candidate.code or candidate.uid}]")


def _render(report: ProvisionReport, passwords_file: Path | None) -> None:
    _render_plan(report.plan)
    seen = set(report.plan.all_findings())
    _render_findings([*report.plan.all_findings(), *(f for f in report.findings if f not in seen)])
    for note in [*report.plan.notes, *report.notes]:
        click.echo(f"Note: {note}")
    click.echo(f"{report.writes} write request(s), {report.requests} request(s) in all.")
    if report.credentials and passwords_file is not None:
        click.echo(f"{len(report.credentials)} new leader account(s): temporary passwords written to "
                   f"{passwords_file} (mode 600). Give each leader their own, privately.")
    elif report.credentials:
        click.echo("New leader accounts and their temporary passwords (shown once; give each leader their own, "
                   "privately, and ask them to change it at first login):")
        table(([c.username, c.password.get_secret_value()] for c in report.credentials), ["username", "password"])


def _render_list(result: GroupList) -> None:
    table(([g.group_code, g.group_name or "", g.province or "", g.commune or "",
            (g.leader or "") + (" (disabled)" if g.leader_disabled else ""), "yes" if g.active else "no",
            g.members, g.last_meeting or "", g.last_roster_sync or ""] for g in result.groups),
          ["group", "name", "province", "commune", "leader", "active", "members", "last meeting", "last roster sync"])
    click.echo(f"{len(result.groups)} group(s) on {result.server}")
