"""`/api/metadata/version`, `/version/history`, `/versions`, `POST /version/create`,
`/version/{name}/data` and `/data.gz`, on a server with metadata versioning off.

dhis2-core `webapi/controller/metadata/version/MetadataVersionController.java` (2.41.9, 2.42.5,
2.43.1): every endpoint starts with `isMetadataVersioningEnabled()` (system setting
`keyVersionEnabled`, false by default: `setting/SystemSettings#getVersionEnabled`) and throws
`BadRequestException("Metadata versioning is not enabled for this instance.")` → 400 E1003
(`CrudControllerAdvice#badRequestException`). `create` and the data downloads need
`F_METADATA_MANAGE` first (`core/authority.py`). The sandbox never enables versioning.
"""

from __future__ import annotations

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import authority, webmessage
from scdi.sandbox.core.context import Ctx

DISABLED = "Metadata versioning is not enabled for this instance."
AUTHORITY = "F_METADATA_MANAGE"


def disabled(ctx: Ctx, **_: str) -> Response:
    return webmessage.bad_request(DISABLED)


def managed(ctx: Ctx, **_: str) -> Response:
    authority.require(ctx, AUTHORITY)
    return webmessage.bad_request(DISABLED)


RULES = (
    Rule("/api/metadata/version", endpoint=disabled, methods=["GET"]),
    Rule("/api/metadata/version/history", endpoint=disabled, methods=["GET"]),
    Rule("/api/metadata/versions", endpoint=disabled, methods=["GET"]),
    Rule("/api/metadata/version/create", endpoint=managed, methods=["POST"]),
    Rule("/api/metadata/version/<name>/data", endpoint=managed, methods=["GET"]),
    Rule("/api/metadata/version/<name>/data.gz", endpoint=managed, methods=["GET"]),
)
