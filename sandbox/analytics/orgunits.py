"""`ou:` items: org unit UIDs, `LEVEL-n` (with the UIDs they narrow, or the user's org units),
`USER_ORGUNIT`, `USER_ORGUNIT_CHILDREN`, `USER_ORGUNIT_GRANDCHILDREN`; aggregation up the tree
by path (`analytics/data/DefaultDataQueryService.java#getDimension` for the keywords,
`analytics/DataQueryParams.java` and the analytics tables' `uidlevelN` columns for "a value
counts for every ancestor of its org unit"). The user org units are the user's data view
units, else capture units (`CurrentUserUtil`/`User#getDataViewOrganisationUnitsWithFallback`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scdi.sandbox.core import java_hash
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User


class OrgUnitError(ValueError):
    """An `ou:` item that names no org unit."""


@dataclass(frozen=True)
class Unit:
    uid: str
    name: str
    path: str
    level: int
    short_name: str | None = None
    code: str | None = None


def units(store: Store) -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for doc in store.list_objects("organisationUnits"):
        path = str(doc.get("path") or f"/{doc['id']}")
        out[doc["id"]] = Unit(doc["id"], str(doc.get("name") or doc["id"]), path,
                              len(path.strip("/").split("/")), doc.get("shortName"), doc.get("code"))
    return out


def _user_roots(user: User) -> tuple[str, ...]:
    return user.view_org_units or user.capture_org_units


def resolve(items: list[str], tree: dict[str, Unit], user: User, *,
            drop_unknown: bool = False) -> list[Unit]:
    """`drop_unknown`: an item naming no unit or level is left out, as
    `DimensionalObjectProvider#getOrgUnitDimensionItems` does for `/api/analytics`."""
    roots: list[Unit] = []
    levels: list[int] = []
    for item in items:
        if item.startswith("LEVEL-"):
            try:
                levels.append(int(item.removeprefix("LEVEL-")))
            except ValueError:
                if drop_unknown:
                    continue
                raise OrgUnitError(item) from None
        elif item in ("USER_ORGUNIT", "USER_ORGUNIT_CHILDREN", "USER_ORGUNIT_GRANDCHILDREN"):
            mine = [tree[u] for u in _user_roots(user) if u in tree]
            depth = {"USER_ORGUNIT": 0, "USER_ORGUNIT_CHILDREN": 1, "USER_ORGUNIT_GRANDCHILDREN": 2}[item]
            roots.extend(u for m in mine for u in tree.values()
                         if u.path.startswith(m.path) and u.level == m.level + depth)
        elif item in tree:
            roots.append(tree[item])
        elif not drop_unknown:
            raise OrgUnitError(item)
    if levels:
        if not roots:
            roots = [tree[u] for u in _user_roots(user) if u in tree]
        picked = [u for u in tree.values() for r in roots for lv in levels
                  if u.level == lv and (u.path + "/").startswith(r.path + "/")]
        roots = picked
    seen: dict[str, Unit] = {}
    for u in roots:
        seen.setdefault(u.uid, u)
    return list(seen.values())


def outside_data_view(user: User, units: list[Unit], tree: dict[str, Unit],
                      fallback: bool = False, max_level: int | None = None) -> Unit | None:
    """The first unit outside the user's data view units, or below the user's
    `dataViewMaxOrganisationUnitLevel` (`max_level`), when the user has any data view units
    (`DefaultAnalyticsSecurityManager#decideAccessDataViewOrganisationUnits`, superusers too:
    2.41.9 :142/:146, 2.42.5 :144/:148, 2.43.1 :141/:145); with `fallback` (2.43.1,
    `Release.analytics_data_view_falls_back_to_capture`) a user without data view units is
    checked against the capture units."""
    own = user.view_org_units or (user.capture_org_units if fallback else ())
    if not own:
        return None
    views = [tree[u] for u in own if u in tree]
    return next((u for u in units if not any(within(u.path, v) for v in views)
                 or (max_level is not None and u.level > max_level)), None)


def within(path: str, unit: Unit) -> bool:
    """A row of org unit `path` counts for `unit` and each of its ancestors."""
    return (path + "/").startswith(unit.path + "/")


def meta(unit: Unit) -> dict[str, Any]:
    return {"uid": unit.uid, "name": unit.name}


def level_keywords(items: list[str], tree: dict[str, Unit], user: User,
                   levels: dict[int, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The `metaData.items` an `ou:` dimension's keywords add where no item has the key
    (`DimensionItemKeywords`, `MetadataItem(name, uid, code)`): with `LEVEL-n` of a stored
    org unit level, the level by its uid and each unit the items name outright or through
    `USER_ORGUNIT*` (the boundaries), by `getName` whatever `displayProperty` says
    (`DimensionalObjectProvider#getOrgUnitDimension`: 2.41.9 `DimensionalObjectProducer`
    :377/:405, 2.42.5 :382/:410, 2.43.1 :392/:420)."""
    found = []
    for item in items:
        if item.startswith("LEVEL-"):
            try:
                level = levels.get(int(item.removeprefix("LEVEL-")))
            except ValueError:
                continue
            if level is not None:
                found.append(level)
    if not found:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for level in found:
        out.setdefault(str(level["id"]), {"name": level.get("name"), "uid": level["id"],
                                          "code": level.get("code")})
    bounds = resolve([i for i in items if not i.startswith("LEVEL-")], tree, user, drop_unknown=True)
    for unit in bounds:
        out.setdefault(unit.uid, {"name": unit.name, "uid": unit.uid, "code": unit.code})
    return out


_USER_KEYS = ("USER_ORGUNIT_CHILDREN", "USER_ORGUNIT_GRANDCHILDREN", "USER_ORGUNIT")


def user_org_unit_items(dimension_params: list[str], tree: dict[str, Unit],
                        user: User) -> dict[str, dict[str, Any]]:
    """The `metaData.items` entries `AnalyticsOrganisationUnitUtils#getUserOrganisationUnitItems`
    adds for the user org unit keywords found in the `dimension=` parameters (not `filter=`;
    `OrganisationUnitCriteriaUtils#getAnalyticsMetaDataKeys` takes each key out before looking
    for the next, so `USER_ORGUNIT_CHILDREN` does not also count as `USER_ORGUNIT`): each
    `{"organisationUnits": [...]}` of the user's capture units (`User#getOrganisationUnits`),
    their children or grandchildren. The same at 2.41.9, 2.42.5 and 2.43.1."""
    text = ",".join(p for p in dimension_params if any(k in p for k in _USER_KEYS))
    keys = []
    for key in _USER_KEYS:
        if key in text:
            keys.append(key)
            text = text.replace(key, "")
    if not keys:
        return {}
    mine = hashed([tree[u] for u in user.capture_org_units if u in tree])

    def below(units: list[Unit], depth: int) -> list[Unit]:
        if depth == 0:
            return units
        return [c for u in units for c in below(hashed(children(u, tree)), depth - 1)]

    depth = {"USER_ORGUNIT": 0, "USER_ORGUNIT_CHILDREN": 1, "USER_ORGUNIT_GRANDCHILDREN": 2}
    return {key: {"organisationUnits": [u.uid for u in below(mine, depth[key])]}
            for key in keys}


def children(unit: Unit, tree: dict[str, Unit]) -> list[Unit]:
    return [u for u in tree.values() if u.level == unit.level + 1 and within(u.path, unit)]


def hashed(units: list[Unit]) -> list[Unit]:
    """The units in the order of a Java hash set of them (User#getOrganisationUnits,
    #getDataViewOrganisationUnits, OrganisationUnit#getChildren; BaseIdentifiableObject
    #hashCode)."""
    return java_hash.hash_set_order(
        units, hash_code=lambda u: java_hash.identifiable_hash(u.uid, u.code, u.name),
        key=lambda u: u.uid)


def max_view_level(store: Store, user: User) -> int | None:
    """The user's `dataViewMaxOrganisationUnitLevel`, as stored (`User#getDataViewMaxOrganisationUnitLevel`)."""
    level = (store.get_object("users", user.uid) or {}).get("dataViewMaxOrganisationUnitLevel")
    return level if isinstance(level, int) and not isinstance(level, bool) else None
