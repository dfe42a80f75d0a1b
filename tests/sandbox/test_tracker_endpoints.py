"""Endpoints bulk tracker clients use besides `POST /api/tracker`: file resources and the file
values that reference them, per release."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from scdi.upstream.releases import RELEASES
from tests.sandbox.helpers import bad_request_page, seeded_user
from tests.sandbox.tracker_fixture import (
    ADMIN,
    LEADER,
    Meta,
    codes,
    enrollment,
    error_for,
    event,
    get,
    post,
    te,
    uid,
)

FILE_ATTRIBUTE = "atrFileRes1"
IMAGE_ELEMENT = "deImage0001"


# a 1×1 PNG (synthetic)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def upload(running: RunningSandbox, name: str = "consent.pdf",
           content_type: str = "application/pdf", data: bytes = b"%PDF-1.4 consent",
           **params: str) -> requests.Response:
    return requests.post(f"{running.url}/api/fileResources", params=params, auth=ADMIN,
                         files={"file": (name, data, content_type)}, timeout=30)


def add_file_metadata(running: RunningSandbox, m: Meta) -> None:
    """A FILE_RESOURCE attribute on the person type and an IMAGE data element on the event
    program's stage."""
    store = running.store
    store.put_object("trackedEntityAttributes", {"id": FILE_ATTRIBUTE, "name": FILE_ATTRIBUTE,
                                                 "valueType": "FILE_RESOURCE"})
    tet = store.get_object("trackedEntityTypes", m.tet)
    tet["trackedEntityTypeAttributes"].append(
        {"trackedEntityAttribute": {"id": FILE_ATTRIBUTE}, "mandatory": False})
    store.put_object("trackedEntityTypes", tet)
    store.put_object("dataElements", {"id": IMAGE_ELEMENT, "name": IMAGE_ELEMENT,
                                      "valueType": "IMAGE", "domainType": "TRACKER"})
    stage = store.get_object("programStages", m.event_stage)
    stage["programStageDataElements"].append(
        {"dataElement": {"id": IMAGE_ELEMENT}, "compulsory": False})
    store.put_object("programStages", stage)


def single_event(m: Meta, value: str) -> dict[str, Any]:
    return {"event": uid(), "program": m.event_program, "programStage": m.event_stage,
            "orgUnit": m.commune, "status": "ACTIVE", "occurredAt": "2025-01-12",
            "dataValues": [{"dataElement": IMAGE_ELEMENT, "value": value}]}


def test_file_resource_upload_and_read(env):
    version, running, _ = env
    answer = upload(running)
    assert answer.status_code == 202
    body = answer.json()
    assert {k: body[k] for k in ("httpStatus", "httpStatusCode", "status")} == {
        "httpStatus": "Accepted", "httpStatusCode": 202, "status": "OK"}
    assert body["response"]["responseType"] == "FileResource"
    resource = body["response"]["fileResource"]
    assert {k: resource[k] for k in ("name", "contentType", "contentLength", "assigned",
                                     "domain", "storageStatus")} == {
        "name": "consent.pdf", "contentType": "application/pdf", "contentLength": 16,
        "assigned": False, "domain": "DATA_VALUE", "storageStatus": "PENDING"}
    read = requests.get(f"{running.url}/api/fileResources/{resource['id']}", auth=ADMIN,
                        timeout=30)
    assert read.status_code == 200
    assert read.json()["storageStatus"] == "STORED"
    assert "fileResourceOwner" not in read.json()
    listed = requests.get(f"{running.url}/api/fileResources", auth=ADMIN, timeout=30).json()
    assert {"id": resource["id"], "displayName": "consent.pdf"} in listed["fileResources"]
    named = requests.get(f"{running.url}/api/fileResources/{resource['id']}",
                         params={"fields": "id,name"}, auth=ADMIN, timeout=30).json()
    assert named == {"id": resource["id"], "name": "consent.pdf"}
    status = requests.get(f"{running.url}/api/fileResources/{resource['id']}",
                          params={"fields": "id,storageStatus"}, auth=ADMIN, timeout=30).json()
    assert status == {"id": resource["id"], "storageStatus": "STORED"}  # a @JsonProperty of FileResource
    missing = requests.get(f"{running.url}/api/fileResources/{uid()}", auth=ADMIN, timeout=30)
    assert missing.status_code == 404
    data = requests.get(f"{running.url}/api/fileResources/{resource['id']}/data", auth=ADMIN,
                        timeout=30)
    assert data.status_code == 403
    assert data.json()["message"] == RELEASES[version].file_resource_forbidden_message.format(
        uid=resource["id"])
    if version == "2.43":
        assert data.json()["message"] == f"File resource not found or not accessible: {resource['id']}"
    document = upload(running, domain="DOCUMENT", uid="docConsent1").json()
    assert document["response"]["fileResource"]["id"] == "docConsent1"
    content = requests.get(f"{running.url}/api/fileResources/docConsent1/data", auth=ADMIN,
                           timeout=30)
    assert content.status_code == 200
    assert content.content == b"%PDF-1.4 consent"
    # the UTF-8 characterEncodingFilter set the response's encoding: Tomcat appends it
    assert content.headers["Content-Type"] == "application/pdf;charset=UTF-8"


def test_file_values_reference_uploaded_resources(env):
    _, running, m = env
    add_file_metadata(running, m)
    file_uid = upload(running).json()["response"]["fileResource"]["id"]
    first = te(m, attributes={m.a_name: "Tran Thi B", FILE_ATTRIBUTE: file_uid})
    ok = post(running, {"trackedEntities": [first]})
    assert ok.status_code == 200, ok.json()
    stored = running.store.get_object("fileResources", file_uid)
    assert stored["assigned"] is True
    assert stored["fileResourceOwner"] == first["trackedEntity"]
    # The same file for another tracked entity: already assigned.
    again = post(running, {"trackedEntities": [te(m, attributes={FILE_ATTRIBUTE: file_uid})]})
    assert codes(again.json()) == ["E1009"]
    # An unknown file resource is a value type error.
    unknown = uid()
    bad = post(running, {"trackedEntities": [te(m, attributes={FILE_ATTRIBUTE: unknown})]})
    error = error_for(bad.json(), "E1007")
    assert error["args"] == ["FILE_RESOURCE", f"File resource `{unknown}` could not be found."]


def test_a_blank_file_value_is_a_file_resource_that_could_not_be_found(env):
    # ValidationUtils#validateValueType (2.41.9 = 2.42.5 = 2.43.1): #valueIsValid passes a
    # blank value, the file resource lookup that follows does not find one; the validators
    # skip only a null value, which is what an empty text is once read
    # (EmptyStringToNullStdDeserializer).
    _version, running, m = env
    add_file_metadata(running, m)
    empty = post(running, {"events": [single_event(m, "")],
                           "trackedEntities": [te(m, attributes={FILE_ATTRIBUTE: ""})]},
                 importMode="VALIDATE").json()
    assert codes(empty) == []
    for blank in (" ", "\t"):
        answer = post(running, {"events": [single_event(m, blank)]}, importMode="VALIDATE").json()
        assert error_for(answer, "E1302")["args"] == [
            "IMAGE", f"File resource `{blank}` could not be found."]
        person = te(m, attributes={FILE_ATTRIBUTE: blank})
        answer = post(running, {"trackedEntities": [person]}, importMode="VALIDATE").json()
        assert codes(answer) == ["E1007"]
        assert error_for(answer, "E1007")["args"] == [
            "FILE_RESOURCE", f"File resource `{blank}` could not be found."]


def test_changed_file_attribute_leaves_the_old_file_assigned(env):
    # AbstractTrackerPersister#saveOrUpdate assigns the new file only; #delete (an empty
    # value) unassigns the old one, but only a file the preheat holds (FileResourceSupplier:
    # the payload's file values), so not the one a deleted value referred to (2.41.9, 2.42.5,
    # 2.43.1)
    _, running, m = env
    add_file_metadata(running, m)
    old = upload(running).json()["response"]["fileResource"]["id"]
    new = upload(running).json()["response"]["fileResource"]["id"]
    person = te(m, attributes={FILE_ATTRIBUTE: old})
    assert post(running, {"trackedEntities": [person]}).status_code == 200
    person["attributes"] = [{"attribute": FILE_ATTRIBUTE, "value": new}]
    assert post(running, {"trackedEntities": [person]}).status_code == 200
    for uid_ in (old, new):
        stored = running.store.get_object("fileResources", uid_)
        assert (stored["assigned"], stored["fileResourceOwner"]) == (True, person["trackedEntity"])
    again = post(running, {"trackedEntities": [te(m, attributes={FILE_ATTRIBUTE: old})]})
    assert codes(again.json()) == ["E1009"]
    person["attributes"] = [{"attribute": FILE_ATTRIBUTE, "value": None}]
    assert post(running, {"trackedEntities": [person]}).status_code == 200
    assert running.store.get_object("fileResources", new)["assigned"] is True
    # named by another value of the payload (here an object that fails E1009), the file is
    # preheated and the delete unassigns it
    person["attributes"] = [{"attribute": FILE_ATTRIBUTE, "value": new}]
    assert post(running, {"trackedEntities": [person]}).status_code == 200
    person["attributes"] = [{"attribute": FILE_ATTRIBUTE, "value": None}]
    other = te(m, attributes={FILE_ATTRIBUTE: new})
    answer = post(running, {"trackedEntities": [person, other]}, atomicMode="OBJECT")
    assert codes(answer.json()) == ["E1009"]
    stored = running.store.get_object("fileResources", new)
    assert (stored["assigned"], stored["fileResourceOwner"]) == (False, person["trackedEntity"])


def _image(running: RunningSandbox, version: str) -> str:
    """A file resource that passes each release's IMAGE format check (inverted at 2.41/2.42)."""
    if RELEASES[version].tracker_image_format_check_inverted:
        answer = upload(running, "notes.txt", "text/plain", b"notes")
    else:
        answer = upload(running, "photo.png", "image/png", b"\x89PNG")
    return str(answer.json()["response"]["fileResource"]["id"])


def test_a_replaced_file_data_value_is_unassigned_only_when_preheated(env):
    # EventPersister: #updateDataValue unassigns the replaced file before assigning the new one
    # from 2.42.5 (2.41.9 #updateDataValues only assigns the new one), #deleteDataValue
    # unassigns it; both read the file from the preheat, which holds only the files the
    # payload's values name (FileResourceSupplier#preheatAdd, the same at the three tags)
    version, running, m = env
    add_file_metadata(running, m)
    first, second, third = (_image(running, version) for _ in range(3))

    def state(file_uid: str) -> tuple[bool, str | None]:
        stored = running.store.get_object("fileResources", file_uid)
        return stored["assigned"], stored.get("fileResourceOwner")

    ev = single_event(m, first)
    assert post(running, {"events": [ev]}).status_code == 200
    assert state(first) == (True, ev["event"])
    ev["dataValues"] = [{"dataElement": IMAGE_ELEMENT, "value": second}]
    assert post(running, {"events": [ev]}).status_code == 200
    assert state(first) == (True, ev["event"]) and state(second) == (True, ev["event"])
    # `second` named again by a new event (E1009, already assigned): preheated this time
    ev["dataValues"] = [{"dataElement": IMAGE_ELEMENT, "value": third}]
    answer = post(running, {"events": [ev, single_event(m, second)]}, atomicMode="OBJECT")
    assert codes(answer.json()) == ["E1009"]
    unassigns = RELEASES[version].tracker_event_update_unassigns_old_file
    assert unassigns == (version != "2.41")
    assert state(second) == (not unassigns, ev["event"]) and state(third) == (True, ev["event"])
    ev["dataValues"] = [{"dataElement": IMAGE_ELEMENT, "value": None}]
    assert post(running, {"events": [ev]}).status_code == 200
    assert state(third) == (True, ev["event"])  # not named by the payload


def test_image_format_check_per_release(env):
    version, running, m = env
    add_file_metadata(running, m)
    png = upload(running, "photo.png", "image/png", b"\x89PNG").json()
    text = upload(running, "notes.txt", "text/plain", b"notes").json()
    png_uid = png["response"]["fileResource"]["id"]
    text_uid = text["response"]["fileResource"]["id"]
    png_answer = post(running, {"events": [single_event(m, png_uid)]}).json()
    text_answer = post(running, {"events": [single_event(m, text_uid)]}).json()
    # 2.41.9 and 2.42.5 ValidationUtils#validateImage reports a VALID format; 2.43.1 fixed it.
    if RELEASES[version].tracker_image_format_check_inverted:
        assert version in ("2.41", "2.42")
        assert codes(png_answer) == ["E1302"]
        assert "is using invalid image format png." in error_for(png_answer, "E1302")["message"]
        assert codes(text_answer) == []
    else:
        assert version == "2.43"
        assert codes(png_answer) == []
        assert codes(text_answer) == ["E1302"]
        assert "is using invalid image format plain." in error_for(text_answer, "E1302")["message"]


def test_notes_imported_with_the_payload_per_release(env):
    # The creator of a note sent in POST /api/tracker (exported as `storedBy`): the importing
    # user's username at 2.41.9 (NotesConverterService#from) and 2.43.1 (TrackerObjectsMapper
    # #map), the payload's, null when none is sent, at 2.42.5; `storedAt` is the note's
    # `created`, set to now whatever the payload says, at every tag.
    version, running, m = env
    person = te(m)
    en = enrollment(m, person["trackedEntity"])
    en["notes"] = [{"note": "NoteSent001", "value": "Có người ghi", "storedBy": "field.worker",
                    "storedAt": "2020-01-02T03:04:05.000"},
                   {"note": "NoteSent002", "value": "Không ghi người"}]
    assert post(running, {"trackedEntities": [person], "enrollments": [en]}).status_code == 200
    exported = get(running, f"/api/tracker/enrollments/{en['enrollment']}", fields="notes").json()
    stored = {n["note"]: n for n in exported["notes"]}
    if RELEASES[version].tracker_note_stored_by_user:
        assert version in ("2.41", "2.43")
        assert [stored[k].get("storedBy") for k in ("NoteSent001", "NoteSent002")] == [
            "admin", "admin"], stored
    else:
        assert version == "2.42"
        assert stored["NoteSent001"]["storedBy"] == "field.worker"
        assert "storedBy" not in stored["NoteSent002"], stored
    assert not stored["NoteSent001"]["storedAt"].startswith("2020"), stored
    # `createdBy` is the note's lastUpdatedBy, a full User MapStruct maps by property name:
    # the view User's displayName too (export/NoteMapper.java)
    admin = seeded_user(running, "admin")
    assert stored["NoteSent001"]["createdBy"] == {
        "uid": admin["id"], "username": "admin", "firstName": admin["firstName"],
        "surname": admin["surname"], "displayName": admin["displayName"]}


def test_note_author_is_read_from_the_account_at_export(env):
    # A note's lastUpdatedBy is a reference to the account (Note#lastUpdatedBy, a User), so the
    # export's `createdBy` (export/NoteMapper.java) shows the account's names as they are now.
    _version, running, m = env
    person = te(m)
    en = enrollment(m, person["trackedEntity"])
    ev = event(m, en["enrollment"])
    ev["notes"] = [{"note": "NoteRenam01", "value": "Ghi chú"}]
    assert post(running, {"trackedEntities": [person], "enrollments": [en], "events": [ev]}).status_code == 200
    admin = seeded_user(running, "admin")
    renamed = requests.patch(f"{running.url}/api/users/{admin['id']}", auth=ADMIN, timeout=30,
                             headers={"Content-Type": "application/json-patch+json"},
                             data='[{"op": "replace", "path": "/firstName", "value": "Renamed"}]')
    assert renamed.status_code == 200, renamed.text
    [note] = get(running, f"/api/tracker/events/{ev['event']}", fields="notes").json()["notes"]
    assert note["createdBy"]["firstName"] == "Renamed", note
    assert note["createdBy"]["displayName"] == f"Renamed {admin['surname']}", note


def test_note_endpoints_per_release(env):
    version, running, m = env
    person = te(m)
    en = enrollment(m, person["trackedEntity"])
    ev = event(m, en["enrollment"])
    assert post(running, {"trackedEntities": [person], "enrollments": [en],
                          "events": [ev]}).status_code == 200
    url = f"{running.url}/api/tracker"
    answer = requests.post(f"{url}/enrollments/{en['enrollment']}/note", auth=ADMIN, timeout=30,
                           json={"value": "Gọi điện nhắc lịch họp", "storedBy": "field.worker"})
    if not RELEASES[version].tracker_note_endpoints:
        assert version == "2.41"
        assert answer.status_code == 404
        return
    assert answer.status_code == 200
    # ResponseEntity's bare application/json gets the charset the UTF-8 encoding filter set
    assert answer.headers["Content-Type"] == "application/json;charset=UTF-8"
    echoed = answer.json()
    assert set(echoed) == {"note", "value", "storedBy"}
    note_uid = echoed["note"]
    exported = get(running, f"/api/tracker/enrollments/{en['enrollment']}", fields="notes").json()
    [stored] = exported["notes"]
    assert stored["note"] == note_uid
    assert stored["value"] == "Gọi điện nhắc lịch họp"
    # JdbcNoteStore#saveNote's `creator`: the payload's storedBy at 2.42.5, the current user's
    # username at 2.43.1 (`tracker_note_stored_by_user`); the answer echoes the payload's.
    assert stored["storedBy"] == ("admin" if version == "2.43" else "field.worker")
    assert echoed["storedBy"] == "field.worker"
    assert stored["createdBy"]["username"] == "admin"
    assert "storedAt" in stored
    again = requests.post(f"{url}/events/{ev['event']}/note", auth=ADMIN, timeout=30,
                          json={"note": note_uid, "value": "again"})
    assert again.status_code == 400
    assert again.json()["message"] == f"Note `{note_uid}` already exists."
    empty = requests.post(f"{url}/events/{ev['event']}/note", auth=ADMIN, timeout=30,
                          json={"value": ""})
    assert empty.status_code == 400
    assert empty.json()["message"] == "Value cannot be empty"
    missing = uid()
    gone = requests.post(f"{url}/events/{missing}/note", auth=ADMIN, timeout=30,
                         json={"value": "x"})
    assert gone.status_code == 404
    assert gone.json()["message"] == f"Event with id {missing} could not be found."
    ok = requests.post(f"{url}/events/{ev['event']}/note", auth=ADMIN, timeout=30,
                       json={"value": "Đã họp"})
    assert ok.status_code == 200
    event_notes = get(running, f"/api/tracker/events/{ev['event']}", fields="notes").json()
    assert [n["value"] for n in event_notes["notes"]] == ["Đã họp"]
    # 2.43.1 DefaultNoteService#addNoteForEvent: an event of a program without registration
    # (a SingleEvent there) takes notes too.
    single = event(m, None, stage=m.event_stage, values={m.de_number: "1"})
    assert post(running, {"events": [single]}).status_code == 200
    noted = requests.post(f"{url}/events/{single['event']}/note", auth=ADMIN, timeout=30,
                          json={"note": "NoteSingl01", "value": "Sự kiện đơn"})
    assert noted.status_code == 200 and noted.json() == {"note": "NoteSingl01", "value": "Sự kiện đơn"}
    single_notes = get(running, f"/api/tracker/events/{single['event']}", fields="notes").json()
    assert [n["note"] for n in single_notes["notes"]] == ["NoteSingl01"]


def test_a_null_note_uid_is_the_domain_notes_null_check(env):
    # TrackerImportController maps the view Note before the service runs: a JSON null `note`
    # (not the missing one, which the view's @Builder.Default generates) fails the domain
    # Note's Lombok check of `@Nonnull UID note`, 500 before the target is looked up; a
    # malformed path uid is still refused first.
    version, running, _m = env
    if not RELEASES[version].tracker_note_endpoints:
        pytest.skip("the note endpoints are not mapped on 2.41")
    url = f"{running.url}/api/tracker"
    for target in (f"enrollments/{uid()}", f"events/{uid()}"):
        answer = requests.post(f"{url}/{target}/note", auth=ADMIN, timeout=30,
                               json={"note": None, "value": "x"})
        assert answer.status_code == 500, answer.text
        assert answer.json() == {"httpStatus": "Internal Server Error", "httpStatusCode": 500,
                                 "status": "ERROR",
                                 "message": "note is marked non-null but is null"}
    bad_path = requests.post(f"{url}/events/bad/note", auth=ADMIN, timeout=30,
                             json={"note": None, "value": "x"})
    assert bad_path.status_code == 400, bad_path.text


def _enrolled_for_notes(env: Any) -> tuple[Any, str]:
    """(sandbox, uid of a stored enrollment) on a release with the note endpoints."""
    version, running, m = env
    if not RELEASES[version].tracker_note_endpoints:
        pytest.skip("the note endpoints are not mapped on 2.41")
    person = te(m)
    en = enrollment(m, person["trackedEntity"])
    assert post(running, {"trackedEntities": [person], "enrollments": [en]}).status_code == 200
    return running, en["enrollment"]


def test_note_endpoint_reads_a_number_or_boolean_value_as_text(env):
    # `view/Note.value` is a String: Jackson reads 0 as "0", so DefaultNoteService#validateNote's
    # `isEmpty(note.getValue())` passes and "0" is stored and echoed (2.42.5, 2.43.1).
    running, en_uid = _enrolled_for_notes(env)
    url = f"{running.url}/api/tracker/enrollments/{en_uid}/note"
    for value, text in ((0, "0"), (False, "false")):
        r = requests.post(url, auth=ADMIN, timeout=30, json={"value": value})
        assert r.status_code == 200, r.text
        assert r.json()["value"] == text
    notes = get(running, f"/api/tracker/enrollments/{en_uid}", fields="notes").json()
    assert sorted(n["value"] for n in notes["notes"]) == ["0", "false"]


def test_note_endpoints_refuse_malformed_uids(env):
    # TrackerImportController#addNoteToEnrollment(@RequestBody Note note, @PathVariable UID uid)
    # (2.42.5, 2.43.1): the body is read first, where Jackson's `@JsonCreator UID#of` fails; the
    # path's String→UID conversion fails as a MethodArgumentTypeMismatchException.
    # CrudControllerAdvice answers both with badRequest(message), which carries no errorCode.
    running, en_uid = _enrolled_for_notes(env)
    url = f"{running.url}/api/tracker/enrollments"
    problem = "UID must be an alphanumeric string of 11 characters starting with a letter, but was: "

    def note(target: str, body: Any) -> dict[str, Any]:
        r = requests.post(f"{url}/{target}/note", json=body, auth=ADMIN, timeout=30)
        assert r.status_code == 400, r.text
        assert "errorCode" not in r.json()
        return r.json()

    assert note("bad", {"value": "x"})["message"] == (
        "Value 'bad' is not valid for path parameter uid. " + problem + "bad")
    jackson = "JSON parse error: Cannot construct instance of `org.hisp.dhis.common.UID`, problem: "
    assert note(en_uid, {"value": "x", "note": "bad"})["message"] == (
        jackson + problem + "bad")
    assert note("bad", {"value": "x", "note": "alsoBad"})["message"] == (
        jackson + problem + "alsoBad")
    assert note(en_uid, {"value": "x", "note": ""})["message"] == jackson + problem
    assert note(en_uid, {"value": "x", "storedAt": "notadate"})["message"] == (
        "JSON parse error: Invalid date format 'notadate', only 'yyyy-MM-dd'T'HH:mm:ss.SSS' "
        "format end epoch milliseconds are supported.")
    assert note(en_uid, [{"value": "x"}])["message"] == (
        "JSON parse error: Cannot deserialize value of type "
        "`org.hisp.dhis.webapi.controller.tracker.view.Note` from Array value "
        "(token `JsonToken.START_ARRAY`)")
    # The answer is the note as read, so its Instant is written by WriteInstantStdSerializer.
    echoed = requests.post(f"{url}/{en_uid}/note", auth=ADMIN, timeout=30,
                           json={"value": "x", "storedAt": "2025-03-04"})
    assert echoed.status_code == 200 and echoed.json()["storedAt"] == "2025-03-04T00:00:00.000"


_UID_CREATOR = ("JSON parse error: Cannot construct instance of `org.hisp.dhis.common.UID` "
                "(although at least one Creator exists): ")
# what jackson-databind 2.21.0 / 2.22.3 answer for a `UID` member given no text (checked by
# running them on a bean with a `@JsonCreator static of(String)`)
_NOT_A_TEXT_UID = (
    (5, _UID_CREATOR + "no int/Int-argument constructor/factory method to deserialize from "
     "Number value (5)"),
    (True, _UID_CREATOR + "no boolean/Boolean-argument constructor/factory method to "
     "deserialize from boolean value (true)"),
    ({}, _UID_CREATOR + "cannot deserialize from Object value (no delegate- or property-based "
     "Creator)"),
    ([], "JSON parse error: Cannot deserialize value of type `org.hisp.dhis.common.UID` from "
     "Array value (token `JsonToken.START_ARRAY`)"),
)


def test_a_note_uid_that_is_no_text_is_refused_before_uid_of(env):
    # view/Note.java `UID note` (2.42.5, 2.43.1 :55-57): a number or a boolean never reaches
    # `UID#of`; Spring 6 answers "JSON parse error: " + Jackson's original message, 400 without
    # errorCode, and the first refused member in the body's order answers.
    running, en_uid = _enrolled_for_notes(env)
    url = f"{running.url}/api/tracker/enrollments/{en_uid}/note"
    for value, message in _NOT_A_TEXT_UID:
        r = requests.post(url, auth=ADMIN, timeout=30, json={"note": value, "value": "x"})
        assert r.status_code == 400, (value, r.text)
        assert "errorCode" not in r.json()
        assert r.json()["message"] == message, value
    first = requests.post(url, auth=ADMIN, timeout=30,
                          json={"storedAt": "notadate", "note": 5, "value": "x"})
    assert first.json()["message"].startswith("JSON parse error: Invalid date format 'notadate'")
    notes = get(running, f"/api/tracker/enrollments/{en_uid}", fields="notes").json()
    assert notes.get("notes", []) == []


def test_potential_duplicates_per_release(env):
    version, running, m = env
    empty = get(running, "/api/potentialDuplicates").json()
    envelope = RELEASES[version].tracker_page_envelope
    if envelope == "pager+flat":
        assert version == "2.41"
        assert empty == {"pager": {"page": 1, "pageSize": 50}, "page": 1, "pageSize": 50,
                         "potentialDuplicates": []}
    else:
        assert empty == {"pager": {"page": 1, "pageSize": 50}, "potentialDuplicates": []}
    a, b = te(m), te(m)
    assert post(running, {"trackedEntities": [a, b]}).status_code == 200
    url = f"{running.url}/api/potentialDuplicates"
    pair = {"original": a["trackedEntity"], "duplicate": b["trackedEntity"]}
    created = requests.post(url, json=pair, auth=ADMIN, timeout=30)
    assert created.status_code == 200
    assert {k: created.json()[k] for k in ("original", "duplicate", "status")} == {
        **pair, "status": "OPEN"}
    listed = get(running, "/api/potentialDuplicates").json()["potentialDuplicates"]
    assert [set(d) for d in listed] == [
        {"id", "created", "lastUpdated", "original", "duplicate", "status"}]
    assert get(running, "/api/potentialDuplicates", status="MERGED").json()[
        "potentialDuplicates"] == []
    # a status Spring cannot bind to DeduplicationStatus: badRequest(String), no errorCode
    unbound = get(running, "/api/potentialDuplicates", status="LOST")
    assert unbound.status_code == 400 and "errorCode" not in unbound.json()
    # #getEnumErrorMessage lists DeduplicationStatus in declaration order; ConvertEnum refuses
    # the empty value too and reads any case
    valid = "Valid values are: [ALL, OPEN, INVALID, MERGED]"
    assert unbound.json()["message"] == f"Value 'LOST' is not valid for parameter status. {valid}"
    empty = get(running, "/api/potentialDuplicates", status="")
    assert (empty.status_code, empty.json()["message"]) == (400, f"status cannot be empty. {valid}")
    assert get(running, "/api/potentialDuplicates", status="open").json()[
        "potentialDuplicates"] == listed
    again = requests.post(url, json={"original": b["trackedEntity"],
                                     "duplicate": a["trackedEntity"]}, auth=ADMIN, timeout=30)
    assert again.status_code == 409
    # DeduplicationController#postPotentialDuplicate: ConflictException (E1004); a status other
    # than OPEN is PotentialDuplicateConflictException → CrudControllerAdvice
    # #handlePotentialDuplicateConflictRequest → conflict(String), no errorCode.
    assert again.json()["errorCode"] == "E1004"
    c = te(m)
    assert post(running, {"trackedEntities": [c]}).status_code == 200
    merged = requests.post(url, json={"original": a["trackedEntity"], "duplicate": c["trackedEntity"],
                                      "status": "MERGED"}, auth=ADMIN, timeout=30)
    assert merged.status_code == 409
    assert merged.json()["message"] == (
        "Invalid status MERGED, creating potential duplicate is allowed using: OPEN")
    assert "errorCode" not in merged.json()
    missing = requests.post(url, json={"original": a["trackedEntity"]}, auth=ADMIN, timeout=30)
    assert missing.status_code == 400
    assert missing.json()["message"] == "Missing required input property 'duplicate'"
    assert missing.json()["errorCode"] == "E1003"  # feedback/BadRequestException
    listed_body = requests.post(url, json=[pair], auth=ADMIN, timeout=30)
    assert listed_body.status_code == 400 and "errorCode" not in listed_body.json()
    unknown = uid()
    one = get(running, f"/api/potentialDuplicates/{unknown}")
    assert one.status_code == 404
    if RELEASES[version].potential_duplicate_not_found_legacy:
        assert one.json()["message"] == f"No potentialDuplicate records found with id '{unknown}'."
    else:
        assert one.json()["message"] == f"PotentialDuplicate with id {unknown} could not be found."


def test_potential_duplicate_checks_per_release(env):
    # DeduplicationController#validatePotentialDuplicate: 2.41.9 (webapi/controller/
    # deduplication/, :216-231) each id a UID (:246-261), then each tracked entity found
    # (:263-268, soft-deleted ones too) and readable (:270-276), then the pair; 2.42.5 / 2.43.1
    # (:206-217 / :203-214) the pair, then TrackedEntityService#getTrackedEntity(UID) (404)
    version, running, m = env
    legacy = RELEASES[version].potential_duplicate_entities_first
    assert legacy == (version == "2.41")
    url = f"{running.url}/api/potentialDuplicates"
    a, b, far = te(m), te(m), te(m, org_unit=m.other)
    assert post(running, {"trackedEntities": [a, b, far]}).status_code == 200
    a_uid, b_uid, far_uid = a["trackedEntity"], b["trackedEntity"], far["trackedEntity"]

    def send(body: dict[str, Any], auth: tuple[str, str] = ADMIN) -> requests.Response:
        return requests.post(url, json=body, auth=auth, timeout=30)

    bad = send({"original": "nouid", "duplicate": None})  # 2.42.5/2.43.1 bind `UID`s
    unknown = send({"original": a_uid, "duplicate": "Ab3defghij1"})
    hidden = send({"original": far_uid, "duplicate": a_uid}, auth=LEADER)
    if legacy:
        assert (bad.status_code, bad.json()["errorCode"], bad.json()["message"]) == (
            400, "E1003", "'nouid' is not valid value for property 'original'")
        assert (unknown.status_code, unknown.json()["message"]) == (
            404, "No tracked entity found with id 'Ab3defghij1'.")
        assert (hidden.status_code, hidden.json()["errorCode"], hidden.json()["message"]) == (
            403, "E1006", f"You don't have read access to '{far_uid}'.")
    else:
        # PotentialDuplicate's `UID` fields: Jackson's refusal, a 400 without errorCode
        assert bad.status_code == 400 and "errorCode" not in bad.json()
        assert bad.json()["message"] == (
            "JSON parse error: Cannot construct instance of `org.hisp.dhis.common.UID`, problem: "
            "UID must be an alphanumeric string of 11 characters starting with a letter, but was: "
            "nouid")
        assert (unknown.status_code, unknown.json()["message"]) == (
            404, "TrackedEntity with id Ab3defghij1 could not be found.")
        assert (hidden.status_code, hidden.json()["message"]) == (
            404, f"TrackedEntity with id {far_uid} could not be found.")
    assert send({"original": a_uid, "duplicate": b_uid}).status_code == 200
    # a stored pair naming an entity one may not read: 2.41.9 asks canRead first (403),
    # 2.42.5 / 2.43.1 find the pair first (409)
    assert send({"original": a_uid, "duplicate": far_uid}).status_code == 200
    again = send({"original": far_uid, "duplicate": a_uid}, auth=LEADER)
    assert again.status_code == (403 if legacy else 409)
    # 2.41.9's legacy TrackedEntityService#getTrackedEntity(String) finds a soft-deleted entity
    gone = te(m)
    assert post(running, {"trackedEntities": [gone]}).status_code == 200
    assert post(running, {"trackedEntities": [{"trackedEntity": gone["trackedEntity"]}]},
                importStrategy="DELETE").status_code == 200
    deleted = send({"original": b_uid, "duplicate": gone["trackedEntity"]})
    assert deleted.status_code == (200 if legacy else 404), deleted.text



def test_potential_duplicate_ids_that_are_no_text_per_release(env):
    # 2.42.5 / 2.43.1 tracker/deduplication/PotentialDuplicate.java types `original` and
    # `duplicate` as `UID` (2.42.5 :43/:49, 2.43.1 :90/:99): a number, a boolean, an object or
    # an array never reaches `UID#of`, and "" is `UID#of`'s refusal, each before the
    # controller's checks. 2.41.9's are Strings (:43/:49) read by
    # EmptyStringToNullStdDeserializer: "" is null, `false` the text "false", which
    # DeduplicationController#checkValidTrackedEntity (2.41.9 :246-261) refuses as no UID.
    version, running, m = env
    a = te(m)
    assert post(running, {"trackedEntities": [a]}).status_code == 200
    url = f"{running.url}/api/potentialDuplicates"

    def send(body: dict[str, Any]) -> requests.Response:
        return requests.post(url, json=body, auth=ADMIN, timeout=30)

    problem = ("JSON parse error: Cannot construct instance of `org.hisp.dhis.common.UID`, "
               "problem: UID must be an alphanumeric string of 11 characters starting with a "
               "letter, but was: ")
    typed = not RELEASES[version].potential_duplicate_entities_first
    for value, message in _NOT_A_TEXT_UID:
        r = send({"original": a["trackedEntity"], "duplicate": value})
        assert r.status_code == 400, (value, r.text)
        if typed:
            assert "errorCode" not in r.json()
            assert r.json()["message"] == message, value
    boolean = send({"original": a["trackedEntity"], "duplicate": False})
    empty = send({"original": "", "duplicate": a["trackedEntity"]})
    # the first refused member in the body's order
    both = send({"duplicate": 5, "original": "nouid"})
    if typed:
        assert empty.json()["message"] == problem
        assert both.json()["message"] == _NOT_A_TEXT_UID[0][1]
    else:
        assert boolean.json()["message"] == "'false' is not valid value for property 'duplicate'"
        assert empty.json()["message"] == "Missing required input property 'original'"
        assert both.json()["message"] == "'nouid' is not valid value for property 'original'"
        number = send({"original": 5, "duplicate": a["trackedEntity"]})
        assert number.json()["message"] == "'5' is not valid value for property 'original'"
    assert empty.status_code == 400 and both.status_code == 400
    assert get(running, "/api/potentialDuplicates").json()["potentialDuplicates"] == []


def test_icons_answer_an_empty_list_in_dhis2_shape(env):
    _, running, _ = env
    listed = get(running, "/api/icons")
    assert listed.status_code == 200
    assert listed.json() == {"pager": {"page": 1, "total": 0, "pageSize": 50, "pageCount": 0},
                             "icons": []}
    assert get(running, "/api/icons", paging="false").json() == {"icons": []}
    unknown = get(running, "/api/icons/hospital_positive")
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "Icon with id hospital_positive could not be found."


def test_icon_query_params_are_bound_at_every_release(env):
    """IconController#getAllIcons binds IconQueryParams as a bean at 2.41.9 too: an unconvertible
    `paging`, `page`, `pageSize` or `type` (IconTypeFilter, ConvertEnum) is 400 without errorCode, the first
    in name order; the deprecated `/{key}/icon.svg` is the same 404 as `/{key}`."""
    _, running, _ = env
    paging = get(running, "/api/icons", paging="maybe")
    assert paging.status_code == 400 and "errorCode" not in paging.json()
    assert paging.json()["message"] == (
        "Value 'maybe' is not valid for parameter paging. It should be of type boolean")
    assert get(running, "/api/icons", paging="no").json() == {"icons": []}
    # IconTypeFilter is bound by CrudControllerAdvice's ConvertEnum: any case, untrimmed, the
    # empty value refused
    kind = get(running, "/api/icons", type=" all")
    assert kind.status_code == 400 and kind.json()["message"] == (
        "Value ' all' is not valid for parameter type. Valid values are: [ALL, CUSTOM, DEFAULT]")
    empty = get(running, "/api/icons", type="")
    assert empty.status_code == 400 and empty.json()["message"] == (
        "type cannot be empty. Valid values are: [ALL, CUSTOM, DEFAULT]")
    assert get(running, "/api/icons", type="CUSTOM").status_code == 200
    assert get(running, "/api/icons", type="custom").status_code == 200
    # `type` then `pageSize` in the request; `pageSize` first by name
    both = get(running, "/api/icons", type="x", pageSize="ten")
    assert both.json()["message"] == (
        "Value 'ten' is not valid for parameter pageSize. It should be of type int")
    # StringToNumberConverterFactory: Integer#valueOf reads any Unicode decimal digit
    # (Character#digit), `0x` hex through Integer#decode; the int range still holds
    read = get(running, "/api/icons", page="\u0662", pageSize="0x10")
    assert (read.status_code, read.json()["pager"]["pageSize"]) == (200, 16), read.text
    assert get(running, "/api/icons", pageSize="99999999999").status_code == 400
    svg = get(running, "/api/icons/hospital_positive/icon.svg")
    assert svg.status_code == 404 and svg.json()["errorCode"] == "E1005"
    assert svg.json()["message"] == "Icon with id hospital_positive could not be found."


def test_change_logs_per_release(env):
    version, running, m = env
    # 2.43 logs the changes of a type / program with enableChangeLog only, 2.41 an attribute's
    # of a type with allowAuditLog only
    for plural, object_uid in (("trackedEntityTypes", m.tet), ("programs", m.program)):
        obj = running.store.get_object(plural, object_uid)
        obj["enableChangeLog"] = True
        obj["allowAuditLog"] = plural == "trackedEntityTypes"
        running.store.put_object(plural, obj)
    person = te(m, attributes={m.a_name: "Le Van C"})
    en = enrollment(m, person["trackedEntity"])
    ev = event(m, en["enrollment"], values={m.de_number: "3"})
    assert post(running, {"trackedEntities": [person], "enrollments": [en],
                          "events": [ev]}).status_code == 200
    person["attributes"] = [{"attribute": m.a_name, "value": "Le Van D"}]
    ev["dataValues"] = [{"dataElement": m.de_number, "value": None}]
    ev["occurredAt"] = "2025-01-13"
    assert post(running, {"trackedEntities": [person], "events": [ev]}).status_code == 200

    te_logs = get(running, f"/api/tracker/trackedEntities/{person['trackedEntity']}/changeLogs")
    assert te_logs.status_code == 200
    body = te_logs.json()
    name_changes = [e for e in body["changeLogs"]
                    if e["change"]["attributeValue"]["attribute"] == m.a_name]
    assert [(e["type"], e["change"]["attributeValue"]) for e in name_changes] == [
        ("UPDATE", {"attribute": m.a_name, "previousValue": "Le Van C",
                    "currentValue": "Le Van D"}),
        ("CREATE", {"attribute": m.a_name, "currentValue": "Le Van C"})]
    assert name_changes[0]["createdBy"]["username"] == "admin"
    assert set(name_changes[0]) == {"createdBy", "createdAt", "type", "change"}
    # the linked pager at every release: 2.41.9 answers through FieldFilterRequestHandler#handle,
    # whose Page has no flat fields
    assert body["pager"] == {"page": 1, "pageSize": 50} and "page" not in body

    ev_logs = get(running, f"/api/tracker/events/{ev['event']}/changeLogs").json()["changeLogs"]
    changes = [(e["type"], e["change"]) for e in ev_logs]
    assert ("DELETE", {"dataValue": {"dataElement": m.de_number, "previousValue": "3"}}) in changes
    assert ("CREATE", {"dataValue": {"dataElement": m.de_number, "currentValue": "3"}}) in changes
    field_changes = [c for _, c in changes if "eventField" in c]
    if RELEASES[version].tracker_event_field_change_logs:
        assert version in ("2.42", "2.43")
        assert [c["eventField"]["field"] for c in field_changes] == ["occurredAt"]
    else:
        assert field_changes == []
    missing = uid()
    gone = get(running, f"/api/tracker/events/{missing}/changeLogs")
    assert gone.status_code == 404
    assert gone.json()["message"] == f"Event with id {missing} could not be found."


def test_file_resource_data_follows_check_sharing(env):
    """FileResourceController#checkSharing: PUSH_ANALYSIS files are not served on 2.41.9/2.42.5
    (:220/:223); 2.43.1 has no PUSH_ANALYSIS domain (FileResourceDomain, V2_43_38 deletes such
    files), so none is uploaded; a USER_AVATAR file needs F_USER_VIEW or being the reader's own
    avatar (all three tags)."""
    version, running, _ = env
    viewer = ("dashboard.viewer", "district")

    def data(uid: str, auth: tuple[str, str] = ADMIN) -> requests.Response:
        return requests.get(f"{running.url}/api/fileResources/{uid}/data", auth=auth, timeout=30)

    sent = upload(running, domain="PUSH_ANALYSIS", uid="pushReport1")
    pushed = data("pushReport1")
    if version == "2.43":
        assert sent.status_code == 400 and pushed.status_code == 404
    else:
        assert pushed.status_code == 403
        assert pushed.json()["message"] == RELEASES[version].file_resource_forbidden_message.format(
            uid="pushReport1")
    avatar = upload(running, name="face.png", content_type="image/png", data=PNG,
                    domain="USER_AVATAR", uid="avatarFile1")
    assert avatar.status_code == 202, avatar.text
    served = data("avatarFile1")
    assert served.status_code == 200  # superuser: F_USER_VIEW
    # HeaderUtils#setSecurityHeaders replaces CspFilter's policies and sets its own
    # X-XSS-Protection before Spring Security's writer looks
    assert served.raw.headers.getlist("Content-Security-Policy") == ["script-src 'none'; "]
    assert (served.headers["X-XSS-Protection"], served.headers["X-Content-Type-Options"]) == (
        "1; mode=block", "nosniff")
    denied = data("avatarFile1", viewer)
    assert denied.status_code == 403
    assert denied.json()["message"] == RELEASES[version].file_resource_forbidden_message.format(
        uid="avatarFile1")
    account = seeded_user(running, viewer[0])
    running.store.put_object("users", {**account, "avatar": {"id": "avatarFile1"}})
    assert data("avatarFile1", viewer).status_code == 200


def test_file_resource_upload_refusals_per_release(env):
    version, running, _ = env
    # RequestParamMethodArgumentResolver#handleMissingValueInternal: no multipart request is a
    # MultipartException (CrudControllerAdvice#defaultExceptionHandler's 500), a multipart one
    # without the part a MissingServletRequestPartException, rethrown: the container's 400 page
    not_multipart = requests.post(f"{running.url}/api/fileResources", auth=ADMIN, timeout=30)
    assert not_multipart.status_code == 500
    assert not_multipart.json()["message"] == "Current request is not a multipart request"
    no_part = requests.post(f"{running.url}/api/fileResources", auth=ADMIN, timeout=30,
                            files={"other": ("consent.pdf", b"%PDF-1.4", "application/pdf")})
    assert bad_request_page(no_part) == ("Required request part 'file' is not present"
                                         if version == "2.41" else "Required part 'file' is not present.")
    domain = upload(running, domain="NOWHERE")
    assert domain.status_code == 400 and "errorCode" not in domain.json()
    # CrudControllerAdvice quotes the value and lists FileResourceDomain's constants, which
    # have no PUSH_ANALYSIS at 2.43.1
    listed = ["DATA_VALUE", "PUSH_ANALYSIS", "DOCUMENT", "MESSAGE_ATTACHMENT", "USER_AVATAR",
              "ORG_UNIT", "ICON", "JOB_DATA"]
    if version == "2.43":
        listed.remove("PUSH_ANALYSIS")
    assert domain.json()["message"] == (
        f"Value 'NOWHERE' is not valid for parameter domain. Valid values are: [{', '.join(listed)}]")
    # ConvertEnum reads any case; an empty value is the @RequestParam's defaultValue
    for given, bound in (("document", "DOCUMENT"), ("", "DATA_VALUE")):
        saved = upload(running, domain=given)
        assert saved.status_code == 202, saved.text
        assert saved.json()["response"]["fileResource"]["domain"] == bound
    padded = upload(running, domain=" DOCUMENT")
    assert padded.json()["message"].startswith("Value ' DOCUMENT' is not valid for parameter domain.")
    push = upload(running, domain="PUSH_ANALYSIS")
    assert push.status_code == (400 if version == "2.43" else 202), push.text
    # FileResourceController#saveFileResource binds `uid` as a UID from 2.43.1 only
    odd = upload(running, uid="1bcdefghijk")
    if RELEASES[version].file_resource_uid_typed:
        assert version == "2.43"
        assert odd.status_code == 400 and "errorCode" not in odd.json()
        assert odd.json()["message"] == (
            "Value '1bcdefghijk' is not valid for parameter uid. UID must be an alphanumeric "
            "string of 11 characters starting with a letter, but was: 1bcdefghijk")
        # an empty value reaches `UID#of` too (Spring's ObjectToObjectConverter)
        empty = upload(running, uid="")
        assert empty.status_code == 400 and empty.json()["message"] == (
            "uid cannot be empty. UID must be an alphanumeric string of 11 characters starting "
            "with a letter, but was: ")
    else:
        assert odd.status_code == 202, odd.text
        assert odd.json()["response"]["fileResource"]["id"] == "1bcdefghijk"


def test_file_resource_upload_checks_the_part_per_domain(env):
    """FileResourceController#saveFileResource: the size limit (10 000 000), then ICON's
    extension, USER_AVATAR's and ORG_UNIT's content type and extension, and their own size
    limits (FileResourceUtils#validate*): IllegalQueryException, 409 without errorCode."""
    _, running, _ = env

    def refused(message: str, **given: Any) -> None:
        answer = upload(running, **given)
        assert answer.status_code == 409, answer.text
        assert "errorCode" not in answer.json() and answer.json()["message"] == message

    images = "Invalid content type, valid content types are: image/jpeg,image/png,image/gif"
    extensions = "Wrong file extension, valid extensions are: jpg,jpeg,png,gif"
    refused(images, domain="USER_AVATAR")
    refused(images, domain="ORG_UNIT", name="map.png", content_type="image/svg+xml")
    refused(extensions, domain="USER_AVATAR", name="face.PNG", content_type="image/png; q=1")
    refused(extensions, domain="ORG_UNIT", name="map", content_type="image/gif")
    refused("Wrong file extension, valid extensions are: png", domain="ICON", name="icon.jpg",
            content_type="image/jpeg")
    refused("File size can't be bigger than 2000000, current file size 2000001",
            domain="USER_AVATAR", name="face.jpeg", content_type="image/jpeg",
            data=b"\xff" * 2_000_001)
    refused("File size can't be bigger than 10000000, current file size 10000001",
            domain="DOCUMENT", data=b"%" * 10_000_001)
    no_type = requests.post(f"{running.url}/api/fileResources", params={"domain": "USER_AVATAR"},
                            files={"file": ("face.png", PNG)}, auth=ADMIN, timeout=30)
    assert no_type.status_code == 409
    assert no_type.json()["message"] == "Invalid content type, content type is NULL"
    # ICON reads no content type
    assert upload(running, domain="ICON", name="icon.png").status_code == 202


def test_file_resource_blocklist_refuses_web_and_executable_files(env):
    """DefaultFileResourceService#validateFileResource, at the save after E1004 and E1119:
    FileResourceBlocklist (the whole content type or the name's extension, lower-cased) →
    IllegalQueryException(E6101), 409 "File type not allowed"."""
    _, running, _ = env
    for name, content_type in (("page.txt", "TEXT/HTML"), ("tools/run.EXE", "application/pdf"),
                               ("script.js", "text/plain")):
        answer = upload(running, name=name, content_type=content_type)
        assert answer.status_code == 409, (name, answer.text)
        assert (answer.json()["errorCode"], answer.json()["message"]) == (
            "E6101", "File type not allowed")
    # the content type is compared whole: a parameter lets it through
    assert upload(running, name="page.txt", content_type="text/html; charset=UTF-8"
                  ).status_code == 202
    assert upload(running, name="page.js", data=b"").json()["errorCode"] == "E1004"


def test_file_resource_keeps_the_content_type_as_sent(env):
    """FileResourceUtils#saveFileResource keeps the part's Content-Type as sent when
    MimeTypeUtils#parseMimeType reads it, else application/octet-stream."""
    _, running, _ = env
    for sent, kept in (("text/plain; charset=UTF-8", "text/plain; charset=UTF-8"),
                       ("Text/CSV", "Text/CSV"), ("nonsense", "application/octet-stream"),
                       ("text/plain; charset=nope", "application/octet-stream")):
        answer = upload(running, name="notes.txt", content_type=sent, data=b"synthetic")
        assert answer.status_code == 202, answer.text
        assert answer.json()["response"]["fileResource"]["contentType"] == kept, sent
    # served with Tomcat's `;charset=UTF-8` after a type that names no charset, an image's
    # too; a type naming one is rebuilt around it
    for sent, served in (("image/png", "image/png;charset=UTF-8"),
                         ("text/plain; Format=flowed; charset=\"ISO-8859-1\"",
                          "text/plain;format=flowed;charset=ISO-8859-1")):
        stored = upload(running, name="notes.png", content_type=sent, data=b"synthetic",
                        domain="DOCUMENT").json()["response"]["fileResource"]
        assert stored["contentType"] == sent
        data = requests.get(f"{running.url}/api/fileResources/{stored['id']}/data",
                            auth=ADMIN, timeout=30)
        assert (data.status_code, data.headers["Content-Type"]) == (200, served), sent


def test_file_resource_reads_bind_the_dimension(env):
    """FileResourceController#getFileResource / #getFileResourceData bind `dimension` as an
    ImageFileDimension (ConvertEnum: any case; another value, or an empty one, 400 without
    errorCode) before the lookup; the `fields` read (#getObject) has no such parameter."""
    _, running, _ = env
    assert upload(running, uid="dimension01").status_code == 202
    refusal = ("Value 'huge' is not valid for parameter dimension. Valid values are: "
               "[SMALL, MEDIUM, LARGE, ORIGINAL]")
    for tail in ("dimension01", "dimension01/data", "unknownFile/data"):
        got = requests.get(f"{running.url}/api/fileResources/{tail}",
                           params={"dimension": "huge"}, auth=ADMIN, timeout=30)
        assert got.status_code == 400 and "errorCode" not in got.json(), (tail, got.text)
        assert got.json()["message"] == refusal
    for given in ("small", "ORIGINAL"):
        got = requests.get(f"{running.url}/api/fileResources/dimension01",
                           params={"dimension": given}, auth=ADMIN, timeout=30)
        assert got.status_code == 200, got.text
    empty = requests.get(f"{running.url}/api/fileResources/dimension01",
                         params={"dimension": ""}, auth=ADMIN, timeout=30)
    assert empty.status_code == 400
    with_fields = requests.get(f"{running.url}/api/fileResources/dimension01",
                               params={"dimension": "huge", "fields": "id"}, auth=ADMIN,
                               timeout=30)
    assert with_fields.json() == {"id": "dimension01"}


def test_file_resource_save_refuses_an_empty_file_then_a_taken_uid(env):
    """FileResourceUtils#saveFileResource (2.41.9, 2.42.5, 2.43.1): the name without its path
    ("untitled" when blank), an empty file 409 E1004, then a uid already stored 409 E1119."""
    _, running, _ = env
    empty = upload(running, data=b"", uid="takenFile01")
    assert empty.status_code == 409 and empty.json()["errorCode"] == "E1004"
    assert empty.json()["message"] == "Could not read file or file is empty."
    first = upload(running, name="scans/2024/consent.pdf", uid="takenFile01")
    assert first.status_code == 202
    assert first.json()["response"]["fileResource"]["name"] == "consent.pdf"
    again = upload(running, uid="takenFile01")
    assert again.status_code == 409 and again.json()["errorCode"] == "E1119"
    assert again.json()["message"] == "FileResource already exists: `takenFile01`"
    assert upload(running, data=b"", uid="takenFile01").json()["errorCode"] == "E1004"
    blank = upload(running, name="  ")
    assert blank.json()["response"]["fileResource"]["name"] == "untitled"


def test_file_resource_reads_bind_the_path_uid_per_release(env):
    """FileResourceController binds the `{uid}` of #getFileResource, #getObject (with `fields`)
    and #getFileResourceData as a UID at 2.43.1 (:101/:112/:128): a malformed one is Spring's
    400 before the lookup; 2.41.9/2.42.5 take a String and find nothing (404)."""
    version, running, _ = env
    for tail in ("1bcdefghijk", "1bcdefghijk?fields=id", "1bcdefghijk/data"):
        got = requests.get(f"{running.url}/api/fileResources/{tail}", auth=ADMIN, timeout=30)
        if version == "2.43":
            assert got.status_code == 400 and "errorCode" not in got.json(), (tail, got.text)
            assert got.json()["message"] == (
                "Value '1bcdefghijk' is not valid for path parameter uid. UID must be an "
                "alphanumeric string of 11 characters starting with a letter, but was: 1bcdefghijk")
        else:
            assert got.status_code == 404 and got.json()["errorCode"] == "E1005", (tail, got.text)


def test_file_resource_read_with_fields_maps_any_path_uid(env):
    """FileResourceController#getObject (the `fields` read) maps `@GetMapping(value = "/{uid}",
    params = "fields")` without AbstractFullReadOnlyController's `{uid:[a-zA-Z0-9]{11}}`
    pattern (2.41.9 :97-99, 2.42.5 :100-102, 2.43.1 :99-101): an id that is no 11 alphanumerics
    reaches `super.getObject` and is not found (404 E1005) rather than 2.42's 405 of an
    unmatched mapping; 2.43.1 binds it as a UID first (400)."""
    version, running, _ = env
    for tail in ("abc?fields=id", "abc", "abc/data"):
        got = requests.get(f"{running.url}/api/fileResources/{tail}", auth=ADMIN, timeout=30)
        if version == "2.43":
            assert got.status_code == 400 and "errorCode" not in got.json(), (tail, got.text)
            assert got.json()["message"].startswith(
                "Value 'abc' is not valid for path parameter uid."), (tail, got.text)
        else:
            assert got.status_code == 404, (tail, got.text)
            assert got.json()["errorCode"] == "E1005", (tail, got.text)
            assert got.json()["message"] == "FileResource with id abc could not be found."


def test_file_resource_owners_is_its_own_mapping(env):
    """FileResourceController#getFileResourceOwners, `@GetMapping("/owners")` (2.41.9 :203-206,
    2.42.5 :206-209, 2.43.1 :201-204): a literal path Spring prefers to `/{uid}`, so `owners`
    is never looked up (nor, on 2.43, bound) as a uid; `storageKey` is required, and a key no
    file resource has answers an empty list (storage keys are random, never written)."""
    _, running, _ = env
    url = f"{running.url}/api/fileResources/owners"
    missing = requests.get(url, auth=ADMIN, timeout=30)
    assert missing.status_code == 400 and "errorCode" not in missing.json(), missing.text
    assert missing.json()["message"] == (
        "Required request parameter 'storageKey' for method parameter type String is not present")
    for key in ("", "dataValue/abc", "owners"):
        got = requests.get(url, params={"storageKey": key, "fields": "id"}, auth=ADMIN,
                           timeout=30)
        assert (got.status_code, got.json()) == (200, []), (key, got.text)


def test_file_resource_list_filters_its_enums(env):
    """QueryUtils#parseValue reads a filter on an enum property with `Enums#getIfPresent` of
    the property's klass (2.42.5 :120-182): a FileResource's `domain` (the release's
    FileResourceDomain, without PUSH_ANALYSIS at 2.43.1) and `storageStatus`
    (FileResourceStorageStatus) filter the generic list, another value is refused naming the
    constants."""
    version, running, _ = env
    url = f"{running.url}/api/fileResources"
    sent = requests.post(url, params={"domain": "ORG_UNIT"}, auth=ADMIN, timeout=30,
                         files={"file": ("unit.png", b"\x89PNG unit", "image/png")})
    assert sent.status_code == 202, sent.text
    uid = sent.json()["response"]["fileResource"]["id"]

    def listed(query: str) -> requests.Response:
        return requests.get(url, auth=ADMIN, timeout=30, params={
            "filter": query, "fields": "id,domain", "paging": "false"})

    units = listed("domain:eq:ORG_UNIT").json()["fileResources"]
    assert {"id": uid, "domain": "ORG_UNIT"} in units
    assert {f["domain"] for f in units} == {"ORG_UNIT"}
    assert {"id": uid, "domain": "ORG_UNIT"} in listed("storageStatus:eq:STORED").json()[
        "fileResources"]
    domains = ("DATA_VALUE, " + ("" if version == "2.43" else "PUSH_ANALYSIS, ")
               + "DOCUMENT, MESSAGE_ATTACHMENT, USER_AVATAR, ORG_UNIT, ICON, JOB_DATA")
    for query, klass, constants in (
            ("domain:eq:org_unit", "FileResourceDomain", domains),
            ("storageStatus:eq:DONE", "FileResourceStorageStatus", "NONE, PENDING, STORED")):
        refused = listed(query)
        assert refused.status_code == 400, refused.text
        value = query.rsplit(":", 1)[1]
        assert refused.json()["message"] == (
            f"Unable to parse `{value}` as `class org.hisp.dhis.fileresource.{klass}`, "
            f"available values are: [{constants}]")


def test_request_bodies_that_are_no_object_are_json_parse_errors(sandbox_factory) -> None:
    # `@RequestBody PotentialDuplicate` (DeduplicationController#postPotentialDuplicate) and
    # `@RequestBody Note` (TrackerImportController#addNoteToEvent, 2.42.5/2.43.1): a root that
    # is no object is Jackson's MismatchedInputException, which Spring's converter turns into
    # HttpMessageNotReadableException "JSON parse error: …" (400, no errorCode), naming the
    # class the release binds (2.41.9 org.hisp.dhis.deduplication, 2.42.5/2.43.1
    # org.hisp.dhis.tracker.deduplication; `potential_duplicate_class`), Spring 5 adding the
    # nested exception (`spring6_messages`); a JSON null is no body at all.
    for version, package in (("2.41", "org.hisp.dhis.deduplication"),
                             ("2.42", "org.hisp.dhis.tracker.deduplication"),
                             ("2.43", "org.hisp.dhis.tracker.deduplication")):
        url = sandbox_factory(version=version).url

        def send(path: str, body: bytes, url: str = url) -> requests.Response:
            return requests.post(f"{url}/api/{path}", data=body, auth=ADMIN, timeout=30,
                                 headers={"Content-Type": "application/json"})

        listed = send("potentialDuplicates", b"[]")
        original = (f"Cannot deserialize value of type `{package}.PotentialDuplicate` from Array "
                    "value (token `JsonToken.START_ARRAY`)")
        nested = ("; nested exception is com.fasterxml.jackson.databind.exc."
                  f"MismatchedInputException: {original}\n at [Source: REDACTED "
                  "(`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, "
                  "column: 1]") if version == "2.41" else ""
        assert listed.status_code == 400, (version, listed.text)
        assert listed.json() == {"httpStatus": "Bad Request", "httpStatusCode": 400,
                                 "status": "ERROR",
                                 "message": f"JSON parse error: {original}{nested}"}
        null = send("potentialDuplicates", b"null")
        assert null.status_code == 400
        assert null.json()["message"].startswith("Required request body is missing: public ")
        if version != "2.41":
            note = send("tracker/events/abcdefghijk/note", b'"x"')
            assert note.status_code == 400 and note.json()["message"] == (
                "JSON parse error: Cannot construct instance of "
                "`org.hisp.dhis.webapi.controller.tracker.view.Note` (although at least one "
                "Creator exists): no String-argument constructor/factory method to deserialize "
                "from String value ('x')")


def test_icons_and_potential_duplicates_take_the_data_binders_forms(env):
    # IconQueryParams and PotentialDuplicateCriteria (2.41) / PotentialDuplicateRequestParams
    # (2.42+) are beans: WebDataBinder#doBind reads `!name` (a default), `_name` (the empty
    # value: false for a flag, null for an int, refused) and `name[]` for their properties
    _, running, m = env
    assert get(running, "/api/icons", _paging="").json() == {"icons": []}
    assert get(running, "/api/icons", **{"!paging": "false"}).json() == {"icons": []}
    assert get(running, "/api/icons", **{"pageSize[]": "5"}).json()["pager"]["pageSize"] == 5
    for params, message in (({"!page": "x"}, "Value 'x' is not valid for parameter page. It should be of type int"),
                            ({"_pageSize": ""}, "pageSize cannot be empty. It should be of type int")):
        refused = get(running, "/api/icons", **params)
        assert refused.status_code == 400 and refused.json()["message"] == message
    a, b = te(m), te(m)
    assert post(running, {"trackedEntities": [a, b]}).status_code == 200
    pair = {"original": a["trackedEntity"], "duplicate": b["trackedEntity"]}
    assert requests.post(f"{running.url}/api/potentialDuplicates", json=pair, auth=ADMIN,
                         timeout=30).status_code == 200
    path = "/api/potentialDuplicates"
    assert len(get(running, path).json()["potentialDuplicates"]) == 1
    for params in ({"!status": "MERGED"}, {"status[]": "MERGED"}):
        assert get(running, path, **params).json()["potentialDuplicates"] == [], params
    assert "pager" not in get(running, path, _paging="").json()
    assert get(running, path, **{"!status": "bad"}).json()["message"] == get(
        running, path, status="bad").json()["message"]
