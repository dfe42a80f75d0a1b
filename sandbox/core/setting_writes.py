"""Writing system settings: `POST /api/systemSettings/{key}` (the value as `?value=` or as the
body), `POST /api/systemSettings` (a JSON object), `DELETE /api/systemSettings/{key}`; all need
F_SYSTEM_SETTING (`core/authority.py`).

- 2.42.5 / 2.43.1 (`webapi/controller/SystemSettingsController.java`,
  `setting/DefaultSystemSettingsService#putAll`/`#validateAll`, `setting/LazySettings#format`):
  `?value=` wins over the body (`params = "value"`), a text/plain body is the value, a JSON body
  is read by json-tree and `JsonValueUtils#toJavaString` (a string its text, a number or boolean
  the body's whole text, an object or array 409 E1004 "Value must be a simple JSON value but
  was: …", what json-tree cannot read 400 with its message, `_json_value`); a key without a
  default is 404 E1005 "Setting does not exist: k" (several: joined by ","); a value the
  default's type refuses 400 E1003 "Not a valid value for setting k: v" (Boolean: true/false in
  any case, stored lower-case; Integer#valueOf; Double#valueOf; LocalDateTime or epoch millis for
  dates, within java.util.Date's range, `_check_date`; a Locale as `common/Locale#of` reads it,
  stored as its toString, `core/dhis_locale.py`); an empty value deletes. 200 "System setting
  'k' set to value 'v'." (the value as sent) / "System settings imported"; DELETE 204, an
  unknown key 404.
  Neither `?value=` nor a text/plain or JSON body: the params condition fails (400 "Parameter
  conditions … not met for actual request parameters: …", `_mapped`), as does `DELETE` of the
  bare path without `key`; a JSON body whose root json-tree types NULL (an `n` first) is the
  500 of `Map.of(key, null)`.
- 2.41.9 (`webapi/controller/SystemSettingController.java`, `setting/SettingKey#getAsRealClass`):
  an unknown key 409 "Key is not supported: k" (the object: "Key(s) is not supported: a, b"),
  neither `?value=` nor a body 409 "Value must be specified as query param or as payload" (both
  without errorCode), `?value=` first, the body's text as it is (JSON quotes included); the value
  made the key's class (Boolean#valueOf: anything but "true" is false; Integer/Long/Double
  #valueOf, a refusal `CrudControllerAdvice#handleBadRequest`'s 400 with NumberFormatException's
  message), 200 "System setting 'k' set to value '<String#valueOf>'."; the object's values by their
  Java `toString` (a JSON null the NullPointerException's 500, `_NULL_VALUE`); DELETE 204, an
  unknown key 409. The missing value (`#validateParameters` :161-164) and DELETE's unknown key
  (`#removeSystemSetting` :329-331) are thrown WebMessageExceptions, without
  WebMessageControllerAdvice's Cache-Control (`webmessage.thrown`); the unknown keys of the two
  POSTs are returned WebMessages (:118, :175), which get it. `/{key}` consumes JSON, text/plain and
  text/html when the request has a body (:98-104), else 415 "Content type 'x' not supported",
  `?value=` or not.
- A required `@RequestBody` left empty (2.41.9 only #setSystemSettingV29's, `/{key}`'s is
  `required = false`) is Spring's "Required request body is missing: " with the handler's
  `Method#toGenericString` (`_handler`), as `Ctx.json_body(handler=…)` words it.
- All three: `POST /api/systemSettings` consumes JSON only (2.41.9 :167, 2.42.5 :123, 2.43.1
  :120), 415 in the Spring release's words; these mapping refusals come before the authority
  check. A root that is no JSON object is Jackson's refusal of the Map (`_not_a_map`). A Double
  is read by Double#valueOf, hexadecimal `0x1p3` too (`spring_params.java_double_of`).

A `locale` makes the write a translation (`core/setting_translations.py`): on 2.42.5+ with
`?value=` or a text/plain body (`_set_one`), `DELETE ?locale=` too; on 2.41.9 a non-empty one
with either value.

Not modelled: enum, locale and date refusals on 2.41.9 (DHIS2
answers 400 or 500 there), and enum names on 2.42.5+ (kept as sent); the
parameters of a form-encoded body, which the servlet's parameter map also holds.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import (
    authority,
    dhis_locale,
    jackson_text,
    java_double,
    java_local_date,
    json_tree_text,
    media_type,
    setting_store,
    setting_translations,
    setting_values,
    settings,
    spring_params,
    webmessage,
)
from scdi.sandbox.core.context import (
    Ctx,
    Reader,
    WrittenFloat,
    WrittenInt,
    body_missing,
    not_readable,
)

AUTHORITY = "F_SYSTEM_SETTING"


def _body(ctx: Ctx) -> str:
    return ctx.request.get_data(as_text=True)


def _handler(controller: str, method: str, params: str, throws: tuple[str, ...] = ()) -> str:
    """`Method#toGenericString` of a settings handler, which Spring's "Required request body is
    missing: …" names (`context.body_missing`): parameters joined by ",", a generic one's
    arguments by ", " (ParameterizedType#toString), the throws clause as declared."""
    thrown = (" throws " + ",".join(f"org.hisp.dhis.feedback.{name}" for name in throws)
              if throws else "")
    return (f"public org.hisp.dhis.dxf2.webmessage.WebMessage org.hisp.dhis.webapi.controller."
            f"{controller}.{method}({params}){thrown}")


_STRING = "java.lang.String"
# The `@RequestBody` handlers of 2.42.5 `SystemSettingsController` (2.43.1 the same, three
# lines earlier): #putSystemSettingPlainBody (:105-112), #putSystemSettingJson (:114-121),
# #putSystemSettingsJson (:123-130), #putSystemSettingTranslationBody (:240-249).
_PLAIN_BODY = _handler("SystemSettingsController", "putSystemSettingPlainBody",
                       f"{_STRING},{_STRING}", ("NotFoundException", "BadRequestException"))
_JSON_BODY = _handler("SystemSettingsController", "putSystemSettingJson", f"{_STRING},{_STRING}",
                      ("ConflictException", "NotFoundException", "BadRequestException"))
_JSON_OBJECT = _handler("SystemSettingsController", "putSystemSettingsJson",
                        f"java.util.Map<{_STRING}, {_STRING}>",
                        ("NotFoundException", "BadRequestException"))
_TRANSLATION_BODY = _handler("SystemSettingsController", "putSystemSettingTranslationBody",
                             f"{_STRING},{_STRING},{_STRING}",
                             ("ForbiddenException", "BadRequestException"))
# 2.41.9 `SystemSettingController#setSystemSettingV29` (:167-170, no throws clause); its
# `/{key}` handler's body is `required = false`, so it never names a handler.
_LEGACY_JSON_OBJECT = _handler("SystemSettingController", "setSystemSettingV29",
                               f"java.util.Map<{_STRING}, java.lang.Object>")


# --- 2.42.5 / 2.43.1 ---------------------------------------------------------------------------

def format_value(setting: settings.Setting, value: str) -> str:
    """LazySettings#format: the text stored for the value (ValueError: refused)."""
    if not value:
        return value
    if setting.type == "Boolean":
        if value.lower() in ("true", "false"):
            return value.lower()
        raise ValueError(value)
    if setting.type == "Double":
        spring_params.java_double_of(value)
    elif setting.type in ("Integer", "Long"):
        spring_params.java_int(value)
    elif setting.type == "Date":
        _check_date(value)
    elif setting.type == "Locale":
        return dhis_locale.normalise(value)  # common/Locale#of(value)#toString
    elif setting.type == "Enum" and setting_values.known_enum(setting.key):
        return setting_values.enum_name(setting.key, value)
    return value


_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
# what `LocalDateTime#parse` read, once it accepted the text: the date, the time, the fraction
_LOCAL_DATE_TIME = re.compile(r"([+-]?[0-9]+)-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})"
                              r"(?::([0-9]{2})(?:\.([0-9]{0,9}))?)?")


def _days_from_epoch(year: int, month: int, day: int) -> int:
    """The proleptic Gregorian day count from 1970-01-01 (`LocalDate#toEpochDay`), for every
    year LocalDate holds (Python's `date` stops at 1 and 9999)."""
    shifted = year - (month <= 2)
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    of_era_days = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    return era * 146097 + of_era_days - 719468


def _check_date(value: str) -> None:
    """LazySettings#parseDate (2.42.5 and 2.43.1 :378-381, #format :307; ValueError: refused).

    `raw.matches("^[0-9]+$")` (ASCII digits) is `new Date(parseLong(raw))`: a number beyond
    Long.MAX_VALUE is parseLong's NumberFormatException. Anything else is
    `Date.from(LocalDateTime.parse(raw).atZone(ZoneId.systemDefault()).toInstant())`:
    LocalDateTime#parse's refusals (`java_local_date.parse_local_date_time`), then Date#from's
    IllegalArgumentException when `Instant#toEpochMilli` (floor millis) overflows a long, as
    it does for years LocalDateTime holds beyond Date's ±292 million: the bounds are
    +292278994-08-17T07:12:55.807 and -292275055-05-16T16:47:04.192 in the server's zone,
    Etc/UTC here (JDK 17). Both exceptions are IllegalArgumentExceptions, which #parse
    (:360-368) rethrows, so #validateAll words them E1003."""
    if value.isdigit() and value.isascii():
        if int(value) > _LONG_MAX:
            raise ValueError(value)
        return
    java_local_date.parse_local_date_time(value)
    found = _LOCAL_DATE_TIME.fullmatch(value)
    assert found is not None, value  # parse_local_date_time accepted it
    year, month, day, hour, minute = (int(part) for part in found.groups()[:5])
    second = int(found.group(6) or 0)
    millis_of_fraction = int((found.group(7) or "").ljust(9, "0")) // 1_000_000
    seconds = _days_from_epoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    if not _LONG_MIN <= seconds * 1000 + millis_of_fraction <= _LONG_MAX:
        raise ValueError(value)


def _put_all(ctx: Ctx, values: dict[str, str | None]) -> None:
    """DefaultSystemSettingsService#putAll: every key checked, then every value, then written."""
    known = settings.catalog(ctx.release).system
    illegal = [k for k in values if k not in known]
    if illegal:
        raise webmessage.fail(webmessage.not_found("Setting does not exist: " + ",".join(illegal)))
    formatted: dict[str, str | None] = {}
    for key, value in values.items():
        try:
            formatted[key] = None if value is None else format_value(known[key], value)
        except ValueError:
            raise webmessage.fail(webmessage.bad_request(
                f"Not a valid value for setting {key}: {value}")) from None
    setting_store.put(ctx.store, {k: v for k, v in formatted.items() if v})
    setting_store.delete(ctx.store, [k for k, v in formatted.items() if not v])


def _scalar_text(value: Any) -> str:
    """The text of a JSON scalar as written (Jackson's `getText`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (WrittenFloat, WrittenInt)):
        return value.text
    return str(value)


def _params_text(ctx: Ctx) -> str:
    """UnsatisfiedServletRequestParameterException's actual parameters: `name={v1, v2}` each,
    in the order the request names them."""
    return ", ".join(f"{name}={{{', '.join(values)}}}" for name, values in ctx.request.args.lists())


def _unsatisfied_params(ctx: Ctx, *conditions: str) -> webmessage.HttpError:
    """A path and method mapped only with `params` the request lacks: `RequestMappingInfo
    HandlerMapping#handleNoMatch` (Spring 6.2.8 :290-293) throws
    UnsatisfiedServletRequestParameterException, a ServletException that CrudControllerAdvice
    #servletExceptionHandler rethrows (2.42.5 :504-507, 2.43.1 :505-508): the container's 400
    page (`core/spring_params.py#unsatisfied_params`)."""
    shown = " OR ".join(f'"{condition}"' for condition in conditions)
    return spring_params.unsatisfied_params(shown, _params_text(ctx), ctx.release)


def _essence(ctx: Ctx) -> str | None:
    """The Content-Type as Spring's `consumes` reads it (None: absent or unreadable)."""
    given = ctx.request.headers.get("Content-Type", "")
    try:
        return media_type.parse(given).essence if given else None
    except media_type.InvalidMediaType:
        return None


def _json_value(ctx: Ctx) -> str:
    """#putSystemSettingJson's `@RequestBody String`: StringHttpMessageConverter (WebMvcConfig
    2.42.5 :234, 2.43.1 :206) reads it ahead of Jackson (:238 / :210), and json-tree, not
    Jackson, reads the text (`JsonValueUtils#toJavaString(JsonMixed.of(value))`,
    `core/json_tree_text.py#root_scalar`): a number or boolean root is the whole text as sent;
    what json-tree cannot read is its JsonFormatException, an IllegalArgumentException
    (CrudControllerAdvice#illegalArgumentExceptionHandler, 2.42.5 :520-525, 2.43.1 :521-526:
    400 without errorCode), or a StringIndexOutOfBoundsException (#defaultExceptionHandler's
    500); an object or array root the ConflictException E1004; a NULL root (an `n` first,
    whatever follows) is toJavaString's null (JsonValueUtils :57) in Map.of(key, null) (2.42.5
    :101, 2.43.1 :98): a NullPointerException without message, 500, nothing written."""
    text = _body(ctx)
    if not text:  # EmptyBodyCheckingHttpInputMessage: no body for a required @RequestBody
        raise webmessage.fail(not_readable(body_missing(_JSON_BODY)))
    problem, kind, value = json_tree_text.root_scalar(text, ctx.release.jdk_range_bounds_message)
    if problem is not None:
        if problem.out_of_bounds:
            raise webmessage.fail(webmessage.error(500, problem.message))
        raise webmessage.fail(webmessage.bad_request_message(problem.message))
    if kind in ("OBJECT", "ARRAY"):
        raise webmessage.fail(webmessage.conflict(
            "Value must be a simple JSON value but was: " + text))
    if value is None:
        raise webmessage.fail(webmessage.error(500, None))
    return value


def _mapped(ctx: Ctx) -> None:
    """The handler lookup of `POST /{key}`, before AuthorityInterceptor's F_SYSTEM_SETTING: with
    neither `?value=` nor a text/plain or JSON body only #putSystemSettingPlain (2.42.5 :95-103,
    2.43.1 :92-100) passes its (absent) `consumes`, so its `params` fail, with those of
    #putSystemSettingTranslation (`locale, value`, 2.42.5 :222-224, 2.43.1 :219-221). Their order
    in the message follows the HashMap of every mapping (RequestMappingInfo hash codes, identity
    ones of RequestMethod among them): not determined by the source; declared order here."""
    if "value" not in ctx.request.args and _essence(ctx) not in ("text/plain", "application/json"):
        raise _unsatisfied_params(ctx, "value", "locale, value")


def _set_one(ctx: Ctx, key: str) -> Response:
    """The `/{key}` handler Spring picks: the mapping with more `params` first (Spring 6.2.8
    `RequestMappingInfo#compareTo` compares params before consumes), so `locale` and `value` are
    #putSystemSettingTranslation whatever the body, `locale` with a text/plain body
    #putSystemSettingTranslationBody; a JSON body with `locale` alone reaches
    #putSystemSettingJson, which sets the setting and leaves `locale` unread."""
    args = ctx.request.args
    value: str | None
    essence = _essence(ctx)
    if "locale" in args and "value" in args:
        return setting_translations.put(ctx, key, args["locale"], args["value"])
    if "locale" in args and essence == "text/plain":
        text = _body(ctx)
        if not text:
            raise webmessage.fail(not_readable(body_missing(_TRANSLATION_BODY)))
        return setting_translations.put(ctx, key, args["locale"], text)
    if "value" in args:
        value = args["value"]
    elif essence == "text/plain":
        value = _body(ctx)
        if not value:
            raise webmessage.fail(not_readable(body_missing(_PLAIN_BODY)))
    elif essence == "application/json":
        value = _json_value(ctx)
    else:  # `_mapped` refused it
        raise AssertionError(essence)
    _put_all(ctx, {key: value})
    return webmessage.ok(f"System setting '{key}' set to value '{value}'.")


def _not_a_map(ctx: Ctx, value: Any, value_type: str) -> webmessage.HttpError:
    """A `@RequestBody Map<String, V>` whose root is no JSON object: Jackson's MapDeserializer
    (a LinkedHashMap) refuses the token (jackson-databind 2.21.0 and 2.22.3 run on JDK 17), a
    MismatchedInputException at the token's start (blank text an InvalidFormatException), in
    Spring's "JSON parse error: …" (`Ctx#refused_root`): an array, number or boolean
    `DeserializationContext#handleUnexpectedToken` naming the map type with its arguments, a
    string `StdDeserializer#_deserializeFromString` ("no String-argument constructor", the text
    trimmed; empty or blank: "Cannot coerce empty String …"), naming the class alone."""
    found = ctx.request.get_data(cache=True)
    line, column = jackson_text.root_start(found)
    map_type = f"java.util.LinkedHashMap<java.lang.String,{value_type}>"
    kind = "mapping"
    if isinstance(value, str):
        if all(ord(c) <= 0x20 for c in value):  # StdDeserializer#_isBlank
            kind = "format"
            message = ('Cannot coerce empty String ("") to element of `java.util.LinkedHashMap` '
                       "(but could if coercion was enabled using `CoercionConfig`)")
        else:
            message = jackson_text.not_a_bean("java.util.LinkedHashMap", value, line,
                                              column).original
    else:
        shape, token = jackson_text.value_shape(value)
        message = (f"Cannot deserialize value of type `{map_type}` from {shape} "
                   f"(token `JsonToken.{token}`)")
    problem = jackson_text.Problem(message, line, column, kind)
    return webmessage.fail(ctx.refused_root(Reader.REQUEST_BODY, problem))


def _set_many(ctx: Ctx) -> Response:
    body = ctx.json_body(numbers_as_written=True, handler=_JSON_OBJECT)
    if not isinstance(body, dict):  # #putSystemSettingsJson's Map<String, String>
        raise _not_a_map(ctx, body, "java.lang.String")
    values: dict[str, str | None] = {}
    for key, value in body.items():
        if isinstance(value, (dict, list)):  # Map<String, String>: Jackson reads no structure
            shape, token = jackson_text.value_shape(value)
            raise webmessage.fail(webmessage.error(
                400, f"JSON parse error: Cannot deserialize value of type `java.lang.String` from "
                     f"{shape} (token `JsonToken.{token}`)"))
        values[key] = None if value is None else _scalar_text(value)
    _put_all(ctx, values)
    return webmessage.ok("System settings imported")


# --- 2.41.9 ----------------------------------------------------------------------------------

def _real_class(setting: settings.Setting, text: str) -> Any:
    try:
        return settings.real_class(setting, text)
    except ValueError as refused:  # NumberFormatException → handleBadRequest
        raise webmessage.fail(webmessage.error(400, str(refused))) from None


def _java_to_string(value: Any) -> str:
    """Object#toString of what Jackson binds a JSON value of a Map<String, Object> to."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double.to_string(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_java_to_string(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_java_to_string(v) for v in value) + "]"
    return str(value)


def _has_body(ctx: Ctx) -> bool:
    """Spring 5.3.39 `ConsumesRequestCondition#hasBody`: a Transfer-Encoding, or a
    Content-Length other than 0."""
    headers = ctx.request.headers
    length = headers.get("Content-Length", "").strip()
    return bool(headers.get("Transfer-Encoding", "").strip()) or (bool(length) and length != "0")


def _legacy_mapped(ctx: Ctx) -> None:
    """`consumes` JSON, text/plain, text/html (:98-104), checked while the handler is looked up,
    before `@PreAuthorize`: `@RequestBody(required = false)` lets the condition pass only for a
    request without a body (Spring 5.3.39 ConsumesRequestCondition#getMatchingCondition :207),
    with or without `?value=`."""
    if _has_body(ctx):
        ctx.require_media_type("application/json", "text/plain", "text/html")


def _legacy_set_one(ctx: Ctx, key: str) -> Response:
    value = ctx.request.args.get("value")
    payload = _body(ctx) or None  # @RequestBody(required = false): no body is null
    if value is None and payload is None:
        raise webmessage.thrown(webmessage.conflict_message(
            "Value must be specified as query param or as payload"))
    setting = settings.catalog(ctx.release).system.get(key)
    if setting is None:
        raise webmessage.fail(webmessage.conflict_message(f"Key is not supported: {key}"))
    text = value if value is not None else payload
    assert text is not None
    locale = ctx.request.args.get("locale")
    if locale:  # StringUtils#isEmpty(locale) picks the setting
        return setting_translations.legacy_put(ctx, key, locale, text)
    real = _real_class(setting, text)
    setting_store.put(ctx.store, {key: text})
    return webmessage.ok(f"System setting '{key}' set to value '{settings.legacy_text(real)}'.")


_NULL_VALUE = ('Cannot invoke "Object.toString()" because the return value of '
               '"java.util.Map$Entry.getValue()" is null')


def _legacy_set_many(ctx: Ctx) -> Response:
    body = ctx.json_body(handler=_LEGACY_JSON_OBJECT)
    if not isinstance(body, dict):  # #setSystemSettingV29's Map<String, Object>
        raise _not_a_map(ctx, body, "java.lang.Object")
    known = settings.catalog(ctx.release).system
    invalid = [k for k in body if k not in known]
    if invalid:
        raise webmessage.fail(webmessage.conflict_message(
            "Key(s) is not supported: " + ", ".join(invalid)))
    for key, value in body.items():
        if value is None:
            # `entry.getValue().toString()` (:180) on a JSON null: the JVM's NullPointerException
            # with JDK 17's helpful message (the interface call's owner `Map$Entry`, checked on
            # a LinkedHashMap Jackson built), #defaultExceptionHandler's 500 (:594-599); the
            # entries before it are already saved
            raise webmessage.fail(webmessage.error(500, _NULL_VALUE))
        text = _java_to_string(value)
        _real_class(known[key], text)
        setting_store.put(ctx.store, {key: text})
    return webmessage.ok("System settings imported")


# --- routes ------------------------------------------------------------------------------------

def set_system_setting(ctx: Ctx, key: str) -> Response:
    if ctx.release.settings_key_enums:
        _legacy_mapped(ctx)
    else:
        _mapped(ctx)
    authority.require(ctx, AUTHORITY)
    return _legacy_set_one(ctx, key) if ctx.release.settings_key_enums else _set_one(ctx, key)


def set_system_settings(ctx: Ctx) -> Response:
    # consumes CONTENT_TYPE_JSON only (2.41.9 :167, 2.42.5 :123, 2.43.1 :120), before the
    # authority check; the 415 worded per Spring release (`Ctx#require_media_type`)
    ctx.require_media_type("application/json")
    authority.require(ctx, AUTHORITY)
    return _legacy_set_many(ctx) if ctx.release.settings_key_enums else _set_many(ctx)


def delete_system_setting(ctx: Ctx, key: str) -> Response:
    authority.require(ctx, AUTHORITY)
    locale = ctx.request.args.get("locale")
    if locale is not None and not ctx.release.settings_key_enums:
        # #removeSystemSettingTranslation (`params = "locale"`) before #removeSystemSetting
        setting_translations.remove(ctx, key, locale)
        return webmessage.no_content()
    if key not in settings.catalog(ctx.release).system:
        if ctx.release.settings_key_enums:
            raise webmessage.thrown(webmessage.conflict_message(f"Key is not supported: {key}"))
        raise webmessage.fail(webmessage.not_found(f"Setting does not exist: {key}"))
    if locale and ctx.release.settings_key_enums:  # #removeSystemSetting :333-334
        setting_translations.legacy_remove(ctx, key, locale)
        return webmessage.no_content()
    # 2.41.9 deletes the row and the translations on it; 2.42+ keeps them in the datastore
    setting_store.delete(ctx.store, [key], with_translations=ctx.release.settings_key_enums)
    return webmessage.no_content()


def delete_system_settings(ctx: Ctx) -> Response:
    """2.42.5+ `DELETE /api/systemSettings?key=a,b` (`params = "key"`): no key is checked."""
    if ctx.release.settings_key_enums:  # no DELETE mapping on the bare path: Spring 5's words
        raise webmessage.fail(webmessage.error(405, "Request method 'DELETE' not supported"))
    if "key" not in ctx.request.args:  # the only DELETE mapping here wants it (2.42.5 :184)
        raise _unsatisfied_params(ctx, "key")
    authority.require(ctx, AUTHORITY)
    setting_store.delete(ctx.store, settings.requested_keys(ctx.request.args.getlist("key")) or [])
    return webmessage.no_content()


RULES = [
    Rule("/api/systemSettings", endpoint=set_system_settings, methods=["POST"]),
    Rule("/api/systemSettings", endpoint=delete_system_settings, methods=["DELETE"]),
    Rule("/api/systemSettings/<key>", endpoint=set_system_setting, methods=["POST"]),
    Rule("/api/systemSettings/<key>", endpoint=delete_system_setting, methods=["DELETE"]),
]
