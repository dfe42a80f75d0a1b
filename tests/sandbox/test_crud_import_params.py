"""The import parameters of the CRUD writes: AbstractCrudController#postObject, #putJsonObject
and #patchObject build them with `importService.getParamsFromMap(contextService
.getParameterValuesMap())` (importMode, atomicMode, identifier, skipSharing, … read from the
query string as `/api/metadata` reads them), #deleteObject with `new MetadataImportParams()`
(the defaults, nothing read). The same at 2.41.9, 2.42.5 and 2.43.1."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN

VERSIONS = ["2.41", "2.42", "2.43"]
CONSTANT = {"name": "Import mode one", "shortName": "Import mode one", "value": 3}


def _constant(url: str, uid: str) -> requests.Response:
    return requests.get(f"{url}/api/constants/{uid}", auth=ADMIN, timeout=10)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_validated_create_has_no_object_report_and_fails(sandbox_factory, version) -> None:
    # importMode=VALIDATE: no commit, so no object report for a valid object; #postObject's
    # WebMessageUtils#objectReport(ObjectReport) calls isEmpty() on the null one → 500
    url = sandbox_factory(version=version).url
    sent = requests.post(f"{url}/api/constants", params={"importMode": "VALIDATE"},
                         json={"id": "cnValid0001", **CONSTANT}, auth=ADMIN, timeout=10)
    assert sent.status_code == 500, sent.text
    assert sent.json()["message"] == ('Cannot invoke "org.hisp.dhis.feedback.ObjectReport.isEmpty()"'
                                      ' because "objectReport" is null')
    assert _constant(url, "cnValid0001").status_code == 404
    # an invalid one has its object report: the 409 ERROR, nothing created either way
    bad = requests.post(f"{url}/api/constants", params={"importMode": "VALIDATE"},
                        json={"id": "cnValid0002", "value": 1}, auth=ADMIN, timeout=10)
    assert bad.status_code == 409 and bad.json()["status"] == "ERROR", bad.text
    assert bad.json()["response"]["errorReports"][0]["errorCode"] == "E4000"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_validated_update_changes_nothing(sandbox_factory, version) -> None:
    # #putJsonObject answers objectReport(ImportReport): no object report → ok()
    url = sandbox_factory(version=version).url
    created = requests.post(f"{url}/api/constants", json={"id": "cnValid0003", **CONSTANT},
                            auth=ADMIN, timeout=10)
    assert created.status_code == 201, created.text
    put = requests.put(f"{url}/api/constants/cnValid0003", params={"importMode": "VALIDATE"},
                       json={**CONSTANT, "name": "Renamed"}, auth=ADMIN, timeout=10)
    assert put.status_code == 200, put.text
    assert put.json() == {"httpStatus": "OK", "httpStatusCode": 200, "status": "OK"}
    assert _constant(url, "cnValid0003").json()["name"] == "Import mode one"
    committed = requests.put(f"{url}/api/constants/cnValid0003",
                             json={**CONSTANT, "name": "Renamed"}, auth=ADMIN, timeout=10)
    assert committed.status_code == 200, committed.text
    assert _constant(url, "cnValid0003").json()["name"] == "Renamed"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_delete_reads_no_import_parameters(sandbox_factory, version) -> None:
    # #deleteObject: `new MetadataImportParams()`, so `identifier=CODE` is not read and the
    # object (which has no code) is still found by its uid and deleted
    url = sandbox_factory(version=version).url
    requests.post(f"{url}/api/constants", json={"id": "cnValid0004", **CONSTANT}, auth=ADMIN,
                  timeout=10).raise_for_status()
    gone = requests.delete(f"{url}/api/constants/cnValid0004",
                           params={"identifier": "CODE", "importMode": "VALIDATE"},
                           auth=ADMIN, timeout=10)
    assert gone.status_code == 200, gone.text
    assert _constant(url, "cnValid0004").status_code == 404


@pytest.mark.parametrize("version", VERSIONS)
def test_a_validated_patch_changes_nothing_and_a_user_create_reads_no_parameters(
        sandbox_factory, version) -> None:
    # #patchObject: getParamsFromMap too; UserController#createUser: `new MetadataImportParams()`
    url = sandbox_factory(version=version).url
    requests.post(f"{url}/api/constants", json={"id": "cnValid0005", **CONSTANT}, auth=ADMIN,
                  timeout=10).raise_for_status()
    patch = requests.patch(f"{url}/api/constants/cnValid0005", params={"importMode": "VALIDATE"},
                           data='[{"op": "replace", "path": "/name", "value": "Patched"}]',
                           headers={"Content-Type": "application/json-patch+json"}, auth=ADMIN,
                           timeout=10)
    assert patch.status_code == 200, patch.text
    assert _constant(url, "cnValid0005").json()["name"] == "Import mode one"
    requests.post(f"{url}/api/userRoles", json={"id": "roleValid01", "name": "Xem",
                                                "authorities": ["F_USER_VIEW"]},
                  auth=ADMIN, timeout=10).raise_for_status()
    user = requests.post(f"{url}/api/users", params={"importMode": "VALIDATE"}, auth=ADMIN,
                         timeout=10, json={"id": "usValid0001", "username": "account.valid",
                                           "password": "Synthetic-2025!", "firstName": "Moi",
                                           "surname": "Tao", "userRoles": [{"id": "roleValid01"}]})
    assert user.status_code == 201, user.text
    assert requests.get(f"{url}/api/users/usValid0001", auth=ADMIN, timeout=10).status_code == 200


PATCH_NAME = '[{"op": "replace", "path": "/name", "value": "Patched"}]'
PATCH_HEADERS = {"Content-Type": "application/json-patch+json"}
BARE_OK = {"httpStatus": "OK", "httpStatusCode": 200, "status": "OK"}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("mode", ["ERRORS", "Errors", "NOT_A_MODE", ""])
def test_a_patch_in_report_mode_errors_answers_the_bare_ok(sandbox_factory, version,
                                                           mode) -> None:
    # #patchObject keeps an asked importReportMode; getEnumWithDefault reads an unknown (or
    # differently cased, or empty) one as ERRORS, and DefaultMetadataImportService
    # #importMetadata's TypeReport#clean drops the object report without errors: no first
    # object report, so WebMessageUtils#objectReport(ImportReport) answers ok()
    url = sandbox_factory(version=version).url
    requests.post(f"{url}/api/constants", json={"id": "cnErrors001", **CONSTANT}, auth=ADMIN,
                  timeout=10).raise_for_status()
    patch = requests.patch(f"{url}/api/constants/cnErrors001", params={"importReportMode": mode},
                           data=PATCH_NAME, headers=PATCH_HEADERS, auth=ADMIN, timeout=10)
    assert patch.status_code == 200, patch.text
    assert patch.json() == BARE_OK
    assert _constant(url, "cnErrors001").json()["name"] == "Patched"
    # an object report with errors stays: the 409 ERROR with its report
    bad = requests.patch(f"{url}/api/constants/cnErrors001", params={"importReportMode": mode},
                         data='[{"op": "remove", "path": "/name"}]', headers=PATCH_HEADERS,
                         auth=ADMIN, timeout=10)
    assert bad.status_code == 409 and bad.json()["status"] == "ERROR", bad.text
    assert bad.json()["response"]["uid"] == "cnErrors001"
    assert bad.json()["response"]["errorReports"][0]["errorCode"] == "E4000"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_other_writes_keep_their_object_report_in_report_mode_errors(sandbox_factory,
                                                                        version) -> None:
    # #postObject, #putJsonObject (ERRORS is not ERRORS_NOT_OWNER) and #deleteObject set FULL,
    # and a PATCH asking FULL or ERRORS_NOT_OWNER keeps the report too
    url = sandbox_factory(version=version).url
    asked = {"importReportMode": "ERRORS"}
    post = requests.post(f"{url}/api/constants", params=asked,
                         json={"id": "cnErrors002", **CONSTANT}, auth=ADMIN, timeout=10)
    assert post.status_code == 201, post.text
    assert post.json()["response"]["uid"] == "cnErrors002"
    put = requests.put(f"{url}/api/constants/cnErrors002", params=asked,
                       json={**CONSTANT, "name": "Renamed"}, auth=ADMIN, timeout=10)
    assert put.status_code == 200, put.text
    assert put.json()["response"]["uid"] == "cnErrors002"
    for mode in ("FULL", "ERRORS_NOT_OWNER", "DEBUG"):
        patch = requests.patch(f"{url}/api/constants/cnErrors002",
                               params={"importReportMode": mode}, data=PATCH_NAME,
                               headers=PATCH_HEADERS, auth=ADMIN, timeout=10)
        assert patch.status_code == 200, patch.text
        assert patch.json()["response"]["uid"] == "cnErrors002", mode
    gone = requests.delete(f"{url}/api/constants/cnErrors002", params=asked, auth=ADMIN,
                           timeout=10)
    assert gone.status_code == 200, gone.text
    assert gone.json()["response"]["uid"] == "cnErrors002"
