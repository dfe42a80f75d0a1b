"""`GET /api/organisationUnits` parameters of its own (metadata/org_unit_list.py)."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN, post_metadata

LEADER = ("group.leader", "district")
PROVINCE = ("province.officer", "district")
ENVELOPE = {"httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR"}


def _codes(url: str, auth: tuple[str, str] = ADMIN, **params: str) -> list[str]:
    answer = requests.get(f"{url}/api/organisationUnits", auth=auth, timeout=10,
                          params={"fields": "code", "paging": "false", **params})
    assert answer.status_code == 200, (params, answer.text)
    return sorted(o["code"] for o in answer.json()["organisationUnits"])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_level_and_max_level(sandbox_factory, version: str) -> None:
    # OrganisationUnitController: 2.41.9 #getObjectList (:391-427) through
    # HibernateOrganisationUnitStore#getOrganisationUnits (hierarchyLevel in / <=), 2.42.5 and
    # 2.43.1 #getAdditionalFilters (:352-358: eq / le on level); Integers bound by Spring
    url = sandbox_factory(version=version).url
    provinces = _codes(url, level="2")
    assert len(provinces) == 34 and "VN-79" in provinces
    assert _codes(url, maxLevel="1") == ["VN"]
    assert _codes(url, maxLevel="2") == sorted(["VN", *provinces])
    assert _codes(url, level="2", filter="code:eq:VN-79") == ["VN-79"]
    assert _codes(url, level="") == _codes(url)  # an empty Integer is none
    # so is a blank one: the fallback CustomNumberEditor's `StringUtils#hasText`
    assert _codes(url, level=" ") == _codes(url, maxLevel="\t") == _codes(url)
    # NumberUtils#parseNumber: Integer#decode for hex only, else Integer#valueOf (decimal)
    assert _codes(url, level="0x2") == _codes(url, level="02") == provinces
    assert _codes(url, level="08") == []
    for value, cause in (("two", 'For input string: "two"'),
                         ("+0x2", 'For input string: "+0x2"'),
                         ("0x-2", "Sign character in wrong position")):
        refused = requests.get(f"{url}/api/organisationUnits", params={"level": value},
                               auth=ADMIN, timeout=10)
        assert (refused.status_code, refused.json()) == (400, {
            "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
            "message": f"Value '{value}' is not valid for parameter level. {cause}"})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_user_hierarchies_and_user_only_per_release(sandbox_factory, version: str) -> None:
    # group.leader captures in VN-79-C001 and searches in VN-79. 2.42.5/2.43.1
    # #getAdditionalFilters gathers the parents into one token filter on `path` (:359-384),
    # which VN-79 (no C001 in its path) fails, and lets `userOnly` combine with `level`
    # (:385-386); 2.41.9 takes the capture units before the search units (:417-422) and maps
    # `userOnly=true` to #getUserOrganisationUnits (:285-300), which reads no `level`
    # (`org_unit_list_params_combined`).
    url = sandbox_factory(version=version).url
    both = _codes(url, LEADER, level="2", withinUserHierarchy="true",
                  withinUserSearchHierarchy="true")
    mine = _codes(url, LEADER, userOnly="true", level="2")
    if version == "2.41":
        assert both == [] and mine == ["VN-79-C001"]
    else:
        assert both == [] and mine == []
    assert _codes(url, LEADER, withinUserSearchHierarchy="true", level="2") == ["VN-79"]
    assert _codes(url, LEADER, withinUserHierarchy="true") == ["VN-79-C001"]


def _refused(url: str, **params: str) -> requests.Response:
    return requests.get(f"{url}/api/organisationUnits", params=params, auth=LEADER, timeout=10)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_flags_spring_cannot_bind_are_400(sandbox_factory, version: str) -> None:
    # 2.42.5 / 2.43.1: primitive `boolean` fields of GetOrganisationUnitObjectListParams
    # (:163-202), CrudControllerAdvice#handleBindException on the first field error, the
    # parameters in name order; 2.41.9: `@RequestParam Boolean withinUserHierarchy`,
    # `withinUserSearchHierarchy` (:396-397), #methodArgumentTypeMismatchException with the
    # converter's message; the other flags there are raw `params` conditions.
    url = sandbox_factory(version=version).url
    envelope = {"httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR"}
    combined = version != "2.41"
    for params, message in (
            ({"withinUserHierarchy": "maybe"}, "Value 'maybe' is not valid for parameter "
             "withinUserHierarchy. " + ("It should be of type boolean" if combined
                                        else "Invalid boolean value [maybe]")),
            ({"withinUserSearchHierarchy": "2"}, "Value '2' is not valid for parameter "
             "withinUserSearchHierarchy. " + ("It should be of type boolean" if combined
                                              else "Invalid boolean value [2]")),
            ({"withinUserSearchHierarchy": "2", "level": "x"},
             "Value 'x' is not valid for parameter level. For input string: \"x\"")):
        answer = _refused(url, **params)
        assert (answer.status_code, answer.json()) == (400, {**envelope, "message": message})
    user_only = _refused(url, userOnly="maybe", withinUserHierarchy="nope")
    if combined:
        assert (user_only.status_code, user_only.json()) == (400, {**envelope, "message":
            "Value 'maybe' is not valid for parameter userOnly. It should be of type boolean"})
        empty = _refused(url, levelSorted="")
        assert (empty.status_code, empty.json()["message"]) == (
            400, "levelSorted cannot be empty. It should be of type boolean")
    else:
        assert user_only.json()["message"] == ("Value 'nope' is not valid for parameter "
                                               "withinUserHierarchy. Invalid boolean value [nope]")
        assert _codes(url, LEADER, userOnly="maybe") == _codes(url, LEADER)
        assert _codes(url, LEADER, withinUserHierarchy="") == _codes(url, LEADER)
    # what Spring reads as true, any case and trimmed
    for value in ("ON", " yes", "1"):
        assert _codes(url, LEADER, withinUserHierarchy=value) == ["VN-79-C001"], value
    assert _codes(url, LEADER, withinUserHierarchy="Off") == _codes(url, LEADER)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_user_hierarchies_keep_units_whose_path_holds_every_parent(sandbox_factory,
                                                                   version: str) -> None:
    # 2.42.5 / 2.43.1 #getAdditionalFilters :383 `token("path", String.join("|", parents),
    # ANYWHERE)`; TokenUtils#createRegex `(?=.*a)(?=.*b)` (`regexp_search` = `~*`), #test: every
    # parent, case-insensitively. 2.41.9: the capture units before the search units, each parent
    # `path like <path>%` (HibernateOrganisationUnitStore#getOrganisationUnits :187-).
    running = sandbox_factory(version=version)
    url = running.url
    province = _codes(url, PROVINCE, withinUserHierarchy="true")
    assert "VN-79" in province and "VN-79-C001" in province
    assert _codes(url, LEADER, withinUserHierarchy="true",
                  withinUserSearchHierarchy="true") == ["VN-79-C001"]
    # the data view units (VN-79) and the capture units (VN-79-C001): only C001's subtree
    assert _codes(url, LEADER, withinUserHierarchy="true",
                  withinDataViewUserHierarchy="true") == ["VN-79-C001"]
    view = _codes(url, LEADER, withinDataViewUserHierarchy="true")
    assert view == (_codes(url, LEADER) if version == "2.41" else province)
    # a unit whose id is VN-79's in the other case: its path holds VN-79's id to `~*`
    vn79 = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10, params={
        "filter": "code:eq:VN-79", "fields": "id,parent[id]"}).json()["organisationUnits"][0]
    created = post_metadata(url, {"organisationUnits": [{
        "id": vn79["id"].swapcase(), "code": "CASE-UNIT", "name": "Case unit",
        "shortName": "Case unit", "openingDate": "2024-01-01",
        "parent": {"id": vn79["parent"]["id"]}}]})
    assert created.json()["status"] == "OK", created.text
    widened = _codes(url, PROVINCE, withinUserHierarchy="true")
    assert widened == (province if version == "2.41" else sorted([*province, "CASE-UNIT"]))


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_parent_level_is_bound_and_shifts_level(sandbox_factory, version: str) -> None:
    # 2.42.5 / 2.43.1 GetOrganisationUnitObjectListParams `@OpenApi.Ignore Integer parentLevel`
    # (:140): bound like any field; #getAdditionalFilters :352-356 `eq level parentLevel +
    # max(0, level)` (an int sum). 2.41.9 #getObjectList has no such parameter (:392-401).
    url = sandbox_factory(version=version).url
    provinces = _codes(url, level="2")
    everything = _codes(url)
    if version == "2.41":
        assert _codes(url, level="1", parentLevel="1") == ["VN"]
        assert _codes(url, parentLevel="x") == everything
        return
    assert _codes(url, level="1", parentLevel="1") == provinces
    assert _codes(url, level="-3", parentLevel="2") == provinces  # max(0, level)
    assert _codes(url, level="0", parentLevel="0x1") == ["VN"]
    assert _codes(url, parentLevel="1") == everything  # without `level` it does nothing
    assert _codes(url, level="2147483647", parentLevel="2147483647") == []  # wraps to -2
    refused = _refused(url, parentLevel="x")
    assert (refused.status_code, refused.json()) == (400, {**ENVELOPE, "message":
        "Value 'x' is not valid for parameter parentLevel. For input string: \"x\""})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_first_refusal_in_name_order_of_every_bean_field(sandbox_factory, version: str) -> None:
    # 2.42.5 / 2.43.1: the whole bean bound in name order (ServletRequestParameterPropertyValues),
    # CrudControllerAdvice#handleBindException on the first field error: GetObjectListParams
    # `rootJunction` (:79), `paging` (:84), `page` (:88), `pageSize` (:92), GetObjectParams
    # `defaults` (:76) with the controller's fields. 2.41.9: WebOptions reads paging leniently
    # and nothing binds `rootJunction`/`defaults`.
    url = sandbox_factory(version=version).url
    cases = (
        ({"userOnly": "maybe", "paging": "maybe"},
         "Value 'maybe' is not valid for parameter paging. It should be of type boolean"),
        ({"userOnly": "maybe", "page": "x"},
         "Value 'x' is not valid for parameter page. It should be of type int"),
        ({"pageSize": "y", "page": "x"},
         "Value 'x' is not valid for parameter page. It should be of type int"),
        ({"withinUserHierarchy": "no", "pageSize": ""},
         "pageSize cannot be empty. It should be of type int"),
        ({"userOnly": "maybe", "rootJunction": "x"},
         "Value 'x' is not valid for parameter rootJunction. Valid values are: [AND, OR]"),
        ({"rootJunction": ""}, "rootJunction cannot be empty. Valid values are: [AND, OR]"),
        ({"level": "x", "defaults": "nope"},
         "Value 'nope' is not valid for parameter defaults. Valid values are: [INCLUDE, EXCLUDE]"),
    )
    for params, message in cases:
        answer = _refused(url, **params)
        if version == "2.41":
            assert answer.status_code == (400 if "level" in params else 200), params
        else:
            assert (answer.status_code, answer.json()) == (400, {**ENVELOPE, "message": message})
    # what converts is taken: an enum in any case, `paging` as Spring reads it
    assert _codes(url, LEADER, rootJunction="and", defaults="include",
                  withinUserHierarchy="true", paging="off") == ["VN-79-C001"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_refused_filter_is_400_e1003_with_any_parameter(sandbox_factory, version: str) -> None:
    # every form reaches AbstractFullReadOnlyController#getEntityList, which rethrows the
    # QueryParserException as a BadRequestException (E1003): 2.41.9 #getObjectList (:391-427)
    # and the `userOnly=true` / `userDataViewOnly=true` mappings (:285-322) through
    # #getObjectList(…, objects); 2.42.5 / 2.43.1 the bean's list (#getEntityList :489-492 /
    # :502-505)
    url = sandbox_factory(version=version).url
    for params in ({}, {"level": "2"}, {"userOnly": "true"}, {"userDataViewOnly": "true"},
                   {"withinUserHierarchy": "true"}):
        refused = requests.get(f"{url}/api/organisationUnits", auth=LEADER, timeout=10,
                               params={**params, "filter": "foo:eq:x"})
        assert (refused.status_code, refused.json()) == (400, {
            **ENVELOPE, "message": "Unknown path property: foo", "errorCode": "E1003"}), \
            (params, refused.text[:300])


def _method(name: str, user: str = "User") -> str:
    # java.lang.reflect.Method#toString of an OrganisationUnitController mapping (2.41.9)
    return ("public org.springframework.http.ResponseEntity org.hisp.dhis.webapi.controller."
            f"organisationunit.OrganisationUnitController.{name}(boolean,java.util.Map,"
            "org.hisp.dhis.dxf2.common.OrderParams,javax.servlet.http.HttpServletResponse,"
            f"org.hisp.dhis.user.{user}) throws org.hisp.dhis.feedback.ForbiddenException,"
            "org.hisp.dhis.feedback.BadRequestException")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_two_flag_mappings_of_2_41_are_ambiguous(sandbox_factory, version: str) -> None:
    # 2.41.9 OrganisationUnitController maps userOnly=true, userDataViewOnly=true,
    # userDataViewFallback=true, levelSorted=true apart (:285, :306, :328, :352); two in one
    # request tie in Spring 5.3.39 AbstractHandlerMethodMapping#lookupHandlerMethod (:427-434),
    # CrudControllerAdvice#dataApprovalExceptionHandler (:388-392) answers the
    # IllegalStateException 409; which method comes first is Class#getDeclaredMethods' order.
    # 2.42.5 / 2.43.1 bind every flag into one bean and combine them.
    url = sandbox_factory(version=version).url
    for params, pair in (({"userOnly": "true", "userDataViewOnly": "true"},
                          (_method("getUserOrganisationUnits"),
                           _method("getUserDataViewOrganisationUnits"))),
                         ({"levelSorted": "true", "userDataViewFallback": "true", "level": "2"},
                          (_method("getUserDataViewOrganisationUnitsWithFallback"),
                           _method("getAllOrganisationUnitsByLevel", "UserDetails")))):
        answer = requests.get(f"{url}/api/organisationUnits", params=params, auth=LEADER,
                              timeout=10)
        if version != "2.41":
            assert answer.status_code == 200, answer.text
            continue
        messages = {f"Ambiguous handler methods mapped for '/api/organisationUnits': {{{a}, {b}}}"
                    for a, b in (pair, pair[::-1])}
        body = answer.json()
        assert (answer.status_code, body.keys() & {"errorCode"}) == (409, set()), answer.text
        assert body["message"] in messages
        assert (body["httpStatus"], body["status"]) == ("Conflict", "ERROR")
    if version == "2.41":  # a presence-only condition and another value do not tie
        assert _codes(url, LEADER, userOnly="true", getObjectList="x",
                      userDataViewOnly="True") == ["VN-79-C001"]


def _list(url: str, **params: str) -> requests.Response:
    return requests.get(f"{url}/api/organisationUnits", params=params, auth=ADMIN, timeout=10)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_level_sorted_alone_lists_every_unit_paged_in_memory_on_2_41(
        sandbox_factory, version: str) -> None:
    # 2.41.9 #getAllOrganisationUnitsByLevel (:352-370): every unit, no other parameter read,
    # through #getObjectList(…, objects): the default name order, then InMemoryQueryEngine
    # pages (PagerUtils#pageCollection) and #getObjectList counts and pages that page again
    # (:225-238). 2.42.5 / 2.43.1: a flag of the bean, the plain list with its filters
    url = sandbox_factory(version=version).url
    everything = _codes(url)
    assert len(everything) == 172
    assert _codes(url, levelSorted="true", level="2") == (
        everything if version == "2.41" else _codes(url, level="2"))
    first = _list(url, levelSorted="true", fields="code").json()
    plain = _list(url, fields="code").json()
    if version != "2.41":
        assert first["organisationUnits"] == plain["organisationUnits"]
        assert {k: v for k, v in first["pager"].items() if k != "nextPage"} == {
            "page": 1, "total": 172, "pageSize": 50, "pageCount": 4}
        return
    assert first["pager"] == {"page": 1, "total": 50, "pageSize": 50, "pageCount": 1}
    assert first["organisationUnits"] == plain["organisationUnits"]
    second = _list(url, levelSorted="true", page="2", pageSize="60", fields="code").json()
    assert second == {"pager": {"page": 1, "total": 60, "pageSize": 60, "pageCount": 1},
                      "organisationUnits": []}
    beyond = _list(url, levelSorted="true", page="9", fields="code").json()
    assert beyond["pager"]["total"] == 1 and beyond["organisationUnits"] == []
    # the same cut for the other flag mappings' units
    mine = _list(url, userOnly="true", page="2", fields="code").json()
    assert mine["organisationUnits"] == [] and mine["pager"]["total"] == 1


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_get_object_list_parameter_alone_is_the_overrides_unresolvable_user(
        sandbox_factory, version: str) -> None:
    # 2.41.9 OrganisationUnitController's `params = "getObjectList"` override (:372-383):
    # Spring 5.3.39 reads no superclass parameter annotation, so its UserDetails is a model
    # attribute BeanUtils#getResolvableConstructor cannot build: 409 from
    # CrudControllerAdvice#dataApprovalExceptionHandler. A `<flag>=true` mapping wins over it.
    # 2.42.5 / 2.43.1 have no such mapping: an unknown parameter of the plain list
    url = sandbox_factory(version=version).url
    for params in ({"getObjectList": ""}, {"getObjectList": "x", "level": "2"},
                   {"getObjectList": "true", "levelSorted": "false"}):
        answer = _list(url, **params)
        if version != "2.41":
            assert answer.status_code == 200, answer.text
            continue
        assert (answer.status_code, answer.json()) == (409, {
            "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
            "message": "No primary or single unique constructor found for interface "
                       "org.hisp.dhis.user.UserDetails"})
    assert _codes(url, getObjectList="x", levelSorted="true") == _codes(url)
