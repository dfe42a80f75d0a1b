"""Contract tests: DHIS2's own tracker payloads and the documented response shapes.

- dhis2-core e2e: after the e2e setup (DHIS2's `setup/tracker_metadata.json` from the shared
  contract material, with the synthetic org units, user group, role and superuser of
  `data/e2e_support.json`) is imported through `/api/metadata`, every tracker payload under
  `dhis2-core-e2e/` imports; a second
  import with CREATE gives the documented existence errors, with CREATE_AND_UPDATE `updated`.
- Verbatim docs examples (`tracker/`) and constructed ones (`constructed_from_code/`) are
  compared by shape (keys and JSON types) with what the sandbox answers.
Posts as a superuser whose org units are the e2e tree, as dhis2-core's e2e tests do.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.contract import example, shape_differences
from tests.sandbox.helpers import E2E_USER, e2e_setup, e2e_tracker_package, e2e_tracker_package_2_42
from tests.sandbox.tracker_fixture import codes, get, install, person, post, uid
from tests.shared_paths import CONTRACT

E2E = CONTRACT / "dhis2-core-e2e"
PAYLOADS = [
    "tracker_importer_teis_tei.json",
    "tracker_importer_teis_teiAndEnrollment.json",
    "tracker_importer_teis_teiWithEnrollmentAndAttributes.json",
    "tracker_importer_teis_teiWithEnrollmentAndEventsNested.json",
    "tracker_importer_teis_teisAndRelationship.json",
    "tracker_importer_teis_teisWithEnrollmentsAndEvents.json",
    "tracker_importer_teis_teisWithRelationship.json",
    "tracker_importer_events_event.json",
    "tracker_importer_events_events.json",
]
EXISTS = {"TRACKED_ENTITY": "E1002", "ENROLLMENT": "E1080", "EVENT": "E1030", "RELATIONSHIP": "E4015"}


def _payload(name: str) -> dict[str, Any]:
    """The e2e file with `%id%`-style placeholders filled the way the e2e tests do."""
    text = (E2E / name).read_text(encoding="utf-8")
    while "%id%" in text:
        text = text.replace('"%id%"', json.dumps(uid()), 1)
    data: dict[str, Any] = json.loads(text)
    return data


def _with_uids(payload: dict[str, Any]) -> dict[str, Any]:
    """Give every object a fixed UID so that posting the payload again addresses the same
    objects (the server generates a new one for each object sent without)."""
    keys = {"trackedEntities": "trackedEntity", "enrollments": "enrollment", "events": "event",
            "relationships": "relationship"}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for plural, key in keys.items():
                for item in node.get(plural) or []:
                    item.setdefault(key, uid())
                    walk(item)
    walk(payload)
    return payload


@pytest.fixture(scope="module")
def e2e(request: pytest.FixtureRequest) -> RunningSandbox:
    from scdi.sandbox.server import start
    running = start(version="2.42")
    request.addfinalizer(running.stop)
    e2e_setup(running.url, e2e_tracker_package_2_42())
    return running


@pytest.mark.parametrize("name", PAYLOADS)
def test_e2e_payload_imports_then_create_fails_and_upsert_updates(e2e, name):
    payload = _with_uids(_payload(name))
    first = post(e2e, payload, auth=E2E_USER)
    assert first.status_code == 200, first.text[:3000]
    stats = first.json()["stats"]
    assert stats["created"] > 0 and stats["ignored"] == 0
    again = post(e2e, payload, auth=E2E_USER, importStrategy="CREATE")
    assert again.status_code == 409
    errors = again.json()["validationReport"]["errorReports"]
    assert errors and all(e["errorCode"] in (EXISTS[e["trackerType"]], "E5000") for e in errors)
    assert again.json()["stats"]["ignored"] == again.json()["stats"]["total"]
    upsert = post(e2e, payload, auth=E2E_USER)
    assert upsert.status_code == 200, upsert.text[:3000]
    relationships = len(payload.get("relationships", [])) + sum(
        len(t.get("relationships", [])) for t in payload.get("trackedEntities", []))
    assert upsert.json()["stats"]["updated"] == stats["created"] - relationships
    assert upsert.json()["stats"]["ignored"] == relationships  # relationships are never updated



@pytest.mark.parametrize("version", ["2.41", "2.43"])
def test_e2e_payloads_import_on_the_other_releases(sandbox_factory, version: str) -> None:
    # The same round on 2.41 (its own package, without the TrackedEntityType shortName that
    # 2.42.5 and 2.43.1 add to setup/tracker_metadata.json) and 2.43. On 2.41 a second CREATE
    # of events in a non-repeatable stage also gets E1039: its RepeatedEventsValidator looks
    # at events already invalid (`tracker_repeated_events_checks_invalid`).
    running = sandbox_factory(version=version)
    e2e_setup(running.url,
              e2e_tracker_package() if version == "2.41" else e2e_tracker_package_2_42())
    allowed = {*EXISTS.values(), "E5000", *(("E1039",) if version == "2.41" else ())}
    for name in PAYLOADS:
        payload = _with_uids(_payload(name))
        first = post(running, payload, auth=E2E_USER)
        assert first.status_code == 200, (name, first.text[:3000])
        stats = first.json()["stats"]
        again = post(running, payload, auth=E2E_USER, importStrategy="CREATE")
        assert again.status_code == 409, name
        assert {e["errorCode"] for e in again.json()["validationReport"]["errorReports"]} <= allowed
        upsert = post(running, payload, auth=E2E_USER)
        relationships = len(payload.get("relationships", [])) + sum(
            len(t.get("relationships", [])) for t in payload.get("trackedEntities", []))
        assert upsert.json()["stats"]["updated"] == stats["created"] - relationships, name

def test_e2e_tracked_entity_export_matches_docs_shape(e2e):
    payload = _payload("tracker_importer_teis_tei.json")  # no uids: a new tracked entity
    body = post(e2e, payload, auth=E2E_USER).json()
    te_uid = body["bundleReport"]["typeReportMap"]["TRACKED_ENTITY"]["objectReports"][0]["uid"]
    # The docs example was taken with fields=* (the code's default drops enrollments and
    # programOwners, see TrackedEntityRequestParams.DEFAULT_FIELDS_PARAM).
    single = get(e2e, f"/api/tracker/trackedEntities/{te_uid}", auth=E2E_USER, fields="*").json()
    documented = example("tracker/export_trackedEntity_single_2.42.json")
    missing = [k for k in documented if k not in single and k not in ("geometry", "createdAtClient",
                                                                     "updatedAtClient", "storedBy")]
    assert missing == []
    assert shape_differences(documented["attributes"][0], single["attributes"][0],
                             allow_extra=True) == []


# -- documented shapes, against the synthetic metadata ---------------------------------------------
@pytest.fixture
def env(fresh_sandbox: RunningSandbox):
    return fresh_sandbox, install(fresh_sandbox)


def test_sync_ok_report_shape(env):
    running, m = env
    body = post(running, {"trackedEntities": [person(m)]}).json()
    documented = example("tracker/import_report_ok_full_structure.json")
    assert shape_differences(documented, body) == []
    assert set(body["bundleReport"]["typeReportMap"]) == {"TRACKED_ENTITY", "ENROLLMENT", "EVENT",
                                                          "RELATIONSHIP"}


def test_atomic_all_error_shape(env):
    running, m = env
    post(running, {"trackedEntities": [person(m, nid="NAT-0001")]})
    t = person(m, nid="NAT-0001")
    r = post(running, {"trackedEntities": [t]})
    assert r.status_code == 409
    documented = example("constructed_from_code/tracker_sync_409_atomic_all_E1064.json")
    assert shape_differences(documented, r.json()) == []
    assert codes(r.json()) == ["E1064"]


def test_atomic_object_partial_shape(env):
    running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    # Two events of a non-repeatable stage in one payload: both get E1039 (the Corrections).
    first = {"programStage": m.stage_once, "orgUnit": m.commune, "occurredAt": "2025-01-12",
             "enrollment": en_uid}
    r = post(running, {"trackedEntities": [t], "events": [first, dict(first)]}, atomicMode="OBJECT")
    assert r.status_code == 200
    documented = example("constructed_from_code/tracker_sync_200_atomic_object_partial.json")
    assert shape_differences(documented, r.json()) == []
    assert codes(r.json()) == ["E1039", "E1039"]
    assert r.json()["bundleReport"]["typeReportMap"]["EVENT"]["stats"]["ignored"] == 2


def test_validate_only_shape(env):
    running, m = env
    body = post(running, {"trackedEntities": [person(m)]}, importMode="VALIDATE").json()
    assert body == example("constructed_from_code/tracker_sync_200_validate_only.json")


def test_error_report_fragment_shape(env):
    running, m = env
    t = person(m)
    t["trackedEntityType"] = "Q9GufDoplCL"
    body = post(running, {"trackedEntities": [t]}).json()
    documented = example("tracker/validation_report_error_E1005_fragment.json")
    assert shape_differences(documented["validationReport"]["errorReports"][0],
                             body["validationReport"]["errorReports"][0], allow_extra=True) == []
    assert body["validationReport"]["errorReports"][0]["message"] == \
        documented["validationReport"]["errorReports"][0]["message"]


def test_async_job_flow(env):
    running, m = env
    r = requests.post(f"{running.url}/api/tracker", json={"trackedEntities": [person(m)]},
                      auth=("admin", "district"), timeout=30)
    assert r.status_code == 200
    # 2.42.0+ answers `responseType: "TrackerJob"` again (WebMessageResponse#getResponseType),
    # the shape of the 2.40 docs example; the 2.41 docs example has none.
    expected = ("tracker/import_async_response_2.40.json"
                if running.app.release.tracker_job_response_type
                else "tracker/import_async_response_2.41.json")
    assert shape_differences(example(expected), r.json()) == []
    job = r.json()["response"]["id"]
    assert r.json()["response"]["location"] == f"{running.url}/api/tracker/jobs/{job}"
    # 2.41's TrackerImportController answers the WebMessage (the advice writes its location,
    # after the API path), 2.42+ a ResponseEntity<WebMessage>, which
    # WebMessageControllerAdvice does not support: no header
    if running.app.release.minor == "2.41":
        assert r.headers["Location"] == f"{running.url}/api/tracker/jobs/{job}"
    else:
        assert "Location" not in r.headers
    notes: list[dict[str, Any]] = []
    for _ in range(100):
        notes = get(running, f"/api/tracker/jobs/{job}").json()
        if notes and notes[0]["completed"]:
            break
        time.sleep(0.05)
    assert notes[0]["message"] == "Import complete with status OK, 2 created, 0 updated, 0 deleted, 0 ignored"
    assert notes[-1]["message"] == "Tracker import started" and notes[-1]["dataType"] == "PARAMETERS"
    documented = example("tracker/job_notifications_GET_tracker_jobs_uid.json")
    assert shape_differences(documented[0], notes[0]) == []
    assert shape_differences(documented[-1], notes[-1]) == []
    report = get(running, f"/api/tracker/jobs/{job}/report", reportMode="FULL")
    assert report.status_code == 200 and report.json()["stats"]["created"] == 2
    # TrackerImportController#getJob/#getJobReport: ContextUtils#setNoStore
    for path in (f"/api/tracker/jobs/{job}", f"/api/tracker/jobs/{job}/report"):
        assert get(running, path).headers["Cache-Control"] == "no-cache, no-store, max-age=0, must-revalidate"


def test_job_report_404_until_done(env):
    running, _ = env
    missing = uid()
    r = get(running, f"/api/tracker/jobs/{missing}/report")
    assert r.status_code == 404
    assert r.json()["message"] == f"Summary for job {missing} does not exist"
    # TrackerImportController#getJobReport calls ContextUtils#setNoStore before the lookup, and
    # the header survives the NotFoundException; #getJob sets it too
    no_store = "no-cache, no-store, max-age=0, must-revalidate"
    assert r.headers["Cache-Control"] == no_store
    notes = get(running, f"/api/tracker/jobs/{missing}")
    assert notes.json() == [] and notes.headers["Cache-Control"] == no_store
    # a reportMode Spring cannot bind fails before the method body (no setNoStore): the 400
    # WebMessage gets WebMessageControllerAdvice's
    unbound = get(running, f"/api/tracker/jobs/{missing}/report", reportMode="ALL")
    assert unbound.status_code == 400 and unbound.headers["Cache-Control"] == "no-cache, private"


def test_export_page_shapes(env):
    running, m = env
    t = person(m)
    en_uid = t["enrollments"][0]["enrollment"]
    ev = {"programStage": m.stage_once, "orgUnit": m.commune, "occurredAt": "2025-01-12",
          "enrollment": en_uid, "dataValues": [{"dataElement": m.de_number, "value": "1"}]}
    rel = {"relationshipType": m.rel_type_bi,
           "from": {"trackedEntity": {"trackedEntity": t["trackedEntity"]}},
           "to": {"trackedEntity": {"trackedEntity": (other := person(m))["trackedEntity"]}}}
    t["enrollments"][0]["createdAtClient"] = "2025-01-10T08:00:00.000"
    assert post(running, {"trackedEntities": [t, other], "events": [ev], "relationships": [rel]}
                ).status_code == 200
    events = get(running, "/api/tracker/events", program=m.program, pageSize=1).json()
    documented = example("tracker/export_events_page.json")
    assert set(events) == set(documented)
    doc_event = documented["events"][0]
    for key in ("event", "status", "program", "programStage", "enrollment", "orgUnit",
                "occurredAt", "followUp", "deleted", "createdAt", "updatedAt",
                "attributeOptionCombo", "attributeCategoryOptions", "dataValues"):
        assert key in events["events"][0], key
    assert shape_differences(doc_event["dataValues"][0], events["events"][0]["dataValues"][0],
                             allow_extra=True) == []
    rels = get(running, "/api/tracker/relationships", trackedEntity=t["trackedEntity"],
               pageSize=2).json()
    documented_rel = example("tracker/export_relationships_page.json")
    assert shape_differences(documented_rel["relationships"][0], rels["relationships"][0],
                             allow_extra=True) == []
    enrollments = get(running, "/api/tracker/enrollments", program=m.program).json()
    assert shape_differences(example("tracker/export_enrollment_single.json"),
                             enrollments["enrollments"][0], allow_extra=True) == []


def test_export_error_bodies(env):
    running, _ = env
    r = get(running, "/api/tracker/trackedEntities")
    assert r.json() == example("constructed_from_code/webmessage_400_tracker_export_bad_params.json")
    missing = get(running, "/api/tracker/trackedEntities/Kj6vYde4LHh")
    assert missing.json() == example("constructed_from_code/webmessage_404_tracked_entity.json")


def test_delete_payload_examples(env):
    running, m = env
    t = person(m)
    post(running, {"trackedEntities": [t]})
    documented = example("tracker/delete_trackedEntities_payload.json")
    documented["trackedEntities"] = [{"trackedEntity": t["trackedEntity"]}]
    r = post(running, documented, importStrategy="DELETE")
    assert r.status_code == 200 and r.json()["stats"]["deleted"] == 1


def test_version_factory_runs_contract_on_2_41(sandbox_factory: Callable[..., RunningSandbox]):
    running = sandbox_factory(version="2.41")
    m = install(running)
    body = post(running, {"trackedEntities": [person(m)]}).json()
    assert shape_differences(example("tracker/import_report_ok_full_structure.json"), body) == []
    page = get(running, "/api/tracker/trackedEntities", program=m.program, totalPages="true").json()
    assert shape_differences(example("constructed_from_code/tracker_export_page_2.41_totalPages.json"),
                             page, allow_extra=True) == []


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_async_answers_location_header_per_release(sandbox_factory, version):
    # 2.41.9's #asyncPostJsonTracker returns the WebMessage, whose location the advice writes
    # after the request's API path; 2.42.5/2.43.1's #importJson returns a ResponseEntity,
    # which WebMessageControllerAdvice#supports refuses: no header
    url = sandbox_factory(version=version).url
    minor = version.split(".")[1]
    answer = requests.post(f"{url}/api/{minor}/tracker", json={}, auth=("admin", "district"),
                           timeout=30)
    assert answer.status_code == 200, answer.text
    job = answer.json()["response"]["id"]
    if version == "2.41":
        assert answer.headers["Location"] == f"{url}/api/{minor}/tracker/jobs/{job}"
    else:
        assert "Location" not in answer.headers
