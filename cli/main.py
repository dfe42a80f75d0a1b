"""The `scdi` command: a root group that gathers the command modules."""

from __future__ import annotations

import click

from scdi.cli import commands


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="scdi-groups", prog_name="scdi")
def cli() -> None:
    """scdi-groups: peer-group management on DHIS2.

    \b
    Exit codes: 0 ok · 1 findings or validation errors · 2 usage · 3 server or connection.
    """


commands.register(cli)


def main() -> None:
    cli(prog_name="scdi")


if __name__ == "__main__":
    main()
