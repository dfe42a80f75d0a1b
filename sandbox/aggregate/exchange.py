"""`POST /api/aggregateDataExchanges/{uid}/exchange` (and `/exchange` with the exchange in the
body, not saved): an INTERNAL exchange of program
indicator figures into aggregate data values, as 2.41.9 / 2.42.5 run it.

`webapi/controller/AggregateDataExchangeController.java#runDataExchangeByUid` →
`dataexchange/aggregate/AggregateDataExchangeService.java#exchangeData`:
- no data write sharing on the exchange: one ERROR summary "User has no data write access for
  AggregateDataExchange: {name}" and nothing else;
- each source request in turn: `analyticsService.getAggregatedDataValueSet` over its dx, pe, ou
  (input id scheme UID; relative periods from today), read from the analytics tables as the last
  refresh left them; a failure becomes that request's ERROR summary with the exception's message;
- the rows become data values (`analytics/util/AnalyticsUtils.java#handleGridForDataValueSet`):
  the program indicator's `aggregateExportCategoryOptionCombo` and
  `aggregateExportAttributeOptionCombo` as the combos, an integer when the indicator has zero
  decimals (`#getIntegerOrValue`), and `outputIdScheme` `ATTRIBUTE:{uid}` putting the value of
  that attribute on the indicator in place of its UID (`outputOrgUnitIdScheme` UID keeps the org
  unit's); analytics has no row where there is no value, so nothing is written for it;
- INTERNAL target: `DataValueSetService#importDataValueSet` with the target request's id schemes,
  import strategy and dry run (`#toImportOptions`), one ImportSummary per source request.
The answer is `WebMessageUtils#importSummaries`: 200 OK "Import was successful.", 409 WARNING
"One or more conflicts encountered, please check import summary." or 409 ERROR "An error
occurred, please check import summary.", the ImportSummaries (imported, updated, deleted,
ignored summed over the requests; the highest status) as `response`.

Not emulated: 2.43.1's rewrite on `DataEntryPipeline` (E8xxx conflicts, and the deletion of
values of the exchange's scope that the source no longer has), 2.43.1's dx item type check
before any request (`AggregateDataExchangeService#hasAllowedDxItemTypes`, :170-179 / :542-556:
one ERROR summary when an item is not an indicator, data element (operand) or program
indicator; here any item but a program indicator is its request's ERROR summary at every
release), EXTERNAL targets, the `AGGREGATE_DATA_EXCHANGE` scheduled job.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl
from scdi.sandbox.aggregate import values
from scdi.sandbox.analytics import boundaries, indicators, orgunits, periods
from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.import_summaries import import_summaries
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User


class SourceError(ValueError):
    """A source request the sandbox cannot answer (its message is the summary's description)."""


def _error_summary(message: str) -> dict[str, Any]:
    summary = values.Summary(values.Options(), status="ERROR", description=message)
    out = summary.as_json()
    out.pop("importOptions")
    return out


def _output_id(doc: dict[str, Any], scheme: str) -> str:
    """`IdScheme` applied to a program indicator: UID, CODE, NAME or ATTRIBUTE:{uid} (the UID stays
    where the indicator has no such value)."""
    upper = scheme.upper()
    if upper == "CODE":
        return str(doc.get("code") or doc["id"])
    if upper == "NAME":
        return str(doc.get("name") or doc["id"])
    if upper.startswith("ATTRIBUTE:"):
        wanted = scheme.split(":", 1)[1]
        for av in doc.get("attributeValues") or []:
            if (av.get("attribute") or {}).get("id") == wanted and av.get("value"):
                return str(av["value"])
    return str(doc["id"])


def source_values(store: Store, user: User, request: dict[str, Any], today: Any,
                  financial: frozenset[str]) -> list[dict[str, Any]]:
    """The data values one source request yields from the analytics tables."""
    docs = []
    for uid in request.get("dx") or []:
        doc = store.get_object("programIndicators", uid)
        if doc is None:
            raise SourceError(f"Dimension item not supported by the sandbox's exchange "
                              f"(not a program indicator): `{uid}`")
        docs.append(doc)
    try:
        pes = periods.resolve(list(request.get("pe") or []), today, financial)
    except periods.PeriodError as exc:
        raise SourceError(f"Period is not valid: `{exc}`") from None
    tree = orgunits.units(store)
    try:
        ous = orgunits.resolve(list(request.get("ou") or []), tree, user)
    except orgunits.OrgUnitError as exc:
        raise SourceError(f"Organisation unit is not valid: `{exc}`") from None
    found = [indicators.Indicator.of(d) for d in docs]
    try:
        evaluated = indicators.evaluate(store, found, pes)
    except indicators.IndicatorError as exc:
        raise SourceError(str(exc)) from None
    except boundaries.IllegalFieldValue as exc:
        # AggregateDataExchangeService#exchangeData's `catch (Exception ex)`: the source's
        # ImportSummary ERROR with the exception's message (2.41.9 :227, 2.42.5 :229, 2.43.1 :264)
        raise SourceError(str(exc)) from None
    out_scheme = str(request.get("outputDataElementIdScheme") or request.get("outputDataItemIdScheme")
                     or request.get("outputIdScheme") or "UID")
    ou_scheme = str(request.get("outputOrgUnitIdScheme") or request.get("outputIdScheme") or "UID").upper()
    rows: list[dict[str, Any]] = []
    for ind, doc in zip(found, docs, strict=True):
        for p in pes:
            for unit in ous:
                kept = [r for r in evaluated.rows[(ind.uid, p.iso)]
                        if r[0] in tree and orgunits.within(tree[r[0]].path, unit)]
                value = indicators.aggregate(ind, kept)
                if value is None:
                    continue
                rounded = round(value, ind.decimals if ind.decimals is not None else 2)
                text = str(int(rounded)) if ind.decimals == 0 or float(rounded).is_integer() else str(rounded)
                ou_doc = store.get_object("organisationUnits", unit.uid) or {"id": unit.uid}
                row: dict[str, Any] = {
                    "dataElement": _output_id(doc, out_scheme), "period": p.iso,
                    "orgUnit": str(ou_doc.get("code") or unit.uid) if ou_scheme == "CODE" else unit.uid,
                    "value": text}
                if doc.get("aggregateExportCategoryOptionCombo"):
                    row["categoryOptionCombo"] = doc["aggregateExportCategoryOptionCombo"]
                if doc.get("aggregateExportAttributeOptionCombo"):
                    row["attributeOptionCombo"] = doc["aggregateExportAttributeOptionCombo"]
                rows.append(row)
    return rows


def target_options(exchange: dict[str, Any], financial: frozenset[str]) -> values.Options:
    """`AggregateDataExchangeService#toImportOptions`."""
    request = (exchange.get("target") or {}).get("request") or {}
    return values.Options.of({k: request.get(k) for k in (
        "idScheme", "dataElementIdScheme", "orgUnitIdScheme", "categoryOptionComboIdScheme",
        "importStrategy", "dryRun") if request.get(k) is not None}, financial)


def run_exchange(store: Store, user: User, exchange: dict[str, Any], today: Any,
                 financial: frozenset[str]) -> dict[str, Any]:
    """Every source request of the exchange, each imported; the ImportSummaries."""
    summaries: list[dict[str, Any]] = []
    name = str(exchange.get("displayName") or exchange.get("name") or exchange.get("id"))
    if not acl.can_data_write(user, exchange, "aggregateDataExchanges"):
        summaries.append(_error_summary(f"User has no data write access for AggregateDataExchange: {name}"))
    elif str((exchange.get("target") or {}).get("type") or "INTERNAL") != "INTERNAL":
        summaries.extend(_error_summary("The sandbox runs INTERNAL exchanges only")
                         for _ in (exchange.get("source") or {}).get("requests") or [])
    else:
        for request in (exchange.get("source") or {}).get("requests") or []:
            try:
                rows = source_values(store, user, request, today, financial)
            except SourceError as exc:
                summaries.append(_error_summary(str(exc)))
                continue
            summary = values.import_set(store, user, {"dataValues": rows},
                                        target_options(exchange, financial))
            summaries.append(summary.as_json())
    return import_summaries(summaries)


def exchange(ctx: Ctx, uid: str) -> Response:
    doc = ctx.store.get_object("aggregateDataExchanges", uid)
    if doc is None:
        # `IdentifiableObjectStore#loadByUid` → IllegalQueryException E1113 (409)
        raise webmessage.fail(webmessage.error(
            409, f"Object of type `AggregateDataExchange` not found or not accessible: `{uid}`", "E1113"))
    return _answer(ctx, run_exchange(ctx.store, ctx.user, doc, indicators.today(),
                                ctx.release.financial_year_period_types))


# `Method#toGenericString` of AggregateDataExchangeController#runDataExchange (2.41.9 :69-70,
# 2.42.5 :75-76, 2.43.1 :72-73), named by a missing body's "Required request body is missing: …"
_RUN_HANDLER = ("public org.hisp.dhis.dxf2.webmessage.WebMessage "
                "org.hisp.dhis.webapi.controller.AggregateDataExchangeController.runDataExchange("
                "org.hisp.dhis.dataexchange.aggregate.AggregateDataExchange,"
                "org.hisp.dhis.user.UserDetails)")


def exchange_transient(ctx: Ctx) -> Response:
    """`#runDataExchange`: the exchange in the request body, run without being saved (its sharing
    is the body's; none: public metadata read/write, no data write, so a non-superuser is refused)."""
    doc = ctx.json_body(klass="org.hisp.dhis.dataexchange.aggregate.AggregateDataExchange",
                        handler=_RUN_HANDLER)
    return _answer(ctx, run_exchange(ctx.store, ctx.user, doc, indicators.today(),
                                ctx.release.financial_year_period_types))


def _answer(ctx: Ctx, answer: dict[str, Any]) -> Response:
    answer = webmessage.place_response_type(ctx.release, answer)
    if answer["status"] == "ERROR":
        return webmessage.error(409, "An error occurred, please check import summary.", response=answer)
    if answer["status"] == "WARNING":
        return webmessage.warning("One or more conflicts encountered, please check import summary.", 409,
                                  response=answer)
    return webmessage.ok("Import was successful.", response=answer)


RULES = (
    Rule("/api/aggregateDataExchanges/exchange", endpoint=exchange_transient, methods=["POST"]),
    Rule("/api/aggregateDataExchanges/<uid>/exchange", endpoint=exchange, methods=["POST"]),
)
