"""Period ids and relative periods of `pe:` dimensions, as DHIS2 reads them.

- ISO period ids: `yyyyMMdd` or `yyyy-MM-dd` (Daily), `yyyyMM` or `yyyy-MM` (Monthly; the
  dashed forms in `pe:` items only, `parse_dimension_iso`), `yyyyQn` (Quarterly), `yyyy` (Yearly),
  and the financial years of the release (`Release.financial_year_period_types`): `yyyyApril`,
  `yyyyJuly`, `yyyyOct`, `yyyyNov` on every release, `yyyySep` from 2.42, `yyyyFeb` and
  `yyyyAug` from 2.43, each from the first of its month to the day before it a year later
  (`dhis-api/.../period/PeriodType.java#getPeriodFromIsoString`, `Financial*PeriodType.java`,
  `calendar/DateUnitType.java` and `DateUnitPeriodTypeParser#getDateInterval` at 2.41.9 and
  2.42.5; 2.43.1 `period/Period.Input#of` and `DateUnitPeriodTypeParser`);
- relative periods the package's visualizations use (`period/RelativePeriodEnum.java`,
  `period/RelativePeriods.java#getRelativePeriods`): TODAY, THIS_MONTH, LAST_MONTH,
  LAST_3_MONTHS, LAST_6_MONTHS, LAST_12_MONTHS, THIS_QUARTER, LAST_QUARTER, LAST_4_QUARTERS,
  THIS_YEAR, LAST_YEAR, LAST_5_YEARS, LAST_10_YEARS, LAST_30_DAYS, LAST_90_DAYS,
  THIS_FINANCIAL_YEAR, LAST_FINANCIAL_YEAR, LAST_5_FINANCIAL_YEARS, LAST_10_FINANCIAL_YEARS
  (October years, the default `analyticsFinancialYearStart`; from the relative period date on
  2.43.1 only, see `Release.financial_relative_periods_dated`) — each expands
  to the ISO periods it covers (monthly for LAST_n_MONTHS, daily for LAST_n_DAYS), as the
  analytics response's `metaData.dimensions.pe` lists them.
Any other period is refused (`/api/analytics` answers 409 E7611, as `DimensionalObjectProvider#addDailyPeriods`).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

# The ISO suffix of each financial year type dhis2-core has had, with its first month; which of
# them a release parses is the release's `financial_year_period_types`.
_FINANCIAL = {"Feb": 2, "April": 4, "July": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11}
# Periods of rows already stored were parsed by the release when they were written.
STORED = frozenset(_FINANCIAL)


class PeriodError(ValueError):
    """A `pe:` item the sandbox does not know."""


@dataclass(frozen=True)
class Period:
    iso: str
    start: date
    end: date
    type: str

    @property
    def name(self) -> str:
        if self.type == "Monthly":
            return self.start.strftime("%B %Y")
        if self.type == "Quarterly":
            return f"{_quarter_months(self.start)} {self.start.year}"
        if self.type == "Yearly":
            return str(self.start.year)
        if self.type == "Daily":
            return self.start.isoformat()
        return f"{self.start.strftime('%B %Y')} - {self.end.strftime('%B %Y')}"


def _quarter_months(start: date) -> str:
    end = date(start.year, start.month + 2, 1)
    return f"{start.strftime('%B')} - {end.strftime('%B')}"


def month(year: int, m: int) -> Period:
    return Period(f"{year}{m:02d}", date(year, m, 1), date(year, m, monthrange(year, m)[1]), "Monthly")


def quarter(year: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    return Period(f"{year}Q{q}", date(year, first, 1),
                  date(year, first + 2, monthrange(year, first + 2)[1]), "Quarterly")


def year(y: int) -> Period:
    return Period(str(y), date(y, 1, 1), date(y, 12, 31), "Yearly")


def day(d: date) -> Period:
    return Period(d.strftime("%Y%m%d"), d, d, "Daily")


def parse_iso(iso: str, financial: frozenset[str]) -> Period:
    r"""An ISO period id: ASCII digits only, as Java's `\d` reads them (2.41.9 :43-63, 2.42.5
    :45-67 `calendar/DateUnitType.java`, patterns with `Matcher#matches`; 2.43.1
    `period/Period.Input#isDigit` :458-460, `'0'`..`'9'`), so Arabic-Indic digits name none."""
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", iso, re.ASCII):
        try:
            return day(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            raise PeriodError(iso) from None
    if (m := re.fullmatch(r"(\d{4})(\d{2})", iso, re.ASCII)) and 1 <= int(m[2]) <= 12:
        return month(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})Q([1-4])", iso, re.ASCII):
        return quarter(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"\d{4}", iso, re.ASCII):
        return year(int(iso))
    if (m := re.fullmatch(r"(\d{4})([A-Z][a-z]+)", iso, re.ASCII)) and m[2] in financial \
            and m[2] in _FINANCIAL:
        y, first = int(m[1]), _FINANCIAL[m[2]]
        end_month = first - 1
        return Period(iso, date(y, first, 1),
                      date(y + 1, end_month, monthrange(y + 1, end_month)[1]), f"Financial{m[2]}")
    raise PeriodError(iso)


def financial_year(y: int, suffix: str) -> Period:
    return parse_iso(f"{y}{suffix}", STORED)


def _financial_years(today: date, back: int, count: int) -> list[Period]:
    """RelativePeriods#getRelativeFinancialPeriods with the default `analyticsFinancialYearStart`
    (FINANCIAL_YEAR_OCTOBER; no system setting is stored): the year holding `today` moved back
    `back` years (`FinancialPeriodType#createPeriod`: a month before October belongs to the
    financial year begun the year before), and the `count` years ending with it
    (`#generateRollingPeriods`)."""
    current = today.year if today.month >= _FINANCIAL["Oct"] else today.year - 1
    last = current - back
    return [financial_year(y, "Oct") for y in range(last - count + 1, last + 1)]


def _months_back(today: date, count: int) -> list[Period]:
    out, y, m = [], today.year, today.month
    for _ in range(count):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(month(y, m))
    return list(reversed(out))


def _quarters_back(today: date, count: int) -> list[Period]:
    out, y, q = [], today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        q -= 1
        if q == 0:
            y, q = y - 1, 4
        out.append(quarter(y, q))
    return list(reversed(out))


def _days_back(today: date, count: int) -> list[Period]:
    return [day(today - timedelta(days=n)) for n in range(count, 0, -1)]


def relative(name: str, today: date, financial_today: date | None = None) -> list[Period]:
    """The ISO periods a relative period stands for on `today` (RelativePeriods.java); the
    financial ones on `financial_today` when given: 2.41.9 and 2.42.5
    `#getRelativeFinancialPeriods` (:780-782, :782-784) ignore the relative date for today
    (`Release.financial_relative_periods_dated`)."""
    q = (today.month - 1) // 3 + 1
    fin = today if financial_today is None else financial_today
    table = {
        "TODAY": lambda: [day(today)],
        "THIS_MONTH": lambda: [month(today.year, today.month)],
        "LAST_MONTH": lambda: _months_back(today, 1),
        "LAST_3_MONTHS": lambda: _months_back(today, 3),
        "LAST_6_MONTHS": lambda: _months_back(today, 6),
        "LAST_12_MONTHS": lambda: _months_back(today, 12),
        "THIS_QUARTER": lambda: [quarter(today.year, q)],
        "LAST_QUARTER": lambda: _quarters_back(today, 1),
        "LAST_4_QUARTERS": lambda: _quarters_back(today, 4),
        "THIS_YEAR": lambda: [year(today.year)],
        "LAST_YEAR": lambda: [year(today.year - 1)],
        "LAST_5_YEARS": lambda: [year(today.year - n) for n in range(5, 0, -1)],
        "LAST_10_YEARS": lambda: [year(today.year - n) for n in range(10, 0, -1)],
        "LAST_30_DAYS": lambda: _days_back(today, 30),
        "LAST_90_DAYS": lambda: _days_back(today, 90),
        "THIS_FINANCIAL_YEAR": lambda: _financial_years(fin, 0, 1),
        "LAST_FINANCIAL_YEAR": lambda: _financial_years(fin, 1, 1),
        "LAST_5_FINANCIAL_YEARS": lambda: _financial_years(fin, 1, 5),
        "LAST_10_FINANCIAL_YEARS": lambda: _financial_years(fin, 1, 10),
    }
    if name not in table:
        raise PeriodError(name)
    return table[name]()


def parse_dimension_iso(iso: str, financial: frozenset[str]) -> Period:
    r"""A `pe:` item's ISO id as `PeriodType#getPeriodFromIsoString` reads it: also `yyyy-MM`
    (Monthly) and `yyyy-MM-dd` (Daily), each the period of its undashed id (2.41.9 and
    2.42.5 `calendar/DateUnitType.java` MONTHLY `(\d{4})[-]?(\d{2})`, DAILY's second pattern;
    2.43.1 `period/Period.Input#of`, 7 and 10 characters with a dash)."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})", iso, re.ASCII):
        return parse_iso(m[1] + m[2], financial)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso, re.ASCII):
        return parse_iso(m[1] + m[2] + m[3], financial)
    return parse_iso(iso, financial)


def resolve(items: list[str], today: date, financial: frozenset[str],
            financial_today: date | None = None) -> list[Period]:
    """Every period of a `pe:` dimension, in order, without repeats."""
    out: list[Period] = []
    for item in items:
        found = (relative(item, today, financial_today) if re.fullmatch(r"[A-Z][A-Z_0-9]*", item)
                 else [parse_dimension_iso(item, financial)])
        out.extend(p for p in found if p not in out)
    return out
