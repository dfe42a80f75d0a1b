"""A data value set's `completeDate`: the completion the import registers, per release.

2.41.9 / 2.42.5 `dxf2/datavalueset/DefaultDataValueSetService.java#importDataValueSet`, once
the data set checks pass (2.41.9 :686-698, 2.42.5 :702-714) and before any value:
`#getCompletionDate` (2.41.9 / 2.42.5 the same body) reads the text — null or "" no
completion, `true` (any case) today, `false` none, else `LocalDate#parse` (`java_local_date`),
a date after today being today; a text it cannot read throws out of the import, whose
`catch` answers "The import process failed: <message>" (`ImportFailed`). With a data set and
a date, `#handleComplete` (2.41.9 :1280-1331, 2.42.5 :1286-1337) needs the set's org unit,
then its period (each missing: the plain conflict `ImportConflict(String, String)`, object
`OrganisationUnit` / `Period`, "Must be provided to complete data set", `dataSetComplete`
left null) and registers the completion, the summary's `dataSetComplete` being the date
(`DateUtils#toMediumDate`, `yyyy-MM-dd`); without either it is "false".

2.43.1 (`Release.data_set_completion_pipeline`) decodes the group first (`decode.py`):
`datavalue/DefaultDataEntryService.java#decodeGroup` reads the text with `DateUtils#parseDate`
(`#decodeDate` :356-363, `java_dates.parse_date`; no `true`, no clamping to today), a text it
cannot read E8008 (:192-195), a date without the set's data set, org unit or period E8009
(:207-209), each the decode's ERROR summary (409); `DataEntryPipeline#importGroups`
(:223-248) then marks the set complete only when no value was ignored, `dataSetComplete` the
date's `toMediumDate`, else "false".

The registration (`CompleteDataSetRegistration`) is kept nowhere the sandbox serves
(`/api/completeDataSetRegistrations` is not served), so only the summary shows it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from scdi.sandbox.core import java_local_date

NEEDED = "Must be provided to complete data set"


class ImportFailed(Exception):
    """What `#importDataValueSet`'s `catch (Exception ex)` turns into the ImportSummary ERROR
    "The import process failed: " + the message (2.41.9 :628-631, 2.42.5 :642-645)."""


def _today() -> date:
    return datetime.now(UTC).date()  # the sandbox's server zone is Etc/UTC


def legacy_date(text: str | None) -> str | None:
    """2.41.9/2.42.5 `#getCompletionDate` as `toMediumDate` prints it; ImportFailed with
    `LocalDate#parse`'s message."""
    if not text:
        return None
    today = _today()
    if text.lower() == "true":
        return today.isoformat()
    if text.lower() == "false":
        return None
    try:
        year, month, day = java_local_date.parse_local_date(text)
    except ValueError as failure:
        raise ImportFailed(f"The import process failed: {failure}") from None
    if year > today.year or (year == today.year and (month, day) > (today.month, today.day)):
        return today.isoformat()
    # Joda's `yyyy` pads the proleptic year to four digits, signed below the year 1
    sign = "-" if year < 0 else ""
    return f"{sign}{abs(year):04d}-{month:02d}-{day:02d}"

