"""The package's program rules as a roster needs them: which to run, on which rows, with what.

DHIS2's rule engine costs about half a millisecond per rule per record, so a year of a 300-
member group (some 12,000 events) cannot simply be run rule by rule through `evaluateAll`.
This module reads each rule's expressions once and plans the least work that gives the same
answers:

* Only rules with an effect a roster reports are run (SHOWERROR, SHOWWARNING, ERRORONCOMPLETE,
  WARNINGONCOMPLETE, SETMANDATORYFIELD, HIDEFIELD), with the ASSIGN rules that feed what they
  read; rules linked through an ASSIGN form one group and always run together.
* A group's *scope* says what its expressions can see: `local` (the current event's values, its
  date, today), `enrollment` (also attributes and the enrolment date), `cross` (also values of
  other events: previous/newest-event variables, d2:count…/d2:lastEventDate), `full` (anything
  else: event counts, ids, calculated values nobody assigns, unknown functions).
* A record's answer depends only on what its group can see, so records that show the group the
  same inputs share one evaluation (`local`, `enrollment`, and `cross` when the member's events
  carry none of the values the cross-event variables read). Everything else runs with the
  member's whole record, as Android would.

`rules.py` turns the plan into engine jobs; this module does not touch the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from scdi.connector.roster.contract import Lang, RosterContract, translation

REPORTED = frozenset({"SHOWERROR", "SHOWWARNING", "ERRORONCOMPLETE", "WARNINGONCOMPLETE",
                      "SETMANDATORYFIELD", "HIDEFIELD"})
CROSS_SOURCES = frozenset({"DATAELEMENT_PREVIOUS_EVENT", "DATAELEMENT_NEWEST_EVENT_PROGRAM",
                           "DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE"})
DATE_VARIABLES = frozenset({"event_date", "execution_date", "due_date", "scheduled_date", "completed_date",
                            "creation_date", "sync_date"})
LOCAL_VARIABLES = DATE_VARIABLES | {"current_date", "event_status", "program_stage_id", "program_stage_name",
                                    "environment", "org_unit", "orgunit_code", "program_name"}
ENROLLMENT_VARIABLES = frozenset({"enrollment_date", "incident_date", "enrollment_status"})
CROSS_FUNCTIONS = frozenset({"count", "countIfValue", "countIfZeroPos", "lastEventDate", "maxValue", "minValue"})
FULL_FUNCTIONS = frozenset({"hasUserRole", "inOrgUnitGroup"})
SCOPES = ("local", "enrollment", "cross", "full")
Scope = Literal["local", "enrollment", "cross", "full"]

_VAR = re.compile(r"[#A]\{([^}]+)\}")
_PROGRAM_VAR = re.compile(r"V\{([^}]+)\}")
_QUOTED = re.compile(r"'([^']*)'")
_FUNCTION = re.compile(r"d2:(\w+)")
_ASSIGN_TARGET = re.compile(r"^[#A]\{([^}]+)\}$")


# --- what the validator keeps for the rules ---------------------------------------------------


@dataclass(slots=True)
class MemberFacts:
    sheet: str
    row: int
    enrolled: str | None
    attributes: dict[str, str]
    status: str = "active"
    targeted: bool = True  # False: context for its events only, not judged itself


@dataclass(slots=True)
class EventFacts:
    sheet: str
    row: int
    stage: str
    date: str
    values: dict[str, str]  # data element UID → value, only the fields rules read or act on
    member: str | None = None

    @property
    def present(self) -> frozenset[str]:
        """The fields rules read or act on that have a value on the row."""
        return frozenset(self.values)


@dataclass
class RuleRecords:
    members: dict[str, MemberFacts] = field(default_factory=dict)
    member_events: dict[str, list[EventFacts]] = field(default_factory=dict)
    group_events: list[EventFacts] = field(default_factory=list)
    program_events: list[EventFacts] = field(default_factory=list)


# --- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    type: str
    field: str | None
    field_kind: str | None  # DATA_ELEMENT, TRACKED_ENTITY_ATTRIBUTE
    content: str | None
    data: str | None


@dataclass
class RuleSpec:
    uid: str
    name: str
    condition: str
    priority: int | None
    stage: str | None
    actions: list[ActionSpec]


@dataclass(frozen=True)
class VariableSpec:
    name: str
    source: str
    field: str
    value_type: str  # TEXT, NUMERIC, BOOLEAN, DATE
    use_code: bool
    options: tuple[tuple[str, str], ...]
    stage: str | None


@dataclass
class RuleGroup:
    id: int
    program: str
    rules: list[RuleSpec]
    variables: list[VariableSpec]
    scope: Scope
    local_fields: tuple[str, ...]  # current-event data elements read
    attributes: tuple[str, ...]  # attributes read
    uses_event_date: bool
    uses_enrollment_date: bool
    cross_fields: frozenset[str]  # data elements other events' values are read from
    stages: frozenset[str]  # stages whose events the group judges
    on_enrollment: bool  # judges the enrollment (the members row)


@dataclass
class ProgramPlan:
    uid: str
    name: str
    registration: bool
    stage_names: dict[str, str]
    groups: list[RuleGroup]


@dataclass
class RulePlan:
    lang: Lang
    programs: dict[str, ProgramPlan]
    constants: dict[str, str]
    field_column: dict[str, str]  # field UID → column key
    needed_fields: frozenset[str]
    members_program: str | None = None


def _ref(value: Any) -> str | None:
    uid = value.get("id") if isinstance(value, dict) else None
    return uid if isinstance(uid, str) else None


def _engine_type(value_type: str) -> str:
    if value_type in {"DATE", "DATETIME", "AGE", "TIME"}:
        return "DATE"
    if value_type in {"NUMBER", "UNIT_INTERVAL", "PERCENTAGE", "INTEGER", "INTEGER_POSITIVE",
                      "INTEGER_NEGATIVE", "INTEGER_ZERO_OR_POSITIVE"}:
        return "NUMERIC"
    if value_type in {"BOOLEAN", "TRUE_ONLY"}:
        return "BOOLEAN"
    return "TEXT"


def plan_rules(package: dict[str, Any], contract: RosterContract, lang: Lang) -> RulePlan:
    by_id = {o["id"]: o for items in package.values() if isinstance(items, list)
             for o in items if isinstance(o, dict) and isinstance(o.get("id"), str)}
    stage_fields: dict[str, set[str]] = {}
    field_column: dict[str, str] = {}
    for sheet in contract.sheets:
        for column in sheet.columns:
            if column.uid:
                field_column[column.uid] = column.key
                if sheet.stage:
                    stage_fields.setdefault(sheet.stage, set()).add(column.uid)
    programs: dict[str, ProgramPlan] = {}
    for program_uid in dict.fromkeys(s.program for s in contract.sheets):
        program = by_id.get(program_uid, {})
        stage_ids = [_ref(s) for s in program.get("programStages") or []]
        stage_names = {uid: str(by_id.get(uid, {}).get("name") or "") for uid in stage_ids if uid}
        rules = [r for r in package.get("programRules", []) if _ref(r.get("program")) == program_uid]
        variables = [v for v in package.get("programRuleVariables", []) if _ref(v.get("program")) == program_uid]
        groups = _groups(by_id, program_uid, rules, variables, lang, stage_fields, set(stage_names),
                         program.get("programType") != "WITHOUT_REGISTRATION")
        programs[program_uid] = ProgramPlan(uid=program_uid, name=str(program.get("name") or ""),
                                            registration=program.get("programType") != "WITHOUT_REGISTRATION",
                                            stage_names=stage_names, groups=groups)
    needed: set[str] = set()
    for plan in programs.values():
        for group in plan.groups:
            needed.update(group.local_fields, group.attributes, group.cross_fields)
            needed.update(a.field for r in group.rules for a in r.actions if a.field)
    constants = {str(c["id"]): str(c.get("value", 0)) for c in package.get("constants", []) if isinstance(c, dict)}
    members_program = next((s.program for s in contract.sheets if s.role == "members"), None)
    return RulePlan(lang=lang, programs=programs, constants=constants, field_column=field_column,
                    needed_fields=frozenset(needed), members_program=members_program)


def _variable(by_id: dict[str, dict[str, Any]], raw: dict[str, Any]) -> VariableSpec:
    source = str(raw.get("programRuleVariableSourceType") or "CALCULATED_VALUE")
    target = by_id.get(_ref(raw.get("trackedEntityAttribute" if source == "TEI_ATTRIBUTE" else "dataElement")) or "")
    use_code = bool(raw.get("useCodeForOptionSet"))
    options: list[tuple[str, str]] = []
    if target is not None and not use_code:
        option_set = by_id.get(_ref(target.get("optionSet")) or "")
        for ref in (option_set or {}).get("options") or []:
            option = by_id.get(_ref(ref) or "")
            if option:
                options.append((str(option.get("name") or ""), str(option.get("code") or "")))
    value_type = str(target.get("valueType") if target else raw.get("valueType") or "TEXT")
    return VariableSpec(name=str(raw.get("name") or ""), source=source,
                        field=str(target["id"]) if target else str(raw.get("id") or ""),
                        value_type=_engine_type(value_type), use_code=use_code, options=tuple(options),
                        stage=_ref(raw.get("programStage")))


def _rule(by_id: dict[str, dict[str, Any]], raw: dict[str, Any], lang: Lang) -> RuleSpec:
    actions: list[ActionSpec] = []
    for ref in raw.get("programRuleActions") or []:
        action = by_id.get(_ref(ref) or "")
        if action is None:
            continue
        de, tea = _ref(action.get("dataElement")), _ref(action.get("trackedEntityAttribute"))
        content = action.get("content") if isinstance(action.get("content"), str) else None
        if content and lang != "en":
            content = translation(action, "CONTENT", lang) or content
        actions.append(ActionSpec(type=str(action.get("programRuleActionType") or ""), field=de or tea,
                                  field_kind="DATA_ELEMENT" if de else "TRACKED_ENTITY_ATTRIBUTE" if tea else None,
                                  content=content, data=action.get("data") if isinstance(action.get("data"), str)
                                  else None))
    name = str(raw.get("name") or raw.get("code") or raw["id"])
    if lang != "en":
        name = translation(raw, "NAME", lang) or name
    priority = raw.get("priority")
    return RuleSpec(uid=str(raw["id"]), name=name, condition=str(raw.get("condition") or ""),
                    priority=priority if isinstance(priority, int) else None, stage=_ref(raw.get("programStage")),
                    actions=actions)


def _expressions(rule: RuleSpec) -> list[str]:
    return [rule.condition, *(a.data for a in rule.actions if a.data)]


def _groups(by_id: dict[str, dict[str, Any]], program: str, raw_rules: list[dict[str, Any]],
            raw_variables: list[dict[str, Any]], lang: Lang, stage_fields: dict[str, set[str]],
            stages: set[str], registration: bool) -> list[RuleGroup]:
    variables = {v.name: v for v in (_variable(by_id, raw) for raw in raw_variables)}
    rules = [_rule(by_id, raw, lang) for raw in raw_rules]
    reads: dict[str, set[str]] = {}
    for rule in rules:
        names: set[str] = set()
        for text in _expressions(rule):
            names.update(_VAR.findall(text))
            names.update(q for q in _QUOTED.findall(text) if q in variables)
        reads[rule.uid] = {n for n in names if n in variables}
    writes: dict[str, set[str]] = {}  # rule → variable names its ASSIGN actions set
    for rule in rules:
        targets: set[str] = set()
        for action in rule.actions:
            if action.type != "ASSIGN":
                continue
            if action.field:
                targets.update(v.name for v in variables.values() if v.field == action.field)
            match = _ASSIGN_TARGET.match((action.content or "").strip())
            if match:
                targets.add(match[1])
        writes[rule.uid] = targets
    reporters = [r for r in rules if any(a.type in REPORTED for a in r.actions)]
    # Union rules that feed each other through ASSIGN, starting from the reporters.
    group_of: dict[str, int] = {}
    members: dict[int, set[str]] = {}
    for index, rule in enumerate(reporters):
        group_of[rule.uid] = index
        members[index] = {rule.uid}
    changed = True
    while changed:
        changed = False
        for gid in list(members):
            if gid not in members:
                continue
            wanted = set().union(*(reads[uid] for uid in members[gid]))
            for rule in rules:
                if writes[rule.uid] & wanted and group_of.get(rule.uid) != gid:
                    other = group_of.get(rule.uid)
                    if other is not None and other in members:
                        for uid in members.pop(other):
                            group_of[uid] = gid
                            members[gid].add(uid)
                    else:
                        group_of[rule.uid] = gid
                        members[gid].add(rule.uid)
                    changed = True
    by_uid = {r.uid: r for r in rules}
    out: list[RuleGroup] = []
    for _, uids in sorted(members.items()):
        group_rules = [by_uid[uid] for uid in sorted(uids)]
        for rule in group_rules:
            rule.actions = [a for a in rule.actions if a.type in REPORTED or
                            (a.type == "ASSIGN" and writes[rule.uid])]
        out.append(_group(len(out), program, group_rules, variables, reads, stage_fields, stages, registration))
    return out


def _group(gid: int, program: str, rules: list[RuleSpec], variables: dict[str, VariableSpec],
           reads: dict[str, set[str]], stage_fields: dict[str, set[str]], stages: set[str],
           registration: bool) -> RuleGroup:
    names = set().union(*(reads[r.uid] for r in rules))
    scope_rank = 0
    local: set[str] = set()
    attributes: set[str] = set()
    cross: set[str] = set()
    uses_event_date = uses_enrollment_date = False
    counted: set[str] = set()
    for rule in rules:
        for text in _expressions(rule):
            for function in _FUNCTION.findall(text):
                if function in FULL_FUNCTIONS:
                    scope_rank = 3
                elif function in CROSS_FUNCTIONS:
                    counted.update(q for q in _QUOTED.findall(text) if q in variables)
            for name in _PROGRAM_VAR.findall(text):
                if name in DATE_VARIABLES:
                    uses_event_date = True
                if name in ENROLLMENT_VARIABLES:
                    uses_enrollment_date = True
                    scope_rank = max(scope_rank, 1)
                elif name not in LOCAL_VARIABLES:
                    scope_rank = 3
    for name in names:
        variable = variables[name]
        if variable.source == "TEI_ATTRIBUTE":
            attributes.add(variable.field)
            scope_rank = max(scope_rank, 1)
        elif variable.source in CROSS_SOURCES or name in counted:
            cross.add(variable.field)
            scope_rank = max(scope_rank, 2)
            if variable.source == "DATAELEMENT_CURRENT_EVENT":
                local.add(variable.field)
        elif variable.source == "DATAELEMENT_CURRENT_EVENT":
            local.add(variable.field)
        elif variable.source == "CALCULATED_VALUE":
            if not any(name in _assigned(r) for r in rules):
                scope_rank = 3
        else:
            scope_rank = 3
    if not registration and scope_rank in (1, 2):
        scope_rank = 3  # event programs: no enrollment to share; each event runs alone
    judged: set[str] = set()
    on_enrollment = False
    for rule in rules:
        if not any(a.type in REPORTED for a in rule.actions):
            continue
        if rule.stage:
            judged.add(rule.stage)
            continue
        for action in rule.actions:
            if action.type not in REPORTED:
                continue
            if action.field_kind == "DATA_ELEMENT":
                judged.update(s for s, fields in stage_fields.items() if action.field in fields and s in stages)
            elif registration:
                on_enrollment = True
            else:
                judged.update(stages)
    return RuleGroup(id=gid, program=program, rules=rules, variables=[variables[n] for n in sorted(names)],
                     scope=SCOPES[scope_rank],  # type: ignore[arg-type]
                     local_fields=tuple(sorted(local)), attributes=tuple(sorted(attributes)),
                     uses_event_date=uses_event_date, uses_enrollment_date=uses_enrollment_date,
                     cross_fields=frozenset(cross), stages=frozenset(judged), on_enrollment=on_enrollment)


def _assigned(rule: RuleSpec) -> set[str]:
    out: set[str] = set()
    for action in rule.actions:
        if action.type == "ASSIGN":
            match = _ASSIGN_TARGET.match((action.content or "").strip())
            if match:
                out.add(match[1])
    return out
