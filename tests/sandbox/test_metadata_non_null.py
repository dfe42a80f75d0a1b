"""Metadata reads leave null properties out (metadata/non_null.py: the NON_NULL mapper of
JacksonObjectMapperConfig that FieldFilterService renders through)."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

DE = {"id": "deNull00001", "name": "Cân nặng", "shortName": "Cân nặng", "code": None,
      "description": None, "formName": None, "valueType": "NUMBER", "aggregationType": "SUM",
      "domainType": "AGGREGATE"}


def _get(url: str, path: str, **params: str) -> dict:
    response = requests.get(f"{url}{path}", params=params, auth=ADMIN, timeout=30)
    assert response.status_code == 200, response.text
    body: dict = response.json()
    return body


# written by UserPropertyTransformer.JacksonSerialize, past the NON_NULL mapper
USER_REFERENCES = ("createdBy", "lastUpdatedBy", "user")


def _nulls(value: object, path: str = "") -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() if k not in USER_REFERENCES
                for p in ([f"{path}.{k}"] if v is None else _nulls(v, f"{path}.{k}"))]
    if isinstance(value, list):
        return [p for v in value for p in _nulls(v, path)]
    return []


def test_null_properties_are_left_out_of_reads(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    assert post_metadata(url, {"dataElements": [DE]}).json()["status"] == "OK"
    single = _get(url, "/api/dataElements/deNull00001")
    assert _nulls(single) == []
    assert not {"code", "description", "formName"} & set(single)
    # empty collections are written: NON_NULL leaves out nulls only
    assert single["legendSets"] == [] and single["aggregationLevels"] == []
    named = _get(url, "/api/dataElements/deNull00001", fields="id,code,description,legendSets")
    assert named == {"id": "deNull00001", "legendSets": []}
    listed = _get(url, "/api/dataElements", fields="id,code,formName",
                  filter="id:eq:deNull00001")["dataElements"]
    assert listed == [{"id": "deNull00001"}]
    exported = _get(url, "/api/metadata", dataElements="true",
                    filter="id:eq:deNull00001")["dataElements"]
    assert len(exported) == 1 and _nulls(exported) == []
    assert exported[0]["sharing"]["users"] == {}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
@pytest.mark.parametrize("fields", ["*", "createdBy", "createdBy[id]", "createdBy[id,name]",
                                    "createdBy[:all]"])
def test_user_references_are_written_whole_with_their_null_code(
        sandbox_factory, version: str, fields: str) -> None:
    # the serialiser writes five members with writeStringField whatever is selected below it,
    # and a null one is null: the admin has no code
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {"dataElements": [DE]}).json()["status"] == "OK"
    for body in (_get(url, "/api/dataElements/deNull00001", fields=fields),
                 _get(url, "/api/dataElements", fields=fields,
                      filter="id:eq:deNull00001")["dataElements"][0]):
        assert list(body["createdBy"]) == ["id", "code", "name", "displayName", "username"]
        assert body["createdBy"]["code"] is None and body["createdBy"]["username"] == "admin"
        # User#getName: the first name and surname
        assert body["createdBy"]["name"] == body["createdBy"]["displayName"] == "Quản trị Hệ thống"
    exported = _get(url, "/api/metadata", dataElements="true", filter="id:eq:deNull00001",
                    fields=fields)["dataElements"][0]
    assert exported["createdBy"]["code"] is None


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_initialised_collections_are_written_empty(sandbox_factory, version: str) -> None:
    # the loaded entity holds its field initialisers: a group nobody filled has no members, no
    # translations, no attribute values and no favorites, each written `[]`; `favorite` is
    # whether the user marked it (2.43's indicator group, no BaseIdentifiableObject there,
    # has neither)
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {
        "dataElementGroups": [{"id": "DegNull0001", "name": "g1", "shortName": "g1"}],
        "indicatorGroups": [{"id": "IgNull00001", "name": "ig1"}]}).json()["status"] == "OK"
    group = _get(url, "/api/dataElementGroups/DegNull0001")
    for key in ("dataElements", "translations", "attributeValues", "favorites", "legendSets",
                "groupSets"):
        assert group[key] == [], key
    assert group["favorite"] is False
    marked = requests.post(f"{url}/api/dataElementGroups/DegNull0001/favorite", auth=ADMIN,
                           timeout=30)
    indicators = _get(url, "/api/indicatorGroups/IgNull00001")
    assert indicators["indicators"] == [] and indicators["translations"] == []
    assert ("favorites" in indicators) is (version != "2.43")
    assert marked.status_code == 409  # a data element group keeps no favorites
    listed = _get(url, "/api/dataElementGroups", fields="id,dataElements,favorite",
                  filter="id:eq:DegNull0001")["dataElementGroups"]
    assert listed == [{"id": "DegNull0001", "dataElements": [], "favorite": False}]
    # a dashboard keeps them: the admin's mark makes it its favorite
    assert post_metadata(url, {"dashboards": [{"id": "DbNull00001", "name": "d1"}]}).json()[
        "status"] == "OK"
    assert _get(url, "/api/dashboards/DbNull00001", fields="favorite,favorites") == {
        "favorite": False, "favorites": []}
    assert requests.post(f"{url}/api/dashboards/DbNull00001/favorite", auth=ADMIN,
                         timeout=30).status_code == 200
    me = _get(url, "/api/me", fields="id")["id"]
    assert _get(url, "/api/dashboards/DbNull00001", fields="favorite,favorites") == {
        "favorite": True, "favorites": [me]}
