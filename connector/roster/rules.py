"""The package's program rules on roster rows, through DHIS2's rule engine (`@dhis2/rule-engine`).

The only module of the roster that touches the engine bridge. It turns the plan of
`rule_model.py` into evaluation jobs, sends them to one Node process as they are planned
(`engine_stream.py`; the jobs that need only the members sheet before the event sheets are
read), and maps each effect back to its sheet and row: a SHOWERROR/ERRORONCOMPLETE becomes `rule-error` and a
SHOWWARNING/WARNINGONCOMPLETE `rule-warning`, with the rule's own message (its content in the
chosen language, then the evaluated data, as a phone shows it); SETMANDATORYFIELD on an empty
field becomes `rule-mandatory`, HIDEFIELD on a filled one `rule-hidden-value`.

The bridge is the one `scdi.connector.metadata.engines` runs, in its `--lines` mode. Its
`run_engines` keeps only one target's effects per job, while a member's job here needs the
effects of every record in it, so jobs go to the bridge without a target and each effect is
read with the record it belongs to (`trackerObjectUid`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from scdi.connector.metadata.engines import (
    EnrollmentInput,
    EvaluationJob,
    EvaluationTarget,
    RuleActionInput,
    RuleInput,
    RuleVariableInput,
    find_node,
    find_node_modules,
)
from scdi.connector.roster.engine_stream import EngineStream
from scdi.connector.roster.rule_model import (
    EventFacts,
    MemberFacts,
    ProgramPlan,
    RuleGroup,
    RulePlan,
    RuleRecords,
)
from scdi.connector.roster.verdicts import VerdictStore, canonical, engine_fingerprint, keepable, renamed
from scdi.upstream.engines import BRIDGE

BATCH_EVENTS = 20  # events per shared-input job: the engine slows down on long event lists
MESSAGE_CODES = {"SHOWERROR": "rule-error", "ERRORONCOMPLETE": "rule-error",
                 "SHOWWARNING": "rule-warning", "WARNINGONCOMPLETE": "rule-warning"}


@dataclass(frozen=True)
class RuleHit:
    sheet: str
    row: int
    column: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    message_key: str = ""


@dataclass(slots=True)
class _Target:
    """A record judged by one group: its row, and the fields acted on that have a value."""

    sheet: str
    row: int
    present: Collection[str]  # the fields with a value on the row (the row's values, not a copy)
    group: RuleGroup


@dataclass
class _Job:
    job: dict[str, Any]
    program: ProgramPlan
    # tracker object uid → the targets its effects apply to (several when inputs are shared)
    targets: dict[str, list[_Target]] = field(default_factory=dict)


@dataclass
class _Shared:
    """The jobs of one group and enrollment part: the batch being filled, and every local input
    already sent with the job and event uid that answers it (kept across batches)."""

    fresh: Callable[[], _Job]  # a new batch of the same group and part, when one is full
    job: _Job = field(init=False)
    seen: dict[tuple[Any, ...], tuple[_Job, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.job = self.fresh()


class _Builder:
    def __init__(self, plan: RulePlan, today: date) -> None:
        self.plan = plan
        self.today = today.isoformat()
        self.jobs: list[_Job] = []
        self.counter = 0
        self.rule_inputs: dict[int, list[RuleInput]] = {}
        self.variable_inputs: dict[int, list[RuleVariableInput]] = {}
        self.dumped: dict[tuple[int, ...], tuple[list[Any], list[Any]]] = {}
        # (program, group id, enrollment part) → its jobs and the local inputs they answer
        self.shared: dict[tuple[Any, ...], _Shared] = {}

    def uid(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def rules_of(self, group: RuleGroup) -> list[RuleInput]:
        key = id(group)
        if key not in self.rule_inputs:
            self.rule_inputs[key] = [RuleInput(
                uid=r.uid, name=r.name, condition=r.condition, priority=r.priority, program_stage=r.stage,
                actions=[RuleActionInput(type=a.type, data=a.data, field=a.field, content=a.content,
                                         attribute_type=a.field_kind or "UNKNOWN") for a in r.actions])
                for r in group.rules]
            self.variable_inputs[key] = [RuleVariableInput(
                type=v.source, name=v.name, field=v.field, value_type=v.value_type,  # type: ignore[arg-type]
                use_code_for_option_set=v.use_code, options=list(v.options), program_stage=v.stage)
                for v in group.variables]
        return self.rule_inputs[key]

    def new_job(self, program: ProgramPlan, groups: list[RuleGroup], enrollment: EnrollmentInput | None) -> _Job:
        rules: list[RuleInput] = []
        variables: dict[str, RuleVariableInput] = {}
        for group in groups:
            rules.extend(self.rules_of(group))
            for variable in self.variable_inputs[id(group)]:
                variables.setdefault(variable.name, variable)
        key = tuple(id(g) for g in groups)
        dumped = self.dumped.get(key)
        if dumped is None:
            # A group's rules and variables are the same in each of its jobs: dumped once.
            model = EvaluationJob(id="", rules=rules, variables=list(variables.values()),
                                  target=EvaluationTarget(type="ENROLLMENT", uid="none"))
            whole = model.model_dump(by_alias=True, exclude_none=True)
            dumped = self.dumped[key] = (whole["rules"], whole["variables"])
        job: dict[str, Any] = {"id": f"j{len(self.jobs)}", "today": self.today, "rules": dumped[0],
                               "variables": dumped[1], "constants": dict(self.plan.constants), "events": []}
        if enrollment is not None:
            job["enrollment"] = enrollment.model_dump(by_alias=True, exclude_none=True)
        # no target: every record's effects are wanted
        built = _Job(job=job, program=program)
        self.jobs.append(built)
        return built

    def shared_event(self, entry: _Shared, program: ProgramPlan, facts: EventFacts,
                     group: RuleGroup) -> tuple[_Job, str]:
        """The job and event uid answering this record's local input: an earlier identical input's
        (in any batch), else a new event in the batch being filled (a new batch when it is full)."""
        local = _local_part(group, facts)
        known = entry.seen.get(local)
        if known is not None:
            return known
        if len(entry.job.job["events"]) >= BATCH_EVENTS:
            entry.job = entry.fresh()
        values = {k: v for k, v in zip(group.local_fields, local[2], strict=True) if v is not None}
        event = self.event(program, facts, values)
        entry.job.job["events"].append(event)
        known = entry.seen[local] = (entry.job, event["uid"])
        return known

    def event(self, program: ProgramPlan, facts: EventFacts, values: dict[str, str] | None = None) -> dict[str, Any]:
        # EventInput's fields as its model_dump(by_alias=True, exclude_none=True) writes them
        event: dict[str, Any] = {"uid": self.uid("e"), "stage": facts.stage,
                                 "stageName": program.stage_names.get(facts.stage, ""), "status": "ACTIVE"}
        if facts.date is not None:
            event["eventDate"] = facts.date
        event["orgUnit"] = ""
        event["dataValues"] = dict(values if values is not None else facts.values)
        return event

    def enrollment(self, program: ProgramPlan, enrolled: str | None, attributes: dict[str, str],
                   fallback: str) -> EnrollmentInput:
        return EnrollmentInput(uid=self.uid("n"), program_name=program.name, enrolled_at=enrolled or fallback,
                               occurred_at=enrolled or fallback, attributes=attributes)


def _enrollment_part(group: RuleGroup, member: MemberFacts | None) -> tuple[Any, ...]:
    if group.scope == "local" or member is None:
        return ()
    attributes = tuple((uid, member.attributes.get(uid)) for uid in group.attributes)
    return (member.enrolled if group.uses_enrollment_date else None, attributes)


def _local_part(group: RuleGroup, facts: EventFacts) -> tuple[Any, ...]:
    # the values in the order of group.local_fields
    return (facts.stage, facts.date if group.uses_event_date else None,
            tuple(map(facts.values.get, group.local_fields)))


def _plan_jobs(builder: _Builder, records: RuleRecords) -> None:
    plan = builder.plan
    for program in plan.programs.values():
        if not program.groups:
            continue
        if not program.registration:
            for facts in records.program_events:
                _event_program(builder, program, facts)
            continue
        for member, events in _subjects(plan, program, records):
            _member(builder, program, member, events)


def _early(program: ProgramPlan, group: RuleGroup, member: MemberFacts | None) -> bool:
    """A member's judgement by `group` needs nothing but the members row: the group judges only
    the enrollment, sees no other event, and its enrolment date is the member's own (not the
    fallback taken from the member's events). Such jobs are planned as soon as the members sheet
    is read; `_member` leaves them out."""
    return (member is not None and member.targeted and group.on_enrollment and not group.stages
            and group.scope in ("local", "enrollment") and program.registration
            and (bool(member.enrolled) if group.uses_enrollment_date else False))


def _plan_members(builder: _Builder, records: RuleRecords) -> None:
    """The jobs of every `_early` group and member."""
    program = builder.plan.programs.get(builder.plan.members_program or "")
    if program is None or not program.registration:
        return
    groups = [g for g in program.groups if g.on_enrollment and not g.stages]
    if not groups:
        return
    for member in records.members.values():
        for group in groups:
            if _early(program, group, member):
                _enrollment_target(builder, program, group, member, member.enrolled or builder.today)


def _enrollment_target(builder: _Builder, program: ProgramPlan, group: RuleGroup, member: MemberFacts,
                       fallback: str) -> None:
    entry = _enrollment_shared(builder, program, group, _enrollment_part(group, member), fallback)
    enrollment_uid = entry.job.job["enrollment"]["uid"]
    entry.job.targets.setdefault(enrollment_uid, []).append(
        _Target(member.sheet, member.row, member.attributes, group))


def _shared(builder: _Builder, key: tuple[Any, ...], fresh: Callable[[], _Job]) -> _Shared:
    entry = builder.shared.get(key)
    if entry is None:
        entry = builder.shared[key] = _Shared(fresh)
    return entry


def _enrollment_shared(builder: _Builder, program: ProgramPlan, group: RuleGroup, part: tuple[Any, ...],
                       fallback: str) -> _Shared:
    """The jobs of a rule group for every member whose enrollment reads the same (`part`)."""

    def fresh() -> _Job:
        attributes = {uid: value for uid, value in (part[1] if part else ()) if value is not None}
        enrolled = part[0] if part else None
        return builder.new_job(program, [group], builder.enrollment(program, enrolled or fallback, attributes,
                                                                    fallback))

    return _shared(builder, (program.uid, group.id, part), fresh)


def _subjects(plan: RulePlan, program: ProgramPlan,
              records: RuleRecords) -> Iterator[tuple[MemberFacts | None, list[EventFacts]]]:
    if program.uid == plan.members_program:
        for key, member in records.members.items():
            events = [e for e in records.member_events.get(key, []) if e.stage in program.stage_names]
            if events or member.targeted:
                yield member, events
        return
    # Another tracker program (the peer group's): the group is its one enrollment, the
    # meetings its events.
    events = [e for e in records.group_events if e.stage in program.stage_names]
    if events:
        yield None, events


def _member(builder: _Builder, program: ProgramPlan, member: MemberFacts | None, events: list[EventFacts]) -> None:
    fallback = min((e.date for e in events), default=builder.today)
    full_groups: list[RuleGroup] = []
    by_stage: dict[str, list[EventFacts]] = {}
    filled: set[str] = set()  # the fields with a value on any of the member's events
    for facts in events:
        by_stage.setdefault(facts.stage, []).append(facts)
        filled.update(facts.values)
    for group in program.groups:
        if _early(program, group, member):
            continue  # planned with the members sheet (`_plan_members`)
        stages = [s for s in group.stages if s in by_stage]
        # the member's events of the group's stages, in file order
        judged = (by_stage[stages[0]] if len(stages) == 1 else
                  [e for e in events if e.stage in group.stages] if stages else [])
        on_enrollment = group.on_enrollment and member is not None and member.targeted
        if not judged and not on_enrollment:
            continue
        if group.scope == "full" or (group.scope == "cross" and not group.cross_fields.isdisjoint(filled)):
            full_groups.append(group)
            continue
        entry = _enrollment_shared(builder, program, group, _enrollment_part(group, member), fallback)
        if on_enrollment and member is not None:
            enrollment_uid = entry.job.job["enrollment"]["uid"]
            entry.job.targets.setdefault(enrollment_uid, []).append(
                _Target(member.sheet, member.row, member.attributes, group))
        # `shared_event` inlined for an input already sent (most events of a year of records)
        seen, fields, dated = entry.seen, group.local_fields, group.uses_event_date
        for facts in judged:
            known = seen.get((facts.stage, facts.date if dated else None, tuple(map(facts.values.get, fields))))
            job, uid = known if known is not None else builder.shared_event(entry, program, facts, group)
            targets = job.targets.get(uid)
            if targets is None:
                targets = job.targets[uid] = []
            targets.append(_Target(facts.sheet, facts.row, facts.values, group))
    if full_groups:
        attributes = dict(member.attributes) if member else {}
        enrollment = builder.enrollment(program, member.enrolled if member else None, attributes, fallback)
        job = builder.new_job(program, full_groups, enrollment)
        stages_judged: set[str] = set().union(*(g.stages for g in full_groups))
        read: set[str] = set().union(*(g.cross_fields for g in full_groups))
        everything = any(g.scope == "full" for g in full_groups)
        for facts in events:
            # Cross-event variables read only events that hold their fields: other events change
            # no answer (a `full` group may count events, so it gets them all).
            if not everything and facts.stage not in stages_judged and not read.intersection(facts.values):
                continue
            event = builder.event(program, facts)
            job.job["events"].append(event)
            for group in full_groups:
                if facts.stage in group.stages:
                    job.targets.setdefault(event["uid"], []).append(_Target(facts.sheet, facts.row, facts.values,
                                                                            group))
        if member is not None and member.targeted:
            for group in full_groups:
                if group.on_enrollment:
                    job.targets.setdefault(job.job["enrollment"]["uid"], []).append(
                        _Target(member.sheet, member.row, member.attributes, group))


def _event_program(builder: _Builder, program: ProgramPlan, facts: EventFacts) -> None:
    for group in program.groups:
        if facts.stage not in group.stages:
            continue
        if group.scope == "local":
            entry = _shared(builder, (program.uid, group.id, ()), partial(builder.new_job, program, [group], None))
            job, uid = builder.shared_event(entry, program, facts, group)
        else:
            job = builder.new_job(program, [group], None)
            event = builder.event(program, facts)
            job.job["events"].append(event)
            uid = event["uid"]
        job.targets.setdefault(uid, []).append(_Target(facts.sheet, facts.row, facts.values, group))


def _bridge_command() -> tuple[list[str], dict[str, str]]:
    node, modules = find_node(), find_node_modules()
    return [node, str(BRIDGE), "--lines"], {**os.environ, "NODE_PATH": str(modules), "TZ": "UTC"}


class RuleRun:
    """The program rules of one file, judged while it is read.

    `members_read` plans and sends the jobs that need only the members sheet (most of them are
    the members' own attribute rules, one enrollment each), so the engine judges them while the
    event sheets are read; `hits` plans the rest once every sheet is read and maps each effect
    back to its row. `close` ends the engine's process if the run stops early.

    With a `store` (`verdicts.py`), a job the engine already answered today is not sent again:
    its kept answer is used, and each new answer is kept once judged.
    """

    def __init__(self, plan: RulePlan, *, today: date, store: VerdictStore | None = None) -> None:
        self.plan = plan
        self.builder = _Builder(plan, today)
        self.stream = EngineStream(_bridge_command)
        self.store = store
        self.kept: dict[str, dict[str, Any]] = {}  # job id → the answer kept from an earlier run
        self._keys: dict[str, tuple[str, dict[str, str]]] = {}  # job id → digest and uid names, of jobs sent
        self._sent = 0

    def _send_new(self) -> None:
        jobs = [j.job for j in self.builder.jobs[self._sent:]]
        self._sent = len(self.builder.jobs)
        if self.store is None or not jobs:
            self.stream.send(jobs)
            return
        fingerprint = engine_fingerprint(str(find_node_modules()))
        keyed = [(job, *canonical(job, fingerprint)) for job in jobs]
        found = self.store.verdicts([key for _, key, _ in keyed])
        send = []
        for job, key, names in keyed:
            answer = found.get(key)
            if answer is not None:
                back = {canon: uid for uid, canon in names.items()}
                self.kept[job["id"]] = renamed(json.loads(answer), back, job["id"])
            else:
                self._keys[job["id"]] = (key, names)
                send.append(job)
        self.stream.send(send)

    def _keep(self, answers: dict[str, dict[str, Any]]) -> None:
        if self.store is None:
            return
        items = [(key, json.dumps(renamed(answer, names, ""), ensure_ascii=False, separators=(",", ":")))
                 for job_id, (key, names) in self._keys.items()
                 if (answer := answers.get(job_id)) is not None and keepable(answer)]
        if items:
            self.store.keep_verdicts(self.builder.today, items)

    def members_read(self, records: RuleRecords) -> None:
        _plan_members(self.builder, records)
        self._send_new()

    def hits(self, records: RuleRecords) -> list[RuleHit]:
        """Every reported rule effect on every record, as hits with sheet, row and column key."""
        _plan_jobs(self.builder, records)
        self._send_new()
        jobs = self.builder.jobs
        if not jobs:
            return []
        answers = {**self.stream.answers(), **self.kept}
        self._keep(answers)
        hits: dict[tuple[str, int, str | None, str, str], RuleHit] = {}
        failed: set[str] = set()
        for job in jobs:
            evaluation = answers.get(job.job["id"]) or {"ok": False, "error": "not answered"}
            if not evaluation.get("ok"):
                first = next(iter(job.targets.values()), [])
                for target in first[:1]:
                    _add(hits, RuleHit(target.sheet, target.row, None, "rule-engine-failed",
                                       {"error": str(evaluation.get("error") or "")[:200]}))
                continue
            for effect in evaluation.get("effects") or []:
                for hit in _hits(self.plan, job, effect, failed):
                    _add(hits, hit)
        return list(hits.values())

    def close(self) -> None:
        self.stream.close()


def _add(hits: dict[tuple[str, int, str | None, str, str], RuleHit], hit: RuleHit) -> None:
    hits.setdefault((hit.sheet, hit.row, hit.column, hit.code, hit.message_key), hit)


def _hits(plan: RulePlan, job: _Job, effect: dict[str, Any], failed: set[str]) -> Iterable[RuleHit]:
    targets = job.targets.get(str(effect.get("trackerObjectUid")), [])
    rule_id = str(effect.get("ruleId"))
    kind = str(effect.get("type"))
    field_uid = effect.get("field") or None
    on_enrollment = effect.get("trackerObjectType") == "ENROLLMENT"
    for target in targets:
        rule = next((r for r in target.group.rules if r.uid == rule_id), None)
        if rule is None:
            continue
        if kind == "ERROR":
            if rule_id not in failed:
                failed.add(rule_id)
                yield RuleHit(target.sheet, target.row, None, "rule-engine-failed",
                              {"error": str(effect.get("data") or "")[:200]}, rule_id)
            continue
        action = next((a for a in rule.actions if a.type == kind and (a.field or None) == field_uid), None)
        if action is None:
            continue
        if on_enrollment and action.field_kind == "DATA_ELEMENT":
            continue
        if not on_enrollment and action.field_kind == "TRACKED_ENTITY_ATTRIBUTE":
            continue
        column = plan.field_column.get(field_uid) if field_uid else None
        if kind in MESSAGE_CODES:
            data = str(effect.get("data") or "").strip()
            message = " ".join(part for part in ((action.content or "").strip(), data) if part) or rule.name
            yield RuleHit(target.sheet, target.row, column, MESSAGE_CODES[kind], {"rule_message": message},
                          rule_id + message)
        elif kind == "SETMANDATORYFIELD" and field_uid and field_uid not in target.present:
            yield RuleHit(target.sheet, target.row, column, "rule-mandatory", {"rule": rule.name}, rule_id)
        elif kind == "HIDEFIELD" and field_uid and field_uid in target.present:
            yield RuleHit(target.sheet, target.row, column, "rule-hidden-value", {"rule": rule.name}, rule_id)
