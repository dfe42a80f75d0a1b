"""The sharing check of an import's `SecurityCheck`: `DefaultAclService#verifySharing`.

dhis2-core, `dhis-services/dhis-service-acl/.../security/acl/DefaultAclService.java#verifySharing`
(2.41.9 :579-645, 2.42.5 :606-678, 2.43.1 :557-623) and `#verifyImplicitSharing` (2.41.9
:647-663, 2.42.5 :680-696, 2.43.1 :625-641), run by
`dhis-service-dxf2/.../objectbundle/validation/SecurityCheck.java#runValidationCheck` (2.41.9
:153-160, 2.42.5 :155-162, 2.43.1 :155-162) for every object that passed the create, update
or delete check (`SecurityCheck#validate` runs it under DELETE too: 2.41.9 :67-70, 2.42.5 and
2.43.1 :69-72), unless `skipSharing`; its reports form one object report and remove the object.

For a user who is not a superuser and an object of a shareable type, in this order:
- E3010 (and nothing else): a public access string that is not `AccessStringHelper#isValid`;
- E3011: a type that is not data-shareable with data sharing in the public string or in any
  user or user group access (an access entry without `access` counts as data sharing:
  `isEnabled(null, …)` is true);
- E3006 (2.42.5 only, `sharing_external_access`): `external` without an EXTERNALIZE authority;
- E3001: a type with `implicitPrivateAuthority` (`Schema#isImplicitPrivateAuthority`, the
  descriptors' flag in `data/schema_registry/<tag>.json`), a public string `--------` and no
  metadata write sharing for the user (owner, public, user or user group);
- E3009: a public string `--------` and neither CREATE_PUBLIC nor CREATE_PRIVATE;
  E3008: any other public string and no CREATE_PUBLIC.

The user argument of E3001/E3006/E3008/E3009 is the `UserDetails` itself, so `args` and the
message carry `Object#toString` of `user/UserDetailsImpl.java`, which declares no toString:
the class name, `@` and the hex of its Lombok hashCode over `username` alone
(`@EqualsAndHashCode(onlyExplicitlyIncluded = true)`, 2.41.9 :44, 2.42.5 :50, 2.43.1 :46).
The type argument is the object's Class: `class org.hisp…` in `args` and the message, the
class name in `errorProperties` (Jackson's ClassSerializer). DHIS2's `errorProperties` hold the
UserDetails as Jackson serializes it, password hash and two-factor secret included; the sandbox
writes its toString there instead, so that no credential leaves in a report.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.core import java_hash
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import sharing_import
from scdi.sandbox.metadata.bundle import error_report
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import RELEASES

NO_ACCESS = "--------"  # AccessStringHelper.DEFAULT


def user_details_text(user: User) -> str:
    """`UserDetailsImpl#toString` as `Object` writes it: Lombok's hashCode is
    `59 * 1 + username.hashCode()`, and `Integer#toHexString` writes it unsigned."""
    code = (59 + java_hash.string_hash(user.username)) & 0xFFFFFFFF
    return f"org.hisp.dhis.user.UserDetailsImpl@{code:x}"


def _accesses(sharing: dict[str, Any], key: str) -> list[Any]:
    entries = sharing.get(key) or {}
    return [entry.get("access") if isinstance(entry, dict) else None
            for entry in entries.values()] if isinstance(entries, dict) else []


def _write_shared(user: User, sharing: dict[str, Any]) -> bool:
    """`checkMetadataSharingPermission(user, object, WRITE)`."""
    return acl.metadata_shared(user, {"sharing": sharing}, acl.WRITE)


def verify(info: TypeInfo, obj: dict[str, Any], user: User, minor: str) -> list[dict[str, Any]]:
    """The error reports of `verifySharing` for the payload object (its sharing as
    `sharing_import.before_bundle` left it)."""
    if user.superuser or not sharing_import.shareable(info, minor):
        return []
    given = obj.get("sharing")
    sharing: dict[str, Any] = given if isinstance(given, dict) else {}
    public = sharing.get("public")
    public = public if isinstance(public, str) else None
    if not acl.is_valid_access(public):
        return [error_report("E3010", info.klass, [public])]
    who, klass = user_details_text(user), f"class {info.klass}"
    errors: list[dict[str, Any]] = []
    if not info.data_shareable and (
            (public is not None and acl.has_data_sharing(public))
            or any(acl.has_data_sharing(a) for a in _accesses(sharing, "users"))
            or any(acl.has_data_sharing(a) for a in _accesses(sharing, "userGroups"))):
        errors.append(error_report("E3011", info.klass, [klass], properties=[info.klass]))
    plural = info.plural
    if RELEASES[minor].sharing_external_access and sharing.get("external") is True and \
            not acl.can_make_external(user, plural, minor):
        errors.append(error_report("E3006", info.klass, [who, klass], properties=[who, info.klass]))
    if info.implicit_private and public == NO_ACCESS and \
            not _write_shared(user, sharing):
        errors.append(error_report("E3001", info.klass, [who, klass], properties=[who, info.klass]))
    if public == NO_ACCESS:
        if not (acl.can_make_public(user, plural, minor) or acl.can_make_private(user, plural, minor)):
            errors.append(error_report("E3009", info.klass, [who, klass],
                                       properties=[who, info.klass]))
    elif not acl.can_make_public(user, plural, minor):
        errors.append(error_report("E3008", info.klass, [who, klass], properties=[who, info.klass]))
    return errors
