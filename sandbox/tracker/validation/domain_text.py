"""The `toString()` of tracker objects named in error `args`, per release.

`Error#getArgs` (`tracker/imports/validation/Error.java`) is each argument's `toString()`, so an
error about a payload object (E1031, E1048, E1050–E1052, E1079, E1089) carries the Lombok
`@Data` text of the whole domain object: `ClassName(field=value, …)` over its fields in
declaration order. The field lists below are copied from `tracker/imports/domain/*.java` at
tags 2.41.9 and 2.42.5 (`dhis-services/dhis-service-tracker/…`) and 2.43.1 (`dhis-tracker/…`,
where events are `TrackerEvent` or, in programs without registration, `SingleEvent`).
`BodyConverter` empties the nested lists of 2.41's objects (`relationships`, `events`,
`enrollments`), so they print `[]`. E1015/E1016/E1100 name the persisted tracked entity, whose
own `toString()` is hand-written (`trackedentity/TrackedEntity.java`; 2.43.1
`tracker/model/TrackedEntity.java` without `name`).

Values print as Java does: `null`, `true`/`false`, enum names, `Instant#toString`, UIDs bare,
`MetadataIdentifier(…)` (one the payload left out with `identifier=null`: the webapi
`EventMapper`/`EnrollmentMapper` map it through `MetadataIdentifierMapper` all the same),
lists `[a, b]`, geometry as JTS WKT (`POINT (1 2)`). Fields the
sandbox does not keep from the payload (2.41's `createdAt`, `updatedAt`, `createdBy`,
`updatedBy`, an attribute's `code`/`displayName`/`valueType`) print `null`; Java's hash sets
(`dataValues`, `attributeCategoryOptions`) have no stable order, payload order is used.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable
from typing import Any

# (field, kind) per class and layout; kinds: uid, meta:<idScheme param>, instant, bool, enum,
# text, geometry, user, empty (a list BodyConverter emptied), attributes, notes, values,
# options:<idScheme param>, false (a primitive the payload cannot set here).
_TE_241 = ("trackedEntity:uid trackedEntityType:meta:idScheme createdAt:none createdAtClient:instant "
           "updatedAt:none updatedAtClient:instant orgUnit:meta:orgUnitIdScheme inactive:bool "
           "deleted:false potentialDuplicate:bool geometry:geometry createdBy:none updatedBy:none "
           "relationships:empty attributes:attributes enrollments:empty")
_EN_241 = ("enrollment:uid createdAt:none createdAtClient:instant updatedAt:none "
           "updatedAtClient:instant trackedEntity:uid program:meta:programIdScheme status:enum "
           "orgUnit:meta:orgUnitIdScheme enrolledAt:instant occurredAt:instant followUp:bool "
           "completedBy:text completedAt:instant deleted:false createdBy:none updatedBy:none "
           "geometry:geometry events:empty relationships:empty attributes:attributes notes:notes")
_EV_241 = ("event:uid status:enum program:meta:programIdScheme programStage:meta:programStageIdScheme "
           "enrollment:uid orgUnit:meta:orgUnitIdScheme relationships:empty occurredAt:instant "
           "scheduledAt:instant deleted:false createdAt:none createdAtClient:instant updatedAt:none "
           "updatedAtClient:instant attributeOptionCombo:meta:categoryOptionComboIdScheme "
           "attributeCategoryOptions:options:categoryOptionIdScheme completedBy:text "
           "completedAt:instant geometry:geometry assignedUser:user createdBy:none updatedBy:none "
           "dataValues:values notes:notes")
_TE_242 = ("trackedEntity:uid trackedEntityType:meta:idScheme createdAtClient:instant "
           "updatedAtClient:instant orgUnit:meta:orgUnitIdScheme inactive:bool "
           "potentialDuplicate:bool geometry:geometry storedBy:text attributes:attributes")
_EN_242 = ("enrollment:uid createdAtClient:instant updatedAtClient:instant trackedEntity:uid "
           "program:meta:programIdScheme status:enum orgUnit:meta:orgUnitIdScheme "
           "enrolledAt:instant occurredAt:instant followUp:bool storedBy:text completedAt:instant "
           "geometry:geometry attributes:attributes notes:notes")
_EV_242 = ("event:uid status:enum program:meta:programIdScheme programStage:meta:programStageIdScheme "
           "enrollment:uid orgUnit:meta:orgUnitIdScheme occurredAt:instant scheduledAt:instant "
           "storedBy:text createdAtClient:instant updatedAtClient:instant "
           "attributeOptionCombo:meta:categoryOptionComboIdScheme "
           "attributeCategoryOptions:options:categoryOptionIdScheme completedAt:instant "
           "geometry:geometry assignedUser:user dataValues:values notes:notes")
_EN_243 = ("enrollment:uid createdAtClient:instant updatedAtClient:instant trackedEntity:uid "
           "program:meta:programIdScheme status:enum orgUnit:meta:orgUnitIdScheme "
           "enrolledAt:instant occurredAt:instant followUp:bool completedAt:instant "
           "geometry:geometry attributeOptionCombo:meta:categoryOptionComboIdScheme "
           "attributes:attributes notes:notes")
_EV_243 = _EV_242.replace("storedBy:text ", "")

LAYOUTS: dict[str, dict[str, tuple[str, str]]] = {
    "2.41": {"TRACKED_ENTITY": ("TrackedEntity", _TE_241), "ENROLLMENT": ("Enrollment", _EN_241),
             "EVENT": ("Event", _EV_241), "SINGLE_EVENT": ("Event", _EV_241)},
    "2.42": {"TRACKED_ENTITY": ("TrackedEntity", _TE_242), "ENROLLMENT": ("Enrollment", _EN_242),
             "EVENT": ("Event", _EV_242), "SINGLE_EVENT": ("Event", _EV_242)},
    "2.43": {"TRACKED_ENTITY": ("TrackedEntity", _TE_242.replace(" storedBy:text", "")),
             "ENROLLMENT": ("Enrollment", _EN_243), "EVENT": ("TrackerEvent", _EV_243),
             # SingleEvent#builderFromEvent copies neither scheduledAt nor enrollment.
             "SINGLE_EVENT": ("SingleEvent", _EV_243.replace("scheduledAt:instant ", "")
                              .replace("enrollment:uid", "enrollment:none"))},
}
# domain/User.java: 2.41.9 uid, username, firstName, surname; 2.42.5 and 2.43.1 uid, username.
_USER_FIELDS = {"2.41": ("uid", "username", "firstName", "surname")}
# domain/DataValue.java and domain/Note.java per tag.
_VALUE_FIELDS = {"2.41": "createdAt:none updatedAt:none providedElsewhere:bool "
                         "dataElement:meta:dataElementIdScheme value:text createdBy:none updatedBy:none",
                 "2.42": "storedBy:text providedElsewhere:bool dataElement:meta:dataElementIdScheme value:text",
                 "2.43": "providedElsewhere:bool dataElement:meta:dataElementIdScheme value:text"}
_NOTE_FIELDS = {"2.41": "note:uid storedAt:instant value:text createdBy:none",
                "2.42": "note:uid value:text storedBy:text", "2.43": "note:uid value:text"}


def java_null(value: Any) -> str:
    return "null" if value is None else str(value)


def instant_text(stored: str | None) -> str:
    """`Instant#toString` of a stored `yyyy-MM-ddTHH:mm:ss.SSS` (UTC): `Z`, a zero fraction
    left out, otherwise in groups of three digits."""
    if not stored:
        return "null"
    whole, _, fraction = stored.partition(".")
    fraction = fraction.rstrip("0")
    if fraction:
        fraction = "." + fraction.ljust(3 * -(-len(fraction) // 3), "0")
    return f"{whole}{fraction}Z"


def timestamp_text(stored: Any) -> str:
    """`java.sql.Timestamp#toString` of a stored ISO date-time (what Hibernate 5.6's
    `type="timestamp"` reads back): `yyyy-MM-dd HH:mm:ss.f`, trailing zeros of the fraction
    dropped but one digit kept."""
    text = str(stored or "")
    if len(text) < 19 or text[10] != "T":
        return java_null(stored)
    whole, _, fraction = text[:23].partition(".")
    fraction = fraction.rstrip("Z").rstrip("0") or "0"
    return f"{whole.replace('T', ' ')}.{fraction}"


def metadata_identifier(identifier: Any, scheme: str = "UID") -> str:
    if not identifier:
        return "null"
    return identifier_text(identifier, scheme)


def identifier_text(identifier: Any, scheme: str = "UID") -> str:
    """Lombok `toString` of a payload `MetadataIdentifier` read by `scheme`: an ATTRIBUTE one is
    `MetadataIdentifier.ofAttribute(uid, value)`, the attribute's uid the identifier and the
    value written its `attributeValue` (`TrackerIdSchemeParam#toMetadataIdentifier(String)`,
    2.41.9 :116-121, 2.42.5 and 2.43.1 :112-117)."""
    value = java_null(identifier)
    if scheme.startswith("ATTRIBUTE:"):
        return (f"MetadataIdentifier(idScheme=ATTRIBUTE, identifier={scheme.split(':', 1)[1]}, "
                f"attributeValue={value})")
    return f"MetadataIdentifier(idScheme={scheme}, identifier={value}, attributeValue=null)"


# JTS 1.20 (dhis-2/pom.xml `jts.version` at the three tags) `WKTWriter#write` formats each
# ordinate with `OrdinateFormat.create(PrecisionModel#getMaximumSignificantDigits())`: 16 for a
# floating model, a `DecimalFormat("0")` of Locale.ROOT with at most 16 fraction digits
# (HALF_EVEN), so never an exponent, a negative zero "-0", NaN and infinities spelled out.
_FRACTION = decimal.Decimal(1).scaleb(-16)
_WIDE = decimal.Context(prec=800, rounding=decimal.ROUND_HALF_EVEN)


def _number(value: Any) -> str:
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Inf" if number > 0 else "-Inf"
    # DecimalFormat rounds the shortest decimal digits of the double (FloatingDecimal)
    text = format(decimal.Decimal(repr(number)).quantize(_FRACTION, context=_WIDE), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if math.copysign(1.0, number) < 0 and not text.startswith("-"):
        text = "-" + text
    return text


def _ring(points: Any) -> str:
    return "(" + ", ".join(" ".join(_number(c) for c in p[:2]) for p in points) + ")"


def geometry_text(geo: Any) -> str:
    """JTS `Geometry#toString` (`WKTWriter`) of a GeoJSON point or (multi)polygon."""
    if not isinstance(geo, dict):
        return "null"
    kind = str(geo.get("type", ""))
    coords: Any = geo.get("coordinates")
    try:
        if kind == "Point":
            return f"POINT ({' '.join(_number(c) for c in coords[:2])})"
        if kind == "Polygon":
            return "POLYGON (" + ", ".join(_ring(r) for r in coords) + ")"
        if kind == "MultiPolygon":
            return "MULTIPOLYGON (" + ", ".join(
                "(" + ", ".join(_ring(r) for r in poly) + ")" for poly in coords) + ")"
    except (TypeError, ValueError, IndexError):
        pass
    return kind.upper() or "null"


class DomainText:
    """Renders payload dicts (as `payload.py` and the preprocessors leave them) per layout."""

    def __init__(self, layout: str, attribute: Callable[[dict[str, Any]], str],
                 scheme: Callable[[str], str]) -> None:
        self.layout = layout
        self.attribute = attribute
        self.scheme = scheme

    def _value(self, kind: str, value: Any) -> str:
        if kind in ("uid", "text"):
            return java_null(value)
        if kind == "none":
            return "null"
        if kind == "false":
            return "false"
        if kind == "bool":
            return "true" if value else "false"
        if kind == "enum":
            return java_null(value)
        if kind == "instant":
            return instant_text(value)
        if kind == "geometry":
            return geometry_text(value)
        if kind == "empty":
            return "[]"
        if kind.startswith("meta:"):
            # The webapi mappers (MetadataIdentifierMapper, qualified MapStruct methods) map a
            # missing identifier too, so the field is a MetadataIdentifier with identifier null.
            scheme = self.scheme(kind[5:])
            return identifier_text(value or None, scheme)
        if kind.startswith("options:"):
            return "[" + ", ".join(metadata_identifier(v, self.scheme(kind[8:]))
                                   for v in value or []) + "]"
        if kind == "attributes":
            return "[" + ", ".join(self.attribute(a) for a in value or []) + "]"
        if kind == "notes":
            return "[" + ", ".join(self._lombok("Note", _NOTE_FIELDS[self.layout], n)
                                   for n in value or []) + "]"
        if kind == "values":
            return "[" + ", ".join(self._lombok("DataValue", _VALUE_FIELDS[self.layout], v)
                                   for v in value or []) + "]"
        if kind == "user":
            if not isinstance(value, dict):
                return "null"
            names = _USER_FIELDS.get(self.layout, ("uid", "username"))
            return "User(" + ", ".join(f"{n}={java_null(value.get(n))}" for n in names) + ")"
        raise ValueError(kind)

    def _lombok(self, cls: str, fields: str, obj: dict[str, Any]) -> str:
        parts = []
        for spec in fields.split():
            name, _, kind = spec.partition(":")
            parts.append(f"{name}={self._value(kind, obj.get(name))}")
        return f"{cls}({', '.join(parts)})"

    def user(self, user: dict[str, Any] | None) -> str:
        """`domain/User#toString` (Lombok) of the release."""
        return self._value("user", user)

    def note(self, note: dict[str, Any]) -> str:
        return self._lombok("Note", _NOTE_FIELDS[self.layout], note)

    def dto(self, tracker_type: str, obj: dict[str, Any]) -> str:
        cls, fields = LAYOUTS[self.layout][tracker_type]
        return self._lombok(cls, fields, obj)


def persisted_tracked_entity(layout: str, uid: str, row: dict[str, Any] | None,
                             org_unit: str, tet: str) -> str:
    """`TrackedEntity#toString` of the preheat's tracked entity; one only in the payload is a
    `new TrackedEntity()` with its uid set (`ExistingEnrollmentValidator#getTrackedEntity`).
    `org_unit`/`tet` are the referenced objects' own `toString()`. The primary key is the
    sandbox's row sequence; `lastSynchronized` is `new Date(0)`, read back from the database as
    a `java.sql.Timestamp`."""
    name = "" if layout == "2.43" else ", name='null'"
    if row is None:
        return (f"TrackedEntity{{id=0, uid='{uid}'{name}, organisationUnit=null, "
                "trackedEntityType=null, inactive=false, deleted=false, "
                "lastSynchronized=Thu Jan 01 00:00:00 UTC 1970}")
    return (f"TrackedEntity{{id={row.get('seq')}, uid='{uid}'{name}, organisationUnit={org_unit}, "
            f"trackedEntityType={tet}, inactive={'true' if row.get('inactive') else 'false'}, "
            f"deleted={'true' if row.get('deleted') else 'false'}, "
            "lastSynchronized=1970-01-01 00:00:00.0}")
