"""Every roster finding's code, severity and message, in Vietnamese and English.

Messages name the column by its header and quote a value only when the column may be shown
(`{val}` is the quoted value, or "the value" / "giá trị" for confidential and identifying
columns), so a phone number, alias or member code never reaches a screen or a log.
"""

from __future__ import annotations

from typing import Any

from scdi.connector.roster.contract import Lang
from scdi.connector.roster.findings import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

# code → (severity, Vietnamese, English)
MESSAGES: dict[str, tuple[Severity, str, str]] = {
    "required-missing": (E, "{col}: bắt buộc, không được để trống.", "{col}: required, cannot be empty."),
    "column-missing": (E, "Trang không có cột {col} (bắt buộc).", "The sheet has no {col} column (required)."),
    "column-ignored": (N, "Cột {header} không thuộc danh sách, đã bỏ qua.",
                       "Column {header} is not part of the roster and was ignored."),
    "column-duplicate": (W, "Có hai cột {col}; chỉ đọc cột đầu tiên.",
                         "Two columns are {col}; only the first is read."),
    "sheet-ignored": (N, "Trang {header} không thuộc danh sách, đã bỏ qua.",
                      "Sheet {header} is not part of the roster and was ignored."),
    "sheet-missing": (E, "Không có trang {header}; các trang khác cần trang này.",
                      "There is no {header} sheet; the other sheets need it."),
    "header-not-found": (E, "Không tìm thấy dòng tiêu đề trong 10 dòng đầu.",
                         "No header row found in the first 10 rows."),
    "not-a-date": (E, "{col}: {val} không phải là ngày; ghi ngày/tháng/năm, ví dụ 25/03/2025.",
                   "{col}: {val} is not a date; write day/month/year, e.g. 25/03/2025."),
    "date-invalid": (E, "{col}: ngày {val} không có thật.", "{col}: {val} is not a real date."),
    "date-month-first": (E, "{col}: {val} chỉ đọc được theo kiểu tháng/ngày/năm; ghi ngày/tháng/năm.",
                         "{col}: {val} only reads as month/day/year; write day/month/year."),
    "date-both-ways": (E, "{col}: {val} đọc được cả hai cách (ngày/tháng hoặc tháng/ngày) và trang này có ngày "
                          "ghi kiểu tháng/ngày; ghi rõ, ví dụ {reading_vi}.",
                       "{col}: {val} reads both ways (day/month or month/day) and this sheet has month/day dates; "
                       "write it unambiguously, e.g. {reading_vi}."),
    "date-in-future": (E, "{col}: {val} là ngày trong tương lai (hôm nay {today}).",
                       "{col}: {val} is in the future (today is {today})."),
    "date-before-enrolment": (E, "{col}: {val} trước ngày thành viên vào nhóm ({enrolled}).",
                              "{col}: {val} is before the member joined the group ({enrolled})."),
    "not-a-number": (E, "{col}: {val} không phải là số.", "{col}: {val} is not a number."),
    "not-an-integer": (E, "{col}: {val} phải là số nguyên.", "{col}: {val} must be a whole number."),
    "number-out-of-range": (E, "{col}: {val} ngoài khoảng cho phép ({range_vi}).",
                            "{col}: {val} is out of range ({range_en})."),
    "number-ambiguous": (E, "{col}: {val} có thể là số nghìn hoặc số thập phân; ghi rõ.",
                         "{col}: {val} could be thousands or a decimal; write it unambiguously."),
    "not-a-phone": (E, "{col}: {val} không phải số điện thoại Việt Nam (10 số bắt đầu bằng 0, ví dụ 0912 345 678).",
                    "{col}: {val} is not a Vietnamese phone number (10 digits starting with 0, e.g. 0912 345 678)."),
    "not-yes-no": (E, "{col}: {val} không phải Có hoặc Không.", "{col}: {val} is not yes or no."),
    "not-an-option": (E, "{col}: {val} không có trong danh sách chọn ({choices}).",
                      "{col}: {val} is not one of the choices ({choices})."),
    "option-ambiguous": (E, "{col}: {val} khớp với nhiều lựa chọn; ghi đủ dấu hoặc dùng mã.",
                         "{col}: {val} matches several choices; write the diacritics or the code."),
    "not-an-email": (E, "{col}: {val} không phải địa chỉ email.", "{col}: {val} is not an e-mail address."),
    "not-a-time": (E, "{col}: {val} không phải giờ (giờ:phút).", "{col}: {val} is not a time (hours:minutes)."),
    "not-a-uid": (E, "{col}: {val} không phải mã DHIS2 (11 ký tự); để trống.",
                  "{col}: {val} is not a DHIS2 UID (11 characters); leave it empty."),
    "text-too-long": (E, "{col}: quá dài ({length} ký tự).", "{col}: too long ({length} characters)."),
    "duplicate-member": (E, "{col}: mã này đã có ở dòng {first}.", "{col}: this code is already on row {first}."),
    "duplicate-event": (E, "Cùng {keys} đã có ở dòng {first}.", "The same {keys} is already on row {first}."),
    "duplicate-row": (W, "Dòng giống hệt dòng {first}.", "The row is the same as row {first}."),
    "duplicate-uid": (E, "{col}: mã này đã có ở dòng {first}.", "{col}: this UID is already on row {first}."),
    "unknown-member": (E, "{col}: mã này không có trong trang {members}.",
                       "{col}: this code is not on the {members} sheet."),
    "unknown-meeting": (E, "{col}: không có buổi sinh hoạt ngày {val} trong trang {meetings}.",
                        "{col}: there is no meeting on {val} on the {meetings} sheet."),
    "meeting-count": (W, "{col}: ghi {count} nhưng trang {attendance} có {rows} dòng cho buổi này.",
                      "{col}: says {count} but the {attendance} sheet has {rows} rows for this meeting."),
    "rule-error": (E, "{rule_message}", "{rule_message}"),
    "rule-warning": (W, "{rule_message}", "{rule_message}"),
    "rule-mandatory": (E, "{col}: bắt buộc ở đây (quy tắc «{rule}»).", "{col}: required here (rule “{rule}”)."),
    "rule-hidden-value": (W, "{col}: có giá trị nhưng biểu mẫu ẩn ô này ở đây (quy tắc «{rule}»); điện thoại sẽ "
                             "không giữ giá trị.",
                          "{col}: has a value but the form hides this field here (rule “{rule}”); the phone "
                          "would not keep it."),
    "rule-engine-failed": (E, "Bộ máy quy tắc của DHIS2 không chạy được cho dòng này: {error}",
                           "DHIS2's rule engine failed on this row: {error}"),
    "rules-skipped": (N, "Chưa kiểm tra các quy tắc của chương trình (--no-engines).",
                      "The program rules were not checked (--no-engines)."),
    "formula-cell": (N, "{col}: ô có công thức; đã đọc giá trị đã lưu.",
                     "{col}: the cell holds a formula; its saved value was read."),
    "formula-no-value": (E, "{col}: ô có công thức chưa có giá trị đã lưu; mở tệp bằng Excel hoặc LibreOffice "
                            "rồi lưu lại.",
                         "{col}: the cell holds a formula with no saved value; open the file in Excel or "
                         "LibreOffice and save it."),
    "group-mismatch": (E, "Tệp được tạo cho nhóm {file_group}, không phải nhóm {group}.",
                       "The file was made for group {file_group}, not {group}."),
    "template-version": (W, "Tệp được tạo từ gói {file_version}; gói hiện tại là {version}. Tạo mẫu mới để có đủ "
                            "các cột (scdi roster template).",
                         "The file was made from package {file_version}; this package is {version}. Make a new "
                         "template for the current columns (scdi roster template)."),
}

VALUE_WORD = {"vi": "giá trị", "en": "the value"}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def severity_of(code: str) -> Severity:
    return MESSAGES[code][0]


def render(code: str, lang: Lang, **params: Any) -> str:
    _, vi, en = MESSAGES[code]
    return (vi if lang == "vi" else en).format_map(_Blank(params))


def quoted(value: str | None, private: bool, lang: Lang) -> str:
    """A value for a message: quoted and shortened, or the neutral word for private columns."""
    if private or value is None:
        return VALUE_WORD[lang]
    text = value if len(value) <= 40 else value[:37] + "…"
    return f"“{text}”"
