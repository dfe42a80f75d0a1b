"""Metadata versioning endpoints on a server with versioning off (sandbox/versioning/routes.py;
MetadataVersionController at 2.41.9, 2.42.5, 2.43.1)."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN

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
