"""Reading a registry of groups from XLSX (python-calamine) or CSV into checked rows.

The first visible sheet whose header row names at least three known columns is read (the
template's instructions sheet and hidden code sheet are skipped); the header row may sit
below a title. Row numbers in findings are the ones a spreadsheet program shows. Every
problem is a finding on its row and column; a row with an error is kept (so the plan can
say "invalid") but nothing is created for it. Personal values (the leader's e-mail and
phone) are never quoted in a finding.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.errors import InputError
from scdi.connector.provision import findings as fnd
from scdi.connector.provision.columns import BY_KEY, COLUMNS, Choices, header_index, package_choices, read_active
from scdi.connector.provision.findings import Finding
from scdi.connector.provision.names import plain_key

GROUP_CODE = re.compile(r"^[A-Z0-9_-]{2,20}$")
# dhis-support-system ValidationUtils#USERNAME_PATTERN (2.41.9, 2.42.5, 2.43.1)
USERNAME = re.compile(r"^(?=.{4,255}$)(?![-_.@])(?!.*[-_.@]{2})[-_.@a-zA-Z0-9]+(?<![-_.@])$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?\d{9,15}$")
MAX_NAME = 230  # OrganisationUnit.name column length
_HEADER_SCAN = 20


class RegistryRow(BaseModel):
    row: int
    group_code: str | None = None
    group_name: str | None = None
    kind: str | None = None  # option code of SCDI_GROUP_KIND
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    sponsor: str | None = None  # option code of SCDI_SPONSOR
    founded_on: dt.date | None = None
    leader_username: str | None = None
    leader_email: str | None = Field(default=None, repr=False)
    leader_phone: str | None = Field(default=None, repr=False)
    active: bool = True
    valid: bool = True


class Registry(BaseModel):
    file: str
    sheet: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)  # key → header text found
    rows: list[RegistryRow] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def valid_rows(self) -> list[RegistryRow]:
        return [r for r in self.rows if r.valid]


def read_registry(path: str | Path, *, kinds: Choices | None = None, sponsors: Choices | None = None,
                  today: dt.date | None = None) -> Registry:
    path = Path(path)
    if not path.exists():
        raise InputError("the registry file does not exist", file=str(path),
                         hint="Give the path of an .xlsx or .csv file; `scdi groups template` writes an empty one.")
    if kinds is None or sponsors is None:
        package_kinds, package_sponsors = package_choices()
        kinds, sponsors = kinds or package_kinds, sponsors or package_sponsors
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        sheet, table = _read_workbook(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        sheet, table = None, _read_csv(path)
    else:
        raise InputError(f"unknown file type {suffix!r}", file=str(path), hint="Use .xlsx or .csv.")
    return parse_table(table, file=path.name, sheet=sheet, kinds=kinds, sponsors=sponsors,
                       today=today or dt.date.today())


def _read_workbook(path: Path) -> tuple[str | None, list[list[Any]]]:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(f"cannot read the workbook ({exc.__class__.__name__})", file=path.name,
                         hint="Save it again as .xlsx (Excel 2007 or later) or export a CSV.") from None
    index = header_index()
    first: tuple[str | None, list[list[Any]]] | None = None
    for meta in workbook.sheets_metadata:
        if str(meta.visible).rsplit(".", 1)[-1].lower() != "visible":
            continue
        rows = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        first = first or (meta.name, rows)
        if _find_header(rows, index) is not None:
            return meta.name, rows
    return first or (None, [])


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def header_key(text: str, index: dict[str, str]) -> str | None:
    """The column a header names: the whole label, or its lines and bracketed parts ("Mã nhóm
    (Group code)", "Tên nhóm (bắt buộc)") when the parts that name a column all name the same one."""
    whole = index.get(plain_key(text))
    if whole is not None:
        return whole
    parts = {index.get(plain_key(p)) for p in re.split(r"[\n()\[\]|]+", text) if p.strip()} - {None}
    return parts.pop() if len(parts) == 1 else None


def _find_header(rows: list[list[Any]], index: dict[str, str]) -> int | None:
    for number, row in enumerate(rows[:_HEADER_SCAN]):
        known = {k for k in (header_key(str(c), index) for c in row if c not in (None, "")) if k}
        if len(known) >= 3 or ("group_code" in known and len(known) >= 2):
            return number
    return None


def parse_table(rows: list[list[Any]], *, file: str, sheet: str | None, kinds: Choices, sponsors: Choices,
                today: dt.date) -> Registry:
    registry = Registry(file=file, sheet=sheet)
    index = header_index()
    header_at = _find_header(rows, index)
    if header_at is None:
        registry.findings.append(fnd.error("registry.no-header", "no header row with the registry's columns "
                                           "(group_code, group_name, kind, province, commune …) in the first "
                                           f"{_HEADER_SCAN} rows", file=file, sheet=sheet))
        return registry
    positions: dict[str, int] = {}
    for col, cell in enumerate(rows[header_at]):
        if cell in (None, ""):
            continue
        key = header_key(str(cell), index)
        if key is None:
            registry.findings.append(fnd.warning("registry.unknown-column", f"column {str(cell)!r} is not used",
                                                 file=file, sheet=sheet, row=header_at + 1))
        elif key in positions:
            registry.findings.append(fnd.error("registry.duplicate-column",
                                               f"two columns are {key} ({registry.columns[key]!r} and {str(cell)!r})",
                                               file=file, sheet=sheet, row=header_at + 1, column=key))
        else:
            positions[key] = col
            registry.columns[key] = str(cell).strip()
    missing = [c.key for c in COLUMNS if c.required and c.key not in positions]
    for key in missing:
        registry.findings.append(fnd.error("registry.missing-column", f"the registry has no {key} column "
                                           f"({BY_KEY[key].vi} / {BY_KEY[key].en})", file=file, sheet=sheet,
                                           row=header_at + 1, column=key))
    if missing or fnd.has_errors(registry.findings):
        return registry
    seen_codes: dict[str, int] = {}
    seen_users: dict[str, int] = {}
    for offset, raw in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {key: (raw[col] if col < len(raw) else None) for key, col in positions.items()}
        if all(_text(v) is None for v in cells.values()):
            continue
        if sum(header_key(str(v), index) == key for key, v in cells.items() if v not in (None, "")) >= 3:
            continue  # a second header row (the other language)
        row, found = _parse_row(offset, cells, kinds, sponsors, today)
        if row.group_code:
            if row.group_code in seen_codes:
                found.append(fnd.error("registry.duplicate-code", f"group code {row.group_code} is already used in "
                                       f"row {seen_codes[row.group_code]}", row=offset, column="group_code"))
            else:
                seen_codes[row.group_code] = offset
        if row.leader_username:
            folded = row.leader_username.casefold()
            if folded in seen_users:
                found.append(fnd.error("registry.duplicate-leader", f"{row.leader_username} already leads the group "
                                       f"in row {seen_users[folded]}; a leader leads one group",
                                       row=offset, column="leader_username"))
            else:
                seen_users[folded] = offset
        found = [f.model_copy(update={"file": file, "sheet": sheet}) for f in found]
        row.valid = not fnd.has_errors(found)
        registry.rows.append(row)
        registry.findings.extend(found)
    return registry


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text or None


def _parse_row(number: int, cells: dict[str, Any], kinds: Choices, sponsors: Choices,
               today: dt.date) -> tuple[RegistryRow, list[Finding]]:
    out: list[Finding] = []
    row = RegistryRow(row=number)

    def err(column: str, code: str, message: str) -> None:
        out.append(fnd.error(code, message, row=number, column=column))

    for column in ("province", "district", "commune"):
        setattr(row, column, _text(cells.get(column)))
    code = _text(cells.get("group_code"))
    if code is None:
        err("group_code", "registry.required", "the group code is empty")
    else:
        if GROUP_CODE.match(code.upper()):
            row.group_code = code.upper()
        else:
            err("group_code", "registry.group-code-format",
                f"{code!r} is not a group code: 2–20 characters A–Z, 0–9, '-' or '_'")
    name = _text(cells.get("group_name"))
    if name is None:
        err("group_name", "registry.required", "the group name is empty")
    elif len(name) > MAX_NAME:
        err("group_name", "registry.too-long", f"the group name has {len(name)} characters; DHIS2 keeps {MAX_NAME}")
    else:
        row.group_name = name
    kind = _text(cells.get("kind"))
    if kind is None:
        err("kind", "registry.required", "the kind of group is empty")
    else:
        row.kind = kinds.resolve(kind)
        if row.kind is None:
            err("kind", "registry.kind-unknown", f"{kind!r} is not a kind of group; use one of: "
                + ", ".join(f"{c.vi} / {c.en}" for c in kinds.options))
    sponsor = _text(cells.get("sponsor"))
    if sponsor is not None:
        row.sponsor = sponsors.resolve(sponsor)
        if row.sponsor is None:
            err("sponsor", "registry.sponsor-unknown", f"{sponsor!r} is not a sponsor; use one of: "
                + ", ".join(f"{c.vi} / {c.en}" for c in sponsors.options))
    row.founded_on = _founded(cells.get("founded_on"), number, today, out)
    active = cells.get("active")
    if isinstance(active, bool):
        row.active = active
    elif _text(active) is not None:
        value = read_active(_text(active) or "")
        if value is None:
            err("active", "registry.active-invalid", f"{_text(active)!r} is not Có/Không (yes/no)")
        else:
            row.active = value
    _leader(row, cells, number, out)
    return row, out


def _founded(value: Any, number: int, today: dt.date, out: list[Finding]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        found: dt.date | None = value
    else:
        text = _text(value)
        if text is None:
            return None
        found = _parse_date(text)
        if found is None and re.fullmatch(r"(19|20)\d\d", text):
            found = dt.date(int(text), 1, 1)
            out.append(fnd.warning("registry.date-year-only", f"only a year ({text}) is given; read as {found}",
                                   row=number, column="founded_on"))
        if found is None:
            out.append(fnd.error("registry.date-invalid", f"{text!r} is not a date (day/month/year)",
                                 row=number, column="founded_on"))
            return None
    assert found is not None
    if found > today:
        out.append(fnd.error("registry.date-future", f"{found} is in the future", row=number, column="founded_on"))
        return None
    return found


def _parse_date(text: str) -> dt.date | None:
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
    day_first = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    try:
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if day_first:  # Vietnamese order: day/month/year
            return dt.date(int(day_first.group(3)), int(day_first.group(2)), int(day_first.group(1)))
    except ValueError:
        return None
    return None


def _leader(row: RegistryRow, cells: dict[str, Any], number: int, out: list[Finding]) -> None:
    username = _text(cells.get("leader_username"))
    if username is not None:
        if USERNAME.match(username):
            row.leader_username = username
        else:
            out.append(fnd.error("registry.username-invalid", f"{username!r} is not a DHIS2 username: 4–255 "
                                 "characters a–z, 0–9 and . _ - @, not starting or ending with . _ - @",
                                 row=number, column="leader_username"))
    email = _text(cells.get("leader_email"))
    if email is not None:
        if EMAIL.match(email):
            row.leader_email = email.lower()
        else:
            out.append(fnd.error("registry.email-invalid", "the leader's e-mail address is not valid",
                                 row=number, column="leader_email"))
    phone_cell = cells.get("leader_phone")
    phone = _text(phone_cell)
    if phone is not None:
        digits = re.sub(r"[\s.\-()]", "", phone)
        if isinstance(phone_cell, int | float) and len(digits) == 9 and not digits.startswith("0"):
            digits = "0" + digits
            out.append(fnd.warning("registry.phone-leading-zero", "the phone number was stored as a number and lost "
                                   "its leading 0; read with a leading 0 (format the column as text)",
                                   row=number, column="leader_phone"))
        if PHONE.match(digits):
            row.leader_phone = digits
        else:
            out.append(fnd.error("registry.phone-invalid", "the leader's phone number is not valid (9–15 digits, "
                                 "an optional leading +)", row=number, column="leader_phone"))
    if (row.leader_email or row.leader_phone) and not (row.leader_username or username):
        out.append(fnd.warning("registry.leader-without-username", "the leader's e-mail or phone is given but no "
                               "username, so no account is made", row=number, column="leader_username"))
