"""Metadata validation codes and counting, one rule at a time (constructed from dhis2-core's
checks: SchemaCheck, UniquenessCheck, ReferencesCheck, CreationCheck/UpdateCheck)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, object_errors, post_metadata

DE = {"id": "deUid000001", "name": "Tuổi", "shortName": "Tuổi", "valueType": "INTEGER",
      "domainType": "TRACKER", "aggregationType": "NONE"}


def test_e4000_missing_required(fresh_sandbox: RunningSandbox) -> None:
    body = post_metadata(fresh_sandbox.url,
                         {"dataElements": [{k: v for k, v in DE.items() if k != "shortName"}]}
                         ).json()
    assert body["httpStatusCode"] == 409 and body["status"] == "WARNING"
    assert body["response"]["stats"] == {"created": 0, "updated": 0, "deleted": 0,
                                         "ignored": 1, "total": 1}
    (error,) = object_errors(body)
    assert error["message"] == "Missing required property `shortName`"
    assert error["errorKlass"] == "java.lang.String" and error["args"] == ["shortName"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_e4000s_of_an_object_come_in_the_property_map_order(sandbox_factory, version: str
                                                                ) -> None:
    # SchemaCheck → DefaultSchemaValidator#validate over Schema#getProperties, a HashMap copy of
    # DataElement's 42 properties (64 buckets); the ObjectReport keeps that order within E4000
    url = sandbox_factory(version=version).url
    body = post_metadata(url, {"dataElements": [{"id": "deBare00001"}]},
                         importMode="VALIDATE").json()
    assert [e["errorProperty"] for e in object_errors(body) if e["errorCode"] == "E4000"] == [
        "aggregationType", "domainType", "valueType", "name", "shortName"]


def test_e4001_length(fresh_sandbox: RunningSandbox) -> None:
    body = post_metadata(fresh_sandbox.url, {"dataElements": [{**DE, "code": "X" * 51}]}).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E4001"
    assert error["message"] == "Maximum length of property `code`is 50, but given length was 51"


def test_e4001_e4002_numbers_as_dhis2_formats_them(sandbox_factory) -> None:
    # DefaultSchemaValidator#validateString (2.41.9, 2.42.5, 2.43.1): E4001 passes the Integer
    # length and the int given length, E4002 the Double min/max and the int length.
    # ErrorMessage: args by toString, the message by MessageFormat (grouped, no ".0");
    # ErrorReport#errorProperties: the objects themselves, written by Jackson.
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        long_code = post_metadata(url, {"dataElements": [{**DE, "code": "X" * 1234}]})
        (error,) = object_errors(long_code.json())
        assert error["message"] == ("Maximum length of property `code`is 50, but given "
                                    "length was 1,234"), version
        assert error["args"] == ["code", "50", "1234"]
        short_form = post_metadata(url, {"dataElements": [{**DE, "formName": "a"}]})
        (error,) = object_errors(short_form.json())
        assert error["errorCode"] == "E4002"
        assert error["message"] == ("Allowed length range for property `formName` is "
                                    "[2 to 230], but given length was 1"), version
        assert error["args"] == ["formName", "2.0", "230.0", "1"]
        literal = json.loads(short_form.text, parse_float=lambda t: ("double", t))
        (written,) = object_errors(literal)
        assert written["errorProperties"] == ["formName", ("double", "2.0"), ("double", "230.0"), 1]
        (written,) = object_errors(json.loads(long_code.text, parse_float=lambda t: ("double", t)))
        assert written["errorProperties"] == ["code", 50, 1234]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e4002_writes_a_large_double_limit_as_java_does(sandbox_factory, version) -> None:
    # Property#getMax of a description without @PropertyRange is the Double 2.147483647E9:
    # Double#toString in `args`, MessageFormat's grouped number in the message, and Jackson's
    # NumberOutput#toString(double) (Double#toString again) in `errorProperties`.
    url = sandbox_factory(version=version).url
    answer = post_metadata(url, {"validationRuleGroups": [{"name": "Nhóm kiểm tra",
                                                           "description": "a"}]})
    (error,) = object_errors(answer.json())
    assert error["errorCode"] == "E4002"
    assert error["args"] == ["description", "2.0", "2.147483647E9", "1"]
    assert error["message"] == ("Allowed length range for property `description` is "
                                "[2 to 2,147,483,647], but given length was 1")
    literal = json.loads(answer.text, parse_float=lambda t: ("double", t))
    (written,) = object_errors(literal)
    assert written["errorProperties"] == ["description", ("double", "2.0"),
                                          ("double", "2.147483647E9"), 1]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e5003_under_code_of_an_object_without_code_is_the_checks_npe(sandbox_factory,
                                                                      version) -> None:
    # UniquenessCheck compares `identifier.getIdentifier(object)` (the code under CODE) with
    # the holder's: an object without code whose name another holds is a NullPointerException
    # (2.41: the null report's message, 2.42+: the NPE's own); two without code never clash.
    url = sandbox_factory(version=version).url
    stored = {"name": "Held name", "shortName": "Held short", "code": "HELD_CODE"}
    assert post_metadata(url, {"categoryOptions": [stored]}).json()["status"] == "OK"
    answer = post_metadata(url, {"categoryOptions": [{"name": "Held name",
                                                      "shortName": "Other short"}]},
                           identifier="CODE")
    assert answer.status_code == 500, answer.text
    assert answer.json()["message"] == (
        'Cannot invoke "java.lang.Iterable.forEach(java.util.function.Consumer)" because '
        '"typeReports" is null' if version == "2.41" else
        'Cannot invoke "String.equals(Object)" because the return value of '
        '"org.hisp.dhis.preheat.PreheatIdentifier.getIdentifier('
        'org.hisp.dhis.common.IdentifiableObject)" is null')
    answer = post_metadata(url, {"categoryOptions": [
        {"name": "Free name", "shortName": "Free one"},
        {"name": "Free name", "shortName": "Free two"}]}, identifier="CODE", importMode="VALIDATE")
    assert answer.status_code == 200, answer.text


def test_e5003_unique_against_store_and_payload(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
    body = post_metadata(url, {"dataElements": [{**DE, "id": "deUid000002"}]}).json()
    codes = [e["errorCode"] for e in object_errors(body)]
    assert codes == ["E5003", "E5003"]  # name and shortName are unique for data elements
    twice = post_metadata(url, {"dataElements": [
        {**DE, "id": "deUid000003", "name": "A", "shortName": "A"},
        {**DE, "id": "deUid000004", "name": "A", "shortName": "B"}]}).json()
    assert [e["errorCode"] for e in object_errors(twice)] == ["E5003"]


def test_create_and_update_checks_updated_objects_before_new_ones(fresh_sandbox) -> None:
    # selectObjectsBasedOnImportStrategy's joinObjects(persisted, nonPersisted): a new object
    # sent first and an updated one sent second, both with the same name, the updated one
    # claims it and the new one gets E5003
    url = fresh_sandbox.url
    assert post_metadata(url, {"dataElements": [DE]}).status_code == 200
    body = post_metadata(url, {"dataElements": [
        {**DE, "id": "deUid000005", "name": "Chung", "shortName": "Mới"},
        {**DE, "name": "Chung"}]}).json()
    errors = object_errors(body)
    assert [(e["errorCode"], e["args"][:2], e["mainId"]) for e in errors] == [
        ("E5003", ["name", "Chung"], "deUid000001")], errors
    report = body["response"]["typeReports"][0]["objectReports"]
    assert [r["uid"] for r in report] == ["deUid000005"]


def test_e5002_counts_like_dhis2(fresh_sandbox: RunningSandbox) -> None:
    group = {"id": "qfxEYY9xAl6", "name": "ANC group", "shortName": "ANC group",
             "dataElements": [{"id": "xyzxyzxyz12"}]}
    body = post_metadata(fresh_sandbox.url, {"dataElementGroups": [group]}).json()
    assert body["response"]["status"] == "ERROR"
    # ReferencesCheck keeps the object counted and adds one ignored; ALL folds created in
    assert body["response"]["stats"]["ignored"] == 2 and body["response"]["stats"]["total"] == 2


def test_e5002_in_a_set_and_in_a_list(sandbox_factory) -> None:
    # ReferencesCheck#checkCollection (2.41.9, 2.42.5, 2.43.1) walks the collection Jackson
    # read: DataSet#indicators is a Set, so the repeated reference is one object and the
    # HashSet's order follows BaseDimensionalItemObject#hashCode (uid, code, name, shortName,
    # description, queryMods by 31): indMissing2 → bucket 0, indMissing1 → 6, indMissing4 → 13,
    # indMissing3 → 14; DataSet#legendSets is a List, so each
    # occurrence is an E5002 and the repeat an E5007 (CollectionUtils#findDuplicates).
    data_set = {"id": "dsRefs00001", "name": "Refs", "shortName": "Refs", "periodType": "Monthly",
                "indicators": [{"id": f"indMissing{i}"} for i in (1, 2, 3, 4, 1)],
                "legendSets": [{"id": "lgsMissing1"}, {"id": "lgsMissing1"}]}
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        body = post_metadata(url, {"dataSets": [data_set]}).json()
        reported = [(e["errorCode"], e["errorProperty"], e["args"][0]) for e in object_errors(body)
                    if e["errorCode"] in ("E5002", "E5007")]
        assert reported == [
            ("E5002", "indicator", "[indMissing2] (Indicator)"),
            ("E5002", "indicator", "[indMissing1] (Indicator)"),
            ("E5002", "indicator", "[indMissing4] (Indicator)"),
            ("E5002", "indicator", "[indMissing3] (Indicator)"),
            ("E5002", "legendSets", "[lgsMissing1] (LegendSet)"),
            ("E5002", "legendSets", "[lgsMissing1] (LegendSet)"),
            ("E5007", "legendSets", "[lgsMissing1] (LegendSet)")], version


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e5007_once_per_repeated_reference_in_hash_set_order(sandbox_factory, version) -> None:
    # ReferencesCheck#checkCollection ends with CollectionUtils#findDuplicates over the whole
    # List (defaults included): a HashSet of the references equal by uid, code and name to an
    # earlier one, so a reference given three times is one E5007, one with another name is no
    # repeat, and the reports follow BaseIdentifiableObject#hashCode's buckets (lgsMissing1 →
    # 0, lgsMissing4 → 5, lgsMissing2 → 7).
    url = sandbox_factory(version=version).url
    legend_sets = [{"id": f"lgsMissing{i}"} for i in (1, 2, 1, 2, 1, 3)] + [
        {"id": "lgsMissing3", "name": "Khác"}, {"id": "lgsMissing4"}, {"id": "lgsMissing4"}]
    data_set = {"id": "dsRefs00002", "name": "Refs", "shortName": "Refs", "periodType": "Monthly",
                "legendSets": legend_sets}
    body = post_metadata(url, {"dataSets": [data_set]}).json()
    reported = [(e["errorCode"], e["args"][0]) for e in object_errors(body)
                if e["errorCode"] in ("E5002", "E5007")]
    assert reported == [("E5002", f"[lgsMissing{i}] (LegendSet)") for i in (1, 2, 1, 2, 1, 3)] + [
        ("E5002", "Khác [lgsMissing3] (LegendSet)"), ("E5002", "[lgsMissing4] (LegendSet)"),
        ("E5002", "[lgsMissing4] (LegendSet)"), ("E5007", "[lgsMissing1] (LegendSet)"),
        ("E5007", "[lgsMissing4] (LegendSet)"), ("E5007", "[lgsMissing2] (LegendSet)")]
    # the default category is skipped by the E5002 check, not by findDuplicates
    combo = {"id": "ccRefs00001", "name": "Hai", "dataDimensionType": "DISAGGREGATION",
             "categories": [{"id": "GLevLNI9wkl"}, {"id": "GLevLNI9wkl"}]}
    body = post_metadata(url, {"categoryCombos": [combo]}, importMode="VALIDATE").json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E5007", ["[GLevLNI9wkl] (Category)", "Hai [ccRefs00001] (CategoryCombo)",
                   "category"])]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_references_are_equal_by_their_class_equals(sandbox_factory, version: str) -> None:
    # A nameable class's equals compares shortName and description too
    # (BaseNameableObject#equals; BaseDimensionalItemObject adds queryMods): two references
    # to one indicator with other short names stay two in DataSet#indicators' HashSet, so two
    # E5002. 2.43.1's CategoryOption has its own equals, uid, code, name, shortName and
    # queryMods without description: there a second reference with another description is
    # a repeat of Category#categoryOptions (a List) and an E5007, before 2.43 it is none.
    url = sandbox_factory(version=version).url
    data_set = {"id": "dsRefs00003", "name": "Refs", "shortName": "Refs", "periodType": "Monthly",
                "indicators": [{"id": "indMissing1", "shortName": "A"},
                               {"id": "indMissing1", "shortName": "B"}]}
    body = post_metadata(url, {"dataSets": [data_set]}).json()
    assert [e["errorCode"] for e in object_errors(body)
            if e["errorCode"] in ("E5002", "E5007")] == ["E5002", "E5002"]
    category = {"id": "catRefs0001", "name": "Hai", "shortName": "Hai",
                "dataDimensionType": "DISAGGREGATION",
                "categoryOptions": [{"id": "copMissing1", "description": "một"},
                                    {"id": "copMissing1", "description": "hai"}]}
    body = post_metadata(url, {"categories": [category]}, importMode="VALIDATE").json()
    assert [e["errorCode"] for e in object_errors(body)] == (
        ["E5002", "E5002", "E5007"] if version == "2.43" else ["E5002", "E5002"])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_user_references_hash_by_their_derived_name(sandbox_factory, version: str) -> None:
    # UserGroup#members is a HashSet of User read by UserPropertyTransformer (id, code and
    # username only), whose hashCode and equals are BaseIdentifiableObject's over
    # User#getName, `firstName + " " + surname`: every reference is "null null", so a repeat
    # (with a first name too) is one, the missing users come in that hash's buckets
    # (usrMissing4 → 0, usrMissing2 → 1, usrMissing3 → 3, usrMissing1 → 14), and
    # getIdentifiersWithName names each "null null"
    url = sandbox_factory(version=version).url
    users = [{"id": f"usrMissing{i}"} for i in (1, 2, 3, 4, 1)] + [
        {"id": "usrMissing1", "firstName": "An"}]
    group = {"id": "ugRefs00001", "name": "Nhóm", "users": users}
    body = post_metadata(url, {"userGroups": [group]}, importMode="VALIDATE").json()
    assert [(e["errorCode"], e["args"][0]) for e in object_errors(body)
            if e["errorCode"] in ("E5002", "E5007")] == [
        ("E5002", f"null null [usrMissing{i}] (User)") for i in (4, 2, 3, 1)]


def test_e5002_message_for_typed_reference(fresh_sandbox: RunningSandbox) -> None:
    body = post_metadata(fresh_sandbox.url, {"programs": [{
        "id": "prgUid00001", "name": "Nhóm", "shortName": "Nhóm",
        "programType": "WITH_REGISTRATION", "trackedEntityType": {"id": "tetMissing1"}}]}).json()
    (error,) = object_errors(body)
    assert error["message"] == ("Invalid reference [tetMissing1] (TrackedEntityType) on object "
                                "Nhóm [prgUid00001] (Program) for association "
                                "`trackedEntityType`")
    assert body["response"]["stats"]["ignored"] == 2


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e5000_is_reported_on_the_stored_object(sandbox_factory, version: str) -> None:
    # CreationCheck#check (2.41.9 = 2.42.5 = 2.43.1) reports on the preheat's object, the stored
    # one: IndexedObjectContainer (an IdentityHashMap) gives it the index after the payload's
    # two data elements, and the report its display name, while the args name the payload's
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {"dataElements": [DE]}).json()["status"] == "OK"
    renamed = {**DE, "name": "Khác", "shortName": "Khác"}
    fresh = {**DE, "id": "deUid000002", "name": "Mới", "shortName": "Mới"}
    body = post_metadata(url, {"dataElements": [fresh, renamed]}, importStrategy="CREATE",
                         importMode="VALIDATE").json()
    (type_report,) = body["response"]["typeReports"]
    (report,) = type_report["objectReports"]
    assert {k: report[k] for k in ("index", "uid", "displayName")} == {
        "index": 2, "uid": "deUid000001", "displayName": "Tuổi"}
    # Jackson writes ObjectReport's fields in declaration order, the name before the errors
    assert list(report) == ["klass", "index", "uid", "displayName", "errorReports"]
    assert report["errorReports"][0]["args"] == ["UID", "Khác [deUid000001] (DataElement)"]


def test_delete_of_missing_objects_e5001_object_reports(fresh_sandbox: RunningSandbox) -> None:
    # DeletionCheck reads the preheat, which holds every payload object as a placeholder
    # (DefaultPreheatService#preheat): a missing object's E5001 has its uid as mainId, one
    # generated when the payload has none, and no errorProperty; nothing is deleted.
    url = fresh_sandbox.url
    assert post_metadata(url, {"dataElements": [DE]}).json()["status"] == "OK"
    nameless = {k: v for k, v in DE.items() if k != "id"} | {"name": "Khác", "shortName": "Khác"}
    body = post_metadata(url, {"dataElements": [{**DE, "id": "deMissing01"}, nameless, DE]},
                         importStrategy="DELETE").json()
    assert body["response"]["stats"] == {"created": 0, "updated": 0, "deleted": 0,
                                         "ignored": 3, "total": 3}
    (type_report,) = body["response"]["typeReports"]
    first, second = type_report["objectReports"]
    assert first == {
        "klass": "org.hisp.dhis.dataelement.DataElement", "index": 0, "uid": "deMissing01",
        "errorReports": [{
            "message": "No matching object for reference. Identifier was UID, and object was "
                       "Tuổi [deMissing01] (DataElement).",
            "mainKlass": "org.hisp.dhis.dataelement.DataElement", "mainId": "deMissing01",
            "errorProperties": ["UID", "Tuổi [deMissing01] (DataElement)"],
            "errorCode": "E5001", "args": ["UID", "Tuổi [deMissing01] (DataElement)"]}]}
    generated = second["uid"]
    assert second["index"] == 1 and second["errorReports"][0]["mainId"] == generated
    assert second["errorReports"][0]["args"] == ["UID", f"Khác [{generated}] (DataElement)"]
    assert requests.get(f"{url}/api/dataElements/{DE['id']}", auth=ADMIN,
                        timeout=30).status_code == 200


def test_update_on_missing_e5001_and_atomic_none(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    missing = post_metadata(url, {"dataElements": [DE]}, importStrategy="UPDATE").json()
    assert [e["errorCode"] for e in object_errors(missing)] == ["E5001"]
    # UpdateCheck sets errorProperty `id` and mainId; DeletionCheck only mainId
    (error,) = object_errors(missing)
    assert (error["errorProperty"], error["mainId"]) == ("id", DE["id"])
    deleted = post_metadata(url, {"dataElements": [DE]}, importStrategy="DELETE").json()
    (error,) = object_errors(deleted)
    assert error["errorCode"] == "E5001" and "errorProperty" not in error
    assert error["mainId"] == DE["id"]
    partial = post_metadata(url, {"dataElements": [
        DE, {k: v for k, v in DE.items() if k not in ("shortName", "name")} | {
            "id": "deUid000009", "name": "Khác"}]}, atomicMode="NONE")
    assert partial.status_code == 409
    report = partial.json()["response"]
    assert report["status"] == "WARNING"
    assert report["stats"]["created"] == 1 and report["stats"]["ignored"] == 1


def test_unknown_top_level_keys_skipped_and_unmodelled_types_kept(
        fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    legend = {"id": "lgsUid00001", "name": "Mức", "legends": [
        {"id": "lgdUid00001", "name": "Thấp", "startValue": 0, "endValue": 5,
         "color": "#FF0000"}], "customField": {"dropped": True}}
    body = post_metadata(url, {"package": {"name": "x"}, "system": {"id": "y"},
                               "legendSets": [legend]}).json()
    assert body["status"] == "OK" and body["response"]["stats"]["created"] == 1
    import requests
    stored = requests.get(f"{url}/api/legendSets/lgsUid00001?fields=:owner",
                          auth=("admin", "district"), timeout=10).json()
    # no LegendSet property: the import ObjectMapper skips it (JacksonObjectMapperConfig)
    assert "customField" not in stored
    assert stored["legends"][0]["color"] == "#FF0000"


def test_a_metadata_key_is_read_as_its_json_node_iterates(fresh_sandbox: RunningSandbox
                                                          ) -> None:
    # DefaultRenderService#fromMetadata walks `for (JsonNode item : node)`: an object's member
    # values are its items, a scalar has none, a null item binds to null and is dropped.
    url = fresh_sandbox.url
    body = post_metadata(url, {"dataElements": {"first": DE, "none": None},
                               "programStageDataElements": [{"id": "psdeUid0001"}],
                               "legendSets": "not an array"}).json()
    assert body["status"] == "OK" and body["response"]["stats"]["created"] == 1
    stored = requests.get(f"{url}/api/dataElements/{DE['id']}", auth=ADMIN, timeout=10)
    assert stored.status_code == 200 and stored.json()["name"] == DE["name"]


def test_validate_mode_keeps_display_name_and_writes_nothing(fresh_sandbox: RunningSandbox
                                                             ) -> None:
    body = post_metadata(fresh_sandbox.url,
                         {"dataElements": [{k: v for k, v in DE.items() if k != "shortName"}]},
                         importMode="VALIDATE").json()
    report = body["response"]["typeReports"][0]["objectReports"][0]
    assert report["displayName"] == "Tuổi"


def test_full_report_mode_lists_committed_objects(fresh_sandbox: RunningSandbox) -> None:
    body = post_metadata(fresh_sandbox.url, {"dataElements": [DE]},
                         importReportMode="FULL").json()
    reports = body["response"]["typeReports"][0]["objectReports"]
    assert reports == [{"klass": "org.hisp.dhis.dataelement.DataElement", "index": 0,
                        "uid": "deUid000001", "errorReports": []}]


def test_async_import_and_task_summary(fresh_sandbox: RunningSandbox) -> None:
    import time

    import requests
    url = fresh_sandbox.url
    response = requests.post(f"{url}/api/metadata?async=true", json={"dataElements": [DE]},
                             auth=("admin", "district"), timeout=10)
    body = response.json()
    assert body["message"].startswith("Initiated METADATA_IMPORT (")
    assert body["response"]["responseType"] == "JobConfiguration"
    assert len(body["response"]["jobParameters"]) == 14
    assert response.headers["Location"].endswith("/api/system/tasks/METADATA_IMPORT")
    job = body["response"]["id"]
    for _ in range(50):
        tasks = requests.get(f"{url}/api/system/tasks/METADATA_IMPORT/{job}",
                             auth=("admin", "district"), timeout=10).json()
        if tasks and tasks[0]["completed"]:
            break
        time.sleep(0.05)
    summary = requests.get(f"{url}/api/system/taskSummaries/METADATA_IMPORT/{job}",
                           auth=("admin", "district"), timeout=10).json()
    assert summary["status"] == "OK" and summary["importParams"]["user"]
    assert summary["typeReports"][0]["objectReports"] == []


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_system_task_answers_without_a_job(sandbox_factory, version: str) -> None:
    # SystemController#getTaskJsonByUid/#getTaskSummaryJson (2.41.9, 2.42.5, 2.43.1): jobId is a
    # UID path variable; a job without a summary answers `ok().build()`, no body; every answer
    # `cacheControl(noStore())`.
    url = sandbox_factory(version=version).url
    auth = ("admin", "district")
    none = requests.get(f"{url}/api/system/taskSummaries/METADATA_IMPORT/abcdefghijk", auth=auth,
                        timeout=10)
    assert (none.status_code, none.content) == (200, b"")
    assert none.headers["Cache-Control"] == "no-store"
    tasks = requests.get(f"{url}/api/system/tasks/METADATA_IMPORT/abcdefghijk", auth=auth,
                         timeout=10)
    assert (tasks.status_code, tasks.json()) == (200, [])
    assert tasks.headers["Cache-Control"] == "no-store"
    assert requests.get(f"{url}/api/system/tasks/METADATA_IMPORT", auth=auth,
                        timeout=10).headers["Cache-Control"] == "no-store"
    bad = requests.get(f"{url}/api/system/tasks/METADATA_IMPORT/bad", auth=auth, timeout=10)
    assert bad.status_code == 400
    assert bad.json() == {
        "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
        "message": "Value 'bad' is not valid for path parameter jobId. UID must be an "
                   "alphanumeric string of 11 characters starting with a letter, but was: bad"}
    summary = requests.get(f"{url}/api/system/taskSummaries/METADATA_IMPORT/bad", auth=auth,
                           timeout=10)
    assert summary.status_code == 400


def test_system_tasks_list_the_newest_job_first(fresh_sandbox: RunningSandbox) -> None:
    # DefaultNotifier#getNotificationsByJobType / #getJobSummariesForJobType sort the jobs by
    # their newest entry, newest first; #getNotifications keys them by JobType (EnumMap),
    # leaving out types without jobs (2.41.9, 2.42.5, 2.43.1).
    import time
    url = fresh_sandbox.url
    jobs = []
    for n in (1, 2):
        body = requests.post(f"{url}/api/metadata?async=true", auth=ADMIN, timeout=10, json={
            "dataElements": [{**DE, "id": f"deTaskOrd0{n}", "name": f"Task {n}",
                              "shortName": f"Task {n}", "code": f"TASK_{n}"}]}).json()
        jobs.append(body["response"]["id"])
        for _ in range(50):
            tasks = requests.get(f"{url}/api/system/tasks/METADATA_IMPORT/{jobs[-1]}",
                                 auth=ADMIN, timeout=10).json()
            if tasks and tasks[0]["completed"]:
                break
            time.sleep(0.05)
        time.sleep(0.01)
    by_type = requests.get(f"{url}/api/system/tasks/METADATA_IMPORT", auth=ADMIN,
                           timeout=10).json()
    assert list(by_type) == jobs[::-1]
    everything = requests.get(f"{url}/api/system/tasks", auth=ADMIN, timeout=10)
    assert everything.headers["Cache-Control"] == "no-store"
    assert list(everything.json()) == ["METADATA_IMPORT"]
    assert list(everything.json()["METADATA_IMPORT"]) == jobs[::-1]
    summaries = requests.get(f"{url}/api/system/taskSummaries/METADATA_IMPORT", auth=ADMIN,
                             timeout=10).json()
    assert list(summaries) == jobs[::-1]
    assert summaries[jobs[0]]["status"] == "OK"


@pytest.mark.parametrize("version,count", [("2.41", 46), ("2.42", 44), ("2.43", 43)])
def test_an_unknown_job_type_lists_the_job_types(sandbox_factory, version: str,
                                                 count: int) -> None:
    # `@PathVariable JobType jobType`: CrudControllerAdvice#methodArgumentTypeMismatchException
    # lists the enum's constants (scheduling/JobType.java: 46 at 2.41.9, 44 at 2.42.5, 43 at
    # 2.43.1), bound before the job id.
    url = sandbox_factory(version=version).url
    for path in ("tasks/NOPE", "tasks/NOPE/bad", "taskSummaries/NOPE/abcdefghijk"):
        response = requests.get(f"{url}/api/system/{path}", auth=ADMIN, timeout=10)
        message = response.json()["message"]
        assert response.status_code == 400 and "errorCode" not in response.json()
        head, _, listed = message.partition(" Valid values are: [")
        assert head == "Value 'NOPE' is not valid for path parameter jobType."
        names = listed.rstrip("]").split(", ")
        assert len(names) == count and names[:4] == [
            "DATA_INTEGRITY", "DATA_INTEGRITY_DETAILS", "RESOURCE_TABLE", "ANALYTICS_TABLE"]
        assert "METADATA_IMPORT" in names and names[-1] == "SYSTEM_VERSION_UPDATE_CHECK"
    assert ("EVENT_IMPORT" in names) == (version == "2.41")


def test_unknown_enum_constant_is_a_deserialisation_error(fresh_sandbox: RunningSandbox
                                                          ) -> None:
    response = post_metadata(fresh_sandbox.url, {"dataElements": [{**DE, "valueType": "FOO"}]})
    assert response.status_code == 500
    assert response.json()["status"] == "ERROR"
    assert "org.hisp.dhis.common.ValueType" in response.json()["message"]


def test_e5004_only_for_a_repeat_that_follows_its_twin(fresh_sandbox) -> None:
    # DuplicateIdsCheck keeps the last uid per class: A, A → E5004; A, B, A → not caught.
    url = fresh_sandbox.url
    option = {"id": "OptDupl0001", "name": "Một", "shortName": "Một"}
    other = {"id": "OptDupl0002", "name": "Hai", "shortName": "Hai"}
    body = post_metadata(url, {"categoryOptions": [option, {**option, "name": "Ba",
                                                             "shortName": "Ba"}]},
                         importMode="VALIDATE").json()
    errors = [e for r in body["response"]["typeReports"] for o in r["objectReports"]
              for e in o["errorReports"]]
    assert [e["errorCode"] for e in errors] == ["E5004"]
    assert errors[0]["args"] == ["OptDupl0001", "class org.hisp.dhis.category.CategoryOption"]
    assert errors[0]["message"] == (
        "Id `OptDupl0001` for type `class org.hisp.dhis.category.CategoryOption` exists on more "
        "than 1 object in the payload, removing all but the first found")
    # the Class object itself in errorProperties: Jackson's ClassSerializer writes getName()
    assert errors[0]["errorProperties"] == ["OptDupl0001", "org.hisp.dhis.category.CategoryOption"]
    assert errors[0]["mainId"] == "OptDupl0001" and errors[0]["errorProperty"] == "id"
    body = post_metadata(url, {"categoryOptions": [option, other, {**option, "name": "Ba",
                                                                    "shortName": "Ba"}]},
                         importMode="VALIDATE").json()
    assert not any(o["errorReports"] for r in body["response"]["typeReports"]
                   for o in r["objectReports"])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_hooks_see_a_repeat_already_refused(sandbox_factory, version: str) -> None:
    # ValidationHooksCheck#check (2.41.9 = 2.42.5 = 2.43.1) runs the hooks on every object the
    # import strategy selects: an object DuplicateIdsCheck refused (E5004) is only marked, and
    # ValidationFactory#removeFromBundle drops it after the whole chain. The two objects keep
    # their own indexes (IndexedObjectContainer by identity), each check counts one ignored and
    # a report lists its errors in ErrorCode order (ObjectReport's EnumMap: E4019 before E5004).
    url = sandbox_factory(version=version).url
    element = {**DE, "id": "deDupAAAAA1", "fieldMask": "\\"}  # `"\\"`: no TextPattern
    body = post_metadata(url, {"dataElements": [element, {**element, "name": "Tuổi 2",
                                                          "shortName": "Tuổi 2"}]},
                         importMode="VALIDATE").json()
    (report,) = body["response"]["typeReports"]
    assert [(o["index"], [e["errorCode"] for e in o["errorReports"]])
            for o in sorted(report["objectReports"], key=lambda o: o["index"])] == [
        (0, ["E4019"]), (1, ["E4019", "E5004"])]
    assert report["stats"]["ignored"] == 3


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_removal_takes_every_object_equal_to_a_refused_one(sandbox_factory, version: str
                                                               ) -> None:
    # ValidationFactory#removeFromBundle (2.41.9 = 2.42.5 = 2.43.1): `List#removeAll` of the
    # marked objects compares by BaseIdentifiableObject#equals (uid, code and name), so a repeat
    # refused with E5004 takes its equal twin out of the bundle too: neither is counted nor
    # written; a twin with another name stays
    url = sandbox_factory(version=version).url
    twin = {**DE, "id": "deTwinAAAA1"}
    body = post_metadata(url, {"dataElements": [twin, dict(twin)]}, atomicMode="NONE").json()
    assert [e["errorCode"] for e in object_errors(body)] == ["E5004"]
    assert body["response"]["stats"] == {"created": 0, "updated": 0, "deleted": 0,
                                         "ignored": 1, "total": 1}
    stored = requests.get(f"{url}/api/dataElements/deTwinAAAA1", auth=ADMIN, timeout=60)
    assert stored.status_code == 404
    other = {**twin, "name": "Tuổi khác"}
    body = post_metadata(url, {"dataElements": [twin, other]}, atomicMode="NONE").json()
    assert body["response"]["stats"]["created"] == 1
    stored = requests.get(f"{url}/api/dataElements/deTwinAAAA1?fields=name", auth=ADMIN,
                          timeout=60)
    assert stored.json()["name"] == "Tuổi"


def test_e4014_names_the_class_of_the_object(fresh_sandbox: RunningSandbox) -> None:
    # UidFormatCheck#run passes object.getClass().getSimpleName() as the second argument, so
    # the "property" of the message is the class (2.41.9 = 2.42.5 = 2.43.1). Eleven characters,
    # so the schema's length check stays quiet; a uid cannot start with a digit.
    body = post_metadata(fresh_sandbox.url, {"dataElements": [{**DE, "id": "1bcdefghijk"}]},
                         importMode="VALIDATE").json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E4014"
    assert error["args"] == ["1bcdefghijk", "DataElement"]
    assert error["message"] == "Invalid UID `1bcdefghijk` for property `DataElement`"


def test_e5002_reports_on_the_embedded_object_and_no_error_klass_for_a_single_reference(
        fresh_sandbox: RunningSandbox) -> None:
    # ReferencesCheck#checkEmbeddedObject/#createError and PreheatErrorReport (mainKlass, mainId
    # and the second arg from the embedded object; errorKlass = property.getItemKlass(), null
    # for a non-collection property) (2.41.9 = 2.42.5 = 2.43.1).
    body = {"programStages": [{
        "id": "stgRefChk01", "name": "Ref stage", "program": {"id": "prgMissing1"},
        "programStageDataElements": [{"id": "psdeRefChk1", "dataElement": {"id": "deMissing01"},
                                      "programStage": {"id": "stgRefChk01"}}]}]}
    response = post_metadata(fresh_sandbox.url, body)
    assert response.status_code == 409
    errors = {e["errorProperty"]: e for e in object_errors(response.json()) if e["errorCode"] == "E5002"}
    program, element = errors["program"], errors["dataElement"]
    assert program["mainKlass"] == "org.hisp.dhis.program.ProgramStage"
    assert program["mainId"] == "stgRefChk01" and "errorKlass" not in program
    assert element["mainKlass"] == "org.hisp.dhis.program.ProgramStageDataElement"
    assert element["mainId"] == "psdeRefChk1" and "errorKlass" not in element
    assert element["args"] == ["[deMissing01] (DataElement)",
                               "[psdeRefChk1] (ProgramStageDataElement)", "dataElement"]


ATTRIBUTE = {"id": "attrKnown01", "name": "Nhãn", "code": "AV_KNOWN", "valueType": "TEXT",
             "dataElementAttribute": True}


def test_e5002_of_an_attribute_value_per_release(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # ReferencesCheck#checkAttributeValues: 2.41.9 looks the attribute up by the import's
    # identifier and prints it with getIdentifiersWithName; 2.42.5/2.43.1 read AttributeValues
    # (attribute ids in TreeMap order), look each id up by UID and print it bare. The object is
    # named with the import's identifier on every release.
    version, running = release_sandbox
    running.reset()
    values = [{"attribute": {"id": "attrMissZZ1"}, "value": "a"},
              {"attribute": {"id": "attrMissAA1"}, "value": "b"}]
    body = post_metadata(running.url, {"dataElements": [
        {**DE, "code": "DE_AV_CHECK", "attributeValues": values}]},
        identifier="CODE").json()
    errors = [e for e in object_errors(body) if e["errorCode"] == "E5002"]
    main = "Tuổi [DE_AV_CHECK] (DataElement)"
    if version == "2.41":
        # By CODE the attribute (given by id only) has no identifier: Java prints [null].
        assert [e["args"] for e in errors] == [
            ["[null] (Attribute)", main, "attributeValues"],
            ["[null] (Attribute)", main, "attributeValues"]]
        by_uid = post_metadata(running.url, {"dataElements": [
            {**DE, "attributeValues": values}]}).json()
        # the object's HashSet of AttributeValue, in bucket order (as MetadataAttributeCheck)
        assert [e["args"][0] for e in object_errors(by_uid) if e["errorCode"] == "E5002"] == [
            "[attrMissAA1] (Attribute)", "[attrMissZZ1] (Attribute)"]
        twice = post_metadata(running.url, {"dataElements": [
            {**DE, "attributeValues": [values[0], values[0]]}]}).json()
        assert [e["args"][0] for e in object_errors(twice) if e["errorCode"] == "E5002"] == [
            "[attrMissZZ1] (Attribute)"]
        # An attribute that exists, given by id in an import by CODE, is not found either.
        assert post_metadata(running.url, {"attributes": [ATTRIBUTE]}).status_code == 200
        known = post_metadata(running.url, {"dataElements": [{**DE, "code": "DE_AV_CHECK",
            "attributeValues": [{"attribute": {"id": ATTRIBUTE["id"]}, "value": "c"}]}]},
            identifier="CODE").json()
        assert [e["args"][0] for e in object_errors(known)
                if e["errorCode"] == "E5002"] == ["[null] (Attribute)"]
    else:
        assert [e["args"] for e in errors] == [["attrMissAA1", main, "attributeValues"],
                                               ["attrMissZZ1", main, "attributeValues"]]
        # By CODE a stored attribute is found only when the preheat also loads the references
        # it collected by UID, which it does once one of them is a User or UserGroup
        # (DefaultPreheatService#preheat, #isOnlyUID); the payload's own attribute never is.
        assert post_metadata(running.url, {"attributes": [ATTRIBUTE]}).status_code == 200
        value = [{"attribute": {"id": ATTRIBUTE["id"]}, "value": "c"}]
        element = {**DE, "code": "DE_AV_CHECK", "attributeValues": value}
        alone = post_metadata(running.url, {"dataElements": [element]}, identifier="CODE").json()
        assert [e["args"][0] for e in object_errors(alone)
                if e["errorCode"] == "E5002"] == [ATTRIBUTE["id"]]
        with_user = {**element, "createdBy": {"id": "xE7jOejl9FI"}}
        found = post_metadata(running.url, {"dataElements": [with_user]},
                              identifier="CODE").json()
        assert [e for e in object_errors(found) if e["errorCode"] == "E5002"] == []
        new_attribute = {**ATTRIBUTE, "id": "attrNewAA01", "code": "AV_NEW", "name": "Mới"}
        in_payload = post_metadata(running.url, {"attributes": [new_attribute], "dataElements": [
            {**with_user, "attributeValues": [{"attribute": {"id": "attrNewAA01"},
                                               "value": "d"}]}]}, identifier="CODE").json()
        assert [e["args"][0] for e in object_errors(in_payload)
                if e["errorCode"] == "E5002"] == ["attrNewAA01"]
    assert errors[0]["message"].startswith("Invalid reference ")
    assert "errorKlass" not in errors[0] and "mainId" not in errors[0]


def test_e5008_a_reference_the_user_cannot_read(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # ReferencesCheck#checkReference/#checkCollection: a reference that exists but whose
    # shareable object the importing user cannot read (DefaultAclService#canRead) is E5008, with
    # E5002's arguments (2.41.9 = 2.42.5 = 2.43.1); a superuser reads everything.
    _, running = release_sandbox
    running.reset()
    private = {"id": "osPrivate01", "name": "Private set", "valueType": "TEXT",
               "sharing": {"public": "--------", "owner": "xE7jOejl9FI"}}
    assert post_metadata(running.url, {"optionSets": [private]}).status_code == 200
    element = {**DE, "valueType": "TEXT", "optionSet": {"id": "osPrivate01"}}
    body = post_metadata(running.url, {"dataElements": [element]},
                         auth=("metadata.manager", "district")).json()
    assert body["httpStatusCode"] == 409
    (error,) = object_errors(body)
    assert error["errorCode"] == "E5008"
    assert error["message"] == ("READ access is required for reference [osPrivate01] (OptionSet)"
                                " on object Tuổi [deUid000001] (DataElement) for association "
                                "`optionSet`")
    assert error["mainId"] == "deUid000001" and error["errorProperty"] == "optionSet"
    assert post_metadata(running.url, {"dataElements": [element]}).status_code == 200


def test_attribute_values_are_checked_by_metadata_attribute_check(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # MetadataAttributeCheck (after ReferencesCheck, a removal check): an attribute not assigned
    # to the class is E6012 on Attribute; a value is checked against the attribute's value type
    # (DefaultAttributeValidator: E6006 integer, E6016 boolean); ErrorReport class AttributeValue
    # on 2.41.9, AttributeValues on 2.42.5/2.43.1; values in the HashSet's bucket order on 2.41
    # (attrCount00's "x" → 5, attrCount01's "1.5" → 13), in id order from 2.42; the object
    # report lists them by ErrorCode (ObjectReport's EnumMap).
    version, running = release_sandbox
    running.reset()
    count = {**ATTRIBUTE, "id": "attrCount01", "code": "AV_COUNT", "name": "Số",
             "valueType": "INTEGER"}
    first = {**count, "id": "attrCount00", "code": "AV_COUNT0", "name": "Số 0"}
    flag = {**ATTRIBUTE, "id": "attrFlag001", "code": "AV_FLAG", "name": "Cờ",
            "valueType": "BOOLEAN"}
    other = {**ATTRIBUTE, "id": "attrOther01", "code": "AV_OTHER", "name": "Khác",
             "dataElementAttribute": False, "indicatorAttribute": True}
    assert post_metadata(running.url, {"attributes": [count, first, flag, other]}
                         ).status_code == 200
    values = [{"attribute": {"id": "attrOther01"}, "value": "x"},
              {"attribute": {"id": "attrFlag001"}, "value": "yes"},
              {"attribute": {"id": "attrCount01"}, "value": "1.5"},
              {"attribute": {"id": "attrCount00"}, "value": "x"}]
    body = post_metadata(running.url, {"dataElements": [{**DE, "attributeValues": values}]}).json()
    assert body["httpStatusCode"] == 409
    assert body["response"]["stats"]["ignored"] == 1
    errors = [(e["errorCode"], e["mainKlass"], e["args"]) for e in object_errors(body)]
    klass = "org.hisp.dhis.attribute.AttributeValue" + ("" if version == "2.41" else "s")
    integers = [("E6006", klass, ["x"]), ("E6006", klass, ["1.5"])]
    assert errors == [*integers,
                      ("E6012", "org.hisp.dhis.attribute.Attribute", ["attrOther01", "DataElement"]),
                      ("E6016", klass, ["yes"])]
    good = [{"attribute": {"id": "attrCount01"}, "value": "15"},
            {"attribute": {"id": "attrFlag001"}, "value": "true"}]
    assert post_metadata(running.url, {"dataElements": [
        {**DE, "attributeValues": good}]}).status_code == 200


def test_attribute_value_patterns_match_the_whole_value_in_ascii_digits(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # MathUtils#isInteger/#isNumeric and DateUtils#dateIsValid use Matcher#matches: the whole
    # value, so a trailing line break is no integer, number or date; Java's \d is ASCII, so
    # Arabic-Indic digits are none either (2.41.9 NumberCheck/DateCheck, 2.42.5 and 2.43.1
    # DefaultAttributeValidator)
    version, running = release_sandbox
    running.reset()
    kinds = {"INTEGER": "E6006", "NUMBER": "E6008", "DATE": "E6014"}
    attributes = [{**ATTRIBUTE, "id": f"attrPatt{i:03d}", "code": f"AV_PATT{i}",
                   "name": f"Mẫu {i}", "valueType": kind} for i, kind in enumerate(kinds)]
    assert post_metadata(running.url, {"attributes": attributes}).status_code == 200
    for attribute, kind in zip(attributes, kinds, strict=True):
        for value in (("2020-01-01\n", "٢٠٢٠-01-01") if kind == "DATE" else ("15\n", "١٥")):
            body = post_metadata(running.url, {"dataElements": [{**DE, "attributeValues": [
                {"attribute": {"id": attribute["id"]}, "value": value}]}]},
                importMode="VALIDATE").json()
            assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
                (kinds[kind], [value])], (version, kind, value)


def test_attribute_date_values_end_on_a_word_char_as_the_release_jdk_reads_it(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # DateUtils#dateIsValid: DEFAULT_DATE_REGEX `\\b…(?<time>.*)\\b` matched whole, so anything
    # after the date up to a word char passes; JDK 17 (2.41, 2.42) counts any letter a word
    # char, JDK 21 (2.43) only [a-zA-Z0-9_] (`regex_word_boundary_ascii`).
    version, running = release_sandbox
    running.reset()
    attribute = {**ATTRIBUTE, "id": "attrDate001", "code": "AV_DATE1", "name": "Ngày",
                 "valueType": "DATE"}
    assert post_metadata(running.url, {"attributes": [attribute]}).status_code == 200
    for value, passes in (("2020-01-01T10:00", True), ("2020-01-01 x", True),
                          ("2020-01-01 ", False), ("2020-02-30", False),
                          ("2020-01-01 \u00e9", version != "2.43")):
        body = post_metadata(running.url, {"dataElements": [{**DE, "attributeValues": [
            {"attribute": {"id": attribute["id"]}, "value": value}]}]},
            importMode="VALIDATE").json()
        assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == (
            [] if passes else [("E6014", [value])]), (version, value)


def test_attribute_values_sent_as_json_numbers_or_booleans_are_their_text(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.41.9 AttributeValue#value is a String, bound by EmptyStringToNullStdDeserializer from
    # the tree fromMetadata reads (a boolean `true`, a DoubleNode's Double#toString); 2.42.5 /
    # 2.43.1 LazyAttributeValues#parseValue keeps a non-string's JSON text: checked and stored
    # as that text at every tag
    version, running = release_sandbox
    running.reset()
    flag = {**ATTRIBUTE, "id": "attrFlag001", "code": "AV_FLAG", "name": "Cờ",
            "valueType": "BOOLEAN"}
    text = {**ATTRIBUTE, "id": "attrText001", "code": "AV_TEXT", "name": "Chữ",
            "valueType": "TEXT"}
    assert post_metadata(running.url, {"attributes": [flag, text]}).status_code == 200
    values = [{"attribute": {"id": "attrFlag001"}, "value": True},
              {"attribute": {"id": "attrText001"}, "value": 1e20}]
    answer = post_metadata(running.url, {"dataElements": [{**DE, "attributeValues": values}]})
    assert answer.status_code == 200, (version, object_errors(answer.json()))
    stored = requests.get(f"{running.url}/api/dataElements/{DE['id']}", auth=ADMIN, timeout=10,
                          params={"fields": "attributeValues[value,attribute[id]]"}).json()
    assert sorted((v["attribute"]["id"], v["value"]) for v in stored["attributeValues"]) == [
        ("attrFlag001", "true"), ("attrText001", "1.0E20")], version


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_array_or_object_attribute_value_per_release(sandbox_factory, version: str) -> None:
    # 2.41.9 EmptyStringToNullStdDeserializer: `getValueAsString` of an array is null, so there
    # is no value to check; 2.42.5 / 2.43.1 AttributeValuesDeserializer reads the tree's
    # compact JSON text and LazyAttributeValues#parseValue keeps it (`toJson()`)
    url = sandbox_factory(version=version).url
    number = {**ATTRIBUTE, "id": "attrInt0001", "code": "AV_INT", "name": "Số",
              "valueType": "INTEGER"}
    assert post_metadata(url, {"attributes": [number]}).status_code == 200
    for value, text in (([1], "[1]"), ({"a": 1}, '{"a":1}')):
        if version == "2.41" and isinstance(value, dict):
            continue  # the object's own keys are read as the attribute value's: not modelled
        de = {**DE, "attributeValues": [{"attribute": {"id": "attrInt0001"}, "value": value}]}
        body = post_metadata(url, {"dataElements": [de]}, importMode="VALIDATE").json()
        found = [e["args"] for e in object_errors(body) if e["errorCode"] == "E6006"]
        assert found == ([] if version == "2.41" else [[text]]), (version, value)


def test_an_attribute_value_without_attribute_id_on_2_41(sandbox_factory) -> None:
    # 2.41.9 MetadataAttributeCheck#check reads `av.getAttribute().getUid()`: a reference by
    # code alone has a null uid, no attribute of the class, so E6012 keeps the null arg
    # (ErrorMessage keeps nulls) and MessageFormat writes it "null"
    url = sandbox_factory(version="2.41").url
    de = {"id": "deAttr00001", "name": "Thuộc tính", "shortName": "Thuộc tính",
          "aggregationType": "SUM", "domainType": "AGGREGATE", "valueType": "NUMBER",
          "attributeValues": [{"attribute": {"code": "NOPE"}, "value": "1"}]}
    body = post_metadata(url, {"dataElements": [de]}, importMode="VALIDATE").json()
    (e6012,) = [e for e in object_errors(body) if e["errorCode"] == "E6012"]
    assert e6012["args"] == [None, "DataElement"]
    assert e6012["message"] == "Attribute `null` is not assigned to `DataElement`"


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_an_attribute_value_without_attribute_id_ends_the_import_from_2_42(
        sandbox_factory, version: str) -> None:
    # DefaultPreheatService#collectReferences reads the payload's attribute values and
    # LazyAttributeValues#parseArrayJson collects them into a TreeMap by attribute id: a null
    # first key is TreeMap#compare's helpful NullPointerException, a null key after another
    # one `Objects.requireNonNull`'s, without message; the create stage's exception is
    # rethrown and answered 500 by CrudControllerAdvice#defaultExceptionHandler
    url = sandbox_factory(version=version).url
    number = {**ATTRIBUTE, "id": "attrInt0001", "code": "AV_INT", "name": "Số",
              "valueType": "INTEGER", "dataElementAttribute": True}
    assert post_metadata(url, {"attributes": [number]}).status_code == 200
    by_code = {"attribute": {"code": "AV_INT"}, "value": "1"}
    by_id = {"attribute": {"id": "attrInt0001"}, "value": "2"}
    first = post_metadata(url, {"dataElements": [{**DE, "attributeValues": [by_code, by_id]}]})
    assert first.status_code == 500
    assert first.json()["message"] == (
        'Cannot invoke "java.lang.Comparable.compareTo(Object)" because "k1" is null')
    later = post_metadata(url, {"dataElements": [{**DE, "attributeValues": [by_id, by_code]}]},
                          importMode="VALIDATE")
    assert later.status_code == 500
    assert later.json()["status"] == "ERROR" and "message" not in later.json()
    # nothing was imported
    listed = requests.get(f"{url}/api/dataElements/{DE['id']}", auth=ADMIN, timeout=30)
    assert listed.status_code == 404
    # 2.43.1's CategoryCombo#getAttributeValues answers AttributeValues.empty(): never parsed
    combo = {"id": "ccNoAttrVal", "name": "Nhóm tổ hợp", "dataDimensionType": "DISAGGREGATION",
             "attributeValues": [by_code]}
    answer = post_metadata(url, {"categoryCombos": [combo]})
    assert answer.status_code == (200 if version == "2.43" else 500), answer.text


def test_attribute_values_of_2_41_are_a_hash_set(sandbox_factory) -> None:
    # 2.41.9 BaseIdentifiableObject#attributeValues is a HashSet: the same attribute and value
    # twice is one AttributeValue (#equals), and MetadataAttributeCheck walks the set in the
    # bucket order of AttributeValue#hashCode (attrCount00 "x" → 5, attrCount01 "-" → 6,
    # attrCount01 "7.5" → 7), not in payload order
    url = sandbox_factory(version="2.41").url
    count = {**ATTRIBUTE, "id": "attrCount01", "code": "AV_COUNT", "name": "Số",
             "valueType": "INTEGER"}
    first = {**count, "id": "attrCount00", "code": "AV_COUNT0", "name": "Số 0"}
    assert post_metadata(url, {"attributes": [count, first]}).status_code == 200
    values = [{"attribute": {"id": "attrCount01"}, "value": "7.5"},
              {"attribute": {"id": "attrCount00"}, "value": "x"},
              {"attribute": {"id": "attrCount01"}, "value": "7.5"},
              {"attribute": {"id": "attrCount01"}, "value": "-"}]
    body = post_metadata(url, {"dataElements": [{**DE, "attributeValues": values}]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E6006", ["x"]), ("E6006", ["-"]), ("E6006", ["7.5"])]


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_a_repeated_attribute_keeps_its_first_value_from_2_42(sandbox_factory, version) -> None:
    # 2.42.5/2.43.1 LazyAttributeValues#parseArrayJson collects the values into a TreeMap by
    # attribute id with `(a, b) -> a`: the first value of a repeated attribute is the one
    # MetadataAttributeCheck sees
    url = sandbox_factory(version=version).url
    count = {**ATTRIBUTE, "id": "attrCount01", "code": "AV_COUNT", "name": "Số",
             "valueType": "INTEGER"}
    assert post_metadata(url, {"attributes": [count]}).status_code == 200
    values = [{"attribute": {"id": "attrCount01"}, "value": "x"},
              {"attribute": {"id": "attrCount01"}, "value": "7"}]
    body = post_metadata(url, {"dataElements": [{**DE, "attributeValues": values}]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [("E6006", ["x"])]


def test_file_resource_attribute_value_names_a_stored_file_resource(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # DefaultAttributeValidator (2.42.5/2.43.1 #validateFileResourceExists; 2.41.9
    # EntityCheck#isFileResourceExist): a value naming no file resource is E6019, args the value
    # and `FileResource`, and the object is removed.
    _version, running = release_sandbox
    running.reset()
    file_attr = {**ATTRIBUTE, "id": "attrFile001", "code": "AV_FILE", "name": "Tệp",
                 "valueType": "FILE_RESOURCE"}
    assert post_metadata(running.url, {"attributes": [file_attr]}).status_code == 200
    values = [{"attribute": {"id": "attrFile001"}, "value": "NoSuchFile1"}]
    body = post_metadata(running.url, {"dataElements": [{**DE, "attributeValues": values}]}).json()
    assert body["httpStatusCode"] == 409 and body["response"]["stats"]["ignored"] == 1
    [error] = object_errors(body)
    assert (error["errorCode"], error["args"]) == ("E6019", ["NoSuchFile1", "FileResource"])
    assert error["message"] == "AttributeValue `NoSuchFile1` is an invalid `FileResource` ID"
    running.reset()


def test_datetime_phone_and_email_attribute_values(fresh_sandbox: RunningSandbox) -> None:
    # DefaultAttributeValidator (2.42.5 = 2.43.1; 2.41.9 DateCheck#isDateTime,
    # NumberCheck#isPhoneNumber, TextCheck#isEmail): E6015 a value none of DateUtils' date-time
    # parsers reads, E6021 outside GENERIC_PHONE_NUMBER, E6018 what commons-validator's
    # EmailValidator refuses (a one-letter top label, a dot before the @).
    url = fresh_sandbox.url
    kinds = {"DATETIME": "attrWhen001", "PHONE_NUMBER": "attrPhone01", "EMAIL": "attrMail001"}
    attributes = [{**ATTRIBUTE, "id": uid, "code": f"AV_{kind}", "name": kind, "valueType": kind}
                  for kind, uid in kinds.items()]
    assert post_metadata(url, {"attributes": attributes}).status_code == 200

    def codes(when: str, phone: str, mail: str) -> list[tuple[str, list[str]]]:
        values = [{"attribute": {"id": kinds["DATETIME"]}, "value": when},
                  {"attribute": {"id": kinds["PHONE_NUMBER"]}, "value": phone},
                  {"attribute": {"id": kinds["EMAIL"]}, "value": mail}]
        body = post_metadata(url, {"dataElements": [{**DE, "attributeValues": values}]}).json()
        return [(e["errorCode"], e["args"]) for e in object_errors(body)]

    assert codes("2024-01-02", "phone: 12", "nhom.@truong.vn") == [
        ("E6015", ["2024-01-02"]), ("E6018", ["nhom.@truong.vn"]), ("E6021", ["phone: 12"])]
    assert codes("2024-02-30T10:00", "+84 90 123 4567", "nhom@truong.v") == [
        ("E6015", ["2024-02-30T10:00"]), ("E6018", ["nhom@truong.v"])]
    assert codes("2024-01-02T10:20:30.123+07:00", "(028) 3823-4567", "nhóm@trường.vn") == []


def test_email_attribute_values_need_a_listed_top_level_domain(
        fresh_sandbox: RunningSandbox) -> None:
    # ValidationUtils#emailIsValid is EmailValidator#getInstance, `new EmailValidator(false,
    # false)` (commons-validator 1.10.1 at 2.41.9, 2.42.5, 2.43.1): no bare top-level domain,
    # no dotless host; an IDN top-level domain is looked up in its ASCII form (xn--p1ai, рф).
    url = fresh_sandbox.url
    attribute = {**ATTRIBUTE, "id": "attrMail002", "code": "AV_MAIL", "name": "Mail",
                 "valueType": "EMAIL"}
    assert post_metadata(url, {"attributes": [attribute]}).status_code == 200
    cases = {"nhom@vn": False, "nhom@localhost": False, "nhom@truong.xn--p1ai": True,
             "nhom@truong.\u0440\u0444": True}
    for value, ok in cases.items():
        values = [{"attribute": {"id": attribute["id"]}, "value": value}]
        body = post_metadata(url, {"dataElements": [{**DE, "attributeValues": values}]}).json()
        assert [e["errorCode"] for e in object_errors(body)] == ([] if ok else ["E6018"]), value


def test_datetime_attribute_values_read_as_joda_reads_them(fresh_sandbox: RunningSandbox) -> None:
    # DateUtils#dateTimeIsValid is Joda's date-time parsers: a year of up to nine digits within
    # GregorianChronology's bounds, `t` and `z` in either case, an offset of two-digit hours up
    # to 23 with optional seconds and milliseconds, 7-9 fraction digits only before an offset.
    url = fresh_sandbox.url
    attribute = {**ATTRIBUTE, "id": "attrWhen002", "code": "AV_WHEN", "name": "When",
                 "valueType": "DATETIME"}
    assert post_metadata(url, {"attributes": [attribute]}).status_code == 200
    cases = {"12024-01-02T10:00": True, "292278994-01-01T00:00": False, "2024-01-02t10:00z": True,
             "2024-01-02T10:00:00+07:00:30.5": True, "2024-01-02T10:00+7": False,
             "2024-01-02T10:00+24:00": False, "2024-01-02T10:00:00.1234567": False,
             "2024-01-02T10:00:00.1234567Z": True}
    for value, ok in cases.items():
        values = [{"attribute": {"id": attribute["id"]}, "value": value}]
        body = post_metadata(url, {"dataElements": [{**DE, "attributeValues": values}]}).json()
        assert [e["errorCode"] for e in object_errors(body)] == ([] if ok else ["E6015"]), value


def test_e4003_email_property_uses_the_same_validator(fresh_sandbox: RunningSandbox) -> None:
    # DefaultSchemaValidator: ValidationUtils#emailIsValid for EMAIL properties (User.email).
    role = {"id": "urMail00001", "name": "Mail role", "authorities": []}
    user = {"id": "usMail00001", "username": "mail.user", "firstName": "Thư", "surname": "Điện",
            "password": "Synthetic-2025!", "userRoles": [{"id": role["id"]}],
            "email": "thu@dien.t"}
    body = post_metadata(fresh_sandbox.url, {"userRoles": [role], "users": [user]}).json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E4003", ["email", "thu@dien.t"])]


def test_an_email_with_a_line_terminator_is_e4003(fresh_sandbox: RunningSandbox) -> None:
    # EmailValidator's EMAIL_REGEX `^(.+)@(\\S+)$`: Java's `.` matches no line terminator
    # (\r, U+0085, U+2028 too), even where USER_REGEX (a quoted string) would take it.
    role = {"id": "urMail00002", "name": "Mail role two", "authorities": []}
    assert post_metadata(fresh_sandbox.url, {"userRoles": [role]}).status_code == 200
    for i, email in enumerate(("thu\u2028dien@example.com", "thu\x85dien@example.com",
                               '"thu\rdien"@example.com', "thu.dien@example.com")):
        user = {"id": f"usMail0001{i}", "username": f"mail.user.{i}", "firstName": "Thư",
                "surname": "Điện", "password": "Synthetic-2025!",
                "userRoles": [{"id": role["id"]}], "email": email}
        body = post_metadata(fresh_sandbox.url, {"users": [user]}).json()
        expected = [] if i == 3 else [("E4003", ["email", email])]
        assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == expected, repr(email)


def test_mandatory_attributes_each_missing_one_a_report(fresh_sandbox: RunningSandbox) -> None:
    # MandatoryAttributesCheck: one E4011 object report per missing mandatory attribute (each
    # counted ignored), in the HashSet order of their uids (DefaultPreheatService
    # #handleAttributes); defaults and non-empty values pass.
    url = fresh_sandbox.url
    mandatory = [{**ATTRIBUTE, "id": uid, "code": f"AV_M{i}", "name": f"Bắt buộc {i}",
                  "mandatory": True} for i, uid in enumerate(["attrMand001", "attrMand002",
                                                              "attrMand003"])]
    assert post_metadata(url, {"attributes": mandatory}).status_code == 200
    one = [{"attribute": {"id": "attrMand002"}, "value": "có"},
           {"attribute": {"id": "attrMand003"}, "value": ""}]
    body = post_metadata(url, {"dataElements": [{**DE, "attributeValues": one}]},
                         atomicMode="NONE").json()
    errors = object_errors(body)
    # String#hashCode buckets of a 16-slot table put attrMand003 before attrMand001
    assert [(e["errorCode"], e["args"], e["mainId"], e["errorProperty"]) for e in errors] == [
        ("E4011", ["attrMand003"], "attrMand003", "value"),
        ("E4011", ["attrMand001"], "attrMand001", "value")]
    assert errors[0]["mainKlass"] == "org.hisp.dhis.attribute.Attribute"
    assert body["response"]["stats"]["ignored"] == 2
    full = [{"attribute": {"id": a["id"]}, "value": "x"} for a in mandatory]
    assert post_metadata(url, {"dataElements": [{**DE, "attributeValues": full}]}
                         ).status_code == 200


def test_unique_attribute_values_against_store_and_payload(
        fresh_sandbox: RunningSandbox) -> None:
    # UniqueAttributesCheck: a value a stored object holds, or an earlier object of the payload,
    # is E4009 with the attribute's display name; the object holding it may keep it.
    url = fresh_sandbox.url
    code = {**ATTRIBUTE, "id": "attrUniq001", "code": "AV_UNIQ", "name": "Mã riêng",
            "unique": True}
    first = {**DE, "attributeValues": [{"attribute": {"id": code["id"]}, "value": "A-1"}]}
    assert post_metadata(url, {"attributes": [code], "dataElements": [first]}).status_code == 200
    assert post_metadata(url, {"dataElements": [first]}).status_code == 200
    second = {**first, "id": "deUid000002", "name": "Tuổi 2", "shortName": "Tuổi 2"}
    third = {**first, "id": "deUid000003", "name": "Tuổi 3", "shortName": "Tuổi 3",
             "attributeValues": [{"attribute": {"id": code["id"]}, "value": "B-2"}]}
    fourth = {**third, "id": "deUid000004", "name": "Tuổi 4", "shortName": "Tuổi 4"}
    body = post_metadata(url, {"dataElements": [second, third, fourth]}).json()
    assert [(r["uid"], [(e["errorCode"], e["args"]) for e in r["errorReports"]])
            for t in body["response"]["typeReports"] for r in t["objectReports"]] == [
        ("deUid000002", [("E4009", ["Mã riêng", "A-1"])]),
        ("deUid000004", [("E4009", ["Mã riêng", "B-2"])])]


def test_e5005_program_rule_variables_unique_by_name_and_program(
        fresh_sandbox: RunningSandbox) -> None:
    # UniqueMultiPropertiesCheck with ProgramRuleVariableSchemaDescriptor's (name, program uid):
    # each new variable of a shared pair is E5005, args the shared values and all the uids.
    program = {"id": "prgMulti001", "name": "Multi", "shortName": "Multi",
               "programType": "WITHOUT_REGISTRATION"}
    variables = [{"id": uid, "name": "tuổi", "program": {"id": program["id"]},
                  "programRuleVariableSourceType": "CALCULATED_VALUE", "valueType": "NUMBER"}
                 for uid in ("prvMulti001", "prvMulti002")]
    other = {**variables[0], "id": "prvMulti003", "name": "giới"}
    body = post_metadata(fresh_sandbox.url, {"programs": [program],
                                             "programRuleVariables": [*variables, other]},
                         atomicMode="NONE").json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E5005", ["tuổi, prgMulti001", "prvMulti001, prvMulti002"])] * 2
    (prv,) = [t for t in body["response"]["typeReports"] if t["klass"].endswith("Variable")]
    assert prv["stats"]["created"] == 1 and prv["stats"]["ignored"] == 2


def test_e5005_groups_variables_whose_program_reference_has_no_uid(
        fresh_sandbox: RunningSandbox) -> None:
    # ProgramRuleVariableSchemaDescriptor#programUidExtractor reads `getProgram().getUid()` of
    # the object as Jackson read it (references are connected only at commit): a reference by
    # code alone has no uid, so such variables share the key (name, null) and String.join
    # writes "null"
    program = {"id": "prgMulti002", "code": "MULTI_2", "name": "Multi 2", "shortName": "Multi 2",
               "programType": "WITHOUT_REGISTRATION"}
    variables = [{"id": uid, "name": "cân", "program": {"code": "MULTI_2"},
                  "programRuleVariableSourceType": "CALCULATED_VALUE", "valueType": "NUMBER"}
                 for uid in ("prvMulti004", "prvMulti005")]
    body = post_metadata(fresh_sandbox.url, {"programs": [program],
                                             "programRuleVariables": variables},
                         atomicMode="NONE").json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)
            if e["errorCode"] == "E5005"] == [
        ("E5005", ["cân, null", "prvMulti004, prvMulti005"])] * 2


def test_dashboard_check_items_of_a_stored_dashboard_and_layout(
        fresh_sandbox: RunningSandbox) -> None:
    # DashboardCheck: a STORED dashboard's item pointing at an object the preheat lacks is
    # E4061 on DashboardItem, yet the dashboard is still updated (and counted ignored once);
    # a layout of more than 60 columns is E4070 and a removal; both reports sit at index 0.
    url = fresh_sandbox.url
    board = {"id": "dshCheck001", "name": "Nhóm", "dashboardItems": []}
    assert post_metadata(url, {"dashboards": [board]}).status_code == 200
    item = {"id": "dsiCheck001", "visualization": {"id": "visMissing1"}}
    body = post_metadata(url, {"dashboards": [{**board, "dashboardItems": [item]}]},
                         atomicMode="NONE").json()
    (e4061,) = [e for e in object_errors(body) if e["errorCode"] == "E4061"]
    assert e4061["args"] == ["dsiCheck001", "VISUALIZATION", "visMissing1"]
    assert e4061["mainKlass"] == "org.hisp.dhis.dashboard.DashboardItem"
    (report,) = body["response"]["typeReports"]
    assert report["stats"]["updated"] == 1 and report["stats"]["ignored"] == 1
    assert [r["index"] for r in report["objectReports"]] == [0]
    wide = {"id": "dshCheck002", "name": "Rộng", "dashboardItems": [],
            "layout": {"columns": [{"index": i, "spans": 1} for i in range(61)]}}
    body = post_metadata(url, {"dashboards": [board, wide]}, atomicMode="NONE").json()
    (report,) = body["response"]["typeReports"]
    assert [(r["index"], r["uid"], [e["errorCode"] for e in r["errorReports"]])
            for r in report["objectReports"]] == [(0, "dshCheck002", ["E4070"])]
    assert report["stats"]["created"] == 0 and report["stats"]["ignored"] == 1


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_dashboard_check_reads_the_items_embedded_object_and_type(sandbox_factory,
                                                                   version: str) -> None:
    # DashboardCheck#checkDashboardItemHasObject asks DashboardItem#getEmbeddedItem (the first
    # of visualization, eventChart, eventReport, eventVisualization, map) and #getLinkItems
    # (users, else reports, else resources); the type arg is #getType (text before users)
    url = sandbox_factory(version=version).url
    board = {"id": "dshCheck005", "name": "Nhóm", "dashboardItems": []}
    assert post_metadata(url, {"dashboards": [board]}).status_code == 200
    items = [{"id": "dsiCheck051", "visualization": {"id": "visMissing5"},
              "map": {"id": "mapMissing5"}},
             {"id": "dsiCheck052", "text": "Ghi chú", "users": [{"id": "usrMissing5"}]},
             {"id": "dsiCheck053", "users": [{"id": "usrMissing6"}],
              "reports": [{"id": "repMissing5"}]}]
    body = post_metadata(url, {"dashboards": [{**board, "dashboardItems": items}]},
                         atomicMode="NONE").json()
    assert [e["args"] for e in object_errors(body) if e["errorCode"] == "E4061"] == [
        ["dsiCheck051", "VISUALIZATION", "visMissing5"], ["dsiCheck052", "TEXT", "usrMissing5"],
        ["dsiCheck053", "USERS", "usrMissing6"]]


def test_e4070_count_as_dhis2_writes_it(sandbox_factory) -> None:
    # DashboardCheck#processLayoutLimitCheck (E4070: 2.41.9 :181, 2.42.5 :183, 2.43.1 :184) passes
    # `columns.size()`, an Integer: args by toString, the message by MessageFormat (grouped),
    # errorProperties the number (ErrorReport keeps the objects)
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        wide = {"id": "dshWide0001", "name": "Rộng", "dashboardItems": [],
                "layout": {"columns": [{"index": i, "spans": 1} for i in range(1000)]}}
        body = post_metadata(url, {"dashboards": [wide]}, atomicMode="NONE").json()
        (error,) = object_errors(body)
        assert error["message"] == ("Dashboard `dshWide0001` has a layout with more than 60 "
                                    "columns. `1,000` columns found"), version
        assert error["args"] == ["dshWide0001", "1000"]
        assert error["errorProperties"] == ["dshWide0001", 1000]


def test_translations_are_written_in_hash_set_order(sandbox_factory) -> None:
    # BaseIdentifiableObject#translations is a HashSet<Translation> (stored through
    # JsonSetBinaryType, read back into a HashSet): Translation#hashCode is
    # Objects.hash(locale, property, value), so the buckets are en/SHORT_NAME 6, en/NAME 6
    # (after it, added later), fr/NAME 7, pt/NAME 13; the exact repeat is one translation
    given = [{"locale": "fr", "property": "NAME", "value": "Nom"},
             {"locale": "en", "property": "SHORT_NAME", "value": "Age"},
             {"locale": "en", "property": "NAME", "value": "Age"},
             {"locale": "pt", "property": "NAME", "value": "Idade"},
             {"locale": "en", "property": "NAME", "value": "Age"}]
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        element = {**DE, "id": "deTrans0009", "translations": given}
        assert post_metadata(url, {"dataElements": [element]}).status_code == 200
        read = requests.get(f"{url}/api/dataElements/deTrans0009", auth=ADMIN, timeout=10,
                            params={"fields": "translations"}).json()
        assert read["translations"] == [given[1], given[2], given[0], given[3]], version


def test_string_sets_are_written_in_hash_set_order(sandbox_factory) -> None:
    # UserRole#authorities is a Set<String> (a Hibernate element set, a HashSet when Jackson
    # or the session fills it): buckets of String#hashCode in a table of 16,
    # F_METADATA_IMPORT 1, F_PROGRAM_PUBLIC_ADD 9, F_DATAELEMENT_PUBLIC_ADD 10,
    # M_dhis-web-dashboard 11, F_METADATA_EXPORT 14; the repeat is one authority
    given = ["F_METADATA_EXPORT", "F_DATAELEMENT_PUBLIC_ADD", "M_dhis-web-dashboard",
             "F_METADATA_IMPORT", "F_PROGRAM_PUBLIC_ADD", "F_METADATA_EXPORT"]
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        role = {"id": "roleHash001", "name": "Hash role", "authorities": given}
        assert post_metadata(url, {"userRoles": [role]}).status_code == 200
        read = requests.get(f"{url}/api/userRoles/roleHash001", auth=ADMIN, timeout=10,
                            params={"fields": "authorities"}).json()
        assert read["authorities"] == ["F_METADATA_IMPORT", "F_PROGRAM_PUBLIC_ADD",
                                       "F_DATAELEMENT_PUBLIC_ADD", "M_dhis-web-dashboard",
                                       "F_METADATA_EXPORT"], version


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_attribute_object_types_come_from_the_flags(sandbox_factory, version: str) -> None:
    # Attribute#getObjectTypes is @JsonProperty(access = READ_ONLY) (2.41.9, 2.42.5, 2.43.1):
    # a sent objectTypes is not bound; the is<Type>Attribute flags fill the EnumSet and the
    # getter writes its names as a HashSet: ORGANISATION_UNIT 11, USER 12, PROGRAM 14,
    # DATA_ELEMENT 15 (String#hashCode, a table of 16)
    url = sandbox_factory(version=version).url
    sent = {"id": "attrTypes01", "name": "Types", "valueType": "TEXT",
            "objectTypes": ["OPTION_SET"], "dataElementAttribute": True, "userAttribute": True,
            "programAttribute": True, "organisationUnitAttribute": True}
    only_types = {"id": "attrTypes02", "name": "Only types", "valueType": "TEXT",
                  "objectTypes": ["DATA_ELEMENT"]}
    assert post_metadata(url, {"attributes": [sent, only_types]}).status_code == 200
    read = requests.get(f"{url}/api/attributes", auth=ADMIN, timeout=10, params={
        "fields": "id,objectTypes,dataElementAttribute,optionSetAttribute", "order": "id"}).json()
    assert read["attributes"] == [
        {"id": "attrTypes01", "objectTypes": ["ORGANISATION_UNIT", "USER", "PROGRAM",
                                              "DATA_ELEMENT"],
         "dataElementAttribute": True, "optionSetAttribute": False},
        {"id": "attrTypes02", "objectTypes": [], "dataElementAttribute": False,
         "optionSetAttribute": False}]


def test_translations_check_and_its_position_index(fresh_sandbox: RunningSandbox) -> None:
    # TranslationsCheck: E1106 a property and locale twice, E4000 a missing value (on
    # Translation, errorKlass the type); its ObjectReport takes the object's position among
    # the checked objects, stored first, so a new object listed first reports at index 1.
    url = fresh_sandbox.url
    stored = {**DE, "id": "deTrans0001", "name": "Đã có", "shortName": "Đã có"}
    assert post_metadata(url, {"dataElements": [stored]}).status_code == 200
    fresh = {**DE, "id": "deTrans0002", "name": "Mới", "shortName": "Mới", "translations": [
        {"property": "NAME", "locale": "en", "value": "New"},
        {"property": "NAME", "locale": "en", "value": "Fresh"},
        {"property": "NAME", "locale": "en", "value": "New"},  # an exact repeat collapses
        {"property": "SHORT_NAME", "locale": "en"}]}
    body = post_metadata(url, {"dataElements": [fresh, stored]}, atomicMode="NONE").json()
    (report,) = body["response"]["typeReports"]
    assert [(r["index"], r.get("uid"), [(e["errorCode"], e["args"]) for e in r["errorReports"]])
            for r in report["objectReports"]] == [
        (1, None, [("E1106", ["NAME", "en", "DataElement", "deTrans0002"]),
                   ("E4000", ["value"])])]
    errors = object_errors(body)
    assert {e["mainKlass"] for e in errors} == {"org.hisp.dhis.translation.Translation"}
    assert {e["errorKlass"] for e in errors} == {"org.hisp.dhis.dataelement.DataElement"}
    assert report["stats"]["created"] == 0 and report["stats"]["updated"] == 1


def test_skip_validation_is_a_superusers_and_skips_every_check(fresh_sandbox: RunningSandbox) -> None:
    # DefaultObjectBundleValidationService#validate (2.41.9 = 2.42.5 = 2.43.1): a superuser's
    # skipValidation returns before any check; anyone else's is not read at all (the schema
    # check still runs: E4000 for a data element without a name).
    url = fresh_sandbox.url
    twice = {**DE, "id": "deSkipVal01", "name": "Bỏ qua", "shortName": "Bỏ qua", "translations": [
        {"property": "NAME", "locale": "en", "value": "Skip"},
        {"property": "NAME", "locale": "en", "value": "Skipped"}]}
    checked = post_metadata(url, {"dataElements": [twice]}).json()
    assert [e["errorCode"] for e in object_errors(checked)] == ["E1106"]
    skipped = post_metadata(url, {"dataElements": [twice]}, skipValidation="true").json()
    assert skipped["status"] == "OK" and skipped["response"]["stats"]["created"] == 1, skipped
    manager = ("metadata.manager", "district")
    nameless = {k: v for k, v in {**DE, "id": "deSkipVal02"}.items() if k != "name"}
    refused = post_metadata(url, {"dataElements": [nameless]}, auth=manager, skipValidation="true").json()
    assert "E4000" in [e["errorCode"] for e in object_errors(refused)], refused


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_skip_validation_meets_the_not_null_columns_on_commit(sandbox_factory, version: str
                                                              ) -> None:
    # With the checks skipped, a null in a not-null column of the mapping (DataElement.hbm.xml
    # name :17, shortName :19) reaches Hibernate: Nullability#checkNullability throws a
    # PropertyValueException on DefaultObjectBundleService#handleCreates' save and again at its
    # flush, the @Transactional import rolls back (the option set before it too), and
    # CrudControllerAdvice#persistenceExceptionHandler answers 409 ERROR with the message
    # (2.41.9, 2.42.5, 2.43.1).
    url = sandbox_factory(version=version).url
    option_set = {"id": "osSkipVal01", "name": "Bộ chọn", "valueType": "TEXT"}
    nameless = {k: v for k, v in {**DE, "id": "deSkipVal02"}.items() if k != "name"}
    fine = {**DE, "id": "deSkipVal03", "name": "Đủ tên", "shortName": "Đủ tên"}
    response = post_metadata(url, {"optionSets": [option_set],
                                   "dataElements": [fine, nameless, {**nameless, "id": "deSkipVal04",
                                                                     "name": "Tên"}]},
                             skipValidation="true")
    assert (response.status_code, response.json()) == (409, {
        "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
        # the flush's ExceptionConverterImpl wraps the PropertyValueException in a
        # PersistenceException(cause), whose message is the cause's toString()
        "message": "org.hibernate.PropertyValueException: not-null property references a null or "
                   "transient value : org.hisp.dhis.dataelement.DataElement.name"})
    for plural, uid in (("optionSets", "osSkipVal01"), ("dataElements", "deSkipVal03")):
        assert requests.get(f"{url}/api/{plural}/{uid}", auth=ADMIN,
                            timeout=10).status_code == 404
    # the mapping's order decides: name (:17) before shortName (:19)
    neither = {k: v for k, v in nameless.items() if k != "shortName"}
    response = post_metadata(url, {"dataElements": [neither]}, skipValidation="true")
    assert response.json()["message"].endswith("DataElement.name")
    only_short = {**neither, "name": "Chỉ tên"}
    response = post_metadata(url, {"dataElements": [only_short]}, skipValidation="true")
    assert (response.status_code, response.json()["message"]) == (
        409, "org.hibernate.PropertyValueException: not-null property references a null or "
             "transient value : org.hisp.dhis.dataelement.DataElement.shortName")


def test_translation_without_property_prints_null_like_java(
        fresh_sandbox: RunningSandbox) -> None:
    # TranslationsCheck keys a translation by `String.join("_", property, locale)` and reports
    # E1106 with the raw property: ErrorMessage keeps a null arg null in `args` (as does
    # ErrorReport's `errorProperties`) and MessageFormat writes it "null".
    fresh = {**DE, "id": "deTrans0003", "name": "Trống", "shortName": "Trống",
             "translations": [{"locale": "en", "value": "One"},
                              {"locale": "en", "value": "Two"}]}
    body = post_metadata(fresh_sandbox.url, {"dataElements": [fresh]}).json()
    duplicate = next(e for e in object_errors(body) if e["errorCode"] == "E1106")
    assert duplicate["args"] == [None, "en", "DataElement", "deTrans0003"]
    assert duplicate["errorProperties"] == [None, "en", "DataElement", "deTrans0003"]
    assert duplicate["message"] == (
        "There are duplicate translation records for property `null` and locale `en` on "
        "DataElement `deTrans0003`")


def test_geojson_attribute_values_per_release(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # GeoJsonAttributesCheck: a value that does not read is E6004 named by the attribute id on
    # 2.41.9 and by the value itself from 2.42.5; a Feature is E6005, a polygon without
    # coordinates E6004 (the attribute id).
    version, running = release_sandbox
    running.reset()
    root = requests.get(f"{running.url}/api/organisationUnits", params={
        "filter": "code:eq:VN", "fields": "id"}, auth=ADMIN, timeout=30
    ).json()["organisationUnits"][0]["id"]
    shapes = [{"id": uid, "name": f"Vùng {uid}", "code": f"AV_{uid}", "valueType": "GEOJSON",
               "organisationUnitAttribute": True} for uid in ("attrGeo0001", "attrGeo0002",
                                                             "attrGeo0003", "attrGeo0004")]
    assert post_metadata(running.url, {"attributes": shapes}).status_code == 200
    values = {"attrGeo0001": "not json", "attrGeo0002": '{"type": "Feature"}',
              "attrGeo0003": '{"type": "Polygon", "coordinates": []}',
              "attrGeo0004": '{"type": "Point", "coordinates": [106.7, 10.8]}'}
    unit = {"id": "ouGeoJson01", "name": "Điểm", "shortName": "Điểm",
            "openingDate": "2024-01-01", "parent": {"id": root},
            "attributeValues": [{"attribute": {"id": k}, "value": v} for k, v in values.items()]}
    body = post_metadata(running.url, {"organisationUnits": [unit]}).json()
    named = "not json" if version != "2.41" else "attrGeo0001"
    assert [(e["errorCode"], e["args"], e["mainId"]) for e in object_errors(body)] == [
        ("E6004", [named], named), ("E6004", ["attrGeo0003"], "attrGeo0003"),
        ("E6005", ["attrGeo0002"], "attrGeo0002")]


def _geojson_reports(running: RunningSandbox, version: str, values: dict[str, str]
                     ) -> tuple[list[tuple[str, str]], Callable[[str], str], str]:
    """The (errorCode, mainId) pairs of a unit carrying the GEOJSON values, how the release
    names an attribute's report (2.41 by the attribute id, 2.42+ by the value) and its code for
    geojson-jackson's InvalidTypeIdException (E6005 from 2.43)."""
    body = post_metadata(running.url, {"organisationUnits": [_geojson_unit(running, values)]}
                         ).json()
    got = [(e["errorCode"], e["mainId"]) for e in object_errors(body)]
    name: Callable[[str], str] = (lambda uid: uid) if version == "2.41" else values.__getitem__
    return got, name, "E6005" if version == "2.43" else "E6004"


def _geojson_unit(running: RunningSandbox, values: dict[str, str]) -> dict:
    root = requests.get(f"{running.url}/api/organisationUnits", params={
        "filter": "code:eq:VN", "fields": "id"}, auth=ADMIN, timeout=30
    ).json()["organisationUnits"][0]["id"]
    shapes = [{"id": uid, "name": f"Vùng {uid}", "code": f"AV_{uid}", "valueType": "GEOJSON",
               "organisationUnitAttribute": True} for uid in values]
    assert post_metadata(running.url, {"attributes": shapes}).status_code == 200
    return {"id": "ouGeoJson02", "name": "Điểm", "shortName": "Điểm", "openingDate": "2024-01-01",
            "parent": {"id": root},
            "attributeValues": [{"attribute": {"id": k}, "value": v} for k, v in values.items()]}


def test_geojson_values_read_as_geojson_jackson_binds_them(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # geojson-jackson 1.14 LngLatAltDeserializer#extractDouble takes numbers and any string
    # (getValueAsDouble), an integer past a long is getLongValue's InputCoercionException,
    # CollectionDeserializer keeps a null item, ObjectMapper#readValue
    # reads the first value only and refuses NaN; a Feature is read whole (its geometry's type
    # id, a Map of properties) before the visitor's E6005, and `nullx` is a parse error, not
    # the null object.
    version, running = release_sandbox
    running.reset()
    values = {"attrGeoR001": '{"type": "Point", "coordinates": ["106.7", "x"]}',
              "attrGeoR002": '{"type": "LineString", "coordinates": [null]}',
              "attrGeoR003": '{"type": "Point", "coordinates": [1, 2]} and more',
              "attrGeoR004": '{"type": "Point", "coordinates": [NaN, 2]}',
              "attrGeoR005": '{"type": "Feature", "geometry": {"type": "Circle"}}',
              "attrGeoR006": '{"type": "Feature", "properties": 5}',
              "attrGeoR007": '{"type": "Point", "coordinates": [1, 99999999999999999999]}',
              "attrGeoR008": "nullx"}
    got, name, type_id = _geojson_reports(running, version, values)
    expected = [("E6004", name("attrGeoR004")), (type_id, name("attrGeoR005")),
                ("E6004", name("attrGeoR006")), ("E6004", name("attrGeoR007")),
                ("E6004", name("attrGeoR008"))]
    assert got == sorted(expected, key=lambda pair: pair[0])


def test_geojson_positions_geojson_jackson_refuses_are_the_containers_500(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # geojson-jackson 1.14 LngLatAltDeserializer refuses a position with
    # DeserializationContext#mappingException, which Jackson databind 2.21/2.22 lacks: a
    # NoSuchMethodError, which the DispatcherServlet wraps in a ServletException that
    # CrudControllerAdvice#servletExceptionHandler rethrows: Tomcat's exception report.
    version, running = release_sandbox
    running.reset()
    joint = "; nested exception is " if version == "2.41" else ": "
    for value, parameter in (('{"type": "Point", "coordinates": "x"}', "java.lang.Class"),
                             ('{"type": "Point", "coordinates": [106.7]}', "java.lang.String"),
                             ('{"type": "LineString", "coordinates": [[1, 2], [3, null]]}',
                              "java.lang.String"),
                             ('{"type": "LineString", "coordinates": [1, 2]}', "java.lang.Class")):
        unit = _geojson_unit(running, {"attrGeoN001": value})
        answer = requests.post(f"{running.url}/api/metadata", json={"organisationUnits": [unit]},
                               auth=ADMIN, timeout=30)
        assert answer.status_code == 500, (value, answer.text)
        assert answer.headers["Content-Type"] == "text/html;charset=utf-8"
        error = ("java.lang.NoSuchMethodError: &#39;com.fasterxml.jackson.databind."
                 "JsonMappingException com.fasterxml.jackson.databind.DeserializationContext."
                 f"mappingException({parameter})&#39;")
        assert f"<p><b>Type</b> Exception Report</p><p><b>Message</b> Handler dispatch failed" \
               f"{joint}{error}</p>" in answer.text, value
        assert requests.get(f"{running.url}/api/organisationUnits/ouGeoJson02", auth=ADMIN,
                            timeout=30).status_code == 404


def test_geojson_type_id_failures_per_release(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.43.1 GeoJsonAttributesCheck catches geojson-jackson's InvalidTypeIdException apart:
    # E6005 named by the value; 2.41.9/2.42.5 have E6004 for every value that does not read
    # (named by the attribute id on 2.41). Other unreadable values stay E6004 everywhere.
    version, running = release_sandbox
    running.reset()
    values = {"attrGeoT001": '{"coordinates": [1, 2]}', "attrGeoT002": '{"type": "Circle"}',
              "attrGeoT003": '"Point"', "attrGeoT004": "[]",
              "attrGeoT005": '{"type": "LineString", "coordinates": "x"}'}
    got, name, type_id = _geojson_reports(running, version, values)
    expected = [(type_id, name("attrGeoT001")), (type_id, name("attrGeoT002")),
                (type_id, name("attrGeoT003")), ("E6004", name("attrGeoT004")),
                ("E6004", name("attrGeoT005"))]
    # an object report keeps its errors by code (ErrorCode order), then in their order
    assert got == sorted(expected, key=lambda pair: pair[0])


def test_geojson_wrapper_arrays_per_release(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # an array is Jackson's wrapper-array type id (AsArrayTypeDeserializer#_deserialize through
    # AsPropertyTypeDeserializer#_deserializeTypedUsingDefaultImpl): `[typeId, object]`, the
    # object read as the named type; JSON null is the type id "null"
    version, running = release_sandbox
    running.reset()
    values = {"attrGeoW001": '["Point", {"coordinates": [1, 2]}]',
              "attrGeoW002": '["Point", {"type": "LineString", "coordinates": [1, 2]}]',
              "attrGeoW003": '["Feature", {}]',
              "attrGeoW004": '["Point", {}]',
              "attrGeoW005": "[null]",
              "attrGeoW006": '["Circle", {}]',
              "attrGeoW007": '["Point", {"coordinates": [1, 2]}, 3]',
              "attrGeoW008": '["Point", [1, 2]]',
              "attrGeoW009": '[["Point"]]'}
    got, name, type_id = _geojson_reports(running, version, values)
    expected = [("E6005", "attrGeoW003"), ("E6004", "attrGeoW004"),
                (type_id, name("attrGeoW005")), (type_id, name("attrGeoW006")),
                ("E6004", name("attrGeoW007")), ("E6004", name("attrGeoW008")),
                ("E6004", name("attrGeoW009"))]
    assert got == sorted(expected, key=lambda pair: pair[0])


def test_geojson_first_type_member_with_text_is_the_type_id(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # AsPropertyTypeDeserializer#deserializeTypedFromObject takes the first `type` with text;
    # the bean ignores the later ones, so a LineString's coordinates under a first "Point"
    # are a position LngLatAltDeserializer refuses (the container's 500)
    version, running = release_sandbox
    running.reset()
    values = {"attrGeoD001": '{"type": "Point", "type": "LineString", "coordinates": [1, 2]}',
              "attrGeoD002": '{"type": null, "type": "Point", "coordinates": [1, 2]}',
              "attrGeoD003": '{"type": {}, "type": "Point", "coordinates": [1, 2]}'}
    got, _, _ = _geojson_reports(running, version, values)
    assert got == []
    unit = _geojson_unit(running, {"attrGeoD004": '{"type": "Point", "type": "LineString", '
                                                  '"coordinates": [[1, 2]]}'})
    answer = requests.post(f"{running.url}/api/metadata", json={"organisationUnits": [unit]},
                           auth=ADMIN, timeout=30)
    assert answer.status_code == 500
    assert "mappingException(java.lang.String)" in answer.text


@pytest.mark.parametrize("value", ["null", '["Point"]'])
def test_geojson_null_object_is_the_visitor_npe_per_release(
        release_sandbox: tuple[str, RunningSandbox], value: str) -> None:
    # readValue gives no object for `null` and for a wrapper array without value
    # (`getNullValue`): #validateGeoJsonObject's `accept` is a NullPointerException
    version, running = release_sandbox
    running.reset()
    response = post_metadata(running.url, {"organisationUnits": [
        _geojson_unit(running, {"attrGeoN001": value})]})
    assert response.status_code == 500
    assert response.json()["message"] == (
        NO_CHAIN_MESSAGE["2.41"] if version == "2.41" else
        'Cannot invoke "org.geojson.GeoJsonObject.accept(org.geojson.GeoJsonObjectVisitor)" '
        'because "geoJsonObject" is null')


NO_CHAIN_MESSAGE = {  # the NullPointerException CrudControllerAdvice answers 500 with
    "2.41": 'Cannot invoke "java.lang.Iterable.forEach(java.util.function.Consumer)" because '
            '"typeReports" is null',
    "2.42": 'Cannot invoke "java.util.List.iterator()" because "validationChecks" is null',
    "2.43": 'Cannot invoke "java.util.List.iterator()" because "validationChecks" is null',
}


def test_strategies_without_a_validation_chain_fail_per_release(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # ImportStrategy has SYNC and the legacy names, which getParamsFromMap accepts, but
    # ServiceConfig#validatorsByImportStrategy holds chains for CREATE_AND_UPDATE, CREATE,
    # UPDATE and DELETE only: ValidationRunner iterates a null list. 2.41.9's
    # NoopJobProgress swallows that and ImportReport#addTypeReports then reads the null
    # report; 2.42.5/2.43.1's transitory RecordingJobProgress rethrows it.
    version, running = release_sandbox
    running.reset()
    url = running.url
    for strategy in ("SYNC", "NEW_AND_UPDATES", "NEW", "UPDATES", "DELETES"):
        response = post_metadata(url, {"dataElements": [DE]}, importStrategy=strategy)
        assert response.status_code == 500, (strategy, response.text)
        assert response.json() == {"httpStatus": "Internal Server Error",
                                   "httpStatusCode": 500, "status": "ERROR",
                                   "message": NO_CHAIN_MESSAGE[version]}
    assert requests.get(f"{url}/api/dataElements/{DE['id']}", auth=ADMIN,
                        timeout=30).status_code == 404
    # No objects, no validation: an empty import is OK.
    assert post_metadata(url, {"dataElements": []}, importStrategy="SYNC").status_code == 200
    # A superuser's skipValidation skips the chain; the commit has no branch for SYNC.
    body = post_metadata(url, {"dataElements": [DE]}, importStrategy="SYNC",
                         skipValidation="true").json()
    assert body["status"] == "OK" and body["response"]["stats"]["total"] == 0
    assert requests.get(f"{url}/api/dataElements/{DE['id']}", auth=ADMIN,
                        timeout=30).status_code == 404
    # Not a superuser: DefaultObjectBundleValidationService#validate looks the chain up anyway.
    response = post_metadata(url, {"dataElements": [DE]}, importStrategy="NEW",
                             skipValidation="true", auth=("metadata.manager", "district"))
    assert (response.status_code, response.json()["message"]) == (500, NO_CHAIN_MESSAGE[version])
    # A legacy name commits as its twin (ImportStrategy#isCreate/#isUpdate/#isDelete, read by
    # DefaultObjectBundleService#commit and #commitObjectType).
    for strategy, counted, stored in (("NEW", "created", 200), ("UPDATES", "updated", 200),
                                      ("DELETES", "deleted", 404)):
        body = post_metadata(url, {"dataElements": [DE]}, importStrategy=strategy,
                             skipValidation="true").json()
        assert body["status"] == "OK" and body["response"]["stats"][counted] == 1, strategy
        assert requests.get(f"{url}/api/dataElements/{DE['id']}", auth=ADMIN,
                            timeout=30).status_code == stored


def test_not_owner_references_only_under_errors_not_owner(
        fresh_sandbox: RunningSandbox) -> None:
    # NotOwnerReferencesCheck (after ReferencesCheck): with importReportMode=ERRORS_NOT_OWNER
    # every reference given on a persisted, writable, non-owner property to another class is
    # E5006 (args: the reference, the object, the property's name); a PreheatErrorReport
    # without mainId, errorKlass or errorProperty; not a removal, one ignored per type in
    # atomicMode ALL, like ReferencesCheck. Other modes skip the check.
    url = fresh_sandbox.url
    grouped = {**DE, "dataElementGroups": [{"id": "degNotOwn01"}, {"id": "degNotOwn02"}]}
    body = post_metadata(url, {"dataElements": [grouped]},
                         importReportMode="ERRORS_NOT_OWNER").json()
    assert body["response"]["status"] == "ERROR"
    assert body["response"]["stats"] == {"created": 0, "updated": 0, "deleted": 0,
                                         "ignored": 2, "total": 2}
    errors = object_errors(body)
    # in the HashSet's bucket order (DataElement.groups): degNotOwn02 hashes into bucket 4,
    # degNotOwn01 into 5
    assert [e["args"] for e in errors] == [
        ["[degNotOwn02] (DataElementGroup)", "Tuổi [deUid000001] (DataElement)",
         "dataElementGroups"],
        ["[degNotOwn01] (DataElementGroup)", "Tuổi [deUid000001] (DataElement)",
         "dataElementGroups"]]
    assert errors[0] == {
        "message": "Non-owner reference [degNotOwn02] (DataElementGroup) on object Tuổi "
                   "[deUid000001] (DataElement) for association `dataElementGroups` "
                   "disallowed for payload for ERRORS_NOT_OWNER",
        "mainKlass": "org.hisp.dhis.dataelement.DataElement",
        "errorProperties": errors[0]["args"], "errorCode": "E5006", "args": errors[0]["args"]}
    # The same payload in the default mode: no check.
    assert post_metadata(url, {"dataElements": [grouped]}).json()["status"] == "OK"
    # Stored now: an update is checked too, and atomicMode NONE commits it with a WARNING.
    body = post_metadata(url, {"dataElements": [grouped]}, importReportMode="ERRORS_NOT_OWNER",
                         atomicMode="NONE").json()
    assert body["status"] == "WARNING"
    assert [e["errorCode"] for e in object_errors(body)] == ["E5006", "E5006"]
    assert body["response"]["stats"]["updated"] == 1


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_non_owner_properties_in_persisted_property_map_order(sandbox_factory, version) -> None:
    # NotOwnerReferencesCheck#checkReferences walks Schema#getPersistedProperties, a HashMap by
    # property key (Property#key: the collection name) of OrganisationUnit's 29 persisted
    # properties (64 buckets): organisationUnitGroups → 28, users → 46, dataSets → 57,
    # programs → 59. Its ObjectReport is built without a display name, and no earlier check
    # reported on the object.
    url = sandbox_factory(version=version).url
    unit = {"id": "ouNotOwn001", "name": "Xã", "shortName": "Xã", "openingDate": "2020-01-01",
            "dataSets": [{"id": "dsMissing01"}], "organisationUnitGroups": [{"id": "ougMissing1"}],
            "programs": [{"id": "prMissing01"}], "users": [{"id": "usMissing01"}]}
    body = post_metadata(url, {"organisationUnits": [unit]}, importMode="VALIDATE",
                         importReportMode="ERRORS_NOT_OWNER").json()
    (type_report,) = body["response"]["typeReports"]
    (report,) = type_report["objectReports"]
    assert "displayName" not in report
    assert [e["args"][2] for e in report["errorReports"]] == [
        "organisationUnitGroups", "users", "dataSets", "programs"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_repeated_non_owner_reference_is_one_e5006(sandbox_factory, version: str) -> None:
    # DataElement.groups is a HashSet and BaseIdentifiableObject#equals compares uid, code and
    # name (2.41.9, 2.42.5, 2.43.1), so the same group named twice is one element:
    # NotOwnerReferencesCheck#checkCollection reports it once
    url = sandbox_factory(version=version).url
    twice = {**DE, "dataElementGroups": [{"id": "degNotOwn01"}, {"id": "degNotOwn01"}]}
    body = post_metadata(url, {"dataElements": [twice]},
                         importReportMode="ERRORS_NOT_OWNER").json()
    assert [e["args"] for e in object_errors(body)] == [
        ["[degNotOwn01] (DataElementGroup)", "Tuổi [deUid000001] (DataElement)",
         "dataElementGroups"]]
    # a name makes the second reference unequal to the first: two elements, two reports
    named = {**DE, "dataElementGroups": [{"id": "degNotOwn01"},
                                         {"id": "degNotOwn01", "name": "Nhóm"}]}
    body = post_metadata(url, {"dataElements": [named]},
                         importReportMode="ERRORS_NOT_OWNER").json()
    assert [e["errorCode"] for e in object_errors(body)] == ["E5006", "E5006"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_not_owner_references_of_a_type_without_facts(sandbox_factory, version: str) -> None:
    # NotOwnerReferencesCheck#checkReferences reads the schema of whatever type it checks: an
    # indicator's groups and data sets are inverse sets (Indicator.hbm.xml :47 and :53), both
    # writable (`@JsonProperty("indicatorGroups")`, `@JsonProperty dataSets`), so each is E5006.
    # Indicator's 27 persisted properties (64 buckets): indicatorGroups → 42, dataSets → 57.
    url = sandbox_factory(version=version).url
    kind = {"id": "intNotOwn01", "name": "Phần trăm", "factor": 100}
    indicator = {"id": "indNotOwn01", "name": "Tỷ lệ", "shortName": "Tỷ lệ", "numerator": "1",
                 "denominator": "1", "indicatorType": {"id": "intNotOwn01"},
                 "dataSets": [{"id": "dsMissing01"}], "indicatorGroups": [{"id": "ingMissing1"}]}
    body = post_metadata(url, {"indicatorTypes": [kind], "indicators": [indicator]},
                         importMode="VALIDATE", importReportMode="ERRORS_NOT_OWNER").json()
    assert body["response"]["status"] == "ERROR"
    (report,) = [o for t in body["response"]["typeReports"] for o in t["objectReports"]]
    assert report["klass"] == "org.hisp.dhis.indicator.Indicator"
    assert "displayName" not in report
    assert [(e["errorCode"], e["args"]) for e in report["errorReports"]] == [
        ("E5006", ["[ingMissing1] (IndicatorGroup)", "Tỷ lệ [indNotOwn01] (Indicator)",
                   "indicatorGroups"]),
        ("E5006", ["[dsMissing01] (DataSet)", "Tỷ lệ [indNotOwn01] (Indicator)", "dataSets"])]
    # the default report mode skips the check
    assert post_metadata(url, {"indicatorTypes": [kind], "indicators": [indicator]},
                         importMode="VALIDATE").json()["status"] == "OK"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_not_owner_references_follow_the_releases_owner_flags(sandbox_factory,
                                                                version: str) -> None:
    # The owner flag is the release's schema's: Program.hbm.xml maps `userRoles` inverse at
    # 2.41.9 and 2.42.5 (:120), so a program's user roles are E5006; 2.43.1 maps Program with
    # JPA, `@ManyToMany @JoinTable(name = "program_userroles")` (Program.java :240-245), the
    # owning side (HibernatePropertyIntrospector: owner = !isInverse), so nothing is reported.
    url = sandbox_factory(version=version).url
    program = {"id": "prNotOwn001", "name": "Chương trình", "shortName": "CT",
               "programType": "WITHOUT_REGISTRATION", "userRoles": [{"id": "urMissing01"}]}
    body = post_metadata(url, {"programs": [program]}, importMode="VALIDATE",
                         importReportMode="ERRORS_NOT_OWNER").json()
    errors = [(e["errorCode"], e["args"][2]) for e in object_errors(body)]
    assert errors == ([] if version == "2.43" else [("E5006", "userRoles")])


AUTHORIZATION = {"id": "oauAuthor01", "name": "Phiên", "registeredClientId": "client01",
                 "principalName": "admin", "authorizationGrantType": "authorization_code"}


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_oauth2_runtime_state_is_not_deleted_through_metadata(sandbox_factory,
                                                               version: str) -> None:
    # OAuth2RuntimeStateCheck opens the DELETE chain (2.42.5, 2.43.1): every OAuth2
    # authorization or consent of the payload, stored or not, gets E6023 on its own class
    # and is removed; the later checks still run, so one not stored also gets E5001.
    running = sandbox_factory(version=version)
    running.store.put_object("oAuth2Authorizations", dict(AUTHORIZATION))
    missing = {**AUTHORIZATION, "id": "oauAuthor02"}
    body = post_metadata(running.url, {"oAuth2Authorizations": [AUTHORIZATION, missing]},
                         importStrategy="DELETE", atomicMode="NONE").json()
    (report,) = body["response"]["typeReports"]
    assert report["stats"] == {"created": 0, "updated": 0, "deleted": 0, "ignored": 3,
                               "total": 3}
    assert [(r["uid"], [(e["errorCode"], e["args"]) for e in r["errorReports"]])
            for r in report["objectReports"]] == [
        ("oauAuthor01", [("E6023", ["Dhis2OAuth2Authorization"])]),
        ("oauAuthor02", [("E5001", ["UID", "Phiên [oauAuthor02] (Dhis2OAuth2Authorization)"]),
                         ("E6023", ["Dhis2OAuth2Authorization"])])]
    error = report["objectReports"][0]["errorReports"][0]
    assert error == {"message": "Type `Dhis2OAuth2Authorization` cannot be imported via metadata",
                     "mainKlass": "org.hisp.dhis.security.oauth2.authorization."
                                  "Dhis2OAuth2Authorization",
                     "errorProperties": ["Dhis2OAuth2Authorization"], "errorCode": "E6023",
                     "args": ["Dhis2OAuth2Authorization"]}
    assert running.store.get_object("oAuth2Authorizations", "oauAuthor01") is not None


def test_unknown_or_wrong_case_parameters_fall_back_to_the_default(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # DefaultMetadataImportService#getParamsFromMap (2.41.9 :154-181, 2.42.5 :162-189,
    # 2.43.1 :161-188): #getEnumWithDefault takes the first value and Guava's
    # Enums#getIfPresent (exact constant name) or the default; #getBooleanWithDefault
    # `"true".equalsIgnoreCase`.
    _, running = release_sandbox
    running.reset()
    url = running.url
    body = post_metadata(url, {"dataElements": [DE]}, importMode="validate", atomicMode="none",
                         importStrategy="create", identifier="code", importReportMode="x").json()
    # COMMIT, CREATE_AND_UPDATE, UID, ERRORS: the object is stored by its uid
    assert body["status"] == "OK" and body["response"]["stats"]["created"] == 1
    assert requests.get(f"{url}/api/dataElements/{DE['id']}", auth=ADMIN,
                        timeout=30).status_code == 200
    renamed = {**DE, "name": "Tuổi (năm)"}
    response = requests.post(f"{url}/api/metadata", json={"dataElements": [renamed]}, auth=ADMIN,
                             params=[("importMode", "VALIDATE"), ("importMode", "COMMIT")],
                             timeout=30)
    assert response.json()["response"]["stats"]["updated"] == 1
    assert requests.get(f"{url}/api/dataElements/{DE['id']}", auth=ADMIN,
                        timeout=30).json()["name"] == DE["name"]  # the first value: VALIDATE


def test_sharing_and_attribute_value_references_only_where_persisted(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # ReferencesCheck#checkReferences (2.41.9, 2.42.5 = 2.43.1) checks attribute values only
    # when the schema has a persisted `attributeValues` and the sharing's users and user
    # groups only with a persisted `sharing` (Schema#hasPersistedProperty): a category combo
    # maps no attribute values and an org unit no sharing, so Jackson reads them (both are
    # BaseIdentifiableObject properties) and no E5002 follows.
    _, running = release_sandbox
    running.reset()
    url = running.url
    missing = [{"attribute": {"id": "attrMissZZ1"}, "value": "a"}]
    combo = {"id": "ccUid000001", "name": "Tổ hợp", "dataDimensionType": "DISAGGREGATION",
             "attributeValues": missing}
    body = post_metadata(url, {"categoryCombos": [combo]}, importMode="VALIDATE").json()
    assert body["status"] == "OK", body
    parent = requests.get(f"{url}/api/organisationUnits", params={"filter": "level:eq:1",
                          "fields": "id"}, auth=ADMIN, timeout=30).json()["organisationUnits"][0]
    unit = {"id": "OuShare0001", "name": "Xã thử", "shortName": "Xã thử",
            "openingDate": "2020-01-01", "parent": parent,
            "sharing": {"public": "rw------", "users": {"usMissing01": {"id": "usMissing01",
                                                                        "access": "rw------"}},
                        "userGroups": {"ugMissing01": {"id": "ugMissing01",
                                                       "access": "rw------"}}}}
    body = post_metadata(url, {"organisationUnits": [unit]}, importMode="VALIDATE").json()
    assert body["status"] == "OK", body
    # a data element maps both: the three references are reported, and MetadataAttributeCheck
    # (the same hasPersistedProperty guard) refuses the unknown attribute
    shared = {**DE, "attributeValues": missing, "sharing": unit["sharing"]}
    body = post_metadata(url, {"dataElements": [shared]}, importMode="VALIDATE").json()
    errors = [e for t in body["response"]["typeReports"] for o in t["objectReports"]
              for e in o["errorReports"]]
    assert [e["args"][2] for e in errors if e["errorCode"] == "E5002"] == [
        "attributeValues", "userGroupAccesses", "userAccesses"], errors
    assert "E6012" in {e["errorCode"] for e in errors}


def test_user_references_are_named_as_the_user_objects_jackson_and_sharing_build(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # A user reference is named by PreheatIdentifier#getIdentifiersWithName of the User object
    # the import holds, whose display name is User#getName ("firstName surname"): a sharing's
    # user is UserAccess#getUser, a `new User()` with the uid alone, and an org unit's `users`
    # come through UserPropertyTransformer (uid, code, username), so both are "null null"
    # (ReferencesCheck#checkSharing E5002, NotOwnerReferencesCheck#checkCollection E5006; the
    # same at the three releases).
    _, running = release_sandbox
    running.reset()
    url = running.url
    shared = {**DE, "sharing": {"public": "rw------", "users": {
        "usMissing01": {"id": "usMissing01", "access": "rw------"}}}}
    body = post_metadata(url, {"dataElements": [shared]}, importMode="VALIDATE").json()
    assert [e["args"] for e in object_errors(body) if e["errorCode"] == "E5002"] == [
        ["null null [usMissing01] (User)", "Tuổi [deUid000001] (DataElement)",
         "userAccesses"]]
    parent = requests.get(f"{url}/api/organisationUnits", params={"filter": "level:eq:1",
                          "fields": "id"}, auth=ADMIN, timeout=30).json()["organisationUnits"][0]
    unit = {"id": "OuUsers0001", "name": "Xã thử", "shortName": "Xã thử",
            "openingDate": "2020-01-01", "parent": parent,
            "users": [{"id": "usMissing01", "firstName": "An", "surname": "Trần"}]}
    body = post_metadata(url, {"organisationUnits": [unit]}, importMode="VALIDATE",
                         importReportMode="ERRORS_NOT_OWNER").json()
    assert [e["args"] for e in object_errors(body) if e["errorCode"] == "E5006"] == [
        ["null null [usMissing01] (User)", "Xã thử [OuUsers0001] (OrganisationUnit)",
         "users"]]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_mandatory_and_unique_attributes_walk_the_values_as_the_release_holds_them(
        sandbox_factory, version: str) -> None:
    # MandatoryAttributesCheck#isDefined / UniqueAttributesCheck#checkUniqueAttributes walk the
    # object's attribute values: 2.41.9 its HashSet of AttributeValue (bucket order of
    # AttributeValue#hashCode: here the "" value before "x", and B-2 before A-1), 2.42.5/2.43.1
    # AttributeValues, which keeps the first value of a repeated attribute.
    url = sandbox_factory(version).url
    mandatory = {**ATTRIBUTE, "id": "attrMand001", "code": "AV_M", "name": "Bắt buộc",
                 "mandatory": True}
    unique = {**ATTRIBUTE, "id": "attrUniq001", "code": "AV_UNIQ", "name": "Mã riêng",
              "unique": True}
    assert post_metadata(url, {"attributes": [mandatory, unique]}).status_code == 200

    def mandatory_errors(values: list[str]) -> list[str]:
        given = [{"attribute": {"id": mandatory["id"]}, "value": v} for v in values]
        body = post_metadata(url, {"dataElements": [{**DE, "attributeValues": given}]},
                             importStrategy="CREATE", atomicMode="NONE").json()
        return [e["errorCode"] for e in object_errors(body)]

    assert mandatory_errors(["", "x"]) == ["E4011"]
    assert mandatory_errors(["x", ""]) == (["E4011"] if version == "2.41" else [])

    held = [{**DE, "id": uid, "name": f"Giữ {v}", "shortName": f"Giữ {v}", "attributeValues": [
        {"attribute": {"id": mandatory["id"]}, "value": "x"},
        {"attribute": {"id": unique["id"]}, "value": v}]}
        for uid, v in (("deHeldA0001", "A-1"), ("deHeldB0001", "B-2"))]
    assert post_metadata(url, {"dataElements": held}).status_code == 200
    twice = {**DE, "id": "deTwice0001", "name": "Hai lần", "shortName": "Hai lần",
             "attributeValues": [{"attribute": {"id": mandatory["id"]}, "value": "x"},
                                 {"attribute": {"id": unique["id"]}, "value": "A-1"},
                                 {"attribute": {"id": unique["id"]}, "value": "B-2"}]}
    body = post_metadata(url, {"dataElements": [twice]}, atomicMode="NONE").json()
    found = [(e["errorCode"], e["args"][1]) for e in object_errors(body)]
    assert found == ([("E4009", "B-2"), ("E4009", "A-1")] if version == "2.41"
                     else [("E4009", "A-1")])


def test_e5002_of_equal_attribute_values_of_2_41_is_one(sandbox_factory) -> None:
    # 2.41.9 ReferencesCheck#checkAttributeValues streams the HashSet of AttributeValue: the
    # same attribute reference and value twice is one element, so one E5002; another value of
    # that attribute is a second element.
    url = sandbox_factory("2.41").url
    values = [{"attribute": {"id": "attrMissZZ1"}, "value": "a"},
              {"attribute": {"id": "attrMissZZ1"}, "value": "a"},
              {"attribute": {"id": "attrMissZZ1"}, "value": "b"}]
    body = post_metadata(url, {"dataElements": [{**DE, "attributeValues": values}]}).json()
    assert [e["args"][0] for e in object_errors(body) if e["errorCode"] == "E5002"] == [
        "[attrMissZZ1] (Attribute)"] * 2


def test_unique_attribute_of_2_41_by_code_is_the_references_code(sandbox_factory) -> None:
    # 2.41.9 UniqueAttributesCheck looks the attribute up with Preheat#get(identifier,
    # attributeValue.getAttribute()): by CODE the reference's own code finds it
    url = sandbox_factory("2.41").url
    unique = {**ATTRIBUTE, "id": "attrUniq001", "code": "AV_UNIQ", "name": "Mã riêng",
              "unique": True}
    holder = {**DE, "code": "DE_HOLDER", "attributeValues": [
        {"attribute": {"id": unique["id"]}, "value": "A-1"}]}
    assert post_metadata(url, {"attributes": [unique], "dataElements": [holder]}
                         ).status_code == 200
    other = {**DE, "id": "deUid000002", "code": "DE_OTHER", "name": "Khác", "shortName": "Khác",
             "attributeValues": [{"attribute": {"code": "AV_UNIQ"}, "value": "A-1"}]}
    body = post_metadata(url, {"dataElements": [other]}, identifier="CODE",
                         atomicMode="NONE").json()
    assert ("E4009", ["Mã riêng", "A-1"]) in [(e["errorCode"], e["args"])
                                              for e in object_errors(body)]


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_unique_attribute_found_by_a_code_equal_to_the_id_starts_afresh(sandbox_factory,
                                                                         version: str) -> None:
    # UniqueAttributesCheck (2.42.5 :111-134, 2.43.1 :109-132): by CODE the value's attribute
    # id is read as a code; the held values are tested by that id but written by the found
    # attribute's uid, so an attribute whose code is that id finds no key and its values
    # start afresh: neither the stored holder nor the earlier object of the payload clash.
    url = sandbox_factory(version=version).url
    unique = {**ATTRIBUTE, "id": "attrUniq001", "code": "attrUniqRef", "name": "Mã riêng",
              "unique": True}
    holder = {**DE, "code": "DE_HOLDER", "attributeValues": [
        {"attribute": {"id": unique["id"]}, "value": "A-1"}]}
    assert post_metadata(url, {"attributes": [unique], "dataElements": [holder]}
                         ).status_code == 200
    others = [{**DE, "id": f"deUid00000{n}", "code": f"DE_OTHER{n}", "name": f"Khác {n}",
               "shortName": f"Khác {n}",
               "attributeValues": [{"attribute": {"id": "attrUniqRef"}, "value": "A-1"}]}
              for n in (2, 3)]
    body = post_metadata(url, {"dataElements": others}, identifier="CODE",
                         atomicMode="NONE").json()
    assert "E4009" not in [e["errorCode"] for e in object_errors(body)]


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_unique_attribute_held_by_another_uid_is_a_null_pointer(sandbox_factory,
                                                                  version: str) -> None:
    # UniqueAttributesCheck (2.42.5 :117-130, 2.43.1 :115-128): by CODE the id `attrUniqA01`
    # finds the attribute whose code it is (`attrUniqB01`); the held values are found under
    # the id (the stored values of `attrUniqA01`), but written under the found uid, for which
    # no map is held: a NullPointerException, the import's 500 with the JDK's text
    url = sandbox_factory(version=version).url
    first = {**ATTRIBUTE, "id": "attrUniqA01", "code": "AV_FIRST", "name": "Mã một",
             "unique": True}
    second = {**ATTRIBUTE, "id": "attrUniqB01", "code": "attrUniqA01", "name": "Mã hai",
              "unique": True}
    holder = {**DE, "code": "DE_HOLDER", "attributeValues": [
        {"attribute": {"id": first["id"]}, "value": "A-1"}]}
    assert post_metadata(url, {"attributes": [first, second], "dataElements": [holder]}
                         ).status_code == 200
    other = {**DE, "id": "deUid000002", "code": "DE_OTHER", "name": "Khác", "shortName": "Khác",
             "attributeValues": [{"attribute": {"id": "attrUniqA01"}, "value": "B-2"}]}
    answer = post_metadata(url, {"dataElements": [other]}, identifier="CODE", atomicMode="NONE")
    assert (answer.status_code, answer.json()["message"]) == (
        500, 'Cannot invoke "java.util.Map.put(Object, Object)" because the return value of '
             '"java.util.Map.get(Object)" is null')


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_e5003_of_one_object_come_in_the_schema_map_order(sandbox_factory, version: str) -> None:
    # UniquenessCheck walks Schema#getProperties, the values of a HashMap copy of the
    # introspected properties: an attribute's (63 properties, a table of 128) `name` comes
    # before its `code`, a data set's `shortName` before its `code`.
    url = sandbox_factory(version=version).url
    attribute = {"id": "attUniq0001", "name": "Thuộc tính", "code": "ATT_U", "valueType": "TEXT",
                 "dataElementAttribute": True}
    data_set = {"id": "dsUniq00001", "name": "Bộ", "shortName": "Bộ ngắn", "code": "DS_U",
                "periodType": "Monthly"}
    assert post_metadata(url, {"attributes": [attribute], "dataSets": [data_set]}
                         ).status_code == 200
    body = post_metadata(url, {"attributes": [{**attribute, "id": "attUniq0002"}],
                               "dataSets": [{**data_set, "id": "dsUniq00002", "name": "Khác"}]},
                         atomicMode="NONE").json()
    by_klass = {t["klass"].rsplit(".", 1)[1]: [e["errorProperty"] for o in t["objectReports"]
                                               for e in o["errorReports"]]
                for t in body["response"]["typeReports"]}
    assert by_klass["Attribute"] == ["name", "code"]
    assert by_klass["DataSet"] == ["shortName", "code"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_default_objects_are_dropped_before_the_chain(sandbox_factory, version: str) -> None:
    # DefaultObjectBundleValidationService#cleanDefaults (2.41.9, 2.42.5, 2.43.1): the default
    # category combo by its uid is neither checked, counted nor written; a superuser's
    # skipValidation returns before the cleaning, so then it is updated.
    url = sandbox_factory(version=version).url
    default = {"id": "bjDvmb4bfuf", "name": "Đổi tên", "code": "default",
               "dataDimensionType": "DISAGGREGATION"}
    other = {"id": "ccUid000001", "name": "Khác", "dataDimensionType": "DISAGGREGATION"}
    body = post_metadata(url, {"categoryCombos": [default, other]}).json()
    assert body["status"] == "OK"
    assert body["response"]["stats"] == {"created": 1, "updated": 0, "deleted": 0,
                                         "ignored": 0, "total": 1}
    stored = requests.get(f"{url}/api/categoryCombos/bjDvmb4bfuf?fields=name", auth=ADMIN, timeout=60)
    assert stored.json()["name"] == "default"
    body = post_metadata(url, {"categoryCombos": [default]}, skipValidation="true").json()
    assert body["response"]["stats"]["updated"] == 1
    stored = requests.get(f"{url}/api/categoryCombos/bjDvmb4bfuf?fields=name", auth=ADMIN, timeout=60)
    assert stored.json()["name"] == "Đổi tên"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_translations_check_of_types_without_facts(sandbox_factory, version: str) -> None:
    # TranslationsCheck (2.41.9 = 2.42.5 = 2.43.1) runs for every type: Constant.hbm.xml maps
    # `translations` (E4000 of a translation without value), SqlView.hbm.xml does not (E1107,
    # counted ignored without removing the view)
    url = sandbox_factory(version=version).url
    constant = {"id": "coUid000001", "name": "Hằng", "shortName": "Hằng", "value": 1,
                "translations": [{"property": "NAME", "locale": "fr"}]}
    view = {"id": "sqUid000001", "name": "Xem", "sqlQuery": "select 1", "type": "VIEW",
            "cacheStrategy": "RESPECT_SYSTEM_SETTING",
            "translations": [{"property": "NAME", "locale": "fr", "value": "Vue"}]}
    body = post_metadata(url, {"constants": [constant]}, importMode="VALIDATE").json()
    assert [(e["errorCode"], e["args"], e["mainKlass"]) for e in object_errors(body)] == [
        ("E4000", ["value"], "org.hisp.dhis.translation.Translation")]
    body = post_metadata(url, {"sqlViews": [view]}, importMode="VALIDATE",
                         atomicMode="NONE").json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [("E1107", ["SqlView"])]
    assert body["response"]["stats"] == {"created": 1, "updated": 0, "deleted": 0,
                                         "ignored": 1, "total": 2}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_references_of_types_without_facts_follow_the_mapping(sandbox_factory,
                                                              version: str) -> None:
    # ReferencesCheck#checkReferences (2.41.9, 2.42.5 = 2.43.1) checks the persisted owner
    # references: Indicator.hbm.xml maps `groups` inverse (not checked), Predictor.hbm.xml
    # `output` a many-to-one (checked though no type is named so)
    url = sandbox_factory(version=version).url
    indicator = {"id": "inUid000001", "name": "Chỉ số", "shortName": "Chỉ số",
                 "numerator": "1", "denominator": "1", "indicatorType": {"id": "itMissing01"},
                 "indicatorGroups": [{"id": "igMissing01"}]}
    body = post_metadata(url, {"indicators": [indicator]}, importMode="VALIDATE").json()
    assert [(e["errorCode"], e["errorProperty"]) for e in object_errors(body)] == [
        ("E5002", "indicatorType")]
    predictor = {"id": "pdUid000001", "name": "Dự báo", "shortName": "Dự báo",
                 "generator": {"expression": "1"}, "periodType": "Monthly",
                 "organisationUnitDescendants": "DESCENDANTS",
                 "output": {"id": "deMissing01"}, "sequentialSampleCount": 0,
                 "annualSampleCount": 0}
    body = post_metadata(url, {"predictors": [predictor]}, importMode="VALIDATE").json()
    assert [(e["errorCode"], e["args"]) for e in object_errors(body)] == [
        ("E5002", ["[deMissing01] (DataElement)", "Dự báo [pdUid000001] (Predictor)", "output"])]


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_uid_preheat_by_code_sees_every_type_and_the_payload_users(sandbox_factory,
                                                                   version: str) -> None:
    # DefaultPreheatService#collectReferences (2.42.5 = 2.43.1) collects the owner references
    # of every type's schema (a constant's createdBy) and each payload object itself
    # (#addIdentifiers): a user group sent with its uid makes #preheat load the UID references,
    # so a stored attribute given by id is found in an import by CODE
    url = sandbox_factory(version=version).url
    assert post_metadata(url, {"attributes": [ATTRIBUTE]}).status_code == 200
    value = [{"attribute": {"id": ATTRIBUTE["id"]}, "value": "c"}]
    constant = {"id": "coUid000001", "code": "CO_AV", "name": "Hằng", "shortName": "Hằng",
                "value": 1, "attributeValues": value}

    def e5002(payload: dict[str, object]) -> list[str]:
        body = post_metadata(url, payload, identifier="CODE", importMode="VALIDATE").json()
        return [e["args"][0] for e in object_errors(body) if e["errorCode"] == "E5002"]

    assert e5002({"constants": [constant]}) == [ATTRIBUTE["id"]]
    assert e5002({"constants": [{**constant, "createdBy": {"id": "xE7jOejl9FI"}}]}) == []
    group = {"id": "ugUid000001", "code": "UG_AV", "name": "Nhóm"}
    element = {**DE, "code": "DE_AV", "attributeValues": value}
    assert e5002({"dataElements": [element]}) == [ATTRIBUTE["id"]]
    assert e5002({"userGroups": [group], "dataElements": [element]}) == []
    without_id = {k: v for k, v in group.items() if k != "id"}
    assert e5002({"userGroups": [without_id], "dataElements": [element]}) == [ATTRIBUTE["id"]]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_default_reference_is_the_default_uid(sandbox_factory, version: str) -> None:
    # ReferencesCheck#checkReference skips the E5002 of a default (Preheat#isDefault, 2.41.9,
    # 2.42.5, 2.43.1: a default class and its default's uid); a reference by code or name only
    # has no uid and is looked up like any other, found by CODE, not by UID
    url = sandbox_factory(version=version).url

    def e5002(combo: dict[str, str], identifier: str) -> list[list[str]]:
        element = {**DE, "code": "DE_DEFAULT", "categoryCombo": combo}
        body = post_metadata(url, {"dataElements": [element]}, identifier=identifier,
                             importMode="VALIDATE").json()
        return [e["args"][:1] for e in object_errors(body) if e["errorCode"] == "E5002"]

    assert e5002({"id": "bjDvmb4bfuf"}, "UID") == []
    assert e5002({"code": "default"}, "CODE") == []
    assert e5002({"code": "default"}, "UID") == [["[null] (CategoryCombo)"]]
    assert e5002({"name": "default"}, "UID") == [["default [null] (CategoryCombo)"]]
    # the default combo's uid on another class is no default
    option = {"id": "bjDvmb4bfuf"}
    body = post_metadata(url, {"dataElements": [{**DE, "optionSet": option}]},
                         importMode="VALIDATE").json()
    assert [e["errorProperty"] for e in object_errors(body) if e["errorCode"] == "E5002"] == [
        "optionSet"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_sharing_user_group_of_the_payload_is_found_by_uid_only(sandbox_factory,
                                                                   version: str) -> None:
    # ReferencesCheck#checkSharing looks each user group up by UID (2.41.9, 2.42.5 = 2.43.1);
    # an import by CODE put the payload's groups in the preheat's CODE map
    # (Preheat#put/#effectiveIdentifier: only User and UserRole are always by UID)
    url = sandbox_factory(version=version).url
    group = {"id": "ugUid000001", "code": "UG_SHARE", "name": "Nhóm"}
    sharing = {"public": "rw------", "userGroups": {
        group["id"]: {"id": group["id"], "access": "r-------"}}}
    payload = {"userGroups": [group],
               "dataElements": [{**DE, "code": "DE_SHARE", "sharing": sharing}]}

    def e5002(identifier: str) -> list[list[str]]:
        body = post_metadata(url, payload, identifier=identifier, importMode="VALIDATE").json()
        return [e["args"] for e in object_errors(body) if e["errorCode"] == "E5002"]

    assert e5002("UID") == []
    assert e5002("CODE") == [["[ugUid000001] (UserGroup)", "Tuổi [deUid000001] (DataElement)",
                              "userGroupAccesses"]]
    assert post_metadata(url, {"userGroups": [group]}).status_code == 200
    assert e5002("CODE") == []


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_explicit_null_empties_an_initialised_required_field(sandbox_factory,
                                                                 version: str) -> None:
    # Jackson passes a JSON null to the setter (SqlView#setCacheStrategy, 2.41.9, 2.42.5,
    # 2.43.1), so the field's initialiser no longer saves it from E4000
    # (DefaultSchemaValidator#validateProperty); a missing key leaves the initialiser's value
    url = sandbox_factory(version=version).url
    view = {"id": "sqUid000001", "name": "Xem", "sqlQuery": "select 1", "type": "VIEW"}
    body = post_metadata(url, {"sqlViews": [view]}, importMode="VALIDATE").json()
    assert object_errors(body) == []
    body = post_metadata(url, {"sqlViews": [{**view, "cacheStrategy": None}]},
                         importMode="VALIDATE").json()
    assert [(e["errorCode"], e["args"], e["errorKlass"]) for e in object_errors(body)] == [
        ("E4000", ["cacheStrategy"], "org.hisp.dhis.common.cache.CacheStrategy")]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_uid_format_check_walks_the_new_objects_only(sandbox_factory, version: str) -> None:
    # UidFormatCheck#check (2.41.9 = 2.42.5 = 2.43.1) runs over the non-persisted objects: an
    # object stored with a malformed uid (a superuser's skipValidation) is updated without E4014
    url = sandbox_factory(version=version).url
    odd = {**DE, "id": "abc_invalid"}
    refused = post_metadata(url, {"dataElements": [odd]}, importMode="VALIDATE").json()
    assert [e["errorCode"] for e in object_errors(refused)] == ["E4014"]
    assert post_metadata(url, {"dataElements": [odd]}, skipValidation="true").json()[
        "response"]["status"] == "OK"
    body = post_metadata(url, {"dataElements": [{**odd, "name": "Khác", "shortName": "Khác"}]},
                         importMode="VALIDATE").json()
    assert object_errors(body) == []
    assert body["response"]["stats"]["updated"] == 1
