"""What Jackson refuses or rewrites while it binds a `POST /api/metadata` (or CRUD) payload to
the objects, before any import check runs: enum constants and `java.util.Date` properties.

`render/DefaultRenderService#fromMetadata` reads each object with `treeToValue` (2.41.9,
2.42.5, 2.43.1), property by property in the object's own order, so the first property it
cannot read ends the request:
- an enum is read by `EnumDeserializer` (`_read_enum`: a constant's name, or its index as a
  JSON integer); an unknown constant is Jackson's InvalidFormatException, any other token a
  MismatchedInputException, both JsonMappingExceptions, which
  reaches `CrudControllerAdvice#defaultExceptionHandler` (500) at 2.41.9 / 2.42.5 and
  `#jsonParseExceptionHandler` (409) at 2.43.1 (`Release.json_mapping_error_conflict`);
- a date is read by `commons/jackson/config/ParseDateStdDeserializer` (the same at the three
  tags): a JSON string through `DateUtils#parseDate` (`core/java_dates.py`), or, when that
  fails, one of more than 12 digits as epoch milliseconds; a JSON integer as epoch
  milliseconds; anything else is its IOException "Invalid date format '<text>', only ISO
  format or UNIX Epoch timestamp is supported." (`getValueAsString`: a number or boolean's
  text, `null` for an object or array). `treeToValue` turns that IOException into an
  IllegalArgumentException, which `CrudControllerAdvice#illegalArgumentExceptionHandler`
  answers 400 without errorCode (`UnreadableDate`); the CRUD endpoints read the body with
  `readValue` (`AbstractCrudController#deserializeJsonEntity` → `DefaultRenderService#fromJson`,
  a streaming parser), so there the IOException is the default handler's 500, and a number's
  `getValueAsString` is its text as sent (`UTF8StreamJsonParser#getText`: "1.50", "1E+2"),
  which the CRUD reads keep (`Ctx.json_body(numbers_as_written=True)`, `WrittenFloat.text`).
A date read is kept as `WriteDateStdSerializer` writes it back (`DateUtils#toIso8601NoTz`).
A `java.lang.String` property is read by `EmptyStringToNullStdDeserializer` (the same at the
three tags): the token's `getValueAsString`, so a number or boolean is its text and `""` is
none (left out on read, not a value to compare for uniqueness). The same mapper reads the
String properties of embedded objects (an EmbeddedObject type such as `dashboardItem`,
`commons/jackson/config/JacksonObjectMapperConfig.java#configureMapper`, registered at
2.41.9 :150, 2.42.5 and 2.43.1 :158), so an item's `"text": ""` is null and
`DashboardItem#getType` gives it no TEXT type; their enums and dates are not checked here, and
references to other metadata keep what was sent.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from scdi.sandbox.core import jackson_enums, java_dates, webmessage
from scdi.sandbox.metadata import legacy_credentials, registry
from scdi.sandbox.metadata.registry import TypeInfo

_DATE = "java.util.Date"
_STRING = "java.lang.String"
_EPOCH = datetime(1970, 1, 1)


class UnreadableDate(webmessage.UnreadablePayload):
    """ParseDateStdDeserializer's IOException (no JsonMappingException, so not 2.43.1's 409):
    400 on `/api/metadata`, 500 elsewhere."""

    json_mapping = False


def bind(info: TypeInfo, obj: dict[str, Any], minor: str) -> dict[str, Any]:
    """The object as Jackson binds it: enum constants checked, dates in DHIS2's form. Every
    property the release's class has is bound (`jackson_properties`), not only those with
    facts: CategoryOption's `startDate`/`endDate` are dates all the same."""
    props = registry.jackson_properties(info.singular, minor)
    out = dict(obj)
    for name, value in obj.items():
        prop = props.get(name)
        if prop is None or value is None:
            continue
        if prop.get("collection"):
            item_klass = str(prop.get("itemKlass"))
            if isinstance(value, list) and registry.is_embedded_klass(item_klass, minor):
                out[name] = [_embedded_strings(item_klass, item, minor)
                             if isinstance(item, dict) else item for item in value]
            continue
        constants = prop.get("constants")
        if constants:
            out[name] = _read_enum(str(prop.get("klass")), constants, value)
        if prop.get("klass") == _DATE:
            out[name] = read_date(value)
        elif prop.get("klass") == _STRING:
            out[name] = _read_string(value)
        elif isinstance(value, dict) and prop.get("klass") == legacy_credentials.KLASS:
            out[name] = _credentials(value)
        elif isinstance(value, dict) and registry.is_embedded_klass(str(prop.get("klass")), minor):
            out[name] = _embedded_strings(str(prop.get("klass")), value, minor)
    return out


def _credentials(obj: dict[str, Any]) -> dict[str, Any]:
    """2.41's `userCredentials` object read as a UserCredentialsDto: its dates and strings as
    the same mapper reads a user's own (`legacy_credentials.py`), in the object's order."""
    out = dict(obj)
    for name, value in obj.items():
        if value is None:
            continue
        if name in legacy_credentials.DATES:
            out[name] = read_date(value)
        elif name in legacy_credentials.STRINGS:
            out[name] = _read_string(value)
    return out


def _embedded_strings(klass: str, obj: dict[str, Any], minor: str) -> dict[str, Any]:
    """An embedded object's String properties as EmptyStringToNullStdDeserializer reads them."""
    info = registry.by_klass(klass, minor)
    # the release's own class (2.41.9's AttributeValue has no facts, only its generated
    # properties: `value` a String)
    props = registry.jackson_properties(info.singular, minor) if info else {}
    return {name: _read_string(value)
            if value is not None and props.get(name, {}).get("klass") == _STRING else value
            for name, value in obj.items()}


def _read_enum(klass: str, constants: list[str], value: Any) -> str:
    """Jackson's `EnumDeserializer#deserialize` (`core/jackson_enums.py`, the same deserializer
    the tracker's views meet): an unknown constant's message lists the constants in the order
    of Jackson's lookup (`CompactStringObjectMap#keys`), not their declaration order; an index
    stays in declaration order. Every refusal is a JsonMappingException."""
    try:
        return jackson_enums.read(klass, constants, value)
    except jackson_enums.EnumRefused as exc:
        raise webmessage.UnreadablePayload(str(exc)) from None


def _read_string(value: Any) -> Any:
    """`EmptyStringToNullStdDeserializer#deserialize` of a scalar; an object or array as sent."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # a DoubleNode's text, or the number as sent when a streaming parser read it
        return _written(value) or double_text(value)
    if isinstance(value, int):
        return _written(value) or str(value)
    if value == "":
        return None
    return value


def read_date(value: Any) -> str | None:
    """`ParseDateStdDeserializer#deserialize` of one JSON value → the stored form."""
    if isinstance(value, str):
        try:
            moment = java_dates.parse_date(value)
            return None if moment is None else java_dates.iso_no_tz(moment)
        except ValueError:
            if value.isascii() and value.isdigit() and len(value) > 12:
                # a string's getValueAsLong is NumberInput#parseAsLong with default 0: digits
                # beyond a long read as 0, the epoch
                millis = int(value)
                return _from_epoch(millis if millis < 2**63 else 0, value)
            raise _invalid(value) from None
    if isinstance(value, int) and not isinstance(value, bool):
        return _from_epoch(value, _written(value) or str(value))
    if isinstance(value, bool):
        raise _invalid("true" if value else "false")
    if isinstance(value, float):
        raise _invalid(_written(value) or double_text(value))
    raise _invalid("null")  # an object or an array: no scalar text


def _written(value: float) -> str | None:
    """The text a number was sent with, kept when the body was read as a stream
    (`core/context.py` `WrittenFloat`, `written_int`); None for a number read into a tree."""
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else None


def double_text(value: float) -> str:
    """`Double#toString`, the text `getValueAsString` gives a JSON float read into a tree
    (`DefaultRenderService#fromMetadata`: a DoubleNode): plain from 10^-3 up to 10^7, else
    one digit, the point and the exponent (`1.0E10`); the shortest digits that read back.
    The CRUD endpoints' streaming parser gives the float as sent instead (`_written`)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if str(value).startswith("-") else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    shown = "".join(map(str, digits)).rstrip("0") or "0"
    power = int(exponent) + len(digits) - 1
    return f"{'-' if sign else ''}{shown[0]}.{shown[1:] or '0'}E{power}"


def _from_epoch(millis: int, text: str) -> str:
    if not -(2**63) <= millis < 2**63:  # getValueAsLong overflows
        raise _invalid(text)
    try:
        return java_dates.iso_no_tz(_EPOCH + timedelta(milliseconds=millis))
    except OverflowError:  # beyond the years the store holds (a known limit)
        raise _invalid(text) from None


def _invalid(text: str) -> UnreadableDate:
    return UnreadableDate(f"Invalid date format '{text}', only ISO format or UNIX Epoch "
                          "timestamp is supported.")
