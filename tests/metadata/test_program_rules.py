"""Program rules and their test cases: every rule is tested both ways, and rules use only what
Android Capture runs. The cases themselves run through DHIS2's rule engine in
`scdi metadata validate` (tests/connector/metadata/test_validate_package.py)."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any

import pytest

from .conftest import REPO_METADATA

# Server-side actions (no effect on a phone) and functions Android Capture's rule engine does
# not evaluate: d2:relationshipCount (not offline) and d2:condition (the Kotlin engine raises
# "function not supported").
SERVER_ONLY_ACTIONS = {"SENDMESSAGE", "SCHEDULEMESSAGE"}
UNSUPPORTED_FUNCTIONS = ("d2:relationshipCount", "d2:condition")
FIELD_ACTIONS = {"HIDEFIELD", "SETMANDATORYFIELD", "ASSIGN", "SHOWWARNING", "SHOWERROR",
                 "WARNINGONCOMPLETE", "ERRORONCOMPLETE"}  # fmt: skip
QUOTED_CODE = re.compile(r"'(SCDI_[0-9A-Z_]+)'")


@pytest.fixture(scope="module")
def rule_tests() -> dict[str, dict[str, Any]]:
    files = sorted((REPO_METADATA / "rule-tests").glob("*.json"))
    assert files, "no rule test files"
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in files}


@pytest.fixture(scope="module")
def fields(package: dict[str, Any]) -> dict[str, dict[str, set[str]]]:
    """Per program: its attributes ('attributes') and the data elements of each stage."""
    out: dict[str, dict[str, set[str]]] = {}
    stages = {s["id"]: s for s in package["programStages"]}
    for program in package["programs"]:
        attributes = program.get("programTrackedEntityAttributes", [])
        entry = {"attributes": {p["trackedEntityAttribute"]["id"] for p in attributes}}
        for ref in program["programStages"]:
            entry[ref["id"]] = {p["dataElement"]["id"] for p in stages[ref["id"]]["programStageDataElements"]}
        out[program["id"]] = entry
    return out


def test_rule_count_fits_the_programs(package: dict[str, Any]) -> None:
    programs = {p["id"]: p["code"] for p in package["programs"]}
    per_program = Counter(programs[r["program"]["id"]] for r in package["programRules"])
    assert set(per_program) == {"SCDI_MEMBER", "SCDI_GROUP", "SCDI_OUTREACH"}
    assert 20 <= sum(per_program.values()) <= 60, per_program


def test_each_rule_has_a_firing_and_a_quiet_case(package: dict[str, Any], rule_tests: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in package["programRules"]}
    kinds: dict[str, set[bool]] = defaultdict(set)
    for name, document in rule_tests.items():
        ids = [case["id"] for case in document["cases"]]
        assert len(ids) == len(set(ids)), f"{name}: a case id is used twice"
        for case in document["cases"]:
            rule = rules.get(case["rule"])
            assert rule is not None, f"{name} {case['id']}: unknown rule {case['rule']}"
            assert rule["program"]["id"] == document["program"], f"{name} {case['id']}: rule of another program"
            if rule.get("programStage"):
                assert case["stage"] == rule["programStage"]["id"], f"{name} {case['id']}: not the rule's stage"
            kinds[case["rule"]].add(bool(case["expect"]))
    missing = [f"{rules[uid]['code']}: {sorted(kinds[uid])}" for uid in rules if kinds[uid] != {True, False}]
    assert not missing, "rules without a firing and a non-firing case:\n" + "\n".join(missing)


def test_expected_effects_are_actions_of_the_rule(package: dict[str, Any], rule_tests: dict[str, Any]) -> None:
    actions = {a["id"]: a for a in package["programRuleActions"]}
    rules = {r["id"]: r for r in package["programRules"]}
    for document in rule_tests.values():
        for case in document["cases"]:
            own = [actions[ref["id"]] for ref in rules[case["rule"]]["programRuleActions"]]
            offered = {(a["programRuleActionType"],
                        (a.get("dataElement") or a.get("trackedEntityAttribute") or {}).get("id")) for a in own}
            for effect in case["expect"]:
                assert (effect["type"], effect.get("field")) in offered, f"{case['id']}: {effect} is no action"


def test_rules_act_on_their_own_program_and_stage(package: dict[str, Any], fields: dict[str, Any]) -> None:
    actions = {a["id"]: a for a in package["programRuleActions"]}
    calculated: dict[str, set[str]] = defaultdict(set)
    for variable in package["programRuleVariables"]:
        if variable["programRuleVariableSourceType"] == "CALCULATED_VALUE":
            calculated[variable["program"]["id"]].add("#{" + variable["name"] + "}")
    for rule in package["programRules"]:
        own = fields[rule["program"]["id"]]
        stage = (rule.get("programStage") or {}).get("id")
        allowed_elements = own[stage] if stage else set().union(*(v for k, v in own.items() if k != "attributes"))
        targets = []
        for ref in rule["programRuleActions"]:
            action = actions[ref["id"]]
            assert action["programRule"]["id"] == rule["id"]
            assert action["programRuleActionType"] not in SERVER_ONLY_ACTIONS, rule["code"]
            if "dataElement" in action:
                assert action["dataElement"]["id"] in allowed_elements, f"{rule['code']}: field outside its stage"
                targets.append(action)
            if "trackedEntityAttribute" in action:
                assert action["trackedEntityAttribute"]["id"] in own["attributes"], rule["code"]
                targets.append(action)
            if action["programRuleActionType"] == "ASSIGN" and "dataElement" not in action \
                    and "trackedEntityAttribute" not in action:
                # an ASSIGN may fill a calculated variable of the program instead of a field
                assert action["content"] in calculated.get(rule["program"]["id"], set()), rule["code"]
            elif action["programRuleActionType"] in FIELD_ACTIONS - {"SHOWWARNING", "SHOWERROR"}:
                assert "dataElement" in action or "trackedEntityAttribute" in action, rule["code"]
        assert targets, f"{rule['code']}: no action on a field of its program"


def test_only_what_android_evaluates(package: dict[str, Any]) -> None:
    texts = [(r["code"], r["condition"]) for r in package["programRules"]]
    texts += [(a["code"], a["data"]) for a in package["programRuleActions"] if a.get("data")]
    for code, text in texts:
        for function in UNSUPPORTED_FUNCTIONS:
            assert function not in text, f"{code} uses {function}"
        assert not re.search(r"'[^']*'\s*\+|\+\s*'[^']*'", text), f"{code}: join text with d2:concatenate"
    for action in package["programRuleActions"]:
        assert set(action["programRuleActionEvaluationEnvironments"]) == {"WEB", "ANDROID"}
        if action["programRuleActionType"] == "ASSIGN":
            # the rule engine evaluates `data`: text is quoted, a date comes from a d2: function
            assert re.fullmatch(r"'[^']*'|d2:lastEventDate\('[a-z0-9_]+'\)", action["data"]), \
                f"{action['code']}: ASSIGN text is quoted"


def test_quoted_codes_are_real_option_codes(package: dict[str, Any]) -> None:
    # A typo in an option code makes a condition silently never (or always) true.
    codes = {o["code"] for o in package["options"]}
    texts = [(r["code"], r["condition"]) for r in package["programRules"]]
    texts += [(a["code"], a["data"]) for a in package["programRuleActions"] if a.get("data")]
    unknown = [(code, literal) for code, text in texts for literal in QUOTED_CODE.findall(text) if literal not in codes]
    assert not unknown, unknown


def test_variables_name_their_source_and_type(package: dict[str, Any], fields: dict[str, Any]) -> None:
    elements = {d["id"]: d for d in package["dataElements"]}
    attributes = {a["id"]: a for a in package["trackedEntityAttributes"]}
    names: Counter[tuple[str, str]] = Counter()
    for variable in package["programRuleVariables"]:
        program = variable["program"]["id"]
        names[(program, variable["name"])] += 1
        assert re.fullmatch(r"[a-z][a-z0-9_]*", variable["name"]), variable["name"]
        assert not {"and", "or", "not"} & set(variable["name"].split("_")), variable["name"]
        source = variable["programRuleVariableSourceType"]
        if source == "CALCULATED_VALUE":
            # filled by an ASSIGN of the program (a date kept as text for a message)
            assigned = {a.get("content") for a in package["programRuleActions"]
                        if a["programRuleActionType"] == "ASSIGN"}
            assert "#{" + variable["name"] + "}" in assigned and variable["valueType"] == "TEXT", variable["name"]
            continue
        if source == "TEI_ATTRIBUTE":
            target = attributes[variable["trackedEntityAttribute"]["id"]]
            assert target["id"] in fields[program]["attributes"]
        else:
            target = elements[variable["dataElement"]["id"]]
            stages = [k for k, v in fields[program].items() if k != "attributes" and target["id"] in v]
            assert stages, variable["name"]
            if source == "DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE":
                assert variable["programStage"]["id"] in stages
        assert variable["valueType"] == target["valueType"], variable["name"]
        # Option values are compared by code in conditions, never by the (translated) name.
        assert variable["useCodeForOptionSet"] == ("optionSet" in target), variable["name"]
    assert not [key for key, n in names.items() if n > 1], "a variable name is used twice in a program"


def test_rule_names_unique_per_program(package: dict[str, Any]) -> None:
    names = Counter((r["program"]["id"], r["name"]) for r in package["programRules"])
    assert not [key for key, n in names.items() if n > 1]
