"""Who may delete, update and create what: `AclService#canDelete` / `#canUpdate` / `#canCreate`
(access/acl.py) on `DELETE /api/{plural}/{uid}` and in the import's SecurityCheck
(metadata/validation.py#security), the implicit-private branch of the ten types whose descriptor
sets it, and the sharing check SecurityCheck runs on DELETE too (metadata/sharing_check.py).
The same at 2.41.9, 2.42.5 and 2.43.1."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

MANAGER = ("metadata.manager", "district")
VIEWER = ("dashboard.viewer", "district")
DASHBOARD = "org.hisp.dhis.dashboard.Dashboard"
FORBIDDEN = "You don't have the proper permissions to delete this object."
VERSIONS = ["2.41", "2.42", "2.43"]


def _details(username: str) -> str:
    """Object#toString of a UserDetailsImpl (Lombok's hashCode over the username)."""
    h = 0
    for char in username:
        h = (31 * h + ord(char)) & 0xFFFFFFFF
    return f"org.hisp.dhis.user.UserDetailsImpl@{(59 + h) & 0xFFFFFFFF:x}"


def _create(url: str, plural: str, obj: dict[str, Any], auth: tuple[str, str] = ADMIN) -> None:
    answer = requests.post(f"{url}/api/{plural}", json=obj, auth=auth, timeout=20)
    assert answer.status_code == 201, answer.text


def _get(url: str, path: str, auth: tuple[str, str] = ADMIN, **params: str) -> requests.Response:
    return requests.get(f"{url}/api/{path}", params=params, auth=auth, timeout=20)


def _delete(url: str, path: str, auth: tuple[str, str]) -> requests.Response:
    return requests.delete(f"{url}/api/{path}", auth=auth, timeout=20)


def _codes(answer: requests.Response) -> list[str]:
    report = answer.json()["response"]
    if "errorReports" in report:
        return [e["errorCode"] for e in report["errorReports"]]
    return [e["errorCode"] for t in report["typeReports"] for o in t["objectReports"]
            for e in o["errorReports"]]


def _dashboard(uid: str, public: str | None = None) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": uid, "name": f"Bảng {uid}"}
    if public is not None:
        obj["sharing"] = {"public": public}
    return obj


def _visualization(uid: str, public: str) -> dict[str, Any]:
    return {"id": uid, "name": f"Biểu đồ {uid}", "type": "COLUMN", "sharing": {"public": public}}


def _start(sandbox_factory: Any, version: str) -> RunningSandbox:
    running: RunningSandbox = sandbox_factory(version=version)
    return running


@pytest.mark.parametrize("version", VERSIONS)
def test_delete_asks_can_delete_of_the_stored_object(sandbox_factory, version: str) -> None:
    # AbstractCrudController#deleteObject → AclService#canDelete(user, persistedObject): the
    # type's DELETE authority, else its create ones (visualizations name CREATE_PUBLIC alone,
    # which metadata.manager holds), then checkSharingAccess and metadata write sharing; a
    # user without them deletes an implicit-private type only with write sharing
    url = _start(sandbox_factory, version).url
    _create(url, "dashboards", _dashboard("dshReadOnl1", "r-------"))
    _create(url, "visualizations", _visualization("visReadOnl1", "r-------"))
    _create(url, "visualizations", _visualization("visWritabl1", "rw------"))
    for path, auth in (("dashboards/dshReadOnl1", VIEWER), ("visualizations/visReadOnl1", MANAGER)):
        answer = _delete(url, path, auth)
        assert answer.status_code == 403, (version, path, answer.text)
        assert answer.json()["message"] == FORBIDDEN, version
        assert _get(url, path).status_code == 200, (version, path)
    answer = _delete(url, "visualizations/visWritabl1", MANAGER)
    assert answer.status_code == 200, (version, answer.text)
    assert _get(url, "visualizations/visWritabl1").status_code == 404, version


@pytest.mark.parametrize("version", VERSIONS)
def test_implicit_private_types_let_sharing_decide_without_authorities(
        sandbox_factory, version: str) -> None:
    # DashboardSchemaDescriptor sets implicitPrivateAuthority and names CREATE_PUBLIC alone:
    # dashboard.viewer (no F_DASHBOARD_PUBLIC_ADD) creates a private dashboard (canCreate:
    # canMakeClassPrivate with no CREATE_PRIVATE authority), and canWrite / canUpdate /
    # canDelete fall to the implicit branch: checkSharingAccess, plus write sharing to update,
    # write sharing alone to delete
    url = _start(sandbox_factory, version).url
    created = requests.post(f"{url}/api/dashboards", json=_dashboard("dshViewer01"), auth=VIEWER,
                            timeout=20)
    assert created.status_code == 201, (version, created.text)
    own = _get(url, "dashboards/dshViewer01", VIEWER, fields="access,sharing").json()
    assert own["sharing"]["public"] == "--------", version
    assert {k: own["access"][k] for k in ("write", "update", "delete", "manage")} == {
        "write": True, "update": True, "delete": True, "manage": True}, version
    _create(url, "dashboards", _dashboard("dshShared01", "rw------"))
    shared = _get(url, "dashboards/dshShared01", VIEWER, fields="access").json()["access"]
    # a public string other than `--------` needs CREATE_PUBLIC for checkSharingAccess
    assert {k: shared[k] for k in ("write", "update", "delete")} == {
        "write": False, "update": False, "delete": True}, version
    updated = requests.put(f"{url}/api/dashboards/dshViewer01", auth=VIEWER, timeout=20,
                           json={**_dashboard("dshViewer01"), "name": "Bảng của tôi"})
    assert updated.status_code == 200, (version, updated.text)
    assert _delete(url, "dashboards/dshViewer01", VIEWER).status_code == 200, version


@pytest.mark.parametrize("version", VERSIONS)
def test_delete_runs_the_import_sharing_check(sandbox_factory, version: str) -> None:
    # SecurityCheck#runValidationCheck under DELETE: canDelete (E3002), then verifySharing of
    # the object unless skipSharing: a `rw------` dashboard the viewer may delete (public write
    # sharing) but could not have made public is refused with E3008
    url = _start(sandbox_factory, version).url
    _create(url, "dashboards", _dashboard("dshShared01", "rw------"))
    answer = _delete(url, "dashboards/dshShared01", VIEWER)
    assert answer.status_code == 409, (version, answer.text)
    body = answer.json()
    assert body["status"] == "WARNING", version
    who = _details("dashboard.viewer")
    assert body["response"]["errorReports"] == [{
        "message": f"User `{who}` is not allowed to make public objects of type "
                   f"`class {DASHBOARD}`",
        "mainKlass": DASHBOARD, "errorProperties": [who, DASHBOARD], "errorCode": "E3008",
        "args": [who, f"class {DASHBOARD}"]}], (version, body)
    assert _get(url, "dashboards/dshShared01").status_code == 200, version
    payload = {"dashboards": [_dashboard("dshShared01", "rw------")]}
    refused = post_metadata(url, payload, auth=VIEWER, importStrategy="DELETE")
    assert refused.status_code == 409 and _codes(refused) == ["E3008"], (version, refused.text)
    assert _get(url, "dashboards/dshShared01").status_code == 200, version
    passed = post_metadata(url, payload, auth=VIEWER, importStrategy="DELETE", skipSharing="true")
    assert passed.status_code == 200, (version, passed.text)
    assert passed.json()["response"]["stats"]["deleted"] == 1, version


@pytest.mark.parametrize("version", VERSIONS)
def test_import_create_check_is_can_create(sandbox_factory, version: str) -> None:
    # SecurityCheck's E3000 is AclService#canCreate(user, klass): a shareable type needs its
    # CREATE_PUBLIC or CREATE_PRIVATE authority (an empty list open to all), another its CREATE
    # one. Dashboards (CREATE_PUBLIC only) are open through the private path, program stages
    # and constants (shareable, CREATE only) to everyone; legend sets are not. Whether the
    # object may be public is verifySharing's E3008.
    url = _start(sandbox_factory, version).url
    private = post_metadata(url, {"dashboards": [_dashboard("dshViewer02")]}, auth=VIEWER)
    assert private.status_code == 200, (version, private.text)
    assert private.json()["response"]["stats"]["created"] == 1, version
    public = post_metadata(url, {"dashboards": [_dashboard("dshViewer03", "rw------")]}, auth=VIEWER)
    assert _codes(public) == ["E3008"], (version, public.text)
    for key, obj in (
            ("programStages", {"id": "psViewer001", "name": "Lần khám",
                               "program": {"id": "prViewer001"}}),
            ("constants", {"id": "cnViewer001", "name": "Hằng số", "value": 1.5})):
        answer = post_metadata(url, {key: [obj]}, auth=VIEWER)
        codes = _codes(answer) if answer.status_code != 200 else []
        assert "E3000" not in codes, (version, key, answer.text)
    legend = post_metadata(url, {"legendSets": [{"id": "lsViewer001", "name": "Mức"}]}, auth=VIEWER)
    assert _codes(legend) == ["E3000"], (version, legend.text)


@pytest.mark.parametrize("version", VERSIONS)
def test_import_update_check_is_can_update_of_the_stored_object(sandbox_factory, version: str) -> None:
    # SecurityCheck's E3001 is AclService#canUpdate(user, persistedObject): metadata.manager
    # holds the visualization's CREATE_PUBLIC but has no write sharing on a `r-------` one
    url = _start(sandbox_factory, version).url
    _create(url, "visualizations", _visualization("visReadOnl1", "r-------"))
    answer = post_metadata(url, {"visualizations": [
        {"id": "visReadOnl1", "name": "Đổi tên", "type": "COLUMN"}]}, auth=MANAGER)
    assert _codes(answer) == ["E3001"], (version, answer.text)
    assert _get(url, "visualizations/visReadOnl1").json()["name"] == "Biểu đồ visReadOnl1", version


@pytest.mark.parametrize("version", VERSIONS)
def test_schemas_report_the_implicit_private_authority(sandbox_factory, version: str) -> None:
    # Schema#isImplicitPrivateAuthority (@JsonProperty), the descriptors' flag
    # (data/schema_registry/<tag>.json, scripts/schema_registry.py)
    url = _start(sandbox_factory, version).url
    schemas = _get(url, "schemas", fields="singular,implicitPrivateAuthority").json()["schemas"]
    assert {s["singular"] for s in schemas if s["implicitPrivateAuthority"]} == {
        "dashboard", "dashboardItem", "eventChart", "eventFilter", "eventReport",
        "eventVisualization", "map", "programStageWorkingList", "trackedEntityInstanceFilter",
        "visualization"}, version


@pytest.mark.parametrize("version", VERSIONS)
def test_option_combo_access_asks_the_sharing_of_its_options(sandbox_factory, version: str) -> None:
    # DefaultAclService#canRead / #canWrite (2.41.9 :153/:238, 2.42.5 :156/:241, 2.43.1
    # :145/:230): an option combo, once the type's authorities pass, is readable / writable when
    # every one of its category options is by #checkSharingPermission (public, user, user group;
    # no owner check), the default combo and one without options always
    # (#checkOptionComboSharingPermission 2.41.9 :776, 2.42.5 :812, 2.43.1 :749).
    url = _start(sandbox_factory, version).url
    maker = ("combo.maker", "Combo-test-2025!")
    options = [{"id": "coPrivate01", "name": "Riêng", "shortName": "Riêng",
                "sharing": {"public": "--------"}},
               {"id": "coPublic001", "name": "Chung", "shortName": "Chung",
                "sharing": {"public": "rw------"}}]
    setup = post_metadata(url, {
        "userRoles": [{"id": "roleCombo01", "name": "Combo maker",
                       "authorities": ["F_CATEGORY_COMBO_PUBLIC_ADD"]}],
        "users": [{"id": "usrCombo001", "username": maker[0], "password": maker[1],
                   "firstName": "Combo", "surname": "Maker", "userRoles": [{"id": "roleCombo01"}]}],
        "categoryOptions": options,
        "categories": [{"id": "caAccess001", "name": "Phạm vi", "shortName": "Phạm vi",
                        "dataDimensionType": "DISAGGREGATION",
                        "categoryOptions": [{"id": o["id"]} for o in options]}],
        "categoryCombos": [{"id": "ccAccess001", "name": "Phạm vi",
                            "dataDimensionType": "DISAGGREGATION",
                            "categories": [{"id": "caAccess001"}]}],
        "categoryOptionCombos": [
            {"id": "cocPriv0001", "name": "Riêng", "categoryCombo": {"id": "ccAccess001"},
             "categoryOptions": [{"id": "coPrivate01"}]},
            {"id": "cocPubl0001", "name": "Chung", "categoryCombo": {"id": "ccAccess001"},
             "categoryOptions": [{"id": "coPublic001"}]}]})
    assert setup.status_code == 200, (version, setup.text)

    def access(uid: str, auth: tuple[str, str]) -> dict[str, Any]:
        answer = _get(url, f"categoryOptionCombos/{uid}", auth, fields="access")
        assert answer.status_code == 200, (version, answer.text)
        block: dict[str, Any] = answer.json()["access"]
        return {k: block[k] for k in ("read", "write", "update", "delete")}

    assert access("cocPriv0001", VIEWER) == {
        "read": False, "write": False, "update": False, "delete": False}, version
    assert access("cocPubl0001", VIEWER) == {
        "read": True, "write": False, "update": False, "delete": False}, version
    # the maker holds a CREATE authority: write asks the options, update and delete do not
    assert access("cocPriv0001", maker) == {
        "read": False, "write": False, "update": True, "delete": False}, version
    assert access("cocPubl0001", maker) == {
        "read": True, "write": True, "update": True, "delete": False}, version
    assert access("HllvX50cXC0", maker) == {
        "read": True, "write": True, "update": True, "delete": False}, version


@pytest.mark.parametrize("version", VERSIONS)
def test_an_invalid_access_string_grants_nothing(sandbox_factory, version: str) -> None:
    # AccessStringHelper#isEnabled asks `validateAccessString` first (eight characters,
    # `[r-][w-][r-][w-]----`): a user access `rw` or `rwxx----`, stored unchecked by a
    # superuser's import (verifySharing returns at once for one), neither reads nor writes,
    # so the viewer may not delete the private dashboard; `rw------` may
    url = _start(sandbox_factory, version).url
    viewer = _get(url, "me", VIEWER, fields="id").json()["id"]
    for uid, access, allowed in (("dshInvalid1", "rw", False), ("dshInvalid2", "rwxx----", False),
                                 ("dshValid001", "rw------", True)):
        _create(url, "dashboards", {**_dashboard(uid, "--------"), "sharing": {
            "public": "--------", "users": {viewer: {"id": viewer, "access": access}}}})
        answer = _delete(url, f"dashboards/{uid}", VIEWER)
        if allowed:
            assert answer.status_code == 200, (version, answer.text)
            continue
        # not readable either: the lookup of #deleteObject misses it (`shared_for_read`)
        assert answer.status_code == 404, (version, uid, answer.text)
        assert _get(url, f"dashboards/{uid}").status_code == 200, (version, uid)
    # readable through the public `r-------`, but `rw` writes nothing: canDelete's 403
    _create(url, "dashboards", {**_dashboard("dshInvalid3"), "sharing": {
        "public": "r-------", "users": {viewer: {"id": viewer, "access": "rw"}}}})
    refused = _delete(url, "dashboards/dshInvalid3", VIEWER)
    assert refused.status_code == 403, (version, refused.text)
    assert refused.json()["message"] == FORBIDDEN
