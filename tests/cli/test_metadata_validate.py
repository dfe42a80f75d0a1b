"""`scdi metadata validate`: exit codes, human and JSON output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scdi.cli.main import cli
from scdi.connector.metadata.engines import engines_available
from tests.shared_paths import CONTRACT

SETUP_TRACKER = CONTRACT / "dhis2-core-e2e" / "setup_tracker_metadata.json"  # DHIS2's e2e package
METADATA = Path(__file__).resolve().parents[2] / "metadata"
pytestmark = pytest.mark.skipif(not engines_available(), reason="needs Node.js and the DHIS2 engines")


def invoke(*args: str):
    return CliRunner().invoke(cli, ["metadata", "validate", *args], catch_exceptions=False)


def test_our_package_is_clean_and_exits_zero() -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    assert "SCDI_GROUPS" in result.output
    assert "0 error(s)" in result.output


def test_third_party_package_lists_findings_and_exits_one() -> None:
    result = invoke(str(SETUP_TRACKER))
    assert result.exit_code == 1
    assert "references.dangling" in result.output
    assert "fix the errors before deploying" in result.output


def test_json_output_for_machines() -> None:
    result = invoke(str(SETUP_TRACKER), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert report["summary"]["ERROR"] >= 1
    first = report["findings"][0]
    assert {"severity", "check", "message", "file", "object_type", "name", "uid", "property"} <= set(first)


def test_a_broken_source_folder_names_the_source_file(tmp_path: Path) -> None:
    root = tmp_path / "metadata"
    shutil.copytree(METADATA, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = root / "src" / "member" / "trackedEntityAttributes.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    phone = next(a for a in document["trackedEntityAttributes"] if a["code"] == "SCDI_PHONE")
    phone["confidential"] = False
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    result = invoke(str(root), "--json")
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.output)["findings"] if f["severity"] == "ERROR"]
    assert [(f["check"], f["file"]) for f in errors] == [
        ("privacy.not-confidential", "src/member/trackedEntityAttributes.json")]
