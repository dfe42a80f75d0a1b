"""The group on the server that a roster syncs with: its org unit, programs and Peer group record.

`GroupContext` is what every other sync module needs to know about the server's side of one
group; `resolve_group` (reads only) finds it from the group's code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
