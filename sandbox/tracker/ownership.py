"""`POST /api/tracker/ownership/override` (break the glass) and `PUT /api/tracker/ownership/transfer`.

What each release checks, and in which order, is the release's `tracker_ownership_checks`
(`upstream/releases.py`); the grants themselves are `tracker/temp_owners.py`.

- 2.41.9 `webapi/controller/event/TrackerOwnershipController.java` (:87-128) and
  `dhis-service-core/.../trackedentity/DefaultTrackerOwnershipManager.java`
  (`#transferOwnership` :137-202, `#validateGrantTemporaryOwnershipInputs` :272-325); 2.42.5
  `webapi/controller/tracker/ownership/TrackerOwnershipController.java` (:95-131) and
  `dhis-service-tracker/.../tracker/acl/DefaultTrackerOwnershipManager.java` (:117-169,
  :197-250): the override refuses with 403 and the manager's message when the program or the
  tracked entity does not exist, the user is a superuser, the program is an event program or
  not PROTECTED, the owner is outside the user's search hierarchy (`#isOwnerInUserSearchScope`),
  the user cannot data-read the program or its tracked entity type, or the types differ. The
  transfer needs the org unit in the user's scope, ownership access (`#hasAccess`), the program
  assigned to the org unit and data write on it, and moves an existing owner row only. 2.41
  looks the record up plainly (unknown → nothing done, 200) and refuses ownership with an
  AccessDeniedException (403 without errorCode); 2.42 reads it as the single tracked entity
  export does (`TrackedEntityService#getTrackedEntity(uid, program, …)`, 404s, one without an
  owner row for the program among them: the query joins the program owner) and takes `ou` or
  `orgUnit`.
- 2.43.1 the same controller (:78-99) and `dhis-tracker/.../tracker/acl/
  DefaultTrackerOwnershipManager.java` (`#transferOwnership` :125-185, `#grantTemporaryOwnership`
  :189-264) with `TrackerProgramService.java` (:66-111): the program first (400 unknown or
  event program, 403 without data read or write), a 404 for an unknown tracked entity or org
  unit, the transfer's messages prefixed "Tracked entity not transferred. ", and 400 when the
  record already has that owner (its "No owner found" 400 is kept below but not reached: the
  record's read already needs an owner row).
Not kept: the ownership history (`ProgramOwnershipHistory`) and the grant audit rows.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access.acl import can_data_read, can_data_write
from scdi.sandbox.access.scope import can_search, in_search_hierarchy, owner_access
from scdi.sandbox.core import objects, spring_params, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker import temp_owners
from scdi.sandbox.tracker.export.query import uid_unbound
from scdi.sandbox.tracker.export.routes import find_tracked_entity
from scdi.sandbox.tracker.preheat import Preheat, ref_id

NOT_CREATED = "Temporary ownership not created. "
NOT_TRANSFERRED = "Tracked entity not transferred. "


# -- parameters, bound in the order the controller declares them --------------------------------
def _uid(ctx: Ctx, name: str, required: bool = True) -> str | None:
    """A `@RequestParam UID`: absent is Spring's missing parameter (when required); present, an
    empty value too, it goes through `UID#of` (2.41.9 :65, 2.42.5/2.43.1 :67), whose refusal
    `CrudControllerAdvice#methodArgumentTypeMismatchException` words with
    `#getNotValidValueMessage` ("<name> cannot be empty." for "": 2.41.9 :297-306,
    2.42.5/2.43.1 :304-313)."""
    value = ctx.request.args.get(name)
    if value is None:
        if required:
            raise spring_params.missing_parameter(name, "UID", ctx.release)
        return None
    if not objects.is_uid(value):
        raise uid_unbound(name, value)
    return value


def _text(ctx: Ctx, name: str) -> str:
    value = ctx.request.args.get(name)
    if value is None:
        raise spring_params.missing_parameter(name, "String", ctx.release)
    return value


def _one_of(deprecated: str, old: str | None, new: str, value: str | None) -> str:
    """RequestParamsValidator#validateMandatoryDeprecatedUidParameter (2.41.9 :137-174, 2.42.5
    :110-148), run in the method body, after every parameter is bound."""
    if old and value:
        raise webmessage.fail(webmessage.bad_request(
            f"Only one parameter of '{deprecated}' and '{new}' must be specified. Prefer '{new}' as "
            f"'{deprecated}' will be removed."))
    if not (old or value):
        raise webmessage.fail(webmessage.bad_request(f"Required request parameter '{new}' is not present"))
    return str(value or old)


def _forbidden(message: str, error_code: str | None = "E1006") -> webmessage.HttpError:
    return webmessage.fail(webmessage.error(403, message, error_code))


# -- what both read -----------------------------------------------------------------------------
def _record(ctx: Ctx, uid: str) -> dict[str, Any] | None:
    """The tracked entity as the grant (and 2.41's transfer) finds it: by uid, soft-deleted ones
    too (2.41.9 `DefaultTrackedEntityService#getTrackedEntity(String)` :807-811 and 2.42.5 /
    2.43.1 `IdentifiableObjectManager#get` reach `HibernateIdentifiableObjectStore#getByUid`,
    which has no `deleted` predicate, 2.41.9 :274-287)."""
    return tracker_store.get(ctx.store, "trackedEntity", uid)


def _owner(ctx: Ctx, te: dict[str, Any], program_uid: str) -> tuple[str | None, str]:
    """The owner row's org unit (None without one) and the owner `#getOwner` falls back to."""
    owner = tracker_store.owner_of(ctx.store, te["uid"], program_uid)
    return owner, owner or te["org_unit"]


def _tracker_program(ctx: Ctx, p: Preheat, uid: str, access: str) -> dict[str, Any]:
    """2.43.1 TrackerProgramService#getTrackerProgramWithDataReadAccess/…WriteAccess."""
    program = p.by_uid("programs", uid)
    if program is None:
        raise webmessage.fail(webmessage.bad_request(f"Provided program, {uid}, does not exist."))
    if not is_registration(program):
        raise webmessage.fail(webmessage.bad_request(f"Provided program, {uid}, is not a tracker program."))
    allowed = can_data_read(ctx.user, program) if access == "read" else can_data_write(ctx.user, program)
    if not allowed:
        raise _forbidden(f"Current user doesn't have data {access} access to the provided program {uid}.")
    return program


# -- override -----------------------------------------------------------------------------------
def _override_refusal(ctx: Ctx, p: Preheat, te: dict[str, Any], program: dict[str, Any],
                      validated: bool) -> str | None:
    user, program_uid = ctx.user, program["id"]
    tet_uid = te["tet"]
    program_tet = ref_id(program.get("trackedEntityType"))
    level = (program.get("accessLevel") or "OPEN").upper()
    unit = p.by_uid("organisationUnits", _owner(ctx, te, program_uid)[1])
    checks = {
        "superuser": (user.superuser, "Current user is a superuser."),
        "tracker": (not is_registration(program), "Program supplied is not a tracker program."),
        "protected": (level != "PROTECTED", "Temporary ownership can only be granted to protected programs. "
                                            f"{program_uid} access level is {level}."),
        "search": (not in_search_hierarchy(p, user, unit),
                   "The owner of the entity-program combination is not in the user's search scope."),
        "program": (not can_data_read(user, program), f"User has no data read access to program: {program_uid}"),
        "type": (not can_data_read(user, p.by_uid("trackedEntityTypes", tet_uid)),
                 f"User has no data read access to tracked entity type: {tet_uid}"),
        "same type": (program_tet != tet_uid, f"The tracked entity type of the program {program_tet} "
                                              f"differs from that of the tracked entity {tet_uid}."),
    }
    # 2.43.1 #validateTrackedEntity, #validateProgram, #validateUser (the program's type and data
    # read already checked by TrackerProgramService); 2.41.9/2.42.5 one validation in this order
    order = ("type", "protected", "same type", "superuser", "search") if validated else (
        "superuser", "tracker", "protected", "search", "program", "type", "same type")
    return next((NOT_CREATED + checks[name][1] for name in order if checks[name][0]), None)


def override(ctx: Ctx) -> Response:
    checks = ctx.release.tracker_ownership_checks
    p = Preheat(ctx.store)
    if checks.deprecated_tracked_entity_param:
        old, new = _uid(ctx, "trackedEntityInstance", False), _uid(ctx, "trackedEntity", False)
        reason, program_uid = _text(ctx, "reason"), _text(ctx, "program")
        te_uid = _one_of("trackedEntityInstance", old, "trackedEntity", new)
    else:
        te_uid = str(_uid(ctx, "trackedEntity"))
        reason, program_uid = _text(ctx, "reason"), str(_uid(ctx, "program"))
    te = _record(ctx, te_uid)
    if checks.validated:
        program = _tracker_program(ctx, p, program_uid, "read")
        if te is None:
            raise webmessage.fail(webmessage.not_found(NOT_CREATED + "Tracked entity supplied does not exist."))
    else:
        found = p.by_uid("programs", program_uid)
        if found is None:
            raise _forbidden(NOT_CREATED + "Program supplied does not exist.")
        if te is None:
            raise _forbidden(NOT_CREATED + "Tracked entity supplied does not exist.")
        program = found
    refusal = _override_refusal(ctx, p, te, program, checks.validated)
    if refusal:
        raise _forbidden(refusal)
    with ctx.store.lock, ctx.store.transaction():
        temp_owners.grant(ctx.store, te_uid, program["id"], ctx.user.uid, reason)
        tracker_store.touch(ctx.store, "trackedEntity", te_uid)
    ctx.extras["committed"] = True
    return webmessage.ok("Temporary Ownership granted")


# -- transfer -----------------------------------------------------------------------------------
def _transfer_params(ctx: Ctx) -> tuple[str, str, str]:
    checks = ctx.release.tracker_ownership_checks
    if checks.deprecated_tracked_entity_param:
        old, new = _uid(ctx, "trackedEntityInstance", False), _uid(ctx, "trackedEntity", False)
        program_uid, ou_uid = _text(ctx, "program"), _text(ctx, checks.transfer_org_unit_params[0])
        return _one_of("trackedEntityInstance", old, "trackedEntity", new), program_uid, ou_uid
    te_uid, program_uid = str(_uid(ctx, "trackedEntity")), str(_uid(ctx, "program"))
    names = checks.transfer_org_unit_params
    if len(names) == 1:
        return te_uid, program_uid, str(_uid(ctx, names[0]))
    deprecated, new_name = names
    old_ou, new_ou = _uid(ctx, deprecated, False), _uid(ctx, new_name, False)
    return te_uid, program_uid, _one_of(deprecated, old_ou, new_name, new_ou)


def transfer(ctx: Ctx) -> Response:
    checks = ctx.release.tracker_ownership_checks
    te_uid, program_uid, ou_uid = _transfer_params(ctx)
    p = Preheat(ctx.store)
    done = webmessage.ok("Ownership transferred")
    if checks.transfer_reads_through_export:
        te: dict[str, Any] | None = find_tracked_entity(ctx, p, te_uid)[0]
    else:
        te = _record(ctx, te_uid)
    prefix = NOT_TRANSFERRED if checks.validated else ""
    unit = p.by_uid("organisationUnits", ou_uid)
    if checks.validated:
        program: dict[str, Any] | None = _tracker_program(ctx, p, program_uid, "write")
        if unit is None:
            raise webmessage.fail(webmessage.not_found(NOT_TRANSFERRED + "Org unit supplied does not exist."))
    else:
        program = p.by_uid("programs", program_uid)
    if te is None or program is None or unit is None:
        return done  # #transferOwnership returns at once when one is missing
    user = ctx.user
    effective = ctx.release.tracker_search_scope_adds_capture_units
    if not can_search(p, user, unit, effective=effective):
        raise _forbidden(NOT_TRANSFERRED + "Org unit supplied is not in the user scope.")
    owner_uid, current = _owner(ctx, te, program_uid)
    temporary = temp_owners.has_temporary(ctx.store, te_uid, program_uid, user.uid)
    if not owner_access(p, user, program, p.by_uid("organisationUnits", current), temporary, effective=effective):
        raise _forbidden(prefix + "User does not have access to change ownership for the entity-program combination",
                         "E1006" if checks.transfer_denied_error_code else None)
    if not p.program_has_org_unit(program, ou_uid):
        raise _forbidden(prefix + f"The program {program_uid} is not associated to the org unit {ou_uid}")
    if not checks.validated and not can_data_write(user, program):
        raise _forbidden(f"Current user doesn't have data write access to the provided program {program_uid}.")
    if checks.validated and owner_uid is None:
        raise webmessage.fail(webmessage.bad_request(
            NOT_TRANSFERRED + f"No owner found for the combination of tracked entity {te_uid} and program "
            f"{program_uid}"))
    if checks.validated and owner_uid == ou_uid:
        raise webmessage.fail(webmessage.bad_request(
            NOT_TRANSFERRED + f"The owner of the tracked entity {te_uid} and program {program_uid} is already "
            f"{ou_uid}"))
    if owner_uid is not None and owner_uid != ou_uid:
        with ctx.store.lock, ctx.store.transaction():
            ctx.store.conn.execute("UPDATE program_owners SET org_unit=? WHERE te=? AND program=?",
                                   (ou_uid, te_uid, program_uid))
        ctx.extras["committed"] = True
    return done


RULES = (
    Rule("/api/tracker/ownership/override", endpoint=override, methods=["POST"]),
    Rule("/api/tracker/ownership/transfer", endpoint=transfer, methods=["PUT"]),
)
