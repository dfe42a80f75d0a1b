"""`POST /api/tracker`: an id of the tracker views given as no JSON string. 2.42.5/2.43.1 type the
ids and parent links `UID` (`@JsonCreator UID#of(String)`, Jackson's String creator), so a number,
a boolean, an object or an array is refused by Jackson before `UID#of` is reached
(`sandbox/tracker/imports/view_scalars.py#uid_refusal`); 2.41.9's String ids read it as text."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.tracker.imports.binding import BindingRefused, bind
from scdi.sandbox.tracker.imports.payload import PayloadError, flatten
from scdi.sandbox.tracker.imports.view_scalars import is_uid
from scdi.upstream.releases import RELEASES

_UID = "org.hisp.dhis.common.UID"
_NO_CREATOR = f"Cannot construct instance of `{_UID}` (although at least one Creator exists): "
_OBJECT = _NO_CREATOR + "cannot deserialize from Object value (no delegate- or property-based Creator)"
_ARRAY = f"Cannot deserialize value of type `{_UID}` from Array value (token `JsonToken.START_ARRAY`)"


def _number(kind: str, shown: str) -> str:
    return (f"{_NO_CREATOR}no {kind}-argument constructor/factory method to deserialize from "
            f"Number value ({shown})")


# each value as written in the body → Jackson's original message (jackson-databind 2.21.0 and
# 2.22.3 on a bean with a `@JsonCreator static of(String)`, the same words)
VALUES = [
    ("5", _number("int/Int", "5")),
    ("-7", _number("int/Int", "-7")),
    ("-0", _number("int/Int", "0")),
    ("12345678901", _number("long/Long", "12345678901")),
    ("-2147483649", _number("long/Long", "-2147483649")),
    ("123456789012345678901234567890", _number("BigInteger", "123456789012345678901234567890")),
    ("1.50", _number("double/Double", "1.5")),
    ("1e5", _number("double/Double", "100000.0")),
    ("-0.0", _number("double/Double", "-0.0")),
    ("true", f"{_NO_CREATOR}no boolean/Boolean-argument constructor/factory method to deserialize "
             "from boolean value (true)"),
    ("false", f"{_NO_CREATOR}no boolean/Boolean-argument constructor/factory method to "
              "deserialize from boolean value (false)"),
    ("{}", _OBJECT),
    ('{"a": [1, {"b": 2}]}', _OBJECT),
    ("[]", _ARRAY),
    ('["abcdefghijk"]', _ARRAY),
]

# every `UID` member of the views: the objects' own ids, the note's, the parent links and a
# relationship item's
MEMBERS = [
    '{"trackedEntities": [{"trackedEntity": %s}]}',
    '{"enrollments": [{"enrollment": %s}]}',
    '{"events": [{"event": %s}]}',
    '{"relationships": [{"relationship": %s}]}',
    '{"events": [{"notes": [{"note": %s}]}]}',
    '{"trackedEntities": [{"enrollments": [{"notes": [{"note": %s}]}]}]}',
    '{"enrollments": [{"trackedEntity": %s}]}',
    '{"events": [{"enrollment": %s}]}',
    '{"events": [{"trackedEntity": %s}]}',
    '{"relationships": [{"from": {"trackedEntity": {"trackedEntity": %s}}}]}',
    '{"relationships": [{"to": {"enrollment": {"enrollment": %s}}}]}',
    '{"relationships": [{"from": {"event": {"event": %s}}}]}',
]


def _post(url: str, body: str) -> requests.Response:
    return requests.post(f"{url}/api/tracker", data=body.encode(),
                         headers={"Content-Type": "application/json"},
                         params={"async": "false"}, auth=("admin", "district"), timeout=10)


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_an_id_that_is_no_json_string_is_refused_before_uid_of(sandbox_factory, version):
    # Spring 6's "JSON parse error: " + getOriginalMessage(); only a text reaches `UID#of`
    url = sandbox_factory(version=version).url
    for value, original in VALUES:
        answer = _post(url, MEMBERS[2] % value)
        assert (answer.status_code, answer.json()["message"]) == (
            400, f"JSON parse error: {original}"), value
    for member in MEMBERS:
        for value, original in (("5", VALUES[0][1]), ("{}", _OBJECT), ("[]", _ARRAY)):
            answer = _post(url, member % value)
            assert (answer.status_code, answer.json()["message"]) == (
                400, f"JSON parse error: {original}"), member % value
    # a text is `UID#of`'s refusal; a JSON null is no refusal (an absent id), so the later
    # member's answers
    answer = _post(url, MEMBERS[2] % '"12345"')
    assert answer.json()["message"] == (
        f"JSON parse error: Cannot construct instance of `{_UID}`, problem: UID must be an "
        "alphanumeric string of 11 characters starting with a letter, but was: 12345")
    answer = _post(url, '{"events": [{"event": null, "enrollment": true}]}')
    assert answer.json()["message"] == f"JSON parse error: {VALUES[9][1]}"


def test_a_2_41_id_that_is_no_json_string_is_read_as_a_string(sandbox_factory):
    # 2.41.9's ids are Strings (EmptyStringToNullStdDeserializer): a number is its text, which
    # the UidValidators report (E1048); an object or an array is null, so generated
    url = sandbox_factory(version="2.41").url
    answer = _post(url, '{"events": [{"event": 5}]}')
    assert answer.status_code != 400 and not answer.text.startswith("JSON parse error")
    assert "E1048" in answer.text
    for value in ("{}", "[]"):
        answer = _post(url, MEMBERS[2] % value)
        assert answer.status_code != 400, answer.text
        assert "E1048" not in answer.text


_CHAIN = ("org.hisp.dhis.webapi.controller.tracker.imports.Body[\"events\"]->java.util.ArrayList"
          "[{}]->org.hisp.dhis.webapi.controller.tracker.view.Event[\"{}\"]")
_SOURCE = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"


@pytest.mark.parametrize("version", ["2.42", "2.43"])
@pytest.mark.parametrize("body,original,column,index,member", [
    ('{"events":[{"event":5}]}', VALUES[0][1], 21, 0, "event"),
    ('{"events":[{"orgUnit":"x"},{"event":1e5}]}', VALUES[7][1], 37, 1, "event"),
    ('{"events":[ {"orgUnit":"x",  "enrollment": -0}]}', VALUES[2][1], 44, 0, "enrollment"),
    # an object is refused after its `{`: at its first member's name or its `}`
    ('{"events":[{"event":{}}]}', _OBJECT, 22, 0, "event"),
    ('{"events":[{"event":{ }}]}', _OBJECT, 23, 0, "event"),
    ('{"events":[{"event":{   "a":{"b":1}}, "orgUnit":5}]}', _OBJECT, 25, 0, "event"),
    # an array at its `[`, whatever it holds
    ('{"events":[{"event": [ [1], {} ] }]}', _ARRAY, 22, 0, "event"),
    # the first refusal in document order answers: a UID before a date, a date before a UID
    ('{"events":[{"event":true,"occurredAt":"x"}]}', VALUES[9][1], 21, 0, "event"),
])
def test_a_uid_refusal_is_located_as_jackson_locates_it(version, body, original, column, index,
                                                        member):
    # the location and the reference chain Jackson writes after the message (only 2.41's
    # Spring 5 shows them, whose ids are Strings; checked against the same jars)
    with pytest.raises(BindingRefused) as caught:
        bind(body, RELEASES[version])
    problem = caught.value.problem
    assert problem.java_class == "com.fasterxml.jackson.databind.exc.MismatchedInputException"
    assert problem.message == (f"{original}\n at {_SOURCE}; line: 1, column: {column}] (through "
                               f"reference chain: {_CHAIN.format(index, member)})")


def test_a_date_before_a_uid_is_refused_first():
    with pytest.raises(BindingRefused) as caught:
        bind('{"events":[{"occurredAt":"x","event":true}]}', RELEASES["2.43"])
    assert caught.value.problem.original.startswith("Invalid date format 'x'")


def test_the_flattened_ids_read_as_their_release_reads_them():
    # 2.41.9: a boolean or a number its text, an object or an array null (generated);
    # 2.42.5/2.43.1: Jackson's refusal of a value that is no text
    flat = flatten({"trackedEntities": [{"trackedEntity": True}, {"trackedEntity": {}}]},
                   typed_uids=False)
    assert flat.tracked_entities[0]["trackedEntity"] == "true"
    assert is_uid(flat.tracked_entities[1]["trackedEntity"])
    for value, original in ((5, VALUES[0][1]), (True, VALUES[9][1]), ({}, _OBJECT), ([], _ARRAY)):
        with pytest.raises(PayloadError) as caught:
            flatten({"trackedEntities": [{"trackedEntity": value}]}, typed_uids=True)
        assert str(caught.value) == f"JSON parse error: {original}"
