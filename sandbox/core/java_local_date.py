"""`java.time.LocalDate#parse(CharSequence)`: `DateTimeFormatter.ISO_LOCAL_DATE`, strict
(and `LocalDateTime#parse`, `parse_local_date_time`, which starts with it).

What 2.41.9 / 2.42.5 `DefaultDataValueSetService#getCompletionDate` reads a data value set's
`completeDate` with (not `DateUtils#parseDate`, see `java_dates.py`). The formatter is
`appendValue(YEAR, 4, 10, SignStyle.EXCEEDS_PAD)`, `-`, `appendValue(MONTH_OF_YEAR, 2)`, `-`,
`appendValue(DAY_OF_MONTH, 2)` with `ResolverStyle.STRICT` (JDK 17
`DateTimeFormatterBuilder.NumberPrinterParser#parse`): a year of four to ten digits, a `+`
only before more than four and required there, a `-` never before zero; a month and a day of
exactly two digits. A failure is a `DateTimeParseException`, whose message this answers:
"Text '…' could not be parsed at index N" where the reading stopped, ", unparsed text found
at index N" when text follows the date, or ": <the resolver's DateTimeException>" when the
fields make no date (the text cut to 64 characters and "..." beyond, `#createError`).
"""

from __future__ import annotations

from calendar import isleap, monthrange
from collections.abc import Callable

_MONTH_NAMES = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
                "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER")


def _digits(text: str, at: int, most: int) -> int:
    """How many ASCII digits (`DecimalStyle` zero '0': `Character#digit` is not used) start
    at `at`, up to `most`."""
    count = 0
    while count < most and at + count < len(text) and "0" <= text[at + count] <= "9":
        count += 1
    return count


def _read_date(text: str, stop: Callable[[int], ValueError]) -> tuple[int, int, int, int]:
    """ISO_LOCAL_DATE's fields of the start of `text` and where they end (no resolving)."""
    sign = text[:1] if text[:1] in ("+", "-") else ""
    start = len(sign)
    width = _digits(text, start, 10)
    if width < 4:
        raise stop(start)
    year = int(text[start:start + width])
    if sign == "-":
        if year == 0:
            raise stop(0)  # "-0000": no negative zero in strict parsing
        year = -year
    elif sign == "+" and width <= 4:
        raise stop(0)  # a '+' is read only when the year exceeds its four digits
    elif not sign and width > 4:
        raise stop(start)  # and must be given then
    at = start + width
    fields: list[int] = []
    for _ in range(2):
        if text[at:at + 1] != "-":
            raise stop(at)
        at += 1
        if _digits(text, at, 2) < 2:
            raise stop(at)
        fields.append(int(text[at:at + 2]))
        at += 2
    return year, fields[0], fields[1], at


def _errors(text: str) -> tuple[str, Callable[[int], ValueError]]:
    # DateTimeFormatter#createError: a text longer than 64 characters is cut and marked
    shown = text if len(text) <= 64 else text[:64] + "..."
    return shown, lambda index: ValueError(f"Text '{shown}' could not be parsed at index {index}")


def parse_local_date(text: str) -> tuple[int, int, int]:
    """Year, month and day of `text`; ValueError with the DateTimeParseException's message."""
    shown, stop = _errors(text)
    year, month, day, at = _read_date(text, stop)
    if at < len(text):
        raise ValueError(f"Text '{shown}' could not be parsed, unparsed text found at index {at}")
    failure = _resolve_error(year, month, day)
    if failure:
        raise ValueError(f"Text '{shown}' could not be parsed: {failure}")
    return year, month, day


def parse_local_date_time(text: str) -> None:
    """`LocalDateTime#parse(CharSequence)` (`ISO_LOCAL_DATE_TIME`, strict): ValueError with the
    DateTimeParseException's message when it refuses `text`.

    JDK 17 `DateTimeFormatter.ISO_LOCAL_DATE_TIME`: `parseCaseInsensitive()`, ISO_LOCAL_DATE,
    the literal `T` (any case: `CharLiteralPrinterParser` compares with `#charEquals`), then
    ISO_LOCAL_TIME: two-digit hour, `:`, two-digit minute, optionally `:` and a two-digit
    second, then optionally `appendFraction(NANO_OF_SECOND, 0, 9, true)`, a `.` and zero to
    nine digits (`FractionPrinterParser#parse`: `10:00:00.` is a fraction of zero). An
    optional part that fails is dropped, leaving its text unparsed. The fields are resolved
    date first (`Parsed#resolveFields`), then the time as `Parsed#resolveTime` checks it
    (STRICT): the minute, then the hour (24 refused), then the second."""
    shown, stop = _errors(text)
    year, month, day, at = _read_date(text, stop)
    if text[at:at + 1].upper() != "T":
        raise stop(at)
    at += 1
    time: list[int] = []
    for index in range(3):
        if index:
            if text[at:at + 1] != ":" or _digits(text, at + 1, 2) < 2:
                if index == 1:
                    raise stop(at if text[at:at + 1] != ":" else at + 1)
                break  # the optional second is left unparsed
            at += 1
        elif _digits(text, at, 2) < 2:
            raise stop(at)
        time.append(int(text[at:at + 2]))
        at += 2
    if len(time) == 3 and text[at:at + 1] == ".":
        at += 1 + _digits(text, at + 1, 9)
    if at < len(text):
        raise ValueError(f"Text '{shown}' could not be parsed, unparsed text found at index {at}")
    failure = _resolve_error(year, month, day) or _time_error([*time, 0])
    if failure:
        raise ValueError(f"Text '{shown}' could not be parsed: {failure}")


def _time_error(time: list[int]) -> str | None:
    """`Parsed#resolveTime` (STRICT): the minute, the hour, then the second
    (`ChronoField#checkValidIntValue`)."""
    hour, minute, second = time[:3]
    for name, value, most in (("MinuteOfHour", minute, 59), ("HourOfDay", hour, 23),
                              ("SecondOfMinute", second, 59)):
        if value > most:
            return f"Invalid value for {name} (valid values 0 - {most}): {value}"
    return None


def _resolve_error(year: int, month: int, day: int) -> str | None:
    """`IsoChronology#resolveYMD` (STRICT): each field's range (`ChronoField#checkValidValue`),
    then `LocalDate#of`'s `#create` check of the day in its month."""
    if not -999_999_999 <= year <= 999_999_999:
        return f"Invalid value for Year (valid values -999999999 - 999999999): {year}"
    if not 1 <= month <= 12:
        return f"Invalid value for MonthOfYear (valid values 1 - 12): {month}"
    if not 1 <= day <= 31:
        return f"Invalid value for DayOfMonth (valid values 1 - 28/31): {day}"
    leap = isleap(year) if year > 0 else (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
    if day > 28 and day > (29 if leap and month == 2 else monthrange(2001, month)[1]):
        if month == 2 and day == 29:
            return f"Invalid date 'February 29' as '{year}' is not a leap year"
        return f"Invalid date '{_MONTH_NAMES[month - 1]} {day}'"
    return None
