"""TranslationsCheck: the `translations` of imported objects (a removal check after
NotOwnerReferencesCheck, before MetadataAttributeCheck).

dhis2-core `dxf2/metadata/objectbundle/validation/TranslationsCheck.java`, the same check at
2.41.9, 2.42.5 and 2.43.1: the tags differ in the CollectionUtils imported (2.41.9 :35
`commons.collection`, 2.42.5 and 2.43.1 :37 `common.collection`, the same null-or-empty
`isEmpty`) and in the schema lookup (`SchemaService#getDynamicSchema` at 2.41.9 :69 and 2.42.5
:71, `#getSchema` at 2.43.1 :71), which give an imported (registered) type the same schema:
2.41.9/2.42.5 `DefaultSchemaService#getDynamicSchema` returns `#getSchema`'s when there is one,
2.43.1 `#getSchema` makes a dynamic one itself.
- every type is checked, with or without facts (`registry.jackson_properties`, the release's
  schema); a type without a persisted `translations` property (`Schema#isTranslatable`:
  2.41.9 :417, 2.42.5 :419, 2.43.1 :390; e.g. SqlView.hbm.xml maps none) gets E1107 for
  any translations given, on `Translation` with errorKlass the type; not a removal, but counted
  ignored;
- otherwise per translation: E1106 for a property and locale already seen, E4000 `locale`,
  `property` or `value` for a missing one (on `Translation`, errorKlass the type); the object is
  removed;
- the report is `new ObjectReport(klass, i)`: i is the object's position among the checked
  objects (the stored ones first, then the new, for CREATE_AND_UPDATE), not its bundle index,
  and it carries no uid; it merges into whatever report has that index.
Translations are a `HashSet` (`translation_set.py`): exact repeats collapse and the check walks
them in the set's order, which decides which of two translations of a property and locale is
reported.
"""

from __future__ import annotations

from scdi.sandbox.metadata import registry, translation_set
from scdi.sandbox.metadata.bundle import Context, Item, TypeResult, error_report

_TRANSLATION = "org.hisp.dhis.translation.Translation"


def check(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    info = result.info
    # the release's schema of every type, with or without facts: a constant's or an org unit
    # group's translations are checked like a data element's, a SQL view's are E1107
    translatable = bool(registry.jackson_properties(info.singular, ctx.minor).get(
        "translations", {}).get("persisted"))
    ordered = [i for i in items if i.persisted] + [i for i in items if not i.persisted]
    for position, item in enumerate(ordered):
        translations = translation_set.as_set(item.obj.get("translations"))
        if not translations:
            continue
        if not translatable:
            result.report_at(position, item, [error_report(
                "E1107", _TRANSLATION, [info.simple_name], error_klass=info.klass)], False)
            continue
        errors = []
        seen: set[str] = set()
        for translation in translations:
            # String.join writes a missing part "null", so a literal "null" collides with it
            key = "_".join("null" if part is None else str(part) for part in (
                translation.get("property"), translation.get("locale")))
            if key in seen:
                errors.append(error_report(
                    "E1106", _TRANSLATION,
                    [translation.get("property"), translation.get("locale"), info.simple_name,
                     item.uid], error_klass=info.klass))
            seen.add(key)
            for field in ("locale", "property", "value"):
                if translation.get(field) is None:
                    errors.append(error_report("E4000", _TRANSLATION, [field],
                                               error_klass=info.klass))
        if errors:
            result.report_at(position, item, errors, True)
