"""The `scdi` command: a root group that gathers the command modules."""

from __future__ import annotations

import logging

import click

from scdi.cli import commands


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="scdi-groups", prog_name="scdi")
@click.option(
    "--debug",
    is_flag=True,
    help="Show tracebacks and request logs (bodies, secrets and personal data are never logged).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """scdi-groups: peer-group management on DHIS2.

    \b
    Exit codes: 0 ok · 1 findings or validation errors · 2 usage · 3 server or connection ·
    130 interrupted (Ctrl-C).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


commands.register(cli)


def main() -> None:
    cli(prog_name="scdi")


if __name__ == "__main__":
    main()
