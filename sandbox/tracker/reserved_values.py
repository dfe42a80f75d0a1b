"""Reserved TextPattern values: `/api/trackedEntityAttributes/{uid}/generate|generateAndReserve|requiredValues`.

dhis2-core sources:
- `webapi/controller/event/TrackedEntityAttributeController.java`: `generate` (expiration 3
  days, one value), `generateAndReserve` (numberToReserve 1..1000 checked first, expiration
  60 days), `requiredValues`; errors 400 "Attribute does not contain pattern.", 400 "You can
  only reserve between 1 and 1000 values in a single request.", 409 "Missing required values:
  ORG_UNIT_CODE", 409 "Unable to reserve id. This may indicate that there are too few
  available ids left.", 404 "TrackedEntityAttribute with id X could not be found." without
  errorCode for an unknown attribute (`WebMessageUtils#notFound(Class, String)`);
- the patterns themselves: `core/textpattern.py`;
- `reservedvalue/DefaultReservedValueService#reserve`: the key is the pattern with everything
  but the generated segment resolved; a value is never handed out twice (neither reserved nor
  already used by a tracked entity); "Not enough values left to reserve N values." when the
  generated segment cannot supply them.
ReservedValue shape: `{ownerObject, ownerUid, key, value, created, expiryDate}`.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.textpattern import CHARSETS, PatternError, parse, required_values, resolve_key

_MAX_TRIES = 10_000


def _capacity(method: str, fmt: str) -> int:
    total = 1
    for ch in fmt:
        total *= len(CHARSETS[ch]) if method == "RANDOM" else 10
    return total


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def reserve(store: Store, attr: dict[str, Any], count: int, values: dict[str, str],
            days: int) -> list[dict[str, Any]]:
    segments = parse(str(attr.get("pattern") or ""))
    generated = next(((m, f, r) for m, f, r in segments
                      if m in ("RANDOM", "SEQUENTIAL") and attr.get("generated")), None)
    key = resolve_key(segments, values)
    now = datetime.now(UTC)
    created, expiry = _stamp(now), _stamp(now + timedelta(days=days))
    owner = attr["id"]

    def record(value: str) -> dict[str, Any]:
        return {"ownerObject": "TRACKEDENTITYATTRIBUTE", "ownerUid": owner, "key": key,
                "value": value, "created": created, "expiryDate": expiry}

    with store.lock, store.transaction():
        store.conn.execute("DELETE FROM reserved_values WHERE expiry < ?", (created,))
        taken = {r[0] for r in store.conn.execute(
            "SELECT value FROM reserved_values WHERE owner_uid=?", (owner,))}
        taken |= {r[0] for r in store.conn.execute(
            "SELECT value FROM te_attribute_values WHERE attribute=?", (owner,))}
        if generated is None:
            if count != 1 or key in taken:
                return []
            picked = [key]
        else:
            method, fmt, raw = generated
            if _capacity(method, fmt) < count:
                raise PatternError(f"Not enough values left to reserve {count} values.")
            picked = _generate(store, owner, key, method, fmt, raw, count, taken)
            if len(picked) < count:
                return []
        for value in picked:
            store.conn.execute(
                "INSERT INTO reserved_values (owner_uid, key, value, created, expiry) VALUES (?,?,?,?,?)",
                (owner, key, value, created, expiry))
    return [record(v) for v in picked]


def _generate(store: Store, owner: str, key: str, method: str, fmt: str, raw: str, count: int,
              taken: set[str]) -> list[str]:
    picked: list[str] = []
    if method == "SEQUENTIAL":
        row = store.conn.execute("SELECT next_value FROM reserved_sequences WHERE owner_uid=? AND key=?",
                                 (owner, key)).fetchone()
        nxt = int(row[0]) if row else 1
        limit = 10 ** len(fmt)
        while len(picked) < count and nxt < limit:
            value = key.replace(raw, str(nxt).zfill(len(fmt)), 1)
            nxt += 1
            if value not in taken:
                picked.append(value)
        store.conn.execute(
            "INSERT INTO reserved_sequences (owner_uid, key, next_value) VALUES (?,?,?) "
            "ON CONFLICT(owner_uid, key) DO UPDATE SET next_value=excluded.next_value",
            (owner, key, nxt))
        return picked
    tries = 0
    while len(picked) < count and tries < _MAX_TRIES:
        tries += 1
        # Like TextPatternMethodUtils#generateRandom (java.util.Random): not a secret.
        text = "".join(random.choice(CHARSETS[ch]) for ch in fmt)  # noqa: S311
        value = key.replace(raw, text, 1)
        if value not in taken and value not in picked:
            picked.append(value)
    return picked


# -- HTTP ---------------------------------------------------------------------------------------
# The controller throws each refusal as a WebMessageException (`webmessage.thrown`: a
# ResponseEntity, so no Cache-Control from WebMessageControllerAdvice); only a parameter Spring
# cannot bind is CrudControllerAdvice's own WebMessage.
def _attribute(ctx: Ctx, uid: str) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    attr = ctx.store.get_object("trackedEntityAttributes", uid)
    if attr is None:
        # WebMessageUtils#notFound(Class, String): a WebMessage of the controller's own, so no
        # ErrorCode as a NotFoundException would bring
        raise webmessage.thrown(webmessage.not_found_message(
            f"TrackedEntityAttribute with id {uid} could not be found."))
    try:
        segments = parse(str(attr.get("pattern") or ""))
    except PatternError:
        raise webmessage.thrown(webmessage.error(400, "Attribute does not contain pattern.")) from None
    return attr, segments


def _int_arg(ctx: Ctx, name: str, default: int) -> int:
    raw = ctx.request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise webmessage.fail(webmessage.error(
            400, f"Value '{raw}' is not valid for parameter {name}. It should be of type Integer")) from None


def _reserve(ctx: Ctx, uid: str, count: int, days: int) -> list[dict[str, Any]]:
    if count > 1000 or count < 1:
        raise webmessage.thrown(webmessage.error(
            400, "You can only reserve between 1 and 1000 values in a single request."))
    attr, segments = _attribute(ctx, uid)
    needed = required_values(segments)["REQUIRED"]
    values = {k: ctx.request.args[k] for k in needed if ctx.request.args.get(k)}
    missing = [k for k in needed if k not in values]
    if missing:
        raise webmessage.thrown(webmessage.error(409, "Missing required values: " + ",".join(missing)))
    try:
        result = reserve(ctx.store, attr, count, values, days)
    except PatternError as exc:
        raise webmessage.thrown(webmessage.error(409, str(exc))) from None
    if not result:
        raise webmessage.thrown(webmessage.error(
            409, "Unable to reserve id. This may indicate that there are too few available ids left."))
    return result


def generate(ctx: Ctx, uid: str) -> Response:
    return webmessage.json_response(_reserve(ctx, uid, 1, _int_arg(ctx, "expiration", 3))[0])


def generate_and_reserve(ctx: Ctx, uid: str) -> Response:
    count = _int_arg(ctx, "numberToReserve", 1)
    return webmessage.json_response(_reserve(ctx, uid, count, _int_arg(ctx, "expiration", 60)))


def get_required_values(ctx: Ctx, uid: str) -> Response:
    _attr, segments = _attribute(ctx, uid)
    return webmessage.json_response(required_values(segments))


RULES = [
    Rule("/api/trackedEntityAttributes/<uid>/generate", endpoint=generate, methods=["GET"]),
    Rule("/api/trackedEntityAttributes/<uid>/generateAndReserve", endpoint=generate_and_reserve,
         methods=["GET"]),
    Rule("/api/trackedEntityAttributes/<uid>/requiredValues", endpoint=get_required_values,
         methods=["GET"]),
]
