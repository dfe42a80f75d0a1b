"""`scdi metadata build`: merge the package sources into one importable JSON file."""

from __future__ import annotations

from pathlib import Path

import click

from scdi.cli.output import emit, handle_errors
from scdi.connector.metadata.package import WrittenPackage, write_package


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Where to write the package (default: build/scdi-groups-<version>.json).",
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A metadata folder to build instead of the installed one (holds package.json and src/).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@handle_errors
def build(output: Path | None, root: Path | None, as_json: bool) -> None:
    """Build the package file that the Import/Export app and `scdi metadata deploy` read.

    The same sources always give a byte-identical file.
    """
    emit(write_package(output, root), as_json, _render)


def _render(result: WrittenPackage) -> None:
    total = sum(result.objects.values())
    click.echo(f"Wrote {result.path}")
    click.echo(
        f"{result.code} {result.version} (DHIS2 {result.dhis2_version}+): {total} objects, sha256 {result.sha256[:16]}…"
    )
    for type_name, count in result.objects.items():
        click.echo(f"  {type_name:24} {count}")
