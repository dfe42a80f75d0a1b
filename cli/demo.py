"""`scdi demo`: the whole first stage, end to end, on the built-in DHIS2 sandbox.

It starts the sandbox in this process (loopback only, synthetic data), checks it like an
administrator would (`doctor`), validates the metadata package with DHIS2's own engines,
deploys it (dry run, then for real, then again to show that nothing is rewritten) and shows
provisions a few peer groups, signs in as one of their leaders to show what the leader's phone
downloads, writes a group's roster template and validates a synthetic roster (and a copy with
mistakes), syncs a synthetic group's roster with DHIS2 (push, an edit on each side, a merge with
a conflict, a pull), shows the field's figures from that group's records (stale until the
analytics tables are refreshed, then as the leader and, after the aggregate data exchange, as
officials read them), and shows what an official finds.

The demo is the one place that wires the sandbox to the connector; each step is a library
call (`scdi.connector.views` for what a leader and an official see), and this module only
orders them and renders their results.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

import click
from pydantic import BaseModel, Field, SecretStr

from scdi.cli.output import emit, handle_errors
from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.doctor import probe_confidential_storage, run_doctor, support_message
from scdi.connector.metadata.deploy import deploy_source
from scdi.connector.metadata.source import load_source
from scdi.connector.metadata.validate import validate_source
from scdi.connector.provision.demo import demo_groups
from scdi.connector.report.demo import demo_report
from scdi.connector.roster.demo import demo_rosters
from scdi.connector.sync.demo import demo_sync
from scdi.connector.views import LeaderView, OfficialView, official_view

NOT_BUILT_YET: tuple[str, ...] = ()


class Step(BaseModel):
    name: str
    ok: bool
    summary: str
    details: list[str] = Field(default_factory=list)


class DemoReport(BaseModel):
    sandbox_url: str
    dhis2_version: str
    steps: list[Step]
    not_built_yet: list[str] = Field(default_factory=lambda: list(NOT_BUILT_YET))

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)


def run_demo(client: Dhis2Client, sandbox_url: str, on_step: Callable[[Step], None] | None = None) -> DemoReport:
    """Run every step against `client`; stop at the first step that fails."""
    steps: list[Step] = []

    def record(step: Step) -> bool:
        steps.append(step)
        if on_step:
            on_step(step)
        return step.ok

    doctor = run_doctor(client)
    if not record(
        Step(
            name="doctor",
            ok=doctor.healthy,
            summary=f"DHIS2 {doctor.server_version}, {support_message(doctor)}; signed in as {doctor.username}",
            details=[f"confidential attributes can be stored: {doctor.confidential_storage}"],
        )
    ):
        return DemoReport(sandbox_url=sandbox_url, dhis2_version=doctor.server_version, steps=steps)

    item = load_source()
    block = item.package.get("package", {})
    validation = validate_source(item, engines=None)
    counts = validation.summary()
    engines = (
        ", ".join(f"{name} {version}" for name, version in validation.engines.items() if version)
        or "not started (no rules or indicators to check)"
    )
    ok = record(
        Step(
            name="validate",
            ok=validation.ok,
            summary=f"{block.get('code')} {block.get('version')}: {validation.objects} objects, "
            f"{counts.get('ERROR', 0)} errors, {counts.get('WARNING', 0)} warnings, "
            f"{validation.rule_cases} rule test cases run",
            details=[f"engines: {engines}"]
            + [f.one_line() for f in validation.findings if f.severity.value == "ERROR"],
        )
    )
    if not ok:
        return DemoReport(sandbox_url=sandbox_url, dhis2_version=doctor.server_version, steps=steps)

    for name, dry_run in (("deploy --dry-run", True), ("deploy", False), ("deploy again", False)):
        report = deploy_source(client, item, dry_run=dry_run, validate_first=False)
        created = sum(c.create for c in report.types.values())
        updated = sum(c.update for c in report.types.values())
        if report.unchanged_package:
            summary = f"already installed and unchanged: {report.writes} write requests"
        else:
            verb = "would create" if dry_run else "created"
            summary = f"{verb} {created} and updated {updated} objects in {report.writes} write requests"
        record(Step(name=name, ok=True, summary=summary, details=list(report.notes)))

    storage = probe_confidential_storage(client)
    record(Step(name="confidential storage", ok=storage == "ok", summary=storage))
    groups = demo_groups(client)
    record(Step(**groups.model_dump(exclude={"leader"})))
    record(_leader_step(groups.leader, groups.leader_view))
    with tempfile.TemporaryDirectory(prefix="scdi-demo-") as folder:
        record(Step(**demo_rosters(Path(folder), "HP-KNTC").model_dump()))
        synced = demo_sync(client, Path(folder), "HP-KNTC")
        record(Step(**synced.model_dump()))
    record(Step(**demo_report(client, "HP-KNTC", 2025).model_dump()))
    record(_official_step(official_view(client)))
    return DemoReport(sandbox_url=sandbox_url, dhis2_version=doctor.server_version, steps=steps)


def _leader_step(username: str | None, view: LeaderView | None) -> Step:
    """The programs and forms Android Capture downloads for a provisioned group leader, in Vietnamese."""
    if username is None or view is None:
        return Step(name="group leader", ok=False, summary="no provisioned leader signed in")
    details = []
    for program in view.programs:
        stages = ", ".join(stage.name + (" (lặp lại)" if stage.repeatable else "") for stage in program.stages)
        details.append(f"{program.name}: {stages}" if stages else program.name)
    return Step(name="group leader", ok=bool(view.programs),
                summary=f"{username} signs in: {len(view.programs)} programs on the phone", details=details)


def _official_step(view: OfficialView) -> Step:
    """The dashboards and line lists an official opens in DHIS2's Dashboard app."""
    details = [f"{d.name} ({d.items} items)" for d in view.dashboards]
    details.append(f"{view.program_indicators} program indicators behind them")
    return Step(name="official", ok=True, summary=f"{len(view.dashboards)} dashboards", details=details)


@click.command()
@click.option(
    "--version",
    "dhis2_version",
    type=click.Choice(["2.41", "2.42", "2.43"]),
    default="2.42",
    show_default=True,
    help="DHIS2 release the sandbox answers as.",
)
@click.option(
    "--tree",
    type=click.Choice(["current", "legacy"]),
    default="current",
    show_default=True,
    help="Viet Nam's org unit tree: after the 2025 reform, or the one before it.",
)
@click.option("--keep-running", is_flag=True, help="Keep the sandbox serving afterwards (Ctrl-C to stop).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@handle_errors
def demo(dhis2_version: str, tree: str, keep_running: bool, as_json: bool) -> DemoReport:
    """Rehearse the first stage on the built-in DHIS2 sandbox (synthetic data only)."""
    from scdi.sandbox.server import start  # the demo is the sandbox's one caller outside tests

    # The sandbox's per-request log would drown the demo's own lines.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    running = start(version=dhis2_version, tree=tree)
    try:
        if not as_json:
            click.echo(
                f"scdi demo: DHIS2 {dhis2_version} sandbox at {running.url} (admin / district), synthetic data only"
            )
        settings = ServerSettings(base_url=running.url, username="admin", password=SecretStr("district"))
        with Dhis2Client(settings) as client:
            report = run_demo(client, running.url, on_step=None if as_json else _print_step)
        emit(report, as_json, _render_end)
        if keep_running and not as_json:
            click.echo(f"The sandbox keeps serving at {running.url}; press Ctrl-C to stop.")
            _wait_forever()
    finally:
        running.stop()
    return report


def _print_step(step: Step) -> None:
    mark = "ok " if step.ok else "FAILED"
    click.echo(f"[{mark}] {step.name}: {step.summary}")
    for line in step.details:
        click.echo(f"       {line}")


def _render_end(report: DemoReport) -> None:
    if report.not_built_yet:
        click.echo("Not built yet (next stage): " + "; ".join(report.not_built_yet) + ".")
    else:
        click.echo("Every stage of the product is built: groups, rosters, sync and reports.")


def _wait_forever() -> None:
    import threading

    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("Stopping the sandbox.")
