"""A tracked entity search outside the user's capture scope ("global search"), the last check
of `GET /api/tracker/trackedEntities`' operation params mapper.

TrackedEntityOperationParamsMapper#validateSearchOutsideCaptureScopeParameters (2.41.9
:312-329 with #getMaxTeiLimit, 2.42.5 :304-313; 2.43.1 `dhis-tracker` #map :158-171 with
#isSearchOutsideCaptureScope :383-413, the same rules) after #isSearchInCaptureScope:
CAPTURE is always local; else the org units searched (SELECTED the requested ones,
CHILDREN/DESCENDANTS their children, ALL the roots, ACCESSIBLE the user's search org units)
must each lie in the user's capture scope (`OrganisationUnit#isDescendant`). Outside
it, as IllegalQueryExceptions (CrudControllerAdvice's 409, no errorCode):

- every filtered attribute must be searchable: the program's attributes marked `searchable` or
  system-wide unique (`Program#getSearchableAttributeIds`), the requested type's
  (`TrackedEntityType#getSearchableAttributeIds`), without either every system-wide unique
  attribute: "Non-searchable attribute(s) can not be used during global search:  [a, b]" (two
  spaces; the ids a HashSet's order, of Strings at 2.41.9, of UIDs from 2.42.5:
  `Release.tracker_filter_ids_uid_hash`);
- unless tracked entities are given or a unique attribute is filtered, at least the type's (else
  the program's) `minAttributesRequiredToSearch` attributes (default 1: `Program`,
  `TrackedEntityType` at the three tags): "At least 1 attributes should be mentioned in the
  search criteria.".

Not modelled: 2.41.9's `maxTeiCountToReturn` count ("maxteicountreached"; 0, no limit, unless
set).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.access.scope import in_scope
from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.java_hash import hash_set_order, string_hash
from scdi.sandbox.tracker.export.query import Filter
from scdi.sandbox.tracker.preheat import Preheat, ref_id


def _refuse(message: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.conflict_message(message))


def _searched_units(ctx: Ctx, mode: str, units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    every = ctx.store.list_objects("organisationUnits")
    if mode == "SELECTED":
        return units
    if mode in ("CHILDREN", "DESCENDANTS"):
        ids = {u["id"] for u in units}
        return [u for u in every if ref_id(u.get("parent")) in ids]
    if mode == "ALL":
        return [u for u in every if not u.get("parent")]
    wanted = set(ctx.user.search_org_units)
    return [u for u in every if u["id"] in wanted]


def in_capture_scope(ctx: Ctx, p: Preheat, mode: str, units: list[dict[str, Any]]) -> bool:
    """#isSearchInCaptureScope."""
    if mode == "CAPTURE":
        return True
    local = tuple(ctx.user.capture_org_units)
    return all(in_scope(p, unit, local) for unit in _searched_units(ctx, mode, units))


def _system_wide_unique(attribute: dict[str, Any] | None) -> bool:
    return bool(attribute and attribute.get("unique") and not attribute.get("orgunitScope"))


def _searchable(p: Preheat, entries: list[Any], plural: str) -> set[str]:
    """The searchable attributes of a program's or type's attribute entries (an entry given by
    reference only is looked up in `plural`, as `Preheat#program_attributes` does)."""
    out = set()
    for entry in entries:
        if "trackedEntityAttribute" not in entry and "attribute" not in entry:
            entry = p.by_uid(plural, ref_id(entry)) or {}
        uid = ref_id(entry.get("trackedEntityAttribute") or entry.get("attribute"))
        if uid and (entry.get("searchable") or _system_wide_unique(p.by_uid("trackedEntityAttributes", uid))):
            out.add(uid)
    return out


def _uid_hash(uid: str) -> int:
    """Lombok's @EqualsAndHashCode of `UID` (one field): 59 + the value's String#hashCode."""
    value = (59 + string_hash(uid)) & 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def check_global_search(ctx: Ctx, p: Preheat, program: dict[str, Any] | None,
                        tet: dict[str, Any] | None, mode: str, units: list[dict[str, Any]],
                        filters: list[Filter], te_uids: set[str]) -> None:
    """#validateSearchOutsideCaptureScopeParameters (module docstring)."""
    if in_capture_scope(ctx, p, mode, units):
        return
    filtered = list(dict.fromkeys(f.uid for f in filters))
    if filtered:
        searchable: set[str] = set()
        if program is not None:
            searchable |= _searchable(p, program.get("programTrackedEntityAttributes") or [],
                                      "programTrackedEntityAttributes")
        if tet is not None:
            searchable |= _searchable(p, tet.get("trackedEntityTypeAttributes") or [],
                                      "trackedEntityTypeAttributes")
        if program is None and tet is None:
            searchable |= {a["id"] for a in ctx.store.list_objects("trackedEntityAttributes")
                           if _system_wide_unique(a)}
        violating = [uid for uid in filtered if uid not in searchable]
        if violating:
            hashing = _uid_hash if ctx.release.tracker_filter_ids_uid_hash else string_hash
            listed = ", ".join(hash_set_order(violating, hash_code=hashing))
            raise _refuse(f"Non-searchable attribute(s) can not be used during global search:  [{listed}]")
    if te_uids:
        return
    owner = tet if tet is not None else program
    if owner is None:
        return
    needed = int(owner.get("minAttributesRequiredToSearch", 1) or 0)
    unique = any((p.by_uid("trackedEntityAttributes", uid) or {}).get("unique") for uid in filtered)
    if not unique and ((not filtered and needed > 0) or (filtered and len(filtered) < needed)):
        raise _refuse(f"At least {needed} attributes should be mentioned in the search criteria.")
