"""POST /api/aggregateDataExchanges/exchange: the refusals of its `@RequestBody`."""

from __future__ import annotations

import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN


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
