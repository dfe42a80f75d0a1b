"""`POST|PUT /api/resourceTables/analytics`: the answer is WebMessageUtils#jobConfigurationReport
of a `new JobConfiguration(ANALYTICS_TABLE)` (ResourceTableController#analytics, 2.41.9, 2.42.5,
2.43.1)."""

from __future__ import annotations

import re
import time

import pytest
import requests

from tests.sandbox.helpers import ADMIN, refresh_analytics

_DEFAULT_PARAMETERS = {"skipTableTypes": [], "skipPrograms": [], "skipResourceTables": False,
                       "skipOutliers": False}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_answer_is_the_job_configuration_report(sandbox_factory, version: str) -> None:
    running = sandbox_factory(version=version)
    answer = requests.post(f"{running.url}/api/resourceTables/analytics", auth=ADMIN, timeout=10)
    assert answer.status_code == 200
    body = answer.json()
    # JobConfiguration(type) names a run-once job "<TYPE> (<epoch millis>)"
    match = re.fullmatch(r"Initiated (ANALYTICS_TABLE \((\d+)\))", body["message"])
    assert match, body["message"]
    assert abs(int(match.group(2)) - time.time() * 1000) < 60_000
    response = body["response"]
    assert response["name"] == match.group(1)
    expected_keys = ["name", "id", "created", "jobType", "jobStatus", "jobParameters",
                     "relativeNotifierEndpoint"]
    if version != "2.41":  # JobConfigurationWebMessageResponse#getResponseClassType (2.42+)
        expected_keys.append("responseType")
        assert response["responseType"] == "JobConfiguration"
    assert list(response) == expected_keys
    assert response["jobType"] == "ANALYTICS_TABLE"
    # a run-once job whose status was never set reads NOT_STARTED (JobConfiguration#getJobStatus)
    assert response["jobStatus"] == "NOT_STARTED"
    assert response["jobParameters"] == _DEFAULT_PARAMETERS
    assert response["relativeNotifierEndpoint"] == (
        f"/api/system/tasks/ANALYTICS_TABLE/{response['id']}")
    assert answer.headers["Location"] == f"{running.url}/api/system/tasks/ANALYTICS_TABLE"


def test_two_jobs_get_distinct_names(fresh_sandbox) -> None:
    # JobConfiguration#nowUnique: never the same millisecond twice
    names = {requests.post(f"{fresh_sandbox.url}/api/resourceTables/analytics", auth=ADMIN,
                           timeout=10).json()["response"]["name"] for _ in range(3)}
    assert len(names) == 3


def test_job_parameters_follow_the_request(fresh_sandbox) -> None:
    answer = requests.put(f"{fresh_sandbox.url}/api/resourceTables/analytics", auth=ADMIN,
                          timeout=10, params={"lastYears": "2", "skipEvents": "true",
                                              "skipAggregate": "true",
                                              "skipResourceTables": "true"})
    parameters = answer.json()["response"]["jobParameters"]
    assert parameters["lastYears"] == 2
    assert sorted(parameters["skipTableTypes"]) == [
        "COMPLETENESS", "COMPLETENESS_TARGET", "DATA_VALUE", "EVENT"]
    assert parameters["skipResourceTables"] is True and parameters["skipOutliers"] is False


def test_the_job_still_reports_through_its_notifier(fresh_sandbox) -> None:
    notes = refresh_analytics(fresh_sandbox.url)
    assert notes[0]["completed"] and notes[0]["level"] == "INFO"


def test_the_location_keeps_the_requests_api_version(fresh_sandbox) -> None:
    # ContextService#getApiPath (HttpServletRequestPaths#getApiPath): the first `/api/<n>/` of the
    # request (2.41.9 :41-50, 2.42.5 and 2.43.1 :43-52), prefixed by WebMessageControllerAdvice to the job's location
    answer = requests.post(f"{fresh_sandbox.url}/api/41/resourceTables/analytics", auth=ADMIN,
                           timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Location"] == f"{fresh_sandbox.url}/api/41/system/tasks/ANALYTICS_TABLE"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_parameter_spring_cannot_bind_is_400(sandbox_factory, version: str) -> None:
    # CrudControllerAdvice#methodArgumentTypeMismatchException, the ConversionFailedException
    # branch: the first unconvertible argument in declaration order, no errorCode
    running = sandbox_factory(version=version)
    url = f"{running.url}/api/resourceTables/analytics"
    answer = requests.post(url, auth=ADMIN, timeout=10,
                           params={"lastYears": "two", "skipEvents": "maybe"})
    assert answer.status_code == 400
    assert answer.json() == {
        "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
        "message": "Value 'maybe' is not valid for parameter skipEvents. "
                   "Invalid boolean value [maybe]"}
    answer = requests.post(url, auth=ADMIN, timeout=10, params={"lastYears": "two"})
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        "Value 'two' is not valid for parameter lastYears. For input string: \"two\"")
    # Spring's converters: yes/on/1 are true, an empty flag takes its default, hex decodes
    answer = requests.post(url, auth=ADMIN, timeout=10, params={
        "skipEvents": "YES", "skipEnrollment": "", "lastYears": "0x3"})
    assert answer.status_code == 200, answer.text
    parameters = answer.json()["response"]["jobParameters"]
    assert parameters["skipTableTypes"] == ["EVENT"] and parameters["lastYears"] == 3
    # whitespace only: the default CustomNumberEditor(allowEmpty)'s null, no lastYears
    answer = requests.post(url, auth=ADMIN, timeout=10, params={"lastYears": " "})
    assert answer.status_code == 200, answer.text
    assert "lastYears" not in answer.json()["response"]["jobParameters"]
    # @PreAuthorize (2.41) runs after binding; AuthorityInterceptor (2.42+) before it
    denied = requests.post(url, auth=("dashboard.viewer", "district"), timeout=10,
                           params={"skipEvents": "maybe"})
    assert denied.status_code == (400 if version == "2.41" else 403)
