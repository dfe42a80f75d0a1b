"""`filter` values read as their property's type (metadata/filter_values.py)."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN, post_metadata

# a QueryParserException on a list: AbstractFullReadOnlyController#getEntityList rethrows it as
# BadRequestException(String), E1003 (2.41.9 :547-556, 2.42.5 :489-492, 2.43.1 :502-505)
BAD_REQUEST = {"httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
               "errorCode": "E1003"}


def _get(url: str, path: str, **params: str) -> requests.Response:
    return requests.get(f"{url}{path}", params=params, auth=ADMIN, timeout=10)


def test_a_value_that_does_not_convert_is_400_e1003_on_a_list(sandbox_factory) -> None:
    # DefaultQueryParser#createFilter → QueryUtils#parseValue with the property's klass
    # (2.42.5 / 2.43.1 DefaultQueryParser :120-150, QueryUtils :67-156; 2.41.9
    # DefaultJpaQueryParser :114-175, QueryUtils the same), then Operator#validateArgs:
    # a QueryParserException, on a list 400 E1003 at every release.
    cases = (
        ("dataElements", "created:gt:notadate", "Unable to parse `notadate` as `Date`."),
        ("programStages", "sortOrder:gt:x", "Unable to parse `x` as `Integer`."),
        ("dataSets", "timelyDays:lt:soon", "Unable to parse `soon` as `Double`."),
        ("organisationUnits", "level:in:[1,x]", "Unable to parse `x` as `Integer`."),
        ("dataElements", "categoryCombo:eq:bjDvmb4bfuf",
         "Unable to parse `bjDvmb4bfuf` to `CategoryCombo`."),
        ("dataElements", "aggregationLevels:eq:x", "Collection size must be integer `x`"),
        ("organisationUnits", "level:like:1",
         "Value `1` of type `Integer` is not supported by this operator."),
        ("dataElements", "zeroIsSignificant:ilike:tr",
         "Value `false` of type `Boolean` is not supported by this operator."),
        ("dataElements", "domainType:gt:AGGREGATE",
         "Value `AGGREGATE` of type `DataElementDomain` is not supported by this operator."),
    )
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        for plural, given, message in cases:
            answer = _get(url, f"/api/{plural}", filter=given)
            assert answer.status_code == 400, (version, given, answer.text)
            assert answer.json() == {**BAD_REQUEST, "message": message}, (version, given)
        unknown = _get(url, "/api/dataElements", filter="valueType:eq:BOGUS").json()["message"]
        assert unknown.startswith("Unable to parse `BOGUS` as `class org.hisp.dhis.common.ValueType`, "
                                  "available values are: [TEXT, LONG_TEXT, ")


def test_values_that_convert_are_compared_as_their_type(fresh_sandbox) -> None:
    # Boolean.valueOf never fails (anything but "true" is false), Integer.valueOf reads a sign,
    # dates read with DateUtils#parseDate's parsers (a year-month alone too)
    url = fresh_sandbox.url
    de = {"id": "deFilter001", "name": "Lọc giá trị", "shortName": "Lọc giá trị",
          "valueType": "INTEGER", "domainType": "AGGREGATE", "aggregationType": "SUM",
          "zeroIsSignificant": False}
    assert post_metadata(url, {"dataElements": [de]}).status_code == 200

    def ids(plural: str, given: str) -> list[str]:
        answer = _get(url, f"/api/{plural}", filter=given, fields="id", paging="false")
        assert answer.status_code == 200, (given, answer.text)
        return [o["id"] for o in answer.json()[plural]]
    assert "deFilter001" in ids("dataElements", "zeroIsSignificant:eq:maybe")
    assert "deFilter001" not in ids("dataElements", "zeroIsSignificant:eq:TRUE")
    assert "deFilter001" in ids("dataElements", "zeroIsSignificant:in:[maybe]")
    assert len(ids("organisationUnits", "level:eq:+1")) == 1
    assert "deFilter001" in ids("dataElements", "created:gt:2020-01")
    assert "deFilter001" in ids("dataElements", "created:gt:20200101")


def test_integers_read_as_integer_value_of_reads_them(sandbox_factory) -> None:
    # Integer#valueOf takes any Unicode decimal digit (Character#digit) and refuses what
    # overflows an int; Double#valueOf trims every char <= U+0020 (String#trim). An `in`
    # argument without brackets is a collection size: an integer one is the Integer
    # QueryUtils#parseValue returns, cast to the `Collection<?>` of
    # DefaultQueryParser#parseValues (2.41.9 DefaultJpaQueryParser): a ClassCastException,
    # CrudControllerAdvice#defaultExceptionHandler's 500 (2.41.9 = 2.42.5 = 2.43.1).
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url

        def ids(given: str, url: str = url) -> list[str]:
            answer = _get(url, "/api/organisationUnits", filter=given, fields="id",
                          paging="false")
            assert answer.status_code == 200, (given, answer.text)
            return [o["id"] for o in answer.json()["organisationUnits"]]
        assert ids("level:eq:\u0661") == ids("level:eq:1")
        assert len(ids("level:eq:1")) == 1
        assert _get(url, "/api/dataSets", filter="timelyDays:lt:\x015\x01").status_code == 200
        # Double#valueOf reads a hexadecimal float too (FloatingDecimal#parseHexString)
        assert _get(url, "/api/dataSets", filter="timelyDays:lt:0x1p3").status_code == 200
        for plural, given, message in (
                ("programStages", "sortOrder:gt:2147483648",
                 "Unable to parse `2147483648` as `Integer`."),
                ("dataElements", "aggregationLevels:eq:2147483648",
                 "Collection size must be integer `2147483648`"),
                ("dataElements", "name:in:2147483648",
                 "Collection size must be integer `2147483648`")):
            answer = _get(url, f"/api/{plural}", filter=given)
            assert (answer.status_code, answer.json()) == (400, {**BAD_REQUEST, "message": message}), \
                (version, given)
        cast = _get(url, "/api/dataElements", filter="name:in:5")
        assert cast.status_code == 500, (version, cast.text)
        assert cast.json()["message"] == (
            "class java.lang.Integer cannot be cast to class java.util.Collection "
            "(java.lang.Integer and java.util.Collection are in module java.base of loader "
            "'bootstrap')")


def test_dates_are_compared_as_moments_and_printed_as_java_dates(sandbox_factory) -> None:
    # QueryUtils#parseValue reads a Date with DateUtils#parseDate (Joda: `20-1-1` is the year
    # 20, an offset moves the moment) and the database compares moments, so `eq` of a
    # date-only text finds the date stored at midnight. A Date the like/token operators refuse
    # (Operator#validateArgs) prints as java.util.Date#toString in the server's zone (UTC),
    # Julian before the Gregorian cutover (2.41.9 = 2.42.5 = 2.43.1).
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        unit = _get(url, "/api/organisationUnits", filter="level:eq:1",
                    fields="id,openingDate").json()["organisationUnits"][0]
        opened = unit["openingDate"][:10]

        def ids(given: str, url: str = url) -> list[str]:
            answer = _get(url, "/api/organisationUnits", filter=given, fields="id",
                          paging="false")
            assert answer.status_code == 200, (given, answer.text)
            return [o["id"] for o in answer.json()["organisationUnits"]]
        assert unit["id"] in ids(f"openingDate:eq:{opened}")
        assert unit["id"] in ids(f"openingDate:eq:{opened.replace('-', '')}")
        assert unit["id"] in ids(f"openingDate:in:[{opened},1999]")
        assert unit["id"] in ids("openingDate:gt:20-1-1")
        assert unit["id"] not in ids(f"openingDate:eq:{opened}T01:00:00+02:00")
        for given, shown in (("openingDate:like:2020", "Wed Jan 01 00:00:00 UTC 2020"),
                             ("created:ilike:2020-03-04T05:06:07+01:00",
                              "Wed Mar 04 04:06:07 UTC 2020"),
                             ("openingDate:token:1500", "Mon Dec 23 00:00:00 UTC 1499")):
            answer = _get(url, "/api/organisationUnits", filter=given)
            assert (answer.status_code, answer.json()) == (400, {
                **BAD_REQUEST, "message": f"Value `{shown}` of type `Date` is not supported by "
                                       "this operator."}), (version, given)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_collection_is_compared_by_its_size(sandbox_factory, version: str) -> None:
    # eq/!eq/gt/ge/lt/le on a collection property compare its size with the Integer the parser
    # read (EqualOperator#getPredicate `builder.size(…)` 2.41.9 :79-87, 2.42.5/2.43.1 :62-70;
    # #test `collection.size()` 2.41.9 :124-128, 2.42.5/2.43.1 :107-111), never its text;
    # `children` is read from its owning side, a role without authorities has none
    url = sandbox_factory(version).url
    role = {"id": "roleNoAuth1", "name": "Vai trò trống"}
    assert post_metadata(url, {"userRoles": [role]}).status_code == 200

    def listed(plural: str, given: str, fields: str) -> list[dict[str, object]]:
        answer = _get(url, f"/api/{plural}", filter=given, fields=fields, paging="false")
        assert answer.status_code == 200, (given, answer.text)
        return list(answer.json()[plural])
    units = listed("organisationUnits", "level:ge:1", "id,children~size")
    leaves = {u["id"] for u in units if u["children"] == 0}
    assert leaves and len(leaves) < len(units)
    assert {u["id"] for u in listed("organisationUnits", "children:eq:0", "id")} == leaves
    assert {u["id"] for u in listed("organisationUnits", "children:!eq:0", "id")} \
        == {u["id"] for u in units} - leaves
    assert {u["id"] for u in listed("organisationUnits", "children:ge:1", "id")} \
        == {u["id"] for u in units} - leaves
    roles = listed("userRoles", "id:!null", "id,authorities~size")
    for given, kept in (("authorities:gt:1", lambda n: n > 1), ("authorities:lte:1",
                        lambda n: n <= 1), ("authorities:eq:0", lambda n: n == 0),
                        ("authorities:lt:3", lambda n: n < 3)):
        assert {r["id"] for r in listed("userRoles", given, "id")} \
            == {r["id"] for r in roles if kept(r["authorities"])}, given
    assert [r["id"] for r in listed("userRoles", "authorities:eq:0", "id")] == ["roleNoAuth1"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_collection_in_memory_is_tested_item_by_item_on_2_41(sandbox_factory,
                                                                version: str) -> None:
    # rootJunction=OR over two filters runs both in memory at 2.41.9 (DefaultQueryPlanner
    # #planQuery :71-81), whose InMemoryQueryEngine#testOr (:173-196) tests each item: a unit
    # never equals 0, `!eq` holds for any unit with a child, a text item is the operator's
    # ClassCastException (500); 2.42.5/2.43.1 compare the size in memory too
    url = sandbox_factory(version).url

    def count(plural: str, *given: str) -> int:
        answer = _get(url, f"/api/{plural}", filter=list(given), rootJunction="OR",
                      fields="id", paging="false")  # type: ignore[arg-type]
        assert answer.status_code == 200, (given, answer.text)
        return len(answer.json()[plural])
    leaves = count("organisationUnits", "children:eq:0")
    assert leaves > 0
    units = count("organisationUnits", "id:!null")
    assert count("organisationUnits", "children:eq:0", "id:eq:none") == (
        0 if version == "2.41" else leaves)
    assert count("organisationUnits", "children:!eq:0", "id:eq:none") == units - leaves
    roles = _get(url, "/api/userRoles", filter=["authorities:eq:1", "id:eq:none"],
                 rootJunction="OR", fields="id")  # type: ignore[arg-type]
    if version == "2.41":
        assert roles.status_code == 500
        assert roles.json()["message"].startswith(
            "class java.lang.Integer cannot be cast to class java.lang.String")
    else:
        assert roles.status_code == 200
        assert len(roles.json()["userRoles"]) == count("userRoles", "authorities:eq:1")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_inverse_collection_through_a_reference_is_read_from_its_owning_side(
        sandbox_factory, version: str) -> None:
    # `parent.children`: the engine reaches the parent's children as it holds them, not the
    # stored parent's copy; 2.42.5/2.43.1 compare their number in memory
    # (InMemoryQueryEngine#filterMatch), 2.41.9 tests each child (#testAnd :146-171): a unit
    # is never 1, `!eq` holds for any child
    url = sandbox_factory(version).url

    def listed(given: str, fields: str = "id") -> list[dict[str, object]]:
        answer = _get(url, "/api/organisationUnits", filter=given, fields=fields,
                      paging="false")
        assert answer.status_code == 200, (given, answer.text)
        return list(answer.json()["organisationUnits"])
    units = listed("id:!null", "id,parent[id],children~size")
    sizes = {u["id"]: u["children"] for u in units}
    crowded = {u["id"] for u in units if u.get("parent") and sizes[u["parent"]["id"]] > 1}
    assert crowded
    children = {u["id"] for u in units if u.get("parent")}
    assert {u["id"] for u in listed("parent.children:gt:1")} == (
        set() if version == "2.41" else crowded)
    assert {u["id"] for u in listed("parent.children:!eq:0")} == children
