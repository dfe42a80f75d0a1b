"""PUT and PATCH /api/categoryOptionCombos/{uid}: CategoryOptionComboController's own update
(`sandbox/metadata/option_combo_update.py`)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.sandbox.helpers import ADMIN

COC = "HllvX50cXC0"  # the default option combo
ATTRIBUTE = "AttrCoc0001"
OK = {"httpStatus": "OK", "httpStatusCode": 200, "status": "OK"}
DTO = "org.hisp.dhis.category.CategoryOptionComboUpdateDto"
PATCH = "application/json-patch+json"


def _send(url: str, method: str, body: bytes | str, content_type: str | None = "application/json",
          uid: str = COC) -> requests.Response:
    headers = {"Content-Type": content_type} if content_type else {}
    return requests.request(method, f"{url}/api/categoryOptionCombos/{uid}", data=body,
                            auth=ADMIN, timeout=10, headers=headers)


def _combo(url: str) -> dict[str, Any]:
    response = requests.get(f"{url}/api/categoryOptionCombos/{COC}", auth=ADMIN, timeout=10,
                            params={"fields": "name,code,ignoreApproval,lastUpdated,"
                                              "attributeValues[value,attribute[id]]"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _attribute(url: str) -> None:
    response = requests.post(f"{url}/api/attributes", auth=ADMIN, timeout=10, json={
        "id": ATTRIBUTE, "name": "Combo attribute", "shortName": "Combo attribute",
        "valueType": "TEXT", "categoryOptionComboAttribute": True})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_put_sets_only_what_update_coc_sets(sandbox_factory, version: str) -> None:
    # DefaultCategoryOptionComboService#updateCoc sets code, ignoreApproval and attributeValues
    # when not null, nothing else; the controller answers WebMessageUtils#ok()
    url = sandbox_factory(version=version).url
    _attribute(url)
    before = _combo(url)
    response = _send(url, "PUT", (
        '{"name": "Renamed", "code": "COC_A", "ignoreApproval": true, "unknown": [1], '
        f'"attributeValues": [{{"attribute": {{"id": "{ATTRIBUTE}"}}, "value": "v"}}]}}'))
    assert (response.status_code, response.json()) == (200, OK)
    after = _combo(url)
    assert (after["name"], after["code"], after["ignoreApproval"]) == (
        before["name"], "COC_A", True)
    assert after["attributeValues"] == [{"value": "v", "attribute": {"id": ATTRIBUTE}}]
    assert after["lastUpdated"] >= before["lastUpdated"]
    # "" is null through EmptyStringToNullStdDeserializer, a JSON null is null: both left as
    # they were; an empty list clears the values
    response = _send(url, "PUT", '{"code": "", "ignoreApproval": null, "attributeValues": []}')
    assert (response.status_code, response.json()) == (200, OK)
    after = _combo(url)
    assert (after["code"], after["ignoreApproval"], after.get("attributeValues", [])) == (
        "COC_A", True, [])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_put_members_are_read_as_the_update_record(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    mapping = 409 if version == "2.43" else 500
    boolean = _send(url, "PUT", '{"ignoreApproval": "maybe"}')
    assert (boolean.status_code, boolean.json()["message"]) == (mapping, (
        'Cannot deserialize value of type `java.lang.Boolean` from String "maybe": only "true" '
        'or "false" recognized\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_'
        'LOCATION` disabled); line: 1, column: 20] (through reference chain: '
        f'{DTO}["ignoreApproval"])'))
    values = _send(url, "PUT", '{"attributeValues": "x"}')
    assert values.status_code == mapping, values.text
    if version == "2.41":
        assert values.json()["message"].startswith(
            "Cannot deserialize value of type `java.util.HashSet<org.hisp.dhis.attribute."
            "AttributeValue>` from String value (token `JsonToken.VALUE_STRING`)")
    elif version == "2.42":
        # #defaultExceptionHandler answers the wrapped IllegalArgumentException's message
        assert values.json()["message"] == 'Not a valid attribute value JSON: "x"'
    else:
        assert values.json()["message"] == (
            f'Not a valid attribute value JSON: "x" (through reference chain: '
            f'{DTO}["attributeValues"])')
    # a number is a code's text
    assert _send(url, "PUT", '{"code": 12}').status_code == 200
    assert _combo(url)["code"] == "12"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_put_media_types_per_release(sandbox_factory, version: str) -> None:
    # 2.43.1's @PutMapping has no `consumes`; 2.41.9/2.42.5 inherit `consumes` JSON
    url = sandbox_factory(version=version).url
    plain = _send(url, "PUT", '{"code": "PLAIN"}', "text/plain")
    none = _send(url, "PUT", '{"code": "NONE"}', None)
    if version == "2.43":
        assert (plain.status_code, plain.json()) == (200, OK)
        assert (none.status_code, none.json()) == (200, OK)
        assert _combo(url)["code"] == "NONE"
    else:
        assert plain.status_code == 415 and none.status_code == 415, plain.text
        assert _combo(url)["code"] == "default"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_refuses_other_paths_with_e1134(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    name = _combo(url)["name"]
    refused = _send(url, "PATCH", '[{"op": "replace", "path": "/code", "value": "X"}, '
                                  '{"op": "replace", "path": "/name", "value": "Other"}]', PATCH)
    assert (refused.status_code, refused.json()) == (409, {
        "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
        "message": "Only properties [attributeValues, code, ignoreApproval] are updatable for "
                   "Category option combo", "errorCode": "E1134"})
    assert (_combo(url)["name"], _combo(url)["code"]) == (name, "default")
    # the whole document's path has no property: Set.of(…).contains(null)'s NPE
    whole = _send(url, "PATCH", '[{"op": "replace", "path": "", "value": {}}]', PATCH)
    assert (whole.status_code, whole.json()) == (500, {
        "httpStatus": "Internal Server Error", "httpStatusCode": 500, "status": "ERROR"})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_sets_the_three_fields_through_update_coc(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    _attribute(url)
    response = _send(url, "PATCH", (
        '[{"op": "add", "path": "/code", "value": "COC_P"}, '
        '{"op": "replace", "path": "/ignoreApproval", "value": true}, '
        f'{{"op": "add", "path": "/attributeValues/-", "value": {{"attribute": {{"id": '
        f'"{ATTRIBUTE}"}}, "value": "p"}}}}]'), PATCH)
    assert (response.status_code, response.json()) == (200, OK)
    after = _combo(url)
    assert (after["code"], after["ignoreApproval"], after["attributeValues"]) == (
        "COC_P", True, [{"value": "p", "attribute": {"id": ATTRIBUTE}}])
    # a removed code converts to a null one, which #updateCoc does not set
    removed = _send(url, "PATCH", '[{"op": "remove", "path": "/code"}]', PATCH)
    assert (removed.status_code, removed.json()) == (200, OK)
    assert _combo(url)["code"] == "COC_P"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_media_types_per_release(sandbox_factory, version: str) -> None:
    # 2.43.1's @PatchMapping has no `consumes`: the @RequestBody converters decide
    url = sandbox_factory(version=version).url
    body = '[{"op": "replace", "path": "/code", "value": "JSON"}]'
    as_json = _send(url, "PATCH", body)
    plain = _send(url, "PATCH", body, "text/plain")
    none = _send(url, "PATCH", body, None)
    if version == "2.43":
        assert (as_json.status_code, as_json.json()) == (200, OK)
        assert _combo(url)["code"] == "JSON"
        assert (plain.status_code, plain.json()["message"]) == (
            415, "Content-Type 'text/plain' is not supported")
        assert (none.status_code, none.json()["message"]) == (
            415, "Content-Type 'application/octet-stream' is not supported")
        # the path's UID is bound before the body's converter is looked for
        bad = _send(url, "PATCH", body, "text/plain", uid="bad")
        assert bad.status_code == 400, bad.text
        # the XML converter reads only for WebMvcConfig.XML_PATTERNS (dataValueSets,
        # completeDataSetRegistrations): an XML body here finds no converter
        for xml in ("application/xml", "text/xml"):
            refused = _send(url, "PATCH", body, xml)
            assert (refused.status_code, refused.json()["message"]) == (
                415, f"Content-Type '{xml}' is not supported")
        assert _combo(url)["code"] == "JSON"
    else:
        assert as_json.status_code == 415 and plain.status_code == 415, as_json.text
        assert none.status_code == 415
        assert _combo(url)["code"] == "default"


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_a_null_option_combo_patch_fails_on_its_operations(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    response = _send(url, "PATCH", "null", PATCH)
    assert (response.status_code, response.json()["message"]) == (
        500, 'Cannot invoke "org.hisp.dhis.commons.jackson.jsonpatch.JsonPatch.getOperations()" '
             'because "patch" is null')
