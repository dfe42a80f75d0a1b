"""`scdi metadata build`: writes the package, reports it, maps bad sources to exit code 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scdi.cli.main import cli
from scdi.connector.metadata.package import build_package, dump_package

REPO_METADATA = Path(__file__).resolve().parents[2] / "metadata"
VERSION = json.loads((REPO_METADATA / "package.json").read_text(encoding="utf-8"))["package"]["version"]


def test_build_writes_the_package(tmp_path: Path) -> None:
    target = tmp_path / "pkg.json"
    result = CliRunner().invoke(cli, ["metadata", "build", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == dump_package(build_package())
    assert f"Wrote {target}" in result.output
    assert f"SCDI_GROUPS {VERSION}" in result.output


def test_build_json_output(tmp_path: Path) -> None:
    target = tmp_path / "pkg.json"
    result = CliRunner().invoke(cli, ["metadata", "build", "-o", str(target), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["path"] == str(target)
    assert report["version"] == VERSION
    assert report["objects"]["programs"] == 3


def test_build_default_output_in_build_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["metadata", "build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / f"scdi-groups-{VERSION}.json").is_file()


def test_bad_sources_exit_1_with_the_file_named(tmp_path: Path) -> None:
    root = tmp_path / "metadata"
    shutil.copytree(REPO_METADATA, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (root / "src" / "member" / "options.json").write_text("{", encoding="utf-8")
    result = CliRunner().invoke(cli, ["metadata", "build", "--root", str(root), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 1
    assert "src/member/options.json" in result.output
    assert not (tmp_path / "x.json").exists()
