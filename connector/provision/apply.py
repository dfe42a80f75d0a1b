"""Writing a provisioning plan to DHIS2, the way DHIS2 expects it, and mapping refusals to rows.

1. One metadata import (`POST /api/metadata`, `importMode=VALIDATE` first, then `COMMIT`,
   `atomicMode=ALL`, identifier UID, CREATE_AND_UPDATE): the groups' org units, the programs
   whose org unit assignments grow, the users (leaders), the groups' user groups and the
   package's data capture group with their members. Users travel in the import because that is
   what `/api/users` itself does (dhis2-core 2.42.5 `webapi/controller/user/UserController.java`
   `createUser`/`updateUser` call `importService.importMetadata` with the one user); membership
   is written on `UserGroup.users`, the owning side (UserController only adds it afterwards
   through `UserGroupService`), and password rules are checked by the import's schema validator
   (`DefaultSchemaValidator#isInvalidPassword`, E4005). An object that DHIS2 refuses in the
   VALIDATE pass takes its registry row out (a finding at the row and column) and the rest is
   validated again, so one bad row never blocks the others and nothing is written for it.
   Objects that exist are sent as the server's `:owner` export with our fields laid over it,
   because an import replaces the whole object.
2. The Peer group records: `POST /api/tracker?async=false` (VALIDATE, then COMMIT) with
   client-side UIDs, so a retried request cannot create a second record.
3. Sharing that drifted on an existing group user group: `POST /api/sharing?type=userGroup&id=…`
   (`webapi/controller/SharingController.java#postSharing`, body `{"object": {"publicAccess",
   "externalAccess", "userGroupAccesses", "userAccesses"}}`).
4. A leader whose group closes in this run: `POST /api/users/{uid}/disabled` right after the metadata
   commit (also when the account was already disabled by other means), which ends the
   account's open sessions (`UserController#disableUser` → `setDisabled` →
   `UserService#invalidateUserSessions`); the import alone only sets the flag.

Every request goes through a counter; an unchanged registry makes no write request.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, Field, SecretStr

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import Conflict, NotFound, ServerError, ValidationFailed
from scdi.connector.paging import DEFAULT_PAGE_SIZE
from scdi.connector.provision import findings as fnd
from scdi.connector.provision.findings import Finding
from scdi.connector.provision.passwords import generate_password
from scdi.connector.provision.plan import PERSONAL, Action, GroupPlan, ProvisionPlan, Target
from scdi.connector.provision.server import ServerState

METADATA_PARAMS = {"atomicMode": "ALL", "identifier": "UID", "importStrategy": "CREATE_AND_UPDATE",
                   "importReportMode": "ERRORS", "skipSharing": "false"}
TRACKER_PARAMS = {"async": "false", "atomicMode": "ALL", "importStrategy": "CREATE_AND_UPDATE",
                  "reportMode": "ERRORS"}
_COLUMNS = {
    "OrganisationUnit": {"name": "group_name", "shortName": "group_name", "code": "group_code",
                         "openingDate": "founded_on", "closedDate": "active", "parent": "commune"},
    "User": {"username": "leader_username", "email": "leader_email", "phoneNumber": "leader_phone",
             "password": "leader_username", "organisationUnits": "commune", "teiSearchOrganisationUnits": "commune",
             "dataViewOrganisationUnits": "commune"},
    "UserGroup": {"name": "group_name", "code": "group_code", "users": "leader_username"},
}
_ATTEMPTS = 3


class Credential(BaseModel):
    username: str
    password: SecretStr


class ProvisionReport(BaseModel):
    plan: ProvisionPlan
    dry_run: bool
    requests: int = 0
    writes: int = 0
    imported: dict[str, dict[str, int]] = Field(default_factory=dict)  # "metadata" | "tracker" → stats
    findings: list[Finding] = Field(default_factory=list)  # the server's refusals, at their rows
    notes: list[str] = Field(default_factory=list)
    credentials: list[Credential] = Field(default_factory=list, exclude=True)

    @property
    def ok(self) -> bool:
        return not any(g.action is Action.INVALID for g in self.plan.groups) and not fnd.has_errors(
            [*self.findings, *self.plan.findings])


class Counter:
    """Counts the requests and the write requests made for one run."""

    def __init__(self, client: Dhis2Client) -> None:
        self.client = client
        self.requests = 0
        self.writes = 0

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        self.requests += 1
        return self.client.get(path, params=params)

    def items(self, path: str, key: str | None = None, params: Mapping[str, Any] | None = None, *,
              page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[dict[str, Any]]:
        for page in self.client.pages(path, key, params, page_size=page_size):
            self.requests += 1
            yield from page.items

    def post(self, path: str, json: Any = None, params: Mapping[str, Any] | None = None, *, write: bool) -> Any:
        self.requests += 1
        self.writes += int(write)
        return self.client.post(path, json=json, params=params, idempotent=True)


def apply_plan(client: Dhis2Client, plan: ProvisionPlan, state: ServerState, *, dry_run: bool = False,
               counter: Counter | None = None) -> ProvisionReport:
    counter = counter or Counter(client)
    report = ProvisionReport(plan=plan, dry_run=dry_run)
    if not plan.has_writes:
        report.notes.append("nothing to change")
        return _finish(report, counter)
    passwords: dict[str, SecretStr] = {}
    owners: dict[tuple[str, str], dict[str, Any]] = {}
    metadata = _validated(counter, report, lambda: _metadata_payload(counter, plan, state, passwords, owners),
                          "metadata", METADATA_PARAMS, _metadata_findings)
    if dry_run:
        report.notes.append("dry run: nothing was written" + (
            "; the Peer group records are checked once their org units exist" if metadata else ""))
        return _finish(report, counter)
    if metadata:
        answer = counter.post("metadata", json=metadata, params={**METADATA_PARAMS, "importMode": "COMMIT"},
                              write=True)
        report.imported["metadata"] = _stats(answer)
        _end_sessions(counter, plan, report)  # with the commit that disabled them, before anything else can fail
    report.credentials = [Credential(username=_username(plan, uid), password=pw) for uid, pw in passwords.items()
                          if _still_wanted(plan, uid)]
    tracker = _validated(counter, report, lambda: _tracker_payload(plan, state), "tracker", TRACKER_PARAMS,
                         _tracker_findings)
    if tracker:
        answer = counter.post("tracker", json=tracker, params={**TRACKER_PARAMS, "importMode": "COMMIT"}, write=True)
        report.imported["tracker"] = _stats(answer)
    _repair_sharing(counter, plan, state, report)
    return _finish(report, counter)


def _finish(report: ProvisionReport, counter: Counter) -> ProvisionReport:
    report.requests, report.writes = counter.requests, counter.writes
    return report


def _targets(plan: ProvisionPlan) -> list[tuple[GroupPlan, Target]]:
    return [(g, g.target) for g in plan.groups if g.writes and isinstance(g.target, Target)]


def _username(plan: ProvisionPlan, uid: str) -> str:
    for _, target in _targets(plan):
        if target.leader and target.leader["id"] == uid:
            return str(target.leader["username"])
    return uid


def _still_wanted(plan: ProvisionPlan, uid: str) -> bool:
    return any(t.leader and t.leader["id"] == uid for _, t in _targets(plan))


def _validated(counter: Counter, report: ProvisionReport, build: Callable[[], dict[str, Any]], what: str,
               params: dict[str, str], to_findings: Callable[[Any, ProvisionPlan], list[Finding]]) -> dict[str, Any]:
    """VALIDATE `build()`; rows the server refuses are taken out and the rest validated again."""
    for _ in range(_ATTEMPTS):
        payload = build()
        if not payload:
            return {}
        try:
            counter.post(what, json=payload, params={**params, "importMode": "VALIDATE"}, write=False)
            return payload
        except Conflict as exc:
            body = exc.report if what == "metadata" else exc.body
            found = to_findings(body, report.plan)
            rows = {f.row for f in found if f.row is not None}
            report.findings.extend(found)
            if not rows:
                raise ValidationFailed(f"DHIS2 refused the {what} import: {len(found)} error(s); nothing was written",
                                       findings=found) from exc
            for group in report.plan.groups:
                if group.row in rows:
                    group.action = Action.INVALID
                    group.findings.extend(f for f in found if f.row == group.row)
    raise ValidationFailed(f"DHIS2 kept refusing the {what} import; nothing was written", findings=report.findings)


# --- metadata -----------------------------------------------------------------------------


def _refs(uids: list[str]) -> list[dict[str, str]]:
    return [{"id": uid} for uid in uids]


def _owners(counter: Counter, plural: str, uids: list[str], cache: dict[tuple[str, str], dict[str, Any]]
            ) -> dict[str, dict[str, Any]]:
    wanted = [u for u in uids if (plural, u) not in cache]
    for start in range(0, len(wanted), 50):
        chunk = wanted[start:start + 50]
        body = counter.get(plural, params={"filter": f"id:in:[{','.join(chunk)}]", "fields": ":owner",
                                           "paging": "false"})
        for obj in (body or {}).get(plural, []):
            cache[(plural, obj["id"])] = obj
    return {u: copy.deepcopy(cache[(plural, u)]) for u in uids if (plural, u) in cache}


def _metadata_payload(counter: Counter, plan: ProvisionPlan, state: ServerState, passwords: dict[str, SecretStr],
                      owners: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    targets = [t for _, t in _targets(plan)]
    payload: dict[str, list[dict[str, Any]]] = {}
    units = [t for t in targets if t.org_unit_changed]
    existing = _owners(counter, "organisationUnits", [t.org_unit["id"] for t in units if t.org_unit_exists], owners)
    for target in units:
        obj = existing.get(target.org_unit["id"], {})
        obj.pop("closedDate", None)
        obj.update(target.org_unit)
        payload.setdefault("organisationUnits", []).append(obj)
    additions: dict[str, list[str]] = {}
    for target in targets:
        for program in target.programs_add:
            additions.setdefault(program, []).append(target.org_unit["id"])
    programs = _owners(counter, "programs", sorted(additions), owners)
    for uid, added in sorted(additions.items()):
        program_obj = programs[uid]
        have = [r["id"] for r in program_obj.get("organisationUnits") or []]
        program_obj["organisationUnits"] = _refs(have + [u for u in added if u not in have])
        payload.setdefault("programs", []).append(program_obj)
    leaders = [t for t in targets if t.leader and t.leader_changed]
    users = _owners(counter, "users", [t.leader["id"] for t in leaders if t.leader and t.leader_exists], owners)
    for target in leaders:
        assert target.leader is not None
        fields = target.leader
        obj = users.get(fields["id"], {})
        obj.update({k: v for k, v in fields.items() if v is not None or k not in ("email", "phoneNumber")})
        for key in ("userRoles", "organisationUnits", "teiSearchOrganisationUnits", "dataViewOrganisationUnits"):
            obj[key] = _refs(fields[key])
        if not target.leader_exists:
            if fields["id"] not in passwords:
                passwords[fields["id"]] = generate_password(username=fields["username"], email=fields.get("email"),
                                                            policy=state.policy)
            obj["password"] = passwords[fields["id"]].get_secret_value()
        payload.setdefault("users", []).append(obj)
    groups = [t for t in targets if t.user_group_changed]
    found = _owners(counter, "userGroups", [t.user_group["id"] for t in groups if t.user_group_exists], owners)
    for target in groups:
        obj = found.get(target.user_group["id"], {})
        obj.update(copy.deepcopy(target.user_group))
        payload.setdefault("userGroups", []).append(obj)
    wanted_members = [t.leader["id"] for t in targets if t.leader and t.leader["id"] in plan.data_capture_add]
    if wanted_members:
        group = _owners(counter, "userGroups", [state.data_capture.uid], owners)[state.data_capture.uid]
        have = [r["id"] for r in group.get("users") or []]
        group["users"] = _refs(have + [u for u in wanted_members if u not in have])
        payload.setdefault("userGroups", []).append(group)
    return payload


def _stats(answer: Any) -> dict[str, int]:
    body = answer.get("response", answer) if isinstance(answer, dict) else {}
    stats = body.get("stats") if isinstance(body, dict) else None
    return {k: int(v) for k, v in (stats or {}).items() if isinstance(v, int)}


def _index(plan: ProvisionPlan) -> dict[str, tuple[GroupPlan, str]]:
    index: dict[str, tuple[GroupPlan, str]] = {}
    for group, target in _targets(plan):
        index[target.org_unit["id"]] = (group, "OrganisationUnit")
        index[target.user_group["id"]] = (group, "UserGroup")
        if target.leader:
            index[target.leader["id"]] = (group, "User")
        index[target.record["trackedEntity"]] = (group, "TRACKED_ENTITY")
        index[target.record["enrollment"]] = (group, "ENROLLMENT")
    return index


def _metadata_findings(report: Any, plan: ProvisionPlan) -> list[Finding]:
    index = _index(plan)
    out: list[Finding] = []
    for type_report in (report or {}).get("typeReports", []) if isinstance(report, dict) else []:
        for object_report in type_report.get("objectReports", []):
            for error in object_report.get("errorReports", []):
                uid = object_report.get("uid") or error.get("mainId")
                group, klass = index.get(uid, (None, str(type_report.get("klass", "")).rsplit(".", 1)[-1]))
                column = _COLUMNS.get(klass, {}).get(str(error.get("errorProperty") or ""))
                out.append(_server_finding(plan, group, column, error, klass))
    return out


def _server_finding(plan: ProvisionPlan, group: GroupPlan | None, column: str | None, error: dict[str, Any],
                    what: str) -> Finding:
    code = str(error.get("errorCode") or "E????")
    if column in PERSONAL:
        message = f"DHIS2 refused the leader's {column.removeprefix('leader_')} ({code})"
    else:
        message = f"DHIS2 refused the {what}: {error.get('message') or code}"
    return fnd.error(f"import.{code}", message, file=plan.registry, sheet=plan.sheet,
                     row=group.row if group else None, column=column)


# --- tracker ------------------------------------------------------------------------------


def _tracker_payload(plan: ProvisionPlan, state: ServerState) -> dict[str, Any]:
    entities = []
    for _, target in _targets(plan):
        if not target.record_changed:
            continue
        record = target.record
        values = record["attributes"]
        entity = {"trackedEntity": record["trackedEntity"], "trackedEntityType": state.peer_group_type,
                  "orgUnit": record["orgUnit"],
                  "attributes": [{"attribute": a, "value": v} for a, v in values.items() if a in state.type_attributes],
                  "enrollments": [{
                      "enrollment": record["enrollment"], "trackedEntity": record["trackedEntity"],
                      "program": state.programs["group"], "orgUnit": record["enrollmentOrgUnit"],
                      "enrolledAt": record["enrolledAt"], "occurredAt": record["occurredAt"],
                      "status": record["status"],
                      "attributes": [{"attribute": a, "value": v} for a, v in values.items()
                                     if a not in state.type_attributes]}]}
        entities.append(entity)
    return {"trackedEntities": entities} if entities else {}


def _tracker_findings(report: Any, plan: ProvisionPlan) -> list[Finding]:
    index = _index(plan)
    errors = ((report or {}).get("validationReport") or {}).get("errorReports", []) if isinstance(report, dict) else []
    out = []
    for error in errors:
        group, _ = index.get(str(error.get("uid")), (None, ""))
        code = str(error.get("errorCode") or "")
        column = {"E1064": "group_code", "E1041": "commune", "E1125": "kind", "E1007": None}.get(code)
        out.append(_server_finding(plan, group, column, error, "Peer group record"))
    return out


# --- sharing and sessions -----------------------------------------------------------------


def sharing_body(uid: str, sharing: dict[str, Any]) -> dict[str, Any]:
    """`SharingController#postSharing`'s body for a sharing block of the metadata format."""
    return {"object": {
        "id": uid, "publicAccess": sharing.get("public", "--------"), "externalAccess": bool(sharing.get("external")),
        "userGroupAccesses": [{"id": k, "access": v["access"]} for k, v in sorted((sharing.get("userGroups") or {})
                                                                                  .items())],
        "userAccesses": [{"id": k, "access": v["access"]} for k, v in sorted((sharing.get("users") or {}).items())]}}


def _repair_sharing(counter: Counter, plan: ProvisionPlan, state: ServerState, report: ProvisionReport) -> None:
    for group, target in _targets(plan):
        if not target.sharing_changed or target.user_group_changed or not target.user_group_exists:
            continue
        uid = target.user_group["id"]
        try:
            counter.post("sharing", json=sharing_body(uid, target.user_group["sharing"]),
                         params={"type": "userGroup", "id": uid}, write=True)
        except NotFound:
            report.findings.append(fnd.warning(
                "server.sharing-endpoint", "the server has no /api/sharing: the group's user group keeps its "
                "sharing; set it by hand (public none, SCDI - Admin can edit, the group can view)",
                file=plan.registry, sheet=plan.sheet, row=group.row))


def _end_sessions(counter: Counter, plan: ProvisionPlan, report: ProvisionReport) -> None:
    missing = 0
    for _, target in _targets(plan):
        if not target.leader or not target.leader_disabled_now:
            continue
        try:
            counter.post(f"users/{target.leader['id']}/disabled", write=True)
        except (NotFound, ServerError) as exc:
            if getattr(exc, "status", None) not in (404, 405):
                raise
            missing += 1
    if missing:
        report.notes.append(f"{missing} leader account(s) disabled through the import; the server has no "
                            "POST /api/users/{uid}/disabled, so their open sessions end when they expire")
