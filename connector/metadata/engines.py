"""DHIS2's own engines for the connector: `scdi.upstream.engines` with the connector's typed error.

The Node bridge to `@dhis2/rule-engine` and `@dhis2/expression-parser` lives in the lower layer
(`scdi.upstream.engines`), which the sandbox may use too and which cannot know the connector's
error tree. Here its `EngineUnavailable` becomes `scdi.connector.errors.EngineUnavailable` (an
`ScdiError`, exit code 2), message and hint unchanged; the job and answer models are the
upstream ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from scdi.connector.errors import EngineUnavailable
from scdi.upstream import engines as _upstream
from scdi.upstream.engines import (
    PROGRAM_INDICATOR,
    RULE_ACTION,
    RULE_CONDITION,
    DataItem,
    EngineAnswer,
    EnrollmentInput,
    EvaluationJob,
    EvaluationResult,
    EvaluationTarget,
    EventInput,
    ExpressionJob,
    ExpressionResult,
    RuleActionInput,
    RuleEffect,
    RuleInput,
    RuleVariableInput,
    UidRef,
    ValueTypeName,
    engines_available,
)

T = TypeVar("T")


@contextmanager
def typed_errors() -> Iterator[None]:
    """Inside: the lower layer's EngineUnavailable surfaces as the connector's."""
    try:
        yield
    except _upstream.EngineUnavailable as exc:
        raise EngineUnavailable(exc.message, hint=exc.hint) from exc


def _typed(call: Callable[[], T]) -> T:
    with typed_errors():
        return call()


def run_engines(
    expressions: Sequence[ExpressionJob] = (),
    evaluations: Sequence[EvaluationJob] = (),
    *,
    timeout: float = 120.0,
) -> EngineAnswer:
    """Parse every expression and run every evaluation in one Node process."""
    return _typed(lambda: _upstream.run_engines(expressions, evaluations, timeout=timeout))


def find_node_modules() -> Path:
    """The node_modules folder holding the DHIS2 engines."""
    return _typed(_upstream.find_node_modules)


def find_node() -> str:
    return _typed(_upstream.find_node)


__all__ = [
    "PROGRAM_INDICATOR",
    "RULE_ACTION",
    "RULE_CONDITION",
    "DataItem",
    "EngineAnswer",
    "EngineUnavailable",
    "EnrollmentInput",
    "EvaluationJob",
    "EvaluationResult",
    "EvaluationTarget",
    "EventInput",
    "ExpressionJob",
    "ExpressionResult",
    "RuleActionInput",
    "RuleEffect",
    "RuleInput",
    "RuleVariableInput",
    "UidRef",
    "ValueTypeName",
    "engines_available",
    "find_node",
    "find_node_modules",
    "run_engines",
    "typed_errors",
]
