"""`/api/me`: the logged-in user as MeController answers it.

`webapi/controller/user/MeController.java#getCurrentUser` and `MeDto.java` (2.41.9, 2.42.5,
2.43.1; the keys each release adds or drops are `upstream/releases.py` `me_keys_added` /
`me_keys_dropped`):

- keys in MeDto's declaration order, nulls left out; `fields` is applied by the field filter, so
  a nested selection (`organisationUnits[id,code]`) reads the referenced objects;
- the MeDto keys that neither its constructor nor `#getCurrentUser` assigns stay null, so they
  are never written: `sharing`, `userGroupAccesses`, `userAccesses`, 2.42.5's `externalAccess`;
  `impersonation` (set only for a switched user, which the sandbox has not) and 2.43.1's
  `canImpersonate` (set only when `switch_user_feature.enabled`, off by default,
  `ConfigurationKey.SWITCH_USER_FEATURE_ENABLED`);
- `userGroups`: the groups holding the user (`User#getGroups`, `access/acl.py`) the user may
  read, `userRoles` likewise; `programs`: `ProgramService#getCurrentUserPrograms` (data read
  sharing); `dataSets`: `DataSetService#getUserDataRead`; `access`: `AclService#getAccess` of
  the user on itself;
- `settings`: every user setting with its fallback (`core/settings.py#user_settings`: 2.41.9
  `DefaultUserSettingService#getUserSettingsWithFallbackByUserAsMap` over `UserSettingKey`, nulls
  left out; 2.42.5+ `setting/UserSettings.java` through `LazySettings#toJson`);
- `/api/me/settings` (`MeController#getSettings`): the same map; 2.41.9 reads no `key` and sends
  Cache-Control "no-store", 2.42.5+ writes the keys asked for ("" for an unknown one) with
  "no-cache, private"; `/api/me/settings/{key}` (`#getSetting`): 2.41.9 409 E1004 "Key is not
  supported: …" for an unknown key, 404 E1005 "User setting not found for key: …" for a null
  value; 2.42.5+ the bare JSON value, "" when unknown;
- `/api/userSettings` (`webapi/controller/UserSettingsController.java#getAllUserSettings`, 2.41.9
  `UserSettingController`): the same map, Cache-Control "no-cache, private"; with `key`, 2.41.9
  404 "No user setting found with key: …" (WebMessageUtils#notFound, no errorCode) for a key
  `UserSettingKey` lacks (the empty key of `key=a,` too) and `{}` for an empty `key=`, 2.42.5+
  every key asked for (`core/settings.py#requested_keys`: Spring's binding of the Set);
  `/api/userSettings/{key}` text/plain (`#getUserSettingByKey`: 2.41.9 `PrintWriter#print`,
  "null" for none; 2.42.5+ 404 E1005 "Setting does not exist: …" for a key without a default);
  both read `useFallback` (default true, bound before the method runs, so its 400 comes before
  any other answer): false leaves out the system setting a key not set falls back to
  (`core/settings.py#user_settings`); both read the settings of `?user=`/`?userId=` (`_target`:
  2.41.9 `#getUser`, `userId` first, 409 "Could not find user 'x'" / 401 thrown before any
  header; 2.42.5+ `#getUserSettings`: a username as it is, an unknown one has no settings, a
  `userId` through `#getUsername`, 404 E1005 / 403 E1006), except 2.41.9's `key` list, which
  `#getUserSetting(key)` reads for the current user whoever is asked for;
- `/api/me/authorization` and `/authorities`: the authorities; `/authorization/{authority}`
  and `/authorities/{authority}`: `User#isAuthorized` (a superuser has every one).
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl, user_settings
from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core import setting_store, webmessage
from scdi.sandbox.core import settings as settings_mod
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.java_split import java_split
from scdi.sandbox.core.java_string import substring_bounds_message
from scdi.sandbox.core.spring_params import spring_bool


def _refs(ctx: Ctx, plural: str, uids: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    return [{"id": u} for u in uids]


def me_document(ctx: Ctx) -> dict[str, Any]:
    user = ctx.user
    user_obj = ctx.store.get_object("users", user.uid) or {}
    store = ctx.store
    roles = [r for r in (store.get_object("userRoles", uid) for uid in user.user_roles)
             if r and acl.can_read(user, "userRoles", r, ctx.release.minor)]
    groups = [g for g in (store.get_object("userGroups", uid) for uid in user.user_groups)
              if g and acl.can_read(user, "userGroups", g, ctx.release.minor)]
    programs = [p["id"] for p in store.list_objects("programs") if acl.can_data_read(user, p, "programs")]
    data_sets = [d["id"] for d in store.list_objects("dataSets") if acl.can_data_read(user, d, "dataSets")]
    if ctx.release.settings_key_enums:
        own, system = dict(user_obj.get("settings") or {}), setting_store.system_values(store)
    else:  # UserSettings#getCurrentSettings: the snapshot of the user's login
        own, system = settings_mod.current_user_settings(ctx)
    settings = settings_mod.user_settings(ctx.release, own, _settings_keys(ctx), system=system)
    doc: dict[str, Any] = {
        "id": user.uid, "username": user.username, "surname": user_obj.get("surname"),
        "firstName": user_obj.get("firstName"), "employer": user_obj.get("employer"),
        "languages": user_obj.get("languages"), "gender": user_obj.get("gender"),
        "jobTitle": user_obj.get("jobTitle"), "avatar": user_obj.get("avatar"),
        "created": user_obj.get("created"), "lastUpdated": user_obj.get("lastUpdated"),
        "dataViewOrganisationUnits": _refs(ctx, "organisationUnits", user.view_org_units),
        "favorites": [],
        "userGroups": [{"id": g["id"]} for g in groups], "translations": [],
        "teiSearchOrganisationUnits": _refs(ctx, "organisationUnits", user.search_org_units),
        "organisationUnits": _refs(ctx, "organisationUnits", user.capture_org_units),
        "displayName": user_obj.get("displayName") or user_obj.get("name") or user.username,
        "access": acl.access_block(user, "users", user_obj, ctx.release.minor),
        "name": user_obj.get("name") or user.username, "email": user_obj.get("email"),
        "emailVerified": False, "phoneNumber": user_obj.get("phoneNumber"),
        "introduction": user_obj.get("introduction"), "birthday": user_obj.get("birthday"),
        "nationality": user_obj.get("nationality"), "education": user_obj.get("education"),
        "interests": user_obj.get("interests"), "whatsApp": user_obj.get("whatsApp"),
        "facebookMessenger": user_obj.get("facebookMessenger"), "skype": user_obj.get("skype"),
        "telegram": user_obj.get("telegram"), "twitter": user_obj.get("twitter"),
        "userRoles": [{"id": r["id"], "name": r.get("name")} for r in roles],
        "settings": settings, "programs": programs, "authorities": sorted(user.authorities),
        "dataSets": data_sets, "userCredentials": None,
        "patTokens": [], "twoFactorType": "NOT_ENABLED", "attributeValues": user_obj.get("attributeValues") or [],
    }
    release = ctx.release
    if "userCredentials" in release.me_keys_added:  # UserCredentialsDto, the 2.41 compatibility copy
        doc["userCredentials"] = {"id": user.uid, "username": user.username,
                                  "userRoles": [{"id": r["id"]} for r in roles], "disabled": user.disabled}
    for key in release.me_keys_dropped:
        doc.pop(key, None)
    return {k: v for k, v in doc.items() if v is not None}


# query/GetObjectParams.FIELD_SPLIT (2.42.5 and 2.43.1 :63): a comma inside `[…]` or `(…)`
# separates nothing. Its last alternative `([a-zA-Z0-9]+,?)+\)` is written as the same
# language without the nested quantifier, which Python's engine backtracks exponentially
# (Java's does not), and without a group, which Python's split would return
_FIELD_SPLIT = re.compile(r",(?![^\[\]]*\]|[^\(\)]*\)|[a-zA-Z0-9]+(?:,[a-zA-Z0-9]+)*,?\))")


def _settings_keys(ctx: Ctx) -> list[str] | None:
    """2.42+ `MeController#getCurrentUser` (2.42.5 :201-209, 2.43.1 :186-194): the first field
    that starts with `settings[` names the settings to write, `toJson(true, keys)` (an unknown
    key ""; `LazySettings#toJson` 2.42.5 = 2.43.1 :250-259); none, every setting. The fields
    are `GetObjectParams#setFields`'s (:84-86): Spring joins repeated `fields` with commas for
    the String setter, and `String#split(FIELD_SPLIT)` cuts them. The keys are
    `substring(9, length - 1).split(",")` into `Set.of`, which refuses a repeated key
    (IllegalArgumentException "duplicate element: k": `#illegalArgumentExceptionHandler`'s
    400); a bare `settings[` is the substring's StringIndexOutOfBoundsException (500). 2.41.9
    writes every setting whatever the fields."""
    if ctx.release.settings_key_enums:
        return None
    values = ctx.request.args.getlist("fields")
    if not values:
        return None
    for field in java_split(_FIELD_SPLIT, ",".join(values)):
        if field.startswith("settings["):
            if len(field) - 1 < 9:
                raise webmessage.UncaughtException(substring_bounds_message(
                    9, len(field) - 1, len(field), ctx.release.jdk_range_bounds_message))
            keys = java_split(",", field[9:len(field) - 1])
            for index, key in enumerate(keys):
                if key in keys[:index]:
                    raise webmessage.fail(webmessage.bad_request_message(
                        f"duplicate element: {key}"))
            return keys
    return None


def get_me(ctx: Ctx) -> Response:
    data = me_document(ctx)
    specs = ctx.request.args.getlist("fields")
    if specs:
        def resolve(ref: dict[str, Any]) -> dict[str, Any]:
            found = ctx.store.find_uid(ref.get("id") or "")
            return {**found[1], "displayName": found[1].get("name")} if found else ref
        selected = fieldsel.select(data, fieldsel.parse(specs, default="*"), resolve)
        if "settings" in selected:
            # written whole: 2.41.9's Map always expands (FieldFilterSimpleBeanPropertyFilter
            # #isAlwaysExpandType), 2.42+'s JsonMap is JsonValueSerializer's raw JSON
            selected["settings"] = data["settings"]
        data = selected
    return webmessage.json_response(data)


def get_authorities(ctx: Ctx) -> Response:
    return webmessage.json_response(sorted(ctx.user.authorities), headers={"Cache-Control": "no-store"})


def has_authority(ctx: Ctx, authority: str) -> Response:
    """`User#isAuthorized`: a superuser, or the authority among the roles'."""
    return webmessage.json_response(ctx.user.has(authority), headers={"Cache-Control": "no-store"})


def _stored(ctx: Ctx) -> dict[str, Any]:
    user_obj = ctx.store.get_object("users", ctx.user.uid) or {}
    return dict(user_obj.get("settings") or {})


def _target(ctx: Ctx, fallback: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """The stored settings of the user `/api/userSettings` reads and the system settings they
    fall back to: 2.41.9 UserSettingController#getUser (:210-238), the system settings as they
    are now; 2.42.5 / 2.43.1 UserSettingsController#getUsername/#getUserSettings (2.42.5
    :166-187, 2.43.1 :163-184), then `DefaultUserSettingsService#getUserSettings(username,
    useFallback)`: with fallbacks the snapshot of a user who has logged in."""
    if ctx.release.settings_key_enums:
        return dict(user_settings.legacy_target(ctx).get("settings") or {}), _system(ctx)
    args = ctx.request.args
    username, uid = args.get("user"), args.get("userId")
    if username is None and uid is None:
        if fallback:
            return settings_mod.current_user_settings(ctx)
        username, uid = ctx.user.username, ctx.user.uid
    elif username is None:
        found = user_settings.checked_by_uid(ctx, str(uid))
        username, uid = str(found.get("username")), str(uid)
    else:
        # a username taken as it is: the store's settings of that name, none for a name no
        # user has
        named = user_settings.by_username(ctx, username)
        uid = None if named is None else str(named["id"])
    if fallback:
        return settings_mod.with_fallbacks(ctx.store, username, uid)
    stored = ctx.store.get_object("users", uid) if uid else None
    return dict((stored or {}).get("settings") or {}), {}


def _system(ctx: Ctx) -> dict[str, str]:
    """The system settings set, which a user setting not set falls back to."""
    return setting_store.system_values(ctx.store)


def _use_fallback(ctx: Ctx) -> bool:
    """`@RequestParam(required = false, defaultValue = "true") boolean useFallback` of
    UserSettingController (2.41.9) / UserSettingsController (2.42.5, 2.43.1)."""
    raw = ctx.request.args.get("useFallback")
    if not raw:  # absent or empty: the defaultValue
        return True
    try:
        value = spring_bool(raw)
    except ValueError:
        value = None
    if value is None:  # CrudControllerAdvice#handleTypeMismatchException
        raise webmessage.fail(webmessage.error(
            400, f"Value '{raw}' is not valid for parameter useFallback. It should be of type boolean"))
    return value


def get_settings(ctx: Ctx) -> Response:
    release = ctx.release
    if release.settings_key_enums:
        return webmessage.json_response(settings_mod.user_settings(release, _stored(ctx), system=_system(ctx)),
                                        headers={"Cache-Control": "no-store"})
    keys = settings_mod.requested_keys(ctx.request.args.getlist("key"))
    own, system = settings_mod.current_user_settings(ctx)
    return webmessage.json_response(
        settings_mod.user_settings(release, own, keys or None, system=system),
        headers=settings_mod.NO_CACHE_PRIVATE)


def get_setting(ctx: Ctx, key: str) -> Response:
    release = ctx.release
    if not release.settings_key_enums:
        own, system = settings_mod.current_user_settings(ctx)
        value = settings_mod.user_settings(release, own, [key], system=system)[key]
        return webmessage.json_response(value)
    if not settings_mod.user_setting_known(release, key):
        raise webmessage.fail(webmessage.conflict(f"Key is not supported: {key}"))
    value = settings_mod.user_setting_value(release, _stored(ctx), key, system=_system(ctx))
    if value is None:
        raise webmessage.fail(webmessage.not_found(f"User setting not found for key: {key}"))
    return webmessage.json_response(value, headers={"Cache-Control": "no-store"})


def get_user_settings(ctx: Ctx) -> Response:
    keys = settings_mod.requested_keys(ctx.request.args.getlist("key"))
    release = ctx.release
    fallback = _use_fallback(ctx)
    target, system = _target(ctx, fallback)
    if keys is not None and release.user_settings_unknown_key_not_found:
        # 2.41.9 #getAllUserSettings walks the bound Set (:111-113): Spring 5.3 binds it through
        # CollectionFactory#createCollection, a LinkedHashSet, so the keys are checked in the
        # order asked for and the first unknown one is reported; only the answer's HashMap has
        # Java's hash order
        unknown = next((k for k in keys if not settings_mod.user_setting_known(release, k)), None)
        if unknown is not None:
            # 2.41.9 UserSettingController#getUserSettingKey's WebMessageException (:192), after
            # #getAllUserSettings set its own Cache-Control (:101-102), which the answer keeps
            raise webmessage.thrown(webmessage.error(
                404, f"No user setting found with key: {unknown}",
                headers=dict(settings_mod.NO_CACHE_PRIVATE)))
    if keys is not None and release.settings_key_enums:
        # 2.41.9 tests `keys == null` only: an empty `key=` binds to an empty Set, so nothing;
        # each key through #getUserSetting, which falls back whatever `useFallback` says
        stored = _stored(ctx)
        system = _system(ctx)
        values = {k: settings_mod.user_setting_value(release, stored, k, system=system) for k in keys}
        order = settings_mod.java_hash_order(keys)
        return webmessage.json_response({k: values[k] for k in order if values[k] is not None},
                                        headers=settings_mod.NO_CACHE_PRIVATE)
    return webmessage.json_response(
        settings_mod.user_settings(release, target, keys or None, system=system,
                                   fallback=fallback),
        headers=settings_mod.NO_CACHE_PRIVATE)


def get_user_setting(ctx: Ctx, key: str) -> Response:
    release = ctx.release
    fallback = _use_fallback(ctx)
    if release.settings_key_enums:
        if not settings_mod.user_setting_known(release, key):
            # 2.41.9 #getUserSettingKey's WebMessageException (:192), before any header is set
            raise webmessage.thrown(webmessage.error(404, f"No user setting found with key: {key}"))
        target, system = _target(ctx, fallback)
        value = settings_mod.user_settings(release, target, system=system,
                                           fallback=fallback).get(key)
        # PrintWriter#print(Object): String.valueOf, "null" for none
        text = "null" if value is None else settings_mod.java_text(value)
    else:
        if not settings_mod.user_setting_known(release, key):
            raise webmessage.fail(webmessage.not_found(f"Setting does not exist: {key}"))
        target, system = _target(ctx, fallback)
        text = settings_mod.plain_text(settings_mod.user_settings(
            release, target, [key], system=system, fallback=fallback)[key])
    return Response(text, content_type=settings_mod.TEXT_TYPE, headers=settings_mod.NO_CACHE_PRIVATE)


RULES = [
    Rule("/api/me", endpoint=get_me, methods=["GET"]),
    Rule("/api/me/authorities", endpoint=get_authorities, methods=["GET"]),
    Rule("/api/me/authorization", endpoint=get_authorities, methods=["GET"]),
    Rule("/api/me/authorities/<authority>", endpoint=has_authority, methods=["GET"]),
    Rule("/api/me/authorization/<authority>", endpoint=has_authority, methods=["GET"]),
    Rule("/api/me/settings", endpoint=get_settings, methods=["GET"]),
    Rule("/api/me/settings/<key>", endpoint=get_setting, methods=["GET"]),
    Rule("/api/userSettings", endpoint=get_user_settings, methods=["GET"]),
    Rule("/api/userSettings/<key>", endpoint=get_user_setting, methods=["GET"]),
]
