"""Reserved TextPattern values: `/api/trackedEntityAttributes/{uid}/generate|generateAndReserve|requiredValues`.

dhis2-core sources:
- `webapi/controller/event/TrackedEntityAttributeController.java`: `generate` (expiration 3
  days, one value), `generateAndReserve` (numberToReserve 1..1000 checked first, expiration
  60 days), `requiredValues`; errors 400 "Attribute does not contain pattern.", 400 "You can
  only reserve between 1 and 1000 values in a single request.", 409 "Missing required values:
  ORG_UNIT_CODE", 409 "Unable to reserve id. This may indicate that there are too few
  available ids left.", 404 "TrackedEntityAttribute with id X could not be found." without
  errorCode for an unknown attribute (`WebMessageUtils#notFound(Class, String)`); 400
  "Attribute does not contain pattern." for an attribute that is not `generated` (only a
  generated one is given a TextPattern, `TrackedEntityAttributeObjectBundleHook
  #updateTextPattern`); the required values are the parameters so named, a blank one too;
- the patterns themselves: `core/textpattern.py` (an ORG_UNIT_CODE its format refuses is a
  TextPatternGenerationException, the controller's 500 `error(…)`);
- `reservedvalue/DefaultReservedValueService#reserve` (2.41.9, 2.42.5, 2.43.1), `#reserve`
  below: RANDOM values are checked against what is left, reserved and never handed out twice;
  SEQUENTIAL ones come from the key's counter and are not reserved (`TextPatternMethod.PERSIST`
  is RANDOM only), `reservedvalue/ValueGeneratorService#generateSequentialValues`.
ReservedValue shape: `{ownerObject, ownerUid, key, value, created, expiryDate}`.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.spring_params import request_param_int, request_values, unboxed_null
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.textpattern import (
    CHARSETS,
    DateFormatError,
    GenerationError,
    PatternError,
    parse,
    required_values,
    resolve_key,
)

_MAX_TRIES = 10_000


class ReserveRefused(ValueError):
    """ReserveValueException: the controller's 409 with its message."""


def _potential(method: str, fmt: str) -> int:
    """TextPatternValidationUtils#getTotalValuesPotential (2.42.5; #getTotalPotentialValues at
    2.41.9 and 2.43.1) of a RANDOM segment: 62, 10, 26 or 26 per character."""
    total = 1
    for ch in fmt:
        total *= len(CHARSETS[ch])
    return total


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def _like(pattern: str) -> re.Pattern[str]:
    """SQL LIKE (`%` any run, `_` any one character) as a regex."""
    return re.compile("".join(".*" if c == "%" else "." if c == "_" else re.escape(c)
                              for c in pattern), re.DOTALL)


def reserve(store: Store, attr: dict[str, Any], count: int, values: dict[str, str],
            days: int, bare_key_counts_all: bool = True) -> list[dict[str, Any]]:
    """DefaultReservedValueService#reserve (2.41.9, 2.42.5, 2.43.1) for a generated attribute,
    whose pattern holds exactly one RANDOM or SEQUENTIAL segment (E4021): the key is the
    pattern resolved but for that segment. RANDOM first checks the values left
    (#checkIfEnoughValues: the segment's potential against `count` plus the reserved values of
    the key and the attribute's values LIKE the key with the segment as `%`,
    HibernateReservedValueStore#getNumberOfUsedValues; a key that is the segment alone, `%`,
    counts every stored value of the attribute, a null one too, at 2.41.9 (:121-155) and 2.43.1
    (:123-157), where 2.42.5 (:123-151) still asks `LIKE '%'`, which no null value matches:
    `bare_key_counts_all`, `Release.reserved_values_bare_key_counts_every_value`), then keeps
    the generated values no reserved or stored value holds and reserves them (TextPatternMethod.PERSIST); what it got,
    fewer perhaps, is the answer (DHIS2 makes ten attempts of RESERVED_VALUE_GENERATION_ATTEMPT,
    the sandbox tries until it has them or `_MAX_TRIES`). SEQUENTIAL is no persisted method:
    no check, no reservation, the `count` next numbers of the key's counter
    (`incrementSequentialCounter`, from 1), and once one of them reaches 10^width
    ValueGeneratorService#generateSequentialValues refuses "Unable to reserve value, no new
    values available." (a checked exception: the counter has moved)."""
    segments = parse(str(attr.get("pattern") or ""))
    method, fmt, raw = next((m, f, r) for m, f, r in segments if m in ("RANDOM", "SEQUENTIAL"))
    key = resolve_key(segments, values)
    now = datetime.now(UTC)
    created, expiry = _stamp(now), _stamp(now + timedelta(days=days))
    owner = attr["id"]

    def record(value: str) -> dict[str, Any]:
        return {"ownerObject": "TRACKEDENTITYATTRIBUTE", "ownerUid": owner, "key": key,
                "value": value, "created": created, "expiryDate": expiry}

    with store.lock, store.transaction():
        store.conn.execute("DELETE FROM reserved_values WHERE expiry < ?", (created,))
        if method == "SEQUENTIAL":
            numbers = _next_numbers(store, owner, key, count)
            if any(n >= 10 ** len(fmt) for n in numbers):
                refused = "Unable to reserve value, no new values available."
            else:
                return [record(key.replace(raw, str(n).zfill(len(fmt)), 1)) for n in numbers]
        else:
            refused = ""
            reserved = {r[0] for r in store.conn.execute(
                "SELECT value FROM reserved_values WHERE owner_uid=?", (owner,))}
            stored = [r[0] for r in store.conn.execute(
                "SELECT value FROM te_attribute_values WHERE attribute=?", (owner,))]
            like = _like(key.replace(raw, "%"))
            used = sum(1 for r in store.conn.execute(
                "SELECT 1 FROM reserved_values WHERE owner_uid=? AND key=?", (owner, key)))
            bare = key.replace(raw, "%") == "%" and bare_key_counts_all
            used += sum(1 for v in stored if bare or (v is not None and like.fullmatch(v)))
            if _potential(method, fmt) < count + used:
                raise ReserveRefused(f"Not enough values left to reserve {count} values.")
            picked = _random_values(key, fmt, raw, count, reserved | set(stored))
            for value in picked:
                store.conn.execute(
                    "INSERT INTO reserved_values (owner_uid, key, value, created, expiry) "
                    "VALUES (?,?,?,?,?)", (owner, key, value, created, expiry))
            return [record(v) for v in picked]
    raise ReserveRefused(refused)


def _next_numbers(store: Store, owner: str, key: str, count: int) -> list[int]:
    """`incrementSequentialCounter(owner, key, count)`: a new counter starts at 1 + count,
    otherwise it grows by count; the numbers handed out are the `count` below it."""
    row = store.conn.execute("SELECT next_value FROM reserved_sequences WHERE owner_uid=? AND key=?",
                             (owner, key)).fetchone()
    first = int(row[0]) if row else 1
    store.conn.execute(
        "INSERT INTO reserved_sequences (owner_uid, key, next_value) VALUES (?,?,?) "
        "ON CONFLICT(owner_uid, key) DO UPDATE SET next_value=excluded.next_value",
        (owner, key, first + count))
    return list(range(first, first + count))


def _random_values(key: str, fmt: str, raw: str, count: int, taken: set[str]) -> list[str]:
    picked: list[str] = []
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
    # TrackedEntityAttribute#getTextPattern: TrackedEntityAttributeObjectBundleHook
    # #updateTextPattern sets it for a generated attribute only (whose pattern the hook's
    # validation made parse, with one generated segment)
    try:
        if not attr.get("generated"):
            raise PatternError("no TextPattern")
        segments = parse(str(attr.get("pattern") or ""))
    except PatternError:
        raise webmessage.thrown(webmessage.error(400, "Attribute does not contain pattern.")) from None
    return attr, segments


def _int_arg(ctx: Ctx, name: str, default: int) -> int | None:
    """`@RequestParam(required = false, defaultValue = …) Integer` (TrackedEntityAttributeController
    #generateAndReserveValues / #legacyQueryTrackedEntityInstancesJson, 2.41.9 :88-113, 2.42.5
    :104-129, 2.43.1 :85-109) as Spring resolves it (`core/spring_params.py#request_param_int`):
    whitespace only, or a repeated parameter whose first value is empty, is the default from
    Spring 6 (2.42+), null on 2.41."""
    return request_param_int(request_values(ctx.request.args, name, ctx.release), name, default,
                             ctx.release)


def _unboxed(name: str, value: int | None) -> int:
    """The controller passes its `Integer`s to `#reserve(String, int, int)`: a null one (2.41's
    blank value) is unboxed there, before anything else, left to right."""
    if value is None:
        raise unboxed_null(name)
    return value


def _reserve(ctx: Ctx, uid: str, count: int, days: int) -> list[dict[str, Any]]:
    if count > 1000 or count < 1:
        raise webmessage.thrown(webmessage.error(
            400, "You can only reserve between 1 and 1000 values in a single request."))
    attr, segments = _attribute(ctx, uid)
    needed = required_values(segments)["REQUIRED"]
    # #getRequiredValues: the request's parameters named so, each its first value (a blank one
    # too); ContextUtils#getParameterValuesMap
    values = {k: ctx.request.args[k] for k in needed if k in ctx.request.args}
    missing = [k for k in needed if k not in values]
    if missing:
        raise webmessage.thrown(webmessage.error(409, "Missing required values: " + ",".join(missing)))
    try:
        result = reserve(ctx.store, attr, count, values, days,
                         ctx.release.reserved_values_bare_key_counts_every_value)
    except ReserveRefused as exc:
        raise webmessage.thrown(webmessage.error(409, str(exc))) from None
    except GenerationError as exc:  # `error(ex.getMessage())`
        raise webmessage.thrown(webmessage.error(500, str(exc))) from None
    except DateFormatError as exc:
        # `new SimpleDateFormat` of a CURRENT_DATE format it cannot compile: an
        # IllegalArgumentException the controller does not catch, CrudControllerAdvice's 400
        # (2.41.9 #handleBadRequest, 2.42.5/2.43.1 #illegalArgumentExceptionHandler)
        raise webmessage.fail(webmessage.error(400, str(exc))) from None
    if not result:
        raise webmessage.thrown(webmessage.error(
            409, "Unable to reserve id. This may indicate that there are too few available ids left."))
    return result


def generate(ctx: Ctx, uid: str) -> Response:
    days = _unboxed("expiration", _int_arg(ctx, "expiration", 3))
    return webmessage.json_response(_reserve(ctx, uid, 1, days)[0])


def generate_and_reserve(ctx: Ctx, uid: str) -> Response:
    # both bound (in declaration order, a refusal first) before the method unboxes either
    count, days = _int_arg(ctx, "numberToReserve", 1), _int_arg(ctx, "expiration", 60)
    count, days = _unboxed("numberToReserve", count), _unboxed("expiration", days)
    return webmessage.json_response(_reserve(ctx, uid, count, days))


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
