"""PostgreSQL's `jsonb`: the text a value reads back as once it has been stored.

DHIS2 writes a datastore value into a `jsonb` column (`DatastoreEntry.hbm.xml`: `jbPlainValue`
as `jbPlainString`, `hibernate/jsonb/type/JsonBinaryPlainStringType#nullSafeSet` a `PGobject` of
type jsonb) and reads the column's text back (`#nullSafeGet`, `PGobject#getValue`), so what a
client gets is PostgreSQL's own rendering (`jsonb_in` / `JsonbToCString`), not what it sent:

- object keys unique (the last of a repeated key wins) and ordered by byte length, then by
  bytes (`lengthCompareJsonbString`);
- `", "` between members and items, `": "` after a key, no other whitespace;
- numbers as `numeric` prints them: the digits after the point that the text implies
  (`1.50` stays `1.50`, `1e2` is `100`, `1.5e-1` is `0.15`), no negative zero;
- strings re-escaped by `escape_json`: `\\"`, `\\\\`, `\\b \\f \\n \\r \\t`, other control
  characters `\\u00xx`, everything else as UTF-8 (`\\/` and `\\u00e9` read back as `/` and `é`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
            "\t": "\\t"}


def parse(text: str) -> Any:
    """A JSON text as jsonb holds it: numbers as `Decimal` (exact, with their scale)."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant)


def _no_constant(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")  # NaN and Infinity are Python's, not JSON's


def _key_order(key: str) -> tuple[int, bytes]:
    raw = key.encode("utf-8", "surrogatepass")
    return len(raw), raw


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char < " ":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _number(value: Decimal | int | float) -> str:
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number.is_zero():
        number = abs(number)  # numeric has no -0
    # numeric's display scale is the count of digits after the point, never below zero
    return format(number, "f")


def dumps(value: Any, sort_keys: bool = True) -> str:
    """jsonb's text of a parsed value; `sort_keys=False` keeps the objects' own order (for an
    envelope DHIS2 writes itself around jsonb texts)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (Decimal, int, float)):
        return _number(value)
    if isinstance(value, dict):
        keys = sorted(value, key=_key_order) if sort_keys else list(value)
        return "{" + ", ".join(f"{_string(k)}: {dumps(value[k], sort_keys)}" for k in keys) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(dumps(item, sort_keys) for item in value) + "]"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def normalise(text: str) -> str:
    """What `cast(text as jsonb)::text` gives back."""
    return dumps(parse(text))
