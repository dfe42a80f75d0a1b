"""`/api/schemas`, `/api/schemas/{type}`, `/api/schemas/{type}/{property}` and
`POST /api/schemas/{type}` (validation).

dhis2-core 2.42.5 `webapi/controller/SchemaController.java` ("Type X does not exist." 404,
for a type the release's `schema/DefaultSchemaService.java#init` does not register;
validation through `schema/validation/DefaultSchemaValidator.java`, answered by
`WebMessageUtils#errorReports`: OK when clean, else 400 ERROR with
`response: {responseType: "ErrorReports", errorReports}`; see contract README "Corrections").
Properties: every registered type's at the release (`data/schema_properties/<tag>.json`,
scripts/schema_properties.py), completed by `data/schema_facts.json` where the type has facts;
`shareable`, `favoritable`, `translatable` follow from them as `schema/Schema.java` derives them
(`#isShareable`, `#isFavoritable`, `#isTranslatable`: `hasPersistedProperty`). A property's
`min`/`max` are `Double`s (`schema/Property.java`), written as `Double#toString` writes them.
Schema name/collectionName/namespace from `DefaultSchemaService#updateSelf`, displayName
`TextUtils#getPrettyClassName`, endpoints and reference links from
`webapi/service/DefaultLinkService.java#generateSchemaLinks`, descriptor flags from the registry.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import fields as fieldsel
from scdi.sandbox.core import jackson_json, webmessage
from scdi.sandbox.core.context import Ctx, Reader
from scdi.sandbox.core.java_double import JavaDouble
from scdi.sandbox.metadata import registry, validation
from scdi.sandbox.metadata.bundle import Context
from scdi.sandbox.metadata.registry import TypeInfo

# What /api/schemas reports per property (the facts file adds helper fields DHIS2 does not).
_PROPERTY_KEYS = ("name", "fieldName", "propertyType", "itemPropertyType", "klass",
                  "itemKlass", "required", "unique", "persisted", "owner", "writable",
                  "readable", "collection", "ordered", "collectionName", "simple", "length",
                  "min", "max", "constants", "identifiableObject", "nameableObject",
                  "embeddedObject", "analyticalObject", "translatable", "relativeApiEndpoint",
                  "manyToMany", "owningRole", "inverseRole")


def _reference_links(prop: dict[str, Any], minor: str, api_root: str) -> dict[str, str]:
    """DefaultLinkService#generateSchemaLinks (2.41.9 :172-190, 2.42.5 / 2.43.1 :174-192): a
    reference (or a collection of references) links the schema of its class, `href`, and that
    schema's endpoints when it has one. Only the registered classes: a reference to an
    interface or another unregistered class (a dynamic schema) gets none here."""
    if prop.get("propertyType") == "REFERENCE":
        klass = prop.get("klass")
    elif prop.get("itemPropertyType") == "REFERENCE":
        klass = prop.get("itemKlass")
    else:
        return {}
    target = registry.by_klass(klass, minor)
    if target is None:
        return {}
    out = {"href": f"{api_root}/schemas/{target.singular}"}
    if target.relative_api_endpoint is not None:
        out["relativeApiEndpoint"] = target.relative_api_endpoint
        out["apiEndpoint"] = f"{api_root}{target.relative_api_endpoint}"
    return out


def _property(name: str, prop: dict[str, Any], minor: str, api_root: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": registry.schema_name(name, prop),
                           "fieldName": prop.get("fieldName") or name}
    for key in _PROPERTY_KEYS[2:]:
        if key == "readable":
            out[key] = True
        elif key == "collectionName" and prop.get("collection"):
            out[key] = prop.get("collectionName") or name
        elif key == "embeddedObject":
            out[key] = registry.is_embedded_klass(
                prop.get("itemKlass") if prop.get("collection") else prop.get("klass"), minor)
        elif key in ("min", "max") and isinstance(prop.get(key), int | float) and not isinstance(
                prop.get(key), bool):
            # Property#getMin/#getMax are Doubles
            out[key] = JavaDouble(prop[key])
        elif key in prop and prop[key] is not None:
            out[key] = prop[key]
    out.update(_reference_links(prop, minor, api_root))
    return out


def _json(data: Any) -> Response:
    return Response(jackson_json.dumps(data), content_type=webmessage.JSON_TYPE)


def _persisted(props: dict[str, dict[str, Any]], name: str) -> bool:
    """Schema#hasPersistedProperty."""
    return name in props and bool(props[name].get("persisted"))


def pretty_class_name(simple_name: str) -> str:
    """TextUtils#getPrettyClassName: a space before every capital but the first."""
    return "".join(f" {c}" if i and c.isupper() else c for i, c in enumerate(simple_name))


def _api_root(ctx: Ctx) -> str:
    """The `hrefBase` of DefaultLinkService#generateSchemaLinks(Schema): 2.41.9 (:160-162)
    ContextService#getServletPath, `<root>/api` under the `/api/*` dispatcher, a versioned path
    too; 2.42.5 / 2.43.1 (:162-164) #getApiPath, the request's `/api/<n>` kept
    (`schema_links_keep_api_version`)."""
    if ctx.release.schema_links_keep_api_version:
        return ctx.api_path
    return f"{ctx.base_url}/api"


def _endpoints(ctx: Ctx, info: TypeInfo) -> dict[str, str]:
    """Schema#getRelativeApiEndpoint (the descriptor's) and DefaultLinkService#generateSchemaLinks'
    apiEndpoint (2.41.9 :165-170, 2.42.5 / 2.43.1 :167-172: only when Schema#hasApiEndpoint);
    a schema without one (expressionDimensionItem) has neither key."""
    if info.relative_api_endpoint is None:
        return {}
    return {"relativeApiEndpoint": info.relative_api_endpoint,
            "apiEndpoint": f"{_api_root(ctx)}{info.relative_api_endpoint}"}


def _references(props: dict[str, dict[str, Any]]) -> list[str]:
    """Schema#getReferences (2.41.9 :531-550, 2.42.5 :533-552, 2.43.1 :481-500): the classes of
    the reference properties and of the collections of references, a HashSet (its order not
    fixed by the source: sorted here)."""
    found = {prop.get("itemKlass") if prop.get("collection") else prop.get("klass")
             for prop in props.values()
             if (prop.get("itemPropertyType") if prop.get("collection")
                 else prop.get("propertyType")) == "REFERENCE"}
    return sorted(k for k in found if k)


def _self(info: TypeInfo) -> dict[str, str]:
    """DefaultSchemaService#updateSelf (2.41.9 :519-527, 2.42.5 :514-522, 2.43.1 :476-484): the
    `__schema__` property (JacksonPropertyIntrospector, the class's root annotation) gives name
    (its localName, e.g. "dataElement"), collectionName (the plural) and namespace; a class
    without the annotation has none of them."""
    if not info.root_element:
        return {}
    out = {"collectionName": info.plural}
    if info.root_name is not None:
        out["name"] = info.root_name
    if info.root_namespace is not None:
        out["namespace"] = info.root_namespace
    return out


def schema_document(ctx: Ctx, info: TypeInfo) -> dict[str, Any]:
    # every type's properties at the release (generated from its sources), the facts adding
    # required/length/constants where the type has them
    props = registry.jackson_properties(info.singular, ctx.release.minor)
    # The release's own descriptors: only 2.42.5's name EXTERNALIZE authorities
    # (security/AuthorityType.java has it at 2.42.5 alone; it came and went with external
    # sharing).
    authorities = [{"type": kind, "authorities": list(values)}
                   for kind, values in info.authorities.items()]
    return {
        # Schema#isShareable: the descriptor's setShareable, else a persisted `sharing`
        "klass": info.klass, "shareable": info.shareable or _persisted(props, "sharing"),
        "metadata": info.metadata,
        # Schema#isDataShareable (the descriptor's setDataShareable); isDataRead/WriteShareable
        # default to it (only ApiTokenSchemaDescriptor sets them, to false, and it is not
        # data-shareable); Schema#isFavoritable: a persisted `favorites`
        "dataShareable": info.data_shareable, "dataReadShareable": info.data_shareable,
        "dataWriteShareable": info.data_shareable,
        # Schema#isImplicitPrivateAuthority, the descriptor's flag (2.41.9 :443-447, 2.42.5
        # :445-449, 2.43.1 :412-416)
        "implicitPrivateAuthority": info.implicit_private,
        "favoritable": _persisted(props, "favorites"),
        # Schema#isPersisted: the class has a Hibernate mapping (DefaultSchemaService
        # #handleContextRefresh);
        # #isSecondaryMetadata, #isDefaultPrivate, #isSubscribableObject from the registry;
        # #isSubscribable: a subscribable class with a persisted `subscribers`
        "persisted": registry.is_mapped(info.singular, ctx.release.minor),
        "secondaryMetadata": info.secondary_metadata, "defaultPrivate": info.default_private,
        "subscribableObject": info.subscribable_object,
        "subscribable": info.subscribable_object and _persisted(props, "subscribers"),
        **_endpoints(ctx, info),
        "href": f"{_api_root(ctx)}/schemas/{info.singular}",
        "plural": info.plural, "singular": info.singular,
        # DefaultSchemaService#handleContextRefresh: TextUtils#getPrettyClassName (2.41.9 :394,
        # 2.42.5 :389, 2.43.1 :379)
        "displayName": pretty_class_name(info.simple_name),
        **_self(info),
        "identifiableObject": True, "embeddedObject": not info.metadata,
        "nameableObject": "shortName" in props, "translatable": _persisted(props, "translations"),
        "order": info.order, "authorities": authorities, "references": _references(props),
        "properties": [_property(n, p, ctx.release.minor, _api_root(ctx))
                       for n, p in sorted(props.items())],
    }


def _info(ctx: Ctx, singular: str) -> TypeInfo:
    info = registry.by_singular(singular, ctx.release.minor)
    if info is None:
        raise webmessage.fail(webmessage.not_found(f"Type {singular} does not exist."))
    return info


def list_schemas(ctx: Ctx) -> Response:
    spec = ctx.request.args.getlist("fields")
    selection = fieldsel.parse(spec, default="*")
    docs = [fieldsel.select(schema_document(ctx, t), selection) for t in registry.all_types(ctx.release.minor)]
    return _json({"schemas": docs})


def get_schema(ctx: Ctx, singular: str) -> Response:
    doc = schema_document(ctx, _info(ctx, singular))
    spec = ctx.request.args.getlist("fields")
    return _json(fieldsel.select(doc, fieldsel.parse(spec, default="*")))


def get_schema_property(ctx: Ctx, singular: str, prop: str) -> Response:
    info = _info(ctx, singular)
    props = registry.jackson_properties(info.singular, ctx.release.minor)
    for name, facts in props.items():
        if prop in (name, registry.schema_name(name, facts)):
            return _json(_property(name, facts, ctx.release.minor, _api_root(ctx)))
    raise webmessage.fail(webmessage.not_found(
        f"Property {prop} does not exist on type {singular}."))


def validate(ctx: Ctx, singular: str) -> Response:
    # the mapping `consumes` JSON or XML (2.41.9 :110-113, 2.42.5 :122-125, 2.43.1 :119-122): any
    # other media type is Spring's 415 before the type is looked up; an XML body is read by the
    # JSON ObjectMapper all the same
    ctx.require_media_type("application/json", "application/xml")
    info = _info(ctx, singular)
    body = ctx.json_body(Reader.STREAM, klass=info.klass)
    if body is None:
        # `readValue` of a JSON null: DefaultSchemaValidator#validate(Object, boolean) asks the
        # null for its class (2.41.9 :87, 2.42.5 :89, 2.43.1 :89), #defaultExceptionHandler 500
        raise webmessage.fail(webmessage.error(
            500, 'Cannot invoke "Object.getClass()" because "object" is null'))
    context = Context(ctx.store, ctx.user, ctx.release.minor, "UID", [])
    errors = validation.schema_errors(context, info, body)
    response = webmessage.place_response_type(
        ctx.release, {"responseType": "ErrorReports", "errorReports": errors})
    if not errors:  # WebMessageUtils#errorReports: ok() with the (empty) ErrorReports response
        return webmessage.ok(response=response)
    return webmessage.error(400, None, response=response)


RULES = [
    Rule("/api/schemas", endpoint=list_schemas, methods=["GET"]),
    Rule("/api/schemas/<singular>", endpoint=get_schema, methods=["GET"]),
    Rule("/api/schemas/<singular>", endpoint=validate, methods=["POST", "PUT"]),
    Rule("/api/schemas/<singular>/<prop>", endpoint=get_schema_property, methods=["GET"]),
]
