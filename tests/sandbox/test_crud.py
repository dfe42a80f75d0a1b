"""Generic metadata endpoints: fields, filters, paging, PUT/PATCH/DELETE, 403s."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
import requests

from scdi.sandbox.core import jackson_text
from scdi.sandbox.metadata import registry
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata, seeded_user
from tests.sandbox.test_unmapped import _page

DE = {"id": "deUid000001", "name": "Số buổi sinh hoạt", "shortName": "Buổi sinh hoạt",
      "code": "SCDI_DE_1", "valueType": "INTEGER", "domainType": "TRACKER",
      "aggregationType": "SUM"}


def _get(url: str, path: str, **params: str) -> requests.Response:
    return requests.get(f"{url}{path}", params=params, auth=ADMIN, timeout=10)


def test_list_defaults_pager_and_id_display_name(fresh_sandbox: RunningSandbox) -> None:
    body = _get(fresh_sandbox.url, "/api/organisationUnits", pageSize="10").json()
    assert body["pager"]["pageSize"] == 10 and body["pager"]["page"] == 1
    assert body["pager"]["total"] > 100 and "nextPage" in body["pager"]
    assert set(body["organisationUnits"][0]) == {"id", "displayName"}
    unpaged = _get(fresh_sandbox.url, "/api/organisationUnits", paging="false").json()
    assert "pager" not in unpaged and len(unpaged["organisationUnits"]) == body["pager"]["total"]


def test_pager_page_within_page_count_and_links_as_dhis2_writes_them(
        fresh_sandbox: RunningSandbox) -> None:
    # Pager#getPageInternal keeps the page within 1..pageCount (the list is read at the page
    # asked for); DefaultLinkService#generatePagerLinks writes page, a non-default pageSize,
    # then the other parameters URLEncoder-encoded, and no `page` on the link to page 1
    # (2.41.9, 2.42.5, 2.43.1).
    url = fresh_sandbox.url
    base = f"{url}/api/organisationUnits"
    beyond = _get(url, "/api/organisationUnits", pageSize="2", page="999", fields="id,name").json()
    count = beyond["pager"]["pageCount"]
    assert beyond["pager"]["page"] == count and beyond["organisationUnits"] == []
    assert "nextPage" not in beyond["pager"]
    assert beyond["pager"]["prevPage"] == f"{base}?page={count - 1}&pageSize=2&fields=id%2Cname"
    second = _get(url, "/api/organisationUnits", fields="*", page="2", pageSize="2").json()
    assert second["pager"]["nextPage"] == f"{base}?page=3&pageSize=2&fields=*"
    assert second["pager"]["prevPage"] == f"{base}?pageSize=2&fields=*"
    default_size = _get(url, "/api/organisationUnits", page="2", filter="name:!eq:~ x").json()
    assert default_size["pager"]["prevPage"] == f"{base}?filter=name%3A%21eq%3A%7E+x"
    assert default_size["pager"]["nextPage"].startswith(f"{base}?page=3&filter=")


def test_filters_and_nested_fields(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    provinces = _get(url, "/api/organisationUnits", filter="level:eq:2", paging="false",
                     fields="id,name,code,parent[id,name],children[id]").json()
    units = provinces["organisationUnits"]
    assert len(units) == 34
    assert all(u["parent"]["name"] == "Việt Nam" for u in units)
    assert all(u["children"] for u in units)
    hcm = _get(url, "/api/organisationUnits", filter=["code:in:[VN-79,VN-01]", "level:eq:2"],
               fields="code").json()["organisationUnits"]
    assert sorted(u["code"] for u in hcm) == ["VN-01", "VN-79"]
    either = _get(url, "/api/organisationUnits", filter=["code:eq:VN-79", "code:eq:VN-01"],
                  rootJunction="OR", fields="code").json()["organisationUnits"]
    assert len(either) == 2
    like = _get(url, "/api/organisationUnits", filter="name:ilike:hồ chí minh",
                fields="name").json()["organisationUnits"]
    assert [u["name"] for u in like] == ["Thành phố Hồ Chí Minh"]
    # the items between the brackets are kept as written (QueryUtils#parseValue)
    spaced = _get(url, "/api/organisationUnits", filter="code:in:[VN-79, VN-01]",
                  fields="code").json()["organisationUnits"]
    assert [u["code"] for u in spaced] == ["VN-79"]
    no_parent = _get(url, "/api/organisationUnits", filter="parent:null",
                     fields="code").json()["organisationUnits"]
    assert [u["code"] for u in no_parent] == ["VN"]


def test_filter_errors_and_nested_paths(fresh_sandbox: RunningSandbox) -> None:
    # DefaultQueryParser#createFilter/#getProperty (2.42.5, 2.43.1; 2.41.9 DefaultJpaQueryParser)
    # → QueryParserException, which AbstractFullReadOnlyController#getEntityList rethrows as a
    # BadRequestException: 400 E1003.
    url = fresh_sandbox.url
    bogus = _get(url, "/api/organisationUnits", filter="name:bogus:x")
    assert (bogus.status_code, bogus.json()["errorCode"]) == (400, "E1003")
    assert (bogus.json()["status"], bogus.json()["message"]) == (
        "ERROR", "`bogus` is not a valid operator.")
    unknown = _get(url, "/api/organisationUnits", filter="x:eq:1")
    assert unknown.status_code == 400 and unknown.json()["message"] == "Unknown path property: x"
    assert unknown.json()["errorCode"] == "E1003"
    nested_unknown = _get(url, "/api/organisationUnits", filter="parent.x:eq:1")
    assert nested_unknown.json()["message"] == "Unknown path property: parent.x"
    assert (nested_unknown.status_code, nested_unknown.json()["errorCode"]) == (400, "E1003")
    invalid = _get(url, "/api/organisationUnits", filter="name")
    assert invalid.status_code == 400 and invalid.json()["message"] == "Invalid filter => name"
    assert invalid.json()["errorCode"] == "E1003"
    in_hcm = _get(url, "/api/organisationUnits", filter="parent.code:eq:VN-79", paging="false",
                  fields="code").json()["organisationUnits"]
    assert in_hcm and all(u["code"].startswith("VN-79-") for u in in_hcm)
    aliases = _get(url, "/api/organisationUnits", filter=["code:!$like:VN-", "level:lte:1"],
                   fields="code").json()["organisationUnits"]
    assert aliases == [{"code": "VN"}]


def test_query_parser_refusals_on_a_list_are_400_e1003(sandbox_factory) -> None:
    # AbstractFullReadOnlyController#getEntityList / #countGetObjectList (2.41.9 #countTotal)
    # read the query with BadRequestException.on(QueryParserException.class, …) (2.41.9
    # :547-556/:577-586, 2.42.5 :489-492/:513-516; 2.43.1 catches and rethrows it,
    # :502-505/:520-523): a
    # BadRequestException(String), errorCode E1003, which CrudControllerAdvice
    # #badRequestException answers 400.
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        for given, message in (("name:zz:x", "`zz` is not a valid operator."),
                               ("foo:eq:x", "Unknown path property: foo"),
                               ("foo", "Invalid filter => foo"),
                               # Java's split(":") drops the trailing empty part
                               ("name:", "Invalid filter => name:"),
                               ("id:in:", "Invalid argument `null` for in operator."),
                               ("id:in:[,]", "Invalid argument `[,]` for in operator."),
                               ("id:in:abc", "Collection size must be integer `abc`")):
            answer = _get(url, "/api/dataElements", filter=given)
            assert answer.status_code == 400, (version, given)
            assert answer.json() == {"httpStatus": "Bad Request", "httpStatusCode": 400,
                                     "status": "ERROR", "message": message,
                                     "errorCode": "E1003"}, (version, given)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_users_and_programs_lists_keep_the_parsers_409_on_2_41(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.41.9 UserController#getEntityList (:162-192, #makeQuery :218) and ProgramController
    # #getEntityList (:86-97) call QueryService#getQueryFromUrl themselves, outside the base
    # class's BadRequestException.on: CrudControllerAdvice#queryExceptionHandler's 409 without
    # errorCode. 2.42.5/2.43.1 override neither: the list's 400 E1003
    # (`metadata_list_filters_unwrapped`); another list is 400 E1003 at every release
    url = sandbox_factory(version=version).url
    for plural in ("users", "programs", "dataElements"):
        answer = _get(url, f"/api/{plural}", filter="foo:eq:x")
        if version == "2.41" and plural != "dataElements":
            expected = {"httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
                        "message": "Unknown path property: foo"}
        else:
            expected = {"httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
                        "message": "Unknown path property: foo", "errorCode": "E1003"}
        assert (answer.status_code, answer.json()) == (expected["httpStatusCode"], expected), \
            (plural, answer.text[:300])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_metadata_export_filter_refusal_stays_409_without_an_error_code(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # DefaultMetadataExportService reads the type's filters with QueryService#getQueryFromUrl
    # unwrapped (2.41.9 :182, 2.42.5 :186, 2.43.1 :187): the QueryParserException reaches
    # CrudControllerAdvice#queryExceptionHandler, `conflict(ex.getMessage())` (2.41.9 :404-407,
    # 2.42.5 :412-415, 2.43.1 :413-416), unlike a list's 400 E1003
    url = sandbox_factory(version=version).url
    for params, message in (
            ({"dataElements": "true", "dataElements:filter": "foo:eq:x"},
             "Unknown path property: foo"),
            ({"dataElements": "true", "dataElements:filter": "name:zz:x"},
             "`zz` is not a valid operator."),
            ({"dataElements": "true", "filter": "name"}, "Invalid filter => name")):
        answer = requests.get(f"{url}/api/metadata", params=params, auth=ADMIN, timeout=30)
        assert (answer.status_code, answer.json()) == (409, {
            "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
            "message": message}), (version, params, answer.text[:300])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_list_filter_is_parsed_against_every_property_of_the_type(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # DefaultQueryParser reads a path over the type's whole schema (every property its class
    # has), so an unknown property of any type is refused (400 E1003 on a list, 409 on the
    # export), and a known one of a type without facts (categoryOptions, indicators) is read
    url = sandbox_factory(version=version).url
    for plural in ("categoryOptions", "indicators", "maps", "constants"):
        refused = requests.get(f"{url}/api/{plural}", params={"filter": "nope:eq:x"}, auth=ADMIN,
                               timeout=30)
        assert (refused.status_code, refused.json()["message"], refused.json()["errorCode"]) == (
            400, "Unknown path property: nope", "E1003"), (plural, refused.text[:200])
        read = requests.get(f"{url}/api/{plural}", params={"filter": "name:eq:x"}, auth=ADMIN,
                            timeout=30)
        assert read.status_code == 200 and read.json()[plural] == [], plural
    export = requests.get(f"{url}/api/metadata", auth=ADMIN, timeout=30, params={
        "categoryOptions": "true", "categoryOptions:filter": "nope:eq:x"})
    assert (export.status_code, export.json()) == (409, {
        "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
        "message": "Unknown path property: nope"})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_metadata_export_ignores_root_junction(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # DefaultMetadataExportService builds its queries from the filters and orders alone
    # (2.41.9 :182-185/:505-511, 2.42.5 :182-186/:505-506, 2.43.1 :183-187/:520-521): AND
    url = sandbox_factory(version=version).url
    params = {"organisationUnits": "true", "fields": "id", "rootJunction": "OR",
              "organisationUnits:filter": ["level:eq:1", "level:eq:2"]}
    answer = requests.get(f"{url}/api/metadata", params=params, auth=ADMIN, timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.json().get("organisationUnits", []) == []
    listed = _get(url, "/api/organisationUnits", filter="level:eq:1", fields="id")
    assert listed.json()["organisationUnits"]


def test_single_object_star_owner_and_exclusion(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
    star = _get(url, "/api/dataElements/deUid000001").json()
    assert star["href"].endswith("/api/dataElements/deUid000001")
    assert star["displayName"] == DE["name"] and star["access"]["read"] is True
    assert star["categoryCombo"] == {"id": "bjDvmb4bfuf"}  # default filled in
    owner = _get(url, "/api/dataElements/deUid000001", fields=":owner").json()
    assert "href" not in owner and "access" not in owner and owner["name"] == DE["name"]
    slim = _get(url, "/api/dataElements/deUid000001", fields="*,!sharing,!access").json()
    assert "sharing" not in slim and "access" not in slim and "name" in slim
    missing = _get(url, "/api/dataElements/xxxxxxxxxxx")
    assert missing.status_code == 404
    assert missing.json()["message"] == "DataElement with id xxxxxxxxxxx could not be found."
    assert missing.json()["errorCode"] == "E1005"


def test_post_put_patch_delete(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    created = requests.post(f"{url}/api/dataElements", json=DE, auth=ADMIN, timeout=10)
    assert created.status_code == 201
    assert created.json()["response"] == {
        "responseType": "ObjectReport", "uid": "deUid000001",
        "klass": "org.hisp.dhis.dataelement.DataElement", "errorReports": []}
    put = requests.put(f"{url}/api/dataElements/deUid000001",
                       json={**DE, "name": "Số buổi sinh hoạt nhóm"}, auth=ADMIN, timeout=10)
    assert put.status_code == 200 and put.json()["status"] == "OK"
    patch = requests.patch(
        f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10,
        data='[{"op": "replace", "path": "/shortName", "value": "Buổi nhóm"}]',
        headers={"Content-Type": "application/json-patch+json"})
    assert patch.status_code == 200, patch.text
    got = _get(url, "/api/dataElements/deUid000001", fields="name,shortName").json()
    assert got == {"name": "Số buổi sinh hoạt nhóm", "shortName": "Buổi nhóm"}
    bad = requests.put(f"{url}/api/dataElements/deUid000001",
                       json={k: v for k, v in DE.items() if k != "shortName"}, auth=ADMIN,
                       timeout=10)
    assert bad.status_code == 409 and bad.json()["status"] == "ERROR"
    assert bad.json()["response"]["errorReports"][0]["errorCode"] == "E4000"
    deleted = requests.delete(f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10)
    assert deleted.status_code == 200
    assert _get(url, "/api/dataElements/deUid000001").status_code == 404


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_list_paging_parameters_as_each_release_reads_them(sandbox_factory, version: str) -> None:
    # 2.41.9 WebOptions#getPage/#getPageSize (Options#stringAsInt: unparsable → the default) and
    # #hasPaging (Boolean.parseBoolean); 2.42.5/2.43.1 bind GetObjectListParams (int page,
    # int pageSize, boolean paging), a bad value → CrudControllerAdvice#handleBindException.
    # Every list answer is `noCache().cachePrivate()` (AbstractFullReadOnlyController).
    url = sandbox_factory(version=version).url
    listed = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10)
    assert listed.headers["Cache-Control"] == "no-cache, private"
    for params, kind in (({"page": "abc"}, "int"), ({"pageSize": "x1"}, "int"),
                         ({"paging": "nope"}, "boolean")):
        response = requests.get(f"{url}/api/organisationUnits", params=params, auth=ADMIN,
                                timeout=10)
        name, value = next(iter(params.items()))
        if version == "2.41":
            assert response.status_code == 200
            body = response.json()
            if name == "paging":  # anything but "true" is false
                assert "pager" not in body and len(body["organisationUnits"]) > 50
            else:
                assert body["pager"]["page"] == 1 and body["pager"]["pageSize"] == 50
        else:
            assert (response.status_code, response.json()) == (400, {
                "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
                "message": f"Value '{value}' is not valid for parameter {name}. "
                           f"It should be of type {kind}"})
    off = requests.get(f"{url}/api/organisationUnits", params={"paging": "FALSE"}, auth=ADMIN,
                       timeout=10).json()
    assert "pager" not in off
    # Boolean#parseBoolean and Spring's StringToBooleanConverter both take `TRUE`
    on = requests.get(f"{url}/api/organisationUnits", params={"paging": "TRUE"}, auth=ADMIN,
                      timeout=10).json()
    assert on["pager"]["pageSize"] == 50


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_pager_links_carry_the_parameters_in_hash_map_order(sandbox_factory, version: str) -> None:
    # DefaultContextService#getParameterValuesMap collects the request's parameters with
    # Collectors.toMap (a HashMap), which DefaultLinkService#getParametersString walks: by
    # String#hashCode bucket ("filter" 0, "rootJunction" 8, "fields" 12, "order" 15 of 16),
    # not in the request's order (2.41.9, 2.42.5, 2.43.1).
    url = sandbox_factory(version=version).url
    params = [("order", "name"), ("fields", "id"), ("pageSize", "2"), ("rootJunction", "OR"),
              ("filter", "level:eq:3"), ("filter", "level:eq:4"), ("page", "2")]
    pager = requests.get(f"{url}/api/organisationUnits", params=params, auth=ADMIN,
                         timeout=10).json()["pager"]
    rest = "filter=level%3Aeq%3A3&filter=level%3Aeq%3A4&rootJunction=OR&fields=id&order=name"
    assert pager["nextPage"] == f"{url}/api/organisationUnits?page=3&pageSize=2&{rest}"
    assert pager["prevPage"] == f"{url}/api/organisationUnits?pageSize=2&{rest}"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_list_paging_values_converted_as_java_and_spring_do(sandbox_factory, version: str) -> None:
    # 2.41.9 Options#stringAsInt is Integer.parseInt (no hex, no whitespace, the int range);
    # 2.42.5/2.43.1 bind through Spring's StringToNumberConverterFactory (NumberUtils#parseNumber:
    # all whitespace dropped, `0x`/`#` hex, the int range) and StringToBooleanConverter (trimmed,
    # on/yes/1 and off/no/0 too).
    url = sandbox_factory(version=version).url

    def pager(**params: str) -> requests.Response:
        return requests.get(f"{url}/api/organisationUnits", params=params, auth=ADMIN, timeout=10)

    for value, spring in (("0x2", 2), ("1 0", 10), ("#3", 3), ("99999999999", None),
                          (" 2", 2)):
        response = pager(pageSize=value)
        if version == "2.41":
            assert response.json()["pager"]["pageSize"] == 50, value
        elif spring is None:
            assert response.status_code == 400
            assert response.json()["message"] == (
                f"Value '{value}' is not valid for parameter pageSize. It should be of type int")
        else:
            assert response.json()["pager"]["pageSize"] == spring, value
    assert pager(page="+2").json()["pager"]["page"] == 2
    for value in ("no", "off", "0", " false "):
        response = pager(paging=value)
        assert response.status_code == 200 and "pager" not in response.json(), value
    on = pager(paging=" yes ")
    if version == "2.41":
        assert "pager" not in on.json()
    else:
        assert on.json()["pager"]["page"] == 1


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_list_paging_refusal_is_the_first_in_name_order(sandbox_factory, version: str) -> None:
    # 2.42.5/2.43.1 GetObjectListParams bound as a bean: ServletRequestParameterPropertyValues
    # sorts the names, CrudControllerAdvice#handleBindException answers the first field error;
    # 2.41.9 WebOptions takes the defaults instead.
    url = sandbox_factory(version=version).url
    response = requests.get(f"{url}/api/dataElements", params={"pageSize": "y", "page": "x"},
                            auth=ADMIN, timeout=10)
    if version == "2.41":
        assert response.status_code == 200
    else:
        assert (response.status_code, response.json()["message"]) == (
            400, "Value 'x' is not valid for parameter page. It should be of type int")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_list_offset_is_an_int_product_that_wraps(sandbox_factory, version: str) -> None:
    # `(page - 1) * pageSize` is Java int arithmetic (PaginationUtils#getPaginationData,
    # GetObjectListParams#getPagination): a product past the int range wraps, to a negative
    # offset Hibernate's #setFirstResult refuses (400), or to one the query reads from, while
    # the Pager keeps the page within its count (sandbox/metadata/list_limits.py)
    url = sandbox_factory(version=version).url

    def listed(**params: str) -> requests.Response:
        return requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10,
                            params={"fields": "id", **params})
    first = listed(pageSize="4").json()["organisationUnits"]
    for params, offset in (({"page": "50000000"}, -1794967346),
                           ({"page": "2147483647", "pageSize": "2"}, -4)):
        refused = listed(**params)
        assert (refused.status_code, refused.json()["message"]) == (
            400, f"first-result value cannot be negative : {offset}"), params
    wrapped = listed(page="1073741825", pageSize="4")
    assert wrapped.status_code == 200
    assert wrapped.json()["organisationUnits"] == first
    assert wrapped.json()["pager"]["page"] == wrapped.json()["pager"]["pageCount"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_list_page_size_of_zero_or_less_meets_the_database_query(sandbox_factory,
                                                                  version: str) -> None:
    # PaginationUtils#getPaginationData / GetObjectListParams#getPagination leave the size
    # unclamped; Hibernate 5.6's AbstractProducedQuery#setFirstResult / #setMaxResults refuse
    # a negative one (IllegalArgumentException: CrudControllerAdvice's 400) and #doList answers
    # a size of 0 with no rows, under the Pager's clamped size of 1 (sandbox/metadata/
    # list_limits.py).
    url = sandbox_factory(version=version).url

    def listed(**params: str) -> requests.Response:
        return requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10,
                            params={"fields": "id", **params})
    total = listed(paging="false").json()["organisationUnits"]
    for page in ("1", "3"):
        empty = listed(pageSize="0", page=page)
        assert empty.status_code == 200
        body = empty.json()
        assert body["organisationUnits"] == []
        assert (body["pager"]["pageSize"], body["pager"]["total"]) == (1, len(total))
    for params, message in (({"pageSize": "-1"}, "max-results cannot be negative"),
                            ({"pageSize": "-1", "page": "2"},
                             "first-result value cannot be negative : -1"),
                            ({"pageSize": "-5", "page": "3"},
                             "first-result value cannot be negative : -10")):
        refused = listed(**params)
        assert (refused.status_code, refused.json()["message"]) == (400, message), params
        assert refused.json()["httpStatus"] == "Bad Request"
    assert len(listed(pageSize="-1", paging="false").json()["organisationUnits"]) == len(total)
    # 2.41.9's ProgramController builds its query with PaginationUtils#getPaginationData too
    programs = requests.get(f"{url}/api/programs", auth=ADMIN, timeout=10,
                            params={"fields": "id", "pageSize": "-1"})
    assert (programs.status_code, programs.json()["message"]) == (
        400, "max-results cannot be negative")
    # 2.41.9's UserController pages through its own Pager (#makePager), clamped to 1
    users = requests.get(f"{url}/api/users", auth=ADMIN, timeout=10,
                         params={"fields": "id", "pageSize": "-1"})
    if version == "2.41":
        assert users.status_code == 200 and len(users.json()["users"]) == 1
    else:
        assert (users.status_code, users.json()["message"]) == (
            400, "max-results cannot be negative")


def test_patch_remove_of_an_absent_path_is_a_no_op_and_replace_adds(
        fresh_sandbox: RunningSandbox) -> None:
    # RemoveOperation#apply returns the node unchanged when `node.at(path)` is missing, and
    # ReplaceOperation#apply is that remove followed by AddOperation (commons/jackson/jsonpatch/
    # operations, the same at 2.41.9, 2.42.5 and 2.43.1): neither needs the member to exist.
    url = fresh_sandbox.url
    assert requests.post(f"{url}/api/dataElements", json={
        k: v for k, v in DE.items() if k != "code"}, auth=ADMIN, timeout=10).status_code == 201
    patch = requests.patch(
        f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10,
        data='[{"op": "remove", "path": "/description"},'
             ' {"op": "replace", "path": "/code", "value": "SCDI_DE_9"}]',
        headers={"Content-Type": "application/json-patch+json"})
    assert patch.status_code == 200, patch.text
    assert patch.json()["response"]["responseType"] == "ObjectReport"
    got = _get(url, "/api/dataElements/deUid000001", fields="code,description").json()
    assert got == {"code": "SCDI_DE_9"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_errors_are_json_patch_exception_messages(sandbox_factory, version: str) -> None:
    # AddOperation#apply / #getArrayIndex and RemoveByIdOperation#apply throw
    # JsonPatchException, which CrudControllerAdvice#handleBadRequest answers with
    # WebMessageUtils#badRequest(message): 400 without errorCode (2.41.9, 2.42.5, 2.43.1).
    url = sandbox_factory(version=version).url
    assert requests.post(f"{url}/api/dataElements", json={
        k: v for k, v in DE.items() if k != "code"}, auth=ADMIN, timeout=10).status_code == 201

    def patch(*ops: dict[str, object]) -> requests.Response:
        return requests.patch(f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10,
                              json=list(ops),
                              headers={"Content-Type": "application/json-patch+json"})

    for op, message in (
            ({"op": "add", "path": "/description/x", "value": 1},
             "Path does not exist: /description/x"),
            ({"op": "add", "path": "/name/x", "value": 1},
             "Parent node is not a container, unable to proceed"),
            ({"op": "add", "path": "/aggregationLevels/x", "value": 1},
             "not an index: x (expected: a non-negative integer)"),
            ({"op": "add", "path": "/aggregationLevels/5", "value": 1},
             "index out of bounds: 5 (expected: >= 0 && <= 0)"),
            ({"op": "remove-by-id", "path": "/legendSets", "id": "nope"}, "Invalid id nope"),
            ({"op": "remove-by-id", "path": "/description", "id": "lsUid000009"},
             "Invalid path /description")):
        response = patch(op)
        assert (response.status_code, response.json()) == (400, {
            "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": message}), op
    legends = [{"id": "lsUid000009", "name": "Một"}, {"id": "lsUid000008", "name": "Hai"}]
    assert post_metadata(url, {"legendSets": legends}).status_code == 200
    added = patch({"op": "add", "path": "/legendSets", "value": [{"id": "lsUid000009"},
                                                                  {"id": "lsUid000008"}]},
                  {"op": "remove-by-id", "path": "/legendSets", "id": "lsUid000009"})
    assert added.status_code == 200, added.text
    got = _get(url, "/api/dataElements/deUid000001", fields="legendSets").json()
    assert got == {"legendSets": [{"id": "lsUid000008"}]}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_indexes_and_ids_read_as_jackson_and_java_read_them(sandbox_factory,
                                                                  version: str) -> None:
    # RemoveOperation#apply finds its path with JsonNode#at, whose array segments are
    # JsonPointer#_parseIndex indexes (no sign, no leading zero): `/aggregationLevels/01`
    # names nothing, so nothing is removed. AddOperation#getArrayIndex reads Integer#parseInt,
    # which refuses what overflows an int; RemoveByIdOperation formats its id with %s, a
    # missing one `null` (2.41.9 = 2.42.5 = 2.43.1).
    url = sandbox_factory(version=version).url
    assert requests.post(f"{url}/api/dataElements", json={
        **{k: v for k, v in DE.items() if k != "code"}, "aggregationLevels": [1, 2]},
        auth=ADMIN, timeout=10).status_code == 201

    def patch(*ops: dict[str, object]) -> requests.Response:
        return requests.patch(f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10,
                              json=list(ops),
                              headers={"Content-Type": "application/json-patch+json"})

    for path in ("/aggregationLevels/01", "/aggregationLevels/+1", "/aggregationLevels/-"):
        assert patch({"op": "remove", "path": path}).status_code == 200, path
    got = _get(url, "/api/dataElements/deUid000001", fields="aggregationLevels").json()
    assert sorted(got["aggregationLevels"]) == [1, 2]
    for op, message in (
            ({"op": "add", "path": "/aggregationLevels/4294967297", "value": 3},
             "not an index: 4294967297 (expected: a non-negative integer)"),
            ({"op": "remove-by-id", "path": "/legendSets"}, "Invalid id null"),
            ({"op": "remove-by-id", "path": "/legendSets", "id": None}, "Invalid id null"),
            ({"op": "remove-by-id", "path": "/legendSets", "id": True}, "Invalid id true")):
        response = patch(op)
        assert (response.status_code, response.json().get("message")) == (400, message), op


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_operations_jackson_cannot_bind(sandbox_factory, version: str) -> None:
    # Jackson 2.21/2.22 binding List<JsonPatchOperation>: no `op` (or a null one, or an item
    # that is no object) is #handleMissingTypeId's InvalidTypeIdException, located at the
    # item's closing brace (or the item); a number `op` is its text as the type id; a `path`
    # that is no JSON pointer is JsonPointerStdDeserializer's IllegalArgumentException
    # (JsonPointer#valueOf), wrapped: 2.43 400 "JSON parse error: …", 2.41/2.42 the default
    # handler's 500 with the cause's message (CrudControllerAdvice#getExceptionMessage).
    url = sandbox_factory(version=version).url
    assert requests.post(f"{url}/api/dataElements", json={
        k: v for k, v in DE.items() if k != "code"}, auth=ADMIN, timeout=10).status_code == 201
    missing = ("Could not resolve subtype of [simple type, class org.hisp.dhis.commons.jackson."
               "jsonpatch.JsonPatchOperation]: missing type id property 'op' (for POJO property "
               "'#temporary-name')")
    number = ("Could not resolve type id '1.50' as a subtype of `org.hisp.dhis.commons.jackson."
              "jsonpatch.JsonPatchOperation`: known type ids = [add, remove, remove-by-id, "
              "replace] (for POJO property '#temporary-name')")
    pointer = "Invalid input: JSON Pointer expression must start with '/': \"name\""
    for body, original, at in (
            ('[{"path": "/name"}]', missing, "line: 1, column: 18] (through reference chain: "
                                             "java.util.ArrayList[0])"),
            ('[{"op": "add", "path": "/name", "value": "x"}, {"op": null, "path": "/code"}]',
             missing, "line: 1, column: 76] (through reference chain: java.util.ArrayList[1])"),
            ('[5]', missing, "line: 1, column: 2] (through reference chain: "
                             "java.util.ArrayList[0])"),
            ('[{"op": 1.50, "path": "/name"}]', number,
             "line: 1, column: 9] (through reference chain: java.util.ArrayList[0])"),
            ('[{"op": "add", "path": "name", "value": "x"}]', pointer, None)):
        answer = requests.patch(f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10,
                                data=body.encode(),
                                headers={"Content-Type": "application/json-patch+json"})
        if version == "2.43":
            assert (answer.status_code, answer.json()["message"]) == (
                400, f"JSON parse error: {original}"), body
        elif at is None:
            assert (answer.status_code, answer.json()["message"]) == (500, original), body
        else:
            assert (answer.status_code, answer.json()["message"]) == (500, (
                f"{original}\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_"
                f"LOCATION` disabled); {at}")), body
    assert _get(url, "/api/dataElements/deUid000001", fields="name").json() == {
        "name": DE["name"]}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_move_copy_test_are_no_dhis2_operations(sandbox_factory, version: str) -> None:
    # JsonPatchOperation's subtypes are add, remove, remove-by-id, replace (2.41.9 :52-58,
    # 2.42.5 and 2.43.1 :55-61): Jackson's InvalidTypeIdException refuses the whole patch.
    # 2.43.1 binds it as @RequestBody (AbstractCrudController#patchObject :169-175): 400
    # "JSON parse error: …" before the lookup; 2.41.9/2.42.5 read it after the lookup with
    # jsonMapper.readValue (:192/:193) and answer the default handler's 500
    # (`crud_patch_request_body`).
    url = sandbox_factory(version=version).url
    assert requests.post(f"{url}/api/dataElements", json={
        k: v for k, v in DE.items() if k != "code"}, auth=ADMIN, timeout=10).status_code == 201
    # the items' type deserializer is contextualised for the delegating creator's argument
    chain = ("org.hisp.dhis.commons.jackson.jsonpatch.JsonPatchOperation`: known type ids = "
             "[add, remove, remove-by-id, replace] (for POJO property '#temporary-name')")

    def patch(uid: str, body: str) -> requests.Response:
        return requests.patch(f"{url}/api/dataElements/{uid}", auth=ADMIN, timeout=10,
                              data=body.encode(), headers={"Content-Type": "application/json-patch+json"})
    body = ('[{"op": "replace", "path": "/name", "value": "Đổi"},\n'
            ' {"path": "/shortName", "op": "copy", "from": "/name"}]')
    answer = patch("deUid000001", body)
    original = f"Could not resolve type id 'copy' as a subtype of `{chain}"
    if version == "2.43":
        assert (answer.status_code, answer.json()) == (400, {
            "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": f"JSON parse error: {original}"})
        # the body is bound before the object is looked up
        assert patch("deUid000009", body).status_code == 400
    else:
        assert (answer.status_code, answer.json()) == (500, {
            "httpStatus": "Internal Server Error", "httpStatusCode": 500, "status": "ERROR",
            "message": f"{original}\n at [Source: REDACTED (`StreamReadFeature."
                       "INCLUDE_SOURCE_IN_LOCATION` disabled); line: 2, column: 31] "
                       "(through reference chain: java.util.ArrayList[1])"})
        assert patch("deUid000009", body).status_code == 404
    for op in ("move", "test"):
        refused = patch("deUid000001", f'[{{"op":"{op}","from":"/name","path":"/code"}}]')
        assert refused.status_code == (400 if version == "2.43" else 500)
        assert f"type id '{op}'" in refused.json()["message"]
        if version != "2.43":
            assert "line: 1, column: 8]" in refused.json()["message"]
    # nothing of the refused patch was applied
    got = _get(url, "/api/dataElements/deUid000001", fields="name,code").json()
    assert got == {"name": DE["name"]}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_json_null_patch(sandbox_factory, version: str) -> None:
    # 2.41/2.42 read the stream: a null JsonPatch, JsonPatchManager#apply answers null and the
    # controller's `setId` on it is an NPE (#defaultExceptionHandler 500, its helpful text);
    # 2.43's `@RequestBody JsonPatch` is required, so a null body is Spring's 400
    url = sandbox_factory(version=version).url
    assert requests.post(f"{url}/api/dataElements", json={
        k: v for k, v in DE.items() if k != "code"}, auth=ADMIN, timeout=10).status_code == 201
    response = requests.patch(f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10,
                              data="null",
                              headers={"Content-Type": "application/json-patch+json"})
    if version == "2.43":
        assert (response.status_code, response.json()["message"]) == (
            400, "Required request body is missing: public org.hisp.dhis.dxf2.webmessage."
                 "WebMessage org.hisp.dhis.webapi.controller.AbstractCrudController.patchObject("
                 "org.hisp.dhis.common.UID,java.util.Map<java.lang.String, java.lang.String>,"
                 "org.hisp.dhis.user.UserDetails,org.hisp.dhis.commons.jackson.jsonpatch."
                 "JsonPatch) throws org.hisp.dhis.feedback.ForbiddenException,org.hisp.dhis."
                 "feedback.NotFoundException,org.hisp.dhis.commons.jackson.jsonpatch."
                 "JsonPatchException,org.hisp.dhis.feedback.ConflictException")
        # CategoryOptionComboController overrides #patchObject (2.43.1 :187-193)
        combo = requests.patch(f"{url}/api/categoryOptionCombos/HllvX50cXC0", auth=ADMIN,
                               timeout=10, data="null",
                               headers={"Content-Type": "application/json-patch+json"})
        assert combo.json()["message"] == (
            "Required request body is missing: public org.hisp.dhis.dxf2.webmessage.WebMessage "
            "org.hisp.dhis.webapi.controller.category.CategoryOptionComboController.patchObject("
            "org.hisp.dhis.common.UID,java.util.Map<java.lang.String, java.lang.String>,"
            "org.hisp.dhis.user.UserDetails,org.hisp.dhis.commons.jackson.jsonpatch.JsonPatch) "
            "throws org.hisp.dhis.feedback.NotFoundException,org.hisp.dhis.feedback."
            "ForbiddenException,org.hisp.dhis.feedback.ConflictException,org.hisp.dhis.commons."
            "jackson.jsonpatch.JsonPatchException")
    else:
        assert (response.status_code, response.json()) == (500, {
            "httpStatus": "Internal Server Error", "httpStatusCode": 500, "status": "ERROR",
            "message": 'Cannot invoke "org.hisp.dhis.common.BaseIdentifiableObject.setId(long)" '
                       'because "patchedObject" is null'})
    assert _get(url, "/api/dataElements/deUid000001", fields="name").json() == {"name": DE["name"]}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_json_null_patch_of_a_user(sandbox_factory, version: str) -> None:
    # 2.41.9 AbstractCrudController#doPatch walks `patch.getOperations()` for a User (:231-232)
    # before JsonPatchManager#apply (:240): the NPE names the null `patch`; 2.42.5 has no such
    # loop (#doPatch :230-232), so a user meets the `setId` of the other types; 2.43.1's required
    # `@RequestBody` refuses first. UserController overrides neither #patchObject nor #doPatch.
    running = sandbox_factory(version=version)
    viewer = seeded_user(running, "dashboard.viewer")["id"]
    response = requests.patch(f"{running.url}/api/users/{viewer}", auth=ADMIN, timeout=10,
                              data="null",
                              headers={"Content-Type": "application/json-patch+json"})
    message = {
        "2.41": 'Cannot invoke "org.hisp.dhis.commons.jackson.jsonpatch.JsonPatch.getOperations()"'
                ' because "patch" is null',
        "2.42": 'Cannot invoke "org.hisp.dhis.common.BaseIdentifiableObject.setId(long)" because '
                '"patchedObject" is null',
    }
    if version == "2.43":
        assert response.status_code == 400, response.text
        assert response.json()["message"].startswith(
            "Required request body is missing: public org.hisp.dhis.dxf2.webmessage.WebMessage "
            "org.hisp.dhis.webapi.controller.AbstractCrudController.patchObject(")
    else:
        assert (response.status_code, response.json()["message"]) == (500, message[version])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_paths_outside_the_schema_are_refused_before_any_operation(
        sandbox_factory, version: str) -> None:
    # JsonPatchManager#validatePatchPath (2.41.9 :146-157, 2.42.5 :148-159, 2.43.1 :149-160)
    # looks up the first segment of every path (JsonPointer#getMatchingProperty) in the
    # schema before the patch is applied: a JsonPatchException, CrudControllerAdvice
    # #handleBadRequest → 400 without errorCode, nothing changed.
    url = sandbox_factory(version=version).url
    assert requests.post(f"{url}/api/dataElements", json={
        k: v for k, v in DE.items() if k != "code"}, auth=ADMIN, timeout=10).status_code == 201

    def patch(*ops: dict[str, object]) -> requests.Response:
        return requests.patch(f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10,
                              json=list(ops),
                              headers={"Content-Type": "application/json-patch+json"})

    for ops, name in (
            ([{"op": "replace", "path": "/nosuch", "value": 1}], "nosuch"),
            ([{"op": "add", "path": "/a/b", "value": 1}], "a"),
            ([{"op": "add", "path": "/-", "value": 1}], "-"),
            ([{"op": "remove", "path": "/0"}], "0"),
            ([{"op": "replace", "path": "", "value": {}}], "null"),
            ([{"op": "remove-by-id", "path": "/nothing", "id": "lsUid000009"}], "nothing"),
            # the first operation is valid, but none runs: the check comes first
            ([{"op": "replace", "path": "/code", "value": "SCDI_DE_9"},
              {"op": "remove", "path": "/nosuch"}], "nosuch")):
        response = patch(*ops)
        assert (response.status_code, response.json()) == (400, {
            "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": f"Property {name} does not exist on Schema"}), ops
    assert "code" not in _get(url, "/api/dataElements/deUid000001", fields="code").json()
    # a nested path under a schema property passes the check (only the first segment counts)
    nested = patch({"op": "add", "path": "/aggregationLevels/0", "value": 2})
    assert nested.status_code == 200, nested.text


def test_put_user_answers_an_import_report(fresh_sandbox: RunningSandbox) -> None:
    # UserController#putJsonObject overrides the generic PUT: `importReport(updateUser(…))` with
    # ImportReportMode.FULL (2.41.9 UserController.java:610, 2.42.5 :629, 2.43.1 :584);
    # WebMessageUtils#importReport: 200 ImportReport, or 409 WARNING when the import is not OK.
    url = fresh_sandbox.url
    uid = seeded_user(fresh_sandbox, "group.leader")["id"]
    account = _get(url, f"/api/users/{uid}", fields=":owner").json()
    put = requests.put(f"{url}/api/users/{uid}", json={**account, "firstName": "Lan"},
                       auth=ADMIN, timeout=10)
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["status"] == "OK" and body["httpStatusCode"] == 200
    response = body["response"]
    assert response["responseType"] == "ImportReport" and response["status"] == "OK"
    assert response["stats"] == {"created": 0, "updated": 1, "deleted": 0, "ignored": 0,
                                 "total": 1}
    [type_report] = response["typeReports"]
    assert type_report["klass"] == "org.hisp.dhis.user.User"
    assert [o["uid"] for o in type_report["objectReports"]] == [uid]
    bad = requests.put(f"{url}/api/users/{uid}", json={**account, "surname": None},
                       auth=ADMIN, timeout=10)
    assert bad.status_code == 409, bad.text
    assert bad.json()["status"] == "WARNING"
    assert bad.json()["message"] == (
        "One or more errors occurred, please see full details in import report.")
    assert bad.json()["response"]["responseType"] == "ImportReport"
    assert bad.json()["response"]["status"] == "ERROR"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_put_user_below_api_38_answers_the_bare_import_report_on_2_41(sandbox_factory, version) -> None:
    # 2.41.9 UserController#putJsonObject `.withPlainResponseBefore(DhisApiVersion.V38)` (:610):
    # WebMessageControllerAdvice#isPlainResponse (:94-99) writes `/api/37/…` the
    # ImportReportWebMessageResponse alone, before the WebMessage's status is set (200 even when
    # the import fails); 2.42.5 / 2.43.1 have no such method: the WebMessage at every path.
    running = sandbox_factory(version=version)
    url = running.url
    uid = seeded_user(running, "group.leader")["id"]
    account = _get(url, f"/api/users/{uid}", fields=":owner").json()
    for path, plain in ((f"/api/37/users/{uid}", version == "2.41"), (f"/api/38/users/{uid}", False)):
        put = requests.put(f"{url}{path}", json={**account, "firstName": "Lan"}, auth=ADMIN, timeout=10)
        assert put.status_code == 200, put.text
        body = put.json()
        report = body if plain else body["response"]
        assert ("httpStatusCode" in body) is not plain
        assert report["responseType"] == "ImportReport" and report["status"] == "OK"
        bad = requests.put(f"{url}{path}", json={**account, "email": "nope"}, auth=ADMIN, timeout=10)
        assert bad.status_code == (200 if plain else 409), bad.text
        assert (bad.json() if plain else bad.json()["response"])["status"] == "ERROR"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_put_without_update_access_is_403_before_the_import(sandbox_factory, version) -> None:
    # The store's getByUid filters by sharing only (users are not shareable), so the user is
    # found; UserController#updateUser then refuses without AclService#canUpdate
    # (ForbiddenException "... update this user.", E1006: 2.41.9 :620, 2.42.5 :639, 2.43.1 :594),
    # and AbstractCrudController#putJsonObject likewise "... update this object.".
    running = sandbox_factory(version=version)
    url = running.url
    officer = ("province.officer", "district")
    put = requests.put(f"{url}/api/users/xE7jOejl9FI", json={"username": "admin", "firstName": "A",
                                                             "surname": "B"}, auth=officer, timeout=10)
    assert put.status_code == 403, put.text
    assert put.json() == {"httpStatus": "Forbidden", "httpStatusCode": 403, "status": "ERROR",
                          "message": "You don't have the proper permissions to update this user.",
                          "errorCode": "E1006"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_user_refusals_before_the_import_are_conflicts(sandbox_factory, version) -> None:
    # UserController#updateUser, after canUpdate: canAddOrUpdateUser (F_USER_ADD, or
    # F_USER_ADD_WITHIN_MANAGED_GROUP and a listed group the caller manages) and canModifyUser
    # (the stored user's authorities among the caller's), else ConflictException (409 E1004):
    # 2.41.9 :636-641, 2.42.5 :655-660, 2.43.1 :610-615.
    running = sandbox_factory(version=version)
    url = running.url
    setup = post_metadata(url, {
        "userRoles": [{"id": "roleUsrMgr1", "name": "Quản lý tài khoản",
                       "authorities": ["F_USER_ADD_WITHIN_MANAGED_GROUP", "F_USER_VIEW"]},
                      {"id": "roleViewer1", "name": "Xem tài khoản", "authorities": ["F_USER_VIEW"]}],
        "userGroups": [{"id": "grpManager1", "name": "Nhóm quản lý", "managedGroups": [{"id": "grpManaged1"}]},
                       {"id": "grpManaged1", "name": "Nhóm được quản lý"},
                       {"id": "grpOther001", "name": "Nhóm khác"}],
        "users": [{"id": "usrManager1", "username": "account.manager", "password": "Synthetic-2025!",
                   "firstName": "Quan", "surname": "Ly", "userRoles": [{"id": "roleUsrMgr1"}]},
                  {"id": "usrTarget01", "username": "account.target", "password": "Synthetic-2025!",
                   "firstName": "Tai", "surname": "Khoan", "userRoles": [{"id": "roleViewer1"}]}]})
    assert setup.status_code == 200, setup.text
    manager_group = requests.put(f"{url}/api/userGroups/grpManager1", auth=ADMIN, timeout=10, json={
        "name": "Nhóm quản lý", "managedGroups": [{"id": "grpManaged1"}], "users": [{"id": "usrManager1"}]})
    assert manager_group.status_code == 200, manager_group.text
    manager = ("account.manager", "Synthetic-2025!")
    target = {"username": "account.target", "firstName": "Tai", "surname": "Khoan",
              "userRoles": [{"id": "roleViewer1"}]}

    def put(uid: str, body: dict[str, object], groups: list[str]) -> requests.Response:
        return requests.put(f"{url}/api/users/{uid}", auth=manager, timeout=10,
                            json={**body, "userGroups": [{"id": g} for g in groups]})

    conflict = {"httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
                "message": "You must have permissions to create user, or ability to manage at least "
                           "one user group for the user.", "errorCode": "E1004"}
    # no managed group among those sent
    for groups in ([], ["grpOther001"]):
        refused = put("usrTarget01", target, groups)
        assert (refused.status_code, refused.json()) == (409, conflict), groups
    # a managed group, but the stored user holds authorities the manager lacks
    leader = seeded_user(running, "group.leader")
    refused = put(leader["id"], {k: leader[k] for k in ("username", "firstName", "surname", "userRoles")},
                  ["grpManaged1"])
    assert (refused.status_code, refused.json()) == (409, conflict)
    # POST: the same check after canCreate, then each group must take a new member
    def post(body: dict[str, object], auth: tuple[str, str] = manager) -> tuple[int, str, str]:
        answer = requests.post(f"{url}/api/users", auth=auth, timeout=10, json={
            "username": "account.new", "password": "Synthetic-2025!", "firstName": "Moi", "surname": "Tao",
            "userRoles": [{"id": "roleViewer1"}], **body})
        return answer.status_code, answer.json()["message"], answer.json().get("errorCode")

    assert post({"userGroups": [{"id": "grpOther001"}]}) == (409, conflict["message"], "E1004")
    assert post({"userGroups": [{"id": "grpManaged1"}]}) == (
        409, "You don't have permissions to add user to user group: grpManaged1", "E1004")
    # the groups are checked in the order of User#getGroups, the HashSet of the sent stubs
    # (BaseIdentifiableObject#hashCode over uid, code and name), not in the order listed
    assert post({"userGroups": [{"id": "grpOther001"}, {"id": "grpManaged1"}]}) == (
        409, "You don't have permissions to add user to user group: grpManaged1", "E1004")
    assert post({"userGroups": [{"id": "grpManaged1", "name": "Nhóm được quản lý"},
                                {"id": "grpOther001"}]}) == (
        409, "You don't have permissions to add user to user group: grpOther001", "E1004")
    assert post({}, auth=("dashboard.viewer", "district")) == (
        403, "You don't have the proper permissions to create this object.", "E1006")
    # both checks pass: the import runs and answers its report
    passed = put("usrTarget01", target, ["grpManaged1"])
    assert passed.status_code == 200 and passed.json()["response"]["responseType"] == "ImportReport", passed.text


def test_authorities_given_as_constants_are_checked(fresh_sandbox: RunningSandbox) -> None:
    # ProgramStageSectionSchemaDescriptor (Lists.newArrayList("F_PROGRAMSTAGE_ADD")) and
    # LegendSetSchemaDescriptor (List.of(F_LEGEND_SET_PUBLIC_ADD.toString())) name their
    # authorities as list literals and Authorities constants; a user holding none of them gets
    # E3000 (2.42.5). (A shareable type asks CREATE_PUBLIC / CREATE_PRIVATE only, so program
    # stages, which name CREATE alone, are open: test_can_delete.py.)
    viewer = ("dashboard.viewer", "district")
    for key, klass, obj in (
            ("programStageSections", "ProgramStageSection",
             {"id": "psUid000009", "name": "Buổi gặp", "programStage": {"id": "psUid000008"}}),
            ("legendSets", "LegendSet", {"id": "lsUid000009", "name": "Mức độ"})):
        response = post_metadata(fresh_sandbox.url, {key: [obj]}, auth=viewer)
        assert response.status_code == 409, response.text
        reports = [e for t in response.json()["response"]["typeReports"]
                   for o in t["objectReports"] for e in o["errorReports"]]
        # SecurityCheck's second arg is the object's identifiers with its name, not the type
        assert any(e["errorCode"] == "E3000" and e["message"].endswith(
            f"is not allowed to create objects of type {obj['name']} [{obj['id']}] ({klass})")
            for e in reports), reports


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e3000_names_the_user_by_the_import_identifier_on_2_41(sandbox_factory, version: str) -> None:
    # SecurityCheck: 2.41.9 passes the User to the generic PreheatIdentifier#getIdentifiersWithName
    # (identifier=CODE → the user's code, `[null]` without one); 2.42.5/2.43.1 the uid always.
    running = sandbox_factory(version=version)
    response = post_metadata(running.url, {"dataElements": [{**DE, "code": "DE_CODE_1"}]},
                             auth=("dashboard.viewer", "district"), identifier="CODE")
    errors = response.json()["response"]["typeReports"][0]["objectReports"][0]["errorReports"]
    assert errors[0]["errorCode"] == "E3000"
    who = "[null]" if version == "2.41" else "[JO1ai97Xa60]"
    assert errors[0]["message"].startswith(f"User `Người Xem {who} (User)`"), errors[0]["message"]


def test_user_without_authority_gets_e3000(fresh_sandbox: RunningSandbox) -> None:
    response = post_metadata(fresh_sandbox.url, {"dataElements": [DE]},
                             auth=("dashboard.viewer", "district"))
    assert response.status_code == 409
    errors = response.json()["response"]["typeReports"][0]["objectReports"][0]["errorReports"]
    assert errors[0]["errorCode"] == "E3000"
    assert errors[0]["message"].endswith(
        f"is not allowed to create objects of type {DE['name']} [{DE['id']}] (DataElement)")
    delete = requests.delete(f"{fresh_sandbox.url}/api/organisationUnits/"
                             + _get(fresh_sandbox.url, "/api/organisationUnits",
                                    filter="code:eq:VN-79-C001").json()
                             ["organisationUnits"][0]["id"],
                             auth=("dashboard.viewer", "district"), timeout=10)
    assert delete.status_code == 403


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_post_without_create_authority_is_403_before_the_import(sandbox_factory, version) -> None:
    # AbstractCrudController#postObject asks AclService#canCreate(user, klass) after reading the
    # body: a shareable type needs its CREATE_PUBLIC or CREATE_PRIVATE authority, another its
    # CREATE one (2.41.9 :340-341, 2.42.5 :313-314, 2.43.1 :298-299).
    url = sandbox_factory(version=version).url
    viewer = ("dashboard.viewer", "district")
    refused = {"httpStatus": "Forbidden", "httpStatusCode": 403, "status": "ERROR",
               "message": "You don't have the proper permissions to create this object.",
               "errorCode": "E1006"}
    for plural, body in (("dataElements", DE),
                         ("organisationUnits", {"name": "Xã Thử", "shortName": "Xã Thử",
                                                "openingDate": "2020-01-01"}),
                         ("dataElements", None)):
        # a JSON null too: the refusal comes before `parsed.getTranslations()`
        response = requests.post(f"{url}/api/{plural}", data=json.dumps(body), auth=viewer,
                                 timeout=10, headers={"Content-Type": "application/json"})
        assert (response.status_code, response.json()) == (403, refused), (plural, response.text)
    assert _get(url, "/api/dataElements/deUid000001").status_code == 404
    # a body that does not read fails first
    broken = requests.post(f"{url}/api/dataElements", data="{", auth=viewer, timeout=10,
                           headers={"Content-Type": "application/json"})
    assert broken.status_code != 403 and "Unexpected end-of-input" in broken.json()["message"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_post_clears_the_translations_it_was_sent(sandbox_factory, version) -> None:
    # AbstractCrudController#postObject: `parsed.getTranslations().clear()` after canCreate
    # (2.41.9 :344, 2.42.5 :317, 2.43.1 :302); PUT and POST /api/metadata keep them
    url = sandbox_factory(version=version).url
    french = [{"property": "NAME", "locale": "fr", "value": "Ensemble"}]
    created = requests.post(f"{url}/api/optionSets", json={
        "name": "Translated set", "valueType": "TEXT", "translations": french}, auth=ADMIN, timeout=10)
    assert created.status_code == 201, created.text
    uid = created.json()["response"]["uid"]
    assert _get(url, f"/api/optionSets/{uid}", fields="translations").json() == {"translations": []}
    put = requests.put(f"{url}/api/optionSets/{uid}", json={
        "name": "Translated set", "valueType": "TEXT", "translations": french}, auth=ADMIN, timeout=10)
    assert put.status_code == 200, put.text
    assert _get(url, f"/api/optionSets/{uid}", fields="translations").json() == {"translations": french}


def test_metadata_export_system_first_and_per_type_fields(fresh_sandbox: RunningSandbox
                                                          ) -> None:
    url = fresh_sandbox.url
    post_metadata(url, {"dataElements": [DE]})
    body = _get(url, "/api/metadata", dataElements="true",
                **{"dataElements:fields": "id,name"}).json()
    assert next(iter(body)) == "system" and set(body["system"]) == {"id", "rev", "version", "date"}
    assert body["dataElements"] == [{"id": "deUid000001", "name": DE["name"]}]
    # #getMetadata keeps only the types whose query found objects: the default combo excluded,
    # nothing is left of categoryCombos
    full = _get(url, "/api/metadata", categoryCombos="true", defaults="EXCLUDE").json()
    assert "categoryCombos" not in full


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_metadata_export_system_date_has_the_offset(sandbox_factory, version: str) -> None:
    # DefaultMetadataExportService#getMetadataAsObjectNodeStream: DateUtils#toIso8601, whose
    # pattern ends in `Z` (2.41.9 :282, 2.42.5 :283, 2.43.1 :298)
    body = _get(sandbox_factory(version=version).url, "/api/metadata",
                dataElements="true").json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000",
                        body["system"]["date"]), body["system"]


def test_metadata_export_defaults_is_an_enum_name(fresh_sandbox: RunningSandbox) -> None:
    # DefaultMetadataExportService#getParamsFromMap reads `defaults` with Defaults.valueOf:
    # case-sensitive, and any other value is a 400 from CrudControllerAdvice's
    # IllegalArgumentException handler, without an errorCode (2.41.9, 2.42.5, 2.43.1).
    for value in ("exclude", "NONE", ""):
        response = _get(fresh_sandbox.url, "/api/metadata", categoryCombos="true",
                        defaults=value)
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["message"] == f"No enum constant org.hisp.dhis.fieldfilter.Defaults.{value}"
        assert "errorCode" not in body




@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_metadata_export_types_chosen_as_get_params_from_map_reads_them(
        sandbox_factory, version: str) -> None:
    # DefaultMetadataExportService#getParamsFromMap: a value `false` unchooses a type
    # (#isSelectedClass), `<type>:<fields|filter|order>` chooses it in any case, another
    # suffix does not; a type with its own order is queried without the default filter;
    # #getMetadata leaves out a type whose query found nothing (2.41.9, 2.42.5, 2.43.1).
    url = sandbox_factory(version=version).url

    def types(**params: str) -> dict[str, object]:
        body = requests.get(f"{url}/api/metadata", params=params, auth=ADMIN, timeout=10).json()
        return {k: v for k, v in body.items() if k != "system"}

    assert set(types(organisationUnitLevels="TRUE")) == {"organisationUnitLevels"}
    everything = set(types())
    assert set(types(**{"organisationUnitLevels": ["true", "false"]})) == everything
    assert set(types(**{"organisationUnitLevels:foo": "x"})) == everything
    chosen = types(**{"organisationUnitLevels:FIELDS": "id", "organisationUnits:Order": "name:desc",
                      "filter": "level:eq:2"})
    assert set(chosen) == {"organisationUnitLevels", "organisationUnits"}
    assert all(set(level) == {"id"} for level in chosen["organisationUnitLevels"])
    assert len(chosen["organisationUnitLevels"]) == 1  # the default filter applies here only
    assert len(chosen["organisationUnits"]) > 50
    assert types(validationRules="true", categoryCombos="true", defaults="EXCLUDE") == {}
# Types DefaultMetadataExportService#getMetadata leaves out when no type is chosen: the
# secondary metadata (Schema#isSecondaryMetadata) and DEPRECATED_ANALYTICS_SCHEMAS.
_LEFT_OUT_BY_DEFAULT = {
    "2.41": {"jobConfigurations", "eventCharts", "eventReports"},
    "2.42": {"jobConfigurations", "eventCharts", "eventReports", "oAuth2Authorizations",
             "oAuth2AuthorizationConsents"},
    "2.43": {"jobConfigurations", "eventCharts", "eventReports", "oAuth2Authorizations",
             "oAuth2AuthorizationConsents"},
}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_secondary_metadata_is_the_releases_secondary_metadata_objects(version: str) -> None:
    # Schema#isSecondaryMetadata, SecondaryMetadataObject.class.isAssignableFrom (2.41.9 :226,
    # 2.42.5 :228, 2.43.1 :235), generated into data/schema_registry/<tag>.json
    secondary = {t.plural for t in registry.all_types(version) if t.secondary_metadata}
    assert secondary == _LEFT_OUT_BY_DEFAULT[version] - {"eventCharts", "eventReports"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_metadata_export_without_types_leaves_out_secondary_and_deprecated_types(
        sandbox_factory, version: str) -> None:
    # DefaultMetadataExportService#getMetadata with no type chosen (2.41.9 :162-170, 2.42.5
    # :163-171, 2.43.1 :164-172): `!s.isSecondaryMetadata()` (JobConfiguration; from 2.42.5
    # Dhis2OAuth2Authorization and Dhis2OAuth2AuthorizationConsent) and DEPRECATED_ANALYTICS_SCHEMAS
    # (EventChart, EventReport); #getParamsFromMap still exports each when chosen by name.
    url = sandbox_factory(version=version).url
    program = {"id": "prgExport01", "name": "Export program", "shortName": "Export program",
               "programType": "WITHOUT_REGISTRATION"}
    payload: dict[str, list[dict[str, object]]] = {
        "programs": [program],
        "jobConfigurations": [{"id": "jobExport01", "name": "Nightly integrity",
                               "jobType": "DATA_INTEGRITY", "jobStatus": "SCHEDULED",
                               "schedulingType": "CRON", "cronExpression": "0 0 3 ? * *"}],
        "eventCharts": [{"id": "evcExport01", "name": "Visits chart", "type": "COLUMN",
                         "program": {"id": "prgExport01"}}],
        "eventReports": [{"id": "evrExport01", "name": "Visits report", "type": "PIVOT_TABLE",
                          "program": {"id": "prgExport01"}}],
    }
    if version != "2.41":
        payload["oAuth2Authorizations"] = [{
            "id": "oauExport01", "name": "Synthetic authorization",
            "registeredClientId": "synthetic-client", "principalName": "admin",
            "authorizationGrantType": "authorization_code"}]
        payload["oAuth2AuthorizationConsents"] = [{
            "id": "oacExport01", "name": "Synthetic consent",
            "registeredClientId": "synthetic-client", "principalName": "admin",
            "authorities": "SCOPE_openid"}]
    imported = post_metadata(url, payload)
    assert imported.status_code == 200, imported.text
    left_out = _LEFT_OUT_BY_DEFAULT[version]
    assert left_out == set(payload) - {"programs"}
    everything = _get(url, "/api/metadata").json()
    assert "programs" in everything
    assert not left_out & set(everything)
    chosen = _get(url, "/api/metadata", **{plural: "true" for plural in left_out}).json()
    assert set(chosen) == {"system"} | left_out
    assert [job["id"] for job in chosen["jobConfigurations"]] == ["jobExport01"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_legacy_public_access_is_not_a_property(sandbox_factory, version: str) -> None:
    # BaseIdentifiableObject#setPublicAccess (and the user, user group and, 2.42.5 only,
    # external access setters) has no @JsonProperty and JacksonObjectMapperConfig disables
    # setter auto-detection: the import drops them (2.41.9/2.42.5/2.43.1).
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
    before = _get(url, "/api/dataElements/deUid000001", fields="sharing").json()["sharing"]
    legacy = {"publicAccess": "--------", "externalAccess": True,
              "userAccesses": [{"id": "xE7jOejl9FI", "access": "rw------"}],
              "userGroupAccesses": []}
    response = post_metadata(url, {"dataElements": [{**DE, **legacy}]})
    assert response.status_code == 200, response.text
    after = _get(url, "/api/dataElements/deUid000001", fields=":owner").json()
    assert not set(legacy) & set(after)
    assert after["sharing"] == before
    response = requests.put(f"{url}/api/dataElements/deUid000001", json={**DE, **legacy},
                            auth=ADMIN, timeout=10)
    assert response.status_code == 200, response.text
    assert _get(url, "/api/dataElements/deUid000001", fields="sharing").json()["sharing"] == before


def test_failed_create_answers_error_status(fresh_sandbox: RunningSandbox) -> None:
    # AbstractCrudController#postObject: objectReport(...) is WARNING/409 with errors, and a
    # create that is not OK gets status ERROR (2.41.9, 2.42.5, 2.43.1).
    response = requests.post(f"{fresh_sandbox.url}/api/dataElements", json={"name": "x"},
                             auth=ADMIN, timeout=10)
    assert response.status_code == 409
    body = response.json()
    assert (body["httpStatus"], body["status"]) == ("Conflict", "ERROR")
    assert body["message"] == ("One or more errors occurred, please see full details in import "
                               "report.")
    assert body["response"]["responseType"] == "ObjectReport"
    assert body["response"]["errorReports"][0]["errorCode"] == "E4000"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_write_answers_per_method(sandbox_factory, version: str) -> None:
    # AbstractCrudController: #postObject 201 with a Location under the API path, #putJsonObject
    # and #patchObject 200, each turning a report that is not OK into status ERROR; #deleteObject
    # answers WebMessageUtils#objectReport as it is, WARNING/409 with errors.
    # WebMessageControllerAdvice#beforeBodyWrite adds Cache-Control to the 4xx answers.
    url = sandbox_factory(version=version).url
    created = requests.post(f"{url}/api/dataElements", json=DE, auth=ADMIN, timeout=10)
    assert (created.status_code, created.json()["httpStatus"]) == (201, "Created")
    assert created.headers["Location"] == f"{url}/api/dataElements/deUid000001"
    patch = requests.patch(
        f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10,
        data='[{"op": "remove", "path": "/valueType"}]',
        headers={"Content-Type": "application/json-patch+json"})
    body = patch.json()
    assert (patch.status_code, body["status"], body["response"]["responseType"]) == (
        409, "ERROR", "ObjectReport")
    assert body["response"]["errorReports"][0]["errorCode"] == "E4000"
    # WebMessageControllerAdvice#beforeBodyWrite: a 4xx WebMessage gets no-cache, private
    assert patch.headers["Cache-Control"] == "no-cache, private"
    assert "Cache-Control" not in created.headers
    units = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10, params={
        "fields": "id,children~size", "paging": "false"}).json()["organisationUnits"]
    parent = next(unit["id"] for unit in units if unit["children"])
    refused = requests.delete(f"{url}/api/organisationUnits/{parent}", auth=ADMIN, timeout=10)
    assert (refused.status_code, refused.json()["status"]) == (409, "WARNING")
    assert refused.headers["Cache-Control"] == "no-cache, private"
    deleted = requests.delete(f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10)
    assert (deleted.status_code, deleted.json()["status"]) == (200, "OK")
    assert deleted.json()["response"]["uid"] == "deUid000001"


def test_not_empty_filter_from_2_42(sandbox_factory) -> None:
    # NotEmptyOperator / DefaultQueryParser `!empty` (2.42.5, 2.43.1); 2.41.9's
    # DefaultJpaQueryParser has no such case: "`!empty` is not a valid operator." (400 E1003 on
    # a list, AbstractFullReadOnlyController#getEntityList).
    for version in ("2.41", "2.42", "2.43"):
        running = sandbox_factory(version=version)
        response = requests.get(f"{running.url}/api/categoryCombos", auth=ADMIN, timeout=10,
                                params={"filter": "categories:!empty"})
        if version == "2.41":
            assert response.status_code == 400
            assert response.json()["message"] == "`!empty` is not a valid operator."
            assert response.json()["errorCode"] == "E1003"
        else:
            assert response.status_code == 200
            assert [c["id"] for c in response.json()["categoryCombos"]] == ["bjDvmb4bfuf"]


def test_read_authority_is_the_releases_own(sandbox_factory) -> None:
    # SmsCommandSchemaDescriptor.java: no READ authority at 2.41.9 (anyone may list SMS
    # commands), READ F_MOBILE_SENDSMS from 2.42.5 (AclService#canRead → 403 E1006).
    viewer = ("dashboard.viewer", "district")
    for version, status in (("2.41", 200), ("2.42", 403), ("2.43", 403)):
        running = sandbox_factory(version=version)
        response = requests.get(f"{running.url}/api/smsCommands", auth=viewer, timeout=10)
        assert response.status_code == status, (version, response.text)


def test_import_reads_only_the_releases_types(sandbox_factory) -> None:
    # PushAnalysisSchemaDescriptor.java (CREATE F_PUSH_ANALYSIS_ADD) is registered at 2.42.5, so
    # a user without it gets E3000; 2.43.1 registers none, so DefaultRenderService#fromMetadata
    # skips the key and nothing is imported.
    viewer = ("dashboard.viewer", "district")
    payload = {"pushAnalysis": [{"id": "paUid000001", "name": "Báo cáo tuần"}]}
    older = post_metadata(sandbox_factory(version="2.42").url, payload, auth=viewer)
    assert older.status_code == 409, older.text
    reports = [e for t in older.json()["response"]["typeReports"]
               for o in t["objectReports"] for e in o["errorReports"]]
    # every check of the chain runs before the removals: the schema check's E4000 for the
    # missing `dashboard` (PushAnalysis.hbm.xml: a not-null many-to-one) follows
    assert [(e["errorCode"], e.get("errorProperty")) for e in reports] == [
        ("E3000", None), ("E4000", "dashboard")]
    assert reports[0]["message"].endswith(
        "is not allowed to create objects of type Báo cáo tuần [paUid000001] (PushAnalysis)")
    newer = post_metadata(sandbox_factory(version="2.43").url, payload, auth=viewer)
    assert newer.status_code == 200, newer.text
    assert newer.json()["response"]["stats"]["total"] == 0
    assert newer.json()["response"]["typeReports"] == []


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_get_of_an_id_that_is_not_eleven_alphanumerics(sandbox_factory: Callable[..., RunningSandbox],
                                                      version: str) -> None:
    # 2.42.5/2.43.1 AbstractFullReadOnlyController maps getObject and getObjectProperty to
    # `/{uid:[a-zA-Z0-9]{11}}` (2.42.5 :398/:435, 2.43.1 :402/:439), so another id matches only
    # AbstractCrudController's PUT/DELETE `/{uid}` and `/{uid}/{property}`: Spring's
    # RequestMappingInfoHandlerMapping#handleNoMatch throws HttpRequestMethodNotSupportedException,
    # which CrudControllerAdvice answers 405. 2.41.9 maps `/{uid}` (:411) and reaches getEntity.
    url = sandbox_factory(version=version).url
    one = _get(url, "/api/userGroups/abc")
    prop = _get(url, "/api/userGroups/abc/users")
    if version == "2.41":
        assert one.status_code == 404
        assert one.json()["message"] == "UserGroup with id abc could not be found."
        assert prop.status_code == 404
        return
    for answer in (one, prop):
        assert answer.status_code == 405, answer.text
        assert answer.json() == {"httpStatus": "Method Not Allowed", "httpStatusCode": 405,
                                 "status": "ERROR",
                                 "message": "Request method 'GET' is not supported"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_read_only_controller_has_no_handler_for_an_id_that_is_not_eleven_alphanumerics(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # MapViewController (2.42.5 and 2.43.1 :60-63; 2.42.5 maps it though MapView's schema is not
    # registered) and OAuth2AuthorizationController extend AbstractFullReadOnlyController alone:
    # no PUT/DELETE `/{uid}` matches `abc`, so only WebMvcConfig's `/**` resource handler does
    # and the container writes its 404 page for the NoResourceFoundException.
    url = sandbox_factory(version=version).url
    for path, within in (("/api/mapViews/abc", "api&#47;mapViews&#47;abc"),
                         ("/api/mapViews/abc/name", "api&#47;mapViews&#47;abc&#47;name"),
                         ("/api/oAuth2Authorizations/abc", "api&#47;oAuth2Authorizations&#47;abc")):
        answer = _get(url, path)
        assert answer.status_code == 404, (path, answer.text)
        if version == "2.41":
            # `/{uid}` takes any id (and 2.41.9 has no OAuth2AuthorizationController); the
            # sandbox does not model 2.41's MapViewController: its "No type" 404
            assert answer.headers["Content-Type"].startswith("application/json"), path
            continue
        assert answer.headers["Content-Type"] == "text/html;charset=utf-8", path
        assert answer.text == _page(version, f"No static resource {within}."), path


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_get_of_a_mapped_id_that_is_no_uid(sandbox_factory: Callable[..., RunningSandbox],
                                            version: str) -> None:
    # `1bcdefghijk` matches `{uid:[a-zA-Z0-9]{11}}`, but 2.43.1 binds it as `@PathVariable UID`
    # (AbstractFullReadOnlyController :404/:441) and UID#of wants a letter first: the
    # MethodArgumentTypeMismatchException is a 400 before canRead and cachePrivate run (its
    # Cache-Control is WebMessageControllerAdvice's). 2.41.9 and 2.42.5 take a String and reach
    # getEntity: 404.
    url = sandbox_factory(version=version).url
    one = _get(url, "/api/dataElements/1bcdefghijk")
    prop = _get(url, "/api/dataElements/1bcdefghijk/name")
    if version != "2.43":
        assert one.status_code == 404, one.text
        assert one.json()["message"] == "DataElement with id 1bcdefghijk could not be found."
        assert prop.status_code == 404
        return
    for answer in (one, prop):
        assert answer.status_code == 400, answer.text
        assert answer.json() == {
            "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": "Value '1bcdefghijk' is not valid for path parameter uid. UID must be an "
                       "alphanumeric string of 11 characters starting with a letter, but was: "
                       "1bcdefghijk"}
        assert answer.headers["Cache-Control"] == "no-cache, private"


JACKSON_AT = ("\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
              "line: {line}, column: {column}]")


def test_an_array_body_is_jacksons_500(fresh_sandbox: RunningSandbox) -> None:
    # AbstractCrudController#deserializeJsonEntity: at 2.42.5 (the shared sandbox) the
    # MismatchedInputException is an IOException only CrudControllerAdvice#defaultExceptionHandler
    # takes (500, no errorCode); 2.43.1 answers it 409 (test_crud_bodies_are_read_by_jackson_not_by_spring)
    url = fresh_sandbox.url
    listed = requests.post(f"{url}/api/dataElements", data=b"[]", auth=ADMIN, timeout=10,
                           headers={"Content-Type": "application/json"})
    assert listed.status_code == 500
    assert listed.json() == {
        "httpStatus": "Internal Server Error", "httpStatusCode": 500, "status": "ERROR",
        "message": "Cannot deserialize value of type `org.hisp.dhis.dataelement.DataElement` "
                   "from Array value (token `JsonToken.START_ARRAY`)"
                   + JACKSON_AT.format(line=1, column=1)}
    spaced = requests.post(f"{url}/api/dataElements", data=b'\n  [{"name": "x"}]', auth=ADMIN,
                           timeout=10, headers={"Content-Type": "application/json"})
    assert spaced.status_code == 500 and "errorCode" not in spaced.json()
    assert spaced.json()["message"].endswith(JACKSON_AT.format(line=2, column=3))


def test_put_checks_update_access_before_reading_the_body(sandbox_factory) -> None:
    # AbstractCrudController#putJsonObject: getEntity, canUpdate, then deserializeJsonEntity
    running = sandbox_factory(version="2.42")
    assert post_metadata(running.url, {"dataElements": [DE]}).status_code == 200
    viewer = ("dashboard.viewer", "district")
    put = requests.put(f"{running.url}/api/dataElements/{DE['id']}", data=b"[]", auth=viewer,
                       timeout=10, headers={"Content-Type": "application/json"})
    assert put.status_code == 403 and put.json()["errorCode"] == "E1006", put.text


def test_single_object_reads_are_cache_private_the_404_too(fresh_sandbox: RunningSandbox) -> None:
    # AbstractFullReadOnlyController#getObject / #getObjectProperty call #cachePrivate after
    # canRead and before getEntity: the 404 of an unknown uid keeps the header; the 403 gets the
    # same value from WebMessageControllerAdvice#beforeBodyWrite (a 4xx WebMessage)
    url = fresh_sandbox.url
    for path, status in (("/api/users/xE7jOejl9FI", 200), ("/api/users/xE7jOejl9FI/name", 200),
                         ("/api/userRoles/Abcdefghij1", 404), ("/api/userRoles/Abcdefghij1/name", 404)):
        r = requests.get(url + path, auth=ADMIN, timeout=10)
        assert (r.status_code, r.headers.get("Cache-Control")) == (status, "no-cache, private"), path
    refused = requests.get(f"{url}/api/users/xE7jOejl9FI", auth=("dashboard.viewer", "district"),
                           timeout=10)
    assert refused.status_code == 403 and refused.headers["Cache-Control"] == "no-cache, private"


_SOURCE = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "


def _send(url: str, method: str, path: str, body: bytes,
          content_type: str = "application/json") -> requests.Response:
    return requests.request(method, f"{url}{path}", data=body, auth=ADMIN, timeout=10,
                            headers={"Content-Type": content_type})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_patch_whose_root_is_no_array_is_jacksons_mismatch(sandbox_factory, version) -> None:
    # JsonPatch binds through `@JsonCreator JsonPatch(List<JsonPatchOperation>)`, a delegating
    # creator: a root that is no array is CollectionDeserializer#handleNonArray's
    # MismatchedInputException, 2.43's @RequestBody 400 "JSON parse error: …", 2.41/2.42's
    # readValue JsonMappingException through #defaultExceptionHandler (500, with the location)
    url = sandbox_factory(version=version).url
    original = ("Cannot deserialize value of type `java.util.ArrayList<org.hisp.dhis.commons."
                "jackson.jsonpatch.JsonPatchOperation>` from Object value (token "
                "`JsonToken.START_OBJECT`)")
    answer = requests.patch(f"{url}/api/categoryCombos/bjDvmb4bfuf", data=b'{"op": "add"}',
                            auth=ADMIN, timeout=10,
                            headers={"Content-Type": "application/json-patch+json"})
    if version == "2.43":
        assert answer.status_code == 400
        assert answer.json()["message"] == f"JSON parse error: {original}"
    else:
        assert answer.status_code == 500
        assert answer.json()["message"] == (
            f"{original}\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` "
            "disabled); line: 1, column: 1]")


def test_crud_bodies_are_read_by_jackson_not_by_spring(sandbox_factory) -> None:
    # AbstractCrudController#postJsonObject / #putJsonObject hand request.getInputStream() to
    # DefaultRenderService#fromJson (ObjectMapper#readValue): a JsonParseException is
    # CrudControllerAdvice#jsonParseExceptionHandler's 409 at every tag, a JsonMappingException
    # (empty body, a root that is no object) 409 only at 2.43.1 (:402-411), else
    # #defaultExceptionHandler's 500; a JSON null reaches the entity's first call (NPE, 500).
    for version, mapping in (("2.41", 500), ("2.42", 500), ("2.43", 409)):
        url = sandbox_factory(version=version).url
        assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
        for method, path in (("POST", "/api/dataElements"), ("PUT", "/api/dataElements/deUid000001")):
            unreadable = _send(url, method, path, b'{"name": x}')
            assert unreadable.status_code == 409, (version, method, unreadable.text)
            assert unreadable.json() == {
                "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
                "message": "Unrecognized token 'x': was expecting (JSON String, Number, Array, "
                           "Object or token 'null', 'true' or 'false')\n at " + _SOURCE
                           + "line: 1, column: 10]"}
            eof = _send(url, method, path, b'{"name": "a"\n')
            assert eof.status_code == 409 and eof.json()["message"] == (
                "Unexpected end-of-input: expected close marker for Object (start marker at "
                + _SOURCE + "line: 1, column: 1])\n at " + _SOURCE + "line: 2, column: 1]")
            # after a comma UTF8StreamJsonParser#_skipWS2 meets the end: `_constructError`
            comma = _send(url, method, path, b'{"name": "a",\n')
            assert comma.status_code == 409 and comma.json()["message"] == (
                "Unexpected end-of-input within/between Object entries\n at " + _SOURCE
                + "line: 2, column: 1]")
            empty = _send(url, method, path, b"")
            assert empty.status_code == mapping, (version, method, empty.text)
            assert empty.json()["message"] == ("No content to map due to end-of-input\n at "
                                               + _SOURCE + "line: 1]")
            assert "errorCode" not in empty.json()
            array = _send(url, method, path, b" []")
            assert array.status_code == mapping and array.json()["message"] == (
                "Cannot deserialize value of type `org.hisp.dhis.dataelement.DataElement` from "
                "Array value (token `JsonToken.START_ARRAY`)\n at " + _SOURCE
                + "line: 1, column: 2]")
            text = _send(url, method, path, b'"x"')
            assert text.status_code == mapping and text.json()["message"].startswith(
                "Cannot construct instance of `org.hisp.dhis.dataelement.DataElement` (although "
                "at least one Creator exists): no String-argument constructor/factory method to "
                "deserialize from String value ('x')")
            blank = _send(url, method, path, b'""')
            assert blank.status_code == mapping and blank.json()["message"].startswith(
                'Cannot coerce empty String ("") to `org.hisp.dhis.dataelement.DataElement` '
                "value (but could if coercion was enabled using `CoercionConfig`)")
            number = _send(url, method, path, b"1")
            assert number.status_code == mapping and "from Number value (1)" in number.json()[
                "message"]
            # StdValueInstantiator#createFromDouble: `%s` of the double, Double#toString
            for literal, written in ((b"1e20", "1.0E20"), (b"12345678.5", "1.23456785E7"),
                                     (b"0.5", "0.5")):
                double = _send(url, method, path, literal)
                assert double.status_code == mapping and (
                    "no double/Double-argument constructor/factory method to deserialize from "
                    f"Number value ({written})") in double.json()["message"], double.text
        null_post = _send(url, "POST", "/api/dataElements", b"null")
        assert null_post.status_code == 500 and null_post.json()["message"] == (
            'Cannot invoke "org.hisp.dhis.common.IdentifiableObject.getTranslations()" because '
            '"parsed" is null')
        null_put = _send(url, "PUT", "/api/dataElements/deUid000001", b"null")
        receiver = "IdentifiableObject" if version == "2.43" else "BaseIdentifiableObject"
        assert null_put.status_code == 500 and null_put.json()["message"] == (
            f'Cannot invoke "org.hisp.dhis.common.{receiver}.setUid(String)" because "parsed" '
            'is null')
        # what follows the root value is never read (FAIL_ON_TRAILING_TOKENS is off)
        trailing = _send(url, "PUT", "/api/dataElements/deUid000001",
                         (__import__("json").dumps(DE) + " trailing").encode())
        assert trailing.status_code == 200, (version, trailing.text)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_null_user_body_fails_where_the_release_first_calls_on_it(sandbox_factory,
                                                                     version: str) -> None:
    # UserController#putJsonObject reads the body, then 2.41.9 looks the user up (404) and
    # copies the legacy credentials onto it before #updateUser asks canUpdate (:603-608):
    # User#populateUserCredentialsDtoCopyOnlyChanges calls `newUser.getUserCredentialsRaw()`,
    # so a viewer gets that 500 too. 2.42.5 (:628-647) and 2.43.1 (:583-602): #updateUser looks
    # up, asks canUpdate (403), then `inputUser.setId`.
    url = sandbox_factory(version=version).url
    admin = requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).json()["id"]
    unknown = _send(url, "PUT", "/api/users/nosuchuser1", b"null")
    assert unknown.status_code == 404, unknown.text
    null = _send(url, "PUT", f"/api/users/{admin}", b"null")
    viewer = requests.put(f"{url}/api/users/{admin}", data=b"null", timeout=10,
                          auth=("dashboard.viewer", "district"),
                          headers={"Content-Type": "application/json"})
    if version == "2.41":
        message = ('Cannot invoke "org.hisp.dhis.user.User.getUserCredentialsRaw()" because '
                   '"newUser" is null')
        assert (viewer.status_code, viewer.json()["message"]) == (500, message)
    else:
        message = 'Cannot invoke "org.hisp.dhis.user.User.setId(long)" because "inputUser" is null'
        assert viewer.status_code == 403, viewer.text
    assert (null.status_code, null.json()["message"]) == (500, message)


def test_crud_patch_media_type_first_and_its_reader_per_release(sandbox_factory) -> None:
    # consumes = "application/json-patch+json" is part of the mapping, so another media type is
    # 415 before the object is looked up, worded by Spring 5 (2.41.9) or Spring 6 (2.42.5,
    # 2.43.1: HttpMediaTypeNotSupportedException). 2.43.1 binds `@RequestBody JsonPatch`
    # (read before the lookup, HttpMessageNotReadableException 400); 2.41.9/2.42.5 read the
    # stream after it (JsonParseException 409).
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        wrong = _send(url, "PATCH", "/api/dataElements/nosuchuid01", b"[]")
        assert wrong.status_code == 415, (version, wrong.text)
        assert wrong.json()["message"] == (
            "Content type 'application/json' not supported" if version == "2.41"
            else "Content-Type 'application/json' is not supported")
        missing = _send(url, "PATCH", "/api/dataElements/nosuchuid01", b'[{"op": x}]',
                        "application/json-patch+json")
        unreadable_message = (
            "Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token "
            "'null', 'true' or 'false')")
        if version == "2.43":
            assert missing.status_code == 400, missing.text
            assert missing.json()["message"] == f"JSON parse error: {unreadable_message}"
        else:
            assert missing.status_code == 404, (version, missing.text)
            assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
            stored = _send(url, "PATCH", "/api/dataElements/deUid000001", b'[{"op": x}]',
                           "application/json-patch+json")
            assert stored.status_code == 409, (version, stored.text)
            assert stored.json()["message"] == (
                f"{unreadable_message}\n at {_SOURCE}line: 1, column: 9]")


def test_crud_post_and_put_consume_json_or_xml_only(sandbox_factory) -> None:
    # #postJsonObject / #putJsonObject (`consumes = APPLICATION_JSON_VALUE`) and, at 2.41.9,
    # their XML twins are the only POST / PUT mappings: another or no media type is 415 before the body is read
    # or the object looked up (RequestMappingInfoHandlerMapping#handleNoMatch;
    # CrudControllerAdvice#httpMediaTypeNotSupportedExceptionHandler, 2.41.9 :489-494, 2.42.5
    # :497-502, 2.43.1 :498-503), worded by Spring 5 at 2.41.9 and Spring 6 after.
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        for method, path in (("POST", "/api/dataElements"),
                             ("PUT", "/api/dataElements/nosuchuid01")):
            plain = _send(url, method, path, b"{}", "text/plain")
            assert plain.status_code == 415, (version, method, plain.text)
            assert plain.json()["message"] == (
                "Content type 'text/plain' not supported" if version == "2.41"
                else "Content-Type 'text/plain' is not supported")
            xml = _send(url, method, path, b"<dataElement/>", "application/xml")
            # only 2.41.9 maps the XML twins (`crud_consumes_xml`), whose bodies the sandbox
            # does not read (`core/xml_bodies.py`); #putXmlObject looks the object up first
            if version != "2.41":
                assert xml.json()["message"] == "Content-Type 'application/xml' is not supported"
            else:
                assert (xml.status_code, xml.json()["message"]) == (
                    (415, "XML bodies are not read by the sandbox; send JSON") if method == "POST"
                    else (404, "DataElement with id nosuchuid01 could not be found.")), xml.text
            bare = requests.request(method, f"{url}{path}", data=b"{}", auth=ADMIN, timeout=10)
            assert bare.status_code == 415, (version, method, bare.text)
            assert bare.json()["message"] == (
                "Content type '' not supported" if version == "2.41"
                else "Content-Type is not supported")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_of_a_user_under_user_credentials_per_release(sandbox_factory, version: str) -> None:
    # 2.41.9 AbstractCrudController#doPatch (:229-238) makes `/userCredentials/x` `/x` (and
    # `/userCredentials` the whole document, which validatePatchPath names "null") before the
    # patch is applied; 2.42.5 and 2.43.1 do not, and User has no `userCredentials` property
    # there (`crud_patch_user_credentials_path`).
    running = sandbox_factory(version=version)
    url = running.url
    viewer = seeded_user(running, "dashboard.viewer")["id"]

    def patch(path: str) -> requests.Response:
        return requests.patch(f"{url}/api/users/{viewer}", auth=ADMIN, timeout=10,
                              json=[{"op": "replace", "path": path, "value": True}],
                              headers={"Content-Type": "application/json-patch+json"})

    def disabled() -> bool:
        return _get(url, f"/api/users/{viewer}", fields="disabled").json()["disabled"]

    rewritten = version == "2.41"
    answer = patch("/userCredentials/disabled")
    assert answer.status_code == (200 if rewritten else 400), answer.text
    if not rewritten:
        assert answer.json()["message"] == "Property userCredentials does not exist on Schema"
    assert disabled() is rewritten
    whole = patch("/userCredentials")
    assert (whole.status_code, whole.json()["message"]) == (400, "Property {} does not exist on "
                                                            "Schema".format(
                                                                "null" if rewritten
                                                                else "userCredentials"))


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_unsupported_media_type_is_printed_as_spring_parses_it(sandbox_factory,
                                                              version: str) -> None:
    # HttpMediaTypeNotSupportedException prints the parsed MediaType (MimeType#toString): type
    # and subtype lower-cased, parameters written `;key=value`, not the header as sent.
    url = sandbox_factory(version=version).url
    response = _send(url, "POST", "/api/dataElements", b"{}", "TEXT/Plain; charset=UTF-8")
    assert response.status_code == 415, response.text
    assert response.json()["message"] == (
        "Content type 'text/plain;charset=UTF-8' not supported" if version == "2.41"
        else "Content-Type 'text/plain;charset=UTF-8' is not supported")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_user_property_of_any_id_reaches_the_user_controller(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # UserController overrides getObjectProperty with its own `@GetMapping("/{uid}/{property}")`
    # (2.42.5 :316, 2.43.1 :305), no uid pattern: `abc` reaches the controller, which looks it up
    # (2.41/2.42: a String, 404 E1005) or binds it as a UID first (2.43.1 :308: 400)
    url = sandbox_factory(version=version).url
    answer = _get(url, "/api/users/abc/name")
    if version != "2.43":
        assert answer.status_code == 404, answer.text
        assert (answer.json()["message"], answer.json()["errorCode"]) == (
            "User with id abc could not be found.", "E1005")
        return
    assert answer.status_code == 400, answer.text
    assert answer.json()["message"] == (
        "Value 'abc' is not valid for path parameter uid. UID must be an alphanumeric string of "
        "11 characters starting with a letter, but was: abc")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_read_authority_guards_the_list_the_object_and_its_property(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # AbstractFullReadOnlyController: AclService#canRead(user, User.class) (F_USER_VIEW) first in
    # #getObjectList, #getObject and #getObjectProperty, before the lookup
    url = sandbox_factory(version=version).url
    viewer = ("dashboard.viewer", "district")
    for path in ("/api/users", "/api/users/xE7jOejl9FI", "/api/users/xE7jOejl9FI/name",
                 "/api/users/noSuchUser1"):
        answer = requests.get(f"{url}{path}", auth=viewer, timeout=10)
        assert answer.status_code == 403, (path, answer.text)
        assert (answer.json()["message"], answer.json()["errorCode"]) == (
            "You don't have the proper permissions to read objects of this type.", "E1006")
    one = _get(url, "/api/users/noSuchUser1")
    assert (one.status_code, one.json()["message"]) == (
        404, "User with id noSuchUser1 could not be found.")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_filter_argument_keeps_its_trailing_colon_on_2_41(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.41.9 DefaultJpaQueryParser#parse takes the rest of the text after `code:eq:` ("VN:");
    # 2.42.5/2.43.1 DefaultQueryParser#parse joins what split(":") kept ("VN")
    url = sandbox_factory(version=version).url
    found = _get(url, "/api/organisationUnits", filter="code:eq:VN:", paging="false")
    assert len(found.json()["organisationUnits"]) == (0 if version == "2.41" else 1)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_identifiable_filter_matches_id_code_name_or_short_name(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # `identifiable:op:x`: the operator on id, code, name and shortName, any matching
    # (JpaCriteriaQueryEngine#buildIdentifiableFilter; 2.41.9 #handleIdentifiablePath)
    url = sandbox_factory(version=version).url
    by_code = _get(url, "/api/organisationUnits", filter="identifiable:eq:VN",
                   fields="code").json()["organisationUnits"]
    assert by_code == [{"code": "VN"}]
    uid = by_code and _get(url, "/api/organisationUnits", filter="code:eq:VN-79",
                           fields="id").json()["organisationUnits"][0]["id"]
    by_id = _get(url, "/api/organisationUnits", filter=f"identifiable:eq:{uid}",
                 fields="code").json()["organisationUnits"]
    assert by_id == [{"code": "VN-79"}]


def test_a_filter_on_an_inverse_collection_sees_it_from_its_owning_side(
        fresh_sandbox: RunningSandbox) -> None:
    # `children` is mapped from the children's `parent` (OrganisationUnit.hbm.xml, inverse):
    # the query engine joins it, so `children:empty` keeps the units without children
    units = _get(fresh_sandbox.url, "/api/organisationUnits", paging="false",
                 fields="id,level").json()["organisationUnits"]
    leaves = _get(fresh_sandbox.url, "/api/organisationUnits", paging="false", fields="id",
                  filter="children:empty").json()["organisationUnits"]
    deepest = max(u["level"] for u in units)
    assert {u["id"] for u in leaves} == {u["id"] for u in units if u["level"] == deepest}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_non_owner_collection_of_any_type_is_read_from_its_owning_side(
        sandbox_factory, version: str) -> None:
    # Indicator.hbm.xml maps `groups` (JSON indicatorGroups) and `dataSets` inverse="true": the
    # read joins them from IndicatorGroup.members / DataSet.indicators, though the indicator
    # was sent without them (the release's schema says so; no facts of the type needed)
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {
        "indicatorTypes": [{"id": "indTypeRd01", "name": "Tỷ lệ", "factor": 100}],
        "indicators": [{"id": "indReadInv1", "name": "Chỉ số đọc", "shortName": "Chỉ số đọc",
                        "indicatorType": {"id": "indTypeRd01"}, "numerator": "1",
                        "denominator": "1"}],
        "indicatorGroups": [{"id": "indGrpRead1", "name": "Nhóm chỉ số",
                             "indicators": [{"id": "indReadInv1"}]}]}).json()["status"] == "OK"
    got = _get(url, "/api/indicators/indReadInv1", fields="indicatorGroups,dataSets").json()
    assert got == {"indicatorGroups": [{"id": "indGrpRead1"}], "dataSets": []}
    # every property of the schema under `*` / `:all` (FieldPathHelper#applyPresets), in a list
    # and in the metadata export, whose fields run the same filter over the stored objects
    for fields in ("*", ":all"):
        listed = _get(url, "/api/indicators", fields=fields).json()["indicators"]
        assert [(i["indicatorGroups"], i["dataSets"]) for i in listed] == [([{"id": "indGrpRead1"}], [])]
    for fields in ("*", "id,indicatorGroups[id,name],dataSets"):
        exported = _get(url, "/api/metadata", indicators="true", fields=fields).json()["indicators"]
        assert exported[0]["indicatorGroups"][0]["id"] == "indGrpRead1" and exported[0]["dataSets"] == []
    named = _get(url, "/api/metadata", indicators="true", fields="id,indicatorGroups[id,name]").json()
    assert named["indicators"] == [{"id": "indReadInv1", "indicatorGroups": [{"id": "indGrpRead1",
                                                                               "name": "Nhóm chỉ số"}]}]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_non_owner_collection_of_embedded_objects_is_read_from_its_owner(
        sandbox_factory, version: str) -> None:
    # DataElement.hbm.xml maps `dataSetElements` inverse="true" (:62-66), owned by DataSet's
    # (DataSet.hbm.xml :39-43): a data element's read lists the DataSetElements of every data
    # set holding it, each naming its dataSet first (DataSetElement.java's order); the
    # visualization's `interpretations` (no interpretation stored) are an empty list
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {
        "dataElements": [{"id": "deEmbInv001", "name": "Phần tử nhúng", "shortName": "Phần tử nhúng",
                          "valueType": "NUMBER", "aggregationType": "SUM", "domainType": "AGGREGATE"}],
        "dataSets": [{"id": "dsEmbInv001", "name": "Bộ nhúng", "shortName": "Bộ nhúng",
                      "periodType": "Monthly",
                      "dataSetElements": [{"dataElement": {"id": "deEmbInv001"}}]}],
        "visualizations": [{"id": "vizEmbInv01", "name": "Biểu đồ nhúng", "type": "COLUMN"}],
    }).json()["status"] == "OK"
    element = {"dataSet": {"id": "dsEmbInv001"}, "dataElement": {"id": "deEmbInv001"}}
    got = _get(url, "/api/dataElements/deEmbInv001", fields="dataSetElements").json()
    assert got == {"dataSetElements": [element]}
    assert _get(url, "/api/dataElements/deEmbInv001").json()["dataSetElements"] == [element]
    assert "dataSetElements" not in _get(url, "/api/dataElements/deEmbInv001", fields=":owner").json()
    exported = _get(url, "/api/metadata", dataElements="true", fields="id,dataSetElements").json()
    assert exported["dataElements"] == [{"id": "deEmbInv001", "dataSetElements": [element]}]
    viz = _get(url, "/api/visualizations/vizEmbInv01", fields="interpretations").json()
    assert viz == {"interpretations": []}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_non_owner_collection_is_read_from_the_owning_property_alone(
        sandbox_factory, version: str) -> None:
    # OrganisationUnit.hbm.xml :67-71 maps `users` inverse="true" on `usermembership`, the table
    # of User.organisationUnits (its owningRole): a user holding the unit only as a data view
    # or search org unit (userdatavieworgunits, userteisearchorgunits) is none of its users
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {"organisationUnits": [
        {"id": "ouOwnSide01", "name": "Đơn vị phía chủ", "shortName": "Đơn vị phía chủ",
         "openingDate": "2020-01-01"}]}).json()["status"] == "OK"
    roles = _get(url, "/api/userRoles", fields="id", pageSize="1").json()["userRoles"]
    for uid, key in (("usrOwnView1", "dataViewOrganisationUnits"),
                     ("usrOwnMemb1", "organisationUnits")):
        created = requests.post(f"{url}/api/users", auth=ADMIN, timeout=30, json={
            "id": uid, "username": uid.lower(), "password": "Passw0rd!xyz1", "firstName": "Lan",
            "surname": "Trần", "userRoles": roles, key: [{"id": "ouOwnSide01"}],
            "teiSearchOrganisationUnits": [{"id": "ouOwnSide01"}]})
        assert created.status_code == 201, created.text
    got = _get(url, "/api/organisationUnits/ouOwnSide01", fields="users").json()
    assert got == {"users": [{"id": "usrOwnMemb1"}]}


_FILTER_ATTRIBUTE = {"id": "AttrAttr001", "name": "Nhãn lọc", "code": "ATTR_FILTER",
                     "valueType": "TEXT", "dataElementAttribute": True,
                     "optionSetAttribute": True}


def _attribute_filtered(url: str) -> Callable[..., list[str]]:
    """Three data elements: "hello", "Hello world", none for the attribute (and no code); the
    option set of the first holds "tagged" for it. The filter's ids, in order."""
    values = {"hello": "deAttrF0001", "Hello world": "deAttrF0002"}
    elements = [{**DE, "id": uid, "code": f"ATTRF_{uid}", "name": f"Attr filter {uid}",
                 "shortName": f"AF {uid}",
                 "attributeValues": [{"attribute": {"id": "AttrAttr001"}, "value": value}]}
                for value, uid in values.items()]
    elements[0]["optionSet"] = {"id": "osAttrF0001"}
    elements.append({**DE, "id": "deAttrF0003", "name": "Attr filter 3", "shortName": "AF 3",
                     "code": None})
    option_set = {"id": "osAttrF0001", "name": "Attr filter options", "valueType": "TEXT",
                  "attributeValues": [{"attribute": {"id": "AttrAttr001"}, "value": "tagged"}]}
    answer = post_metadata(url, {"attributes": [_FILTER_ATTRIBUTE], "optionSets": [option_set],
                                 "dataElements": elements})
    assert answer.status_code == 200, answer.text[:2000]

    def ids(*filters: str, status: int = 200) -> list[str]:
        found = requests.get(f"{url}/api/dataElements", auth=ADMIN, timeout=10,
                             params={"filter": [*filters, "name:$like:Attr filter"],
                                     "fields": "id", "order": "id", "paging": "false"})
        assert found.status_code == status, (filters, found.text[:500])
        return [e["id"] for e in found.json()["dataElements"]]
    return ids


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_operator_without_its_value_is_a_500_without_message(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # `path:op` (or `path:op:`, split drops the empty part) hands a null value to the
    # operator, whose constructor's `List.of(arg)` throws a NullPointerException without
    # message (operators/Operator.java 2.41.9 :74-77, 2.42.5 :65-68, 2.43.1 :66-69); the path
    # and the operator name are checked first, `in` reads its own, the others take none
    url = sandbox_factory(version=version).url
    for given in ("name:eq", "name:eq:", "code:like", "level:gt", "name:!token", "AttrAttr001:eq"):
        answer = _get(url, "/api/organisationUnits", filter=given, fields="id")
        assert answer.status_code == 500, (given, answer.text[:300])
        assert answer.json() == {"httpStatus": "Internal Server Error", "httpStatusCode": 500,
                                 "status": "ERROR"}
    assert _get(url, "/api/organisationUnits", filter="bogus:eq").status_code == 400
    assert _get(url, "/api/organisationUnits", filter="name:bogus").status_code == 400
    assert _get(url, "/api/organisationUnits", filter="id:in").json()["message"] \
        == "Invalid argument `null` for in operator."
    for given in ("name:null", "name:!null", "children:empty"):
        assert _get(url, "/api/organisationUnits", filter=given).status_code == 200, given


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_path_past_attribute_values_per_release(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.42+'s `attributeValues` is an AttributeValues, no Collection, whose schema is built on
    # the fly from its @JsonProperty fields, none: DefaultQueryParser#getProperty finds no next
    # property and the path is unknown; 2.41.9 walks AttributeValue's schema
    url = sandbox_factory(version=version).url
    answer = _get(url, "/api/dataElements", filter="attributeValues.value:eq:x", fields="id")
    if version == "2.41":
        assert answer.status_code == 200, answer.text[:300]
    else:
        assert (answer.status_code, answer.json()["errorCode"], answer.json()["message"]) == (
            400, "E1003", "Unknown path property: attributeValues.value"), answer.text[:300]
    assert _get(url, "/api/dataElements", filter="attributeValues:empty").status_code == 200


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_root_junction_per_release(sandbox_factory: Callable[..., RunningSandbox],
                                   version: str) -> None:
    # 2.41.9 WebOptions#getRootJunction (:101-104): "OR".equals(…), anything else AND;
    # 2.42.5/2.43.1 bind GetObjectListParams#rootJunction (:79) with ConvertEnum (any case),
    # a refusal 400 before the filters are read, after the fields before it in name order
    url = sandbox_factory(version=version).url
    both = ["level:eq:1", "level:eq:2"]

    def listed(**params: str) -> requests.Response:
        return requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10,
                            params={"filter": both, "fields": "id", "paging": "false",
                                    **params})
    either = len(listed(rootJunction="OR").json()["organisationUnits"])
    assert either > 1
    lower = listed(rootJunction="or").json()["organisationUnits"]
    assert len(lower) == (0 if version == "2.41" else either)
    refused = listed(rootJunction="bogus", filter="bogus:eq:1")
    tokens = requests.get(f"{url}/api/apiToken", auth=ADMIN, timeout=10,
                          params={"rootJunction": "bogus"})
    if version == "2.41":
        assert refused.json()["message"] == "Unknown path property: bogus"
        assert tokens.status_code == 200
    else:
        assert refused.status_code == 400
        assert refused.json() == {
            "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": "Value 'bogus' is not valid for parameter rootJunction. Valid values "
                       "are: [AND, OR]"}
        assert tokens.status_code == 400
        paged = listed(rootJunction="bogus", page="x").json()["message"]
        assert paged == "Value 'x' is not valid for parameter page. It should be of type int"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_attribute_id_filter_is_rewritten_from_2_42(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.42.5/2.43.1 DefaultQueryParser#rewriteFilter (:96-100): `attributeValues.attribute.id:
    # eq:X` is `X:!null` (X after the last `:`), an attribute filter, so a text that is no UID is
    # an unknown path; 2.41.9 walks the path, the ids of the object's attributes, as written
    url = sandbox_factory(version=version).url
    ids = _attribute_filtered(url)
    one, two = "deAttrF0001", "deAttrF0002"
    assert ids("attributeValues.attribute.id:eq:AttrAttr001") == [one, two]
    rewritten = version != "2.41"
    assert ids("attributeValues.attribute.id:eq:x:AttrAttr001") == ([one, two] if rewritten
                                                                   else [])
    unknown = requests.get(f"{url}/api/dataElements", auth=ADMIN, timeout=10,
                           params={"filter": "attributeValues.attribute.id:eq:bogus"})
    if rewritten:
        assert unknown.status_code == 400
        assert unknown.json()["message"] == "Unknown path property: bogus"
    else:
        assert unknown.status_code == 200
        assert unknown.json()["dataElements"] == []


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_attribute_uid_filter_tests_the_attribute_value_in_memory(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # DefaultQueryParser#createFilter → Filter#asAttribute; the planner leaves it to the
    # in-memory engine (2.41.9 DefaultQueryPlanner#getQueryPath :121-125 not persisted; 2.42.5
    # #isDbFilter :116-123), which tests the operator on the object's value for the attribute
    # (2.41.9 InMemoryQueryEngine#getValue :212-215; 2.42.5 #filterMatchAttribute :212-216):
    # Operator#test, null without a value
    ids = _attribute_filtered(sandbox_factory(version=version).url)
    one, two, three = "deAttrF0001", "deAttrF0002", "deAttrF0003"
    assert ids("AttrAttr001:eq:hello") == [one]
    assert ids("AttrAttr001:ieq:HELLO") == [one]
    assert ids("AttrAttr001:ilike:HELLO") == [one, two]
    assert ids("AttrAttr001:like:Hello") == [two]
    assert ids("AttrAttr001:null") == [three]
    assert ids("AttrAttr001:!null") == [one, two]
    assert ids("AttrAttr001:!eq:hello") == [two, three]
    # NotLikeOperator#test is false on null; NotTokenOperator#test negates TokenUtils#test
    assert ids("AttrAttr001:!like:world") == [one]
    assert ids("AttrAttr001:token:WOR") == [two]
    assert ids("AttrAttr001:!token:wor") == [one, three]
    assert ids("AttrAttr001:gt:hello") == []  # "Hello world" < "hello" (String#compareTo)
    assert ids("AttrAttr001:empty") == []
    # the items are read as the property's, which an attribute filter has none of
    failed = requests.get(f"{sandbox_factory(version=version).url}/api/dataElements",
                          params={"filter": "AttrAttr001:in:[hello]"}, auth=ADMIN, timeout=10)
    assert failed.status_code == 500
    assert failed.json()["message"] == ('Cannot invoke "org.hisp.dhis.schema.Property.'
                                        'isCollection()" because "property" is null')


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_attribute_filter_through_a_reference_per_release(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.41.9 InMemoryQueryEngine#getValue walks `optionSet` and reads the option set's value;
    # 2.42.5/2.43.1 #filterMatchAttribute look "optionSet.AttrAttr001" up as an attribute id
    ids = _attribute_filtered(sandbox_factory(version=version).url)
    tagged = ids("optionSet.AttrAttr001:eq:tagged")
    assert tagged == (["deAttrF0001"] if version == "2.41" else [])
    unset = ids("optionSet.AttrAttr001:null")
    assert unset == (["deAttrF0002", "deAttrF0003"] if version == "2.41"
                     else ["deAttrF0001", "deAttrF0002", "deAttrF0003"])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_uid_after_an_unknown_segment_fails_in_the_planner(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # the parser takes `foo.AbcDefGhi12` for an attribute filter; the planner's walk finds no
    # `foo`: RuntimeException("Invalid path property: foo") (2.41.9
    # DefaultQueryPlanner#getQueryPath :127-129; 2.42.5 DefaultSchemaService#getPropertyPath
    # :552-553, 2.43.1 :514-515) → CrudControllerAdvice#defaultExceptionHandler, 500; every
    # filter is parsed before (a later parse error is the list's 400 E1003)
    url = sandbox_factory(version=version).url
    failed = _get(url, "/api/organisationUnits", filter="foo.AbcDefGhi12:eq:x")
    assert failed.status_code == 500
    assert failed.json()["message"] == "Invalid path property: foo"
    parsed_first = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10,
                                params={"filter": ["foo.AbcDefGhi12:eq:x", "x:eq:1"]})
    assert (parsed_first.status_code, parsed_first.json()["errorCode"]) == (400, "E1003")
    assert parsed_first.json()["message"] == "Unknown path property: x"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_identifiable_without_an_argument_per_release(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.41.9 DefaultJpaQueryParser#parse special-cases `identifiable` with three parts only
    # (:72-82): `identifiable:null` is an ordinary path, unknown; 2.42.5/2.43.1
    # DefaultQueryParser#createFilter (:104) at any number of parts
    url = sandbox_factory(version=version).url
    for given in ("identifiable:null", "identifiable:!null", "identifiable:eq"):
        answer = _get(url, "/api/organisationUnits", filter=given, fields="id")
        if version == "2.41":
            assert answer.status_code == 400, given
            assert answer.json()["message"] == "Unknown path property: identifiable"
            assert answer.json()["errorCode"] == "E1003"
        elif given == "identifiable:eq":
            # the virtual filter's EqualOperator built with the null value: `List.of(null)`,
            # a NullPointerException without message (row "`filter`")
            assert answer.status_code == 500, (given, answer.text[:300])
            assert "message" not in answer.json()
        else:
            assert answer.status_code == 200, (given, answer.text[:300])
    listed = _get(url, "/api/organisationUnits", filter="identifiable:!null", paging="false")
    if version != "2.41":
        total = _get(url, "/api/organisationUnits", paging="false").json()
        assert len(listed.json()["organisationUnits"]) == len(total["organisationUnits"])
    # 2.42+'s `identifiable` has no property for `in` items (#parseValues): 500
    items = _get(url, "/api/organisationUnits", filter="identifiable:in:[VN]", fields="code")
    if version == "2.41":
        assert items.json()["organisationUnits"] == [{"code": "VN"}]
    else:
        assert items.status_code == 500


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_identifiable_null_matches_an_object_without_a_code(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # `null` on identifiable is `id IS NULL OR code IS NULL OR name IS NULL OR shortName IS
    # NULL` (2.42.5 JpaCriteriaQueryEngine#buildIdentifiableFilter :254-271, 2.43.1 :475-492;
    # 2.41.9 DefaultJpaQueryParser#handleIdentifiablePath :87-97, with an argument there)
    ids = _attribute_filtered(sandbox_factory(version=version).url)
    given = "identifiable:null:x" if version == "2.41" else "identifiable:null"
    assert ids(given) == ["deAttrF0003"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_user_data_approval_workflows_are_the_user_controllers_own(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # UserController#getObjectProperty answers `dataApprovalWorkflows` itself (2.41.9 :259-286,
    # 2.42.5 :316-342, 2.43.1 :305-331): the user looked up first, unknown → 404 E1005 "User
    # not found: X" (even to a reader without F_USER_VIEW), then canRead on the user object →
    # 403 (2.41's CreateAccessDeniedException has no errorCode), then the workflows
    url = sandbox_factory(version=version).url
    viewer = ("dashboard.viewer", "district")
    for auth in (ADMIN, viewer):
        missing = requests.get(f"{url}/api/users/noSuchUser1/dataApprovalWorkflows",
                               auth=auth, timeout=10)
        assert (missing.status_code, missing.json()["message"], missing.json()["errorCode"]) == (
            404, "User not found: noSuchUser1", "E1005"), missing.text
    denied = requests.get(f"{url}/api/users/xE7jOejl9FI/dataApprovalWorkflows", auth=viewer,
                          timeout=10)
    assert denied.status_code == 403, denied.text
    assert denied.json()["message"] == "You don't have the proper permissions to access this user."
    assert denied.json().get("errorCode") == (None if version == "2.41" else "E1006")
    # the id is a String on 2.41/2.42 (no pattern: any id is looked up), a UID on 2.43
    short = requests.get(f"{url}/api/users/abc/dataApprovalWorkflows", auth=ADMIN, timeout=10)
    assert short.status_code == (400 if version == "2.43" else 404), short.text
    # no workflow stored: UserControllerUtils#getUserDataApprovalWorkflows' empty array
    empty = _get(url, "/api/users/xE7jOejl9FI/dataApprovalWorkflows")
    assert (empty.status_code, empty.json()) == (200, {"dataApprovalWorkflows": []}), empty.text
    # a stored workflow's items (its levels the user may see) are not modelled
    stored = post_metadata(url, {"dataApprovalWorkflows": [
        {"id": "WfAAAAAAAA1", "name": "Workflow one", "periodType": "Monthly"}]})
    assert stored.status_code == 200, stored.text
    unmodelled = _get(url, "/api/users/xE7jOejl9FI/dataApprovalWorkflows")
    assert unmodelled.status_code == 501, unmodelled.text


def test_scalar_bodies_are_named_as_jackson_reads_them() -> None:
    # BeanDeserializerBase#deserializeFromNumber: an integer beyond a long is BIG_INTEGER
    # (createFromBigInteger); StdDeserializer#_deserializeFromString: a blank text (every
    # character at most U+0020) is an empty one, another is trimmed before it is quoted
    klass = "org.hisp.dhis.dataelement.DataElement"
    head = (f"Cannot construct instance of `{klass}` (although at least one Creator exists): "
            "no ")
    empty = (f'Cannot coerce empty String ("") to `{klass}` value (but could if coercion was '
             "enabled using `CoercionConfig`)")
    for value, expected in (
            (2**63 - 1, f"{head}long/Long-argument constructor/factory method to deserialize "
                        f"from Number value ({2**63 - 1})"),
            (2**63, f"{head}BigInteger-argument constructor/factory method to deserialize from "
                    f"Number value ({2**63})"),
            (-2**63 - 1, f"{head}BigInteger-argument constructor/factory method to deserialize "
                         f"from Number value ({-2**63 - 1})"),
            (" ", empty), ("\t", empty), ("\u0000", empty), (" \u0001\r\n", empty),
            (" x ", f"{head}String-argument constructor/factory method to deserialize from "
                    "String value ('x')"),
            ("\u00a0", f"{head}String-argument constructor/factory method to deserialize from "
                       "String value ('\u00a0')")):
        problem = jackson_text.not_a_bean(klass, value, 1, 1)
        assert problem.original == expected, value
    assert jackson_text.not_a_bean(klass, " ", 1, 1).java_class.endswith("InvalidFormatException")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_blank_and_big_scalar_bodies_over_http(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    mapping = 409 if version == "2.43" else 500
    big = _send(url, "POST", "/api/dataElements", b"9223372036854775808")
    assert big.status_code == mapping and "no BigInteger-argument" in big.json()["message"]
    blank = _send(url, "POST", "/api/dataElements", b'  "\\t "')
    assert blank.status_code == mapping and blank.json()["message"] == (
        'Cannot coerce empty String ("") to `org.hisp.dhis.dataelement.DataElement` value (but '
        "could if coercion was enabled using `CoercionConfig`)\n at " + _SOURCE
        + "line: 1, column: 3]")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_null_user_created_fails_where_the_release_first_calls_on_it(sandbox_factory,
                                                                       version: str) -> None:
    # UserController#postObject: 2.41.9 copies the legacy credentials first (:311, User.java
    # :1279), for whoever asks; 2.42.5 (:747/:751) and 2.43.1 (:704/:708) #validateCreateUser
    # asks canCreate (403), then `user.getGroups()`
    url = sandbox_factory(version=version).url
    null = _send(url, "POST", "/api/users", b"null")
    viewer = requests.post(f"{url}/api/users", data=b"null", timeout=10,
                           auth=("dashboard.viewer", "district"),
                           headers={"Content-Type": "application/json"})
    if version == "2.41":
        message = ('Cannot invoke "org.hisp.dhis.user.User.getUserCredentialsRaw()" because '
                   '"user" is null')
        assert (viewer.status_code, viewer.json()["message"]) == (500, message)
    else:
        message = 'Cannot invoke "org.hisp.dhis.user.User.getGroups()" because "user" is null'
        assert viewer.status_code == 403, viewer.text
        assert viewer.json()["message"] == (
            "You don't have the proper permissions to create this object.")
    assert (null.status_code, null.json()["message"]) == (500, message)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_option_combo_bodies_are_its_update_dto(sandbox_factory, version: str) -> None:
    # CategoryOptionComboController#putJsonObject reads a CategoryOptionComboUpdateDto after
    # the lookup and the update check; a null fails in DefaultCategoryOptionComboService
    # #updateCoc. 2.43.1 #postJsonObject answers E1129 without reading the body.
    url = sandbox_factory(version=version).url
    mapping = 409 if version == "2.43" else 500
    dto = "org.hisp.dhis.category.CategoryOptionComboUpdateDto"
    missing = _send(url, "PUT", "/api/categoryOptionCombos/Abcdefghij1", b"[]")
    assert missing.status_code == 404, missing.text
    array = _send(url, "PUT", "/api/categoryOptionCombos/HllvX50cXC0", b"[]")
    assert array.status_code == mapping and array.json()["message"] == (
        f"Cannot deserialize value of type `{dto}` from Array value (token "
        "`JsonToken.START_ARRAY`)\n at " + _SOURCE + "line: 1, column: 1]")
    null = _send(url, "PUT", "/api/categoryOptionCombos/HllvX50cXC0", b"null")
    assert (null.status_code, null.json()["message"]) == (
        500, f'Cannot invoke "{dto}.code()" because "cocUpdate" is null')
    post = _send(url, "POST", "/api/categoryOptionCombos", b"[]", "text/plain")
    if version == "2.43":
        assert post.status_code == 409 and post.json()["errorCode"] == "E1129", post.text
        assert post.json()["message"].startswith(
            "Creating a single CategoryOptionCombo is forbidden through this endpoint.")
    else:
        assert post.status_code == 415, post.text


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_marked_defaults_is_null_and_fails_the_answer(sandbox_factory, version: str) -> None:
    # `_defaults` binds GetObjectParams#defaults (2.42.5 = 2.43.1 :76) to null (an enum has no
    # empty value): the query takes it (DefaultQueryService#removeDefaultObject compares it),
    # then AbstractFullReadOnlyController dereferences it for the answer (#getObjectListInternal
    # `params.getDefaults().isExclude()` 2.42.5 :229, 2.43.1 :236; #getObject
    # `query.getDefaults().isExclude()` 2.42.5 :432, 2.43.1 :436), CrudControllerAdvice's 500;
    # a given value and a default win over the marker; 2.41's WebOptions have no such form
    url = sandbox_factory(version=version).url

    def get(path: str, *pairs: tuple[str, str]) -> requests.Response:
        return requests.get(f"{url}{path}", params=list(pairs), auth=ADMIN, timeout=10)

    first = get("/api/organisationUnits", ("pageSize", "1")).json()["organisationUnits"][0]["id"]
    cases = [("/api/organisationUnits", "org.hisp.dhis.query.GetObjectListParams.getDefaults()"),
             ("/api/apiToken", "org.hisp.dhis.query.GetObjectListParams.getDefaults()"),
             (f"/api/organisationUnits/{first}", "org.hisp.dhis.query.Query.getDefaults()")]
    for path, getter in cases:
        marked = get(path, ("_defaults", ""))
        if version == "2.41":
            assert marked.status_code == 200, (path, marked.text)
            continue
        assert marked.status_code == 500, (path, marked.text)
        assert marked.json()["message"] == (
            'Cannot invoke "org.hisp.dhis.query.Defaults.isExclude()" because the return value '
            f'of "{getter}" is null'), path
        for given in (("defaults", "EXCLUDE"), ("!defaults", "INCLUDE")):
            assert get(path, ("_defaults", ""), given).status_code == 200, (path, given)
    if version != "2.41":
        # an unknown uid is the 404 of #getEntity, before the query
        missing = get("/api/organisationUnits/aaaaaaaaaaa", ("_defaults", ""))
        assert missing.status_code == 404


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_list_params_take_the_data_binders_defaults_markers_and_array_indices(
        sandbox_factory, version: str) -> None:
    # 2.42/2.43 bind GetObjectListParams (GetOrganisationUnitObjectListParams for the units), a
    # bean, so WebDataBinder#doBind (Spring 6.2.8) reads `!name`, `_name` and `name[]`; 2.41's
    # list reads WebOptions and `@RequestParam`s, which have no such forms
    url = sandbox_factory(version=version).url
    bound = version != "2.41"

    def get(path: str, *pairs: tuple[str, str]) -> requests.Response:
        return requests.get(f"{url}{path}", params=list(pairs), auth=ADMIN, timeout=10)

    whole = get("/api/organisationUnits", ("paging", "false")).json()["organisationUnits"]
    first = whole[0]["id"]
    for pairs in ((("!paging", "false"),), (("_paging", ""),)):
        assert ("pager" in get("/api/organisationUnits", *pairs).json()) is not bound, pairs
    # a given value wins over the default
    assert "pager" in get("/api/organisationUnits", ("!paging", "false"), ("paging", "true")).json()
    for pairs in ((("filter[]", f"id:eq:{first}"),), (("!filter", f"id:eq:{first}"),)):
        listed = get("/api/organisationUnits", ("paging", "false"), *pairs).json()
        assert len(listed["organisationUnits"]) == (1 if bound else len(whole)), pairs
    assert get("/api/organisationUnits", ("pageSize[]", "3")).json()["pager"]["pageSize"] == (
        3 if bound else 50)
    # ApiTokenController lists through AbstractCrudController's GetObjectListParams too
    assert ("pager" in get("/api/apiToken", ("!paging", "false")).json()) is not bound
    token = requests.post(f"{url}/api/apiToken", json={}, auth=ADMIN, timeout=10)
    assert token.status_code == 201, token.text
    tokens = get("/api/apiToken", ("filter[]", "id:eq:aaaaaaaaaaa")).json()["apiToken"]
    assert len(tokens) == (0 if bound else 1)
    # a single object's GetObjectParams: `!fields=id` and `fields[]=id` are `fields=id`
    for pairs in ((("!fields", "id"),), (("fields[]", "id"),)):
        one = get(f"/api/organisationUnits/{first}", *pairs).json()
        assert (set(one) == {"id"}) is bound, pairs
    levels = get("/api/organisationUnits", ("paging", "false"), ("!level", "1")).json()
    assert len(levels["organisationUnits"]) == (1 if bound else len(whole))
    for pairs, message in ((("!page", "x"), "Value 'x' is not valid for parameter page. It should be of type int"),
                           (("_pageSize", ""), "pageSize cannot be empty. It should be of type int")):
        answer = get("/api/dataElements", pairs)
        if bound:
            assert answer.status_code == 400, pairs
            assert answer.json()["message"] == message
        else:
            assert answer.status_code == 200, pairs


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_data_sets_own_data_set_elements_name_their_data_set(
        sandbox_factory, version: str) -> None:
    # DataSet.hbm.xml maps `dataSetElements` one-to-many on the key column `datasetid`, the
    # column DataSetElement's `dataSet` reads: an element imported without `dataSet` is read
    # back naming it, in DataSetElement.java's order (dataSet, dataElement, categoryCombo),
    # from the data set's side as from the data element's
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {
        "dataElements": [{"id": "deOwnDse001", "name": "Phần tử bộ", "shortName": "Phần tử bộ",
                          "valueType": "NUMBER", "aggregationType": "SUM", "domainType": "AGGREGATE"}],
        "dataSets": [{"id": "dsOwnDse001", "name": "Bộ tự thân", "shortName": "Bộ tự thân",
                      "periodType": "Monthly",
                      "dataSetElements": [{"dataElement": {"id": "deOwnDse001"}}]}],
    }).json()["status"] == "OK"
    element = {"dataSet": {"id": "dsOwnDse001"}, "dataElement": {"id": "deOwnDse001"}}
    got = _get(url, "/api/dataSets/dsOwnDse001", fields="dataSetElements").json()
    assert got == {"dataSetElements": [element]}
    assert list(got["dataSetElements"][0]) == ["dataSet", "dataElement"]
    assert _get(url, "/api/dataSets/dsOwnDse001", fields="*").json()["dataSetElements"] == [element]
    assert _get(url, "/api/dataSets/dsOwnDse001").json()["dataSetElements"] == [element]
    exported = _get(url, "/api/metadata", dataSets="true", fields="id,dataSetElements").json()
    assert exported["dataSets"] == [{"id": "dsOwnDse001", "dataSetElements": [element]}]
    full = _get(url, "/api/metadata", dataSets="true").json()
    assert full["dataSets"][0]["dataSetElements"] == [element]
    from_element = _get(url, "/api/dataElements/deOwnDse001", fields="dataSetElements").json()
    assert from_element == {"dataSetElements": [element]}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_embedded_items_name_their_own_stage_program_and_type(sandbox_factory, version: str) -> None:
    # ProgramStage/Program/TrackedEntityType map their embedded lists one-to-many on the key
    # column the item's back-reference reads: sent without it, each is read back naming its
    # own parent, in reads and in the metadata export
    url = sandbox_factory(version=version).url
    attribute = {"trackedEntityAttribute": {"id": "teaBackRef1"}}
    assert post_metadata(url, {
        "trackedEntityAttributes": [{"id": "teaBackRef1", "name": "Mã", "shortName": "Mã",
                                     "valueType": "TEXT", "aggregationType": "NONE"}],
        "trackedEntityTypes": [{"id": "tetBackRef1", "name": "Người", "shortName": "Người",
                                "trackedEntityTypeAttributes": [attribute]}],
        "dataElements": [{"id": "deBackRef01", "name": "Ghi chú", "shortName": "Ghi chú",
                          "valueType": "TEXT", "aggregationType": "NONE", "domainType": "TRACKER"}],
        "programs": [{"id": "prBackRef01", "name": "Nhóm", "shortName": "Nhóm",
                      "programType": "WITH_REGISTRATION", "trackedEntityType": {"id": "tetBackRef1"},
                      "programTrackedEntityAttributes": [attribute]}],
        "programStages": [{"id": "psBackRef01", "name": "Buổi", "program": {"id": "prBackRef01"},
                           "programStageDataElements": [{"dataElement": {"id": "deBackRef01"}}]}],
    }).json()["status"] == "OK"
    for path, key, back, parent in (
            ("programStages", "programStageDataElements", "programStage", "psBackRef01"),
            ("programs", "programTrackedEntityAttributes", "program", "prBackRef01"),
            ("trackedEntityTypes", "trackedEntityTypeAttributes", "trackedEntityType", "tetBackRef1")):
        (item,) = _get(url, f"/api/{path}/{parent}").json()[key]
        assert item[back] == {"id": parent}, (path, item)
        exported = _get(url, "/api/metadata", **{path: "true"}).json()[path]
        (item,) = next(o for o in exported if o["id"] == parent)[key]
        assert item[back] == {"id": parent}, (path, item)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_created_objects_location_keeps_the_requests_api_version(sandbox_factory, version):
    # WebMessageControllerAdvice#beforeBodyWrite writes `contextService.getApiPath() +
    # location`: the API path of the request, `/api/<n>` kept on a versioned path
    url = sandbox_factory(version=version).url
    minor = version.split(".")[1]
    for prefix in ("/api", f"/api/{minor}"):
        made = requests.post(f"{url}{prefix}/optionSets", json={"name": f"Bộ {prefix}",
                                                              "valueType": "TEXT"},
                             auth=ADMIN, timeout=10)
        assert made.status_code == 201, made.text
        uid = made.json()["response"]["uid"]
        assert made.headers["Location"] == f"{url}{prefix}/optionSets/{uid}"
        token = requests.post(f"{url}{prefix}/apiToken", json={"attributes": []}, auth=ADMIN,
                              timeout=10)
        assert token.status_code == 201, token.text
        assert token.headers["Location"] == f"{url}{prefix}/apiToken/{token.json()['response']['uid']}"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_unparseable_media_type_is_the_invalid_mime_type_415(sandbox_factory, version):
    # RequestMappingInfoHandlerMapping#handleNoMatch: the InvalidMediaTypeException's own message
    # becomes the HttpMediaTypeNotSupportedException's, which CrudControllerAdvice answers 415
    url = sandbox_factory(version=version).url
    for path, method in (("/api/dataElements", "POST"), ("/api/dataElements/deNone00001", "PUT")):
        answer = requests.request(method, f"{url}{path}", data=b"{}", auth=ADMIN, timeout=10,
                                  headers={"Content-Type": "foo"})
        assert answer.status_code == 415, (method, answer.text)
        assert answer.json()["message"] == 'Invalid mime type "foo": does not contain \'/\''
