"""`GET /api/icons`, `/api/icons/{key}`, `/api/icons/{key}/icon`.

dhis2-core `webapi/controller/icon/IconController.java` (2.41.9, 2.42.5, 2.43.1):
`#getAllIcons` answers `IconListResponse` `{pager, icons}` (`pager` the metadata `Pager`,
absent with `paging=false`: `IconQueryParams#paging` default true, page 1, page size 50;
`icons` with the default fields `key,keywords,description,fileResource,createdBy,href`);
`#getIconByKey` and the image answer 404 `NotFoundException(Icon.class, key)`
(`icon/DefaultIconService#getIcon`) for an unknown key.

DHIS2 seeds its bundled default icons (`icon/DefaultIcon.java`, images shipped with the
server) at start-up; the sandbox has none of those images, so the list is empty and every key
is unknown (a limit of the sandbox, README "Known limits"). Adding, updating and deleting
custom icons are not modelled.

`IconQueryParams` (`dhis-api/.../icon/IconQueryParams.java`, the same fields at the three tags)
is a bean Spring binds at every release, 2.41 included: `paging` a boolean, `page` and
`pageSize` ints, `type` an `IconTypeFilter` (ALL, CUSTOM, DEFAULT), an org.hisp.dhis enum, so
the ConvertEnum CrudControllerAdvice#initBinder registers for every such enum reads it (any
case, untrimmed, the empty value refused; `core/spring_params.py#convert_enum`). A value that
does not convert is a BindException, answered by
`CrudControllerAdvice#handleBindException` → `#handleTypeMismatchException` (400, no
errorCode); the binder applies the parameters in name order (`WebUtils#getParametersStartingWith`
collects them in a TreeMap), so the first name in that order is reported. Not modelled: the
date filters and `order` (`DefaultIconService#validateQuery`, 2.41.9 :260-279, 2.42.5 :294-313,
2.43.1 :297-316), which no icon could match anyway.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import spring_params, web_data_binder, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.metadata import query

ICONS: list[dict[str, Any]] = []

_TYPES = ("ALL", "CUSTOM", "DEFAULT")  # icon/IconTypeFilter.java, in declaration order
_TRUE, _FALSE = ("true", "on", "yes", "1"), ("false", "off", "no", "0")  # StringToBooleanConverter


def _int_converts(text: str) -> bool:
    """StringToNumberConverterFactory to an int (`spring_params.spring_int`): `Integer#valueOf`
    reads any Unicode decimal digit (`Character#digit`), `0x`/`#` hex, within the int range."""
    try:
        spring_params.spring_int(text)
    except ValueError:
        return False
    return True


def _bind(ctx: Ctx) -> None:
    """Refuse the first IconQueryParams value (in name order) Spring cannot convert."""
    args = ctx.request.args
    for name in sorted(n for n in args if n in ("page", "pageSize", "paging", "type")):
        value = args[name]
        text = value.strip()
        if name == "type":
            # an org.hisp.dhis enum: CrudControllerAdvice's ConvertEnum binds it (any case,
            # untrimmed, the empty value refused)
            spring_params.convert_enum("type", value, _TYPES)
            continue
        if (text.lower() in _TRUE + _FALSE) if name == "paging" else _int_converts(value):
            continue
        kind = "boolean" if name == "paging" else "int"
        raise webmessage.fail(webmessage.bad_request_message(
            f"{spring_params.not_valid_value(name, value)} It should be of type {kind}"))


_E = web_data_binder.Empty
# IconQueryParams' properties (the same at 2.41.9, 2.42.5, 2.43.1) and their empty values
# (`core/web_data_binder.py`): `boolean paging` false, the `int`s a null they refuse
_BEAN = {**dict.fromkeys(("keys", "keywords", "order", "createdStartDate", "createdEndDate",
                          "lastUpdatedStartDate", "lastUpdatedEndDate", "type", "search"),
                         _E.NULL),
         "paging": _E.FALSE, "page": _E.NULL_PRIMITIVE, "pageSize": _E.NULL_PRIMITIVE}


def list_icons(ctx: Ctx) -> Response:
    web_data_binder.bind(ctx, _BEAN)
    _bind(ctx)
    items, pager = query.page(ctx, ICONS, bound=True)
    body: dict[str, Any] = {}
    if pager is not None:
        body["pager"] = pager
    body["icons"] = items
    return webmessage.json_response(body)


def get_icon(ctx: Ctx, key: str) -> Response:
    """`#getIconByKey`, `#getIconData` and the deprecated `/{key}/icon.svg` (which asks
    `iconExists` before it redirects): `NotFoundException(Icon.class, key)`."""
    raise webmessage.fail(webmessage.not_found_object("Icon", key))


RULES = (
    Rule("/api/icons", endpoint=list_icons, methods=["GET"]),
    Rule("/api/icons/<key>", endpoint=get_icon, methods=["GET"]),
    Rule("/api/icons/<key>/icon", endpoint=get_icon, methods=["GET"]),
    Rule("/api/icons/<key>/icon.svg", endpoint=get_icon, methods=["GET"]),
)
