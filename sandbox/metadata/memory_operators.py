"""The metadata query operators' in-memory tests (`Operator#test`) on a text value or null, as
the in-memory query engine applies them to an attribute filter's value (the attribute value an
object holds for that attribute, null without one).

dhis2-core `dhis-services/dhis-service-core/.../query/operators/` (2.41.9, 2.42.5, 2.43.1):
- `EqualOperator#test`: false on null, `String#equals` otherwise; `NotEqualOperator` its
  negation (so null matches `!eq`);
- `LikeOperator#test` (eq/contains/starts/ends, `ilike` variants lower-cased): false on null;
  `NotLikeOperator#test` false on null too (not a negation of `like`), the negated match
  otherwise;
- `TokenOperator#test` = `TokenUtils#test` (false on null; every token of the argument starts a
  token of the value, both lower-cased, split on non-letters/digits); `NotTokenOperator` its
  negation (null matches `!token`);
- `GreaterThanOperator` & co: false on null, `String#compareTo` otherwise;
- `NullOperator` / `NotNullOperator`: whether the value is null;
- `EmptyOperator#test`: false on null; a text is empty from 2.42 (2.42.5 :64-70, 2.43.1 :65-71),
  never at 2.41.9 (:60-77: only collections and maps) — `Release.metadata_filter_not_empty`
  marks the same rewrite; `NotEmptyOperator#test` (2.42+): true on null, a non-empty text.
"""

from __future__ import annotations

import re

from scdi.sandbox.core.java_split import java_split

_ALIASES = {"neq": "!eq", "ne": "!eq", "gte": "ge", "lte": "le", "startsWith": "$ilike",
            "endsWith": "ilike$"}
_TOKEN_SEPARATORS = re.compile(r"[\s@&.?$+-]+")


def _tokens(text: str) -> list[str]:
    """TokenUtils#getTokens: anything but a letter (`\\p{L}`) or 0-9 becomes a space, then
    Java's split on the separators."""
    spaced = "".join(c if c.isalpha() or c in "0123456789" else " " for c in text)
    return java_split(_TOKEN_SEPARATORS, spaced)


def _token(value: str | None, arg: str) -> bool:
    if value is None:
        return False
    have = _tokens(value.lower())
    return all(any(t.startswith(s) for t in have) for s in _tokens(arg.lower()))


def _like(value: str, arg: str, op: str) -> bool:
    """LikeOperator's match mode: `like`/`ilike` anywhere, `$` first starts, `$` last ends,
    `ieq` exact; `i` ignores case."""
    core = op.lstrip("!")
    if core.startswith("i") or core.startswith("$i"):
        value, arg = value.lower(), arg.lower()
    if core == "ieq":
        return value == arg
    if core.startswith("$"):
        return value.startswith(arg)
    if core.endswith("$"):
        return value.endswith(arg)
    return arg in value


def test(op: str, value: str | None, arg: str, text_can_be_empty: bool) -> bool:
    """`Operator#test` of `op` (an alias resolved) on `value`. `text_can_be_empty`: whether
    `empty` tests a text's emptiness (2.42+)."""
    op = _ALIASES.get(op, op)
    if op == "null":
        return value is None
    if op == "!null":
        return value is not None
    if op == "empty":
        return value is not None and text_can_be_empty and value == ""
    if op == "!empty":
        return value is None or value != ""
    if op == "!eq":
        return not test("eq", value, arg, text_can_be_empty)
    if op == "!token":
        return not _token(value, arg)
    if op == "token":
        return _token(value, arg)
    if value is None:
        return False
    if op == "eq":
        return value == arg
    if op in ("gt", "ge", "lt", "le"):
        return {"gt": value > arg, "ge": value >= arg, "lt": value < arg, "le": value <= arg}[op]
    if op.startswith("!"):
        return not _like(value, arg, op)
    return _like(value, arg, op)
