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
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.metadata import query

ICONS: list[dict[str, Any]] = []


def list_icons(ctx: Ctx) -> Response:
    items, pager = query.page(ctx, ICONS)
    body: dict[str, Any] = {}
    if pager is not None:
        body["pager"] = pager
    body["icons"] = items
    return webmessage.json_response(body)


def get_icon(ctx: Ctx, key: str) -> Response:
    raise webmessage.fail(webmessage.not_found_object("Icon", key))


RULES = (
    Rule("/api/icons", endpoint=list_icons, methods=["GET"]),
    Rule("/api/icons/<key>", endpoint=get_icon, methods=["GET"]),
    Rule("/api/icons/<key>/icon", endpoint=get_icon, methods=["GET"]),
)
