"""Which contract sheet a file's sheet is, and which contract column each header is.

A header matches a column by its key (`fu_methadone_status`, or with spaces), its Vietnamese
or English header, or either header without a trailing note in brackets ("Số điện thoại" for
"Số điện thoại (không bắt buộc)"), all compared folded (see `text.fold`). A sheet matches by
its key, its Vietnamese or English name, or, for a sheet renamed to anything else, by its
headers when they point at one contract sheet only. The header row is the row among the first
ten that matches the most columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scdi.connector.roster.contract import ColumnSpec, RosterContract, SheetSpec
from scdi.connector.roster.text import clean, fold

HEADER_SCAN_ROWS = 10
_BRACKETED = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*$")


def column_aliases(column: ColumnSpec) -> set[str]:
    forms = {column.key, column.vi, column.en}
    for header in (column.vi, column.en):
        bare = _BRACKETED.sub("", header)
        if bare:
            forms.add(bare)
    return {fold(form) for form in forms if fold(form)}


def sheet_aliases(sheet: SheetSpec) -> set[str]:
    return {fold(form) for form in (sheet.key, sheet.vi, sheet.en) if fold(form)}


@dataclass
class HeaderMap:
    header_row: int  # Excel row number of the header, 0 when none was found
    columns: dict[int, ColumnSpec] = field(default_factory=dict)  # cell index → column
    ignored: list[tuple[int, str]] = field(default_factory=list)  # (cell index, header text)
    duplicates: list[tuple[int, ColumnSpec]] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {c.key for c in self.columns.values()}


class SheetMatcher:
    def __init__(self, contract: RosterContract) -> None:
        self.contract = contract
        self.by_alias: dict[str, SheetSpec] = {}
        for sheet in contract.sheets:
            for alias in sheet_aliases(sheet):
                self.by_alias.setdefault(alias, sheet)
        self.column_alias: dict[str, dict[str, ColumnSpec]] = {}
        for sheet in contract.sheets:
            table: dict[str, ColumnSpec] = {}
            clashes: set[str] = set()
            for column in sheet.columns:
                for alias in column_aliases(column):
                    if alias in table and table[alias].key != column.key:
                        clashes.add(alias)
                    table.setdefault(alias, column)
            # A bare form shared by two columns names neither; their full headers still do.
            for alias in clashes:
                exact = [c for c in sheet.columns if alias in {fold(c.key), fold(c.vi), fold(c.en)}]
                if len(exact) == 1:
                    table[alias] = exact[0]
                else:
                    table.pop(alias, None)
            self.column_alias[sheet.key] = table

    def by_title(self, title: str) -> SheetSpec | None:
        return self.by_alias.get(fold(title))

    def sheet_of(self, title: str, head: Iterable[list[Any]]) -> SheetSpec | None:
        """The sheet a title names, else the one the headers of its first rows name."""
        return self.by_title(title) or next((s for s in map(self.by_headers, head) if s is not None), None)

    def header_row(self, sheet: SheetSpec, head: list[list[Any]]) -> int | None:
        """The number (from 1) of the first of `head`'s rows naming most of the sheet's columns;
        None when none names any."""
        scored = [(self.score(sheet, cells), -number, number) for number, cells in enumerate(head, start=1)]
        best = max(scored, default=(0, 0, 0))
        return best[2] if best[0] else None

    def by_headers(self, cells: list[Any]) -> SheetSpec | None:
        """The one sheet whose own columns (not the shared date, code and uid) the headers name."""
        forms = {fold(str(c)) for c in cells if isinstance(c, str) and c.strip()}
        scores: list[tuple[int, str]] = []
        for sheet in self.contract.sheets:
            table = self.column_alias[sheet.key]
            own = {table[f].key for f in forms if f in table} - {"date", "member_code", "uid"}
            if own:
                scores.append((len(own), sheet.key))
        scores.sort(reverse=True)
        if scores and (len(scores) == 1 or scores[0][0] > scores[1][0]) and scores[0][0] >= 2:
            return self.contract.sheet(scores[0][1])
        return None

    def header_map(self, sheet: SheetSpec, number: int, cells: list[Any]) -> HeaderMap:
        table = self.column_alias[sheet.key]
        mapped = HeaderMap(header_row=number)
        seen: set[str] = set()
        for index, cell in enumerate(cells):
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            text = clean(str(cell))
            column = table.get(fold(text))
            if column is None:
                mapped.ignored.append((index, text))
            elif column.key in seen:
                mapped.duplicates.append((index, column))
            else:
                seen.add(column.key)
                mapped.columns[index] = column
        return mapped

    def score(self, sheet: SheetSpec, cells: list[Any]) -> int:
        table = self.column_alias[sheet.key]
        return len({table[f].key for f in (fold(str(c)) for c in cells if c not in (None, "")) if f in table})
