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
USER_REFERENCES = ("createdBy", "lastUpdatedBy")


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
