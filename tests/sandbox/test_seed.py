"""Seeded state: DHIS2's default category objects, the Viet Nam trees, users and roles."""

from __future__ import annotations

import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

DEFAULTS = {"categoryCombos": "bjDvmb4bfuf", "categoryOptionCombos": "HllvX50cXC0",
            "categories": "GLevLNI9wkl", "categoryOptions": "xYerKDKCefk"}


def _units(url: str, **params: str) -> list[dict]:
    return requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10,
                        params={"paging": "false", "fields": "id,code,level,path", **params}
                        ).json()["organisationUnits"]


def test_default_category_objects(sandbox: RunningSandbox) -> None:
    for plural, uid in DEFAULTS.items():
        obj = requests.get(f"{sandbox.url}/api/{plural}/{uid}", auth=ADMIN, timeout=10).json()
        assert obj["name"] == "default" and obj["code"] == "default"


def test_current_tree_has_34_provinces_and_no_district_level(fresh_sandbox: RunningSandbox
                                                             ) -> None:
    units = _units(fresh_sandbox.url)
    assert sum(u["level"] == 2 for u in units) == 34
    assert max(u["level"] for u in units) == 3
    assert all(u["path"].count("/") == u["level"] for u in units)


def test_legacy_tree_has_63_provinces_with_districts(sandbox_factory) -> None:
    running = sandbox_factory(tree="legacy")
    units = _units(running.url)
    assert sum(u["level"] == 2 for u in units) == 63
    assert max(u["level"] for u in units) == 4
    leader = requests.get(f"{running.url}/api/me", auth=("group.leader", "district"),
                          timeout=10).json()
    capture = [u for u in units if u["id"] == leader["organisationUnits"][0]["id"]]
    assert capture[0]["level"] == 4


def test_state_file_survives_restart(tmp_path, sandbox_factory) -> None:
    state = str(tmp_path / "state.sqlite")
    first = sandbox_factory(state=state)
    requests.post(f"{first.url}/api/dataStore/scdi/k", json={"v": 1}, auth=ADMIN, timeout=10)
    first.stop()
    second = sandbox_factory(state=state)
    assert requests.get(f"{second.url}/api/dataStore/scdi/k", auth=ADMIN,
                        timeout=10).json() == {"v": 1}


def test_versions_report_their_release(sandbox_factory) -> None:
    # The patch each release emulates is the dhis2-core tag its behaviours were read from.
    for version, expected in (("2.41", "2.41.9"), ("2.42", "2.42.5"), ("2.43", "2.43.1")):
        running = sandbox_factory(version=version)
        info = requests.get(f"{running.url}/api/system/info", auth=ADMIN, timeout=10).json()
        assert info["version"] == expected
        assert ("sessionTimeout" in info) == (version == "2.43")


def test_revision_is_the_short_hash_of_the_emulated_tag(sandbox_factory) -> None:
    # dhis-2/pom.xml writes build.revision from `git rev-parse --short=7 HEAD`, the tag's
    # commit; system info and the `system.rev` of a metadata export both read it.
    for version, expected in (("2.41", "ce64046"), ("2.42", "9fc9c1d"), ("2.43", "9cbfbf3")):
        running = sandbox_factory(version=version)
        info = requests.get(f"{running.url}/api/system/info", auth=ADMIN, timeout=10).json()
        assert info["revision"] == expected, version
        export = requests.get(f"{running.url}/api/metadata", auth=ADMIN, timeout=30,
                              params={"userGroups": "true"}).json()
        assert export["system"]["rev"] == expected, version


def test_system_info_capability_on_2_43(sandbox_factory) -> None:
    # 2.43.1 SystemCapability has one primitive boolean, analyticsTotalCounts, set from
    # SqlBuilder#isHighPerformance, which PostgreSqlBuilder answers false; a primitive is
    # never dropped by NON_NULL, and withoutSensitiveInfo keeps the capability.
    for version, expected in (("2.41", None), ("2.42", None),
                              ("2.43", {"analyticsTotalCounts": False})):
        running = sandbox_factory(version=version)
        for auth in (ADMIN, ("group.leader", "district")):
            info = requests.get(f"{running.url}/api/system/info", auth=auth, timeout=10).json()
            assert info.get("capability") == expected, (version, auth)


def test_metadata_manager_imports_shared_visualizations(fresh_sandbox: RunningSandbox) -> None:
    # VisualizationSchemaDescriptor / EventVisualizationSchemaDescriptor (2.41.9, 2.42.5,
    # 2.43.1): the one create authority is CREATE_PUBLIC, F_VISUALIZATION_PUBLIC_ADD /
    # F_EVENT_VISUALIZATION_PUBLIC_ADD; without it only a private one may be made
    # (implicitPrivateAuthority, DefaultAclService#verifySharing E3008), and a package's
    # charts are shared.
    url = fresh_sandbox.url
    program = {"id": "prgVisual01", "name": "Sự kiện", "shortName": "Sự kiện",
               "programType": "WITHOUT_REGISTRATION"}
    assert post_metadata(url, {"programs": [program]}).status_code == 200
    shared = {"public": "r-------"}
    payload = {
        "visualizations": [{"id": "visManager1", "name": "Biểu đồ", "type": "COLUMN",
                            "sharing": shared}],
        "eventVisualizations": [{"id": "evManager01", "name": "Danh sách", "type": "LINE_LIST",
                                 "program": {"id": "prgVisual01"}, "sharing": shared}]}
    response = post_metadata(url, payload, auth=("metadata.manager", "district"))
    assert response.status_code == 200, response.text
    assert response.json()["response"]["stats"]["created"] == 2
