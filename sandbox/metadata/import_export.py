"""`/api/metadata` (import and export); an async import runs as a METADATA_IMPORT job.

dhis2-core 2.42.5:
- `webapi/controller/metadata/MetadataImportExportController.java#postJsonMetadata` (and
  `#postCsvMetadata` for `application/csv`, read by `csv_import.py`): sync →
  `WebMessageUtils#importReport` (on 2.41 below `/api/38/` the ImportReport alone, 200:
  `core/plain_response.py`); async → `jobConfigurationReport` ("Initiated <name>",
  JobConfiguration response, `Location: .../api/system/tasks/METADATA_IMPORT`);
- the job's notifications and summary are read through the system task endpoints
  (`core/system.py`);
- export: `dxf2/metadata/DefaultMetadataExportService.java#getParamsFromMap` (default fields
  `:owner`, per-type `<type>=true`, `<type>:fields|filter|order`, `defaults=EXCLUDE`,
  `skipSharing`), `#getMetadata` (with no type chosen: the persisted metadata types less
  the secondary ones and EventChart/EventReport) and `#getMetadataAsNode` (`system` block
  first).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl
from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core import jackson_text, objects, plain_response, webmessage
from scdi.sandbox.core.context import Ctx, Reader
from scdi.sandbox.core.jobs import Job, JobType, run_once_name
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata import (
    binding,
    csv_import,
    field_presets,
    importer,
    owner_reads,
    registry,
    report,
)
from scdi.sandbox.metadata import query as mq
from scdi.sandbox.metadata.defaults import DEFAULT_UIDS
from scdi.sandbox.metadata.non_null import non_null


def post_metadata(ctx: Ctx) -> Response:
    # #postJsonMetadata consumes application/json, #postCsvMetadata application/csv (2.41.9
    # :121/:141, 2.42.5 :117/:137, 2.43.1 :114/:134): text/csv, XML or none is Spring's 415
    ctx.require_media_type("application/json", "application/csv")
    params = importer.parse_params(ctx.request.args)
    class_key: str | None = None
    if ctx.request.mimetype == "application/csv":
        # postCsvMetadata: the class key is checked before anything is read; an async CSV
        # import is read here, before its job starts
        class_key = csv_import.check_class_key(ctx.request.args.get("classKey"))
        payload = csv_import.read(ctx.request.get_data(), class_key, params.firstRowIsHeader,
                                  ctx.release.minor)
    else:
        if params.async_:
            # #startAsyncMetadata hands the stream to the job unread: what Jackson cannot read
            # fails the job, not the request
            problem = jackson_text.syntax_problem(ctx.request.get_data(cache=True))
            if problem is not None:
                return _start_async(ctx, params, {}, None, unreadable=problem.message)
        payload = ctx.json_body(Reader.TREE)
    if not isinstance(payload, dict):
        # DefaultRenderService#fromMetadata walks `readTree(…).fieldNames()`: a MissingNode,
        # array, text, number or null node has none, so nothing is imported (2.41.9, 2.42.5,
        # 2.43.1)
        payload = {}
    if params.async_:
        return _start_async(ctx, params, payload, class_key)
    try:
        outcome = importer.run_import(ctx.store, ctx.user, ctx.release.minor, params, payload)
    except binding.UnreadableDate as exc:
        # treeToValue's IllegalArgumentException → illegalArgumentExceptionHandler
        raise webmessage.fail(webmessage.error(400, str(exc))) from None
    ctx.extras["committed"] = params.importMode == "COMMIT"
    body = report.report_body(outcome, ctx.release)
    if plain_response.applies(ctx):
        # 2.41.9 `importReport(…).withPlainResponseBefore(V38)` (:138 JSON, :171 CSV)
        return webmessage.json_response(body)
    if outcome.status == "OK":
        return webmessage.ok(response=body)
    return webmessage.warning(report.ERROR_MESSAGE, 409, response=body)


METADATA_IMPORT = JobType("METADATA_IMPORT")


def _with_csv_class(params: dict[str, Any], class_key: str | None) -> dict[str, Any]:
    """MetadataImportParams as Jackson writes it: `csvImportClass`, which #postCsvMetadata
    sets before it starts the job (2.41.9 :153, 2.42.5 :149, 2.43.1 :146), is the field
    declared just before `firstRowIsHeader` (`dxf2/metadata/MetadataImportParams.java` 2.41.9
    :106/:109, 2.42.5 and 2.43.1 :108/:111); `filename` before it and the JSON import's
    class are null, which the writer leaves out."""
    if class_key is None:
        return params
    out = {k: v for k, v in params.items() if k != "firstRowIsHeader"}
    out["csvImportClass"] = class_key
    out["firstRowIsHeader"] = params["firstRowIsHeader"]
    return out


def _start_async(ctx: Ctx, params: importer.Params, payload: dict[str, Any],
                 class_key: str | None, unreadable: str | None = None) -> Response:
    name = run_once_name(METADATA_IMPORT)
    release = ctx.release
    job = Job(METADATA_IMPORT, name=name, user=ctx.user.uid)
    job.notify("Import started")
    store, user, minor = ctx.store, ctx.user, release.minor

    def work(job: Job) -> None:
        if unreadable is not None:
            # MetadataImportJob#execute catches readTree's JsonParseException (an IOException)
            # and calls JobProgress#failedProcess(Exception), whose default (NotifierJobProgress
            # keeps it) notifies "Process failed: {}" with the message (2.41.9 JobProgress
            # :207-209, 2.42.5 / 2.43.1 :219-221)
            job.notify(f"Process failed: {unreadable}", completed=True, level="ERROR")
            return
        try:
            outcome = importer.run_import(store, user, minor, params, payload)
            summary = report.task_summary(outcome, user)
            # the job's ImportReport holds the same MetadataImportParams
            # (DefaultMetadataImportService#importMetadata `setImportParams`)
            summary["importParams"] = _with_csv_class(summary["importParams"], class_key)
            job.result = summary
            job.notify(f"Import complete with status {outcome.status}", completed=True)
        except Exception as exc:  # the job fails like a DHIS2 job: an ERROR notification
            job.notify(f"Import failed: {exc}", completed=True, level="ERROR")
    ctx.jobs.start(job, work)
    response: dict[str, Any] = {
        "name": name, "id": job.id, "created": objects.now(), "jobType": "METADATA_IMPORT",
        "jobStatus": "NOT_STARTED",
        "jobParameters": _with_csv_class(
            params.job_parameters(release.metadata_async_params_user_override_mode), class_key),
        "relativeNotifierEndpoint": f"/api/system/tasks/METADATA_IMPORT/{job.id}",
    }
    if release.job_configuration_response_type:
        response["responseType"] = release.job_configuration_response_type
    return webmessage.ok(f"Initiated {name}", response=response, headers={
        # WebMessageUtils#jobConfigurationReport `setLocation("/system/tasks/" + type)`, which
        # WebMessageControllerAdvice prefixes with ContextService#getApiPath (2.41.9 :73-77,
        # 2.42.5 and 2.43.1 :76-80)
        "Location": f"{ctx.api_path}/system/tasks/METADATA_IMPORT"})


# -- export ------------------------------------------------------------------------------
_PER_TYPE = ("fields", "filter", "order")


def _requested_types(args: Any, minor: str) -> dict[str, dict[str, list[str]]]:
    """`DefaultMetadataExportService#getParamsFromMap` (2.41.9 :416-527, 2.42.5 :416-513,
    2.43.1 :431-528): each parameter name split at `:`, its first part a type's plural
    (case-sensitive); the type is chosen by a value `true` (any case) unless one is `false`
    (`#isSelectedClass`), or by a second part `fields`, `filter` or `order` (any case), whose
    values are gathered for it. Type plural → its own fields/filter/order lists."""
    plurals = {info.plural for info in registry.metadata_types(minor)}
    wanted: dict[str, dict[str, list[str]]] = {}
    for name in args:
        part = name.split(":")
        if part[0] not in plurals:
            continue
        values = args.getlist(name)
        selected = (not any(v.lower() == "false" for v in values)
                    and any(v.lower() == "true" for v in values))
        if not selected and not (len(part) > 1 and part[1].lower() in _PER_TYPE):
            continue
        own = wanted.setdefault(part[0], {})
        if len(part) > 1 and part[1].lower() in _PER_TYPE:
            own.setdefault(part[1].lower(), []).extend(values)
    return wanted


# DefaultMetadataExportService#DEPRECATED_ANALYTICS_SCHEMAS (2.41.9 :221-222, 2.42.5 :222-223,
# 2.43.1 :223-224): EventChart and EventReport, replaced by EventVisualization, are never part
# of an export that chooses no type
_DEPRECATED_ANALYTICS = frozenset({"org.hisp.dhis.eventchart.EventChart",
                                   "org.hisp.dhis.eventreport.EventReport"})


def _default_types(minor: str) -> list[registry.TypeInfo]:
    """What `DefaultMetadataExportService#getMetadata` exports when no type is chosen (2.41.9
    :162-170, 2.42.5 :163-171, 2.43.1 :164-172): the metadata schemas that are identifiable
    (every registered metadata class is, at the three tags) and persisted, less the secondary
    metadata (`Schema#isSecondaryMetadata`: jobConfiguration, and from 2.42.5 the OAuth2
    authorizations and their consents) and the deprecated analytics types. A type chosen by
    name is exported all the same (`#getParamsFromMap` reads any identifiable schema)."""
    return [info for info in registry.metadata_types(minor)
            if registry.is_mapped(info.singular, minor) and not info.secondary_metadata
            and info.klass not in _DEPRECATED_ANALYTICS]



def _without_href(obj: dict[str, Any]) -> dict[str, Any]:
    obj.pop("href", None)
    return obj

def export(ctx: Ctx, user: User | None = None) -> dict[str, Any]:
    args = ctx.request.args
    chosen_types = _requested_types(args, ctx.release.minor)
    wanted = ([info for info in registry.metadata_types(ctx.release.minor)
               if info.plural in chosen_types] if chosen_types
              else _default_types(ctx.release.minor))
    # DefaultMetadataExportService#getParamsFromMap: Defaults.valueOf, so the name is
    # case-sensitive and any other value is an IllegalArgumentException, which
    # CrudControllerAdvice answers 400 with its message (2.41.9, 2.42.5, 2.43.1).
    defaults = args.get("defaults", "INCLUDE")
    if defaults not in ("INCLUDE", "EXCLUDE"):
        raise webmessage.fail(webmessage.error(
            400, f"No enum constant org.hisp.dhis.fieldfilter.Defaults.{defaults}"))
    exclude_defaults = defaults == "EXCLUDE"
    skip_sharing = str(args.get("skipSharing", "false")).lower() == "true"
    # DefaultMetadataExportService#getMetadataAsObjectNodeStream writes the server date with
    # DateUtils#toIso8601 (2.41.9 :282, 2.42.5 :283, 2.43.1 :298)
    out: dict[str, Any] = {"system": {
        "id": ctx.store.get_meta("systemId"), "rev": ctx.release.build_revision,
        "version": ctx.release.example_version, "date": objects.now_iso8601()}}
    user = user or ctx.user
    for info in wanted:
        if not acl.can_read_type(user, info.plural, ctx.release.minor):
            continue
        # DefaultMetadataExportService queries with the user's sharing (getSharingPredicates)
        rows = [r for r in ctx.store.list_objects(info.plural) if acl.listed(user, info.plural, r,
                                                                 ctx.release.minor)]
        if exclude_defaults:
            rows = [r for r in rows if r.get("id") not in DEFAULT_UIDS]
        own = chosen_types.get(info.plural, {})
        # MetadataExportParams#getFields: the type's own fields, else the default ones
        spec = own.get("fields") or args.getlist("fields")
        selection = fieldsel.parse(spec, default=":owner")
        named = mq.inverse_selected(info.singular, ctx.release.minor, selection)
        # no link is generated for an export (neither DefaultMetadataExportService nor
        # MetadataImportExportController calls the LinkService), so `href` stays null and is
        # not written, `*` or not (2.41.9, 2.42.5, 2.43.1)
        rows = [_without_href(mq.decorate(ctx, info.plural, r, inverse=bool(named)))
                if not selection.owner
                else owner_reads.source(ctx, info.plural, r, named, selection, links=False)
                for r in rows]
        # a type with its own filter or order is queried with those alone, the default
        # filter and order going to the others (#getParamsFromMap, #getMetadata)
        if "filter" in own or "order" in own:
            filters, orders = own.get("filter", []), own.get("order", [])
        else:
            filters, orders = args.getlist("filter"), args.getlist("order")
        # the export's queries never take a rootJunction: Query's AND (DefaultMetadataExportService
        # #getMetadata / #getParamsFromMap build them from the filters and orders alone: 2.41.9
        # :182-185/:505-511, 2.42.5 :182-186/:505-506, 2.43.1 :183-187/:520-521)
        rows = mq.apply_filters(rows, mq.parse_filters(filters, info.singular, ctx.release.minor),
                                "AND", lambda ref: mq.find_any(ctx, ref), ctx.release.minor)
        rows = mq.apply_order(rows, ",".join(orders))
        schema = field_presets.TypePresets(info.singular, ctx.release.minor)
        items = [non_null(fieldsel.select(non_null(r), selection, lambda ref: mq.find_any(ctx, ref),
                                          schema=schema))
                 for r in rows]
        if skip_sharing:
            for item in items:
                item.pop("sharing", None)
        # #getMetadata keeps a type only when its query found objects: an empty one is left
        # out, chosen or not (2.41.9 :197, 2.42.5 :198, 2.43.1 :199)
        if items:
            out[info.plural] = items
    return out


def get_metadata(ctx: Ctx) -> Response:
    headers = {}
    if str(ctx.request.args.get("download", "false")).lower() == "true":
        headers["Content-Disposition"] = 'attachment; filename="metadata.json"'
    return webmessage.json_response(export(ctx), headers=headers)


RULES = [
    Rule("/api/metadata", endpoint=post_metadata, methods=["POST"]),
    Rule("/api/metadata", endpoint=get_metadata, methods=["GET"]),
]
