"""The sharing a metadata import gives an object (metadata/sharing_import.py): reset before the
bundle when the payload has no public access string, replaced on update unless skipSharing,
at every release."""

from __future__ import annotations

import requests

from tests.sandbox.helpers import ADMIN

VERSIONS = ("2.41", "2.42", "2.43")
MANAGER = ("metadata.manager", "district")
ADMIN_UID = "xE7jOejl9FI"
ELEMENT = {"id": "deSharing01", "name": "Sharing element", "shortName": "Sharing element",
           "valueType": "TEXT", "aggregationType": "NONE", "domainType": "AGGREGATE"}
ADMIN_READS = {ADMIN_UID: {"id": ADMIN_UID, "access": "rw------"}}


def _post(url: str, auth: tuple[str, str], payload: dict, **params: str) -> None:
    answer = requests.post(f"{url}/api/metadata", json=payload, params=params, auth=auth,
                           timeout=10)
    assert answer.status_code == 200, answer.text


def _sharing(url: str, plural: str, uid: str) -> dict:
    answer = requests.get(f"{url}/api/{plural}/{uid}", params={"fields": "sharing"}, auth=ADMIN,
                          timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["sharing"]


def _as_written(version: str, sharing: dict) -> dict:
    """`external` is a property of Sharing at 2.42.5 only."""
    return sharing if version == "2.42" else {k: v for k, v in sharing.items() if k != "external"}


def _manager_uid(url: str) -> str:
    return requests.get(f"{url}/api/me", params={"fields": "id"}, auth=MANAGER,
                        timeout=10).json()["id"]


def test_an_update_without_sharing_resets_it(sandbox_factory) -> None:
    # DefaultMetadataImportService#preCreateBundleObject resets a sharing without public access
    # (AclService#resetSharing: the importing user as owner, rw------ for a user who may make
    # the type public, no accesses), and handleUpdates' REPLACE merge writes it over the stored
    # one (2.41.9, 2.42.5, 2.43.1).
    shared = {**ELEMENT, "sharing": {"public": "r-------", "users": ADMIN_READS}}
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        manager = _manager_uid(url)
        _post(url, MANAGER, {"dataElements": [shared]})
        assert _sharing(url, "dataElements", "deSharing01") == _as_written(version, {
            "owner": manager, "external": False, "users": ADMIN_READS, "userGroups": {},
            "public": "r-------"}), version
        _post(url, ADMIN, {"dataElements": [ELEMENT]})
        assert _sharing(url, "dataElements", "deSharing01") == _as_written(version, {
            "owner": ADMIN_UID, "external": False, "users": {}, "userGroups": {},
            "public": "rw------"}), version


def test_skip_sharing_keeps_the_stored_sharing_and_an_owner_is_never_filled_on_update(
        sandbox_factory) -> None:
    # skipSharing: DefaultMetadataMergeService#merge skips the sharing property. A payload
    # sharing with a public string and no owner is merged as it is: no hook sets an owner on
    # update (IdentifiableObjectBundleHook#preUpdate), so none is written.
    shared = {**ELEMENT, "sharing": {"public": "r-------", "users": ADMIN_READS}}
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        _post(url, ADMIN, {"dataElements": [ELEMENT]})
        _post(url, MANAGER, {"dataElements": [shared]})
        expected = _as_written(version, {"external": False, "users": ADMIN_READS,
                                         "userGroups": {}, "public": "r-------"})
        assert _sharing(url, "dataElements", "deSharing01") == expected, version
        _post(url, MANAGER, {"dataElements": [ELEMENT]}, skipSharing="true")
        assert _sharing(url, "dataElements", "deSharing01") == expected, version


def test_a_reset_drops_the_accesses_before_validation_and_respects_default_private(
        sandbox_factory) -> None:
    # The reset runs before the bundle: the user access to an unknown user is gone before
    # ReferencesCheck looks (no E5002). Dashboards are default private (DashboardSchemaDescriptor
    # #setDefaultPrivate), so even a superuser's reset gives `--------`; skipSharing on create
    # is AclService#clearSharing (IdentifiableObjectBundleHook#preCreate).
    unknown = {"abcdefghij1": {"id": "abcdefghij1", "access": "rw------"}}
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        manager = _manager_uid(url)
        _post(url, MANAGER, {"dataElements": [{**ELEMENT, "sharing": {"users": unknown}}]})
        assert _sharing(url, "dataElements", "deSharing01") == _as_written(version, {
            "owner": manager, "external": False, "users": {}, "userGroups": {},
            "public": "rw------"}), version
        _post(url, ADMIN, {"dashboards": [{"id": "dshSharing1", "name": "Sharing dashboard"}]})
        assert _sharing(url, "dashboards", "dshSharing1")["public"] == "--------", version
        cleared = {**ELEMENT, "id": "deSharing02", "name": "Sharing two",
                   "shortName": "Sharing two",
                   "sharing": {"owner": ADMIN_UID, "public": "r-------", "users": ADMIN_READS}}
        _post(url, MANAGER, {"dataElements": [cleared]}, skipSharing="true")
        assert _sharing(url, "dataElements", "deSharing02") == _as_written(version, {
            "owner": manager, "external": False, "users": {}, "userGroups": {},
            "public": "--------"}), version


def test_external_is_bound_and_written_on_2_42_only(sandbox_factory) -> None:
    # user/sharing/Sharing.java has `external` at 2.42.5 (:73) and none at 2.41.9 or 2.43.1;
    # JacksonObjectMapperConfig ignores unknown properties (2.41.9 :171, 2.43.1 :179), so there
    # a payload's `sharing.external` is dropped and exports write no `external` key
    # (`sharing_external_access`)
    visual = {"id": "VisExtern01", "name": "Extern", "type": "PIVOT_TABLE",
              "sharing": {"owner": ADMIN_UID, "public": "r-------", "external": True}}
    for version, written in (("2.41", None), ("2.42", True), ("2.43", None)):
        running = sandbox_factory(version=version)
        _post(running.url, ADMIN, {"visualizations": [visual]})
        assert _sharing(running.url, "visualizations", "VisExtern01").get("external") is written
        exported = requests.get(f"{running.url}/api/metadata",
                                params={"visualizations": "true", "fields": "id,sharing"},
                                auth=ADMIN, timeout=10).json()["visualizations"]
        assert [v["sharing"].get("external") for v in exported] == [written], version
        # the `:owner` selection (the default of /api/metadata) writes the same shape
        for path, params in (("/api/metadata", {"visualizations": "true"}),
                             ("/api/visualizations", {"fields": ":owner"})):
            listed = requests.get(f"{running.url}{path}", params=params, auth=ADMIN,
                                  timeout=10).json()["visualizations"]
            assert [v["sharing"].get("external") for v in listed] == [written], (version, path)
        single = requests.get(f"{running.url}/api/visualizations/VisExtern01", auth=ADMIN,
                              params={"fields": ":owner"}, timeout=10).json()
        assert single["sharing"].get("external") is written, version
        if written is None:
            assert all("external" not in _sharing(running.url, "dataElements", d["id"])
                       for d in requests.get(f"{running.url}/api/dataElements", auth=ADMIN,
                                             timeout=10).json()["dataElements"][:3])
