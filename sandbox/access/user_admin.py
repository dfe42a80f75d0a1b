"""Who may create or update a user through `/api/users`, before the import runs.

`webapi/controller/user/UserController.java#validateCreateUser` (`POST /api/users`: 2.41.9
:732-753, 2.42.5 :744-763, 2.43.1 :700-720): 403 E1006 "You don't have the proper permissions to
create this object." without `AclService#canCreate`, then 409 E1004 for `canAddOrUpdateUser`
below, then 409 E1004 "You don't have permissions to add user to user group: <uid>" for the
first group `UserGroupService#canAddOrRemoveMember` refuses (an unknown group too:
`userGroup == null` is false; 2.42.5 `DefaultUserGroupService.java` :136-148). "First" in the
order of `User#getGroups`, the HashSet Jackson filled with the body's `userGroups` stubs
(`User.java` `groups = new HashSet<>()`, `#setGroups` keeps the deserializer's set), hashed and
compared by `BaseIdentifiableObject#hashCode`/`#equals` over the stub's uid, code and name:
`created_group_order`.

`webapi/controller/user/UserController.java#updateUser` (2.41.9 :636-641, 2.42.5 :655-660,
2.43.1 :610-615), after `AclService#canUpdate`, refuses with a ConflictException (409 E1004)
"You must have permissions to create user, or ability to manage at least one user group for
the user." when either check fails:

- `UserService#canAddOrUpdateUser(groups of the body, current user)`: `F_USER_ADD` (or `ALL`)
  passes; otherwise `F_USER_ADD_WITHIN_MANAGED_GROUP` and one listed group the current user
  manages (`User#canManage(UserGroup)` 2.41.9, `UserDetails#canManage` 2.42.5/2.43.1: one of
  the user's groups is among the group's `managedByGroups`); `DefaultUserService` 2.41.9
  :435-464, 2.42.5 :472-497, 2.43.1 :494-519;
- `canModifyUser(stored user)`: `ALL`, or every authority of the stored user's roles among the
  current user's (2.41.9 `User#canModifyUser` :359-371, the controller's current user being a
  `User`; `UserDetailsImpl#canModifyUser` 2.42.5 :149-160, 2.43.1 :82-93).

Everything after it (the user hooks, the security check) is the import's and answers in the
import report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scdi.sandbox.access import membership
from scdi.sandbox.core import java_hash
from scdi.sandbox.core import users as users_mod
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User

USER_ADD = "F_USER_ADD"
USER_ADD_IN_GROUP = "F_USER_ADD_WITHIN_MANAGED_GROUP"
CANNOT_CREATE = "You don't have the proper permissions to create this object."
CANNOT_UPDATE = ("You must have permissions to create user, or ability to manage at least one "
                 "user group for the user.")


def _ids(refs: Any) -> set[str]:
    return {r["id"] for r in refs or [] if isinstance(r, dict) and isinstance(r.get("id"), str)}


def managed_by(store: Store, group_uid: str) -> set[str]:
    """`UserGroup#getManagedByGroups`, the inverse side: the groups whose `managedGroups` (the
    owning side, table `usergroupmanaged`) hold the group."""
    return {g["id"] for g in store.list_objects("userGroups") if group_uid in _ids(g.get("managedGroups"))}


def can_add_or_update_user(store: Store, current: User, group_uids: Iterable[str]) -> bool:
    if current.has(USER_ADD):
        return True
    if not current.has(USER_ADD_IN_GROUP):
        return False
    mine = set(current.user_groups)
    return any(store.get_object("userGroups", uid) is not None and mine & managed_by(store, uid)
               for uid in group_uids)


def can_modify_user(store: Store, current: User, target: dict[str, Any]) -> bool:
    if current.superuser:
        return True
    return users_mod.from_object(store, target).authorities <= current.authorities


def may_update(store: Store, current: User, target: dict[str, Any], group_uids: Iterable[str]) -> bool:
    return can_add_or_update_user(store, current, group_uids) and can_modify_user(store, current, target)


def _stub_key(ref: dict[str, Any]) -> tuple[str | None, ...]:
    # a String property reads "" as none (EmptyStringToNullStdDeserializer)
    return tuple(ref.get(k) if isinstance(ref.get(k), str) and ref.get(k) else None
                 for k in ("id", "code", "name"))


def created_group_order(refs: Any) -> list[str]:
    """The uids of the body's `userGroups` as `getUids(user.getGroups())` lists them: the
    HashSet's iteration order of the stubs (uid, code and name as sent)."""
    stubs = [r for r in refs or [] if isinstance(r, dict) and isinstance(r.get("id"), str)]
    ordered = java_hash.hash_set_order(
        stubs, hash_code=lambda r: java_hash.identifiable_hash(*_stub_key(r)), key=_stub_key)
    return [r["id"] for r in ordered]


def group_refused(current: User, store: Store, minor: str, group_uids: Iterable[str]) -> str | None:
    """The first group the user may not be added to (`validateCreateUser`'s loop)."""
    return next((uid for uid in group_uids
                 if not membership.can_add_or_remove_member(current, store.get_object("userGroups", uid), minor)),
                None)
