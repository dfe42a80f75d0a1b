"""`scdi metadata …`: build, check and deploy the SCDI_GROUPS metadata package."""

from __future__ import annotations

import importlib

import click

# (module under scdi.cli, attribute): one line per subcommand so parallel work does not collide.
SUBCOMMANDS: list[tuple[str, str]] = [
    ("metadata_build", "build"),
    ("metadata_validate", "validate"),
    ("metadata_deploy", "diff"),
    ("metadata_deploy", "deploy"),
    ("metadata_deploy", "status_command"),
]


@click.group()
def metadata() -> None:
    """The metadata package: build it, check it, put it on a server."""


for _module_name, _attribute in SUBCOMMANDS:
    metadata.add_command(getattr(importlib.import_module(f"scdi.cli.{_module_name}"), _attribute))
