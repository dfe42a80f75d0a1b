"""Validation of whole rosters: a clean generated group in every spelling, and a messy one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scdi.connector.roster.contract import RosterContract
from scdi.connector.roster.validate import RosterReport, validate_roster
from tests.roster_fixture import (
    RosterData,
    nfd,
    required_filler,
    respelled,
    strip_diacritics,
    write_csv_folder,
    write_xlsx,
)

from .conftest import needs_engines
from .test_read import _with_cached_value

TODAY = date(2025, 12, 31)


def _assert_clean(report: RosterReport, data: RosterData) -> None:
    assert [f.one_line() for f in report.findings] == []
    summary = report.summary()
    expected = {key: len(rows) for key, rows in data.rows.items()}
    assert {key: sheet["read"] for key, sheet in summary["sheets"].items()} == expected
    assert all(sheet["valid"] == sheet["read"] for sheet in summary["sheets"].values())
    assert report.ok and summary["rulesChecked"]


@needs_engines
def test_generated_roster_validates_with_no_finding(roster_xlsx: Path, roster_data: RosterData) -> None:
    report = validate_roster(roster_xlsx, group=roster_data.group, today=TODAY)
    _assert_clean(report, roster_data)
    assert report.summary()["rows"]["read"] == roster_data.count() > 6000


@needs_engines
@pytest.mark.parametrize("variant", ["en", "nfd", "no-diacritics", "csv"])
def test_the_same_roster_in_other_spellings(variant: str, tmp_path: Path, roster_xlsx: Path,
                                            roster_data: RosterData, contract: RosterContract) -> None:
    if variant == "en":
        path = write_xlsx(roster_data, contract, tmp_path / "roster-en.xlsx", lang="en")
    elif variant == "nfd":
        path = write_xlsx(roster_data, respelled(contract, nfd), tmp_path / "roster-nfd.xlsx")
    elif variant == "no-diacritics":
        path = write_xlsx(roster_data, respelled(contract, strip_diacritics), tmp_path / "roster-ascii.xlsx")
    else:
        path = write_csv_folder(roster_data, contract, tmp_path / "csv", lang="vi")
    report = validate_roster(path, today=TODAY)
    _assert_clean(report, roster_data)
    if variant == "en":
        assert report.lang == "en"


# --- the messy roster ------------------------------------------------------------------------------

MEMBER_HEADERS = [nfd("Mã thành viên"), "GIOI TINH", "year_of_birth", "Tình trạng khi tham gia",
                  "  Tên gọi khác ", "So dien thoai", "Ngày tham gia nhóm", "status"]
ALIAS, PHONES = "Biệt danh Mười", ("0912 345 678", "+84 912345679", "0912.345.680", "0987654321")
SITUATION = "Đang điều trị Methadone"  # a label of the situation option set, written in NFD below


def _messy(path: Path, contract: RosterContract) -> Path:
    situation = contract.sheet("members").column("situation")  # type: ignore[union-attr]
    label = situation.options[0].vi  # type: ignore[union-attr]
    workbook = openpyxl.Workbook()
    members = workbook.active
    members.title = "Thanh vien"
    members.append(MEMBER_HEADERS)
    members.append(["M-001", "Nam", 1985, label, ALIAS, PHONES[0], "15/01/2025", "active"])      # 2
    members.append(["M-002", "nu", 1990, nfd(label), None, PHONES[1], "2025-02-01", None])       # 3 NFD label
    members.append(["M-003", "Female", 1988, label, None, PHONES[2], date(2025, 2, 10), None])  # 4 Excel date
    members.append([None] * 8)                                                                 # 5 blank
    members.append(["M-004", "Nam", 1850, label, None, PHONES[3], "3/2/25", None])              # 6 birth year
    members.append(["M-002", "Nam", 1991, label, None, None, "01/03/2025", None])               # 7 duplicate
    members.append(["M-005", "Kh\u00e1c-x", 1992, label, None, None, "01/03/2025", None])       # 8 unknown option
    members.append([None, "Nam", 1993, label, ALIAS, None, "01/03/2025", None])                 # 9 no code
    members.append(["M-006", "Nam", 1994, label, None, None, "31/02/2025", None])               # 10 impossible
    meetings = workbook.create_sheet("Sinh hoat nhom")
    meetings.append(["ngay sinh hoat", nfd("Số thành viên tham dự"), "Người điều hành"])
    meetings.append(["05/03/2025", "=1+1", None])                                              # 2 formula
    meetings.append(["20/01/2027", 0, None])                                                   # 3 future
    # The attendance sheet's other required columns (the role, since 1.1.0), valid, from the contract.
    headers, cells = required_filler(contract, "attendance", ("member_code", "date"))
    attendance = workbook.create_sheet("Meeting attendance")
    attendance.append(["member_code", "DATE", *headers])
    attendance.append(["M-001", "05/03/2025", *cells])
    attendance.append(["M-003", date(2025, 3, 5), *cells])
    attendance.append(["M-999", "05/03/2025", *cells])                                         # 4 unknown
    workbook.save(path)
    _with_cached_value(path, "xl/worksheets/sheet2.xml", "1+1", "2")
    return path


EXPECTED = {
    ("Thanh vien", 6, "year_of_birth", "rule-warning"),
    ("Thanh vien", 7, "member_code", "duplicate-member"),
    ("Thanh vien", 8, "sex", "not-an-option"),
    ("Thanh vien", 9, "member_code", "required-missing"),
    ("Thanh vien", 10, "enrolled_on", "date-invalid"),
    ("Sinh hoat nhom", 2, "mtg_members_present", "formula-cell"),
    ("Sinh hoat nhom", 3, "date", "date-in-future"),
    ("Sinh hoat nhom", 3, "mtg_facilitator", "rule-warning"),
    ("Meeting attendance", 4, "member_code", "unknown-member"),
}


@needs_engines
def test_a_messy_roster_reports_each_defect_and_nothing_else(tmp_path: Path, contract: RosterContract) -> None:
    report = validate_roster(_messy(tmp_path / "messy.xlsx", contract), today=TODAY, lang="en")
    found = {(f.sheet, f.row, f.column, f.code) for f in report.findings}
    assert found == EXPECTED, "\n".join(f.one_line() for f in report.findings)
    members = report.summary()["sheets"]["members"]
    assert members == {"name": "Thanh vien", "read": 9, "valid": 4, "invalid": 4, "blank": 1}
    for sheet in report.summary()["sheets"].values():
        assert sheet["read"] == sheet["valid"] + sheet["invalid"] + sheet["blank"]
    assert not report.ok
    rule = next(f for f in report.findings if f.code == "rule-warning" and f.sheet == "Thanh vien")
    assert rule.message == "Check the year of birth: before 1940, or under 12 years old when joining."
    text = json.dumps(report.to_json(), ensure_ascii=False) + "\n".join(f.one_line() for f in report.findings)
    for secret in (ALIAS, *PHONES, "912345679", "M-00", "M-999"):
        assert secret not in text


@needs_engines
def test_messages_in_vietnamese_name_the_column_not_the_value(tmp_path: Path, contract: RosterContract) -> None:
    path = tmp_path / "phones.csv"
    situation = contract.sheet("members").columns[3].options[0].vi  # type: ignore[union-attr]
    headers, cells = required_filler(contract, "members", ("member_code", "sex", "situation", "enrolled_on"),
                                     lang="vi")
    path.write_text(",".join(["Mã thành viên,Giới tính,Tình trạng khi tham gia,Số điện thoại,Ngày tham gia nhóm",
                              *headers]) + "\n" + ",".join([f"K-1,Nam,{situation},12345,01/02/2025", *cells]) + "\n",
                    encoding="utf-8")
    report = validate_roster(path, today=TODAY)
    (finding,) = report.findings
    assert finding.code == "not-a-phone" and finding.row == 2 and finding.column == "phone"
    assert finding.message.startswith("Số điện thoại (không bắt buộc): giá trị không phải số điện thoại")
    assert "12345" not in finding.message


def test_month_first_dates_make_both_way_dates_findings(tmp_path: Path, contract: RosterContract) -> None:
    path = tmp_path / "followup.csv"
    headers, cells = required_filler(contract, "followup", ("member_code", "date"))
    more_headers, more = "".join(f",{h}" for h in headers), "".join(f",{c}" for c in cells)
    path.write_text(f"member_code,date{more_headers}\nA,04/15/2025{more}\nA,03/04/2025{more}\nA,25/04/2025{more}\n",
                    encoding="utf-8")
    report = validate_roster(path, today=TODAY, engines=False)
    codes = {(f.row, f.code) for f in report.findings if f.sheet == "followup"}
    assert codes == {(2, "date-month-first"), (3, "date-both-ways")}
    assert any(f.code == "sheet-missing" for f in report.findings)


def test_group_and_package_version_are_checked(tmp_path: Path, contract: RosterContract) -> None:
    from scdi.connector.roster.write import write_roster

    path = write_roster(contract, tmp_path / "t.xlsx", group="HP-01").path
    assert validate_roster(Path(path), group="HP-01", engines=False).ok
    report = validate_roster(Path(path), group="QN-07", engines=False)
    assert [f.code for f in report.findings if f.severity.value == "ERROR"] == ["group-mismatch"]


@pytest.mark.slow
@needs_engines
def test_a_20000_row_roster(tmp_path: Path, contract: RosterContract) -> None:
    from tests.roster_fixture import make_roster

    data = make_roster(contract, members=950, seed=7)
    assert data.count() >= 20_000
    path = write_xlsx(data, contract, tmp_path / "big.xlsx")
    report = validate_roster(path, today=TODAY)
    summary = report.summary()
    assert summary["rows"]["read"] == data.count()
    assert summary["rows"]["read"] == summary["rows"]["valid"] + summary["rows"]["invalid"] + summary["rows"]["blank"]
    assert summary["errors"] == 0
