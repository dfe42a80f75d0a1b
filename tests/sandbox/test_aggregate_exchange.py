"""POST /api/aggregateDataExchanges/exchange: the refusals of its `@RequestBody`."""

from __future__ import annotations

import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata, two_yearly_boundary_indicator


def test_an_array_body_is_a_json_parse_error_without_error_code(fresh_sandbox: RunningSandbox) -> None:
    # AggregateDataExchangeController#runDataExchange(@RequestBody AggregateDataExchange):
    # HttpMessageNotReadableException → CrudControllerAdvice → badRequest(String)
    r = requests.post(f"{fresh_sandbox.url}/api/aggregateDataExchanges/exchange", json=[{}],
                      auth=ADMIN, timeout=10)
    assert r.status_code == 400
    assert r.json() == {
        "httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
        "message": "JSON parse error: Cannot deserialize value of type "
                   "`org.hisp.dhis.dataexchange.aggregate.AggregateDataExchange` from Array value "
                   "(token `JsonToken.START_ARRAY`)"}


def test_a_boundary_date_joda_refuses_is_the_source_s_error(fresh_sandbox: RunningSandbox) -> None:
    # 29 February 2016 moved by one TwoYearly period is 29 February 2018: DateTimeUnit#toJdkDate's
    # IllegalFieldValueException, which AggregateDataExchangeService#exchangeData's
    # `catch (Exception ex)` makes the source's ImportSummary ERROR with its message.
    url = fresh_sandbox.url
    metadata = two_yearly_boundary_indicator("prExchBd001", "piExchBd001")
    assert post_metadata(url, metadata).status_code == 200
    body = {"name": "Visits", "target": {"type": "INTERNAL", "request": {}},
            "source": {"requests": [{"name": "Visits", "dx": ["piExchBd001"],
                                     "pe": ["20160229"], "ou": ["USER_ORGUNIT"]}]}}
    r = requests.post(f"{url}/api/aggregateDataExchanges/exchange", json=body, auth=ADMIN,
                      timeout=10)
    summaries = r.json()["response"]["importSummaries"]
    assert [(s["status"], s["description"]) for s in summaries] == [
        ("ERROR", "Value 29 for dayOfMonth must be in the range [1,28]")]
