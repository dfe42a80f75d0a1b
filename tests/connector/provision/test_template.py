"""The empty registry workbook: sheets, drop-downs, hidden codes, and that it reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scdi.connector.provision.columns import COLUMNS, package_choices
from scdi.connector.provision.registry import read_registry
from scdi.connector.provision.template import CODES, INSTRUCTIONS, SHEET, write_template


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_template_layout(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / "groups.xlsx", lang)
    book = load_workbook(path)
    assert book.sheetnames == [SHEET[lang], INSTRUCTIONS[lang], CODES]
    assert book[CODES].sheet_state == "hidden"
    sheet = book[SHEET[lang]]
    headers = [cell.value for cell in sheet[1]]
    other = "en" if lang == "vi" else "vi"
    assert headers == [f"{getattr(c, lang)}\n({getattr(c, other)})" for c in COLUMNS]  # both languages
    for cell, column in zip(sheet[1], COLUMNS, strict=True):
        assert column.key in cell.comment.text and getattr(column, other) in cell.comment.text
    lists = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    letter = {c.key: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
    kinds, sponsors = package_choices()
    assert lists[letter["kind"]] == f"'{CODES}'!$A$2:$A${len(kinds.options) + 1}"
    assert lists[letter["sponsor"]] == f"'{CODES}'!$D$2:$D${len(sponsors.options) + 1}"
    assert lists[letter["active"]] == f"'{CODES}'!$G$2:$G$3"
    codes = book[CODES]
    assert [codes.cell(row=i + 2, column=2).value for i in range(len(kinds.options))] == [c.code for c in kinds.options]
    assert sheet[f"{letter['leader_phone']}2"].number_format == "@"
    guide = " ".join(str(c.value) for row in book[INSTRUCTIONS[lang]].iter_rows() for c in row if c.value)
    assert all(c.key in guide and c.vi in guide and c.en in guide for c in COLUMNS)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_empty_template_reads_as_an_empty_registry(tmp_path: Path, lang: str) -> None:
    registry = read_registry(write_template(tmp_path / "groups.xlsx", lang))
    assert registry.rows == [] and registry.findings == []
    assert set(registry.columns) == {c.key for c in COLUMNS}


def test_a_filled_template_reads_back(tmp_path: Path) -> None:
    path = write_template(tmp_path / "groups.xlsx", "vi")
    book = load_workbook(path)
    sheet = book[SHEET["vi"]]
    kinds, sponsors = package_choices()
    values = ["hp-kntc", "Câu lạc bộ Kết nối thành công", kinds.options[1].vi, "Hải Phòng", "", "Phường Hồng Bàng",
              sponsors.options[1].vi, dt.date(2014, 3, 15), "hp.kntc", "", "0912345678", "Có"]
    for index, value in enumerate(values, start=1):
        sheet.cell(row=2, column=index, value=value)
    book.save(path)
    registry = read_registry(path, today=dt.date(2026, 1, 1))
    [row] = registry.rows
    assert (row.group_code, row.kind, row.sponsor, row.founded_on, row.leader_phone, row.active) == (
        "HP-KNTC", "SCDI_GROUP_KIND_CLUB", "SCDI_SPONSOR_PCTNXH", dt.date(2014, 3, 15), "0912345678", True)
    assert registry.findings == [] and row.row == 2
