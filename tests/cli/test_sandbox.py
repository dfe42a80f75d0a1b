"""`scdi sandbox serve`: starts, prints URL and credentials, serves; refuses non-loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from scdi.cli.main import cli

SCDI = Path(sys.executable).parent / "scdi"


@pytest.mark.usefixtures("sigint_reaches_children")
def test_serve_prints_url_and_answers(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    proc = subprocess.Popen([str(SCDI), "sandbox", "serve", "--port", "0", "--version", "2.43",
                             "--state", str(state)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "sandbox at http://127.0.0.1:" in first
        url = first.rsplit(" ", 1)[1].strip()
        assert "admin / district" in proc.stdout.readline()
        deadline = time.time() + 10
        while True:
            try:
                info = requests.get(f"{url}/api/system/info", auth=("admin", "district"),
                                    timeout=5).json()
                break
            except requests.ConnectionError:
                assert time.time() < deadline
                time.sleep(0.1)
        assert info["version"].startswith("2.43")
        assert state.exists()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)


def test_serve_refuses_public_host() -> None:
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--host", "0.0.0.0"])  # noqa: S104
    assert result.exit_code == 2
    assert "not a loopback address" in result.output


def test_serve_rejects_bad_fault_spec() -> None:
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--port", "0", "--faults", "boom"])
    assert result.exit_code == 2
    assert "Bad --faults" in result.output
