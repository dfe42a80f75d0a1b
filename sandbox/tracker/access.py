"""Who may read and write tracker data: sharing, org unit scopes, program ownership.

Sharing follows `AclService#canDataRead/canDataWrite` (dhis-services/dhis-service-acl
`DefaultAclService.java`): a superuser ("ALL") passes; otherwise the data part (characters 3
and 4) of the public access string, or of a user / user-group entry, must grant `r` / `w`
(`AccessStringHelper`). Objects without any sharing block get DHIS2's default for new objects,
`rw------` (metadata only, no data access).

Scopes: `UserDetails#isInUserHierarchy` (capture scope, search scope falling back to capture);
ownership: `DefaultTrackerOwnershipManager#hasAccess`.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core.users import User
from scdi.sandbox.tracker.preheat import Preheat, ref_id

DEFAULT_PUBLIC_ACCESS = "rw------"


# -- sharing --------------------------------------------------------------------------------
def _access_strings(obj: dict[str, Any], user: User) -> list[str]:
    sharing = obj.get("sharing")
    out: list[str] = []
    if isinstance(sharing, dict):
        out.append(sharing.get("public") or sharing.get("publicAccess") or "--------")
        users = sharing.get("users") or {}
        groups = sharing.get("userGroups") or {}
        entry = users.get(user.uid) if isinstance(users, dict) else None
        if isinstance(entry, dict):
            out.append(entry.get("access") or "")
        if isinstance(groups, dict):
            for gid in user.user_groups:
                g = groups.get(gid)
                if isinstance(g, dict):
                    out.append(g.get("access") or "")
        return out
    # Legacy (pre-2.36) sharing fields, still accepted by the metadata importer.
    out.append(obj.get("publicAccess") or DEFAULT_PUBLIC_ACCESS)
    for ua in obj.get("userAccesses") or []:
        if ref_id(ua.get("user")) == user.uid or ua.get("id") == user.uid:
            out.append(ua.get("access") or "")
    for ga in obj.get("userGroupAccesses") or []:
        if (ref_id(ga.get("userGroup")) or ga.get("id")) in user.user_groups:
            out.append(ga.get("access") or "")
    return out


def can_data_read(user: User, obj: dict[str, Any] | None) -> bool:
    if obj is None or user.superuser:
        return True
    return any(len(a) >= 3 and a[2] == "r" for a in _access_strings(obj, user))


def can_data_write(user: User, obj: dict[str, Any] | None) -> bool:
    if obj is None or user.superuser:
        return True
    return any(len(a) >= 4 and a[3] == "w" for a in _access_strings(obj, user))


# -- scopes and ownership ------------------------------------------------------------------
def in_scope(preheat: Preheat, org_unit: dict[str, Any] | None, roots: tuple[str, ...]) -> bool:
    """`UserDetails#isInUserHierarchy`: the org unit path passes through one of the roots."""
    if org_unit is None:
        return False
    ancestors = set(preheat.org_unit_path(org_unit).strip("/").split("/"))
    return any(root in ancestors for root in roots)


def can_capture(preheat: Preheat, user: User, org_unit: dict[str, Any] | None) -> bool:
    """Capture scope, with no superuser bypass (`SecurityOwnershipValidator` asks
    `UserDetails#isInUserHierarchy` of everyone)."""
    return in_scope(preheat, org_unit, user.capture_org_units)


def can_search(preheat: Preheat, user: User, org_unit: dict[str, Any] | None) -> bool:
    """Effective search scope: search units, falling back to capture units."""
    return can_capture(preheat, user, org_unit) or in_scope(
        preheat, org_unit, user.search_org_units)


def owner_access(preheat: Preheat, user: User, program: dict[str, Any],
                 owner_org_unit: dict[str, Any] | None) -> bool:
    """`DefaultTrackerOwnershipManager#hasAccess` without temporary/broken-glass grants.

    OPEN and AUDITED programs need the owner in the search scope, PROTECTED and CLOSED in the
    capture scope; superusers always pass.
    """
    if user.superuser or owner_org_unit is None:
        return True
    level = (program.get("accessLevel") or "OPEN").upper()
    if level in ("OPEN", "AUDITED"):
        return can_search(preheat, user, owner_org_unit)
    return can_capture(preheat, user, owner_org_unit)
