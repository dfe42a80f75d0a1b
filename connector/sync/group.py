"""The group on the server that a roster syncs with: its org unit, programs and Peer group record.

`GroupContext` is what every other sync module needs to know about the server's side of one
group; `resolve_group` (reads only) finds it from the group's code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ValidationFailed
from scdi.connector.roster.contract import MEMBER_KEY, RosterContract
from scdi.upstream.releases import Release


@dataclass(frozen=True)
class GroupContext:
    code: str  # the group's code (its org unit's code)
    org_unit: str  # the group's org unit UID: where its members are enrolled and its events happen
    release: Release  # the server's release row (per-release parameters and shapes)
    member_program: str | None = None  # the member program's UID (member rosters)
    member_type: str | None = None  # the members' tracked entity type UID
    member_code_attribute: str | None = None  # the unique member code attribute's UID
    group_program: str | None = None  # the Peer group program's UID (member rosters: meetings)
    group_entity: str | None = None  # the group's Peer group record (tracked entity UID)
    group_enrollment: str | None = None  # its enrollment in the group program
    outreach_program: str | None = None  # the outreach program's UID (outreach rosters)
    stages: Mapping[str, str] = field(default_factory=dict)  # roster sheet key → program stage UID


GROUP_PROGRAM = "SCDI_GROUP"
GROUP_CODE_ATTRIBUTE = "SCDI_GROUP_CODE"


def _one(client: Dhis2Client, plural: str, code: str, fields: str) -> dict[str, Any]:
    found = (client.get(plural, params={"filter": f"code:eq:{code}", "fields": fields, "paging": "false"})
             or {}).get(plural) or []
    if not found:
        raise ValidationFailed(f"{code} is not on the server {client.settings.base_url}",
                               hint="Deploy the package first: scdi metadata deploy.")
    return dict(found[0])


def resolve_group(client: Dhis2Client, contract: RosterContract, code: str) -> GroupContext:
    """The group's side on the server, read (GET only): its Peer group record (code attribute,
    org unit, enrollment) and the roster's programs and stages as the server has them."""
    group_program = _one(client, "programs", GROUP_PROGRAM, "id")["id"]
    code_attribute = _one(client, "trackedEntityAttributes", GROUP_CODE_ATTRIBUTE, "id")["id"]
    found = list(client.items("tracker/trackedEntities", params={
        "program": group_program, "orgUnitMode": "ACCESSIBLE", "filter": f"{code_attribute}:eq:{code}",
        "fields": "trackedEntity,orgUnit,enrollments[enrollment,program,orgUnit,status]"}))
    if not found:
        raise ValidationFailed(f"group {code} is not provisioned on {client.settings.base_url}",
                               hint="Provision it first: scdi groups provision REGISTRY.")
    record = found[0]
    enrollment = next((e for e in record.get("enrollments") or [] if e.get("program") == group_program), None)
    org_unit = str((enrollment or {}).get("orgUnit") or record.get("orgUnit") or "")
    stages = {s.key: s.stage for s in contract.sheets if s.stage}
    ids = sorted({s.program for s in contract.sheets})
    programs = {p["id"]: p for p in (client.get("programs", params={
        "filter": f"id:in:[{','.join(ids)}]", "fields": "id,code,trackedEntityType[id],programStages[id]",
        "paging": "false"}) or {}).get("programs", [])}
    missing = [i for i in ids if i not in programs]
    if missing:
        raise ValidationFailed(f"the server lacks the roster's programs {missing}",
                               hint="Deploy this version of the package first: scdi metadata deploy.")
    known = {s["id"] for p in programs.values() for s in p.get("programStages") or []}
    lost = sorted(k for k, uid in stages.items() if uid not in known)
    if lost:
        raise ValidationFailed(f"the server's programs lack the roster's stages {lost}",
                               hint="Deploy this version of the package first: scdi metadata deploy.")
    members = next((s for s in contract.sheets if s.role == "members"), None)
    member_program = members.program if members else None
    code_column = members.column(MEMBER_KEY) if members else None
    outreach = next((s.program for s in contract.sheets if s.role == "events"), None)
    return GroupContext(
        code=code, org_unit=org_unit, release=client.release, member_program=member_program,
        member_type=((programs.get(member_program or "") or {}).get("trackedEntityType") or {}).get("id"),
        member_code_attribute=code_column.uid if code_column else None, group_program=group_program,
        group_entity=str(record["trackedEntity"]),
        group_enrollment=str(enrollment["enrollment"]) if enrollment else None,
        outreach_program=outreach, stages=stages)
