"""A key that is no property of the class is skipped on import: JacksonObjectMapperConfig turns
FAIL_ON_UNKNOWN_PROPERTIES and AUTO_DETECT_* off (2.41.9, 2.42.5, 2.43.1), for every type and
for the embedded objects an object carries."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.sandbox.helpers import ADMIN, post_metadata

VERSIONS = ["2.41", "2.42", "2.43"]
DE = {"id": "deUid000001", "name": "Số buổi sinh hoạt", "shortName": "Buổi sinh hoạt",
      "valueType": "INTEGER", "domainType": "AGGREGATE", "aggregationType": "SUM"}
GROUP = {"id": "degUid00001", "name": "Nhóm", "shortName": "Nhóm",
         "dataElements": [{"id": "deUid000001"}]}


def _get(url: str, path: str, **params: str) -> dict[str, Any]:
    response = requests.get(f"{url}{path}", params=params, auth=ADMIN, timeout=10)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("version", VERSIONS)
def test_metadata_import_drops_unknown_properties(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    payload = {"dataElements": [{**DE, "bogusProp": 1}],
               "dataElementGroups": [{**GROUP, "notAProperty": "x"}]}
    response = post_metadata(url, payload)
    assert response.status_code == 200, response.text
    element = _get(url, "/api/dataElements/deUid000001", fields="id,bogusProp")
    assert element == {"id": "deUid000001"}
    assert "bogusProp" not in _get(url, "/api/dataElements/deUid000001", fields=":all")
    group = _get(url, "/api/dataElementGroups/degUid00001", fields=":all")
    assert "notAProperty" not in group
    assert group["name"] == "Nhóm" and group["dataElements"] == [{"id": "deUid000001"}]


@pytest.mark.parametrize("version", VERSIONS)
def test_crud_post_and_put_drop_unknown_properties(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
    created = requests.post(f"{url}/api/dataElementGroups", json={**GROUP, "bogusProp": 1},
                            auth=ADMIN, timeout=10)
    assert created.status_code == 201, created.text
    assert "bogusProp" not in _get(url, "/api/dataElementGroups/degUid00001", fields=":all")
    replaced = requests.put(f"{url}/api/dataElements/deUid000001",
                            json={**DE, "aIsToB": "x", "code": "DE_1"}, auth=ADMIN, timeout=10)
    assert replaced.status_code == 200, replaced.text
    element = _get(url, "/api/dataElements/deUid000001", fields=":all")
    assert "aIsToB" not in element and element["code"] == "DE_1"


@pytest.mark.parametrize("version", VERSIONS)
def test_relationship_type_keeps_only_its_properties(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    tet = {"id": "tetUid00001", "name": "Person", "shortName": "Person"}
    rel = {"id": "relTypeUid1", "name": "Mẹ - con", "fromToName": "mẹ của", "toFromName": "con của",
           "aIsToB": "x", "bIsToA": "y",
           "fromConstraint": {"relationshipEntity": "TRACKED_ENTITY_INSTANCE",
                              "trackedEntityType": {"id": "tetUid00001"}, "bogus": True},
           "toConstraint": {"relationshipEntity": "TRACKED_ENTITY_INSTANCE",
                            "trackedEntityType": {"id": "tetUid00001"}}}
    response = post_metadata(url, {"trackedEntityTypes": [tet], "relationshipTypes": [rel]})
    assert response.status_code == 200, response.text
    stored = _get(url, "/api/relationshipTypes/relTypeUid1", fields=":all")
    assert "aIsToB" not in stored and "bIsToA" not in stored
    assert stored["fromToName"] == "mẹ của"
    # RelationshipConstraint is an EmbeddedObject: normalised with its own properties
    assert "bogus" not in stored["fromConstraint"]
    assert stored["fromConstraint"]["trackedEntityType"] == {"id": "tetUid00001"}


@pytest.mark.parametrize("version", VERSIONS)
def test_embedded_objects_of_a_type_without_facts_drop_unknown_keys(sandbox_factory,
                                                                    version: str) -> None:
    """LegendSet#getLegends holds Legend, an EmbeddedObject."""
    url = sandbox_factory(version=version).url
    legend_set = {"id": "lgsUid00001", "name": "Mức", "bogus": 1,
                  "legends": [{"id": "lgdUid00001", "name": "Thấp", "startValue": 0,
                               "endValue": 10, "color": "#FF0000", "bogus": 2}]}
    assert post_metadata(url, {"legendSets": [legend_set]}).status_code == 200
    stored = _get(url, "/api/legendSets/lgsUid00001", fields=":all,legends[:all]")
    assert "bogus" not in stored
    (legend,) = stored["legends"]
    assert "bogus" not in legend
    assert (legend["name"], legend["startValue"], legend["color"]) == ("Thấp", 0, "#FF0000")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_attribute_values_of_2_42_keep_only_value_and_attribute_id(sandbox_factory,
                                                                   version: str) -> None:
    # 2.42.5/2.43.1 AttributeValuesDeserializer reads attribute id → value text
    # (LazyAttributeValues#parseArrayJson, the first value of a repeated attribute) and
    # AttributeValuesSerializer writes #toArrayJson: in id order, only value and attribute.id
    url = sandbox_factory(version).url
    attributes = [{"id": uid, "name": f"Nhãn {uid}", "valueType": "TEXT",
                   "dataElementAttribute": True} for uid in ("attrSortZZ1", "attrSortAA1")]
    values = [{"attribute": {"id": "attrSortZZ1", "name": "Nhãn"}, "value": "z", "bogus": 1},
              {"attribute": {"id": "attrSortAA1"}, "value": "a"},
              {"attribute": {"id": "attrSortZZ1"}, "value": "later"}]
    element = {"id": "deAttrVal01", "name": "Tuổi", "shortName": "Tuổi", "valueType": "TEXT",
               "domainType": "AGGREGATE", "aggregationType": "NONE",
               "attributeValues": values}
    assert post_metadata(url, {"attributes": attributes, "dataElements": [element]}
                         ).status_code == 200
    got = requests.get(f"{url}/api/dataElements/deAttrVal01", params={"fields": "attributeValues"},
                       auth=ADMIN, timeout=10).json()["attributeValues"]
    if version == "2.41":
        assert not any("bogus" in v for v in got)
    else:
        assert got == [{"value": "a", "attribute": {"id": "attrSortAA1"}},
                       {"value": "z", "attribute": {"id": "attrSortZZ1"}}]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_stored_attribute_value_keeps_the_attribute_id_and_one_value_per_attribute(
        sandbox_factory, version: str) -> None:
    # 2.41.9 JsonAttributeValueBinaryType#convertObjectToJson (:65-66) stores `new
    # Attribute(uid)` in a HashMap by uid, walking the HashSet Jackson filled, so the value
    # walked last is kept (here v1, whatever the payload order); 2.42.5/2.43.1
    # LazyAttributeValues#parseArrayJson keeps the first one sent. Reads expand the id only.
    url = sandbox_factory(version).url
    attribute = {"id": "AttAAAAAAA1", "name": "Nhãn một", "valueType": "TEXT",
                 "dataElementAttribute": True}
    named = {"value": "v1", "attribute": {"id": "AttAAAAAAA1", "name": "zz", "bogus": 1}}
    plain = {"value": "v2", "attribute": {"id": "AttAAAAAAA1"}}
    for uid, values in (("deAttrVal02", [named, plain]), ("deAttrVal03", [plain, named])):
        element = {"id": uid, "name": f"Tuổi {uid}", "shortName": f"Tuổi {uid}",
                   "valueType": "TEXT", "domainType": "AGGREGATE", "aggregationType": "NONE",
                   "attributeValues": values}
        assert post_metadata(url, {"attributes": [attribute], "dataElements": [element]}
                             ).status_code == 200
        kept = "v1" if version == "2.41" else values[0]["value"]
        got = requests.get(f"{url}/api/dataElements/{uid}", params={"fields": "attributeValues"},
                           auth=ADMIN, timeout=10).json()["attributeValues"]
        assert got == [{"value": kept, "attribute": {"id": "AttAAAAAAA1"}}], (uid, got)
        named_read = requests.get(
            f"{url}/api/dataElements/{uid}",
            params={"fields": "attributeValues[value,attribute[id,name,bogus]]"},
            auth=ADMIN, timeout=10).json()["attributeValues"]
        assert named_read == [{"value": kept, "attribute": {"id": "AttAAAAAAA1",
                                                            "name": "Nhãn một"}}], named_read
