"""Metadata versioning endpoints on a server with versioning off (sandbox/versioning/routes.py;
MetadataVersionController at 2.41.9, 2.42.5, 2.43.1)."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN, bad_request_page, missing_parameter

DISABLED = {"httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": "Metadata versioning is not enabled for this instance.",
            "errorCode": "E1003"}


@pytest.mark.parametrize("path", ["/api/metadata/version", "/api/metadata/versions",
                                  "/api/metadata/version/history"])
def test_versioning_is_off(fresh_sandbox, path):
    response = requests.get(f"{fresh_sandbox.url}{path}", auth=ADMIN, timeout=10)
    assert response.status_code == 400
    assert response.json() == DISABLED


def test_managed_endpoints_check_the_authority_first(sandbox_factory):
    for version, denied in (("2.41", "Access is denied"),
                            ("2.43", "Access is denied, requires one Authority from "
                                     "[F_METADATA_MANAGE]")):
        running = sandbox_factory(version=version)
        url = f"{running.url}/api/metadata/version/create"
        viewer = requests.post(url, params={"type": "BEST_EFFORT"},
                               auth=("dashboard.viewer", "district"), timeout=10)
        assert (viewer.status_code, viewer.json()["message"]) == (403, denied)
        admin = requests.post(url, params={"type": "BEST_EFFORT"}, auth=ADMIN, timeout=10)
        assert admin.status_code == 400 and admin.json() == DISABLED
        data = requests.get(f"{running.url}/api/metadata/version/Version_1/data", auth=ADMIN,
                            timeout=10)
        assert data.status_code == 400


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_create_binds_its_version_type_before_the_versioning_check(sandbox_factory, version):
    url = f"{sandbox_factory(version=version).url}/api/metadata/version/create"
    missing = requests.post(url, auth=ADMIN, timeout=10)
    # Spring's MissingServletRequestParameterException, a ServletException that
    # CrudControllerAdvice#servletExceptionHandler rethrows: the container's 400 page
    assert bad_request_page(missing) == missing_parameter(version, "type", "VersionType")
    unknown = requests.post(url, params={"type": "FOO"}, auth=ADMIN, timeout=10)
    assert unknown.status_code == 400
    assert unknown.json() == {
        "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
        "message": "Value 'FOO' is not valid for parameter type. "
                   "Valid values are: [BEST_EFFORT, ATOMIC]"}
    # 2.41.9 @PreAuthorize runs after the binding; 2.42.5 AuthorityInterceptor before it
    viewer = requests.post(url, auth=("dashboard.viewer", "district"), timeout=10)
    assert viewer.status_code == (400 if version == "2.41" else 403)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_create_binds_its_version_type_case_insensitively(sandbox_factory, version):
    # CrudControllerAdvice#initBinder: ConvertEnum (EnumUtils.getEnumIgnoreCase) for every
    # org.hisp.dhis enum, so a lower-case type binds and the versioning check answers
    url = f"{sandbox_factory(version=version).url}/api/metadata/version/create"
    for value in ("atomic", "Best_Effort"):
        response = requests.post(url, params={"type": value}, auth=ADMIN, timeout=10)
        assert (response.status_code, response.json()) == (400, DISABLED)
    # the editor neither trims nor maps a blank value to null; #getNotValidValueMessage words
    # the empty one "cannot be empty"
    for value, start in ((" ATOMIC", "Value ' ATOMIC' is not valid for parameter type."),
                         ("", "type cannot be empty.")):
        response = requests.post(url, params={"type": value}, auth=ADMIN, timeout=10)
        assert response.json()["message"] == f"{start} Valid values are: [BEST_EFFORT, ATOMIC]"
