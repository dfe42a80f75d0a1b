"""Generic metadata endpoints `/api/{plural}` and `/api/{plural}/{uid}`.

dhis2-core 2.42.5 `webapi/controller/AbstractFullReadOnlyController.java` (GET list: default
fields id,displayName (`FieldPreset.ID_NAME`'s list, not the `:idName` preset), `pager` +
items; GET one: default `*`, 404 E1005) and
`AbstractCrudController.java` (POST → 201 + ObjectReport; PUT/PATCH/DELETE through the
metadata importer with strategy UPDATE/DELETE; 403 ForbiddenException messages; errors →
409 WARNING, POST/PUT/PATCH turn the envelope status into ERROR); answers built by
`dxf2/webmessage/WebMessageUtils.java#objectReport`, a 4xx with `Cache-Control: no-cache, private`
as every 4xx/5xx WebMessage (`webapi/controller/WebMessageControllerAdvice#beforeBodyWrite`,
`core/webmessage.py#advise`).
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl, membership, user_admin
from scdi.sandbox.core import (
    authority,
    field_paths,
    jackson_text,
    plain_response,
    produces,
    unmapped,
    web_data_binder,
    webmessage,
    xml_bodies,
)
from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core.context import Ctx, Reader
from scdi.sandbox.metadata import (
    binding,
    field_presets,
    importer,
    jsonpatch,
    legacy_credentials,
    list_limits,
    multi_text,
    option_combo_update,
    option_combos,
    org_unit_list,
    owner_reads,
    registry,
    report,
    user_workflows,
)
from scdi.sandbox.metadata import query as mq
from scdi.sandbox.metadata.non_null import non_null
from scdi.sandbox.metadata.registry import TypeInfo


class PluralConverter(BaseConverter):
    """Only plurals of metadata schemas, so this never shadows other endpoints; those of every
    release, since the map is built once and `_info` asks the request's release."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map)
        names = sorted(registry.metadata_plurals(), key=len, reverse=True)
        self.regex = "(?:" + "|".join(names) + ")"


def _info(ctx: Ctx, plural: str) -> TypeInfo:
    info = registry.by_plural(plural, ctx.release.minor)
    if info is None:
        raise webmessage.fail(webmessage.not_found(f"No type {plural}"))
    return info


def _check_read(ctx: Ctx, info: TypeInfo) -> None:
    """AclService#canRead(user, klass): types with a READ authority (e.g. users) need it."""
    if not acl.can_read_type(ctx.user, info.plural, ctx.release.minor):
        raise webmessage.fail(webmessage.error(
            403, "You don't have the proper permissions to read objects of this type.",
            "E1006"))


def _object_response(ctx: Ctx, outcome: importer.Outcome, http_ok: int,
                     error_status: str | None = None) -> Response:
    """`dxf2/webmessage/WebMessageUtils.java#objectReport` on `ImportReport#getFirstObjectReport`,
    none being the bare `ok()` (2.41.9 :211-223, 2.42.5 / 2.43.1 :213-225).

    A committed import in report mode ERRORS (a PATCH's `importReportMode=ERRORS`, or any value
    `getEnumWithDefault` does not know) has lost the object reports without errors by then:
    `DefaultMetadataImportService#importMetadata` `typeReport.clean()` (2.41.9 :140-141,
    2.42.5 :148-149, 2.43.1 :147-148), `TypeReport#clean` (2.41.9 :117-119, 2.42.5 / 2.43.1
    :119-121); VALIDATE returns before that (:132-134 / :140-142 / :139-141)."""
    cleaned = (outcome.params.importReportMode == "ERRORS"
               and outcome.params.importMode != "VALIDATE")
    first = None
    for result in outcome.results:
        for index in sorted(result.reports):
            if cleaned and not result.reports[index]["errorReports"]:
                continue
            first = result.reports[index]
            break
        if first:
            break
    if first is None:
        return webmessage.ok()
    response = webmessage.place_response_type(ctx.release, {
        "responseType": "ObjectReport", "uid": first["uid"], "klass": first["klass"],
        "errorReports": first["errorReports"]})
    if not first["errorReports"]:
        return webmessage.ok(http_status=http_ok, response=response)
    status = error_status or "WARNING"
    # its Cache-Control is WebMessageControllerAdvice's (core/webmessage.py#advise)
    return webmessage.message_response(webmessage.body(
        409, status, report.ERROR_MESSAGE, response=response), 409)


def _import_report_response(ctx: Ctx, outcome: importer.Outcome, plain: bool = False
                            ) -> Response:
    """WebMessageUtils#importReport: 200 with the ImportReport, else 409 WARNING; `plain`:
    the ImportReportWebMessageResponse alone, WebMessageControllerAdvice#beforeBodyWrite
    returning it before it sets the WebMessage's status (so 200 either way)."""
    body = report.report_body(outcome, ctx.release)
    if plain:
        return webmessage.json_response(body)
    if outcome.status == "OK":
        return webmessage.ok(response=body)
    return webmessage.warning(report.ERROR_MESSAGE, 409, response=body)


def list_objects(ctx: Ctx, plural: str) -> Response:
    authority.require_controller(ctx, plural)  # AuthorityInterceptor, before any binding
    if plural == "organisationUnits":
        org_unit_list.ambiguous_mapping(ctx)  # Spring picks the handler before anything runs
        org_unit_list.unresolvable_handler(ctx)  # then resolves its arguments
    # 2.42+ bind GetObjectListParams (GetOrganisationUnitObjectListParams for the units)
    # before the controller runs (`query.list_root_junction`)
    junction = mq.list_root_junction(
        ctx, org_unit_list.LIST_PARAMS_BEAN if plural == "organisationUnits" else None)
    _check_read(ctx, _info(ctx, plural))
    args = ctx.request.args
    selection = fieldsel.parse(args.getlist("fields"), default=fieldsel.LIST_DEFAULT)
    # HibernateIdentifiableObjectStore#getSharingPredicates: only what the user may read
    rows = [r for r in ctx.store.list_objects(plural) if acl.listed(ctx.user, plural, r, ctx.release.minor)]
    if plural == "organisationUnits":
        keep = org_unit_list.restrictions(ctx)
        rows = [r for r in rows if all(k(r) for k in keep)]
    inverse = _inverse_selected(ctx, plural, selection)
    if not selection.owner:
        rows = [mq.decorate(ctx, plural, r, inverse=bool(inverse)) for r in rows]
    else:
        rows = [owner_reads.source(ctx, plural, r, inverse, selection) for r in rows]
    info = _info(ctx, plural)
    # a list whose controller builds the query itself keeps the parser's 409
    # (`Release.metadata_list_filters_unwrapped`)
    read = (mq.parse_filters if plural in ctx.release.metadata_list_filters_unwrapped
            else mq.list_filters)
    rows = mq.apply_filters_with_inverse(
        ctx, plural, rows, read(args.getlist("filter"), info.singular, ctx.release.minor),
        junction, lambda ref: mq.find_any(ctx, ref))
    rows = mq.apply_order(rows, args.get("order"))
    if plural == "organisationUnits":
        rows = org_unit_list.in_memory_page(ctx, rows)
    everything = rows
    rows, pager = mq.page(ctx, rows)
    rows = list_limits.limit(ctx, plural, rows, everything)
    mq.refuse_null_defaults(ctx, "GetObjectListParams")

    def resolve(ref: dict[str, Any]) -> dict[str, Any]:
        return mq.find_any(ctx, ref)
    schema = field_presets.for_plural(plural, ctx.release.minor)
    # FieldPathHelper#apply's duplicate key, thrown while the list is written: its array closed
    # empty, the answer already committed (`core/field_paths.py`)
    broken = bool(rows) and field_paths.duplicate_key(
        ",".join(args.getlist("fields")) or fieldsel.LIST_DEFAULT) is not None
    items = [] if broken else [
        non_null(fieldsel.select(non_null(r), selection, resolve, schema=schema)) for r in rows]
    body: dict[str, Any] = {"pager": pager} if pager else {}
    body[plural] = items
    # AbstractFullReadOnlyController#cachePrivate: `noCache().cachePrivate()`
    return webmessage.json_response(body, headers={"Cache-Control": "no-cache, private"})


def _inverse_selected(ctx: Ctx, plural: str, selection: fieldsel.Selection) -> set[str]:
    """The non-owner collections (read from their owning side) the selection names."""
    info = registry.by_plural(plural, ctx.release.minor)
    if info is None:
        return set()
    return mq.inverse_selected(info.singular, ctx.release.minor, selection)


def _load(ctx: Ctx, info: TypeInfo, uid: str) -> dict[str, Any]:
    """`IdentifiableObjectManager#get`: `getByUid` with the sharing predicates (superusers
    `getByUidNoAcl`), so an object the user may not read is not found (404 E1005)."""
    obj = ctx.store.get_object(info.plural, uid)
    if obj is None or not acl.shared_for_read(ctx.user, info.plural, obj, ctx.release.minor):
        raise webmessage.fail(webmessage.not_found_object(info.simple_name, uid))
    return obj


_MAPPED_UID = re.compile(r"[a-zA-Z0-9]{11}")


# controllers whose own `@GetMapping("/{uid}/{property}")` override has no uid pattern:
# UserController#getObjectProperty (2.42.5 :316-331 binding a String, 2.43.1 :305-320 a UID)
_UNPATTERNED_PROPERTY = frozenset({"users"})


# the controllers that extend AbstractFullReadOnlyController alone (MapViewController 2.42.5 and
# 2.43.1 :60-63, OAuth2AuthorizationController 2.42.5 :54, 2.43.1 :52,
# OAuth2AuthorizationConsentController 2.42.5 :53, 2.43.1 :51): no PUT or DELETE `/{uid}` (nor
# `/{uid}/{property}`) to match an id outside `{uid:[a-zA-Z0-9]{11}}`, so no handler mapping
# answers but WebMvcConfig's `/**` resource handler, whose NoResourceFoundException the
# container writes as its 404 page (`core/unmapped.py`). MapViewController's own
# `/{uid}/data` and `/{uid}/data.png` take any id.
_READ_ONLY = frozenset({"mapViews", "oAuth2Authorizations", "oAuth2AuthorizationConsents"})
_READ_ONLY_OWN = frozenset({"data", "data.png"})


def _check_read_only_handler(ctx: Ctx, plural: str, uid: str, prop: str | None = None) -> None:
    """Spring's handler lookup for a read-only controller, before any controller code runs (so
    before the type is looked up: 2.42.5 maps `/api/mapViews` though its schema is not
    registered)."""
    if (plural in _READ_ONLY and ctx.release.object_get_uid_pattern
            and not _MAPPED_UID.fullmatch(uid)
            and not (plural == "mapViews" and prop in _READ_ONLY_OWN)):
        raise webmessage.fail(unmapped.answer(ctx.request, ctx.release))


def _check_mapped_uid(ctx: Ctx, plural: str, uid: str, *, pattern: bool = True) -> None:
    """`Release.object_get_uid_pattern`: a GET whose id the `{uid:[a-zA-Z0-9]{11}}` mapping
    refuses is answered by Spring's handler lookup, before any controller code runs; then
    `Release.object_get_uid_typed`: the mapped id bound as a `UID` (a digit first fails).
    `pattern` False: the controller maps the path without the pattern, so any id reaches it.
    An id the pattern refuses matches AbstractCrudController's PUT/DELETE `/{uid}`, so
    RequestMappingInfoHandlerMapping#handleNoMatch answers 405 (a read-only controller has
    none: `_check_read_only_handler`). Between the two, the handler being chosen, the
    controller's class-level authority (`core/authority.py#require_controller`)."""
    if pattern and ctx.release.object_get_uid_pattern and not _MAPPED_UID.fullmatch(uid):
        raise webmessage.fail(webmessage.error(
            405, f"Request method '{ctx.request.method}' is not supported"))
    authority.require_controller(ctx, plural)
    ctx.check_path_uids(typed=ctx.release.object_get_uid_typed, uid=uid)


def get_object(ctx: Ctx, plural: str, uid: str, *, pattern: bool = True) -> Response:
    """`AbstractFullReadOnlyController#getObject`; `pattern` False for an override mapped
    `/{uid}` without the uid pattern (FileResourceController#getObject)."""
    _check_read_only_handler(ctx, plural, uid)
    info = _info(ctx, plural)
    if ctx.release.metadata_list_params_bound:
        # 2.42+ bind GetObjectParams (`fields`, `defaults`), so `!fields=id` and `fields[]=id`
        # are `fields=id` (`core/web_data_binder.py`); 2.41 reads the request's `fields`
        web_data_binder.bind(ctx, mq.OBJECT_PARAMS_BEAN)
    _check_mapped_uid(ctx, plural, uid, pattern=pattern)
    _check_read(ctx, info)
    # AbstractFullReadOnlyController#getObject: after canRead, before getEntity, so the 404 of an
    # unknown uid carries it (2.41.9 :434, 2.42.5 :412, 2.43.1 :416)
    ctx.cache_private()
    obj = _load(ctx, info, uid)
    mq.refuse_null_defaults(ctx, "Query")
    selection = fieldsel.parse(ctx.request.args.getlist("fields"), default="*")
    if field_paths.duplicate_key(",".join(ctx.request.args.getlist("fields")) or "*"):
        # thrown before the object is written: the closed stream commits an empty 200
        return Response(b"", status=200, content_type=webmessage.JSON_TYPE)
    source = (owner_reads.source(ctx, plural, obj, _inverse_selected(ctx, plural, selection),
                                 selection)
              if selection.owner else mq.decorate(ctx, plural, obj))

    def resolve(ref: dict[str, Any]) -> dict[str, Any]:
        return mq.find_any(ctx, ref)
    return webmessage.json_response(non_null(fieldsel.select(
        non_null(source), selection, resolve,
        schema=field_presets.for_plural(plural, ctx.release.minor))))


def get_property(ctx: Ctx, plural: str, uid: str, prop: str) -> Response:
    """`/api/{plural}/{uid}/{property}`: the single property, like DHIS2's property endpoint."""
    _check_read_only_handler(ctx, plural, uid, prop)
    info = _info(ctx, plural)
    _check_mapped_uid(ctx, plural, uid, pattern=plural not in _UNPATTERNED_PROPERTY)
    if plural == "users" and prop == user_workflows.PROPERTY:
        return user_workflows.get(ctx, uid)  # UserController's own branch, before canRead
    _check_read(ctx, info)
    ctx.cache_private()  # #getObjectProperty (2.41.9 :491, 2.42.5 :455, 2.43.1 :459)
    obj = mq.decorate(ctx, plural, _load(ctx, info, uid))
    if prop not in obj:
        raise webmessage.fail(webmessage.not_found(f"Property `{prop}` does not exist on "
                                                   f"{info.simple_name}"))
    selection = fieldsel.parse(ctx.request.args.getlist("fields"), default=fieldsel.LIST_DEFAULT)
    value = obj[prop]
    if isinstance(value, list):
        owner = field_presets.for_plural(plural, ctx.release.minor)
        schema = owner.child(prop) if owner is not None else None
        value = [fieldsel.select(mq.find_any(ctx, v), selection, schema=schema)
                 if isinstance(v, dict) else v for v in value]
    return webmessage.json_response({prop: value})


def _import_one(ctx: Ctx, info: TypeInfo, obj: dict[str, Any], strategy: str,
                report_mode: str | None = None, from_request: bool = True
                ) -> importer.Outcome:
    """`from_request`: `importService.getParamsFromMap(contextService.getParameterValuesMap())`
    (#postObject, #putJsonObject, #patchObject, UserController#updateUser: importMode,
    atomicMode, identifier, skipSharing, … as `/api/metadata` reads them; the same at the three
    tags), else `new MetadataImportParams()`, its defaults (#deleteObject,
    UserController#createUser); the strategy and `report_mode` are set over either."""
    params = importer.parse_params(ctx.request.args) if from_request else importer.Params()
    params.importStrategy = strategy
    if report_mode:
        params.importReportMode = report_mode
    return importer.run_import(ctx.store, ctx.user, ctx.release.minor, params,
                                      {info.plural: [obj]})


_XML = ("application/xml", "text/xml")


def _object_media_types(ctx: Ctx) -> tuple[str, ...]:
    """`consumes` of #postJsonObject/#putJsonObject, and on 2.41 of their XML twins (whose
    bodies the sandbox does not read, `core/xml_bodies.py`)."""
    if ctx.release.crud_consumes_xml:
        return "application/json", "application/xml", "text/xml"
    return ("application/json",)


_E1129 = ("Creating a single CategoryOptionCombo is forbidden through this endpoint. "
          "CategoryOptionCombos should be auto generated or imported through the metadata import")


def create_object(ctx: Ctx, plural: str) -> Response:
    info = _info(ctx, plural)
    if plural == "categoryOptionCombos" and ctx.release.option_combo_post_refused:
        # 2.43.1 CategoryOptionComboController#postJsonObject: `WebMessageUtils.conflict(E1129)`,
        # mapped without `consumes` and never reading the body (ErrorCode.java E1129 :85-86)
        raise webmessage.fail(webmessage.error(409, _E1129, "E1129"))
    ctx.require_media_type(*_object_media_types(ctx))
    authority.require_controller(ctx, plural, write=True)  # the handler chosen by `consumes`
    if xml_bodies.sent(ctx.request, *_XML):
        raise xml_bodies.refuse()  # 2.41's #postXmlObject reads the body first
    body = ctx.json_body(Reader.STREAM, klass=info.klass, numbers_as_written=True)
    # AbstractCrudController#postObject refuses after reading the body and before touching it
    # (2.41.9 :340-341, 2.42.5 :313-314, 2.43.1 :298-299); UserController#postObject does not
    # ask, its #validateCreateUser does
    if plural != "users" and not acl.can_create_type(ctx.user, plural, ctx.release.minor):
        raise webmessage.fail(webmessage.forbidden(
            "You don't have the proper permissions to create this object."))
    if body is None:
        if plural == "users":
            _refuse_null_user(ctx)
        # `readValue` of a JSON null is null: #postObject's `parsed.getTranslations()` fails
        raise webmessage.fail(webmessage.error(500, _null_entity("getTranslations()")))
    if plural == "users":
        _validate_create_user(ctx, body)
    _pre_save(ctx, info, body)
    if plural != "users":
        # #postObject's `parsed.getTranslations().clear()` (2.41.9 :344, 2.42.5 :317, 2.43.1
        # :302): a created object keeps none of the translations it was sent with;
        # UserController#postJsonObject has no such line
        body = {**body, "translations": []}
    outcome = _import_one(ctx, info, body, "CREATE", "FULL", from_request=plural != "users")
    if plural != "users":
        _refuse_no_object_report(outcome)
    # AbstractCrudController#postObject: a failed create turns the envelope status into ERROR
    response = _object_response(ctx, outcome, 201, error_status="ERROR")
    if response.status_code == 201:
        uid = response.get_json()["response"]["uid"]
        # WebMessageControllerAdvice#beforeBodyWrite: ContextService#getApiPath (the request's
        # `/api/<n>` kept) + the schema's relative endpoint + the uid
        response.headers["Location"] = f"{ctx.api_path}/{plural}/{uid}"
        _post_save(ctx, plural, uid)
        if plural == "users" and outcome.stats()["created"] == 1:
            membership.add_to_groups(ctx.store, ctx.user, ctx.release.minor, uid,
                                     membership.ref_uids(body.get("userGroups")))
    return response


def _refuse_no_object_report(outcome: importer.Outcome) -> None:
    """#postObject hands `getFirstObjectReport()` to `WebMessageUtils#objectReport(ObjectReport)`,
    whose `isEmpty()` fails on a null one: a valid object imported with `importMode=VALIDATE`
    has no object report (only errors and the commit make one), so it is a 500 (2.41.9 :355-357,
    2.42.5 :328-330, 2.43.1 :313-315; `WebMessageUtils.java` :216-217 / :218-219 / :218-219)."""
    if not any(result.reports for result in outcome.results):
        raise webmessage.fail(webmessage.error(500, _null_entity(
            "isEmpty()", "org.hisp.dhis.feedback.ObjectReport", "objectReport")))


def _null_entity(method: str, receiver: str = "org.hisp.dhis.common.IdentifiableObject",
                 variable: str = "parsed") -> str:
    """The helpful NullPointerException of calling `method` on a null entity read from the
    body, which CrudControllerAdvice#defaultExceptionHandler answers 500 with (no cause)."""
    return f'Cannot invoke "{receiver}.{method}" because "{variable}" is null'


def _refuse_null_user(ctx: Ctx) -> None:
    """UserController#postObject handed a JSON null: 2.41.9 copies the legacy credentials first
    (:311 `populateUserCredentialsDtoFields(user)`, User.java :1279 `user.getUserCredentialsRaw()`),
    whoever asks; 2.42.5 / 2.43.1 #validateCreateUser asks canCreate (:747 / :704, 403), then
    `getUids(user.getGroups())` (:751 / :708) meets the null."""
    if ctx.release.user_credentials_input:
        raise webmessage.fail(webmessage.error(500, _null_entity(
            "getUserCredentialsRaw()", "org.hisp.dhis.user.User", "user")))
    if not acl.can_create_type(ctx.user, "users", ctx.release.minor):
        raise webmessage.fail(webmessage.forbidden(user_admin.CANNOT_CREATE))
    raise webmessage.fail(webmessage.error(500, _null_entity(
        "getGroups()", "org.hisp.dhis.user.User", "user")))


def _validate_create_user(ctx: Ctx, body: dict[str, Any]) -> None:
    """UserController#validateCreateUser, before the import (`access/user_admin.py`)."""
    if not acl.can_write(ctx.user, "users", body, ctx.release.minor):
        raise webmessage.fail(webmessage.forbidden(user_admin.CANNOT_CREATE))
    groups = membership.ref_uids(body.get("userGroups"))
    if not user_admin.can_add_or_update_user(ctx.store, ctx.user, groups):
        raise webmessage.fail(webmessage.conflict(user_admin.CANNOT_UPDATE))
    refused = user_admin.group_refused(ctx.user, ctx.store, ctx.release.minor,
                                       user_admin.created_group_order(body.get("userGroups")))
    if refused is not None:
        raise webmessage.fail(webmessage.conflict(f"You don't have permissions to add user to user group: {refused}"))


def _pre_save(ctx: Ctx, info: TypeInfo, body: dict[str, Any]) -> None:
    """AbstractCrudController#preCreateEntity/#preUpdateEntity, which run on the object as read
    (`binding.py`: an unreadable body fails first) and before the import (`multi_text.py`)."""
    check = multi_text.PRE_SAVE.get(info.plural)
    if check is not None:
        check(ctx.store, ctx.user, ctx.release.minor, binding.bind(info, body, ctx.release.minor))


def _post_save(ctx: Ctx, plural: str, uid: str) -> None:
    """AbstractCrudController#postCreateEntity/#postUpdateEntity after a successful save;
    CategoryComboController's generate the option combos (`option_combos.py`)."""
    if plural != "categoryCombos":
        return
    prune = ctx.release.category_combo_save_prunes_option_combos
    combo = ctx.store.get_object(plural, uid) or {}
    if not prune and not option_combos.is_valid(ctx.store, combo):
        return  # 2.41.9 DefaultCategoryService#updateOptionCombos: invalid → nothing
    with ctx.store.lock, ctx.store.transaction():
        option_combos.update(ctx.store, ctx.user, uid, prune=prune, minor=ctx.release.minor)


def replace_object(ctx: Ctx, plural: str, uid: str) -> Response:
    info = _info(ctx, plural)
    # 2.43.1 CategoryOptionComboController#putJsonObject maps no `consumes`
    # (`option_combo_update.py`)
    combos = plural == "categoryOptionCombos" and option_combo_update.put_reaches_override(ctx)
    if not (combos and ctx.release.option_combo_own_mappings):
        ctx.require_media_type(*_object_media_types(ctx))
    users = plural == "users"
    xml = xml_bodies.sent(ctx.request, *_XML)
    if users:
        # UserController's PUT mappings name what they produce: JSON, and XML for 2.41's
        # #putXmlObject, the one an XML body reaches (`core/produces.py`)
        produces.require(ctx, "application/xml" if xml else "application/json")
    authority.require_controller(ctx, plural, write=True)
    ctx.check_path_uids(uid=uid)
    # UserController#putJsonObject reads the body before #updateUser looks the user up and asks
    # canUpdate; AbstractCrudController#putJsonObject looks the object up and asks canUpdate
    # before reading it (2.41.9, 2.42.5, 2.43.1).
    if users and xml:
        raise xml_bodies.refuse()  # 2.41 UserController#putXmlObject reads the body first
    body = ctx.json_body(Reader.STREAM, klass=info.klass, numbers_as_written=True) if users else None
    stored = _load(ctx, info, uid)
    if users and body is None and ctx.release.user_credentials_input:
        # 2.41.9 UserController#putJsonObject copies the legacy credentials after the lookup
        # and before #updateUser asks canUpdate (:605-608): User
        # #populateUserCredentialsDtoCopyOnlyChanges calls `newUser.getUserCredentialsRaw()`
        raise webmessage.fail(webmessage.error(500, _null_entity(
            "getUserCredentialsRaw()", "org.hisp.dhis.user.User", "newUser")))
    # AclService#canUpdate: ForbiddenException, E1006, at the three tags
    if not acl.can_update(ctx.user, plural, stored, ctx.release.minor):
        kind = "user" if users else "object"
        raise webmessage.fail(webmessage.forbidden(
            f"You don't have the proper permissions to update this {kind}."))
    if combos:
        # CategoryOptionComboController#putJsonObject reads a CategoryOptionComboUpdateDto (a
        # record: Jackson's refusals name it) after getEntity and updatePermissionCheck (2.41.9
        # :76-86, 2.42.5 :115-124, 2.43.1 :156-166) and hands it to
        # DefaultCategoryOptionComboService#updateCoc (`option_combo_update.py`)
        return option_combo_update.update(ctx, stored, option_combo_update.read_put(ctx))
    if xml:
        raise xml_bodies.refuse()  # 2.41 #putXmlObject, after getEntity and canUpdate
    if not users:
        body = ctx.json_body(Reader.STREAM, klass=info.klass, numbers_as_written=True)
    if body is None:
        # a JSON null: #putJsonObject's `parsed.setUid`, #updateUser's `inputUser.setId`
        # (2.42.5 :647, 2.43.1 :602)
        raise webmessage.fail(webmessage.error(500, _null_entity(
            "setId(long)", "org.hisp.dhis.user.User", "inputUser") if users else _null_entity(
            "setUid(String)", ctx.release.crud_put_null_receiver)))
    if users and not user_admin.may_update(
            ctx.store, ctx.user, stored, membership.ref_uids(body.get("userGroups"))):
        raise webmessage.fail(webmessage.conflict(user_admin.CANNOT_UPDATE))
    if users and ctx.release.user_credentials_input:
        # 2.41.9 #populateUserCredentialsDtoCopyOnlyChanges: the changed values only, and no
        # `userCredentials` left for the import's own (whole) copy
        body = legacy_credentials.changes_merged(body, stored)
    _pre_save(ctx, info, {**body, "id": uid})
    # #putJsonObject keeps a requested ERRORS_NOT_OWNER, else FULL (2.41.9 :453-455, 2.42.5
    # :435-437, 2.43.1 :417-419); UserController#updateUser sets FULL whatever was asked
    asked = importer.parse_params(ctx.request.args).importReportMode
    keep = not users and asked == "ERRORS_NOT_OWNER"
    outcome = _import_one(ctx, info, {**body, "id": uid}, "UPDATE", None if keep else "FULL")
    if plural == "users":
        if outcome.status == "OK" and outcome.stats()["updated"] == 1:
            membership.put_groups(ctx.store, ctx.user, ctx.release.minor, uid,
                                  body.get("userGroups"))
        # UserController#putJsonObject answers `importReport(updateUser(…))` instead of the
        # generic object report (2.41.9 UserController.java:610, 2.42.5 :629, 2.43.1 :584);
        # 2.41.9 `.withPlainResponseBefore(DhisApiVersion.V38)`
        return _import_report_response(ctx, outcome, plain=plain_response.applies(ctx))
    response = _object_response(ctx, outcome, 200, error_status="ERROR")
    if response.status_code == 200:
        _post_save(ctx, plural, uid)
    return response


_NULL_PATCHED = ('Cannot invoke "org.hisp.dhis.common.BaseIdentifiableObject.setId(long)" because '
                 '"patchedObject" is null')


def _patch_handler(plural: str) -> str:
    """`Method#toGenericString` of 2.43.1's `@RequestBody JsonPatch` handler, which a missing
    body's "Required request body is missing: …" names: AbstractCrudController#patchObject
    (:168-175), declared there for every controller but CategoryOptionComboController, which
    overrides it (:187-193, its throws in another order)."""
    owner, throws = "AbstractCrudController", (
        "ForbiddenException", "NotFoundException", "JsonPatchException", "ConflictException")
    if plural == "categoryOptionCombos":
        owner, throws = "category.CategoryOptionComboController", (
            "NotFoundException", "ForbiddenException", "ConflictException", "JsonPatchException")
    packages = {"JsonPatchException": "org.hisp.dhis.commons.jackson.jsonpatch"}
    thrown = ",".join(f"{packages.get(name, 'org.hisp.dhis.feedback')}.{name}" for name in throws)
    return ("public org.hisp.dhis.dxf2.webmessage.WebMessage "
            f"org.hisp.dhis.webapi.controller.{owner}.patchObject(org.hisp.dhis.common.UID,"
            "java.util.Map<java.lang.String, java.lang.String>,org.hisp.dhis.user.UserDetails,"
            f"org.hisp.dhis.commons.jackson.jsonpatch.JsonPatch) throws {thrown}")


def patch_object(ctx: Ctx, plural: str, uid: str) -> Response:
    info = _info(ctx, plural)
    combos = plural == "categoryOptionCombos"
    if combos:
        # CategoryOptionComboController#patchObject: 2.43.1 maps no `consumes`, its
        # `@RequestBody JsonPatch` is resolved after the path's UID (`option_combo_update.py`)
        authority.require_controller(ctx, plural, write=True)
        ctx.check_path_uids(uid=uid)
        option_combo_update.require_patch_media_type(ctx)
    else:
        # `consumes = "application/json-patch+json"` is part of the mapping: no argument is
        # bound and nothing looked up for another media type
        ctx.require_media_type("application/json-patch+json")
        authority.require_controller(ctx, plural, write=True)
        ctx.check_path_uids(uid=uid)
    if ctx.release.crud_patch_request_body:
        operations = ctx.json_body(handler=_patch_handler(plural))
        _refuse_non_array(ctx, Reader.REQUEST_BODY, operations)
        _refuse_unknown_operations(ctx, operations)
    stored = _load(ctx, info, uid)
    # #patchObject asks AclService#canUpdate right after the lookup (2.41.9 :186, 2.42.5 :187;
    # 2.43.1 #updatePermissionCheck :178)
    if not acl.can_update(ctx.user, plural, stored, ctx.release.minor):
        raise webmessage.fail(webmessage.forbidden(
            "You don't have the proper permissions to update this object."))
    if not ctx.release.crud_patch_request_body:
        operations = ctx.json_body(Reader.STREAM)
        if operations is None:
            # `readValue` of a JSON null is a null JsonPatch, JsonPatchManager#apply answers null
            # for it (2.41.9 :80-82, 2.42.5 :82-84) and the cast's `setId` meets it (2.41.9
            # :197, 2.42.5 :198): #defaultExceptionHandler's 500 with the NPE's own text;
            # CategoryOptionComboController#patchObject calls `patch.getOperations()` first
            # (2.41.9 :112, 2.42.5 :150), and so does 2.41.9 #doPatch for a user, whose
            # userCredentials loop (:231-232, `crud_patch_user_credentials_path`) runs before
            # #apply (:240); UserController overrides neither method
            null_patch = combos or (
                plural == "users" and ctx.release.crud_patch_user_credentials_path)
            raise webmessage.fail(webmessage.error(
                500, option_combo_update.NULL_PATCH if null_patch else _NULL_PATCHED))
        _refuse_non_array(ctx, Reader.STREAM, operations)
        _refuse_unknown_operations(ctx, operations)
    properties = registry.jackson_properties(info.singular, ctx.release.minor)
    if combos:
        return option_combo_update.patch(ctx, stored, operations, properties)
    if plural == "users" and ctx.release.crud_patch_user_credentials_path:
        operations = jsonpatch.without_user_credentials(operations)
    document = membership.patch_document(ctx.store, uid, stored) if plural == "users" else stored
    try:
        patched = jsonpatch.apply(document, operations, properties)
    except (jsonpatch.PatchError, ValueError, TypeError) as exc:
        # CrudControllerAdvice#handleBadRequest: `badRequest(ex.getMessage())`, no errorCode
        raise webmessage.fail(webmessage.error(400, str(exc))) from None
    patched["id"] = uid
    # ERRORS_NOT_OWNER only by default (AbstractCrudController#patchObject 2.42.5:207-209): it
    # rejects non-owner references such as a user's userGroups with E5006; an asked ERRORS (or
    # an unknown value, read as ERRORS) leaves no object report for a valid patch, so the
    # answer is the bare ok() (`_object_response`)
    report_mode = None if "importReportMode" in ctx.request.args else "ERRORS_NOT_OWNER"
    outcome = _import_one(ctx, info, patched, "UPDATE", report_mode)
    if plural == "users" and outcome.status == "OK":
        membership.apply_patch(ctx.store, ctx.user, ctx.release.minor, uid, operations)
    return _object_response(ctx, outcome, 200, error_status="ERROR")


def _refuse_non_array(ctx: Ctx, reader: Reader, operations: Any) -> None:
    """JsonPatch binds through its delegating `@JsonCreator JsonPatch(List<JsonPatchOperation>)`
    (`commons/jackson/jsonpatch/JsonPatch.java`, 2.41.9 :47-48, 2.42.5 and 2.43.1 :51-52), so a
    root that is no array is Jackson's MismatchedInputException for the ArrayList it builds:
    2.43's 400 "JSON parse error: …", 2.41/2.42's JsonMappingException (`Ctx.refused_root`)."""
    if operations is None or isinstance(operations, list):
        return
    problem = jackson_text.not_a_list(
        f"java.util.ArrayList<{jsonpatch.OPERATION_TYPE}>", operations,
        *jackson_text.root_start(ctx.request.get_data(cache=True)))
    raise webmessage.fail(ctx.refused_root(reader, problem))


def _refuse_unknown_operations(ctx: Ctx, operations: Any) -> None:
    """An operation Jackson cannot bind (an `op` that is no JsonPatchOperation subtype or none,
    a `path` that is no JSON pointer; `jsonpatch.binding_failure`,
    `Release.crud_patch_request_body`): 2.43 Spring's converter, "JSON parse error: " and
    Jackson's original message (400, CrudControllerAdvice#handleHttpMessageNotReadableException
    Handler); 2.41/2.42 what #defaultExceptionHandler makes of it (500)."""
    failure = jsonpatch.binding_failure(ctx.request.get_data(cache=True), operations)
    if failure is None:
        return
    original, full = failure
    if ctx.release.crud_patch_request_body:
        raise webmessage.fail(webmessage.error(400, f"JSON parse error: {original}"))
    raise webmessage.fail(webmessage.error(500, full))


def delete_object(ctx: Ctx, plural: str, uid: str) -> Response:
    info = _info(ctx, plural)
    authority.require_controller(ctx, plural, write=True)
    ctx.check_path_uids(uid=uid)
    stored = _load(ctx, info, uid)
    # AbstractCrudController#deleteObject asks AclService#canDelete of the stored object
    # (2.41.9 :565-568, 2.42.5 :501-504, 2.43.1 :481-484): the DELETE authority (else the
    # create ones), sharing write, and the implicit-private branch (access/acl.py#can_delete)
    if not acl.can_delete(ctx.user, info.plural, stored, ctx.release.minor):
        raise webmessage.fail(webmessage.forbidden(
            "You don't have the proper permissions to delete this object."))
    # AbstractCrudController#deleteObject: through the importer (DELETE, FULL); a deletion
    # veto is an E4030 error report, answered 409 WARNING by WebMessageUtils#objectReport.
    outcome = _import_one(ctx, info, stored, "DELETE", "FULL", from_request=False)
    return _object_response(ctx, outcome, 200)


CONVERTERS = {"plural": PluralConverter}
RULES = [
    Rule("/api/<plural:plural>", endpoint=list_objects, methods=["GET"]),
    Rule("/api/<plural:plural>", endpoint=create_object, methods=["POST"]),
    Rule("/api/<plural:plural>/<uid>", endpoint=get_object, methods=["GET"]),
    Rule("/api/<plural:plural>/<uid>", endpoint=replace_object, methods=["PUT"]),
    Rule("/api/<plural:plural>/<uid>", endpoint=patch_object, methods=["PATCH"]),
    Rule("/api/<plural:plural>/<uid>", endpoint=delete_object, methods=["DELETE"]),
    Rule("/api/<plural:plural>/<uid>/<prop>", endpoint=get_property, methods=["GET"]),
]
