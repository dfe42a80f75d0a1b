"""`DateUtils#parseDate` (`dhis-api/.../util/DateUtils.java`, the same parsers at 2.41.9 :86-106,
2.42.5 :88-108, 2.43.1 :85-105): a date (`yyyyMMdd`, `yyyy-MM-dd`, `yyyy-MM`, `yyyy`) or a date
and time (`yyyy-MM-dd'T'HH` with optional `:mm`, `:ss`, `.SSS`/`.SSSS`/`.SSSSSS`/`.SSSSSSSSS`
and an offset), the way request parameters of type `Date` are bound
(`CrudControllerAdvice#initBinder`'s `FromTextPropertyEditor`). Joda reads a field that is not
next to another number with fewer digits than its pattern (`2025-3-4`). The result is in the
form the sandbox stores its stamps (`core/objects.py#now`: server time, UTC, milliseconds), so
stamps compare as text. Years beyond four digits are not read (the store cannot hold them)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_TIME = re.compile(
    r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})"
    r"(?:\.(\d{9}|\d{6}|\d{4}|\d{3}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def _offset(zone: str) -> timedelta:
    if zone == "Z":
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or "0"))


def parse_date(text: str) -> str | None:
    """The stamp the text names, None when no parser reads it whole."""
    if not text.isascii():
        return None
    compact = _COMPACT.fullmatch(text)
    match = compact or _DATE_TIME.fullmatch(text)
    if not match:
        return None
    parts = match.groups()
    year, month, day = (int(p or 1) for p in parts[:3])
    hour, minute, second = (int(p or 0) for p in parts[3:6]) if not compact else (0, 0, 0)
    fraction, zone = (parts[6], parts[7]) if not compact else (None, None)
    try:
        moment = datetime(year, month, day, hour, minute, second,
                          int((fraction or "0").ljust(6, "0")[:6]))
    except ValueError:
        return None
    if zone:
        moment = (moment.replace(tzinfo=UTC) - _offset(zone)).replace(tzinfo=None)
    return _stamp(moment)


def invalid_format(text: str) -> str:
    """Joda's `FormatUtils#createErrorMessage` for a text no parser reads whole: the position is
    where the longest reading stopped (approximated by the patterns' longest prefix)."""
    stop = max((m.end() for m in (_COMPACT.match(text), _DATE_TIME.match(text)) if m), default=0)
    if stop <= 0:
        return f'Invalid format: "{text}"'
    if stop >= len(text):
        return f'Invalid format: "{text}" is too short'
    return f'Invalid format: "{text}" is malformed at "{text[stop:]}"'
