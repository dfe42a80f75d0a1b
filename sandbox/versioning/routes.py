"""`/api/metadata/version`, `/version/history`, `/versions`, `POST /version/create`,
`/version/{name}/data` and `/data.gz`, on a server with metadata versioning off.

dhis2-core `webapi/controller/metadata/version/MetadataVersionController.java` (2.41.9, 2.42.5,
2.43.1): every endpoint starts with `isMetadataVersioningEnabled()` (system setting
`keyVersionEnabled`, false by default: `setting/SystemSettings#getVersionEnabled`) and throws
`BadRequestException("Metadata versioning is not enabled for this instance.")` → 400 E1003
(`CrudControllerAdvice#badRequestException`). `create` and the data downloads need
`F_METADATA_MANAGE` first (`core/authority.py`). The sandbox never enables versioning.
`create` binds its required `@RequestParam VersionType type` (BEST_EFFORT, ATOMIC; Spring's
ConvertEnum of CrudControllerAdvice#initBinder: case-insensitive, untrimmed) before the method body runs, so a
missing type is the container's 400 page (`spring_params.missing_parameter`) and an unknown one
a 400 WebMessage (`CrudControllerAdvice#methodArgumentTypeMismatchException`,
`#getEnumErrorMessage`), both instead of E1003; on 2.41.9 `@PreAuthorize` is a
method interceptor, so that binding error comes before the 403, while 2.42.5's
AuthorityInterceptor refuses in preHandle, before any binding (`authority_interceptor_message`).
"""

from __future__ import annotations

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import authority, spring_params, webmessage
from scdi.sandbox.core.context import Ctx

DISABLED = "Metadata versioning is not enabled for this instance."
AUTHORITY = "F_METADATA_MANAGE"


def disabled(ctx: Ctx, **_: str) -> Response:
    return webmessage.bad_request(DISABLED)


def managed(ctx: Ctx, **_: str) -> Response:
    authority.require(ctx, AUTHORITY)
    return webmessage.bad_request(DISABLED)


VERSION_TYPES = ("BEST_EFFORT", "ATOMIC")


def _check_version_type(ctx: Ctx) -> None:
    raw = ctx.request.args.get("type")
    if raw is None:
        raise spring_params.missing_parameter("type", "VersionType", ctx.release)
    # CrudControllerAdvice#initBinder registers ConvertEnum for every org.hisp.dhis enum
    # (2.41.9 :140-155/:677-694, 2.42.5 :147-162/:721-738, 2.43.1 :147-162/:722-739):
    # EnumUtils#getEnumIgnoreCase, no trimming, the empty value "type cannot be empty."
    spring_params.convert_enum("type", raw, VERSION_TYPES)


def create(ctx: Ctx) -> Response:
    if ctx.release.authority_interceptor_message:
        authority.require(ctx, AUTHORITY)
    _check_version_type(ctx)
    return managed(ctx)


RULES = (
    Rule("/api/metadata/version", endpoint=disabled, methods=["GET"]),
    Rule("/api/metadata/version/history", endpoint=disabled, methods=["GET"]),
    Rule("/api/metadata/versions", endpoint=disabled, methods=["GET"]),
    Rule("/api/metadata/version/create", endpoint=create, methods=["POST"]),
    Rule("/api/metadata/version/<name>/data", endpoint=managed, methods=["GET"]),
    Rule("/api/metadata/version/<name>/data.gz", endpoint=managed, methods=["GET"]),
)
