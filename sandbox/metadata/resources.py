"""`GET /api` (a redirect to `/api/resources`) and `GET /api/resources` (the resource index).

dhis2-core `webapi/controller/IndexController.java`: `#getIndex` sends a redirect to
`ContextUtils#getRootPath` (the server's base and the servlet path) + the resources path
(2.41.9 :64-69, the DispatcherServlet at `/api/*`, so `/resources` after `/api`; 2.42.5 and
2.43.1 :93-98, at `/*`, `/api/resources`): the same absolute URL at the three tags.
`#getResources`/`#createIndexResources`/`#beautify` (2.41.9 :78-105, 2.42.5 / 2.43.1 :100-125) lists every
schema with an API endpoint as `IndexResource` (`webapi/webdomain/IndexResource.java`:
displayName, singular, plural, href; wrapped in `IndexResources#resources`): `#beautify` splits the
capitalised plural before each capital ("Data Elements"), href is `ContextService#getApiPath` +
the schema's relative endpoint. The controller has no `@ApiVersion` at 2.41.9 / 2.42.5
(`Release.unversioned_paths`). The order is `SchemaService#getSchemas`, a HashMap's (2.41.9
:487-489, 2.42.5 :482-484) or ConcurrentHashMap's (2.43.1 :445-447) values keyed by Class,
which the source does not fix: the sandbox lists them in its schema order.
`#createIndexResources` skips a schema without `Schema#hasApiEndpoint` (a relative endpoint or
an absolute one, 2.41.9 `schema/Schema.java` :391-393, 2.42.5 :393-395, 2.43.1 :372-374): only the descriptors
that call `setRelativeApiEndpoint` (`schema_registry/<tag>.json` `relativeApiEndpoint`), so no
`expressionDimensionItems` (its descriptor sets none) while `apiToken` is listed
(`ApiTokenSchemaDescriptor` sets `API_ENDPOINT_OLD`, "/apiToken").
Served: the metadata types with an endpoint, the plurals the generic endpoints map (`crud.py`);
left out: the schemas whose endpoints the sandbox does not serve as such (non-metadata types
with an endpoint).
"""

from __future__ import annotations

import re

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.metadata import registry


def beautify(plural: str) -> str:
    """IndexController#beautify: `StringUtils.capitalize(name).split("(?=[A-Z])")` joined by
    spaces, trimmed."""
    capitalised = plural[:1].upper() + plural[1:]
    return " ".join(re.split(r"(?=[A-Z])", capitalised)).strip()


def index(ctx: Ctx) -> Response:
    # HttpServletResponse#sendRedirect: 302 with the absolute Location, no body
    response = Response(status=302, headers={"Location": f"{ctx.base_url}/api/resources"})
    del response.headers["Content-Type"]
    return response


def resources(ctx: Ctx) -> Response:
    api = f"{ctx.base_url}/api"
    return webmessage.json_response({"resources": [
        {"displayName": beautify(t.plural), "singular": t.singular, "plural": t.plural,
         "href": f"{api}{t.relative_api_endpoint}"}
        for t in registry.metadata_types(ctx.release.minor) if t.relative_api_endpoint]})


RULES = [
    Rule("/api", endpoint=index, methods=["GET"]),
    Rule("/api/resources", endpoint=resources, methods=["GET"]),
]
