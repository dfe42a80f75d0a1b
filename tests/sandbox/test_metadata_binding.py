"""Dates as Jackson binds them on metadata import (metadata/binding.py, core/java_dates.py:
ParseDateStdDeserializer and DateUtils#parseDate, the same at 2.41.9, 2.42.5 and 2.43.1)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata


def _root(url: str) -> str:
    units = requests.get(f"{url}/api/organisationUnits", params={
        "filter": "code:eq:VN", "fields": "id"}, auth=ADMIN, timeout=30).json()
    return str(units["organisationUnits"][0]["id"])


def _unit(root: str, opening: Any, **more: Any) -> dict[str, Any]:
    return {"id": "ouDates0001", "name": "Xã Thử", "shortName": "Xã Thử", "parent": {"id": root},
            "openingDate": opening, **more}


@pytest.mark.parametrize(("sent", "stored"), [
    ("2024-01-01", "2024-01-01T00:00:00.000"),
    ("20240305", "2024-03-05T00:00:00.000"),  # yyyyMMdd before yyyy
    ("2024", "2024-01-01T00:00:00.000"),
    ("2024-3", "2024-03-01T00:00:00.000"),
    ("2024-01-01T10:00:00.5", "2024-01-01T10:00:00.500"),
    ("2024-01-01T10:00", "2024-01-01T10:00:00.000"),
    ("2024-01-01T10:00:00.123456+07:00", "2024-01-01T03:00:00.123"),
    ("2024-01-01T10:00:00Z", "2024-01-01T10:00:00.000"),
    ("2024-01-01 10:00:00+0700", "2024-01-01T03:00:00.000"),
    (1704067200000, "2024-01-01T00:00:00.000"),  # a JSON integer: epoch milliseconds
    (0, "1970-01-01T00:00:00.000"),
    ("1704067200000", "2024-01-01T00:00:00.000"),  # more than 12 digits that do not parse
    # Joda's number parser takes one or two digits for MM and dd and never gives one back
    ("2024111", "2024-11-01T00:00:00.000"),
    # a year beside a separator or alone from one digit on, written back with four
    ("20-1-1", "0020-01-01T00:00:00.000"), ("24", "0024-01-01T00:00:00.000"),
    # TimeZoneOffset#parseInto: `z` in either case, seconds and milliseconds of an offset
    ("2024-01-01T10:00z", "2024-01-01T10:00:00.000"),
    ("2024-01-01T10:00:00+07:30:30.5", "2024-01-01T02:29:29.500"),
    ("2024-01-01T10:00+073030", "2024-01-01T02:29:30.000"),
    # a string's getValueAsLong beyond a long is NumberInput#parseAsLong's default, 0
    ("99999999999999999999", "1970-01-01T00:00:00.000"),
])
def test_dates_read_as_dhis2_reads_them(fresh_sandbox: RunningSandbox, sent: Any,
                                        stored: str) -> None:
    url = fresh_sandbox.url
    body = post_metadata(url, {"organisationUnits": [
        _unit(_root(url), sent, created=sent, closedDate=sent)]}).json()
    assert body["status"] == "OK", body
    read = requests.get(f"{url}/api/organisationUnits/ouDates0001", auth=ADMIN, params={
        "fields": "openingDate,closedDate,created"}, timeout=30).json()
    # openingDate/closedDate are DATE columns (OrganisationUnit.hbm.xml `type="date"`): the day
    # of the date read is what comes back
    day = stored[:10] + "T00:00:00.000"
    assert read == {"openingDate": day, "closedDate": day, "created": stored}


def test_date_columns_keep_the_day_only(fresh_sandbox: RunningSandbox) -> None:
    # CategoryOption startDate/endDate and User birthday are DATE columns (hbm `type="date"`,
    # 2.43.1 CategoryOption `@Temporal(TemporalType.DATE)`): read back at midnight.
    url = fresh_sandbox.url
    role = {"id": "urDates0001", "name": "Vai trò ngày", "authorities": []}
    option = {"id": "coDates0001", "name": "Lựa chọn ngày", "shortName": "Lựa chọn ngày",
              "startDate": "2024-02-03T04:05:06.007", "endDate": "2024-12-31T23:59:59.000"}
    user = {"id": "usDates0001", "username": "dates.one", "firstName": "Thử", "surname": "Ngày",
            "password": "Synthetic-2025!", "userRoles": [{"id": role["id"]}],
            "birthday": "1990-06-07T08:09:10.000"}
    body = post_metadata(url, {"userRoles": [role], "categoryOptions": [option], "users": [user]}).json()
    assert body["status"] == "OK", body

    def read(path: str, fields: str) -> Any:
        return requests.get(f"{url}/api/{path}", auth=ADMIN, params={"fields": fields},
                            timeout=30).json()
    assert read("categoryOptions/coDates0001", "startDate,endDate") == {
        "startDate": "2024-02-03T00:00:00.000", "endDate": "2024-12-31T00:00:00.000"}
    assert read("users/usDates0001", "birthday") == {"birthday": "1990-06-07T00:00:00.000"}


def test_category_option_dates_are_bound_as_dates(fresh_sandbox: RunningSandbox) -> None:
    # CategoryOption's startDate/endDate are java.util.Date properties the import mapper binds
    # (ParseDateStdDeserializer) before the DATE column keeps the day: an offset moves the
    # moment to the server zone's (UTC) day, and an unreadable text is refused.
    url = fresh_sandbox.url
    option = {"id": "coDates0002", "name": "Lựa chọn lệch", "shortName": "Lựa chọn lệch",
              "startDate": "2024-02-03T02:00:00.000+05:00", "endDate": "2024-12-31T23:30:00-05:00"}
    body = post_metadata(url, {"categoryOptions": [option]}).json()
    assert body["status"] == "OK", body
    read = requests.get(f"{url}/api/categoryOptions/coDates0002", auth=ADMIN,
                        params={"fields": "startDate,endDate"}, timeout=30).json()
    assert read == {"startDate": "2024-02-02T00:00:00.000", "endDate": "2025-01-01T00:00:00.000"}
    refused = post_metadata(url, {"categoryOptions": [
        {**option, "id": "coDates0003", "name": "Khác", "shortName": "Khác", "startDate": "hôm qua"}]})
    assert refused.status_code == 400
    assert refused.json()["message"] == ("Invalid date format 'hôm qua', only ISO format or "
                                         "UNIX Epoch timestamp is supported.")


@pytest.mark.parametrize(("sent", "text"), [
    ("yesterday", "yesterday"), ("2024-13-01", "2024-13-01"), ("2024-02-30", "2024-02-30"),
    ("170406720000", "170406720000"),  # 12 digits: not a year, not epoch milliseconds
    ("2024-01-01 10:00:00", "2024-01-01 10:00:00"),  # the space form needs a zone
    (1.5, "1.5"), (True, "true"), ({"date": "2024-01-01"}, "null"), (" ", " "),
    # the hours of an offset are two digits, and its minutes too
    ("2024-01-01T10:00+7", "2024-01-01T10:00+7"),
    ("2024-01-01T10:00+07:3", "2024-01-01T10:00+07:3"),
    ("2024-01-01T10:00+24", "2024-01-01T10:00+24"),
    # a float read into a tree: its Double#toString
    (1e10, "1.0E10"), (0.0001, "1.0E-4"),
    # a JSON integer beyond a long: getValueAsLong's InputCoercionException
    (10**20, "100000000000000000000"),
])
def test_unreadable_dates_are_400_on_metadata_import(fresh_sandbox: RunningSandbox, sent: Any,
                                                     text: str) -> None:
    url = fresh_sandbox.url
    response = post_metadata(url, {"organisationUnits": [_unit(_root(url), sent)]})
    assert response.status_code == 400
    assert response.json() == {
        "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
        "message": f"Invalid date format '{text}', only ISO format or UNIX Epoch timestamp "
                   "is supported."}
    assert requests.get(f"{url}/api/organisationUnits/ouDates0001", auth=ADMIN,
                        timeout=30).status_code == 404


def test_an_empty_date_is_none(fresh_sandbox: RunningSandbox) -> None:
    # DateUtils#parseDate("") is null: the required openingDate is then missing (E4000)
    url = fresh_sandbox.url
    body = post_metadata(url, {"organisationUnits": [_unit(_root(url), "")]}).json()
    errors = [e for t in body["response"]["typeReports"] for o in t["objectReports"]
              for e in o["errorReports"]]
    assert [(e["errorCode"], e["args"]) for e in errors] == [("E4000", ["openingDate"])]


def test_crud_endpoint_answers_the_deserializer_500(fresh_sandbox: RunningSandbox) -> None:
    # AbstractCrudController#deserializeJsonEntity reads with readValue: the IOException
    # reaches CrudControllerAdvice#defaultExceptionHandler
    url = fresh_sandbox.url
    response = requests.post(f"{url}/api/organisationUnits", json=_unit(_root(url), "soon"),
                             auth=ADMIN, timeout=30)
    assert response.status_code == 500
    assert response.json()["message"] == (
        "Invalid date format 'soon', only ISO format or UNIX Epoch timestamp is supported.")


def test_crud_date_refusal_is_the_default_handlers_500_on_2_43_too(sandbox_factory) -> None:
    # ParseDateStdDeserializer throws a plain IOException, which Jackson rethrows unwrapped
    # (BeanDeserializerBase#throwOrReturnThrowable): no JsonMappingException, so 2.43.1's
    # CrudControllerAdvice#jsonParseExceptionHandler (:402-411) does not take it
    url = sandbox_factory(version="2.43").url
    response = requests.post(f"{url}/api/organisationUnits", json=_unit(_root(url), "soon"),
                             auth=ADMIN, timeout=30)
    assert response.status_code == 500, response.text
    assert response.json()["message"] == (
        "Invalid date format 'soon', only ISO format or UNIX Epoch timestamp is supported.")


def test_empty_strings_are_none_and_scalars_their_text(fresh_sandbox: RunningSandbox) -> None:
    # EmptyStringToNullStdDeserializer: "" is null (so two empty codes do not collide, and
    # nothing is written back); a number or boolean is read as its text
    url = fresh_sandbox.url
    element = {"name": "Cân nặng", "shortName": "Cân nặng", "code": "", "description": "",
               "formName": "", "valueType": "NUMBER", "domainType": "AGGREGATE",
               "aggregationType": "SUM"}
    body = post_metadata(url, {"dataElements": [
        {**element, "id": "deEmpty0001"},
        {**element, "id": "deEmpty0002", "name": "Chiều cao", "shortName": "Chiều cao",
         "description": 12, "formName": True}, {**element, "id": "deEmpty0004", "name": "Cỡ",
                                                  "shortName": "Cỡ", "description": 1e22}]}).json()
    assert body["status"] == "OK", body
    listed = requests.get(f"{url}/api/dataElements", auth=ADMIN, timeout=30, params={
        "fields": "id,code,description,formName", "filter": "id:like:deEmpty",
        "order": "id"}).json()["dataElements"]
    # a float as Double#toString writes it (the tree's DoubleNode)
    assert listed == [{"id": "deEmpty0001"},
                      {"id": "deEmpty0002", "description": "12", "formName": "true"},
                      {"id": "deEmpty0004", "description": "1.0E22"}]
    missing = post_metadata(url, {"dataElements": [{**element, "id": "deEmpty0003", "name": "",
                                                    "shortName": "Vòng đầu"}]}).json()
    errors = [e for t in missing["response"]["typeReports"] for o in t["objectReports"]
              for e in o["errorReports"]]
    assert [(e["errorCode"], e["args"]) for e in errors] == [("E4000", ["name"])]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_crud_endpoints_read_numbers_as_sent(sandbox_factory, version: str) -> None:
    # AbstractCrudController#deserializeJsonEntity → DefaultRenderService#fromJson reads the
    # stream (`readValue(InputStream)`), where a number's getValueAsString is the token's own
    # text (UTF8StreamJsonParser#getText), not a tree node's: a String property keeps "1.50",
    # "1E+2", "-0", and the date refusal quotes the float as sent
    url = sandbox_factory(version=version).url
    headers = {"Content-Type": "application/json"}
    element = ('{"name": "Cân nặng", "shortName": "Cân nặng", "valueType": "NUMBER", '
               '"domainType": "AGGREGATE", "aggregationType": "SUM"')
    created = requests.post(f"{url}/api/dataElements", auth=ADMIN, timeout=30, headers=headers,
                            data=(element + ', "code": 1.50, "description": 1E+2, '
                                  '"formName": -0}').encode())
    assert created.status_code == 201, created.text
    uid = created.json()["response"]["uid"]
    read = requests.get(f"{url}/api/dataElements/{uid}", auth=ADMIN, timeout=30,
                        params={"fields": "code,description,formName"}).json()
    assert read == {"code": "1.50", "description": "1E+2", "formName": "-0"}
    refused = requests.post(f"{url}/api/dataElements", auth=ADMIN, timeout=30, headers=headers,
                            data=(element.replace("Cân", "Cỡ") + ', "created": 1.50}').encode())
    assert refused.status_code == 500, refused.text
    assert refused.json()["message"] == (
        "Invalid date format '1.50', only ISO format or UNIX Epoch timestamp is supported.")
