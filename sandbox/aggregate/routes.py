"""`POST /api/dataValueSets` (JSON; `F_DATAVALUE_ADD`) and `GET /api/dataValueSets` (JSON).

The POST maps XML, ADX, JSON, CSV and PDF (`_consumes`; another media type is the 415 of the
mapping); the sandbox reads JSON only and says so for the others (415, after the authority).

`webapi/controller/DataValueSetController.java#postJsonDataValueSet`: the import options come
from the query string and the answer is `WebMessageUtils#importSummary` — 200 OK
"Import was successful." for SUCCESS, 409 WARNING "One more conflicts encountered, please check
import summary." for WARNING (2.43.1: 200 WARNING "Import completed with warnings, please check
import summary.", `Release.import_summary_warning_ok`), 409 ERROR "An error occurred, please check import summary." for
ERROR — with the ImportSummary (`values.py`) as `response`. The controller hands the request's
stream to the service, which reads the body itself (`body.py`).

`#getDataValueSetJson` → `DefaultDataValueSetService#validate` (2.41.9, 2.42.5; the last
failing rule wins: E2001 no data set or data element, E2002 no period, dates, lastUpdated or
lastUpdatedDuration, E2004 start after end, E2005 a duration DateUtils#getDuration refuses,
E2006 no org unit or group, E2007 children of groups, E2008 children without org unit, E2009
a negative limit; `#getFromUrl` reads the dates only without periods, so never E2003) or, on
2.43.1, `DefaultDataExportService#validateFilters` (:425-437, the first failure, see
`Release.data_export_first_failure`; 2.43.1 refuses a period id `Period::of` cannot
read, 2.41.9/2.42.5 drop it), then `#decideAccess` (E2010 data set not data-readable,
E2012 org unit outside the user's data view hierarchy), each a 409. The filters count the ids
found: 2.41.9/2.42.5 `#getFromUrl` drops unknown and unshared ones (a set of them alone is
E2001, org units alone E2006); 2.43.1 keeps them, to match nothing
(`Release.data_export_ids_unresolved`). 2.43.1 reads each filter id with `UID::of` first and
refuses all unreadable sets / units outside the capture units in one E2010 / E2012
(`Release.data_export_access_lists`).
Values of deleted rows are left out; `children=true` takes the org units' descendants.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl
from scdi.sandbox.aggregate import body, completion, decode, values
from scdi.sandbox.analytics import periods
from scdi.sandbox.core import (
    authority,
    java_dates,
    java_double,
    media_type,
    objects,
    plain_response,
    web_data_binder,
    webmessage,
    xml_bodies,
)
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.durations import duration_seconds
from scdi.sandbox.core.spring_params import not_valid_value, spring_bool, spring_int

AUTHORITY = "F_DATAVALUE_ADD"
# feedback/ErrorCode.java (2.41.9, 2.42.5, 2.43.1). E2005 is raised without its argument
# (`new ErrorMessage(ErrorCode.E2005)`), so MessageFormat leaves the placeholder in.
_MESSAGES = {
    "E2001": "At least one data element, data set or data element group must be specified",
    "E2002": "At least one period, start/end dates, last updated or last updated duration must "
             "be specified",
    "E2003": "Both periods and start/end date cannot be specified",
    "E2004": "Start date must be before end date",
    "E2005": "Duration is not valid: `{0}`",
    "E2006": "At least one organisation unit or organisation unit group must be specified",
    "E2007": "Organisation unit children cannot be included for organisation unit groups",
    "E2008": "At least one organisation unit must be specified when children are included",
    "E2009": "Limit cannot be less than zero: `{0}`",
}


def summary_response(ctx: Ctx, summary: values.Summary, plain: bool = False) -> Response:
    """`WebMessageUtils#importSummary`; `plain`: 2.41.9's `.withPlainResponseBefore(V38)`
    (#postJsonDataValueSet and its siblings, :241-301), the ImportSummary alone with 200
    (`core/plain_response.py`)."""
    body = webmessage.place_response_type(ctx.release, summary.as_json())
    if plain:
        return webmessage.json_response(body)
    if summary.status == "ERROR":
        return webmessage.error(409, "An error occurred, please check import summary.", response=body)
    if summary.status == "WARNING":
        if ctx.release.import_summary_warning_ok:  # 2.43.1 :175-178
            return webmessage.warning("Import completed with warnings, please check import summary.",
                                      200, response=body)
        return webmessage.warning("One more conflicts encountered, please check import summary.", 409,
                                  response=body)
    return webmessage.ok("Import was successful.", response=body)


# DataValueSetController's POST mappings (2.41.9 :229/:244/:259/:274/:289, 2.42.5
# :232/:247/:263/:278/:293, 2.43.1 :123/:135/:147/:159/:171): XML (DXF2), ADX
# (`ContextUtils.CONTENT_TYPE_XML_ADX`, "application/adx+xml; charset=UTF-8"), JSON, CSV, PDF
_ADX = "application/adx+xml"
_CONSUMES = ("application/xml", _ADX, "application/json", "application/csv", "application/pdf")
_NOT_READ = {"application/csv": "CSV", "application/pdf": "PDF"}


def _consumes(ctx: Ctx) -> str:
    """The mappings' `consumes`, before anything is bound or the authority asked: another media
    type is Spring's 415 (`Ctx.require_media_type`). The ADX expression carries a charset,
    which Spring 6's `ConsumeMediaTypeExpression#matchParameters` compares (ignoring case) with
    the request's own when it has one; Spring 5 (2.41) compares none
    (`Release.consumes_matches_parameters`). Answers the media type's essence."""
    given = ctx.request.headers.get("Content-Type", "")
    try:
        parsed: media_type.MediaType | None = media_type.parse(given)
    except media_type.InvalidMediaType:
        parsed = None
    charset = dict((k.lower(), v) for k, v in parsed.parameters).get("charset") if parsed else None
    accepted = [t for t in _CONSUMES if t != _ADX or not charset or charset.lower() == "utf-8"
                or not ctx.release.consumes_matches_parameters]
    ctx.require_media_type(*accepted)
    assert parsed is not None
    return parsed.essence


def post(ctx: Ctx) -> Response:
    essence = _consumes(ctx)
    authority.require(ctx, AUTHORITY)
    if essence in ("application/xml", _ADX):
        # #postDxf2DataValueSet / #postAdxDataValueSet hand the stream to the XML readers
        raise xml_bodies.refuse()
    if essence in _NOT_READ:
        raise webmessage.fail(webmessage.error(
            415, f"{_NOT_READ[essence]} data value import is not implemented by the sandbox; send JSON"))
    options = values.Options.of(dict(ctx.request.args), ctx.release.financial_year_period_types)
    try:
        doc = body.read(ctx)
    except body.Unreadable as failure:
        if failure.answer is not None:
            raise webmessage.fail(failure.answer) from None
        return summary_response(ctx, values.Summary(options, status="ERROR",
                                                    description=str(failure.description),
                                                    data_set_complete=None),
                                plain_response.applies(ctx))
    if ctx.release.data_value_set_body == "json_tree" and doc.get("dryRun") is not None:
        # 2.43.1 DataEntryInput#fromJson :244-245 lets the body's dryRun set the options';
        # 2.41.9/2.42.5 bind `DataValueSet#dryRun` and never read it
        options.dry_run = bool(doc["dryRun"])
    try:
        summary = values.import_set(ctx.store, ctx.user, doc, options, decode.Pipeline(
            completion=ctx.release.data_set_completion_pipeline,
            periods=ctx.release.import_period_fails_the_group,
            ids=ctx.release.import_decode_refusals,
            own_ids_first=ctx.release.import_value_ids_over_the_set,
            upserts=ctx.release.import_summary_upserted,
            schemes_merged=ctx.release.import_id_schemes_merged))
    except completion.ImportFailed as failure:
        summary = values.Summary(options, status="ERROR", description=str(failure),
                                 data_set_complete=None)
    return summary_response(ctx, summary, plain_response.applies(ctx))


def _illegal(code: str, message: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.error(409, message, code))


def _ids(ctx: Ctx, name: str, plural: str) -> list[str]:
    """The ids of one filter as the release reads them (`Release.data_export_ids_unresolved`):
    2.43.1 keeps each as given; 2.41.9/2.42.5 `IdentifiableObjectManager#getObjects` keeps the
    stored ones the user's sharing lets `#getByUid` find, dropping the others silently."""
    given = ctx.request.args.getlist(name)
    if ctx.release.data_export_ids_unresolved:
        return given
    found = ((uid, ctx.store.get_object(plural, uid)) for uid in given)
    return [uid for uid, obj in found
            if obj is not None and acl.shared_for_read(ctx.user, plural, obj, ctx.release.minor)]


# The export's bean: 2.41.9/2.42.5 `dxf2/datavalueset/DataValueSetQueryParams.java`, 2.43.1
# `datavalue/DataExportParams.Input`; the properties both have, with their empty values
# (`core/web_data_binder.py`): the `boolean`s false, the rest null or an empty set; `_bean`
# adds the release's other flags and 2.43.1's `categoryOptionCombo`. Not listed: properties
# the sandbox does not read (2.41/2.42's event id schemes, 2.43.1's `format`, `compression`,
# `attachment`, `offset`, `level`, `order`).
_E = web_data_binder.Empty
_QUERY_BEAN = {
    **dict.fromkeys((
        "dataSet", "dataElement", "dataElementGroup", "period", "orgUnit", "orgUnitGroup",
        "attributeOptionCombo", "attributeCombo", "attributeOptions", "startDate", "endDate",
        "lastUpdated", "lastUpdatedDuration", "limit", "inputIdScheme", "inputOrgUnitIdScheme",
        "inputDataElementIdScheme", "inputDataSetIdScheme", "inputDataElementGroupIdScheme",
        "idScheme", "dataElementIdScheme", "categoryOptionComboIdScheme",
        "categoryOptionIdScheme", "categoryIdScheme", "orgUnitIdScheme", "dataSetIdScheme",
        "attributeOptionComboIdScheme"), _E.NULL),
    "children": _E.FALSE, "includeDeleted": _E.FALSE}


def _bean(ctx: Ctx) -> dict[str, web_data_binder.Empty]:
    """The release's bean: its flags (`Release.data_export_bean_flags`, each false when
    marked) and 2.43.1 Input's `Set<String> categoryOptionCombo` (:187, decoded by
    `_decode_uids`)."""
    bean = {**_QUERY_BEAN, **{name: _E.FALSE for name, _ in ctx.release.data_export_bean_flags}}
    if ctx.release.data_export_access_lists:
        bean["categoryOptionCombo"] = _E.NULL
    return bean


def _bind_flags(ctx: Ctx) -> None:
    """The bean's booleans (`Release.data_export_bean_flags`) as Spring's
    StringToBooleanConverter binds them (`core/spring_params.py#spring_bool`), before the
    handler runs: a value it refuses is 400 "Value 'x' is not valid for parameter children.
    It should be of type boolean" for a `boolean` and "…children. Invalid boolean value [x]"
    for a `Boolean`; a blank one is null, refused for a `boolean` ("children cannot be empty.
    It should be of type boolean", CrudControllerAdvice#handleBindException /
    #getNotValidValueMessage) and absent for a `Boolean`."""
    for name, primitive in ctx.release.data_export_bean_flags:
        raw = ctx.request.args.get(name)
        if raw is None:
            continue
        try:
            value = spring_bool(raw)
        except ValueError as refused:
            if not primitive:
                raise webmessage.fail(webmessage.error(
                    400, f"{not_valid_value(name, raw)} {refused}")) from None
            value = None
        if primitive and value is None:
            raise webmessage.fail(webmessage.error(
                400, f"{not_valid_value(name, raw)} It should be of type boolean"))


def _flag(args: Any, name: str) -> bool:
    """A bean boolean `_bind_flags` accepted: true for `true`, `on`, `yes`, `1` in any case,
    trimmed."""
    try:
        return spring_bool(args.get(name) or "") is True
    except ValueError:
        return False  # a property of no bean at this release (2.41/2.42's inputUseCodeFallback)


def get(ctx: Ctx) -> Response:
    # WebDataBinder#doBind's `!name`, `_name`, `name[]` for the bean's properties first
    web_data_binder.bind(ctx, _bean(ctx))
    _bind_flags(ctx)
    args = ctx.request.args
    data_sets = _ids(ctx, "dataSet", "dataSets")
    elements = set(_ids(ctx, "dataElement", "dataElements"))
    groups = _ids(ctx, "dataElementGroup", "dataElementGroups")
    pes, start, end = _periods(ctx, args)
    units = _ids(ctx, "orgUnit", "organisationUnits")
    unit_groups = _ids(ctx, "orgUnitGroup", "organisationUnitGroups")
    children = _flag(args, "children")
    # The filters first: 2.41.9/2.42.5 DataValueSetController#getDataValueSet calls
    # #validate (:212, :215) before the export's #decideAccess; 2.43.1 validateFilters before
    # validateAccess (DefaultDataExportService#exportGroup :120-121).
    if ctx.release.data_export_access_lists:
        _decode_uids(args, ctx.release.financial_year_period_types)
    error = _filter_error(ctx, args, bool(data_sets or elements or groups), pes, start, end,
                          units, unit_groups, children)
    if error:
        raise _illegal(*error)
    lists = ctx.release.data_export_access_lists
    unread: list[str] = []
    for uid in data_sets:
        ds = ctx.store.get_object("dataSets", uid)
        if ds is None:
            continue  # 2.43.1: an unknown UID has no row to refuse and no values
        if not acl.can_data_read(ctx.user, ds, "dataSets"):
            if not lists:
                raise _illegal("E2010", f"User is not allowed to read data for data set: `{uid}`")
            unread.append(uid)
        elements.update(str((e.get("dataElement") or {}).get("id")) for e in ds.get("dataSetElements") or [])
    if unread and not ctx.user.superuser:
        raise _illegal("E2010", f"User is not allowed to read data for data set(s): `{_java_list(unread)}`")
    # 2.43.1 getOrgUnitsNotInUserHierarchy compares against the capture units alone
    # (`UserDetails#getUserOrgUnitIds`); 2.41.9/2.42.5 isInUserDataViewHierarchy the view ones.
    view_roots = (ctx.user.capture_org_units if lists
                  else ctx.user.view_org_units or ctx.user.capture_org_units)
    paths: list[str] = []
    outside: list[str] = []
    for uid in units:
        ou = ctx.store.get_object("organisationUnits", uid)
        if ou is None:
            continue  # 2.43.1 getOrgUnitsNotInUserHierarchy finds no row for an unknown UID
        path = str(ou.get("path") or f"/{uid}")
        everywhere = ctx.user.superuser and (lists or not view_roots)
        if not everywhere and not any(r in path.strip("/").split("/") for r in view_roots):
            if not lists:
                raise _illegal("E2012", f"User is not allowed to view org unit: `{uid}`")
            outside.append(uid)
        paths.append(path)
    if outside:
        raise _illegal("E2012", f"User is not allowed to view org unit(s): `{_java_list(outside)}`")
    return webmessage.json_response({"dataValues": _rows(ctx, elements, pes, start, end, paths, children)})


def _java_list(ids: list[str]) -> str:
    """A `List<String>` as MessageFormat prints it (`AbstractCollection#toString`): 2.43.1's
    E2010/E2012 texts are `${ds:{0}}`, which `ErrorCode`'s constructor turns into `{0}`
    (`TextUtils#replace` with no values keeps each placeholder's default), and
    `DefaultDataExportService#validateAccess` (:445-474) passes the whole list as `{0}`."""
    return "[" + ", ".join(ids) + "]"


# 2.43.1 DefaultDataExportService#decodeParams (:348-394) in its order of #decodeIds calls,
# with the Input's specific id scheme parameter of each filter (None: `inputIdScheme`'s).
_DECODED = (("attributeOptionCombo", None), ("dataSet", "inputDataSetIdScheme"),
            ("dataElementGroup", "inputDataElementGroupIdScheme"),
            ("dataElement", "inputDataElementIdScheme"), ("orgUnit", "inputOrgUnitIdScheme"),
            ("orgUnitGroup", None), ("categoryOptionCombo", None))


def _decode_uids(args: Any, financial: frozenset[str]) -> None:
    """2.43.1 `#decodeIds` (:402-418): without `inputUseCodeFallback=true` the scheme is UID
    whether given or not, and each id is `UID::of`, whose IllegalArgumentException
    (`common/UID.java` :64-71) is CrudControllerAdvice#illegalArgumentExceptionHandler's 400
    without errorCode, before the filters are validated (`#exportGroup` :112). Only the UID
    scheme is modelled: a filter read by another scheme is left as given."""
    fallback = _flag(args, "inputUseCodeFallback")
    generic = args.get("inputIdScheme") or (None if fallback else "UID")
    for name, specific in _DECODED:
        if ((args.get(specific) if specific else None) or generic) != "UID":
            continue
        for given in args.getlist(name):
            if not objects.is_uid(given):
                raise webmessage.fail(webmessage.bad_request_message(
                    "UID must be an alphanumeric string of 11 characters starting with a "
                    f"letter, but was: {given}"))
    # then `#decodePeriods` (:420-423): `Period::of` (dhis-api `period/Period.java` :99-111)
    # turns any failure into an IllegalArgumentException, the same 400
    for given in args.getlist("period"):
        try:
            periods.parse_dimension_iso(given, financial)
        except periods.PeriodError:
            if not decode.unmodelled_period(given):
                raise webmessage.fail(webmessage.bad_request_message(
                    f"Invalid Period `{given}`, failed to create date interval")) from None


def _filter_error(ctx: Ctx, args: Any, has_elements: bool, pes: list[str], start: str | None,
                  end: str | None, units: list[str], groups: list[str],
                  children: bool) -> tuple[str, str] | None:
    """The filter error's code and message, of the filters as `_periods` left them (2.41/2.42:
    no dates with periods given, so never E2003 there, and E2004 only without periods).
    The limit (`Integer limit`) is E2009: 2.41.9/2.42.5 pass it to the message (MessageFormat,
    grouped), 2.43.1 `new ConflictException(E2009)` passes nothing, so `{0}` stays."""
    first_failure = ctx.release.data_export_first_failure
    has_periods = bool(pes or (start and end))
    over_specified = bool(pes and start and end)
    backwards = _after(start, end)
    limit = _limit(args)
    negative = limit is not None and limit < 0
    if first_failure:
        first = (("E2001", not has_elements), ("E2002", not has_periods),
                 ("E2006", not units and not groups), ("E2003", over_specified),
                 ("E2004", backwards), ("E2007", children and bool(groups)),
                 ("E2009", negative))
        code = next((code for code, failed in first if failed), None)
        return None if code is None else (code, _MESSAGES[code])
    duration = args.get("lastUpdatedDuration")
    error: str | None = None
    if not has_elements:
        error = "E2001"
    if not has_periods and not args.get("lastUpdated") and duration is None:
        error = "E2002"
    if over_specified:
        error = "E2003"
    if backwards:
        error = "E2004"
    if duration is not None and duration_seconds(duration) is None:
        error = "E2005"
    if not units and not groups:
        error = "E2006"
    if children and groups:
        error = "E2007"
    if children and not units:
        error = "E2008"
    if negative and limit is not None:
        return "E2009", _MESSAGES["E2009"].replace("{0}", java_double.message_format(limit))
    return None if error is None else (error, _MESSAGES[error])


def _periods(ctx: Ctx, args: Any) -> tuple[list[str], str | None, str | None]:
    """The period filters: the periods and the start and end dates. 2.41.9/2.42.5
    `#getFromUrl` (2.41.9 :217-223, 2.42.5 :218-224) reads the dates only when no period is
    given, and the periods through `PeriodService#reloadIsoPeriods`, which drops an id
    `PeriodType#getPeriodFromIsoString` cannot read (so `period=x` alone is E2002, and
    still hides the dates); 2.43.1 keeps the dates and has refused such an id already
    (`_decode_uids`). A read id is its period (`2024-01` is 202401); the period types the
    sandbox does not model are kept as given."""
    given = args.getlist("period")
    start, end = args.get("startDate"), args.get("endDate")
    if given and not ctx.release.data_export_first_failure:
        start = end = None
    kept = []
    for text in given:
        try:
            kept.append(periods.parse_dimension_iso(text, ctx.release.financial_year_period_types).iso)
        except periods.PeriodError:
            if decode.unmodelled_period(text):
                kept.append(text)
    return kept, start, end


def _after(start: str | None, end: str | None) -> bool:
    """`startDate.after(endDate)` of the bean's dates, read by `DateUtils#parseDate`
    (CrudControllerAdvice's `FromTextPropertyEditor`). A date that does not parse is a bind
    error DHIS2 answers before this; not modelled, it is no E2004 here."""
    if not start or not end:
        return False
    try:
        first, last = java_dates.parse_date(start), java_dates.parse_date(end)
    except ValueError:
        return False
    return first is not None and last is not None and first > last


def _limit(args: Any) -> int | None:
    """The bean's `Integer limit` as Spring converts it; a value it refuses is a bind error
    DHIS2 answers before the filters (not modelled: read as no limit here)."""
    raw = args.get("limit")
    if raw is None or raw == "":
        return None
    try:
        return spring_int(raw)
    except ValueError:
        return None


def _rows(ctx: Ctx, elements: set[str], pes: list[str], start: str | None, end: str | None,
          paths: list[str], children: bool) -> list[dict[str, Any]]:
    tree = {o["id"]: str(o.get("path") or f"/{o['id']}") for o in ctx.store.list_objects("organisationUnits")}
    with ctx.store.lock:
        found = ctx.store.conn.execute("SELECT * FROM data_values WHERE deleted = 0 "
                                       "ORDER BY data_element, period, org_unit, coc, aoc").fetchall()
    out = []
    for r in found:
        if r["data_element"] not in elements:
            continue
        try:
            period = periods.parse_iso(r["period"], periods.STORED)
        except periods.PeriodError:
            continue
        if pes and r["period"] not in pes:
            continue
        if start and end and not (period.start.isoformat() >= start[:10] and period.end.isoformat() <= end[:10]):
            continue
        path = tree.get(r["org_unit"], f"/{r['org_unit']}")
        if not any(path == p or (children and path.startswith(p + "/")) for p in paths):
            continue
        out.append({"dataElement": r["data_element"], "period": r["period"], "orgUnit": r["org_unit"],
                    "categoryOptionCombo": r["coc"], "attributeOptionCombo": r["aoc"],
                    "value": r["value"], "storedBy": r["stored_by"], "created": r["created"],
                    "lastUpdated": r["last_updated"], "comment": r["comment"], "followup": False})
    return out


RULES = (
    Rule("/api/dataValueSets", endpoint=post, methods=["POST"]),
    Rule("/api/dataValueSets", endpoint=get, methods=["GET"]),
)
