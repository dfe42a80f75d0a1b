"""A `filter` value read as its property's type, as DHIS2's query parser reads it.

dhis2-core (2.41.9 = 2.42.5 = 2.43.1): `query/DefaultQueryParser#createFilter` (2.41.9
`DefaultJpaQueryParser`) hands each value to `query/QueryUtils#parseValue` with the property's
klass; what does not convert is a QueryParserException, so a 409 without errorCode:
- `Integer.valueOf` → "Unable to parse `x` as `Integer`." (`Float`, `Double` likewise);
- `Boolean.valueOf` never fails: anything but `true` (any case) is false;
- `DateUtils#parseDate` (Joda, `SUPPORTED_DATE_FORMAT_PARSERS`, `core/java_dates.py`) → "… as
  `Date`."; a date is compared as its moment;
- an enum by constant name → "Unable to parse `x` as `class <klass>`, available values are:
  [A, B]";
- a collection (or map) property: `[a,b]` or a size (`Integer.valueOf`, "Collection size must
  be integer `x`");
- any other klass but String (a reference, an embedded object) → "Unable to parse `x` to `Y`.".
The operator then refuses a value of a type it does not take (`operators/Operator#validateArgs`:
"Value `5` of type `Integer` is not supported by this operator."): the like and token operators
take strings only, gt/ge/lt/le no enum, none a parsed list; a Date it refuses prints as
`java.util.Date#toString` in the server's zone (`java_dates.date_to_string`).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from scdi.sandbox.core import java_dates, java_double, java_string
from scdi.sandbox.core.java_split import java_split
from scdi.sandbox.core.spring_params import java_double_of, java_parse_int


class FilterValueError(Exception):
    """The QueryParserException's message."""


# the Java types each operator takes (operators/*Operator.java constructors)
_STRING_ONLY = frozenset({
    "like", "!like", "$like", "!$like", "like$", "!like$", "ilike", "!ilike", "startsWith",
    "$ilike", "!$ilike", "token", "!token", "endsWith", "ilike$", "!ilike$", "ieq"})
_ORDERED = frozenset({"gt", "lt", "gte", "ge", "lte", "le"})
_EQUALITY = frozenset({"eq", "!eq", "neq", "ne"})
_SIMPLE = {"java.lang.Integer": "Integer", "java.lang.Boolean": "Boolean",
           "java.lang.Float": "Float", "java.lang.Double": "Double", "java.util.Date": "Date"}
_COLLECTIONS = frozenset({"java.util.List", "java.util.Set", "java.util.Collection",
                          "java.util.Map", "java.util.SortedSet", "java.util.LinkedHashSet"})


def _unable(value: str, simple: str) -> FilterValueError:
    return FilterValueError(f"Unable to parse `{value}` as `{simple}`.")


def _parse(klass: str, prop: dict[str, Any] | None, value: str) -> tuple[str, str]:
    """`QueryUtils#parseValue(klass, value)` → (the value as the sandbox compares it, the
    Java type's simple name); raises the parser's message when it does not convert."""
    simple = _SIMPLE.get(klass)
    if simple == "Integer":
        try:
            return str(java_parse_int(value)), simple  # Integer#valueOf
        except ValueError:
            raise _unable(value, simple) from None
    if simple == "Boolean":
        return ("true" if value.lower() == "true" else "false"), simple
    if simple in ("Float", "Double"):
        try:
            number = java_double_of(value)  # Float#valueOf / Double#valueOf, hex floats too
        except ValueError:
            raise _unable(value, simple) from None
        if math.isnan(number) or math.isinf(number):
            return java_string.trim(value), simple
        # as the sandbox writes a stored number: `5` for 5.0
        return java_double.to_string(number).removesuffix(".0"), simple
    if simple == "Date":
        try:
            moment = java_dates.parse_date(value)
        except ValueError:
            raise _unable(value, simple) from None
        # compared as the moment it is, in the form the sandbox stores dates in
        return ("" if moment is None else java_dates.iso_no_tz(moment)), simple
    if prop is not None and prop.get("propertyType") == "CONSTANT" and prop.get("constants"):
        constants = [str(c) for c in prop["constants"]]
        if value not in constants:
            raise FilterValueError(f"Unable to parse `{value}` as `class {klass}`, available "
                                   f"values are: [{', '.join(constants)}]")
        return value, klass.rsplit(".", 1)[-1].rsplit("$", 1)[-1]
    if klass == "java.lang.String":
        return value, "String"
    raise FilterValueError(f"Unable to parse `{value}` to `{klass.rsplit('.', 1)[-1]}`.")


def read(prop: dict[str, Any] | None, op: str, arg: str | None) -> str | None:
    """The filter's value as DHIS2 reads it for `prop` (None: not a schema property, kept as
    text); the in-operators' items and the operators without a value are left to the caller."""
    if prop is None or arg is None or op in ("in", "!in", "null", "!null", "empty", "!empty"):
        return arg
    klass = str(prop.get("klass") or "")
    if prop.get("collection") or klass in _COLLECTIONS:
        if arg.startswith("[") and arg.endswith("]"):
            shown = ", ".join(java_split(",", arg[1:-1]))
            raise FilterValueError(f"Value `[{shown}]` of type `ArrayList` is not supported "
                                   "by this operator.")
        try:
            value, simple = str(java_parse_int(arg)), "Integer"
        except ValueError:
            raise FilterValueError(f"Collection size must be integer `{arg}`") from None
    else:
        value, simple = _parse(klass, prop, arg)
    refused = ((op in _STRING_ONLY and simple != "String")
               or (op in _ORDERED and simple not in ("String", "Boolean", "Integer", "Float",
                                                     "Double", "Date"))
               or (op in _EQUALITY and simple == "ArrayList"))
    if refused:
        raise FilterValueError(f"Value `{_java_text(value, simple)}` of type `{simple}` is not "
                               "supported by this operator.")
    return value


def _java_text(value: str, simple: str) -> str:
    if simple in ("Float", "Double"):
        return java_double.to_string(float(value.rstrip("fFdD")))
    if simple == "Date":  # java.util.Date#toString
        return java_dates.date_to_string(datetime.fromisoformat(value))
    return value


def read_items(prop: dict[str, Any] | None, arg: str) -> str:
    """`in`/`!in`: each item read as the property's item klass (a collection) or klass; the
    items as the sandbox compares them, between brackets."""
    if prop is None or not (arg.startswith("[") and arg.endswith("]")):
        return arg
    klass = str(prop.get("itemKlass") if prop.get("collection") else prop.get("klass") or "")
    item_prop = None if prop.get("collection") else prop
    return "[" + ",".join(_parse(klass, item_prop, item)[0]
                          for item in java_split(",", arg[1:-1])) + "]"
