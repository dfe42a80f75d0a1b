"""Contract: the system and auth examples of the shared DHIS2 contract, replayed against the
sandbox (status codes, keys, JSON types)."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.core import auth
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.contract import example, shape_differences
from tests.sandbox.helpers import ADMIN

# Keys of the 2.13-era docs example that SystemInfo.java (2.41–2.43) no longer has.
_GONE_FROM_SYSTEM_INFO = {"javaIoTmpDir"}


def test_system_id_verbatim_docs(sandbox: RunningSandbox) -> None:
    response = requests.get(f"{sandbox.url}/api/system/id?limit=3", auth=ADMIN, timeout=10)
    assert response.status_code == 200
    assert shape_differences(example("system/system_id_response.json"), response.json()) == []
    alias = requests.get(f"{sandbox.url}/api/system/uid?limit=2", auth=ADMIN, timeout=10)
    assert len(alias.json()["codes"]) == 2


def test_system_info_keeps_every_current_docs_key(sandbox: RunningSandbox) -> None:
    docs = example("system/system_info_docs_example.json")
    for key in _GONE_FROM_SYSTEM_INFO:
        docs.pop(key)
    docs["databaseInfo"].pop("type")  # DatabaseInfo.java has no `type` since 2.3x
    info = requests.get(f"{sandbox.url}/api/system/info", auth=ADMIN, timeout=10).json()
    assert shape_differences(docs, info, allow_extra=True) == []


def test_system_info_without_sensitive_fields_for_non_superuser(sandbox: RunningSandbox
                                                                ) -> None:
    info = requests.get(f"{sandbox.url}/api/system/info", auth=("group.leader", "district"),
                        timeout=10).json()
    assert "javaVersion" not in info and "cpuCores" not in info
    assert "name" not in info["databaseInfo"] and info["systemId"]


def test_api_token_create_verbatim_docs(fresh_sandbox: RunningSandbox) -> None:
    response = requests.post(f"{fresh_sandbox.url}/api/apiToken", json={}, auth=ADMIN,
                             timeout=10)
    assert response.status_code == 201
    assert shape_differences(example("auth/api_token_create_response.json"),
                             response.json()) == []


def test_api_token_update_payload_accepted_on_create(fresh_sandbox: RunningSandbox) -> None:
    payload = example("auth/api_token_update_payload.json")
    response = requests.post(f"{fresh_sandbox.url}/api/apiToken", json=payload, auth=ADMIN,
                             timeout=10)
    assert response.status_code == 201


def test_403_verbatim_docs(fresh_sandbox: RunningSandbox) -> None:
    response = requests.get(f"{fresh_sandbox.url}/api/users",
                            auth=("dashboard.viewer", "district"), timeout=10)
    assert response.status_code == 403
    body = response.json()
    expected = example("auth/webmessage_403_example.json")
    assert body["message"] == expected["message"]
    # DHIS2 adds errorCode E1006 for ForbiddenException (CrudControllerAdvice)
    assert shape_differences({**expected, "errorCode": "E1006"}, body) == []


def test_401_basic_constructed(sandbox: RunningSandbox) -> None:
    response = requests.get(f"{sandbox.url}/api/me", auth=("admin", "nope"), timeout=10)
    assert response.status_code == 401
    assert response.json() == example("constructed_from_code/webmessage_401_basic_bad_credentials.json")


def test_401_api_token_constructed(sandbox: RunningSandbox) -> None:
    token = auth.generate_token("d2p")
    response = requests.get(f"{sandbox.url}/api/me",
                            headers={"Authorization": f"ApiToken {token}"}, timeout=10)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "ApiToken"
    assert response.json() == example("constructed_from_code/webmessage_401_api_token_unknown.json")


def test_404_constructed_shape(sandbox: RunningSandbox) -> None:
    response = requests.get(f"{sandbox.url}/api/programs/Kj6vYde4LHh", auth=ADMIN, timeout=10)
    assert response.status_code == 404
    expected = example("constructed_from_code/webmessage_404_tracked_entity.json")
    assert shape_differences(expected, response.json()) == []
    assert response.json()["message"] == "Program with id Kj6vYde4LHh could not be found."


def test_login_redirect_per_release(sandbox_factory) -> None:
    # DhisWebApiWebSecurityConfig's entry point: 2.41.9 "/dhis-web-login", 2.42.5
    # "/dhis-web-login/", 2.43.1 "/login/".
    for version, path in (("2.41", "/dhis-web-login"), ("2.42", "/dhis-web-login/"),
                          ("2.43", "/login/")):
        running = sandbox_factory(version=version)
        response = requests.get(f"{running.url}/api/system/info", allow_redirects=False,
                                timeout=10)
        assert response.status_code == 302
        assert response.headers["Location"] == f"{running.url}{path}"
        # sendRedirect sets no content type and writes no body
        assert "Content-Type" not in response.headers
        assert response.content == b""


def test_unreadable_request_body_is_400_without_error_code(sandbox_factory) -> None:
    # A `@RequestBody` (TrackerImportController's `Body`): Spring's converter turns Jackson's
    # JsonProcessingException into HttpMessageNotReadableException("JSON parse error: " +
    # getOriginalMessage()), CrudControllerAdvice#handleHttpMessageNotReadableExceptionHandler
    # → badRequest(String), no errorCode (2.41.9, 2.42.5, 2.43.1). Spring 5 (2.41.9) appends
    # "; nested exception is <cause>" (NestedRuntimeException#getMessage), Spring 6 does not.
    source = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
    original = ("Unexpected character ('n' (code 110)): was expecting double-quote to start "
                "field name")
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        nested = (f"; nested exception is com.fasterxml.jackson.core.JsonParseException: "
                  f"{original}\n at {source}line: 1, column: 2]") if version == "2.41" else ""
        blank_nested = (
            "; nested exception is com.fasterxml.jackson.databind.exc.MismatchedInputException: "
            f"No content to map due to end-of-input\n at {source}line: 1]"
            if version == "2.41" else "")
        for body, message in ((b"{not json", f"JSON parse error: {original}{nested}"),
                              (b"", "Required request body is missing: "
                                    + MISSING_BODY_HANDLERS[version]["tracker"]),
                              (b"  ", "JSON parse error: No content to map due to end-of-input"
                                      + blank_nested)):
            r = requests.post(f"{url}/api/tracker", data=body, auth=ADMIN, timeout=10,
                              headers={"Content-Type": "application/json"})
            assert r.status_code == 400, (version, body, r.text)
            assert r.json() == {"httpStatus": "Bad Request", "httpStatusCode": 400,
                                "status": "ERROR", "message": message}, (version, body)


TRACKER_IMPORT_JSON = (
    "public org.springframework.http.ResponseEntity<?> org.hisp.dhis.webapi.controller.tracker."
    "imports.TrackerImportController.importJson(jakarta.servlet.http.HttpServletRequest,"
    "org.hisp.dhis.webapi.controller.tracker.imports.ImportRequestParams,org.hisp.dhis.webapi."
    "controller.tracker.imports.Body,org.hisp.dhis.user.UserDetails) throws "
    "org.hisp.dhis.feedback.ConflictException,java.io.IOException")
MISSING_BODY_HANDLERS = {
    "2.41": {
        "tracker": "public org.hisp.dhis.dxf2.webmessage.WebMessage org.hisp.dhis.webapi."
                   "controller.tracker.imports.TrackerImportController.asyncPostJsonTracker("
                   "javax.servlet.http.HttpServletRequest,org.hisp.dhis.webapi.controller."
                   "tracker.imports.ImportRequestParams,org.hisp.dhis.webapi.controller.tracker."
                   "imports.Body) throws org.hisp.dhis.feedback.ConflictException,"
                   "org.hisp.dhis.feedback.NotFoundException,java.io.IOException",
        "tracker?async=false": "public org.springframework.http.ResponseEntity<org.hisp.dhis."
                               "tracker.imports.report.ImportReport> org.hisp.dhis.webapi."
                               "controller.tracker.imports.TrackerImportController."
                               "syncPostJsonTracker(org.hisp.dhis.webapi.controller.tracker."
                               "imports.ImportRequestParams,org.hisp.dhis.webapi.controller."
                               "tracker.imports.Body)",
        "potentialDuplicates": "public org.hisp.dhis.deduplication.PotentialDuplicate "
                               "org.hisp.dhis.webapi.controller.deduplication."
                               "DeduplicationController.postPotentialDuplicate(org.hisp.dhis."
                               "deduplication.PotentialDuplicate) throws org.hisp.dhis.feedback."
                               "ForbiddenException,org.hisp.dhis.feedback.ConflictException,"
                               "org.hisp.dhis.feedback.NotFoundException,org.hisp.dhis.feedback."
                               "BadRequestException,org.hisp.dhis.deduplication."
                               "PotentialDuplicateConflictException",
    },
    "2.42": {
        "tracker": TRACKER_IMPORT_JSON,
        "tracker?async=false": TRACKER_IMPORT_JSON,
        "potentialDuplicates": "public org.hisp.dhis.tracker.deduplication.PotentialDuplicate "
                               "org.hisp.dhis.webapi.controller.tracker.deduplication."
                               "DeduplicationController.postPotentialDuplicate(org.hisp.dhis."
                               "tracker.deduplication.PotentialDuplicate) throws org.hisp.dhis."
                               "feedback.ForbiddenException,org.hisp.dhis.feedback."
                               "ConflictException,org.hisp.dhis.feedback.NotFoundException,"
                               "org.hisp.dhis.tracker.deduplication."
                               "PotentialDuplicateConflictException,org.hisp.dhis.feedback."
                               "BadRequestException",
        "tracker/events/abcdefghijk/note": "public org.springframework.http.ResponseEntity<org."
                                           "hisp.dhis.webapi.controller.tracker.view.Note> org."
                                           "hisp.dhis.webapi.controller.tracker.imports."
                                           "TrackerImportController.addNoteToEvent(org.hisp.dhis."
                                           "webapi.controller.tracker.view.Note,org.hisp.dhis."
                                           "common.UID) throws org.hisp.dhis.feedback."
                                           "ForbiddenException,org.hisp.dhis.feedback."
                                           "NotFoundException,org.hisp.dhis.feedback."
                                           "BadRequestException",
    },
}
MISSING_BODY_HANDLERS["2.43"] = MISSING_BODY_HANDLERS["2.42"]
EXCHANGE_HANDLER = ("public org.hisp.dhis.dxf2.webmessage.WebMessage org.hisp.dhis.webapi."
                    "controller.AggregateDataExchangeController.runDataExchange(org.hisp.dhis."
                    "dataexchange.aggregate.AggregateDataExchange,org.hisp.dhis.user.UserDetails)")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_missing_request_body_names_the_handler(sandbox_factory, version) -> None:
    # RequestResponseBodyMethodProcessor#readWithMessageConverters (5.3.39 :160-164, 6.2.8
    # :176-180): "Required request body is missing: " + Method#toGenericString of the handler
    # (2.41.9's tracker import maps `async=false` to its own one; a JSON null is no body either)
    url = sandbox_factory(version=version).url
    handlers = {**MISSING_BODY_HANDLERS[version],
                "aggregateDataExchanges/exchange": EXCHANGE_HANDLER}
    for path, handler in handlers.items():
        for body in (b"", b"null"):
            r = requests.post(f"{url}/api/{path}", data=body, auth=ADMIN, timeout=10,
                              headers={"Content-Type": "application/json"})
            assert r.json() == {"httpStatus": "Bad Request", "httpStatusCode": 400,
                                "status": "ERROR",
                                "message": f"Required request body is missing: {handler}"}, (
                path, body)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_unreadable_body_naming_uid_is_cut_at_its_first_semicolon(sandbox_factory,
                                                                      version) -> None:
    # CrudControllerAdvice#handleHttpMessageNotReadableExceptionHandler (2.41.9 :611-626,
    # 2.42.5 :655-670, 2.43.1 :656-671): a message holding "UID" and ";" is cut before the
    # first ";" -- on 2.41 that drops Spring 5's "; nested exception is …" off a token `UIDx`;
    # on 2.42/2.43 a `UID`-typed id with a ";" loses what follows it.
    url = sandbox_factory(version=version).url

    def post(body: bytes) -> requests.Response:
        return requests.post(f"{url}/api/tracker", data=body, auth=ADMIN, timeout=10,
                             headers={"Content-Type": "application/json"})
    token = post(b"UIDx")
    assert token.status_code == 400
    assert token.json()["message"] == (
        "JSON parse error: Unrecognized token 'UIDx': was expecting (JSON String, Number, Array, "
        "Object or token 'null', 'true' or 'false')")
    if version != "2.41":
        typed = post(b'{"trackedEntities": [{"trackedEntity": "Ab;cdefghij"}]}')
        assert typed.status_code == 400
        assert typed.json()["message"] == (
            "JSON parse error: Cannot construct instance of `org.hisp.dhis.common.UID`, "
            "problem: UID must be an alphanumeric string of 11 characters starting with a "
            "letter, but was: Ab")


def test_metadata_import_reads_its_body_as_a_tree(sandbox_factory) -> None:
    # MetadataImportExportController#postJsonMetadata → DefaultRenderService#fromMetadata
    # (`readTree(request.getInputStream())`, 2.41.9 :171, 2.42.5/2.43.1 :173): a syntax error is
    # a JsonParseException, CrudControllerAdvice#jsonParseExceptionHandler → conflict(String)
    # (409, no errorCode); an empty body is a MissingNode and a root that is no object has no
    # field names, so nothing is imported (200).
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        r = requests.post(f"{url}/api/metadata", data=b"{not json", auth=ADMIN, timeout=10,
                          headers={"Content-Type": "application/json"})
        assert r.status_code == 409, (version, r.text)
        assert r.json() == {
            "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
            "message": "Unexpected character ('n' (code 110)): was expecting double-quote to "
                       "start field name\n at [Source: REDACTED "
                       "(`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, "
                       "column: 2]"}
        for body in (b"", b"[]", b'"x"', b"1", b"null"):
            r = requests.post(f"{url}/api/metadata", data=body, auth=ADMIN, timeout=10,
                              headers={"Content-Type": "application/json"})
            assert r.status_code == 200, (version, body, r.text)
            assert r.json()["response"]["stats"]["total"] == 0, (version, body)


def test_async_metadata_import_leaves_the_body_to_the_job(sandbox_factory) -> None:
    # MetadataImportExportController#startAsyncMetadata hands request.getInputStream() to the
    # job unread (2.41.9 :263-272, 2.42.5 :253-261, 2.43.1 :250-258): an unreadable body is no
    # 409 of the request, the job fails instead.
    import time

    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        r = requests.post(f"{url}/api/metadata", data=b"{not json", auth=ADMIN, timeout=10,
                          params={"async": "true"}, headers={"Content-Type": "application/json"})
        assert r.status_code == 200, (version, r.text)
        job = r.json()["response"]["id"]
        for _ in range(50):
            tasks = requests.get(f"{url}/api/system/tasks/METADATA_IMPORT/{job}", auth=ADMIN,
                                 timeout=10).json()
            if tasks and tasks[0]["completed"]:
                break
            time.sleep(0.05)
        assert tasks[0]["level"] == "ERROR", (version, tasks)
        # JobProgress#failedProcess(Exception): "Process failed: " + the exception's message
        assert tasks[0]["message"].startswith(
            "Process failed: Unexpected character ('n' (code 110)): was expecting double-quote "
            "to start field name"), (version, tasks[0]["message"])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_web_message_keys_come_in_the_json_property_order(sandbox_factory, version) -> None:
    # dxf2/webmessage/WebMessage.java's @JsonPropertyOrder (httpStatus, httpStatusCode, status,
    # code, message, devMessage, response; 2.41.9 :50-58, 2.42.5 / 2.43.1 :67-75): errorCode,
    # not in it (2.41.9 WebMessage :80, 2.42.5 / 2.43.1 the superclass webmessage/WebResponse),
    # comes last; the NON_NULL mapper (JacksonObjectMapperConfig) leaves out code and devMessage
    url = sandbox_factory(version=version).url
    missing = requests.get(f"{url}/api/programs/Kj6vYde4LHh", auth=ADMIN, timeout=10)
    assert list(missing.json()) == ["httpStatus", "httpStatusCode", "status", "message", "errorCode"]
    refused = requests.post(f"{url}/api/metadata", json={"dataElements": [{"name": "x"}]},
                            auth=ADMIN, timeout=10)
    assert refused.status_code == 409
    assert list(refused.json()) == ["httpStatus", "httpStatusCode", "status", "message", "response"]
