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
  after an OK import; the document patched carries the groups the user is in,
  `patch_document`, so the default ERRORS_NOT_OWNER import refuses any patch of a grouped
  user with E5006): each `add` operation whose path starts with `/userGroups` sets the
  membership to the ids of its value's elements; a `replace` there is cast to AddOperation,
  which it is not: a ClassCastException (500), as is an element without `id` a
  NullPointerException (2.41.9:919-943, 2.42.5:913-936, 2.43.1:851-874); `remove`
  operations leave it alone.

On 2.43 both hand `UID`s on (`UserGroup::getUID`, `UID.of`): an id that is no UID is a 400
(`Release.user_group_ids_as_uids`).

Each group changes only where `DefaultUserGroupService#canAddOrRemoveMember` allows it:
`AclService#canUpdate` on the group or `F_USER_GROUPS_READ_ONLY_ADD_MEMBERS`; unknown groups
are skipped (2.42.5 DefaultUserGroupService.java:136-212, same rule at 2.41.9 and 2.43.1).
On `POST /api/users` a group it refuses (an unknown one too) has already stopped the request
with a 409 (`UserController#validateCreateUser`, `access/user_admin.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.core import objects, webmessage
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User, groups_of
from scdi.upstream.releases import RELEASES

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


def _as_uids(minor: str, ids: Iterable[str | None]) -> None:
    """2.43's `UID#of` of each group id (`Release.user_group_ids_as_uids`): the first it
    refuses is an IllegalArgumentException, 400 without errorCode."""
    if not RELEASES[minor].user_group_ids_as_uids:
        return
    for uid in ids:
        if not objects.is_uid(uid):
            raise webmessage.fail(webmessage.error(
                400, "UID must be an alphanumeric string of 11 characters starting with a "
                     f"letter, but was: {'null' if uid is None else uid}"))


def patch_document(store: Store, member: str, stored: dict[str, Any]) -> dict[str, Any]:
    """The user as JsonPatchManager#apply patches it: `jsonMapper.valueToTree` of the persisted
    User writes its `getGroups()` as `userGroups` (an empty set as `[]`, NON_NULL), each group
    then a shallow copy of id and uid (#handleCollectionUpdates, 2.41.9 :100-127, 2.42.5
    :102-129, 2.43.1 :103-130). So `/userGroups/0` exists for a patch, and the default
    ERRORS_NOT_OWNER import sees the groups the user is in (E5006) whatever the patch changes."""
    return {**stored, "userGroups": [{"id": uid} for uid in groups_of(store, member)]}


def put_groups(store: Store, current: User, minor: str, member: str, refs: Any) -> None:
    """`#updateUserGroups(String, User, UserDetails)` after a PUT: the membership becomes the
    groups of `refs` (the parsed user's `getGroups()`; on 2.43 each `getUID()` first, a group
    without id `null`; the first refused in payload order, where DHIS2 walks its HashSet)."""
    if isinstance(refs, list):
        _as_uids(minor, [None if r.get("id") is None else _as_text(r["id"])
                         for r in refs if isinstance(r, dict)])
    update_groups(store, current, minor, member, ref_uids(refs))


# The helpful NullPointerException of `node.get("id").asText()` on an element without `id`.
_NO_ID = ('Cannot invoke "com.fasterxml.jackson.databind.JsonNode.asText()" because the return '
          'value of "com.fasterxml.jackson.databind.JsonNode.get(String)" is null')
# ReplaceOperation and AddOperation both extend JsonPatchValueOperation; the JVM's message goes
# on with " (… are in unnamed module of loader …)", the deployment's class loader, left out here.
_NOT_ADD = ("class org.hisp.dhis.commons.jackson.jsonpatch.operations.ReplaceOperation cannot be "
            "cast to class org.hisp.dhis.commons.jackson.jsonpatch.operations.AddOperation")


def _as_text(node: Any) -> str:
    """JsonNode#asText: a string as it is, numbers and booleans written, `null` for a JSON null
    and the empty string for a container."""
    if isinstance(node, str):
        return node
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, int | float):
        return json.dumps(node)
    return ""


def _element_ids(minor: str, value: Any) -> list[str]:
    """`value.elements()` (an array's items, an object's field values, nothing for a scalar),
    each read by `node.get("id").asText()` (on 2.43 then `UID.of`, element by element)."""
    elements = value if isinstance(value, list) else list(value.values()) \
        if isinstance(value, dict) else []
    ids: list[str] = []
    for node in elements:
        if not isinstance(node, dict) or "id" not in node:
            raise webmessage.UncaughtException(_NO_ID)
        ids.append(_as_text(node["id"]))
        _as_uids(minor, ids[-1:])
    return ids


def apply_patch(store: Store, current: User, minor: str, member: str, patch: Any) -> None:
    """`#updateUserGroups(JsonPatch, User)`: the operations in order; each `add`/`replace`
    whose path starts with `/userGroups` (JsonPointer#matchProperty) is cast to AddOperation
    and its value's ids become the membership. A `replace` fails the cast and an element
    without `id` the read, after the operations before it took effect."""
    for op in patch if isinstance(patch, list) else []:
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace"):
            continue
        path = op.get("path")
        if not isinstance(path, str) or path.split("/")[1:2] != ["userGroups"]:
            continue
        if op["op"] == "replace":
            raise webmessage.UncaughtException(_NOT_ADD)
        update_groups(store, current, minor, member, _element_ids(minor, op.get("value")))
