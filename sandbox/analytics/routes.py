"""`GET /api/analytics` for program indicators and aggregate data elements (`data_elements.py`):
`dimension=dx:…;…`, `dimension=pe:…`,
`dimension=ou:…`, `filter=` (the same three as filters), `displayProperty=NAME|SHORTNAME`,
`skipMeta`, `skipData`.

Response as `analytics/data/DefaultAnalyticsService` builds it (`common/Grid` → `GridHeader`:
`name`, `column`, `valueType`, `type`, `hidden`, `meta`; rows of strings in header order; a
row only where there is a value; `metaData.items` by uid and period id, `metaData.dimensions`
listing each dimension's items; `headerWidth`, `width`, `height`, `rows`)
(`webapi/controller/AnalyticsController.java#getJson`). Values are rounded to the indicator's
`decimals` (`analytics/util/AnalyticsUtils.java#getRoundedValue`). A dimension that is neither
dx, pe nor ou, a dx item that is not a program indicator, an unknown period or org unit is
refused with 409 and an E71xx code (`feedback/ErrorCode.java`: E7124 missing dimension,
E7143 unknown period, E7145 invalid dimension item, E7112 invalid org unit).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.analytics import data_elements, indicators, orgunits, periods, tables
from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx

_HEADERS = {
    "dx": ("Data", "TEXT", "java.lang.String"),
    "pe": ("Period", "TEXT", "java.lang.String"),
    "ou": ("Organisation unit", "TEXT", "java.lang.String"),
}


def _header(name: str) -> dict[str, Any]:
    column, value_type, java = _HEADERS[name]
    return {"name": name, "column": column, "valueType": value_type, "type": java,
            "hidden": False, "meta": True}


def _conflict(message: str, code: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.error(409, message, code))


def _split(params: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for param in params:
        name, _, items = param.partition(":")
        if name not in _HEADERS:
            raise _conflict(f"Dimension is not valid: `{name}`", "E7145")
        out[name] = [i for i in items.split(";") if i]
    return out


def _format(value: float, decimals: int | None) -> str:
    rounded = round(value, decimals if decimals is not None else 2)
    return str(int(rounded)) if float(rounded).is_integer() else str(rounded)


def analytics(ctx: Ctx) -> Response:
    args = ctx.request.args
    dims = _split(args.getlist("dimension"))
    filters = _split(args.getlist("filter"))
    for name in dims:
        if name in filters:
            raise _conflict(f"Dimension `{name}` cannot be both a dimension and a filter", "E7106")
    every = {**dims, **filters}
    if "dx" not in every:
        raise _conflict("Data dimension is mandatory", "E7102")
    if "pe" not in every:
        raise _conflict("At least one period must be specified as dimension or filter", "E7103")
    short = args.get("displayProperty", "NAME").upper() == "SHORTNAME"
    found: list[indicators.Indicator] = []
    elements: list[data_elements.Item] = []
    order: list[str] = []
    for uid in every["dx"]:
        doc = ctx.store.get_object("programIndicators", uid)
        if doc is not None:
            found.append(indicators.Indicator.of(doc))
        else:
            try:
                element = data_elements.item(ctx.store, uid)
            except data_elements.DataElementError as exc:
                raise _conflict(f"Data element not supported by the sandbox: {exc}", "E7145") from None
            if element is None:
                raise _conflict(f"Dimension item `{uid}` is not a program indicator or data element "
                                "the sandbox knows", "E7145")
            elements.append(element)
        order.append(uid)
    try:
        pes = periods.resolve(every["pe"], _today(ctx), ctx.release.financial_year_period_types)
    except periods.PeriodError as exc:
        raise _conflict(f"Period `{exc}` is not valid", "E7143") from None
    tree = orgunits.units(ctx.store)
    try:
        ous = orgunits.resolve(every.get("ou") or ["USER_ORGUNIT"], tree, ctx.user)
    except orgunits.OrgUnitError as exc:
        raise _conflict(f"Organisation unit `{exc}` is not valid", "E7112") from None
    try:
        evaluated = indicators.evaluate(ctx.store, found, pes)
    except indicators.IndicatorError as exc:
        raise _conflict(f"Program indicator not supported by the sandbox: {exc}", "E7145") from None
    stored = data_elements.values(ctx.store, elements) if elements else {}
    by_uid: dict[str, indicators.Indicator | data_elements.Item] = {
        **{i.uid: i for i in found}, **{e.uid: e for e in elements}}

    def figure(uid: str, pe_group: list[periods.Period], ou_group: list[orgunits.Unit]) -> float | None:
        it = by_uid[uid]
        if isinstance(it, data_elements.Item):
            return data_elements.aggregate(it, stored[it.element], pe_group, ou_group)
        total: float | None = None
        for p in pe_group:
            kept = [r for r in evaluated.rows[(it.uid, p.iso)]
                    if any(orgunits.within(tree[r[0]].path if r[0] in tree else "", u) for u in ou_group)]
            value = indicators.aggregate(it, kept)
            if value is not None:
                total = value if total is None else total + value
        return total

    rows: list[list[str]] = []
    dim_order = [d for d in ("dx", "pe", "ou") if d in dims] or []
    # Filters aggregate: a filter dimension's items fold into one figure.
    pe_groups = [[p] for p in pes] if "pe" in dims else [pes]
    ou_groups = [[u] for u in ous] if "ou" in dims else [ous]
    dx_groups = [[i] for i in order] if "dx" in dims else [order]
    for dx_group in dx_groups:
        for pe_group in pe_groups:
            for ou_group in ou_groups:
                total: float | None = None
                for uid in dx_group:
                    value = figure(uid, pe_group, ou_group)
                    if value is not None:
                        total = value if total is None else total + value
                if total is None:
                    continue
                first = by_uid[dx_group[0]]
                decimals = first.decimals if isinstance(first, indicators.Indicator) else None
                row = {"dx": dx_group[0], "pe": pe_group[0].iso, "ou": ou_group[0].uid}
                rows.append([row[d] for d in dim_order] + [_format(total, decimals)])
    items: dict[str, Any] = {}
    for ind in found:
        items[ind.uid] = {"uid": ind.uid, "code": ind.code, "name": ind.short_name if short else ind.name,
                          "dimensionItemType": "PROGRAM_INDICATOR", "valueType": "NUMBER",
                          "totalAggregationType": "SUM", "aggregationType": ind.aggregation}
    for el in elements:
        items[el.uid] = {"uid": el.uid, "code": el.code, "name": el.name, "dimensionItemType": el.item_type,
                         "valueType": "NUMBER", "totalAggregationType": "SUM", "aggregationType": el.aggregation}
    for p in pes:
        items[p.iso] = {"uid": p.iso, "code": p.iso, "name": p.name, "dimensionItemType": "PERIOD",
                        "valueType": "TEXT", "totalAggregationType": "SUM",
                        "startDate": f"{p.start.isoformat()}T00:00:00.000",
                        "endDate": f"{p.end.isoformat()}T00:00:00.000"}
    for u in ous:
        items[u.uid] = {"uid": u.uid, "name": u.name, "dimensionItemType": "ORGANISATION_UNIT",
                        "valueType": "TEXT", "totalAggregationType": "SUM"}
    for name in ("dx", "pe", "ou"):
        items.setdefault(name, {"name": _HEADERS[name][0]})
    headers = [_header(d) for d in dim_order] + [
        {"name": "value", "column": "Value", "valueType": "NUMBER", "type": "java.lang.Double",
         "hidden": False, "meta": False}]
    body: dict[str, Any] = {"headers": headers}
    if not _flag(ctx, "skipMeta"):
        body["metaData"] = {"items": items, "dimensions": {
            "dx": order, "pe": [p.iso for p in pes], "ou": [u.uid for u in ous],
            "co": []}}
    body["rowContext"] = {}
    body["rows"] = [] if _flag(ctx, "skipData") else rows
    body["headerWidth"] = len(headers)
    body["width"] = len(headers)
    body["height"] = len(body["rows"])
    last = tables.last_refresh(ctx.store)
    return webmessage.json_response(body, headers={"X-Sandbox-Analytics-Refreshed": last or "never"})


def _flag(ctx: Ctx, name: str) -> bool:
    return ctx.request.args.get(name, "false").lower() == "true"


def _today(ctx: Ctx) -> date:
    # `relativePeriodDate` moves "today" as DHIS2's parameter of that name does.
    raw = ctx.request.args.get("relativePeriodDate")
    if raw:
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            raise _conflict(f"relativePeriodDate `{raw}` is not a date", "E7143") from None
    return date.today()


RULES = (
    Rule("/api/analytics", endpoint=analytics, methods=["GET"]),
)
