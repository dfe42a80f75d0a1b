"""An event's data values in the order and number DHIS2 holds them: a Set, not the payload's list.

- `webapi/controller/tracker/view/Event#dataValues` is a `HashSet<view.DataValue>` (Jackson's
  `CollectionDeserializer`: `new HashSet<>()`, then `add` in payload order, an equal value
  dropped), `view/DataValue` a Lombok `@Data` whose `equals`/`hashCode` take providedElsewhere
  (a primitive: Lombok's default rank 1000 puts it first), then createdAt, updatedAt,
  storedBy, dataElement (`@Builder.Default ""` when missing), value, createdBy and updatedBy
  (`view/User`: uid, username, firstName, surname, displayName), the same at 2.41.9, 2.42.5
  and 2.43.1.
- The import's MapStruct mappers (1.6.3, `dhis-2/pom.xml`) copy that set, in its iteration
  order, into a `LinkedHashSet` of `tracker/imports/domain/DataValue`, which drops a value equal
  to an earlier one under the domain class's own `@Data` fields (`Release.tracker_domain_layout`):
  2.41.9 createdAt, updatedAt, providedElsewhere, dataElement, value, createdBy, updatedBy
  (`domain/User`: uid, username, firstName, surname); 2.42.5 storedBy, providedElsewhere,
  dataElement, value; 2.43.1 providedElsewhere, dataElement, value.
So `DataValuesValidator#validate` and the persisters walk the values in the HashSet's order.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from scdi.sandbox.core.jackson_strings import string_field
from scdi.sandbox.core.java_hash import hash_set_order, string_hash

_PRIME = 59  # lombok's @EqualsAndHashCode: result = result * 59 + field hash
_NULL = 43
_TRUE, _FALSE = 79, 97
_USER_FIELDS = ("uid", "username", "firstName", "surname", "displayName")


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def _lombok_hash(parts: list[int | None]) -> int:
    result = 1
    for part in parts:
        result = _int32(result * _PRIME + (_NULL if part is None else part))
    return result


def _text_hash(text: str | None) -> int | None:
    return None if text is None else string_hash(text)


def _instant_hash(stored: str | None) -> int | None:
    """`Instant#hashCode`: `(int) (seconds ^ (seconds >>> 32)) + 51 * nanos`."""
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored)  # the stored form: naive UTC
    seconds = calendar.timegm(moment.timetuple())
    nanos = moment.microsecond * 1000
    unsigned = seconds & 0xFFFFFFFFFFFFFFFF
    return _int32(_int32(unsigned ^ (unsigned >> 32)) + 51 * nanos)


def _user(raw: Any, fields: tuple[str, ...]) -> tuple[str | None, ...] | None:
    if not isinstance(raw, dict):
        return None
    return tuple(string_field(raw.get(name)) for name in fields)


def _view_fields(raw: dict[str, Any], read: dict[str, Any],
                 read_instant: Callable[[Any], str | None]) -> tuple[Any, ...]:
    """`view/DataValue`'s fields as Jackson binds them (an empty String is null,
    `EmptyStringToNullStdDeserializer`; a missing dataElement keeps its default ""); `read` is
    the domain value the payload reader made of `raw` (its `providedElsewhere` flag)."""
    element = string_field(raw.get("dataElement")) if "dataElement" in raw else ""
    return (read_instant(raw.get("createdAt")), read_instant(raw.get("updatedAt")),
            string_field(raw.get("storedBy")), bool(read.get("providedElsewhere")), element,
            string_field(raw.get("value")), _user(raw.get("createdBy"), _USER_FIELDS),
            _user(raw.get("updatedBy"), _USER_FIELDS))


def _view_hash(fields: tuple[Any, ...]) -> int:
    created, updated, stored_by, elsewhere, element, value, created_by, updated_by = fields

    def user_hash(user: tuple[str | None, ...] | None) -> int | None:
        return None if user is None else _lombok_hash([_text_hash(part) for part in user])

    # lombok ranks a primitive (1000) before the rest, which keep their declaration order
    return _lombok_hash([_TRUE if elsewhere else _FALSE, _instant_hash(created),
                         _instant_hash(updated), _text_hash(stored_by), _text_hash(element),
                         _text_hash(value), user_hash(created_by), user_hash(updated_by)])


def _domain_key(layout: str, fields: tuple[Any, ...]) -> Hashable:
    created, updated, stored_by, elsewhere, element, value, created_by, updated_by = fields
    if layout == "2.41":
        # domain/User keeps uid, username, firstName and surname, not displayName
        return (created, updated, elsewhere, element, value,
                created_by[:4] if created_by else None, updated_by[:4] if updated_by else None)
    if layout == "2.42":
        return stored_by, elsewhere, element, value
    return elsewhere, element, value


def in_set_order(pairs: list[tuple[dict[str, Any], dict[str, Any]]], layout: str,
                 read_instant: Callable[[Any], str | None]) -> list[dict[str, Any]]:
    """The domain data values (each given with the raw payload value it was read from) in the
    view HashSet's iteration order, less those the domain LinkedHashSet drops."""
    views = [(_view_fields(raw, value, read_instant), value) for raw, value in pairs]
    ordered = hash_set_order(views, hash_code=lambda item: _view_hash(item[0]),
                             key=lambda item: item[0])
    kept: dict[Hashable, dict[str, Any]] = {}
    for fields, value in ordered:
        kept.setdefault(_domain_key(layout, fields), value)
    return list(kept.values())
