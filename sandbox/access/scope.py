"""Org unit scopes and program ownership: where a user captures, searches and owns records.

- capture scope: `UserDetails#isInUserHierarchy` (`dhis-api/.../user/UserDetails.java`,
  2.41.9 … 2.43.1);
- the search hierarchy proper (`in_search_hierarchy`): the search units, or the capture units
  when the user has none, never both (2.41.9 `User#getTeiSearchOrganisationUnitsWithFallback`
  via `DefaultOrganisationUnitService#isInUserSearchHierarchy`; 2.42.5/2.43.1
  `UserDetails#createUserDetails` `userSearchOrgUnitIds` and `#isInUserSearchHierarchy`), which
  the temporary ownership grant asks (`#isOwnerInUserSearchScope`) at every release;
- the effective search scope (`in_effective_search_scope`): capture ∪ search units (2.42.5
  `UserDetails.java` :167-171/:308, 2.43.1 :185-189/:342 `userEffectiveSearchOrgUnitIds`,
  `#isInUserEffectiveSearchOrgUnitHierarchy`; also 2.41.9's event export SQL,
  `JdbcEventStore#getSearchAndCaptureScopeOrgUnitPathMatchQuery`);
- the tracker's search scope check (`can_search`): `effective` is the release's
  `tracker_search_scope_adds_capture_units`: the effective search scope from 2.42, the search
  hierarchy at 2.41;
- ownership: `DefaultTrackerOwnershipManager#hasAccess` (OPEN and AUDITED programs need the
  owner in the search scope, PROTECTED and CLOSED in the capture scope, PROTECTED also passes
  with a temporary grant from breaking the glass, `tracker/temp_owners.py`), skipped by
  `#canSkipOwnershipCheck` (no program, a superuser, a program without registration: 2.41.9
  :364-372, 2.42.5 :288-296, 2.43.1 :305-313).
"""

from __future__ import annotations

from typing import Any, Protocol

from scdi.sandbox.core.programs import is_without_registration
from scdi.sandbox.core.users import User


class Paths(Protocol):
    """What knows an org unit's path (the tracker preheat, or the store)."""

    def org_unit_path(self, org_unit: dict[str, Any]) -> str: ...


def in_scope(paths: Paths, org_unit: dict[str, Any] | None, roots: tuple[str, ...]) -> bool:
    """The org unit path passes through one of the roots."""
    if org_unit is None:
        return False
    ancestors = set(paths.org_unit_path(org_unit).strip("/").split("/"))
    return any(root in ancestors for root in roots)


def can_capture(paths: Paths, user: User, org_unit: dict[str, Any] | None) -> bool:
    """Capture scope, with no superuser bypass (`SecurityOwnershipValidator` asks
    `UserDetails#isInUserHierarchy` of everyone)."""
    return in_scope(paths, org_unit, user.capture_org_units)


def in_search_hierarchy(paths: Paths, user: User, org_unit: dict[str, Any] | None) -> bool:
    return in_scope(paths, org_unit, user.search_org_units or user.capture_org_units)


def in_effective_search_scope(paths: Paths, user: User, org_unit: dict[str, Any] | None) -> bool:
    return can_capture(paths, user, org_unit) or in_scope(paths, org_unit, user.search_org_units)


def can_search(paths: Paths, user: User, org_unit: dict[str, Any] | None, *, effective: bool) -> bool:
    if effective:
        return in_effective_search_scope(paths, user, org_unit)
    return in_search_hierarchy(paths, user, org_unit)


def skips_ownership(user: User, program: dict[str, Any] | None) -> bool:
    """`DefaultTrackerOwnershipManager#canSkipOwnershipCheck`."""
    return program is None or user.superuser or is_without_registration(program)


def access_level_allows(paths: Paths, user: User, program: dict[str, Any],
                        org_unit: dict[str, Any] | None, temporary: bool = False, *,
                        effective: bool) -> bool:
    """The program access level's rule for an owner org unit, superusers passing, whatever the
    program type: what the export queries apply to every row (`effective` as for
    `can_search`)."""
    if user.superuser:
        return True
    level = (program.get("accessLevel") or "OPEN").upper()
    if level in ("OPEN", "AUDITED"):
        return can_search(paths, user, org_unit, effective=effective)
    return can_capture(paths, user, org_unit) or (level == "PROTECTED" and temporary)


def owner_access(paths: Paths, user: User, program: dict[str, Any] | None,
                 owner_org_unit: dict[str, Any] | None, temporary: bool = False, *,
                 effective: bool) -> bool:
    """`#hasAccess`. `temporary`: the user holds an unexpired temporary grant on the record and
    program."""
    if program is None or skips_ownership(user, program) or owner_org_unit is None:
        return True
    return access_level_allows(paths, user, program, owner_org_unit, temporary, effective=effective)
