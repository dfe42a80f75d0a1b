"""Matching a registry's province, district and commune to the server's org units.

Order: a DHIS2 UID or org unit code first; otherwise the name, Vietnamese-aware (`names.py`:
NFC/NFD, with or without diacritics and prefixes, hyphen spacing, "Huế" = "Thừa Thiên Huế").
Both administrative trees work:

- a server with the tree after 1 July 2025 (34 provinces, no districts): an old province name
  ("Bắc Giang", "Bà Rịa-Vũng Tàu", "Hậu Giang") is read through the official old → new table
  (`data/vn_provinces_2025.json`) as the province it is now part of, and the district, if
  given, is ignored (the level no longer exists);
- a server with the tree before: names match directly; a new province name that is a merger
  ("Bắc Ninh") also lets the commune be found in the old provinces merged into it.

A value that matches nothing, or more than one unit, is a finding with up to five
candidates, never a guess; the row's place is then None.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from pydantic import BaseModel, ConfigDict, Field

from scdi.connector.provision import findings as fnd
from scdi.connector.provision.findings import Finding
from scdi.connector.provision.names import PlaceKey, ProvinceTable, place_key, province_table
from scdi.connector.provision.tree import OrgUnit, Tree


class Place(BaseModel):
    """Where a group goes: its parent org unit and the units its leader may search."""

    model_config = ConfigDict(frozen=True)

    province: OrgUnit
    district: OrgUnit | None = None
    commune: OrgUnit | None = None
    parent: OrgUnit  # the deepest unit matched: the commune where the server has communes
    search: OrgUnit  # the commune, or the province where the server has no commune level


class Where(BaseModel):
    """The registry location findings are reported at."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None


class PlaceResult(BaseModel):
    place: Place | None = None
    findings: list[Finding] = Field(default_factory=list)


def match_place(tree: Tree, province: str | None, district: str | None, commune: str | None,
                where: Where | None = None, table: ProvinceTable | None = None) -> PlaceResult:
    where = where or Where()
    table = table or province_table()
    roles = tree.roles
    out: list[Finding] = []
    if roles.province is None:
        out.append(_finding("error", "place.no-province-level", "province",
                            "the server's org unit tree has no province level that could be recognised", where))
        return PlaceResult(findings=out)
    if not (province or "").strip():
        out.append(_finding("error", "registry.required", "province", "the province is empty", where))
        return PlaceResult(findings=out)
    found, scope = _match_province(tree, table, province or "", where, out)
    if found is None:
        return PlaceResult(findings=out)
    district_unit: OrgUnit | None = None
    if (district or "").strip():
        if roles.district is None:
            out.append(_finding("info", "place.district-ignored", "district",
                                f"district {district!r} is not used: the server's tree has no district level "
                                "(the 2025 reform removed it)", where))
        else:
            district_unit = _match_below(tree, scope, roles.district, district or "", "district", where, out)
            if district_unit is None:
                return PlaceResult(findings=out)
    commune_unit: OrgUnit | None = None
    if roles.commune is not None:
        if not (commune or "").strip():
            out.append(_finding("error", "registry.required", "commune", "the commune is empty", where))
            return PlaceResult(findings=out)
        roots = [district_unit] if district_unit else scope
        commune_unit = _match_below(tree, roots, roles.commune, commune or "", "commune", where, out,
                                    primary=[found] if district_unit is None and len(scope) > 1 else None)
        if commune_unit is None:
            return PlaceResult(findings=out)
        actual = tree.ancestor_at(commune_unit, roles.province)
        if actual is not None and actual.uid != found.uid:
            out.append(_finding("info", "place.merged-province", "province",
                                f"{commune_unit.name!r} is in {actual.name}, which the 2025 reform merged into "
                                f"{province!r}", where))
            found = actual
        if district_unit is None and roles.district is not None:
            district_unit = tree.ancestor_at(commune_unit, roles.district)
    elif (commune or "").strip():
        out.append(_finding("info", "place.commune-ignored", "commune",
                            "the server's tree has no commune level; the group goes under its "
                            + ("district" if district_unit else "province"), where))
    parent = commune_unit or district_unit or found
    return PlaceResult(place=Place(province=found, district=district_unit, commune=commune_unit, parent=parent,
                                   search=commune_unit or found), findings=out)


def _match_province(tree: Tree, table: ProvinceTable, text: str, where: Where,
                    out: list[Finding]) -> tuple[OrgUnit | None, list[OrgUnit]]:
    level = tree.roles.province
    assert level is not None
    provinces = tree.at_level.get(level, [])
    direct = tree.lookup(text)
    if direct is not None:
        if direct.level != level:
            out.append(_finding("error", "place.wrong-level", "province",
                                f"{text!r} is {direct.name} ({tree.path_names(direct)}), not a province", where,
                                [tree.candidate(direct)]))
            return None, []
        return direct, _merged_scope(tree, table, direct, provinces)
    key = table.canonical(place_key(text).ascii)
    matches = [u for u in provinces if any(table.canonical(k.ascii) == key for k in tree.keys(u))]
    if len(matches) > 1:
        out.append(_finding("error", "place.province-ambiguous", "province",
                            f"{text!r} matches {len(matches)} provinces", where,
                            [tree.candidate(u) for u in matches]))
        return None, []
    if matches:
        return matches[0], _merged_scope(tree, table, matches[0], provinces)
    new_key = table.new_of(key)
    if new_key is not None and table.is_absorbed(key):
        now = [u for u in provinces if any(table.canonical(k.ascii) == new_key for k in tree.keys(u))]
        if len(now) == 1:
            out.append(_finding("info", "place.old-province", "province",
                                f"{text!r} is a province from before 1 July 2025, now part of {now[0].name}",
                                where))
            return now[0], [now[0]]
    out.append(_finding("error", "place.province-unknown", "province",
                        f"no province on the server matches {text!r}", where,
                        [tree.candidate(u) for u in _closest(tree, provinces, key)]))
    return None, []


def _merged_scope(tree: Tree, table: ProvinceTable, unit: OrgUnit, provinces: list[OrgUnit]) -> list[OrgUnit]:
    """On the old tree, a new province name also covers the old provinces merged into it."""
    key = table.canonical(tree.keys(unit)[0].ascii)
    parts = [k for k in table.parts.get(key, []) if k != key]
    extra = [u for u in provinces if u.uid != unit.uid
             and any(table.canonical(k.ascii) in parts for k in tree.keys(u))]
    return [unit, *extra]


def _match_below(tree: Tree, roots: list[OrgUnit], level: int, text: str, column: str, where: Where,
                 out: list[Finding], primary: list[OrgUnit] | None = None) -> OrgUnit | None:
    direct = tree.lookup(text)
    inside = {r.uid for r in roots}
    if direct is not None:
        if direct.level != level:
            out.append(_finding("error", "place.wrong-level", column,
                                f"{text!r} is {direct.name} ({tree.path_names(direct)}), not a {column}", where,
                                [tree.candidate(direct)]))
            return None
        if not inside & set(direct.path):
            out.append(_finding("error", "place.outside", column,
                                f"{text!r} is {tree.path_names(direct)}, outside "
                                + ", ".join(r.name for r in roots), where, [tree.candidate(direct)]))
            return None
        return direct
    wanted = place_key(text)
    for pool_roots in ([primary, roots] if primary else [roots]):
        pool = tree.below(pool_roots, level)
        matches = _narrow([u for u in pool if any(k.ascii == wanted.ascii for k in tree.keys(u))], tree, wanted)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            out.append(_finding("error", f"place.{column}-ambiguous", column,
                                f"{text!r} matches {len(matches)} units in "
                                + ", ".join(r.name for r in pool_roots), where,
                                [tree.candidate(u) for u in matches]))
            return None
    elsewhere = [u for u in tree.at_level.get(level, []) if any(k.ascii == wanted.ascii for k in tree.keys(u))]
    if elsewhere:
        message = (f"no {column} {text!r} in " + ", ".join(r.name for r in roots)
                   + f"; {len(elsewhere)} with that name elsewhere")
        candidates = elsewhere
    else:
        message = f"no {column} on the server matches {text!r} in " + ", ".join(r.name for r in roots)
        candidates = _closest(tree, tree.below(roots, level), wanted.ascii)
    out.append(_finding("error", f"place.{column}-unknown", column, message, where,
                        [tree.candidate(u) for u in candidates]))
    return None


def _narrow(matches: list[OrgUnit], tree: Tree, wanted: PlaceKey) -> list[OrgUnit]:
    """Among same-name units, those whose prefix kind, then whose diacritics, agree."""
    if len(matches) > 1 and wanted.kind:
        same_kind = [u for u in matches if any(k.kind == wanted.kind for k in tree.keys(u))]
        matches = same_kind or matches
    if len(matches) > 1:
        exact = [u for u in matches if any(k.exact == wanted.exact for k in tree.keys(u))]
        matches = exact or matches
    return matches


def _closest(tree: Tree, pool: list[OrgUnit], key: str) -> list[OrgUnit]:
    def score(unit: OrgUnit) -> float:
        return max(SequenceMatcher(None, key, k.ascii).ratio() for k in tree.keys(unit))

    ranked = sorted(pool, key=lambda u: (-score(u), u.name))
    return ranked[: fnd.MAX_CANDIDATES]


def _finding(severity: str, code: str, column: str, message: str, where: Where,
             candidates: list[fnd.Candidate] | None = None) -> Finding:
    return fnd.make(fnd.Severity(severity.upper()), code, message, file=where.file, sheet=where.sheet,
                    row=where.row, column=column, candidates=candidates or [])
