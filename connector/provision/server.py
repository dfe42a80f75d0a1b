"""What the server already has for provisioning, read once before a plan (GET requests only).

- the org unit tree and its level roles (`tree.read_tree`);
- the package's programs (`SCDI_MEMBER`, `SCDI_GROUP`, `SCDI_OUTREACH`) with their org units,
  the Peer group tracked entity type and its attributes, the leader role and the package's
  user groups (`SCDI_DATA_CAPTURE` holds every leader, `SCDI_ADMIN` manages them);
- the groups' own user groups (code `SCDI_GRP_<group code>`), the registry's leaders
  (`GET /api/users?filter=username:in:[…]`, dhis2-core `webapi/controller/user/UserController.java`);
- the Peer group records (`GET /api/tracker/trackedEntities?program=<SCDI_GROUP>`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ValidationFailed
from scdi.connector.provision.passwords import PasswordPolicy, password_policy
from scdi.connector.provision.tree import Getter, Tree, read_tree
from scdi.upstream.releases import Release

PROGRAMS = {"member": "SCDI_MEMBER", "group": "SCDI_GROUP", "outreach": "SCDI_OUTREACH"}
PEER_GROUP_TYPE = "SCDI_PEER_GROUP"
MEETING_STAGE = "SCDI_GROUP_MEETING"
ATTRIBUTES = {"group_code": "SCDI_GROUP_CODE", "group_name": "SCDI_GROUP_NAME", "kind": "SCDI_GROUP_KIND",
              "sponsor": "SCDI_GROUP_SPONSOR", "founded_on": "SCDI_GROUP_FOUNDED"}
LEADER_ROLE = "SCDI_ROLE_DATA_CAPTURE"
DATA_CAPTURE_GROUP = "SCDI_DATA_CAPTURE"
ADMIN_GROUP = "SCDI_ADMIN"
GROUP_USER_GROUP_PREFIX = "SCDI_GRP_"
USER_FIELDS = ("id,username,firstName,surname,email,phoneNumber,disabled,userRoles[id],organisationUnits[id],"
               "teiSearchOrganisationUnits[id],dataViewOrganisationUnits[id]")
RECORD_FIELDS = ("trackedEntity,orgUnit,attributes[attribute,value],"
                 "enrollments[enrollment,program,orgUnit,status,enrolledAt,occurredAt,attributes[attribute,value]]")
_CHUNK = 40


class UserState(BaseModel):
    uid: str
    username: str
    first_name: str | None = None
    surname: str | None = None
    email: str | None = Field(default=None, repr=False)
    phone: str | None = Field(default=None, repr=False)
    disabled: bool = False
    roles: list[str] = Field(default_factory=list)
    capture: list[str] = Field(default_factory=list)
    search: list[str] = Field(default_factory=list)
    view: list[str] = Field(default_factory=list)


class UserGroupState(BaseModel):
    uid: str
    code: str | None = None
    name: str
    users: list[str] = Field(default_factory=list)
    sharing: dict[str, Any] = Field(default_factory=dict)


class RecordState(BaseModel):
    tracked_entity: str
    org_unit: str
    attributes: dict[str, str] = Field(default_factory=dict)  # attribute uid → value (TE and enrollment)
    enrollment: str | None = None
    enrollment_org_unit: str | None = None
    enrolled_at: str | None = None
    occurred_at: str | None = None
    status: str | None = None


@dataclass
class ServerState:
    base_url: str
    version: str
    release: Release
    username: str
    authorities: list[str]
    tree: Tree
    programs: dict[str, str]  # "member" | "group" | "outreach" → uid
    program_org_units: dict[str, set[str]]  # program uid → org unit uids
    peer_group_type: str
    attributes: dict[str, str]  # registry column → attribute uid
    type_attributes: set[str]  # attribute uids of the Peer group tracked entity type
    leader_role: str
    data_capture: UserGroupState
    admin_group: str
    group_user_groups: dict[str, UserGroupState]  # code → state
    users: dict[str, UserState]  # username (casefolded) → state
    records: dict[str, RecordState]  # group code → record
    option_codes: dict[str, set[str]]  # "kind" | "sponsor" → option codes on the server
    policy: PasswordPolicy


def _ids(refs: Any) -> list[str]:
    return [r["id"] for r in refs or [] if isinstance(r, dict) and r.get("id")]


def _by_code(client: Getter, plural: str, codes: Iterable[str], fields: str) -> dict[str, dict[str, Any]]:
    wanted = sorted(set(codes))
    body = client.get(plural, params={"filter": f"code:in:[{','.join(wanted)}]", "fields": fields,
                                      "paging": "false"})
    return {o["code"]: o for o in (body or {}).get(plural, []) if o.get("code")}


def read_state(client: Dhis2Client, usernames: Iterable[str], reader: Getter | None = None) -> ServerState:
    """Everything a plan compares against; raises ValidationFailed when the package is missing.

    `reader` (default: the client) makes the GET requests, so that a counter can count them."""
    release = client.release
    me = client.me()
    get = reader or client
    tree = read_tree(get)
    programs = _by_code(get, "programs", PROGRAMS.values(), "id,code,organisationUnits[id]")
    types = _by_code(get, "trackedEntityTypes", [PEER_GROUP_TYPE], "id,code,trackedEntityTypeAttributes["
                     "trackedEntityAttribute[id]]")
    attributes = _by_code(get, "trackedEntityAttributes", ATTRIBUTES.values(), "id,code")
    roles = _by_code(get, "userRoles", [LEADER_ROLE], "id,code")
    groups = list(get.items("userGroups", params={"filter": "code:like:SCDI_",
                                                   "fields": "id,code,name,users[id],sharing"}))
    option_sets = _by_code(get, "optionSets", ["SCDI_GROUP_KIND", "SCDI_SPONSOR"], "id,code,options[code]")
    missing = [code for code in PROGRAMS.values() if code not in programs]
    missing += [PEER_GROUP_TYPE] if PEER_GROUP_TYPE not in types else []
    missing += [code for code in ATTRIBUTES.values() if code not in attributes]
    missing += [LEADER_ROLE] if LEADER_ROLE not in roles else []
    by_code = {g.get("code"): g for g in groups}
    missing += [code for code in (DATA_CAPTURE_GROUP, ADMIN_GROUP) if code not in by_code]
    if missing:
        raise ValidationFailed(f"the metadata package is not on {client.base_url}: {', '.join(missing)} missing",
                               hint="Run `scdi metadata deploy` first.")
    group_states = {g["code"]: UserGroupState(uid=g["id"], code=g["code"], name=g.get("name", ""),
                                              users=_ids(g.get("users")), sharing=g.get("sharing") or {})
                    for g in groups if g.get("code")}
    program_uid = {key: programs[code]["id"] for key, code in PROGRAMS.items()}
    peer_type = types[PEER_GROUP_TYPE]
    state = ServerState(
        base_url=client.base_url, version=client.server_version, release=release,
        username=str(me.get("username", "")), authorities=list(me.get("authorities") or []), tree=tree,
        programs=program_uid,
        program_org_units={p["id"]: set(_ids(p.get("organisationUnits"))) for p in programs.values()},
        peer_group_type=peer_type["id"],
        attributes={key: attributes[code]["id"] for key, code in ATTRIBUTES.items()},
        type_attributes={a["trackedEntityAttribute"]["id"] for a in peer_type.get("trackedEntityTypeAttributes") or []
                         if isinstance(a.get("trackedEntityAttribute"), dict)},
        leader_role=roles[LEADER_ROLE]["id"], data_capture=group_states[DATA_CAPTURE_GROUP],
        admin_group=group_states[ADMIN_GROUP].uid,
        group_user_groups={c: g for c, g in group_states.items() if c.startswith(GROUP_USER_GROUP_PREFIX)},
        users=read_users(get, usernames), records={}, policy=password_policy(get),
        option_codes={"kind": {o["code"] for o in option_sets.get("SCDI_GROUP_KIND", {}).get("options", [])},
                      "sponsor": {o["code"] for o in option_sets.get("SCDI_SPONSOR", {}).get("options", [])}},
    )
    state.records = read_records(get, state)
    return state


def read_users(client: Getter, usernames: Iterable[str]) -> dict[str, UserState]:
    names = sorted({u for u in usernames if u})
    found: dict[str, UserState] = {}
    for start in range(0, len(names), _CHUNK):
        chunk = names[start:start + _CHUNK]
        body = client.get("users", params={"filter": f"username:in:[{','.join(chunk)}]", "fields": USER_FIELDS,
                                           "paging": "false"})
        for raw in (body or {}).get("users", []):
            user = UserState(uid=raw["id"], username=raw.get("username", ""), first_name=raw.get("firstName"),
                             surname=raw.get("surname"), email=raw.get("email"), phone=raw.get("phoneNumber"),
                             disabled=bool(raw.get("disabled")), roles=_ids(raw.get("userRoles")),
                             capture=_ids(raw.get("organisationUnits")),
                             search=_ids(raw.get("teiSearchOrganisationUnits")),
                             view=_ids(raw.get("dataViewOrganisationUnits")))
            found[user.username.casefold()] = user
    return found


def read_records(client: Getter, state: ServerState) -> dict[str, RecordState]:
    return records_by_code(client, state.programs["group"], state.attributes["group_code"])


def records_by_code(client: Getter, program: str, code_attribute: str) -> dict[str, RecordState]:
    """The Peer group records, keyed by their group code attribute (read page by page, in the
    envelope of the server's release)."""
    records: dict[str, RecordState] = {}
    for raw in client.items("tracker/trackedEntities", params={
            "program": program, "orgUnitMode": "ACCESSIBLE", "fields": RECORD_FIELDS}):
        values = {a["attribute"]: str(a.get("value")) for a in raw.get("attributes") or [] if a.get("attribute")}
        enrollment = next((e for e in raw.get("enrollments") or [] if e.get("program") == program), None)
        if enrollment:
            values.update({a["attribute"]: str(a.get("value")) for a in enrollment.get("attributes") or []
                           if a.get("attribute")})
        code = values.get(code_attribute)
        if not code:
            continue
        records[code] = RecordState(
            tracked_entity=raw["trackedEntity"], org_unit=raw.get("orgUnit", ""), attributes=values,
            enrollment=enrollment.get("enrollment") if enrollment else None,
            enrollment_org_unit=enrollment.get("orgUnit") if enrollment else None,
            enrolled_at=enrollment.get("enrolledAt") if enrollment else None,
            occurred_at=enrollment.get("occurredAt") if enrollment else None,
            status=enrollment.get("status") if enrollment else None)
    return records
