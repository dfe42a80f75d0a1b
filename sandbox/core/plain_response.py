"""2.41.9's plain response: a WebMessage marked `withPlainResponseBefore(V38)` is written as
its `response` object alone when the request path names an API version below 38.

2.41.9 `dxf2/webmessage/WebMessage.java#withPlainResponseBefore` (:232-235) marks the message;
`webapi/controller/WebMessageControllerAdvice.java#beforeBodyWrite` (:65-92) adds the Location
header first, then returns `getResponse()` when `#isPlainResponse` (:94-99) holds, before it sets
the status or the 4xx Cache-Control: the answer is 200 whatever the import's status.
`#isPlainResponse` compares `common/DhisApiVersion.java#getVersionFromPath` of the path
(`/api/NN/`, a number the enum lacks and a path without one being DEFAULT, V41) with V38.
The controllers that mark their answers at 2.41.9 and that the sandbox serves:
`MetadataImportExportController#postJsonMetadata`/`#postCsvMetadata` (:138, :171),
`DataValueSetController#postJsonDataValueSet` and its XML/ADX/CSV/PDF siblings (:241-301),
`UserController#putJsonObject` (:610). 2.42.5 and 2.43.1 have no such method
(`Release.plain_response_before` None).
"""

from __future__ import annotations

import re

from scdi.sandbox.core.context import Ctx

_API_VERSION = re.compile(r"/api/([0-9]{2})/")


def applies(ctx: Ctx) -> bool:
    """Whether a message marked `withPlainResponseBefore` is written plain for this request."""
    before = ctx.release.plain_response_before
    match = _API_VERSION.search(ctx.request.path)
    if before is None or match is None:
        return False
    version = int(match.group(1))
    low, high = ctx.release.api_versions
    return (version if low <= version <= high else 41) < before
