"""`scdi metadata validate`: check a package before anyone imports it."""

from __future__ import annotations

from pathlib import Path

import click

from scdi.cli.output import emit, handle_errors
from scdi.connector.metadata.validate import ValidationReport, validate_path


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--no-engines", is_flag=True,
              help="Skip the checks that need Node.js (rule expressions, indicators, rule tests).")
@click.option("--errors-only", is_flag=True, help="List errors only (the summary still counts all).")
@click.option("--dhis2-version", type=click.Choice(["2.41", "2.42", "2.43"]), default=None,
              help="The DHIS2 release to validate for (default: the package's own minimum).")
@handle_errors
def validate(path: Path | None, as_json: bool, no_engines: bool, errors_only: bool,
             dhis2_version: str | None) -> ValidationReport:
    """Check a metadata package: PATH is a package file (ours or any DHIS2 export) or the
    metadata source folder; without PATH, the package installed with scdi-groups.

    Exit code 1 when there are errors.
    """
    report = validate_path(path, engines=not no_engines, dhis2_version=dhis2_version)
    if as_json:
        emit(report.to_json(), True)
    else:
        _render(report, errors_only, engines=not no_engines)
    return report  # errors: exit code 1


def _render(report: ValidationReport, errors_only: bool, *, engines: bool) -> None:
    label = " ".join(str(report.package.get(k, "")) for k in ("code", "version")).strip()
    embedded = f" (and {report.embedded} nested in them)" if report.embedded else ""
    cases = (f"{report.rule_cases} rule test cases run" if engines
             else f"{report.rule_cases} rule test cases not run (--no-engines)")
    click.echo(f"Validated {report.source}" + (f" ({label})" if label else "")
               + f" for DHIS2 {report.dhis2_version}: {report.objects} objects{embedded}, {cases}")
    for finding in report.findings:
        if errors_only and finding.severity.value != "ERROR":
            continue
        click.echo(finding.one_line())
    counts = report.summary()
    click.echo(f"{counts['ERROR']} error(s), {counts['WARNING']} warning(s), {counts['INFO']} note(s)"
               + ("" if report.ok else " — fix the errors before deploying."))
