"""`scdi groups template`: an empty registry workbook (openpyxl) that reads back cleanly.

Sheets: the registry ("Nhóm" / "Groups", each header in the chosen language with the other
below it in brackets, and the column key in its comment), an instructions sheet in both
languages, and a hidden sheet with the coded values behind the drop-downs (kind, sponsor,
active). Code and phone columns are formatted as text so that leading zeros survive.
"""

from __future__ import annotations

from pathlib import Path

from scdi.connector.provision.columns import COLUMNS, NO, YES, Choices, package_choices

ROWS = 500  # rows that carry drop-downs and formats
SHEET = {"vi": "Nhóm", "en": "Groups"}
INSTRUCTIONS = {"vi": "Hướng dẫn", "en": "Instructions"}
CODES = "_codes"
TEXT_COLUMNS = {"group_code", "group_name", "province", "district", "commune", "leader_username",
                "leader_email", "leader_phone"}

_INTRO = {
    "vi": [
        "Danh sách nhóm để tạo trên DHIS2 bằng lệnh: scdi groups provision <tệp> (thêm --dry-run để xem trước).",
        "Mỗi dòng là một nhóm. Tiêu đề cột có thể viết bằng tiếng Việt, tiếng Anh hoặc mã cột.",
        "Địa danh ghi như thường viết (có dấu hoặc không dấu, có hoặc không có 'Tỉnh', 'Xã', 'Phường'…); "
        "tên tỉnh cũ trước 1/7/2025 (Bắc Giang, Bà Rịa - Vũng Tàu, Hậu Giang…) vẫn dùng được; "
        "cũng có thể ghi mã hoặc UID đơn vị của DHIS2.",
        "Không ghi thông tin của thành viên vào tệp này. Email và điện thoại của trưởng nhóm là thông tin cá nhân: "
        "giữ tệp cẩn thận.",
        "Nhóm ngừng hoạt động: ghi 'Không' ở cột Đang hoạt động; đơn vị được đóng và tài khoản trưởng nhóm bị khóa, "
        "không có gì bị xóa.",
    ],
    "en": [
        "The groups to set up on DHIS2 with: scdi groups provision <file> (add --dry-run to see the plan first).",
        "One row per group. Headers may be in Vietnamese, English, or the column's key.",
        "Write places as people write them (with or without diacritics and prefixes such as 'Tỉnh', 'Xã', "
        "'Phường'); province names from before 1 July 2025 (Bắc Giang, Bà Rịa - Vũng Tàu, Hậu Giang …) work too; "
        "DHIS2 org unit codes or UIDs also work.",
        "Never put members' details in this file. The leader's e-mail and phone are personal data: keep the file safe.",
        "A group that stopped: write 'No' under Active; its org unit is closed and the leader's account disabled, "
        "nothing is deleted.",
    ],
}


def write_template(path: str | Path, lang: str = "vi", *, kinds: Choices | None = None,
                   sponsors: Choices | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in SHEET:
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    if kinds is None or sponsors is None:
        package_kinds, package_sponsors = package_choices()
        kinds, sponsors = kinds or package_kinds, sponsors or package_sponsors
    other = "en" if lang == "vi" else "vi"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET[lang]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=f"{getattr(column, lang)}\n({getattr(column, other)})")
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        required = ("bắt buộc" if lang == "vi" else "required") if column.required else (
            "không bắt buộc" if lang == "vi" else "optional")
        cell.comment = Comment(f"{getattr(column, other)} · {column.key} · {required}\n"
                               f"{column.help_vi if lang == 'vi' else column.help_en}", "scdi-groups")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(16, min(36, len(getattr(column, lang)) + 6))
        if column.key in TEXT_COLUMNS:
            for row in range(2, ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.key == "founded_on":
            for row in range(2, ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "DD/MM/YYYY"
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"

    codes = workbook.create_sheet(CODES)
    codes.append(["kind", "kind_code", "kind_other", "sponsor", "sponsor_code", "sponsor_other", "active"])
    kind_rows = [(c.label(lang), c.code, c.label(other)) for c in kinds.options]
    sponsor_rows = [(c.label(lang), c.code, c.label(other)) for c in sponsors.options]
    active_rows = [YES[0 if lang == "vi" else 1], NO[0 if lang == "vi" else 1]]
    for i in range(max(len(kind_rows), len(sponsor_rows), len(active_rows))):
        kind = kind_rows[i] if i < len(kind_rows) else ("", "", "")
        sponsor = sponsor_rows[i] if i < len(sponsor_rows) else ("", "", "")
        codes.append([*kind, *sponsor, active_rows[i] if i < len(active_rows) else ""])
    codes.sheet_state = "hidden"

    lists = {"kind": ("A", len(kind_rows)), "sponsor": ("D", len(sponsor_rows)), "active": ("G", len(active_rows))}
    for index, column in enumerate(COLUMNS, start=1):
        if column.key not in lists:
            continue
        source, count = lists[column.key]
        if count == 0:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(type="list", formula1=f"'{CODES}'!${source}$2:${source}${count + 1}",
                                    allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                    error="Chọn trong danh sách / pick from the list" if lang == "vi" else
                                    "Pick from the list / chọn trong danh sách")
        validation.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(INSTRUCTIONS[lang], 1)
    guide.column_dimensions["A"].width = 18
    for letter in "BCDE":
        guide.column_dimensions[letter].width = 34
    guide.append(["scdi-groups"])
    guide["A1"].font = Font(bold=True, size=14)
    for language in (lang, other):
        guide.append([])
        for line in _INTRO[language]:
            guide.append([line])
    guide.append([])
    header = ["key", "Tiếng Việt", "English", "bắt buộc / required", "cách ghi", "how to fill", "ví dụ / example"]
    guide.append(header)
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = bold, fill
    for column in COLUMNS:
        guide.append([column.key, column.vi, column.en, "✓" if column.required else "", column.help_vi,
                      column.help_en, column.example])
    guide.append([])
    guide.append(["kind", "Tiếng Việt", "English", "mã / option code"])
    for choice in kinds.options:
        guide.append(["", choice.vi, choice.en, choice.code])
    guide.append(["sponsor", "Tiếng Việt", "English", "mã / option code"])
    for choice in sponsors.options:
        guide.append(["", choice.vi, choice.en, choice.code])
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    target = Path(path)
    workbook.save(target)
    return target
