"""The sharing a metadata import gives an object, created or updated.

dhis2-core (2.41.9, 2.42.5, 2.43.1, paths under `dhis-2/dhis-services/`):
- before the bundle is made, every payload object whose sharing has no public access string
  (no `sharing` member at all included: `BaseIdentifiableObject.sharing = new Sharing()`) gets
  `AclService#resetSharing`: public `rw------` when the user holds the type's CREATE_PUBLIC
  authority and the type is not default private, else `--------`; the owner the user unless
  the payload names one; no user or user group accesses; not external
  (`dhis-service-dxf2/.../dxf2/metadata/DefaultMetadataImportService.java#preCreateBundleObject`
  2.41.9 :245-251, 2.42.5 :252-258, 2.43.1 :248-254;
  `dhis-service-acl/.../security/acl/DefaultAclService.java#resetSharing` 2.41.9 :541-559,
  2.42.5 :565-584, 2.43.1 :523-541). Validation then sees that sharing, so the user and group
  accesses it dropped are no references to check.
- create: `IdentifiableObjectBundleHook#preCreate` gives an owner-less sharing the creator, and
  with `skipSharing` clears it (`AclService#clearSharing`: owner the user, `--------`, no
  accesses).
- update: `DefaultObjectBundleService#handleUpdates` merges the payload object onto the stored
  one with `MergeMode.REPLACE` (2.41.9 :300-304, 2.42.5 :299-303, 2.43.1 :337-341), and
  `DefaultMetadataMergeService#merge` sets every property, `sharing` included, unless
  `skipSharing` (`ReflectionUtils#isSharingProperty`). So an update without `sharing` replaces
  the stored sharing with the reset one; only `skipSharing=true` keeps it. A payload sharing
  with a public string but no owner is stored owner-less (no hook fills it on update).
2.42.5's resetSharing also sets `external` false; 2.41.9's and 2.43.1's Sharing have no
`external` property to bind (`user/sharing/Sharing.java`; `JacksonObjectMapperConfig` ignores
unknown properties), so there a payload's `sharing.external` is dropped, whether or not the
sharing is reset, and exports write no `external` (`metadata/query.py#decorate`).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.core import objects
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import RELEASES

NO_ACCESS = "--------"
# The shareable types whose schema descriptor calls `setDefaultPrivate(true)`
# (DefaultAclService#defaultPublic false), the same at 2.41.9, 2.42.5 and 2.43.1: a reset
# sharing gives them no public access even when the user may make them public. 2.42.5 and
# 2.43.1 also mark the OAuth2 types default private, which persist no sharing (not shareable).
DEFAULT_PRIVATE = frozenset({
    "apiToken", "dashboardItem", "dashboard", "eventFilter", "expressionDimensionItem",
    "programStageWorkingList", "trackedEntityInstanceFilter"})


def shareable(info: TypeInfo, minor: str) -> bool:
    """`Schema#isShareable` (`access/acl.py#is_shareable`): the descriptor's flag, else the
    release's persisted `sharing` property."""
    return acl.is_shareable(info.plural, minor)


def _public_by_default(user: User, info: TypeInfo, minor: str) -> str:
    """`canMakePublic(user, object) && defaultPublic(object)` → `rw------`, else `--------`."""
    if acl.can_make_public(user, info.plural, minor) and \
            info.singular not in DEFAULT_PRIVATE:
        return acl.DEFAULT_PUBLIC_ACCESS
    return NO_ACCESS


def before_bundle(info: TypeInfo, obj: dict[str, Any], user: User, minor: str
                  ) -> dict[str, Any]:
    """The payload object after `preCreateBundleObject`: its sharing reset when it has no
    public access string."""
    if not shareable(info, minor):
        return obj
    given = obj.get("sharing")
    sharing: dict[str, Any] = given if isinstance(given, dict) else {}
    if not RELEASES[minor].sharing_external_access and "external" in sharing:
        # Jackson has no `external` to bind there (unknown properties are ignored)
        sharing = {k: v for k, v in sharing.items() if k != "external"}
        obj = {**obj, "sharing": sharing}
    if sharing.get("public"):  # StringUtils#isEmpty: null and "" are reset alike
        return obj
    owner = sharing.get("owner")
    reset = objects.default_sharing(owner if owner is not None else user.uid,
                                    _public_by_default(user, info, minor))
    return {**obj, "sharing": reset}


def on_create(doc: dict[str, Any], user: User, skip_sharing: bool) -> None:
    """`IdentifiableObjectBundleHook#preCreate`: an owner for an owner-less sharing, and
    `clearSharing` when sharing is skipped."""
    if skip_sharing:
        doc["sharing"] = objects.default_sharing(user.uid, NO_ACCESS)
        return
    given = doc.get("sharing")
    sharing: dict[str, Any] = given if isinstance(given, dict) else {}
    doc["sharing"] = {**objects.default_sharing(user.uid), **sharing}
    if doc["sharing"].get("owner") is None:
        doc["sharing"]["owner"] = user.uid


def on_update(doc: dict[str, Any], previous: dict[str, Any], user: User,
              skip_sharing: bool) -> None:
    """The REPLACE merge: the payload's sharing, or with `skipSharing` the stored one."""
    stored = previous.get("sharing")
    if skip_sharing:
        doc["sharing"] = stored if isinstance(stored, dict) else objects.default_sharing(user.uid)
        return
    given = doc.get("sharing")
    sharing: dict[str, Any] = given if isinstance(given, dict) else {}
    merged = {**objects.default_sharing(None), **sharing}
    if merged.get("owner") is None:
        del merged["owner"]  # Jackson NON_NULL: an owner-less sharing is written without one
    doc["sharing"] = merged
