"""`GET /api/analytics` for program indicators and aggregate data elements (`data_elements.py`):
`dimension=dx:…;…`, `dimension=pe:…`,
`dimension=ou:…`, `filter=` (the same three as filters), `displayProperty=NAME|SHORTNAME`,
`includeMetadataDetails`, `skipMeta`, `skipData`.

Response as `analytics/data/DefaultAnalyticsService` builds it (`common/Grid` → `GridHeader`:
`name`, `column`, `valueType`, `type`, `hidden`, `meta`; rows of strings in header order; a
row only where there is a value; `metaData.items` by uid and period id (names only unless
`includeMetadataDetails=true`, `AnalyticsUtils#getDimensionMetadataItemMap`), `metaData.dimensions`
listing each dimension's items; `headerWidth`, `width`, `height`, `rows`)
and `MetadataHandler#addMetaData` (the keywords of relative periods and `LEVEL-n`,
`DimensionItemKeywords`, where no item has the key; then the `USER_ORGUNIT*` lists of
`AnalyticsOrganisationUnitUtils#getUserOrganisationUnitItems`). Without `ou`, the user's data
view units are a nameless ou filter, and a user without any reads every org unit
(`DefaultAnalyticsSecurityManager#applyOrganisationUnitConstraint`)
(`webapi/controller/AnalyticsController.java#getJson`). Values are rounded to the indicator's
`decimals` (`analytics/util/AnalyticsUtils.java#getRoundedValue`).

Refusals, each an `IllegalQueryException` (409, `feedback/ErrorCode.java`), in DHIS2's order
(the same at 2.41.9, 2.42.5 and 2.43.1 but for step 2 of a user without data view units):
1. reading each `dimension=`, then each `filter=` (`analytics/data/DefaultDataQueryService.java
   #getFromRequest/#getDimension`, `DimensionalObjectProvider.java`, 2.41.9
   `DimensionalObjectProducer.java`): an identifier that is no dimension E7125; dx items naming
   nothing are dropped and a dx left empty is E7124; a period that does not read E7611; org
   units naming nothing are dropped and an ou left empty is E7143;
2. `DefaultAnalyticsService#checkSecurityConstraints` → `DefaultAnalyticsSecurityManager
   #decideAccessDataViewOrganisationUnits`: an org unit outside the user's data view units, or
   below their `dataViewMaxOrganisationUnitLevel`, E7120 (superusers too; 2.43.1 the capture
   units of a user without data view units, `analytics_data_view_falls_back_to_capture`);
3. `DefaultQueryValidator#validateForErrorMessage`: no dimension E7101, no dx E7102 (unless
   `skipData`), a dimension also a filter E7103, no period E7104, a program indicator filter
   with more than one dx item E7108, a dimension given twice E7111.
Real dimensions and items the sandbox does not aggregate (`co`, `ao`, categories and group sets,
indicators, data sets, tracker data elements) and program indicators it cannot evaluate are
refused with 409 E7145 and a message saying so; `startDate`/`endDate` are not read.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.analytics import boundaries, data_elements, indicators, orgunits, periods, tables
from scdi.sandbox.core import java_hash, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.java_split import java_split

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


def _illegal(code: str, *args: object) -> webmessage.HttpError:
    """An `IllegalQueryException` (409): `ErrorMessage` formats the args with MessageFormat,
    so a list prints as Java's `List#toString`."""
    shown = [f"[{', '.join(map(str, a))}]" if isinstance(a, list) else str(a) for a in args]
    return _conflict(_MESSAGES[code].format(*shown), code)


# feedback/ErrorCode.java (the same text at 2.41.9, 2.42.5 and 2.43.1).
_MESSAGES = {
    "E7101": "At least one dimension must be specified",
    "E7102": "At least one data dimension item or data element group set dimension item must "
             "be specified",
    "E7103": "Dimensions cannot be specified as dimension and filter simultaneously: `{0}`",
    "E7104": "At least one period as dimension or filter, or start and dates, must be specified",
    "E7108": "Only a single indicator can be specified as filter",
    "E7111": "Dimensions cannot be specified more than once: `{0}`",
    "E7124": "Dimension is present in query without any valid dimension options: `{0}`",
    "E7125": "Dimension identifier does not reference any dimension: `{0}`",
    "E7143": "Organisation unit or organisation unit level is not valid",
    "E7611": "Period not valid: `{0}`",
}
# i18n_global.properties (the same at 2.41.9, 2.42.5 and 2.43.1): the names of the relative
# periods' keywords; LAST_10_FINANCIAL_YEARS has none, so I18n#getString answers the key.
_RELATIVE_NAMES = {
    "TODAY": "Today", "THIS_MONTH": "This month", "LAST_MONTH": "Last month",
    "LAST_3_MONTHS": "Last 3 months", "LAST_6_MONTHS": "Last 6 months",
    "LAST_12_MONTHS": "Last 12 months", "THIS_QUARTER": "This quarter",
    "LAST_QUARTER": "Last quarter", "LAST_4_QUARTERS": "Last 4 quarters",
    "THIS_YEAR": "This year", "LAST_YEAR": "Last year", "LAST_5_YEARS": "Last 5 years",
    "LAST_10_YEARS": "Last 10 years", "LAST_30_DAYS": "Last 30 days",
    "LAST_90_DAYS": "Last 90 days", "THIS_FINANCIAL_YEAR": "This financial year",
    "LAST_FINANCIAL_YEAR": "Last financial year",
    "LAST_5_FINANCIAL_YEARS": "Last 5 financial years", "LAST_10_FINANCIAL_YEARS": None,
}
# Dimensions DefaultDataQueryService#getDimension knows besides dx, pe and ou (fixed ids, and
# the classes of DataQueryParams.DYNAMIC_DIM_CLASSES by uid): real dimensions the sandbox does
# not aggregate by.
_FIXED_UNSUPPORTED = ("co", "ao", "oug", "longitude", "latitude")
_DYNAMIC_PLURALS = ("categories", "categoryOptionGroupSets", "dataElementGroupSets",
                    "organisationUnitGroupSets")


def _param(param: str) -> tuple[str, list[str]]:
    """DimensionalObjectUtils#getDimensionFromParam / #getDimensionItemsFromParam."""
    parts = java_split(":", param)
    name = (parts or [param])[0]
    if len(parts) > 1:
        return name, java_split(";", param[param.index(":") + 1:])
    return name, []


class _Query:
    """The dimensions and filters as `DefaultDataQueryService#getFromRequest` reads them: each
    parameter in order, dimensions before filters, the first that reads to nothing refused."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.tree = orgunits.units(ctx.store)
        self.indicators: dict[str, indicators.Indicator] = {}
        self.elements: dict[str, data_elements.Item] = {}
        # metaData.items the dimensions' keywords add (DimensionItemKeywords)
        self.keywords: dict[str, dict[str, Any]] = {}
        self.levels = {int(doc["level"]): doc for doc in ctx.store.list_objects("organisationUnitLevels")
                       if isinstance(doc.get("level"), int)}
        self.dims = [self._read(p) for p in ctx.request.args.getlist("dimension")]
        self.filters = [self._read(p) for p in ctx.request.args.getlist("filter")]

    def _read(self, param: str) -> tuple[str, list[Any]]:
        name, items = _param(param)
        if name == "dx":
            return name, self._data(items)
        if name == "pe":
            try:
                release = self.ctx.release
                # 2.41/2.42 date the financial relative periods today whatever
                # `relativePeriodDate` says (RelativePeriods#getRelativeFinancialPeriods)
                fin = None if release.financial_relative_periods_dated else date.today()
                found = periods.resolve(items, _today(self.ctx), release.financial_year_period_types, fin)
            except periods.PeriodError as exc:
                # DimensionalObjectProvider#addDailyPeriods: not a relative period, an ISO id
                # nor a date range. The sandbox reads fewer ISO types than DHIS2.
                raise _illegal("E7611", exc) from None
            for item in items:
                if not re.fullmatch(r"[A-Z][A-Z_0-9]*", item) and "-" in item:
                    # #addDatePeriods: the keyword of the id as written, named as the period
                    period = periods.parse_dimension_iso(item, release.financial_year_period_types)
                    self.keywords.setdefault(item, {"name": period.name})
                if item in _RELATIVE_NAMES:
                    # #addRelativePeriods: the keyword named by i18n_global.properties, its
                    # key where the bundle has none
                    self.keywords.setdefault(item, {"name": _RELATIVE_NAMES[item] or item})
            return name, found
        if name == "ou":
            units = orgunits.resolve(items, self.tree, self.ctx.user, drop_unknown=True,
                                     level_uids={str(d["id"]): n for n, d in self.levels.items()})
            if not units:
                raise _illegal("E7143")  # DimensionalObjectProvider#getOrgUnitDimension
            for key, keyword in orgunits.level_keywords(items, self.tree, self.ctx.user,
                                                        self.levels).items():
                self.keywords.setdefault(key, keyword)
            return name, units
        if name in _FIXED_UNSUPPORTED or any(self.ctx.store.get_object(plural, name)
                                              for plural in _DYNAMIC_PLURALS):
            raise _conflict(f"Dimension `{name}` is not supported by the sandbox", "E7145")
        raise _illegal("E7125", name)

    def _data(self, items: list[str]) -> list[str]:
        """DimensionalObjectProvider#getDimension: an item that names nothing is dropped; a
        dimension left without items is E7124."""
        kept: list[str] = []
        for uid in items:
            doc = self.ctx.store.get_object("programIndicators", uid)
            if doc is not None:
                self.indicators[uid] = indicators.Indicator.of(doc)
                kept.append(uid)
                continue
            try:
                element = data_elements.item(self.ctx.store, uid)
            except data_elements.DataElementError as exc:
                raise _conflict(f"Data element not supported by the sandbox: {exc}",
                                "E7145") from None
            if element is not None:
                self.elements[uid] = element
                kept.append(uid)
            elif not self._names_nothing(uid):
                raise _conflict(f"Dimension item `{uid}` is not a program indicator or data "
                                "element the sandbox knows", "E7145")
        if not kept:
            raise _illegal("E7124", "dx")
        return kept

    def _names_nothing(self, uid: str) -> bool:
        """DimensionService#getDataDimensionalItemObject answers null: no object has the uid,
        or an operand's data element is there and its combo is not
        (DefaultDimensionService#getDataElementOperand)."""
        first, _, combo = uid.partition(".")
        found = self.ctx.store.find_uid(first)
        if found is None:
            return True
        return found[0] == "dataElements" and bool(combo) and combo != "*" and \
            self.ctx.store.get_object("categoryOptionCombos", combo) is None

    def validate(self) -> None:
        """Access (DefaultAnalyticsSecurityManager#decideAccess), then
        DefaultQueryValidator#validateForErrorMessage in its order."""
        units = [u for name, items in (*self.dims, *self.filters) if name == "ou" for u in items]
        outside = orgunits.outside_data_view(
            self.ctx.user, units, self.tree,
            self.ctx.release.analytics_data_view_falls_back_to_capture,
            orgunits.max_view_level(self.ctx.store, self.ctx.user))
        if outside is not None:
            raise _conflict(f"User: `{self.ctx.user.username}` is not allowed to view org unit: "
                            f"`{outside.uid}`", "E7120")
        names = [name for name, _ in self.dims]
        filter_names = [name for name, _ in self.filters]
        if not self.dims:
            raise _illegal("E7101")
        if not _flag(self.ctx, "skipData") and "dx" not in names + filter_names:
            raise _illegal("E7102")
        both = _dimensions_as_filters(names, filter_names)
        if both:
            raise _illegal("E7103", both)
        if not self.items("pe"):
            raise _illegal("E7104")
        filter_dx = [uid for name, items in self.filters if name == "dx" for uid in items]
        if any(uid in self.indicators for uid in filter_dx) and len(filter_dx) > 1:
            raise _illegal("E7108")
        # DataQueryParams#getDuplicateDimensions, over the dimensions as addDimension sorts them
        ordered = _sorted_dimensions(names)
        duplicates = [n for i, n in enumerate(ordered) if n in ordered[:i]]
        if duplicates:
            raise _illegal("E7111", duplicates)

    def items(self, name: str) -> list[Any]:
        """DataQueryParams#getDimensionOrFilterItems: the dimension's items, else the filter's."""
        for dim, items in (*self.dims, *self.filters):
            if dim == name:
                return items
        return []


def _sorted_dimensions(names: list[str]) -> list[str]:
    """DataQueryParams#addDimension re-sorts the list after each add by DimensionType order
    (2.41.9 :1535-1539, 2.42.5 :1557-1561, 2.43.1 :1586-1590): DATA_X is 0, PERIOD and
    ORGANISATION_UNIT 999, and List#sort is stable, so dx first, then pe and ou as given."""
    return sorted(names, key=lambda n: n != "dx")


def _dimensions_as_filters(names: list[str], filter_names: list[str]) -> list[str]:
    """DataQueryParams#getDimensionsAsFilters (2.41.9 :677-679, 2.42.5 :680-682, 2.43.1
    :702-704) is CollectionUtils#intersection (2.41.9 dhis-support-commons :128-132, 2.42.5 and
    2.43.1 dhis-api `common/collection` :132-136): `new HashSet<>(dimensions)`, filled from the
    sorted dimensions, then `retainAll` of the filters; so the order is that set's. Its elements
    are BaseDimensionalObjects, whose hashCode is BaseNameableObject's (2.41.9 :106-111, 2.42.5
    and 2.43.1 :108-113; the class extends it at 2.41.9 :58, 2.42.5 :60, 2.43.1 :61) over a uid
    of the dimension's identifier and no code, name, shortName or description
    (DimensionalObjectProvider builds them with the dimension id only). With at most three
    dimensions the table is 16 on JDK 17 and 21 alike: dx and pe share a bucket, ou is after."""
    ordered = list(dict.fromkeys(_sorted_dimensions(names)))
    kept = java_hash.hash_set_order(
        ordered, capacity=java_hash.copy_capacity(len(ordered)),
        hash_code=lambda n: java_hash.nameable_hash(n, None, None))
    return [name for name in kept if name in filter_names]


def _format(value: float, decimals: int | None) -> str:
    rounded = round(value, decimals if decimals is not None else 2)
    return str(int(rounded)) if float(rounded).is_integer() else str(rounded)


def _one_event_query(found: list[indicators.Indicator], units: list[orgunits.Unit],
                     pes: list[periods.Period]) -> bool:
    """`DefaultEventQueryPlanner#planAggregateQuery` (2.41.9 :72-91, 2.42.5 :74-93, 2.43.1
    :78-97) splits the program indicators' query: one per indicator of dx (`#groupByQueryItems`,
    all of them in one EventQueryParams: `DataHandler#addProgramDataElementAttributeIndicatorValues`,
    `EventQueryParams#fromDataQueryParams`), then by org unit level and period type, then, for an
    indicator that `Indicator.splits_by_period`, one per period. With more than one query each is
    flagged `multipleQueries` (`#withTableNameAndPartitions`, 2.41.9 :145-155, 2.42.5 :147-157, 2.43.1 :161-171)
    and `AnalyticsUtils#withExceptionHandling` drops a BadSqlGrammarException silently (2.41.9
    :1155-1181; 2.42.5 :1241-1259 and `#handleDataAccessException` :1261-1275; 2.43.1
    :1224-1250 and :1252-1272); a single query rethrows it."""
    levels = len({u.level for u in units}) or 1
    queries = sum(levels * (len(pes) if i.splits_by_period() else len({p.type for p in pes}))
                  for i in found)
    return queries <= 1


def _sql_refusal(ctx: Ctx) -> Response:
    """`CrudControllerAdvice#badSqlGrammarException` → `WebMessageUtils#createWebMessage
    (SQLException)` (2.41.9 :272-285, 2.42.5 / 2.43.1 :274-287): 409 E7145 (the SQLState is not
    42P01's missing relation) with the state; devMessage "SqlState: …" on 2.41, the driver's
    message from 2.42 (PostgreSQL's text with the function's position in the query: not
    modelled, left out) — `Release.sql_error_dev_message_is_state`."""
    state = "42883"  # undefined_function: sum(character) / avg(character)
    return webmessage.error(409, f"Query failed because of a syntax error (SqlState: {state})",
                            "E7145", dev_message=(f"SqlState: {state}"
                                                  if ctx.release.sql_error_dev_message_is_state
                                                  else None))


def analytics(ctx: Ctx) -> Response:
    args = ctx.request.args
    query = _Query(ctx)
    query.validate()
    dims = dict(query.dims)
    every = {**dict(query.filters), **dims}
    short = args.get("displayProperty", "NAME").upper() == "SHORTNAME"
    order: list[str] = every.get("dx", [])
    found = [query.indicators[uid] for uid in dict.fromkeys(order) if uid in query.indicators]
    elements = [query.elements[uid] for uid in dict.fromkeys(order) if uid in query.elements]
    pes: list[periods.Period] = every["pe"]
    tree = query.tree
    # Without ou, DefaultAnalyticsSecurityManager#applyOrganisationUnitConstraint (2.41.9 :307,
    # 2.42.5 :308, 2.43.1 :305) makes the user's data view units a nameless ou filter; a user
    # without any reads every org unit and the answer names none.
    ou_shown: str | None = "dimension" if "ou" in every else None
    ous: list[orgunits.Unit] = every.get("ou") or []
    if not ous and ctx.user.view_org_units:
        ous, ou_shown = orgunits.hashed([tree[u] for u in ctx.user.view_org_units if u in tree]), "constraint"
    counted = ous or [u for u in tree.values() if u.level == 1]
    try:
        evaluated = indicators.evaluate(ctx.store, found, pes)
    except indicators.IndicatorError as exc:
        raise _conflict(f"Program indicator not supported by the sandbox: {exc}", "E7145") from None
    except boundaries.IllegalFieldValue as exc:  # a boundary date Joda refuses: 400, no code
        raise webmessage.fail(webmessage.bad_request_message(str(exc))) from None
    refused = {i.uid for i in found if indicators.refused_by_sql(i)}
    if refused and _one_event_query(found, ous or counted, pes):
        raise webmessage.fail(_sql_refusal(ctx))
    stored = data_elements.values(ctx.store, elements) if elements else {}
    by_uid: dict[str, indicators.Indicator | data_elements.Item] = {
        **{i.uid: i for i in found}, **{e.uid: e for e in elements}}

    def figure(uid: str, pe_group: list[periods.Period], ou_group: list[orgunits.Unit]) -> float | None:
        it = by_uid[uid]
        if isinstance(it, data_elements.Item):
            return data_elements.aggregate(it, stored[it.element], pe_group, ou_group)
        if it.uid in refused:  # one of several queries: its SQL error is dropped silently
            return None
        total: float | None = None
        for p in pe_group:
            kept = [r for r in evaluated.rows[(it.uid, p.iso)]
                    if any(orgunits.within(tree[r[0]].path if r[0] in tree else "", u) for u in ou_group)]
            try:
                value = indicators.aggregate(it, kept)
            except indicators.UnreadableValue as exc:
                raise webmessage.fail(webmessage.error(500, str(exc))) from None
            if value is not None:
                total = value if total is None else total + value
        return total

    rows: list[list[str]] = []
    # DataQueryParams#addDimension sorts by DimensionType#getOrder: dx first, pe and ou as given;
    # the headers and each row's cells follow (HeaderHandler#addHeaders)
    dim_order = sorted(dims, key=lambda d: d != "dx")
    # Filters aggregate: a filter dimension's items fold into one figure.
    pe_groups = [[p] for p in pes] if "pe" in dims else [pes]
    ou_groups = [[u] for u in ous] if "ou" in dims else [counted]
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
                row = {"dx": dx_group[0], "pe": pe_group[0].iso, "ou": ou_group[0].uid if ou_group else ""}
                rows.append([row[d] for d in dim_order] + [_format(total, decimals)])
    # AnalyticsUtils#getCocNameMap / #getDimensionMetadataItemMap: the option combos of the
    # data elements (not operands) asked for, `co` listing their uids as a HashSet does
    combos = list({coc["id"]: coc for el in elements if el.coc is None
                   for coc in data_elements.option_combos(ctx.store, el.element)}.values())
    items = _metadata_items(found, pes, ous, elements, short=short,
                            details=_flag(ctx, "includeMetadataDetails"), ou_shown=ou_shown,
                            combos=combos)
    for key, keyword in query.keywords.items():
        items.setdefault(key, {k: v for k, v in keyword.items() if v is not None})
    # MetadataHandler#addMetaData puts these over the map
    items.update(orgunits.user_org_unit_items(args.getlist("dimension"), tree, ctx.user))
    # HeaderHandler#addHeaders: none with skipData
    headers = [] if _flag(ctx, "skipData") else [_header(d) for d in dim_order] + [
        {"name": "value", "column": "Value", "valueType": "NUMBER", "type": "java.lang.Double",
         "hidden": False, "meta": False}]
    body: dict[str, Any] = {"headers": headers}
    if not _flag(ctx, "skipMeta"):
        dimensions: dict[str, list[str]] = {
            "dx": order, "pe": [p.iso for p in pes],
            "co": java_hash.hash_set_order(str(c["id"]) for c in combos)}
        if ou_shown:
            dimensions["ou"] = [u.uid for u in ous]
        body["metaData"] = {"items": items, "dimensions": dimensions}
    body["rowContext"] = {}
    body["rows"] = [] if _flag(ctx, "skipData") else rows
    body["headerWidth"] = len(headers)
    # ListGrid#getWidth: the first row's width, 0 without rows
    body["width"] = len(body["rows"][0]) if body["rows"] else 0
    body["height"] = len(body["rows"])
    last = tables.last_refresh(ctx.store)
    return webmessage.json_response(body, headers={"X-Sandbox-Analytics-Refreshed": last or "never"})


_DIMENSION_TYPES = {"dx": "DATA_X", "pe": "PERIOD", "ou": "ORGANISATION_UNIT"}


def _metadata_items(found: list[indicators.Indicator], pes: list[periods.Period],
                    ous: list[orgunits.Unit], elements: list[data_elements.Item], *,
                    short: bool, details: bool, ou_shown: str | None,
                    combos: list[dict[str, Any]]) -> dict[str, Any]:
    """`metaData.items` (`AnalyticsUtils#getDimensionMetadataItemMap`: 2.41.9 :783, 2.42.5 :828,
    2.43.1 :810): each item a `MetadataItem` named by `getDisplayProperty` (SHORTNAME the short
    name where there is one, `BaseNameableObject#getDisplayProperty`), its other properties
    only with `includeMetadataDetails=true` (`includeMetadataDetails ? item : null`, :815/:862/
    :844, then `MetadataItem#setDataItem`; a dimension's own entry then carries its uid and
    dimension type). The NON_NULL web mapper leaves the rest out, so by default an item is
    `{"name": …}`."""
    def named(name: str | None, fallback: str | None) -> str | None:
        return name if short and name else fallback

    items: dict[str, dict[str, Any]] = {}
    for ind in found:
        items[ind.uid] = {"uid": ind.uid, "code": ind.code, "name": named(ind.short_name, ind.name),
                          "dimensionItemType": "PROGRAM_INDICATOR", "valueType": "NUMBER",
                          "totalAggregationType": "SUM", "aggregationType": ind.aggregation}
    for el in elements:
        items[el.uid] = {"uid": el.uid, "code": el.code, "name": named(el.short_name, el.name),
                         "dimensionItemType": el.item_type,
                         "valueType": el.value_type, "totalAggregationType": "SUM",
                         "aggregationType": el.aggregation}
    for coc in combos:
        # a data element's option combos (not an operand's): no item type nor aggregation
        # type of their own, the total SUM as BaseDimensionalItemObject answers without one
        items[coc["id"]] = {"uid": coc["id"], "code": coc.get("code"),
                            "name": named(coc.get("shortName"), coc.get("name")),
                            "valueType": "NUMBER", "totalAggregationType": "SUM"}
    for p in pes:
        items[p.iso] = {"uid": p.iso, "code": p.iso, "name": p.name, "dimensionItemType": "PERIOD",
                        "valueType": "TEXT", "totalAggregationType": "SUM",
                        "startDate": f"{p.start.isoformat()}T00:00:00.000",
                        "endDate": f"{p.end.isoformat()}T00:00:00.000"}
    for u in ous:
        items[u.uid] = {"uid": u.uid, "code": u.code, "name": named(u.short_name, u.name),
                        "dimensionItemType": "ORGANISATION_UNIT", "valueType": "TEXT",
                        "totalAggregationType": "SUM"}
    for name in ("dx", "pe", "ou"):
        if name == "ou" and not ou_shown:
            continue
        # the data view constraint's BaseDimensionalObject has no display name
        shown = None if name == "ou" and ou_shown == "constraint" else _HEADERS[name][0]
        items.setdefault(name, {"uid": name, "name": shown, "dimensionType": _DIMENSION_TYPES[name]})
    if not details:
        items = {k: {"name": item.get("name")} for k, item in items.items()}
    # MetadataItem's @JsonProperty fields go through the NON_NULL web mapper
    # (JacksonObjectMapperConfig): an item without a code has no `code` key
    return {k: {f: v for f, v in item.items() if v is not None} for k, item in items.items()}


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
