"""GeoJsonAttributesCheck: values of GEOJSON attributes (a removal check after TranslationsCheck,
before MetadataAttributeCheck).

dhis2-core `dxf2/metadata/objectbundle/validation/GeoJsonAttributesCheck.java` (2.41.9, 2.42.5 =
2.43.1): the class's GEOJSON attributes (`Preheat#getAttributeIdsByValueType`: the stored
attributes of the class, then the payload's by uid); each value is read as geojson-jackson's
`GeoJsonObject` and visited:
- a value that does not read (not JSON, no or an unknown `type`, coordinates of the wrong
  shape) is E6004, named on 2.41.9 by the attribute id and from 2.42.5 by the VALUE itself
  (args and mainId; `geojson_parse_error_names_value`);
- Feature, FeatureCollection and GeometryCollection are E6005; a Point without coordinates
  and any other geometry with none are E6004 (the attribute id);
- on `Attribute`, mainId as the args, errorProperty `value`.
"""

from __future__ import annotations

import json
from typing import Any

from scdi.sandbox.metadata import registry
from scdi.sandbox.metadata.bundle import Context, Item, TypeResult, error_report

ATTRIBUTE_CLASS = "org.hisp.dhis.attribute.Attribute"
_UNSUPPORTED = {"Feature", "FeatureCollection", "GeometryCollection"}
# nesting depth of positions in `coordinates`
_DEPTH = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2, "MultiLineString": 2,
          "MultiPolygon": 3}


class _Unreadable(ValueError):
    pass


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


def _finding(text: str) -> str | None:
    """None when valid, "E6004"/"E6005" from the visitor; `_Unreadable` when it does not read."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise _Unreadable from exc
    kind = document.get("type") if isinstance(document, dict) else None
    if kind in _UNSUPPORTED:
        return "E6005"
    if kind not in _DEPTH:
        raise _Unreadable
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
            except _Unreadable:
                code = "E6004"
                named = str(value) if release.geojson_parse_error_names_value else uid
            if code:
                errors.append(error_report(code, ATTRIBUTE_CLASS, [named], main_id=named,
                                           error_property="value"))
        if errors:
            result.report(item, errors, True)
