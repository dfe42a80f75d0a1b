"""DHIS2's metadata package quality rules, plus the server's own program rule action checks.

Rule ids in brackets are those of DHIS2's package validator (dhis2-metadata tooling:
O-MQ-2 option sort order, OG-MQ-1 option groups, SHST-MQ-1 external access, ALL-MQ-16
favourites, ALL-MQ-19/21 translations, ALL-MQ-20 program_stage_name, PR-ST-3/4/5 rule actions,
PRV-MQ-1/2 rule variable names). The E-codes are dhis2-core's own import checks for actions
(dhis-service-program-rule .../action/validation/*Validator.java, E4036–E4050).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.index import Obj, PackageIndex, ref_id, ref_ids
from scdi.connector.metadata.programs import Model

PRV_NAME_RE = re.compile(r"^[a-zA-Z\d_\-. ]+$")
LOCALE_RE = re.compile(r"^[A-Za-z_-]+$")
FIELD_ACTIONS = {"HIDEFIELD", "SETMANDATORYFIELD", "HIDEOPTION", "SHOWOPTIONGROUP", "HIDEOPTIONGROUP"}


def check_package_rules(index: PackageIndex, model: Model) -> list[Finding]:
    return [
        *_option_sort_order(index),
        *_option_groups(index),
        *_external_access_and_favourites(index),
        *_translation_entries(index),
        *_rules_and_actions(index, model),
        *_rule_variables(index, model),
        *_program_stage_name(index, model),
    ]


def _option_sort_order(index: PackageIndex) -> list[Finding]:
    findings: list[Finding] = []
    for option_set in index.of_type("optionSet"):
        orders: list[Any] = []
        for uid in ref_ids(option_set.data.get("options")):
            option = index.get(uid, "option")
            if option is not None:
                orders.append(option.data.get("sortOrder"))
        if not orders or all(order is None for order in orders):
            continue  # DHIS2 orders by position in the list
        expected = list(range(1, len(orders) + 1))
        numbers = sorted(o for o in orders if isinstance(o, int))
        if numbers != expected:
            shown = ", ".join(str(o) for o in sorted(orders, key=lambda o: (o is None, o or 0)))
            findings.append(index.finding(
                Severity.WARNING, "package.option-sort-order",
                f"option sortOrder should run 1..{len(orders)} without gaps; found {shown} (DHIS2 "
                "imports and orders them; package practice O-MQ-2)",
                option_set, "options"))
    return findings


def _option_groups(index: PackageIndex) -> list[Finding]:
    in_sets = {uid for s in index.of_type("optionSet") for uid in ref_ids(s.data.get("options"))}
    findings: list[Finding] = []
    for group in index.of_type("optionGroup"):
        for position, uid in enumerate(ref_ids(group.data.get("options"))):
            if uid not in in_sets:
                findings.append(index.finding(
                    Severity.ERROR, "package.option-group",
                    f"option {uid} is in the option group but in no option set [OG-MQ-1]",
                    group, f"options[{position}]"))
    return findings


def _walk(value: Any, path: str, found: list[tuple[str, str, Any]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else key
            found.append((sub, key, item))
            _walk(item, sub, found)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            _walk(item, f"{path}[{position}]", found)


def _external_access_and_favourites(index: PackageIndex) -> list[Finding]:
    findings: list[Finding] = []
    for obj in index.top_level():
        entries: list[tuple[str, str, Any]] = []
        _walk(obj.data, "", entries)
        for path, key, item in entries:
            if (key == "externalAccess" and item is True) or (
                key == "external" and item is True and path.endswith("sharing.external")
            ):
                findings.append(index.finding(
                    Severity.ERROR, "package.external-access",
                    "shared with external (anonymous) access; anyone with the URL could read it "
                    "[SHST-MQ-1]", obj, path))
            elif key == "favorites" and isinstance(item, list) and item:
                findings.append(index.finding(
                    Severity.ERROR, "package.favourites",
                    f"marked as favourite by {len(item)} user(s) of the source instance; remove "
                    "the user references [ALL-MQ-16]", obj, path))
    return findings


def _translation_entries(index: PackageIndex) -> list[Finding]:
    findings: list[Finding] = []
    for obj in index.objects:
        seen: dict[tuple[str, str], int] = defaultdict(int)
        for position, item in enumerate(obj.data.get("translations") or []):
            if not isinstance(item, dict):
                continue
            locale, prop = item.get("locale"), item.get("property")
            if not isinstance(locale, str) or not LOCALE_RE.match(locale):
                findings.append(index.finding(
                    Severity.ERROR, "package.translation-locale",
                    f"translation has a missing or malformed locale {locale!r} [ALL-MQ-21]",
                    obj, f"translations[{position}]"))
                continue
            seen[(locale, str(prop))] += 1
        for (locale, prop), count in seen.items():
            if count > 1:
                findings.append(index.finding(
                    Severity.ERROR, "package.translation-duplicate",
                    f"{count} translations for {prop} in {locale!r} [ALL-MQ-19]", obj, "translations"))
    return findings


def _rules_and_actions(index: PackageIndex, model: Model) -> list[Finding]:
    findings: list[Finding] = []
    for rule in index.of_type("programRule"):
        if not model.actions_of_rule.get(rule.uid or ""):
            findings.append(index.finding(
                Severity.ERROR, "package.rule-without-action",
                "the rule has no action, so it does nothing [PR-ST-3]", rule, "programRuleActions"))
    for action in index.of_type("programRuleAction"):
        owner = model.rule_of_action.get(action.uid or "")
        if owner is None:
            findings.append(index.finding(
                Severity.ERROR, "package.action-without-rule",
                "the action belongs to no program rule in the package", action, "programRule"))
            continue
        findings += _action_target(index, model, action, owner)
    return findings


def _action_target(index: PackageIndex, model: Model, action: Obj, rule: Obj) -> list[Finding]:
    findings: list[Finding] = []
    kind = action.data.get("programRuleActionType")
    program = model.programs.get(ref_id(rule.data.get("program")) or "")
    rule_stage = ref_id(rule.data.get("programStage"))
    de = ref_id(action.data.get("dataElement"))
    tea = ref_id(action.data.get("trackedEntityAttribute"))
    name = f"rule {rule.label!r} [{rule.uid}]"
    if kind in FIELD_ACTIONS and not de and not tea:
        findings.append(index.finding(
            Severity.ERROR, "package.action-target",
            f"{kind} needs a data element or an attribute (E4044)", action, "dataElement"))
    if kind == "ASSIGN" and not de and not tea and not action.data.get("content"):
        findings.append(index.finding(
            Severity.ERROR, "package.action-target",
            "ASSIGN needs a data element, an attribute or a content variable (E4050)", action, "data"))
    if kind == "HIDESECTION":
        section = ref_id(action.data.get("programStageSection"))
        if not section:
            findings.append(index.finding(Severity.ERROR, "package.action-target",
                                          "HIDESECTION needs a program stage section (E4036)",
                                          action, "programStageSection"))
        elif program is not None and section not in program.sections:
            findings.append(index.finding(
                Severity.ERROR, "package.action-other-program",
                f"section {section} is not a section of a stage of the program of {name}",
                action, "programStageSection"))
    if kind == "HIDEPROGRAMSTAGE":
        stage = ref_id(action.data.get("programStage"))
        if not stage:
            findings.append(index.finding(Severity.ERROR, "package.action-target",
                                          "HIDEPROGRAMSTAGE needs a program stage (E4038)",
                                          action, "programStage"))
        elif program is not None and model.stage_program.get(stage) != program.uid:
            findings.append(index.finding(
                Severity.ERROR, "package.action-other-program",
                f"stage {stage} is not a stage of the program of {name}", action, "programStage"))
    if kind == "HIDEOPTION" and not ref_id(action.data.get("option")):
        findings.append(index.finding(Severity.ERROR, "package.action-target",
                                      "HIDEOPTION needs an option (E4040)", action, "option"))
    if program is None:
        return findings
    if de:
        if de not in program.data_elements:
            findings.append(index.finding(
                Severity.ERROR, "package.action-other-program",
                f"data element {de} is not in any stage of the program of {name} [PR-ST-4] (E4047)",
                action, "dataElement"))
        elif rule_stage and de not in program.stage_data_elements.get(rule_stage, set()):
            findings.append(index.finding(
                Severity.ERROR, "package.action-other-stage",
                f"data element {de} is not in stage {rule_stage}, the stage of {name}",
                action, "dataElement"))
    if tea and tea not in program.attributes:
        findings.append(index.finding(
            Severity.ERROR, "package.action-other-program",
            f"attribute {tea} is not an attribute of the program of {name} [PR-ST-5] (E4048)",
            action, "trackedEntityAttribute"))
    return findings


def _rule_variables(index: PackageIndex, model: Model) -> list[Finding]:
    findings: list[Finding] = []
    names: dict[tuple[str, str], list[Obj]] = defaultdict(list)
    for variable in index.of_type("programRuleVariable"):
        name = variable.data.get("name")
        program_uid = ref_id(variable.data.get("program")) or ""
        if not isinstance(name, str):
            continue
        names[(program_uid, name)].append(variable)
        words = name.lower().split()
        if any(word in ("and", "or", "not") for word in words):
            findings.append(index.finding(
                Severity.ERROR, "package.variable-name",
                f"variable name {name!r} contains 'and', 'or' or 'not' as a word, which the rule "
                "parser reads as an operator [PRV-MQ-2]", variable, "name"))
        if not PRV_NAME_RE.match(name):
            findings.append(index.finding(
                Severity.ERROR, "package.variable-name",
                f"variable name {name!r} has characters outside letters, digits, _ - . and space "
                "[PRV-MQ-2]", variable, "name"))
        program = model.programs.get(program_uid)
        if program is None:
            continue
        source = variable.data.get("programRuleVariableSourceType")
        de = ref_id(variable.data.get("dataElement"))
        tea = ref_id(variable.data.get("trackedEntityAttribute"))
        if isinstance(source, str) and source.startswith("DATAELEMENT") and not de:
            findings.append(index.finding(Severity.ERROR, "package.variable-source",
                                          f"{source} needs a data element", variable, "dataElement"))
        if source == "TEI_ATTRIBUTE" and not tea:
            findings.append(index.finding(Severity.ERROR, "package.variable-source",
                                          "TEI_ATTRIBUTE needs an attribute", variable,
                                          "trackedEntityAttribute"))
        if de and de not in program.data_elements:
            findings.append(index.finding(
                Severity.ERROR, "package.variable-other-program",
                f"data element {de} is not in any stage of the variable's program", variable,
                "dataElement"))
        if tea and tea not in program.attributes:
            findings.append(index.finding(
                Severity.ERROR, "package.variable-other-program",
                f"attribute {tea} is not an attribute of the variable's program", variable,
                "trackedEntityAttribute"))
    for (_, name), variables in names.items():
        for variable in variables[1:]:
            findings.append(index.finding(
                Severity.ERROR, "package.variable-duplicate",
                f"another variable of the same program is also named {name!r} [PRV-MQ-1] (E5005)",
                variable, "name"))
    return findings


def _program_stage_name(index: PackageIndex, model: Model) -> list[Finding]:
    findings: list[Finding] = []
    for type_name, props in (("programIndicator", ("expression", "filter")),
                             ("programRule", ("condition",)), ("programRuleAction", ("data",))):
        for obj in index.of_type(type_name):
            for prop in props:
                value = obj.data.get(prop)
                if isinstance(value, str) and "program_stage_name" in value:
                    findings.append(index.finding(
                        Severity.ERROR, "package.program-stage-name",
                        "uses V{program_stage_name}, which breaks when a stage is renamed or "
                        "translated; use V{program_stage_id} [ALL-MQ-20]", obj, prop))
    return findings
