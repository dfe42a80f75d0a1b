"""2.41.9's attribute values: the `Set<AttributeValue>` an object holds, and what is stored of it.

`BaseIdentifiableObject#attributeValues` (2.41.9 :103) is the HashSet Jackson filled: equal
values (the same attribute reference and value) are one, walked in the bucket order of
`AttributeValue#hashCode` (:90-95: 7, the attribute's hashCode, the value's), the attribute
reference hashing as `Attribute#hashCode` (:214-217) over what was sent
(`BaseNameableObject#hashCode` :106-111, then `Objects.hash(valueType, objectTypes, mandatory,
unique, optionSet)`: an empty EnumSet, false, false). A reference that names its `valueType` or
`optionSet` would hash by identity in the JVM: not modelled (counted as null).

The column is written by `hibernate/jsonb/type/JsonAttributeValueBinaryType#convertObjectToJson`
(2.41.9 :54-75): walking that set, a value whose attribute has a uid gets `new Attribute(uid)`
(:65, so only the id is stored; reads expand the reference as any other) and is put into a
HashMap by that uid (:66), so of values of one attribute the last walked is kept (the import's
checks refuse no repeated attribute: MetadataAttributeCheck validates each value, ReferencesCheck
each reference). `#convertJsonToObject` (:84-104) reads the map back into a HashSet, now of
values whose attribute holds only its id: the order a read walks.

On an update `DefaultMetadataMergeService#merge` (2.41.9 :73-98) adds the values into the stored object's set
after `IdentifiableObjectBundleHook#handleAttributeValues` gave them the preheated Attribute,
which hashes its `valueType` by identity: which of repeated values survives there is not
modelled (the creation's order is used).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import java_hash


def _text_hash(value: Any) -> int:
    return 0 if value is None else java_hash.string_hash(str(value))


def _attribute_hash(ref: dict[str, Any]) -> int:
    # Attribute#hashCode over BaseNameableObject#hashCode over BaseIdentifiableObject#hashCode
    nameable = java_hash.fold(java_hash.identifiable_hash(
        *(None if ref.get(k) is None else str(ref[k]) for k in ("id", "code", "name"))),
        _text_hash(ref.get("shortName")), _text_hash(ref.get("description")))
    own = java_hash.fold(1, 0, 0, java_hash.boolean_hash(ref.get("mandatory") is True),
                         java_hash.boolean_hash(ref.get("unique") is True), 0)
    return java_hash.fold(nameable, own)


def value_set_order(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """2.41.9's HashSet of AttributeValue: equal ones dropped, in bucket order."""
    def ident(av: dict[str, Any]) -> tuple[Any, ...]:
        ref = av["attribute"]
        return (tuple(None if ref.get(k) is None else str(ref[k])
                      for k in ("id", "code", "name", "shortName", "description")),
                ref.get("mandatory") is True, ref.get("unique") is True,
                None if av.get("value") is None else str(av["value"]))
    return java_hash.hash_set_order(
        values, key=ident,
        hash_code=lambda av: java_hash.fold(7, _attribute_hash(av["attribute"]),
                                            _text_hash(av.get("value"))))


def stored(values: list[Any]) -> list[dict[str, Any]]:
    """What `JsonAttributeValueBinaryType` stores of an object's values, in the order the set
    read back from the column walks them."""
    given = [av for av in values if isinstance(av, dict) and isinstance(av.get("attribute"), dict)
             and av["attribute"].get("id") is not None]
    kept: dict[str, dict[str, Any]] = {}
    for av in value_set_order(given):
        uid = str(av["attribute"]["id"])
        kept[uid] = {**{k: v for k, v in av.items() if k != "attribute"}, "attribute": {"id": uid}}
    return value_set_order(list(kept.values()))
