"""Android Capture: what the phone app cannot show or run, or shows badly.

Facts: custom HTML forms are not rendered on Android; SENDMESSAGE/SCHEDULEMESSAGE run on the
server only; ASSIGN text must be a quoted string (the rule engine evaluates `data`); option
sets get a search box above 15 options; generated (TextPattern) attributes need reserved
values, 100 by default and at most 500 per attribute (Android Settings App
`generalSettings.reservedValues`), refilled below 50.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.index import PackageIndex, ref_id, ref_ids

SERVER_SIDE_ACTIONS = {"SENDMESSAGE", "SCHEDULEMESSAGE"}
# d2:relationshipCount needs the server; d2:condition parses but the rule engine's evaluator
# has no implementation and raises "function not supported" whenever the rule runs
# (dhis2-rule-engine RuleConditionEvaluator.kt#process, seen with @dhis2/rule-engine 3.3.9).
ANDROID_UNSUPPORTED_FUNCTIONS = ("d2:relationshipCount", "d2:condition")
SEARCH_BOX_ABOVE = 15
TOO_MANY_OPTIONS = 50
DEFAULT_RESERVED = 100
MAX_RESERVED = 500
_SEGMENT = re.compile(r"(RANDOM|SEQUENTIAL)\(([^)]*)\)")
_PLAIN_TEXT = re.compile(r"^[\w\s.,;:!?À-ỹ-]+$")


def check_android(index: PackageIndex, android_settings: Mapping[str, Any] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    findings += _custom_forms(index)
    findings += _actions(index)
    findings += _option_sets(index)
    findings += _generated_attributes(index, android_settings or {})
    return findings


def _custom_forms(index: PackageIndex) -> list[Finding]:
    findings = [
        index.finding(Severity.WARNING, "android.custom-form",
                      "custom HTML data entry forms are not shown on Android; phones fall back "
                      "to the section form", form)
        for form in index.of_type("dataEntryForm")
    ]
    for type_name in ("program", "programStage"):
        for obj in index.of_type(type_name):
            if ref_id(obj.data.get("dataEntryForm")) or obj.data.get("formType") == "CUSTOM":
                findings.append(index.finding(
                    Severity.WARNING, "android.custom-form",
                    "uses a custom HTML form, which Android does not render", obj, "dataEntryForm"))
    return findings


def _actions(index: PackageIndex) -> list[Finding]:
    findings: list[Finding] = []
    for action in index.of_type("programRuleAction"):
        kind = action.data.get("programRuleActionType")
        envs = action.data.get("evaluationEnvironments") or action.data.get(
            "programRuleActionEvaluationEnvironments")
        if isinstance(envs, list) and envs and "ANDROID" not in envs:
            continue
        if kind in SERVER_SIDE_ACTIONS:
            findings.append(index.finding(
                Severity.WARNING, "android.unsupported-action",
                f"{kind} runs on the server only; on a phone the rule does nothing until the "
                "data is synced", action, "programRuleActionType"))
        data = action.data.get("data")
        if kind == "ASSIGN" and isinstance(data, str) and data.strip():
            text = data.strip()
            if _PLAIN_TEXT.match(text) and not re.fullmatch(r"-?\d+(\.\d+)?|true|false", text):
                findings.append(index.finding(
                    Severity.ERROR, "android.assign-unquoted",
                    f"ASSIGN text {text!r} must be quoted ('{text}'): the engine evaluates it as "
                    "an expression", action, "data"))
            elif re.search(r"'[^']*'\s*\+|\+\s*'[^']*'", text):
                findings.append(index.finding(
                    Severity.WARNING, "android.assign-concatenation",
                    "joins text with +; use d2:concatenate(), which Android evaluates the same "
                    "way as the web app", action, "data"))
    for type_name, prop in (("programRule", "condition"), ("programRuleAction", "data")):
        for obj in index.of_type(type_name):
            value = obj.data.get(prop)
            for function in ANDROID_UNSUPPORTED_FUNCTIONS:
                if isinstance(value, str) and function in value:
                    findings.append(index.finding(
                        Severity.WARNING, "android.unsupported-function",
                        f"{function} is not evaluated by Android Capture's rule engine", obj, prop))
    return findings


def _option_sets(index: PackageIndex) -> list[Finding]:
    findings: list[Finding] = []
    for option_set in index.of_type("optionSet"):
        size = len(ref_ids(option_set.data.get("options")))
        if size > TOO_MANY_OPTIONS:
            findings.append(index.finding(
                Severity.WARNING, "android.option-set-size",
                f"{size} options are hard to pick on a phone (search box above "
                f"{SEARCH_BOX_ABOVE}); split the list or use option groups", option_set, "options"))
        elif size > SEARCH_BOX_ABOVE:
            findings.append(index.finding(
                Severity.INFO, "android.option-set-size",
                f"{size} options: Android shows a search box instead of a list", option_set, "options"))
    return findings


def pattern_capacity(pattern: str) -> int | None:
    """How many distinct values a TextPattern's RANDOM/SEQUENTIAL segments can produce."""
    capacity = 1
    found = False
    for kind, body in _SEGMENT.findall(pattern):
        found = True
        if kind == "SEQUENTIAL":
            capacity *= 10 ** body.count("#")
        else:
            for char in body:
                capacity *= {"#": 10, "X": 26, "x": 26, "*": 62}.get(char, 1)
    return capacity if found else None


def _generated_attributes(index: PackageIndex, settings: Mapping[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    general = settings.get("generalSettings") if isinstance(settings, Mapping) else None
    reserved = general.get("reservedValues") if isinstance(general, Mapping) else None
    if reserved is not None and (not isinstance(reserved, int) or not 1 <= reserved <= MAX_RESERVED):
        findings.append(index.finding(
            Severity.ERROR, "android.reserved-values",
            f"generalSettings.reservedValues is {reserved!r}; the Android Settings App allows "
            f"1..{MAX_RESERVED}", None, "generalSettings.reservedValues",
            file="android-settings/generalSettings.json"))
    per_phone = reserved if isinstance(reserved, int) else DEFAULT_RESERVED
    for attribute in index.of_type("trackedEntityAttribute"):
        if not attribute.data.get("generated"):
            continue
        pattern = attribute.data.get("pattern")
        if not isinstance(pattern, str) or not pattern.strip():
            findings.append(index.finding(
                Severity.ERROR, "android.generated-pattern",
                "generated attribute without a TextPattern: phones cannot reserve values",
                attribute, "pattern"))
            continue
        capacity = pattern_capacity(pattern)
        if capacity is None:
            findings.append(index.finding(
                Severity.ERROR, "android.generated-pattern",
                "the pattern has no RANDOM or SEQUENTIAL segment, so every value is the same",
                attribute, "pattern"))
        elif capacity < per_phone * 100:
            phones = max(1, capacity // per_phone)
            findings.append(index.finding(
                Severity.WARNING, "android.generated-capacity",
                f"the pattern yields {capacity} values; with {per_phone} reserved per phone "
                f"(and reservations expiring after ~60 days) about {phones} phones exhaust it",
                attribute, "pattern"))
        if not attribute.data.get("unique"):
            findings.append(index.finding(
                Severity.WARNING, "android.generated-unique",
                "a generated identifier should be unique, or two members may share it",
                attribute, "unique"))
    return findings
