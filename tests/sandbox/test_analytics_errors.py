"""`GET /api/analytics` refusals as dhis2-core reads the query (2.41.9, 2.42.5 and 2.43.1 alike):
DefaultDataQueryService#getDimension and DimensionalObjectProvider while reading each parameter,
DefaultAnalyticsSecurityManager#decideAccess, then DefaultQueryValidator in its order; each an
IllegalQueryException answered 409 with its ErrorCode."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata, seeded_user, two_yearly_boundary_indicator

DE = {"id": "deAnaErr001", "name": "Visits", "shortName": "Visits", "valueType": "NUMBER",
      "domainType": "AGGREGATE", "aggregationType": "SUM"}
DX, PE, OU = f"dx:{DE['id']}", "pe:2024", "ou:USER_ORGUNIT"

CASES = [
    # reading the parameters, in the order given
    ({"dimension": ["foo:bar", DX]}, "E7125",
     "Dimension identifier does not reference any dimension: `foo`"),
    ({"dimension": ["dx:", PE]}, "E7124",
     "Dimension is present in query without any valid dimension options: `dx`"),
    ({"dimension": ["dx:deNothing01;deNothing02", PE]}, "E7124",
     "Dimension is present in query without any valid dimension options: `dx`"),
    ({"dimension": [DX, "pe:2024W99"]}, "E7611", "Period not valid: `2024W99`"),
    # DateUnitType's patterns (2.43.1 Period.Input) read ASCII digits only
    ({"dimension": [DX, "pe:\u0662\u0660\u0662\u0664\u0660\u0661"]}, "E7611",
     "Period not valid: `\u0662\u0660\u0662\u0664\u0660\u0661`"),
    ({"dimension": [DX, PE, "ou:ouNothing01"]}, "E7143",
     "Organisation unit or organisation unit level is not valid"),
    ({"dimension": [DX, PE, "ou:"]}, "E7143",
     "Organisation unit or organisation unit level is not valid"),
    ({"dimension": [DX, PE], "filter": ["ou:LEVEL-x"]}, "E7143",
     "Organisation unit or organisation unit level is not valid"),
    # DefaultQueryValidator
    ({"filter": [DX, PE]}, "E7101", "At least one dimension must be specified"),
    ({"dimension": [PE, OU]}, "E7102",
     "At least one data dimension item or data element group set dimension item must be "
     "specified"),
    ({"dimension": [DX, PE], "filter": ["pe:2023"]}, "E7103",
     "Dimensions cannot be specified as dimension and filter simultaneously: `[pe]`"),
    # CollectionUtils#intersection over a HashSet of the dimensions: dx, pe, ou
    ({"dimension": [DX, OU, PE], "filter": [DX, "pe:2023", OU]}, "E7103",
     "Dimensions cannot be specified as dimension and filter simultaneously: `[dx, pe, ou]`"),
    ({"dimension": [DX, OU]}, "E7104",
     "At least one period as dimension or filter, or start and dates, must be specified"),
    ({"dimension": [DX, "pe:", OU]}, "E7104",
     "At least one period as dimension or filter, or start and dates, must be specified"),
    ({"dimension": [DX, PE, "pe:2023"]}, "E7111",
     "Dimensions cannot be specified more than once: `[pe]`"),
    ({"dimension": [PE, DX, OU, DX, "ou:USER_ORGUNIT_CHILDREN"]}, "E7111",
     "Dimensions cannot be specified more than once: `[dx, ou]`"),
]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_refusals_answer_dhis2_s_code_and_message(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    running = sandbox_factory(version=version)
    assert post_metadata(running.url, {"dataElements": [DE]}).status_code == 200
    for params, code, message in CASES:
        response = requests.get(f"{running.url}/api/analytics", params=params, auth=ADMIN,
                                timeout=10)
        body = response.json()
        assert (response.status_code, body.get("errorCode"), body.get("message")) == \
            (409, code, message), params
        assert body["status"] == "ERROR" and body["httpStatus"] == "Conflict"


# DataQueryParams#getDimensionsAsFilters: `new HashSet<>(dimensions)` of BaseDimensionalObjects
# (BaseNameableObject#hashCode: dx and pe in bucket 11, ou in 12), filled from the dimensions as
# addDimension sorts them (dx first), whatever order the request gives
BOTH_ORDERS = [
    ([DX, PE, OU], [OU, "pe:2023", DX], "[dx, pe, ou]"),
    ([OU, PE, DX], [DX, OU, "pe:2023"], "[dx, pe, ou]"),
    ([PE, OU, DX], [PE, DX, OU], "[dx, pe, ou]"),
    ([DX, PE], ["pe:2023", DX], "[dx, pe]"),
    ([PE, DX], [DX, "pe:2023"], "[dx, pe]"),
    ([PE, OU], [DX, OU, "pe:2023"], "[pe, ou]"),
    ([OU, PE, DX], ["pe:2023", OU], "[pe, ou]"),
    ([DX, OU], [OU, DX], "[dx, ou]"),
    ([OU, DX], [DX, OU], "[dx, ou]"),
]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_dimensions_also_filters_in_the_order_of_the_sorted_dimensions_hash_set(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    running = sandbox_factory(version=version)
    assert post_metadata(running.url, {"dataElements": [DE]}).status_code == 200
    for dimension, filters, both in BOTH_ORDERS:
        params = {"dimension": dimension, "filter": filters}
        response = requests.get(f"{running.url}/api/analytics", params=params, auth=ADMIN,
                                timeout=10)
        body = response.json()
        assert (response.status_code, body.get("errorCode"), body.get("message")) == (
            409, "E7103",
            f"Dimensions cannot be specified as dimension and filter simultaneously: `{both}`"
        ), params


def test_items_naming_nothing_are_dropped(fresh_sandbox: RunningSandbox) -> None:
    # DimensionalObjectProvider keeps the items it finds; only a dimension left empty fails.
    url = fresh_sandbox.url
    assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
    params = {"dimension": [f"dx:deNothing01;{DE['id']}", "pe:2024", "ou:ouNothing01;USER_ORGUNIT"]}
    response = requests.get(f"{url}/api/analytics", params=params, auth=ADMIN, timeout=10)
    assert response.status_code == 200
    dimensions = response.json()["metaData"]["dimensions"]
    assert dimensions["dx"] == [DE["id"]] and len(dimensions["ou"]) == 1


def test_a_program_indicator_filter_stands_alone(fresh_sandbox: RunningSandbox) -> None:
    # DefaultQueryValidator#validateIndicatorsAndFilters: E7108 with a program indicator among
    # several dx filter items.
    url = fresh_sandbox.url
    indicator = {"id": "piAnaErr001", "name": "Members", "shortName": "Members",
                 "program": {"id": "prAnaErr001"}, "analyticsType": "ENROLLMENT",
                 "expression": "V{enrollment_count}", "aggregationType": "COUNT"}
    program = {"id": "prAnaErr001", "name": "Members", "shortName": "Members",
               "programType": "WITHOUT_REGISTRATION"}
    assert post_metadata(url, {"dataElements": [DE], "programs": [program],
                               "programIndicators": [indicator]}).status_code == 200
    params = {"dimension": ["pe:2024", "ou:USER_ORGUNIT"],
              "filter": [f"dx:{indicator['id']};{DE['id']}"]}
    body = requests.get(f"{url}/api/analytics", params=params, auth=ADMIN, timeout=10).json()
    assert (body["errorCode"], body["message"]) == (
        "E7108", "Only a single indicator can be specified as filter")


def test_an_org_unit_outside_the_data_view_is_e7120(fresh_sandbox: RunningSandbox) -> None:
    # DefaultAnalyticsSecurityManager#decideAccessDataViewOrganisationUnits, before the
    # validator: province.officer views VN-79 only.
    url = fresh_sandbox.url
    assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
    units = requests.get(f"{url}/api/organisationUnits", params={"filter": "code:eq:VN",
                                                                 "fields": "id"},
                         auth=ADMIN, timeout=10).json()["organisationUnits"]
    root = units[0]["id"]
    params = {"dimension": [f"ou:{root}"]}  # no dx or pe: access is decided first
    response = requests.get(f"{url}/api/analytics", params=params,
                            auth=("province.officer", "district"), timeout=10)
    body = response.json()
    assert response.status_code == 409
    assert (body["errorCode"], body["message"]) == (
        "E7120", f"User: `province.officer` is not allowed to view org unit: `{root}`")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_org_unit_below_the_data_view_max_level_is_e7120(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # DefaultAnalyticsSecurityManager#decideAccessDataViewOrganisationUnits: a unit inside the
    # data view units but deeper than `dataViewMaxOrganisationUnitLevel` is refused too
    running = sandbox_factory(version=version)
    url = running.url
    assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
    commune = next(u for u in running.store.list_objects("organisationUnits") if u.get("level") == 3)
    province = commune["path"].strip("/").split("/")[1]
    admin = seeded_user(running, "admin")
    params = {"dimension": [f"dx:{DE['id']}", "pe:202401"]}
    ok = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=10,
                      params={**params, "filter": f"ou:{commune['id']}"})
    assert ok.status_code == 200, ok.text
    running.store.put_object("users", {**admin, "dataViewMaxOrganisationUnitLevel": 2})
    assert requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=10,
                        params={**params, "filter": f"ou:{province}"}).status_code == 200
    refused = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=10,
                           params={**params, "filter": f"ou:{commune['id']}"})
    assert (refused.status_code, refused.json()["errorCode"], refused.json()["message"]) == (
        409, "E7120", f"User: `admin` is not allowed to view org unit: `{commune['id']}`")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_boundary_date_joda_refuses_is_a_400(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # TwoYearlyPeriodType#getDateWithOffset sets the year only, so 29 February 2016 moved by one
    # two-year period is 29 February 2018, which DateTimeUnit#toJdkDate's `new DateTime` refuses
    # with IllegalFieldValueException: CrudControllerAdvice's IllegalArgumentException handler,
    # 400 with its message and no errorCode.
    running = sandbox_factory(version=version)
    metadata = two_yearly_boundary_indicator("prAnaErr002", "piAnaErr002")
    assert post_metadata(running.url, metadata).status_code == 200
    params = {"dimension": ["dx:piAnaErr002", "pe:20160229", OU]}
    response = requests.get(f"{running.url}/api/analytics", params=params, auth=ADMIN, timeout=10)
    body = response.json()
    assert (response.status_code, body["httpStatus"], body.get("errorCode"), body["message"]) == (
        400, "Bad Request", None, "Value 29 for dayOfMonth must be in the range [1,28]")
    # a day within the month everywhere still answers
    params = {"dimension": ["dx:piAnaErr002", "pe:20160228", OU]}
    response = requests.get(f"{running.url}/api/analytics", params=params, auth=ADMIN, timeout=10)
    assert response.status_code == 200
