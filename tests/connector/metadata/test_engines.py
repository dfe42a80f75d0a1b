"""The connector's face of DHIS2's engines: the lower layer's error surfaces as the connector's
typed EngineUnavailable (exit code 2), message and hint kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from scdi.connector.errors import EXIT_USAGE, EngineUnavailable, ScdiError
from scdi.connector.metadata.engines import RULE_CONDITION, ExpressionJob, find_node, find_node_modules, run_engines
from scdi.upstream import engines as upstream

from .conftest import requires_engines


@requires_engines
def test_missing_engines_raise_engine_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCDI_NODE_MODULES", str(tmp_path))
    with pytest.raises(EngineUnavailable):
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)])
    monkeypatch.delenv("SCDI_NODE_MODULES")
    monkeypatch.setenv("SCDI_NODE", str(tmp_path / "no-such-node"))
    with pytest.raises(EngineUnavailable):
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)])


def test_the_typed_error_keeps_the_lower_layers_message_and_hint(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCDI_NODE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no node anywhere
    with pytest.raises(EngineUnavailable, match="not on PATH") as caught:
        find_node()
    error = caught.value
    assert isinstance(error, ScdiError) and error.exit_code == EXIT_USAGE
    assert isinstance(error.__cause__, upstream.EngineUnavailable)
    assert error.message == error.__cause__.message and error.hint == error.__cause__.hint
    assert "npm ci" in error.hint
    monkeypatch.setenv("SCDI_NODE_MODULES", str(tmp_path))
    with pytest.raises(EngineUnavailable, match="SCDI_NODE_MODULES"):
        find_node_modules()


@requires_engines
def test_a_hanging_node_keeps_its_own_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    node = tmp_path / "node"
    node.write_text("#!/bin/sh\ncat >/dev/null\nexec sleep 30\n", encoding="utf-8")
    node.chmod(0o755)
    monkeypatch.setenv("SCDI_NODE", str(node))
    with pytest.raises(EngineUnavailable, match="did not answer") as caught:
        run_engines([ExpressionJob(id="x", expression="1", mode=RULE_CONDITION)], timeout=0.5)
    assert caught.value.hint.startswith("Run again")


@requires_engines
def test_a_known_parser_gap_is_a_warning_not_an_error(built_package) -> None:
    """PS_EVENTDATE:<stage> is DHIS2 server syntax the npm parser does not know."""
    import copy

    from scdi.connector.metadata.validate import validate_package

    package = copy.deepcopy(built_package)

    indicator = next(pi for pi in package["programIndicators"] if pi.get("analyticsType") == "ENROLLMENT")
    stage = package["programStages"][0]["id"]
    indicator["filter"] = f"d2:daysBetween(PS_EVENTDATE:{stage}, V{{analytics_period_end}}) < 60"
    findings = validate_package(package, strict=True).findings
    mine = [f for f in findings if f.uid == indicator["id"]]
    assert [f.code for f in mine] == ["expressions.unchecked"]
    assert mine[0].severity.value == "WARNING"
    # a real syntax error in the same place is still an error
    indicator["filter"] = "d2:daysBetween(#{oops"
    findings = validate_package(package, strict=True).findings
    assert any(f.uid == indicator["id"] and f.code == "expressions.parse" for f in findings)


