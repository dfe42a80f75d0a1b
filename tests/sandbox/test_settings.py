"""System and user settings per release: every key of the release's catalog
(sandbox/data/settings/<tag>.json, scripts/settings_catalog.py) with its default as DHIS2 writes
it, unknown and confidential keys, `/{key}` as JSON and text/plain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from scdi.sandbox.core import java_hash, settings
from scdi.upstream.releases import RELEASES

ADMIN = ("admin", "district")
LEADER = ("group.leader", "district")
VIEWER = ("dashboard.viewer", "district")
VERSIONS = ("2.41", "2.42", "2.43")
DATA = Path(settings.__file__).resolve().parent.parent / "data" / "settings"
SDK_SYSTEM_KEYS = ("keyFlag,keyStyle,keyCustomColorMobile,keyDefaultBaseMap,"
                   "analyticsFinancialYearStart,analyticsWeeklyStart")


def _get(running, path, auth=ADMIN, **params):
    return requests.get(f"{running.url}/api/{path}", params=params, auth=auth, timeout=10)


def test_catalog_per_tag():
    # SettingKey (2.41.9: 147 constants) and the default getters of SystemSettings (2.42.5: 152,
    # 2.43.1: 149 after dropping keyStyle and the strict data import keys)
    counts = {tag: len(json.loads((DATA / f"{tag}.json").read_text())["system"])
              for tag in ("2.41.9", "2.42.5", "2.43.1")}
    assert counts == {"2.41.9": 147, "2.42.5": 152, "2.43.1": 149}
    legacy, current, newest = (settings._catalog(t).system for t in ("2.41.9", "2.42.5", "2.43.1"))
    assert legacy["keyDbLocale"].default is None and current["keyDbLocale"].default == "en"
    assert legacy["factorDeviation"].default == 2.0 and legacy["factorDeviation"].text == "2.0"
    assert legacy["keySmsSetting"].default == {"gateways": []}
    assert legacy["notifierCleanAfterIdleTime"].default == 60000
    assert current["notifierCleanAfterIdleTime"].default == 600000  # asInt(…, 60_0000)
    assert current["keyAnalysisDisplayProperty"].default == "name"  # DisplayProperty#toString
    assert current["keyLastSuccessfulDataSynch"].default == "1970-01-01T00:00:00.000"
    assert "keyStyle" in current and "keyStyle" not in newest
    assert newest["analyticsWeeklyStart"].default == "WEEKLY" and "analyticsWeeklyStart" not in current
    for catalog in (legacy, current, newest):
        assert {k for k, s in catalog.items() if s.confidential} == {
            "keyEmailPassword", "recaptchaSecret", "recaptchaSite", "keyRemoteInstancePassword"}
        assert catalog["applicationTitle"].translatable


def test_the_sandbox_answers_still_hold():
    # what the sandbox served before the catalog (the old SYSTEM_DEFAULTS) is each release's default
    old = {"applicationTitle": "DHIS 2", "keyFlag": "dhis2", "keyUiLocale": "en",
           "analyticsFinancialYearStart": "FINANCIAL_YEAR_OCTOBER", "keyUseCustomLogoFront": False,
           "keySelfRegistrationNoRecaptcha": False, "keyAccountRecovery": False,
           "recaptchaSite": "6LcVwT0UAAAAAAkO_EGPiYOiymIszZUeHfqWIYX5", "loginPageLayout": "DEFAULT",
           "minPasswordLength": 8, "maxPasswordLength": 72, "loginPopup": ""}
    for version in VERSIONS:
        for key, value in old.items():
            assert settings.system_default(RELEASES[version], key) == value, (version, key)
    assert settings.system_default(RELEASES["2.42"], "keyStyle") == "light_blue/light_blue.css"
    for key in ("keyApplicationIntro", "keyApplicationNotification", "keyApplicationFooter",
                "keyApplicationRightFooter", "keyDefaultBaseMap", "loginPageTemplate"):
        assert settings.system_default(RELEASES["2.41"], key) is None
        assert settings.system_default(RELEASES["2.42"], key) == ""


@pytest.mark.parametrize("version", VERSIONS)
def test_every_system_setting_without_key(sandbox_factory, version):
    running = sandbox_factory(version=version)
    catalog = settings.catalog(RELEASES[version]).system
    for auth in (ADMIN, LEADER):  # confidential keys are left out for superusers too
        answer = _get(running, "systemSettings", auth=auth)
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
        body = answer.json()
        expected = {k: s.default for k, s in catalog.items() if not s.confidential and s.default is not None}
        assert body == expected
    assert "recaptchaSite" not in body and "keyEmailPassword" not in body
    # 2.41.9 leaves out null defaults (DefaultSystemSettingManager#getSystemSettings)
    assert ("keyApplicationIntro" in body) == (version != "2.41")
    assert body["factorDeviation"] == 2.0 and '"factorDeviation":2.0' in answer.text
    assert ("keySmsSetting" in body) == (version == "2.41")
    assert (body.get("keyStyle") == "light_blue/light_blue.css") == (version != "2.43")


@pytest.mark.parametrize("version", VERSIONS)
def test_system_settings_by_key_per_release(sandbox_factory, version):
    running = sandbox_factory(version=version)
    answer = _get(running, "systemSettings", auth=LEADER, key=SDK_SYSTEM_KEYS)
    assert answer.status_code == 200
    if version == "2.41":  # unknown keys dropped, null defaults left out
        assert answer.json() == {"keyFlag": "dhis2", "keyStyle": "light_blue/light_blue.css",
                                 "analyticsFinancialYearStart": "FINANCIAL_YEAR_OCTOBER"}
    else:
        assert answer.json() == {
            "keyFlag": "dhis2", "keyStyle": "light_blue/light_blue.css" if version == "2.42" else "",
            "keyCustomColorMobile": "", "keyDefaultBaseMap": "",
            "analyticsFinancialYearStart": "FINANCIAL_YEAR_OCTOBER",
            "analyticsWeeklyStart": "WEEKLY" if version == "2.43" else ""}
    unknown = _get(running, "systemSettings", key="bogus,recaptchaSecret")
    confidential = _get(running, "systemSettings", auth=LEADER, key="recaptchaSite")
    if version == "2.41":
        for refused in (unknown, confidential):
            assert refused.status_code == 404
            assert refused.json()["message"] == "Setting does not exist or is marked as confidential"
            assert refused.json()["errorCode"] == "E1005"
    else:  # toJson(true, keys): every key asked for, confidential ones included
        assert unknown.json() == {"bogus": "", "recaptchaSecret": ""}
        assert confidential.json() == {"recaptchaSite": "6LcVwT0UAAAAAAkO_EGPiYOiymIszZUeHfqWIYX5"}


@pytest.mark.parametrize("version", VERSIONS)
def test_one_system_setting_as_json_and_text(sandbox_factory, version):
    running = sandbox_factory(version=version)
    legacy = version == "2.41"
    text = {"Accept": "text/plain"}

    def one(key, auth=ADMIN, headers=None):
        return requests.get(f"{running.url}/api/systemSettings/{key}", auth=auth, headers=headers, timeout=10)

    flag = one("keyFlag")
    assert flag.json() == {"keyFlag": "dhis2"}
    assert flag.headers["Cache-Control"] == ("no-cache, private" if legacy else "no-cache, no-store, must-revalidate")
    assert one("keyFlag", headers=text).text == "dhis2"
    assert one("factorDeviation", headers=text).text == "2.0"
    assert one("keyUseCustomLogoFront", headers=text).text == "false"
    assert one("keyLastSuccessfulDataSynch", headers=text).text == (
        "Thu Jan 01 00:00:00 UTC 1970" if legacy else "1970-01-01T00:00:00.000")
    assert one("keyApplicationIntro").json() == {"keyApplicationIntro": ""}
    site = {"recaptchaSite": "6LcVwT0UAAAAAAkO_EGPiYOiymIszZUeHfqWIYX5"}
    assert one("recaptchaSite").json() == site  # a superuser reads confidential settings
    refused, missing = one("recaptchaSite", auth=LEADER), one("bogus")
    if legacy:
        for answer in (refused, missing):
            assert answer.status_code == 404
            assert answer.json()["message"] == "Setting does not exist or is marked as confidential"
        plain = one("bogus", headers=text)
        assert plain.status_code == 404 and plain.text == "Setting does not exist or is marked as confidential"
    else:
        assert refused.status_code == 403 and refused.json()["errorCode"] == "E1006"
        assert refused.json()["message"] == "Setting is marked as confidential"
        assert missing.status_code == 404 and missing.json()["errorCode"] == "E1005"
        assert missing.json()["message"] == "Setting does not exist: bogus"


@pytest.mark.parametrize("version", VERSIONS)
def test_user_settings_with_fallbacks(sandbox_factory, version):
    running = sandbox_factory(version=version)
    every = _get(running, "userSettings", auth=LEADER)
    assert every.headers["Cache-Control"] == "no-cache, private"
    if version == "2.41":
        # UserSettingKey's own defaults (the notifications), else the system setting (null for
        # keyDbLocale and keyTrackerDashboardLayout, left out)
        expected = {"keyStyle": "light_blue/light_blue.css", "keyMessageEmailNotification": True,
                    "keyMessageSmsNotification": True, "keyUiLocale": "en", "keyAnalysisDisplayProperty": "name"}
    else:
        expected = {"keyStyle": "light_blue/light_blue.css", "keyMessageEmailNotification": False,
                    "keyMessageSmsNotification": False, "keyUiLocale": "en", "keyDbLocale": "en",
                    "keyAnalysisDisplayProperty": "name", "keyTrackerDashboardLayout": ""}
    assert every.json() == expected
    me = _get(running, "me/settings", auth=LEADER, key="keyUiLocale")
    assert me.headers["Cache-Control"] == ("no-store" if version == "2.41" else "no-cache, private")
    # 2.41.9 MeController#getSettings has no `key`
    assert me.json() == (expected if version == "2.41" else {"keyUiLocale": "en"})
    assert _get(running, "me", auth=LEADER).json()["settings"] == expected
    db_locale = _get(running, "me/settings/keyDbLocale", auth=LEADER)
    as_text = _get(running, "userSettings/keyDbLocale", auth=LEADER)
    assert as_text.headers["Content-Type"].startswith("text/plain")
    unknown = _get(running, "me/settings/bogus", auth=LEADER)
    if version == "2.41":
        assert db_locale.status_code == 404 and db_locale.json()["errorCode"] == "E1005"
        assert as_text.text == "null"  # PrintWriter#print of the null fallback
        assert unknown.status_code == 409 and unknown.json()["message"] == "Key is not supported: bogus"
    else:
        assert db_locale.json() == "en" and as_text.text == "en"
        assert unknown.json() == ""
        missing = _get(running, "userSettings/bogus", auth=LEADER)
        assert missing.status_code == 404 and missing.json()["message"] == "Setting does not exist: bogus"


@pytest.mark.parametrize("version", VERSIONS)
def test_user_settings_key_bound_as_spring_binds_a_set(sandbox_factory, version):
    # `@RequestParam Set<String> key`: StringToCollectionConverter splits one value with
    # StringUtils#commaDelimitedListToStringArray, which yields nothing for "" and keeps the
    # empty item of "keyUiLocale,"; repeated values are bound as they are, not split.
    running = sandbox_factory(version=version)
    empty = _get(running, "userSettings", auth=LEADER, key="")
    trailing = _get(running, "userSettings", auth=LEADER, key="keyUiLocale,")
    repeated = requests.get(f"{running.url}/api/userSettings", auth=LEADER, timeout=10,
                            params=[("key", "keyUiLocale,keyDbLocale"), ("key", "keyStyle")])
    if version == "2.41":
        # UserSettingController#getAllUserSettings tests `keys == null` only
        assert empty.status_code == 200 and empty.json() == {}
        assert trailing.status_code == 404
        assert trailing.json()["message"] == "No user setting found with key: "
        assert repeated.status_code == 404
        assert repeated.json()["message"] == "No user setting found with key: keyUiLocale,keyDbLocale"
    else:
        # an empty Set reads every setting; LazySettings#asJson writes "" for the empty key
        assert empty.json() == _get(running, "userSettings", auth=LEADER).json()
        assert trailing.json() == {"": "", "keyUiLocale": "en"}
        assert _get(running, "me/settings", auth=LEADER, key="keyUiLocale,").json() == {
            "": "", "keyUiLocale": "en"}
        assert repeated.json() == {"keyUiLocale,keyDbLocale": "", "keyStyle": "light_blue/light_blue.css"}
        # with a stored setting LazySettings#indexOf reaches `"".charAt(0)`: HTTP 500 (the
        # write takes the user's snapshot again, DefaultUserSettingsService#updateSession)
        own = requests.post(f"{running.url}/api/userSettings/keyUiLocale", params={"value": "fr"},
                            auth=LEADER, timeout=10)
        assert own.status_code == 200, own.text
        failed = _get(running, "userSettings", auth=LEADER, key="keyUiLocale,")
        assert failed.status_code == 500 and failed.json()["message"] == "String index out of range: 0"


@pytest.mark.parametrize("version", VERSIONS)
def test_user_settings_keys_checked_in_the_order_asked_for(sandbox_factory, version):
    # 2.41.9 UserSettingController#getAllUserSettings (:111-113) walks the Set Spring bound, a
    # LinkedHashSet (CollectionFactory#createCollection), so the first unknown key asked for is
    # the one reported, not the first in Java's hash order ("aaa" before "zzz", "c" before "a,b")
    running = sandbox_factory(version=version)
    both = _get(running, "userSettings", auth=LEADER, key="zzz,aaa")
    repeated = requests.get(f"{running.url}/api/userSettings", auth=LEADER, timeout=10,
                            params=[("key", "a,b"), ("key", "c")])
    if version == "2.41":
        assert both.status_code == 404
        assert both.json()["message"] == "No user setting found with key: zzz"
        assert repeated.status_code == 404
        assert repeated.json()["message"] == "No user setting found with key: a,b"
    else:
        assert both.json() == {"zzz": "", "aaa": ""}
        assert repeated.json() == {"a,b": "", "c": ""}


@pytest.mark.parametrize("version", VERSIONS)
def test_user_setting_name_without_key_prefix(sandbox_factory, version):
    # 2.42.5 = 2.43.1 LazySettings#indexOf (:313-320): a name it lacks that does not start with
    # "key" is looked up again as "key" + first char upper-cased + rest, so once `keyUiLocale`
    # is held (stored, or a system setting taken as fallback) `uiLocale` reads it, through
    # #asJson's `asString(key, "")` and its text-typed guess. 2.41.9 knows no such key. The
    # fallbacks are read by a user logging in after the system setting is set (2.42+ reads the
    # snapshot of the login: test_user_settings_fall_back_to_the_system_settings_of_the_login).
    running = sandbox_factory(version=version)
    assert _get(running, "me/settings", auth=LEADER, key="uiLocale").status_code == 200
    before = _get(running, "userSettings", auth=LEADER, key="uiLocale")
    set_system = requests.post(f"{running.url}/api/systemSettings/keyUiLocale", data="fr",
                               headers={"Content-Type": "text/plain"}, auth=ADMIN, timeout=10)
    assert set_system.status_code == 200, set_system.text
    fallback = _get(running, "userSettings", auth=VIEWER, key="uiLocale")
    no_fallback = _get(running, "userSettings", auth=VIEWER, key="uiLocale", useFallback="false")
    one = _get(running, "me/settings/uiLocale", auth=VIEWER)
    # the empty key's `"".charAt(0)` is reached once the settings hold anything: the system
    # setting taken as fallback does, with no setting of the user's own
    empty_item = _get(running, "userSettings", auth=VIEWER, key="uiLocale,")
    empty_no_fallback = _get(running, "userSettings", auth=VIEWER, key="uiLocale,", useFallback="false")
    if version == "2.41":
        for answer in (before, fallback, no_fallback):
            assert answer.status_code == 404
            assert answer.json()["message"] == "No user setting found with key: uiLocale"
        assert one.status_code == 409 and one.json()["message"] == "Key is not supported: uiLocale"
    else:
        assert before.json() == {"uiLocale": ""}
        assert fallback.json() == {"uiLocale": "fr"}
        assert no_fallback.json() == {"uiLocale": ""}
        assert one.status_code == 200 and one.json() == "fr"
        assert empty_item.status_code == 500
        assert empty_item.json()["message"] == "String index out of range: 0"
        assert empty_no_fallback.json() == {"": "", "uiLocale": ""}
        # a write of group.leader's own takes their snapshot again, the system setting with it
        own = requests.post(f"{running.url}/api/userSettings/keyMessageEmailNotification",
                            params={"value": "true"}, auth=LEADER, timeout=10)
        assert own.status_code == 200, own.text
        stored = _get(running, "me/settings", auth=LEADER, key="messageEmailNotification,uiLocale")
        assert stored.json() == {"messageEmailNotification": True, "uiLocale": "fr"}


@pytest.mark.parametrize("version", VERSIONS)
def test_system_settings_empty_key_per_release(sandbox_factory, version):
    # 2.41.9 SystemSettingController#getSettingKeysToFetch: an empty Set fetches nothing, 404;
    # 2.42.5/2.43.1 SystemSettingsController#getSystemSettingsJson: every setting
    running = sandbox_factory(version=version)
    empty = _get(running, "systemSettings", auth=LEADER, key="")
    if version == "2.41":
        assert empty.status_code == 404
    else:
        assert empty.json() == _get(running, "systemSettings", auth=LEADER).json()
        assert _get(running, "systemSettings", auth=LEADER, key="keyFlag,").json() == {
            "": "", "keyFlag": "dhis2"}


def test_java_hash_order():
    # String#hashCode ("hello" is 99162322 in Java) and HashMap's buckets: "a", "b", "c" hash
    # to 97, 98, 99, so a map of them iterates a, b, c whatever the insertion order
    assert java_hash.string_hash("hello") == 99162322
    assert settings.java_hash_order(["c", "b", "a"]) == ["a", "b", "c"]
    # 17 and 1 share bucket 1 of a 16-slot table ("\x11", "\x01"): insertion order stands
    assert settings.java_hash_order(["\x11", "\x01"]) == ["\x11", "\x01"]
    assert settings.java_hash_order(["\x11", "\x01"], 32) == ["\x01", "\x11"]


@pytest.mark.parametrize("version", VERSIONS)
def test_user_settings_fall_back_to_the_system_settings_set(sandbox_factory, version):
    # A user setting the user has not set falls back to the system setting of the same name as
    # it is now, the value set before the default: 2.41.9 DefaultUserSettingService
    # (#getUserSettingsWithFallbackByUserAsMap, #getUserSetting) through
    # SystemSettingManager#getSystemSetting; 2.42.5/2.43.1 DefaultUserSettingsService
    # #getUserSettingsInternal, UserSettings#withFallback(SystemSettings#toMap). `useFallback=false`
    # (UserSetting(s)Controller) leaves it out.
    running = sandbox_factory(version=version)
    for key, value in (("keyUiLocale", "fr"), ("keyAnalysisDisplayProperty", "shortName")):
        r = requests.post(f"{running.url}/api/systemSettings/{key}", params={"value": value},
                          auth=ADMIN, timeout=10)
        assert r.status_code == 200, r.text
    every = _get(running, "userSettings", auth=LEADER).json()
    assert every["keyUiLocale"] == "fr" and every["keyAnalysisDisplayProperty"] == "shortName"
    assert _get(running, "me", auth=LEADER).json()["settings"] == every
    assert _get(running, "me/settings", auth=LEADER).json()["keyUiLocale"] == "fr"
    assert _get(running, "me/settings/keyUiLocale", auth=LEADER).json() == "fr"
    assert _get(running, "userSettings/keyUiLocale", auth=LEADER).text == "fr"
    assert _get(running, "userSettings", auth=LEADER, key="keyUiLocale").json() == {"keyUiLocale": "fr"}
    assert _get(running, "userSettings", auth=LEADER, useFallback="").json() == every
    plain = _get(running, "userSettings", auth=LEADER, useFallback="false").json()
    one = _get(running, "userSettings/keyUiLocale", auth=LEADER, useFallback="no").text
    if version == "2.41":
        # no system step: null for the keys UserSettingKey gives no default, left out
        assert "keyUiLocale" not in plain and "keyAnalysisDisplayProperty" not in plain
        assert plain["keyMessageEmailNotification"] is True
        assert one == "null"
    else:
        assert plain["keyUiLocale"] == "en" and plain["keyAnalysisDisplayProperty"] == "name"
        assert one == "en"
    bad = _get(running, "userSettings", auth=LEADER, useFallback="maybe")
    assert bad.status_code == 400 and bad.json()["message"] == (
        "Value 'maybe' is not valid for parameter useFallback. It should be of type boolean")
    # the user's own value comes first
    own = requests.post(f"{running.url}/api/userSettings/keyUiLocale", params={"value": "pt"},
                        auth=LEADER, timeout=10)
    assert own.status_code == 200, own.text
    assert _get(running, "userSettings", auth=LEADER).json()["keyUiLocale"] == "pt"


def _set_system(running, key, value):
    r = requests.post(f"{running.url}/api/systemSettings/{key}", params={"value": value},
                      auth=ADMIN, timeout=10)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("version", VERSIONS)
def test_user_settings_fall_back_to_the_system_settings_of_the_login(sandbox_factory, version):
    # 2.42.5 / 2.43.1: reads with fallbacks answer SessionUserSettings, the snapshot
    # DefaultUserSettingsService#onSessionInit took at the user's first successful
    # authentication (a later one reads the snapshot back, #getUserSettings :99-107); only a
    # write to that user's settings takes it again (#updateSession). 2.41.9 reads the system
    # setting as it is now.
    running = sandbox_factory(version=version)
    assert _get(running, "userSettings", auth=ADMIN).json()["keyUiLocale"] == "en"  # logged in
    _set_system(running, "keyUiLocale", "fr")
    every = _get(running, "userSettings", auth=ADMIN).json()
    by_name = _get(running, "userSettings", auth=ADMIN, key="uiLocale")
    me_by_name = _get(running, "me/settings/uiLocale", auth=ADMIN)
    one = _get(running, "userSettings/keyUiLocale", auth=ADMIN)
    with_empty = _get(running, "userSettings", auth=ADMIN, key="keyUiLocale,")
    me = _get(running, "me", auth=ADMIN).json()["settings"]
    me_settings = _get(running, "me/settings", auth=ADMIN).json()
    if version == "2.41":
        assert every["keyUiLocale"] == "fr" and one.text == "fr"
        assert me["keyUiLocale"] == me_settings["keyUiLocale"] == "fr"
        return
    assert every["keyUiLocale"] == "en" and me == me_settings == every
    assert by_name.json() == {"uiLocale": ""} and me_by_name.json() == ""
    assert one.text == "en"
    # the snapshot holds no setting, so LazySettings#indexOf never reads "".charAt(0)
    assert with_empty.status_code == 200 and with_empty.json() == {"": "", "keyUiLocale": "en"}
    # a user who has not logged in reads the system settings as they are now, until they do
    assert _get(running, "userSettings", auth=ADMIN, user="group.leader").json()["keyUiLocale"] == "fr"
    _set_system(running, "keyUiLocale", "es")
    assert _get(running, "userSettings", auth=LEADER).json()["keyUiLocale"] == "es"
    _set_system(running, "keyUiLocale", "pt")
    assert _get(running, "me/settings/keyUiLocale", auth=LEADER).json() == "es"
    assert _get(running, "userSettings", auth=ADMIN, user="group.leader").json()["keyUiLocale"] == "es"
    # without fallbacks nothing is read from the snapshot
    plain = _get(running, "userSettings", auth=ADMIN, useFallback="false").json()
    assert plain["keyUiLocale"] == "en"
    # a write to a user's settings, by them or another, takes their snapshot again
    r = requests.post(f"{running.url}/api/userSettings/keyAnalysisDisplayProperty",
                      params={"value": "shortName", "user": "group.leader"}, auth=ADMIN, timeout=10)
    assert r.status_code == 200, r.text
    assert _get(running, "userSettings", auth=LEADER).json()["keyUiLocale"] == "pt"
    assert _get(running, "userSettings", auth=ADMIN).json()["keyUiLocale"] == "en"
    r = requests.delete(f"{running.url}/api/userSettings/keyStyle", auth=ADMIN, timeout=10)
    assert r.status_code == 200, r.text
    assert _get(running, "userSettings", auth=ADMIN).json()["keyUiLocale"] == "pt"
