"""WebMessageControllerAdvice#beforeBodyWrite: `Cache-Control: no-cache, private` on a 4xx/5xx
WebMessage body, the controller's or a CrudControllerAdvice handler's, unless one was set."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN

CACHE_PRIVATE = "no-cache, private"
NO_STORE = "no-cache, no-store, max-age=0, must-revalidate"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_error_webmessages_are_cache_private(sandbox_factory, version: str) -> None:
    # The same at the three tags (2.41.9 :84-89 in a ResponseBodyAdvice<WebMessageResponse>,
    # 2.42.5 / 2.43.1 :84-89 in a ResponseBodyAdvice<WebMessage>), applied by Spring's
    # RequestResponseBodyAdviceChain to @ExceptionHandler return values too.
    url = sandbox_factory(version=version).url
    advised = {
        # CrudControllerAdvice#notFoundException (DatastoreController#getEntry)
        "404": requests.get(f"{url}/api/dataStore/ns/missing", auth=ADMIN, timeout=10),
        # #methodArgumentTypeMismatchException, before the method body runs
        "400": requests.get(f"{url}/api/system/id", params={"limit": "x"}, auth=ADMIN,
                            timeout=10),
        # #forbiddenException (AbstractFullReadOnlyController#getObject, before #cachePrivate)
        "403": requests.get(f"{url}/api/users/xE7jOejl9FI", auth=("dashboard.viewer", "district"),
                            timeout=10),
        # #httpRequestMethodNotSupportedExceptionHandler
        "405": requests.patch(f"{url}/api/sharing", auth=ADMIN, timeout=10),
        # #defaultExceptionHandler (500) or, at 2.43.1, #jsonParseExceptionHandler (409)
        "body": requests.post(f"{url}/api/dataElements", data=b"[]", auth=ADMIN, timeout=10,
                              headers={"Content-Type": "application/json"}),
    }
    for name, answer in advised.items():
        assert answer.status_code >= 400, (name, answer.text)
        assert answer.headers.get("Cache-Control") == CACHE_PRIVATE, name
    # addIfAbsent: TrackerImportController#getJobReport's ContextUtils#setNoStore stays
    kept = requests.get(f"{url}/api/tracker/jobs/Abcdefghij1/report", auth=ADMIN, timeout=10)
    assert (kept.status_code, kept.headers["Cache-Control"]) == (404, NO_STORE)
    not_advised = {
        # a WebMessageException: CrudControllerAdvice#webMessageExceptionHandler's
        # ResponseEntity<WebMessage>, which #supports refuses (SharingController#getSharing)
        "409": requests.get(f"{url}/api/sharing", params={"type": "nope", "id": "x"}, auth=ADMIN,
                            timeout=10),
        # Spring Security's entry point writes the 401 itself
        "401": requests.get(f"{url}/api/system/info", auth=("admin", "wrong"), timeout=10),
        # the container's page of a path no controller maps
        "unmapped": requests.get(f"{url}/api/noSuchThing", auth=ADMIN, timeout=10),
        # a 2xx WebMessage
        "ok": requests.post(f"{url}/api/dataStore/ns/k", json={"a": 1}, auth=ADMIN, timeout=10),
        "ping": requests.get(f"{url}/api/ping", timeout=10),
    }
    assert [a.status_code for a in not_advised.values()] == [409, 401, 404, 201, 200]
    for name, answer in not_advised.items():
        assert "Cache-Control" not in answer.headers, name


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_thrown_setting_refusals_get_no_cache_control(sandbox_factory, version: str) -> None:
    # 2.41.9 UserSettingController (:159, :192, :225-226, :232-233) and SystemSettingController
    # (:161-164, :329-331) throw WebMessageExceptions; 2.42.5 / 2.43.1 UserSettingsController /
    # SystemSettingsController throw feedback exceptions, which the advice marks.
    url = sandbox_factory(version=version).url
    viewer = ("dashboard.viewer", "district")
    answers = {
        "unknown key": requests.post(f"{url}/api/userSettings/noSuchKey", params={"value": "x"},
                                     auth=ADMIN, timeout=10),
        "no value": requests.post(f"{url}/api/userSettings/keyUiLocale", auth=ADMIN, timeout=10),
        "no user": requests.post(f"{url}/api/userSettings/keyUiLocale",
                                 params={"user": "nobody", "value": "fr"}, auth=ADMIN, timeout=10),
        "delete unknown key": requests.delete(f"{url}/api/userSettings/noSuchKey", auth=ADMIN,
                                              timeout=10),
        "system delete unknown key": requests.delete(f"{url}/api/systemSettings/noSuchKey",
                                                     auth=ADMIN, timeout=10),
    }
    legacy = {
        "refused user": requests.post(f"{url}/api/userSettings/keyUiLocale",
                                      params={"user": "admin", "value": "fr"}, auth=viewer,
                                      timeout=10),
        "get unknown key": requests.get(f"{url}/api/userSettings/noSuchKey", auth=ADMIN,
                                        timeout=10),
        "system no value": requests.post(f"{url}/api/systemSettings/keyEmailHostName", auth=ADMIN,
                                         headers={"Content-Type": "text/plain"}, timeout=10),
    }
    if version == "2.41":
        answers.update(legacy)
        assert {n: a.status_code for n, a in answers.items()} == {
            "unknown key": 404, "no value": 409, "no user": 409, "delete unknown key": 404,
            "system delete unknown key": 409, "refused user": 401, "get unknown key": 404,
            "system no value": 409}
        for name, answer in answers.items():
            assert "Cache-Control" not in answer.headers, name
            assert answer.headers["Content-Type"] == "application/json;charset=UTF-8", name
        # a returned WebMessage (SystemSettingController#setSystemSettingOrTranslation :118)
        returned = requests.post(f"{url}/api/systemSettings/noSuchKey", params={"value": "x"},
                                 auth=ADMIN, timeout=10)
        assert (returned.status_code, returned.headers.get("Cache-Control")) == (409, CACHE_PRIVATE)
        # thrown too, after #getAllUserSettings set its own Cache-Control (:101-102), which stays
        listed = requests.get(f"{url}/api/userSettings", params={"key": "noSuchKey"}, auth=ADMIN,
                              timeout=10)
        assert (listed.status_code, listed.headers.get("Cache-Control")) == (404, CACHE_PRIVATE)
        return
    for name, answer in answers.items():
        assert answer.status_code >= 400, name
        assert answer.headers.get("Cache-Control") == CACHE_PRIVATE, name


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_response_type_sits_where_jackson_writes_it(sandbox_factory, version: str) -> None:
    # 2.41.9: every response class extends AbstractWebMessageResponse, whose `responseType`
    # field Jackson writes first; 2.42.5/2.43.1 implement WebMessageResponse and take its
    # default getter, found after the class's own properties: last
    url = sandbox_factory(version=version).url

    def keys(response: requests.Response) -> list[str]:
        return list(response.json()["response"])

    imported = requests.post(f"{url}/api/metadata", auth=ADMIN, timeout=10, json={
        "optionSets": [{"id": "osKeyOrder1", "name": "Key order", "valueType": "TEXT"}]})
    created = requests.post(f"{url}/api/optionSets", auth=ADMIN, timeout=10,
                            json={"name": "Key order 2", "valueType": "TEXT"})
    refused = requests.post(f"{url}/api/schemas/optionSet", auth=ADMIN, timeout=10, json={})
    uploaded = requests.post(f"{url}/api/fileResources", auth=ADMIN, timeout=10,
                             files={"file": ("a.txt", b"synthetic", "text/plain")})
    expected = {
        "ImportReport": (imported, ["status", "stats", "typeReports"]),
        "ObjectReport": (created, ["uid", "klass", "errorReports"]),
        "ErrorReports": (refused, ["errorReports"]),
        "FileResource": (uploaded, ["fileResource"]),
    }
    for response_type, (response, own) in expected.items():
        assert response.json()["response"]["responseType"] == response_type, response.text
        assert keys(response) == (["responseType", *own] if version == "2.41"
                                  else [*own, "responseType"]), response_type
