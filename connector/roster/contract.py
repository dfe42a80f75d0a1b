"""The roster contract: which sheets and columns a roster has, derived from the package.

One source of truth. A column's key is the object's `code` without the `SCDI_` prefix, in
lower case; its headers are the object's Vietnamese and English form names (its name where it
has none); its drop-down is its option set. Besides: `member_code` (the member program's unique
attribute) first on the members sheet, `enrolled_on` and `status` after the attributes,
`date` on every event sheet (with `member_code` on the member's event sheets), and a hidden
`uid` last on every sheet.

What a leader does not type is not a column: generated attributes (DHIS2 fills them), fields a
program rule ASSIGNs (the phone computes them), and data elements that are not on the stage's
form (a stage with sections shows only the data elements in its sections).

Which programs make a roster is the one thing named here (`KIND_PROGRAMS`); every sheet,
column, header and option comes from the package, so a new data element on a stage is a new
column without an edit here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scdi.connector.errors import InputError

RosterKind = Literal["member", "outreach"]
Lang = Literal["vi", "en"]
SheetRole = Literal["members", "member_events", "group_events", "events"]
Source = Literal["attribute", "dataElement", "enrollment", "event", "roster"]

CODE_PREFIX = "SCDI_"
# Program codes per roster kind: (program whose tracked entities are the rows of the members
# sheet, or None; programs whose stages become event sheets, in sheet order).
KIND_PROGRAMS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "member": ("SCDI_MEMBER", ("SCDI_MEMBER", "SCDI_GROUP")),
    "outreach": (None, ("SCDI_OUTREACH",)),
}
MEMBERS_SHEET = "members"
MEMBER_KEY = "member_code"
ENROLLED_KEY = "enrolled_on"
STATUS_KEY = "status"
DATE_KEY = "date"
UID_KEY = "uid"
EXCEL_SHEET_NAME_MAX = 31
_EXCEL_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Attendance rows name their meeting by date: (attendance sheet, meetings sheet, the meeting's
# count of members present that the attendance rows should add up to).
MEETING_LINK = ("attendance", "meeting", "mtg_members_present")

STATUS_OPTIONS = (
    ("active", "Đang sinh hoạt", "Active"),
    ("paused", "Tạm nghỉ", "Paused"),
    ("left", "Đã ra khỏi nhóm", "Left"),
)


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, frozen=True)


class OptionSpec(_Model):
    code: str
    vi: str
    en: str


class ColumnSpec(_Model):
    key: str
    vi: str
    en: str
    value_type: str = Field(serialization_alias="valueType")
    required: bool = False
    confidential: bool = False
    options: tuple[OptionSpec, ...] = ()
    unique: bool = False
    hidden: bool = False
    allow_future: bool = Field(default=False, serialization_alias="allowFutureDate")
    source: Source = "roster"
    uid: str | None = None
    note_vi: str = Field(default="", serialization_alias="noteVi")
    note_en: str = Field(default="", serialization_alias="noteEn")

    def header(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en

    def note(self, lang: Lang) -> str:
        return self.note_vi if lang == "vi" else self.note_en

    @property
    def private(self) -> bool:
        """Values of this column never appear in a message (confidential or identifying)."""
        return self.confidential or self.unique or self.key == MEMBER_KEY


class SheetSpec(_Model):
    key: str
    vi: str
    en: str
    role: SheetRole
    program: str
    stage: str | None = None
    repeatable: bool = True
    columns: tuple[ColumnSpec, ...]

    def name(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en

    def column(self, key: str) -> ColumnSpec | None:
        for column in self.columns:
            if column.key == key:
                return column
        return None

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns that identify a row: two rows with the same keys are duplicates."""
        if self.role == "members":
            return (MEMBER_KEY,)
        if self.role == "member_events":
            return (MEMBER_KEY, DATE_KEY) if self.repeatable else (MEMBER_KEY,)
        if self.role == "group_events":
            return (DATE_KEY,)
        return ()


class PackageRef(_Model):
    code: str
    version: str


class RosterContract(_Model):
    package: PackageRef
    kind: RosterKind
    sheets: tuple[SheetSpec, ...]

    def sheet(self, key: str) -> SheetSpec | None:
        for sheet in self.sheets:
            if sheet.key == key:
                return sheet
        return None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


# --- reading the package -------------------------------------------------------------------


class _Package:
    def __init__(self, package: dict[str, Any]) -> None:
        self.block: dict[str, Any] = package.get("package") or {}
        self.by_id: dict[str, dict[str, Any]] = {}
        self.rules: list[dict[str, Any]] = []
        for items in package.values():
            if not isinstance(items, list):
                continue
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    self.by_id[item["id"]] = item
        self.rules = [r for r in package.get("programRules", []) if isinstance(r, dict)]
        self.actions = [a for a in package.get("programRuleActions", []) if isinstance(a, dict)]

    def get(self, ref: Any) -> dict[str, Any] | None:
        uid = ref.get("id") if isinstance(ref, dict) else ref
        return self.by_id.get(uid) if isinstance(uid, str) else None

    def program(self, code: str) -> dict[str, Any]:
        for obj in self.by_id.values():
            if obj.get("code") == code and "programType" in obj:
                return obj
        raise InputError(f"the package has no program {code}", hint="Build the roster from the SCDI_GROUPS package.")

    def assigned_fields(self) -> set[str]:
        """UIDs of data elements and attributes that a program rule ASSIGNs."""
        out: set[str] = set()
        for action in self.actions:
            if action.get("programRuleActionType") == "ASSIGN":
                for prop in ("dataElement", "trackedEntityAttribute"):
                    ref = action.get(prop)
                    if isinstance(ref, dict) and isinstance(ref.get("id"), str):
                        out.add(ref["id"])
        return out


def translation(obj: dict[str, Any], prop: str, locale: str = "vi") -> str | None:
    for item in obj.get("translations") or []:
        if isinstance(item, dict) and item.get("locale") == locale and item.get("property") == prop:
            value = item.get("value")
            if isinstance(value, str) and value.strip():
                return value
    return None


def key_of(code: str) -> str:
    return code.removeprefix(CODE_PREFIX).lower()


def _names(obj: dict[str, Any]) -> tuple[str, str]:
    en = obj.get("formName") or obj.get("name") or obj.get("code") or ""
    vi = translation(obj, "FORM_NAME") or translation(obj, "NAME") or en
    return str(vi), str(en)


def _options(pkg: _Package, obj: dict[str, Any]) -> tuple[OptionSpec, ...]:
    option_set = pkg.get(obj.get("optionSet"))
    if option_set is None:
        return ()
    found = [pkg.get(ref) for ref in option_set.get("options") or []]
    options = sorted((o for o in found if o is not None), key=lambda o: int(o.get("sortOrder") or 0))
    return tuple(OptionSpec(code=str(o.get("code") or ""), vi=translation(o, "NAME") or str(o.get("name") or ""),
                            en=str(o.get("name") or "")) for o in options)


def _notes(obj: dict[str, Any]) -> tuple[str, str]:
    en = str(obj.get("description") or "")
    vi = translation(obj, "DESCRIPTION") or en
    return vi, en


def _object_column(pkg: _Package, obj: dict[str, Any], source: Source, *, required: bool,
                   allow_future: bool) -> ColumnSpec:
    vi, en = _names(obj)
    note_vi, note_en = _notes(obj)
    return ColumnSpec(
        key=key_of(str(obj.get("code") or obj["id"])), vi=vi, en=en,
        value_type=str(obj.get("valueType") or "TEXT"), required=required,
        confidential=bool(obj.get("confidential")), options=_options(pkg, obj),
        unique=bool(obj.get("unique")), allow_future=allow_future, source=source, uid=obj["id"],
        note_vi=note_vi, note_en=note_en)


def _sheet_name(name: str) -> str:
    cleaned = _EXCEL_FORBIDDEN.sub(" ", name).strip().strip("'")
    return re.sub(r"\s+", " ", cleaned)[:EXCEL_SHEET_NAME_MAX].rstrip()


def _uid_column() -> ColumnSpec:
    return ColumnSpec(key=UID_KEY, vi="uid", en="uid", value_type="TEXT", hidden=True,
                      note_vi="Mã DHIS2 của dòng; để trống, do chương trình điền.",
                      note_en="The row's DHIS2 UID; leave empty, the connector fills it in.")


def _member_code_column(pkg: _Package, program: dict[str, Any]) -> tuple[ColumnSpec, str]:
    for ptea in _program_attributes(pkg, program):
        tea = pkg.get(ptea.get("trackedEntityAttribute"))
        if tea is not None and tea.get("unique") and not tea.get("generated"):
            column = _object_column(pkg, tea, "attribute", required=True, allow_future=False)
            if column.key != MEMBER_KEY:
                raise InputError(f"the member program's code attribute is {column.key!r}, expected {MEMBER_KEY!r}")
            return column, tea["id"]
    raise InputError("the member program has no unique attribute to identify members by")


def _program_attributes(pkg: _Package, program: dict[str, Any]) -> list[dict[str, Any]]:
    items = [p for p in (program.get("programTrackedEntityAttributes") or []) if isinstance(p, dict)]
    return sorted(items, key=lambda p: int(p.get("sortOrder") or 0))


def _members_sheet(pkg: _Package, program: dict[str, Any]) -> SheetSpec:
    code_column, code_uid = _member_code_column(pkg, program)
    assigned = pkg.assigned_fields()
    columns = [code_column]
    for ptea in _program_attributes(pkg, program):
        tea = pkg.get(ptea.get("trackedEntityAttribute"))
        if tea is None or tea["id"] == code_uid or tea.get("generated") or tea["id"] in assigned:
            continue
        columns.append(_object_column(pkg, tea, "attribute", required=bool(ptea.get("mandatory")),
                                      allow_future=bool(ptea.get("allowFutureDate"))))
    en_label = str(program.get("enrollmentDateLabel") or "Enrollment date")
    columns.append(ColumnSpec(key=ENROLLED_KEY, vi=translation(program, "ENROLLMENT_DATE_LABEL") or en_label,
                              en=en_label, value_type="DATE", required=True, source="enrollment"))
    columns.append(ColumnSpec(
        key=STATUS_KEY, vi="Trạng thái", en="Status", value_type="TEXT", source="enrollment",
        options=tuple(OptionSpec(code=c, vi=vi, en=en) for c, vi, en in STATUS_OPTIONS),
        note_vi="Để trống là đang sinh hoạt.", note_en="Empty means active."))
    columns.append(_uid_column())
    return SheetSpec(key=MEMBERS_SHEET, vi="Thành viên", en="Members", role="members",
                     program=program["id"], columns=_distinct_headers(columns))


def _form_data_elements(pkg: _Package, stage: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(programStageDataElement, dataElement) in form order: by section when there are sections."""
    psdes: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for psde in stage.get("programStageDataElements") or []:
        full = psde if isinstance(psde, dict) and "dataElement" in psde else pkg.get(psde)
        de = pkg.get(full.get("dataElement")) if full else None
        if full is not None and de is not None:
            psdes[de["id"]] = full
            order.append(de["id"])
    sections = [pkg.get(ref) for ref in stage.get("programStageSections") or []]
    real = sorted((s for s in sections if s is not None), key=lambda s: int(s.get("sortOrder") or 0))
    if real:
        order = [ref["id"] for s in real for ref in s.get("dataElements") or []
                 if isinstance(ref, dict) and ref.get("id") in psdes]
    out: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for uid in dict.fromkeys(order):
        de = pkg.get(uid)
        if de is not None:
            out.append((psdes[uid], de))
    return out


def _stage_sheet(pkg: _Package, program: dict[str, Any], stage: dict[str, Any], role: SheetRole,
                 program_code: str) -> SheetSpec:
    assigned = pkg.assigned_fields()
    columns: list[ColumnSpec] = []
    if role == "member_events":
        member = _member_code_column(pkg, pkg.program(KIND_PROGRAMS["member"][0] or ""))[0]
        columns.append(member)
    en_label = str(stage.get("executionDateLabel") or "Date")
    columns.append(ColumnSpec(key=DATE_KEY, vi=translation(stage, "EXECUTION_DATE_LABEL") or en_label,
                              en=en_label, value_type="DATE", required=True, source="event"))
    for psde, de in _form_data_elements(pkg, stage):
        if de["id"] in assigned:
            continue
        columns.append(_object_column(pkg, de, "dataElement", required=bool(psde.get("compulsory")),
                                      allow_future=bool(psde.get("allowFutureDate"))))
    columns.append(_uid_column())
    stage_code = str(stage.get("code") or stage["id"])
    key = key_of(stage_code.removeprefix(program_code + "_") if stage_code.startswith(program_code + "_")
                 else stage_code)
    en = str(stage.get("name") or key)
    return SheetSpec(key=key, vi=_sheet_name(translation(stage, "NAME") or en), en=_sheet_name(en), role=role,
                     program=program["id"], stage=stage["id"], repeatable=bool(stage.get("repeatable")),
                     columns=_distinct_headers(columns))


def _distinct_headers(columns: list[ColumnSpec]) -> tuple[ColumnSpec, ...]:
    """Two columns of a sheet never share a header: a clash gets the key added to both."""
    from scdi.connector.roster.text import fold

    out = list(columns)
    for lang in ("vi", "en"):
        seen: dict[str, list[int]] = {}
        for position, column in enumerate(out):
            seen.setdefault(fold(column.header(lang)), []).append(position)
        for positions in seen.values():
            if len(positions) > 1:
                for position in positions:
                    column = out[position]
                    out[position] = column.model_copy(update={lang: f"{column.header(lang)} [{column.key}]"})
    keys = [c.key for c in out]
    if len(set(keys)) != len(keys):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        raise InputError(f"two columns of one sheet have the same key: {twice}",
                         hint="Give the package objects distinct codes.")
    return tuple(out)


def _stages(pkg: _Package, program: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stages = [pkg.get(ref) for ref in program.get("programStages") or []]
    yield from sorted((s for s in stages if s is not None), key=lambda s: int(s.get("sortOrder") or 0))


def build_contract(package: dict[str, Any], kind: RosterKind = "member") -> RosterContract:
    """The roster contract of `kind` for an in-memory package (`build_package()`)."""
    if kind not in KIND_PROGRAMS:
        raise InputError(f"unknown roster kind {kind!r}", hint="Use --kind member or --kind outreach.")
    pkg = _Package(package)
    members_code, event_codes = KIND_PROGRAMS[kind]
    sheets: list[SheetSpec] = []
    if members_code:
        sheets.append(_members_sheet(pkg, pkg.program(members_code)))
    for code in event_codes:
        program = pkg.program(code)
        if program.get("programType") == "WITHOUT_REGISTRATION":
            role: SheetRole = "events"
        elif code == members_code:
            role = "member_events"
        else:
            role = "group_events"
        sheets.extend(_stage_sheet(pkg, program, stage, role, code) for stage in _stages(pkg, program))
    _check_sheet_names(sheets)
    return RosterContract(package=PackageRef(code=str(pkg.block.get("code", "")),
                                             version=str(pkg.block.get("version", ""))),
                          kind=kind, sheets=tuple(sheets))


def _check_sheet_names(sheets: list[SheetSpec]) -> None:
    for lang in ("vi", "en"):
        names = [(s.vi if lang == "vi" else s.en).casefold() for s in sheets]
        if len(set(names)) != len(names):
            raise InputError(f"two roster sheets would have the same {lang} name",
                             hint="Give the program stages distinct names (at most 31 characters).")
    keys = [s.key for s in sheets]
    if len(set(keys)) != len(keys):
        raise InputError("two roster sheets would have the same key")


@cache
def _default_package() -> dict[str, Any]:
    from scdi.connector.metadata.package import build_package

    return build_package()


def default_package() -> dict[str, Any]:
    """The package installed with scdi-groups, built once per process."""
    return _default_package()


def load_contract(kind: RosterKind = "member", package: dict[str, Any] | None = None) -> RosterContract:
    return build_contract(package if package is not None else default_package(), kind)
