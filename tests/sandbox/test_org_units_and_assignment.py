"""Org unit closed dates and program org unit assignment through `POST /api/metadata`, as
provisioning uses them (a closed group keeps its org unit; programs are assigned on the program)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.sandbox.helpers import ADMIN

PARENT_CODE = "VN-79-C001"  # a commune of the seeded current tree


def _import(url: str, payload: dict[str, Any]) -> requests.Response:
    return requests.post(f"{url}/api/metadata", json=payload, auth=ADMIN, timeout=30,
                         params={"importStrategy": "CREATE_AND_UPDATE", "atomicMode": "ALL"})


def _get(url: str, path: str, fields: str) -> dict[str, Any]:
    answer = requests.get(f"{url}/api/{path}", params={"fields": fields}, auth=ADMIN, timeout=30)
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def _parent(url: str) -> str:
    body = requests.get(f"{url}/api/organisationUnits", params={"filter": f"code:eq:{PARENT_CODE}", "fields": "id"},
                        auth=ADMIN, timeout=30).json()
    return str(body["organisationUnits"][0]["id"])


def _unit(parent: str, **extra: Any) -> dict[str, Any]:
    return {"id": "GrpUnitA001", "code": "TEST-GROUP-A", "name": "Nhóm thử A", "shortName": "Nhóm thử A",
            "openingDate": "2014-03-15", "parent": {"id": parent}, **extra}


def test_a_closed_date_is_stored_and_an_update_without_it_reopens(fresh_sandbox: Any) -> None:
    url = fresh_sandbox.url
    parent = _parent(url)
    assert _import(url, {"organisationUnits": [_unit(parent, closedDate="2026-01-15")]}).status_code == 200
    unit = _get(url, "organisationUnits/GrpUnitA001", "openingDate,closedDate,parent[id]")
    assert unit["closedDate"].startswith("2026-01-15") and unit["openingDate"].startswith("2014-03-15")
    # an import replaces the whole object: without closedDate the unit is open again
    assert _import(url, {"organisationUnits": [_unit(parent)]}).status_code == 200
    assert "closedDate" not in _get(url, "organisationUnits/GrpUnitA001", "openingDate,closedDate")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_opening_and_closed_dates_keep_the_day_only(sandbox_factory: Any, version: str) -> None:
    # OrganisationUnit.hbm.xml maps openingDate/closedDate `type="date"` (2.41.9, 2.42.5,
    # 2.43.1): the time of day sent is not stored, the unit read back has midnight.
    url = sandbox_factory(version=version).url
    parent = _parent(url)
    unit = _unit(parent, openingDate="2020-01-01T10:11:12.000", closedDate="2021-02-03T23:05:06.789")
    assert requests.post(f"{url}/api/organisationUnits", json=unit, auth=ADMIN,
                         timeout=30).status_code == 201
    exported = requests.get(f"{url}/api/metadata", params={
        "organisationUnits:fields": "openingDate,closedDate",
        "organisationUnits:filter": "id:eq:GrpUnitA001"}, auth=ADMIN, timeout=30).json()
    midnight = {"openingDate": "2020-01-01T00:00:00.000", "closedDate": "2021-02-03T00:00:00.000"}
    assert _get(url, "organisationUnits/GrpUnitA001", "openingDate,closedDate") == midnight
    assert exported["organisationUnits"] == [midnight]
    assert _import(url, {"organisationUnits": [_unit(parent, openingDate="2019-05-06T07:08:09")]}
                   ).status_code == 200
    assert _get(url, "organisationUnits/GrpUnitA001", "openingDate")["openingDate"] == "2019-05-06T00:00:00.000"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_programs_are_assigned_on_the_program_the_owning_side(sandbox_factory: Any, version: str
                                                              ) -> None:
    # Program.organisationUnits owns program_organisationunits (2.41.9 / 2.42.5 Program.hbm.xml
    # :58-64, 2.43.1 Program.java @JoinTable :206-212); OrganisationUnit.hbm.xml :55-59 maps
    # `programs` inverse="true" at the three tags.
    url = sandbox_factory(version=version).url
    parent = _parent(url)
    assert _import(url, {"organisationUnits": [_unit(parent), {**_unit(parent), "id": "GrpUnitB001",
                                                                "code": "TEST-GROUP-B", "name": "Nhóm thử B",
                                                                "shortName": "Nhóm thử B"}]}).status_code == 200
    program = {"id": "TestProgA01", "code": "TEST_PROGRAM", "name": "Test program", "shortName": "Test program",
               "programType": "WITHOUT_REGISTRATION",
               "organisationUnits": [{"id": "GrpUnitA001"}, {"id": "GrpUnitB001"}]}
    assert _import(url, {"programs": [program]}).status_code == 200
    assigned = _get(url, "programs/TestProgA01", "organisationUnits[id]")["organisationUnits"]
    assert {u["id"] for u in assigned} == {"GrpUnitA001", "GrpUnitB001"}
    # the inverse side reads back ...
    assert _get(url, "organisationUnits/GrpUnitA001", "programs[id]")["programs"] == [{"id": "TestProgA01"}]
    # ... but writing it changes nothing: an org unit import never unassigns (OrganisationUnit.programs is inverse)
    assert _import(url, {"organisationUnits": [{**_unit(parent), "programs": []}]}).status_code == 200
    assigned = _get(url, "programs/TestProgA01", "organisationUnits[id]")["organisationUnits"]
    assert {u["id"] for u in assigned} == {"GrpUnitA001", "GrpUnitB001"}
    # the program's own list is replaced as a whole: send what stays
    assert _import(url, {"programs": [{**program, "organisationUnits": [{"id": "GrpUnitB001"}]}]}).status_code == 200
    assert _get(url, "programs/TestProgA01", "organisationUnits[id]")["organisationUnits"] == [{"id": "GrpUnitB001"}]
    assert _get(url, "organisationUnits/GrpUnitA001", "programs[id]")["programs"] == []
