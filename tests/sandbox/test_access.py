"""The access module (`sandbox/access/`): sharing enforced on metadata reads, exports and
tracker capture, membership from `UserGroup.users`, `/api/sharing`, user disable / enable,
collection endpoints, password rules (E4005) and `/api/me` per release."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import bad_request_page, missing_parameter, seeded_user
from tests.sandbox.tracker_fixture import LEADER, codes, install, person, post

ADMIN = ("admin", "district")
LEADER_UID_CODE = "group.leader"
NO_PUBLIC = {"public": "--------", "external": False, "users": {}, "userGroups": {}}


def _get(running: RunningSandbox, path: str, auth: tuple[str, str] = ADMIN, **params: Any) -> requests.Response:
    return requests.get(f"{running.url}/api/{path}", params=params, auth=auth, timeout=30)


def _post(running: RunningSandbox, path: str, body: Any = None, auth: tuple[str, str] = ADMIN,
          **params: Any) -> requests.Response:
    return requests.post(f"{running.url}/api/{path}", json=body, params=params, auth=auth, timeout=30)


def check(running: RunningSandbox, payload: dict[str, Any], auth: tuple[str, str] = ADMIN) -> list[str]:
    answer = post(running, payload, auth=auth, importMode="VALIDATE")
    assert answer.status_code in (200, 409), answer.text
    return codes(answer.json())


def _uid_of(running: RunningSandbox, username: str) -> str:
    return seeded_user(running, username)["id"]


def _import(running: RunningSandbox, payload: dict[str, Any], **params: Any) -> dict[str, Any]:
    answer = _post(running, "metadata", payload, **params)
    return answer.json()  # type: ignore[no-any-return]


def _group(running: RunningSandbox, uid: str, members: list[str] | None = None) -> None:
    body = _import(running, {"userGroups": [{"id": uid, "name": f"Group {uid}", "code": f"G_{uid}",
                                             "users": [{"id": m} for m in members or []]}]})
    assert body["status"] == "OK", body


def _private_program(running: RunningSandbox, uid: str, groups: dict[str, str] | None = None) -> None:
    sharing = {**NO_PUBLIC, "userGroups": {g: {"id": g, "access": a} for g, a in (groups or {}).items()}}
    body = _import(running, {"programs": [{"id": uid, "name": f"Private {uid}", "shortName": f"P {uid}",
                                           "programType": "WITHOUT_REGISTRATION", "sharing": sharing}]})
    assert body["status"] == "OK", body


def test_metadata_reads_follow_sharing_and_group_membership(fresh_sandbox):
    """DefaultAclService#canRead + getSharingPredicates: a program shared with nobody is
    invisible to the leader (list and single object 404), a superuser reads it; adding the
    leader to the group it is shared with (UserGroup.users) makes it readable."""
    running = fresh_sandbox
    leader = _uid_of(running, LEADER_UID_CODE)
    _group(running, "grpCapture1")
    _private_program(running, "prgPrivate1", {"grpCapture1": "r-rw----"})
    listed = _get(running, "programs", auth=LEADER, fields="id", paging="false").json()["programs"]
    assert {"id": "prgPrivate1"} not in listed
    missing = _get(running, "programs/prgPrivate1", auth=LEADER)
    assert missing.status_code == 404 and missing.json()["errorCode"] == "E1005"
    assert _get(running, "programs/prgPrivate1").status_code == 200  # superuser bypass
    exported = _get(running, "metadata", auth=("metadata.manager", "district"), programs="true").json()
    assert "prgPrivate1" not in {p["id"] for p in exported.get("programs", [])}
    me = _get(running, "me", auth=LEADER, fields="userGroups,programs").json()
    assert me["userGroups"] == [] and "prgPrivate1" not in me["programs"]

    added = _post(running, f"userGroups/grpCapture1/users/{leader}")
    assert added.status_code == 200
    assert added.json()["response"]["responseType"] == "TypeReport"
    assert added.json()["response"]["stats"]["updated"] == 1
    assert _get(running, "programs/prgPrivate1", auth=LEADER).status_code == 200
    me = _get(running, "me", auth=LEADER, fields="userGroups[id],programs").json()
    assert me["userGroups"] == [{"id": "grpCapture1"}] and "prgPrivate1" in me["programs"]
    user = _get(running, f"users/{leader}", fields="userGroups").json()
    assert user["userGroups"] == [{"id": "grpCapture1"}]  # inverse side read from the group

    # the user's own userGroups list is the inverse side: sending it changes nothing
    removed = requests.delete(f"{running.url}/api/users/{leader}/userGroups/grpCapture1", auth=ADMIN, timeout=30)
    assert removed.status_code == 200
    assert _get(running, "programs/prgPrivate1", auth=LEADER).status_code == 404


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_dashboard_lists_and_exports_follow_sharing_for_superusers_on_2_41(sandbox_factory, version):
    """InternalHibernateGenericStoreImpl#forceAcl: 2.41.9's JpaCriteriaQueryEngine asks the
    dashboard store's sharing predicates of superusers too, so admin's list, filtered list,
    pager total and export leave out a private dashboard of another user; 2.42.5/2.43.1
    #buildSharingFilters skip superusers. A single read is `getByUidNoAcl` at all three."""
    running = sandbox_factory(version=version)
    created = requests.post(f"{running.url}/api/dashboards", json={"id": "dshPrivate1", "name": "Bảng riêng"},
                            auth=("dashboard.viewer", "district"), timeout=30)
    assert created.status_code == 201, created.text
    assert _post(running, "dashboards", {"id": "dshAdmin001", "name": "Bảng chung"}).status_code == 201
    hidden = version == "2.41"
    listed = {d["id"] for d in _get(running, "dashboards", fields="id", paging="false").json()["dashboards"]}
    assert "dshAdmin001" in listed and ("dshPrivate1" not in listed) == hidden, version
    filtered = _get(running, "dashboards", fields="id", filter="id:eq:dshPrivate1").json()
    assert (filtered["dashboards"] == []) == hidden and filtered["pager"]["total"] == (0 if hidden else 1)
    exported = {d["id"] for d in _get(running, "metadata", dashboards="true").json().get("dashboards", [])}
    assert "dshAdmin001" in exported and ("dshPrivate1" not in exported) == hidden, version
    assert _get(running, "dashboards/dshPrivate1", fields="id").json() == {"id": "dshPrivate1"}


def _stats(answer: requests.Response) -> dict[str, int]:
    assert answer.status_code == 200, answer.text
    assert answer.json()["response"]["responseType"] == "TypeReport"
    return answer.json()["response"]["stats"]  # type: ignore[no-any-return]


def _zero(**counts: int) -> dict[str, int]:
    stats = {"created": 0, "updated": 0, "deleted": 0, "ignored": 0, **counts}
    return {**stats, "total": sum(stats.values())}


def _send(running: RunningSandbox, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{running.url}/api/{path}", json=body, auth=ADMIN, timeout=30)


def _members(running: RunningSandbox, group: str) -> set[str]:
    return {u["id"] for u in _get(running, f"userGroups/{group}", fields="users[id]").json()["users"]}


def _member_of_one_group(running: Any) -> Any:
    """Groups grpMember01 and grpMember02, and user usrMember01 in the first."""
    _group(running, "grpMember01")
    _group(running, "grpMember02")
    account = {"id": "usrMember01", "username": "member.one", "password": "Member-test-2025!",
               "firstName": "Member", "surname": "One", "userRoles": [{"id": "jRWSNIHdKww"}],
               "userGroups": [{"id": "grpMember01"}]}
    assert _post(running, "users", account).status_code == 201
    return running


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_collection_removals_count_as_deleted_and_replace_removes_everything_first(
        sandbox_factory, version):
    """DefaultCollectionService (`incDeleted` 2.41.9 :195/:222, 2.42.5 :197/:224; `deletedInc`
    2.43.1 :197/:224): a removed item is `deleted`; replaceCollectionItems deletes the whole
    current collection and then adds the listed items, merging both reports (2.41.9 :242,
    2.42.5/2.43.1 :244);
    IdentifiableObjects#getIdentifiableObjects is the additions list, so a JSON DELETE reads
    `identifiableObjects` or `additions` and never `deletions`; a POST merges both lists
    (#mergeCollectionItems)."""
    running = sandbox_factory(version=version)
    a, c = _uid_of(running, LEADER_UID_CODE), _uid_of(running, "dashboard.viewer")
    _group(running, "grpColl0001", [a, c])
    group = "userGroups/grpColl0001/users"
    assert _stats(_send(running, "DELETE", f"{group}/{c}")) == _zero(deleted=1)
    assert _members(running, "grpColl0001") == {a}
    merged = _send(running, "POST", group, {"additions": [{"id": c}], "deletions": [{"id": a}]})
    assert _stats(merged) == _zero(deleted=1, updated=1)
    assert _members(running, "grpColl0001") == {c}
    replaced = _send(running, "PUT", group, {"identifiableObjects": [{"id": a}, {"id": c}]})
    assert _stats(replaced) == _zero(deleted=1, updated=2)
    assert _members(running, "grpColl0001") == {a, c}
    assert _stats(_send(running, "DELETE", group, {"deletions": [{"id": a}]})) == _zero()
    assert _stats(_send(running, "DELETE", group, {"identifiableObjects": [{"id": a}]})) == _zero(
        deleted=1)
    assert _stats(_send(running, "DELETE", f"users/{c}/userGroups/grpColl0001")) == _zero(deleted=1)
    assert _members(running, "grpColl0001") == set()


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_collection_path_ids_are_uids_on_2_43(sandbox_factory, version):
    """2.43.1 AbstractCrudController#addCollectionItem/#deleteCollectionItem take `UID uid` and
    `UID itemId` (:617-620, :667-669): an id that is not a UID fails UID#of during binding and
    CrudControllerAdvice#methodArgumentTypeMismatchException answers 400 with the conversion
    message; 2.41.9 and 2.42.5 take Strings: the `itemId` is wrapped in a BaseIdentifiableObject
    (2.41.9 :737/:805, 2.42.5 :644/:693) that DefaultCollectionService#updateCollectionItems
    (2.41.9 :304-323, 2.42.5 :306-325) finds no object for, 200 with zero stats, POST and
    DELETE alike; the `uid` names no owner, 404."""
    running = sandbox_factory(version=version)
    a = _uid_of(running, LEADER_UID_CODE)
    _group(running, "grpColl0001")
    item = _send(running, "POST", "userGroups/grpColl0001/users/bad")
    removed = _send(running, "DELETE", "userGroups/grpColl0001/users/bad")
    owner = _send(running, "DELETE", f"userGroups/bad/users/{a}")
    if version != "2.43":
        assert _stats(item) == _zero()
        assert _stats(removed) == _zero()
        assert owner.status_code == 404
        return
    for answer, name in ((item, "itemId"), (removed, "itemId"), (owner, "uid")):
        assert answer.status_code == 400, answer.text
        assert answer.json()["message"] == (
            f"Value 'bad' is not valid for path parameter {name}. UID must be an alphanumeric "
            "string of 11 characters starting with a letter, but was: bad")
        assert "errorCode" not in answer.json()


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_object_put_patch_delete_ids_are_uids_on_2_43(sandbox_factory, version):
    """2.43.1 AbstractCrudController#putJsonObject/#patchObject/#deleteObject take `UID uid`
    (:171, :394, :473): another id is 400 with the conversion message before anything is looked
    up; 2.41.9 and 2.42.5 take Strings and find no object (404 E1005)."""
    running = sandbox_factory(version=version)
    for method, body, headers in (("PUT", {"name": "x"}, {}),
                                  ("PATCH", [], {"Content-Type": "application/json-patch+json"}),
                                  ("DELETE", None, {})):
        answer = requests.request(method, f"{running.url}/api/userGroups/bad", json=body, auth=ADMIN,
                                  headers=headers, timeout=30)
        if version != "2.43":
            assert answer.status_code == 404 and answer.json()["errorCode"] == "E1005", (method, answer.text)
            continue
        assert answer.status_code == 400, (method, answer.text)
        assert answer.json()["message"] == (
            "Value 'bad' is not valid for path parameter uid. UID must be an alphanumeric "
            "string of 11 characters starting with a letter, but was: bad")
        assert "errorCode" not in answer.json()


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_translation_and_sharing_ids_are_uids_on_2_43(sandbox_factory, version):
    """2.43.1 AbstractCrudController#replaceTranslations (`PUT /{uid}/translations`, :440) and
    #setSharing (`PUT /{uid}/sharing`, :682) take `UID uid`: another id is the conversion's 400
    without errorCode; 2.41.9 and 2.42.5 take Strings and find no object (#getEntity,
    `manager.get`: 404 E1005)."""
    running = sandbox_factory(version=version)
    for path, body in (("translations", {"translations": []}), ("sharing", {"object": {}})):
        answer = requests.put(f"{running.url}/api/userGroups/bad/{path}", json=body, auth=ADMIN,
                              timeout=30)
        if version != "2.43":
            assert answer.status_code == 404 and answer.json()["errorCode"] == "E1005", (path, answer.text)
            continue
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json()["message"] == (
            "Value 'bad' is not valid for path parameter uid. UID must be an alphanumeric "
            "string of 11 characters starting with a letter, but was: bad")
        assert "errorCode" not in answer.json()


def test_access_block_with_data_on_data_shareable_types(fresh_sandbox):
    """AclService#getAccess: `data` only on data-shareable types; a superuser gets everything."""
    running = fresh_sandbox
    _private_program(running, "prgPrivate2")
    admin = _get(running, "programs/prgPrivate2", fields="access").json()["access"]
    assert admin == {"manage": True, "externalize": True, "write": True, "read": True, "update": True,
                     "delete": True, "data": {"read": True, "write": True}}
    unit = _get(running, "organisationUnits", auth=LEADER, fields="access", pageSize=1).json()
    assert "data" not in unit["organisationUnits"][0]["access"]
    assert unit["organisationUnits"][0]["access"]["read"] is True
    assert unit["organisationUnits"][0]["access"]["write"] is False


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_access_block_has_externalize_only_on_2_42(sandbox_factory, version):
    """`security/acl/Access.java`: `externalize` at 2.42.5 only; 2.41.9 and 2.43.1 write manage,
    write, read, update, delete (and data)."""
    running = sandbox_factory(version=version)
    base = {"manage", "write", "read", "update", "delete"}
    expected = base | {"externalize"} if version == "2.42" else base
    units = _get(running, "organisationUnits", auth=LEADER, fields="access", pageSize=1).json()
    assert set(units["organisationUnits"][0]["access"]) == expected
    _private_program(running, "prgAccess01")
    program = _get(running, "programs/prgAccess01", fields="access").json()
    assert set(program["access"]) == expected | {"data"}
    put = requests.put(f"{running.url}/api/dataStore/scdiAccessTest/k", json={"a": 1}, auth=ADMIN, timeout=30)
    assert put.status_code in (200, 201), put.text
    meta = _get(running, "dataStore/scdiAccessTest/k/metaData").json()
    assert set(meta["access"]) == expected


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_sharing_endpoint(sandbox_factory, version):
    """SharingController: GET shape (externalAccess in 2.42.5 only), POST replaces the sharing,
    drops the data part on types that are not data-shareable, 404 / 409 answers."""
    running = sandbox_factory(version=version)
    _group(running, "grpShare001")
    got = _get(running, "sharing", type="userGroup", id="grpShare001")
    assert got.status_code == 200, got.text
    body = got.json()
    assert set(body) == {"meta", "object"}
    assert ("allowExternalAccess" in body["meta"]) == (version == "2.42")
    assert ("externalAccess" in body["object"]) == (version == "2.42")
    assert body["object"]["id"] == "grpShare001" and body["object"]["user"]["id"] == "xE7jOejl9FI"
    posted = _post(running, "sharing", {"object": {"publicAccess": "rwrw----", "userGroupAccesses": [
        {"id": "grpShare001", "access": "rwrw----"}, {"id": "noSuchGrp01", "access": "r-------"}]}},
        type="userGroup", id="grpShare001")
    assert posted.status_code == 200 and posted.json()["message"] == "Access control set"
    sharing = _get(running, "userGroups/grpShare001", fields="sharing").json()["sharing"]
    assert sharing["public"] == "rw------"
    assert sharing["userGroups"] == {"grpShare001": {"id": "grpShare001", "access": "rw------"}}
    # SharingController answers WebMessageUtils.notFound(String) / conflict(String): no
    # errorCode on any of these (2.41.9, 2.42.5, 2.43.1).
    answers = [
        (_get(running, "sharing", type="userGroup", id="nothing0001"), 404,
         "Object of type userGroup with ID nothing0001 was not found."),
        (_get(running, "sharing", type="noSuchType", id="grpShare001"), 409,
         "Type noSuchType is not supported."),
        (_post(running, "sharing", {"object": {}}, type="noSuchType", id="grpShare001"), 409,
         "Type noSuchType is not supported."),
        (_post(running, "sharing", {"object": {}}, type="userGroup", id="nothing0001"), 404,
         "Object of type userGroup with ID nothing0001 was not found."),
        (_post(running, "sharing", {"object": {}}, type="categoryOption", id="xYerKDKCefk"), 409,
         "Sharing settings of system default metadata object of type categoryOption cannot be "
         "modified."),
        (_post(running, "sharing", {"object": {"publicAccess": "rwx"}}, type="userGroup",
               id="grpShare001"), 409, "Invalid public access string: rwx"),
        (_post(running, "sharing", {"object": {"publicAccess": "r-------", "userAccesses": [
            {"id": "xE7jOejl9FI", "access": "bad"}]}}, type="userGroup", id="grpShare001"), 409,
         "Invalid user access string: bad"),
    ]
    for answer, status, message in answers:
        assert answer.status_code == status, answer.text
        assert answer.json()["message"] == message
        assert "errorCode" not in answer.json(), answer.text
    forbidden = _post(running, "sharing", {"object": {"publicAccess": "r-------"}}, auth=LEADER,
                      type="userGroup", id="grpShare001")
    assert forbidden.status_code == 403


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_sharing_refusals_and_missing_access_strings(sandbox_factory, version):
    """SharingController: AccessStringHelper#isValid takes a missing access string (null) as
    valid, so a body without publicAccess is stored with none, and a missing access string
    grants everything (isEnabled(null)). A caller without access is refused with Spring's
    AccessDeniedException on 2.41.9 (no errorCode) and ForbiddenException (E1006) after."""
    running = sandbox_factory(version=version)
    _group(running, "grpShare002")
    posted = _post(running, "sharing", {"object": {"userGroupAccesses": [{"id": "grpShare002"}]}},
                   type="userGroup", id="grpShare002")
    assert posted.status_code == 200 and posted.json()["message"] == "Access control set", posted.text
    got = _get(running, "sharing", type="userGroup", id="grpShare002").json()["object"]
    assert got["publicAccess"] == "rw------"  # none stored: what the superuser may make public
    assert [g.get("access") for g in got["userGroupAccesses"]] == [None]
    _post(running, "sharing", {"object": {"publicAccess": "--------"}}, type="userGroup",
          id="grpShare002")
    bad = _post(running, "sharing", {"object": {"publicAccess": "rw------\n"}}, type="userGroup",
                id="grpShare002")
    assert bad.status_code == 409 and bad.json()["message"] == "Invalid public access string: rw------\n"
    expected = {"httpStatus": "Forbidden", "httpStatusCode": 403, "status": "ERROR",
                "message": "You do not have manage access to this object."}
    if version != "2.41":
        expected["errorCode"] = "E1006"
    viewer = ("dashboard.viewer", "district")
    for answer in (_get(running, "sharing", auth=viewer, type="userGroup", id="grpShare002"),
                   _post(running, "sharing", {"object": {"publicAccess": "r-------"}}, auth=viewer,
                         type="userGroup", id="grpShare002")):
        assert answer.status_code == 403 and answer.json() == expected, answer.text


def _nulls(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [None for v in value.values() if v is None] + [n for v in value.values() for n in _nulls(v)]
    if isinstance(value, list):
        return [n for v in value for n in _nulls(v)]
    return []


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_sharing_leaves_null_members_out(sandbox_factory, version):
    """`GET /api/sharing` writes its webdomain beans with the NON_NULL jsonMapper
    (JacksonObjectMapperConfig#configureMapper, 2.41.9 :165-166, 2.42.5 / 2.43.1 :173-174): an
    access stored without its access string has no `access` key at all."""
    running = sandbox_factory(version=version)
    _group(running, "grpShare004")
    viewer = seeded_user(running, "dashboard.viewer")["id"]
    posted = _post(running, "sharing", {"object": {"userGroupAccesses": [{"id": "grpShare004"}],
                                                   "userAccesses": [{"id": viewer}]}},
                   type="userGroup", id="grpShare004")
    assert posted.status_code == 200, posted.text
    got = _get(running, "sharing", type="userGroup", id="grpShare004").json()
    assert _nulls(got) == [], got
    entries = got["object"]["userGroupAccesses"] + got["object"]["userAccesses"]
    assert [sorted(entry) for entry in entries] == [["displayName", "id", "name"]] * 2, entries


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_sharing_type_is_a_singular_schema_name(sandbox_factory, version):
    """`AclService#isShareable(String)` / `#classForType` look the type up with
    `SchemaService#getSchemaBySingularName` alone: a plural (`userGroups`) is no type, 409
    "Type userGroups is not supported." on GET and POST alike."""
    running = sandbox_factory(version=version)
    _group(running, "grpShare003")
    for answer in (_get(running, "sharing", type="userGroups", id="grpShare003"),
                   _post(running, "sharing", {"object": {}}, type="userGroups", id="grpShare003")):
        assert answer.status_code == 409, answer.text
        assert answer.json()["message"] == "Type userGroups is not supported."
    assert _get(running, "sharing", type="userGroup", id="grpShare003").status_code == 200


def test_disabled_user_cannot_log_in(fresh_sandbox):
    """UserController#disableUser / #enableUser: 204 (void, no Content-Type); a disabled
    account is refused."""
    running = fresh_sandbox
    leader = _uid_of(running, LEADER_UID_CODE)
    assert _get(running, "me", auth=LEADER).status_code == 200
    disabled = _post(running, f"users/{leader}/disabled")
    assert disabled.status_code == 204 and "Content-Type" not in disabled.headers
    assert _get(running, "me", auth=LEADER).status_code == 401
    assert _get(running, f"users/{leader}", fields="disabled").json() == {"disabled": True}
    assert _post(running, f"users/{leader}/disabled", auth=("province.officer", "district")).status_code == 403
    enabled = _post(running, f"users/{leader}/enabled")
    assert enabled.status_code == 204 and "Content-Type" not in enabled.headers
    assert _get(running, "me", auth=LEADER).status_code == 200


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_disabling_refusals_per_release(sandbox_factory, version):
    """UserController#setDisabled: no update access → 2.41.9 UpdateAccessDeniedException (a
    Spring AccessDeniedException: forbidden(String), no errorCode), 2.42.5/2.43.1
    ForbiddenException (E1006); an unknown uid passes canUpdate(null) and fails on getGroups():
    CrudControllerAdvice#defaultExceptionHandler, 500."""
    running = sandbox_factory(version=version)
    admin = _uid_of(running, "admin")
    refused = _post(running, f"users/{admin}/disabled", auth=("province.officer", "district"))
    expected = {"httpStatus": "Forbidden", "httpStatusCode": 403, "status": "ERROR",
                "message": "You don't have the proper permissions to update this object."}
    if version != "2.41":
        expected["errorCode"] = "E1006"
    assert refused.status_code == 403 and refused.json() == expected
    for action in ("disabled", "enabled"):
        unknown = _post(running, f"users/noSuchUser1/{action}")
        assert unknown.status_code == 500 and unknown.json() == {
            "httpStatus": "Internal Server Error", "httpStatusCode": 500, "status": "ERROR",
            "message": 'Cannot invoke "org.hisp.dhis.user.User.getGroups()" because '
                       '"userToModify" is null'}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_disabling_asks_who_may_manage_the_user(sandbox_factory, version):
    """UserController#checkCurrentUserCanModify after canUpdate (2.41.9 :897-902, 2.42.5
    :891-896, 2.43.1 :829-834): canAddOrUpdateUser of the stored user's groups and
    canModifyUser, else a WebMessageException of conflict(String): 409 without errorCode and
    without the advice's Cache-Control."""
    running = sandbox_factory(version=version)
    setup = _post(running, "metadata", {
        "userRoles": [{"id": "roleUsrMgr1", "name": "Quản lý tài khoản",
                       "authorities": ["F_USER_ADD_WITHIN_MANAGED_GROUP", "F_USER_VIEW"]},
                      {"id": "roleViewer1", "name": "Xem tài khoản", "authorities": ["F_USER_VIEW"]}],
        "userGroups": [{"id": "grpManager1", "name": "Nhóm quản lý", "managedGroups": [{"id": "grpManaged1"}]},
                       {"id": "grpManaged1", "name": "Nhóm được quản lý"}],
        "users": [{"id": "usrManager1", "username": "account.manager", "password": "Synthetic-2025!",
                   "firstName": "Quan", "surname": "Ly", "userRoles": [{"id": "roleUsrMgr1"}]},
                  {"id": "usrTarget01", "username": "account.target", "password": "Synthetic-2025!",
                   "firstName": "Tai", "surname": "Khoan", "userRoles": [{"id": "roleViewer1"}]}]})
    assert setup.status_code == 200, setup.text
    manager = ("account.manager", "Synthetic-2025!")
    joined = requests.put(f"{running.url}/api/userGroups/grpManager1", auth=ADMIN, timeout=10, json={
        "name": "Nhóm quản lý", "managedGroups": [{"id": "grpManaged1"}], "users": [{"id": "usrManager1"}]})
    assert joined.status_code == 200, joined.text
    refused = _post(running, "users/usrTarget01/disabled", auth=manager)
    assert refused.status_code == 409, refused.text
    assert refused.json() == {
        "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
        "message": "You must have permissions to create user, or ability to manage at least one "
                   "user group for the user."}
    assert "Cache-Control" not in refused.headers
    assert refused.headers["Content-Type"] == "application/json;charset=UTF-8"
    managed = requests.put(f"{running.url}/api/userGroups/grpManaged1", auth=ADMIN, timeout=10, json={
        "name": "Nhóm được quản lý", "users": [{"id": "usrTarget01"}]})
    assert managed.status_code == 200, managed.text
    assert _post(running, "users/usrTarget01/disabled", auth=manager).status_code == 204
    assert requests.get(f"{running.url}/api/me", auth=("account.target", "Synthetic-2025!"),
                        timeout=10).status_code == 401


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_weak_password_is_e4005(sandbox_factory, version):
    """DefaultSchemaValidator#isInvalidPassword → DefaultPasswordValidationService (the
    lower-case rule only from 2.42); PasswordMandatoryValidationRule runs first, so a blank
    password is "Username or Password is missing" (2.41.9, 2.42.5, 2.43.1)."""
    running = sandbox_factory(version=version)

    def attempt(password: str) -> dict[str, Any]:
        return _import(running, {"users": [{"id": "WeakPass001", "username": "weak.pass", "password": password,
                                            "firstName": "A", "surname": "B",
                                            "userRoles": [{"id": "Euq3XfEIEbx"}]}]}, importMode="VALIDATE")

    weak = attempt("abc")
    assert weak["httpStatusCode"] == 409 and weak["response"]["status"] == "ERROR"
    [report] = [e for t in weak["response"]["typeReports"] for o in t["objectReports"] for e in o["errorReports"]]
    assert report["errorCode"] == "E4005"
    assert report["message"] == ("Property `password` requires a valid password, "
                                 "`Password must have at least 8, and at most 72 characters`")
    blank = attempt("          ")
    [report] = [e for t in blank["response"]["typeReports"] for o in t["objectReports"] for e in o["errorReports"]]
    assert (report["errorCode"], report["message"]) == (
        "E4005", "Property `password` requires a valid password, `Username or Password is missing`")
    upper_only = attempt("ABCDEFG1!")
    assert (upper_only["status"] == "OK") == (version == "2.41")
    assert attempt("Nhom-Truong-Moi!")["httpStatusCode"] == 409  # no digit
    assert attempt("Dong-Tam-2026!")["status"] == "OK"
    # a bcrypt hash is taken as given, but only `$2$`/`$2a$` and only the whole value
    assert attempt("$2a$10$" + "a" * 53)["status"] == "OK"
    for not_a_hash in ("$2b$10$" + "a" * 53, "$2a$10$" + "a" * 53 + "zzz"):
        [report] = [e for t in attempt(not_a_hash)["response"]["typeReports"] for o in t["objectReports"]
                    for e in o["errorReports"]]
        assert report["errorCode"] == "E4005", not_a_hash


@pytest.mark.parametrize("version", ["2.42"])
def test_password_rules_match_as_java_patterns_match(sandbox_factory, version):
    """The rules' `.*\\d.*`, `.*[A-Z].*`, … with `Matcher#matches`: Java's `.` is no line
    terminator, so a password holding one fails the digit rule first; Java's `\\d` is ASCII, so
    neither an Arabic-Indic digit nor a `BCRYPT_PATTERN` with such digits counts."""
    running = sandbox_factory(version=version)

    def problem(password: str) -> str | None:
        body = _import(running, {"users": [{"id": "WeakPass002", "username": "weak.pass.two",
                                            "password": password, "firstName": "A", "surname": "B",
                                            "userRoles": [{"id": "Euq3XfEIEbx"}]}]},
                       importMode="VALIDATE")
        reports = [e for t in body["response"]["typeReports"] for o in t["objectReports"]
                   for e in o["errorReports"]]
        return reports[0]["message"] if reports else None

    digit = "Property `password` requires a valid password, `Password must have at least one digit`"
    assert problem("Dong-Tam-2026!") is None
    # PasswordLengthValidationRule counts `trim().length()`: String#trim keeps an em space or a
    # no-break space, and a character outside the BMP is two UTF-16 units
    length = ("Property `password` requires a valid password, "
              "`Password must have at least 8, and at most 72 characters`")
    assert problem("\u2003Ab1!xyz") is None
    assert problem("Ab1!xyz\u00a0") is None
    assert problem("Ab1!\U0001F600\U0001F600") is None
    assert problem("\x01Ab1!xy\x1f") == length
    # PasswordMandatoryValidationRule's isBlank is Character#isWhitespace, which U+0085 is not
    # (Python's str.isspace says it is): not missing, one char long after String#trim
    assert problem("\x85") == length
    assert problem(" \x85\t") == length
    # the dictionary rule's containsIgnoreCase maps char by char: a dotted capital I is an i
    assert problem("Dong-ADM\u0130N-2026!") == (
        "Property `password` requires a valid password, `Password must not have any generic word`")
    for refused in ("Dong-Tam-2026!\n", "Dong-Tam\u20282026!", "Dong\rTam-2026!",
                    "Dong-Tam-\u0662\u0660!"):
        assert problem(refused) == digit, repr(refused)
    assert problem("$2a$\u0661\u0660$" + "a" * 53) == digit.replace("one digit", "one upper case")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_me_settings_named_in_fields_per_release(sandbox_factory, version):
    """2.42+ MeController#getCurrentUser: the first `settings[…]` field names the settings
    written (`toJson(true, keys)`, an unknown key ""), in their HashSet's order; `Set.of`
    refuses a repeated key; the map is written whole, never filtered further. 2.41.9 writes
    every setting (a Map always expands)."""
    running = sandbox_factory(version=version)
    # GetObjectParams' FIELD_SPLIT keeps `[…]` together, also for long names (read without
    # the pattern's exponential backtracking)
    long_names = "id,username,authorities,organisationUnits[id],userRoles[id,name]," + ",".join(
        ["displayName"] * 20)
    assert set(_get(running, "me", fields=long_names).json()) == {
        "id", "username", "authorities", "organisationUnits", "userRoles", "displayName"}
    named = _get(running, "me", fields="id,settings[keyUiLocale,keyStyle,keyNope]").json()
    if version == "2.41":
        assert set(named["settings"]) == {"keyStyle", "keyMessageEmailNotification",
                                          "keyMessageSmsNotification", "keyUiLocale",
                                          "keyAnalysisDisplayProperty"}
        assert _get(running, "me", fields="settings[keyStyle,keyStyle]").status_code == 200
        return
    assert list(named["settings"].items()) == [
        ("keyStyle", "light_blue/light_blue.css"), ("keyNope", ""), ("keyUiLocale", "en")]
    assert _get(running, "me", fields="settings[*]").json() == {"settings": {"*": ""}}
    repeated = _get(running, "me", fields="settings[keyStyle,keyStyle]")
    assert repeated.status_code == 400
    assert repeated.json()["message"] == "duplicate element: keyStyle"
    bare = _get(running, "me", fields="settings[")
    assert bare.status_code == 500
    assert bare.json()["message"] == ("begin 9, end 8, length 9" if version == "2.42"
                                      else "Range [9, 8) out of bounds for length 9")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_me_per_release(sandbox_factory, version):
    """MeController / MeDto: keys per release, nested field selection, authorization/{auth},
    the user settings with their fallbacks."""
    running = sandbox_factory(version=version)
    me = _get(running, "me", auth=LEADER).json()
    assert ("userCredentials" in me) == (version == "2.41")
    # MeDto keys that MeController#getCurrentUser never assigns stay null and are left out
    for never_set in ("sharing", "userGroupAccesses", "userAccesses", "externalAccess", "impersonation",
                      "canImpersonate"):
        assert never_set not in me, never_set
    assert ("twoFactorType" in me) == (version != "2.41")
    # 2.41.9 leaves out the null fallbacks of keyDbLocale and keyTrackerDashboardLayout
    assert set(me["settings"]) == {"keyStyle", "keyMessageEmailNotification", "keyMessageSmsNotification",
                                   "keyUiLocale", "keyAnalysisDisplayProperty"} | (
        set() if version == "2.41" else {"keyDbLocale", "keyTrackerDashboardLayout"})
    nested = _get(running, "me", auth=LEADER, fields="organisationUnits[id,code]").json()
    assert nested == {"organisationUnits": [{"id": nested["organisationUnits"][0]["id"], "code": "VN-79-C001"}]}
    assert _get(running, "me/authorization/F_TRACKED_ENTITY_INSTANCE_SEARCH", auth=LEADER).json() is True
    assert _get(running, "me/authorization/F_METADATA_IMPORT", auth=LEADER).json() is False
    assert _get(running, "me/authorization/F_METADATA_IMPORT").json() is True  # ALL


def test_organisation_unit_levels(fresh_sandbox):
    levels = _get(fresh_sandbox, "organisationUnitLevels", fields="level,name", paging="false").json()
    assert [lv["level"] for lv in sorted(levels["organisationUnitLevels"], key=lambda lv: lv["level"])] == [1, 2, 3]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_organisation_unit_levels_write_the_sharing_and_creator_they_do_not_store(sandbox_factory, version):
    """OrganisationUnitLevel.hbm.xml maps no sharing and no createdBy: a level, seeded or
    created, is written with Sharing's initial value and without a creator."""
    running = sandbox_factory(version=version)
    created = _post(running, "organisationUnitLevels", {"name": "Level four", "level": 4})
    assert created.status_code == 201, created.text
    levels = _get(running, "organisationUnitLevels", fields="level,sharing,createdBy",
                  paging="false").json()["organisationUnitLevels"]
    empty = {"external": False, "users": {}, "userGroups": {}} if version == "2.42" else \
        {"users": {}, "userGroups": {}}
    assert sorted(lv["level"] for lv in levels) == [1, 2, 3, 4]
    assert all(lv == {"level": lv["level"], "sharing": empty} for lv in levels), levels


def test_tracker_capture_follows_group_sharing(sandbox_factory):
    """Program data sharing given to a user group reaches the leader once they are a member
    (UserGroup.users); another group's org unit is still outside the capture scope (E1000)."""
    running = sandbox_factory()
    m = install(running)
    leader = _uid_of(running, LEADER_UID_CODE)
    _group(running, "grpLeaders1")
    program = running.store.get_object("programs", m.program)
    program["sharing"] = {**NO_PUBLIC, "userGroups": {"grpLeaders1": {"id": "grpLeaders1", "access": "r-rw----"}}}
    running.store.put_object("programs", program)
    assert check(running, {"trackedEntities": [person(m)]}, auth=LEADER) == ["E1091"]
    assert _post(running, f"userGroups/grpLeaders1/users/{leader}").status_code == 200
    assert check(running, {"trackedEntities": [person(m)]}, auth=LEADER) == []
    outside = post(running, {"trackedEntities": [person(m, org_unit=m.sibling)]}, auth=LEADER)
    assert outside.status_code == 409 and "E1000" in outside.text


def test_owner_fields_with_an_inverse_collection_read_the_owning_side(fresh_sandbox):
    """`fields=:owner,userGroups[id]`: `:owner` leaves the non-owner `userGroups` out, the
    explicit field reads it as Hibernate does, from `UserGroup.users` (and so for lists)."""
    running = fresh_sandbox
    uid = _uid_of(running, LEADER_UID_CODE)
    body = _import(running, {"userGroups": [{"id": "grpOwner001", "name": "Nhóm chủ", "users": [{"id": uid}]}]})
    assert body["status"] == "OK", body
    one = _get(running, f"users/{uid}", fields=":owner,userGroups[id]").json()
    assert one["userGroups"] == [{"id": "grpOwner001"}]
    listed = _get(running, "users", fields=":owner,userGroups[id]", filter=f"id:eq:{uid}").json()["users"]
    assert listed[0]["userGroups"] == [{"id": "grpOwner001"}]


def test_users_endpoint_sets_group_membership(fresh_sandbox):
    """UserController applies a user's `userGroups` itself (the importer skips the inverse
    side): POST adds the user to the listed groups (#createUser → addUserToGroups), PUT sets
    the membership to the list sent, none when the body has no `userGroups` (#updateUser →
    updateUserGroups), a JSON patch `add` on `/userGroups` likewise
    (#updateUserGroups(JsonPatch, User)); 2.41.9, 2.42.5 and 2.43.1 alike. /api/metadata
    still leaves it alone."""
    running = fresh_sandbox
    _group(running, "grpMember01")
    _group(running, "grpMember02")
    account = {"id": "usrMember01", "username": "member.one", "password": "Member-test-2025!",
               "firstName": "Member", "surname": "One", "userRoles": [{"id": "jRWSNIHdKww"}],
               "userGroups": [{"id": "grpMember01"}, {"id": "grpUnknown1"}]}
    # UserController#validateCreateUser: canAddOrRemoveMember is false for an unknown group
    unknown = _post(running, "users", account)
    assert unknown.status_code == 409, unknown.text
    assert unknown.json()["message"] == "You don't have permissions to add user to user group: grpUnknown1"
    account["userGroups"] = [{"id": "grpMember01"}]
    created = _post(running, "users", account)
    assert created.status_code == 201, created.text
    assert _members(running, "grpMember01") == {"usrMember01"}
    assert _get(running, "users/usrMember01", fields="userGroups").json() == {
        "userGroups": [{"id": "grpMember01"}]}

    def put(groups: list[str] | None) -> None:
        body = {k: v for k, v in account.items() if k not in ("password", "userGroups")}
        if groups is not None:
            body["userGroups"] = [{"id": g} for g in groups]
        answer = _send(running, "PUT", "users/usrMember01", body)
        assert answer.status_code == 200, answer.text

    put(["grpMember02"])
    assert (_members(running, "grpMember01"), _members(running, "grpMember02")) == (set(), {"usrMember01"})
    put(None)
    assert _members(running, "grpMember02") == set()

    def patch(**params: str) -> requests.Response:
        return requests.patch(f"{running.url}/api/users/usrMember01", auth=ADMIN, timeout=30,
                              params=params, headers={"Content-Type": "application/json-patch+json"},
                              data='[{"op": "add", "path": "/userGroups", "value": [{"id": "grpMember01"}]}]')

    # the default ERRORS_NOT_OWNER report mode turns the non-owner reference into E5006
    rejected = patch()
    assert rejected.status_code == 409 and rejected.json()["response"]["errorReports"][0]["errorCode"] == "E5006"
    assert _members(running, "grpMember01") == set()
    accepted = patch(importReportMode="FULL")
    assert accepted.status_code == 200, accepted.text
    assert _members(running, "grpMember01") == {"usrMember01"}

    imported = _import(running, {"users": [{**{k: v for k, v in account.items() if k != "password"},
                                            "userGroups": [{"id": "grpMember02"}]}]})
    assert imported["status"] == "OK", imported
    assert (_members(running, "grpMember01"), _members(running, "grpMember02")) == ({"usrMember01"}, set())


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_user_patch_reads_user_groups_as_add_operations(sandbox_factory, version):
    """UserController#updateUserGroups(JsonPatch, User) (2.41.9 :919-943, 2.42.5 :913-936,
    2.43.1 :851-874), run by #postPatchEntity once the import is OK: each `add` or `replace`
    on `/userGroups…` is cast to AddOperation, which ReplaceOperation is not (both extend
    JsonPatchValueOperation): a ClassCastException, 500 through
    CrudControllerAdvice#defaultExceptionHandler, the user already updated and the membership
    as before. An `add` takes `node.get("id").asText()` of each element of its value: an element
    without `id` is a NullPointerException (500), the operations before it applied."""
    running = _member_of_one_group(sandbox_factory(version=version))

    def patch(operations: list[dict[str, Any]]) -> requests.Response:
        return requests.patch(f"{running.url}/api/users/usrMember01", auth=ADMIN, timeout=30,
                              params={"importReportMode": "FULL"}, json=operations,
                              headers={"Content-Type": "application/json-patch+json"})

    replaced = patch([{"op": "replace", "path": "/firstName", "value": "Thành"},
                      {"op": "replace", "path": "/userGroups", "value": [{"id": "grpMember02"}]}])
    assert replaced.status_code == 500, replaced.text
    assert replaced.json()["message"].startswith(
        "class org.hisp.dhis.commons.jackson.jsonpatch.operations.ReplaceOperation cannot be "
        "cast to class org.hisp.dhis.commons.jackson.jsonpatch.operations.AddOperation")
    assert _get(running, "users/usrMember01", fields="firstName").json() == {"firstName": "Thành"}
    assert (_members(running, "grpMember01"), _members(running, "grpMember02")) == (
        {"usrMember01"}, set())
    no_id = patch([{"op": "add", "path": "/userGroups", "value": [{"id": "grpMember02"}]},
                   {"op": "add", "path": "/userGroups/-", "value": {"id": "grpMember01"}}])
    assert no_id.status_code == 500, no_id.text
    assert no_id.json()["message"] == (
        'Cannot invoke "com.fasterxml.jackson.databind.JsonNode.asText()" because the return '
        'value of "com.fasterxml.jackson.databind.JsonNode.get(String)" is null')
    assert (_members(running, "grpMember01"), _members(running, "grpMember02")) == (
        set(), {"usrMember01"})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_user_patch_sees_the_groups_the_user_is_in(sandbox_factory, version):
    """JsonPatchManager#apply patches `valueToTree` of the persisted User, whose `userGroups`
    are the groups it is in (#handleCollectionUpdates): the default ERRORS_NOT_OWNER import
    refuses them (E5006) whatever the patch changes, and `/userGroups/0` exists to add at."""
    running = _member_of_one_group(sandbox_factory(version=version))

    def patch(operations: list[dict[str, Any]], **params: str) -> requests.Response:
        return requests.patch(f"{running.url}/api/users/usrMember01", auth=ADMIN, timeout=30,
                              params=params, json=operations,
                              headers={"Content-Type": "application/json-patch+json"})

    refused = patch([{"op": "replace", "path": "/firstName", "value": "Thành"}])
    assert refused.status_code == 409, refused.text
    reports = refused.json()["response"]["errorReports"]
    assert [r["errorCode"] for r in reports] == ["E5006"], reports
    assert _get(running, "users/usrMember01", fields="firstName").json() == {"firstName": "Member"}
    inserted = patch([{"op": "add", "path": "/userGroups/0", "value": [{"id": "grpMember02"}]}],
                     importReportMode="FULL")
    assert inserted.status_code == 200, inserted.text
    assert (_members(running, "grpMember01"), _members(running, "grpMember02")) == (
        set(), {"usrMember01"})


@pytest.mark.parametrize("version", ["2.43"])
def test_a_group_without_id_in_a_user_put_is_the_uid_of_null(sandbox_factory, version):
    """2.43.1 UserController#updateUserGroups: `UserGroup::getUID` of a group without id is
    `UID.of(null)`, whose IllegalArgumentException names Java's "null"."""
    running = sandbox_factory(version=version)
    account = {"id": "usrMember01", "username": "member.one", "password": "Member-test-2025!",
               "firstName": "Member", "surname": "One", "userRoles": [{"id": "jRWSNIHdKww"}]}
    assert _post(running, "users", account).status_code == 201
    body = {k: v for k, v in account.items() if k != "password"}
    put = _send(running, "PUT", "users/usrMember01", {**body, "userGroups": [{"name": "x"}]})
    assert put.status_code == 400, put.text
    assert put.json()["message"] == (
        "UID must be an alphanumeric string of 11 characters starting with a letter, but was: null")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_user_group_ids_are_uids_on_2_43(sandbox_factory, version):
    """2.43.1 UserController#updateUserGroups hands UserGroupService `UID`s (PUT
    `UserGroup::getUID` :646-655, PATCH `UID.of(…)` :851-874): an id that is no UID is an
    IllegalArgumentException, 400 without errorCode (CrudControllerAdvice
    #illegalArgumentExceptionHandler), after the import updated the user; 2.41.9/2.42.5 pass
    Strings and skip the unknown group (`user_group_ids_as_uids`)."""
    running = sandbox_factory(version=version)
    _group(running, "grpMember01")
    account = {"id": "usrMember01", "username": "member.one", "password": "Member-test-2025!",
               "firstName": "Member", "surname": "One", "userRoles": [{"id": "jRWSNIHdKww"}],
               "userGroups": [{"id": "grpMember01"}]}
    assert _post(running, "users", account).status_code == 201
    body = {k: v for k, v in account.items() if k != "password"}
    put = _send(running, "PUT", "users/usrMember01",
                {**body, "firstName": "Thành", "userGroups": [{"id": "grpMember01"}, {"id": "bad"}]})
    patch = requests.patch(f"{running.url}/api/users/usrMember01", auth=ADMIN, timeout=30,
                           params={"importReportMode": "FULL"},
                           json=[{"op": "add", "path": "/userGroups", "value": [{"id": "x1"}]}],
                           headers={"Content-Type": "application/json-patch+json"})
    assert _get(running, "users/usrMember01", fields="firstName").json() == {"firstName": "Thành"}
    if version != "2.43":
        assert (put.status_code, patch.status_code) == (200, 200), (put.text, patch.text)
        assert _members(running, "grpMember01") == set()  # the patch's unknown group only
        return
    for answer, given in ((put, "bad"), (patch, "x1")):
        assert answer.status_code == 400, answer.text
        assert answer.json()["message"] == (
            "UID must be an alphanumeric string of 11 characters starting with a letter, but "
            f"was: {given}")
        assert "errorCode" not in answer.json()
    assert _members(running, "grpMember01") == {"usrMember01"}


def test_sharing_body_is_read_with_jackson(sandbox_factory):
    # SharingController#postSharing: renderService.fromJson(request.getInputStream(),
    # Sharing.class) after the type, object and manage checks (2.41.9 :243, 2.42.5 :255,
    # 2.43.1 :247): a JsonParseException 409 at every tag; an empty body or an array is a
    # JsonMappingException, 409 at 2.43.1 (CrudControllerAdvice#jsonParseExceptionHandler),
    # 500 before (#defaultExceptionHandler).
    source = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
    for version, mapping in (("2.41", 500), ("2.42", 500), ("2.43", 409)):
        running = sandbox_factory(version=version)
        _group(running, "grpShare001")

        def send(body: bytes, running: RunningSandbox = running) -> requests.Response:
            return requests.post(f"{running.url}/api/sharing", data=body, timeout=30, auth=ADMIN,
                                 params={"type": "userGroup", "id": "grpShare001"},
                                 headers={"Content-Type": "application/json"})

        broken = send(b'{"object": {"publicAccess": rw}}')
        assert broken.status_code == 409, (version, broken.text)
        assert broken.json() == {
            "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
            "message": "Unrecognized token 'rw': was expecting (JSON String, Number, Array, "
                       "Object or token 'null', 'true' or 'false')\n at " + source
                       + "line: 1, column: 29]"}
        empty = send(b"")
        assert empty.status_code == mapping, (version, empty.text)
        assert empty.json()["message"] == ("No content to map due to end-of-input\n at "
                                           + source + "line: 1]")
        array = send(b"[]")
        assert array.status_code == mapping and array.json()["message"].startswith(
            "Cannot deserialize value of type `org.hisp.dhis.webapi.webdomain.sharing.Sharing` "
            "from Array value (token `JsonToken.START_ARRAY`)")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_patch_asks_for_update_access_before_or_after_the_body(sandbox_factory, version):
    """AbstractCrudController#patchObject: AclService#canUpdate right after the lookup (403
    E1006, 2.41.9 :186, 2.42.5 :187, 2.43.1 #updatePermissionCheck :178); 2.41.9/2.42.5 read
    the body only then, 2.43.1 binds `@RequestBody JsonPatch` first (an unreadable one is 400
    before the 403)."""
    running = sandbox_factory(version=version)
    leader = _uid_of(running, LEADER_UID_CODE)
    _group(running, "grpRead0001", [leader])
    _private_program(running, "prgRead0001", {"grpRead0001": "r-------"})

    def patch(body: bytes) -> requests.Response:
        return requests.patch(f"{running.url}/api/programs/prgRead0001", data=body, auth=LEADER,
                              timeout=30, headers={"Content-Type": "application/json-patch+json"})

    forbidden = {"httpStatus": "Forbidden", "httpStatusCode": 403, "status": "ERROR",
                 "message": "You don't have the proper permissions to update this object.",
                 "errorCode": "E1006"}
    readable = patch(b'[{"op": "replace", "path": "/name", "value": "Renamed"}]')
    assert readable.status_code == 403 and readable.json() == forbidden, readable.text
    unreadable = patch(b"[{")
    if version == "2.43":
        assert unreadable.status_code == 400, unreadable.text
        assert unreadable.json()["message"].startswith("JSON parse error: Unexpected")
    else:
        assert unreadable.status_code == 403 and unreadable.json() == forbidden, unreadable.text


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_owner_preset_leaves_out_a_users_groups(sandbox_factory, version):
    """FieldPathHelper#applyPresets: `:owner` selects `Property::isOwner` only, so a user's
    `userGroups` (User.hbm.xml `groups`, inverse) is not written; `:persisted` and a named
    `userGroups` read it from UserGroup.users, in the object and the metadata export."""
    running = sandbox_factory(version=version)
    officer = seeded_user(running, "province.officer")["id"]
    _group(running, "grpOwner001", [officer])
    owner = _get(running, f"users/{officer}", fields=":owner").json()
    assert "userGroups" not in owner and owner["id"] == officer
    persisted = _get(running, f"users/{officer}", fields=":persisted").json()
    assert persisted["userGroups"] == [{"id": "grpOwner001"}]
    listed = _get(running, "users", fields=":owner", filter=f"id:eq:{officer}").json()
    assert "userGroups" not in listed["users"][0]
    exported = _get(running, "metadata", users="true", fields=":owner").json()["users"]
    assert all("userGroups" not in u for u in exported)
    named = _get(running, "metadata", users="true", fields=":owner,userGroups[id]").json()
    assert next(u for u in named["users"] if u["id"] == officer)["userGroups"] == [
        {"id": "grpOwner001"}]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_sharing_binds_type_and_id_and_consumes_json(sandbox_factory, version):
    """SharingController: `@RequestParam String type, @RequestParam String id` are required
    (400 before the method runs, `type` first); POST/PUT map `consumes = APPLICATION_JSON_VALUE`,
    so another media type is 415 before either is read."""
    running = sandbox_factory(version=version)
    _group(running, "grpShare002")
    for params, missing in (({"id": "grpShare002"}, "type"), ({"type": "userGroup"}, "id"),
                            ({}, "type")):
        # a ServletException CrudControllerAdvice rethrows: the container's 400 page
        got = _get(running, "sharing", **params)
        assert bad_request_page(got) == missing_parameter(version, missing, "String")
        posted = _post(running, "sharing", {"object": {}}, **params)
        assert bad_request_page(posted) == missing_parameter(version, missing, "String")
    plain = requests.put(f"{running.url}/api/sharing", data=b"{}", auth=ADMIN, timeout=30,
                         headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415, plain.text


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_sharing_post_of_nulls_is_a_null_pointer(sandbox_factory, version):
    """SharingController#postSharing reads the body with Jackson, which leaves a JSON null in
    `Sharing.object` and the two access lists: each is dereferenced, a 500 NullPointerException;
    an absent field keeps its initialiser (200)."""
    running = sandbox_factory(version=version)
    _group(running, "grpShare003")
    sharing = "org.hisp.dhis.webapi.webdomain.sharing"

    def post(body: bytes) -> requests.Response:
        return requests.post(f"{running.url}/api/sharing", data=body, auth=ADMIN, timeout=30,
                             params={"type": "userGroup", "id": "grpShare003"},
                             headers={"Content-Type": "application/json"})

    for body, message in (
            (b"null", f'Cannot invoke "{sharing}.Sharing.getObject()" because "sharing" is null'),
            (b'{"object": null}', f'Cannot invoke "{sharing}.SharingObject.getPublicAccess()" because '
                                  f'the return value of "{sharing}.Sharing.getObject()" is null'),
            (b'{"object": {"userGroupAccesses": null}}',
             'Cannot invoke "java.util.List.iterator()" because the return value of '
             f'"{sharing}.SharingObject.getUserGroupAccesses()" is null'),
            (b'{"object": {"userAccesses": [null]}}',
             f'Cannot invoke "{sharing}.SharingUserAccess.getAccess()" because "sharingUserAccess" is null')):
        refused = post(body)
        assert refused.status_code == 500, (body, refused.text)
        assert refused.json()["message"] == message
    assert post(b"{}").status_code == 200
