"""User group membership set through `/api/users`.

`UserGroup.users` is the owning side of the membership (`core/users.py`), so the metadata
importer ignores a user's `userGroups`; `webapi/controller/user/UserController.java` applies
them itself once the import succeeded (2.41.9, 2.42.5, 2.43.1):

- `POST /api/users` (`#createUser`, created == 1) → `UserGroupService#addUserToGroups`: the
  user joins each listed group, never leaves one (2.41.9:770, 2.42.5:779-781, 2.43.1:736-738).
- `PUT /api/users/{uid}` (`#updateUser`, updated == 1) → `#updateUserGroups` →
  `UserGroupService#updateUserGroups` with the parsed `User#getGroups`, an empty set when
  the body has no `userGroups`: the membership becomes the list sent (2.41.9:652/671-680,
  2.42.5:671/690-699, 2.43.1:627/646-655).
- `PATCH /api/users/{uid}` (`#postPatchEntity` → `#updateUserGroups(JsonPatch, User)`,
  after an OK import): each `add`/`replace` operation whose path starts with `/userGroups`
  sets the membership to the ids of its value's elements (2.41.9:919-940, 2.42.5:913-933,
  2.43.1:851-871); `remove` operations leave it alone.

Each group changes only where `DefaultUserGroupService#canAddOrRemoveMember` allows it:
`AclService#canUpdate` on the group or `F_USER_GROUPS_READ_ONLY_ADD_MEMBERS`; unknown groups
are skipped (2.42.5 DefaultUserGroupService.java:136-212, same rule at 2.41.9 and 2.43.1).
On `POST /api/users` a group it refuses (an unknown one too) has already stopped the request
with a 409 (`UserController#validateCreateUser`, `access/user_admin.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.core import objects
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User, groups_of

READ_ONLY_ADD_MEMBERS = "F_USER_GROUPS_READ_ONLY_ADD_MEMBERS"


def ref_uids(refs: Any) -> list[str]:
    """The ids of a list of references (`[{"id": …}]`), anything else skipped."""
    return [r["id"] for r in refs or [] if isinstance(r, dict) and isinstance(r.get("id"), str)]


def can_add_or_remove_member(user: User, group: dict[str, Any] | None, minor: str) -> bool:
    if group is None:
        return False
    return acl.can_update(user, "userGroups", group, minor) or user.has(READ_ONLY_ADD_MEMBERS)


def _set_member(store: Store, current: User, group: dict[str, Any], member: str,
                present: bool) -> None:
    users = ref_uids(group.get("users"))
    if (member in users) == present:
        return  # updateNoAcl only runs for a group whose members changed
    users = [*users, member] if present else [u for u in users if u != member]
    store.put_object("userGroups", objects.stamp_update(
        {**group, "users": [{"id": u} for u in users]}, group, current))


def add_to_groups(store: Store, current: User, minor: str, member: str,
                  uids: Iterable[str]) -> None:
    with store.lock, store.transaction():
        for uid in dict.fromkeys(uids):
            group = store.get_object("userGroups", uid)
            if group is not None and can_add_or_remove_member(current, group, minor):
                _set_member(store, current, group, member, True)


def update_groups(store: Store, current: User, minor: str, member: str,
                  uids: Iterable[str]) -> None:
    wanted = list(dict.fromkeys(uids))
    with store.lock, store.transaction():
        for uid in groups_of(store, member):
            group = store.get_object("userGroups", uid)
            if uid not in wanted and group is not None \
                    and can_add_or_remove_member(current, group, minor):
                _set_member(store, current, group, member, False)
        for uid in wanted:
            group = store.get_object("userGroups", uid)
            if group is not None and can_add_or_remove_member(current, group, minor):
                _set_member(store, current, group, member, True)


def patched_groups(patch: Any) -> list[list[str]]:
    """The group id lists of the patch's `add`/`replace` operations on `/userGroups…`, in
    order; each one replaces the membership in turn."""
    found: list[list[str]] = []
    for op in patch if isinstance(patch, list) else []:
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace"):
            continue
        path = op.get("path")
        # JsonPointer#matchProperty: the first segment names the property
        if not isinstance(path, str) or path.split("/")[1:2] != ["userGroups"]:
            continue
        value = op.get("value")
        if isinstance(value, list):
            found.append(ref_uids(value))
    return found
