"""What Jackson (2.21 at 2.41.9 and 2.42.5, 2.22 at 2.43.1: `dhis-2/pom.xml` `jackson.version`)
says when a JSON array is read into a bean (`DeserializationContext#handleUnexpectedToken`,
UNWRAP_SINGLE_VALUE_ARRAYS off).

`getMessage()` adds the location of the offending token; from Jackson 2.16
`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` is off, so the source is REDACTED, and dhis2-core
never turns it on. Line and column count bytes from 1 (the UTF-8 stream parser). Spring's
converter quotes `getOriginalMessage()`, without the location.
"""

from __future__ import annotations

_REDACTED = "REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"


def array_problem(java_type: str) -> str:
    return (f"Cannot deserialize value of type `{java_type}` from Array value "
            "(token `JsonToken.START_ARRAY`)")


def _location(raw: bytes) -> str:
    text = raw.lstrip(b" \t\r\n")
    skipped = raw[: len(raw) - len(text)]
    line = skipped.count(b"\n") + 1
    column = len(skipped) - (skipped.rfind(b"\n") + 1) + 1
    return f"\n at [Source: {_REDACTED}; line: {line}, column: {column}]"


def array_message(java_type: str, raw: bytes) -> str:
    """`MismatchedInputException#getMessage`: the problem and where the array starts."""
    return array_problem(java_type) + _location(raw)
