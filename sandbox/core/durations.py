"""`DateUtils#getDuration` (`dhis-api/.../util/DateUtils.java`, 2.41.9 :826-843, 2.42.5
:863-880, 2.43.1 :849-867): `DURATION_PATTERN` `^(\\d+)(d|h|m|s)$` (2.41.9 :162, 2.42.5 :167,
2.43.1 :164) with `Matcher#find`, Java's `\\d` being ASCII digits only and its `$` (without
MULTILINE) matching before a line terminator that ends the text too (`5d\\n` is five days);
the tracker exports' `updatedWithin` and `GET /api/dataValueSets`' `lastUpdatedDuration` read it.

The amount is `Long#valueOf(group(1))` and the duration `Duration#of(amount, unit)`: more than
a long is a NumberFormatException (`For input string: "<digits>"`, an
IllegalArgumentException), a day, hour or minute count whose seconds pass a long is
`Math#multiplyExact`'s ArithmeticException ("long overflow"); seconds never overflow there."""

from __future__ import annotations

import re

_DURATION = re.compile(r"([0-9]+)(d|h|m|s)(?:\r\n|[\n\r\u0085\u2028\u2029])?")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_LONG_MAX = 2**63 - 1


class DurationOverflow(Exception):
    """A duration Java cannot hold; `illegal_argument` tells a NumberFormatException (an
    IllegalArgumentException) from an ArithmeticException."""

    def __init__(self, message: str, illegal_argument: bool) -> None:
        super().__init__(message)
        self.illegal_argument = illegal_argument


def duration_seconds(text: str) -> int | None:
    """The duration in seconds, None when the pattern refuses the text."""
    match = _DURATION.fullmatch(text)
    return None if match is None else int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def java_duration_seconds(text: str) -> int | None:
    """`DateUtils#getDuration` in seconds: None when the pattern refuses the text,
    DurationOverflow where Java throws."""
    match = _DURATION.fullmatch(text)
    if match is None:
        return None
    digits, unit = match.group(1), match.group(2)
    amount = int(digits)
    if amount > _LONG_MAX:
        raise DurationOverflow(f'For input string: "{digits}"', illegal_argument=True)
    seconds = amount * _UNIT_SECONDS[unit]
    if seconds > _LONG_MAX:
        raise DurationOverflow("long overflow", illegal_argument=False)
    return seconds
