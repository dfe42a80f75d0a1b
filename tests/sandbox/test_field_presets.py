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
