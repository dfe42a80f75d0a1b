"""The server's org unit tree and what each of its levels is (country, province, district, commune).

Levels are read from the server, never assumed: `GET /api/organisationUnitLevels` names them
(dhis2-core `webapi/controller/organisationunit/OrganisationUnitLevelController.java`; the
names are whatever the instance's administrators typed, e.g. "Tỉnh/Thành phố", "Quận/Huyện",
"Xã/Phường"), and each org unit carries its `level` and `path`. Only when that endpoint is
missing (404) or names no level that can be recognised are the roles worked out from the
units' own names (prefixes "Tỉnh", "Huyện", "Xã" …, and the official province list); the
tree then says so in `roles.source`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import NotFound
from scdi.connector.provision.findings import Candidate
from scdi.connector.provision.names import (
    COMMUNE_KINDS,
    DISTRICT_KINDS,
    PlaceKey,
    ProvinceTable,
    ascii_fold,
    place_key,
    province_table,
)

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
OU_FIELDS = "id,code,name,shortName,level,path,parent[id],openingDate,closedDate"

_LEVEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("country", ("quoc gia", "country", "national", "toan quoc", "trung uong")),
    ("province", ("tinh", "province")),
    ("district", ("huyen", "quan", "district")),
    ("commune", ("xa", "phuong", "commune", "ward")),
)


class Getter(Protocol):
    """Anything with the client's `get` and `items` (the client itself, or a request counter
    around it). Lists that grow with the groups (org units, user groups, tracked entities) are
    read page by page through `items`, never with `paging=false`."""

    def get(self, path: str, params: Any = None) -> Any: ...

    def items(self, path: str, key: str | None = None, params: Mapping[str, Any] | None = None, *,
              page_size: int = ...) -> Iterable[dict[str, Any]]: ...


TREE_PAGE = 500  # org units per page when reading the whole tree (thousands on a national server)


class OrgUnit(BaseModel):
    model_config = ConfigDict(frozen=True)

    uid: str
    code: str | None = None
    name: str
    short_name: str | None = None
    level: int
    path: tuple[str, ...]
    parent: str | None = None
    opening_date: str | None = None  # yyyy-mm-dd
    closed_date: str | None = None


class LevelRoles(BaseModel):
    """Which level number holds which kind of unit on this server."""

    country: int = 1
    province: int | None = None
    district: int | None = None
    commune: int | None = None
    names: dict[int, str] = Field(default_factory=dict)
    source: str = "organisationUnitLevels"  # or "unit names (no /api/organisationUnitLevels)"

    @property
    def deepest(self) -> int:
        return self.commune or self.district or self.province or self.country

    @property
    def group_level(self) -> int:
        """The level a group's own org unit sits at: one below its commune."""
        return self.deepest + 1


class Tree:
    def __init__(self, units: list[OrgUnit], roles: LevelRoles) -> None:
        self.units = {u.uid: u for u in units}
        self.roles = roles
        self.by_code: dict[str, OrgUnit] = {}
        self.by_code_folded: dict[str, list[OrgUnit]] = defaultdict(list)
        self.children: dict[str, list[OrgUnit]] = defaultdict(list)
        self.at_level: dict[int, list[OrgUnit]] = defaultdict(list)
        for unit in units:
            if unit.code:
                self.by_code[unit.code] = unit
                self.by_code_folded[unit.code.casefold()].append(unit)
            if unit.parent:
                self.children[unit.parent].append(unit)
            self.at_level[unit.level].append(unit)
        self._keys: dict[str, tuple[PlaceKey, ...]] = {}

    def keys(self, unit: OrgUnit) -> tuple[PlaceKey, ...]:
        if unit.uid not in self._keys:
            names = {unit.name, unit.short_name or unit.name}
            self._keys[unit.uid] = tuple(place_key(n) for n in sorted(names))
        return self._keys[unit.uid]

    def lookup(self, text: str) -> OrgUnit | None:
        """An org unit by UID or code (exact, then case-insensitive when that is unique)."""
        text = text.strip()
        if UID.match(text) and text in self.units:
            return self.units[text]
        if text in self.by_code:
            return self.by_code[text]
        folded = self.by_code_folded.get(text.casefold(), [])
        return folded[0] if len(folded) == 1 else None

    def below(self, roots: list[OrgUnit], level: int) -> list[OrgUnit]:
        """Units at `level` under any of `roots` (or the roots themselves at that level)."""
        wanted = {r.uid for r in roots}
        return [u for u in self.at_level.get(level, []) if wanted & set(u.path)]

    def path_names(self, unit: OrgUnit) -> str:
        return " / ".join(self.units[uid].name for uid in unit.path if uid in self.units)

    def candidate(self, unit: OrgUnit) -> Candidate:
        return Candidate(name=unit.name, code=unit.code, uid=unit.uid, path=self.path_names(unit))

    def ancestor_at(self, unit: OrgUnit, level: int) -> OrgUnit | None:
        if 0 < level <= len(unit.path):
            return self.units.get(unit.path[level - 1])
        return None


def _unit(raw: dict[str, Any]) -> OrgUnit:
    path = tuple(p for p in str(raw.get("path") or "").split("/") if p) or (raw["id"],)
    parent = raw.get("parent") or {}
    return OrgUnit(uid=raw["id"], code=raw.get("code"), name=raw.get("name") or raw["id"],
                   short_name=raw.get("shortName"), level=int(raw.get("level") or len(path)), path=path,
                   parent=parent.get("id") if isinstance(parent, dict) else None,
                   opening_date=_date(raw.get("openingDate")), closed_date=_date(raw.get("closedDate")))


def _date(value: Any) -> str | None:
    if not value:
        return None
    text = str(value)[:10]
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def read_tree(client: Dhis2Client | Getter, table: ProvinceTable | None = None) -> Tree:
    """The whole org unit tree (GET /api/organisationUnits, page by page) and its level roles."""
    units = [_unit(raw) for raw in client.items("organisationUnits", params={"fields": OU_FIELDS},
                                                page_size=TREE_PAGE)]
    try:
        levels = client.get("organisationUnitLevels", params={"fields": "level,name", "paging": "false"})
        names = {int(item["level"]): str(item.get("name") or "") for item in (levels or {}).get(
            "organisationUnitLevels", []) if item.get("level") is not None}
        source = "organisationUnitLevels"
    except NotFound:
        names, source = {}, "unit names (the server has no /api/organisationUnitLevels)"
    return Tree(units, classify_levels(names, units, table or province_table(), source))


def _level_word(name: str) -> str | None:
    folded = " " + " ".join(re.split(r"[^a-z0-9]+", ascii_fold(name))) + " "
    for role, words in _LEVEL_WORDS:
        if any(f" {word} " in folded for word in words):
            return role
    return None


def classify_levels(names: dict[int, str], units: list[OrgUnit], table: ProvinceTable,
                    source: str = "organisationUnitLevels") -> LevelRoles:
    roles = LevelRoles(names=dict(sorted(names.items())), source=source)
    for level, name in sorted(names.items()):
        role = _level_word(name)
        if role == "country":
            roles.country = level
        elif role == "province" and roles.province is None:
            roles.province = level
        elif role == "district" and roles.district is None:
            roles.district = level
        elif role == "commune" and roles.commune is None:
            roles.commune = level
    if roles.province is None or (roles.commune is None and roles.district is None):
        by_names = _roles_from_units(units, table)
        roles.province = roles.province or by_names.province
        if roles.district is None and roles.commune is None:
            roles.district, roles.commune = by_names.district, by_names.commune
        if not names or source != "organisationUnitLevels":
            roles.source = "unit names (the server has no /api/organisationUnitLevels)"
        else:
            roles.source = "organisationUnitLevels and unit names"
    return roles


def _roles_from_units(units: list[OrgUnit], table: ProvinceTable) -> LevelRoles:
    by_level: dict[int, list[OrgUnit]] = defaultdict(list)
    for unit in units:
        by_level[unit.level].append(unit)
    roles = LevelRoles()
    for level in sorted(by_level):
        known = sum(table.known(place_key(u.name).ascii) for u in by_level[level])
        if known >= max(1, len(by_level[level]) // 2):
            roles.province = level
            break
    if roles.province is None:
        return roles
    level = roles.province + 1
    kinds = Counter(place_key(u.name).kind for u in by_level.get(level, []))
    total = sum(kinds.values())
    if total and sum(kinds[k] for k in DISTRICT_KINDS) * 2 >= total:
        roles.district = level
        level += 1
        kinds = Counter(place_key(u.name).kind for u in by_level.get(level, []))
        total = sum(kinds.values())
    if total and sum(kinds[k] for k in COMMUNE_KINDS) * 2 >= total:
        roles.commune = level
    return roles
