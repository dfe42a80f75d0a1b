"""The checks across rows and sheets: keys, members, meetings, enrolment dates; the outreach roster."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scdi.connector.roster.contract import load_contract
from scdi.connector.roster.validate import validate_roster
from tests.roster_fixture import make_sessions, required_filler, write_xlsx

from .conftest import needs_engines

TODAY = date(2025, 12, 31)


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "roster"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_cross_sheet_checks(tmp_path: Path) -> None:
    contract = load_contract()
    situation = contract.sheet("members").column("situation").options[0].en  # type: ignore[union-attr]
    # The required columns each hand-written sheet lacks, with valid values, from the contract.
    extra = {key: required_filler(contract, key, ("member_code", "date", *present)) for key, present in {
        "members": ("sex", "situation", "enrolled_on"), "meeting": ("mtg_members_present",),
        "attendance": (), "followup": (), "exit": ("exit_reason",)}.items()}
    head = {key: "".join(f",{h}" for h in headers) for key, (headers, _) in extra.items()}
    cells = {key: "".join(f",{c}" for c in values) for key, (_, values) in extra.items()}
    m, a, f, e = cells["members"], cells["attendance"], cells["followup"], cells["exit"]
    folder = _folder(tmp_path, {
        "members.csv": f"member_code,sex,situation,enrolled_on{head['members']}\nA-1,Nam,{situation},01/03/2025{m}\n"
                       f"A-2,Nữ,{situation},01/01/2025{m}\n",
        "meeting.csv": f"date,mtg_members_present{head['meeting']}\n05/03/2025,3{cells['meeting']}\n"
                       f"20/03/2025,1{cells['meeting']}\n05/03/2025,2{cells['meeting']}\n",
        "attendance.csv": f"member_code,date{head['attendance']}\nA-1,05/03/2025{a}\nA-2,05/03/2025{a}\n"
                          f"A-2,05/03/2025{a}\nA-2,06/03/2025{a}\nA-1,20/02/2025{a}\n",
        "followup.csv": f"member_code,date{head['followup']}\nA-1,10/02/2025{f}\nA-3,10/02/2025{f}\n",
        "exit.csv": f"member_code,date,exit_reason{head['exit']}\nA-2,01/06/2025,{e}\nA-2,02/06/2025,{e}\n",
    })
    report = validate_roster(folder, today=TODAY, engines=False, lang="en")
    found = {(f.sheet, f.row, f.column, f.code) for f in report.findings if f.code != "rules-skipped"}
    # The 5 March meeting says 3 present and has three attendance rows (one a duplicate key, still
    # a row): it reconciles; the 20 March meeting says 1 and has none.
    assert found == {
        ("meeting", 4, None, "duplicate-event"),
        ("meeting", 3, "mtg_members_present", "meeting-count"),
        ("attendance", 4, None, "duplicate-event"),
        ("attendance", 5, "date", "unknown-meeting"),
        ("attendance", 6, "date", "date-before-enrolment"),
        ("attendance", 6, "date", "unknown-meeting"),
        ("followup", 2, "date", "date-before-enrolment"),
        ("followup", 3, "member_code", "unknown-member"),
        ("exit", 2, "exit_reason", "required-missing"),
        ("exit", 3, "exit_reason", "required-missing"),
        ("exit", 3, None, "duplicate-event"),
    }
    summary = report.summary()["sheets"]
    assert summary["attendance"] == {"name": "attendance", "read": 5, "valid": 2, "invalid": 3, "blank": 0}


def test_members_sheet_missing_and_unknown_sheets(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"followup.csv": "member_code,date\nA-1,10/02/2025\n",
                                "notes.csv": "whatever,else\n1,2\n"})
    report = validate_roster(folder, today=TODAY, engines=False, lang="en")
    codes = {f.code for f in report.findings}
    assert {"sheet-missing", "sheet-ignored"} <= codes and "unknown-member" not in codes


@needs_engines
def test_an_outreach_roster_validates_clean(tmp_path: Path) -> None:
    contract = load_contract("outreach")
    data = make_sessions(contract)
    path = write_xlsx(data, contract, tmp_path / "sessions.xlsx", lang="vi")
    report = validate_roster(path, today=data.today)
    assert report.kind == "outreach"
    assert [f.one_line() for f in report.findings] == []
    assert report.summary()["sheets"]["session"]["valid"] == len(data.rows["session"]) > 40


def test_only_the_rules_module_imports_the_engine_bridge() -> None:
    folder = Path(__file__).resolve().parents[3] / "connector" / "roster"
    importers = sorted(p.name for p in folder.glob("*.py") if "metadata.engines" in p.read_text(encoding="utf-8"))
    assert importers == ["rules.py"]


def test_header_below_a_title_row_and_a_sheet_without_headers(tmp_path: Path) -> None:
    contract = load_contract()
    situation = contract.sheet("members").column("situation").options[0].vi  # type: ignore[union-attr]
    headers, values = required_filler(contract, "members", ("member_code", "sex", "situation", "enrolled_on"),
                                      lang="vi")
    more_headers, more_cells, commas = "".join(f",{h}" for h in headers), "".join(f",{v}" for v in values), \
        "," * len(headers)
    folder = _folder(tmp_path, {
        "members.csv": f"Danh sách nhóm HP-01,,,{commas}\n,,,{commas}\nMã thành viên,Giới tính,Tình trạng khi tham gia,"
                       f"Ngày tham gia nhóm{more_headers}\nA-1,Nam,{situation},01/03/2025{more_cells}\n",
        "followup.csv": "a,b\n1,2\n,\n",
    })
    report = validate_roster(folder, today=TODAY, engines=False, lang="en")
    sheets = report.summary()["sheets"]
    assert sheets["members"] == {"name": "members", "read": 1, "valid": 1, "invalid": 0, "blank": 0}
    assert sheets["followup"] == {"name": "followup", "read": 3, "valid": 0, "invalid": 2, "blank": 1}
    assert [(f.sheet, f.code) for f in report.findings if f.code != "rules-skipped"] == [
        ("followup", "header-not-found")]
