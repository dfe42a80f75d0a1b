"""Object-bundle hook validation (ValidationHooksCheck), constructed from dhis2-core's
RelationshipTypeObjectBundleHook, ProgramRuleVariableObjectBundleHook and
TrackedEntityAttributeObjectBundleHook (2.41.9 = 2.42.5 = 2.43.1 for these checks)."""

from __future__ import annotations

from typing import Any

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import object_errors, post_metadata

ATTR = {"id": "teaCode0001", "name": "Member code", "shortName": "Member code",
        "valueType": "TEXT", "aggregationType": "NONE"}
TET = {"id": "tetPerson01", "name": "Member", "shortName": "Member",
       "trackedEntityTypeAttributes": [
    {"trackedEntityAttribute": {"id": ATTR["id"]}}]}
GROUP_TET = {"id": "tetGroup001", "name": "Group", "shortName": "Group"}


def _relationship_type(attributes: list[str]) -> dict[str, Any]:
    return {
        "id": "relType0001", "name": "Member of group", "bidirectional": True,
        "fromToName": "Member of", "toFromName": "Has member",
        "fromConstraint": {"relationshipEntity": "TRACKED_ENTITY_INSTANCE",
                           "trackedEntityType": {"id": TET["id"]},
                           "trackerDataView": {"attributes": attributes, "dataElements": []}},
        "toConstraint": {"relationshipEntity": "TRACKED_ENTITY_INSTANCE",
                         "trackedEntityType": {"id": GROUP_TET["id"]}},
    }


def test_e4314_data_view_attributes_are_looked_up_in_the_database(
        fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    first = {"trackedEntityAttributes": [ATTR], "trackedEntityTypes": [TET, GROUP_TET],
             "relationshipTypes": [_relationship_type([ATTR["id"]])]}
    body = post_metadata(url, first).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E4314" and body["response"]["status"] == "ERROR"
    assert error["message"] == ("Provided `TrackedEntityAttributes`: (`teaCode0001`) are not "
                                "part of the selected `TrackedEntityType/Program`")
    # without the view the first import passes; once the type is stored, the view passes too
    assert post_metadata(url, {**first, "relationshipTypes": [_relationship_type([])]}
                         ).status_code == 200
    assert post_metadata(url, first).status_code == 200


def test_e4024_and_e4023_constraint_shape(fresh_sandbox: RunningSandbox) -> None:
    rel = _relationship_type([])
    rel["toConstraint"] = {"relationshipEntity": "TRACKED_ENTITY_INSTANCE",
                           "trackerDataView": {"attributes": [], "dataElements": []}}
    rel["fromConstraint"]["trackerDataView"]["dataElements"] = ["deUid000001"]
    body = post_metadata(fresh_sandbox.url, {"trackedEntityTypes": [TET | {
        "trackedEntityTypeAttributes": []}], "relationshipTypes": [rel]}).json()
    assert sorted(e["errorCode"] for e in object_errors(body)) == ["E4023", "E4024"]


def test_program_rule_variable_source_and_name(fresh_sandbox: RunningSandbox) -> None:
    program = {"id": "prgEvent001", "name": "Sessions", "shortName": "Sessions",
               "programType": "WITHOUT_REGISTRATION"}
    variables = [
        {"id": "prvUid00001", "name": "age and sex", "program": {"id": program["id"]},
         "programRuleVariableSourceType": "CALCULATED_VALUE", "valueType": "NUMBER"},
        {"id": "prvUid00002", "name": "latest", "program": {"id": program["id"]},
         "programRuleVariableSourceType": "DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE"},
        {"id": "prvUid00003", "name": "born", "program": {"id": program["id"]},
         "programRuleVariableSourceType": "TEI_ATTRIBUTE"},
        {"id": "prvUid00004", "name": "calc", "program": {"id": program["id"]},
         "programRuleVariableSourceType": "CALCULATED_VALUE"},
    ]
    body = post_metadata(fresh_sandbox.url, {"programs": [program],
                                             "programRuleVariables": variables}).json()
    codes = sorted(e["errorCode"] for e in object_errors(body))
    assert codes == ["E4052", "E4059", "E4089", "E4091", "E4092"]


def test_generated_attribute_pattern(fresh_sandbox: RunningSandbox) -> None:
    good = {**ATTR, "id": "teaGen00001", "name": "System ID", "shortName": "System ID",
            "generated": True, "unique": True, "pattern": "RANDOM(XXX####)"}
    assert post_metadata(fresh_sandbox.url, {"trackedEntityAttributes": [good]}
                         ).status_code == 200
    bad = [{**good, "id": "teaGen00002", "name": "A", "shortName": "A",
            "pattern": '"ID-" + ORG_UNIT_CODE()'},
           {**good, "id": "teaGen00003", "name": "B", "shortName": "B", "valueType": "NUMBER",
            "pattern": "SEQUENTIAL(###)"},
           {**good, "id": "teaGen00004", "name": "C", "shortName": "C", "pattern": "RANDOM("}]
    body = post_metadata(fresh_sandbox.url, {"trackedEntityAttributes": bad}).json()
    assert sorted(e["errorCode"] for e in object_errors(body)) == ["E4010", "E4019", "E4021"]


def test_a_hook_report_has_its_own_class_and_no_main_id(fresh_sandbox: RunningSandbox) -> None:
    # `new ErrorReport(RelationshipConstraint.class, E4024, …)`: the hook's class is the report's
    # mainKlass; neither mainId nor errorKlass is set (RelationshipTypeObjectBundleHook).
    rel = _relationship_type([])
    rel["toConstraint"] = {"relationshipEntity": "TRACKED_ENTITY_INSTANCE"}
    body = post_metadata(fresh_sandbox.url, {"trackedEntityTypes": [TET | {
        "trackedEntityTypeAttributes": []}], "relationshipTypes": [rel]}).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E4024"
    assert error["mainKlass"] == "org.hisp.dhis.relationship.RelationshipConstraint"
    assert "mainId" not in error and "errorKlass" not in error


PROGRAM = {"id": "prgHooks001", "name": "Hooks", "shortName": "Hooks",
           "programType": "WITHOUT_REGISTRATION"}


def test_e4057_a_program_rule_name_taken_in_the_program(fresh_sandbox: RunningSandbox) -> None:
    # ProgramRuleObjectBundleHook#validate: a stored rule of the program with the same name,
    # without case, and another uid.
    url = fresh_sandbox.url
    rule = {"id": "prRule00001", "name": "Show hint", "program": {"id": PROGRAM["id"]},
            "condition": "true"}
    assert post_metadata(url, {"programs": [PROGRAM], "programRules": [rule]}).status_code == 200
    assert post_metadata(url, {"programRules": [rule]}).status_code == 200  # itself
    body = post_metadata(url, {"programRules": [
        {**rule, "id": "prRule00002", "name": "SHOW HINT"}]}).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E4057"
    assert error["message"] == "The Program Rule name SHOW HINT already exist in Program Hooks"
    assert error["mainKlass"] == "org.hisp.dhis.programrule.ProgramRule"


def test_e4053_and_e6001_program_stage_hook(fresh_sandbox: RunningSandbox) -> None:
    # ProgramStageObjectBundleHook#validate: a stage needs a program (its own or one of the
    # bundle listing it); the next schedule date is a DATE data element of the stage.
    url = fresh_sandbox.url
    orphan = {"id": "stgOrphan01", "name": "Orphan", "programStageDataElements": []}
    body = post_metadata(url, {"programStages": [orphan]}).json()
    assert [e["errorCode"] for e in object_errors(body)] == ["E4053"]
    listed = {**PROGRAM, "programStages": [{"id": orphan["id"]}]}
    assert post_metadata(url, {"programs": [listed], "programStages": [orphan]}
                         ).status_code == 200
    text = {"id": "deText00001", "name": "Note", "shortName": "Note", "valueType": "TEXT",
            "domainType": "TRACKER", "aggregationType": "NONE"}
    stage = {**orphan, "program": {"id": PROGRAM["id"]}, "nextScheduleDate": {"id": text["id"]},
             "programStageDataElements": [{"id": "psdeNote001", "dataElement": {"id": text["id"]},
                                           "programStage": {"id": orphan["id"]}}]}
    body = post_metadata(url, {"dataElements": [text], "programStages": [stage]}).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E6001" and error["args"] == ["stgOrphan01", "deText00001"]
