"""Run the package's aggregate data exchange on demand and say what it wrote.

`POST /api/aggregateDataExchanges/{uid}/exchange` runs the exchange as saved (its relative
periods, from the server's today). With periods, the same exchange is sent in the body of
`POST /api/aggregateDataExchanges/exchange` with each source request's `pe` replaced by the
given periods of its own period type (the monthly request takes the months, the yearly one the
years; a request with none is left out), so an official's past year can be filled without
changing the saved object. The answer's
ImportSummaries give, per source request, what was imported, updated, deleted and ignored; the
server's analytics tables must have been refreshed first, as the exchange reads them.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from pydantic import BaseModel

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import Conflict, InputError, ServerError

EXCHANGE_CODE = "SCDI_FIGURES"


class RequestOutcome(BaseModel):
    name: str
    status: str
    imported: int
    updated: int
    deleted: int
    ignored: int
    conflicts: int
    description: str | None = None


class PublishResult(BaseModel):
    exchange: str
    status: str
    periods: list[str]
    requests: list[RequestOutcome]

    @property
    def written(self) -> int:
        return sum(r.imported + r.updated + r.deleted for r in self.requests)


def _exchange(client: Dhis2Client, code: str) -> dict[str, Any]:
    found = client.get("aggregateDataExchanges", params={"filter": f"code:eq:{code}", "fields": "*",
                                                         "paging": "false"})
    exchanges = (found or {}).get("aggregateDataExchanges") or []
    if not exchanges:
        raise InputError(f"no aggregate data exchange with code {code} on the server",
                         hint="Deploy the package (scdi metadata deploy) and check your sharing on the exchange.")
    return dict(exchanges[0])


def period_type(period: str) -> str:
    """MONTHLY, QUARTERLY, YEARLY or OTHER, of a DHIS2 period id or relative period."""
    upper = period.upper()
    if re.fullmatch(r"\d{6}", period) or "MONTH" in upper:
        return "MONTHLY"
    if re.fullmatch(r"\d{4}Q[1-4]", period) or "QUARTER" in upper:
        return "QUARTERLY"
    if re.fullmatch(r"\d{4}", period) or upper.endswith("YEAR") or upper.endswith("YEARS"):
        return "YEARLY"
    return "OTHER"


def publish(client: Dhis2Client, periods: list[str] | None = None, code: str = EXCHANGE_CODE) -> PublishResult:
    exchange = _exchange(client, code)
    requests = list((exchange.get("source") or {}).get("requests") or [])
    try:
        if periods:
            body = copy.deepcopy(exchange)
            kept = []
            for request in body["source"]["requests"]:
                types = {period_type(p) for p in request.get("pe") or []}
                request["pe"] = [p for p in periods if period_type(p) in types]
                if request["pe"]:
                    kept.append(request)
            if not kept:
                raise InputError(f"none of the periods {', '.join(periods)} is of a type the exchange fills",
                                 hint="Give months (202512) or years (2025).")
            body["source"]["requests"] = kept
            requests = kept
            answer = client.post("aggregateDataExchanges/exchange", json=body)
        else:
            answer = client.post(f"aggregateDataExchanges/{exchange['id']}/exchange")
    except Conflict as exc:
        # 409 still carries the ImportSummaries: a request that failed or had conflicts
        answer = exc.body
    summaries = ((answer or {}).get("response") or {}).get("importSummaries")
    if not isinstance(summaries, list):
        raise ServerError("the server's answer to the exchange has no import summaries")
    outcomes = []
    for i, s in enumerate(summaries):
        count = s.get("importCount") or {}
        name = str(requests[i].get("name") or f"request {i + 1}") if i < len(requests) else f"request {i + 1}"
        outcomes.append(RequestOutcome(
            name=name, status=str(s.get("status")), imported=int(count.get("imported") or 0),
            updated=int(count.get("updated") or 0), deleted=int(count.get("deleted") or 0),
            ignored=int(count.get("ignored") or 0), conflicts=len(s.get("conflicts") or []),
            description=s.get("description") if s.get("status") == "ERROR" else None))
    status = str(((answer or {}).get("response") or {}).get("status") or "ERROR")
    pes = list(periods or sorted({p for r in requests for p in r.get("pe") or []}))
    return PublishResult(exchange=str(exchange.get("code") or exchange["id"]), status=status, periods=pes,
                         requests=outcomes)
