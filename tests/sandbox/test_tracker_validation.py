"""The validation codes of POST /api/tracker, each provoked over HTTP (DHIS2 2.42 by default)."""

from __future__ import annotations

import pytest

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.tracker_fixture import (
    LEADER,
    METADATA_ONLY,
    OFFICER,
    Meta,
    add_username_data_element,
    codes,
    enrollment,
    error_for,
    event,
    install,
    person,
    post,
    te,
    uid,
)


@pytest.fixture
def env(fresh_sandbox: RunningSandbox) -> tuple[RunningSandbox, Meta]:
    return fresh_sandbox, install(fresh_sandbox)


def check(running: RunningSandbox, payload: dict, auth=None, **params) -> list[str]:
    r = post(running, payload, **({"auth": auth} if auth else {}), importMode="VALIDATE", **params)
    assert r.status_code in (200, 409), r.text
    return codes(r.json())


def test_org_unit_not_in_program(env):
    running, m = env
    assert check(running, {"trackedEntities": [person(m, org_unit=m.unassigned)]}) == ["E1041"]
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], org_unit=m.unassigned)
    assert check(running, {"trackedEntities": [t], "events": [ev]}) == ["E1029"]


def test_e1041_message_and_args(env):
    running, m = env
    r = post(running, {"trackedEntities": [person(m, org_unit=m.unassigned)]})
    err = error_for(r.json(), "E1041")
    assert err["message"] == (f"Enrollment OrganisationUnit: `{m.unassigned}` and Program: "
                              f"`{m.program}` do not match.")
    assert err["trackerType"] == "ENROLLMENT" and len(err["args"]) == 2
    assert f'"uid":"{m.program}"' in err["args"][1]


def test_unique_attribute_against_stored_value(env):
    running, m = env
    assert post(running, {"trackedEntities": [person(m, nid="NID-1")]}).status_code == 200
    r = post(running, {"trackedEntities": [person(m, nid="NID-1")]})
    assert r.status_code == 409 and "E1064" in codes(r.json())
    assert error_for(r.json(), "E1064")["message"] == (
        f"Non-unique attribute value `NID-1` for attribute `{m.a_nid}`.")


def test_unique_attribute_within_one_payload(env):
    running, m = env
    result = check(running, {"trackedEntities": [person(m, nid="NID-2"), person(m, nid="NID-2")]})
    assert result.count("E1064") == 2


def test_unique_attribute_in_org_unit_scope(env):
    running, m = env
    first = te(m, attributes={m.a_name: "A", m.a_code: "G-01"})
    assert post(running, {"trackedEntities": [first]}).status_code == 200
    elsewhere = te(m, org_unit=m.sibling, attributes={m.a_name: "B", m.a_code: "G-01"})
    assert check(running, {"trackedEntities": [elsewhere]}) == []
    same_unit = te(m, attributes={m.a_name: "C", m.a_code: "G-01"})
    assert check(running, {"trackedEntities": [same_unit]}) == ["E1064"]


def test_updating_own_unique_value_is_not_a_conflict(env):
    running, m = env
    t = person(m, nid="NID-3")
    post(running, {"trackedEntities": [t]})
    assert check(running, {"trackedEntities": [t]}) == []


def test_mandatory_program_attribute(env):
    running, m = env
    t = te(m)
    en = enrollment(m, t["trackedEntity"], attributes={m.a_age: "30"})
    r = post(running, {"trackedEntities": [t], "enrollments": [en]})
    assert codes(r.json()) == ["E1018"]
    assert error_for(r.json(), "E1018")["args"][0] == (
        f"MetadataIdentifier(idScheme=UID, identifier={m.a_nid}, attributeValue=null)")


def test_mandatory_tracked_entity_type_attribute(fresh_sandbox):
    m = install(fresh_sandbox, tet_attribute_mandatory=True)
    assert check(fresh_sandbox, {"trackedEntities": [te(m)]}) == ["E1090"]


def test_mandatory_attribute_set_to_null(env):
    running, m = env
    t = te(m)
    en = enrollment(m, t["trackedEntity"], attributes={m.a_nid: None})
    assert "E1076" in check(running, {"trackedEntities": [t], "enrollments": [en]})
    # an empty text is read as null (EmptyStringToNullStdDeserializer), so it is the same
    empty = enrollment(m, t["trackedEntity"], attributes={m.a_nid: ""})
    assert "E1076" in check(running, {"trackedEntities": [t], "enrollments": [empty]})


def test_option_set(env):
    running, m = env
    t = te(m, attributes={m.a_name: "X", m.a_sex: "OTHER"})
    assert check(running, {"trackedEntities": [t]}) == ["E1125"]
    t2 = person(m)
    ev = event(m, t2["enrollments"][0]["enrollment"], values={m.de_option: "NOPE"})
    assert check(running, {"trackedEntities": [t2], "events": [ev]}) == ["E1125"]


@pytest.mark.parametrize("attribute,value,ok", [
    ("a_age", "12", True), ("a_age", "0", False), ("a_age", "1.5", False),
    ("a_phone", "+84 912 345 678", True), ("a_phone", "call me", False),
    ("a_email", "leader@example.org", True), ("a_email", "not-an-email", False),
    ("a_dob", "1990-02-28", True), ("a_dob", "1990-02-30", False), ("a_dob", "28/02/1990", False),
])
def test_attribute_value_types(env, attribute, value, ok):
    running, m = env
    t = te(m, attributes={m.a_name: "X", getattr(m, attribute): value})
    result = check(running, {"trackedEntities": [t]})
    assert result == ([] if ok else ["E1007"])


@pytest.mark.parametrize("value_type,value,ok", [
    # DateUtils#dateTimeIsValid: the Joda date-time patterns only, so a date alone is not one.
    ("DATETIME", "2025-01-10", False), ("DATETIME", "2025-01-10T10", True),
    ("DATETIME", "2025-01-10 10:00:00+0100", True), ("DATETIME", "2025-01-10 10:00:00", False),
    ("DATETIME", "2025-01-10T10:00:00.000Z", True), ("DATETIME", "2025-02-29T10:00", False),
    # Joda's parsers: no pattern takes 7-9 fraction digits without an offset; an offset has
    # two-digit hours up to 23, may carry seconds and milliseconds; literals and `z` in either
    # case; the year within GregorianChronology's bounds.
    ("DATETIME", "2025-01-10T10:00:00.1234567", False),
    ("DATETIME", "2025-01-10T10:00:00.1234567+01:00", True),
    ("DATETIME", "2025-01-10T10:00+1", False), ("DATETIME", "2025-01-10T10:00+25:00", False),
    ("DATETIME", "2025-01-10T10:00:00+01:00:30.5", True), ("DATETIME", "2025-01-10t10:00z", True),
    ("DATETIME", "292278994-01-01T00:00", False), ("DATETIME", "292278993-01-01T00:00", True),
    # DateUtils#dateIsValid: Matcher#matches, the whole value.
    ("DATE", "2025-01-10 ", False), ("INTEGER", "12\n", False), ("TIME", "10:30\n", False),
    # DEFAULT_DATE_REGEX: Java's `.` stops at \r, its `\b` takes a letter, then the ISO
    # calendar, which has a year 0000 (a leap year).
    ("DATE", "2025-01-10\r5", False), ("DATE", "2025-01-10T\u00e4", True),
    ("DATE", "0000-02-29", True), ("DATE", "2025-01-10T10:00", True),
    # MathUtils#isCoordinate: whitespace removed, the first two parts as Java floats.
    ("COORDINATE", "[1,2,3]", True), ("COORDINATE", "[1,2]x", False),
    ("COORDINATE", " [1, 2]", True), ("COORDINATE", "[180.000001,2]", True),
    ("COORDINATE", "[180.1,2]", False),
    # Float#parseFloat trims each part as String#trim does (the controls \s leaves) and reads
    # hexadecimal floats with a binary exponent.
    ("COORDINATE", "[\u00011,2]", True), ("COORDINATE", "[0x1.8p1,-0x1p3f]", True),
    ("COORDINATE", "[0x1p8,2]", False), ("COORDINATE", "[0x1p99999,2]", False),
    ("COORDINATE", "[0x1,2]", False),
    # ValidationUtils#isValidLetter: one UTF-16 char that Character#isLetter accepts, so a
    # letter outside the BMP (two chars in Java) is none.
    ("LETTER", "a", True), ("LETTER", "\u01c5", True), ("LETTER", "\U0001d49c", False),
    ("LETTER", "\u216b", False),
    # ValidationUtils#emailIsValid: commons-validator's EmailValidator takes quoted and
    # non-ASCII local parts, IP literals and IDN domains, not a trailing dot.
    ("EMAIL", '"a b"@example.org', True), ("EMAIL", "user@[127.0.0.1]", True),
    ("EMAIL", "us\u00e9r@example.org", True), ("EMAIL", "user@ex\u00e4mple.org", True),
    ("EMAIL", "user@example.org.", False), ("EMAIL", "a@b@example.org", False),
])
def test_attribute_value_types_read_as_java_does(env, value_type, value, ok):
    assert _check_typed(env, value_type, value) == ([] if ok else ["E1007"])


@pytest.mark.parametrize("value,ok", [
    # EmailValidator#getInstance is `new EmailValidator(false, false)` (commons-validator
    # 1.10.1, dhis2-core 2.41.9, 2.42.5, 2.43.1): no bare top-level domain (allowTld false,
    # #isValidDomain) and no dotless host (DomainValidator allowLocal false).
    ("a@com", False), ("a@localhost", False), ("a@example.com", True),
    # DomainValidator#isValid converts an IDN to ASCII (IDN#toASCII) and looks its top label
    # up in the TLD list, which holds IDN country codes in punycode (xn--p1ai is рф).
    ("a@example.xn--p1ai", True), ("a@пример.рф", True),
    ("a@example.рф", True), ("a@example.xn--abc", False), ("a@xn--p1ai", False),
])
def test_an_email_domain_is_read_as_the_domain_validator_reads_it(env, value, ok):
    assert _check_typed(env, "EMAIL", value) == ([] if ok else ["E1007"])


def _check_typed(env, value_type: str, value: str) -> list[str]:
    running, m = env
    attr = "atrTyped001"
    running.store.put_object("trackedEntityAttributes", {
        "id": attr, "name": attr, "valueType": value_type,
        "created": "2025-07-01T00:00:00.000", "lastUpdated": "2025-07-01T00:00:00.000",
        "sharing": {"public": METADATA_ONLY, "external": False, "users": {}, "userGroups": {}}})
    tet = running.store.get_object("trackedEntityTypes", m.tet)
    tet["trackedEntityTypeAttributes"].append(
        {"trackedEntityAttribute": {"id": attr}, "mandatory": False})
    running.store.put_object("trackedEntityTypes", tet)
    return check(running, {"trackedEntities": [te(m, attributes={attr: value})]})


def test_e1077_counts_the_value_in_utf16_units(env):
    # AttributeValidator#validateAttributeValue (2.41.9, 2.42.5, 2.43.1): `value.length()` over
    # Constant.MAX_ATTR_VALUE_LENGTH, String#length counting UTF-16 units, so 601 characters
    # beyond the BMP (two units each) are too long and 1200 of the BMP are not.
    running, m = env
    for value, expected in (("\U0001F600" * 601, ["E1077"]), ("\U0001F600" * 600, []),
                            ("\u00e9" * 1200, [])):
        assert check(running, {"trackedEntities": [te(m, attributes={m.a_name: value})]}) == \
            expected


def test_a_data_value_past_the_max_length_in_utf16_units_is_refused(env):
    # ValidationUtils#valueIsValid (dhis-support-system, 2.41.9, 2.42.5, 2.43.1):
    # `value.length() > VALUE_MAX_LENGTH` (50000) before the type, in UTF-16 units.
    running, m = env
    text = running.store.get_object("dataElements", m.de_number) | {"id": "deText00001",
                                                                   "valueType": "TEXT"}
    running.store.put_object("dataElements", text)
    stage = running.store.get_object("programStages", m.stage_once)
    stage["programStageDataElements"].append({"dataElement": {"id": "deText00001"},
                                              "compulsory": False})
    running.store.put_object("programStages", stage)
    for value, expected in (("\U0001F600" * 25001, ["E1302"]), ("\U0001F600" * 25000, [])):
        t = person(m)
        ev = event(m, t["enrollments"][0]["enrollment"], values={"deText00001": value})
        assert check(running, {"trackedEntities": [t], "events": [ev]}) == expected


def test_e1019_names_the_attribute_as_the_payload_does(env):
    # enrollment/AttributeValidator#validateMandatoryAttributes (2.41.9, 2.42.5, 2.43.1): E1019's
    # argument is the payload's `MetadataIdentifier#getIdentifierOrAttributeValue` and the value,
    # so under idScheme=CODE the attribute's code.
    running, m = env
    t = te(m)
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    en = enrollment(m, t["trackedEntity"], program=m.program_once,
                    attributes={m.a_age.upper(): "5"})
    r = post(running, {"enrollments": [en]}, importMode="VALIDATE", idScheme="CODE",
             programIdScheme="UID", orgUnitIdScheme="UID")
    errors = r.json()["validationReport"]["errorReports"]
    assert [(e["errorCode"], e["args"]) for e in errors] == [("E1019", [f"{m.a_age.upper()}=5"])]


def test_a_username_data_value_is_found_only_among_the_preheated_users(env):
    # ValidationUtils#validateValueType asks TrackerPreheat#getUserByUsername (2.41.9, 2.42.5,
    # 2.43.1), whose users CurrentUserSupplier, UserSupplier (events' assigned users) and
    # UsernameValueTypeSupplier (USERNAME attributes of tracked entities and enrollments, no
    # data value) load: another account named only by a data value "could not be found".
    running, m = env
    add_username_data_element(running, m)
    t = person(m)
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    en_uid = t["enrollments"][0]["enrollment"]
    alone = event(m, en_uid, values={"deUsername1": "group.leader"})
    r = post(running, {"events": [alone]}, importMode="VALIDATE")
    assert [(e["errorCode"], e["args"][1]) for e in r.json()["validationReport"]["errorReports"]] \
        == [("E1302", "Username `group.leader` could not be found.")]
    assert check(running, {"events": [alone | {"dataValues": [
        {"dataElement": "deUsername1", "value": "admin"}]}]}) == []
    # an event assigned to the account brings it into the preheat
    assigned = event(m, en_uid, stage=m.stage_repeat, assignedUser={"username": "group.leader"})
    assert check(running, {"events": [alone, assigned]}) == []


def test_e1007_message_names_the_value_type(env):
    running, m = env
    r = post(running, {"trackedEntities": [te(m, attributes={m.a_age: "x"})]})
    assert error_for(r.json(), "E1007")["message"] == (
        "Error validating attribute value type: `INTEGER_POSITIVE`; Error: `Value type is "
        "INTEGER_POSITIVE but the value `x` is not.`.")


@pytest.mark.parametrize("de,value,ok", [
    ("de_number", "3.5", True), ("de_number", "3,5", False), ("de_number", "01", False),
    ("de_bool", "false", True), ("de_bool", "yes", False),
    ("de_date", "2025-01-01", True), ("de_date", "2025-13-01", False),
])
def test_data_value_types(env, de, value, ok):
    running, m = env
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], values={getattr(m, de): value})
    assert check(running, {"trackedEntities": [t], "events": [ev]}) == ([] if ok else ["E1302"])


@pytest.mark.parametrize(("value", "ok"), [("MALE,FEMALE", True), ("MALE,", True), ("MALE,,", True),
                                          (",MALE", False), ("MALE,,FEMALE", False)])
def test_a_multi_text_value_is_split_as_java_splits_it(env, value, ok):
    # ValidationUtils#validateOptionSet: ValueType#splitMultiText is `value.split(",")`, which
    # drops trailing empty strings, so "MALE," holds only MALE (E1125 for an empty code inside).
    running, m = env
    de = running.store.get_object("dataElements", m.de_option)
    running.store.put_object("dataElements", {**de, "valueType": "MULTI_TEXT"})
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], values={m.de_option: value})
    assert check(running, {"trackedEntities": [t], "events": [ev]}) == ([] if ok else ["E1125"])


def test_future_dates(env):
    running, m = env
    t = te(m)
    en = enrollment(m, t["trackedEntity"], enrolledAt="2999-01-01", occurredAt="2999-01-01")
    assert check(running, {"trackedEntities": [t], "enrollments": [en]}) == ["E1020", "E1021"]


def test_missing_dates(env):
    running, m = env
    t = te(m)
    en = enrollment(m, t["trackedEntity"])
    en.pop("enrolledAt"), en.pop("occurredAt")
    assert check(running, {"trackedEntities": [t], "enrollments": [en]}) == ["E1025", "E1023"]
    t2 = person(m)
    en_uid = t2["enrollments"][0]["enrollment"]
    no_date = event(m, en_uid)
    no_date.pop("occurredAt")
    scheduled = event(m, en_uid, stage=m.stage_repeat, status="SCHEDULE", values={})
    scheduled.pop("occurredAt")
    assert check(running, {"trackedEntities": [t2], "events": [no_date, scheduled]}) == [
        "E1031", "E1050"]


def test_second_active_enrollment_and_enroll_once(env):
    running, m = env
    t = person(m)
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    again = enrollment(m, t["trackedEntity"])
    assert check(running, {"enrollments": [again]}) == ["E1015"]
    once = enrollment(m, t["trackedEntity"], program=m.program_once, attributes={},
                      status="COMPLETED")
    assert post(running, {"enrollments": [once]}).status_code == 200
    twice = enrollment(m, t["trackedEntity"], program=m.program_once, attributes={},
                       status="COMPLETED")
    assert check(running, {"enrollments": [twice]}) == ["E1016"]


def test_non_repeatable_stage(env):
    running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    first, second = event(m, en_uid), event(m, en_uid)
    assert check(running, {"trackedEntities": [t], "events": [first, second]}) == ["E1039", "E1039"]
    assert post(running, {"trackedEntities": [t], "events": [first]}).status_code == 200
    assert check(running, {"events": [second]}) == ["E1039"]
    repeatable = [event(m, en_uid, stage=m.stage_repeat) for _ in range(2)]
    assert check(running, {"events": repeatable}) == []


def test_compulsory_data_element(env):
    running, m = env
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], stage=m.stage_repeat, values={m.de_number: "1"})
    assert check(running, {"trackedEntities": [t], "events": [ev]}) == ["E1303"]


def test_stored_values_answer_for_compulsory_ones_only_under_uid_scheme(env):
    # ValidationUtils#validateMandatoryDataValue: the stored values are
    # MetadataIdentifier.ofUid (2.41.9 #getEventDataValues, 2.43.1 #getSavedDataValues), the
    # stage's compulsory elements in the request's dataElementIdScheme
    running, m = env
    for de in (m.de_number, m.de_compulsory):
        running.store.put_object("dataElements", {
            **running.store.get_object("dataElements", de), "code": f"CODE_{de}"})
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], stage=m.stage_repeat)
    assert post(running, {"trackedEntities": [t], "events": [ev]}).status_code == 200
    by_uid = {**ev, "dataValues": [{"dataElement": m.de_number, "value": "2"}]}
    assert check(running, {"events": [by_uid]}) == []
    by_code = {**ev, "dataValues": [{"dataElement": f"CODE_{m.de_number}", "value": "2"}]}
    assert check(running, {"events": [by_code]}, dataElementIdScheme="CODE") == ["E1303"]


def test_capture_scope(env):
    running, m = env
    assert check(running, {"trackedEntities": [person(m)]}, auth=LEADER) == []
    outside = post(running, {"trackedEntities": [person(m, org_unit=m.sibling)]}, auth=LEADER).json()
    assert [(e["errorCode"], e["trackerType"]) for e in outside["validationReport"]["errorReports"]] \
        == [("E1000", "TRACKED_ENTITY"), ("E1000", "ENROLLMENT")]
    assert check(running, {"trackedEntities": [person(m, org_unit=m.sibling)]}, auth=OFFICER) == []


def test_program_stage_and_type_sharing(env):
    running, m = env
    t = te(m)
    closed = enrollment(m, t["trackedEntity"], program=m.program_closed, attributes={})
    assert check(running, {"trackedEntities": [t], "enrollments": [closed]}, auth=LEADER) == ["E1091"]
    assert check(running, {"trackedEntities": [t], "enrollments": [closed]}) == []  # superuser
    stage = running.store.get_object("programStages", m.stage_repeat)
    stage["sharing"]["public"] = METADATA_ONLY
    running.store.put_object("programStages", stage)
    t2 = person(m)
    ev = event(m, t2["enrollments"][0]["enrollment"], stage=m.stage_repeat)
    assert check(running, {"trackedEntities": [t2], "events": [ev]}, auth=LEADER) == ["E1095"]
    tet = running.store.get_object("trackedEntityTypes", m.tet)
    tet["sharing"]["public"] = METADATA_ONLY
    running.store.put_object("trackedEntityTypes", tet)
    assert "E1001" in check(running, {"trackedEntities": [te(m)]}, auth=LEADER)


def test_ownership_outside_search_scope(env):
    running, m = env
    # A person owned in another province: the leader searches only their own province.
    t = person(m, org_unit=m.other)
    post(running, {"trackedEntities": [t]})
    ev = event(m, t["enrollments"][0]["enrollment"], org_unit=m.commune)
    assert check(running, {"events": [ev]}, auth=LEADER) == ["E1102"]


def test_existence_codes_for_create(env):
    running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    ev = event(m, en_uid)
    post(running, {"trackedEntities": [t], "events": [ev]})
    assert check(running, {"events": [ev]}, importStrategy="CREATE") == ["E1030"]
    assert check(running, {"enrollments": [enrollment(m, t["trackedEntity"], enrollment=en_uid)]},
                 importStrategy="CREATE") == ["E1080"]


def test_metadata_references(env):
    running, m = env
    assert check(running, {"trackedEntities": [te(m, org_unit=uid())]}) == ["E1049"]
    bad_type = te(m)
    bad_type["trackedEntityType"] = uid()
    assert check(running, {"trackedEntities": [bad_type]}) == ["E1005"]
    missing = te(m)
    missing.pop("orgUnit")
    assert check(running, {"trackedEntities": [missing]}) == ["E1121"]
    t = te(m)
    assert check(running, {"enrollments": [enrollment(m, t["trackedEntity"])]}) == ["E1068"]


def test_event_program_events_need_no_enrollment(env):
    running, m = env
    ev = event(m, None, stage=m.event_stage, values={m.de_number: "2"})
    r = post(running, {"events": [ev]})
    assert r.status_code == 200 and r.json()["stats"]["created"] == 1
    no_date = event(m, None, stage=m.event_stage, status="SCHEDULE", values={})
    no_date.pop("occurredAt")
    assert "E1031" in check(running, {"events": [no_date]})


def test_relationship_validations(env):
    running, m = env
    a, b = person(m), person(m)
    post(running, {"trackedEntities": [a, b]})
    ev = event(m, a["enrollments"][0]["enrollment"])
    post(running, {"events": [ev]})

    def rel(rtype, frm, to, **extra):
        return {"relationship": uid(), "relationshipType": rtype, "from": frm, "to": to, **extra}

    te_a = {"trackedEntity": {"trackedEntity": a["trackedEntity"]}}
    te_b = {"trackedEntity": {"trackedEntity": b["trackedEntity"]}}
    ev_item = {"event": {"event": ev["event"]}}
    assert check(running, {"relationships": [rel(m.rel_type_bi, te_a, te_a)]}) == ["E4000"]
    assert check(running, {"relationships": [rel(m.rel_type, te_a, te_b)]}) == ["E4010"]
    ghost = {"event": {"event": uid()}}
    assert check(running, {"relationships": [rel(m.rel_type, te_a, ghost)]}) == ["E4012"]
    assert check(running, {"relationships": [rel(uid(), te_a, te_b)]}) == ["E4006"]
    assert check(running, {"relationships": [rel(m.rel_type, {}, ev_item)]}) == ["E4001"]
    first = rel(m.rel_type_bi, te_a, te_b)
    assert post(running, {"relationships": [first]}).status_code == 200
    assert check(running, {"relationships": [rel(m.rel_type_bi, te_b, te_a)]}) == ["E4018"]
    assert check(running, {"relationships": [rel(m.rel_type, te_a, ev_item)]}) == []


def test_a_relationship_joining_the_ends_of_an_earlier_one_of_another_type_is_dropped(env):
    # DuplicateRelationshipsPreProcessor#isDuplicate keys the relationships kept before with the
    # type of the one at hand (2.41.9, 2.42.5; 2.43.1 DuplicateRelationshipsPreprocessor)
    running, m = env
    a, b = person(m), person(m)
    post(running, {"trackedEntities": [a, b]})
    te_a = {"trackedEntity": {"trackedEntity": a["trackedEntity"]}}
    te_b = {"trackedEntity": {"trackedEntity": b["trackedEntity"]}}
    siblings = {"relationship": uid(), "relationshipType": m.rel_type_bi, "from": te_a, "to": te_b}
    # alone, a TE → TE relationship of the TE → event type breaks its `to` constraint
    peers = {"relationship": uid(), "relationshipType": m.rel_type, "from": te_a, "to": te_b}
    assert check(running, {"relationships": [peers]}) == ["E4010"]
    assert check(running, {"relationships": [siblings, peers]}) == []
    r = post(running, {"relationships": [siblings, peers]})
    assert r.json()["stats"]["created"] == 1
    # a bidirectional type also drops the inverse of an earlier one of another type
    a_to_b, b_to_a = dict(peers, relationship=uid()), dict(siblings, relationship=uid(),
                                                           **{"from": te_b, "to": te_a})
    assert codes(post(running, {"relationships": [a_to_b, b_to_a]}, importMode="VALIDATE").json()) \
        == ["E4010"]


def test_relationship_constraint_type_mismatch(env):
    running, m = env
    a = person(m)
    other_tet = running.store.get_object("trackedEntityTypes", m.tet) | {"id": "tetOther001"}
    running.store.put_object("trackedEntityTypes", other_tet)
    b = te(m)
    b["trackedEntityType"] = "tetOther001"
    post(running, {"trackedEntities": [a, b]})
    r = {"relationship": uid(), "relationshipType": m.rel_type_bi,
         "from": {"trackedEntity": {"trackedEntity": a["trackedEntity"]}},
         "to": {"trackedEntity": {"trackedEntity": b["trackedEntity"]}}}
    assert check(running, {"relationships": [r]}) == ["E4014"]


def test_children_of_invalid_parent_get_e5000(env):
    running, m = env
    t = person(m)
    t["orgUnit"] = uid()
    r = post(running, {"trackedEntities": [t]}, atomicMode="OBJECT")
    body = r.json()
    assert r.status_code == 200 and codes(body) == ["E1049", "E5000"]
    e5000 = error_for(body, "E5000")
    assert e5000["message"] == (
        f"enrollment `{t['enrollments'][0]['enrollment']}` cannot be created because "
        f"trackedEntity `{t['trackedEntity']}` referenced by it could not be created.")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_e5000_text_per_release(sandbox_factory, version):
    # ValidationCode#E5000: 2.41.9 quotes the types and says "persisted", 2.42.5/2.43.1 "created"
    running = sandbox_factory(version=version)
    m = install(running)
    t = person(m)
    t["orgUnit"] = uid()
    body = post(running, {"trackedEntities": [t]}, atomicMode="OBJECT").json()
    enrolled, entity = t["enrollments"][0]["enrollment"], t["trackedEntity"]
    assert error_for(body, "E5000")["message"] == (
        f'"enrollment" `{enrolled}` cannot be persisted because "trackedEntity" `{entity}` '
        "referenced by it cannot be persisted." if version == "2.41" else
        f"enrollment `{enrolled}` cannot be created because trackedEntity `{entity}` "
        "referenced by it could not be created.")


def test_validation_stops_at_first_failing_step(env):
    # Seq: an unknown org unit (MetaValidator) hides the attribute checks that follow.
    running, m = env
    t = te(m, org_unit=uid(), attributes={m.a_age: "not a number"})
    assert check(running, {"trackedEntities": [t]}) == ["E1049"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_repeated_error_still_stops_the_sequence(sandbox_factory, version):
    # Seq's WrappingReporter#addError marks the step failed on every call (Reporter#addError
    # keeps a duplicate, the report drops it): the second tracked entity of the same uid repeats
    # the first one's E1049 and stops there, so neither its security nor its attribute checks run.
    running = sandbox_factory(version=version)
    m = install(running)
    org_unit, same = uid(), uid()
    first = te(m, org_unit=org_unit, trackedEntity=same)
    second = te(m, org_unit=org_unit, trackedEntity=same, attributes={m.a_age: "not a number"})
    assert check(running, {"trackedEntities": [first, second]}) == ["E1049"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_reference_of_only_whitespace_is_a_missing_field(sandbox_factory, version):
    # */MandatoryFieldsValidator ask MetadataIdentifier#isBlank (commons-lang StringUtils#isBlank
    # of the identifier), so " " is E1121-E1124, not a reference the preheat could not find;
    # the same at 2.41.9, 2.42.5 and 2.43.1
    running = sandbox_factory(version=version)
    m = install(running)
    blank = te(m)
    blank["orgUnit"], blank["trackedEntityType"] = " ", "\t"
    assert check(running, {"trackedEntities": [blank]}) == ["E1121", "E1121"]
    t = person(m)
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    en = enrollment(m, t["trackedEntity"])
    en["orgUnit"], en["program"] = " ", "\u2028"
    assert check(running, {"enrollments": [en]}) == ["E1122", "E1122"]
    ev = event(m, t["enrollments"][0]["enrollment"], stage=m.stage_repeat)
    ev["orgUnit"], ev["programStage"], ev["program"] = " ", " ", " "
    assert check(running, {"events": [ev]}) == ["E1123", "E1123", "E1123"]
    item = {"trackedEntity": {"trackedEntity": t["trackedEntity"]}}
    rel = {"relationship": uid(), "relationshipType": " ", "from": item, "to": item}
    assert check(running, {"relationships": [rel]}) == ["E1124"]
    # a no-break space is no Character#isWhitespace: a reference not found
    unit = te(m)
    unit["orgUnit"] = "\u00a0"
    assert check(running, {"trackedEntities": [unit]}) == ["E1049"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_constraint_type_mismatch_names_both_types_by_the_id_scheme(sandbox_factory, version):
    # ConstraintValidator#validateTrackedEntityType: E4014's wanted type is
    # `MetadataIdentifier#identifierOf` (a String: its code under idScheme=CODE), the stored
    # entity's type `toMetadataIdentifier` by the idScheme (2.41.9, 2.42.5, 2.43.1)
    running = sandbox_factory(version=version)
    m = install(running)
    store = running.store
    store.put_object("trackedEntityTypes", store.get_object("trackedEntityTypes", m.tet) | {"code": "PERSON"})
    store.put_object("trackedEntityTypes", store.get_object("trackedEntityTypes", m.tet)
                     | {"id": "tetOther001", "name": "Other", "code": "OTHER"})
    store.put_object("relationshipTypes", store.get_object("relationshipTypes", m.rel_type_bi)
                     | {"code": "REL_BI"})
    a, b = person(m), te(m)
    b["trackedEntityType"] = "tetOther001"
    assert post(running, {"trackedEntities": [a, b]}).status_code == 200
    rel = {"relationship": uid(), "relationshipType": "REL_BI",
           "from": {"trackedEntity": {"trackedEntity": a["trackedEntity"]}},
           "to": {"trackedEntity": {"trackedEntity": b["trackedEntity"]}}}
    report = post(running, {"relationships": [rel]}, importMode="VALIDATE", idScheme="CODE").json()
    [error] = report["validationReport"]["errorReports"]
    assert error["errorCode"] == "E4014"
    assert error["args"] == ["to", "PERSON",
                             "MetadataIdentifier(idScheme=CODE, identifier=OTHER, attributeValue=null)"]
    assert "`PERSON`" in error["message"] and "`OTHER`" in error["message"]
