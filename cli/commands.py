"""Which command modules make up `scdi`. Each module exposes a click command or group."""

from __future__ import annotations

import importlib

import click

# (module under scdi.cli, attribute): one line per command so parallel work does not collide.
COMMANDS: list[tuple[str, str]] = [
    ("sandbox", "sandbox"),
    ("doctor", "doctor"),
    ("demo", "demo"),
    ("metadata", "metadata"),
    ("groups", "groups"),
    ("roster", "roster"),
    ("report", "report"),
    ("android", "android"),
]


def register(root: click.Group) -> None:
    for module_name, attribute in COMMANDS:
        module = importlib.import_module(f"scdi.cli.{module_name}")
        root.add_command(getattr(module, attribute))
