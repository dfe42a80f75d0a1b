"""Contract: the metadata examples of the shared DHIS2 contract (verbatim docs and those
constructed from dhis2-core), replayed against the sandbox."""

from __future__ import annotations

import time

import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.contract import example, shape_differences
from tests.sandbox.helpers import ADMIN, post_metadata

INDICATOR_TYPE = {"id": "kHy61PbChXr", "name": "Plain", "number": True, "factor": 1}


def test_docs_payload_imports_with_docs_counts(fresh_sandbox: RunningSandbox) -> None:
    """metadata/import_payload_example.json (docs) → the counts of the docs' report."""
    url = fresh_sandbox.url
    assert post_metadata(url, {"indicatorTypes": [INDICATOR_TYPE]}).status_code == 200
    response = post_metadata(url, example("metadata/import_payload_example.json"))
    assert response.status_code == 200
    legacy = example("metadata/import_report_plain_legacy.json")
    assert response.json()["response"]["stats"] == legacy["stats"]
    by_klass = {t["klass"]: t["stats"] for t in response.json()["response"]["typeReports"]}
    assert by_klass == {t["klass"]: t["stats"] for t in legacy["typeReports"]}


def test_ok_errors_mode_constructed(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    option_set = {"id": "osUid000001", "name": "Giới tính", "valueType": "TEXT"}
    assert post_metadata(url, {"optionSets": [option_set]}).status_code == 200
    payload = {"dataElements": [
        {"id": f"deUid00000{i}", "name": f"DE {i}", "shortName": f"DE {i}",
         "valueType": "TEXT", "domainType": "TRACKER", "aggregationType": "NONE"}
        for i in (1, 2)], "optionSets": [option_set]}
    response = post_metadata(url, payload)
    assert response.status_code == 200
    expected = example("constructed_from_code/metadata_import_200_ok_errors_mode.json")
    assert shape_differences(expected, response.json()) == []
    assert response.json()["response"]["stats"] == expected["response"]["stats"]


def test_409_e4000_constructed(fresh_sandbox: RunningSandbox) -> None:
    payload = {"dataElements": [{"id": "DeUid000001", "name": "No short name",
                                 "valueType": "TEXT", "domainType": "AGGREGATE",
                                 "aggregationType": "SUM"}]}
    response = post_metadata(fresh_sandbox.url, payload)
    assert response.status_code == 409
    expected = example("constructed_from_code/metadata_import_409_E4000_missing_property.json")
    assert response.json() == expected


def test_409_e5002_constructed(fresh_sandbox: RunningSandbox) -> None:
    payload = {"dataElementGroups": [{"id": "qfxEYY9xAl6", "name": "ANC group",
                                      "shortName": "ANC group",
                                      "dataElements": [{"id": "xyzxyzxyz12"}]}]}
    response = post_metadata(fresh_sandbox.url, payload)
    assert response.status_code == 409
    assert response.json() == example("constructed_from_code/metadata_import_409_E5002.json")


def test_async_constructed_and_task_summary_shape(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    response = requests.post(f"{url}/api/metadata?async=true",
                             json={"indicatorTypes": [INDICATOR_TYPE]}, auth=ADMIN,
                             timeout=10)
    assert response.status_code == 200
    expected = example("constructed_from_code/metadata_import_async_response.json")
    assert shape_differences(expected, response.json()) == []
    job = response.json()["response"]["id"]
    summary = None
    for _ in range(100):
        answer = requests.get(f"{url}/api/system/taskSummaries/METADATA_IMPORT/{job}",
                              auth=ADMIN, timeout=10)
        # until the job has a summary DHIS2 answers `ok().build()`: no body at all
        summary = answer.json() if answer.content else None
        if summary:
            break
        time.sleep(0.05)
    legacy = example("metadata/import_report_plain_legacy.json")
    # Corrections: `user` (a uid) instead of `username`; objectReports [] per type report
    assert set(summary) == set(legacy)
    assert "user" in summary["importParams"] and "username" not in summary["importParams"]
    assert summary["typeReports"][0]["objectReports"] == []


def test_async_2_41_has_no_response_type(sandbox_factory) -> None:
    running = sandbox_factory(version="2.41")
    response = requests.post(f"{running.url}/api/metadata?async=true",
                             json={"indicatorTypes": [INDICATOR_TYPE]}, auth=ADMIN,
                             timeout=10)
    assert "responseType" not in response.json()["response"]
    assert "userOverrideMode" in response.json()["response"]["jobParameters"]


def test_async_2_43_job_parameters_without_user_override(sandbox_factory) -> None:
    running = sandbox_factory(version="2.43")
    response = requests.post(f"{running.url}/api/metadata?async=true",
                             json={"indicatorTypes": [INDICATOR_TYPE]}, auth=ADMIN,
                             timeout=10)
    assert len(response.json()["response"]["jobParameters"]) == 13
    assert "userOverrideMode" not in response.json()["response"]["jobParameters"]


def test_tracker_e2e_package_verbatim_core(fresh_sandbox: RunningSandbox) -> None:
    """dhis2-core-e2e/setup_tracker_metadata.json (the 2.41 file), after the synthetic setup it
    refers to, validates on this 2.42 server with only the TrackedEntityType shortName error
    (test_metadata_import has the 2.41 import and the 2.42 variant)."""
    from tests.sandbox.helpers import e2e_prerequisites
    url = fresh_sandbox.url
    e2e_prerequisites(url)
    body = post_metadata(url, example("dhis2-core-e2e/setup_tracker_metadata.json"),
                         importMode="VALIDATE").json()
    codes = {e["errorCode"] for t in body["response"]["typeReports"]
             for o in t["objectReports"] for e in o["errorReports"]}
    assert codes == {"E4000"}


def test_a_report_not_ok_is_a_409_warning_at_every_release(sandbox_factory) -> None:
    # WebMessageUtils#importReport (2.41.9 :194-201, 2.42.5 and 2.43.1 :196-203): any status
    # but OK (ERROR, or WARNING when atomicMode=NONE imported a part) is a 409 WARNING
    good = {"id": "deEnvelope1", "name": "Envelope", "shortName": "Envelope", "valueType": "TEXT",
            "domainType": "AGGREGATE", "aggregationType": "NONE"}
    bad = {**good, "id": "deEnvelope2", "name": "Bad", "shortName": "Bad",
           "categoryCombo": {"id": "ccMissing01"}}
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        for params, inner in (({}, "ERROR"), ({"atomicMode": "NONE"}, "WARNING")):
            response = post_metadata(url, {"dataElements": [good, bad]}, **params)
            body = response.json()
            assert (response.status_code, body["status"], body["httpStatus"], body["message"],
                    body["response"]["status"]) == (
                409, "WARNING", "Conflict",
                "One or more errors occurred, please see full details in import report.", inner)
        ok = post_metadata(url, {"dataElements": [{**good, "id": "deEnvelope3", "name": "Fine",
                                                   "shortName": "Fine"}]})
        assert ok.status_code == 200 and "message" not in ok.json()
        assert (ok.json()["status"], ok.json()["response"]["status"]) == ("OK", "OK")
