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


def require_controller(ctx: Ctx, plural: str, *, write: bool = False) -> None:
    """`AuthorityInterceptor#preHandle`'s class-level branch (2.42.5 and 2.43.1 :75-100, the
    refusal :121-123; registered in `WebMvcConfig#addInterceptors` 2.42.5 :278, 2.43.1 :251): a
    metadata controller annotated `@RequiresAuthority` on the class refuses every one of its
    handler methods (none of AbstractCrudController's carries its own annotation) once Spring
    has chosen the handler and before any argument is bound, so before the type's READ
    authority (E1006), a path UID or a body are looked at — `metadata_controller_authorities`.
    `write`: a handler only AbstractCrudController maps (POST, PUT, PATCH, DELETE, favorites,
    collection items); a read-only controller has none, so it is not its refusal."""
    for guarded, authorities, crud in ctx.release.metadata_controller_authorities:
        if guarded == plural and (crud or not write):
            require(ctx, *authorities)
