"""POST /api/tracker outcome semantics: strategies, atomic modes, reports, deletes, timestamps."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from scdi.sandbox.tracker import store as tracker_store
from scdi.upstream.releases import RELEASES
from tests.sandbox.tracker_fixture import (
    ADMIN,
    LEADER,
    Meta,
    codes,
    enrollment,
    error_for,
    event,
    get,
    install,
    person,
    post,
    te,
    uid,
)


@pytest.fixture
def env(fresh_sandbox: RunningSandbox) -> tuple[RunningSandbox, Meta]:
    return fresh_sandbox, install(fresh_sandbox)


def test_nested_payload_is_flattened_and_missing_uids_generated(env):
    running, m = env
    t = te(m)
    t.pop("trackedEntity")
    en = enrollment(m, "ignored")
    en.pop("trackedEntity"), en.pop("enrollment")
    ev = event(m, None)
    ev.pop("event")
    en["events"] = [ev]
    t["enrollments"] = [en]
    r = post(running, {"trackedEntities": [t]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "OK"
    assert body["stats"] == {"created": 3, "updated": 0, "deleted": 0, "ignored": 0, "total": 3}
    te_uid = body["bundleReport"]["typeReportMap"]["TRACKED_ENTITY"]["objectReports"][0]["uid"]
    en_row = tracker_store.enrollments_of(running.store, te_uid)[0]
    assert tracker_store.events_of(running.store, en_row["uid"])[0]["program_stage"] == m.stage_once


def test_second_import_with_create_is_e1002_and_with_create_and_update_counts_updated(env):
    running, m = env
    payload = {"trackedEntities": [person(m)]}
    assert post(running, payload).status_code == 200
    again = post(running, payload, importStrategy="CREATE")
    assert again.status_code == 409
    body = again.json()
    assert body["status"] == "ERROR" and "bundleReport" not in body
    assert codes(body) == ["E1002", "E1080"]  # both exist; each reports its own error
    assert body["stats"] == {"created": 0, "updated": 0, "deleted": 0, "ignored": 2, "total": 2}
    upsert = post(running, payload)
    assert upsert.status_code == 200
    assert upsert.json()["stats"]["updated"] == 2 and upsert.json()["stats"]["created"] == 0


def test_atomic_all_error_ignores_whole_flattened_payload(env):
    running, m = env
    good, bad = person(m), te(m, attributes={m.a_age: "-3"})
    r = post(running, {"trackedEntities": [good, bad]})
    assert r.status_code == 409
    body = r.json()
    assert codes(body) == ["E1007"]
    assert body["stats"]["ignored"] == 3 and body["stats"]["created"] == 0
    assert tracker_store.get(running.store, "trackedEntity", good["trackedEntity"]) is None


def test_atomic_object_commits_valid_objects_and_answers_ok(env):
    running, m = env
    good, bad = person(m), person(m)
    bad["attributes"] = [{"attribute": m.a_age, "value": "abc"}]
    r = post(running, {"trackedEntities": [good, bad]}, atomicMode="OBJECT")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "OK"
    assert sorted(codes(body)) == ["E1007", "E5000"]
    e5000 = error_for(body, "E5000")
    assert e5000["trackerType"] == "ENROLLMENT"
    assert e5000["uid"] == bad["enrollments"][0]["enrollment"]
    assert body["stats"] == {"created": 2, "updated": 0, "deleted": 0, "ignored": 2, "total": 4}
    tes = body["bundleReport"]["typeReportMap"]["TRACKED_ENTITY"]
    assert tes["stats"]["ignored"] == 1 and tes["objectReports"][0]["uid"] == good["trackedEntity"]


def test_validate_mode_persists_nothing(env):
    running, m = env
    t = person(m)
    r = post(running, {"trackedEntities": [t]}, importMode="VALIDATE")
    assert r.status_code == 200
    assert r.json() == {"status": "OK",
                        "validationReport": {"errorReports": [], "warningReports": []},
                        "stats": {"created": 0, "updated": 0, "deleted": 0, "ignored": 0, "total": 0},
                        "bundleReport": {"typeReportMap": {}}}
    assert tracker_store.get(running.store, "trackedEntity", t["trackedEntity"]) is None


def test_validate_mode_with_object_reports_the_errors_and_commits_nothing(env):
    # DefaultTrackerImportService#importTracker: no exit (OBJECT), the commit of a VALIDATE
    # bundle an empty PersistenceReport, ImportReport#withImportCompleted's ignored the distinct
    # uids with errors
    running, m = env
    good, bad = person(m), person(m)
    bad["attributes"] = [{"attribute": m.a_age, "value": "abc"}]
    r = post(running, {"trackedEntities": [good, bad]}, importMode="VALIDATE", atomicMode="OBJECT")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "OK" and sorted(codes(body)) == ["E1007", "E5000"]
    assert body["stats"] == {"created": 0, "updated": 0, "deleted": 0, "ignored": 2, "total": 2}
    assert body["bundleReport"] == {"typeReportMap": {}}
    assert tracker_store.get(running.store, "trackedEntity", good["trackedEntity"]) is None


def test_report_mode_controls_warnings(env):
    running, m = env
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], assignedUser={"username": "admin"})
    payload = {"trackedEntities": [t], "events": [ev]}
    errors_only = post(running, payload, importMode="VALIDATE").json()
    assert errors_only["validationReport"]["warningReports"] == []
    full = post(running, payload, importMode="VALIDATE", reportMode="FULL").json()
    warning = full["validationReport"]["warningReports"][0]
    assert warning["warningCode"] == "E1120"
    assert set(warning) == {"message", "warningCode", "trackerType", "uid"}
    # ConvertEnum reads the mode in any case
    lower = post(running, payload, importMode="VALIDATE", reportMode="warnings").json()
    assert [w["warningCode"] for w in lower["validationReport"]["warningReports"]] == ["E1120"]


@pytest.mark.parametrize("name,value", [("importStrategy", "UPSERT"), ("atomicMode", "NONE"),
                                        ("reportMode", "DEBUG"), ("importMode", "DRY")])
def test_invalid_enum_parameter_is_400(env, name, value):
    running, _ = env
    r = post(running, {"trackedEntities": []}, **{name: value})
    assert r.status_code == 400
    assert r.json()["message"].startswith(f"Value '{value}' is not valid for parameter {name}.")


def test_enum_parameters_are_case_insensitive(env):
    running, m = env
    r = post(running, {"trackedEntities": [person(m)]}, importStrategy="create", atomicMode="object")
    assert r.status_code == 200 and r.json()["stats"]["created"] == 2


def test_unparseable_date_is_400_not_a_validation_error(env):
    running, m = env
    t = person(m)
    t["enrollments"][0]["enrolledAt"] = "10/01/2025"
    r = post(running, {"trackedEntities": [t]})
    assert r.status_code == 400
    assert r.json()["message"].startswith("JSON parse error: Invalid date format '10/01/2025'")


def test_null_value_deletes_attribute_and_data_value(env):
    running, m = env
    t = person(m)
    t["attributes"].append({"attribute": m.a_phone, "value": "0912345678"})
    en_uid = t["enrollments"][0]["enrollment"]
    ev = event(m, en_uid, values={m.de_number: "4", m.de_bool: "true"})
    assert post(running, {"trackedEntities": [t], "events": [ev]}).status_code == 200
    t["attributes"] = [{"attribute": m.a_phone, "value": None}]
    t.pop("enrollments")
    ev["dataValues"] = [{"dataElement": m.de_bool, "value": None}]
    r = post(running, {"trackedEntities": [t], "events": [ev]})
    assert r.status_code == 200, r.text
    attrs = {a["attribute"] for a in tracker_store.attribute_values(running.store, t["trackedEntity"])}
    assert m.a_phone not in attrs and m.a_name in attrs
    values = {v["data_element"] for v in tracker_store.data_values(running.store, ev["event"])}
    assert values == {m.de_number}


def test_json_scalars_are_stored_as_jacksons_text(env):
    # `view/DataValue.value` and `view/Attribute.value` are Strings: Jackson binds a JSON
    # boolean or number to its text (`true`, `4`), not to another spelling of it.
    running, m = env
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], values={})
    ev["dataValues"] = [{"dataElement": m.de_bool, "value": True}, {"dataElement": m.de_number, "value": 4}]
    assert post(running, {"trackedEntities": [t], "events": [ev]}).status_code == 200
    values = {v["data_element"]: v["value"] for v in tracker_store.data_values(running.store, ev["event"])}
    assert values == {m.de_bool: "true", m.de_number: "4"}


def test_json_numbers_keep_the_text_they_were_written_with(env):
    # Jackson fills a String from a number token's `getText()`, the characters as written
    # (`ReaderBasedJsonParser`), so "1.50" and "1e5" are not respelled as 1.5 and 100000.0.
    running, m = env
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], values={})
    ev["dataValues"] = [{"dataElement": m.de_number, "value": "@NUMBER@"}]
    ev["notes"] = [{"value": "@NOTE@"}]
    body = json.dumps({"trackedEntities": [t], "events": [ev]})
    body = body.replace('"@NUMBER@"', "1.50").replace('"@NOTE@"', "1e5")
    r = requests.post(f"{running.url}/api/tracker", data=body, params={"async": "false"},
                      headers={"Content-Type": "application/json"}, auth=ADMIN, timeout=30)
    assert r.status_code == 200, r.text
    values = {v["data_element"]: v["value"] for v in tracker_store.data_values(running.store, ev["event"])}
    assert values == {m.de_number: "1.50"}
    shown = get(running, f"/api/tracker/events/{ev['event']}", fields="notes[value]").json()
    assert [n["value"] for n in shown["notes"]] == ["1e5"]


def test_delete_cascades_softly_and_counts_only_listed_objects(env):
    running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    ev = event(m, en_uid)
    assert post(running, {"trackedEntities": [t], "events": [ev]}).status_code == 200
    r = post(running, {"trackedEntities": [{"trackedEntity": t["trackedEntity"]}]},
             importStrategy="DELETE")
    assert r.status_code == 200, r.text
    assert r.json()["stats"] == {"created": 0, "updated": 0, "deleted": 1, "ignored": 0, "total": 1}
    assert tracker_store.get(running.store, "enrollment", en_uid)["deleted"] == 1
    assert tracker_store.get(running.store, "event", ev["event"])["deleted"] == 1
    reuse = post(running, {"trackedEntities": [te(m, trackedEntity=t["trackedEntity"])]})
    assert reuse.status_code == 409 and codes(reuse.json()) == ["E1114"]
    gone = get(running, f"/api/tracker/trackedEntities/{t['trackedEntity']}")
    assert gone.status_code == 404
    shown = get(running, "/api/tracker/trackedEntities", trackedEntities=t["trackedEntity"],
                trackedEntityType=m.tet, includeDeleted="true")
    assert shown.json()["trackedEntities"][0]["deleted"] is True


def test_deleted_children_uids_cannot_be_reused(env):
    running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    ev = event(m, en_uid)
    post(running, {"trackedEntities": [t], "events": [ev]})
    assert post(running, {"events": [{"event": ev["event"]}]}, importStrategy="DELETE").status_code == 200
    again = post(running, {"events": [event(m, en_uid, event=ev["event"])]})
    assert codes(again.json()) == ["E1082"]
    assert post(running, {"enrollments": [{"enrollment": en_uid}]},
                importStrategy="DELETE").status_code == 200
    en_again = post(running, {"enrollments": [enrollment(m, t["trackedEntity"], enrollment=en_uid)]})
    assert codes(en_again.json()) == ["E1113"]


def test_cascade_delete_needs_authority(env):
    running, m = env
    # The group leader captures in the commune but has no F_TEI_CASCADE_DELETE /
    # F_ENROLLMENT_CASCADE_DELETE (seeded role).
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    post(running, {"trackedEntities": [t], "events": [event(m, en_uid)]})
    r = post(running, {"trackedEntities": [{"trackedEntity": t["trackedEntity"]}]},
             auth=LEADER, importStrategy="DELETE")
    assert r.status_code == 409 and codes(r.json()) == ["E1100"]
    r = post(running, {"enrollments": [{"enrollment": en_uid}]}, auth=LEADER, importStrategy="DELETE")
    assert codes(r.json()) == ["E1103"]


def test_cascade_delete_counts_soft_deleted_events(env):
    # preheat/supplier/EnrollmentsWithAtLeastOneEventSupplier: its query filters deleted
    # enrollments, not deleted events, so an enrollment whose events are all soft-deleted
    # still needs F_ENROLLMENT_CASCADE_DELETE.
    running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    ev = event(m, en_uid)
    assert post(running, {"trackedEntities": [t], "events": [ev]}).status_code == 200
    assert post(running, {"events": [{"event": ev["event"]}]},
                importStrategy="DELETE").status_code == 200
    r = post(running, {"enrollments": [{"enrollment": en_uid}]}, auth=LEADER,
             importStrategy="DELETE")
    assert r.status_code == 409 and codes(r.json()) == ["E1103"]


def test_update_or_delete_of_missing_objects(env):
    running, m = env
    cases = [({"trackedEntities": [te(m)]}, "E1063"),
             ({"enrollments": [enrollment(m, uid())]}, "E1081"),
             ({"events": [event(m, uid())]}, "E1032")]
    for payload, code in cases:
        for strategy in ("UPDATE", "DELETE"):
            r = post(running, payload, importStrategy=strategy)
            assert r.status_code == 409 and codes(r.json())[0] == code, (strategy, r.text)


def test_event_write_bumps_tracked_entity_updated_at_and_keeps_client_dates(env):
    running, m = env
    t = person(m)
    t["createdAtClient"] = "2024-12-31T10:00:00.000"
    post(running, {"trackedEntities": [t]})
    before = tracker_store.get(running.store, "trackedEntity", t["trackedEntity"])
    assert before["created_client"] == "2024-12-31T10:00:00.000"
    time.sleep(0.01)
    ev = event(m, t["enrollments"][0]["enrollment"])
    assert post(running, {"events": [ev]}).status_code == 200
    after = tracker_store.get(running.store, "trackedEntity", t["trackedEntity"])
    assert after["updated"] > before["updated"] and after["created"] == before["created"]


def test_a_new_relationship_bumps_its_origins_updated_at(env):
    # DefaultTrackerBundleService#postCommit via RelationshipPersister#getUpdatedTrackedEntities
    # → Relationship#getTrackedEntityOrigins: `from`, and `to` when the type is bidirectional
    running, m = env
    a, c = person(m), person(m)
    assert post(running, {"trackedEntities": [a, c]}).status_code == 200

    def updated(t: dict[str, Any]) -> str:
        return str(tracker_store.get(running.store, "trackedEntity", t["trackedEntity"])["updated"])

    before = {"a": updated(a), "c": updated(c)}
    time.sleep(0.01)
    rel = {"relationship": uid(), "relationshipType": m.rel_type_bi,
           "from": {"trackedEntity": {"trackedEntity": a["trackedEntity"]}},
           "to": {"trackedEntity": {"trackedEntity": c["trackedEntity"]}}}
    assert post(running, {"relationships": [rel]}).status_code == 200
    assert updated(a) > before["a"] and updated(c) > before["c"]


def test_relationship_is_never_updated(env):
    running, m = env
    a = person(m)
    en_uid = a["enrollments"][0]["enrollment"]
    ev = event(m, en_uid)
    rel = {"relationship": uid(), "relationshipType": m.rel_type,
           "from": {"trackedEntity": {"trackedEntity": a["trackedEntity"]}},
           "to": {"event": {"event": ev["event"]}}}
    assert post(running, {"trackedEntities": [a], "events": [ev], "relationships": [rel]}).status_code == 200
    r = post(running, {"relationships": [rel]}, reportMode="WARNINGS")
    body = r.json()
    assert r.status_code == 200 and body["stats"]["ignored"] == 1 and body["stats"]["updated"] == 0
    assert body["validationReport"]["warningReports"][0]["warningCode"] == "E4015"
    created_again = post(running, {"relationships": [rel]}, importStrategy="CREATE")
    assert codes(created_again.json()) == ["E4015"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_generated_value_is_accepted_without_pattern_check(sandbox_factory, version):
    # dhis2-core never reads skipPatternValidation (TrackerImportParams :71 → ParamsConverter
    # → TrackerBundle#skipTextPatternValidation, a field with no reader at any of the three
    # tags), so a value outside the TextPattern is stored as given, whatever the flag says.
    running = sandbox_factory(version=version)
    m = install(running)
    for skip, value in ((False, "not-the-pattern"), (True, "nor-this-one")):
        t = person(m)
        t["enrollments"][0]["attributes"].append({"attribute": m.a_gen, "value": value})
        r = post(running, {"trackedEntities": [t]}, skipPatternValidation=skip)
        assert r.status_code == 200 and r.json()["status"] == "OK", (version, r.text)
        exported = requests.get(f"{running.url}/api/tracker/trackedEntities/{t['trackedEntity']}",
                                params={"fields": "attributes", "program": m.program},
                                auth=ADMIN, timeout=30).json()
        assert {a["attribute"]: a["value"] for a in exported["attributes"]}[m.a_gen] == value


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_stored_generated_value_leaves_the_reserved_pool(sandbox_factory, version):
    # only 2.42.5 AbstractTrackerPersister#handleReservedValue takes a stored value out of the
    # reserved values; 2.41.9 has no such call and 2.43.1 dropped it (DHIS2-21627)
    running = sandbox_factory(version=version)
    m = install(running)
    leaves = RELEASES[version].tracker_stored_value_leaves_reserved_pool
    assert leaves == (version == "2.42")
    # a RANDOM pattern: SEQUENTIAL values are never reserved (TextPatternMethod.PERSIST)
    attribute = running.store.get_object("trackedEntityAttributes", m.a_gen)
    running.store.put_object("trackedEntityAttributes", {
        **attribute, "pattern": 'ORG_UNIT_CODE(...) + "-" + RANDOM(######)'})
    code = running.store.get_object("organisationUnits", m.commune)["code"]
    reserved = get(running, f"/api/trackedEntityAttributes/{m.a_gen}/generate",
                   ORG_UNIT_CODE=code).json()

    def left() -> int:
        with running.store.lock:
            return int(running.store.conn.execute(
                "SELECT COUNT(*) FROM reserved_values WHERE value=?",
                (reserved["value"],)).fetchone()[0])
    assert left() == 1
    t = person(m)
    t["enrollments"][0]["attributes"].append({"attribute": m.a_gen, "value": reserved["value"]})
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    assert left() == (0 if leaves else 1)


def test_a_payload_that_is_no_object_is_a_json_parse_error(sandbox_factory):
    # TrackerImportController binds `@RequestBody Body` (2.41.9 #asyncPostJsonTracker /
    # #syncPostJsonTracker, 2.42.5/2.43.1 #importJson): a root that is no object is Jackson's
    # MismatchedInputException, 400 "JSON parse error: …" without errorCode
    # (CrudControllerAdvice#handleHttpMessageNotReadableExceptionHandler), Spring 5 at 2.41.9
    # adding the nested exception; a JSON null is a missing body.
    original = ("Cannot deserialize value of type "
                "`org.hisp.dhis.webapi.controller.tracker.imports.Body` from Array value "
                "(token `JsonToken.START_ARRAY`)")
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        answer = requests.post(f"{url}/api/tracker", data=b"[]", auth=ADMIN, timeout=30,
                               params={"async": "false"},
                               headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, (version, answer.text)
        message = answer.json()["message"]
        if version == "2.41":
            assert message.startswith(
                f"JSON parse error: {original}; nested exception is "
                "com.fasterxml.jackson.databind.exc.MismatchedInputException: "), message
        else:
            assert message == f"JSON parse error: {original}", (version, message)
        null = requests.post(f"{url}/api/tracker", data=b"null", auth=ADMIN, timeout=30,
                             headers={"Content-Type": "application/json"})
        assert null.status_code == 400, (version, null.text)
        assert null.json()["message"].startswith("Required request body is missing: public ")


def test_import_params_take_the_data_binders_defaults_and_array_indices(env):
    # ImportRequestParams is a bean: WebDataBinder#doBind reads `!name` (a default when name is
    # absent) and `name[]` for its properties; a given value wins over the default
    running, m = env
    for params in ({"importMode[]": "VALIDATE"}, {"!importMode": "VALIDATE"}):
        t = person(m)
        assert post(running, {"trackedEntities": [t]}, **params).status_code == 200
        assert tracker_store.get(running.store, "trackedEntity", t["trackedEntity"]) is None, params
    t = person(m)
    assert post(running, {"trackedEntities": [t]}, **{"!importMode": "VALIDATE"},
                importMode="COMMIT").status_code == 200
    assert tracker_store.get(running.store, "trackedEntity", t["trackedEntity"]) is not None
    refused = post(running, {"trackedEntities": []}, **{"!importMode": "DRY"})
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("Value 'DRY' is not valid for parameter importMode.")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_import_params_marker_nulls_its_enum(sandbox_factory, version: str) -> None:
    # WebDataBinder#checkFieldMarkers binds `_atomicMode` to #getEmptyValue's null (an enum has
    # no empty value) and TrackerImportParamsMapper hands the null on: DefaultTrackerImportService
    # #exitOnError asks `getAtomicMode() == AtomicMode.ALL` (2.41.9 :134, 2.42.5 :148, 2.43.1
    # :154), so the valid objects are committed as under OBJECT
    running = sandbox_factory(version=version)
    m = install(running)
    good, bad = person(m), person(m)
    bad["attributes"] = [{"attribute": m.a_age, "value": "abc"}]
    r = post(running, {"trackedEntities": [good, bad]}, _atomicMode="")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "OK"
    assert tracker_store.get(running.store, "trackedEntity", good["trackedEntity"]) is not None
    # a given value and a default win over the marker (`mpvs.contains`)
    for given in ({"atomicMode": "ALL"}, {"!atomicMode": "ALL"}):
        good, bad = person(m), person(m)
        bad["attributes"] = [{"attribute": m.a_age, "value": "abc"}]
        r = post(running, {"trackedEntities": [good, bad]}, _atomicMode="", **given)
        assert r.status_code == 409, given
        assert tracker_store.get(running.store, "trackedEntity", good["trackedEntity"]) is None
    # a null importMode is no `TrackerBundleMode.VALIDATE == …` (DefaultTrackerBundleService):
    # a commit; a null validationMode is neither SKIP nor FAIL_FAST, a null reportMode neither
    # WARNINGS nor FULL (#buildImportReport)
    t = person(m)
    r = post(running, {"trackedEntities": [t]}, _importMode="", _validationMode="",
             _reportMode="")
    assert r.status_code == 200, r.text
    assert tracker_store.get(running.store, "trackedEntity", t["trackedEntity"]) is not None
