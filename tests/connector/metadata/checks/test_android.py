"""Android checks that need no test case: functions the phone's rule engine cannot evaluate."""

from __future__ import annotations

from typing import Any

from scdi.connector.findings import Severity
from scdi.connector.metadata.validate import validate_package

from ..conftest import ACTION_UID, RULE_UID, add_test_rule


def _unsupported(pkg: dict[str, Any]) -> list[tuple[str | None, str | None, str]]:
    report = validate_package(pkg, source="test", default_file="package.json", engines=False)
    return [(f.uid, f.property, f.message) for f in report.findings
            if f.code == "android.unsupported-function" and f.severity is Severity.WARNING]


def test_functions_the_rule_engine_does_not_run_are_flagged(package: dict[str, Any]) -> None:
    add_test_rule(package)
    assert _unsupported(package) == []
    action = next(a for a in package["programRuleActions"] if a["id"] == ACTION_UID)
    action["data"] = "d2:condition('#{sessions} > 20', 'many', 'some')"
    rule = next(r for r in package["programRules"] if r["id"] == RULE_UID)
    rule["condition"] = "d2:relationshipCount() > 0"
    found = _unsupported(package)
    assert [(uid, prop) for uid, prop, _ in found] == [(RULE_UID, "condition"), (ACTION_UID, "data")]
    assert "d2:relationshipCount" in found[0][2] and "d2:condition" in found[1][2]
