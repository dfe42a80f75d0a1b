"""Reading roster files: encodings, formulas, header rows, blank rows."""

from __future__ import annotations

import codecs
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from scdi.connector.errors import InputError
from scdi.connector.roster.read import detect_encoding, open_roster

HEADER = "Mã thành viên,Giới tính,Ngày tham gia nhóm\nHP-1,Nam,01/02/2025\n"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps the vowels precomposed and the tone marks as combining characters."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            out += unicodedata.normalize("NFC", parts[:-1]).encode("cp1258") + parts[-1].encode("cp1258")
    return out


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                               ("utf-16", "utf-16"), ("cp1258", "cp1258")])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(to_cp1258(HEADER) if encoding == "cp1258" else HEADER.encode(encoding))
    roster = open_roster(path)
    assert roster.encodings["members.csv"] == expected
    rows = list(roster.sheets[0].rows())
    assert [unicodedata.normalize("NFC", cell) for cell in rows[0][1]] == HEADER.splitlines()[0].split(",")
    assert rows[1][1][0] == "HP-1"


def test_utf16_without_bom_and_refusal(tmp_path: Path) -> None:
    assert detect_encoding(HEADER.encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding(HEADER.encode("utf-16-be")) == "utf-16-be"
    with pytest.raises(InputError, match="encoding") as refused:
        detect_encoding(b"\x00\x01\x02\x03\x00\x00\x00\x05" * 10 + b"\x81\x8d")
    assert "CSV UTF-8" in refused.value.one_line()
    with pytest.raises(InputError, match="encoding"):
        detect_encoding("Mã".encode() [:-1] + b"\x81\x8d\x8e\x8f\x90")
    assert detect_encoding(codecs.BOM_UTF8 + b"a,b") == "utf-8-sig"


def test_semicolon_csv_and_folder(tmp_path: Path) -> None:
    folder = tmp_path / "roster"
    folder.mkdir()
    (folder / "members.csv").write_text("Mã thành viên;Giới tính\nHP-1;Nam\n", encoding="utf-8")
    (folder / "notes.md").write_text("ignored")
    roster = open_roster(folder)
    assert [s.title for s in roster.sheets] == ["members"]
    assert list(roster.sheets[0].rows())[1] == (2, ["HP-1", "Nam"])


def _with_cached_value(path: Path, sheet_part: str, formula: str, value: str) -> None:
    """openpyxl writes formulas without a saved value; add one as a spreadsheet program would."""
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == sheet_part:
                data = re.sub(rb"<f>" + re.escape(formula.encode()) + rb"</f><v\s*/?>(?:</v>)?",
                              b"<f>" + formula.encode() + b"</f><v>" + value.encode() + b"</v>", data)
            target.writestr(item, data)
    shutil.move(temp, path)


def test_formula_cells_are_found_with_their_saved_value(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sinh hoạt nhóm"
    sheet.append(["Ngày sinh hoạt", "Số thành viên tham dự"])
    sheet.append(["05/01/2025", "=2+3"])
    sheet.append(["20/01/2025", "=1+1"])
    workbook.save(path)
    _with_cached_value(path, "xl/worksheets/sheet1.xml", "2+3", "5")
    roster = open_roster(path)
    raw = roster.sheets[0]
    assert raw.formulas == frozenset({(2, 1), (3, 1)})
    rows = dict(raw.rows())
    assert rows[2][1] in (5, 5.0, "5")
    assert rows[3][1] in ("", None)


def test_a_file_that_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError):
        open_roster(path)
    with pytest.raises(InputError, match="no such file"):
        open_roster(tmp_path / "missing.xlsx")
