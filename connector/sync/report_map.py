"""DHIS2's tracker import report → findings at the roster's sheet, row and column.

Each error names the object (`trackerType`, `uid`); the batch knows which row each UID came
from, and the column is the attribute or data element whose UID the error's message names.
DHIS2's own message is never passed on: it may quote the value (a member code in E1064, a
phone number in E1007), so the finding carries DHIS2's code and a plain sentence instead.
Codes per release come from `tracker/imports/validation/ValidationCode.java` (2.43 replaced
E1084/E1085 and others; the plain words cover both).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from scdi.connector.reports import TrackerError
from scdi.connector.roster.contract import SheetSpec
from scdi.connector.roster.findings import RosterFinding, Severity

_UID = re.compile(r"\b[A-Za-z][A-Za-z0-9]{10}\b")

PLAIN: dict[str, tuple[str, str]] = {
    "E1000": ("tài khoản không được ghi dữ liệu ở đơn vị này", "the account may not write data at this org unit"),
    "E1007": ("giá trị không đúng kiểu", "the value has the wrong type"),
    "E1008": ("chương trình không đúng", "the program is not the right one"),
    "E1009": ("tệp đính kèm đã thuộc bản ghi khác", "the file value already belongs to another record"),
    "E1012": ("giá trị không đúng kiểu", "the value has the wrong type"),
    "E1015": ("thành viên đã có một lần tham gia đang mở", "the member already has an active enrollment"),
    "E1016": ("thành viên đã tham gia chương trình này", "the member is already enrolled in this program"),
    "E1018": ("thiếu thông tin bắt buộc", "a mandatory attribute is missing"),
    "E1019": ("thiếu giá trị", "a value is missing"),
    "E1020": ("ngày tham gia ở tương lai", "the enrollment date is in the future"),
    "E1021": ("ngày ở tương lai", "the date is in the future"),
    "E1025": ("thiếu ngày tham gia", "the enrollment date is missing"),
    "E1029": ("đơn vị không thuộc chương trình", "the org unit is not assigned to the program"),
    "E1030": ("bản ghi đã tồn tại", "the record already exists"),
    "E1031": ("thiếu ngày", "the date is missing"),
    "E1032": ("bản ghi đã bị xóa trên máy chủ", "the record was deleted on the server"),
    "E1033": ("bản ghi không có lần tham gia", "the event has no enrollment"),
    "E1035": ("giai đoạn không thuộc chương trình", "the stage is not in the program"),
    "E1039": ("giai đoạn không lặp lại đã có sự kiện", "the non-repeatable stage already has an event"),
    "E1043": ("sự kiện đã hoàn thành quá hạn sửa", "the completed event can no longer be edited"),
    "E1050": ("ngày đã quá hạn nhập", "the date is past the data entry period"),
    "E1063": ("bản ghi không tồn tại", "the record does not exist"),
    "E1064": ("mã đã được dùng cho người khác", "the value is already used by another record"),
    "E1076": ("thiếu giá trị bắt buộc", "a mandatory value is missing"),
    "E1081": ("không tìm thấy lần tham gia", "the enrollment was not found"),
    "E1082": ("bản ghi đã bị xóa trên máy chủ", "the record was deleted on the server"),
    "E1084": ("không tìm thấy tệp đính kèm", "the file resource was not found"),
    "E1085": ("giá trị không khớp với danh sách", "the value does not match the option set"),
    "E1091": ("tài khoản không được ghi chương trình này", "the account may not write to this program"),
    "E1112": ("máy chủ chưa cấu hình mã hóa nên không nhận thông tin bảo mật",
              "the server is not set up to encrypt confidential values (encryption.password)"),
    "E1125": ("giá trị không có trong danh sách", "the value is not an option of the list"),
    "E1302": ("giá trị không đúng kiểu", "the value has the wrong type"),
    "E1303": ("thiếu giá trị bắt buộc", "a mandatory value is missing"),
    "E1300": ("quy tắc chương trình báo lỗi", "a program rule reports an error"),
    "E5000": ("không lưu được vì bản ghi cha bị từ chối", "not saved because its parent was refused"),
}


def column_of(spec: SheetSpec, message: str | None, sent: Mapping[str, str] | None = None) -> str | None:
    """The column whose attribute or data element the message names; else the one whose value
    it quotes (E1112 names only the value). The values are matched here and never repeated."""
    if not message:
        return None
    named = set(_UID.findall(message))
    for column in spec.columns:
        if column.uid and column.uid in named:
            return column.key
    quoted = set(re.findall(r"`([^`]*)`", message))
    hits = [key for key, value in (sent or {}).items() if value and value in quoted]
    if len(hits) == 1:
        return hits[0]
    # E1302/E1007 name the value type and quote the value inside the reason
    typed = [c.key for c in spec.columns if c.value_type in message and (sent or {}).get(c.key)
             and str((sent or {})[c.key]) in message]
    return typed[0] if len(typed) == 1 else None


def finding(error: TrackerError, spec: SheetSpec, sheet_name: str, row: int | None, *, file: str,
            lang: str, sent: Mapping[str, str] | None = None) -> RosterFinding:
    code = error.error_code or "E0000"
    vi, en = PLAIN.get(code, ("máy chủ từ chối, xem báo cáo nhập của DHIS2", "refused; see DHIS2's import report"))
    words = vi if lang == "vi" else en
    lead = "DHIS2 từ chối dòng này" if lang == "vi" else "DHIS2 refused this row"
    return RosterFinding(file=file, sheet=sheet_name, row=row, column=column_of(spec, error.message, sent),
                         code=f"refused-{code}", severity=Severity.ERROR, message=f"{lead} ({code}): {words}.")


def own_errors(errors: list[TrackerError]) -> list[TrackerError]:
    """A record's errors without E5000 ("its parent was refused") when the parent's own error is
    there: one cause, said once."""
    first = [e for e in errors if e.error_code != "E5000"]
    return first or errors


def errors_by_uid(errors: list[TrackerError]) -> Mapping[str, list[TrackerError]]:
    out: dict[str, list[TrackerError]] = {}
    for error in errors:
        if error.uid:
            out.setdefault(error.uid, []).append(error)
    return out
