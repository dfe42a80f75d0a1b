"""`scdi report`: the figures officials and leaders read, from the server's analytics."""

from __future__ import annotations

import csv
import json
import sys

import click

from scdi.cli.options import get_client, server_options
from scdi.cli.output import handle_errors, table
from scdi.connector.errors import InputError, ServerError
from scdi.connector.report import PublishResult, ReportRequest, ReportResult, publish, refresh_analytics, run_report
from scdi.connector.roster.contract import default_package


def _number(value: float) -> str:
    return f"{int(value):,}".replace(",", " ") if value.is_integer() else f"{value:,.2f}".replace(",", " ")


@click.group(invoke_without_command=True)
@server_options
@click.option("--period", "periods", multiple=True,
              help="A DHIS2 period (2015, 2015Q4, 201512) or relative period (THIS_YEAR); repeatable.")
@click.option("--org-unit", "org_units", multiple=True, help="An org unit UID; repeatable (default: yours).")
@click.option("--level", type=int, help="Break down by this org unit level (1 nation, 2 province, …).")
@click.option("--group", help="A provisioned group's code.")
@click.option("--indicators", help="Comma-separated program indicator codes (default: the field's figures).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
@click.option("--refresh", is_flag=True, help="Update the server's analytics tables first and wait.")
@click.option("--aggregates", is_flag=True,
              help="Read the officials' aggregate data (filled by `scdi report publish`), not the programs.")
@click.pass_context
@handle_errors
def report(ctx: click.Context, periods: tuple[str, ...], org_units: tuple[str, ...], level: int | None,
           group: str | None, indicators: str | None, fmt: str, lang: str, refresh: bool,
           aggregates: bool) -> None:
    """Print figures by org unit and period, labelled in Vietnamese or English.

    `scdi report publish` fills the officials' aggregate data set from the figures."""
    if ctx.invoked_subcommand is not None:
        return
    if not periods:
        raise InputError("no period given", hint="Give --period, e.g. 2015 or THIS_YEAR or 2015Q4.")
    client = get_client(ctx)
    if refresh:
        refresh_analytics(client)
    codes = [c.strip() for c in (indicators or "").split(",") if c.strip()]
    result = run_report(client, default_package(), ReportRequest(
        periods=list(periods), org_units=list(org_units), level=level, group=group, codes=codes,
        lang="en" if lang == "en" else "vi", source="aggregates" if aggregates else "indicators"))
    _print(result, fmt)


def _print(result: ReportResult, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(result.by_code(), ensure_ascii=False, indent=2))
        return
    rows = [(f.label, f.code, f.period, f.org_unit_name, _number(f.value)) for f in result.figures]
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["label", "code", "period", "org_unit", "value"])
        writer.writerows((f.label, f.code, f.period, f.org_unit, f.value) for f in result.figures)
        return
    table(rows, ["figure", "code", "period", "org unit", "value"])


@report.command("publish")
@server_options
@click.option("--period", "periods", multiple=True,
              help="Fill these periods (DHIS2 ids or relative) instead of the exchange's own; repeatable.")
@click.option("--exchange", "code", default="SCDI_FIGURES", show_default=True,
              help="The code of the aggregate data exchange to run.")
@click.option("--refresh", is_flag=True, help="Update the server's analytics tables first and wait.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
@handle_errors
def publish_command(ctx: click.Context, periods: tuple[str, ...], code: str, refresh: bool, fmt: str) -> None:
    """Run the aggregate data exchange now and say what it wrote (from the import summaries)."""
    client = get_client(ctx)
    if refresh:
        refresh_analytics(client)
    result = publish(client, list(periods) or None, code)
    _print_published(result, fmt)
    if result.status == "ERROR":
        failed = [r.name for r in result.requests if r.status == "ERROR"]
        raise ServerError(f"the exchange {result.exchange} failed for {', '.join(failed) or 'every request'}",
                          hint="Read each request's description above; the analytics tables must be "
                               "up to date (--refresh).")


def _print_published(result: PublishResult, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(result.model_dump(), ensure_ascii=False, indent=2))
        return
    table([(r.name, r.status, r.imported, r.updated, r.deleted, r.ignored, r.conflicts, r.description or "")
           for r in result.requests],
          ["request", "status", "imported", "updated", "deleted", "ignored", "conflicts", "description"])
    click.echo(f"{result.exchange}: {result.written} values written for {', '.join(result.periods)}")
