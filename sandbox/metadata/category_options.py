"""`GET /api/categoryOptions/orgUnits?categoryOptions=a,b`: the org units each category option is
restricted to, as the Android SDK reads them (`CategoryOptionOrganisationUnitsCall`).

dhis2-core 2.42.5 `webapi/controller/category/CategoryOptionController.java#getOrgUnitsAssociations`,
`association/jdbc/JdbcOrgUnitAssociationsStore.java#getOrganisationUnitsAssociationsForCurrentUser`
(`filterNulls=false`) and `association/AbstractOrganisationUnitAssociationsQueryBuilder.java`:
- `categoryOptions` is a `@RequestParam Set<String>` (`spring_params.string_collection`: one
  value cut on commas, its items trimmed, empty items kept, so `,` or a blank value is `{""}`;
  repeated values each whole); missing: 400 as Spring answers a missing required parameter; an
  empty set (one empty value): the IllegalArgumentException's 400
  (`CrudControllerAdvice#illegalArgumentExceptionHandler`);
- an option without org units maps to `[null]` (the left join's aggregate); for non-superusers
  only options they may read, and only org units under their capture org units' roots (an option
  whose org units are all outside is left out); superusers see every association.
"""

from __future__ import annotations

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl
from scdi.sandbox.core import java_hash, spring_params, webmessage
from scdi.sandbox.core.context import Ctx

# HashSetValuedHashMap's DEFAULT_INITIAL_SET_CAPACITY 3: `new HashSet<>(3)`, a table of 4
_VALUE_SET_TABLE = java_hash.table_size_for(3)


def _roots(ctx: Ctx) -> set[str]:
    """`#getUserOrgUnitPaths`: the stored paths of the user's capture org units without ancestors among them."""
    paths = set()
    for uid in ctx.user.capture_org_units:
        unit = ctx.store.get_object("organisationUnits", uid)
        if unit and unit.get("path"):
            paths.add(str(unit["path"]))
    return {p for p in paths if not any(other != p and p.startswith(other) for other in paths)}


def org_units(ctx: Ctx) -> Response:
    bound = spring_params.string_collection(
        spring_params.request_values(ctx.request.args, "categoryOptions", ctx.release))
    if bound is None:
        raise spring_params.missing_parameter("categoryOptions", "Set", ctx.release)
    # the Set's values as the query names them; one that names no option finds no row
    uids = sorted(set(bound))
    if not uids:
        # an IllegalArgumentException: CrudControllerAdvice#illegalArgumentExceptionHandler →
        # badRequest(String), no errorCode (2.41.9, 2.42.5, 2.43.1)
        raise webmessage.fail(webmessage.error(400, "At least one categoryOption uid must be specified"))
    superuser = ctx.user.superuser
    roots = set() if superuser else _roots(ctx)
    out: dict[str, list[str | None]] = {}
    for uid in uids:
        option = ctx.store.get_object("categoryOptions", uid)
        if option is None or (not superuser and not acl.can_read(ctx.user, "categoryOptions", option,
                                                                 ctx.release.minor)):
            continue
        refs = [str(r["id"]) for r in option.get("organisationUnits") or [] if isinstance(r, dict) and r.get("id")]
        if not refs:
            out[uid] = [None]
            continue
        kept: list[str | None] = []
        for ref in refs:
            unit = ctx.store.get_object("organisationUnits", ref) or {}
            if superuser or any(str(unit.get("path", "")).startswith(root) for root in roots):
                kept.append(ref)
        if kept:
            out[uid] = list(java_hash.hash_set_order(
                kept, capacity=java_hash.grown(_VALUE_SET_TABLE, len(set(kept)))))
    # the HashMap holds only the options the query gave rows for
    return webmessage.json_response({uid: out[uid] for uid in java_hash.hash_set_order(out)})


RULES = [Rule("/api/categoryOptions/orgUnits", endpoint=org_units, methods=["GET"])]
