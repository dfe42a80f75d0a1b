"""When an event is too old to write: `validator/event/DateValidator`'s completion expiry (E1042,
E1043) and expiry period (E1046, E1047), as each release runs them
(`Release.tracker_event_expiry`).

dhis2-core `tracker/imports/validation/validator/event/DateValidator.java`:
- a user with F_EDIT_EXPIRED (or ALL: `User#isAuthorized`) skips both checks (2.41.9 :88 and
  :113, 2.42.5 :88 and :106, 2.43.1 :92 and :148);
- completion (`#validateCompletionExpiryDays`), only with `program.completeEventsExpiryDays` > 0
  and an event COMPLETED: 2.41.9 (:80-102) E1042 without `completedAt`, else E1043 when now is
  after completedAt + the days; 2.42.5 (:86-98) no E1042 (an event without `completedAt` is
  not checked); 2.43.1 (:89-140, `#getCompletedDate`) the stored completion date of an event
  already COMPLETED first, else the payload's `completedAt` of a COMPLETED payload event;
- expiry period (`#validateExpiryPeriodType`: 2.41.9 :104-137, 2.42.5 :100-130, 2.43.1
  :142-171), only with `program.expiryPeriodType` and `expiryDays` > 0: the reference date is
  `occurredAt`, else `scheduledAt` (2.43.1 single events: `occurredAt` only,
  `#getReferenceDate` :173-181); none → E1046; E1047 when the end date of the reference date's
  period (00:00) plus expiryDays + 1 days is before now;
- order (`#validate`: 2.41.9 and 2.42.5 :61-78, 2.43.1 :63-81): 2.41.9/2.42.5 completion then
  period (after E1051 at 2.42.5), 2.43.1 period, E1051, then completion.
- codes (`dhis-api/.../tracker/imports/validation/ValidationCode.java`): E1042 "needs to have
  completed date" exists at 2.41.9 only (:71); E1043 completeness expired, E1046 no date,
  E1047 expired period at the three tags (2.42.5/2.43.1 :77-79).

The period that holds a date (`PeriodType#createPeriod`): `period_end` knows the period types
`dhis-api/.../period/*PeriodType.java` name (`getName`): Daily, Weekly (ISO, Monday) and
WeeklyWednesday/Thursday/Friday (2.43.1)/Saturday/Sunday, BiWeekly (`BiWeeklyAbstractPeriodType
#adjustToStartOfBiWeek`: from the Monday of an odd ISO week, 14 days), Monthly, BiMonthly,
Quarterly and QuarterlyNov (`QuarterlyNovemberPeriodType#createPeriod`: Nov-Jan, Feb-Apr, ...),
SixMonthly (January, April and November starts), Yearly, TwoYearly (`TwoYearlyPeriodType
#createPeriod`: from an even year, two years) and the Financial years.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

_WEEK_STARTS = {"Weekly": 0, "WeeklyWednesday": 2, "WeeklyThursday": 3, "WeeklyFriday": 4,
                "WeeklySaturday": 5, "WeeklySunday": 6}
# first month of the period types whose periods are n months long, starting at that month
_MONTHS = {"Monthly": (1, 1), "BiMonthly": (2, 1), "Quarterly": (3, 1), "QuarterlyNov": (3, 11),
           "SixMonthly": (6, 1),
           "SixMonthlyApril": (6, 4), "SixMonthlyNov": (6, 11), "Yearly": (12, 1),
           "FinancialFeb": (12, 2), "FinancialApril": (12, 4), "FinancialJuly": (12, 7),
           "FinancialAug": (12, 8), "FinancialSep": (12, 9), "FinancialOct": (12, 10),
           "FinancialNov": (12, 11)}


def instant(text: str | None) -> datetime | None:
    """A payload or stored date (`yyyy-MM-dd'T'HH:mm:ss.SSS`, UTC) as a moment."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text)[:23].rstrip("Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def period_end(period_type: str, day: date) -> date | None:
    """The last day of the `period_type` period holding `day`; None for a type not modelled."""
    if period_type == "Daily":
        return day
    if period_type == "BiWeekly":
        iso = day.isocalendar()
        # the weekday counted from the Monday of the odd week, 1..14
        bi_weekday = iso.weekday + (1 - iso.week % 2) * 7
        return day - timedelta(days=bi_weekday - 1) + timedelta(days=13)
    if period_type == "TwoYearly":
        return date(day.year - day.year % 2 + 1, 12, 31)
    if period_type in _WEEK_STARTS:
        start = day - timedelta(days=(day.weekday() - _WEEK_STARTS[period_type]) % 7)
        return start + timedelta(days=6)
    if period_type not in _MONTHS:
        return None
    length, first = _MONTHS[period_type]
    offset = (day.month - first) % length
    start_index = day.year * 12 + (day.month - 1) - offset
    end_index = start_index + length - 1
    year, month = divmod(end_index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def completion_expired(completed_at: str | None, days: int, now: datetime) -> bool:
    moment = instant(completed_at)
    return moment is not None and now > moment + timedelta(days=days)


def period_expired(period_type: str, expiry_days: int, reference: str, now: datetime) -> bool:
    moment = instant(reference)
    end = period_end(period_type, moment.date()) if moment is not None else None
    if end is None:
        return False
    # "Extra day added to account for final 24 hours of expiring day"
    closes = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=expiry_days + 1)
    return closes < now
