"""Collection endpoints of types without schema facts: DefaultCollectionService#validateUpdate
finds the property in the release's schema (every registered type's), owned collections change
the object, inverse many-to-many ones the owning side found by its role (2.41.9, 2.42.5,
2.43.1)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

VERSIONS = ["2.41", "2.42", "2.43"]
DES = [{"id": f"deUid00000{i}", "name": f"DE {i}", "shortName": f"DE {i}", "valueType": "INTEGER",
        "domainType": "AGGREGATE", "aggregationType": "SUM"} for i in (1, 2)]
GROUP = {"id": "degUid00001", "name": "Nhóm", "shortName": "Nhóm",
         "dataElements": [{"id": "deUid000001"}]}
GROUP_SET = {"id": "degsUid0001", "name": "Bộ nhóm", "shortName": "Bộ nhóm", "dataDimension": True}


def _setup(running: RunningSandbox) -> None:
    answer = post_metadata(running.url, {"dataElements": DES, "dataElementGroups": [GROUP],
                                         "dataElementGroupSets": [GROUP_SET]})
    assert answer.status_code == 200, answer.text


def _send(running: RunningSandbox, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{running.url}/api/{path}", json=body, auth=ADMIN, timeout=10)


def _ids(running: RunningSandbox, path: str, prop: str) -> set[str]:
    body = requests.get(f"{running.url}/api/{path}", params={"fields": f"{prop}[id]"}, auth=ADMIN,
                        timeout=10).json()
    return {r["id"] for r in body.get(prop) or []}


def _stats(answer: requests.Response) -> dict[str, int]:
    assert answer.status_code == 200, answer.text
    stats: dict[str, int] = answer.json()["response"]["stats"]
    return stats


@pytest.mark.parametrize("version", VERSIONS)
def test_owned_collection_of_a_type_without_facts(sandbox_factory, version: str) -> None:
    running = sandbox_factory(version=version)
    _setup(running)
    added = _send(running, "POST", "dataElementGroups/degUid00001/dataElements/deUid000002")
    assert _stats(added)["updated"] == 1
    assert added.json()["response"]["klass"] == "org.hisp.dhis.dataelement.DataElement"
    assert _ids(running, "dataElementGroups/degUid00001", "dataElements") == {
        "deUid000001", "deUid000002"}
    removed = _send(running, "DELETE", "dataElementGroups/degUid00001/dataElements/deUid000001")
    assert _stats(removed)["deleted"] == 1
    assert _ids(running, "dataElementGroups/degUid00001", "dataElements") == {"deUid000002"}


@pytest.mark.parametrize("version", VERSIONS)
def test_inverse_collection_changes_the_owning_side(sandbox_factory, version: str) -> None:
    """DataElementGroup#groupSets is inverse (dataelementgroupsetmembers, owned by
    DataElementGroupSet#members): the set gains the group."""
    running = sandbox_factory(version=version)
    _setup(running)
    added = _send(running, "POST", "dataElementGroups/degUid00001/groupSets/degsUid0001")
    assert _stats(added)["updated"] == 1
    assert _ids(running, "dataElementGroupSets/degsUid0001", "dataElementGroups") == {"degUid00001"}
    again = _send(running, "POST", "dataElementGroups/degUid00001/groupSets/degsUid0001")
    assert _stats(again)["ignored"] == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_properties_that_are_no_identifiable_collection(sandbox_factory, version: str) -> None:
    running = sandbox_factory(version=version)
    _setup(running)
    simple = _send(running, "POST", "dataElementGroups/degUid00001/name/deUid000002")
    assert simple.status_code == 409
    assert simple.json()["message"] == "Only identifiable object collections can be added to."
    # DefaultCollectionService#validateUpdate's message names the service method the endpoint
    # calls: delCollectionItems (also first in mergeCollectionItems) and replaceCollectionItems
    removed = "Only identifiable object collections can be removed from."
    for method, path, body, message in (
            ("DELETE", "name/deUid000002", None, removed),
            ("DELETE", "name", {"identifiableObjects": [{"id": "deUid000002"}]}, removed),
            ("POST", "name", {"additions": [{"id": "deUid000002"}]}, removed),
            ("PUT", "name", {"identifiableObjects": [{"id": "deUid000002"}]},
             "Only identifiable object collections can be replaced.")):
        refused = _send(running, method, f"dataElementGroups/degUid00001/{path}", body)
        assert (refused.status_code, refused.json()["message"], refused.json()["errorCode"]) == (
            409, message, "E1004"), (method, path)
    # `favorites` is a collection of Strings
    strings = _send(running, "POST", "dataElementGroups/degUid00001/favorites/deUid000002")
    assert strings.status_code == 409
    missing = _send(running, "POST", "dataElementGroups/degUid00001/bogus/deUid000002")
    assert missing.status_code == 404
    assert missing.json()["message"] == (
        "Property bogus does not exist on org.hisp.dhis.dataelement.DataElementGroup")


@pytest.mark.parametrize("version", VERSIONS)
def test_an_inverse_collection_without_owning_role_reports_e1108_and_e1109(
        sandbox_factory, version: str) -> None:
    """OrganisationUnit#children is an inverse one-to-many: no many-to-many role pairs it with
    the item's side, so `getCollection(item, null)` fails inside `updateCollectionItems`, which
    reports the item as ObjectReport(itemType, index, uid) with E1108 (add) / E1109 (remove) and
    counts it ignored; WebMessageUtils#typeReport answers such a report 409 ERROR
    (DefaultCollectionService 2.41.9 = 2.42.5 = 2.43.1)."""
    running = sandbox_factory(version=version)
    units = requests.get(f"{running.url}/api/organisationUnits", auth=ADMIN, timeout=10, params={
        "filter": "code:in:[VN,VN-79]", "fields": "id,code", "paging": "false"}).json()
    ids = {o["code"]: o["id"] for o in units["organisationUnits"]}
    reason = ('java.lang.NullPointerException: Cannot invoke '
              '"org.hisp.dhis.schema.Property.getGetterMethod()" because "property" is null')
    klass = "org.hisp.dhis.organisationunit.OrganisationUnit"
    for method, code, verb in (("POST", "E1108", "add item to"), ("DELETE", "E1109", "remove item from")):
        answer = _send(running, method, f"organisationUnits/{ids['VN']}/children/{ids['VN-79']}")
        message = f"Could not {verb} collection: {reason}"
        assert (answer.status_code, answer.json()) == (409, {
            "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
            "message": "One or more errors occurred, please see full details in import report.",
            "response": {
                "responseType": "TypeReport", "klass": klass,
                "stats": {"created": 0, "updated": 0, "deleted": 0, "ignored": 1, "total": 1},
                "objectReports": [{"klass": klass, "index": 0, "uid": ids["VN-79"], "errorReports": [{
                    "message": message, "mainKlass": klass, "errorProperties": [reason],
                    "errorCode": code, "args": [reason]}]}]}}), method


@pytest.mark.parametrize("version", VERSIONS)
def test_json_lists_are_read_after_the_lookup_with_jackson(sandbox_factory, version: str) -> None:
    # #addCollectionItemsJson / #replaceCollectionItemsJson / #deleteCollectionItemsJson pass
    # getEntity(uid) (404) and then renderService.fromJson(request.getInputStream(),
    # IdentifiableObjects.class) to the collection service (2.41.9 :647/:694/:763, 2.42.5
    # :592/:620/:670, 2.43.1 :573/:601/:650), so an unreadable list is a JsonParseException
    # (409) even for a property that does not exist, and an empty one a JsonMappingException
    # (409 at 2.43.1, 500 before: CrudControllerAdvice).
    running = sandbox_factory(version=version)
    _setup(running)
    mapping = 409 if version == "2.43" else 500

    def send(method: str, path: str, body: bytes) -> requests.Response:
        return requests.request(method, f"{running.url}/api/{path}", data=body, auth=ADMIN,
                                timeout=10, headers={"Content-Type": "application/json"})

    for method in ("POST", "PUT", "DELETE"):
        absent = send(method, "dataElementGroups/degUid00009/dataElements", b"{")
        assert absent.status_code == 404, (method, absent.text)
        broken = send(method, "dataElementGroups/degUid00001/bogus", b'{"additions": [x]}')
        assert broken.status_code == 409, (method, broken.text)
        assert broken.json()["message"].startswith("Unrecognized token 'x': was expecting")
        empty = send(method, "dataElementGroups/degUid00001/dataElements", b"")
        assert empty.status_code == mapping, (method, empty.text)
        listed = send(method, "dataElementGroups/degUid00001/dataElements", b"[]")
        assert listed.status_code == mapping and listed.json()["message"].startswith(
            "Cannot deserialize value of type `org.hisp.dhis.common.IdentifiableObjects` from "
            "Array value")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_json_null_list_is_the_controllers_null_pointer(sandbox_factory, version: str) -> None:
    # renderService.fromJson reads a JSON null as a null IdentifiableObjects: the first getter
    # called on it (DefaultCollectionService#mergeCollectionItems' getDeletions; PUT's and
    # DELETE's getIdentifiableObjects in AbstractCrudController) is a NullPointerException
    # before the update or property checks, #defaultExceptionHandler's 500 at every release
    running = sandbox_factory(version=version)
    _setup(running)
    for method, getter in (("POST", "getDeletions"), ("PUT", "getIdentifiableObjects"),
                           ("DELETE", "getIdentifiableObjects")):
        answer = requests.request(method, f"{running.url}/api/dataElementGroups/degUid00001/bogus",
                                  data=b"null", auth=ADMIN, timeout=10,
                                  headers={"Content-Type": "application/json"})
        assert answer.json() == {
            "httpStatus": "Internal Server Error", "httpStatusCode": 500, "status": "ERROR",
            "message": f'Cannot invoke "org.hisp.dhis.common.IdentifiableObjects.{getter}()" '
                       'because "items" is null'}, method
