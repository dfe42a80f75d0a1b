"""Rosters as people and programs really make them, fuzzed: any headers, dates, phones, codes,
numbers, Vietnamese in NFC or NFD, huge cells, formula-like text, empty and misnamed sheets, CSV
in every encoding we read, truncated and non-XLSX files. Validation never raises anything but a
typed error, and every row is accounted for: read = valid + invalid + blank per sheet, and every
invalid row has an error naming its sheet and row."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scdi.connector.errors import ScdiError
from scdi.connector.roster.contract import load_contract
from scdi.connector.roster.findings import Severity
from scdi.connector.roster.validate import validate_roster

CONTRACT = load_contract("member")
MEMBERS = CONTRACT.sheet("members")
assert MEMBERS is not None
HEADERS = [c.vi for c in MEMBERS.columns] + [c.en for c in MEMBERS.columns] + ["Ghi chú", "", "?"]
TODAY = date(2025, 12, 31)

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["Nam", "Nữ", "Khác", "01/02/2025", "2025-13-40", "31/12/2099", "0912 345 678", "+84912345678",
                     "=1+1", "+SUM(A1)", "-3", "@x", "1.500.000", "1,5", "Có", "x", "HP-01-0001", "", " ",
                     unicodedata.normalize("NFD", "Đang sinh hoạt"), "Ｎữ", "\u200bNam"]),
    st.integers(-10**12, 10**12).map(str),
    st.just("x" * 40_000),
)
header_row = st.lists(st.sampled_from(HEADERS), min_size=1, max_size=12)
rows = st.lists(st.lists(cell, max_size=12), max_size=25)
encoding = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"])


def _csv(headers: list[str], body: list[list[str]]) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    return "\n".join(",".join(quote(c) for c in line) for line in [headers, *body]) + "\n"


def _accounted(path: Path) -> None:
    try:
        report = validate_roster(path, engines=False, today=TODAY)
    except ScdiError:
        return  # a typed, one-line error (an unreadable file, an unknown encoding)
    by_name = {s.name: s for s in report.sheets}
    for summary in report.sheets:
        assert summary.read == summary.valid + summary.invalid + summary.blank
    flagged: dict[str, set[int]] = {}
    for finding in report.findings:
        assert finding.message and finding.code
        if finding.severity is Severity.ERROR and finding.row is not None:
            assert finding.sheet in by_name
            flagged.setdefault(finding.sheet or "", set()).add(finding.row)
    unreadable = {f.sheet for f in report.findings if f.code == "header-not-found"}
    for summary in report.sheets:
        if summary.name not in unreadable:  # a sheet without a header is one finding for all its rows
            assert summary.invalid == len(flagged.get(summary.name, set()))  # each invalid row has its error


def _check_csv(tmp: Path, headers: list[str], body: list[list[str]], enc: str) -> None:
    text = _csv(headers, body)
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    path = tmp / "members.csv"
    path.write_bytes(data)
    _accounted(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=header_row, body=rows, enc=encoding)
def test_fuzzed_csv_rosters_are_read_without_tracebacks(tmp_path: Path, headers: list[str], body: list[list[str]],
                                                        enc: str) -> None:
    _check_csv(tmp_path, headers, body, enc)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=header_row, body=rows, enc=encoding)
def test_ten_thousand_fuzzed_csv_rosters(tmp_path: Path, headers: list[str], body: list[list[str]], enc: str) -> None:
    _check_csv(tmp_path, headers, body, enc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=header_row, body=rows, title=st.sampled_from(["Thành viên", "Members", "Sheet1", "thanh vien", ""]))
def test_fuzzed_workbooks_with_any_sheet_names(tmp_path: Path, headers: list[str], body: list[list[str]],
                                               title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    sheet.title = title or "Sheet"
    for line in [headers, *body]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c)[:32_000] for c in line])  # what a spreadsheet can hold
    book.create_sheet("Trống")  # an empty sheet
    path = tmp_path / "roster.xlsx"
    book.save(path)
    _accounted(path)


@pytest.mark.parametrize("damage", ["truncated", "not-a-zip", "empty", "zip-without-workbook"])
def test_broken_files_are_one_typed_error(tmp_path: Path, damage: str) -> None:
    from openpyxl import Workbook

    whole = io.BytesIO()
    Workbook().save(whole)
    raw = {"truncated": whole.getvalue()[: len(whole.getvalue()) // 2], "not-a-zip": b"%PDF-1.4 not a workbook",
           "empty": b""}.get(damage)
    path = tmp_path / "roster.xlsx"
    if raw is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "xin chào")
    else:
        path.write_bytes(raw)
    with pytest.raises(ScdiError) as caught:
        validate_roster(path, engines=False, today=TODAY)
    assert "roster.xlsx" in str(caught.value) or "roster.xlsx" in (caught.value.hint or "") or caught.value.message
