"""`PUT` and `PATCH /api/categoryOptionCombos/{uid}`: CategoryOptionComboController's own update.

dhis2-core `webapi/controller/category/CategoryOptionComboController.java` overrides
AbstractCrudController's `#putJsonObject` (2.41.9 :75-86, 2.42.5 :114-124, 2.43.1 :154-166) and
`#patchObject` (2.41.9 :97-124, 2.42.5 :135-162, 2.43.1 :187-210). Both look the option combo
up (404) and ask `#updatePermissionCheck` (403) in `crud.py`, then hand a
`category/CategoryOptionComboUpdateDto` (a record of `attributeValues`, `code`,
`ignoreApproval`) to `DefaultCategoryOptionComboService#updateCoc` (2.41.9 :41-55, 2.42.5 /
2.43.1 :43-57), which sets each of the three that is not null and nothing else, with no import
and no validation, and saves through `IdentifiableObjectManager#save`
(`HibernateIdentifiableObjectStore#setFields`: `lastUpdated` now, `lastUpdatedBy` the user; the
sharing it clears is no column of `CategoryOptionCombo.hbm.xml`). Both answer
`WebMessageUtils#ok()`: 200, status OK, no object report.

The PUT's body is read with `jsonMapper.readValue(…, CategoryOptionComboUpdateDto.class)`
(`read_put`): Jackson's property-based creator, unknown members skipped
(`FAIL_ON_UNKNOWN_PROPERTIES` off, `JacksonObjectMapperConfig` 2.42.5 :179), a repeated member's
last value kept (while not all three were read: after that Jackson builds the record and binds
what follows to it, not modelled); `code` through `EmptyStringToNullStdDeserializer` (`core/jackson_strings.py`:
"" is null, so left as it was; an object or array is null too and leaves the parser inside it,
`core/jackson_tokens.py`), `ignoreApproval` a `Boolean` (`core/jackson_booleans.py`),
`attributeValues` 2.41.9's `Set<AttributeValue>` (`attribute/AttributeValue.java` beans, stored
as `attribute_value_set.py` says) or from 2.42.5 `AttributeValues` through
`AttributeValuesDeserializer` (2.42.5 / 2.43.1 :37-45: the value's tree as JSON text,
`LazyAttributeValues#of` :82-86 refusing a text that opens no object or array with the
IllegalArgumentException "Not a valid attribute value JSON: <text>", which Jackson wraps with the
reference chain, `WRAP_EXCEPTIONS` :181); a JSON null member is null (not set).
A JsonMappingException is the STREAM reader's answer (`Release.json_mapping_error_conflict`):
2.43.1's 409 with its message, 2.41.9 / 2.42.5's 500 with it, or with the wrapped exception's
message when it wraps one (`CrudControllerAdvice#getExceptionMessage`, 2.42.5 :671-692).

The PATCH (`patch`) reads the JsonPatch, refuses with ConflictException(E1134) (409, errorCode
E1134, `ErrorCode.java` 2.41.9 :75-76, 2.42.5 :78-79, 2.43.1 :94-95) a patch with any operation
whose path's first segment (`JsonPointer#getMatchingProperty`) is not `attributeValues`, `code`
or `ignoreApproval` (the whole-document path `""` has none: `Set.of(…).contains(null)` throws a
NullPointerException without message, #defaultExceptionHandler's 500), then applies it to the
option combo as any PATCH does (`AbstractCrudController#doPatch`, `jsonpatch.py`), converts the
patched object to the update record (`jsonMapper.convertValue`: a `code` patched to "" or removed
is null, so the stored code stays; `ignoreApproval` is a `boolean` of the entity, always set) and
calls `#updateCoc`. Its media types differ per release (`Release.option_combo_own_mappings`):
2.41.9 / 2.42.5 inherit `consumes = "application/json-patch+json"` (a 415 before anything), 2.43.1
maps no `consumes` and binds `@RequestBody JsonPatch`, which `MappingJackson2HttpMessageConverter`
reads for `application/json` and `application/*+json` (`WebMvcConfig#mappingJackson2HttpMessage
Converter` 2.43.1 :169-171); the XML converter (:173-184) is an
`XmlPathMappingJackson2XmlHttpMessageConverter`, whose `#canRead` answers false outside
`WebMvcConfig.XML_PATTERNS` (:103-106: dataValueSets, completeDataSetRegistrations), so
`application/xml` / `text/xml` are refused as any other media type is:
`RequestResponseBodyMethodProcessor#readWithMessageConverters`' 415 "Content-Type '<type>' is not
supported" (no header: `application/octet-stream`, unless the body is empty, then Spring's
"Required request body is missing"; `core/body_converters.py`).

Not modelled: an XML body of 2.41.9's #putXmlObject (refused, `core/xml_bodies.py`), a `code` longer than the
column's 50 characters or held by another option combo (the database refuses it at the flush), the
`produces` condition's 406, attribute value items that name no attribute id (dropped here; DHIS2
fails when it writes the column), and a patched `ignoreApproval` that does not read as a `boolean`
(a 400 whose location text is not checked)."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

from scdi.sandbox.core import jackson_booleans, jackson_text, json_spans, media_type, objects, webmessage
from scdi.sandbox.core.context import Ctx, Reader
from scdi.sandbox.core.jackson_strings import string_field
from scdi.sandbox.core.jackson_tokens import NAME, VALUE, Tokens
from scdi.sandbox.metadata import attribute_value_set, jsonpatch, normalise

PLURAL = "categoryOptionCombos"
UPDATE_DTO = "org.hisp.dhis.category.CategoryOptionComboUpdateDto"
_ENTITY = "org.hisp.dhis.category.CategoryOptionCombo"
UPDATABLE = ("attributeValues", "code", "ignoreApproval")
NULL_PATCH = ('Cannot invoke "org.hisp.dhis.commons.jackson.jsonpatch.JsonPatch.getOperations()" '
              'because "patch" is null')
E1134 = ("Only properties [attributeValues, code, ignoreApproval] are updatable for Category "
         "option combo")
# 2.41.9's DTO `Set<AttributeValue>`, which Jackson fills as a HashSet
_VALUE_SET = "java.util.HashSet<org.hisp.dhis.attribute.AttributeValue>"


class _Refused(Exception):
    """A JsonMappingException of the DTO's read: `str()` its `getMessage()`, `cause` the message
    of the exception it wraps (none for Jackson's own)."""

    def __init__(self, message: str, cause: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause


def put_reaches_override(ctx: Ctx) -> bool:
    """Whether a PUT goes to the controller's override: 2.43.1 maps it for any media type;
    2.41.9 / 2.42.5 for the inherited `consumes = application/json` only (2.41.9's XML twin
    #putXmlObject is not overridden, so an XML PUT still imports the whole object)."""
    if ctx.release.option_combo_own_mappings:
        return True
    given = ctx.request.headers.get("Content-Type", "")
    try:
        return bool(given) and media_type.parse(given).essence == "application/json"
    except media_type.InvalidMediaType:
        return False


def require_patch_media_type(ctx: Ctx) -> None:
    """Before 2.43.1, the inherited `consumes` (`Ctx.require_media_type`); 2.43.1 asks the
    converters for its `@RequestBody JsonPatch` when the argument is resolved, after the path's
    UID (`Ctx.json_body`, `core/body_converters.py`)."""
    if not ctx.release.option_combo_own_mappings:
        ctx.require_media_type("application/json-patch+json")


def _mapping_error(ctx: Ctx, message: str) -> Exception:
    return webmessage.fail(webmessage.error(
        409 if ctx.release.json_mapping_error_conflict else 500, message))


def _chain(name: str) -> str:
    return f' (through reference chain: {UPDATE_DTO}["{name}"])'


def read_put(ctx: Ctx) -> dict[str, Any]:
    """The CategoryOptionComboUpdateDto the PUT's body binds to (None for each member not set)."""
    body = ctx.json_body(Reader.STREAM, klass=UPDATE_DTO)
    if body is None:
        # `readValue` of a JSON null is null: #updateCoc's `cocUpdate.code()` meets it
        raise webmessage.fail(webmessage.error(
            500, f'Cannot invoke "{UPDATE_DTO}.code()" because "cocUpdate" is null'))
    text = ctx.request.get_data(cache=True).decode("utf-8")
    tokens = Tokens(text, json_spans.skip_ws(text, 0))
    tokens.next()  # the root's `{`
    tokens.next()
    bound: dict[str, Any] = dict.fromkeys(UPDATABLE)
    try:
        while tokens.kind == NAME:  # BeanDeserializer#_deserializeUsingPropertyBased
            name = tokens.name
            tokens.next()
            if name == "code":
                bound["code"] = string_field(tokens.string())
            elif name == "ignoreApproval":
                bound["ignoreApproval"] = _boolean(tokens)
            elif name == "attributeValues":
                bound["attributeValues"] = _attribute_values(ctx, tokens)
            else:
                tokens.skip_children()
            tokens.next()
    except _Refused as refused:
        # 2.43.1 #jsonParseExceptionHandler answers `getMessage()`; 2.41.9 / 2.42.5's
        # #defaultExceptionHandler the cause's message when there is one (#getExceptionMessage)
        message = str(refused)
        if refused.cause is not None and not ctx.release.json_mapping_error_conflict:
            message = refused.cause
        raise _mapping_error(ctx, message) from None
    return bound


def _located(tokens: Tokens, original: str, name: str) -> _Refused:
    line, column = jackson_text.token_location(tokens.text, tokens.begin)
    return _Refused(jackson_text.Problem(original, line, column).message + _chain(name))


def _boolean(tokens: Tokens) -> bool | None:
    value, problem = jackson_booleans.read(tokens.value(), primitive=False)
    if problem is not None:
        raise _located(tokens, problem[1], "ignoreApproval")
    tokens.skip_children()
    return value


def _attribute_values(ctx: Ctx, tokens: Tokens) -> list[dict[str, Any]] | None:
    value = tokens.value()
    if tokens.kind == VALUE and value is None:
        return None  # a JSON null never reaches the deserializer
    if ctx.release.metadata_attribute_values_by_uid:
        if not isinstance(value, dict | list):
            # AttributeValuesDeserializer: `readValueAsTree().toString()`, refused by #of
            cause = f"Not a valid attribute value JSON: {json.dumps(value, ensure_ascii=False)}"
            raise _Refused(cause + _chain("attributeValues"), cause)
        tokens.skip_children()
        return list(normalise.attribute_value_items(value))
    if not isinstance(value, list):
        problem = jackson_text.not_a_list(_VALUE_SET, value, 0, 0)
        raise _located(tokens, problem.original, "attributeValues")
    tokens.skip_children()
    return attribute_value_set.stored(value)


def _stored_values(ctx: Ctx, value: Any) -> list[dict[str, Any]]:
    """The entity's attribute values after a patch, as `convertValue` hands them on: none (the
    member removed, or null) is the entity's empty initial value."""
    if not isinstance(value, dict | list):
        return []
    if ctx.release.metadata_attribute_values_by_uid:
        return list(normalise.attribute_value_items(value))
    return attribute_value_set.stored(value) if isinstance(value, list) else []


def update(ctx: Ctx, stored: dict[str, Any], dto: dict[str, Any]) -> Response:
    """DefaultCategoryOptionComboService#updateCoc, then `WebMessageUtils#ok()`."""
    updated = dict(stored)
    for name in UPDATABLE:
        if dto.get(name) is not None:
            updated[name] = dto[name]
    objects.stamp_update(updated, stored, ctx.user)
    with ctx.store.lock, ctx.store.transaction():
        ctx.store.put_object(PLURAL, updated)
    return webmessage.ok()


def check_paths(operations: list[dict[str, Any]]) -> None:
    """The override's E1134, on every operation before any is applied."""
    for op in operations:
        name = jsonpatch.matching_property(op["path"])
        if name is None:
            # `Set.of(…).contains(null)`: Objects#requireNonNull, an NPE without message
            raise webmessage.fail(webmessage.error(500, None))
    if any(jsonpatch.matching_property(op["path"]) not in UPDATABLE for op in operations):
        raise webmessage.fail(webmessage.conflict(E1134, "E1134"))


def patch(ctx: Ctx, stored: dict[str, Any], operations: list[dict[str, Any]],
          properties: Any) -> Response:
    """The override after its lookup and update check: E1134, #doPatch, the update record."""
    check_paths(operations)
    try:
        patched = jsonpatch.apply(stored, operations, properties)
    except (jsonpatch.PatchError, ValueError, TypeError) as exc:
        raise webmessage.fail(webmessage.error(400, str(exc))) from None
    approval, problem = jackson_booleans.read(patched.get("ignoreApproval"), primitive=True)
    if problem is not None:
        # JsonPatchManager#apply's `jsonToObject` failure, a JsonPatchException (400)
        raise webmessage.fail(webmessage.error(
            400, f'{problem[1]} (through reference chain: {_ENTITY}["ignoreApproval"])'))
    code = patched.get("code")
    dto = {"code": string_field(code) if not isinstance(code, dict | list) else None,
           "ignoreApproval": approval,
           "attributeValues": _stored_values(ctx, patched.get("attributeValues"))}
    return update(ctx, stored, dto)
