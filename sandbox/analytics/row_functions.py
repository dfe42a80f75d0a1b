"""`d2:hasValue` and `d2:monthsBetween` computed per row, as dhis2-core's SQL does.

@dhis2/expression-parser cannot evaluate them the way analytics does: `d2:hasValue` of a number
fails ("Failed to coerce value '0' (Int) to Variable") and `d2:monthsBetween` of a missing date
throws, where the SQL gives null. Each use is replaced by a stand-in data item `#{key.FUNCTION}`
holding 1 or 0 and compared with `== 1`, so the parser only sees numbers.

- `d2:hasValue(x)` is `(x is not null)`, with nulls not replaced
  (`program/function/D2HasValue.java#getSql`): 1 when the value exists, else 0; never null.
- `d2:monthsBetween(start, end)` is PostgreSQL's `date_part('year', age(end, start)) * 12 +
  date_part('month', age(end, start))` on both cast to date (`program/function/D2MonthsBetween.java`,
  `ProgramBetweenFunction#getSql` with `visitAllowingNulls`, `PostgreSqlBuilder#dateDifference`):
  whole months, negative when end is before start, null when either date is missing. Only its
  comparison with a number is taken, `d2:monthsBetween(a, b) >= 36`: null compares to null, and
  a filter keeps a row only when it is true, so null counts as 0. That holds only where nothing
  negates the comparison, so a comparison under `!` is refused.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

_ARG = r"(?:#\{\w{11}\.\w{11}\}|A\{\w{11}\}|V\{\w+\})"
_HAS_VALUE = re.compile(rf"d2:hasValue\(\s*({_ARG})\s*\)")
_MONTHS = re.compile(rf"d2:monthsBetween\(\s*({_ARG})\s*,\s*({_ARG})\s*\)\s*(>=|<=|==|!=|>|<)\s*(-?\d+)")
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, "==": operator.eq, "!=": operator.ne, ">": operator.gt,
    "<": operator.lt}
HAS_VALUE = "D2HASVALUE0"
MONTHS_BETWEEN = "D2MONTHSBTW"


class RowFunctionError(ValueError):
    """A use of `d2:hasValue` / `d2:monthsBetween` the sandbox does not compute."""


@dataclass(frozen=True)
class StandIn:
    """One replaced call: its stand-in key and element, its arguments and, for months, the test."""

    key: str
    element: str
    args: tuple[str, ...]
    op: str | None = None
    bound: float | None = None

    @property
    def item(self) -> str:
        return f"DATA_ELEMENT:{self.key}.{self.element}"


def _negated(text: str, at: int) -> bool:
    """Whether a `!` applies to the text at `at`: directly, or to a bracket enclosing it."""
    opened: list[int] = []
    for i, ch in enumerate(text[:at]):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            opened.pop()
    starts = [at, *opened]
    return any(text[:s].rstrip().endswith("!") for s in starts)


def replace(text: str, prefix: str) -> tuple[str, list[StandIn]]:
    """Swap every `d2:hasValue` and `d2:monthsBetween` comparison in `text` for a stand-in.

    `prefix` (5 characters) keeps the keys of an indicator's expression and filter apart."""
    found: list[StandIn] = []

    def key() -> str:
        return f"{prefix}{len(found):06d}"

    def months(m: re.Match[str]) -> str:
        if _negated(text, m.start()):
            raise RowFunctionError("d2:monthsBetween compared under '!'")
        found.append(StandIn(key(), MONTHS_BETWEEN, (m[1], m[2]), m[3], float(m[4])))
        return f"(#{{{found[-1].key}.{MONTHS_BETWEEN}}} == 1)"

    def has_value(m: re.Match[str]) -> str:
        found.append(StandIn(key(), HAS_VALUE, (m[1],)))
        return f"(#{{{found[-1].key}.{HAS_VALUE}}} == 1)"

    out = _MONTHS.sub(months, text)
    if "d2:monthsBetween" in out:
        raise RowFunctionError("d2:monthsBetween other than compared with a number, on items or V{…}")
    out = _HAS_VALUE.sub(has_value, out)
    if "d2:hasValue" in out:
        raise RowFunctionError("d2:hasValue of other than one item, attribute or V{…}")
    return out, found


def arguments(stand_ins: list[StandIn]) -> set[tuple[str, str, str]]:
    """The items the stand-ins read, as `(sigil, uid, element)` like the other items of a text."""
    out = set()
    for s in stand_ins:
        for arg in s.args:
            m = re.fullmatch(r"([#A])\{(\w{11})(?:\.(\w{11}))?\}", arg)
            if m:
                out.add((m[1], m[2], m[3] or ""))
    return out


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end`, as `age(end, start)` gives them in PostgreSQL."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def value(stand_in: StandIn, resolve: Callable[[str], Any]) -> float:
    """The stand-in's 1 or 0 for one row; `resolve` gives an argument's value in that row."""
    if stand_in.element == HAS_VALUE:
        found = resolve(stand_in.args[0])
        return 0.0 if found is None or found == "" else 1.0
    start, end = (_date(resolve(a)) for a in stand_in.args)
    if start is None or end is None or stand_in.op is None or stand_in.bound is None:
        return 0.0
    return 1.0 if _COMPARE[stand_in.op](months_between(start, end), stand_in.bound) else 0.0
