"""`DateUtils#parseDate` (dhis-api `util/DateUtils.java`): the text forms DHIS2 reads a date
from, `DateUtils#toMediumDate(String)`, its `yyyy-MM-dd` parser alone (`parse_medium_date`),
and `DateUtils#toIso8601NoTz`, the form it writes one in; `DateUtils#dateIsValid`
(`date_is_valid`, the DATE value type's check of tracker and metadata attribute values).

The parsers are the same at 2.41.9 (:86-121), 2.42.5 (:88-123) and 2.43.1 (:85-120): the
date-only forms `yyyyMMdd`, `yyyy-MM-dd`, `yyyy-MM`, `yyyy`, then the date-times
`yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSZ` … `yyyy-MM-dd'T'HH` and `yyyy-MM-dd HH:mm:ssZ`, joined by a
Joda `DateTimeFormatterBuilder#append(null, parsers)`. They are read here as joda-time 2.14.1
(`dhis-2/pom.xml` at the three tags; its `format` package as at v2.14.0) reads them, element
by element (`_read`):
- `DateTimeFormat#parsePatternTo`: a year run takes up to nine digits unless a number follows
  it (then as many as the run), with an optional sign; `MM`, `dd`, `HH`, `mm`, `ss` up to two
  digits; a run of `S` a fraction of up to that many digits; `Z` an offset; `'T'` and the
  punctuation literal characters, compared ignoring case (`CharacterLiteral`, so `t` is `T`);
- `NumberFormatter#parseInto` takes as many ASCII digits as it may, at least one, and never
  gives any back; `Fraction#parseInto` likewise, keeping the first three as milliseconds;
  `TimeZoneOffset#parseInto` is `Z` or `z`, or a sign and two digits of hours (at most 23),
  then optionally minutes and seconds (at most 59) and one to three digits of milliseconds,
  all with separators (`+hh:mm:ss.SSS`) or none (`+hhmmssSSS`); a failing element reports
  where it stopped (the hours of `+25:00` after the sign);
- `MatchingParser#parseInto`: the first parser that reads the whole text wins, else the one
  that read the longest start, else the failure that got furthest; the formatter then reports
  what is left (`FormatUtils#createErrorMessage`);
- `DateTimeParserBucket#computeMillis` sets the fields largest first, each bounded
  (`FieldUtils#verifyValueBounds`): the year within [-292275054,292278993]
  (`GregorianChronology` MIN_YEAR/MAX_YEAR), the day by its month
  (`BasicGJChronology#getDaysInMonthMaxForSet`), and prefixes the refusal with
  `Cannot parse "<text>"`.
A date without a zone is in the server's zone, taken as UTC here; `parseDate` of an empty text
is null (`safeParseDateTime`, `StringUtils#isEmpty`). A date Joda reads but Python's datetime
cannot hold (a year before 1 or after 9999, Joda's ISO years 0 and below included) is
`BeyondRange`, which says on which side it lies: the callers that store or print the date
refuse it like an unreadable text (a known limit), the ones that only compare with it
(`core/datastore.py`) use the side.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import isleap, monthrange
from dataclasses import dataclass, field
from datetime import datetime, timedelta

_MIN_YEAR, _MAX_YEAR = -292275054, 292278993  # GregorianChronology
# the numeric pattern letters of `DateTimeFormat#isNumericToken` these patterns use
_NUMERIC = "yMdHmsS"
_FIELDS = {"y": "year", "M": "monthOfYear", "d": "dayOfMonth", "H": "hourOfDay",
           "m": "minuteOfHour", "s": "secondOfMinute"}
_TOKEN = re.compile(r"'[^']*'|([A-Za-z])\1*|.", re.DOTALL)


class BeyondRange(ValueError):
    """A date Joda reads that Python's datetime cannot hold; `after` says it is later than
    9999-12-31, else earlier than 0001-01-01."""

    def __init__(self, text: str, after: bool) -> None:
        super().__init__(text)
        self.after = after


@dataclass
class _Bucket:
    """What the elements read (`DateTimeParserBucket#saveField`, `#setOffset`)."""
    fields: dict[str, int] = field(default_factory=dict)
    millis: int = 0
    offset: int | None = None  # milliseconds east of UTC


def _compile(pattern: str) -> tuple[tuple[str, str, int], ...]:
    """The parser elements of a Joda pattern (the subset DateUtils uses): ("number", field,
    max digits, signed as "y"), ("literal", char), ("fraction", max digits), ("offset")."""
    tokens = [m.group(0) for m in _TOKEN.finditer(pattern)]
    out: list[tuple[str, str, int]] = []
    for i, token in enumerate(tokens):
        letter = token[0]
        if letter == "'":
            out.extend(("literal", char, 0) for char in token[1:-1])
        elif letter == "y":
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            numeric = following[:1] in _NUMERIC and following[:1] != ""
            out.append(("year", "year", len(token) if numeric else 9))
        elif letter in _FIELDS:
            out.append(("number", _FIELDS[letter], 2))
        elif letter == "S":
            out.append(("fraction", "", len(token)))
        elif letter == "Z":
            out.append(("offset", "", 0))
        else:
            out.append(("literal", token, 0))
    return tuple(out)


def _digits(text: str, position: int, limit: int) -> int:
    count = 0
    while count < limit and position + count < len(text) and "0" <= text[position + count] <= "9":
        count += 1
    return count


def _number(bucket: _Bucket, name: str, text: str, position: int, most: int,
            signed: bool) -> int:
    """`NumberFormatter#parseInto`: a sign (when signed) counts only before a digit, and
    widens the limit by one."""
    limit = min(most, len(text) - position)
    length = 0
    while length < limit:
        char = text[position + length]
        if length == 0 and char in "+-" and signed:
            if length + 1 >= limit or not "0" <= text[position + 1] <= "9":
                break
            length += 1
            limit = min(limit + 1, len(text) - position)
            continue
        if not "0" <= char <= "9":
            break
        length += 1
    if length == 0:
        return ~position
    bucket.fields[name] = int(text[position:position + length])
    return position + length


def _fraction(bucket: _Bucket, text: str, position: int, most: int) -> int:
    length = _digits(text, position, most)
    if length == 0:
        return ~position
    bucket.millis = int(text[position:position + min(length, 3)].ljust(3, "0"))
    return position + length


def _offset(bucket: _Bucket, text: str, position: int) -> int:
    """`TimeZoneOffset#parseInto` with the zero-offset text "Z"."""
    if text[position:position + 1] in ("Z", "z"):
        bucket.offset = 0
        return position + 1
    if len(text) - position <= 1 or text[position] not in "+-":
        return ~position
    negative = text[position] == "-"
    position += 1
    if _digits(text, position, 2) < 2:
        return ~position
    hours = int(text[position:position + 2])
    if hours > 23:
        return ~position
    offset = hours * 3_600_000
    position += 2
    position, offset = _offset_rest(text, position, offset)
    if position < 0:
        return position
    bucket.offset = -offset if negative else offset
    return position


def _offset_rest(text: str, position: int, offset: int) -> tuple[int, int]:
    """The optional minutes, seconds and milliseconds after the hours; (~position, 0) when
    one is malformed."""
    if position >= len(text):
        return position, offset
    separators = text[position] == ":"
    if separators:
        position += 1
    elif not "0" <= text[position] <= "9":
        return position, offset
    for unit, size in ((60_000, 59), (1000, 59)):
        count = _digits(text, position, 2)
        if count == 0 and not separators:
            return position, offset
        if count < 2:
            return ~position, 0
        value = int(text[position:position + 2])
        if value > size:
            return ~position, 0
        offset += value * unit
        position += 2
        if position >= len(text):
            return position, offset
        if unit == 1000:
            break
        if separators:
            if text[position] != ":":
                return position, offset
            position += 1
    if separators:
        if text[position] not in ".,":
            return position, offset
        position += 1
    count = _digits(text, position, 3)
    if count == 0 and not separators:
        return position, offset
    if count < 1:
        return ~position, 0
    offset += int(text[position:position + count].ljust(3, "0"))
    return position + count, offset


def _parse_into(elements: tuple[tuple[str, str, int], ...], text: str,
                bucket: _Bucket) -> int:
    """`DateTimeFormatterBuilder.Composite#parseInto`: the elements in turn, from 0."""
    position = 0
    for kind, name, size in elements:
        if kind in ("year", "number"):
            position = _number(bucket, name, text, position, size, kind == "year")
        elif kind == "fraction":
            position = _fraction(bucket, text, position, size)
        elif kind == "offset":
            position = _offset(bucket, text, position)
        elif position >= len(text) or not _same_letter(text[position], name):
            position = ~position
        else:
            position += 1
        if position < 0:
            break
    return position


def _same_letter(char: str, literal: str) -> bool:
    """`CharacterLiteral#parseInto`: equal, or equal upper-cased, or lower-cased."""
    return char == literal or char.upper() == literal.upper() or char.lower() == literal.lower()


_DATE_ONLY = tuple(_compile(p) for p in ("yyyyMMdd", "yyyy-MM-dd", "yyyy-MM", "yyyy"))
_DATE_TIME = tuple(_compile(p) for p in (
    "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSZ", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ",
    "yyyy-MM-dd'T'HH:mm:ss.SSSSSS", "yyyy-MM-dd'T'HH:mm:ss.SSSSZ", "yyyy-MM-dd'T'HH:mm:ss.SSSS",
    "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ssZ",
    "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mmZ", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HHZ",
    "yyyy-MM-dd'T'HH", "yyyy-MM-dd HH:mm:ssZ"))
_ALL = (*_DATE_ONLY, *_DATE_TIME)
_MEDIUM = (_compile("yyyy-MM-dd"),)
Parsers = tuple[tuple[tuple[str, str, int], ...], ...]


def _matching(parsers: Parsers, text: str) -> tuple[int, _Bucket]:
    """`MatchingParser#parseInto`: the first parser to read the whole text (or the last one
    tried, when it read further than any before), else the longest start read, else
    ~(the furthest failure)."""
    best_valid, best_bucket, best_invalid = 0, _Bucket(), 0
    for index, parser in enumerate(parsers):
        bucket = _Bucket()
        position = _parse_into(parser, text, bucket)
        if position >= 0:
            if position > best_valid:
                if position >= len(text) or index + 1 >= len(parsers):
                    return position, bucket
                best_valid, best_bucket = position, bucket
        elif ~position > best_invalid:
            best_invalid = ~position
    if best_valid > 0:
        return best_valid, best_bucket
    return ~best_invalid, _Bucket()


def _read(parsers: Parsers, text: str) -> _Bucket:
    """`DateTimeFormatter#parseDateTime` up to `computeMillis`' bounds; ValueError with Joda's
    message when the text is not read whole or its fields make no date."""
    position, bucket = _matching(parsers, text)
    if position < 0 or position < len(text):
        raise ValueError(_format_error(text, ~position if position < 0 else position))
    fields = bucket.fields
    year, month = fields["year"], fields.get("monthOfYear", 1)
    checks = [("year", year, _MIN_YEAR, _MAX_YEAR), ("monthOfYear", month, 1, 12)]
    if 1 <= month <= 12 and "dayOfMonth" in fields:
        day = fields["dayOfMonth"]
        checks.append(("dayOfMonth", day, 1, 28 if 1 <= day <= 28 else _days_in(year, month)))
    checks += [(name, fields[name], 0, high) for name, high in (
        ("hourOfDay", 23), ("minuteOfHour", 59), ("secondOfMinute", 59)) if name in fields]
    for name, value, low, high in checks:
        if not low <= value <= high:
            raise ValueError(f'Cannot parse "{text}": Value {value} for {name} must be in the '
                             f"range [{low},{high}]")
    return bucket


def _days_in(year: int, month: int) -> int:
    """`BasicGJChronology#getDaysInMonthMax` of a proleptic Gregorian year (any sign)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else monthrange(2000 if leap else 2001, month)[1]


def _moment(text: str, bucket: _Bucket) -> datetime:
    """The naive UTC moment of what was read (`Date`'s milliseconds); BeyondRange when
    Python's datetime cannot hold it."""
    fields = bucket.fields
    year = fields["year"]
    if not 1 <= year <= 9999:
        raise BeyondRange(text, after=year > 9999)
    moment = datetime(year, fields.get("monthOfYear", 1), fields.get("dayOfMonth", 1),
                      fields.get("hourOfDay", 0), fields.get("minuteOfHour", 0),
                      fields.get("secondOfMinute", 0), bucket.millis * 1000)
    try:
        return moment - timedelta(milliseconds=bucket.offset or 0)
    except OverflowError:
        raise BeyondRange(text, after=year == 9999) from None


def parse_date(text: str) -> datetime | None:
    """The naive UTC moment `DateUtils#parseDate` reads `text` as; None for an empty text.
    ValueError with Joda's message when no parser reads the whole text, or the fields make
    no date; BeyondRange for a date beyond Python's years."""
    if text == "":
        return None
    return _moment(text, _read(_ALL, text))


def date_time_is_valid(text: str) -> bool:
    """`DateUtils#dateTimeIsValid` (2.41.9 :590-597, 2.42.5 :617-624, 2.43.1 :614-621):
    `safeParseDateTime` with `DATE_TIME_FORMAT`, the date-time parsers alone (2.41.9 :93-108,
    2.42.5 :95-110, 2.43.1 :92-107), so a date alone is none; an empty text is null there, no
    exception, so valid. Only Joda's bounds matter, not Python's years."""
    if text == "":
        return True
    try:
        _read(_DATE_TIME, text)
    except ValueError:
        return False
    return True


def parse_date_end_of_the_day(text: str) -> datetime | None:
    """`DateUtils#parseDateEndOfTheDay` (2.41.9 :702-716, 2.42.5 :729-743, 2.43.1 :715-729),
    what `webdomain/EndDateTime#of` reads: a text the date-only parsers read as a date
    (`ONLY_DATE_FORMATTER`) is the end of that day (`LocalTime.MAX`, kept to the millisecond
    by `Date`); any other text, or one whose fields make no date there, is read as
    `#parseDate` reads it."""
    if text == "":
        return None
    try:
        bucket = _read(_DATE_ONLY, text)
    except ValueError:
        return parse_date(text)
    return _moment(text, bucket).replace(hour=23, minute=59, second=59, microsecond=999000)


def parse_medium_date(text: str) -> datetime | None:
    """`DateUtils#toMediumDate(String)` (2.41.9 :352-354, 2.42.5 :379-381, 2.43.1 :376-378):
    `safeParseDateTime` with `MEDIUM_DATE_FORMAT`, Joda's `yyyy-MM-dd` alone, so `2020-1-5` is
    2020-01-05 and `20200105` no date; None for an empty text. ValueError with Joda's message
    otherwise (a field out of range, or where the reading stopped); a year Python cannot hold
    is refused as an unreadable text (the known limit)."""
    if text == "":
        return None
    bucket = _read(_MEDIUM, text)
    try:
        return _moment(text, bucket)
    except BeyondRange:
        raise ValueError(_format_error(text, 0)) from None


def _format_error(text: str, stop: int) -> str:
    """Joda's `FormatUtils#createErrorMessage`: the text cut 32 characters after the stop."""
    sample = text if len(text) <= stop + 35 else text[:stop + 32] + "..."
    if stop <= 0:
        return f'Invalid format: "{sample}"'
    if stop >= len(text):
        return f'Invalid format: "{sample}" is too short'
    return f'Invalid format: "{sample}" is malformed at "{sample[stop:]}"'


def invalid_format(text: str) -> str:
    """The IllegalArgumentException's message for a text `DateUtils#parseDate` refuses, as
    request parameters of type `Date` report it (`CrudControllerAdvice#initBinder`): a field
    out of its range, else where the reading stopped. A date beyond Python's years, which
    Joda reads, has no message of its own: `Invalid format: "x"` (the known limit)."""
    try:
        _read(_ALL, text)
    except ValueError as error:
        return str(error)
    return _format_error(text, 0)


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


# --- `DateUtils#dateIsValid` (2.41.9 :566-580, 2.42.5 :593-607, 2.43.1 :590-604) ----------------

# DEFAULT_DATE_REGEX (2.41.9 :81-82, 2.42.5 :83-84, 2.43.1 :80-81) with Java's ASCII `\d` and its
# `.` (no line terminator: \n, \r, U+0085, U+2028, U+2029); the closing `\b` is `_java_word_end`.
_DEFAULT_DATE = re.compile(
    r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[1-2][0-9]|3[0-2])"
    "(?P<time>[^\n\r\u0085\u2028\u2029]*)", re.ASCII)


def _letter_or_digit(char: str) -> bool:
    """`Character#isLetterOrDigit`: the letter categories or Nd."""
    return char.isalpha() or unicodedata.category(char) == "Nd"


def _java_word_end(value: str, ascii_word: bool) -> bool:
    """A `\b` at the end (`Pattern.Bound#check`): the last char is a word char
    (`Bound#isWord`: JDK 17 `_` or `Character#isLetterOrDigit`, JDK 19+ `[a-zA-Z0-9_]`), or a
    non-spacing mark after a letter or digit, other marks between (`#hasBaseCharacter`, which
    asks `Character#isLetterOrDigit` on every JDK). `#hasBaseCharacter` steps back one UTF-16
    unit at a time from the mark's last unit and reads `Character#codePointAt` there, so a
    character outside the BMP (a letter such as U+1D400 or a mark such as U+1D167) is seen as
    its lone low surrogate, neither letter nor mark: the walk stops there and fails."""
    if not value:
        return False
    last = value[-1]
    if last == "_" or (last.isascii() and last.isalnum()) or (
            not ascii_word and _letter_or_digit(last)):
        return True
    if unicodedata.category(last) != "Mn":
        return False
    for char in reversed(value):
        if ord(char) > 0xFFFF:
            return False
        if _letter_or_digit(char):
            return True
        if unicodedata.category(char) != "Mn":
            return False
    return False


def date_is_valid(value: str, ascii_word: bool = False) -> bool:
    """`DateUtils#dateIsValid`: DEFAULT_DATE_REGEX matches the whole value (anything after the
    date, up to a word char: `ascii_word` is `Release.regex_word_boundary_ascii`), then the ISO
    calendar's `#isValid` (the day within its month, year 0000 a leap year)."""
    match = _DEFAULT_DATE.fullmatch(value)
    if not match or not _java_word_end(value, ascii_word):
        return False
    year, month = int(match["year"]), int(match["month"])
    days = 29 if month == 2 and isleap(year) else monthrange(2001, month)[1]
    return int(match["day"]) <= days
