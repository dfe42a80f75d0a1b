"""Spring's binding of a tracker export's request params bean, before the controller runs.

`TrackedEntityRequestParams`, `EnrollmentRequestParams` and `RelationshipRequestParams`
(`webapi/controller/tracker/export/…`, 2.41.9, 2.42.5, 2.43.1) are beans: the
`ServletRequestDataBinder` reads the request parameters as `ServletRequestParameterPropertyValues`
(`WebUtils#getParametersStartingWith`, a TreeMap, so in name order), converts each to its
field's type and keeps every failure; `CrudControllerAdvice#handleBindException` answers the
first field error as `#handleTypeMismatchException` words it (400, no errorCode):

- an enum: the editor CrudControllerAdvice registers for every DHIS2 enum (`ConvertEnum`,
  `EnumUtils#getEnumIgnoreCase`: any case, not trimmed, an empty value refused too), "Value 'x'
  is not valid for parameter p. Valid values are: [A, B]" (`#getEnumErrorMessage`), "p cannot
  be empty. …" for an empty one;
- a `Boolean`: `StringToBooleanConverter`'s ConversionFailedException, "Value 'x' is not valid
  for parameter p. Invalid boolean value [x]"; blank is null;
- a `boolean`: the primitive's "It should be of type boolean";
- a `UID`: `UID#of` through ObjectToObjectConverter, an empty value refused too ("p cannot be
  empty. UID must be …, but was: ");
- `Set<UID>`, `Integer`, `StartDateTime`/`EndDateTime`, `List<OrderCriteria>`: the shared
  readers of `query.py`, `order_criteria.py` (an empty `Set<UID>` or `Integer` is none).

A repeated parameter reaches the binder as a `String[]` (`WebUtils#getParametersStartingWith`):
an enum's `ConvertEnum` gets the values joined with commas and refuses them, quoting the array
("Value '[Ljava.lang.String;@…' is not valid …", `spring_params.convert_enum_values`); a
`Boolean`, `boolean`, `Integer`, `UID` or date takes its first value through the
ConversionService (`ArrayToObjectConverter`), and when that fails the `Boolean`s and
`Integer` the default editor's refusal of the joined text, quoting the array
(`spring_params.bean_value`), the `UID` and dates the first value's refusal
(`spring_params.conversion_refused`); a `Set<UID>` converts each value whole
(`ArrayToCollectionConverter`, `query.py#parse_uids`); a `String` gets them joined.

A parameter that names no field of the bean is not bound (nor refused). Before binding, Spring's
`WebDataBinder#doBind` reads `!name`, `_name` and `name[]` for the bean's fields
(`core/web_data_binder.py`; the `text` fields are the `String`s and `fields`, which convert
without failing but take those forms too).
"""

from __future__ import annotations

from collections.abc import Mapping

from scdi.sandbox.core import objects, web_data_binder
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.spring_params import (
    bean_value,
    conversion_refused,
    convert_enum,
    convert_enum_values,
)
from scdi.sandbox.tracker.export.order_criteria import bind_order
from scdi.sandbox.tracker.export.query import UID_PROBLEM, date_arg, parse_uids

# `OrganisationUnitSelectionMode`, 2.41.9 `ProgramStatus` / 2.42.5+ `EnrollmentStatus`,
# `EventStatus`, `AssignedUserSelectionMode`: the same constants in the same order at the
# three tags
ORG_UNIT_MODES = ("SELECTED", "CHILDREN", "DESCENDANTS", "ACCESSIBLE", "CAPTURE", "ALL")
ENROLLMENT_STATUSES = ("ACTIVE", "COMPLETED", "CANCELLED")
EVENT_STATUSES = ("ACTIVE", "COMPLETED", "VISITED", "SCHEDULE", "OVERDUE", "SKIPPED")
ASSIGNED_USER_MODES = ("CURRENT", "PROVIDED", "NONE", "ANY", "ALL")

# A field's type: one of these names or an enum's constants.
Kind = str | tuple[str, ...]


def enum_value(name: str, raw: str | None, constants: tuple[str, ...]) -> str | None:
    """The constant `ConvertEnum` binds `raw` to (None when the parameter is absent)."""
    return None if raw is None else convert_enum(name, raw, constants)


def _bind_one(ctx: Ctx, name: str, kind: Kind) -> None:
    values = ctx.request.args.getlist(name)
    if isinstance(kind, tuple):
        convert_enum_values(name, values, kind)
    elif kind == "uid":
        # ObjectToObjectConverter calls `UID#of` (on the first value of a repeated one,
        # ArrayToObjectConverter), which refuses an empty value too; the refusal's value is the
        # ConversionFailedException's (#getConversionErrorMessage)
        if not objects.is_uid(values[0]):
            raise conversion_refused(name, values, values[0], f"{UID_PROBLEM}{values[0]}")
    elif kind == "uids":
        parse_uids(ctx, name, None)
    elif kind in ("int", "Boolean", "boolean"):
        bean_value(values, name, "Integer" if kind == "int" else kind)
    elif kind in ("start", "end"):
        date_arg(ctx, name, end_of_day=kind == "end")
    elif kind == "order":
        bind_order(values)


def _empty(kind: Kind) -> web_data_binder.Empty:
    """A field's empty value: `Boolean.FALSE` for the flags; null (an enum, a UID, an
    Integer, a date, a String) or an empty collection (`Set<UID>`, `List<OrderCriteria>`,
    `fields`) for the rest, as if absent."""
    flag = kind in ("Boolean", "boolean")
    return web_data_binder.Empty.FALSE if flag else web_data_binder.Empty.NULL


def bind_bean(ctx: Ctx, fields: Mapping[str, Kind]) -> None:
    """Refuse the first parameter, in name order, its field's type cannot take; the handler
    then reads the parameters as the binder adapted them."""
    web_data_binder.bind(ctx, {name: _empty(kind) for name, kind in fields.items()})
    for name in sorted(n for n in ctx.request.args if n in fields):
        _bind_one(ctx, name, fields[name])


def paging_fields(ctx: Ctx) -> dict[str, Kind]:
    """The paging fields every tracker export bean has (`page`, `pageSize` Integers; the
    flags `Boolean` at 2.41.9 with its deprecated `skipPaging`, `boolean` from 2.42.5:
    `Release.tracker_paging_flags_primitive`)."""
    flag = "boolean" if ctx.release.tracker_paging_flags_primitive else "Boolean"
    out: dict[str, Kind] = {"page": "int", "pageSize": "int", "paging": flag, "totalPages": flag,
                            "order": "order"}
    if not ctx.release.tracker_paging_flags_primitive:
        out["skipPaging"] = "Boolean"
    return out
