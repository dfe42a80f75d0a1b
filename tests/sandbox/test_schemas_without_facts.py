"""/api/schemas of the types without schema facts: their properties come from the release's
sources (data/schema_properties/<tag>.json), and so do shareable/favoritable/translatable
(schema/Schema.java#isShareable, #isFavoritable, #isTranslatable: hasPersistedProperty)."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN

VERSIONS = ["2.41", "2.42", "2.43"]


@pytest.mark.parametrize("version", VERSIONS)
def test_properties_of_a_type_without_facts(sandbox_factory, version: str) -> None:
    running = sandbox_factory(version=version)
    schema = requests.get(f"{running.url}/api/schemas/dataElementGroup", auth=ADMIN,
                          timeout=10).json()
    by_name = {p["name"]: p for p in schema["properties"]}
    members = by_name["dataElement"]
    assert (members["fieldName"], members["collectionName"]) == ("members", "dataElements")
    assert members["propertyType"] == "COLLECTION" and members["itemPropertyType"] == "REFERENCE"
    assert members["klass"] == "java.util.Set"
    assert members["itemKlass"] == "org.hisp.dhis.dataelement.DataElement"
    assert members["collection"] and members["owner"] and members["persisted"]
    assert members["writable"] and members["manyToMany"]
    group_sets = by_name["groupSet"]
    assert group_sets["owner"] is False and group_sets["persisted"] is True
    assert group_sets["owningRole"] == "org.hisp.dhis.dataelement.DataElementGroupSet.members"
    assert by_name["name"]["propertyType"] == "TEXT" and by_name["name"]["collection"] is False
    assert schema["shareable"] is True and schema["translatable"] is True
    one = requests.get(f"{running.url}/api/schemas/dataElementGroup/dataElements", auth=ADMIN,
                       timeout=10)
    assert one.status_code == 200 and one.json()["fieldName"] == "members"


@pytest.mark.parametrize("version", VERSIONS)
def test_flags_derived_from_properties(sandbox_factory, version: str) -> None:
    running = sandbox_factory(version=version)
    schemas = requests.get(f"{running.url}/api/schemas", auth=ADMIN, timeout=30).json()["schemas"]
    by_singular = {s["singular"]: s for s in schemas}
    favoritable = {s for s, doc in by_singular.items() if doc["favoritable"]}
    assert favoritable == {"dashboard", "eventChart", "eventReport", "eventVisualization", "map",
                           "visualization"}
    assert by_singular["legendSet"]["shareable"] is True
    assert by_singular["indicator"]["properties"]
    assert all(doc["properties"] for doc in schemas)
