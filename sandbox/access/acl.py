"""Who may read, write and capture what: the one place the sandbox decides access.

Metadata and data sharing copy `dhis-services/dhis-service-acl/.../security/acl/DefaultAclService.java`
(tags 2.41.9, 2.42.5, 2.43.1; the rules below are the same in the three):

- a superuser ("ALL", `UserDetails#isSuper`) passes every check (`haveOverrideAuthority`), and a
  type without a schema is open (`readWriteCommonCheck`);
- `canRead`: the type's READ authority, then for shareable types a public access string without
  sharing, the owner (`checkOwner`: no owner, or the user) or an `r` in the metadata part of the
  public / user / user-group access (`checkSharingPermission`);
- `canWrite` / `canUpdate` / `canDelete`: CREATE (else CREATE_PRIVATE + CREATE_PUBLIC), UPDATE,
  DELETE authorities (else the create ones), then `checkSharingAccess` (may make public /
  private / external) and write sharing; without the authorities an `implicitPrivateAuthority`
  type still lets sharing decide (`_implicit_private`); `canManage` = `canUpdate`;
- `canDataRead` / `canDataWrite`: data-shareable types only (`Schema#isDataShareable`, set by the
  `*SchemaDescriptor`s below), an `r` / `w` in the data part (characters 3 and 4);
- `getAccess`: the `access` block written on every object (`manage, externalize, write, read,
  update, delete`, plus `data {read, write}` on data-shareable types).

A user's groups are the groups whose `users` hold them: `UserGroup.users` is the owning side
(`dhis-services/dhis-service-core/.../user/hibernate/UserGroup.hbm.xml`), `User.groups` the
inverse (`core/users.py#groups_of`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import registry
from scdi.upstream.releases import DEFAULT_MINOR, RELEASES

# New objects without a sharing block (legacy payloads): `AccessStringHelper.DEFAULT` with
# metadata read/write, as the importer stores them (`core/objects.py#default_sharing`).
DEFAULT_PUBLIC_ACCESS = "rw------"
NO_ACCESS = "--------"
READ, WRITE, DATA_READ, DATA_WRITE = 0, 1, 2, 3  # AccessStringHelper.Permission positions


def _ref_id(ref: Any) -> str | None:
    return ref.get("id") if isinstance(ref, dict) else None


def sharing_of(obj: dict[str, Any]) -> dict[str, Any]:
    """The object's sharing as `Sharing` holds it (owner, public, external, users, userGroups),
    from the 2.36+ `sharing` block or the legacy `publicAccess`/`userAccesses`/`userGroupAccesses`."""
    sharing = obj.get("sharing")
    if isinstance(sharing, dict):
        return {"owner": sharing.get("owner"), "public": sharing.get("public") or sharing.get("publicAccess"),
                "external": bool(sharing.get("external")),
                "users": {k: v for k, v in (sharing.get("users") or {}).items() if isinstance(v, dict)},
                "userGroups": {k: v for k, v in (sharing.get("userGroups") or {}).items()
                               if isinstance(v, dict)}}
    users = {}
    for entry in obj.get("userAccesses") or []:
        uid = _ref_id(entry.get("user")) or entry.get("id")
        if uid:
            users[uid] = {"id": uid, "access": entry.get("access") or ""}
    groups = {}
    for entry in obj.get("userGroupAccesses") or []:
        uid = _ref_id(entry.get("userGroup")) or entry.get("id")
        if uid:
            groups[uid] = {"id": uid, "access": entry.get("access") or ""}
    return {"owner": _ref_id(obj.get("user")), "public": obj.get("publicAccess") or DEFAULT_PUBLIC_ACCESS,
            "external": bool(obj.get("externalAccess")), "users": users, "userGroups": groups}


def _enabled(access: Any, permission: int) -> bool:
    """`AccessStringHelper#isEnabled` (2.41.9 :173-177, 2.42.5 :175-179, 2.43.1 :178-182): a
    missing access string enables everything; any other must be valid (`#isValid`: eight
    characters `[r-][w-][r-][w-]----`) and hold the permission's letter at its place, so an
    invalid one, which a superuser's import stores unchecked, enables nothing."""
    if access is None:
        return True
    return isinstance(access, str) and is_valid_access(access) and access[permission] != "-"


def is_valid_access(access: str | None) -> bool:
    """`AccessStringHelper#isValid`: null, or eight characters `[r-][w-][r-][w-]----`."""
    return access is None or (len(access) == 8 and access.endswith("----")
                              and access[0] in "r-" and access[1] in "w-"
                              and access[2] in "r-" and access[3] in "w-")


def has_data_sharing(access: str | None) -> bool:
    """`AccessStringHelper#hasDataSharing`: `isEnabled` of DATA_READ or DATA_WRITE, which is
    true for a null string (an access entry sent without `access`) and false for an invalid
    one."""
    if access is None:
        return True
    return is_valid_access(access) and (access[DATA_READ] == "r" or access[DATA_WRITE] == "w")


def _permitted(user: User, sharing: dict[str, Any], permission: int) -> bool:
    """`DefaultAclService#checkSharingPermission`."""
    if _enabled(sharing["public"], permission):
        return True
    if any(_enabled(g.get("access"), permission) and (g.get("id") or gid) in user.user_groups
           for gid, g in sharing["userGroups"].items()):
        return True
    return any(_enabled(u.get("access"), permission) and (u.get("id") or uid) == user.uid
               for uid, u in sharing["users"].items())


def _metadata_permitted(user: User, sharing: dict[str, Any], permission: int) -> bool:
    """`checkMetadataSharingPermission`: the owner reads and writes."""
    return sharing["owner"] in (None, user.uid) or _permitted(user, sharing, permission)


def metadata_shared(user: User, obj: dict[str, Any], permission: int) -> bool:
    return _metadata_permitted(user, sharing_of(obj), permission)


def _info(plural: str, minor: str) -> registry.TypeInfo | None:
    return registry.by_plural(plural, minor)


@cache
def is_shareable(plural: str, minor: str) -> bool:
    """`Schema#isShareable`: set by the descriptor, else a persisted `sharing` property (every
    BaseIdentifiableObject has one; org units, options, users and the program rule types do not
    map it) (2.41.9 :333-335, 2.42.5 :335-337, 2.43.1 :326-328). `persisted` is the release's
    own, generated for every type (`data/schema_properties/<tag>.json`), as `/api/schemas`
    reports it: constants, indicators, legend sets, maps and the other types without facts
    are shareable too."""
    info = _info(plural, minor)
    if info is None:
        return False
    sharing = registry.jackson_properties(info.singular, minor).get("sharing") or {}
    return info.shareable or bool(sharing.get("persisted"))


def is_data_shareable(plural: str, minor: str = DEFAULT_MINOR) -> bool:
    """`Schema#isDataShareable`: the descriptor's `setDataShareable(true)` (the same eight types
    at 2.41.9, 2.42.5 and 2.43.1)."""
    info = registry.by_plural(plural, minor)
    return info is not None and info.data_shareable


def _can_access(user: User, authorities: list[str]) -> bool:
    """`canAccess`: superuser, no authority needed, or one of them."""
    return user.superuser or not authorities or any(a in user.authorities for a in authorities)


def can_read_type(user: User, plural: str, minor: str) -> bool:
    """`AclService#canRead(user, klass)`: the type's READ authority."""
    info = _info(plural, minor)
    return info is None or _can_access(user, info.authorities.get("READ") or [])


def can_create_type(user: User, plural: str, minor: str) -> bool:
    """`AclService#canCreate(user, klass)`: a shareable type is open to whoever may make it
    public or private, any other to holders of its CREATE authority (DefaultAclService.java
    2.41.9 :400-412, 2.42.5 :403-415, 2.43.1 :391-403)."""
    info = _info(plural, minor)
    if info is None:
        return False
    if not is_shareable(plural, minor):
        return _can_access(user, info.authorities.get("CREATE") or [])
    return can_make_public(user, plural, minor) or can_make_private(user, plural, minor)


def can_make_public(user: User, plural: str, minor: str) -> bool:
    info = _info(plural, minor)
    return info is not None and is_shareable(plural, minor) and _can_access(
        user, info.authorities.get("CREATE_PUBLIC") or [])


def can_make_private(user: User, plural: str, minor: str) -> bool:
    info = _info(plural, minor)
    return info is not None and is_shareable(plural, minor) and _can_access(
        user, info.authorities.get("CREATE_PRIVATE") or [])


def can_make_external(user: User, plural: str, minor: str) -> bool:
    """`canMakeClassExternal`."""
    info = _info(plural, minor)
    if info is None or not is_shareable(plural, minor):
        return False
    needed = info.authorities.get("EXTERNALIZE") or []
    return bool(needed) and (user.superuser or any(a in user.authorities for a in needed))


def _sharing_access(user: User, plural: str, sharing: dict[str, Any], minor: str) -> bool:
    """`checkSharingAccess`: the user may give the object the sharing it has: `--------` needs
    CREATE_PUBLIC or CREATE_PRIVATE, another string CREATE_PUBLIC; only 2.42.5 also asks
    `canMakeClassExternal` of an external object (2.41.9 :703-712 and 2.43.1 :680-689 have no
    `external`; 2.42.5 :735-752)."""
    if sharing["public"] == NO_ACCESS:
        if not (can_make_public(user, plural, minor) or can_make_private(user, plural, minor)):
            return False
    elif not can_make_public(user, plural, minor):
        return False
    return not (RELEASES[minor].sharing_external_access and sharing["external"]) or \
        can_make_external(user, plural, minor)


def option_combo_options(store_get: Any, combo: dict[str, Any], minor: str
                         ) -> list[dict[str, Any]]:
    """The stored category options `#checkOptionComboSharingPermission` asks of an option
    combo: none for the default one (`CategoryOptionCombo#isDefault`: 2.41.9 its category
    combo's name, 2.42.5/2.43.1 its own name is "default"). `store_get(plural, uid)`."""
    if minor == "2.41":
        owner = combo.get("categoryCombo")
        parent = store_get("categoryCombos", _ref_id(owner)) if _ref_id(owner) else None
        default = (parent or {}).get("name") == "default"
    else:
        default = combo.get("name") == "default"
    if default:
        return []
    found = [store_get("categoryOptions", _ref_id(ref)) for ref in combo.get("categoryOptions") or []
             if _ref_id(ref)]
    return [option for option in found if option is not None]


def _option_combo_shared(user: User, options: list[dict[str, Any]], permission: int) -> bool:
    """`#checkOptionComboSharingPermission` (2.41.9 :776, 2.42.5 :812, 2.43.1 :749): every
    option by `checkSharingPermission` (public, users, user groups; no owner check)."""
    return all(_permitted(user, sharing_of(option), permission) for option in options)


def can_read(user: User, plural: str, obj: dict[str, Any] | None, minor: str,
             combo_options: list[dict[str, Any]] | None = None) -> bool:
    """`canRead` (2.41.9 :142-162, 2.42.5 :145-165, 2.43.1 :134-154); an option combo whose
    `combo_options` are given asks their READ sharing."""
    info = _info(plural, minor)
    if obj is None or user.superuser or info is None:
        return True
    if not _can_access(user, info.authorities.get("READ") or []):
        return False
    if plural == "categoryOptionCombos" and combo_options is not None:
        return _option_combo_shared(user, combo_options, READ)
    if not is_shareable(plural, minor):
        return True
    sharing = sharing_of(obj)
    return sharing["public"] is None or _metadata_permitted(user, sharing, READ)


def shared_for_read(user: User, plural: str, obj: dict[str, Any], minor: str) -> bool:
    """`HibernateIdentifiableObjectStore#getByUid` through `getSharingPredicates`: only the
    sharing of shareable types filters, for users other than superusers; the type's READ
    authority is the controller's check, not the store's."""
    if user.superuser or not is_shareable(plural, minor):
        return True
    sharing = sharing_of(obj)
    return sharing["public"] is None or _metadata_permitted(user, sharing, READ)


def listed(user: User, plural: str, obj: dict[str, Any], minor: str) -> bool:
    """What a metadata list (`AbstractFullReadOnlyController#getEntityList`) or export
    (`DefaultMetadataExportService#getMetadata`) keeps, both through `JpaCriteriaQueryEngine`:
    `can_read`, but at `Release.dashboard_lists_shared_for_superusers` (2.41) a superuser's
    dashboards are filtered by their sharing too, `InternalHibernateGenericStoreImpl#forceAcl`
    (`Dashboard.class.isAssignableFrom(clazz)`: 2.41.9 :277-279, 2.42.5 and 2.43.1 :275-277,
    no override at any of the three) winning over `isSuper` in `#sharingEnabled` (2.41.9
    :281-290). Single reads are not: superusers load with `getByUidNoAcl`."""
    if user.superuser and plural == "dashboards" and \
            RELEASES[minor].dashboard_lists_shared_for_superusers:
        sharing = sharing_of(obj)
        return sharing["public"] is None or _metadata_permitted(user, sharing, READ)
    return can_read(user, plural, obj, minor)


def _implicit_private(plural: str, minor: str) -> bool:
    """`Schema#isImplicitPrivateAuthority`: set by ten descriptors (dashboards, dashboard items,
    event charts / reports / visualizations, event filters, maps, stage working lists, tracked
    entity filters, visualizations; the same at 2.41.9, 2.42.5, 2.43.1). A user without the
    type's authorities may still write, update and delete such objects as their sharing allows."""
    info = _info(plural, minor)
    return info is not None and info.implicit_private


def _write_common(user: User, plural: str, obj: dict[str, Any], minor: str) -> bool:
    """`writeCommonCheck`: a type that is not shareable passes; else `checkSharingAccess` and
    metadata write sharing."""
    if not is_shareable(plural, minor):
        return True
    sharing = sharing_of(obj)
    return _sharing_access(user, plural, sharing, minor) and _metadata_permitted(user, sharing, WRITE)


def can_write(user: User, plural: str, obj: dict[str, Any] | None, minor: str,
              combo_options: list[dict[str, Any]] | None = None) -> bool:
    """`canWrite` (DefaultAclService.java 2.41.9 :221-244, 2.42.5 :224-247, 2.43.1 :213-236):
    CREATE, else CREATE_PRIVATE + CREATE_PUBLIC, then `writeCommonCheck` (an option combo whose
    `combo_options` are given: their WRITE sharing); without them an implicit-private type
    asks `checkSharingAccess` alone (no write sharing)."""
    info = _info(plural, minor)
    if obj is None or user.superuser or info is None:
        return True
    needed = list(info.authorities.get("CREATE") or []) or [
        *(info.authorities.get("CREATE_PRIVATE") or []), *(info.authorities.get("CREATE_PUBLIC") or [])]
    if _can_access(user, needed):
        if plural == "categoryOptionCombos" and combo_options is not None:
            return _option_combo_shared(user, combo_options, WRITE)
        return _write_common(user, plural, obj, minor)
    return _implicit_private(plural, minor) and _sharing_access(user, plural, sharing_of(obj), minor)


def can_update(user: User, plural: str, obj: dict[str, Any] | None, minor: str) -> bool:
    """`canUpdate` (2.41.9 :296-318, 2.42.5 :299-321, 2.43.1 :288-310): UPDATE, else CREATE +
    CREATE_PRIVATE + CREATE_PUBLIC, then `writeCommonCheck`; without them an implicit-private
    type asks `checkSharingAccess` and metadata write sharing."""
    info = _info(plural, minor)
    if obj is None or user.superuser or info is None:
        return True
    needed = list(info.authorities.get("UPDATE") or []) or [
        *(info.authorities.get("CREATE") or []), *(info.authorities.get("CREATE_PRIVATE") or []),
        *(info.authorities.get("CREATE_PUBLIC") or [])]
    if _can_access(user, needed):
        return _write_common(user, plural, obj, minor)
    sharing = sharing_of(obj)
    return (_implicit_private(plural, minor) and _sharing_access(user, plural, sharing, minor)
            and _metadata_permitted(user, sharing, WRITE))


def can_delete(user: User, plural: str, obj: dict[str, Any] | None, minor: str) -> bool:
    """`canDelete` (2.41.9 :332-363, 2.42.5 :335-366, 2.43.1 :324-355): DELETE, else CREATE +
    CREATE_PRIVATE + CREATE_PUBLIC; with them a type that is not shareable, or an object without
    a public access string, passes, else `checkSharingAccess` and metadata write sharing;
    without them an implicit-private type asks metadata write sharing alone (the owner, or an
    object without one, passes: `checkOwner`)."""
    info = _info(plural, minor)
    if obj is None or user.superuser or info is None:
        return True
    needed = list(info.authorities.get("DELETE") or []) or [
        *(info.authorities.get("CREATE") or []), *(info.authorities.get("CREATE_PRIVATE") or []),
        *(info.authorities.get("CREATE_PUBLIC") or [])]
    sharing = sharing_of(obj)
    if _can_access(user, needed):
        if not is_shareable(plural, minor) or sharing["public"] is None:
            return True
        return _sharing_access(user, plural, sharing, minor) and _metadata_permitted(user, sharing, WRITE)
    if not _implicit_private(plural, minor):
        return False
    # a type that persists no sharing loads with an empty one (`new Sharing()`, no owner), and
    # `checkOwner` passes an owner-less object (dashboard items)
    return not is_shareable(plural, minor) or _metadata_permitted(user, sharing, WRITE)


def can_manage(user: User, plural: str, obj: dict[str, Any] | None, minor: str) -> bool:
    return can_update(user, plural, obj, minor)


def can_data_read(user: User, obj: dict[str, Any] | None, plural: str | None = None) -> bool:
    """`canDataRead`: data read or data write sharing. Without `plural` the object is taken to be
    of a data-shareable type (programs, stages, tracked entity types, as the tracker asks)."""
    if obj is None or user.superuser:
        return True
    if plural is not None and not is_data_shareable(plural):
        return False
    sharing = sharing_of(obj)
    return _permitted(user, sharing, DATA_READ) or _permitted(user, sharing, DATA_WRITE)


def can_data_write(user: User, obj: dict[str, Any] | None, plural: str | None = None) -> bool:
    if obj is None or user.superuser:
        return True
    if plural is not None and not is_data_shareable(plural):
        return False
    return _permitted(user, sharing_of(obj), DATA_WRITE)


def access_block(user: User, plural: str, obj: dict[str, Any], minor: str,
                 combo_options: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """`AclService#getAccess`. `security/acl/Access.java` has `externalize` at 2.42.5 only
    (2.41.9 and 2.43.1: manage, write, read, update, delete, data). `combo_options`: an
    option combo's stored category options (`option_combo_options`)."""
    data = is_data_shareable(plural, minor)
    if user.superuser:
        out: dict[str, Any] = {"manage": True, "externalize": True, "write": True, "read": True,
                               "update": True, "delete": True}
        if data:
            out["data"] = {"read": True, "write": True}
    else:
        update = can_update(user, plural, obj, minor)
        out = {"manage": update, "externalize": can_make_external(user, plural, minor),
               "write": can_write(user, plural, obj, minor, combo_options),
               "read": can_read(user, plural, obj, minor, combo_options),
               "update": update, "delete": can_delete(user, plural, obj, minor)}
        if data:
            out["data"] = {"read": can_data_read(user, obj, plural), "write": can_data_write(user, obj, plural)}
    if not RELEASES[minor].sharing_external_access:
        del out["externalize"]
    return out
