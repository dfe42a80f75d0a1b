"""The CLI's one mapping from how a command ended to its exit code, Ctrl-C included, and the
findings of a refused deploy shown once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from scdi.cli import metadata_build
from scdi.cli.main import cli
from scdi.cli.output import HANDLED, exit_code
from scdi.connector.errors import EngineUnavailable, InputError, ServerFailure, ValidationFailed

SCDI = Path(sys.executable).parent / "scdi"
METADATA = Path(__file__).resolve().parents[2] / "metadata"


def _leaves(command: click.Command, path: str = "scdi") -> list[tuple[str, click.Command]]:
    if isinstance(command, click.Group):
        return [leaf for name, sub in sorted(command.commands.items()) for leaf in _leaves(sub, f"{path} {name}")]
    return [(path, command)]


def test_every_command_ends_through_the_one_mapping() -> None:
    leaves = _leaves(cli)
    assert {"scdi doctor", "scdi demo", "scdi metadata validate", "scdi metadata deploy"} <= {p for p, _ in leaves}
    unhandled = [path for path, command in leaves if not getattr(command.callback, HANDLED, False)]
    assert unhandled == []


class _Report:
    def __init__(self, ok: bool) -> None:
        self.ok = ok


@pytest.mark.parametrize(("end", "code"), [
    (None, 0),
    (_Report(True), 0),
    (_Report(False), 1),
    (ValidationFailed("x"), 1),
    (InputError("x"), 1),
    (EngineUnavailable("x"), 2),
    (ServerFailure("x"), 3),
    (KeyboardInterrupt(), 130),
])
def test_exit_codes(end: Any, code: int) -> None:
    assert exit_code(end) == code


def test_only_library_errors_are_mapped() -> None:
    with pytest.raises(TypeError):
        exit_code(RuntimeError("a bug"))


def test_ctrl_c_in_a_command_is_one_line_and_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(metadata_build, "write_package", interrupted)
    result = CliRunner().invoke(cli, ["metadata", "build", "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 130
    assert result.output == "Interrupted.\n"
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("sigint_reaches_children")
def test_ctrl_c_while_waiting_for_the_server_exits_130() -> None:
    """A real SIGINT to a real `scdi doctor` stuck on a server that never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        silent.settimeout(30)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        env = {**os.environ, "DHIS2_BASE_URL": url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district",
               "DHIS2_TOKEN": ""}
        proc = subprocess.Popen([str(SCDI), "doctor"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
        try:
            connection, _ = silent.accept()  # the command is now inside its request
            with connection:
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 130, (out, err)
    assert err == "Interrupted.\n"
    assert out == ""


def test_refused_deploy_shows_each_finding_once(fresh_sandbox: Any, tmp_path: Path) -> None:
    root = tmp_path / "metadata"
    shutil.copytree(METADATA, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = root / "src" / "member" / "trackedEntityAttributes.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    next(a for a in document["trackedEntityAttributes"] if a["code"] == "SCDI_PHONE")["confidential"] = False
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    env = {"DHIS2_BASE_URL": fresh_sandbox.url, "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district",
           "DHIS2_TOKEN": ""}
    result = CliRunner().invoke(cli, ["metadata", "deploy", "--package", str(root)], env=env)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line for line in lines if "privacy.not-confidential" in line] == [
        next(line for line in lines if line.startswith("ERROR"))]
    assert "src/member/trackedEntityAttributes.json" in lines[0]
    assert lines[-1].startswith("Error: the package has 1 validation error(s); nothing was sent")
    assert "Traceback" not in result.output
