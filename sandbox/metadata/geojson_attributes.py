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
  an array whose first item is a scalar naming none (the wrapper-array type id);
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


def _position(value: Any) -> None:
    # LngLatAltDeserializer: at least longitude and latitude, numbers
    if not isinstance(value, list) or len(value) < 2 or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        raise _Unreadable


def _coordinates(value: Any, depth: int) -> None:
    if depth == 0:
        _position(value)
        return
    if not isinstance(value, list):
        raise _Unreadable
    for entry in value:
        _coordinates(entry, depth - 1)


class _NullObject(ValueError):
    """The value `null`: `readValue` gives no object."""


def _finding(text: str) -> str | None:
    """None when valid, "E6004"/"E6005" from the visitor; `_Unreadable` when it does not read."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise _Unreadable from exc
    if document is None:
        raise _NullObject
    if isinstance(document, list):
        first = _type_id(document[0]) if document else None
        raise _Unreadable(type_id=first is not None and first not in _KNOWN)
    if not isinstance(document, dict):
        raise _Unreadable(type_id=True)
    kind = _type_id(document.get("type"))
    if kind in _UNSUPPORTED:
        return "E6005"
    if kind not in _DEPTH:
        raise _Unreadable(type_id=True)
    coordinates = document.get("coordinates")
    if coordinates is None:
        return "E6004"
    _coordinates(coordinates, _DEPTH[kind])
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
            if code:
                errors.append(error_report(code, ATTRIBUTE_CLASS, [named], main_id=named,
                                           error_property="value"))
        if errors:
            result.report(item, errors, True)
