"""Writing user settings per release (`access/user_settings.py`): 2.42.5/2.43.1
UserSettingsController#putUserSettingByKey/#deleteUserSettingByKey and
DefaultUserSettingsService#putAll, 2.41.9 UserSettingController#setUserSettingByKey/
#deleteUserSettingByKey; the values read back through /api/userSettings."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import seeded_user

ADMIN = ("admin", "district")
LEADER = ("group.leader", "district")
VIEWER = ("dashboard.viewer", "district")


def _post(running, key, auth=ADMIN, **kwargs):
    return requests.post(f"{running.url}/api/userSettings/{key}", auth=auth, timeout=10, **kwargs)


def _mine(running, auth=ADMIN):
    return requests.get(f"{running.url}/api/userSettings", auth=auth, timeout=10).json()


def _admin_uid(running):
    return requests.get(f"{running.url}/api/me", auth=ADMIN, timeout=10).json()["id"]


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_writing_user_settings(sandbox_factory, version):
    running = sandbox_factory(version=version)
    done = _post(running, "keyMessageEmailNotification", params={"value": "TRUE"})
    assert done.status_code == 200 and done.json()["message"] == "User setting saved"
    assert _mine(running)["keyMessageEmailNotification"] is True
    assert _post(running, "keyUiLocale", data="vi", headers={"Content-Type": "text/plain"}
                 ).status_code == 200
    assert _mine(running)["keyUiLocale"] == "vi"
    unknown = _post(running, "keyNope", params={"value": "1"})
    assert unknown.status_code == 404 and unknown.json()["errorCode"] == "E1005"
    assert unknown.json()["message"] == "Setting does not exist: keyNope"
    empty = _post(running, "keyUiLocale")
    assert empty.status_code == 409 and empty.json()["errorCode"] == "E1004"
    assert empty.json()["message"] == "You need to specify a new value"
    refused = _post(running, "keyMessageSmsNotification", params={"value": "ja"})
    assert refused.status_code == 400 and refused.json()["errorCode"] == "E1003"
    assert refused.json()["message"] == "Not a valid value for setting keyMessageSmsNotification: ja"
    nobody = _post(running, "keyUiLocale", params={"value": "vi", "user": "no.such.user"})
    assert nobody.status_code == 409
    assert nobody.json()["message"] == "User with username no.such.user could not be found."
    no_id = _post(running, "keyUiLocale", params={"value": "vi", "userId": "aaaaaaaaaaa"})
    assert no_id.status_code == 404
    # a user without user authorities may not write the settings of a superuser by its id
    denied = _post(running, "keyUiLocale", auth=VIEWER,
                   params={"value": "vi", "userId": _admin_uid(running)})
    assert denied.status_code == 403 and denied.json()["errorCode"] == "E1006"
    assert denied.json()["message"] == "You are not authorized to access user: admin"
    gone = requests.delete(f"{running.url}/api/userSettings/keyUiLocale", auth=ADMIN, timeout=10)
    assert gone.status_code == 200 and gone.content == b""
    assert _mine(running)["keyUiLocale"] == "en"


def test_writing_user_settings_on_2_41(sandbox_factory):
    running = sandbox_factory(version="2.41")
    done = _post(running, "keyMessageEmailNotification", params={"value": "ja"})
    assert done.json()["message"] == "User setting saved"
    assert _mine(running)["keyMessageEmailNotification"] is False  # Boolean#valueOf
    unknown = _post(running, "keyNope", params={"value": "1"})
    assert unknown.status_code == 404 and "errorCode" not in unknown.json()
    assert unknown.json()["message"] == "No user setting found with key: keyNope"
    nobody = _post(running, "keyUiLocale", params={"value": "vi", "user": "no.such.user"})
    assert nobody.status_code == 409
    assert nobody.json()["message"] == "Could not find user 'no.such.user'"
    denied = _post(running, "keyUiLocale", auth=VIEWER,
                   params={"value": "vi", "userId": _admin_uid(running)})
    assert denied.status_code == 401
    assert denied.json()["message"] == "You are not authorized to access user: admin"
    empty = _post(running, "keyUiLocale")
    assert empty.status_code == 409 and "errorCode" not in empty.json()
    assert _post(running, "keyUiLocale", params={"value": "vi"}).status_code == 200
    assert _mine(running)["keyUiLocale"] == "vi"
    assert requests.delete(f"{running.url}/api/userSettings/keyUiLocale", auth=ADMIN,
                           timeout=10).status_code == 200
    assert "keyUiLocale" not in _mine(running) or _mine(running)["keyUiLocale"] != "vi"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_reading_the_settings_of_another_user(sandbox_factory, version: str) -> None:
    # GET /api/userSettings and /{key} read the settings of `user` / `userId`: 2.41.9
    # UserSettingController#getUser (409 "Could not find user 'x'", thrown before any header),
    # though its `key` list reads the current user's (#getUserSetting(key)); 2.42.5 / 2.43.1
    # #getUserSettings takes a username as it is (an unknown one has none) and checks a userId
    # (404 E1005). `useFallback` is bound first, so its 400 precedes any other answer.
    running = sandbox_factory(version=version)
    url = running.url
    officer = seeded_user(running, "province.officer")["id"]
    saved = requests.post(f"{url}/api/userSettings/keyUiLocale", auth=ADMIN, timeout=10,
                          params={"userId": officer, "value": "vi"})
    assert saved.status_code == 200, saved.text

    def read(path="", **params):
        return requests.get(f"{url}/api/userSettings{path}", params=params, auth=ADMIN, timeout=10)

    assert read(user="province.officer").json()["keyUiLocale"] == "vi"
    assert read(userId=officer).json()["keyUiLocale"] == "vi"
    assert read("/keyUiLocale", userId=officer).text == "vi"
    listed = read(key="keyUiLocale", user="province.officer").json()
    assert listed == {"keyUiLocale": "en" if version == "2.41" else "vi"}
    unknown = read(user="nobody")
    if version == "2.41":
        assert unknown.status_code == 409, unknown.text
        assert unknown.json()["message"] == "Could not find user 'nobody'"
        assert "Cache-Control" not in unknown.headers
    else:
        assert unknown.status_code == 200 and unknown.json()["keyUiLocale"] == "en"
        missing = read(userId="nobodyXXXXX")
        assert missing.status_code == 404, missing.text
        assert missing.json()["errorCode"] == "E1005"
    assert read("/nosuchkey", useFallback="x").status_code == 400


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_enum_and_locale_user_settings_are_parsed(sandbox_factory, version: str) -> None:
    # keyAnalysisDisplayProperty is a DisplayProperty: 2.42.5/2.43.1 LazySettings#format stores
    # #parseEnum's name (the text, else upper-cased; neither: 400 E1003) and reads it back by its
    # toString; 2.41.9 UserSettingKey#getAsRealClass takes Enum#valueOf of the upper-cased text
    # and LocaleUtils#toLocale (commons-lang3 3.20.0), refusals being IllegalArgumentExceptions
    # (CrudControllerAdvice#handleBadRequest: 400, no errorCode)
    running = sandbox_factory(version=version)
    assert _post(running, "keyAnalysisDisplayProperty", params={"value": "shortname"}
                 ).status_code == 200
    assert _mine(running)["keyAnalysisDisplayProperty"] == "shortName"
    bogus = _post(running, "keyAnalysisDisplayProperty", params={"value": "bogus"})
    assert bogus.status_code == 400
    if version != "2.41":
        assert (bogus.json()["message"], bogus.json()["errorCode"]) == (
            "Not a valid value for setting keyAnalysisDisplayProperty: bogus", "E1003")
        return
    assert bogus.json()["message"] == "No enum constant org.hisp.dhis.common.DisplayProperty.BOGUS"
    assert "errorCode" not in bogus.json()
    assert _post(running, "keyUiLocale", params={"value": "vi-VN"}).status_code == 200
    assert _mine(running)["keyUiLocale"] == "vi_VN"
    for refused in ("v", "VIE", "vi_vn", "vi#VN"):
        answer = _post(running, "keyUiLocale", params={"value": refused})
        assert (answer.status_code, answer.json()["message"]) == (
            400, f"Invalid locale format: {refused}"), refused


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_locale_settings_are_dhis2_locales_from_2_42(sandbox_factory, version: str) -> None:
    # 2.42.5 / 2.43.1 LazySettings#format (:308) stores `common/Locale#of(value)#toString`,
    # DHIS2's own record: case kept and checked (language lower-case, region capitals), `-` or
    # `_` between, a script third when written second, the old codes mapped; a refusal is the
    # IllegalArgumentException's 400 E1003. The system settings format the same way.
    running = sandbox_factory(version=version)
    for written, stored in (("vi-VN", "vi_VN"), ("iw_IL", "he_IL"), ("zh-Hant-TW", "zh_TW_Hant"),
                            ("fr", "fr"), ("en_US_", "en_US")):
        assert _post(running, "keyUiLocale", params={"value": written}).status_code == 200
        assert _mine(running)["keyUiLocale"] == stored, written
    for refused in ("VI", "vi_vn", "v", "vi-VN-x-y"):
        answer = _post(running, "keyUiLocale", params={"value": refused})
        assert (answer.status_code, answer.json()["message"], answer.json()["errorCode"]) == (
            400, f"Not a valid value for setting keyUiLocale: {refused}", "E1003"), refused
    system = requests.post(f"{running.url}/api/systemSettings/keyDbLocale", auth=ADMIN,
                           params={"value": "pt-BR"}, timeout=10)
    assert system.status_code == 200
    read = requests.get(f"{running.url}/api/systemSettings/keyDbLocale", auth=ADMIN, timeout=10,
                        headers={"Accept": "application/json"})
    assert read.json() == {"keyDbLocale": "pt_BR"}
