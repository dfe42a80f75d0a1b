"""What the `fields` presets of a metadata object select, from its schema at the release.

dhis2-core `fieldfiltering/FieldPathHelper.java#applyPresets` (2.41.9 :195-231, 2.42.5 = 2.43.1
:197-233) expands a preset to the properties of the schema at the preset's path: `*` / `:all`
all of them (2.41.9 :205-206, 2.42.5 = 2.43.1 :207-208), `:owner` those that are
`Property::isOwner` (2.41.9 :207-210, 2.42.5 = 2.43.1 :209-212), `:persisted`
`Property::isPersisted` (:211-214 / :213-216), `:simple` those whose `PropertyType#isSimple`
(:219-222 / :221-224), `:identifiable` / `:nameable` the preset's names the schema has
(`FieldPreset`; 2.41.9 `FieldPreset.IDENTIFIABLE_FIELDS` and `Preset.NAMEABLE`). The schema is
the release's (`data/schema_properties/<tag>.json`, `registry.jackson_properties`), so a key a
stored object holds beyond it (a user's `settings` or `displayName`, an org unit's `sharing`,
which OrganisationUnit.hbm.xml does not map) is never written, and what a type owns follows the
release (2.41.9's User has no `name`; 2.43.1's Program owns `userRoles`). A nested selection
(`parent[:owner]`) reads the schema of the property's class (a collection's item class). `*`
leaves out what no property is either (a user role's `displayDescription`: UserRole is no
nameable object; 2.42.5's and 2.43.1's `User#isTwoFactorEnabled` is `@JsonIgnore`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from scdi.sandbox.core.fields import JSON_NULL, PRESETS, SCHEMA_PRESETS
from scdi.sandbox.metadata import registry

# schema/PropertyType.java#isSimple (2.41.9 :63-78, 2.42.5 = 2.43.1 :65-80)
_SIMPLE_TYPES = frozenset({
    "IDENTIFIER", "TEXT", "NUMBER", "INTEGER", "BOOLEAN", "USERNAME", "EMAIL", "PASSWORD", "URL",
    "DATE", "PHONENUMBER", "GEOLOCATION", "COLOR", "CONSTANT"})


def _keeps(preset: str, name: str, prop: dict[str, Any]) -> bool:
    if preset in ("*", ":all"):
        return True
    if preset == ":owner":
        return bool(prop.get("owner"))
    if preset == ":persisted":
        return bool(prop.get("persisted"))
    if preset == ":simple":
        return prop.get("propertyType") in _SIMPLE_TYPES
    return name in PRESETS.get(preset[1:], ())


@cache
def preset_names(singular: str, minor: str, preset: str) -> frozenset[str] | None:
    """The type's properties a preset expands to at the release; None when the sandbox has no
    schema for the type or the preset is none of `applyPresets`' (every key kept)."""
    props = registry.jackson_properties(singular, minor)
    if not props or preset not in SCHEMA_PRESETS:
        return None
    return frozenset(name for name, prop in props.items() if _keeps(preset, name, prop))


@dataclass(frozen=True)
class TypePresets:
    """`core.fields.PresetProperties` for one metadata type at one release."""

    singular: str
    minor: str

    def names(self, preset: str) -> frozenset[str] | None:
        return preset_names(self.singular, self.minor, preset)

    def child(self, name: str) -> TypePresets | None:
        prop = registry.jackson_properties(self.singular, self.minor).get(name)
        if prop is None:
            return None
        klass = prop.get("itemKlass") if prop.get("collection") else prop.get("klass")
        return for_klass(klass, self.minor)


    def expansion(self, name: str) -> str | None:
        return expansion(self.singular, self.minor, name)

    def written_whole(self, name: str) -> Callable[[Any], Any] | None:
        if name in _OWN_SERIALISER and name in registry.jackson_properties(self.singular,
                                                                          self.minor):
            return user_reference
        return None


# Properties whose getter Jackson writes with its own serialiser, beyond the property filter:
# `UserPropertyTransformer.JacksonSerialize` on BaseIdentifiableObject#getCreatedBy,
# #getLastUpdatedBy, #getUser (2.41.9, 2.42.5, 2.43.1), which writes the user's id, code, name,
# display name and username.
_OWN_SERIALISER = frozenset({"createdBy", "lastUpdatedBy", "user"})
_USER_MEMBERS = ("id", "code", "name", "displayName", "username")


def user_reference(value: Any) -> Any:
    """A user reference as `UserPropertyTransformer.JacksonSerialize#serialize` writes it
    (2.41.9 :146-157, 2.42.5 and 2.43.1 :150-161): `writeStringField` for each of the five
    members, so a null one (a user without a code) is written `null`: the serialiser writes
    past the mapper's NON_NULL inclusion, which only bean properties consult, and the
    `ObjectNode` that `FieldFilterService#toObjectNodes`'s `valueToTree` builds keeps the
    `NullNode` when Spring's converter writes it (`JsonNodeFeature.WRITE_NULL_PROPERTIES` is on
    by default; jackson-databind 2.21 and 2.22 run). The selection below it is not consulted:
    `createdBy[id]` writes all five."""
    if not isinstance(value, dict):
        return value
    return {k: JSON_NULL if value.get(k) is None else value[k] for k in _USER_MEMBERS}
# FieldPathHelper#isComplex: these classes always, whatever their property type
_COMPLEX_KLASSES = frozenset({
    "org.hisp.dhis.user.sharing.Sharing", "org.hisp.dhis.security.acl.Access",
    "org.hisp.dhis.user.sharing.UserAccess", "org.hisp.dhis.user.sharing.UserGroupAccess"})


@cache
def expansion(singular: str, minor: str, name: str) -> str | None:
    """`FieldPathHelper#isComplex` before `#isReference` (2.41.9 :366-374 / :362-364, 2.42.5
    :368-376 / :364-366, 2.43.1 :367-375 / :363-365), from the property's type at the release.
    A class the sandbox has no schema for (a Map, `AttributeValues`, `Translation`) is written
    as it is stored: `FieldFilterSimpleBeanPropertyFilter#isAlwaysExpandType` writes a Map
    whole."""
    prop = registry.jackson_properties(singular, minor).get(name)
    if prop is None or name in _OWN_SERIALISER:
        return None
    kinds = {prop.get("propertyType"), prop.get("itemPropertyType")}
    if "COMPLEX" in kinds or prop.get("embeddedObject") or prop.get("klass") in _COMPLEX_KLASSES:
        return "complex"
    return "reference" if "REFERENCE" in kinds else None


def for_klass(klass: str | None, minor: str) -> TypePresets | None:
    info = registry.by_klass(klass, minor)
    return TypePresets(info.singular, minor) if info is not None else None


def for_plural(plural: str, minor: str) -> TypePresets | None:
    info = registry.by_plural(plural, minor)
    return TypePresets(info.singular, minor) if info is not None else None
