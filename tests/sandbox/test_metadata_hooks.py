"""Object-bundle hook validation (ValidationHooksCheck), constructed from dhis2-core's
RelationshipTypeObjectBundleHook, ProgramRuleVariableObjectBundleHook and
TrackedEntityAttributeObjectBundleHook (2.41.9 = 2.42.5 = 2.43.1 for these checks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, object_errors, post_metadata, unit_uid, written_new

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


def test_e4314_reads_the_data_view_attributes_as_a_linked_hash_set(
        fresh_sandbox: RunningSandbox) -> None:
    # TrackerDataView#attributes is a LinkedHashSet<String>: a repeat is dropped, and `""` is
    # read as null (EmptyStringToNullStdDeserializer), which String.join writes "null"
    url = fresh_sandbox.url
    payload = {"trackedEntityAttributes": [ATTR], "trackedEntityTypes": [TET, GROUP_TET],
               "relationshipTypes": [_relationship_type(
                   ["teaMissing1", ATTR["id"], "teaMissing1", "", "teaMissing2"])]}
    (error,) = object_errors(post_metadata(url, payload).json())
    assert error["args"][1] == "teaMissing1,teaCode0001,null,teaMissing2"


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
        # sent as null: without the key the field's ValueType.TEXT initialiser answers
        {"id": "prvUid00004", "name": "calc", "program": {"id": program["id"]},
         "programRuleVariableSourceType": "CALCULATED_VALUE", "valueType": None},
    ]
    body = post_metadata(fresh_sandbox.url, {"programs": [program],
                                             "programRuleVariables": variables}).json()
    codes = sorted(e["errorCode"] for e in object_errors(body))
    # the null valueType is the schema check's E4000 as well
    assert codes == ["E4000", "E4052", "E4059", "E4089", "E4091", "E4092"]


def test_a_generated_attribute_pattern_is_found_as_java_finds_it(
        fresh_sandbox: RunningSandbox) -> None:
    # TextPatternParser#parse walks EXPRESSION_REGEX with Matcher#find: what no segment matches
    # is passed over; Java's `.` in METHOD_REGEX and CURRENT_DATE's pattern is no line
    # terminator, so `CURRENT_DATE(yy\u2028yy)` is no method and the expression has none.
    # E4019's second argument is the TextPatternParsingException's message.
    bad = {**ATTR, "id": "teaGen00011", "name": "D", "shortName": "D", "generated": True,
           "unique": True, "pattern": 'CURRENT_DATE(yy\u2028yy) + RANDOM(###)'}
    body = post_metadata(fresh_sandbox.url, {"trackedEntityAttributes": [bad]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E4019", [bad["pattern"], "Could not parse expression: Unexpected '+' at position 21"])]
    for pattern, message in (("x", "The expression is invalid"),
                             ("RANDOM(S)", "Failed to parse the following method: 'RANDOM(S)' "
                                           "at position 1"),
                             ("RANDOM(#) + ", "Unexpected '+' at the end of the expression")):
        body = post_metadata(fresh_sandbox.url, {"trackedEntityAttributes": [
            {**bad, "pattern": pattern}]}).json()
        assert [e["args"] for e in object_errors(body)] == [
            [pattern, f"Could not parse expression: {message}"]], pattern
    passed_over = {**bad, "pattern": 'id: "VN-" + RANDOM(###) !'}
    assert post_metadata(fresh_sandbox.url, {"trackedEntityAttributes": [passed_over]}
                         ).status_code == 200


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


def test_e4057_compares_names_as_java_equals_ignore_case(fresh_sandbox: RunningSandbox) -> None:
    # String#equalsIgnoreCase maps character by character (simple case mappings): a final
    # sigma is a sigma, a dotted capital I an i; a ligature is not its letters.
    url = fresh_sandbox.url
    rule = {"id": "prRule00011", "name": "ΟΡΟΣ İ", "program": {"id": PROGRAM["id"]},
            "condition": "true"}
    assert post_metadata(url, {"programs": [PROGRAM], "programRules": [rule]}).status_code == 200
    body = post_metadata(url, {"programRules": [
        {**rule, "id": "prRule00012", "name": "οροσ i"}]}).json()
    assert [e["errorCode"] for e in object_errors(body)] == ["E4057"]
    ligature = {**rule, "id": "prRule00013", "name": "ﬀ"}
    assert post_metadata(url, {"programRules": [ligature]}).status_code == 200
    assert post_metadata(url, {"programRules": [
        {**ligature, "id": "prRule00014", "name": "FF"}]}).status_code == 200


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


OPTION_SET = {"id": "osHooks0001", "name": "Meeting kinds", "valueType": "TEXT",
              "options": [{"id": "opHooks0001"}, {"id": "opHooks0002"}]}
OPTIONS = [{"id": "opHooks0001", "name": "Home", "code": "HOME",
            "optionSet": {"id": OPTION_SET["id"]}},
           {"id": "opHooks0002", "name": "Online", "code": "ONLINE",
            "optionSet": {"id": OPTION_SET["id"]}}]


def test_e4028_an_option_repeats_a_stored_option_of_its_set(
        fresh_sandbox: RunningSandbox) -> None:
    # OptionObjectBundleHook#checkDuplicateOption: the preheat's set is the stored one with its
    # stored options, so a new set's shallow references compare nothing and pass.
    url = fresh_sandbox.url
    assert post_metadata(url, {"optionSets": [OPTION_SET], "options": OPTIONS}).status_code == 200
    renamed = {**OPTIONS[1], "name": "Home"}  # takes the name of opHooks0001
    body = post_metadata(url, {"options": [renamed]}).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E4028"
    assert error["mainKlass"] == "org.hisp.dhis.option.OptionSet"
    assert error["message"] == "Option set `osHooks0001` already contains option `opHooks0001`"
    assert post_metadata(url, {"options": OPTIONS}).status_code == 200  # itself is skipped


def test_e1118_a_comma_in_a_multi_text_option_code(fresh_sandbox: RunningSandbox) -> None:
    # DefaultOptionService#validateOption (2.43.1: as a ConflictException, same code and args).
    multi = {**OPTION_SET, "valueType": "MULTI_TEXT", "options": [{"id": "opHooks0001"}]}
    option = {**OPTIONS[0], "code": "HOME,VISIT"}
    body = post_metadata(fresh_sandbox.url, {"optionSets": [multi], "options": [option]}).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E1118" and error["args"] == ["osHooks0001", "HOME,VISIT"]


def test_e5001_a_tracked_entity_type_attribute_missing_from_the_preheat(
        fresh_sandbox: RunningSandbox) -> None:
    # TrackedEntityTypeObjectBundleHook#validate sets mainId and errorProperty on its E5001;
    # ReferencesCheck still adds E5002 for the embedded attribute.
    tet = {**TET, "trackedEntityTypeAttributes": [
        {"trackedEntityAttribute": {"id": "teaMissing1"}}]}
    body = post_metadata(fresh_sandbox.url, {"trackedEntityTypes": [tet]}).json()
    errors = object_errors(body)
    assert [e["errorCode"] for e in errors] == ["E5001", "E5002"]
    e5001 = errors[0]
    assert e5001["mainKlass"] == "org.hisp.dhis.trackedentity.TrackedEntityAttribute"
    assert e5001["mainId"] == "teaMissing1" and e5001["errorProperty"] == "id"
    assert e5001["args"] == ["UID", "[teaMissing1] (TrackedEntityAttribute)"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e4013_a_closing_date_before_the_opening_date(sandbox_factory, version) -> None:
    # OrganisationUnitObjectBundleHook#validateOpeningClosingDate: Date args (`Date#toString`),
    # errorProperties through WriteDateStdSerializer, the message MessageFormat's short form,
    # whose AM/PM follows a narrow no-break space on the JDK 21 of 2.43 (CLDR 42).
    fresh_sandbox = sandbox_factory(version=version)
    root = requests.get(f"{fresh_sandbox.url}/api/organisationUnits", params={
        "filter": "code:eq:VN", "fields": "id"}, auth=ADMIN, timeout=30
    ).json()["organisationUnits"][0]
    unit = {"id": "ouHooks0001", "name": "Nhóm thử", "shortName": "Nhóm thử",
            "openingDate": "2024-03-05", "closedDate": "2024-03-01T13:30:00.000",
            "parent": {"id": root["id"]}}
    body = post_metadata(fresh_sandbox.url, {"organisationUnits": [unit]}).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E4013"
    assert error["args"] == ["Fri Mar 01 13:30:00 UTC 2024", "Tue Mar 05 00:00:00 UTC 2024"]
    assert error["errorProperties"] == ["2024-03-01T13:30:00.000", "2024-03-05T00:00:00.000"]
    space = "\u202f" if version == "2.43" else " "
    assert error["message"] == (f"Invalid closing date `3/1/24, 1:30{space}PM`, must be after "
                                f"opening date `3/5/24, 12:00{space}AM`")
    same_day = {**unit, "closedDate": "2024-03-05"}
    assert post_metadata(fresh_sandbox.url, {"organisationUnits": [same_day]}).status_code == 200


def test_moving_an_org_unit_needs_the_move_authority(fresh_sandbox: RunningSandbox) -> None:
    # OrganisationUnitObjectBundleHook#validatePotentialMove: a superuser moves freely; a user
    # without F_ORGANISATIONUNIT_MOVE gets E1520 with their uid, a rename is no move.
    url = fresh_sandbox.url
    ward = requests.get(f"{url}/api/organisationUnits", params={
        "filter": "code:eq:VN-79-C001", "fields": ":owner"}, auth=ADMIN, timeout=30
    ).json()["organisationUnits"][0]
    other = requests.get(f"{url}/api/organisationUnits", params={
        "filter": "code:eq:VN-01", "fields": "id"}, auth=ADMIN, timeout=30
    ).json()["organisationUnits"][0]
    moved = {**ward, "parent": {"id": other["id"]}}
    manager = ("metadata.manager", "district")
    body = post_metadata(url, {"organisationUnits": [moved]}, auth=manager).json()
    me = requests.get(f"{url}/api/me", auth=manager, timeout=30).json()["id"]
    # (the manager may not update org units at all either: E3001 beside it)
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)
            if e["errorCode"].startswith("E152")] == [("E1520", [me])]
    renamed = {**ward, "name": f"{ward['name']} (mới)"}
    assert [e["errorCode"] for e in object_errors(
        post_metadata(url, {"organisationUnits": [renamed]}, auth=manager).json())
        if e["errorCode"].startswith("E152")] == []
    assert post_metadata(url, {"organisationUnits": [moved]}).status_code == 200


def test_program_hook_related_program_and_attribute_read_access(
        fresh_sandbox: RunningSandbox) -> None:
    # ProgramObjectBundleHook#validate: E6022 (itself), E4023 (a related program on a program
    # without registration), E3012 for an attribute the preheat lacks (ReferencesCheck's
    # E5002 beside it).
    program = {**PROGRAM, "relatedProgram": {"id": PROGRAM["id"]},
               "programTrackedEntityAttributes": [
                   {"id": "ptaHooks001", "trackedEntityAttribute": {"id": "teaMissing1"},
                    "program": {"id": PROGRAM["id"]}}]}
    body = post_metadata(fresh_sandbox.url, {"programs": [program]}).json()
    by_code = {e["errorCode"]: e for e in object_errors(body)}
    assert sorted(by_code) == ["E3012", "E4023", "E5002", "E6022"]
    assert by_code["E6022"]["args"] == ["relatedProgram"]
    assert by_code["E4023"]["message"] == ("Property `relatedProgram` can not be set when "
                                           "property `programType` is `WITHOUT_REGISTRATION`")
    assert by_code["E3012"]["mainKlass"] == "org.hisp.dhis.trackedentity.TrackedEntityAttribute"
    assert by_code["E3012"]["args"][1] == "[teaMissing1] (TrackedEntityAttribute)"


@pytest.mark.parametrize(("version", "codes"), [
    ("2.41", []), ("2.42", ["E4075", "E4076", "E4077", "E4079", "E4080"]),
    ("2.43", ["E4075", "E4076", "E4077", "E4079", "E4080"])])
def test_program_category_mappings_from_2_42(
        sandbox_factory: Callable[..., RunningSandbox], version: str, codes: list[str]) -> None:
    # ProgramObjectBundleHook#validateCategoryMappings (2.42.5, 2.43.1; absent at 2.41.9).
    mappings = [
        {"id": "cmHooks0001", "categoryId": "catHooks001", "mappingName": "A",
         "optionMappings": [{"optionId": "coHooks0001"}, {"optionId": "coHooks0001"}]},
        {"id": "cmHooks0001", "categoryId": "catHooks001", "mappingName": "A",
         "optionMappings": [{"optionId": "bad"}]},
        {"id": "bad", "categoryId": "catHooks001", "mappingName": "B", "optionMappings": []}]
    running = sandbox_factory(version=version)
    body = post_metadata(running.url, {"programs": [{**PROGRAM, "categoryMappings": mappings}]},
                         atomicMode="NONE").json()
    assert [e["errorCode"] for e in object_errors(body)] == codes


def _categories(count: int) -> dict[str, Any]:
    options = [{"id": f"coLimit{i:04d}", "name": f"Option {i}", "shortName": f"Option {i}"}
               for i in range(count)]
    categories = [{"id": f"caLimit{i:04d}", "name": f"Category {i}", "shortName": f"Cat {i}",
                   "dataDimensionType": "DISAGGREGATION",
                   "categoryOptions": [{"id": options[i]["id"]}]} for i in range(count)]
    return {"categoryOptions": options, "categories": categories}


@pytest.mark.parametrize(("version", "codes"), [("2.41", []), ("2.42", ["E1126"]),
                                                ("2.43", ["E1126"])])
def test_a_category_combo_of_more_than_five_categories_from_2_42(
        sandbox_factory: Callable[..., RunningSandbox], version: str, codes: list[str]) -> None:
    # CategoryComboObjectBundleHook#checkIsValid (2.42.5, 2.43.1): DefaultCategoryService
    # #validate's E1126 with metadata.categories.max_per_combo 5, reported on
    # CategoryOptionCombo.
    running = sandbox_factory(version=version)
    package = _categories(6)
    combo = {"id": "ccLimit0001", "name": "Six", "dataDimensionType": "DISAGGREGATION",
             "categories": [{"id": c["id"]} for c in package["categories"]]}
    body = post_metadata(running.url, {**package, "categoryCombos": [combo]},
                         atomicMode="NONE").json()
    errors = [e for e in object_errors(body) if e["errorCode"].startswith("E112")]
    assert [e["errorCode"] for e in errors] == codes
    if codes:
        assert errors[0]["mainKlass"] == "org.hisp.dhis.category.CategoryOptionCombo"
        assert errors[0]["message"] == ("Category combo ccLimit0001 cannot combine more than 5 "
                                        "categories, but had: 6")


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_category_limit_numbers_are_integers_in_the_report(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # DefaultCategoryService#validate(CategoryCombo) throws ConflictException(E1128, uid,
    # maxCombinations, actualCombinations) with int args (2.42.5 :340, 2.43.1 :347), which
    # CategoryComboObjectBundleHook#checkIsValid (2.42.5 and 2.43.1 :74) passes to ErrorReport:
    # `args` by toString, the message by MessageFormat (grouped), errorProperties the numbers.
    running = sandbox_factory(version=version)
    options = [{"id": f"coWide{i:05d}", "name": f"Wide {i}", "shortName": f"Wide {i}"}
               for i in range(64)]
    categories = [{"id": f"caWide0000{c}", "name": f"Wide {c}", "shortName": f"Wide {c}",
                   "dataDimensionType": "DISAGGREGATION",
                   "categoryOptions": [{"id": o["id"]} for o in options[c * 32:(c + 1) * 32]]}
                  for c in range(2)]
    combo = {"id": "ccWide00001", "name": "Wide", "dataDimensionType": "DISAGGREGATION",
             "categories": [{"id": c["id"]} for c in categories]}
    assert post_metadata(running.url, {"categoryOptions": options, "categories": categories}
                         ).status_code == 200
    body = post_metadata(running.url, {"categoryCombos": [combo]}, atomicMode="NONE").json()
    (error,) = [e for e in object_errors(body) if e["errorCode"] == "E1128"]
    assert error["args"] == ["ccWide00001", "500", "1024"]
    assert error["errorProperties"] == ["ccWide00001", 500, 1024]
    assert error["message"] == ("Category combo ccWide00001 cannot have more than 500 "
                                "combinations, but requires: 1,024")


def test_e1127_a_stored_category_with_too_many_options(
        sandbox_factory: Callable[..., RunningSandbox]) -> None:
    # The combo's categories are shallow references, so their options are counted in the
    # store (CategoryOptionStore#getCategoryOptionsCount): a category with 51 options that got
    # there before the limit (2.41 has no category hook; here written into the store directly,
    # as the 2.42+ category hook refuses it on import).
    running = sandbox_factory(version="2.42")
    url = running.url
    options = [{"id": f"coMany{i:05d}", "name": f"Many {i}", "shortName": f"Many {i}"}
               for i in range(51)]
    category = {"id": "caMany00001", "name": "Many", "shortName": "Many",
                "dataDimensionType": "DISAGGREGATION"}
    assert post_metadata(url, {"categoryOptions": options, "categories": [category]}
                         ).status_code == 200
    stored = running.store.get_object("categories", "caMany00001") or {}
    running.store.put_object("categories", {
        **stored, "categoryOptions": [{"id": o["id"]} for o in options]})
    combo = {"id": "ccMany00001", "name": "Many", "dataDimensionType": "DISAGGREGATION",
             "categories": [{"id": category["id"]}]}
    body = post_metadata(url, {"categoryCombos": [combo]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E1127", ["caMany00001", "50", "51"])]


def test_e4013_a_data_input_period_closing_before_it_opens(
        fresh_sandbox: RunningSandbox) -> None:
    # DataSetObjectBundleHook#validate: args (closing, opening), on DataSet.
    data_set = {"id": "dsHooks0001", "name": "Officials", "shortName": "Officials",
                "periodType": "Monthly", "dataInputPeriods": [
                    {"period": {"id": "202401"}, "openingDate": "2024-02-10",
                     "closingDate": "2024-02-01"}]}
    body = post_metadata(fresh_sandbox.url, {"dataSets": [data_set]}, atomicMode="NONE").json()
    (error,) = [e for e in object_errors(body) if e["errorCode"] == "E4013"]
    assert error["mainKlass"] == "org.hisp.dhis.dataset.DataSet"
    assert error["args"] == ["Thu Feb 01 00:00:00 UTC 2024", "Sat Feb 10 00:00:00 UTC 2024"]


def test_e1120_a_combo_with_data_values_keeps_its_categories(
        fresh_sandbox: RunningSandbox) -> None:
    # CategoryComboObjectBundleHook#checkIfDataBecomesInaccessible: another set of categories
    # on a stored combo with data values (HibernateDataValueStore#dataValueExists).
    url = fresh_sandbox.url
    province = unit_uid(url, "VN-79")
    package = _categories(2)
    combo = {"id": "ccData00001", "name": "Sex", "dataDimensionType": "DISAGGREGATION",
             "categories": [{"id": "caLimit0000"}]}
    option_combo = {"id": "cocData0001", "name": "Option 0", "categoryCombo": {"id": combo["id"]},
                    "categoryOptions": [{"id": "coLimit0000"}]}
    element = {"id": "deData00001", "name": "Members", "shortName": "Members",
               "valueType": "INTEGER", "domainType": "AGGREGATE", "aggregationType": "SUM",
               "categoryCombo": {"id": combo["id"]}}
    data_set = {"id": "dsData00001", "name": "Counts", "shortName": "Counts",
                "periodType": "Monthly", "organisationUnits": [{"id": province}],
                "dataSetElements": [{"dataElement": {"id": element["id"]},
                                     "dataSet": {"id": "dsData00001"}}]}
    assert post_metadata(url, {**package, "categoryCombos": [combo],
                               "categoryOptionCombos": [option_combo],
                               "dataElements": [element], "dataSets": [data_set]}
                         ).status_code == 200
    grown = {**combo, "categories": [{"id": "caLimit0000"}, {"id": "caLimit0001"}]}
    assert post_metadata(url, {"categoryCombos": [grown]}, importMode="VALIDATE"
                         ).status_code == 200  # no data values yet
    sent = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=30, json={
        "dataSet": data_set["id"], "period": "202401", "orgUnit": province,
        "dataValues": [{"dataElement": element["id"], "categoryOptionCombo": option_combo["id"],
                        "value": "3"}]})
    assert sent.json()["response"]["importCount"]["imported"] == 1, sent.text
    body = post_metadata(url, {"categoryCombos": [grown]}).json()
    assert [(e["errorCode"], e["mainKlass"], e["args"]) for e in object_errors(body)] == [
        ("E1120", "org.hisp.dhis.category.CategoryCombo", ["Sex"])]


def _user(uid: str, username: str, **extra: Any) -> dict[str, Any]:
    return {"id": uid, "username": username, "firstName": "Thử", "surname": "Nghiệm",
            "password": "Synthetic-2025!", "userRoles": [{"id": ROLE}], **extra}


ROLE = "urHooks0001"
ROLE_PAYLOAD = {"userRoles": [{"id": ROLE, "name": "Hooks role", "authorities": []}]}


def test_user_hook_checks_per_strategy(fresh_sandbox: RunningSandbox) -> None:
    # UserObjectBundleHook#validate: the username checks run under CREATE only (ImportStrategy
    # #isCreate), the rename check under UPDATE only; E4055 and E4027 always.
    url = fresh_sandbox.url
    assert post_metadata(url, {**ROLE_PAYLOAD, "users": [_user("usHooks0001", "hooks.one")]}
                         ).status_code == 200
    taken = _user("usHooks0002", "hooks.one")  # (UniquenessCheck's E5003 beside it)
    assert [e["errorCode"] for e in object_errors(post_metadata(
        url, {"users": [taken]}, importStrategy="CREATE").json())] == ["E4054", "E5003"]
    assert [e["errorCode"] for e in object_errors(post_metadata(
        url, {"users": [taken]}).json())] == ["E5003"]  # CREATE_AND_UPDATE: no E4054
    bad = _user("usHooks0003", "-x", whatsApp="0901234567")
    errors = object_errors(post_metadata(url, {"users": [bad]}, importStrategy="CREATE").json())
    by_code = {e["errorCode"]: e for e in errors}
    assert sorted(by_code) == ["E4027", "E4049"]
    assert by_code["E4049"]["errorProperty"] == "username"
    assert by_code["E4049"]["message"] == ("Property `username` requires a valid username, was "
                                           "given `-x`")
    assert by_code["E4027"]["args"] == ["0901234567", "whatsApp"]
    renamed = _user("usHooks0001", "hooks.renamed")
    assert [e["errorCode"] for e in object_errors(post_metadata(
        url, {"users": [renamed]}, importStrategy="UPDATE").json())] == ["E4056"]
    no_role = {**_user("usHooks0004", "hooks.four"), "userRoles": []}
    (error,) = object_errors(post_metadata(url, {"users": [no_role]}).json())
    assert error["errorCode"] == "E4055" and error["args"] == ["username", "hooks.four"]


def test_username_and_whatsapp_patterns_match_as_java_matches(fresh_sandbox: RunningSandbox) -> None:
    # ValidationUtils USERNAME_PATTERN / INTERNATIONAL_PHONE_PATTERN with `Matcher#matches`: a
    # final line break is not the end of the value, and `.` is no line terminator (U+2028).
    url = fresh_sandbox.url
    assert post_metadata(url, ROLE_PAYLOAD).status_code == 200
    for uid, username, whatsapp, codes in (
            ("usHooks0011", "hooks.eleven\n", "+84901234567", ["E4049"]),
            ("usHooks0012", "hooks.twelve", "+84901234567\n", ["E4027"]),
            ("usHooks0013", "hooks.thirteen", "+84901\u2028234567", ["E4027"]),
            ("usHooks0014", "hooks.fourteen", "+84 901-234.567", [])):
        body = post_metadata(url, {"users": [_user(uid, username, whatsApp=whatsapp)]},
                             importStrategy="CREATE").json()
        assert [e["errorCode"] for e in object_errors(body)] == codes, (uid, body)


def test_the_oidc_mapping_is_the_enabled_user_who_logged_in_last(
        fresh_sandbox: RunningSandbox) -> None:
    # HibernateUserStore#getUserByOpenId: among the enabled users with the openId, the one who
    # logged in last; E4054 when that is another user (linked accounts are off by default)
    running = fresh_sandbox
    assert post_metadata(running.url, ROLE_PAYLOAD).status_code == 200
    for uid, name in (("usOidc00001", "oidc.one"), ("usOidc00002", "oidc.two")):
        body = post_metadata(running.url, {"users": [_user(uid, name, openId="oid-shared")]},
                             atomicMode="NONE").json()
        assert body["response"]["stats"]["created"] == 1 or uid == "usOidc00002", body
    one = running.store.get_object("users", "usOidc00001")

    def codes(uid: str, name: str) -> list[str]:
        body = post_metadata(running.url, {"users": [_user(uid, name, openId="oid-shared")]}).json()
        return [e["errorCode"] for e in object_errors(body)]

    assert codes("usOidc00003", "oidc.three") == ["E4054"]
    assert codes("usOidc00001", "oidc.one") == []  # the holder itself
    running.store.put_object("users", {**one, "disabled": True})
    assert codes("usOidc00003", "oidc.three") == []  # a disabled holder is none


@pytest.mark.parametrize(("version", "codes"), [("2.41", []), ("2.42", ["E4055"]),
                                                ("2.43", ["E4055"])])
def test_user_roles_in_legacy_user_credentials_per_release(
        sandbox_factory: Callable[..., RunningSandbox], version: str, codes: list[str]) -> None:
    # 2.41.9 copies `userCredentials` onto the user first (User
    # #populateUserCredentialsDtoFields); 2.42.5 and 2.43.1 have no such property.
    running = sandbox_factory(version=version)
    legacy = {**_user("usHooks0005", "hooks.five"), "userRoles": [],
              "userCredentials": {"username": "hooks.five", "userRoles": [{"id": ROLE}]}}
    body = post_metadata(running.url, {**ROLE_PAYLOAD, "users": [legacy]}).json()
    assert [e["errorCode"] for e in object_errors(body)] == codes


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_legacy_user_credentials_alone_per_import_strategy(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.42.5 / 2.43.1 skip `userCredentials`, so the user has neither username nor roles:
    # UserObjectBundleHook#validate (:85) checks the username (E4049, :95) only under
    # ImportStrategy#isCreate (:47, NEW or CREATE), the roles (E4055, :129) always.
    running = sandbox_factory(version=version)
    legacy = {"id": "usLegacy003", "firstName": "Thử", "surname": "Nghiệm",
              "userCredentials": {"username": "legacy.three", "password": "Synthetic-2025!",
                                  "userRoles": [{"id": ROLE}]}}
    for strategy, codes in (("CREATE_AND_UPDATE", ["E4055"]), ("CREATE", ["E4049", "E4055"])):
        body = post_metadata(running.url, {**ROLE_PAYLOAD, "users": [legacy]},
                             importStrategy=strategy).json()
        assert [e["errorCode"] for e in object_errors(body)] == codes, strategy


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_user_posted_with_legacy_user_credentials(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.41.9 UserController#postObject copies `userCredentials` onto the user
    # (User#populateUserCredentialsDtoFields) before it is validated and saved, so the user
    # stored has its username and roles; 2.42.5 and 2.43.1 User has no such property.
    running = sandbox_factory(version=version)
    url = running.url
    assert post_metadata(url, ROLE_PAYLOAD).status_code == 200
    legacy = {"id": "usLegacy001", "firstName": "Thử", "surname": "Nghiệm",
              "userCredentials": {"username": "legacy.one", "password": "Synthetic-2025!",
                                  "userRoles": [{"id": ROLE}]}}
    answer = requests.post(f"{url}/api/users", json=legacy, auth=ADMIN, timeout=30)
    if version == "2.41":
        assert answer.status_code == 201, answer.text
        stored = requests.get(f"{url}/api/users/usLegacy001", auth=ADMIN, timeout=30, params={
            "fields": "username,userRoles[id]"}).json()
        assert stored == {"username": "legacy.one", "userRoles": [{"id": ROLE}]}
        me = requests.get(f"{url}/api/me", auth=("legacy.one", "Synthetic-2025!"), timeout=30,
                          params={"fields": "username"})
        assert me.status_code == 200 and me.json()["username"] == "legacy.one"
    else:
        assert answer.status_code == 409
        reports = answer.json()["response"]["errorReports"]
        assert [r["errorCode"] for r in reports] == ["E4049", "E4055"]


def test_legacy_user_credentials_are_copied_whole_on_create(
        sandbox_factory: Callable[..., RunningSandbox]) -> None:
    # 2.41.9 User#populateUserCredentialsDtoFields is BeanUtils#copyProperties: what the object
    # does not carry overwrites the user's own with UserCredentialsDto's default (null, false,
    # an empty set); PUT /api/users/{uid} copies the changed values only.
    running = sandbox_factory(version="2.41")
    url = running.url
    assert post_metadata(url, ROLE_PAYLOAD).status_code == 200
    own = {"id": "usLegacy004", "firstName": "Thử", "surname": "Nghiệm", "disabled": True,
           "openId": "legacy.four.openid"}
    credentials = {"username": "legacy.four", "password": "Synthetic-2025!",
                   "userRoles": [{"id": ROLE}]}
    assert post_metadata(url, {"users": [{**own, "userCredentials": credentials}]}
                         ).status_code == 200
    fields = {"fields": "username,disabled,openId"}
    stored = requests.get(f"{url}/api/users/usLegacy004", params=fields, auth=ADMIN,
                          timeout=30).json()
    assert stored == {"username": "legacy.four", "disabled": False}
    # the username the object lacks is null: the create's E4049
    nameless = {**own, "id": "usLegacy005", "username": "legacy.five",
                "userCredentials": {"password": "Synthetic-2025!", "userRoles": [{"id": ROLE}]}}
    answer = requests.post(f"{url}/api/users", json=nameless, auth=ADMIN, timeout=30)
    assert answer.status_code == 409, answer.text
    reports = answer.json()["response"]["errorReports"]
    assert [(r["errorCode"], r["message"]) for r in reports] == [
        ("E4049", "Property `username` requires a valid username, was given `null`")]
    # PUT (#populateUserCredentialsDtoCopyOnlyChanges) writes a non-null value that differs
    # from the stored user's, the object's first, then the user's own where it changed too (a
    # top-level openId would win over the object's):
    # the DTO's `disabled` false equals the stored false, so the user's own true stays ...
    body = {**own, "username": "legacy.four", "userRoles": [{"id": ROLE}], "openId": None,
            "userCredentials": {"openId": "legacy.four.other"}}
    put = requests.put(f"{url}/api/users/usLegacy004", auth=ADMIN, timeout=30, json=body)
    assert put.status_code == 200, put.text
    stored = requests.get(f"{url}/api/users/usLegacy004", params=fields, auth=ADMIN,
                          timeout=30).json()
    assert stored == {"username": "legacy.four", "disabled": True, "openId": "legacy.four.other"}
    # ... and once true is stored, that false differs from it and the unchanged own true does
    # not; the object's openId now equals the stored one, so the user's own null stays
    put = requests.put(f"{url}/api/users/usLegacy004", auth=ADMIN, timeout=30, json=body)
    assert put.status_code == 200, put.text
    stored = requests.get(f"{url}/api/users/usLegacy004", params=fields, auth=ADMIN,
                          timeout=30).json()
    assert stored == {"username": "legacy.four", "disabled": False}


def test_legacy_user_credentials_dates_are_read_as_dates(
        sandbox_factory: Callable[..., RunningSandbox]) -> None:
    # 2.41.9 UserCredentialsDto's Date fields (:67-89) are read by the import's ObjectMapper
    # (ParseDateStdDeserializer) as a user's own are, before the copy onto the user.
    running = sandbox_factory(version="2.41")
    url = running.url
    assert post_metadata(url, ROLE_PAYLOAD).status_code == 200
    legacy = {"id": "usLegacy002", "firstName": "Thử", "surname": "Hạn",
              "userCredentials": {"username": "legacy.two", "password": "Synthetic-2025!",
                                  "userRoles": [{"id": ROLE}], "accountExpiry": "2030-01-02"}}
    answer = requests.post(f"{url}/api/users", json=legacy, auth=ADMIN, timeout=30)
    assert answer.status_code == 201, answer.text
    stored = requests.get(f"{url}/api/users/usLegacy002", auth=ADMIN, timeout=30,
                          params={"fields": "accountExpiry"}).json()
    assert stored == {"accountExpiry": "2030-01-02T00:00:00.000"}
    refused = post_metadata(url, {"users": [{**legacy, "id": "usLegacy003", "userCredentials": {
        **legacy["userCredentials"], "username": "legacy.three", "accountExpiry": "ngày mai"}}]})
    assert refused.status_code == 400
    assert refused.json()["message"] == ("Invalid date format 'ngày mai', only ISO format or "
                                         "UNIX Epoch timestamp is supported.")


def test_e4019_a_field_mask_that_is_not_a_text_segment(fresh_sandbox: RunningSandbox) -> None:
    # DataElementObjectBundleHook: TextPatternParser#parse of the mask in quotes. The parser's
    # Matcher#find passes over what no segment matches, so `"ab"c"` is the text `ab`; a mask
    # ending in a backslash escapes the closing quote: no segment at all.
    element = {"id": "deMask00001", "name": "Mã", "shortName": "Mã", "valueType": "TEXT",
               "domainType": "AGGREGATE", "aggregationType": "NONE", "fieldMask": "ab\\"}
    body = post_metadata(fresh_sandbox.url, {"dataElements": [element]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E4019", ["ab\\", "Not a valid TextPattern 'TEXT' segment"])]
    for mask in ("999-999", 'ab"c'):
        assert post_metadata(fresh_sandbox.url, {"dataElements": [
            {**element, "fieldMask": mask}]}).status_code == 200, mask


@pytest.mark.parametrize(("version", "codes"), [("2.41", []), ("2.42", ["E1121"]),
                                                ("2.43", ["E1121"])])
def test_e1121_value_type_of_a_data_element_with_data_values(
        sandbox_factory: Callable[..., RunningSandbox], version: str, codes: list[str]) -> None:
    # DataElementObjectBundleHook#valueTypeChangeValidation (2.42.5, 2.43.1).
    running = sandbox_factory(version=version)
    url = running.url
    province = unit_uid(url, "VN-79")
    element = {"id": "deValue0001", "name": "Số buổi", "shortName": "Số buổi",
               "valueType": "INTEGER", "domainType": "AGGREGATE", "aggregationType": "SUM"}
    data_set = {"id": "dsValue0001", "name": "Buổi", "shortName": "Buổi",
                "periodType": "Monthly", "organisationUnits": [{"id": province}],
                "dataSetElements": [{"dataElement": {"id": element["id"]},
                                     "dataSet": {"id": "dsValue0001"}}]}
    assert post_metadata(url, {"dataElements": [element], "dataSets": [data_set]}
                         ).status_code == 200
    sent = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=30, json={
        "dataSet": data_set["id"], "period": "202401", "orgUnit": province,
        "dataValues": [{"dataElement": element["id"], "value": "3"}]})
    assert written_new(version, sent.json()["response"]) == 1, sent.text
    body = post_metadata(url, {"dataElements": [{**element, "valueType": "NUMBER"}]}).json()
    assert [e["errorCode"] for e in object_errors(body)] == codes


@pytest.mark.parametrize(("version", "codes"), [("2.41", []), ("2.42", ["E1127"]),
                                                ("2.43", ["E1127"])])
def test_a_category_of_more_than_fifty_options_from_2_42(
        sandbox_factory: Callable[..., RunningSandbox], version: str, codes: list[str]) -> None:
    # CategoryObjectBundleHook#checkIsValid (2.42.5, 2.43.1): metadata.categories.max_options.
    running = sandbox_factory(version=version)
    options = [{"id": f"coFifty{i:04d}", "name": f"Fifty {i}", "shortName": f"Fifty {i}"}
               for i in range(51)]
    category = {"id": "caFifty0001", "name": "Fifty", "shortName": "Fifty",
                "dataDimensionType": "DISAGGREGATION",
                "categoryOptions": [{"id": o["id"]} for o in options]}
    body = post_metadata(running.url, {"categoryOptions": options, "categories": [category]}
                         ).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        (code, ["caFifty0001", "50", "51"]) for code in codes]


def test_program_stage_e3012_for_a_data_element_the_preheat_lacks(
        fresh_sandbox: RunningSandbox) -> None:
    # ProgramStageObjectBundleHook#validateProgramStageDataElementsAcl: an E3012 on DataElement
    # for each stage data element the preheat lacks (the references check adds its E5002); one
    # of the payload passes.
    payload = {
        "programs": [{"id": "prgE3012001", "name": "Khám thai", "shortName": "Khám thai",
                      "programType": "WITHOUT_REGISTRATION",
                      "programStages": [{"id": "psE30120001"}]}],
        "dataElements": [{"id": "deE30120001", "name": "Cân nặng mẹ", "shortName": "Cân nặng mẹ",
                          "valueType": "NUMBER", "domainType": "TRACKER",
                          "aggregationType": "NONE"}],
        "programStages": [{"id": "psE30120001", "name": "Lần khám", "program": {
            "id": "prgE3012001"}, "programStageDataElements": [
            {"dataElement": {"id": "deE30120001"}}, {"dataElement": {"id": "deUnknown01"}}]}]}
    body = post_metadata(fresh_sandbox.url, payload).json()
    errors = object_errors(body)
    assert [e["errorCode"] for e in errors] == ["E3012", "E5002"]
    e3012 = errors[0]
    assert e3012["mainKlass"] == "org.hisp.dhis.dataelement.DataElement"
    assert e3012["args"][1] == "[deUnknown01] (DataElement)"
    assert e3012["args"][0].endswith("[xE7jOejl9FI] (User)")
    assert e3012["message"] == (f"User `{e3012['args'][0]}` does not have read access for "
                                "object `[deUnknown01] (DataElement)`")
    assert "mainId" not in e3012


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_program_stage_e3012_walks_the_data_elements_as_a_hash_set(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # ProgramStage#getDataElements collects into a HashSet: a repeated data element is one
    # E3012, and they come in its bucket order of DataElement#hashCode (BaseDimensionalItemObject:
    # uid, code, name, shortName, description, queryMods), not the payload's
    url = sandbox_factory(version=version).url
    sent = ["deUnknown01", "deUnknown02", "deMissingAa", "deUnknown01", "deMissingZz"]
    payload = {
        "programs": [{"id": "prgE3012002", "name": "Khám", "shortName": "Khám",
                      "programType": "WITHOUT_REGISTRATION",
                      "programStages": [{"id": "psE30120002"}]}],
        "programStages": [{"id": "psE30120002", "name": "Lần", "program": {
            "id": "prgE3012002"}, "programStageDataElements": [
            {"dataElement": {"id": uid}} for uid in sent]}]}
    body = post_metadata(url, payload).json()
    named = [e["args"][1] for e in object_errors(body) if e["errorCode"] == "E3012"]
    assert named == [f"[{uid}] (DataElement)" for uid in
                     ("deUnknown02", "deMissingZz", "deUnknown01", "deMissingAa")]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_related_program_on_a_program_without_type_is_the_hooks_npe(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # ProgramObjectBundleHook#validate calls `program.getProgramType().isEventProgram()` when
    # a related program is set (2.41.9 :85, 2.42.5 :99, 2.43.1 :82): Program has no default
    # type, so a payload without one is a NullPointerException before the schema check's
    # E4000 (500; 2.41's message the null type reports', `metadata_validation_failure_message`)
    url = sandbox_factory(version=version).url
    untyped = {k: v for k, v in PROGRAM.items() if k != "programType"}
    answer = post_metadata(url, {"programs": [{**untyped, "relatedProgram": {"id": "prgHooks002"}}]})
    assert answer.status_code == 500, answer.text
    assert answer.json()["message"] == (
        'Cannot invoke "java.lang.Iterable.forEach(java.util.function.Consumer)" because '
        '"typeReports" is null' if version == "2.41" else
        'Cannot invoke "org.hisp.dhis.program.ProgramType.isEventProgram()" because the return '
        'value of "org.hisp.dhis.program.Program.getProgramType()" is null')
    assert requests.get(f"{url}/api/programs/prgHooks001", auth=ADMIN, timeout=10).status_code == 404
    # without a related program the hook reads no type: only the schema's E4000
    body = post_metadata(url, {"programs": [untyped]}).json()
    assert [e["errorCode"] for e in object_errors(body)] == ["E4000"]


_NULL_REPORTS = ('Cannot invoke "java.lang.Iterable.forEach(java.util.function.Consumer)" because '
                 '"typeReports" is null')


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_closing_date_without_an_opening_date_is_the_hooks_npe(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # OrganisationUnitObjectBundleHook#validateOpeningClosingDate: `closedDate.before(null)`
    # (2.41.9 :112, 2.42.5 and 2.43.1 :116), Date#getMillisOf asks the null for its class; the
    # hooks check runs before the schema check's E4000 on `openingDate` (ServiceConfig)
    url = sandbox_factory(version=version).url
    unit = {"id": "ouHooks0002", "name": "Nhóm đóng", "shortName": "Nhóm đóng",
            "closedDate": "2024-03-01"}
    answer = post_metadata(url, {"organisationUnits": [unit]})
    assert answer.status_code == 500, answer.text
    assert answer.json()["message"] == (
        _NULL_REPORTS if version == "2.41" else
        'Cannot invoke "Object.getClass()" because "date" is null')
    assert requests.get(f"{url}/api/organisationUnits/ouHooks0002", auth=ADMIN,
                        timeout=10).status_code == 404
    # without a closing date the hook compares nothing: only the schema's E4000
    body = post_metadata(url, {"organisationUnits": [{**unit, "closedDate": ""}]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [("E4000", ["openingDate"])]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_option_without_code_in_a_multi_text_set_is_the_hooks_npe(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # DefaultOptionService#validateOption: `option.getCode().contains(",")` (2.41.9 :111-118,
    # 2.42.5 :113-120, 2.43.1 :109-115) for a MULTI_TEXT set, before the schema's E4000 on `code`
    url = sandbox_factory(version=version).url
    multi = {**OPTION_SET, "valueType": "MULTI_TEXT", "options": [{"id": "opHooks0001"}]}
    assert post_metadata(url, {"optionSets": [multi], "options": OPTIONS[:1]}).status_code == 200
    codeless = {k: v for k, v in OPTIONS[1].items() if k != "code"}
    for option in (codeless, {**codeless, "code": ""}):
        answer = post_metadata(url, {"options": [option]})
        assert answer.status_code == 500, answer.text
        assert answer.json()["message"] == (
            _NULL_REPORTS if version == "2.41" else
            'Cannot invoke "String.contains(java.lang.CharSequence)" because the return value of '
            '"org.hisp.dhis.option.Option.getCode()" is null')
    # a set of another value type reads no code: only the schema's E4000
    text = {**OPTION_SET, "id": "osHooks0002", "name": "Meeting places", "options": []}
    assert post_metadata(url, {"optionSets": [text]}).status_code == 200
    body = post_metadata(url, {"options": [{**codeless, "optionSet": {"id": "osHooks0002"}}]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [("E4000", ["code"])]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e4022_a_generated_pattern_against_the_value_type(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # TrackedEntityAttributeObjectBundleHook#textPatternValid: after E4021,
    # TextPatternValidationUtils#validateValueType (TEXT any pattern, NUMBER numeric segments
    # only, anything else none); E4010 first for a value type that is not TEXT.
    url = sandbox_factory(version=version).url
    attr = {**ATTR, "id": "teaGen00021", "name": "N", "shortName": "N", "generated": True,
            "unique": True, "valueType": "NUMBER", "aggregationType": "NONE",
            "pattern": '"12" + SEQUENTIAL(###)'}
    body = post_metadata(url, {"trackedEntityAttributes": [attr]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E4010", ["generated", "NUMBER"])]
    for pattern in ('"1-" + SEQUENTIAL(###)', "RANDOM(#X)"):
        body = post_metadata(url, {"trackedEntityAttributes": [
            {**attr, "pattern": pattern}]}).json()
        assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
            ("E4010", ["generated", "NUMBER"]), ("E4022", [pattern, "NUMBER"])], pattern
    body = post_metadata(url, {"trackedEntityAttributes": [
        {**attr, "valueType": "PHONE_NUMBER", "pattern": '"A"'}]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E4010", ["generated", "PHONE_NUMBER"]), ("E4021", []),
        ("E4022", ['"A"', "PHONE_NUMBER"])]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e4019_a_generated_attribute_without_pattern_names_the_null(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # TrackedEntityAttributeObjectBundleHook#textPatternValid: TextPatternParser#parse(null)
    # refuses the missing pattern (an empty one is none once read), and E4019 passes it on:
    # args String#valueOf's "null", errorProperties the null itself.
    url = sandbox_factory(version=version).url
    reason = "Could not parse expression: Supplied expression was null or empty."
    for given in ({}, {"pattern": ""}):
        attr = {**ATTR, "id": "teaGen00031", "name": "P", "shortName": "P", "generated": True,
                "valueType": "TEXT", "aggregationType": "NONE", **given}
        body = post_metadata(url, {"trackedEntityAttributes": [attr]}).json()
        (error,) = object_errors(body)
        assert (error["errorCode"], error["args"], error["errorProperties"]) == (
            "E4019", ["null", reason], [None, reason]), given
        assert error["message"] == f"Failed to parse pattern `null` {reason}"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e4019_an_attribute_field_mask_that_is_not_a_text_segment(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # TrackedEntityAttributeObjectBundleHook#validate: the field mask in quotes through
    # TextPatternParser#parse, generated or not, after the pattern's reports; the message ends
    # in a period (DataElementObjectBundleHook's does not).
    url = sandbox_factory(version=version).url
    attr = {**ATTR, "id": "teaMask0001", "name": "M", "shortName": "M", "fieldMask": "ab\\"}
    body = post_metadata(url, {"trackedEntityAttributes": [attr]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E4019", ["ab\\", "Not a valid TextPattern 'TEXT' segment."])]
    assert [e["message"] for e in object_errors(body)] == [
        "Failed to parse pattern `ab\\` Not a valid TextPattern 'TEXT' segment."]
    body = post_metadata(url, {"trackedEntityAttributes": [
        {**attr, "generated": True, "unique": True, "pattern": "x"}]}).json()
    assert [e["errorCode"] for e in object_errors(body)] == ["E4019", "E4019"]
    assert post_metadata(url, {"trackedEntityAttributes": [
        {**attr, "fieldMask": "999-999"}]}).status_code == 200


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_attribute_search_operators_are_checked_on_2_43(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.43.1 TrackedEntityAttributeObjectBundleHook#validate: E4088 for an operator that
    # cannot be blocked, E4081 for a preferred one that is no tracker operator (its message's
    # `{2}` unfilled), E4082 for a preferred one the attribute blocks; earlier releases have
    # neither property.
    url = sandbox_factory(version=version).url
    non_blockable = ["EQ", "GT", "GE", "LT", "LE", "IN", "NULL", "NNULL"]
    tracker = ["EQ", "GT", "GE", "LT", "LE", "LIKE", "IN", "SW", "EW", "NULL", "NNULL"]
    cases = [
        ({"blockedSearchOperators": ["EQ", "LIKE"]}, [(
            "E4088", ["[EQ]", "[" + ", ".join(non_blockable) + "]"], [["EQ"], non_blockable],
            "The operator(s) `[EQ]` cannot be blocked. The following operators cannot be "
            "blocked: `[EQ, GT, GE, LT, LE, IN, NULL, NNULL]`.")]),
        ({"preferredSearchOperator": "ILIKE"}, [(
            "E4081", ["ILIKE", "[" + ", ".join(tracker) + "]"], ["ILIKE", tracker],
            "The preferred search operator `ILIKE` provided for the tracked entity attribute "
            "`[EQ, GT, GE, LT, LE, LIKE, IN, SW, EW, NULL, NNULL]` is not part of the supported "
            "tracker operators `{2}`")]),
        ({"preferredSearchOperator": "LIKE", "blockedSearchOperators": ["LIKE"]}, [(
            "E4082", ["LIKE", "teaSearch01"], ["LIKE", "teaSearch01"],
            "The preferred search operator `LIKE` is blocked for the selected tracked entity "
            "attribute `teaSearch01`")]),
        ({"preferredSearchOperator": "LIKE", "blockedSearchOperators": ["LIKE", "IN"]}, [(
            "E4088", ["[IN]", "[" + ", ".join(non_blockable) + "]"], [["IN"], non_blockable],
            "The operator(s) `[IN]` cannot be blocked. The following operators cannot be "
            "blocked: `[EQ, GT, GE, LT, LE, IN, NULL, NNULL]`.")]),
    ]
    for given, expected in cases:
        attr = {**ATTR, "id": "teaSearch01", "name": "S", "shortName": "S", **given}
        body = post_metadata(url, {"trackedEntityAttributes": [attr]}).json()
        got = [(e["errorCode"], e["args"], e["errorProperties"], e["message"])
               for e in object_errors(body)]
        assert got == (expected if version == "2.43" else []), given


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_generated_attribute_without_value_type_is_the_hooks_npe(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # TrackedEntityAttributeObjectBundleHook#validate: `attr.getValueType().equals(TEXT)` for a
    # generated attribute (2.41.9 :52, 2.42.5 :54, 2.43.1 :72), before the schema's E4000;
    # `"generated": null` is no failure, `#isGenerated` reads it as false
    url = sandbox_factory(version=version).url
    untyped = {k: v for k, v in ATTR.items() if k != "valueType"}
    for attribute in ({**untyped, "generated": True, "pattern": "RANDOM(XXX)"},
                      {**untyped, "generated": True, "valueType": None}):
        answer = post_metadata(url, {"trackedEntityAttributes": [attribute]})
        assert answer.status_code == 500, answer.text
        assert answer.json()["message"] == (
            _NULL_REPORTS if version == "2.41" else
            'Cannot invoke "org.hisp.dhis.common.ValueType.equals(Object)" because the return '
            'value of "org.hisp.dhis.trackedentity.TrackedEntityAttribute.getValueType()" is null')
    assert requests.get(f"{url}/api/trackedEntityAttributes/{ATTR['id']}", auth=ADMIN,
                        timeout=10).status_code == 404
    body = post_metadata(url, {"trackedEntityAttributes": [{**untyped, "generated": None}]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [("E4000", ["valueType"])]
    assert post_metadata(url, {"trackedEntityAttributes": [
        {**ATTR, "generated": None}]}).json()["status"] == "OK"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_null_blocked_search_operators_are_the_hooks_npe_on_2_43(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # 2.43.1 TrackedEntityAttributeObjectBundleHook#validate :93-94: `intersection(…,
    # attr.getBlockedSearchOperators())`, `new HashSet<>(c2)` of the null Jackson set; 2.41/2.42
    # have no such property (the key is dropped)
    url = sandbox_factory(version=version).url
    answer = post_metadata(url, {"trackedEntityAttributes": [
        {**ATTR, "blockedSearchOperators": None}]})
    if version != "2.43":
        assert answer.json()["status"] == "OK", answer.text
        return
    assert answer.status_code == 500, answer.text
    assert answer.json()["message"] == 'Cannot invoke "java.util.Collection.size()" because "c" is null'
    assert requests.get(f"{url}/api/trackedEntityAttributes/{ATTR['id']}", auth=ADMIN,
                        timeout=10).status_code == 404


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_category_without_options_and_with_no_uid_is_uid_ofs_400(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # CategoryObjectBundleHook (2.42.5, 2.43.1) → DefaultCategoryService#validate :94-97: no
    # options sent, so the stored count is asked by `UID.of(category.getUid())`, whose
    # IllegalArgumentException is CrudControllerAdvice's 400; 2.41.9 has no such hook, and
    # options sent ask nothing: the schema's and UidFormatCheck's refusals
    url = sandbox_factory(version=version).url
    category = {"id": "bad", "name": "Nhóm sai", "shortName": "Nhóm sai",
                "dataDimensionType": "DISAGGREGATION"}
    answer = post_metadata(url, {"categories": [category]})
    if version == "2.41":
        assert answer.status_code == 409, answer.text
        assert [e["errorCode"] for e in object_errors(answer.json())] == ["E4002", "E4014"]
    else:
        assert answer.status_code == 400, answer.text
        assert answer.json()["message"] == ("UID must be an alphanumeric string of 11 characters "
                                            "starting with a letter, but was: bad")
        assert "errorCode" not in answer.json()
    option = {"id": "coHooksBad1", "name": "Lựa chọn sai", "shortName": "Lựa chọn sai"}
    body = post_metadata(url, {"categoryOptions": [option], "categories": [
        {**category, "categoryOptions": [{"id": option["id"]}]}]}).json()
    assert [e["errorCode"] for e in object_errors(body)] == ["E4002", "E4014"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_category_with_null_options_is_the_hooks_npe_from_2_42(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # Jackson sets the JSON null through Category#setCategoryOptions; 2.42.5/2.43.1's
    # DefaultCategoryService#validate asks `getCategoryOptions().size()` (:94): the JDK's
    # helpful NullPointerException, answered 500; 2.41.9 has no such hook and saves the category
    url = sandbox_factory(version=version).url
    category = {"id": "caNullOpts1", "name": "Nhóm rỗng", "shortName": "Nhóm rỗng",
                "dataDimensionType": "DISAGGREGATION", "categoryOptions": None}
    answer = post_metadata(url, {"categories": [category]})
    if version == "2.41":
        assert answer.status_code == 200, answer.text
        assert answer.json()["response"]["stats"]["created"] == 1
    else:
        assert answer.status_code == 500, answer.text
        assert answer.json()["message"] == (
            'Cannot invoke "java.util.List.size()" because the return value of '
            '"org.hisp.dhis.category.Category.getCategoryOptions()" is null')
