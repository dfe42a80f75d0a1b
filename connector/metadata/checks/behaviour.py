"""Behaviour: each program rule's test cases, run through DHIS2's rule engine.

Test files (`metadata/rule-tests/*.json`):

    {"program": "<program uid>",
     "cases": [{"id": "kebab-name", "rule": "<rule uid>", "stage": "<stage uid>|null",
                "enrolledAt": "2025-01-15", "occurredAt": "2025-01-15", "eventDate": "2025-03-01",
                "today": "2025-03-01",                     # optional: fixes V{current_date}
                "attributes": {"<tea uid>": "v"}, "dataValues": {"<de uid>": "v"},
                "otherEvents": [{"stage": "<uid>", "eventDate": "…", "dataValues": {…}}],
                "expect": [{"type": "SHOWWARNING", "field": "<uid>", "data": "…", "content": "…"}]}]}

The whole program's rules and variables go to `evaluateAll` (rules feed each other through
ASSIGN and priorities), then only the named rule's effects are compared: each expected effect
must be produced with the given keys equal; a non-empty `expect` allows no other effect types;
`expect: []` allows none. A rule whose condition breaks comes back as an ERROR effect
(evaluateEvent would drop it silently). Every rule should have a case where it fires and one
where it does not.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scdi.connector.findings import Finding, Severity, finding
from scdi.connector.metadata.checks.expressions import item_type, variable_value_type
from scdi.connector.metadata.engines import (
    EngineAnswer,
    EnrollmentInput,
    EvaluationJob,
    EvaluationTarget,
    EventInput,
    RuleActionInput,
    RuleEffect,
    RuleInput,
    RuleVariableInput,
)
from scdi.connector.metadata.index import Obj, PackageIndex, ref_id, ref_ids
from scdi.connector.metadata.programs import Model

ENROLLMENT_UID = "enrollmentA"
TARGET_EVENT_UID = "eventTarget"


class ExpectedEffect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str
    field: str | None = None
    data: str | None = None
    content: str | None = None


class OtherEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    stage: str
    event_date: str = Field(alias="eventDate")
    status: str = "COMPLETED"
    data_values: dict[str, str] = Field(default_factory=dict, alias="dataValues")


class RuleCase(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str
    rule: str
    stage: str | None = None
    enrolled_at: str = Field(default="2025-01-15", alias="enrolledAt")
    occurred_at: str | None = Field(default=None, alias="occurredAt")
    event_date: str | None = Field(default=None, alias="eventDate")
    today: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)
    data_values: dict[str, str] = Field(default_factory=dict, alias="dataValues")
    other_events: list[OtherEvent] = Field(default_factory=list, alias="otherEvents")
    expect: list[ExpectedEffect]


class RuleTestFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    program: str
    cases: list[RuleCase]


@dataclass
class LoadedTests:
    files: list[tuple[str, RuleTestFile]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def load_rule_tests(paths: Sequence[Path], *, label_root: Path | None = None) -> LoadedTests:
    loaded = LoadedTests()
    for path in sorted(paths):
        label = str(path.relative_to(label_root)) if label_root and path.is_relative_to(label_root) else str(path)
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            loaded.files.append((label, RuleTestFile.model_validate(data)))
        except (OSError, ValueError, ValidationError) as exc:
            detail = str(exc).splitlines()
            loaded.findings.append(finding(
                Severity.ERROR, "behaviour.test-file", "unreadable rule test file: " + " ".join(detail[:3]),
                file=label))
    return loaded


@dataclass
class BehaviourPlan:
    jobs: list[EvaluationJob] = field(default_factory=list)
    cases: dict[str, tuple[str, RuleCase]] = field(default_factory=dict)  # job id → (file, case)
    findings: list[Finding] = field(default_factory=list)


def _rule_input(index: PackageIndex, model: Model, rule: Obj) -> RuleInput:
    actions = []
    for action in model.actions_of_rule.get(rule.uid or "", []):
        data = action.data
        de, tea = ref_id(data.get("dataElement")), ref_id(data.get("trackedEntityAttribute"))
        field_uid = (de or tea or ref_id(data.get("programStageSection"))
                     or ref_id(data.get("programStage")) or None)
        actions.append(RuleActionInput(
            type=str(data.get("programRuleActionType") or ""),
            data=data.get("data") if isinstance(data.get("data"), str) else None,
            field=field_uid,
            content=data.get("content") if isinstance(data.get("content"), str) else None,
            attribute_type="DATA_ELEMENT" if de else "TRACKED_ENTITY_ATTRIBUTE" if tea else "UNKNOWN",
            location=data.get("location") if isinstance(data.get("location"), str) else None,
        ))
    priority = rule.data.get("priority")
    return RuleInput(uid=rule.uid or "", name=rule.label, condition=str(rule.data.get("condition") or ""),
                     priority=priority if isinstance(priority, int) else None,
                     program_stage=ref_id(rule.data.get("programStage")), actions=actions)


def _variable_input(index: PackageIndex, variable: Obj) -> RuleVariableInput:
    source = str(variable.data.get("programRuleVariableSourceType") or "CALCULATED_VALUE")
    key = "trackedEntityAttribute" if source == "TEI_ATTRIBUTE" else "dataElement"
    target = index.get(ref_id(variable.data.get(key)))
    options: list[tuple[str, str]] = []
    if target is not None and not variable.data.get("useCodeForOptionSet"):
        option_set = index.get(ref_id(target.data.get("optionSet")), "optionSet")
        for uid in ref_ids(option_set.data.get("options")) if option_set else []:
            option = index.get(uid, "option")
            if option is not None:
                options.append((str(option.data.get("name") or ""), str(option.data.get("code") or "")))
    kind = item_type(variable_value_type(index, variable))
    value_type = {"STRING": "TEXT", "NUMBER": "NUMERIC", "BOOLEAN": "BOOLEAN", "DATE": "DATE"}[kind]
    return RuleVariableInput(
        type=source, name=str(variable.data.get("name") or ""),
        field=(target.uid or "") if target is not None else (variable.uid or ""),
        value_type=value_type,  # type: ignore[arg-type]
        use_code_for_option_set=bool(variable.data.get("useCodeForOptionSet")),
        options=options, program_stage=ref_id(variable.data.get("programStage")))


def plan_behaviour(index: PackageIndex, model: Model, tests: LoadedTests) -> BehaviourPlan:
    plan = BehaviourPlan(findings=list(tests.findings))
    constants = {c.uid: str(c.data.get("value", 0)) for c in index.of_type("constant") if c.uid}
    for label, test_file in tests.files:
        program = model.programs.get(test_file.program)
        if program is None:
            plan.findings.append(finding(Severity.ERROR, "behaviour.test-file",
                                         f"program {test_file.program} is not in the package", file=label))
            continue
        rules = [_rule_input(index, model, r) for r in index.of_type("programRule")
                 if ref_id(r.data.get("program")) == program.uid]
        variables = [_variable_input(index, v) for v in index.of_type("programRuleVariable")
                     if ref_id(v.data.get("program")) == program.uid]
        stage_names = {s.uid: str(s.data.get("name") or "") for s in program.stages}
        registration = program.program.data.get("programType") != "WITHOUT_REGISTRATION"
        for case in test_file.cases:
            problem = _case_problem(index, model, program.uid, case, stage_names)
            if problem:
                plan.findings.append(finding(Severity.ERROR, "behaviour.test-case", f"case {case.id!r}: {problem}",
                                             file=label, object_type="programRule", uid=case.rule))
                continue
            events = [EventInput(uid=f"evOther{n:04d}", stage=other.stage,
                                 stage_name=stage_names.get(other.stage, ""), status=other.status,
                                 event_date=other.event_date, data_values=other.data_values)
                      for n, other in enumerate(case.other_events)]
            if case.stage:
                events.append(EventInput(uid=TARGET_EVENT_UID, stage=case.stage,
                                         stage_name=stage_names.get(case.stage, ""),
                                         event_date=case.event_date or case.enrolled_at,
                                         data_values=case.data_values))
            enrollment = EnrollmentInput(
                uid=ENROLLMENT_UID, program_name=str(program.program.data.get("name") or ""),
                enrolled_at=case.enrolled_at, occurred_at=case.occurred_at or case.enrolled_at,
                attributes=case.attributes) if registration else None
            target = (EvaluationTarget(type="EVENT", uid=TARGET_EVENT_UID) if case.stage
                      else EvaluationTarget(type="ENROLLMENT", uid=ENROLLMENT_UID))
            job = EvaluationJob(id=f"b{len(plan.jobs)}", today=case.today, rules=rules,
                                variables=variables, constants=constants, enrollment=enrollment,
                                events=events, target=target)
            plan.jobs.append(job)
            plan.cases[job.id] = (label, case)
    return plan


def _case_problem(index: PackageIndex, model: Model, program_uid: str, case: RuleCase,
                  stage_names: dict[str | None, str]) -> str | None:
    rule = index.get(case.rule, "programRule")
    if rule is None:
        return f"rule {case.rule} is not in the package"
    if ref_id(rule.data.get("program")) != program_uid:
        return f"rule {case.rule} belongs to another program"
    if case.stage and case.stage not in stage_names:
        return f"stage {case.stage} is not a stage of program {program_uid}"
    program = model.programs[program_uid]
    for uid in case.attributes:
        if uid not in program.attributes:
            return f"attribute {uid} is not an attribute of the program"
    for uid in case.data_values:
        if case.stage and uid not in program.stage_data_elements.get(case.stage, set()):
            return f"data element {uid} is not in stage {case.stage}"
    for other in case.other_events:
        if other.stage not in stage_names:
            return f"other event stage {other.stage} is not a stage of the program"
    return None


def _describe(effect: RuleEffect) -> str:
    parts = [effect.type]
    if effect.field:
        parts.append(f"field={effect.field}")
    if effect.data not in (None, ""):
        parts.append(f"data={effect.data!r}")
    return " ".join(parts)


def _matches(effect: RuleEffect, expected: ExpectedEffect) -> bool:
    if effect.type != expected.type:
        return False
    return all(getattr(expected, key) is None or getattr(effect, key) == getattr(expected, key)
               for key in ("field", "data", "content"))


def read_behaviour(index: PackageIndex, model: Model, plan: BehaviourPlan, answer: EngineAnswer,
                   *, strict: bool, broken_rules: frozenset[str] = frozenset()) -> list[Finding]:
    """`broken_rules`: rules whose expressions already failed to parse; their cases are not
    reported again (the defect is one finding, not one per case)."""
    findings = list(plan.findings)
    fired: dict[str, set[bool]] = {}
    for result in answer.evaluations:
        label, case = plan.cases[result.id]
        rule = index.get(case.rule, "programRule")

        def fail(message: str, check: str = "behaviour.case-failed", *, rule: Obj | None = rule,
                 case: RuleCase = case, label: str = label) -> Finding:
            return finding(Severity.ERROR, check, f"case {case.id!r}: {message}", file=label,
                           object_type="programRule", name=rule.label if rule else None,
                           uid=case.rule, property="condition")

        fired.setdefault(case.rule, set()).add(bool(case.expect))
        if case.rule in broken_rules:
            continue
        if not result.ok:
            findings.append(fail(f"the rule engine failed: {result.error}", "behaviour.engine-error"))
            continue
        own = [e for e in result.effects if e.rule_id == case.rule]
        errors = [e for e in own if e.type == "ERROR"]
        if errors:
            findings.append(fail(f"the rule raised an error in the engine: {errors[0].data}",
                                 "behaviour.rule-error"))
            continue
        if not case.expect and own:
            findings.append(fail("expected no effect, got " + "; ".join(_describe(e) for e in own)))
            continue
        for expected in case.expect:
            if not any(_matches(effect, expected) for effect in own):
                got = "; ".join(_describe(e) for e in own) or "no effect"
                want = _describe(RuleEffect(ruleId=case.rule, type=expected.type, field=expected.field,
                                            data=expected.data, content=expected.content))
                findings.append(fail(f"expected {want}, got {got}"))
        allowed = {e.type for e in case.expect}
        extra = sorted({e.type for e in own} - allowed)
        if case.expect and extra:
            findings.append(fail(f"unexpected effect type(s) {', '.join(extra)}"))
    findings += _coverage(index, plan, fired, strict=strict)
    return findings


def _coverage(index: PackageIndex, plan: BehaviourPlan, fired: dict[str, set[bool]],
              *, strict: bool) -> list[Finding]:
    tested_programs: set[str | None] = set()
    for _, case in plan.cases.values():
        tested = index.get(case.rule, "programRule")
        if tested is not None:
            tested_programs.add(ref_id(tested.data.get("program")))
    findings: list[Finding] = []
    for rule in index.of_type("programRule"):
        program_uid = ref_id(rule.data.get("program"))
        if not strict and program_uid not in tested_programs:
            continue
        kinds = fired.get(rule.uid or "", set())
        if not kinds:
            findings.append(index.finding(
                Severity.ERROR if strict else Severity.WARNING, "behaviour.untested",
                "no test case: add one where the rule fires and one where it does not",
                rule, "condition"))
            continue
        for kind, what in ((True, "fires"), (False, "does not fire")):
            if kind not in kinds:
                findings.append(index.finding(
                    Severity.WARNING, "behaviour.coverage",
                    f"no test case where the rule {what}", rule, "condition"))
    return findings
