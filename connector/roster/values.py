"""Cell values as people write them, to DHIS2's value formats, and back to cells.

Each parser takes what a reader gives (text from a CSV; text, float, bool, date or datetime
from a spreadsheet) and returns `(value, problem)`: the value in DHIS2's format (`2025-03-01`,
`true`, `1500000`, `0912345678`, an option code) or None, and a `Problem` when the cell could
not be read. A parser never raises.

Dates: `dd/mm/yyyy`, `d/m/yy`, `yyyy-mm-dd` (also with `.` or `-`), spreadsheet dates and
date serials. Day first is the roster's convention; a text date that fits only month first is
a problem, and one that reads both ways (both parts 12 or less) comes back with the
`date-both-ways` problem *and* its day-first value: the validator reports it when the same
sheet shows month-first dates, since only then is the reading in doubt.
Numbers: Vietnamese (`1.500.000`, `1,5`) and English (`1,500,000`, `1.5`) separators, a
trailing `đ`/`VND`. Phones: Vietnamese numbers in any spacing, `+84`/`84`/`0084` or a lost
leading zero. Yes/no: Có/Không, yes/no, x, true/false, 1/0, with or without diacritics.
Options: code, Vietnamese or English label, with or without diacritics.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from scdi.connector.roster.contract import ColumnSpec, Lang
from scdi.connector.roster.text import clean, fold

INTEGER_TYPES = {"INTEGER", "INTEGER_POSITIVE", "INTEGER_NEGATIVE", "INTEGER_ZERO_OR_POSITIVE"}
DECIMAL_TYPES = {"NUMBER", "PERCENTAGE", "UNIT_INTERVAL"}
DATE_TYPES = {"DATE", "AGE"}
BOOLEAN_TYPES = {"BOOLEAN", "TRUE_ONLY"}
# What starts a formula in Excel and LibreOffice (and so a CSV injection when opened there).
FORMULA_START = frozenset("=+-@")
TEXT_MAX = 50_000
INT_MAX = 2_147_483_647
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_MIN = 10_000  # 1927-05-18: smaller numbers in a date column are not dates
SERIAL_MAX = 2_958_465  # 9999-12-31
YEAR_MIN, YEAR_MAX = 1900, 2100

UID_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{10}\Z")  # \Z: Matcher#matches, no final line break
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TIME = re.compile(r"^(\d{1,2})[:h](\d{2})$")
_CURRENCY = re.compile(r"(?:vnd|vnđ|đồng|đ|dong|d)$", re.IGNORECASE)
_PLAIN_INT = re.compile(r"^\d+$")
_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_VI_DECIMAL = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")
_EN_DECIMAL = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d+$")
_SIMPLE_DECIMAL = re.compile(r"^\d*[.,]\d+$")
_PHONE_JUNK = re.compile(r"[\s.\-()/]")
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")

TRUE_WORDS = frozenset({"co", "c", "yes", "y", "true", "x", "1", "dung", "v", "✓", "✔", "ok"})
FALSE_WORDS = frozenset({"khong", "k", "no", "n", "false", "0", "sai"})
BOOLEAN_LABELS: dict[str, tuple[str, str]] = {"vi": ("Có", "Không"), "en": ("Yes", "No")}


@dataclass(frozen=True)
class Problem:
    code: str
    detail: dict[str, str] = field(default_factory=dict)


Parsed = tuple[str | None, Problem | None]
Parser = Callable[[Any], Parsed]


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


# --- dates -----------------------------------------------------------------------------------


def _full_year(two_or_four: str, today: date) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 2:
        year += 2000 if 2000 + year <= today.year + 1 else 1900
    return year


def _checked(year: int, month: int, day: int, raw: str) -> tuple[date | None, Problem | None]:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None, Problem("date-invalid", {"value": raw})
    try:
        return date(year, month, day), None
    except ValueError:
        return None, Problem("date-invalid", {"value": raw})


def parse_date(raw: Any, today: date | None = None) -> tuple[date | None, Problem | None]:
    today = today or date.today()
    if isinstance(raw, datetime):
        return raw.date(), None
    if isinstance(raw, date):
        return raw, None
    if isinstance(raw, bool):
        return None, Problem("not-a-date", {"value": str(raw)})
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or not SERIAL_MIN <= raw <= SERIAL_MAX:
            return None, Problem("not-a-date", {"value": _number_text(raw)})
        return EXCEL_EPOCH + timedelta(days=int(raw)), None
    if isinstance(raw, timedelta | time):
        return None, Problem("not-a-date", {"value": str(raw)})
    text = clean(str(raw))
    match = _ISO.match(text)
    if match:
        return _checked(int(match[1]), int(match[2]), int(match[3]), text)
    match = _DMY.match(text)
    if match:
        first, second = int(match[1]), int(match[2])
        year = _full_year(match[3], today)
        if first > 12 >= second:
            return _checked(year, second, first, text)
        if second > 12 >= first:
            month_first, _ = _checked(year, first, second, text)
            detail = {"value": text}
            if month_first is not None:
                detail["reading"] = month_first.isoformat()
            return None, Problem("date-month-first", detail)
        if first > 12 and second > 12:
            return None, Problem("date-invalid", {"value": text})
        value, problem = _checked(year, second, first, text)
        if problem is None and value is not None and first != second:
            other, _ = _checked(year, first, second, text)
            return value, Problem("date-both-ways", {"value": text, "reading": value.isoformat(),
                                                      "other": other.isoformat() if other else ""})
        return value, problem
    return None, Problem("not-a-date", {"value": text})


def _date_parser(today: date) -> Parser:
    def parse(raw: Any) -> Parsed:
        value, problem = parse_date(raw, today)
        return (value.isoformat() if value else None), problem

    return parse


def _datetime_parser(today: date) -> Parser:
    def parse(raw: Any) -> Parsed:
        if isinstance(raw, datetime):
            return raw.replace(microsecond=0).isoformat(), None
        if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw) \
                and SERIAL_MIN <= raw <= SERIAL_MAX:
            moment = datetime(1899, 12, 30) + timedelta(days=float(raw))
            return moment.replace(microsecond=0).isoformat(), None
        text = clean(str(raw)) if isinstance(raw, str) else raw
        if isinstance(text, str) and " " in text:
            day_part, _, clock = text.partition(" ")
            value, problem = parse_date(day_part, today)
            match = _TIME.match(clock[:5])
            if value and match and int(match[1]) < 24 and int(match[2]) < 60:
                return f"{value.isoformat()}T{int(match[1]):02d}:{match[2]}:00", problem
            return None, problem or Problem("not-a-date", {"value": text})
        value, problem = parse_date(text, today)
        return (f"{value.isoformat()}T00:00:00" if value else None), problem

    return parse


# --- numbers ---------------------------------------------------------------------------------


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def parse_number(raw: Any, integer: bool) -> tuple[float | int | None, Problem | None]:
    if isinstance(raw, bool | date | time | timedelta):
        return None, Problem("not-a-number", {"value": str(raw)})
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            return None, Problem("not-a-number", {"value": str(raw)})
        if integer:
            if isinstance(raw, float) and not raw.is_integer():
                return None, Problem("not-an-integer", {"value": _number_text(raw)})
            return int(raw), None
        return raw, None
    text = clean(str(raw)).replace(" ", "").replace("\u202f", "")
    text = _CURRENCY.sub("", text.lower()).strip()
    sign = 1
    if text[:1] in "+-" and len(text) > 1:
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    value: float | int
    if _PLAIN_INT.match(text):
        value = int(text)
    elif _GROUPED_DOT.match(text) or _GROUPED_COMMA.match(text):
        groups = text.replace(",", ".").split(".")
        if not integer and len(groups) == 2:
            return None, Problem("number-ambiguous", {"value": clean(str(raw))})
        value = int("".join(groups))
    elif _VI_DECIMAL.match(text):
        value = float(text.replace(".", "").replace(",", "."))
    elif _EN_DECIMAL.match(text):
        value = float(text.replace(",", ""))
    elif _SIMPLE_DECIMAL.match(text):
        value = float(text.replace(",", "."))
    else:
        return None, Problem("not-a-number", {"value": clean(str(raw))})
    value = sign * value
    if integer and isinstance(value, float):
        if not value.is_integer():
            return None, Problem("not-an-integer", {"value": clean(str(raw))})
        value = int(value)
    return value, None


_RANGES: dict[str, tuple[float, float]] = {
    "INTEGER": (-INT_MAX - 1, INT_MAX),
    "INTEGER_POSITIVE": (1, INT_MAX),
    "INTEGER_NEGATIVE": (-INT_MAX - 1, -1),
    "INTEGER_ZERO_OR_POSITIVE": (0, INT_MAX),
    "PERCENTAGE": (0, 100),
    "UNIT_INTERVAL": (0, 1),
    "NUMBER": (-1e15, 1e15),
}


def _number_parser(value_type: str) -> Parser:
    integer = value_type in INTEGER_TYPES
    low, high = _RANGES.get(value_type, (-1e15, 1e15))

    def parse(raw: Any) -> Parsed:
        value, problem = parse_number(raw, integer)
        if problem or value is None:
            return None, problem
        if not low <= value <= high:
            return None, Problem("number-out-of-range", {"value": _number_text(value), "type": value_type})
        return _number_text(value), None

    return parse


# --- phones, yes/no, options, text ----------------------------------------------------------


def parse_phone(raw: Any) -> Parsed:
    if isinstance(raw, bool | date | time | timedelta):
        return None, Problem("not-a-phone")
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or (isinstance(raw, float) and not raw.is_integer()):
            return None, Problem("not-a-phone")
        text = str(int(raw))
    else:
        text = clean(str(raw))
    digits = _PHONE_JUNK.sub("", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif len(digits) == 9 and digits[:1] in "35789":
        digits = "0" + digits
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits, None
    return None, Problem("not-a-phone")


def parse_boolean(raw: Any, true_only: bool) -> Parsed:
    if isinstance(raw, bool):
        word = "true" if raw else "false"
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        word = {1.0: "true", 0.0: "false"}.get(float(raw), "?") if math.isfinite(raw) else "?"
    elif isinstance(raw, str):
        word = fold(raw) if raw.strip() not in ("✓", "✔") else "✓"
    else:
        word = "?"
    if word in TRUE_WORDS:
        return "true", None
    if word in FALSE_WORDS:
        return (None if true_only else "false"), None
    return None, Problem("not-yes-no", {"value": clean(str(raw))})


class OptionMatcher:
    """Option codes and labels of one column, matched exactly first, then folded."""

    def __init__(self, column: ColumnSpec) -> None:
        self.exact: dict[str, str] = {}
        folded: dict[str, set[str]] = {}
        for option in column.options:
            for form in (option.code, option.vi, option.en):
                self.exact.setdefault(form, option.code)
                folded.setdefault(fold(form), set()).add(option.code)
        self.folded = {form: next(iter(codes)) for form, codes in folded.items() if len(codes) == 1 and form}
        self.ambiguous = {form for form, codes in folded.items() if len(codes) > 1}

    def __call__(self, raw: Any) -> Parsed:
        if isinstance(raw, float) and math.isfinite(raw):
            raw = _number_text(raw)
        text = raw if isinstance(raw, str) else str(raw)
        code = self.exact.get(text)
        if code is not None:
            return code, None
        text = clean(text)
        code = self.exact.get(text)
        if code is not None:
            return code, None
        form = fold(text)
        code = self.folded.get(form)
        if code is not None:
            return code, None
        if form in self.ambiguous:
            return None, Problem("option-ambiguous", {"value": text})
        return None, Problem("not-an-option", {"value": text})


def parse_text(raw: Any) -> Parsed:
    if isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, int | float):
        text = _number_text(raw) if math.isfinite(raw) else str(raw)
    elif isinstance(raw, date):
        text = raw.isoformat()
    else:
        text = clean(str(raw))
    if len(text) > TEXT_MAX:
        return None, Problem("text-too-long", {"length": str(len(text))})
    return text, None


def _pattern_parser(pattern: re.Pattern[str], code: str) -> Parser:
    def parse(raw: Any) -> Parsed:
        text, problem = parse_text(raw)
        if problem or text is None:
            return None, problem
        if not pattern.match(text):
            return None, Problem(code, {"value": text})
        return text, None

    return parse


def _time_parser(raw: Any) -> Parsed:
    if isinstance(raw, time):
        return raw.strftime("%H:%M"), None
    text, _ = parse_text(raw)
    match = _TIME.match(text or "")
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return f"{int(match[1]):02d}:{match[2]}", None
    return None, Problem("not-a-time", {"value": text or ""})


def parser_for(column: ColumnSpec, today: date) -> Parser:
    """The parser of one column: options first, then by DHIS2 value type."""
    if column.options:
        return OptionMatcher(column)
    kind = column.value_type
    if column.key == "uid":
        return _pattern_parser(UID_RE, "not-a-uid")
    if kind in DATE_TYPES:
        return _date_parser(today)
    if kind == "DATETIME":
        return _datetime_parser(today)
    if kind == "TIME":
        return _time_parser
    if kind in INTEGER_TYPES or kind in DECIMAL_TYPES:
        return _number_parser(kind)
    if kind in BOOLEAN_TYPES:
        true_only = kind == "TRUE_ONLY"
        return lambda raw: parse_boolean(raw, true_only)
    if kind == "PHONE_NUMBER":
        return parse_phone
    if kind == "EMAIL":
        return _pattern_parser(_EMAIL, "not-an-email")
    return parse_text


# --- back to cells (templates, filled rosters) ------------------------------------------------


def to_cell(column: ColumnSpec, value: str | None, lang: Lang) -> Any:
    """What a spreadsheet cell shows for a DHIS2 value: a date, a number, a label."""
    if value is None or value == "":
        return None
    if column.options:
        for option in column.options:
            if option.code == value:
                return option.vi if lang == "vi" else option.en
        return value
    kind = column.value_type
    if kind in DATE_TYPES:
        return date.fromisoformat(value[:10])
    if kind in INTEGER_TYPES:
        return int(value)
    if kind in DECIMAL_TYPES:
        return float(value)
    if kind in BOOLEAN_TYPES:
        yes, no = BOOLEAN_LABELS[lang]
        return yes if value == "true" else no
    return value


def formula_like(value: Any) -> bool:
    """Text a spreadsheet program would take for a formula: written as text, never as one."""
    return isinstance(value, str) and value[:1] in FORMULA_START


def csv_quoted(text: str) -> str:
    """CSV text with one apostrophe before formula-like text, as Excel marks text typed that way,
    so opening the file never runs it; `csv_unquoted` takes it off again. Text that already
    starts with apostrophes before a formula sign gets one more, so every text round-trips."""
    return "'" + text if text.lstrip("'")[:1] in FORMULA_START and text else text


def csv_unquoted(text: str) -> str:
    """A CSV cell without the one apostrophe `csv_quoted` put before formula-like text."""
    if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_START and text.lstrip("'"):
        return text[1:]
    return text


def choices(column: ColumnSpec, lang: Lang) -> list[str]:
    """The drop-down of a column in the template's language, or [] for a free column."""
    if column.options:
        return [option.vi if lang == "vi" else option.en for option in column.options]
    if column.value_type == "BOOLEAN":
        return list(BOOLEAN_LABELS[lang])
    if column.value_type == "TRUE_ONLY":
        return [BOOLEAN_LABELS[lang][0]]
    return []
