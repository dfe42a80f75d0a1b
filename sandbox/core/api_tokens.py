"""Personal access tokens: `/api/apiToken` (alias `/api/apiTokens`).

dhis2-core 2.42.5 `webapi/controller/security/ApiTokenController.java`: POST creates a token
for the current user (default expiry 30 days, `DEFAULT_TOKEN_EXPIRE`), answers 201 with
`ApiTokenCreationResponse` {responseType, key, uid, klass, errorReports}; the plaintext key is
shown once and only its SHA-256 is kept (`ApiKeyTokenGenerator#hashToken`). New tokens use the
release's default type (`ApiTokenType#getDefaultPatType`: release table `api_token_prefixes[0]`).
"""

from __future__ import annotations

import json
import time
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import auth, objects, webmessage
from scdi.sandbox.core.context import Ctx

KLASS = "org.hisp.dhis.security.apikey.ApiToken"
DEFAULT_EXPIRE_MS = 30 * 24 * 3600 * 1000


def create_token(ctx: Ctx) -> Response:
    raw = ctx.request.get_data(as_text=True).strip()
    body: Any = json.loads(raw) if raw else {}
    if not isinstance(body, dict):
        raise webmessage.fail(webmessage.bad_request("Expected a JSON object"))
    prefix = ctx.release.api_token_prefixes[0].rstrip("_")
    token = auth.generate_token(prefix)
    uid = objects.generate_uid()
    expire = body.get("expire")
    if not isinstance(expire, int):
        expire = int(time.time() * 1000) + DEFAULT_EXPIRE_MS
    doc = {"id": uid, "version": auth.TOKEN_TYPES[prefix].version,
           "type": "PERSONAL_ACCESS_TOKEN", "expire": expire,
           "attributes": body.get("attributes") or [], "created": objects.now(),
           "lastUpdated": objects.now(), "createdBy": objects.user_ref(ctx.user)}
    auth.store_token(ctx.store, uid, token, ctx.user.uid, doc)
    return webmessage.ok(http_status=201, response={
        "responseType": "ApiTokenCreationResponse", "key": token, "uid": uid,
        "klass": KLASS, "errorReports": []})


def _tokens(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.store.lock:
        rows = ctx.store.conn.execute(
            "SELECT doc FROM api_tokens WHERE owner_uid=? ORDER BY uid",
            (ctx.user.uid,)).fetchall()
    return [json.loads(r[0]) for r in rows]


def list_tokens(ctx: Ctx) -> Response:
    items = [{"id": t["id"], "expire": t["expire"], "version": t["version"],
              "type": t["type"]} for t in _tokens(ctx)]
    return webmessage.json_response({"pager": {"page": 1, "total": len(items),
                                               "pageSize": 50, "pageCount": 1},
                                     "apiToken": items})


def delete_token(ctx: Ctx, uid: str) -> Response:
    with ctx.store.lock:
        cur = ctx.store.conn.execute(
            "DELETE FROM api_tokens WHERE uid=? AND owner_uid=?", (uid, ctx.user.uid))
    if cur.rowcount == 0:
        raise webmessage.fail(webmessage.not_found_object("ApiToken", uid))
    return webmessage.ok(response={"responseType": "ObjectReport", "uid": uid, "klass": KLASS,
                                   "errorReports": []})


RULES = [
    Rule("/api/apiToken", endpoint=create_token, methods=["POST"]),
    Rule("/api/apiTokens", endpoint=create_token, methods=["POST"]),
    Rule("/api/apiToken", endpoint=list_tokens, methods=["GET"]),
    Rule("/api/apiTokens", endpoint=list_tokens, methods=["GET"]),
    Rule("/api/apiToken/<uid>", endpoint=delete_token, methods=["DELETE"]),
    Rule("/api/apiTokens/<uid>", endpoint=delete_token, methods=["DELETE"]),
]
