"""POST /api/metadata with dhis2-core's own e2e tracker package (from the shared contract
material) after our synthetic stand-in for the rest of the e2e setup, and the documented
outcomes."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import (
    ADMIN,
    e2e_prerequisites,
    e2e_setup,
    e2e_tracker_package,
    e2e_tracker_package_2_42,
    object_errors,
    post_metadata,
)

# setup/tracker_metadata.json: metadata keys only (embedded ones skipped); its default category
# combo, option and option combo are dropped before the chain
# (DefaultObjectBundleValidationService#cleanDefaults): a type report without counts
TRACKER_TYPES = {
    "org.hisp.dhis.option.Option": 2, "org.hisp.dhis.program.Program": 6,
    "org.hisp.dhis.trackedentity.TrackedEntityAttribute": 10,
    "org.hisp.dhis.program.ProgramStage": 7, "org.hisp.dhis.option.OptionSet": 1,
    "org.hisp.dhis.trackedentity.TrackedEntityType": 1,
    "org.hisp.dhis.program.ProgramIndicator": 2,
    "org.hisp.dhis.programrule.ProgramRuleAction": 1,
    "org.hisp.dhis.programrule.ProgramRuleVariable": 1,
    "org.hisp.dhis.programrule.ProgramRule": 1, "org.hisp.dhis.category.CategoryCombo": 0,
    "org.hisp.dhis.category.CategoryOption": 0,
    "org.hisp.dhis.category.CategoryOptionCombo": 0,
    "org.hisp.dhis.dataelement.DataElement": 7,
    "org.hisp.dhis.relationship.RelationshipType": 4,
}


@pytest.mark.parametrize(("version", "package"), [
    ("2.41", e2e_tracker_package),  # the file unchanged, on the release it was written for
    ("2.42", e2e_tracker_package_2_42),  # with the TrackedEntityType shortName 2.42 requires
    # 2.43.1 adds no required property: its copy of the file sets program indicator and
    # enrollment category combos, which the preheat connects to the default when left out
    # (DefaultPreheatService#connectDefaults; DefaultSchemaValidator skips default classes).
    ("2.43", e2e_tracker_package_2_42),
])
def test_e2e_setup_imports_like_dhis2(sandbox_factory, version: str, package) -> None:
    running = sandbox_factory(version=version)
    e2e_setup(running.url, package())


def test_tracker_metadata_validate_then_commit_counts(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    e2e_prerequisites(url)
    payload = e2e_tracker_package_2_42()
    validate = post_metadata(url, payload, importMode="VALIDATE").json()
    assert validate["status"] == "OK"
    by_klass = {t["klass"]: t["stats"]["total"] for t in validate["response"]["typeReports"]}
    assert by_klass == TRACKER_TYPES
    assert validate["response"]["stats"]["total"] == 43
    # VALIDATE writes nothing
    assert requests.get(f"{url}/api/programs", auth=ADMIN, timeout=10).json()["programs"] == []
    commit = post_metadata(url, payload).json()
    assert commit["response"]["stats"] == validate["response"]["stats"]
    programs = requests.get(f"{url}/api/programs?paging=false", auth=ADMIN,
                            timeout=10).json()["programs"]
    assert len(programs) == 6


def test_second_import_create_gives_e5000_and_409(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    e2e_prerequisites(url)
    payload = e2e_tracker_package_2_42()
    assert post_metadata(url, payload).status_code == 200
    response = post_metadata(url, payload, importStrategy="CREATE")
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "WARNING" and body["response"]["status"] == "ERROR"
    stats = body["response"]["stats"]
    assert stats["ignored"] == stats["total"] == 43
    assert {e["errorCode"] for e in object_errors(body)} == {"E5000"}


def test_second_import_create_and_update_updates_all(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    e2e_prerequisites(url)
    payload = e2e_tracker_package_2_42()
    assert post_metadata(url, payload).status_code == 200
    before = requests.get(f"{url}/api/metadata?programs=true&programStages=true", auth=ADMIN,
                          timeout=10).json()
    body = post_metadata(url, payload).json()
    assert body["response"]["stats"]["updated"] == body["response"]["stats"]["total"] == 43
    after = requests.get(f"{url}/api/metadata?programs=true&programStages=true", auth=ADMIN,
                         timeout=10).json()

    # the package's sharing names no owner: the creator becomes it, and the update's REPLACE
    # merge writes the owner-less payload sharing (metadata/sharing_import.py)
    ownerless = {p["id"] for p in payload["programs"] if not p["sharing"].get("owner")}
    assert ownerless and all("owner" in p["sharing"] for p in before["programs"])
    assert {p["id"] for p in after["programs"] if "owner" not in p["sharing"]} == ownerless

    def strip(doc, embedded=False):
        # the package sends some embedded objects without id or created: each import gives
        # them new ones (EmbeddedObjectObjectBundleHook#handleProperty, setAutoFields)
        if isinstance(doc, dict):
            return {k: strip(v, k in ("programStageDataElements",
                                      "programTrackedEntityAttributes"))
                    for k, v in doc.items()
                    if k not in ("lastUpdated", "lastUpdatedBy", "date") and
                    not (embedded and k in ("id", "created")) and
                    not (k == "owner" and "public" in doc)}
        if isinstance(doc, list):
            return [strip(v, embedded) for v in doc]
        return doc
    assert strip(before) == strip(after)


def test_2_41_package_lacks_tracked_entity_type_short_name_on_2_42(
        fresh_sandbox: RunningSandbox) -> None:
    """2.42 maps TrackedEntityType.shortName not-null (TrackedEntityType.hbm.xml): DHIS2's own
    2.41 e2e file fails there with exactly that one error, which is why dhis2-core's 2.42 copy
    adds a shortName (and why helpers.e2e_tracker_package_2_42 does)."""
    url = fresh_sandbox.url
    e2e_prerequisites(url)
    response = post_metadata(url, e2e_tracker_package())
    assert response.status_code == 409
    errors = object_errors(response.json())
    assert [(e["errorCode"], e["errorProperty"]) for e in errors] == [("E4000", "shortName")]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_tracked_entity_type_short_name_is_mapped_from_2_42(sandbox_factory,
                                                            version: str) -> None:
    # TrackedEntityType.hbm.xml maps `shortName` not-null and unique from 2.42.5 (:24; 2.43.1
    # :26); 2.41.9 maps none, so it is neither required nor kept (the getter reads a null).
    url = sandbox_factory(version=version).url
    bare = post_metadata(url, {"trackedEntityTypes": [{"id": "tetNoShort1", "name": "No short"}]})
    named = post_metadata(url, {"trackedEntityTypes": [
        {"id": "tetShort001", "name": "Short", "shortName": "Short"}]})
    assert named.status_code == 200, named.text
    read = requests.get(f"{url}/api/trackedEntityTypes/tetShort001?fields=shortName",
                        auth=ADMIN, timeout=10).json()
    if version == "2.41":
        assert bare.status_code == 200, bare.text
        assert read == {}
        # an unmapped property is not validated (DefaultSchemaValidator#validate, persisted only)
        long = post_metadata(url, {"trackedEntityTypes": [
            {"id": "tetShort002", "name": "Again", "shortName": "x" * 256}]})
        assert long.status_code == 200, long.text
        return
    assert bare.status_code == 409
    assert [(e["errorCode"], e["errorProperty"]) for e in object_errors(bare.json())] == \
        [("E4000", "shortName")]
    assert read == {"shortName": "Short"}
    # unique="true" (E5003); BaseNameableObject#getShortName's @PropertyRange(min = 1, max = 50)
    # (2.42.5 and 2.43.1 :174) is E4002, as the unmapped column's length 255 is not exceeded;
    # past 255 DefaultSchemaValidator#validateString answers E4001 alone
    cases = [("Short", "E5003", "Property `shortName` with value `Short` on object Again "
              "[tetShort002] (TrackedEntityType) already exists on object tetShort001"),
             ("x" * 51, "E4002", "Allowed length range for property `shortName` is [1 to 50], "
              "but given length was 51"),
             ("x" * 256, "E4001", "Maximum length of property `shortName`is 255, but given "
              "length was 256")]
    for short_name, code, message in cases:
        again = post_metadata(url, {"trackedEntityTypes": [
            {"id": "tetShort002", "name": "Again", "shortName": short_name}]})
        assert again.status_code == 409
        assert [(e["errorCode"], e["message"]) for e in object_errors(again.json())] == \
            [(code, message)]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_embedded_object_without_id_gets_a_uid_and_stamps(sandbox_factory,
                                                              version: str) -> None:
    # EmbeddedObjectObjectBundleHook#handleProperty calls setAutoFields on each identifiable
    # embedded object (2.41.9 :166, 2.42.5 and 2.43.1 :168): a legend of a legend set (a type
    # without schema facts here) and a program stage data element alike.
    url = sandbox_factory(version=version).url
    legend_set = {"id": "lsEmbedded1", "name": "Mức độ",
                  "legends": [{"name": "Cao", "startValue": 5, "endValue": 10}]}
    text = {"id": "deEmbedded1", "name": "Ghi chú", "shortName": "Ghi chú", "valueType": "TEXT",
            "domainType": "TRACKER", "aggregationType": "NONE"}
    program = {"id": "prgEmbedded", "name": "Embedded", "shortName": "Embedded",
               "programType": "WITHOUT_REGISTRATION", "programStages": [{"id": "stgEmbedded"}]}
    stage = {"id": "stgEmbedded", "name": "Embedded", "program": {"id": program["id"]},
             "programStageDataElements": [{"dataElement": {"id": text["id"]}}]}
    response = post_metadata(url, {"legendSets": [legend_set], "dataElements": [text],
                                   "programs": [program], "programStages": [stage]})
    assert response.status_code == 200, response.text
    (legend,) = requests.get(f"{url}/api/legendSets/lsEmbedded1?fields=legends[*]", auth=ADMIN,
                             timeout=10).json()["legends"]
    (element,) = requests.get(
        f"{url}/api/programStages/stgEmbedded?fields=programStageDataElements[*]", auth=ADMIN,
        timeout=10).json()["programStageDataElements"]
    for embedded in (legend, element):
        assert len(embedded["id"]) == 11 and embedded["id"][0].isalpha()
        assert embedded["created"] and embedded["lastUpdated"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_map_view_gets_the_auto_fields(sandbox_factory, version: str) -> None:
    # Map#mapViews is an embedded collection of MapView, a BaseAnalyticalObject (identifiable,
    # `MapView.hbm.xml` with the identifiable columns at 2.41.9, 2.42.5, 2.43.1), so
    # EmbeddedObjectObjectBundleHook#handleProperty gives each its auto fields, on every
    # release whether or not it registers a MapView schema; an update replaces them.
    url = sandbox_factory(version=version).url
    payload = {"maps": [{"id": "mapEmbedd01", "name": "Bản đồ",
                         "mapViews": [{"layer": "thematic1", "name": "Lớp"}]}]}

    def view() -> dict[str, str]:
        (stored,) = requests.get(f"{url}/api/maps/mapEmbedd01?fields=mapViews[*]", auth=ADMIN,
                                 timeout=10).json()["mapViews"]
        return dict(stored)

    assert post_metadata(url, payload).status_code == 200
    first = view()
    assert len(first["id"]) == 11 and first["created"] and first["lastUpdated"]
    assert post_metadata(url, payload).status_code == 200
    assert view()["id"] != first["id"]


def test_an_update_replaces_the_embedded_objects(fresh_sandbox: RunningSandbox) -> None:
    # preUpdate clears the stored parent's embedded objects and the merge puts the incoming
    # ones in their place (EmbeddedObjectObjectBundleHook#preUpdate/#clearEmbeddedObjects,
    # DefaultMetadataMergeService#merge): one sent without id gets a new uid each time, one
    # sent with its id keeps it, and either gets the import's time as created unless it
    # carries its own.
    url = fresh_sandbox.url
    text = {"id": "deEmbedded1", "name": "Ghi chú", "shortName": "Ghi chú", "valueType": "TEXT",
            "domainType": "TRACKER", "aggregationType": "NONE"}
    number = {**text, "id": "deEmbedded2", "name": "Số", "shortName": "Số",
              "valueType": "INTEGER"}
    program = {"id": "prgEmbedded", "name": "Embedded", "shortName": "Embedded",
               "programType": "WITHOUT_REGISTRATION", "programStages": [{"id": "stgEmbedded"}]}
    stage = {"id": "stgEmbedded", "name": "Embedded", "program": {"id": program["id"]},
             "programStageDataElements": [
                 {"dataElement": {"id": text["id"]}},
                 {"id": "psdeKept001", "dataElement": {"id": number["id"]}}]}
    payload = {"dataElements": [text, number], "programs": [program], "programStages": [stage]}

    def elements() -> dict[str, dict[str, str]]:
        stored = requests.get(
            f"{url}/api/programStages/stgEmbedded?fields=programStageDataElements[*]",
            auth=ADMIN, timeout=10).json()["programStageDataElements"]
        return {e["dataElement"]["id"]: e for e in stored}

    assert post_metadata(url, payload).status_code == 200
    first = elements()
    assert post_metadata(url, payload).status_code == 200
    second = elements()
    assert second[text["id"]]["id"] != first[text["id"]]["id"]
    assert second[number["id"]]["id"] == first[number["id"]]["id"] == "psdeKept001"
    assert second[number["id"]]["created"] > first[number["id"]]["created"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_program_gets_the_default_enrollment_category_combo_from_2_43(
        sandbox_factory, version: str) -> None:
    # 2.43.1 Program#enrollmentCategoryCombo (a persisted owner property the 2.41/2.42 class
    # lacks): DefaultPreheatService#connectDefaults gives the default combo when none is
    # given; one given is stored as a reference.
    url = sandbox_factory(version=version).url
    programs = [{"id": "prgNoEnrCc1", "name": "No combo", "shortName": "No combo",
                 "programType": "WITHOUT_REGISTRATION"},
                {"id": "prgEnrCc001", "name": "Combo", "shortName": "Combo",
                 "programType": "WITHOUT_REGISTRATION",
                 "enrollmentCategoryCombo": {"id": "bjDvmb4bfuf", "name": "not kept"}}]
    response = post_metadata(url, {"programs": programs})
    assert response.status_code == 200, response.text
    for program in programs:
        read = requests.get(f"{url}/api/programs/{program['id']}?fields=enrollmentCategoryCombo",
                            auth=ADMIN, timeout=10).json()
        assert read == ({"enrollmentCategoryCombo": {"id": "bjDvmb4bfuf"}} if version == "2.43"
                        else {})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_deleted_category_combo_s_users_fall_back_to_the_default(
        sandbox_factory, version: str) -> None:
    # the CategoryCombo deletion handlers of ProgramDeletionHandler (2.43.1: the
    # enrollmentCategoryCombo too), DataElementDeletionHandler and DataSetDeletionHandler set
    # the default combo and save with updateNoAcl (lastUpdatedBy: the user deleting)
    url = sandbox_factory(version=version).url
    option = {"id": "OptCcDel001", "name": "Cc del", "shortName": "Cc del"}
    categories = [{"id": f"CatCcDel{n:03d}", "name": f"Cc del {kind}", "shortName": f"Cc {kind}",
                   "dataDimensionType": kind, "categoryOptions": [{"id": "OptCcDel001"}]}
                  for n, kind in ((1, "ATTRIBUTE"), (2, "DISAGGREGATION"))]
    combos = [{"id": uid, "name": uid, "dataDimensionType": kind,
               "categories": [{"id": category}]}
              for uid, kind, category in (("CcDelAttr01", "ATTRIBUTE", "CatCcDel001"),
                                          ("CcDelEnrol1", "ATTRIBUTE", "CatCcDel001"),
                                          ("CcDelDisag1", "DISAGGREGATION", "CatCcDel002"))]
    payload = {
        "categoryOptions": [option], "categories": categories, "categoryCombos": combos,
        "programs": [{"id": "prgCcDel001", "name": "Cc del", "shortName": "Cc del",
                      "programType": "WITHOUT_REGISTRATION",
                      "categoryCombo": {"id": "CcDelAttr01"},
                      "enrollmentCategoryCombo": {"id": "CcDelEnrol1"}}],
        "dataElements": [{"id": "deCcDel0001", "name": "Cc del", "shortName": "Cc del",
                          "valueType": "NUMBER", "domainType": "AGGREGATE",
                          "aggregationType": "SUM", "categoryCombo": {"id": "CcDelDisag1"}}],
        "dataSets": [{"id": "dsCcDel0001", "name": "Cc del", "shortName": "Cc del",
                      "periodType": "Monthly", "categoryCombo": {"id": "CcDelAttr01"}}]}
    response = post_metadata(url, payload)
    assert response.status_code == 200, response.text
    for combo in ("CcDelAttr01", "CcDelEnrol1", "CcDelDisag1"):
        deleted = requests.delete(f"{url}/api/categoryCombos/{combo}", auth=ADMIN, timeout=10)
        assert deleted.status_code == 200, deleted.text
    fields = {"fields": "categoryCombo,enrollmentCategoryCombo,lastUpdatedBy[username]"}
    default = {"id": "bjDvmb4bfuf"}
    for path in ("programs/prgCcDel001", "dataElements/deCcDel0001", "dataSets/dsCcDel0001"):
        read = requests.get(f"{url}/api/{path}", params=fields, auth=ADMIN, timeout=10).json()
        expected = {"categoryCombo": default}
        if path.startswith("programs") and version == "2.43":
            expected["enrollmentCategoryCombo"] = default
        # the user reference is written whole by its own serialiser
        assert read.pop("lastUpdatedBy")["username"] == "admin", path
        assert read == expected, path


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_primitive_enable_change_log_reads_false_from_2_43(sandbox_factory, version: str) -> None:
    # 2.43.1 Program#isEnableChangeLog (:1463-1467) and TrackedEntityType#isEnableChangeLog
    # (:173-177) are primitive `boolean` @JsonProperty getters, so a missing value reads false;
    # 2.41/2.42 have no such property. TrackedEntityAttribute's primitives likewise (2.43.1).
    url = sandbox_factory(version=version).url
    response = post_metadata(url, {
        "programs": [{"id": "prgNoChgLg1", "name": "No log", "shortName": "No log",
                      "programType": "WITHOUT_REGISTRATION"}],
        "trackedEntityTypes": [{"id": "tetNoChgLg1", "name": "No log", "shortName": "No log"}],
        "trackedEntityAttributes": [{"id": "teaNoChgLg1", "name": "No log",
                                     "shortName": "No log", "valueType": "TEXT",
                                     "aggregationType": "NONE"}]})
    assert response.status_code == 200, response.text
    on_2_43 = version == "2.43"
    for path in ("programs/prgNoChgLg1", "trackedEntityTypes/tetNoChgLg1"):
        read = requests.get(f"{url}/api/{path}?fields=enableChangeLog", auth=ADMIN,
                            timeout=10).json()
        assert read == ({"enableChangeLog": False} if on_2_43 else {})
    if on_2_43:
        read = requests.get(f"{url}/api/trackedEntityAttributes/teaNoChgLg1"
                            "?fields=minCharactersToSearch,skipAnalytics", auth=ADMIN,
                            timeout=10).json()
        assert read == {"minCharactersToSearch": 0, "skipAnalytics": False}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_unknown_enrollment_category_combo_is_an_invalid_reference_on_2_43(
        sandbox_factory, version: str) -> None:
    # ReferencesCheck#checkReferences walks the 2.43.1 class's persisted owner references,
    # Program#enrollmentCategoryCombo among them: an unknown one is E5002. 2.41/2.42 have no
    # such property, Jackson drops the key and the program is created.
    url = sandbox_factory(version=version).url
    program = {"id": "prgEnrCcBad", "name": "Bad combo", "shortName": "Bad combo",
               "programType": "WITHOUT_REGISTRATION",
               "enrollmentCategoryCombo": {"id": "ccUnknown01"}}
    response = post_metadata(url, {"programs": [program]})
    if version != "2.43":
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 409, response.text
    errors = [e for t in response.json()["response"]["typeReports"]
              for o in t["objectReports"] for e in o["errorReports"]]
    assert [(e["errorCode"], e["errorProperty"]) for e in errors] == \
        [("E5002", "enrollmentCategoryCombo")]
    assert errors[0]["message"] == (
        "Invalid reference [ccUnknown01] (CategoryCombo) on object Bad combo [prgEnrCcBad] "
        "(Program) for association `enrollmentCategoryCombo`")


def test_an_array_payload_imports_nothing(fresh_sandbox: RunningSandbox) -> None:
    # DefaultRenderService#fromMetadata walks the root's field names; an array has none
    r = requests.post(f"{fresh_sandbox.url}/api/metadata", json=[{"dataElements": []}],
                      auth=ADMIN, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "OK" and "errorCode" not in r.json()
    assert r.json()["response"]["stats"]["total"] == 0


def test_unknown_enum_constant_is_a_mapping_error_per_release(sandbox_factory) -> None:
    # DefaultRenderService#fromMetadata binds each object with ObjectMapper#treeToValue: an
    # unknown enum constant is an InvalidFormatException (a JsonMappingException), which
    # CrudControllerAdvice#jsonParseExceptionHandler answers 409 at 2.43.1 (:402-411) and
    # #defaultExceptionHandler 500 at 2.41.9 / 2.42.5. AbstractCrudController#postJsonObject
    # (readValue) meets the same exception.
    element = {"id": "deEnum00001", "name": "Enum element", "shortName": "Enum element",
               "valueType": "NOT_A_TYPE", "domainType": "AGGREGATE", "aggregationType": "SUM"}
    for version, status in (("2.41", 500), ("2.42", 500), ("2.43", 409)):
        url = sandbox_factory(version=version).url
        imported = requests.post(f"{url}/api/metadata", json={"dataElements": [element]},
                                 auth=ADMIN, timeout=10)
        created = requests.post(f"{url}/api/dataElements", json=element, auth=ADMIN, timeout=10)
        for answer in (imported, created):
            assert answer.status_code == status, (version, answer.text)
            assert answer.json()["message"].startswith(
                "Cannot deserialize value of type `org.hisp.dhis.common.ValueType` from String "
                '"NOT_A_TYPE": not one of the values accepted for Enum class: [')
            assert "errorCode" not in answer.json()


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_enum_read_from_a_number_is_the_constant_at_that_index(sandbox_factory, version) -> None:
    # Jackson's EnumDeserializer#_fromInteger (FAIL_ON_NUMBERS_FOR_ENUMS left off by
    # JacksonObjectMapperConfig): 0 is ValueType's first constant, TEXT; an index beyond the
    # last is an InvalidFormatException, another token a MismatchedInputException, both
    # JsonMappingExceptions (500 at 2.41.9 / 2.42.5, 409 at 2.43.1)
    url = sandbox_factory(version=version).url
    element = {"id": "deEnum00002", "name": "Indexed element", "shortName": "Indexed element",
               "valueType": 0, "domainType": "AGGREGATE", "aggregationType": 0}
    imported = requests.post(f"{url}/api/metadata", json={"dataElements": [element]}, auth=ADMIN,
                             timeout=10)
    assert imported.status_code == 200, imported.text
    stored = requests.get(f"{url}/api/dataElements/deEnum00002", params={
        "fields": "valueType,aggregationType"}, auth=ADMIN, timeout=10).json()
    assert stored == {"valueType": "TEXT", "aggregationType": "SUM"}
    last = 26 if version == "2.43" else 27  # 2.43.1's ValueType has no TRACKER_ASSOCIATE
    status = 409 if version == "2.43" else 500
    klass = "`org.hisp.dhis.common.ValueType`"
    for value, message in (
            (99, f"Cannot deserialize value of type {klass} from number 99: index value outside "
                 f"legal index range [0..{last}]"),
            (True, f"Cannot deserialize value of type {klass} from Boolean value (token "
                   "`JsonToken.VALUE_TRUE`)"),
            (1.5, f"Cannot deserialize value of type {klass} from Floating-point value (token "
                  "`JsonToken.VALUE_NUMBER_FLOAT`)"),
            ({}, f"Cannot deserialize value of type {klass} from Object value (token "
                 "`JsonToken.START_OBJECT`)")):
        answer = requests.post(f"{url}/api/metadata", json={"dataElements": [
            {**element, "id": "deEnum00003", "name": "Other", "shortName": "Other",
             "valueType": value}]}, auth=ADMIN, timeout=10)
        assert answer.status_code == status, (value, answer.text)
        assert answer.json()["message"] == message and "errorCode" not in answer.json()


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_unknown_constant_lists_the_values_in_jacksons_lookup_order(sandbox_factory,
                                                                       version) -> None:
    # EnumDeserializer#_deserializeAltString names the constants as CompactStringObjectMap#keys
    # lists them (its hash area filled from EnumResolver's HashMap), not in declaration order; a
    # string is trimmed before it is refused, digits are an index, "" is the empty-String
    # coercion failure, and an integer outside int is the parser's getIntValue overflow.
    url = sandbox_factory(version=version).url
    status = 409 if version == "2.43" else 500
    element = {"id": "deEnum00004", "name": "Looked up", "shortName": "Looked up",
               "valueType": "TEXT", "domainType": "AGGREGATE", "aggregationType": "SUM"}
    tracker = "TRACKER_ASSOCIATE, " if version != "2.43" else ""
    value_types = ("BOOLEAN, NUMBER, TIME, URL, LONG_TEXT, MULTI_TEXT, USERNAME, " + tracker
                   + "GEOJSON, PERCENTAGE, INTEGER, AGE, UNIT_INTERVAL, LETTER, REFERENCE, TEXT, "
                   "DATE, FILE_RESOURCE, INTEGER_NEGATIVE, COORDINATE, INTEGER_POSITIVE, IMAGE, "
                   "EMAIL, TRUE_ONLY, INTEGER_ZERO_OR_POSITIVE, ORGANISATION_UNIT, PHONE_NUMBER, "
                   "DATETIME")
    domain = "`org.hisp.dhis.dataelement.DataElementDomain`"
    for name, value, message in (
            ("valueType", "NOT_A_TYPE", "Cannot deserialize value of type "
             "`org.hisp.dhis.common.ValueType` from String \"NOT_A_TYPE\": not one of the values "
             f"accepted for Enum class: [{value_types}]"),
            ("domainType", " x ", f'Cannot deserialize value of type {domain} from String "x": '
             "not one of the values accepted for Enum class: [TRACKER, AGGREGATE]"),
            ("domainType", "", f'Cannot coerce empty String ("") to {domain} value (but could if '
             "coercion was enabled using `CoercionConfig`)"),
            ("domainType", 2**31, "Numeric value (2147483648) out of range of int (-2147483648 - "
             "2147483647)")):
        answer = requests.post(f"{url}/api/metadata", json={"dataElements": [
            {**element, name: value}]}, auth=ADMIN, timeout=10)
        assert answer.status_code == status, (value, answer.text)
        assert answer.json()["message"] == message and "errorCode" not in answer.json()
    for value in (" TRACKER ", "1"):
        answer = requests.post(f"{url}/api/metadata", json={"dataElements": [
            {**element, "domainType": value}]}, params={"importMode": "VALIDATE"}, auth=ADMIN,
            timeout=10)
        assert answer.status_code == 200, (value, answer.text)


def _typed_import(url: str, content_type: str) -> requests.Response:
    """An empty JSON import sent with this Content-Type header, as admin."""
    return requests.post(f"{url}/api/metadata", data=b"{}", headers={"Content-Type": content_type},
                         auth=("admin", "district"), timeout=10)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_metadata_import_415_quotes_the_content_type_as_spring_reads_it(
        sandbox_factory, version: str) -> None:
    # RequestMappingInfoHandlerMapping#handleNoMatch parses the header as a MediaType: the 415
    # quotes it written back (type lower-cased, parameters trimmed, one without `=` dropped), and
    # a header MediaType#parseMediaType refuses (also a JSON one with an unknown charset, which
    # fails ConsumesRequestCondition) answers the parse error's message, the same in Spring 5/6.
    url = sandbox_factory(version=version).url
    cases = {
        "Text/CSV; charset=UTF-8 ; foo": "text/csv;charset=UTF-8",
        "application/*": "application/*",
        "*": "*/*",
    }
    for given, written in cases.items():
        answer = _typed_import(url, given)
        expected = (f"Content type '{written}' not supported" if version == "2.41"
                    else f"Content-Type '{written}' is not supported")
        assert (answer.status_code, answer.json()["message"]) == (415, expected), given
    invalid = {
        "foo": 'Invalid mime type "foo": does not contain \'/\'',
        "text/": 'Invalid mime type "text/": does not contain subtype after \'/\'',
        "*/json": 'Invalid mime type "*/json": wildcard type is legal only in \'*/*\' (all mime types)',
        "application/json;charset=nope":
            'Invalid mime type "application/json;charset=nope": unsupported charset \'nope\'',
        'application/json;charset="a b"': 'Invalid mime type "application/json;charset="a b"": a b',
        "application/json;v=a b":
            'Invalid mime type "application/json;v=a b": Invalid token character \' \' in token "a b"',
    }
    for given, message in invalid.items():
        answer = _typed_import(url, given)
        assert answer.status_code == 415, (given, answer.text)
        assert answer.json() == {"httpStatus": "Unsupported Media Type", "httpStatusCode": 415,
                                 "status": "ERROR", "message": message}, given
    quoted = _typed_import(url, 'application/json; v="a b"')
    assert quoted.status_code == 200, quoted.text


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_metadata_import_reads_the_content_type_as_spring_6_and_5_build_it(
        sandbox_factory, version: str) -> None:
    # MimeType's constructor refuses an empty type; its parameters are a
    # LinkedCaseInsensitiveMap (a key equal but for case replaces the earlier one, last);
    # MediaType(MimeType) checks the merged `q` with Double#parseDouble (5.3.39 = 6.2.8).
    url = sandbox_factory(version=version).url

    def post(content_type: str) -> requests.Response:
        return _typed_import(url, content_type)

    for given in ("application/json;q=0x1p-1", "application/json;q=1d",
                  "application/json;q=0.5f", "application/json;q=5;Q=0.5"):
        assert post(given).status_code == 200, given
    refused = {
        "/json": 'Invalid mime type "/json": \'type\' must not be empty',
        "application/json;q=inf": 'Invalid media type "application/json;q=inf": '
                                  'For input string: "inf"',
        "application/json;q=1_0": 'Invalid media type "application/json;q=1_0": '
                                  'For input string: "1_0"',
        'application/json;q=""': 'Invalid media type "application/json;q=""": empty String',
    }
    for given, message in refused.items():
        answer = post(given)
        assert (answer.status_code, answer.json()["message"]) == (415, message), given
    # Charset#forName knows the JDK's names and aliases only (case-insensitive)
    for known in ("latin1", "UTF8", "windows-31j", "ISO_8859_1"):
        assert post(f"application/json;charset={known}").status_code == 200, known
    for unknown in ("latin-1", "utf_8", "u8", "mac_roman"):
        answer = post(f"application/json;charset={unknown}")
        assert (answer.status_code, answer.json()["message"]) == (
            415, f'Invalid mime type "application/json;charset={unknown}": '
                 f"unsupported charset '{unknown}'"), unknown
    written = "text/csv;b=2;A=3"
    expected = (f"Content type '{written}' not supported" if version == "2.41"
                else f"Content-Type '{written}' is not supported")
    assert post("text/csv;a=1;b=2;A=3").json()["message"] == expected


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_metadata_import_trims_the_content_type_as_java_string_trims(
        sandbox_factory, version: str) -> None:
    # MimeTypeUtils#parseMimeTypeInternal trims the type, each parameter, its key and value
    # with String#trim (characters up to U+0020 only): a no-break space or NEL stays and is an
    # invalid token character, JSON or not (5.3.39 = 6.2.8).
    url = sandbox_factory(version=version).url

    def post(content_type: str) -> requests.Response:
        return _typed_import(url, content_type)

    refused = {
        "application/json\u00a0": "Invalid token character '\u00a0' in token \"json\u00a0\"",
        "text/csv\u00a0": "Invalid token character '\u00a0' in token \"csv\u00a0\"",
        "application/json\x85": "Invalid token character '\x85' in token \"json\x85\"",
        "application/json;q=\u00a01": "Invalid token character '\u00a0' in token \"\u00a01\"",
        "application/json;v\u00a0=1": "Invalid token character '\u00a0' in token \"v\u00a0\"",
    }
    for given, cause in refused.items():
        answer = post(given)
        assert (answer.status_code, answer.json()["message"]) == (
            415, f'Invalid mime type "{given}": {cause}'), given
    assert post("application/json ;\tq=1 ").status_code == 200


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_metadata_import_quality_with_two_points_is_multiple_points(
        sandbox_factory, version: str) -> None:
    # Double#parseDouble (JDK 17 FloatingDecimal#readJavaFormatString) refuses a second point in
    # the digits with "multiple points"; any other refusal is "For input string: …".
    url = sandbox_factory(version=version).url
    causes = {"1..0": "multiple points", '"0.5.1"': "multiple points", "-..": "multiple points",
              '"1..0\u00e9"': "multiple points", "1e1.0": 'For input string: "1e1.0"',
              ".": 'For input string: "."', "x1..0": 'For input string: "x1..0"'}
    for quality, cause in causes.items():
        given = f"application/json;q={quality}"
        answer = _typed_import(url, given)
        assert (answer.status_code, answer.json()["message"]) == (
            415, f'Invalid media type "{given}": {cause}'), quality


def test_metadata_import_consumes_json_or_application_csv_only(sandbox_factory) -> None:
    # MetadataImportExportController maps POST "" for application/json and application/csv
    # only: any other type, or none, is Spring's HttpMediaTypeNotSupportedException (415 from
    # CrudControllerAdvice), worded per Spring 5 (2.41) / 6 (2.42, 2.43), before any import.
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        for content_type in ("text/csv", "application/xml", "text/plain", None):
            headers = {"Content-Type": content_type} if content_type else {}
            answer = requests.post(f"{url}/api/metadata", data=b'{"dataElements": []}',
                                   headers=headers, auth=("admin", "district"), timeout=10)
            assert answer.status_code == 415, (version, content_type, answer.text)
            if version == "2.41":
                message = f"Content type '{content_type or ''}' not supported"
            elif content_type:
                message = f"Content-Type '{content_type}' is not supported"
            else:
                message = "Content-Type is not supported"
            assert answer.json() == {"httpStatus": "Unsupported Media Type",
                                     "httpStatusCode": 415, "status": "ERROR",
                                     "message": message}, (version, content_type)
        json_import = requests.post(f"{url}/api/metadata", json={"dataElements": []},
                                    auth=("admin", "district"), timeout=10)
        assert json_import.status_code == 200, version


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_users_name_is_its_first_name_and_surname(sandbox_factory, version: str) -> None:
    # 2.41.9 User#getName is `firstName + " " + surname` (no column); from 2.42.5 the column
    # the database generates from them, and the JSON property READ_ONLY: a sent name is
    # never bound, in reads, filters and `:owner` (an owner property from 2.42.5 only)
    url = sandbox_factory(version=version).url
    role = requests.get(f"{url}/api/userRoles", params={"fields": "id"}, auth=ADMIN,
                        timeout=10).json()["userRoles"][0]["id"]
    user = {"id": "UsrNameX001", "username": "name.test", "password": "Synthetic-pass-2025!",
            "firstName": "An", "surname": "Bình", "name": "Tên khác",
            "userRoles": [{"id": role}]}
    assert post_metadata(url, {"users": [user]}).status_code == 200
    read = requests.get(f"{url}/api/users/UsrNameX001", auth=ADMIN, timeout=10,
                        params={"fields": "name,displayName"}).json()
    assert read == {"name": "An Bình", "displayName": "An Bình"}, version
    owner = requests.get(f"{url}/api/users/UsrNameX001", auth=ADMIN, timeout=10,
                         params={"fields": ":owner"}).json()
    assert owner.get("name") == (None if version == "2.41" else "An Bình"), version
    found = requests.get(f"{url}/api/users", auth=ADMIN, timeout=10,
                         params={"filter": "name:eq:Tên khác", "fields": "id"}).json()
    assert found["users"] == [], version


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_update_gives_a_stored_object_without_creator_one(sandbox_factory, version) -> None:
    """IdentifiableObjectBundleHook#handleCreatedByProperty: a stored object without createdBy
    (the seeded user roles) takes the payload's createdBy, or else the importing user; one
    that has a creator keeps it whatever the payload names."""
    url = sandbox_factory(version=version).url
    roles = requests.get(f"{url}/api/userRoles?fields=id,name,authorities,createdBy"
                         "&paging=false", auth=ADMIN, timeout=10).json()["userRoles"]
    first, second = roles[0], roles[1]
    assert "createdBy" not in first and "createdBy" not in second
    users = requests.get(f"{url}/api/users?fields=id,username&paging=false", auth=ADMIN,
                         timeout=10).json()["users"]
    admin = next(u["id"] for u in users if u["username"] == "admin")
    other = next(u["id"] for u in users if u["username"] != "admin")

    def creator(role: dict) -> str | None:
        got = requests.get(f"{url}/api/userRoles/{role['id']}?fields=createdBy", auth=ADMIN,
                           timeout=10).json()
        return (got.get("createdBy") or {}).get("id")

    def update(role: dict, **extra: object) -> None:
        body = {"id": role["id"], "name": role["name"], "authorities": role["authorities"]}
        assert post_metadata(url, {"userRoles": [{**body, **extra}]}).status_code == 200

    update(first)
    assert creator(first) == admin
    update(second, createdBy={"id": other})
    assert creator(second) == other
    update(second, createdBy={"id": admin})
    assert creator(second) == other  # a stored creator stays
