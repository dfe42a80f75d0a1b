"""Cell parsers: every form people write reads to DHIS2's value; nothing raises; every bad
value is reported. Property-based (hypothesis) over headers, dates, phones, numbers, options."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scdi.connector.roster.contract import ColumnSpec, RosterContract, load_contract
from scdi.connector.roster.headers import SheetMatcher
from scdi.connector.roster.values import (
    EXCEL_EPOCH,
    OptionMatcher,
    csv_quoted,
    csv_unquoted,
    formula_like,
    parse_boolean,
    parse_date,
    parse_number,
    parse_phone,
    parser_for,
)
from tests.roster_fixture import strip_diacritics

TODAY = date(2025, 12, 31)
CONTRACT = load_contract("member")
ALL_COLUMNS = [(s.key, c) for s in CONTRACT.sheets for c in s.columns]
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
LONG_RUNS: dict[str, Callable[[], None]] = {}


def prop(*strategies: st.SearchStrategy[Any]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A property test run 150 times in the suite and 3,000 times with --run-slow."""
    def wrap(test: Callable[..., None]) -> Callable[..., None]:
        LONG_RUNS[test.__name__] = lambda: LONG(given(*strategies)(test))()
        return PROFILE(given(*strategies)(test))  # type: ignore[no-any-return]
    return wrap

cells = st.one_of(st.none(), st.text(max_size=40), st.integers(-10**12, 10**12), st.booleans(),
                  st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes())


@prop(st.sampled_from(ALL_COLUMNS), cells)
def test_no_cell_raises_and_every_bad_value_is_reported(item: tuple[str, ColumnSpec], raw: object) -> None:
    _, column = item
    value, problem = parser_for(column, TODAY)(raw)
    assert value is None or isinstance(value, str)
    if value is None and problem is None:
        # Only "no" in a yes-only column reads as no value without a problem.
        assert column.value_type == "TRUE_ONLY"


@prop(st.dates(min_value=date(1928, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_in_every_written_form(day: date) -> None:
    assert parse_date(day, TODAY) == (day, None)
    assert parse_date(datetime(day.year, day.month, day.day, 9, 30), TODAY) == (day, None)
    assert parse_date(float((day - EXCEL_EPOCH).days), TODAY) == (day, None)
    assert parse_date(day.isoformat(), TODAY) == (day, None)
    for text in (f"{day.day:02d}/{day.month:02d}/{day.year}", f"{day.day}/{day.month}/{day.year}",
                 f"{day.day}.{day.month}.{day.year}", f"{day.day}-{day.month}-{day.year}"):
        value, problem = parse_date(text, TODAY)
        assert value == day
        if day.day <= 12 and day.day != day.month:
            assert problem is not None and problem.code == "date-both-ways"
        else:
            assert problem is None
    if 2000 <= day.year <= TODAY.year + 1:
        value, _ = parse_date(f"{day.day}/{day.month}/{day.year % 100:02d}", TODAY)
        assert value == day


@prop(st.text(max_size=20))
def test_text_that_is_no_date_is_reported(text: str) -> None:
    value, problem = parse_date(text, TODAY)
    assert value is not None or problem is not None


def test_impossible_month_first_and_two_digit_dates() -> None:
    assert parse_date("31/02/2025", TODAY)[1].code == "date-invalid"  # type: ignore[union-attr]
    problem = parse_date("04/15/2025", TODAY)[1]
    assert problem is not None and problem.code == "date-month-first" and problem.detail["reading"] == "2025-04-15"
    assert parse_date("3/4/25", TODAY)[0] == date(2025, 4, 3)
    assert parse_date("2025", TODAY)[1].code == "not-a-date"  # type: ignore[union-attr]
    assert parse_date(2025.0, TODAY)[1].code == "not-a-date"  # type: ignore[union-attr]


@prop(st.sampled_from("35789"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_vietnamese_phones_in_every_style(first: str, rest: str) -> None:
    body = first + rest
    expected = "0" + body
    styles = [f"0{body[:3]} {body[3:6]} {body[6:]}", f"+84 {body}", f"0{body[:3]}.{body[3:6]}.{body[6:]}",
              f"84{body}", f"(+84) {body[:2]}-{body[2:5]}-{body[5:]}", body, int(body), f"0084{body}"]
    for style in styles:
        assert parse_phone(style) == (expected, None), style


@prop(st.text(max_size=15))
def test_a_bad_phone_is_reported_without_its_digits(text: str) -> None:
    value, problem = parse_phone(text)
    if value is None:
        assert problem is not None and problem.code == "not-a-phone" and not problem.detail


@prop(st.integers(0, 10**11))
def test_numbers_with_vietnamese_and_english_separators(n: int) -> None:
    grouped = f"{n:,}"
    dotted = grouped.replace(",", ".")
    for text in (str(n), dotted, grouped, grouped.replace(",", " "), f"{dotted} đ", float(n)):
        if n >= 1000 or not isinstance(text, str) or "," not in text:
            assert parse_number(text, integer=True) == (n, None), text


def test_decimals_and_ambiguity() -> None:
    assert parse_number("1,5", integer=False) == (1.5, None)
    assert parse_number("1.500.000,25", integer=False) == (1500000.25, None)
    assert parse_number("1.500", integer=False)[1].code == "number-ambiguous"  # type: ignore[union-attr]
    assert parse_number("1.500", integer=True) == (1500, None)
    assert parse_number("2.5", integer=True)[1].code == "not-an-integer"  # type: ignore[union-attr]
    assert parse_number("abc", integer=True)[1].code == "not-a-number"  # type: ignore[union-attr]
    year = parser_for(CONTRACT.sheet("members").column("year_of_birth"), TODAY)  # type: ignore[arg-type,union-attr]
    assert year("0")[1].code == "number-out-of-range"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["=1+1", "'=1", "''+84", "-3", "@x", "'abc", "'", "", "a=1", "'-"])
def test_formula_like_csv_text_round_trips(text: str) -> None:
    quoted = csv_quoted(text)
    assert csv_unquoted(quoted) == text
    assert not formula_like(quoted)


def test_formula_like() -> None:
    assert [formula_like(v) for v in ("=A1", "+1", "-", "@", "a=1", "", None, -1)] == [True] * 4 + [False] * 4


@pytest.mark.parametrize("text,expected", [("Có", "true"), ("co", "true"), ("CÓ", "true"), ("x", "true"),
                                           ("yes", "true"), ("Không", "false"), ("khong", "false"), ("no", "false"),
                                           (True, "true"), (0.0, "false")])
def test_yes_no(text: object, expected: str) -> None:
    assert parse_boolean(text, true_only=False) == (expected, None)
    assert parse_boolean(text, true_only=True) == ("true" if expected == "true" else None, None)


def _option_columns(contract: RosterContract) -> list[ColumnSpec]:
    return [c for s in contract.sheets for c in s.columns if c.options]


@prop(st.sampled_from(_option_columns(CONTRACT)), st.data())
def test_options_by_code_or_either_label_with_or_without_diacritics(column: ColumnSpec, data: st.DataObject) -> None:
    option = data.draw(st.sampled_from(column.options))
    matcher = OptionMatcher(column)
    form = data.draw(st.sampled_from([option.code, option.vi, option.en]))
    variant = data.draw(st.sampled_from([lambda t: t, str.upper, str.lower, strip_diacritics,
                                         lambda t: unicodedata.normalize("NFD", t), lambda t: f"  {t} "]))
    value, problem = matcher(variant(form))
    assert (value, problem) == (option.code, None) or (problem is not None and problem.code == "option-ambiguous")


@prop(st.sampled_from(_option_columns(CONTRACT)), st.text(min_size=1, max_size=12))
def test_an_unknown_option_is_reported(column: ColumnSpec, text: str) -> None:
    value, problem = OptionMatcher(column)(text)
    assert (value is None) == (problem is not None)


MATCHER = SheetMatcher(CONTRACT)


@prop(st.sampled_from([(s, c) for s in CONTRACT.sheets for c in s.columns]), st.data())
def test_headers_in_any_spelling_find_their_column(item: tuple[object, ColumnSpec], data: st.DataObject) -> None:
    sheet, column = item
    form = data.draw(st.sampled_from([column.key, column.vi, column.en]))
    variant = data.draw(st.sampled_from([lambda t: t, str.upper, strip_diacritics,
                                         lambda t: unicodedata.normalize("NFD", t), lambda t: f" {t}  ",
                                         lambda t: t.replace(" ", "  ")]))
    mapped = MATCHER.header_map(sheet, 1, [variant(form)])  # type: ignore[arg-type]
    assert [c.key for c in mapped.columns.values()] == [column.key]


@prop(st.lists(st.one_of(st.text(max_size=30), st.none(), st.integers()), max_size=30))
def test_any_header_row_maps_without_raising(cells: list[object]) -> None:
    for sheet in CONTRACT.sheets:
        mapped = MATCHER.header_map(sheet, 1, cells)  # type: ignore[arg-type]
        assert len(mapped.columns) + len(mapped.ignored) + len(mapped.duplicates) == sum(
            1 for c in cells if c is not None and str(c).strip())


def test_serials_and_datetimes() -> None:
    assert parse_date(45658.0, TODAY) == (date(2025, 1, 1), None)
    assert parse_date(EXCEL_EPOCH + timedelta(days=45658), TODAY) == (date(2025, 1, 1), None)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LONG_RUNS))
def test_long_variants(name: str) -> None:
    LONG_RUNS[name]()
