"""Changing a share of a roster's rows in place, as a leader editing the workbook would.

One cell per chosen row, in a column no program rule reads (so the edit stays valid and the
sync has exactly one field to send for it); the hidden UIDs and every other cell stay as the
last sync wrote them.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from scdi.connector.roster.contract import ColumnSpec, RosterContract

# sheet key → the column changed on that sheet (none of them is a rule's condition or target)
EDITS = {"members": "year_of_birth", "intake": "intake_hiv_status_known", "attendance": "att_contribution",
         "followup": "fu_counselling_sessions", "referral": "ref_provider_name", "support": "sup_source",
         "meeting": "mtg_facilitator"}


def _changed(column: ColumnSpec, value: Any, rng: random.Random) -> Any:
    if column.options:
        labels = [o.vi for o in column.options if o.vi != value]
        return rng.choice(labels)
    if column.value_type == "BOOLEAN":
        return "Không" if value == "Có" else "Có"
    if column.key == "year_of_birth":
        return int(value or 1980) - 1  # older still, so never under 18
    if column.value_type.startswith("INTEGER"):
        return int(value or 0) + 1
    return f"Ghi chú sửa {rng.randint(1, 999)}"


def change_rows(path: Path, contract: RosterContract, share: float, *, seed: int = 19) -> int:
    """Change one cell in `share` of the data rows (all sheets counted); returns the rows changed."""
    rng = random.Random(seed)
    workbook = load_workbook(path)
    candidates: list[tuple[str, int, int, ColumnSpec]] = []  # (sheet, row, column index, column)
    total = 0
    for sheet in contract.sheets:
        name = sheet.name("vi")
        if name not in workbook.sheetnames:
            continue
        worksheet = workbook[name]
        rows = max(worksheet.max_row - 1, 0)  # under the header row
        total += rows
        column = sheet.column(EDITS.get(sheet.key, ""))
        headers = [cell.value for cell in worksheet[1]]
        if column is None or column.vi not in headers:
            continue
        index = headers.index(column.vi) + 1
        candidates.extend((name, row, index, column) for row in range(2, rows + 2))
    chosen = rng.sample(candidates, min(len(candidates), max(1, round(total * share))))
    for name, row, index, column in chosen:
        cell = workbook[name].cell(row=row, column=index)
        cell.value = _changed(column, cell.value, rng)
    workbook.save(path)
    return len(chosen)
