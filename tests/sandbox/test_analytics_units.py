"""Sandbox analytics building blocks: periods, boundaries, org units (no server)."""

from __future__ import annotations

from datetime import date

import pytest

from scdi.sandbox.analytics import boundaries, periods
from scdi.sandbox.analytics.boundaries import Boundary
from scdi.upstream.releases import RELEASES

FINANCIAL = RELEASES["2.41"].financial_year_period_types


def test_iso_periods_and_relative_periods() -> None:
    q = periods.parse_iso("2015Q4", FINANCIAL)
    assert (q.start, q.end, q.type) == (date(2015, 10, 1), date(2015, 12, 31), "Quarterly")
    assert periods.parse_iso("201602", FINANCIAL).end == date(2016, 2, 29)  # leap year
    assert periods.parse_iso("2016July", FINANCIAL).end == date(2017, 6, 30)
    today = date(2016, 3, 15)
    assert [p.iso for p in periods.resolve(["LAST_12_MONTHS"], today, FINANCIAL)][0::11] == [
        "201503", "201602"]
    assert [p.iso for p in periods.resolve(["LAST_4_QUARTERS"], today, FINANCIAL)] == [
        "2015Q1", "2015Q2", "2015Q3", "2015Q4"]
    # no repeats
    assert [p.iso for p in periods.resolve(["THIS_YEAR", "2016"], today, FINANCIAL)] == ["2016"]
    assert len(periods.resolve(["LAST_90_DAYS"], today, FINANCIAL)) == 90
    with pytest.raises(periods.PeriodError):
        periods.resolve(["LAST_7_FORTNIGHTS"], today, FINANCIAL)
    with pytest.raises(periods.PeriodError):
        periods.parse_iso("201513", FINANCIAL)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_financial_years_per_release(version: str) -> None:
    # PeriodTypeEnum / DateUnitType: FinancialSep from 2.42.5, FinancialFeb and FinancialAug
    # from 2.43.1; each year starts on the first of its month and ends the day before a year on
    # (DateUnitPeriodTypeParser#getDateInterval).
    financial = RELEASES[version].financial_year_period_types
    known = {"2.41": {"2024April", "2024July", "2024Oct", "2024Nov"},
             "2.42": {"2024April", "2024July", "2024Sep", "2024Oct", "2024Nov"},
             "2.43": {"2024Feb", "2024April", "2024July", "2024Aug", "2024Sep", "2024Oct",
                      "2024Nov"}}[version]
    for iso in ("2024Feb", "2024April", "2024July", "2024Aug", "2024Sep", "2024Oct", "2024Nov",
                "2024March", "2024Jan"):
        if iso in known:
            periods.parse_iso(iso, financial)
        else:
            with pytest.raises(periods.PeriodError):
                periods.parse_iso(iso, financial)
    if version == "2.43":
        feb = periods.parse_iso("2024Feb", financial)
        assert (feb.start, feb.end, feb.type) == (date(2024, 2, 1), date(2025, 1, 31), "FinancialFeb")
        aug = periods.parse_iso("2024Aug", financial)
        assert (aug.start, aug.end) == (date(2024, 8, 1), date(2025, 7, 31))
    if version != "2.41":
        sep = periods.parse_iso("2024Sep", financial)
        assert (sep.start, sep.end, sep.type) == (date(2024, 9, 1), date(2025, 8, 31), "FinancialSep")


def test_boundary_dates_follow_analytics_period_boundary() -> None:
    start, end = date(2015, 10, 1), date(2015, 12, 31)
    after_start = Boundary("AFTER_START_OF_REPORTING_PERIOD", "EVENT_DATE")
    before_end = Boundary("BEFORE_END_OF_REPORTING_PERIOD", "EVENT_DATE")
    # end boundaries compare `<` the day after the period's end, start boundaries `>=` its start
    assert before_end.holds("2015-12-31", start, end) and not before_end.holds("2016-01-01", start, end)
    assert after_start.holds("2015-10-01", start, end) and not after_start.holds("2015-09-30", start, end)
    assert not after_start.holds(None, start, end)
    sixty = Boundary("AFTER_END_OF_REPORTING_PERIOD", "PS_EVENTDATE:CNrmKcCtSXp", "Daily", -60)
    assert sixty.date(start, end) == date(2015, 11, 2) and sixty.stage == "CNrmKcCtSXp"
    assert sixty.holds("2015-11-02", start, end) and not sixty.holds("2015-11-01", start, end)
    cohort = Boundary("BEFORE_END_OF_REPORTING_PERIOD", "ENROLLMENT_DATE", "Monthly", -12)
    assert cohort.date(start, end) == date(2015, 1, 1)
    assert [b.target for b in boundaries.default_for("ENROLLMENT")] == ["ENROLLMENT_DATE"] * 2


def test_boundary_offsets_of_every_period_type() -> None:
    # PeriodType#getDateWithOffset of each type (2.42.5 DailyPeriodType :84,
    # WeeklyAbstractPeriodType :113, BiWeeklyAbstractPeriodType :111, QuarterlyAbstractPeriodType
    # :75, SixMonthlyAbstractPeriodType :98, FinancialPeriodType :94, TwoYearlyPeriodType :97)
    start, end = date(2015, 10, 1), date(2015, 12, 31)

    def moved(offset_type: str, offset: int) -> date:
        return Boundary("AFTER_START_OF_REPORTING_PERIOD", "EVENT_DATE", offset_type,
                        offset).date(start, end)

    assert moved("WeeklyWednesday", -1) == date(2015, 9, 24)
    assert moved("BiWeekly", 1) == date(2015, 10, 15)
    assert moved("SixMonthlyApril", -1) == date(2015, 4, 1)
    assert moved("QuarterlyNov", 1) == date(2016, 1, 1)
    assert moved("FinancialApril", -1) == date(2014, 10, 1)
    assert moved("FinancialNov", 2) == date(2017, 10, 1)
    assert moved("TwoYearly", 0) == date(2014, 10, 1)
    assert moved("TwoYearly", 1) == date(2016, 10, 1)
    # 2.43.1's WeeklyFridayPeriodType and FinancialFebruary/August extend the weekly and
    # financial types, so they offset the same way
    assert moved("WeeklyFriday", 2) == date(2015, 10, 15)
    assert moved("FinancialFeb", -1) == date(2014, 10, 1)


def test_a_boundary_offset_past_the_month_end() -> None:
    # Joda's plusMonths/plusYears (ChronologyBasedCalendar) clamp the day to the month's last;
    # TwoYearlyPeriodType#getDateWithOffset only sets the year, and DateTimeUnit#toJdkDate's
    # `new DateTime` refuses 29 February of a common year (IllegalFieldValueException).
    def moved(offset_type: str, offset: int, start: date, end: date) -> date:
        return Boundary("AFTER_START_OF_REPORTING_PERIOD", "EVENT_DATE", offset_type,
                        offset).date(start, end)

    leap = date(2016, 2, 29)
    assert moved("Monthly", 1, date(2016, 1, 31), date(2016, 1, 31)) == date(2016, 2, 29)
    assert moved("Monthly", -3, date(2016, 5, 31), date(2016, 5, 31)) == date(2016, 2, 29)
    assert moved("Quarterly", 1, date(2015, 11, 30), date(2015, 11, 30)) == date(2016, 2, 29)
    assert moved("Yearly", 1, leap, leap) == date(2017, 2, 28)
    assert moved("FinancialApril", -1, leap, leap) == date(2015, 2, 28)
    assert moved("TwoYearly", 2, leap, leap) == date(2020, 2, 29)
    assert moved("TwoYearly", 0, leap, leap) == leap
    with pytest.raises(boundaries.IllegalFieldValue,
                       match=r"^Value 29 for dayOfMonth must be in the range \[1,28\]$"):
        moved("TwoYearly", 1, leap, leap)
    # the day after a week ending 28 February 2016, two years back
    after_end = Boundary("AFTER_END_OF_REPORTING_PERIOD", "EVENT_DATE", "TwoYearly", -1)
    with pytest.raises(boundaries.IllegalFieldValue):
        after_end.date(date(2016, 2, 22), date(2016, 2, 28))
