"""Writing rosters with openpyxl: the empty template, or a roster filled with rows.

Sheet order: the instructions, then one sheet per contract sheet, then the hidden `_codes`
sheet that holds the drop-down lists and, in its first two columns, what the file was made
from (package code and version, roster kind, language, group code, date). The same facts go
into the document properties (`scdi.*`). Each data sheet has one header row, frozen, with a
note on every header (description, required, confidential); coded columns have a drop-down
(a warning, not a stop, so a code or the other language may still be typed); the `uid` column
is hidden. Written in openpyxl's write-only mode, so a large filled roster streams to disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel

from scdi.connector.errors import InputError
from scdi.connector.roster.contract import ColumnSpec, Lang, RosterContract, SheetSpec
from scdi.connector.roster.read import CODES_SHEET
from scdi.connector.roster.values import DATE_TYPES, choices, formula_like, to_cell

INSTRUCTIONS = {"vi": "Hướng dẫn", "en": "Instructions"}
# Written by sync into an existing roster: what changed on both sides, for the person to settle.
CONFLICTS = {"vi": "Xung đột", "en": "Conflicts"}
DATE_FORMAT = "dd/mm/yyyy"
_BOLD = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_CONFIDENTIAL_FILL = PatternFill("solid", fgColor="F4CCCC")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

TEXT = {
    "vi": {
        "title": "Danh sách nhóm: thành viên, sinh hoạt, theo dõi",
        "package": "Gói siêu dữ liệu", "group": "Mã nhóm", "lang": "Ngôn ngữ", "kind": "Loại danh sách",
        "made": "Ngày tạo", "sheets": "Các trang", "columns": "Cột bắt buộc",
        "required": "Bắt buộc.", "confidential": "Bảo mật: chỉ nhóm được xem; không chia sẻ tệp này.",
        "drop": "Chọn trong danh sách", "drop_error": "Giá trị không có trong danh sách. Vẫn giữ?",
        "rules": [
            "Mỗi dòng là một bản ghi. Không đổi tên cột; có thể thêm cột riêng, chương trình sẽ bỏ qua.",
            "Ghi ngày theo kiểu ngày/tháng/năm (25/03/2025).",
            "Mã thành viên là cách duy nhất để nhận ra thành viên: không ghi tên.",
            "Các cột tô đỏ là thông tin bảo mật (tên gọi khác, số điện thoại): không chia sẻ tệp này.",
            "Trang Tham gia sinh hoạt: ngày là ngày của buổi sinh hoạt trong trang Sinh hoạt nhóm.",
            "Kiểm tra tệp: scdi roster validate <tệp>",
        ],
    },
    "en": {
        "title": "Group roster: members, meetings, follow-ups",
        "package": "Metadata package", "group": "Group code", "lang": "Language", "kind": "Roster kind",
        "made": "Made on", "sheets": "Sheets", "columns": "Required columns",
        "required": "Required.", "confidential": "Confidential: for the group only; do not share this file.",
        "drop": "Pick from the list", "drop_error": "The value is not in the list. Keep it?",
        "rules": [
            "One row per record. Do not rename columns; extra columns of your own are ignored.",
            "Write dates as day/month/year (25/03/2025).",
            "The member code is the only way to identify a member: never write names.",
            "Columns in red are confidential (alias, phone): do not share this file.",
            "Meeting attendance sheet: the date is the date of the meeting on the Group meeting sheet.",
            "Check the file: scdi roster validate <file>",
        ],
    },
}


class WrittenRoster(BaseModel):
    path: str
    package: dict[str, str]
    kind: str
    lang: str
    group: str | None
    sheets: dict[str, int]  # sheet key → data rows written


def write_roster(contract: RosterContract, path: Path, *, lang: Lang = "vi", group: str | None = None,
                 rows: Mapping[str, Iterable[Mapping[str, str | None]]] | None = None,
                 made_on: date | None = None) -> WrittenRoster:
    """Write the template (no `rows`) or a roster filled with rows of DHIS2 values per sheet key."""
    if lang not in TEXT:
        raise InputError(f"unknown language {lang!r}", hint="Use --lang vi or --lang en.")
    made = (made_on or date.today()).isoformat()
    meta = {"package_code": contract.package.code, "package_version": contract.package.version,
            "kind": contract.kind, "lang": lang, "group": group or "", "made_on": made}
    workbook = Workbook(write_only=True)
    _instructions(workbook, contract, lang, meta)
    code_ranges = _code_ranges(contract, lang)
    written: dict[str, int] = {}
    for sheet in contract.sheets:
        written[sheet.key] = _data_sheet(workbook, sheet, lang, code_ranges,
                                         (rows or {}).get(sheet.key, ()))
    _codes_sheet(workbook, contract, lang, meta)
    workbook.properties.title = TEXT[lang]["title"]
    workbook.properties.subject = group or ""
    workbook.properties.creator = "scdi-groups"
    workbook.properties.keywords = f"{contract.package.code} {contract.package.version}"
    for name, value in meta.items():
        workbook.custom_doc_props.append(StringProperty(name=f"scdi.{name}", value=value or "-"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
    except OSError as exc:
        raise InputError(f"cannot write the roster: {exc.strerror}", file=str(path)) from exc
    return WrittenRoster(path=str(path), package={"code": contract.package.code, "version": contract.package.version},
                         kind=contract.kind, lang=lang, group=group, sheets=written)


def _instructions(workbook: Workbook, contract: RosterContract, lang: Lang, meta: dict[str, str]) -> None:
    text = TEXT[lang]
    sheet = workbook.create_sheet(INSTRUCTIONS[lang])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90
    title = WriteOnlyCell(sheet, value=text["title"])
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append([])
    for label, key in (("package", "package_version"), ("kind", "kind"), ("group", "group"),
                       ("lang", "lang"), ("made", "made_on")):
        value = f"{contract.package.code} {meta[key]}" if key == "package_version" else meta[key]
        sheet.append([_bold(sheet, text[label]), value])
    sheet.append([])
    for line in text["rules"]:
        sheet.append(["•", line])
    sheet.append([])
    sheet.append([_bold(sheet, text["sheets"]), _bold(sheet, text["columns"])])
    for spec in contract.sheets:
        required = ", ".join(c.header(lang) for c in spec.columns if c.required)
        sheet.append([spec.name(lang), required])


def _bold(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = _BOLD
    return cell


def _code_ranges(contract: RosterContract, lang: Lang) -> dict[tuple[str, str], str]:
    """(sheet key, column key) → the drop-down's range on the _codes sheet."""
    ranges: dict[tuple[str, str], str] = {}
    position = 4  # column D: A and B hold what the file was made from
    for sheet in contract.sheets:
        for column in sheet.columns:
            values = choices(column, lang)
            if values:
                letter = get_column_letter(position)
                ranges[(sheet.key, column.key)] = f"{CODES_SHEET}!${letter}$2:${letter}${len(values) + 1}"
                position += 1
    return ranges


def _codes_sheet(workbook: Workbook, contract: RosterContract, lang: Lang, meta: dict[str, str]) -> None:
    sheet = workbook.create_sheet(CODES_SHEET)
    sheet.sheet_state = "hidden"
    lists: list[tuple[str, list[str]]] = []
    for spec in contract.sheets:
        for column in spec.columns:
            values = choices(column, lang)
            if values:
                lists.append((f"{spec.key}.{column.key}", values))
    meta_rows = list(meta.items())
    height = max(len(meta_rows), max((len(v) + 1 for _, v in lists), default=0))
    for index in range(height):
        row: list[Any] = list(meta_rows[index]) if index < len(meta_rows) else [None, None]
        row.append(None)
        for name, values in lists:
            row.append(name if index == 0 else (values[index - 1] if index - 1 < len(values) else None))
        sheet.append(row)


def _header_cell(sheet: Any, column: ColumnSpec, lang: Lang) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=column.header(lang))
    style_header(cell, column, lang)
    return cell


def style_header(cell: Any, column: ColumnSpec, lang: Lang) -> None:
    """A header cell's look and note (a write-only or a normal cell): bold, coloured by kind."""
    text = TEXT[lang]
    cell.font = _BOLD
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.fill = _CONFIDENTIAL_FILL if column.confidential else _REQUIRED_FILL if column.required else _HEADER_FILL
    parts = [column.note(lang)]
    if column.required:
        parts.append(str(text["required"]))
    if column.confidential:
        parts.append(str(text["confidential"]))
    note = "\n".join(p for p in parts if p)
    if note:
        cell.comment = Comment(note, "scdi-groups", width=320, height=140)


def text_cell(cell: Any) -> Any:
    """The cell holds its formula-like value as text: stored as a string, shown with the quote
    prefix (as Excel does for text typed after an apostrophe), so it never runs as a formula."""
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _data_sheet(workbook: Workbook, spec: SheetSpec, lang: Lang, code_ranges: dict[tuple[str, str], str],
                rows: Iterable[Mapping[str, str | None]]) -> int:
    text = TEXT[lang]
    sheet = workbook.create_sheet(spec.name(lang))
    sheet.freeze_panes = "B2" if spec.role == "members" else "A2"
    for position, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = min(max(len(column.header(lang)) + 2, 12), 40)
        if column.hidden:
            sheet.column_dimensions[letter].hidden = True
        source = code_ranges.get((spec.key, column.key))
        if source:
            validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True,
                                        showErrorMessage=True, errorStyle="warning",
                                        error=str(text["drop_error"]), prompt=str(text["drop"]))
            validation.add(f"{letter}2:{letter}1048576")
            sheet.data_validations.append(validation)
    sheet.append([_header_cell(sheet, column, lang) for column in spec.columns])
    dates = [column.value_type in DATE_TYPES for column in spec.columns]
    count = 0
    for row in rows:
        cells: list[Any] = []
        for column, is_date in zip(spec.columns, dates, strict=True):
            value = to_cell(column, row.get(column.key), lang)
            if is_date and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                cells.append(cell)
            elif formula_like(value):
                cells.append(text_cell(WriteOnlyCell(sheet, value=value)))
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    return count
