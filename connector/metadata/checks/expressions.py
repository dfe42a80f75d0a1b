"""Expressions: rule conditions, action data and program indicators, parsed by DHIS2's parsers.

Rule conditions and action data go through the parser bundled in `@dhis2/rule-engine` (the one
the apps evaluate with) and are type-checked against the program's rule variables, so an
unknown `#{var}`/`A{var}` or a type mismatch is found before a phone meets it. Program
indicator expressions go through `@dhis2/expression-parser`; filters are parsed only (the
parser has no filter mode and would demand a number). Every `#{stage.de}`, `A{tea}`, `C{}` and
`I{}` of a program indicator must point at an object of the indicator's program.

The module only builds jobs and reads answers; `validate.py` runs all jobs in one Node process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.engines import (
    PROGRAM_INDICATOR,
    RULE_ACTION,
    RULE_CONDITION,
    DataItem,
    EngineAnswer,
    ExpressionJob,
    ValueTypeName,
)
from scdi.connector.metadata.index import Obj, PackageIndex, ref_id
from scdi.connector.metadata.programs import Model

DATE_TYPES = {"DATE", "DATETIME", "AGE", "TIME"}
NUMBER_TYPES = {"NUMBER", "UNIT_INTERVAL", "PERCENTAGE", "INTEGER", "INTEGER_POSITIVE",
                "INTEGER_NEGATIVE", "INTEGER_ZERO_OR_POSITIVE"}
BOOLEAN_TYPES = {"BOOLEAN", "TRUE_ONLY"}


def item_type(value_type: object) -> ValueTypeName:
    """DHIS2 ValueType → the parser's type (DefaultProgramRuleEntityMapperService#getItemValueType)."""
    if value_type in DATE_TYPES:
        return "DATE"
    if value_type in NUMBER_TYPES:
        return "NUMBER"
    if value_type in BOOLEAN_TYPES:
        return "BOOLEAN"
    return "STRING"


def variable_value_type(index: PackageIndex, variable: Obj) -> object:
    source = variable.data.get("programRuleVariableSourceType")
    if source == "CALCULATED_VALUE":
        return variable.data.get("valueType") or "TEXT"
    key = "trackedEntityAttribute" if source == "TEI_ATTRIBUTE" else "dataElement"
    target = index.get(ref_id(variable.data.get(key)))
    return target.data.get("valueType") if target else variable.data.get("valueType")


def variable_types(index: PackageIndex, program_uid: str) -> dict[str, ValueTypeName]:
    types: dict[str, ValueTypeName] = {}
    for variable in index.of_type("programRuleVariable"):
        name = variable.data.get("name")
        if isinstance(name, str) and ref_id(variable.data.get("program")) == program_uid:
            types[name] = item_type(variable_value_type(index, variable))
    for constant in index.of_type("constant"):
        if constant.uid:
            types[constant.uid] = "NUMBER"
    return types


@dataclass
class ExpressionPlan:
    jobs: list[ExpressionJob] = field(default_factory=list)
    # job id → (object, property, kind) for reading the answer back
    origins: dict[str, tuple[Obj, str, str]] = field(default_factory=dict)

    def add(self, obj: Obj, prop: str, kind: str, job: ExpressionJob) -> None:
        self.jobs.append(job)
        self.origins[job.id] = (obj, prop, kind)


def plan_expressions(index: PackageIndex, model: Model) -> ExpressionPlan:
    plan = ExpressionPlan()
    types_by_program: dict[str, dict[str, ValueTypeName]] = {}

    def types_for(program_uid: str) -> dict[str, ValueTypeName]:
        if program_uid not in types_by_program:
            types_by_program[program_uid] = variable_types(index, program_uid)
        return types_by_program[program_uid]

    for rule in index.of_type("programRule"):
        condition = rule.data.get("condition")
        program_uid = ref_id(rule.data.get("program")) or ""
        if isinstance(condition, str) and condition.strip():
            plan.add(rule, "condition", "rule condition", ExpressionJob(
                id=f"e{len(plan.jobs)}", expression=condition, mode=RULE_CONDITION, engine="rule",
                types=types_for(program_uid), validate_types=True))
        for action in model.actions_of_rule.get(rule.uid or "", []):
            data = action.data.get("data")
            if isinstance(data, str) and data.strip():
                plan.add(action, "data", "action data", ExpressionJob(
                    id=f"e{len(plan.jobs)}", expression=data, mode=RULE_ACTION, engine="rule",
                    types=types_for(program_uid), validate_types=True))
    for indicator in index.of_type("programIndicator"):
        for prop, validate in (("expression", True), ("filter", False)):
            text = indicator.data.get(prop)
            if isinstance(text, str) and text.strip():
                plan.add(indicator, prop, f"program indicator {prop}", ExpressionJob(
                    id=f"e{len(plan.jobs)}", expression=text, mode=PROGRAM_INDICATOR,
                    engine="parser", validate_types=validate))
    return plan


def broken_rules(index: PackageIndex, model: Model, plan: ExpressionPlan,
                 answer: EngineAnswer) -> frozenset[str]:
    """Rules whose condition or action data did not parse or type-check."""
    broken: set[str] = set()
    for result in answer.expressions:
        if result.ok:
            continue
        obj, _, _ = plan.origins[result.id]
        if obj.type == "programRule" and obj.uid:
            broken.add(obj.uid)
        elif obj.type == "programRuleAction":
            rule = model.rule_of_action.get(obj.uid or "")
            if rule is not None and rule.uid:
                broken.add(rule.uid)
    return frozenset(broken)


# Syntax DHIS2's server evaluates but the npm parser (1.1.0) does not know. Such an expression is
# neither right nor wrong as far as we can tell, so it is a warning, not an error.
PARSER_GAPS = {
    # dhis-service-core program/dataitem/ProgramItemPsEventdate.java (the event date of a stage
    # in a program indicator; also used by AnalyticsPeriodBoundary)
    "PS_EVENTDATE:": "@dhis2/expression-parser does not know PS_EVENTDATE:<stage>, which DHIS2's "
                     "server evaluates in program indicators",
}


def _parser_gap(message: str | None) -> str | None:
    text = message or ""
    return next((why for token, why in PARSER_GAPS.items() if f"'{token}" in text), None)


# Type warnings of DHIS2's parser that are not problems: d2:concatenate joins its arguments
# as text whatever their type (the rule engine's D2Concatenate stringifies every value), so a
# date or a number there is fine.
QUIET_TYPE_WARNINGS = re.compile(r"argument of d2:concatenate, expected STRING")


def read_expressions(index: PackageIndex, model: Model, plan: ExpressionPlan,
                     answer: EngineAnswer) -> list[Finding]:
    findings: list[Finding] = []
    for result in answer.expressions:
        obj, prop, kind = plan.origins[result.id]
        if not result.ok:
            gap = _parser_gap(result.message) if result.stage == "parse" else None
            if gap is not None:
                findings.append(index.finding(
                    Severity.WARNING, "expressions.unchecked",
                    f"the {kind} cannot be checked here: {gap}", obj, prop))
                continue
            check = "expressions.parse" if result.stage == "parse" else "expressions.invalid"
            what = "does not parse" if result.stage == "parse" else "is not valid"
            findings.append(index.finding(
                Severity.ERROR, check, f"the {kind} {what}: {result.message}", obj, prop))
            continue
        for warning in result.warnings:
            if QUIET_TYPE_WARNINGS.search(warning):
                continue
            findings.append(index.finding(
                Severity.WARNING, "expressions.type-warning", f"the {kind}: {warning}", obj, prop))
        if obj.type == "programIndicator":
            findings += _indicator_items(index, model, obj, prop, result.data_items)
    return findings


def _indicator_items(index: PackageIndex, model: Model, indicator: Obj, prop: str,
                     items: list[DataItem]) -> list[Finding]:
    findings: list[Finding] = []
    program = model.programs.get(ref_id(indicator.data.get("program")) or "")
    for item in items:
        problem = None
        if item.type in ("DATA_ELEMENT", "PROGRAM_DATA_ELEMENT") and item.uid1:
            stage, element = item.uid0, item.uid1[0]
            if program is not None and stage not in program.stage_data_elements:
                problem = f"#{{{stage}.{element}}}: stage {stage} is not a stage of the indicator's program"
            elif program is not None and element not in program.stage_data_elements.get(stage, set()):
                problem = f"#{{{stage}.{element}}}: data element {element} is not in stage {stage}"
        elif item.type in ("DATA_ELEMENT", "PROGRAM_DATA_ELEMENT"):
            # d2:minValue/d2:maxValue(PS_EVENTDATE:<stage>) comes back from the npm parser as an
            # item with the stage's UID only (dhis2-core ProgramMinMaxFunction: "arg:
            # PS_EVENTDATE:programStageUid" when there is no second UID)
            if program is not None and item.uid0 in program.stage_data_elements:
                continue
            if program is not None and item.uid0 not in program.data_elements:
                problem = f"#{{{item.uid0}}}: data element is not in the indicator's program"
        elif item.type == "ATTRIBUTE":
            if program is not None and item.uid0 not in program.attributes:
                problem = f"A{{{item.uid0}}}: attribute is not in the indicator's program"
        elif item.type in ("CONSTANT", "PROGRAM_INDICATOR") and not index.is_known(item.uid0):
            problem = f"{item.type.lower()} {item.uid0} is not in the package"
        if problem:
            findings.append(index.finding(Severity.ERROR, "expressions.unresolved",
                                          f"the program indicator {prop} uses {problem}", indicator, prop))
    return findings
