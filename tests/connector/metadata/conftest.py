"""Fixtures for the metadata tooling tests: our built package, with or without a test rule."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.metadata.engines import engines_available
from scdi.connector.metadata.package import build_package
from tests.shared_paths import CONTRACT

# DHIS2's own e2e tracker package (dhis2-core 2.41, dhis-2/dhis-test-e2e/src/test/resources/
# setup/tracker_metadata.json: 6 programs, program rules, program indicators), read from the
# shared contract material.
SETUP_TRACKER = CONTRACT / "dhis2-core-e2e" / "setup_tracker_metadata.json"

# A synthetic rule on the member program's monthly follow-up stage, with its variable,
# action and test cases, added to copies of the package by the tests.
FOLLOW_UP_STAGE = "CNrmKcCtSXp"
SESSIONS_DE = "hCWuj0PxkOn"  # SCDI_FU_COUNSELLING_SESSIONS, INTEGER_ZERO_OR_POSITIVE
MEMBER_PROGRAM = "Kyzu6Eqr46f"
GROUP_MEETING_DE = "IVEn5e6miNB"  # a data element of the peer group program
RULE_UID = "TstRule0001"
ACTION_UID = "TstActn0001"
VARIABLE_UID = "TstVarb0001"

requires_engines = pytest.mark.skipif(not engines_available(), reason="Node.js or the DHIS2 npm engines are missing")


@pytest.fixture(scope="session")
def built_package() -> dict[str, Any]:
    return build_package()


@pytest.fixture
def package(built_package: dict[str, Any]) -> dict[str, Any]:
    """The built package without its own program rules and analytics (program indicators
    and what uses them), so that a test looks at its one synthetic rule or defect only; the
    shipped rules, their cases and the indicator expressions are validated from the source
    folder (test_the_shipped_package_has_no_errors)."""
    pkg = copy.deepcopy(built_package)
    for type_name in ("programRuleVariables", "programRules", "programRuleActions", "programIndicators",
                      "indicators", "visualizations", "eventVisualizations", "dashboards"):
        pkg.pop(type_name, None)
    return pkg


def add_test_rule(pkg: dict[str, Any]) -> None:
    pkg.setdefault("programRuleVariables", []).append({
        "id": VARIABLE_UID, "name": "sessions", "programRuleVariableSourceType": "DATAELEMENT_CURRENT_EVENT",
        "program": {"id": MEMBER_PROGRAM}, "dataElement": {"id": SESSIONS_DE}, "useCodeForOptionSet": False,
    })
    pkg.setdefault("programRules", []).append({
        "id": RULE_UID, "name": "Many counselling sessions", "program": {"id": MEMBER_PROGRAM},
        "condition": "d2:hasValue(#{sessions}) && #{sessions} > 8", "priority": 1,
        "programRuleActions": [{"id": ACTION_UID}],
    })
    pkg.setdefault("programRuleActions", []).append({
        "id": ACTION_UID, "programRuleActionType": "SHOWWARNING", "programRule": {"id": RULE_UID},
        "dataElement": {"id": SESSIONS_DE}, "content": "More than 8 sessions in a month: check the number",
        "translations": [{"locale": "vi", "property": "CONTENT",
                          "value": "Hơn 8 buổi tư vấn trong một tháng: kiểm tra lại số"}],
    })


def rule_cases(expect_fire: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"program": MEMBER_PROGRAM, "cases": [
        {"id": "fires-above-eight", "rule": RULE_UID, "stage": FOLLOW_UP_STAGE,
         "eventDate": "2025-03-01", "dataValues": {SESSIONS_DE: "9"},
         "expect": [expect_fire or {"type": "SHOWWARNING", "field": SESSIONS_DE}]},
        {"id": "quiet-at-eight", "rule": RULE_UID, "stage": FOLLOW_UP_STAGE,
         "eventDate": "2025-03-01", "dataValues": {SESSIONS_DE: "8"}, "expect": []},
    ]}


def write_tests(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "rule-tests" / "member.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
