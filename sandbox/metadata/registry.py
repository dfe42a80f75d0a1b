"""What the sandbox knows about DHIS2 object types.

Two kinds of data file, both derived from dhis2-core's source:
- `data/schema_registry/<tag>.json`, one per release (`Release.schema_registry`: 2.41.9,
  2.42.5, 2.43.1), written by `scripts/schema_registry.py`: the `*SchemaDescriptor.java`
  that `schema/DefaultSchemaService.java#init` registers at that tag, each with singular,
  plural, klass, import order (`Schema#setOrder`), authorities, and whether the class is a
  `MetadataObject` (`Schema#isMetadata`: only those top-level keys are read by
  `POST /api/metadata`, `render/DefaultRenderService.java#fromMetadata`) and whether it is a
  `SecondaryMetadataObject` (`Schema#isSecondaryMetadata`, 2.41.9 :226, 2.42.5 :228, 2.43.1
  :235: jobConfiguration at every tag, oAuth2Authorization and oAuth2AuthorizationConsent from
  2.42.5, which `GET /api/metadata` leaves out unless asked for). The releases
  differ in which types exist (2.43.1 dropped dataInputPeriod, externalFileResource and
  pushAnalysis and registers mapView) and in authorities (2.41.9's smsCommand has no READ,
  its oAuth2Client no UPDATE; EXTERNALIZE only at 2.42.5).
- `data/schema_facts.json` (copied from the shared contract): per-property facts for the ~30
  types scdi-groups uses (what `/api/schemas/{type}` reports), with the 2.42 overlay `in2_42`;
  enum constants a later release adds come from `Release.enum_constants_added`.
- `data/schema_properties/<tag>.json`, one per release, written by
  `scripts/schema_properties.py`: every registered type's properties as
  `schema/DefaultPropertyIntrospectorService.java` derives them at that tag (name, fieldName,
  klass, propertyType, collection, itemKlass, persisted, owner, writable, the many-to-many roles
  `HibernatePropertyIntrospector#updateJoinTables` pairs; required/unique/length/min/max from
  the mapping's columns and `@Property`/`@PropertyRange`; whether the Java value can be null),
  with `setterOnly`: `@JsonProperty` setters that are no schema property. `jackson_properties`
  is that set per release, each property completed by its facts where the type has them: what
  `/api/schemas` reports and what the schema and uniqueness checks read; the facts alone
  (`properties`) still drive the checks that need constants.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from scdi.upstream.releases import RELEASES
from scdi.upstream.schema_facts import properties_for

DEFAULT_CLASSES = frozenset({
    "org.hisp.dhis.category.Category", "org.hisp.dhis.category.CategoryOption",
    "org.hisp.dhis.category.CategoryCombo", "org.hisp.dhis.category.CategoryOptionCombo",
})  # preheat/Preheat.java#isDefaultClass
USER_CLASS = "org.hisp.dhis.user.User"
# Schema#order of a descriptor without setOrder: Spring's Ordered.LOWEST_PRECEDENCE
# (Integer.MAX_VALUE), what /api/schemas reports and what sorts such types last.
LOWEST_PRECEDENCE = 2**31 - 1


@dataclass(frozen=True)
class TypeInfo:
    singular: str
    plural: str
    klass: str
    order: int
    metadata: bool
    shareable: bool
    # Schema#isSecondaryMetadata: a SecondaryMetadataObject class
    secondary_metadata: bool = False
    data_shareable: bool = False
    # Schema#isImplicitPrivateAuthority: the descriptor's setImplicitPrivateAuthority(true)
    implicit_private: bool = False
    authorities: dict[str, list[str]] = field(default_factory=dict)
    has_facts: bool = False
    # The descriptor's setRelativeApiEndpoint (Schema#hasApiEndpoint), None without one
    relative_api_endpoint: str | None = None
    # Schema#isDefaultPrivate (the descriptor's setDefaultPrivate), #isSubscribableObject
    default_private: bool = False
    subscribable_object: bool = False
    # Schema#getName: the `__schema__` property's (root annotation of the class), and whether
    # that property exists (DefaultSchemaService#updateSelf)
    root_element: bool = False
    root_name: str | None = None
    root_namespace: str | None = None
    # the class declaring the hashCode/equals the type's objects run (`reference_hash.py`)
    hash_code_owner: str | None = None

    @property
    def simple_name(self) -> str:
        return self.klass.rsplit(".", 1)[-1]


def _read(name: str) -> Any:
    text = resources.files("scdi.sandbox").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _facts() -> dict[str, Any]:
    data: dict[str, Any] = _read("schema_facts.json")
    return data


def _tag(minor: str) -> str:
    return RELEASES[minor].schema_registry


@cache
def _types(tag: str) -> dict[str, TypeInfo]:
    raw = _read(f"schema_registry/{tag}.json")["types"]
    facts = _facts()
    out: dict[str, TypeInfo] = {}
    for singular, info in raw.items():
        out[singular] = TypeInfo(
            singular=singular, plural=info["plural"], klass=info["klass"],
            order=info["order"] if info["order"] is not None else LOWEST_PRECEDENCE,
            metadata=bool(info["metadata"]),
            secondary_metadata=bool(info.get("secondaryMetadata")),
            shareable=bool(info.get("shareable")),
            data_shareable=bool(info.get("dataShareable")),
            implicit_private=bool(info.get("implicitPrivateAuthority")),
            authorities={k: list(v) for k, v in (info.get("authorities") or {}).items()},
            has_facts=singular in facts,
            relative_api_endpoint=info.get("relativeApiEndpoint"),
            default_private=bool(info.get("defaultPrivate")),
            subscribable_object=bool(info.get("subscribableObject")),
            root_element=bool(info.get("rootElement")), root_name=info.get("name"),
            root_namespace=info.get("namespace"),
            hash_code_owner=info.get("hashCodeOwner"),
        )
    return out


@cache
def _by_plural(tag: str) -> dict[str, TypeInfo]:
    return {t.plural: t for t in _types(tag).values()}


@cache
def _by_klass(tag: str) -> dict[str, TypeInfo]:
    return {t.klass: t for t in _types(tag).values()}


def by_singular(singular: str, minor: str) -> TypeInfo | None:
    return _types(_tag(minor)).get(singular)


def by_plural(plural: str, minor: str) -> TypeInfo | None:
    return _by_plural(_tag(minor)).get(plural)


def by_klass(klass: str | None, minor: str) -> TypeInfo | None:
    return _by_klass(_tag(minor)).get(klass or "")


@cache
def _sorted(tag: str) -> list[TypeInfo]:
    return sorted(_types(tag).values(), key=lambda t: (t.order, t.singular))


def all_types(minor: str) -> list[TypeInfo]:
    return list(_sorted(_tag(minor)))


def metadata_types(minor: str) -> list[TypeInfo]:
    """Importable/exportable types in DHIS2's import order (Schema order, then name)."""
    return [t for t in _sorted(_tag(minor)) if t.metadata]


@cache
def metadata_plurals() -> frozenset[str]:
    """The plurals of metadata types in any release: what the URL map may route (the handler
    then asks the request's release)."""
    return frozenset(t.plural for r in RELEASES.values() for t in metadata_types(r.minor))


def _is_newer(minor: str, than: str) -> bool:
    return tuple(int(p) for p in minor.split(".")) >= tuple(int(p) for p in than.split("."))


@cache
def properties(singular: str, minor: str = "2.42") -> dict[str, dict[str, Any]]:
    """Property facts keyed by JSON name, for this release (2.42 overlay applied from 2.42,
    then the enum constants the release adds, `Release.enum_constants_added`, less those it
    removes, `Release.enum_constants_removed`)."""
    facts = _facts().get(singular)
    if not facts:
        return {}
    props = properties_for(facts["properties"], from_2_42=_is_newer(minor, "2.42"))
    release = RELEASES.get(minor)
    for klass, constant, after in release.enum_constants_added if release else ():
        for name, prop in props.items():
            constants = prop.get("constants")
            if prop.get("klass") == klass and constants and constant not in constants:
                at = constants.index(after) + 1 if after in constants else len(constants)
                props[name] = {**prop, "constants": [*constants[:at], constant, *constants[at:]]}
    for klass, constant in release.enum_constants_removed if release else ():
        for name, prop in props.items():
            constants = prop.get("constants")
            if prop.get("klass") == klass and constants and constant in constants:
                props[name] = {**prop, "constants": [c for c in constants if c != constant]}
    return props


def is_embedded_klass(klass: str | None, minor: str) -> bool:
    """An identifiable object owned by its parent (EmbeddedObject: not a metadata schema)."""
    info = by_klass(klass, minor)
    return info is not None and not info.metadata


def reference_target(prop: dict[str, Any]) -> str | None:
    """The klass an owner reference property points to (item klass for collections)."""
    if prop.get("propertyType") == "REFERENCE":
        return str(prop.get("klass"))
    if prop.get("itemPropertyType") == "REFERENCE":
        return str(prop.get("itemKlass"))
    return None


def required_for_e4000(prop: dict[str, Any], given_null: bool = False) -> bool:
    """DefaultSchemaValidator: required, persisted, not a default-class reference; a Java
    primitive or a field initializer means the value is never null (Jackson builds the object
    with its no-argument constructor and leaves a missing key's field as it is). `given_null`:
    the payload sends the key as `null`, which Jackson passes to the setter (Nulls.SET), so an
    initialised field is null after all; a primitive keeps its default
    (FAIL_ON_NULL_FOR_PRIMITIVES off)."""
    if not (prop.get("required") and prop.get("persisted")):
        return False
    if prop.get("javaPrimitive") or prop.get("klass") in DEFAULT_CLASSES:
        return False
    if given_null:
        return True
    if "javaFieldInitialised" in prop:  # the release's generated properties
        return not prop["javaFieldInitialised"]
    initializer = prop.get("javaFieldInitializer")
    return initializer in (None, "null")


def schema_name(name: str, prop: dict[str, Any]) -> str:
    """The name DHIS2 puts in messages ({0} of E4000): the XML name when it differs."""
    return str(prop.get("schemaName") or name)


@cache
def _generated(tag: str) -> dict[str, Any]:
    data: dict[str, Any] = _read(f"schema_properties/{tag}.json")["types"]
    return data


@cache
def jackson_properties(singular: str, minor: str) -> dict[str, dict[str, Any]]:
    """Every property the release's class has (what its import ObjectMapper binds and
    /api/schemas lists), keyed by JSON name; the facts add what the generator does not read
    (required, length, constants, initialisers), the release's own sources win on the rest."""
    generated = _generated(_tag(minor)).get(singular)
    facts = properties(singular, minor)
    if generated is None:
        return facts
    return {name: {**facts.get(name, {}), **prop}
            for name, prop in generated["properties"].items()}


@cache
def release_combo_references(singular: str, minor: str) -> dict[str, dict[str, Any]]:
    """Single category combo references the release's class has and the facts (read at
    2.41/2.42) lack, persisted and owned: 2.43.1 Program#enrollmentCategoryCombo (Program.java
    :287-290, :1276-1285). The preheat connects and ReferencesCheck checks them as any other
    owner reference (DefaultPreheatService#connectReferences, ReferencesCheck#checkReferences:
    persisted, owner, REFERENCE)."""
    facts = properties(singular, minor)
    return {key: prop for key, prop in jackson_properties(singular, minor).items()
            if key not in facts and prop.get("klass") == "org.hisp.dhis.category.CategoryCombo"
            and not prop.get("collection") and prop.get("persisted") and prop.get("owner")}


@cache
def bound_names(singular: str, minor: str) -> frozenset[str]:
    """The JSON keys an import binds: the properties and the `@JsonProperty` setters.
    JacksonObjectMapperConfig turns FAIL_ON_UNKNOWN_PROPERTIES and AUTO_DETECT_* off, so any
    other key is skipped."""
    generated = _generated(_tag(minor)).get(singular) or {}
    return frozenset(jackson_properties(singular, minor)) | frozenset(generated.get("setterOnly", ()))


def is_mapped(singular: str, minor: str) -> bool:
    """The class has a Hibernate mapping (hbm.xml or JPA) at the release: its unmapped
    properties are never stored."""
    generated = _generated(_tag(minor)).get(singular)
    return bool(generated and generated.get("mapped"))


@cache
def _constants_by_klass(minor: str) -> dict[str, list[str]]:
    """The constants the release's generated properties list for each enum klass (the first
    property that lists them: every property of one klass lists the same enum)."""
    out: dict[str, list[str]] = {}
    for singular in _generated(_tag(minor)):
        for prop in jackson_properties(singular, minor).values():
            klass, constants = prop.get("klass"), prop.get("constants")
            if prop.get("propertyType") == "CONSTANT" and klass and constants:
                out.setdefault(str(klass), [str(c) for c in constants])
    return out


def enum_constants(klass: str, minor: str) -> list[str] | None:
    """An enum klass's constants in declaration order, as another of the release's properties
    lists them; None when none does."""
    return _constants_by_klass(minor).get(klass)
