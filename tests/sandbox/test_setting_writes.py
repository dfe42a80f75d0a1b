"""Writing system settings per release (`core/setting_writes.py`): 2.42.5/2.43.1
SystemSettingsController + DefaultSystemSettingsService#putAll + LazySettings#format, 2.41.9
SystemSettingController + SettingKey#getAsRealClass; the written values read back."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import bad_request_page

ADMIN = ("admin", "district")
LEADER = ("group.leader", "district")
TEXT = {"Content-Type": "text/plain"}
JSON = {"Content-Type": "application/json"}


def _post(running, path, auth=ADMIN, **kwargs):
    return requests.post(f"{running.url}/api/systemSettings{path}", auth=auth, timeout=10, **kwargs)


def _delete(running, path, **kwargs):
    return requests.delete(f"{running.url}/api/systemSettings{path}", auth=ADMIN, timeout=10,
                           **kwargs)


def _value(running, key):
    return requests.get(f"{running.url}/api/systemSettings/{key}", auth=ADMIN,
                        timeout=10).json()[key]


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_setting_one_key(sandbox_factory, version):
    # SystemSettingsController#putSystemSettingPlain (`params = "value"`), #putSystemSettingPlainBody
    # (text/plain), #putSystemSettingJson (JsonValueUtils#toJavaString); LazySettings#format
    running = sandbox_factory(version=version)
    done = _post(running, "/keyUseCustomLogoFront", params={"value": "TRUE"})
    assert done.status_code == 200
    assert done.json()["message"] == "System setting 'keyUseCustomLogoFront' set to value 'TRUE'."
    assert _value(running, "keyUseCustomLogoFront") is True
    assert _post(running, "/applicationTitle", data="Sổ tay nhóm".encode(), headers=TEXT
                 ).status_code == 200
    assert _value(running, "applicationTitle") == "Sổ tay nhóm"
    every = requests.get(f"{running.url}/api/systemSettings", auth=ADMIN, timeout=10).json()
    assert every["applicationTitle"] == "Sổ tay nhóm" and every["keyUseCustomLogoFront"] is True
    assert _post(running, "/minPasswordLength", data="10", headers=JSON).json()["message"] == (
        "System setting 'minPasswordLength' set to value '10'.")
    assert _value(running, "minPasswordLength") == 10
    structured = _post(running, "/applicationTitle", data='{"a": 1}', headers=JSON)
    assert structured.status_code == 409 and structured.json()["errorCode"] == "E1004"
    assert structured.json()["message"] == 'Value must be a simple JSON value but was: {"a": 1}'
    unknown = _post(running, "/keyNoSuchThing", params={"value": "1"})
    assert unknown.status_code == 404 and unknown.json()["errorCode"] == "E1005"
    assert unknown.json()["message"] == "Setting does not exist: keyNoSuchThing"
    refused = _post(running, "/minPasswordLength", params={"value": "tám"})
    assert refused.status_code == 400 and refused.json()["errorCode"] == "E1003"
    assert refused.json()["message"] == "Not a valid value for setting minPasswordLength: tám"
    assert _value(running, "minPasswordLength") == 10
    # an empty value deletes (DefaultSystemSettingsService#putAll)
    assert _post(running, "/minPasswordLength", params={"value": ""}).status_code == 200
    assert _value(running, "minPasswordLength") == 8
    # F_SYSTEM_SETTING (@RequiresAuthority → AuthorityInterceptor)
    denied = _post(running, "/applicationTitle", auth=LEADER, params={"value": "x"})
    assert denied.status_code == 403
    assert denied.json()["message"] == "Access is denied, requires one Authority from [F_SYSTEM_SETTING]"


@pytest.mark.parametrize("version", ["2.42"])
def test_a_date_setting_is_read_in_ascii_digits(sandbox_factory, version):
    # LazySettings#parseDate: `^[0-9]+$` epoch millis, else LocalDateTime#parse, whose
    # DecimalStyle.STANDARD reads ASCII digits only: Arabic-Indic digits are E1003.
    running = sandbox_factory(version=version)
    assert _post(running, "/keyLastMonitoringRun", params={"value": "2024-01-15T10:00"}
                 ).status_code == 200
    value = "\u0662\u0660\u0662\u0664-01-15T10:00"
    refused = _post(running, "/keyLastMonitoringRun", params={"value": value})
    assert refused.status_code == 400 and refused.json()["errorCode"] == "E1003", refused.text


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_a_date_setting_is_read_as_local_date_time_parse_reads_it(sandbox_factory, version):
    # LazySettings#parseDate → LocalDateTime#parse (JDK 17 ISO_LOCAL_DATE_TIME, strict): the
    # fields are resolved in their ranges, `t` is `T`, a `.` may end the seconds with no digits
    running = sandbox_factory(version=version)
    for value in ("2024-01-15T10:00:00.", "2024-01-15t10:00", "2024-02-29T23:59:59.123456789",
                  "+12024-01-15T10:00", "-2024-01-15T10:00"):
        answer = _post(running, "/keyLastMonitoringRun", params={"value": value})
        assert answer.status_code == 200, (value, answer.text)
    for value in ("2024-13-01T10:00", "2023-02-29T10:00", "2024-01-15T24:00",
                  "2024-01-15T10:60", "2024-01-15T10:00:60", "2024-01-15T10:00:",
                  "+2024-01-15T10:00", "2024-01-15T10:00:00.1234567890"):
        refused = _post(running, "/keyLastMonitoringRun", params={"value": value})
        assert (refused.status_code, refused.json()["message"]) == (
            400, f"Not a valid value for setting keyLastMonitoringRun: {value}"), value


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_setting_many_keys_and_deleting(sandbox_factory, version):
    # #putSystemSettingsJson (Map<String, String>), #removeSystemSetting (204, checkKeyExists)
    running = sandbox_factory(version=version)
    unknown = _post(running, "", json={"applicationTitle": "X", "keyNope": 1, "keyNope2": 2})
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "Setting does not exist: keyNope,keyNope2"
    assert _value(running, "applicationTitle") == "DHIS 2"
    imported = _post(running, "", json={"applicationTitle": "Nhóm", "maxPasswordLength": 40,
                                        "keyAccountRecovery": True})
    assert imported.status_code == 200 and imported.json()["message"] == "System settings imported"
    assert (_value(running, "applicationTitle"), _value(running, "maxPasswordLength"),
            _value(running, "keyAccountRecovery")) == ("Nhóm", 40, True)
    gone = _delete(running, "/applicationTitle")
    # a void @ResponseStatus(NO_CONTENT) handler: no body, no Content-Type
    assert gone.status_code == 204 and gone.content == b"" and "Content-Type" not in gone.headers
    assert _value(running, "applicationTitle") == "DHIS 2"
    assert _delete(running, "/keyNope").status_code == 404
    many = _delete(running, "", params={"key": "maxPasswordLength,keyAccountRecovery"})
    assert many.status_code == 204 and "Content-Type" not in many.headers
    assert _value(running, "maxPasswordLength") == 72


def test_setting_keys_on_2_41(sandbox_factory):
    # 2.41.9 SystemSettingController#setSystemSettingOrTranslation/#saveSystemSetting,
    # #setSystemSettingV29, #removeSystemSetting; SettingKey#getAsRealClass
    running = sandbox_factory(version="2.41")
    done = _post(running, "/keyUseCustomLogoFront", params={"value": "TRUE"})
    assert done.json()["message"] == "System setting 'keyUseCustomLogoFront' set to value 'true'."
    assert _value(running, "keyUseCustomLogoFront") is True
    assert _post(running, "/factorDeviation", params={"value": "3"}).json()["message"] == (
        "System setting 'factorDeviation' set to value '3.0'.")
    assert _value(running, "factorDeviation") == 3.0
    text = requests.get(f"{running.url}/api/systemSettings/factorDeviation", auth=ADMIN,
                        headers={"Accept": "text/plain"}, timeout=10)
    assert text.text == "3.0"
    # the body is the value as it is: a JSON string keeps its quotes
    assert _post(running, "/applicationTitle", data='"Nhóm"'.encode(), headers=JSON
                 ).status_code == 200
    assert _value(running, "applicationTitle") == '"Nhóm"'
    refused = _post(running, "/minPasswordLength", params={"value": "tám"})
    assert refused.status_code == 400 and "errorCode" not in refused.json()
    assert refused.json()["message"] == 'For input string: "tám"'
    unknown = _post(running, "/keyNope", params={"value": "1"})
    assert unknown.status_code == 409 and "errorCode" not in unknown.json()
    assert unknown.json()["message"] == "Key is not supported: keyNope"
    empty = _post(running, "/applicationTitle", headers=TEXT)
    assert empty.status_code == 409
    assert empty.json()["message"] == "Value must be specified as query param or as payload"
    many = _post(running, "", json={"keyNope": 1, "keyNope2": 2, "applicationTitle": "X"})
    assert many.status_code == 409
    assert many.json()["message"] == "Key(s) is not supported: keyNope, keyNope2"
    imported = _post(running, "", json={"maxPasswordLength": 40, "applicationTitle": "X"})
    assert imported.json()["message"] == "System settings imported"
    assert _value(running, "maxPasswordLength") == 40
    assert _delete(running, "/keyNope").status_code == 409
    gone = _delete(running, "/maxPasswordLength")
    assert gone.status_code == 204 and "Content-Type" not in gone.headers
    assert _value(running, "maxPasswordLength") == 72
    denied = _post(running, "/applicationTitle", auth=LEADER, params={"value": "x"})
    assert denied.status_code == 403 and denied.json()["message"] == "Access is denied"


@pytest.mark.parametrize(("version", "title"), [("2.41", "DHIS 2"), ("2.42", ""), ("2.43", "")])
def test_login_config_reads_translatable_settings_and_the_custom_logo(sandbox_factory, version, title):
    # LoginConfigController#getTranslatableString: 2.41.9 getStringSetting (SettingKey's default
    # "DHIS 2"), 2.42.5/2.43.1 asString(key, "") (the value set, else ""); loginPageLogo only
    # with keyUseCustomLogoFront
    running = sandbox_factory(version=version)
    config = requests.get(f"{running.url}/api/loginConfig", timeout=10).json()
    assert config["applicationTitle"] == title and "loginPageLogo" not in config
    assert _post(running, "/keyUseCustomLogoFront", params={"value": "true"}).status_code == 200
    config = requests.get(f"{running.url}/api/loginConfig", timeout=10).json()
    assert config["useCustomLogoFront"] is True
    assert config["loginPageLogo"] == "/api/staticContent/logo_front.png"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_login_config_reads_the_settings_set(sandbox_factory, version):
    # LoginConfigController#getConfig reads the current settings (applicationTitle, the
    # password lengths), not only their defaults
    running = sandbox_factory(version=version)
    assert _post(running, "/applicationTitle", params={"value": "Sổ tay"}).status_code == 200
    config = requests.get(f"{running.url}/api/loginConfig", timeout=10).json()
    assert config["applicationTitle"] == "Sổ tay"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_login_config_ui_locale_is_the_language_of_the_setting(sandbox_factory, version):
    # LoginConfigController#getConfig: `uiLocale` is the locale's language alone
    # (2.41.9 java.util.Locale#getLanguage :129-132; 2.42.5 :89 / 2.43.1 :86
    # common/Locale#language), not the whole setting
    running = sandbox_factory(version=version)
    assert _post(running, "/keyUiLocale", params={"value": "pt_BR"}).status_code == 200
    config = requests.get(f"{running.url}/api/loginConfig", timeout=10).json()
    assert config["uiLocale"] == "pt"


CSV = {"Content-Type": "text/csv"}


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_setting_one_key_without_value_or_readable_body_fails_the_params_condition(
        sandbox_factory, version):
    # RequestMappingInfoHandlerMapping#handleNoMatch: #putSystemSettingPlain has no `consumes`,
    # so its `params = "value"` (and #putSystemSettingTranslation's) fail; a rethrown
    # UnsatisfiedServletRequestParameterException, before the authority check: the container's
    # 400 page with Spring 6.2's problem detail, which names neither conditions nor parameters
    running = sandbox_factory(version=version)
    for kwargs in ({"data": b"a,b", "headers": CSV}, {}, {"data": b"x", "headers": {"Content-Type": "nonsense"}}):
        refused = _post(running, "/applicationTitle", **kwargs)
        assert bad_request_page(refused) == "Invalid request parameters.", kwargs
    named = _post(running, "/applicationTitle", auth=LEADER, params=[("locale", "vi"), ("x", "1"), ("x", "2")],
                  data=b"a,b", headers=CSV)
    assert bad_request_page(named) == "Invalid request parameters."
    assert _value(running, "applicationTitle") == "DHIS 2"
    # DELETE without `key`: its only mapping on the bare path wants it
    keyless = _delete(running, "")
    assert bad_request_page(keyless) == "Invalid request parameters."


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_a_json_null_value_is_the_map_of_null_pointer(sandbox_factory, version):
    # StringHttpMessageConverter hands the text to JsonMixed; toJavaString's null goes into
    # Map.of(key, null): NullPointerException, #defaultExceptionHandler's 500; nothing written
    running = sandbox_factory(version=version)
    for body in (b"null", b" \n null", b"nope"):
        failed = _post(running, "/applicationTitle", data=body, headers=JSON)
        assert failed.status_code == 500, body
        assert failed.json()["status"] == "ERROR" and "message" not in failed.json()
    assert _value(running, "applicationTitle") == "DHIS 2"


@pytest.mark.parametrize(("version", "shown"), [("2.41", "8.0"), ("2.42", "0x1p3"), ("2.43", "0x1p3")])
def test_a_hexadecimal_double_is_a_double(sandbox_factory, version, shown):
    # Double#valueOf reads Java's hexadecimal form: 2.41.9 SettingKey#getAsRealClass (the
    # message shows the Double), 2.42.5/2.43.1 LazySettings#format (the value as sent)
    running = sandbox_factory(version=version)
    done = _post(running, "/factorDeviation", params={"value": "0x1p3"})
    assert done.status_code == 200
    assert done.json()["message"] == f"System setting 'factorDeviation' set to value '{shown}'."
    assert _value(running, "factorDeviation") == 8.0
    assert _post(running, "/factorDeviation", params={"value": "-0X1.8P1d"}).status_code == 200
    assert _value(running, "factorDeviation") == -3.0
    refused = _post(running, "/factorDeviation", params={"value": "0x1"})  # no binary exponent
    assert refused.status_code == 400
    assert _value(running, "factorDeviation") == -3.0


def test_setting_one_key_on_2_41_consumes_json_or_text(sandbox_factory):
    # 2.41.9 #setSystemSettingOrTranslation: consumes JSON, text/plain, text/html; the
    # `required = false` body lets only a request without a body pass the condition
    running = sandbox_factory(version="2.41")
    for params in ({}, {"value": "X"}):
        refused = _post(running, "/applicationTitle", params=params, data=b"a,b", headers=CSV)
        assert refused.status_code == 415, params
        assert refused.json()["message"] == "Content type 'text/csv' not supported"
    assert _value(running, "applicationTitle") == "DHIS 2"
    assert _post(running, "/applicationTitle", params={"value": "X"}, headers=CSV).status_code == 200
    assert _value(running, "applicationTitle") == "X"
    assert _post(running, "/applicationTitle", data=b"<b>Y</b>", headers={"Content-Type": "text/html"}
                 ).status_code == 200
    assert _value(running, "applicationTitle") == "<b>Y</b>"
    # no DELETE on the bare path: Spring 5's 405
    keyless = _delete(running, "")
    assert keyless.status_code == 405
    assert keyless.json()["message"] == "Request method 'DELETE' not supported"


@pytest.mark.parametrize(("version", "message"), [
    ("2.41", "Content type 'text/plain' not supported"),
    ("2.42", "Content-Type 'text/plain' is not supported"),
    ("2.43", "Content-Type 'text/plain' is not supported")])
def test_setting_many_keys_consumes_json_only(sandbox_factory, version, message):
    # #setSystemSettingV29 / #putSystemSettingsJson: consumes CONTENT_TYPE_JSON, before the
    # authority check
    running = sandbox_factory(version=version)
    for auth in (ADMIN, LEADER):
        refused = _post(running, "", auth=auth, data=b'{"applicationTitle": "X"}', headers=TEXT)
        assert refused.status_code == 415 and refused.json()["message"] == message
    assert _value(running, "applicationTitle") == "DHIS 2"


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_a_json_value_is_read_by_json_tree(sandbox_factory, version):
    # #putSystemSettingJson: the body as a String, JsonMixed.of + JsonValueUtils#toJavaString;
    # json-tree types the root by its first character and a number's or boolean's text is the
    # whole body; what it cannot read is a JsonFormatException (IllegalArgumentException, 400)
    running = sandbox_factory(version=version)
    assert _post(running, "/applicationTitle", data=b' "Nh\\u00f3m" ', headers=JSON
                 ).status_code == 200
    assert _value(running, "applicationTitle") == "Nhóm"
    assert _post(running, "/applicationTitle", data=b"trash", headers=JSON).json()["message"] == (
        "System setting 'applicationTitle' set to value 'trash'.")
    assert _value(running, "applicationTitle") == "trash"
    spaced = _post(running, "/minPasswordLength", data=b"10\n", headers=JSON)
    assert spaced.status_code == 400 and spaced.json()["errorCode"] == "E1003"
    assert spaced.json()["message"] == "Not a valid value for setting minPasswordLength: 10\n"
    unreadable = _post(running, "/applicationTitle", data=b"x", headers=JSON)
    assert unreadable.status_code == 400 and "errorCode" not in unreadable.json()
    assert unreadable.json()["message"] == (
        "Unexpected character at position 0,\nx\n^ expected start of a JSON value but found: `x`")
    trailing = _post(running, "/applicationTitle", data=b'"abc" x', headers=JSON)
    assert trailing.status_code == 400
    assert trailing.json()["message"] == 'Unexpected input after end of root value: "abc" x'
    structured = _post(running, "/applicationTitle", data=b'[1] ', headers=JSON)
    assert structured.status_code == 409
    assert structured.json()["message"] == "Value must be a simple JSON value but was: [1] "
    assert _value(running, "applicationTitle") == "trash"
    # a `\u` escape cut short: String(char[], int, int)'s bounds message, the image's JDK
    # (2.42 JDK 17 "offset …", 2.43 JDK 21 Preconditions' "Range […)")
    short = _post(running, "/applicationTitle", data=b'"ab\\u00', headers=JSON)
    assert short.status_code == 500
    assert short.json()["message"] == ("Range [5, 5 + 4) out of bounds for length 7" if version == "2.43"
                                       else "offset 5, count 4, length 7")


_SETTINGS_THROWS = "org.hisp.dhis.feedback.NotFoundException,org.hisp.dhis.feedback.BadRequestException"
_MISSING = "Required request body is missing: public org.hisp.dhis.dxf2.webmessage.WebMessage "


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_missing_settings_body_names_the_handler(sandbox_factory, version):
    # RequestResponseBodyMethodProcessor#readWithMessageConverters: "Required request body is
    # missing: " + Method#toGenericString. 2.42.5/2.43.1 SystemSettingsController
    # #putSystemSettingPlainBody, #putSystemSettingJson, #putSystemSettingsJson; 2.41.9
    # SystemSettingController#setSystemSettingV29 (its `/{key}` body is not required)
    running = sandbox_factory(version=version)
    controller = "org.hisp.dhis.webapi.controller.SystemSettingsController"
    expected = {
        ("", b"null"): f"{controller}.putSystemSettingsJson(java.util.Map<java.lang.String, "
                       f"java.lang.String>) throws {_SETTINGS_THROWS}",
        ("/applicationTitle", TEXT["Content-Type"]): f"{controller}.putSystemSettingPlainBody("
                                                      f"java.lang.String,java.lang.String) throws "
                                                      f"{_SETTINGS_THROWS}",
        ("/applicationTitle", JSON["Content-Type"]): f"{controller}.putSystemSettingJson("
                                                      "java.lang.String,java.lang.String) throws "
                                                      "org.hisp.dhis.feedback.ConflictException,"
                                                      f"{_SETTINGS_THROWS}",
    }
    if version == "2.41":
        expected = {("", b"null"): "org.hisp.dhis.webapi.controller.SystemSettingController"
                                   ".setSystemSettingV29(java.util.Map<java.lang.String, "
                                   "java.lang.Object>)"}
    for (path, extra), handler in expected.items():
        bodies = (b"", extra) if isinstance(extra, bytes) else (b"",)
        content_type = extra if isinstance(extra, str) else JSON["Content-Type"]
        for body in bodies:
            answer = _post(running, path, data=body, headers={"Content-Type": content_type})
            assert answer.status_code == 400, (path, body, answer.text)
            assert answer.json() == {"httpStatus": "Bad Request", "httpStatusCode": 400,
                                     "status": "ERROR", "message": _MISSING + handler}, (path, body)


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_a_date_setting_is_held_to_the_range_of_a_date(sandbox_factory, version):
    # LazySettings#parseDate: parseLong's NumberFormatException beyond Long.MAX_VALUE, Date#from's
    # IllegalArgumentException when Instant#toEpochMilli overflows (the server's zone Etc/UTC);
    # both IllegalArgumentExceptions, rethrown by #parse: E1003. Checked on JDK 17.
    running = sandbox_factory(version=version)
    for value in ("9223372036854775807", "00000000000000000000000000009",
                  "+292278994-08-17T07:12:55.807", "+292278994-08-17T07:12:55.807999999",
                  "-292275055-05-16T16:47:04.192", "-292275055-05-16T16:47:04.192000001"):
        answer = _post(running, "/keyLastMonitoringRun", params={"value": value})
        assert answer.status_code == 200, (value, answer.text)
        assert answer.json()["message"] == (
            f"System setting 'keyLastMonitoringRun' set to value '{value}'.")
    assert _post(running, "/keyLastMonitoringRun", params={"value": "2024-01-15T10:00"}
                 ).status_code == 200
    for value in ("9223372036854775808", "99999999999999999999", "+292278994-08-17T07:12:55.808",
                  "+999999999-12-31T23:59", "+0999999999-01-01T00:00", "-999999999-01-01T00:00",
                  "-292275055-05-16T16:47:04.191999999", "-292275055-05-16T16:47:04.191"):
        refused = _post(running, "/keyLastMonitoringRun", params={"value": value})
        assert (refused.status_code, refused.json()["errorCode"], refused.json()["message"]) == (
            400, "E1003", f"Not a valid value for setting keyLastMonitoringRun: {value}"), value
    # nothing refused was stored
    plain = requests.get(f"{running.url}/api/systemSettings/keyLastMonitoringRun", auth=ADMIN,
                         headers={"Accept": "text/plain"}, timeout=10)
    assert plain.text == "2024-01-15T10:00"


def test_a_json_null_value_on_2_41_is_the_entrys_null_pointer(sandbox_factory):
    # 2.41.9 #setSystemSettingV29 :180 `entry.getValue().toString()`: JDK 17's helpful
    # NullPointerException message, #defaultExceptionHandler's 500; the entries before it saved
    running = sandbox_factory(version="2.41")
    failed = _post(running, "", json={"maxPasswordLength": 40, "applicationTitle": None})
    assert failed.status_code == 500
    assert failed.json() == {
        "httpStatus": "Internal Server Error", "httpStatusCode": 500, "status": "ERROR",
        "message": 'Cannot invoke "Object.toString()" because the return value of '
                   '"java.util.Map$Entry.getValue()" is null'}
    assert _value(running, "maxPasswordLength") == 40


_LOCATION = "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_settings_body_that_is_no_object_is_jacksons_map_refusal(sandbox_factory, version):
    # MapDeserializer (a LinkedHashMap) of #putSystemSettingsJson's Map<String, String>, 2.41.9
    # #setSystemSettingV29's Map<String, Object>: the words jackson-databind 2.21.0 / 2.22.3
    # write; Spring 5 (2.41) adds the nested exception with its location
    running = sandbox_factory(version=version)
    value_type = "java.lang.Object" if version == "2.41" else "java.lang.String"
    map_type = f"`java.util.LinkedHashMap<java.lang.String,{value_type}>`"
    mismatch = "com.fasterxml.jackson.databind.exc.MismatchedInputException"
    cases = {
        b"  [1]": (f"Cannot deserialize value of type {map_type} from Array value "
                   "(token `JsonToken.START_ARRAY`)", mismatch, "line: 1, column: 3]"),
        b"\n 5": (f"Cannot deserialize value of type {map_type} from Integer value "
                  "(token `JsonToken.VALUE_NUMBER_INT`)", mismatch, "line: 2, column: 2]"),
        b"1.5": (f"Cannot deserialize value of type {map_type} from Floating-point value "
                 "(token `JsonToken.VALUE_NUMBER_FLOAT`)", mismatch, "line: 1, column: 1]"),
        b"false": (f"Cannot deserialize value of type {map_type} from Boolean value "
                   "(token `JsonToken.VALUE_FALSE`)", mismatch, "line: 1, column: 1]"),
        b'" x "': ("Cannot construct instance of `java.util.LinkedHashMap` (although at least "
                   "one Creator exists): no String-argument constructor/factory method to "
                   "deserialize from String value ('x')", mismatch, "line: 1, column: 1]"),
        b'"\\t"': ('Cannot coerce empty String ("") to element of `java.util.LinkedHashMap` '
                   "(but could if coercion was enabled using `CoercionConfig`)",
                   "com.fasterxml.jackson.databind.exc.InvalidFormatException",
                   "line: 1, column: 1]"),
    }
    for body, (original, java_class, where) in cases.items():
        answer = _post(running, "", data=body, headers=JSON)
        expected = f"JSON parse error: {original}"
        if version == "2.41":
            expected += f"; nested exception is {java_class}: {original}{_LOCATION}{where}"
        assert (answer.status_code, answer.json()["message"]) == (400, expected), body
        assert "errorCode" not in answer.json()
