"""The generated properties of every registered type (`data/schema_properties/<tag>.json`,
scripts/schema_properties.py) checked against the schema facts of the ~30 types that have them
(derived independently from the 2.41/2.42 branch heads)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from scdi.upstream.schema_facts import properties_for

TAGS = ("2.41.9", "2.42.5", "2.43.1")
_COMPARED = ("fieldName", "klass", "propertyType", "itemKlass", "itemPropertyType", "persisted",
             "owner", "writable")
# Facts whose 2.42 overlay (`in2_42`) left a 2.41 value behind: at 2.42 `attributeValues` is
# `attribute/AttributeValues.java`, an Iterable (no java.util.Collection, so
# JacksonPropertyIntrospector#initCollectionProperty makes it no collection), and
# ProgramRuleAction's `templateUid` is no longer mapped (ProgramRuleAction.hbm.xml), so
# Property#owner stays false as for every unmapped property.
_STALE_2_42 = {("attributeValues", "collection"), ("templateUid", "owner")}


def _data(name: str) -> Any:
    return json.loads(resources.files("scdi.sandbox").joinpath("data", name).read_text("utf-8"))


@pytest.mark.parametrize("tag", TAGS)
def test_every_registered_type_has_properties(tag: str) -> None:
    registry = _data(f"schema_registry/{tag}.json")["types"]
    generated = _data(f"schema_properties/{tag}.json")["types"]
    assert set(generated) == set(registry)
    for singular, info in generated.items():
        assert info["klass"] == registry[singular]["klass"]
        assert info["properties"], singular  # every class has at least BaseIdentifiableObject's


@pytest.mark.parametrize("tag", ["2.41.9", "2.42.5"])
def test_generated_properties_equal_the_facts(tag: str) -> None:
    facts = _data("schema_facts.json")
    generated = _data(f"schema_properties/{tag}.json")["types"]
    for singular, type_facts in facts.items():
        expected = properties_for(type_facts["properties"], from_2_42=tag != "2.41.9")
        got = generated[singular]["properties"]
        assert sorted(got) == sorted(expected), singular
        for name, prop in expected.items():
            for key in (*_COMPARED, "collection"):
                if (tag != "2.41.9" and (name, key) in _STALE_2_42) or \
                        (key == "fieldName" and key not in prop):
                    continue  # the facts leave out a fieldName equal to the key
                want = bool(prop.get(key)) if key == "collection" else prop.get(key)
                have = bool(got[name].get(key)) if key == "collection" else got[name].get(key)
                assert have == want, (singular, name, key)
            assert got[name].get("schemaName", name) == prop.get("schemaName", name)


def test_stale_overlay_facts_are_what_the_generator_reads_differently() -> None:
    generated = _data("schema_properties/2.42.5.json")["types"]
    assert generated["dataElement"]["properties"]["attributeValues"]["collection"] is False
    assert generated["dataElement"]["properties"]["attributeValues"]["klass"] == \
        "org.hisp.dhis.attribute.AttributeValues"
    rule_action = generated["programRuleAction"]["properties"]["templateUid"]
    assert rule_action["persisted"] is False and rule_action["owner"] is False


@pytest.mark.parametrize("tag", TAGS)
def test_group_members_and_their_inverse_share_a_join_table(tag: str) -> None:
    """HibernatePropertyIntrospector#updateJoinTables pairs the two many-to-many roles of
    dataelementgroupmembers; DefaultCollectionService finds the owning side through them."""
    types = _data(f"schema_properties/{tag}.json")["types"]
    members = types["dataElementGroup"]["properties"]["dataElements"]
    groups = types["dataElement"]["properties"]["dataElementGroups"]
    assert members["owner"] is True and groups["owner"] is False
    assert members["fieldName"] == "members" and groups["fieldName"] == "groups"
    assert groups["owningRole"] == members["owningRole"] == \
        "org.hisp.dhis.dataelement.DataElementGroup.members"
    assert members["itemKlass"] == "org.hisp.dhis.dataelement.DataElement"


_CONSTRAINTS = ("required", "unique", "length", "min", "max", "javaPrimitive")
# Facts that are not what the tags' sources give: the branch heads the facts were read from
# put `@PropertyRange(max = TEN_YEARS_OF_DAILY_PERIODS)` on BaseAnalyticalObject#getRawPeriods
# (only 2.43.1 of the tags has it), and the facts read Visualization's
# `@PropertyRange(min = -Double.MAX_VALUE)` (line and axis values, not persisted) as 0.
_NOT_AT_THE_TAGS = {
    ("visualization", "rawPeriods", "max"), ("eventVisualization", "rawPeriods", "max"),
    *(("visualization", name, "min") for name in (
        "baseLineValue", "targetLineValue", "rangeAxisMaxValue", "rangeAxisMinValue"))}


@pytest.mark.parametrize("tag", ["2.41.9", "2.42.5"])
def test_generated_constraints_equal_the_facts(tag: str) -> None:
    """required/unique/length/min/max as HibernatePropertyIntrospector#createProperty reads the
    columns of the hbm.xml and PropertyPropertyIntrospector the annotations, and whether the
    Java value can be null, equal the facts of every type that has them."""
    facts = _data("schema_facts.json")
    generated = _data(f"schema_properties/{tag}.json")["types"]
    compared = 0
    for singular, type_facts in facts.items():
        expected = properties_for(type_facts["properties"], from_2_42=tag != "2.41.9")
        got = generated[singular]["properties"]
        for name, prop in expected.items():
            for key in _CONSTRAINTS:
                if (singular, name, key) not in _NOT_AT_THE_TAGS:
                    assert got[name].get(key) == prop.get(key), (singular, name, key)
                    compared += 1
            initialised = prop.get("javaFieldInitializer") not in (None, "null")
            assert got[name]["javaFieldInitialised"] == initialised, (singular, name)
    assert compared > 5000


def test_the_constraints_the_facts_missed_are_the_sources() -> None:
    generated = _data("schema_properties/2.43.1.json")["types"]
    assert generated["visualization"]["properties"]["rawPeriods"]["max"] == 3650  # 10 * 365
    older = _data("schema_properties/2.42.5.json")["types"]
    assert older["visualization"]["properties"]["rawPeriods"]["max"] == 255  # jbList column
    assert older["visualization"]["properties"]["baseLineValue"]["min"] == -1.7976931348623157e308


@pytest.mark.parametrize("tag", TAGS)
def test_constraints_of_types_without_facts(tag: str) -> None:
    """DataElementGroup.hbm.xml and OrganisationUnitGroup.hbm.xml (every tag): name and
    shortName not null, unique, 230 and 50 long; description `type="text"`."""
    types = _data(f"schema_properties/{tag}.json")["types"]
    for singular in ("dataElementGroup", "organisationUnitGroup"):
        props = types[singular]["properties"]
        assert {k: props["name"][k] for k in ("required", "unique", "length", "min", "max")} == {
            "required": True, "unique": True, "length": 230, "min": 1, "max": 230}, singular
        assert (props["shortName"]["required"], props["shortName"]["unique"],
                props["shortName"]["length"]) == (True, True, 50)
        assert props["description"]["length"] == 2**31 - 1
        assert props["code"]["unique"] and props["code"]["length"] == 50


def test_jpa_mapped_constraints_at_2_43() -> None:
    """2.43.1 maps IndicatorGroup with JPA annotations: `@Column(nullable = false, unique =
    true, length = 230)` name, where 2.42.5's IndicatorGroup.hbm.xml has `unique="false"`;
    `@Column(columnDefinition = "text")` description is a String column of Hibernate's default
    length (255), no TextType, where the hbm.xml says `type="text"`."""
    newer = _data("schema_properties/2.43.1.json")["types"]["indicatorGroup"]["properties"]
    older = _data("schema_properties/2.42.5.json")["types"]["indicatorGroup"]["properties"]
    assert (newer["name"]["required"], newer["name"]["unique"], newer["name"]["length"]) == \
        (True, True, 230)
    assert (older["name"]["required"], older["name"]["unique"], older["name"]["length"]) == \
        (True, False, 230)
    assert (newer["description"]["length"], newer["description"]["max"]) == (255, 255)
    assert older["description"]["length"] == 2**31 - 1
