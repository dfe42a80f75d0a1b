"""The provisioning plan: per group, create / update (which fields) / unchanged / deactivate / invalid.

A plan compares each registry row with what the server has (`server.ServerState`) and holds
the target state `apply` writes. For one group that is:

- its own org unit, a leaf under its commune: code = group code, name, opening date =
  founded on; an inactive group gets a closed date (the day it was first seen inactive) and is
  never deleted; a reactivated one loses it;
- the peer-group and member programs, and the outreach program for counselling points and
  outreach teams, assigned to that org unit (assignments are only ever added);
- the Peer group record (tracked entity + enrollment) with code, name, kind, sponsor, founded;
- a user group `SCDI_GRP_<code>` whose only member is the leader, shared with nobody but
  the package's admin group and itself (`--------` public);
- the leader's account: the package's group leader role, capture org unit = the group, search
  org unit = its commune (or its province where the server has no commune level), enabled
  when the group is active; an existing user is updated, never recreated. Every leader is also
  in the package's `SCDI_DATA_CAPTURE` group, which carries data access to the programs.

UIDs of new objects are derived from the group code (or username), so a dry run, a retried
run and the real run name the same objects. Plans render as a table and as JSON from the same
value; leaders' e-mail and phone values never appear in either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import string
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.provision import findings as fnd
from scdi.connector.provision.columns import OUTREACH_KINDS
from scdi.connector.provision.findings import Finding
from scdi.connector.provision.places import Place, Where, match_place
from scdi.connector.provision.registry import Registry, RegistryRow
from scdi.connector.provision.server import GROUP_USER_GROUP_PREFIX, RecordState, ServerState, UserState

SHORT_NAME = 50  # OrganisationUnit.shortName column length
LEADER_FIRST_NAME = "Trưởng nhóm"  # no leader's name is collected: the account is named after the group
PERSONAL = frozenset({"leader_email", "leader_phone"})
MASK = "…"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    DEACTIVATE = "deactivate"
    INVALID = "invalid"


class Change(BaseModel):
    part: str  # org unit · programs · record · user group · sharing · leader
    field: str  # what changes, in DHIS2's terms
    column: str | None = None  # the registry column it comes from
    before: str | None = None
    after: str | None = None


@dataclass
class Target:
    """What one group should look like on the server (kept out of JSON: it holds personal data)."""

    row: RegistryRow
    place: Place
    org_unit: dict[str, Any]
    org_unit_exists: bool
    org_unit_changed: bool
    programs_add: list[str]
    record: dict[str, Any]  # tracked entity + enrollment payload parts
    record_changed: bool
    user_group: dict[str, Any]
    user_group_exists: bool
    user_group_changed: bool
    sharing_changed: bool
    leader: dict[str, Any] | None = None  # user payload fields we own
    leader_exists: bool = False
    leader_changed: bool = False
    leader_disabled_now: bool = False
    notes: list[str] = field(default_factory=list)


class GroupPlan(BaseModel):
    row: int
    group_code: str | None = None
    group_name: str | None = None
    action: Action
    province: str | None = None
    commune: str | None = None
    path: str | None = None
    org_unit: str | None = None
    leader: str | None = None
    changes: list[Change] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    target: Any = Field(default=None, exclude=True)

    @property
    def writes(self) -> bool:
        return self.action in (Action.CREATE, Action.UPDATE, Action.DEACTIVATE)


class ProvisionPlan(BaseModel):
    registry: str
    sheet: str | None = None
    server: str
    dhis2_version: str
    levels: dict[str, int | None]
    level_source: str
    groups: list[GroupPlan] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)  # about the registry as a whole
    changes: list[Change] = Field(default_factory=list)  # shared objects (the data capture group)
    notes: list[str] = Field(default_factory=list)
    data_capture_add: list[str] = Field(default_factory=list, exclude=True)

    @property
    def counts(self) -> dict[str, int]:
        return {a.value: sum(g.action is a for g in self.groups) for a in Action}

    @property
    def has_writes(self) -> bool:
        return any(g.writes for g in self.groups) or bool(self.data_capture_add)

    def all_findings(self) -> list[Finding]:
        return fnd.sort_findings([*self.findings, *(f for g in self.groups for f in g.findings)])


def derive_uid(kind: str, key: str) -> str:
    """A DHIS2 UID (letter, then 10 letters or digits) that depends only on `kind` and `key`."""
    number = int.from_bytes(hashlib.sha256(f"scdi-groups:{kind}:{key}".encode()).digest(), "big")
    letters, alphabet = string.ascii_letters, string.ascii_letters + string.digits
    chars = [letters[number % len(letters)]]
    number //= len(letters)
    for _ in range(10):
        chars.append(alphabet[number % len(alphabet)])
        number //= len(alphabet)
    return "".join(chars)


def group_user_group_code(group_code: str) -> str:
    return GROUP_USER_GROUP_PREFIX + group_code


def wanted_sharing(admin_group: str, own_group: str) -> dict[str, Any]:
    return {"public": "--------", "external": False, "users": {},
            "userGroups": {admin_group: {"id": admin_group, "access": "rw------"},
                           own_group: {"id": own_group, "access": "r-------"}}}


def _sharing_key(sharing: dict[str, Any]) -> tuple[Any, ...]:
    groups = sharing.get("userGroups") or {}
    users = sharing.get("users") or {}
    return (sharing.get("public"), bool(sharing.get("external")),
            tuple(sorted((k, (v or {}).get("access")) for k, v in groups.items())),
            tuple(sorted((k, (v or {}).get("access")) for k, v in users.items())))


def make_plan(registry: Registry, state: ServerState, *, today: dt.date | None = None) -> ProvisionPlan:
    today = today or dt.date.today()
    roles = state.tree.roles
    plan = ProvisionPlan(registry=registry.file, sheet=registry.sheet, server=state.base_url,
                         dhis2_version=state.version, level_source=roles.source,
                         levels={"province": roles.province, "district": roles.district, "commune": roles.commune,
                                 "group": roles.group_level},
                         findings=[f for f in registry.findings if f.row is None])
    if roles.source != "organisationUnitLevels":
        plan.notes.append(f"org unit levels read from {roles.source}")
    by_row: dict[int, list[Finding]] = {}
    for finding in registry.findings:
        if finding.row is not None:
            by_row.setdefault(finding.row, []).append(finding)
    for row in registry.rows:
        plan.groups.append(_plan_group(row, by_row.get(row.row, []), registry, state, today))
    members = set(state.data_capture.users)
    for group in plan.groups:
        target: Target | None = group.target
        if target is not None and target.leader is not None and target.leader["id"] not in members:
            plan.data_capture_add.append(target.leader["id"])
            members.add(target.leader["id"])
    if plan.data_capture_add:
        plan.changes.append(Change(part="user group", field=state.data_capture.code or "SCDI_DATA_CAPTURE",
                                   after=f"+{len(plan.data_capture_add)} leader(s)"))
    return plan


def _plan_group(row: RegistryRow, row_findings: list[Finding], registry: Registry, state: ServerState,
                today: dt.date) -> GroupPlan:
    group = GroupPlan(row=row.row, group_code=row.group_code, group_name=row.group_name, action=Action.INVALID,
                      leader=row.leader_username, findings=list(row_findings))
    where = Where(file=registry.file, sheet=registry.sheet, row=row.row)
    result = match_place(state.tree, row.province, row.district, row.commune, where)
    group.findings.extend(result.findings)
    if not row.valid or result.place is None or row.group_code is None or row.group_name is None:
        return group
    place, tree = result.place, state.tree
    group.province, group.commune = place.province.name, (place.commune or place.parent).name
    group.path = tree.path_names(place.parent)

    def err(code: str, column: str, message: str, severity: fnd.Severity = fnd.Severity.ERROR) -> None:
        group.findings.append(fnd.make(severity, code, message, file=registry.file, sheet=registry.sheet,
                                       row=row.row, column=column))

    existing = tree.by_code.get(row.group_code)
    if existing is not None and (existing.level != tree.roles.group_level or tree.children.get(existing.uid)):
        err("server.code-taken", "group_code", f"org unit code {row.group_code} already belongs to "
            f"{tree.path_names(existing)}, which is not a group's org unit")
    for column, option in (("kind", row.kind), ("sponsor", row.sponsor)):
        if option and state.option_codes.get(column) and option not in state.option_codes[column]:
            err("server.option-missing", column, f"option {option} is not on the server; deploy the package again")
    if fnd.has_errors(group.findings):
        return group
    changes: list[Change] = []
    ou_uid = existing.uid if existing else derive_uid("organisationUnit", row.group_code)
    group.org_unit = ou_uid
    opening = (row.founded_on.isoformat() if row.founded_on else
               (existing.opening_date if existing and existing.opening_date else today.isoformat()))
    closed = None if row.active else ((existing.closed_date if existing else None) or max(today.isoformat(), opening))
    org_unit: dict[str, Any] = {"id": ou_uid, "code": row.group_code, "name": row.group_name,
                "shortName": row.group_name[:SHORT_NAME], "openingDate": opening, "parent": {"id": place.parent.uid}}
    if closed:
        org_unit["closedDate"] = closed
    if existing is None:
        changes.append(Change(part="org unit", field="org unit", after=f"{group.path} / {row.group_name}"))
    else:
        for column, prop, before, after in (("group_name", "name", existing.name, row.group_name),
                                            ("group_name", "short name", existing.short_name, org_unit["shortName"]),
                                            ("founded_on", "opening date", existing.opening_date, opening),
                                            ("commune", "parent", existing.parent, place.parent.uid),
                                            ("active", "closed date", existing.closed_date, closed)):
            if before != after:
                if column == "commune":
                    before = tree.path_names(tree.units[before]) if before in tree.units else before
                    after = group.path
                changes.append(Change(part="org unit", field=prop, column=column, before=before, after=after))
    ou_changed = existing is None or any(c.part == "org unit" for c in changes)

    wanted_programs = [state.programs["group"], state.programs["member"]]
    if row.kind in OUTREACH_KINDS:
        wanted_programs.append(state.programs["outreach"])
    programs_add = [p for p in wanted_programs if ou_uid not in state.program_org_units.get(p, set())]
    names = {v: k for k, v in state.programs.items()}
    if programs_add:
        changes.append(Change(part="programs", field="assigned programs", column="kind",
                              after=", ".join(names[p] for p in programs_add)))

    record, record_changed = _record(row, state, ou_uid, opening, changes)
    leader, leader_exists, leader_changed, disabled_now = _leader(row, state, ou_uid, place, changes, err)
    if fnd.has_errors(group.findings):
        return group

    ug_code = group_user_group_code(row.group_code)
    ug_existing = state.group_user_groups.get(ug_code)
    ug_uid = ug_existing.uid if ug_existing else derive_uid("userGroup", row.group_code)
    user_group: dict[str, Any] = {
        "id": ug_uid, "code": ug_code, "name": f"SCDI - {row.group_code} - {row.group_name}"[:230],
        "users": [{"id": leader["id"]}] if leader else [], "sharing": wanted_sharing(state.admin_group, ug_uid)}
    ug_changed, sharing_changed = ug_existing is None, False
    if ug_existing is None:
        changes.append(Change(part="user group", field="user group", after=user_group["name"]))
    else:
        if ug_existing.name != user_group["name"]:
            changes.append(Change(part="user group", field="name", column="group_name", before=ug_existing.name,
                                  after=user_group["name"]))
            ug_changed = True
        if sorted(ug_existing.users) != sorted(u["id"] for u in user_group["users"]):
            changes.append(Change(part="user group", field="members", column="leader_username",
                                  before=f"{len(ug_existing.users)} user(s)",
                                  after=f"{len(user_group['users'])} user(s)"))
            ug_changed = True
            former = [u for u in ug_existing.users if not leader or u != leader["id"]]
            if former:
                group.findings.append(fnd.warning(
                    "server.former-leader", f"{len(former)} former member(s) of the group's user group are taken out "
                    "of it; their accounts keep the org units they have until changed by hand",
                    file=registry.file, sheet=registry.sheet, row=row.row, column="leader_username"))
        sharing_changed = _sharing_key(ug_existing.sharing) != _sharing_key(user_group["sharing"])
        if sharing_changed:
            changes.append(Change(part="sharing", field="user group sharing",
                                  before=str(ug_existing.sharing.get("public")),
                                  after="private to the group and SCDI - Admin"))
    group.changes = changes
    if leader_exists and not row.active and existing is not None and existing.closed_date is None:
        # the group closes in this run: its leader's sessions end with it, also when the account was
        # disabled by other means (an import or the Users app), which leaves open sessions alone
        disabled_now = True
    group.target = Target(row=row, place=place, org_unit=org_unit, org_unit_exists=existing is not None,
                          org_unit_changed=ou_changed, programs_add=programs_add, record=record,
                          record_changed=record_changed, user_group=user_group,
                          user_group_exists=ug_existing is not None, user_group_changed=ug_changed,
                          sharing_changed=sharing_changed, leader=leader, leader_exists=leader_exists,
                          leader_changed=leader_changed, leader_disabled_now=disabled_now)
    if existing is None:
        group.action = Action.CREATE
    elif not changes:
        group.action = Action.UNCHANGED
    elif not row.active and (existing.closed_date is None or disabled_now):
        group.action = Action.DEACTIVATE
    else:
        group.action = Action.UPDATE
    return group


def _record(row: RegistryRow, state: ServerState, ou_uid: str, opening: str,
            changes: list[Change]) -> tuple[dict[str, Any], bool]:
    assert row.group_code is not None
    existing: RecordState | None = state.records.get(row.group_code)
    values = {"group_code": row.group_code, "group_name": row.group_name, "kind": row.kind,
              "sponsor": row.sponsor, "founded_on": row.founded_on.isoformat() if row.founded_on else None}
    wanted = {state.attributes[k]: v for k, v in values.items() if v}
    record = {"trackedEntity": existing.tracked_entity if existing else derive_uid("trackedEntity", row.group_code),
              "enrollment": (existing.enrollment if existing and existing.enrollment
                             else derive_uid("enrollment", row.group_code)),
              "orgUnit": existing.org_unit if existing else ou_uid,
              "enrollmentOrgUnit": (existing.enrollment_org_unit if existing and existing.enrollment_org_unit
                                    else ou_uid),
              "enrolledAt": (existing.enrolled_at if existing and existing.enrolled_at else opening),
              "occurredAt": (existing.occurred_at if existing and existing.occurred_at else opening),
              "status": (existing.status if existing and existing.status else "ACTIVE"),
              "attributes": wanted, "new": existing is None,
              "new_enrollment": existing is None or existing.enrollment is None}
    if existing is None:
        changes.append(Change(part="record", field="record", after="Peer group record and enrollment"))
        return record, True
    changed = False
    by_uid = {v: k for k, v in state.attributes.items()}
    for uid, value in wanted.items():
        if existing.attributes.get(uid) != value:
            changes.append(Change(part="record", field=f"attribute {by_uid[uid]}", column=by_uid[uid],
                                  before=existing.attributes.get(uid), after=value))
            changed = True
    if existing.enrollment is None:
        changes.append(Change(part="record", field="enrollment", after="Peer group enrollment"))
        changed = True
    return record, changed


def _leader(row: RegistryRow, state: ServerState, ou_uid: str, place: Place, changes: list[Change],
            err: Any) -> tuple[dict[str, Any] | None, bool, bool, bool]:
    if not row.leader_username:
        return None, False, False, False
    tree = state.tree
    existing: UserState | None = state.users.get(row.leader_username.casefold())
    if existing is None and not row.active:
        err("registry.inactive-leader", "leader_username", "no account is made for the leader of an inactive group",
            severity=fnd.Severity.INFO)
        return None, False, False, False
    wanted: dict[str, Any] = {
        "id": existing.uid if existing else derive_uid("user", row.leader_username.casefold()),
        "username": existing.username if existing else row.leader_username,
        "userRoles": sorted({*(existing.roles if existing else []), state.leader_role}),
        "organisationUnits": [ou_uid], "teiSearchOrganisationUnits": [place.search.uid],
        # analytics reads the data view units only: without them DHIS2 lets any org unit be asked for
        # (DefaultAnalyticsSecurityManager#decideAccessDataViewOrganisationUnits), other groups' members too
        "dataViewOrganisationUnits": [ou_uid],
        "disabled": not row.active}
    if row.leader_email or existing is None:
        wanted["email"] = row.leader_email
    if row.leader_phone or existing is None:
        wanted["phoneNumber"] = row.leader_phone
    if existing is None:
        wanted.update(firstName=LEADER_FIRST_NAME, surname=row.group_code)
        changes.append(Change(part="leader", field="account", column="leader_username",
                              after=f"new account {row.leader_username}"))
        return wanted, False, True, False
    for unit_uid in existing.capture:
        unit = tree.units.get(unit_uid)
        if unit_uid != ou_uid and (unit is None or unit.level != tree.roles.group_level):
            err("server.user-elsewhere", "leader_username",
                f"user {existing.username} already works at "
                f"{tree.path_names(unit) if unit else unit_uid}; provisioning changes only group leaders' accounts "
                "(give the group another username, or change the user by hand)")
            return None, False, False, False
    moved_from = [tree.units[u] for u in existing.capture if u != ou_uid and u in tree.units]
    if moved_from:
        err("server.leader-moved", "leader_username",
            f"user {existing.username} led {', '.join(u.name for u in moved_from)}; from now on only this group",
            severity=fnd.Severity.WARNING)
    changed = False
    for column, before, after in (
            ("role", sorted(existing.roles), wanted["userRoles"]),
            ("capture org unit", existing.capture, wanted["organisationUnits"]),
            ("search org unit", existing.search, wanted["teiSearchOrganisationUnits"]),
            ("data view org unit", existing.view, wanted["dataViewOrganisationUnits"]),
            ("leader_email", existing.email, wanted.get("email", existing.email)),
            ("leader_phone", existing.phone, wanted.get("phoneNumber", existing.phone)),
            ("active", not existing.disabled, row.active)):
        if before != after:
            shown_before, shown_after = (MASK, MASK) if column in PERSONAL else (_show(state, before),
                                                                                _show(state, after))
            changes.append(Change(part="leader", field=column.removeprefix("leader_"),
                                  column=column if column.startswith("leader_") or column == "active" else None,
                                  before=shown_before, after=shown_after))
            changed = True
    return wanted, True, changed, bool(existing is not None and not existing.disabled and not row.active)


def _show(state: ServerState, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(state.tree.path_names(state.tree.units[v]) if v in state.tree.units else str(v)
                         for v in value)
    return str(value)
