"""Reading registries: headers in any of their forms, coded values, dates, phones, findings per cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scdi.connector.errors import InputError
from scdi.connector.provision.findings import Severity
from scdi.connector.provision.registry import read_registry
from tests.connector.provision.synthetic_registry import HEADERS, synthetic_registry, write_csv, write_xlsx

TODAY = dt.date(2026, 1, 15)


@pytest.mark.parametrize("headers", sorted(HEADERS))
def test_every_header_form_reads_the_same_rows(tmp_path: Path, headers: str) -> None:
    rows = synthetic_registry("current", groups=12, bad=False)
    registry = read_registry(write_xlsx(rows, tmp_path / "r.xlsx", headers=headers), today=TODAY)
    assert set(registry.columns) == set(HEADERS["keys"])
    assert [r.group_code for r in registry.rows] == [r.group_code.upper() for r in rows]
    assert all(r.valid for r in registry.rows), [f.one_line() for f in registry.findings]
    assert registry.sheet == "Nhóm"


def test_csv_with_semicolons_and_bom_and_xlsx_with_a_title_agree(tmp_path: Path) -> None:
    rows = synthetic_registry("legacy", groups=20, bad=False, seed=3)
    from_csv = read_registry(write_csv(rows, tmp_path / "r.csv", delimiter=";"), today=TODAY)
    from_xlsx = read_registry(write_xlsx(rows, tmp_path / "r.xlsx", title=True), today=TODAY)
    strip = [r.model_dump(exclude={"row"}) for r in from_csv.rows]
    assert strip == [r.model_dump(exclude={"row"}) for r in from_xlsx.rows]
    assert from_xlsx.rows[0].row == 4  # title, blank line, header: the data starts on row 4
    assert from_csv.rows[0].row == 2


def test_coded_values_in_vietnamese_english_or_code(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "group_code,group_name,kind,province,commune,sponsor,active\n"
        "A1,Nhóm A,Câu lạc bộ,Hà Nội,Ba Đình,Chi cục PCTNXH,Có\n"
        "A2,Nhóm B,self-help group,Hà Nội,Ba Đình,ldtbxh,khong\n"
        "A3,Nhóm C,SCDI_GROUP_KIND_OUTREACH_TEAM,Hà Nội,Ba Đình,SCDI_SPONSOR_OTHER,no\n"
        "A4,Nhóm D,DIEM TU VAN,Hà Nội,Ba Đình,,\n", encoding="utf-8")
    registry = read_registry(path, today=TODAY)
    assert [(r.kind, r.sponsor, r.active) for r in registry.rows] == [
        ("SCDI_GROUP_KIND_CLUB", "SCDI_SPONSOR_PCTNXH", True),
        ("SCDI_GROUP_KIND_SELF_HELP", "SCDI_SPONSOR_LABOUR_OFFICE", False),
        ("SCDI_GROUP_KIND_OUTREACH_TEAM", "SCDI_SPONSOR_OTHER", False),
        ("SCDI_GROUP_KIND_COUNSELLING_POINT", None, True)]
    assert registry.findings == []


def test_each_problem_is_a_finding_at_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "Mã nhóm,Tên nhóm,Loại hình,Tỉnh/Thành phố,Xã/Phường,Ngày thành lập,Tên đăng nhập trưởng nhóm,"
        "Email trưởng nhóm,Điện thoại trưởng nhóm,Đang hoạt động,Ghi chú\n"
        "OK-1,Nhóm tốt,CLB,Hà Nội,Ba Đình,15/03/2014,ok.leader,,,Có,x\n"
        "bad code!,,xyz,Hà Nội,Ba Đình,31/02/2015,x,not-an-email,12,maybe,\n"
        "OK-1,Trùng mã,CLB,Hà Nội,Ba Đình,2030-01-01,ok.leader,,,,\n"
        "OK-2,Chỉ năm,CLB,Hà Nội,Ba Đình,2012,,leader@example.org,,,\n", encoding="utf-8")
    registry = read_registry(path, today=TODAY)
    found = {(f.row, f.column, f.code) for f in registry.findings}
    assert (1, None, "registry.unknown-column") in found  # "Ghi chú" is not a registry column
    for column, code in [("group_code", "registry.group-code-format"), ("group_name", "registry.required"),
                         ("kind", "registry.kind-unknown"), ("founded_on", "registry.date-invalid"),
                         ("leader_username", "registry.username-invalid"), ("leader_email", "registry.email-invalid"),
                         ("leader_phone", "registry.phone-invalid"), ("active", "registry.active-invalid")]:
        assert (3, column, code) in found
    assert (4, "group_code", "registry.duplicate-code") in found
    assert (4, "leader_username", "registry.duplicate-leader") in found
    assert (4, "founded_on", "registry.date-future") in found
    assert (5, "founded_on", "registry.date-year-only") in found
    assert (5, "leader_username", "registry.leader-without-username") in found
    assert [r.valid for r in registry.rows] == [True, False, False, True]
    assert registry.rows[3].founded_on == dt.date(2012, 1, 1)


def test_personal_values_never_appear_in_findings(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("group_code,group_name,kind,province,commune,leader_username,leader_email,leader_phone\n"
                    "P-1,Nhóm,CLB,Hà Nội,Ba Đình,p.one,secret-mail@@example,09-SECRET\n", encoding="utf-8")
    registry = read_registry(path, today=TODAY)
    text = " ".join(f.one_line() for f in registry.findings)
    assert "secret" not in text.lower() and "SECRET" not in text
    assert {f.column for f in registry.findings} == {"leader_email", "leader_phone"}
    assert "secret" not in repr(registry.rows[0]).lower()


def test_a_phone_stored_as_a_number_gets_its_leading_zero_back(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["group_code", "group_name", "kind", "province", "commune", "leader_username", "leader_phone",
                  "founded_on"])
    sheet.append(["P-1", "Nhóm", "CLB", "Hà Nội", "Ba Đình", "p.one", 912345678, dt.datetime(2014, 3, 15, 0, 0)])
    workbook.save(tmp_path / "r.xlsx")
    registry = read_registry(tmp_path / "r.xlsx", today=TODAY)
    row = registry.rows[0]
    assert row.leader_phone == "0912345678" and row.founded_on == dt.date(2014, 3, 15)
    assert [f.code for f in registry.findings] == ["registry.phone-leading-zero"]
    assert registry.findings[0].severity is Severity.WARNING


def test_missing_columns_and_missing_header(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("group_code,group_name,province\nA,B,C\n", encoding="utf-8")
    registry = read_registry(path, today=TODAY)
    assert {f.column for f in registry.findings} == {"kind", "commune"} and registry.rows == []
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    assert read_registry(path, today=TODAY).findings[0].code == "registry.no-header"


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_registry(tmp_path / "nope.xlsx")
    (tmp_path / "r.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unknown file type"):
        read_registry(tmp_path / "r.pdf")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="cannot read the workbook"):
        read_registry(tmp_path / "broken.xlsx")


def test_bilingual_headers_and_their_parts(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('"Mã nhóm (Group code)","Group name\nTên nhóm",Loại hình [kind],Tỉnh/Thành phố (Province),'
                    '"Xã/Phường (Commune)","Tên nhóm (Kind)","Ngày thành lập (không bắt buộc)"\n'
                    "A1,Nhóm A,CLB,Hà Nội,Ba Đình,x,\n", encoding="utf-8")
    registry = read_registry(path, today=TODAY)
    assert set(registry.columns) == {"group_code", "group_name", "kind", "province", "commune", "founded_on"}
    # a header whose parts name two different columns is not guessed
    assert [f.code for f in registry.findings] == ["registry.unknown-column"]
