"""A JSON scalar as DHIS2's jsonMapper binds it to a `String` field.

Every String goes through `commons/jackson/config/EmptyStringToNullStdDeserializer` (registered
by `JacksonObjectMapperConfig#configureMapper`: 2.41.9 :150, 2.42.5 and 2.43.1 :158), which
returns `JsonParser#getValueAsString` and null for an empty one: a number or a boolean is its
text ("0", "false", "1.50": `ReaderBasedJsonParser#getText` / `UTF8StreamJsonParser#getText`
return a number token's own characters, so the body must be decoded with
`Ctx.json_body(numbers_as_written=True)` or `decode_written` to keep them), "" is null, and so
is an object or an array (no scalar).
The deserializer skips nothing, so the parser is left at that object's or array's first token
and the enclosing reader goes on from there (an object's members read as the enclosing
object's, an array ending the enclosing object's read at its first element or its `]`): a
reader of a parsed value cannot see that. `aggregate/binding.py` (`POST /api/dataValueSets`) and
`tracker/imports/binding.py` (`POST /api/tracker`) follow the token stream (`core/jackson_tokens.py`).
"""

from __future__ import annotations

import json
from typing import Any

from scdi.sandbox.core.context import WrittenFloat, written_int


def token_text(value: Any) -> str:
    """`JsonParser#getText` of the value's (first) token: `true`, `0`, `1.50` (a number as
    written), `{` or `[` for an object or an array."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{"
    if isinstance(value, list):
        return "["
    if isinstance(value, str):
        return value
    return getattr(value, "text", None) or str(value)


def string_field(value: Any) -> str | None:
    """The String Jackson binds `value` to: its text, null for null, "", an object or an array."""
    if value is None or isinstance(value, dict | list):
        return None
    return token_text(value) or None


def decode_written(text: str) -> Any:
    """The first JSON value of `text` with each number keeping the text it was written with
    (what `Ctx.json_body(numbers_as_written=True)` decodes); a ValueError as `json` raises it."""
    value, _end = _WRITTEN.raw_decode(text)
    return value


_WRITTEN = json.JSONDecoder(parse_float=WrittenFloat.of, parse_int=written_int)
