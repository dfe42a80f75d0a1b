"""The sharing check of an import's SecurityCheck (metadata/sharing_check.py,
DefaultAclService#verifySharing) on /api/metadata and the CRUD endpoints, at every release."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox, start
from tests.sandbox.helpers import ADMIN, post_metadata

MANAGER = ("metadata.manager", "district")
PRIVATE_MAKER = ("private.maker", "Synthetic-2025!")
ADMIN_UID = "xE7jOejl9FI"
ELEMENT = {"id": "deShareChk1", "name": "Sharing check", "shortName": "Sharing check",
           "valueType": "TEXT", "aggregationType": "NONE", "domainType": "AGGREGATE"}
DATA_ELEMENT = "org.hisp.dhis.dataelement.DataElement"
VISUALIZATION = "org.hisp.dhis.visualization.Visualization"


def _details(username: str) -> str:
    """Object#toString of a UserDetailsImpl: Lombok's hashCode 59 + String#hashCode of the
    username, in unsigned hex."""
    h = 0
    for char in username:
        h = (31 * h + ord(char)) & 0xFFFFFFFF
    return f"org.hisp.dhis.user.UserDetailsImpl@{(59 + h) & 0xFFFFFFFF:x}"


@pytest.fixture(scope="module", params=("2.41", "2.42", "2.43"))
def release(request: pytest.FixtureRequest) -> Iterator[tuple[str, RunningSandbox]]:
    running = start(version=request.param)
    try:
        yield request.param, running
    finally:
        running.stop()


@pytest.fixture
def sandbox(release: tuple[str, RunningSandbox]) -> tuple[str, str]:
    version, running = release
    running.reset()
    return version, running.url


def _reports(answer: requests.Response) -> list[dict[str, Any]]:
    body = answer.json()
    report = body.get("response", body)
    if "errorReports" in report:  # a CRUD endpoint's object report
        return list(report["errorReports"])
    return [e for t in report["typeReports"] for o in t["objectReports"]
            for e in o["errorReports"]]


def _codes(answer: requests.Response) -> list[str]:
    return [e["errorCode"] for e in _reports(answer)]


def _element(public: str, **sharing: Any) -> dict[str, Any]:
    return {"dataElements": [{**ELEMENT, "sharing": {"public": public, **sharing}}]}


def test_an_invalid_public_access_string_is_e3010_alone(sandbox) -> None:
    # verifySharing returns E3010 at once for a string AccessStringHelper#isValid refuses
    # (eight characters, [r-][w-][r-][w-] and "----"), before the data sharing check
    version, url = sandbox
    for public in ("rwx-----", "rwrw", "rwrwrw--"):
        answer = post_metadata(url, _element(public), auth=MANAGER)
        assert answer.status_code == 409, (version, answer.text)
        assert _reports(answer) == [{
            "message": f"Invalid access string `{public}`", "mainKlass": DATA_ELEMENT,
            "errorProperties": [public], "errorCode": "E3010", "args": [public]}], version
    created = requests.post(f"{url}/api/dataElements", auth=MANAGER, timeout=10,
                            json={**ELEMENT, "sharing": {"public": "rwx-----"}})
    assert created.status_code == 409, (version, created.text)
    assert _codes(created) == ["E3010"], version
    assert requests.get(f"{url}/api/dataElements/deShareChk1", auth=ADMIN,
                        timeout=10).status_code == 404


def test_data_sharing_on_a_type_that_is_not_data_shareable_is_e3011(sandbox) -> None:
    # E3011 for data sharing in the public string or in any user or user group access; an
    # access entry without a string counts (AccessStringHelper#isEnabled(null) is true);
    # programs are data-shareable (ProgramSchemaDescriptor#setDataShareable)
    version, url = sandbox
    e3011 = {"message": f"Data sharing is not enabled for type `class {DATA_ELEMENT}`, but "
                        "access strings contain data sharing read or write",
             "mainKlass": DATA_ELEMENT, "errorProperties": [DATA_ELEMENT], "errorCode": "E3011",
             "args": [f"class {DATA_ELEMENT}"]}
    answer = post_metadata(url, _element("rwr-----"), auth=MANAGER)
    assert (answer.status_code, _reports(answer)) == (409, [e3011]), version
    no_string = {ADMIN_UID: {"id": ADMIN_UID}}
    for sharing in ({"users": no_string}, {"users": {ADMIN_UID: {"id": ADMIN_UID, "access": "r--w----"}}}):
        answer = post_metadata(url, _element("rw------", **sharing), auth=MANAGER)
        assert _codes(answer) == ["E3011"], (version, sharing)
    program = {"id": "prgShareCk1", "name": "Sharing check", "shortName": "Sharing check",
               "programType": "WITHOUT_REGISTRATION", "sharing": {"public": "rwrw----"}}
    answer = post_metadata(url, {"programs": [program]}, auth=MANAGER)
    assert answer.status_code == 200, (version, answer.text)
    assert post_metadata(url, _element("rwrw----")).status_code == 200  # a superuser passes


def test_a_user_who_may_only_make_private_objects_gets_e3008(sandbox) -> None:
    # CREATE_PRIVATE without CREATE_PUBLIC: `--------` passes, any other public string is
    # E3008, its user argument the UserDetails' Object#toString; with skipSharing no check
    version, url = sandbox
    setup = post_metadata(url, {
        "userRoles": [{"id": "rolePrivat1", "name": "Private maker",
                       "authorities": ["F_DATAELEMENT_PRIVATE_ADD", "F_METADATA_IMPORT"]}],
        "users": [{"id": "usrPrivat01", "username": "private.maker", "password": PRIVATE_MAKER[1],
                   "firstName": "Private", "surname": "Maker",
                   "userRoles": [{"id": "rolePrivat1"}]}]})
    assert setup.status_code == 200, setup.text
    who = _details("private.maker")
    answer = post_metadata(url, _element("r-------"), auth=PRIVATE_MAKER)
    assert answer.status_code == 409, (version, answer.text)
    assert _reports(answer) == [{
        "message": f"User `{who}` is not allowed to make public objects of type "
                   f"`class {DATA_ELEMENT}`",
        "mainKlass": DATA_ELEMENT, "errorProperties": [who, DATA_ELEMENT], "errorCode": "E3008",
        "args": [who, f"class {DATA_ELEMENT}"]}], version
    skipped = post_metadata(url, _element("r-------"), auth=PRIVATE_MAKER, skipSharing="true")
    assert skipped.status_code == 200, (version, skipped.text)
    private = {**ELEMENT, "id": "deShareChk2", "name": "Private", "shortName": "Private",
               "sharing": {"public": "--------"}}
    created = requests.post(f"{url}/api/dataElements", auth=PRIVATE_MAKER, timeout=10,
                            json=private)
    assert created.status_code == 201, (version, created.text)


def test_external_access_without_the_externalize_authority_is_e3006_on_2_42(sandbox) -> None:
    # E3006 is 2.42.5's only (DefaultAclService.java :654-657, ErrorCode E3006); 2.41.9 and
    # 2.43.1 have no `external` in Sharing, so the payload's is dropped (`sharing_external_access`)
    version, url = sandbox
    visual = {"id": "VisShareCk1", "name": "Shared chart", "type": "PIVOT_TABLE",
              "sharing": {"public": "rwr-----", "external": True}}
    answer = post_metadata(url, {"visualizations": [visual]}, auth=MANAGER)
    assert answer.status_code == 409, (version, answer.text)
    if version != "2.42":
        assert _codes(answer) == ["E3011"], version
        return
    who = _details("metadata.manager")
    assert _reports(answer)[:1] == [{
        "message": f"User `{who}` is not allowed to externalize objects of type "
                   f"`class {VISUALIZATION}`",
        "mainKlass": VISUALIZATION, "errorProperties": [who, VISUALIZATION],
        "errorCode": "E3006", "args": [who, f"class {VISUALIZATION}"]}]
    assert _codes(answer) == ["E3006", "E3011"]  # the object report's EnumMap order
    visual["sharing"]["public"] = "r-------"
    assert _codes(post_metadata(url, {"visualizations": [visual]}, auth=MANAGER)) == ["E3006"]
    assert post_metadata(url, {"visualizations": [visual]}).status_code == 200


def test_a_private_object_of_an_implicit_private_type_needs_write_sharing(sandbox) -> None:
    # verifyImplicitSharing: a visualization (implicitPrivateAuthority) with public `--------`
    # owned by someone else and no write access for the importing user is E3001
    version, url = sandbox
    who = _details("metadata.manager")
    visual = {"id": "VisShareCk2", "name": "Private chart", "type": "PIVOT_TABLE",
              "sharing": {"owner": ADMIN_UID, "public": "--------"}}
    answer = post_metadata(url, {"visualizations": [visual]}, auth=MANAGER)
    assert answer.status_code == 409, (version, answer.text)
    assert _reports(answer) == [{
        "message": f"User `{who}` is not allowed to update object `class {VISUALIZATION}`",
        "mainKlass": VISUALIZATION, "errorProperties": [who, VISUALIZATION],
        "errorCode": "E3001", "args": [who, f"class {VISUALIZATION}"]}], version
    manager = requests.get(f"{url}/api/me", params={"fields": "id"}, auth=MANAGER,
                           timeout=10).json()["id"]
    writer = {**visual, "sharing": {"owner": ADMIN_UID, "public": "--------",
                                    "users": {manager: {"id": manager, "access": "rw------"}}}}
    answer = post_metadata(url, {"visualizations": [writer]}, auth=MANAGER)
    assert answer.status_code == 200, (version, answer.text)
