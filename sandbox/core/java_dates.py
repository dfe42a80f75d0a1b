"""`DateUtils#parseDate` (dhis-api `util/DateUtils.java`): the text forms DHIS2 reads a date
from, `DateUtils#toMediumDate(String)`, its `yyyy-MM-dd` parser alone (`parse_medium_date`),
and `DateUtils#toIso8601NoTz`, the form it writes one in.

The parsers are the same at 2.41.9 (:85-123), 2.42.5 (:87-125) and 2.43.1 (:85-123): the
date-only forms `yyyyMMdd`, `yyyy-MM-dd`, `yyyy-MM`, `yyyy`, then the date-times
`yyyy-MM-dd'T'HH[:mm[:ss[.S…]]][Z]` and `yyyy-MM-dd HH:mm:ssZ`, joined by a Joda
`DateTimeFormatterBuilder#append(null, parsers)`: the first parser that reads the whole text
wins (so eight digits are `yyyyMMdd`, four a year), and its field values must make a date.
Joda's number parser (`DateTimeFormatterBuilder.NumberFormatter#parseInto`) takes as many
digits as it may, at least one, and never gives any back: `MM`, `dd`, `HH`, `mm`, `ss` one or
two digits (so `2020111` is `yyyyMMdd`, 2020-11-01, and `202011` reads as no date but the year
202011); a year beside a separator or alone from one to nine digits with an optional sign
(`20-1-1` is the year 20), four at most in `yyyyMMdd`; fractions (any run of `S`) from one to
nine digits. The offset `Z` (`TimeZoneOffset#parseInto`) is `Z` or `z`, or a sign and two
digits of hours, then optionally minutes, seconds and up to three digits of milliseconds,
all with separators (`+hh:mm:ss.SSS`) or none (`+hhmmssSSS`), two digits each. A date
without a zone is in the server's zone, taken as UTC here; `parseDate` of an empty text is
null (`safeParseDateTime`, `StringUtils#isEmpty`). Years before 1 or beyond 9999 (which Joda
reads) are a known limit: refused like an unreadable text.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, datetime, timedelta, timezone

# possessive quantifiers: Joda's parsers never give back a digit they took
_YEAR = r"([+-]?\d{1,9}+)"
# `yyyy-MM-dd` element by element (DateTimeFormat#forPattern: a signed year of up to nine
# digits, as no number follows it; a month and a day of one or two), so the place where a
# reading stops is known (`_stop`)
_MEDIUM_ELEMENTS = (_YEAR, "-", r"(\d{1,2}+)", "-", r"(\d{1,2}+)")
_MEDIUM = re.compile("".join(_MEDIUM_ELEMENTS))
_DATE_ONLY = (
    re.compile(r"([+-]?\d{1,4}+)(\d{1,2}+)(\d{1,2}+)"),
    _MEDIUM,
    re.compile(rf"{_YEAR}-(\d{{1,2}}+)()"),
    re.compile(rf"{_YEAR}()()"),
)
_ZONE = (r"([Zz]|[+-]\d\d(?::\d\d(?::\d\d(?:[.,]\d{1,3}+)?+)?+"
         r"|\d\d(?:\d\d(?:\d{1,3}+)?+)?+)?+)")
_DATE_TIME = (
    re.compile(rf"{_YEAR}-(\d{{1,2}}+)-(\d{{1,2}}+)T(\d{{1,2}}+)(?::(\d{{1,2}}+)"
               rf"(?::(\d{{1,2}}+)(?:\.(\d{{1,9}}+))?+)?+)?+{_ZONE}?+"),
    re.compile(rf"{_YEAR}-(\d{{1,2}}+)-(\d{{1,2}}+) (\d{{1,2}}+):(\d{{1,2}}+):(\d{{1,2}}+)()"
               rf"{_ZONE}"),
)
_OFFSET_PARTS = re.compile(r"[+-](\d\d):?(\d\d)?:?(\d\d)?[.,]?(\d{1,3})?")


def parse_date(text: str) -> datetime | None:
    """The naive UTC moment `DateUtils#parseDate` reads `text` as; None for an empty text.
    ValueError when no parser reads the whole text, or the fields make no date."""
    if text == "":
        return None
    if not text.isascii():
        raise ValueError(text)  # Joda reads only the digits 0-9
    for pattern in _DATE_ONLY:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = match.groups()
            return datetime(int(year), int(month or 1), int(day or 1))
    for pattern in _DATE_TIME:
        match = pattern.fullmatch(text)
        if match:
            year, month, day, hour, minute, second, fraction, zone = match.groups()
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute or 0),
                              int(second or 0), int((fraction or "0").ljust(6, "0")[:6]))
            return _to_utc(moment, zone) if zone else moment
    raise ValueError(text)


def parse_date_end_of_the_day(text: str) -> datetime | None:
    """`DateUtils#parseDateEndOfTheDay` (2.41.9 :702-716, 2.42.5 :729-743, 2.43.1 :715-729),
    what `webdomain/EndDateTime#of` reads: a text one of the date-only parsers reads whole
    (`ONLY_DATE_FORMATTER`) is the end of that day (`LocalTime.MAX`, kept to the millisecond
    by `Date`); any other text is read as `#parseDate` reads it."""
    if text == "":
        return None
    if text.isascii() and any(pattern.fullmatch(text) for pattern in _DATE_ONLY):
        day = parse_date(text)
        assert day is not None
        return day.replace(hour=23, minute=59, second=59, microsecond=999000)
    return parse_date(text)


def parse_medium_date(text: str) -> datetime | None:
    """`DateUtils#toMediumDate(String)` (2.41.9 :352-354, 2.42.5 :379-381, 2.43.1 :376-378):
    `safeParseDateTime` with `MEDIUM_DATE_FORMAT`, Joda's `yyyy-MM-dd` alone (joda-time 2.14.1
    at the three tags, `dhis-2/pom.xml`), so `2020-1-5` is 2020-01-05 and `20200105` no date;
    None for an empty text. ValueError with Joda's message otherwise: the
    IllegalFieldValueException of a field out of range (`_field_error`), else
    `DateTimeFormatter#parseDateTime`'s IllegalArgumentException, where the reading stopped."""
    if text == "":
        return None
    match = _MEDIUM.fullmatch(text) if text.isascii() else None
    if match is None:
        raise ValueError(_format_error(text, _stop(text, _MEDIUM_ELEMENTS)))
    field = _field_error(text, (_MEDIUM,))
    year, month, day = (int(group) for group in match.groups())
    if field is not None:
        raise ValueError(field)
    if not 1 <= year <= 9999:
        raise ValueError(_format_error(text, 0))  # beyond Python's dates: the known limit
    return datetime(year, month, day)


def _stop(text: str, elements: tuple[str, ...]) -> int:
    """Where Joda's composite parser stops: the end of the longest run of its elements that
    reads the start of the text (a failing element reports its own start,
    `DateTimeFormatterBuilder.NumberFormatter#parseInto`, `CharacterLiteral#parseInto`)."""
    for count in range(len(elements), 0, -1):
        match = re.compile("".join(elements[:count]), re.ASCII).match(text)
        if match:
            return match.end()
    return 0


def _format_error(text: str, stop: int) -> str:
    """Joda's `FormatUtils#createErrorMessage`: the text cut 32 characters after the stop."""
    sample = text if len(text) <= stop + 35 else text[:stop + 32] + "..."
    if stop <= 0:
        return f'Invalid format: "{sample}"'
    if stop >= len(text):
        return f'Invalid format: "{sample}" is too short'
    return f'Invalid format: "{sample}" is malformed at "{sample[stop:]}"'


def _field_error(text: str, patterns: tuple[re.Pattern[str], ...] = (*_DATE_ONLY, *_DATE_TIME)
                 ) -> str | None:
    """Joda's message when a parser reads the whole text but its fields make no date:
    `DateTimeParserBucket#computeMillis` sets the fields largest first (year, month, day, hour,
    minute, second), each bounded by `FieldUtils#verifyValueBounds` (a day by the days of the
    month already set, `BasicGJChronology#getDaysInMonthMaxForSet`), and prefixes the
    IllegalFieldValueException's message with `Cannot parse "<text>"`."""
    for pattern in patterns:
        match = pattern.fullmatch(text)
        if not match:
            continue
        groups = match.groups()
        year, month, day = int(groups[0]), int(groups[1] or 1), int(groups[2] or 1)
        if not 1 <= year <= 9999:
            return None  # beyond Python's dates: the module's known limit
        checks = [("monthOfYear", month, 1, 12)]
        if 1 <= month <= 12:
            days = 28 if 1 <= day <= 28 else monthrange(year, month)[1]
            checks.append(("dayOfMonth", day, 1, days))
        if len(groups) > 3:
            hour, minute, second = (int(g or 0) for g in groups[3:6])
            checks += [("hourOfDay", hour, 0, 23), ("minuteOfHour", minute, 0, 59),
                       ("secondOfMinute", second, 0, 59)]
        for name, value, low, high in checks:
            if not low <= value <= high:
                return (f'Cannot parse "{text}": Value {value} for {name} must be in the range '
                        f"[{low},{high}]")
        return None
    return None


def invalid_format(text: str) -> str:
    """The IllegalArgumentException's message for a text `DateUtils#parseDate` refuses, as
    request parameters of type `Date` report it (`CrudControllerAdvice#initBinder`): a field
    out of its range (`_field_error`), else Joda's `FormatUtils#createErrorMessage` for a text
    no parser reads whole, the position where the longest reading stopped (approximated by the
    patterns' longest prefix)."""
    field = _field_error(text)
    if field is not None:
        return field
    stop = max((m.end() for m in (p.match(text) for p in (*_DATE_ONLY, *_DATE_TIME)) if m), default=0)
    if stop <= 0:
        return f'Invalid format: "{text}"'
    if stop >= len(text):
        return f'Invalid format: "{text}" is too short'
    return f'Invalid format: "{text}" is malformed at "{text[stop:]}"'


def _to_utc(moment: datetime, zone: str) -> datetime:
    if zone in ("Z", "z"):
        return moment
    match = _OFFSET_PARTS.fullmatch(zone)
    assert match is not None  # _ZONE matched it
    hours, minutes, seconds = (int(part or 0) for part in match.groups()[:3])
    millis = int((match[4] or "0").ljust(3, "0"))  # digit by digit: `.5` is 500 ms
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(zone)
    offset = timedelta(hours=hours, minutes=minutes, seconds=seconds, milliseconds=millis)
    if zone[0] == "-":
        offset = -offset
    return moment.replace(tzinfo=timezone(offset)).astimezone(UTC).replace(tzinfo=None)


def iso_no_tz(moment: datetime) -> str:
    """`DateUtils#toIso8601NoTz`: `yyyy-MM-dd'T'HH:mm:ss.SSS`."""
    # Joda pads the year to four digits; strftime's %Y does not below 1000
    return f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S.") + \
        f"{moment.microsecond // 1000:03d}"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# GregorianCalendar's default cutover: what comes before 1582-10-15 is shown Julian
_GREGORIAN_CUTOVER = datetime(1582, 10, 15)


def date_to_string(moment: datetime) -> str:
    """`java.util.Date#toString` of a naive UTC moment, in the server's zone (Etc/UTC, short
    name UTC): `EEE MMM dd HH:mm:ss zzz yyyy`, the year unpadded, a moment before the
    Gregorian cutover in the Julian calendar (`BaseCalendar` as `Date#normalize` picks it)."""
    year, month, day = moment.year, moment.month, moment.day
    if moment < _GREGORIAN_CUTOVER:
        # the Julian date of the same day number (Richards' algorithm)
        c = moment.date().toordinal() + 1721425 + 32082
        d = (4 * c + 3) // 1461
        e = c - (1461 * d) // 4
        m = (5 * e + 2) // 153
        day, month, year = e - (153 * m + 2) // 5 + 1, m + 3 - 12 * (m // 10), d - 4800 + m // 10
    return (f"{_DAYS[moment.weekday()]} {_MONTHS[month - 1]} {day:02d} "
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} UTC {year}")
