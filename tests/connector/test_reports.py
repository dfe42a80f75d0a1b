"""Typed import reports: what `import_metadata` and `import_tracker` return, refusals included."""

from __future__ import annotations

import pytest

from scdi.connector.errors import ServerFailure
from scdi.connector.reports import MetadataImportReport, TrackerImportReport

from .loopback import Answer, web_message

METADATA_REFUSAL = {
    "httpStatus": "Conflict", "httpStatusCode": 409, "status": "WARNING",
    "message": "One or more errors occurred, please see full details in import report.",
    "response": {
        "responseType": "ImportReport", "status": "ERROR",
        "stats": {"created": 0, "updated": 0, "deleted": 0, "ignored": 1, "total": 1},
        "typeReports": [{
            "klass": "org.hisp.dhis.option.Option",
            "stats": {"created": 0, "updated": 0, "deleted": 0, "ignored": 1, "total": 1},
            "objectReports": [{
                "klass": "org.hisp.dhis.option.Option", "index": 0, "uid": "Opt00000001",
                "errorReports": [{"message": "Invalid reference [Zz9NoSuchOs] (OptionSet) on object",
                                  "mainKlass": "org.hisp.dhis.option.Option",
                                  "errorKlass": "org.hisp.dhis.option.OptionSet",
                                  "errorCode": "E5002", "mainId": "Opt00000001", "errorProperty": "optionSet"}],
            }],
        }],
    },
}


def test_a_refused_metadata_import_is_a_report_not_an_exception(scripted, client_for):
    scripted.then(Answer(409, METADATA_REFUSAL))
    report = client_for(scripted.url).import_metadata({"options": []}, params={"importMode": "VALIDATE"})
    assert isinstance(report, MetadataImportReport)
    assert not report.ok and report.status == "ERROR"
    assert report.message and report.message.startswith("One or more errors")
    assert report.stats.ignored == 1
    [(type_report, object_report, error)] = list(report.errors())
    assert type_report.type_name == "option"
    assert (object_report.uid, error.error_code, error.error_property, error.main_id) == (
        "Opt00000001", "E5002", "optionSet", "Opt00000001")
    assert scripted.seen[0].method == "POST" and "importMode=VALIDATE" in scripted.seen[0].path


def test_an_accepted_metadata_import(scripted, client_for):
    body = web_message(200, "OK", "Import was successful.", response={
        "responseType": "ImportReport", "status": "OK",
        "stats": {"created": 2, "updated": 1, "deleted": 0, "ignored": 0, "total": 3},
        "typeReports": [{"klass": "org.hisp.dhis.program.Program", "stats": {"created": 2, "total": 2},
                         "objectReports": []}]})
    scripted.then(Answer(200, body))
    report = client_for(scripted.url).import_metadata({"programs": []})
    assert report.ok and report.stats.created == 2 and list(report.errors()) == []
    assert report.type_reports[0].type_name == "program"


def test_metadata_import_is_retried_as_idempotent(scripted, client_for):
    scripted.then(Answer(503, None), Answer(200, {"status": "OK", "stats": {"total": 0}}))
    assert client_for(scripted.url).import_metadata({}).ok
    assert [s.method for s in scripted.seen] == ["POST", "POST"]


def test_server_failures_still_raise(scripted, client_for):
    for _ in range(4):
        scripted.then(Answer(500, web_message(500, "Internal Server Error", "boom")))
    with pytest.raises(ServerFailure):
        client_for(scripted.url).import_metadata({})


def test_a_refused_tracker_import_lists_its_error_codes(scripted, client_for):
    body = {
        "status": "ERROR",
        "validationReport": {
            "errorReports": [{"message": "Value is confidential and encryption is not set up", "errorCode": "E1112",
                              "trackerType": "TRACKED_ENTITY", "uid": "Te000000001"}],
            "warningReports": [],
        },
        "stats": {"created": 0, "updated": 0, "deleted": 0, "ignored": 1, "total": 1},
    }
    scripted.then(Answer(409, body))
    report = client_for(scripted.url).import_tracker({"trackedEntities": []}, params={"importMode": "VALIDATE"})
    assert isinstance(report, TrackerImportReport)
    assert not report.ok and report.error_codes() == {"E1112"}
    assert report.validation_report.error_reports[0].tracker_type == "TRACKED_ENTITY"
    assert "async=false" in scripted.seen[0].path


def test_reports_read_bare_or_wrapped_and_ignore_what_they_do_not_know():
    bare = TrackerImportReport.from_body({"status": "OK", "validationReport": {}, "newField": 1})
    wrapped = TrackerImportReport.from_body({"status": "OK", "message": "done",
                                             "response": {"status": "OK", "stats": {"total": 3}}})
    assert bare.ok and wrapped.ok and wrapped.stats.total == 3 and wrapped.message == "done"
    assert not TrackerImportReport.from_body(None).ok
    plain_conflict = MetadataImportReport.from_body(web_message(409, "Conflict", "Object already exists"))
    assert not plain_conflict.ok and plain_conflict.message == "Object already exists"
    assert list(plain_conflict.errors()) == []
