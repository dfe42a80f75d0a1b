"""What Spring's `WebDataBinder#doBind` does to the request parameters of a bean before binding
them, for every request-params bean DHIS2 binds as a `@ModelAttribute` (no `@RequestParam`).

Spring Framework 5.3.39 (2.41.9) and 6.2.8 (2.42.5, 2.43.1),
`spring-web/…/web/bind/WebDataBinder.java` (`#doBind` 5.3.39 :203-208, 6.2.8 :231-236), in
this order over the parameters (`ServletRequestParameterPropertyValues`):

1. `#checkFieldDefaults` (5.3.39 :218-232, 6.2.8 :246-260): `!name=v` binds `name=v` when
   `name` is a property of the bean and not given;
2. `#checkFieldMarkers` (5.3.39 :245-260, 6.2.8 :273-288): `_name` binds `name` to its empty
   value (`#getEmptyValue(Class)` 5.3.39 :311-335, 6.2.8 :339-363: `Boolean.FALSE` for a
   `boolean`/`Boolean`, an empty array/collection/map, else null) when `name` is a property
   and still not given;
3. `#adaptEmptyArrayIndices` (5.3.39 :270-281, 6.2.8 :298-309): `name[]=v` binds `name=v`
   when `name` is a property and still not given.

A name that is no property of the bean changes nothing, and `@RequestParam`s are not bound by
this binder, so they never see these rules. The rules and empty values are the same in 5.3.39
and 6.2.8; 6.2's constructor binding (`#resolvePrefixValue` 6.2.8 :207-222, `!`/`_` only) is
for beans without a no-argument constructor, and every bean modelled here has one, so their
properties are bound through `#doBind` at the three tags.

How the sandbox reads the empty value of a property (`Empty`): `FALSE` is the value `false`;
`NULL_PRIMITIVE` is null into an `int`, which `CrudControllerAdvice#handleTypeMismatchException`
words like an empty value ("page cannot be empty. It should be of type int"), so it is bound as
the empty text; `NULL` (null, or an empty collection) leaves the property unset, as absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from scdi.sandbox.core.context import Ctx

DEFAULT_PREFIX = "!"  # WebDataBinder.DEFAULT_FIELD_DEFAULT_PREFIX (5.3.39 :85, 6.2.8 :86)
MARKER_PREFIX = "_"  # WebDataBinder.DEFAULT_FIELD_MARKER_PREFIX (5.3.39 :76, 6.2.8 :77)


class Empty(Enum):
    """A property's empty value (`WebDataBinder#getEmptyValue(Class)`) as the sandbox binds it."""

    FALSE = "false"
    NULL_PRIMITIVE = ""
    NULL = None


def adapted(args: MultiDict[str, str], properties: Mapping[str, Empty]) -> MultiDict[str, str]:
    """`args` with what the three checks add for the bean's `properties`; the other
    parameters are kept as given (a `@RequestParam` reads the request itself)."""
    out: MultiDict[str, str] = MultiDict(args)
    # A property a marker set to null counts as given for the later checks (`mpvs.contains`).
    given = {name for name in args if name in properties}

    def add(field: str, values: list[str]) -> None:
        if field in properties and field not in given:
            given.add(field)
            if values:
                out.setlist(field, values)

    for name in list(args):
        if name.startswith(DEFAULT_PREFIX):
            add(name[len(DEFAULT_PREFIX):], args.getlist(name))
    for name in list(args):
        if name.startswith(MARKER_PREFIX):
            field = name[len(MARKER_PREFIX):]
            empty = properties.get(field, Empty.NULL).value
            add(field, [] if empty is None else [empty])
    for name in list(args):
        if name.endswith("[]"):
            add(name[:-2], args.getlist(name))
    return ImmutableMultiDict(out)


_SENT = "web_data_binder.sent"


def bind(ctx: Ctx, properties: Mapping[str, Empty]) -> None:
    """Let the handler read the bean's properties as Spring binds them: the request's
    parameters are replaced by `adapted` ones for the rest of the request (`sent` keeps
    them as sent, for a `@RequestParam` that shares a property's name)."""
    ctx.extras.setdefault(_SENT, ctx.request.args)
    # werkzeug's `cached_property` takes an assignment (its `__set__`)
    ctx.request.args = adapted(ctx.request.args, properties)


def sent(ctx: Ctx) -> MultiDict[str, str]:
    """The request's parameters as sent, whatever `bind` adapted."""
    args: MultiDict[str, str] = ctx.extras.get(_SENT, ctx.request.args)
    return args
