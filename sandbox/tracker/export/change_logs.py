"""`GET /api/tracker/trackedEntities/{uid}/changeLogs` and `/api/tracker/events/{uid}/changeLogs`.

dhis2-core (the three tags have both endpoints):
- `webapi/controller/tracker/export/trackedentity/TrackedEntitiesExportController
  #getTrackedEntityAttributeChangeLog` (2.41.9) / `#getTrackedEntityChangeLog` (2.42.5, 2.43.1)
  and `export/event/EventsExportController#getEventChangeLogsByUid`: `ChangeLogRequestParams`
  (`page` 1, `pageSize` 50, default fields `change,createdAt,createdBy,type`), a page without
  totals: `Page.withPager("changeLogs", …)`, so the envelope follows `tracker_page_envelope`
  (`export/query.py#respond_page`);
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
What is recorded is written by the import (`tracker/imports/commit.py`). The `program`, `order`,
`filter` and `fields` parameters are accepted and not applied.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export.query import page_params, respond_page
from scdi.sandbox.tracker.export.scope import readable
from scdi.sandbox.tracker.preheat import Preheat

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


def _change_logs(ctx: Ctx, kind: str, type_name: str, uid: str) -> Response:
    # The path variable, a `UID` at the three tags, is bound before ChangeLogRequestParams.
    ctx.check_path_uids(typed=True, **{kind: uid})
    paging = page_params(ctx)
    p = Preheat(ctx.store)
    row = tracker_store.get(ctx.store, kind, uid)
    if row is None or row["deleted"] or not readable(ctx, p, kind, row):
        raise webmessage.fail(webmessage.not_found_object(type_name, uid))
    rows = tracker_store.change_logs(ctx.store, kind, uid)
    return respond_page(ctx, "changeLogs", rows, paging, _entry)


def tracked_entity_change_logs(ctx: Ctx, uid: str) -> Response:
    return _change_logs(ctx, "trackedEntity", "TrackedEntity", uid)


def event_change_logs(ctx: Ctx, uid: str) -> Response:
    return _change_logs(ctx, "event", "Event", uid)


RULES = (
    Rule("/api/tracker/trackedEntities/<uid>/changeLogs", endpoint=tracked_entity_change_logs,
         methods=["GET"]),
    Rule("/api/tracker/events/<uid>/changeLogs", endpoint=event_change_logs, methods=["GET"]),
)
