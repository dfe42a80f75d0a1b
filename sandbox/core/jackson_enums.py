"""A JSON value bound to an enum field as Jackson 2.21/2.22's `EnumDeserializer` binds it, with
DHIS2's mapper defaults (FAIL_ON_NUMBERS_FOR_ENUMS, ACCEPT_CASE_INSENSITIVE_ENUMS,
READ_UNKNOWN_ENUM_VALUES_AS_NULL off; ALLOW_COERCION_OF_SCALARS on; no coercion configs:
`commons/jackson/config/JacksonObjectMapperConfig.java`). Read at jackson-databind's 2.19 branch
(`deser/std/EnumDeserializer.java`, `util/CompactStringObjectMap.java`, `util/EnumResolver.java`,
`cfg/CoercionConfigs.java`), unchanged in these parts since 2.16.

- a string names a constant, else its `String#trim` does; else (`#_deserializeAltString`, from the
  trimmed text) an empty one is the empty-String coercion failure (a blank one too: it is empty
  once trimmed), digits without a leading zero are the constant at that index, and anything else
  is "not one of the values accepted for Enum class: [...]", the constants as
  `CompactStringObjectMap#keys` lists them: its hash area's order (`String#hashCode & mask`, a
  taken slot moving the key to the secondary slot or the spill area), filled from the
  `EnumResolver`'s HashMap in that map's iteration order (`core/java_hash.py`);
- an integer is the constant at that index (`#_fromInteger`), else "index value outside legal
  index range [0..n]"; one outside Java's int is no index at all: `#deserialize` asks the
  parser's `getIntValue`, whose InputCoercionException (jackson-core 2.19
  `ParserMinimalBase#reportOverflowInt` / `#_longIntegerDesc`, the same from a tree,
  `TreeTraversingParser#getIntValue`) the bean deserializer wraps into a JsonMappingException
  (`BeanDeserializerBase#wrapAndThrow`, WRAP_EXCEPTIONS on);
- a float, a boolean, an object (`extractScalarFromObject`) or an array (no unwrapping) is
  `handleUnexpectedToken`'s "Cannot deserialize value of type `…` from … value (token …)".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from scdi.sandbox.core.java_hash import hash_set_order, string_hash


def _find_size(count: int) -> int:
    """`CompactStringObjectMap#findSize`."""
    if count <= 5:
        return 8
    if count <= 12:
        return 16
    needed = count + (count >> 2)
    result = 32
    while result < needed:
        result += result
    return result


@cache
def lookup_keys(constants: tuple[str, ...]) -> tuple[str, ...]:
    """The names `CompactStringObjectMap#construct` / `#keys` list, for an enum whose constants
    are `constants` in declaration order (no `@JsonProperty` or alias on them)."""
    size = _find_size(len(constants))
    mask = size - 1
    area: list[str | None] = [None] * (size + (size >> 1))
    spill: list[str] = []
    for key in hash_set_order(constants):  # EnumResolver's HashMap, iterated
        slot = string_hash(key) & mask
        index = slot
        if area[index] is not None:
            index = size + (slot >> 1)
            if area[index] is not None:
                spill.append(key)
                continue
        area[index] = key
    return (*[k for k in area if k is not None], *spill)


class EnumRefused(ValueError):
    """Jackson's refusal: `str()` is its original message; `kind` the exception as
    `jackson_text.Problem` names it, `at` where its location lies ("start": the token's start,
    `currentTokenLocation`; "end": the parser's position after the token)."""

    def __init__(self, message: str, kind: str = "format", at: str = "start") -> None:
        super().__init__(message)
        self.kind = kind
        self.at = at


_UNEXPECTED = ((bool, "Boolean value (token `JsonToken.VALUE_{}`)"),
               (float, "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)"),
               (dict, "Object value (token `JsonToken.START_OBJECT`)"),
               (list, "Array value (token `JsonToken.START_ARRAY`)"))


def _constant_at(constants: Sequence[str], digits: str) -> str | None:
    """`Integer#parseInt` of the text (Unicode decimal digits; the leading zero of "01" refused
    first) as an index; None when it is none or out of range."""
    if (digits[0] == "0" and len(digits) > 1) or not digits.isdecimal():
        return None
    index = int(digits)
    return constants[index] if index < len(constants) else None


def read(klass: str, constants: Sequence[str], value: Any) -> str:
    """The constant `value` (a non-null JSON value, numbers decoded) binds to; raises
    EnumRefused."""
    for kind, shape in _UNEXPECTED:
        if isinstance(value, kind):
            text = shape.format(str(value).upper()) if kind is bool else shape
            # handleUnexpectedToken: a MismatchedInputException
            raise EnumRefused(f"Cannot deserialize value of type `{klass}` from {text}", "mapping")
    if isinstance(value, int):
        if not -(2**31) <= value < 2**31:
            # the parser's InputCoercionException (at its position), which the bean
            # deserializer wraps into a plain JsonMappingException
            raise EnumRefused(f"Numeric value ({_long_integer_desc(str(value))}) out of range of "
                              f"int ({-(2**31)} - {2**31 - 1})", "wrapped", "end")
        if 0 <= value < len(constants):
            return constants[value]
        raise EnumRefused(f"Cannot deserialize value of type `{klass}` from number {int(value)}: "
                          f"index value outside legal index range [0..{len(constants) - 1}]")
    text = str(value)
    if text in constants:
        return text
    name = text.strip(_JAVA_TRIM)
    if name in constants:
        return name
    if not name:
        raise EnumRefused(f'Cannot coerce empty String ("") to `{klass}` value (but could if '
                          "coercion was enabled using `CoercionConfig`)")
    if "0" <= name[0] <= "9":
        found = _constant_at(constants, name)
        if found is not None:
            return found
    keys = ", ".join(lookup_keys(tuple(constants)))
    raise EnumRefused(f'Cannot deserialize value of type `{klass}` from String "{name}": not one '
                      f"of the values accepted for Enum class: [{keys}]")


def _long_integer_desc(text: str) -> str:
    """`ParserMinimalBase#_longIntegerDesc`: a number of 1000 characters or more by its digit
    count."""
    if len(text) < 1000:
        return text
    return f"[Integer with {len(text.lstrip('-'))} digits]"


# String#trim: every char up to U+0020
_JAVA_TRIM = "".join(chr(c) for c in range(0x21))
