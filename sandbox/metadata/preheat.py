"""The preheat as the object-bundle hooks read it, and how it names objects.

dhis2-core 2.41.9 / 2.42.5 / 2.43.1, `dhis-service-core/.../preheat/DefaultPreheatService.java
#preheat` loads the stored objects first and then adds the payload's with `Preheat#put`, which is
`putIfAbsent` (`dhis-api/.../preheat/Preheat.java`): a hook that asks the preheat for an object
that is already stored gets the STORED one, not the payload's version of it; a new object is the
payload's own (its references still shallow, `{id}` only).
Identifiers in messages: `preheat/PreheatIdentifier.java#getIdentifiersWithName` ("Name [uid]
(Type)"; a user "First Surname [uid] (User)").
"""

from __future__ import annotations

from typing import Any, Protocol

from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import Release

# (error code, message args, the report's main class, "" for the object's own; optionally the
# report's other fields: `main_id`, `error_property`, `properties` when errorProperties are not
# the args' text)
Finding = tuple[str, list[Any], str] | tuple[str, list[Any], str, dict[str, Any]]


class HookContext(Protocol):
    store: Store
    user: User
    minor: str
    release: Release
    identifier: str
    strategy: str
    payload: dict[str, dict[str, dict[str, Any]]]

    def resolve(self, plural: str, ref: dict[str, Any]) -> dict[str, Any] | None: ...


def ref_id(value: Any) -> str | None:
    return value.get("id") if isinstance(value, dict) else None


def get(ctx: HookContext, plural: str, ref: Any) -> dict[str, Any] | None:
    """`Preheat#get(identifier, klass, object)`: the stored object, else the payload's."""
    if not isinstance(ref, dict):
        return None
    stored = None
    if ctx.identifier == "CODE" and ref.get("code"):
        stored = ctx.store.find_by_code(plural, str(ref["code"]))
    elif ref.get("id"):
        stored = ctx.store.get_object(plural, str(ref["id"]))
    return stored if stored is not None else ctx.resolve(plural, ref)


def identifiers_with_name(obj: dict[str, Any], info: TypeInfo | None, identifier: str = "UID"
                          ) -> str:
    ident = obj.get("code") if identifier == "CODE" else obj.get("id")
    name = obj.get("displayName") or obj.get("name")
    simple = info.simple_name if info else "IdentifiableObject"
    ids = f"[{'null' if ident is None else ident}]"  # Java's List#toString of [null]
    return f"{name} {ids} ({simple})" if name else f"{ids} ({simple})"


def user_identifiers(store: Store, user: User, identifier: str = "UID") -> str:
    """The user in security reports: 2.42.5/2.43.1 `PreheatIdentifier#getIdentifiersWithName
    (UserDetails)` always by uid; 2.41.9 passes the User to the generic overload, which follows
    the import's identifier (`[null]` by CODE for a user without a code); callers pass "UID"
    unless the release is 2.41 (`Release.security_user_by_import_identifier`)."""
    doc = store.get_object("users", user.uid) or {}
    ident = doc.get("code") if identifier == "CODE" else user.uid
    return f"{doc.get('firstName')} {doc.get('surname')} [{'null' if ident is None else ident}] (User)"
