"""DHIS2's own expression parsers and program rule engine, run in one Node process.

The npm packages `@dhis2/rule-engine` (the engine Android Capture and the web Capture app
run) and `@dhis2/expression-parser` are the reference for what DHIS2 accepts; re-implementing
them in Python would be a guess. Each Node start costs ~0.4 s, so a caller gathers every
expression and every rule test case of a validation run and calls `run_engines` once.

Finding node_modules: `SCDI_NODE_MODULES`, else a `node_modules` folder next to or above this
package's directory (an editable install, or a run from the repository), else above the current
working directory. Node itself: `SCDI_NODE`, else `node` on PATH. Either missing raises
`EngineUnavailable`.

Both the connector (the metadata checks, later roster validation) and the sandbox may call this
module; it imports neither. Its `EngineUnavailable` is a plain exception with a hint; the
connector surfaces it as its own typed error (`scdi.connector.metadata.engines`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class EngineUnavailable(Exception):
    """Node or the DHIS2 npm engines are not installed, or they did not answer properly."""

    default_hint = "Install Node.js 18+ and run `npm ci` in the scdi-groups folder (the set-up script does both)."

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

BRIDGE = Path(__file__).with_name("node") / "bridge.cjs"
REQUIRED_MODULES = ("@dhis2/rule-engine", "@dhis2/expression-parser", "@js-joda/core")

# Modes of the parsers (ExpressionMode in both npm packages).
RULE_CONDITION = "RULE_ENGINE_CONDITION"
RULE_ACTION = "RULE_ENGINE_ACTION"
PROGRAM_INDICATOR = "PROGRAM_INDICATOR_EXPRESSION"

ValueTypeName = Literal["STRING", "NUMBER", "BOOLEAN", "DATE"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class ExpressionJob(_Model):
    """One expression to parse. `engine="rule"` uses the parser bundled in the rule engine
    (rule conditions and action data), `engine="parser"` the standalone expression parser
    (program indicator expressions and filters). `validate` also type-checks, with `types`
    mapping each program rule variable name (and constant UID) to its value type."""

    id: str
    expression: str
    mode: str
    engine: Literal["rule", "parser"] = "rule"
    types: dict[str, ValueTypeName] = Field(default_factory=dict)
    validate_types: bool = Field(default=False, serialization_alias="validate")


class DataItem(_Model):
    type: str
    uid0: str
    uid1: list[str] = Field(default_factory=list)
    uid2: list[str] = Field(default_factory=list)


class UidRef(_Model):
    type: str
    value: str


class ExpressionResult(_Model):
    id: str
    ok: bool
    stage: Literal["parse", "collect", "validate"] | None = None
    error: str | None = None
    issues: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    variables: list[str] = Field(default_factory=list)
    program_variables: list[str] = Field(default_factory=list, alias="programVariables")
    uids: list[UidRef] = Field(default_factory=list)
    data_items: list[DataItem] = Field(default_factory=list, alias="dataItems")

    @property
    def message(self) -> str:
        """The error as one readable line: parse position or the type checker's issues."""
        if self.ok:
            return ""
        if self.issues:
            return "; ".join(self.issues)
        lines = [line.strip() for line in (self.error or "").splitlines() if line.strip()]
        if len(lines) >= 2 and lines[1].startswith("at line"):
            return f"{lines[0]} ({lines[1]})"
        return lines[0] if lines else "unreadable expression"


class RuleActionInput(_Model):
    type: str
    data: str | None = None
    field: str | None = None
    content: str | None = None
    attribute_type: str | None = Field(default=None, serialization_alias="attributeType")
    location: str | None = None


class RuleInput(_Model):
    uid: str
    name: str | None = None
    condition: str
    priority: int | None = None
    program_stage: str | None = Field(default=None, serialization_alias="programStage")
    actions: list[RuleActionInput] = Field(default_factory=list)


class RuleVariableInput(_Model):
    type: str
    name: str
    field: str = ""
    value_type: Literal["TEXT", "NUMERIC", "BOOLEAN", "DATE"] = Field(
        default="TEXT", serialization_alias="valueType"
    )
    use_code_for_option_set: bool = Field(default=False, serialization_alias="useCodeForOptionSet")
    options: list[tuple[str, str]] = Field(default_factory=list)
    program_stage: str | None = Field(default=None, serialization_alias="programStage")


class EnrollmentInput(_Model):
    uid: str
    program_name: str = Field(default="", serialization_alias="programName")
    enrolled_at: str = Field(serialization_alias="enrolledAt")
    occurred_at: str | None = Field(default=None, serialization_alias="occurredAt")
    status: str = "ACTIVE"
    org_unit: str = Field(default="", serialization_alias="orgUnit")
    attributes: dict[str, str] = Field(default_factory=dict)


class EventInput(_Model):
    uid: str
    stage: str
    stage_name: str = Field(default="", serialization_alias="stageName")
    status: str = "ACTIVE"
    event_date: str | None = Field(default=None, serialization_alias="eventDate")
    due_date: str | None = Field(default=None, serialization_alias="dueDate")
    org_unit: str = Field(default="", serialization_alias="orgUnit")
    data_values: dict[str, str] = Field(default_factory=dict, serialization_alias="dataValues")


class EvaluationTarget(_Model):
    type: Literal["EVENT", "ENROLLMENT"]
    uid: str


class EvaluationJob(_Model):
    """A rule engine run: every rule and variable of one program, one enrollment (or none for
    an event program), its events, and the tracker object whose effects are wanted. `today`
    fixes the engine's clock (V{current_date}) for deterministic test cases."""

    id: str
    today: str | None = None
    rules: list[RuleInput]
    variables: list[RuleVariableInput]
    constants: dict[str, str] = Field(default_factory=dict)
    enrollment: EnrollmentInput | None = None
    events: list[EventInput] = Field(default_factory=list)
    target: EvaluationTarget


class RuleEffect(_Model):
    rule_id: str = Field(alias="ruleId")
    type: str
    data: str | None = None
    action_data: str | None = Field(default=None, alias="actionData")
    field: str | None = None
    content: str | None = None
    attribute_type: str | None = Field(default=None, alias="attributeType")


class EvaluationResult(_Model):
    id: str
    ok: bool
    error: str | None = None
    effects: list[RuleEffect] = Field(default_factory=list)
    engine_errors: list[str] = Field(default_factory=list, alias="engineErrors")


class IndicatorRow(_Model):
    """One analytics row for a program indicator expression: its program variables by name and
    its data items by `DATA_ELEMENT:stage.element` / `ATTRIBUTE:attribute`."""

    variables: dict[str, Any] = Field(default_factory=dict)
    items: dict[str, Any] = Field(default_factory=dict)


class IndicatorJob(_Model):
    id: str
    expression: str
    rows: list[IndicatorRow] = Field(default_factory=list)


class IndicatorResult(_Model):
    id: str
    ok: bool
    error: str | None = None
    values: list[Any] = Field(default_factory=list)


class EngineAnswer(_Model):
    expressions: list[ExpressionResult] = Field(default_factory=list)
    evaluations: list[EvaluationResult] = Field(default_factory=list)
    indicators: list[IndicatorResult] = Field(default_factory=list)
    versions: dict[str, str | None] = Field(default_factory=dict)

    def expression(self, job_id: str) -> ExpressionResult:
        for result in self.expressions:
            if result.id == job_id:
                return result
        raise KeyError(job_id)

    def evaluation(self, job_id: str) -> EvaluationResult:
        for result in self.evaluations:
            if result.id == job_id:
                return result
        raise KeyError(job_id)


def _has_modules(folder: Path) -> bool:
    return all((folder / name / "package.json").is_file() for name in REQUIRED_MODULES)


def find_node_modules() -> Path:
    """The node_modules folder holding the DHIS2 engines, or EngineUnavailable."""
    configured = os.environ.get("SCDI_NODE_MODULES")
    if configured:
        folder = Path(configured)
        if _has_modules(folder):
            return folder
        raise EngineUnavailable(
            f"SCDI_NODE_MODULES={configured} does not hold {', '.join(REQUIRED_MODULES)}"
        )
    starts = [Path(__file__).resolve().parent, Path.cwd().resolve()]
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / "node_modules"
            if _has_modules(candidate):
                return candidate
    raise EngineUnavailable(
        "the DHIS2 rule engine and expression parser (npm packages "
        f"{', '.join(REQUIRED_MODULES)}) were not found in any node_modules folder"
    )


def find_node() -> str:
    node = os.environ.get("SCDI_NODE") or shutil.which("node")
    if not node:
        raise EngineUnavailable("Node.js (`node`) is not on PATH")
    return node


def engines_available() -> bool:
    try:
        find_node()
        find_node_modules()
    except EngineUnavailable:
        return False
    return True


def run_engines(
    expressions: Sequence[ExpressionJob] = (),
    evaluations: Sequence[EvaluationJob] = (),
    *,
    indicators: Sequence[IndicatorJob] = (),
    timeout: float = 120.0,
) -> EngineAnswer:
    """Parse every expression, run every evaluation and evaluate every program indicator
    expression on its rows, in one Node process."""
    if not expressions and not evaluations and not indicators:
        return EngineAnswer()
    node = find_node()
    modules = find_node_modules()
    request: dict[str, Any] = {
        "expressions": [job.model_dump(by_alias=True) for job in expressions],
        "evaluations": [job.model_dump(by_alias=True, exclude_none=True) for job in evaluations],
        "indicators": [job.model_dump() for job in indicators],
    }
    env = {**os.environ, "NODE_PATH": str(modules), "TZ": "UTC"}
    try:
        completed = subprocess.run(
            [node, str(BRIDGE)],
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise EngineUnavailable(f"could not start Node.js: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise EngineUnavailable(
            f"the DHIS2 engines did not answer within {timeout:.0f} s",
            hint="Run again; if it repeats, validate a smaller package or report the package.",
        ) from exc
    if completed.returncode != 0:
        tail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise EngineUnavailable(
            "the DHIS2 engines failed: " + (" | ".join(tail) or f"exit {completed.returncode}")
        )
    try:
        answer = EngineAnswer.model_validate_json(completed.stdout)
    except ValueError as exc:
        raise EngineUnavailable(f"the DHIS2 engines answered something unreadable: {exc}") from exc
    # Callers read the answers, not the jobs: a job without its answer would pass unchecked.
    for kind, asked, answered in (("expressions", [j.id for j in expressions], [r.id for r in answer.expressions]),
                                  ("evaluations", [j.id for j in evaluations], [r.id for r in answer.evaluations]),
                                  ("indicators", [j.id for j in indicators], [r.id for r in answer.indicators])):
        if sorted(asked) != sorted(answered):
            missing, unasked = sorted(set(asked) - set(answered)), sorted(set(answered) - set(asked))
            raise EngineUnavailable(
                f"the DHIS2 engines answered {len(answered)} of {len(asked)} {kind} "
                f"(missing {missing[:5]}, not asked {unasked[:5]})",
                hint="Run again; if it repeats, report it with the package that causes it.")
    return answer
