"""`GET /api` and `GET /api/resources` (IndexController#getIndex/#getResources, the same at
2.41.9, 2.42.5 and 2.43.1; no `@ApiVersion` at 2.41.9 / 2.42.5)."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN

VERSIONS = ["2.41", "2.42", "2.43"]


@pytest.mark.parametrize("version", VERSIONS)
def test_api_redirects_to_the_resources(sandbox_factory, version) -> None:
    url = sandbox_factory(version=version).url
    sent = requests.get(f"{url}/api", auth=ADMIN, timeout=10, allow_redirects=False)
    assert sent.status_code == 302, sent.text
    assert sent.headers["Location"] == f"{url}/api/resources"
    assert sent.content == b""


@pytest.mark.parametrize("version", VERSIONS)
def test_resources_list_the_metadata_endpoints(sandbox_factory, version) -> None:
    url = sandbox_factory(version=version).url
    sent = requests.get(f"{url}/api/resources", auth=ADMIN, timeout=10)
    assert sent.status_code == 200, sent.text
    listed = {r["plural"]: r for r in sent.json()["resources"]}
    assert listed["dataElements"] == {"displayName": "Data Elements", "singular": "dataElement",
                                      "plural": "dataElements", "href": f"{url}/api/dataElements"}
    assert listed["sqlViews"]["displayName"] == "Sql Views"
    for resource in listed.values():  # each one served
        assert requests.get(resource["href"], params={"pageSize": 1}, auth=ADMIN,
                            timeout=10).status_code in (200, 403), resource
    # no @ApiVersion before 2.43 (its ApiVersionFilter rewrites every path)
    versioned = requests.get(f"{url}/api/42/resources", auth=ADMIN, timeout=10)
    assert versioned.status_code == (200 if version == "2.43" else 404)


@pytest.mark.parametrize("version", VERSIONS)
def test_resources_are_the_schemas_with_an_api_endpoint(sandbox_factory, version) -> None:
    # IndexController#createIndexResources skips a schema without Schema#hasApiEndpoint:
    # ExpressionDimensionItemSchemaDescriptor sets no relative endpoint, ApiTokenSchemaDescriptor
    # sets API_ENDPOINT_OLD ("/apiToken")
    url = sandbox_factory(version=version).url
    listed = {r["plural"]: r for r in requests.get(f"{url}/api/resources", auth=ADMIN,
                                                   timeout=10).json()["resources"]}
    assert "expressionDimensionItems" not in listed
    assert listed["apiToken"] == {"displayName": "Api Token", "singular": "apiToken",
                                  "plural": "apiToken", "href": f"{url}/api/apiToken"}
