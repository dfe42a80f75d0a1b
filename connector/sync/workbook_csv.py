"""`update_roster` for CSV rosters: one CSV file, or a folder of one CSV file per sheet.

Each file with something to write is streamed through once into its replacement: the same
delimiter and line ends, UTF-8 with a BOM (what Excel opens right), every other column as it
was. Dates are written dd/mm/yyyy; formula-like text gets one leading apostrophe, which the
reader (`values.csv_unquoted`) takes off again, so `=1+1` stays text in Excel and reads back as
typed. A sheet the folder lacks becomes a new file named by its key; a single CSV file holds
one sheet, so rows of other sheets have nowhere to go and are not counted as added. Conflicts
go to `conflicts.csv` beside the roster. A CSV cell has no note, so row flags are not written:
the report lists the refused rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from scdi.connector.errors import InputError
from scdi.connector.roster.contract import Lang, RosterContract, SheetSpec
from scdi.connector.roster.headers import HEADER_SCAN_ROWS, SheetMatcher
from scdi.connector.roster.read import CSV_SUFFIXES, SAMPLE_BYTES, csv_delimiter, detect_encoding
from scdi.connector.roster.text import fold
from scdi.connector.roster.validate import NOT_DATA
from scdi.connector.roster.values import csv_quoted
from scdi.connector.sync.workbook import (
    CONFLICTS_CSV,
    CellChange,
    ConflictEntry,
    NewRow,
    WorkbookUpdate,
    check_writable,
    conflict_header,
    conflict_rows,
    conflicts_csv_path,
    file_mode,
    replace_atomically,
    shown,
)


@dataclass
class _File:
    path: Path
    spec: SheetSpec
    encoding: str
    delimiter: str
    newline: str
    header_row: int = 0
    header: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # column key → cell index
    changes: dict[int, dict[str, str | None]] = field(default_factory=dict)  # row → column key → value
    new_rows: list[dict[str, str]] = field(default_factory=list)


def update_csv(path: Path, contract: RosterContract, *, lang: Lang, changes: Iterable[CellChange],
               new_rows: Iterable[NewRow], conflicts: Sequence[ConflictEntry], redact: bool) -> WorkbookUpdate:
    folder = path if path.is_dir() else path.parent
    files = _match(path, contract)
    cells = added = 0
    for change in changes:
        target = files.get(change.sheet)
        if target is None:
            raise ValueError(f"the roster has no sheet {change.sheet!r} for row {change.row}")
        target.changes.setdefault(change.row, {})[change.column] = change.value
        cells += 1
    mode = file_mode(path if path.is_file() else next((f.path for f in files.values()), folder / "x"))
    delimiter = next((f.delimiter for f in files.values()), ",")
    for row in new_rows:
        target = files.get(row.sheet)
        if target is None and path.is_dir():
            target = files[row.sheet] = _new_file(folder, contract, row.sheet, lang, delimiter)
        if target is None:
            continue
        target.new_rows.append(dict(row.values))
        added += 1
    touched = [target for target in files.values() if target.changes or target.new_rows]
    conflicts_path = conflicts_csv_path(path)
    # Every file is checked before the first is replaced, so a locked one stops the update whole.
    for file in [t.path for t in touched] + ([conflicts_path] if conflicts or conflicts_path.exists() else []):
        check_writable(file)
    for target in touched:
        replace_atomically(target.path, _rewriter(target, lang, redact), mode=mode)
    names = {key: target.path.name for key, target in files.items()}
    _write_conflicts(conflicts_path, contract, conflicts, lang, delimiter, mode, names)
    return WorkbookUpdate(path=str(path), cells=cells, rows_added=added, conflicts=len(conflicts), flags=0)


def _match(path: Path, contract: RosterContract) -> dict[str, _File]:
    matcher = SheetMatcher(contract)
    if path.is_dir():
        candidates = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in CSV_SUFFIXES
                            and p.name.lower() != CONFLICTS_CSV and fold(p.stem) not in NOT_DATA)
    else:
        candidates = [path]
    found: dict[str, _File] = {}
    for file in candidates:
        encoding, delimiter, newline = _dialect(file)
        head = list(_head(file, encoding, delimiter))
        spec = matcher.sheet_of(file.stem, head)
        number = matcher.header_row(spec, head) if spec is not None and spec.key not in found else None
        if spec is None or number is None:
            continue
        cells = head[number - 1]
        mapped = matcher.header_map(spec, number, list(cells))
        found[spec.key] = _File(path=file, spec=spec, encoding=encoding, delimiter=delimiter, newline=newline,
                                header_row=number, header=list(cells),
                                columns={c.key: index for index, c in mapped.columns.items()})
    return found


def _dialect(file: Path) -> tuple[str, str, str]:
    try:
        with file.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=str(file)) from exc
    encoding = detect_encoding(sample, str(file))
    text = sample.decode(encoding, errors="ignore")
    first = text.splitlines(keepends=True)[0] if text else ""
    return encoding, csv_delimiter(first), "\r\n" if first.endswith("\r\n") or not first else "\n"


def _rows(file: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    with file.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            yield from csv.reader(text, delimiter=delimiter)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError("the file cannot be read as CSV to update it", file=str(file)) from exc


def _head(file: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    for count, cells in enumerate(_rows(file, encoding, delimiter)):
        if count >= HEADER_SCAN_ROWS:
            return
        yield cells


def _new_file(folder: Path, contract: RosterContract, key: str, lang: Lang, delimiter: str) -> _File:
    spec = contract.sheet(key)
    if spec is None:
        raise ValueError(f"the contract has no sheet {key!r}")
    path = folder / f"{key}.csv"
    if path.exists():  # there, but without a header row we know: never written over
        raise InputError("the file has no header row naming the sheet's columns, so rows cannot be added",
                         file=str(path), hint="Put the template's header row back at the top and run again.")
    return _File(path=path, spec=spec, encoding="utf-8-sig", delimiter=delimiter, newline="\r\n",
                 header_row=1, header=[c.header(lang) for c in spec.columns],
                 columns={c.key: i for i, c in enumerate(spec.columns)})


def cell_text(value: Any) -> str:
    """A cell form as CSV text: dates day first, formula-like text behind one apostrophe (`values.csv_quoted`)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return csv_quoted(str(value))


def _index(target: _File, key: str, lang: Lang) -> int:
    """The cell index of `key`, adding the column after the last header when the file lacks it."""
    index = target.columns.get(key)
    if index is None:
        column = target.spec.column(key)
        if column is None:
            raise ValueError(f"sheet {target.spec.key!r} has no column {key!r}")
        while target.header and not target.header[-1].strip():
            target.header.pop()
        index = target.columns[key] = len(target.header)
        target.header.append(column.header(lang))
    return index


def _set(cells: list[str], index: int, text: str) -> None:
    if index >= len(cells):
        cells.extend([""] * (index + 1 - len(cells)))
    cells[index] = text


def _rewriter(target: _File, lang: Lang, redact: bool) -> Callable[[Path], None]:
    return lambda out: _rewrite(target, out, lang, redact)


def _rewrite(target: _File, out: Path, lang: Lang, redact: bool) -> None:
    # Every column a change or a new row needs, known before the header row is written.
    wanted = {k for row in target.changes.values() for k in row} | {k for row in target.new_rows for k in row}
    indexes = {key: _index(target, key, lang) for key in sorted(wanted, key=_order(target.spec))}
    new_lines = []
    for values in target.new_rows:
        cells: list[str] = []
        for key, value in values.items():
            if value:
                _set(cells, indexes[key], _text(target, key, value, lang, redact))
        new_lines.append(cells)
    source = _rows(target.path, target.encoding, target.delimiter) if target.path.exists() else iter(())
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=target.delimiter, lineterminator=target.newline)
        blanks: list[list[str]] = []
        number = 0
        for number, read in enumerate(source, start=1):
            cells = target.header + read[len(target.header):] if number == target.header_row else read
            for key, change in target.changes.get(number, {}).items() if number > target.header_row else ():
                _set(cells, indexes[key], _text(target, key, change, lang, redact))
            if number > target.header_row and all(not c.strip() for c in cells):
                blanks.append(cells)  # held back: new rows go after the last non-empty row
                continue
            writer.writerows(blanks)
            blanks = []
            writer.writerow(cells)
        if number < target.header_row:
            writer.writerow(target.header)
        writer.writerows(new_lines)
        writer.writerows(blanks)


def _order(spec: SheetSpec) -> Any:
    positions = {c.key: i for i, c in enumerate(spec.columns)}
    return lambda key: positions.get(key, len(positions))


def _text(target: _File, key: str, value: str | None, lang: Lang, redact: bool) -> str:
    column = target.spec.column(key)
    if column is None:
        raise ValueError(f"sheet {target.spec.key!r} has no column {key!r}")
    return cell_text(shown(column, value, lang, redact=redact))


def _write_conflicts(path: Path, contract: RosterContract, conflicts: Sequence[ConflictEntry], lang: Lang,
                     delimiter: str, mode: int, names: dict[str, str]) -> None:
    if not conflicts:
        path.unlink(missing_ok=True)
        return
    rows = conflict_rows(contract, conflicts, lang, names)

    def write(out: Path) -> None:
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow(conflict_header(lang))
            writer.writerows([cell_text(v) for v in row] for row in rows)

    replace_atomically(path, write, mode=mode)
