"""System setting translations per release (`core/setting_translations.py`, the reads in
`core/settings.py`): 2.42.5/2.43.1 SystemSettingsController's `locale` mappings and
DefaultSystemSettingsTranslationService (the datastore namespace `settings-translations`),
2.41.9 SystemSettingController#setSystemSettingOrTranslation and the SystemSetting row's
translations; LoginConfigController#getTranslatableString."""

from __future__ import annotations

import pytest
import requests

ADMIN = ("admin", "district")
TEXT = {"Content-Type": "text/plain"}


def _settings(running, path, method="get", **kwargs):
    return requests.request(method, f"{running.url}/api/systemSettings{path}", auth=ADMIN,
                            timeout=10, **kwargs)


def _login_title(running, **params):
    return requests.get(f"{running.url}/api/loginConfig", params=params,
                        timeout=10).json()["applicationTitle"]


def _set_ui_locale(running, locale):
    answer = requests.post(f"{running.url}/api/userSettings/keyUiLocale", params={"value": locale},
                           auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text


def _done(key, locale, value):
    return f"Translation for system setting '{key}' and locale: '{locale}' set to: '{value}'"


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_translations_are_kept_apart_from_the_setting(sandbox_factory, version):
    # SystemSettingsController#putSystemSettingTranslation(Body), #getSystemSettingTranslation,
    # #removeSystemSettingTranslation; DefaultSystemSettingsTranslationService
    running = sandbox_factory(version=version)
    _set_ui_locale(running, "fr")
    put = _settings(running, "/applicationTitle", "post", params={"locale": "vi", "value": "Sổ tay"})
    assert put.status_code == 200, put.text
    assert put.json()["message"] == _done("applicationTitle", "vi", "Sổ tay")
    # the `locale` mapping outranks `produces`: text/plain even when JSON is asked for
    read = _settings(running, "/applicationTitle", params={"locale": "vi"},
                     headers={"Accept": "application/json"})
    assert (read.status_code, read.text) == (200, "Sổ tay")
    assert read.headers["Content-Type"].startswith("text/plain")
    assert _settings(running, "/applicationTitle", params={"locale": "de"}).text == "DHIS 2"
    # a text/plain body with `locale` is #putSystemSettingTranslationBody
    body = _settings(running, "/applicationTitle", "post", params={"locale": "fr"},
                     data=b"Carnet", headers=TEXT)
    assert body.json()["message"] == _done("applicationTitle", "fr", "Carnet")
    # without `locale`: the translation in the user's UI language, an empty `locale` too
    assert _settings(running, "/applicationTitle").json() == {"applicationTitle": "Carnet"}
    assert _settings(running, "/applicationTitle", params={"locale": ""}).text == "Carnet"
    # loginConfig: `locale` defaults to en
    assert _login_title(running, locale="vi") == "Sổ tay"
    assert _login_title(running) == ""
    # a JSON body with `locale` alone is #putSystemSettingJson: the setting itself
    own = _settings(running, "/applicationTitle", "post", params={"locale": "vi"},
                    data='"Nhóm"', headers={"Content-Type": "application/json"})
    assert own.json()["message"] == "System setting 'applicationTitle' set to value 'Nhóm'."
    assert _settings(running, "/applicationTitle", params={"locale": "vi"}).text == "Sổ tay"
    assert _settings(running, "/applicationTitle", params={"locale": "de"}).text == "Nhóm"
    # deleting the setting leaves the translations in the datastore
    assert _settings(running, "/applicationTitle", "delete").status_code == 204
    assert _settings(running, "/applicationTitle", params={"locale": "vi"}).text == "Sổ tay"
    assert _settings(running, "/applicationTitle", "delete", params={"locale": "vi"}
                     ).status_code == 204
    assert _settings(running, "/applicationTitle", params={"locale": "vi"}).text == "DHIS 2"


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_the_ui_language_falls_back_to_the_system_setting_of_the_login(sandbox_factory, version):
    # UserSettings#getCurrentSettings().getUserUiLocale(): ThreadUserSettings, the snapshot
    # DefaultUserSettingsService#onSessionInit took when the user logged in, so a system
    # keyUiLocale set afterwards is not the admin's UI language; a user logging in later has it
    running = sandbox_factory(version=version)
    put = _settings(running, "/applicationTitle", "post", params={"locale": "fr", "value": "Carnet"})
    assert put.status_code == 200, put.text
    system = _settings(running, "/keyUiLocale", "post", params={"value": "fr"})
    assert system.status_code == 200, system.text
    assert _settings(running, "/applicationTitle").json() == {"applicationTitle": "DHIS 2"}
    later = requests.get(f"{running.url}/api/systemSettings/applicationTitle",
                         auth=("dashboard.viewer", "district"), timeout=10)
    assert later.json() == {"applicationTitle": "Carnet"}


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_translation_refusals(sandbox_factory, version):
    running = sandbox_factory(version=version)
    for key in ("keyFlag", "noSuchKey"):
        refused = _settings(running, f"/{key}", "post", params={"locale": "vi", "value": "x"})
        assert refused.status_code == 400
        assert refused.json()["message"] == f"Not translatable: {key}"
        assert refused.json()["errorCode"] == "E1003"
        gone = _settings(running, f"/{key}", "delete", params={"locale": "vi"})
        assert (gone.status_code, gone.json()["message"]) == (400, f"Not translatable: {key}")
    # a key that is not translatable reads as #getSystemSettingPlain; an unknown one is 404
    assert _settings(running, "/keyCacheStrategy", params={"locale": "vi"}).text == \
        "CACHE_1_MINUTE"
    assert _settings(running, "/noSuchKey", params={"locale": "vi"}).status_code == 404
    missing = _settings(running, "/applicationTitle", "post", params={"locale": "vi"}, data=b"",
                        headers=TEXT)
    assert missing.status_code == 400
    assert missing.json()["message"] == (
        "Required request body is missing: public org.hisp.dhis.dxf2.webmessage.WebMessage "
        "org.hisp.dhis.webapi.controller.SystemSettingsController.putSystemSettingTranslationBody("
        "java.lang.String,java.lang.String,java.lang.String) throws "
        "org.hisp.dhis.feedback.ForbiddenException,org.hisp.dhis.feedback.BadRequestException")


def test_translations_on_2_41_live_on_the_setting_row(sandbox_factory):
    # SystemSettingController#setSystemSettingOrTranslation/#getSystemSettingOrTranslation
    # /#removeSystemSetting; DefaultSystemSettingManager#saveSystemSettingTranslation
    running = sandbox_factory(version="2.41")
    _set_ui_locale(running, "fr")
    early = _settings(running, "/applicationTitle", "post", params={"locale": "vi", "value": "X"})
    assert early.status_code == 409
    assert early.json()["message"] == "No entry found for key: applicationTitle"
    assert "errorCode" not in early.json()
    assert _settings(running, "/applicationTitle", "post", params={"value": "Nhóm"}).status_code == 200
    put = _settings(running, "/applicationTitle", "post", params={"locale": "vi"},
                    data="Sổ tay".encode(), headers=TEXT)
    assert put.json()["message"] == _done("applicationTitle", "vi", "Sổ tay")
    assert _settings(running, "/applicationTitle", params={"locale": "vi"}).json() == {
        "applicationTitle": "Sổ tay"}
    assert _settings(running, "/applicationTitle", params={"locale": "vi"},
                     headers={"Accept": "text/plain"}).text == "Sổ tay"
    assert _settings(running, "/applicationTitle").json() == {"applicationTitle": "Nhóm"}
    _settings(running, "/applicationTitle", "post", params={"locale": "fr", "value": "Carnet"})
    assert _settings(running, "/applicationTitle").json() == {"applicationTitle": "Carnet"}
    assert _login_title(running, locale="vi") == "Sổ tay"
    assert _login_title(running) == "Nhóm"
    # any key takes a translation; only a translatable one is read with it
    assert _settings(running, "/keyCacheStrategy", "post", params={"value": "CACHE_1_HOUR"}
                     ).status_code == 200
    assert _settings(running, "/keyCacheStrategy", "post",
                     params={"locale": "vi", "value": "x"}).status_code == 200
    assert _settings(running, "/keyCacheStrategy", params={"locale": "vi"}).json() == {
        "keyCacheStrategy": "CACHE_1_HOUR"}
    assert _settings(running, "/applicationTitle", "delete", params={"locale": "vi"}
                     ).status_code == 204
    assert _settings(running, "/applicationTitle", params={"locale": "vi"}).json() == {
        "applicationTitle": "Nhóm"}
    # deleting the setting deletes its row, translations and all
    assert _settings(running, "/applicationTitle", "delete").status_code == 204
    assert _settings(running, "/applicationTitle", "post", params={"value": "Mới"}).status_code == 200
    assert _settings(running, "/applicationTitle").json() == {"applicationTitle": "Mới"}


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_a_key_that_is_not_translatable_negotiates_its_content_type(sandbox_factory, version):
    # #getSystemSettingTranslation hands such a key #getSystemSettingPlain's ResponseEntity,
    # which sets no Content-Type, and its mapping has no `produces`: WebMvcConfig's negotiation
    # (JSON unless Accept asks for more) and the StringHttpMessageConverter (`*/*`) write the
    # bare text; the forced UTF-8 response encoding puts the charset on every type
    running = sandbox_factory(version=version)

    def read(accept):
        return _settings(running, "/keyCacheStrategy", params={"locale": "fr"},
                         headers={"Accept": accept})

    for accept, written in ((None, "application/json;charset=UTF-8"),
                            ("*/*", "application/json;charset=UTF-8"),
                            ("application/json", "application/json;charset=UTF-8"),
                            ("text/plain", "text/plain;charset=UTF-8"),
                            ("*/*;q=0.8", "text/plain;charset=UTF-8"),
                            ("application/xml", "application/xml;charset=UTF-8"),
                            ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                             "text/html;charset=UTF-8")):
        answer = read(accept)
        assert (answer.status_code, answer.headers["Content-Type"], answer.text) == (
            200, written, "CACHE_1_MINUTE"), accept
        assert answer.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
    # a translatable key sets text/plain itself
    assert _settings(running, "/applicationTitle", params={"locale": "fr"},
                     headers={"Accept": "application/json"}
                     ).headers["Content-Type"] == "text/plain;charset=UTF-8"
    # nothing concrete to write in: the 406 the advice cannot write either, Tomcat's page
    refused = read("image/*")
    supported = ("text/plain, application/json, application/xml;charset=UTF-8, "
                 "text/xml;charset=UTF-8, application/*+json, */*")
    assert (refused.status_code, refused.headers["Content-Type"], refused.headers["Accept"]) == (
        406, "text/html;charset=utf-8", supported)
    assert "<title>HTTP Status 406 – Not Acceptable</title>" in refused.text
    assert ("<b>Message</b> Acceptable representations: [" + supported.replace("/", "&#47;")
            + "].</p>") in refused.text
    assert "Cache-Control" not in refused.headers
    unreadable = read("foo")
    assert unreadable.status_code == 406 and "Accept" not in unreadable.headers
    assert "<b>Message</b> Could not parse Accept header.</p>" in unreadable.text
