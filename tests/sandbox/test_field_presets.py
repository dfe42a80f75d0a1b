"""`fields` presets select the properties of the object's schema at the release
(sandbox/metadata/field_presets.py; dhis2-core fieldfiltering/FieldPathHelper.java#applyPresets,
2.41.9 :195-231, 2.42.5 = 2.43.1 :197-233): `:owner` `Property::isOwner`, `:persisted`
`Property::isPersisted`, `:simple` `PropertyType#isSimple`, `:identifiable` / `:nameable` the
preset's names the schema has; never a key the stored object holds beyond them."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.metadata import registry
from tests.sandbox.helpers import ADMIN, post_metadata

VERSIONS = ["2.41", "2.42", "2.43"]
# what the sandbox keeps or computes on a user or an org unit that User.hbm.xml /
# OrganisationUnit.hbm.xml do not map (no owner, no persisted property)
NOT_OWNED = {"displayName", "settings", "twoFactorEnabled", "href", "access", "userGroups"}


def _get(url: str, path: str, **params: str) -> Any:
    response = requests.get(f"{url}/api/{path}", params=params, auth=ADMIN, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def _flagged(singular: str, minor: str, flag: str) -> set[str]:
    return {n for n, p in registry.jackson_properties(singular, minor).items() if p.get(flag)}


@pytest.mark.parametrize("version", VERSIONS)
def test_owner_and_persisted_write_only_the_schemas_properties(sandbox_factory, version):
    """A seeded user's `displayName`, `settings`, `twoFactorEnabled` and an org unit's
    `sharing` (OrganisationUnit.hbm.xml maps none) are no owner or persisted properties;
    2.41.9's User has no persisted `name` (User.hbm.xml maps it from 2.42.5, :32)."""
    running = sandbox_factory(version=version)
    for preset, flag in ((":owner", "owner"), (":persisted", "persisted")):
        users = _get(running.url, "users", fields=preset, paging="false")["users"]
        assert users
        for user in users:
            assert not NOT_OWNED - {"userGroups"} & set(user), (preset, user)
            assert set(user) <= _flagged("user", version, flag)
            assert user["username"] and user["id"]
            assert ("name" in user) is (version != "2.41")
        units = _get(running.url, "organisationUnits", fields=preset, paging="false")
        for unit in units["organisationUnits"]:
            assert "sharing" not in unit and "href" not in unit and "access" not in unit
            assert set(unit) <= _flagged("organisationUnit", version, flag)
            assert unit["path"] and unit["name"]
        roles = _get(running.url, "userRoles", fields=preset, paging="false")["userRoles"]
        for role in roles:
            # UserRole.hbm.xml: `members` is inverse, no attribute values column
            assert "users" not in role and "attributeValues" not in role
            assert "authorities" in role
    one = _get(running.url, f"users/{users[0]['id']}", fields=":owner")
    assert not NOT_OWNED & set(one) and ("name" in one) is (version != "2.41")


@pytest.mark.parametrize("version", VERSIONS)
def test_metadata_export_writes_the_owner_properties(sandbox_factory, version):
    """`/api/metadata` reads `:owner` by default: no org unit `sharing`, no user `settings`."""
    running = sandbox_factory(version=version)
    exported = _get(running.url, "metadata", users="true", organisationUnits="true")
    assert exported["users"] and exported["organisationUnits"]
    assert all(not NOT_OWNED & set(u) for u in exported["users"])
    assert all(("name" in u) is (version != "2.41") for u in exported["users"])
    assert all("sharing" not in ou for ou in exported["organisationUnits"])
    typed = _get(running.url, "metadata", organisationUnits="true",
                 **{"organisationUnits:fields": ":persisted"})["organisationUnits"]
    assert all("sharing" not in ou and "children" in ou for ou in typed)


@pytest.mark.parametrize("version", VERSIONS)
def test_presets_of_created_objects_follow_the_schema(sandbox_factory, version):
    """A data element owns its `sharing` but not its groups (DataElementGroup owns
    `members`); `:persisted` reads the groups from their owning side."""
    running = sandbox_factory(version=version)
    posted = post_metadata(running.url, {
        "dataElements": [{"id": "DePreset001", "name": "Preset", "shortName": "Preset",
                          "valueType": "NUMBER", "domainType": "AGGREGATE",
                          "aggregationType": "SUM"}],
        "dataElementGroups": [{"id": "DegPreset01", "name": "Preset group",
                               "shortName": "Preset group",
                               "dataElements": [{"id": "DePreset001"}]}]})
    assert posted.status_code == 200, posted.text
    owner = _get(running.url, "dataElements/DePreset001", fields=":owner")
    assert "sharing" in owner and "dataElementGroups" not in owner
    assert "displayName" not in owner and "href" not in owner
    assert set(owner) <= _flagged("dataElement", version, "owner")
    persisted = _get(running.url, "dataElements/DePreset001", fields=":persisted")
    assert persisted["dataElementGroups"] == [{"id": "DegPreset01"}]


@pytest.mark.parametrize("version", VERSIONS)
def test_simple_identifiable_and_nested_presets(sandbox_factory, version):
    """`:simple` writes the simple property types only (no `access`, `sharing`, references or
    collections); a nested preset (`parent[:owner]`) reads the schema of the property's class."""
    running = sandbox_factory(version=version)
    users = _get(running.url, "users", fields=":simple", paging="false")["users"]
    for user in users:
        assert not {"access", "sharing", "settings", "userRoles", "organisationUnits",
                    "attributeValues", "createdBy"} & set(user), user
        assert "username" in user and "displayName" in user
        assert ("twoFactorEnabled" in user) is (version == "2.41")  # a 2.41.9 property only
    units = _get(running.url, "organisationUnits", fields="id,parent[:owner]",
                 filter="level:eq:2")["organisationUnits"]
    assert units
    for unit in units:
        parent = unit["parent"]
        assert parent["id"] and parent["path"]
        assert not {"sharing", "href", "access", "displayName"} & set(parent), parent
    identifiable = _get(running.url, "organisationUnits", fields=":identifiable",
                        pageSize="1")["organisationUnits"][0]
    assert set(identifiable) <= {"id", "name", "code", "created", "lastUpdated", "lastUpdatedBy"}
    assert identifiable["id"] and identifiable["name"]


@pytest.mark.parametrize("version", VERSIONS)
def test_all_writes_the_schemas_properties(sandbox_factory, version):
    """`*` is every property of the schema, and only those: UserRole is no nameable object
    (no `displayDescription`), and 2.42.5's and 2.43.1's `User#isTwoFactorEnabled` is
    `@JsonIgnore` (User.java :446-447 / :448-449; 2.41.9 `@JsonProperty` :435-437)."""
    running = sandbox_factory(version=version)
    roles = _get(running.url, "userRoles", fields="*", paging="false")["userRoles"]
    assert any(role.get("description") for role in roles)
    assert all("displayDescription" not in role and "href" in role for role in roles)
    users = _get(running.url, "users", fields=":all", paging="false")["users"]
    assert all(("twoFactorEnabled" in u) is (version == "2.41") for u in users)
    one = _get(running.url, f"users/{users[0]['id']}")
    assert ("twoFactorEnabled" in one) is (version == "2.41") and "displayName" in one


def _stored_with_names(running, plural: str, uid: str, edit) -> None:
    """The stored object with more under a nested value than its id, as a store may keep it."""
    obj = running.store.get_object(plural, uid)
    edit(obj)
    running.store.put_object(plural, obj)


@pytest.mark.parametrize("version", VERSIONS)
def test_nested_values_are_ids_or_their_classs_properties(sandbox_factory, version):
    """FieldPathHelper#applyDefaults (2.41.9 :103-121, 2.42.5 = 2.43.1 :105-123): a reference
    selected with nothing below it (by `*`, `:owner` or by name) is written as its `id`, an
    embedded object with the properties of its class; `createdBy` is written by its own
    serialiser (UserPropertyTransformer), whole."""
    running = sandbox_factory(version=version)
    assert post_metadata(running.url, {
        "indicatorTypes": [{"id": "ItRef000001", "name": "Per cent", "factor": 100}],
        "legendSets": [{"id": "LsRef000001", "name": "Bands"}],
        "indicators": [{"id": "InRef000001", "name": "Share", "shortName": "Share",
                        "numerator": "1", "denominator": "1",
                        "indicatorType": {"id": "ItRef000001"},
                        "legendSets": [{"id": "LsRef000001"}]}],
        "dataElements": [{"id": "DeRef000001", "name": "Count", "shortName": "Count",
                          "valueType": "NUMBER", "domainType": "AGGREGATE",
                          "aggregationType": "SUM"}],
        "dataSets": [{"id": "DsRef000001", "name": "Monthly", "shortName": "Monthly",
                      "periodType": "Monthly",
                      "dataSetElements": [{"dataElement": {"id": "DeRef000001"},
                                           "dataSet": {"id": "DsRef000001"}}]}],
    }).status_code == 200

    def named_indicator(obj):
        obj["indicatorType"] = {"id": "ItRef000001", "name": "kept"}
        obj["legendSets"] = [{"id": "LsRef000001", "name": "kept"}]

    def named_elements(obj):
        obj["dataSetElements"] = [{"dataElement": {"id": "DeRef000001", "name": "kept"},
                                   "dataSet": {"id": "DsRef000001"}, "kept": True}]
    _stored_with_names(running, "indicators", "InRef000001", named_indicator)
    _stored_with_names(running, "dataSets", "DsRef000001", named_elements)
    for spec in ("*", ":owner", "indicatorType,legendSets,createdBy"):
        indicator = _get(running.url, "indicators/InRef000001", fields=spec)
        assert indicator["indicatorType"] == {"id": "ItRef000001"}, spec
        assert indicator["legendSets"] == [{"id": "LsRef000001"}], spec
        assert indicator["createdBy"]["username"] == "admin", spec
        data_set = _get(running.url, "dataSets", filter="id:eq:DsRef000001",
                        fields=spec.replace("indicatorType", "dataSetElements"))["dataSets"][0]
        assert data_set["dataSetElements"] == [{"dataElement": {"id": "DeRef000001"},
                                                "dataSet": {"id": "DsRef000001"}}], spec
    # a nested selection still reads the referenced object
    named = _get(running.url, "indicators/InRef000001", fields="indicatorType[name]")
    assert named["indicatorType"] == {"name": "Per cent"}
    exported = _get(running.url, "metadata", indicators="true")["indicators"][0]
    assert exported["indicatorType"] == {"id": "ItRef000001"}


@pytest.mark.parametrize("version", VERSIONS)
def test_fields_named_beside_a_preset_write_their_computed_values(sandbox_factory, version):
    """`:owner,displayName` writes the display name (FieldPathHelper#apply keeps a named field
    beside the presets), `:owner,access` the access FieldFilterService#applyAccess sets and
    `:owner,href` the link (#handleLinksAndAccess: a preset generates links); the metadata
    export generates no link, so it writes no `href`, `*` or not."""
    running = sandbox_factory(version=version)
    for plural, uid, name in (("userRoles", "yrB6vc5Ip3r", "Superuser"),
                              ("categoryCombos", "bjDvmb4bfuf", "default")):
        for preset in (":owner", ":persisted"):
            one = _get(running.url, f"{plural}/{uid}", fields=f"{preset},displayName,access,href")
            assert one["displayName"] == name, (plural, preset)
            assert one["access"]["read"] is True and one["href"].endswith(f"/api/{plural}/{uid}")
            listed = _get(running.url, plural, fields=f"{preset},displayName",
                          filter=f"id:eq:{uid}")[plural]
            assert listed[0]["displayName"] == name
        exported = _get(running.url, "metadata", **{f"{plural}:fields": ":owner,displayName,access,href"})
        item = next(o for o in exported[plural] if o["id"] == uid)
        assert item["displayName"] == name and item["access"]["read"] is True
        assert "href" not in item
        everything = _get(running.url, "metadata", **{f"{plural}:fields": "*"})[plural]
        assert everything and all("href" not in o for o in everything)
