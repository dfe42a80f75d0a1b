"""Sharing, user state and collection endpoints, each checked by `access/acl.py`.

- `GET`/`POST`/`PUT /api/sharing?type=&id=`: `webapi/controller/SharingController.java`
  (`getSharing`: 409 "Type X is not supported.", 404 "Object of type X with ID Y was not
  found.", 403 without read access; `meta.allowPublicAccess`, the object's id, name,
  displayName, publicAccess, creator as `user`, user group / user accesses sorted by name;
  `postSharing`: 403 without manage access, 409 for system default objects and invalid access
  strings, public access only for users who may make the type public, data part cleared on
  types that are not data-shareable, unknown groups and users dropped, "Access control set").
  Those 404s and 409s are `WebMessageUtils.notFound(String)`/`conflict(String)`: no errorCode.
  `AccessStringHelper#isValid` takes a missing access string as valid (and `#isEnabled` lets it
  grant everything). The 403 is Spring's AccessDeniedException on 2.41.9 (no errorCode) and a
  ForbiddenException (E1006) after (release field `access_denied_error_code`).
  `externalAccess` exists in 2.42.5 only (release field `sharing_external_access`).
- `POST /api/users/{uid}/disabled` and `/enabled`: `webapi/controller/user/UserController.java`
  `#disableUser`/`#enableUser` → `setDisabled` (204; 403 "You don't have the proper permissions
  to update this object." without `AclService#canUpdate`, without errorCode on 2.41.9; an unknown
  uid is a NullPointerException, 500; then 409 "You must have permissions to create user, …"
  unless `canAddOrUpdateUser` of the user's groups and `canModifyUser` pass, a thrown
  WebMessageException); a disabled user can no longer log in (`core/auth.py`).
- `POST`/`DELETE /api/{plural}/{uid}/{property}/{itemId}` and `POST`/`PUT`/`DELETE
  /api/{plural}/{uid}/{property}` with `{"additions": [...], "deletions": [...]}` or
  `{"identifiableObjects": [...]}`: `webapi/controller/AbstractCrudController.java`
  (`addCollectionItem` …) → `dxf2/metadata/collection/DefaultCollectionService.java`
  (`validateUpdate`: 403 without `canUpdate`, 404 "Property p does not exist on klass", 409
  "Only identifiable object collections can be added to." / "… removed from." / "… replaced.",
  after the service method the endpoint calls first; owned collections change the
  object, non-owned ones the owning side of each item, e.g. `users/{uid}/userGroups/{g}` adds
  the user to `UserGroup.users`; updated / deleted / ignored counted in a TypeReport; a PUT
  deletes the whole collection, then adds what it lists; on 2.43 the path ids are `UID`s).
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl, membership, user_admin
from scdi.sandbox.core import authority, objects, spring_params, webmessage, xml_bodies
from scdi.sandbox.core import users as users_mod
from scdi.sandbox.core.context import Ctx, Reader
from scdi.sandbox.metadata import registry
from scdi.sandbox.metadata.bundle import error_report
from scdi.sandbox.metadata.defaults import DEFAULT_UIDS

_ACCESS = re.compile(r"^[r-][w-][r-][w-]----$")  # AccessStringHelper#isValid


def _type(type_name: str, minor: str) -> registry.TypeInfo | None:
    """`AclService#isShareable(String)` / `#classForType`: `SchemaService#getSchemaBySingularName`
    alone (`schema/DefaultSchemaService.java` 2.41.9 :477, 2.42.5 :472, 2.43.1 :435), so a
    plural is no type."""
    info = registry.by_singular(type_name, minor)
    return info if info is not None and acl.is_shareable(info.plural, minor) else None


def _display_name(obj: dict[str, Any] | None) -> str | None:
    if obj is None:
        return None
    return obj.get("displayName") or obj.get("name") or " ".join(
        p for p in (obj.get("firstName"), obj.get("surname")) if p) or obj.get("username")


def _no_manage_access(ctx: Ctx) -> Response:
    return webmessage.error(403, "You do not have manage access to this object.",
                            ctx.release.access_denied_error_code)


def _type_and_id(ctx: Ctx) -> tuple[str, str]:
    """`@RequestParam String type, @RequestParam String id` (required, bound in that order
    before the method runs: MissingServletRequestParameterException, 400); an empty value
    is present."""
    values = []
    for name in ("type", "id"):
        value = ctx.request.args.get(name)
        if value is None:
            raise spring_params.missing_parameter(name, "String", ctx.release)
        values.append(value)
    return values[0], values[1]


def _non_null(members: dict[str, Any]) -> dict[str, Any]:
    """The webdomain `Sharing` beans are written by the NON_NULL jsonMapper
    (`commons/jackson/config/JacksonObjectMapperConfig.java#configureMapper`, 2.41.9 :165-166,
    2.42.5 / 2.43.1 :173-174): a null member, such as the access of an entry stored without an
    access string or a name nothing gives, is left out, not written as null."""
    return {key: value for key, value in members.items() if value is not None}


def get_sharing(ctx: Ctx) -> Response:
    type_name, uid = _type_and_id(ctx)
    info = _type(type_name, ctx.release.minor)
    # SharingController#getSharing throws these two as WebMessageExceptions (webmessage.thrown)
    if info is None:
        raise webmessage.thrown(webmessage.conflict_message(f"Type {type_name} is not supported."))
    obj = ctx.store.get_object(info.plural, uid)
    if obj is None:
        raise webmessage.thrown(webmessage.not_found_message(
            f"Object of type {type_name} with ID {uid} was not found."))
    if not acl.can_read(ctx.user, info.plural, obj, ctx.release.minor):
        raise webmessage.fail(_no_manage_access(ctx))
    sharing = acl.sharing_of(obj)
    meta: dict[str, Any] = {"allowPublicAccess": acl.can_make_public(ctx.user, info.plural, ctx.release.minor)}
    name = _display_name(obj)
    public = sharing["public"]
    if public is None:
        public = "rw------" if acl.can_make_public(ctx.user, info.plural, ctx.release.minor) else "--------"
    out: dict[str, Any] = {"id": obj["id"], "name": name, "displayName": name, "publicAccess": public}
    if ctx.release.sharing_external_access:
        meta["allowExternalAccess"] = acl.can_make_external(ctx.user, info.plural, ctx.release.minor)
        out["externalAccess"] = sharing["external"]
    creator = obj.get("createdBy") if isinstance(obj.get("createdBy"), dict) else None
    out["user"] = _non_null({"id": creator.get("id"),
                             "name": creator.get("displayName") or creator.get("name")}) \
        if creator else {}
    groups = []
    for gid, entry in sharing["userGroups"].items():
        group_name = _display_name(ctx.store.get_object("userGroups", entry.get("id") or gid))
        if group_name is not None:
            groups.append(_non_null({"id": entry.get("id") or gid, "name": group_name,
                                     "displayName": group_name, "access": entry.get("access")}))
    users = []
    for user_uid, entry in sharing["users"].items():
        user_name = _display_name(ctx.store.get_object("users", entry.get("id") or user_uid))
        if user_name is not None:
            users.append(_non_null({"id": entry.get("id") or user_uid, "name": user_name,
                                    "displayName": user_name, "access": entry.get("access")}))
    out["userGroupAccesses"] = sorted(groups, key=lambda g: g["name"])  # SharingUserGroupAccessNameComparator
    out["userAccesses"] = users
    return webmessage.json_response({"meta": meta, "object": _non_null(out)},
                                    headers={"Cache-Control": "no-cache"})


def _clear_data(access: str | None, data_shareable: bool) -> str | None:
    """`AccessStringHelper#disableDataSharing` on types that are not data-shareable."""
    return access if data_shareable or access is None else access[:2] + "--" + access[4:]


def _valid_access(access: Any) -> bool:
    """`AccessStringHelper#isValid`: a missing access string is valid (and then grants all)."""
    return access is None or (isinstance(access, str) and _ACCESS.fullmatch(access) is not None)


def _java(value: Any) -> str:
    """The value as Java's string concatenation prints it."""
    return "null" if value is None else str(value)


_SHARING = "org.hisp.dhis.webapi.webdomain.sharing.Sharing"


def _npe(call: str, receiver: str) -> str:
    """A helpful NullPointerException's message (JEP 358)."""
    return f'Cannot invoke "{call}" because {receiver} is null'


def post_sharing(ctx: Ctx) -> Response:
    # #postSharing / #putSharing `consumes = APPLICATION_JSON_VALUE`: the handler lookup's
    # 415 comes before the parameters are bound
    ctx.require_media_type("application/json")
    type_name, uid = _type_and_id(ctx)
    info = _type(type_name, ctx.release.minor)
    if info is None:
        return webmessage.conflict_message(f"Type {type_name} is not supported.")
    obj = ctx.store.get_object(info.plural, uid)
    if obj is None:
        return webmessage.not_found_message(f"Object of type {type_name} with ID {uid} was not found.")
    if uid in DEFAULT_UIDS:
        return webmessage.conflict_message(f"Sharing settings of system default metadata object of type "
                                           f"{type_name} cannot be modified.")
    if not acl.can_manage(ctx.user, info.plural, obj, ctx.release.minor):
        raise webmessage.fail(_no_manage_access(ctx))
    body = ctx.json_body(Reader.STREAM, klass=_SHARING)
    # Jackson reads a JSON null as null, and writes a null into the fields (`object`, the two
    # lists) without their initialisers: #postSharing dereferences each, a NullPointerException
    # (CrudControllerAdvice#defaultExceptionHandler, 500)
    if body is None:
        raise webmessage.fail(webmessage.error(500, _npe(f"{_SHARING}.getObject()", '"sharing"')))
    given = body.get("object", {}) if isinstance(body, dict) else {}
    if given is None:
        raise webmessage.fail(webmessage.error(500, _npe(
            f"{_SHARING}Object.getPublicAccess()", f'the return value of "{_SHARING}.getObject()"')))
    given = given if isinstance(given, dict) else {}
    public = given.get("publicAccess")
    if not _valid_access(public):
        return webmessage.conflict_message(f"Invalid public access string: {_java(public)}")
    data = acl.is_data_shareable(info.plural, ctx.release.minor)
    current = acl.sharing_of(obj)
    sharing: dict[str, Any] = {"owner": current["owner"], "external": current["external"],
                               "users": {}, "userGroups": {}, "public": current["public"] or "--------"}
    if ctx.release.sharing_external_access and acl.can_make_external(ctx.user, info.plural, ctx.release.minor):
        sharing["external"] = bool(given.get("externalAccess"))
    if acl.can_make_public(ctx.user, info.plural, ctx.release.minor):
        sharing["public"] = public
    sharing["public"] = _clear_data(sharing["public"], data)
    for key, plural, target in (("userGroupAccesses", "userGroups", "userGroups"),
                                ("userAccesses", "users", "users")):
        entries = given.get(key, [])
        if entries is None:
            getter = "get" + key[0].upper() + key[1:]
            raise webmessage.fail(webmessage.error(500, _npe(
                "java.util.List.iterator()", f'the return value of "{_SHARING}Object.{getter}()"')))
        for entry in entries if isinstance(entries, list) else []:
            if entry is None:
                element = "SharingUserGroupAccess" if plural == "userGroups" else "SharingUserAccess"
                variable = element[0].lower() + element[1:]
                raise webmessage.fail(webmessage.error(500, _npe(
                    f"org.hisp.dhis.webapi.webdomain.sharing.{element}.getAccess()", f'"{variable}"')))
            access = entry.get("access") if isinstance(entry, dict) else None
            if not _valid_access(access):
                label = "user group" if plural == "userGroups" else "user"
                return webmessage.conflict_message(f"Invalid {label} access string: {_java(access)}")
            ref = entry.get("id")
            if ref and ctx.store.get_object(plural, ref) is not None:
                sharing[target][ref] = {"id": ref, "access": _clear_data(access, data)}
    updated = {**obj, "sharing": sharing}
    for legacy in ("publicAccess", "userAccesses", "userGroupAccesses", "externalAccess"):
        updated.pop(legacy, None)
    if not obj.get("createdBy"):
        updated["createdBy"] = objects.user_ref(ctx.user)
    with ctx.store.transaction():
        ctx.store.put_object(info.plural, updated)
    ctx.extras["committed"] = True
    return webmessage.ok("Access control set")


# -- users -----------------------------------------------------------------------------------
def _set_disabled(ctx: Ctx, uid: str, disabled: bool) -> Response:
    """UserController#setDisabled → #checkCurrentUserCanModify (2.41.9 :874-902, 2.42.5
    :867-896, 2.43.1 :805-834)."""
    user_obj = ctx.store.get_object("users", uid)
    if not acl.can_update(ctx.user, "users", user_obj, ctx.release.minor):
        raise webmessage.fail(webmessage.error(
            403, "You don't have the proper permissions to update this object.",
            ctx.release.access_denied_error_code))
    if user_obj is None:
        # UserService#getUser gives null, AclService#canUpdate lets a null object pass, and
        # #checkCurrentUserCanModify then reads its groups: CrudControllerAdvice
        # #defaultExceptionHandler's 500.
        raise webmessage.UncaughtException(
            'Cannot invoke "org.hisp.dhis.user.User.getGroups()" because "userToModify" is null')
    groups = users_mod.from_object(ctx.store, user_obj).user_groups
    if not user_admin.may_update(ctx.store, ctx.user, user_obj, groups):
        # `throw new WebMessageException(conflict(...))` at the three tags (2.41.9 :899-901,
        # 2.42.5 :893-895, 2.43.1 :831-833): no errorCode, no WebMessageControllerAdvice
        # Cache-Control.
        raise webmessage.thrown(webmessage.conflict_message(
            "You must have permissions to create user, or ability to manage at least one user "
            "group for the user."))
    if bool(user_obj.get("disabled")) != disabled:
        updated = objects.stamp_update({**user_obj, "disabled": disabled}, user_obj, ctx.user)
        with ctx.store.transaction():
            ctx.store.put_object("users", updated)
    ctx.extras["committed"] = True
    return webmessage.no_content()


def disable_user(ctx: Ctx, uid: str) -> Response:
    return _set_disabled(ctx, uid, True)


def enable_user(ctx: Ctx, uid: str) -> Response:
    return _set_disabled(ctx, uid, False)


# -- collections -----------------------------------------------------------------------------
def _entity(ctx: Ctx, plural: str, uid: str) -> tuple[registry.TypeInfo, dict[str, Any]]:
    """AbstractCrudController#getEntity: 404 for a missing or unreadable object."""
    info = registry.by_plural(plural, ctx.release.minor)
    obj = ctx.store.get_object(plural, uid) if info else None
    if info is None or obj is None or not acl.can_read(ctx.user, plural, obj, ctx.release.minor):
        raise webmessage.fail(webmessage.not_found_object(info.simple_name if info else plural, uid))
    return info, obj


# DefaultCollectionService#validateUpdate's ConflictException names the operation the
# controller asked for first (`dxf2/metadata/collection/DefaultCollectionService.java`
# 2.41.9 :83, :160, :239; 2.42.5 and 2.43.1 :85, :162, :241): `addCollectionItem` →
# addCollectionItems, `deleteCollectionItem(s)` → delCollectionItems, `addCollectionItemsJson`
# → mergeCollectionItems, whose delCollectionItems runs before its additions, and
# `replaceCollectionItemsJson` → replaceCollectionItems.
ADDED_TO = "Only identifiable object collections can be added to."
REMOVED_FROM = "Only identifiable object collections can be removed from."
REPLACED = "Only identifiable object collections can be replaced."


def _collection(ctx: Ctx, plural: str, uid: str, prop: str, refusal: str
                ) -> tuple[registry.TypeInfo, dict[str, Any], dict[str, Any]]:
    info, obj = _entity(ctx, plural, uid)
    if not acl.can_update(ctx.user, plural, obj, ctx.release.minor):
        raise webmessage.fail(webmessage.forbidden("You don't have the proper permissions to update this object."))
    # the release's own properties of every type (Schema#hasProperty, Property#isCollection,
    # #isIdentifiableObject), not only of those with facts
    props = registry.jackson_properties(info.singular, ctx.release.minor)
    if prop not in props:
        raise webmessage.fail(webmessage.not_found(f"Property {prop} does not exist on {info.klass}"))
    facts = props[prop]
    if not facts.get("collection") or not facts.get("identifiableObject") or \
            registry.by_klass(facts.get("itemKlass"), ctx.release.minor) is None:
        raise webmessage.fail(webmessage.conflict(refusal))
    return info, obj, facts


def _owning_property(item_info: registry.TypeInfo, facts: dict[str, Any], minor: str) -> str | None:
    """`Schema#propertyByRole(property.getOwningRole())` on the item's schema: the many-to-many
    collection holding the role HibernatePropertyIntrospector#updateJoinTables paired with this
    one through their join table (owner side first where both sides are the item's); none
    for an inverse one-to-many, whose items DefaultCollectionService cannot change."""
    role = facts.get("owningRole")
    if not role:
        return None
    found = [(not p.get("owner"), name)
             for name, p in registry.jackson_properties(item_info.singular, minor).items()
             if p.get("collection") and p.get("manyToMany")
             and role in (p.get("owningRole"), p.get("inverseRole"))]
    return min(found)[1] if found else None


def _current(ctx: Ctx, info: registry.TypeInfo, obj: dict[str, Any], prop: str,
             facts: dict[str, Any]) -> list[str]:
    """The object's own view of the collection (`property.getGetterMethod().invoke(object)`):
    its references when it owns the property, else the items whose owning side names it."""
    if facts.get("owner"):
        return membership.ref_uids(obj.get(prop))
    item_info = registry.by_klass(facts["itemKlass"], ctx.release.minor)
    owning = _owning_property(item_info, facts, ctx.release.minor) if item_info else None
    if item_info is None or owning is None:
        return []
    return [i["id"] for i in ctx.store.list_objects(item_info.plural)
            if obj["id"] in membership.ref_uids(i.get(owning))]


def _change(ctx: Ctx, plural: str, uid: str, prop: str, additions: list[str], deletions: list[str],
            refusal: str, replace: bool = False) -> Response:
    info, obj, facts = _collection(ctx, plural, uid, prop, refusal)
    item_info = registry.by_klass(facts["itemKlass"], ctx.release.minor)
    assert item_info is not None
    if replace:
        # replaceCollectionItems: delCollectionItems of the whole current collection, then
        # addCollectionItems of the listed ones, so a kept item counts once deleted, once updated.
        deletions = _current(ctx, info, obj, prop, facts)
    stats = {"created": 0, "updated": 0, "deleted": 0, "ignored": 0}
    failures: list[dict[str, Any]] = []
    writes: dict[tuple[str, str], dict[str, Any]] = {}

    def members(holder: dict[str, Any], name: str) -> list[dict[str, Any]]:
        return [r for r in holder.get(name) or [] if isinstance(r, dict) and r.get("id")]

    for adding, uids in ((False, deletions), (True, additions)):
        # manager.getByUid: each existing item once, whatever the list repeats; the index
        # counts the items found (updateCollectionItems)
        found = [u for u in dict.fromkeys(uids) if ctx.store.get_object(item_info.plural, u)]
        for index, item_uid in enumerate(found):
            item = ctx.store.get_object(item_info.plural, item_uid)
            assert item is not None
            if facts.get("owner"):
                holder, name, member = writes.get((plural, uid), obj), prop, item_uid
                key = (plural, uid)
            else:
                owning = _owning_property(item_info, facts, ctx.release.minor)
                if owning is None:
                    # getCollection(item, null) fails; updateCollectionItems reports the item
                    # (E1108/E1109) and counts it ignored
                    failures.append(_failed_item(item_info, index, item_uid, adding))
                    stats["ignored"] += 1
                    continue
                key = (item_info.plural, item_uid)
                holder, name, member = writes.get(key, item), owning, uid
            current = members(holder, name)
            present = any(r["id"] == member for r in current)
            if adding and not present:
                current = [*current, {"id": member}]
                stats["updated"] += 1
            elif not adding and present:
                current = [r for r in current if r["id"] != member]
                stats["deleted"] += 1  # incDeleted in del(Non)OwnedCollectionItems
            else:
                stats["ignored"] += 1
                continue
            writes[key] = {**holder, name: current}
    with ctx.store.transaction():
        for (target_plural, target_uid), doc in writes.items():
            before = ctx.store.get_object(target_plural, target_uid) or doc
            ctx.store.put_object(target_plural, objects.stamp_update(doc, before, ctx.user))
    ctx.extras["committed"] = True
    report = webmessage.place_response_type(ctx.release, {
        "responseType": "TypeReport", "klass": item_info.klass,
        "stats": {**stats, "total": sum(stats.values())}, "objectReports": failures})
    if failures:
        # WebMessageUtils#typeReport: a report with errors is `conflict(String)`, 409 ERROR
        # without errorCode; what did change is kept (the exceptions were caught)
        return webmessage.message_response(webmessage.body(
            409, "ERROR", "One or more errors occurred, please see full details in import report.",
            response=report), 409)
    return webmessage.ok(response=report)


# CollectionService#getCollection(item, null): the owning property's getter on null, a
# NullPointerException (JDK helpful message, the parameter named as compiled with -g) wrapped
# in `new RuntimeException(ex)`, whose message is the cause's toString
_NO_OWNING_PROPERTY = ('java.lang.NullPointerException: Cannot invoke '
                       '"org.hisp.dhis.schema.Property.getGetterMethod()" because "property" is null')


def _failed_item(item_info: registry.TypeInfo, index: int, uid: str, adding: bool) -> dict[str, Any]:
    """`updateCollectionItems`' catch: `new ObjectReport(itemType, index, uid)` holding
    `new ErrorReport(itemType, E1108 | E1109, ex.getMessage())`."""
    code = "E1108" if adding else "E1109"
    return {"klass": item_info.klass, "index": index, "uid": uid,
            "errorReports": [error_report(code, item_info.klass, [_NO_OWNING_PROPERTY])]}


def _items(ctx: Ctx, first_read: str) -> tuple[list[str], list[str]]:
    """IdentifiableObjects: `identifiableObjects` and `additions` are one list (its
    getIdentifiableObjects returns the additions), so whichever the body names last wins.

    A JSON null is read as a null IdentifiableObjects, and the first getter the controller
    calls on it, `first_read` (`DefaultCollectionService#mergeCollectionItems`' getDeletions,
    2.41.9 :252, 2.42.5 / 2.43.1 :254; AbstractCrudController#replaceCollectionItems' and
    #deleteCollectionItems' getIdentifiableObjects, 2.41.9 :721/:789, 2.42.5 :628/:677,
    2.43.1 :608/:657), is a NullPointerException before any update or property check:
    #defaultExceptionHandler's 500 with its helpful text."""
    if xml_bodies.sent(ctx.request, "application/xml"):
        raise xml_bodies.refuse()  # 2.41's #…CollectionItemsXml, after the lookup
    body = ctx.json_body(Reader.STREAM, klass="org.hisp.dhis.common.IdentifiableObjects")
    if body is None:
        raise webmessage.fail(webmessage.error(
            500, f'Cannot invoke "org.hisp.dhis.common.IdentifiableObjects.{first_read}()" '
                 'because "items" is null'))
    body = body if isinstance(body, dict) else {}
    named = [k for k in body if k in ("additions", "identifiableObjects")]
    additions = membership.ref_uids(body[named[-1]]) if named else []
    return additions, membership.ref_uids(body.get("deletions"))


def add_item(ctx: Ctx, plural: str, uid: str, prop: str, item: str) -> Response:
    authority.require_controller(ctx, plural, write=True)  # AuthorityInterceptor first
    ctx.check_path_uids(uid=uid, itemId=item)
    return _change(ctx, plural, uid, prop, [item], [], ADDED_TO)


def delete_item(ctx: Ctx, plural: str, uid: str, prop: str, item: str) -> Response:
    authority.require_controller(ctx, plural, write=True)
    ctx.check_path_uids(uid=uid, itemId=item)
    return _change(ctx, plural, uid, prop, [], [item], REMOVED_FROM)


def _consumes(ctx: Ctx) -> None:
    """The `consumes` of the list endpoints (part of the mapping: nothing is bound or looked up
    for another media type): `application/json` (#addCollectionItemsJson …, 2.41.9 :632/:679/:748,
    2.42.5 :577/:605/:655, 2.43.1 :558/:586/:635); 2.41.9 maps XML twins for `application/xml`
    alone (:651/:698/:767, no `text/xml`), `Release.crud_consumes_xml`."""
    if ctx.release.crud_consumes_xml:
        ctx.require_media_type("application/json", "application/xml")
    else:
        ctx.require_media_type("application/json")


def add_items(ctx: Ctx, plural: str, uid: str, prop: str) -> Response:
    """`addCollectionItemsJson` → `mergeCollectionItems`: deletions, then additions."""
    _consumes(ctx)
    authority.require_controller(ctx, plural, write=True)  # once `consumes` chose the handler
    ctx.check_path_uids(uid=uid)
    _entity(ctx, plural, uid)  # looked up before the body is read, the update check after
    additions, deletions = _items(ctx, "getDeletions")
    return _change(ctx, plural, uid, prop, additions, deletions, REMOVED_FROM)


def replace_items(ctx: Ctx, plural: str, uid: str, prop: str) -> Response:
    """`replaceCollectionItemsJson` → `replaceCollectionItems(…, getIdentifiableObjects())`.
    (`PUT …/{uid}/translations` is #replaceTranslations in DHIS2, mapped without `consumes`:
    not modelled, so not refused by media type either.)"""
    if prop != "translations":
        _consumes(ctx)
    authority.require_controller(ctx, plural, write=True)
    ctx.check_path_uids(uid=uid)
    _entity(ctx, plural, uid)
    return _change(ctx, plural, uid, prop, _items(ctx, "getIdentifiableObjects")[0], [], REPLACED,
                   replace=True)


def delete_items(ctx: Ctx, plural: str, uid: str, prop: str) -> Response:
    """`deleteCollectionItemsJson` → `delCollectionItems(…, getIdentifiableObjects())`."""
    _consumes(ctx)
    authority.require_controller(ctx, plural, write=True)
    ctx.check_path_uids(uid=uid)
    _entity(ctx, plural, uid)
    return _change(ctx, plural, uid, prop, [], _items(ctx, "getIdentifiableObjects")[0],
                   REMOVED_FROM)


RULES = [
    Rule("/api/sharing", endpoint=get_sharing, methods=["GET"]),
    Rule("/api/sharing", endpoint=post_sharing, methods=["POST", "PUT"]),
    Rule("/api/users/<uid>/disabled", endpoint=disable_user, methods=["POST"]),
    Rule("/api/users/<uid>/enabled", endpoint=enable_user, methods=["POST"]),
    Rule("/api/<plural:plural>/<uid>/<prop>/<item>", endpoint=add_item, methods=["POST"]),
    Rule("/api/<plural:plural>/<uid>/<prop>/<item>", endpoint=delete_item, methods=["DELETE"]),
    Rule("/api/<plural:plural>/<uid>/<prop>", endpoint=add_items, methods=["POST"]),
    Rule("/api/<plural:plural>/<uid>/<prop>", endpoint=replace_items, methods=["PUT"]),
    Rule("/api/<plural:plural>/<uid>/<prop>", endpoint=delete_items, methods=["DELETE"]),
]
