"""Writing DHIS2's records into a group's existing roster, in place.

    update_roster(Path("roster.xlsx"), contract, lang="vi", changes=[...], new_rows=[...],
                  conflicts=[...], flags=[...])
    read_conflict_choices(Path("roster.xlsx"))  # {(sheet, record key, column): "roster" | "server"}

Only the cells named change: a `CellChange` sets one cell of a row the file already has, a
`NewRow` appends a record only the server has, after the sheet's last non-empty row. Everything
else in the file stays as the person left it: other columns, comments, formatting, drop-downs,
widths, other sheets. Values come in DHIS2's formats and are written in the cell's form
(`values.to_cell`: labels, dates, numbers); text a spreadsheet would take for a formula is
written as text. What changed on both sides goes to a Conflicts sheet (`conflicts.csv` beside
CSV files), rewritten on every update, where the person picks which value to keep; rows the
server refused get a note and a fill (XLSX only: a CSV cell has no note). The file is replaced
in one step (a temporary file beside it, synced, renamed over it), so a crash leaves the old
file or the new one, never half of one.

The formats are `workbook_xlsx.py` (openpyxl, normal mode, so nothing it does not own is
rewritten) and `workbook_csv.py` (a single CSV file or a folder of them, streamed).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from scdi.connector.errors import InputError
from scdi.connector.roster.contract import ColumnSpec, Lang, RosterContract
from scdi.connector.roster.read import CSV_SUFFIXES, open_roster
from scdi.connector.roster.text import fold
from scdi.connector.roster.values import to_cell
from scdi.connector.roster.write import CONFLICTS

Choice = Literal["roster", "server"]
FLAG_MARK = "scdi-groups:"  # first line of every note we put on a row: later runs touch only these
CONFLICTS_CSV = "conflicts.csv"
KEY_HEADERS = ("sheet_key", "record_key", "column_key")  # hidden: what read_conflict_choices reads
KEEP_LABELS: dict[str, tuple[str, str]] = {"vi": ("tệp", "máy chủ"), "en": ("roster", "server")}
CONFLICT_HEADERS: dict[str, tuple[str, ...]] = {
    "vi": ("Trang", "Dòng", "Bản ghi", "Cột", "Giá trị trong tệp", "Giá trị trên máy chủ",
           "Máy chủ cập nhật lúc", "Giữ"),
    "en": ("Sheet", "Row", "Record", "Column", "Value in the file", "Value on the server",
           "Server updated at", "Keep"),
}
KEEP_NOTE = {
    "vi": "Chọn “tệp” để giữ giá trị trong tệp, “máy chủ” để lấy giá trị trên máy chủ; "
          "lần đồng bộ sau sẽ làm theo.",
    "en": "Pick “roster” to keep the file's value or “server” to take the server's; "
          "the next sync does so.",
}
_CHOICE_WORDS: dict[str, Choice] = {
    **{fold(word): "roster" for word in ("roster", "file", "tệp", "tep", "danh sách")},
    **{fold(word): "server" for word in ("server", "máy chủ", "may chu", "dhis2")},
}


@dataclass(frozen=True)
class CellChange:
    """Set one cell of a data row the file already has."""

    sheet: str  # contract sheet key
    row: int  # Excel row number (1-based); for CSV the record number as read.py counts it
    column: str  # column key
    value: str | None  # DHIS2 value; None clears the cell


@dataclass(frozen=True)
class NewRow:
    """Append a row: a record that exists only on the server."""

    sheet: str
    values: Mapping[str, str]  # column key → DHIS2 value, including "uid"


@dataclass(frozen=True)
class ConflictEntry:
    """One field changed on both sides to different values."""

    sheet: str
    row: int | None
    record: str  # a human label of the record (member code, date)
    column: str  # column key
    file_value: str | None
    server_value: str | None
    server_updated_at: str | None
    key: str  # the opaque record key, read back with the person's choice


@dataclass(frozen=True)
class RowFlag:
    """A row the server refused: flagged in the file."""

    sheet: str
    row: int
    message: str


class WorkbookUpdate(BaseModel):
    path: str
    cells: int  # cells of existing rows written
    rows_added: int
    conflicts: int
    flags: int


def update_roster(path: Path, contract: RosterContract, *, lang: Lang, changes: Iterable[CellChange] = (),
                  new_rows: Iterable[NewRow] = (), conflicts: Sequence[ConflictEntry] = (),
                  flags: Sequence[RowFlag] = (), redact: bool = False) -> WorkbookUpdate:
    """Write changes, new rows, the Conflicts sheet and row flags into the roster at `path`.

    `redact` leaves confidential columns empty in what is written (conflict values are shown:
    the file is the group's own, and the person needs both values to choose)."""
    if not path.exists():
        raise InputError("no such file or folder", file=str(path))
    if path.is_dir() or path.suffix.lower() in CSV_SUFFIXES:
        from scdi.connector.sync.workbook_csv import update_csv

        return update_csv(path, contract, lang=lang, changes=changes, new_rows=new_rows, conflicts=conflicts,
                          redact=redact)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError("only .xlsx workbooks and CSV files can be updated in place", file=str(path),
                         hint="Save the roster as .xlsx (Excel workbook) and run again.")
    from scdi.connector.sync.workbook_xlsx import update_xlsx

    return update_xlsx(path, contract, lang=lang, changes=changes, new_rows=new_rows, conflicts=conflicts,
                       flags=flags, redact=redact)


def read_conflict_choices(path: Path) -> dict[tuple[str, str, str], Choice]:
    """(sheet key, record key, column key) → the value the person chose to keep on the Conflicts
    sheet (or conflicts.csv beside CSV files); conflicts without a choice are left out."""
    if path.is_dir() or path.suffix.lower() in CSV_SUFFIXES:
        target = conflicts_csv_path(path)
        if not target.is_file():
            return {}
        sheets = open_roster(target).sheets
    else:
        titles = {fold(t) for t in CONFLICTS.values()}
        sheets = [s for s in open_roster(path).sheets if fold(s.title) in titles]
    choices: dict[tuple[str, str, str], Choice] = {}
    for sheet in sheets:
        rows = sheet.rows()
        header = next(rows, None)
        if header is None:
            continue
        names = [fold(str(c)) if c is not None else "" for c in header[1]]
        try:
            where = [names.index(fold(h)) for h in KEY_HEADERS]
        except ValueError:
            continue
        keep_names = {fold(headers[-1]) for headers in CONFLICT_HEADERS.values()}
        keep = next((i for i, name in enumerate(names) if name in keep_names), None)
        if keep is None:
            continue
        for _, cells in rows:
            picked = _CHOICE_WORDS.get(fold(str(cells[keep]))) if keep < len(cells) and cells[keep] else None
            ids = [str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "" for i in where]
            if picked and all(ids):
                choices[(ids[0], ids[1], ids[2])] = picked
    return choices


# --- shared by both formats ------------------------------------------------------------------


def conflicts_csv_path(path: Path) -> Path:
    return (path if path.is_dir() else path.parent) / CONFLICTS_CSV


def shown(column: ColumnSpec, value: str | None, lang: Lang, *, redact: bool = False) -> Any:
    """The cell form of a DHIS2 value; the raw text when the value does not fit its type (a
    server value the file's column cannot show as a number or a date is still not lost)."""
    if redact and column.confidential:
        return None
    try:
        return to_cell(column, value, lang)
    except ValueError:
        return value


def conflict_rows(contract: RosterContract, conflicts: Sequence[ConflictEntry], lang: Lang,
                  names: Mapping[str, str]) -> list[list[Any]]:
    """One row per conflict in cell forms: what the person sees, then the hidden keys."""
    out: list[list[Any]] = []
    for entry in conflicts:
        spec = contract.sheet(entry.sheet)
        column = spec.column(entry.column) if spec else None
        sheet_name = names.get(entry.sheet) or (spec.name(lang) if spec else entry.sheet)
        header = column.header(lang) if column else entry.column
        file_value = shown(column, entry.file_value, lang) if column else entry.file_value
        server_value = shown(column, entry.server_value, lang) if column else entry.server_value
        out.append([sheet_name, entry.row, entry.record, header, file_value, server_value,
                    entry.server_updated_at, None, entry.sheet, entry.key, entry.column])
    return out


def conflict_header(lang: Lang) -> list[str]:
    return [*CONFLICT_HEADERS[lang], *KEY_HEADERS]


def is_date(value: Any) -> bool:
    return isinstance(value, date)


def check_writable(path: Path) -> None:
    """InputError naming the file when it cannot be replaced: open in a spreadsheet program
    (its lock file is beside it), read-only, or in a folder we may not write to."""
    # Excel's owner file drops the name's first two letters when the name is long; LibreOffice's is .~lock.
    names = {"~$" + path.name, ".~lock." + path.name + "#"} | ({"~$" + path.name[2:]} if len(path.name) > 8 else set())
    for lock in (path.with_name(name) for name in sorted(names)):
        if lock.exists():
            raise InputError("the file is open in a spreadsheet program", file=str(path),
                             hint=f"Close it there and run again (or delete {lock.name} if no program has it open).")
    if path.exists():
        if not os.access(path, os.W_OK):
            raise InputError("the file is read-only", file=str(path), hint="Allow writing to it and run again.")
        try:
            with path.open("r+b"):
                pass
        except OSError as exc:  # Windows: a file another program holds open cannot be opened to write
            raise InputError("the file is open in another program or cannot be written", file=str(path),
                             hint="Close it there and run again.") from exc
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise InputError("the file's folder is not writable", file=str(path),
                         hint="Move the roster to a folder you can write to.")


def file_mode(path: Path, default: int = 0o644) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return default


def replace_atomically(path: Path, write: Callable[[Path], None], *, mode: int | None = None) -> None:
    """Write through a temporary file beside `path`, sync it, then rename it over `path`, keeping
    the original's permission bits (or `mode` for a new file)."""
    bits = file_mode(path, mode if mode is not None else 0o644) if path.exists() else (mode or 0o644)
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write beside the file: {exc.strerror}", file=str(path)) from exc
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(temporary, bits)
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror or exc}", file=str(path),
                         hint="Close it in other programs and check the folder is writable.") from exc
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows opening a folder (not on Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
