"""What Jackson writes of a stored object's Java field initialisers where the store holds none.

DHIS2 renders the entity Hibernate loads: a collection field declared with an initialiser
(`Set<String> favorites = new HashSet<>()` on `common/BaseIdentifiableObject.java`: 2.41.9
:124, 2.42.5 :125, 2.43.1 :126; a group's `members`, a type's `translations`, `legendSets`, …) that no column fills, or
that its column leaves empty, is an empty collection, and `FieldFilterService#toObjectNodes`
writes it `[]` (NON_NULL leaves out nulls only). `favorite` is
`BaseIdentifiableObject#isFavorite` (2.41.9 :416-424, 2.42.5 :388-396, 2.43.1 :390-398):
whether the current user's uid is in `favorites`, so `false` for an object nobody marked.
2.42+'s `attributeValues` is an `AttributeValues` object that Jackson writes as an array
(`attribute/AttributeValuesSerializer.java`), `[]` when empty. Which fields are initialised is the generated properties'
`javaFieldInitialised` (`scripts/schema_properties.py`). An inverse collection (persisted, not
owned) is the other side's, filled by `metadata/query.py#_inverse` where the read asks for it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scdi.sandbox.metadata import registry


@cache
def _empty_members(singular: str, minor: str) -> tuple[tuple[str, bool], ...]:
    """(name, inverse) of each property the release's class initialises to an empty
    collection (or to an empty `AttributeValues`)."""
    out = []
    for name, prop in registry.jackson_properties(singular, minor).items():
        if not prop.get("javaFieldInitialised"):
            continue
        if prop.get("collection") or name == "attributeValues":
            out.append((name, bool(prop.get("persisted")) and not prop.get("owner")))
    return tuple(out)


def fill(singular: str, minor: str, out: dict[str, Any], user_uid: str, inverse: bool) -> None:
    """Add to a decorated object the empty collections and the `favorite` flag DHIS2 writes
    for it; what the store holds is kept."""
    props = registry.jackson_properties(singular, minor)
    for name, is_inverse in _empty_members(singular, minor):
        if name not in out and (inverse or not is_inverse):
            out[name] = []
    if "favorite" in props and "favorites" in props:
        out["favorite"] = user_uid in (out.get("favorites") or [])
