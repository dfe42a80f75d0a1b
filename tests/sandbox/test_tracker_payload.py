"""Pure parts of the tracker importer: payload flattening, dates, message formatting."""

from __future__ import annotations

import json

import pytest

from scdi.sandbox.core.context import WrittenFloat
from scdi.sandbox.tracker.imports.payload import PayloadError, flatten, read_instant
from scdi.sandbox.tracker.imports.view_scalars import is_uid
from scdi.sandbox.tracker.validation.frame import EnumArg, Meta, Obj, Reporter, catalog, java_message_format
from tests.sandbox.tracker_fixture import ADMIN, LEADER, event, install, person, post, te


@pytest.mark.parametrize("raw,stored", [
    ("2025", "2025-01-01T00:00:00.000"), ("2025-03", "2025-03-01T00:00:00.000"),
    ("2025-03-04", "2025-03-04T00:00:00.000"), ("20250304", "2025-03-04T00:00:00.000"),
    ("2025-03-04T10:11", "2025-03-04T10:11:00.000"),
    ("2025-03-04T10:11:12.345", "2025-03-04T10:11:12.345"),
    ("2025-03-04T10:11:12+07:00", "2025-03-04T03:11:12.000"),
    ("2025-03-04T10:11:12.5Z", "2025-03-04T10:11:12.500"),
    (1741082400000, "2025-03-04T10:00:00.000"), ("1741082400123", "2025-03-04T10:00:00.123"),
    (2025, "2025-01-01T00:00:00.000"), ("20251301", "1970-01-01T05:37:31.301"),
    ("", None), ("   ", None), (None, None),
])
def test_accepted_date_forms(raw, stored):
    assert read_instant(raw) == stored


@pytest.mark.parametrize("raw,text", [
    ("04/03/2025", "04/03/2025"), ("2025-13-01", "2025-13-01"), ("yesterday", "yesterday"),
    (True, "true"), ({"a": 1}, "{"), (1.5, "1.5"), (" 2025", " 2025"),
    (WrittenFloat.of("1.5e12"), "1.5e12"),  # a body's number keeps its text
])
def test_unreadable_dates(raw, text):
    with pytest.raises(PayloadError) as caught:
        read_instant(raw)
    assert str(caught.value) == (
        f"JSON parse error: Invalid date format '{text}', only 'yyyy-MM-dd'T'HH:mm:ss.SSS' "
        "format end epoch milliseconds are supported.")


@pytest.mark.parametrize("raw,stored", [
    # DateUtils#parseDate's Joda parsers (core/java_dates.py): one-digit months and days, an
    # hour alone after T, a zone of hours only, the space form with its required zone
    ("2025-3-4", "2025-03-04T00:00:00.000"), ("2025-03-04T10", "2025-03-04T10:00:00.000"),
    ("2025-03-04T10+02", "2025-03-04T08:00:00.000"),
    ("2025-03-04T10:11:12+07", "2025-03-04T03:11:12.000"),
    ("2025-03-04 10:11:12+0200", "2025-03-04T08:11:12.000"),
    # forms no parser reads whole: the space form without a zone, a comma fraction, a bare
    # space date-time without seconds; not digits only, so no epoch milliseconds either
    ("2025-03-04 10:11:12", None), ("2025-03-04T10:11:12,5", None), ("2025-03-04 10:11", None),
])
def test_payload_dates_read_with_date_utils_parse_date(raw, stored):
    # ParseInstantStdDeserializer (2.41.9, 2.42.5, 2.43.1) reads a payload Instant through
    # DateUtils#instantFromDateAsString = #parseDate and nothing else before the epoch fallback.
    if stored is None:
        with pytest.raises(PayloadError) as caught:
            read_instant(raw)
        assert str(caught.value) == (
            f"JSON parse error: Invalid date format '{raw}', only 'yyyy-MM-dd'T'HH:mm:ss.SSS' "
            "format end epoch milliseconds are supported.")
    else:
        assert read_instant(raw) == stored


def test_nested_payload_flattening_order_and_links():
    body = {
        "trackedEntities": [{
            "trackedEntity": "teAAAAAAAA1",
            "enrollments": [{"enrollment": "enAAAAAAAA1",
                             "events": [{"programStage": "stAAAAAAAA1"}],
                             "relationships": [{"relationshipType": "rtAAAAAAAA1"}]}],
            "relationships": [{"relationshipType": "rtAAAAAAAA2"}],
        }],
        "enrollments": [{"enrollment": "enAAAAAAAA2", "trackedEntity": "teAAAAAAAA9"}],
        "events": [{"event": "evAAAAAAAA2", "enrollment": "enAAAAAAAA2",
                    "notes": [{"value": ""}, {"value": "kept"}]}],
        "relationships": [{"relationshipType": "rtAAAAAAAA3"}],
    }
    flat = flatten(body, typed_uids=True)
    assert [e["enrollment"] for e in flat.enrollments] == ["enAAAAAAAA1", "enAAAAAAAA2"]
    assert flat.enrollments[0]["trackedEntity"] == "teAAAAAAAA1"
    assert flat.events[0]["enrollment"] == "enAAAAAAAA1" and is_uid(flat.events[0]["event"])
    assert [r["relationshipType"] for r in flat.relationships] == [
        "rtAAAAAAAA2", "rtAAAAAAAA1", "rtAAAAAAAA3"]
    assert all(is_uid(r["relationship"]) for r in flat.relationships)
    notes = flat.events[1]["notes"]
    assert [n["value"] for n in notes] == ["kept"] and is_uid(notes[0]["note"])


@pytest.mark.parametrize("typed_uids", [False, True])
def test_string_values_are_read_as_empty_string_to_null_reads_them(typed_uids):
    # JacksonObjectMapperConfig#configureMapper registers EmptyStringToNullStdDeserializer for
    # every String (2.41.9, 2.42.5, 2.43.1): JsonParser#getValueAsString, "" as null, and an
    # object or an array, which has no scalar value, as null too.
    raws = ["", {}, [], {"a": 1}, [1], " ", 0, False, "kept"]
    read = [None, None, None, None, None, " ", "0", "false", "kept"]
    body = {"trackedEntities": [{"attributes": [{"attribute": "atAAAAAAAA1", "value": v}
                                                for v in raws]}],
            "events": [{"dataValues": [{"dataElement": f"deAAAAAAAA{i}", "value": v}
                                       for i, v in enumerate(raws)],
                        "notes": [{"value": v} for v in raws]}]}
    flat = flatten(body, typed_uids=typed_uids)
    assert [a["value"] for a in flat.tracked_entities[0]["attributes"]] == read
    # the data values are a Set (data_value_set.py): compared by data element
    assert {d["dataElement"]: d["value"] for d in flat.events[0]["dataValues"]} == {
        f"deAAAAAAAA{i}": v for i, v in enumerate(read)}
    assert [n["value"] for n in flat.events[0]["notes"]] == [v for v in read if v is not None]


@pytest.mark.parametrize("typed_uids", [False, True])
def test_only_null_or_empty_note_values_are_dropped(typed_uids):
    # BodyConverter#convert keeps a note unless `StringUtils.isEmpty(note.getValue())` (2.41.9,
    # 2.42.5, 2.43.1); `view/Note.value` is a String, which Jackson reads from a number or a
    # boolean as its text, so 0 and false are notes "0" and "false", and a blank text is kept.
    values = [None, "", 0, False, " ", 1.5, True, "kept"]
    body = {"enrollments": [{"enrollment": "enAAAAAAAA1", "trackedEntity": "teAAAAAAAA1",
                             "notes": [{"value": v} for v in values]}],
            "events": [{"event": "evAAAAAAAA1", "notes": [{"value": v} for v in values]}]}
    flat = flatten(body, typed_uids=typed_uids)
    expected = ["0", "false", " ", "1.5", "true", "kept"]
    assert [n["value"] for n in flat.enrollments[0]["notes"]] == expected
    assert [n["value"] for n in flat.events[0]["notes"]] == expected


def test_typed_uids_reject_malformed_ids_and_strings_do_not():
    body = {"trackedEntities": [{"trackedEntity": "short"}]}
    with pytest.raises(PayloadError, match="UID must be an alphanumeric"):
        flatten(body, typed_uids=True)
    assert flatten(body, typed_uids=False).tracked_entities[0]["trackedEntity"] == "short"


@pytest.mark.parametrize("uid", ["abcdefghijk\n", "abcdefghijk\r\n", "\nabcdefghijk"])
def test_a_uid_with_a_line_break_is_no_uid(uid):
    # CodeGenerator#isValidUid is `UID_PATTERN.matcher(code).matches()`: the whole text, so the
    # `$` of UID_REGEXP never lets a final line break through (Python's re.match `$` would)
    assert not is_uid(uid)
    with pytest.raises(PayloadError, match="UID must be an alphanumeric"):
        flatten({"trackedEntities": [{"trackedEntity": uid}]}, typed_uids=True)


def test_an_empty_id_is_generated_on_2_41_and_refused_as_a_uid_after():
    # 2.41.9: a String, "" read as null, then BodyConverter#updateReference generates one;
    # 2.42.5/2.43.1: `UID#of("")` (@JsonCreator) refuses it like any malformed id.
    for body in ({"trackedEntities": [{"trackedEntity": ""}]},
                 {"events": [{"event": "evAAAAAAAA1", "enrollment": ""}]},
                 {"events": [{"event": "evAAAAAAAA1", "notes": [{"note": "", "value": "x"}]}]}):
        with pytest.raises(PayloadError) as caught:
            flatten(body, typed_uids=True)
        assert str(caught.value) == (
            "JSON parse error: Cannot construct instance of `org.hisp.dhis.common.UID`, problem: "
            "UID must be an alphanumeric string of 11 characters starting with a letter, but was: ")
    flat = flatten({"trackedEntities": [{"trackedEntity": ""}],
                    "events": [{"event": "", "enrollment": ""}]}, typed_uids=False)
    assert is_uid(flat.tracked_entities[0]["trackedEntity"]) and is_uid(flat.events[0]["event"])
    assert flat.events[0]["enrollment"] is None


def test_bad_enum_status_is_a_payload_error():
    with pytest.raises(PayloadError, match="EventStatus"):
        flatten({"events": [{"status": "DONE"}]}, typed_uids=True)


def test_java_message_format_quotes():
    assert java_message_format("User `{0}` lacks ''{1}'' here", ["u", "x"]) == "User `u` lacks 'x' here"
    assert java_message_format("lacks 'F_TEI_CASCADE_DELETE' authority", []) == \
        "lacks F_TEI_CASCADE_DELETE authority"
    assert java_message_format("no args {0}", []) == "no args {0}"


def test_reporter_renders_identifiers_bare_and_args_as_java_strings():
    reporter = Reporter("2.42", formats_enums=True)
    reporter.error("TRACKED_ENTITY", "teAAAAAAAA1", "E1006", Meta("atrAAAAAAA1"))
    err = reporter.errors[0].error_json()
    assert err["message"] == "Attribute: `atrAAAAAAA1` does not exist."
    assert err["args"] == ["MetadataIdentifier(idScheme=UID, identifier=atrAAAAAAA1, attributeValue=null)"]
    old = Reporter("2.41", formats_enums=False)
    old.error("EVENT", "evAAAAAAAA1", "E1302", EnumArg("NUMBER"), "bad")
    assert old.errors[0].message == "DataElement `` is not valid: `bad`"
    assert old.errors[0].args == ("NUMBER", "bad")



@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_reporter_renders_stored_metadata_by_the_import_id_schemes(version):
    # MessageFormatter#formatArgument: TrackerIdSchemeParams#toMetadataIdentifier per class
    # (orgUnitIdScheme, programIdScheme, ...), MetadataIdentifier#getIdentifierOrAttributeValue
    schemes = {"orgUnitIdScheme": "CODE", "programIdScheme": "ATTRIBUTE:attrAAAAAA1"}
    reporter = Reporter(version, formats_enums=version != "2.41",
                        scheme=lambda kind: schemes.get(kind, "UID"))
    unit = {"id": "ouAAAAAAAA1", "code": "OU_XA", "name": "Xã"}
    program = {"id": "prAAAAAAAA1", "name": "Chương trình",
               "attributeValues": [{"attribute": {"id": "attrAAAAAA1"}, "value": "CT-1"}]}
    reporter.error("ENROLLMENT", "enAAAAAAAA1", "E1041", Obj("organisationUnits", unit),
                   Obj("programs", program))
    reporter.error("ENROLLMENT", "enAAAAAAAA2", "E1041", Obj("organisationUnits", {"id": "ouB"}),
                   Obj("programs", {"id": "prB"}))
    template = catalog(version)["E1041"]
    assert [e.message for e in reporter.errors] == [
        java_message_format(template, ["OU_XA", "CT-1"]),
        java_message_format(template, ["null", "null"])]
    assert reporter.errors[0].args[0].startswith('{"class":"class org.hisp.dhis.organisationunit')

def test_catalogs_follow_the_release_table():
    assert "E1048" in catalog("2.41") and "E1048" not in catalog("2.42")
    assert not {"E1084", "E1085"} & set(catalog("2.43"))
    assert "E1129" in catalog("2.43")


@pytest.mark.parametrize("raw,read", [
    (None, False), (True, True), (False, False), (0, False), (2, True), ("false", False),
    ("FALSE", False), (" True ", True), ("", False), ("null", False),
])
def test_boolean_flags_are_read_as_jackson_coerces_them(raw, read):
    # `view/TrackedEntity#inactive` is a `boolean`: "false" is false, not a truthy text
    flat = flatten({"trackedEntities": [{"inactive": raw}],
                    "enrollments": [{"followUp": raw}]}, typed_uids=True)
    assert flat.tracked_entities[0]["inactive"] is read
    assert flat.enrollments[0]["followUp"] is read


@pytest.mark.parametrize("raw,shape", [
    ("yes", 'String "yes": only "true"/"True"/"TRUE" or "false"/"False"/"FALSE" recognized'),
    # String#trim keeps a no-break space
    ("\u00a0true", 'String "\u00a0true": only "true"/"True"/"TRUE" or "false"/"False"/"FALSE" recognized'),
    (1.0, "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)"),
    ({}, "Object value (token `JsonToken.START_OBJECT`)"),
])
def test_unreadable_boolean_flags_are_json_parse_errors(raw, shape):
    with pytest.raises(PayloadError) as caught:
        flatten({"trackedEntities": [{"potentialDuplicate": raw}]}, typed_uids=True)
    assert str(caught.value) == f"JSON parse error: Cannot deserialize value of type `boolean` from {shape}"


_VIEW_USER = "`org.hisp.dhis.webapi.controller.tracker.view.User`"
_NO_CREATOR = f"Cannot construct instance of {_VIEW_USER} (although at least one Creator exists): "


@pytest.mark.parametrize("raw,text", [
    ("  ", f'Cannot coerce empty String ("") to {_VIEW_USER} value (but could if '
           "coercion was enabled using `CoercionConfig`)"),
    (True, _NO_CREATOR + "no boolean/Boolean-argument constructor/factory method to deserialize "
                         "from boolean value (true)"),
    (2**40, _NO_CREATOR + "no long/Long-argument constructor/factory method to deserialize from "
                          f"Number value ({2**40})"),
    (1.5, _NO_CREATOR + "no double/Double-argument constructor/factory method to deserialize "
                        "from Number value (1.5)"),
    (["group.leader"], f"Cannot deserialize value of type {_VIEW_USER} from Array value "
                       "(token `JsonToken.START_ARRAY`)"),
])
def test_an_assigned_user_is_read_as_a_view_user_bean(raw, text):
    with pytest.raises(PayloadError) as caught:
        flatten({"events": [{"assignedUser": raw}]}, typed_uids=True)
    assert str(caught.value) == f"JSON parse error: {text}"


def test_an_assigned_user_object_keeps_the_domain_user_fields():
    events = flatten({"events": [{"assignedUser": {"uid": "usrAbcdefg1", "username": "a.b",
                                                   "displayName": "dropped"}}]},
                     typed_uids=True).events
    assert events[0]["assignedUser"] == {"uid": "usrAbcdefg1", "username": "a.b",
                                         "firstName": None, "surname": None}


BAD_DATE = ("JSON parse error: Invalid date format 'notadate', only 'yyyy-MM-dd'T'HH:mm:ss.SSS' "
            "format end epoch milliseconds are supported.")


@pytest.mark.parametrize("body", [
    {"trackedEntities": [{"createdAt": "notadate"}]},
    {"trackedEntities": [{"attributes": [{"attribute": "a", "updatedAt": "notadate"}]}]},
    {"enrollments": [{"updatedAt": "notadate"}]},
    {"events": [{"createdAt": "notadate"}]},
    {"events": [{"dataValues": [{"dataElement": "d", "createdAt": "notadate"}]}]},
    {"relationships": [{"updatedAt": "notadate"}]},
    {"relationships": [{"from": {"enrollment": {"enrollment": "enAAAAAAAA1", "enrolledAt": "notadate"}}}]},
    {"relationships": [{"to": {"event": {"event": "evAAAAAAAA1", "scheduledAt": "notadate"}}}]},
])
def test_unkept_instants_are_read_too(body):
    # view/TrackedEntity, Enrollment, Event, Relationship, Attribute, DataValue and the objects
    # of view/RelationshipItem type every date `Instant` (2.41.9, 2.42.5, 2.43.1): Jackson reads
    # the server's own stamps as well, though the import keeps none of them.
    with pytest.raises(PayloadError) as caught:
        flatten(body, typed_uids=True)
    assert str(caught.value) == BAD_DATE
    flatten(json.loads(json.dumps(body).replace("notadate", "2025-03-04T10:11:12.000")),
            typed_uids=True)


@pytest.mark.parametrize("typed_uids", [False, True])
def test_every_kept_string_field_reads_empty_as_null(typed_uids):
    # EmptyStringToNullStdDeserializer is the jsonMapper's deserializer of every String
    # (JacksonObjectMapperConfig#configureMapper, 2.41.9, 2.42.5, 2.43.1), so each String of the
    # views given "" is null: storedBy, completedBy, the assigned user's texts; a number is
    # its text in the references too.
    body = {"trackedEntities": [{"storedBy": "", "orgUnit": 7, "trackedEntityType": "",
                                 "attributes": [{"attribute": 5, "value": "v", "storedBy": ""}]}],
            "enrollments": [{"storedBy": "", "completedBy": "", "program": False,
                             "notes": [{"value": "n", "storedBy": ""}]}],
            "events": [{"storedBy": "", "completedBy": "", "programStage": 1.50,
                        "attributeCategoryOptions": 12,
                        "assignedUser": {"uid": "", "username": "", "firstName": {}},
                        "dataValues": [{"dataElement": "", "value": "1", "storedBy": ""}],
                        "notes": [{"value": "n", "storedBy": ""}]}]}
    flat = flatten(body, typed_uids=typed_uids)
    te, en, ev = flat.tracked_entities[0], flat.enrollments[0], flat.events[0]
    assert te["storedBy"] is None and te["attributes"][0]["storedBy"] is None
    assert (te["orgUnit"], te["trackedEntityType"], te["attributes"][0]["attribute"]) == ("7", "", "5")
    assert en["storedBy"] is None and en["completedBy"] is None and en["program"] == "false"
    assert en["notes"][0]["storedBy"] is None
    assert ev["storedBy"] is None and ev["completedBy"] is None and ev["programStage"] == "1.5"
    assert ev["attributeCategoryOptions"] == ["12"]
    assert ev["assignedUser"] == {"uid": None, "username": None, "firstName": None, "surname": None}
    assert ev["dataValues"][0]["storedBy"] is None and ev["notes"][0]["storedBy"] is None


def test_a_number_as_a_2_41_id_is_its_text():
    # 2.41.9 view ids are Strings (2.42.5/2.43.1 `UID`): Jackson reads a number as its text
    flat = flatten({"trackedEntities": [{"trackedEntity": 12345678901}]}, typed_uids=False)
    assert flat.tracked_entities[0]["trackedEntity"] == "12345678901"
    with pytest.raises(PayloadError):
        flatten({"trackedEntities": [{"trackedEntity": 12345678901}]}, typed_uids=True)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_attribute_id_scheme_finds_and_renders_by_the_attribute_value(sandbox_factory, version):
    # TrackerIdSchemeParam.ofAttribute keeps the attribute uid as written; #getIdentifier reads
    # that attribute's value, and a payload reference is MetadataIdentifier.ofAttribute(uid,
    # value) (`idScheme=ATTRIBUTE, identifier=<uid>, attributeValue=<value>`), at every release
    running = sandbox_factory(version=version)
    m = install(running)
    attribute = "ouAttrCode1"
    running.store.put_object("attributes", {"id": attribute, "name": "Unit key", "valueType": "TEXT",
                                            "organisationUnitAttribute": True})
    for unit_uid, key in ((m.commune, "KEY-COMMUNE"), (m.other, "KEY-OTHER")):
        unit = running.store.get_object("organisationUnits", unit_uid)
        running.store.put_object("organisationUnits", {
            **unit, "attributeValues": [{"attribute": {"id": attribute}, "value": key}]})

    def errors(key: str, auth: tuple[str, str]) -> list[tuple[str, str, list[str]]]:
        body = te(m)
        body["orgUnit"] = key
        report = post(running, {"trackedEntities": [body]}, auth=auth, importMode="VALIDATE",
                      orgUnitIdScheme=f"ATTRIBUTE:{attribute}").json()
        return [(e["errorCode"], e["message"], e["args"])
                for e in report["validationReport"]["errorReports"]]

    assert errors("KEY-COMMUNE", ADMIN) == []
    [(code, message, _args)] = errors("KEY-OTHER", LEADER)
    # 2.43.1 passes the access manager's args list instead (BaseIdentifiableObject#toString)
    assert code == "E1000" and ("OrganisationUnit: `KEY-OTHER`" in message) == (version != "2.43")
    [(code, message, args)] = errors("KEY-NONE", ADMIN)
    assert code == "E1049" and "`KEY-NONE`" in message
    assert args == [f"MetadataIdentifier(idScheme=ATTRIBUTE, identifier={attribute}, "
                    "attributeValue=KEY-NONE)"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_stage_mandatory_element_is_named_by_the_data_element_id_scheme(sandbox_factory, version):
    # DataValuesValidator#validateMandatoryDataValues: each compulsory element is
    # `getIdSchemes().toMetadataIdentifier(dataElement)`, so its code under dataElementIdScheme=CODE
    running = sandbox_factory(version=version)
    m = install(running)
    element = running.store.get_object("dataElements", m.de_compulsory)
    running.store.put_object("dataElements", {**element, "code": "DE_PRESENT"})
    t = person(m)
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    ev = event(m, t["enrollments"][0]["enrollment"], stage=m.stage_repeat, values={},
               status="COMPLETED")
    report = post(running, {"events": [ev]}, importMode="VALIDATE", dataElementIdScheme="CODE").json()
    [error] = report["validationReport"]["errorReports"]
    assert (error["errorCode"], error["message"], error["args"]) == (
        "E1303", java_message_format(catalog(version)["E1303"], ["DE_PRESENT"]),
        ["MetadataIdentifier(idScheme=CODE, identifier=DE_PRESENT, attributeValue=null)"])
