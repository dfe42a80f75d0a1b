"""GeoJsonAttributesCheck: values of GEOJSON attributes (a removal check after TranslationsCheck,
before MetadataAttributeCheck).

dhis2-core `dxf2/metadata/objectbundle/validation/GeoJsonAttributesCheck.java` (2.41.9, 2.42.5 =
2.43.1): the class's GEOJSON attributes (`Preheat#getAttributeIdsByValueType`: the stored
attributes of the class, then the payload's by uid); each value is read as geojson-jackson's
`GeoJsonObject` and visited:
- a value that does not read (not JSON, no or an unknown `type`, coordinates of the wrong
  shape) is E6004, named on 2.41.9 by the attribute id and from 2.42.5 by the VALUE itself
  (args and mainId; `geojson_parse_error_names_value`);
- 2.43.1 (:150-175) reports Jackson's InvalidTypeIdException apart, as E6005 named by the
  value (`geojson_type_id_e6005`): an object without `type` or whose `type` (read as text; null,
  an object or an array are none) names no GeoJSON object, a JSON string, number or boolean,
  an array whose first item is a scalar naming none (the wrapper-array type id, JSON null
  the id "null");
- an array is AsArrayTypeDeserializer's wrapper `[typeId, value]`: `["Point", {…}]` is a
  Point read from the object (its own `type` ignored), `["Point"]` no object (the visitor's
  NullPointerException below), anything else after the type id or a third item E6004;
- of several `type` members the first with text is the type id (a later one, or a null or
  object one before it, is passed over);
- reading is geojson-jackson 1.14's (`dhis-2/pom.xml` geojson-jackson.version): unknown
  properties ignored, a position's ordinates numbers or any string
  (`jackson/LngLatAltDeserializer#extractDouble`), a null item of a coordinate list kept, a
  Feature / FeatureCollection / GeometryCollection read whole (`geometry`, `properties`, `id`,
  `features` as Features, `geometries`) before it is visited; `readValue` reads the first JSON
  value only and refuses NaN/Infinity. Not modelled: `bbox` (`double[]`) and `crs`, which the
  sandbox does not read;
- a position `LngLatAltDeserializer` refuses (no array, fewer than two ordinates, an ordinate
  that is no number or string) ends in a NoSuchMethodError (`_Unlinked`): the container's
  500 exception report (`webmessage.UncaughtError`);
- Feature, FeatureCollection and GeometryCollection are E6005; a Point without coordinates
  and any other geometry with none are E6004 (the attribute id);
- on `Attribute`, mainId as the args, errorProperty `value`;
- the value `null` reads as no object and `#validateGeoJsonObject` calls `accept` on it: a
  NullPointerException ends the import (`Release.metadata_validation_failure_message`).
"""

from __future__ import annotations

import json
from typing import Any

from scdi.sandbox.core import webmessage
from scdi.sandbox.metadata import registry
from scdi.sandbox.metadata.bundle import Context, Item, TypeResult, error_report

ATTRIBUTE_CLASS = "org.hisp.dhis.attribute.Attribute"
_UNSUPPORTED = {"Feature", "FeatureCollection", "GeometryCollection"}
# nesting depth of positions in `coordinates`
_DEPTH = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2, "MultiLineString": 2,
          "MultiPolygon": 3}


class _Unreadable(ValueError):
    """geojson-jackson cannot read the value; `type_id` when Jackson fails on its type id."""

    def __init__(self, type_id: bool = False) -> None:
        super().__init__()
        self.type_id = type_id


_KNOWN = {*_DEPTH, *_UNSUPPORTED}  # GeoJsonObject's @JsonSubTypes names
_NULL_OBJECT = ('Cannot invoke "org.geojson.GeoJsonObject.accept(org.geojson.GeoJsonObjectVisitor)"'
                ' because "geoJsonObject" is null')


def _type_id(value: Any) -> str | None:
    """`JsonParser#getValueAsString` of the `type` member: a scalar's text, else none."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


class _Unlinked(Exception):
    """geojson-jackson 1.14's LngLatAltDeserializer refuses a position with
    `DeserializationContext#mappingException(Class)` / `(String)`, which the Jackson DHIS2 runs
    (databind 2.21/2.22, `dhis-2/pom.xml` jackson.version) no longer has: a NoSuchMethodError,
    an Error that neither GeoJsonAttributesCheck nor CrudControllerAdvice catches."""

    def __init__(self, parameter: str) -> None:
        super().__init__(
            "java.lang.NoSuchMethodError: 'com.fasterxml.jackson.databind.JsonMappingException "
            f"com.fasterxml.jackson.databind.DeserializationContext.mappingException({parameter})'")


def _ordinate(value: Any) -> None:
    """LngLatAltDeserializer#extractDouble: an integer (`getLongValue`, which overflows past a
    long: Jackson's own InputCoercionException), a float, or any string (`getValueAsDouble`,
    0.0 for text that is no number); anything else (null too) is its `mappingException`."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Unlinked("java.lang.String")
    if isinstance(value, int) and not _LONG_MIN <= value <= _LONG_MAX:
        raise _Unreadable


def _position(value: Any) -> None:
    # LngLatAltDeserializer#deserialize: an array (else `mappingException(Class)`), then
    # #deserializeArray: longitude and latitude at least (else `mappingException(String)`)
    if not isinstance(value, list):
        raise _Unlinked("java.lang.Class")
    for ordinate in value[:2]:
        _ordinate(ordinate)
    if len(value) < 2:
        raise _Unlinked("java.lang.String")
    for ordinate in value[2:]:
        _ordinate(ordinate)


def _coordinates(value: Any, depth: int) -> None:
    if depth == 0:
        _position(value)
        return
    if not isinstance(value, list):
        raise _Unreadable
    for entry in value:
        if entry is not None:  # CollectionDeserializer keeps a JSON null as a null item
            _coordinates(entry, depth - 1)


class _NullObject(ValueError):
    """The value `null`: `readValue` gives no object."""


def _wrapped(value: list[Any], feature_only: bool) -> tuple[str, dict[str, Any]] | None:
    """AsArrayTypeDeserializer's wrapper array `[typeId, value]`, which AsPropertyTypeDeserializer
    (`#_deserializeTypedUsingDefaultImpl`) falls back to for an array: the first item, any
    scalar, is the type id (`getText`, so JSON null is the id "null"); with nothing after it
    the value is null (`getNullValue`); else the next item, an object, is read as the named
    type (its own `type` member ignored as an unknown property), and the array must end there.
    None: no object."""
    first = value[0] if value else []
    if isinstance(first, list | dict):  # "need String, Number of Boolean value …"
        raise _Unreadable
    kind = "null" if first is None else _type_id(first)
    if kind not in _KNOWN or (feature_only and kind != "Feature"):
        raise _Unreadable(type_id=True)
    if len(value) == 1:
        return None
    if not isinstance(value[1], dict):  # a bean from a scalar, null or array
        raise _Unreadable
    _read_as(str(kind), value[1])
    if len(value) > 2:  # "expected closing `JsonToken.END_ARRAY` …"
        raise _Unreadable
    return str(kind), value[1]


def _read(value: Any, feature_only: bool = False) -> tuple[str, dict[str, Any]] | None:
    """`GeoJsonObject` as Jackson binds it (`@JsonTypeInfo(property = "type")`, unknown
    properties ignored): the type name and the members read, None for no object (a wrapper
    array without value), or `_Unreadable`. `feature_only`: a `FeatureCollection#features`
    item, bound as Feature, so another type id is no subtype of it."""
    if isinstance(value, list):
        return _wrapped(value, feature_only)
    if not isinstance(value, dict):
        raise _Unreadable(type_id=True)
    kind = _type_id(value.get("type"))
    if kind not in _KNOWN or (feature_only and kind != "Feature"):
        raise _Unreadable(type_id=True)
    _read_as(kind, value)
    return kind, value


def _read_as(kind: str, value: dict[str, Any]) -> None:
    """The members of a `kind`: a Feature, FeatureCollection or GeometryCollection is read
    whole (`geometry`, `properties`, `id`, `features`, `geometries`) before the visitor sees
    it."""
    if kind == "Feature":
        if value.get("geometry") is not None:
            _read(value["geometry"])
        if not isinstance(value.get("properties"), dict | None):
            raise _Unreadable
        if isinstance(value.get("id"), dict | list):  # a String takes scalars only
            raise _Unreadable
    elif kind in ("FeatureCollection", "GeometryCollection"):
        items = value.get("features" if kind == "FeatureCollection" else "geometries")
        if items is not None and not isinstance(items, list):
            raise _Unreadable
        for item in items or []:
            if item is not None:
                _read(item, feature_only=kind == "FeatureCollection")
    elif value.get("coordinates") is not None:
        _coordinates(value["coordinates"], _DEPTH[kind])


def _no_constant(name: str) -> Any:
    # Jackson refuses NaN and Infinity (ALLOW_NON_NUMERIC_NUMBERS is off)
    raise ValueError(name)


def _members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members, each the last of its name (a bean's setter called again),
    except `type`: AsPropertyTypeDeserializer#deserializeTypedFromObject takes the first
    `type` member with text (`getValueAsString`: a scalar; a null, object or array one is
    passed over), and the bean then ignores the later ones as unknown properties."""
    members = dict(pairs)
    with_text = [v for k, v in pairs if k == "type" and _type_id(v) is not None]
    if with_text:
        members["type"] = with_text[0]
    return members


_DECODER = json.JSONDecoder(parse_constant=_no_constant, object_pairs_hook=_members)


def _document(text: str) -> Any:
    """`ObjectMapper#readValue(String, …)`: the first JSON value; what follows it is never read
    (FAIL_ON_TRAILING_TOKENS is off), except that the parser wants white space after a root
    number (`_verifyRootSpace`) and reads `true`/`false`/`null` on while Java identifier
    characters follow (`_matchToken`: `nullx` is an unrecognized token)."""
    stripped = text.lstrip(" \t\r\n")
    try:
        document, end = _DECODER.raw_decode(stripped)
    except ValueError as exc:
        raise _Unreadable from exc
    rest = stripped[end:]
    if rest and not isinstance(document, dict | list | str):
        if isinstance(document, bool) or document is None:
            if rest[0].isalnum() or rest[0] in "_$":
                raise _Unreadable
        elif rest[0] not in " \t\r\n":
            raise _Unreadable
    return document


def _finding(text: str) -> str | None:
    """None when valid, "E6004"/"E6005" from the visitor; `_Unreadable` when it does not read."""
    document = _document(text)
    if document is None:
        raise _NullObject
    read = _read(document)
    if read is None:
        raise _NullObject
    kind, members = read
    if kind in _UNSUPPORTED:
        return "E6005"
    coordinates = members.get("coordinates")
    if coordinates is None:
        return "E6004"
    return "E6004" if kind != "Point" and not coordinates else None


def _geojson_attributes(ctx: Context, info: registry.TypeInfo) -> set[str]:
    flag = info.simple_name[0].lower() + info.simple_name[1:] + "Attribute"
    by_uid = {a["id"]: a for a in ctx.store.list_objects("attributes") if a.get(flag) is True}
    by_uid.update({uid: a for uid, a in ctx.payload.get("attributes", {}).items()
                   if a.get("id") == uid and a.get(flag) is True})
    return {uid for uid, a in by_uid.items() if a.get("valueType") == "GEOJSON"}


def check(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    info = result.info
    if not items or (info.has_facts and "attributeValues" not in registry.properties(
            info.singular, ctx.minor)):
        return
    geojson = _geojson_attributes(ctx, info)
    if not geojson:
        return
    release = ctx.release
    for item in items:
        pairs = [(str((av.get("attribute") or {}).get("id")), av.get("value"))
                 for av in item.obj.get("attributeValues") or []
                 if isinstance(av, dict) and isinstance(av.get("attribute"), dict)]
        if release.metadata_attribute_values_by_uid:
            pairs = sorted(dict(pairs).items())
        errors = []
        for uid, value in pairs:
            if uid not in geojson:
                continue
            try:
                code = _finding(str(value))
                named = uid
            except _Unreadable as unreadable:
                code = "E6005" if unreadable.type_id and release.geojson_type_id_e6005 else "E6004"
                named = str(value) if release.geojson_parse_error_names_value else uid
            except _NullObject:
                raise webmessage.UncaughtException(
                    release.metadata_validation_failure_message or _NULL_OBJECT) from None
            except _Unlinked as error:
                raise webmessage.UncaughtError(str(error)) from None
            if code:
                errors.append(error_report(code, ATTRIBUTE_CLASS, [named], main_id=named,
                                           error_property="value"))
        if errors:
            result.report(item, errors, True)
