"""Query helpers for the tracker export: filters, dates, uids, order, paging (org unit modes
and visibility: `scope.py`).

- `filter`: `webapi/controller/tracker/export/FilterParser.java` (`uid:op:value[:op:value]`,
  filters separated by `,`, `/` escapes `/`, `:` and `,`; unary `null`/`!null`; at most three
  operators per uid); operators per `QueryOperator` (`in` values split on `;`). 2.41
  (`tracker_filter_operator_pairs`): `RequestParamsValidator#parseFilters` of 2.41.9, exactly
  one or two `operator:value` pairs, no unary operators, every refusal "Query item or filter is
  invalid: <filter>".
- dates: `…After` inclusive from the start, a date-only `…Before` (any form
  `DateUtils`' date-only parsers read) inclusive to the end of that day (`EndDateTime` →
  `DateUtils#parseDateEndOfTheDay`); the texts `DateUtils#parseDate` reads (`core/java_dates.py`),
  not the import's (`date_arg`).
- paging: `PageRequestParams` (page 1, pageSize 50, totalPages false, paging true; 2.41 also
  `skipPaging`); envelopes from `view/Page.java` per the release table.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Response

from scdi.sandbox.core import java_dates, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.java_hash import copy_capacity, hash_set_order
from scdi.sandbox.core.java_split import java_split
from scdi.sandbox.core.spring_params import (
    bean_value,
    conversion_refused,
    java_parse_int,
    not_valid_value,
    spring_bool,
)
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export.order_criteria import bind_order
from scdi.sandbox.tracker.imports.view_scalars import is_uid
from scdi.sandbox.tracker.preheat import Preheat


def bad(message: str) -> webmessage.HttpError:
    """A BadRequestException of the request mappers and validators: E1003."""
    return webmessage.fail(webmessage.bad_request(message))


def unbound(message: str) -> webmessage.HttpError:
    """A request parameter Spring could not bind (Date, UID, Integer, OrderCriteria, an enum):
    `CrudControllerAdvice#handleBindException` → `badRequest(String)`, no errorCode (2.41.9,
    2.42.5, 2.43.1)."""
    return webmessage.fail(webmessage.bad_request_message(message))


# -- filters ------------------------------------------------------------------------------------
UNARY = ("null", "!null")
BINARY = ("eq", "ieq", "ne", "neq", "nieq", "gt", "ge", "lt", "le", "like", "ilike", "nlike",
          "nilike", "sw", "ew", "in")
NUMERIC_TYPES = ("NUMBER", "INTEGER", "INTEGER_POSITIVE", "INTEGER_NEGATIVE",
                 "INTEGER_ZERO_OR_POSITIVE", "PERCENTAGE", "UNIT_INTERVAL")


@dataclass
class Filter:
    uid: str
    ops: list[tuple[str, str | None]]
    numeric: bool

    def matches(self, value: str | None) -> bool:
        return all(_op(op, arg, value, self.numeric) for op, arg in self.ops)


def _cmp(a: str, b: str, numeric: bool) -> int:
    if numeric:
        try:
            x, y = float(a), float(b)
            return (x > y) - (x < y)
        except ValueError:
            pass
    return (a > b) - (a < b)


def _op(op: str, arg: str | None, value: str | None, numeric: bool) -> bool:
    if op == "null":
        return value is None
    if op == "!null":
        return value is not None
    if op in ("ne", "neq", "nieq", "nlike", "nilike") and value is None:
        return True
    if value is None or arg is None:
        return False
    low, arg_low = value.lower(), arg.lower()
    result: bool
    if op == "eq":
        result = _cmp(value, arg, numeric) == 0 if numeric else value == arg
    elif op == "ieq":
        result = low == arg_low
    elif op in ("ne", "neq"):
        result = (_cmp(value, arg, numeric) != 0) if numeric else value != arg
    elif op == "nieq":
        result = low != arg_low
    elif op in ("gt", "ge", "lt", "le"):
        c = _cmp(value, arg, numeric)
        result = {"gt": c > 0, "ge": c >= 0, "lt": c < 0, "le": c <= 0}[op]
    elif op == "like":
        result = arg in value
    elif op == "ilike":
        result = arg_low in low
    elif op == "nlike":
        result = arg not in value
    elif op == "nilike":
        result = arg_low not in low
    elif op == "sw":
        result = low.startswith(arg_low)
    elif op == "ew":
        result = low.endswith(arg_low)
    else:  # in
        result = low in {v.lower() for v in arg.split(";")}
    return result


# QueryOperator (2.42.5, 2.43.1) constants as the sandbox's operator names; UNARY_OPERATORS is
# NULL and NNULL.
_QUERY_OPERATORS = {"EQ": "eq", "GT": "gt", "GE": "ge", "LT": "lt", "LE": "le", "LIKE": "like",
                    "IN": "in", "SW": "sw", "EW": "ew", "NULL": "null", "NNULL": "!null",
                    "IEQ": "ieq", "NE": "ne", "NEQ": "neq", "NIEQ": "nieq", "NLIKE": "nlike",
                    "ILIKE": "ilike", "NILIKE": "nilike"}


class _NotAnOperator(ValueError):
    """`Enum#valueOf`'s IllegalArgumentException."""


def _from_string(text: str | None) -> str | None:
    """`QueryOperator#fromString`: blank → None; a leading `!` is `N` + the rest upper-cased;
    "NE" → NEQ; else `valueOf` of the upper-cased text."""
    if text is None or not text.strip():
        return None
    if text.strip().startswith("!"):
        name = "N" + text.replace("!", "", 1).upper()
    elif text.strip() == "NE":
        name = "NEQ"
    else:
        name = text.upper()
    if name not in _QUERY_OPERATORS:
        raise _NotAnOperator(text)
    return _QUERY_OPERATORS[name]


def _remove_escapes(value: str) -> str:
    # FilterParser#removeEscapeCharacters: three String#replace in this order
    return value.replace("//", "/").replace("/,", ",").replace("/:", ":")


def parse_filters(param: str, raw: str, value_type: Callable[[str], str | None]) -> list[Filter]:
    """`FilterParser#parseFilters` (2.42.5, 2.43.1) for one request parameter value: a uid, then
    operator or operator:value segments separated by `:`, filters by `,`, `/` escaping `/`, `:`
    and `,`; any refusal is 400 "<param>=<raw> is invalid. <reason>"."""
    def fail(reason: str) -> webmessage.HttpError:
        return bad(f"{param}={raw} is invalid. {reason}")

    def check_uid(text: str) -> str:
        if not is_uid(text):
            raise fail("UID must be an alphanumeric string of 11 characters starting with a "
                       f"letter, but was: {text}")
        return text

    def operator_of(uid: str, text: str) -> str:
        try:
            op = _from_string(text)
        except _NotAnOperator:
            raise fail(f"'{text}' is not a valid operator.") from None
        if op is None:
            raise fail(f"UID '{uid}' is missing an operator (or has too many ':').")
        return op

    def next_operator(text: str | None) -> str | None:
        try:
            return _from_string(text)
        except _NotAnOperator:
            return None

    def check_unary(uid: str, operator: str, value: str | None) -> str | None:
        op = operator_of(uid, operator)
        following = next_operator(value)
        if op in UNARY and value and following is None:
            raise fail(f"Unary operator '{operator}' cannot have a value.")
        return following

    found: dict[str, list[tuple[str, str | None]]] = {}

    def add(uid: str | None, operator: str | None, value: str | None) -> None:
        if uid is None:
            return
        ops = found.setdefault(uid, [])
        if operator is None:
            return
        op = operator_of(uid, operator)
        following = check_unary(uid, operator, value)
        if op in UNARY:
            ops.append((op, None))
            if following in UNARY:
                ops.append((following, None))
            elif following is not None:
                raise fail(f"Binary operator '{value}' must have a value.")
        else:
            if not value:
                raise fail(f"Binary operator '{operator}' must have a value.")
            ops.append((op, _remove_escapes(value)))
        if len(ops) > 3:
            raise fail("A maximum of three operators can be used in a filter.")

    if raw.strip():
        start = end = 0
        uid: str | None = None
        operator: str | None = None
        value: str | None = None
        while end < len(raw):
            ch = raw[end]
            if ch == "/" and end + 1 < len(raw) and raw[end + 1] in "/:,":
                end += 2
                continue
            if ch in ":,":
                if uid is None and (ch == ":" or end > start):  # empty commas are ignored
                    uid = check_uid(raw[start:end])
                elif operator is None:
                    operator = raw[start:end]
                else:
                    value = raw[start:end]
                start = end + 1
            if ch == ",":
                add(uid, operator, value)
                uid = operator = value = None
            elif ch == ":" and value is not None and uid is not None and operator is not None:
                # only two segments after the uid are kept: a unary operator is consumed alone,
                # a binary one with its value
                if operator_of(uid, operator) in UNARY:
                    check_unary(uid, operator, value)
                    add(uid, operator, None)
                    operator = value
                else:
                    add(uid, operator, value)
                    operator = None
                value = None
            end += 1
        if start < end:
            if uid is None:
                uid = check_uid(raw[start:end])
            elif operator is None:
                operator = raw[start:end]
            else:
                value = raw[start:end]
        add(uid, operator, value)
    out: list[Filter] = []
    for key, ops in found.items():
        _add_filter(out, key, ops, value_type)
    return out


def _add_filter(out: list[Filter], uid: str, ops: list[tuple[str, str | None]],
                value_type: Callable[[str], str | None]) -> None:
    """A uid named again (in the same or another `filter`) adds its operators to the first."""
    existing = next((f for f in out if f.uid == uid), None)
    if existing:
        existing.ops.extend(ops)
    else:
        out.append(Filter(uid, ops, value_type(uid) in NUMERIC_TYPES))


# 2.41.9 QueryOperator: `valueOf` of the upper-cased text, `!x` read as `Nx`; no NULL / NNULL
_OPERATORS_2_41 = frozenset({"EQ", "GT", "GE", "LT", "LE", "LIKE", "IN", "SW", "EW", "IEQ", "NE",
                             "NEQ", "NIEQ", "NLIKE", "ILIKE", "NILIKE"})
_UNESCAPED_COMMA = re.compile(r"(?<!/),")
_UNESCAPED_COLON = re.compile(r"(?<!/):")


def _filter_list_2_41(raw: str) -> list[str]:
    """`RequestParamsValidator#filterList` (2.41.9 :479): `//` pairs are taken out before the
    split on unescaped commas and each comes back as one `/`, where it stood when the
    positions come back in ascending order (see `_hash_map_order`)."""
    text, removed, i = list(raw), [], 0
    while i < len(text) - 1:
        if text[i] == "/" and text[i + 1] == "/":
            del text[i:i + 2]
            removed.append(i)
        i += 1
    out: list[str] = []
    beginning, restored = 0, set[int]()
    order = _hash_map_order(removed)
    for part in java_split(_UNESCAPED_COMMA, "".join(text)):
        chars, pad = list(part), 0
        # #restoreEscape (:520-532) walks the HashMap's entries, not the positions in order
        for key in order:
            if key not in restored and key <= beginning + len(part):
                chars.insert(key - beginning + pad, "/")
                pad += 1
                restored.add(key)
        out.append("".join(chars))
        beginning += len(part) + 1
    return out


def _hash_map_order(keys: list[int]) -> list[int]:
    """The iteration order of a `java.util.HashMap<Integer, …>` given these keys in ascending
    order: by bucket (the spread hash `k ^ (k >>> 16)` masked by the capacity), then insertion;
    the capacity starts at 16 and doubles each time the size passes three quarters of it."""
    capacity = 16
    while len(keys) > capacity * 3 // 4:
        capacity *= 2
    return sorted(keys, key=lambda k: ((k ^ (k >> 16)) & (capacity - 1), k))


def _operator_2_41(text: str) -> str | None:
    """`QueryOperator#fromString` (2.41.9) as the sandbox's operator name, None if unknown."""
    name = "N" + text.replace("!", "", 1).upper() if text.strip().startswith("!") else text.upper()
    if text.strip() == "NE":
        name = "NEQ"
    return name.lower() if name in _OPERATORS_2_41 else None


def parse_filters_2_41(raw: str, value_type: Callable[[str], str | None]) -> list[Filter]:
    """`RequestParamsValidator#parseFilters` / `#parseSanitizedFilters` (2.41.9)."""
    out: list[Filter] = []
    if not raw.strip():
        return out
    for item in _filter_list_2_41(raw):
        ops: list[tuple[str, str | None]] = []
        colon = item.find(":")
        if colon < 0 or colon == len(item) - 1:
            uid = item.replace(":", "")
        else:
            uid = item[:colon]
            parts = java_split(_UNESCAPED_COLON, item[colon + 1:])
            if len(parts) not in (2, 4):
                raise bad(f"Query item or filter is invalid: {item}")
            for op_text, value in zip(parts[::2], parts[1::2], strict=True):
                op = _operator_2_41(op_text) if op_text and value else None
                if op is None:
                    raise bad(f"Query item or filter is invalid: {item}")
                ops.append((op, value.replace("/,", ",").replace("/:", ":")))
        _add_filter(out, uid, ops, value_type)
    return out


def _parse(ctx: Ctx, raw: str, value_type: Callable[[str], str | None],
           name: str = "filter") -> list[Filter]:
    if ctx.release.tracker_filter_operator_pairs:
        return parse_filters_2_41(raw, value_type)
    return parse_filters(name, raw, value_type)


def _value_type(p: Preheat, plural: str, uid: str) -> str | None:
    value = (p.by_uid(plural, uid) or {}).get("valueType")
    return str(value) if value else None


def attribute_filters(ctx: Ctx, p: Preheat) -> list[Filter]:
    out = parsed_attribute_filters(ctx, p)
    check_filter_attributes(p, out)
    return out


def parsed_attribute_filters(ctx: Ctx, p: Preheat, name: str = "filter") -> list[Filter]:
    """The request mapper's part: the `filter` (the events' `filterAttributes`) texts parsed,
    no attribute looked up yet."""
    return _parse(ctx, _joined(ctx, name),
                  lambda uid: _value_type(p, "trackedEntityAttributes", uid), name)


def _joined(ctx: Ctx, name: str) -> str:
    """A String property of the bound request params (`TrackedEntityRequestParams#filter`,
    `EventRequestParams#filter`/`#filterAttributes`, 2.41.9, 2.42.5, 2.43.1): Spring's
    ArrayToStringConverter joins a repeated parameter with commas, so the parser reads one text
    (a uid's operators add up across the repeats; a value ending in `/` escapes the comma)."""
    return ",".join(ctx.request.args.getlist(name))


def check_filter_attributes(p: Preheat, filters: list[Filter]) -> None:
    """The service's part: every filtered attribute exists."""
    for f in filters:
        if p.by_uid("trackedEntityAttributes", f.uid) is None:
            # TrackedEntityOperationParamsMapper / EventOperationParamsMapper#mapAttributeFilters
            # (2.41.9, 2.42.5, 2.43.1)
            raise bad(f"attribute filters are invalid. Tracked entity attribute '{f.uid}' does not exist.")


def parsed_data_value_filters(ctx: Ctx, p: Preheat) -> list[Filter]:
    """The events' request mapper's part: the `filter` texts parsed (EventRequestParamsMapper
    #map 2.41.9 :101-105, 2.42.5 :88-92; 2.43.1 Tracker-/SingleEventRequestParamsMapper), no
    data element looked up yet."""
    return _parse(ctx, _joined(ctx, "filter"), lambda uid: _value_type(p, "dataElements", uid))


def check_filter_data_elements(p: Preheat, filters: list[Filter]) -> None:
    """The service's part: every filtered data element exists."""
    for f in filters:
        if p.by_uid("dataElements", f.uid) is None:
            # EventOperationParamsMapper#mapDataElementFilters (2.43.1 TrackerEventOperationParamsMapper)
            raise bad(f"filter is invalid. Data element '{f.uid}' does not exist.")


# -- simple params ------------------------------------------------------------------------------
def date_arg(ctx: Ctx, name: str, end_of_day: bool = False) -> str | None:
    """A `StartDateTime` (`end_of_day`: `EndDateTime`) request parameter in the stored form.
    Spring binds it with `webdomain/StartDateTime#of` → `DateUtils#parseDate` (`EndDateTime#of`
    → `#parseDateEndOfTheDay`), found by `ObjectToObjectConverter`; what Joda cannot read is a
    ConversionFailedException whose cause is Joda's IllegalArgumentException, which
    `CrudControllerAdvice#handleTypeMismatchException` → `#getConversionErrorMessage` appends to
    "Value 'x' is not valid for parameter p." (2.41.9, 2.42.5, 2.43.1)."""
    values = ctx.request.args.getlist(name)
    raw = values[0] if values else None  # a repeated one's first (ArrayToObjectConverter)
    if not raw:
        return None
    try:
        moment = (java_dates.parse_date_end_of_the_day(raw) if end_of_day
                  else java_dates.parse_date(raw))
    except ValueError:
        raise conversion_refused(name, values, raw, java_dates.invalid_format(raw)) from None
    return java_dates.iso_no_tz(moment) if moment else None


def parse_uids(ctx: Ctx, name: str, deprecated: str | None) -> set[str]:
    """A `Set<UID>` bean field (with 2.41's deprecated `;` alias). One value is cut on commas;
    repeated values reach ArrayToCollectionConverter, which converts each whole with `UID#of`
    (5.3.39 :65-90, 6.2.8 :66-91): a value holding a comma is refused as
    `conversion_refused` words it."""
    args = ctx.request.args
    values = args.getlist(name)
    if len(values) > 1:
        for uid in values:
            if not is_uid(uid):
                raise conversion_refused(name, values, uid, f"{UID_PROBLEM}{uid}")
    uids = set(uid_set_values(values))
    if deprecated and ctx.release.accepts_deprecated_tracker_aliases and args.get(deprecated):
        old = deprecated_uid_pieces(args[deprecated])
        if uids and old:
            raise bad(f"Only one parameter of '{deprecated}' (deprecated; semicolon separated UIDs) "
                      f"and '{name}' (comma separated UIDs) must be specified. Prefer '{name}' as "
                      f"'{deprecated}' will be removed.")
        for uid in old:
            if not is_uid(uid):
                # RequestParamsValidator#validateDeprecatedUidsParameter maps them with UID::of:
                # its IllegalArgumentException, CrudControllerAdvice#handleBadRequest (2.41.9)
                raise unbound(f"{UID_PROBLEM}{uid}")
        return set(old)
    for uid in uids:
        if not is_uid(uid):
            raise uid_unbound(name, uid)
    return uids


def uid_set_values(values: list[str]) -> list[str]:
    """What a bound `Set<UID>` field holds, given the request's values of it: repeated, each
    value whole (ArrayToCollectionConverter); one, its comma-separated pieces."""
    if len(values) > 1:
        return list(values)
    return [u for u in (values[0] if values else "").split(",") if u]


def deprecated_uid_pieces(text: str) -> list[str]:
    """2.41's deprecated `;` list as RequestParamsValidator#parseUids holds it (2.41.9
    `webapi/controller/tracker/export/RequestParamsValidator.java` :182-188): TextUtils
    #splitToSet (`dhis-support-commons/…/TextUtils.java` :532-540) cuts it with Java's
    `split(";")`, which keeps empty pieces but the trailing ones (`x;;y` holds "", `;a` holds
    "", `a;` does not), into `new HashSet<>(Arrays.asList(values))`; `UID::of` then maps that
    set in its iteration order (the 2.41 image's JDK 17), so the first piece it refuses is the
    first in bucket order, not as written. 2.42.5 and 2.43.1 keep the method but no mapper
    calls it."""
    pieces = java_split(";", text)
    return hash_set_order(pieces, capacity=copy_capacity(len(pieces), jdk=17))


UID_PROBLEM = "UID must be an alphanumeric string of 11 characters starting with a letter, but was: "


def uid_unbound(name: str, raw: str) -> webmessage.HttpError:
    """A `UID` request parameter `UID#of` refuses, an empty one too:
    `CrudControllerAdvice#getNotValidValueMessage` ("<name> cannot be empty." for "") and
    UID's own message (2.41.9, 2.42.5, 2.43.1)."""
    return unbound(f"{not_valid_value(name, raw)} {UID_PROBLEM}{raw}")


def order_specs(ctx: Ctx, supported: Iterable[str], uid_meaning: str | None = None,
                ) -> list[tuple[str, str]]:
    """`order=field[:asc|desc],…`: Spring binds every `OrderCriteria` first (`bind_order`: an
    item it cannot read is refused before any name is looked at), then
    `RequestParamsValidator#validateOrderParams` refuses the names outside `supported` (with
    `uid_meaning`, the three-argument check, a valid UID passes) and then repeated names, each
    set joined in HashSet order, the supported fields sorted."""
    specs = bind_order(ctx.request.args.getlist("order"))
    if not specs:
        return []
    names = [name for name, _ in specs]
    allowed = set(supported)
    listed = ", ".join(sorted(allowed))
    suffix = (f"Supported are {uid_meaning} UIDs and fields '{listed}'." if uid_meaning is not None
              else f"Supported fields are '{listed}'.") + " All of which can at most be specified once."
    invalid = [n for n in hash_set_order(names)
               if n not in allowed and not (uid_meaning is not None and is_uid(n))]
    if invalid:
        raise bad(f"order parameter is invalid. Cannot order by '{', '.join(invalid)}'. {suffix}")
    repeated = [n for n in hash_set_order(names) if names.count(n) > 1]
    if repeated:
        raise bad(f"order parameter is invalid. '{', '.join(repeated)}' are repeated. {suffix}")
    return specs


Column = str | Callable[[dict[str, Any]], Any]


def sort_rows(ctx: Ctx, rows: list[dict[str, Any]], specs: list[tuple[str, str]],
              columns: Mapping[str, Column],
              uid_value: Callable[[dict[str, Any], str], str | None] | None = None,
              ) -> list[dict[str, Any]]:
    """Rows sorted by the specs: a field by its column (or getter), a UID by `uid_value`, else
    by the tracked entity's attribute value; nulls last ascending, first descending."""
    def sort_key(name: str) -> Callable[[dict[str, Any]], Any]:
        if name in columns:
            column = columns[name]
            get = column if callable(column) else _by_column(column)
            return lambda r: (get(r) is None, get(r) or "")

        if uid_value is not None:
            value_of = uid_value
            return lambda r: (value_of(r, name) is None, value_of(r, name) or "")

        def by_attribute(r: dict[str, Any]) -> Any:
            values = {v["attribute"]: v["value"]
                      for v in tracker_store.attribute_values(ctx.store, r["uid"])}
            return (values.get(name) is None, values.get(name) or "")
        return by_attribute

    for name, direction in reversed(specs):
        rows = sorted(rows, key=sort_key(name), reverse=direction == "desc")
    return rows


def _by_column(column: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: r.get(column)


# -- paging -------------------------------------------------------------------------------------
@dataclass
class Paging:
    paging: bool
    page: int
    page_size: int
    total_pages: bool


def bound_int(ctx: Ctx, name: str) -> int | None:
    """A tracker bean's boxed `Integer page`/`pageSize` (every tracker list's request params,
    2.41.9, 2.42.5, 2.43.1) as Spring binds it. The ConversionService's failure is kept aside
    and `TypeConverterDelegate#convertIfNecessary` falls back to the default
    `CustomNumberEditor(Integer, allowEmpty)`: a value without text (only whitespace) is null,
    any other goes through the same `NumberUtils#parseNumber` (`spring_int`), whose
    NumberFormatException is an IllegalArgumentException, the cause
    `CrudControllerAdvice#handleTypeMismatchException` quotes after the value (2.41.9 :254-277,
    2.42.5 and 2.43.1 :261-284): "Value '10.5' is not valid for parameter page. For input
    string: \"10.5\"" (webapi `SpringBindingTest`, 2.41.9 :106, 2.42.5 and 2.43.1 :108). A
    repeated one binds its first value, or is refused with the array quoted
    (`spring_params.bean_value`)."""
    value: int | None = bean_value(ctx.request.args.getlist(name), name, "Integer")
    return value


def check_page_bounds(ctx: Ctx) -> None:
    """`page`/`pageSize` below 1: 2.41.9 `RequestParamsValidator#validatePaginationBounds`
    (from `#validatePaginationParameters`, before the request mapper), 2.42.5/2.43.1
    `tracker/PageParams` (:61-68, built by the controller after the request mapper)."""
    for name in ("page", "pageSize"):
        value = bound_int(ctx, name)
        if value is not None and value < 1:
            raise bad(f"{name} must be greater than or equal to 1 if specified")


def _flag(ctx: Ctx, name: str) -> bool | None:
    """A flag as Spring's StringToBooleanConverter reads it (true/on/yes/1, false/off/no/0,
    any case, trimmed; blank None); a value it refuses is None here (a bean's binding
    refuses it first, `bean_binding.py`)."""
    try:
        return spring_bool(ctx.request.args.get(name) or "")
    except ValueError:
        return None


def page_params(ctx: Ctx, check_bounds: bool = True, export: bool = False) -> Paging:
    """`check_bounds=False` leaves `check_page_bounds` to the caller (an export whose bounds
    come later in DHIS2's order). `export`: one of the four tracker exports, which at 2.41.9
    run `RequestParamsValidator#validatePaginationParameters` (:406-423): `paging` and
    `skipPaging` that say the same Boolean contradict each other, `paging` wins over
    `skipPaging` (`PageRequestParams#isPaged`), and the unpaged-with-a-page refusal has the
    release's words (`Release.tracker_unpaged_page_message`)."""
    paging = _flag(ctx, "paging") is not False
    if ctx.release.accepts_deprecated_tracker_aliases:
        given, skip = _flag(ctx, "paging"), _flag(ctx, "skipPaging")
        if export and given is not None and skip is not None and given == skip:
            raise bad("Paging can either be enabled or disabled. Prefer 'paging' as 'skipPaging' "
                      "will be removed.")
        paging = given if given is not None else not skip
    page, size = bound_int(ctx, "page"), bound_int(ctx, "pageSize")
    total = _flag(ctx, "totalPages") is True
    if not paging and (page is not None or size is not None or total):
        raise bad(ctx.release.tracker_unpaged_page_message if export else
                  "Paging cannot be disabled with paging=false while also requesting a paginated"
                  " response with page, pageSize and/or totalPages=true")
    if check_bounds:
        check_page_bounds(ctx)
    return Paging(paging, page or 1, size or 50, total)


# UriComponentsBuilder's QUERY_PARAM_PATTERN: name, `=`, value (segments without a name skipped)
_QUERY_PARAM = re.compile(r"([^&=]+)(=?)([^&]+)?")


def _request_url_base(ctx: Ctx) -> str:
    """HttpServletRequestPaths#getContextPath (2.41.9, 2.42.5, 2.43.1): X-Forwarded-Proto when
    it says http or https (as written), else the request's scheme; the server name; the port of
    X-Forwarded-Port when `Integer#parseInt` reads it (a sign, digits, within the int range),
    else the request's, left out when 80 or 443 whatever the scheme."""
    request = ctx.request
    forwarded = request.headers.get("X-Forwarded-Proto")
    scheme = forwarded if forwarded and forwarded.lower() in ("http", "https") else request.scheme
    host = request.host
    name, _, given = host.rpartition(":")
    if not name or not given.isdigit() or host.endswith("]"):
        name, given = host, ""
    port = int(given) if given else (443 if request.scheme == "https" else 80)
    forwarded_port = request.headers.get("X-Forwarded-Port")
    if forwarded_port is not None:
        # a NumberFormatException, which getContextPath catches, keeps the request's port
        with contextlib.suppress(ValueError):
            port = java_parse_int(forwarded_port)
    return f"{scheme}://{name}" + ("" if port in (80, 443) else f":{port}")


def _page_link(ctx: Ctx, page: int) -> str:
    """`Page#getPageLink` (webapi/controller/tracker/view/Page.java, 2.41.9, 2.42.5, 2.43.1) of
    FieldFilterRequestHandler#getRequestURL (the servlet path, the path info and the query
    string as sent, not decoded): UriComponentsBuilder#fromUriString keeps each parameter's
    values together in the order their names first appear, and `replaceQueryParam("page", …)`
    drops every `page` and appends the new one last. On 2.41 a versioned path repeats its
    version (`tracker_page_link_repeats_api_version`)."""
    params: dict[str, list[str | None]] = {}
    for match in _QUERY_PARAM.finditer(ctx.request.query_string.decode("latin-1")):
        name, eq, value = match.groups()
        params.setdefault(name, []).append(value if value is not None else ("" if eq else None))
    params.pop("page", None)
    params["page"] = [str(page)]
    query = "&".join(name if value is None else f"{name}={value}"
                     for name, values in params.items() for value in values)
    path = ctx.request.path
    if ctx.release.tracker_page_link_repeats_api_version:
        version = _API_VERSION_IN_URI.search(path)
        if version is not None:
            path = f"/api/{version.group(2) or 'null'}{path[len('/api'):]}"  # "/" + null
    return f"{_request_url_base(ctx)}{path}?{query}"


# HttpServletRequestPaths.API_VERSION (2.41.9 :35), found anywhere in the URI (`Matcher#find`)
_API_VERSION_IN_URI = re.compile(r"(/api/([0-9]+)?/)")


def respond_page(ctx: Ctx, key: str, rows: list[dict[str, Any]], paging: Paging,
                 render: Callable[[dict[str, Any]], dict[str, Any]],
                 prefetch: Callable[[list[dict[str, Any]]], None] | None = None,
                 linked: bool = False) -> Response:
    """`prefetch(rows)` is told the rows about to be rendered, so it can read what they need
    in batches. `linked`: a page DHIS2 always answers with `Page.withPager(key, page,
    requestURL)` (the change logs; at 2.41.9 through FieldFilterRequestHandler#handle, whose
    Page constructor leaves total and pageCount out and writes no flat fields)."""
    if not paging.paging:
        if prefetch is not None:
            prefetch(rows)
        return webmessage.json_response({key: [render(r) for r in rows]})
    start = (paging.page - 1) * paging.page_size
    chunk = rows[start:start + paging.page_size]
    if prefetch is not None:
        prefetch(chunk)
    items = [render(r) for r in chunk]
    total = len(rows) if paging.total_pages else None
    page_count = -(-total // paging.page_size) if total is not None else None
    envelope = ctx.release.tracker_page_envelope
    if linked and envelope == "pager+flat":
        envelope, total, page_count = "pager", None, None
    if envelope == "instances":
        body: dict[str, Any] = {"page": paging.page, "pageSize": paging.page_size}
        if total is not None:
            body.update(total=total, pageCount=page_count)
        body["instances"] = items
        return webmessage.json_response(body)
    pager: dict[str, Any] = {"page": paging.page, "pageSize": paging.page_size}
    if total is not None:
        pager.update(total=total, pageCount=page_count)
    if envelope == "pager+flat":
        body = {"pager": pager, **pager, key: items}
        return webmessage.json_response(body)
    if paging.page > 1:
        pager["prevPage"] = _page_link(ctx, paging.page - 1)
    if start + paging.page_size < len(rows):
        pager["nextPage"] = _page_link(ctx, paging.page + 1)
    return webmessage.json_response({"pager": pager, key: items})
