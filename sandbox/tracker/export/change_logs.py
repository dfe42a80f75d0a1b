"""`GET /api/tracker/trackedEntities/{uid}/changeLogs` and `/api/tracker/events/{uid}/changeLogs`.

dhis2-core (the three tags have both endpoints):
- `webapi/controller/tracker/export/trackedentity/TrackedEntitiesExportController
  #getTrackedEntityAttributeChangeLog` (2.41.9) / `#getTrackedEntityChangeLog` (2.42.5, 2.43.1)
  and `export/event/EventsExportController#getEventChangeLogsByUid`: `ChangeLogRequestParams`
  (`page` 1, `pageSize` 50, default fields `change,createdAt,createdBy,type`),
  `Page.withPager("changeLogs", page, requestURL)` at every release (2.41.9 through
  `FieldFilterRequestHandler#handle`: the pager with prevPage/nextPage links, no totals and no
  flat fields even where the lists keep them; `export/query.py#respond_page`, `linked`);
- entries: 2.41.9 `tracker/export/trackedentity/TrackedEntityChangeLog.java` and
  `tracker/export/event/EventChangeLog.java` records, 2.42.5/2.43.1
  `webapi/controller/tracker/view/TrackedEntityChangeLog.java` / `EventChangeLog.java`:
  `{createdBy {uid, username, firstName, surname}, createdAt, type, change}` with
  `change.attributeValue {attribute, previousValue, currentValue}` (tracked entities) or
  `change.dataValue {dataElement, …}` / (2.42+) `change.eventField {field, …}` (events); nulls
  are not written;
- the path id is `@PathVariable UID trackedEntity` / `UID event` (the three tags): another id
  is 400 "Value 'x' is not valid for path parameter trackedEntity. …" (`Ctx.check_path_uids`);
- newest first (`HibernateEventChangeLogStore.DEFAULT_ORDER`, created desc); a tracked entity
  or event that does not exist or cannot be read → 404 "TrackedEntity/Event with id … could not
  be found.".
What is recorded is written by the import (`tracker/imports/commit.py`).

Which attribute changes a tracked entity shows: with `program` those of the program's attributes
(2.41.9 `JdbcTrackedEntityChangeLogStore` joins `program_attributes`; 2.42.5/2.43.1
`HibernateTrackedEntityChangeLogStore` joins `ProgramTrackedEntityAttribute`), without it those
of its type's attributes (2.41.9 `DefaultTrackedEntityChangeLogService
#validateTrackedEntityAttributes`, a type without attributes is the tracked entity's 404;
2.42.5/2.43.1 `TrackedEntityAttributeService#getAllUserReadableTrackedEntityAttributes` of the
readable type, an empty set restricts nothing). The tracked entity (and `program`) is read as
`Release.tracker_change_log_filters` says: 2.42+ as the single read (`export/routes.py
#find_tracked_entity`), 2.41 `DefaultTrackedEntityChangeLogService#getTrackedEntityChangeLog`
(:72-101): the tracked entity's 404, an unknown program's 404, then every refused read the
tracked entity's 404. `fields` (default `change,createdAt,createdBy,type`), `order` and `filter`
(`change_log_params.py`) apply to each entry; ordering by `username`, `attribute` (the
attribute's lower-cased form name and name) or `change` (the data element's, or the field's
name) breaks ties newest first (`#sortExpressions` appends `DEFAULT_ORDER`).
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access.acl import can_data_read
from scdi.sandbox.core import fields, unmapped, web_data_binder, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.objects import is_uid
from scdi.sandbox.core.spring_params import not_valid_value, spring_int
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export import change_log_params
from scdi.sandbox.tracker.export.event_endpoints import (
    EVENTS,
    SINGLE_EVENTS,
    TRACKER_EVENTS,
    EventEndpoint,
)
from scdi.sandbox.tracker.export.order_criteria import bind_order
from scdi.sandbox.tracker.export.query import Paging, bad, respond_page, uid_unbound, unbound
from scdi.sandbox.tracker.export.routes import find_event, find_tracked_entity
from scdi.sandbox.tracker.export.scope import OrgUnitScope, readable, te_visible
from scdi.sandbox.tracker.preheat import Preheat

# ChangeLogRequestParams.DEFAULT_FIELDS_PARAM (2.41.9, 2.42.5, 2.43.1)
DEFAULT_FIELDS = "change,createdAt,createdBy,type"
_CHANGE_KEY = {"attribute": ("attributeValue", "attribute"),
               "dataElement": ("dataValue", "dataElement"),
               "field": ("eventField", "field")}


def _user(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    info = json.loads(raw)
    return {k: info.get(k) for k in ("uid", "username", "firstName", "surname")
            if info.get(k) is not None}


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    key, name_key = _CHANGE_KEY[row["target"]]
    change: dict[str, Any] = {name_key: row["name"]}
    if row["previous_value"] is not None:
        change["previousValue"] = row["previous_value"]
    if row["current_value"] is not None:
        change["currentValue"] = row["current_value"]
    out: dict[str, Any] = {}
    user = _user(row["created_by"])
    if user is not None:
        out["createdBy"] = user
    out.update(createdAt=row["created"], type=row["type"], change={key: change})
    return out


def _username(row: dict[str, Any]) -> str | None:
    user = _user(row["created_by"]) or {}
    name = user.get("username")
    return name if isinstance(name, str) else None


def _label(p: Preheat, row: dict[str, Any]) -> str:
    """`CONCAT(COALESCE(LOWER(x.formName), ''), COALESCE(LOWER(x.name), '')…)`: the attribute
    or data element, or (events) the event field's own name."""
    if row["target"] == "field":
        return str(row["name"]).lower()
    obj = (p.attribute(row["name"]) if row["target"] == "attribute"
           else p.data_element(row["name"])) or {}
    return (obj.get("formName") or "").lower() + (obj.get("name") or "").lower()


def _matches(row: dict[str, Any], name: str, value: str) -> bool:
    if name == "username":
        return _username(row) == value
    return bool(row["target"] == name and row["name"] == value)


def _ordered(p: Preheat, rows: list[dict[str, Any]],
             order: tuple[str, str] | None) -> list[dict[str, Any]]:
    """`rows` come newest first; a stable sort keeps that order among equal keys."""
    if order is None:
        return rows
    name, direction = order
    if name == "createdAt":
        return rows if direction == "desc" else rows[::-1]

    def key(row: dict[str, Any]) -> tuple[bool, str]:
        value = _username(row) if name == "username" else _label(p, row)
        return value is None, value or ""
    return sorted(rows, key=key, reverse=direction == "desc")


def _tracked_entity_2_41(ctx: Ctx, p: Preheat, uid: str) -> tuple[dict[str, Any], set[str]]:
    """2.41.9 DefaultTrackedEntityChangeLogService#getTrackedEntityChangeLog: the attributes
    whose changes are shown (the program's, or the type's)."""
    row = tracker_store.get(ctx.store, "trackedEntity", uid)
    if row is None or row["deleted"]:
        raise webmessage.fail(webmessage.not_found_object("TrackedEntity", uid))
    program_uid = ctx.request.args.get("program")
    if program_uid:
        program = p.by_uid("programs", program_uid)
        if program is None:
            raise webmessage.fail(webmessage.not_found_object("Program", program_uid))
        # TrackerAccessManager#canRead(user, trackedEntity, program, …): any error is the 404
        if not (can_data_read(ctx.user, program)
                and can_data_read(ctx.user, p.by_uid("trackedEntityTypes", row["tet"]))
                and te_visible(ctx, p, OrgUnitScope.accessible(ctx, p), row, program)):
            raise webmessage.fail(webmessage.not_found_object("TrackedEntity", uid))
        return row, {a for a, _ in p.program_attributes(program)}
    if not readable(ctx, p, "trackedEntity", row):
        raise webmessage.fail(webmessage.not_found_object("TrackedEntity", uid))
    attributes = {a for a, _ in p.tet_attributes(p.by_uid("trackedEntityTypes", row["tet"]) or {})}
    if not attributes:
        raise webmessage.fail(webmessage.not_found_object("TrackedEntity", uid))
    return row, attributes


def _tracked_entity_attributes(ctx: Ctx, p: Preheat, uid: str) -> set[str] | None:
    """The attributes whose changes are shown, None for all."""
    if not ctx.release.tracker_change_log_filters:
        return _tracked_entity_2_41(ctx, p, uid)[1]
    row, program = find_tracked_entity(ctx, p, uid)
    if program is not None:
        return {a for a, _ in p.program_attributes(program)}
    tet = p.by_uid("trackedEntityTypes", row["tet"])
    readable_type = tet is not None and can_data_read(ctx.user, tet)
    attributes = {a for a, _ in p.tet_attributes(tet)} if readable_type and tet else set()
    return attributes or None


def _change_logs(ctx: Ctx, kind: str, type_name: str, uid: str,
                 endpoint: EventEndpoint = EVENTS) -> Response:
    if endpoint is not EVENTS and not ctx.release.tracker_split_event_endpoints:
        raise webmessage.fail(unmapped.answer(ctx.request, ctx.release))
    # The path variable, a `UID` at the three tags, is bound before ChangeLogRequestParams.
    ctx.check_path_uids(typed=True, **{kind: uid})
    if kind == "trackedEntity":
        # `@RequestParam UID program` is bound before ChangeLogRequestParams (the three tags);
        # CrudControllerAdvice#methodArgumentTypeMismatchException answers badRequest(String),
        # no errorCode; an empty value too (`UID#of` refuses it, "program cannot be empty. …")
        program_uid = ctx.request.args.get("program")
        if program_uid is not None and not is_uid(program_uid):
            raise uid_unbound("program", program_uid)
    # WebDataBinder#doBind reads `!name`, `_name` and `name[]` for the bean's properties only
    # (`core/web_data_binder.py`), not for the `@RequestParam UID program`
    web_data_binder.bind(ctx, _bean_properties(ctx))
    # Spring binds the bean's properties in name order: `order` before `page` and `pageSize`
    bind_order(ctx.request.args.getlist("order"))
    page, size = _bound_pages(ctx)
    if not ctx.release.tracker_change_log_page_params:
        _check_bounds(page, size)
    query = change_log_params.read(ctx, kind)
    if ctx.release.tracker_change_log_page_params:
        _check_bounds(page, size)
    # `PageParams(page, pageSize, false)` at every release: always a page, never its totals
    paging = Paging(True, page or 1, size or 50, False)
    sel = fields.parse(ctx.request.args.getlist("fields") or None, default=DEFAULT_FIELDS)
    p = Preheat(ctx.store)
    attributes: set[str] | None = None
    if kind == "trackedEntity":
        attributes = _tracked_entity_attributes(ctx, p, uid)
    else:
        find_event(ctx, p, uid, endpoint, forbid=False)
    rows = tracker_store.change_logs(ctx.store, kind, uid)
    if attributes is not None:
        rows = [r for r in rows if r["name"] in attributes]
    if query.filter is not None:
        rows = [r for r in rows if _matches(r, *query.filter)]
    rows = _ordered(p, rows, query.order)
    return respond_page(ctx, "changeLogs", rows, paging, lambda r: _selected(_entry(r), sel),
                        linked=True)


def _bean_properties(ctx: Ctx) -> dict[str, web_data_binder.Empty]:
    """ChangeLogRequestParams' properties and their empty values: 2.41.9 `int page`,
    `int pageSize` (:47-49, null refused as an empty value), `List<FieldPath> fields`,
    `List<OrderCriteria> order`; 2.42.5/2.43.1 `Integer page`, `Integer pageSize`, `Fields
    fields`, `List<OrderCriteria> order`, `String filter` (:56-99)."""
    empty = web_data_binder.Empty
    pages = empty.NULL if ctx.release.tracker_change_log_page_params else empty.NULL_PRIMITIVE
    out = {"page": pages, "pageSize": pages, "fields": empty.NULL, "order": empty.NULL}
    if ctx.release.tracker_change_log_page_params:
        out["filter"] = empty.NULL
    return out


def _bound_pages(ctx: Ctx) -> tuple[int | None, int | None]:
    """ChangeLogRequestParams' `page` and `pageSize`, its only paging properties at every
    release: 2.41.9 `int page = 1`, `int pageSize = 50` (:47-49), a value Spring cannot bind
    400 "Value 'x' is not valid for parameter page. It should be of type int" ("page cannot be
    empty. …"); 2.42.5/2.43.1 `Integer` (:56, :63), blank is null, a refusal "… For input
    string: \"x\"" (CrudControllerAdvice#handleBindException; webapi SpringBindingTest). Their
    `isPaging()`/`isTotalPages()` are constants (true, false) and 2.41.9 has neither, so
    `paging`, `skipPaging` and `totalPages` change nothing (`tracker_change_log_page_params`)."""
    bound: dict[str, int | None] = {}
    primitive = not ctx.release.tracker_change_log_page_params
    for name in ("page", "pageSize"):
        raw = ctx.request.args.get(name)
        bound[name] = None
        if raw is None or (raw == "" and not primitive):
            continue
        try:
            bound[name] = spring_int(raw)
        except ValueError as refused:
            shown = not_valid_value(name, raw)
            raise unbound(f"{shown} It should be of type int" if primitive
                          else f"{shown} {refused}") from None
    return bound["page"], bound["pageSize"]


def _check_bounds(page: int | None, size: int | None) -> None:
    """2.41.9 RequestParamsValidator#validatePaginationBounds (:425-434), the mapper's first
    check; 2.42.5/2.43.1 PageParams#of after the mapper (the same words)."""
    for name, value in (("page", page), ("pageSize", size)):
        if value is not None and value < 1:
            raise bad(f"{name} must be greater than or equal to 1 if specified")


def _selected(entry: dict[str, Any], sel: fields.Selection) -> dict[str, Any]:
    """The entry's selected properties in the view's own order: the field filter only chooses
    which properties Jackson writes (`FilteredPageHttpMessageConverter`, `jsonFilterMapper`)."""
    ordered: dict[str, Any] = _in_order(fields.select(entry, sel), entry)
    return ordered


def _in_order(selected: Any, view: Any) -> Any:
    if not isinstance(selected, dict) or not isinstance(view, dict):
        return selected
    return {k: _in_order(selected[k], view[k]) for k in view if k in selected}


def tracked_entity_change_logs(ctx: Ctx, uid: str) -> Response:
    return _change_logs(ctx, "trackedEntity", "TrackedEntity", uid)


def event_change_logs(ctx: Ctx, uid: str) -> Response:
    return _change_logs(ctx, "event", "Event", uid)


def tracker_event_change_logs(ctx: Ctx, event: str) -> Response:
    return _change_logs(ctx, "event", "Event", event, TRACKER_EVENTS)


def single_event_change_logs(ctx: Ctx, event: str) -> Response:
    return _change_logs(ctx, "event", "Event", event, SINGLE_EVENTS)


RULES = (
    Rule("/api/tracker/trackedEntities/<uid>/changeLogs", endpoint=tracked_entity_change_logs,
         methods=["GET"]),
    Rule("/api/tracker/events/<uid>/changeLogs", endpoint=event_change_logs, methods=["GET"]),
    Rule("/api/tracker/trackerEvents/<event>/changeLogs", endpoint=tracker_event_change_logs,
         methods=["GET"]),
    Rule("/api/tracker/singleEvents/<event>/changeLogs", endpoint=single_event_change_logs,
         methods=["GET"]),
)
