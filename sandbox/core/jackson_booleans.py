"""A JSON value as DHIS2's jsonMapper binds it to a `boolean` or `Boolean` field
(`StdDeserializer#_parseBooleanPrimitive` / `NumberDeserializers.BooleanDeserializer`, Jackson
2.21 at 2.41.9/2.42.5, 2.22 at 2.43.1, with the coercions `JacksonObjectMapperConfig` leaves
on): a boolean itself, an integer `!= 0` (`#_coerceBooleanFromInt`), a text `true`/`True`/`TRUE`
or `false`/`False`/`FALSE` once trimmed (`String#trim`), "" or "null" false for a primitive and
null for a `Boolean` (`#_checkTextualNull`); anything else the exception Jackson throws."""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import java_string

MISMATCH = "com.fasterxml.jackson.databind.exc.MismatchedInputException"
INVALID = "com.fasterxml.jackson.databind.exc.InvalidFormatException"


def read(value: Any, primitive: bool) -> tuple[bool | None, tuple[str, str] | None]:
    """The Boolean Jackson reads, or the exception class and original message it throws."""
    type_name = "`boolean`" if primitive else "`java.lang.Boolean`"
    if value is None:
        return (False if primitive else None), None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int):  # _coerceBooleanFromInt: 0 (also -0) is false
        return value != 0, None
    if isinstance(value, str):
        text = java_string.trim(value)
        if text in ("true", "True", "TRUE"):
            return True, None
        if text in ("false", "False", "FALSE"):
            return False, None
        if text in ("", "null"):  # empty/blank coerced to null, `_checkTextualNull`
            return (False if primitive else None), None
        quoted = text if len(text) <= 500 else text[:500] + "]...[" + text[-500:]
        words = ('only "true"/"True"/"TRUE" or "false"/"False"/"FALSE" recognized' if primitive
                 else 'only "true" or "false" recognized')
        return None, (INVALID, f'Cannot deserialize value of type {type_name} from String '
                                f'"{quoted}": {words}')
    shape = ("Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)" if isinstance(value, float)
             else "Object value (token `JsonToken.START_OBJECT`)" if isinstance(value, dict)
             else "Array value (token `JsonToken.START_ARRAY`)")
    return None, (MISMATCH, f"Cannot deserialize value of type {type_name} from {shape}")
