"""The stored form of an imported metadata object: server fields dropped, references reduced to
`{id}`, embedded objects normalised with their own facts, defaults filled as the Java object
would hold them (field initialisers, primitive defaults, the default category combo).

dhis2-core 2.42.5: what Jackson binds and Hibernate persists for the owner properties of
`schema/introspection/*` facts (`data/schema_facts.json`, or for the other types the generated
`data/schema_properties/<tag>.json`). A key that is no property of the release's class is
dropped: `commons/jackson/config/JacksonObjectMapperConfig.java` (2.41.9, 2.42.5, 2.43.1) turns
FAIL_ON_UNKNOWN_PROPERTIES and the AUTO_DETECT_* features off, so only `@JsonProperty`
accessors bind and anything else is skipped, on `POST /api/metadata` and on the CRUD
`POST`/`PUT` alike (both deserialise with that mapper). Embedded objects
(`EmbeddedObject`, `Schema#isEmbeddedObject`) are stored with their parent. An identifiable one
gets `setAutoFields` from `EmbeddedObjectObjectBundleHook#handleProperty` (2.41.9 :166,
2.42.5 and 2.43.1 :168; `BaseIdentifiableObject#setAutoFields` 2.41.9 :503-515, 2.42.5
:472-484, 2.43.1 `IdentifiableObject#setAutoFields` :177-189, Legend and DashboardItem mapped
with `@Column uid/created/lastUpdated` there): a uid when it has none, `created` when it
has none, `lastUpdated` now. On update the hook first clears the stored parent's embedded
objects (`#preUpdate/#clearEmbeddedObjects`) and `DefaultMetadataMergeService#merge` replaces
the collection with the incoming objects, so nothing of the stored ones survives: an embedded
object sent without id gets a new uid on every import.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from scdi.sandbox.core import java_double, java_hash, objects
from scdi.sandbox.core.users import User, user_name
from scdi.sandbox.metadata import attribute_value_set, registry, translation_set
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_COMBO
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import RELEASES

# The legacy sharing properties (util/SharingUtils.LEGACY_SHARING_PROPERTIES) are no Jackson
# properties: BaseIdentifiableObject#setPublicAccess/#getPublicAccess, #getUserAccesses,
# #getUserGroupAccesses carry no @JsonProperty and JacksonObjectMapperConfig disables
# AUTO_DETECT_SETTERS/GETTERS with FAIL_ON_UNKNOWN_PROPERTIES off, so an import drops them and
# `sharing` keeps what it had (2.41.9, 2.42.5, 2.43.1).
LEGACY_SHARING = frozenset({"userAccesses", "userGroupAccesses", "publicAccess", "externalAccess"})
_DROP_ALWAYS = (objects.SERVER_FIELDS - {"created"}) | LEGACY_SHARING
_SHARING = "org.hisp.dhis.user.sharing.Sharing"
_CATEGORY_COMBO = "org.hisp.dhis.category.CategoryCombo"

# The EmbeddedObject classes whose rows carry the identifiable columns (`&identifiableProperties;`
# in their hbm.xml), so the auto fields the hook sets are stored and exported. DataElementOperand
# is identifiable too but its table keeps no uid, so nothing the hook sets on it survives.
_AUTO_FIELDS = frozenset({
    "org.hisp.dhis.legend.Legend", "org.hisp.dhis.dashboard.DashboardItem",
    "org.hisp.dhis.program.AnalyticsPeriodBoundary", "org.hisp.dhis.program.ProgramStageDataElement",
    "org.hisp.dhis.program.ProgramTrackedEntityAttribute",
    "org.hisp.dhis.trackedentity.TrackedEntityTypeAttribute",
    # Map#mapViews: a BaseAnalyticalObject, `MapView.hbm.xml` with `&identifiableProperties;`
    # at the three tags, whether or not the release registers a MapView schema
    "org.hisp.dhis.mapping.MapView",
})


def _initial(prop: dict[str, Any]) -> Any:
    """Java field initializer / primitive default for a missing property, or None."""
    init = prop.get("javaFieldInitializer")
    if isinstance(init, str):
        if init in ("true", "false"):
            return init == "true"
        if init.lstrip("-").isdigit():
            return int(init)
        if init.startswith("new ") and prop.get("collection"):
            return []
        if "." in init and init.split(".")[-1].isupper():
            return init.split(".")[-1]
    if prop.get("javaPrimitive"):
        kind = prop.get("propertyType")
        return {"BOOLEAN": False, "INTEGER": 0, "NUMBER": 0.0}.get(str(kind))
    return None


# Properties stored through another one and given back on export: an analytical object's
# `relativePeriods` go into `rawPeriods` (dxf2/metadata/DefaultAnalyticalObjectImportHandler
# .java#handleRawPeriods); BaseAnalyticalObject#getRelatives rebuilds them on export.
_STORED_THROUGH = {"relativePeriods": "rawPeriods"}

# The `java.util.Date` properties Hibernate maps as a DATE column (`type="date"` in the hbm.xml,
# `@Temporal(TemporalType.DATE)`): the time of day is not stored, so the object read back has
# midnight. OrganisationUnit.hbm.xml openingDate/closedDate (:39, :41 at 2.41.9, 2.42.5,
# 2.43.1), User.hbm.xml birthday (2.41.9 :42, 2.42.5 and 2.43.1 :48), CategoryOption startDate/
# endDate (CategoryOption.hbm.xml :26, :28 at 2.41.9 and 2.42.5; 2.43.1 `CategoryOption.java`
# :141-145). The server's zone is UTC, so the stored form's own date is the day kept.
_DATE_COLUMNS = {"organisationUnit": ("openingDate", "closedDate"), "user": ("birthday",),
                 "categoryOption": ("startDate", "endDate")}
_STORED_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_column(value: Any) -> Any:
    if isinstance(value, str) and _STORED_DAY.match(value):
        return value[:10] + "T00:00:00.000"
    return value


def _stored_through(key: str, props: dict[str, dict[str, Any]]) -> bool:
    through = props.get(_STORED_THROUGH.get(key, ""))
    return bool(through and through.get("persisted"))


def normalise(info: TypeInfo, obj: dict[str, Any], minor: str, resolve: Any,
              user: User | None, when: str) -> dict[str, Any]:
    """The stored form: server fields dropped, references reduced to {id}, embedded objects
    normalised with their own facts, defaults filled as the Java object would hold them."""
    props = registry.properties(info.singular, minor)
    if not info.has_facts and registry.is_mapped(info.singular, minor):
        # the generated properties say what Hibernate stores (an unmapped class, stored as
        # its parent's JSON, keeps every bound key)
        props = registry.jackson_properties(info.singular, minor)
    bound = registry.bound_names(info.singular, minor)
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key in _DROP_ALWAYS or key not in bound:
            continue  # the import ObjectMapper skips unknown properties
        prop = props.get(key)
        if prop is not None and (not prop.get("persisted") or not prop.get("owner")) and \
                key not in ("id", "code", "sharing", "translations", "attributeValues") and \
                not _stored_through(key, props):
            continue  # DHIS2 deserialises but never stores these
        if key == "translations":
            value = translation_set.as_set(value)
        elif key == "attributeValues" and RELEASES[minor].metadata_attribute_values_by_uid:
            value = attribute_value_items(value)
        elif prop is not None:
            value = _normalise_value(prop, value, minor, resolve, user, when)
            if key == "attributeValues" and isinstance(value, list):
                value = attribute_value_set.stored(value)  # 2.41.9's jsonb column
        out[key] = value
    for key, prop in props.items():
        if key in out or not prop.get("persisted") or not prop.get("owner"):
            continue
        if prop.get("klass") == _CATEGORY_COMBO and prop.get("required"):
            out[key] = {"id": DEFAULT_CATEGORY_COMBO}
            continue
        default = _initial(prop)
        if default is not None:
            out[key] = default
    if info.has_facts:
        _release_combo_references(info, minor, props, out, resolve, user, when)
        _release_primitives(info, minor, props, out)
    if info.singular == "attribute":
        out["objectTypes"] = attribute_object_types(out)
    if info.singular == "user" and (props.get("name") or {}).get("persisted"):
        out["name"] = user_name(out)  # the column the database generates from 2.42.5
    for key in _DATE_COLUMNS.get(info.singular, ()):
        if key in out:
            out[key] = _date_column(out[key])
    return out


# One-to-many collections of embedded items that are keyed by the parent's own column, which
# the item's back-reference reads: `DataSet.hbm.xml` maps `dataSetElements` `<key
# column="datasetid">` (2.41.9 :37-41, 2.42.5 = 2.43.1 :39-43, not inverse, so Hibernate writes
# the key from the collection), the column DataSetElement's `dataSet` maps (2.41.9 and 2.42.5
# `DataSetElement.hbm.xml` :16-17, 2.43.1 `DataSetElement.java` `@JoinColumn(name =
# "datasetid")` :77). An element sent without `dataSet`, or naming another data set, is read back
# from the database naming its own; `@JsonProperty` order dataSet, dataElement, categoryCombo
# (`dataset/DataSetElement.java` 2.41.9 :142-168, 2.42.5 :144-170, 2.43.1 :177-203).
# Likewise, at the three tags: `ProgramStage.hbm.xml` `programStageDataElements` `<key
# column="programstageid">` (:31-33), which `ProgramStageDataElement.hbm.xml`'s `programStage`
# maps (:16-17); 2.41.9/2.42.5 `Program.hbm.xml` `programAttributes` `<key column="programid">`
# (:112-115), 2.43.1 `Program.java` `@JoinColumn(name = "programid")` (:234-238), which
# `ProgramTrackedEntityAttribute.hbm.xml`'s `program` maps (:16-17); `TrackedEntityType.hbm.xml`
# `trackedEntityTypeAttributes` `<key column="trackedentitytypeid">` (2.41.9 :42-44, 2.42.5
# :44-46, 2.43.1 :48-50), which `TrackedEntityTypeAttribute.hbm.xml`'s `trackedEntityType`
# maps (:16-17). Each back-reference getter is `@JsonProperty`.
_BACK_REFERENCES = {("dataSet", "dataSetElements"): "dataSet",
                    ("programStage", "programStageDataElements"): "programStage",
                    ("program", "programTrackedEntityAttributes"): "program",
                    ("trackedEntityType", "trackedEntityTypeAttributes"): "trackedEntityType"}


def with_back_references(singular: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The stored object with each keyed item naming the parent as its back-reference."""
    for (owner, collection), back in _BACK_REFERENCES.items():
        items = doc.get(collection)
        if owner != singular or not isinstance(items, list) or not doc.get("id"):
            continue
        doc[collection] = [
            {back: {"id": doc["id"]}, **{k: v for k, v in item.items() if k != back}}
            if isinstance(item, dict) else item for item in items]
    return doc


def _release_primitives(info: TypeInfo, minor: str, props: dict[str, dict[str, Any]],
                        out: dict[str, Any]) -> None:
    """Java primitives the release's class has and the facts (read at 2.41/2.42) lack: a
    primitive field is never null, so Jackson always writes it (false, 0). At 2.43.1
    Program#isEnableChangeLog (Program.java :334, :1463-1467) and TrackedEntityType
    #isEnableChangeLog (TrackedEntityType.java :81, :173-177) are `boolean`, so a program
    imported without the key reads back `"enableChangeLog": false`; likewise
    TrackedEntityAttribute `minCharactersToSearch`/`skipAnalytics` (:109, :123) and
    EventVisualization `hideEmptyColumns`/`fixColumnHeaders`/`fixRowHeaders` (:148-154)."""
    for key, prop in registry.jackson_properties(info.singular, minor).items():
        if key in out or key in props or not prop.get("javaPrimitive") or \
                not prop.get("persisted") or not prop.get("owner"):
            continue
        default = _initial(prop)
        if default is not None:
            out[key] = default


# Attribute.ObjectType in ordinal order (dhis-api/.../attribute/Attribute.java, the same 35
# constants at 2.41.9, 2.42.5, 2.43.1); each has its `is<Type>Attribute` flag.
_OBJECT_TYPES = (
    "DATA_ELEMENT", "DATA_ELEMENT_GROUP", "INDICATOR", "INDICATOR_GROUP", "DATA_SET",
    "ORGANISATION_UNIT", "ORGANISATION_UNIT_GROUP", "ORGANISATION_UNIT_GROUP_SET", "USER",
    "USER_GROUP", "PROGRAM", "PROGRAM_STAGE", "TRACKED_ENTITY_TYPE", "TRACKED_ENTITY_ATTRIBUTE",
    "CATEGORY_OPTION", "CATEGORY_OPTION_GROUP", "DOCUMENT", "OPTION", "OPTION_SET", "CONSTANT",
    "LEGEND_SET", "PROGRAM_INDICATOR", "SQL_VIEW", "SECTION", "CATEGORY_OPTION_COMBO",
    "CATEGORY_OPTION_GROUP_SET", "DATA_ELEMENT_GROUP_SET", "VALIDATION_RULE",
    "VALIDATION_RULE_GROUP", "CATEGORY", "VISUALIZATION", "MAP", "EVENT_REPORT", "EVENT_CHART",
    "RELATIONSHIP_TYPE")


def _object_type_flag(name: str) -> str:
    head, *rest = name.lower().split("_")
    return head + "".join(part.capitalize() for part in rest) + "Attribute"


def attribute_object_types(stored: dict[str, Any]) -> list[str]:
    """An attribute's `objectTypes` as written: Attribute#getObjectTypes (2.41.9 :248, 2.42.5
    and 2.43.1 :250) is `@JsonProperty(access = READ_ONLY)`, so a sent `objectTypes` is never
    bound; the `is<Type>Attribute` flags fill the EnumSet, and the getter collects its names
    in ordinal order into a HashSet (`Collectors#toSet`), written in bucket order."""
    return java_hash.hash_set_order(
        [name for name in _OBJECT_TYPES if stored.get(_object_type_flag(name)) is True])


def attribute_value_items(value: Any) -> Any:
    """2.42.5/2.43.1 `attribute/AttributeValues`: `AttributeValuesDeserializer` reads the items
    into a TreeMap attribute id → value text (`LazyAttributeValues#parseArrayJson` keeping the
    first value of a repeated attribute, 2.42.5 :160-169, 2.43.1 :161-170; the object form
    `{id: {"value": …}}` by `#parseObjectJson` :149-157/:150-158) and `AttributeValuesSerializer`
    writes it back as `#toArrayJson` does (2.42.5 :388-400, 2.43.1 :405-417): per attribute in
    id order only `{"value", "attribute": {"id"}}`, every other key of an item gone.
    `#parseValue` (:172/:173): a missing or null value is "", a text itself, anything else its
    JSON text (Jackson's tree)."""
    if isinstance(value, dict):
        pairs = [(str(k), v.get("value") if isinstance(v, dict) else None)
                 for k, v in value.items()]
    elif isinstance(value, list):
        pairs = [(str(item["attribute"]["id"]), item.get("value")) for item in value
                 if isinstance(item, dict) and isinstance(item.get("attribute"), dict)
                 and item["attribute"].get("id") is not None]
    else:
        return copy.deepcopy(value)
    first: dict[str, str] = {}
    for uid, raw in pairs:
        first.setdefault(uid, value_text(raw))
    return [{"value": first[uid], "attribute": {"id": uid}} for uid in sorted(first)]


def value_text(raw: Any) -> str:
    """`LazyAttributeValues#parseValue` of one value (2.42.5 :172-179, 2.43.1 :173-180)."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float):
        return java_double.to_string(raw)  # a DoubleNode written by Double#toString
    if isinstance(raw, int):
        return str(raw)
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def _release_combo_references(info: TypeInfo, minor: str, props: dict[str, dict[str, Any]],
                              out: dict[str, Any], resolve: Any, user: User | None,
                              when: str) -> None:
    """A category combo reference the release's class has and the facts (read at 2.41/2.42)
    lack, 2.43.1 Program#enrollmentCategoryCombo: stored as a reference, and when not given the
    default combo, as DefaultPreheatService#connectDefaults fills a null default-class
    reference (the column is not null at 2.43.1, V2_43_43 sets the default)."""
    for key, prop in registry.release_combo_references(info.singular, minor).items():
        if key in props:
            continue
        value = out.get(key)
        out[key] = _normalise_value(prop, value, minor, resolve, user, when) \
            if isinstance(value, dict) and value else {"id": DEFAULT_CATEGORY_COMBO}


def _normalise_value(prop: dict[str, Any], value: Any, minor: str, resolve: Any,
                     user: User | None, when: str) -> Any:
    if prop.get("klass") == "java.util.Set" and prop.get("itemKlass") == "java.lang.String" \
            and isinstance(value, list) and all(isinstance(v, str) for v in value):
        # a Set<String> (UserRole#authorities, favorites, subscribers)
        # is a HashSet, read by Jackson and again from the database: repeats go, bucket order
        return java_hash.hash_set_order(value)
    target = registry.reference_target(prop)
    if target is None:
        # a registered non-identifiable embedded class (RelationshipConstraint,
        # AttributeValue): Jackson binds it with its own properties too. Sharing is left to
        # access/acl.py, whose one shape (with `external`) every release's objects share.
        klass = prop.get("itemKlass") if prop.get("collection") else prop.get("klass")
        if registry.is_embedded_klass(klass, minor) and klass != _SHARING:
            return _embedded(str(klass), value, minor, resolve, user, when)
        return copy.deepcopy(value)
    info = registry.by_klass(target, minor)
    # An EmbeddedObject item (Property#isEmbeddedObject, e.g. Map#getMapViews) is stored with
    # its parent even where its class is a metadata schema too (2.43.1 registers MapView);
    # without a schema at the release (2.41.9, 2.42.5 MapView) it is kept as given.
    if prop.get("embeddedObject") and info is None:
        kept = copy.deepcopy(value)
        if target in _AUTO_FIELDS:
            for item in kept if isinstance(kept, list) else [kept]:
                if isinstance(item, dict):
                    _set_auto_fields(item, item, when)
        return kept
    if registry.is_embedded_klass(target, minor) or prop.get("embeddedObject"):
        return _embedded(target, value, minor, resolve, user, when)

    def ref(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        found = resolve(info.plural, item) if info else None
        uid = (found or {}).get("id") or item.get("id")
        return {"id": uid} if uid else dict(item)
    return [ref(v) for v in value] if isinstance(value, list) else ref(value)


def _embedded(klass: str, value: Any, minor: str, resolve: Any, user: User | None,
              when: str) -> Any:
    sub = registry.by_klass(klass, minor)
    if sub is None:
        return copy.deepcopy(value)

    def one(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        norm = normalise(sub, item, minor, resolve, user, when)
        if klass in _AUTO_FIELDS:
            _set_auto_fields(norm, item, when)
        return norm
    return [one(v) for v in value] if isinstance(value, list) else one(value)


def _set_auto_fields(norm: dict[str, Any], sent: dict[str, Any], when: str) -> None:
    """`setAutoFields`: a uid when it has none, `created` when it has none, `lastUpdated` now."""
    norm["id"] = sent.get("id") or objects.generate_uid()
    created = sent.get("created")
    norm["created"] = created if isinstance(created, str) and created else when
    norm["lastUpdated"] = when
