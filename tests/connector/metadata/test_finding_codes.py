"""Every finding id the validator can emit is registered (`checks.FINDING_CODES`), and each
has a case that raises it and a quiet case beside it that does not.

A case is a change to a small synthetic third-party package (tests/sandbox/third_party_package.py
at a few objects of each kind, which validates clean); the quiet case is the package just before
that change, or the nearby change that stays within the rule. A change may return keyword
arguments of `validate_package` for its side alone (Android settings, rule test files, engines
off). The expression and behaviour ids are raised by DHIS2's engines themselves (`ENGINE_CASES`,
one Node run for all; skipped without Node); every other case validates with the engines off.
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.metadata import validate as validate_module
from scdi.connector.metadata.checks import ALL_FINDING_CODES
from scdi.connector.metadata.checks.behaviour import load_rule_tests
from scdi.connector.metadata.checks.translations import USER_FACING, translation_key
from scdi.connector.metadata.engines import EngineAnswer, EvaluationJob, ExpressionJob, run_engines
from scdi.connector.metadata.validate import validate_package
from tests.sandbox import third_party_package as tp

from .conftest import requires_engines

CHECKS_ROOT = Path(__file__).resolve().parents[3] / "connector" / "metadata"
CODE_LITERAL = re.compile(r'"((?:structure|identity|references|package|android|expressions|behaviour|'
                          r'translations|privacy|release)\.[a-z0-9-]+)"')
NOT_CODES = {"package.json"}

Pkg = dict[str, Any]
Options = dict[str, Any]
# A change to the package; what it returns goes to validate_package for this side only.
Change = Callable[[Pkg], Options | None]
Case = tuple[Change, Change, Options]


# Small enough that a validation takes a few hundredths of a second, every kind still there.
SIZES = {"option_sets": 2, "options_per_set": 4, "stage_elements": 6, "aggregate_elements": 4, "attributes": 4,
         "rules": 2, "program_indicators": 2, "indicators": 5, "visualizations": 4}


@cache
def _base() -> Pkg:
    return tp.build(**SIZES)


def _changed(change: Change, kwargs: Options) -> tuple[Pkg, Options]:
    """The base package with the change made, and the options to validate it with."""
    pkg = copy.deepcopy(_base())
    extra = change(pkg)
    if extra is not None and not isinstance(extra, dict):
        raise TypeError(f"a change returns validate_package options or None, not {extra!r}")
    return pkg, {"default_file": "p.json", "engines": False, **kwargs, **(extra or {})}


def _codes(change: Change, kwargs: Options) -> set[str]:
    pkg, options = _changed(change, kwargs)
    return {f.code for f in validate_package(pkg, **options).findings}


def _nothing(pkg: Pkg) -> None:
    return None


def _first(pkg: Pkg, plural: str) -> dict[str, Any]:
    item: dict[str, Any] = pkg[plural][0]
    return item


def _set(plural: str, **values: Any) -> Callable[[Pkg], None]:
    return lambda pkg: _first(pkg, plural).update(values)


def _drop(plural: str, key: str) -> Callable[[Pkg], None]:
    def change(pkg: Pkg) -> None:
        _first(pkg, plural).pop(key, None)
    return change


def _twin(plural: str, **values: Any) -> Callable[[Pkg], None]:
    def change(pkg: Pkg) -> None:
        twin = copy.deepcopy(_first(pkg, plural))
        twin.update(values)
        pkg[plural].append(twin)
    return change


def _action(pkg: Pkg, **values: Any) -> None:
    _first(pkg, "programRuleActions").update(values)


def _other_stage_element(pkg: Pkg) -> str:
    rule = _first(pkg, "programRules")
    stage = rule["programStage"]["id"]
    other = next(s for s in pkg["programStages"] if s["id"] != stage)
    return str(other["programStageDataElements"][0]["dataElement"]["id"])


def _no_rule(pkg: Pkg) -> None:
    for rule in pkg["programRules"]:
        rule["programRuleActions"] = [a for a in rule["programRuleActions"]
                                      if a["id"] != _first(pkg, "programRuleActions")["id"]]
    _first(pkg, "programRuleActions").pop("programRule")


def _actionless_rule(pkg: Pkg) -> None:
    rule = _first(pkg, "programRules")
    rule["programRuleActions"] = []
    pkg["programRuleActions"] = [a for a in pkg["programRuleActions"] if a["programRule"]["id"] != rule["id"]]


def _generated(pattern: str) -> Callable[[Pkg], None]:
    return _set("trackedEntityAttributes", generated=True, unique=True, pattern=pattern)


def _options(n: int) -> Callable[[Pkg], None]:
    def change(pkg: Pkg) -> None:
        option_set = _first(pkg, "optionSets")
        extra = [{"id": tp.uid(f"extra-option:{i}"), "name": f"Extra {i}", "code": f"EXTRA_{i}",
                  "sortOrder": len(option_set["options"]) + i + 1, "optionSet": {"id": option_set["id"]}}
                 for i in range(n - len(option_set["options"]))]
        pkg["options"] += extra
        option_set["options"] += [{"id": o["id"]} for o in extra]
    return change


def _person_name(pkg: Pkg) -> None:
    attribute = _first(pkg, "trackedEntityAttributes")
    attribute.update(name="SYNTH First name", code="SYNTH_FIRST_NAME", valueType="TEXT", confidential=False)


def _mandatory_name(pkg: Pkg) -> None:
    _person_name(pkg)
    attribute = _first(pkg, "trackedEntityAttributes")
    attribute["confidential"] = True
    _first(pkg, "programs")["accessLevel"] = "PROTECTED"
    for item in _first(pkg, "programs")["programTrackedEntityAttributes"]:
        if item["trackedEntityAttribute"]["id"] == attribute["id"]:
            item["mandatory"] = True


def _all(*changes: Change) -> Change:
    def change(pkg: Pkg) -> Options:
        options: Options = {}
        for one in changes:
            options |= one(pkg) or {}
        return options
    return change


def _options_only(**options: Any) -> Change:
    """No change to the package, these options for this side."""
    return lambda pkg: dict(options)


def _confidential(pkg: Pkg) -> None:
    _first(pkg, "trackedEntityAttributes")["confidential"] = True


def _optional_attributes(pkg: Pkg) -> None:
    for item in _first(pkg, "programs")["programTrackedEntityAttributes"]:
        item["mandatory"] = False


def _translated(locale: str, value: str, *, twice: bool = False) -> Callable[[Pkg], None]:
    item = {"locale": locale, "property": "NAME", "value": value}
    return _set("dataElements", translations=[item, dict(item)] if twice else [item])


def _reserved(count: int) -> Change:
    return _options_only(android_settings={"generalSettings": {"reservedValues": count}})


USER_FACING_PROPS = sorted({prop for props in USER_FACING.values() for prop in props})


def _vietnamese(pkg: Pkg) -> None:
    """A Vietnamese translation of every text a person reads, as our own package has."""
    for value in pkg.values():
        for obj in value if isinstance(value, list) else []:
            translations = obj.setdefault("translations", [])
            translations += [{"locale": "vi", "property": translation_key(prop), "value": f"vi: {obj[prop]}"}
                             for prop in USER_FACING_PROPS if isinstance(obj.get(prop), str) and obj[prop].strip()]


def _nothing_to_translate(pkg: Pkg) -> None:
    """Only objects with no user-facing text (user groups, attributes)."""
    for key in [k for k in pkg if k not in ("package", "userGroups", "attributes")]:
        del pkg[key]


def _rule_tests(*documents: dict[str, Any]) -> Options:
    """Rule test files with these contents, read as a source folder's rule-tests/ are."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / "rule-tests" / f"cases-{n}.json" for n in range(len(documents))]
        for path, document in zip(paths, documents, strict=True):
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(document), encoding="utf-8")
        return {"rule_tests": load_rule_tests(paths, label_root=Path(folder))}


def _rule_cases() -> list[dict[str, Any]]:
    """For every rule of the base package, a case where it fires and one where it does not
    (rule r warns, and hides a field, when its count is above 10 + r)."""
    pkg = _base()
    cases: list[dict[str, Any]] = []
    for r, rule in enumerate(pkg["programRules"]):
        actions = [a for a in pkg["programRuleActions"] if a["programRule"]["id"] == rule["id"]]
        counted = actions[0]["dataElement"]["id"]  # the warning is on the counted data element
        case = {"rule": rule["id"], "stage": rule["programStage"]["id"], "eventDate": "2025-03-01"}
        cases.append({**case, "id": f"rule-{r}-fires", "dataValues": {counted: str(10 + r + 1)},
                      "expect": [{"type": a["programRuleActionType"], "field": a["dataElement"]["id"]}
                                 for a in actions]})
        cases.append({**case, "id": f"rule-{r}-quiet", "dataValues": {counted: str(10 + r)}, "expect": []})
    return cases


def _tested(edit: Callable[[list[dict[str, Any]]], None] | None = None) -> Change:
    """Validate with a rule test file of `_rule_cases`, edited."""
    def change(pkg: Pkg) -> Options:
        cases = _rule_cases()
        if edit is not None:
            edit(cases)
        return _rule_tests({"program": _first(pkg, "programs")["id"], "cases": cases})
    return change


def _untested_rule(cases: list[dict[str, Any]]) -> None:
    last = cases[-1]["rule"]
    cases[:] = [c for c in cases if c["rule"] != last]


def _expecting_at_the_threshold(cases: list[dict[str, Any]]) -> None:
    cases[0]["dataValues"] = cases[1]["dataValues"]  # the firing case with the quiet case's value


def _unknown_rule(cases: list[dict[str, Any]]) -> None:
    cases.append({**cases[0], "id": "unknown-rule", "rule": tp.uid("no-such-rule")})


def _misspelt_key(cases: list[dict[str, Any]]) -> None:
    cases[0]["expected"] = cases[0].pop("expect")


def _unreadable_date(cases: list[dict[str, Any]]) -> None:
    cases[0]["eventDate"] = "1 March 2025"


STRICT = {"strict": True}
INTAKE = tp.uid("stage:intake")
OPTION_GROUP = {"id": tp.uid("og:1"), "name": "SYNTH group", "code": "SYNTH_OG"}

CASES: dict[str, Case] = {
    "structure.enum": (_set("programs", programType="WITH_PAPER"), _nothing, {}),
    "structure.required": (_drop("trackedEntityAttributes", "valueType"), _nothing, {}),
    "structure.type": (_set("programStages", repeatable="yes"), _set("programStages", repeatable=True), {}),
    # the only pattern of the published schemas that is not a UID's: a translation's locale
    "structure.schema": (_translated("vi VN", "Tên"), _translated("vi_VN", "Tên"), {}),
    "structure.top-level": (lambda pkg: pkg.update(reports={"id": "x"}), lambda pkg: pkg.update(reports=[]), {}),
    "identity.code-format": (_set("dataSets", code="Monthly set"), _set("categoryOptions", code="P0Y--P15Y"), {}),
    "identity.duplicate-code": (_twin("dataElements", id=tp.uid("de:twin"), name="SYNTH twin", shortName="twin"),
                                _twin("dataElements", id=tp.uid("de:twin"), name="SYNTH twin", shortName="twin",
                                      code="SYNTH_TWIN"), {}),
    "identity.duplicate-name": (_twin("dataElements", id=tp.uid("de:twin"), code="SYNTH_TWIN", shortName="twin"),
                                _twin("dataElements", id=tp.uid("de:twin"), code="SYNTH_TWIN", shortName="twin",
                                      name="SYNTH twin"), {}),
    "identity.duplicate-uid": (_twin("dataElements", code="SYNTH_TWIN", name="SYNTH twin", shortName="twin"),
                               _twin("dataElements", id=tp.uid("de:twin"), code="SYNTH_TWIN", name="SYNTH twin",
                                     shortName="twin"), {}),
    "identity.length": (_set("dataElements", shortName="x" * 51), _set("dataElements", shortName="x" * 50), {}),
    "identity.uid-format": (_set("options", id="1-not-a-uid"), _nothing, {}),
    "identity.uid-missing": (_drop("indicators", "id"), _nothing, {}),
    "references.dangling": (_set("programStages", program={"id": tp.uid("nowhere")}), _nothing, {}),
    "references.instance": (_set("dataElements", categoryCombo={"id": tp.uid("instance-combo")}), _nothing, {}),
    "references.placeholder": (_set("programStages", program={"id": "<PROGRAM_UID>"}), _nothing, {}),
    "references.uid-format": (_set("programStages", program={"id": "not-a-uid"}), _nothing, {}),
    "references.wrong-type": (lambda pkg: _first(pkg, "programStages").update(
        program={"id": _first(pkg, "dataElements")["id"]}), _nothing, {}),
    # the last data element is an aggregate one, in no stage of the program
    "package.action-other-program": (lambda pkg: _action(pkg, dataElement={"id": pkg["dataElements"][-1]["id"]}),
                                     _nothing, {}),
    "package.action-other-stage": (lambda pkg: _action(pkg, dataElement={"id": _other_stage_element(pkg)}),
                                   _nothing, {}),
    "package.action-target": (_all(_set("programRuleActions", programRuleActionType="SETMANDATORYFIELD"),
                                   _drop("programRuleActions", "dataElement")),
                              _set("programRuleActions", programRuleActionType="SETMANDATORYFIELD"), {}),
    "package.action-without-rule": (_no_rule, _nothing, {}),
    "package.external-access": (lambda pkg: _first(pkg, "programs")["sharing"].update(external=True), _nothing, {}),
    "package.favourites": (_set("indicators", favorites=["M5zQapPyTZI"]), _set("indicators", favorites=[]), {}),
    "package.option-group": (lambda pkg: pkg.update(optionGroups=[{**OPTION_GROUP, "options": [
        {"id": tp.uid("not-an-option")}]}]), lambda pkg: pkg.update(optionGroups=[{**OPTION_GROUP, "options": [
            {"id": _first(pkg, "options")["id"]}]}]), {}),
    "package.option-sort-order": (lambda pkg: pkg["options"][1].update(sortOrder=7), _nothing, {}),
    "package.program-stage-name": (_set("programRules", condition="V{program_stage_name} == 'SYNTH intake'"),
                                   _set("programRules", condition=f"V{{program_stage_id}} == '{INTAKE}'"), {}),
    "package.rule-without-action": (_actionless_rule, _nothing, {}),
    "package.translation-duplicate": (_translated("fr", "Nom", twice=True), _translated("fr", "Nom"), {}),
    "package.translation-locale": (_translated("fr FR", "Nom"), _translated("fr_FR", "Nom"), {}),
    "package.variable-duplicate": (_twin("programRuleVariables", id=tp.uid("prv:twin")), _nothing, {}),
    "package.variable-name": (_set("programRuleVariables", name="count and sum"),
                              _set("programRuleVariables", name="count_and_sum"), {}),
    "package.variable-other-program": (lambda pkg: _first(pkg, "programRuleVariables").update(
        dataElement={"id": pkg["dataElements"][-1]["id"]}), _nothing, {}),
    "package.variable-source": (_drop("programRuleVariables", "dataElement"), _nothing, {}),
    "android.assign-unquoted": (lambda pkg: _action(pkg, programRuleActionType="ASSIGN", data="high"),
                                lambda pkg: _action(pkg, programRuleActionType="ASSIGN", data="'high'"), {}),
    "android.assign-concatenation": (lambda pkg: _action(pkg, programRuleActionType="ASSIGN", data="'a' + 'b'"),
                                     lambda pkg: _action(pkg, programRuleActionType="ASSIGN",
                                                         data="d2:concatenate('a', 'b')"), {}),
    "android.custom-form": (_set("programStages", formType="CUSTOM"), _nothing, {}),
    "android.generated-pattern": (_generated("\"SYNTH\""), _generated("\"SYNTH-\" + RANDOM(#######)"), {}),
    "android.generated-capacity": (_generated("RANDOM(##)"), _generated("RANDOM(########)"), {}),
    "android.generated-unique": (_set("trackedEntityAttributes", generated=True, pattern="RANDOM(########)"),
                                 _generated("RANDOM(########)"), {}),
    "android.option-set-size": (_options(60), _options(15), {}),
    "android.unsupported-action": (lambda pkg: _action(pkg, programRuleActionType="SENDMESSAGE"), _nothing, {}),
    "android.reserved-values": (_reserved(501), _reserved(500), {}),
    "android.unsupported-function": (_set("programRules", condition="d2:relationshipCount() > 0"), _nothing, {}),
    "translations.base-missing": (_drop("options", "name"), _nothing, STRICT),
    "translations.coverage": (_nothing, _nothing_to_translate, {}),
    "translations.empty": (_translated("vi", ""), _translated("vi", "Tên"), STRICT),
    "translations.missing": (_all(_vietnamese, _set("dataElements", translations=[])), _vietnamese, STRICT),
    "privacy.not-confidential": (_person_name, _all(_person_name, _confidential), STRICT),
    "privacy.mandatory-name": (_mandatory_name, _all(_mandatory_name, _optional_attributes), STRICT),
    "privacy.access-level": (_all(_person_name, _confidential),
                             _all(_person_name, _confidential, _set("programs", accessLevel="PROTECTED")), STRICT),
    "release.required": (_nothing, _set("trackedEntityTypes", shortName="SYNTH Person"), {"dhis2_version": "2.42"}),
    "release.length": (_set("trackedEntityTypes", shortName="x" * 51), _set("trackedEntityTypes", shortName="x" * 50),
                       {"dhis2_version": "2.42"}),
}

# Cases validated with DHIS2's engines: all of them share one Node run (`_engine_codes`).
COUNT = "d2:hasValue(#{count_00}) && #{count_00} > 10"  # the first rule's condition
ENGINE_CASES: dict[str, Case] = {
    "expressions.invalid": (_set("programRules", condition="#{count_0} > 10"),
                            _set("programRules", condition="#{count_01} > 10"), {}),
    "expressions.parse": (_set("programRules", condition="d2:hasValue(#{count_00}) && (#{count_00} > 10"),
                          _set("programRules", condition="d2:hasValue(#{count_00}) && (#{count_00} > 10)"), {}),
    "expressions.skipped": (_options_only(engines=False), _nothing, {}),
    "expressions.type-warning": (_set("programRules", condition="d2:hasValue(#{count_00}) && #{count_00}"),
                                 _set("programRules", condition=COUNT), {}),
    "expressions.unchecked": (
        _set("programIndicators", filter=f"d2:daysBetween(PS_EVENTDATE:{INTAKE}, V{{analytics_period_end}}) < 60"),
        _set("programIndicators", filter="d2:daysBetween(V{event_date}, V{analytics_period_end}) < 60"), {}),
    "expressions.unresolved": (_set("programIndicators", expression=f"#{{{INTAKE}.{tp.uid('de:follow-up:0')}}}"),
                               _set("programIndicators", expression=f"#{{{INTAKE}.{tp.uid('de:intake:0')}}}"), {}),
    "behaviour.case-failed": (_tested(_expecting_at_the_threshold), _tested(), {}),
    "behaviour.coverage": (_tested(lambda cases: cases.pop()), _tested(), {}),
    "behaviour.engine-error": (_tested(_unreadable_date), _tested(), {}),
    # d2:condition parses, but the rule engine has no implementation of it
    "behaviour.rule-error": (_all(_set("programRules", condition="d2:condition('#{count_00} > 10', true, false)"),
                                  _tested()), _tested(), {}),
    "behaviour.test-case": (_tested(_unknown_rule), _tested(), {}),
    "behaviour.test-file": (_tested(_misspelt_key), _tested(), {}),
    "behaviour.untested": (_tested(_untested_rule), _tested(), {}),
}


def test_the_registry_lists_every_code_the_checks_emit() -> None:
    emitted: set[str] = set()
    for path in CHECKS_ROOT.rglob("*.py"):
        emitted |= set(CODE_LITERAL.findall(path.read_text(encoding="utf-8")))
    assert emitted - NOT_CODES == ALL_FINDING_CODES


def test_every_code_has_cases() -> None:
    assert not set(CASES) & set(ENGINE_CASES)
    assert set(CASES) | set(ENGINE_CASES) == ALL_FINDING_CODES


def test_the_synthetic_package_is_quiet() -> None:
    assert _codes(_nothing, {}) <= {"expressions.skipped", "translations.coverage"}


@pytest.mark.parametrize("code", sorted(CASES))
def test_a_case_raises_the_code_and_its_quiet_twin_does_not(code: str) -> None:
    trigger, quiet, kwargs = CASES[code]
    assert code in _codes(trigger, kwargs)
    assert code not in _codes(quiet, kwargs)


Side = tuple[str, bool]  # (code, raising)


@cache
def _engine_codes() -> dict[Side, set[str]]:
    """The codes of both sides of every engine case, from one Node run for all of them: each
    validation first hands over its jobs, then is validated again on its share of the answer."""
    sides: dict[Side, tuple[Pkg, Options]] = {}
    for code, (trigger, quiet, kwargs) in sorted(ENGINE_CASES.items()):
        sides[(code, True)] = _changed(trigger, {"engines": True, **kwargs})
        sides[(code, False)] = _changed(quiet, {"engines": True, **kwargs})
    jobs: dict[Side, tuple[list[ExpressionJob], list[EvaluationJob]]] = {}

    def handing_over(side: Side) -> Callable[..., EngineAnswer]:
        def run(expressions: list[ExpressionJob], evaluations: list[EvaluationJob], **_: Any) -> EngineAnswer:
            jobs[side] = (list(expressions), list(evaluations))
            return EngineAnswer()
        return run

    with pytest.MonkeyPatch.context() as patch:
        for side, (pkg, options) in sides.items():
            patch.setattr(validate_module, "run_engines", handing_over(side))
            validate_package(copy.deepcopy(pkg), **options)
    prefix = {side: f"{n}:" for n, side in enumerate(sides)}
    answer = run_engines(
        [job.model_copy(update={"id": prefix[side] + job.id}) for side, (some, _) in jobs.items() for job in some],
        [job.model_copy(update={"id": prefix[side] + job.id}) for side, (_, some) in jobs.items() for job in some])

    def share(side: Side) -> Callable[..., EngineAnswer]:
        def run(expressions: list[ExpressionJob], evaluations: list[EvaluationJob], **_: Any) -> EngineAnswer:
            assert (list(expressions), list(evaluations)) == jobs[side]
            mine = prefix[side]
            return EngineAnswer(
                expressions=[r.model_copy(update={"id": r.id.removeprefix(mine)})
                             for r in answer.expressions if r.id.startswith(mine)],
                evaluations=[r.model_copy(update={"id": r.id.removeprefix(mine)})
                             for r in answer.evaluations if r.id.startswith(mine)],
                versions=answer.versions)
        return run

    codes: dict[Side, set[str]] = {}
    with pytest.MonkeyPatch.context() as patch:
        for side, (pkg, options) in sides.items():
            patch.setattr(validate_module, "run_engines", share(side))
            codes[side] = {f.code for f in validate_package(pkg, **options).findings}
    return codes


@requires_engines
@pytest.mark.parametrize("code", sorted(ENGINE_CASES))
def test_an_engine_case_raises_the_code_and_its_quiet_twin_does_not(code: str) -> None:
    codes = _engine_codes()
    assert code in codes[(code, True)]
    assert code not in codes[(code, False)]
