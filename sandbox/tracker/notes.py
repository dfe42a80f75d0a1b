"""`POST /api/tracker/enrollments/{uid}/note` and `/api/tracker/events/{uid}/note` (2.42+).

dhis2-core `dhis-web-api/.../webapi/controller/tracker/imports/TrackerImportController.java`
`#addNoteToEnrollment` / `#addNoteToEvent` (2.42.5, 2.43.1; absent at 2.41.9, where the path
is not mapped: `tracker_note_endpoints`), `tracker/imports/note/DefaultNoteService.java` and
`JdbcNoteStore.java`:
- the body is read first, its members in the body's order: `view/Note.java`'s `UID note`
  (2.42.5 and 2.43.1 :55-57), a malformed text Jackson's "Cannot construct instance of
  `org.hisp.dhis.common.UID`, problem: …" (`common/UID.java#of`), a number, boolean, object or
  array refused before `UID#of` as `view_scalars.uid_refusal` words it, and `storedAt` an
  `Instant` (`ParseInstantStdDeserializer`), each Spring 6's "JSON parse error: " + the
  original message; then the path's `UID` uid, whose failed conversion
  `CrudControllerAdvice#methodArgumentTypeMismatchException` answers "Value 'x' is not valid
  for path parameter uid. …"; both are `badRequest(message)`, without errorCode;
- the enrollment / event must exist and be readable (`EnrollmentService#getEnrollment`,
  `EventService#getEvent`): else 404 `NotFoundException` "Enrollment with id … could not be
  found." / "Event with id …";
- `#validateNote`: a null or empty `value` → 400 "Value cannot be empty" (`view/Note.value` is
  a String, so a number or boolean is its text, "0" / "false", and passes); an existing note uid → 400
  "Note `uid` already exists.";
- the note is stored with `creator` = the payload's `storedBy` (2.42.5 :110; 2.43.1 :130 the
  current user's username, `tracker_note_stored_by_user`), `lastupdatedby` = the current
  user (exported as `createdBy`) and `created` = now (exported as `storedAt`); a missing note
  uid is generated (`view/Note.java`, `@Builder.Default UID.generate()`), a JSON null one is
  the domain Note's Lombok null check, 500 "note is marked non-null but is null", before the
  target's lookup;
- the answer is 200 with the request's note as read (its generated uid included; nulls are not
  written).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import jackson_json, objects, unmapped, webmessage
from scdi.sandbox.core.context import Ctx, not_readable
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export.scope import enrollment_readable, event_readable
from scdi.sandbox.tracker.imports import view_scalars
from scdi.sandbox.tracker.imports.payload import note_text
from scdi.sandbox.tracker.preheat import Preheat


def _not_mapped(ctx: Ctx) -> Response:
    """What the app answers for a path no controller maps (core/app.py)."""
    return unmapped.answer(ctx.request, ctx.release)


def _creator(ctx: Ctx) -> dict[str, Any]:
    obj = ctx.store.get_object("users", ctx.user.uid) or {}
    return {"uid": ctx.user.uid, "username": ctx.user.username,
            "firstName": obj.get("firstName"), "surname": obj.get("surname")}


# `Method#toGenericString` of #addNoteToEnrollment / #addNoteToEvent (2.42.5 :237-238 / :246-247,
# 2.43.1 :235-236 / :244-245), named by a missing body's "Required request body is missing: …"
_HANDLER = ("public org.springframework.http.ResponseEntity"
            "<org.hisp.dhis.webapi.controller.tracker.view.Note> "
            "org.hisp.dhis.webapi.controller.tracker.imports.TrackerImportController"
            ".addNoteTo{kind}(org.hisp.dhis.webapi.controller.tracker.view.Note,"
            "org.hisp.dhis.common.UID) throws org.hisp.dhis.feedback.ForbiddenException,"
            "org.hisp.dhis.feedback.NotFoundException,org.hisp.dhis.feedback.BadRequestException")


def _add_note(ctx: Ctx, kind: str, type_name: str, uid: str) -> Response:
    if not ctx.release.tracker_note_endpoints:
        return _not_mapped(ctx)
    # `consumes = APPLICATION_JSON_VALUE` (2.42.5 :236/:245, 2.43.1 :234/:243): another media
    # type is Spring's 415 before the body or the path's UID is bound
    ctx.require_media_type("application/json")
    # numbers as written: `value` and `storedBy` are Strings filled from a number's getText()
    body = ctx.json_body(klass="org.hisp.dhis.webapi.controller.tracker.view.Note",
                         numbers_as_written=True, handler=_HANDLER.format(kind=type_name))
    # A missing `note` is the view's `@Builder.Default UID.generate()`; a JSON null is set.
    note_uid = body["note"] if "note" in body else objects.generate_uid()
    stored_at = None
    # Jackson reads the members in the body's order, so the first refused one answers; a
    # `note` that is no text never reaches `UID#of` (`view_scalars.uid_refusal`).
    for member, value in body.items():
        try:
            if member == "note":
                view_scalars.uid(value)
            elif member == "storedAt":
                stored_at = view_scalars.instant(value)
        except view_scalars.Refused as refused:
            raise webmessage.fail(not_readable(f"JSON parse error: {refused}")) from None
    # The @RequestBody is resolved before the @PathVariable.
    ctx.check_path_uids(typed=True, uid=uid)
    if note_uid is None:
        # The controller maps the view before calling the service: the domain Note's
        # `@Nonnull UID note` is Lombok-checked (`tracker/imports/domain/Note.java`), so a null
        # is a NullPointerException before the target's lookup (defaultExceptionHandler, 500).
        raise webmessage.UncaughtException("note is marked non-null but is null")
    p = Preheat(ctx.store)
    row = tracker_store.get(ctx.store, kind, uid)
    readable = row is not None and not row["deleted"] and (
        enrollment_readable(ctx, p, row) if kind == "enrollment" else event_readable(ctx, p, row))
    if not readable:
        raise webmessage.fail(webmessage.not_found_object(type_name, uid))
    value = note_text(body.get("value"))
    if not value:
        raise webmessage.fail(webmessage.bad_request("Value cannot be empty"))
    if tracker_store.note_exists(ctx.store, note_uid):
        raise webmessage.fail(webmessage.bad_request(f"Note `{note_uid}` already exists."))
    stored_by = ctx.user.username if ctx.release.tracker_note_stored_by_user else body.get("storedBy")
    stored = {"note": note_uid, "value": value, "storedAt": tracker_store.now(),
              "storedBy": stored_by, "createdBy": _creator(ctx)}
    with ctx.store.lock, ctx.store.transaction():
        tracker_store.append_notes(ctx.store, kind, uid, [stored])
    ctx.extras["committed"] = True
    echo = {"note": note_uid, "storedAt": stored_at, "value": value,
            "createdBy": body.get("createdBy"), "storedBy": body.get("storedBy")}
    # `ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)` (TrackerImportController
    # #addNoteToEnrollment/#addNoteToEvent, 2.42.5 :242/:251, 2.43.1 :240/:249): Tomcat adds the
    # charset the UTF-8 CharacterEncodingFilter set before the handler, as for a file's data
    return Response(jackson_json.dumps({k: v for k, v in echo.items() if v is not None}),
                    status=200, content_type=webmessage.JSON_TYPE)


def add_enrollment_note(ctx: Ctx, uid: str) -> Response:
    return _add_note(ctx, "enrollment", "Enrollment", uid)


def add_event_note(ctx: Ctx, uid: str) -> Response:
    return _add_note(ctx, "event", "Event", uid)


RULES = (
    Rule("/api/tracker/enrollments/<uid>/note", endpoint=add_enrollment_note, methods=["POST"]),
    Rule("/api/tracker/events/<uid>/note", endpoint=add_event_note, methods=["POST"]),
)
