"""The Node bridge to DHIS2's rule engine and expression parsers (the lower layer, no connector)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scdi.upstream import engines
from scdi.upstream.engines import (
    PROGRAM_INDICATOR,
    RULE_ACTION,
    RULE_CONDITION,
    EngineUnavailable,
    EnrollmentInput,
    EvaluationJob,
    EvaluationTarget,
    EventInput,
    ExpressionJob,
    RuleActionInput,
    RuleInput,
    RuleVariableInput,
    run_engines,
)

pytestmark = pytest.mark.skipif(not engines.engines_available(),
                                reason="Node.js or the DHIS2 npm engines are missing")


def test_parse_errors_type_errors_and_collections_in_one_process() -> None:
    answer = run_engines([
        ExpressionJob(id="ok", expression="d2:hasValue(#{age}) && #{age} >= 18", mode=RULE_CONDITION,
                      types={"age": "NUMBER"}, validate_types=True),
        ExpressionJob(id="syntax", expression="#{age} >", mode=RULE_CONDITION, validate_types=True,
                      types={"age": "NUMBER"}),
        ExpressionJob(id="unknown", expression="#{nobody} > 1", mode=RULE_CONDITION, validate_types=True),
        ExpressionJob(id="contains", expression="d2:contains(#{name}, 'a')", mode=RULE_CONDITION,
                      types={"name": "STRING"}, validate_types=True),
        ExpressionJob(id="action", expression="d2:concatenate('Age ', #{age})", mode=RULE_ACTION,
                      types={"age": "NUMBER"}, validate_types=True),
        ExpressionJob(id="pi", expression="#{AbcdefGhij1.Bcdefghijk2} + A{Cdefghijkl3}",
                      mode=PROGRAM_INDICATOR, engine="parser", validate_types=True),
    ])
    assert answer.versions["@dhis2/rule-engine"] == "3.3.9"
    assert answer.expression("ok").ok
    assert answer.expression("ok").variables == ["age"]
    syntax = answer.expression("syntax")
    assert not syntax.ok and syntax.stage == "parse"
    assert "line:1" in syntax.message
    unknown = answer.expression("unknown")
    assert not unknown.ok and unknown.stage == "validate"
    assert "nobody" in unknown.message
    assert answer.expression("contains").ok  # the engine's own parser knows d2:contains
    action = answer.expression("action")
    assert action.ok
    assert any("d2:concatenate" in w for w in action.warnings)  # a NUMBER where text is expected
    items = answer.expression("pi").data_items
    assert [(i.type, i.uid0, i.uid1) for i in items] == [
        ("DATA_ELEMENT", "AbcdefGhij1", ["Bcdefghijk2"]), ("ATTRIBUTE", "Cdefghijkl3", [])]


def _age_job(today: str | None) -> EvaluationJob:
    return EvaluationJob(
        id="age", today=today,
        rules=[
            RuleInput(uid="RuleAge0001", name="age", condition="d2:hasValue(#{dob})",
                      actions=[RuleActionInput(type="ASSIGN", field="TeaAge00001",
                                               data="d2:yearsBetween(#{dob}, V{current_date})",
                                               attribute_type="TRACKED_ENTITY_ATTRIBUTE")]),
            RuleInput(uid="RuleBrk0001", name="broken", condition="#{nobody} > 1",
                      actions=[RuleActionInput(type="SHOWWARNING", field="TeaAge00001", content="x")]),
        ],
        variables=[RuleVariableInput(type="TEI_ATTRIBUTE", name="dob", field="TeaDob00001", value_type="DATE")],
        enrollment=EnrollmentInput(uid="Enrollment1", enrolled_at="2025-01-15",
                                   attributes={"TeaDob00001": "2000-06-01"}),
        target=EvaluationTarget(type="ENROLLMENT", uid="Enrollment1"),
    )


def test_evaluate_all_with_a_fixed_today_and_a_broken_rule_as_error_effect() -> None:
    answer = run_engines(evaluations=[_age_job("2025-05-31")])
    result = answer.evaluation("age")
    assert result.ok
    assign = [e for e in result.effects if e.rule_id == "RuleAge0001"]
    assert [(e.type, e.field, e.data) for e in assign] == [("ASSIGN", "TeaAge00001", "24")]
    errors = [e for e in result.effects if e.rule_id == "RuleBrk0001"]
    assert [e.type for e in errors] == ["ERROR"]
    assert "nobody" in (errors[0].data or "")
    later = run_engines(evaluations=[_age_job("2025-06-01")]).evaluation("age")
    assert [e.data for e in later.effects if e.rule_id == "RuleAge0001"] == ["25"]


def test_event_target_sees_only_its_own_effects() -> None:
    job = EvaluationJob(
        id="ev",
        rules=[RuleInput(uid="RuleWarn001", condition="#{n} > 2", program_stage="StageAaaaa1",
                         actions=[RuleActionInput(type="SHOWWARNING", field="DataElemnt1", content="high")])],
        variables=[RuleVariableInput(type="DATAELEMENT_CURRENT_EVENT", name="n", field="DataElemnt1",
                                     value_type="NUMERIC")],
        events=[EventInput(uid="EventTarget", stage="StageAaaaa1", event_date="2025-03-01",
                           data_values={"DataElemnt1": "3"}),
                EventInput(uid="EventOther1", stage="StageAaaaa1", event_date="2025-02-01",
                           data_values={"DataElemnt1": "1"})],
        target=EvaluationTarget(type="EVENT", uid="EventTarget"),
    )
    result = run_engines(evaluations=[job]).evaluation("ev")
    assert [(e.type, e.content) for e in result.effects] == [("SHOWWARNING", "high")]


def test_node_modules_found_by_walking_up_from_the_package() -> None:
    assert (engines.find_node_modules() / "@dhis2" / "rule-engine").is_dir()


def test_missing_engines_raise_engine_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCDI_NODE_MODULES", str(tmp_path))
    with pytest.raises(EngineUnavailable):
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)])
    monkeypatch.delenv("SCDI_NODE_MODULES")
    monkeypatch.setenv("SCDI_NODE", str(tmp_path / "no-such-node"))
    with pytest.raises(EngineUnavailable):
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)])


def _fake_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    node = tmp_path / "node"
    node.write_text("#!/bin/sh\ncat >/dev/null\n" + script + "\n", encoding="utf-8")
    node.chmod(0o755)
    monkeypatch.setenv("SCDI_NODE", str(node))


@pytest.mark.parametrize("answer", [
    '{"expressions": [], "evaluations": [], "versions": {}}',  # a job without an answer
    '{"expressions": [{"id": "x", "ok": true}, {"id": "y", "ok": true}], "evaluations": []}',  # one unasked
    '{"expressions": [{"id": "x", "ok": true}, {"id": "x", "ok": true}], "evaluations": []}',  # twice
])
def test_an_answer_that_does_not_match_the_jobs_is_engine_unavailable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    _fake_node(tmp_path, monkeypatch, f"echo '{answer}'")
    with pytest.raises(EngineUnavailable, match="answered"):
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)])


def test_a_crash_or_stray_output_is_engine_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_node(tmp_path, monkeypatch, "echo '{\"expressions\": [' ; echo 'out of memory' >&2; exit 134")
    with pytest.raises(EngineUnavailable, match="out of memory"):
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)])
    _fake_node(tmp_path, monkeypatch, "echo 'DeprecationWarning: x'; echo '{\"expressions\": []}'")
    with pytest.raises(EngineUnavailable, match="unreadable"):
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)])


def test_a_node_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_node(tmp_path, monkeypatch, "exec sleep 30")
    with pytest.raises(EngineUnavailable, match="did not answer"):
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)], timeout=0.5)
