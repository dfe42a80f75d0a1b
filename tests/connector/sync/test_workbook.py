"""Writing DHIS2's records into an existing roster: only the cells named change, read back the
same by the validator; conflicts, flags, redaction, formula text, CSV folders, refusals."""

from __future__ import annotations

import csv
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.comments import Comment

from scdi.connector.errors import InputError
from scdi.connector.roster.contract import RosterContract, SheetSpec, load_contract
from scdi.connector.roster.read import open_roster
from scdi.connector.roster.validate import validate_roster
from scdi.connector.roster.write import write_roster
from scdi.connector.sync.workbook import (
    FLAG_MARK,
    CellChange,
    ConflictEntry,
    NewRow,
    RowFlag,
    read_conflict_choices,
    update_roster,
)
from tests.roster_fixture import RosterData, make_roster, write_csv_folder, write_xlsx

Rows = dict[str, dict[int, dict[str, str]]]


@pytest.fixture(scope="module")
def contract() -> RosterContract:
    return load_contract("member")


@pytest.fixture(scope="module")
def data(contract: RosterContract) -> RosterData:
    return make_roster(contract, members=20)


@pytest.fixture
def roster(tmp_path: Path, data: RosterData, contract: RosterContract) -> Path:
    """The filled roster with what a person adds: a column of their own and a note."""
    path = write_xlsx(data, contract, tmp_path / "roster.xlsx", lang="vi")
    book = openpyxl.load_workbook(path)
    members = book["Thành viên"]
    extra = members.max_column + 1
    members.cell(row=1, column=extra, value="Ghi chú riêng")
    for row in range(2, 8):
        members.cell(row=row, column=extra, value=f"riêng {row}")
    members["C3"].comment = Comment("Năm sinh theo lời kể", "Trưởng nhóm")
    book.save(path)
    return path


def read_rows(path: Path, data: RosterData) -> tuple[Rows, Any]:
    rows: Rows = {}
    report = validate_roster(path, engines=False, today=data.today,
                             on_row=lambda spec, number, values: rows.setdefault(spec.key, {}).__setitem__(number,
                                                                                                      values))
    return rows, report


def snapshot(path: Path) -> dict[str, dict[tuple[int, int], Any]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
            for ws in book.worksheets}


def member_row(contract: RosterContract, code: str) -> dict[str, str]:
    spec = contract.sheet("members")
    assert spec is not None
    options = {c.key: c.options[0].code for c in spec.columns if c.options}
    return {"member_code": code, "sex": options["sex"], "year_of_birth": "1990", "situation": options["situation"],
            "enrolled_on": "2025-02-03", "alias": "Biệt danh mới", "status": "active", "uid": "Newmember01"}


def spec_of(contract: RosterContract, key: str) -> SheetSpec:
    spec = contract.sheet(key)
    assert spec is not None
    return spec


def test_changes_and_new_rows_round_trip_and_keep_the_rest(roster: Path, contract: RosterContract,
                                                            data: RosterData) -> None:
    before = snapshot(roster)
    rows, _ = read_rows(roster, data)
    followup = min(rows["followup"])
    later = (date.fromisoformat(rows["followup"][followup]["date"]) + timedelta(days=1)).isoformat()
    changes = [CellChange("members", 2, "year_of_birth", "1980"), CellChange("members", 3, "phone", None),
               CellChange("members", 4, "status", "paused"), CellChange("followup", followup, "date", later),
               CellChange("members", 2, "uid", "Abcdefghij1")]
    meeting = dict(data.rows["meeting"][0], date="2025-12-28", uid="Meeting0001")
    meeting.pop("mtg_next_date", None)
    result = update_roster(roster, contract, lang="vi", changes=changes,
                           new_rows=[NewRow("members", member_row(contract, "HP-01-00777")),
                                     NewRow("meeting", {k: v for k, v in meeting.items() if v})])
    assert (result.cells, result.rows_added, result.conflicts, result.flags) == (5, 2, 0, 0)

    after_rows, report = read_rows(roster, data)
    assert report.ok, [f.message for f in report.findings if f.severity.value == "ERROR"]
    members = after_rows["members"]
    assert members[2]["year_of_birth"] == "1980" and members[2]["uid"] == "Abcdefghij1"
    assert "phone" not in members[3] and members[4]["status"] == "paused"
    assert after_rows["followup"][followup]["date"] == later
    added = members[max(members)]
    assert max(members) == max(rows["members"]) + 1
    assert {k: added.get(k) for k in member_row(contract, "x")} == member_row(contract, "HP-01-00777")
    assert after_rows["meeting"][max(after_rows["meeting"])]["date"] == "2025-12-28"

    after = snapshot(roster)
    assert set(after) == set(before)
    spec = spec_of(contract, "members")
    numbers = {c.key: i + 1 for i, c in enumerate(spec.columns)}
    touched = {("Thành viên", (c.row, numbers[c.column])) for c in changes if c.sheet == "members"}
    touched.add(("Theo dõi hằng tháng", (followup, 2)))
    for title, cells in before.items():
        for where, value in cells.items():
            if (title, where) not in touched:
                assert after[title].get(where) == value, (title, where)
    book = openpyxl.load_workbook(roster)
    sheet = book["Thành viên"]
    assert sheet["C3"].comment is not None and sheet["C3"].comment.text == "Năm sinh theo lời kể"
    assert sheet["A1"].comment is not None  # the template's header notes are kept
    assert sheet.cell(row=7, column=len(spec.columns) + 1).value == "riêng 7"
    assert sheet.column_dimensions["I"].hidden  # uid
    assert len(sheet.data_validations.dataValidation) == len(openpyxl.load_workbook(
        write_xlsx(data, contract, roster.with_name("fresh.xlsx"))).worksheets[1].data_validations.dataValidation)
    assert sheet.cell(row=max(members), column=numbers["enrolled_on"]).number_format == "dd/mm/yyyy"


def test_formula_text_stays_text(roster: Path, contract: RosterContract, data: RosterData, tmp_path: Path) -> None:
    update_roster(roster, contract, lang="vi", changes=[CellChange("members", 2, "alias", "=1+1"),
                                                        CellChange("members", 3, "alias", "@SUM(A1)")])
    cell = openpyxl.load_workbook(roster)["Thành viên"]["E2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    sheet = next(s for s in open_roster(roster).sheets if s.title == "Thành viên")
    assert not sheet.formulas
    rows, _ = read_rows(roster, data)
    assert (rows["members"][2]["alias"], rows["members"][3]["alias"]) == ("=1+1", "@SUM(A1)")

    fresh = dict(data.rows["members"][0], alias="-2+3")
    written = write_roster(contract, tmp_path / "new.xlsx", rows={"members": [fresh]})
    new_rows, _ = read_rows(Path(written.path), data)
    assert new_rows["members"][2]["alias"] == "-2+3"
    assert not next(s for s in open_roster(Path(written.path)).sheets if s.title == "Thành viên").formulas


def test_conflicts_sheet_choices_read_back_and_removed(roster: Path, contract: RosterContract,
                                                       data: RosterData) -> None:
    conflicts = [ConflictEntry("members", 3, "HP-01-00002", "phone", "0912345678", "0987654321",
                               "2025-06-01T10:00:00.000", "hp-01-00002"),
                 ConflictEntry("followup", 5, "HP-01-00001 · 14/06/2025", "fu_housing", None,
                               spec_of(contract, "followup").column("fu_housing").options[0].code,  # type: ignore[union-attr]
                               None, "hp-01-00001|2025-06-14"),
                 ConflictEntry("members", None, "HP-01-00009", "enrolled_on", "2025-01-02", "2025-01-03", None,
                               "hp-01-00009")]
    result = update_roster(roster, contract, lang="vi", conflicts=conflicts, redact=True)
    assert result.conflicts == 3  # shown even when redacting: the person needs both values to choose
    book = openpyxl.load_workbook(roster)
    sheet = book["Xung đột"]
    assert book.sheetnames[-1] == "_codes"
    assert [c.value for c in sheet[2]][:6] == ["Thành viên", 3, "HP-01-00002", "Số điện thoại (không bắt buộc)",
                                               "0912345678", "0987654321"]
    option = spec_of(contract, "followup").column("fu_housing").options[0].vi  # type: ignore[union-attr]
    assert sheet["F3"].value == option and sheet["E3"].value is None
    assert sheet["E4"].value.date() == date(2025, 1, 2) and sheet["E4"].number_format == "dd/mm/yyyy"
    assert sheet.column_dimensions["I"].hidden and sheet.data_validations.dataValidation
    assert read_conflict_choices(roster) == {}
    sheet["H2"] = "máy chủ"
    sheet["H3"] = "tệp"
    book.save(roster)
    assert read_conflict_choices(roster) == {("members", "hp-01-00002", "phone"): "server",
                                             ("followup", "hp-01-00001|2025-06-14", "fu_housing"): "roster"}
    _, report = read_rows(roster, data)
    assert report.ok and not [f for f in report.findings if f.code == "sheet-ignored"]

    update_roster(roster, contract, lang="vi", conflicts=[])
    assert "Xung đột" not in openpyxl.load_workbook(roster).sheetnames
    assert read_conflict_choices(roster) == {}


def test_flags_come_and_go_leaving_notes_of_the_person(roster: Path, contract: RosterContract) -> None:
    book = openpyxl.load_workbook(roster)
    book["Thành viên"]["A4"].comment = Comment("Gọi lại tuần sau", "Trưởng nhóm")
    book.save(roster)
    result = update_roster(roster, contract, lang="vi", flags=[RowFlag("members", 3, "E1019: giá trị không hợp lệ"),
                                                              RowFlag("members", 4, "E1063: chưa ghi danh")])
    assert result.flags == 2
    sheet = openpyxl.load_workbook(roster)["Thành viên"]
    assert sheet["A3"].comment.text.splitlines()[:2] == [FLAG_MARK, "E1019: giá trị không hợp lệ"]
    assert sheet["A4"].comment.text.startswith(FLAG_MARK) and "Gọi lại tuần sau" in sheet["A4"].comment.text
    assert sheet["B3"].fill.fill_type == "solid"
    assert sheet["A2"].comment is None

    update_roster(roster, contract, lang="vi", flags=[RowFlag("members", 4, "E1063: chưa ghi danh")])
    sheet = openpyxl.load_workbook(roster)["Thành viên"]
    assert sheet["A3"].comment is None and sheet["B3"].fill.fill_type is None
    assert sheet["A4"].comment.text.startswith(FLAG_MARK)
    update_roster(roster, contract, lang="vi")
    sheet = openpyxl.load_workbook(roster)["Thành viên"]
    assert sheet["A4"].comment.text == "Gọi lại tuần sau" and sheet["A4"].fill.fill_type is None
    assert sheet["C3"].comment.text == "Năm sinh theo lời kể"


def test_redact_leaves_confidential_columns_empty(roster: Path, contract: RosterContract, data: RosterData) -> None:
    sex = member_row(contract, "x")["sex"]
    update_roster(roster, contract, lang="vi", redact=True,
                  changes=[CellChange("members", 2, "phone", "0911111111"), CellChange("members", 2, "sex", sex)],
                  new_rows=[NewRow("members", member_row(contract, "HP-01-00778"))])
    rows, _ = read_rows(roster, data)
    members = rows["members"]
    assert "phone" not in members[2] and members[2]["sex"] == sex
    added = members[max(members)]
    assert added["member_code"] == "HP-01-00778" and "alias" not in added


def test_missing_uid_column_and_missing_sheet_are_added(roster: Path, contract: RosterContract,
                                                        data: RosterData) -> None:
    book = openpyxl.load_workbook(roster)
    members = book["Thành viên"]
    uid_at = len(spec_of(contract, "members").columns)
    members.delete_cols(uid_at)  # the hidden uid column; the person's own column moves into its place
    del book["Hỗ trợ nhận được"]
    book.save(roster)
    support = dict(data.rows["support"][0], uid="Support0001")
    update_roster(roster, contract, lang="vi", changes=[CellChange("members", 2, "uid", "Abcdefghij2")],
                  new_rows=[NewRow("support", support)])
    book = openpyxl.load_workbook(roster)
    members = book["Thành viên"]
    assert members.cell(row=1, column=uid_at).value == "Ghi chú riêng"
    assert members.cell(row=1, column=uid_at + 1).value == "uid"
    assert members.column_dimensions["J"].hidden
    assert book.sheetnames.index("Hỗ trợ nhận được") == book.sheetnames.index("Chuyển gửi") + 1
    assert book["Hỗ trợ nhận được"].data_validations.dataValidation
    rows, report = read_rows(roster, data)
    assert report.ok
    assert rows["members"][2]["uid"] == "Abcdefghij2"
    assert rows["support"] == {2: {k: v for k, v in support.items() if v}}


def test_csv_folder_round_trip(tmp_path: Path, contract: RosterContract, data: RosterData) -> None:
    folder = write_csv_folder(data, contract, tmp_path / "csv", lang="vi")
    members = folder / "members.csv"
    with members.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    lines[0].append("Ghi chú riêng")
    lines[1].append("riêng")
    with members.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(lines)
    os.chmod(members, 0o640)
    (folder / "support.csv").unlink()
    support = dict(data.rows["support"][0], uid="Support0001")
    conflict = ConflictEntry("members", 2, "HP-01-00001", "year_of_birth", "1980", "1981", None, "hp-01-00001")
    result = update_roster(folder, contract, lang="vi",
                           changes=[CellChange("members", 2, "alias", "=HYPERLINK(1)"),
                                    CellChange("members", 3, "enrolled_on", "2024-12-01"),
                                    CellChange("members", 3, "uid", "Abcdefghij3")],
                           new_rows=[NewRow("members", member_row(contract, "HP-01-00779")),
                                     NewRow("support", support)],
                           conflicts=[conflict])
    assert (result.cells, result.rows_added, result.conflicts) == (3, 2, 1)
    raw = members.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";'=HYPERLINK(1);" in raw and raw.count(b"\r\n") == len(lines) + 1
    assert oct(members.stat().st_mode & 0o777) == oct(0o640)
    rows, report = read_rows(folder, data)
    assert report.ok, [f.message for f in report.findings if f.severity.value == "ERROR"]
    assert rows["members"][2]["alias"] == "=HYPERLINK(1)"
    assert (rows["members"][3]["enrolled_on"], rows["members"][3]["uid"]) == ("2024-12-01", "Abcdefghij3")
    assert rows["members"][len(lines) + 1]["member_code"] == "HP-01-00779"
    assert rows["support"] == {2: {k: v for k, v in support.items() if v}}
    assert members.read_text(encoding="utf-8-sig").splitlines()[1].endswith(";riêng")

    with (folder / "conflicts.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, cells = list(csv.reader(handle))
    assert header[:2] == ["Trang", "Dòng"] and cells[:3] == ["members.csv", "2", "HP-01-00001"]
    assert cells[4:6] == ["1980", "1981"]
    cells[header.index("Giữ")] = "máy chủ"
    with (folder / "conflicts.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, cells])
    assert read_conflict_choices(folder) == {("members", "hp-01-00001", "year_of_birth"): "server"}
    update_roster(folder, contract, lang="vi")
    assert not (folder / "conflicts.csv").exists()


def test_a_file_open_elsewhere_is_refused_untouched(roster: Path, contract: RosterContract) -> None:
    lock = roster.with_name("~$" + roster.name)
    lock.write_bytes(b"owner")
    before = roster.read_bytes()
    with pytest.raises(InputError, match="open in a spreadsheet program") as caught:
        update_roster(roster, contract, lang="vi", changes=[CellChange("members", 2, "alias", "x")])
    assert str(roster) in str(caught.value)
    assert roster.read_bytes() == before
    lock.unlink()
    os.chmod(roster, 0o600)
    update_roster(roster, contract, lang="vi", changes=[CellChange("members", 2, "alias", "x")])
    assert roster.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in roster.parent.iterdir()) == ["roster.xlsx"]


def test_a_read_only_file_is_refused(roster: Path, contract: RosterContract, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root every file is writable, so the check's view of permissions is what is set here.
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == roster else real(p, mode))
    with pytest.raises(InputError, match="read-only") as caught:
        update_roster(roster, contract, lang="vi", changes=[CellChange("members", 2, "alias", "x")])
    assert str(roster) in str(caught.value)


def test_single_csv_file_takes_its_own_sheet_only(tmp_path: Path, contract: RosterContract, data: RosterData) -> None:
    folder = write_csv_folder(data, contract, tmp_path / "csv", lang="en")
    single = folder / "members.csv"
    for other in folder.iterdir():
        if other != single:
            other.unlink()
    result = update_roster(single, contract, lang="en", changes=[CellChange("members", 2, "phone", "+84912345678")],
                           new_rows=[NewRow("members", member_row(contract, "HP-01-00780")),
                                     NewRow("support", dict(data.rows["support"][0]))],
                           conflicts=[ConflictEntry("members", 2, "HP-01-00001", "alias", "-a", "+b", None, "k")])
    assert (result.cells, result.rows_added) == (1, 1)
    rows, report = read_rows(single, data)
    assert report.ok and rows["members"][2]["phone"] == "0912345678"
    assert rows["members"][22]["member_code"] == "HP-01-00780"
    with (folder / "conflicts.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, cells = list(csv.reader(handle))
    assert header[0] == "Sheet" and cells[4:6] == ["'-a", "'+b"]
    cells[header.index("Keep")] = "Roster"
    with (folder / "conflicts.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, cells])
    assert read_conflict_choices(single) == {("members", "k", "alias"): "roster"}


def test_a_csv_sheet_without_its_header_is_never_written_over(tmp_path: Path, contract: RosterContract,
                                                              data: RosterData) -> None:
    folder = write_csv_folder(data, contract, tmp_path / "csv", lang="vi")
    support = folder / "support.csv"
    support.write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no header row"):
        update_roster(folder, contract, lang="vi", new_rows=[NewRow("support", dict(data.rows["support"][0]))])
    assert support.read_text(encoding="utf-8") == "x,y\n1,2\n"
