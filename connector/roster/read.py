"""Reading roster files: XLSX (and XLS, ODS) with python-calamine, CSV in any usual encoding.

A roster is one workbook, one CSV file, or a folder of CSV files (one per sheet, named by the
sheet's key: `members.csv`, `attendance.csv`, …, or by its name). Rows come out one at a time
as `(excel_row_number, cells)`; nothing here keeps rows. Formula cells are read by their saved
value (calamine reads what the spreadsheet program saved) and reported by position, found by
scanning the sheet's XML for formula tags.

CSV encodings: UTF-8 with or without BOM, UTF-16 (with BOM, or without one when the NUL
pattern shows it) and Windows-1258 (Vietnamese Windows) are detected; anything else is refused
with a message saying to save the file as "CSV UTF-8".
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from scdi.connector.errors import InputError
from scdi.connector.roster.values import csv_unquoted

CODES_SHEET = "_codes"
SAMPLE_BYTES = 1 << 20
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class RawSheet:
    """One sheet of a roster file, not yet read: `rows()` streams it."""

    title: str
    file: str
    hidden: bool = False
    _open: Any = None
    formulas: frozenset[tuple[int, int]] = field(default_factory=frozenset)  # (row, column index)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        opened: Iterator[tuple[int, list[Any]]] = self._open()
        return opened


@dataclass
class RosterFile:
    path: Path
    format: str  # "xlsx" | "csv"
    sheets: list[RawSheet]
    meta: dict[str, str] = field(default_factory=dict)  # from the template's _codes sheet
    encodings: dict[str, str] = field(default_factory=dict)  # CSV file → encoding read


def open_roster(path: Path) -> RosterFile:
    """Find the sheets of a roster file or folder (nothing is read yet)."""
    if not path.exists():
        raise InputError("no such file or folder", file=str(path))
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in CSV_SUFFIXES and p.is_file())
        if not files:
            raise InputError("the folder holds no CSV files", file=str(path),
                             hint="Put one CSV file per sheet in the folder (members.csv, attendance.csv, …).")
        roster = RosterFile(path=path, format="csv", sheets=[])
        for file in files:
            roster.sheets.append(_csv_sheet(file, roster))
        return roster
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"PK") or magic.startswith(b"\xd0\xcf\x11\xe0") or path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _open_workbook(path)
    roster = RosterFile(path=path, format="csv", sheets=[])
    roster.sheets.append(_csv_sheet(path, roster))
    return roster


# --- workbooks -------------------------------------------------------------------------------


def _open_workbook(path: Path) -> RosterFile:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(f"cannot read the spreadsheet: {str(exc).splitlines()[0] if str(exc) else 'unreadable'}",
                         file=str(path), hint="Save it again as .xlsx (Excel workbook) or as CSV UTF-8.") from exc
    except Exception as exc:  # calamine raises its own error types for broken archives
        raise InputError("cannot read the spreadsheet", file=str(path),
                         hint="Save it again as .xlsx (Excel workbook) or as CSV UTF-8.") from exc
    hidden = {m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Hidden")
              or str(m.visible).endswith("VeryHidden")}
    formulas = _formula_cells(path) if zipfile.is_zipfile(path) else {}
    roster = RosterFile(path=path, format="xlsx", sheets=[])
    for name in workbook.sheet_names:
        roster.sheets.append(RawSheet(title=name, file=path.name, hidden=name in hidden,
                                      _open=_sheet_reader(workbook, name),
                                      formulas=frozenset(formulas.get(name, ()))))
    if CODES_SHEET in workbook.sheet_names:
        roster.meta = _read_meta(workbook, CODES_SHEET)
    return roster


def _sheet_reader(workbook: CalamineWorkbook, name: str) -> Any:
    def rows() -> Iterator[tuple[int, list[Any]]]:
        sheet = workbook.get_sheet_by_name(name)
        start = sheet.start
        first_row, first_col = (start[0], start[1]) if start else (0, 0)
        pad = [""] * first_col
        for offset, cells in enumerate(sheet.iter_rows()):
            yield first_row + offset + 1, (pad + cells) if first_col else cells

    return rows


def _read_meta(workbook: CalamineWorkbook, name: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in workbook.get_sheet_by_name(name).iter_rows():
        if len(row) < 2 or not isinstance(row[0], str) or not row[0].strip():
            break
        meta[row[0].strip()] = str(row[1]).strip() if row[1] is not None else ""
    return meta


_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"(\w+)=\"([^\"]*)\"")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part inside the archive (workbook.xml and its relationships)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[str, str] = {}
    for match in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(match[0]))
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode("utf-8", "replace")
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            targets[attrs[b"Id"].decode()] = part
    parts: dict[str, str] = {}
    for match in _SHEET.finditer(workbook):
        attrs = dict(re.findall(rb"([\w:]+)=\"([^\"]*)\"", match[0]))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), None)
        name = attrs.get(b"name")
        if rid and name and rid.decode() in targets:
            parts[_xml_unescape(name.decode("utf-8", "replace"))] = targets[rid.decode()]
    return parts


def _xml_unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _formula_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """(row, column index) of every formula cell per sheet, from the worksheet XML."""
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name, part in _sheet_parts(archive).items():
                try:
                    with archive.open(part) as stream:
                        cells = _scan_formulas(stream)
                except KeyError:
                    continue
                if cells:
                    found[name] = cells
    except (zipfile.BadZipFile, OSError):
        return {}
    return found


def _scan_formulas(stream: Any, chunk_size: int = 1 << 20) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()
    carry = b""
    prefix: bytes | None = None
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        data = carry + chunk
        if prefix is None:
            root = re.search(rb"<(\w+:)?worksheet\b", data)
            prefix = (root[1] or b"") if root else b""
        tags = (b"<" + prefix + b"f>", b"<" + prefix + b"f ", b"<" + prefix + b"f/")
        cell_tag = b"<" + prefix + b"c "
        # Search only where a whole tag may start; the carried tail overlaps the next chunk.
        limit = max(len(data) - 4096, 0) if len(chunk) == chunk_size else len(data)
        for tag in tags:
            position = data.find(tag)
            while position != -1 and position < limit:
                start = data.rfind(cell_tag, 0, position)
                if start != -1:
                    ref = _CELL_REF.search(data, start, position)
                    if ref:
                        cells.add((int(ref[2]), _column_index(ref[1])))
                position = data.find(tag, position + 1)
        carry = data[limit:]
        if len(carry) > 4096 + 16:
            carry = carry[-(4096 + 16):]
    return cells


# --- CSV -------------------------------------------------------------------------------------


def detect_encoding(sample: bytes, label: str = "") -> str:
    """The encoding of a CSV file from its first bytes, or InputError."""
    refuse = InputError(
        "cannot tell the file's text encoding (UTF-8, UTF-16 and Windows-1258 are read)", file=label or None,
        hint="Save the file as “CSV UTF-8” (Excel: File › Save As › CSV UTF-8).")
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd and odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
            return "utf-16-le"
        if even and even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
            return "utf-16-be"
        raise refuse
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1258")
    except UnicodeDecodeError:
        raise refuse from None
    return "cp1258"


def csv_delimiter(first_line: str) -> str:
    """The delimiter of a CSV file from its first line: the most frequent of `,`, `;` and tab."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_sheet(path: Path, roster: RosterFile) -> RawSheet:
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=str(path)) from exc
    encoding = detect_encoding(sample, str(path))
    roster.encodings[path.name] = encoding

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            try:
                first = text.readline()
                text.seek(0)
                reader = csv.reader(text, delimiter=csv_delimiter(first))
                for number, cells in enumerate(reader, start=1):
                    # Formula-like text was written behind an apostrophe (values.csv_quoted).
                    if "'" in "".join(cells):
                        cells = [csv_unquoted(cell) for cell in cells]
                    yield number, cells
            except UnicodeDecodeError as exc:
                raise InputError(f"the file is not all {encoding} (byte {exc.start} of a later part)",
                                 file=str(path), hint="Save the file as “CSV UTF-8”.") from exc
            except csv.Error as exc:
                raise InputError(f"not readable as CSV: {exc}", file=str(path)) from exc

    return RawSheet(title=path.stem, file=path.name, _open=rows)
