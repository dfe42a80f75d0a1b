"""`scdi roster columns | template | validate`: output shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from scdi.cli.main import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, ["roster", *args], catch_exceptions=False)


def test_columns_json_is_the_contract() -> None:
    result = invoke("columns", "--json")
    assert result.exit_code == 0, result.output
    contract = json.loads(result.output)
    assert contract["package"]["code"] == "SCDI_GROUPS" and contract["package"]["version"]
    members = contract["sheets"][0]
    assert (members["key"], members["vi"], members["en"]) == ("members", "Thành viên", "Members")
    sex = next(c for c in members["columns"] if c["key"] == "sex")
    assert {"key", "vi", "en", "valueType", "required", "confidential", "options"} <= set(sex)
    assert {"code", "vi", "en"} <= set(sex["options"][0]) and sex["vi"] == "Giới tính"
    outreach = json.loads(invoke("columns", "--kind", "outreach", "--json").output)
    assert [s["key"] for s in outreach["sheets"]] == ["session"]
    assert "member_code" in invoke("columns").output


def test_template_then_validate(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    result = invoke("template", "--group", "HP-01", "-o", str(path), "--lang", "en")
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[0] == "Instructions" and workbook.sheetnames[-1] == "_codes"
    members = workbook["Members"]
    assert members.freeze_panes == "B2"
    assert members["A1"].value == "Member code" and members["A1"].comment is not None
    phone = next(c for c in members[1] if c.value == "Phone (optional)")
    assert "Confidential" in phone.comment.text
    assert workbook["_codes"].sheet_state == "hidden"
    assert any(dv.type == "list" for dv in members.data_validations.dataValidation)
    assert {p.name: p.value for p in workbook.custom_doc_props.props}["scdi.group"] == "HP-01"
    result = invoke("validate", str(path), "--group", "HP-01", "--no-engines", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["summary"]["errors"] == 0 and report["summary"]["group"] == "HP-01"
    result = invoke("validate", str(path), "--group", "QN-02", "--no-engines")
    assert result.exit_code == 1 and "group-mismatch" in result.output


def test_validate_json_findings_and_exit_one(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("member_code,sex,enrolled_on\nA-1,Nam,01/02/2025\nA-1,Nam,32/01/2025\n", encoding="utf-8")
    result = invoke("validate", str(path), "--json", "--no-engines", "--today", "2025-12-31")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) == {"summary", "findings"}
    codes = {(f["row"], f["column"], f["code"]) for f in report["findings"]}
    assert (3, "member_code", "duplicate-member") in codes and (3, "enrolled_on", "date-invalid") in codes
    assert {"sheet", "row", "column", "code", "severity", "message"} <= set(report["findings"][0])
    assert report["summary"]["sheets"]["members"]["read"] == 2
    assert "A-1" not in result.output


def test_an_unreadable_file_is_one_line_and_exit_one(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02\x00\x00\x00\x81\x8d" * 20)
    result = CliRunner().invoke(cli, ["roster", "validate", str(path)])
    assert result.exit_code == 1
    assert "CSV UTF-8" in result.output
