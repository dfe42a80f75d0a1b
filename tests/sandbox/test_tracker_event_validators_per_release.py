"""The event validator chain of POST /api/tracker per release (dhis2-core
`validator/event/EventValidator.java` and the validators it runs, at 2.41.9, 2.42.5 and
2.43.1)."""

from __future__ import annotations

from typing import Any

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import seeded_user
from tests.sandbox.tracker_fixture import Meta, codes, event, get, person, post
from tests.sandbox.tracker_fixture import uid as new_uid


def _codes(running: RunningSandbox, payload: dict[str, Any], **params: Any) -> list[str]:
    r = post(running, payload, importMode="VALIDATE", **params)
    assert r.status_code in (200, 409), r.text
    return codes(r.json())


def test_an_invalid_event_in_a_used_non_repeatable_stage_per_release(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9 RepeatedEventsValidator#validateNotMultipleEvents runs over bundle.getEvents(), so
    # an event that already failed (E1029) still gets E1039 for the stored event of its stage;
    # 2.42.5/2.43.1 look only at the events still valid.
    version, running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    assert post(running, {"trackedEntities": [t], "events": [event(m, en_uid)]}).status_code == 200
    second = event(m, en_uid, org_unit=m.unassigned)
    assert _codes(running, {"events": [second]}) == (
        ["E1029", "E1039"] if version == "2.41" else ["E1029"])


def _errors(running: RunningSandbox, payload: dict[str, Any], **params: Any
            ) -> list[dict[str, Any]]:
    r = post(running, payload, importMode="VALIDATE", **params)
    assert r.status_code in (200, 409), r.text
    errors: list[dict[str, Any]] = r.json()["validationReport"]["errorReports"]
    return errors


def _attribute_combo(running: RunningSandbox, program: str) -> str:
    """A non-default attribute category combo on the program, with its one option combo."""
    store = running.store
    sharing = {"public": "rwrw----", "external": False, "users": {}, "userGroups": {}}
    store.put_object("categoryOptions", {"id": "coAttrib001", "name": "Funded", "sharing": sharing})
    store.put_object("categoryCombos", {"id": "ccAttrib001", "name": "Funding", "sharing": sharing})
    store.put_object("categoryOptionCombos", {
        "id": "cocAttrib01", "name": "Funded", "categoryCombo": {"id": "ccAttrib001"},
        "categoryOptions": [{"id": "coAttrib001"}], "sharing": sharing})
    store.put_object("programs", store.get_object("programs", program)
                     | {"categoryCombo": {"id": "ccAttrib001"}})
    return "cocAttrib01"


def test_a_completed_event_of_a_blocking_stage_is_not_updated_from_2_43(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.43.1 BlockEntryFormAfterCompletionValidator (UPDATE only): E1326 when the stage has
    # blockEntryForm and both the payload and the stored event are COMPLETED; 2.41.9/2.42.5
    # have no such validator.
    version, running, m = env
    stage = running.store.get_object("programStages", m.stage_once)
    running.store.put_object("programStages", stage | {"blockEntryForm": True})
    t = person(m)
    done = event(m, t["enrollments"][0]["enrollment"], status="COMPLETED",
                 completedAt="2025-01-12")
    assert post(running, {"trackedEntities": [t], "events": [done]}).status_code == 200
    errors = _errors(running, {"events": [done | {"occurredAt": "2025-01-13"}]})
    if version == "2.43":
        assert [e["errorCode"] for e in errors] == ["E1326"]
        assert errors[0]["message"] == (
            f"Event `{done['event']}` is completed and its ProgramStage blocks the entry form "
            "after completion. Reopen the Event before updating.")
    else:
        assert errors == []
    reopened = done | {"status": "ACTIVE"}
    reopened.pop("completedAt")
    assert _codes(running, {"events": [reopened]}) == []


def test_a_single_event_needs_a_status_with_data_from_2_43(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.43.1 StatusValidator: a SingleEvent may be VISITED, ACTIVE or COMPLETED only (E1318);
    # 2.41.9/2.42.5 take a SKIPPED event of a program without registration.
    version, running, m = env
    skipped = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                    status="SKIPPED")
    errors = _errors(running, {"events": [skipped]})
    if version == "2.43":
        assert [e["errorCode"] for e in errors] == ["E1318"]
        assert errors[0]["message"] == "Status `SKIPPED` is not applicable for single events."
    else:
        assert errors == []


def test_an_unknown_combo_and_unknown_options_are_both_reported(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # DataRelationsValidator#validateEventCategoryOptionCombo (2.41.9, 2.42.5) and 2.43.1
    # CategoryOptionComboValidator check the combo, the options and the default combo rule
    # each before stopping.
    _, running, m = env
    single = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                   attributeOptionCombo="cocUnknown1", attributeCategoryOptions="coUnknown01")
    errors = _errors(running, {"events": [single]})
    assert [e["errorCode"] for e in errors] == ["E1115", "E1116"]
    assert errors[0]["message"] == "Could not find CategoryOptionCombo: `cocUnknown1`."
    assert errors[1]["message"] == "Could not find CategoryOption: `coUnknown01`."


def test_attribute_category_options_are_comma_separated(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # webapi MetadataIdentifierMapper#fromAttributeCategoryOptions: split on commas, trimmed,
    # empty parts dropped; options given that way name their option combo.
    _, running, m = env
    single = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                   attributeCategoryOptions="coUnknown01, coUnknown02,")
    errors = _errors(running, {"events": [single]})
    assert [(e["errorCode"], e["message"]) for e in errors] == [
        ("E1116", "Could not find CategoryOption: `coUnknown01`."),
        ("E1116", "Could not find CategoryOption: `coUnknown02`.")]
    combo = _attribute_combo(running, m.event_program)
    assert _codes(running, {"events": [single | {
        "attributeCategoryOptions": " coAttrib001 ,"}]}) == []
    assert combo == "cocAttrib01"


def test_options_name_their_option_combo_by_an_attribute_id_scheme(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # The preprocessor names the combo it found by categoryOptionComboIdScheme
    # (`TrackerIdSchemeParams#toMetadataIdentifier`): under ATTRIBUTE that attribute's value,
    # which the validators then look the combo up by (2.41.9, 2.42.5, 2.43.1)
    _, running, m = env
    _attribute_combo(running, m.event_program)
    key = "atrKeyCode1"
    running.store.put_object("attributes", {"id": key, "name": "Key", "valueType": "TEXT",
                                            "categoryOptionAttribute": True,
                                            "categoryOptionComboAttribute": True})
    for plural, uid_, value in (("categoryOptions", "coAttrib001", "KEY-CO"),
                                ("categoryOptionCombos", "cocAttrib01", "KEY-COC")):
        stored = running.store.get_object(plural, uid_)
        running.store.put_object(plural, {**stored, "attributeValues": [
            {"attribute": {"id": key}, "value": value}]})
    single = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                   attributeCategoryOptions="KEY-CO")
    assert _codes(running, {"events": [single]}, categoryOptionIdScheme=f"ATTRIBUTE:{key}",
                  categoryOptionComboIdScheme=f"ATTRIBUTE:{key}") == []


def test_options_without_their_option_combo_are_reported(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # DataRelationsValidator#validateEventCategoryOptionCombo (2.41.9, 2.42.5) and 2.43.1
    # CategoryOptionComboValidator: no option combo resolved (#validateAttributeOptionComboFound)
    # or one whose options differ from the given ones (#isNotAOCForCOs) is E1117, naming the
    # program's category combo when the payload gave no combo, else the payload's combo.
    version, running, m = env
    _attribute_combo(running, m.event_program)
    sharing = {"public": "rwrw----", "external": False, "users": {}, "userGroups": {}}
    running.store.put_object("categoryOptions", {"id": "coOther0001", "name": "Other",
                                                 "sharing": sharing})
    single = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                   attributeCategoryOptions="coOther0001")
    errors = _errors(running, {"events": [single]})
    template = ("CategoryOptionCombo does not exist for category combo `{0}` and category "
                "options `{1}`." if version == "2.41" else
                "CategoryOptionCombo not found for CategoryCombo `{0}` and CategoryOptions `{1}`.")
    assert [(e["errorCode"], e["message"]) for e in errors] == [
        ("E1117", template.format("ccAttrib001", "[coOther0001]"))]
    assert errors[0]["args"][1] == "[coOther0001]"
    errors = _errors(running, {"events": [single | {"attributeOptionCombo": "cocAttrib01"}]})
    assert [(e["errorCode"], e["message"]) for e in errors] == [
        ("E1117", template.format("cocAttrib01", "[coOther0001]"))]


def test_the_options_of_e1117_print_as_a_java_hash_set(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # #addAOCAndCOCombinationError (2.41.9, 2.42.5 event DataRelationsValidator, 2.43.1
    # CategoryOptionComboValidator): the identifiers `Collectors.toSet()` gathers, printed by
    # HashSet#toString, so in the buckets of their String#hashCode, not in payload order.
    _version, running, m = env
    _attribute_combo(running, m.event_program)
    sharing = {"public": "rwrw----", "external": False, "users": {}, "userGroups": {}}
    for co in ("coOther0001", "coOther0002"):
        running.store.put_object("categoryOptions", {"id": co, "name": co, "sharing": sharing})
    single = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                   attributeOptionCombo="cocAttrib01",
                   attributeCategoryOptions="coOther0001,coOther0002,coOther0001")
    errors = _errors(running, {"events": [single]})
    assert [e["errorCode"] for e in errors] == ["E1117"]
    assert errors[0]["args"][1] == "[coOther0002, coOther0001]"
    assert errors[0]["message"].endswith("`[coOther0002, coOther0001]`.")


def test_a_blank_option_combo_is_none(env: tuple[str, RunningSandbox, Meta]) -> None:
    # MetadataIdentifier#isBlank (StringUtils#isBlank) is what #hasNoAttributeOptionComboSet,
    # the preprocessor's #setAttributeOptionCombo and TrackerObjectsMapper ask (2.41.9
    # EventTrackerConverterService), so a combo of only whitespace is none: the default one in
    # a default program, or the one the options name; never E1115.
    _version, running, m = env
    single = event(m, None, stage=m.event_stage, values={}, program=m.event_program,
                   attributeOptionCombo=" \t")
    assert post(running, {"events": [single]}).status_code == 200
    stored = get(running, f"/api/tracker/events/{single['event']}").json()
    default = running.store.get_object("categoryOptionCombos", stored["attributeOptionCombo"])
    assert default is not None and default["name"] == "default"
    combo = _attribute_combo(running, m.event_program)
    funded = single | {"event": new_uid(), "attributeOptionCombo": "  ",
                       "attributeCategoryOptions": "coAttrib001"}
    assert _codes(running, {"events": [funded]}) == []
    assert _codes(running, {"events": [single | {"event": new_uid()}]}) == ["E1055"]
    assert combo == "cocAttrib01"
    # 2.43.1 enrollment/CategoryOptionComboValidator alike (2.41/2.42 bind no enrollment combo)
    t = person(m)
    t["enrollments"][0]["attributeOptionCombo"] = "  "
    assert post(running, {"trackedEntities": [t]}).status_code == 200


def test_a_blank_enrollment_attribute_is_e1075(env: tuple[str, RunningSandbox, Meta]) -> None:
    # enrollment/AttributeValidator#validateRequiredProperties: MetadataIdentifier#isBlank
    # (2.41.9, 2.42.5, 2.43.1), so an attribute named by whitespace is E1075, not E1006.
    _version, running, m = env
    t = person(m)
    t["enrollments"][0]["attributes"].append({"attribute": "  ", "value": "x"})
    assert _codes(running, {"trackedEntities": [t]}) == ["E1075"]


def test_an_update_import_takes_a_stored_single_event_as_one(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.43.1 ParamsConverter#buildTrackerEvents/#buildSingleEvents: on an UPDATE (or DELETE)
    # import an event is a SingleEvent when the preheat holds it as one, whatever the payload
    # names, so no TrackerEvent's E1123 `enrollment` for a payload without stage or program.
    version, running, m = env
    single = event(m, None, stage=m.event_stage, program=m.event_program, values={})
    assert post(running, {"events": [single]}).status_code == 200
    bare = {k: v for k, v in single.items() if k not in ("programStage", "program")}
    errors = _errors(running, {"events": [bare]}, importStrategy="UPDATE")
    assert [(e["errorCode"], e["args"]) for e in errors] == [
        ("E1123", ["programStage"]), ("E1123", ["program"])]
    # a CREATE_AND_UPDATE import reads the payload: neither known is a TrackerEvent on 2.43.1
    errors = _errors(running, {"events": [bare]})
    assert [e["args"] for e in errors] == (
        [["enrollment"], ["programStage"], ["program"]] if version == "2.43"
        else [["programStage"], ["program"]])


def test_a_relations_error_stops_before_the_combo_from_2_43(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9/2.42.5 DataRelationsValidator checks the org unit (E1029) and the combo (E1055) in
    # one step; 2.43.1 moved the combo to CategoryOptionComboValidator, a later step of the seq.
    version, running, m = env
    _attribute_combo(running, m.event_program)
    single = event(m, None, stage=m.event_stage, org_unit=m.unassigned, values={},
                   program=m.event_program)
    assert _codes(running, {"events": [single]}) == (
        ["E1029"] if version == "2.43" else ["E1029", "E1055"])
    assert _codes(running, {"events": [single | {"orgUnit": m.commune}]}) == ["E1055"]
    assert _codes(running, {"events": [single | {"orgUnit": m.commune,
                                                 "attributeOptionCombo": "cocAttrib01"}]}) == []


def test_the_relations_of_a_tracker_event_in_order_per_release(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9/2.42.5 DataRelationsValidator: E1313, E1089, E1033/E1079, E1029; 2.43.1: E1089,
    # E1029, then E1313/E1079 of a TrackerEvent, and a missing enrollment is the
    # MandatoryFieldsValidator's E1123 "enrollment".
    version, running, m = env
    t = person(m)
    other = {**t["enrollments"][0], "enrollment": "EnrolOther1", "program": m.program_once,
             "attributes": []}
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    assert post(running, {"enrollments": [other | {"trackedEntity": t["trackedEntity"]}]}
                ).status_code == 200
    wrong = event(m, "EnrolOther1", org_unit=m.unassigned)
    assert _codes(running, {"events": [wrong]}) == (
        ["E1029", "E1079"] if version == "2.43" else ["E1079", "E1029"])
    errors = _errors(running, {"events": [event(m, None)]})
    if version == "2.43":
        assert [(e["errorCode"], e["args"]) for e in errors] == [("E1123", ["enrollment"])]
    elif version == "2.42":
        assert [e["errorCode"] for e in errors] == ["E1033"]
    else:
        # 2.41.9 #enrollmentFromEventHasTrackedEntity has no shortcut for a missing enrollment.
        assert [e["errorCode"] for e in errors] == ["E1313", "E1033"]


def test_e1313_names_the_event_per_release(env: tuple[str, RunningSandbox, Meta]) -> None:
    # DataRelationsValidator#validateProgramWithRegistrationHasTrackedEntity: 2.41.9 passes the
    # Event itself (args its toString, the message its uid), 2.42.5 and 2.43.1 its uid.
    version, running, m = env
    ev = event(m, "EnrolMiss01")
    e1313 = next(e for e in _errors(running, {"events": [ev]}) if e["errorCode"] == "E1313")
    assert e1313["message"].startswith(
        f"Event {ev['event']} of" if version == "2.41" else f"Event `{ev['event']}` of")
    if version == "2.41":
        assert e1313["args"][0].startswith(f"Event(event={ev['event']}, status=ACTIVE, ")
    else:
        assert e1313["args"] == [ev["event"]]


def test_updatable_fields_in_order_per_release(env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.43.1 UpdatableFieldsValidator checks a TrackerEvent's enrollment before the stage;
    # 2.41.9/2.42.5 the stage first.
    version, running, m = env
    first, second = person(m), person(m)
    en_first = first["enrollments"][0]["enrollment"]
    ev = event(m, en_first)
    assert post(running, {"trackedEntities": [first, second], "events": [ev]}).status_code == 200
    moved = event(m, second["enrollments"][0]["enrollment"], stage=m.stage_repeat,
                  event=ev["event"])
    errors = _errors(running, {"events": [moved]})
    fields = [e["args"][0] for e in errors if e["errorCode"] == "E1128"]
    assert fields == (["enrollment", "programStage"] if version == "2.43"
                      else ["programStage", "enrollment"])


def test_a_skipped_event_does_not_use_up_a_non_repeatable_stage(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # preheat/supplier/EventProgramStageMapSupplier (2.41.9, 2.42.5; 2.43.1
    # TrackerEventProgramStageMapSupplier) counts only events that are not deleted and not
    # SKIPPED.
    _, running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    skipped = event(m, en_uid, status="SKIPPED")
    assert post(running, {"trackedEntities": [t], "events": [skipped]}).status_code == 200
    assert _codes(running, {"events": [event(m, en_uid)]}) == []


def test_an_event_given_only_its_options_gets_their_option_combo(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # EventProgramPreProcessor#setAttributeOptionCombo (2.41.9, 2.42.5) and 2.43.1
    # CategoryComboPreprocessor: a blank attributeOptionCombo with attributeCategoryOptions is
    # the option combo of the program's combo with exactly those options
    # (EventCategoryOptionComboSupplier), so that is what is stored.
    _, running, m = env
    combo = _attribute_combo(running, m.program)
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"]) | {"attributeCategoryOptions": "coAttrib001"}
    r = post(running, {"trackedEntities": [t], "events": [ev]})
    assert r.status_code == 200, r.text
    stored = get(running, f"/api/tracker/events/{ev['event']}").json()
    assert stored["attributeOptionCombo"] == combo
    assert stored["attributeCategoryOptions"] == "coAttrib001"
    other = person(m)
    unmatched = event(m, other["enrollments"][0]["enrollment"]) | {
        "attributeCategoryOptions": "coAttrib001;" + m.program}
    assert _codes(running, {"trackedEntities": [other], "events": [unmatched]}) == ["E1116"]


def test_options_name_the_one_option_combo_holding_them_all(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # EventCategoryOptionComboSupplier asks HibernateCategoryOptionComboStore
    # #getCategoryOptionCombo(combo, options): the option combos holding every given option,
    # so a subset finds the one larger combo (and the validator's exact match then refuses it,
    # E1117 naming that combo), while several are a NonUniqueResultException, read as none
    # (E1117 naming the program's category combo). The same at 2.41.9, 2.42.5 and 2.43.1.
    _, running, m = env
    _attribute_combo(running, m.program)
    store = running.store
    sharing = {"public": "rwrw----", "external": False, "users": {}, "userGroups": {}}
    store.put_object("categoryOptions", {"id": "coAttrib002", "name": "Rural", "sharing": sharing})
    store.put_object("categoryOptionCombos", store.get_object("categoryOptionCombos", "cocAttrib01")
                     | {"categoryOptions": [{"id": "coAttrib001"}, {"id": "coAttrib002"}]})
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"]) | {"attributeCategoryOptions": "coAttrib001"}
    [error] = _errors(running, {"trackedEntities": [t], "events": [ev]})
    assert error["errorCode"] == "E1117" and "cocAttrib01" in error["message"], error
    store.put_object("categoryOptionCombos", {
        "id": "cocAttrib02", "name": "Funded, urban", "categoryCombo": {"id": "ccAttrib001"},
        "categoryOptions": [{"id": "coAttrib001"}], "sharing": sharing})
    [several] = _errors(running, {"trackedEntities": [t], "events": [ev]})
    assert several["errorCode"] == "E1117" and "ccAttrib001" in several["message"], several


def test_an_event_outside_its_category_options_dates(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # CategoryOptValidator, first of the event's all(…): the event's date (occurredAt, else
    # scheduledAt, else now) before an option's startDate is E1056, after its endDate plus the
    # program's openDaysAfterCoEndDate E1057; dates as yyyy-MM-dd, the message per release
    # (2.41.9 ValidationCode :81-83 with commas, 2.42.5/2.43.1 :86-87).
    version, running, m = env
    _attribute_combo(running, m.program)
    store = running.store
    option = store.get_object("categoryOptions", "coAttrib001")
    store.put_object("categoryOptions", option | {"startDate": "2025-02-01T00:00:00.000"})
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"]) | {"attributeOptionCombo": "cocAttrib01"}
    [early] = _errors(running, {"trackedEntities": [t], "events": [ev]})
    assert early["errorCode"] == "E1056"
    assert early["message"] == (
        "Event date: `2025-01-12`, is before start date: `2025-02-01`, for AttributeOption: `Funded`."
        if version == "2.41" else
        "Event date: `2025-01-12` is before start date: `2025-02-01` for AttributeOption: `Funded`.")
    store.put_object("categoryOptions", option | {"endDate": "2025-01-01T00:00:00.000"})
    program = store.get_object("programs", m.program)
    store.put_object("programs", program | {"openDaysAfterCoEndDate": 5})
    [late] = _errors(running, {"trackedEntities": [t], "events": [ev]})
    name = program["name"]
    assert late["errorCode"] == "E1057"
    assert late["message"] == (
        "Event date: `2025-01-12`, is after end date: `2025-01-06`, for AttributeOption: "
        f"`Funded` in program: `{name}`."
        if version == "2.41" else
        "Event date: `2025-01-12` is after end date: `2025-01-06` for AttributeOption: "
        f"`Funded` in Program: `{name}`.")
    store.put_object("programs", program | {"openDaysAfterCoEndDate": 11})
    assert _errors(running, {"trackedEntities": [t], "events": [ev]}) == []


def _assigning_stage(running: RunningSandbox, stage_uid: str) -> None:
    stage = running.store.get_object("programStages", stage_uid)
    running.store.put_object("programStages", {**stage, "enableUserAssignment": True})


def test_the_assigned_user_is_the_account_its_username_names(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # TrackerObjectsMapper#map(event) (2.42.5 :232-238, 2.43.1 :239-245; 2.41.9
    # EventTrackerConverterService :266-272) looks the username up and stores that account:
    # the payload's uid and names are not kept, and the export writes the account's.
    _, running, m = env
    _assigning_stage(running, m.stage_once)
    leader = seeded_user(running, "group.leader")
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], assignedUser={
        "uid": "usrNotKept1", "username": "group.leader", "firstName": "Not", "surname": "Kept"})
    assert post(running, {"trackedEntities": [t], "events": [ev]}).status_code == 200
    exported = get(running, f"/api/tracker/events/{ev['event']}").json()
    assert exported["assignedUser"] == {
        "uid": leader["id"], "username": "group.leader", "firstName": leader["firstName"],
        "surname": leader["surname"],
        "displayName": f"{leader['firstName']} {leader['surname']}"}
    # an update without assignedUser keeps the stored account (the preheat's event)
    ev.pop("assignedUser")
    assert post(running, {"events": [ev]}).status_code == 200
    again = get(running, f"/api/tracker/events/{ev['event']}").json()
    assert again["assignedUser"]["uid"] == leader["id"]


def test_an_event_of_a_program_without_registration_is_assigned_the_account_too(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.43.1 TrackerObjectsMapper maps a SingleEvent's assigned user as a TrackerEvent's
    # (:309-314 beside :239-245), 2.41.9/2.42.5 their one Event the same way
    _, running, m = env
    _assigning_stage(running, m.event_stage)
    leader = seeded_user(running, "group.leader")
    ev = event(m, None, stage=m.event_stage, program=m.event_program,
               assignedUser={"username": "group.leader"})
    assert post(running, {"events": [ev]}).status_code == 200
    exported = get(running, f"/api/tracker/events/{ev['event']}").json()
    assert exported["assignedUser"]["uid"] == leader["id"]


def test_an_assigned_user_in_a_stage_without_assignment_is_only_a_warning(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # AssignedUserValidator: E1120 is a warning; the mapper assigns no one for such a stage
    _, running, m = env
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], assignedUser={"username": "group.leader"})
    r = post(running, {"trackedEntities": [t], "events": [ev]}, reportMode="FULL")
    assert r.status_code == 200, r.text
    assert [w["warningCode"] for w in r.json()["validationReport"]["warningReports"]] == ["E1120"]
    exported = get(running, f"/api/tracker/events/{ev['event']}").json()
    assert "assignedUser" not in exported


def test_an_unknown_assigned_user_prints_the_releases_domain_user(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # E1118's argument is domain/User#toString: 2.41.9 uid, username, firstName, surname;
    # 2.42.5 and 2.43.1 uid, username. A uid without a username is not looked up either.
    version, running, m = env
    _assigning_stage(running, m.stage_once)
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    unknown = event(m, en_uid, assignedUser={"username": "nobody.here", "firstName": "No"})
    by_uid = event(m, en_uid, stage=m.stage_repeat, assignedUser={"uid": "usrNoName01"})
    errors = _errors(running, {"events": [unknown, by_uid]})
    assert [e["errorCode"] for e in errors] == ["E1118", "E1118"]
    if version == "2.41":
        first = "User(uid=null, username=nobody.here, firstName=No, surname=null)"
        second = "User(uid=usrNoName01, username=null, firstName=null, surname=null)"
    else:
        first = "User(uid=null, username=nobody.here)"
        second = "User(uid=usrNoName01, username=null)"
    assert [e["args"] for e in errors] == [[first], [second]]
    user_word = "user" if version == "2.41" else "User"
    assert errors[0]["message"] == f"Assigned {user_word} `{first}` is not valid."


def test_data_values_are_checked_in_the_order_of_their_hash_set(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # view/Event#dataValues is a HashSet of the Lombok @Data view/DataValue, copied in its
    # iteration order into the domain's LinkedHashSet, which DataValuesValidator walks (2.41.9,
    # 2.42.5, 2.43.1): these two land in the set in the reverse of the payload's order
    _, running, m = env
    t = person(m)
    ev = event(m, t["enrollments"][0]["enrollment"], values={"deUnknown01": "1", "deUnknown02": "1"})
    errors = _errors(running, {"trackedEntities": [t], "events": [ev]})
    named = [e["args"][0] for e in errors if e["errorCode"] == "E1304"]
    assert [next(u for u in ("deUnknown01", "deUnknown02") if u in arg) for arg in named] == [
        "deUnknown02", "deUnknown01"]


def test_the_event_program_enrollment_follows_the_stage_and_a_tracker_event_keeps_its_own(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # 2.41.9/2.42.5 EventWithoutRegistrationPreProcessor takes the stage's program when a stage
    # is given: a tracker program's event in an event program's stage gets that program's
    # hidden enrollment, which then differs from the event's program (E1079). 2.43.1
    # ParamsConverter#buildTrackerEvents keeps an event in a tracker program's stage a
    # TrackerEvent with its enrollment (no E1123 "Missing required event property")
    version, running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    if version == "2.43":
        ev = event(m, en_uid, stage=m.stage_once, program=m.event_program)
        found = [e["errorCode"] for e in _errors(running, {"events": [ev]})]
        assert "E1123" not in found and "E1079" in found
    else:
        ev = event(m, en_uid, stage=m.event_stage, program=m.program)
        found = [e["errorCode"] for e in _errors(running, {"events": [ev]})]
        assert "E1079" in found and "E1089" in found


def test_an_assigned_user_given_by_uid_gets_its_username_until_an_event_without_one(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # AssignedUserPreProcessor (2.41.9, 2.42.5; 2.43.1 AssignedUserPreprocessor): a uid-only
    # user gets the username of the preheated account, but the loop returns at the first event
    # without an assigned user, leaving the events after it as sent
    version, running, m = env
    _assigning_stage(running, m.stage_once)
    _assigning_stage(running, m.stage_repeat)
    leader = seeded_user(running, "group.leader")
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    assert post(running, {"trackedEntities": [t]}).status_code == 200
    by_uid = event(m, en_uid, assignedUser={"uid": leader["id"]})
    assert post(running, {"events": [by_uid]}).status_code == 200
    exported = get(running, f"/api/tracker/events/{by_uid['event']}").json()
    assert exported["assignedUser"]["username"] == "group.leader"
    nobody = event(m, en_uid, stage=m.stage_repeat)
    after = event(m, en_uid, stage=m.stage_repeat, assignedUser={"uid": leader["id"]})
    errors = _errors(running, {"events": [nobody, after]})
    assert [(e["errorCode"], e["uid"]) for e in errors] == [("E1118", after["event"])]
    shown = (f"User(uid={leader['id']}, username=null, firstName=null, surname=null)"
             if version == "2.41" else f"User(uid={leader['id']}, username=null)")
    assert errors[0]["args"] == [shown]


def test_an_assigned_user_that_is_not_an_object_is_a_json_parse_error(
        env: tuple[str, RunningSandbox, Meta]) -> None:
    # view/Event#assignedUser is a view/User bean: Jackson has no String creator for it; 2.41's
    # Spring 5 appends "; nested exception is …" (test_tracker_payload_binding.py
    # ::test_a_binding_refusal_on_2_41_carries_the_nested_jackson_exception)
    version, running, m = env

    def spring6_part(message: str) -> str:
        assert ("; nested exception is " in message) == (version == "2.41"), message
        return message.split("; nested exception is ")[0]

    _assigning_stage(running, m.stage_once)
    t = person(m)
    bean = "`org.hisp.dhis.webapi.controller.tracker.view.User`"
    for value, tail in [
        ("group.leader", " (although at least one Creator exists): no String-argument "
                         "constructor/factory method to deserialize from String value "
                         "('group.leader')"),
        (7, " (although at least one Creator exists): no int/Int-argument constructor/factory "
            "method to deserialize from Number value (7)"),
    ]:
        ev = event(m, t["enrollments"][0]["enrollment"], assignedUser=value)
        r = post(running, {"trackedEntities": [t], "events": [ev]})
        assert r.status_code == 400
        assert spring6_part(r.json()["message"]) == (
            f"JSON parse error: Cannot construct instance of {bean}{tail}")
    ev = event(m, t["enrollments"][0]["enrollment"], assignedUser="")
    empty = post(running, {"trackedEntities": [t], "events": [ev]})
    assert spring6_part(empty.json()["message"]) == (
        f'JSON parse error: Cannot coerce empty String ("") to {bean} value (but could if '
        "coercion was enabled using `CoercionConfig`)")
