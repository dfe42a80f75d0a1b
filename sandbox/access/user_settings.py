"""Writing user settings: `POST /api/userSettings/{key}` (`?value=` first, else the body's text
as it is) and `DELETE /api/userSettings/{key}`, for the current user, `?user=<username>` or
`?userId=<uid>`; the values land in the user object's `settings` (what `access/me.py` reads).

- 2.42.5 / 2.43.1 `webapi/controller/UserSettingsController.java#putUserSettingByKey/
  #deleteUserSettingByKey/#getUsername/#checkKeyExists`, `user/DefaultUserSettingsService.java
  #put/#putAll/#validateAll`: a key without a default 404 E1005 "Setting does not exist: k", no
  value 409 E1004 "You need to specify a new value", `userId` unknown 404 E1005 "User with id
  … could not be found.", refused 403 E1006 "You are not authorized to access user: …" (when
  neither `canAddOrUpdateUser(groups)` nor `canModifyUser` passes); `user` is taken as it is
  (unknown: 409 E1004 "User with username … could not be found."), then `LazySettings#format`
  (400 E1003 "Not a valid value for setting k: v"); 200 "User setting saved"; DELETE 200 with
  no body (an empty value deletes).
- 2.41.9 `webapi/controller/UserSettingController.java#setUserSettingByKey/
  #deleteUserSettingByKey/#getUserSettingKey/#getUser`, `user/UserSettingKey#getAsRealClass`:
  an unknown key 404 "No user setting found with key: k", a user not found 409 "Could not find
  user 'x'", refused 401 "You are not authorized to access user: …", no value 409 "You need to
  specify a new value" (all without errorCode); the value made the key's class (Boolean#valueOf,
  LocaleUtils#toLocale, the enum constant of the upper-cased text: a refusal is
  CrudControllerAdvice#handleBadRequest's 400 with the Java message, no errorCode).
  Each of those four is a `throw new WebMessageException(...)` (:159, :192, :225-226, :232-233),
  so none gets WebMessageControllerAdvice's Cache-Control (`webmessage.thrown`); 2.42.5 /
  2.43.1 throw feedback exceptions, which it does get.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import user_admin
from scdi.sandbox.core import setting_values, setting_writes, settings, webmessage
from scdi.sandbox.core import users as users_mod
from scdi.sandbox.core.context import Ctx


def _refused(ctx: Ctx, target: dict[str, Any]) -> bool:
    groups = users_mod.from_object(ctx.store, target).user_groups
    return (not user_admin.can_add_or_update_user(ctx.store, ctx.user, groups)
            and not user_admin.can_modify_user(ctx.store, ctx.user, target))


def by_username(ctx: Ctx, username: str) -> dict[str, Any] | None:
    return next((u for u in ctx.store.list_objects("users") if u.get("username") == username), None)


def _target(ctx: Ctx) -> dict[str, Any]:
    """The user whose settings are written (2.42+ `#getUsername` then `#putAll`'s look-up)."""
    args = ctx.request.args
    username, uid = args.get("user"), args.get("userId")
    if username is None and uid is not None:
        return checked_by_uid(ctx, uid)
    target = by_username(ctx, username) if username is not None else \
        ctx.store.get_object("users", ctx.user.uid)
    if target is None:
        raise webmessage.fail(webmessage.conflict(
            f"User with username {username} could not be found."))
    return target


def checked_by_uid(ctx: Ctx, uid: str) -> dict[str, Any]:
    """2.42+ `#getUsername` of a `userId`: unknown 404 E1005, refused 403 E1006."""
    found = ctx.store.get_object("users", uid)
    if found is None:
        raise webmessage.fail(webmessage.not_found_object("User", uid))
    if _refused(ctx, found):
        raise webmessage.fail(webmessage.forbidden(
            f"You are not authorized to access user: {found.get('username')}"))
    return found


def legacy_target(ctx: Ctx) -> dict[str, Any]:
    """2.41.9 `#getUser`: `userId` before `user`, both checked."""
    args = ctx.request.args
    username, uid = args.get("user"), args.get("userId")
    if uid is None and username is None:
        return ctx.store.get_object("users", ctx.user.uid) or {}
    found = ctx.store.get_object("users", uid) if uid is not None else by_username(ctx, str(username))
    if found is None:
        raise webmessage.thrown(webmessage.conflict_message(
            f"Could not find user '{uid if uid is not None else username}'"))
    if _refused(ctx, found):
        raise webmessage.thrown(webmessage.error(
            401, f"You are not authorized to access user: {found.get('username')}"))
    return found


def _save(ctx: Ctx, target: dict[str, Any], key: str, value: Any) -> None:
    stored = dict(target.get("settings") or {})
    if value is None or value == "":
        stored.pop(key, None)
    else:
        stored[key] = value
    ctx.store.put_object("users", {**target, "settings": stored})
    # 2.42+ #putAll then #updateSession: the user's login snapshot, if they have one, taken again
    settings.refresh_snapshot(ctx.store, ctx.release, str(target.get("username")), str(target["id"]))


def _new_value(ctx: Ctx) -> str | None:
    value = ctx.request.args.get("value")
    return value if value is not None else (ctx.request.get_data(as_text=True) or None)


def _legacy_real_class(setting: settings.Setting, value: str) -> Any:
    """2.41.9 UserSettingKey#getAsRealClass: Boolean#valueOf, LocaleUtils#toLocale, the enum's
    constant of the upper-cased text (`core/setting_values.py`), kept as their toString."""
    if setting.type == "Locale":
        return setting_values.legacy_locale(value)
    if setting.type == "Enum" and setting_values.known_enum(setting.key):
        return setting_values.legacy_enum(setting.key, value)
    return settings.real_class(setting, value)


def set_user_setting(ctx: Ctx, key: str) -> Response:
    release = ctx.release
    catalog = settings.catalog(release).user
    if release.settings_key_enums:
        setting = catalog.get(key)
        if setting is None:
            raise webmessage.thrown(webmessage.not_found_message(f"No user setting found with key: {key}"))
        target = legacy_target(ctx)
        value = _new_value(ctx)
        if not value:
            raise webmessage.thrown(webmessage.conflict_message("You need to specify a new value"))
        try:
            real = _legacy_real_class(setting, value)
        except ValueError as refused:
            raise webmessage.fail(webmessage.error(400, str(refused))) from None
        _save(ctx, target, key, real)
        return webmessage.ok("User setting saved")
    if key not in catalog:
        raise webmessage.fail(webmessage.not_found(f"Setting does not exist: {key}"))
    value = _new_value(ctx)
    if not value:
        raise webmessage.fail(webmessage.conflict("You need to specify a new value"))
    target = _target(ctx)
    try:
        formatted = setting_writes.format_value(catalog[key], value)
    except ValueError:
        raise webmessage.fail(webmessage.bad_request(
            f"Not a valid value for setting {key}: {value}")) from None
    _save(ctx, target, key, formatted)
    return webmessage.ok("User setting saved")


def delete_user_setting(ctx: Ctx, key: str) -> Response:
    release = ctx.release
    known = key in settings.catalog(release).user
    if release.settings_key_enums:
        if not known:
            raise webmessage.thrown(webmessage.not_found_message(f"No user setting found with key: {key}"))
        target = legacy_target(ctx)
    else:
        if not known:
            raise webmessage.fail(webmessage.not_found(f"Setting does not exist: {key}"))
        target = _target(ctx)
    _save(ctx, target, key, None)
    return Response(status=200)


RULES = [
    Rule("/api/userSettings/<key>", endpoint=set_user_setting, methods=["POST"]),
    Rule("/api/userSettings/<key>", endpoint=delete_user_setting, methods=["DELETE"]),
]
