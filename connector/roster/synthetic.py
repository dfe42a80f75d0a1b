"""A seeded synthetic roster: one group's members and a year of meetings, attendance,
follow-ups, referrals, support and exits, as DHIS2 values per sheet key.

Everything is made up (codes, years of birth, phone numbers that follow the Vietnamese format,
aliases such as "Biệt danh 17"); no real person is behind any row. The columns come from the
roster contract, so a new data element gets a value without an edit here; what the program
rules check (returnee details, methadone adherence, loan amounts, referral outcomes, exits) is
filled the way a careful leader would, so a generated roster validates with no finding.

    data = make_roster(contract)                       # 300 members, 2025, seed 19
    big = make_roster(contract, members=20_000)        # the benchmark's roster
    write_xlsx(data, contract, tmp_path / "roster.xlsx", lang="vi")
    write_csv_folder(data, contract, tmp_path / "csv")
"""

from __future__ import annotations

import csv
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from scdi.connector.roster.contract import ColumnSpec, Lang, RosterContract, SheetSpec
from scdi.connector.roster.values import to_cell
from scdi.connector.roster.write import write_roster

Row = dict[str, str | None]

# Option codes the rules of the package turn on (the generator fills their dependants).
METHADONE_ON = "SCDI_METHADONE_STATUS_ON"
REFERRAL_DONE = "SCDI_REFERRAL_OUTCOME_COMPLETED"
NEEDS_AMOUNT = {"SCDI_SUPPORT_KIND_LOAN", "SCDI_SUPPORT_KIND_GIFT"}
NO_AMOUNT = {"SCDI_SUPPORT_KIND_JOB_REFERRAL", "SCDI_SUPPORT_KIND_VOCATIONAL_COURSE"}
LOAN = "SCDI_SUPPORT_KIND_LOAN"
EXIT_OTHER = "SCDI_EXIT_REASON_OTHER"
DRUG_NONE = "SCDI_DRUG_NONE"
# Columns only a rule's condition shows: filled when the condition holds, empty otherwise.
CONDITIONAL = {"intake_treatment_episodes", "intake_other_drug", "intake_return_facility_type",
               "intake_return_facility_name", "intake_return_date", "intake_received_by", "fu_drug_used",
               "fu_methadone_adherence", "ref_date_completed", "sup_amount_vnd", "exit_other_reason",
               "mtg_next_date", "mtg_members_present", "mtg_new_members", "mtg_family_present"}


@dataclass
class RosterData:
    group: str
    today: date
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def _generic(rng: random.Random, column: ColumnSpec, when: date) -> str | None:
    if column.options:
        return rng.choice(column.options).code
    kind = column.value_type
    if kind in ("BOOLEAN",):
        return rng.choice(("true", "false"))
    if kind == "TRUE_ONLY":
        return "true" if rng.random() < 0.3 else None
    if kind.startswith("INTEGER") or kind == "NUMBER":
        return str(rng.randint(1 if kind == "INTEGER_POSITIVE" else 0, 5))
    if kind == "PERCENTAGE":
        return str(rng.randint(0, 100))
    if kind in ("DATE", "AGE"):
        return (when - timedelta(days=rng.randint(0, 30))).isoformat()
    if kind == "PHONE_NUMBER":
        return "09" + "".join(rng.choice("0123456789") for _ in range(8))
    if kind == "ORGANISATION_UNIT":
        return f"XA_{rng.randint(1, 40):03d}"
    return f"Ghi chú {rng.randint(1, 999)}"


def _fill(rng: random.Random, sheet: SheetSpec, row: Row, when: date, skip: set[str]) -> Row:
    for column in sheet.columns:
        if column.key in row or column.key in skip or column.key in CONDITIONAL or column.key == "uid":
            continue
        if column.required or rng.random() < 0.7:
            row[column.key] = _generic(rng, column, when)
    return row


def _dates_between(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    if end < start:
        return []
    span = (end - start).days
    return sorted({start + timedelta(days=rng.randint(0, span)) for _ in range(count)})


def make_roster(contract: RosterContract, *, members: int = 300, seed: int = 19, year: int = 2025,
                today: date | None = None, group: str = "HP-01") -> RosterData:
    """A group of `members` with a year of records; `today` defaults to 31 December of `year`."""
    rng = random.Random(seed)  # noqa: S311 - seeded synthetic data, not secrets
    today = today or date(year, 12, 31)
    data = RosterData(group=group, today=today, rows={s.key: [] for s in contract.sheets})
    sheets = {s.key: s for s in contract.sheets}
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)

    meeting_days = [d for d in (date(year, m, day) for m in range(1, 13) for day in (5, 20)) if d <= end]
    people: list[dict[str, Any]] = []
    for n in range(members):
        enrolled = (start - timedelta(days=rng.randint(1, 5 * 365)) if rng.random() < 0.6
                    else start + timedelta(days=rng.randint(0, max((end - start).days - 30, 0))))
        code = f"{group}-{n + 1:05d}"
        left: date | None = None
        if rng.random() < 0.08:
            left = max(enrolled, start) + timedelta(days=rng.randint(15, 300))
            left = left if left <= end else None
        person = {"code": code, "enrolled": enrolled, "left": left}
        people.append(person)
        member: Row = {"member_code": code, "enrolled_on": enrolled.isoformat(),
                       "status": "left" if left else "active"}
        if "year_of_birth" in sheets["members"].keys or sheets["members"].column("year_of_birth"):
            member["year_of_birth"] = str(rng.randint(1955, enrolled.year - 18))
        if sheets["members"].column("alias") and rng.random() < 0.5:
            member["alias"] = f"Biệt danh {n + 1}"
        if sheets["members"].column("phone") and rng.random() < 0.6:
            member["phone"] = "09" + "".join(rng.choice("0123456789") for _ in range(8))
        data.rows["members"].append(_fill(rng, sheets["members"], member, enrolled, {"alias", "phone"}))
        if "intake" in sheets:
            data.rows["intake"].append(_intake(rng, sheets["intake"], code, enrolled))
        last = left or end
        first_day = max(enrolled, start)
        if "followup" in sheets:
            month = date(first_day.year, first_day.month, 1)
            while True:
                day = month.replace(day=min(28, 10 + rng.randint(0, 15)))
                if day > last:
                    break
                if day >= first_day:
                    data.rows["followup"].append(_followup(rng, sheets["followup"], code, day))
                month = (month + timedelta(days=32)).replace(day=1)
        if "referral" in sheets:
            for day in _dates_between(rng, first_day, last, rng.choice((0, 1, 1, 2))):
                data.rows["referral"].append(_referral(rng, sheets["referral"], code, day, end))
        if "support" in sheets:
            for day in _dates_between(rng, first_day, last, rng.choice((0, 0, 1))):
                data.rows["support"].append(_support(rng, sheets["support"], code, day))
        if left and "exit" in sheets:
            exit_row: Row = {"member_code": code, "date": left.isoformat()}
            reason = sheets["exit"].column("exit_reason")
            if reason is not None:
                exit_row["exit_reason"] = rng.choice(reason.options).code
                if exit_row["exit_reason"] == EXIT_OTHER:
                    exit_row["exit_other_reason"] = "Chuyển đi nơi khác"
            data.rows["exit"].append(_fill(rng, sheets["exit"], exit_row, left, set()))
    if "meeting" in sheets:
        for day in meeting_days:
            present = [p for p in people if p["enrolled"] <= day and (p["left"] is None or p["left"] > day)
                       and rng.random() < 0.5]
            meeting: Row = {"date": day.isoformat(), "mtg_members_present": str(len(present)),
                            "mtg_new_members": str(sum(1 for p in present if p["enrolled"] == day)),
                            "mtg_family_present": str(rng.randint(0, 5) if present else 0)}
            following = day + timedelta(days=15)
            if following <= today:
                meeting["mtg_next_date"] = following.isoformat()
            data.rows["meeting"].append(_fill(rng, sheets["meeting"], meeting, day, set()))
            for person in present:
                attendance: Row = {"member_code": str(person["code"]), "date": day.isoformat()}
                data.rows.setdefault("attendance", []).append(
                    _fill(rng, sheets["attendance"], attendance, day, set()))
    return data


def _intake(rng: random.Random, sheet: SheetSpec, code: str, day: date) -> Row:
    row: Row = {"member_code": code, "date": day.isoformat()}
    history = [k for k in ("intake_hist_compulsory", "intake_hist_voluntary", "intake_hist_community",
                           "intake_hist_methadone") if sheet.column(k)]
    for key in history:
        row[key] = rng.choice(("true", "false"))
    if any(row.get(k) == "true" for k in history) and sheet.column("intake_treatment_episodes"):
        row["intake_treatment_episodes"] = str(rng.randint(1, 6))
    main = sheet.column("intake_main_drug")
    if main is not None:
        row["intake_main_drug"] = rng.choice(main.options).code
        other = sheet.column("intake_other_drug")
        if row["intake_main_drug"] != DRUG_NONE and other is not None and rng.random() < 0.4:
            row["intake_other_drug"] = rng.choice(other.options).code
    if sheet.column("intake_returnee"):
        returnee = rng.random() < 0.3
        row["intake_returnee"] = "true" if returnee else "false"
        if returnee:
            for key in ("intake_return_facility_type", "intake_received_by"):
                column = sheet.column(key)
                if column is not None:
                    row[key] = rng.choice(column.options).code
            row["intake_return_date"] = (day - timedelta(days=rng.randint(0, 20))).isoformat()
            row["intake_return_facility_name"] = f"Cơ sở {rng.randint(1, 9)}"
    return _fill(rng, sheet, row, day, set())


def _followup(rng: random.Random, sheet: SheetSpec, code: str, day: date) -> Row:
    row: Row = {"member_code": code, "date": day.isoformat()}
    if sheet.column("fu_used_30d"):
        used = rng.random() < 0.15
        row["fu_used_30d"] = "true" if used else "false"
        drug = sheet.column("fu_drug_used")
        if used and drug is not None:
            row["fu_drug_used"] = rng.choice(drug.options).code
    status = sheet.column("fu_methadone_status")
    if status is not None:
        row["fu_methadone_status"] = rng.choice(status.options).code
        adherence = sheet.column("fu_methadone_adherence")
        if row["fu_methadone_status"] == METHADONE_ON and adherence is not None:
            row["fu_methadone_adherence"] = rng.choice(adherence.options).code
    return _fill(rng, sheet, row, day, set())


def _referral(rng: random.Random, sheet: SheetSpec, code: str, day: date, end: date) -> Row:
    row: Row = {"member_code": code, "date": day.isoformat()}
    outcome = sheet.column("ref_outcome")
    if outcome is not None:
        row["ref_outcome"] = rng.choice(outcome.options).code
        if row["ref_outcome"] == REFERRAL_DONE:
            row["ref_date_completed"] = min(day + timedelta(days=rng.randint(0, 20)), end).isoformat()
    return _fill(rng, sheet, row, day, set())


def _support(rng: random.Random, sheet: SheetSpec, code: str, day: date) -> Row:
    row: Row = {"member_code": code, "date": day.isoformat()}
    kind = sheet.column("sup_kind")
    if kind is not None:
        row["sup_kind"] = rng.choice(kind.options).code
        if row["sup_kind"] == LOAN:
            row["sup_amount_vnd"] = str(rng.randint(1, 300) * 100_000)
        elif row["sup_kind"] in NEEDS_AMOUNT or (row["sup_kind"] not in NO_AMOUNT and rng.random() < 0.5):
            row["sup_amount_vnd"] = str(rng.randint(1, 50) * 50_000)
    return _fill(rng, sheet, row, day, set())


# --- writing the variants ------------------------------------------------------------------------


def write_xlsx(data: RosterData, contract: RosterContract, path: Path, *, lang: Lang = "vi") -> Path:
    write_roster(contract, path, lang=lang, group=data.group, rows=data.rows, made_on=data.today)
    return path


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def respelled(contract: RosterContract, transform: Callable[[str], str]) -> RosterContract:
    """The contract with every header and sheet name transformed: writing a roster with it gives
    the same file with headers as a person might type them (NFD, without diacritics, …)."""
    sheets = tuple(sheet.model_copy(update={
        "vi": transform(sheet.vi)[:31], "en": transform(sheet.en)[:31],
        "columns": tuple(c.model_copy(update={"vi": transform(c.vi), "en": transform(c.en)}) for c in sheet.columns),
    }) for sheet in contract.sheets)
    return contract.model_copy(update={"sheets": sheets})


def rewrite_headers(path: Path, transform: Callable[[str], str], out: Path | None = None) -> Path:
    """The same workbook with every data sheet's header row (and sheet name) transformed."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        if sheet.title.startswith("_"):
            continue
        for cell in sheet[1]:
            if isinstance(cell.value, str):
                cell.value = transform(cell.value)
        sheet.title = transform(sheet.title)[:31]
    target = out or path
    workbook.save(target)
    return target


def _csv_cell(column: ColumnSpec, value: str | None, lang: Lang) -> str:
    shown = to_cell(column, value, lang)
    if shown is None:
        return ""
    if isinstance(shown, date):
        return shown.strftime("%d/%m/%Y")
    return str(shown)


def write_csv_folder(data: RosterData, contract: RosterContract, folder: Path, *, lang: Lang = "vi",
                     encoding: str = "utf-8-sig", header: Callable[[ColumnSpec], str] | None = None) -> Path:
    """One CSV per sheet (`members.csv`, `attendance.csv`, …) with the template's headers."""
    folder.mkdir(parents=True, exist_ok=True)
    for sheet in contract.sheets:
        with (folder / f"{sheet.key}.csv").open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([header(c) if header else c.header(lang) for c in sheet.columns])
            for row in data.rows.get(sheet.key, []):
                writer.writerow([_csv_cell(c, row.get(c.key), lang) for c in sheet.columns])
    return folder


def make_sessions(contract: RosterContract, *, sessions: int = 60, seed: int = 19, year: int = 2025,
                  group: str = "DTV-BG-01") -> RosterData:
    """A counselling point's year of sessions (the outreach roster)."""
    rng = random.Random(seed)  # noqa: S311 - seeded synthetic data, not secrets
    today = date(year, 12, 31)
    data = RosterData(group=group, today=today, rows={s.key: [] for s in contract.sheets})
    sheet = contract.sheets[0]
    kind = sheet.column("out_session_kind")
    individual = next((o.code for o in kind.options if o.code.endswith("INDIVIDUAL")), None) if kind else None
    for day in _dates_between(rng, date(year, 1, 1), today, sessions):
        row: Row = {"date": day.isoformat()}
        if kind is not None:
            row["out_session_kind"] = rng.choice(kind.options).code
        small = row.get("out_session_kind") == individual
        male, female = (rng.randint(0, 1), 1) if small else (rng.randint(2, 40), rng.randint(1, 30))
        counts = {"out_clients_male": male, "out_clients_female": female,
                  "out_detox_started": rng.randint(0, 1), "out_referred_voluntary": rng.randint(0, 1),
                  "out_into_voluntary": rng.randint(0, 1), "out_referred_methadone": rng.randint(0, 1)}
        for key, value in counts.items():
            if sheet.column(key):
                row[key] = str(value)
        data.rows[sheet.key].append(_fill(rng, sheet, row, day, set()))
    return data


# --- the required columns a hand-written roster lacks -----------------------------------------------

# Options that switch on a program rule's dependants: a filler never picks them.
_RULE_TRIGGERS = {METHADONE_ON, REFERRAL_DONE, EXIT_OTHER, *NEEDS_AMOUNT}


def _plain_value(column: ColumnSpec, today: date) -> str:
    """A valid DHIS2 value for a required column that turns no program rule on."""
    if column.options:
        return next((o.code for o in column.options if o.code not in _RULE_TRIGGERS), column.options[0].code)
    if column.key == "year_of_birth":
        return str(today.year - 40)
    kind = column.value_type
    if kind in ("BOOLEAN", "TRUE_ONLY"):
        return "false" if kind == "BOOLEAN" else "true"
    if kind.startswith("INTEGER") or kind in ("NUMBER", "PERCENTAGE"):
        return "1" if kind == "INTEGER_POSITIVE" else "0"
    if kind in ("DATE", "AGE"):
        return today.isoformat()
    if kind == "PHONE_NUMBER":
        return "0912000000"
    if kind == "ORGANISATION_UNIT":
        return "XA_001"
    return "Ghi chú"


def required_filler(contract: RosterContract, sheet_key: str, present: list[str] | tuple[str, ...], *,
                    lang: Lang | None = None, today: date = date(2025, 12, 31)) -> tuple[list[str], list[str]]:
    """Headers and CSV cells for the contract's required columns of a sheet that `present` (column keys)
    lacks, so a small hand-written roster stays complete when the package makes more fields compulsory.
    Headers are column keys, or the `lang` headers when given; member code and the date are the test's."""
    sheet = contract.sheet(sheet_key)
    assert sheet is not None, sheet_key
    missing = [c for c in sheet.columns if c.required and c.key not in present]
    headers = [c.header(lang) if lang else c.key for c in missing]
    return headers, [_csv_cell(c, _plain_value(c, today), lang or "en") for c in missing]
