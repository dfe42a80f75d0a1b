"""`core/java_local_date.py`: `LocalDate#parse` (JDK 17 DateTimeFormatter.ISO_LOCAL_DATE)."""

from __future__ import annotations

import pytest

from scdi.sandbox.core.java_local_date import parse_local_date


def test_local_date_parse_messages() -> None:
    # NumberPrinterParser#parse with YEAR (4, 10, EXCEEDS_PAD), MONTH_OF_YEAR and DAY_OF_MONTH
    # (2): where the reading stops; IsoChronology#resolveYMD / LocalDate#create: the fields
    assert parse_local_date("2024-02-29") == (2024, 2, 29)
    assert parse_local_date("+12024-01-01") == (12024, 1, 1)
    refused = {
        "abc": "Text 'abc' could not be parsed at index 0",
        "202-01-01": "Text '202-01-01' could not be parsed at index 0",
        "+2024-01-01": "Text '+2024-01-01' could not be parsed at index 0",
        "20240-01-01": "Text '20240-01-01' could not be parsed at index 0",
        "-0000-01-01": "Text '-0000-01-01' could not be parsed at index 0",
        "2024/01/01": "Text '2024/01/01' could not be parsed at index 4",
        "2024-01-1": "Text '2024-01-1' could not be parsed at index 8",
        "2024-01-01 ": "Text '2024-01-01 ' could not be parsed, unparsed text found at index 10",
        "2024-13-01": "Text '2024-13-01' could not be parsed: Invalid value for MonthOfYear "
                      "(valid values 1 - 12): 13",
        "2024-01-32": "Text '2024-01-32' could not be parsed: Invalid value for DayOfMonth "
                      "(valid values 1 - 28/31): 32",
        "2023-02-29": "Text '2023-02-29' could not be parsed: Invalid date 'February 29' as "
                      "'2023' is not a leap year",
        "2024-04-31": "Text '2024-04-31' could not be parsed: Invalid date 'APRIL 31'",
    }
    for text, message in refused.items():
        with pytest.raises(ValueError) as failure:
            parse_local_date(text)
        assert str(failure.value) == message, text
