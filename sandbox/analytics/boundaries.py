"""Analytics period boundaries of a program indicator, for one reporting period.

- boundary date: start of the period for AFTER/BEFORE_START_OF_REPORTING_PERIOD, the day after
  its end otherwise, moved by `offsetPeriods` of `offsetPeriodType`
  (`dhis-api/.../program/AnalyticsPeriodBoundary.java#getBoundaryDate`,
  `period/PeriodType.java#getDateWithOffset`);
- comparison: `<` the date for BEFORE_* (`AnalyticsPeriodBoundaryType#isEndBoundary`), `>=`
  otherwise (`parser/expression/statement/DefaultStatementBuilder.java#getBoundaryCondition`,
  2.41.9 `jdbc/PostgreSqlStatementBuilder.java`);
- target: EVENT_DATE restricts the events an enrollment indicator reads (`#{…}`, `d2:count`…:
  `DefaultStatementBuilder#getProgramIndicatorEventInEnrollmentSelectSql`,
  `program/function/ProgramCountFunction.java#getSql`) and, for an event indicator, the events
  themselves; ENROLLMENT_DATE / INCIDENT_DATE select enrollments; `PS_EVENTDATE:stage` keeps
  enrollments with an event of that stage inside its boundaries
  (`analytics/event/data/EnrollmentTimeFieldSqlRenderer.java#getConditionForNonDefaultBoundaries`,
  `#getProgramIndicatorEventInProgramStageSql`).
An indicator with boundaries is computed one reporting period at a time
(`AbstractJdbcEventAnalyticsManager`: "the period is hard-coded into the select" for
`EventQueryParams#hasNonDefaultBoundaries`).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# PeriodType#getDateWithOffset per type (2.42.5; the same at 2.41.9, 2.43.1): DailyPeriodType
# plusDays, WeeklyAbstractPeriodType plusWeeks (Weekly, WeeklyWednesday/Thursday/Saturday/
# Sunday, and 2.43.1's WeeklyFriday), BiWeeklyAbstractPeriodType plusWeeks(2n),
# MonthlyPeriodType plusMonths, BiMonthlyPeriodType plusMonths(2n), QuarterlyAbstractPeriodType
# plusMonths(3n) (Quarterly, QuarterlyNov), SixMonthlyAbstractPeriodType plusMonths(6n)
# (SixMonthly, SixMonthlyApril, SixMonthlyNov), YearlyPeriodType and FinancialPeriodType (every
# Financial*: FinancialSep from 2.42.5, 2.43.1's FinancialFeb and FinancialAug too) plusYears.
_OFFSET_MONTHS = {"Monthly": 1, "BiMonthly": 2, "Quarterly": 3, "QuarterlyNov": 3,
                  "SixMonthly": 6, "SixMonthlyApril": 6, "SixMonthlyNov": 6, "Yearly": 12}
_OFFSET_WEEKS = {"Weekly": 1, "WeeklyWednesday": 1, "WeeklyThursday": 1, "WeeklyFriday": 1,
                 "WeeklySaturday": 1, "WeeklySunday": 1, "BiWeekly": 2}


class BoundaryError(ValueError):
    """A boundary the sandbox does not model."""


class IllegalFieldValue(ValueError):
    """Joda's IllegalFieldValueException, an IllegalArgumentException: CrudControllerAdvice
    answers it 400 with its message (2.41.9 `#handleBadRequest` :501-509, 2.42.5
    `#illegalArgumentExceptionHandler` :520-525, 2.43.1 :521-526)."""


def _joda_date(year: int, month: int, day: int) -> date:
    # DateTimeUnit#toJdkDate → #toJodaDateTime: `new DateTime(year, month, day, …)` checks the
    # day against the month (BasicChronology#getDateMidnightMillis); only IllegalInstantException
    # is caught there, so a day past the month's end is IllegalFieldValueException's
    # "Value 29 for dayOfMonth must be in the range [1,28]" (DateTimeUnit.java 2.41.9 :243-270,
    # 2.42.5 :245-272, 2.43.1 :244-271).
    last = monthrange(year, month)[1]
    if day > last:
        raise IllegalFieldValue(f"Value {day} for dayOfMonth must be in the range [1,{last}]")
    return date(year, month, day)


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    return date(y, m + 1, min(d.day, monthrange(y, m + 1)[1]))


@dataclass(frozen=True)
class Boundary:
    kind: str
    target: str
    offset_type: str | None = None
    offset: int | None = None

    @classmethod
    def of(cls, doc: dict[str, Any]) -> Boundary:
        return cls(str(doc["analyticsPeriodBoundaryType"]), str(doc["boundaryTarget"]),
                   doc.get("offsetPeriodType"), doc.get("offsetPeriods"))

    @property
    def is_end(self) -> bool:
        return self.kind in ("BEFORE_END_OF_REPORTING_PERIOD", "BEFORE_START_OF_REPORTING_PERIOD")

    @property
    def stage(self) -> str | None:
        return self.target.removeprefix("PS_EVENTDATE:") if self.target.startswith("PS_EVENTDATE:") else None

    def date(self, start: dt.date, end: dt.date) -> dt.date:
        if self.kind in ("AFTER_START_OF_REPORTING_PERIOD", "BEFORE_START_OF_REPORTING_PERIOD"):
            when = start
        else:
            when = end + timedelta(days=1)
        if self.offset is not None and self.offset_type is not None:
            if self.offset_type == "Daily":
                when += timedelta(days=self.offset)
            elif self.offset_type in _OFFSET_WEEKS:
                when += timedelta(weeks=self.offset * _OFFSET_WEEKS[self.offset_type])
            elif self.offset_type in _OFFSET_MONTHS:
                when = _add_months(when, self.offset * _OFFSET_MONTHS[self.offset_type])
            elif self.offset_type.startswith("Financial"):
                when = _add_months(when, self.offset * 12)
            elif self.offset_type == "TwoYearly":
                # TwoYearlyPeriodType#getDateWithOffset sets the year to the even year at or
                # before it plus 2n, the month and day kept (an offset of 0 still moves it);
                # DateTimeUnit#setYear checks nothing, so 29 February into a common year is
                # refused only by #toJdkDate. The other types go through Joda's plusDays/
                # plusWeeks/plusMonths/plusYears (ChronologyBasedCalendar), which clamp the
                # day to the month's last, as `_add_months` does.
                when = _joda_date(when.year - when.year % 2 + 2 * self.offset, when.month, when.day)
            else:
                raise BoundaryError(f"offset period type {self.offset_type}")
        return when

    def holds(self, value: str | None, start: dt.date, end: dt.date) -> bool:
        """The boundary's SQL condition on a date column (NULL never holds)."""
        if not value:
            return False
        limit = self.date(start, end).isoformat()
        return value[:10] < limit if self.is_end else value[:10] >= limit


def default_for(analytics_type: str) -> tuple[Boundary, Boundary]:
    """The boundaries an indicator without any has (`ProgramIndicator` constructor)."""
    target = "EVENT_DATE" if analytics_type == "EVENT" else "ENROLLMENT_DATE"
    return (Boundary("AFTER_START_OF_REPORTING_PERIOD", target),
            Boundary("BEFORE_END_OF_REPORTING_PERIOD", target))
