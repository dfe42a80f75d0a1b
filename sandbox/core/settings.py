"""Endpoints open before sign-in and the settings every user reads: /api/loginConfig, /api/ping,
/api/systemSettings, and the user settings /api/userSettings and /api/me serve.

- `webapi/controller/security/LoginConfigController.java#getConfig` and
  `dhis-api/.../security/LoginConfigResponse.java` (2.41.9 has no min/maxPasswordLength); no
  OIDC provider is configured, so `oidcProviders` is empty. Written by the NON_NULL jsonMapper
  (`webapi/security/config/WebMvcConfig.java`, `commons/jackson/config/
  JacksonObjectMapperConfig.java`): no `loginPageLogo` without a custom logo, and on 2.41.9 no
  intro, notification, footers or loginPageTemplate, whose `setting/SettingKey.java` defaults
  are null, while 2.42.5/2.43.1 `#getTranslatableString` reads the title, intro, notification,
  footers and popup as `asString(key, "")`: the value set, else "" (an unset title too)
  (release-table field `login_config_from_setting_keys`). Open without credentials:
  `webapi/security/config/DhisWebApiWebSecurityConfig.java` (`/**/loginConfig` permitAll).
- `webapi/controller/PingController.java`: 200 with an empty body, also open
  (`DhisWebApiWebSecurityConfig`, 2.41.9 `DhisWebCommonsWebSecurityConfig#configure` ignoring).
- The keys, defaults, confidential and translatable flags are `data/settings/<tag>.json`
  (`Release.settings_catalog`, written by `scripts/settings_catalog.py` from 2.41.9
  `setting/SettingKey.java` and `user/UserSettingKey.java`, 2.42.5/2.43.1
  `setting/SystemSettings.java` and `UserSettings.java`). The system settings that were set are
  `core/setting_store.py` (written by `core/setting_writes.py`); a user's own settings are the
  `settings` of its user object.
- 2.41.9 (`Release.settings_key_enums`): `webapi/controller/SystemSettingController.java`
  `#getSystemSettingsJson`/`#getSettingKeysToFetch` drops unknown keys and confidential ones
  (for every user; nothing left: NotFoundException, 404 E1005 "Setting does not exist or is
  marked as confidential") and `DefaultSystemSettingManager#getSystemSettings` leaves out null
  defaults; `/{key}` answers 404 for an unknown key and for a confidential one unless the user
  is a superuser, JSON `{key: value}` or text/plain `String.valueOf` ("" for null), Cache-Control
  "no-cache, private". User settings: `DefaultUserSettingService
  #getUserSettingsWithFallbackByUserAsMap` (stored, then `UserSettingKey`'s own defaults, then
  the system setting of the same name; nulls left out by the mapper).
- 2.42.5/2.43.1: `webapi/controller/SystemSettingsController.java#getSystemSettingsJson` is
  `LazySettings#toJson` (`setting/LazySettings.java`): without `key` every key with a default
  but the confidential ones; with `key` every key asked for, confidential ones included, an
  unknown one "" (`#asJson`); `/{key}` 404 E1005 "Setting does not exist: …", 403 E1006
  "Setting is marked as confidential" for others than superusers, text/plain `toJavaString`.
- Key order: the maps are Java HashMaps/HashSets (`java_hash_order`); keys that share a bucket
  keep declaration order, where DHIS2's own order there depends on the JVM.
- `key` is a Set: Spring splits one comma-joined value, keeping empty items (`requested_keys`).
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import (
    dhis_locale,
    java_case,
    java_double,
    java_hash,
    setting_store,
    setting_values,
    string_negotiation,
    unmapped,
    webmessage,
)
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.spring_params import java_double_of, java_int, string_collection
from scdi.sandbox.core.store import Store
from scdi.upstream.releases import Release

NO_CACHE_NO_STORE = {"Cache-Control": "no-cache, no-store, must-revalidate"}  # ContextUtils
NO_CACHE_PRIVATE = {"Cache-Control": "no-cache, private"}  # CacheControl.noCache().cachePrivate()
TEXT_TYPE = "text/plain;charset=UTF-8"
LEGACY_NOT_FOUND = "Setting does not exist or is marked as confidential"


@dataclass(frozen=True)
class Setting:
    key: str
    type: str
    default: Any  # as DHIS2 writes it in JSON; None: no default (2.41.9)
    text: str | None = None  # 2.41.9 String.valueOf of the default; None: Object#toString
    confidential: bool = False
    translatable: bool = False


@dataclass(frozen=True)
class Catalog:
    system: dict[str, Setting]
    user: dict[str, Setting]


@cache
def _catalog(tag: str) -> Catalog:
    text = resources.files("scdi.sandbox").joinpath("data", "settings", f"{tag}.json").read_text(
        encoding="utf-8")
    raw = json.loads(text)
    return Catalog(system={e["key"]: Setting(**e) for e in raw["system"]},
                   user={e["key"]: Setting(**e) for e in raw["user"]})


def catalog(release: Release) -> Catalog:
    return _catalog(release.settings_catalog)


def system_default(release: Release, key: str) -> Any:
    """The value DHIS2 holds for a system setting nobody has set (None: null on 2.41.9)."""
    setting = catalog(release).system.get(key)
    return setting.default if setting else None


# --- values that were set -----------------------------------------------------------------------

def real_class(setting: Setting, text: str) -> Any:
    """2.41.9 `SettingKey#getAsRealClass` for the classes whose JSON is not their text (a
    refusal: ValueError with the Java message)."""
    if setting.type == "Boolean":
        return text.lower() == "true"  # Boolean#valueOf
    if setting.type in ("Integer", "Long"):
        return java_int(text, 32 if setting.type == "Integer" else 64)
    if setting.type == "Double":
        return java_double_of(text)
    return text


def _legacy_value(setting: Setting, stored: dict[str, str]) -> Any:
    """2.41.9 `DefaultSystemSettingManager#getSystemSetting`: the object set, else the default."""
    if setting.key in stored:
        return real_class(setting, stored[setting.key])
    return setting.default


def legacy_text(value: Any) -> str:
    """String#valueOf of a 2.41.9 setting object."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double.to_string(value)
    return str(value)


# --- Java's HashMap iteration order ---------------------------------------------------------

def java_hash_order(keys: list[str], initial_capacity: int = 16) -> list[str]:
    """The iteration order of a java.util.HashMap/HashSet the keys were put into in this order:
    by bucket (`hash ^ hash >>> 16` masked by the table size the puts grew it to), then by
    insertion (a resize keeps the relative order within a bucket). The table grows with every
    key put, a repeated one too, as it always has here."""
    capacity = java_hash.grown(java_hash.table_size_for(initial_capacity), len(keys))
    return java_hash.hash_set_order(keys, capacity=capacity)


def _copy_capacity(count: int, release: Release) -> int:
    """`new HashSet<>(collection)` on the release's JDK (`java_hash.copy_capacity`: JDK 17's
    `Math.max((int) (size / .75f) + 1, 16)`, from JDK 19 `HashMap#calculateHashMapCapacity`)."""
    return java_hash.copy_capacity(count, release.jdk_major)


# --- rendering -------------------------------------------------------------------------------

def _auto_json(value: str) -> Any:
    """LazySettings#asJson for a key without a default: booleans and numbers by their text."""
    if value in ("true", "false"):
        return value == "true"
    if re.fullmatch(r"[-+]?[0-9]+", value):
        return int(value)
    if re.fullmatch(r"[-+]?[0-9]?\.[0-9]+", value):
        return float(value)
    return value


def _raw(value: Any) -> str:
    """Settings#valueOf: how a stored value reads back as the raw text LazySettings parses."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _lazy_json(setting: Setting | None, stored: Any) -> Any:
    """LazySettings#asJson of one key: the stored raw value parsed by the default's type (the
    default when it does not parse), or the default."""
    raw = _raw(stored)
    if setting is None:
        return _auto_json(raw)
    if not raw:
        return setting.default
    try:
        if setting.type == "Boolean":
            return raw.lower() == "true"  # Boolean#valueOf
        if setting.type == "Integer":
            return int(raw)
        if setting.type == "Double":
            return java_double_of(raw)  # LazySettings#asDouble: Double#valueOf
        if setting.type == "Locale":
            return dhis_locale.normalise(raw)  # LazySettings#asLocale: common/Locale#of
        if setting.type == "Enum" and setting_values.known_enum(setting.key):
            # LazySettings#asEnum, written by its toString
            return setting_values.enum_text(setting.key, setting_values.enum_name(setting.key, raw))
    except ValueError:
        return setting.default
    return raw


def _plain_text(value: Any) -> str:
    """JsonValueUtils#toJavaString: a string as it is, any other value as its JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def _wants_text(ctx: Ctx) -> bool:
    """The `produces` of the `/{key}` mappings: text/plain only when the path has no `.json` and
    the Accept header prefers it (WebMvcConfig's negotiation falls back to JSON)."""
    if ctx.request.path.endswith(".json"):
        return False
    best = ctx.request.accept_mimetypes.best_match(["application/json", "text/plain"])
    return best == "text/plain"


def _text(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status=status, content_type=TEXT_TYPE, headers=headers)


def _json_in_order(values: dict[str, Any], order: list[str]) -> Response:
    return webmessage.json_response({k: values[k] for k in order if k in values},
                                    headers=NO_CACHE_NO_STORE)


# --- /api/systemSettings -----------------------------------------------------------------------



def requested_keys(values: list[str]) -> list[str] | None:
    """`@RequestParam Set<String> key` as Spring binds it (`string_collection`),
    a LinkedHashSet; None without the parameter."""
    keys = string_collection(values)
    return None if keys is None else list(dict.fromkeys(keys))


def system_settings(ctx: Ctx) -> Response:
    keys = requested_keys(ctx.request.args.getlist("key"))
    settings = catalog(ctx.release).system
    stored = setting_store.system_values(ctx.store)
    if ctx.release.settings_key_enums:
        # getSettingKeysToFetch: confidential keys are removed for every user, unknown ones
        # dropped; a `key` bound to an empty Set fetches nothing (404), only its absence all
        fetch = [k for k in (list(settings) if keys is None else keys)
                 if k in settings and not settings[k].confidential]
        if not fetch:
            raise webmessage.fail(webmessage.not_found(LEGACY_NOT_FOUND))
        found = {k: _legacy_value(settings[k], stored) for k in fetch}
        values = {k: v for k, v in found.items() if v is not None}
        return _json_in_order(values, java_hash_order(list(values)))
    if not keys:
        included = [k for k, s in settings.items() if not s.confidential]
        values = {k: _lazy_json(settings[k], stored.get(k)) for k in included}
        return _json_in_order(values, java_hash_order(included))
    values = {k: _lazy_json(settings.get(k), stored.get(k)) for k in keys}
    return _json_in_order(values, java_hash_order(keys, _copy_capacity(len(keys), ctx.release)))


def ui_language(ctx: Ctx) -> str:
    """The language of the current user's UI locale, which a translation read without `locale`
    asks for: 2.41.9 `UserSettingService#getUserSetting(UI_LOCALE, username)` (the user's own,
    else the system `keyUiLocale`) `#getLanguage`; 2.42.5 / 2.43.1 `UserSettings
    #getCurrentSettings().getUserUiLocale().language()` (the user's, else the system setting set
    when they logged in, `current_user_settings`, else `en`)."""
    if ctx.release.settings_key_enums:
        user = ctx.store.get_object("users", ctx.user.uid) or {}
        stored = dict(user.get("settings") or {})
        system = setting_store.system_values(ctx.store)
        locale = user_setting_value(ctx.release, stored, "keyUiLocale", system=system)
    else:
        stored, system = current_user_settings(ctx)
        locale = user_settings(ctx.release, stored, ["keyUiLocale"], system=system)["keyUiLocale"]
    return str(_language(locale) or "en")


def _translation(ctx: Ctx, setting: Setting, locale: str) -> str | None:
    """The translation kept for `locale` (`core/setting_translations.py`), for a translatable key
    only (2.41.9 `#getLocaleToFetch` :263-281, 2.42.5 / 2.43.1 `SystemSettings#isTranslatable`);
    2.42+ never keeps an empty one, so "" is none there too."""
    if not setting.translatable:
        return None
    return setting_store.translation(ctx.store, setting.key, locale) or None


def _translation_read(ctx: Ctx, setting: Setting) -> Response:
    """2.42.5 / 2.43.1 #getSystemSettingTranslation (`params = "locale"` and no `produces`,
    2.42.5 :197-213, 2.43.1 :194-210): it outranks the `produces` mappings. A translatable key
    sets `contentType(TEXT_PLAIN)` (2.42.5 :210, 2.43.1 :207), text/plain whatever Accept asks
    for: the translation for `locale` (an empty one the user's UI language), else the value
    (`toJson(false, …)`, `toJavaString`). A key that is not translatable answers
    #getSystemSettingPlain's ResponseEntity (:202 → :144, 2.43.1 :199 → :141; the confidential
    check included), which sets no Content-Type, and the mapping's own negotiation picks one
    (`core/string_negotiation.py`): JSON without Accept, the bare text as its body."""
    stored = setting_store.system_values(ctx.store)
    value = _plain_text(_lazy_json(setting, stored.get(setting.key)))
    if not setting.translatable:
        if setting.confidential and not ctx.user.superuser:
            raise webmessage.fail(webmessage.forbidden("Setting is marked as confidential"))
        return string_negotiation.text_answer(ctx.request, ctx.release, value, NO_CACHE_NO_STORE)
    locale = ctx.request.args.get("locale") or ui_language(ctx)
    found = _translation(ctx, setting, locale)
    return _text(value if found is None else found, headers=NO_CACHE_NO_STORE)


def system_setting(ctx: Ctx, key: str) -> Response:
    setting = catalog(ctx.release).system.get(key)
    text = _wants_text(ctx)
    stored = setting_store.system_values(ctx.store)
    if ctx.release.settings_key_enums:
        # settingExistsAndIsNotConfidential
        if setting is None or (setting.confidential and not ctx.user.superuser):
            if text:
                return _text(LEGACY_NOT_FOUND, 404)
            raise webmessage.fail(webmessage.not_found(LEGACY_NOT_FOUND))
        # #getSystemSettingOrTranslation: `locale`, else the user's UI language, for a
        # translatable key; its translation first (:233-261)
        found = _translation(ctx, setting, ctx.request.args.get("locale") or ui_language(ctx))
        if found is not None:
            if text:
                return _text(found, headers=NO_CACHE_PRIVATE)
            return webmessage.json_response({key: found}, headers=NO_CACHE_PRIVATE)
        if text and key in stored:
            return _text(legacy_text(_legacy_value(setting, stored)), headers=NO_CACHE_PRIVATE)
        if text:
            # an object setting prints Object#toString, an identity hash: its JSON stands in
            shown = setting.text if setting.text is not None else json.dumps(setting.default)
            return _text(shown, headers=NO_CACHE_PRIVATE)
        legacy = _legacy_value(setting, stored)
        value = "" if legacy is None else legacy
        return webmessage.json_response({key: value}, headers=NO_CACHE_PRIVATE)
    if setting is None:  # checkKeyExists
        raise webmessage.fail(webmessage.not_found(f"Setting does not exist: {key}"))
    if "locale" in ctx.request.args:
        return _translation_read(ctx, setting)
    if setting.confidential and not ctx.user.superuser:
        raise webmessage.fail(webmessage.forbidden("Setting is marked as confidential"))
    # #getSystemSettingPlain / #getSystemSettingJson: a translatable key's translation in the
    # user's UI language first (2.42.5 :141 / :166-171, 2.43.1 :138 / :163-168)
    found = _translation(ctx, setting, ui_language(ctx))
    if found is not None:
        if text:
            return _text(found, headers=NO_CACHE_NO_STORE)
        return webmessage.json_response({key: found}, headers=NO_CACHE_NO_STORE)
    current = _lazy_json(setting, stored.get(key))
    if text:
        return _text(_plain_text(current), headers=NO_CACHE_NO_STORE)
    return webmessage.json_response({key: current}, headers=NO_CACHE_NO_STORE)


# --- user settings (served by access/me.py) -------------------------------------------------------

def user_settings(release: Release, stored: dict[str, Any], keys: list[str] | None = None, *,
                  system: dict[str, str], fallback: bool = True) -> dict[str, Any]:
    """A user's settings with their fallbacks, in DHIS2's order; `keys`: only those (2.42+:
    `LazySettings#toJson(…, keys)`, an unknown key ""). 2.41.9 reads
    `getUserSettingsWithFallbackByUserAsMap` (its callers check the keys). `system`: the system
    settings set (`core/setting_store.py`); `fallback`: the `useFallback` of /api/userSettings.

    The fallback is the system setting of the same name as DHIS2 holds it now, the value set
    before the default: 2.41.9 `DefaultUserSettingService` (:179-207, :251-293) asks
    `SystemSettingManager#getSystemSetting`, 2.42.5/2.43.1 `DefaultUserSettingsService
    #getUserSettingsInternal` (:110-115) merges `SystemSettings#toMap` (the values set) under the
    user's own for every key of `UserSettings` (`UserSettings#withFallback` :100-107)."""
    found = catalog(release)
    if release.settings_key_enums:
        result: dict[str, Any] = {k: v for k, v in stored.items() if v is not None}
        for key, setting in found.user.items():
            if key not in result and setting.default is not None:  # UserSettingKey#getDefaultUserSettings
                result[key] = setting.default
        for key in found.user:
            if key not in result:
                result[key] = _system_fallback(release, key, system) if fallback else None
        if keys is not None:
            result = {k: result.get(k) for k in keys}
        order = java_hash_order(list(result))
        return {k: result[k] for k in order if result[k] is not None}  # NON_NULL
    own = {k: v for k, v in stored.items() if _raw(v)}  # LazySettings#of drops empty values
    if fallback:
        for key in found.user:  # UserSettings#keysWithDefaults; putIfAbsent, then #of drops empties
            if key not in own and _raw(system.get(key)):
                own[key] = system[key]
    if keys is None:
        included = list(dict.fromkeys([*found.user, *own]))
        order = java_hash_order(included)
    else:
        if "" in keys and own:
            # LazySettings#indexOf retries a key it lacks that does not start with "key" as
            # "key" + its first char upper-cased: `"".charAt(0)` throws, unless the settings
            # are empty (then it returns before the search). The message is JRE 17's.
            raise webmessage.UncaughtException("String index out of range: 0")
        order = java_hash_order(keys, _copy_capacity(len(keys), release))
    return {k: _lazy_json(found.user.get(k), own.get(_lazy_index_key(k, own))) for k in order}


def _lazy_index_key(key: str, own: dict[str, Any]) -> str:
    """The key LazySettings#indexOf finds (2.42.5 = 2.43.1 :313-320), which #asString,
    #orDefault and #asParseValue read through: a key not held and not starting with "key" is
    tried again as "key" + its first char upper-cased (Character#toUpperCase) + the rest, so
    `uiLocale` reads a stored `keyUiLocale`. Only a key without a default gets here by another
    name (#asJson's `asString(key, "")`); every `UserSettings` key starts with "key"."""
    if key in own or key.startswith("key") or not key:
        return key
    return "key" + java_case.to_upper_case(key[0]) + key[1:]


def user_setting_value(release: Release, stored: dict[str, Any], key: str, *,
                       system: dict[str, str]) -> Any:
    """2.41.9 DefaultUserSettingService#getUserSetting: the stored value, else UserSettingKey's
    own default, else the system setting of the same name as it is now (None: null)."""
    if stored.get(key) is not None:
        return stored[key]
    setting = catalog(release).user.get(key)
    if setting is not None and setting.default is not None:
        return setting.default
    return _system_fallback(release, key, system)


def _system_fallback(release: Release, key: str, system: dict[str, str]) -> Any:
    """2.41.9 `SystemSettingManager#getSystemSetting` of the SettingKey named `key`: the value
    set, else its default; None when no SettingKey has that name."""
    setting = catalog(release).system.get(key)
    return None if setting is None else _legacy_value(setting, system)


def user_setting_known(release: Release, key: str) -> bool:
    return key in catalog(release).user


# 2.42+ SessionUserSettings: a user's settings with their system fallbacks as they were when the
# user last logged in, kept per username (a static map in DHIS2, so one per sandbox here):
# the user's stored settings and the system settings set, then.
_Snapshot = tuple[dict[str, Any], dict[str, str]]
_SNAPSHOTS: weakref.WeakKeyDictionary[Store, dict[str, _Snapshot]] = weakref.WeakKeyDictionary()
_SNAPSHOTS_LOCK = threading.Lock()


def _stored_of(store: Store, uid: str) -> dict[str, Any]:
    user = store.get_object("users", uid) or {}
    return dict(user.get("settings") or {})


def on_login(store: Store, release: Release, username: str, uid: str) -> None:
    """2.42.5 = 2.43.1 `DefaultUserSettingsService#onSessionInit` (:76-84), the listener of the
    AuthenticationSuccessEvent every successful authentication publishes (a Basic request the
    session does not already hold, an ApiToken request): `SessionUserSettings.put(username,
    getUserSettings(username, true))`, and `#getUserSettings` (:99-107) answers the snapshot
    already held, so a later login keeps the first one. The sandbox keeps no sessions, so none
    is ever destroyed (`#onSessionExpired` :86-95): a user's snapshot is the one of their first
    authenticated request since the start or the last reset."""
    if release.settings_key_enums:
        return  # 2.41.9 reads the system settings as they are now
    with _SNAPSHOTS_LOCK:
        if username in _SNAPSHOTS.get(store, {}):
            return
    if not store.lock.acquire(blocking=False):
        # held by a long write (an import): nothing can change a setting before it ends, so
        # the snapshot is taken at the first read instead (`current_user_settings`)
        return
    try:
        taken = (_stored_of(store, uid), setting_store.system_values(store))
    finally:
        store.lock.release()
    with _SNAPSHOTS_LOCK:
        _SNAPSHOTS.setdefault(store, {}).setdefault(username, taken)


def snapshot(store: Store, username: str) -> _Snapshot | None:
    """`SessionUserSettings#get` (2.42.5 = 2.43.1 :68-71): the user's snapshot, if logged in."""
    with _SNAPSHOTS_LOCK:
        return _SNAPSHOTS.get(store, {}).get(username)


def with_fallbacks(store: Store, username: str, uid: str | None) -> _Snapshot:
    """The (stored, system) a read with fallbacks sees: `DefaultUserSettingsService
    #getUserSettings(username, true)` (2.42.5 = 2.43.1 :99-107), the snapshot of a user who has
    logged in, else the stored settings and the system settings as they are now (`uid` None: a
    name no user has, no stored settings)."""
    found = snapshot(store, username)
    if found is not None:
        return found
    return (_stored_of(store, uid) if uid else {}), setting_store.system_values(store)


def current_user_settings(ctx: Ctx) -> _Snapshot:
    """`UserSettings#getCurrentSettings` → `ThreadUserSettings#get` (2.42.5 = 2.43.1 :57-66):
    the current user's snapshot, which their request's authentication has taken."""
    on_login(ctx.store, ctx.release, ctx.user.username, ctx.user.uid)
    return with_fallbacks(ctx.store, ctx.user.username, ctx.user.uid)


def refresh_snapshot(store: Store, release: Release, username: str, uid: str) -> None:
    """2.42.5 = 2.43.1 `DefaultUserSettingsService#updateSession` (:188-193), after `#putAll`
    (:157) wrote or deleted settings of `username`: a user holding a snapshot gets a new one,
    their stored settings and the system settings as they are now; nobody else gets one."""
    if release.settings_key_enums:
        return
    with _SNAPSHOTS_LOCK:
        if username not in _SNAPSHOTS.get(store, {}):
            return
    taken = (_stored_of(store, uid), setting_store.system_values(store))
    with _SNAPSHOTS_LOCK:
        held = _SNAPSHOTS.get(store, {})
        if username in held:
            held[username] = taken


def clear_snapshots(store: Store) -> None:
    """A reset: the sandbox back to its start, when no user has logged in."""
    with _SNAPSHOTS_LOCK:
        _SNAPSHOTS.pop(store, None)


def plain_text(value: Any) -> str:
    return _plain_text(value)


def java_text(value: Any) -> str:
    """String.valueOf of a 2.41.9 setting value (a Locale, an enum's toString and a string all
    read as their JSON string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- /api/loginConfig, /api/ping --------------------------------------------------------------------

def system_value(ctx: Ctx, key: str) -> Any:
    """The system setting DHIS2 holds now: the value set (`core/setting_store.py`), typed as the
    release reads it, else the default."""
    setting = catalog(ctx.release).system.get(key)
    if setting is None:
        return None
    stored = setting_store.system_values(ctx.store)
    if ctx.release.settings_key_enums:
        return _legacy_value(setting, stored)
    return _lazy_json(setting, stored.get(key))


def _translatable(ctx: Ctx, key: str) -> Any:
    """LoginConfigController#getTranslatableString: the translation for `?locale=` (default
    `en`, an empty one too: Spring's `defaultValue`; 2.41.9 :107-116, 2.42.5 :72-80, 2.43.1
    :69-77), else 2.41.9 `getStringSetting`, the value set else the SettingKey default (null for
    the intro, notification and footers); 2.42.5 / 2.43.1 `asString(key, "")`, the value set
    else "", not the SystemSettings default, so an unset `applicationTitle` is "" there."""
    found = setting_store.translation(ctx.store, key, ctx.request.args.get("locale") or "en")
    if found:
        return found
    if ctx.release.login_config_from_setting_keys:
        return system_value(ctx, key)
    # LazySettings#of keeps only non-empty values; #asString gives the raw text of one
    return setting_store.system_values(ctx.store).get(key) or ""


def _language(locale: Any) -> Any:
    """The language of the UI locale, all `getConfig` writes (2.41.9 :129-132
    java.util.Locale#getLanguage; 2.42.5 :89 / 2.43.1 :86 `common/Locale#language`, the part of
    `Locale#of` before the first `-` or `_`): "pt" for a `pt_BR` setting."""
    if not isinstance(locale, str):
        return locale
    return re.split(r"[-_]", locale, maxsplit=1)[0].lower()


def login_config(ctx: Ctx) -> Response:
    def setting(key: str) -> Any:
        return system_value(ctx, key)

    body: dict[str, Any] = {
        "apiVersion": ctx.release.example_version,
        "applicationTitle": _translatable(ctx, "applicationTitle"),
        # 2.41.9 SettingKey defaults of these are null; 2.42.5/2.43.1 read them with ""
        "applicationDescription": _translatable(ctx, "keyApplicationIntro"),
        "applicationNotification": _translatable(ctx, "keyApplicationNotification"),
        "applicationLeftSideFooter": _translatable(ctx, "keyApplicationFooter"),
        "applicationRightSideFooter": _translatable(ctx, "keyApplicationRightFooter"),
        "countryFlag": setting("keyFlag"),
        "uiLocale": _language(setting("keyUiLocale")),
        # "/api/staticContent/logo_front.png" only with keyUseCustomLogoFront (2.41.9 :134-137,
        # 2.42.5 :90-91, 2.43.1 :87-88), else null and left out
        "loginPageLogo": ("/api/staticContent/logo_front.png"
                          if setting("keyUseCustomLogoFront") is True else None),
        "loginPopup": _translatable(ctx, "loginPopup"),
        "loginPageLayout": setting("loginPageLayout"),
        "loginPageTemplate": setting("loginPageTemplate"),
        "recaptchaSite": setting("recaptchaSite"),
    }
    if not ctx.release.login_config_from_setting_keys:
        body["minPasswordLength"] = str(setting("minPasswordLength"))
        body["maxPasswordLength"] = str(setting("maxPasswordLength"))
    body.update({
        "emailConfigured": False,
        "selfRegistrationEnabled": False,
        "selfRegistrationNoRecaptcha": setting("keySelfRegistrationNoRecaptcha"),
        "allowAccountRecovery": setting("keyAccountRecovery"),
        "useCustomLogoFront": setting("keyUseCustomLogoFront"),
        "oidcProviders": [],
    })
    # the response goes through DHIS2's NON_NULL jsonMapper (WebMvcConfig)
    return webmessage.json_response({k: v for k, v in body.items() if v is not None})


def ping(ctx: Ctx) -> Response:
    """`PingController#ping` (2.41.9, 2.42.5, 2.43.1): a void `@ResponseStatus(OK)` handler, so
    no message converter runs: no body and no Content-Type, whatever the Accept header asks
    for (its mapping has no `produces`), HEAD as GET."""
    response = Response(status=200)
    del response.headers["Content-Type"]
    return response


# The keys of `mediaTypeMap` (2.41.9 `security/config/WebMvcConfig` :243-262, 2.42.5 :294-313;
# 2.43.1 `MEDIA_TYPE_MAP` :266-287), the path extensions the ContentNegotiationManager registers.
REGISTERED_SUFFIXES = frozenset({
    "json", "json.gz", "json.zip", "jsonp", "xml", "xml.gz", "xml.zip", "png", "pdf", "xls",
    "xlsx", "csv", "csv.gz", "csv.zip", "adx.xml", "adx.xml.gz", "adx.xml.zip", "geojson"})


def ping_with_suffix(ctx: Ctx, suffix: str) -> Response:
    """`/api/ping.<suffix>`: Spring's suffix pattern matching routes it to `PingController`
    (any suffix on 2.41, a registered one from 2.42: `registered_suffix_pattern_match`); it is
    not the path `web.ignoring()` names, so it needs credentials (`core/app.py`). A path no
    pattern matches is the unmapped 404 whatever its method; one that matches answers another
    method than GET/HEAD with the 405 of `CrudControllerAdvice`."""
    release = ctx.release
    if not unmapped.version_mapped(ctx.request.path, "/api/ping", release,
                                   unmapped.raw_path(ctx.request)) or (
            release.registered_suffix_pattern_match and suffix not in REGISTERED_SUFFIXES):
        return unmapped.answer(ctx.request, release)
    if ctx.request.method not in ("GET", "HEAD"):
        verb = "is not supported" if release.spring6_messages else "not supported"
        return webmessage.advise(
            webmessage.error(405, f"Request method '{ctx.request.method}' {verb}"))
    return ping(ctx)


RULES = [
    Rule("/api/loginConfig", endpoint=login_config, methods=["GET"]),
    Rule("/api/ping", endpoint=ping, methods=["GET"]),
    Rule("/api/ping.<string(minlength=0):suffix>", endpoint=ping_with_suffix),
    Rule("/api/systemSettings", endpoint=system_settings, methods=["GET"]),
    Rule("/api/systemSettings/<key>", endpoint=system_setting, methods=["GET"]),
]
