"""ProgramRuleActionObjectBundleHook and its validators (programrule/action/validation/), as
read at dhis2-core 2.41.9, 2.42.5 and 2.43.1: one report per action, with the validator's
class, and the preheat's stored objects before the payload's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, object_errors, post_metadata

RULE_NAME = "Check member"
DE = {"id": "deRuleAct01", "name": "Visit note", "shortName": "Visit note", "valueType": "TEXT",
      "domainType": "TRACKER", "aggregationType": "NONE"}
DE_OTHER = {**DE, "id": "deRuleAct02", "name": "Other note", "shortName": "Other note"}
TEA = {"id": "teaRuleAct1", "name": "Member alias", "shortName": "Member alias",
       "valueType": "TEXT", "aggregationType": "NONE"}
TEA_OTHER = {**TEA, "id": "teaRuleAct2", "name": "Other alias", "shortName": "Other alias"}
OPTION_SET = {"id": "osRuleAct01", "name": "Visit kinds", "valueType": "TEXT",
              "options": [{"id": "opRuleAct01"}]}
OPTION = {"id": "opRuleAct01", "name": "Home", "code": "HOME", "optionSet": {"id": "osRuleAct01"}}
TET = {"id": "tetRuleAct1", "name": "Member", "shortName": "Member"}
STAGE = {"id": "stRuleAct01", "name": "Visit", "program": {"id": "prRuleAct01"},
         "programStageDataElements": [{"id": "psdeRuleAc1", "dataElement": {"id": DE["id"]},
                                       "programStage": {"id": "stRuleAct01"}}]}
PROGRAM = {"id": "prRuleAct01", "name": "Members", "shortName": "Members",
           "programType": "WITH_REGISTRATION", "trackedEntityType": {"id": TET["id"]},
           "programStages": [{"id": STAGE["id"]}],
           "programTrackedEntityAttributes": [
               {"id": "ptaRuleAct1", "trackedEntityAttribute": {"id": TEA["id"]},
                "program": {"id": "prRuleAct01"}}]}
RULE = {"id": "ruRuleAct01", "name": RULE_NAME, "program": {"id": PROGRAM["id"]},
        "condition": "true"}


def _package(actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"dataElements": [DE, DE_OTHER], "trackedEntityAttributes": [TEA, TEA_OTHER],
            "optionSets": [OPTION_SET], "options": [OPTION], "trackedEntityTypes": [TET],
            "programs": [PROGRAM], "programStages": [STAGE], "programRules": [RULE],
            "programRuleActions": actions}


def _action(uid: str, kind: str, **refs: Any) -> dict[str, Any]:
    return {"id": uid, "programRuleActionType": kind, "programRule": {"id": RULE["id"]}, **refs}


def _by_action(body: dict[str, Any], skip: str = "E5002"
               ) -> dict[str, list[tuple[str, str, list[str]]]]:
    """The hook's reports by action; ReferencesCheck still runs on a removed object
    (ValidationRunner#executeValidationChain runs every check on the whole bundle and
    ValidationFactory#removeFromBundle drops the objects afterwards), so its E5002 is left out
    here."""
    out: dict[str, list[tuple[str, str, list[str]]]] = {}
    for type_report in body["response"]["typeReports"]:
        for report in type_report["objectReports"]:
            out[report["uid"]] = [(e["errorCode"], e["mainKlass"], e["args"])
                                  for e in report["errorReports"] if e["errorCode"] != skip]
    return out


def test_each_validator_reports_its_first_failure(fresh_sandbox: RunningSandbox) -> None:
    de, tea = {"id": DE["id"]}, {"id": TEA["id"]}
    actions = [
        _action("praNoTarget", "HIDEFIELD"),
        _action("praNoDataEl", "HIDEFIELD", dataElement={"id": "deMissing01"}),
        _action("praNotStage", "SETMANDATORYFIELD", dataElement={"id": DE_OTHER["id"]}),
        _action("praNoAttrib", "HIDEFIELD", trackedEntityAttribute={"id": "teaMissing1"}),
        _action("praNotProgr", "HIDEFIELD", trackedEntityAttribute={"id": TEA_OTHER["id"]}),
        _action("praAssignNo", "ASSIGN"),
        _action("praNoOption", "HIDEOPTION", dataElement=de),
        _action("praOptMissi", "HIDEOPTION", dataElement=de, option={"id": "opMissing01"}),
        _action("praOptExtra", "HIDEOPTION", dataElement=de, option={"id": OPTION["id"]},
                programStage={"id": STAGE["id"]}),
        _action("praNoStage1", "HIDEPROGRAMSTAGE"),
        _action("praStageDE1", "HIDEPROGRAMSTAGE", programStage={"id": STAGE["id"]},
                dataElement=de),
        _action("praSectMiss", "HIDESECTION", programStageSection={"id": "pssMissing1"}),
        _action("praNoGroup1", "SHOWOPTIONGROUP", trackedEntityAttribute=tea),
        _action("praGroupMis", "HIDEOPTIONGROUP", dataElement=de,
                optionGroup={"id": "ogMissing01"}),
        _action("praTemplMis", "SENDMESSAGE", templateUid="pntMissing1"),
        _action("praNoTempl1", "SCHEDULEMESSAGE"),
        # valid: AlwaysValid, an assign with content only, a field of the stage / program
        _action("praWarning1", "SHOWWARNING"),
        _action("praAssignOk", "ASSIGN", content="#{x}"),
        _action("praHideDeOk", "HIDEFIELD", dataElement=de),
        _action("praHideTeOk", "HIDEFIELD", trackedEntityAttribute=tea),
    ]
    body = post_metadata(fresh_sandbox.url, _package(actions), atomicMode="NONE").json()
    de_class, option_class = "org.hisp.dhis.dataelement.DataElement", "org.hisp.dhis.option.Option"
    tea_class = "org.hisp.dhis.trackedentity.TrackedEntityAttribute"
    stage_class = "org.hisp.dhis.program.ProgramStage"
    template_class = "org.hisp.dhis.program.notification.ProgramNotificationTemplate"
    assert _by_action(body) == {
        "praNoTarget": [("E4044", de_class, [RULE_NAME])],
        "praNoDataEl": [("E4045", de_class, ["deMissing01", RULE_NAME])],
        "praNotStage": [("E4047", de_class, [DE_OTHER["id"], RULE_NAME])],
        "praNoAttrib": [("E4046", tea_class, ["teaMissing1", RULE_NAME])],
        "praNotProgr": [("E4048", tea_class, [TEA_OTHER["id"], RULE_NAME])],
        "praAssignNo": [("E4050", "org.hisp.dhis.programrule.ProgramRuleAction", [RULE_NAME])],
        "praNoOption": [("E4040", option_class, [RULE_NAME])],
        "praOptMissi": [("E4041", option_class, ["opMissing01", RULE_NAME])],
        "praOptExtra": [("E4058", option_class, [RULE_NAME, "HIDEOPTION"])],
        "praNoStage1": [("E4038", stage_class, [RULE_NAME])],
        "praStageDE1": [("E4058", option_class, [RULE_NAME, "HIDEPROGRAMSTAGE"])],
        "praSectMiss": [("E4037", "org.hisp.dhis.program.ProgramStageSection",
                         ["pssMissing1", RULE_NAME])],
        # a missing option group is E4040, and both group types say HIDEOPTIONGROUP
        "praNoGroup1": [("E4040", option_class, [RULE_NAME])],
        "praGroupMis": [("E4043", option_class, ["ogMissing01", RULE_NAME])],
        "praTemplMis": [("E4034", template_class, ["pntMissing1", RULE_NAME])],
        "praNoTempl1": [("E4035", template_class, [RULE_NAME])],
    }
    stats = [t["stats"] for t in body["response"]["typeReports"]
             if t["klass"].endswith("ProgramRuleAction")]
    assert stats[0]["created"] == 4 and stats[0]["ignored"] == 16
    assert [code for code, _, _ in _by_action(body, skip="")["praNoDataEl"]] == ["E4045",
                                                                               "E5002"]
    (missing,) = [e for e in object_errors(body) if e["errorCode"] == "E4045"]
    assert missing["message"] == ("DataElement `deMissing01` associated with program rule "
                                  "`Check member` does not exist")
    assert "mainId" not in missing and "errorKlass" not in missing


def test_a_stored_stage_is_read_as_stored(fresh_sandbox: RunningSandbox) -> None:
    # The loader takes the program's stages from the preheat, where a stored stage is the
    # database's (Preheat#put is putIfAbsent): a data element added to it in the same payload
    # is not yet "linked to any ProgramStageDataElement".
    url = fresh_sandbox.url
    assert post_metadata(url, _package([])).status_code == 200
    grown = {**STAGE, "programStageDataElements": [
        *STAGE["programStageDataElements"],
        {"id": "psdeRuleAc2", "dataElement": {"id": DE_OTHER["id"]},
         "programStage": {"id": STAGE["id"]}}]}
    action = _action("praGrownSt1", "HIDEFIELD", dataElement={"id": DE_OTHER["id"]})
    body = post_metadata(url, {"programStages": [grown], "programRuleActions": [action]},
                         atomicMode="NONE").json()
    assert _by_action(body) == {"praGrownSt1": [
        ("E4047", "org.hisp.dhis.dataelement.DataElement", [DE_OTHER["id"], RULE_NAME])]}
    # the stage was stored with it (atomicMode NONE), so now the action passes
    assert post_metadata(url, {"programRuleActions": [action]}).status_code == 200


@pytest.mark.parametrize(("version", "code"), [("2.41", "E4035"), ("2.42", "E4034"),
                                               ("2.43", "E4034")])
def test_a_blank_template_uid_per_release(
        sandbox_factory: Callable[..., RunningSandbox], version: str, code: str) -> None:
    # ProgramRuleAction#hasNotification: 2.41.9 isNotBlank(templateUid), 2.42.5 and 2.43.1
    # `getTemplateUid() != null`, so a blank uid is looked up as a template there; "" is read
    # as null (EmptyStringToNullStdDeserializer), so it is E4035 on every release.
    running = sandbox_factory(version=version)
    package = _package([_action("praBlankTpl", "SENDMESSAGE", templateUid=" ")])
    body = post_metadata(running.url, package).json()
    assert [e["errorCode"] for e in object_errors(body)] == [code]
    running.reset()
    package = _package([_action("praBlankTpl", "SENDMESSAGE", templateUid="")])
    body = post_metadata(running.url, package).json()
    assert [e["errorCode"] for e in object_errors(body)] == ["E4035"]


EVENT_STAGE = {"id": "stRuleAct02", "name": "Outreach", "program": {"id": "prRuleAct02"}}
EVENT_PROGRAM = {"id": "prRuleAct02", "name": "Outreach", "shortName": "Outreach",
                 "programType": "WITHOUT_REGISTRATION",
                 "programStages": [{"id": EVENT_STAGE["id"]}]}
EVENT_RULE = {"id": "ruRuleAct02", "name": "Check outreach",
              "program": {"id": EVENT_PROGRAM["id"]}, "condition": "true"}


def test_schedule_event_actions_on_2_43(sandbox_factory: Callable[..., RunningSandbox]) -> None:
    # 2.43.1 ScheduleEventProgramRuleActionValidator: a stage found neither in the preheat nor
    # the database is E4038 (named by the rule's uid, not its name), a program without
    # registration E4083, a stage of another program E4084.
    running = sandbox_factory(version="2.43")
    actions = [
        _action("praSchNoStg", "SCHEDULEEVENT"),
        _action("praSchMissi", "SCHEDULEEVENT", programStage={"id": "stMissing01"}),
        _action("praSchOther", "SCHEDULEEVENT", programStage={"id": EVENT_STAGE["id"]}),
        {**_action("praSchEvent", "SCHEDULEEVENT", programStage={"id": STAGE["id"]}),
         "programRule": {"id": EVENT_RULE["id"]}},
        _action("praSchOk001", "SCHEDULEEVENT", programStage={"id": STAGE["id"]}),
    ]
    package = _package(actions)
    package["programs"].append(EVENT_PROGRAM)
    package["programStages"].append(EVENT_STAGE)
    package["programRules"].append(EVENT_RULE)
    response = post_metadata(running.url, package, atomicMode="NONE")
    assert response.status_code == 409  # WARNING: the valid objects are committed
    body = response.json()
    stage_class = "org.hisp.dhis.program.ProgramStage"
    assert _by_action(body) == {
        "praSchNoStg": [("E4038", stage_class, [RULE["id"]])],
        "praSchMissi": [("E4038", stage_class, [RULE["id"]])],
        "praSchOther": [("E4084", stage_class, [EVENT_STAGE["id"], PROGRAM["id"]])],
        "praSchEvent": [("E4083", "org.hisp.dhis.program.Program", [EVENT_RULE["id"]])],
    }
    messages = {e["errorCode"]: e["message"] for e in object_errors(body)}
    assert messages["E4083"] == ("ProgramRule `ruRuleAct02` must be associated with a Tracker "
                                 "Program (a program with registration)")
    assert messages["E4084"] == "ProgramStage `stRuleAct02` is not part of Program `prRuleAct01`"
    stored = requests.get(f"{running.url}/api/programRuleActions/praSchOk001", auth=ADMIN,
                          timeout=10).json()
    assert stored["programRuleActionType"] == "SCHEDULEEVENT"
    constants = requests.get(
        f"{running.url}/api/schemas/programRuleAction/programRuleActionType", auth=ADMIN,
        timeout=10).json()["constants"]
    assert constants[constants.index("ERRORONCOMPLETE") + 1] == "SCHEDULEEVENT"


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_schedule_event_is_no_constant_before_2_43(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # ProgramRuleActionType has no SCHEDULEEVENT at 2.41.9 and 2.42.5: Jackson refuses the
    # value and CrudControllerAdvice#defaultExceptionHandler answers 500.
    running = sandbox_factory(version=version)
    package = _package([_action("praSchOld01", "SCHEDULEEVENT",
                                programStage={"id": STAGE["id"]})])
    response = post_metadata(running.url, package)
    assert response.status_code == 500
    message = response.json()["message"]
    assert message.startswith("Cannot deserialize value of type "
                              "`org.hisp.dhis.programrule.ProgramRuleActionType` from String "
                              '"SCHEDULEEVENT": not one of the values accepted for Enum class: [')
    # the constants in Jackson's lookup order (core/jackson_enums.py), DISPLAYTEXT among them
    assert "DISPLAYTEXT, " in message or "DISPLAYTEXT]" in message
    assert "SCHEDULEEVENT," not in message and "SCHEDULEEVENT]" not in message
    constants = requests.get(
        f"{running.url}/api/schemas/programRuleAction/programRuleActionType", auth=ADMIN,
        timeout=10).json()["constants"]
    assert "SCHEDULEEVENT" not in constants


def test_schedule_event_reads_the_program_type_as_core_programs_does(
        sandbox_factory: Callable[..., RunningSandbox]) -> None:
    # `!program.isRegistration()` of the preheat's program: a stored program always has a type
    # in DHIS2 (not-null column), and one the store holds without it is a tracker program
    # (core/programs.py), so no E4083; a new payload program without one is Java's null: E4083
    # beside the program's E4000.
    running = sandbox_factory(version="2.43")
    setup = _package([])
    assert post_metadata(running.url, setup).status_code == 200
    stored = running.store.get_object("programs", PROGRAM["id"])
    running.store.put_object("programs", {k: v for k, v in stored.items() if k != "programType"})
    action = _action("praSchStord", "SCHEDULEEVENT", programStage={"id": STAGE["id"]})
    answer = post_metadata(running.url, {"programRuleActions": [action]})
    assert answer.status_code == 200, answer.text
    untyped = {k: v for k, v in EVENT_PROGRAM.items() if k != "programType"}
    new = {**_action("praSchNewPr", "SCHEDULEEVENT", programStage={"id": EVENT_STAGE["id"]}),
           "programRule": {"id": EVENT_RULE["id"]}}
    body = post_metadata(running.url, {"programs": [untyped], "programStages": [EVENT_STAGE],
                                       "programRules": [EVENT_RULE],
                                       "programRuleActions": [new]}).json()
    assert sorted(e["errorCode"] for e in object_errors(body)) == ["E4000", "E4083"]
