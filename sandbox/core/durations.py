"""`DateUtils#getDuration` (`dhis-support-system/.../util/DateUtils.java`, 2.41.9 = 2.42.5 =
2.43.1): `DURATION_PATTERN` `^(\\d+)(d|h|m|s)$`, Java's `\\d` being ASCII digits only; the tracker
exports' `updatedWithin` and `GET /api/dataValueSets`' `lastUpdatedDuration` read it."""

from __future__ import annotations

import re

_DURATION = re.compile(r"([0-9]+)(d|h|m|s)")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def duration_seconds(text: str) -> int | None:
    """The duration in seconds, None when the pattern refuses the text."""
    match = _DURATION.fullmatch(text)
    return None if match is None else int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
