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
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    _set_debug(ctx, debug)


def _set_debug(ctx: click.Context, debug: bool) -> None:
    root = ctx.find_root()
    root.ensure_object(dict)
    debug = debug or bool(root.obj.get("debug"))
    root.obj["debug"] = debug
    logging.getLogger().setLevel(logging.DEBUG if debug else logging.WARNING)
    # urllib3 announces each retry as a warning; people hear of retries only through the
    # one-line error when they ran out, or here with --debug.
    logging.getLogger("urllib3").setLevel(logging.DEBUG if debug else logging.ERROR)


def _debug_option(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        _set_debug(ctx, True)


def _accept_debug_everywhere(command: click.Command) -> None:
    """`scdi metadata deploy --debug` works as `scdi --debug metadata deploy` does."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_debug_everywhere(sub)
        return
    if not any("--debug" in param.opts for param in command.params):
        command.params.append(click.Option(
            ["--debug"], is_flag=True, expose_value=False, is_eager=True, callback=_debug_option,
            help="Show tracebacks and request logs (as `scdi --debug …`)."))


commands.register(cli)
_accept_debug_everywhere(cli)


def main() -> None:
    cli(prog_name="scdi")


if __name__ == "__main__":
    main()
