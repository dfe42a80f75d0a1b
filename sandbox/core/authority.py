"""Authority-guarded endpoints: the 403 answer when the user lacks the authority.

dhis2-core 2.41.9: `@PreAuthorize("hasRole('ALL') or hasRole('X')")` → Spring's
AccessDeniedException "Access is denied" → `CrudControllerAdvice#accessDeniedExceptionHandler`
(403 `forbidden`); 2.42.5 / 2.43.1: `@RequiresAuthority(anyOf = X)` →
`webapi/mvc/interceptor/AuthorityInterceptor#checkForRequiredAuthority` ("Access is denied,
requires one Authority from [X]", ALL always accepted) — `authority_interceptor_message`.
"""

from __future__ import annotations

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx


def require(ctx: Ctx, *authorities: str) -> None:
    if ctx.user.has_any(*authorities):
        return
    message = (f"Access is denied, requires one Authority from [{', '.join(authorities)}]"
               if ctx.release.authority_interceptor_message else "Access is denied")
    raise webmessage.fail(webmessage.error(403, message))
