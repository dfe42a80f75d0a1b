"""Optional `@RequestParam` Integers and Booleans sent empty, as whitespace, as no number or
word, and repeated, as Spring 5.3.39 (2.41) and 6.2.8 (2.42, 2.43) bind them
(`core/spring_params.py#request_param_int`/`#request_param_bool`): `/api/system/id`,
the reserved values, the datastore and `/api/resourceTables/analytics`."""

from __future__ import annotations

import re

import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN

# CrudControllerAdvice#getNotValidValueMessage writes a repeated parameter's String[] with
# `%s`: its class and identity hash
_ARRAY = r"Value '\[Ljava\.lang\.String;@[0-9a-f]{1,8}' is not valid for parameter "


def _npe(name: str, boxed: str = "Integer") -> tuple[int, str]:
    primitive = {"Integer": "int", "Boolean": "boolean"}[boxed]
    return 500, f'Cannot invoke "java.lang.{boxed}.{primitive}Value()" because "{name}" is null'


def _answer(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json().get("message", "")


def test_system_id_limit_empty_blank_and_repeated(release_sandbox: tuple[str, RunningSandbox]) -> None:
    version, running = release_sandbox
    url = f"{running.url}/api/system/id"

    def ask(query: str) -> requests.Response:
        return requests.get(f"{url}?{query}", auth=ADMIN, timeout=10)

    # exactly empty: the defaultValue "1" before conversion, at every release
    assert len(ask("limit=").json()["codes"]) == 1
    assert _answer(ask("limit=x")) == (
        400, "Value 'x' is not valid for parameter limit. For input string: \"x\"")
    # repeated: the ConversionService converts the String[]'s first value only
    assert len(ask("limit=3&limit=x").json()["codes"]) == 3
    # a first value that is empty converts to null (it is no "" the default replaces): Spring 6
    # converts the default, Spring 5.3 keeps the null for `Math.min` to unbox
    if version == "2.41":
        assert _answer(ask("limit=&limit=2")) == _npe("limit")
    else:
        assert len(ask("limit=&limit=2").json()["codes"]) == 1
    # a first value that does not convert: the default editor reads them joined with commas
    for query, joined in (("limit=%20&limit=2", ",2"), ("limit=x&limit=2", "x,2"),
                          ("limit=%20&limit=%20", ",")):
        status, message = _answer(ask(query))
        assert status == 400 and re.fullmatch(
            _ARRAY + re.escape(f'limit. For input string: "{joined}"'), message), (query, message)


def _generated_attribute(running: RunningSandbox, uid: str) -> str:
    running.store.put_object("trackedEntityAttributes", {
        "id": uid, "name": uid, "valueType": "TEXT", "unique": True, "generated": True,
        "pattern": '"N" + SEQUENTIAL(###)'})
    return f"{running.url}/api/trackedEntityAttributes/{uid}"


def test_reserved_values_integers_repeated(release_sandbox: tuple[str, RunningSandbox]) -> None:
    version, running = release_sandbox
    running.reset()
    url = _generated_attribute(running, "atrSeqRep01")

    def reserve(query: str) -> requests.Response:
        return requests.get(f"{url}/generateAndReserve?{query}", auth=ADMIN, timeout=10)

    assert len(reserve("numberToReserve=2&numberToReserve=x").json()) == 2
    if version == "2.41":
        assert _answer(reserve("numberToReserve=&numberToReserve=3")) == _npe("numberToReserve")
    else:
        assert len(reserve("numberToReserve=&numberToReserve=3").json()) == 1
    status, message = _answer(reserve("expiration=%20&expiration=1"))
    assert status == 400 and re.fullmatch(
        _ARRAY + re.escape('expiration. For input string: ",1"'), message), message
    generate = requests.get(f"{url}/generate?expiration=%09&expiration=2", auth=ADMIN, timeout=10)
    status, message = _answer(generate)
    assert status == 400 and re.fullmatch(
        _ARRAY + re.escape('expiration. For input string: ",2"'), message), message


def test_datastore_roll_and_primitive_flags(release_sandbox: tuple[str, RunningSandbox]) -> None:
    _version, running = release_sandbox
    running.reset()
    url = f"{running.url}/api/dataStore/scdiBlank/k"
    assert requests.post(url, json=[1], auth=ADMIN, timeout=10).status_code == 201

    def put(query: str, value: object) -> requests.Response:
        return requests.put(f"{url}?{query}", json=value, auth=ADMIN, timeout=10)

    # `Integer roll` has no default: a repeated roll's empty first value is null, no roll
    assert put("roll=&roll=1", [2]).status_code == 200
    assert requests.get(url, auth=ADMIN, timeout=10).json() == [2]
    assert put("roll=2&roll=x", 3).status_code == 200
    assert requests.get(url, auth=ADMIN, timeout=10).json() == [2, 3]
    status, message = _answer(put("roll=%20&roll=2", 4))
    assert status == 400 and re.fullmatch(
        _ARRAY + re.escape('roll. For input string: ",2"'), message), message
    # `boolean encrypt` (defaultValue "false"): empty is the default; whitespace only is the
    # null a primitive cannot take, which CustomBooleanEditor(allowEmpty=false) refuses
    assert put("encrypt=", [5]).status_code == 200
    for raw, shown in ((" ", " "), ("maybe", "maybe")):
        assert _answer(put(f"encrypt={raw}", 6)) == (
            400, f"Value '{shown}' is not valid for parameter encrypt. It should be of type boolean")
        created = requests.post(f"{running.url}/api/dataStore/scdiBlank/other",
                                params={"encrypt": raw}, json=1, auth=ADMIN, timeout=10)
        assert _answer(created) == (
            400, f"Value '{shown}' is not valid for parameter encrypt. It should be of type boolean")
    assert requests.get(url, auth=ADMIN, timeout=10).json() == [5]
    assert requests.get(f"{running.url}/api/dataStore/scdiBlank", auth=ADMIN, timeout=10).json() == ["k"]
    status, message = _answer(put("encrypt=x&encrypt=true", 7))
    assert status == 400 and re.fullmatch(
        _ARRAY + "encrypt. It should be of type boolean", message), message
    # `boolean includeAll` alike, on the entries query
    entries = f"{running.url}/api/dataStore/scdiBlank?fields=."
    assert requests.get(entries + "&includeAll=", auth=ADMIN, timeout=10).status_code == 200
    assert _answer(requests.get(entries + "&includeAll=%20", auth=ADMIN, timeout=10)) == (
        400, "Value ' ' is not valid for parameter includeAll. It should be of type boolean")


def test_analytics_blank_flags_per_release(release_sandbox: tuple[str, RunningSandbox]) -> None:
    version, running = release_sandbox
    running.reset()
    url = f"{running.url}/api/resourceTables/analytics"

    def run(query: str, auth: tuple[str, str] = ADMIN) -> requests.Response:
        return requests.post(f"{url}?{query}", auth=auth, timeout=10)

    # a table flag is read with BooleanUtils#isTrue: whitespace only skips nothing anywhere
    answer = run("skipEvents=%20&lastYears=%20")
    assert answer.status_code == 200, answer.text
    parameters = answer.json()["response"]["jobParameters"]
    assert parameters["skipTableTypes"] == [] and "lastYears" not in parameters
    # skipResourceTables and skipOutliers go into AnalyticsJobParameters' `boolean`s: 2.41 keeps
    # the null and unboxes it (after @PreAuthorize), 2.42+ convert the default
    for query, first in (("skipOutliers=%20", "skipOutliers"),
                         ("skipOutliers=%20&skipResourceTables=%09", "skipResourceTables")):
        answer = run(query)
        if version == "2.41":
            assert _answer(answer) == _npe(first, "Boolean"), query
        else:
            assert answer.status_code == 200, answer.text
            parameters = answer.json()["response"]["jobParameters"]
            assert parameters["skipResourceTables"] is False and parameters["skipOutliers"] is False
    assert run("skipResourceTables=%20", ("dashboard.viewer", "district")).status_code == 403
    # repeated: the first value binds; one that is no word makes the editor read them all
    answer = run("skipEvents=true&skipEvents=maybe")
    assert answer.status_code == 200, answer.text
    assert answer.json()["response"]["jobParameters"]["skipTableTypes"] == ["EVENT"]
    status, message = _answer(run("skipEvents=maybe&skipEvents=true"))
    assert status == 400 and re.fullmatch(
        _ARRAY + re.escape("skipEvents. Invalid boolean value [maybe,true]"), message), message


def test_a_parameter_the_request_lacks_is_read_as_name_brackets_from_2_42(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # Spring 6.2.8's RequestParamMethodArgumentResolver#resolveName falls back to `name[]`;
    # Spring 5.3.39 (2.41) does not, so there the parameter is absent and takes its default
    version, running = release_sandbox
    running.reset()
    spring6 = version != "2.41"

    def ids(query: str) -> int:
        answer = requests.get(f"{running.url}/api/system/id?{query}", auth=ADMIN, timeout=10)
        assert answer.status_code == 200, answer.text
        return len(answer.json()["codes"])

    assert ids("limit[]=3") == (3 if spring6 else 1)
    assert ids("limit=2&limit[]=3") == 2
    refused = requests.get(f"{running.url}/api/system/id?limit[]=x", auth=ADMIN, timeout=10)
    assert refused.status_code == (400 if spring6 else 200), refused.text
    if spring6:
        assert refused.json()["message"] == (
            "Value 'x' is not valid for parameter limit. For input string: \"x\"")
    analytics = requests.post(f"{running.url}/api/resourceTables/analytics?skipEvents[]=yes",
                              auth=ADMIN, timeout=10)
    assert analytics.status_code == 200, analytics.text
    assert analytics.json()["response"]["jobParameters"]["skipTableTypes"] == (
        ["EVENT"] if spring6 else [])
    entries = f"{running.url}/api/dataStore/scdiBlank?fields=.&includeAll[]=%20"
    assert requests.post(f"{running.url}/api/dataStore/scdiBlank/k", json=1, auth=ADMIN,
                         timeout=10).status_code == 201
    assert requests.get(entries, auth=ADMIN, timeout=10).status_code == (400 if spring6 else 200)
