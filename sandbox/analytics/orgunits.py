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


def units(store: Store) -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for doc in store.list_objects("organisationUnits"):
        path = str(doc.get("path") or f"/{doc['id']}")
        out[doc["id"]] = Unit(doc["id"], str(doc.get("name") or doc["id"]), path,
                              len(path.strip("/").split("/")), doc.get("shortName"))
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
                      fallback: bool = False) -> Unit | None:
    """The first unit outside the user's data view units, when the user has any
    (`DefaultAnalyticsSecurityManager#decideAccessDataViewOrganisationUnits`, superusers too);
    with `fallback` (2.43.1, `Release.analytics_data_view_falls_back_to_capture`) a user without
    data view units is checked against the capture units."""
    own = user.view_org_units or (user.capture_org_units if fallback else ())
    if not own:
        return None
    views = [tree[u] for u in own if u in tree]
    return next((u for u in units if not any(within(u.path, v) for v in views)), None)


def within(path: str, unit: Unit) -> bool:
    """A row of org unit `path` counts for `unit` and each of its ancestors."""
    return (path + "/").startswith(unit.path + "/")


def meta(unit: Unit) -> dict[str, Any]:
    return {"uid": unit.uid, "name": unit.name}
