"""`ou:` items: org unit UIDs, `LEVEL-n` (with the UIDs they narrow, or the whole tree),
`USER_ORGUNIT`, `USER_ORGUNIT_CHILDREN`, `USER_ORGUNIT_GRANDCHILDREN`; aggregation up the tree
by path (`analytics/data/DefaultDataQueryService.java#getDimension` for the keywords,
`analytics/DataQueryParams.java` and the analytics tables' `uidlevelN` columns for "a value
counts for every ancestor of its org unit"). The user org units are the user's capture units
(`DefaultDataQueryService#getUserOrgUnits`, called with no params: `User#getOrganisationUnits`,
the same at 2.41.9, 2.42.5 and 2.43.1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scdi.sandbox.core import java_hash
from scdi.sandbox.core.java_split import java_split
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


def _user_roots(user: User, tree: dict[str, Unit]) -> list[Unit]:
    """`DefaultDataQueryService#getUserOrgUnits(null, null)`: the user's capture units
    (`User#getOrganisationUnits`), sorted (`BaseIdentifiableObject#compareTo`)."""
    return sorted((tree[u] for u in user.capture_org_units if u in tree),
                  key=lambda u: ignore_case_key(u.name))


def ignore_case_key(text: str) -> tuple[int, ...]:
    """A sort key of Java's `String#compareToIgnoreCase`: each char upper-cased, then
    lower-cased, one char for one (`Character#toUpperCase`/`#toLowerCase`)."""
    out = []
    for ch in text:
        up = ch.upper() if len(ch.upper()) == 1 else ch
        low = up.lower() if len(up.lower()) == 1 else up
        out.append(ord(low))
    return tuple(out)


def _sorted_children(unit: Unit, tree: dict[str, Unit]) -> list[Unit]:
    # OrganisationUnit#getSortedChildren: OrganisationUnitDisplayNameComparator, String#compareTo
    return sorted(children(unit, tree), key=lambda u: u.name)


def level_of(item: str, level_uids: dict[str, int]) -> int | None:
    """The level a `LEVEL-…` item names (`DimensionalObjectUtils#getValueFromKeywordParam`,
    the part after the first `-`; `OrganisationUnitService#getOrganisationUnitLevelByLevelOrUid`:
    a positive integer as `ExpressionService.INT_EXPRESSION` reads it, or the uid of a stored
    level), else None. The same at 2.41.9, 2.42.5 and 2.43.1."""
    parts = java_split("-", item)
    value = parts[1] if len(parts) > 1 else ""
    if re.fullmatch(r"0|-?[1-9][0-9]*", value):
        return int(value) if int(value) > 0 else None
    if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_]{10}", value):
        return level_uids.get(value)
    return None


def resolve(items: list[str], tree: dict[str, Unit], user: User, *,
            drop_unknown: bool = False, level_uids: dict[str, int] | None = None) -> list[Unit]:
    """The units of an `ou:` dimension as `DimensionalObjectProvider#getOrgUnitDimensionItems`
    and `#getOrgUnitDimension` read them (2.41.9 `DimensionalObjectProducer`): UIDs as given,
    `USER_ORGUNIT` the user's capture units sorted, `_CHILDREN`/`_GRANDCHILDREN` their sorted
    children (and those's), then with `LEVEL-n` the units at the levels below those units, or
    anywhere in the tree when there are none (`OrganisationUnitService
    #getOrganisationUnitsAtLevels`), sorted; no unit twice. `drop_unknown`: an item naming no
    unit or level is left out, as `/api/analytics` does."""
    roots: list[Unit] = []
    levels: list[int] = []
    for item in items:
        if item.startswith("LEVEL-"):
            level = level_of(item, level_uids or {})
            if level is not None:
                levels.append(level)
            elif not drop_unknown:
                raise OrgUnitError(item)
        elif item == "USER_ORGUNIT":
            roots.extend(_user_roots(user, tree))
        elif item == "USER_ORGUNIT_CHILDREN":
            roots.extend(c for m in _user_roots(user, tree) for c in _sorted_children(m, tree))
        elif item == "USER_ORGUNIT_GRANDCHILDREN":
            roots.extend(g for m in _user_roots(user, tree) for c in _sorted_children(m, tree)
                         for g in _sorted_children(c, tree))
        elif item in tree:
            roots.append(tree[item])
        elif not drop_unknown:
            raise OrgUnitError(item)
    if levels:
        picked = [u for u in tree.values() if u.level in levels
                  and (not roots or any(within(u.path, r) for r in roots))]
        roots = sorted(picked, key=lambda u: ignore_case_key(u.name))
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
    uids = {str(doc["id"]): n for n, doc in levels.items()}
    found = []
    for item in items:
        if item.startswith("LEVEL-"):
            n = level_of(item, uids)
            if n is not None and n in levels:
                found.append(levels[n])
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

    # OrganisationUnit#getGrandChildren: one new HashSet of a unit's grandchildren
    lists = {
        "USER_ORGUNIT": mine,
        "USER_ORGUNIT_CHILDREN": [c for u in mine for c in hashed(children(u, tree))],
        "USER_ORGUNIT_GRANDCHILDREN": [g for u in mine for g in hashed(
            [g for c in children(u, tree) for g in children(c, tree)])],
    }
    return {key: {"organisationUnits": [u.uid for u in lists[key]]} for key in keys}


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
