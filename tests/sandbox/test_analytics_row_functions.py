"""`d2:hasValue` and `d2:monthsBetween` as dhis2-core's SQL computes them (no server)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from scdi.sandbox.analytics import row_functions as rf


def test_months_between_counts_whole_months_as_postgres_age_does() -> None:
    # the cases of dhis2-core's D2MonthsBetweenTest, and the day-of-month borrow of age()
    assert rf.months_between(date(2023, 1, 1), date(2023, 3, 1)) == 2
    assert rf.months_between(date(2022, 12, 15), date(2023, 3, 15)) == 3
    assert rf.months_between(date(2022, 12, 15), date(2023, 3, 14)) == 2
    assert rf.months_between(date(2015, 1, 31), date(2015, 2, 28)) == 0
    assert rf.months_between(date(2012, 12, 31), date(2015, 12, 31)) == 36
    assert rf.months_between(date(2015, 3, 1), date(2015, 1, 1)) == -2  # end before start


def _evaluate(text: str, row: dict[str, Any]) -> tuple[str, list[float]]:
    out, found = rf.replace(text, "zzFnF")
    return out, [rf.value(s, row.get) for s in found]


def test_has_value_is_true_for_zero_and_false_only_for_a_missing_value() -> None:
    text = "d2:hasValue(#{CNrmKcCtSXp.hCWuj0PxkOn})"
    out, values = _evaluate(text, {"#{CNrmKcCtSXp.hCWuj0PxkOn}": 0.0})
    assert out == "(#{zzFnF000000.D2HASVALUE0} == 1)" and values == [1.0]
    assert _evaluate(text, {"#{CNrmKcCtSXp.hCWuj0PxkOn}": None})[1] == [0.0]
    assert _evaluate("!d2:hasValue(A{gkUMZ2TjMJM})", {"A{gkUMZ2TjMJM}": "SCDI_AGE_BAND_18_24"}) == (
        "!(#{zzFnF000000.D2HASVALUE0} == 1)", [1.0])


def test_months_between_with_a_missing_date_keeps_no_row() -> None:
    text = ("(d2:monthsBetween(V{enrollment_date}, V{analytics_period_end}) >= 36 || "
            "d2:monthsBetween(#{mc03B9W80AL.U577DokA3i7}, V{analytics_period_end}) >= 36)")
    row = {"V{enrollment_date}": None, "V{analytics_period_end}": "2015-12-31",
           "#{mc03B9W80AL.U577DokA3i7}": "2012-11-30"}
    out, values = _evaluate(text, row)
    assert out == "((#{zzFnF000000.D2MONTHSBTW} == 1) || (#{zzFnF000001.D2MONTHSBTW} == 1))"
    assert values == [0.0, 1.0]
    assert _evaluate(text, {**row, "#{mc03B9W80AL.U577DokA3i7}": "2013-01-01"})[1] == [0.0, 0.0]


def test_uses_the_sandbox_cannot_compute_like_sql_are_refused() -> None:
    with pytest.raises(rf.RowFunctionError, match="under '!'"):
        rf.replace("!(d2:monthsBetween(V{enrollment_date}, V{analytics_period_end}) < 12)", "zzFnF")
    with pytest.raises(rf.RowFunctionError, match="compared with a number"):
        rf.replace("d2:monthsBetween(V{enrollment_date}, V{analytics_period_end}) + 1 > 2", "zzFnF")
    with pytest.raises(rf.RowFunctionError, match="d2:hasValue"):
        rf.replace("d2:hasValue(d2:count(#{CNrmKcCtSXp.hCWuj0PxkOn}))", "zzFnF")
