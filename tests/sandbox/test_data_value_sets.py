"""GET /api/dataValueSets: which filter error each release answers (2.41.9/2.42.5
DefaultDataValueSetService#validate, the last failing rule wins; 2.43.1
DefaultDataExportService#validateFilters, the first failure, without lastUpdated as a period)."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN

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
