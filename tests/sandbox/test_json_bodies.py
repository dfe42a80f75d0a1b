"""JSON bodies as DHIS2's Jackson object mapper writes them: compact, with Jackson's escapes."""

from __future__ import annotations

import json

import pytest
import requests

from scdi.sandbox.core import jackson_json
from scdi.sandbox.core.java_double import JavaDouble
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata
from tests.sandbox.tracker_fixture import get, install, person, post

VERSIONS = ["2.41", "2.42", "2.43"]


def _compact(text: str) -> str:
    """The text Jackson writes for what `text` holds (Jackson writes no white space)."""
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("version", VERSIONS)
def test_web_message_and_metadata_list_are_compact(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    missing = requests.get(f"{url}/api/dataElements/Zzzzzzzzzz1", auth=ADMIN, timeout=30)
    assert missing.status_code == 404
    assert missing.text.startswith('{"httpStatus":"Not Found","httpStatusCode":404,"status":"ERROR",')
    assert missing.text == _compact(missing.text)
    listed = requests.get(f"{url}/api/organisationUnits", params={"fields": "id,name,level"},
                          auth=ADMIN, timeout=30)
    assert listed.status_code == 200 and listed.json()["organisationUnits"]
    assert listed.text.startswith('{"pager":{"page":1,')
    assert listed.text == _compact(listed.text)


def test_tracker_export_is_compact(fresh_sandbox: RunningSandbox) -> None:
    m = install(fresh_sandbox)
    r = post(fresh_sandbox, {"trackedEntities": [person(m)]})
    assert r.status_code == 200, r.text
    assert r.text == _compact(r.text)
    exported = get(fresh_sandbox, "/api/tracker/trackedEntities", program=m.program)
    assert exported.status_code == 200 and exported.json()["trackedEntities"]
    assert exported.text == _compact(exported.text)
    assert '"trackedEntities":[{"' in exported.text


@pytest.mark.parametrize("version", VERSIONS)
def test_a_name_is_written_with_jacksons_escapes(sandbox_factory, version: str) -> None:
    # CharTypes: a control without a short escape is \u00XX in upper-case hex; a supplementary
    # character the UTF-16 pair UTF8JsonGenerator escapes; DEL, U+2028, `/`, `<` and é as they are
    url = sandbox_factory(version=version).url
    name = "Ctl\x1f\x0b\t\x7f\u2028/<é\U0001F600"
    payload = {"dataElements": [{"id": "DeEscapes01", "name": name, "shortName": "Escapes",
                                 "valueType": "TEXT", "aggregationType": "NONE",
                                 "domainType": "AGGREGATE"}]}
    imported = post_metadata(url, payload)
    assert imported.status_code == 200 and imported.json()["status"] == "OK", imported.text
    read = requests.get(f"{url}/api/dataElements/DeEscapes01", params={"fields": "name"},
                        auth=ADMIN, timeout=30)
    assert read.status_code == 200
    assert read.json() == {"name": name}
    assert read.text == '{"name":"Ctl\\u001F\\u000B\\t\x7f\u2028/<é\\uD83D\\uDE00"}'


@pytest.mark.parametrize("value, text", [
    ("a\x00\x1f\x0e", '"a\\u0000\\u001F\\u000E"'),
    ('"\\\b\f\n\r\t', '"\\"\\\\\\b\\f\\n\\r\\t"'),
    ("\U0001F600 \ud800", '"\\uD83D\\uDE00 \\uD800"'),
    ("\x7f\u2028\u00a0/<>&'", "\"\x7f\u2028\u00a0/<>&'\""),
    ([JavaDouble(1e9), JavaDouble(float("nan")), 1.5, 2, True, None, {}],
     '[1.0E9,"NaN",1.5,2,true,null,{}]'),
    ({"a": {"b": [1, {"c": "d"}]}, 1: "one"}, '{"a":{"b":[1,{"c":"d"}]},"1":"one"}'),
])
def test_the_writer_matches_jackson_core(value: object, text: str) -> None:
    # each text as jackson-core 2.21.2 and 2.22.3 (databind's ObjectMapper#writeValueAsBytes)
    # write the same Java values
    assert jackson_json.dumps(value) == text
