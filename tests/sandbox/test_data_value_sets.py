"""GET /api/dataValueSets: which filter error each release answers (2.41.9/2.42.5
DefaultDataValueSetService#validate, the last failing rule wins; 2.43.1
DefaultDataExportService#validateFilters, the first failure, without lastUpdated as a period)."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

DE = "deT3int0001"
UNIT = "@unit"  # a seeded org unit, looked up per server
PERIOD = {"period": "202401", "startDate": "2024-01-01", "endDate": "2024-01-31"}

# (query, answer on 2.41 and 2.42, answer on 2.43); an answer is an error code or 200
CASES = [
    ({}, "E2006", "E2001"),
    ({"dataElement": DE}, "E2006", "E2002"),
    ({"dataElement": DE, "orgUnit": UNIT}, "E2002", "E2002"),
    ({"dataElement": DE, "orgUnit": UNIT, "lastUpdated": "2020-01-01"}, 200, "E2002"),
    ({"dataElement": DE, "orgUnit": UNIT, "lastUpdatedDuration": "1d"}, 200, "E2002"),
    ({"dataElement": DE, "orgUnit": UNIT, "lastUpdatedDuration": "1w"}, "E2005", "E2002"),
    ({"dataElement": DE, **PERIOD, "children": "true"}, "E2008", "E2006"),
    ({"dataElement": DE, **PERIOD, "orgUnit": UNIT}, "E2003", "E2003"),
    ({"dataElement": DE, "period": "202401", "orgUnit": UNIT, "orgUnitGroup": "ougT3grp001",
      "children": "true"}, "E2007", "E2007"),
    ({"dataElement": DE, "period": "202401", "orgUnitGroup": "ougT3grp001", "children": "true"},
     "E2008", "E2007"),
]


@pytest.mark.parametrize(("query", "legacy", "first_failure"), CASES)
def test_filter_errors_per_release(release_sandbox: tuple[str, RunningSandbox],
                                   query: dict[str, str], legacy: str | int,
                                   first_failure: str | int) -> None:
    version, running = release_sandbox
    unit = requests.get(f"{running.url}/api/organisationUnits", params={"fields": "id"},
                        auth=ADMIN, timeout=10).json()["organisationUnits"][0]["id"]
    params = {k: unit if v == UNIT else v for k, v in query.items()}
    response = requests.get(f"{running.url}/api/dataValueSets", params=params, auth=ADMIN,
                            timeout=10)
    expected = first_failure if version == "2.43" else legacy
    if expected == 200:
        assert response.status_code == 200 and response.json() == {"dataValues": []}
        return
    body = response.json()
    assert (response.status_code, body["status"], body["errorCode"]) == (409, "ERROR", expected)


def test_an_unreadable_duration_keeps_its_placeholder(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # `new ErrorMessage(ErrorCode.E2005)` passes no argument to "Duration is not valid: `{0}`"
    version, running = release_sandbox
    if version == "2.43":
        pytest.skip("2.43.1 validateFilters has no E2005")
    response = requests.get(f"{running.url}/api/dataValueSets", auth=ADMIN, timeout=10, params={
        "dataElement": DE, "period": "202401", "orgUnit": "x", "lastUpdatedDuration": "soon"})
    assert response.json()["message"] == "Duration is not valid: `{0}`"


def test_import_conflicts_name_their_objects_as_the_validator_does(
        fresh_sandbox: RunningSandbox) -> None:
    # ImportConflict#createConflict (2.41.9, 2.42.5): identifiable objects keyed by their schema
    # singular name, the descriptor's property written (DataValueImportConflict,
    # DataValueSetImportConflict), an I18n argument keyed by the property and translated for
    # the message (i18n_global.properties); ImportSummary#addConflict merges the conflicts of
    # one grouping key (code and objects) into one with every index, and a set-level one has
    # no indexes (null, left out).
    url = fresh_sandbox.url
    post_metadata(url, {"dataElements": [{
        "id": "deConflict1", "name": "Số lượt", "shortName": "Số lượt", "valueType": "NUMBER",
        "domainType": "AGGREGATE", "aggregationType": "SUM"}]})
    unit = requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                        timeout=10).json()["organisationUnits"][0]["id"]
    body = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, json={"dataValues": [
        {"dataElement": "deConflict1", "period": "202401", "orgUnit": unit, "value": "abc"},
        {"dataElement": "deConflict1", "period": "202401", "orgUnit": "noSuchOU01", "value": "1"},
        {"dataElement": "deConflict1", "period": "202401", "orgUnit": unit, "value": "1",
         "attributeOptionCombo": "noSuchAOC01"},
        {"dataElement": "deConflict1", "period": "202402", "orgUnit": "noSuchOU01", "value": "2"}]
    }).json()
    assert body["response"]["conflicts"] == [
        {"object": "deConflict1", "objects": {"dataElement": "deConflict1",
                                              "value": "value_not_numeric"},
         "value": "Value must match value type of data element `deConflict1`: "
                  "`Data value is not numeric`",
         "errorCode": "E7619", "property": "value", "indexes": [0]},
        {"object": "noSuchOU01", "objects": {"organisationUnit": "noSuchOU01"},
         "value": "Organisation unit not found or not accessible: `noSuchOU01`",
         "errorCode": "E7612", "property": "orgUnit", "indexes": [1, 3]},
        {"object": "noSuchAOC01", "objects": {"categoryOptionCombo": "noSuchAOC01"},
         "value": "Attribute option combo not found or not accessible for writing data: "
                  "`noSuchAOC01`",
         "errorCode": "E7615", "property": "attributeOptionCombo", "indexes": [2]}]
    aborted = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, json={
        "orgUnit": "noSuchOU01", "dataValues": []}).json()
    assert aborted["response"]["conflicts"] == [
        {"object": "noSuchOU01", "objects": {"organisationUnit": "noSuchOU01", "dataSet": None},
         "value": "Org unit not found or not accessible: `noSuchOU01`", "errorCode": "E7603",
         "property": "orgUnit"}]
