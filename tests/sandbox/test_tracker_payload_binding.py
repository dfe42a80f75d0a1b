"""`POST /api/tracker`'s body as Jackson binds it to `Body` and the tracker views, per release
(`sandbox/tracker/imports/binding.py`), and what the persister makes of a new attribute value
sent without a value."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.core import jackson_enums
from scdi.sandbox.core.jackson_enums import lookup_keys
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.imports.binding import bind
from scdi.upstream.releases import RELEASES
from tests.sandbox.test_tracker_change_logs import enable_change_logs
from tests.sandbox.tracker_fixture import codes, event, get, person, post, te, uid


def _event(m: Any, enrollment: str, **members: Any) -> dict[str, Any]:
    """An event of the repeatable stage whose members after `members` come in that order."""
    ev = event(m, enrollment, stage=m.stage_repeat)
    ev.pop("orgUnit")
    return ev | members


def test_an_object_in_a_string_member_is_read_as_the_enclosing_views_members(env):
    # EmptyStringToNullStdDeserializer answers null at `{` and skips nothing: `orgUnit` inside
    # is read as the event's own, the event ends at the object's `}`, and the event list reads
    # the event's closing `}` as another (empty) event (BeanDeserializer#_deserializeOther).
    _version, running, m = env
    p = person(m)
    assert post(running, {"trackedEntities": [p]}).status_code == 200
    ev = _event(m, p["enrollments"][0]["enrollment"], storedBy={"orgUnit": m.commune})
    r = post(running, {"events": [ev]}, atomicMode="OBJECT")
    assert r.status_code == 200, r.text
    events = r.json()["bundleReport"]["typeReportMap"]["EVENT"]["stats"]
    assert (events["created"], events["ignored"]) == (1, 1)
    read = get(running, f"/api/tracker/events/{ev['event']}").json()
    assert read["orgUnit"] == m.commune


def test_an_array_in_a_string_member_ends_the_enclosing_view(env):
    # `[` is null too; the view's next `nextFieldName()` meets the array's first element (or
    # its `]`) and ends the view; the list then reads on: `["x"]`'s `]` ends the attribute list,
    # `}` the tracked entity, its list at the attributes' `]`, so the tracked entity has no
    # orgUnit (read by Body as an unknown member) and the enrollment list after it is not read.
    _version, running, m = env
    t = te(m, attributes={})
    t.pop("orgUnit")
    t["attributes"] = [{"attribute": m.a_name, "value": ["Nguyen Van A"]}]
    t["orgUnit"] = m.commune
    unread = {"enrollment": uid(), "trackedEntity": t["trackedEntity"], "orgUnit": m.commune}
    r = post(running, {"trackedEntities": [t], "enrollments": [unread]})
    assert r.status_code == 409, r.text
    assert codes(r.json()) == ["E1121"]
    # `[]`: the view ends at its `]`, and the list reads the next member as a new view
    p = person(m)
    assert post(running, {"trackedEntities": [p]}).status_code == 200
    ev = _event(m, p["enrollments"][0]["enrollment"], attributeCategoryOptions=[],
                orgUnit=m.commune)
    r = post(running, {"events": [ev]}, atomicMode="OBJECT")
    assert r.status_code == 200, r.text
    events = r.json()["bundleReport"]["typeReportMap"]["EVENT"]["stats"]
    assert (events["created"], events["ignored"]) == (0, 2)
    assert "E1123" in [e["errorCode"] for e in r.json()["validationReport"]["errorReports"]
                       if e["uid"] == ev["event"]]


@pytest.mark.parametrize("where,member", [
    ("event", "followUp"), ("event", "deleted"), ("event", "followup"),
    ("trackedEntity", "deleted"), ("enrollment", "deleted"), ("dataValue", "providedElsewhere"),
    ("relationship", "bidirectional"),
])
def test_booleans_the_import_does_not_keep_are_bound(env, where, member):
    # every `boolean` of the views is bound (Jackson's _parseBooleanPrimitive): "yes" is the
    # body's 400; 2.41.9's `followup` (Event#legacyFollowUp) only there, unknown after
    version, running, m = env
    p = person(m)
    ev = event(m, p["enrollments"][0]["enrollment"], stage=m.stage_repeat,
               values={m.de_number: "3"})
    target = {"event": ev, "trackedEntity": p, "enrollment": p["enrollments"][0],
              "dataValue": ev["dataValues"][0]}.get(where)
    payload: dict[str, Any] = {"trackedEntities": [p], "events": [ev]}
    if where == "relationship":
        item = {"trackedEntity": {"trackedEntity": p["trackedEntity"]}}
        target = {"relationship": uid(), "relationshipType": m.rel_type, "from": item,
                  "to": item}
        payload["relationships"] = [target]
    assert target is not None
    target[member] = "yes"
    r = post(running, payload)
    bound = member != "followup" or RELEASES[version].tracker_event_followup_alias
    assert RELEASES[version].tracker_event_followup_alias == (version == "2.41")
    if bound:
        assert r.status_code == 400, r.text
        assert r.json()["message"].startswith(
            "JSON parse error: Cannot deserialize value of type `boolean` from String \"yes\"")
    else:
        assert r.status_code != 400, r.text


def _spring6_part(version: str, message: str) -> str:
    """The message as Spring 6 words it: 2.41's Spring 5 adds "; nested exception is …" (the
    test `test_a_binding_refusal_on_2_41_carries_the_nested_jackson_exception` reads it)."""
    nested = "; nested exception is com.fasterxml.jackson.databind.exc."
    assert (nested in message) == (version == "2.41"), message
    return message.split("; nested exception is ")[0]


def test_users_and_relationship_items_are_objects(env):
    version, running, m = env
    p = person(m)
    r = post(running, {"trackedEntities": [p | {"createdBy": "admin"}]})
    assert r.status_code == 400
    assert _spring6_part(version, r.json()["message"]) == (
        "JSON parse error: Cannot construct instance of "
        "`org.hisp.dhis.webapi.controller.tracker.view.User` (although at least one Creator "
        "exists): no String-argument constructor/factory method to deserialize from String "
        "value ('admin')")
    relationship = {"relationshipType": m.rel_type, "from": {"trackedEntity": p["trackedEntity"]},
                    "to": {"trackedEntity": {"trackedEntity": p["trackedEntity"]}}}
    r = post(running, {"trackedEntities": [p], "relationships": [relationship]})
    assert r.status_code == 400
    assert _spring6_part(version, r.json()["message"]) == (
        "JSON parse error: Cannot construct instance of "
        "`org.hisp.dhis.webapi.controller.tracker.view.RelationshipItem$TrackedEntity` "
        "(although at least one Creator exists): no String-argument constructor/factory method "
        f"to deserialize from String value ('{p['trackedEntity']}')")


@pytest.mark.parametrize("payload,message", [
    ({"events": {}}, "Cannot deserialize value of type `java.util.ArrayList<org.hisp.dhis.webapi."
     "controller.tracker.view.Event>` from Object value (token `JsonToken.START_OBJECT`)"),
    ({"events": [{"dataValues": "x"}]}, "Cannot deserialize value of type `java.util.HashSet<org."
     "hisp.dhis.webapi.controller.tracker.view.DataValue>` from String value (token "
     "`JsonToken.VALUE_STRING`)"),
    ({"trackedEntities": [1.5]}, "Cannot construct instance of `org.hisp.dhis.webapi.controller."
     "tracker.view.TrackedEntity` (although at least one Creator exists): no double/Double-"
     "argument constructor/factory method to deserialize from Number value (1.5)"),
    ({"relationships": [{"from": " "}]}, 'Cannot coerce empty String ("") to `org.'
     "hisp.dhis.webapi.controller.tracker.view.RelationshipItem` value (but could if coercion "
     "was enabled using `CoercionConfig`)"),
])
def test_lists_and_views_that_are_no_list_or_object_are_refused(env, payload, message):
    # CollectionDeserializer#handleNonArray (the concrete ArrayList / HashSet of the view) and
    # BeanDeserializer's refusal of a scalar, each the body's 400
    version, running, _m = env
    r = post(running, payload)
    assert r.status_code == 400
    assert _spring6_part(version, r.json()["message"]) == f"JSON parse error: {message}"


@pytest.mark.parametrize("missing", [None, ""])
def test_a_new_attribute_value_without_value_per_release(env, missing):
    # AbstractTrackerPersister#handleTrackedEntityAttributeValues: 2.41.9 / 2.42.5 save every new
    # value (`valueChanged = isNew || …`), a null one too (`""` is read as null); 2.43.1 skips it
    version, running, m = env
    enable_change_logs(running, ("trackedEntityTypes", m.tet))
    t = te(m, attributes={m.a_name: "Nguyen Van A", m.a_dob: missing})
    assert post(running, {"trackedEntities": [t]}).status_code == 200

    def attributes() -> dict[str, Any]:
        read = get(running, f"/api/tracker/trackedEntities/{t['trackedEntity']}",
                   fields="attributes[attribute,value]").json()
        return {a["attribute"]: a.get("value") for a in read["attributes"]}

    saved = RELEASES[version].tracker_new_null_attribute_saved
    assert saved == (version != "2.43")
    if saved:
        assert attributes() == {m.a_name: "Nguyen Van A", m.a_dob: None}
    else:
        assert attributes() == {m.a_name: "Nguyen Van A"}
    # sent without a value again, a saved one is deleted (`isDelete && !isNew`)
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    assert attributes() == {m.a_name: "Nguyen Van A"}
    # logged as CREATE without a current value, then DELETE (#saveOrUpdate, #delete)
    dob = [(row["type"], row["previous_value"], row["current_value"])
           for row in tracker_store.change_logs(running.store, "trackedEntity", t["trackedEntity"])
           if row["name"] == m.a_dob]
    assert dob == ([("DELETE", None, None), ("CREATE", None, None)] if saved else [])
    # and a value for it later is written
    t["attributes"] = [{"attribute": m.a_dob, "value": "1990-02-28"}]
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    assert attributes() == {m.a_name: "Nguyen Van A", m.a_dob: "1990-02-28"}


def test_enum_lookup_keys_are_compact_string_object_map_order():
    # CompactStringObjectMap#keys: hash-area order (an enum of GitLab job statuses, whose
    # message Jackson 2.x gives as [skipped, success, pending, canceled, failed, running])
    assert lookup_keys(("pending", "running", "success", "failed", "canceled", "skipped")) == (
        "skipped", "success", "pending", "canceled", "failed", "running")
    assert lookup_keys(("ACTIVE", "COMPLETED", "VISITED", "SCHEDULE", "OVERDUE", "SKIPPED")) == (
        "SKIPPED", "ACTIVE", "SCHEDULE", "VISITED", "COMPLETED", "OVERDUE")


@pytest.mark.parametrize("value,read", [
    ("COMPLETED", "COMPLETED"), (" COMPLETED ", "COMPLETED"), (1, "COMPLETED"), ("1", "COMPLETED"),
    ("01", None), ("completed", None), ("", None), ("  ", None), (7, None), (1.0, None),
])
def test_an_enum_is_read_as_enum_deserializer_reads_it(value, read):
    constants = ("ACTIVE", "COMPLETED", "VISITED", "SCHEDULE", "OVERDUE", "SKIPPED")
    if read is not None:
        assert jackson_enums.read("E", constants, value) == read
        return
    with pytest.raises(jackson_enums.EnumRefused) as refused:
        jackson_enums.read("E", constants, value)
    message = str(refused.value)
    if value in ("", "  "):
        assert message == ('Cannot coerce empty String ("") to `E` value (but could if coercion '
                           "was enabled using `CoercionConfig`)")
    elif value == 7:
        assert message.endswith("from number 7: index value outside legal index range [0..5]")
    elif isinstance(value, float):
        assert message.endswith("from Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)")
    else:
        assert message == (f'Cannot deserialize value of type `E` from String "{value}": not one '
                           "of the values accepted for Enum class: [SKIPPED, ACTIVE, SCHEDULE, "
                           "VISITED, COMPLETED, OVERDUE]")


def test_status_and_value_type_refusals_name_the_releases_enum(env):
    version, running, m = env
    p = person(m)
    p["enrollments"][0]["status"] = "DONE"
    r = post(running, {"trackedEntities": [p]})
    klass = RELEASES[version].tracker_enrollment_status_class
    assert klass == ("org.hisp.dhis.webapi.controller.tracker.view.EnrollmentStatus"
                     if version == "2.41" else "org.hisp.dhis.program.EnrollmentStatus")
    # (2.41's Spring 5 goes on with the nested exception,
    # `test_a_scalar_refusal_on_2_41_carries_the_nested_jackson_exception`)
    assert (r.status_code, r.json()["message"].split("; nested exception is ")[0]) == (400, (
        f'JSON parse error: Cannot deserialize value of type `{klass}` from String "DONE": not '
        "one of the values accepted for Enum class: [CANCELLED, COMPLETED, ACTIVE]"))
    # an index is a constant
    p = person(m)
    ev = event(m, p["enrollments"][0]["enrollment"], stage=m.stage_repeat, status=1)
    assert post(running, {"trackedEntities": [p], "events": [ev]}).status_code == 200
    assert get(running, f"/api/tracker/events/{ev['event']}").json()["status"] == "COMPLETED"
    # 2.43.1's ValueType has no TRACKER_ASSOCIATE
    t = te(m)
    t["attributes"][0]["valueType"] = "TRACKER_ASSOCIATE"
    r = post(running, {"trackedEntities": [t]})
    assert r.status_code == (400 if version == "2.43" else 200), r.text


def test_the_binding_reads_escapes_and_numbers_as_written():
    text = ('{"events": [{"org\\u0055nit": "a\\"b", "storedBy": 1.50, "occurredAt": 2025,'
            ' "status": "ACTIVE", "unknown": {"orgUnit": "x"}, "notes": [{"value": -0}]}], '
            '"relationships": null}')
    bound = bind(text, RELEASES["2.42"])
    event_read = bound["events"][0]
    assert event_read["orgUnit"] == 'a"b' and event_read["status"] == "ACTIVE"
    assert str(event_read["storedBy"].text) == "1.50" and event_read["occurredAt"] == 2025
    assert "unknown" not in event_read and bound["relationships"] is None
    assert event_read["notes"][0]["value"].text == "-0"


_SOURCE = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"
_MISMATCH = "com.fasterxml.jackson.databind.exc.MismatchedInputException"
_IMPORTS = "org.hisp.dhis.webapi.controller.tracker.imports."
_VIEWS = "org.hisp.dhis.webapi.controller.tracker.view."
_USER_NO_STRING = (f"Cannot construct instance of `{_VIEWS}User` (although at least one Creator "
                   "exists): no String-argument constructor/factory method to deserialize from "
                   "String value ('{}')")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_binding_refusal_on_2_41_carries_the_nested_jackson_exception(
        sandbox_factory, version: str) -> None:
    # Spring 5.3.39's HttpMessageNotReadableException("JSON parse error: " +
    # getOriginalMessage(), ex): NestedRuntimeException#getMessage appends "; nested exception
    # is " + the JsonMappingException (its class, the location of the refused token and the
    # reference chain from Body down); CrudControllerAdvice cuts at ";" only a message holding
    # "UID". Spring 6 (2.42, 2.43) answers the original message alone.
    url = sandbox_factory(version=version).url
    events = f'{_IMPORTS}Body["events"]'
    user = f'{_VIEWS}Event["assignedUser"]'
    cases = [
        ('{"events": [{"orgUnit": "a"}, {"assignedUser": "x"}]}', _USER_NO_STRING.format("x"),
         _MISMATCH, 48, f"{events}->java.util.ArrayList[1]->{user}"),
        ('{"events": [{"assignedUser": "a;b"}]}', _USER_NO_STRING.format("a;b"), _MISMATCH, 30,
         f"{events}->java.util.ArrayList[0]->{user}"),
        ('{"events": [{"assignedUser": "  "}]}',
         f'Cannot coerce empty String ("") to `{_VIEWS}User` value (but could if coercion was '
         "enabled using `CoercionConfig`)", "com.fasterxml.jackson.databind.exc."
         "InvalidFormatException", 30, f"{events}->java.util.ArrayList[0]->{user}"),
        ('{"events": [{}, 7]}', f"Cannot construct instance of `{_VIEWS}Event` (although at "
         "least one Creator exists): no int/Int-argument constructor/factory method to "
         "deserialize from Number value (7)", _MISMATCH, 17, f"{events}->java.util.ArrayList[1]"),
        ('{"events": {}}', f"Cannot deserialize value of type `java.util.ArrayList<{_VIEWS}Event>` "
         "from Object value (token `JsonToken.START_OBJECT`)", _MISMATCH, 12, events),
        ('{"trackedEntities": [{"enrollments": [{"events": [{"assignedUser": ["x"]}]}]}]}',
         f"Cannot deserialize value of type `{_VIEWS}User` from Array value (token "
         "`JsonToken.START_ARRAY`)", _MISMATCH, 68,
         f'{_IMPORTS}Body["trackedEntities"]->java.util.ArrayList[0]->{_VIEWS}TrackedEntity'
         f'["enrollments"]->java.util.ArrayList[0]->{_VIEWS}Enrollment["events"]->'
         f"java.util.ArrayList[0]->{user}"),
        ('{"events": [{"dataValues": [{}, {"createdBy": 1.5}]}]}',
         f"Cannot construct instance of `{_VIEWS}User` (although at least one Creator exists): "
         "no double/Double-argument constructor/factory method to deserialize from Number value "
         "(1.5)", _MISMATCH, 47, f'{events}->java.util.ArrayList[0]->{_VIEWS}Event["dataValues"]'
         f'->java.util.HashSet[1]->{_VIEWS}DataValue["createdBy"]'),
    ]
    for body, original, java_class, column, chain in cases:
        answer = requests.post(f"{url}/api/tracker", data=body.encode(),
                               headers={"Content-Type": "application/json"},
                               params={"async": "false"}, auth=("admin", "district"), timeout=10)
        expected = f"JSON parse error: {original}"
        if version == "2.41":
            expected += (f"; nested exception is {java_class}: {original}\n at {_SOURCE}; line: 1, "
                         f"column: {column}] (through reference chain: {chain})")
        assert (answer.status_code, answer.json()["message"]) == (400, expected), body
    # a message holding "UID" is cut before its first ";" (2.41's nested exception too)
    answer = requests.post(f"{url}/api/tracker", data=b'{"events": [{"assignedUser": "UID"}]}',
                           headers={"Content-Type": "application/json"},
                           params={"async": "false"}, auth=("admin", "district"), timeout=10)
    assert answer.json()["message"] == "JSON parse error: " + _USER_NO_STRING.format("UID")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_scalar_refusal_on_2_41_carries_the_nested_jackson_exception(
        sandbox_factory, version: str) -> None:
    # the members read by their own deserializers (view_scalars.py): a date's JsonParseException
    # (at the parser's position after the token) and Long#valueOf's NumberFormatException (no
    # location) wrapped into a plain JsonMappingException; a boolean's or an enum's own
    # exception at the token's start, an int overflow the parser's, wrapped, after the token.
    # Each in document order, before a later member's refusal. Spring 6 answers the original
    # message alone.
    url = sandbox_factory(version=version).url
    events = f'{_IMPORTS}Body["events"]->java.util.ArrayList[0]->{_VIEWS}Event'
    mapping = "com.fasterxml.jackson.databind.JsonMappingException"
    date = ("Invalid date format '{}', only 'yyyy-MM-dd'T'HH:mm:ss.SSS' format end epoch "
            "milliseconds are supported.")
    cases = [
        ('{"events": [{"occurredAt": "x", "status": "NOPE"}]}', date.format("x"), mapping, 31,
         f'{events}["occurredAt"]'),
        ('{"events": [{"occurredAt": true}]}', date.format("true"), mapping, 32,
         f'{events}["occurredAt"]'),
        ('{"events": [{"occurredAt": 99999999999999999999}]}',
         'For input string: "99999999999999999999"', mapping, None, f'{events}["occurredAt"]'),
        ('{"events": [{"status": "NOPE", "occurredAt": "x"}]}',
         "Cannot deserialize value of type `org.hisp.dhis.event.EventStatus` from String "
         '"NOPE": not one of the values accepted for Enum class: [SKIPPED, ACTIVE, SCHEDULE, '
         "VISITED, COMPLETED, OVERDUE]", "com.fasterxml.jackson.databind.exc."
         "InvalidFormatException", 24, f'{events}["status"]'),
        ('{"events": [{"status": 9999999999}]}',
         "Numeric value (9999999999) out of range of int (-2147483648 - 2147483647)", mapping, 34,
         f'{events}["status"]'),
        ('{"events": [{"status": [1]}]}', "Cannot deserialize value of type "
         "`org.hisp.dhis.event.EventStatus` from Array value (token `JsonToken.START_ARRAY`)",
         _MISMATCH, 24, f'{events}["status"]'),
        ('{"trackedEntities": [{"attributes": [{"valueType": ""}], "inactive": "yes"}]}',
         'Cannot coerce empty String ("") to `org.hisp.dhis.common.ValueType` value (but could '
         "if coercion was enabled using `CoercionConfig`)", "com.fasterxml.jackson.databind.exc."
         "InvalidFormatException", 52, f'{_IMPORTS}Body["trackedEntities"]->java.util.ArrayList'
         f'[0]->{_VIEWS}TrackedEntity["attributes"]->java.util.ArrayList[0]->{_VIEWS}Attribute'
         '["valueType"]'),
        ('{"relationships": [{"bidirectional": "yes"}]}', 'Cannot deserialize value of type '
         '`boolean` from String "yes": only "true"/"True"/"TRUE" or "false"/"False"/"FALSE" '
         "recognized", "com.fasterxml.jackson.databind.exc.InvalidFormatException", 38,
         f'{_IMPORTS}Body["relationships"]->java.util.ArrayList[0]->{_VIEWS}Relationship'
         '["bidirectional"]'),
    ]
    for body, original, java_class, column, chain in cases:
        answer = requests.post(f"{url}/api/tracker", data=body.encode(),
                               headers={"Content-Type": "application/json"},
                               params={"async": "false"}, auth=("admin", "district"), timeout=10)
        expected = f"JSON parse error: {original}"
        if version == "2.41":
            where = "" if column is None else f"\n at {_SOURCE}; line: 1, column: {column}]"
            expected += (f"; nested exception is {java_class}: {original}{where} (through "
                         f"reference chain: {chain})")
        assert (answer.status_code, answer.json()["message"]) == (400, expected), body
