"""`/api/maintenance/categoryOptionComboUpdate` and
`/api/maintenance/categoryOptionComboUpdate/categoryCombo/{uid}` (POST or PUT).

dhis2-core `dhis-web-api/.../webapi/controller/MaintenanceController.java`:
- `#updateCategoryOptionCombos()`: `addAndPruneAllOptionCombos` for every category combo;
  2.41.9 and 2.42.5 `@ResponseStatus(NO_CONTENT)` (204, no body), 2.43.1 200 `WebMessageUtils#ok`
  (`maintenance_answers_web_message`);
- `#updateCategoryOptionCombos(uid)`: 409 `conflict("CategoryCombo does not exist: " + uid)`
  (no error code) or `WebMessageUtils#importSummaries` of `addAndPruneOptionCombosWithSummary`:
  ERROR → 409 "An error occurred, please check import summary.", WARNING → 409 "One or more
  conflicts encountered, please check import summary.", else 200 "Import was successful.";
- authority `F_PERFORM_MAINTENANCE` (or `ALL`): 2.41.9 `@PreAuthorize` on each method →
  403 "Access is denied" (`CrudControllerAdvice#accessDeniedExceptionHandler`); 2.42.5/2.43.1
  `@RequiresAuthority(anyOf = F_PERFORM_MAINTENANCE)` on the class →
  `mvc/interceptor/AuthorityInterceptor`: "Access is denied, requires one Authority from
  [F_PERFORM_MAINTENANCE]".
The generation itself is `metadata/option_combos.py`.
"""

from __future__ import annotations

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import authority, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.metadata import option_combos

AUTHORITY = "F_PERFORM_MAINTENANCE"


def _check_authority(ctx: Ctx) -> None:
    authority.require(ctx, AUTHORITY)


def update_all(ctx: Ctx) -> Response:
    _check_authority(ctx)
    with ctx.store.lock, ctx.store.transaction():
        option_combos.update_all(ctx.store, ctx.user, ctx.release.minor)
    if ctx.release.maintenance_answers_web_message:
        return webmessage.ok()
    return webmessage.no_content()


def update_one(ctx: Ctx, uid: str) -> Response:
    _check_authority(ctx)
    if ctx.store.get_object("categoryCombos", uid) is None:
        return webmessage.error(409, f"CategoryCombo does not exist: {uid}")
    with ctx.store.lock, ctx.store.transaction():
        summaries = webmessage.place_response_type(
            ctx.release, option_combos.update_with_summary(ctx.store, ctx.user, uid,
                                                           ctx.release.minor))
    if summaries["status"] == "ERROR":
        return webmessage.error(409, "An error occurred, please check import summary.",
                                response=summaries)
    if summaries["status"] == "WARNING":
        return webmessage.warning("One or more conflicts encountered, please check import "
                                  "summary.", 409, response=summaries)
    return webmessage.ok("Import was successful.", response=summaries)


RULES = (
    Rule("/api/maintenance/categoryOptionComboUpdate", endpoint=update_all,
         methods=["POST", "PUT"]),
    Rule("/api/maintenance/categoryOptionComboUpdate/categoryCombo/<uid>", endpoint=update_one,
         methods=["POST", "PUT"]),
)
