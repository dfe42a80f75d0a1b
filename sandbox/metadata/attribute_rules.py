"""MandatoryAttributesCheck and UniqueAttributesCheck: the attribute rules of the import chain.

dhis2-core `dxf2/metadata/objectbundle/validation/MandatoryAttributesCheck.java` and
`UniqueAttributesCheck.java` (2.41.9, 2.42.5 = 2.43.1 but for how values are held), run after
UniquenessCheck and before ReferencesCheck (`dxf2/config/ServiceConfig
#validatorsByImportStrategy`), both removal checks:
- which attributes are mandatory or unique for a class: `preheat/DefaultPreheatService
  #handleAttributes`, the stored attributes with the class's `<type>Attribute` flag and then the
  payload's attributes with theirs (a `HashSet` of uids);
- E4011 (on `Attribute`, mainId the attribute, errorProperty `value`) for each mandatory
  attribute without a non-empty value, one object report each, so an object missing two counts
  ignored twice (`ObjectValidationCheck#check` increments per report); in the set's order,
  which is Java's `HashSet` iteration order of the uids;
- E4009 (on `Attribute`, args the attribute's display name and the value) for a value of a
  unique attribute that a stored object (`IdentifiableObjectManager#getAllByAttributes`) or an
  earlier object of the payload already holds; the attribute is looked up in the preheat by the
  import's identifier, so a stored attribute's own flags decide and an import by CODE finds
  none by its id on 2.42.5/2.43.1, while 2.41.9 reads the reference's own code; 2.42.5/2.43.1
  test the held values by the value's attribute id but write them by the attribute's uid, so
  one found by a code equal to that id starts its values afresh (no E4009), and when that id
  is another unique attribute's uid with values held the write is a NullPointerException.
Both walk the object's attribute values as the release holds them (`_values`): 2.41.9 the
HashSet of `AttributeValue` (one of equal values, bucket order; `isDefined` takes the first of
an attribute), 2.42.5/2.43.1 `AttributeValues` (by attribute id, the first of a repeated one).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import webmessage
from scdi.sandbox.metadata import preheat, registry
from scdi.sandbox.metadata.attribute_value_set import value_set_order
from scdi.sandbox.metadata.bundle import Context, Item, TypeResult, error_report
from scdi.sandbox.metadata.defaults import DEFAULT_UIDS

ATTRIBUTE_CLASS = "org.hisp.dhis.attribute.Attribute"
# `uniqueAttributeValues.get(attribute.getUid()).put(value, …)` on a missing map (2.42.5 :130,
# 2.43.1 :128): the JDK's helpful NullPointerException text
_NO_HELD_VALUES = ('Cannot invoke "java.util.Map.put(Object, Object)" because the return value '
                   'of "java.util.Map.get(Object)" is null')


def _flag(info: registry.TypeInfo) -> str:
    return info.simple_name[0].lower() + info.simple_name[1:] + "Attribute"


def _java_hash(text: str) -> int:
    """`String#hashCode` spread as `HashMap#hash` does."""
    h = 0
    for ch in text:
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return h ^ (h >> 16)


def java_hash_set_order(values: list[str]) -> list[str]:
    """Iteration order of a `new HashSet<>()` the values were added to in this order: by bucket
    of the final table (16, doubled while more than three quarters full), then by insertion."""
    unique = list(dict.fromkeys(values))
    capacity = 16
    while len(unique) > capacity * 0.75:
        capacity *= 2
    return sorted(unique, key=lambda v: _java_hash(v) & (capacity - 1))


def _attributes_with(ctx: Context, info: registry.TypeInfo, rule: str) -> list[str]:
    flag = _flag(info)
    stored = [a["id"] for a in ctx.store.list_objects("attributes")
              if a.get(rule) is True and a.get(flag) is True]
    given = [a["id"] for a in ctx.payload.get("attributes", {}).values()
             if a.get("id") and a.get(rule) is True and a.get(flag) is True]
    return java_hash_set_order(stored + given)


Pair = tuple[dict[str, Any], Any]


def _values(ctx: Context, obj: dict[str, Any]) -> list[Pair]:
    """The object's attribute values as the checks walk them: the attribute reference and
    the value.

    2.42.5/2.43.1 `AttributeValues` (`LazyAttributeValues#parseArrayJson`, 2.42.5 :160-169,
    2.43.1 :161-170): a TreeMap by attribute id keeping the first value of a repeated attribute.
    2.41.9: the `Set<AttributeValue>` Jackson filled, a HashSet (`attribute_values
    .value_set_order`): one of equal values, in bucket order."""
    values = [av for av in obj.get("attributeValues") or []
              if isinstance(av, dict) and isinstance(av.get("attribute"), dict)]
    if ctx.release.metadata_attribute_values_by_uid:
        first: dict[str, Pair] = {}
        for av in values:
            uid = str(av["attribute"].get("id"))
            first.setdefault(uid, ({"id": uid}, av.get("value")))
        return [first[uid] for uid in sorted(first)]
    return [(av["attribute"], av.get("value")) for av in value_set_order(values)]


def _defined(uid: str, pairs: list[Pair]) -> bool:
    """MandatoryAttributesCheck#isDefined: 2.41.9 (:91-97) the first value of the set whose
    reference has that uid decides; 2.42.5/2.43.1 (:93-96) `AttributeValues#get`."""
    for ref, value in pairs:
        if str(ref.get("id")) == uid:
            return value not in (None, "")
    return False


def _unique_attribute(ctx: Context, ref: dict[str, Any]) -> dict[str, Any] | None:
    """The attribute UniqueAttributesCheck looks up: 2.41.9 `Preheat#get(identifier,
    attributeValue.getAttribute())` (:109), the reference's own code by CODE (none without
    one); 2.42.5/2.43.1 `Preheat#get(identifier, Attribute.class, attributeId)` (2.42.5 :111,
    2.43.1 :109), the attribute id read as a code by CODE."""
    uid = str(ref.get("id"))
    if ctx.identifier != "CODE":
        return preheat.get(ctx, "attributes", {"id": uid})
    if ctx.release.metadata_attribute_values_by_uid:
        return preheat.get(ctx, "attributes", {"code": uid})
    code = ref.get("code")
    return preheat.get(ctx, "attributes", {"code": code}) if code else None


def _has_attribute_values(ctx: Context, info: registry.TypeInfo) -> bool:
    return not info.has_facts or "attributeValues" in registry.properties(info.singular,
                                                                        ctx.minor)


def mandatory(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    info = result.info
    if not items or not _has_attribute_values(ctx, info):
        return
    required = _attributes_with(ctx, info, "mandatory")
    for item in items:
        if item.uid in DEFAULT_UIDS:
            continue
        given = _values(ctx, item.obj)
        for uid in required:
            if not _defined(uid, given):
                result.report(item, [error_report("E4011", ATTRIBUTE_CLASS, [uid], main_id=uid,
                                                  error_property="value")], True)


def unique(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    info = result.info
    if not items or not _has_attribute_values(ctx, info) or \
            not _attributes_with(ctx, info, "unique"):
        return
    held: dict[str, dict[str, str]] = {}
    stored_unique = {a["id"] for a in ctx.store.list_objects("attributes")
                     if a.get("unique") is True and a.get(_flag(info)) is True}
    for stored in ctx.store.list_objects(info.plural):
        for ref, value in _values(ctx, stored):
            uid = str(ref.get("id"))
            if uid in stored_unique and value is not None:
                held.setdefault(uid, {})[str(value)] = str(stored.get("id"))
    for item in items:
        if item.uid in DEFAULT_UIDS:
            continue
        errors = []
        for ref, value in _values(ctx, item.obj):
            attribute = _unique_attribute(ctx, ref)
            if attribute is None or attribute.get("unique") is not True or value in (None, ""):
                continue
            uid = str(attribute.get("id"))
            # 2.42.5/2.43.1 test the held values by the value's attribute id and write them by
            # the found attribute's uid (2.42.5 :117-134, 2.43.1 :115-132): when an import by
            # CODE finds an attribute whose code is that id, the id is no key, so the
            # attribute's values start afresh and no E4009 follows; were the id another
            # unique attribute's uid with values held, the write meets no map for the found
            # attribute's uid: a NullPointerException that ends the import.
            key = str(ref.get("id")) if ctx.release.metadata_attribute_values_by_uid else uid
            if key not in held:
                held[uid] = {str(value): item.uid}
                continue
            owner = held[key].get(str(value))
            if owner is not None and owner != item.uid:
                errors.append(error_report(
                    "E4009", ATTRIBUTE_CLASS,
                    [attribute.get("displayName") or attribute.get("name"), value],
                    main_id=uid, error_property="value"))
            elif uid not in held:
                raise webmessage.UncaughtException(
                    ctx.release.metadata_validation_failure_message or _NO_HELD_VALUES)
            else:
                held[uid][str(value)] = item.uid
        if errors:
            result.report(item, errors, True)
