"""MULTI_TEXT data elements and option sets through the CRUD endpoints (metadata/multi_text.py:
DataElementController and OptionSetController's pre-save checks; /api/metadata has E1118 only)."""

from __future__ import annotations

from typing import Any

import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

OPTIONS = [{"id": "opMulti0001", "name": "Sốt", "code": "FEVER"},
           {"id": "opMulti0002", "name": "Ho, khó thở", "code": "COUGH,BREATH"}]
MULTI = {"id": "osMulti0001", "name": "Triệu chứng", "valueType": "MULTI_TEXT",
         "options": [{"id": "opMulti0001"}]}
COMMA = {"id": "osMulti0002", "name": "Triệu chứng cũ", "valueType": "MULTI_TEXT",
         "options": [{"id": "opMulti0001"}, {"id": "opMulti0002"}]}
ELEMENT = {"name": "Triệu chứng ghi nhận", "shortName": "Triệu chứng ghi nhận",
           "valueType": "MULTI_TEXT", "aggregationType": "NONE", "domainType": "TRACKER"}


def _post(url: str, plural: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(f"{url}/api/{plural}", json=body, auth=ADMIN, timeout=30)


def _conflict(response: requests.Response) -> tuple[str, str]:
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["status"] == "ERROR" and "response" not in body
    return body["errorCode"], body["message"]


def test_data_element_checks(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    # the comma code is only refused for a MULTI_TEXT set: store it through a TEXT set first
    setup = {"options": OPTIONS, "optionSets": [MULTI, {**COMMA, "valueType": "TEXT"}]}
    assert post_metadata(url, setup).json()["status"] == "OK"
    assert requests.put(f"{url}/api/optionSets/osMulti0002", json=COMMA, auth=ADMIN,
                        timeout=30).status_code == 409  # E1118, below
    with fresh_sandbox.store.transaction():
        fresh_sandbox.store.put_object("optionSets", {
            **fresh_sandbox.store.get_object("optionSets", "osMulti0002"),
            "valueType": "MULTI_TEXT"})
    assert _conflict(_post(url, "dataElements", ELEMENT)) == (
        "E1116", "Data element of value type multi-text must have an option set: `null`")
    assert _conflict(_post(url, "dataElements", {**ELEMENT, "id": "deMulti0001"})) == (
        "E1116", "Data element of value type multi-text must have an option set: `deMulti0001`")
    assert _conflict(_post(url, "dataElements", {
        **ELEMENT, "valueType": "TEXT", "optionSet": {"id": "osMulti0001"}})) == (
        "E1115", "Data element value type must match option set value type: `MULTI_TEXT`")
    assert _conflict(_post(url, "dataElements", {
        **ELEMENT, "id": "deMulti0002", "optionSet": {"id": "osMulti0002"}})) == (
        "E1117", "Data element `deMulti0002` of value type multi-text cannot reference an "
                 "option set `osMulti0002` with the separator character in one of its codes: "
                 "`COUGH,BREATH`")
    # an option set that is not stored is left to the import
    unknown = _post(url, "dataElements", {**ELEMENT, "optionSet": {"id": "osUnknown01"}})
    assert unknown.status_code == 409 and unknown.json()["response"]["errorReports"][0][
        "errorCode"] == "E5002"
    created = _post(url, "dataElements", {**ELEMENT, "id": "deMulti0003",
                                          "optionSet": {"id": "osMulti0001"}})
    assert created.status_code == 201, created.text
    changed = requests.put(f"{url}/api/dataElements/deMulti0003", json={
        **ELEMENT, "optionSet": {"id": "osMulti0002"}}, auth=ADMIN, timeout=30)
    assert _conflict(changed)[0] == "E1117"  # the path uid is set before the check
    assert "`deMulti0003`" in changed.json()["message"]


def test_option_set_checks(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    assert post_metadata(url, {"options": OPTIONS}).json()["status"] == "OK"
    assert _conflict(_post(url, "optionSets", {**COMMA, "id": None})) == (
        "E1118", "Option set `null` of value type multi-text cannot have option codes with the "
                 "separator character: `COUGH,BREATH`")
    assert _conflict(_post(url, "optionSets", {
        **MULTI, "options": [{"id": "opMissing01"}]})) == (
        "E1113", "Object of type `Option` not found or not accessible: `opMissing01`")
    assert _conflict(_post(url, "optionSets", {
        **MULTI, "options": [{"name": "Không mã"}]})) == (
        "E4000", "Missing required property `code`")
    # an empty code is read as none (EmptyStringToNullStdDeserializer): E4000, or the stored
    # option's code when the option names a uid
    assert _conflict(_post(url, "optionSets", {
        **MULTI, "options": [{"name": "Mã rỗng", "code": ""}]})) == (
        "E4000", "Missing required property `code`")
    assert _conflict(_post(url, "optionSets", {
        **COMMA, "id": None, "options": [{"id": "opMulti0002", "code": ""}]})) == (
        "E1118", "Option set `null` of value type multi-text cannot have option codes with the "
                 "separator character: `COUGH,BREATH`")
    # a TEXT set may hold the separator
    assert _post(url, "optionSets", {**COMMA, "valueType": "TEXT"}).status_code == 201


def test_an_option_set_the_caller_may_not_read_is_left_to_the_import(
        fresh_sandbox: RunningSandbox) -> None:
    # optionSetStore.getByUid goes through getSharingPredicates: a set the caller cannot read
    # is not found, so neither E1115 nor E1117 is raised for it
    url = fresh_sandbox.url
    private = {"public": "--------", "owner": "M5zQapPyTZI", "users": {}, "userGroups": {}}
    setup = {"options": OPTIONS, "optionSets": [{**MULTI, "sharing": private},
                                                {**COMMA, "valueType": "TEXT", "sharing": private}]}
    assert post_metadata(url, setup).json()["status"] == "OK"
    with fresh_sandbox.store.transaction():
        fresh_sandbox.store.put_object("optionSets", {
            **fresh_sandbox.store.get_object("optionSets", "osMulti0002"),
            "valueType": "MULTI_TEXT"})
    manager = ("metadata.manager", "district")
    for body in ({**ELEMENT, "valueType": "TEXT", "optionSet": {"id": "osMulti0001"}},
                 {**ELEMENT, "optionSet": {"id": "osMulti0002"}}):
        answer = requests.post(f"{url}/api/dataElements", json=body, auth=manager, timeout=30)
        assert answer.json().get("errorCode") not in {"E1115", "E1117"}, answer.text
        assert "response" in answer.json(), answer.text  # the import's report
    # the superuser reads every set: the checks run
    assert _conflict(_post(url, "dataElements", {
        **ELEMENT, "valueType": "TEXT", "optionSet": {"id": "osMulti0001"}}))[0] == "E1115"
