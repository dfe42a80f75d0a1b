"""2.41.9's plain response below `/api/38/` (`WebMessage#withPlainResponseBefore(V38)`,
`WebMessageControllerAdvice#isPlainResponse` :94-99) on the served controllers that mark their
answer: `POST /api/metadata` (MetadataImportExportController :138 JSON, :171 CSV) and
`POST /api/dataValueSets` (DataValueSetController :241-301). 2.42.5 / 2.43.1 have no such
method: the WebMessage at every path. (`PUT /api/users/{uid}`: test_crud.py.)"""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN

VERSIONS = ["2.41", "2.42", "2.43"]


def _unit(url: str) -> str:
    return str(requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                            timeout=10).json()["organisationUnits"][0]["id"])


@pytest.mark.parametrize("version", VERSIONS)
def test_metadata_import_below_api_38_is_the_bare_import_report_on_2_41(sandbox_factory,
                                                                        version) -> None:
    url = sandbox_factory(version=version).url
    good = {"constants": [{"id": "cnPlain0001", "name": "Plain one", "shortName": "Plain one",
                              "value": 1}]}
    bad = {"constants": [{"id": "cnPlain0002", "value": 2}]}  # no name: E4000
    for path, plain in (("/api/37/metadata", version == "2.41"), ("/api/38/metadata", False),
                        ("/api/metadata", False)):
        ok = requests.post(f"{url}{path}", json=good, auth=ADMIN, timeout=10)
        assert ok.status_code == 200, ok.text
        body = ok.json()
        assert ("httpStatusCode" in body) is not plain
        report = body if plain else body["response"]
        assert report["status"] == "OK" and "typeReports" in report
        failed = requests.post(f"{url}{path}", json=bad, auth=ADMIN, timeout=10)
        assert failed.status_code == (200 if plain else 409), failed.text
        assert "Cache-Control" not in failed.headers if plain else True
        assert (failed.json() if plain else failed.json()["response"])["status"] == "ERROR"


@pytest.mark.parametrize("version", VERSIONS)
def test_data_value_set_import_below_api_38_is_the_bare_import_summary_on_2_41(
        sandbox_factory, version) -> None:
    url = sandbox_factory(version=version).url
    unit = _unit(url)
    for path, plain in (("/api/30/dataValueSets", version == "2.41"),
                        ("/api/38/dataValueSets", False)):
        sent = requests.post(f"{url}{path}", auth=ADMIN, timeout=10, json={"dataValues": [
            {"dataElement": "noSuchDE01", "period": "202401", "orgUnit": unit, "value": "1"}]})
        body = sent.json()
        assert sent.status_code == (200 if plain else 409), sent.text
        assert ("httpStatusCode" in body) is not plain
        summary = body if plain else body["response"]
        assert summary["responseType"] == "ImportSummary" and summary["status"] != "SUCCESS"
