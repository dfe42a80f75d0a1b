"""`update_roster` for XLSX workbooks: openpyxl in normal mode, so every cell, note, style,
drop-down, width and sheet it does not own is saved back as it was loaded.

Sheets are found as validation finds them (by title, else by their headers), their header row
as `rows.read_sheet` finds it: the row among the first ten that names the most columns. A
column the file lacks (the hidden `uid` most often) is added after the last header. Row flags
are a note on the row's first cell, its first line `scdi-groups:`, and a fill in cells that had
none; a person's own note there is kept below ours and given back when the flag goes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scdi.connector.errors import InputError
from scdi.connector.roster.contract import ColumnSpec, Lang, RosterContract, SheetSpec
from scdi.connector.roster.headers import HEADER_SCAN_ROWS, SheetMatcher
from scdi.connector.roster.read import CODES_SHEET
from scdi.connector.roster.text import fold
from scdi.connector.roster.validate import NOT_DATA
from scdi.connector.roster.values import formula_like
from scdi.connector.roster.write import CONFLICTS, DATE_FORMAT, TEXT, style_header, text_cell
from scdi.connector.sync.workbook import (
    FLAG_MARK,
    KEEP_LABELS,
    KEEP_NOTE,
    CellChange,
    ConflictEntry,
    NewRow,
    RowFlag,
    WorkbookUpdate,
    check_writable,
    conflict_header,
    conflict_rows,
    replace_atomically,
    shown,
)

FLAG_COLOR = "FFF8CBAD"  # our fill, told from a person's by its exact colour
_FLAG_FILL = PatternFill("solid", fgColor=FLAG_COLOR)
_NO_FILL = PatternFill()
_SEPARATOR = "――――"  # between our note and the person's own note on the same cell
_BOLD = Font(bold=True)


@dataclass
class _Sheet:
    spec: SheetSpec
    ws: Worksheet
    header_row: int
    columns: dict[str, int] = field(default_factory=dict)  # column key → column number (1-based)
    last_column: int = 0  # last non-empty header cell
    last_row: int | None = None  # last non-empty row, worked out when rows are added

    @property
    def first_column(self) -> int:
        return min(self.columns.values(), default=1)


def update_xlsx(path: Path, contract: RosterContract, *, lang: Lang, changes: Iterable[CellChange],
                new_rows: Iterable[NewRow], conflicts: Sequence[ConflictEntry], flags: Sequence[RowFlag],
                redact: bool) -> WorkbookUpdate:
    check_writable(path)
    book = _load(path)
    sheets = _find_sheets(book, contract)
    cells = 0
    for change in changes:
        sheet = _sheet(sheets, change.sheet, change.row)
        if change.row <= sheet.header_row:
            raise ValueError(f"row {change.row} is not a data row of sheet {change.sheet!r}")
        column = _column(sheet, change.column, lang)
        _put(sheet, change.row, column, change.value, lang, redact)
        cells += 1
    added = 0
    for row in new_rows:
        sheet = sheets.get(row.sheet) or _new_sheet(book, contract, row.sheet, lang, sheets)
        if sheet.last_row is None:
            sheet.last_row = _last_row(sheet)
        sheet.last_row += 1
        for key, value in row.values.items():
            if value is not None and value != "":
                _put(sheet, sheet.last_row, _column(sheet, key, lang), value, lang, redact)
        added += 1
    flagged = _apply_flags(sheets, flags)
    _conflicts_sheet(book, contract, conflicts, lang, {k: s.ws.title for k, s in sheets.items()})
    replace_atomically(path, lambda target: book.save(target))
    return WorkbookUpdate(path=str(path), cells=cells, rows_added=added, conflicts=len(conflicts), flags=flagged)


def _load(path: Path) -> Workbook:
    try:
        return openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", rich_text=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError("cannot open the workbook to update it", file=str(path),
                         hint="Save it again as .xlsx (Excel workbook) and run again.") from exc


def _find_sheets(book: Workbook, contract: RosterContract) -> dict[str, _Sheet]:
    matcher = SheetMatcher(contract)
    found: dict[str, _Sheet] = {}
    for ws in book.worksheets:
        if fold(ws.title) in NOT_DATA:
            continue
        head = [list(cells) for cells in ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True)]
        spec = matcher.sheet_of(ws.title, head)
        number = matcher.header_row(spec, head) if spec is not None and spec.key not in found else None
        if spec is None or number is None:
            continue
        cells = head[number - 1]
        mapped = matcher.header_map(spec, number, cells)
        filled = [i for i, cell in enumerate(cells) if not _blank(cell)]
        found[spec.key] = _Sheet(spec=spec, ws=ws, header_row=number,
                                 columns={c.key: index + 1 for index, c in mapped.columns.items()},
                                 last_column=(max(filled) + 1) if filled else 0)
    return found


def _sheet(sheets: dict[str, _Sheet], key: str, row: int) -> _Sheet:
    sheet = sheets.get(key)
    if sheet is None:
        raise ValueError(f"the workbook has no sheet {key!r} for row {row}")
    return sheet


def _column(sheet: _Sheet, key: str, lang: Lang) -> tuple[int, ColumnSpec]:
    """The column number of `key`, adding the column after the last header when the file lacks it."""
    spec = sheet.spec.column(key)
    if spec is None:
        raise ValueError(f"sheet {sheet.spec.key!r} has no column {key!r}")
    number = sheet.columns.get(key)
    if number is None:
        sheet.last_column += 1
        number = sheet.last_column
        sheet.columns[key] = number
        style_header(sheet.ws.cell(row=sheet.header_row, column=number, value=spec.header(lang)), spec, lang)
        letter = get_column_letter(number)
        sheet.ws.column_dimensions[letter].width = min(max(len(spec.header(lang)) + 2, 12), 40)
        if spec.hidden:
            sheet.ws.column_dimensions[letter].hidden = True
    return number, spec


def _put(sheet: _Sheet, row: int, where: tuple[int, ColumnSpec], value: str | None, lang: Lang,
         redact: bool) -> None:
    number, column = where
    form = shown(column, value, lang, redact=redact)
    cell = sheet.ws.cell(row=row, column=number)
    cell.value = form
    if isinstance(form, date):
        cell.number_format = DATE_FORMAT
    elif formula_like(form):
        text_cell(cell)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _last_row(sheet: _Sheet) -> int:
    """The last row with a value at or below the header (formatting alone does not count)."""
    last = sheet.header_row
    for number, cells in enumerate(sheet.ws.iter_rows(min_row=sheet.header_row + 1, values_only=True),
                                   start=sheet.header_row + 1):
        for value in cells:
            if not _blank(value):
                last = number
                break
    return last


# --- a sheet the file lacks ------------------------------------------------------------------


def _new_sheet(book: Workbook, contract: RosterContract, key: str, lang: Lang, sheets: dict[str, _Sheet]) -> _Sheet:
    spec = contract.sheet(key)
    if spec is None:
        raise ValueError(f"the contract has no sheet {key!r}")
    order = [s.key for s in contract.sheets]
    before = [sheets[k].ws for k in order[:order.index(key)] if k in sheets]
    if before:
        index = book.worksheets.index(before[-1]) + 1
    elif CODES_SHEET in book.sheetnames:
        index = book.worksheets.index(book[CODES_SHEET])
    else:
        index = len(book.worksheets)
    ws = book.create_sheet(spec.name(lang), index)
    ws.freeze_panes = "B2" if spec.role == "members" else "A2"
    for number, column in enumerate(spec.columns, start=1):
        style_header(ws.cell(row=1, column=number, value=column.header(lang)), column, lang)
        letter = get_column_letter(number)
        ws.column_dimensions[letter].width = min(max(len(column.header(lang)) + 2, 12), 40)
        if column.hidden:
            ws.column_dimensions[letter].hidden = True
        source = _code_range(book, spec.key, column.key)
        if source:
            validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True,
                                        errorStyle="warning", error=str(TEXT[lang]["drop_error"]),
                                        prompt=str(TEXT[lang]["drop"]))
            validation.add(f"{letter}2:{letter}1048576")
            ws.data_validations.append(validation)
    sheet = _Sheet(spec=spec, ws=ws, header_row=1, columns={c.key: n for n, c in enumerate(spec.columns, start=1)},
                   last_column=len(spec.columns), last_row=1)
    sheets[key] = sheet
    return sheet


def _code_range(book: Workbook, sheet_key: str, column_key: str) -> str | None:
    """The drop-down list of a column on the file's own _codes sheet (its first row names each list)."""
    if CODES_SHEET not in book.sheetnames:
        return None
    codes = book[CODES_SHEET]
    for cell in next(codes.iter_rows(min_row=1, max_row=1), ()):
        if cell.value == f"{sheet_key}.{column_key}":
            letter = get_column_letter(cell.column)
            height = 1
            while codes.cell(row=height + 1, column=cell.column).value not in (None, ""):
                height += 1
            return f"{CODES_SHEET}!${letter}$2:${letter}${height}" if height > 1 else None
    return None


# --- flags -----------------------------------------------------------------------------------


def _apply_flags(sheets: dict[str, _Sheet], flags: Sequence[RowFlag]) -> int:
    wanted: dict[tuple[str, int], list[str]] = {}
    for flag in flags:
        wanted.setdefault((flag.sheet, flag.row), []).append(flag.message)
    for key, sheet in sheets.items():
        first = sheet.first_column
        for (cell,) in sheet.ws.iter_rows(min_row=sheet.header_row + 1, min_col=first, max_col=first):
            if cell.comment is not None and _ours(cell.comment) and (key, cell.row) not in wanted:
                _unflag(sheet, cell.row)
    count = 0
    for (key, row), messages in wanted.items():
        target = sheets.get(key)
        if target is None or row <= target.header_row:
            continue
        _flag(target, row, "\n".join(dict.fromkeys(messages)))
        count += 1
    return count


def _ours(comment: Comment) -> bool:
    return str(comment.text or "").startswith(FLAG_MARK)


def _own_part(text: str) -> str:
    """The person's note kept below ours, or ''."""
    _, found, rest = text.partition("\n" + _SEPARATOR + "\n")
    return rest if found else ""


def _flag(sheet: _Sheet, row: int, message: str) -> None:
    cell = sheet.ws.cell(row=row, column=sheet.first_column)
    before = cell.comment
    own = (_own_part(before.text) if _ours(before) else before.text) if before is not None else ""
    text = f"{FLAG_MARK}\n{message}" + (f"\n{_SEPARATOR}\n{own}" if own else "")
    author = before.author if before is not None and own else "scdi-groups"
    cell.comment = Comment(text, author or "scdi-groups", width=320, height=120)
    for number in range(sheet.first_column, max(sheet.last_column, sheet.first_column) + 1):
        target = sheet.ws.cell(row=row, column=number)
        if target.fill is None or target.fill.fill_type is None:
            target.fill = _FLAG_FILL


def _unflag(sheet: _Sheet, row: int) -> None:
    cell = sheet.ws.cell(row=row, column=sheet.first_column)
    if cell.comment is not None:
        own = _own_part(cell.comment.text)
        cell.comment = Comment(own, cell.comment.author or "") if own else None
    for number in range(sheet.first_column, max(sheet.last_column, sheet.first_column) + 1):
        target = sheet.ws.cell(row=row, column=number)
        if target.fill is not None and target.fill.fill_type == "solid" and _rgb(target.fill) == FLAG_COLOR:
            target.fill = _NO_FILL


def _rgb(fill: PatternFill) -> str:
    color = fill.fgColor
    return str(color.rgb) if color is not None and color.type == "rgb" else ""


# --- the Conflicts sheet ---------------------------------------------------------------------


def _conflicts_sheet(book: Workbook, contract: RosterContract, conflicts: Sequence[ConflictEntry], lang: Lang,
                     names: dict[str, str]) -> None:
    titles = {fold(title) for title in CONFLICTS.values()}
    for ws in list(book.worksheets):
        if fold(ws.title) in titles:
            book.remove(ws)
    if not conflicts:
        return
    index = book.worksheets.index(book[CODES_SHEET]) if CODES_SHEET in book.sheetnames else len(book.worksheets)
    ws = book.create_sheet(CONFLICTS[lang], index)
    header = conflict_header(lang)
    ws.append(header)
    for cell in ws[1]:
        cell.font = _BOLD
    keep_column = len(header) - 3
    ws.cell(row=1, column=keep_column).comment = Comment(KEEP_NOTE[lang], "scdi-groups", width=320, height=100)
    ws.freeze_panes = "A2"
    for values in conflict_rows(contract, conflicts, lang, names):
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif formula_like(cell.value):
                text_cell(cell)
    for number, width in enumerate((22, 8, 18, 28, 22, 22, 22, 12), start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    for number in range(keep_column + 1, len(header) + 1):
        ws.column_dimensions[get_column_letter(number)].hidden = True
    labels = ",".join(KEEP_LABELS[lang])
    validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True, showErrorMessage=True,
                                errorStyle="stop", prompt=KEEP_NOTE[lang])
    letter = get_column_letter(keep_column)
    validation.add(f"{letter}2:{letter}{len(conflicts) + 1}")
    ws.data_validations.append(validation)
