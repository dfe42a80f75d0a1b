"""Small helpers for sandbox tests (HTTP against a RunningSandbox, DHIS2's e2e tracker package
and the synthetic setup it needs)."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import requests

from scdi.sandbox.core import users
from tests.shared_paths import CONTRACT

ADMIN = ("admin", "district")
DATA = Path(__file__).parent / "data"
# DHIS2's own e2e tracker package (dhis2-core 2.41, dhis-test-e2e/src/test/resources/setup/
# tracker_metadata.json), kept in the shared contract material, never copied here.
E2E_TRACKER_PACKAGE = CONTRACT / "dhis2-core-e2e" / "setup_tracker_metadata.json"
# Our synthetic stand-in for what the other e2e setup files provided (see data/README.md).
E2E_SUPPORT = DATA / "e2e_support.json"
# The superuser of e2e_support.json (a test account of the throwaway sandbox only).
E2E_USER = ("contract.superuser", "Contract-test-2025!")
E2E_TRACKED_ENTITY_TYPE = "Q9GufDoplCL"


def e2e_tracker_package() -> dict[str, Any]:
    """DHIS2's e2e tracker package exactly as dhis2-core's 2.41 branch has it."""
    data: dict[str, Any] = json.loads(E2E_TRACKER_PACKAGE.read_text(encoding="utf-8"))
    return data


def e2e_tracker_package_2_42() -> dict[str, Any]:
    """The 2.41 package with the one change 2.42 needs: 2.42 maps TrackedEntityType.shortName
    not-null (dhis-services/dhis-service-core/src/main/resources/org/hisp/dhis/trackedentity/
    hibernate/TrackedEntityType.hbm.xml, absent on 2.41),
    so the unchanged file gets E4000 shortName there; dhis2-core's 2.42 copy of the file adds
    `"shortName": "TA Person"` for that reason (tag 2.42.5, same path)."""
    package = copy.deepcopy(e2e_tracker_package())
    for tracked_entity_type in package["trackedEntityTypes"]:
        if tracked_entity_type["id"] == E2E_TRACKED_ENTITY_TYPE:
            tracked_entity_type.setdefault("shortName", tracked_entity_type["name"])
    return package


def e2e_support(section: str) -> dict[str, Any]:
    """One section of the synthetic setup: `userGroups`, `metadata`, `userRoles` or `users`."""
    data: dict[str, Any] = json.loads(E2E_SUPPORT.read_text(encoding="utf-8"))[section]
    return data


def post_metadata(url: str, payload: dict[str, Any], auth: tuple[str, str] = ADMIN,
                  **params: str) -> requests.Response:
    return requests.post(f"{url}/api/metadata", json=payload, params=params, auth=auth,
                         timeout=60)


def e2e_prerequisites(url: str) -> None:
    """What the tracker package refers to and does not contain: the user group of its sharing,
    the org units of its programs, the attribute category combo and the data element one
    program stage uses."""
    for name in ("userGroups", "metadata"):
        response = post_metadata(url, e2e_support(name))
        assert response.status_code == 200, (name, response.text[:2000])


def e2e_setup(url: str, tracker_package: dict[str, Any]) -> None:
    """MetadataSetupExtension's order (dhis-test-e2e .../helpers/extensions/
    MetadataSetupExtension.java): user groups, metadata (twice: the second import updates),
    tracker metadata, user roles, users; each must answer OK."""
    steps = [("userGroups", e2e_support("userGroups")), ("metadata", e2e_support("metadata")),
             ("metadata", e2e_support("metadata")), ("tracker metadata", tracker_package),
             ("userRoles", e2e_support("userRoles")), ("users", e2e_support("users"))]
    for name, payload in steps:
        response = post_metadata(url, payload)
        assert response.status_code == 200, (name, response.text[:2000])
        assert response.json()["status"] == "OK", (name, response.text[:2000])


def unit_uid(url: str, code: str) -> str:
    """The uid of the seeded org unit with this code (e.g. the province VN-79)."""
    found = requests.get(f"{url}/api/organisationUnits", params={
        "filter": f"code:eq:{code}", "fields": "id"}, auth=ADMIN, timeout=30).json()
    return str(found["organisationUnits"][0]["id"])


def seeded_user(running: Any, username: str) -> dict[str, Any]:
    """The stored user object of a seeded account (`RunningSandbox.store`)."""
    user = users.find_by_username(running.store, username)
    assert user is not None, f"no user {username!r} in the sandbox"
    return user


def object_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for t in body["response"]["typeReports"] for o in t["objectReports"]
            for e in o["errorReports"]]


def refresh_analytics(url: str) -> list[dict[str, Any]]:
    """Run the analytics tables job and wait for it: its notifications, newest first."""
    job = requests.post(f"{url}/api/resourceTables/analytics", auth=ADMIN,
                        timeout=10).json()["response"]["id"]
    for _ in range(200):
        notes: list[dict[str, Any]] = requests.get(
            f"{url}/api/system/tasks/ANALYTICS_TABLE/{job}", auth=ADMIN, timeout=10).json()
        if notes and notes[0]["completed"]:
            return notes
        time.sleep(0.05)
    raise AssertionError("analytics tables were not refreshed")


def bad_request_page(answer: requests.Response) -> str:
    """The message of the container's 400 status report (`core/unmapped.py#bad_request`), after
    checking it is one: what Tomcat writes for Spring's `sendError(400, message)`."""
    assert answer.status_code == 400, answer.text
    assert answer.headers["Content-Type"] == "text/html;charset=utf-8", answer.text
    assert "<title>HTTP Status 400 – Bad Request</title>" in answer.text
    assert "<p><b>Type</b> Status Report</p>" in answer.text
    start = answer.text.index("<p><b>Message</b> ") + len("<p><b>Message</b> ")
    message = answer.text[start:answer.text.index("</p>", start)]
    for entity, char in (("&#47;", "/"), ("&quot;", '"'), ("&#39;", "'"), ("&lt;", "<"),
                         ("&gt;", ">"), ("&amp;", "&")):
        message = message.replace(entity, char)
    return message


def missing_parameter(version: str, name: str, java_type: str) -> str:
    """The 400 page's message for a required `@RequestParam` the request lacks: Spring 5.3's
    exception message on 2.41, Spring 6.2's problem detail on 2.42 and 2.43."""
    if version == "2.41":
        return f"Required request parameter '{name}' for method parameter type {java_type} is not present"
    return f"Required parameter '{name}' is not present."


def two_yearly_boundary_indicator(program_uid: str, indicator_uid: str) -> dict[str, Any]:
    """A metadata payload: an event program and its event count indicator, bounded one TwoYearly
    period after the start of the reporting period (29 February 2016 moves to a day 2018 lacks)."""
    boundary = {"analyticsPeriodBoundaryType": "AFTER_START_OF_REPORTING_PERIOD",
                "boundaryTarget": "EVENT_DATE", "offsetPeriodType": "TwoYearly",
                "offsetPeriods": 1}
    return {"programs": [{"id": program_uid, "name": "Visits", "shortName": "Visits",
                          "programType": "WITHOUT_REGISTRATION"}],
            "programIndicators": [{"id": indicator_uid, "name": "Visits", "shortName": "Visits",
                                   "program": {"id": program_uid}, "analyticsType": "EVENT",
                                   "expression": "V{event_count}", "aggregationType": "COUNT",
                                   "analyticsPeriodBoundaries": [boundary]}]}


def written_new(version: str, summary: dict[str, Any]) -> int:
    """The values a data value set import wrote that were not stored before: `imported` on
    2.41/2.42; 2.43.1 counts every written value `updated` (`Release.import_summary_upserted`,
    `DataEntrySummary#toImportSummary`)."""
    from scdi.upstream.releases import RELEASES
    counted = "updated" if RELEASES[version].import_summary_upserted else "imported"
    return int(summary["importCount"][counted])
