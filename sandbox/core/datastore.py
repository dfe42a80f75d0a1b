"""`/api/dataStore` — DHIS2's key-value store.

dhis2-core 2.42.5 `webapi/controller/DatastoreController.java` and
`dhis-services/dhis-service-core/.../datastore/DefaultDatastoreService.java`:
GET `/api/dataStore` → namespaces; GET `/{ns}` (and `/{ns}/keys`) → keys, 404 "Namespace not
found: 'ns'"; GET `/{ns}/{key}` → the stored JSON, 404 "Key 'k' not found in namespace 'ns'";
`/{ns}/{key}/metaData`; POST → 201 "Key created: 'k'", 409 "Key 'k' already exists in namespace
'ns'", 400 "Invalid JSON value for key 'k'"; PUT → 200 "Key updated: 'k'" (creates when
missing); DELETE key → 200 "Key 'k' deleted from namespace 'ns'"; DELETE namespace → 200
"Namespace deleted: 'ns'".
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import objects, webmessage
from scdi.sandbox.core.context import Ctx

TABLES = """
CREATE TABLE IF NOT EXISTS datastore (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);
"""


def _row(ctx: Ctx, namespace: str, key: str) -> Any:
    with ctx.store.lock:
        return ctx.store.conn.execute(
            "SELECT value, created, last_updated FROM datastore WHERE namespace=? AND key=?",
            (namespace, key)).fetchone()


def _missing_key(namespace: str, key: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.not_found(
        f"Key '{key}' not found in namespace '{namespace}'"))


def namespaces(ctx: Ctx) -> Response:
    with ctx.store.lock:
        rows = ctx.store.conn.execute(
            "SELECT DISTINCT namespace FROM datastore ORDER BY namespace").fetchall()
    return webmessage.json_response([r[0] for r in rows], headers={"Cache-Control": "no-store"})


def keys(ctx: Ctx, namespace: str) -> Response:
    with ctx.store.lock:
        rows = ctx.store.conn.execute(
            "SELECT key FROM datastore WHERE namespace=? ORDER BY key", (namespace,)).fetchall()
    if not rows:
        raise webmessage.fail(webmessage.not_found(f"Namespace not found: '{namespace}'"))
    return webmessage.json_response([r[0] for r in rows])


def get_entry(ctx: Ctx, namespace: str, key: str) -> Response:
    row = _row(ctx, namespace, key)
    if row is None:
        raise _missing_key(namespace, key)
    return Response(row[0], content_type=webmessage.JSON_TYPE)


def get_meta(ctx: Ctx, namespace: str, key: str) -> Response:
    row = _row(ctx, namespace, key)
    if row is None:
        raise _missing_key(namespace, key)
    return webmessage.json_response({
        "created": row[1], "lastUpdated": row[2], "key": key, "namespace": namespace,
        "id": key, "access": objects.access_for(ctx.user)})


def _value(ctx: Ctx, key: str) -> str:
    raw = ctx.request.get_data(as_text=True)
    try:
        json.loads(raw)
    except ValueError:
        raise webmessage.fail(webmessage.bad_request(
            f"Invalid JSON value for key '{key}'")) from None
    return raw


def create_entry(ctx: Ctx, namespace: str, key: str) -> Response:
    if _row(ctx, namespace, key) is not None:
        raise webmessage.fail(webmessage.conflict(
            f"Key '{key}' already exists in namespace '{namespace}'"))
    value = _value(ctx, key)
    when = objects.now()
    with ctx.store.lock:
        ctx.store.conn.execute(
            "INSERT INTO datastore (namespace, key, value, created, last_updated) "
            "VALUES (?,?,?,?,?)", (namespace, key, value, when, when))
    return webmessage.ok(f"Key created: '{key}'", http_status=201)


def update_entry(ctx: Ctx, namespace: str, key: str) -> Response:
    if _row(ctx, namespace, key) is None:
        return create_entry(ctx, namespace, key)
    value = _value(ctx, key)
    with ctx.store.lock:
        ctx.store.conn.execute(
            "UPDATE datastore SET value=?, last_updated=? WHERE namespace=? AND key=?",
            (value, objects.now(), namespace, key))
    return webmessage.ok(f"Key updated: '{key}'")


def delete_entry(ctx: Ctx, namespace: str, key: str) -> Response:
    if _row(ctx, namespace, key) is None:
        raise _missing_key(namespace, key)
    with ctx.store.lock:
        ctx.store.conn.execute("DELETE FROM datastore WHERE namespace=? AND key=?",
                               (namespace, key))
    return webmessage.ok(f"Key '{key}' deleted from namespace '{namespace}'")


def delete_namespace(ctx: Ctx, namespace: str) -> Response:
    with ctx.store.lock:
        cur = ctx.store.conn.execute("DELETE FROM datastore WHERE namespace=?", (namespace,))
    if cur.rowcount == 0:
        raise webmessage.fail(webmessage.not_found(f"Namespace not found: '{namespace}'"))
    return webmessage.ok(f"Namespace deleted: '{namespace}'")


RULES = [
    Rule("/api/dataStore", endpoint=namespaces, methods=["GET"]),
    Rule("/api/dataStore/<namespace>", endpoint=keys, methods=["GET"]),
    Rule("/api/dataStore/<namespace>/keys", endpoint=keys, methods=["GET"]),
    Rule("/api/dataStore/<namespace>", endpoint=delete_namespace, methods=["DELETE"]),
    Rule("/api/dataStore/<namespace>/<key>", endpoint=get_entry, methods=["GET"]),
    Rule("/api/dataStore/<namespace>/<key>/metaData", endpoint=get_meta, methods=["GET"]),
    Rule("/api/dataStore/<namespace>/<key>", endpoint=create_entry, methods=["POST"]),
    Rule("/api/dataStore/<namespace>/<key>", endpoint=update_entry, methods=["PUT"]),
    Rule("/api/dataStore/<namespace>/<key>", endpoint=delete_entry, methods=["DELETE"]),
]
