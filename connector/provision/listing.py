"""`scdi groups list`: the provisioned groups as the server has them (GET requests only).

A provisioned group is a Peer group record (program `SCDI_GROUP`) with its group code; from
there: its org unit (province, commune, closed or not), its leader (the member of its user
group `SCDI_GRP_<code>`), the members enrolled in `SCDI_MEMBER` at its org unit (active
enrollments), and its last group meeting (`SCDI_GROUP_MEETING` events, by occurred date).
The last roster sync stays empty until roster sync exists.
"""

from __future__ import annotations

from collections import Counter as Tally
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ValidationFailed
from scdi.connector.provision.server import (
    ATTRIBUTES,
    GROUP_USER_GROUP_PREFIX,
    MEETING_STAGE,
    PROGRAMS,
    records_by_code,
)
from scdi.connector.provision.tree import Getter, read_tree


class ListedGroup(BaseModel):
    group_code: str
    group_name: str | None = None
    kind: str | None = None
    province: str | None = None
    commune: str | None = None
    org_unit: str
    leader: str | None = None
    leader_disabled: bool | None = None
    active: bool
    members: int = 0
    last_meeting: str | None = None
    last_roster_sync: str | None = None  # filled once roster sync records its runs


class GroupList(BaseModel):
    server: str
    groups: list[ListedGroup] = Field(default_factory=list)


def _first(get: Getter, plural: str, code: str) -> dict[str, Any]:
    found = (get.get(plural, params={"filter": f"code:eq:{code}", "fields": "id,code", "paging": "false"})
             or {}).get(plural, [])
    if not found:
        raise ValidationFailed(f"{code} is not on the server", hint="Run `scdi metadata deploy` first.")
    return dict(found[0])


def list_groups(client: Dhis2Client, reader: Getter | None = None) -> GroupList:
    get = reader or client
    tree = read_tree(get)
    program = {key: _first(get, "programs", code)["id"] for key, code in PROGRAMS.items()}
    attribute = {key: _first(get, "trackedEntityAttributes", code)["id"] for key, code in ATTRIBUTES.items()}
    stage = _first(get, "programStages", MEETING_STAGE)["id"]
    records = records_by_code(get, program["group"], attribute["group_code"])
    groups = get.items("userGroups", params={"filter": f"code:like:{GROUP_USER_GROUP_PREFIX}",
                                             "fields": "code,users[id]"})
    members_of = {g["code"][len(GROUP_USER_GROUP_PREFIX):]: [u["id"] for u in g.get("users") or []]
                  for g in groups if g.get("code", "").startswith(GROUP_USER_GROUP_PREFIX)}
    user_ids = sorted({u for ids in members_of.values() for u in ids})
    users: dict[str, dict[str, Any]] = {}
    for start in range(0, len(user_ids), 50):
        chunk = user_ids[start:start + 50]
        body = get.get("users", params={"filter": f"id:in:[{','.join(chunk)}]", "fields": "id,username,disabled",
                                        "paging": "false"}) or {}
        users.update({u["id"]: u for u in body.get("users", [])})
    enrollments = get.items("tracker/enrollments", params={
        "program": program["member"], "orgUnitMode": "ACCESSIBLE", "fields": "orgUnit,status"})
    active_members = Tally(e.get("orgUnit") for e in enrollments if e.get("status") == "ACTIVE")
    events = get.items("tracker/events", params={
        "program": program["group"], "programStage": stage, "orgUnitMode": "ACCESSIBLE",
        "fields": "orgUnit,occurredAt,status"})
    last_meeting: dict[str, str] = {}
    for event in events:
        day = str(event.get("occurredAt") or "")[:10]
        where = str(event.get("orgUnit") or "")
        if day and event.get("status") not in ("SCHEDULE", "SKIPPED") and day > last_meeting.get(where, ""):
            last_meeting[where] = day
    roles = tree.roles
    out = GroupList(server=client.base_url)
    for code, record in sorted(records.items()):
        unit = tree.units.get(record.org_unit)
        province = tree.ancestor_at(unit, roles.province) if unit and roles.province else None
        commune = tree.ancestor_at(unit, roles.commune) if unit and roles.commune else None
        leader_ids = members_of.get(code, [])
        leader = users.get(leader_ids[0]) if leader_ids else None
        out.groups.append(ListedGroup(
            group_code=code, group_name=record.attributes.get(attribute["group_name"]),
            kind=record.attributes.get(attribute["kind"]), province=province.name if province else None,
            commune=commune.name if commune else None, org_unit=record.org_unit,
            leader=leader.get("username") if leader else None,
            leader_disabled=bool(leader.get("disabled")) if leader else None,
            active=bool(unit and not unit.closed_date), members=active_members.get(record.org_unit, 0),
            last_meeting=last_meeting.get(record.org_unit)))
    return out
