"""Sandbox analytics building blocks: periods, boundaries, org units (no server)."""

from __future__ import annotations

from datetime import date

import pytest

from scdi.sandbox.analytics import boundaries, periods
from scdi.sandbox.analytics.boundaries import Boundary


def test_iso_periods_and_relative_periods() -> None:
    q = periods.parse_iso("2015Q4")
    assert (q.start, q.end, q.type) == (date(2015, 10, 1), date(2015, 12, 31), "Quarterly")
    assert periods.parse_iso("201602").end == date(2016, 2, 29)  # leap year
    assert periods.parse_iso("2016July").end == date(2017, 6, 30)
    today = date(2016, 3, 15)
    assert [p.iso for p in periods.resolve(["LAST_12_MONTHS"], today)][0::11] == ["201503", "201602"]
    assert [p.iso for p in periods.resolve(["LAST_4_QUARTERS"], today)] == ["2015Q1", "2015Q2", "2015Q3", "2015Q4"]
    assert [p.iso for p in periods.resolve(["THIS_YEAR", "2016"], today)] == ["2016"]  # no repeats
    assert len(periods.resolve(["LAST_90_DAYS"], today)) == 90
    with pytest.raises(periods.PeriodError):
        periods.resolve(["LAST_7_FORTNIGHTS"], today)
    with pytest.raises(periods.PeriodError):
        periods.parse_iso("201513")


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
