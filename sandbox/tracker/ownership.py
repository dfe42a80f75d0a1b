"""`POST /api/tracker/ownership/override` (break the glass) and `PUT /api/tracker/ownership/transfer`.

dhis2-core 2.42.5 `webapi/controller/tracker/ownership/TrackerOwnershipController.java` and
`tracker/acl/DefaultTrackerOwnershipManager.java`:
- override (`#grantTemporaryOwnership`, `#validateGrantTemporaryOwnershipInputs`): 403 with the
  manager's message when the program or tracked entity does not exist, the user is a superuser,
  the program is an event program or not PROTECTED, the owner is outside the user's search
  scope, the user cannot data-read the program or its tracked entity type, or the types differ;
  otherwise a grant for 3 hours (`TEMPORARY_OWNERSHIP_VALIDITY_IN_HOURS`) that
  `#hasAccess` honours for PROTECTED programs; 200 "Temporary Ownership granted";
- transfer (`#transferOwnership`): `ou` (2.42 also `orgUnit`); an unknown program or org unit
  does nothing; the org unit must be in the user's search scope, the user must own the record
  (`#hasAccess`), the program must be assigned to the org unit and data-writable; 200
  "Ownership transferred".
Audit and ownership history rows are not kept.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access.acl import can_data_read, can_data_write
from scdi.sandbox.access.scope import can_search, owner_access
from scdi.sandbox.core import objects, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.store import Store
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.preheat import Preheat, ref_id

TABLES = """
CREATE TABLE IF NOT EXISTS program_temp_owners (
    te TEXT NOT NULL, program TEXT NOT NULL, user_uid TEXT NOT NULL, reason TEXT,
    valid_till TEXT NOT NULL
);
"""
VALIDITY = timedelta(hours=3)
_STAMP = "%Y-%m-%dT%H:%M:%S.%f"


def has_temporary(store: Store, te: str | None, program: str, user_uid: str) -> bool:
    """`DefaultTrackerOwnershipManager#hasTemporaryAccess`: an unexpired grant for the triple."""
    if not te:
        return False
    with store.lock:
        row = store.conn.execute(
            "SELECT 1 FROM program_temp_owners WHERE te=? AND program=? AND user_uid=? AND valid_till>?",
            (te, program, user_uid, datetime.now(UTC).strftime(_STAMP))).fetchone()
    return row is not None


def _param(ctx: Ctx, name: str) -> str:
    """`@RequestParam UID`: Spring's missing-parameter and conversion refusals, no errorCode."""
    value = ctx.request.args.get(name)
    if not value:
        raise webmessage.fail(webmessage.bad_request_message(
            f"Required request parameter '{name}' for method parameter type UID is not present"))
    if not objects.is_uid(value):
        raise webmessage.fail(webmessage.bad_request_message(
            f"Value '{value}' is not valid for parameter {name}. UID must be an alphanumeric string of 11 "
            "characters starting with a letter."))
    return value


def _forbidden(message: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.forbidden(message))


def override(ctx: Ctx) -> Response:
    te_uid, program_uid = _param(ctx, "trackedEntity"), _param(ctx, "program")
    reason = ctx.request.args.get("reason")
    if reason is None:
        raise webmessage.fail(webmessage.bad_request_message(
            "Required request parameter 'reason' for method parameter type String is not present"))
    p = Preheat(ctx.store)
    program = p.by_uid("programs", program_uid)
    te = tracker_store.get(ctx.store, "trackedEntity", te_uid)
    user = ctx.user
    prefix = "Temporary ownership not created. "
    if program is None:
        raise _forbidden(prefix + "Program supplied does not exist.")
    if te is None or te["deleted"]:
        raise _forbidden(prefix + "Tracked entity supplied does not exist.")
    if user.superuser:
        raise _forbidden(prefix + "Current user is a superuser.")
    if not p.is_registration(program):
        raise _forbidden(prefix + "Program supplied is not a tracker program.")
    level = (program.get("accessLevel") or "OPEN").upper()
    if level != "PROTECTED":
        raise _forbidden(prefix + "Temporary ownership can only be granted to protected programs. "
                         f"{program_uid} access level is {level}.")
    owner = tracker_store.owner_of(ctx.store, te_uid, program_uid) or te["org_unit"]
    if not can_search(p, user, p.by_uid("organisationUnits", owner)):
        raise _forbidden(prefix + "The owner of the entity-program combination is not in the user's search scope.")
    if not can_data_read(user, program):
        raise _forbidden(prefix + f"User has no data read access to program: {program_uid}")
    tet = p.by_uid("trackedEntityTypes", te["tet"])
    if not can_data_read(user, tet):
        raise _forbidden(prefix + f"User has no data read access to tracked entity type: {te['tet']}")
    if ref_id(program.get("trackedEntityType")) != te["tet"]:
        raise _forbidden(prefix + f"The tracked entity type of the program {ref_id(program.get('trackedEntityType'))} "
                         f"differs from that of the tracked entity {te['tet']}.")
    till = (datetime.now(UTC) + VALIDITY).strftime(_STAMP)
    with ctx.store.lock, ctx.store.transaction():
        ctx.store.conn.execute(
            "INSERT INTO program_temp_owners (te, program, user_uid, reason, valid_till) VALUES (?,?,?,?,?)",
            (te_uid, program_uid, user.uid, reason, till))
        tracker_store.touch(ctx.store, "trackedEntity", te_uid)
    ctx.extras["committed"] = True
    return webmessage.ok("Temporary Ownership granted")


def transfer(ctx: Ctx) -> Response:
    te_uid, program_uid = _param(ctx, "trackedEntity"), _param(ctx, "program")
    name = "ou" if ctx.request.args.get("ou") or ctx.release.minor == "2.41" else "orgUnit"
    ou_uid = _param(ctx, name)
    p = Preheat(ctx.store)
    te = tracker_store.get(ctx.store, "trackedEntity", te_uid)
    if te is None or te["deleted"]:
        raise webmessage.fail(webmessage.not_found_object("TrackedEntity", te_uid))
    program = p.by_uid("programs", program_uid)
    unit = p.by_uid("organisationUnits", ou_uid)
    if program is None or unit is None:
        return webmessage.ok("Ownership transferred")
    user = ctx.user
    if not can_search(p, user, unit):
        raise _forbidden("Tracked entity not transferred. Org unit supplied is not in the user scope.")
    owner_uid = tracker_store.owner_of(ctx.store, te_uid, program_uid)
    owner = p.by_uid("organisationUnits", owner_uid or te["org_unit"])
    if not owner_access(p, user, program, owner, temporary=has_temporary(ctx.store, te_uid, program_uid, user.uid)):
        raise _forbidden("User does not have access to change ownership for the entity-program combination")
    if not p.program_has_org_unit(program, ou_uid):
        raise _forbidden(f"The program {program_uid} is not associated to the org unit {ou_uid}")
    if not can_data_write(user, program):
        raise _forbidden(f"Current user doesn't have data write access to the provided program {program_uid}.")
    if owner_uid is not None and owner_uid != ou_uid:
        with ctx.store.lock, ctx.store.transaction():
            ctx.store.conn.execute("UPDATE program_owners SET org_unit=? WHERE te=? AND program=?",
                                   (ou_uid, te_uid, program_uid))
        ctx.extras["committed"] = True
    return webmessage.ok("Ownership transferred")


RULES = (
    Rule("/api/tracker/ownership/override", endpoint=override, methods=["POST"]),
    Rule("/api/tracker/ownership/transfer", endpoint=transfer, methods=["PUT"]),
)
