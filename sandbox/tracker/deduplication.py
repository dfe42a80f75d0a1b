"""`/api/potentialDuplicates`: the list, one by uid, and a minimal create.

dhis2-core `webapi/controller/tracker/deduplication/DeduplicationController.java` (2.42.5,
2.43.1; 2.41.9 `webapi/controller/deduplication/DeduplicationController.java`):
- `GET`: `PotentialDuplicateRequestParams` (`status` default OPEN, `ALL` for every status;
  `trackedEntities`; `page`/`pageSize`/`paging`), default fields
  `id,created,lastUpdated,original,duplicate,status`; the envelope is the tracker `Page`
  (`Page.withPager("potentialDuplicates", …)` / `withoutPager`), so it follows
  `tracker_page_envelope` like the tracker exports (`export/query.py#respond_page`);
- `GET /{uid}`: 2.41.9 404 "No potentialDuplicate records found with id '…'." (controller),
  2.42.5/2.43.1 `NotFoundException(PotentialDuplicate.class, uid)`
  (`DefaultDeduplicationService#getPotentialDuplicate`) — `potential_duplicate_not_found_legacy`;
  2.42.5/2.43.1 bind the path id as `UID` (`potential_duplicate_path_uid_typed`): an id that is
  not a UID is 400 "Value 'x' is not valid for path parameter uid. …" before the lookup;
- `POST`: 2.42.5/2.43.1 bind `original`/`duplicate` as `UID`s, a malformed one ("" too)
  Jackson's 400 "JSON parse error: Cannot construct instance of `org.hisp.dhis.common.UID`, …"
  (no errorCode), a number, boolean, object or array refused before `UID#of` in the words of
  `view_scalars.uid_refusal`; 2.41.9's Strings read "" (an object, an array) as null and a
  number or boolean as its text;
  `#validatePotentialDuplicate`: a missing `original`/`duplicate` → 400 "Missing
  required input property 'original'"; a pair already stored (either way round) → 409
  "'A' and 'B is already marked as a potential duplicate" (the quote is missing in Java too);
  each tracked entity must exist and be readable (404 "TrackedEntity with id … could not be
  found."); 2.41.9 checks the entities before the pair (`potential_duplicate_entities_first`):
  an id that is no UID 400 "'x' is not valid value for property 'original'", an unknown one 404
  "No tracked entity found with id 'x'." (a soft-deleted one is found), an unreadable one 403
  "You don't have read access to 'x'."; a status other than OPEN → 409 "Invalid status X,
  creating potential duplicate is allowed using: OPEN"
  (`DefaultDeduplicationService#addPotentialDuplicate`); answers 200 with the stored object.
Updating (`PUT /{uid}`) and merging (`POST /{uid}/merge`) are not modelled.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import objects, spring_params, web_data_binder, webmessage
from scdi.sandbox.core.context import Ctx, not_readable
from scdi.sandbox.core.jackson_strings import string_field
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export.query import page_params, respond_page
from scdi.sandbox.tracker.export.scope import readable
from scdi.sandbox.tracker.imports import view_scalars
from scdi.sandbox.tracker.preheat import Preheat

TABLES = """
CREATE TABLE IF NOT EXISTS potential_duplicates (
    uid TEXT PRIMARY KEY, seq INTEGER NOT NULL, original TEXT NOT NULL, duplicate TEXT NOT NULL,
    status TEXT NOT NULL, created TEXT NOT NULL, last_updated TEXT NOT NULL,
    created_by TEXT, last_updated_by TEXT
);
"""

STATUSES = ("OPEN", "INVALID", "MERGED")
_BOUND_STATUSES = ("ALL", *STATUSES)  # DeduplicationStatus.java, in declaration order
DEFAULT_FIELDS = ("id", "created", "lastUpdated", "original", "duplicate", "status")


def _view(row: dict[str, Any], full: bool = False) -> dict[str, Any]:
    out = {"id": row["uid"], "created": row["created"], "lastUpdated": row["last_updated"],
           "original": row["original"], "duplicate": row["duplicate"], "status": row["status"]}
    if full:
        out.update(createdByUserName=row["created_by"], lastUpdatedByUserName=row["last_updated_by"])
    return out


_E = web_data_binder.Empty
# The list's bean and its properties' empty values (`core/web_data_binder.py`): 2.41.9
# PotentialDuplicateCriteria (`Boolean paging`, `trackedEntities`, `status`) with
# PagingAndSortingCriteriaAdapter's `Integer page`, `Integer pageSize`, `boolean totalPages`,
# `Boolean skipPaging`, `order`; 2.42.5 / 2.43.1 PotentialDuplicateRequestParams (`Integer
# page`, `Integer pageSize`, `boolean paging`, `status`, `order`, `trackedEntities`,
# `fields`). The flags' empty value is false at every release.
_BEAN = {**dict.fromkeys(("page", "pageSize", "status", "order", "trackedEntities", "fields"),
                         _E.NULL),
         "paging": _E.FALSE, "totalPages": _E.FALSE, "skipPaging": _E.FALSE}


def _bean(ctx: Ctx) -> dict[str, web_data_binder.Empty]:
    out = dict(_BEAN)
    # 2.42+ PotentialDuplicateRequestParams, a tracker PageRequestParams without `skipPaging`
    if ctx.release.tracker_paging_flags_primitive:
        del out["totalPages"], out["skipPaging"]
    else:
        del out["fields"]
    return out


def list_duplicates(ctx: Ctx) -> Response:
    web_data_binder.bind(ctx, _bean(ctx))
    args = ctx.request.args
    # `status` a DeduplicationStatus bean property (PotentialDuplicateCriteria at 2.41.9,
    # PotentialDuplicateRequestParams at 2.42.5, 2.43.1; default OPEN): ConvertEnum binds it, a
    # refusal (the empty value too) lists the constants in declaration order, ALL first; a
    # repeated one is refused whole (`convert_enum_values`)
    status = "OPEN" if "status" not in args else spring_params.convert_enum_values(
        "status", args.getlist("status"), _BOUND_STATUSES)
    paging = page_params(ctx)
    sql, params = "SELECT * FROM potential_duplicates WHERE 1=1", []
    if status != "ALL":
        sql += " AND status=?"
        params.append(status)
    # `trackedEntities`, 2.41.9 PotentialDuplicateCriteria's `List<String>` (:45), 2.42.5 /
    # 2.43.1 PotentialDuplicateRequestParams' `List<UID>` (:105): one value cut on commas and
    # trimmed, empty items kept, repeated values each whole (`string_collection`); any item
    # filters (HibernatePotentialDuplicateStore 2.41.9 :162-167, `!isEmpty()`). 2.42+'s
    # `UID#of` refusal of an item is not modelled
    entities = spring_params.string_collection(args.getlist("trackedEntities")) or []
    if entities:
        marks = ",".join("?" * len(entities))
        sql += f" AND (original IN ({marks}) OR duplicate IN ({marks}))"
        params.extend(entities * 2)
    with ctx.store.lock:
        rows = [dict(r) for r in ctx.store.conn.execute(sql + " ORDER BY seq", params)]
    return respond_page(ctx, "potentialDuplicates", rows, paging, _view)


def get_duplicate(ctx: Ctx, uid: str) -> Response:
    ctx.check_path_uids(typed=ctx.release.potential_duplicate_path_uid_typed, uid=uid)
    with ctx.store.lock:
        row = ctx.store.conn.execute(
            "SELECT * FROM potential_duplicates WHERE uid=?", (uid,)).fetchone()
    if row is None:
        if ctx.release.potential_duplicate_not_found_legacy:
            raise webmessage.fail(webmessage.not_found(
                f"No potentialDuplicate records found with id '{uid}'."))
        raise webmessage.fail(webmessage.not_found_object("PotentialDuplicate", uid))
    return webmessage.json_response(_view(dict(row), full=True))


def create_duplicate(ctx: Ctx) -> Response:
    body = ctx.json_body(klass=ctx.release.potential_duplicate_class, numbers_as_written=True,
                         handler=ctx.release.potential_duplicate_handler)
    legacy = ctx.release.potential_duplicate_entities_first
    ids: dict[str, str | None] = {}
    for field in ("original", "duplicate"):
        if legacy:
            # 2.41.9 `deduplication/PotentialDuplicate.java` types both as `String` (:43/:49),
            # read by `EmptyStringToNullStdDeserializer`: "" is null, a number or boolean its
            # text (`false` → "false"), an object or an array null
            ids[field] = string_field(body.get(field))
        elif field in body:
            ids[field] = body[field]
    if not legacy:
        # 2.42.5/2.43.1 `tracker/deduplication/PotentialDuplicate.java` types both as `UID`
        # (2.42.5 :43/:49, 2.43.1 :90/:99): Jackson refuses a malformed one while reading,
        # in the body's order; "" is `UID#of`'s refusal too and a value that is no text never
        # reaches it (`view_scalars.uid_refusal`)
        for field, value in body.items():
            if field in ids:
                try:
                    view_scalars.uid(value)
                except view_scalars.Refused as refused:
                    raise webmessage.fail(not_readable(f"JSON parse error: {refused}")) from None
    for field in ("original", "duplicate"):
        value = ids.get(field)
        if value is None:
            raise webmessage.fail(webmessage.bad_request(
                f"Missing required input property '{field}'"))
        if legacy and not objects.is_uid(value):
            raise webmessage.fail(webmessage.bad_request(
                f"'{value}' is not valid value for property '{field}'"))
    original, duplicate = str(ids["original"]), str(ids["duplicate"])
    if legacy:
        _check_entities_legacy(ctx, original, duplicate)
    with ctx.store.lock:
        exists = ctx.store.conn.execute(
            "SELECT 1 FROM potential_duplicates WHERE (original=? AND duplicate=?) OR "
            "(original=? AND duplicate=?)", (original, duplicate, duplicate, original)).fetchone()
    if exists:
        raise webmessage.fail(webmessage.conflict(
            f"'{original}' and '{duplicate} is already marked as a potential duplicate"))
    if not legacy:
        p = Preheat(ctx.store)
        for uid in (original, duplicate):
            row = tracker_store.get(ctx.store, "trackedEntity", uid)
            if row is None or row["deleted"] or not readable(ctx, p, "trackedEntity", row):
                raise webmessage.fail(webmessage.not_found_object("TrackedEntity", uid))
    status = str(body.get("status") or "OPEN")
    if status != "OPEN":
        # PotentialDuplicateConflictException: CrudControllerAdvice
        # #handlePotentialDuplicateConflictRequest answers conflict(String), no errorCode
        raise webmessage.fail(webmessage.conflict_message(
            f"Invalid status {status}, creating potential duplicate is allowed using: OPEN"))
    stamp = tracker_store.now()
    row = {"uid": body.get("id") or objects.generate_uid(), "original": original,
           "duplicate": duplicate, "status": status, "created": stamp, "last_updated": stamp,
           "created_by": ctx.user.username, "last_updated_by": ctx.user.username}
    with ctx.store.lock, ctx.store.transaction():
        seq = ctx.store.conn.execute(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM potential_duplicates").fetchone()[0]
        ctx.store.conn.execute(
            "INSERT INTO potential_duplicates (uid, seq, original, duplicate, status, created, "
            "last_updated, created_by, last_updated_by) VALUES (?,?,?,?,?,?,?,?,?)",
            (row["uid"], seq, original, duplicate, status, stamp, stamp, ctx.user.username,
             ctx.user.username))
    ctx.extras["committed"] = True
    return webmessage.json_response(_view(row, full=True))


def _check_entities_legacy(ctx: Ctx, original: str, duplicate: str) -> None:
    """2.41.9's order: each entity found and readable (the original first), before the pair."""
    p = Preheat(ctx.store)
    for uid in (original, duplicate):
        # the legacy TrackedEntityService#getTrackedEntity(String) is the Hibernate store's
        # getByUid: no deleted filter, so a soft-deleted entity is found
        row = tracker_store.get(ctx.store, "trackedEntity", uid)
        if row is None:
            raise webmessage.fail(webmessage.not_found(f"No tracked entity found with id '{uid}'."))
        if not readable(ctx, p, "trackedEntity", row):
            raise webmessage.fail(webmessage.forbidden(f"You don't have read access to '{uid}'."))


RULES = (
    Rule("/api/potentialDuplicates", endpoint=list_duplicates, methods=["GET"]),
    Rule("/api/potentialDuplicates", endpoint=create_duplicate, methods=["POST"]),
    Rule("/api/potentialDuplicates/<uid>", endpoint=get_duplicate, methods=["GET"]),
)
